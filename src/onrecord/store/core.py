"""The corpus store: one class over SQLite and PostgreSQL (see docs/store.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..figures.display import describe_quantity
from ..figures.durations import link_durations
from ..record import (
    SCHEMA_VERSION,
    Article,
    Entity,
    Offsets,
    Quantity,
    Quote,
    Record,
    Source,
    TextSpan,
    Time,
)
from ..times.display import describe_time
from .cluster_views import (
    article_quote_clusters,
    cluster_for_text,
    cluster_view,
    quote_cluster_id,
    quote_is_known,
    track_figure,
)
from .clusters import QuoteToCluster, assign_quote, unclustered_quotes
from .db import (
    Connection,
    PooledPostgresConnection,
    PostgresConnection,
    StoreError,
    connect,
    redact,
    resolve_url,
)
from .search import Search, fts5_query, parse_search, tsquery_sql
from .writer import delete_article, insert_record, now

MIGRATIONS = Path(__file__).parent / "migrations"
MARK_START, MARK_END = "\ue000", "\ue001"
EXPORTS = ("articles", "quotes", "sources", "quantities", "times")
EXPORT_CHUNK = 1000
CLUSTERS_VERSION = 5  # the migration that made quote clusters (0005_quote_clusters)
WRITER_LOCK = 5_406_501  # PostgreSQL advisory lock key for writes to the corpus

QUOTE_COLUMNS = """
    q.id AS quote_id, q.text, q.content, q.kind, q.source_id, s.name AS source_name,
    s.kind AS source_kind, q.article_id, a.title AS article_title, a.outlet,
    a.published, q.start_char AS "start", q.end_char AS "end"
"""
#: What a quote's listing shows and search indexes: the quoted words (schema version 4).
QUOTED_WORDS = "COALESCE(q.content, q.text)"
QUOTE_JOINS = """
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN sources s ON s.id = q.source_id
"""
# NULL dates last on both engines, in an order the index articles_published_id serves.
BY_DATE_DESC = "a.published DESC NULLS LAST, q.article_id, q.position"
BY_DATE_ASC = "a.published ASC NULLS LAST, q.article_id, q.position"


@dataclass(frozen=True)
class Page:
    """One page of a listing, and how many items there are in all."""

    items: list[dict]
    total: int


@dataclass(frozen=True)
class QuoteQuery:
    text: str | None = None
    source: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    anonymous: bool | None = None
    kind: str | None = None
    limit: int = 20
    offset: int = 0
    #: "relevance" (with search text; else newest), "newest" or "oldest" first
    sort: str = "relevance"


class Store:
    """Articles and everything extracted from them, searchable."""

    def __init__(self, conn: Connection, *, url: str, read_only: bool) -> None:
        self.conn = conn
        self.url = url
        self.read_only = read_only
        #: quotes join their clusters as articles are written (off only to measure its cost)
        self.clustering = True

    # -- schema -----------------------------------------------------------------------

    def migrations(self) -> list[tuple[int, str, Path]]:
        """(version, name, file) of this engine's migrations, in order."""
        found = []
        for file in sorted(MIGRATIONS.glob(f"*.{self.conn.dialect}.sql")):
            number, _, rest = file.name.partition("_")
            found.append((int(number), rest.split(".")[0], file))
        return found

    def schema_version(self) -> int:
        if self.conn.dialect == "sqlite":
            exists = self.conn.one(
                "SELECT 1 AS x FROM sqlite_master WHERE type = 'table'"
                " AND name = 'schema_migrations'"
            )
        else:
            exists = self.conn.scalar("SELECT to_regclass('schema_migrations') AS t")
        if not exists:
            return 0
        version = self.conn.scalar("SELECT MAX(version) AS v FROM schema_migrations")
        return int(version or 0)

    def upgrade(self) -> None:
        """Apply the migrations this database lacks, each in one transaction (idempotent).

        Safe when several processes open a new database at once: each migration is
        checked and applied inside one write transaction (SQLite: ``BEGIN IMMEDIATE``), and
        on PostgreSQL all of it runs under an advisory lock, so the others wait, then find
        the schema done.
        """
        with self.conn.migration_lock():
            with self.conn.transaction():
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            applied = []
            for version, name, file in self.migrations():
                with self.conn.transaction():
                    if self.conn.one(
                        "SELECT 1 AS x FROM schema_migrations WHERE version = ?", (version,)
                    ):
                        continue
                    self.conn.script(file.read_text(encoding="utf-8"))
                    self.conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)",
                        (version, name, now()),
                    )
                    applied.append(version)
            if CLUSTERS_VERSION in applied:
                self.cluster_backlog()

    def cluster_backlog(self, chunk: int = 500) -> int:
        """Cluster the quotes stored before clusters existed, a chunk per transaction, in
        the order they were ingested; returns how many."""
        done = 0
        while True:
            with self.conn.transaction():
                rows = unclustered_quotes(self.conn, chunk)
                for row in rows:
                    assign_quote(
                        self.conn,
                        row["article_id"],
                        QuoteToCluster(row["id"], row["kind"], row["content"] or ""),
                    )
            done += len(rows)
            if len(rows) < chunk:
                return done

    def check_schema(self) -> None:
        latest = max((v for v, _, _ in self.migrations()), default=0)
        found = self.schema_version()
        if found < latest:
            raise StoreError(
                f"{redact(self.url)}: database schema is version {found}, this onrecord needs "
                f"{latest}; run `onrecord db upgrade --db URL`"
            )

    # -- writing ------------------------------------------------------------------------

    def add_record(
        self,
        record: Record,
        *,
        outlet: str | None = None,
        source_path: str | None = None,
        force: bool = False,
        author: str | None = None,
    ) -> str:
        """Store one article with everything extracted from it, in one transaction.

        Returns "added", "duplicate" (same text or same URL already stored; nothing
        written) or "replaced" (``force``: the stored one is deleted first).
        """
        self._writable()
        article = record.article
        with self.conn.transaction():
            if self.conn.dialect == "postgres":
                # one writer at a time, like SQLite's BEGIN IMMEDIATE: two ingests into one
                # database must not both create the same new source
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            existing = self.conn.query(
                "SELECT id FROM articles WHERE id = ? OR url = ?", (article.id, article.url)
            )
            if existing and not force:
                return "duplicate"
            for row in existing:
                delete_article(self.conn, row["id"])
            insert_record(
                self.conn,
                record,
                outlet=outlet,
                source_path=source_path,
                author=author,
                cluster=self.clustering,
            )
            if source_path:
                self.conn.execute("DELETE FROM failures WHERE path = ?", (source_path,))
        return "replaced" if existing else "added"

    def record_failure(self, path: str, reason: str) -> None:
        """Remember that an input could not be read or extracted (the latest reason wins).

        One upsert, so concurrent ingests recording the same input cannot collide."""
        self._writable()
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO failures (path, reason, failed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (path) DO UPDATE"
                " SET reason = excluded.reason, failed_at = excluded.failed_at",
                (path, reason, now()),
            )

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{redact(self.url)}: the store was opened read-only")

    def known_inputs(self) -> tuple[set[str], set[str], set[str]]:
        """(article ids, URLs, source paths) already stored: ingest skips these early."""
        rows = self.conn.query("SELECT id, url, source_path FROM articles")
        return (
            {r["id"] for r in rows},
            {r["url"] for r in rows if r["url"]},
            {r["source_path"] for r in rows if r["source_path"]},
        )

    def failures(self) -> list[dict[str, Any]]:
        return self.conn.query("SELECT path, reason, failed_at FROM failures ORDER BY path")

    # -- articles -----------------------------------------------------------------------

    def get_article(self, article_id: str) -> dict | None:
        row = self.conn.one("SELECT * FROM articles WHERE id = ?", (article_id,))
        if row is None:
            return None
        record = self._rebuild(row)
        source_ids = {
            r["local_id"]: r["source_id"]
            for r in self.conn.query(
                "SELECT local_id, source_id FROM article_sources WHERE article_id = ?"
                " ORDER BY position",
                (article_id,),
            )
        }
        return {
            "record": record.to_dict(),
            "outlet": row["outlet"],
            "author": row["author"],
            "source_ids": source_ids,
        }

    def get_article_by_url(self, url: str) -> dict | None:
        row = self.conn.one("SELECT id FROM articles WHERE url = ?", (url,))
        return self.get_article(row["id"]) if row else None

    def get_record(self, article_id: str) -> Record | None:
        row = self.conn.one("SELECT * FROM articles WHERE id = ?", (article_id,))
        return self._rebuild(row) if row else None

    def _rebuild(self, row: dict[str, Any]) -> Record:
        article_id = row["id"]

        def children(table: str) -> list[dict[str, Any]]:
            return self.conn.query(
                f"SELECT * FROM {table} WHERE article_id = ? ORDER BY position",  # noqa: S608
                (article_id,),
            )

        times = tuple(_time(r) for r in children("times"))
        return Record(
            article=Article(
                id=article_id,
                text=row["text"],
                url=row["url"],
                title=row["title"],
                published=row["published"],
            ),
            entities=tuple(_entity(r) for r in children("entities")),
            sources=tuple(_source(r) for r in children("article_sources")),
            quotes=tuple(_quote(r) for r in children("quotes")),
            # the store keeps neither ``display`` nor ``time_id``: both are recomputed here
            quantities=link_durations([_quantity(r) for r in children("quantities")], times),
            times=times,
            schema_version=SCHEMA_VERSION,
        )

    def list_articles(self, limit: int = 20, offset: int = 0) -> Page:
        items = self.conn.query(
            "SELECT a.id, a.title, a.url, a.published, a.outlet,"
            " (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes"
            " FROM articles a ORDER BY a.published DESC NULLS LAST, a.id"
            " LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return Page(items, int(self.conn.scalar("SELECT COUNT(*) AS n FROM articles")))

    # -- quotes -------------------------------------------------------------------------

    def search_quotes(self, q: QuoteQuery) -> Page:
        """Quotes matching the filters; ranked by relevance when there is search text,
        unless ``q.sort`` asks for the newest or oldest first."""
        where, params = _quote_filters(q)
        by_date = {"newest": BY_DATE_DESC, "oldest": BY_DATE_ASC}.get(q.sort)
        search = parse_search(q.text)
        if search is None:
            return self._list_quotes(where, params, q.limit, q.offset, by_date or BY_DATE_DESC)
        if not search.groups:  # only -words: nothing to find (docs/store.md)
            return Page([], 0)
        if self.conn.dialect == "sqlite":
            match = fts5_query(search)
            return self._search_sqlite(match, where, params, q.limit, q.offset, by_date)
        return self._search_postgres(search, where, params, q.limit, q.offset, by_date)

    def _list_quotes(
        self, where: list[str], params: list[Any], limit: int, offset: int, order: str
    ) -> Page:
        condition = " AND ".join(where) or "1 = 1"
        tables = f"quotes q {QUOTE_JOINS}"
        if self.conn.dialect == "sqlite":
            # CROSS JOIN fixes SQLite's join order: articles newest first (by index), then
            # their quotes, so a page needs no sort of every quote, with or without ANALYZE.
            tables = (
                "articles a CROSS JOIN quotes q ON q.article_id = a.id"
                " LEFT JOIN sources s ON s.id = q.source_id"
            )
        items = self.conn.query(
            f"SELECT {QUOTE_COLUMNS}, {QUOTED_WORDS} AS snippet FROM {tables}"  # noqa: S608
            f" WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        counted = f"quotes q {QUOTE_JOINS} WHERE {condition}" if where else "quotes"
        total = self.conn.scalar(f"SELECT COUNT(*) AS n FROM {counted}", params)  # noqa: S608
        return Page(items, int(total))

    def _search_sqlite(
        self,
        match: str,
        where: list[str],
        params: list[Any],
        limit: int,
        offset: int,
        by_date: str | None = None,
    ) -> Page:
        # Two steps, so that only the page's rows are joined and get a snippet: first the
        # ranked row numbers (the FTS index alone when there is no filter), then the rows.
        if where or by_date:
            condition = "".join(f" AND {w}" for w in where)
            found = (
                f"FROM quotes_fts JOIN quotes q ON q.seq = quotes_fts.rowid {QUOTE_JOINS}"
                f" WHERE quotes_fts MATCH ?{condition}"
            )
        else:
            found = "FROM quotes_fts WHERE quotes_fts MATCH ?"
        order = by_date or "quotes_fts.rank, quotes_fts.rowid"
        ranked = self.conn.query(
            f"SELECT quotes_fts.rowid AS seq {found}"  # noqa: S608
            f" ORDER BY {order} LIMIT ? OFFSET ?",
            [match, *params, limit, offset],
        )
        total = int(self.conn.scalar(f"SELECT COUNT(*) AS n {found}", [match, *params]))  # noqa: S608
        seqs = [row["seq"] for row in ranked]
        if not seqs:
            return Page([], total)
        marks = ", ".join("?" for _ in seqs)
        rows = self.conn.query(
            f"SELECT {QUOTE_COLUMNS}, q.seq AS seq,"  # noqa: S608
            " snippet(quotes_fts, 0, ?, ?, '…', 40) AS snippet"
            f" FROM quotes_fts JOIN quotes q ON q.seq = quotes_fts.rowid {QUOTE_JOINS}"
            f" WHERE quotes_fts MATCH ? AND quotes_fts.rowid IN ({marks})",
            [MARK_START, MARK_END, match, *seqs],
        )
        by_seq = {row.pop("seq"): row for row in rows}
        return Page([by_seq[seq] for seq in seqs if seq in by_seq], total)

    def _search_postgres(
        self,
        search: Search,
        where: list[str],
        params: list[Any],
        limit: int,
        offset: int,
        by_date: str | None = None,
    ) -> Page:
        # As on SQLite: rank (and count, in the same scan) first, then fetch the page's rows
        # with their highlighted snippets; joins only when a filter needs them.
        expression, match = tsquery_sql(search)
        query = f"CROSS JOIN (SELECT {expression} AS tsq) query"
        if where or by_date:
            # The text match first (GIN index), then the filters on its hits: left to
            # itself the planner may start from a filter it misjudges and test the text of
            # every quote of an outlet (20 ms became 200).
            hits = (
                "WITH hits AS MATERIALIZED (SELECT q.seq, q.article_id, q.position, q.source_id,"
                " q.kind,"
                f" ts_rank(q.tsv, query.tsq) AS rank FROM quotes q {query}"
                " WHERE q.tsv @@ query.tsq)"
            )
            found = f"FROM hits q {QUOTE_JOINS} WHERE {' AND '.join(where) or '1 = 1'}"
            rank = "q.rank DESC, q.seq" if by_date is None else by_date
        else:
            hits = ""
            found = f"FROM quotes q {query} WHERE q.tsv @@ query.tsq"
            rank = "ts_rank(q.tsv, query.tsq) DESC, q.seq"
        ranked = self.conn.query(
            f"{hits} SELECT q.seq, COUNT(*) OVER () AS total {found}"  # noqa: S608
            f" ORDER BY {rank} LIMIT ? OFFSET ?",
            [*match, *params, limit, offset],
        )
        if not ranked:
            total = self.conn.scalar(f"{hits} SELECT COUNT(*) AS n {found}", [*match, *params])  # noqa: S608
            return Page([], int(total))
        seqs = [row["seq"] for row in ranked]
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15"
        rows = self.conn.query(
            f"SELECT {QUOTE_COLUMNS}, q.seq AS seq,"  # noqa: S608
            f" ts_headline('english', {QUOTED_WORDS}, query.tsq, ?) AS snippet"
            f" FROM quotes q {query} {QUOTE_JOINS} WHERE q.seq = ANY(?)",
            [options, *match, seqs],
        )
        by_seq = {row.pop("seq"): row for row in rows}
        return Page([by_seq[seq] for seq in seqs if seq in by_seq], int(ranked[0]["total"]))

    # -- sources ------------------------------------------------------------------------

    def list_sources(self, top: int = 20, offset: int = 0) -> Page:
        items = self.conn.query(
            "SELECT id, name, kind, quotes, articles, outlets, first_seen, last_seen"
            " FROM source_summary ORDER BY quotes DESC, articles DESC, name, id LIMIT ? OFFSET ?",
            (top, offset),
        )
        for item in items:
            for key in ("quotes", "articles", "outlets"):
                item[key] = int(item[key])
        return Page(items, int(self.conn.scalar("SELECT COUNT(*) AS n FROM sources")))

    def get_source(self, source_id: str) -> dict | None:
        row = self.conn.one("SELECT id, name, kind FROM sources WHERE id = ?", (source_id,))
        if row is None:
            return None
        attributes = self.conn.query(
            "SELECT attribute, value FROM source_attributes WHERE source_id = ?"
            " ORDER BY attribute, value",
            (source_id,),
        )
        aliases = self.conn.query(
            "SELECT alias FROM source_aliases WHERE source_id = ? ORDER BY alias", (source_id,)
        )
        quotes = self.conn.query(
            f"SELECT {QUOTE_COLUMNS}, {QUOTED_WORDS} AS snippet FROM quotes q {QUOTE_JOINS}"  # noqa: S608
            f" WHERE q.source_id = ? ORDER BY {BY_DATE_ASC}",
            (source_id,),
        )
        return {
            **row,
            "titles": [a["value"] for a in attributes if a["attribute"] == "title"],
            "affiliations": [a["value"] for a in attributes if a["attribute"] == "affiliation"],
            "aliases": [a["alias"] for a in aliases],
            "quotes": quotes,
        }

    def find_sources(self, name: str, limit: int = 10) -> list[dict[str, Any]]:
        """Sources whose id, name or an alias matches ``name`` (exact matches first)."""
        pattern = _like_pattern(name)
        return self.conn.query(
            "SELECT s.id, s.name, s.kind, s.quotes,"
            " CASE WHEN s.id = ? OR lower(s.name) = lower(?) THEN 0 ELSE 1 END AS exactness"
            " FROM source_summary s WHERE s.id = ? OR lower(s.name) LIKE ? ESCAPE '\\'"
            " OR EXISTS (SELECT 1 FROM source_aliases sa WHERE sa.source_id = s.id"
            " AND lower(sa.alias) LIKE ? ESCAPE '\\')"
            " ORDER BY exactness, s.quotes DESC, s.name, s.id LIMIT ?",
            (name, name, name, pattern, pattern, limit),
        )

    # -- questions ----------------------------------------------------------------------

    def stats(self) -> dict:
        """Counts, and quotes by outlet and by month: read from the counts kept at each
        write (store/aggregates.py), a few rows whatever the size of the corpus."""
        totals = self.conn.one(
            "SELECT COALESCE(SUM(articles), 0) AS articles, COALESCE(SUM(quotes), 0) AS quotes"
            " FROM quote_counts"
        ) or {"articles": 0, "quotes": 0}
        shares = (
            "SUM(quotes) AS quotes, SUM(anonymous) AS anonymous, SUM(named) AS named"
            " FROM quote_counts"
        )
        by_outlet = self.conn.query(
            f"SELECT outlet, {shares} GROUP BY outlet"  # noqa: S608
            " ORDER BY SUM(quotes) DESC, (outlet = ''), outlet"
        )
        by_month = self.conn.query(
            f"SELECT month, {shares} GROUP BY month ORDER BY (month = ''), month"  # noqa: S608
        )
        return {
            "articles": int(totals["articles"]),
            "quotes": int(totals["quotes"]),
            "sources": int(self.conn.scalar("SELECT COUNT(*) AS n FROM sources")),
            "by_outlet": [_with_share(r) for r in by_outlet],
            "by_month": [_with_share(r) for r in by_month],
            "top_sources": self.list_sources(top=10).items,
        }

    def figures(self, text: str | None = None, limit: int = 20, offset: int = 0) -> Page:
        """Figures with the sentence they are in and who said it, when in a quote."""
        where, params = "1 = 1", []
        if text and text.strip():
            pattern = _like_pattern(text.strip())
            where = (
                "(lower(f.sentence) LIKE ? ESCAPE '\\' OR lower(f.text) LIKE ? ESCAPE '\\'"
                " OR lower(f.quantified) LIKE ? ESCAPE '\\')"
            )
            params = [pattern, pattern, pattern]
        joins = (
            "FROM quantities f JOIN articles a ON a.id = f.article_id"
            " LEFT JOIN quotes q ON q.id = f.quote_id LEFT JOIN sources s ON s.id = q.source_id"
        )
        items = self.conn.query(
            "SELECT f.article_id, f.local_id, f.text, f.value, f.kind, f.unit, f.change,"  # noqa: S608
            ' f.high, f.bound, f.approximate, f.is_each AS "each",'
            " f.sentence, a.title AS article_title, a.published, s.name AS source_name"
            f" {joins} WHERE {where}"
            " ORDER BY a.published DESC NULLS LAST, f.article_id, f.position"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        for item in items:
            item["quantity_id"] = f"{item['article_id']}:{item.pop('local_id')}"
            item["each"], item["approximate"] = bool(item["each"]), bool(item["approximate"])
            item["display"] = describe_quantity(item)
        total = self.conn.scalar(f"SELECT COUNT(*) AS n {joins} WHERE {where}", params)  # noqa: S608
        return Page(items, int(total))

    # -- provenance (store/cluster_views.py) -----------------------------------------------

    def cluster(self, cluster_id: str, *, limit: int = 100, offset: int = 0) -> dict | None:
        """A quote cluster: first appearance, outlets, variants with diffs, appearances."""
        return cluster_view(self.conn, cluster_id, limit=limit, offset=offset)

    def quote_cluster_id(self, quote_id: str) -> str | None:
        """The cluster of a stored quote (None: no such quote, or too short to trace)."""
        return quote_cluster_id(self.conn, quote_id)

    def quote_exists(self, quote_id: str) -> bool:
        return quote_is_known(self.conn, quote_id)

    def cluster_for_text(self, text: str) -> str | None:
        """The cluster a quote of these words would join; nothing is written."""
        return cluster_for_text(self.conn, text)

    def article_clusters(self, article_id: str) -> dict[str, dict[str, Any]]:
        """quote id -> its cluster and counts, for an article's quotes seen elsewhere too."""
        return article_quote_clusters(self.conn, article_id)

    def track_figure(self, text: str) -> list[dict[str, Any]]:
        """A figure's citations across the corpus, one series per thing, unit and speaker."""
        return track_figure(self.conn, text)

    # -- export -------------------------------------------------------------------------

    def export(self, what: str) -> Iterator[dict]:
        """Every row of one kind, as flat dicts (lists in JSON-ready form)."""
        if what not in EXPORTS:
            raise StoreError(f"unknown export {what!r}: use one of {', '.join(EXPORTS)}")
        sql, key = _EXPORT_SQL[what]
        offset = 0
        while True:
            rows = self.conn.query(f"{sql} ORDER BY {key} LIMIT ? OFFSET ?", (EXPORT_CHUNK, offset))
            for row in rows:
                yield _export_row(what, row)
            if len(rows) < EXPORT_CHUNK:
                return
            offset += EXPORT_CHUNK

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_EXPORT_SQL = {
    "articles": (
        "SELECT id, url, title, published, outlet, author, source_path, ingested_at, text"
        " FROM articles",
        "id",
    ),
    "quotes": (
        f"SELECT {QUOTE_COLUMNS}, q.cue_text AS cue, q.speaker_text AS speaker, q.parts"
        f" FROM quotes q {QUOTE_JOINS}",
        "q.id",
    ),
    "sources": (
        "SELECT s.id, s.name, s.kind, s.quotes, s.articles, s.outlets, s.first_seen,"
        " s.last_seen FROM source_summary s",
        "s.id",
    ),
    "quantities": (
        'SELECT f.article_id, f.local_id, f.text, f.start_char AS "start",'
        ' f.end_char AS "end", f.value, f.kind, f.unit, f.change, f.is_each AS "each",'
        " f.quantified, f.approximate, f.bound, f.high, f.sentence, f.quote_id,"
        " a.published FROM quantities f JOIN articles a ON a.id = f.article_id",
        "f.article_id, f.position",
    ),
    "times": (
        'SELECT t.article_id, t.local_id, t.text, t.start_char AS "start",'
        ' t.end_char AS "end", t.type, t.value, a.published'
        " FROM times t JOIN articles a ON a.id = t.article_id",
        "t.article_id, t.position",
    ),
}


def _export_row(what: str, row: dict[str, Any]) -> dict[str, Any]:
    if what == "quotes":
        row["parts"] = json.loads(row["parts"])
    if what == "quantities":
        row["quantity_id"] = f"{row['article_id']}:{row.pop('local_id')}"
        row["each"], row["approximate"] = bool(row["each"]), bool(row["approximate"])
        row["display"] = describe_quantity(row)  # computed, not stored (docs/record-schema.md)
    if what == "times":
        row["time_id"] = f"{row['article_id']}:{row.pop('local_id')}"
        row["display"] = describe_time(row["type"], row["value"])
    if what == "sources":
        for key in ("quotes", "articles", "outlets"):
            row[key] = int(row[key])
    return row


def _quote_filters(q: QuoteQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if q.source:
        pattern = _like_pattern(q.source)
        where.append(
            "(s.id = ? OR lower(s.name) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM"
            " source_aliases sa WHERE sa.source_id = s.id AND lower(sa.alias) LIKE ? ESCAPE '\\'))"
        )
        params += [q.source, pattern, pattern]
    if q.outlet:
        where.append("lower(a.outlet) = lower(?)")
        params.append(q.outlet)
    if q.date_from:
        where.append("a.published >= ?")
        params.append(q.date_from)
    if q.date_to:
        where.append("a.published <= ?")
        params.append(q.date_to)
    if q.anonymous is True:
        where.append("s.kind = 'anonymous'")
    elif q.anonymous is False:
        where.append("s.kind <> 'anonymous'")
    if q.kind:
        where.append("q.kind = ?")
        params.append(q.kind)
    return where, params


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _with_share(row: dict[str, Any]) -> dict[str, Any]:
    quotes = int(row["quotes"] or 0)
    anonymous = int(row["anonymous"] or 0)
    named = int(row["named"] or 0)
    share = round(anonymous / quotes, 4) if quotes else 0.0
    key = "outlet" if "outlet" in row else "month"
    return {
        key: row[key] or None,  # '' in the counts: no outlet, no date
        "quotes": quotes,
        "anonymous": anonymous,
        "named": named,
        "anonymous_share": share,
    }


def _offsets(raw: str) -> tuple[Offsets, ...]:
    return tuple(Offsets(**o) for o in json.loads(raw))


def _span(text: str | None, start: int | None, end: int | None) -> TextSpan | None:
    if text is None or start is None or end is None:
        return None
    return TextSpan(text=text, start=start, end=end)


def _entity(r: dict[str, Any]) -> Entity:
    return Entity(
        id=r["local_id"],
        text=r["text"],
        start=r["start_char"],
        end=r["end_char"],
        label=r["label"],
        canonical=r["canonical"],
    )


def _source(r: dict[str, Any]) -> Source:
    return Source(
        id=r["local_id"],
        name=r["name"],
        kind=r["kind"],
        description=r["description"],
        titles=tuple(json.loads(r["titles"])),
        affiliations=tuple(json.loads(r["affiliations"])),
        mentions=_offsets(r["mentions"]),
    )


def _quote(r: dict[str, Any]) -> Quote:
    return Quote(
        id=r["local_id"],
        kind=r["kind"],
        text=r["text"],
        start=r["start_char"],
        end=r["end_char"],
        parts=_offsets(r["parts"]),
        cue=_span(r["cue_text"], r["cue_start"], r["cue_end"]),
        speaker=_span(r["speaker_text"], r["speaker_start"], r["speaker_end"]),
        source_id=r["local_source_id"],
        content=r["content"] if r.get("content") is not None else r["text"],
    )


def _quantity(r: dict[str, Any]) -> Quantity:
    return Quantity(
        id=r["local_id"],
        text=r["text"],
        start=r["start_char"],
        end=r["end_char"],
        value=r["value"],
        kind=r["kind"],
        unit=r["unit"],
        change=r["change"],
        each=bool(r["is_each"]),
        quantified=r["quantified"],
        approximate=bool(r["approximate"]),
        bound=r["bound"],
        high=r["high"],
    )


def _time(r: dict[str, Any]) -> Time:
    return Time(
        id=r["local_id"],
        text=r["text"],
        start=r["start_char"],
        end=r["end_char"],
        type=r["type"],
        value=r["value"],
    )


def open_store(url: str | None = None, *, read_only: bool = False, pool_size: int = 0) -> Store:
    """Open the corpus: ``None`` -> $ONRECORD_DB or sqlite:///onrecord.db.

    Writable stores are upgraded to the latest schema; read-only ones must already be.
    ``pool_size`` (read-only PostgreSQL): share a pool of that many connections across
    threads, which replaces broken ones by itself (the web service uses it).
    """
    resolved = resolve_url(url)
    conn = connect(resolved, read_only=read_only, pool_size=pool_size)
    store = Store(conn, url=resolved, read_only=read_only)
    try:
        if read_only:
            if isinstance(conn, PostgresConnection) and not isinstance(
                conn, PooledPostgresConnection
            ):
                conn.execute("SET default_transaction_read_only = on")
            store.check_schema()
        else:
            store.upgrade()
    except BaseException:
        conn.close()
        raise
    return store
