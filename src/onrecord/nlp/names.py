"""Keep a name whole across the parser's sentence starts.

The NER runs before the parser (it has its own tok2vec), so a sentence start never cuts a
name it finds; this component then marks the tokens inside each name as "not a sentence
start", which the parser respects. Without it the parser put sentence starts inside names
("Mark | Cuban") and the NER, which never crosses a sentence start, cut them: CoNLL-2003
dev F1 inside the pipeline was 0.864 against 0.891 for the NER alone.

It also drops a one-word name at the start of a sentence or line whose word is common in
lower case ("Thanks", "Best", "Does", "Great"): a capital there says nothing, and on web
text the NER took such words for entities. The common words are learned from the training
splits (``training/common_words.py`` -> ``data/common_words.json``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

COMMON_WORDS = Path(__file__).parent / "data" / "common_words.json"
#: What may come before the first word of a sentence (the parser has not run yet).
SENTENCE_OPENERS = frozenset(". ! ? : ; … “ ” \" ‘ ' ( [ - – — *".split())


@Language.component(
    "onrecord_names_whole", requires=["doc.ents"], assigns=["doc.ents", "token.is_sent_start"]
)
def keep_names_whole(doc: Doc) -> Doc:
    trimmed = [_without_spaces(entity) for entity in doc.ents]
    kept = [e for e in trimmed if e is not None and not _common_word_at_start(e)]
    if kept != list(doc.ents):
        doc.ents = kept
    for entity in doc.ents:
        for token in entity[1:]:
            token.is_sent_start = False
    return doc


def _without_spaces(entity: Span) -> Span | None:
    """The name without line breaks at its ends ("John\\n\\n" -> "John"); None if nothing
    but spaces."""
    start, end = entity.start, entity.end
    while start < end and entity.doc[start].is_space:
        start += 1
    while end > start and entity.doc[end - 1].is_space:
        end -= 1
    if start == end:
        return None
    if (start, end) == (entity.start, entity.end):
        return entity
    return Span(entity.doc, start, end, label=entity.label, kb_id=entity.kb_id)


def _common_word_at_start(entity: Span) -> bool:
    if len(entity) != 1 or entity.text.lower() not in common_words():
        return False
    if entity.start == 0:
        return True
    before = entity.doc[entity.start - 1]
    return before.is_space or "\n" in before.text or before.text in SENTENCE_OPENERS


@cache
def common_words() -> frozenset[str]:
    return frozenset(json.loads(COMMON_WORDS.read_text(encoding="utf-8"))["words"])
