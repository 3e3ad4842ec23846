"""What the sources stage knows about names: honorifics, first names, surnames, the kind a
name implies, documents, and the words that never name a speaker (times, objects)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Literal

Gender = Literal["m", "f", ""]

#: Honorifics and titles that may open a name but are not part of it.
HONORIFICS = frozenset(
    "mr mrs ms miss dr sen rep gov gen lt col sgt capt prof rev del sens reps fr".split()
)
FEMALE_HONORIFICS = frozenset("mrs ms miss".split())
LEADING_ARTICLES = frozenset("the a an".split())
#: Words that end organization names: a name ending in one is not a person's.
ORGANIZATION_ENDS = frozenset(
    "campaign committee foundation party administration department agency house office "
    "council court company group institute university college association union news "
    "times post journal network center centre bank fund board commission service "
    "corporation inc corp llc co team coalition caucus magazine press bureau ministry "
    "government senate congress police".split()
)
#: Head nouns of documents and media: they speak for their author or publisher.
DOCUMENT_HEADS = frozenset(
    "ad advertisement commercial spot tweet footage video clip poll survey study report "
    "filing letter memo memorandum analysis research book memoir article editorial column "
    "piece complaint lawsuit transcript email documentary ruling review audit "
    "statement document release data statistics census estimate projection forecast "
    "op-ed post blog post story account paper brief model index average".split()
)
#: Plural heads that name groups of people (besides words with an agent suffix).
GROUP_HEADS = frozenset(
    "people members voters residents citizens parents families children kids women men "
    "students workers employees victims critics supporters opponents proponents leaders "
    "officials lawmakers experts analysts economists scientists authorities police "
    "protesters demonstrators activists advocates allies countries nations states "
    "governments companies firms banks groups organizations unions colleges universities "
    "schools cities media others many some both most few all several delegates observers "
    "surrogates staff aides sources insiders insiders diplomats americans democrats "
    "republicans conservatives liberals progressives moderates independents friends "
    "neighbors relatives veterans immigrants refugees doctors nurses teachers officers "
    "troops soldiers fans backers donors candidates nominees senators governors mayors "
    "representatives agencies administrations parties committees panels courts judges "
    "prosecutors investigators attorneys lawyers regulators industry public crowd "
    "audience majority minority percent respondents participants economists "
    "peacekeepers clergy couples mothers fathers".split()
)
AGENT_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant", "ants")
TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday today yesterday tomorrow tonight morning afternoon evening night "
    "week weekend month year years decade century season spring summer fall autumn winter "
    "earlier later recently now then time day days hour hours minute minutes last next "
    "this early late".split()
)


def plain(text: str) -> str:
    """Lower case without accents, with straight apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65_536)  # asked again and again of the same few names in an article
def name_words(name: str) -> tuple[str, ...]:
    """The words that identify a name: lower case, without honorifics, a possessive, a
    leading article or punctuation ("Mr. Trump's" -> ("trump",))."""
    words = re.sub(r"[^\w\s'-]+", " ", re.sub(r"'s?\b", "", plain(name))).split()
    words = [w.strip("'-") for w in words]
    while words and (words[0] in LEADING_ARTICLES or words[0] in HONORIFICS):
        words.pop(0)
    return tuple(w for w in words if w)


def same_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether the shorter name can be the longer one: its words all in it, the same last
    word ("Trump" ~ "Donald Trump", "Times" ~ "New York Times")."""
    return bool(short) and bool(long) and short[-1] == long[-1] and set(short) <= set(long)


def strip_possessive(text: str) -> str:
    return re.sub(r"(?:['’]s?|['’])$", "", text.strip())


def honorific_of(text: str) -> str:
    first = text.split()[0].lower().rstrip(".") if text.split() else ""
    return first if first in HONORIFICS else ""


@cache
def _detector():  # type: ignore[no-untyped-def]
    import gender_guesser.detector as gender  # type: ignore[import-untyped]

    return gender.Detector(case_sensitive=False)


def first_name_gender(word: str) -> Gender | None:
    """'m' or 'f' for a first name of known gender, '' for a first name of either gender,
    None for a word that is no known first name (from gender-guesser's name lists)."""
    if not word[:1].isupper() or not word.replace("-", "").isalpha():
        return None
    found = _detector().get_gender(word)
    if found == "unknown":
        return None
    genders: dict[str, Gender] = {"male": "m", "mostly_male": "m", "female": "f"}
    genders["mostly_female"] = "f"
    return genders.get(found, "")


def is_first_name(word: str) -> bool:
    return first_name_gender(word) is not None


def looks_like_person(name: str) -> bool:
    """A full name of two to four capitalized words that opens with a first name, or an
    honorific and a name ("Mr. Trump"), and does not end in an organization word."""
    words = name.split()
    if not words or name_words(name)[-1:] and name_words(name)[-1] in ORGANIZATION_ENDS:
        return False
    if honorific_of(name) and len(words) >= 2 and words[1][:1].isupper():
        return True
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and is_first_name(words[0].strip(".,"))
    )


def is_group_head(word: str) -> bool:
    lower = word.lower()
    return lower in GROUP_HEADS or (lower.endswith(AGENT_SUFFIXES) and len(lower) > 4)


def is_time_phrase(words: list[str]) -> bool:
    """ "In August", "Thursday", "last week", "2014": a phrase of time words and numbers."""
    core = [w.lower().strip(".,'’") for w in words]
    core = [w for w in core if w and w not in LEADING_ARTICLES and w not in ("in", "on", "at")]
    return bool(core) and all(w in TIME_WORDS or w.isdigit() for w in core)
