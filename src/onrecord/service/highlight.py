"""Article text as safe HTML: quotes, speakers, cues, figures and dates marked.

The record gives end-exclusive character offsets into the article text. We cut the text
at every span boundary and escape each piece on its own, so no byte of article text ever
reaches the page unescaped. Spans may overlap (a figure inside a quote, a speaker that
straddles a quote's end): at each boundary we close the tags that no longer apply and
reopen the ones that still do, so the HTML always nests properly; an overlapping span is
simply split into several elements carrying the same attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

#: Distinct colours for named sources (CSS classes c0..c7); anonymous sources get "anon".
PALETTE_SIZE = 8

# Outer spans first: a quote contains its quoted parts, which contain figures and dates.
RANK_QUOTE, RANK_PART, RANK_ROLE, RANK_VALUE = 0, 1, 2, 3


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    rank: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = field(default=())

    def open_tag(self) -> str:
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in self.attrs)
        return f"<{self.tag}{rendered}>"

    def close_tag(self) -> str:
        return f"</{self.tag}>"


def source_styles(sources: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """CSS class of each local source id: one colour per named source, one look for anonymous."""
    styles: dict[str, str] = {}
    named = 0
    for source in sources:
        if source.get("kind") == "anonymous":
            styles[source["id"]] = "anon"
        else:
            styles[source["id"]] = f"c{named % PALETTE_SIZE}"
            named += 1
    return styles


def format_number(value: Any) -> str:
    """1000000000.0 -> "1,000,000,000"; 2.5 -> "2.5"."""
    if not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:g}"


def describe_quantity(quantity: Mapping[str, Any]) -> str:
    """The normalized value of a figure, as shown on hover: "money: 1,000,000,000 USD"."""
    text = format_number(quantity.get("value"))
    if quantity.get("high") is not None:
        text += f" to {format_number(quantity['high'])}"
    details = [text]
    if quantity.get("unit"):
        details[0] += f" {quantity['unit']}"
    for flag in ("change", "bound"):
        if quantity.get(flag):
            details.append(str(quantity[flag]))
    if quantity.get("approximate"):
        details.append("approximate")
    if quantity.get("each"):
        details.append("each")
    if quantity.get("quantified"):
        details.append(f"of {quantity['quantified']}")
    return f"{quantity.get('kind', 'figure')}: " + ", ".join(details)


def record_spans(
    record: Mapping[str, Any], source_links: Mapping[str, str] | None = None
) -> list[Span]:
    """The spans to mark in a record (its JSON form). ``source_links``: local id -> URL."""
    styles = source_styles(record.get("sources", ()))
    links = source_links or {}
    spans: list[Span] = []
    for quote in record.get("quotes", ()):
        spans.extend(_quote_spans(quote, styles, links))
    for quantity in record.get("quantities", ()):
        spans.append(
            Span(
                quantity["start"],
                quantity["end"],
                RANK_VALUE,
                "span",
                (
                    ("class", f"fig {quantity.get('kind', '')}"),
                    ("title", describe_quantity(quantity)),
                ),
            )
        )
    for time in record.get("times", ()):
        spans.append(
            Span(
                time["start"],
                time["end"],
                RANK_VALUE,
                "span",
                (("class", "time"), ("title", f"{time.get('type', 'DATE')}: {time.get('value')}")),
            )
        )
    return spans


def _quote_spans(
    quote: Mapping[str, Any], styles: Mapping[str, str], links: Mapping[str, str]
) -> list[Span]:
    source_id = quote.get("source_id")
    style = styles.get(source_id or "", "nosrc")
    attrs: list[tuple[str, str]] = [
        ("class", f"q {style} {quote.get('kind', '')}"),
        ("data-quote", str(quote.get("id", ""))),
        ("data-source", source_id or ""),
    ]
    link = links.get(source_id or "")
    if link:
        attrs.insert(0, ("href", link))
        tag = "a"
    else:
        attrs += [("tabindex", "0"), ("role", "button")]
        tag = "span"
    spans = [Span(quote["start"], quote["end"], RANK_QUOTE, tag, tuple(attrs))]
    for part in quote.get("parts", ()):
        spans.append(Span(part["start"], part["end"], RANK_PART, "span", (("class", "qp"),)))
    for role in ("speaker", "cue"):
        span = quote.get(role)
        if span:
            spans.append(
                Span(span["start"], span["end"], RANK_ROLE, "span", (("class", f"{role} {style}"),))
            )
    return spans


def render_marked(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` as HTML with ``spans`` marked; every piece of text is escaped."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    # Sorting once keeps the nesting order stable: outer rank first, then earlier, then longer.
    valid.sort(key=lambda s: (s.rank, s.start, -s.end))
    cuts = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    out: list[str] = []
    stack: list[Span] = []
    for begin, end in zip(cuts, cuts[1:], strict=False):
        wanted = [s for s in valid if s.start <= begin and end <= s.end]
        keep = _common_prefix(stack, wanted)
        out.extend(s.close_tag() for s in reversed(stack[keep:]))
        out.extend(s.open_tag() for s in wanted[keep:])
        stack = wanted
        out.append(str(escape(text[begin:end])))
    out.extend(s.close_tag() for s in reversed(stack))
    return Markup("".join(out))


def _common_prefix(current: list[Span], wanted: list[Span]) -> int:
    count = 0
    for a, b in zip(current, wanted, strict=False):
        if a is not b:
            break
        count += 1
    return count


def render_article(
    record: Mapping[str, Any], source_links: Mapping[str, str] | None = None
) -> Markup:
    """The article text of a record (JSON form) with its quotes, figures and dates marked."""
    text = record.get("article", {}).get("text", "")
    return render_marked(text, record_spans(record, source_links))


def render_snippet(snippet: str) -> Markup:
    """A search snippet: escape it, then turn the store's match markers into <mark>.

    Markers are paired here rather than replaced blindly, so a stray or missing marker
    (a snippet cut mid-match) cannot leave an unclosed element.
    """
    out: list[str] = []
    inside = False
    for piece in re.split("([\ue000\ue001])", snippet):
        if piece == "\ue000":
            if not inside:
                out.append("<mark>")
            inside = True
        elif piece == "\ue001":
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(piece)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))
