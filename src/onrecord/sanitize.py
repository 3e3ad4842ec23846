"""The one place where text read from an input is made storable.

Python strings may hold what no database accepts: lone surrogates (from a JSON
``"\\udc80"`` or a file name that is not UTF-8) cannot be encoded as UTF-8, and PostgreSQL
refuses the NUL character. Ingest cleans every string of an input here, once, before
extraction, so the record's character offsets point into the text that is stored, and
SQLite and PostgreSQL store the same text.
"""

from __future__ import annotations

import dataclasses
import os
import re

from .inputs import ArticleInput

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD and each NUL removed, and how
    many characters were changed. A surrogate pair written as two characters (as UTF-16
    would) is joined into the one character it stands for."""
    changed = len(_UNSTORABLE.findall(text))
    if not changed:
        return text, 0
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", ""), changed


def clean_input(article: ArticleInput) -> tuple[ArticleInput, int]:
    """Every text field of an input cleaned (see ``clean_text``), and the changes made."""
    changes: dict[str, str] = {}
    total = 0
    for field in dataclasses.fields(article):
        value = getattr(article, field.name)
        if isinstance(value, str):
            cleaned, changed = clean_text(value)
            if changed:
                changes[field.name] = cleaned
                total += changed
    return (dataclasses.replace(article, **changes) if changes else article), total


def display_path(path: str) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 are
    written as ``\\xff`` (the name ``bad\\xffname.txt`` on disk is stored as that text)."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate no file system decoding produces
        raw = path.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")
