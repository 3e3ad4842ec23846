"""A long article is parsed in pieces with the same result as in one piece, at linear cost."""

from __future__ import annotations

import datetime as dt

import pytest

from onrecord import parsing
from onrecord.pipeline import make_article, record_from_doc
from onrecord.times import times_in_text

PARAGRAPH = (
    '"We will not accept this deal," Senator Maria Lopez said on Tuesday, adding that the '
    "$4.5 billion plan would cut 12% of the jobs in Ohio. The White House said in a "
    "statement that President Trump had spoken with Lopez last week.\n\n"
)


@pytest.mark.parametrize(
    "text",
    [
        PARAGRAPH * 40,
        PARAGRAPH.replace("\n\n", " ") * 40,  # no line break at all
        "word " * 3000,
        "x" * 5000,  # no whitespace: one piece
    ],
)
def test_pieces_join_back_into_the_text_and_end_in_whitespace(text: str) -> None:
    pieces = parsing.split_text(text, 1000)
    assert "".join(pieces) == text
    assert all(piece[-1].isspace() for piece in pieces[:-1])
    assert all(len(piece) < 2000 for piece in pieces[:-1])


def test_a_long_text_in_pieces_has_the_record_of_the_whole(nlp, monkeypatch) -> None:
    text = PARAGRAPH * 12
    article = make_article(text, published="2020-07-08")
    whole = record_from_doc(nlp(text), article).to_dict()
    monkeypatch.setattr(parsing, "PIECE_CHARS", 1000)
    doc = parsing.parse(nlp, text)
    assert doc.text == text
    pieces = record_from_doc(doc, article).to_dict()
    # The same entities, figures, dates and quotations; a cue's extent may differ where a
    # score sits at a threshold (sums of floats in other orders), as between batch sizes.
    for key in ("entities", "quantities", "times", "sources"):
        assert pieces[key] == whole[key]
    assert [q["text"] for q in pieces["quotes"]] == [q["text"] for q in whole["quotes"]]


def test_dates_past_the_calendar_are_left_unresolved() -> None:
    """ "tomorrow" of 9999-12-31 and "yesterday" of 0001-01-01 have no date: no crash."""
    text = "He comes tomorrow. She left yesterday. Next week, next month."
    late = {t.text: t.value for t in times_in_text(text, dt.date(9999, 12, 31))}
    assert late["tomorrow"] == "XXXX-XX-XX" and late["yesterday"] == "9999-12-30"
    early = {t.text: t.value for t in times_in_text(text, dt.date(1, 1, 1))}
    assert early["yesterday"] == "XXXX-XX-XX" and early["tomorrow"] == "0001-01-02"
