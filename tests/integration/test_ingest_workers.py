"""Ingest survives what happens to one article: a worker process that dies on it, or a
database that refuses it. Extraction is replaced by a fast stand-in (``quick_extract``),
so these tests time the ingest machinery, not the model."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from onrecord.ingest import WORKER_DIED, Item, Known, Outcome, ingest
from onrecord.record import Article, Record
from onrecord.store import open_store

from ..unit.test_store import store_url

__all__ = ["store_url"]  # the fixture: a fresh SQLite file or PostgreSQL schema


def quick_extract(items: list[Item], known: Known | None = None) -> list[Outcome]:
    """A record with the article's text and nothing extracted, from each file. A file
    named ``*poison*`` kills its worker every time; a ``slow*`` file gives a test time to
    kill the worker (its pid is written next to the input folder)."""
    outcomes = []
    for item in items:
        path = Path(item.path)
        if "poison" in path.name:
            os.kill(os.getpid(), signal.SIGKILL)
        if path.name.startswith("slow"):
            (path.parent.parent / "worker.pid").write_text(str(os.getpid()))
            time.sleep(1.5)
        text = path.read_text(encoding="utf-8")
        # past the input boundary, as a bug in a stage could do
        title = "T \udc80" if path.name.startswith("unstorable") else None
        record = Record(article=Article(id=Article.make_id(text), text=text, title=title))
        outcomes.append(Outcome(item.ref, "ok", record=record))
    return outcomes


def write_inputs(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True)
    for name in names:
        (folder / f"{name}.txt").write_text(f"The article called {name}.", encoding="utf-8")


def test_an_article_that_kills_its_worker_is_a_failure_and_the_rest_are_stored(
    store_url: str, tmp_path: Path
) -> None:
    # the last article kills its worker: the batches in flight with it are retried in
    # order, so it is the last retried and no third pool is started (each one takes seconds)
    names = [f"a{n:02d}" for n in range(15)] + ["z-poison"]
    write_inputs(tmp_path / "in", names)
    started = time.monotonic()
    with open_store(store_url) as store:
        summary = ingest([tmp_path / "in"], store, jobs=2, batch_size=4, extract=quick_extract)
        failures = store.failures()
        stored = store.list_articles(limit=50).total
    assert (summary.added, summary.failed, summary.duplicates) == (15, 1, 0)
    assert stored == 15
    [failure] = failures
    assert (Path(failure["path"]).name, failure["reason"]) == ("z-poison.txt", WORKER_DIED)
    assert time.monotonic() - started < 120  # no hang


def test_a_worker_killed_from_outside_has_its_batch_retried(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", ["a1", "a2", "slow", "a3", "a4", "a5"])
    pid_file = tmp_path / "worker.pid"

    def kill_the_worker_once() -> None:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_the_worker_once)
    killer.start()
    with open_store(f"sqlite:///{tmp_path / 'corpus.db'}") as store:
        summary = ingest([tmp_path / "in"], store, jobs=2, batch_size=2, extract=quick_extract)
        assert store.failures() == []
    killer.join()
    assert (summary.added, summary.failed) == (6, 0)
    assert summary.line().startswith("ingested 6 articles, skipped 0 duplicates, 0 failed")


def test_an_article_the_database_refuses_is_a_failure_and_the_run_goes_on(
    store_url: str, tmp_path: Path
) -> None:
    write_inputs(tmp_path / "in", ["a1", "unstorable", "z1"])
    with open_store(store_url) as store:
        summary = ingest([tmp_path / "in"], store, extract=quick_extract)
        [failure] = store.failures()
        stored = store.list_articles(limit=50).total
    assert (summary.added, summary.failed, stored) == (2, 1, 2)
    assert Path(failure["path"]).name == "unstorable.txt"
    assert failure["reason"].startswith("storing failed: UnicodeEncodeError")
