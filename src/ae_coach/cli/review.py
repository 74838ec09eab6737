"""``ae-coach review`` and ``ae-coach chat``: one deal, coached by Claude, offline, or from recordings.

Offline reviews must start fast, so nothing heavy is imported at module level: rich only renders the
terminal format, anthropic only loads for the LLM backends.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.cli._io import LangOpt, TimeoutOpt, parse_date, write_output
from ae_coach.errors import UsageError

DealArg = Annotated[Path, typer.Argument(help="A deal file (YAML or JSON).", show_default=False)]
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


def _coach(backend, model, settings, redact, replay_dir, record, lang=None, timeout=None):
    from ae_coach.coach import Coach

    loaded = None
    if settings is not None:
        from ae_coach.inspector.settings import load_settings

        loaded = load_settings(settings)
    if record and (backend or "").lower() != "replay":
        raise UsageError("--record only works with --backend replay")
    return Coach(
        backend or None,
        model=model,
        settings=loaded,
        redact=redact,
        replay_dir=replay_dir,
        record=record,
        lang=lang,
        timeout=_timeout(timeout),
    )


def _timeout(timeout: float | None) -> float | None:
    from ae_coach.model.anthropic import resolve_timeout

    return resolve_timeout(timeout) if timeout is not None else None


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
    timeout: TimeoutOpt = None,
) -> None:
    """Review one deal: findings, health, forecast call, next actions, questions and a mutual action plan.

    Every review is kept in the history; a deal reviewed before gets a "since <date>" block.
    """
    from ae_coach.deal import load_deal
    from ae_coach.history import open_store, review_with_history
    from ae_coach.render import FORMATS, render

    if fmt not in FORMATS:
        from ae_coach.i18n import t

        raise UsageError(t("error.not_a_format", value=repr(fmt), allowed=", ".join(FORMATS)))
    date = parse_date(as_of)
    loaded = load_deal(deal)
    coach = _coach(backend, model, settings, redact, replay_dir, record, lang, timeout)
    store = open_store(create=not no_log)
    try:
        reviewed = review_with_history(coach, loaded, date, store=store, log=not no_log)
    finally:
        if store is not None:
            store.close()
    result = reviewed.result
    color = output is None and fmt == "terminal" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    findings = list(result.assessment.findings)
    text = render(fmt, result.report, findings, result.assessment, color=color, since=reviewed.since)
    write_output(text, output)


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
    timeout: TimeoutOpt = None,
) -> None:
    """Chat with the coach about one deal. Reads questions from stdin; /help lists commands.

    Every turn is kept in the history; ``--continue`` picks up the last conversation where it stopped.
    """
    from ae_coach.cli._chat_session import ChatSession
    from ae_coach.deal import load_deal
    from ae_coach.history import open_store

    loaded = load_deal(deal)
    coach = _coach(backend, model, settings, redact, replay_dir, False, timeout=timeout)
    interactive = sys.stdin.isatty()
    store = open_store(create=not no_log)
    try:
        log, history = _chat_log(store, coach, loaded, resume, no_log, interactive)
        session = ChatSession(
            coach, loaded, sys.stdout, interactive=interactive, as_of=parse_date(as_of), history=history, log=log
        )
        saved = session.run(_lines(interactive))
    finally:
        if store is not None:
            store.close()
    if saved and interactive:
        print(f"conversation saved to {saved}", file=sys.stderr)


def _chat_log(store, coach, deal, resume: bool, no_log: bool, interactive: bool):
    """The chat's recorder (None with --no-log) and, with --continue, the conversation to pick up."""
    from ae_coach.history import ChatLog, deal_key
    from ae_coach.history import resume as resume_chat

    if not resume:
        return (ChatLog(store, deal, coach) if store is not None and not no_log else None), None
    found = resume_chat(store, deal, coach) if store is not None else None
    if found is None:
        raise UsageError(f"--continue: no earlier conversation about {deal_key(deal)!r} in the history")
    log, history, record = found
    if interactive:
        asked = next((t["text"] for t in reversed(history.turns) if t["role"] == "user"), "")
        print(
            f"continuing the conversation of {record.started_at:%Y-%m-%d} ({len(history.turns)} turns); "
            f"last question: {asked[:80]!r}",
            file=sys.stderr,
        )
    return (None if no_log else log), history


def _lines(interactive: bool):
    if not interactive:
        yield from sys.stdin
        return
    from ae_coach.cli._chat_session import prompt_lines

    yield from prompt_lines()
