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


#: A name longer than this many words is not looked up as part of a longer one, which
#: bounds the index at MAX_PART_WORDS keys per word of each name (cost linear in the text).
MAX_PART_WORDS = 8


def canonical_names(spans: list[Span]) -> dict[int, str]:
    """Map each span's index to the fullest name in the article that it is part of.

    A short name is part of a longer one when its words appear in order within it
    ("Lopez Obrador" in "Andres Manuel Lopez Obrador"); among the longest such names the
    first in the article wins. Labels are not compared: a small model may tag "Ariel G.
    Ruiz Soto" ORG and "Ruiz Soto" PERSON, and they are still one name. Places are kept
    apart from the rest ("Washington" the city is not "George Washington").

    Every run of consecutive words of every name is indexed once, so the cost grows with
    the number of mentions, not with its square.
    """
    keyed = [(span.label_ in ("LOC", "GPE"), name_words(span.text), span.text) for span in spans]
    fullest = _fullest_names(keyed)
    result: dict[int, str] = {}
    for i, (is_place, words, text) in enumerate(keyed):
        best = fullest.get((is_place, words))
        result[i] = best[1] if best is not None and best[0] > len(words) else text
    return result


def _fullest_names(
    keyed: list[tuple[bool, tuple[str, ...], str]],
) -> dict[tuple[bool, tuple[str, ...]], tuple[int, str]]:
    """For each run of words inside some name: (length, text) of the first longest name."""
    fullest: dict[tuple[bool, tuple[str, ...]], tuple[int, str]] = {}
    seen: set[tuple[bool, tuple[str, ...]]] = set()
    for is_place, words, text in keyed:
        if (is_place, words) in seen:
            continue  # a later mention of the same words never wins a tie
        seen.add((is_place, words))
        n = len(words)
        for size in range(1, min(n - 1, MAX_PART_WORDS) + 1):
            for i in range(n - size + 1):
                key = (is_place, words[i : i + size])
                best = fullest.get(key)
                if best is None or best[0] < n:
                    fullest[key] = (n, text)
    return fullest


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
