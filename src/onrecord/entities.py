"""Entities: people, organizations, places and other names, each with its canonical form.

The canonical form is the fullest name of the same entity in the article, so that
"Lopez Obrador" reads "Andres Manuel Lopez Obrador" when the article names him in full.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .record import Entity, EntityLabel

LABELS: dict[str, EntityLabel] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
}

# Titles and honorifics that may start a name span but are not part of the name.
HONORIFICS = frozenset(
    ["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen", "sen.", "rep", "rep.", "gov", "gov.", "president", "senator"]
)


def name_words(text: str) -> tuple[str, ...]:
    words = [w.strip(".,'’\"").lower() for w in text.split()]
    words = [w for w in words if w and w not in HONORIFICS]
    if words and words[-1] in ("'s", "s"):
        words.pop()
    return tuple(words)


def _is_part_of(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """True when the short name's words appear in order within the full name ("Lopez Obrador")."""
    if not short or len(short) >= len(full):
        return False
    n = len(short)
    return any(full[i : i + n] == short for i in range(len(full) - n + 1)) or (
        n == 1 and short[0] == full[-1]
    )


def canonical_names(spans: list[Span]) -> dict[int, str]:
    """Map each span's index to the fullest name in the article that it is part of."""
    keyed = [(span.label_, name_words(span.text), span.text) for span in spans]
    result: dict[int, str] = {}
    for i, (label, words, text) in enumerate(keyed):
        best_text, best_len = text, len(words)
        for other_label, other_words, other_text in keyed:
            if other_label != label or len(other_words) <= best_len:
                continue
            if _is_part_of(words, other_words):
                best_text, best_len = other_text, len(other_words)
        result[i] = best_text
    return result


def clean_span(span: Span) -> Span:
    """Drop a possessive ending ("Trump's" -> "Trump") and surrounding punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s", "'")):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return Span(doc, start, end, label=span.label_) if end > start else span


def find_entities(doc: Doc) -> tuple[Entity, ...]:
    spans = [clean_span(ent) for ent in doc.ents if ent.label_ in LABELS]
    canon = canonical_names(spans)
    return tuple(
        Entity(
            id=f"e{i + 1}",
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            label=LABELS[span.label_],
            canonical=canon[i],
        )
        for i, span in enumerate(spans)
    )
