"""What surrounds a figure: bounds, approximation, change, "each", what is counted."""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..record import Change
from .filters import (
    _previous_word,
)
from .found import (
    Found,
    _TokenIndex,
)
from .patterns import (
    BOUNDS,
    CHANGE_FILLERS,
    CHANGE_NOUN_AFTER,
    CHANGE_VERBS,
    CLAUSE_BREAK,
    CLAUSE_PUNCT,
    COMMA_BY,
    EACH_AFTER,
    GAIN_LOSS,
    INCREASE_NOUNS,
    LAY_OFF,
    LEVEL_MARKERS,
    MODIFIER_BEFORE,
    NEEDS_BY,
    PHRASAL,
    PRECIPITATION,
    THRESHOLDS,
    WORD_RE,
)


def _add_context(text: str, q: Found, found: list[Found], tokens: _TokenIndex) -> None:
    """Bounds, approximation, change, "each" and what is counted."""
    head = q.start
    modifier = MODIFIER_BEFORE.search(text, max(0, q.start - 20), q.start)
    if modifier:
        q.bound, q.approximate = BOUNDS[modifier.group("mod").lower()]
        head = modifier.start()
    # an amount of time is how long, never the size of a rise ("wrapped up a three hour
    # meeting")
    q.change = None if q.kind == "duration" else _change(text, q, head, modifier, tokens)
    if q.change is None and found and q.kind != "duration":
        previous = found[-1]
        if re.fullmatch(r"\s*,?\s*or\s*", text[previous.end : head]):
            q.change = previous.change  # "fell 500 points, or 1.8%"
    q.each = EACH_AFTER.match(text, q.end) is not None
    q.quantified = _quantified(text, q, tokens)


_BE = frozenset("is are was were be been closed ended finished".split())


def _change(
    text: str, q: Found, head: int, modifier: re.Match[str] | None, tokens: _TokenIndex
) -> Change | None:
    if modifier and modifier.group("mod").lower() in THRESHOLDS:
        return None  # "fell below $1 trillion": a level crossed, not the size of the fall
    if PRECIPITATION.match(text, q.end):
        return None  # "the storm dropped 2 feet of snow"
    return _change_before(text, head, tokens, moves=_is_a_move(q)) or _change_noun_after(
        text, q.end
    )


def _is_a_move(q: Found) -> bool:
    """Percentages and points move when they are "gained" or "lost"; money and counts that
    are gained or lost are amounts ("lost $4 billion" is a loss, not a fall)."""
    return q.kind == "percent" or q.unit in ("point", "basis point")


def _change_before(
    text: str, start: int, tokens: _TokenIndex, moves: bool = False
) -> Change | None:
    """ "rose 3 percent", "down 85%", "cut output by 2 million": a change word before the
    figure, in the same clause, with only filler words between them, or anywhere in the
    last eight words when the figure follows "by". "to"/"from" right before mark a level."""
    window_start = max(0, start - 60)
    breaks = [m.end() for m in CLAUSE_PUNCT.finditer(text, window_start, start)]
    if breaks and COMMA_BY.match(text, breaks[-1] - 1, start):
        breaks.pop()  # "have declined, by nine points": the comma does not end the clause
    offset = breaks[-1] if breaks else window_start
    words = [(m.group(0).lower(), m.start()) for m in WORD_RE.finditer(text, offset, start)]
    if words and words[-1][0] in LEVEL_MARKERS:
        return None
    after_by = bool(words) and words[-1][0] == "by"
    for word, at in reversed(words[-8:] if after_by else words[-6:]):
        if word in CLAUSE_BREAK:
            return None
        if word == "off":
            before = _previous_word(text, at).lower()
            # "laid off 500 workers"; "spot index 130.80, off 0.24"; "shares were off 5%"
            if before in LAY_OFF or before in _BE or re.search(r"[,;]\s*$", text[at - 3 : at]):
                return "decrease"
            return None
        change = CHANGE_VERBS.get(word)
        if change is None:
            if not after_by and word not in CHANGE_FILLERS:
                return None
            continue
        if word in NEEDS_BY and not after_by:
            continue
        if word in GAIN_LOSS and not moves:
            continue
        if word in ("up", "down") and (
            tokens.dep_at(at) == "prt" or _previous_word(text, at).lower() in PHRASAL
        ):
            continue  # "make up 80 percent", "sign up 5 million people"
        return change
    return None


def _change_noun_after(text: str, end: int) -> Change | None:
    noun = CHANGE_NOUN_AFTER.match(text, end)
    if not noun:
        return None
    word = noun.group("noun").lower()
    return "increase" if word in INCREASE_NOUNS else "decrease"


def _quantified(text: str, q: Found, tokens: _TokenIndex) -> str | None:
    """What is counted: "25,000 National Guardsmen", "a third of voters", "tons of grain"."""
    if q.kind == "money":
        return None
    of = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+)?", text[q.end :])
    if q.kind == "count" and not q.is_fraction and of is None:
        return _noun_phrase(tokens, q.end)
    if of:
        return _noun_phrase(tokens, q.end + of.end())
    return None


def _noun_phrase(tokens: _TokenIndex, start: int) -> str | None:
    words: list[Token] = []
    token = tokens.after(start)
    while token is not None and len(words) < 5:
        if token.pos_ not in ("NOUN", "PROPN", "ADJ") or token.is_punct:
            break
        words.append(token)
        token = token.nbor(1) if token.i + 1 < len(token.doc) else None
    while words and words[-1].pos_ == "ADJ":
        words.pop()
    if not words:
        return None
    return tokens.text[words[0].idx : words[-1].idx + len(words[-1].text)]
