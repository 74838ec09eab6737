"""``review``, ``chat`` and ``--version`` without typer, for a fast start.

Building the typer app and converting its parameters costs more than an offline review itself, so the two
commands people run most are parsed here when their arguments take a plain form: the command, one deal path
and known options (``--opt value``, ``--opt=value``, ``-f value``, flags). Anything else (``--help``, an
unknown or repeated option, a missing value, shell completion) returns None and goes to the typer app,
which gives the usage message and exit code it always did. A bare ``--version`` (or ``version``) is answered
here too. ``tests/test_cli_conventions.py`` checks that
every option here is one the typer command has, with the same name, kind and destination.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

# option -> (parameter, takes a value)
REVIEW_OPTIONS: dict[str, tuple[str, bool]] = {
    "--format": ("fmt", True),
    "-f": ("fmt", True),
    "--backend": ("backend", True),
    "--as-of": ("as_of", True),
    "--model": ("model", True),
    "--settings": ("settings", True),
    "--redact": ("redact", False),
    "--output": ("output", True),
    "-o": ("output", True),
    "--replay-dir": ("replay_dir", True),
    "--record": ("record", False),
    "--no-log": ("no_log", False),
    "--lang": ("lang", True),
}
CHAT_OPTIONS: dict[str, tuple[str, bool]] = {
    "--backend": ("backend", True),
    "--as-of": ("as_of", True),
    "--model": ("model", True),
    "--settings": ("settings", True),
    "--redact": ("redact", False),
    "--replay-dir": ("replay_dir", True),
    "--continue": ("resume", False),
    "-c": ("resume", False),
    "--no-log": ("no_log", False),
}
COMMANDS = {"review": REVIEW_OPTIONS, "chat": CHAT_OPTIONS}
_PATHS = {"settings", "output", "replay_dir"}


def parse(args: list[str]) -> tuple[str, dict[str, object]] | None:
    """``(command, keyword arguments)`` for a plain ``review``/``chat`` command line or a bare
    ``--version``/``version``, else None."""
    if "_AE_COACH_COMPLETE" in os.environ:
        return None
    if args in (["--version"], ["version"]):
        return "version", {}
    if not args or args[0] not in COMMANDS:
        return None
    options = COMMANDS[args[0]]
    values: dict[str, object] = {}
    deal: str | None = None
    rest = iter(args[1:])
    for arg in rest:
        if arg.startswith("-") and arg != "-":
            name, eq, inline = arg.partition("=")
            spec = options.get(name)
            if spec is None or spec[0] in values or (eq and not spec[1]):
                return None  # unknown, repeated, or a value on a flag: typer words the error
            dest, takes_value = spec
            if not takes_value:
                values[dest] = True
                continue
            value = inline if eq else next(rest, None)
            if value is None or (not eq and value.startswith("-") and value != "-"):
                return None
            values[dest] = Path(value) if dest in _PATHS else value
        elif deal is None:
            deal = arg
        else:
            return None
    if deal is None or deal == "":
        return None
    return args[0], {"deal": Path(deal), **values}


def fast_command(args: list[str]) -> Callable[[], None] | None:
    """A function that runs the command ``args`` asks for, or None when typer must parse them."""
    parsed = parse(args)
    if parsed is None:
        return None
    command, kwargs = parsed
    from ae_coach.cli import _commands
    from ae_coach.i18n import UnknownLanguage, activate

    _commands.use_playbook(None)  # what the root's --playbook callback does when the option is absent
    if "lang" in kwargs:
        try:
            activate(str(kwargs["lang"]))
        except UnknownLanguage:
            return None  # typer words the error and exits 2
    if command == "version":
        return lambda: print(_commands.version_text())
    run: Callable[..., None] = _commands.review_deal if command == "review" else _commands.chat_deal
    return lambda: run(**kwargs)
