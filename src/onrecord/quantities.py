"""Quantities: money, percentages, counts and measures (filled by the numbers issue)."""

from __future__ import annotations

from spacy.tokens import Doc

from .record import Quantity


def find_quantities(doc: Doc) -> tuple[Quantity, ...]:
    return ()
