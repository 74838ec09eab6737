"""Write every example's review, chat and pipeline output to a directory, for before/after comparison.

A refactor that should not change behaviour is checked by running this before and after and diffing:

    python scripts/snapshot_outputs.py /tmp/before
    ... change the code ...
    python scripts/snapshot_outputs.py /tmp/after && diff -r /tmp/before /tmp/after

Everything runs offline through the installed ``ae-coach`` command, at a fixed width and with no colour.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "what's the next step?\n"
    "can I call this commit?\n"
    "who else should I talk to?\n"
    "the champion has gone quiet, what now?\n"
    "they want a 20% discount\n"
)
PIPELINES = (
    ["examples/pipelines/salesforce-pipeline.csv", "--quota", "1M", "--as-of", "2026-11-26"],
    ["examples/pipelines/team", "--quota", "500k", "--period", "quarter", "--as-of", "2026-11-26"],
    ["examples/mappings/spreadsheet.csv", "--mapping", "examples/mappings/spreadsheet.yaml", "--as-of", "2026-11-26"],
)


def _run(args: list[str], stdin: str | None = None) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "AE_COACH_BACKEND": "offline"}
    env.pop("ANTHROPIC_API_KEY", None)
    # every command gets an empty history: each output is a first review, the same before and after
    with tempfile.TemporaryDirectory() as history:
        env["AE_COACH_DB"] = str(Path(history) / "history.db")
        return _run_with(args, stdin, env)


def _run_with(args: list[str], stdin: str | None, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["ae-coach", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return f"exit {done.returncode}\n{done.stdout}\n--- stderr\n{done.stderr}"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for deal in sorted((ROOT / "examples" / "deals").glob("*.yaml")):
        rel = str(deal.relative_to(ROOT))
        for fmt in ("terminal", "markdown", "json", "html"):
            (out / f"review-{deal.stem}.{fmt}").write_text(_run(["review", rel, "--format", fmt]))
        (out / f"chat-{deal.stem}.txt").write_text(_run(["chat", rel, "--backend", "offline"], stdin=QUESTIONS))
    for index, args in enumerate(PIPELINES):
        for fmt in ("terminal", "markdown", "json", "html"):
            (out / f"pipeline-{index}.{fmt}").write_text(_run(["pipeline", *args, "--format", fmt]))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
