"""Sources: resolving each quote's speaker mention to a person, organization, group or
anonymous source (see docs/quotes.md).

A speaker mention is resolved, in order, as: a pronoun (to the latest source it can refer
to; "I" is the article's author), a named person (its fullest name in the article, from
the entity stage, also for a bare surname or a transcript's "PENCE"), a named
organization, an anonymous source ("a senior official"; "the official" later on is the
same one), a group (a plural noun phrase) or a common noun (an organization such as "the
White House", or a person such as "the president"). Mentions that name the same source
merge into it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .quotes import FoundQuote, text_of
from .record import Entity, Offsets, Quote, Source, SourceKind, TextSpan

PERSON_PRONOUNS = frozenset(["he", "she", "him", "her"])
FIRST_PERSON = frozenset(["i", "me"])
GROUP_PRONOUNS = frozenset(["they", "them", "we", "us"])
ANONYMOUS_HEADS = frozenset(
    "official officials source sources aide aides person people adviser advisers advisor "
    "advisors insider insiders staffer staffers diplomat diplomats officer officers "
    "spokesman spokeswoman spokesperson operative operatives someone individual "
    "individuals confidant confidants associate associates".split()
)
ORGANIZATION_HEADS = frozenset(
    "government administration department ministry office house campaign committee "
    "agency company party court police council commission board bureau service "
    "organization group team senate congress pentagon network newspaper paper post times "
    "poll survey study report center institute foundation union association".split()
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
    "advisor aide official source person".split()
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
LEADING_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
NAME_CONTINUATION = re.compile(r"^[-‐][\w’']+")
AFFILIATION_PREPOSITIONS = re.compile(r"\s+(?:at|of|with|for|from)\s+")


@dataclass
class _Builder:
    id: str
    kind: SourceKind
    name: str
    description: str | None = None
    titles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    mentions: dict[tuple[int, int], None] = field(default_factory=dict)
    head: str = ""

    def add_mention(self, start: int, end: int) -> None:
        self.mentions[(start, end)] = None

    def add_title(self, title: str) -> None:
        if title and title not in self.titles:
            self.titles.append(title)

    def add_affiliation(self, affiliation: str) -> None:
        if affiliation and affiliation not in self.affiliations:
            self.affiliations.append(affiliation)

    def build(self) -> Source:
        return Source(
            id=self.id,
            name=self.name,
            kind=self.kind,
            description=self.description,
            titles=tuple(self.titles),
            affiliations=tuple(self.affiliations),
            mentions=tuple(Offsets(s, e) for s, e in sorted(self.mentions)),
        )


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
    return tuple(quotes), resolver.sources()


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
        # Indexes of the entities, so that each lookup is not a scan (the stage stays
        # linear in the length of the article).
        self.by_start = sorted(entities, key=lambda e: e.start)
        self.people = [e for e in self.by_start if e.label == "PERSON"]
        self.by_name: dict[tuple[str, str], list[Entity]] = {}
        self.by_surname: dict[str, Entity] = {}  # of a name of two words or more
        self.by_last_word: dict[str, Entity] = {}
        for entity in entities:
            self.by_name.setdefault((entity.label, entity.canonical), []).append(entity)
            words = entity.canonical.lower().split()
            if entity.label == "PERSON" and words:
                self.by_last_word.setdefault(words[-1], entity)
                if len(words) > 1:
                    self.by_surname.setdefault(words[-1], entity)
        self.builders: list[_Builder] = []
        self.by_key: dict[tuple[str, str], _Builder] = {}
        self.last_used: dict[str, int] = {}  # builder id -> char offset of its latest mention

    def sources(self) -> tuple[Source, ...]:
        return tuple(b.build() for b in self.builders)

    def resolve(self, speaker: tuple[int, int], root_index: int | None) -> str | None:
        start, end = speaker
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        root = self.doc[root_index] if root_index is not None else span.root
        first_comma = next((t.i for t in span if t.text in (",", "(", "—")), span.end)
        if not span.start <= root.i < first_comma and first_comma > span.start:
            # the head of "Councilman Robert Chen, who voted against the measure" is in the
            # words before the comma, whatever word of the clause the parse offered
            root = self.doc[span.start : first_comma].root
        builder = (
            self._pronoun(root, span)
            or self._person(span, root)
            or self._capitals(span)
            or self._organization(span, root)
            or self._anonymous(span, root)
            or self._group(span, root)
            or self._common(span, root)
        )
        if builder is None:
            return None
        builder.add_mention(start, end)
        self.last_used[builder.id] = start
        return builder.id

    # -- kinds --

    def _pronoun(self, root: Token, span: Span) -> _Builder | None:
        word = root.lower_
        if len(span) > 1 or word not in PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON:
            return None
        if word in FIRST_PERSON:  # outside quotation marks, "I" is the article's writer
            key = ("person", "the author")
            return self.by_key.get(key) or self._new("person", "the author", None, key)
        wanted = ("person",) if word in PERSON_PRONOUNS else ("group", "organization")
        candidates = [b for b in self.builders if b.kind in wanted and b.id in self.last_used]
        if candidates:
            return max(candidates, key=lambda b: self.last_used[b.id])
        if word in PERSON_PRONOUNS:
            before = bisect.bisect_right(self.people, span.start_char, key=lambda e: e.end)
            if before:
                return self._person_from_entity(self.people[before - 1])
        return self._new("group" if word in GROUP_PRONOUNS else "person", span.text, span.text)

    def _person(self, span: Span, root: Token) -> _Builder | None:
        people = self._people_in(span)
        if not people:
            return self._known_surname(span, root)
        entity = next((e for e in people if e.start <= root.idx < e.end), None)
        if entity is None and people[0].start == span.start_char:  # "NAME, a policy analyst"
            entity = people[0]
        if entity is None and root.lower_ in TITLE_WORDS:  # "spokeswoman Jennifer Ruiz"
            entity = next((e for e in people if e.start > root.idx), None)
        if entity is None:
            return None
        builder = self._person_from_entity(entity)
        self._describe(builder, span, entity)
        return builder

    def _person_from_entity(self, entity: Entity) -> _Builder:
        key = ("person", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("person", entity.canonical, None, key)
            for other in self.by_name.get(("PERSON", entity.canonical), []):
                builder.add_mention(other.start, other.end)
                self._describe_entity(builder, other)
        return builder

    def _known_surname(self, span: Span, root: Token) -> _Builder | None:
        """ "Trump said" where the entity stage missed "Trump": a proper noun that is the
        last name of a person named in the article is that person."""
        if root.pos_ != "PROPN" or root.ent_type_ not in ("", "PERSON", "PER"):
            return None
        entity = self.by_surname.get(root.lower_)
        return self._person_from_entity(entity) if entity is not None else None

    def _capitals(self, span: Span) -> _Builder | None:
        """A transcript's speaker in capitals ("PENCE"): the person of that surname."""
        text = span.text
        if not text.isupper() or len(text.split()) > 3:
            return None
        entity = self.by_last_word.get(text.split()[-1].lower())
        if entity is not None:
            return self._person_from_entity(entity)
        key = ("person", text.lower())
        return self.by_key.get(key) or self._new("person", text.title(), None, key)

    def _organization(self, span: Span, root: Token) -> _Builder | None:
        orgs = self._entities_in(span, "ORG")
        entity = next((e for e in orgs if e.start <= root.idx < e.end), None)
        if entity is None:
            return None
        key = ("organization", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("organization", entity.canonical, None, key)
            for other in self.by_name.get(("ORG", entity.canonical), []):
                builder.add_mention(other.start, other.end)
        return builder

    def _anonymous(self, span: Span, root: Token) -> _Builder | None:
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
        phrase = _core_phrase(span, root)
        builder = self._new("anonymous", _label(phrase), phrase.text)
        builder.head = head
        for org in self._entities_in(span, "ORG"):
            builder.add_affiliation(org.canonical)
        return builder

    def _group(self, span: Span, root: Token) -> _Builder | None:
        plural = "Plur" in root.morph.get("Number", []) or root.tag_ in ("NNS", "NNPS")
        if not plural or root.pos_ not in ("NOUN", "PROPN"):
            return None
        return self._keyed("group", _label(_core_phrase(span, root)), span)

    def _common(self, span: Span, root: Token) -> _Builder | None:
        if root.pos_ not in ("NOUN", "PROPN"):
            return None
        head = root.lemma_.lower()
        if head in ORGANIZATION_HEADS or root.lower_ in ORGANIZATION_HEADS:
            return self._keyed("organization", _label(span), span)
        if root.pos_ == "PROPN":
            core = _core_phrase(span, root)
            words = [w for w in core.text.split() if w.lower().rstrip(".") not in TITLE_WORDS]
            if _looks_like_a_name(" ".join(words)):  # "Councilman Robert Chen, who ..."
                builder = self._keyed("person", " ".join(words), span)
                if len(words) < len(core.text.split()):
                    builder.add_title(core.text[: core.text.index(words[0])].strip())
                return builder
            return self._keyed("organization", _label(span), span)
        titled = [b for b in self.builders if b.kind == "person" and _has_title(b, head)]
        if titled and span[0].lower_ in DEFINITE:
            return max(titled, key=lambda b: self.last_used.get(b.id, -1))
        # A statement, a poll, the decision: not a person; the record files what speaks
        # for an institution under organization.
        common: SourceKind = "person" if head in PERSON_HEADS else "organization"
        return self._keyed(common, _label(span), span)

    # -- helpers --

    def _keyed(self, kind: SourceKind, name: str, span: Span) -> _Builder:
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
    ) -> _Builder:
        builder = _Builder(id=f"s{len(self.builders) + 1}", kind=kind, name=name)
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
            for e in self._starting_in(span.start_char, span.end_char)
            if e.label == label and e.end <= span.end_char
        ]

    def _starting_in(self, start: int, end: int) -> list[Entity]:
        """The entities that start in [start, end), by bisection (the stage stays linear)."""
        first = bisect.bisect_left(self.by_start, start, key=lambda e: e.start)
        last = bisect.bisect_left(self.by_start, end, key=lambda e: e.start)
        return self.by_start[first:last]

    def _describe(self, builder: _Builder, span: Span, entity: Entity) -> None:
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

    def _describe_entity(self, builder: _Builder, entity: Entity) -> None:
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

    def _add_title_words(self, builder: _Builder, words: str, offset: int) -> None:
        """'a policy analyst at the Migration Policy Institute' -> title 'a policy analyst',
        affiliation 'Migration Policy Institute' (a named organization, or capitalized words
        after "at"/"of"/"with"/"for"/"from" when the entity stage missed them)."""
        end = offset + len(words)
        orgs = [e for e in self._starting_in(offset, end) if e.label == "ORG"]
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


def _has_title(builder: _Builder, head: str) -> bool:
    return any(head in title.lower().split() for title in builder.titles)
