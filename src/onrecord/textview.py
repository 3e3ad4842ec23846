"""A readable view of a record, for people (`onrecord extract --format text`)."""

from __future__ import annotations

from .record import Quote, Record


def render_text(record: Record) -> str:
    article = record.article
    lines = [f"# {article.title or '(untitled)'}"]
    if article.published:
        lines.append(f"published {article.published}")
    if article.url:
        lines.append(article.url)
    lines.append("")
    lines.extend(_render_sources(record))
    lines.extend(_render_entities(record))
    lines.extend(_render_quantities(record))
    lines.extend(_render_times(record))
    return "\n".join(lines).rstrip() + "\n"


def _render_sources(record: Record) -> list[str]:
    lines = ["## Sources and quotes"]
    by_source: dict[str | None, list] = {}
    for quote in record.quotes:
        by_source.setdefault(quote.source_id, []).append(quote)
    for source in record.sources:
        details = source.titles + source.affiliations
        if source.kind == "anonymous" and source.description:
            details = (f"described as “{source.description}”", *details)
        extra = ", ".join(details)
        lines.append(f"- {source.name} ({source.kind})" + (f": {extra}" if extra else ""))
        for quote in by_source.get(source.id, []):
            lines.append(f"    {_quote_line(quote)}")
    for quote in by_source.get(None, []):
        lines.append(f"- (no source) {_quote_line(quote)}")
    named = sum(
        1 for q in record.quotes if _kind_of(record, q.source_id) not in (None, "anonymous")
    )
    anonymous = sum(1 for q in record.quotes if _kind_of(record, q.source_id) == "anonymous")
    lines.append(
        f"{len(record.quotes)} quotes, {named} from named sources, "
        f"{anonymous} from anonymous sources"
    )
    lines.append("")
    return lines


def _quote_line(quote: Quote) -> str:
    """[direct] text  (said)"""
    cue = f"  ({quote.cue.text})" if quote.cue else ""
    # the quoted words alone: a quote split by its cue shows its pieces, not the cue
    return f"[{quote.kind}] {_shorten(quote.content or quote.text)}{cue}"


def _kind_of(record: Record, source_id: str | None) -> str | None:
    source = record.source(source_id)
    return source.kind if source else None


def _render_entities(record: Record) -> list[str]:
    if not record.entities:
        return []
    seen: dict[tuple[str, str], int] = {}
    for entity in record.entities:
        key = (entity.label, entity.canonical)
        seen[key] = seen.get(key, 0) + 1
    lines = ["## People, organizations and places"]
    lines += [f"- {name} ({label}) x{count}" for (label, name), count in seen.items()]
    lines.append("")
    return lines


def _render_quantities(record: Record) -> list[str]:
    if not record.quantities:
        return []
    lines = ["## Figures"]
    for q in record.quantities:
        details = [q.display, q.kind]  # plain words, never raw fields (docs/record-schema.md)
        if q.quantified:
            details.append(f"of {q.quantified}")
        lines.append(f"- {q.text}: " + ", ".join(details))
    lines.append("")
    return lines


def _render_times(record: Record) -> list[str]:
    if not record.times:
        return []
    lines = ["## Dates and times"]
    lines += [f"- {t.text}: {t.display}" for t in record.times]  # not "PRESENT_REF"
    lines.append("")
    return lines


def _shorten(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
