"""What the normalizers share: the clause around an expression (does it speak of the past or
the future?) and the reading of written amounts and units into ISO 8601 durations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..record import TimeType
from .rules import (
    MONTHS,
    SMALL_NUMBERS,
    UNITS,
    VAGUE_NUMBERS,
)

#: What a normalizer returns: the TIMEX3 type and value, optionally with a later start
#: than the match's (to leave a determiner out of an extent: "the [two-week] crisis").
Found = tuple[TimeType, str] | tuple[TimeType, str, int]


@dataclass(frozen=True)
class _Context:
    text: str
    ref: dt.date | None

    def direction(self, start: int, end: int) -> int:
        """-1 when the clause around [start, end) speaks of the past, +1 of the future.

        News reports the past by default; "will ... Tuesday" or "as early as Tuesday" point
        ahead, unless a past-tense verb governs the expression ("said Tuesday that it
        would ...").
        """
        clause = self._clause_start(start)
        before = self.text[max(clause, start - 50) : start]
        if _STRONG_FUTURE.search(before):
            # "had been due to expire Friday": a plan that was, reported in the past;
            # "Until Thursday, they had described him ...", "it was not until Tuesday"
            after = self.text[end : min(len(self.text), end + 40)]
            if _PAST_PLAN.search(before) or (
                _UNTIL_END.search(before) and _PAST_AFTER_UNTIL.match(after)
            ):
                return -1
            return 1
        words = _WORD.findall(self.text[max(clause, start - 50) : start])[-4:]
        lowered = [w.lower() for w in words[-3:]]
        if any(w in _PRESENT_PLAN_VERBS for w in lowered) and not _DID.intersection(lowered):
            return 1  # "Arafat meet separately Monday": news' present tense for a plan
        if any(
            _is_past_verb(w) and not _after_determiner(words, i)
            for i, w in enumerate(words)
            if i >= len(words) - 3
        ):
            return -1
        window = self.text[max(clause, start - 80) : min(len(self.text), end + 20)]
        return 1 if _WEAK_FUTURE.search(window) else -1

    def weekday_direction(self, start: int, end: int) -> int:
        """Where a bare weekday lies, read from the tense and aspect of its clause, as
        HeidelTime and SUTime resolve "UNDEF-day-wednesday" (docs/timex.md, "Weekdays").

        Cue words decide first: "by Friday" and "due (on) Friday" are deadlines ahead,
        "since Friday" lies behind. Then the verb nearest the weekday in its clause, the
        one before it or, for a clause that opens with the weekday ("On Monday he said"),
        the one after it: a past form looks back; the present of news ("the leaders meet
        Wednesday", "the vote is Thursday", "protests are continuing Wednesday") looks
        ahead, as a future or a plan does. Otherwise :meth:`direction` decides.
        """
        clause = self._clause_start(start)
        before = self.text[max(clause, start - 40) : start]
        if _SINCE.search(before):
            return -1
        words = _WORD.findall(before)[-5:]
        tense = _tense_of(words, nearest_last=True)
        if _DEADLINE.search(before):
            past = tense < 0 or _DID_BEFORE.search(before)
            return -1 if past else 1  # "had filed reports by Wednesday" lies behind
        opening = _WORD.findall(self.text[clause:start])
        if tense == 0 and all(w.lower() in _OPENERS for w in opening):
            stop = _clause_end(self.text, end)
            tense = _tense_of(_WORD.findall(self.text[end:stop])[:5], nearest_last=False)
        if tense == 0 or _STRONG_FUTURE.search(before) or _DID_BEFORE.search(before):
            return self.direction(start, end)
        return tense

    def plainly_future(self, start: int) -> bool:
        """Whether a strong future cue ("will", "next", "scheduled") precedes ``start``."""
        before = self.text[max(self._clause_start(start), start - 50) : start]
        return bool(_STRONG_FUTURE.search(before)) and not _PAST_PLAN.search(before)

    def _clause_start(self, start: int) -> int:
        floor = max(0, start - 100)  # bounded, so that a long text costs linear time
        return max(floor - 1, *(self.text.rfind(c, floor, start) for c in ".;\n!?")) + 1


_WORD = re.compile(r"[A-Za-z']+")
_DEADLINE = re.compile(r"(?:\bby|\bdue(?:\s+(?:on|by))?)\s+(?:on\s+)?$", re.IGNORECASE)
_OPENERS = frozenset("on early late and but then".split())
_SINCE = re.compile(r"\b(?:since|through)\s+(?:on\s+)?$", re.IGNORECASE)
_DID_BEFORE = re.compile(r"\b(?:did|didn't|had)\b", re.IGNORECASE)
#: The present of news reports a plan or what is under way: "the leaders meet Wednesday".
_PRESENT = frozenset(
    """is are am 're isn't aren't meet meets go goes head heads visit visits vote votes begin
    begins open opens end ends start starts leave leaves arrive arrives return returns travel
    travels resume resumes hold holds take takes face faces play plays host hosts release
    releases testify testifies speak speaks close closes launch launches
    expire expires""".split()
)
_STRONG_FUTURE = re.compile(
    r"\b(?:will|shall|wo|as\s+(?:soon|early)\s+as|set\s+to|scheduled|due\s+to|expected\s+to|"
    r"going\s+to|until|till|next)\b|'ll\b",
    re.IGNORECASE,
)
_UNTIL_END = re.compile(r"\b(?:until|till)\s+$", re.IGNORECASE)
#: "Until Thursday, they had ...": the main clause, in the past, a few words on
_PAST_AFTER_UNTIL = re.compile(r"[\s,]+(?:\w+[\s,]+){0,3}(?:had|was|were)\b")
_PAST_PLAN = re.compile(r"\bhad\s+been\s+(?:due|scheduled|set|expected)\b", re.IGNORECASE)
_WEAK_FUTURE = re.compile(
    r"\b(?:would|plans?\s+to|planning|expects?\s+to|upcoming|to\s+(?:be|meet|begin|start|"
    r"vote|visit|announce|hold|release|leave|return|resume))\b",
    re.IGNORECASE,
)
_PAST_VERBS = frozenset(
    "said told met made took gave began went came held was were had left fell rose won "
    "lost got ran saw spoke wrote sent found thought brought bought sold paid put struck "
    "shot hit led flew fled read heard knew became chose drove broke caught".split()
)


_DETERMINERS = frozenset("a an the its their his her this that still".split())


def _after_determiner(words: list[str], i: int) -> bool:
    """Whether words[i] follows a determiner: an adjective ("an unspecified date")."""
    return i > 0 and words[i - 1].lower() in _DETERMINERS


_DID = frozenset(("did", "didn't"))  # "did not meet Monday" is past
_PRESENT_PLAN_VERBS = frozenset(
    "meet meets visits leaves begins opens arrives returns travels heads resumes".split()
)


def _is_past_verb(word: str) -> bool:
    if word[0].isupper() and word.lower() not in _PAST_VERBS:
        return False  # a name ending in -ed ("the United States", "Ted") is no verb
    lower = word.lower()
    return lower in _PAST_VERBS or (lower.endswith("ed") and len(lower) > 4)


_EDGE = (
    r"(?:early|late|mid|earlier|later|sometime|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
    r"the\s+middle\s+of|the\s+rest\s+of|the\s+close\s+of|the\s+turn\s+of|end\s+of)"
)


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _number(words: str) -> float | None:
    """The value of a number written in digits or words; None for vague ones ("several")."""
    text = " ".join(words.lower().replace("-", " ").split())
    if text in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    fraction = re.fullmatch(r"(\d+) (\d)/(\d)", text)
    if fraction:
        whole, num, den = (int(g) for g in fraction.groups())
        return whole + num / den
    if text.endswith(" and a half"):
        base = _number(text[: -len(" and a half")])
        return None if base is None else base + 0.5
    if text in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[text])
    parts = text.split()
    if len(parts) == 2 and all(p in SMALL_NUMBERS for p in parts):
        return float(SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]])
    return None


def _amount(number: float | None) -> str:
    if number is None:
        return "X"
    return str(int(number)) if number == int(number) else f"{number:g}"


def _duration(number: float | None, unit: str) -> str:
    """ISO 8601 duration: P3Y, PT2H, PXM (vague), decades and centuries in years."""
    unit = unit.lower()
    if unit == "decade":
        return "PXY" if number is None else f"P{_amount(number * 10)}Y"
    if unit == "century":
        return "PXC" if number is None else f"P{_amount(number * 100)}Y"
    if unit == "weekend":
        return "P2D" if number in (None, 1) else f"P{_amount(2 * (number or 0))}D"
    if unit == "quarter":
        return "PXQ" if number is None else f"P{_amount(number * 3)}M"
    prefix = "PT" if unit in ("second", "minute", "hour") else "P"
    if number is not None and number != int(number) and unit in _SMALLER:
        smaller, factor = _SMALLER[unit]  # "2 1/2 years": P2Y6M, as TimeBank writes it
        rest = (number - int(number)) * factor
        if rest == int(rest):
            whole = f"{int(number)}{UNITS[unit]}" if int(number) else ""
            if unit == "day":
                return f"P{whole}T{int(rest)}H"
            return f"{prefix}{whole}{int(rest)}{smaller}"
    return f"{prefix}{_amount(number)}{UNITS[unit]}"


_SMALLER = {"year": ("M", 12), "day": ("H", 24), "hour": ("M", 60), "minute": ("S", 60)}


def _unit(word: str) -> str:
    unit = word.lower().rstrip("s")
    return "century" if unit in ("centurie", "centurys") else unit


# ---------------------------------------------------------------------------------------


def _year_text(text: str) -> str:
    """Four digits for a year written in digits or words ("nineteen ninety-four")."""
    if text[:1].isdigit():
        return text
    head, _, tail = text.partition(" ")
    return f"{int(_number(head) or 19) * 100 + int(_number(tail) or 0):04d}"


def _tense_of(words: list[str], nearest_last: bool) -> int:
    """+1 when the verb-like word of ``words`` nearest the weekday is in the present (or a
    present progressive), -1 when it is a past form, 0 when none is either. A word after a
    determiner is a noun ("the close of business", "a vote")."""
    order = range(len(words) - 1, -1, -1) if nearest_last else range(len(words))
    for i in order:
        word = words[i]
        lower = word.lower()
        if _after_determiner(words, i):
            continue
        if lower in _PRESENT:
            return 1
        if lower.endswith("ing") and len(lower) > 4:
            continue  # "are continuing": the auxiliary before it decides
        if _is_past_verb(word):
            return -1
    return 0


def _clause_end(text: str, end: int) -> int:
    stops = [i for i in (text.find(c, end, end + 80) for c in ",.;!?\n") if i >= 0]
    return min(stops) if stops else min(len(text), end + 80)
