"""`onrecord ingest` end to end with the bundled model: inputs of every kind, duplicates,
failures, workers, and runs killed or interrupted mid-way."""

from __future__ import annotations

import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord.ingest import Item, discover, extract_batch, ingest
from onrecord.store import open_store

from ..conftest import EXAMPLES
from ..unit.test_store import store_url

__all__ = ["store_url"]  # the fixture: a fresh SQLite file or PostgreSQL schema

CLI = "import sys; sys.argv[0] = 'onrecord'; from onrecord.cli import main; main()"
STORY = (EXAMPLES / "storm-recovery.json").read_text(encoding="utf-8")
STORY_TEXT = json.loads(STORY)["text"]


def write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` distinct plain-text articles (the same story, each with its own ending)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"article-{number:03d}.txt"
        path.write_text(f"{STORY_TEXT}\n\nThis is report number {number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_warc(
    path: Path,
    pages: list[tuple[str, str, str]],
    *,
    gzip: bool = True,
    warc_headers: dict[str, str] | None = None,
) -> None:
    """A WARC (gzipped by default) with one response per (url, content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=gzip)
        for url, content_type, body in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body.encode("utf-8")),
                http_headers=headers,
                warc_headers_dict=warc_headers or {},
            )
            writer.write_record(record)


def html_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f'<html><head><title>{title}</title><meta name="author" content="Jane Reporter">'
        '<meta property="article:published_time" content="2021-03-04"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'corpus.db'}"


def test_ingesting_twice_adds_nothing_and_force_re_extracts(store_url: str, nlp) -> None:
    with open_store(store_url) as store:
        first = ingest([EXAMPLES], store)
        again = ingest([EXAMPLES], store)
        forced = ingest([EXAMPLES], store, force=True)
        articles = store.list_articles(limit=50)
    count = len(list(discover([EXAMPLES])))
    assert (first.added, first.duplicates, first.failed) == (count, 0, 0)
    assert (again.added, again.duplicates) == (0, count)
    assert (forced.replaced, forced.added) == (count, 0)
    assert articles.total == count
    assert {"Example Wire", "Springfield Ledger"} <= {a["outlet"] for a in articles.items}


def test_every_input_kind_and_bad_files_are_recorded(tmp_path: Path, db_url: str, nlp) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY_TEXT, encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.md").write_text("ignored in folders", encoding="utf-8")
    lines = [
        {"text": "The mayor said the bridge will reopen in May. " * 3, "url": "https://e.x/1"},
        {"text": "Another story about the harbor, said a spokesman. " * 3, "outlet": "Harbor"},
        {
            "html": html_page("Same URL", "Different text entirely, officials said."),
            "url": "https://e.x/1",
        },
        "not an object",
    ]
    (folder / "feed.jsonl").write_text(
        "\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8"
    )
    write_warc(
        folder / "crawl.warc.gz",
        [
            (
                "https://news.example/a",
                "text/html; charset=utf-8",
                html_page(
                    "Harbor dredging", "Dredging starts next week, the port authority said. " * 4
                ),
            ),
            ("https://news.example/logo.png", "image/png", "PNG"),
        ],
    )
    missing = tmp_path / "missing.txt"
    with open_store(db_url) as store:
        summary = ingest([folder, missing, folder / "notes.md"], store)
        failures = {Path(f["path"].split("#")[0]).name: f["reason"] for f in store.failures()}
        urls = {a["url"] for a in store.list_articles(limit=50).items}
        outlets = {a["outlet"] for a in store.list_articles(limit=50).items}
        authors = {row["url"]: row["author"] for row in store.export("articles")}
    # good.txt, two .jsonl lines and the WARC page; the third line repeats a URL
    assert (summary.added, summary.duplicates) == (4, 1)
    assert summary.failed == 6
    assert set(failures) == {
        "empty.txt",
        "binary.txt",
        "broken.json",
        "feed.jsonl",
        "missing.txt",
        "notes.md",
    }
    assert "empty" in failures["empty.txt"] and "binary" in failures["binary.txt"]
    assert "https://news.example/a" in urls and "https://e.x/1" in urls
    assert "Harbor" in outlets
    assert authors["https://news.example/a"] == "Jane Reporter"


def test_two_workers_store_the_same_articles_as_one(tmp_path: Path, nlp) -> None:
    write_articles(tmp_path / "in", 12)
    results = {}
    for jobs in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'j{jobs}.db'}") as store:
            summary = ingest([tmp_path / "in"], store, jobs=jobs, batch_size=2)
            assert (summary.added, summary.failed) == (12, 0)
            results[jobs] = {
                item["id"]: store.get_article(item["id"])["record"]  # type: ignore[index]
                for item in store.list_articles(limit=50).items
            }
    assert results[1] == results[2]


def start_ingest(folder: Path, db_path: Path, jobs: int = 1) -> subprocess.Popen[str]:
    url = f"sqlite:///{db_path}"
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", str(folder), "--db", url, "-j", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_articles(process: subprocess.Popen[str], db_path: Path, wanted: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the ingest ended before it could be stopped"
        if db_path.exists():
            try:
                with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
                    if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= wanted:
                        return
            except sqlite3.OperationalError:
                pass  # the schema is still being created
        time.sleep(0.01)
    pytest.fail("no articles were stored within 120 s")


def assert_consistent(db_path: Path) -> int:
    """Every stored article is whole: exactly what extraction gives for its input."""
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for table in ("quotes", "entities", "quantities", "times", "article_sources"):
        orphans = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0, table
    conn.close()
    with open_store(f"sqlite:///{db_path}", read_only=True) as store:
        stored = store.list_articles(limit=1000).items
        for item in stored:
            found = store.get_article(item["id"])
            assert found is not None
            path = store.conn.scalar("SELECT source_path FROM articles WHERE id = ?", (item["id"],))
            [expected] = extract_batch([Item(path, path, "file")])
            assert expected.record is not None
            assert found["record"] == expected.record.to_dict()
    return len(stored)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_run_leaves_only_whole_articles_and_a_rerun_completes(
    tmp_path: Path, nlp, jobs: int
) -> None:
    folder, db_path = tmp_path / "in", tmp_path / "corpus.db"
    write_articles(folder, 60)
    process = start_ingest(folder, db_path, jobs)
    wait_for_articles(process, db_path, 2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored = assert_consistent(db_path)
    assert 2 <= stored < 60
    rerun = start_ingest(folder, db_path, jobs)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"ingested {60 - stored} articles, skipped {stored} duplicates, 0 failed" in out
    assert assert_consistent(db_path) == 60


@pytest.mark.slow
def test_ctrl_c_finishes_the_current_article_and_exits_130(tmp_path: Path, nlp) -> None:
    folder, db_path = tmp_path / "in", tmp_path / "corpus.db"
    write_articles(folder, 60)
    process = start_ingest(folder, db_path)
    wait_for_articles(process, db_path, 1)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert out.startswith("interrupted: ingested ")
    assert 1 <= assert_consistent(db_path) < 60
