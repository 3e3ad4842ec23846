"""Direct quotes: onrecord's quote+source stages against textacy's direct_quotations.

    .venv/bin/python bench/bench_quotes.py [--data DIR] [--limit N] [--json]

Parses the PolNeAR dev articles once with the bundled spaCy pipeline (one core), then on
those same Docs times (a) ``textacy.extract.triples.direct_quotations`` and (b) our quote
and source stages, and scores both with the scorer of ``onrecord eval quotes`` against the
gold *direct* quotes only: gold attributions whose content lies inside quotation marks,
and, on the predicted side, the quotes passing the same text rule (docs/evaluation.md).
It also times the stages after spaCy with and without the quote stage, and prints the
full pipeline's throughput both ways, their ratio, and the quote+source stages' share of
the full pipeline's time (target: at most 30%). Speeds are compared only within one run
(ratios hold across machines; docs/s do not). textacy needs paired quotation marks in the
whole document and finds nothing in one that has an odd number; the count is printed.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from spacy.tokens import Doc, Token  # noqa: E402
from timed_parse import parse_timed  # noqa: E402

from onrecord import entities, quotes, sources  # noqa: E402
from onrecord.errors import OnrecordError  # noqa: E402
from onrecord.evaluation.brat import GoldSet, list_corpus  # noqa: E402
from onrecord.evaluation.quotes import (  # noqa: E402
    LoadedArticle,
    PredictedQuote,
    QuoteScorer,
    TextIndex,
    load_articles,
    predictions_from_quotes,
)
from onrecord.pipeline import STAGES, load, make_article, record_from_doc  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR-layout folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    try:
        articles = load_articles(list_corpus(args.data)[: args.limit or None])
    except OnrecordError as exc:
        raise SystemExit(f"bench_quotes: error: {exc}") from None
    result = run(articles)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


def run(articles: Sequence[LoadedArticle]) -> dict[str, Any]:
    nlp = load()
    nlp(articles[0].text)  # warm up
    # the span model is counted in the quote stage (timed_parse.py)
    docs, spacy_s, span_model_s = parse_timed(nlp, (a.text for a in articles))
    n = len(docs)

    textacy = TextacyQuotes()
    systems: dict[str, dict[str, Any]] = {}
    for name, extract in (("textacy", textacy), ("onrecord", OnrecordQuotes())):
        predictions, seconds = timed_over(extract, docs)
        systems[name] = {
            **direct_scores(articles, predictions),
            "seconds": seconds,
            "docs_per_second": n / seconds if seconds else 0.0,
        }
    systems["textacy"]["docs_skipped_unbalanced_quotes"] = textacy.gave_up

    without = [s for s in STAGES if s != "quotes"]
    stages_s = {
        "without_quotes": time_stages(docs, articles, without),
        "full": time_stages(docs, articles, STAGES),
    }
    stages_s["full"] += span_model_s
    pipeline = {
        name: {"docs_per_second": n / (spacy_s + s), "seconds": spacy_s + s}
        for name, s in stages_s.items()
    }
    # The quote+source stages (the span model and the rules) timed on their own, over the
    # full pipeline's time: steadier than the difference of two whole runs on a busy machine.
    quote_s = span_model_s + systems["onrecord"]["seconds"]
    quote_share = quote_s / pipeline["full"]["seconds"]
    return {
        "articles": n,
        "words": sum(1 for doc in docs for t in doc if not t.is_space),
        "gold_direct_quotes": systems["onrecord"]["gold_direct_quotes"],
        "systems": systems,
        "spacy": {"docs_per_second": n / spacy_s, "seconds": spacy_s},
        "span_model": {
            "docs_per_second": n / span_model_s if span_model_s else 0.0,
            "seconds": span_model_s,
        },
        "pipeline": pipeline,
        "ratios": {
            "full_over_without_quotes_speed": (
                pipeline["full"]["docs_per_second"] / pipeline["without_quotes"]["docs_per_second"]
            ),
            "quote_stage_share_of_pipeline_time": quote_share,
            "textacy_over_spacy_speed": systems["textacy"]["docs_per_second"] * spacy_s / n,
            "onrecord_quotes_over_spacy_speed": systems["onrecord"]["docs_per_second"]
            * spacy_s
            / n,
        },
    }


class OnrecordQuotes:
    """Our quote and source stages, as the pipeline runs them. Their input, the entities,
    comes from an earlier stage: found in ``prepare``, which is not timed."""

    def __init__(self) -> None:
        self._entities: dict[int, Any] = {}

    def prepare(self, doc: Doc) -> None:
        self._entities[id(doc)] = entities.find_entities(doc)

    def __call__(self, doc: Doc) -> list[PredictedQuote]:
        found, _ = sources.attribute(doc, quotes.find_quotes(doc), self._entities[id(doc)])
        return predictions_from_quotes(found)


class TextacyQuotes:
    """textacy's rule-based direct quotations. It gives up on a document whose quotation
    marks do not pair up (ValueError); that counts here as finding nothing."""

    def __init__(self) -> None:
        from textacy.extract.triples import direct_quotations

        self._direct_quotations = direct_quotations
        self.gave_up = 0

    def prepare(self, doc: Doc) -> None:
        pass

    def __call__(self, doc: Doc) -> list[PredictedQuote]:
        try:
            triples = list(self._direct_quotations(doc))
        except ValueError:
            self.gave_up += 1
            return []
        return [
            PredictedQuote(
                content=((t.content.start_char, t.content.end_char),),
                cue=token_pieces(t.cue),
                speaker=token_pieces(t.speaker),
            )
            for t in triples
        ]


def token_pieces(tokens: Sequence[Token]) -> tuple[tuple[int, int], ...] | None:
    """Character pieces of a list of tokens, adjacent tokens merged into one piece."""
    pieces: list[tuple[int, int]] = []
    for token in sorted(tokens, key=lambda t: t.i):
        start, end = token.idx, token.idx + len(token.text)
        if pieces and token.i > 0 and token.doc[token.i - 1] in tokens:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return tuple(pieces) or None


def timed_over(
    extract: OnrecordQuotes | TextacyQuotes, docs: Sequence[Doc]
) -> tuple[list[list[PredictedQuote]], float]:
    for doc in docs:
        extract.prepare(doc)
    predictions = []
    started = time.perf_counter()
    for doc in docs:
        predictions.append(extract(doc))
    return predictions, time.perf_counter() - started


def direct_scores(
    articles: Sequence[LoadedArticle], predictions: Sequence[list[PredictedQuote]]
) -> dict[str, Any]:
    """The scores of `onrecord eval quotes`, with gold and predictions cut to direct quotes."""
    scorer = QuoteScorer()
    for article, predicted in zip(articles, predictions, strict=True):
        index = TextIndex(article.text)
        gold_sets = [
            GoldSet(g.path, tuple(a for a in g.attributions if index.is_direct(a.content)))
            for g in article.gold_sets
        ]
        direct = [q for q in predicted if index.is_direct(q.content)]
        scorer.add_article(article.name, article.text, gold_sets, direct)
    scores = scorer.result()
    return {
        "content": scores["content"],
        "cue": scores["cue"],
        "source": scores["source"],
        "speaker_accuracy": scores["speaker_accuracy"],
        "gold_direct_quotes": scorer.counts["gold_quotes"],
        "predicted_direct_quotes": scorer.counts["predicted_quotes"],
    }


def time_stages(
    docs: Sequence[Doc], articles: Sequence[LoadedArticle], stages: Iterable[str]
) -> float:
    started = time.perf_counter()
    for doc, article in zip(docs, articles, strict=True):
        record_from_doc(doc, make_article(article.text), stages)
    return time.perf_counter() - started


def print_report(result: dict[str, Any]) -> None:
    systems = result["systems"]
    print(
        f"{result['articles']} articles, {result['words']:,} words; "
        f"{result['gold_direct_quotes']} gold direct quotes (all gold sets); one core"
    )
    print()
    print("direct quotes vs gold direct quotes        textacy   onrecord")
    for role in ("content", "cue", "source"):
        for criterion in ("exact", "overlap"):
            row = [systems[s][role][criterion]["f1"] for s in ("textacy", "onrecord")]
            print(f"  {role:<8} {criterion:<8} F1 {'':<18}{row[0]:>7.3f}   {row[1]:>8.3f}")
    row = [systems[s]["speaker_accuracy"] for s in ("textacy", "onrecord")]
    print(f"  speaker accuracy {'':<23}{row[0]:>7.3f}   {row[1]:>8.3f}")
    row = [systems[s]["predicted_direct_quotes"] for s in ("textacy", "onrecord")]
    print(f"  predicted direct quotes {'':<16}{row[0]:>7}   {row[1]:>8}")
    row = [systems[s]["docs_per_second"] for s in ("textacy", "onrecord")]
    print(f"  docs/s (quote extraction only) {'':<9}{row[0]:>7,.0f}   {row[1]:>8,.0f}")
    skipped = systems["textacy"]["docs_skipped_unbalanced_quotes"]
    print(f"  (textacy gave up on {skipped} docs with unpaired quotation marks)")
    print()
    ratios = result["ratios"]
    print(f"spaCy pipeline, no span model {result['spacy']['docs_per_second']:>8.2f} docs/s")
    print(f"attribution span model        {result['span_model']['docs_per_second']:>8.2f} docs/s")
    for name, label in (("without_quotes", "without quote stage"), ("full", "full pipeline")):
        print(f"onrecord, {label:<20}{result['pipeline'][name]['docs_per_second']:>8.2f} docs/s")
    print(f"full / without quote stage speed  {ratios['full_over_without_quotes_speed']:.3f}")
    share = ratios["quote_stage_share_of_pipeline_time"]
    print(
        f"quote+source stages (span model and rules): {100 * share:.1f}% of the full "
        "pipeline's time (target <= 30%)"
    )


if __name__ == "__main__":
    main()
