"""The typer app: one sub-app per noun, each module keeping its heavy imports inside its commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ae_coach.cli._commands import use_playbook, version_text

app = typer.Typer(
    name="ae-coach",
    help="Deal-review coach for B2B SaaS account executives.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit()


def _use_playbook(value: Path | None) -> Path | None:
    use_playbook(value)  # eager, so --version and every command see the playbook named here
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
    from ae_coach.cli import eval as eval_cli
    from ae_coach.cli import history, mcp, new, pipeline, playbook, review, rules, schema, skill

    for module in (review, new, rules, skill, pipeline, history, eval_cli, mcp, schema, playbook):
        module.register(app)


_register()


@app.command()
def version() -> None:
    """Print the ae-coach version."""
    print(version_text())


def _quiet_flags(command: Any) -> None:
    """No type label after an on/off flag: ``--redact`` reads better than ``--redact <bool>`` in the help."""
    for param in getattr(command, "params", []):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    original = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        _quiet_flags(sub)


def run(args: list[str]) -> None:
    """Run the app on ``args`` as the ``ae-coach`` command (exits through SystemExit, as click does)."""
    command = typer.main.get_command(app)
    _quiet_flags(command)
    command(args=args, prog_name="ae-coach")
