"""Numbers that are no figures: years, dates, clock times, identifiers, numbers inside names."""

from __future__ import annotations

import re

from .found import (
    Found,
    _TokenIndex,
)
from .patterns import (
    AGE_AFTER,
    AGE_BEFORE,
    CLOCK_AFTER,
    CLOCK_BEFORE,
    CLOCK_KEY,
    DURATION_AFTER,
    FRACTION_FOLLOWER,
    HALF_A_PERIOD,
    ID_WORDS,
    IGNORECASE,
    LIST_MARKER,
    MAIL,
    MONTH_AFTER,
    MONTH_BEFORE,
    NOMINAL,
    NOT_BEFORE_FRACTION,
    NOT_FIGURES,
    SCORE,
    SENTENCE_OPENERS,
    STREET_AFTER,
    VOTE_AFTER,
)
from .units import (
    MEASURE_AFTER,
)

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


#: After "#", an amount of sterling (the wire's "£") rather than a number in a list.
_POUND_AMOUNT = re.compile(
    r"\d[\d,]*(?:\.\d+)?\s+(?:million|billion|trillion)\b|\d{1,3}(?:,\d{3})+(?!\d)|\d+\.\d+"
)


def _is_inside_name_or_code(text: str, start: int, end: int) -> bool:
    """ "COVID-19", "F-35", "9/11", "#5": digits glued to letters or to other digits."""
    before = text[start - 1] if start else " "
    before2 = text[start - 2] if start > 1 else " "
    if before == "#":
        return not _POUND_AMOUNT.match(text, start)  # "#5" a rank, "#300 million" sterling
    if before in "-/" and before2.isalnum():
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
    written = text[start:end]
    if re.match(r"\d{1,3},\d{3}", written) or (written.isdigit() and int(written) > 31):
        return False  # "on Saturday, 69 percent", "Thursday, 5,745,188 shares": no day
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


#: "one to two years", "one or two": the pronoun reading is out when a number follows.
_RANGE_TO_NUMBER = re.compile(
    r"\s*(?:-|–|to|or)\s*(?:\d|two|three|four|five|six|seven|eight|nine|ten)\b", IGNORECASE
)


SPELLED_YEAR = re.compile(
    r"(?:eighteen|nineteen)[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?",
    IGNORECASE,
)


def _is_word_figure(text: str, match: re.Match[str], tokens: _TokenIndex) -> bool:
    """Number words that are figures: not "Air Force One", not pronoun "one"."""
    start, end = match.span()
    word = match.group(0)
    if word[:1].isupper() and (
        not _is_sentence_start(text, start) or _opens_a_name(text, end, tokens)
    ):
        return False  # a capitalized number word in a name: "Air Force One", "Zero Hedge"
    if SPELLED_YEAR.fullmatch(word):
        return False  # "the winter of nineteen ninety-four"
    if re.match(r"\s+o['’]clock", text[end : end + 9], IGNORECASE):
        return False  # "three o'clock" is a time
    if (
        re.match(r"-[a-z]", text[end : end + 2], IGNORECASE)
        and not MEASURE_AFTER.match(text, end)
        and not DURATION_AFTER.match(text, end)
    ):
        return False  # "a four-way race", "one-on-one", "a two-front war": no figure
    if _previous_word(text, start).lower() in ("number", "no.", "year"):
        return False  # "the number one issue": a rank; "the year two thousand"
    if word.lower() != "one":
        return True
    if re.match(r"\s+point\b", text[end : end + 7], IGNORECASE):
        return False  # "at one point": a moment
    if re.match(
        r"\s+(?:of|another|time|way|thing|side|hand|more|another)\b", text[end:], IGNORECASE
    ):
        return False
    previous = _previous_word(text, start).lower()
    if previous in ("no", "the", "this", "that", "any", "every", "each", "which", "another", "a"):
        return False
    if DURATION_AFTER.match(text, end) or _RANGE_TO_NUMBER.match(text, end):
        return True  # "one day" (a figure when a TIMEX3 DURATION holds it), "one to two years"
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
