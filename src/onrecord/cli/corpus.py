"""The corpus commands: ingest, db upgrade, quotes, sources, source, stats, figures,
articles, article and export (all over ``onrecord.store``)."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import OnrecordError
from ..inputs import parse_published
from .app import PipelineOption, app, fail, select_pipeline

db_app = typer.Typer(help="The corpus database: schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="sqlite:///PATH or postgresql://... (default: $ONRECORD_DB or onrecord.db)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help='Print {"items": [...], "total": N}.')]
# The parameter vocabulary of the web pages and the API (service/params.py): q, source,
# outlet, kind, anonymous (here --anonymous / --named), from, to, sort, page, limit.
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="How many a page.")]
PageOption = Annotated[int, typer.Option("--page", min=1, help="Which page, from 1.")]
OutletOption = Annotated[str | None, typer.Option("--outlet", help="Outlet name.")]
FromOption = Annotated[str | None, typer.Option("--from", help="From YYYY-MM-DD.")]
ToOption = Annotated[str | None, typer.Option("--to", help="To YYYY-MM-DD.")]


class SortChoice(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


class SourceKindChoice(StrEnum):
    person = "person"
    organization = "organization"
    group = "group"
    anonymous = "anonymous"
    document = "document"


MARK_START, MARK_END = "\ue000", "\ue001"


class QuoteKindChoice(StrEnum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"
    scare = "scare"


class ExportWhat(StrEnum):
    articles = "articles"
    quotes = "quotes"
    sources = "sources"
    quantities = "quantities"
    times = "times"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@contextmanager
def opened(url: str | None, *, read_only: bool = False) -> Iterator[Any]:
    """The store, with its errors turned into one-line messages (exit 2)."""
    store = open_checked(url, read_only=read_only)
    try:
        yield store
    except OnrecordError as exc:
        fail(str(exc))
    except database_errors() as exc:
        fail(f"{where_is(url)}: database error: {exc}")
    finally:
        store.close()


def open_checked(url: str | None, *, read_only: bool = False, context: str = "") -> Any:
    """``open_store``, or one line and exit 2 naming the database and what is wrong with
    it (a directory, a file that is not SQLite, a path that cannot be written)."""
    from ..store import open_store

    where = where_is(url)
    path = sqlite_path(url)
    if path is not None and path.is_dir():
        fail(f"{context}{where}: is a directory, not a database file")
    blocking = next((p for p in (path.parents if path else ()) if p.is_file()), None)
    if blocking is not None:
        fail(f"{context}{where}: cannot be created: {blocking} is a file, not a folder")
    try:
        return open_store(url, read_only=read_only)
    except OnrecordError as exc:
        if "file is not a database" in str(exc):
            fail(f"{context}{where}: not an SQLite database")
        fail(f"{context}{exc}")
    except database_errors() as exc:
        if "not a database" in str(exc):
            fail(f"{context}{where}: not an SQLite database")
        reason = str(exc)
        if isinstance(exc, OSError) and exc.strerror:
            reason = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
        fail(f"{context}{where}: cannot open the database ({reason})")


def where_is(url: str | None) -> str:
    from ..store.db import redact, resolve_url

    return redact(resolve_url(url))


def sqlite_path(url: str | None) -> Path | None:
    """The file of an SQLite URL (as ``store.db.connect`` reads it), else None."""
    from urllib.parse import unquote

    from ..store.db import resolve_url

    resolved = resolve_url(url)
    if resolved.lower().startswith("sqlite:///"):
        return Path(unquote(resolved[len("sqlite:///") :]))
    return None if "://" in resolved else Path(resolved)


def database_errors() -> tuple[type[BaseException], ...]:
    """The drivers' exceptions (psycopg's only once it is loaded: none can occur before)."""
    import sqlite3

    errors: list[type[BaseException]] = [sqlite3.Error, OSError]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    return tuple(errors)


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_page(page: Any) -> None:
    print_json({"items": page.items, "total": page.total})


def marked(text: str) -> Any:
    """Rich text with the store's search marks shown in bold."""
    from rich.text import Text

    out = Text()
    bold = False
    for piece in text.replace(MARK_END, MARK_START).split(MARK_START):
        out.append(piece, style="bold" if bold else None)
        bold = not bold
    return out


def table(title: str, columns: list[str]) -> Any:
    from rich.table import Table

    result = Table(title=title, show_lines=False, title_justify="left")
    for name in columns:
        # dates and counts never wrap; long text folds
        short = name in ("date", "published", "first seen", "last seen", "month", "quotes")
        result.add_column(name, overflow="fold", no_wrap=short)
    return result


# -- ingest and schema --------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders: .txt .html .json .jsonl .warc .warc.gz; with --dask also "
            "fsspec URLs (s3://...)."
        ),
    ],
    db: DbOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract and replace articles already stored.")
    ] = False,
    pipeline: PipelineOption = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Extract on a Dask cluster: tcp://HOST:8786, or local:N to start N worker "
            "processes here (docs/scale.md).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write a Parquet dataset to this folder instead of a database."),
    ] = None,
    in_flight: Annotated[
        int | None,
        typer.Option(
            "--in-flight",
            min=1,
            help="With --dask: at most this many splits extracted and not yet stored "
            "(default: 2 per worker thread).",
        ),
    ] = None,
) -> None:
    """Extract and store many articles; rerunning skips what is stored (resumes)."""
    from ..ingest import ingest as run_ingest
    from .ingest_scale import parquet_output, run_on_cluster

    select_pipeline(pipeline)
    if out is not None and db is not None:
        fail("--out writes a Parquet dataset in place of a database: give --out or --db")
    if dask is not None and jobs > 1:
        fail("--dask runs on the cluster's workers: leave out -j")
    if in_flight is not None and dask is None:
        fail("--in-flight is for --dask")
    url = next((p for p in paths if "://" in p), None)
    if url is not None and dask is None:
        fail(f"{url}: URLs are read by the workers of --dask (docs/scale.md)")

    target = opened(db) if out is None else parquet_output(out, force=force)
    with target as store:
        if dask is not None:
            summary = run_on_cluster(paths, store, address=dask, force=force, in_flight=in_flight)
        else:
            with _progress() as (on_start, on_progress):
                summary = run_ingest(
                    paths,
                    store,
                    jobs=jobs,
                    force=force,
                    on_start=on_start,
                    on_progress=on_progress,
                )
    for ref, reason in summary.failures[:10]:
        typer.echo(f"onrecord: failed: {ref}: {reason}", err=True)
    if len(summary.failures) > 10:
        typer.echo(
            f"onrecord: ... and {len(summary.failures) - 10} more (see the failures table)",
            err=True,
        )
    typer.echo(summary.line())
    if summary.interrupted:
        raise typer.Exit(130)


#: How often ingest prints a progress line when stdout is not a terminal (a log, a pipe).
PROGRESS_EVERY_S = 10.0


@contextmanager
def _progress() -> Iterator[tuple[Any, Any]]:
    """A progress bar on stderr when it is a terminal; when stdout is not a terminal (a
    log file, nohup, a pipe), a plain line every PROGRESS_EVERY_S seconds on stdout."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = console(stderr=True)
    progress = Progress(
        TextColumn("ingest"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} articles"),
        TextColumn("{task.fields[rate]:.2f} articles/s"),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,  # no bar in logs and pipes; the summary line stays
    )
    task = progress.add_task("ingest", total=None, rate=0.0, failed=0)
    lines = ProgressLines() if not sys.stdout.isatty() else None

    def on_start(total: int) -> None:
        progress.update(task, total=total)
        if lines:
            lines.total = total

    def on_progress(summary: Any) -> None:
        rate = summary.ingested / summary.seconds if summary.seconds else 0.0
        progress.update(task, completed=summary.done, rate=rate, failed=summary.failed)
        if lines:
            lines.report(summary, rate)

    with progress:
        yield on_start, on_progress


class ProgressLines:
    """Progress as plain lines, at most one every PROGRESS_EVERY_S seconds."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.last = self.clock()
        self.total: int | None = None

    def report(self, summary: Any, rate: float) -> None:
        now = self.clock()
        if now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        share = f" ({summary.done / self.total:.0%})" if self.total else ""
        of = f"/{self.total}" if self.total is not None else ""
        typer.echo(
            f"progress: {summary.done}{of} articles{share}, {rate:.2f} articles/s,"
            f" {summary.failed} failed, {summary.seconds:.0f} s",
        )


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the tables, or bring an older database to the current schema."""
    with opened(db) as store:
        store.upgrade()
        typer.echo(f"schema version {store.schema_version()}")


# -- questions ----------------------------------------------------------------------------


@app.command()
def quotes(
    text: Annotated[str | None, typer.Argument(help='Words to search ("a phrase" works).')] = None,
    source: Annotated[str | None, typer.Option(help="Source name, alias or id.")] = None,
    outlet: OutletOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    anonymous: Annotated[bool, typer.Option("--anonymous", help="Anonymous sources.")] = False,
    named: Annotated[bool, typer.Option("--named", help="Named sources only.")] = False,
    kind: Annotated[QuoteKindChoice | None, typer.Option(help="Quote kind.")] = None,
    sort: Annotated[
        SortChoice | None,
        typer.Option(help="relevance (the default with TEXT), newest (without) or oldest."),
    ] = None,
    limit: LimitOption = 20,
    page_number: PageOption = 1,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search the quotes (ranked full text), with filters."""
    from ..store import QuoteQuery

    if anonymous and named:
        fail("--anonymous and --named exclude each other")
    try:
        query = QuoteQuery(
            text=text,
            source=source,
            outlet=outlet,
            date_from=parse_published(date_from, "--from"),
            date_to=parse_published(date_to, "--to"),
            anonymous=True if anonymous else (False if named else None),
            kind=kind.value if kind else None,
            limit=limit,
            offset=(page_number - 1) * limit,
            sort=sort.value if sort else ("relevance" if text else "newest"),
        )
    except OnrecordError as exc:
        fail(str(exc))
    with opened(db, read_only=True) as store:
        page = store.search_quotes(query)
    if as_json:
        print_page(page)
        return
    out = table(f"{page.total} quotes", ["date", "source", "kind", "quote", "outlet"])
    for item in page.items:
        out.add_row(
            item["published"] or "",
            item["source_name"] or "",
            item["kind"],
            marked(item["snippet"]),
            item["outlet"] or "",
        )
    console().print(out)


@app.command()
def sources(
    q: Annotated[str | None, typer.Argument(help="Words of a name or alias.")] = None,
    kind: Annotated[SourceKindChoice | None, typer.Option(help="Source kind.")] = None,
    top: Annotated[int, typer.Option("--limit", "--top", min=1, help="How many a page.")] = 20,
    page_number: PageOption = 1,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The most quoted sources: quotes, articles, outlets, first and last seen."""
    from ..store.queries import list_sources

    offset = (page_number - 1) * top
    with opened(db, read_only=True) as store:
        if q or kind:
            page = list_sources(store, q, kind.value if kind else None, top, offset)
        else:
            page = store.list_sources(top=top, offset=offset)
    if as_json:
        print_page(page)
        return
    columns = ["source", "kind", "quotes", "articles", "outlets", "first seen", "last seen"]
    out = table(f"{page.total} sources", columns)
    for s in page.items:
        out.add_row(
            s["name"],
            s["kind"],
            str(s["quotes"]),
            str(s["articles"]),
            str(s["outlets"]),
            s["first_seen"] or "",
            s["last_seen"] or "",
        )
    console().print(out)


@app.command()
def source(
    name: Annotated[str, typer.Argument(help="Source name, alias or id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Everything one source said, by date."""
    with opened(db, read_only=True) as store:
        matches = store.find_sources(name)
        if not matches:
            fail(f"no source matches {name!r}")
        found = store.get_source(matches[0]["id"])
    if as_json:
        print_json(found)
        return
    out = console()
    out.print(f"[bold]{found['name']}[/bold] ({found['kind']}, {found['id']})", markup=True)
    for label in ("titles", "affiliations", "aliases"):
        if found[label]:
            out.print(f"{label}: " + "; ".join(found[label]), markup=False)
    if len(matches) > 1:
        others = ", ".join(m["name"] for m in matches[1:5])
        out.print(f"(also matching: {others})", markup=False)
    quotes_table = table(f"{len(found['quotes'])} quotes", ["date", "kind", "quote", "outlet"])
    for q in found["quotes"]:
        words = q.get("content") or q["text"]  # the quoted words, not the cue between
        quotes_table.add_row(q["published"] or "", q["kind"], words, q["outlet"] or "")
    out.print(quotes_table)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Articles, quotes, and the share of anonymous and named quotes by outlet and month."""
    with opened(db, read_only=True) as store:
        data = store.stats()
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(f"{data['articles']} articles, {data['quotes']} quotes, {data['sources']} sources")
    for key, title in (("by_outlet", "outlet"), ("by_month", "month")):
        shares = table(f"by {title}", [title, "quotes", "anonymous", "named", "anonymous share"])
        for row in data[key]:
            shares.add_row(
                row[title] or "(unknown)",
                str(row["quotes"]),
                str(row["anonymous"]),
                str(row["named"]),
                f"{row['anonymous_share']:.0%}",
            )
        out.print(shares)


@app.command()
def figures(
    text: Annotated[str | None, typer.Argument(help="Words in the figure's sentence.")] = None,
    limit: LimitOption = 20,
    page_number: PageOption = 1,
    as_json: JsonOption = False,
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            help="Follow a figure across the corpus: who cited it, when, and how it changed.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Figures cited, with their sentences and who said them."""
    if track is not None:
        from .trace import print_tracked_figure

        print_tracked_figure(track, as_json=as_json, db=db)
        return
    with opened(db, read_only=True) as store:
        page = store.figures(text, limit=limit, offset=(page_number - 1) * limit)
    if as_json:
        print_page(page)
        return
    out = table(f"{page.total} figures", ["figure", "kind", "value", "sentence", "source"])
    for f in page.items:
        out.add_row(f["text"], f["kind"], f["display"], f["sentence"], f["source_name"] or "")
    console().print(out)


@app.command()
def articles(
    q: Annotated[str | None, typer.Argument(help="Words of the title.")] = None,
    outlet: OutletOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    limit: LimitOption = 20,
    page_number: PageOption = 1,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The stored articles, newest first."""
    from ..store.queries import Filters, list_articles

    try:
        filters = Filters(
            outlet, parse_published(date_from, "--from"), parse_published(date_to, "--to")
        )
    except OnrecordError as exc:
        fail(str(exc))
    with opened(db, read_only=True) as store:
        page = list_articles(store, q, filters, limit, (page_number - 1) * limit)
    if as_json:
        print_page(page)
        return
    out = table(f"{page.total} articles", ["published", "title", "outlet", "quotes", "id"])
    for a in page.items:
        out.add_row(
            a["published"] or "", a["title"] or "", a["outlet"] or "", str(a["quotes"]), a["id"]
        )
    console().print(out)


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(help="Article id or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored record.")] = False,
    db: DbOption = None,
) -> None:
    """One stored article's record (as text for people, or --json)."""
    from ..textview import render_text

    with opened(db, read_only=True) as store:
        found = store.get_article(article_id) or store.get_article_by_url(article_id)
    if found is None:
        fail(f"no stored article with id or URL {article_id!r}")
    if as_json:
        print_json(found)
        return
    from ..record import Record

    typer.echo(render_text(Record.from_dict(found["record"])), nl=False)


# -- export -------------------------------------------------------------------------------


@app.command()
def export(
    what: Annotated[ExportWhat, typer.Option("--what", help="What to export.")],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl, csv or parquet.")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export one table; a file is written to a temporary name, then renamed (all or nothing)."""
    if output_format is ExportFormat.parquet and output is None:
        fail("parquet needs an output file: add -o FILE")
    with opened(db, read_only=True) as store:
        rows = store.export(what.value)
        if output is None:
            _write_rows(rows, output_format, sys.stdout)
            return
        try:
            _export_to_file(rows, output_format, output)
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror or exc})")
    typer.echo(f"wrote {output}", err=True)


def _export_to_file(rows: Iterator[dict], output_format: ExportFormat, output: Path) -> None:
    directory = output.resolve().parent
    handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    os.close(handle)
    try:
        if output_format is ExportFormat.parquet:
            _write_parquet(rows, Path(temp_name))
        else:
            with open(temp_name, "w", encoding="utf-8", newline="") as file:
                _write_rows(rows, output_format, file)
        os.replace(temp_name, output)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _write_rows(rows: Iterator[dict], output_format: ExportFormat, file: Any) -> None:
    if output_format is ExportFormat.jsonl:
        for row in rows:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer: csv.DictWriter | None = None
    for row in rows:
        flat = {k: _csv_value(v) for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(file, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)


def _csv_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _write_parquet(rows: Iterator[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(list(rows)), path)
