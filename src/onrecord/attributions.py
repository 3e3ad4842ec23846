"""Attributions from the learned span model: Source, Cue and Content spans tied into quotes.

The pipeline's ``attr_span_finder`` and ``attr_spancat`` components (trained on PolNeAR
train, training/configs/attributions.cfg) leave labelled spans with scores in
``doc.spans["attr"]``. This module keeps the best of overlapping spans of one label, then
ties each cue to a content of its paragraph (a content claims one cue) and to a source
outside that content, by the learned score of ``attribution.pairing`` (or, with that
switched off, the nearest ones); a cue with no content is dropped. The
quotes stage (onrecord.quotes) merges these with the quotes its rules find
(docs/quotes.md).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Ragged, get_current_ops

from .attribution import pairing

#: Where the span categorizer leaves its labelled spans, and where the span finder leaves
#: its candidates (the keys in training/configs/attributions*.cfg).
SPANS_KEY = "attr"
CANDIDATES_KEY = "attr_candidates"
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
#: How far (tokens) from a cue its contents and sources are looked for: far beyond any
#: pairing the rules make (MAX_GAP words, or the nearest source of a paragraph).
NEARBY = 200


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


@dataclass(frozen=True)
class ModelSpans:
    """The span model's output on one Doc, read once for every use: the ``CONFIDENT``
    spans by label (overlaps reduced to the best), the weaker ones down to ``FALLBACK``
    (best first), and the paragraph of each token."""

    confident: dict[str, list[LearnedSpan]]
    weak: dict[str, list[LearnedSpan]]
    paragraph: list[int]


def span_model_components(nlp: Language) -> list[str]:
    """The span model's components that a pipeline has (none in one built without it).
    The `accurate` pipeline's encoder is not one of them: its NER reads the encoder too."""
    return [name for name in nlp.pipe_names if name in ATTRIBUTION_COMPONENTS]


def read_model_spans(doc: Doc) -> ModelSpans | None:
    """The span model's output, or None when the pipeline that parsed the Doc has no span
    model (or it was disabled)."""
    if SPANS_KEY not in doc.spans:
        return None
    scored = _scored_spans(doc)
    weak = {
        label: sorted(
            (s for s in scored[label] if FALLBACK[label] <= s.score < CONFIDENT[label]),
            key=lambda s: -s.score,
        )
        for label in (CONTENT, SOURCE)
    }
    return ModelSpans(_at_least(scored, CONFIDENT), weak, paragraph_ids(doc))


def learned_spans(
    doc: Doc, min_score: dict[str, float] | None = None
) -> dict[str, list[LearnedSpan]]:
    """The model's spans by label at or above ``min_score`` (default: ``CONFIDENT``),
    overlapping spans of one label reduced to the best one."""
    return _at_least(_scored_spans(doc), CONFIDENT if min_score is None else min_score)


def _at_least(
    scored: dict[str, list[LearnedSpan]], floor: dict[str, float]
) -> dict[str, list[LearnedSpan]]:
    return {
        label: _best_of_overlapping([s for s in spans if s.score >= floor.get(label, 0.0)])
        for label, spans in scored.items()
    }


def _scored_spans(doc: Doc) -> dict[str, list[LearnedSpan]]:
    by_label: dict[str, list[LearnedSpan]] = {CONTENT: [], CUE: [], SOURCE: []}
    group = doc.spans.get(SPANS_KEY)
    if group is None or not len(group):
        return by_label
    scores = group.attrs.get("scores")
    for index, span in enumerate(group):
        if span.label_ not in by_label:
            continue
        if span.label_ != CONTENT and _crosses_a_paragraph(span):
            continue  # a speaker or a cue never runs into the next paragraph
        score = float(scores[index]) if scores is not None else 1.0
        by_label[span.label_].append(LearnedSpan(span.start, span.end, score))
    return by_label


def _crosses_a_paragraph(span: Span) -> bool:
    return any(token.is_space and "\n" in token.text for token in span)


def _best_of_overlapping(spans: list[LearnedSpan]) -> list[LearnedSpan]:
    kept: list[LearnedSpan] = []
    taken = bytearray(max((s.end for s in spans), default=0) + 1)
    for span in sorted(spans, key=lambda s: -s.score):
        if not _covers(taken, span):
            _claim(taken, span)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def attributions(doc: Doc, model: ModelSpans | None = None) -> list[LearnedAttribution]:
    """Cues with their content(s) and source, in the order of their contents.

    With the learned pairing (``pairing.active()``), contents go to cues by the most
    probable pair first and each cue takes its most probable source; the candidates are
    the spans near the cue down to ``FALLBACK``. Without it, each cue (strongest first)
    takes the nearest content and source scored ``CONFIDENT``, else the best-scored weaker
    one down to ``FALLBACK``: being right next to a cue is evidence the span model does not
    see when it scores a span alone. ``model`` is the Doc's ``read_model_spans``, when the
    caller has it already."""
    model = model if model is not None else read_model_spans(doc)
    if model is None:
        return []
    spans, weak, paragraph = model.confident, model.weak, model.paragraph
    in_source = _mask(len(doc), spans[SOURCE])
    confident_content = _mask(len(doc), spans[CONTENT])
    # Contents by paragraph, so that each cue looks at its own paragraph only (a long
    # article has hundreds of cues and contents).
    strong = by_paragraph(spans[CONTENT], paragraph)
    free = by_paragraph([c for c in weak[CONTENT] if not _covers(confident_content, c)], paragraph)
    # Sources by paragraph too: nearest_source looks in the cue's paragraph only.
    strong_sources = by_paragraph(spans[SOURCE], paragraph)
    weak_sources = by_paragraph(weak[SOURCE], paragraph)
    claimed = bytearray(len(doc) + 1)
    learned = pairing.active(pairing.pipeline_of(doc))  # None: nearest pairing throughout
    context = pairing.Context(doc, model) if learned is not None else None
    cues = sorted(spans[CUE], key=lambda s: -s.score)
    if learned is not None and context is not None and learned.pairs_contents:
        firsts = learned.contents_by_score(context, cues, claimed)
    else:
        firsts = _nearest_contents(doc, cues, strong, free, paragraph, claimed, in_source)
    result = []
    for cue, content in firsts:
        here = paragraph[cue.start]
        _claim(claimed, content)
        contents = [_cut_at_semicolon(doc, content, cue)]
        # "The museum, Mr. Obama said, would ...": a cue set off inside the sentence, with
        # only its source and commas on either side, reports both halves.
        after = content.start >= cue.end
        other_side = [
            c
            for gap, c in _near_contents(doc, cue, strong.get(here, NO_SPANS), claimed, in_source)
            if gap == 0 and (c.start >= cue.end) != after
        ]
        if other_side and not _sentence_ends_between(doc, content, other_side[0]):
            _claim(claimed, other_side[0])
            contents.append(_cut_at_semicolon(doc, other_side[0], cue))
        if learned is not None and context is not None:
            source = learned.best_source(context, cue, contents)
        else:
            source = nearest_source(
                doc, cue, contents, strong_sources.get(here, NO_SPANS), paragraph
            ) or nearest_source(doc, cue, contents, weak_sources.get(here, NO_SPANS), paragraph)
        result.append(
            LearnedAttribution(cue, tuple(sorted(contents, key=lambda s: s.start)), source)
        )
    return sorted(result, key=lambda a: a.contents[0].start)


def _nearest_contents(
    doc: Doc,
    cues: list[LearnedSpan],
    strong: dict[int, Nearby],
    free: dict[int, Nearby],
    paragraph: list[int],
    claimed: bytearray,
    in_source: bytearray,
) -> Iterator[tuple[LearnedSpan, LearnedSpan]]:
    """Each cue (strongest first) with the nearest content not yet ``claimed``: a
    ``CONFIDENT`` one within ``MAX_GAP`` words, else a weaker one. Lazy, so that the
    contents the caller claims between two cues are seen."""
    for cue in cues:
        here = paragraph[cue.start]
        near = _near_contents(doc, cue, strong.get(here, NO_SPANS), claimed, in_source)
        if not near:
            near = _near_contents(doc, cue, free.get(here, NO_SPANS), claimed, in_source)
        if near:
            yield cue, near[0][1]


def _cut_at_semicolon(doc: Doc, content: LearnedSpan, cue: LearnedSpan) -> LearnedSpan:
    """A reported content does not run past a semicolon away from its cue (99 of PolNeAR
    train's 22,525 contents hold one)."""
    semicolons = [i for i in range(content.start, content.end) if doc[i].text == ";"]
    if not semicolons:
        return content
    if content.start >= cue.end and semicolons[0] > content.start:
        return LearnedSpan(content.start, semicolons[0], content.score)
    if content.end <= cue.start and semicolons[-1] + 1 < content.end:
        return LearnedSpan(semicolons[-1] + 1, content.end, content.score)
    return content


def _mask(length: int, spans: Iterable[LearnedSpan]) -> bytearray:
    mask = bytearray(length + 1)
    for span in spans:
        _claim(mask, span)
    return mask


def _claim(mask: bytearray, span: LearnedSpan) -> None:
    mask[span.start : span.end] = b"\x01" * (span.end - span.start)


def _covers(mask: bytearray, span: LearnedSpan) -> bool:
    return 1 in mask[span.start : span.end]


def by_paragraph(spans: Iterable[LearnedSpan], paragraph: list[int]) -> dict[int, Nearby]:
    grouped: dict[int, list[LearnedSpan]] = {}
    for span in spans:
        grouped.setdefault(paragraph[span.start], []).append(span)
    return {key: Nearby(group) for key, group in grouped.items()}


class Nearby:
    """The spans of one paragraph, found by position: a cue looks at the spans within
    ``NEARBY`` tokens of it only. A paragraph is short, but an article without line breaks
    is one paragraph, and looking at all its spans from every cue cost cues × spans (a
    quarter of the time at 200,000 characters, most of it at a million)."""

    def __init__(self, spans: list[LearnedSpan]):
        self.spans = spans
        self.by_start = sorted(range(len(spans)), key=lambda i: spans[i].start)
        self.starts = [spans[i].start for i in self.by_start]
        self.longest = max((s.end - s.start for s in spans), default=0)

    def around(self, cue: LearnedSpan) -> list[LearnedSpan]:
        """The spans that reach within NEARBY tokens of the cue, in their original order."""
        low = bisect.bisect_left(self.starts, cue.start - NEARBY - self.longest)
        high = bisect.bisect_right(self.starts, cue.end + NEARBY)
        picked = sorted(
            i for i in self.by_start[low:high] if self.spans[i].end >= cue.start - NEARBY
        )
        return [self.spans[i] for i in picked]


NO_SPANS = Nearby([])


def _near_contents(
    doc: Doc,
    cue: LearnedSpan,
    contents: Nearby,
    claimed: bytearray,
    in_source: bytearray,
) -> list[tuple[int, LearnedSpan]]:
    """Contents (of the cue's paragraph) close to the cue and not claimed by another cue,
    nearest (then best-scored) first."""
    near = [
        (gap, content)
        for content in contents.around(cue)
        if (gap := _gap(doc, cue, content, in_source)) is not None and not _covers(claimed, content)
    ]
    near.sort(key=lambda pair: (pair[0], pair[1].end <= cue.start, -pair[1].score))
    return near


def _overlaps(a: LearnedSpan, b: LearnedSpan) -> bool:
    return a.start < b.end and b.start < a.end


def paragraph_ids(doc: Doc) -> list[int]:
    """The paragraph (counted by line breaks) of each token, and one past the end."""
    ids, current = [], 0
    for token in doc:
        ids.append(current)
        if "\n" in token.text_with_ws:
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
    words = 0
    for i in between:  # stops early: most contents are far from most cues
        if not doc[i].is_punct and not in_source[i]:
            words += 1
            if words > MAX_GAP:
                return None
    return words


def _sentence_ends_between(doc: Doc, a: LearnedSpan, b: LearnedSpan) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    return any(doc[i].text in (".", "?", "!") for i in range(first.end, second.start))


def nearest_source(
    doc: Doc,
    cue: LearnedSpan,
    contents: list[LearnedSpan],
    sources: Nearby,
    paragraph: list[int],
) -> LearnedSpan | None:
    best: tuple[int, LearnedSpan] | None = None
    for source in sources.around(cue):
        if paragraph[source.start] != paragraph[cue.start]:
            continue
        if any(_overlaps(source, c) for c in contents):
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


def bound_span_finder(nlp: Language) -> None:
    """Make the pipeline's span finders pair starts with ends within ``max_length`` only.

    spaCy's ``SpanFinder.set_annotations`` tries every predicted start with every
    predicted end of the whole Doc and drops the pairs too far apart: its cost grows with
    the square of the article (2.9 of 19.5 s at 100k characters, and most of the time at
    1M). The candidates it keeps are the same ones, in the same order.
    """
    from types import MethodType

    from spacy.pipeline import SpanFinder

    for _, pipe in nlp.pipeline:
        if isinstance(pipe, SpanFinder) and pipe.cfg.get("max_length"):
            pipe.set_annotations = MethodType(_set_windowed_annotations, pipe)  # type: ignore[method-assign]


def _set_windowed_annotations(self: Any, docs: Iterable[Doc], scores: Any) -> None:
    import bisect

    import numpy

    threshold = self.cfg["threshold"]
    shortest = self.cfg["min_length"] or 1
    longest = self.cfg["max_length"]
    offset = 0
    for doc in docs:
        doc_scores = numpy.asarray(scores[offset : offset + len(doc)])
        starts = numpy.flatnonzero(doc_scores[:, 0] >= threshold).tolist() if len(doc) else []
        ends = numpy.flatnonzero(doc_scores[:, 1] >= threshold).tolist() if len(doc) else []
        spans: list[Any] = []
        for start in starts:
            first = bisect.bisect_left(ends, start + shortest - 1)
            last = bisect.bisect_right(ends, start + longest - 1)
            spans.extend(doc[start : end + 1] for end in ends[first:last])
        doc.spans[self.cfg["spans_key"]] = spans
        offset += len(doc)
