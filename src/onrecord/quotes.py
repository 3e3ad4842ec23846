"""Quotes: direct, indirect and mixed quotations with their cues and speaker mentions.

Passes over the parsed Doc (docs/quotes.md has the method and the measurements):

1. direct: quotation marks are paired by onrecord.quotemarks (double, single, guillemets,
   nesting, quotes over paragraphs, apostrophes). Each run of quotation is tied to a cue
   in the clause right after its closing mark ("..., the official said."; "― Esther
   Tapia") or right before its opening mark ("He said:"). A quote split by its cue ("A,"
   she said. "B.") is one quote in two parts.
2. transcripts: "PENCE: ..." paragraphs.
3. indirect: every word of the cue lexicon learned on PolNeAR train (onrecord.cues) with a
   reported content found in the parse (a clausal complement, the clause a "..., he
   added" parenthetical hangs on, an object...), plus "according to X". A content that
   holds quotation marks is "mixed".
4. learned: where the pipeline has the attribution span model (onrecord.attributions),
   its attributions replace the indirect quotes of pass 3 that they overlap, and the
   model's contents and sources refine the rules' quotes it agrees with.
5. floating: a run of quotation with no cue of its own right after an attributed quote
   keeps that quote's speaker; any other run left is a scare quote (kind "scare": a word
   or short phrase inside a sentence) or a quote with no speaker.

Spans follow PolNeAR: the cue is the verb with its auxiliaries and adverbs ("has said",
"also said", "told"), the content of reported speech keeps its "that" and drops the final
punctuation, the speaker is the whole noun phrase of the subject, appositives included.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from . import attributions as learned
from .cues import CANDIDATE_COUNTS, CLAUSE_CUE_COUNTS, CUE_COUNTS
from .intervals import Intervals
from .quotemarks import Marked, find_marked

TEXT_KEY = "onrecord.quotes.text"
OPENING = "“„«"
CLOSING = "”»"
STRAIGHT = '"'
#: Marks that open and close alike: the straight double quote and the two apostrophes
#: some newspapers print instead of it ('' ... '').
STRAIGHT_MARKS = frozenset([STRAIGHT, "''", "``"])
OPENING_MARKS = frozenset(OPENING) | STRAIGHT_MARKS
CLOSING_MARKS = frozenset(CLOSING) | STRAIGHT_MARKS
MARK_TOKENS = OPENING_MARKS | CLOSING_MARKS
#: "WASHINGTON (Example Wire) — ", "AUSTIN, Texas — ": the dateline opening an article.
DATELINE = re.compile(
    r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][A-Za-z.]+)*(?: \([^)\n]*\))? ?[—–-]{1,2} ?"
)

#: A word is a cue when annotators marked it as one at least this often per occurrence
#: (thresholds chosen on PolNeAR dev, docs/quotes.md).
MIN_CUE_RATE = 0.25
MIN_CUE_COUNT = 3
CUE_WORDS = frozenset(
    word
    for word, (heads, total) in CUE_COUNTS.items()
    if heads >= MIN_CUE_COUNT and heads / total >= MIN_CUE_RATE
)
#: Opinion and belief verbs ("think", "believe", "want") are cues this often when a clause
#: follows them, though rarely overall.
MIN_CLAUSE_CUE_RATE = 0.3
CLAUSE_CUE_WORDS = frozenset(
    word
    for word, (heads, total) in CLAUSE_CUE_COUNTS.items()
    if heads >= MIN_CUE_COUNT and heads / total >= MIN_CLAUSE_CUE_RATE
)
#: Words whose indirect quotes the rules found on train were mostly not annotated: the
#: smoothed share (right + 1) / (found + 2) under this, over at least MIN_CANDIDATES.
MIN_CANDIDATE_PRECISION = 0.3
MIN_CANDIDATES = 4
FILTERED_WORDS = frozenset(
    word
    for word, (right, found) in CANDIDATE_COUNTS.items()
    if found >= MIN_CANDIDATES and (right + 1) / (found + 2) < MIN_CANDIDATE_PRECISION
)
#: Words annotated as cues this often are cues whatever their part-of-speech tag.
SURE_CUE_RATE = 0.6
SURE_CUE_WORDS = frozenset(
    word for word in CUE_WORDS if CUE_COUNTS[word][0] / CUE_COUNTS[word][1] >= SURE_CUE_RATE
)
VERBISH = ("VERB", "NOUN", "PROPN", "AUX", "ADJ")
#: Verbs of saying that introduce direct quotations next to quotation marks, whatever
#: their rate in the lexicon.
SPEECH_WORDS = frozenset(
    f"{stem}{ending}"
    for stem in "say tell add write ask note explain state warn argue claim insist continue "
    "reply respond tweet declare announce recall acknowledge admit conclude suggest".split()
    for ending in ("", "s", "ed", "d", "ing")
) | frozenset("said told wrote saying telling writing".split())

SUBJECT_DEPS = ("nsubj", "nsubjpass", "nsubj:pass")
CLAUSE_DEPS = ("ccomp",)
OBJECT_DEPS = ("obj", "dobj")
TOPIC_PREPOSITIONS = frozenset(["about", "for", "to", "on", "of"])
#: "spoke on Sunday" is not about Sunday.
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "morning afternoon evening night week weekend month year january february march april "
    "may june july august september october november december".split()
)
#: Objects of "told", "assured", "reminded" that are the audience, not what was said.
ADDRESSEE_NOUNS = frozenset(
    "reporters journalists supporters audience crowd viewers voters people members "
    "listeners readers interviewer lawmakers congress colleagues students investigators "
    "officials attendees delegates donors americans".split()
)
#: Words that link a second clause to a reported one (", though she noted ...").
CLAUSE_LINKS = frozenset("and but though although while as whereas".split())
MAX_LINKED_SUBJECT = 4
#: Words that open a reported question ("did not say when ...", "asked whether ...").
QUESTION_WORDS = frozenset("that whether when how why what who where which".split())
#: Heads of the phrase in a sentence-opening "In a CBS News poll, ..." that reports the rest.
EVIDENCE_NOUNS = frozenset("poll polls survey surveys study analysis report".split())
CUE_PREFIX_DEPS = ("aux", "aux:pass", "auxpass", "advmod", "neg", "cop")
CUE_PREFIX_POS = ("AUX", "PART", "ADV")
#: Prepositions that join a cue verb when its content follows them ("called for").
CUE_PREPOSITIONS = frozenset(["about", "for", "on", "to", "as"])
#: Verbs of saying whose following preposition starts a time or place ("said on Monday").
SAY_WORDS = frozenset(["say", "says", "said", "saying", "tell", "tells", "told", "telling"])
NOT_SPEAKERS = frozenset(["there", "what"])
NOT_SPEAKER_POS = frozenset(["PUNCT", "ADV", "ADP", "SCONJ", "CCONJ", "VERB", "AUX", "PART"])
TITLE_NOUNS = frozenset(
    "host anchor president senator governor mayor spokesman spokeswoman spokesperson "
    "director chairman chairwoman secretary minister leader lawyer attorney analyst "
    "economist professor adviser advisor aide manager strategist pollster chief "
    "executive founder candidate nominee representative congressman congresswoman "
    "judge general ambassador commissioner columnist correspondent reporter".split()
)
TITLE_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. sen. rep. gov. del. gen. lt. col. sgt. prof. rev. sens. reps.".split()
)
#: Words that a subject's subtree may start with but a speaker's span does not.
LEADING_NON_SPEAKER_DEPS = ("case", "mark", "cc", "fixed", "punct")
MAX_APPOSITIVE_TOKENS = 25
LEADING_ADVERBS = frozenset("even however meanwhile also still but and so yet then".split())
RELATIVE_PRONOUNS = frozenset(["who", "which", "that"])
RELATIVES = frozenset(["who", "which", "whose", "whom"])
#: Longest gap, in tokens, between a closing mark and its cue ("..., the senior official
#: from the ministry said"), and between a cue and an opening mark.
MAX_TRAILING_TOKENS = 14
MAX_LEADING_GAP = 8
#: How far back a verb of saying in the lead-in of a mid-sentence quotation may be.
MAX_LEAD_IN_GAP = 30
SIGNATURE_DASHES = frozenset(["―", "—", "–", "-", "--"])
MAX_SIGNATURE_TOKENS = 8
#: A run of quotation shorter than this, with no cue, is a scare quote or a title.
MIN_FLOATING_WORDS = 4
#: Rules whose content comes before the cue ("X, the source added").
BEFORE_CUE_RULES = ("parataxis", "parenthetical", "clause-before", "interjected")
MAX_THAT_DISTANCE = 12
ASPECTUAL_WORDS = frozenset("continue continues continued continuing".split())
RAISING_WORDS = frozenset("seem seems seemed appear appears appeared".split())
PASSIVE_RAISING = frozenset("expected projected predicted forecast believed thought".split())
#: Limits of a parenthetical cue ("CONTENT, the senior official from X said on Monday.").
MAX_AFTER_PARENTHETICAL = 8
MAX_SUBJECT_TOKENS = 10
MIN_CONTENT_TOKENS = 3
#: Reported content to the right of its cue runs to the end of the sentence (PolNeAR
#: includes trailing adverbials: "said X, even though Y"); measured on dev.
EXTEND_TO_SENTENCE_END = True
EXTENDED_RULES = ("clause-after", "object", "topic", "that-after")


@dataclass(frozen=True)
class FoundQuote:
    """A quotation found in the text, before its speaker is resolved to a source.

    Offsets are characters in ``doc.text``; ``parts`` are the content's pieces (one for a
    continuous quote); ``speaker_root`` is the token index of the speaker's head word.
    ``follows`` is the index of the quote whose speaker a floating quote keeps.
    """

    kind: str
    parts: tuple[tuple[int, int], ...]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_root: int | None = None
    follows: int | None = None
    rule: str = ""  # which rule found it (for error analysis)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def find_quotes(doc: Doc) -> list[FoundQuote]:
    marked = sorted(find_marked(text_of(doc)), key=lambda m: m.open_at)  # for _opened_in
    found = _direct_quotes(doc, marked)
    found += _transcript_turns(doc, marked, found)
    used_cues = {q.cue for q in found if q.cue}
    ruled = _indirect_quotes(doc, marked, used_cues, found)
    model = learned.read_model_spans(doc)  # None for a pipeline without the span model
    if model is None:
        found += ruled
    else:
        found += _with_learned(doc, marked, found, ruled, model)
        found = _refined_by_model(doc, found, model)
    found += _floating_quotes(doc, marked, found)
    found = _without_duplicates(found)
    found.sort(key=lambda q: q.start)
    return _relink_floating(found)


def text_of(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins the tokens anew on every access, which made
    the stage quadratic on long, quote-heavy articles."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):  # a Doc's text never changes, so the copy stays right
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


# --- cues and speakers ---------------------------------------------------------------------


def is_cue(token: Token) -> bool:
    """A cue verb from the lexicon; a word that is nearly always a cue ("says") counts even
    when the tagger calls it something else (headlines, "says" tagged as a plural noun)."""
    if token.lower_ in FILTERED_WORDS:
        return False
    if token.lower_ not in CUE_WORDS:
        return token.lower_ in CLAUSE_CUE_WORDS and token.pos_ == "VERB" and _has_clause(token)
    if token.dep_ in ("acl", "amod") and token.tag_ == "VBN" and _right_after_head(token):
        return False  # "a group called X", "the bill, known as X"
    if token.i > 1 and token.nbor(-1).text in ("-", "‐") and token.nbor(-2).lower_ == "so":
        return False  # "so-called"
    if token.pos_ == "VERB":
        return True
    # "A new poll shows that ...": a cue word right before "that" is a verb, whatever its tag
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    before_that = following is not None and following.lower_ == "that"
    return token.pos_ in VERBISH and (token.lower_ in SURE_CUE_WORDS or before_that)


def _right_after_head(token: Token) -> bool:
    between = token.doc[token.head.i + 1 : token.i]
    return token.head.i < token.i and all(t.is_punct for t in between)


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ in CLAUSE_DEPS and c.i > verb.i for c in verb.children)


def cue_word(doc: Doc, quote: FoundQuote) -> str | None:
    """The word a quote's cue turns on ("said" in "has also said"), lowercased."""
    if quote.cue is None:
        return None
    span = doc.char_span(*quote.cue, alignment_mode="expand")
    if span is None or not len(span):
        return None
    word = next((t for t in span if is_speech(t)), span.root)
    return word.lower_


def is_speech_verb(token: Token) -> bool:
    """A verb of saying: from the fixed list, or a word nearly always annotated as a cue."""
    return token.lower_ in SPEECH_WORDS or token.lower_ in SURE_CUE_WORDS


def is_speech(token: Token) -> bool:
    """A cue next to quotation marks: the lexicon, or a verb of saying -- whatever its tag
    when its form can only be a verb ("asking", "said"; not "tweet", "states")."""
    if is_cue(token):
        return True
    if token.lower_ not in SPEECH_WORDS or token.lower_ in FILTERED_WORDS:
        return False
    word = token.lower_
    only_verb = word.endswith(("ing", "ed")) or word in ("said", "told", "wrote")
    return token.pos_ == "VERB" or token.pos_ in VERBISH and only_verb


def cue_span(token: Token) -> tuple[int, int]:
    """The cue verb with the auxiliaries and adverbs right before it ("has also said")."""
    doc = token.doc
    if _glued_dash(token):  # the dash of "”―", without the mark
        return token.idx + 1, token.idx + len(token)
    start = token.i
    left = {
        child.i
        for child in token.lefts
        if child.dep_ in CUE_PREFIX_DEPS and child.pos_ in CUE_PREFIX_POS
    }
    while start - 1 in left:
        start -= 1
    end = token.i + 1
    for child in token.rights:
        if child.i == end and child.dep_ in ("compound:prt", "prt"):
            end += 1
    # 'said:' -- PolNeAR keeps the colon; 'called for', 'was endorsed by'
    if end < len(doc) and (doc[end].text == ":" or _joins_cue(token, doc[end])):
        end += 1
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _joins_cue(verb: Token, word: Token) -> bool:
    """A preposition that belongs to the cue: "called on", "described as", "pointed to",
    and the agent's "by" of a passive cue ("was endorsed by")."""
    if word.pos_ != "ADP" or word.head.i <= word.i:
        return False
    if word.lower_ == "by":
        return any(c.dep_ in ("aux:pass", "auxpass") for c in verb.children)
    return word.lower_ in CUE_PREPOSITIONS and verb.lower_ not in SAY_WORDS


def speaker_of(verb: Token) -> Token | None:
    """The head word of the verb's speaker: its subject, the subject it shares ("he said X
    and added Y", "she denied it, saying Y") or the noun its relative clause hangs on."""
    if any(c.dep_ in ("aux:pass", "auxpass") for c in verb.children):
        # "it was labeled 'Mostly True' by PolitiFact": the agent speaks, not the subject
        agent = next((c for c in verb.children if c.dep_ in ("obl:agent", "agent")), None)
        if agent is not None and agent.dep_ == "agent":
            agent = next((c for c in agent.children if c.dep_ == "pobj"), None)
        return agent
    shares = verb.dep_ in ("conj", "xcomp") or verb.dep_ == "advcl" and verb.tag_ == "VBG"
    for token in (verb, verb.head if shares else None):
        if token is None:
            continue
        for child in token.children:
            if (
                child.dep_ in SUBJECT_DEPS
                and not child.is_space
                and child.pos_ not in NOT_SPEAKER_POS
                and child.lower_ not in NOT_SPEAKERS
                and not (child.lower_ == "it" and child.dep_ != "nsubj")
            ):
                if child.lower_ in RELATIVE_PRONOUNS:
                    break
                return child
    if verb.dep_ in ("acl:relcl", "relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


def phrase_span(
    head: Token, limit: tuple[int, int] | None = None, cue: int | None = None
) -> tuple[int, int]:
    """Characters of the head's noun phrase without punctuation at its ends, clipped to
    ``limit`` (tokens) and to the side of the cue (token ``cue``) the head is on. Names the
    parse cut short grow back ("Mr." before "Obama", "Donald Tusk" after "President",
    "(R-S.C.)" after a senator), and so does an appositive or relative clause set off by
    commas ("Rep. Meeks (D-N.Y.), chairman of the caucus, said"), as PolNeAR spans them."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:  # "The Times on Saturday wrote": the date is not the speaker
        if _is_time(child):
            end = min(end, child.left_edge.i)
    if cue is not None:
        start, end = (start, min(end, cue)) if head.i < cue else (max(start, cue + 1), end)
    if limit:
        start, end = max(start, limit[0]), min(end, limit[1])
    commas = [i for i in range(start, head.i) if doc[i].text == ","]
    if commas:
        # "In a statement, Husted said", "However, the lawyer said": what comes before the
        # comma is not the speaker (a name before an appositive head comes back below)
        start = commas[-1] + 1
    while start < head.i and doc[start].lower_ in LEADING_ADVERBS:
        start += 1
    if doc[start].pos_ in ("ADP", "SCONJ") and head.pos_ == "PROPN" and start < head.i:
        # "In a Bloomberg interview Trump declared": the name alone
        name = head.i
        while name > start + 1 and _name_word(doc[name - 1]):
            name -= 1
        start = name
    while start < end and (
        doc[start].is_space or doc[start].dep_ in LEADING_NON_SPEAKER_DEPS and start < head.i
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in RELATIVES
    ):
        if doc[end - 1].text == ")" and "(" in doc[start : end - 1].text:
            break
        end -= 1
    if end <= start:
        return head.idx, head.idx + len(head)
    low = limit[0] if limit else 0
    high = min(
        limit[1] if limit else len(doc), cue if cue is not None and cue > head.i else len(doc)
    )
    start, end = _grown_name(doc, start, end, low, high)
    if cue is not None and head.i < cue:
        start, end = _appositive_subject(doc, start, end, _cue_start(doc, cue), low)
    if cue is not None and end < high and doc[end].text == ",":
        end = _through_appositive(doc, end, high if head.i > cue else _cue_start(doc, cue))
    start = _named_before_appositive(doc, start, low)
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _is_time(token: Token) -> bool:
    return token.lower_ in TIME_WORDS or token.like_num and len(token.text) == 4


def _appositive_subject(
    doc: Doc, start: int, end: int, cue_start: int, low: int
) -> tuple[int, int]:
    """ "Megan Hester, senior associate at the Annenberg Institute, said": a subject set off
    by commas right before its cue is the whole stretch from the name to the last comma,
    whatever word of it the parse took for the subject. A leading adverbial ("In a
    statement,") stays out."""
    if cue_start < 2 or doc[cue_start - 1].text != ",":
        return start, end
    clause = cue_start - 1
    while clause > low and not _stops(doc[clause - 1]) and doc[clause - 1].text != ":":
        clause -= 1
    commas = [i for i in range(clause, cue_start - 1) if doc[i].text == ","]
    if not commas:
        return start, end
    first = clause
    if doc[first].pos_ in ("ADP", "SCONJ", "ADV", "CCONJ") and len(commas) >= 2:
        first = commas[0] + 1  # "In a statement, NAME, TITLE, said"
    while first < commas[-1] and doc[first].pos_ in ("CCONJ", "PUNCT"):
        first += 1
    name = doc[first : commas[0] if commas[0] > first else commas[-1]]
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in name) or len(name) > 8:
        return start, end
    if not first <= start < cue_start:
        return start, end
    return first, cue_start - 1


def _cue_start(doc: Doc, cue: int) -> int:
    start = cue
    while start > 0 and doc[start - 1].head.i == cue and doc[start - 1].dep_ in CUE_PREFIX_DEPS:
        start -= 1
    return start


def _through_appositive(doc: Doc, end: int, stop: int) -> int:
    """Extend a speaker over ", a policy analyst at X," up to ``stop`` (the cue before it, or
    the end of its clause after it), when nothing there ends a sentence or opens a quote."""
    if stop - end > MAX_APPOSITIVE_TOKENS:
        return end
    if any(t.text in MARK_TOKENS or _stops(t) for t in doc[end:stop]):
        return end
    last_comma = max((i for i in range(end + 1, stop) if doc[i].text == ","), default=None)
    if last_comma is not None and last_comma + 1 < stop and doc[last_comma + 1].pos_ == "ADP":
        stop = last_comma  # "..., the top Democrat on the committee, in a statement said"
    while stop > end and (
        doc[stop - 1].is_punct or doc[stop - 1].is_space or doc[stop - 1].lower_ in RELATIVES
    ):
        if doc[stop - 1].text == ")":
            break
        stop -= 1
    return max(end, stop)


def _grown_name(doc: Doc, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    while (
        start > low
        and _name_word(doc[start])
        and (_name_word(doc[start - 1]) or _capitalized_name(doc[start - 1]))
    ):
        start -= 1
    while end < high and (_name_word(doc[end]) or doc[end].is_title) and _name_word(doc[end - 1]):
        end += 1
    # "said MSNBC host Chris Matthews": a name right after a title noun belongs to it
    while end < high and doc[end].pos_ == "PROPN" and doc[end - 1].lower_ in TITLE_NOUNS:
        end += 1
        while end < high and (_name_word(doc[end]) or doc[end].is_title):
            end += 1
    while (  # "Holtz-Eakin"
        end + 1 < high
        and doc[end].text in ("-", "–")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_title
    ):
        end += 2
    if end + 2 < high and doc[end].text == "(":
        close = next((i for i in range(end + 1, min(end + 8, high)) if doc[i].text == ")"), None)
        if close is not None:
            end = close + 1
    return start, end


def _capitalized_name(token: Token) -> bool:
    """A capitalized word the tagger did not call a name ("Martha" in "Martha Aguilar")."""
    return token.is_title and token.pos_ in ("NOUN", "ADJ", "PROPN") and not token.is_sent_start


def _name_word(token: Token) -> bool:
    """A word that continues a name to its left: a title ("Mr.", "Sen.") or a name."""
    if token.is_space or token.text in SIGNATURE_DASHES:  # "― Jacklyn Ashley" tagged a name
        return False
    return token.pos_ == "PROPN" or token.lower_ in TITLE_ABBREVIATIONS


def _named_before_appositive(doc: Doc, start: int, low: int = 0) -> int:
    """ "Ariel G. Ruiz Soto, a policy analyst, said": when the parse makes the appositive
    the subject, the speaker starts with the person's name before it (not before ``low``,
    where the content ends: "... at Ground Zero, sources said")."""
    if start - 2 < low or doc[start - 1].text != "," or doc[start - 2].pos_ != "PROPN":
        return start
    if doc[start].pos_ not in ("DET", "ADJ", "NOUN"):
        return start
    noun = next((t for t in doc[start : start + 4] if t.pos_ == "NOUN"), None)
    if noun is not None and noun.tag_ == "NNS":
        return start  # "... at Ground Zero, sources said": a person's appositive is singular
    name = start - 2
    while name > low and (doc[name - 1].pos_ == "PROPN" or doc[name].ent_iob_ == "I"):
        name -= 1
    person = doc[start - 2].ent_type_ in ("PERSON", "PER") or start - 2 > name
    if not person or any(t.lower_ in TIME_WORDS for t in doc[name : start - 1]):
        return start  # "Chelsea, the mayor", "Monday, the president": not a name
    return name


def _clean_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range without punctuation and spaces at either end, as characters."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        if doc[start].text in OPENING_MARKS and _closes_inside(doc, start, end):
            break
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        if doc[end - 1].text in CLOSING_MARKS and _opens_inside(doc, start, end - 1):
            break
        end -= 1
    if end <= start:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _closes_inside(doc: Doc, start: int, end: int) -> bool:
    return any(t.text in CLOSING_MARKS for t in doc[start + 1 : end])


def _opens_inside(doc: Doc, start: int, end: int) -> bool:
    return any(t.text in OPENING_MARKS for t in doc[start:end])


# --- direct quotes -------------------------------------------------------------------------


def _direct_quotes(doc: Doc, marked: list[Marked]) -> list[FoundQuote]:
    found: list[FoundQuote] = []
    bounds = sentence_bounds(doc)
    inside = _inside_marks(len(text_of(doc)), marked)
    used_cues: set[int] = set()
    index = 0
    while index < len(marked):
        quote = marked[index]
        trailing = _trailing_cue(doc, quote)
        leading = _leading_cue(doc, quote)
        if trailing is not None and trailing[2] is not None:
            # 'Peabody said: "A," a spokesman added', 'Kerr Putney, the police chief, said
            # that the video did not give "absolute evidence,"' -- the lead-in's own cue
            leading = leading or _leading_cue(doc, quote, max_gap=MAX_LEAD_IN_GAP)
            trailing = None if leading is not None else trailing
        attached = trailing or leading
        if attached is None or attached[0].i in used_cues:  # one cue, one quotation
            index += 1
            continue
        used_cues.add(attached[0].i)
        cue_token, speaker, lead_in = attached
        rule = "direct-after" if trailing else "direct-before"
        quote.used = True
        parts = list(quote.parts)
        if lead_in is not None:
            parts[0] = (lead_in, parts[0][1])
            if not trailing:  # 'said the plan was "a disaster" for farmers': to sentence end
                parts[0] = _to_sentence_end(doc, marked, parts[0], bounds)
        # "A," she said. "B." -- runs of quotation that follow in the same paragraph with
        # no cue of their own continue the first: one quote, cue and speaker shared.
        attribution: Token | None = cue_token
        while index + 1 < len(marked):
            following = index + 1
            if attribution is not None and _titled(doc, marked, following, bounds, cue_token):
                following += 1  # 'said on Fox News's "Fox and Friends." "I mean, ..."'
            if following >= len(marked) or not _continues(
                doc, quote, marked[following], attribution
            ):
                break
            attribution = None  # only the first gap may hold the attribution
            for skipped in marked[index + 1 : following + 1]:
                skipped.used = True
            index = following
            quote = marked[index]
            parts += quote.parts
        kind = "direct" if lead_in is None else "mixed"
        window = _window(doc, inside, cue_token)
        found.append(
            FoundQuote(
                kind=kind,
                parts=tuple(parts),
                cue=cue_span(cue_token),
                speaker=phrase_span(speaker, window, cue_token.i) if speaker is not None else None,
                speaker_root=speaker.i if speaker is not None else None,
                rule=rule,
            )
        )
        index += 1
    return found


def _titled(
    doc: Doc, marked: list[Marked], index: int, bounds: list[tuple[int, int]], cue: Token
) -> bool:
    """A short run of quotation inside the attribution's own sentence, after a word (a
    title: 'on Fox News's "Fox and Friends."', a nickname: 'Marcia "Cia" Price'), is part
    of the attribution."""
    run = marked[index]
    text = text_of(doc)
    words = sum(len(text[s:e].split()) for s, e in run.parts)
    sentence = bounds[cue.i]
    return (
        words < MIN_FLOATING_WORDS
        and char_before(text, run.open_at).isalnum()
        and sentence[0] <= _token_at(doc, run.open_at) < sentence[1]
        and index + 1 < len(marked)
    )


def _to_sentence_end(
    doc: Doc, marked: list[Marked], part: tuple[int, int], bounds: list[tuple[int, int]]
) -> tuple[int, int]:
    """A mixed quote's content runs on to the end of its sentence; the runs of quotation it
    takes in are used up."""
    last = _token_at(doc, part[1] - 1)
    extended = _clean_range(doc, last, bounds[last][1])
    end = max(part[1], extended[1]) if extended else part[1]
    for m in _opened_in(marked, part[0], end):
        m.used = True
    return part[0], end


def _window(doc: Doc, inside: bytearray, cue: Token) -> tuple[int, int]:
    """The tokens of the cue's clause outside quotation marks, for clipping its speaker
    (``inside``: ``_inside_marks`` of the text)."""
    start, end = cue.i, cue.i + 1
    while start > 0 and not _stops(doc[start - 1]) and not inside[doc[start - 1].idx]:
        start -= 1
    while end < len(doc) and not _stops(doc[end]) and not inside[doc[end].idx]:
        end += 1
    return start, end


def _stops(token: Token) -> bool:
    return token.text in MARK_TOKENS or "\n" in token.text or token.text in (".", "!", "?", ";")


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else 0


def _clause_end(doc: Doc, first: int) -> int:
    """End (exclusive) of the attribution clause after a closing mark."""
    end = first
    while end < len(doc) and end - first < MAX_TRAILING_TOKENS:
        token = doc[end]
        if token.text in OPENING_MARKS or "\n" in token.text:
            break
        if token.text in (".", "!", "?", ";", ":") or token.text in STRAIGHT_MARKS:
            break
        end += 1
    return end


def _clause_start(doc: Doc, last: int) -> int:
    """Start of the clause that ends at an opening mark (token ``last``)."""
    start = last
    while start > 0:
        token = doc[start - 1]
        if token.text in CLOSING_MARKS or "\n" in token.text or token.text in (".", "!", "?", ";"):
            break
        if token.text in STRAIGHT_MARKS:
            break
        start -= 1
    return start


def _trailing_cue(doc: Doc, quote: Marked) -> tuple[Token, Token | None, int | None] | None:
    """ "...," the official said / said Smith / Smith told reporters.

    A quotation that starts inside a sentence ("With X, “...,” he said") is mixed: its
    content starts with the sentence (PolNeAR's convention).
    """
    if not quote.closed:  # its paragraph ended it: no attribution follows in the paragraph
        return None
    first = _token_at(doc, quote.close_at) + 1
    signed = _signature(doc, first)
    if signed is not None:
        return signed
    if not _ends_clause_or_comma(text_of(doc), quote):
        return None
    end = _clause_end(doc, first)
    for token in doc[first:end]:
        if is_speech(token):
            speaker = speaker_of(token)
            if speaker is None or not first <= speaker.i < end:
                speaker = _nearby_noun(doc, first, end, token)
            return token, speaker, _lead_in(doc, quote)
    return None


def _signature(doc: Doc, first: int) -> tuple[Token, Token | None, int | None] | None:
    """“...” ― Esther Tapia: a dash and a name closing the line sign the quotation (the dash
    is the cue, as PolNeAR marks it)."""
    while first < len(doc) and doc[first].is_space and "\n" not in doc[first].text:
        first += 1  # '”\xa0― Jacklyn Ashley': a no-break space before the dash
    if first > 0 and _glued_dash(doc[first - 1]):  # '.”― Pamela Padilla' is one token
        first -= 1
    elif first >= len(doc) or doc[first].text not in SIGNATURE_DASHES:
        return None
    end = first + 1
    while end < len(doc) and "\n" not in doc[end].text and end - first <= MAX_SIGNATURE_TOKENS:
        end += 1
    name = [t for t in doc[first + 1 : end] if (t.pos_ == "PROPN" or t.is_title) and not t.is_space]
    if not name or (end < len(doc) and "\n" not in doc[end].text):
        return None
    return doc[first], name[-1], None


def _glued_dash(token: Token) -> bool:
    """A closing mark and a signature dash the tokenizer kept together ("”―")."""
    text = token.text
    return len(text) >= 2 and text[0] in CLOSING_MARKS and text[1:] in SIGNATURE_DASHES


def _lead_in(doc: Doc, quote: Marked) -> int | None:
    """Where the sentence starts when the quotation opens inside it, else None."""
    last = _token_at(doc, quote.open_at)
    start = _clause_start(doc, last)
    if start >= last or all(t.is_punct or t.is_space for t in doc[start:last]):
        return None
    return doc[start].idx


def _ends_clause_or_comma(text: str, quote: Marked) -> bool:
    """Only a quotation that ends with a comma, a dash, "?" or "!" (or is followed by a
    comma) can be attributed by the words after its closing mark; after a full stop the
    next words start a new sentence, unless they go on in lower case (' "...end." he said')."""
    last = text[quote.parts[-1][0] : quote.parts[-1][1]].rstrip("’'‘ ")[-1:]
    after = text[quote.close_end : quote.close_end + 3].lstrip()
    if last in ",—-?!" or after[:1] == ",":
        return True
    return after[:1].islower()


def _leading_cue(
    doc: Doc, quote: Marked, max_gap: int = MAX_LEADING_GAP
) -> tuple[Token, Token | None, int | None] | None:
    """Smith said: "..." (direct) / Smith said that "..." / Smith called it "..." (mixed:
    the content starts after the cue)."""
    last = _introduced_above(doc, _token_at(doc, quote.open_at))
    start = _clause_start(doc, last)
    for token in reversed(doc[start:last]):
        if last - token.i - 1 > max_gap:
            break
        if not is_speech(token) or max_gap > MAX_LEADING_GAP and not is_speech_verb(token):
            continue
        speaker = speaker_of(token)
        if speaker is None or not start <= speaker.i < token.i:
            # the speaker of a cue before a quotation comes before the cue, bar "said X:"
            speaker = _nearby_noun(doc, start, token.i, token) or speaker
        gap = doc[token.i + 1 : last]
        if not len(gap) and not is_speech_verb(token) and _fragment(doc, quote):
            return None  # 'he found “evidence”', 'voted “uncommitted”': a term, not speech
        if _introduces(gap):
            return token, speaker, None
        first = next((t for t in gap if t.lower_ == "that"), gap[0])
        return token, speaker, first.idx
    return None


def _fragment(doc: Doc, quote: Marked) -> bool:
    """A run of quotation that is a few words, or that starts in lower case: a phrase of
    the sentence around it rather than a sentence of its own."""
    text = text_of(doc)
    first = text[quote.parts[0][0] : quote.parts[0][0] + 1]
    return _words(text, quote) < MIN_FLOATING_WORDS or first.islower()


def _introduced_above(doc: Doc, opening: int) -> int:
    """A quotation opening a paragraph after one that ends with a colon ("He said:") is
    introduced by that colon: the token after it then stands for the opening mark."""
    before = opening - 1
    while before >= 0 and (doc[before].is_space or "\n" in doc[before].text):
        before -= 1
    if before < opening - 1 and before >= 0 and doc[before].text == ":":
        return before + 1
    return opening


def _introduces(gap: Span) -> bool:
    """The words between a cue and an opening mark end with ":" or "," (or nothing)."""
    return len(gap) == 0 or gap[-1].text in (":", ",")


def _nearby_noun(doc: Doc, start: int, end: int, cue: Token, after: bool = True) -> Token | None:
    """When the parse misses the subject: the noun right before ("Smith said") or right
    after ("said Smith") the cue, within the clause."""
    nouns = ("PROPN", "NOUN", "PRON")
    following = [t for t in doc[cue.i + 1 : end] if t.pos_ in nouns and not t.is_space]
    before = [t for t in doc[start : cue.i] if t.pos_ in nouns and not t.is_space]
    if before and cue.i - before[-1].i <= 3:
        return _phrase_head(before[-1])
    if following and after:
        return _phrase_head(following[0])
    return None


def _phrase_head(token: Token) -> Token:
    while (
        token.dep_ in ("compound", "flat", "amod", "det")
        and token.head.i != token.i
        and token.head.pos_ in ("NOUN", "PROPN")
    ):
        token = token.head
    return token


def _other_cue_between(doc: Doc, cue: Token, following: Marked) -> bool:
    """'Trump said, adding later, "B."' -- not 'he said, referring to X, "B."'."""
    last = _token_at(doc, following.open_at)
    return any(t.lower_ in SPEECH_WORDS and t.tag_ == "VBG" for t in doc[cue.i + 1 : last])


def _continues(doc: Doc, quote: Marked, following: Marked, cue: Token | None) -> bool:
    """The next run of quotation goes on with the same speaker: same paragraph, and between
    the two nothing but punctuation, or the first's own attribution ("she said.") when
    ``cue`` (its cue verb) lies between them."""
    text = text_of(doc)
    between = text[quote.close_end : following.open_at]
    if "\n" in between or not following.parts:
        return False
    if not between.strip(" ,.;:—-"):
        return True
    if cue is None or not quote.close_end <= cue.idx < following.open_at:
        return False
    if _other_cue_between(doc, cue, following):
        return False  # 'Trump said, adding later, "B."': "B." is the second cue's
    tail = between.rstrip().rstrip("”\"’'").rstrip()
    if len(between) > 300 or not (tail[-1:] in (",", ".", ":") or tail.endswith((" and", " but"))):
        return False
    if _sentence_after_attribution(doc, cue, following):
        return False  # '"A," X said. Y said Z. W told reporters: "B."': B is not X's
    leading = _leading_cue(doc, following)
    if leading is not None and leading[0].i != cue.i and leading[0].lower_ in SPEECH_WORDS:
        return False  # the next run has a verb of saying of its own before it
    return _trailing_cue(doc, following) is None


def _sentence_after_attribution(doc: Doc, cue: Token, following: Marked) -> bool:
    """Whether a sentence with a cue and a speaker of its own ("Maria Lopez said the city
    would appeal.") stands between a cue's sentence and the next run; one whose speaker
    is a pronoun ("He did not suggest retaliation.") goes on about the same speaker."""
    ended = False
    for token in doc[cue.i + 1 : _token_at(doc, following.open_at)]:
        if ended and is_speech(token):
            speaker = speaker_of(token)
            if speaker is not None and speaker.pos_ != "PRON":
                return True
        ended = ended or token.text in (".", "!", "?", ";")
    return False


# --- indirect and mixed quotes -------------------------------------------------------------


def _indirect_quotes(
    doc: Doc,
    marked: list[Marked],
    used_cues: set[tuple[int, int]],
    direct: list[FoundQuote],
) -> list[FoundQuote]:
    taken_spans = [(q.start, q.end) for q in direct]
    taken = Intervals(taken_spans)
    bounds = sentence_bounds(doc)
    inside = _inside_marks(len(text_of(doc)), marked)
    found: list[FoundQuote] = []
    for token in doc:
        if not is_cue(token) or token.lower_ == "according" or inside[token.idx]:
            continue
        if token.lower_ in FILTERED_WORDS:
            continue
        cue = cue_span(token)
        if cue in used_cues:
            continue
        sent_start, sent_end = bounds[token.i]
        reported = _interjected(doc, token, sent_start, sent_end) or _reported_clause(token)
        if (reported is None or reported[3] in ("object", "topic")) and is_speech_verb(token):
            reported = _that_after(doc, token, sent_end) or reported
        reported = reported or _parenthetical(doc, token, sent_start, sent_end)
        if reported is None:
            continue
        start, end, preposition, rule = reported
        if rule in BEFORE_CUE_RULES and not is_speech_verb(token):
            continue
        start, end = max(start, sent_start), min(end, sent_end)
        if EXTEND_TO_SENTENCE_END and start > token.i and rule in EXTENDED_RULES:
            end = _extended_end(token, start, sent_end)
        content = _clean_range(doc, start, end)
        if content is None or taken.any_containing(content[0]):
            continue
        parts = [content]
        raised = _raised_subject(token) if rule == "xcomp" else None
        if raised is not None:  # "Melania seems to have vanished": no speaker, two parts
            parts.insert(0, raised)
            found.append(_reported(doc, marked, tuple(parts), cue, None, "raising", token.i))
            continue
        if rule in BEFORE_CUE_RULES:  # "X, he said, Y": the sentence goes on after the cue
            rest = _resumed(doc, token, sent_end)
            if rest is not None:
                parts.append(rest)
        if preposition is not None:
            cue = (cue[0], preposition.idx + len(preposition))
        speaker = speaker_of(token)
        limit = None
        if rule == "interjected":  # the speaker is what the commas set off with the cue
            limit = (end + 1, token.i)
            if speaker is None or not limit[0] <= speaker.i < limit[1]:
                speaker = _nearby_noun(doc, limit[0], token.i, token, after=False)
        elif speaker is None and start > token.i:
            speaker = _nearby_noun(doc, sent_start, token.i, token, after=False)
        found.append(_reported(doc, marked, tuple(parts), cue, speaker, rule, token.i, limit))
    found += _according_to(doc, marked, bounds)
    found += _in_evidence(
        doc, marked, bounds, Intervals(taken_spans + [(q.start, q.end) for q in found])
    )
    return found


def _in_evidence(
    doc: Doc, marked: list[Marked], bounds: list[tuple[int, int]], taken: Intervals
) -> list[FoundQuote]:
    """ "In a CBS News poll, she led Mr. Sanders by 20 points": a sentence that opens with
    "In" and a poll, survey or study reports the rest of the sentence; "In" is the cue and
    the phrase the source (PolNeAR's convention). Left alone when the rest of the sentence
    has a cue of its own ("In a statement, the campaign said ...")."""
    found = []
    for sent_start, sent_end in sorted(set(bounds)):
        opener = doc[sent_start]
        if opener.lower_ != "in" or sent_end - sent_start < 6:
            continue
        comma = next((i for i in range(sent_start + 1, sent_end) if doc[i].text == ","), None)
        if comma is None or comma - sent_start > 12:
            continue
        if not any(t.lower_ in EVIDENCE_NOUNS for t in doc[sent_start + 1 : comma]):
            continue
        if any(is_cue(t) for t in doc[comma + 1 : sent_end]):
            continue
        content = _clean_range(doc, comma + 1, sent_end)
        speaker = _clean_range(doc, sent_start + 1, comma)
        if content is None or speaker is None or taken.any_containing(content[0]):
            continue
        source = next(t for t in doc[sent_start + 1 : comma] if t.lower_ in EVIDENCE_NOUNS)
        quote = _reported(doc, marked, (content,), (opener.idx, opener.idx + 2), source, "in")
        found.append(FoundQuote(quote.kind, quote.parts, quote.cue, speaker, source.i, rule="in"))
    return found


def _interjected(
    doc: Doc, verb: Token, sent_start: int, sent_end: int
) -> tuple[int, int, None, str] | None:
    """ "The museum, Mr. Obama said, would make visitors face uncomfortable truths": a verb
    of saying and its subject set off by commas inside the sentence report the sentence
    around them (the part after the cue is added as a second part)."""
    if not is_speech_verb(verb):
        return None
    comma = next(
        (
            i
            for i in range(verb.i - 1, max(sent_start, verb.i - MAX_SUBJECT_TOKENS) - 1, -1)
            if doc[i].text == ","
        ),
        None,
    )
    if comma is None or comma - sent_start < 2:
        return None
    between = doc[comma + 1 : verb.i]
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in between):
        return None
    if any(t.pos_ == "VERB" or t.text in MARK_TOKENS for t in between):
        return None
    after = next(
        (i for i in range(verb.i + 1, min(sent_end, verb.i + 5)) if doc[i].text == ","), None
    )
    if after is None or sent_end - after - 1 < MIN_CONTENT_TOKENS:
        return None
    return sent_start, comma, None, "interjected"


def _that_after(doc: Doc, verb: Token, sent_end: int) -> tuple[int, int, None, str] | None:
    """ "Trump said during a rally in Michigan that X": the parse lost the clause, but a
    "that" a few words after a verb of saying opens what it reports."""
    for i in range(verb.i + 1, min(sent_end, verb.i + MAX_THAT_DISTANCE)):
        word = doc[i]
        if word.lower_ == "that" and _opens_clause(word):
            return (i, sent_end, None, "that-after") if sent_end - i > MIN_CONTENT_TOKENS else None
        if word.text in MARK_TOKENS or word.pos_ == "VERB" or word.text in (";", ":"):
            return None
    return None


def _opens_clause(that: Token) -> bool:
    """A "that" after a verb of saying opens what it reports, whatever tag the parse gave it
    ("told The Post that Trump's policy ..." tagged a determiner), when a subject follows
    it (not "said that day")."""
    if that.pos_ == "SCONJ" or that.dep_ == "mark":
        return True
    following = that.nbor(1) if that.i + 1 < len(that.doc) else None
    return following is not None and following.pos_ in ("PROPN", "PRON", "DET", "NUM")


def _raised_subject(verb: Token) -> tuple[int, int] | None:
    """The subject of "seems"/"appears" is part of what is reported, not its source; so is
    the subject of a passive "is expected to" ("Nabisco is expected to cut 277 jobs")."""
    passive = any(c.dep_ in ("aux:pass", "auxpass") for c in verb.children)
    if verb.lower_ not in RAISING_WORDS and not (passive and verb.lower_ in PASSIVE_RAISING):
        return None
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
    if subject is None:
        return None
    return _clean_range(verb.doc, subject.left_edge.i, subject.right_edge.i + 1)


def _resumed(doc: Doc, verb: Token, sent_end: int) -> tuple[int, int] | None:
    """The rest of the reported sentence after a cue in its middle: "X, he said on Monday, Y"
    gives Y (the cue's clause ends at the next comma)."""
    for i in range(verb.i + 1, min(sent_end, verb.i + MAX_AFTER_PARENTHETICAL)):
        if doc[i].text == ",":
            if sent_end - i - 1 < MIN_CONTENT_TOKENS:
                return None
            return _clean_range(doc, i + 1, sent_end)
        if doc[i].text in MARK_TOKENS:
            return None
    return None


def _extended_end(verb: Token, start: int, sent_end: int) -> int:
    """Content after its cue runs to the end of the sentence, but not into a clause
    coordinated with the cue ("said X, and praised Y")."""
    doc = verb.doc
    if verb.head.i > verb.i and verb.dep_ != "ROOT" and verb.right_edge.i + 1 > start:
        # "Calling Clinton on her attack, Axelrod occupied ...": the cue's clause comes
        # first, and its content ends with it
        sent_end = min(sent_end, verb.right_edge.i + 1)
    for child in verb.rights:
        if child.dep_ in ("conj", "cc") and start < child.i < sent_end:
            sent_end = max(
                min(sent_end, child.left_edge.i if child.dep_ == "conj" else child.i), start + 1
            )
    for i in range(start + 1, sent_end - 1):
        if doc[i].text == ";":  # "X was not intentional; they only learned of it Friday"
            return i
        if doc[i].text in (",", "--", "—") and (
            _attribution_starts(doc, i + 1, sent_end) or _new_clause(doc, i + 1, sent_end)
        ):
            return i
    return sent_end


def _new_clause(doc: Doc, i: int, end: int) -> bool:
    """ ", and he praised Mexico": a coordinated clause with its own subject, which the
    parse hung inside the reported clause."""
    if i + 2 >= end or doc[i].lower_ not in ("and", "but"):
        return False
    subject = doc[i + 1]
    return (
        subject.dep_.startswith("nsubj")
        and subject.head.i > subject.i
        and subject.head.pos_ == "VERB"
    )


def _attribution_starts(doc: Doc, i: int, end: int) -> bool:
    """ ", saying ...", ", and calling for ...", ", according to ...": another attribution
    begins here, so the content before it ends."""
    if doc[i].lower_ in ("and", "but") and i + 1 < end:
        i += 1
    word = doc[i]
    return (
        word.lower_ == "according"
        or (word.tag_ == "VBG" or word.lower_.endswith("ing"))
        and is_speech(word)
        or _speaker_and_cue(doc, i, end)
    )


def _speaker_and_cue(doc: Doc, i: int, end: int) -> bool:
    """ ", though she noted ...", ", but officials said ...": a short subject and a verb of
    saying open another attribution."""
    if doc[i].lower_ in CLAUSE_LINKS:
        i += 1
    for j in range(i, min(end, i + MAX_LINKED_SUBJECT + 1)):
        word = doc[j]
        if j > i and word.pos_ in ("VERB", "AUX") and is_speech_verb(word):
            return True
        if word.pos_ not in ("PRON", "PROPN", "NOUN", "DET", "ADJ"):
            return False
    return False


def _parenthetical(
    doc: Doc, verb: Token, sent_start: int, sent_end: int
) -> tuple[int, int, Token | None, str] | None:
    """ "CONTENT, the official said (on Monday)." / "CONTENT, said the official." when the
    parse did not tie the content to the verb: the content is the sentence up to the comma
    before the verb's subject."""
    if sent_end - verb.i > MAX_AFTER_PARENTHETICAL:
        return None
    for comma in range(verb.i - 1, max(sent_start, verb.i - MAX_SUBJECT_TOKENS) - 1, -1):
        if doc[comma].text == "," or doc[comma].text in CLOSING_MARKS:
            if comma - sent_start >= MIN_CONTENT_TOKENS:
                return sent_start, comma, None, "parenthetical"
            return None
        if doc[comma].is_punct and doc[comma].text not in (".", "'s", "’s", "-"):
            return None
    return None


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(first token, end token) of each token's sentence, split on final punctuation (and a
    closing mark right after it) and line breaks, whatever the parser thought."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if _ends_sentence(token):
            bounds += [(start, token.i + 1)] * (token.i + 1 - start)
            start = token.i + 1
    bounds += [(start, len(doc))] * (len(doc) - start)
    return bounds


def _ends_sentence(token: Token) -> bool:
    if "\n" in token.text:
        return True
    nxt = token.nbor() if token.i + 1 < len(token.doc) else None
    if token.text in (".", "!", "?"):
        return nxt is None or not (nxt.text in CLOSING_MARKS or nxt.text in ("’", "'"))
    if token.text in CLOSING_MARKS and token.i > 0:
        return token.nbor(-1).text in (".", "!", "?") and token.whitespace_ != ""
    return False


def _reported(
    doc: Doc,
    marked: list[Marked],
    parts: tuple[tuple[int, int], ...],
    cue: tuple[int, int],
    speaker: Token | None,
    rule: str,
    cue_token: int | None = None,
    limit: tuple[int, int] | None = None,
) -> FoundQuote:
    text = text_of(doc)
    dateline = DATELINE.match(text, parts[0][0], parts[0][1])
    if dateline is not None:  # "DETROIT — Harmon Motors will close ...": not reported
        parts = ((dateline.end(), parts[0][1]), *parts[1:])
    start, end = parts[0][0], parts[-1][1]
    inner = _opened_in(marked, start, end)
    kind = "mixed" if inner else "indirect"
    for m in inner:
        m.used = True
    if len(parts) == 1 and len(inner) == 1 and _only_quote(text, parts[0], inner[0]):
        kind, parts = "direct", ((inner[0].parts[0][0], inner[0].parts[-1][1]),)
    return FoundQuote(
        kind=kind,
        parts=parts,
        cue=cue,
        speaker=phrase_span(speaker, limit, cue_token) if speaker is not None else None,
        speaker_root=speaker.i if speaker is not None else None,
        rule=rule,
    )


def _only_quote(text: str, content: tuple[int, int], quote: Marked) -> bool:
    before = text[content[0] : quote.open_at].strip()
    after = text[quote.close_end : content[1]].strip()
    return not before and not after


def _inside_marks(length: int, marked: list[Marked]) -> bytearray:
    """1 for each character strictly inside a run of quotation (one pass, for token loops)."""
    inside = bytearray(length + 1)
    for m in marked:
        inside[m.open_at + 1 : m.close_at] = b"\x01" * max(0, m.close_at - m.open_at - 1)
    return inside


def _opened_in(marked: list[Marked], start: int, end: int) -> list[Marked]:
    """The runs of quotation that open in [start, end) (``marked`` sorted by opening)."""
    first = bisect.bisect_left(marked, start, key=lambda m: m.open_at)
    last = bisect.bisect_left(marked, end, key=lambda m: m.open_at)
    return marked[first:last]


def _reported_clause(verb: Token) -> tuple[int, int, Token | None, str] | None:
    """The tokens reported by a cue verb, and the preposition that joins the cue when the
    content is a prepositional object ("called for", "talked about").

    In order: a clausal complement ("said that X"; "X, he said" parsed that way); the
    clause a parenthetical cue hangs on ("X, the source added"); an infinitive complement
    ("urged them to act"); the object ("denied the report"); an object introduced by a
    preposition of topic ("asked about X").
    """
    doc = verb.doc
    children = list(verb.children)
    for child in children:
        if child.dep_ in CLAUSE_DEPS and child.i > verb.i:
            return child.left_edge.i, child.right_edge.i + 1, None, "clause-after"
    for child in children:
        if child.dep_ in CLAUSE_DEPS and _before_comma(doc, child.right_edge.i + 1, verb):
            return child.left_edge.i, child.right_edge.i + 1, None, "clause-before"
    clause = _misread_clause(verb)
    if clause is not None:
        return clause.left_edge.i, clause.right_edge.i + 1, None, "clause-after"
    head = verb.head
    if (
        verb.dep_ == "parataxis"
        and head.i < verb.i
        and head.pos_ in ("VERB", "AUX", "ADJ")
        and _before_comma(doc, verb.left_edge.i, verb)
    ):
        return head.left_edge.i, verb.left_edge.i, None, "parataxis"
    for deps in (("xcomp",), OBJECT_DEPS):
        if deps == ("xcomp",) and verb.lower_ in ASPECTUAL_WORDS:
            continue  # "protesters continued to call for": not a report
        for child in children:
            if child.dep_ in deps and child.i > verb.i:
                start = child.left_edge.i
                if deps == ("xcomp",):  # "expect it to rise": the object is reported too
                    start = _object_before(verb, child) or start
                that = _that_clause(child)
                rule = "object" if deps == OBJECT_DEPS else "xcomp"
                return (that if that is not None else start), child.right_edge.i + 1, None, rule
    for child in children:
        if child.dep_ in ("obl", "prep") and child.i > verb.i:
            case = _preposition(child)
            if (
                case is not None
                and case.lower_ in TOPIC_PREPOSITIONS
                and case.i == verb.i + 1
                and child.lower_ not in TIME_WORDS
            ):
                return case.i + 1, child.right_edge.i + 1, case, "topic"
    return None


def _misread_clause(verb: Token) -> Token | None:
    """ "have not said when they would act", "said the bill would pass": a clause after a
    verb of saying that the parse hung on it as an adverbial, though nothing but a
    question word (or no word at all) introduces it."""
    if not is_speech_verb(verb):
        return None
    for child in verb.rights:
        if child.dep_ != "advcl" or child.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        first = child.left_edge
        marks = [c for c in child.children if c.dep_ == "mark" and c.i < child.i]
        if first.lower_ in QUESTION_WORDS or not marks and first.dep_.startswith("nsubj"):
            return child
    return None


def _object_before(verb: Token, xcomp: Token) -> int | None:
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS and verb.i < c.i < xcomp.i]
    return objects[0].left_edge.i if objects else None


def _before_comma(doc: Doc, end: int, verb: Token) -> bool:
    """The content ends (token ``end``, exclusive) with a comma or a closing mark, and only
    the verb's subject lies between it and the verb ("X, the official said")."""
    if end <= 0 or end > verb.i:
        return False
    last = doc[end - 1]
    between = doc[end : verb.i]
    return (
        last.text in (",", "—")
        or last.text in CLOSING_MARKS
        or any(t.text == "," for t in between[:1])
    ) and len(between) <= 12


def _that_clause(obj: Token) -> int | None:
    """ "told reporters that X": an object whose subtree holds the reported "that" clause.
    An object that is not an addressee keeps its "that" clause ("found no proof that X",
    "criticized statements that X": PolNeAR's content is the whole object)."""
    if not _addressee(obj):
        return None
    for token in obj.subtree:
        if token.lower_ == "that" and token.dep_ == "mark" and token.i > obj.i:
            return token.i
    return None


def _addressee(obj: Token) -> bool:
    """Someone told something: a pronoun, a name, or a noun for people."""
    return (
        obj.pos_ in ("PRON", "PROPN")
        or obj.ent_type_ in ("PERSON", "ORG", "NORP")
        or (obj.lower_ in ADDRESSEE_NOUNS)
    )


def _preposition(obl: Token) -> Token | None:
    if obl.dep_ == "prep":
        return obl
    return next((c for c in obl.children if c.dep_ == "case"), None)


def _according_to(
    doc: Doc, marked: list[Marked], bounds: list[tuple[int, int]]
) -> list[FoundQuote]:
    """Content, according to X.  /  According to X, content.

    The source runs from "to" to the comma that ends the phrase at the start of a
    sentence, or to the end of the sentence ("according to Craig Bryan, head of the
    National Center, and other scientists"), whatever the parse made of it."""
    found = []
    for token in doc[:-1]:
        if token.lower_ != "according" or doc[token.i + 1].lower_ != "to":
            continue
        source = _according_source(token)
        if source is None:
            continue
        sent_start, sent_end = bounds[token.i]
        first = token.i + 2
        if token.i <= sent_start + 1:
            comma = next((i for i in range(first, sent_end) if doc[i].text == ","), None)
            if comma is None:
                continue
            speaker, content = (
                _clean_range(doc, first, comma),
                _clean_range(doc, comma + 1, sent_end),
            )
        else:
            comma = next((i for i in range(first, sent_end) if doc[i].text == ","), sent_end)
            end = sent_end if comma == sent_end or _appositive_follows(doc, comma) else comma
            speaker, content = _clean_range(doc, first, end), _clean_range(doc, sent_start, token.i)
            if comma < sent_end and end == comma:  # "X, according to Y, Z": two parts
                rest = _clean_range(doc, comma + 1, sent_end)
                if content and rest:
                    found.append(_according(doc, marked, (content, rest), token, source, speaker))
                    continue
        if content is not None:
            found.append(_according(doc, marked, (content,), token, source, speaker))
    return found


def _appositive_follows(doc: Doc, comma: int) -> bool:
    """After "according to NAME," comes a description of the name, not more content."""
    following = doc[comma + 1] if comma + 1 < len(doc) else None
    return following is not None and following.pos_ in ("DET", "NOUN", "ADJ", "PROPN")


def _according(
    doc: Doc,
    marked: list[Marked],
    parts: tuple[tuple[int, int], ...],
    according: Token,
    source: Token,
    speaker: tuple[int, int] | None,
) -> FoundQuote:
    cue = (according.idx, doc[according.i + 1].idx + 2)
    quote = _reported(doc, marked, parts, cue, source, "according-to", according.i + 1)
    if speaker is None:
        return quote
    return FoundQuote(quote.kind, quote.parts, cue, speaker, source.i, rule=quote.rule)


def _according_source(according: Token) -> Token | None:
    doc = according.doc
    head = according.head
    if head.i > according.i + 1 and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head
    for token in doc[according.i + 2 : according.i + 12]:
        if token.pos_ in ("NOUN", "PROPN"):
            return _phrase_head(token)
    return None


# --- transcripts ---------------------------------------------------------------------------

TURN = re.compile(r"^[ \t]*[\"“]?([A-Z][A-Z.'’ -]{1,30}[A-Z.]):[ \t]+(\S.*)$", re.MULTILINE)


#: A headline (the text's first line) that opens with a short name and a colon.
HEADLINE = re.compile(r"[ \t]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(\S[^\n]*)")


def _transcript_turns(doc: Doc, marked: list[Marked], found: list[FoundQuote]) -> list[FoundQuote]:
    """ "PENCE: Gennifer Flowers will not be attending..." -- a speaker's name in capitals and
    a colon open a paragraph of transcript: the colon is the cue, the rest the content. So
    does a short name before a colon at the start of a headline ("Sanders: Clinton needs
    to...")."""
    taken = [(q.start, q.end) for q in found]
    result = []
    text = text_of(doc)
    headline = HEADLINE.match(text)  # "Pat Caddell: Democrat Voters Worried About ..."
    for match in [*([headline] if headline else []), *TURN.finditer(text)]:
        start, end = match.start(2), match.end(2)
        while end > start and text[end - 1] in MARK_TOKENS | {" "}:
            end -= 1
        if end <= start or any(_crosses((s, e), (start, end)) for s, e in taken):
            continue
        for m in marked:
            if start <= m.open_at < end or m.open_at < start < m.close_at:
                m.used = True
        name = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        colon = match.end(1)
        result.append(
            FoundQuote(
                kind="direct",
                parts=((start, end),),
                cue=(colon, colon + 1),
                speaker=(match.start(1), match.end(1)),
                speaker_root=name.root.i if name is not None and len(name) else None,
                rule="headline" if match is headline else "transcript",
            )
        )
    return result


def _crosses(quote: tuple[int, int], turn: tuple[int, int]) -> bool:
    """A quote found before overlaps the turn without lying inside it (a quotation the
    speaker of a transcript turn quotes does not hide the turn)."""
    inside = turn[0] <= quote[0] and quote[1] <= turn[1]
    return quote[0] < turn[1] and turn[0] < quote[1] and not inside


# --- floating quotes -----------------------------------------------------------------------


def _floating_quotes(doc: Doc, marked: list[Marked], found: list[FoundQuote]) -> list[FoundQuote]:
    """Runs of quotation no pass attributed. Whole sentences of quotation right after an
    attributed quote keep its speaker (the text implies it: "floating"); a word or short
    phrase inside a sentence is a scare quote, a term or a title (kind "scare"); any other
    run is still a quote, with no speaker ("unattributed")."""
    result: list[FoundQuote] = []
    text = text_of(doc)
    attributed = sorted((q for q in found if q.kind == "direct"), key=lambda q: q.end)
    before = 0  # attributed[:before] end before the current run (runs come in order)
    chain_end: int | None = None  # where the last floating run ended
    # the marks a quotation ends with: a run in other marks does not go on from it (an
    # American text's '‘All Bets Are Off.’' section title after a quotation)
    family_at = {m.parts[-1][1]: m.family for m in marked if m.parts}
    for quote in marked:
        if quote.used:
            continue
        quote.used = True
        parts = tuple(quote.parts)
        if _is_scare(text, quote):
            result.append(FoundQuote("scare", parts, None, None, rule="scare"))
            chain_end = None
            continue
        while before < len(attributed) and attributed[before].end <= quote.open_at:
            before += 1
        previous = attributed[before - 1] if before else None
        # paragraph after paragraph of quotation go on from the attributed one before them
        chained = (
            chain_end is not None
            and (previous is None or previous.end <= chain_end)
            and _whole_sentences(text, quote)
            and _only_breaks_between(text, chain_end, quote.open_at)
        )
        follows = chained or (
            previous is not None
            and family_at.get(previous.end, quote.family) == quote.family
            and _whole_sentences(text, quote)
            and _adjacent(text, previous, quote)
            and _only_attribution_between(doc, previous, quote)
        )
        chain_end = quote.close_end if follows else None
        rule = "floating" if follows else "unattributed"
        result.append(FoundQuote("direct", parts, None, None, rule=rule))
    return result


def _words(text: str, quote: Marked) -> int:
    return sum(len(text[s:e].split()) for s, e in quote.parts)


def _starts_sentence(text: str, quote: Marked) -> bool:
    """After the end of a sentence (a quoted one too: '.”'), a colon or a dash."""
    position = quote.open_at
    before = char_before(text, position)
    while before in ("”", '"', "’", "'", "»") and position > 0:
        position = text.rindex(before, 0, position)
        before = char_before(text, position)
    return before in ("", ".", "!", "?", ":", "—", "-")


def char_before(text: str, position: int) -> str:
    """The last character before ``position`` that is not a space or a line break ("" at
    the start), looking back over the spaces only (not the whole text)."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return text[position - 1] if position > 0 else ""


def _is_scare(text: str, quote: Marked) -> bool:
    """A word or a short phrase in quotation marks inside a sentence, with no cue."""
    return _words(text, quote) < MIN_FLOATING_WORDS and not _starts_sentence(text, quote)


def _whole_sentences(text: str, quote: Marked) -> bool:
    return _words(text, quote) >= MIN_FLOATING_WORDS and _starts_sentence(text, quote)


def _adjacent(text: str, previous: FoundQuote, quote: Marked) -> bool:
    """At most one paragraph break, and no other text, between the two quotes."""
    between = text[previous.end : quote.open_at]
    return between.count("\n\n") <= 1 and len(between) < 200


def _only_breaks_between(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return not between.strip() and between.count("\n\n") <= 1


def _only_attribution_between(doc: Doc, previous: FoundQuote, quote: Marked) -> bool:
    """No words between the two quotes but those of the first one's attribution sentence
    ('"A," he said.' -- not '"A." She became upset, so I said: "B."')."""
    start, end = _token_at(doc, previous.end - 1) + 1, _token_at(doc, quote.open_at)
    words = [t for t in doc[start:end] if t.is_alpha]
    if not words:
        return True
    if previous.cue is None or previous.cue[0] < previous.end:
        return False
    cue = _token_at(doc, previous.cue[0])
    return all(_same_sentence(doc, cue, t.i) for t in words)


def _same_sentence(doc: Doc, first: int, second: int) -> bool:
    low, high = min(first, second), max(first, second)
    return not any(_ends_sentence(t) for t in doc[low:high])


def _relink_floating(found: list[FoundQuote]) -> list[FoundQuote]:
    """A floating quote right after the attributed direct quote it goes on from is one more
    part of it (PolNeAR's convention: '"A," he said.' and the next paragraph's '"B."' are
    one attribution); one with other quotes between keeps that quote's source."""
    result: list[FoundQuote] = []
    last_direct: int | None = None
    for quote in found:
        if quote.rule == "floating" and last_direct is not None:
            if last_direct == len(result) - 1:
                previous = result[-1]
                result[-1] = replace(previous, parts=previous.parts + quote.parts)
                continue
            quote = replace(quote, follows=last_direct)
        if quote.kind == "direct" and quote.rule not in ("floating", "unattributed"):
            last_direct = len(result)
        result.append(quote)
    return result


def _without_duplicates(found: list[FoundQuote]) -> list[FoundQuote]:
    """One quote per content: the first pass that found it (direct before indirect) wins."""
    seen: set[tuple[tuple[int, int], ...]] = set()
    result = []
    for quote in found:
        if quote.parts not in seen:
            seen.add(quote.parts)
            result.append(quote)
    return result


# --- the learned span model ----------------------------------------------------------------


def _with_learned(
    doc: Doc,
    marked: list[Marked],
    found: list[FoundQuote],
    ruled: list[FoundQuote],
    model: learned.ModelSpans,
) -> list[FoundQuote]:
    """The learned attributions that no direct quote or transcript turn already covers,
    then the rules' indirect quotes that no learned one overlaps."""
    taken = Intervals(p for q in found for p in q.parts)
    used_cues = {q.cue for q in found if q.cue}
    split = [q for q in ruled if len(q.parts) == 2 and q.cue is not None]
    split_cues = Intervals(q.cue for q in split if q.cue is not None)
    result: list[FoundQuote] = []
    for attribution in learned.attributions(doc, model):
        quote = _learned_quote(doc, marked, attribution)
        if quote is None or quote.cue in used_cues:
            continue
        quote = _with_both_halves(quote, split, split_cues)
        if any(taken.any_overlapping(*p) for p in quote.parts):
            continue
        result.append(quote)
    kept = Intervals(p for q in result for p in q.parts)
    result += [q for q in ruled if not any(kept.any_overlapping(*p) for p in q.parts)]
    return result


def _with_both_halves(
    quote: FoundQuote, split: list[FoundQuote], split_cues: Intervals
) -> FoundQuote:
    """The rules' two parts where they split a sentence around the same cue ("The museum,
    Mr. Obama said, would ...", "Nabisco is expected to cut ...") and the model kept one.
    ``split``: the rules' quotes in two parts; ``split_cues``: their cues."""
    assert quote.cue is not None
    if len(quote.parts) != 1:
        return quote
    for index in split_cues.overlapping(*quote.cue):
        rule = split[index]
        if any(_overlap(quote.parts[0], p) for p in rule.parts):
            return replace(quote, parts=rule.parts)
    return quote


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _learned_quote(
    doc: Doc, marked: list[Marked], attribution: learned.LearnedAttribution
) -> FoundQuote | None:
    parts = []
    for content in attribution.contents:
        piece = _clean_range(doc, content.start, content.end)
        if piece is not None:
            parts.append(piece)
    if not parts:
        return None
    cue, source = attribution.cue, attribution.source
    quote = _reported(doc, marked, tuple(parts), _chars(doc, cue.start, cue.end), None, "learned")
    if source is None:
        return quote
    return replace(
        quote,
        speaker=_chars(doc, source.start, source.end),
        speaker_root=doc[source.start : source.end].root.i,
    )


def _refined_by_model(
    doc: Doc, found: list[FoundQuote], model: learned.ModelSpans
) -> list[FoundQuote]:
    """The rules' quotes with the span model's boundaries where the model agrees on the
    attribution: its content when it shares over half of an indirect quote's tokens, and
    its source nearest the cue (three tokens away at most) as the speaker (on dev: content
    F1 +0.005, source +0.027; taking its cue boundaries too moved cue F1 by only +0.002,
    so the rules keep theirs)."""
    contents = model.confident[learned.CONTENT]  # apart from each other, by start
    indexed = _ModelIndex(
        Intervals((c.start, c.end) for c in contents),
        learned.by_paragraph(model.confident[learned.SOURCE], model.paragraph),
    )
    return [
        _refined(doc, quote, model, indexed) if quote.cue and quote.rule != "learned" else quote
        for quote in found
    ]


@dataclass(frozen=True)
class _ModelIndex:
    """The model's confident contents and sources, indexed once per Doc."""

    contents: Intervals
    sources: dict[int, learned.Nearby]  # by paragraph


def _refined(
    doc: Doc, quote: FoundQuote, model: learned.ModelSpans, indexed: _ModelIndex
) -> FoundQuote:
    assert quote.cue is not None
    cue = doc.char_span(*quote.cue, alignment_mode="expand")
    if cue is None or not len(cue):
        return quote
    if quote.kind != "direct" and len(quote.parts) == 1:
        quote = replace(
            quote,
            parts=_model_content(
                doc, quote.parts, model.confident[learned.CONTENT], indexed.contents
            ),
        )
    around = learned.LearnedSpan(cue.start, cue.end, 1.0)
    sources = indexed.sources.get(model.paragraph[cue.start], learned.NO_SPANS)
    source = learned.nearest_source(doc, around, [], sources, model.paragraph)
    if source is not None and max(source.start - cue.end, cue.start - source.end) <= 3:
        quote = replace(
            quote,
            speaker=_chars(doc, source.start, source.end),
            speaker_root=doc[source.start : source.end].root.i,
        )
    return quote


def _model_content(
    doc: Doc,
    parts: tuple[tuple[int, int], ...],
    contents: list[learned.LearnedSpan],
    indexed: Intervals,
) -> tuple[tuple[int, int], ...]:
    content = doc.char_span(*parts[0], alignment_mode="expand")
    if content is None:
        return parts
    for index in indexed.overlapping(content.start, content.end):  # sharing no token: none
        model = contents[index]
        shared = min(model.end, content.end) - max(model.start, content.start)
        if shared > 0.5 * max(model.end - model.start, len(content)):
            piece = _clean_range(doc, model.start, model.end)
            return (piece,) if piece is not None else parts
    return parts


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
