"""The ``ae-coach`` command: a thin shell over the library. Errors become exit codes here, once.

``review`` and ``chat`` in their usual forms start without typer (:mod:`ae_coach.cli._fast`): building the
typer app and its parameters costs more than an offline review. Anything else, and any form the fast path
does not know (``--help``, a typo, an option it has no entry for), goes to the typer app in ``_app``.
"""

from __future__ import annotations

import sys
from typing import Any

from ae_coach.errors import AeCoachError


def console() -> int:
    """The ``ae-coach`` console script and ``python -m ae_coach``: :func:`main`, with the garbage collector
    paused while the command starts (:mod:`ae_coach.cli._startup`)."""
    from ae_coach.cli._startup import paused

    return paused(main)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command; turn ae-coach errors into exit codes and messages, never tracebacks.

    Usage errors (an unknown option, a missing argument) are click's: message and exit 2.
    """
    from ae_coach.i18n import isolated
    from ae_coach.playbook import use

    args = sys.argv[1:] if argv is None else list(argv)
    with isolated(), use(None):  # --lang and --playbook hold for this command only
        try:
            _run(args)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except AeCoachError as exc:
            print(_say("error.prefix", f"error: {exc}", message=exc), file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print(_say("error.interrupted", "interrupted"), file=sys.stderr)
            return 130
        except BrokenPipeError:  # `ae-coach review deal.yaml | head`: the reader left; say nothing more
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
            return 141
    return 0


def _run(args: list[str]) -> None:
    from ae_coach.cli._fast import fast_command

    fast = fast_command(args)
    if fast is not None:
        fast()
        return
    from ae_coach.cli._app import run
    from ae_coach.cli._startup import started

    started()  # pipelines, evals and the rest may run long and build a lot

    run(args)


def _say(key: str, english: str, **values: Any) -> str:
    """A message in the language the command chose (``--lang``, ``AE_COACH_LANG``); English if that is unreadable."""
    from ae_coach.i18n import UnknownLanguage, t

    try:
        return t(key, **values)
    except UnknownLanguage:  # a bad AE_COACH_LANG must not hide the error being reported
        return english


def __getattr__(name: str) -> Any:
    if name == "app":  # the typer app, for tests and for embedding; built on first use
        from ae_coach.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
