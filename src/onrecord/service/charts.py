"""Chart geometry for the dashboard, drawn as inline SVG by the templates (no JS library).

Python computes the bars (label, value, length as a share of the longest); the template
only places them. Keeping the arithmetic here makes it testable and the templates dumb.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LABEL_CHARS = 26


@dataclass(frozen=True)
class Bar:
    label: str  # shown, shortened
    full_label: str  # in the tooltip
    value: float
    shown: str  # the value as printed next to the bar
    length: float  # 0..1, share of the chart's scale
    href: str | None = None


def short(label: str, width: int = LABEL_CHARS) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def make_bars(
    items: Iterable[Mapping[str, Any]],
    label: Callable[[Mapping[str, Any]], str],
    value: Callable[[Mapping[str, Any]], float],
    shown: Callable[[float], str] = lambda v: f"{v:g}",
    href: Callable[[Mapping[str, Any]], str | None] = lambda item: None,
    scale: float | None = None,
) -> list[Bar]:
    """Bars for ``items``; ``scale`` fixes the full length (1.0 for shares), else the max."""
    rows = [(item, float(value(item) or 0)) for item in items]
    top = scale if scale is not None else max((v for _, v in rows), default=0.0)
    bars = []
    for item, amount in rows:
        name = label(item) or "(unknown)"
        bars.append(
            Bar(
                label=short(name),
                full_label=name,
                value=amount,
                shown=shown(amount),
                length=(amount / top) if top > 0 else 0.0,
                href=href(item),
            )
        )
    return bars


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def anonymous_share(row: Mapping[str, Any]) -> float:
    """The share of a row's quotes from anonymous sources (computed if the store omits it)."""
    share = row.get("anonymous_share")
    if isinstance(share, int | float):
        return float(share)
    quotes = row.get("quotes") or 0
    return (row.get("anonymous") or 0) / quotes if quotes else 0.0


def figure_counts(figures: Iterable[Mapping[str, Any]], top: int = 10) -> list[dict[str, Any]]:
    """The figures cited most often: the same value, kind and unit counted once per citation.

    The label is the wording used most often for that figure.
    """
    counts: Counter[tuple[Any, ...]] = Counter()
    wordings: dict[tuple[Any, ...], Counter[str]] = {}
    for figure in figures:
        key = (figure.get("kind"), figure.get("value"), figure.get("unit"))
        counts[key] += 1
        wordings.setdefault(key, Counter())[str(figure.get("text", ""))] += 1
    rows = []
    for key, count in counts.most_common(top):
        kind, value, unit = key
        wording = wordings[key].most_common(1)[0][0]
        rows.append(
            {"text": wording, "kind": kind, "value": value, "unit": unit, "citations": count}
        )
    return rows
