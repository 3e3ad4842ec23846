"""Which content and which source a cue takes, by the learned pairing score.

The sentences are parsed by the `fast` pipeline (the pairing reads the parse), and the span
model's spans are then laid by hand, with scores, so that these tests check the pairing,
not the span model.
"""

from __future__ import annotations

import numpy
import pytest
from spacy.tokens import Doc, SpanGroup

from onrecord import attributions
from onrecord.attribution import pairing
from onrecord.attributions import CONTENT, CUE, SOURCE


@pytest.fixture(autouse=True)
def _shipped_pairing():
    """The shipped weights, whatever a test before this one set."""
    pairing.reset()
    yield
    pairing.reset()


def parsed_with(nlp, text: str, spans: list[tuple[str, str, float]]) -> Doc:
    """``text`` parsed, with ``spans`` (words, label, score) as the span model's output;
    each words string is found in the text by its characters."""
    doc = nlp(text)
    found, scores = [], []
    for phrase, label, score in spans:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None, phrase
        found.append(span)
        scores.append(score)
    group = SpanGroup(doc, name=attributions.SPANS_KEY, spans=found)
    group.attrs["scores"] = numpy.asarray(scores, dtype="f")
    doc.spans[attributions.SPANS_KEY] = group
    return doc


def pairs(doc: Doc) -> list[tuple[str | None, str, tuple[str, ...]]]:
    def show(span: attributions.LearnedSpan | None) -> str | None:
        return None if span is None else doc[span.start : span.end].text

    return [
        (show(a.source), doc[a.cue.start : a.cue.end].text, tuple(show(c) for c in a.contents))
        for a in attributions.attributions(doc)
    ]


def test_the_learned_pairing_is_shipped_switched_on() -> None:
    assert pairing.active() is not None


def test_the_speaker_of_said_is_its_subject_not_a_name_inside_the_content(nlp) -> None:
    doc = parsed_with(
        nlp,
        "Smith said the plan, which Jones opposed, would fail.",
        [
            ("Smith", SOURCE, 0.9),
            ("said", CUE, 0.9),
            ("the plan, which Jones opposed, would fail", CONTENT, 0.8),
            ("Jones", SOURCE, 0.9),
        ],
    )
    assert pairs(doc) == [("Smith", "said", ("the plan, which Jones opposed, would fail",))]


def test_a_cue_with_two_candidate_sources_takes_its_subject_not_the_nearest(nlp) -> None:
    doc = parsed_with(
        nlp,
        "Smith, speaking after Jones, said the plan would fail.",
        [
            ("Smith", SOURCE, 0.9),
            ("Jones", SOURCE, 0.9),
            ("said", CUE, 0.9),
            ("the plan would fail", CONTENT, 0.8),
        ],
    )
    assert pairs(doc) == [("Smith", "said", ("the plan would fail",))]


def test_nearest_pairing_remains_behind_the_switch(nlp) -> None:
    pairing.use(None)
    doc = parsed_with(
        nlp,
        "Smith, speaking after Jones, said the plan would fail.",
        [
            ("Smith", SOURCE, 0.9),
            ("Jones", SOURCE, 0.9),
            ("said", CUE, 0.9),
            ("the plan would fail", CONTENT, 0.8),
        ],
    )
    assert pairs(doc) == [("Jones", "said", ("the plan would fail",))]
