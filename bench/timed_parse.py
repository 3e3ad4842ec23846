"""Parse texts with the bundled pipeline, timing the attribution span model on its own.

The span model runs inside spaCy but belongs to the quote stage, so the benchmarks time the
rest of the pipeline without it, then its components on the parsed Docs, and count it there.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.attributions import span_model_components

BATCH_SIZE = 16


def parse_timed(nlp: Language, texts: Iterable[str]) -> tuple[list[Doc], float, float]:
    """The parsed Docs, the seconds spaCy took without the span model, and the seconds the
    span model took."""
    span_model = span_model_components(nlp)
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE, disable=span_model))
    spacy_s = time.perf_counter() - started
    started = time.perf_counter()
    for name in span_model:
        docs = list(nlp.get_pipe(name).pipe(docs, batch_size=BATCH_SIZE))
    return docs, spacy_s, time.perf_counter() - started
