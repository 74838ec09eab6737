"""``ae-coach review`` and ``ae-coach chat``: one deal, coached by Claude, offline, or from recordings.

Offline reviews must start fast, so nothing heavy is imported at module level: rich only renders the
terminal format, anthropic only loads for the LLM backends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ae_coach.cli._options import LangOpt

DealArg = Annotated[Path, typer.Argument(help="A deal file (YAML or JSON); - reads it from stdin.", show_default=False)]
BackendOpt = Annotated[
    str | None,
    typer.Option("--backend", help="auto | anthropic | offline | replay (default: AE_COACH_BACKEND, else auto)."),
]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Review date YYYY-MM-DD (default: the deal's as_of).")]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Model id (default: AE_COACH_MODEL or a current Sonnet).")
]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="YAML file overriding inspector thresholds.")]
RedactOpt = Annotated[
    bool, typer.Option("--redact", help="Pseudonymise people and emails before anything reaches a model.")
]
ReplayDirOpt = Annotated[
    Path | None, typer.Option("--replay-dir", help="Recordings for --backend replay (default: AE_COACH_REPLAY_DIR).")
]
RecordOpt = Annotated[bool, typer.Option("--record", help="With --backend replay: call Claude and write recordings.")]
NoLogOpt = Annotated[
    bool, typer.Option("--no-log", help="Keep this run out of the history (AE_COACH_HOME/history.db or AE_COACH_DB).")
]


def register(app: typer.Typer) -> None:
    """Add ``review`` and ``chat`` (and ``extract``, which turns notes into a deal file) to the root app."""
    from ae_coach.cli import extract

    app.command("review")(review)
    app.command("chat")(chat)
    extract.register(app)


def review(
    deal: DealArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal | markdown | json | html")] = "terminal",
    backend: BackendOpt = None,
    as_of: AsOfOpt = None,
    model: ModelOpt = None,
    settings: SettingsOpt = None,
    redact: RedactOpt = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    replay_dir: ReplayDirOpt = None,
    record: RecordOpt = False,
    no_log: NoLogOpt = False,
    lang: LangOpt = None,
) -> None:
    """Review one deal: findings, health, forecast call, next actions, questions and a mutual action plan.

    Every review is kept in the history; a deal reviewed before gets a "since <date>" block.
    """
    from ae_coach.cli._commands import review_deal

    review_deal(deal, fmt, backend, as_of, model, settings, redact, output, replay_dir, record, no_log, lang)


def chat(
    deal: DealArg,
    backend: BackendOpt = None,
    as_of: AsOfOpt = None,
    model: ModelOpt = None,
    settings: SettingsOpt = None,
    redact: RedactOpt = False,
    replay_dir: ReplayDirOpt = None,
    resume: Annotated[
        bool, typer.Option("--continue", "-c", help="Resume the last conversation about this deal.")
    ] = False,
    no_log: NoLogOpt = False,
) -> None:
    """Chat with the coach about one deal. Reads questions from stdin; /help lists commands.

    Every turn is kept in the history; ``--continue`` picks up the last conversation where it stopped.
    """
    from ae_coach.cli._commands import chat_deal

    chat_deal(deal, backend, as_of, model, settings, redact, replay_dir, resume, no_log)
