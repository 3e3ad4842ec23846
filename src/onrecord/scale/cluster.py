"""Ingest on a Dask cluster: the workers read and extract, this process writes.

Each worker loads the pipeline once (``LoadPipeline``, a worker plugin) and runs splits:
a few files, or a byte range of a big JSONL or WARC.gz (``splits``), giving back the
outcomes. The results flow back to one writer, here, which stores them exactly as local
ingest does (``ingest.save_outcome``): one transaction per article, dedupe by content, a
rerun skipping what is stored, the failures table, ``--force``. We chose one writer over
workers writing to PostgreSQL themselves because:

- the guarantees come from one code path, the one `-j` uses and the tests hold to; the
  store resolves each source against every source already stored, which workers writing
  at once would have to serialise anyway (the store takes a lock per article);
- a task the scheduler runs twice (its worker died after it finished) is stored once, and
  SQLite and the Parquet output (``--out``) work, not only PostgreSQL;
- the writer is not the bottleneck: storing takes milliseconds an article, extraction
  hundreds (docs/scale.md has the numbers), so one writer keeps up with many workers.

At most ``max_in_flight`` splits are submitted and not yet stored, so memory is bounded on
the client and the workers whatever the size of the input. A worker that dies has its
splits rerun elsewhere by the scheduler; a split that keeps killing workers is retried one
article at a time, and an article that kills its worker alone is recorded as a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin

from ..errors import OnrecordError
from ..ingest import (
    BATCH_SIZE,
    WORKER_DIED,
    Known,
    Outcome,
    StopFlag,
    Summary,
    extract_inputs,
    failed,
    save_outcome,
)
from ..store import StoreError
from .splits import Split, alone, entries, list_files, plan

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
POLL_SECONDS = 0.1  # how soon a finished split, or a stop request, is noticed
SPLITS_PER_THREAD = 2  # in flight: one running and one waiting on each worker thread

#: For `local:N`, whose scheduler lives in this process: the statistical profiler samples
#: each worker's stack every 10 ms, time taken from extraction for a dashboard view ingest
#: does not need; the scheduler's event logs keep 10,000 entries a topic by default, which
#: a long run fills (the client's memory would grow by them).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.log-length": 1000,
}

SplitExtractor = Callable[[Split, Known], list[Outcome]]
ClusterProgress = Callable[[Summary, int], None]  # the summary, and splits done


class ClusterError(OnrecordError):
    """The cluster cannot be reached or fails as a whole (no one input's fault)."""

    code = "E014"


# -- on the workers -----------------------------------------------------------------------

_LOAD_ERROR: BaseException | None = None
_EXTRACTING = threading.Lock()  # one pipeline per process: threads take turns with it
_KNOWN: dict[str, Known] = {}  # what the store holds, by run (several may share a cluster)


class IngestRun(WorkerPlugin):
    """Set up on each worker as it joins, also one that replaces a dead worker: loads the
    pipeline once, so no split pays for it, and keeps what the store already holds. A
    plugin, not scattered data: data dies with the workers holding it, a plugin is given
    again to every new worker."""

    def __init__(self, run: str, pipeline: str, known: Known) -> None:
        self.name = run
        self.pipeline = pipeline
        self.known = known

    async def setup(self, worker: Any) -> None:
        from ..pipeline import PIPELINE_ENV

        _KNOWN[self.name] = self.known
        os.environ[PIPELINE_ENV] = self.pipeline
        await asyncio.to_thread(_load)  # the worker keeps answering the scheduler meanwhile

    def teardown(self, worker: Any) -> None:
        _KNOWN.pop(self.name, None)


def run_split(run: str, extract: SplitExtractor, split: Split) -> list[Outcome]:
    """The task: ``extract`` on the split, with what the store holds."""
    if _LOAD_ERROR is not None:
        raise _LOAD_ERROR
    with _EXTRACTING:
        return extract(split, _KNOWN[run])


def _load() -> None:
    global _LOAD_ERROR
    from ..pipeline import load

    try:
        load()
    except Exception as exc:  # reported by every split this worker runs
        _LOAD_ERROR = exc


def extract_split(split: Split, known: Known) -> list[Outcome]:
    """Every article of the split extracted, in batches (stored ones skipped by name)."""
    outcomes: list[Outcome] = []
    batch = []
    for entry in entries(split):
        if not known.force and entry.ref in known.paths:
            outcomes.append(Outcome(entry.ref, "duplicate"))  # stored by an earlier run
            continue
        batch.append((entry.ref, entry.read))
        if len(batch) == BATCH_SIZE:
            outcomes.extend(extract_inputs(batch, known))
            batch = []
    outcomes.extend(extract_inputs(batch, known) if batch else [])
    return outcomes


def single_articles(split: Split) -> list[Split]:
    """The split cut into one split per article (read, not extracted)."""
    return [alone(entry) for entry in entries(split)]


def first_ref(split: Split) -> str:
    piece = split.pieces[0]
    return piece.name if piece.kind in ("file", "bad") else f"{piece.name}@{piece.start}"


# -- on the client ------------------------------------------------------------------------


@contextlib.contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster`` for
    ``local:N`` (N worker processes of one thread each, closed at the end)."""
    if address.startswith("local:"):
        workers = address.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise ClusterError(
                f"--dask {address}: expected local:N (N worker processes, N >= 1) "
                "or a scheduler address such as tcp://HOST:8786"
            )
        with (
            dask.config.set(LOCAL_CLUSTER_CONFIG),
            LocalCluster(
                n_workers=int(workers),
                threads_per_worker=1,
                processes=True,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a bad address
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({reason}); check the address, "
            "or start one with `dask scheduler`"
        ) from None
    with client:
        yield client


def ingest_on_cluster(
    paths: Iterable[str | Path],
    store: Any,
    *,
    address: str,
    force: bool = False,
    max_in_flight: int | None = None,
    range_bytes: dict[str, int] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: ClusterProgress | None = None,
    on_dashboard: Callable[[str], None] | None = None,
    extract: SplitExtractor = extract_split,
) -> Summary:
    """Ingest every article under ``paths`` (local paths or fsspec URLs the workers can
    read) into ``store`` (a ``Store`` or a ``ParquetOutput``), extracting on the Dask
    cluster at ``address`` (``tcp://HOST:PORT`` or ``local:N``).

    ``on_start`` gets the number of splits; ``on_progress`` the summary and the splits
    done; ``on_dashboard`` the dashboard's address. Raises ``ClusterError`` when the
    cluster cannot be reached or fails, ``StoreError`` if the database goes away: what
    was stored until then is whole, and a rerun goes on from there.
    """
    from ..pipeline import default_pipeline

    started = time.perf_counter()
    summary = Summary()
    count, splits = plan(list_files(paths), range_bytes)
    ids, urls, stored_paths = store.known_inputs()
    known = Known(frozenset(ids), frozenset(urls), force, frozenset(stored_paths))
    with connect(address) as client:
        if on_dashboard and client.dashboard_link:
            on_dashboard(client.dashboard_link)
        name = f"onrecord-ingest-{uuid.uuid4().hex}"
        client.register_plugin(IngestRun(name, default_pipeline(), known))
        if on_start:
            on_start(count)
        run = _Run(client, name, extract, max_in_flight)

        def store_outcome(outcome: Outcome) -> None:
            save_outcome(store, outcome, summary, force)
            summary.seconds = time.perf_counter() - started
            if on_progress:
                on_progress(summary, run.done)

        with StopFlag() as stop:
            try:
                run.all(splits, store_outcome, stop)
            except StoreError as exc:
                raise StoreError(
                    f"{exc}; stopped after storing {summary.ingested} articles this run "
                    "(each one whole): run the same command again to go on"
                ) from exc
            finally:
                with contextlib.suppress(Exception):  # the cluster may be gone
                    client.unregister_worker_plugin(name)
            summary.interrupted = stop.stopped
    summary.seconds = time.perf_counter() - started
    return summary


class _Run:
    """Splits submitted, at most ``limit`` at a time, and their outcomes stored as they
    finish."""

    def __init__(
        self, client: Client, name: str, extract: SplitExtractor, limit: int | None
    ) -> None:
        self.client, self.name, self.extract, self.fixed_limit = client, name, extract, limit
        self.in_flight: dict[Future, tuple[str, Split]] = {}  # what, and of which split
        self.singles: deque[Split] = deque()  # articles to retry one at a time
        self.done = 0
        self.threads, self.counted_at = 0, -1e9

    def limit(self) -> int:
        """Two splits a worker thread, counted again (each second at most) as workers
        join or leave."""
        if self.fixed_limit:
            return self.fixed_limit
        if time.monotonic() - self.counted_at > 1.0:
            self.threads = sum(self.client.nthreads().values())
            self.counted_at = time.monotonic()
        return max(2, SPLITS_PER_THREAD * self.threads)

    def all(self, splits: Iterator[Split], store: Callable[[Outcome], None], stop: Any) -> None:
        while not stop.stopped:
            self._fill(splits)
            if not self.in_flight:
                return
            finished = [future for future in self.in_flight if future.done()]
            if not finished:
                time.sleep(POLL_SECONDS)
                continue
            for future in finished:
                for outcome in self._outcomes(future):
                    store(outcome)
                    if stop.stopped:
                        return

    def _fill(self, splits: Iterator[Split]) -> None:
        limit = self.limit()
        while len(self.in_flight) < limit:
            if self.singles:
                self._submit("single", self.singles.popleft())
                continue
            split = next(splits, None)
            if split is None:
                return
            self._submit("split", split)

    def _submit(self, what: str, split: Split) -> None:
        # pure=False: the same split twice (a rerun in one session) is extracted again
        future: Future
        if what == "cut":
            future = self.client.submit(single_articles, split, pure=False)
        else:
            future = self.client.submit(run_split, self.name, self.extract, split, pure=False)
        self.in_flight[future] = (what, split)

    def _outcomes(self, future: Future) -> list[Outcome]:
        what, split = self.in_flight.pop(future)
        try:
            result = future.result()
        except KilledWorker:
            # its workers died each time the scheduler tried it (the scheduler already
            # retried it elsewhere): an article in it kills its worker
            if what == "split":
                self._submit("cut", split)
                return []
            self.done += what == "cut"
            return [failed(first_ref(split), WORKER_DIED)]
        except Exception as exc:
            raise ClusterError(
                f"extraction failed on the cluster: {type(exc).__name__}: {exc}"
            ) from exc
        if what == "cut":
            self.singles.extend(result)
            self.done += 1
            return []
        self.done += what == "split"
        return list(result)
