"""Source resolution on short texts of our own: names, pronouns, anonymous sources."""

from __future__ import annotations

import onrecord
from onrecord.attribution.sources import attribute
from onrecord.entities import find_entities
from onrecord.pipeline import load
from onrecord.quotes import FoundQuote
from onrecord.record import Source


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


# --- issue 11: one identity per speaker, the right kind, never a thing -----------------------
#
# These run the resolver on speaker mentions we choose (the quote stage is tested
# elsewhere), so that each pattern is checked on its own.


def resolve(text: str, *speakers: str) -> list[Source | None]:
    """The source of each speaker mention (the first occurrence of each string after the
    previous one), resolved in order as the quotes of one article."""
    doc = load()(text)
    found, start = [], 0
    for speaker in speakers:
        at = text.index(speaker, start)
        start = at + len(speaker)
        found.append(FoundQuote("indirect", ((start, start),), None, (at, start)))
    quotes, sources = attribute(doc, found, find_entities(doc))
    by_id = {s.id: s for s in sources}
    return [by_id.get(q.source_id) if q.source_id else None for q in quotes]


def test_a_lone_surname_is_a_person() -> None:
    (trump,) = resolve("Trump said hi.", "Trump")
    assert trump is not None and (trump.kind, trump.name) == ("person", "Trump")


def test_full_name_surname_honorific_and_possessive_are_one_source() -> None:
    text = (
        "Donald Trump said the wall would be built. Trump added that Mexico would pay. "
        "Mr. Trump later said he was sure. Trump's own words were clear, Trump's aides said."
    )
    full, surname, honorific, possessive = resolve(
        text, "Donald Trump", "Trump", "Mr. Trump", "Trump's own words"
    )
    assert full is not None and (full.kind, full.name) == ("person", "Donald Trump")
    assert surname == full and honorific == full
    assert possessive is None or possessive.id != full.id  # "words" are not Trump


def test_surname_of_a_spokeswoman_joins_her_full_name() -> None:
    text = (
        "Jessica Ditto, a spokeswoman, said the campaign was ready. "
        "Ditto said the numbers were good."
    )
    full, short = resolve(text, "Jessica Ditto, a spokeswoman", "Ditto")
    assert full is not None and full == short
    assert full.name == "Jessica Ditto" and full.kind == "person"


def test_short_form_of_an_organization_joins_the_long_one() -> None:
    text = (
        "The New York Times reported that the plan had failed. "
        "The Times said the numbers were wrong."
    )
    long, short = resolve(text, "The New York Times", "The Times")
    assert long is not None and long == short
    assert long.kind == "organization"


def test_a_role_noun_is_the_person_the_article_gave_the_role() -> None:
    text = (
        "Rep. Adam Schiff said Russia was meddling in the election. "
        "The congressman said the administration should respond."
    )
    schiff, role = resolve(text, "Rep. Adam Schiff", "The congressman")
    assert schiff is not None and (schiff.name, schiff.kind) == ("Adam Schiff", "person")
    assert role == schiff


def test_the_appositive_name_is_the_speaker_not_the_possessor() -> None:
    text = "Hillary Clinton's campaign manager, Robby Mook, told CNN that the race was close."
    (mook,) = resolve(text, "Hillary Clinton's campaign manager, Robby Mook")
    assert mook is not None and (mook.name, mook.kind) == ("Robby Mook", "person")


def test_a_poll_is_a_document_of_its_publisher() -> None:
    (poll,) = resolve("A CBS News poll found that Clinton led by five points.", "A CBS News poll")
    assert poll is not None and poll.kind == "document"
    assert poll.affiliations == ("CBS News",)


def test_ads_tweets_and_footage_are_documents() -> None:
    text = (
        "A new ad from the campaign says the senator lied. Her tweets said otherwise. "
        "The footage shows the crowd."
    )
    kinds = [s.kind if s else None for s in resolve(text, "A new ad", "Her tweets", "The footage")]
    assert kinds == ["document", "document", "document"]


def test_objects_and_time_phrases_are_never_sources() -> None:
    text = (
        "The coal said nothing. A yellow bulldozer showed the way. "
        "In August, the mayor said the plan was dead."
    )
    assert resolve(text, "The coal", "A yellow bulldozer", "In August") == [None, None, None]


def test_a_place_that_acts_is_an_organization_one_named_in_passing_is_not() -> None:
    text = "Mexico said it would not pay. His supporters in Michigan said they would vote."
    mexico, supporters = resolve(text, "Mexico", "His supporters in Michigan")
    assert mexico is not None and (mexico.name, mexico.kind) == ("Mexico", "organization")
    assert supporters is not None and supporters.name != "Michigan"
    assert supporters.kind == "group"


def test_names_are_never_clauses() -> None:
    text = (
        "Rep. Adam Schiff spoke on Tuesday. Schiff, 56, who has served on the Intelligence "
        "Committee for a decade, told reporters the threat was real."
    )
    _, schiff = resolve(
        text,
        "Rep. Adam Schiff",
        "Schiff, 56, who has served on the Intelligence Committee for a decade",
    )
    assert schiff is not None and schiff.name == "Adam Schiff"


def test_titles_before_a_name_are_titles_not_name() -> None:
    text = "Ohio Democratic Party Chairman David Pepper said the ruling was a victory."
    (pepper,) = resolve(text, "Ohio Democratic Party Chairman David Pepper")
    assert pepper is not None and (pepper.name, pepper.kind) == ("David Pepper", "person")


def test_she_is_the_woman_not_the_latest_speaker() -> None:
    text = (
        "Ivanka Trump described the plan in an interview. Jason Miller, a spokesman, said "
        "it would cover everyone. She said fathers would not be eligible."
    )
    ivanka, miller, she = resolve(text, "Ivanka Trump", "Jason Miller, a spokesman", "She")
    assert she is not None and she == ivanka and she != miller


def test_two_named_people_together_are_a_group() -> None:
    (both,) = resolve(
        "Mr. Grassley and Mr. Leahy said the program should expire.",
        "Mr. Grassley and Mr. Leahy",
    )
    assert both is not None and both.kind == "group"
