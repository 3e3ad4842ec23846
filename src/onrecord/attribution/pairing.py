"""A learned score for pairing a cue with its content and its source (docs/quotes.md).

The span model scores each Source, Cue and Content span on its own; which content and which
source belong to which cue is decided here. Every content and source of the cue's paragraph
near it (``attributions.Nearby``) is a candidate, described by a few features of the parse
and the spans: words and punctuation between, direction, a sentence end between, another cue
between, whether the candidate is the cue's subject or clausal complement in the parse, an
entity or a pronoun, the span model's own score. A model fitted on PolNeAR train by
training/learn_pairing.py (a conditional logit: a cue's candidates and "none of them"
compete) turns the features into the probability that the cue takes each candidate; a cue
takes its most probable one when that probability reaches a threshold chosen on the train
slice. The weights are data (``data/pairing-<pipeline>.json``: each pipeline's span model
has its own), loaded once; ``use`` replaces them (the training script tries settings with
it, tests pin them).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..attributions import LearnedSpan, ModelSpans, Nearby

#: One weights file per pipeline: each is fitted on its own span model's spans.
WEIGHTS_FILE = "pairing-{pipeline}.json"
#: Where a Doc may say which pipeline parsed it (training/learn_pairing.py sets it on the
#: Docs it caches); otherwise the `accurate` pipeline is known by its encoder's vectors.
PIPELINE_KEY = "onrecord_pipeline"
ENCODER_EXTENSION = "onrecord_encoder"  # onrecord.nlp.encoder.EXTENSION
SENTENCE_ENDS = frozenset({".", "?", "!"})
QUOTE_MARKS = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»", "``", "''"})
CLAUSAL = frozenset({"ccomp", "xcomp", "parataxis", "csubj", "advcl", "dep"})
SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl"})
PEOPLE = frozenset({"PERSON"})
GROUPS = frozenset({"ORG", "NORP", "GPE"})

CONTENT_FEATURES = (
    "bias",
    "after_cue",
    "adjacent",
    "log_words_between",
    "within_3_words",
    "log_tokens_between",
    "same_sentence",
    "sentence_end_between",
    "comma_between",
    "colon_between",
    "quote_mark_between",
    "cue_between",
    "content_between",
    "head_is_in_cue",
    "cue_head_is_in_content",
    "clausal_dependent",
    "nearest",
    "span_score",
    "weak",
    "log_length",
    "confident_within_3_words",
    "nearest_within_3_words",
    "cue_ends_its_sentence",
    "opens_with_quote_mark",
    "another_cue_is_nearer",
)
SOURCE_FEATURES = (
    "bias",
    "before_cue",
    "adjacent",
    "log_words_between",
    "log_tokens_between",
    "same_sentence",
    "sentence_end_between",
    "comma_between",
    "quote_mark_between",
    "cue_between",
    "content_between",
    "subject_of_cue",
    "child_of_cue",
    "cue_has_another_subject",
    "cue_head_is_in_source",
    "pronoun",
    "person",
    "organization",
    "nearest",
    "span_score",
    "weak",
    "log_length",
    "another_cue_is_nearer",
)

_override: dict[str, Any] | None = None
_overridden = False


def use(config: dict[str, Any] | None) -> None:
    """Pair the Docs of every pipeline with ``config`` (the form of the weights files;
    ``None``: nearest pairing) instead of the shipped weights, until ``reset``."""
    global _override, _overridden
    _override, _overridden = config, True


def reset() -> None:
    global _override, _overridden
    _override, _overridden = None, False


def active(pipeline: str = "fast") -> Pairing | None:
    """The learned pairing in force for Docs of ``pipeline``, or None where nearest-pairing
    is (its shipped file says ``"enabled": false``, or ``use(None)`` was called)."""
    if _overridden:
        return Pairing.of(_override) if _override is not None else None
    return _shipped(pipeline)


def pipeline_of(doc: Doc) -> str:
    """`accurate` or `fast`: the pipeline whose span model left the Doc's spans."""
    marked = doc.user_data.get(PIPELINE_KEY)
    if isinstance(marked, str):
        return marked
    has_vectors = (
        type(doc).has_extension(ENCODER_EXTENSION) and doc._.get(ENCODER_EXTENSION) is not None
    )
    return "accurate" if has_vectors else "fast"


def mark(doc: Doc, pipeline: str) -> None:
    doc.user_data[PIPELINE_KEY] = pipeline


@cache
def _shipped(pipeline: str) -> Pairing | None:
    name = WEIGHTS_FILE.format(pipeline=pipeline)
    path = resources.files("onrecord.attribution") / "data" / name
    if not path.is_file():
        return None
    config = json.loads(path.read_text(encoding="utf-8"))
    return Pairing.of(config) if config.get("enabled") else None


@dataclass(frozen=True)
class Pairing:
    content_weights: tuple[float, ...]
    source_weights: tuple[float, ...]
    content_threshold: float | None  # None: contents by nearness
    source_threshold: float
    choice: bool  # a conditional logit over the cue's candidates, not one logistic each
    cue_first: bool  # contents taken cue by cue (strongest first), not best pair first

    @classmethod
    def of(cls, config: dict[str, Any]) -> Pairing:
        return cls(
            tuple(float(config["content"].get(name, 0.0)) for name in CONTENT_FEATURES),
            tuple(float(config["source"].get(name, 0.0)) for name in SOURCE_FEATURES),
            _threshold(config["thresholds"]["content"]),
            float(config["thresholds"]["source"]),
            config.get("form") == "choice",
            config.get("order") == "cue",
        )

    @property
    def pairs_contents(self) -> bool:
        """False where only sources are chosen by score (contents by nearness)."""
        return self.content_threshold is not None

    def contents_by_score(
        self, context: Context, cues: Sequence[LearnedSpan], claimed: bytearray
    ) -> Iterator[tuple[LearnedSpan, LearnedSpan]]:
        """(cue, content) pairs, each cue and each content once: most probable first (a
        content goes to the cue it fits best), or, with ``cue_first``, cue by cue in the
        given order (strongest first), each taking its most probable free content. Lazy,
        so that the contents the caller claims between two pairs are seen."""
        assert self.content_threshold is not None
        scored = []
        for number, cue in enumerate(cues):
            candidates = context.content_candidates(cue)
            rows = content_rows(context, cue, candidates)
            chances = probabilities(rows, self.content_weights, self.choice)
            for candidate, p in zip(candidates, chances, strict=True):
                if p >= self.content_threshold:
                    first = (number, -p) if self.cue_first else (-p, number)
                    scored.append((*first, candidate.start, number, candidate))
        scored.sort(key=lambda item: item[:3])
        done: set[int] = set()
        for *_, number, content in scored:
            if number in done or 1 in claimed[content.start : content.end]:
                continue
            done.add(number)
            yield cues[number], content

    def best_source(
        self, context: Context, cue: LearnedSpan, contents: Sequence[LearnedSpan]
    ) -> LearnedSpan | None:
        candidates = context.source_candidates(cue, contents)
        rows = source_rows(context, cue, contents, candidates)
        chances = probabilities(rows, self.source_weights, self.choice)
        return _best(candidates, chances, self.source_threshold)


def _threshold(value: Any) -> float | None:
    return None if value is None else float(value)


def _best(
    candidates: Sequence[LearnedSpan], chances: Sequence[float], threshold: float
) -> LearnedSpan | None:
    best, best_p = None, threshold
    for candidate, p in zip(candidates, chances, strict=True):
        if p >= best_p:
            best, best_p = candidate, p
    return best


def probabilities(
    rows: Sequence[Sequence[float]], weights: Sequence[float], choice: bool
) -> list[float]:
    """The probability of each candidate: on its own (a logistic regression), or, with
    ``choice``, as the one the cue takes among its candidates and "none of them", whose
    score is 0 (a conditional logit: the candidates compete, so that what sets one apart
    from the others, being the cue's subject, weighs more than what they share)."""
    scores = [
        max(-30.0, min(30.0, sum(x * w for x, w in zip(row, weights, strict=True)))) for row in rows
    ]
    if not choice:
        return [1.0 / (1.0 + math.exp(-z)) for z in scores]
    top = max([0.0, *scores])
    exps = [math.exp(z - top) for z in scores]
    total = math.exp(-top) + sum(exps)
    return [e / total for e in exps]


class Context:
    """What the features of one Doc need, computed once: running counts of words, commas,
    sentence ends, ... (so that any "between" is two look-ups), sentence ids, and the
    candidate contents and sources of each paragraph."""

    def __init__(self, doc: Doc, model: ModelSpans):
        from ..attributions import CONFIDENT, CONTENT, CUE, SOURCE, _mask, by_paragraph

        self.doc, self.model = doc, model
        self.confident = CONFIDENT
        n = len(doc)
        in_source = _mask(n, model.confident[SOURCE])
        in_cue = bytearray(n + 1)
        for c in model.confident[CUE]:
            in_cue[c.start] = 1  # counted once per cue
        strong_content = _mask(n, model.confident[CONTENT])
        self.words = _running(not (t.is_punct or t.is_space) and not in_source[t.i] for t in doc)
        self.plain_words = _running(not (t.is_punct or t.is_space) for t in doc)
        self.tokens = _running(not t.is_space for t in doc)
        self.commas = _running(t.text == "," for t in doc)
        self.colons = _running(t.text in (":", "—", "–") for t in doc)
        self.quotes = _running(t.text in QUOTE_MARKS for t in doc)
        self.ends = _running(t.text in SENTENCE_ENDS for t in doc)
        self.cues = _running(bool(in_cue[i]) for i in range(n))
        sentence, ids = 0, []
        for token in doc:
            if token.is_sent_start and token.i:
                sentence += 1
            ids.append(sentence)
        self.sentence = ids
        paragraph = model.paragraph
        weak_contents = [c for c in model.weak[CONTENT] if 1 not in strong_content[c.start : c.end]]
        self.contents = by_paragraph(model.confident[CONTENT] + weak_contents, paragraph)
        weak_sources = [s for s in model.weak[SOURCE] if 1 not in in_source[s.start : s.end]]
        self.sources = by_paragraph(model.confident[SOURCE] + weak_sources, paragraph)
        self.content_starts = _running(
            bool(strong_content[i]) and (i == 0 or not strong_content[i - 1]) for i in range(n)
        )
        self.cue_spans = sorted(model.confident[CUE], key=lambda c: c.start)
        self.cue_starts = [c.start for c in self.cue_spans]
        self._roots: dict[tuple[int, int], int] = {}

    def another_cue_is_nearer(self, cue: LearnedSpan, other: LearnedSpan) -> bool:
        """Whether a cue other than ``cue`` lies nearer to ``other`` (the cues just before
        and just after it are the only ones that can)."""
        mine = self._words_apart(other, cue)
        at = bisect.bisect_left(self.cue_starts, other.start)
        for index in (at - 2, at - 1, at, at + 1):
            if 0 <= index < len(self.cue_spans):
                near = self.cue_spans[index]
                if (
                    near != cue
                    and not _overlaps(near, other)
                    and self._words_apart(other, near) < mine
                ):
                    return True
        return False

    def _words_apart(self, a: LearnedSpan, b: LearnedSpan) -> int:
        """Words (not punctuation) between two spans apart from each other."""
        return _count(self.plain_words, _between(a, b))

    def root(self, span: LearnedSpan) -> int:
        key = (span.start, span.end)
        if key not in self._roots:
            self._roots[key] = self.doc[span.start : span.end].root.i
        return self._roots[key]

    def content_candidates(self, cue: LearnedSpan) -> list[LearnedSpan]:
        from ..attributions import NO_SPANS

        near = self.contents.get(self.model.paragraph[cue.start], NO_SPANS)
        return [c for c in near.around(cue) if c.end <= cue.start or c.start >= cue.end]

    def source_candidates(
        self, cue: LearnedSpan, contents: Sequence[LearnedSpan]
    ) -> list[LearnedSpan]:
        from ..attributions import NO_SPANS

        near: Nearby = self.sources.get(self.model.paragraph[cue.start], NO_SPANS)
        return [
            s
            for s in near.around(cue)
            if (s.end <= cue.start or s.start >= cue.end)
            and not any(s.start < c.end and c.start < s.end for c in contents)
        ]


def _running(flags: Any) -> list[int]:
    """Running counts: ``counts[j] - counts[i]`` is the number of flags in ``[i, j)``."""
    counts = [0]
    for flag in flags:
        counts.append(counts[-1] + (1 if flag else 0))
    return counts


def _between(a: LearnedSpan, b: LearnedSpan) -> tuple[int, int]:
    return (a.end, b.start) if a.end <= b.start else (b.end, a.start)


def _count(counts: list[int], gap: tuple[int, int]) -> int:
    return counts[gap[1]] - counts[gap[0]] if gap[1] > gap[0] else 0


def _common(context: Context, cue: LearnedSpan, other: LearnedSpan) -> dict[str, float]:
    gap = _between(cue, other)
    words = _count(context.words, gap)
    return {
        "bias": 1.0,
        "adjacent": float(words == 0),
        "log_words_between": math.log1p(words),
        "within_3_words": float(words <= 3),
        "log_tokens_between": math.log1p(_count(context.tokens, gap)),
        "same_sentence": float(
            context.sentence[cue.start] == context.sentence[other.end - 1]
            or context.sentence[cue.end - 1] == context.sentence[other.start]
        ),
        "sentence_end_between": float(_count(context.ends, gap) > 0),
        "comma_between": float(_count(context.commas, gap) > 0),
        "colon_between": float(_count(context.colons, gap) > 0),
        "quote_mark_between": float(_count(context.quotes, gap) > 0),
        "cue_between": float(_count(context.cues, gap) > 0),
        "log_length": math.log1p(other.end - other.start),
        "span_score": other.score,
    }


def _distance(cue: LearnedSpan, other: LearnedSpan) -> int:
    return other.start - cue.end if other.start >= cue.end else cue.start - other.end


def _overlaps(a: LearnedSpan, b: LearnedSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _nearest(cue: LearnedSpan, candidates: Sequence[LearnedSpan]) -> list[float]:
    if not candidates:
        return []
    closest = min(_distance(cue, c) for c in candidates)
    return [float(_distance(cue, c) == closest) for c in candidates]


def content_rows(
    context: Context, cue: LearnedSpan, candidates: Sequence[LearnedSpan]
) -> list[list[float]]:
    doc, cue_tokens = context.doc, range(cue.start, cue.end)
    cue_head = doc[context.root(cue)].head.i
    nearest = _nearest(cue, candidates)
    rows = []
    for content, is_nearest in zip(candidates, nearest, strict=True):
        values = _common(context, cue, content)
        root = doc[context.root(content)]
        gap = _between(cue, content)
        values.update(
            after_cue=float(content.start >= cue.end),
            content_between=float(_count(context.content_starts, gap) > 0),
            head_is_in_cue=float(root.head.i in cue_tokens and root.head.i != root.i),
            cue_head_is_in_content=float(content.start <= cue_head < content.end),
            clausal_dependent=float(root.dep_ in CLAUSAL),
            nearest=is_nearest,
            weak=float(content.score < context.confident["CONTENT"]),
            another_cue_is_nearer=float(context.another_cue_is_nearer(cue, content)),
            cue_ends_its_sentence=float(cue.end < len(doc) and doc[cue.end].text in ".?!"),
            opens_with_quote_mark=float(
                content.start > 0 and doc[content.start - 1].text in QUOTE_MARKS
            ),
        )
        values["confident_within_3_words"] = values["within_3_words"] * (1 - values["weak"])
        values["nearest_within_3_words"] = values["within_3_words"] * is_nearest
        rows.append([values[name] for name in CONTENT_FEATURES])
    return rows


def source_rows(
    context: Context,
    cue: LearnedSpan,
    contents: Sequence[LearnedSpan],
    candidates: Sequence[LearnedSpan],
) -> list[list[float]]:
    doc, cue_tokens = context.doc, range(cue.start, cue.end)
    cue_head = doc[context.root(cue)].head.i
    subjects = [child.i for i in cue_tokens for child in doc[i].children if child.dep_ in SUBJECTS]
    nearest = _nearest(cue, candidates)
    rows = []
    for source, is_nearest in zip(candidates, nearest, strict=True):
        values = _common(context, cue, source)
        root = doc[context.root(source)]
        lo, hi = _between(cue, source)
        has_head_in_cue = root.head.i in cue_tokens and root.head.i != root.i
        values.update(
            before_cue=float(source.end <= cue.start),
            content_between=float(any(lo <= c.start and c.end <= hi for c in contents)),
            subject_of_cue=float(has_head_in_cue and root.dep_ in SUBJECTS),
            child_of_cue=float(has_head_in_cue),
            cue_has_another_subject=float(
                any(not source.start <= s < source.end for s in subjects)
            ),
            cue_head_is_in_source=float(source.start <= cue_head < source.end),
            pronoun=float(root.pos_ == "PRON"),
            person=float(root.ent_type_ in PEOPLE),
            organization=float(root.ent_type_ in GROUPS),
            nearest=is_nearest,
            weak=float(source.score < context.confident["SOURCE"]),
            another_cue_is_nearer=float(context.another_cue_is_nearer(cue, source)),
        )
        rows.append([values[name] for name in SOURCE_FEATURES])
    return rows
