"""Who the speaker is, in the three shapes issue 10 names: a relative pronoun, a surname
after the full name, and a name of several words. Each runs on both pipelines."""

from __future__ import annotations

import pytest

import onrecord
from onrecord.record import Record

PIPELINES = ["fast", "accurate"]


def source_of(record: Record, words: str) -> tuple[str, str] | None:
    quote = next(q for q in record.quotes if words in q.content)
    source = record.source(quote.source_id)
    return (source.name, source.kind) if source else None


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_whose_members_said_is_said_by_the_noun_the_clause_belongs_to(pipeline: str) -> None:
    record = onrecord.extract(
        "The bill was opposed by the Congressional Black Caucus, whose members said the "
        "cuts would hurt poor families.",
        pipeline=pipeline,
    )
    assert source_of(record, "the cuts") == ("Congressional Black Caucus", "organization")
    assert "whose members" not in {s.name for s in record.sources}


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_who_said_after_a_name_is_that_person(pipeline: str) -> None:
    record = onrecord.extract(
        "He thanked Mary Smith, who said she was happy with the result.", pipeline=pipeline
    )
    assert source_of(record, "she was happy") == ("Mary Smith", "person")


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_a_surname_is_the_person_named_before_not_an_organization(pipeline: str) -> None:
    record = onrecord.extract(
        "Senator Elizabeth Warren criticized the plan on Tuesday. Warren said the tax cuts "
        "would mostly help the wealthy.",
        pipeline=pipeline,
    )
    assert source_of(record, "the tax cuts") == ("Elizabeth Warren", "person")
    assert [s.name for s in record.sources] == ["Elizabeth Warren"]


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_a_name_of_four_words_stays_whole(pipeline: str) -> None:
    record = onrecord.extract(
        "Mexican President Andres Manuel Lopez Obrador met President Donald Trump at the "
        'White House. "We are friends," Lopez Obrador said.',
        pipeline=pipeline,
    )
    assert source_of(record, "We are friends") == ("Andres Manuel Lopez Obrador", "person")
    people = {e.text for e in record.entities if e.label == "PERSON"}
    assert "Andres Manuel Lopez Obrador" in people
    assert "Andres" not in people
