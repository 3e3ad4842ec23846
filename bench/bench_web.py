"""Load on the web service: 50 concurrent clients on quote search and an article page.

    .venv/bin/python bench/bench_web.py                       # 10,000-article SQLite corpus
    .venv/bin/python bench/bench_web.py --url http://127.0.0.1:8000   # a server you started

Without --url it builds a synthetic corpus (hand-made records, offsets exact, no model
needed; kept under --db for the next run), starts `onrecord serve` on a free loopback
port, drives it, and stops it. Each client loops for --seconds, alternating a search
request (GET /api/quotes?q=WORD) and an article page (GET /articles/ID), and the
script prints requests/s, median and p99 latency and the error count for each. Only
loopback addresses are accepted: this is a load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

WORDS = (
    "budget tax border trade vote council school water police hospital court election "
    "housing transit energy climate storm flood fire wage price union factory jobs plant "
    "health vaccine market bank loan rate inflation deficit road bridge park library "
    "farm crop drought oil gas power grid contract lawsuit ruling appeal senate bill law "
    "reform safety crime arrest prison refugee migrant visa tariff export import steel "
    "chip software data privacy strike protest rally campaign poll mayor governor"
).split()
FILLER = (
    "we will not accept this and the people deserve better answers from those in charge "
    "it is a difficult moment but our city has faced hard choices before and will again"
).split()
FIRST = "Maria James Aisha Chen Olga Pedro Nadia Samuel Ines Tomas Grace Omar Lena Ravi".split()
LAST = (
    "Garcia Okafor Lindqvist Novak Haddad Moreau Tanaka Silva Brennan Kowalski Mensah "
    "Duarte Fischer Rahman Costa Ivanova Byrne Sato Nunez Abara"
).split()
TITLES = ("mayor", "spokeswoman", "economist", "senator", "director", "analyst")
ORGS = ("City Hall", "the Treasury", "Acme Steel", "the Port Authority", "Greenfield Union")
ANONYMOUS = ("a senior official", "a person familiar with the talks", "an aide")
OUTLETS = ("Example Wire", "Daily Example", "Springfield Ledger", "Harbor Times", "Metro Post")


def add_said_quote(add, rng: random.Random, n: int, anonymous: bool, sources, quotes) -> None:
    """Append '“…,” said NAME. ' through ``add`` (which returns the piece's offset), with
    its source ``s{n+1}`` (a person, or an anonymous source) and its quote ``q{n+1}``."""
    from onrecord.record import Quote, Source, TextSpan

    sid = f"s{n + 1}"
    if anonymous:
        name = rng.choice(ANONYMOUS)
        sources.append(Source(sid, name, "anonymous"))
    else:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        titles, orgs = (rng.choice(TITLES),), (rng.choice(ORGS),)
        sources.append(Source(sid, name, "person", titles=titles, affiliations=orgs))
    words = rng.sample(WORDS, 4) + rng.sample(FILLER, 8)
    rng.shuffle(words)
    said = "“" + " ".join(words).capitalize() + ",”"
    start = add(said)
    add(" said ")
    cue = start + len(said) + 1
    speaker = add(name)
    add(". ")
    quotes.append(
        Quote(
            f"q{n + 1}",
            "direct",
            said,
            start,
            start + len(said),
            cue=TextSpan("said", cue, cue + 4),
            speaker=TextSpan(name, speaker, speaker + len(name)),
            source_id=sid,
        )
    )


def synthetic_record(index: int, rng: random.Random):
    """One article with quotes by named and anonymous sources, figures and a date."""
    from onrecord.record import Article, Quantity, Record, Time

    pieces: list[str] = []
    quotes, sources, quantities, times = [], [], [], []

    def add(text: str) -> int:
        start = sum(len(p) for p in pieces)
        pieces.append(text)
        return start

    topic = rng.sample(WORDS, 3)
    add(f"SPRINGFIELD — Officials argued on Tuesday over the {topic[0]} plan. ")
    for n in range(4):
        add_said_quote(add, rng, n, n == 3, sources, quotes)
    amount = rng.randint(2, 900)
    figure = f"${amount} million"
    add(f"The {topic[1]} budget is ")
    fig_start = add(figure)
    add(f" this year, and the {topic[2]} vote is set for ")
    day = f"June {rng.randint(1, 28)}"
    day_start = add(day)
    add(".\n")
    quantities.append(
        Quantity("n1", figure, fig_start, fig_start + len(figure), amount * 1e6, "money", "USD")
    )
    year = 2015 + index % 10
    times.append(Time("t1", day, day_start, day_start + len(day), "DATE", f"{year}-06"))
    text = "".join(pieces) + f"(Story {index}.)\n"
    published = f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}"
    article = Article(
        Article.make_id(text), text, f"https://example.com/{index}", f"Story {index}", published
    )
    return Record(
        article,
        sources=tuple(sources),
        quotes=tuple(quotes),
        quantities=tuple(quantities),
        times=tuple(times),
    )


def build_corpus(path: Path, articles: int) -> str:
    """The synthetic corpus at ``path`` (reused when it already has ``articles``)."""
    from onrecord.store import open_store

    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        have = store.list_articles(limit=1).total
        if have >= articles:
            return url
        rng = random.Random(7)
        started = time.perf_counter()
        for index in range(articles):
            store.add_record(synthetic_record(index, rng), outlet=OUTLETS[index % len(OUTLETS)])
            if (index + 1) % 1000 == 0:
                rate = (index + 1) / (time.perf_counter() - started)
                print(f"  corpus: {index + 1:,} articles ({rate:.0f}/s)", file=sys.stderr)
    finally:
        store.close()
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db_url: str, port: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from onrecord.cli import main; main()", "serve"]
    command += ["--db", db_url, "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench_web: the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/articles?limit=1").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("bench_web: the server did not answer within 60 s")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # "HTTP 500", "ReadTimeout", ...

    def failed(self, kind: str) -> None:
        self.errors += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def summary(self, seconds: float) -> dict[str, float | int]:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
        return {
            "requests": len(ordered) + self.errors,
            "requests_per_s": round((len(ordered) + self.errors) / seconds, 1),
            "median_ms": round(statistics.median(ordered) * 1000, 1) if ordered else 0.0,
            "p99_ms": round(p99 * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1) if ordered else 0.0,
            "errors": self.errors,
            "error_kinds": self.kinds,
        }


async def client_loop(
    client: httpx.AsyncClient, deadline: float, article_ids: list[str], tallies: dict, seed: int
) -> None:
    rng = random.Random(seed)
    turn = seed % 2
    while time.monotonic() < deadline:
        if turn == 0:
            name, path = "search", f"/api/quotes?q={rng.choice(WORDS)}"
        else:
            name, path = "article", f"/articles/{rng.choice(article_ids)}"
        turn = 1 - turn
        await timed_get(client, path, tallies[name])


async def timed_get(client: httpx.AsyncClient, path: str, tally: Tally) -> None:
    """GET one path: its latency when it answers 200, else why it failed."""
    started = time.perf_counter()
    try:
        response = await client.get(path)
    except httpx.HTTPError as exc:
        tally.failed(type(exc).__name__)
        return
    if response.status_code == 200:
        tally.latencies.append(time.perf_counter() - started)
    else:
        tally.failed(f"HTTP {response.status_code}")


async def drive(base_url: str, clients: int, seconds: float) -> dict[str, dict]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        listing = (await client.get("/api/articles", params={"limit": 100})).json()
        article_ids = [item["id"] for item in listing["items"]]
        if not article_ids:
            raise SystemExit("bench_web: the corpus has no articles")
        tallies = {"search": Tally(), "article": Tally()}
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(client_loop(client, deadline, article_ids, tallies, n) for n in range(clients))
        )
        elapsed = time.monotonic() - started
    return {name: tally.summary(elapsed) for name, tally in tallies.items()}


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux), to report the server's cost per request
    independently of how busy the machine is."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"bench_web: {url}: only loopback servers may be driven (127.0.0.1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(tempfile.gettempdir()) / "onrecord-bench-web.db",
        help="where the synthetic corpus is kept",
    )
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to drive it")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    server = None
    if args.url:
        check_loopback(args.url)
        base_url = args.url.rstrip("/")
    else:
        db_url = build_corpus(args.db, args.articles)
        port = free_port()
        server = start_server(db_url, port)
        base_url = f"http://127.0.0.1:{port}"
    cpu_before = cpu_seconds(server.pid) if server else None
    try:
        results = asyncio.run(drive(base_url, args.clients, args.seconds))
        cpu_after = cpu_seconds(server.pid) if server else None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    served = sum(int(r["requests"]) for r in results.values())
    server_cpu_ms = None
    if cpu_before is not None and cpu_after is not None and served:
        server_cpu_ms = round((cpu_after - cpu_before) * 1000 / served, 2)
    report = {
        "clients": args.clients,
        "seconds": args.seconds,
        "articles": None if args.url else args.articles,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "server_cpu_ms_per_request": server_cpu_ms,
        **results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.clients} clients for {args.seconds:g} s on {base_url}")
    for name in ("search", "article"):
        r = results[name]
        print(
            f"{name:8} {r['requests_per_s']:8.1f} req/s  median {r['median_ms']:6.1f} ms"
            f"  p99 {r['p99_ms']:6.1f} ms  errors {r['errors']}"
            + (f" {r['error_kinds']}" if r["error_kinds"] else "")
        )
    if server_cpu_ms is not None:
        print(f"server CPU per request: {server_cpu_ms} ms", end="")
    print(f"  (load average {report['load_average']:.1f} on {report['cpus']} CPUs)")


if __name__ == "__main__":
    main()
