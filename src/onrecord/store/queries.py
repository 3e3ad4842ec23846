"""Read-only questions the web app and the API ask with filters: articles and sources
filtered, the corpus's outlets, a quote's sentence around it, and the dashboard's series.

Kept apart from the Store class so that the counters kept at ingest (core.py's stats and
sources) and these filtered views can change independently. Every query is parameterized.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .core import QUOTE_COLUMNS, QUOTE_JOINS, Page, Store, _like_pattern

#: Characters of article text read either side of a quote to find its sentence.
CONTEXT_CHARS = 300
#: Figure kinds that matter on the dashboard: bare counts ("two", "one") do not.
FIGURE_KINDS_THAT_MATTER = ("money", "percent", "measure")
SOURCE_KINDS = ("person", "organization", "group", "anonymous", "document")


@dataclass(frozen=True)
class Filters:
    """The filters shared by articles, the dashboard and downloads (None: no filter)."""

    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None


def _article_filters(filters: Filters, alias: str = "a") -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.outlet:
        where.append(f"lower({alias}.outlet) = lower(?)")
        params.append(filters.outlet)
    if filters.date_from:
        where.append(f"{alias}.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        where.append(f"{alias}.published <= ?")
        params.append(filters.date_to)
    return where, params


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


# -- lists ------------------------------------------------------------------------------


def outlets(store: Store) -> list[dict[str, Any]]:
    """The corpus's outlets, most articles first: what the outlet pickers offer."""
    rows = store.conn.query(
        "SELECT outlet, COUNT(*) AS articles FROM articles WHERE outlet IS NOT NULL"
        " GROUP BY outlet ORDER BY COUNT(*) DESC, outlet"
    )
    return [{"outlet": r["outlet"], "articles": int(r["articles"])} for r in rows]


def list_articles(
    store: Store, text: str | None, filters: Filters, limit: int = 20, offset: int = 0
) -> Page:
    """Articles newest first; ``text`` matches words of the title (case-insensitive)."""
    where, params = _article_filters(filters)
    if text and text.strip():
        where.append("lower(a.title) LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(text.strip()))
    condition = _where(where)
    items = store.conn.query(
        "SELECT a.id, a.title, a.url, a.published, a.outlet,"  # noqa: S608
        " (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes"
        f" FROM articles a{condition} ORDER BY a.published DESC NULLS LAST, a.id"
        " LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = store.conn.scalar(f"SELECT COUNT(*) AS n FROM articles a{condition}", params)  # noqa: S608
    return Page(items, int(total))


def list_sources(
    store: Store, text: str | None, kind: str | None, limit: int = 20, offset: int = 0
) -> Page:
    """Sources most quoted first; ``text`` matches the name or an alias, ``kind`` the kind."""
    where: list[str] = []
    params: list[Any] = []
    if text and text.strip():
        pattern = _like_pattern(text.strip())
        where.append(
            "(lower(s.name) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM source_aliases sa"
            " WHERE sa.source_id = s.id AND lower(sa.alias) LIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern]
    if kind:
        where.append("s.kind = ?")
        params.append(kind)
    condition = _where(where)
    items = store.conn.query(
        "SELECT s.id, s.name, s.kind, s.quotes, s.articles, s.outlets, s.first_seen,"  # noqa: S608
        f" s.last_seen FROM source_summary s{condition}"
        " ORDER BY s.quotes DESC, s.articles DESC, s.name, s.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    for item in items:
        for key in ("quotes", "articles", "outlets"):
            item[key] = int(item[key])
    total = store.conn.scalar(f"SELECT COUNT(*) AS n FROM sources s{condition}", params)  # noqa: S608
    return Page(items, int(total))


def source_quotes(
    store: Store, source_id: str, newest_first: bool = True, limit: int = 50, offset: int = 0
) -> Page:
    """One source's quotes by date (newest first unless asked otherwise)."""
    direction = "DESC" if newest_first else "ASC"
    items = store.conn.query(
        f"SELECT {QUOTE_COLUMNS}, q.local_id, COALESCE(q.content, q.text) AS snippet"  # noqa: S608
        f" FROM quotes q {QUOTE_JOINS} WHERE q.source_id = ?"
        f" ORDER BY a.published {direction} NULLS LAST, q.article_id, q.position"
        " LIMIT ? OFFSET ?",
        (source_id, limit, offset),
    )
    total = store.conn.scalar("SELECT COUNT(*) AS n FROM quotes WHERE source_id = ?", (source_id,))
    return Page(items, int(total))


# -- a quote in its sentence ------------------------------------------------------------


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")


def with_context(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` (quote rows with ``quote_id``) each given ``local_id``, ``anchor`` (the
    quote on its article page) and ``context``: the sentence(s) around the quote, with the
    quote, cue and speaker as offsets into that text. One query for the whole page."""
    ids = [item["quote_id"] for item in items if item.get("quote_id")]
    if not ids:
        return items
    marks = ", ".join("?" for _ in ids)
    # The window starts CONTEXT_CHARS before the quote (0 at the article's start); substr
    # counts from 1 on both engines.
    low = f"CASE WHEN q.start_char > {CONTEXT_CHARS} THEN q.start_char - {CONTEXT_CHARS} ELSE 0 END"
    rows = store.conn.query(
        f"SELECT q.id, q.local_id, q.start_char, q.end_char, q.cue_start, q.cue_end,"  # noqa: S608
        f" q.speaker_start, q.speaker_end, {low} AS low,"
        f" substr(a.text, {low} + 1, q.end_char - ({low}) + {CONTEXT_CHARS}) AS around"
        f" FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.id IN ({marks})",
        ids,
    )
    found = {row["id"]: row for row in rows}
    out = []
    for item in items:
        row = found.get(item.get("quote_id"))
        if row is None:
            out.append(item)
            continue
        out.append(
            {
                **item,
                "local_id": row["local_id"],
                "anchor": f"/articles/{quote(item['article_id'], safe='')}#{row['local_id']}",
                "context": sentence_context(row),
            }
        )
    return out


def sentence_context(row: dict[str, Any]) -> dict[str, Any]:
    """The sentence(s) holding a quote and its cue and speaker, cut from the window of
    article text read around it; offsets in the result are relative to its ``text``."""
    window, low = row["around"] or "", int(row["low"])
    spans = {"quote": (row["start_char"], row["end_char"])}
    for role in ("cue", "speaker"):
        start, end = row[f"{role}_start"], row[f"{role}_end"]
        if start is not None and end is not None and low <= start and end <= low + len(window):
            spans[role] = (start, end)
    first = min(s for s, _ in spans.values()) - low
    last = max(e for _, e in spans.values()) - low
    begin = 0
    for match in _SENTENCE_END.finditer(window, 0, max(first, 0)):
        begin = match.end()
    end = len(window)
    after = _SENTENCE_END.search(window, max(last, 0))
    if after:
        end = after.start() + len(after.group().rstrip())
    text = window[begin:end]
    shift = low + begin
    context: dict[str, Any] = {
        "text": text,
        "clipped_start": begin == 0 and low > 0,
        "clipped_end": after is None,
    }
    for role, (start, stop) in spans.items():
        context[role] = {"start": max(start - shift, 0), "end": min(stop - shift, len(text))}
    return context


# -- the dashboard ----------------------------------------------------------------------


def dashboard(store: Store, filters: Filters, top: int = 10) -> dict[str, Any]:
    """Everything the dashboard draws, for the articles matching ``filters``: two grouped
    scans of the quotes (by month and outlet; by outlet and source) and one of the
    figures, whatever the number of outlets."""
    where, params = _article_filters(filters)
    articles = store.conn.scalar(f"SELECT COUNT(*) AS n FROM articles a{_where(where)}", params)  # noqa: S608
    cells = store.conn.query(
        "SELECT substr(a.published, 1, 7) AS month, a.outlet AS outlet, COUNT(*) AS quotes,"  # noqa: S608
        " SUM(CASE WHEN s.kind = 'anonymous' THEN 1 ELSE 0 END) AS anonymous"
        " FROM articles a JOIN quotes q ON q.article_id = a.id"
        f" LEFT JOIN sources s ON s.id = q.source_id{_where(where)}"
        " GROUP BY substr(a.published, 1, 7), a.outlet",
        params,
    )
    by_month = _summed(cells, "month")
    by_outlet = _summed(cells, "outlet")
    by_outlet.sort(key=lambda row: (-row["quotes"], row["outlet"]))
    ranked = _sources_by_outlet(store, where, params)
    overall: dict[str, int] = {}
    for per_source in ranked.values():
        for source_id, count in per_source.items():
            overall[source_id] = overall.get(source_id, 0) + count
    shown_outlets = [row["outlet"] for row in by_outlet[:6]]
    tops = {outlet: _top(ranked.get(outlet, {}), 5) for outlet in shown_outlets}
    top_overall = _top(overall, top)
    names = _source_names(store, {i for ids in [top_overall, *tops.values()] for i, _ in ids})
    return {
        "articles": int(articles or 0),
        "quotes": sum(int(cell["quotes"] or 0) for cell in cells),
        "sources": len(overall),
        "by_month": by_month,
        "by_outlet": by_outlet,
        "top_sources": _named(top_overall, names),
        "top_sources_by_outlet": {outlet: _named(tops[outlet], names) for outlet in shown_outlets},
        "figures": figures_that_matter(store, filters, top),
    }


def _summed(cells: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The grouped cells added up by ``key`` (cells without it left out), with shares."""
    totals: dict[str, dict[str, int]] = {}
    for cell in cells:
        if cell[key] is None:
            continue
        entry = totals.setdefault(cell[key], {"quotes": 0, "anonymous": 0})
        entry["quotes"] += int(cell["quotes"] or 0)
        entry["anonymous"] += int(cell["anonymous"] or 0)
    return [_share({key: value, **counts}) for value, counts in sorted(totals.items())]


def _sources_by_outlet(
    store: Store, where: list[str], params: list[Any]
) -> dict[str, dict[str, int]]:
    """Quotes per source in each outlet ("" for articles without one)."""
    rows = store.conn.query(
        "SELECT a.outlet AS outlet, q.source_id AS source_id, COUNT(*) AS quotes"  # noqa: S608
        " FROM articles a JOIN quotes q ON q.article_id = a.id"
        f"{_where([*where, 'q.source_id IS NOT NULL'])} GROUP BY a.outlet, q.source_id",
        params,
    )
    ranked: dict[str, dict[str, int]] = {}
    for row in rows:
        ranked.setdefault(row["outlet"] or "", {})[row["source_id"]] = int(row["quotes"])
    return ranked


def _top(counts: dict[str, int], top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def _source_names(store: Store, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.conn.query(
        f"SELECT id, name, kind FROM sources WHERE id IN ({marks})",  # noqa: S608
        sorted(ids),
    )
    return {row["id"]: row for row in rows}


def _named(ranked: list[tuple[str, int]], names: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources with their names, most quoted first (ties by name)."""
    rows = [{**names.get(i, {"id": i, "name": i, "kind": None}), "quotes": n} for i, n in ranked]
    return sorted(rows, key=lambda row: (-row["quotes"], str(row["name"]), row["id"]))


def _share(row: dict[str, Any]) -> dict[str, Any]:
    quotes, anonymous = int(row["quotes"] or 0), int(row["anonymous"] or 0)
    return {
        **row,
        "quotes": quotes,
        "anonymous": anonymous,
        "anonymous_share": round(anonymous / quotes, 4) if quotes else 0.0,
    }


def figures_that_matter(store: Store, filters: Filters, top: int = 10) -> list[dict[str, Any]]:
    """The most cited money amounts, percentages and measures (not bare counts): the same
    kind, value and unit counted once per citation, with one of its wordings."""
    where, params = _article_filters(filters)
    kinds = ", ".join("?" for _ in FIGURE_KINDS_THAT_MATTER)
    where.append(f"f.kind IN ({kinds})")
    params += list(FIGURE_KINDS_THAT_MATTER)
    rows = store.conn.query(
        "SELECT f.kind, f.value, f.unit, COUNT(*) AS citations, MIN(f.text) AS text"  # noqa: S608
        f" FROM quantities f JOIN articles a ON a.id = f.article_id{_where(where)}"
        " GROUP BY f.kind, f.value, f.unit ORDER BY COUNT(*) DESC, f.kind, f.value LIMIT ?",
        [*params, top],
    )
    return [{**row, "citations": int(row["citations"])} for row in rows]
