"""Extraction for the service (/api/extract, /try) on worker processes it can kill.

One article that is slow or huge to extract must not take the server with it (issue 15:
a 972 KB body once ran for 20 minutes and grew to 12.6 GB, and kept running after the
client had left). So each extraction runs in a worker process of its own, and the
request waiting for it kills that worker (and starts another) when

- it runs past the time limit (``ExtractionLimits.seconds``, ``serve --extract-timeout``),
- its memory (RSS, read from /proc every ``POLL_SECONDS``) passes ``memory_bytes``,
- the client disconnects, or the request is cancelled (the server shutting down).

At most ``workers`` articles are extracted at once and ``waiting`` more may wait; past
that a request is answered 503 at once, with Retry-After. Only the parent talks to a
worker: one article in, one record (or an error) out, over a pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..inputs import ArticleInput
from ..record import Record
from .errors import ApiError, size_in_words

ExtractFunction = Callable[[ArticleInput], Record]
Disconnected = Callable[[], Awaitable[bool]]

#: How often a running extraction's memory and its client are checked.
POLL_SECONDS = 0.1
#: How long a request waits for a fresh worker to start (load the model) before 503.
START_SECONDS = 120.0
#: Retry-After (seconds) of the 503 answered when every worker and waiting place is taken.
RETRY_AFTER_SECONDS = 5
#: Extraction yields the CPU to the server processes answering pages and reads.
WORKER_NICENESS = 10
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class ExtractionLimits:
    seconds: float = 30.0
    memory_bytes: int = 1_000_000_000  # RSS; an idle worker with the fast model: ~300 MB
    workers: int = 1  # articles extracted at once (one process each)
    waiting: int = 4  # requests that may wait for a worker; more get 503


class ExtractionStopped(ApiError):
    """The extraction was stopped by a limit; the worker was killed and is replaced."""


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, extract: ExtractFunction, warm: bool) -> None:
        context = multiprocessing.get_context("spawn")  # a clean process: no threads, no db
        self.conn, child_end = context.Pipe()
        self.process = context.Process(
            target=serve_extractions,
            args=(child_end, extract, warm, os.getpid()),
            name="onrecord-extract",
            daemon=True,  # never outlives the server
        )
        self.process.start()
        child_end.close()
        self.ready = False

    def rss(self) -> int:
        """Resident memory in bytes (0 where /proc is not there to read)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/statm").read_text().split()
        except OSError:
            return 0
        return int(fields[1]) * PAGE_BYTES

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


def serve_extractions(conn: Connection, extract: ExtractFunction, warm: bool, parent: int) -> None:
    """The worker's loop: an article in, ("ok", record) or ("error", message) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which kills us
    with contextlib.suppress(OSError):  # pages and reads come first on a busy machine
        os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if warm:  # load the model now, so the first request's time limit is the extraction's
        with contextlib.suppress(Exception):
            extract(ArticleInput(text="The mayor said “the roads will reopen” on Friday."))
    conn.send(("ready", None))
    while True:
        try:
            article = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extract(article)))
        except MemoryError:
            conn.send(("memory", "the article needs more memory than the server allows"))
        except Exception as exc:  # the request's failure, not the worker's
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _exit_with_parent(parent: int) -> None:
    """A worker whose server is gone (killed with SIGKILL) ends too, even mid-article."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class ExtractionPool:
    """Extraction on worker processes, each request bounded in time and memory."""

    def __init__(
        self,
        extract: ExtractFunction,
        limits: ExtractionLimits | None = None,
        *,
        warm: bool = False,
    ) -> None:
        self.extract = extract
        self.limits = limits or ExtractionLimits()
        self.warm = warm
        self._idle: list[Worker] = []
        self._admitted = 0  # requests running or waiting (touched on the event loop only)
        self._slots: asyncio.Semaphore | None = None
        self._all: set[Worker] = set()
        self._closed = False

    def start(self) -> None:
        """Start the workers now (``serve`` does, so the first request finds them warm)."""
        while len(self._all) < self.limits.workers:
            worker = Worker(self.extract, self.warm)
            self._all.add(worker)
            self._idle.append(worker)

    async def run(self, article: ArticleInput, disconnected: Disconnected | None = None) -> Record:
        if self._closed:
            raise ApiError(503, "unavailable", "the server is shutting down")
        if self._admitted >= self.limits.workers + self.limits.waiting:
            raise ApiError(
                503,
                "busy",
                "too many articles are being extracted now: try again shortly",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.workers)
        self._admitted += 1
        try:
            async with self._slots:
                worker = self._idle.pop() if self._idle else self._new_worker()
                finished = False
                try:
                    record = await self._extract_on(worker, article, disconnected)
                    finished = True
                    return record
                finally:
                    if finished:
                        self._idle.append(worker)
                    else:  # stopped, failed or cancelled mid-article: never reused
                        self._retire(worker)
        finally:
            self._admitted -= 1

    def _new_worker(self) -> Worker:
        worker = Worker(self.extract, self.warm)
        self._all.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        self._all.discard(worker)
        worker.kill()
        if not self._closed and len(self._all) < self.limits.workers:
            self._idle.append(self._new_worker())  # starts loading now, for the next one

    async def _extract_on(
        self, worker: Worker, article: ArticleInput, disconnected: Disconnected | None
    ) -> Record:
        if not worker.ready:
            status, _ = await self._answer(worker, START_SECONDS, disconnected, starting=True)
            worker.ready = True
        try:
            await asyncio.to_thread(worker.conn.send, article)
        except OSError:  # it died while idle (the system's out-of-memory killer)
            raise ApiError(
                503, "unavailable", "the extraction worker stopped: try again shortly"
            ) from None
        status, payload = await self._answer(worker, self.limits.seconds, disconnected)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "memory":
            raise self._over_memory()
        raise ApiError(422, "extraction_failed", f"the article could not be extracted: {payload}")

    async def _answer(
        self,
        worker: Worker,
        seconds: float,
        disconnected: Disconnected | None,
        *,
        starting: bool = False,
    ) -> tuple[str, Any]:
        """The worker's next message, checking the limits and the client while waiting."""
        loop = asyncio.get_running_loop()
        readable = loop.create_future()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        fd = worker.conn.fileno()
        loop.add_reader(fd, wake)
        deadline = loop.time() + seconds
        try:
            while not readable.done():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise self._too_slow(starting)
                await asyncio.wait({readable}, timeout=min(POLL_SECONDS, remaining))
                if readable.done():
                    break
                if worker.rss() > self.limits.memory_bytes:
                    raise self._over_memory()
                if disconnected is not None and await disconnected():
                    raise ExtractionStopped(499, "client_closed", "the client went away")
        finally:
            loop.remove_reader(fd)
        try:
            message: tuple[str, Any] = await asyncio.to_thread(worker.conn.recv)
        except (EOFError, OSError):  # the worker died (killed from outside, a crash)
            raise ApiError(
                503, "unavailable", "the extraction worker stopped: try again shortly"
            ) from None
        return message

    def _too_slow(self, starting: bool) -> ExtractionStopped:
        if starting:
            return ExtractionStopped(
                503, "unavailable", "the extraction worker did not start in time: try again"
            )
        limit = f"{self.limits.seconds:g} seconds"
        return ExtractionStopped(
            413,
            "too_slow",
            f"the extraction was stopped at the time limit of {limit}: send a shorter "
            "article, or extract it with `onrecord extract`",
        )

    def _over_memory(self) -> ExtractionStopped:
        limit = size_in_words(self.limits.memory_bytes)
        return ExtractionStopped(
            413,
            "too_much_memory",
            f"the extraction was stopped at the memory limit of {limit}: send a shorter "
            "article, or extract it with `onrecord extract`",
        )

    def close(self) -> None:
        """Kill every worker now (shutdown must not wait for an article to finish)."""
        self._closed = True
        workers, self._all, self._idle = self._all, set(), []
        for worker in workers:
            worker.kill()
