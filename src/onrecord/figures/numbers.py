"""Numbers as written in news: digits ("25,000", "1.5"), words ("Forty-two", "two dozen"),
fractions ("a third", "two-thirds", "half") and scale words ("million", "bn").

The regex sources here are shared by the quantities stage; the parsers turn a matched
string into a float. Everything is plain ``re`` so that a whole article is scanned once.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,  # Indian English: 1,00,000
    "crore": 1e7,
}
#: Abbreviated scales written after digits ("$1.5bn", "€3.5m", "$40k").
SCALE_ABBREVIATIONS = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}


def _alternation(words: object) -> str:
    return "|".join(sorted(map(str, words), key=len, reverse=True))  # type: ignore[call-overload]


_UNIT = _alternation(UNITS)
_ONE_TO_NINE = _alternation(w for w, v in UNITS.items() if 1 <= v <= 9)
_TENS = _alternation(TENS)
_SCALE = _alternation([*SCALES, "hundred", "dozen"])
_SIMPLE = rf"(?:(?:{_TENS})(?:[-\s](?:{_ONE_TO_NINE})\b)?|(?:{_UNIT}))"
_DENOMINATOR = _alternation(DENOMINATORS)
#: One number word or a hyphenated tens-and-units: "four", "twenty-one".
SIMPLE_WORD = _SIMPLE

VULGAR_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
_VULGAR = "[" + "".join(VULGAR_FRACTIONS) + "]"

#: Digits with thousands separators and decimals: "25,000", "1.5", "70,784", ".5", "2½".
DIGITS = rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+){_VULGAR}?|{_VULGAR}"

#: Number words: "Ten", "forty-two", "two dozen", "a hundred", "three hundred and five".
WORDS = (
    rf"(?:{_SIMPLE}|an?(?=\s+(?:{_SCALE})\b))"
    rf"(?:(?:\s+|-)(?:and\s+)?(?:{_SCALE}|{_SIMPLE})\b)*"
)

#: Fractions: "a third", "two-thirds", "three-quarters", "one-half", "half", "half a million".
FRACTION = (
    rf"half\s+an?\s+(?:{_alternation(SCALES)}|dozen)"
    rf"|(?:an?|one|{_ONE_TO_NINE})[\s-](?:{_DENOMINATOR})"
    r"|half"
)


def parse_digits(text: str) -> float:
    """ "25,000" -> 25000.0; "1.5" -> 1.5; "2½" -> 2.5."""
    fraction = VULGAR_FRACTIONS.get(text[-1:], 0.0)
    whole = text[:-1] if fraction else text
    return (float(whole.replace(",", "")) if whole else 0.0) + fraction


def parse_words(text: str) -> float | None:
    """ "forty-two" -> 42; "two dozen" -> 24; "a hundred" -> 100; None if not a number."""
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = 1.0
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word in SCALES:
            total += (current or 1.0) * SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_fraction(text: str) -> float | None:
    """ "a third" -> 1/3; "two-thirds" -> 2/3; "half a million" -> 500000."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w]
    if not words:
        return None
    if words[0] == "half":
        if len(words) == 1:
            return 0.5
        scale = parse_words(" ".join(words[1:]))
        return 0.5 * scale if scale else None
    if len(words) != 2 or words[1] not in DENOMINATORS:
        return None
    numerator = 1.0 if words[0] in ("a", "an") else parse_words(words[0])
    if numerator is None:
        return None
    return numerator / DENOMINATORS[words[1]]
