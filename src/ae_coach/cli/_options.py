"""Options shared by several typer commands."""

from __future__ import annotations

from typing import Annotated

import typer


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
