"""Sources: resolving each quote's speaker mention to a person, organization, group,
anonymous source or document (see docs/quotes.md, "Sources").

A speaker mention is resolved, in order, as: nothing when it is a time phrase, a phrase
opening with a preposition or an object; a pronoun (to the latest person named outside
quotation marks whose gender fits; "I" is the article's author); a coordination ("Mr.
Grassley and Mr. Leahy": a group); a named person (its fullest name in the article, from
the entity stage, also for a bare surname, "Mr. Trump", "Trump's" or a transcript's
"PENCE"; the appositive name in "Hillary Clinton's campaign manager, Robby Mook"); a named
organization, or a place acting as one ("Mexico said"); a document ("a CBS News poll":
its publisher as affiliation); an anonymous source ("a senior official"; "the official"
later on is the same one); a group (a plural noun phrase of people) or a common noun (an
organization such as "the White House", or a person such as "the president", the person
the article gave that title to when there is one). When every quote is resolved, sources
that name the same speaker are merged (``attribution.linking``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..quotes import FoundQuote, text_of
from ..record import Entity, Offsets, Quote, Source, TextSpan, quoted_words
from . import names
from .linking import Builder, link_sources
from .phrases import (
    ANONYMOUS_HEADS,
    COLLECTIVES,
    DEFINITE,
    LEADING_ARTICLES,
    OPENING_PREPOSITIONS,
    ORGANIZATION_HEADS,
    ORGANIZATION_ROLES,
    PERSON_HEADS,
    PREPOSITION_WORDS,
    RELATIVE_PRONOUNS,
    ROLE_OF_HONORIFIC,
    TITLE_WORDS,
    after_by,
    has_title,
    is_proper,
    is_title,
    label,
    looks_like_a_name,
    short_phrase,
    speaker_head,
)
from .pronouns import PronounResolver

FAMILY_HEADS = frozenset("mother father wife husband daughter son sister brother".split())
FEMALE_HEADS = frozenset("mother wife daughter sister woman spokeswoman chairwoman".split())
MALE_HEADS = frozenset("father husband son brother man spokesman chairman".split())


def attribute(
    doc: Doc, found: Sequence[FoundQuote], entities: Sequence[Entity]
) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
    resolver = _Resolver(doc, entities)
    source_ids: list[str | None] = []
    quotes = []
    for index, item in enumerate(found):
        if item.follows is not None and item.follows < index:
            source_id = source_ids[item.follows]
        elif item.speaker is not None:
            source_id = resolver.resolve(item.speaker, item.speaker_root)
        else:
            source_id = None
        source_ids.append(source_id)
        quotes.append(_quote(doc, index, item, source_id))
    sources, renamed = link_sources(resolver.builders, entities)
    quotes = [replace(q, source_id=renamed.get(q.source_id)) if q.source_id else q for q in quotes]
    return tuple(quotes), sources


def _quote(doc: Doc, index: int, item: FoundQuote, source_id: str | None) -> Quote:
    text = text_of(doc)
    return Quote(
        id=f"q{index + 1}",
        kind=item.kind,  # type: ignore[arg-type]
        text=text[item.start : item.end],
        start=item.start,
        end=item.end,
        parts=tuple(Offsets(s, e) for s, e in item.parts) if len(item.parts) > 1 else (),
        cue=_text_span(text, item.cue),
        speaker=_text_span(text, item.speaker),
        source_id=source_id,
        content=quoted_words(text, item.parts),
    )


def _text_span(text: str, offsets: tuple[int, int] | None) -> TextSpan | None:
    if offsets is None:
        return None
    return TextSpan(text[offsets[0] : offsets[1]], offsets[0], offsets[1])


#: Dependents after a noun that stay in its phrase before a relative clause ("Mary Smith,",
#: "China and the United States,").
RELATIVE_NOUN_PARTS = frozenset(["cc", "conj", "det", "compound", "flat", "flat:name"])


def _noun_before(pronoun: Token) -> Token | None:
    """The head of the noun phrase that ends just before a relative pronoun (a comma
    between them allowed): "Mary Smith, who" -> "Mary"."""
    i = pronoun.i - 1
    while i >= 0 and pronoun.doc[i].is_punct:
        i -= 1
    if i < 0 or pronoun.doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    noun = pronoun.doc[i]
    while noun.dep_ in ("flat", "flat:name", "compound") and noun.head.i < noun.i:
        noun = noun.head
    return noun


class _Resolver(PronounResolver):
    def resolve(self, speaker: tuple[int, int], root_index: int | None) -> str | None:
        start, end = speaker
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        root = speaker_head(span, self.doc[root_index] if root_index is not None else None)
        if self._not_a_speaker(span, root):
            return None
        self.no_source = False
        builder = (
            self._pronoun(root, span)
            or self._coordination(span, root)
            or self._person(span, root)
            or self._capitals(span)
            or self._document(span, root)
            or self._organization(span, root)
            or self._anonymous(span, root)
            or self._collective(span, root)
            or self._group(span, root)
            or self._common(span, root)
        )
        if builder is None:
            return None
        builder.add_mention(start, end)
        self.last_used[builder.id] = start
        self.spoken.append((start, builder))
        return builder.id

    # -- kinds --

    def _relative(self, pronoun: Token) -> Builder | None:
        """ "who"/"which"/"whose members" of a relative clause: the noun phrase the clause
        belongs to."""
        clause = pronoun.head
        if pronoun.lower_ == "whose":  # whose -> members -> said (the clause's verb)
            clause = clause.head
        # the parser is trained on UD: its label is "acl:relcl"
        if clause.dep_ in ("acl:relcl", "relcl", "acl") and clause.head.i < pronoun.i:
            noun = clause.head
        else:  # clause hung on the verb ("thanked Mary Smith, who said"): the noun before
            found = _noun_before(pronoun)
            if found is None:
                return None
            noun = found
        start = noun.left_edge.i
        while start < noun.i and self.doc[start].pos_ in ("ADP", "PUNCT"):
            start += 1
        end = noun.i + 1  # "China and the United States, the world's two biggest polluters,"
        while end < clause.left_edge.i and self.doc[end].dep_ in RELATIVE_NOUN_PARTS:
            end += 1
        span = self.doc[start:end]
        if noun.lower_ in RELATIVE_PRONOUNS or not len(span):
            return None
        builder = (
            self._coordination(span, noun)
            or self._person(span, noun)
            or self._organization(span, noun)
            or self._known_surname(span, noun)
            or self._group(span, noun)
        )
        return builder

    def _not_a_speaker(self, span: Span, root: Token) -> bool:
        """A time phrase ("In August"), a phrase opening with a preposition of place or
        time, or a date the entity model found."""
        words = [t.text for t in span]
        if span[0].lower_ in OPENING_PREPOSITIONS or names.is_time_phrase(words):
            return True
        return root.ent_type_ in ("DATE", "TIME") and root.pos_ != "PROPN"

    def _coordination(self, span: Span, root: Token) -> Builder | None:
        """ "Mr. Grassley and Mr. Leahy", "China and Russia": several speakers, a group."""
        if root.pos_ not in ("NOUN", "PROPN") or not any(
            c.dep_ == "conj" and span.start <= c.i < span.end for c in root.children
        ):
            return None
        conjuncts = [c for c in root.children if c.dep_ == "conj"]
        words = [c for t in (root, *conjuncts) for c in t.children if c.dep_ == "cc"]
        if not any(c.lower_ in ("and", "&") for c in words):
            return None
        return self._keyed("group", label(short_phrase(span, root)), span)

    def _person(self, span: Span, root: Token) -> Builder | None:
        people = self._people_in(span)
        if not people:
            return self._known_surname(span, root)
        entity = next((e for e in people if e.start <= root.idx < e.end), None)
        if entity is None:  # "Hillary Clinton's campaign manager": not Hillary Clinton
            people = [e for e in people if not self._possessor(e)]
        if not people:
            return None
        if entity is None and people[0].start == span.start_char:  # "NAME, a policy analyst"
            entity = people[0]
        if entity is None:  # "House Speaker Paul D. Ryan (R-Wis.)": titles, then the name
            entity = self._name_after_titles(span, people)
        if entity is None and root.lower_ in TITLE_WORDS:  # "spokeswoman Jennifer Ruiz"
            # not the "Pagliano" of "An attorney for Pagliano, Mark MacDougall"
            text = text_of(self.doc)
            entity = next(
                (
                    e
                    for e in people
                    if e.start > root.idx
                    and text[root.idx : e.start].split()[-1:] not in (["for"], ["of"], ["to"])
                ),
                None,
            )
        if entity is None:
            return None
        grown = self._grown_name(entity, span)
        if grown:  # "Pat Caddell" where the entity stage found only "Pat"
            builder = self._keyed("person", grown.text, span)
            before = text_of(self.doc)[span.start_char : grown.start_char].strip(" ,")
            if before and is_title(before):
                builder.add_title(LEADING_ARTICLES.sub("", before))
            return builder
        builder = self._person_from_entity(entity)
        self._describe(builder, span, entity)
        return builder

    def _grown_name(self, entity: Entity, span: Span) -> Span | None:
        """The entity's one-word name with the words of the name around it in the mention:
        a first name before it ("Chairman David Pepper" where the entity stage found
        "Pepper"), capitalized names after it ("Pat Caddell" where it found "Pat")."""
        tokens = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if tokens is None or len(entity.canonical.split()) > 1:
            return None
        start = tokens.start
        while start > span.start and (
            names.is_first_name(self.doc[start - 1].text)
            or re.fullmatch(r"[A-Z]\.", self.doc[start - 1].text)
        ):
            start -= 1
        end = tokens.end
        while (
            end < span.end
            and self.doc[end].text[:1].isupper()
            and self.doc[end].pos_ == "PROPN"
            and self.doc[end].lower_.rstrip(".") not in TITLE_WORDS
        ):
            end += 1
        if start == tokens.start and end == tokens.end:
            return None
        return self.doc[start:end]

    def _name_after_titles(self, span: Span, people: list[Entity]) -> Entity | None:
        """The person whose name ends the words before the first comma or parenthesis."""
        text = text_of(self.doc)[span.start_char : span.end_char]
        cut = min((text.find(c) for c in ",(—" if c in text), default=len(text))
        end = span.start_char + len(text[:cut].rstrip())
        entity = next((e for e in people if e.end == end), None)
        before = text_of(self.doc)[span.start_char : entity.start] if entity else ""
        if any(w in PREPOSITION_WORDS for w in before.lower().split()):
            return None  # "An attorney for Pagliano": Pagliano is not the attorney
        return entity

    def _possessor(self, entity: Entity) -> bool:
        after = text_of(self.doc)[entity.end : entity.end + 2]
        return after[:1] in ("'", "’") and (after[1:2] in ("s", " ", "") or after == "'")

    def _known_surname(self, span: Span, root: Token) -> Builder | None:
        """ "Trump said" where the entity stage missed "Trump": a proper noun that is the
        last name of a person named in the article is that person."""
        if not is_proper(root) or root.ent_type_ in ("GPE", "LOC", "NORP"):
            return None
        word = names.name_words(root.text)
        fits = {
            e.canonical: e
            for e in self.entities
            if e.label != "LOC"
            and len(names.name_words(e.canonical)) > 1
            and names.name_words(e.canonical)[-1:] == word
            and (e.label == "PERSON" or names.looks_like_person(e.canonical))
        }
        if len({names.name_words(c) for c in fits}) != 1:  # not "Clinton" of two Clintons
            return None
        entity = next((e for e in fits.values() if e.label == "PERSON"), None)
        if entity is not None:
            return self._person_from_entity(entity)
        return self._keyed("person", names.strip_possessive(next(iter(fits))), span)

    def _capitals(self, span: Span) -> Builder | None:
        """A transcript's speaker in capitals ("PENCE"): the person of that surname."""
        text = span.text
        if not text.isupper() or len(text.split()) > 3:
            return None
        last = text.split()[-1].lower()
        for entity in self.entities:
            if entity.label == "PERSON" and entity.canonical.lower().split()[-1:] == [last]:
                return self._person_from_entity(entity)
        key = ("person", text.lower())
        return self.by_key.get(key) or self._new("person", text.title(), None, key)

    def _organization(self, span: Span, root: Token) -> Builder | None:
        orgs = self._entities_in(span, "ORG")
        entity = next((e for e in orgs if e.start <= root.idx < e.end), None)
        if entity is None:
            entity = self._acting_place(span, root)
        if entity is None:
            return None
        return self._organization_from_entity(entity)

    def _acting_place(self, span: Span, root: Token) -> Entity | None:
        """A place that is the whole speaker ("Mexico said", "the United States warned")
        acts as its government; a place inside a longer phrase ("his supporters in
        Michigan") does not speak."""
        places = [e for e in self._entities_in(span, "LOC") if e.start <= root.idx < e.end]
        if not places:
            return None
        rest = text_of(self.doc)[span.start_char : span.end_char].replace(places[0].text, "")
        if names.name_words(rest):
            return None
        return places[0]

    def _document(self, span: Span, root: Token) -> Builder | None:
        """A poll, report, ad, tweet, footage, letter ...: a document, with its author or
        publisher (an organization or person named before it or after "by"/"from") as
        affiliation; "the poll" later on is the latest poll."""
        head = root.lemma_.lower()
        if root.pos_ not in ("NOUN", "PROPN") or (
            head not in names.DOCUMENT_HEADS and root.lower_ not in names.DOCUMENT_HEADS
        ):
            return None
        if root.is_title and root.lower_ not in ("poll", "survey", "study", "report", "ad"):
            return None  # "The Washington Post", "Politico Magazine"
        phrase = short_phrase(span, root)
        if span[0].lower_ in DEFINITE and not any(t.is_title for t in phrase[1:]):
            same = [b for b in self.builders if b.kind == "document" and b.head == head]
            if same:
                return max(same, key=lambda b: self.last_used.get(b.id, -1))
        builder = self._new("document", label(phrase), None, ("document", label(phrase).lower()))
        builder.head = head
        for entity in self.entities:
            if entity.label not in ("ORG", "PERSON") or not phrase.start_char <= entity.start:
                continue
            if entity.end <= root.idx or (
                entity.start < span.end_char and after_by(self.doc, entity, root)
            ):
                builder.add_affiliation(names.strip_possessive(entity.canonical))
        if not builder.affiliations:
            publisher = [t.text for t in phrase if t.i < root.i and t.pos_ == "PROPN"]
            if publisher:
                builder.add_affiliation(" ".join(publisher))
        return builder

    def _anonymous(self, span: Span, root: Token) -> Builder | None:
        if root.lower_ not in ANONYMOUS_HEADS and root.lemma_.lower() not in ANONYMOUS_HEADS:
            # "Two city officials familiar with the talks" when the parse heads it elsewhere
            root = next(
                (t for t in span[: root.i - span.start] if t.lower_ in ANONYMOUS_HEADS), root
            )
        head = root.lemma_.lower()
        if root.lower_ not in ANONYMOUS_HEADS and head not in ANONYMOUS_HEADS:
            return None
        if any(e.start <= root.idx < e.end for e in self._people_in(span)):
            return None
        first = span[0].lower_
        if first in DEFINITE:
            same = [b for b in self.builders if b.kind == "anonymous" and b.head == head]
            if same:
                return max(same, key=lambda b: self.last_used.get(b.id, -1))
        phrase = short_phrase(span, root)
        builder = self._new("anonymous", label(phrase), phrase.text)
        builder.head = head
        for org in self._entities_in(span, "ORG"):
            builder.add_affiliation(org.canonical)
        return builder

    def _collective(self, span: Span, root: Token) -> Builder | None:
        """ "A chorus of prominent Republicans", "42 percent of those responding": the
        people of the "of" phrase, a group."""
        if root.lemma_.lower() not in COLLECTIVES and root.lower_ not in COLLECTIVES:
            return None
        members = [c for c in root.rights if c.dep_ in ("nmod", "pobj", "prep") and c.i < span.end]
        members = [m for m in members if m.dep_ != "prep" or m.lower_ == "of"]
        if not members and root.lower_ != "percent":  # "Another 19 percent said"
            return None
        if members:  # "Small groups of protesters" are the protesters
            member = members[0] if members[0].dep_ != "prep" else next(members[0].children, None)
            if member is not None and member.pos_ in ("NOUN", "PROPN", "PRON"):
                return self._keyed("group", label(short_phrase(span, member)), span)
        return self._keyed("group", label(short_phrase(span, root)), span)

    def _group(self, span: Span, root: Token) -> Builder | None:
        plural = "Plur" in root.morph.get("Number", []) or root.tag_ in ("NNS", "NNPS")
        if not plural or root.pos_ not in ("NOUN", "PROPN"):
            return None
        if not (root.is_title or names.is_group_head(root.text)):
            self.no_source = True  # "endorsements", "trains": things, not speakers
            return None
        return self._keyed("group", label(short_phrase(span, root)), span)

    def _common(self, span: Span, root: Token) -> Builder | None:
        if root.pos_ not in ("NOUN", "PROPN") or self.no_source:
            return None
        head = root.lemma_.lower()
        phrase = short_phrase(span, root)
        if head in ORGANIZATION_HEADS or root.lower_ in ORGANIZATION_HEADS:
            named = self._named_organization(phrase, span.start_char)
            return named or self._keyed("organization", label(phrase), span)
        if is_proper(root):
            return self._proper(phrase, span)
        named = self._appositive_name(span, root)
        if named is not None:
            return named
        definite = phrase[0].lower_ in DEFINITE or phrase[0].dep_ == "poss"
        if definite or root.i == phrase.start:
            holder = self._role_holder(head, span.start_char)
            if holder is not None:
                return holder
        if definite and (head in PERSON_HEADS or head in FAMILY_HEADS):
            gender = "f" if head in FEMALE_HEADS else "m" if head in MALE_HEADS else ""
            described = self._described(span.start_char, gender)
            if described is not None:
                return described
        if head in PERSON_HEADS or root.lower_ in PERSON_HEADS:
            builder = self._keyed("person", label(phrase), span)
            builder.head = head
            return builder
        return None  # "the coal", "a yellow bulldozer": things do not speak

    def _appositive_name(self, span: Span, root: Token) -> Builder | None:
        """ "An attorney for Pagliano, Mark MacDougall": the name set off after a role."""
        set_off = [
            self.doc[c.left_edge.i : c.i + 1].text
            for c in root.rights
            if c.dep_ == "appos" and span.start <= c.i < span.end
        ]
        text = text_of(self.doc)[span.start_char : span.end_char]
        if "," in text:  # a parse that did not see the apposition
            set_off.append(text.split(",")[1].strip())
        for name in set_off:
            if looks_like_a_name(name):
                builder = self._keyed("person", name, span)
                builder.add_title(label(short_phrase(span, root)))
                return builder
        return None

    def _named_organization(self, phrase: Span, before: int) -> Builder | None:
        """ "the agency", "the website" (a definite organization noun and nothing else):
        the organization the article named last before it, outside quotation marks."""
        if phrase[0].lower_ not in ("the", "that", "this") or len(phrase) != 2:
            return None
        if phrase[-1].lower_ not in ORGANIZATION_ROLES:
            return None
        named = [
            e
            for e in self.entities
            if e.label == "ORG" and e.end <= before and not self._quoted(e.start)
        ]
        quoted = [
            (start, b)
            for b in self.builders
            if b.kind == "organization" and b.name[:1].isupper()
            for start, end in b.mentions
            if end <= before
        ]
        latest_quoted = max(quoted, key=lambda pair: pair[0], default=None)
        if latest_quoted and (not named or latest_quoted[0] > named[-1].start):
            return latest_quoted[1]
        return self._organization_from_entity(named[-1]) if named else None

    def _role_holder(self, role: str, before: int) -> Builder | None:
        """The person the article gave this role before ("the congressman" after "Rep. Adam
        Schiff", "the spokeswoman" after "spokeswoman Jennifer Ruiz"): a source with that
        title, or a person named right after the role word or its honorific."""
        titled = [b for b in self.builders if b.kind == "person" and has_title(b, role)]
        if titled:
            return max(titled, key=lambda b: self.last_used.get(b.id, -1))
        text = text_of(self.doc)
        best: Entity | None = None
        for entity in self.entities:
            if entity.label != "PERSON" or entity.end > before:
                continue
            window = text[max(0, entity.start - 40) : entity.start].split()[-3:]
            words = [w.lower().rstrip(".") for w in window + entity.text.split()[:1]]
            roles = set(words) | {r for w in words for r in ROLE_OF_HONORIFIC.get(w, ())}
            if role in roles:
                best = entity
        return self._person_from_entity(best) if best is not None else None

    def _proper(self, phrase: Span, span: Span) -> Builder:
        """A proper noun the entity stage did not name: a person when it looks like a
        person's name or is one capitalized word that is no acronym ("Trump said hi."),
        otherwise an organization."""
        words = [w for w in phrase.text.split() if w.lower().rstrip(".") not in TITLE_WORDS]
        name = names.strip_possessive(" ".join(words))
        if looks_like_a_name(name) or names.looks_like_person(name):
            builder = self._keyed("person", name, span)
            if words and len(words) < len(phrase.text.split()):
                builder.add_title(phrase.text[: phrase.text.index(words[0])].strip())
            return builder
        single = len(name.split()) == 1 and name[:1].isupper() and not name.isupper()
        organizations = {
            names.name_words(e.text) for e in self.entities if e.label in ("ORG", "LOC")
        }
        if (
            single
            and name.lower() not in names.ORGANIZATION_ENDS
            and names.name_words(name) not in organizations
        ):
            return self._keyed("person", name, span)
        return self._keyed("organization", label(phrase), span)

    # -- helpers --
