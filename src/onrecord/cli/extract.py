"""`onrecord extract` and `onrecord info`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..errors import OnrecordError
from ..inputs import DEFAULT_MAX_CHARS, byte_limit, parse_published, read_article
from ..pipeline import extract as run_extract
from ..pipeline import model_meta
from ..textview import render_text
from .app import PipelineOption, app, fail, select_pipeline


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="Article file (.txt, .html, .json), or - for stdin.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date, YYYY-MM-DD (overrides the file's).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Article title.")] = None,
    url: Annotated[str | None, typer.Option(help="Article URL.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="json (the record) or text (for people).")
    ] = OutputFormat.json,
    max_chars: Annotated[
        int, typer.Option(help="Refuse articles longer than this many characters.")
    ] = DEFAULT_MAX_CHARS,
    pipeline: PipelineOption = None,
) -> None:
    """Extract one article's record: quotes, sources, entities, figures and dates."""
    select_pipeline(pipeline)
    try:
        stdin_bytes = read_stdin(max_chars) if path == "-" else None
        article = read_article(path, stdin_bytes=stdin_bytes, max_chars=max_chars)
        when = parse_published(published, f"{path}: --published") or article.published
        record = run_extract(
            article.text,
            published=when,
            url=url or article.url,
            title=title or article.title,
        )
    except OnrecordError as exc:
        fail(str(exc))
    if output_format is OutputFormat.text:
        typer.echo(render_text(record))
    else:
        typer.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))


def read_stdin(max_chars: int) -> bytes:
    """Standard input as bytes (decoded by ``read_article``, like a file), read up to one
    byte past the limit so that an endless pipe is refused, not read into memory."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream with no bytes under it
        return sys.stdin.read(byte_limit(max_chars) + 1).encode("utf-8", "surrogateescape")
    data: bytes = stream.read(byte_limit(max_chars) + 1)
    return data


@app.command()
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print as one JSON object.")] = False,
) -> None:
    """Show the bundled English pipelines (accurate, fast): components and measured scores."""
    from .. import __version__
    from ..pipeline import (
        ACCURATE_DIR,
        MODEL_DIR,
        PIPELINES,
        default_pipeline,
        pipeline_components,
    )

    if not model_meta("fast"):
        fail(f"no trained pipeline at {MODEL_DIR}; rebuild it with `make model`")
    fast = model_meta("fast")
    pipelines = {}
    for name in PIPELINES:
        meta = model_meta(name)
        if not meta:
            continue
        pipelines[name] = {
            "model": f"{meta.get('lang')}_{meta.get('name')}",
            "model_version": meta.get("version"),
            "pipeline": pipeline_components(name),
            "path": str(ACCURATE_DIR if name == "accurate" else MODEL_DIR),
            "scores": meta.get("onrecord_scores", {}),
        }
    summary = {
        "onrecord": __version__,
        "spacy_version": fast.get("spacy_version"),
        "default_pipeline": default_pipeline(),
        "pipelines": pipelines,
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    for key in ("onrecord", "spacy_version", "default_pipeline"):
        typer.echo(f"{key}: {summary[key]}")
    for name, details in pipelines.items():
        typer.echo(f"pipeline {name}:")
        for key, value in details.items():
            if key == "scores":
                typer.echo("  scores:")
                for score_name, score in value.items():
                    typer.echo(f"    {score_name}: {score}")
            else:
                typer.echo(f"  {key}: {value}")
