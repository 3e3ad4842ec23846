"""The evaluation data for quote provenance, built from PolNeAR (train or dev).

Real pairs: the gold content spans of every article (one annotation file per article),
each a quote of its outlet (the file name gives outlet and date). PolNeAR covers the same
events in seven outlets, so the same statement recurs across articles. Two spans of
different articles are gold copies of one statement when their normalized words share one
unbroken run of ``GOLD_RUN`` words or more that covers at least half of the shorter span,
or the shorter (``GOLD_MIN_WORDS`` words or more) lies whole inside the longer: a rule a
reader can check by eye, not the clusterer's own measure (which adds up every aligned word,
across changed ones). The half: a stock phrase ("the North American Free Trade Agreement")
inside two different claims is not one statement.

Synthetic alterations: real direct quotes copied into new articles verbatim, trimmed, or
altered (a word substituted, deleted or inserted; a number changed; a negation added or
removed; a name swapped), with a fixed seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from ..errors import DataError
from ..provenance.variants import NEGATIONS, NUMBER_WORDS
from ..provenance.wording import Wording, wording
from ..record import Article, quoted_words
from .brat import list_corpus, read_ann, read_text

GOLD_RUN = 6
GOLD_MIN_WORDS = 4
INDEX_WORDS = 4  # candidate pairs share a run of this many words
COMMON_RUN = 300  # a run of words in more spans than this proposes no pairs (no statement)
_NAME = re.compile(r"^(?P<outlet>[a-z]+)_(?P<date>\d{4}-\d{2}-\d{2})_")
_QUOTE_MARKS = '"“”'


@dataclass(frozen=True)
class Span:
    article: str  # the article's file name (stem)
    outlet: str
    published: str | None
    kind: str  # direct (in quotation marks) | indirect
    content: str
    start: int
    end: int


@dataclass(frozen=True)
class ArticleSpans:
    name: str
    text: str
    outlet: str
    published: str | None
    spans: tuple[Span, ...]


def read_articles(data: Path) -> list[ArticleSpans]:
    """Each article with its gold content spans (its first annotation file); an article
    whose text repeats an earlier one's (whitespace aside) is left out, as ingest would."""
    articles = []
    seen: set[str] = set()
    for entry in list_corpus(data):
        text = read_text(entry.text_path)
        if Article.make_id(text) in seen:
            continue
        seen.add(Article.make_id(text))
        match = _NAME.match(entry.name)
        outlet = match.group("outlet") if match else "unknown"
        published = match.group("date") if match else None
        gold = read_ann(entry.ann_paths[0], len(text))
        spans = []
        for attribution in gold.attributions:
            pieces = list(attribution.content)
            raw = "".join(text[s:e] for s, e in pieces).strip()
            kind = "direct" if raw[:1] in _QUOTE_MARKS or raw[-1:] in _QUOTE_MARKS else "indirect"
            content = quoted_words(text, pieces)
            if content:
                spans.append(
                    Span(entry.name, outlet, published, kind, content, pieces[0][0], pieces[-1][1])
                )
        articles.append(ArticleSpans(entry.name, text, outlet, published, tuple(spans)))
    if not articles:
        raise DataError(f"{data}: no annotated articles")
    return articles


def gold_pairs(spans: list[Span]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of spans of different articles that copy one statement."""
    words = [wording(s.content) for s in spans]
    postings: dict[tuple[str, ...], list[int]] = {}
    for index, w in enumerate(words):
        for run in set(_runs(w, INDEX_WORDS)):
            postings.setdefault(run, []).append(index)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) > COMMON_RUN:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if spans[i].article != spans[j].article:
                    candidates.add((i, j))
    return {pair for pair in candidates if copies(words[pair[0]], words[pair[1]])}


def copies(a: Wording, b: Wording) -> bool:
    """The gold rule (see the module's note)."""
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    longest = matcher.find_longest_match(0, len(a), 0, len(b)).size
    shorter = min(len(a), len(b))
    if shorter >= GOLD_MIN_WORDS and longest == shorter:
        return True
    return longest >= GOLD_RUN and longest * 2 >= shorter


def _runs(w: Wording, n: int) -> Iterator[tuple[str, ...]]:
    for i in range(len(w.words) - n + 1):
        yield w.words[i : i + n]


# -- synthetic alterations ------------------------------------------------------------------

ALTERATIONS = ("substitute", "delete", "insert", "number", "negation", "name")
HIGH = frozenset({"number", "negation", "name"})
UNCHANGED = ("verbatim", "trimmed")
_FILLERS = ("really", "very", "certainly", "simply", "truly", "quite")
_SWAPS = ("great", "big", "bad", "real", "strong", "major", "serious", "total")
_NAMES = ("Johnson", "Smith", "Garcia", "Miller", "Ohio", "Mexico", "Congress")
_AUXILIARIES = frozenset("is was are were will would can could should do does did has have".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Copy:
    original: int  # index of the real span it copies
    change: str  # verbatim | trimmed | one of ALTERATIONS
    content: str


def make_copies(spans: list[Span], originals: list[int], seed: int) -> list[Copy]:
    """For each original, a verbatim copy, a trimmed one and every alteration it allows."""
    rng = random.Random(seed)
    made = []
    for index in originals:
        content = spans[index].content
        for change in (*UNCHANGED, *ALTERATIONS):
            altered = _apply(change, content, rng)
            if altered is not None and altered != content or change == "verbatim":
                made.append(Copy(index, change, altered or content))
    return made


def _apply(change: str, text: str, rng: random.Random) -> str | None:
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if len(tokens) < 8:
        return None
    inner = tokens[1:-1]
    plain = [t for t in inner if _plain(t[2]) and t[2][0].islower()]
    if change == "verbatim":
        return _restyle(text)
    if change == "trimmed":
        size = rng.randint(max(5, len(tokens) // 2), len(tokens) - 1)
        first = rng.randint(0, len(tokens) - size)
        return text[tokens[first][0] : tokens[first + size - 1][1]]
    if change == "substitute" and plain:
        s, e, word = rng.choice(plain)
        swap = rng.choice([w for w in _SWAPS if w != word.lower()])
        return text[:s] + swap + text[e:]
    if change == "delete" and plain:
        s, e, _ = rng.choice(plain)
        return (text[:s] + text[e:]).replace("  ", " ")
    if change == "insert":
        s, _, _ = rng.choice(inner)
        return text[:s] + rng.choice(_FILLERS) + " " + text[s:]
    if change == "number":
        return _change_number(text, tokens, rng)
    if change == "negation":
        return _change_negation(text, tokens)
    if change == "name":
        names = [t for t in inner if t[2][0].isupper() and t[2] != "I"]
        if names:
            s, e, word = rng.choice(names)
            return text[:s] + rng.choice([n for n in _NAMES if n != word]) + text[e:]
    return None


def _plain(word: str) -> bool:
    lower = word.lower()
    return not (
        lower in NEGATIONS or lower.endswith("n't") or lower in NUMBER_WORDS or word[0].isdigit()
    )


def _restyle(text: str) -> str:
    """The same words as another outlet may print them: straight marks, no final stop."""
    return text.replace("’", "'").replace("‘", "'").rstrip(".")


def _change_number(text: str, tokens: list[tuple[int, int, str]], rng: random.Random) -> str | None:
    numbers = [t for t in tokens if t[2][0].isdigit() or t[2].lower() in NUMBER_WORDS]
    if not numbers:
        return None
    s, e, word = rng.choice(numbers)
    if word[0].isdigit():
        digits = word.replace(",", "")
        value = int(float(digits)) if digits.replace(".", "", 1).isdigit() else 1
        new = str(value + rng.randint(1, 9))
    else:
        new = rng.choice(
            [w for w in ("two", "five", "ten", "million", "half") if w != word.lower()]
        )
    return text[:s] + new + text[e:]


def _change_negation(text: str, tokens: list[tuple[int, int, str]]) -> str | None:
    for s, e, word in tokens:
        lower = word.lower()
        if lower in ("not", "never"):
            return (text[:s] + text[e:]).replace("  ", " ")
        if lower.endswith(("n't", "n’t")):
            positive = {"won't": "will", "can't": "can"}.get(lower.replace("’", "'"), word[:-3])
            return text[:s] + positive + text[e:]
    for _s, e, word in tokens[1:-1]:
        if word.lower() in _AUXILIARIES:
            return text[:e] + " not" + text[e:]
    return None
