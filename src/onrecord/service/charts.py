"""Chart geometry for the dashboard, drawn by the templates (no JS library).

Python computes the bars (label, value, length as a share of the longest, the search each
bar links to) and a sentence saying what each chart shows, for readers who cannot see it;
the template only places them. Time charts get a real time axis: every month between the
first and the last one has its place, so a gap in the corpus shows as a gap.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..figures import describe_quantity

LABEL_CHARS = 26
#: Past this many months, the time charts count by year instead.
MAX_MONTHS = 120
MONTH_NAMES = [name[:3] for name in calendar.month_name]


@dataclass(frozen=True)
class Bar:
    label: str  # shown, shortened
    full_label: str  # in the tooltip and the data table
    value: float
    shown: str  # the value as printed next to the bar
    length: float  # 0..1, share of the chart's scale
    href: str | None = None


@dataclass(frozen=True)
class Chart:
    name: str  # data-chart, for tests and styles
    bars: list[Bar]
    summary: str  # the text alternative: what the chart shows, in one sentence


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


def search_link(filters: Any, **extra: str) -> str:
    """The search page for a bar: the dashboard's own filters plus the bar's."""
    params = {
        "outlet": filters.outlet or "",
        "from": filters.date_from or "",
        "to": filters.date_to or "",
    }
    params.update(extra)
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


def month_axis(rows: list[Mapping[str, Any]]) -> list[tuple[str, str, str, str]]:
    """Every period from the first row's to the last's, as (key, label, first day, last
    day): months ("2016-10", "Oct 2016"), or years when the span is over MAX_MONTHS."""
    months = sorted(str(r["month"]) for r in rows if r.get("month") and len(r["month"]) == 7)
    if not months:
        return []
    first_year, first_month = int(months[0][:4]), int(months[0][5:])
    last_year, last_month = int(months[-1][:4]), int(months[-1][5:])
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > MAX_MONTHS:
        return [
            (str(y), str(y), f"{y}-01-01", f"{y}-12-31") for y in range(first_year, last_year + 1)
        ]
    axis = []
    year, month = first_year, first_month
    for _ in range(span):
        days = calendar.monthrange(year, month)[1]
        key = f"{year}-{month:02d}"
        axis.append((key, f"{MONTH_NAMES[month]} {year}", f"{key}-01", f"{key}-{days:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return axis


def over_time(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows by month, on the month (or year) axis, empty periods included."""
    axis = month_axis(rows)
    by_key: dict[str, dict[str, int]] = {}
    by_year = bool(axis) and len(axis[0][0]) == 4
    for row in rows:
        if not row.get("month"):
            continue
        key = str(row["month"])[:4] if by_year else str(row["month"])
        entry = by_key.setdefault(key, {"quotes": 0, "anonymous": 0})
        entry["quotes"] += int(row.get("quotes") or 0)
        entry["anonymous"] += int(row.get("anonymous") or 0)
    out = []
    for key, label, first, last in axis:
        counts = by_key.get(key, {"quotes": 0, "anonymous": 0})
        quotes = counts["quotes"]
        share = counts["anonymous"] / quotes if quotes else 0.0
        out.append(
            {"key": key, "label": label, "from": first, "to": last, **counts, "share": share}
        )
    return out


def dashboard_charts(data: Mapping[str, Any], filters: Any) -> dict[str, Any]:
    """The dashboard's charts, each with its bars and its text alternative."""
    periods = over_time(data.get("by_month", []))
    volume = make_bars(
        periods,
        label=lambda p: str(p["label"]),
        value=lambda p: p["quotes"],
        href=lambda p: search_link(filters, **{"from": p["from"], "to": p["to"]}),
    )
    anonymous_time = make_bars(
        periods,
        label=lambda p: str(p["label"]),
        value=lambda p: p["share"],
        shown=percent,
        scale=1.0,
        href=lambda p: search_link(filters, anonymous="true", **{"from": p["from"], "to": p["to"]}),
    )
    by_outlet = make_bars(
        data.get("by_outlet", []),
        label=lambda row: str(row.get("outlet") or "(no outlet)"),
        value=lambda row: row.get("anonymous_share") or 0.0,
        shown=percent,
        scale=1.0,
        href=lambda row: search_link(filters, outlet=str(row["outlet"]), anonymous="true"),
    )
    top = source_bars(data.get("top_sources", []), filters)
    per_outlet = [
        (outlet, source_bars(rows, filters, outlet))
        for outlet, rows in (data.get("top_sources_by_outlet") or {}).items()
    ]
    figures = data.get("figures", [])
    figure_bars = make_bars(
        figures,
        label=lambda row: f"{describe_quantity(row)} (“{row['text']}”)",
        value=lambda row: row["citations"],
        shown=lambda v: f"{v:g}×",
        href=lambda row: search_link(filters, q=str(row["text"])),
    )
    return {
        "volume": Chart("quote-volume", volume, time_summary(periods, "quotes", "quotes")),
        "anonymous_time": Chart(
            "anonymous-by-month", anonymous_time, share_summary(periods, "label", "period")
        ),
        "by_outlet": Chart(
            "anonymous-by-outlet",
            by_outlet,
            share_summary(data.get("by_outlet", []), "outlet", "outlet", "anonymous_share"),
        ),
        "top_sources": Chart("top-sources", top, ranking_summary(top, "sources")),
        "per_outlet": [
            Chart(f"top-sources-{index}", bars, ranking_summary(bars, f"sources in {outlet}"))
            for index, (outlet, bars) in enumerate(per_outlet)
        ],
        "per_outlet_names": [outlet for outlet, _ in per_outlet],
        "figures": Chart("top-figures", figure_bars, ranking_summary(figure_bars, "figures")),
    }


def source_bars(
    rows: list[Mapping[str, Any]], filters: Any, outlet: str | None = None
) -> list[Bar]:
    extra = {"outlet": outlet} if outlet else {}
    return make_bars(
        rows,
        label=lambda s: (
            str(s.get("name", "")) + (" (anonymous)" if s.get("kind") == "anonymous" else "")
        ),
        value=lambda s: s.get("quotes", 0),
        href=lambda s: search_link(filters, source=str(s["id"]), **extra),
    )


def time_summary(periods: list[dict[str, Any]], key: str, noun: str) -> str:
    if not periods:
        return "No dated quotes."
    busiest = max(periods, key=lambda p: p[key])
    total = sum(p[key] for p in periods)
    return (
        f"{total} {noun} from {periods[0]['label']} to {periods[-1]['label']};"
        f" the most, {busiest[key]}, in {busiest['label']}."
    )


def share_summary(
    rows: Sequence[Mapping[str, Any]], label: str, noun: str, key: str = "share"
) -> str:
    counted = [r for r in rows if r.get("quotes")]
    if not counted:
        return "No quotes."
    high = max(counted, key=lambda r: r[key])
    low = min(counted, key=lambda r: r[key])
    return (
        f"Share of quotes from anonymous sources by {noun}: highest {percent(high[key])}"
        f" ({high[label] or 'unknown'}), lowest {percent(low[key])} ({low[label] or 'unknown'})."
    )


def ranking_summary(bars: list[Bar], plural: str) -> str:
    if not bars:
        return "None yet."
    listed = "; ".join(f"{bar.full_label}, {bar.shown}" for bar in bars[:5])
    return f"Top {plural}: {listed}."
