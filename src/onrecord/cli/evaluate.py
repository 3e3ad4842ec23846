"""`onrecord eval ner` and `onrecord eval parse`: scores of the bundled English pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import OnrecordError
from ..evaluation.metrics import format_scores
from .app import PipelineOption, eval_app, fail, select_pipeline

DataOption = Annotated[Path, typer.Option("--data", help="Annotated file to score against.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def print_scores(scores: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
    else:
        typer.echo(format_scores(scores))


@eval_app.command("ner")
def eval_ner(
    data: DataOption,
    as_json: JsonOption = False,
    pipeline: PipelineOption = None,
    component_only: Annotated[
        bool,
        typer.Option(
            "--component-only",
            help="Run the NER component alone (no parser before it), not as extract runs it.",
        ),
    ] = False,
) -> None:
    """Named entities on a CoNLL file (token first column, IOB/IOB2 tag last), as `extract`
    finds them: the whole pipeline runs on each document."""
    from ..evaluation.ner import evaluate_ner
    from ..pipeline import load

    select_pipeline(pipeline)
    try:
        scores = evaluate_ner(load(), data, whole_pipeline=not component_only)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)


@eval_app.command("parse")
def eval_parse(
    data: DataOption, as_json: JsonOption = False, pipeline: PipelineOption = None
) -> None:
    """Tags, dependencies and sentence boundaries on a CoNLL-U file."""
    from ..evaluation.parse import evaluate_parse
    from ..pipeline import load

    select_pipeline(pipeline)
    try:
        scores = evaluate_parse(load(), data)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)
