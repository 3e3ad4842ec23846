"""`onrecord eval provenance`: quote clusters and variants on PolNeAR (docs/provenance.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import OnrecordError
from .app import eval_app, fail
from .evaluate import JsonOption, print_scores


@eval_app.command("provenance")
def eval_provenance(
    data: Annotated[
        Path,
        typer.Option("--data", help="PolNeAR-layout directory: text/*.txt and attributions/*.ann."),
    ],
    as_json: JsonOption = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic alterations.")] = 13,
) -> None:
    """Quote clusters and variants: same-statement pairs across articles, B-cubed
    clustering, altered versus verbatim and high-severity alterations (scores in %)."""
    from ..evaluation.provenance import evaluate_provenance

    try:
        scores = evaluate_provenance(data, seed=seed)
    except OnrecordError as exc:
        fail(str(exc))
    print_scores(scores, as_json)
