"""Learn the score that pairs a cue with its content and its source (issue 10, item 3).

    python training/learn_pairing.py ../shared/data/polnear/train PIPELINE OUT.json [CACHE]

PolNeAR train is parsed once with the pipeline (`fast` by default: the pairing sees the
span model's own spans, as at run time) and kept in CACHE (a DocBin, default
/tmp/onrecord-pairing-PIPELINE.spacy) so a second run only fits. For every predicted cue
that overlaps a gold cue, each candidate the run time would look at (the contents and
sources of its paragraph near it, onrecord.attribution.pairing) is a row, labelled 1 when
it overlaps a content (or source) of that cue in the annotator's file; every annotator's
file of an article gives its own rows. Two logistic regressions (numpy, L2) are fitted on
the articles outside the train slice (every TRAIN_SLICE_EVERY-th article); the acceptance
thresholds are then chosen on the train slice by the exact F1 of the whole quotes stage,
and learned pairing is switched on only if it beats nearest-pairing there. Dev is never
read.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from attribution_corpus import TRAIN_SLICE_EVERY  # noqa: E402

from onrecord import attributions  # noqa: E402
from onrecord.attribution import pairing  # noqa: E402
from onrecord.evaluation.brat import GoldSet, list_corpus  # noqa: E402
from onrecord.evaluation.quotes import (  # noqa: E402
    LoadedArticle,
    PredictedQuote,
    load_articles,
    predictions_from_record,
    score_articles,
)
from onrecord.pipeline import load, make_article, record_from_doc  # noqa: E402

#: Acceptance thresholds tried on the train slice (probability of the best candidate);
#: None keeps nearest-pairing for contents and learns the sources only.
CONTENT_THRESHOLDS = (None, 0.02, 0.05, 0.1, 0.2, 0.3)
SOURCE_THRESHOLDS = (0.01, 0.02, 0.05, 0.1, 0.2)
L2 = 1.0
#: "logistic": each candidate scored on its own; "choice": a cue's candidates compete.
FORMS = ("logistic", "choice")
#: The label of a candidate that overlaps the gold span without matching it exactly: the
#: right pairing with the wrong boundaries (scored exactly, it counts as an error).
OVERLAP_LABEL = {
    "content": float(os.environ.get("CONTENT_OVERLAP_LABEL", "0")),
    "source": float(os.environ.get("SOURCE_OVERLAP_LABEL", "0")),
}


def parsed(articles: Sequence[LoadedArticle], pipeline: str, cache: Path) -> list[Doc]:
    nlp = load(pipeline)
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles):
            return docs
    docs = list(nlp.pipe([a.text for a in articles], batch_size=8))
    bin_ = DocBin(store_user_data=True)
    for doc in docs:
        pairing.mark(doc, pipeline)
        doc.user_data.pop(("._.", pairing.ENCODER_EXTENSION, None, None), None)  # too big
        bin_.add(doc)
    bin_.to_disk(cache)
    return docs


# --- rows ------------------------------------------------------------------------------


def token_pieces(doc: Doc, pieces: Sequence[tuple[int, int]] | None) -> frozenset[int]:
    tokens: set[int] = set()
    for start, end in pieces or ():
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.update(t.i for t in span if not (t.is_punct or t.is_space))
    return frozenset(tokens)


def _label(doc: Doc, span: attributions.LearnedSpan, gold: frozenset[int], overlap: float) -> float:
    """1 for the gold words exactly, ``overlap`` for at least half of the words of each
    (the scorer's overlap match), else 0."""
    own = {i for i in range(span.start, span.end) if not (doc[i].is_punct or doc[i].is_space)}
    if not own or not gold:
        return 0.0
    if own == gold:
        return 1.0
    shared = len(own & gold)
    return overlap if shared and shared >= 0.5 * max(len(own), len(gold)) else 0.0


def rows(doc: Doc, gold_sets: Sequence[GoldSet]) -> Iterator[tuple[str, int, list[float], float]]:
    """(kind, group, features, label) for every candidate of every predicted cue that
    overlaps a gold cue, once per annotator's file; a group is one cue's candidates of one
    kind in one file."""
    model = attributions.read_model_spans(doc)
    if model is None:
        return
    context = pairing.Context(doc, model)
    for gold in gold_sets:
        golds = [
            (
                token_pieces(doc, a.cue),
                token_pieces(doc, a.content),
                token_pieces(doc, a.source),
            )
            for a in gold.attributions
            if a.cue
        ]
        for number, cue in enumerate(model.confident[attributions.CUE]):
            group = 2 * (number + 10_000 * gold_sets.index(gold))
            cue_tokens = set(range(cue.start, cue.end))
            mine = [g for g in golds if cue_tokens & g[0]]
            if not mine:
                continue
            contents = context.content_candidates(cue)
            overlapping = [max(_label(doc, c, g[1], 1.0) for g in mine) for c in contents]
            labels = [
                max(_label(doc, c, g[1], OVERLAP_LABEL["content"]) for g in mine) for c in contents
            ]
            for row, label in zip(
                pairing.content_rows(context, cue, contents), labels, strict=True
            ):
                yield "content", group, row, label
            chosen = [c for c, label in zip(contents, overlapping, strict=True) if label]
            sources = context.source_candidates(cue, chosen)
            for source, row in zip(
                sources, pairing.source_rows(context, cue, chosen, sources), strict=True
            ):
                label = max(_label(doc, source, g[2], OVERLAP_LABEL["source"]) for g in mine)
                yield "source", group + 1, row, label


def fit(features: np.ndarray, labels: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias, feature 0, is not
    regularised)."""
    weights = np.zeros(features.shape[1])
    penalty = np.full(features.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(features @ weights)))
        gradient = features.T @ (p - labels) + penalty * weights
        hessian = (features * (p * (1 - p))[:, None]).T @ features + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-6:
            break
    return weights


def fit_choice(
    features: np.ndarray, labels: np.ndarray, groups: np.ndarray, l2: float = L2
) -> np.ndarray:
    """A conditional logit by Newton's method: in each group (one cue's candidates) the
    candidates and "none of them" (score 0) compete; the target is the gold candidates
    (shared equally) or "none" where the group has no gold one."""
    _, group = np.unique(groups, return_inverse=True)
    n_groups = int(group.max()) + 1
    totals = np.bincount(group, weights=labels, minlength=n_groups)
    target = labels / np.maximum(totals, 1.0)[group]
    weights = np.zeros(features.shape[1])
    penalty = np.full(features.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        scores = np.clip(features @ weights, -30, 30)
        exps = np.exp(scores)
        p = exps / (1.0 + np.bincount(group, weights=exps, minlength=n_groups))[group]
        gradient = features.T @ (p - target) + penalty * weights
        means = np.zeros((n_groups, features.shape[1]))
        np.add.at(means, group, features * p[:, None])
        hessian = (features * p[:, None]).T @ features - means.T @ means + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-6:
            break
    return weights


# --- choosing on the train slice -------------------------------------------------------


def slice_scores(articles: Sequence[LoadedArticle], docs: Sequence[Doc]) -> list[float]:
    def predict(texts: Sequence[str]) -> Iterator[list[PredictedQuote]]:
        for text, doc in zip(texts, docs, strict=True):
            record = record_from_doc(doc, make_article(text), stages=("entities", "quotes"))
            yield predictions_from_record(record)

    scorer = score_articles(articles, predict)
    scores = scorer.result()
    f1 = [scores[role]["exact"]["f1"] for role in ("source", "cue", "content")]
    return [*f1, scores["speaker_accuracy"]]


def main(train_dir: Path, pipeline: str, out: Path, cache: Path) -> None:
    articles = load_articles(list_corpus(train_dir))
    docs = parsed(articles, pipeline, cache)
    print(f"{len(docs)} train articles parsed with {pipeline}", flush=True)
    held = [i % TRAIN_SLICE_EVERY == 0 for i in range(len(articles))]
    table: dict[str, tuple[list[list[float]], list[float], list[int]]] = {
        "content": ([], [], []),
        "source": ([], [], []),
    }
    for number, (article, doc, in_slice) in enumerate(zip(articles, docs, held, strict=True)):
        if in_slice:
            continue
        for kind, group, row, label in rows(doc, article.gold_sets):
            table[kind][0].append(row)
            table[kind][1].append(label)
            table[kind][2].append(group + number * 100_000_000)
    slice_articles = [a for a, h in zip(articles, held, strict=True) if h]
    slice_docs = [d for d, h in zip(docs, held, strict=True) if h]
    pairing.use(None)
    nearest = slice_scores(slice_articles, slice_docs)
    print("nearest pairing, train slice source/cue/content F1, speaker acc: " + _fmt(nearest))
    best: tuple[float, dict[str, Any], list[float]] | None = None
    for form in FORMS:
        learned: dict[str, Any] = {"pipeline": pipeline, "form": form}
        for kind, (x, y, groups) in table.items():
            features, labels = np.asarray(x), np.asarray(y, dtype=float)
            if form == "choice":
                weights = fit_choice(features, labels, np.asarray(groups))
            else:
                weights = fit(features, labels)
            names = pairing.CONTENT_FEATURES if kind == "content" else pairing.SOURCE_FEATURES
            learned[kind] = dict(zip(names, (round(float(w), 4) for w in weights), strict=True))
            print(f"{form}, {kind}: {len(y)} candidates, {sum(y)} gold", flush=True)
            for name, w in zip(names, weights, strict=True):
                print(f"  {name:28s} {w:+.3f}")
        for content_at in CONTENT_THRESHOLDS:
            for source_at in SOURCE_THRESHOLDS:
                thresholds = {"content": content_at, "source": source_at}
                pairing.use({**learned, "thresholds": thresholds})
                got = slice_scores(slice_articles, slice_docs)
                print(f"{form}, content >= {content_at}, source >= {source_at}: " + _fmt(got))
                if best is None or sum(got[:3]) > best[0]:
                    best = (sum(got[:3]), {**learned, "thresholds": thresholds}, got)
    assert best is not None
    on = best[0] > sum(nearest[:3])
    learned = best[1]
    learned["enabled"] = on
    learned["train_slice"] = {
        "nearest": [round(x, 4) for x in nearest],
        "learned": [round(x, 4) for x in best[2]],
        "columns": ["source_f1", "cue_f1", "content_f1", "speaker_accuracy"],
    }
    out.write_text(json.dumps(learned, indent=1) + "\n")
    print(f"learned pairing {'ON' if on else 'OFF'}; written to {out}")


def _fmt(values: Sequence[float]) -> str:
    return " ".join(f"{v:.4f}" for v in values)


if __name__ == "__main__":
    pipeline_name = sys.argv[2] if len(sys.argv) > 2 else "fast"
    main(
        Path(sys.argv[1]),
        pipeline_name,
        Path(sys.argv[3]),
        Path(sys.argv[4] if len(sys.argv) > 4 else f"/tmp/onrecord-pairing-{pipeline_name}.spacy"),
    )
