"""How fast the pages are usable in a real browser: article, search, source, dashboard.

    .venv/bin/python bench/bench_pages.py                  # 1,000-article SQLite corpus
    .venv/bin/python bench/bench_pages.py --rounds 30 --json

The issue's target for an article page is "usable in under 1 s". That is a timing, so it
lives here rather than as an assertion in the tests (a busy machine made the test fail at
1,153 ms). The script builds bench_web.py's synthetic corpus (kept under --db), starts
`onrecord serve` on a free loopback port, and loads each page --rounds times in headless
Chromium ($ONRECORD_CHROMIUM or /usr/bin/chromium), timing navigation until the page's
main content is visible and its scripts have run (DOMContentLoaded). It prints the
median, p95 and max per page and whether the article page met the 1 s target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import build_corpus, free_port, start_server  # noqa: E402

TARGET_MS = 1000
PAGES = {
    "article": ("ARTICLE", "#article-text"),
    "search": ("/search?q=budget", ".results"),
    "source": ("SOURCE", ".results"),
    "dashboard": ("/dashboard", ".charts"),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(base: str, rounds: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    listing = httpx.get(f"{base}/api/articles", params={"limit": 100}).json()["items"]
    sources = httpx.get(f"{base}/api/sources", params={"limit": 100}).json()["items"]
    chromium = os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium")
    results: dict[str, dict[str, float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(f"{base}/")  # warm the browser and the server once
        for name, (path, ready) in PAGES.items():
            times = []
            for index in range(rounds):
                target = path
                if path == "ARTICLE":
                    target = f"/articles/{listing[index % len(listing)]['id']}"
                elif path == "SOURCE":
                    target = f"/sources/{sources[index % len(sources)]['id']}"
                started = time.perf_counter()
                page.goto(base + target, wait_until="domcontentloaded")
                page.locator(ready).first.wait_for(state="visible")
                times.append((time.perf_counter() - started) * 1000)
            results[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1),
            }
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="corpus file (default: a temporary one)")
    parser.add_argument("--articles", type=int, default=1000, help="corpus size")
    parser.add_argument("--rounds", type=int, default=20, help="loads of each page")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    url = build_corpus(args.db or folder / "corpus.db", args.articles)
    port = free_port()
    server = start_server(url, port)
    try:
        results = measure(f"http://127.0.0.1:{port}", args.rounds)
    finally:
        server.terminate()
        server.wait(timeout=15)
    met = results["article"]["p95_ms"] < TARGET_MS
    if args.json:
        print(json.dumps({"pages": results, "article_p95_under_1s": met}))
        return
    print(f"{'page':<10} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, row in results.items():
        print(f"{name:<10} {row['median_ms']:>10} {row['p95_ms']:>8} {row['max_ms']:>8}")
    print(f"article page usable in under {TARGET_MS} ms (p95): {'yes' if met else 'NO'}")


if __name__ == "__main__":
    main()
