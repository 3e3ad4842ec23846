"""`onrecord eval quotes`: quote, cue and source spans against brat attribution annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import OnrecordError
from ..evaluation.metrics import format_scores
from .app import PipelineOption, eval_app, fail, select_pipeline


@eval_app.command("quotes")
def eval_quotes(
    data: Annotated[
        Path,
        typer.Option("--data", help="PolNeAR-layout directory: text/*.txt and attributions/*.ann."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Score only the first N articles (sorted by name)."),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors", help="Write misses, false positives and wrong speakers as JSON Lines."
        ),
    ] = None,
    rules_only: Annotated[
        bool,
        typer.Option(
            "--rules-only",
            help="Leave the learned attribution span model out: score the rules alone.",
        ),
    ] = False,
    pipeline: PipelineOption = None,
) -> None:
    """Content, cue and source spans (exact and overlap match) and speaker accuracy.

    An article with several annotation files is scored against each file as its own gold set.
    """
    from ..evaluation.quotes import evaluate_quotes

    select_pipeline(pipeline)
    try:
        scorer = evaluate_quotes(data, limit=limit, errors_path=errors, span_model=not rules_only)
    except OnrecordError as exc:
        fail(str(exc))
    scores = scorer.result()
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
        return
    counts = scorer.counts
    typer.echo(
        f"{counts['articles']} articles, {counts['gold_sets']} gold sets: "
        f"{counts['gold_quotes']} gold quotes ({counts['gold_direct']} direct), "
        f"{counts['predicted_quotes']} predicted ({counts['predicted_direct']} direct); "
        "scores in %"
    )
    typer.echo(format_scores(scores))
