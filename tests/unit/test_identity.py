"""The identity rule for sources across articles (onrecord.store.identity), hard cases."""

from __future__ import annotations

import pytest

from onrecord.store.identity import (
    Identity,
    attributes_agree,
    best_match,
    match_key,
    names_compatible,
    new_source_id,
)

RUIZ_FULL = Identity(
    kind="person",
    name="Ariel G. Ruiz Soto",
    titles=("policy analyst",),
    affiliations=("Migration Policy Institute",),
    id="p-ruiz",
)


def person(name: str, titles: tuple[str, ...] = (), affiliations: tuple[str, ...] = ()) -> Identity:
    return Identity(kind="person", name=name, titles=titles, affiliations=affiliations)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Ruiz Soto", "Ariel G. Ruiz Soto", True),
        ("Ariel Ruiz Soto", "Ariel G. Ruiz Soto", True),
        ("Mr. Smith", "John Smith", True),
        ("J. Smith", "John Smith", True),
        ("J. Smith", "Jane Doe Smith", True),
        ("K. Smith", "John Smith", False),
        ("Jane Smith", "John Smith", False),
        ("John Smith", "John Smithers", False),
        ("López Obrador", "Andres Manuel Lopez Obrador", True),
        ("Smith Jr.", "John Smith", True),
    ],
)
def test_names_compatible(first: str, second: str, expected: bool) -> None:
    assert names_compatible(first, second) is expected
    assert names_compatible(second, first) is expected


def test_attributes_agree_on_contained_words_not_on_unrelated_ones() -> None:
    assert attributes_agree(["the Migration Policy Institute"], ["Migration Policy Institute"])
    assert attributes_agree(["senior policy analyst"], ["policy analyst"])
    assert not attributes_agree(["Acme Corp"], ["Globex"])
    assert not attributes_agree([], ["Globex"])


def test_surname_with_agreeing_affiliation_is_the_same_person() -> None:
    short = person("Ruiz Soto", affiliations=("the Migration Policy Institute",))
    assert best_match(short, [RUIZ_FULL]) is RUIZ_FULL


def test_surname_with_agreeing_title_is_the_same_person() -> None:
    short = person("Ruiz Soto", titles=("analyst",))
    assert best_match(short, [RUIZ_FULL]) is RUIZ_FULL


def test_surname_alone_is_not_enough() -> None:
    assert best_match(person("Ruiz Soto"), [RUIZ_FULL]) is None


def test_two_john_smiths_with_different_affiliations_stay_apart() -> None:
    acme = Identity(kind="person", name="John Smith", affiliations=("Acme Corp",), id="p-1")
    other = person("John Smith", affiliations=("University of Chicago",))
    assert best_match(other, [acme]) is None


def test_conflicting_affiliation_wins_over_agreeing_title() -> None:
    acme = Identity(
        kind="person", name="John Smith", titles=("spokesman",), affiliations=("Acme",), id="p-1"
    )
    other = person("John Smith", titles=("spokesman",), affiliations=("Globex",))
    assert best_match(other, [acme]) is None


def test_conflicting_titles_keep_a_surname_apart() -> None:
    senator = Identity(kind="person", name="John Smith", titles=("senator",), id="p-1")
    assert best_match(person("Smith", titles=("chef",)), [senator]) is None


def test_one_full_name_with_different_titles_is_one_person() -> None:
    # issue 11: "Hillary Clinton" was six sources, kept apart by her titles of the day
    nominee = Identity(
        kind="person", name="Hillary Clinton", titles=("Democratic nominee",), id="p-1"
    )
    again = person("Hillary Clinton", titles=("former secretary of state",))
    assert best_match(again, [nominee]) is nominee


def test_documents_and_role_only_sources_never_merge() -> None:
    poll = Identity(kind="document", name="CBS News poll", affiliations=("CBS News",), id="d-1")
    again = Identity(kind="document", name="CBS News poll", affiliations=("CBS News",))
    assert best_match(again, [poll]) is None
    president = Identity(kind="person", name="president", id="p-1")
    assert best_match(person("president"), [president]) is None
    voters = Identity(kind="group", name="voters", id="g-1")
    assert best_match(Identity(kind="group", name="voters"), [voters]) is None
    assert new_source_id(poll, article_id="x", local_id="s1") != new_source_id(
        poll, article_id="y", local_id="s1"
    )


def test_named_groups_still_merge() -> None:
    known = Identity(kind="group", name="Democrats", id="g-1")
    assert best_match(Identity(kind="group", name="Democrats"), [known]) is known


def test_identical_full_names_merge_when_nothing_contradicts() -> None:
    known = Identity(kind="person", name="Maria Lopez", affiliations=("City Hall",), id="p-1")
    assert best_match(person("Maria Lopez"), [known]) is known


def test_best_candidate_is_the_one_that_agrees() -> None:
    acme = Identity(kind="person", name="John Smith", affiliations=("Acme Corp",), id="p-1")
    globex = Identity(kind="person", name="John Smith", affiliations=("Globex",), id="p-2")
    incoming = person("Smith", affiliations=("Globex Inc.",))
    assert best_match(incoming, [acme, globex]) is globex


def test_anonymous_sources_never_merge() -> None:
    official = Identity(kind="anonymous", name="a senior official", id="a-1")
    again = Identity(kind="anonymous", name="a senior official")
    assert best_match(again, [official]) is None


def test_organizations_merge_on_normalized_names_only() -> None:
    known = Identity(kind="organization", name="The Migration Policy Institute", id="o-1")
    same = Identity(kind="organization", name="Migration Policy Institute")
    other = Identity(kind="organization", name="Migration Institute")
    assert best_match(same, [known]) is known
    assert best_match(other, [known]) is None


def test_kinds_never_mix() -> None:
    org = Identity(kind="organization", name="Smith", id="o-1")
    assert best_match(person("Smith", affiliations=("Smith",)), [org]) is None


def test_candidates_are_looked_up_by_surname() -> None:
    assert match_key("person", "Ariel G. Ruiz Soto") == match_key("person", "Mr. Soto")
    assert match_key("organization", "The Acme Corp.") == "acme corp"


def test_ids_are_stable_and_anonymous_ones_are_scoped_to_their_article() -> None:
    a = new_source_id(RUIZ_FULL, article_id="x", local_id="s1")
    assert a == new_source_id(RUIZ_FULL, article_id="y", local_id="s9")
    anonymous = Identity(kind="anonymous", name="an official")
    assert new_source_id(anonymous, article_id="x", local_id="s1") != new_source_id(
        anonymous, article_id="y", local_id="s1"
    )


def test_different_middle_initials_are_different_people() -> None:
    assert not names_compatible("Ariel G. Ruiz Soto", "Ariel B. Ruiz Soto")
