"""Choose the span model's run-time score thresholds on the train slice, not on dev.

    python training/tune_attributions.py ../shared/data/polnear/train PIPELINE

The train slice is every tenth PolNeAR train article (training/attribution_corpus.py holds
it out of training). Its articles are parsed once with the pipeline (`fast` or `accurate`);
then the quote and source stages run again for each setting of
``onrecord.attributions.CONFIDENT`` and ``FALLBACK``, and the exact F1 of content, cue and
source is printed for each, best (by their mean) last.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from attribution_corpus import TRAIN_SLICE_EVERY  # noqa: E402

from onrecord import attributions  # noqa: E402
from onrecord.evaluation.brat import list_corpus  # noqa: E402
from onrecord.evaluation.quotes import (  # noqa: E402
    PredictedQuote,
    load_articles,
    predictions_from_record,
    score_articles,
)
from onrecord.pipeline import load, make_article, record_from_doc  # noqa: E402

GRID = {
    "content": (0.4, 0.5, 0.6, 0.7),
    "cue": (0.2, 0.3, 0.4),
    "source": (0.2, 0.3, 0.4),
}


def main(train_dir: Path, pipeline: str) -> None:
    corpus = [a for i, a in enumerate(list_corpus(train_dir)) if i % TRAIN_SLICE_EVERY == 0]
    articles = load_articles(corpus)
    nlp = load(pipeline)
    docs = list(nlp.pipe([a.text for a in articles], batch_size=8))
    print(f"{len(articles)} train-slice articles parsed with {pipeline}", flush=True)

    def predict(texts: Sequence[str]) -> Iterator[list[PredictedQuote]]:
        for text, doc in zip(texts, docs, strict=True):
            record = record_from_doc(doc, make_article(text), stages=("entities", "quotes"))
            yield predictions_from_record(record)

    results = []
    for content, cue, source in itertools.product(*GRID.values()):
        attributions.CONFIDENT.update(CONTENT=content, CUE=cue, SOURCE=source)
        scores = score_articles(articles, predict).result()
        f1 = [scores[role]["exact"]["f1"] for role in ("content", "cue", "source")]
        results.append((sum(f1) / 3, (content, cue, source), f1))
        print(f"content {content} cue {cue} source {source}: " + " ".join(f"{x:.4f}" for x in f1))
    best = max(results)
    print(f"best (mean exact F1 {best[0]:.4f}): CONFIDENT content/cue/source = {best[1]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
