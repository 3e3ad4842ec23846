"""Linking the sources of one article (onrecord.attribution.linking) and what it knows
about names (onrecord.attribution.names): no model needed."""

from __future__ import annotations

from onrecord.attribution import names
from onrecord.attribution.linking import Builder, link_sources
from onrecord.record import Entity


def builder(i: int, kind: str, name: str, at: int) -> Builder:
    made = Builder(id=f"s{i}", kind=kind, name=name)  # type: ignore[arg-type]
    made.add_mention(at, at + len(name))
    return made


def person(text: str, start: int) -> Entity:
    return Entity("e", text, start, start + len(text), "PERSON", text)


def test_surname_honorific_and_possessive_join_the_full_name() -> None:
    sources, renamed = link_sources(
        [
            builder(1, "person", "Donald Trump", 0),
            builder(2, "organization", "Trump", 50),
            builder(3, "organization", "Mr. Trump", 90),
            builder(4, "person", "Trump’s", 120),
        ],
        [person("Donald Trump", 0)],
    )
    assert [(s.name, s.kind) for s in sources] == [("Donald Trump", "person")]
    assert set(renamed.values()) == {"s1"}
    assert "Mr." in sources[0].titles


def test_a_surname_of_two_people_goes_to_the_one_named_first() -> None:
    sources, _ = link_sources(
        [builder(1, "person", "Ivanka Trump", 40), builder(2, "person", "Trump", 200)],
        [person("Donald Trump", 0), person("Ivanka Trump", 40)],
    )
    assert [s.name for s in sources] == ["Ivanka Trump", "Donald Trump"]


def test_a_bare_surname_of_two_quoted_people_is_the_one_named_first() -> None:
    sources, _ = link_sources(
        [
            builder(1, "person", "Hillary Clinton", 0),
            builder(2, "person", "Bill Clinton", 30),
            builder(3, "person", "Clinton", 60),
        ],
        [],
    )
    assert [s.name for s in sources] == ["Hillary Clinton", "Bill Clinton"]
    assert len(sources[0].mentions) == 2


def test_short_form_of_an_organization_joins_it_but_a_generic_word_does_not() -> None:
    sources, _ = link_sources(
        [
            builder(1, "organization", "The New York Times", 0),
            builder(2, "organization", "The Times", 40),
            builder(3, "organization", "White House", 80),
            builder(4, "organization", "House", 120),
        ],
        [],
    )
    assert [s.name for s in sources] == ["The New York Times", "White House", "House"]


def test_person_names_typed_organization_become_people() -> None:
    sources, _ = link_sources(
        [builder(1, "organization", "Jessica Ditto", 0), builder(2, "group", "Dr. Mariano", 40)],
        [],
    )
    assert [(s.name, s.kind) for s in sources] == [
        ("Jessica Ditto", "person"),
        ("Mariano", "person"),
    ]


def test_a_place_typed_person_is_the_government_speaking() -> None:
    china = Entity("e1", "China", 0, 5, "LOC", "China")
    sources, _ = link_sources([builder(1, "person", "China", 0)], [china])
    assert sources[0].kind == "organization"


def test_headline_verbs_and_party_labels_are_not_names() -> None:
    sources, _ = link_sources(
        [
            builder(1, "person", "Lindsey Graham Says", 0),
            builder(2, "person", "Paul D. Ryan (R-Wis.)", 40),
        ],
        [],
    )
    assert [s.name for s in sources] == ["Lindsey Graham", "Paul D. Ryan"]


def test_name_words_drop_honorifics_possessives_and_articles() -> None:
    assert names.name_words("Mr. Trump’s") == ("trump",)
    assert names.name_words("The New York Times") == ("new", "york", "times")
    assert names.same_name(("times",), ("new", "york", "times"))
    assert not names.same_name(("trump", "campaign"), ("donald", "trump"))


def test_first_names_and_their_gender() -> None:
    assert names.first_name_gender("Hillary") == "f"
    assert names.first_name_gender("Donald") == "m"
    assert names.first_name_gender("Trump") is None
    assert names.looks_like_person("Mr. Trump")
    assert names.looks_like_person("Jessica Ditto")
    assert not names.looks_like_person("Clinton Foundation")


def test_time_phrases() -> None:
    assert names.is_time_phrase(["In", "August"])
    assert names.is_time_phrase(["last", "week"])
    assert not names.is_time_phrase(["The", "Times"])
