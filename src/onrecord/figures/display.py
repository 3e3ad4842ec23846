"""Plain words for a normalized figure: "about 85% (down)", "$1 billion each".

The text view, the CLI and the web pages show a figure's value this way rather than as raw
fields; this module is the one place that decides the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

_CURRENCY_SIGNS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def describe_quantity(quantity: Mapping[str, Any]) -> str:
    """Plain words for a quantity's fields (a ``Quantity`` as a dict, or a stored row)."""
    kind = quantity.get("kind")
    unit = quantity.get("unit")
    value, high = quantity.get("value"), quantity.get("high")
    if high is None:
        amount = _amount(value, kind, unit)
    elif kind == "money" or (kind == "percent" and unit == "percent") or not unit:
        amount = f"{_amount(value, kind, unit)} to {_amount(high, kind, unit)}"  # "$3 to $4"
    else:
        amount = (
            f"{_amount(value, 'count', None)} to {_amount(high, kind, unit)}"  # "2 to 4 inches"
        )
    words = amount
    if quantity.get("bound") == "lower":
        words = f"at least {words}"
    elif quantity.get("bound") == "upper":
        words = f"at most {words}"
    if quantity.get("approximate"):
        words = f"about {words}"
    if quantity.get("each"):
        words += " each"
    if quantity.get("change") == "increase":
        words += " (up)"
    elif quantity.get("change") == "decrease":
        words += " (down)"
    return words


def _amount(value: Any, kind: Any, unit: Any) -> str:
    if not isinstance(value, int | float):
        return str(value)
    if kind == "percent":
        if unit in ("percentage point", "basis point"):
            return f"{_number(value)} {_unit_words(str(unit), value)}"
        return f"{_number(value)}%"
    if kind == "money":
        sign = _CURRENCY_SIGNS.get(str(unit or ""))
        number = _scaled(value)
        return f"{sign}{number}" if sign else f"{number} {unit or ''}".strip()
    if kind == "count" and not unit and 0 < abs(value) < 1:
        return _fraction(value)
    number = _scaled(value)
    return f"{number} {_unit_words(str(unit), value)}" if unit else number


#: Plurals that adding "s" gets wrong; "horsepower" and "hp" stay as they are.
_PLURALS = {"foot": "feet", "inch": "inches", "century": "centuries", "horsepower": "horsepower"}
_CAPITALIZED = {"fahrenheit": "Fahrenheit", "celsius": "Celsius"}


def _unit_words(unit: str, value: float) -> str:
    """ "kilometer" -> "kilometers", "barrel per day" -> "barrels per day", "degree
    fahrenheit" -> "degrees Fahrenheit"; singular for exactly 1."""
    words = [_CAPITALIZED.get(w, w) for w in unit.split()]
    if value != 1:
        # the counted word: the one before "per", the first of "degree ...", else the last
        at = words.index("per") - 1 if "per" in words else 0 if words[0] == "degree" else -1
        if len(words[at]) > 3:  # "km", "mph", "hp": abbreviations take no "s"
            words[at] = _PLURALS.get(words[at], words[at] + "s")
    return " ".join(words)


def _fraction(value: float) -> str:
    """0.2 -> "1 in 5", 0.667 -> "2/3": proportions as news writes them."""
    fraction = Fraction(value).limit_denominator(12)
    if abs(float(fraction) - value) > 1e-6:
        return _number(value)
    if fraction.numerator == 1:
        return f"1 in {fraction.denominator}"
    return f"{fraction.numerator}/{fraction.denominator}"


def _scaled(value: float) -> str:
    for size, word in _SCALES:
        if abs(value) >= size:
            return f"{_number(value / size)} {word}"
    return _number(value)


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.6g}".rstrip("0").rstrip(".")
