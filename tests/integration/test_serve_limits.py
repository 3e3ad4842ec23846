"""A real `onrecord serve --workers 2` with the real extraction: an article too slow to
extract is stopped at the time limit while the pages keep answering, one whose client
gives up is stopped at once, and SIGTERM stops the server, its processes and its
extraction workers within 10 s, even mid-extraction."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.unit.test_api_corpus import build_store

#: A long article of ordinary sentences with quotes: far more than 2 s of extraction.
PARAGRAPH = (
    "“We will rebuild the bridge before winter,” said Maria Lopez, the city's transport "
    "director, adding that the council had approved $12 million for the work on Tuesday. "
    "Critics said the plan was rushed. "
)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def server(tmp_path: Path):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux /proc to see the server's processes")
    url = build_store(tmp_path / "served.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from onrecord.cli import main; main()", "serve"]
    command += ["--db", url, "--port", str(port), "--workers", "2", "--extract-timeout", "2"]
    process = subprocess.Popen(command)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/stats").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "onrecord serve exited"
            assert time.monotonic() < deadline, "onrecord serve did not answer in 120 s"
            time.sleep(0.3)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_slow_extraction_is_stopped_the_pages_answer_and_sigterm_ends_it_all(server):
    process, base = server
    article = {"text": PARAGRAPH * 1500}  # about 330 KB
    gets: list[float] = []

    def read_pages_meanwhile(stop: threading.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            assert httpx.get(f"{base}/api/stats", timeout=10).status_code == 200
            gets.append(time.monotonic() - started)
            time.sleep(0.05)

    stop = threading.Event()
    reader = threading.Thread(target=read_pages_meanwhile, args=(stop,))
    reader.start()
    try:
        started = time.monotonic()
        response = httpx.post(f"{base}/api/extract", json=article, timeout=120)
        took = time.monotonic() - started
    finally:
        stop.set()
        reader.join()
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_slow"
    # 2 s of extraction; the worker may still be loading the model on a busy machine
    assert took < 60
    assert gets and max(gets) < 5  # the pages answered all along (timing: see bench/)

    # A client that gives up: its extraction's worker is killed (and replaced) at once.
    before = descendants(process.pid)
    with pytest.raises(httpx.TimeoutException):
        httpx.post(f"{base}/api/extract", json=article, timeout=1.5)
    deadline = time.monotonic() + 10
    while all(running(pid) for pid in before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not all(running(pid) for pid in before), "the extraction outlived its client"

    # SIGTERM while an extraction runs: everything is gone within 10 s.
    in_flight = threading.Thread(
        target=lambda: httpx.post(f"{base}/api/extract", json=article, timeout=30),
        daemon=True,
    )
    in_flight.start()
    time.sleep(1.0)
    family = descendants(process.pid)
    assert len(family) >= 4  # two server processes, each with an extraction worker
    started = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=15)
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 2
    while any(running(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if running(pid)]
