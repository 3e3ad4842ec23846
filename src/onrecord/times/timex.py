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
from dataclasses import dataclass

from spacy.tokens import Doc

from ..intervals import Intervals
from ..record import Time, TimeType
from . import values as v
from .rules import (
    APPROX,
    DAY_NUMBER,
    DECADE_WORDS,
    MONTH,
    MONTHS,
    NUMBER_WORD,
    ORDINALS,
    PART_OF_DAY,
    QUANTITY,
    SEASON,
    SMALL_NUMBERS,
    SPELLED_YEAR,
    UNIT,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAY,
    WEEKDAYS,
    YEAR4,
)

#: What a normalizer returns: the TIMEX3 type and value, optionally with a later start
#: than the match's (to leave a determiner out of an extent: "the [two-week] crisis").
Found = tuple[TimeType, str] | tuple[TimeType, str, int]


@dataclass(frozen=True)
class _Context:
    text: str
    ref: dt.date | None

    def direction(self, start: int, end: int) -> int:
        """-1 when the clause around [start, end) speaks of the past, +1 of the future.

        News reports the past by default; "will ... Tuesday" or "as early as Tuesday" point
        ahead, unless a past-tense verb governs the expression ("said Tuesday that it
        would ...").
        """
        clause = self._clause_start(start)
        before = self.text[max(clause, start - 50) : start]
        if _STRONG_FUTURE.search(before):
            # "had been due to expire Friday": a plan that was, reported in the past;
            # "Until Thursday, they had described him ...", "it was not until Tuesday"
            after = self.text[end : min(len(self.text), end + 40)]
            if _PAST_PLAN.search(before) or (
                _UNTIL_END.search(before) and _PAST_AFTER_UNTIL.match(after)
            ):
                return -1
            return 1
        words = _WORD.findall(self.text[max(clause, start - 50) : start])[-4:]
        lowered = [w.lower() for w in words[-3:]]
        if any(w in _PRESENT_PLAN_VERBS for w in lowered) and not _DID.intersection(lowered):
            return 1  # "Arafat meet separately Monday": news' present tense for a plan
        if any(
            _is_past_verb(w) and not _after_determiner(words, i)
            for i, w in enumerate(words)
            if i >= len(words) - 3
        ):
            return -1
        window = self.text[max(clause, start - 80) : min(len(self.text), end + 20)]
        return 1 if _WEAK_FUTURE.search(window) else -1

    def plainly_future(self, start: int) -> bool:
        """Whether a strong future cue ("will", "next", "scheduled") precedes ``start``."""
        before = self.text[max(self._clause_start(start), start - 50) : start]
        return bool(_STRONG_FUTURE.search(before)) and not _PAST_PLAN.search(before)

    def _clause_start(self, start: int) -> int:
        floor = max(0, start - 100)  # bounded, so that a long text costs linear time
        return max(floor - 1, *(self.text.rfind(c, floor, start) for c in ".;\n!?")) + 1


_WORD = re.compile(r"[A-Za-z']+")
_STRONG_FUTURE = re.compile(
    r"\b(?:will|shall|wo|as\s+(?:soon|early)\s+as|set\s+to|scheduled|due\s+to|expected\s+to|"
    r"going\s+to|until|till|next)\b|'ll\b",
    re.IGNORECASE,
)
_UNTIL_END = re.compile(r"\b(?:until|till)\s+$", re.IGNORECASE)
#: "Until Thursday, they had ...": the main clause, in the past, a few words on
_PAST_AFTER_UNTIL = re.compile(r"[\s,]+(?:\w+[\s,]+){0,3}(?:had|was|were)\b")
_PAST_PLAN = re.compile(r"\bhad\s+been\s+(?:due|scheduled|set|expected)\b", re.IGNORECASE)
_WEAK_FUTURE = re.compile(
    r"\b(?:would|plans?\s+to|planning|expects?\s+to|upcoming|to\s+(?:be|meet|begin|start|"
    r"vote|visit|announce|hold|release|leave|return|resume))\b",
    re.IGNORECASE,
)
_PAST_VERBS = frozenset(
    "said told met made took gave began went came held was were had left fell rose won "
    "lost got ran saw spoke wrote sent found thought brought bought sold paid put struck "
    "shot hit led flew fled read heard knew became chose drove broke caught".split()
)


_DETERMINERS = frozenset("a an the its their his her this that still".split())


def _after_determiner(words: list[str], i: int) -> bool:
    """Whether words[i] follows a determiner: an adjective ("an unspecified date")."""
    return i > 0 and words[i - 1].lower() in _DETERMINERS


_DID = frozenset(("did", "didn't"))  # "did not meet Monday" is past
_PRESENT_PLAN_VERBS = frozenset(
    "meet meets visits leaves begins opens arrives returns travels heads resumes".split()
)


def _is_past_verb(word: str) -> bool:
    if word[0].isupper() and word.lower() not in _PAST_VERBS:
        return False  # a name ending in -ed ("the United States", "Ted") is no verb
    lower = word.lower()
    return lower in _PAST_VERBS or (lower.endswith("ed") and len(lower) > 4)


_EDGE = (
    r"(?:early|late|mid|earlier|later|sometime|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
    r"the\s+middle\s+of|the\s+rest\s+of|the\s+close\s+of|the\s+turn\s+of|end\s+of)"
)


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _number(words: str) -> float | None:
    """The value of a number written in digits or words; None for vague ones ("several")."""
    text = " ".join(words.lower().replace("-", " ").split())
    if text in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    fraction = re.fullmatch(r"(\d+) (\d)/(\d)", text)
    if fraction:
        whole, num, den = (int(g) for g in fraction.groups())
        return whole + num / den
    if text.endswith(" and a half"):
        base = _number(text[: -len(" and a half")])
        return None if base is None else base + 0.5
    if text in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[text])
    parts = text.split()
    if len(parts) == 2 and all(p in SMALL_NUMBERS for p in parts):
        return float(SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]])
    return None


def _amount(number: float | None) -> str:
    if number is None:
        return "X"
    return str(int(number)) if number == int(number) else f"{number:g}"


def _duration(number: float | None, unit: str) -> str:
    """ISO 8601 duration: P3Y, PT2H, PXM (vague), decades and centuries in years."""
    unit = unit.lower()
    if unit == "decade":
        return "PXY" if number is None else f"P{_amount(number * 10)}Y"
    if unit == "century":
        return "PXC" if number is None else f"P{_amount(number * 100)}Y"
    if unit == "weekend":
        return "P2D" if number in (None, 1) else f"P{_amount(2 * (number or 0))}D"
    if unit == "quarter":
        return "PXQ" if number is None else f"P{_amount(number * 3)}M"
    prefix = "PT" if unit in ("second", "minute", "hour") else "P"
    if number is not None and number != int(number) and unit in _SMALLER:
        smaller, factor = _SMALLER[unit]  # "2 1/2 years": P2Y6M, as TimeBank writes it
        rest = (number - int(number)) * factor
        if rest == int(rest):
            whole = f"{int(number)}{UNITS[unit]}" if int(number) else ""
            if unit == "day":
                return f"P{whole}T{int(rest)}H"
            return f"{prefix}{whole}{int(rest)}{smaller}"
    return f"{prefix}{_amount(number)}{UNITS[unit]}"


_SMALLER = {"year": ("M", 12), "day": ("H", 24), "hour": ("M", 60), "minute": ("S", 60)}


def _unit(word: str) -> str:
    unit = word.lower().rstrip("s")
    return "century" if unit in ("centurie", "centurys") else unit


# ---------------------------------------------------------------------------------------
# Normalizers: one per pattern; each gets the match and the context, and returns the
# TIMEX3 (type, value), or None to reject the match.


def _full_date(m: re.Match[str], c: _Context) -> Found | None:
    if not _cap(m["mon"]):
        return None
    month_number, day_number = _month_number(m["mon"]), int(re.sub(r"\D", "", m["day"]))
    if m["year"]:
        return "DATE", f"{int(m['year']):04d}-{month_number:02d}-{day_number:02d}"
    if _EFFECTIVE_BEFORE.search(c.text, max(0, m.start() - 12), m.start()):
        # "a new labor pact effective June 1": a change that starts now or soon
        return "DATE", v.date_near(c.ref, month_number, day_number, 1, slack_months=1)
    direction = c.direction(m.start(), m.end())
    return "DATE", v.date_near(c.ref, month_number, day_number, direction)


_EFFECTIVE_BEFORE = re.compile(r"\beffective\s+$", re.IGNORECASE)


def _month_year(m: re.Match[str], c: _Context) -> Found | None:
    if not _cap(m["mon"]):
        return None
    year_text = _year_text(" ".join(m["year"].lower().split()))
    return "DATE", f"{year_text}-{_month_number(m['mon']):02d}"


def _numeric_date(m: re.Match[str], c: _Context) -> Found | None:
    if m["iso"]:
        return "DATE", m["iso"]
    month_number, day_number, year_text = int(m["m"]), int(m["d"]), m["y"]
    if not (1 <= month_number <= 12 and 1 <= day_number <= 31):
        return None
    year_number = int(year_text) if len(year_text) == 4 else 1900 + int(year_text)
    if len(year_text) == 2 and year_number < 1940:
        year_number += 100
    return "DATE", f"{year_number:04d}-{month_number:02d}-{day_number:02d}"


_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|[-\s]?(?:shares|people|troops|employees|jobs|workers|tons|"
    r"barrels|acres|miles|feet|meters|kilometers|units|cars|homes|members|points|"
    r"votes|dollars|pounds|yen|marks|francs|hours|men|women|soldiers|deaths|cases|"
    r"copies|pages|words|stores|seats|Calif|Ave|Street|model|series)\b|,\d|\.\d|-\d)",
    re.IGNORECASE,
)


def _year(m: re.Match[str], c: _Context) -> Found | None:
    before = c.text[max(0, m.start() - 2) : m.start()]
    if re.search(r"[$#.,/\d]$|No\.\s*$", before):
        return None
    if _NOT_A_YEAR_AFTER.match(c.text, m.end()):
        return None
    if m["fiscal"]:
        return "DATE", f"FY{m['year']}"
    return "DATE", m["year"]


def _decade(m: re.Match[str], c: _Context) -> Found | None:
    if m["word"]:
        tens = DECADE_WORDS[m["word"].lower()]
        century = c.ref.year // 100 if c.ref else 19
        if c.ref and tens * 10 > c.ref.year % 100:
            century -= 1
        return "DATE", f"{century}{tens}"
    if m["century"]:
        return "DATE", f"{m['century']}{m['tens']}"
    tens = int(m["tens2"])
    century = 19 if c.ref is None or tens * 10 > c.ref.year % 100 else c.ref.year // 100
    return "DATE", f"{century}{tens}"


def _century(m: re.Match[str], c: _Context) -> Found | None:
    if m["ordinal"]:
        return "DATE", f"{int(m['ordinal']) - 1:02d}"
    delta = {"this": 0, "last": -1, "past": -1, "next": 1}[m["rel"].lower().split()[-1]]
    return "DATE", v.century(c.ref, delta)


_DEADLINE_BEFORE = re.compile(r"\bby\s+$")


def _month_relative(m: re.Match[str], c: _Context) -> Found | None:
    mon = m["mon"]
    if not _cap(mon) or (
        len(mon) <= 4
        and mon.lower() not in ("may", "june", "july", "sept.")
        and not mon.endswith(".")
    ):
        return None  # "Jan Kavan"
    rel = (m["rel"] or "").lower().split()
    if mon.lower() in ("may", "march") and not (m["rel"] or m["mod"] or m["ry"]):
        before = c.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(
            r"\b(?:in|since|until|till|by|from|through|during|of|before|after)\s+$", before
        ):
            return None
    wanted = _month_number(mon)
    if m["ry"]:
        delta = {"last": -1, "this": 0, "next": 1}[m["ry"].lower()]
        return "DATE", f"{v.year(c.ref, delta)}-{wanted:02d}"
    if rel and rel[-1] in ("last", "past"):
        if c.ref and wanted == c.ref.month:
            return "DATE", f"{c.ref.year - 1:04d}-{wanted:02d}"
        return "DATE", v.month_near(c.ref, wanted, -1)
    if rel and rel[-1] in ("next", "coming"):
        if c.ref and wanted == c.ref.month:
            return "DATE", f"{c.ref.year + 1:04d}-{wanted:02d}"
        return "DATE", v.month_near(c.ref, wanted, 1)
    if rel and rel[-1] == "this":
        return "DATE", f"{v.year(c.ref)}-{wanted:02d}"
    if _DEADLINE_BEFORE.search(c.text, max(0, m.start() - 4), m.start()):
        direction = 1  # "pay the loan down by February": a deadline lies ahead
    else:
        direction = c.direction(m.start(), m.end())
    return "DATE", v.month_near(c.ref, wanted, direction, v.MONTH_NAME_SLACK)


def _season(m: re.Match[str], c: _Context) -> Found | None:
    code = v.SEASONS[m["season"].lower()]
    if m["year"]:
        return "DATE", f"{_year_text(' '.join(m['year'].lower().split()))}-{code}"
    rel = (m["rel"] or "").lower().split()
    if not rel and m["season"].lower() in ("fall", "spring"):
        return None
    if rel and rel[-1] in ("last", "past"):
        return "DATE", v.season_near(c.ref, code, -1)
    if rel and rel[-1] in ("next", "coming"):
        return "DATE", v.season_near(c.ref, code, 1)
    if rel and rel[-1] == "this":
        return "DATE", f"{v.year(c.ref)}-{code}"
    direction = c.direction(m.start(), m.end())
    return "DATE", v.season_near(c.ref, code, direction if direction > 0 else 0)


def _weekday(m: re.Match[str], c: _Context) -> Found | None:
    if not _cap(m["wd"]):
        return None
    wanted = WEEKDAYS[m["wd"].lower()]
    if m["plural"]:
        return "SET", f"XXXX-WXX-{wanted + 1}"
    rel = (m["rel"] or "").lower().split()
    if rel and rel[-1] in ("last", "past", "previous"):
        value = v.weekday(c.ref - dt.timedelta(days=1) if c.ref else None, wanted, -1)
    elif rel and rel[-1] in ("next", "coming", "following"):
        value = v.weekday(c.ref + dt.timedelta(days=1) if c.ref else None, wanted, 1)
    elif rel and rel[-1] == "this":
        value = v.weekday(c.ref, wanted, 0)
    elif c.text.startswith("'s", m.end()):
        # "Wednesday's ruling": a possessive weekday names what happened, unless the
        # clause plainly looks ahead ("will react to Friday's report")
        value = v.weekday(c.ref, wanted, 1 if c.plainly_future(m.start()) else -1)
    else:
        value = v.weekday(c.ref, wanted, c.direction(m.start(), m.end()))
    part = m["pod"] or m["pod1"]
    if part:
        part = part.lower()
        if part in ("noon", "midday"):
            return "TIME", f"{value}T12:00"
        if part == "midnight":
            return "TIME", f"{value}T24:00"
        return "DATE", f"{value}T{v.PARTS_OF_DAY[part]}"
    return "DATE", value


_REL_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


_GENERIC_AFTER_TODAYS = re.compile(
    r"'s\s+(?:youth|young|world|society|generation|children|kids|teenagers|students|"
    r"families|parents|people|personal|standards|culture|technology|economy|market)\b",
    re.IGNORECASE,
)


_MID = re.compile(r"^mid-?\s?", re.IGNORECASE)  # "mid-afternoon" -> "afternoon"


def _relative_day(m: re.Match[str], c: _Context) -> Found | None:
    word = m["word"].lower()
    if word in ("today", "tomorrow") and _GENERIC_AFTER_TODAYS.match(c.text, m.end()):
        return None  # "today's youth", "tomorrow's world": the present age, not a day
    value = v.day(c.ref, _REL_DAYS[word])
    part = (m["pod"] or _MID.sub("", m["mid"] or "")).lower()
    if word == "tonight":
        return "TIME", f"{value}TNI"
    if part:
        return "TIME", f"{value}T{v.PARTS_OF_DAY[part]}"
    return "DATE", value


def _mid_part_of_day(m: re.Match[str], c: _Context) -> Found | None:
    """'by mid afternoon': a part of the publication day."""
    return "TIME", f"{v.day(c.ref, 0)}T{v.PARTS_OF_DAY[m['pod'].lower()]}"


def _long_adjective(m: re.Match[str], c: _Context) -> Found | None:
    """'a day-long meeting', 'the decades-long battle': the duration the adjective names."""
    unit = _unit(m["unit"])
    return "DURATION", _duration(None if m["plural"] else 1, unit)


def _day_before(m: re.Match[str], c: _Context) -> Found | None:
    delta = -2 if m["word"].lower() == "yesterday" else 2
    return "DATE", v.day(c.ref, delta)


def _part_of_day(m: re.Match[str], c: _Context) -> Found | None:
    rel, part = m["rel"].lower(), m["pod"].lower()
    delta = -1 if rel == "last" and part in ("night", "evening") else 0
    if rel in ("last", "yesterday"):
        delta = -1
    if rel == "tomorrow":
        delta = 1
    return "TIME", f"{v.day(c.ref, delta)}T{v.PARTS_OF_DAY[part]}"


_DELTAS = {
    "this": 0,
    "current": 0,
    "present": 0,
    "last": -1,
    "past": -1,
    "previous": -1,
    "prior": -1,
    "next": 1,
    "coming": 1,
    "following": 1,
}


def _relative_unit(m: re.Match[str], c: _Context) -> Found | None:
    rel = m["rel"].lower().split()[-1]
    unit = m["unit"].lower()
    if m["fiscal"] and unit == "year":
        if rel == "the":
            return "DURATION", "P1Y"
        return "DATE", f"FY{v.year(c.ref, _DELTAS.get(rel, 0))}"
    if unit == "period":
        if rel in ("latest", "the", "same"):
            return "DATE", v.quarter(c.ref, -1)
        return None
    if rel == "latest":
        delta = -1 if unit in ("quarter", "week", "month") else 0
    elif rel == "the":
        return _the_unit(unit, c, m)
    elif rel == "full":
        return ("DATE", v.year(c.ref)) if unit == "year" else None
    else:
        delta = _DELTAS.get(rel, 0)
    value = v.shift_unit(c.ref, "week" if unit == "weekend" else unit, delta)
    if unit == "weekend":
        value += "-WE"
    return "DATE", value


_QUARTER_ENDED = re.compile(rf"\s+(?P<verb>ended|ending)\s+(?P<mon>{MONTH})", re.IGNORECASE)


def _quarter_ended(end_month: int, ref: dt.date, ending: bool) -> str:
    """'the quarter ended July 31': the calendar quarter holding most of the three months
    that end then (May-July: Q2), in the year of the last such month before ``ref`` (for
    'ending Dec. 31', of the next one, unless it has just passed)."""
    middle = (end_month - 2) % 12 + 1
    if ending:
        end = v.month_near(ref, end_month, 1, v.MONTH_NAME_SLACK)
    else:
        end = v.month_near(ref, end_month, -1)
    year = int(end[:4]) - (middle > end_month)
    return f"{year:04d}-Q{(middle - 1) // 3 + 1}"


def _the_unit(unit: str, c: _Context, m: re.Match[str]) -> Found | None:
    """'the year', 'the quarter', 'the week': the current or the last complete unit."""
    if unit == "quarter":
        ended = _QUARTER_ENDED.match(c.text, m.end())
        if ended and c.ref:
            ahead = ended["verb"].lower() == "ending"
            return "DATE", _quarter_ended(_month_number(ended["mon"]), c.ref, ahead)
        return "DATE", v.quarter(c.ref, -1)
    if unit == "year":
        if re.match(r"\s+(?:ended|ending|through)\b", c.text[m.end() : m.end() + 12]):
            return "DURATION", "P1Y"  # "the year ended Sept. 30": a fiscal year, as a span
        return "DATE", v.year(c.ref)
    if unit == "weekend":
        direction = c.direction(m.start(), m.end())
        if c.ref is None:
            return "DATE", "XXXX-WXX-WE"
        return "DATE", v.week(c.ref, 0 if direction > 0 or c.ref.weekday() >= 5 else -1) + "-WE"
    if unit == "month":
        return "DATE", v.month(c.ref)
    if unit == "week":
        return "DATE", v.week(c.ref)
    return None


def _year_earlier(m: re.Match[str], c: _Context) -> Found | None:
    """'a year ago', 'the year-earlier quarter': the same period, one year back."""
    what = (m["what"] or m["what2"] or "").lower()
    year_given = re.search(r"(?:19|20)\d\d", m[0])
    if year_given:  # "the 1988 quarter": the quarter being reported, in that year
        last_quarter = v.quarter(c.ref, -1)[-1]
        return "DATE", f"{year_given[0]}-Q{last_quarter}"
    if "quarter" in what or "period" in what or _quarter_context(c, m.start()):
        named = _last_named_quarter(c, m.start())
        if named and c.ref:
            return "DATE", f"{_quarter_year(named, c.ref) - 1:04d}-Q{named}"
        return "DATE", v.quarter(c.ref, -5)
    if "month" in what:
        return "DURATION", "P9M" if "nine" in what else "PXM"
    return "DATE", v.year(c.ref, -1)


def _quarter_context(c: _Context, start: int) -> bool:
    """Whether the text around speaks of quarterly results (so "a year ago" is a quarter)."""
    window = c.text[max(0, start - 600) : start + 150]
    return bool(re.search(r"quarter", window, re.IGNORECASE))


_NAMED_QUARTER = re.compile(r"\b(first|second|third|fourth)[\s-]+quarter", re.IGNORECASE)


def _last_named_quarter(c: _Context, start: int) -> int | None:
    """The quarter ("third-quarter") last named before ``start``, within the paragraph."""
    found = list(_NAMED_QUARTER.finditer(c.text, max(0, start - 600), start + 80))
    return ORDINALS[found[-1][1].lower()] if found else None


def _quarter_year(number: int, ref: dt.date) -> int:
    """The year of "the third quarter" said on ``ref``: this year's, unless it lies more
    than a quarter ahead (then last year's results are meant)."""
    return ref.year if number <= v.quarter_of(ref) + 1 else ref.year - 1


_OF = re.compile(r"\s+of\b")


def _quarter(m: re.Match[str], c: _Context) -> Found | None:
    number = ORDINALS[m["ord"].lower()]
    fiscal = ""  # TimeBank writes fiscal quarters as calendar ones ("1989-Q1")
    half = m["part"].lower() == "half"
    if m["ord"].lower() == "last" and not half:
        return None  # "last quarter" is the previous quarter (the relative-unit pattern)
    if half and not (m["yof"] or m["yq"] or m["the"]):
        return None
    if half and not (m["yof"] or m["rof"]) and _OF.match(c.text, m.end()):
        return None  # "the last half of the '80s": the half of something else
    label = f"H{min(number, 2)}" if half else f"Q{number}"
    if m["yof"] or m["yq"]:
        return "DATE", f"{fiscal}{m['yof'] or m['yq']}-{label}"
    owner = (m["rof"] or m["owner"] or "").lower()
    if owner.startswith("last"):
        return "DATE", f"{fiscal}{v.year(c.ref, -1)}-{label}"
    if owner.startswith("next"):
        return "DATE", f"{fiscal}{v.year(c.ref, 1)}-{label}"
    if owner.startswith("this"):
        return "DATE", f"{fiscal}{v.year(c.ref)}-{label}"
    if c.ref is None:
        return "DATE", f"{fiscal}XXXX-{label}"
    if half:
        y = c.ref.year if number <= (c.ref.month - 1) // 6 + 1 else c.ref.year - 1
    else:
        y = _quarter_year(number, c.ref)
    return "DATE", f"{fiscal}{y:04d}-{label}"


def _quantity_of_time(m: re.Match[str], c: _Context) -> Found | None:
    unit = _unit(m["unit"])
    after = c.text[m.end() : m.end() + 5]
    if re.match(r"[\s-]old\b", after, re.IGNORECASE):
        return None
    quantity = m["num"]
    number = _number(quantity)
    if number is not None and m["half"]:
        number += 0.5
    if number is not None and number >= 1000 and unit not in ("year", "second"):
        return None
    if unit == "quarter" and re.match(r"\s+of\b", after):
        return None  # "three-quarters of the shares"
    if re.fullmatch(r"an?", quantity, re.IGNORECASE) and not m["ago"] and not m["rel"]:
        before = c.text[max(0, m.start() - 25) : m.start()]
        if re.search(r"(?:\d|million|billion|cents)\s*$", before):
            return None  # a rate ("$500 million a year"), which TimeBank leaves out
        if re.search(r"(?:times|once|twice|per)\s*$", before):
            return "SET", _duration(1, unit)
        if unit == "second":
            return None  # "a second time"
    if m["ago"]:
        direction = -1 if m["ago"].lower() in ("ago", "earlier", "before") else 1
        if unit in ("hour", "minute", "second"):
            return "DATE", v.day(c.ref)
        if number is None:
            return "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF"
        steps = int(number) * direction
        if unit == "decade":
            unit, steps = "year", steps * 10
        if unit == "century":
            unit, steps = "year", steps * 100
        return "DATE", v.shift_unit(c.ref, unit, steps)
    if m["rel"] and m["rel"].lower().startswith("recent"):
        return "DURATION", _duration(None, unit)
    hyphenated = c.text[m.end("num") : m.start("unit")].startswith("-") or (
        number is not None and number > 1 and not m[0].lower().endswith("s")
    )
    if hyphenated and m["rel"] and m["rel"].lower() in ("the", "its"):
        return "DURATION", _duration(number, unit), m.start("num")  # "the [two-week] crisis"
    return "DURATION", _duration(number, unit)


def _vague_plural(m: re.Match[str], c: _Context) -> Found | None:
    unit = _unit(m["unit"])
    rel = (m["rel"] or "").lower().split()
    if rel and rel[-1] in ("coming", "next"):
        return "DATE", "FUTURE_REF"
    if not rel:
        before = c.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:for|within|over)\s+$", before):
            return None
    return "DURATION", _duration(None, unit)


def _units_ahead(m: re.Match[str], c: _Context) -> Found | None:
    """'the weeks ahead': a vague stretch of time, as TimeBank marks it (PXW)."""
    return "DURATION", _duration(None, _unit(m["unit"]))


_SET_WORDS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "yearly": "P1Y",
    "hourly": "PT1H",
}


def _set_word(m: re.Match[str], c: _Context) -> Found | None:
    if re.search(r"\baverage\s+$", c.text[max(0, m.start() - 10) : m.start()], re.IGNORECASE):
        return None  # "average daily volume"
    return "SET", _SET_WORDS[m["word"].lower()]


def _every(m: re.Match[str], c: _Context) -> Found | None:
    what = m["what"].lower()
    if what in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[what] + 1}"
    if what.rstrip(".") in MONTHS:
        return "SET", f"XXXX-{_month_number(what):02d}"
    if what in ("morning", "afternoon", "evening", "night"):
        return "SET", f"TXX{v.PARTS_OF_DAY[what]}"
    return "SET", _duration(2 if m["other"] else 1, what)


_REFS = {
    "now": "PRESENT_REF",
    "right now": "PRESENT_REF",
    "just now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "current": "PRESENT_REF",
    "recent": "PAST_REF",
    "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "the present": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "recently": "PAST_REF",
    "more recently": "PAST_REF",
    "most recently": "PAST_REF",
    "until recently": "PAST_REF",
    "the past": "PAST_REF",
    "lately": "PAST_REF",
    "the future": "FUTURE_REF",
    "the near future": "FUTURE_REF",
    "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF",
    "the long term": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF",
    "soon": "FUTURE_REF",
}


_NOT_A_TIME_AFTER_CURRENT = (
    r"\s+(?:account|accounts|affairs|events|assets|liabilities|dollars|yield|rate|"
    r"rates|coupon|issue|contract|contracts|year|quarter|month|week|fiscal|period)\b"
)


def _reference(m: re.Match[str], c: _Context) -> Found | None:
    word = " ".join(m["word"].lower().split())
    after = c.text[m.end() : m.end() + 20]
    if word == "current" and re.match(_NOT_A_TIME_AFTER_CURRENT, after, re.IGNORECASE):
        return None  # "current account"; "current year" is the relative-unit pattern's
    if word == "soon" and not _is_future_soon(c.text, m.start(), m.end()):
        return None  # "was soon released", "soon after", "as soon as Tuesday"
    return "DATE", _REFS[word]


_BEFORE_FUTURE_SOON = re.compile(r"\b(?:will|may|might|could|should|to|enough)\s+$")
_AFTER_FUTURE_SOON = re.compile(r"\s+will\b")
_NOT_FUTURE_AFTER_SOON = re.compile(r"\s+(?:after|afterwards?|as|enough)\b")


def _is_future_soon(text: str, start: int, end: int) -> bool:
    """'may soon seek', 'to soon grow', 'soon will begin': the future TimeBank marks."""
    if _NOT_FUTURE_AFTER_SOON.match(text, end):
        return False
    before = text[max(0, start - 12) : start]
    return bool(_BEFORE_FUTURE_SOON.search(before) or _AFTER_FUTURE_SOON.match(text, end))


def _clock_time(m: re.Match[str], c: _Context) -> Found | None:
    hour = int(m["h"])
    minute = int(m["min"] or 0)
    marker = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if marker == "pm" and hour < 12:
        hour += 12
    if marker == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return "TIME", f"{_day_of(m, c)}T{hour:02d}:{minute:02d}"


def _clock_in_part_of_day(m: re.Match[str], c: _Context) -> Found | None:
    """'4 in the morning', '9 in the evening': an hour whose half of the day is spelled out."""
    hour = int(m["h"])
    if hour > 12:
        return None
    part = m["part"].lower()
    if part in ("afternoon", "evening") and hour < 12:
        hour += 12
    # a morning hour still ahead ("will leave at 4 in the morning") is the next morning's:
    # news is written by day
    ahead = part == "morning" and c.direction(m.start(), m.end()) > 0
    return "TIME", f"{v.day(c.ref, 1 if ahead else 0)}T{hour:02d}:{int(m['min'] or 0):02d}"


def _noon(m: re.Match[str], c: _Context) -> Found | None:
    clock = "12:00" if m["word"].lower() == "noon" else "24:00"
    return "TIME", f"{_day_of(m, c)}T{clock}"


def _day_of(m: re.Match[str], c: _Context) -> str:
    """The day a clock time names ("9 a.m. Tuesday"), or the publication day."""
    phrase = m["dayref"] or m.groupdict().get("onday")  # "3 p.m. [on Tuesday]"
    if not phrase:
        return v.day(c.ref)
    word = phrase.lower()
    if word in _REL_DAYS:
        return v.day(c.ref, _REL_DAYS[word])
    direction = c.direction(m.start(), m.end())
    if word in WEEKDAYS:
        return v.weekday(c.ref, WEEKDAYS[word], direction)
    parts = phrase.split()
    day_number = int(re.sub(r"\D", "", parts[-1]))
    return v.date_near(c.ref, _month_number(parts[0]), day_number, direction)


def _year_text(text: str) -> str:
    """Four digits for a year written in digits or words ("nineteen ninety-four")."""
    if text[:1].isdigit():
        return text
    head, _, tail = text.partition(" ")
    return f"{int(_number(head) or 19) * 100 + int(_number(tail) or 0):04d}"


def _spelled_year(m: re.Match[str], c: _Context) -> Found | None:
    if m["head"] is None:
        rest = _number(m["rest"]) if m["rest"] else 0
        return "DATE", f"{2000 + int(rest or 0):04d}"
    tens = _number(m["tail"])
    if tens is None:
        return None
    return "DATE", f"{int(_number(m['head']) or 19) * 100 + int(tens):04d}"


def _holiday(m: re.Match[str], c: _Context) -> Found | None:
    if not _cap(m["name"]):
        return None
    name = " ".join(m["name"].lower().split())
    name = (
        re.sub(r"\s+(?:day|sunday)$", "", name)
        if name in ("thanksgiving day", "christmas day", "easter sunday")
        else name
    )
    rel = (m["rel"] or "").lower()
    given = int(m["year"]) if m["year"] else None
    if rel == "last" and c.ref:
        return "DATE", v.holiday(c.ref - dt.timedelta(days=1), name, given, -1)
    if rel == "next" and c.ref:
        return "DATE", v.holiday(c.ref + dt.timedelta(days=1), name, given, 1)
    return "DATE", v.holiday(c.ref, name, given, c.direction(m.start(), m.end()))


def _year_end(m: re.Match[str], c: _Context) -> Found | None:
    return "DATE", f"{v.year(c.ref)}-12-31" if c.ref else "XXXX-12-31"


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
