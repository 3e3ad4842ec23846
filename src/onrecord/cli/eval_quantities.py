"""`onrecord eval quantities`: value, value+unit and value+change F1 on a JSON Lines file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from ..errors import OnrecordError
from ..record import Quantity
from .app import PipelineOption, eval_app, fail, select_pipeline
from .evaluate import DataOption, JsonOption, print_scores

ErrorsOption = Annotated[
    bool, typer.Option("--errors", help="Also list missed, wrong and spurious quantities.")
]


@eval_app.command("quantities")
def eval_quantities(
    data: DataOption,
    as_json: JsonOption = False,
    show: ErrorsOption = False,
    pipeline: PipelineOption = None,
) -> None:
    """Quantities on JSON Lines: {"text", "quantities": [{"text", "value", "unit", "change"}]}."""
    select_pipeline(pipeline)
    from ..evaluation.quantities import evaluate_quantities

    try:
        scores, errors = evaluate_quantities(_find_all, Path(data), with_errors=show)
    except OnrecordError as exc:
        fail(str(exc))
    for line in errors:
        typer.echo(line, err=True)
    print_scores(scores, as_json)


def _find_all(texts: list[str]) -> Iterator[tuple[Quantity, ...]]:
    from ..figures import find_quantities
    from ..pipeline import load

    nlp = load()
    for doc in nlp.pipe(texts, batch_size=64):
        yield find_quantities(doc)
