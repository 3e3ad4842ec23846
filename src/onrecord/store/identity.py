"""One identity per source across the corpus: when two mentions are the same source.

The rule (documented in docs/store.md):

* Anonymous sources, documents (a poll, an ad, a report) and role-only sources (a name
  without a capital: "the president", "voters") are never merged: each is its own identity
  in its article. (Within an article the sources stage has already joined a surname or a
  role to the full name it stands for.)
* Organizations and groups merge when their normalized names (lower case, no accents,
  no punctuation, no leading "the") are equal to the name or an alias of a known one.
* People merge when their names are compatible AND nothing contradicts AND something
  agrees:
  - compatible names: the same surname (last name token), and the shorter name's tokens
    are all in the longer one ("Ruiz Soto" ~ "Ariel G. Ruiz Soto"); initials must match
    a first letter ("J. Smith" ~ "John Smith", not "Jane Smith"); honorifics ("Mr.",
    "Dr.") and suffixes ("Jr.") are ignored;
  - a contradiction: both sides know affiliations and none agree, or both know titles
    and none agree while no affiliation agrees (titles do not contradict two identical
    full names: one person is "the Democratic nominee" in one article and "former
    secretary of state" in the next);
  - an agreement: a title or an affiliation agrees (one contains the other's words,
    "Migration Policy Institute" ~ "the Migration Policy Institute"), or, when neither
    side knows anything else, the full names (two tokens or more) are identical.
  A surname alone ("Smith") never merges without an agreeing title or affiliation.
* Among several candidates the one with the most agreement wins; ties go to the oldest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame rev fr sen rep gov gen col lt sgt capt".split()
)
SUFFIXES = frozenset("jr sr ii iii iv phd md".split())
ATTRIBUTE_STOPWORDS = frozenset("the a an of for at in and".split())
KIND_PREFIX = {
    "person": "p",
    "organization": "o",
    "group": "g",
    "anonymous": "a",
    "document": "d",
}
#: Kinds whose sources are never merged across articles.
UNMERGED_KINDS = frozenset(["anonymous", "document"])
LEADING_WORDS = frozenset(["the", "a", "an"])


@dataclass(frozen=True)
class Identity:
    """What the store knows about one source: its names and what describes it."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    id: str = field(default="")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by single spaces, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.lower()).split())


def name_tokens(name: str) -> list[str]:
    """Name words without honorifics or suffixes; initials kept as one letter."""
    tokens = normalize(name).split()
    return [t for t in tokens if t not in HONORIFICS and t not in SUFFIXES]


def match_key(kind: str, name: str) -> str:
    """The key under which candidates are looked up: the surname for a person."""
    if kind == "person":
        tokens = [t for t in name_tokens(name) if len(t) > 1]
        return tokens[-1] if tokens else normalize(name)
    return organization_key(name)


def organization_key(name: str) -> str:
    tokens = normalize(name).split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def names_compatible(first: str, second: str) -> bool:
    """Could these two names be the same person? ("Ruiz Soto" and "Ariel G. Ruiz Soto")"""
    a, b = name_tokens(first), name_tokens(second)
    a_words = [t for t in a if len(t) > 1]
    b_words = [t for t in b if len(t) > 1]
    if not a_words or not b_words or a_words[-1] != b_words[-1]:
        return False
    short, long = (a, b) if len(a_words) <= len(b_words) else (b, a)
    short_words = {t for t in short if len(t) > 1}
    long_words = {t for t in long if len(t) > 1}
    if not short_words <= long_words:
        return False
    short_initials = {t for t in short if len(t) == 1}
    if short_words == long_words:  # "Ariel G. Ruiz Soto" ~ "Ariel Ruiz Soto", not "Ariel B. ..."
        long_initials = {t for t in long if len(t) == 1}
        return not (short_initials and long_initials) or bool(short_initials & long_initials)
    # an initial stands for a word the shorter name lacks: "J. Smith" ~ "John Smith"
    return short_initials <= {t[0] for t in long}


def _attribute_words(value: str) -> frozenset[str]:
    return frozenset(t for t in normalize(value).split() if t not in ATTRIBUTE_STOPWORDS)


def attributes_agree(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """True when one of ours and one of theirs name the same thing (word containment)."""
    our_sets = [w for w in map(_attribute_words, ours) if w]
    their_sets = [w for w in map(_attribute_words, theirs) if w]
    return any(a <= b or b <= a for a in our_sets for b in their_sets)


def is_role_only(name: str) -> bool:
    """A name without a capitalized word ("the president", "voters"): a role or a
    description, which different articles use for different people."""
    words = [w for w in name.split() if w.lower() not in LEADING_WORDS]
    return not any(w[:1].isupper() for w in words)


def never_merged(identity: Identity) -> bool:
    """Anonymous sources, documents and role-only sources stay in their article."""
    return identity.kind in UNMERGED_KINDS or is_role_only(identity.name)


def match_score(incoming: Identity, known: Identity) -> int:
    """How strongly ``incoming`` is ``known`` (0: not the same source)."""
    if incoming.kind != known.kind or never_merged(incoming) or never_merged(known):
        return 0
    if incoming.kind != "person":
        keys = {organization_key(n) for n in known.names}
        return 1 if organization_key(incoming.name) in keys else 0
    if not any(names_compatible(incoming.name, n) for n in known.names):
        return 0
    affiliation_agrees = attributes_agree(incoming.affiliations, known.affiliations)
    title_agrees = attributes_agree(incoming.titles, known.titles)
    if incoming.affiliations and known.affiliations and not affiliation_agrees:
        return 0
    same_full_name = _same_full_name(incoming, known)
    titles_differ = incoming.titles and known.titles and not (title_agrees or affiliation_agrees)
    if titles_differ and not same_full_name:
        return 0
    if affiliation_agrees or title_agrees:
        return 2 + int(affiliation_agrees) + int(title_agrees) + same_full_name
    return 1 if same_full_name else 0


def _same_full_name(incoming: Identity, known: Identity) -> int:
    words = [t for t in name_tokens(incoming.name) if len(t) > 1]
    if len(words) < 2:
        return 0
    return int(any([t for t in name_tokens(n) if len(t) > 1] == words for n in known.names))


def best_match(incoming: Identity, candidates: Sequence[Identity]) -> Identity | None:
    """The candidate ``incoming`` merges into, or None; candidates oldest first."""
    best: Identity | None = None
    best_score = 0
    for candidate in candidates:
        score = match_score(incoming, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


def fuller_name(current: str, other: str) -> str:
    """The name to show: the one with more name words (the first on a tie)."""
    return other if len(name_tokens(other)) > len(name_tokens(current)) else current


def new_source_id(identity: Identity, *, article_id: str, local_id: str) -> str:
    """A global id derived from what identifies the source, so reruns give the same ids.

    Sources that are never merged are scoped to their article. Callers add a suffix on
    collision.
    """
    prefix = KIND_PREFIX.get(identity.kind, "s")
    if never_merged(identity):
        basis = f"{article_id}/{local_id}"
    elif identity.kind == "person":
        described = (identity.affiliations or identity.titles or ("",))[0]
        basis = f"{' '.join(name_tokens(identity.name))}/{normalize(described)}"
    else:
        basis = organization_key(identity.name)
    digest = hashlib.sha256(f"{identity.kind}/{basis}".encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"
