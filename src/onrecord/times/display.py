"""Plain words for a normalized TIMEX3 value: "Wednesday 8 July 2020", "recently".

Readers of the record, the text view and the web pages should never see raw TIMEX codes
such as ``PRESENT_REF`` or ``PXM``; this module is the one place that turns them into words.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_PARTS_OF_DAY = {
    "MO": "morning",
    "AF": "afternoon",
    "EV": "evening",
    "NI": "night",
    "DT": "daytime",
}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "recently", "FUTURE_REF": "in the future"}
_DURATION_UNITS = {
    "Y": "year",
    "M": "month",
    "W": "week",
    "D": "day",
    "DE": "decade",
    "CE": "century",
    "H": "hour",
    "TM": "minute",
    "S": "second",
}
_DATE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(MO|AF|EV|NI|DT|\d{2}:\d{2}(?::\d{2})?))?$"
)


def describe_time(kind: str, value: str) -> str:
    """Plain words for a TIMEX3 ``type`` and ``value``; the value itself when it has none."""
    if value in _REFS:
        return _REFS[value]
    if kind == "DURATION" or (kind == "SET" and value.startswith("P")):
        words = _describe_duration(value)
        return f"every {words.removeprefix('1 ')}" if kind == "SET" else words
    return _describe_date(value) or value


def _describe_date(value: str) -> str | None:
    if match := re.fullmatch(r"(\d{3})X?", value):
        return f"the {match[1]}0s"
    if match := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        return f"{_SEASONS[match[2]]} {match[1]}"
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"Q{match[2]} {match[1]}"
    if match := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        return f"week {int(match[2])} of {match[1]}"
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day, clock = match.groups()
    if month is None:
        words = year
    elif day is None:
        words = f"{_MONTHS[int(month) - 1]} {year}"
    else:
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
        words = f"{date:%A} {date.day} {_MONTHS[date.month - 1]} {year}"
    if clock in _PARTS_OF_DAY:
        words += f", {_PARTS_OF_DAY[clock]}"
    elif clock:
        words += f", {clock}"
    return words


def _describe_duration(value: str) -> str:
    """ "P3Y" -> "3 years"; "PXM" -> "months"; "PT2H" -> "2 hours"."""
    match = re.fullmatch(r"PT?(\d+(?:\.\d+)?|X)(DE|CE|[YMWDHS])", value)
    if not match:
        match = re.fullmatch(r"PT(\d+(?:\.\d+)?|X)(M)", value)
        if not match:
            return value
        amount, unit = match[1], "TM"
    else:
        amount, unit = match[1], match[2]
        if value.startswith("PT") and unit == "M":
            unit = "TM"
    noun = _DURATION_UNITS[unit]
    plural = "centuries" if noun == "century" else f"{noun}s"
    if amount == "X":
        return plural
    number = float(amount)
    shown = f"{int(number)}" if number.is_integer() else amount
    return f"1 {noun}" if number == 1 else f"{shown} {plural}"
