"""One data layer, two databases: the store's contract on SQLite and on a throwaway PostgreSQL server.

The PostgreSQL cases skip when the server binaries or the psycopg driver are not installed here.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from ae_coach.cli import main
from ae_coach.errors import HistoryError
from ae_coach.history import SCHEMA_VERSION, Store
from ae_coach.history._db import connect, describe
from ae_coach.history.model import ChatTurn, PipelineDeal, PipelineRun, ReviewRecord
from coach_deals import NORTHWIND, write_deal
from pg_server import PostgresServer, find_binaries
from test_history import edited

_names = itertools.count()


@pytest.fixture(scope="module")
def pg_server():
    bindir = find_binaries()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries or psycopg driver here")
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    server = request.getfixturevalue("pg_server")
    return server.create_database(f"history_{next(_names)}")


def _record(n: int, deal: str = "d1", **changes) -> ReviewRecord:
    values = dict(
        deal_id=deal, account="Acme", as_of=dt.date(2026, 11, n), recorded_at=dt.datetime(2026, 11, n, tzinfo=dt.UTC),
        snapshot_hash=f"h{n}", stage="validation", health=50 + n, call="pipeline", backend="anthropic",
        model="claude-x", rulebook_hash="rb", cost_usd=0.0123, report={"headline": f"review {n}"},
    )  # fmt: skip
    return ReviewRecord(**{**values, **changes})


def test_reviews_round_trip(target):
    with Store(target) as store:
        ids = [store.add_review(_record(n)) for n in (1, 2)] + [store.add_review(_record(3, "d2"))]
        assert ids == sorted(ids) and len(set(ids)) == 3
        got = store.reviews("d1")
        assert [r.as_of.day for r in got] == [2, 1]
        assert got[0].cost_usd == pytest.approx(0.0123) and got[0].report == {"headline": "review 2"}
        assert store.review(ids[2]).deal_id == "d2"  # type: ignore[union-attr]
        assert [(d, n) for d, _, n, _ in store.deals()] == [("d2", 1), ("d1", 2)]


def test_chats_and_pipeline_runs_round_trip(target):
    with Store(target) as store:
        chat = store.start_chat("d1", "Acme", "anthropic", "claude-x", False)
        message = {"role": "user", "content": [{"type": "text", "text": "hi"}]}
        store.add_turns(
            chat, [ChatTurn(role="user", text="hi", message=message), ChatTurn(role="assistant", text="yo")]
        )
        last = store.last_chat("d1")
        assert last is not None and last.id == chat and [t.text for t in last.turns] == ["hi", "yo"]
        assert last.turns[0].message == message
        deal = PipelineDeal(id="d1", account="Acme", stage="validation", amount=1.5, health=40)
        run = PipelineRun(source="/x", as_of=dt.date(2026, 11, 1), recorded_at=dt.datetime.now(dt.UTC), deals=[deal])
        store.add_pipeline_run(run)
        assert store.last_pipeline_run("/x").deals == [deal]  # type: ignore[union-attr]
        out = io.StringIO()
        store.add_review(_record(1))
        assert store.export_jsonl(out) == 2


def test_schema_version_is_recorded_and_a_newer_one_refused(target):
    Store(target).close()
    db = connect(target)
    assert db.one("SELECT value FROM meta WHERE key = 'schema_version'") == (str(SCHEMA_VERSION),)
    with db.write():
        db.rows("UPDATE meta SET value = '42' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(HistoryError, match="schema version 42"):
        Store(target)


def test_concurrent_first_opens_and_writes(target):
    def write(n: int) -> int:
        with Store(target) as store:
            return store.add_review(_record(1 + n % 28, f"deal-{n % 3}"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(write, range(24)))
    assert len(set(ids)) == 24
    with Store(target) as store:
        assert len(store.reviews()) == 24


def test_a_failed_write_leaves_nothing_behind(target):
    with Store(target) as store:
        store.add_review(_record(1))
        with pytest.raises(ZeroDivisionError), store.db.write():
            store.db.rows("DELETE FROM reviews")
            _ = 1 / 0
        assert len(store.reviews()) == 1


def test_review_twice_on_postgres_end_to_end(pg_server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AE_COACH_DB", pg_server.create_database(f"history_{next(_names)}"))
    path = write_deal(tmp_path)
    assert main(["review", str(path), "--backend", "offline"]) == 0
    capsys.readouterr()
    write_deal(tmp_path, edited(NORTHWIND))
    assert main(["review", str(path), "--backend", "offline", "--format", "json"]) == 0
    since = json.loads(capsys.readouterr().out)["since"]
    assert since["close_date_after"] == "2027-01-31" and since["new_stakeholders"]
    assert main(["history", "northwind-test", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_an_unreachable_server_is_an_input_error(tmp_path, capsys, monkeypatch):
    pytest.importorskip("psycopg")
    url = f"postgresql://someone:s3cret@/nowhere?host={tmp_path}&port=1"
    monkeypatch.setenv("AE_COACH_DB", url)
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "s3cret" not in err


def test_describe_hides_the_password():
    assert describe("postgresql://u:pw@db.example:5432/h") == "postgresql://u@db.example:5432/h"
    assert describe("/tmp/h.db") == "/tmp/h.db"
