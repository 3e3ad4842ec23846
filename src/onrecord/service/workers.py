"""Where the service runs blocking work: store queries and extraction, off the event loop.

Store queries run on a fixed set of threads, each with its own store opened on first use
(SQLite: a connection per thread, so readers run side by side; PostgreSQL: one store over a
connection pool, shared by the threads, see ``app.read_only_store``). A database that is
away gives 503 until it is back; nothing needs restarting. Extraction runs on worker
processes with limits of time and memory (service/extraction.py); ``extract_article`` is
what they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import OnrecordError
from ..inputs import ArticleInput
from ..record import Record
from ..store.db import StoreUnavailable
from .errors import ApiError

T = TypeVar("T")
StoreFactory = Callable[[], Any]


class StoreWorkers:
    """Run functions of a store on worker threads that each own one store."""

    def __init__(self, factory: StoreFactory, threads: int = 8) -> None:
        self._factory = factory
        self._threads = threads
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Any] = []
        self._executor: ThreadPoolExecutor | None = None

    async def call(self, work: Callable[[Any], T]) -> T:
        """``work(store)`` on a worker thread; failures to open the store become 503."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), self._run, work)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self._threads, thread_name_prefix="onrecord-store"
                )
            return self._executor

    def _run(self, work: Callable[[Any], T]) -> T:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._open()
            self._local.store = store
        try:
            return work(store)
        except StoreUnavailable as exc:  # the store recovers by itself when it comes back
            message = f"the corpus database is unavailable now, try again shortly: {exc}"
            raise ApiError(503, "unavailable", message) from None

    def _open(self) -> Any:
        try:
            store = self._factory()
        except (OnrecordError, OSError) as exc:
            message = f"the corpus database cannot be opened: {exc}"
            raise ApiError(503, "unavailable", message) from None
        with self._lock:
            if store not in self._opened:  # a pooled store is shared by every thread
                self._opened.append(store)
        return store

    def close(self) -> None:
        """Stop the threads and close every store they opened (best effort at shutdown)."""
        with self._lock:
            executor, self._executor = self._executor, None
            opened, self._opened = self._opened, []
        if executor is not None:
            executor.shutdown(wait=True)
        for store in opened:
            # Best effort: a driver may refuse a close from a thread other than its own.
            with contextlib.suppress(Exception):
                store.close()


def extract_article(article: ArticleInput) -> Record:
    """The real extraction: our pipeline, loaded on first call (then cached per process)."""
    from ..pipeline import extract

    return extract(article.text, published=article.published, url=article.url, title=article.title)
