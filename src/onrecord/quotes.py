"""Quotes: direct, indirect and mixed quotations with their cues (filled by the quotes issue)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True)
class FoundQuote:
    """A quotation found in the text, before its speaker is resolved to a source."""

    kind: str
    start: int
    end: int
    parts: tuple[tuple[int, int], ...]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None


def find_quotes(doc: Doc) -> list[FoundQuote]:
    return []
