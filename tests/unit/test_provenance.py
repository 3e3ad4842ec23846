"""Wordings and variants: what counts as the same statement, and how a copy differs."""

from __future__ import annotations

from onrecord.provenance import compare, same_statement, shingles, wording

ORIGINAL = "Illegal migration is down 85% since January, and we will keep going."


def variant_of(copy: str, reference: str = ORIGINAL) -> tuple[str, str | None, tuple[str, ...]]:
    found = compare(wording(copy), wording(reference))
    return found.variant, found.severity, found.reasons


def test_case_punctuation_and_curly_marks_do_not_count() -> None:
    straight = wording('We don\'t "negotiate" -- ever.')
    curly = wording("we don’t “negotiate” ever")
    assert straight.key == curly.key
    assert (
        variant_of("ILLEGAL MIGRATION is down 85 percent since January and we will keep going")[0]
        == "verbatim"
    )


def test_a_contiguous_part_or_an_ellipsis_is_trimmed_not_altered() -> None:
    assert variant_of("down 85% since January")[0] == "trimmed"
    assert variant_of("Illegal migration is down 85% ... and we will keep going")[0] == "trimmed"
    assert variant_of("Illegal migration is down 85% … we will keep going")[0] == "trimmed"


def test_a_partial_quote_finds_the_long_quote_it_was_cut_from() -> None:
    assert same_statement(wording("down 85% since January"), wording(ORIGINAL))
    assert not same_statement(wording("the United States"), wording("the United States won"))


def test_changed_number_negation_or_name_is_high_severity() -> None:
    assert variant_of(ORIGINAL.replace("85", "58")) == ("altered", "high", ("number",))
    assert variant_of(ORIGINAL.replace("is down", "is not down")) == (
        "altered",
        "high",
        ("negation",),
    )
    assert variant_of(ORIGINAL.replace("since January", "since Biden")) == (
        "altered",
        "high",
        ("name",),
    )


def test_another_ordinary_word_is_a_low_severity_alteration() -> None:
    variant, severity, reasons = variant_of(ORIGINAL.replace("keep going", "keep pushing"))
    assert (variant, severity, reasons) == ("altered", "low", ())


def test_the_word_diff_shows_what_was_inserted_and_deleted() -> None:
    found = compare(wording(ORIGINAL.replace("85", "58")), wording(ORIGINAL))
    assert ("delete", "85") in found.segments and ("insert", "58") in found.segments


def test_a_longer_copy_extends_the_reference() -> None:
    assert variant_of(ORIGINAL, "down 85% since January")[0] == "extended"


def test_different_statements_sharing_a_phrase_stay_apart() -> None:
    a = wording("We will build a great wall along the southern border, and Mexico will pay")
    b = wording("The senator said the wall along the southern border is a waste of money")
    assert not same_statement(a, b)


def test_shingles_do_not_cross_an_ellipsis() -> None:
    assert len(shingles(wording("one two three … four five six"))) == 2
    assert shingles(wording("too short")) == set()
