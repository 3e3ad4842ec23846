"""Counts kept up to date by every write, so the questions that summarize the whole corpus
(stats, the sources listing, the dashboard) read a few rows instead of every quote.

The tables (migration 0006) are changed only here, inside the writer's transaction: an
article's counts are added after it is inserted and taken away before it is deleted, by
the one function ``count_article`` reading the rows as stored, so adding and removing are
exact mirrors and a ``--force`` re-ingest (delete, then insert) leaves them right.
'' stands for "no outlet" and "no date" (a primary key cannot hold NULL).
"""

from __future__ import annotations

from typing import Any

from .db import Connection

ANONYMOUS = "anonymous"


def count_article(conn: Connection, article_id: str, sign: int) -> None:
    """Add (``sign`` 1, after inserting) or take away (-1, before deleting) one stored
    article's contribution to every count."""
    article = conn.one("SELECT outlet, published FROM articles WHERE id = ?", (article_id,))
    if article is None:
        return
    outlet = article["outlet"] or ""
    published = article["published"] or None
    by_source = conn.query(
        "SELECT q.source_id, s.kind, COUNT(*) AS n FROM quotes q"
        " LEFT JOIN sources s ON s.id = q.source_id WHERE q.article_id = ?"
        " GROUP BY q.source_id, s.kind",
        (article_id,),
    )
    _count_quotes(conn, outlet, (published or "")[:7], by_source, sign)
    if sign > 0:  # a source named in the article but not quoted still has its row
        conn.execute(
            "INSERT INTO source_counts (source_id, quotes, articles, outlets)"
            " SELECT DISTINCT source_id, 0, 0, 0 FROM article_sources WHERE article_id = ?"
            " ON CONFLICT (source_id) DO NOTHING",
            (article_id,),
        )
    for row in by_source:
        if row["source_id"] is not None:
            _count_source(
                conn, article_id, row["source_id"], int(row["n"]), outlet, published, sign
            )


def forget_source(conn: Connection, source_id: str) -> None:
    """Drop a source's counts (before the source itself is deleted)."""
    conn.execute("DELETE FROM source_outlet_counts WHERE source_id = ?", (source_id,))
    conn.execute("DELETE FROM source_counts WHERE source_id = ?", (source_id,))


def _count_quotes(
    conn: Connection, outlet: str, month: str, by_source: list[dict[str, Any]], sign: int
) -> None:
    quotes = sum(int(r["n"]) for r in by_source)
    anonymous = sum(int(r["n"]) for r in by_source if r["kind"] == ANONYMOUS)
    named = sum(int(r["n"]) for r in by_source if r["kind"] not in (None, ANONYMOUS))
    conn.execute(
        "INSERT INTO quote_counts (outlet, month, articles, quotes, anonymous, named)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (outlet, month) DO UPDATE SET"
        " articles = quote_counts.articles + excluded.articles,"
        " quotes = quote_counts.quotes + excluded.quotes,"
        " anonymous = quote_counts.anonymous + excluded.anonymous,"
        " named = quote_counts.named + excluded.named",
        (outlet, month, sign, sign * quotes, sign * anonymous, sign * named),
    )
    conn.execute(
        "DELETE FROM quote_counts WHERE outlet = ? AND month = ? AND articles <= 0",
        (outlet, month),
    )


def _count_source(
    conn: Connection,
    article_id: str,
    source_id: str,
    quotes: int,
    outlet: str,
    published: str | None,
    sign: int,
) -> None:
    seen = published if sign > 0 else None  # a removal cannot widen first/last seen
    conn.execute(
        "INSERT INTO source_counts (source_id, quotes, articles, outlets, first_seen, last_seen)"
        " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (source_id) DO UPDATE SET"
        " quotes = source_counts.quotes + excluded.quotes,"
        " articles = source_counts.articles + excluded.articles,"
        " first_seen = CASE WHEN excluded.first_seen IS NOT NULL AND"
        "  (source_counts.first_seen IS NULL OR excluded.first_seen < source_counts.first_seen)"
        "  THEN excluded.first_seen ELSE source_counts.first_seen END,"
        " last_seen = CASE WHEN excluded.last_seen IS NOT NULL AND"
        "  (source_counts.last_seen IS NULL OR excluded.last_seen > source_counts.last_seen)"
        "  THEN excluded.last_seen ELSE source_counts.last_seen END",
        (source_id, sign * quotes, sign, seen, seen),
    )
    conn.execute(
        "INSERT INTO source_outlet_counts (source_id, outlet, quotes, articles)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (source_id, outlet) DO UPDATE SET"
        " quotes = source_outlet_counts.quotes + excluded.quotes,"
        " articles = source_outlet_counts.articles + excluded.articles",
        (source_id, outlet, sign * quotes, sign),
    )
    conn.execute(
        "DELETE FROM source_outlet_counts WHERE source_id = ? AND outlet = ? AND articles <= 0",
        (source_id, outlet),
    )
    conn.execute(
        "UPDATE source_counts SET outlets = (SELECT COUNT(*) FROM source_outlet_counts o"
        " WHERE o.source_id = ? AND o.outlet <> '') WHERE source_id = ?",
        (source_id, source_id),
    )
    if sign < 0 and published is not None:
        _reseen_without(conn, source_id, article_id, published)


def _reseen_without(conn: Connection, source_id: str, article_id: str, published: str) -> None:
    """First and last seen again, when the article going away was the first or the last
    (only then: a removal costs a scan of the source's quotes only when it must)."""
    if not conn.one(
        "SELECT 1 AS x FROM source_counts WHERE source_id = ?"
        " AND (first_seen = ? OR last_seen = ?)",
        (source_id, published, published),
    ):
        return
    others = (
        "FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE q.source_id = ? AND q.article_id <> ?"
    )
    conn.execute(
        f"UPDATE source_counts SET first_seen = (SELECT MIN(a.published) {others}),"  # noqa: S608
        f" last_seen = (SELECT MAX(a.published) {others}) WHERE source_id = ?",
        (source_id, article_id, source_id, article_id, source_id),
    )
