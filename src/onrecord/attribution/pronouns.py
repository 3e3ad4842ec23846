"""Pronouns of speaker mentions: "he" and "she" to the person they refer to, "they" to a
group, "it" to an organization or document, "I" to the article's author."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..quotes import text_of
from ..record import Entity
from . import names
from .base import ResolverBase
from .linking import Builder
from .phrases import DEFINITE, INDEFINITE, RELATIVE_PRONOUNS, label, short_phrase

PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers"])
THING_PRONOUNS = frozenset(["it", "its"])
#: Verbs of saying that may come before their subject ("said Smith", "noted Chinni").
INVERTED_CUES = frozenset("say note write add explain argue claim recall report warn".split())
#: Pronouns for several people ("not everyone", "others"): a group.
GROUP_WORDS = frozenset("everyone everybody nobody others many some all both most few".split())
#: How far back (characters) a "she" looks for a person known to be a woman before it
#: settles for the nearest person of unknown gender.
ANTECEDENT_WINDOW = 600
#: How far back (characters) a definite description looks for the person it describes.
DESCRIPTION_WINDOW = 400
FIRST_PERSON = frozenset(["i", "me"])
GROUP_PRONOUNS = frozenset(["they", "them", "we", "us", "their"])


class PronounResolver(ResolverBase):
    """Resolves pronouns; the kinds of noun phrases are the subclass's."""

    def _relative(self, pronoun: Token) -> Builder | None:
        raise NotImplementedError  # the resolver of kinds knows the noun phrase's kinds

    def _pronoun(self, root: Token, span: Span) -> Builder | None:
        word = root.lower_
        if len(span) == 1 and word in RELATIVE_PRONOUNS:
            return self._relative(root)
        if span[0].lower_ == "whose":  # "the Caucus, whose members said": the Caucus
            return self._relative(span[0])
        if len(span) == 1 and word in THING_PRONOUNS:
            return self._latest(("organization", "document"))
        if word in GROUP_WORDS and root.pos_ in ("PRON", "DET", "ADJ", "NOUN"):
            return self._keyed("group", label(short_phrase(span, root)), span)
        if len(span) > 1 or word not in PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON:
            return None
        self.no_source = True  # a pronoun nobody fits is no source, not a source "he"
        if word in FIRST_PERSON:  # outside quotation marks, "I" is the article's writer
            key = ("person", "the author")
            return self.by_key.get(key) or self._new("person", "the author", None, key)
        if word in PERSON_PRONOUNS:
            gender = "f" if word in ("she", "her", "hers") else "m"
            return self._antecedent(span.start_char, gender)
        if word in ("we", "us"):  # outside quotation marks, the writers (or the paper)
            key = ("group", "the authors")
            return self.by_key.get(key) or self._new("group", "the authors", None, key)
        return self._latest(("group", "organization"))  # none: no source named "they"

    def _described(self, before: int, gender: str) -> Builder | None:
        """The person a definite description refers to ("the 34-year-old mother of three",
        "Obama's former campaign strategist") when no one holds that title: the latest
        person quoted or named as a subject within a few sentences before it."""
        builder = self._antecedent(before, gender, subjects_only=True)
        if builder is None or not self.spoken and not self.entities:
            return None
        latest = max(
            [s for s, b in self.spoken if b is builder and s < before]
            + [e.start for e in self.entities if e.end <= before and e.label == "PERSON"],
            default=-1,
        )
        return builder if latest >= before - DESCRIPTION_WINDOW else None

    def _antecedent(self, before: int, gender: str, subjects_only: bool = False) -> Builder | None:
        """The person a "he" or "she" refers to: the latest person quoted, or named as the
        subject of a clause, outside quotation marks before it whose gender does not
        contradict; failing that, the latest person named at all; else no source."""
        mentions: list[tuple[int, Entity | Builder]] = [
            (start, b)
            for start, b in self.spoken
            if b.kind == "person" and b.name != "the author" and start < before
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
        fits = ("", gender) if gender else ("", "m", "f")
        passes: list[tuple[list[tuple[int, Entity | Builder]], tuple[str, ...]]] = [
            (subjects, fits),
            (everyone, fits),
        ]
        if gender == "f":  # "he" is the default; a "she" first looks for a known woman
            passes.insert(0, (subjects, (gender,)))
        if subjects_only:
            passes = passes[:-1]
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
        if head.dep_ in ("obj", "dobj") and head.head.lemma_.lower() in INVERTED_CUES:
            return True  # "..., noted NBC's Dante Chinni": the speaker after its verb
        if head.dep_ == "ROOT" and head.pos_ == "PROPN":  # a name the parse made the root
            return any(t.pos_ == "VERB" for t in head.sent) and len(head.sent) > 6
        return head.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")

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
