"""Ingest: read many articles, extract their records in worker processes, store them.

The parent process finds the inputs, hands batches to the workers and does every
database write itself, one article per transaction, so a killed run leaves only whole
articles behind and a rerun picks up where it stopped (stored inputs are skipped).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from types import FrameType
from typing import Any

from .errors import InputError, one_line
from .inputs import (
    DEFAULT_MAX_CHARS,
    ArticleInput,
    byte_limit,
    decode_bytes,
    from_html_bytes,
    from_json_line,
    over_byte_limit,
    read_article,
)
from .record import Article, Record

FILE_SUFFIXES = (".txt", ".html", ".htm", ".json")
BATCH_SIZE = 8


@dataclass(frozen=True)
class Item:
    """One article to read: a file, a line of a .jsonl file or a record of a WARC."""

    ref: str  # how the failures table and articles.source_path name it
    path: str
    kind: str  # file | jsonl | warc | bad
    offset: int = 0
    problem: str = ""  # for kind "bad": why it cannot be read at all


@dataclass(frozen=True)
class Outcome:
    ref: str
    status: str  # ok | duplicate | failed
    record: Record | None = None
    outlet: str | None = None
    author: str | None = None
    reason: str = ""


@dataclass
class Summary:
    added: int = 0
    replaced: int = 0
    duplicates: int = 0
    failed: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ingested(self) -> int:
        return self.added + self.replaced

    @property
    def done(self) -> int:
        return self.ingested + self.duplicates + self.failed

    def line(self) -> str:
        rate = self.ingested / self.seconds if self.seconds else 0.0
        replaced = f" ({self.replaced} replaced)" if self.replaced else ""
        stopped = "interrupted: " if self.interrupted else ""
        return (
            f"{stopped}ingested {self.ingested} articles{replaced}, "
            f"skipped {self.duplicates} duplicates, {self.failed} failed "
            f"in {self.seconds:.1f} s ({rate:.2f} articles/s)"
        )


# -- finding the inputs -------------------------------------------------------------------


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


def discover(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Every article under ``paths``; directories are walked in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _readable_suffix(child):
                    yield from _items_of(child)
        elif path.is_file():
            if _readable_suffix(path):
                yield from _items_of(path)
            else:
                yield Item(str(path), str(path), "bad", problem=_unknown_suffix(path))
        else:
            yield Item(str(path), str(path), "bad", problem="no such file or directory")


def _readable_suffix(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in FILE_SUFFIXES or suffix == ".jsonl" or is_warc(path)


def _unknown_suffix(path: Path) -> str:
    return (
        f"unknown extension {path.suffix or '(none)'!r}: use .txt, .html, .json, .jsonl, "
        ".warc or .warc.gz"
    )


def _items_of(path: Path) -> Iterator[Item]:
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_items(path)
    elif is_warc(path):
        yield from _warc_items(path)
    else:
        yield Item(str(path), str(path), "file")


def _jsonl_items(path: Path) -> Iterator[Item]:
    offset = 0
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            if line.strip():
                yield Item(f"{path}#{number}", str(path), "jsonl", offset)
            offset += len(line)


def _warc_items(path: Path) -> Iterator[Item]:
    """The HTML responses of a web archive, by record offset (workers read them)."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with path.open("rb") as file:
            records = ArchiveIterator(file)
            for record in records:
                if record.rec_type == "response" and _is_html(record):
                    offset = records.get_record_offset()
                    yield Item(f"{path}@{offset}", str(path), "warc", offset)
    except Exception as exc:  # warcio raises many kinds on a damaged archive
        yield Item(str(path), str(path), "bad", problem=_archive_problem(exc))


def _archive_problem(exc: Exception) -> str:
    """Why warcio could not read an archive, without the bytes it quotes from the file
    ("Unknown archive format, first line: [...]"): a failure row is for people."""
    message = str(exc).split(", first line:")[0].strip() or type(exc).__name__
    return f"unreadable web archive ({one_line(message)[:200]})"


def _is_html(record: Any) -> bool:
    headers = record.http_headers
    content_type = headers.get_header("Content-Type", "") if headers else ""
    return "html" in content_type.lower()


# -- reading and extracting (in the workers) ----------------------------------------------


def read_item(item: Item, max_chars: int = DEFAULT_MAX_CHARS) -> ArticleInput:
    if item.kind == "bad":
        raise InputError(item.ref, item.problem)
    if item.kind == "jsonl":
        with open(item.path, "rb") as file:
            file.seek(item.offset)
            raw = file.readline(byte_limit(max_chars) + 1)  # bounded before parsing
            if len(raw) > byte_limit(max_chars):
                raise InputError(item.ref, over_byte_limit(len(raw), max_chars))
            line = decode_bytes(raw, item.ref)
        return from_json_line(line, item.ref, max_chars=max_chars)
    if item.kind == "warc":
        return _read_warc_record(item, max_chars)
    return read_article(item.path, max_chars=max_chars)


def _read_warc_record(item: Item, max_chars: int) -> ArticleInput:
    from warcio.archiveiterator import ArchiveIterator

    with open(item.path, "rb") as file:
        file.seek(item.offset)
        record = next(iter(ArchiveIterator(file)))
        url = record.rec_headers.get_header("WARC-Target-URI")
        content_type = record.http_headers.get_header("Content-Type", "")
        charset = None
        if "charset=" in content_type:
            charset = content_type.split("charset=")[-1].split(";")[0].strip().strip("\"'")
        data = record.content_stream().read(byte_limit(max_chars) + 1)  # bounded
    return from_html_bytes(data, item.ref, url=url, charset=charset, max_chars=max_chars)


@dataclass(frozen=True)
class Known:
    """What the store already holds, so workers skip extracting duplicates."""

    ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    force: bool = False


_KNOWN = Known()
_INIT_ERROR: BaseException | None = None


def _init_worker(known: Known) -> None:
    global _KNOWN, _INIT_ERROR
    _KNOWN = known
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _die_with_parent()
    from .pipeline import load

    try:
        load()
    except Exception as exc:  # an initializer that raises makes the pool respawn forever
        _INIT_ERROR = exc


def _die_with_parent() -> None:
    """A killed parent must not leave workers extracting for nothing (Linux: the kernel
    sends SIGKILL to the worker when the parent dies; elsewhere they end at the next read
    of their task queue)."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def extract_batch(items: list[Item], known: Known | None = None) -> list[Outcome]:
    """Read and extract a batch of inputs; each one that fails becomes a failed outcome."""
    from .parsing import parse, parse_many
    from .pipeline import load, make_article, record_from_doc

    if _INIT_ERROR is not None:
        raise _INIT_ERROR  # reaches the parent, which stops the run with this message
    known = known or _KNOWN
    outcomes: list[Outcome] = []
    pending: list[tuple[Item, Article, ArticleInput]] = []
    for item in items:
        try:
            data = read_item(item)
            article = make_article(
                data.text, published=data.published, url=data.url, title=data.title
            )
        except InputError as exc:
            outcomes.append(Outcome(item.ref, "failed", reason=exc.problem))
            continue
        except Exception as exc:
            outcomes.append(Outcome(item.ref, "failed", reason=_describe(exc)))
            continue
        if not known.force and (article.id in known.ids or (article.url in known.urls)):
            outcomes.append(Outcome(item.ref, "duplicate"))
            continue
        pending.append((item, article, data))
    nlp = load()
    docs: list[Any] = [None] * len(pending)
    # One bad text must not sink the batch: on an error, the texts are retried one by one.
    with contextlib.suppress(Exception):
        docs = list(parse_many(nlp, [article.text for _, article, _ in pending]))
    for (item, article, data), doc in zip(pending, docs, strict=True):
        try:
            record = record_from_doc(doc if doc is not None else parse(nlp, article.text), article)
        except Exception as exc:
            outcomes.append(Outcome(item.ref, "failed", reason=_describe(exc)))
            continue
        outcomes.append(
            Outcome(item.ref, "ok", record=record, outlet=data.outlet, author=data.author)
        )
    return outcomes


def _describe(exc: BaseException) -> str:
    return f"extraction failed: {type(exc).__name__}: {exc}"


# -- the run (in the parent) --------------------------------------------------------------


class StopFlag:
    """Set by Ctrl-C (or SIGTERM): the run stops after the article being written."""

    def __init__(self) -> None:
        self.stopped = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopFlag:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopped = True


Progress = Callable[[Summary], None]


def ingest(
    paths: Iterable[str | Path],
    store: Any,
    *,
    jobs: int = 1,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_progress: Progress | None = None,
) -> Summary:
    """Ingest every article under ``paths`` into ``store`` (an ``onrecord.store.Store``)."""
    started = time.perf_counter()
    summary = Summary()
    ids, urls, stored_paths = store.known_inputs()
    items = list(discover(paths))
    if on_start:
        on_start(len(items))
    todo = []
    for item in items:
        if not force and item.ref in stored_paths:
            summary.duplicates += 1  # stored by an earlier run: resume past it
        else:
            todo.append(item)
    if on_progress:
        on_progress(summary)
    known = Known(frozenset(ids), frozenset(urls), force)
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]

    def store_outcome(outcome: Outcome) -> None:
        _store_outcome(store, outcome, summary, force)
        summary.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(summary)

    with StopFlag() as stop:
        if jobs <= 1:
            _run_here(batches, known, store_outcome, stop)
        else:
            _run_in_workers(batches, known, jobs, store_outcome, stop)
        summary.interrupted = stop.stopped
    summary.seconds = time.perf_counter() - started
    return summary


def _store_outcome(store: Any, outcome: Outcome, summary: Summary, force: bool) -> None:
    if outcome.status == "failed":
        store.record_failure(outcome.ref, outcome.reason)
        summary.failed += 1
        summary.failures.append((outcome.ref, outcome.reason))
        return
    if outcome.status == "duplicate" or outcome.record is None:
        summary.duplicates += 1
        return
    status = store.add_record(
        outcome.record,
        outlet=outcome.outlet,
        source_path=outcome.ref,
        force=force,
        author=outcome.author,
    )
    if status == "added":
        summary.added += 1
    elif status == "replaced":
        summary.replaced += 1
    else:
        summary.duplicates += 1


def _run_here(
    batches: list[list[Item]],
    known: Known,
    store_outcome: Callable[[Outcome], None],
    stop: StopFlag,
) -> None:
    for batch in batches:
        for outcome in extract_batch(batch, known):
            store_outcome(outcome)
            if stop.stopped:
                return


def _run_in_workers(
    batches: list[list[Item]],
    known: Known,
    jobs: int,
    store_outcome: Callable[[Outcome], None],
    stop: StopFlag,
) -> None:
    """At most two batches per worker in flight, so memory stays flat on big inputs."""
    # spawn: workers start clean (no inherited threads or open database handles).
    context = multiprocessing.get_context("spawn")
    results: Queue[list[Outcome] | BaseException] = Queue()
    pool = context.Pool(jobs, initializer=_init_worker, initargs=(known,))
    try:
        in_flight = 0
        queued = iter(batches)
        while not stop.stopped:
            while in_flight < 2 * jobs:
                batch = next(queued, None)
                if batch is None:
                    break
                pool.apply_async(
                    extract_batch, (batch,), callback=results.put, error_callback=results.put
                )
                in_flight += 1
            if in_flight == 0:
                break
            result = _next_result(results, stop)
            if result is None:
                break
            in_flight -= 1
            if isinstance(result, BaseException):
                raise result
            for outcome in result:
                store_outcome(outcome)
                if stop.stopped:
                    break
    finally:
        pool.terminate()
        pool.join()


def _next_result(
    results: Queue[list[Outcome] | BaseException], stop: StopFlag
) -> list[Outcome] | BaseException | None:
    """Wait for a worker's batch, but notice Ctrl-C within a fraction of a second."""
    import queue

    while not stop.stopped:
        try:
            return results.get(timeout=0.2)
        except queue.Empty:
            continue
    return None
