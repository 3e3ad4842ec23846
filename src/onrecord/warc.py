"""One response record of a web archive, read whole or not at all.

warcio reads a cut record without complaint and hands back the bytes it found, so a
truncated download would be stored as a partial article. Before a payload is used, its
length is checked against the record's Content-Length and, in a ``.warc.gz``, the gzip
member holding the record must end with its trailer (which also checks its CRC).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from .errors import InputError

CHUNK = 1 << 16
TRUNCATED_MEMBER = "truncated web archive record (its gzip member is cut short)"
DAMAGED_MEMBER = "damaged web archive record (bad gzip data)"
ONE_RECORD_PER_MEMBER = "a .warc.gz must compress each record on its own (the CC-NEWS layout)"


def html_responses(path: str) -> Iterator[tuple[int | None, str | None]]:
    """(offset, None) for each HTML response record of the archive at ``path``;
    (offset, problem) for a gzip member that is cut short or damaged, which warcio would
    read in part or skip without a word; (None, problem) if the archive cannot be read."""
    from warcio.archiveiterator import ArchiveIterator

    broken = broken_member(path) if path.lower().endswith(".gz") else None
    try:
        with open(path, "rb") as file:
            records = ArchiveIterator(file)
            for record in records:
                offset = records.get_record_offset()
                if broken and offset == broken[0]:
                    break
                if is_html_response(record):
                    yield offset, None
    except OSError:
        raise
    except Exception as exc:  # warcio raises many kinds on a damaged archive
        if not broken:
            yield None, archive_problem(exc)
    if broken:
        yield broken


def _is_html(record: Any) -> bool:
    headers = record.http_headers
    content_type = headers.get_header("Content-Type", "") if headers else ""
    return "html" in content_type.lower()


@dataclass(frozen=True)
class WarcResponse:
    url: str | None
    charset: str | None
    body: bytes


def read_response(path: str, offset: int, where: str) -> WarcResponse:
    """The response record at ``offset`` of the archive ``path``; ``InputError`` if the
    record is cut short or damaged."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as file:
        file.seek(offset)
        if path.lower().endswith(".gz"):
            stream: BinaryIO = io.BytesIO(gzip_member(file, where)[0])
        else:
            stream = file
        try:
            record = next(iter(ArchiveIterator(stream)))
        except Exception as exc:  # warcio raises many kinds on a damaged record
            raise InputError(where, f"damaged web archive record ({type(exc).__name__})") from None
        return response_of(record, where)


def response_of(record: Any, where: str) -> WarcResponse:
    """The URL, charset and whole body of a response record read by warcio."""
    try:
        _check_not_marked_truncated(record, where)
        body = record.content_stream().read()
    except InputError:
        raise
    except Exception as exc:  # warcio raises many kinds on a damaged record
        raise InputError(where, f"damaged web archive record ({type(exc).__name__})") from None
    _check_length(record, where)
    content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
    return WarcResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        charset=_charset(content_type),
        body=body,
    )


def is_html_response(record: Any) -> bool:
    return bool(record.rec_type == "response" and _is_html(record))


def gzip_member(file: BinaryIO, where: str, limit: int | None = None) -> tuple[bytes, int]:
    """The decompressed gzip member starting at the file's position, which must be whole,
    and its compressed length. ``limit``: the most decompressed bytes accepted (a member
    over it is refused before it is all in memory)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = consumed = 0
    while not inflater.eof:
        chunk = file.read(CHUNK)
        if not chunk:
            raise InputError(where, TRUNCATED_MEMBER)
        try:
            part = inflater.decompress(chunk)
        except zlib.error:
            raise InputError(where, DAMAGED_MEMBER) from None
        size += len(part)
        if limit is not None and size > limit:
            raise InputError(where, f"gzip member over {limit:,} bytes: {ONE_RECORD_PER_MEMBER}")
        parts.append(part)
        consumed += len(chunk) - (len(inflater.unused_data) if inflater.eof else 0)
    return b"".join(parts), consumed


def broken_member(path: str) -> tuple[int, str] | None:
    """Where the first gzip member that is damaged or cut short starts (a download that
    stopped early), and what is wrong with it; None if every member of the ``.warc.gz`` at
    ``path`` is whole. Members are decompressed and dropped as they come."""
    position = 0  # file offset of the data not yet given to a decompressor
    start = 0
    inflater = None
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            data = chunk
            while data:
                if inflater is None:
                    inflater, start = zlib.decompressobj(16 + zlib.MAX_WBITS), position
                try:
                    inflater.decompress(data)
                except zlib.error:
                    return start, DAMAGED_MEMBER
                if not inflater.eof:
                    position += len(data)
                    break
                rest = inflater.unused_data
                position += len(data) - len(rest)
                data, inflater = rest, None
    return (start, TRUNCATED_MEMBER) if inflater is not None else None


def _check_not_marked_truncated(record: Any, where: str) -> None:
    reason = record.rec_headers.get_header("WARC-Truncated")
    if reason:
        raise InputError(where, f"the crawler truncated this record (WARC-Truncated: {reason})")


def _check_length(record: Any, where: str) -> None:
    declared = record.rec_headers.get_header("Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise InputError(where, "damaged web archive record (no valid Content-Length)")
    # warcio reads the block through a reader limited to Content-Length; what it could not
    # read before the data ended is left in that limit
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise InputError(
            where,
            f"truncated web archive record ({int(declared) - missing:,} of "
            f"{int(declared):,} bytes)",
        )


def _charset(content_type: str) -> str | None:
    if "charset=" not in content_type:
        return None
    return content_type.split("charset=")[-1].split(";")[0].strip().strip("\"'") or None


def archive_problem(exc: Exception) -> str:
    """Why warcio could not read an archive, without the bytes it quotes from the file
    ("Unknown archive format, first line: [...]"): a failure row is for people."""
    from .errors import one_line

    message = str(exc).split(", first line:")[0].strip() or type(exc).__name__
    return f"unreadable web archive ({one_line(message)[:200]})"
