"""One small data layer over two databases: SQLite (stdlib, the default) and PostgreSQL (``AE_COACH_DB``).

The store writes its SQL once, with ``?`` placeholders and ``{id}``/``{float}`` type slots; a ``Database``
fills them in for its dialect. Everything else (transactions, the schema version, locking while migrating)
goes through the four methods here, so the store never sees which database it talks to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.errors import HistoryError
from ae_coach.resources import ae_coach_home

if TYPE_CHECKING:
    import sqlite3

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another process's write to finish (SQLite) before giving up."""

_TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "float": "REAL"},
    "postgresql": {"id": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "float": "DOUBLE PRECISION"},
}


def default_target() -> str:
    """``$AE_COACH_DB`` (a PostgreSQL URL or a SQLite file), else ``$AE_COACH_HOME/history.db``."""
    return os.environ.get("AE_COACH_DB") or str(ae_coach_home() / "history.db")


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe(target: str) -> str:
    """The target without a password, for messages."""
    if not is_postgres(target):
        return target
    scheme, _, rest = target.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}@{host}" if at else target


class Database:
    """A connection in autocommit mode; ``write()`` wraps a transaction that holds the write lock."""

    def __init__(self, raw: Any, dialect: str, where: str) -> None:
        self.raw, self.dialect, self.where = raw, dialect, where

    def sql(self, text: str) -> str:
        text = text.format(**_TYPES[self.dialect])
        return text.replace("?", "%s") if self.dialect == "postgresql" else text

    def rows(self, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw.execute(self.sql(text), tuple(params))
        return list(cursor.fetchall()) if cursor.description else []

    def many(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters (a batch insert)."""
        if rows:
            self.raw.cursor().executemany(self.sql(text), [tuple(r) for r in rows])

    def one(self, text: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        found = self.rows(text, params)
        return found[0] if found else None

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A transaction that commits on success and rolls back on any error (a killed process: SQLite's
        journal rolls it back on the next open, PostgreSQL's server does at once)."""
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock later
            try:
                yield self
            except BaseException:
                self.raw.execute("ROLLBACK")
                raise
            self.raw.execute("COMMIT")
        else:
            with self.raw.transaction():
                yield self

    def lock_schema(self) -> None:
        """Inside ``write()``: serialise schema changes across processes (SQLite's write lock already does)."""
        if self.dialect == "postgresql":
            self.raw.execute("SELECT pg_advisory_xact_lock(74686973)")

    def tables(self) -> set[str]:
        if self.dialect == "sqlite":
            found = self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            found = self.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return {row[0] for row in found}

    def close(self) -> None:
        self.raw.close()


def connect(target: str | Path | None = None) -> Database:
    """Open the store's database: a PostgreSQL URL, or a SQLite file (created with its directory)."""
    where = str(target) if target is not None else default_target()
    if is_postgres(where):
        return _postgres(where)
    return _sqlite(Path(where).expanduser())


def _sqlite(path: Path) -> Database:
    import sqlite3  # a review with no store to read (``open_store(create=False)``) never connects

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        # WAL: readers never block the writer and a killed writer leaves the last committed state.
        _wal(raw)
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: not a usable history store ({exc}); move it aside or set AE_COACH_DB") from None
    except OSError as exc:
        raise HistoryError(f"{path}: cannot create the history store ({exc.strerror})") from None
    return Database(raw, "sqlite", str(path))


def _wal(raw: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out other processes opening the same new file: the switch takes the
    database's exclusive lock, and SQLite reports "database is locked" at once instead of calling the busy
    handler, so first opens that race each other retry here until the busy timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            raw.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _postgres(url: str) -> Database:
    try:
        import psycopg
    except ImportError:
        raise HistoryError(
            f"AE_COACH_DB={describe(url)} needs the PostgreSQL driver: pip install 'ae-coach[postgres]'"
        ) from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise HistoryError(f"AE_COACH_DB={describe(url)}: cannot connect ({first})") from None
    return Database(raw, "postgresql", describe(url))


def database_errors() -> tuple[type[BaseException], ...]:
    """The driver errors a store operation can raise (PostgreSQL's only when its driver is installed)."""
    import sqlite3

    errors: list[type[BaseException]] = [sqlite3.Error]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:
        pass
    return tuple(errors)
