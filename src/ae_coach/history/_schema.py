"""The store's schema as numbered migrations: a store is at version N when migrations 1..N have run.

Add a change as a new migration at the end; never edit one that has shipped. A store whose version is
higher than ``LATEST`` was written by a newer ae-coach and is refused rather than guessed at.
"""

from __future__ import annotations

from ae_coach.errors import HistoryError
from ae_coach.history._db import Database

MIGRATIONS: list[list[str]] = [
    # 1: reviews. Scalar columns for listing and filtering; the rest as JSON in ``data``.
    [
        """CREATE TABLE reviews (
            id {id},
            deal_id TEXT NOT NULL,
            account TEXT NOT NULL,
            as_of TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            snapshot_hash TEXT NOT NULL,
            stage TEXT NOT NULL,
            close_date TEXT,
            health INTEGER NOT NULL,
            call TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT,
            rulebook_hash TEXT NOT NULL,
            cost_usd {float},
            redacted INTEGER NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX reviews_by_deal ON reviews (deal_id, id)",
    ],
    # 2: chats, one row per conversation and one per turn (the text a person reads and the message as sent).
    [
        """CREATE TABLE chats (
            id {id},
            deal_id TEXT NOT NULL,
            account TEXT NOT NULL,
            started_at TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT,
            redacted INTEGER NOT NULL
        )""",
        "CREATE INDEX chats_by_deal ON chats (deal_id, id)",
        """CREATE TABLE chat_turns (
            id {id},
            chat_id BIGINT NOT NULL REFERENCES chats (id),
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            message TEXT,
            recorded_at TEXT NOT NULL
        )""",
        "CREATE INDEX chat_turns_by_chat ON chat_turns (chat_id, id)",
    ],
    # 3: pipeline runs and each deal's state in them (for "movement since the last run").
    [
        """CREATE TABLE pipeline_runs (
            id {id},
            source TEXT NOT NULL,
            as_of TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            deals INTEGER NOT NULL
        )""",
        "CREATE INDEX pipeline_runs_by_source ON pipeline_runs (source, id)",
        """CREATE TABLE pipeline_deals (
            run_id BIGINT NOT NULL REFERENCES pipeline_runs (id),
            deal_id TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX pipeline_deals_by_run ON pipeline_deals (run_id)",
    ],
]

LATEST = len(MIGRATIONS)


def version(db: Database) -> int:
    """The store's schema version (0: empty)."""
    if "meta" not in db.tables():
        return 0
    row = db.one("SELECT value FROM meta WHERE key = 'schema_version'")
    return int(row[0]) if row else 0


def migrate(db: Database, upto: int = LATEST) -> int:
    """Bring the store to version ``upto``, one transaction per migration; refuse a newer store.

    Concurrent first runs are safe: each migration re-reads the version under the write lock.

    Raises:
        HistoryError: the store's version is newer than this ae-coach knows.
    """
    current = version(db)
    _refuse_newer(db, current)
    while current < upto:
        with db.write():
            db.lock_schema()
            db.rows("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            current = version(db)
            _refuse_newer(db, current)
            if current >= upto:
                break
            for statement in MIGRATIONS[current]:
                db.rows(statement)
            current += 1
            db.rows("DELETE FROM meta WHERE key = 'schema_version'")
            db.rows("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(current),))
    return current


def _refuse_newer(db: Database, current: int) -> None:
    if current > LATEST:
        raise HistoryError(
            f"{db.where}: the history store has schema version {current}, newer than this ae-coach reads "
            f"(up to {LATEST}); upgrade ae-coach, or point AE_COACH_DB at another store"
        )
