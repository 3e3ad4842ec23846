"""One extraction cannot take the service down: it runs in a worker process that is killed
(and replaced) at the time limit, at the memory limit, or when its client leaves; beyond
the workers and the waiting places a request gets 503 with Retry-After at once.

The extraction functions stand in for the model (tests/unit/extract_standins.py). Each
test's limits are small so the suite stays quick."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from onrecord.inputs import ArticleInput
from onrecord.service import create_app
from onrecord.service.extraction import ExtractionLimits, ExtractionPool, ExtractionStopped
from tests.unit.extract_standins import (
    endless_extract,
    failing_extract,
    gated_extract,
    hungry_extract,
    pid_extract,
    quick_extract,
)
from tests.unit.test_api_corpus import build_store


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_store(tmp_path_factory.mktemp("corpus") / "c.db")


async def post_all(app, bodies: list[dict], *, after_first=None) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        posts = [asyncio.create_task(client.post("/api/extract", json=b)) for b in bodies]
        if after_first is not None:
            await after_first(posts)
        return list(await asyncio.gather(*posts))


def test_beyond_the_workers_and_the_queue_503_with_retry_after(corpus_url, tmp_path):
    gate = tmp_path / "gate"
    limits = ExtractionLimits(seconds=30, workers=1, waiting=2)
    app = create_app(corpus_url, extract=gated_extract, extraction=limits)

    async def open_gate_when_two_refused(posts) -> None:
        for _ in range(400):
            if sum(post.done() for post in posts) >= 2:
                break
            await asyncio.sleep(0.05)
        gate.touch()

    bodies = [{"text": f"The mayor said “yes {n}”.", "title": str(gate)} for n in range(5)]
    responses = asyncio.run(post_all(app, bodies, after_first=open_gate_when_two_refused))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 503, 503]
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.json()["error"]["code"] == "busy"
    assert int(busy.headers["retry-after"]) > 0
    app.state.extractor.close()


def test_an_endless_extraction_is_stopped_at_the_time_limit_and_the_next_one_served(
    corpus_url,
):
    limits = ExtractionLimits(seconds=1.0, workers=1)
    app = create_app(corpus_url, extract=endless_extract, extraction=limits)
    started = time.monotonic()
    (stopped,) = asyncio.run(post_all(app, [{"text": "forever and ever"}]))
    took = time.monotonic() - started
    assert stopped.status_code == 413
    assert stopped.json()["error"]["code"] == "too_slow"
    assert "time limit of 1 seconds" in stopped.json()["error"]["message"]
    # one second of extraction, plus starting the worker (slow on a busy 2-core machine)
    assert took < 30
    (served,) = asyncio.run(post_all(app, [{"text": "He said “fine” today."}]))
    assert served.status_code == 200  # by the worker started in place of the killed one
    app.state.extractor.close()


def test_an_extraction_over_the_memory_limit_is_stopped_and_its_worker_replaced() -> None:
    limits = ExtractionLimits(seconds=60, memory_bytes=300_000_000, workers=1)
    pool = ExtractionPool(hungry_extract, limits)

    async def run() -> None:
        with pytest.raises(ExtractionStopped) as stopped:
            await pool.run(ArticleInput(text="x"))
        assert stopped.value.status == 413 and stopped.value.code == "too_much_memory"
        assert "memory limit of 300 MB" in stopped.value.message

    try:
        asyncio.run(run())
        (worker,) = pool._all  # a fresh one, already starting for the next request
        assert worker.process.is_alive()
    finally:
        pool.close()


def test_an_extraction_whose_client_left_is_stopped_and_its_worker_killed() -> None:
    pool = ExtractionPool(endless_extract, ExtractionLimits(seconds=60, workers=1))
    pids: list[int] = []

    async def run() -> float:
        started = time.monotonic()
        checks = 0

        async def disconnected() -> bool:
            nonlocal checks
            if not pids:  # the client leaves once its article is being extracted
                pids.extend(w.process.pid for w in pool._all if w.ready)
            checks += bool(pids)
            return checks > 3

        with pytest.raises(ExtractionStopped) as stopped:
            await pool.run(ArticleInput(text="forever"), disconnected)
        assert stopped.value.code == "client_closed"
        return time.monotonic() - started

    try:
        took = asyncio.run(run())
        assert took < 30
        assert pids and not alive(pids[0])
    finally:
        pool.close()


def test_a_failing_extraction_is_a_422_and_the_worker_serves_on(corpus_url) -> None:
    app = create_app(corpus_url, extract=failing_extract)
    (response,) = asyncio.run(post_all(app, [{"text": "Nothing to see."}]))
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "extraction_failed",
        "message": "the article could not be extracted: ValueError: no sentences in this text",
    }
    app.state.extractor.close()


def test_workers_are_reused_and_killed_at_close() -> None:
    pool = ExtractionPool(pid_extract, ExtractionLimits(workers=1))

    async def run() -> list[str]:
        records = [await pool.run(ArticleInput(text=f"He said “{n}”.")) for n in range(3)]
        return [r.article.title or "" for r in records]

    titles = asyncio.run(run())
    assert len(set(titles)) == 1  # one process extracted all three
    pid = int(titles[0])
    pool.close()
    assert not alive(pid)


def test_the_size_limit_is_said_in_words_and_bytes(corpus_url) -> None:
    app = create_app(corpus_url, extract=quick_extract, max_body_bytes=1_000_000)
    (response,) = asyncio.run(post_all(app, [{"text": "x" * 1_000_001}]))
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        "the request body is over the limit of 1 MB (1,000,000 bytes)"
    )
