"""Ingest: read many articles, extract their records in worker processes, store them.

The parent process finds the inputs, hands batches to the workers and does every
database write itself, one article per transaction, so a killed run leaves only whole
articles behind and a rerun picks up where it stopped (stored inputs are skipped).

No one input can stop a run: whatever goes wrong while reading, extracting or storing an
article becomes that article's row in the failures table, and a worker that dies has its
articles retried, then recorded as failures. Only the database itself going away stops a
run (``StoreError``: one line for the CLI).
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from .errors import InputError
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
from .sanitize import clean_input, clean_text, display_path
from .store import StoreError
from .workerpool import PoolSpec, run_batches

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
    cleaned: int = 0  # characters the input had that cannot be stored (see sanitize.py)


@dataclass
class Summary:
    added: int = 0
    replaced: int = 0
    duplicates: int = 0
    failed: int = 0
    cleaned: int = 0  # stored articles whose input had characters replaced or removed
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
        cleaned = (
            f"; {self.cleaned} had characters that cannot be stored (replaced or removed)"
            if self.cleaned
            else ""
        )
        return (
            f"{stopped}ingested {self.ingested} articles{replaced}, "
            f"skipped {self.duplicates} duplicates, {self.failed} failed "
            f"in {self.seconds:.1f} s ({rate:.2f} articles/s){cleaned}"
        )


# -- finding the inputs -------------------------------------------------------------------


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


def discover(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Every article under ``paths``; directories are walked in sorted order.

    Items are named (``Item.ref``) by ``display_path``: a file name that is not UTF-8 is
    named with its odd bytes escaped, so it can be stored and printed.
    """
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
                yield _bad(path, _unknown_suffix(path))
        else:
            yield _bad(path, "no such file or directory")


def _bad(path: Path, problem: str) -> Item:
    return Item(display_path(str(path)), str(path), "bad", problem=problem)


def _readable_suffix(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in FILE_SUFFIXES or suffix == ".jsonl" or is_warc(path)


def _unknown_suffix(path: Path) -> str:
    return (
        f"unknown extension {path.suffix or '(none)'!r}: use .txt, .html, .json, .jsonl, "
        ".warc or .warc.gz"
    )


def _items_of(path: Path) -> Iterator[Item]:
    try:
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl_items(path)
        elif is_warc(path):
            yield from _warc_items(path)
        else:
            yield Item(display_path(str(path)), str(path), "file")
    except OSError as exc:  # unreadable: the file fails, the run goes on
        yield _bad(path, f"cannot read the file ({exc.strerror or type(exc).__name__})")


def _jsonl_items(path: Path) -> Iterator[Item]:
    offset = 0
    name = display_path(str(path))
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            if line.strip():
                yield Item(f"{name}#{number}", str(path), "jsonl", offset)
            offset += len(line)


def _warc_items(path: Path) -> Iterator[Item]:
    """The HTML responses of a web archive, by record offset (workers read them)."""
    from .warc import html_responses

    name = display_path(str(path))
    for offset, problem in html_responses(str(path)):
        if offset is None:
            yield _bad(path, problem or "")
        elif problem:
            yield Item(f"{name}@{offset}", str(path), "bad", offset, problem=problem)
        else:
            yield Item(f"{name}@{offset}", str(path), "warc", offset)


# -- reading and extracting (in the workers) ----------------------------------------------


def read_item(item: Item, max_chars: int = DEFAULT_MAX_CHARS) -> ArticleInput:
    """The input as read, before cleaning (``read_clean`` is what ingest uses)."""
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


def read_clean(item: Item, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[ArticleInput, int]:
    """The input with its unstorable characters cleaned: the one boundary where text from
    outside is made storable, before extraction, so offsets point into the stored text."""
    return clean_input(read_item(item, max_chars))


def _read_warc_record(item: Item, max_chars: int) -> ArticleInput:
    from .warc import read_response

    response = read_response(item.path, item.offset, item.ref)
    if len(response.body) > byte_limit(max_chars):  # checked before any HTML parsing
        raise InputError(item.ref, over_byte_limit(len(response.body), max_chars))
    return from_html_bytes(
        response.body, item.ref, url=response.url, charset=response.charset, max_chars=max_chars
    )


@dataclass(frozen=True)
class Known:
    """What the store already holds, so workers skip extracting duplicates."""

    ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    force: bool = False
    paths: frozenset[str] = frozenset()  # inputs stored by name (only cluster workers read it)


BatchExtractor = Callable[[list[Item], "Known | None"], list[Outcome]]

_KNOWN = Known()
_INIT_ERROR: BaseException | None = None


def _init_worker(known: Known, load_model: bool = True) -> None:
    global _KNOWN, _INIT_ERROR
    _KNOWN = known
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _die_with_parent()
    if not load_model:
        return
    from .pipeline import load

    try:
        load()
    except Exception as exc:  # an initializer that raises breaks the whole pool
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
    if _INIT_ERROR is not None:
        raise _INIT_ERROR  # reaches the parent, which stops the run with this message
    return extract_inputs([(item.ref, partial(read_clean, item)) for item in items], known)


#: An input's name and how to read it (cleaned, see ``read_clean``); reading may raise.
Reader = tuple[str, Callable[[], tuple[ArticleInput, int]]]


def extract_inputs(readers: Iterable[Reader], known: Known | None = None) -> list[Outcome]:
    """Read and extract inputs together (one ``nlp.pipe``); each one that fails becomes a
    failed outcome, and one the store holds (``known``) a duplicate, before its parse."""
    from .parsing import parse, parse_many
    from .pipeline import load, make_article, record_from_doc

    known = known or _KNOWN
    outcomes: list[Outcome] = []
    pending: list[tuple[str, Article, ArticleInput, int]] = []
    for ref, read in readers:
        try:
            data, cleaned = read()
            article = make_article(
                data.text, published=data.published, url=data.url, title=data.title
            )
        except InputError as exc:
            outcomes.append(failed(ref, exc.problem))
            continue
        except Exception as exc:
            outcomes.append(failed(ref, _describe("extraction", exc)))
            continue
        if not known.force and (article.id in known.ids or (article.url in known.urls)):
            outcomes.append(Outcome(ref, "duplicate"))
            continue
        pending.append((ref, article, data, cleaned))
    nlp = load()
    docs: list[Any] = [None] * len(pending)
    # One bad text must not sink the batch: on an error, the texts are retried one by one.
    with contextlib.suppress(Exception):
        docs = list(parse_many(nlp, [article.text for _, article, _, _ in pending]))
    for (ref, article, data, cleaned), doc in zip(pending, docs, strict=True):
        try:
            record = record_from_doc(doc if doc is not None else parse(nlp, article.text), article)
        except Exception as exc:
            outcomes.append(failed(ref, _describe("extraction", exc)))
            continue
        outcomes.append(
            Outcome(
                ref, "ok", record=record, outlet=data.outlet, author=data.author, cleaned=cleaned
            )
        )
    return outcomes


def failed(ref: str, reason: str) -> Outcome:
    """A failed outcome; the reason is cleaned, as it may quote the input."""
    return Outcome(ref, "failed", reason=clean_text(reason)[0])


def _describe(stage: str, exc: BaseException) -> str:
    return f"{stage} failed: {type(exc).__name__}: {exc}"


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
    extract: BatchExtractor = extract_batch,
) -> Summary:
    """Ingest every article under ``paths`` into ``store`` (an ``onrecord.store.Store``).

    ``extract`` reads and extracts one batch (tests replace it; with ``jobs`` > 1 it must
    be importable by the worker processes). Raises ``StoreError`` if the database goes
    away; what was stored until then is whole.
    """
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
        save_outcome(store, outcome, summary, force)
        summary.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(summary)

    with StopFlag() as stop:
        try:
            if jobs <= 1:
                _run_here(batches, known, extract, store_outcome, stop)
            else:
                _run_in_workers(batches, known, jobs, extract, store_outcome, stop)
        except StoreError as exc:
            raise StoreError(
                f"{exc}; stopped after storing {summary.ingested} articles this run "
                "(each one whole): run the same command again to go on"
            ) from exc
        summary.interrupted = stop.stopped
    summary.seconds = time.perf_counter() - started
    return summary


def save_outcome(store: Any, outcome: Outcome, summary: Summary, force: bool) -> None:
    """Store one outcome. An article the database refuses becomes a failure; a database
    that is away (``StoreError``) stops the run."""
    if outcome.status == "ok" and outcome.record is not None:
        try:
            status = store.add_record(
                outcome.record,
                outlet=outcome.outlet,
                source_path=outcome.ref,
                force=force,
                author=outcome.author,
            )
        except StoreError:
            raise
        except Exception as exc:
            outcome = failed(outcome.ref, _describe("storing", exc))
        else:
            _count(summary, status, outcome)
            return
    if outcome.status == "failed":
        store.record_failure(outcome.ref, outcome.reason)
        summary.failed += 1
        summary.failures.append((outcome.ref, outcome.reason))
    else:
        summary.duplicates += 1


def _count(summary: Summary, status: str, outcome: Outcome) -> None:
    if status == "added":
        summary.added += 1
    elif status == "replaced":
        summary.replaced += 1
    else:
        summary.duplicates += 1
        return
    if outcome.cleaned:
        summary.cleaned += 1


def _run_here(
    batches: list[list[Item]],
    known: Known,
    extract: BatchExtractor,
    store_outcome: Callable[[Outcome], None],
    stop: StopFlag,
) -> None:
    for batch in batches:
        for outcome in extract(batch, known):
            store_outcome(outcome)
            if stop.stopped:
                return


WORKER_DIED = (
    "the worker process extracting it died (killed, e.g. for lack of memory), "
    "also when it was retried alone"
)


def _run_in_workers(
    batches: list[list[Item]],
    known: Known,
    jobs: int,
    extract: BatchExtractor,
    store_outcome: Callable[[Outcome], None],
    stop: StopFlag,
) -> None:
    """Batches on ``jobs`` worker processes; an article whose worker dies, also when
    retried alone, is recorded as a failure (see ``workerpool``)."""
    spec = PoolSpec(extract, jobs, _init_worker, (known, extract is extract_batch))
    run_batches(
        batches,
        spec,
        on_result=store_outcome,
        on_dead=lambda item: store_outcome(failed(item.ref, WORKER_DIED)),
        stopped=lambda: stop.stopped,
    )
