"""`onrecord eval sources`: split sources, wrong kinds, things as speakers, referent share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import OnrecordError
from .app import eval_app, fail


@eval_app.command("sources")
def eval_sources(
    data: Annotated[
        Path,
        typer.Option("--data", help="PolNeAR-layout directory: text/*.txt and attributions/*.ann."),
    ],
    referents: Annotated[
        Path | None,
        typer.Option(
            "--referents",
            help="JSON Lines of gold Source spans with referent ids "
            "(tests/data/polnear-dev-referents.jsonl): adds the referent share.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="List every split, wrong kind, thing and miss.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Check only the first N articles (sorted by name)."),
    ] = None,
) -> None:
    """Split pairs and person-as-organization per 100 named sources, sources that are
    things, times or places, and (with --referents) the share of gold sources resolved to
    the right referent."""
    from ..evaluation.sources import evaluate_sources

    try:
        scorer = evaluate_sources(data, referents_path=referents, limit=limit)
    except OnrecordError as exc:
        fail(str(exc))
    result = scorer.result(details=details)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for key, value in result.items():
        if key != "details":
            typer.echo(f"{key}: {value}")
    for key, items in result.get("details", {}).items():
        typer.echo(f"\n{key}:")
        for item in items:
            typer.echo("  " + json.dumps(item, ensure_ascii=False))
