"""`onrecord ingest --dask ADDRESS` and `--out DIR`: where the work runs and where the
records go, beyond one machine's worker processes and the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from ..errors import OnrecordError
from .app import fail


@contextmanager
def parquet_output(folder: Path, *, force: bool) -> Iterator[Any]:
    """The Parquet dataset at ``folder``, closed (last part written) at the end; errors
    as one line, exit 2."""
    from ..scale.parquet import ParquetOutput

    if folder.exists() and not folder.is_dir():
        fail(f"--out {folder}: is a file, not a folder")
    try:
        output = ParquetOutput(folder, force=force)
    except OSError as exc:
        fail(f"--out {folder}: cannot write the Parquet dataset ({exc.strerror or exc})")
    except Exception as exc:  # a damaged part left by something else
        fail(f"--out {folder}: cannot read the Parquet dataset there ({exc})")
    try:
        yield output
    except OnrecordError as exc:
        fail(str(exc))
    finally:
        try:
            output.close()
        except OSError as exc:
            fail(f"--out {folder}: cannot write the Parquet dataset ({exc.strerror or exc})")


def run_on_cluster(
    paths: list[str], store: Any, *, address: str, force: bool, in_flight: int | None
) -> Any:
    """The cluster ingest, with the progress line and the dashboard's address on stderr."""
    try:
        from ..scale.cluster import ingest_on_cluster
    except ImportError:
        fail("--dask needs Dask: pip install 'onrecord[dask]'")
    with cluster_progress() as (on_start, on_progress, on_dashboard):
        return ingest_on_cluster(
            paths,
            store,
            address=address,
            force=force,
            max_in_flight=in_flight,
            on_start=on_start,
            on_progress=on_progress,
            on_dashboard=on_dashboard,
        )


@contextmanager
def cluster_progress() -> Iterator[tuple[Any, Any, Any]]:
    """The progress line of `-j`, counted in splits (the articles in a byte range are
    known once a worker has read it), and the dashboard's address."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True, highlight=False, soft_wrap=False)
    progress = Progress(
        TextColumn("ingest"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} splits"),
        TextColumn("{task.fields[articles]} articles"),
        TextColumn("{task.fields[rate]:.2f} articles/s"),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )
    task = progress.add_task("ingest", total=None, rate=0.0, failed=0, articles=0)

    def on_start(total: int) -> None:
        progress.update(task, total=total)

    def on_progress(summary: Any, splits_done: int) -> None:
        rate = summary.ingested / summary.seconds if summary.seconds else 0.0
        progress.update(
            task, completed=splits_done, articles=summary.done, rate=rate, failed=summary.failed
        )

    def on_dashboard(link: str) -> None:
        typer.echo(f"onrecord: Dask dashboard: {link}", err=True)

    with progress:
        yield on_start, on_progress, on_dashboard
