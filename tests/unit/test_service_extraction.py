"""One extraction cannot take the service down: it runs in a worker process that is killed
(and replaced) at the time limit, at the memory limit, or when its client leaves; beyond
the workers and the waiting places a request gets 503 with Retry-After at once.

The extraction stands in for the model (tests/unit/extract_standins.py: the article's
first word says how it behaves), and one app serves every test, its pool replacing the
workers the tests kill, so the suite starts few processes."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from onrecord.inputs import ArticleInput
from onrecord.service import create_app
from onrecord.service.extraction import ExtractionLimits, ExtractionStopped
from tests.unit.extract_standins import any_extract
from tests.unit.test_api_corpus import build_store

LIMITS = ExtractionLimits(seconds=3.0, memory_bytes=300_000_000, workers=1, waiting=2)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    url = build_store(tmp_path_factory.mktemp("corpus") / "c.db")
    service = create_app(url, extract=any_extract, extraction=LIMITS)
    yield service
    service.state.extractor.close()


async def post_all(app, bodies: list[dict], *, meanwhile=None) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        posts = [asyncio.create_task(client.post("/api/extract", json=b)) for b in bodies]
        if meanwhile is not None:
            await meanwhile(posts)
        return list(await asyncio.gather(*posts))


def extract_one(app, text: str) -> httpx.Response:
    (response,) = asyncio.run(post_all(app, [{"text": text}]))
    return response


def test_workers_are_reused_between_requests(app) -> None:
    titles = [extract_one(app, f"pid “{n}”").json()["article"]["title"] for n in range(3)]
    assert len(set(titles)) == 1  # one process extracted all three


def test_beyond_the_workers_and_the_queue_503_with_retry_after(app, tmp_path) -> None:
    gate = tmp_path / "gate"

    async def open_gate_when_two_refused(posts) -> None:
        for _ in range(400):
            if sum(post.done() for post in posts) >= 2:
                break
            await asyncio.sleep(0.05)
        gate.touch()

    bodies = [{"text": f"gated “yes {n}”", "title": str(gate)} for n in range(5)]
    responses = asyncio.run(post_all(app, bodies, meanwhile=open_gate_when_two_refused))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 503, 503]
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.json()["error"]["code"] == "busy"
    assert int(busy.headers["retry-after"]) > 0


def test_an_endless_extraction_is_stopped_at_the_time_limit_and_the_next_one_served(app):
    started = time.monotonic()
    stopped = extract_one(app, "forever and ever")
    took = time.monotonic() - started
    assert stopped.status_code == 413
    assert stopped.json()["error"]["code"] == "too_slow"
    assert "time limit of 3 seconds" in stopped.json()["error"]["message"]
    assert took < 30  # 3 s of extraction; the worker may still be starting on a busy machine
    # by the worker started in place of the killed one
    assert extract_one(app, "He said “fine” today.").status_code == 200


def test_an_extraction_over_the_memory_limit_is_stopped_and_its_worker_replaced(app) -> None:
    stopped = extract_one(app, "hungry for memory")
    assert stopped.status_code == 413
    assert stopped.json()["error"]["code"] == "too_much_memory"
    assert "memory limit of 300 MB" in stopped.json()["error"]["message"]
    assert extract_one(app, "He said “fine” today.").status_code == 200


def test_an_extraction_whose_client_left_is_stopped_and_its_worker_killed(app) -> None:
    pool = app.state.extractor
    pids: list[int] = []

    async def run() -> None:
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

    asyncio.run(run())
    assert pids and not alive(pids[0])


def test_a_failing_extraction_is_a_422_and_the_worker_serves_on(app) -> None:
    response = extract_one(app, "failing article")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "extraction_failed",
        "message": "the article could not be extracted: ValueError: no sentences in this text",
    }
    assert extract_one(app, "He said “fine” today.").status_code == 200


def test_close_kills_the_workers(tmp_path) -> None:
    service = create_app(build_store(tmp_path / "c.db"), extract=any_extract)
    pid = int(extract_one(service, "pid “1”").json()["article"]["title"])
    assert alive(pid)
    service.state.extractor.close()
    assert not alive(pid)
    assert os.getpid() != pid


def test_the_size_limit_is_said_in_words_and_bytes(app) -> None:
    response = extract_one(app, "x" * 1_000_001)
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        "the request body is over the limit of 1 MB (1,000,000 bytes)"
    )
