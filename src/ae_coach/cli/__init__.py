"""The ``ae-coach`` command: a thin shell over the library. Errors become exit codes here, once."""

from __future__ import annotations

import sys

import typer

from ae_coach.errors import AeCoachError

app = typer.Typer(
    name="ae-coach",
    help="Deal-review coach for B2B SaaS account executives.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Deal-review coach for B2B SaaS account executives."""


@app.command()
def version() -> None:
    """Print the ae-coach version."""
    from ae_coach import __version__

    print(__version__)


def _register() -> None:
    # Each sub-module owns one noun; a missing one (work in progress) must not break the others.
    import importlib

    for name in ("rules", "skill", "review", "pipeline", "eval", "mcp"):
        try:
            module = importlib.import_module(f"ae_coach.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ae_coach.cli.{name}":
                continue
            raise
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; turn ae-coach errors into exit codes and messages, never tracebacks.

    Usage errors (an unknown option, a missing argument) are click's: message and exit 2.
    """
    try:
        app(args=argv, prog_name="ae-coach")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except AeCoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
