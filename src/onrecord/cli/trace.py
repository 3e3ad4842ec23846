"""`onrecord trace`: where a quote was seen, first said, and how it changed
(docs/provenance.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from .app import app, fail
from .corpus import DbOption, LimitOption, PageOption, console, opened

MARKUP = {"insert": "[bold green]+{}[/]", "delete": "[bold red]-{}[/]", "equal": "{}"}


@app.command()
def trace(
    text: Annotated[str | None, typer.Argument(help="The quote's words.")] = None,
    quote_id: Annotated[
        str | None, typer.Option("--quote-id", help="A stored quote's id (ARTICLE:LOCAL).")
    ] = None,
    limit: LimitOption = 50,
    page: PageOption = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cluster as JSON.")] = False,
    db: DbOption = None,
) -> None:
    """A quote's cluster across the corpus: first appearance, outlets, and every copy with
    its variant (verbatim, trimmed, altered, paraphrase) and word diff."""
    if (text is None) == (quote_id is None):
        fail("give the quote's words or --quote-id ID (one of them)")
    with opened(db, read_only=True) as store:
        if quote_id is not None:
            if not store.quote_exists(quote_id):
                fail(f"no quote {quote_id!r} in the corpus")
            cluster_id = store.quote_cluster_id(quote_id)
            missing = f"quote {quote_id} is too short to trace (fewer than 4 words)"
        else:
            assert text is not None
            if not text.strip():
                fail("the quote's words are empty")
            cluster_id = store.cluster_for_text(text)
            missing = "no stored quote is the same statement"
        offset = (page - 1) * limit
        cluster = store.cluster(cluster_id, limit=limit, offset=offset) if cluster_id else None
    if cluster is None:
        if as_json:
            typer.echo(json.dumps({"cluster": None, "message": missing}))
        else:
            typer.echo(missing)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(cluster, indent=2, ensure_ascii=False))
        return
    _print_cluster(cluster)


def _print_cluster(cluster: dict[str, Any]) -> None:
    out = console()
    out.print(f"[bold]cluster {cluster['id']}[/]: {cluster['reference']}", markup=True)
    out.print(
        f"seen in {cluster['articles']} articles ({cluster['quotes']} quotes), "
        f"{cluster['altered']} altered ({cluster['high_severity']} high-severity), "
        f"{cluster['paraphrases']} paraphrases",
        markup=False,
    )
    first = cluster["first_appearance"]
    if first:
        out.print(
            f"first: {first['published'] or 'undated'}, {first['outlet']}"
            f" — {first['title'] or first['article_id']}"
            + (f" ({first['source_name']})" if first["source_name"] else ""),
            markup=False,
        )
    outlets = ", ".join(f"{o['outlet']} ({o['quotes']})" for o in cluster["outlets"])
    out.print(f"outlets: {outlets}", markup=False)
    for item in cluster["appearances"]:
        flag = f" {item['severity']}: {', '.join(item['reasons'])}" if item["severity"] else ""
        out.print(
            f"- {item['published'] or 'undated'} {item['outlet']} [{item['variant']}{flag}]"
            f" {item['quote_id']}",
            markup=False,
        )
        if item["variant"] == "altered":
            out.print("    " + _diff_markup(item["diff"]), markup=True, highlight=False)
        else:
            out.print(f"    {item['content']}", markup=False, highlight=False)


def _diff_markup(diff: list[tuple[str, str]]) -> str:
    from rich.markup import escape

    return " ".join(MARKUP.get(op, "{}").format(escape(words)) for op, words in diff)


def print_tracked_figure(text: str, *, as_json: bool, db: str | None) -> None:
    """`figures --track TEXT`: one series per quantified thing, unit and speaker."""
    if not text.strip():
        fail("--track needs the words of the figure's sentence or thing")
    with opened(db, read_only=True) as store:
        series = store.track_figure(text)
    if as_json:
        typer.echo(json.dumps({"series": series}, indent=2, ensure_ascii=False))
        return
    out = console()
    if not series:
        out.print(f"no figure mentions {text!r}", markup=False)
        return
    for entry in series:
        values = " -> ".join(f"{v:g}" for v in entry["values"])
        out.print(
            f"{entry['quantified'] or '(figure)'} [{entry['kind']}"
            + (f", {entry['unit']}" if entry["unit"] else "")
            + f"] by {entry['source_name'] or 'no quoted speaker'}: {values}",
            markup=False,
        )
        for cite in entry["citations"]:
            mark = " (changed)" if cite["changed"] else ""
            out.print(
                f"  {cite['published'] or 'undated'} {cite['outlet']}: {cite['text']}{mark}"
                f" — {cite['sentence']}",
                markup=False,
                highlight=False,
            )
