"""Precision, recall and F1, shared by every evaluation."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add_sets(self, predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> None:
        pred, ref = set(predicted), set(gold)
        self.tp += len(pred & ref)
        self.fp += len(pred - ref)
        self.fn += len(ref - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def format_scores(scores: dict, indent: int = 0) -> str:
    """Render nested scores for people: fractions as percentages with one decimal."""
    lines = []
    pad = "  " * indent
    for key, value in scores.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(format_scores(value, indent + 1))
        elif isinstance(value, float) and key != "words_per_second" and 0.0 <= value <= 1.0:
            lines.append(f"{pad}{key}: {100 * value:.1f}")
        elif isinstance(value, float):
            lines.append(f"{pad}{key}: {value:,.0f}")
        else:
            lines.append(f"{pad}{key}: {value}")
    return "\n".join(lines)
