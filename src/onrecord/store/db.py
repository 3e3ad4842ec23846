"""A thin connection layer over SQLite and PostgreSQL: one SQL text for both.

Statements are written with ``?`` placeholders (never string-formatted values); the
PostgreSQL connection rewrites them to ``%s``. Rows come back as dicts.

A database that goes away (a lost connection, a stopped server, a locked or failing
SQLite file) raises ``StoreUnavailable`` from every call, whatever the driver: ingest
stops on it with one line, and the web service answers 503.
"""

from __future__ import annotations

import contextlib
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
BUSY_TIMEOUT_MS = 10_000  # how long SQLite waits for another process's write lock
POOL_TIMEOUT_S = 3.0  # how long a request waits for a pooled PostgreSQL connection

# SQLite result codes that say the database, not the statement, is at fault: busy, locked,
# read-only, I/O error, corrupt, disk full, cannot open, protocol, not a database
SQLITE_FAULTS = frozenset({5, 6, 8, 10, 11, 13, 14, 15, 26})

Params = Sequence[Any]


class StoreError(OnrecordError):
    """The database could not be opened, or is not in the expected state."""

    code = "E010"


class StoreUnavailable(StoreError):
    """The database went away or cannot be written: not the fault of what was asked."""

    code = "E011"


class Connection:
    """One database connection; transactions are explicit (``with conn.transaction()``)."""

    dialect = ""
    conn: Any  # the driver's connection (sqlite3 or psycopg), set by each subclass

    def __init__(self, where: str) -> None:
        self.where = where  # the database, for messages (no password)
        self.lock = threading.RLock()  # the web service may share one store across threads

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def execute(self, sql: str, params: Params = ()) -> None:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        raise NotImplementedError

    def script(self, sql: str) -> None:
        """Run a migration statement by statement, as written (no placeholders)."""
        with self.lock, self.faults():
            for statement in split_statements(sql):
                self.conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        """Held while migrations run, so stores opened at the same instant take turns."""
        yield

    def is_fault(self, exc: BaseException) -> bool:
        """Whether ``exc`` means the database itself is away or failing."""
        return False

    @contextmanager
    def faults(self) -> Iterator[None]:
        """Driver errors that mean the database is away become ``StoreUnavailable``."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            if not self.is_fault(exc):
                raise
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreUnavailable(
                f"{self.where}: the database is unavailable ({first_line})"
            ) from exc

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
        super().__init__(path)
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
        with self.faults():
            # The busy timeout first: switching a new file to WAL takes a lock that other
            # processes opening it at the same instant must wait for, not fail on.
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not read_only:
                # WAL: readers never block the single writer; NORMAL sync is safe against a
                # killed process (a power cut may lose the last commits, never half of one).
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.row_factory = sqlite3.Row

    def is_fault(self, exc: BaseException) -> bool:
        code = getattr(exc, "sqlite_errorcode", None)
        return isinstance(exc, sqlite3.DatabaseError) and (code or 0) & 0xFF in SQLITE_FAULTS

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.lock, self.faults():
            return [dict(row) for row in self.conn.execute(sql, tuple(params))]

    def execute(self, sql: str, params: Params = ()) -> None:
        with self.lock, self.faults():
            self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self.lock, self.faults():
                self.conn.executemany(sql, [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE``: the write lock is taken (waiting up to the busy timeout)
        before anything is read, so two writers never both read, then both write."""
        with self.lock:
            with self.faults():
                self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                with self.faults():
                    self.conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (disk full, I/O error)
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise


MIGRATION_LOCK = 5_406_502  # PostgreSQL advisory lock key held while migrating


class PostgresConnection(Connection):
    dialect = "postgres"

    def __init__(self, url: str, *, read_only: bool) -> None:
        super().__init__(redact(url))
        import psycopg

        try:
            self.conn = psycopg.connect(url, **_psycopg_options())
        except psycopg.Error as exc:
            raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL ({exc})") from None
        self.read_only = read_only

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def is_fault(self, exc: BaseException) -> bool:
        import psycopg

        # OperationalError: the connection was lost, the server is shutting down or out of
        # disk; a pool that cannot hand out a connection in time raises a subclass of it
        return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.lock, self.faults():
            return list(self.conn.execute(self._sql(sql), tuple(params)).fetchall())

    def execute(self, sql: str, params: Params = ()) -> None:
        with self.lock, self.faults():
            self.conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self.lock, self.faults(), self.conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock, self.faults(), self.conn.transaction():
            yield

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        """A session advisory lock: two processes creating the schema at the same instant
        would otherwise collide in the catalog (``pg_type_typname_nsp_index``)."""
        self.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            yield
        finally:
            with contextlib.suppress(StoreError):
                self.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))


class PooledPostgresConnection(PostgresConnection):
    """Read-only PostgreSQL for the web service: every call borrows a connection from a
    pool (psycopg_pool), which checks it before lending it and replaces a broken one, so
    the service recovers by itself after the server restarts. While the server is away, a
    call waits ``POOL_TIMEOUT_S`` at most, then raises ``StoreUnavailable``."""

    def __init__(self, url: str, *, size: int) -> None:
        Connection.__init__(self, redact(url))
        from psycopg_pool import ConnectionPool

        self.read_only = True
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(size, 1),
            kwargs=_psycopg_options(),
            configure=_read_only_session,
            check=ConnectionPool.check_connection,
            timeout=POOL_TIMEOUT_S,
            open=False,
        )
        try:
            self.pool.open(wait=True, timeout=POOL_TIMEOUT_S)
        except Exception as exc:
            self.pool.close()
            raise StoreError(f"{self.where}: cannot connect to PostgreSQL ({exc})") from None

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.faults(), self.pool.connection() as conn:
            return list(conn.execute(self._sql(sql), tuple(params)).fetchall())

    def execute(self, sql: str, params: Params = ()) -> None:
        with self.faults(), self.pool.connection() as conn:
            conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        raise StoreError(f"{self.where}: the store was opened read-only")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise StoreError(f"{self.where}: the store was opened read-only")
        yield

    def close(self) -> None:
        self.pool.close()


def _psycopg_options() -> dict[str, Any]:
    from psycopg.rows import dict_row

    # prepare_threshold=None: no server-side prepared statements, whose generic plans
    # cannot see how selective a search is (a filtered search went from 20 to 500 ms)
    return {"autocommit": True, "row_factory": dict_row, "prepare_threshold": None}


def _read_only_session(conn: Any) -> None:
    conn.execute("SET default_transaction_read_only = on")


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


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("postgresql", "postgres")


def connect(url: str, *, read_only: bool, pool_size: int = 0) -> Connection:
    """Open ``sqlite:///path`` (relative; ``sqlite:////abs`` absolute) or ``postgresql://``
    (read-only with ``pool_size``: a pool of that many connections, safe across threads)."""
    if is_postgres(url):
        if read_only and pool_size:
            return PooledPostgresConnection(url, size=pool_size)
        return PostgresConnection(url, read_only=read_only)
    scheme = urlsplit(url).scheme.lower()
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
