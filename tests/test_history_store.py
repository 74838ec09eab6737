"""The history store under stress: processes killed mid-write, concurrent writers, JSONL export."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ae_coach.history import Store

# Writes reviews with a large report forever (or COUNT times), printing each committed id: most of its time
# is spent inside a write transaction, so a kill lands mid-write.
WRITER = """
import sys, datetime as dt
from ae_coach.history import Store
from ae_coach.history.model import ReviewRecord
target, count, size, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
store = Store(target)
n = 0
while count == 0 or n < count:
    n += 1
    record = ReviewRecord(
        deal_id=f"deal-{tag}", account="Acme", as_of=dt.date(2026, 11, 1) + dt.timedelta(days=n % 300),
        recorded_at=dt.datetime.now(dt.UTC), snapshot_hash=str(n), stage="validation", health=n % 100,
        call="pipeline", backend="offline", rulebook_hash="rb", report={"narrative": "x" * size, "n": n},
    )
    print(store.add_review(record), flush=True)
"""


def _writer(target: Path, count: int, size: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), str(count), str(size), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check_readable(target: Path) -> int:
    with sqlite3.connect(target) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(target) as store:
        records = store.reviews()
        for record in records:
            assert record.report["narrative"].startswith("x")  # every stored review reads back whole
    return len(records)


def test_kill_9_during_writes_leaves_a_readable_store(tmp_path):
    target = tmp_path / "history.db"
    committed = 0
    for round_ in range(3):
        proc = _writer(target, 0, 400_000, "killed")
        assert proc.stdout is not None
        seen = [proc.stdout.readline() for _ in range(3)]  # three commits, then kill in the middle of the next
        assert all(line.strip().isdigit() for line in seen), proc.stderr.read() if proc.stderr else ""
        time.sleep(0.01 * round_)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        committed += len(seen)
        assert _check_readable(target) >= committed
    with Store(target) as store:  # and the store takes new writes after the kills
        count = len(store.reviews())
    proc = _writer(target, 1, 10, "after")
    assert proc.wait(timeout=60) == 0
    assert _check_readable(target) == count + 1


# Opens a write transaction, inserts a review, says so, and waits inside the transaction to be killed.
HOLDER = """
import sys, time
from ae_coach.history import Store
store = Store(sys.argv[1])
with store.db.write():
    store.db.rows("INSERT INTO chats (deal_id, account, started_at, backend, redacted) VALUES ('x', 'X', 'now', 'offline', 0)")
    print("in transaction", flush=True)
    time.sleep(60)
"""


def test_kill_9_inside_an_open_transaction_rolls_it_back_and_frees_the_lock(tmp_path):
    target = tmp_path / "history.db"
    Store(target).close()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "in transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with sqlite3.connect(target) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(target) as store:
        assert store.last_chat("x") is None  # the half-done write is gone
        store.start_chat("x", "X", "offline", None, False)  # and the write lock was released
        assert store.last_chat("x") is not None


def test_concurrent_writers_lose_nothing(tmp_path):
    target = tmp_path / "history.db"
    Store(target).close()
    procs = [_writer(target, 15, 2_000, str(i)) for i in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with Store(target) as store:
        records = store.reviews()
        assert len(records) == 45
        assert sorted({r.deal_id for r in records}) == ["deal-0", "deal-1", "deal-2"]
        assert len(store.reviews("deal-1")) == 15


def test_export_jsonl_of_one_deal(tmp_path):
    target = tmp_path / "history.db"
    for tag in ("a", "b"):
        assert _writer(target, 2, 10, tag).wait(timeout=60) == 0
    out = io.StringIO()
    with Store(target) as store:
        assert store.export_jsonl(out, "deal-b") == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["type"], line["deal_id"]) for line in lines] == [("review", "deal-b")] * 2
    assert lines[0]["report"]["n"] == 1  # oldest first
