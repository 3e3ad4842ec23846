"""Entities carry the fullest name the article gives them, and one label per name."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from onrecord.entities import find_entities


def doc_with_ents(words: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def test_short_mentions_take_the_fullest_name() -> None:
    words = "Andres Manuel Lopez Obrador met Trump . Lopez Obrador said Obrador 's view".split()
    doc = doc_with_ents(
        words, [(0, 4, "PERSON"), (5, 6, "PERSON"), (7, 9, "PERSON"), (10, 12, "PERSON")]
    )
    found = {e.text: e.canonical for e in find_entities(doc)}
    assert found["Lopez Obrador"] == "Andres Manuel Lopez Obrador"
    assert found["Obrador"] == "Andres Manuel Lopez Obrador"  # possessive dropped from the span
    assert found["Trump"] == "Trump"


def test_offsets_point_into_the_text() -> None:
    doc = doc_with_ents("The White House 's statement".split(), [(1, 4, "ORG")])
    (entity,) = find_entities(doc)
    assert doc.text[entity.start : entity.end] == entity.text == "White House"


def test_a_place_does_not_take_a_persons_name() -> None:
    words = "George Washington slept in Washington .".split()
    doc = doc_with_ents(words, [(0, 2, "PERSON"), (4, 5, "LOC")])
    place = [e for e in find_entities(doc) if e.label == "LOC"][0]
    assert place.canonical == "Washington"


def test_mentions_of_one_name_share_one_label() -> None:
    words = "Ariel G. Ruiz Soto spoke . Later , Ruiz Soto said so .".split()
    doc = doc_with_ents(words, [(0, 4, "ORG"), (8, 10, "PER")])
    labels = {e.text: e.label for e in find_entities(doc)}
    assert labels == {"Ariel G. Ruiz Soto": "PERSON", "Ruiz Soto": "PERSON"}


NAMES_CUT_BY_THE_PARSER = [
    (
        "In a surprising analysis of the ongoing presidential election, longtime Democratic "
        "pollster Pat Caddell told Breitbart News Daily host Alex Marlow on Thursday how "
        "surprised he is.",
        ["Pat Caddell", "Alex Marlow"],
    ),
    (
        "He said the debate was only “to mock” Hillary Clinton for inviting Trump critic "
        "Mark Cuban.",
        ["Mark Cuban"],
    ),
]


@pytest.mark.parametrize("pipeline", ["fast", "accurate"])
@pytest.mark.parametrize(("text", "names"), NAMES_CUT_BY_THE_PARSER)
def test_a_multi_word_name_stays_whole(pipeline: str, text: str, names: list[str]) -> None:
    # the parser used to start a sentence inside these names, and the NER then cut them
    # ("Pat", "Mark"); the NER now runs first and the parser keeps its names whole
    import onrecord

    record = onrecord.extract(text, pipeline=pipeline)
    people = {e.text for e in record.entities if e.label == "PERSON"}
    assert set(names) <= people
    doc = onrecord.load(pipeline)(text)
    for entity in doc.ents:
        assert not any(token.is_sent_start for token in entity[1:])


def test_canonical_names_of_many_mentions_cost_one_index_entry_per_name_part() -> None:
    """20,000 mentions (a long article): every mention is looked up once in an index of
    the distinct names' parts, so the work grows with the mentions, not with their square.
    (The time it takes belongs in bench/, not here.)"""
    from spacy.lang.en import English
    from spacy.tokens import Span

    from onrecord.entities import MAX_PART_WORDS, _fullest_names, canonical_names, name_words

    words = []
    for i in range(10_000):
        words += ["Maria", f"Lopez{i % 500}"]
    doc = English()(" ".join(words))
    spans = [Span(doc, i, i + 2, label="PERSON") for i in range(0, len(doc), 2)]
    spans += [Span(doc, i + 1, i + 2, label="PERSON") for i in range(0, len(doc), 2)]
    canon = canonical_names(spans)
    assert canon[len(spans) - 1] == "Maria Lopez499"
    assert canon[0] == "Maria Lopez0"
    index = _fullest_names([(False, name_words(s.text), s.text) for s in spans])
    distinct = {name_words(s.text) for s in spans}
    assert len(index) <= len(distinct) * MAX_PART_WORDS * MAX_PART_WORDS


@pytest.mark.parametrize("pipeline", ["fast", "accurate"])
def test_a_common_word_capitalized_at_a_sentence_start_is_no_name(pipeline: str) -> None:
    from onrecord.pipeline import load

    doc = load(pipeline)("Thanks for the help.\nBest regards, John\n\nGreat job! Germany won.")
    names = {e.text for e in doc.ents}
    assert not names & {"Thanks", "Best", "Great"}
    assert {"Germany", "John"} <= names  # a name never takes the line breaks after it
