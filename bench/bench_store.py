"""The corpus store: ingest throughput, database size and quote search latency.

    .venv/bin/python bench/bench_store.py [--data DIR] [--repeat N] [--quotes N] [--pg URL]

1. Ingest throughput on real news (PolNeAR dev texts, 84 articles; ``--repeat 2`` ingests
   each text twice with a distinct last line so nothing is a duplicate). Compared with
   extraction alone on the same articles in the same process (read + ``extract_many``,
   the work `onrecord extract` does per article, without its per-run model load), then
   `ingest -j 1` and `ingest -j 2` into fresh SQLite files. The model is loaded before the
   timers start for extraction and -j 1; -j 2 starts two worker processes that each load
   the model, so its wall time includes that start-up; "steady" rates are measured from
   the first stored article to the last, which leaves start-up out for both. On a busy
   machine (ours has 2 cores shared with model training) wall rates say little about
   scaling, so the CPU seconds of the parent and of the workers are recorded too, and
   "j2_speedup_idle_bound" is the speedup those CPU costs allow on two idle cores (an
   estimate from measured CPU time, not a wall-clock measurement); likewise
   "storing_overhead_cpu" compares the CPU time of -j 1 with that of extraction alone.
2. Database size per 1,000 articles: what the articles added to an empty database (the
   -j 1 SQLite file after a WAL checkpoint, minus an empty one) and, with --pg, the same
   articles in PostgreSQL (growth of the tables' total relation sizes, TOAST and indexes
   included; PostgreSQL's fixed cost per empty table and index is left out).
3. Search latency over --quotes (default 100,000) quotes, on SQLite and (with --pg) on
   PostgreSQL. The rows are synthesized from the real extracted ones: the quotes and
   sources extracted from the dev texts are sampled into synthetic articles of 10 quotes
   each (article text = the quotes with "said <source>"), with an outlet from the
   PolNeAR outlets and a date in 2016; named sources keep their identity, anonymous ones
   are new per article. Stored through ``Store.add_record`` like real ones. Queries
   (200): single words from the quotes' vocabulary (common, middling and rare), two-word
   phrases from the quotes, and words with a filter (source, outlet, dates, anonymous).
   Each query runs once to warm up, then once timed; page size 20, total count included.

Writes bench/results/store.json and prints a summary.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per process, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit  # noqa: E402

from onrecord.ingest import Summary, ingest  # noqa: E402
from onrecord.inputs import read_article  # noqa: E402
from onrecord.pipeline import extract_many, load, make_article  # noqa: E402
from onrecord.record import Article, Offsets, Quote, Record, Source  # noqa: E402
from onrecord.store import QuoteQuery, Store, open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
RESULTS = ROOT / "bench" / "results" / "store.json"
QUOTES_PER_ARTICLE = 10


def prepare_inputs(data: Path, repeat: int, folder: Path) -> list[Path]:
    files = sorted(data.glob("*.txt"))
    written = []
    for round_number in range(repeat):
        for file in files:
            text = file.read_text(encoding="utf-8")
            if round_number:
                text += f"\n\n(Repeated for the benchmark, copy {round_number}.)\n"
            target = folder / f"{round_number}-{file.name}"
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def bench_extract(files: list[Path]) -> dict[str, float]:
    cpu_before = cpu_seconds()[0]
    started = time.perf_counter()
    articles = []
    for file in files:
        data = read_article(file)
        articles.append(make_article(data.text, published=data.published, title=data.title))
    records = list(extract_many(articles, batch_size=8))
    seconds = time.perf_counter() - started
    return {
        "articles": len(records),
        "seconds": seconds,
        "articles_per_s": len(records) / seconds,
        "cpu_s": cpu_seconds()[0] - cpu_before,
    }


def bench_ingest(folder: Path, url: str, jobs: int) -> dict[str, float]:
    stamps: list[float] = []

    def on_progress(summary: Summary) -> None:
        stamps.append(time.perf_counter())

    with open_store(url) as store:
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        summary = ingest([folder], store, jobs=jobs, on_progress=on_progress)
        seconds = time.perf_counter() - started
        parent_cpu, workers_cpu = (a - b for a, b in zip(cpu_seconds(), cpu_before, strict=True))
    stored = stamps[1:]  # the first call reports the pre-run skips
    steady = (len(stored) - 1) / (stored[-1] - stored[0]) if len(stored) > 1 else 0.0
    return {
        "jobs": jobs,
        "articles": summary.ingested,
        "failed": summary.failed,
        "seconds": seconds,
        "articles_per_s": summary.ingested / seconds,
        "steady_articles_per_s": steady,
        "parent_cpu_s": parent_cpu,
        "workers_cpu_s": workers_cpu,
    }


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its ended children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def worker_startup_cpu(jobs: int) -> float:
    """CPU seconds that starting ``jobs`` ingest workers costs (interpreter and model)."""
    import multiprocessing

    from onrecord.ingest import Known, _init_worker

    before = cpu_seconds()[1]
    pool = multiprocessing.get_context("spawn").Pool(jobs, _init_worker, (Known(),))
    pool.map(abs, range(jobs))  # returns once the workers are up (initializers done)
    pool.close()
    pool.join()
    return cpu_seconds()[1] - before


def idle_speedup_bound(j1: dict[str, float], j2: dict[str, float], startup: float) -> float:
    """-j 2's speedup over -j 1 on two idle cores, from the CPU time each one used.

    -j 1 does everything in one process: articles/s = 1 / CPU per article. -j 2 runs two
    workers and the writing parent on two cores: its rate is bound by the total CPU per
    article spread over the two cores, by the parent alone, and by each worker alone.
    Worker start-up (``startup``: interpreter and model) is left out, as in the steady rates.
    """
    n = j1["articles"]
    j1_rate = n / j1["parent_cpu_s"]
    workers = max(j2["workers_cpu_s"] - startup, 1e-9)
    total = j2["parent_cpu_s"] + workers
    j2_rate = min(2 * n / total, n / j2["parent_cpu_s"], 2 * n / workers)
    return j2_rate / j1_rate


def sqlite_size(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def postgres_size(store: Store) -> int:
    return int(
        store.conn.scalar(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )
    )


def real_material(store: Store) -> tuple[list[dict[str, Any]], dict[str, Source]]:
    """The extracted quotes and their sources, to sample synthetic articles from."""
    quotes = [q for q in store.export("quotes") if q["text"].strip()]
    sources: dict[str, Source] = {}
    for item in store.list_sources(top=100_000).items:
        found = store.get_source(item["id"]) or {}
        sources[item["id"]] = Source(
            id="",
            name=item["name"] or "someone",
            kind=item["kind"],
            titles=tuple(found.get("titles", ())[:1]),
            affiliations=tuple(found.get("affiliations", ())[:1]),
        )
    return quotes, sources


def synthetic_record(
    number: int,
    quotes: list[dict[str, Any]],
    sources: dict[str, Source],
    rng: random.Random,
) -> Record:
    parts: list[str] = [f"Synthetic article {number}."]
    offset = len(parts[0]) + 2
    record_quotes: list[Quote] = []
    record_sources: dict[str, Source] = {}
    for index, picked in enumerate(rng.sample(quotes, QUOTES_PER_ARTICLE)):
        source = sources.get(picked["source_id"] or "")
        local_id = None
        if source is not None:
            # named sources keep their identity; anonymous ones are new in every article
            key = picked["source_id"] if source.kind != "anonymous" else f"anonymous-{index}"
            if key not in record_sources:
                record_sources[key] = Source(
                    id=f"s{len(record_sources) + 1}",
                    name=source.name,
                    kind=source.kind,
                    titles=source.titles,
                    affiliations=source.affiliations,
                )
            local_id = record_sources[key].id
        speaker = source.name if source else "someone"
        text = " ".join(picked["text"].split())
        sentence = f"“{text}” said {speaker}."
        start = offset + 1
        record_quotes.append(
            Quote(
                id=f"q{index + 1}",
                kind=picked["kind"],
                text=text,
                start=start,
                end=start + len(text),
                parts=(Offsets(start, start + len(text)),),
                source_id=local_id,
            )
        )
        parts.append(sentence)
        offset += len(sentence) + 2
    body = "\n\n".join(parts)
    published = f"2016-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    article = Article(
        id=Article.make_id(body),
        text=body,
        url=f"https://bench.example/{number}",
        title=f"Synthetic {number}",
        published=published,
    )
    return Record(
        article=article, sources=tuple(record_sources.values()), quotes=tuple(record_quotes)
    )


def fill_search_corpus(
    store: Store, total_quotes: int, quotes: list[dict], sources: dict, outlets: list[str]
) -> dict[str, float]:
    rng = random.Random(5)
    articles = total_quotes // QUOTES_PER_ARTICLE
    started = time.perf_counter()
    for number in range(articles):
        record = synthetic_record(number, quotes, sources, rng)
        store.add_record(record, outlet=rng.choice(outlets))
    seconds = time.perf_counter() - started
    return {"articles": articles, "seconds": seconds, "articles_per_s": articles / seconds}


def make_queries(quotes: list[dict], sources: dict[str, Source], outlets: list[str]) -> list:
    rng = random.Random(7)
    words = Counter(
        w.lower() for q in quotes for w in re.findall(r"[A-Za-z]{4,}", q["text"])
    ).most_common()
    common, middle, rare = words[:50], words[50:500], words[500:]
    queries: list[QuoteQuery] = []
    for bucket in (common, middle, rare or middle):
        for word, _ in rng.sample(bucket, min(34, len(bucket))):
            queries.append(QuoteQuery(text=word))
    for q in rng.sample(quotes, 50):
        tokens = re.findall(r"[A-Za-z]+", q["text"])
        if len(tokens) >= 2:
            i = rng.randrange(len(tokens) - 1)
            queries.append(QuoteQuery(text=f'"{tokens[i]} {tokens[i + 1]}"'))
    named = [s.name for s in sources.values() if s.kind != "anonymous" and s.name]
    for word, _ in rng.sample(middle, 50):
        choice = rng.randrange(4)
        if choice == 0 and named:
            queries.append(QuoteQuery(text=word, source=rng.choice(named)))
        elif choice == 1:
            queries.append(QuoteQuery(text=word, outlet=rng.choice(outlets)))
        elif choice == 2:
            queries.append(QuoteQuery(text=word, date_from="2016-03-01", date_to="2016-06-30"))
        else:
            queries.append(QuoteQuery(text=word, anonymous=True))
    return queries


def bench_search(store: Store, queries: list[QuoteQuery]) -> dict[str, float]:
    for query in queries:  # warm caches
        store.search_quotes(query)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        store.search_quotes(query)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "queries": len(latencies),
        "median_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max_ms": latencies[-1],
    }


def with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def postgres_schema(url: str) -> tuple[str, Any]:
    import psycopg

    admin = psycopg.connect(url, autocommit=True)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    return with_schema(url, schema), (admin, schema)


def drop_schema(handle: Any) -> None:
    admin, schema = handle
    admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--repeat", type=int, default=1, help="ingest each text N times")
    parser.add_argument("--quotes", type=int, default=100_000, help="quotes for the search test")
    parser.add_argument("--pg", default=os.environ.get("ONRECORD_TEST_PG"), help="PostgreSQL URL")
    parser.add_argument("--skip-ingest-pg", action="store_true", help="no PostgreSQL ingest")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    results: dict[str, Any] = {"data": str(args.data), "cpus": os.cpu_count()}
    try:
        folder = work / "in"
        folder.mkdir()
        files = prepare_inputs(args.data, args.repeat, folder)
        if not files:
            raise SystemExit(f"bench_store: no .txt articles in {args.data}")
        load()  # the model, once, outside every timer but -j 2's (its workers load their own)
        results["extract"] = bench_extract(files)
        results["ingest_j1"] = bench_ingest(folder, f"sqlite:///{work / 'j1.db'}", 1)
        results["ingest_j2"] = bench_ingest(folder, f"sqlite:///{work / 'j2.db'}", 2)
        j1, j2, ex = results["ingest_j1"], results["ingest_j2"], results["extract"]
        results["j2_speedup_wall"] = j2["articles_per_s"] / j1["articles_per_s"]
        results["j2_speedup_steady"] = j2["steady_articles_per_s"] / j1["steady_articles_per_s"]
        results["worker_startup_cpu_s"] = worker_startup_cpu(2)
        results["j2_speedup_idle_bound"] = idle_speedup_bound(
            j1, j2, results["worker_startup_cpu_s"]
        )
        results["storing_overhead"] = ex["articles_per_s"] / j1["articles_per_s"] - 1
        results["storing_overhead_cpu"] = j1["parent_cpu_s"] / ex["cpu_s"] - 1
        open_store(f"sqlite:///{work / 'empty.db'}").close()
        added = sqlite_size(work / "j1.db") - sqlite_size(work / "empty.db")
        results["sqlite_bytes_per_1000_articles"] = added / j1["articles"] * 1000

        with open_store(f"sqlite:///{work / 'j1.db'}", read_only=True) as real:
            quotes, sources = real_material(real)
        outlets = sorted({f.name.split("_")[0].split("-", 1)[-1] for f in files})
        results["real_quotes"] = len(quotes)
        print(json.dumps(results, indent=2), file=sys.stderr, flush=True)
        if len(quotes) < 50:
            raise SystemExit(
                f"bench_store: extraction found only {len(quotes)} quotes in {args.data}; "
                "the search benchmark needs at least 50 real ones to sample from"
            )
        queries = make_queries(quotes, sources, outlets)

        search_url = f"sqlite:///{work / 'search.db'}"
        with open_store(search_url) as store:
            results["sqlite_fill"] = fill_search_corpus(
                store, args.quotes, quotes, sources, outlets
            )
            results["sqlite_search"] = bench_search(store, queries)
            results["sqlite_search_quotes"] = store.stats()["quotes"]

        if args.pg:
            if not args.skip_ingest_pg:
                url, handle = postgres_schema(args.pg)
                try:
                    with open_store(url) as store:
                        empty = postgres_size(store)
                    results["ingest_j1_postgres"] = bench_ingest(folder, url, 1)
                    with open_store(url) as store:
                        added = postgres_size(store) - empty
                        articles = store.list_articles().total
                    results["postgres_bytes_per_1000_articles"] = added / articles * 1000
                finally:
                    drop_schema(handle)
            url, handle = postgres_schema(args.pg)
            try:
                with open_store(url) as store:
                    results["postgres_fill"] = fill_search_corpus(
                        store, args.quotes, quotes, sources, outlets
                    )
                    store.conn.execute("ANALYZE")
                    results["postgres_search"] = bench_search(store, queries)
                    results["postgres_search_quotes"] = store.stats()["quotes"]
            finally:
                drop_schema(handle)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
