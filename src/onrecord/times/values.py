"""TIMEX3 values: calendar arithmetic against a reference date that may be missing.

Every function takes the reference (the publication date) or ``None`` and returns a
TIMEX3 ``value`` string; without a reference, the unknown digits are written as ``X``
("XXXX-06", "XXXX-XX-XX"), as TimeML does.
"""

from __future__ import annotations

import datetime as dt

Ref = dt.date | None

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
    "midday": "MI",
    "noon": "MI",
    "mid-afternoon": "AF",
}


def year(ref: Ref, delta: int = 0) -> str:
    return "XXXX" if ref is None else f"{ref.year + delta:04d}"


def month(ref: Ref, delta: int = 0) -> str:
    if ref is None:
        return "XXXX-XX"
    index = ref.year * 12 + ref.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def day(ref: Ref, delta: int = 0) -> str:
    if ref is None:
        return "XXXX-XX-XX"
    return (ref + dt.timedelta(days=delta)).isoformat()


def week(ref: Ref, delta: int = 0) -> str:
    if ref is None:
        return "XXXX-WXX"
    iso = (ref + dt.timedelta(weeks=delta)).isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def quarter_of(date: dt.date) -> int:
    return (date.month - 1) // 3 + 1


def quarter(ref: Ref, delta: int = 0) -> str:
    if ref is None:
        return "XXXX-QX"
    index = ref.year * 4 + quarter_of(ref) - 1 + delta
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def decade(ref: Ref, delta: int = 0) -> str:
    return "XXX" if ref is None else f"{ref.year // 10 + delta:03d}"


def century(ref: Ref, delta: int = 0) -> str:
    return "XX" if ref is None else f"{ref.year // 100 + delta:02d}"


def shift_unit(ref: Ref, unit: str, delta: int) -> str:
    """The calendar unit ``delta`` units away from the reference ("two weeks ago": -2)."""
    if unit == "day":
        return day(ref, delta)
    if unit == "week":
        return week(ref, delta)
    if unit == "month":
        return month(ref, delta)
    if unit == "quarter":
        return quarter(ref, delta)
    if unit == "decade":
        return decade(ref, delta)
    if unit == "century":
        return century(ref, delta)
    return year(ref, delta)


def weekday(ref: Ref, wanted: int, direction: int) -> str:
    """The date of weekday ``wanted`` (Monday 0) nearest the reference.

    ``direction`` -1 looks back (the reference day included), +1 ahead, 0 either way
    (within three days). Without a reference: "XXXX-WXX-3" for a Wednesday.
    """
    if ref is None:
        return f"XXXX-WXX-{wanted + 1}"
    diff = wanted - ref.weekday()
    if direction < 0 and diff > 0:
        diff -= 7
    elif direction > 0 and diff < 0:
        diff += 7
    elif direction == 0 and diff > 3:
        diff -= 7
    elif direction == 0 and diff < -3:
        diff += 7
    return day(ref, diff)


def month_near(ref: Ref, wanted: int, direction: int, slack: int = 0) -> str:
    """YYYY-MM of month ``wanted`` (1-12) nearest the reference in ``direction``, or up to
    ``slack`` months the other side of it."""
    if ref is None:
        return f"XXXX-{wanted:02d}"
    y = ref.year
    if direction < 0 and wanted > ref.month + slack:
        y -= 1
    elif direction > 0 and wanted < ref.month - slack:
        y += 1
    return f"{y:04d}-{wanted:02d}"


#: How far (months) a date ("Oct. 23") or a month name ("January") without a year may lie
#: on the other side of the publication date from the tense of its clause; news often
#: names a date just ahead in a past-tense clause ("agreed to pay by January").
#: Chosen on our tuning part of TBAQ.
MONTHS_SLACK = 5
MONTH_NAME_SLACK = 2


def date_near(
    ref: Ref, month_number: int, day_number: int, direction: int = 0, slack_months: int = -1
) -> str:
    """A month and day without a year: the year that puts it nearest the reference, on
    the side ``direction`` points to (-1 past, +1 future, 0 either), with ``slack_months``
    (by default MONTHS_SLACK) allowed for dates the other side of the reference ("Oct. 31"
    on Oct. 27)."""
    if ref is None:
        return f"XXXX-{month_number:02d}-{day_number:02d}"
    slack = dt.timedelta(days=(MONTHS_SLACK if slack_months < 0 else slack_months) * 30)
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = dt.date(y, month_number, day_number)
        except ValueError:
            continue
        if direction < 0 and candidate > ref + slack or direction > 0 and candidate < ref - slack:
            continue
        if best is None or abs(candidate - ref) < abs(best - ref):
            best = candidate
    if best is None:
        return f"{ref.year:04d}-{month_number:02d}-{day_number:02d}"
    return best.isoformat()


def season_near(ref: Ref, code: str, delta: int) -> str:
    """YYYY-SU style: ``delta`` -1 last, 0 this, +1 next (relative to the reference)."""
    if ref is None:
        return f"XXXX-{code}"
    order = ["WI", "SP", "SU", "FA"]
    current = order[(ref.month % 12) // 3]
    y = ref.year
    if delta < 0 and order.index(code) >= order.index(current):
        y -= 1
    elif delta > 0 and order.index(code) <= order.index(current):
        y += 1
    return f"{y:04d}-{code}"


def _nth_weekday(y: int, month_number: int, wanted: int, n: int) -> dt.date:
    """The n-th (1-based; -1 the last) weekday ``wanted`` (Monday 0) of a month."""
    if n > 0:
        first = dt.date(y, month_number, 1)
        return first + dt.timedelta(days=(wanted - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(y + month_number // 12, month_number % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - wanted) % 7)


def _easter(y: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month_number = (h + l_ - 7 * m + 114) // 31
    return dt.date(y, month_number, (h + l_ - 7 * m + 114) % 31 + 1)


HOLIDAYS = {
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "christmas": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "independence day": lambda y: dt.date(y, 7, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "veterans day": lambda y: dt.date(y, 11, 11),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter": _easter,
    "halloween": lambda y: dt.date(y, 10, 31),
}


def holiday(ref: Ref, name: str, given_year: int | None, direction: int) -> str:
    """The date of a holiday: in ``given_year``, or the occurrence nearest the reference
    looking back (``direction`` -1, the reference day included) or ahead (+1)."""
    rule = HOLIDAYS[name]
    if given_year is not None:
        return rule(given_year).isoformat()
    if ref is None:
        one, other = rule(2001), rule(2002)  # keep what does not move from year to year
        if one == other.replace(year=2001):
            return f"XXXX-{one.month:02d}-{one.day:02d}"
        return f"XXXX-{one.month:02d}-XX" if one.month == other.month else "XXXX-XX-XX"
    this_year = rule(ref.year)
    if direction < 0:
        return (this_year if this_year <= ref else rule(ref.year - 1)).isoformat()
    return (this_year if this_year >= ref else rule(ref.year + 1)).isoformat()
