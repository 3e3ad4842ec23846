"""Quote clusters, kept at ingest: each stored quote joins the cluster of the same
statement across the corpus, inside the transaction that writes its article.

Incremental: a new quote looks up candidate clusters in the shingle index (runs of three
normalized words -> clusters), compares itself with the distinct wordings of the few
clusters sharing the most shingles, and joins the best one or starts its own. Nothing
already stored is re-clustered; the cost per quote depends on how many wordings its
candidates hold, not on the size of the corpus. See docs/provenance.md.

Why a table in the store and not an in-memory MinHash index (datasketch): it lives in the
same transaction as the article (a killed ingest leaves no half-indexed quote, a forced
re-ingest removes and re-adds exactly its own rows), survives restarts, works the same on
SQLite and PostgreSQL, and several ingest processes share it without a second service.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..provenance.variants import (
    MIN_WORDS,
    Comparison,
    aligned_words,
    compare,
    same_statement,
)
from ..provenance.wording import Wording, shingles, wording
from .db import Connection

#: The clusters sharing the most shingles with a quote that are compared with it.
CANDIDATE_CLUSTERS = 8
#: A shingle held by more clusters than this is too common to look candidates up by.
COMMON_SHINGLE = 100
#: At most this many shingles of a long quote are looked up (evenly spread over it).
LOOKUP_SHINGLES = 64
#: A quote of indirect speech is a paraphrase of the statement it joins.
PARAPHRASE_KINDS = frozenset({"indirect"})


@dataclass(frozen=True)
class QuoteToCluster:
    quote_id: str
    kind: str
    content: str


def cluster_article(conn: Connection, article_id: str, quotes: Iterable[QuoteToCluster]) -> None:
    """Put each quote of a just-written article into its cluster (the caller's
    transaction; a quote already a member is left as it is, so this is idempotent)."""
    for quote in quotes:
        if conn.one("SELECT 1 AS x FROM cluster_members WHERE quote_id = ?", (quote.quote_id,)):
            continue
        assign_quote(conn, article_id, quote)


def assign_quote(conn: Connection, article_id: str, quote: QuoteToCluster) -> str | None:
    """File one quote under a cluster; returns the cluster id (None: too short to trace)."""
    words = wording(quote.content)
    keys = shingles(words)
    paraphrase = int(quote.kind in PARAPHRASE_KINDS)
    if len(words) < MIN_WORDS or not keys:
        _add_member(conn, quote.quote_id, None, None, article_id, paraphrase)
        return None
    cluster_id = best_cluster(conn, words, keys)
    if cluster_id is None:
        cluster_id = quote.quote_id
        conn.execute(
            "INSERT INTO quote_clusters (id, reference_key, created_at) VALUES (?, ?, ?)",
            (cluster_id, words.key, _now()),
        )
        _add_form(conn, cluster_id, words, Comparison("verbatim"))
        _add_shingles(conn, cluster_id, keys)
    elif not _has_form(conn, cluster_id, words.key):
        _add_wording(conn, cluster_id, words, keys)
    _add_member(conn, quote.quote_id, cluster_id, words.key, article_id, paraphrase)
    return cluster_id


def best_cluster(conn: Connection, words: Wording, keys: set[int]) -> str | None:
    """The cluster holding this exact wording, else the one whose reference wording is
    the same statement and aligns best with ``words``.

    Only the reference is compared (not every wording of a cluster): containment is not
    transitive, and joining through a short wording chained different statements that
    share a phrase into one cluster (PolNeAR train: pair precision 0.36 -> see
    docs/provenance.md)."""
    exact = conn.one(
        "SELECT cluster_id FROM cluster_forms WHERE form_key = ? LIMIT 1", (words.key,)
    )
    if exact:
        return str(exact["cluster_id"])
    best: tuple[float, str] | None = None
    for cluster_id in candidate_clusters(conn, keys):
        reference = _reference(conn, cluster_id)
        if same_statement(words, reference):
            score = _overlap(words, reference)
            if best is None or score > best[0]:
                best = (score, cluster_id)
    return best[1] if best else None


def candidate_clusters(conn: Connection, keys: set[int]) -> list[str]:
    """The clusters sharing the most shingles with a quote: an index lookup per shingle.

    Shingles held by more than ``COMMON_SHINGLE`` clusters ("i don't think") are left
    out: their lists grow with the corpus, and they tell statements apart no better than
    the rarer shingles of the same quote."""
    rare = _rare_shingles(conn, sorted(keys))
    if len(rare) > LOOKUP_SHINGLES:
        step = len(rare) / LOOKUP_SHINGLES
        rare = [rare[int(i * step)] for i in range(LOOKUP_SHINGLES)]
    if not rare:
        return []
    marks = ", ".join("?" for _ in rare)
    rows = conn.query(
        "SELECT cluster_id, COUNT(*) AS hits FROM cluster_shingles"  # noqa: S608
        f" WHERE shingle IN ({marks}) GROUP BY cluster_id"
        " ORDER BY hits DESC, cluster_id LIMIT ?",
        [*rare, CANDIDATE_CLUSTERS],
    )
    return [row["cluster_id"] for row in rows]


def _rare_shingles(conn: Connection, keys: list[int]) -> list[int]:
    marks = ", ".join("?" for _ in keys)
    common = {
        row["shingle"]
        for row in conn.query(
            f"SELECT shingle FROM shingle_clusters WHERE shingle IN ({marks})"  # noqa: S608
            " AND clusters > ?",
            [*keys, COMMON_SHINGLE],
        )
    }
    return [key for key in keys if key not in common]


def _has_form(conn: Connection, cluster_id: str, form_key: str) -> bool:
    return bool(
        conn.one(
            "SELECT 1 AS x FROM cluster_forms WHERE cluster_id = ? AND form_key = ?",
            (cluster_id, form_key),
        )
    )


def _overlap(a: Wording, b: Wording) -> float:
    return aligned_words(a, b) / max(len(a), len(b))


def _add_wording(conn: Connection, cluster_id: str, words: Wording, keys: set[int]) -> None:
    """A new wording of a known statement: compared with the reference; a fuller wording
    of the reference becomes the reference, and the others are compared with it again."""
    reference = _reference(conn, cluster_id)
    comparison = compare(words, reference)
    if comparison.variant == "extended":
        conn.execute(
            "UPDATE quote_clusters SET reference_key = ? WHERE id = ?", (words.key, cluster_id)
        )
        _add_form(conn, cluster_id, words, Comparison("verbatim"))
        _compare_again(conn, cluster_id, words)
    else:
        _add_form(conn, cluster_id, words, comparison)
    _add_shingles(conn, cluster_id, keys)


def _compare_again(conn: Connection, cluster_id: str, reference: Wording) -> None:
    for form in _forms(conn, cluster_id, None):
        if form.key == reference.key:
            continue
        comparison = compare(form, reference)
        if comparison.variant == "extended":  # cannot be: the reference is the fullest
            comparison = Comparison("trimmed", comparison.segments)
        conn.execute(
            "UPDATE cluster_forms SET variant = ?, severity = ?, reasons = ?, diff = ?"
            " WHERE cluster_id = ? AND form_key = ?",
            (*_comparison_columns(comparison), cluster_id, form.key),
        )


def _reference(conn: Connection, cluster_id: str) -> Wording:
    row = conn.one(
        "SELECT f.wording FROM quote_clusters c JOIN cluster_forms f"
        " ON f.cluster_id = c.id AND f.form_key = c.reference_key WHERE c.id = ?",
        (cluster_id,),
    )
    if row is None:  # cannot happen inside one transaction; a fresh start is safe
        raise LookupError(f"cluster {cluster_id} has no reference wording")
    return wording_from_json(row["wording"])


def _forms(conn: Connection, cluster_id: str, limit: int | None) -> list[Wording]:
    sql = "SELECT wording FROM cluster_forms WHERE cluster_id = ? ORDER BY words DESC, form_key"
    params: list[Any] = [cluster_id]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [wording_from_json(row["wording"]) for row in conn.query(sql, params)]


def _add_form(conn: Connection, cluster_id: str, words: Wording, comparison: Comparison) -> None:
    conn.execute(
        "INSERT INTO cluster_forms (cluster_id, form_key, wording, words, variant, severity,"
        " reasons, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, words.key, wording_json(words), len(words), *_comparison_columns(comparison)),
    )


def _comparison_columns(comparison: Comparison) -> tuple[str, str | None, str, str]:
    variant = "verbatim" if comparison.variant == "extended" else comparison.variant
    return (
        variant,
        comparison.severity,
        json.dumps(list(comparison.reasons)),
        json.dumps([list(s) for s in comparison.segments], ensure_ascii=False),
    )


def _add_shingles(conn: Connection, cluster_id: str, keys: set[int]) -> None:
    """Index a wording's shingles under its cluster, counting each shingle's clusters."""
    ordered = sorted(keys)
    marks = ", ".join("?" for _ in ordered)
    known = {
        row["shingle"]
        for row in conn.query(
            "SELECT shingle FROM cluster_shingles WHERE cluster_id = ?"  # noqa: S608
            f" AND shingle IN ({marks})",
            [cluster_id, *ordered],
        )
    }
    new = [key for key in ordered if key not in known]
    conn.executemany(
        "INSERT INTO cluster_shingles (shingle, cluster_id) VALUES (?, ?)",
        [(key, cluster_id) for key in new],
    )
    conn.executemany(
        "INSERT INTO shingle_clusters (shingle, clusters) VALUES (?, 1) ON CONFLICT (shingle)"
        " DO UPDATE SET clusters = shingle_clusters.clusters + 1",
        [(key,) for key in new],
    )


def _add_member(
    conn: Connection,
    quote_id: str,
    cluster_id: str | None,
    form_key: str | None,
    article_id: str,
    paraphrase: int,
) -> None:
    conn.execute(
        "INSERT INTO cluster_members (quote_id, cluster_id, form_key, article_id, paraphrase)"
        " VALUES (?, ?, ?, ?, ?)",
        (quote_id, cluster_id, form_key, article_id, paraphrase),
    )


def remove_article(conn: Connection, article_id: str) -> None:
    """Take an article's quotes out of their clusters (before the article is deleted):
    wordings no quote has any more go, and so do clusters left empty."""
    rows = conn.query(
        "SELECT DISTINCT cluster_id FROM cluster_members"
        " WHERE article_id = ? AND cluster_id IS NOT NULL",
        (article_id,),
    )
    conn.execute("DELETE FROM cluster_members WHERE article_id = ?", (article_id,))
    for cluster_id in sorted(row["cluster_id"] for row in rows):
        _tidy(conn, cluster_id)


def _tidy(conn: Connection, cluster_id: str) -> None:
    if not conn.one("SELECT 1 AS x FROM cluster_members WHERE cluster_id = ?", (cluster_id,)):
        conn.execute(
            "UPDATE shingle_clusters SET clusters = clusters - 1 WHERE shingle IN"
            " (SELECT shingle FROM cluster_shingles WHERE cluster_id = ?)",
            (cluster_id,),
        )
        for table, column in (
            ("cluster_shingles", "cluster_id"),
            ("cluster_forms", "cluster_id"),
            ("quote_clusters", "id"),
        ):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (cluster_id,))  # noqa: S608
        return
    conn.execute(
        "DELETE FROM cluster_forms WHERE cluster_id = ? AND NOT EXISTS (SELECT 1 FROM"
        " cluster_members m WHERE m.cluster_id = cluster_forms.cluster_id"
        " AND m.form_key = cluster_forms.form_key)",
        (cluster_id,),
    )
    # the reference wording gone: the fullest wording left is the reference now
    if not conn.one(
        "SELECT 1 AS x FROM quote_clusters c JOIN cluster_forms f"
        " ON f.cluster_id = c.id AND f.form_key = c.reference_key WHERE c.id = ?",
        (cluster_id,),
    ):
        fullest = _forms(conn, cluster_id, 1)[0]
        conn.execute(
            "UPDATE quote_clusters SET reference_key = ? WHERE id = ?", (fullest.key, cluster_id)
        )
        conn.execute(
            "UPDATE cluster_forms SET variant = 'verbatim', severity = NULL, reasons = '[]',"
            " diff = '[]' WHERE cluster_id = ? AND form_key = ?",
            (cluster_id, fullest.key),
        )
        _compare_again(conn, cluster_id, fullest)


def unclustered_quotes(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """Quotes stored before clusters existed (schema version 5), oldest first."""
    return conn.query(
        "SELECT q.id, q.article_id, q.kind, COALESCE(q.content, q.text) AS content"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE NOT EXISTS (SELECT 1 FROM cluster_members m WHERE m.quote_id = q.id)"
        " ORDER BY a.ingested_at, q.article_id, q.position LIMIT ?",
        (limit,),
    )


def wording_json(words: Wording) -> str:
    return json.dumps(
        {"words": list(words.words), "gaps": sorted(words.gaps), "names": sorted(words.names)},
        ensure_ascii=False,
    )


def wording_from_json(raw: str) -> Wording:
    data = json.loads(raw)
    return Wording(tuple(data["words"]), frozenset(data["gaps"]), frozenset(data["names"]))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
