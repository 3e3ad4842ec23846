"""Lexicons and regular-expression building blocks for time expressions (English)."""

from __future__ import annotations

from ..figures.numbers import TENS as NUMBER_TENS
from ..figures.numbers import UNITS as NUMBER_UNITS

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
UNITS = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "weekend": "WE",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
TIME_UNITS = {"second", "minute", "hour"}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 2,  # "the last half of 1989"; "last quarter" is handled as relative
}
# Number words for durations ("three years", "a couple of weeks"): the cardinal words are
# the quantities stage's (numbers.py); the rest are phrases only time expressions use.
SMALL_NUMBERS: dict[str, float] = {
    **{word: value for word, value in NUMBER_UNITS.items() if value},
    **NUMBER_TENS,
    "a": 1,
    "an": 1,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "thousand": 1000,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0.5,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "a half": 0.5,
}
VAGUE_NUMBERS = (
    "a few",
    "few",
    "several",
    "many",
    "some",
    "the few",
    "a number of",
)
DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def alternation(words: object) -> str:
    """A regex alternation of words, longest first, so that "sept" wins over "sep"."""
    items = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(w.replace(".", r"\.").replace(" ", r"\s+") for w in items) + ")"


_FULL_MONTHS = [m for m in MONTHS if (len(m) > 3 and m != "sept") or m == "may"]
# A full name takes no period (so "in December." leaves the full stop); "Dec." does.
MONTH = (
    r"(?:"
    + alternation(_FULL_MONTHS)
    + "|"
    + alternation(set(MONTHS) - set(_FULL_MONTHS))
    + r"\.?)"
)
WEEKDAY = alternation(WEEKDAYS)
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PART_OF_DAY = r"(?:morning|afternoon|evening|night|midday|noon|overnight)"
DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
NUMBER_WORD = rf"(?:{TENS}(?:[\s-]+{ONES})?|{TEENS}|{ONES}|a\s+hundred|hundred|a\s+dozen|dozen)"
DIGITS = r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?)"
VAGUE = alternation(VAGUE_NUMBERS)
QUANTITY = (
    rf"(?:{DIGITS}|{NUMBER_WORD}(?:\s+and\s+a\s+half)?|{VAGUE}|(?:a\s+)?couple(?:\s+of)?|an?|"
    rf"half\s+an?|"
    rf"{NUMBER_WORD}\s+(?:or|to)\s+{NUMBER_WORD}|{DIGITS}\s*(?:-|to|or)\s*{DIGITS})"
)
UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))"
# Modifiers TimeBank keeps inside the extent ("nearly two years"); "about", "over", "just"
# and "only" it leaves out.
APPROX = (
    r"(?:almost|nearly|roughly|approximately|more\s+than|less\s+than|fewer\s+than|"
    r"no\s+more\s+than|at\s+least|at\s+most|up\s+to|well\s+over)"
)
SPELLED_YEAR = rf"(?:nineteen|eighteen)\s+{NUMBER_WORD}"
