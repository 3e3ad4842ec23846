"""Quantity evaluation on JSON Lines: ``{"text", "quantities": [{"text", "value", "unit",
"change"}]}``, one sentence or article per line (``start``/``end``, ``kind`` and ``high`` per
quantity optional).

Matching: a predicted quantity matches a gold one when their values are equal (relative
tolerance 1e-6) and their extents overlap: by character offsets when the gold quantity
gives ``start`` and ``end``, otherwise when the gold text occurs in the predicted text or
the predicted text in the gold text. Pairs are one-to-one, each gold quantity taking the
first unpaired prediction that matches, in text order.

Scores (micro-averaged over all lines):

- value: precision/recall/F1 of matched pairs;
- value_unit: a pair also needs the same ``unit`` (null equals null);
- value_change: a pair also needs the same ``change`` (null equals null);
- by_kind: for each kind, recall over the gold quantities of that kind (those that give
  ``kind``) and precision over the predictions of that kind, pairs as for ``value``; null
  where there is nothing to divide by (a gold file without kinds has no recall by kind).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..record import Quantity
from .metrics import PRF

#: Finds the quantities of one text (the pipeline's `find_quantities` on a parsed Doc).
Finder = Callable[[list[str]], Iterable[tuple[Quantity, ...]]]


@dataclass(frozen=True)
class GoldQuantity:
    text: str
    value: float
    unit: str | None = None
    change: str | None = None
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    high: float | None = None


@dataclass(frozen=True)
class GoldLine:
    text: str
    quantities: tuple[GoldQuantity, ...]


def read_gold(path: Path) -> list[GoldLine]:
    """Every line of the file; a line that is not valid raises DataError naming file:line."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason})") from None
    gold = []
    for lineno, line in enumerate(lines, 1):
        if line.strip():
            gold.append(_parse_line(line, f"{path}:{lineno}"))
    if not gold:
        raise DataError(f"{path}: no annotated lines found")
    return gold


def _parse_line(line: str, where: str) -> GoldLine:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise DataError(f'{where}: expected an object with a "text" string')
    items = data.get("quantities")
    if not isinstance(items, list):
        raise DataError(f'{where}: expected a "quantities" list')
    return GoldLine(data["text"], tuple(_parse_quantity(item, where) for item in items))


def _parse_quantity(item: Any, where: str) -> GoldQuantity:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise DataError(f'{where}: each quantity needs a "text" string')
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"{where}: quantity {item['text']!r} needs a numeric value")
    for key in ("unit", "change", "kind"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise DataError(f"{where}: quantity {item['text']!r}: {key} must be a string or null")
    start, end = item.get("start"), item.get("end")
    if (start is None) != (end is None):
        raise DataError(f"{where}: quantity {item['text']!r} gives only one of start/end")
    high = item.get("high")
    if high is not None and (isinstance(high, bool) or not isinstance(high, int | float)):
        raise DataError(f"{where}: quantity {item['text']!r}: high must be a number or null")
    return GoldQuantity(
        item["text"],
        float(value),
        item.get("unit"),
        item.get("change"),
        start,
        end,
        item.get("kind"),
        None if high is None else float(high),
    )


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def overlaps(predicted: Quantity, gold: GoldQuantity) -> bool:
    if gold.start is not None and gold.end is not None:
        return predicted.start < gold.end and gold.start < predicted.end
    p, g = predicted.text.lower(), gold.text.lower()
    return g in p or p in g


def match_pairs(
    predicted: tuple[Quantity, ...],
    gold: tuple[GoldQuantity, ...],
    also: Callable[[Quantity, GoldQuantity], bool],
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of matching quantities (see the
    module docstring)."""
    used: set[int] = set()
    pairs = []
    for j, g in enumerate(gold):
        for i, p in enumerate(predicted):
            if i not in used and same_value(p.value, g.value) and overlaps(p, g) and also(p, g):
                used.add(i)
                pairs.append((j, i))
                break
    return pairs


def match_count(
    predicted: tuple[Quantity, ...],
    gold: tuple[GoldQuantity, ...],
    also: Callable[[Quantity, GoldQuantity], bool],
) -> int:
    return len(match_pairs(predicted, gold, also))


CRITERIA: dict[str, Callable[[Quantity, GoldQuantity], bool]] = {
    "value": lambda p, g: True,
    "value_unit": lambda p, g: p.unit == g.unit,
    "value_change": lambda p, g: p.change == g.change,
}


def score(gold: list[GoldLine], predicted: list[tuple[Quantity, ...]]) -> dict[str, Any]:
    totals = {name: PRF() for name in CRITERIA}
    for line, found in zip(gold, predicted, strict=True):
        for name, also in CRITERIA.items():
            tp = match_count(found, line.quantities, also)
            totals[name].tp += tp
            totals[name].fp += len(found) - tp
            totals[name].fn += len(line.quantities) - tp
    return {
        **{name: prf.as_dict() for name, prf in totals.items()},
        "by_kind": _by_kind(gold, predicted),
        "lines": len(gold),
        "gold_quantities": sum(len(line.quantities) for line in gold),
        "predicted_quantities": sum(len(found) for found in predicted),
    }


def _by_kind(gold: list[GoldLine], predicted: list[tuple[Quantity, ...]]) -> dict[str, Any]:
    """Recall per gold kind and precision per predicted kind (value matching)."""
    recall: dict[str, list[int]] = {}  # kind -> [matched, gold]
    precision: dict[str, list[int]] = {}  # kind -> [matched, predicted]
    for line, found in zip(gold, predicted, strict=True):
        pairs = match_pairs(found, line.quantities, CRITERIA["value"])
        matched_gold = {j for j, _ in pairs}
        matched_found = {i for _, i in pairs}
        for j, g in enumerate(line.quantities):
            if g.kind is not None:
                counts = recall.setdefault(g.kind, [0, 0])
                counts[0] += j in matched_gold
                counts[1] += 1
        for i, p in enumerate(found):
            counts = precision.setdefault(p.kind, [0, 0])
            counts[0] += i in matched_found
            counts[1] += 1
    report = {}
    for kind in sorted(set(recall) | set(precision)):
        hit_gold, n_gold = recall.get(kind, [0, 0])
        hit_found, n_found = precision.get(kind, [0, 0])
        rec = hit_gold / n_gold if n_gold else None  # None: the gold gives no kinds
        prec = hit_found / n_found if n_found else None
        f1 = 2 * prec * rec / (prec + rec) if prec is not None and rec is not None else None
        report[kind] = {
            "gold": n_gold,
            "predicted": n_found,
            "recall": rec,
            "precision": prec,
            "f1": f1,
        }
    return report


def errors(gold: list[GoldLine], predicted: list[tuple[Quantity, ...]]) -> list[str]:
    """One line per gold quantity missed or wrong and per spurious prediction (for people)."""
    report = []
    for line, found in zip(gold, predicted, strict=True):
        used: set[int] = set()
        for g in line.quantities:
            hit = next(
                (
                    i
                    for i, p in enumerate(found)
                    if i not in used and same_value(p.value, g.value) and overlaps(p, g)
                ),
                None,
            )
            if hit is None:
                report.append(f"MISSED {g.text!r}={g.value:g} | {line.text}")
                continue
            used.add(hit)
            p = found[hit]
            if p.unit != g.unit or p.change != g.change:
                report.append(
                    f"WRONG {g.text!r}: unit {p.unit}/{g.unit} change {p.change}/{g.change}"
                    f" | {line.text}"
                )
            elif g.kind is not None and p.kind != g.kind:
                report.append(f"WRONG {g.text!r}: kind {p.kind}/{g.kind} | {line.text}")
        for i, p in enumerate(found):
            if i not in used:
                report.append(f"SPURIOUS {p.text!r}={p.value:g} {p.unit} | {line.text}")
    return report


def evaluate_quantities(
    find: Finder, path: Path, with_errors: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Scores of ``find`` on the file, and (if asked) the error lines."""
    gold = read_gold(path)
    predicted = [tuple(found) for found in find([line.text for line in gold])]
    return score(gold, predicted), errors(gold, predicted) if with_errors else []
