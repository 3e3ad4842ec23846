"""Attributions from the learned span model: Source, Cue and Content spans tied into quotes.

The pipeline's ``attr_span_finder`` and ``attr_spancat`` components (trained on PolNeAR
train, training/configs/attributions.cfg) leave labelled spans with scores in
``doc.spans["attr"]``. This module keeps the best of overlapping spans of one label, then
ties each cue to the content nearest to it in its paragraph (a content claims one cue) and
to the source nearest to it outside that content; a cue with no content is dropped. The
quotes stage (onrecord.quotes) merges these with the quotes its rules find
(docs/quotes.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ragged, get_current_ops

SPANS_KEY = "attr"
#: The span model's components in the shipped pipeline (training/assemble.py).
ATTRIBUTION_COMPONENTS = ("attr_tok2vec", "attr_span_finder", "attr_spancat")
CONTENT, CUE, SOURCE = "CONTENT", "CUE", "SOURCE"
#: Scores at which a span of the model is taken on its own (chosen on PolNeAR dev), and
#: the lower ones at which a content or source is still taken for a cue that has none.
CONFIDENT = {CONTENT: 0.6, CUE: 0.3, SOURCE: 0.3}
FALLBACK = {CONTENT: 0.15, SOURCE: 0.15}
#: Words (not punctuation, not part of a predicted source) allowed between a cue and its
#: content: "told reporters Tuesday that X".
MAX_GAP = 3


@registry.misc("onrecord.union_spans_suggester.v1")
def build_union_suggester(spans_keys: list[str], ngram_sizes: list[int]) -> Any:
    """Candidate spans for the span categorizer: the spans stored under any of the keys, and
    every run of ``ngram_sizes`` words that neither starts nor ends with punctuation.

    At run time only the span finder's key is filled; while training, the reader also lays
    the gold spans and near misses under a second key, so that every gold span is a
    candidate while the categorizer learns from the finder's own proposals too. The short
    n-grams make sure that a cue or a short source is a candidate even where the finder
    misses its boundaries."""

    def suggest(docs: Iterable[Doc], *, ops: Any = None) -> Ragged:
        ops = ops if ops is not None else get_current_ops()
        pairs: list[tuple[int, int]] = []
        lengths = []
        for doc in docs:
            found = {
                (span.start, span.end)
                for key in spans_keys
                if key in doc.spans
                for span in doc.spans[key]
            }
            found.update(_ngrams(doc, ngram_sizes))
            pairs.extend(sorted(found))
            lengths.append(len(found))
        data = ops.asarray(pairs, dtype="i") if pairs else ops.xp.zeros((0, 0), dtype="i")
        return Ragged(data, ops.asarray(lengths, dtype="i"))

    return suggest


def _ngrams(doc: Doc, sizes: list[int]) -> Iterable[tuple[int, int]]:
    edge = [not (t.is_punct or t.is_space) for t in doc]
    for size in sizes:
        for start in range(len(doc) - size + 1):
            if edge[start] and edge[start + size - 1]:
                yield start, start + size


@dataclass(frozen=True)
class LearnedSpan:
    start: int  # token offsets, end exclusive
    end: int
    score: float


@dataclass(frozen=True)
class LearnedAttribution:
    cue: LearnedSpan
    contents: tuple[LearnedSpan, ...]  # one, or two around an interjected cue
    source: LearnedSpan | None


def learned_spans(
    doc: Doc, min_score: dict[str, float] | None = None
) -> dict[str, list[LearnedSpan]]:
    """The model's spans by label at or above ``min_score`` (default: ``CONFIDENT``),
    overlapping spans of one label reduced to the best one."""
    floor = CONFIDENT if min_score is None else min_score
    return {
        label: _best_of_overlapping([s for s in spans if s.score >= floor.get(label, 0.0)])
        for label, spans in _scored_spans(doc).items()
    }


def _scored_spans(doc: Doc) -> dict[str, list[LearnedSpan]]:
    by_label: dict[str, list[LearnedSpan]] = {CONTENT: [], CUE: [], SOURCE: []}
    group = doc.spans.get(SPANS_KEY)
    if group is None or not len(group):
        return by_label
    scores = group.attrs.get("scores")
    for index, span in enumerate(group):
        if span.label_ in by_label:
            score = float(scores[index]) if scores is not None else 1.0
            by_label[span.label_].append(LearnedSpan(span.start, span.end, score))
    return by_label


def _best_of_overlapping(spans: list[LearnedSpan]) -> list[LearnedSpan]:
    kept: list[LearnedSpan] = []
    for span in sorted(spans, key=lambda s: -s.score):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def attributions(doc: Doc) -> list[LearnedAttribution]:
    """Cues (strongest first) with the content nearest to each and the nearest source.

    Spans scored ``CONFIDENT`` are used first; a cue with no such content (or source) near
    it takes the best-scored weaker one down to ``FALLBACK``: being right next to a cue is
    evidence the span model does not see when it scores a span alone."""
    scored = _scored_spans(doc)
    spans = learned_spans(doc)
    weak = {
        label: sorted(
            (s for s in scored[label] if FALLBACK[label] <= s.score < CONFIDENT[label]),
            key=lambda s: -s.score,
        )
        for label in (CONTENT, SOURCE)
    }
    paragraph = paragraph_ids(doc)
    in_source = bytearray(len(doc) + 1)
    for span in spans[SOURCE]:
        in_source[span.start : span.end] = b"\x01" * (span.end - span.start)
    claimed: list[LearnedSpan] = []
    result = []
    for cue in sorted(spans[CUE], key=lambda s: -s.score):
        near = _near_contents(doc, cue, spans[CONTENT], claimed, paragraph, in_source)
        if not near:
            free = [c for c in weak[CONTENT] if not any(_overlaps(c, o) for o in spans[CONTENT])]
            near = _near_contents(doc, cue, free, claimed, paragraph, in_source)
        if not near:
            continue
        content = near[0][1]
        claimed.append(content)
        contents = [content]
        other_side = [
            c
            for gap, c in near[1:]
            if (c.start >= cue.end) != (content.start >= cue.end)
            and gap <= 1
            and not any(_overlaps(c, o) for o in claimed)
        ]
        if other_side and not _sentence_ends_between(doc, content, other_side[0]):
            claimed.append(other_side[0])
            contents.append(other_side[0])
        source = nearest_source(doc, cue, contents, spans[SOURCE], paragraph) or nearest_source(
            doc, cue, contents, weak[SOURCE], paragraph
        )
        result.append(
            LearnedAttribution(cue, tuple(sorted(contents, key=lambda s: s.start)), source)
        )
    return sorted(result, key=lambda a: a.contents[0].start)


def _near_contents(
    doc: Doc,
    cue: LearnedSpan,
    contents: list[LearnedSpan],
    claimed: list[LearnedSpan],
    paragraph: list[int],
    in_source: bytearray,
) -> list[tuple[int, LearnedSpan]]:
    """Contents in the cue's paragraph and close to it, nearest (then best-scored) first."""
    near = [
        (gap, content)
        for content in contents
        if not any(_overlaps(content, c) for c in claimed)
        and paragraph[content.start] == paragraph[cue.start]
        and (gap := _gap(doc, cue, content, in_source)) is not None
    ]
    near.sort(key=lambda pair: (pair[0], pair[1].end <= cue.start, -pair[1].score))
    return near


def _overlaps(a: LearnedSpan, b: LearnedSpan) -> bool:
    return a.start < b.end and b.start < a.end


def paragraph_ids(doc: Doc) -> list[int]:
    ids, current = [], 0
    for token in doc:
        ids.append(current)
        if "\n" in token.text or "\n" in token.whitespace_:
            current += 1
    ids.append(current)
    return ids


def _gap(doc: Doc, cue: LearnedSpan, content: LearnedSpan, in_source: bytearray) -> int | None:
    """Words between a cue and a content, or None when they overlap."""
    if content.start >= cue.end:
        between = range(cue.end, content.start)
    elif content.end <= cue.start:
        between = range(content.end, cue.start)
    else:
        return None
    words = [i for i in between if not doc[i].is_punct and not in_source[i]]
    return len(words) if len(words) <= MAX_GAP else None


def _sentence_ends_between(doc: Doc, a: LearnedSpan, b: LearnedSpan) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    return any(doc[i].text in (".", "?", "!") for i in range(first.end, second.start))


def nearest_source(
    doc: Doc,
    cue: LearnedSpan,
    contents: list[LearnedSpan],
    sources: list[LearnedSpan],
    paragraph: list[int],
) -> LearnedSpan | None:
    best: tuple[int, LearnedSpan] | None = None
    for source in sources:
        if paragraph[source.start] != paragraph[cue.start]:
            continue
        if any(not (source.end <= c.start or c.end <= source.start) for c in contents):
            continue
        distance = source.start - cue.end if source.start >= cue.end else cue.start - source.end
        if distance < 0:
            continue
        if (
            best is None
            or distance < best[0]
            or distance == best[0]
            and source.score > best[1].score
        ):
            best = (distance, source)
    return best[1] if best is not None else None
