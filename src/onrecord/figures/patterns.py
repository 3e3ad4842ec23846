"""The regular expressions and word lists the figures stage reads text with."""

from __future__ import annotations

import re

from ..record import Bound, Change
from . import numbers

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
SYMBOL_AT = re.compile(r"(?:[A-Z]{0,3}\$|€|£|¥|₹|#(?=\d))")
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
