"""`onrecord ingest --dask` on a real LocalCluster of 2 worker processes: the same articles
as a one-process run, a worker killed mid-run costing nothing, the Parquet output read
back, and an unreachable scheduler reported in one line."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from onrecord.ingest import WORKER_DIED, Known, Outcome, ingest
from onrecord.store import open_store

from ..conftest import IN_CI
from .test_ingest import (
    CLI,
    STORY_TEXT,
    html_page,
    wait_for_articles,
    write_articles,
    write_warc,
)

if importlib.util.find_spec("distributed") is None:  # the `dask` extra; CI installs it
    if IN_CI:
        pytest.fail("required in CI: dask (pip install -e '.[dask]')")
    pytest.skip("dask is not installed (pip install -e '.[dask]')", allow_module_level=True)

from onrecord.cli import app  # noqa: E402
from onrecord.scale import cluster  # noqa: E402
from onrecord.scale.splits import Split  # noqa: E402

# small ranges, so the little JSONL and WARC.gz are cut into several tasks each
RANGES = {"jsonl": 700, "warcgz": 1500}


def write_corpus(folder: Path) -> None:
    """Text files, a JSONL cut into byte ranges, a WARC.gz, a file that fails, and a
    line that repeats an article: 16 articles stored, 1 duplicate, 1 failure."""
    write_articles(folder / "texts", 6)
    lines = [
        {
            "text": f"{STORY_TEXT[:300]}\n\nLine story {n}, the mayor said.",
            "url": f"https://e.x/{n}",
        }
        for n in range(7)
    ]
    lines.append(lines[2])  # a duplicate: same text and URL
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    pages = [
        (f"https://news.example/{n}", "text/html", html_page(f"Page {n}", STORY_TEXT[:400]))
        for n in range(3)
    ]
    write_warc(folder / "crawl.warc.gz", pages)
    (folder / "texts" / "empty.txt").write_text(" \n")


def snapshot(url: str) -> dict[str, Any]:
    """What a user would compare: articles by content, their records, failures by file."""
    with open_store(url, read_only=True) as store:
        records = {
            item["id"]: store.get_article(item["id"])["record"]  # type: ignore[index]
            for item in store.list_articles(limit=100).items
        }
        paths = store.conn.query("SELECT source_path FROM articles")
        failures = [Path(f["path"]).name for f in store.failures()]
    return {
        "records": records,
        "paths": sorted(row["source_path"] for row in paths),
        "failures": failures,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def one_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The corpus ingested with -j 1: what every cluster run must match."""
    os.environ.setdefault("ONRECORD_PIPELINE", "fast")
    url = f"sqlite:///{tmp_path_factory.mktemp('j1') / 'corpus.db'}"
    with open_store(url) as store:
        summary = ingest([corpus], store)
    assert (summary.added, summary.duplicates, summary.failed) == (16, 1, 1)
    return snapshot(url)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of 2 worker processes for the module (starting one takes seconds)."""
    import dask
    from distributed import LocalCluster

    # a task is retried once after its worker dies (the default, 3, costs more restarts)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
    ):
        yield local.scheduler_address


def test_two_workers_store_the_same_articles_as_one_process(
    corpus: Path, one_process: dict[str, Any], scheduler: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    with open_store(url) as store:
        summary = cluster.ingest_on_cluster(
            [corpus], store, address=scheduler, range_bytes=RANGES, max_in_flight=3
        )
        again = cluster.ingest_on_cluster([corpus], store, address=scheduler, range_bytes=RANGES)
    assert (summary.added, summary.duplicates, summary.failed) == (16, 1, 1)
    found = snapshot(url)
    assert found["records"] == one_process["records"]
    assert found["failures"] == one_process["failures"] == ["empty.txt"]
    # a rerun skips every stored input by name, before reading it
    assert (again.added, again.duplicates, again.failed) == (0, 17, 1)


def slow_then_extract(split: Split, known: Known) -> list[Outcome]:
    """The real extraction, slowed on the split holding the first text file, which
    writes its worker's pid for the test to kill it in the middle of that split."""
    if any(piece.name.endswith("article-000.txt") for piece in split.pieces):
        pid_file = Path(split.pieces[0].url).parents[1] / "worker.pid"
        if not pid_file.exists():  # only the first time: the retry runs through
            pid_file.write_text(str(os.getpid()))
            time.sleep(30)
    return cluster.extract_split(split, known)


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(
    corpus: Path, one_process: dict[str, Any], scheduler: str, tmp_path: Path
) -> None:
    pid_file = corpus / "worker.pid"
    pid_file.unlink(missing_ok=True)
    killed: list[int] = []

    def kill_the_worker(summary: Any, splits_done: int) -> None:
        if not killed and pid_file.exists():
            killed.append(int(pid_file.read_text()))
            os.kill(killed[0], signal.SIGKILL)

    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    try:
        with open_store(url) as store:
            summary = cluster.ingest_on_cluster(
                [corpus],
                store,
                address=scheduler,
                range_bytes=RANGES,
                on_progress=kill_the_worker,
                extract=slow_then_extract,
            )
    finally:
        pid_file.unlink(missing_ok=True)
    assert killed, "the worker was never killed"
    assert (summary.added, summary.duplicates, summary.failed) == (16, 1, 1)
    found = snapshot(url)
    assert found["records"] == one_process["records"]
    assert len(found["paths"]) == len(set(found["paths"])) == 16


def poison_or_extract(split: Split, known: Known) -> list[Outcome]:
    """The real extraction, except that a file named ``*poison*`` kills its worker."""
    if any("poison" in piece.name for piece in split.pieces):
        os.kill(os.getpid(), signal.SIGKILL)
    return cluster.extract_split(split, known)


def test_an_article_that_kills_every_worker_is_a_failure_and_the_rest_are_stored(
    scheduler: str, tmp_path: Path
) -> None:
    write_articles(tmp_path / "in", 5)
    (tmp_path / "in" / "z-poison.txt").write_text(STORY_TEXT)
    with open_store(f"sqlite:///{tmp_path / 'corpus.db'}") as store:
        summary = cluster.ingest_on_cluster(
            [tmp_path / "in"], store, address=scheduler, extract=poison_or_extract
        )
        [failure] = store.failures()
    assert (summary.added, summary.failed) == (5, 1)
    assert (Path(failure["path"]).name, failure["reason"]) == ("z-poison.txt", WORKER_DIED)


def test_parquet_output_from_the_cluster_and_from_one_process_read_back(
    corpus: Path, one_process: dict[str, Any], scheduler: str, tmp_path: Path
) -> None:
    import pyarrow.dataset as ds

    runner = CliRunner()
    for name, options in (("cluster", ["--dask", scheduler]), ("local", ["-j", "1"])):
        result = runner.invoke(
            app, ["ingest", str(corpus), "--out", str(tmp_path / name), *options]
        )
        assert result.exit_code == 0, result.output
        assert "ingested 16 articles, skipped 1 duplicates, 1 failed" in result.stdout
    records = one_process["records"].values()
    for name in ("cluster", "local"):
        tables = {
            table: ds.dataset(tmp_path / name / table, format="parquet").to_table()
            for table in ("articles", "quotes", "sources", "quantities", "times")
        }
        assert sorted(tables["articles"].column("id").to_pylist()) == sorted(one_process["records"])
        assert tables["quotes"].num_rows == sum(len(r["quotes"]) for r in records)
        assert tables["sources"].num_rows == sum(len(r["sources"]) for r in records)
        assert tables["quantities"].num_rows == sum(len(r["quantities"]) for r in records)
        assert tables["times"].num_rows == sum(len(r["times"]) for r in records)
        quote_ids = set(tables["quotes"].column("quote_id").to_pylist())
        assert set(tables["quantities"].column("quote_id").drop_null().to_pylist()) <= quote_ids
    # a rerun into the same folder skips everything it holds
    again = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "local")])
    assert "ingested 0 articles, skipped 17 duplicates, 1 failed" in again.stdout


def test_a_killed_client_leaves_whole_articles_and_a_rerun_finishes(
    corpus: Path, one_process: dict[str, Any], scheduler: str, tmp_path: Path
) -> None:
    db_path = tmp_path / "corpus.db"
    command = [sys.executable, "-c", CLI, "ingest", str(corpus), "--db", f"sqlite:///{db_path}"]
    command += ["--dask", scheduler]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_articles(process, db_path, 2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored = len(snapshot(f"sqlite:///{db_path}")["records"])
    assert 2 <= stored < 16
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"ingested {16 - stored} articles" in rerun.stdout
    assert snapshot(f"sqlite:///{db_path}")["records"] == one_process["records"]


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    write_articles(tmp_path / "in", 1)
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "in"), "--db", db, "--dask", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("onrecord: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
