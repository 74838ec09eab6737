"""What every command does with its options and its output: parse a date, read a deal, write a document.

No typer here: the fast path for ``review`` and ``chat`` (``_fast.py``) uses these without building the app.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from ae_coach.errors import UsageError


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


STDIN = "-"
"""A file argument of ``-`` means standard input."""


def read_deal(path: Path) -> Any:
    """The deal at ``path``, or read from stdin when ``path`` is ``-`` (YAML, or JSON when it starts with ``{``)."""
    from ae_coach.deal import load_deal, loads_deal

    if str(path) != STDIN:
        return load_deal(path)
    text = sys.stdin.read()
    deal = loads_deal(text, "<stdin>", json_format=text.lstrip().startswith("{"))
    return deal if deal.id != "<stdin>" else deal.model_copy(update={"id": None})


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (https://no-color.org)."""
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def write_output(text: str, output: Path | None, *, option: str = "--output", then: str = "") -> None:
    """``text`` to stdout, or to ``output`` with a "wrote …" line on stderr (``then`` says what to do next).

    An unwritable path is a usage error naming the option and the reason, never a traceback.
    """
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{option} {output}: cannot write ({exc.strerror})") from None
    print(f"wrote {output}" + (f"; {then}" if then else ""), file=sys.stderr)
