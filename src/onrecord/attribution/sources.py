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

from ..quotes import FoundQuote, find_marked, text_of
from ..record import Entity, Offsets, Quote, Source, SourceKind, TextSpan
from . import names
from .linking import Builder, link_sources

PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers"])
THING_PRONOUNS = frozenset(["it", "its"])
#: Pronouns for several people ("not everyone", "others"): a group.
GROUP_WORDS = frozenset("everyone everybody nobody others many some all both most few".split())
#: How far back (characters) a "she" looks for a person known to be a woman before it
#: settles for the nearest person of unknown gender.
ANTECEDENT_WINDOW = 600
RELATIVE_PRONOUNS = frozenset(["who", "which", "that"])
#: Collective nouns whose "of" phrase names the speakers ("a chorus of Republicans").
COLLECTIVES = frozenset(
    "chorus number majority group handful couple dozen dozens hundreds thousands percent "
    "share lot host coalition bloc".split()
)
PREPOSITION_WORDS = frozenset("for of to at with by from on in".split())
#: Organization nouns that, after "the", stand for the organization named before them.
ORGANIZATION_ROLES = frozenset(
    "agency bureau company firm website site network newspaper paper organization group "
    "panel committee outlet magazine publication".split()
)
#: Honorifics that stand for a role noun ("Rep. Schiff" is "the congressman").
ROLE_OF_HONORIFIC = {
    "rep": ("congressman", "congresswoman", "lawmaker", "representative"),
    "sen": ("senator", "lawmaker"),
    "gov": ("governor",),
    "gen": ("general",),
    "dr": ("doctor", "physician"),
    "del": ("delegate", "lawmaker"),
}
FIRST_PERSON = frozenset(["i", "me"])
GROUP_PRONOUNS = frozenset(["they", "them", "we", "us", "their"])
ANONYMOUS_HEADS = frozenset(
    "official officials source sources aide aides person people adviser advisers advisor "
    "advisors insider insiders staffer staffers diplomat diplomats officer officers "
    "spokesman spokeswoman spokesperson operative operatives someone individual "
    "individuals confidant confidants associate associates".split()
)
ORGANIZATION_HEADS = frozenset(
    "government administration department ministry office house campaign committee "
    "agency company party court police council commission board bureau service "
    "organization group team senate congress pentagon network newspaper post times media "
    "center institute foundation union association coalition caucus panel firm bank "
    "network outlet website site magazine station channel".split()
)
PERSON_HEADS = frozenset(
    "president senator governor mayor candidate nominee secretary minister chairman "
    "chairwoman chair director leader spokesman spokeswoman spokesperson lawyer attorney "
    "judge analyst expert economist professor scientist researcher author writer reporter "
    "journalist columnist host anchor ambassador general officer chief executive founder "
    "man woman voter resident mother father wife husband son daughter friend neighbor "
    "student teacher doctor physician pastor bishop pope king queen prince activist "
    "lawmaker legislator congressman congresswoman representative commissioner "
    "superintendent sheriff prosecutor manager strategist pollster consultant adviser "
    "advisor aide official source person member".split()
)
TITLE_WORDS = PERSON_HEADS | frozenset(
    "mr mrs ms dr sen rep gov del gen lt col sgt prof rev sens reps pres vice deputy "
    "assistant former acting retired ceo cfo coo head speaker whip premier chancellor "
    "mp delegate councilman councilwoman alderman trustee envoy".split()
)
INDEFINITE = frozenset(
    "a an one two three four five six several some many other another more few "
    "multiple numerous".split()
)
DEFINITE = frozenset(["the", "that", "this", "those", "these", "both"])
MODIFIERS = frozenset("det amod compound nummod case poss punct advmod".split())
OPENING_PREPOSITIONS = frozenset("in on at during after before since".split())
CLAUSE_WORDS = frozenset("that who which and or but of to".split())
LEADING_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
NAME_CONTINUATION = re.compile(r"^[-‐][\w’']+")
AFFILIATION_PREPOSITIONS = re.compile(r"\s+(?:at|of|with|for|from)\s+")


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
    )


def _text_span(text: str, offsets: tuple[int, int] | None) -> TextSpan | None:
    if offsets is None:
        return None
    return TextSpan(text[offsets[0] : offsets[1]], offsets[0], offsets[1])


class _Resolver:
    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.entities = entities
        self.builders: list[Builder] = []
        self.by_key: dict[tuple[str, str], Builder] = {}
        self.last_used: dict[str, int] = {}  # builder id -> char offset of its latest mention
        self.quoted = [(p[0], p[1]) for m in find_marked(text_of(doc)) for p in m.parts]
        self.no_source = False  # set when a mention is a thing: no source for it

    def resolve(self, speaker: tuple[int, int], root_index: int | None) -> str | None:
        start, end = speaker
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        root = _speaker_head(span, self.doc[root_index] if root_index is not None else None)
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
        return builder.id

    # -- kinds --

    def _pronoun(self, root: Token, span: Span) -> Builder | None:
        word = root.lower_
        if len(span) == 1 and word in RELATIVE_PRONOUNS:
            return self._relative(root)
        if len(span) == 1 and word in THING_PRONOUNS:
            return self._latest(("organization", "document"))
        if word in GROUP_WORDS and root.pos_ in ("PRON", "DET", "ADJ", "NOUN"):
            return self._keyed("group", _label(_short_phrase(span, root)), span)
        if len(span) > 1 or word not in PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON:
            return None
        self.no_source = True  # a pronoun nobody fits is no source, not a source "he"
        if word in FIRST_PERSON:  # outside quotation marks, "I" is the article's writer
            key = ("person", "the author")
            return self.by_key.get(key) or self._new("person", "the author", None, key)
        if word in PERSON_PRONOUNS:
            gender = "f" if word in ("she", "her", "hers") else "m"
            return self._antecedent(span.start_char, gender)
        return self._latest(("group", "organization"))  # none: no source named "they"

    def _latest(self, kinds: tuple[SourceKind, ...]) -> Builder | None:
        candidates = [b for b in self.builders if b.kind in kinds and b.id in self.last_used]
        return max(candidates, key=lambda b: self.last_used[b.id]) if candidates else None

    def _relative(self, pronoun: Token) -> Builder | None:
        """ "who"/"which" of a relative clause: the noun phrase the clause belongs to."""
        clause = pronoun.head
        if clause.dep_ not in ("relcl", "acl") or clause.head.i >= pronoun.i:
            return None
        noun = clause.head
        start = noun.left_edge.i
        while start < noun.i and self.doc[start].pos_ == "ADP":
            start += 1
        end = noun.i + 1  # "China and the United States, the world's two biggest polluters,"
        while end < clause.left_edge.i and self.doc[end].dep_ in ("cc", "conj", "det", "compound"):
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

    def _antecedent(self, before: int, gender: str) -> Builder | None:
        """The person a "he" or "she" refers to: the latest person quoted, or named as the
        subject of a clause, outside quotation marks before it whose gender does not
        contradict; failing that, the latest person named at all; else no source."""
        mentions: list[tuple[int, Entity | Builder]] = [
            (start, b)
            for b in self.builders
            if b.kind == "person" and b.name != "the author"
            for start, end in b.mentions
            if end <= before and not self._quoted(start)
        ]
        named = [
            e
            for e in self.entities
            if e.label == "PERSON"
            and e.end <= before
            and not self._quoted(e.start)
            and e.text.lower() not in INDEFINITE | DEFINITE
        ]
        subjects = mentions + [(e.start, e) for e in named if self._is_subject(e)]
        everyone: list[tuple[int, Entity | Builder]] = [(e.start, e) for e in named]
        passes: list[tuple[list[tuple[int, Entity | Builder]], tuple[str, ...]]] = [
            (subjects, ("", gender)),
            (everyone, ("", gender)),
        ]
        if gender == "f":  # "he" is the default; a "she" first looks for a known woman
            passes.insert(0, (subjects, (gender,)))
        for candidates, genders in passes:
            for offset, candidate in sorted(candidates, key=lambda pair: -pair[0]):
                if offset < before - ANTECEDENT_WINDOW and genders == (gender,):
                    break
                builder = (
                    self._person_from_entity(candidate)
                    if isinstance(candidate, Entity)
                    else candidate
                )
                if self._gender(builder) in genders:
                    return builder
        return None

    def _is_subject(self, entity: Entity) -> bool:
        """Whether a name is the subject of its clause: "he" later on is more often the
        subject of an earlier sentence than a person named in passing."""
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        head = span.root
        while head.dep_ in ("compound", "flat", "appos", "conj") and head.head != head:
            head = head.head
        return head.dep_ in ("nsubj", "nsubjpass", "nsubj:pass", "ROOT")

    def _gender(self, builder: Builder) -> str:
        """'m', 'f' or '' (unknown) from an honorific or the first name."""
        text = text_of(self.doc)
        for start, end in builder.mentions:
            honorific = names.honorific_of(text[start:end])
            if honorific in names.FEMALE_HONORIFICS:
                return "f"
            if honorific == "mr":
                return "m"
        for title in builder.titles:
            if names.honorific_of(title) in names.FEMALE_HONORIFICS:
                return "f"
            if names.honorific_of(title) == "mr":
                return "m"
        words = [w for w in builder.name.split() if not names.honorific_of(w)]
        if words and (len(words) >= 2 or not self._is_surname(words[0])):
            return names.first_name_gender(words[0]) or ""
        if builder.head in ("woman", "mother", "wife", "daughter", "spokeswoman"):
            return "f"
        if builder.head in ("man", "father", "husband", "son", "spokesman"):
            return "m"
        return ""

    def _is_surname(self, word: str) -> bool:
        return any(
            e.label == "PERSON" and len(e.canonical.split()) > 1 and e.canonical.split()[-1] == word
            for e in self.entities
        )

    def _quoted(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quoted)

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
        return self._keyed("group", _label(_short_phrase(span, root)), span)

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
            if before and _is_title(before):
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

    def _person_from_entity(self, entity: Entity) -> Builder:
        key = ("person", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("person", entity.canonical, None, key)
            for other in self.entities:
                if other.label == "PERSON" and other.canonical == entity.canonical:
                    builder.add_mention(other.start, other.end)
                    self._describe_entity(builder, other)
        return builder

    def _known_surname(self, span: Span, root: Token) -> Builder | None:
        """ "Trump said" where the entity stage missed "Trump": a proper noun that is the
        last name of a person named in the article is that person."""
        if not _is_proper(root) or root.ent_type_ in ("GPE", "LOC", "NORP"):
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

    def _organization_from_entity(self, entity: Entity) -> Builder:
        key = ("organization", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("organization", entity.canonical, None, key)
            for other in self.entities:
                if other.label == "ORG" and other.canonical == entity.canonical:
                    builder.add_mention(other.start, other.end)
        return builder

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
        phrase = _short_phrase(span, root)
        if span[0].lower_ in DEFINITE and not any(t.is_title for t in phrase[1:]):
            same = [b for b in self.builders if b.kind == "document" and b.head == head]
            if same:
                return max(same, key=lambda b: self.last_used.get(b.id, -1))
        builder = self._new("document", _label(phrase), None, ("document", _label(phrase).lower()))
        builder.head = head
        for entity in self.entities:
            if entity.label not in ("ORG", "PERSON") or not phrase.start_char <= entity.start:
                continue
            if entity.end <= root.idx or (
                entity.start < span.end_char and _after_by(self.doc, entity, root)
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
        phrase = _short_phrase(span, root)
        builder = self._new("anonymous", _label(phrase), phrase.text)
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
                return self._keyed("group", _label(_short_phrase(span, member)), span)
        return self._keyed("group", _label(_short_phrase(span, root)), span)

    def _group(self, span: Span, root: Token) -> Builder | None:
        plural = "Plur" in root.morph.get("Number", []) or root.tag_ in ("NNS", "NNPS")
        if not plural or root.pos_ not in ("NOUN", "PROPN"):
            return None
        if not (root.is_title or names.is_group_head(root.text)):
            self.no_source = True  # "endorsements", "trains": things, not speakers
            return None
        return self._keyed("group", _label(_short_phrase(span, root)), span)

    def _common(self, span: Span, root: Token) -> Builder | None:
        if root.pos_ not in ("NOUN", "PROPN") or self.no_source:
            return None
        head = root.lemma_.lower()
        phrase = _short_phrase(span, root)
        if head in ORGANIZATION_HEADS or root.lower_ in ORGANIZATION_HEADS:
            named = self._named_organization(phrase, span.start_char)
            return named or self._keyed("organization", _label(phrase), span)
        if _is_proper(root):
            return self._proper(phrase, span)
        named = self._appositive_name(span, root)
        if named is not None:
            return named
        if phrase[0].lower_ in DEFINITE or root.i == phrase.start:
            holder = self._role_holder(head, span.start_char)
            if holder is not None:
                return holder
        if head in PERSON_HEADS or root.lower_ in PERSON_HEADS:
            builder = self._keyed("person", _label(phrase), span)
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
            if _looks_like_a_name(name):
                builder = self._keyed("person", name, span)
                builder.add_title(_label(_short_phrase(span, root)))
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
        titled = [b for b in self.builders if b.kind == "person" and _has_title(b, role)]
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
        if _looks_like_a_name(name) or names.looks_like_person(name):
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
        return self._keyed("organization", _label(phrase), span)

    # -- helpers --

    def _keyed(self, kind: SourceKind, name: str, span: Span) -> Builder:
        key = (kind, name.lower())
        builder = self.by_key.get(key) or self._new(kind, name, None, key)
        for org in self._entities_in(span, "ORG"):
            if org.canonical != name:
                builder.add_affiliation(org.canonical)
        return builder

    def _new(
        self,
        kind: SourceKind,
        name: str,
        description: str | None,
        key: tuple[str, str] | None = None,
    ) -> Builder:
        builder = Builder(id=f"s{len(self.builders) + 1}", kind=kind, name=name)
        builder.description = description
        self.builders.append(builder)
        if key is not None:
            self.by_key[key] = builder
        return builder

    def _people_in(self, span: Span) -> list[Entity]:
        """Person names in the span (not a lone determiner a weak model tagged as one)."""
        return [
            e
            for e in self._entities_in(span, "PERSON")
            if e.text.lower() not in INDEFINITE | DEFINITE
        ]

    def _entities_in(self, span: Span, label: str) -> list[Entity]:
        return [
            e
            for e in self.entities
            if e.label == label and span.start_char <= e.start and e.end <= span.end_char
        ]

    def _describe(self, builder: Builder, span: Span, entity: Entity) -> None:
        """Titles and affiliations from the words around the name in this mention."""
        text = text_of(self.doc)
        raw_before = text[span.start_char : entity.start]
        before = LEADING_ARTICLES.sub("", raw_before.strip(" ,"))
        # only whole words apart from the name ("Mexican President", not "-moon" of a
        # name the entity stage cut at its hyphen)
        if before and raw_before[-1:].isspace() and _is_title(before):
            self._add_title_words(builder, before, span.start_char)
        raw_after = text[entity.end : span.end_char]
        rest_of_name = NAME_CONTINUATION.match(raw_after)  # "-moon" of "Ban Ki-moon"
        skip = rest_of_name.end() if rest_of_name else 0
        after = raw_after[skip:].strip(" ,")
        if after and raw_after[skip : skip + 1] == ",":
            self._add_title_words(builder, after, entity.end + skip)

    def _describe_entity(self, builder: Builder, entity: Entity) -> None:
        """Titles from the parse around another mention of the same person."""
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None or not len(span):
            return
        root = span.root
        left = span.start
        while left > 0 and self.doc[left - 1].dep_ in ("compound", "amod", "flat", "nmod"):
            if self.doc[left - 1].head.i < span.start or self.doc[left - 1].is_punct:
                break
            left -= 1
        if left < span.start and _is_title(self.doc[left : span.start].text):
            words = self.doc[left : span.start]
            self._add_title_words(builder, words.text, words.start_char)
        for child in root.rights:
            first = child.left_edge.i
            if child.dep_ == "appos" and first > 0 and self.doc[first - 1].text == ",":
                phrase = self.doc[first : child.right_edge.i + 1]
                self._add_title_words(builder, phrase.text.strip(" ,"), phrase.start_char)

    def _add_title_words(self, builder: Builder, words: str, offset: int) -> None:
        """'a policy analyst at the Migration Policy Institute' -> title 'a policy analyst',
        affiliation 'Migration Policy Institute' (a named organization, or capitalized words
        after "at"/"of"/"with"/"for"/"from" when the entity stage missed them)."""
        end = offset + len(words)
        orgs = [e for e in self.entities if e.label == "ORG" and offset <= e.start < end]
        if not orgs:
            title, organization = _split_affiliation(words)
            builder.add_title(title)
            if organization:
                builder.add_affiliation(organization)
            return
        for org in orgs:
            builder.add_affiliation(org.canonical)
        title = AFFILIATION_PREPOSITIONS.split(words, maxsplit=1)[0].strip(" ,")
        org_text = {org.text for org in orgs}
        if title and title not in org_text:
            builder.add_title(title)


def _split_affiliation(words: str) -> tuple[str, str]:
    """(title, organization) when what follows "at"/"of"/... is a name, else (words, "")."""
    parts = AFFILIATION_PREPOSITIONS.split(words, maxsplit=1)
    if len(parts) == 2:
        organization = LEADING_ARTICLES.sub("", parts[1]).strip(" ,")
        if organization and all(
            w[:1].isupper() or w in ("of", "for", "and", "&") for w in organization.split()
        ):
            return parts[0].strip(" ,"), organization
    return words, ""


def _speaker_head(span: Span, offered: Token | None) -> Token:
    """The head word of the speaker mention: the word the quote stage offered when it is
    the head of a noun phrase in the mention before any comma, else a better one."""
    doc = span.doc
    first_comma = next((t.i for t in span if t.text in (",", "(", "—")), span.end)
    root = offered if offered is not None and span.start <= offered.i < span.end else span.root
    while root.dep_ in MODIFIERS and span.start <= root.head.i < span.end and root.head != root:
        root = root.head  # "New Poll", "A new poll": the parse offered a modifier
    if not span.start <= root.i < first_comma and first_comma > span.start:
        # the head of "Councilman Robert Chen, who voted against the measure" is in the
        # words before the comma, whatever word of the clause the parse offered
        root = doc[span.start : first_comma].root
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < first_comma]
    if root.pos_ in ("VERB", "AUX") and subjects and span.start <= subjects[0].i:
        root = subjects[0]  # a clause offered as the speaker: its subject
    if root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") and not _is_proper(root):
        # a parse that hung every word of "A new poll" on the verb
        nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN") and t.i < first_comma]
        root = nouns[-1] if nouns else root
    return root


def _is_proper(token: Token) -> bool:
    """A proper noun, or a capitalized word the tagger took for a common noun that is no
    word of our lists ("Schiff" at the start of a paragraph)."""
    if token.pos_ == "PROPN":
        return True
    lower = token.lower_
    return (
        token.is_title
        and token.pos_ in ("NOUN", "ADV", "ADJ", "X", "VERB")
        and lower not in PERSON_HEADS | ORGANIZATION_HEADS | ANONYMOUS_HEADS
        and lower not in names.DOCUMENT_HEADS
        and lower not in names.GROUP_HEADS
        and token.lemma_.lower() not in PERSON_HEADS | ORGANIZATION_HEADS | names.DOCUMENT_HEADS
    )


def _after_by(doc: Doc, entity: Entity, root: Token) -> bool:
    """Whether the entity follows "by" or "from" after the document's head ("a report by
    Politico")."""
    between = text_of(doc)[root.idx : entity.start].lower().split()
    return bool(between) and between[-1] in ("by", "from", "of")


def _short_phrase(span: Span, root: Token) -> Span:
    """The speaker's noun phrase without what follows its head as a clause, an
    apposition or a comma, and without words before the phrase ("meddling the California
    congressman" -> "the California congressman")."""
    doc = span.doc
    start = max(span.start, root.left_edge.i)
    while start < root.i and doc[start].pos_ == "ADP":  # "for Mills", "of conservatives"
        start += 1
    end = _core_phrase(span, root).end
    for child in root.rights:
        if child.dep_ in ("relcl", "acl", "appos", "advcl", "punct") and child.i < end:
            end = max(root.i + 1, min(end, child.left_edge.i))
    relative = next((t.i for t in doc[root.i + 1 : end] if t.lower_ in RELATIVE_PRONOUNS), end)
    end = min(end, relative)  # "advisers who have run the numbers", whatever the parse
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].lower_ in CLAUSE_WORDS):
        end -= 1
    return doc[start:end] if end > start else span


def _core_phrase(span: Span, root: Token) -> Span:
    """The noun phrase without what a comma sets off after its head ("A senior official,
    who spoke on condition of anonymity," -> "A senior official")."""
    doc = span.doc
    end = next((t.i for t in doc[root.i : span.end] if t.text in (",", "(", "—")), span.end)
    return doc[span.start : end] if end > span.start else span


def _looks_like_a_name(text: str) -> bool:
    """Two to four capitalized words and nothing else ("Esther Tapia"), when the entity
    stage missed the name."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w[1:2].islower() for w in words)


def _is_title(words: str) -> bool:
    """ "Mexican President", "Sen.", "Trump lawyer": words before a name that end with a
    title or role (not a first name the entity stage left out, nor a possessive)."""
    split = words.split()
    if not split:
        return False
    last = split[-1].lower()
    return last.rstrip(".") in TITLE_WORDS or last in TITLE_WORDS


def _label(span: Span) -> str:
    return LEADING_ARTICLES.sub("", span.text).strip()


def _has_title(builder: Builder, head: str) -> bool:
    return any(head in title.lower().split() for title in builder.titles)
