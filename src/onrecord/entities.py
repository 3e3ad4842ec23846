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
    "mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. president senator".split()
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
    """Map each span's index to the fullest name in the article that it is part of.

    Labels are not compared: a small model may tag "Ariel G. Ruiz Soto" ORG and
    "Ruiz Soto" PERSON, and they are still one name. Places are kept apart from the rest
    ("Washington" the city is not "George Washington").
    """
    keyed = [(span.label_ in ("LOC", "GPE"), name_words(span.text), span.text) for span in spans]
    result: dict[int, str] = {}
    for i, (is_place, words, text) in enumerate(keyed):
        best_text, best_len = text, len(words)
        for other_is_place, other_words, other_text in keyed:
            if other_is_place != is_place or len(other_words) <= best_len:
                continue
            if _is_part_of(words, other_words):
                best_text, best_len = other_text, len(other_words)
        result[i] = best_text
    return result


LABEL_PREFERENCE: tuple[EntityLabel, ...] = ("PERSON", "ORG", "LOC", "MISC")


def consistent_labels(labels: list[EntityLabel], canon: dict[int, str]) -> list[EntityLabel]:
    """Give every mention of one name the label most of its mentions have.

    Ties go to the label earlier in LABEL_PREFERENCE: a person named in full once as ORG
    and once, shorter, as PERSON is a person.
    """
    votes: dict[str, dict[EntityLabel, int]] = {}
    for i, label in enumerate(labels):
        counts = votes.setdefault(canon[i], {})
        counts[label] = counts.get(label, 0) + 1
    winner = {
        name: max(counts, key=lambda lab: (counts[lab], -LABEL_PREFERENCE.index(lab)))
        for name, counts in votes.items()
    }
    return [winner[canon[i]] for i in range(len(labels))]


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
    labels = consistent_labels([LABELS[span.label_] for span in spans], canon)
    return tuple(
        Entity(
            id=f"e{i + 1}",
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            label=labels[i],
            canonical=canon[i],
        )
        for i, span in enumerate(spans)
    )
