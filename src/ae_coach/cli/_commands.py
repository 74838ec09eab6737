"""What ``review`` and ``chat`` do once their options are parsed, without typer: the typer commands in
``review.py`` and the fast path in ``_fast.py`` both call these, so the two cannot drift apart."""

from __future__ import annotations

import sys
from pathlib import Path

from ae_coach.cli._io import parse_date, read_deal, use_color, write_output
from ae_coach.errors import UsageError


def use_playbook(path: Path | None) -> None:
    """Make the playbook ``path`` names (else the one discovered) the one this command uses; its language too."""
    import os

    from ae_coach.i18n import activate
    from ae_coach.playbook import resolve, set_active

    playbook = resolve(path)
    set_active(playbook)
    if playbook.language and not os.environ.get("AE_COACH_LANG"):
        activate(playbook.language)  # a command's --lang still wins: it is parsed later


def version_text() -> str:
    """``ae-coach --version``: the version and the playbook in use."""
    from ae_coach import __version__
    from ae_coach.playbook import active

    return f"{__version__}\nplaybook: {active().describe()}"


def coach_for(backend, model, settings, redact, replay_dir, record, lang=None, timeout=None):
    """The coach the options ask for (``settings``: a YAML file of inspector thresholds)."""
    from ae_coach.coach import Coach

    loaded = None
    if settings is not None:
        from ae_coach.inspector.settings import load_settings

        loaded = load_settings(settings)
    if record and (backend or "").lower() != "replay":
        raise UsageError("--record only works with --backend replay")
    if timeout is not None:
        from ae_coach.model.anthropic import resolve_timeout

        timeout = resolve_timeout(timeout)
    return Coach(
        backend or None,
        model=model,
        settings=loaded,
        redact=redact,
        replay_dir=replay_dir,
        record=record,
        lang=lang,
        timeout=timeout,
    )


def review_deal(
    deal: Path,
    fmt: str = "terminal",
    backend: str | None = None,
    as_of: str | None = None,
    model: str | None = None,
    settings: Path | None = None,
    redact: bool = False,
    output: Path | None = None,
    replay_dir: Path | None = None,
    record: bool = False,
    no_log: bool = False,
    lang: str | None = None,
    timeout: float | None = None,
) -> None:
    """``ae-coach review``: review one deal (``-`` reads it from stdin) and print or write the report."""
    from ae_coach.history import open_store
    from ae_coach.render import FORMATS, render

    if fmt not in FORMATS:
        from ae_coach.i18n import t

        raise UsageError(t("error.not_a_format", value=repr(fmt), allowed=", ".join(FORMATS)))
    date = parse_date(as_of)
    loaded = read_deal(deal)
    coach = coach_for(backend, model, settings, redact, replay_dir, record, lang, timeout)
    store = open_store(create=not no_log)
    if store is None:  # no history to compare with, nothing to record: the records' models never load
        result, since = coach.run_review(loaded, date), None
    else:
        from ae_coach.history import review_with_history

        try:
            reviewed = review_with_history(coach, loaded, date, store=store, log=not no_log)
        finally:
            store.close()
        result, since = reviewed.result, reviewed.since
    color = fmt == "terminal" and use_color(output)
    findings = list(result.assessment.findings)
    text = render(fmt, result.report, findings, result.assessment, color=color, since=since)
    write_output(text, output)


def chat_deal(
    deal: Path,
    backend: str | None = None,
    as_of: str | None = None,
    model: str | None = None,
    settings: Path | None = None,
    redact: bool = False,
    replay_dir: Path | None = None,
    resume: bool = False,
    no_log: bool = False,
    timeout: float | None = None,
) -> None:
    """``ae-coach chat``: questions from stdin (a prompt on a terminal), answers on stdout."""
    from ae_coach.cli._chat_session import ChatSession
    from ae_coach.cli._startup import started
    from ae_coach.history import open_store

    if str(deal) == "-":
        raise UsageError("chat reads your questions from stdin, so the deal must be a file; pass its path")
    loaded = read_deal(deal)
    coach = coach_for(backend, model, settings, redact, replay_dir, False, timeout=timeout)
    interactive = sys.stdin.isatty()
    store = open_store(create=not no_log)
    try:
        log, history = _chat_log(store, coach, loaded, resume, no_log, interactive)
        session = ChatSession(
            coach,
            loaded,
            sys.stdout,
            interactive=interactive,
            as_of=parse_date(as_of),
            history=history,
            log=log,
            autosave=not no_log,
        )
        started()  # a conversation may run for an hour: collect cycles as usual
        saved = session.run(_lines(interactive))
    finally:
        if store is not None:
            store.close()
    if saved and interactive:
        print(f"conversation saved to {saved}", file=sys.stderr)


def _chat_log(store, coach, deal, resume: bool, no_log: bool, interactive: bool):
    """The chat's recorder (None with --no-log) and, with --continue, the conversation to pick up."""
    if not resume:
        if store is None or no_log:
            return None, None
        from ae_coach.history import ChatLog

        return ChatLog(store, deal, coach), None
    from ae_coach.history import deal_key
    from ae_coach.history import resume as resume_chat

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
