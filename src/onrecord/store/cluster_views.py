"""Reading quote clusters: a cluster's appearances in time order with their variants, the
cluster of a quote or of any text, the counts an article page shows, and a figure tracked
across the corpus (see docs/provenance.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..provenance.wording import shingles, wording
from .clusters import best_cluster, wording_from_json
from .db import Connection

#: Earliest first: publication date (undated last), then the order articles were ingested.
FIRST_APPEARANCE_ORDER = "a.published ASC NULLS LAST, a.ingested_at, a.id, q.position"


def cluster_view(
    conn: Connection, cluster_id: str, *, limit: int = 100, offset: int = 0
) -> dict[str, Any] | None:
    """A cluster with its first appearance, outlets, variants and appearances."""
    head = conn.one("SELECT id, reference_key FROM quote_clusters WHERE id = ?", (cluster_id,))
    if head is None:
        return None
    forms = _forms(conn, cluster_id)
    reference = forms.get(head["reference_key"])
    counts = _counts(conn, cluster_id)
    appearances = [
        _appearance(row, forms)
        for row in conn.query(
            f"{_APPEARANCES} WHERE m.cluster_id = ? ORDER BY {FIRST_APPEARANCE_ORDER}"  # noqa: S608
            " LIMIT ? OFFSET ?",
            (cluster_id, limit, offset),
        )
    ]
    first = appearances[0] if offset == 0 and appearances else _first(conn, cluster_id, forms)
    return {
        "id": cluster_id,
        "reference": reference["text"] if reference else "",
        **counts,
        "outlets": _outlets(conn, cluster_id),
        "first_appearance": first,
        "forms": sorted(forms.values(), key=lambda f: (-f["quotes"], f["text"])),
        "appearances": appearances,
        "limit": limit,
        "offset": offset,
    }


def quote_cluster_id(conn: Connection, quote_id: str) -> str | None:
    row = conn.one("SELECT cluster_id FROM cluster_members WHERE quote_id = ?", (quote_id,))
    return row["cluster_id"] if row else None


def quote_is_known(conn: Connection, quote_id: str) -> bool:
    return conn.one("SELECT 1 AS x FROM quotes WHERE id = ?", (quote_id,)) is not None


def cluster_for_text(conn: Connection, text: str) -> str | None:
    """The cluster a quote with these words would join (nothing is written)."""
    words = wording(text)
    keys = shingles(words)
    return best_cluster(conn, words, keys) if keys else None


def article_quote_clusters(conn: Connection, article_id: str) -> dict[str, dict[str, Any]]:
    """For each quote of an article in a cluster seen in other articles too: the cluster,
    how many articles carry it and how many of its quotes are altered."""
    rows = conn.query(
        "SELECT m.quote_id, m.cluster_id FROM cluster_members m"
        " WHERE m.article_id = ? AND m.cluster_id IS NOT NULL",
        (article_id,),
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        counts = _counts(conn, row["cluster_id"])
        if counts["articles"] > 1:
            found[row["quote_id"]] = {"cluster_id": row["cluster_id"], **counts}
    return found


_APPEARANCES = """
    SELECT m.quote_id, m.form_key, m.paraphrase, q.kind, COALESCE(q.content, q.text) AS content,
           a.id AS article_id, a.title, a.url, a.outlet, a.published, a.ingested_at,
           s.name AS source_name, q.source_id
    FROM cluster_members m
    JOIN quotes q ON q.id = m.quote_id
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN sources s ON s.id = q.source_id
"""


def _forms(conn: Connection, cluster_id: str) -> dict[str, dict[str, Any]]:
    rows = conn.query(
        "SELECT f.form_key, f.wording, f.variant, f.severity, f.reasons, f.diff,"
        " (SELECT COUNT(*) FROM cluster_members m WHERE m.cluster_id = f.cluster_id"
        "  AND m.form_key = f.form_key) AS quotes"
        " FROM cluster_forms f WHERE f.cluster_id = ?",
        (cluster_id,),
    )
    return {
        row["form_key"]: {
            "form_key": row["form_key"],
            "text": wording_from_json(row["wording"]).text(),
            "variant": row["variant"],
            "severity": row["severity"],
            "reasons": json.loads(row["reasons"]),
            "diff": [tuple(segment) for segment in json.loads(row["diff"])],
            "quotes": int(row["quotes"]),
        }
        for row in rows
    }


def _counts(conn: Connection, cluster_id: str) -> dict[str, int]:
    row = conn.one(
        "SELECT COUNT(*) AS quotes, COUNT(DISTINCT m.article_id) AS articles,"
        " SUM(CASE WHEN f.variant = 'altered' AND m.paraphrase = 0 THEN 1 ELSE 0 END) AS altered,"
        " SUM(CASE WHEN f.severity = 'high' AND m.paraphrase = 0 THEN 1 ELSE 0 END) AS high,"
        " SUM(m.paraphrase) AS paraphrases"
        " FROM cluster_members m JOIN cluster_forms f"
        " ON f.cluster_id = m.cluster_id AND f.form_key = m.form_key WHERE m.cluster_id = ?",
        (cluster_id,),
    )
    row = row or {}
    return {
        "quotes": int(row.get("quotes") or 0),
        "articles": int(row.get("articles") or 0),
        "altered": int(row.get("altered") or 0),
        "high_severity": int(row.get("high") or 0),
        "paraphrases": int(row.get("paraphrases") or 0),
    }


def _outlets(conn: Connection, cluster_id: str) -> list[dict[str, Any]]:
    rows = conn.query(
        "SELECT a.outlet, a.url, COUNT(*) AS quotes FROM cluster_members m"
        " JOIN articles a ON a.id = m.article_id WHERE m.cluster_id = ?"
        " GROUP BY a.outlet, a.url",
        (cluster_id,),
    )
    totals: dict[str, int] = {}
    for row in rows:
        name = outlet_name(row["outlet"], row["url"])
        totals[name] = totals.get(name, 0) + int(row["quotes"])
    return [
        {"outlet": name, "quotes": n}
        for name, n in sorted(totals.items(), key=lambda x: (-x[1], x[0]))
    ]


def _first(conn: Connection, cluster_id: str, forms: dict[str, dict[str, Any]]) -> dict | None:
    row = conn.one(
        f"{_APPEARANCES} WHERE m.cluster_id = ? ORDER BY {FIRST_APPEARANCE_ORDER} LIMIT 1",  # noqa: S608
        (cluster_id,),
    )
    return _appearance(row, forms) if row else None


def _appearance(row: dict[str, Any], forms: dict[str, dict[str, Any]]) -> dict[str, Any]:
    form = forms.get(row["form_key"], {})
    variant = "paraphrase" if row["paraphrase"] else form.get("variant", "verbatim")
    return {
        "quote_id": row["quote_id"],
        "article_id": row["article_id"],
        "title": row["title"],
        "url": row["url"],
        "outlet": outlet_name(row["outlet"], row["url"]),
        "published": row["published"],
        "source_id": row["source_id"],
        "source_name": row["source_name"],
        "kind": row["kind"],
        "content": row["content"],
        "variant": variant,
        "severity": form.get("severity") if variant == "altered" else None,
        "reasons": form.get("reasons", []) if variant == "altered" else [],
        "diff": form.get("diff", []),
    }


def outlet_name(outlet: str | None, url: str | None) -> str:
    """The outlet from the article's metadata (site name), else its URL's host."""
    if outlet:
        return outlet
    host = urlsplit(url).hostname if url and "://" in url else None
    if host:
        return host.removeprefix("www.")
    return "unknown outlet"


# -- figures over time --------------------------------------------------------------------


def track_figure(conn: Connection, text: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """Figures whose sentence or quantified thing mentions ``text``, linked across the
    corpus by quantified thing, kind, unit and speaker: one series per link, oldest first,
    each citation with its value and whether it changed from the one before."""
    pattern = (
        "%"
        + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        + "%"
    )
    rows = conn.query(
        "SELECT f.article_id, f.local_id, f.text, f.value, f.kind, f.unit, f.change,"
        " f.quantified, f.sentence, a.title, a.url, a.outlet, a.published,"
        " q.source_id, s.name AS source_name"
        " FROM quantities f JOIN articles a ON a.id = f.article_id"
        " LEFT JOIN quotes q ON q.id = f.quote_id LEFT JOIN sources s ON s.id = q.source_id"
        " WHERE lower(f.sentence) LIKE ? ESCAPE '\\' OR lower(f.quantified) LIKE ? ESCAPE '\\'"
        " ORDER BY a.published ASC NULLS LAST, a.ingested_at, f.article_id, f.position LIMIT ?",
        (pattern, pattern, limit),
    )
    return _series(rows)


def _series(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    series: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        thing = " ".join((row["quantified"] or "").lower().split())
        key = (thing, row["kind"], row["unit"] or "", row["source_id"] or "")
        entry = series.setdefault(
            key,
            {
                "quantified": row["quantified"],
                "kind": row["kind"],
                "unit": row["unit"],
                "source_id": row["source_id"],
                "source_name": row["source_name"],
                "citations": [],
                "values": [],
            },
        )
        previous = entry["citations"][-1]["value"] if entry["citations"] else None
        entry["citations"].append(
            {
                "quantity_id": f"{row['article_id']}:{row['local_id']}",
                "text": row["text"],
                "value": row["value"],
                "change": row["change"],
                "changed": previous is not None and row["value"] != previous,
                "published": row["published"],
                "outlet": outlet_name(row["outlet"], row["url"]),
                "article_id": row["article_id"],
                "title": row["title"],
                "sentence": row["sentence"],
            }
        )
        if row["value"] not in entry["values"]:
            entry["values"].append(row["value"])
    return sorted(series.values(), key=lambda s: (-len(s["citations"]), s["quantified"] or ""))
