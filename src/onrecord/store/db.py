"""A thin connection layer over SQLite and PostgreSQL: one SQL text for both.

Statements are written with ``?`` placeholders (never string-formatted values); the
PostgreSQL connection rewrites them to ``%s``. Rows come back as dicts.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import OnrecordError

DEFAULT_URL = "sqlite:///onrecord.db"

Params = Sequence[Any]


class StoreError(OnrecordError):
    """The database could not be opened, or is not in the expected state."""

    code = "E010"


class Connection:
    """One database connection; transactions are explicit (``with conn.transaction()``)."""

    dialect = ""
    conn: Any  # the driver's connection (sqlite3 or psycopg), set by each subclass

    def __init__(self) -> None:
        self.lock = threading.RLock()  # the web service may share one store across threads

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def execute(self, sql: str, params: Params = ()) -> None:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        raise NotImplementedError

    def script(self, sql: str) -> None:
        """Run a migration statement by statement, as written (no placeholders)."""
        with self.lock:
            for statement in split_statements(sql):
                self.conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def close(self) -> None:
        self.conn.close()

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return next(iter(row.values())) if row else None


class SqliteConnection(Connection):
    dialect = "sqlite"

    def __init__(self, path: str, *, read_only: bool) -> None:
        super().__init__()
        self.path = path
        if read_only:
            if not Path(path).is_file():
                raise StoreError(f"{path}: no such database file")
            uri = f"file:{Path(path).resolve()}?mode=ro"
            self.conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            # WAL: readers never block the single writer; NORMAL sync is safe against a
            # killed process (a power cut may lose the last commits, never half of one).
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.conn.row_factory = sqlite3.Row

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(row) for row in self.conn.execute(sql, tuple(params))]

    def execute(self, sql: str, params: Params = ()) -> None:
        with self.lock:
            self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self.lock:
                self.conn.executemany(sql, [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")


class PostgresConnection(Connection):
    dialect = "postgres"

    def __init__(self, url: str, *, read_only: bool) -> None:
        super().__init__()
        import psycopg
        from psycopg.rows import dict_row

        try:
            # prepare_threshold=None: no server-side prepared statements, whose generic plans
            # cannot see how selective a search is (a filtered search went from 20 to 500 ms)
            self.conn = psycopg.connect(
                url, autocommit=True, row_factory=dict_row, prepare_threshold=None
            )
        except psycopg.Error as exc:
            raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL ({exc})") from None
        self.read_only = read_only

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.conn.execute(self._sql(sql), tuple(params)).fetchall())

    def execute(self, sql: str, params: Params = ()) -> None:
        with self.lock:
            self.conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self.lock, self.conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock, self.conn.transaction():
            yield


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements; a trigger body (BEGIN ... END;) stays whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(current))
            current, in_trigger = [], False
    if any(line.strip() for line in current):
        statements.append("\n".join(current))
    return statements


def resolve_url(url: str | None) -> str:
    return url or os.environ.get("ONRECORD_DB") or DEFAULT_URL


def connect(url: str, *, read_only: bool) -> Connection:
    """Open ``sqlite:///path`` (relative; ``sqlite:////abs`` absolute) or ``postgresql://``."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("postgresql", "postgres"):
        return PostgresConnection(url, read_only=read_only)
    if scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path:
            raise StoreError(f"{url}: expected sqlite:///PATH")
        return SqliteConnection(path, read_only=read_only)
    if "://" not in url:  # a bare file path
        return SqliteConnection(url, read_only=read_only)
    raise StoreError(f"{redact(url)}: unknown database URL; use sqlite:///PATH or postgresql://")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url
