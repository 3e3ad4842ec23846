"""The store under races and faults: processes opening a fresh database at the same
instant, concurrent failure records, and a web service whose PostgreSQL goes away and
comes back (issue 17)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from onrecord.service.app import create_app
from onrecord.store import StoreUnavailable, open_store
from onrecord.store import db as store_db

from ..tcp_proxy import TcpProxy
from .test_store import border_record, store_url

__all__ = ["store_url"]  # the fixture: a fresh SQLite file or PostgreSQL schema

OPENERS = 8


def open_and_record_failures(url: str, start: Any, results: Any, number: int) -> None:
    start.wait()  # every process opens the fresh store at the same instant
    try:
        with open_store(url) as store:
            for attempt in range(5):
                store.record_failure("feed.jsonl#3", f"reason {number}.{attempt}")
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_fresh_store_at_once_all_succeed(store_url: str) -> None:
    # fork: the openers start at once, without importing onrecord again
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(OPENERS), context.Queue()
    processes = [
        context.Process(target=open_and_record_failures, args=(store_url, start, results, n))
        for n in range(OPENERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    outcomes = [results.get(timeout=5) for _ in processes]
    assert outcomes == ["ok"] * OPENERS
    with open_store(store_url, read_only=True) as store:
        assert store.schema_version() == max(v for v, _, _ in store.migrations())
        [failure] = store.failures()  # one row per input: the latest reason won
    assert failure["path"] == "feed.jsonl#3" and failure["reason"].startswith("reason ")


POSTGRES_ONLY = pytest.mark.parametrize("store_url", ["postgres"], indirect=True)


@pytest.fixture
def proxied_pg(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A PostgreSQL store with a corpus, reached through a proxy the test can cut."""
    with open_store(store_url) as store:
        store.add_record(border_record(), outlet="Example Wire")
    monkeypatch.setattr(store_db, "POOL_TIMEOUT_S", 1.0)
    proxy, url = TcpProxy.to_url(store_url)
    proxy.start()
    yield proxy, url
    proxy.cut()


@POSTGRES_ONLY
def test_serve_answers_503_while_postgres_is_away_and_recovers_by_itself(
    proxied_pg: tuple[TcpProxy, str],
) -> None:
    proxy, url = proxied_pg
    with TestClient(create_app(url)) as client:
        assert client.get("/api/articles").json()["total"] == 1
        proxy.cut()
        started = time.monotonic()
        away = client.get("/api/articles")
        assert away.status_code == 503
        assert away.json()["error"]["code"] == "unavailable"
        assert time.monotonic() - started < 10
        page = client.get("/dashboard")  # pages too, as an HTML page
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
        proxy.start()
        deadline = time.monotonic() + 20
        while (back := client.get("/api/articles")).status_code == 503:
            assert time.monotonic() < deadline, "the service did not reconnect"
            time.sleep(0.2)
        assert back.status_code == 200 and back.json()["total"] == 1


@POSTGRES_ONLY
def test_a_lost_connection_is_store_unavailable(
    proxied_pg: tuple[TcpProxy, str], store_url: str
) -> None:
    proxy, url = proxied_pg
    store = open_store(url)
    try:
        assert store.list_articles().total == 1
        proxy.cut()
        with pytest.raises(StoreUnavailable, match="the database is unavailable"):
            store.add_record(border_record(), force=True)
    finally:
        store.close()
    with open_store(store_url) as check:
        assert check.list_articles().total == 1  # the forced replace rolled back whole


def test_a_locked_sqlite_file_is_store_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    with open_store(url) as store:
        blocker = sqlite3.connect(tmp_path / "corpus.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreUnavailable, match="database is locked"):
                store.add_record(border_record())
        finally:
            blocker.close()
        assert store.add_record(border_record()) == "added"
