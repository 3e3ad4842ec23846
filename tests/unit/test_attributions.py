"""Tying the learned span model's Source, Cue and Content spans into attributions.

The spans are laid on a tokenized Doc by hand (as the span categorizer leaves them, with
scores), so that these tests check the assembly rules, not the model.
"""

from __future__ import annotations

import numpy
import spacy
from spacy.tokens import Doc, SpanGroup

from onrecord import attributions
from onrecord.attributions import CONTENT, CUE, SOURCE, build_union_suggester


def doc_with(text: str, spans: list[tuple[str, str, float]]) -> Doc:
    """``spans``: (words of the span, label, score); each words string is found in order."""
    nlp = spacy.blank("en")
    doc = nlp(text)
    words = [t.text for t in doc]
    found, scores = [], []
    for phrase, label, score in spans:
        target = [t.text for t in nlp(phrase)]
        start = next(i for i in range(len(words)) if words[i : i + len(target)] == target)
        found.append(doc[start : start + len(target)])
        found[-1].label_ = label
        scores.append(score)
    group = SpanGroup(doc, name=attributions.SPANS_KEY, spans=found)
    group.attrs["scores"] = numpy.asarray(scores, dtype="f")  # as spancat stores them
    doc.spans[attributions.SPANS_KEY] = group
    return doc


def texts(doc: Doc, found: list[attributions.LearnedAttribution]) -> list[tuple]:
    def show(span: attributions.LearnedSpan | None) -> str | None:
        return None if span is None else doc[span.start : span.end].text

    return [(show(a.source), show(a.cue), tuple(show(c) for c in a.contents)) for a in found]


def test_a_cue_takes_the_content_after_it_and_the_source_before_it() -> None:
    doc = doc_with(
        "The senator said that the bill would pass.",
        [
            ("The senator", SOURCE, 0.9),
            ("said", CUE, 0.9),
            ("that the bill would pass", CONTENT, 0.8),
        ],
    )
    assert texts(doc, attributions.attributions(doc)) == [
        ("The senator", "said", ("that the bill would pass",))
    ]


def test_a_content_before_its_cue_is_found_across_the_source() -> None:
    doc = doc_with(
        "The bill will pass, a senior official said.",
        [
            ("The bill will pass", CONTENT, 0.8),
            ("a senior official", SOURCE, 0.9),
            ("said", CUE, 0.9),
        ],
    )
    assert texts(doc, attributions.attributions(doc)) == [
        ("a senior official", "said", ("The bill will pass",))
    ]


def test_a_cue_without_a_content_near_it_gives_no_attribution() -> None:
    doc = doc_with(
        "She said nothing. Many hours later , the vote was held and the bill passed.",
        [("said", CUE, 0.9), ("the bill passed", CONTENT, 0.7)],
    )
    assert attributions.attributions(doc) == []


def test_overlapping_spans_of_one_label_keep_the_best_scored() -> None:
    doc = doc_with(
        "He said the plan works well.",
        [
            ("the plan works well", CONTENT, 0.9),
            ("the plan works", CONTENT, 0.6),
            ("said", CUE, 0.8),
        ],
    )
    spans = attributions.learned_spans(doc)
    assert [(doc[s.start : s.end].text) for s in spans[CONTENT]] == ["the plan works well"]


def test_a_content_is_claimed_by_one_cue_only() -> None:
    doc = doc_with(
        "He said and repeated that taxes rise.",
        [("said", CUE, 0.6), ("repeated", CUE, 0.9), ("that taxes rise", CONTENT, 0.9)],
    )
    found = attributions.attributions(doc)
    assert texts(doc, found) == [(None, "repeated", ("that taxes rise",))]


def test_a_cue_between_two_halves_of_a_sentence_takes_both() -> None:
    doc = doc_with(
        "The plan , he said , would fail .",
        [
            ("The plan", CONTENT, 0.8),
            ("he", SOURCE, 0.9),
            ("said", CUE, 0.9),
            ("would fail", CONTENT, 0.8),
        ],
    )
    assert texts(doc, attributions.attributions(doc)) == [
        ("he", "said", ("The plan", "would fail"))
    ]


def test_no_span_group_means_no_attributions() -> None:
    doc = spacy.blank("en")("Nothing was predicted here.")
    assert attributions.attributions(doc) == []


def test_the_suggester_joins_stored_candidates_and_short_word_runs() -> None:
    doc = spacy.blank("en")("Officials said , the talks failed .")
    doc.spans["finder"] = [doc[3:6]]
    suggest = build_union_suggester(["finder", "absent"], [1])
    pairs = {tuple(row) for row in suggest([doc]).data.tolist()}
    # every single word (not the punctuation) and the stored span "the talks failed"
    assert pairs == {(0, 1), (1, 2), (3, 4), (4, 5), (5, 6), (3, 6)}
