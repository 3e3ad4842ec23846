"""What does quote clustering add to ingest, and does its cost per article stay flat as
the corpus grows?

    .venv/bin/python bench/bench_provenance.py [--sizes 10000,100000] [--block 1000]
        [--data DIR] [--extract-sample 5] [--json]

Synthetic-copy articles are made at run time from the PolNeAR dev texts and their gold
content spans (never written to the repository): copy n is dev article n mod 84 under a
new first line, a date and one of 50 outlets, with each quote kept (70%), trimmed (10%)
or altered by one substituted word (20%), seeded. So statements recur across outlets, as
they do in news, and altered copies keep adding wordings to their clusters.

Two SQLite stores are filled side by side, one article at a time through
``Store.add_record`` (the writer ingest uses), one with clustering and one without. For
each block of ``--block`` articles the report gives milliseconds per article in each and
the difference (the clustering cost), at every size reached; ``--extract-sample`` times
``extract`` (the `fast` pipeline) on a few dev articles, the rest of an article's ingest,
to put the clustering cost in proportion.

Measured 2026-11-30 on the shared 2-core dev machine (load ~10): clustering 7.9 ms per
article at 10,000 articles and 7.4 ms at 17,000 (stopped there; 100,000 would have taken
about two hours), `extract` (fast) 150 ms per article: clustering is about 5% of ingest.
Details in docs/provenance.md, "Cost".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from onrecord.evaluation.provenance_data import ArticleSpans, read_articles
from onrecord.record import Article, Quote, Record
from onrecord.store import open_store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"
OUTLETS = 50
_SWAPS = ("great", "big", "bad", "real", "strong", "major", "serious", "total")


def synthetic_record(number: int, source: ArticleSpans, rng: random.Random) -> Record:
    header = f"Copy {number} of {source.name}\n\n"
    text = header + source.text
    shift = len(header)
    quotes = []
    for i, span in enumerate(source.spans):
        content = _vary(span.content, rng)
        quotes.append(
            Quote(
                f"q{i}", span.kind, content, span.start + shift, span.end + shift, content=content
            )  # type: ignore[arg-type]
        )
    day = 1 + number % 28
    published = f"2017-{1 + (number // 28) % 12:02d}-{day:02d}"
    return Record(
        article=Article(
            Article.make_id(text), text, url=f"synthetic:{number}", published=published
        ),
        quotes=tuple(quotes),
    )


def _vary(content: str, rng: random.Random) -> str:
    words = content.split()
    roll = rng.random()
    if len(words) < 6 or roll < 0.7:
        return content
    if roll < 0.8:
        cut = rng.randint(1, len(words) // 3)
        return " ".join(words[cut:])
    position = rng.randrange(1, len(words) - 1)
    words[position] = rng.choice(_SWAPS)
    return " ".join(words)


def fill(sizes: list[int], block: int, data: Path) -> list[dict[str, Any]]:
    sources = [a for a in read_articles(data) if a.spans]
    rng = random.Random(13)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="onrecord-bench-prov-") as tmp:
        with_clusters = open_store(f"sqlite:///{Path(tmp) / 'with.db'}")
        without = open_store(f"sqlite:///{Path(tmp) / 'without.db'}")
        without.clustering = False
        spent = {"with": 0.0, "without": 0.0}
        for number in range(max(sizes)):
            record = synthetic_record(number, sources[number % len(sources)], rng)
            for name, store in (("with", with_clusters), ("without", without)):
                started = time.process_time()
                store.add_record(record, outlet=f"outlet {number % OUTLETS}")
                spent[name] += time.process_time() - started
            done = number + 1
            if done % block == 0:
                rows.append(
                    {
                        "articles": done,
                        "ms_per_article_with": 1000 * spent["with"] / block,
                        "ms_per_article_without": 1000 * spent["without"] / block,
                        "clustering_ms_per_article": 1000
                        * (spent["with"] - spent["without"])
                        / block,
                        "clusters": with_clusters.conn.scalar(
                            "SELECT COUNT(*) AS n FROM quote_clusters"
                        ),
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
                spent = {"with": 0.0, "without": 0.0}
        with_clusters.close()
        without.close()
    return rows


def extract_cost(data: Path, sample: int) -> float:
    """CPU milliseconds per article for `extract` on the first ``sample`` dev texts."""
    import onrecord

    texts = [p.read_text(encoding="utf-8") for p in sorted((data / "text").glob("*.txt"))[:sample]]
    onrecord.extract(texts[0], pipeline="fast")  # load the pipeline outside the timing
    started = time.process_time()
    for text in texts:
        onrecord.extract(text, pipeline="fast")
    return 1000 * (time.process_time() - started) / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--block", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--extract-sample", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = fill(sizes, args.block, args.data)
    at = {row["articles"]: row for row in rows}
    extract_ms = extract_cost(args.data, args.extract_sample) if args.extract_sample else None
    report: dict[str, Any] = {"blocks": rows, "sizes": {}}
    for size in sizes:
        row = at.get(size)
        if row is None:
            continue
        entry = dict(row)
        if extract_ms is not None:
            ingest = extract_ms + row["ms_per_article_with"]
            entry["extract_ms_per_article"] = extract_ms
            entry["clustering_share_of_ingest"] = row["clustering_ms_per_article"] / ingest
        report["sizes"][str(size)] = entry
    if len(report["sizes"]) >= 2:
        first, last = (report["sizes"][str(s)] for s in (sizes[0], sizes[-1]))
        report["growth"] = last["clustering_ms_per_article"] / first["clustering_ms_per_article"]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for size, entry in report["sizes"].items():
            share = entry.get("clustering_share_of_ingest")
            print(
                f"{size} articles: clustering {entry['clustering_ms_per_article']:.2f} ms/article"
                f" (write {entry['ms_per_article_without']:.2f} ms without, "
                f"{entry['ms_per_article_with']:.2f} ms with)"
                + (f", {share:.1%} of ingest" if share is not None else "")
            )
        if "growth" in report:
            print(f"per-article clustering cost, largest/smallest size: {report['growth']:.2f}x")


if __name__ == "__main__":
    main()
