"""The search syntax of `onrecord quotes TEXT`, read once and written for each engine.

    border wall          both words (stemmed: "walls" finds "wall")
    "border wall"        the phrase
    wall OR fence        either word (OR in capitals; it binds tighter than the spaces)
    wall -fence          "wall" but not "fence" (-"a phrase" too)

SQLite (FTS5) and PostgreSQL (tsquery) get the same query tree, so both engines find the
same quotes for the same words; a query with nothing but -words finds nothing on both.
Only runs of letters and digits reach FTS5, and PostgreSQL gets each phrase as a bound
parameter of ``phraseto_tsquery`` (its own parser: "4.5" stays one token), so no input is
a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A term: an optional "-", then a "phrase" or a word.
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")

Phrase = str  # the words as typed; FTS5 keeps their runs of letters and digits


@dataclass(frozen=True)
class Search:
    """All of ``groups`` (each: any one of its phrases), and none of ``excluded``."""

    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]


def parse_search(text: str | None) -> Search | None:
    """The user's words as a query tree; None when there are no words at all."""
    if not text:
        return None
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    join_next = False
    for negated, quoted, bare in _TERM.findall(text):
        if bare == "OR":
            join_next = bool(groups)
            continue
        if bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        phrase = quoted or bare
        if not _WORD.search(phrase):
            continue
        if negated:
            excluded.append(phrase)
        elif join_next:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        join_next = False
    if not groups and not excluded:
        return None
    return Search(tuple(tuple(g) for g in groups), tuple(excluded))


def fts5_query(search: Search) -> str:
    """FTS5: ``("a" OR "b c") AND "d" NOT ("e" OR "f")``; needs at least one group."""
    positive = " AND ".join(
        "(" + " OR ".join(_fts5_phrase(p) for p in group) + ")" for group in search.groups
    )
    if not search.excluded:
        return positive
    return f"({positive}) NOT (" + " OR ".join(_fts5_phrase(p) for p in search.excluded) + ")"


def _fts5_phrase(phrase: Phrase) -> str:
    return '"' + " ".join(_WORD.findall(phrase)) + '"'


def tsquery_sql(search: Search) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression with one placeholder per phrase, and the phrases:
    ``(phrase(a) || phrase(b)) && phrase(d) && !!(phrase(e) || phrase(f))``; needs at
    least one group."""
    params: list[str] = []

    def any_of(phrases: tuple[Phrase, ...]) -> str:
        params.extend(phrases)
        return "(" + " || ".join("phraseto_tsquery('english', ?)" for _ in phrases) + ")"

    parts = [any_of(group) for group in search.groups]
    if search.excluded:
        parts.append("!!" + any_of(search.excluded))
    return " && ".join(parts), params
