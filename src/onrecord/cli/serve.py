"""`onrecord serve`: the web app and JSON API over the corpus store."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .app import PipelineOption, app, select_pipeline


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Corpus database URL (default: $ONRECORD_DB or onrecord.db)."),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    pipeline: PipelineOption = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A host name clients reach the server by (repeatable; * for any). "
            "localhost, 127.0.0.1, ::1 and --host are always allowed.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Server processes sharing the port (one per CPU core is plenty)."
        ),
    ] = 1,
    extract_timeout: Annotated[
        float,
        typer.Option(
            min=1,
            max=3600,
            help="Seconds one extraction (/api/extract, /try) may run before it is stopped.",
        ),
    ] = 30.0,
    extract_memory: Annotated[
        int,
        typer.Option(
            min=256,
            max=1_000_000,
            help="Megabytes of memory (RSS) one extraction worker may use before it is stopped.",
        ),
    ] = 1000,
) -> None:
    """Serve the corpus: pages at /, the JSON API at /api, its documentation at /docs."""
    import uvicorn

    select_pipeline(pipeline)  # for /api/extract and the Try-it page

    from ..service.settings import GRACEFUL_SECONDS, SETTINGS_ENV, ServeSettings
    from .corpus import open_checked

    # Open once up front so a wrong URL or an old schema is a one-line error, not a 503 later.
    open_checked(db, read_only=True, context="cannot serve the corpus: ").close()
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"onrecord: warning: listening on {host}: reachable from other machines "
            "(they must use a host name given with --allow-host)",
            err=True,
        )
    typer.echo(f"onrecord: serving on http://{host}:{port} (API docs at /docs)", err=True)
    from ..service.guards import LOCAL_HOSTS

    # Against DNS rebinding, the server answers only to the names it is known by.
    hosts = [*LOCAL_HOSTS, *(allow_host or [])]
    if host not in ("0.0.0.0", "::", ""):
        hosts.append(host)
    settings = ServeSettings(
        db=db,
        allowed_hosts=tuple(hosts),
        extract_seconds=extract_timeout,
        extract_memory_mb=extract_memory,
    )
    # Each server process builds its app from the settings in its environment (uvicorn
    # starts the processes; with --workers 1 it runs in this one).
    os.environ[SETTINGS_ENV] = settings.to_json()
    uvicorn.run(
        "onrecord.service.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        # Longer than clients keep idle pooled connections, so a request sent on a
        # connection never races the server closing it (uvicorn's default is 5 s).
        timeout_keep_alive=30,
        # SIGTERM: requests in flight get this long, then are cancelled (an extraction's
        # worker is killed), so the server is gone well within 10 s.
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
