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
    """Entry point: run the app; turn ae-coach and usage errors into exit codes, never tracebacks."""
    import click

    try:
        result = app(args=argv, standalone_mode=False, prog_name="ae-coach")
    except AeCoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except click.exceptions.ClickException as exc:
        exc.show()
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt):
        print("aborted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0
