"""Source resolution on short texts of our own: names, pronouns, anonymous sources."""

from __future__ import annotations

import onrecord


def source_names(text: str) -> list[tuple[str | None, str | None]]:
    record = onrecord.extract(text)
    result = []
    for quote in record.quotes:
        source = record.source(quote.source_id)
        result.append((source.name if source else None, source.kind if source else None))
    return result


def test_short_name_and_pronoun_resolve_to_the_fullest_name():
    text = (
        "Ariel G. Ruiz Soto, a policy analyst at the Migration Policy Institute, said "
        "arrests had begun rising again. Ruiz Soto added that the numbers were incomplete. "
        "He said the trend could reverse."
    )
    record = onrecord.extract(text)
    ids = {q.source_id for q in record.quotes}
    assert len(record.quotes) == 3
    assert len(ids) == 1
    source = record.source(ids.pop())
    assert source is not None
    assert source.kind == "person"
    assert source.name == "Ariel G. Ruiz Soto"
    assert "Migration Policy Institute" in source.affiliations
    assert len(source.mentions) >= 3


def test_anonymous_source_and_its_later_definite_mention_are_one_source():
    text = (
        "A senior administration official said the talks had stalled on Tuesday. "
        "The official said no agreement was signed."
    )
    record = onrecord.extract(text)
    assert len(record.quotes) == 2
    assert record.quotes[0].source_id == record.quotes[1].source_id
    source = record.source(record.quotes[0].source_id)
    assert source is not None and source.kind == "anonymous"
    assert source.description == "A senior administration official"


def test_two_indefinite_anonymous_mentions_are_separate_sources():
    text = "An official said the plan was dead. Another official said the plan could survive."
    record = onrecord.extract(text)
    kinds = [record.source(q.source_id) for q in record.quotes]
    assert len(kinds) == 2
    assert all(s is not None and s.kind == "anonymous" for s in kinds)
    assert record.quotes[0].source_id != record.quotes[1].source_id


def test_floating_quote_keeps_the_speaker_of_the_quote_before_it():
    text = (
        "“We will win this district,” said Maria Gonzalez, the candidate.\n\n"
        "“Nobody can stop us now. We have the volunteers and the money.”"
    )
    record = onrecord.extract(text)
    (quote,) = record.quotes  # the floating paragraph is the quote's second part
    assert [text[p.start : p.end] for p in quote.parts][1].startswith("Nobody can stop us")
    source = record.source(quote.source_id)
    assert source is not None and source.name == "Maria Gonzalez"


def test_plural_speaker_is_a_group():
    text = (
        "Members of the Congressional Hispanic Caucus said the visit lent legitimacy to the policy."
    )
    assert source_names(text) == [("Members of the Congressional Hispanic Caucus", "group")]


def test_sources_render_in_the_text_view():
    record = onrecord.extract(
        "A senior administration official said the talks had stalled on Tuesday."
    )
    from onrecord.textview import render_text

    view = render_text(record)
    assert "(anonymous)" in view
    assert "the talks had stalled on Tuesday" in view


def test_title_before_a_name_is_a_title_of_the_person():
    text = (
        "“We will not stop until every light is back on,” spokeswoman Jennifer Ruiz told reporters."
    )
    record = onrecord.extract(text)
    assert len(record.quotes) == 1
    source = record.source(record.quotes[0].source_id)
    assert source is not None
    assert (source.kind, source.name) == ("person", "Jennifer Ruiz")
    assert "spokeswoman" in source.titles
