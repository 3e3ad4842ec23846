"""Reading one article from a file: plain text, HTML or JSON.

Every failure raises ``InputError`` naming the file and the problem, so the CLI can
print one line and exit 2 without writing anything.
"""

from __future__ import annotations

import datetime as dt
import json
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


def parse_published(value: str | None, where: str) -> str | None:
    """Validate a publication date as YYYY-MM-DD (a datetime prefix is accepted and cut)."""
    if value is None or value == "":
        return None
    candidate = str(value).strip()[:10]
    try:
        return dt.date.fromisoformat(candidate).isoformat()
    except ValueError:
        raise InputError(
            where, f"bad published date {value!r}: expected a real date as YYYY-MM-DD"
        ) from None


def decode_bytes(data: bytes, where: str) -> str:
    if not data.strip():
        raise InputError(where, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(where, "the file is binary, not text (found NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where, f"invalid UTF-8 at byte {exc.start}: save the file as UTF-8 and try again"
        ) from None


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


def read_article(
    path: str | Path, *, stdin_text: str | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> ArticleInput:
    """Read one article from a path ('-' with ``stdin_text`` reads standard input as text)."""
    where = str(path)
    if where == "-":
        raw = (stdin_text or "").encode("utf-8")
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
        if not file.is_file():
            raise InputError(where, "no such file")
        raw = file.read_bytes()
    if len(raw) > max_chars * 4 and suffix == ".txt":
        raise InputError(where, f"the file is over the limit of {max_chars:,} characters")
    text = decode_bytes(raw, where)
    if suffix in (".html", ".htm"):
        article = from_html(text, where)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
        article = from_mapping(data, where)
    else:
        article = ArticleInput(text=text)
    check_length(article.text, where, max_chars)
    return article


def from_json_line(line: str, where: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> ArticleInput:
    """One line of a .jsonl file: a JSON object as ``from_mapping`` reads it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON: {exc.msg}") from None
    article = from_mapping(data, where)
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
    try:
        html = data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        html = data.decode("utf-8", errors="replace")
    article = from_html(html, where, url=url)
    check_length(article.text, where, max_chars)
    return article
