"""What every command does with its options and its output: parse a date, write a document."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.errors import UsageError

TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds each model call may take in all, retries included; then exit 3 (default: AE_COACH_TIMEOUT, else 300).",
        show_default=False,
    ),
]


def _activate(value: str | None) -> str | None:
    from ae_coach.i18n import UnknownLanguage, activate

    try:
        return activate(value)
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc).split(": ", 1)[-1]) from None


LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="en | zh: the language of everything printed (default: AE_COACH_LANG, else en). JSON keys, finding "
        "codes and rule ids stay English.",
        callback=_activate,
    ),
]
"""``--lang``: sets the language for the whole command as soon as it is parsed (errors included)."""


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    """``value`` (YYYY-MM-DD) as a date; None stays None; anything else is a usage error naming ``option``."""
    if value is None:
        return None
    from ae_coach.deal import check_date

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        from ae_coach.i18n import t

        raise UsageError(t("error.not_a_date", option=option, value=repr(value))) from None
    try:
        return check_date(day)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def write_output(text: str, output: Path | None, *, option: str = "--output", then: str = "") -> None:
    """``text`` to stdout, or to ``output`` with a "wrote …" line on stderr (``then`` says what to do next).

    The file is written whole or not at all (a full disk leaves the previous report as it was). An unwritable
    path is a usage error naming the option and the reason, never a traceback.
    """
    if output is None:
        sys.stdout.write(text)
        return
    from ae_coach._files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"{option} {output}: cannot write ({exc.strerror})") from None
    print(f"wrote {output}" + (f"; {then}" if then else ""), file=sys.stderr)
