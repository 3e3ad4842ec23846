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

from ..figures import describe_quantity
from ..times import describe_time

#: Distinct colours (CSS classes c0..c9), one each for the most quoted named sources of
#: an article; the long tail of named sources is grey ("tail"), anonymous ones "anon".
#: Ten is as many as stay distinguishable side by side (and from the figure/date marks).
PALETTE_SIZE = 10
#: What the quote kinds are called where a label or icon says it (not colour alone).
KIND_LABELS = {
    "direct": "direct quote",
    "indirect": "indirect quote",
    "mixed": "mixed quote",
    "scare": "scare quote",
}

# Outer spans first: a quote contains its quoted parts, which contain figures and dates.
RANK_QUOTE, RANK_PART, RANK_ROLE, RANK_VALUE = 0, 1, 2, 3


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    rank: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = field(default=())

    def open_tag(self, ids_used: set[str] | None = None) -> str:
        attrs = self.attrs
        if ids_used is not None:
            # A span split at an overlap opens several elements: only the first keeps its id.
            ident = dict(attrs).get("id")
            if ident is not None:
                if ident in ids_used:
                    attrs = tuple(a for a in attrs if a[0] != "id")
                ids_used.add(ident)
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
        return f"<{self.tag}{rendered}>"

    def close_tag(self) -> str:
        return f"</{self.tag}>"


def quote_counts(quotes: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many quotes each local source id has ("" for quotes without a source)."""
    counts: dict[str, int] = {}
    for quote in quotes:
        key = quote.get("source_id") or ""
        counts[key] = counts.get(key, 0) + 1
    return counts


def source_styles(
    sources: Iterable[Mapping[str, Any]], quotes: Iterable[Mapping[str, Any]] = ()
) -> dict[str, str]:
    """CSS class of each local source id: a colour for each of the PALETTE_SIZE most quoted
    named sources (most quoted first, ties in order of appearance, so the same record
    always gets the same colours), grey for the rest, one look for anonymous sources."""
    counts = quote_counts(quotes)
    listed = list(sources)
    named = [s for s in listed if s.get("kind") != "anonymous"]
    ranked = sorted(range(len(named)), key=lambda i: (-counts.get(named[i]["id"], 0), i))
    styles = {s["id"]: "anon" for s in listed if s.get("kind") == "anonymous"}
    for rank, index in enumerate(ranked):
        styles[named[index]["id"]] = f"c{rank}" if rank < PALETTE_SIZE else "tail"
    return styles


def record_spans(
    record: Mapping[str, Any], source_links: Mapping[str, str] | None = None
) -> list[Span]:
    """The spans to mark in a record (its JSON form). ``source_links``: local id -> URL."""
    quotes = record.get("quotes", ())
    sources = record.get("sources", ())
    styles = source_styles(sources, quotes)
    names = {s["id"]: s.get("name") or "" for s in sources}
    links = source_links or {}
    spans: list[Span] = []
    for quote in quotes:
        spans.extend(_quote_spans(quote, styles, names, links))
    quoted = [(q["start"], q["end"]) for q in quotes]
    for quantity in record.get("quantities", ()):
        words = describe_quantity(quantity)
        css = f"fig {quantity.get('kind', '')}"
        spans.append(_value_span(quantity, css, words, inside(quantity, quoted)))
    for time in record.get("times", ()):
        words = describe_time(str(time.get("type", "DATE")), str(time.get("value", "")))
        spans.append(_value_span(time, "time", words, inside(time, quoted)))
    return spans


def inside(item: Mapping[str, Any], quoted: list[tuple[int, int]]) -> bool:
    return any(start < item["end"] and item["start"] < end for start, end in quoted)


def _value_span(item: Mapping[str, Any], css: str, words: str, in_quote: bool) -> Span:
    """A figure or date, its value in plain words in ``data-value``, shown on focus and
    on tap (style.css, app.js), not only on hover. Inside a quote it is not focusable
    itself (a control inside a control); focusing the quote shows its values."""
    attrs = [("class", css), ("title", words), ("data-value", words)]
    if not in_quote:
        attrs.append(("tabindex", "0"))
    return Span(item["start"], item["end"], RANK_VALUE, "span", tuple(attrs))


def _quote_spans(
    quote: Mapping[str, Any],
    styles: Mapping[str, str],
    names: Mapping[str, str],
    links: Mapping[str, str],
) -> list[Span]:
    source_id = quote.get("source_id")
    style = styles.get(source_id or "", "nosrc")
    kind = str(quote.get("kind", ""))
    label = KIND_LABELS.get(kind, kind)
    who = names.get(source_id or "") or "no known source"
    attrs: list[tuple[str, str]] = [
        ("id", str(quote.get("id", ""))),
        ("class", f"q {style} {kind}"),
        ("data-quote", str(quote.get("id", ""))),
        ("data-source", source_id or ""),
        ("title", f"{label}: {who}"),
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
    ids_used: set[str] = set()
    for begin, end in zip(cuts, cuts[1:], strict=False):
        wanted = [s for s in valid if s.start <= begin and end <= s.end]
        keep = _common_prefix(stack, wanted)
        out.extend(s.close_tag() for s in reversed(stack[keep:]))
        out.extend(s.open_tag(ids_used) for s in wanted[keep:])
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


def render_in_context(item: Mapping[str, Any]) -> Markup:
    """A listed quote inside its sentence (``item["context"]``, from the store): the quoted
    words, the cue and the speaker marked, and the words a search matched in <mark>."""
    context = item.get("context")
    if not context:
        return render_snippet(str(item.get("snippet") or item.get("text") or ""))
    text = str(context["text"])
    quote = context["quote"]
    spans = [Span(quote["start"], quote["end"], RANK_QUOTE, "q", (("class", "said"),))]
    for role in ("speaker", "cue"):
        if context.get(role):
            span = context[role]
            spans.append(Span(span["start"], span["end"], RANK_ROLE, "span", (("class", role),)))
    for start, end in _matched_words(text, quote["start"], quote["end"], item.get("snippet")):
        spans.append(Span(start, end, RANK_VALUE, "mark"))
    marked = render_marked(text, spans)
    before = "…" if context.get("clipped_start") else ""
    after = "…" if context.get("clipped_end") else ""
    return Markup(before) + marked + Markup(after)


def _matched_words(text: str, start: int, end: int, snippet: object) -> list[tuple[int, int]]:
    """Where the words the store marked in a search snippet occur in the quote (whole
    words, any case): the snippet is cut short, the context is not."""
    if not isinstance(snippet, str) or "\ue000" not in snippet:
        return []
    marked = re.findall("\ue000([^\ue001]*)\ue001", snippet)
    words = sorted({w.lower() for w in marked if w.strip()}, key=len, reverse=True)
    if not words:
        return []
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
