"""Reading one article from a file: plain text, HTML or JSON.

Every failure raises ``InputError`` naming the file and the problem, so the CLI can
print one line and exit 2 without writing anything.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_MAX_CHARS = 1_000_000
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".json")


@dataclass(frozen=True)
class ArticleInput:
    """An article as read, before extraction."""

    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None


#: A date, or a date and time (ISO 8601 extended form): "2020-07-08", "2020-07-08T14:00Z".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_published(value: str | None, where: str) -> str | None:
    """Validate a publication date as YYYY-MM-DD; a full ISO date and time is accepted and
    cut to its date, anything else after the date ("2020-07-08garbage") is refused."""
    if value is None or value == "":
        return None
    candidate = str(value).strip()
    try:
        if not _ISO_DATE.match(candidate):
            raise ValueError
        if len(candidate) == 10:
            return dt.date.fromisoformat(candidate).isoformat()
        if candidate[10] not in "T ":
            raise ValueError
        return dt.datetime.fromisoformat(candidate).date().isoformat()
    except ValueError:
        raise InputError(
            where, f"bad published date {value!r}: expected a real date as YYYY-MM-DD"
        ) from None


#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, where: str) -> str:
    """Text from UTF-8 (a BOM is dropped), or UTF-16/UTF-32 that starts with a BOM."""
    if not data.strip():
        raise InputError(where, "the file is empty")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                where,
                f"invalid {encoding.upper()} at byte {exc.start}: save the file as UTF-8 "
                "and try again",
            ) from None
        if not text.strip():
            raise InputError(where, "the file is empty")
        return text
    if b"\x00" in data[:8192]:
        raise InputError(where, _nul_problem(data[:8192]))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where, f"invalid UTF-8 at byte {exc.start}: save the file as UTF-8 and try again"
        ) from None


def _nul_problem(head: bytes) -> str:
    """NUL bytes in every other place are UTF-16 text without its byte-order mark."""
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and (odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even)):
        return "the file looks like UTF-16 without a byte-order mark: save it as UTF-8"
    return "the file is binary, not text (found NUL bytes)"


def check_length(text: str, where: str, max_chars: int) -> None:
    if not text.strip():
        raise InputError(where, "no article text found")
    if len(text) > max_chars:
        raise InputError(
            where,
            f"the text has {len(text):,} characters, over the limit of {max_chars:,} "
            "(raise it with --max-chars)",
        )


def from_html(html: str, where: str, **meta: Any) -> ArticleInput:
    """Main text and metadata of an HTML page, via trafilatura."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(where, f"could not parse the HTML ({exc})") from None
    if doc is None or not (doc.text or "").strip():
        raise InputError(where, "no article text found in the HTML")
    published = meta.get("published") or doc.date
    return ArticleInput(
        text=doc.text,
        published=parse_published(published, where),
        title=meta.get("title") or doc.title,
        url=meta.get("url") or doc.url,
        outlet=meta.get("outlet") or doc.sitename,
        author=doc.author,
    )


def from_mapping(data: Any, where: str) -> ArticleInput:
    """An article from a JSON object with "text" or "html" and optional metadata."""
    if not isinstance(data, dict):
        raise InputError(where, 'expected a JSON object with "text" or "html"')
    meta = {k: data.get(k) for k in ("published", "title", "url", "outlet")}
    for key in ("title", "url", "outlet"):
        if meta[key] is not None and not isinstance(meta[key], str):
            raise InputError(where, f'"{key}" must be a string')
    if isinstance(data.get("text"), str) and data["text"].strip():
        return ArticleInput(
            text=data["text"],
            published=parse_published(meta["published"], where),
            title=meta["title"],
            url=meta["url"],
            outlet=meta["outlet"],
        )
    if isinstance(data.get("html"), str) and data["html"].strip():
        return from_html(data["html"], where, **meta)
    raise InputError(where, 'the JSON object has no non-empty "text" or "html" field')


def byte_limit(max_chars: int) -> int:
    """The most bytes read of one input, checked before any parsing: a character takes at
    most 4 bytes in UTF-8, so no text within ``max_chars`` is refused, and HTML or JSON
    markup around it gets the same allowance (trafilatura takes ~4 s a MB)."""
    return 4 * max_chars


def over_byte_limit(size: int, max_chars: int) -> str:
    return (
        f"the input has {size:,} bytes, over the limit of {byte_limit(max_chars):,} bytes "
        f"for {max_chars:,} characters (raise it with --max-chars)"
    )


def read_article(
    path: str | Path,
    *,
    stdin_text: str | None = None,
    stdin_bytes: bytes | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ArticleInput:
    """Read one article from a path ('-' reads ``stdin_bytes``, or ``stdin_text``)."""
    where = str(path)
    if where == "-":
        raw = stdin_bytes if stdin_bytes is not None else (stdin_text or "").encode("utf-8")
        suffix = ".txt"
    else:
        file = Path(path)
        suffix = file.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise InputError(
                where,
                f"unknown extension {suffix or '(none)'!r}: use one of "
                + ", ".join(SUPPORTED_SUFFIXES),
            )
        raw = read_limited(file, where, max_chars)
    return article_from_bytes(raw, suffix, where, max_chars=max_chars)


def article_from_bytes(
    raw: bytes, suffix: str, where: str, *, max_chars: int = DEFAULT_MAX_CHARS
) -> ArticleInput:
    """One article from a file's bytes, read as its ``suffix`` says (.txt, .html, .json)."""
    if len(raw) > byte_limit(max_chars):
        raise InputError(where, over_byte_limit(len(raw), max_chars))
    text = decode_bytes(raw, where)
    if suffix in (".html", ".htm"):
        article = from_html(text, where)
    elif suffix == ".json":
        article = from_mapping(load_json(text, where), where)
    else:
        article = from_plain_text(text, None if where == "-" else readable_stem(where))
    check_length(article.text, where, max_chars)
    return article


#: A first line is taken for a title when it is at most this long (a headline, not a
#: sentence of the story).
TITLE_MAX_CHARS = 150
TITLE_MAX_WORDS = 25


def readable_stem(path: str) -> str:
    """A file's name without its extension, as a title: bytes that are not UTF-8 shown
    escaped ("bad\\xffname"), as the store shows the path."""
    raw = Path(path).stem.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def from_plain_text(text: str, name: str | None = None) -> ArticleInput:
    """A plain-text article: its first line is the title when it looks like one (short,
    no final period or comma, with text after it), and is then not part of the text;
    otherwise ``name`` (the file's name, without its extension) is the title."""
    first, newline, rest = text.lstrip("\ufeff").partition("\n")
    headline = first.strip()
    looks_like_title = (
        newline
        and rest.strip()
        and 0 < len(headline) <= TITLE_MAX_CHARS
        and len(headline.split()) <= TITLE_MAX_WORDS
        and not headline.endswith((".", ",", ";", ":"))
    )
    if looks_like_title:
        return ArticleInput(text=rest.lstrip("\r\n"), title=headline)
    return ArticleInput(text=text, title=name or None)


def read_limited(file: Path, where: str, max_chars: int) -> bytes:
    """The file's bytes, refused before reading when it is over ``byte_limit``."""
    try:
        if file.is_dir():
            raise InputError(where, "is a directory, not an article file")
        if not file.exists():
            raise InputError(where, "no such file")
        if not file.is_file():
            raise InputError(where, "not a regular file")
        size = file.stat().st_size
        if size > byte_limit(max_chars):
            raise InputError(where, over_byte_limit(size, max_chars))
        with file.open("rb") as handle:  # read no more than the limit, whatever stat said
            return handle.read(byte_limit(max_chars) + 1)
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror or exc}") from None


def load_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(where, "invalid JSON: nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputError(where, f"invalid JSON: {exc}") from None


def from_json_line(line: str, where: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> ArticleInput:
    """One line of a .jsonl file: a JSON object as ``from_mapping`` reads it."""
    article = from_mapping(load_json(line, where), where)
    check_length(article.text, where, max_chars)
    return article


def from_html_bytes(
    data: bytes,
    where: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ArticleInput:
    """An HTML page as fetched (e.g. a WARC response): decoded leniently, as browsers do."""
    if not data.strip():
        raise InputError(where, "the page is empty")
    if len(data) > byte_limit(max_chars):
        raise InputError(where, over_byte_limit(len(data), max_chars))
    try:
        html = data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        html = data.decode("utf-8", errors="replace")
    article = from_html(html, where, url=url)
    check_length(article.text, where, max_chars)
    return article
