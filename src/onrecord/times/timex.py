"""Times: TIMEX3 expressions found in the article text and normalized against the
publication date, following the TimeML/TIMEX3 conventions used in TempEval-3.

The recognizer is a set of precompiled regular expressions over ``doc.text`` (no model,
no tokens needed), each with a normalizer that turns the match into a TIMEX3 ``type``
and ``value``. Overlapping candidates are resolved leftmost-longest. Where the reference
date is missing, relative expressions keep what can be known ("XXXX-06").
See docs/timex.md for the classes of expressions and the conventions.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from spacy.tokens import Doc

from ..intervals import Intervals
from ..record import Time
from .context import (
    _EDGE,
    Found,
    _Context,
)
from .dates import (
    _century,
    _day_before,
    _decade,
    _full_date,
    _long_adjective,
    _mid_part_of_day,
    _month_relative,
    _month_year,
    _numeric_date,
    _part_of_day,
    _quarter,
    _relative_day,
    _relative_unit,
    _season,
    _weekday,
    _year,
    _year_earlier,
)
from .rules import (
    APPROX,
    DAY_NUMBER,
    MONTH,
    NUMBER_WORD,
    PART_OF_DAY,
    QUANTITY,
    SEASON,
    SPELLED_YEAR,
    UNIT,
    WEEKDAY,
    YEAR4,
)
from .spans import (
    _clock_in_part_of_day,
    _clock_time,
    _every,
    _holiday,
    _noon,
    _quantity_of_time,
    _reference,
    _set_word,
    _spelled_year,
    _units_ahead,
    _vague_plural,
    _year_end,
)

# ---------------------------------------------------------------------------------------
# Patterns, most specific first (on equal extents the earlier one wins).

_B = r"(?<![\w'-])"  # left word boundary that also refuses "-" and "'" inside words
_E = r"(?![\w-])"

Normalizer = Callable[[re.Match[str], _Context], Found | None]

_PATTERNS: list[tuple[str, Normalizer]] = [
    (
        rf"(?:(?:{WEEKDAY}),?\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<mon>{MONTH})\s+"
        rf"(?P<day>{DAY_NUMBER})(?!\d)(?:,?\s+(?P<year>{YEAR4}))?(?!\d)",
        _full_date,
    ),
    (
        rf"(?:(?:{WEEKDAY}),?\s+)?(?P<day>{DAY_NUMBER})\s+(?P<mon>{MONTH})"
        rf"(?:,?\s+(?P<year>{YEAR4}))?",
        _full_date,
    ),
    (
        rf"(?:{_EDGE}[\s-]+)?(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR4}|{SPELLED_YEAR}){_E}",
        _month_year,
    ),
    (
        r"(?P<iso>\d{4}-\d\d-\d\d)|(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)(?!\d)",
        _numeric_date,
    ),
    (
        rf"(?:(?:{_EDGE}|the\s+(?:late|early|mid))"
        rf"[\s-]+)?(?:the\s+year\s+)?(?P<fiscal>fiscal(?:\s+year)?\s+)?(?P<year>{YEAR4})"
        rf"(?:\s+or\s+later|\s+and\s+beyond)?(?![\w-]|'s\b|\.\d)",
        _year,
    ),
    (
        rf"(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(?P<century>1[6-9]|20)(?P<tens>\d)0'?s|"
        rf"'(?P<tens2>\d)0s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|"
        rf"eighties|nineties)){_E}",
        _decade,
    ),
    (
        r"(?:the\s+)?(?:(?P<ordinal>1[0-9]|2[01])(?:st|nd|rd|th)|(?P<rel>this|the\s+last|"
        r"the\s+past|the\s+next|last|next))\s+century",
        _century,
    ),
    (
        rf"(?:(?P<mod>{_EDGE})[\s-]+)?(?:(?P<rel>last|this|next|this\s+past|this\s+coming|"
        rf"past|coming)\s+)?(?P<mon>{MONTH}){_E}(?!\.?\s+\d)(?:\s+(?P<ry>last|this|next)\s+year)?",
        _month_relative,
    ),
    (
        rf"(?:(?:early|late|mid)[\s-]+)?(?:(?P<rel>last|this|next|this\s+past|this\s+coming|"
        rf"the\s+past|past|coming|the)\s+)?(?:(?:early|late|mid)[\s-]+)?"
        rf"(?P<season>{SEASON})(?:\s+(?:of\s+)?(?P<year>{YEAR4}|{SPELLED_YEAR}))?{_E}",
        _season,
    ),
    (
        rf"(?:(?P<pod1>noon|midnight|midday)\s+)?(?:(?P<rel>last|this|next|this\s+past|"
        rf"this\s+coming|coming|past|early|the\s+previous|"
        rf"the\s+following)\s+)?(?P<wd>{WEEKDAY})(?P<plural>s)?{_E}"
        rf"(?:\s+(?P<pod>{PART_OF_DAY}))?",
        _weekday,
    ),
    (
        rf"(?:(?:early|late|earlier|later|(?P<mid>mid-?\s?(?:afternoon|morning)))\s+)?"
        rf"(?P<word>today|yesterday|tomorrow|tonight){_E}(?:\s+(?P<pod>{PART_OF_DAY}))?",
        _relative_day,
    ),
    (r"the\s+day\s+(?:before|after)\s+(?P<word>yesterday|tomorrow)", _day_before),
    (r"mid-?\s?(?P<pod>afternoon|morning)(?![\w-])", _mid_part_of_day),
    (
        r"(?P<unit>hour|day|week|month|year|decade|centur(?:y|ie))(?P<plural>s)?-long(?![\w-])",
        _long_adjective,
    ),
    (
        rf"(?:(?:early|late|earlier|later)\s+)?(?P<rel>this|last|yesterday|tomorrow)\s+"
        rf"(?P<pod>morning|afternoon|evening|night){_E}",
        _part_of_day,
    ),
    (
        rf"(?:{_EDGE}\s+)?(?P<rel>this|last|next|the\s+past|the\s+last|the\s+current|"
        rf"the\s+coming|the\s+previous|the\s+following|the\s+latest|the\s+prior|the\s+same|"
        rf"the\s+full|"
        rf"this\s+past|the)\s+(?P<fiscal>fiscal\s+)?(?P<unit>week|weekend|month|year|"
        rf"quarter|decade|period){_E}(?:\s+or\s+so)?",
        _relative_unit,
    ),
    (
        r"(?:the\s+(?:comparable\s+)?)?year[\s-]+(?:earlier|ago)\s+(?P<what>(?:third\s+|"
        r"fourth\s+|first\s+|second\s+)?quarter|period|(?:nine|six|three)\s+months)"
        r"|year-(?:earlier|ago)|(?:a|one)\s+year\s+(?:earlier|ago|before)"
        r"|(?:last\s+year's|the\s+(?:19|20)\d\d)\s+(?:quarter|period)"
        r"|the\s+(?:corresponding|same)\s+(?P<what2>period|quarter)\s+(?:a\s+year\s+ago|"
        r"last\s+year)",
        _year_earlier,
    ),
    (
        rf"(?:(?P<the>the|(?P<owner>this\s+year's|last\s+year's|next\s+year's)|"
        rf"(?:the\s+)?(?P<yq>{YEAR4}))\s+(?=(?:\w+\s+)?(?:fiscal[\s-]+)?\w+\s+(?:quarter|half)))?(?:(?:flat|latest|current|comparable)\s+)?"
        rf"(?:(?P<fiscal>fiscal)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)"
        rf"[\s-]+(?:fiscal[\s-]+)?(?P<part>quarter|half){_E}(?:\s+of\s+(?:(?:fiscal\s+)?"
        rf"(?P<yof>{YEAR4})|(?P<rof>this|last|next)\s+year))?",
        _quarter,
    ),
    (
        rf"(?:(?P<rel>the\s+past|the\s+last|the\s+next|the\s+first|the\s+coming|"
        rf"the\s+following|the\s+latest|the\s+final|the\s+remaining|the\s+previous|past|"
        rf"last|next|first|another|an\s+additional|the|its|recent|coming)\s+)?"
        rf"(?:{APPROX}\s+)?(?P<num>{QUANTITY})[\s-]+(?:more\s+|full\s+|straight\s+|"
        rf"consecutive\s+|additional\s+|trading\s+|business\s+|calendar\s+)?"
        rf"(?P<unit>{UNIT})(?:s)?{_E}(?P<half>\s+and\s+a\s+half)?"
        rf"(?:\s+(?P<ago>ago|earlier|from\s+now))?",
        _quantity_of_time,
    ),
    (
        r"the\s+(?P<unit>minutes|hours|days|weeks|months|years|decades|quarters)\s+ahead",
        _units_ahead,
    ),
    (
        r"(?:(?P<rel>recent|the\s+past|past|coming|the\s+coming|the\s+next|the\s+last|"
        r"the\s+early)\s+)?(?P<unit>minutes|hours|days|weeks|months|years|"
        r"decades|centuries|quarters)(?!\w)",
        _vague_plural,
    ),
    (r"(?P<word>daily|nightly|weekly|monthly|yearly|hourly)", _set_word),
    (
        rf"(?:every|each|per)\s+(?P<other>other\s+)?(?P<what>day|week|month|year|quarter|"
        rf"morning|afternoon|evening|night|{WEEKDAY}|{MONTH})",
        _every,
    ),
    (
        r"(?P<word>right\s+now|just\s+now|now|currently|current|recent|nowadays|these\s+days|"
        r"at\s+present|presently|(?:more|most|until)\s+recently|recently|"
        r"the\s+past|lately|the\s+near\s+future|the\s+future|"
        r"the\s+(?:near|short|long)\s+term|as\s+soon\s+as\s+possible|soon)",
        _reference,
    ),
    (
        rf"(?P<h>[01]?\d|2[0-3])(?::(?P<min>\d\d))?"
        rf"\s*(?P<ampm>a\.m\.?|p\.m\.?|am|pm){_E}(?:\s+(?:EST|EDT|GMT|CST|CDT|PST|PDT|"
        rf"local\s+time))?(?:,?\s+(?P<dayref>today|yesterday|tomorrow|{WEEKDAY}|"
        rf"{MONTH}\s+{DAY_NUMBER})|(?=\s+on\s+(?P<onday>{WEEKDAY}|{MONTH}\s+{DAY_NUMBER})))?",
        _clock_time,
    ),
    (
        r"(?P<h>1[0-2]|0?\d)(?::(?P<min>[0-5]\d))?\s+(?:o'clock\s+)?in\s+the\s+"
        r"(?P<part>morning|afternoon|evening)",
        _clock_in_part_of_day,
    ),
    (
        rf"(?P<word>noon|midnight)(?:\s+(?P<dayref>today|yesterday|tomorrow|{WEEKDAY})|"
        rf"(?=\s+on\s+(?P<onday>{WEEKDAY})))?",
        _noon,
    ),
    (
        rf"(?P<head>nineteen|eighteen)\s+(?P<tail>{NUMBER_WORD})"
        rf"|(?:the\s+year\s+)?two\s+thousand(?:\s+(?:and\s+)?(?P<rest>{NUMBER_WORD}))?"
        r"(?!\s+(?:years|days|people|dollars|miles|of))",
        _spelled_year,
    ),
    (
        rf"(?:(?P<rel>last|this|next)\s+)?(?P<name>thanksgiving(?:\s+day)?|christmas(?:\s+day|"
        rf"\s+eve)?|new\s+year's\s+(?:day|eve)|easter(?:\s+sunday)?|election\s+day|"
        rf"independence\s+day|labor\s+day|memorial\s+day|veterans\s+day|halloween)"
        rf"(?:,?\s+(?P<year>{YEAR4}))?",
        _holiday,
    ),
    (r"(?:around\s+)?(?:the\s+)?year[\s-]+end|(?:the\s+)?year's\s+end", _year_end),
]

_COMPILED = [(re.compile(_B + f"(?:{p})" + r"(?!\w)", re.IGNORECASE), f) for p, f in _PATTERNS]


def _candidates(text: str, ref: dt.date | None) -> list[tuple[int, int, int, Found]]:
    context = _Context(text, ref)
    unanchored: _Context | None = None
    found = []
    for rank, (pattern, normalize) in enumerate(_COMPILED):
        for m in pattern.finditer(text):
            try:
                result = normalize(m, context)
            except (OverflowError, ValueError):
                # "tomorrow" of 9999-12-31 is past the calendar: normalized as if the
                # publication date were unknown ("XXXX-XX-XX")
                unanchored = unanchored or _Context(text, None)
                result = normalize(m, unanchored)
            if result is not None:
                start = result[2] if len(result) == 3 else m.start()
                found.append((start, m.end(), rank, result))
    return found


def _leftmost_longest(
    candidates: list[tuple[int, int, int, Found]], length: int
) -> list[tuple[int, int, int, Found]]:
    """Non-overlapping candidates, longest first (then the more specific pattern)."""
    taken = bytearray(length)
    chosen = []
    for cand in sorted(candidates, key=lambda x: (-(x[1] - x[0]), x[2], x[0])):
        start, end = cand[0], cand[1]
        if taken.find(1, start, end) == -1:
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(cand)
    return sorted(chosen)


#: A lower-case "earlier"/"later" before a near period: TBAQ's annotators mark only the
#: period ("reached earlier [this week]", "later [today]"), while a sentence-initial
#: "Earlier this month," and "earlier this year" keep it.
_LEADING_COMPARATIVE = re.compile(r"(?:earlier|later)\s+(?=(?:this\s+(?:week|month)|today)\b)")


def _trimmed_start(text: str, start: int, end: int) -> int:
    m = _LEADING_COMPARATIVE.match(text, start, end)
    return m.end() if m else start


def times_in_text(text: str, published: dt.date | None) -> tuple[Time, ...]:
    """The time expressions of a text, normalized against ``published`` (may be None)."""
    chosen = _leftmost_longest(_candidates(text, published), len(text))
    spans = [(_trimmed_start(text, s, e), e, found) for s, e, _, found in chosen]
    return tuple(
        Time(id=f"t{i}", text=text[s:e], start=s, end=e, type=found[0], value=found[1])
        for i, (s, e, found) in enumerate(spans, 1)
    )


def find_times(doc: Doc, published: dt.date | None) -> tuple[Time, ...]:
    """The pipeline's `times` stage: TIMEX3 expressions in ``doc.text``."""
    return times_in_text(doc.text, published)


@functools.lru_cache(maxsize=8)
def time_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of every time expression in ``text`` (cached per text)."""
    return tuple((t.start, t.end) for t in times_in_text(text, None))


def is_time_expression_span(text: str, start: int, end: int) -> bool:
    """Whether [start, end) of ``text`` overlaps a time expression ("in 1989", "two years").

    For the quantities stage: numbers inside dates, years and durations are not quantities.
    The expressions of a text are found once and cached, so calling this for every number
    of an article costs one pass.
    """
    return time_index(text).any_overlapping(start, end)


@functools.lru_cache(maxsize=8)
def time_index(text: str) -> Intervals:
    """``time_spans`` indexed, so that each question costs a bisection, not a scan."""
    return Intervals(time_spans(text))
