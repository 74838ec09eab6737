"""The ``ae-coach`` command: a thin shell over the library. Errors become exit codes here, once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ae_coach.errors import AeCoachError

app = typer.Typer(
    name="ae-coach",
    help="Deal-review coach for B2B SaaS account executives.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_text() -> str:
    from ae_coach import __version__
    from ae_coach.playbook import active

    return f"{__version__}\nplaybook: {active().describe()}"


def _print_version(value: bool) -> None:
    if value:
        print(_version_text())
        raise typer.Exit()


def _use_playbook(value: Path | None) -> Path | None:
    # Eager, so --version and every command see the playbook named here.
    import os

    from ae_coach.i18n import activate
    from ae_coach.playbook import resolve, set_active

    playbook = resolve(value)
    set_active(playbook)
    if playbook.language and not os.environ.get("AE_COACH_LANG"):
        activate(playbook.language)  # a command's --lang still wins: it is parsed later
    return value


PlaybookOpt = Annotated[
    Path | None,
    typer.Option(
        "--playbook",
        callback=_use_playbook,
        is_eager=True,
        help="A playbook directory holding ae-coach.toml (default: AE_COACH_PLAYBOOK, else the nearest "
        "ae-coach.toml from here upwards, else the shipped rulebook).",
    ),
]


@app.callback()
def _root(
    _playbook: PlaybookOpt = None,
    _version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Deal-review coach for B2B SaaS account executives."""


def _register() -> None:
    # One sub-module per noun; each keeps its heavy imports inside its commands.
    from ae_coach.cli import eval as eval_cli
    from ae_coach.cli import history, mcp, pipeline, review, rules, skill

    for module in (review, rules, skill, pipeline, history, eval_cli, mcp):
        module.register(app)


_register()


@app.command()
def version() -> None:
    """Print the ae-coach version."""
    print(_version_text())


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; turn ae-coach errors into exit codes and messages, never tracebacks.

    Usage errors (an unknown option, a missing argument) are click's: message and exit 2.
    """
    from ae_coach.i18n import isolated
    from ae_coach.playbook import use

    with isolated(), use(None):  # --lang and --playbook hold for this command only
        try:
            app(args=argv, prog_name="ae-coach")
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except AeCoachError as exc:
            print(_say("error.prefix", f"error: {exc}", message=exc), file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print(_say("error.interrupted", "interrupted"), file=sys.stderr)
            return 130
    return 0


def _say(key: str, english: str, **values: Any) -> str:
    """A message in the language the command chose (``--lang``, ``AE_COACH_LANG``); English if that is unreadable."""
    from ae_coach.i18n import UnknownLanguage, t

    try:
        return t(key, **values)
    except UnknownLanguage:  # a bad AE_COACH_LANG must not hide the error being reported
        return english
