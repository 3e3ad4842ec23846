"""A quantity while it is being built, and the token lookups its readers need."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..record import Bound, Change, QuantityKind


@dataclass
class Found:
    """A quantity while it is being built (mutable), turned into a Quantity at the end."""

    start: int
    end: int
    value: float
    kind: QuantityKind = "count"
    unit: str | None = None
    change: Change | None = None
    each: bool = False
    quantified: str | None = None
    approximate: bool = False
    bound: Bound | None = None
    high: float | None = None
    is_fraction: bool = False
    is_age: bool = False  # "a 43-year-old", "Slepian, 52,": a duration with no TIMEX3
    is_plain_integer: bool = False
    is_word: bool = False
    scaled: bool = False


class _TokenIndex:
    """Finds the token before or after a character offset (binary search over offsets)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token each time it is read
        self._starts: list[int] | None = None
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [t.idx for t in self.doc]
        return self._starts

    def entity_at(self, offset: int) -> str | None:
        """ "B" or "I" when the token starting at ``offset`` is in a named entity."""
        if not self.doc.has_annotation("ENT_IOB"):
            return None
        i = bisect_right(self.starts, offset) - 1
        if i < 0 or self.doc[i].idx != offset or self.doc[i].ent_iob_ not in ("B", "I"):
            return None
        return self.doc[i].ent_iob_

    def dep_at(self, offset: int) -> str | None:
        """The dependency label of the token starting at ``offset`` (None if unparsed)."""
        if not self.doc.has_annotation("DEP"):
            return None
        i = bisect_right(self.starts, offset) - 1
        return self.doc[i].dep_ if i >= 0 and self.doc[i].idx == offset else None

    def after(self, offset: int) -> Token | None:
        """The first token starting at or after ``offset``, skipping spaces."""
        if not self.has_pos:
            return None
        i = bisect_right(self.starts, offset - 1)
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def before(self, offset: int) -> Token | None:
        """The last non-space token ending at or before ``offset``."""
        if not self.has_pos:
            return None
        i = bisect_right(self.starts, offset - 1) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].idx + len(self.doc[i].text) > offset):
            i -= 1
        return self.doc[i] if i >= 0 else None
