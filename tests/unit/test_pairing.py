"""Which content and which source a cue takes, by the learned pairing score.

The sentences are parsed by the `fast` pipeline (the pairing reads the parse), and the span
model's spans are then laid by hand, with scores, so that these tests check the pairing,
not the span model.
"""

from __future__ import annotations

import re

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
        start = re.search(rf"\b{re.escape(phrase)}\b", text).start()
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


def test_of_two_nested_cues_the_content_goes_to_the_inner_one(nlp) -> None:
    # PolNeAR reads two attributions here: "sources said [Secret Service protocol called for
    # [her to be taken ...]]". The span model proposed only the inner content, and a content
    # goes to one cue: the learned score gives it to "called for", whose content it is
    # exactly, where nearest pairing gave it to the stronger cue, "said".
    text = (
        "Secret Service protocol called for her to be taken to a trauma center after the "
        "health crisis at Ground Zero, sources said."
    )
    spans = [
        ("Secret Service protocol", SOURCE, 0.48),
        ("called for", CUE, 0.72),
        ("her to be taken to a trauma center after the health crisis at Ground Zero", CONTENT, 0.2),
        ("sources", SOURCE, 1.0),
        ("said", CUE, 0.99),
    ]
    content = ("her to be taken to a trauma center after the health crisis at Ground Zero",)
    assert pairs(parsed_with(nlp, text, spans)) == [
        ("Secret Service protocol", "called for", content)
    ]
    pairing.use(None)
    assert pairs(parsed_with(nlp, text, spans)) == [("sources", "said", content)]


def test_a_content_farther_than_three_words_from_its_cue_is_taken(nlp) -> None:
    text = "Smith said on Tuesday in a letter to members that the plan would fail."
    spans = [
        ("Smith", SOURCE, 0.9),
        ("said", CUE, 0.9),
        ("the plan would fail", CONTENT, 0.9),
    ]
    assert pairs(parsed_with(nlp, text, spans)) == [("Smith", "said", ("the plan would fail",))]
    pairing.use(None)  # nearest pairing looks three words away at most
    assert pairs(parsed_with(nlp, text, spans)) == []
