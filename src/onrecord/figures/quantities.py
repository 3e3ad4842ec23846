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
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..intervals import Intervals
from ..record import Bound, Change, Quantity, QuantityKind
from . import numbers
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

IGNORECASE = re.IGNORECASE

#: Every written number. Fractions before words so "two-thirds" is not "two".
NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>{numbers.DIGITS})"
    rf"|(?P<fraction>(?:{numbers.FRACTION})\b)"
    rf"|(?P<words>(?:{numbers.WORDS})\b))",
    IGNORECASE,
)
SCALE_AFTER = re.compile(
    r"(?:\s*|-)(?P<word>hundred|thousand|million|billion|trillion|lakh|crore)\b"
    r"|\s?(?P<spaced>bn|mn|mln|tn|trn)\b|(?P<attached>k|m|b)\b",
    IGNORECASE,
)
PERCENT_AFTER = re.compile(
    r"\s?%|\s*-?\s*(?:per\s?cents?|percents?|pct)\b(?!age)(?P<point>\s+points?\b)?"
    r"|\s+(?P<pp>(?:percentage|pct\.?)\s+points?)\b",
    IGNORECASE,
)
#: "three-quarters of a percentage point", "half a percentage point".
OF_A_POINT = re.compile(r"\s+(?:of\s+)?an?\s+(?:percentage|pct\.?)\s+point\b", IGNORECASE)
DURATION_AFTER = re.compile(
    r"(?:-?plus|\+)?(?:\s+|-)(?:(?:and\s+)?an?\s+half\s+)?"
    r"(?:(?:business|working|consecutive|straight|full|calendar|more|fiscal)\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|years?|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|decades?|century|centuries|nights?|weekends?|semesters?|innings)\b",
    IGNORECASE,
)
HALF_A_PERIOD = re.compile(
    r"\s+an?\s+(?:century|decade|year|month|week|day|hour|minute)\b", IGNORECASE
)
RATE_AFTER = re.compile(
    r"(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:per|an?)\s+(?P<period>day|year|hour|month|week)\b",
    IGNORECASE,
)
EACH_AFTER = re.compile(
    r"\s*,?\s*(?:each|apiece|a piece|per person|per head|a head)\b"
    r"(?!\s+(?:year|month|week|day|quarter|time|season)\b)",
    IGNORECASE,
)
MINUS_BEFORE = re.compile(r"(?:\bminus\s+|(?:^|(?<=[\s(]))[-−])$", IGNORECASE)
_SMALL = rf"(?:\d{{1,3}}|{numbers.SIMPLE_WORD})"
RATIO = re.compile(
    rf"(?P<part>{_SMALL})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<whole>{_SMALL})\b(?![.,]\d)",
    IGNORECASE,
)
LIST_MARKER = re.compile(r"[.)]\s")
VOTE_AFTER = re.compile(r"\s*(?:to|-|–)\s*\d")
SECOND_SCALE = re.compile(r"\s+(thousand|million|billion|crore)\b", IGNORECASE)
RANGE_OPENER = re.compile(r"\b(between|from)\s+(?:\S+\s+){0,3}$", IGNORECASE)
SYMBOL_AT = re.compile(r"(?:[A-Z]{0,3}\$|€|£|¥|₹)")
RANGE_LINK = re.compile(r"\s*(?P<link>-|–|—|~|\bto\b|\bthrough\b|\band\b|\bor\b)\s*", IGNORECASE)

#: Words before a figure that bound it or say it is approximate (longest first).
BOUNDS: dict[str, tuple[Bound | None, bool]] = {
    "more than": ("lower", False),
    "over": ("lower", False),
    "at least": ("lower", False),
    "upwards of": ("lower", False),
    "in excess of": ("lower", False),
    "no fewer than": ("lower", False),
    "no less than": ("lower", False),
    "greater than": ("lower", False),
    "above": ("lower", False),
    "just over": ("lower", True),
    "less than": ("upper", False),
    "fewer than": ("upper", False),
    "under": ("upper", False),
    "at most": ("upper", False),
    "up to": ("upper", False),
    "no more than": ("upper", False),
    "as many as": ("upper", False),
    "as much as": ("upper", False),
    "below": ("upper", False),
    "just under": ("upper", True),
    "nearly": (None, True),
    "almost": (None, True),
    "about": (None, True),
    "around": (None, True),
    "roughly": (None, True),
    "approximately": (None, True),
    "some": (None, True),
    "an estimated": (None, True),
    "estimated": (None, True),
    "close to": (None, True),
    "circa": (None, True),
    "~": (None, True),
}
#: Bounds that, after a change verb, name a level crossed ("fell below", "rose above").
THRESHOLDS = frozenset(["below", "above", "under"])
PRECIPITATION = re.compile(
    r"\s+of\s+(?:rain|snow|rainfall|snowfall|hail|precipitation)\b", IGNORECASE
)
MODIFIER_BEFORE = re.compile(
    r"(?:^|(?<=[^\w]))(?P<mod>"
    + "|".join(re.escape(k) for k in sorted(BOUNDS, key=len, reverse=True))
    + r")\s+$",
    IGNORECASE,
)

INCREASE = frozenset(
    """rose rise rises rising risen up increased increase increases increasing grew grow grows
    growing grown growth gained gain gains gaining jumped jump jumps jumping climbed climb climbs
    climbing soared soar soars soaring surged surge surges surging raised raise raises raising
    boosted boost boosts added add adds widened widen widens swelled swell
    swells expanded expand expands accelerated rallied rally spiked advanced advance upped
    lifted lift lifts lifting strengthened strengthen strengthens appreciated""".split()
)
DECREASE = frozenset(
    """fell fall falls falling fallen down decreased decrease decreases decreasing declined
    decline declines declining dropped drop drops dropping plunged plunge plunges plunging
    plummeted plummet slid slide slides sliding slipped slip slips sank sink sinks tumbled
    tumble tumbles shrank shrunk shrink shrinks shrinking cut cuts cutting slashed slash
    slashes reduced reduce reduces reducing reduction lowered lowers narrowed narrow narrows
    lost lose loses losing eliminated eliminate eliminates eliminating axed axe axes axing
    eased ease dipped dip dips retreated contracted shed sheds trimmed trim trims slumped
    slump dived dove weakened weaken weakens weakening depreciated devalued""".split()
)
#: "lay off 18,000 employees", "laid off 300 workers": "off" after these is a cut.
LAY_OFF = frozenset("lay lays laid laying".split())
#: Nouns right after a figure that make it a change: "a 20% cut", "a 3% raise".
CHANGE_NOUN_AFTER = re.compile(
    r"(?:\s+|-)(?:(?:pay|tax|price|rate|budget|spending|wage|salary|annual|sales|cost|job|"
    r"workforce|staff|fare|rent|fee|premium|benefit)\s+)?"
    r"(?P<noun>increase|rise|raise|hike|gain|jump|boost|growth|cut|reduction|decrease|decline"
    r"|drop|fall|slump|dip|contraction|higher|lower)\b",
    IGNORECASE,
)
CHANGE_VERBS: dict[str, Change] = {
    **{word: "increase" for word in INCREASE},
    **{word: "decrease" for word in DECREASE},
}
#: Words that may stand between a change word and its figure: "grew at an annual rate of".
CHANGE_FILLERS = frozenset(
    """by of a an the at its their his her our this that nearly about some roughly almost
    just only more than as much another further annual annualized annually rate seasonally
    adjusted or year""".split()
)
#: Change verbs only for percentages and points ("the Nasdaq lost 3.1%").
GAIN_LOSS = frozenset("gained gain gains gaining lost lose loses losing".split())
#: Verbs that take "up"/"down" as a particle, not as a change ("made up", "shut down").
PHRASAL = frozenset(
    """make makes made making sign signs signed set sets pick picks picked end ends ended
    take takes took taken sum sums summed show shows showed turn turns turned line lined open
    opened give gives gave given pay pays paid back backed step stepped shut shuts break
    breaks broke broken write wrote written mark marked narrow narrowed bring brings brought
    put puts round rounded""".split()
)
INCREASE_NOUNS = frozenset("increase rise raise hike gain jump boost growth higher".split())
#: Change verbs that also have a plain sense ("raised $12,500"): a change only with "by".
NEEDS_BY = frozenset("raised raise raises raising added add adds".split())
#: Words that end the clause a change word must be in.
CLAUSE_BREAK = frozenset("and while but after before as when because since with which who".split())
LEVEL_MARKERS = frozenset(["to", "from", "at", "than"])
WORD_RE = re.compile(r"[a-z]+(?:['’][a-z]+)?", IGNORECASE)
COMMA_BY = re.compile(r",\s*by\s+(?:\w+\s+){0,3}$")
CLAUSE_PUNCT = re.compile(r"[,;:.!?()\"“”\d]")

#: Words right before a number that make it part of a name or an identifier.
ID_WORDS = frozenset(
    """no no. nos. number title section sec. chapter article room flight category interstate
    route highway apollo boeing airbus windows proposition prop. amendment form fortune level
    phase stage grade class division district precinct ward gate pier terminal channel vol.
    volume episode season part rule resolution bill case docket model version iphone galaxy
    pixel xbox playstation formula s&p ftse nikkei dow act paragraph clause page p. pp.
    exhibit item lot suite apartment apt. box zip extension ext. battalion regiment squadron
    brigade covid mark type tier week game round hole lane track platform row seat h.r. school
    s. h.b. s.b. call dial text station line bus unit g k pre-k cop am fm poor's poor’s""".split()
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
#: Lowercase month names too ("april 22"), except "may" and "march", which are verbs.
_MONTHS_ANY_CASE = rf"(?:{MONTHS}|(?i:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?"
_MONTHS_ANY_CASE += r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))"
_WEEKDAYS = r"(?i:mon|tues|wednes|thurs|fri|satur|sun)(?i:day)"
MONTH_BEFORE = re.compile(
    rf"\b(?:{_MONTHS_ANY_CASE}\.?|{_WEEKDAYS},?(?:\s+the)?)\s+"
    r"(?:\d{1,2}\s*(?:-|–|to|through)\s*)?$"
)
#: "Schiff, 56, who...": an age in apposition to a name.
AGE_BEFORE = re.compile(r"[A-Z][\w.'’-]+,\s*$")
AGE_AFTER = re.compile(r"\s*(?:[,);]|\.(?!\d))")
MONTH_AFTER = re.compile(rf"\.?(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS_ANY_CASE}\b")
ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", IGNORECASE)
STREET_AFTER = re.compile(
    r"(?:\s+[A-Z0-9][\w.]*){1,3}\s+(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Drive|"
    r"Lane|Way|Place|Court|Square|Plaza|Parkway)"
)
#: Spans that hold digits but no figure: phone numbers, times, dates, scores.
_CLOCK = rf"(?:\d{{1,2}}|{numbers.SIMPLE_WORD})"
NOT_FIGURES = re.compile(
    r"(?:\+?1[\s.-])?(?:\(\d{3}\)\s*|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b"
    r"|\b\d{3}-\d{4}\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.m\.|[ap]m\b|[ap]\.m\b|o'clock)"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b\d{1,2}/\d{1,2}\b"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IP addresses
    r"|\b911\b"  # the emergency number
    r"|\b(?:half|quarter)\s+(?:past|to)\s+\w+"  # "half past eight"
    r"|\b\d{1,2}\s+in\s+the\s+(?:morning|afternoon|evening|night)\b"
    r"|\b(?:https?://|www\.)\S+",  # web addresses
    IGNORECASE,
)
CLOCK_KEY = re.compile(
    r"[ap]\.m\.|\b[ap]m\b|\bo['’]clock\b|(?P<link>\bpast\b|\b(?:mins?|minutes?)\s+to\b)",
    IGNORECASE,
)
CLOCK_BEFORE = re.compile(rf"\b{_CLOCK}(?:\s+{_CLOCK})?\s*(?:(?:mins?|minutes?)\s+)?$", IGNORECASE)
CLOCK_AFTER = re.compile(rf"\s+{_CLOCK}\b", IGNORECASE)
MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
SCORE = re.compile(r"\b(\d{1,3})-(\d{1,3})\b")
NOMINAL = frozenset(["NOUN", "PROPN", "ADJ", "NUM"])
NOT_BEFORE_FRACTION = frozenset("first second last the this next latter former and".split())
FRACTION_FOLLOWER = re.compile(r"\s+of\b|\s*[,.;)]|\s*$|\s+(?:in|since|from|to|over|last|this)\b")
#: "two and a half million", "five and a quarter": a whole number and a fraction.
AND_A_FRACTION = re.compile(r"\s+and\s+an?\s+(?P<part>half|quarter|third)\b", IGNORECASE)
PART_VALUES = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}
SENTENCE_OPENERS = frozenset(".!?\"“”‘’'(:—\n")


@dataclass
class Found:
    """A quantity while it is being built (mutable), turned into a Quantity at the end."""

    start: int
    end: int
    value: float
    kind: QuantityKind = "count"
    unit: str | None = None
    change: Change | None = None
    each: bool = False
    quantified: str | None = None
    approximate: bool = False
    bound: Bound | None = None
    high: float | None = None
    is_fraction: bool = False
    is_plain_integer: bool = False
    is_word: bool = False
    scaled: bool = False


def find_quantities(doc: Doc) -> tuple[Quantity, ...]:
    """Every figure in the article, in text order."""
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
    return tuple(_to_quantity(text, q, i) for i, q in enumerate(found, 1))


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
    if DURATION_AFTER.match(text, q.end):
        return False  # durations and ages belong to the times stage
    if digits and ORDINAL_SUFFIX.match(text, q.end):
        return False
    if (
        q.is_plain_integer
        and not q.scaled
        and not _currency_symbol_before(text, q.start)
        and _looks_like_year(q.value)
    ):
        return False
    if digits and q.is_plain_integer and re.match(r"['’]?s\b", text[q.end : q.end + 3]):
        return False  # "the 1990s", "the 80's": decades
    if digits and text[q.end : q.end + 1].isalpha():
        return False  # "180ml", "5G", "3D", "1e10": codes and notations, not figures
    return not (digits and _is_identifier(text, q, tokens))


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
    if word.startswith("cent"):
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


# ------------------------------------------------------------------------- filtering


def _masked_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in NOT_FIGURES.finditer(text)]
    spans.extend(_clock_spans(text))
    if "@" in text:
        spans.extend(m.span() for m in MAIL.finditer(text))
    for score in SCORE.finditer(text):
        if int(score.group(1)) >= int(score.group(2)):
            spans.append(score.span())  # "voted 7-2", "a 53-47 majority"
    spans.sort()
    return spans


def _clock_spans(text: str) -> list[tuple[int, int]]:
    """Clock times in words: "seven thirty pm", "ten past 9", "three minutes to eight".

    The key word is found first and the numbers around it checked after, which is much
    cheaper than trying number words at every position of the article."""
    spans = []
    for key in CLOCK_KEY.finditer(text):
        before = CLOCK_BEFORE.search(text, max(0, key.start() - 40), key.start())
        if before is None:
            continue
        end = key.end()
        if key.group("link"):  # "past" and "minutes to" need a number after them too
            after = CLOCK_AFTER.match(text, end)
            if after is None:
                continue
            end = after.end()
        spans.append((before.start(), end))
    return spans


def _is_inside_name_or_code(text: str, start: int, end: int) -> bool:
    """ "COVID-19", "F-35", "9/11", "#5": digits glued to letters or to other digits."""
    before = text[start - 1] if start else " "
    before2 = text[start - 2] if start > 1 else " "
    if before == "#" or (before in "-/" and before2.isalnum()):
        return True
    if before in "'’‘" and end - start == 2:
        return True  # "'16", "’80s": an abbreviated year
    if LIST_MARKER.match(text, end) and re.search(
        r"(?:^|\n)[ \t]*$", text[max(0, start - 20) : start]
    ):
        return True  # "1. What Trump's immigration plan means": a numbered list
    return text[end : end + 1] == "/" and text[end + 1 : end + 2].isdigit()


def _is_day_of_month(text: str, start: int, end: int) -> bool:
    """ "March 3", "3 March", "Friday the 15", "june twenty two": parts of dates."""
    return bool(
        MONTH_BEFORE.search(text, max(0, start - 20), start) or MONTH_AFTER.match(text, end)
    )


def _is_identifier(text: str, q: Found, tokens: _TokenIndex) -> bool:
    """Numbers that name things: "Title 42", "Boeing 747", "No. 10", "1600 Pennsylvania Ave."."""
    if q.kind != "count" or not q.is_plain_integer or q.scaled:
        return False
    previous = _previous_word(text, q.start)
    if previous.lower() in ID_WORDS:
        return True
    if STREET_AFTER.match(text, q.end):
        return True
    if q.value < 120 and AGE_BEFORE.search(text, max(0, q.start - 30), q.start):
        return AGE_AFTER.match(text, q.end) is not None
    if VOTE_AFTER.match(text, q.end):
        return False  # "the Senate 51 to 49": a tally after a name, not part of it
    if tokens.entity_at(q.start) == "I":
        return True  # a number that continues a name the NER found: "Apollo 11"
    token = tokens.before(q.start)
    return (
        token is not None
        and token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and not token.text.endswith(("'s", "’s"))
        and token.idx + len(token.text) < q.start
        and not _is_sentence_start(text, token.idx)
    )


def _looks_like_year(value: float) -> bool:
    """1000-2100 written without a thousands comma is a year: news style writes "1,500
    troops" (a plain "2016 candidates" is the 2016 race)."""
    return 1000 <= value <= 2100


def _is_word_figure(text: str, match: re.Match[str], tokens: _TokenIndex) -> bool:
    """Number words that are figures: not "Air Force One", not pronoun "one"."""
    start, end = match.span()
    word = match.group(0)
    if word[:1].isupper() and (
        not _is_sentence_start(text, start) or _opens_a_name(text, end, tokens)
    ):
        return False  # a capitalized number word in a name: "Air Force One", "Zero Hedge"
    if re.match(r"\s+o['’]clock", text[end : end + 9], IGNORECASE):
        return False  # "three o'clock" is a time
    if re.match(r"-[a-z]", text[end : end + 2], IGNORECASE) and not MEASURE_AFTER.match(text, end):
        return False  # "a four-way race", "one-on-one", "a two-front war": no figure
    if word.lower() != "one":
        return True
    if re.match(r"\s+point\b", text[end : end + 7], IGNORECASE):
        return False  # "at one point": a moment
    if re.match(
        r"\s+(?:of|another|day|time|way|thing|side|hand|more|another)\b", text[end:], IGNORECASE
    ):
        return False
    previous = _previous_word(text, start).lower()
    if previous in ("no", "the", "this", "that", "any", "every", "each", "which", "another", "a"):
        return False
    token = tokens.after(end)
    return token is not None and token.pos_ in ("NOUN", "PROPN", "ADJ")


def _opens_a_name(text: str, end: int, tokens: _TokenIndex) -> bool:
    """The next word is capitalized and continues the same named entity ("Zero Hedge")."""
    following = tokens.after(end)
    return (
        following is not None
        and following.text[:1].isupper()
        and tokens.entity_at(following.idx) == "I"
    )


def _is_fraction_figure(text: str, match: re.Match[str], tokens: _TokenIndex) -> bool:
    """ "a third of voters" and "fell by half", but not "the third quarter" or "first half"."""
    start, end = match.span()
    fraction = match.group(0).lower()
    previous = _previous_word(text, start).lower()
    if previous in NOT_BEFORE_FRACTION or previous[-1:].isdigit():
        return False  # "the third quarter", "$2,000 a quarter" (a period, not a fraction)
    if match.group(0)[:1].isupper() and not _is_sentence_start(text, start):
        return False
    if DURATION_AFTER.match(text, end):
        return False  # "two-thirds of a year" is a duration
    if re.match(r"[-\w]", text[end : end + 1]):
        return False  # "a half-frozen snake", "halfway"
    if fraction.startswith("half"):
        # "half a century" is a duration; "half-brother", "halfway" are not figures
        return not (HALF_A_PERIOD.match(text, end) or re.match(r"[-\w]", text[end : end + 1]))
    if "-" in fraction:
        return True  # "two-thirds", "one-half"
    # "a fifth term", "a quarter century": an ordinal or a period, not a fraction, when a
    # noun follows; without a parse, the fraction needs "of" or the end of the clause
    if FRACTION_FOLLOWER.match(text, end):
        return True
    following = tokens.after(end)
    return tokens.has_pos and (following is None or following.pos_ not in NOMINAL)


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in SENTENCE_OPENERS


def _previous_word(text: str, start: int) -> str:
    match = re.search(r"(\S+)\s+$", text[max(0, start - 30) : start])
    return match.group(1) if match else ""


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
    if word == "to" and _change_before(text, opener.start() if opener else q.start, tokens):
        return q  # "rose from 3% to 5%", "rose 15 cents to $3.45": two figures, not a range
    symbol = SYMBOL_AT.match(text, link.end())
    second_match = NUMBER.match(text, symbol.end() if symbol else link.end())
    if second_match is None:
        return q
    second = _read(text, second_match, tokens, second_end=True)
    if second is None:
        # "two to three years": the whole range is a duration, which the times stage owns
        return None if _ends_in_duration(text, second_match.end()) else q
    low = q.value
    if second.scaled and not q.scaled and q.kind == "count":
        low *= second.value / _raw_value(second_match)  # "10 to 20 million": both in millions
    if not low < second.value:
        return q  # "a vote of 220 to 207", "dropped from 650 to 480": two figures
    if q.kind == "count" and not q.is_fraction:
        q.kind, q.unit = second.kind, second.unit  # "2 to 4 inches": the unit is written once
    elif (q.kind, q.unit) != (second.kind, second.unit):
        return q
    q.value, q.high, q.end = low, second.value, second.end
    return q


def _ends_in_duration(text: str, end: int) -> bool:
    scale = SCALE_AFTER.match(text, end)
    return DURATION_AFTER.match(text, scale.end() if scale else end) is not None


def _raw_value(match: re.Match[str]) -> float:
    raw = match.group("digits")
    if raw:
        return numbers.parse_digits(raw)
    return numbers.parse_words(match.group(0)) or 1.0


def _add_context(text: str, q: Found, found: list[Found], tokens: _TokenIndex) -> None:
    """Bounds, approximation, change, "each" and what is counted."""
    head = q.start
    modifier = MODIFIER_BEFORE.search(text, max(0, q.start - 20), q.start)
    if modifier:
        q.bound, q.approximate = BOUNDS[modifier.group("mod").lower()]
        head = modifier.start()
    q.change = _change(text, q, head, modifier, tokens)
    if q.change is None and found:
        previous = found[-1]
        if re.fullmatch(r"\s*,?\s*or\s*", text[previous.end : head]):
            q.change = previous.change  # "fell 500 points, or 1.8%"
    q.each = EACH_AFTER.match(text, q.end) is not None
    q.quantified = _quantified(text, q, tokens)


def _change(
    text: str, q: Found, head: int, modifier: re.Match[str] | None, tokens: _TokenIndex
) -> Change | None:
    if modifier and modifier.group("mod").lower() in THRESHOLDS:
        return None  # "fell below $1 trillion": a level crossed, not the size of the fall
    if PRECIPITATION.match(text, q.end):
        return None  # "the storm dropped 2 feet of snow"
    return _change_before(text, head, tokens, moves=_is_a_move(q)) or _change_noun_after(
        text, q.end
    )


def _is_a_move(q: Found) -> bool:
    """Percentages and points move when they are "gained" or "lost"; money and counts that
    are gained or lost are amounts ("lost $4 billion" is a loss, not a fall)."""
    return q.kind == "percent" or q.unit in ("point", "basis point")


def _change_before(
    text: str, start: int, tokens: _TokenIndex, moves: bool = False
) -> Change | None:
    """ "rose 3 percent", "down 85%", "cut output by 2 million": a change word before the
    figure, in the same clause, with only filler words between them, or anywhere in the
    last eight words when the figure follows "by". "to"/"from" right before mark a level."""
    window_start = max(0, start - 60)
    breaks = [m.end() for m in CLAUSE_PUNCT.finditer(text, window_start, start)]
    if breaks and COMMA_BY.match(text, breaks[-1] - 1, start):
        breaks.pop()  # "have declined, by nine points": the comma does not end the clause
    offset = breaks[-1] if breaks else window_start
    words = [(m.group(0).lower(), m.start()) for m in WORD_RE.finditer(text, offset, start)]
    if words and words[-1][0] in LEVEL_MARKERS:
        return None
    after_by = bool(words) and words[-1][0] == "by"
    for word, at in reversed(words[-8:] if after_by else words[-6:]):
        if word in CLAUSE_BREAK:
            return None
        if word == "off":
            return "decrease" if _previous_word(text, at).lower() in LAY_OFF else None
        change = CHANGE_VERBS.get(word)
        if change is None:
            if not after_by and word not in CHANGE_FILLERS:
                return None
            continue
        if word in NEEDS_BY and not after_by:
            continue
        if word in GAIN_LOSS and not moves:
            continue
        if word in ("up", "down") and (
            tokens.dep_at(at) == "prt" or _previous_word(text, at).lower() in PHRASAL
        ):
            continue  # "make up 80 percent", "sign up 5 million people"
        return change
    return None


def _change_noun_after(text: str, end: int) -> Change | None:
    noun = CHANGE_NOUN_AFTER.match(text, end)
    if not noun:
        return None
    word = noun.group("noun").lower()
    return "increase" if word in INCREASE_NOUNS else "decrease"


def _quantified(text: str, q: Found, tokens: _TokenIndex) -> str | None:
    """What is counted: "25,000 National Guardsmen", "a third of voters", "tons of grain"."""
    if q.kind == "money":
        return None
    of = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+)?", text[q.end :])
    if q.kind == "count" and not q.is_fraction and of is None:
        return _noun_phrase(tokens, q.end)
    if of:
        return _noun_phrase(tokens, q.end + of.end())
    return None


def _noun_phrase(tokens: _TokenIndex, start: int) -> str | None:
    words: list[Token] = []
    token = tokens.after(start)
    while token is not None and len(words) < 5:
        if token.pos_ not in ("NOUN", "PROPN", "ADJ") or token.is_punct:
            break
        words.append(token)
        token = token.nbor(1) if token.i + 1 < len(token.doc) else None
    while words and words[-1].pos_ == "ADJ":
        words.pop()
    if not words:
        return None
    return tokens.text[words[0].idx : words[-1].idx + len(words[-1].text)]


def _to_quantity(text: str, q: Found, index: int) -> Quantity:
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
    )


class _TokenIndex:
    """Finds the token before or after a character offset (binary search over offsets)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token each time it is read
        self._starts: list[int] | None = None
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [t.idx for t in self.doc]
        return self._starts

    def entity_at(self, offset: int) -> str | None:
        """ "B" or "I" when the token starting at ``offset`` is in a named entity."""
        if not self.doc.has_annotation("ENT_IOB"):
            return None
        i = bisect_right(self.starts, offset) - 1
        if i < 0 or self.doc[i].idx != offset or self.doc[i].ent_iob_ not in ("B", "I"):
            return None
        return self.doc[i].ent_iob_

    def dep_at(self, offset: int) -> str | None:
        """The dependency label of the token starting at ``offset`` (None if unparsed)."""
        if not self.doc.has_annotation("DEP"):
            return None
        i = bisect_right(self.starts, offset) - 1
        return self.doc[i].dep_ if i >= 0 and self.doc[i].idx == offset else None

    def after(self, offset: int) -> Token | None:
        """The first token starting at or after ``offset``, skipping spaces."""
        if not self.has_pos:
            return None
        i = bisect_right(self.starts, offset - 1)
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def before(self, offset: int) -> Token | None:
        """The last non-space token ending at or before ``offset``."""
        if not self.has_pos:
            return None
        i = bisect_right(self.starts, offset - 1) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].idx + len(self.doc[i].text) > offset):
            i -= 1
        return self.doc[i] if i >= 0 else None
