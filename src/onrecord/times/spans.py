"""Normalizers of amounts of time, sets, references ("now", "recently"), clock times and
holidays: one per pattern, like those of ``dates``."""

from __future__ import annotations

import datetime as dt
import re

from . import values as v
from .context import (
    Found,
    _cap,
    _Context,
    _duration,
    _month_number,
    _number,
    _unit,
)
from .dates import (
    _REL_DAYS,
)
from .rules import (
    MONTHS,
    WEEKDAYS,
)


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
