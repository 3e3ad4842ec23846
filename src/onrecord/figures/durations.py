"""Amounts of time as figures: "three years in prison", "90 minutes", "a 43-year-old".

The rule (docs/quantities.md, "Durations and ages"): an amount of time stays what the
times stage makes of it, a TIMEX3. When that TIMEX3 is a DURATION and its words state an
amount ("three years", "two to three years", "a four-year term"), the amount is also a
quantity of kind ``duration``, whose ``time_id`` names the TIMEX3. A number of years inside
a DATE ("two years ago") or a SET ("every three months") is no quantity: it places or
repeats an event, it does not measure anything. Ages ("a 43-year-old", "52 years old",
"Slepian, 52,") are duration quantities too, linked when the times stage marked the words
and otherwise not: TimeML marks no ages, so ``time_id`` is mostly null for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..record import Quantity, Time
from .found import Found
from .patterns import AGE_AFTER, AGE_BEFORE

#: The unit a duration's last word names; words not here ("innings", weekdays) are no
#: units of time for a figure.
_UNITS = {
    "year": "year",
    "month": "month",
    "week": "week",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
    "decade": "decade",
    "century": "century",
    "centurie": "century",
    "night": "night",
    "weekend": "weekend",
    "semester": "semester",
}
_AGE_WORD_BEFORE = re.compile(
    r"\b(?:aged|(?:at\s+)?age|(?:between\s+)?(?:the\s+)?ages(?:\s+of)?)\s+$", re.IGNORECASE
)
_EVERY_BEFORE = re.compile(r"\bevery\s+$", re.IGNORECASE)
_AGE_AFTER_UNIT = re.compile(r"(?:\s*-\s*|\s+)old\b", re.IGNORECASE)


def read_duration(text: str, q: Found, match: re.Match[str]) -> bool:
    """Make ``q`` the amount of time ``match`` (DURATION_AFTER) ends; False when the word
    after the number is no unit of time a figure can have."""
    if q.is_fraction:
        return False  # "two-thirds of a year": the times stage's alone
    last = re.findall(r"[a-z]+", match.group(0).lower())[-1]
    unit = _UNITS.get(last.removesuffix("s"))
    if unit is None:
        return False
    if re.search(r"\bhalf\b", match.group(0), re.IGNORECASE):
        q.value += 0.5  # "two and a half years"
    q.kind, q.unit, q.end = "duration", unit, match.end()
    age = _AGE_AFTER_UNIT.match(text, q.end)
    if age:
        q.is_age, q.end = True, age.end()
    return True


def read_apposed_age(text: str, q: Found) -> bool:
    """ "Slepian, 52, was shot": a bare number set off by commas after a name is an age; so
    is one after "age", "aged" or "ages of"."""
    if not (q.kind == "count" and q.is_plain_integer and not q.scaled and q.value < 120):
        return False
    if _AGE_WORD_BEFORE.search(text, max(0, q.start - 25), q.start):
        q.kind, q.unit, q.is_age = "duration", "year", True  # "at age 16", "ages of 17"
        return True
    if not AGE_BEFORE.search(text, max(0, q.start - 30), q.start):
        return False
    if AGE_AFTER.match(text, q.end) is None:
        return False
    q.kind, q.unit, q.is_age = "duration", "year", True
    return True


def keep_with_times(
    text: str, found: Iterable[Found], times: Sequence[Time]
) -> list[tuple[Found, str | None]]:
    """The figures to keep, each with the TIMEX3 DURATION it belongs to (see the module
    docstring): a duration with none is dropped, unless it is an age."""
    kept: list[tuple[Found, str | None]] = []
    for q in found:
        if q.kind != "duration":
            kept.append((q, None))
            continue
        if _EVERY_BEFORE.search(text, max(0, q.start - 8), q.start):
            continue  # "every three months": a TIMEX3 SET, how often, not how long
        time = _overlapping(times, q.start, q.end)
        if time is not None and time.type == "DURATION":
            kept.append((q, time.id))
        elif q.is_age and (time is None or time.type == "DURATION"):
            kept.append((q, time.id if time is not None else None))
    return kept


def link_durations(quantities: Sequence[Quantity], times: Sequence[Time]) -> tuple[Quantity, ...]:
    """``quantities`` with each duration's ``time_id`` set from the times it overlaps (for
    records read back from a store, which keeps no link)."""
    linked = []
    for q in quantities:
        if q.kind == "duration" and q.time_id is None:
            time = _overlapping(times, q.start, q.end)
            if time is not None and time.type == "DURATION":
                q = replace(q, time_id=time.id)
        linked.append(q)
    return tuple(linked)


def _overlapping(times: Sequence[Time], start: int, end: int) -> Time | None:
    return next((t for t in times if t.start < end and start < t.end), None)
