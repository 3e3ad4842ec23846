"""Writing one record: the article with all its quotes, sources, entities, figures and
times, inside the caller's transaction, with sources resolved to corpus-wide identities."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from ..record import Quantity, Quote, Record, Source, quoted_words
from .aggregates import count_article, forget_source
from .clusters import QuoteToCluster, cluster_article
from .clusters import remove_article as remove_from_clusters
from .db import Connection
from .identity import Identity, best_match, fuller_name, match_key, new_source_id

SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*\n")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def insert_record(
    conn: Connection,
    record: Record,
    *,
    outlet: str | None,
    source_path: str | None,
    author: str | None = None,
    cluster: bool = True,
) -> None:
    """Write the article and all extracted from it; ``cluster``: its quotes join their
    clusters across the corpus (store/clusters.py) in the same transaction."""
    article = record.article
    conn.execute(
        "INSERT INTO articles (id, url, title, published, outlet, author, text, source_path,"
        " schema_version, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article.id,
            article.url,
            article.title,
            article.published,
            outlet,
            author,
            article.text,
            source_path,
            record.schema_version,
            now(),
        ),
    )
    global_ids = _insert_sources(conn, article.id, record.sources)
    stored_quotes = _insert_quotes(conn, article.id, article.text, record.quotes, global_ids)
    if cluster:
        cluster_article(conn, article.id, stored_quotes)
    _insert_entities(conn, record)
    _insert_quantities(conn, record)
    _insert_times(conn, record)
    count_article(conn, article.id, +1)


def delete_article(conn: Connection, article_id: str) -> None:
    """Remove an article and everything extracted from it; drop sources left unused."""
    count_article(conn, article_id, -1)  # while its rows are still there to count
    affected = [
        row["source_id"]
        for row in conn.query(
            "SELECT DISTINCT source_id FROM article_sources WHERE article_id = ?", (article_id,)
        )
    ]
    remove_from_clusters(conn, article_id)
    for table in ("quotes", "entities", "quantities", "times", "article_sources"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))  # noqa: S608
    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    for source_id in affected:
        if conn.one("SELECT 1 AS x FROM article_sources WHERE source_id = ?", (source_id,)):
            continue
        forget_source(conn, source_id)
        for table in ("source_aliases", "source_attributes"):
            conn.execute(f"DELETE FROM {table} WHERE source_id = ?", (source_id,))  # noqa: S608
        conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))


def _insert_sources(conn: Connection, article_id: str, sources: Sequence[Source]) -> dict[str, str]:
    global_ids: dict[str, str] = {}
    rows = []
    for position, source in enumerate(sources):
        identity = Identity(
            kind=source.kind,
            name=source.name,
            titles=tuple(source.titles),
            affiliations=tuple(source.affiliations),
        )
        global_id = resolve_identity(conn, identity, article_id=article_id, local_id=source.id)
        global_ids[source.id] = global_id
        rows.append(
            (
                article_id,
                source.id,
                global_id,
                position,
                source.name,
                source.kind,
                source.description,
                json.dumps(list(source.titles), ensure_ascii=False),
                json.dumps(list(source.affiliations), ensure_ascii=False),
                json.dumps([{"start": m.start, "end": m.end} for m in source.mentions]),
            )
        )
    conn.executemany(
        "INSERT INTO article_sources (article_id, local_id, source_id, position, name, kind,"
        " description, titles, affiliations, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return global_ids


def resolve_identity(
    conn: Connection, identity: Identity, *, article_id: str, local_id: str
) -> str:
    """The global id of this source: a known identity it agrees with, or a new one."""
    key = match_key(identity.kind, identity.name)
    if identity.kind != "anonymous":
        match = best_match(identity, load_candidates(conn, identity.kind, key))
        if match is not None:
            _merge_into(conn, match, identity)
            return match.id
    base_id = new_source_id(identity, article_id=article_id, local_id=local_id)
    source_id, suffix = base_id, 1
    while conn.one("SELECT 1 AS x FROM sources WHERE id = ?", (source_id,)):
        suffix += 1
        source_id = f"{base_id}-{suffix}"
    conn.execute(
        "INSERT INTO sources (id, name, kind, match_key, created_at) VALUES (?, ?, ?, ?, ?)",
        (source_id, identity.name, identity.kind, key, now()),
    )
    _add_details(conn, source_id, identity)
    return source_id


def load_candidates(conn: Connection, kind: str, key: str) -> list[Identity]:
    """Known sources of this kind under this key, oldest first, with what describes them."""
    rows = conn.query(
        "SELECT id, name FROM sources WHERE kind = ? AND match_key = ? ORDER BY created_at, id",
        (kind, key),
    )
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ", ".join("?" for _ in ids)
    aliases: dict[str, list[str]] = {i: [] for i in ids}
    for row in conn.query(
        f"SELECT source_id, alias FROM source_aliases WHERE source_id IN ({marks})",  # noqa: S608
        ids,
    ):
        aliases[row["source_id"]].append(row["alias"])
    attributes: dict[tuple[str, str], list[str]] = {}
    for row in conn.query(
        f"SELECT source_id, attribute, value FROM source_attributes WHERE source_id IN ({marks})",  # noqa: S608
        ids,
    ):
        attributes.setdefault((row["source_id"], row["attribute"]), []).append(row["value"])
    return [
        Identity(
            id=row["id"],
            kind=kind,
            name=row["name"],
            aliases=tuple(sorted(aliases[row["id"]])),
            titles=tuple(sorted(attributes.get((row["id"], "title"), []))),
            affiliations=tuple(sorted(attributes.get((row["id"], "affiliation"), []))),
        )
        for row in rows
    ]


def _merge_into(conn: Connection, known: Identity, incoming: Identity) -> None:
    name = fuller_name(known.name, incoming.name)
    if name != known.name:
        conn.execute("UPDATE sources SET name = ? WHERE id = ?", (name, known.id))
    _add_details(conn, known.id, incoming)


def _add_details(conn: Connection, source_id: str, identity: Identity) -> None:
    """Record the name as an alias and the titles and affiliations, each once."""
    existing_aliases = {
        row["alias"]
        for row in conn.query("SELECT alias FROM source_aliases WHERE source_id = ?", (source_id,))
    }
    if identity.name not in existing_aliases:
        conn.execute(
            "INSERT INTO source_aliases (source_id, alias) VALUES (?, ?)",
            (source_id, identity.name),
        )
    existing = {
        (row["attribute"], row["value"])
        for row in conn.query(
            "SELECT attribute, value FROM source_attributes WHERE source_id = ?", (source_id,)
        )
    }
    wanted = [("title", t) for t in identity.titles] + [
        ("affiliation", a) for a in identity.affiliations
    ]
    for attribute, value in dict.fromkeys(wanted):
        if (attribute, value) not in existing:
            conn.execute(
                "INSERT INTO source_attributes (source_id, attribute, value) VALUES (?, ?, ?)",
                (source_id, attribute, value),
            )


def _insert_quotes(
    conn: Connection,
    article_id: str,
    text: str,
    quotes: Sequence[Quote],
    global_ids: dict[str, str],
) -> list[QuoteToCluster]:
    rows = []
    for position, quote in enumerate(quotes):
        cue, speaker = quote.cue, quote.speaker
        rows.append(
            (
                f"{article_id}:{quote.id}",
                article_id,
                quote.id,
                position,
                quote.kind,
                quote.text,
                quote.start,
                quote.end,
                json.dumps([{"start": p.start, "end": p.end} for p in quote.parts]),
                cue.text if cue else None,
                cue.start if cue else None,
                cue.end if cue else None,
                speaker.text if speaker else None,
                speaker.start if speaker else None,
                speaker.end if speaker else None,
                quote.source_id,
                global_ids.get(quote.source_id) if quote.source_id else None,
                quote.content or _content(text, quote),
            )
        )
    conn.executemany(
        "INSERT INTO quotes (id, article_id, local_id, position, kind, text, start_char,"
        " end_char, parts, cue_text, cue_start, cue_end, speaker_text, speaker_start,"
        " speaker_end, local_source_id, source_id, content)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return [QuoteToCluster(row[0], row[4], row[-1]) for row in rows]


def _content(text: str, quote: Quote) -> str:
    """The quoted words of a quote built without them (a record made by hand)."""
    return quoted_words(text, [(p.start, p.end) for p in quote.parts] or [(quote.start, quote.end)])


def _insert_entities(conn: Connection, record: Record) -> None:
    article_id = record.article.id
    conn.executemany(
        "INSERT INTO entities (article_id, local_id, position, text, start_char, end_char,"
        " label, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, e.id, i, e.text, e.start, e.end, e.label, e.canonical)
            for i, e in enumerate(record.entities)
        ],
    )


def _insert_quantities(conn: Connection, record: Record) -> None:
    article = record.article
    rows: list[tuple[Any, ...]] = []
    for position, q in enumerate(record.quantities):
        rows.append(
            (
                article.id,
                q.id,
                position,
                q.text,
                q.start,
                q.end,
                q.value,
                q.kind,
                q.unit,
                q.change,
                int(q.each),
                q.quantified,
                int(q.approximate),
                q.bound,
                q.high,
                sentence_around(article.text, q.start, q.end),
                _containing_quote(record, q),
            )
        )
    conn.executemany(
        "INSERT INTO quantities (article_id, local_id, position, text, start_char, end_char,"
        " value, kind, unit, change, is_each, quantified, approximate, bound, high, sentence,"
        " quote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _insert_times(conn: Connection, record: Record) -> None:
    article_id = record.article.id
    conn.executemany(
        "INSERT INTO times (article_id, local_id, position, text, start_char, end_char, type,"
        " value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, t.id, i, t.text, t.start, t.end, t.type, t.value)
            for i, t in enumerate(record.times)
        ],
    )


def _containing_quote(record: Record, quantity: Quantity) -> str | None:
    for quote in record.quotes:
        if quote.start <= quantity.start and quantity.end <= quote.end:
            return f"{record.article.id}:{quote.id}"
    return None


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end): from the last sentence end before it to the next."""
    begin = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = SENTENCE_END.search(text, end)
    stop = after.start() + 1 if after else len(text)
    return " ".join(text[begin:stop].split())
