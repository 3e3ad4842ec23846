"""Plain words for a normalized figure: "about 85% (down)", "$1 billion each".

The text view, the CLI and the web pages show a figure's value this way rather than as raw
fields; this module is the one place that decides the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_CURRENCY_SIGNS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def describe_quantity(quantity: Mapping[str, Any]) -> str:
    """Plain words for a quantity's fields (a ``Quantity`` as a dict, or a stored row)."""
    kind = quantity.get("kind")
    unit = quantity.get("unit")
    amount = _amount(quantity.get("value"), kind, unit)
    if quantity.get("high") is not None:
        amount += " to " + _amount(quantity["high"], kind, unit)
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
        return f"{_number(value)}%"
    if kind == "money":
        sign = _CURRENCY_SIGNS.get(str(unit or ""))
        number = _scaled(value)
        return f"{sign}{number}" if sign else f"{number} {unit or ''}".strip()
    number = _scaled(value)
    return f"{number} {unit}" if unit else number


def _scaled(value: float) -> str:
    for size, word in _SCALES:
        if abs(value) >= size:
            return f"{_number(value / size)} {word}"
    return _number(value)


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.6g}".rstrip("0").rstrip(".")
