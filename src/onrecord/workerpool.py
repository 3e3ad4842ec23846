"""Batches of work on worker processes that may die (``ProcessPoolExecutor``), for ingest.

A worker that dies (killed, or by the out-of-memory killer) breaks its pool and every
batch in flight with it (``BrokenProcessPool``). Those batches' items are retried once,
one at a time in a fresh pool, so an item that kills its worker again is known: the
caller is told (``on_dead``), and the run goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import OnrecordError

T = TypeVar("T")  # an item of work
R = TypeVar("R")  # what a batch gives back

POLL_SECONDS = 0.2  # how soon a stop request is noticed while workers are busy


class WorkersCannotStart(OnrecordError):
    """Worker processes die as they start: no item's fault, so the run stops."""

    code = "E012"


@dataclass(frozen=True)
class PoolSpec(Generic[T, R]):
    """What the workers run: ``work(batch, None)`` after ``initializer(*initargs)``."""

    work: Callable[[list[T], Any], list[R]]
    jobs: int
    initializer: Callable[..., None]
    initargs: tuple[Any, ...] = ()


def run_batches(
    batches: Sequence[list[T]],
    spec: PoolSpec[T, R],
    *,
    on_result: Callable[[R], None],
    on_dead: Callable[[T], None],
    stopped: Callable[[], bool],
) -> None:
    """Run every batch, at most two per worker in flight (memory stays flat on big
    inputs), giving each result to ``on_result`` in input order within a batch; an item
    that kills its worker even when alone goes to ``on_dead``. An exception raised by
    ``work`` itself stops the run (it is no one item's fault)."""
    queued: deque[list[T]] = deque(batches)
    suspects: deque[T] = deque()  # items whose worker died, to retry one at a time
    in_flight: dict[Future[list[R]], tuple[list[T], bool]] = {}  # batch, a retry?
    pool: ProcessPoolExecutor | None = None  # started when there is work for it
    try:
        while not stopped():
            if suspects and not in_flight:
                pool = pool or _start_pool(spec)
                item = suspects.popleft()
                in_flight[pool.submit(spec.work, [item], None)] = ([item], True)
            elif not suspects and not any(retry for _, retry in in_flight.values()):
                while queued and len(in_flight) < 2 * spec.jobs:
                    pool = pool or _start_pool(spec)
                    batch = queued.popleft()
                    in_flight[pool.submit(spec.work, batch, None)] = (batch, False)
            if not in_flight:
                return
            done, _ = wait(in_flight, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            if any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                done, _ = wait(in_flight)  # the pool is dead: all in flight end now
            broken = False
            for future in [f for f in in_flight if f in done]:  # in input order
                batch, retry = in_flight.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                    if retry:  # it was alone in the pool: this item kills its worker
                        on_dead(batch[0])
                    else:
                        suspects.extend(batch)
                elif error is not None:
                    raise error
                else:
                    for result in future.result():
                        on_result(result)
                        if stopped():
                            return
            if broken and pool is not None:
                retire(pool)
                pool = None
    finally:
        if pool is not None:
            retire(pool)


def _start_pool(spec: PoolSpec[T, R]) -> ProcessPoolExecutor:
    """A pool with one worker known to be up. Without that check, workers that cannot
    start at all would look like items killing them, each retried alone."""
    for _ in range(2):  # a worker may die at start for reasons of the moment (memory)
        # spawn: workers start clean (no inherited threads or open database handles)
        pool = ProcessPoolExecutor(
            spec.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=spec.initializer,
            initargs=spec.initargs,
        )
        try:
            pool.submit(_worker_ready).result()
            return pool
        except BrokenProcessPool:
            retire(pool)
    raise WorkersCannotStart("the worker processes die as they start; run with -j 1 to see why")


def _worker_ready() -> bool:
    return True


def retire(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued batches are dropped and running ones killed (in ingest the
    parent does every write, so nothing is half-written)."""
    # no public way to kill the workers before Python 3.14 (kill_workers)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()  # a no-op for one that has already ended
