"""Inputs cut into tasks for a cluster: by file, and big JSONL and WARC.gz files by byte range.

The client never reads what is in an input: it lists the files and their sizes (a local
path, or an fsspec URL such as ``s3://bucket/crawl/``) and cuts them into byte ranges; the
worker that runs a range reads it where it lies. A JSONL line belongs to the range its first
byte is in, a WARC.gz record (one gzip member each: the CC-NEWS layout) to the range its
member starts in, so every article is in exactly one range however a file is cut, and each
is named by where it starts (``file@offset``) the same way in every run.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ..errors import InputError, OnrecordError
from ..inputs import (
    DEFAULT_MAX_CHARS,
    ArticleInput,
    article_from_bytes,
    byte_limit,
    decode_bytes,
    from_html_bytes,
    from_json_line,
    over_byte_limit,
)
from ..sanitize import clean_input, display_path

#: Bytes of one task, by kind: a JSONL range holds about 20 news articles, a WARC.gz range
#: (compressed HTML around each article) about 150. Small tasks keep the workers evenly busy
#: to the end of a run and bound what a task gives back; each costs the scheduler ~1 ms.
RANGE_BYTES = {"jsonl": 128 << 10, "warcgz": 4 << 20}
FILES_PER_SPLIT = 8  # small files travel together, so the model parses them as one batch
CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b\x08"
TEXT_SUFFIXES = (".txt", ".html", ".htm", ".json")


class SourceError(OnrecordError):
    """An input location that cannot be listed at all (no filesystem for its protocol)."""

    code = "E013"


@dataclass(frozen=True)
class Piece:
    """One file, or the articles of a file that start in [start, end)."""

    name: str  # how failures and articles.source_path name the file
    url: str  # where workers open it: an absolute path or an fsspec URL
    kind: str  # file | jsonl | warcgz | warc | bad
    start: int = 0
    end: int = -1  # -1: to the end of the file
    problem: str = ""  # for kind "bad": why it cannot be read at all


@dataclass(frozen=True)
class Split:
    """What one task reads and extracts."""

    pieces: tuple[Piece, ...]


class Entry(NamedTuple):
    """One article of a split, named, and how to read it (reading may raise)."""

    ref: str
    piece: Piece
    offset: int
    read: Callable[[], tuple[ArticleInput, int]]


# -- on the client: listing and cutting ---------------------------------------------------


def is_url(raw: str) -> bool:
    return "://" in raw and not raw.startswith("file://")


def kind_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".jsonl"):
        return "jsonl"
    if lower.endswith(".warc.gz"):
        return "warcgz"
    if lower.endswith(".warc"):
        return "warc"
    return "file" if lower.endswith(TEXT_SUFFIXES) else None


def list_files(paths: Iterable[str | Path]) -> list[tuple[str, str, int, str]]:
    """(name, url, size, kind) of every input file under ``paths``, in the order local
    ingest takes them (folders walked in sorted order); kind "bad" for a path that is
    missing or of an unknown kind (its size is 0). Raises ``SourceError`` for a URL whose
    filesystem package is not installed (``s3://`` needs ``s3fs``)."""
    found: list[tuple[str, str, int, str]] = []
    for raw in paths:
        listing = _list_url(str(raw)) if is_url(str(raw)) else _list_local(Path(raw))
        found.extend(listing)
    return found


def _list_local(path: Path) -> Iterator[tuple[str, str, int, str]]:
    name = display_path(str(path))
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            kind = kind_of(child.name)
            if kind:
                yield display_path(str(child)), str(child.resolve()), child.stat().st_size, kind
    elif path.is_file():
        kind = kind_of(path.name)
        yield name, str(path.resolve()), path.stat().st_size, kind or "bad"
    else:
        yield name, str(path), 0, "bad"


def _list_url(url: str) -> Iterator[tuple[str, str, int, str]]:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise SourceError(f"{url}: cannot read this location ({exc})") from None
    if fs.isdir(root):
        for path, info in sorted(fs.find(root, detail=True).items()):
            kind = kind_of(path)
            if kind:
                full = fs.unstrip_protocol(path)
                yield full, full, int(info.get("size") or 0), kind
    elif fs.isfile(root):
        yield url, url, int(fs.size(root) or 0), kind_of(root) or "bad"
    else:
        yield url, url, 0, "bad"


def problem_of(name: str, url: str) -> str:
    if kind_of(name) is None and (is_url(url) or Path(url).is_file()):
        suffix = Path(name).suffix or "(none)"
        return f"unknown extension {suffix!r}: use .txt, .html, .json, .jsonl, .warc or .warc.gz"
    return "no such file or directory"


def plan(
    files: list[tuple[str, str, int, str]], range_bytes: dict[str, int] | None = None
) -> tuple[int, Iterator[Split]]:
    """How many splits the files make, and the splits (made as they are taken)."""
    sizes = {**RANGE_BYTES, **(range_bytes or {})}

    def ranges(size: int, kind: str) -> int:
        return max(1, -(-size // sizes[kind])) if kind in sizes else 0

    ranged = sum(ranges(size, kind) for _, _, size, kind in files)
    small = sum(1 for *_, kind in files if kind not in sizes)
    return ranged + -(-small // FILES_PER_SPLIT), _splits(files, sizes)


def _splits(files: list[tuple[str, str, int, str]], sizes: dict[str, int]) -> Iterator[Split]:
    small: list[Piece] = []
    for name, url, size, kind in files:
        if kind in sizes:
            for start in range(0, max(size, 1), sizes[kind]):
                yield Split((Piece(name, url, kind, start, min(start + sizes[kind], size)),))
            continue
        problem = problem_of(name, url) if kind == "bad" else ""
        small.append(Piece(name, url, kind, problem=problem))
        if len(small) == FILES_PER_SPLIT:
            yield Split(tuple(small))
            small = []
    if small:
        yield Split(tuple(small))


def alone(entry: Entry) -> Split:
    """A split that holds only this entry's article (to retry it on its own)."""
    piece = entry.piece
    if piece.kind in ("file", "bad"):
        return Split((piece,))
    return Split((Piece(piece.name, piece.url, piece.kind, entry.offset, entry.offset + 1),))


# -- on the workers: reading ---------------------------------------------------------------


def entries(split: Split, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Entry]:
    """Every article of the split, in file order. A file that cannot be opened or read
    on becomes one failing entry; the split goes on with its other pieces."""
    for piece in split.pieces:
        offset = max(piece.start, 0)
        ref = piece.name if piece.kind in ("file", "bad") else f"{piece.name}@{offset}"
        try:
            if piece.kind == "bad":
                yield Entry(ref, piece, 0, partial(_raise, InputError(ref, piece.problem)))
            elif piece.kind == "file":
                yield Entry(ref, piece, 0, partial(_read_file, piece, max_chars))
            elif piece.kind == "jsonl":
                yield from _jsonl_entries(piece, max_chars)
            elif piece.kind == "warcgz":
                yield from _warcgz_entries(piece, max_chars)
            else:
                yield from _warc_entries(piece, max_chars)
        except OSError as exc:
            error = InputError(ref, f"cannot read the file ({exc.strerror or exc})")
            yield Entry(ref, piece, offset, partial(_raise, error))


def _raise(error: Exception) -> tuple[ArticleInput, int]:
    raise error


def _open(url: str) -> BinaryIO:
    if not is_url(url):
        return open(url, "rb")  # noqa: SIM115 (the caller closes it)
    import fsspec

    opened: Any = fsspec.open(url, "rb").open()
    return opened  # type: ignore[no-any-return]


def _read_file(piece: Piece, max_chars: int) -> tuple[ArticleInput, int]:
    if not is_url(piece.url):
        from ..inputs import read_article

        return clean_input(read_article(piece.url, max_chars=max_chars))
    with _open(piece.url) as file:
        raw = file.read(byte_limit(max_chars) + 1)
    suffix = os.path.splitext(piece.name)[1].lower()
    return clean_input(article_from_bytes(raw, suffix, piece.name, max_chars=max_chars))


def _jsonl_entries(piece: Piece, max_chars: int) -> Iterator[Entry]:
    limit = byte_limit(max_chars)
    with _open(piece.url) as file:
        position = 0
        if piece.start > 0:  # the line going on at start belongs to the range before
            file.seek(piece.start - 1)
            position = piece.start - 1 + _skip_line(file, b"")
        while position < piece.end:
            raw = file.readline(limit + 1)
            if not raw:
                return
            start, ref = position, f"{piece.name}@{position}"
            position += len(raw)
            if len(raw) > limit:
                rest = _skip_line(file, raw)
                position += rest
                error = InputError(ref, over_byte_limit(len(raw) + rest, max_chars))
                yield Entry(ref, piece, start, partial(_raise, error))
            elif raw.strip():
                yield Entry(ref, piece, start, partial(_json_line, raw, ref, max_chars))


def _skip_line(file: BinaryIO, read: bytes) -> int:
    """Read to the end of the line; how many bytes that took."""
    skipped = 0
    while not read.endswith(b"\n"):
        read = file.readline(CHUNK)
        if not read:
            break
        skipped += len(read)
    return skipped


def _json_line(raw: bytes, ref: str, max_chars: int) -> tuple[ArticleInput, int]:
    return clean_input(from_json_line(decode_bytes(raw, ref), ref, max_chars=max_chars))


def _html(response: Any, ref: str, max_chars: int) -> tuple[ArticleInput, int]:
    page = from_html_bytes(
        response.body, ref, url=response.url, charset=response.charset, max_chars=max_chars
    )
    return clean_input(page)


def _warcgz_entries(piece: Piece, max_chars: int) -> Iterator[Entry]:
    """The HTML responses whose gzip member starts in the range. A damaged member is a
    failure, and reading goes on at the next whole member."""
    from ..warc import gzip_member

    limit = byte_limit(max_chars) + (1 << 16)  # the page and its WARC and HTTP headers
    with _open(piece.url) as file:
        offset = 0 if piece.start == 0 else next_member(file, piece.start, piece.end, limit)
        while offset is not None and offset < piece.end:
            ref = f"{piece.name}@{offset}"
            file.seek(offset)
            try:
                data, length = gzip_member(file, ref, limit)
            except InputError as error:
                yield Entry(ref, piece, offset, partial(_raise, error))
                offset = next_member(file, offset + 1, piece.end, limit)
                continue
            entry = _response_entry(io.BytesIO(data), ref, piece, offset, max_chars)
            if entry is not None:
                yield entry
            offset += length
        if offset is not None:
            yield from _damaged_next(file, offset, piece, limit)


def _damaged_next(file: BinaryIO, offset: int, piece: Piece, limit: int) -> Iterator[Entry]:
    """The member after this range's last one, if it is damaged or cut short. It starts
    in a later range, whose reader cannot tell it from gzip magic bytes that occur inside
    compressed data, and skips it; only this reader knows that a member starts there."""
    from ..warc import gzip_member

    file.seek(offset)
    if not file.read(1):
        return  # the end of the file
    ref = f"{piece.name}@{offset}"
    file.seek(offset)
    try:
        gzip_member(file, ref, limit)
    except InputError as error:
        yield Entry(ref, piece, offset, partial(_raise, error))


def _response_entry(
    stream: BinaryIO, ref: str, piece: Piece, offset: int, max_chars: int
) -> Entry | None:
    from warcio.archiveiterator import ArchiveIterator

    from ..warc import is_html_response, response_of

    try:
        record = next(iter(ArchiveIterator(stream)))
        if not is_html_response(record):
            return None
        response = response_of(record, ref)
    except InputError as error:
        return Entry(ref, piece, offset, partial(_raise, error))
    except Exception as exc:  # warcio raises many kinds on a damaged record
        damaged = InputError(ref, f"damaged web archive record ({type(exc).__name__})")
        return Entry(ref, piece, offset, partial(_raise, damaged))
    return Entry(ref, piece, offset, partial(_html, response, ref, max_chars))


def next_member(file: BinaryIO, start: int, end: int, limit: int) -> int | None:
    """Where the first whole gzip member holding a WARC record begins at or after
    ``start`` and before ``end``: the gzip magic bytes, checked by decompressing the member
    (they may also occur inside compressed data)."""
    from ..warc import gzip_member

    position = start
    while position < end:
        file.seek(position)
        window = file.read(CHUNK + len(GZIP_MAGIC) - 1)
        found = window.find(GZIP_MAGIC)
        if found < 0:
            if len(window) < len(GZIP_MAGIC):
                return None
            position += len(window) - len(GZIP_MAGIC) + 1
            continue
        candidate = position + found
        if candidate >= end:
            return None
        file.seek(candidate)
        try:
            data, _ = gzip_member(file, "", limit)
        except InputError:
            data = b""
        if data.startswith(b"WARC/"):
            return candidate
        position = candidate + 1
    return None


def _warc_entries(piece: Piece, max_chars: int) -> Iterator[Entry]:
    """An uncompressed WARC is read from its start (its records have no marks to find
    them by); only the records starting in the range are taken."""
    from warcio.archiveiterator import ArchiveIterator

    from ..warc import archive_problem, is_html_response, response_of

    end = piece.end if piece.end >= 0 else float("inf")
    with _open(piece.url) as file:
        records = ArchiveIterator(file)
        try:
            for record in records:
                offset = records.get_record_offset()
                if offset >= end:
                    return
                if offset < piece.start or not is_html_response(record):
                    continue
                ref = f"{piece.name}@{offset}"
                try:
                    response = response_of(record, ref)
                except InputError as error:
                    yield Entry(ref, piece, offset, partial(_raise, error))
                    continue
                yield Entry(ref, piece, offset, partial(_html, response, ref, max_chars))
        except OSError:
            raise
        except Exception as exc:  # warcio raises many kinds on a damaged archive
            unreadable = InputError(piece.name, archive_problem(exc))
            yield Entry(piece.name, piece, piece.start, partial(_raise, unreadable))
