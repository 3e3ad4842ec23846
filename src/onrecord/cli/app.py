"""The typer application object and the helpers every command shares."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from ..errors import one_line

app = typer.Typer(
    name="onrecord",
    help="Who said what: quotes, sources, figures and dates from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(
    help="Score onrecord on annotated data (human-readable, or --json).", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error on stderr and exit with ``code`` (2: bad input or usage)."""
    typer.echo(f"onrecord: error: {one_line(message)}", err=True)
    raise typer.Exit(code)


class PipelineName(StrEnum):
    accurate = "accurate"
    fast = "fast"


PipelineOption = Annotated[
    PipelineName | None,
    typer.Option(
        "--pipeline",
        help="English pipeline: accurate (pretrained encoder; the default) or fast (CNN only). "
        "Default: $ONRECORD_PIPELINE or accurate.",
    ),
]


def select_pipeline(name: PipelineName | None) -> None:
    """Make the chosen pipeline this process's default (worker processes inherit it)."""
    if name is not None:
        from ..pipeline import use_pipeline

        use_pipeline(name.value)
