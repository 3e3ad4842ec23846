"""Does `onrecord.extract` cost grow linearly with the size of one article?

    .venv/bin/python bench/bench_scaling.py [--sizes 50000,100000,200000,400000]
        [--kinds real,repetitive] [--data DIR] [--profile SIZE] [--json]

Two kinds of text, each cut to every size:
- real: the PolNeAR dev article texts (news) one after another, repeated if short;
- repetitive: one news paragraph (quotes, names, figures, dates) over and over, the
  worst case for anything that compares each mention with every other.

Each size runs in a fresh process (one core), so its peak RSS is its own. The report
gives wall and CPU seconds (the ratios use CPU time, which other work on a shared
machine disturbs less) and peak RSS per character, and the growth over the model's own memory
(RSS after loading the pipeline and parsing a short text). From the smallest size to
each larger one, the time ratio and the RSS-growth ratio should stay within 1.3x of the
size ratio ("x linear" <= 1.3). ``--profile SIZE`` prints a cProfile of one run instead.

Measured 2026-11-30 on the shared 2-core dev machine under load ~10 (CPU seconds; wall
time was 15-40x more): real 50k 4.3 s, 100k 10.1, 200k 21.6, 400k 38.4 (1.12x linear),
990k 78.5 s (79 us/char, as at 50k) with peak RSS 658 MiB (50k: 419 MiB); repetitive 50k
4.7 s, 200k 20.8 s (1.11x), peak 700 MiB. Before: 990k took 6 min 34 s and 4.1 GB.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"
DEFAULT_SIZES = (50_000, 100_000, 200_000, 400_000)

PARAGRAPH = (
    '"We will not accept this deal," Senator Maria Lopez said on Tuesday, adding that '
    "the $4.5 billion plan would cut 12% of the jobs in Ohio by March 2021. "
    "The White House said in a statement that President Trump had spoken with "
    "Lopez last week. According to officials, about 3,000 workers rallied in Columbus "
    'on July 8. "It is a betrayal," said Jim Smith, a union leader.\n\n'
)


def make_text(kind: str, size: int, data: Path) -> str:
    if kind == "repetitive":
        unit = PARAGRAPH
    else:
        files = sorted(data.glob("*.txt"))
        if not files:
            raise SystemExit(f"no .txt files in {data} (pass --data)")
        unit = "\n\n".join(f.read_text(encoding="utf-8").strip() for f in files) + "\n\n"
    text = unit * (size // len(unit) + 1)
    return text[:size]


def measure(kind: str, size: int, data: Path) -> dict[str, float]:
    """One extract in this process; returns seconds, peak RSS and the baseline RSS."""
    import resource
    import time

    from onrecord import extract
    from onrecord.pipeline import load

    text = make_text(kind, size, data)
    load()
    extract(PARAGRAPH)  # load everything lazily loaded, so the baseline includes it
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    record = extract(text, published="2020-07-08")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "kind": kind,  # type: ignore[dict-item]
        "chars": len(text),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_rss": peak,
        "base_rss": base,
        "quotes": len(record.quotes),
        "entities": len(record.entities),
    }


def run_child(kind: str, size: int, data: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, str(size), "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {size} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def profile(kind: str, size: int, data: Path) -> None:
    import cProfile
    import pstats
    import time

    from onrecord import extract
    from onrecord.pipeline import load

    text = make_text(kind, size, data)
    load()
    extract(PARAGRAPH)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    extract(text, published="2020-07-08")
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def report(results: list[dict[str, float]]) -> None:
    mb = 1024 * 1024
    print(
        f"{'kind':<11}{'chars':>9}{'wall s':>8}{'cpu s':>8}{'us/char':>9}{'peak MB':>9}"
        f"{'growth MB':>10}{'B/char':>8}{'time x lin':>11}{'RSS x lin':>10}"
    )
    first: dict[str, dict[str, float]] = {}
    for r in results:
        growth = r["peak_rss"] - r["base_rss"]
        base = first.setdefault(str(r["kind"]), r)
        scale = r["chars"] / base["chars"]
        base_growth = max(base["peak_rss"] - base["base_rss"], 1.0)
        time_x = r["cpu_seconds"] / base["cpu_seconds"] / scale
        rss_x = growth / base_growth / scale
        print(
            f"{r['kind']:<11}{r['chars']:>9,}{r['seconds']:>8.1f}{r['cpu_seconds']:>8.1f}"
            f"{1e6 * r['cpu_seconds'] / r['chars']:>9.1f}{r['peak_rss'] / mb:>9.0f}"
            f"{growth / mb:>10.0f}{growth / r['chars']:>8.0f}{time_x:>11.2f}{rss_x:>10.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--kinds", default="real,repetitive")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--profile", type=int, default=0, help="cProfile one run of this size")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]), args.data)))
        return
    kinds = args.kinds.split(",")
    if args.profile:
        profile(kinds[0], args.profile, args.data)
        return
    results = []
    for kind in kinds:
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(run_child(kind, size, args.data))
            if not args.json:
                done = results[-1]
                print(
                    f"  {kind} {size:,}: {done['seconds']:.1f} s, {done['cpu_seconds']:.1f} s CPU",
                    file=sys.stderr,
                )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        report(results)


if __name__ == "__main__":
    main()
