"""TIMEX3 evaluation on TimeML (.tml) files, as the TempEval-3 scorer defines it.

The raw text of a document is the text of its ``<TEXT>`` element with every tag stripped
(XML entities such as ``&amp;`` unescaped by the parser); gold TIMEX3 spans are character
offsets into that raw text. The ``<DCT>`` TIMEX3 gives the publication date and is not
scored.

Scores (micro-averaged over all documents):

- strict: precision/recall/F1 where a prediction matches a gold TIMEX3 with the same
  start and end offsets.
- relaxed: predictions and gold TIMEX3 are paired one-to-one when their extents overlap
  (in document order, each gold pairs with the first unpaired overlapping prediction);
  precision = pairs / predicted, recall = pairs / gold.
- type_accuracy, value_accuracy: the share of relaxed pairs whose ``type`` (``value``)
  equals the gold one.
- value_f1: relaxed F1 x value_accuracy, the TempEval-3 scorer's "value F1"
  (equivalently, F1 where a true positive needs an overlapping extent *and* the right
  value).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..record import Time
from .metrics import PRF

#: Finds the times of one text given its publication date (the pipeline's `find_times`).
Finder = Callable[[str, dt.date | None], Iterable[Time]]


@dataclass(frozen=True)
class GoldTime:
    text: str
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDoc:
    path: Path
    text: str
    published: dt.date | None
    times: tuple[GoldTime, ...]


def tml_files(data: Path) -> list[Path]:
    """The .tml files of a file, a directory, or a directory tree (sorted)."""
    if data.is_file():
        if data.suffix != ".tml":
            raise DataError(f"{data}: not a .tml file")
        return [data]
    if not data.is_dir():
        raise DataError(f"{data}: no such file or directory")
    files = sorted(p for p in data.rglob("*.tml") if p.is_file())
    if not files:
        raise DataError(f"{data}: no .tml files found")
    return files


def read_tml(path: Path) -> TimeMLDoc:
    """One TimeML document: its raw TEXT, its DCT and its TIMEX3 spans."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable TimeML file ({exc})") from exc
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise DataError(f"{path}: no <TEXT> element")
    pieces: list[str] = []
    times: list[GoldTime] = []
    _walk(text_el, pieces, times, path)
    return TimeMLDoc(path, "".join(pieces), _creation_date(root, path), tuple(times))


def _walk(element: ET.Element, pieces: list[str], times: list[GoldTime], path: Path) -> None:
    """Append the element's text to ``pieces``, recording TIMEX3 offsets on the way."""
    start = sum(len(p) for p in pieces)
    if element.text:
        pieces.append(element.text)
    for child in element:
        _walk(child, pieces, times, path)
        if child.tail:
            pieces.append(child.tail)
    if element.tag == "TIMEX3":
        end = sum(len(p) for p in pieces)
        text = "".join(pieces)[start:end]
        kind, value = element.get("type"), element.get("value")
        if not kind or value is None:
            raise DataError(f"{path}: TIMEX3 {element.get('tid')!r} lacks a type or value")
        times.append(GoldTime(text, start, end, kind, value))


def _creation_date(root: ET.Element, path: Path) -> dt.date | None:
    dct = root.find(".//DCT/TIMEX3")
    if dct is None:
        return None
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", dct.get("value", ""))
    if not match:
        raise DataError(f"{path}: DCT value {dct.get('value')!r} is not a date")
    return dt.date(*(int(g) for g in match.groups()))


@dataclass
class TypeCounts:
    """One TIMEX3 type's share of the scores: recall over the gold of that type, precision
    over the predictions of that type, and the values right among its gold's pairs."""

    gold: int = 0
    predicted: int = 0
    gold_paired: int = 0
    predicted_paired: int = 0
    value_ok: int = 0

    def as_dict(self) -> dict[str, Any]:
        recall = self.gold_paired / self.gold if self.gold else None
        precision = self.predicted_paired / self.predicted if self.predicted else None
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "recall": recall,
            "precision": precision,
            "value_accuracy": self.value_ok / self.gold_paired if self.gold_paired else None,
        }


@dataclass
class TimexScores:
    strict: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    pairs: int = 0
    type_ok: int = 0
    value_ok: int = 0
    by_type: dict[str, TypeCounts] = field(default_factory=dict)

    def add(self, predicted: list[Time], gold: Iterable[GoldTime]) -> None:
        gold_list = list(gold)
        self.strict.add_sets(
            {(t.start, t.end) for t in predicted}, {(g.start, g.end) for g in gold_list}
        )
        pairs = pair_overlapping(predicted, gold_list)
        self.relaxed.tp += len(pairs)
        self.relaxed.fp += len(predicted) - len(pairs)
        self.relaxed.fn += len(gold_list) - len(pairs)
        self.pairs += len(pairs)
        self.type_ok += sum(p.type == g.type for p, g in pairs)
        self.value_ok += sum(p.value == g.value for p, g in pairs)
        for g in gold_list:
            self._type(g.type).gold += 1
        for t in predicted:
            self._type(t.type).predicted += 1
        for p, g in pairs:
            self._type(g.type).gold_paired += 1
            self._type(g.type).value_ok += p.value == g.value
            self._type(p.type).predicted_paired += 1

    def _type(self, name: str) -> TypeCounts:
        return self.by_type.setdefault(name, TypeCounts())

    def as_dict(self) -> dict[str, Any]:
        type_accuracy = self.type_ok / self.pairs if self.pairs else 0.0
        value_accuracy = self.value_ok / self.pairs if self.pairs else 0.0
        return {
            "strict": self.strict.as_dict(),
            "relaxed": self.relaxed.as_dict(),
            "type_accuracy": type_accuracy,
            "value_accuracy": value_accuracy,
            "value_f1": self.relaxed.f1 * value_accuracy,
            "by_type": {name: c.as_dict() for name, c in sorted(self.by_type.items())},
        }


def pair_overlapping(predicted: list[Time], gold: list[GoldTime]) -> list[tuple[Time, GoldTime]]:
    """One-to-one pairs of overlapping extents, gold in document order."""
    used: set[int] = set()
    pairs = []
    for g in sorted(gold, key=lambda x: x.start):
        for i, p in enumerate(predicted):
            if i not in used and p.start < g.end and g.start < p.end:
                used.add(i)
                pairs.append((p, g))
                break
    return pairs


def tbaq_part(index: int) -> str:
    """Our split of TBAQ-cleaned (docs/timex.md): every fifth .tml file in sorted path
    order, starting with the first, is held out; the rest is the tuning part."""
    return "held_out" if index % 5 == 0 else "tuning"


def evaluate_timex(find: Finder, data: Path, tbaq_parts: bool = False) -> dict[str, Any]:
    """Score ``find`` on every .tml file under ``data``; with ``tbaq_parts`` (``data`` is
    the TBAQ-cleaned directory), also each part of our split on its own."""
    paths = tml_files(data)
    scores = TimexScores()
    parts = {"tuning": TimexScores(), "held_out": TimexScores()}
    for index, path in enumerate(paths):
        doc = read_tml(path)
        found = list(find(doc.text, doc.published))
        scores.add(found, doc.times)
        parts[tbaq_part(index)].add(found, doc.times)
    result = scores.as_dict()
    if tbaq_parts:
        result["parts"] = {name: part.as_dict() for name, part in parts.items()}
    return result
