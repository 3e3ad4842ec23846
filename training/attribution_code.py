"""Training-time code for the attribution span model (`spacy train --code` loads this file).

The reader yields Examples whose *predicted* side keeps the parse stored by
training/attribution_corpus.py (the span model's tok2vec reads tags and dependency labels,
as it does at run time, when it runs after our parser), without the gold spans.

While training (``candidates = true``), the span categorizer learns from candidate spans
laid on the predicted Doc: every pairing of a gold span start with a gold span end (what a
perfect span finder proposes), starts and ends moved by one or two tokens, and random
tokens, so that it learns to reject wrong boundaries and wrong pairings. At evaluation
(``candidates = false``) the span finder proposes the candidates, as at run time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.util import registry

from onrecord.attributions import SPANS_KEY  # also registers the suggester
from onrecord.nlp import encoder as _encoder  # noqa: F401  (registers onrecord_encoder)

#: Where the reader lays training candidates (read by onrecord.union_spans_suggester.v1).
TRAINING_KEY = "attr_training_candidates"


@registry.readers("onrecord.parsed_corpus.v1")
def create_parsed_corpus(
    path: Path, candidates: bool, max_length: int, random_per_doc: int
) -> Callable[[Language], Iterator[Example]]:
    def read(nlp: Language) -> Iterator[Example]:
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        rng = random.Random()
        for reference in docs:
            predicted = reference.copy()
            for key in list(predicted.spans):
                del predicted.spans[key]
            if candidates:
                predicted.spans[TRAINING_KEY] = list(
                    training_candidates(
                        predicted, reference.spans[SPANS_KEY], max_length, random_per_doc, rng
                    )
                )
            yield Example(predicted, reference)

    return read


def training_candidates(
    doc: Doc, gold: Iterable[Span], max_length: int, random_per_doc: int, rng: random.Random
) -> Iterator[Span]:
    gold = list(gold)
    n = len(doc)
    pairs: set[tuple[int, int]] = set()
    starts = {span.start for span in gold}
    ends = {span.end for span in gold}
    pairs.update((s, e) for s in starts for e in ends if 0 < e - s <= max_length)
    for span in gold:  # near misses: one boundary off by one or two tokens
        for shift in (-2, -1, 1, 2):
            pairs.add((span.start + shift, span.end))
            pairs.add((span.start, span.end + shift))
    for _ in range(random_per_doc):
        start = rng.randrange(n)
        pairs.add((start, start + rng.randint(1, max_length)))
    for start, end in sorted(pairs):
        if 0 <= start < end <= n and end - start <= max_length:
            yield doc[start:end]


@registry.callbacks("onrecord.weights_from.v1")
def create_weights_from(path: Path) -> Callable[[Language], Language]:
    """After initialization, copy each component's weights from an earlier trained pipeline
    (the first round), keeping this config's settings (suggester, thresholds)."""

    def copy_weights(nlp: Language) -> Language:
        import spacy

        base = spacy.load(path)
        for name, pipe in nlp.pipeline:
            if name in base.pipe_names and hasattr(pipe, "model"):
                pipe.model.from_bytes(base.get_pipe(name).model.to_bytes())
        return nlp

    return copy_weights
