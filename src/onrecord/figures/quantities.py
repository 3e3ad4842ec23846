"""Quantities: money, percentages, counts and measures, with ranges, bounds and changes.

One pass of precompiled regexes over ``doc.text`` finds every written number (digits,
number words, fractions); each is then extended to the right (scale words, "%", a currency
or unit name, a range's second end) and to the left (a currency symbol, "minus", "more
than", "about"), and dropped when it is not a figure: years, dates, times, durations (the
times stage owns those), phone numbers, ordinals, and numbers inside names ("COVID-19",
"Title 42", "Air Force One"). Token attributes are read only for the few decisions that
need them (is "one" a determiner, what is counted). docs/quantities.md has the guidelines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from ..intervals import Intervals
from ..record import Quantity, Time
from . import numbers
from .context import (
    _add_context,
    _change_before,
)
from .durations import keep_with_times, read_apposed_age, read_duration
from .filters import (
    _is_day_of_month,
    _is_fraction_figure,
    _is_identifier,
    _is_inside_name_or_code,
    _is_sentence_start,
    _is_word_figure,
    _looks_like_year,
    _masked_spans,
)
from .found import (
    Found,
    _TokenIndex,
)
from .patterns import (
    AND_A_FRACTION,
    DURATION_AFTER,
    IGNORECASE,
    MINUS_BEFORE,
    MODIFIER_BEFORE,
    NUMBER,
    OF_A_POINT,
    ORDINAL_SUFFIX,
    PART_VALUES,
    PERCENT_AFTER,
    RANGE_LINK,
    RANGE_OPENER,
    RATE_AFTER,
    RATIO,
    SCALE_AFTER,
    SECOND_SCALE,
    SYMBOL_AT,
    THRESHOLDS,
)
from .units import (
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    CURRENCY_GROUPS,
    MEASURE_AFTER,
    MEASURE_GROUPS,
    RATE_UNITS,
    currency_for_symbol,
    matched_name,
)


def find_quantities(doc: Doc, times: Sequence[Time] | None = None) -> tuple[Quantity, ...]:
    """Every figure in the article, in text order.

    ``times``: the times stage's expressions in the same text, which amounts of time are
    linked to (``durations``); found here when not given.
    """
    text = doc.text
    tokens = _TokenIndex(doc)
    masked = Intervals(_masked_spans(text))  # asked for every number: indexed
    found: list[Found] = []
    consumed = 0
    for match in NUMBER.finditer(text):
        if match.start() < consumed or masked.any_containing(match.start()):
            continue
        quantity = _read(text, match, tokens)
        if quantity is None:
            continue
        quantity = _extend_to_range(text, quantity, tokens)
        if quantity is None:
            continue
        _add_context(text, quantity, found, tokens)
        found.append(quantity)
        consumed = quantity.end
    found = _with_multipliers(text, found, tokens)
    if times is None:
        from ..times import find_times  # the times package reads number words from ours

        times = find_times(doc, None)
    kept = keep_with_times(text, found, times)
    return tuple(_to_quantity(text, q, i, time_id) for i, (q, time_id) in enumerate(kept, 1))


def _with_multipliers(text: str, found: list[Found], tokens: _TokenIndex) -> list[Found]:
    """``found`` and the multipliers ("a threefold increase", "nearly twice as many"), in
    text order; a multiplier is a count (value 3, unit null)."""
    extra = []
    for match in MULTIPLIER.finditer(text):
        written = match.group("n") or "two"
        value = (
            numbers.parse_digits(written) if written[0].isdigit() else numbers.parse_words(written)
        )
        if value is None or any(q.start < match.end() and match.start() < q.end for q in found):
            continue
        multiplier = Found(match.start(), match.end(), value)
        _add_context(text, multiplier, [], tokens)
        extra.append(multiplier)
    return sorted(found + extra, key=lambda q: q.start) if extra else found


# ---------------------------------------------------------------------------- reading


def _read(
    text: str, match: re.Match[str], tokens: _TokenIndex, second_end: bool = False
) -> Found | None:
    """The quantity starting at this number, or None when the number is not a figure.

    ``second_end``: the number is the upper end of a range ("10,000-15,000"), so a hyphen
    glued before it does not make it part of a code.
    """
    start, end = match.span()
    ratio = None if second_end else _read_ratio(text, start)
    if ratio is not None:
        return ratio
    if match.group("digits"):
        if not second_end and _is_inside_name_or_code(text, start, end):
            return None
        raw = match.group("digits")
        quantity = Found(start, end, numbers.parse_digits(raw))
        quantity.is_plain_integer = "." not in raw and "," not in raw
        if quantity.is_plain_integer and len(raw) > 6:
            return None  # "timestamp 1474387200", account and case numbers: not figures
    elif match.group("fraction"):
        value = numbers.parse_fraction(match.group("fraction"))
        if value is None or not _is_fraction_figure(text, match, tokens):
            return None
        quantity = Found(start, end, value, is_fraction=value < 1)
    else:
        value = numbers.parse_words(match.group("words"))
        if value is None or not _is_word_figure(text, match, tokens):
            return None
        quantity = Found(start, end, value, is_word=True)
    if not match.group("fraction") and _is_day_of_month(text, start, end):
        return None
    if not _read_right(text, quantity, tokens, match.group("digits") is not None):
        return None
    if not _read_left(text, quantity):
        return None
    return quantity


def _read_ratio(text: str, start: int) -> Found | None:
    """ "one in four adults", "1 out of 5": a proportion, value 0.25 and 0.2."""
    ratio = RATIO.match(text, start)
    if not ratio:
        return None
    part, whole = _simple_value(ratio.group("part")), _simple_value(ratio.group("whole"))
    if part is None or whole is None or not 0 < part < whole <= 1000:
        return None
    if ratio.group(0)[:1].isupper() and not _is_sentence_start(text, start):
        return None
    return Found(start, ratio.end(), part / whole, is_fraction=True)


def _simple_value(written: str) -> float | None:
    if written[:1].isdigit():
        return numbers.parse_digits(written)
    return numbers.parse_words(written)


def _read_right(text: str, q: Found, tokens: _TokenIndex, digits: bool) -> bool:
    """Scale, unit and currency after the number; False when it is no figure after all."""
    abbreviated = False
    part = AND_A_FRACTION.match(text, q.end)
    if part and not q.is_fraction:
        q.value += PART_VALUES[part.group("part").lower()]
        q.end = part.end()
        q.is_plain_integer = False
    if digits or part:
        scale = SCALE_AFTER.match(text, q.end)
        if scale:
            word = scale.group("word")
            if word:
                q.value *= 100 if word.lower() == "hundred" else numbers.SCALES[word.lower()]
            else:
                abbreviation = (scale.group("spaced") or scale.group("attached")).lower()
                q.value *= numbers.SCALE_ABBREVIATIONS[abbreviation]
                abbreviated = scale.group("attached") is not None
            q.end = scale.end()
            q.scaled = True
            second = SECOND_SCALE.match(text, q.end)
            if second and word:  # "5.94 lakh crore" (Indian English), "a thousand million"
                q.value *= numbers.SCALES[second.group(1).lower()]
                q.end = second.end()
    elif q.is_word:
        q.scaled = bool(
            re.search(
                r"hundred|thousand|million|billion|trillion|dozen",
                text[q.start : q.end],
                IGNORECASE,
            )
        )
    if abbreviated and not (
        _currency_symbol_before(text, q.start) or CURRENCY_AFTER.match(text, q.end)
    ):
        return False  # "30m" without a currency is more likely metres or a code than millions
    if _read_percent(text, q) or _read_currency_name(text, q) or _read_measure(text, q):
        return True
    duration = DURATION_AFTER.match(text, q.end)
    if duration:
        return read_duration(text, q, duration)  # linked to the times stage's TIMEX3 later
    if digits and ORDINAL_SUFFIX.match(text, q.end):
        return False
    if (
        q.is_plain_integer
        and not q.scaled
        and not _currency_symbol_before(text, q.start)
        and _looks_like_year(q.value)
        and not _counted_after_a_bound(text, q, tokens)
    ):
        return False
    if (
        digits
        and re.match(r"s\b", text[q.end : q.end + 2])
        and _currency_symbol_before(text, q.start)
    ):
        q.end += 1  # "a handful of $20s": banknotes
        return True
    if digits and q.is_plain_integer and re.match(r"['’]?s\b", text[q.end : q.end + 3]):
        return False  # "the 1990s", "the 80's": decades
    if digits and text[q.end : q.end + 1].isalpha():
        return False  # "180ml", "5G", "3D", "1e10": codes and notations, not figures
    if digits and re.match(r"-based\b", text[q.end : q.end + 7]):
        return False  # "486-based machines": a model number
    if digits and read_apposed_age(text, q):
        return True
    return not (digits and _is_identifier(text, q, tokens))


def _counted_after_a_bound(text: str, q: Found, tokens: _TokenIndex) -> bool:
    """ "more than 1000 customers", "about 1500 people": a bound or an approximation before
    a year-like number and a plural noun after it make it a count (no year is "more than")."""
    modifier = MODIFIER_BEFORE.search(text, max(0, q.start - 20), q.start)
    if not modifier or modifier.group("mod").lower() in THRESHOLDS:
        return False  # "32 percent below 2005 levels": a year after all
    following = tokens.after(q.end)
    if following is None:  # no tagger: the next word ends in "s"
        return re.match(r"\s+[a-z]+s\b", text[q.end : q.end + 30]) is not None
    return following.tag_ == "NNS"


def _read_percent(text: str, q: Found) -> bool:
    percent = PERCENT_AFTER.match(text, q.end)
    if percent:
        pp = percent.group("pp") or percent.group("point")
        q.kind, q.unit, q.end = "percent", "percentage point" if pp else "percent", percent.end()
        return True
    if q.is_fraction:
        point = OF_A_POINT.match(text, q.end)
        if point:
            q.kind, q.unit, q.end = "percent", "percentage point", point.end()
            return True
    return False


def _read_currency_name(text: str, q: Found) -> bool:
    if _currency_symbol_before(text, q.start):
        return False  # the symbol decides; _read_left sets it
    name = CURRENCY_AFTER.match(text, q.end)
    if not name:
        return False
    code = matched_name(name, CURRENCY_GROUPS) or name.group("iso").upper()
    word = name.group(0).strip().lower()
    if word == "won" and not (q.scaled or q.value >= 1000):
        return False  # "the team 3 won" is rare, but "won" after a small count is the verb
    if word.endswith("marks") and not (q.scaled or q.value >= 100 or " " in word):
        return False  # "scored 5 marks": Deutsche marks come in larger sums
    if re.search(r"\b(?:cents?|pence)$", word):
        q.value /= 100
    q.kind, q.unit, q.end = "money", "CNY" if code == "RMB" else code, name.end()
    return True


def _read_measure(text: str, q: Found) -> bool:
    if q.is_fraction:
        return False
    unit_match = MEASURE_AFTER.match(text, q.end)
    if not unit_match:
        return False
    unit = matched_name(unit_match, MEASURE_GROUPS)
    if unit is None:
        return False
    if unit == "pound" and q.scaled and not re.match(r"\s+of\b", text[unit_match.end() :]):
        q.kind, q.unit, q.end = "money", "GBP", unit_match.end()  # "50 million pounds"
        return True
    q.kind, q.unit, q.end = "measure", unit, unit_match.end()
    if unit in RATE_UNITS:
        rate = RATE_AFTER.match(text, q.end)
        if rate:
            q.unit = f"{unit} per {rate.group('period').lower()}"
    return True


def _read_left(text: str, q: Found) -> bool:
    """Currency symbol and minus sign before the number."""
    symbol = _currency_symbol_before(text, q.start)
    if symbol:
        if q.kind == "percent":
            return True
        q.kind, q.unit = "money", currency_for_symbol(symbol.group(0))
        q.start = symbol.start()
        return True
    minus = MINUS_BEFORE.search(text, max(0, q.start - 7), q.start)
    plus_or = re.search(
        r"\bplus\s+or\s+minus\s+$", text[max(0, q.start - 20) : q.start], IGNORECASE
    )
    if minus and not plus_or and q.kind != "money":
        q.value, q.start = -q.value, minus.start()
    return True


def _currency_symbol_before(text: str, start: int) -> re.Match[str] | None:
    return CURRENCY_BEFORE.search(text, max(0, start - 5), start)


# ------------------------------------------------------------------------ extending


def _extend_to_range(text: str, q: Found, tokens: _TokenIndex) -> Found | None:
    """ "between 10 and 20", "2 to 4 inches", "10,000-15,000": one quantity with ``high``."""
    link = RANGE_LINK.match(text, q.end)
    if not link:
        return q
    word = link.group("link").lower()
    window_start = max(0, q.start - 40)
    opener = RANGE_OPENER.search(text, window_start, q.start)
    opener_word = opener.group(1).lower() if opener else None
    if word == "or" or (word == "and" and opener_word != "between"):
        return q
    level = word == "to" and _change_before(text, opener.start() if opener else q.start, tokens)
    symbol = SYMBOL_AT.match(text, link.end())
    second_match = NUMBER.match(text, symbol.end() if symbol else link.end())
    if second_match is None:
        return q
    second = _read(text, second_match, tokens, second_end=True)
    if second is None:
        # "two to three Mondays": a range the times stage owns whole
        return None if _ends_in_duration(text, second_match.end()) else q
    if level and not COMPARED_AFTER.match(text, second.end):
        return q  # "rose from 3% to 5%", "rose 15 cents to $3.45": two figures, not a range
    low = q.value
    if second.scaled and not q.scaled and q.kind == "count":
        low *= second.value / _raw_value(second_match)  # "10 to 20 million": both in millions
    if not low < second.value:
        return q  # "a vote of 220 to 207", "dropped from 650 to 480": two figures
    if q.kind == "count" and not q.is_fraction:
        q.kind, q.unit = second.kind, second.unit  # "2 to 4 inches": the unit is written once
        q.is_age = second.is_age
    elif q.is_age and second.kind == "count" and second.is_plain_integer:
        pass  # "between the ages of 17 and 20": the second age is a bare number
    elif (q.kind, q.unit) != (second.kind, second.unit):
        return q
    q.value, q.high, q.end = low, second.value, second.end
    return q


#: "fell 50% to 75% below the year-earlier": after a change word, "to" links a range when
#: a comparison follows it.
COMPARED_AFTER = re.compile(r"\s+(?:below|above|lower|higher|less|more|short\s+of)\b", IGNORECASE)


MULTIPLIER = re.compile(
    r"\b(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d+(?:\.\d+)?)[\s-]?fold\b"
    r"|twice(?=\s+(?:as|that|the|what|its|their)\b))",
    IGNORECASE,
)


def _ends_in_duration(text: str, end: int) -> bool:
    scale = SCALE_AFTER.match(text, end)
    return DURATION_AFTER.match(text, scale.end() if scale else end) is not None


def _raw_value(match: re.Match[str]) -> float:
    raw = match.group("digits")
    if raw:
        return numbers.parse_digits(raw)
    return numbers.parse_words(match.group(0)) or 1.0


def _to_quantity(text: str, q: Found, index: int, time_id: str | None) -> Quantity:
    return Quantity(
        id=f"q{index}",
        text=text[q.start : q.end],
        start=q.start,
        end=q.end,
        value=q.value,
        kind=q.kind,
        unit=q.unit,
        change=q.change,
        each=q.each,
        quantified=q.quantified,
        approximate=q.approximate,
        bound=q.bound,
        high=q.high,
        time_id=time_id,
    )
