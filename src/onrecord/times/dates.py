"""Normalizers of calendar expressions (dates, months, years, seasons, weekdays, quarters):
one per pattern; each gets the match and the context and returns the TIMEX3 (type, value),
or None to reject the match."""

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
    _unit,
    _year_text,
)
from .rules import (
    DECADE_WORDS,
    MONTH,
    ORDINALS,
    WEEKDAYS,
)

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
        value = v.weekday(c.ref, wanted, c.weekday_direction(m.start(), m.end()))
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
