"""Currency and measurement units as written in news, mapped to the names onrecord uses:
ISO 4217 codes for money, "percent"/"percentage point"/"basis point" for percentages and
lowercase singular names for measures ("mile", "square mile", "degree fahrenheit").
See docs/quantities.md for the full convention.
"""

from __future__ import annotations

import re

#: Symbols written before the amount; the longest first so "C$" wins over "$".
CURRENCY_SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "Mex$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "₽": "RUB",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₦": "NGN",
    "dlrs": "USD",  # newswire: "dlrs 11,000"
    "Dlrs": "USD",
    "#": "GBP",  # the WSJ's wire text writes £ as "#": "#300 million" (see _is_inside_name_or_code)
}
ISO_CODES = (
    "USD EUR GBP JPY CNY RMB CHF CAD AUD NZD HKD SGD INR RUB KRW BRL MXN ZAR TRY ILS "
    "SEK NOK DKK PLN UAH NGN SAR AED"
).split()

#: Currency names written after the amount (lowercase regex -> ISO code). "pounds" alone
#: is a weight unless the pattern for sterling matches; "won" is checked by the caller.
CURRENCY_NAMES: list[tuple[str, str]] = [
    (r"canadian\s+dollars?", "CAD"),
    (r"australian\s+dollars?", "AUD"),
    (r"new\s+zealand\s+dollars?", "NZD"),
    (r"hong\s+kong\s+dollars?", "HKD"),
    (r"singapore\s+dollars?", "SGD"),
    (r"(?:new\s+)?taiwan(?:ese)?\s+dollars?", "TWD"),
    (r"(?:u\.s\.\s+|us\s+|american\s+)?dollars?", "USD"),
    (r"canadian\s+cents?", "CAD"),
    (r"cents?", "USD"),
    (r"pence", "GBP"),
    (r"euros?", "EUR"),
    (r"(?:british\s+)?pounds?\s+sterling|sterling", "GBP"),
    (r"(?:mexican\s+)?pesos?", "MXN"),
    (r"yen", "JPY"),
    (r"yuan|renminbi", "CNY"),
    (r"(?:indian\s+)?rupees?", "INR"),
    (r"roubles?|rubles?", "RUB"),
    (r"won", "KRW"),
    (r"(?:brazilian\s+)?reais|brazilian\s+reals?", "BRL"),
    (r"french\s+francs?", "FRF"),  # newswire before 2002
    (r"(?:swiss\s+)?francs?", "CHF"),
    (r"rand", "ZAR"),
    (r"lira|liras|lire", "TRY"),
    (r"shekels?", "ILS"),
    (r"hryvnias?|hryvnia", "UAH"),
    (r"naira", "NGN"),
    (r"riyals?", "SAR"),
    (r"dirhams?", "AED"),
    (r"kronor|krona", "SEK"),
    (r"kroner|krone", "NOK"),
    (r"zloty|zlotys", "PLN"),
    (r"(?:deutsche\s+|german\s+)?marks", "DEM"),  # newswire before 2002
]

#: Measurement units (regex, canonical name), tried in order: compound units first.
MEASURES: list[tuple[str, str]] = [
    (r"miles?\s+(?:per|an|a)\s+hour|mph", "mile per hour"),
    (r"(?:kilometers?|kilometres?)\s+(?:per|an|a)\s+hour|km/h|kph", "kilometer per hour"),
    (r"barrels?\s+(?:per|a)\s+day|bpd", "barrel per day"),
    (r"square[\s-]+miles?|sq\.?\s+mi\.?", "square mile"),
    (r"square[\s-]+(?:kilometers?|kilometres?)|sq\.?\s+km|km2|km²", "square kilometer"),
    (r"square[\s-]+(?:feet|foot)|sq\.?\s+ft\.?", "square foot"),
    (r"square[\s-]+(?:meters?|metres?)|m2|m²", "square meter"),
    (r"cubic\s+(?:feet|foot)", "cubic foot"),
    (r"cubic\s+(?:meters?|metres?)", "cubic meter"),
    (r"degrees?\s+(?:fahrenheit|f\b)|°\s?f\b", "degree fahrenheit"),
    (r"degrees?\s+(?:celsius|centigrade|c\b)|°\s?c\b", "degree celsius"),
    (r"degrees?|°", "degree"),
    (r"miles?|mi\.", "mile"),
    (r"kilometers?|kilometres?|km", "kilometer"),
    (r"centimeters?|centimetres?|cm", "centimeter"),
    (r"millimeters?|millimetres?|mm", "millimeter"),
    (r"meters?|metres?", "meter"),
    (r"feet|foot|ft\.?", "foot"),
    (r"inch(?:es)?|in\.", "inch"),
    (r"yards?", "yard"),
    (r"nautical\s+miles?", "nautical mile"),
    (r"acres?", "acre"),
    (r"hectares?", "hectare"),
    (r"metric\s+tons?|tonnes?", "metric ton"),
    (r"tons?", "ton"),
    (r"kilograms?|kilos?|kg", "kilogram"),
    (r"grams?", "gram"),
    (r"pounds?|lbs?\.?", "pound"),
    (r"ounces?|oz\.?", "ounce"),
    (r"gallons?", "gallon"),
    (r"liters?|litres?", "liter"),
    (r"milliliters?|millilitres?|ml", "milliliter"),
    (r"barrels?", "barrel"),
    (r"bushels?", "bushel"),
    (r"megawatts?|mw", "megawatt"),
    (r"gigawatts?|gw", "gigawatt"),
    (r"kilowatt[\s-]hours?|kwh", "kilowatt hour"),
    (r"megawatt[\s-]hours?|mwh", "megawatt hour"),
    (r"knots?", "knot"),
    (r"calories?", "calorie"),
    (r"horsepower|hp\b", "horsepower"),
    (r"terabytes?|tb\b", "terabyte"),
    (r"gigabytes?|gb\b", "gigabyte"),
    (r"megabytes?|mb\b", "megabyte"),
    (r"basis\s+points?|bps?", "basis point"),
    (r"points?", "point"),
]

#: Units that may be followed by "a day"/"per year" to form a rate ("barrels of oil a day").
RATE_UNITS = frozenset(
    ["barrel", "gallon", "ton", "metric ton", "cubic foot", "cubic meter", "liter", "bushel"]
)


def _named_alternation(pairs: list[tuple[str, str]], prefix: str) -> tuple[str, dict[str, str]]:
    groups = {f"{prefix}{i}": name for i, (_, name) in enumerate(pairs)}
    source = "|".join(f"(?P<{prefix}{i}>{pattern})" for i, (pattern, _) in enumerate(pairs))
    return source, groups


_CURRENCY_SOURCE, CURRENCY_GROUPS = _named_alternation(CURRENCY_NAMES, "c")
_MEASURE_SOURCE, MEASURE_GROUPS = _named_alternation(MEASURES, "u")

#: A currency name right after the amount: " pesos", " Swiss francs", " USD".
CURRENCY_AFTER = re.compile(
    rf"\s+(?:{_CURRENCY_SOURCE}|(?P<iso>{'|'.join(ISO_CODES)}))\b", re.IGNORECASE
)
#: A measurement unit right after the amount, spaced or hyphenated ("30-foot").
MEASURE_AFTER = re.compile(rf"(?:\s*|-)(?:{_MEASURE_SOURCE})(?![\w°])", re.IGNORECASE)
#: A currency symbol or ISO code right before the amount.
CURRENCY_BEFORE = re.compile(
    "(?:"
    + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
    + rf"|\b(?:{'|'.join(ISO_CODES)}))\s?$"
)


def currency_for_symbol(symbol: str) -> str:
    symbol = symbol.strip()
    return CURRENCY_SYMBOLS.get(symbol, "CNY" if symbol == "RMB" else symbol)


def matched_name(match: re.Match[str], groups: dict[str, str]) -> str | None:
    """The canonical name of whichever named alternative matched."""
    for group, name in groups.items():
        if match.group(group) is not None:
            return name
    return None
