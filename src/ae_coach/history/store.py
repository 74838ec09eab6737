"""The history store: reviews, chats and pipeline runs in SQLite (default) or PostgreSQL (``AE_COACH_DB``).

Every write is one transaction, so a process killed mid-write leaves the store as it was before that
write; SQLite runs in WAL mode so concurrent runs read while one writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ae_coach.errors import HistoryError
from ae_coach.history._db import Database, connect, database_errors
from ae_coach.history._schema import migrate
from ae_coach.history.model import ChatRecord, ChatTurn, PipelineDeal, PipelineRun, ReviewRecord

_REVIEW_COLUMNS = (
    "deal_id, account, as_of, recorded_at, snapshot_hash, stage, close_date, health, call, backend, model, "
    "rulebook_hash, cost_usd, redacted, data"
)
_DATA_FIELDS = {"findings", "actions", "people", "report"}


def now() -> dt.datetime:
    """The recording time: UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Store:
    """The history of reviews, chats and pipeline runs.

    Args:
        target: a SQLite file or a ``postgresql://`` URL (default: ``$AE_COACH_DB``, else
            ``$AE_COACH_HOME/history.db``).

    Raises:
        HistoryError: the store cannot be opened, or was written by a newer ae-coach.
    """

    def __init__(self, target: str | Path | None = None) -> None:
        self.db: Database = connect(target)
        try:
            with self._errors("open"):
                migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    @property
    def where(self) -> str:
        """The SQLite file or the PostgreSQL URL (without a password)."""
        return self.db.where

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _errors(self, doing: str) -> Any:
        return _translate(self.db.where, doing)

    # --- reviews -------------------------------------------------------------------------------------

    def add_review(self, record: ReviewRecord) -> int:
        """Store a review; returns its id."""
        data = record.model_dump(mode="json", include=_DATA_FIELDS)
        values = (
            record.deal_id, record.account, record.as_of.isoformat(), record.recorded_at.isoformat(),
            record.snapshot_hash, record.stage, _iso(record.close_date), record.health, record.call,
            record.backend, record.model, record.rulebook_hash, record.cost_usd, int(record.redacted),
            json.dumps(data, ensure_ascii=False),
        )  # fmt: skip
        with self._errors("record the review"), self.db.write():
            row = self.db.one(
                f"INSERT INTO reviews ({_REVIEW_COLUMNS}) VALUES ({', '.join('?' * 15)}) RETURNING id", values
            )
        assert row is not None
        return int(row[0])

    def reviews(self, deal_id: str | None = None, *, limit: int | None = None) -> list[ReviewRecord]:
        """Reviews, newest first; of one deal when ``deal_id`` is given."""
        where, params = ("WHERE deal_id = ?", [deal_id]) if deal_id else ("", [])
        tail = f" LIMIT {int(limit)}" if limit else ""
        with self._errors("read reviews"):
            rows = self.db.rows(f"SELECT id, {_REVIEW_COLUMNS} FROM reviews {where} ORDER BY id DESC{tail}", params)
        return [_review(row) for row in rows]

    def review(self, review_id: int) -> ReviewRecord | None:
        """One review by id."""
        with self._errors("read a review"):
            row = self.db.one(f"SELECT id, {_REVIEW_COLUMNS} FROM reviews WHERE id = ?", (review_id,))
        return _review(row) if row else None

    def deals(self) -> list[tuple[str, str, int, dt.date]]:
        """Every reviewed deal: (deal id, account, reviews, last as-of), most recently reviewed first."""
        with self._errors("read reviews"):
            rows = self.db.rows(
                "SELECT deal_id, MAX(account), COUNT(*), MAX(as_of), MAX(id) FROM reviews GROUP BY deal_id "
                "ORDER BY MAX(id) DESC"
            )
        return [(r[0], r[1], int(r[2]), dt.date.fromisoformat(r[3])) for r in rows]

    # --- chats ---------------------------------------------------------------------------------------

    def start_chat(self, deal_id: str, account: str, backend: str, model: str | None, redacted: bool) -> int:
        """Open a conversation; returns its id."""
        with self._errors("record the chat"), self.db.write():
            row = self.db.one(
                "INSERT INTO chats (deal_id, account, started_at, backend, model, redacted) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (deal_id, account, now().isoformat(), backend, model, int(redacted)),
            )
        assert row is not None
        return int(row[0])

    def add_turns(self, chat_id: int, turns: list[ChatTurn]) -> None:
        """Append turns to a conversation, all or none."""
        stamp = now().isoformat()
        with self._errors("record the chat"), self.db.write():
            for turn in turns:
                message = None if turn.message is None else json.dumps(turn.message, ensure_ascii=False)
                self.db.rows(
                    "INSERT INTO chat_turns (chat_id, role, text, message, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    (chat_id, turn.role, turn.text, message, stamp),
                )

    def last_chat(self, deal_id: str) -> ChatRecord | None:
        """The newest conversation about a deal, with its turns."""
        with self._errors("read chats"):
            row = self.db.one(
                "SELECT id, deal_id, account, started_at, backend, model, redacted FROM chats WHERE deal_id = ? "
                "ORDER BY id DESC LIMIT 1",
                (deal_id,),
            )
            if row is None:
                return None
            turns = self.db.rows(
                "SELECT role, text, message, recorded_at FROM chat_turns WHERE chat_id = ? ORDER BY id", (row[0],)
            )
        return ChatRecord(
            id=row[0], deal_id=row[1], account=row[2], started_at=row[3], backend=row[4], model=row[5],
            redacted=bool(row[6]),
            turns=[
                ChatTurn(role=t[0], text=t[1], message=json.loads(t[2]) if t[2] else None, recorded_at=t[3])
                for t in turns
            ],
        )  # fmt: skip

    def chats(self) -> Iterator[ChatRecord]:
        """Every conversation with its turns, oldest first (for export)."""
        with self._errors("read chats"):
            keys = [(r[0], r[1]) for r in self.db.rows("SELECT id, deal_id FROM chats ORDER BY id")]
        for chat_id, deal_id in keys:
            with self._errors("read chats"):
                row = self.db.one(
                    "SELECT id, deal_id, account, started_at, backend, model, redacted FROM chats WHERE id = ?",
                    (chat_id,),
                )
                turns = self.db.rows(
                    "SELECT role, text, message, recorded_at FROM chat_turns WHERE chat_id = ? ORDER BY id",
                    (chat_id,),
                )
            assert row is not None
            yield ChatRecord(
                id=row[0], deal_id=deal_id, account=row[2], started_at=row[3], backend=row[4], model=row[5],
                redacted=bool(row[6]),
                turns=[ChatTurn(role=t[0], text=t[1], message=json.loads(t[2]) if t[2] else None,
                                recorded_at=t[3]) for t in turns],
            )  # fmt: skip

    # --- pipeline runs -------------------------------------------------------------------------------

    def add_pipeline_run(self, run: PipelineRun) -> int:
        """Store a pipeline run and every deal's state in it, all or none."""
        with self._errors("record the pipeline run"), self.db.write():
            row = self.db.one(
                "INSERT INTO pipeline_runs (source, as_of, recorded_at, deals) VALUES (?, ?, ?, ?) RETURNING id",
                (run.source, run.as_of.isoformat(), run.recorded_at.isoformat(), len(run.deals)),
            )
            assert row is not None
            self.db.many(
                "INSERT INTO pipeline_deals (run_id, deal_id, data) VALUES (?, ?, ?)",
                [(row[0], deal.id, deal.model_dump_json()) for deal in run.deals],
            )
        return int(row[0])

    def last_pipeline_run(self, source: str) -> PipelineRun | None:
        """The newest run over ``source``, with its deals."""
        with self._errors("read pipeline runs"):
            row = self.db.one(
                "SELECT id, source, as_of, recorded_at FROM pipeline_runs WHERE source = ? ORDER BY id DESC LIMIT 1",
                (source,),
            )
            if row is None:
                return None
            deals = self.db.rows("SELECT data FROM pipeline_deals WHERE run_id = ?", (row[0],))
        return PipelineRun(
            id=row[0],
            source=row[1],
            as_of=row[2],
            recorded_at=row[3],
            deals=[PipelineDeal.model_validate_json(d[0]) for d in deals],
        )

    # --- export --------------------------------------------------------------------------------------

    def export_jsonl(self, out: IO[str], deal_id: str | None = None) -> int:
        """Write every review (of one deal, or all) and every chat as JSON lines, oldest first.

        Each line has ``type`` (``review`` or ``chat``) and the record's fields. Returns the lines written.
        """
        count = 0
        for record in reversed(self.reviews(deal_id)):
            out.write(json.dumps({"type": "review", **record.model_dump(mode="json")}, ensure_ascii=False) + "\n")
            count += 1
        for chat in self.chats():
            if deal_id is None or chat.deal_id == deal_id:
                out.write(json.dumps({"type": "chat", **chat.model_dump(mode="json")}, ensure_ascii=False) + "\n")
                count += 1
        return count


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _review(row: tuple[Any, ...]) -> ReviewRecord:
    names = ["id", *(c.strip() for c in _REVIEW_COLUMNS.split(","))]
    values = dict(zip(names, row, strict=True))
    data = json.loads(values.pop("data"))
    return ReviewRecord.model_validate({**values, **data, "redacted": bool(values["redacted"])})


class _translate:
    """Driver errors become a HistoryError naming the store and what was being done (exit 2, no traceback)."""

    def __init__(self, where: str, doing: str) -> None:
        self.where, self.doing = where, doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> None:
        if exc is not None and isinstance(exc, database_errors()) and not isinstance(exc, HistoryError):
            raise HistoryError(f"{self.where}: cannot {self.doing} ({exc})") from None
