"""`onrecord eval ner` and `onrecord eval parse`: scores of the bundled English pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import OnrecordError
from ..evaluation.metrics import format_scores
from .app import eval_app, fail

DataOption = Annotated[Path, typer.Option("--data", help="Annotated file to score against.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def print_scores(scores: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
    else:
        typer.echo(format_scores(scores))


@eval_app.command("ner")
def eval_ner(data: DataOption, as_json: JsonOption = False) -> None:
    """Named entities on a CoNLL file (token first column, IOB/IOB2 tag last)."""
    from ..evaluation.ner import evaluate_ner
    from ..pipeline import load

    try:
        scores = evaluate_ner(load(), data)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)


@eval_app.command("parse")
def eval_parse(data: DataOption, as_json: JsonOption = False) -> None:
    """Tags, dependencies and sentence boundaries on a CoNLL-U file."""
    from ..evaluation.parse import evaluate_parse
    from ..pipeline import load

    try:
        scores = evaluate_parse(load(), data)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)
