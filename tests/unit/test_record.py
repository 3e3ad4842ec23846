"""The record's JSON form: versioned, valid against the published JSON Schema, round-trips."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from onrecord.record import (
    Article,
    Entity,
    Offsets,
    Quantity,
    Quote,
    Record,
    Source,
    TextSpan,
    Time,
)


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("onrecord").joinpath("schema/record.schema.json").read_text()
    return json.loads(text)


def full_record() -> Record:
    text = "“We are here,” Lopez Obrador said. Illegal migration is down 85% since last June."
    return Record(
        article=Article(id=Article.make_id(text), text=text, published="2020-07-08"),
        entities=(Entity("e1", "Lopez Obrador", 15, 28, "PERSON", "Andres Manuel Lopez Obrador"),),
        sources=(
            Source(
                "s1",
                "Andres Manuel Lopez Obrador",
                "person",
                titles=("Mexican President",),
                mentions=(Offsets(15, 28),),
            ),
        ),
        quotes=(
            Quote(
                "q1",
                "direct",
                "We are here,",
                1,
                13,
                parts=(Offsets(1, 13),),
                cue=TextSpan("said", 29, 33),
                speaker=TextSpan("Lopez Obrador", 15, 28),
                source_id="s1",
            ),
        ),
        quantities=(Quantity("n1", "down 85%", 57, 65, 85.0, "percent", "percent", "decrease"),),
        times=(Time("t1", "last June", 72, 81, "DATE", "2019-06"),),
    )


def test_json_form_validates_against_the_schema(schema: dict) -> None:
    jsonschema.validate(full_record().to_dict(), schema)


def test_json_form_is_versioned_and_keeps_the_fixed_field_names() -> None:
    data = full_record().to_dict()
    assert data["schema_version"] == 2
    assert list(data) == [
        "schema_version",
        "article",
        "entities",
        "sources",
        "quotes",
        "quantities",
        "times",
    ]
    assert set(data["article"]) == {"id", "url", "title", "published", "text"}
    assert data["quotes"][0]["cue"] == {"text": "said", "start": 29, "end": 33}


def test_record_round_trips_through_json() -> None:
    record = full_record()
    again = Record.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record


def test_schema_rejects_an_unknown_quote_kind(schema: dict) -> None:
    data = full_record().to_dict()
    data["quotes"][0]["kind"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_records_are_immutable() -> None:
    record = full_record()
    with pytest.raises(AttributeError):
        record.article.text = "changed"  # type: ignore[misc]


def test_article_id_ignores_whitespace_differences() -> None:
    assert Article.make_id("A  quote,\nsaid he.") == Article.make_id("A quote, said he.")
    assert Article.make_id("one") != Article.make_id("two")


def test_values_read_in_plain_words() -> None:
    record = full_record()
    assert record.quantities[0].display == "85% (down)"
    assert record.times[0].display == "June 2019"


def test_a_version_1_record_loads_and_gains_its_display_values() -> None:
    data = full_record().to_dict()
    data["schema_version"] = 1
    for item in data["quantities"] + data["times"]:
        del item["display"]
    for item in data["quantities"]:
        del item["time_id"]
    again = Record.from_dict(data)
    assert again.schema_version == 2
    assert again.quantities[0].display == "85% (down)"
    assert again.times[0].display == "June 2019"


def test_a_duration_quantity_names_its_timex(schema: dict) -> None:
    text = "He served three years in prison."
    record = Record(
        article=Article(id="a", text=text),
        quantities=(Quantity("q1", "three years", 10, 21, 3.0, "duration", "year", time_id="t1"),),
        times=(Time("t1", "three years", 10, 21, "DURATION", "P3Y"),),
    )
    data = record.to_dict()
    jsonschema.validate(data, schema)
    assert data["quantities"][0]["time_id"] == "t1"
    assert data["quantities"][0]["display"] == "3 years"
    assert data["times"][0]["display"] == "3 years"
