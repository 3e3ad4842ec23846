"""Source evaluation: one identity per speaker, the right kind, and never a thing.

`onrecord eval sources` runs the pipeline over PolNeAR-layout data and checks the sources
of each record (docs/evaluation.md explains the checks for people):

* **split pairs**: pairs of one article's named sources (person or organization, a name
  with a capital) whose names say they are the same: after dropping honorifics ("Mr."),
  a possessive ("Trump's"), a leading "the" and punctuation, the shorter name's words are
  all in the longer one and both end in the same word ("Trump" ~ "Donald Trump",
  "Mr. Trump" ~ "Donald Trump", "The Times" ~ "The New York Times"). A short name that
  fits two different longer names ("Clinton" beside "Hillary Clinton" and "Bill Clinton")
  is ambiguous and not counted, nor is a lone generic word ("House" beside "White House").
  Reported per 100 named sources.
* **person as organization**: organization or group sources whose name is a person's: it
  opens with an honorific, or a first name (gender-guesser's list) opens a name of two or
  more words that does not end in an organization word, or it is the surname of a
  person the article names in full (a PERSON entity opening with a first name). Per 100
  named sources.
* **things**: every source named by a time phrase ("In August"), a phrase that opens with
  a preposition, a place that does not act (a place not typed organization, or named
  after a preposition in its speaker mention: "supporters in Michigan"), or a common noun
  that is neither an agent (people, organizations, groups) nor a document, listed with
  its article. The target is none.
* **referent share** (with ``referents``, a JSON Lines file such as
  tests/data/polnear-dev-referents.jsonl): each gold Source span is matched to the
  predicted quote whose speaker mention overlaps it most (token overlap of half or more);
  a referent's *home* is the predicted source most of its spans went to, and a source's
  *owner* the referent most of its spans came from. A span is right when its source is
  its referent's home and the home's owner is that referent (so a split and a wrong merge
  both count against it). Spans with no overlapping predicted speaker are not judged
  (``referent_judged`` says how many were).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..record import Record, Source
from .quotes import LoadedArticle, TextIndex, load_articles, overlap_score

# The judge keeps its own word lists rather than importing the pipeline's
# (attribution/names.py, phrases.py): a word added there to fix the pipeline must not also
# change what this check counts as a split, a thing or a wrong kind.
HONORIFICS = frozenset("mr mrs ms miss dr sen rep gov prof rev gen lt col sgt capt del".split())
LEADING = frozenset("the a an".split())
#: Words that end organization names; a name ending in one is not a person's.
ORGANIZATION_ENDS = frozenset(
    "campaign committee foundation party administration department agency house office "
    "council court company group institute university college association union news "
    "times post journal network center centre bank fund board commission service "
    "corporation inc corp llc co team coalition caucus network magazine press".split()
)
#: A lone word of these is too generic to pair with a longer name ("House", "Party").
GENERIC = frozenset(
    "house committee department party court council campaign administration office agency "
    "government senate congress police union group team board state states foundation "
    "institute university college association company bank fund commission service".split()
)
TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday today yesterday tomorrow tonight morning afternoon evening night "
    "week weekend month year years decade century season spring summer fall autumn winter "
    "earlier later recently now then time times day days hour hours minute minutes".split()
)
PREPOSITIONS = frozenset(
    "in at on during after before since by for with from into of to according "
    "under over across throughout".split()
)
TIME_MODIFIERS = frozenset("last next this early late the of".split())
#: A name that ends in one of these, or holds one of the others, is a piece of a clause.
CLAUSE_ENDS = frozenset("of and that to be who which for or but".split())
CLAUSE_WORDS = frozenset("was were is are has have had said says would will".split())
#: Agents a common noun can name: people by role, organizations, groups.
AGENT_NOUNS = frozenset(
    "official officials source sources aide aides person people adviser advisers advisor "
    "advisors insider insiders staffer staffers diplomat diplomats officer officers "
    "spokesman spokeswoman spokesperson spokespeople operative operatives someone "
    "individual individuals associate associates president senator senators governor "
    "governors mayor mayors candidate candidates nominee nominees secretary minister "
    "ministers chairman chairwoman chair director directors leader leaders lawyer lawyers "
    "attorney attorneys judge judges analyst analysts expert experts economist economists "
    "professor professors scientist scientists researcher researchers author authors "
    "writer writers reporter reporters journalist journalists columnist host anchor "
    "ambassador general chief executive executives founder man men woman women voter "
    "voters resident residents mother father wife husband son daughter friend friends "
    "neighbor neighbors student students teacher teachers doctor doctors physician "
    "pastor bishop pope king queen prince activist activists lawmaker lawmakers "
    "legislator legislators congressman congresswoman representative representatives "
    "commissioner superintendent sheriff prosecutor prosecutors manager managers "
    "strategist strategists pollster pollsters consultant consultants critic critics "
    "supporter supporters opponent opponents proponent proponents member members "
    "republicans democrats americans citizens parents workers employees investigators "
    "protesters demonstrators group groups government administration department ministry "
    "office house campaign committee agency company companies party court police council "
    "commission board bureau service organization team senate congress pentagon network "
    "newspaper paper center institute foundation union association coalition caucus "
    "panel firm firms industry regulators authorities city state country countries nation "
    "nations everyone anyone nobody others many some both most few all editors editor "
    "viewers readers respondents americans i we you he she they it announcer narrator "
    "questioner reader moderator moderators victims advocates followers delegates veterans "
    "immigrants environmentalists observers contenders surrogates bloc alliance bank banks "
    "fund world media administrators colleges cities public audience crowd peacekeepers "
    "mogul majority percent backers fans policymakers migrants fundraisers donors outlet "
    "outlets themselves".split()
)
#: Documents and media: they speak for their author or publisher.
DOCUMENT_NOUNS = frozenset(
    "ad ads advertisement advertisements commercial commercials tweet tweets post posts "
    "footage video videos poll polls survey surveys study studies report reports filing "
    "filings letter letters memo memos statement statements document documents analysis "
    "research data record records book memoir article articles editorial column piece "
    "complaint complaint lawsuit suit release releases transcript transcripts email emails "
    "website site page message messages note notes interview interviews documentary "
    "ruling rulings decision opinion order proposal plan plans bill law rules bylaws "
    "statistics numbers figures estimate estimates count census review audit audits "
    "account accounts chart graphic map headline headlines story stories blog".split()
)


def name_words(name: str) -> tuple[str, ...]:
    """Lower-case words of a name without honorifics, a possessive, a leading article or
    punctuation ("Mr. Trump's" -> ("trump",))."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("’", "'")
    plain = re.sub(r"'s?\b", "", plain.lower())
    words = re.sub(r"[^\w\s-]+", " ", plain).split()
    while words and (words[0] in LEADING or words[0] in HONORIFICS):
        words.pop(0)
    return tuple(words)


def is_named(source: Source) -> bool:
    """A person or organization named with a capital ("Trump", "The Times")."""
    if source.kind not in ("person", "organization"):
        return False
    words = [w for w in source.name.split() if w.lower().strip(".") not in LEADING | HONORIFICS]
    return any(w[:1].isupper() for w in words)


def _same_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return bool(short) and short[-1] == long[-1] and set(short) <= set(long)


def split_pairs(sources: Sequence[Source]) -> list[tuple[str, str]]:
    """Pairs of named sources of one article whose names say they are one (see above)."""
    named = [(s, name_words(s.name)) for s in sources if is_named(s)]
    named = [(s, w) for s, w in named if w]
    pairs = []
    for i, (first, a) in enumerate(named):
        for second, b in named[i + 1 :]:
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if not _same_name(short, long):
                continue
            if short != long and len(short) == 1 and short[0] in GENERIC:
                continue
            fuller = {w for _, w in named if w != short and _same_name(short, w)}
            if short != long and any(
                not _same_name(x, y) and not _same_name(y, x) for x in fuller for y in fuller
            ):
                continue  # "Clinton" beside both "Hillary Clinton" and "Bill Clinton"
            pairs.append((first.name, second.name))
    return pairs


@cache
def _first_names() -> Callable[[str], bool]:
    import gender_guesser.detector as gender  # type: ignore[import-untyped]

    detector = gender.Detector(case_sensitive=False)
    return lambda word: detector.get_gender(word) != "unknown"


def is_first_name(word: str) -> bool:
    return word[:1].isupper() and _first_names()(word)


def person_evidence(source: Source, record: Record) -> str | None:
    """Why this source's name is a person's, or None (see the module docstring)."""
    raw = source.name.split()
    words = name_words(source.name)
    if not words or words[-1] in ORGANIZATION_ENDS:
        return None
    capitalized = all(w[:1].isupper() for w in raw)
    if raw and raw[0].lower().strip(".") in HONORIFICS and len(raw) > 1 and capitalized:
        return "honorific"
    shown = [w for w in raw if w.lower().strip(".,") not in LEADING]
    if (
        len(words) >= 2
        and shown
        and is_first_name(shown[0].strip(".,"))
        and all(w[:1].isupper() for w in shown)
    ):
        return "first name"
    if len(words) == 1:
        for entity in record.entities:
            full = entity.canonical.split()
            if (
                entity.label == "PERSON"
                and len(full) >= 2
                and name_words(entity.canonical)[-1:] == words
                and is_first_name(full[0])
            ):
                return "surname of " + entity.canonical
    return None


def thing_reason(source: Source, record: Record) -> str | None:
    """Why this source is not a speaker (a time, a phrase opening with a preposition, a
    place that does not act, an object), or None."""
    words = source.name.lower().replace("’", "'").split()
    if not words:
        return "empty"
    if words[0] in PREPOSITIONS:
        return "time" if any(w.strip(".,") in TIME_WORDS for w in words) else "preposition"
    core = name_words(source.name)
    if core and all(_is_time_word(w) for w in core) and "Times" not in source.name:
        return "time"
    if words[-1].strip(".,'’") in CLAUSE_ENDS or CLAUSE_WORDS & set(words[1:]):
        return "clause"
    place = _place_reason(source, record)
    if place:
        return place
    if source.kind in ("anonymous", "document") or is_named(source) or not core:
        return None
    head = _head_words(source.name)
    if any(_is_agent_or_document(word.lower()) for word in head):
        return None
    if any(w[:1].isupper() for w in source.name.split()[1:]) or head[-1][:1].isupper():
        return None  # "Republicans in Congress", a name the list does not know
    return "object"


def _is_time_word(word: str) -> bool:
    return word in TIME_WORDS or word in TIME_MODIFIERS or word.isdigit()


def _is_agent_or_document(word: str) -> bool:
    return any(w in AGENT_NOUNS or w in DOCUMENT_NOUNS for w in (word, word.rstrip("s")))


def _head_words(name: str) -> list[str]:
    """The words before a comma, a relative pronoun or a preposition ("the coal" ->
    "the coal", "members of the caucus" -> "members"), never none."""
    words = re.split(r"[,(—]", name, maxsplit=1)[0].replace("’", "'").split()
    kept: list[str] = []
    for word in words:
        if kept and word.lower() in PREPOSITIONS | {"who", "which", "that"}:
            break
        kept.append(word.strip(".,'\""))
    return [re.sub(r"'s?$", "", word) for word in kept] or [""]


def _place_reason(source: Source, record: Record) -> str | None:
    words = name_words(source.name)
    places = {name_words(e.text) for e in record.entities if e.label == "LOC"}
    places |= {name_words(e.canonical) for e in record.entities if e.label == "LOC"}
    if not words or words not in places:
        return None
    if source.kind != "organization":
        return "place typed " + source.kind
    for quote in record.quotes:
        if quote.source_id != source.id or quote.speaker is None:
            continue
        before = quote.speaker.text.split(source.name.split()[0])[0].lower().split()
        if before and before[-1] in PREPOSITIONS:
            return "place named after a preposition"
    return None


@dataclass(frozen=True)
class ReferentSpan:
    spans: tuple[tuple[int, int], ...]
    referent: str


def load_referents(path: Path) -> dict[str, list[ReferentSpan]]:
    """The referent annotations, by article name (see tests/data/polnear-dev-referents.md)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    result: dict[str, list[ReferentSpan]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            result[item["article"]] = [
                ReferentSpan(tuple((int(s), int(e)) for s, e in span["spans"]), span["referent"])
                for span in item["sources"]
                if span["referent"] is not None
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{number}: not a referent annotation ({exc})") from exc
    return result


def judge_referents(
    record: Record, spans: Sequence[ReferentSpan]
) -> tuple[int, int, list[dict[str, Any]]]:
    """(right, judged, wrong spans) for one article's referent annotations."""
    index = TextIndex(record.article.text)
    speakers = [
        (index.tokens(((q.speaker.start, q.speaker.end),)), q.source_id)
        for q in record.quotes
        if q.speaker is not None
    ]
    assigned: list[tuple[ReferentSpan, str | None]] = []
    for span in spans:
        gold = index.tokens(span.spans)
        scored = [(overlap_score(tokens, gold), sid) for tokens, sid in speakers]
        best = max(scored, default=(0.0, None), key=lambda pair: pair[0])
        if best[0] >= 0.5:
            assigned.append((span, best[1]))
    home = _majority((span.referent, sid) for span, sid in assigned)
    owner = _majority((sid, span.referent) for span, sid in assigned if sid is not None)
    right, wrong = 0, []
    for span, sid in assigned:
        if sid is not None and home[span.referent] == sid and owner[sid] == span.referent:
            right += 1
        else:
            source = record.source(sid)
            wrong.append(
                {
                    "article": record.article.title or "",
                    "span": index.show(span.spans),
                    "referent": span.referent,
                    "source": source.name if source else None,
                }
            )
    return right, len(assigned), wrong


def _majority(pairs: Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    """For each key, its most frequent value (the first seen on a tie)."""
    counts: dict[Any, Counter[Any]] = {}
    for key, value in pairs:
        counts.setdefault(key, Counter())[value] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in counts.items()}


@dataclass
class SourceScorer:
    """Accumulates the source checks over articles."""

    articles: int = 0
    sources: int = 0
    named: int = 0
    splits: list[dict[str, Any]] = field(default_factory=list)
    wrong_kind: list[dict[str, Any]] = field(default_factory=list)
    things: list[dict[str, Any]] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    referent_right: int = 0
    referent_judged: int = 0
    referent_spans: int = 0
    referent_wrong: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, record: Record, referents: Sequence[ReferentSpan] | None) -> None:
        self.articles += 1
        self.sources += len(record.sources)
        self.named += sum(is_named(s) for s in record.sources)
        self.kinds.update(s.kind for s in record.sources)
        for first, second in split_pairs(record.sources):
            self.splits.append({"article": name, "names": [first, second]})
        for source in record.sources:
            if source.kind == "organization" or (
                source.kind == "group" and " and " not in source.name
            ):  # a group of two named people ("Mr. King and Mr. Morial") is a group
                why = person_evidence(source, record)
                if why:
                    self.wrong_kind.append(
                        {"article": name, "name": source.name, "kind": source.kind, "why": why}
                    )
            reason = thing_reason(source, record)
            if reason:
                self.things.append(
                    {"article": name, "name": source.name, "kind": source.kind, "why": reason}
                )
        if referents is not None:
            right, judged, wrong = judge_referents(record, referents)
            self.referent_right += right
            self.referent_judged += judged
            self.referent_spans += len(referents)
            for item in wrong:
                item["article"] = name
            self.referent_wrong.extend(wrong)

    def result(self, details: bool = False) -> dict[str, Any]:
        per_100 = 100 / self.named if self.named else 0.0
        scores: dict[str, Any] = {
            "articles": self.articles,
            "sources": self.sources,
            "named_sources": self.named,
            "kinds": dict(sorted(self.kinds.items())),
            "split_pairs": len(self.splits),
            "split_pairs_per_100_named": round(len(self.splits) * per_100, 2),
            "person_as_organization": len(self.wrong_kind),
            "person_as_organization_per_100_named": round(len(self.wrong_kind) * per_100, 2),
            "thing_sources": len(self.things),
            "thing_sources_by_reason": dict(
                sorted(Counter(t["why"].split(" ")[0] for t in self.things).items())
            ),
        }
        if self.referent_spans:
            scores["referent_spans"] = self.referent_spans
            scores["referent_judged"] = self.referent_judged
            scores["referent_accuracy"] = round(
                self.referent_right / self.referent_judged if self.referent_judged else 0.0, 4
            )
        if details:
            scores["details"] = {
                "splits": self.splits,
                "person_as_organization": self.wrong_kind,
                "things": self.things,
                "referent_wrong": self.referent_wrong,
            }
        return scores


RecordMaker = Callable[[Sequence[LoadedArticle]], Iterator[Record]]


def score_records(
    articles: Sequence[LoadedArticle],
    records: Iterable[Record],
    referents: dict[str, list[ReferentSpan]] | None = None,
) -> SourceScorer:
    scorer = SourceScorer()
    for article, record in zip(articles, records, strict=True):
        wanted = referents.get(article.name) if referents is not None else None
        scorer.add(article.name, record, wanted)
    return scorer


def pipeline_records(articles: Sequence[LoadedArticle]) -> Iterator[Record]:
    """Records of the full pipeline (entities, quotes and sources) with a progress bar."""
    from ..pipeline import load, make_article, record_from_doc
    from .quotes import _with_progress

    texts = [a.text for a in articles]
    docs = load().pipe(texts, batch_size=8)
    for text, doc in _with_progress(zip(texts, docs, strict=True), len(texts), True):
        yield record_from_doc(doc, make_article(text), stages=("entities", "quotes"))


def evaluate_sources(
    data: Path, *, referents_path: Path | None = None, limit: int | None = None
) -> SourceScorer:
    """Run the pipeline over a PolNeAR-layout directory and check its sources."""
    from .brat import list_corpus

    referents = load_referents(referents_path) if referents_path else None
    articles = load_articles(list_corpus(data)[:limit])
    if referents is not None:
        missing = sorted(set(referents) - {a.name for a in articles})
        if missing and limit is None:
            raise DataError(f"{referents_path}: articles not in {data}: {', '.join(missing[:3])}")
    return score_records(articles, pipeline_records(articles), referents)
