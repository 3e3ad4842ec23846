"""One source per speaker in an article: the sources the resolver made, linked.

After every quote of an article is resolved, sources that name the same speaker are
merged: a surname, an honorific and surname or a possessive ("Trump", "Mr. Trump",
"Trump's") joins the full name ("Donald Trump") when exactly one full name of the article
fits; a short form of an organization ("The Times") joins the long one ("The New York
Times") in the same way; two sources of the same name are one. Before that, a source the
resolver typed organization or group whose name is a person's (an honorific, a first name,
the surname of a person the article names) becomes a person, and names lose honorifics
(kept as titles) and possessive endings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..record import Entity, Offsets, Source, SourceKind
from . import names


@dataclass
class Builder:
    """A source being put together while the quotes of one article are resolved."""

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
        if affiliation and affiliation not in self.affiliations and affiliation != self.name:
            self.affiliations.append(affiliation)

    def absorb(self, other: Builder) -> None:
        self.mentions.update(other.mentions)
        for title in other.titles:
            self.add_title(title)
        for affiliation in other.affiliations:
            self.add_affiliation(affiliation)

    def build(self, new_id: str) -> Source:
        return Source(
            id=new_id,
            name=self.name,
            kind=self.kind,
            description=self.description,
            titles=tuple(self.titles),
            affiliations=tuple(self.affiliations),
            mentions=tuple(Offsets(s, e) for s, e in sorted(self.mentions)),
        )


#: Words that name the same thing at the end of a name ("the Trump team", "the Trump campaign").
SYNONYMS = {"team": "campaign", "camp": "campaign"}
NOT_NAMES = frozenset(
    "everything every even only also but and so then now when while if as this that".split()
)
#: Verbs of headlines that the entity model takes into a name ("Hillary Clinton Goes").
HEADLINE_VERBS = frozenset(
    "says said tells told warns claims calls goes speaks slams rips hammers urges blasts "
    "wins leads questions accuses defends attacks praises responds explains vows sues "
    "backs endorses".split()
)
SAYS = frozenset("says said tells told warns claims calls".split())
#: Words that are titles, not names, when they open a person's name.
TITLES = names.HONORIFICS | frozenset(
    "president senator governor mayor secretary minister chairman chairwoman chair director "
    "leader spokesman spokeswoman spokesperson judge justice ambassador general commissioner "
    "superintendent sheriff prosecutor manager strategist pollster speaker vice deputy "
    "former acting chief executive ceo rev. rev father sister pastor bishop professor "
    "congressman congresswoman representative delegate attorney lawyer host anchor".split()
)
NAMED_KINDS = ("person", "organization", "group", "document")
#: A lone word of these names no one organization ("the House", "the committee").
GENERIC = frozenset(
    "house committee department party court council campaign administration office agency "
    "government senate congress police union group team board state states".split()
)


def link_sources(
    builders: Sequence[Builder], entities: Sequence[Entity]
) -> tuple[tuple[Source, ...], dict[str, str]]:
    """The article's sources, linked, and the new id of every old source id."""
    for builder in builders:
        _clean_name(builder)
    people = _full_person_names(builders, entities)
    places = {names.name_words(e.text) for e in entities if e.label == "LOC"}
    for builder in builders:
        builder.kind = _settled_kind(builder, places, people)
        if builder.kind == "person":
            _clean_name(builder)  # again: an honorific of a name typed organization is a title
            builder.name = _full_name(builder.name, people)
    target = {b.id: b for b in builders}
    by_id = {b.id: b for b in builders}
    for builder in builders:
        named_document = _named_document(builder, builders)
        if named_document is not None:
            target[builder.id] = named_document
    for builder in sorted(builders, key=lambda b: len(names.name_words(b.name))):
        into = _merge_target(builder, builders, people)
        if into is not None:
            target[builder.id] = into
    for builder in builders:
        final = _final(builder, target)
        if final is not builder:
            final.absorb(builder)
    kept = [b for b in builders if _final(b, target) is b]
    new_ids = {b.id: f"s{i + 1}" for i, b in enumerate(kept)}
    renamed = {old: new_ids[_final(by_id[old], target).id] for old in by_id}
    return tuple(b.build(new_ids[b.id]) for b in kept), renamed


def _settled_kind(builder: Builder, places: set[tuple[str, ...]], people: list[str]) -> SourceKind:
    """The kind the name says: a place that speaks is a government, a person's name is a
    person, two people named together are a group, "White House" is no person."""
    name = builder.name
    is_place = names.name_words(name) in places and not names.looks_like_person(name)
    if builder.kind in ("person", "group") and is_place:
        return "organization"  # "China said", "the U.S. warned" (not "Wallace")
    if builder.kind in ("organization", "group") and _is_a_person(name, people):
        return "person"
    if " and " in name and all(names.looks_like_person(p) for p in name.split(" and ")):
        return "group"  # "Mr. Grassley and Mr. Leahy"
    if builder.kind == "person" and _is_an_organization(name):
        return "organization"  # "White House" tagged a person
    return builder.kind


def _named_document(builder: Builder, builders: Sequence[Builder]) -> Builder | None:
    """ "A new poll" when the article names one poll ("the Reuters/Ipsos poll"): that one.
    News writing introduces a document generically and names it a sentence later."""
    if builder.kind != "document" or any(w[:1].isupper() for w in builder.name.split()):
        return None
    head = names.name_words(builder.name)[-1:]
    named = [
        b
        for b in builders
        if b.kind == "document"
        and names.name_words(b.name)[-1:] == head
        and any(w[:1].isupper() for w in b.name.split())
    ]
    return named[0] if len(named) == 1 else None


def _final(builder: Builder, target: dict[str, Builder]) -> Builder:
    seen = set()
    while target[builder.id] is not builder and builder.id not in seen:
        seen.add(builder.id)
        builder = target[builder.id]
    return builder


def _full_person_names(builders: Sequence[Builder], entities: Sequence[Entity]) -> list[str]:
    """Full names (two words or more) of the article's people, from its entities and
    sources, in the order the article first names them."""
    first: dict[str, int] = {}
    for entity in entities:
        if entity.label != "LOC" and entity.canonical.split()[0].lower() not in SAYS:
            first.setdefault(
                names.strip_possessive(entity.canonical), entity.start
            )  # not "Said Ellis"
    for builder in builders:
        if builder.kind == "person" and builder.mentions:
            start = min(s for s, _ in builder.mentions)
            first[builder.name] = min(first.get(builder.name, start), start)
    full = [n for n in first if len(names.name_words(n)) >= 2 and names.looks_like_person(n)]
    return sorted(full, key=lambda n: first[n])


def _full_name(name: str, people: list[str]) -> str:
    """The full name of the article a surname stands for ("Kall" -> "Aaron Kall"); of
    several ("Trump": Donald Trump, Ivanka Trump), the one the article names first, as
    news style names the main bearer first and the others by first name later."""
    words = names.name_words(name)
    if len(words) != 1:
        return name
    fits = [p for p in people if names.same_name(words, names.name_words(p))]
    if not fits:
        return name
    first = fits[0]
    fuller = [f for f in fits if names.same_name(names.name_words(first), names.name_words(f))]
    return max(fuller, key=lambda f: len(names.name_words(f)))


def _is_an_organization(name: str) -> bool:
    words = names.name_words(name)
    return (
        bool(words) and words[-1] in names.ORGANIZATION_ENDS and not names.looks_like_person(name)
    )


def _is_a_person(name: str, people: list[str]) -> bool:
    """An honorific, a first name, or the surname of a person the article names in full."""
    if " and " in name or not _is_named(name):
        return False
    if names.looks_like_person(name):
        return True
    words = names.name_words(name)
    return len(words) == 1 and any(names.name_words(p)[-1] == words[0] for p in people)


def _clean_name(builder: Builder) -> None:
    """No possessive ending ("Trump's"); a person's honorific is a title ("Mr.")."""
    name = names.strip_possessive(builder.name)
    first, _, rest = name.partition(" ")
    if rest and first.lower() in NOT_NAMES:  # "Everything Trump says is a lie"
        name = rest
    if builder.kind == "person":  # "Paul D. Ryan (R-Wis.)": the party and state are no name
        name = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    words = name.split()
    verb = next((i for i, w in enumerate(words) if i >= 1 and w.lower() in HEADLINE_VERBS), None)
    if verb is not None and builder.kind in ("person", "organization"):
        words = words[:verb]  # a headline's "Obama Says", "Hillary Clinton Goes After ..."
    last_title = max(
        (i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in TITLES), default=-1
    )
    named = words[last_title + 1 :]
    if builder.kind != "anonymous" and last_title >= 0 and names.looks_like_person(" ".join(named)):
        # "panel Chairman Rep. Jason Chaffetz": the words before the name are titles
        builder.add_title(" ".join(words[: last_title + 1]))
        builder.kind = "person"
        words = named
    elif builder.kind == "person" and last_title >= 0 and _is_named(" ".join(named)):
        builder.add_title(" ".join(words[: last_title + 1]))
        words = named
    name = " ".join(words)
    builder.name = name or builder.name


def _opens_named(name: str) -> bool:
    """ "Donald Trump's campaign": a name, then perhaps common words."""
    words = [w for w in name.split() if w.lower() not in names.LEADING_ARTICLES]
    return bool(words) and words[0][:1].isupper() and words[0].lower() not in names.GROUP_HEADS


def _is_named(name: str) -> bool:
    words = [w for w in name.split() if w.lower() not in names.LEADING_ARTICLES | {"of", "and"}]
    return bool(words) and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _merge_target(
    builder: Builder, builders: Sequence[Builder], people: list[str]
) -> Builder | None:
    """The one fuller source of the article this one names, or None (none, or ambiguous)."""
    if builder.kind not in NAMED_KINDS or not _opens_named(builder.name):
        return None
    words = tuple(SYNONYMS.get(w, w) for w in names.name_words(builder.name))
    if not words:
        return None
    fits = []
    for other in builders:
        if other is builder or other.kind != builder.kind or not _opens_named(other.name):
            continue
        theirs = tuple(SYNONYMS.get(w, w) for w in names.name_words(other.name))
        longer = len(theirs) > len(words)
        same = theirs == words and builders.index(other) < builders.index(builder)
        if (longer or same) and names.same_name(words, theirs):
            fits.append(other)
    if len(words) == 1 and words[0] in GENERIC:
        # "the House" is not "the White House", nor "the committee" any committee
        fits = [f for f in fits if names.name_words(f.name) == words]
    distinct = {names.name_words(f.name) for f in fits}
    if builder.kind == "person":  # people the article names but who are not quoted count
        distinct |= {n for n in map(names.name_words, people) if names.same_name(words, n)}
    longest = max(distinct, key=len, default=())
    if any(not names.same_name(d, longest) for d in distinct):
        return None  # "Clinton" beside "Hillary Clinton" and "Bill Clinton"
    return next((f for f in fits if names.name_words(f.name) == longest), None)
