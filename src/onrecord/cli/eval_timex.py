"""`onrecord eval timex`: time expressions (TIMEX3) on TimeML files, TempEval-3 scores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import OnrecordError
from ..record import Time
from .app import PipelineOption, eval_app, fail, select_pipeline
from .evaluate import print_scores


@eval_app.command("timex")
def eval_timex(
    data: Annotated[
        Path, typer.Option("--data", help="A .tml file, or a directory (tree) of .tml files.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    pipeline: PipelineOption = None,
    tbaq_parts: Annotated[
        bool,
        typer.Option(
            "--tbaq-parts",
            help="--data is TBAQ-cleaned: also score our tuning and held-out parts apart "
            "(every fifth file in sorted order is held out).",
        ),
    ] = False,
) -> None:
    """Time expressions on TimeML: strict/relaxed extents, type and value (TempEval-3)."""
    select_pipeline(pipeline)
    from ..evaluation.timex import evaluate_timex
    from ..pipeline import load
    from ..times import find_times

    def find(text: str, published: dt.date | None) -> tuple[Time, ...]:
        # find_times reads only the text, so the tokenizer alone gives it what it needs.
        return find_times(load().make_doc(text), published)

    try:
        scores = evaluate_timex(find, data, tbaq_parts=tbaq_parts)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)
