"""Throughput of the English pipeline and of each onrecord stage, on one core.

    .venv/bin/python bench/bench_pipeline.py [--data DIR] [--limit N]

Parses the PolNeAR dev article texts (news) with the bundled spaCy pipeline, then runs
each stage after it on the same Docs, and prints words/s for the bare spaCy pipeline and
for the whole of `onrecord.extract`, plus each stage's share of the total time. All
numbers come from the same run, so the ratios hold across machines better than the
absolute rates.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from timed_parse import parse_timed  # noqa: E402

from onrecord import entities, quantities, quotes, sources, timex  # noqa: E402
from onrecord.pipeline import load  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.txt"))[: args.limit or None]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load()
    nlp(texts[0])  # warm up

    # the span model is counted in the quote stage (timed_parse.py)
    docs, spacy_s, span_model_s = parse_timed(nlp, texts)
    n_words = sum(1 for doc in docs for t in doc if not t.is_space)

    stage_s = {
        "entities": 0.0,
        "quotes+sources": span_model_s,
        "quantities": 0.0,
        "times": 0.0,
    }
    for doc in docs:
        t0 = time.perf_counter()
        ents = entities.find_entities(doc)
        t1 = time.perf_counter()
        sources.attribute(doc, quotes.find_quotes(doc), ents)
        t2 = time.perf_counter()
        quantities.find_quantities(doc)
        t3 = time.perf_counter()
        timex.find_times(doc, None)
        t4 = time.perf_counter()
        stage_s["entities"] += t1 - t0
        stage_s["quotes+sources"] += t2 - t1
        stage_s["quantities"] += t3 - t2
        stage_s["times"] += t4 - t3
    total_s = spacy_s + sum(stage_s.values())
    result = {
        "articles": len(texts),
        "words": n_words,
        "spacy_words_per_second": n_words / (spacy_s + span_model_s),
        "spacy_without_span_model_words_per_second": n_words / spacy_s,
        "span_model_share_of_time": span_model_s / (spacy_s + sum(stage_s.values())),
        "onrecord_words_per_second": n_words / total_s,
        "share_of_time": {
            "spacy (without the span model)": spacy_s / total_s,
            **{name: s / total_s for name, s in stage_s.items()},
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(texts)} articles, {n_words:,} words, one core")
    print(f"bare spaCy pipeline   {result['spacy_words_per_second']:>10,.0f} words/s")
    print(
        f"  without span model  {result['spacy_without_span_model_words_per_second']:>10,.0f}"
        " words/s"
    )
    print(f"onrecord.extract      {result['onrecord_words_per_second']:>10,.0f} words/s")
    for name, share in result["share_of_time"].items():
        print(f"  {name:<30} {100 * share:5.1f}% of the time")
    span_share = 100 * result["span_model_share_of_time"]
    print(f"  (quotes+sources includes the span model: {span_share:.1f}%)")


if __name__ == "__main__":
    main()
