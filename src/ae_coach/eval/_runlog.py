"""The JSONL run log: one header line, then one line per finished (case, repeat) sample.

Each line is flushed as soon as its sample is graded, so a run killed at any point leaves every
finished sample on disk; ``--resume`` reads them back and runs only what is missing. A torn last
line (the process died mid-write) is ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from pathlib import Path
from typing import Any

from ae_coach.errors import InputError

DEFAULT_RUNS_DIR = Path("runs")


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def sample_key(variant: str, case_id: str, repeat: int) -> str:
    return f"{variant}|{case_id}|{repeat}"


class RunLog:
    """Append-only writer; thread-safe so worker threads can log as they finish."""

    def __init__(self, path: Path, header: dict[str, Any] | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # e.g. --runs-dir names a file: say so, no traceback
            raise InputError(f"run log {path.parent}: cannot create the folder ({exc.strerror})") from None
        if header is not None and (not path.exists() or path.stat().st_size == 0):
            self._write({"type": "run", **header})
        elif path.exists():
            self._repair_tail()

    def _repair_tail(self) -> None:
        # A killed writer can leave a line without its newline; appending to it would corrupt the next line.
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            with self.path.open("r+b") as handle:
                handle.truncate(cut)

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()

    def append(self, sample: dict[str, Any]) -> None:
        self._write({"type": "sample", **sample})

    def records(self, kind: str) -> list[dict[str, Any]]:
        return read_records(self.path, kind) if self.path.exists() else []

    def append_record(self, record: dict[str, Any]) -> None:
        """Any other record (``type`` set by the caller), e.g. a submitted batch."""
        self._write(record)


def read_records(path: Path, kind: str) -> list[dict[str, Any]]:
    """Every record of one ``type`` (e.g. ``batch``) in a run log."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("type") == kind:
            out.append(record)
    return out


def read_run_log(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the finished samples of a run log; a torn last line is skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the run log ({exc.strerror})") from None
    header: dict[str, Any] = {}
    samples: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):
                break
            raise InputError(f"{path}:{number}: not a JSON line; is this a run log?") from None
        if record.get("type") == "run":
            header = record
        elif record.get("type") == "sample":
            samples.append(record)
    if not header:
        raise InputError(f"{path}: no run header line; is this an ae-coach run log?")
    return header, samples
