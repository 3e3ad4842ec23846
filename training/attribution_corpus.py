"""Build the attribution-span training corpus from PolNeAR (train and dev).

    python training/attribution_corpus.py ../shared/data/polnear training/corpus

Each article is parsed once with onrecord's own pipeline (tagger and parser: the span model
uses their tags and dependency labels as features), and the gold Source, Cue and Content
spans of each of its annotation files (one Doc per annotator's file; the dev split and the
train slice keep the first file) are stored on the Doc under ``spans["attr"]`` (labelled,
for the span categorizer) and ``spans["attr_candidates"]`` (for the span finder, which
learns where such spans start and end). The parsed Docs are written as DocBin files that
``training/attribution_code.py`` reads back with the parse kept on the predicted side.
Written into training/corpus/ (ignored by git); the PolNeAR data is never copied into the
repository.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span, Token

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.attributions import (  # noqa: E402
    CANDIDATES_KEY,
    SPANS_KEY,
    span_model_components,
)
from onrecord.evaluation.brat import list_corpus, read_ann, read_text  # noqa: E402
from onrecord.pipeline import load  # noqa: E402

LABELS = {"content": "CONTENT", "cue": "CUE", "source": "SOURCE"}
#: Components that do not touch tags or the parse, skipped to build the corpus faster
#: (and the span model itself, when the installed pipeline already has one).
NOT_NEEDED = ("ner", "trainable_lemmatizer", "morphologizer")


def token_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """The tokens a character span touches, without whitespace tokens at either end."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    first, last = span.start, span.end
    while first < last and doc[first].is_space:
        first += 1
    while last > first and doc[last - 1].is_space:
        last -= 1
    # Punctuation at either end is left out (the scorer ignores it, and the model then
    # learns boundaries on words): "“We will win,”" -> "We will win". A span of
    # punctuation alone (the ":" of a transcript turn) stays as it is.
    words_first, words_last = first, last
    while words_first < words_last and _edge_punct(doc[words_first]):
        words_first += 1
    while words_last > words_first and _edge_punct(doc[words_last - 1]):
        words_last -= 1
    if words_last > words_first:
        first, last = words_first, words_last
    return Span(doc, first, last, label=label) if last > first else None


def _edge_punct(token: Token) -> bool:
    return token.is_punct or token.is_space


def gold_spans(doc: Doc, ann_path: Path) -> list[Span]:
    gold = read_ann(ann_path, len(doc.text))
    found: dict[tuple[int, int, str], Span] = {}
    for attribution in gold.attributions:
        for role, label in LABELS.items():
            pieces = getattr(attribution, role) or ()
            for start, end in pieces:
                span = token_span(doc, start, end, label)
                if span is not None:
                    found[(span.start, span.end, label)] = span
    return sorted(found.values(), key=lambda s: (s.start, s.end, s.label_))


#: Every TRAIN_SLICE_EVERY-th train article is held out of training into the train slice,
#: on which checkpoints and run-time thresholds are chosen, so that dev stays an honest
#: estimate.
TRAIN_SLICE_EVERY = 10


def build(
    split_dir: Path,
    out: Path,
    *,
    every_annotator: bool = False,
    keep: Callable[[int], bool] = lambda i: True,
) -> tuple[int, int, int]:
    articles = [a for i, a in enumerate(list_corpus(split_dir)) if keep(i)]
    texts = [read_text(a.text_path) for a in articles]
    nlp = load()
    skipped = [name for name in NOT_NEEDED if name in nlp.pipe_names]
    docs = nlp.pipe(texts, batch_size=8, disable=skipped + span_model_components(nlp))
    bin_ = DocBin(attrs=["ORTH", "TAG", "POS", "DEP", "HEAD", "SENT_START", "LEMMA"])
    n_spans = n_words = 0
    for article, doc in zip(articles, docs, strict=True):
        ann_paths = article.ann_paths if every_annotator else article.ann_paths[:1]
        for ann_path in ann_paths:
            annotated = doc.copy()
            spans = gold_spans(annotated, ann_path)
            annotated.spans[SPANS_KEY] = spans
            annotated.spans[CANDIDATES_KEY] = spans
            bin_.add(annotated)
            n_spans += len(spans)
            n_words += len(doc)
    bin_.to_disk(out)
    return len(articles), n_words, n_spans


def main() -> None:
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/polnear")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "training/corpus")
    out.mkdir(parents=True, exist_ok=True)
    splits = {
        "dev": (data / "dev", False, lambda i: True),
        "train": (data / "train", True, lambda i: i % TRAIN_SLICE_EVERY != 0),
        "trainslice": (data / "train", False, lambda i: i % TRAIN_SLICE_EVERY == 0),
    }
    for name, (split_dir, every_annotator, keep) in splits.items():
        n_docs, n_words, n_spans = build(
            split_dir, out / f"polnear-{name}.spacy", every_annotator=every_annotator, keep=keep
        )
        print(f"{name}: {n_docs} articles, {n_words} tokens, {n_spans} gold spans")


if __name__ == "__main__":
    main()
