"""Sources: resolving each quote's speaker mention to a person, organization, group or
anonymous source (filled by the quotes issue)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from .quotes import FoundQuote
from .record import Entity, Quote, Source


def attribute(
    doc: Doc, found: Sequence[FoundQuote], entities: Sequence[Entity]
) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
    return (), ()
