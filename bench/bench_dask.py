"""Ingest throughput on one machine's processes and on Dask, and the client's memory.

    .venv/bin/python bench/bench_dask.py [--articles 400] [--memory-lines 1000,100000]
        [--data DIR] [--pipeline fast] [--skip-throughput] [--skip-memory] [--json]

Throughput: one JSONL of ``--articles`` lines made at run time from the PolNeAR dev texts
(each line a dev text with its own closing sentence, so none is a duplicate), ingested in
the same run by: `-j 1`, `-j 2`, `--dask local:2` (SQLite store), and `--dask local:2
--out` (Parquet, no database). Each run is a fresh process; its articles/s count from the
start of the command (worker start-up and model loading included), the time to the first
stored article is measured, and the peak RSS and CPU time of the client and of each worker
process are sampled every 0.2 s (psutil). On a machine shared with other work, wall-clock
rates say little about what more processes gain; the CPU seconds each configuration
spends on the same articles say what it costs, and so what it would gain on idle cores.

Memory: the client's peak RSS over a `--dask local:2` ingest of 1,000 and of 100,000 JSONL
lines (dev texts cut to 1,500 characters). Extraction is replaced by a stand-in that reads
and parses each line like the real one but runs no model, so 100,000 lines take minutes;
the client does everything it does in a real run (plans splits, submits at most K, stores
each record in SQLite). Flat means the 100,000-line peak is within 10% of the 1,000-line one.

Nothing generated is kept: the inputs live in a temporary folder.

Measured: see docs/scale.md (the numbers and the machine's load at the time).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
CONFIGS = {
    "-j 1": ["-j", "1"],
    "-j 2": ["-j", "2"],
    "--dask local:2": ["--dask", "local:2"],
    "--dask local:2 --out": ["--dask", "local:2", "--out"],
}


def write_jsonl(path: Path, data: Path, lines: int, cut: int | None = None) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(data.glob("*.txt"))]
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            text = texts[n % len(texts)][:cut] if cut else texts[n % len(texts)]
            line = json.dumps({"text": f"{text}\n\nThis is copy number {n}.", "url": f"u:{n}"})
            out.write(line + "\n")
            size += len(line) + 1
    return size


# -- one run, in its own process ----------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    """Run one ingest through the Python API and print what it measured as JSON."""
    from onrecord.ingest import ingest

    started = time.perf_counter()
    first: list[float] = []

    def on_progress(summary: Any, *_: Any) -> None:
        if not first and summary.ingested:
            first.append(time.perf_counter() - started)

    options = CONFIGS[args.child]
    with _target(args) as store:
        if "--dask" in options:
            from onrecord.scale.cluster import ingest_on_cluster

            extract = {"extract": read_only_extract} if args.stand_in else {}
            summary = ingest_on_cluster(
                [args.input], store, address="local:2", on_progress=on_progress, **extract
            )
        else:
            summary = ingest([args.input], store, jobs=int(options[1]), on_progress=on_progress)
    print(
        json.dumps(
            {
                "articles": summary.ingested,
                "failed": summary.failed,
                "seconds": summary.seconds,
                "first_article_s": first[0] if first else None,
            }
        )
    )


def _target(args: argparse.Namespace) -> Any:
    if "--out" in CONFIGS[args.child]:
        from onrecord.scale.parquet import ParquetOutput

        return ParquetOutput(Path(args.workdir) / "parquet")
    from onrecord.store import open_store

    return open_store(f"sqlite:///{Path(args.workdir) / 'corpus.db'}")


def read_only_extract(split: Any, known: Any) -> list[Any]:
    """A stand-in for extraction: each line read, parsed and cleaned as for real, and a
    record of its text only (no model), so the client's side can be run at 100,000 lines."""
    from onrecord.ingest import Outcome, failed
    from onrecord.pipeline import make_article
    from onrecord.record import Record
    from onrecord.scale.splits import entries

    outcomes = []
    for entry in entries(split):
        try:
            data, _ = entry.read()
        except Exception as exc:
            outcomes.append(failed(entry.ref, str(exc)))
            continue
        article = make_article(data.text, url=data.url)
        outcomes.append(Outcome(entry.ref, "ok", record=Record(article=article)))
    return outcomes


# -- the parent: runs, memory sampling, report --------------------------------------------


def measure(config: str, input_path: Path, workdir: Path, stand_in: bool = False) -> dict:
    import psutil

    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--child", config, "--input", str(input_path)]
    command += ["--workdir", str(workdir)] + (["--stand-in"] if stand_in else [])
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    root = psutil.Process(process.pid)
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}  # CPU seconds of each process, at its last sample
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for proc in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                peaks[proc.pid] = max(peaks.get(proc.pid, 0), proc.memory_info().rss)
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        time.sleep(0.2)
    out, _ = process.communicate()
    result = json.loads(out.strip().splitlines()[-1])
    workers = sorted((rss for pid, rss in peaks.items() if pid != process.pid), reverse=True)
    result.update(
        config=config,
        rate=result["articles"] / result["seconds"] if result["seconds"] else 0.0,
        client_peak_mib=peaks.get(process.pid, 0) / 2**20,
        cpu_s=sum(cpu.values()),
        client_cpu_s=cpu.get(process.pid, 0.0),
        # the two biggest other processes: the worker processes (not the resource tracker)
        worker_peaks_mib=[rss / 2**20 for rss in workers[:2]],
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--memory-lines", default="1000,100000")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pipeline", default="fast")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=list(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--stand-in", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    os.environ["ONRECORD_PIPELINE"] = args.pipeline
    report: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        folder = Path(tmp)
        if not args.skip_throughput:
            corpus = folder / "corpus.jsonl"
            write_jsonl(corpus, args.data, args.articles)
            runs = []
            for n, config in enumerate(CONFIGS):
                runs.append(measure(config, corpus, folder / f"run{n}"))
                _print_run(runs[-1], args.json)
            report["throughput"] = runs
        if not args.skip_memory:
            memory = []
            for lines in (int(x) for x in args.memory_lines.split(",")):
                path = folder / f"memory-{lines}.jsonl"
                size = write_jsonl(path, args.data, lines, cut=1500)
                run = measure("--dask local:2", path, folder / f"memory-{lines}", stand_in=True)
                run.update(lines=lines, input_mib=size / 2**20)
                path.unlink()
                memory.append(run)
                _print_memory(run, args.json)
            report["memory"] = memory
    report["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"load average before {report['load_before']}, after {report['load_after']}")


def _print_run(run: dict, quiet: bool) -> None:
    if quiet:
        return
    workers = ", ".join(f"{mib:.0f}" for mib in run["worker_peaks_mib"])
    print(
        f"{run['config']:<22} {run['articles']:>5} articles in {run['seconds']:7.1f} s "
        f"= {run['rate']:6.2f} articles/s; CPU {run['cpu_s']:.0f} s (client "
        f"{run['client_cpu_s']:.0f}); first stored after {run['first_article_s']:.1f} s; "
        f"peak RSS client {run['client_peak_mib']:.0f} MiB, workers {workers} MiB",
        flush=True,
    )


def _print_memory(run: dict, quiet: bool) -> None:
    if quiet:
        return
    print(
        f"memory: {run['lines']:>7} lines ({run['input_mib']:.0f} MiB) stand-in extraction, "
        f"{run['articles']} stored in {run['seconds']:.1f} s: client peak "
        f"{run['client_peak_mib']:.0f} MiB, workers "
        + ", ".join(f"{mib:.0f}" for mib in run["worker_peaks_mib"])
        + " MiB",
        flush=True,
    )


if __name__ == "__main__":
    main()
