"""The words of speaker mentions: lexicons of heads, titles and determiners, and the
noun-phrase helpers the sources stage uses to find a mention's head and its short name."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..quotes import text_of
from ..record import Entity
from . import names
from .linking import Builder

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


def split_affiliation(words: str) -> tuple[str, str]:
    """(title, organization) when what follows "at"/"of"/... is a name, else (words, "")."""
    parts = AFFILIATION_PREPOSITIONS.split(words, maxsplit=1)
    if len(parts) == 2:
        organization = LEADING_ARTICLES.sub("", parts[1]).strip(" ,")
        if organization and all(
            w[:1].isupper() or w in ("of", "for", "and", "&") for w in organization.split()
        ):
            return parts[0].strip(" ,"), organization
    return words, ""


def speaker_head(span: Span, offered: Token | None) -> Token:
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
    if root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") and not is_proper(root):
        # a parse that hung every word of "A new poll" on the verb
        nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN") and t.i < first_comma]
        root = nouns[-1] if nouns else root
    return root


def is_proper(token: Token) -> bool:
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


def after_by(doc: Doc, entity: Entity, root: Token) -> bool:
    """Whether the entity follows "by" or "from" after the document's head ("a report by
    Politico")."""
    between = text_of(doc)[root.idx : entity.start].lower().split()
    return bool(between) and between[-1] in ("by", "from", "of")


def short_phrase(span: Span, root: Token) -> Span:
    """The speaker's noun phrase without what follows its head as a clause, an
    apposition or a comma, and without words before the phrase ("meddling the California
    congressman" -> "the California congressman")."""
    doc = span.doc
    start = max(span.start, root.left_edge.i)
    while start < root.i and doc[start].pos_ == "ADP":  # "for Mills", "of conservatives"
        start += 1
    end = core_phrase(span, root).end
    for child in root.rights:
        if child.dep_ in ("relcl", "acl", "appos", "advcl", "punct") and child.i < end:
            end = max(root.i + 1, min(end, child.left_edge.i))
    relative = next((t.i for t in doc[root.i + 1 : end] if t.lower_ in RELATIVE_PRONOUNS), end)
    end = min(end, relative)  # "advisers who have run the numbers", whatever the parse
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].lower_ in CLAUSE_WORDS):
        end -= 1
    return doc[start:end] if end > start else span


def core_phrase(span: Span, root: Token) -> Span:
    """The noun phrase without what a comma sets off after its head ("A senior official,
    who spoke on condition of anonymity," -> "A senior official")."""
    doc = span.doc
    end = next((t.i for t in doc[root.i : span.end] if t.text in (",", "(", "—")), span.end)
    return doc[span.start : end] if end > span.start else span


def looks_like_a_name(text: str) -> bool:
    """Two to four capitalized words and nothing else ("Esther Tapia"), when the entity
    stage missed the name."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w[1:2].islower() for w in words)


def is_title(words: str) -> bool:
    """ "Mexican President", "Sen.", "Trump lawyer": words before a name that end with a
    title or role (not a first name the entity stage left out, nor a possessive)."""
    split = words.split()
    if not split:
        return False
    last = split[-1].lower()
    return last.rstrip(".") in TITLE_WORDS or last in TITLE_WORDS


def label(span: Span) -> str:
    return LEADING_ARTICLES.sub("", span.text).strip()


def has_title(builder: Builder, head: str) -> bool:
    return any(head in title.lower().split() for title in builder.titles)
