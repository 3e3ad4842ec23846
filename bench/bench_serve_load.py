"""Load on `onrecord serve --workers N`: 50 concurrent clients over a mix of pages and API
calls, on a synthetic store of 10,000 articles and 100,000 quotes built at run time.

    .venv/bin/python bench/bench_serve_load.py                   # build, serve, drive
    .venv/bin/python bench/bench_serve_load.py --workers 1 --seconds 20
    .venv/bin/python bench/bench_serve_load.py --pathological    # one 1 MB extraction too

The store is kept under --db (a temporary folder by default; never commit it) and reused
when it already has the articles asked for. The script prints, per kind of request, the
requests/s, median, p99 and errors; the time `stats` and `sources` take in the store itself
(the target is under 50 ms at 100,000 quotes); and the load average of the machine, since
the load generator shares the machine with the server. --pathological also posts a 1 MB
body built to be slow to /api/extract while the clients run, and reports its answer, how
long it took, and the largest memory (RSS) the server and its extraction workers reached.
Only loopback servers are driven.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bench_web import (
    OUTLETS,
    WORDS,
    Tally,
    add_said_quote,
    free_port,
    timed_get,
)

#: How often each kind of request is made (a reader's mix: searches and pages).
MIX = {
    "search_api": 25,
    "search_page": 10,
    "article_page": 15,
    "article_api": 10,
    "stats_api": 8,
    "sources_api": 8,
    "home_page": 10,
    "dashboard_page": 6,
    "source_page": 8,
}


def synthetic_record(index: int, rng: random.Random, quotes_per_article: int):
    """One article with ``quotes_per_article`` quotes by named and anonymous sources."""
    from onrecord.record import Article, Record

    pieces: list[str] = []
    quotes, sources = [], []

    def add(text: str) -> int:
        start = sum(len(p) for p in pieces)
        pieces.append(text)
        return start

    add(f"SPRINGFIELD — Officials argued over the {rng.choice(WORDS)} plan. ")
    for n in range(quotes_per_article):
        add_said_quote(add, rng, n, n % 4 == 3, sources, quotes)
    text = "".join(pieces) + f"(Story {index}.)\n"
    year = 2012 + index % 12
    published = f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}"
    article = Article(
        Article.make_id(text), text, f"https://example.com/{index}", f"Story {index}", published
    )
    return Record(article, sources=tuple(sources), quotes=tuple(quotes))


def build_store(path: Path, articles: int, quotes_per_article: int) -> str:
    from onrecord.store import open_store

    url = f"sqlite:///{path}"
    with open_store(url) as store:
        have = store.stats()["articles"]
        if have >= articles:
            return url
        rng = random.Random(11)
        started = time.perf_counter()
        for index in range(have, articles):
            record = synthetic_record(index, rng, quotes_per_article)
            store.add_record(record, outlet=OUTLETS[index % len(OUTLETS)])
            if (index + 1) % 1000 == 0:
                rate = (index + 1 - have) / (time.perf_counter() - started)
                print(f"  store: {index + 1:,} articles ({rate:.0f}/s)", file=sys.stderr)
    return url


def time_store(url: str, runs: int = 30) -> dict[str, dict[str, float]]:
    """Median and worst time of stats() and list_sources() on the store itself."""
    from onrecord.store import open_store

    timings: dict[str, dict[str, float]] = {}
    with open_store(url, read_only=True) as store:
        for name, call in (
            ("stats", store.stats),
            ("sources", lambda: store.list_sources(top=20)),
        ):
            call()  # warm the page cache
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                call()
                seconds.append(time.perf_counter() - started)
            timings[name] = {
                "median_ms": round(statistics.median(seconds) * 1000, 2),
                "max_ms": round(max(seconds) * 1000, 2),
            }
    return timings


def start_server(db_url: str, port: int, workers: int, extra: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-c", "from onrecord.cli import main; main()", "serve"]
    command += ["--db", db_url, "--port", str(port), "--workers", str(workers), *extra]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench_serve_load: the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("bench_serve_load: the server did not answer within 90 s")


async def discover(client: httpx.AsyncClient) -> dict[str, list[str] | str]:
    articles = (await client.get("/api/articles", params={"limit": 100})).json()
    sources = (await client.get("/api/sources", params={"limit": 100})).json()
    return {
        "articles": [a["id"] for a in articles["items"]],
        "sources": [s["id"] for s in sources["items"]],
        # pages that exist: a page past the end is a 404 (issue 15), not a load to measure
        "home_pages": max(1, min(50, -(-articles["total"] // 20))),
        "source_pages": max(1, min(4, -(-sources["total"] // 20))),
    }


def pick(rng: random.Random, known: dict) -> tuple[str, str]:
    kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    word = rng.choice(WORDS)
    paths = {
        "search_api": f"/api/quotes?q={word}",
        "search_page": f"/search?q={word}",
        "article_page": f"/articles/{rng.choice(known['articles'])}",
        "article_api": f"/api/articles/{rng.choice(known['articles'])}",
        "stats_api": "/api/stats",
        "sources_api": f"/api/sources?page={rng.randint(1, known['source_pages'])}",
        "home_page": f"/?page={rng.randint(1, known['home_pages'])}",
        "dashboard_page": "/dashboard",
        "source_page": f"/sources/{rng.choice(known['sources'])}",
    }
    return kind, paths[kind]


async def client_loop(
    client: httpx.AsyncClient, deadline: float, known: dict, tallies: dict, seed: int
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        kind, path = pick(rng, known)
        await timed_get(client, path, tallies[kind])


async def drive(base_url: str, clients: int, seconds: float) -> dict[str, Tally]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        known = await discover(client)
        tallies = {kind: Tally() for kind in MIX}
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(client_loop(client, deadline, known, tallies, n) for n in range(clients))
        )
    return tallies


def overall(tallies: dict[str, Tally], seconds: float) -> dict:
    everything = Tally()
    for tally in tallies.values():
        everything.latencies += tally.latencies
        everything.errors += tally.errors
        for kind, n in tally.kinds.items():
            everything.kinds[kind] = everything.kinds.get(kind, 0) + n
    return everything.summary(seconds)


def pathological_body() -> bytes:
    """About 1 MB of text built to be slow to extract: one paragraph of short repeated
    attributions and open quotation marks, with no sentence end a splitter could use."""
    unit = "“he said that she said “they said ” and "
    text = unit * (975_000 // len(unit.encode()))  # the body stays under the 1 MB limit
    return json.dumps({"text": text}, ensure_ascii=False).encode()


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [pid], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_rss(pid: int) -> int:
    total = 0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            pages = int(Path(f"/proc/{member}/statm").read_text().split()[1])
            total += pages * os.sysconf("SC_PAGE_SIZE")
    return total


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its processes (the live ones)."""
    total = 0.0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class RssWatch(threading.Thread):
    """The largest RSS of the server and all its processes, sampled every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.1)


async def extract_during_load(base_url: str, clients: int, seconds: float) -> dict:
    body = pathological_body()
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as poster:
        load = asyncio.create_task(drive(base_url, clients, seconds))
        await asyncio.sleep(1.0)
        started = time.perf_counter()
        response = await poster.post(
            "/api/extract", content=body, headers={"content-type": "application/json"}
        )
        took = time.perf_counter() - started
        tallies = await load
    return {
        "body_bytes": len(body),
        "status": response.status_code,
        "answer": response.text[:200],
        "seconds": round(took, 2),
        "gets_during": overall(tallies, seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "onrecord-bench-serve.db"
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes-per-article", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--pathological", action="store_true", help="also a 1 MB extraction")
    parser.add_argument("--serve-option", action="append", default=[], help="passed to serve")
    parser.add_argument(
        "--settle",
        type=float,
        default=20.0,
        help="seconds to wait after the server answers (its extraction workers load the model)",
    )
    args = parser.parse_args()

    db_url = build_store(args.db, args.articles, args.quotes_per_article)
    report: dict = {
        "articles": args.articles,
        "quotes": args.articles * args.quotes_per_article,
        "workers": args.workers,
        "clients": args.clients,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "load_average_before": round(os.getloadavg()[0], 2),
        "store": time_store(db_url),
    }
    port = free_port()
    server = start_server(db_url, port, args.workers, args.serve_option)
    base_url = f"http://127.0.0.1:{port}"
    time.sleep(args.settle)
    watch = RssWatch(server.pid)
    watch.start()
    try:
        cpu_before = tree_cpu_seconds(server.pid)
        tallies = asyncio.run(drive(base_url, args.clients, args.seconds))
        cpu = tree_cpu_seconds(server.pid) - cpu_before
        report["load_average_during"] = round(os.getloadavg()[0], 2)
        report["all"] = overall(tallies, args.seconds)
        served = report["all"]["requests"]
        report["server_cpu_ms_per_request"] = round(cpu * 1000 / served, 2) if served else None
        report["by_kind"] = {k: t.summary(args.seconds) for k, t in tallies.items()}
        if args.pathological:
            report["pathological"] = asyncio.run(
                extract_during_load(base_url, min(args.clients, 10), args.seconds)
            )
    finally:
        watch.stopped.set()
        server.terminate()
        server.wait(timeout=30)
    report["peak_rss_mb"] = round(watch.peak / 2**20)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
