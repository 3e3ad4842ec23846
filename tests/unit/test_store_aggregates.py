"""The counts kept at each write (stats, the sources listing) always equal the counts
computed from scratch: after adds, after a --force replacement, after a delete, and for a
store written before the counts existed (the migration backfills them). Both engines."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from onrecord.record import Article
from onrecord.store import Store, open_store
from onrecord.store import writer as store_writer
from onrecord.store.writer import delete_article

from . import test_store
from .test_store import anonymous, border_record, factory_record, person, quote, trade_record

# The same fixtures: a fresh store on SQLite and on PostgreSQL.
store_url = test_store.store_url
store = test_store.store

# The aggregations stats and the sources listing ran per request before the counts.
SHARES = (
    "COUNT(q.id) AS quotes,"
    " SUM(CASE WHEN s.kind = 'anonymous' THEN 1 ELSE 0 END) AS anonymous,"
    " SUM(CASE WHEN s.kind <> 'anonymous' THEN 1 ELSE 0 END) AS named"
    " FROM articles a LEFT JOIN quotes q ON q.article_id = a.id"
    " LEFT JOIN sources s ON s.id = q.source_id"
)
SOURCES = (
    "SELECT s.id, COUNT(q.id) AS quotes, COUNT(DISTINCT q.article_id) AS articles,"
    " COUNT(DISTINCT a.outlet) AS outlets, MIN(a.published) AS first_seen,"
    " MAX(a.published) AS last_seen FROM sources s LEFT JOIN quotes q ON q.source_id = s.id"
    " LEFT JOIN articles a ON a.id = q.article_id GROUP BY s.id"
)


def from_scratch(store: Store) -> dict[str, Any]:
    conn = store.conn

    def shares(key: str) -> dict[Any, tuple[int, int, int]]:
        rows = conn.query(f"SELECT {key} AS k, {SHARES} GROUP BY {key}")  # noqa: S608
        return {
            r["k"]: (int(r["quotes"]), int(r["anonymous"] or 0), int(r["named"] or 0)) for r in rows
        }

    sources = {
        r["id"]: (
            int(r["quotes"]),
            int(r["articles"]),
            int(r["outlets"]),
            r["first_seen"],
            r["last_seen"],
        )
        for r in conn.query(SOURCES)
    }
    return {
        "articles": int(conn.scalar("SELECT COUNT(*) AS n FROM articles")),
        "quotes": int(conn.scalar("SELECT COUNT(*) AS n FROM quotes")),
        "by_outlet": shares("a.outlet"),
        "by_month": shares("substr(a.published, 1, 7)"),
        "sources": sources,
    }


def as_kept(store: Store) -> dict[str, Any]:
    stats = store.stats()

    def shares(rows: list[dict[str, Any]], key: str) -> dict[Any, tuple[int, int, int]]:
        return {r[key]: (r["quotes"], r["anonymous"], r["named"]) for r in rows}

    listing = store.list_sources(top=100).items
    assert stats["sources"] == len(listing)
    return {
        "articles": stats["articles"],
        "quotes": stats["quotes"],
        "by_outlet": shares(stats["by_outlet"], "outlet"),
        "by_month": shares(stats["by_month"], "month"),
        "sources": {
            s["id"]: (s["quotes"], s["articles"], s["outlets"], s["first_seen"], s["last_seen"])
            for s in listing
        },
    }


def retitled(record: Any, *, published: str, url: str | None = None) -> Any:
    """The same text under another date (and URL): a --force re-ingest that moves it."""
    article = dataclasses.replace(
        record.article, published=published, url=url or record.article.url
    )
    return dataclasses.replace(record, article=article)


def add_corpus(store: Store) -> None:
    store.add_record(border_record(), outlet="Example Wire")
    store.add_record(trade_record(), outlet="Example Wire")
    store.add_record(factory_record(), outlet="Example Business")
    text = "“No comment,” said a spokesman. Undated, with no outlet."
    undated = dataclasses.replace(
        border_record(),
        article=Article(Article.make_id(text), text, None, "Undated", None),
        sources=(anonymous("s1", "a spokesman"),),
        quotes=(quote(text, "q1", "“No comment,”", "s1"),),
        quantities=(),
        times=(),
        entities=(),
    )
    store.add_record(undated)


def test_counts_equal_a_recount_after_adds(store: Store) -> None:
    add_corpus(store)
    assert as_kept(store) == from_scratch(store)
    assert store.stats()["by_outlet"][-1]["outlet"] is None  # no outlet: listed last


def test_counts_follow_a_forced_replacement_and_a_delete(store: Store) -> None:
    add_corpus(store)
    # Moved to another outlet and month: the first and last dates of its sources change.
    moved = retitled(trade_record(), published="2021-03-01")
    assert store.add_record(moved, outlet="Example Business", force=True) == "replaced"
    assert as_kept(store) == from_scratch(store)
    with store.conn.transaction():
        delete_article(store.conn, border_record().article.id)
    kept = as_kept(store)
    assert kept == from_scratch(store)
    assert kept["articles"] == 3
    with store.conn.transaction():
        for row in store.conn.query("SELECT id FROM articles"):
            delete_article(store.conn, row["id"])
    assert as_kept(store) == from_scratch(store)
    assert store.stats()["by_outlet"] == [] and store.list_sources().total == 0


def test_a_store_written_before_the_counts_is_backfilled(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.store.db import connect

    old = Store(connect(store_url, read_only=False), url=store_url, read_only=False)
    before_counts = [m for m in old.migrations() if m[0] < 6]
    old.migrations = lambda: before_counts  # type: ignore[method-assign]
    old.upgrade()
    with monkeypatch.context() as patch:  # the writer of that time kept no counts
        patch.setattr(store_writer, "count_article", lambda *args: None)
        patch.setattr(store_writer, "forget_source", lambda *args: None)
        add_corpus(old)
    expected = from_scratch(old)
    old.close()
    with open_store(store_url) as upgraded:
        assert as_kept(upgraded) == expected
        upgraded.add_record(retitled(factory_record(), published="2018-01-01"), force=True)
        assert as_kept(upgraded) == from_scratch(upgraded)


def test_a_named_source_without_quotes_is_listed_with_zero(store: Store) -> None:
    record = factory_record()
    silent = person(record.article.text, "s2", "Acme")
    store.add_record(dataclasses.replace(record, sources=(*record.sources, silent)))
    listing = {s["name"]: s for s in store.list_sources().items}
    assert listing["Acme"]["quotes"] == 0
    assert as_kept(store) == from_scratch(store)
