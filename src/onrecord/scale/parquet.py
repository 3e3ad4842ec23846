"""A store-free output: the records as a Parquet dataset that DuckDB, Spark and Dask read.

``DIR/articles``, ``DIR/quotes``, ``DIR/sources``, ``DIR/quantities`` and ``DIR/times`` each
hold parts (``part-00000.parquet``, ...); part N of every table holds the rows of the same
articles. ``DIR/failures/failures.parquet`` lists the inputs that could not be read or
extracted. Ingest writes here in place of a database (``--out DIR``) with the same
guarantees: a part is written under a temporary name and renamed, the articles part last,
so a killed run leaves whole parts only (a part without its articles part is removed at
the next start); articles are deduplicated by content and URL; a rerun skips the inputs
and articles the dataset holds; ``--force`` starts the dataset afresh.

Sources here are those of each article (``source_id`` is ``article_id:local_id``): matching
them across articles into corpus-wide identities is what the database store does.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..record import Record
from ..store.writer import sentence_around

ARTICLES_PER_PART = 1000

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])
SCHEMAS = {
    "articles": pa.schema(
        [
            ("id", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("published", pa.string()),
            ("outlet", pa.string()),
            ("author", pa.string()),
            ("source_path", pa.string()),
            ("schema_version", pa.int32()),
            ("ingested_at", pa.string()),
            ("text", pa.string()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("quote_id", pa.string()),
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("kind", pa.string()),
            ("text", pa.string()),
            ("content", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("parts", pa.list_(SPAN)),
            ("cue", pa.string()),
            ("cue_start", pa.int64()),
            ("cue_end", pa.int64()),
            ("speaker", pa.string()),
            ("speaker_start", pa.int64()),
            ("speaker_end", pa.int64()),
            ("source_id", pa.string()),
            ("source_name", pa.string()),
            ("source_kind", pa.string()),
            ("published", pa.string()),
        ]
    ),
    "sources": pa.schema(
        [
            ("source_id", pa.string()),
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("name", pa.string()),
            ("kind", pa.string()),
            ("description", pa.string()),
            ("titles", pa.list_(pa.string())),
            ("affiliations", pa.list_(pa.string())),
            ("mentions", pa.list_(SPAN)),
        ]
    ),
    "quantities": pa.schema(
        [
            ("quantity_id", pa.string()),
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("value", pa.float64()),
            ("kind", pa.string()),
            ("unit", pa.string()),
            ("change", pa.string()),
            ("each", pa.bool_()),
            ("quantified", pa.string()),
            ("approximate", pa.bool_()),
            ("bound", pa.string()),
            ("high", pa.float64()),
            ("display", pa.string()),
            ("time_id", pa.string()),  # the TIMEX3 a duration states (times.time_id)
            ("sentence", pa.string()),
            ("quote_id", pa.string()),
            ("published", pa.string()),
        ]
    ),
    "times": pa.schema(
        [
            ("time_id", pa.string()),
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("type", pa.string()),
            ("value", pa.string()),
            ("display", pa.string()),
            ("published", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)  # articles first: its part is what makes a part count
FAILURES = pa.schema([("path", pa.string()), ("reason", pa.string()), ("failed_at", pa.string())])


class ParquetOutput:
    """Records written as Parquet parts; what ingest needs of a store (``known_inputs``,
    ``add_record``, ``record_failure``), and ``close`` to write the last part."""

    def __init__(
        self, folder: str | Path, *, force: bool = False, per_part: int = ARTICLES_PER_PART
    ) -> None:
        self.folder = Path(folder)
        self.per_part = per_part
        for table in (*TABLES, "failures"):
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        if force:
            for table in (*TABLES, "failures"):
                for part in (self.folder / table).glob("*.parquet"):
                    part.unlink()
        self._next_part = self._drop_unfinished_parts()
        self._rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self._articles = 0
        self.ids, self.urls, self.paths = self._stored()
        self._failures = self._stored_failures()

    # -- what ingest calls --------------------------------------------------------------

    def known_inputs(self) -> tuple[set[str], set[str], set[str]]:
        return set(self.ids), set(self.urls), set(self.paths)

    def add_record(
        self,
        record: Record,
        *,
        outlet: str | None = None,
        source_path: str | None = None,
        force: bool = False,
        author: str | None = None,
    ) -> str:
        article = record.article
        if article.id in self.ids or (article.url and article.url in self.urls):
            return "duplicate"
        self.ids.add(article.id)
        if article.url:
            self.urls.add(article.url)
        if source_path:
            self.paths.add(source_path)
            self._failures.pop(source_path, None)
        for table, rows in record_rows(record, outlet, author, source_path).items():
            self._rows[table].extend(rows)
        self._articles += 1
        if self._articles >= self.per_part:
            self.flush()
        return "added"

    def record_failure(self, path: str, reason: str) -> None:
        self._failures[path] = (reason, _now())

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> ParquetOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- parts ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the buffered articles as the next part, then the failures."""
        if self._articles:
            name = f"part-{self._next_part:05d}.parquet"
            for table in reversed(TABLES):  # articles last: its part completes the others
                rows = pa.Table.from_pylist(self._rows[table], schema=SCHEMAS[table])
                _write(rows, self.folder / table / name)
                self._rows[table] = []
            self._next_part += 1
            self._articles = 0
        failures = [
            {"path": path, "reason": reason, "failed_at": at}
            for path, (reason, at) in sorted(self._failures.items())
        ]
        _write(
            pa.Table.from_pylist(failures, schema=FAILURES),
            self.folder / "failures" / "failures.parquet",
        )

    def _drop_unfinished_parts(self) -> int:
        done = {p.name for p in (self.folder / "articles").glob("part-*.parquet")}
        for table in TABLES[1:]:
            for part in (self.folder / table).glob("part-*.parquet"):
                if part.name not in done:
                    part.unlink()  # its articles part was never written: a killed run
        for leftover in self.folder.glob("*/.*.tmp"):
            leftover.unlink()
        numbers = [int(name[5:10]) for name in done]
        return max(numbers, default=-1) + 1

    def _stored(self) -> tuple[set[str], set[str], set[str]]:
        ids: set[str] = set()
        urls: set[str] = set()
        paths: set[str] = set()
        for part in sorted((self.folder / "articles").glob("part-*.parquet")):
            columns = pq.read_table(part, columns=["id", "url", "source_path"]).to_pydict()
            ids.update(columns["id"])
            urls.update(u for u in columns["url"] if u)
            paths.update(p for p in columns["source_path"] if p)
        return ids, urls, paths

    def _stored_failures(self) -> dict[str, tuple[str, str]]:
        file = self.folder / "failures" / "failures.parquet"
        if not file.exists():
            return {}
        rows = pq.read_table(file).to_pylist()
        return {row["path"]: (row["reason"], row["failed_at"]) for row in rows}


def _write(table: pa.Table, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def record_rows(
    record: Record, outlet: str | None, author: str | None, source_path: str | None
) -> dict[str, list[dict[str, Any]]]:
    """One record as rows of each table."""
    article = record.article
    aid, published = article.id, article.published
    sources = {s.id: s for s in record.sources}
    quotes = []
    for position, q in enumerate(record.quotes):
        source = sources.get(q.source_id or "")
        quotes.append(
            {
                "quote_id": f"{aid}:{q.id}",
                "article_id": aid,
                "position": position,
                "kind": q.kind,
                "text": q.text,
                "content": q.content,
                "start": q.start,
                "end": q.end,
                "parts": [{"start": p.start, "end": p.end} for p in q.parts],
                "cue": q.cue.text if q.cue else None,
                "cue_start": q.cue.start if q.cue else None,
                "cue_end": q.cue.end if q.cue else None,
                "speaker": q.speaker.text if q.speaker else None,
                "speaker_start": q.speaker.start if q.speaker else None,
                "speaker_end": q.speaker.end if q.speaker else None,
                "source_id": f"{aid}:{q.source_id}" if q.source_id else None,
                "source_name": source.name if source else None,
                "source_kind": source.kind if source else None,
                "published": published,
            }
        )
    return {
        "articles": [
            {
                "id": aid,
                "url": article.url,
                "title": article.title,
                "published": published,
                "outlet": outlet,
                "author": author,
                "source_path": source_path,
                "schema_version": record.schema_version,
                "ingested_at": _now(),
                "text": article.text,
            }
        ],
        "quotes": quotes,
        "sources": [
            {
                "source_id": f"{aid}:{s.id}",
                "article_id": aid,
                "position": position,
                "name": s.name,
                "kind": s.kind,
                "description": s.description,
                "titles": list(s.titles),
                "affiliations": list(s.affiliations),
                "mentions": [{"start": m.start, "end": m.end} for m in s.mentions],
            }
            for position, s in enumerate(record.sources)
        ],
        "quantities": [
            {
                "quantity_id": f"{aid}:{f.id}",
                "article_id": aid,
                "position": position,
                "text": f.text,
                "start": f.start,
                "end": f.end,
                "value": f.value,
                "kind": f.kind,
                "unit": f.unit,
                "change": f.change,
                "each": f.each,
                "quantified": f.quantified,
                "approximate": f.approximate,
                "bound": f.bound,
                "high": f.high,
                "display": f.display,
                "time_id": f"{aid}:{f.time_id}" if f.time_id else None,
                "sentence": sentence_around(article.text, f.start, f.end),
                "quote_id": next(
                    (
                        f"{aid}:{q.id}"
                        for q in record.quotes
                        if q.start <= f.start and f.end <= q.end
                    ),
                    None,
                ),
                "published": published,
            }
            for position, f in enumerate(record.quantities)
        ],
        "times": [
            {
                "time_id": f"{aid}:{t.id}",
                "article_id": aid,
                "position": position,
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "type": t.type,
                "value": t.value,
                "display": t.display,
                "published": published,
            }
            for position, t in enumerate(record.times)
        ],
    }
