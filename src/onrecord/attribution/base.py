"""What the sources stage keeps while it resolves one article's speaker mentions: its
sources so far, how to make and find them, and the titles and affiliations it reads
around a person's names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from ..intervals import Intervals
from ..quotes import find_marked, text_of
from ..record import Entity, SourceKind
from . import names
from .linking import Builder
from .phrases import (
    AFFILIATION_PREPOSITIONS,
    DEFINITE,
    INDEFINITE,
    LEADING_ARTICLES,
    NAME_CONTINUATION,
    is_title,
    split_affiliation,
)


class ResolverBase:
    """The sources of one article so far, keyed by kind and name, and the latest offset
    each was mentioned at."""

    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.entities = entities
        self.builders: list[Builder] = []
        self.by_key: dict[tuple[str, str], Builder] = {}
        self.last_used: dict[str, int] = {}  # builder id -> char offset of its latest mention
        self.quoted = Intervals((p[0], p[1]) for m in find_marked(text_of(doc)) for p in m.parts)
        self.no_source = False  # set when a mention is a thing: no source for it
        #: every speaker mention resolved so far (offset, source), for pronouns
        self.spoken: list[tuple[int, Builder]] = []

    def _quoted(self, offset: int) -> bool:
        return self.quoted.any_containing(offset)

    def _latest(self, kinds: tuple[SourceKind, ...]) -> Builder | None:
        """The source of these kinds mentioned last (not a person's name typed
        organization, which the linking will make a person)."""
        candidates = [
            b
            for b in self.builders
            if b.kind in kinds and b.id in self.last_used and not names.looks_like_person(b.name)
        ]
        return max(candidates, key=lambda b: self.last_used[b.id]) if candidates else None

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

    def _person_from_entity(self, entity: Entity) -> Builder:
        entity = self._without_trailing_verbs(entity)
        key = ("person", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("person", entity.canonical, None, key)
            for other in self.entities:
                if other.label == "PERSON" and other.canonical == entity.canonical:
                    builder.add_mention(other.start, other.end)
                    self._describe_entity(builder, other)
        return builder

    def _organization_from_entity(self, entity: Entity) -> Builder:
        key = ("organization", entity.canonical.lower())
        builder = self.by_key.get(key)
        if builder is None:
            builder = self._new("organization", entity.canonical, None, key)
            for other in self.entities:
                if other.label == "ORG" and other.canonical == entity.canonical:
                    builder.add_mention(other.start, other.end)
        return builder

    def _describe(self, builder: Builder, span: Span, entity: Entity) -> None:
        """Titles and affiliations from the words around the name in this mention."""
        text = text_of(self.doc)
        raw_before = text[span.start_char : entity.start]
        before = LEADING_ARTICLES.sub("", raw_before.strip(" ,"))
        # only whole words apart from the name ("Mexican President", not "-moon" of a
        # name the entity stage cut at its hyphen)
        if before and raw_before[-1:].isspace() and is_title(before):
            self._add_title_words(builder, before, span.start_char)
        raw_after = text[entity.end : span.end_char]
        rest_of_name = NAME_CONTINUATION.match(raw_after)  # "-moon" of "Ban Ki-moon"
        skip = rest_of_name.end() if rest_of_name else 0
        after = raw_after[skip:].strip(" ,").split(",")[0].strip()
        start = entity.end + skip + raw_after[skip:].index(after) if after else 0
        if after and raw_after[skip : skip + 1] == "," and self._opens_noun_phrase(start):
            self._add_title_words(builder, after, start)

    def _without_trailing_verbs(self, entity: Entity) -> Entity:
        """A headline's "Hillary Clinton Goes After ..." tagged as one name: the name
        without the verbs the tagger saw at its end."""
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None or len(span) < 3 or entity.canonical != entity.text:
            return entity
        end = span.end
        while end - span.start > 2 and self.doc[end - 1].pos_ in ("VERB", "AUX", "ADP"):
            end -= 1
        if end == span.end:
            return entity
        text = self.doc[span.start : end].text
        return replace(entity, text=text, end=span.start_char + len(text), canonical=text)

    def _opens_noun_phrase(self, offset: int) -> bool:
        """Whether the words at this offset open a noun phrase (an apposition: "a policy
        analyst"), not a clause or a prepositional phrase ("at a later press gaggle",
        "like Obama", "who has served ...")."""
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        if span is None or not len(span):
            return False
        return span[0].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") and span[0].lower_ not in (
            "who",
            "which",
            "that",
        )

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
        if left < span.start and is_title(self.doc[left : span.start].text):
            words = self.doc[left : span.start]
            self._add_title_words(builder, words.text, words.start_char)
        for child in root.rights:
            first = child.left_edge.i
            if (
                child.dep_ == "appos"
                and first > 0
                and self.doc[first - 1].text == ","
                and self._opens_noun_phrase(self.doc[first].idx)
            ):
                phrase = self.doc[first : child.right_edge.i + 1]
                self._add_title_words(builder, phrase.text.strip(" ,"), phrase.start_char)

    def _add_title_words(self, builder: Builder, words: str, offset: int) -> None:
        """'a policy analyst at the Migration Policy Institute' -> title 'a policy analyst',
        affiliation 'Migration Policy Institute' (a named organization, or capitalized words
        after "at"/"of"/"with"/"for"/"from" when the entity stage missed them)."""
        end = offset + len(words)
        orgs = [e for e in self.entities if e.label == "ORG" and offset <= e.start < end]
        if not orgs:
            title, organization = split_affiliation(words)
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
