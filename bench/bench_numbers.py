"""Cost of the numbers stages (quantities and times) against the bare spaCy pipeline.

    .venv/bin/python bench/bench_numbers.py [--data DIR] [--limit N] [--repeat R] [--json]

Parses the PolNeAR dev article texts once with the bundled spaCy pipeline (one core),
timing it; then, on those same parsed Docs, times ``onrecord.figures.find_quantities``
and ``onrecord.times.find_times`` (best of R runs each). Times are CPU seconds of this
process (``time.process_time``), so that other jobs on a shared machine do not skew the
ratio. The budget (the issue: both stages together at most 15% of the pipeline's time)
is checked as (quantities + times) / spaCy, measured in the same run on the same texts,
which holds across machines better than seconds do.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from spacy.tokens import Doc  # noqa: E402

from onrecord.figures import find_quantities  # noqa: E402
from onrecord.pipeline import load  # noqa: E402
from onrecord.times import find_times  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"
BUDGET = 0.15
#: PolNeAR has no publication dates in its texts; one fixed anchor for every article.
ANCHOR = dt.date(2016, 10, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with text/*.txt")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="best of R timings per stage")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    texts = read_texts(args.data, args.limit)
    result = run(texts, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


def read_texts(data: Path, limit: int) -> list[str]:
    folder = data / "text" if (data / "text").is_dir() else data
    paths = sorted(folder.glob("*.txt"))[: limit or None]
    if not paths:
        sys.exit(f"bench_numbers: no .txt files in {folder}")
    return [p.read_text(encoding="utf-8") for p in paths]


def run(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    nlp = load()
    nlp(texts[0])  # warm up
    started = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=16))
    spacy_s = time.process_time() - started

    quantities_s, n_quantities = best_of(repeat, docs, find_quantities)
    times_s, n_times = best_of(repeat, docs, lambda doc: find_times(doc, ANCHOR))
    both = quantities_s + times_s
    return {
        "articles": len(docs),
        "tokens": sum(len(d) for d in docs),
        "spacy_seconds": spacy_s,
        "quantities_seconds": quantities_s,
        "times_seconds": times_s,
        "quantities_found": n_quantities,
        "times_found": n_times,
        "quantities_ratio": quantities_s / spacy_s,
        "times_ratio": times_s / spacy_s,
        "numbers_ratio": both / spacy_s,
        "budget_ratio": BUDGET,
        "within_budget": both / spacy_s <= BUDGET,
    }


def best_of(repeat: int, docs: Sequence[Doc], stage: Callable[[Doc], tuple]) -> tuple[float, int]:
    best = float("inf")
    found = 0
    for _ in range(max(1, repeat)):
        started = time.process_time()
        found = sum(len(stage(doc)) for doc in docs)
        best = min(best, time.process_time() - started)
    return best, found


def print_report(result: dict[str, Any]) -> None:
    print(f"{result['articles']} articles, {result['tokens']:,} tokens")
    print(f"spaCy pipeline:  {result['spacy_seconds']:.2f} s")
    print(
        f"quantities:      {result['quantities_seconds']:.3f} s "
        f"({result['quantities_ratio']:.1%} of spaCy, {result['quantities_found']} found)"
    )
    print(
        f"times:           {result['times_seconds']:.3f} s "
        f"({result['times_ratio']:.1%} of spaCy, {result['times_found']} found)"
    )
    verdict = "within" if result["within_budget"] else "OVER"
    print(
        f"both:            {result['numbers_ratio']:.1%} of spaCy "
        f"({verdict} the {result['budget_ratio']:.0%} budget)"
    )


if __name__ == "__main__":
    main()
