"""The error hierarchy. Every error a user can cause carries what to fix; the CLI maps it to an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class AeCoachError(Exception):
    """Base of every error ae-coach raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(AeCoachError):
    """Bad input from the user: a file, a flag or a value. Exit code 2."""

    exit_code = 2


class RuleFileError(InputError):
    """A rule file that cannot be read, reported as ``path:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


class DealFileError(InputError):
    """A deal file that cannot be read or does not follow the deal format."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.detail = message
        where = self.path + (f":{line}" if line else "")
        prefix = f"{field}: " if field else ""
        super().__init__(f"{where}: {prefix}{message}")


class SettingsError(InputError):
    """A settings file with an unknown threshold or a bad value."""


class PlaybookError(InputError):
    """A playbook (``ae-coach.toml``) that cannot be found, read or understood."""


class ImportFileError(InputError):
    """A CRM export or column mapping that cannot be imported at all."""


class UsageError(InputError):
    """A command-line value that is not allowed (a bad date, an unknown backend)."""


class HistoryError(InputError):
    """The review history cannot be used: a newer schema, a file that is not a store, a server that refuses."""


class MissingKeyError(InputError):
    """A command that needs the Anthropic API and finds no key. Exit code 2, the same for every command."""

    def __init__(self, what: str, hint: str = "") -> None:
        self.what = what
        super().__init__(
            f"{what} needs a key: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN)" + (f"; {hint}" if hint else "")
        )


def has_key() -> bool:
    """Whether the environment holds credentials for the Anthropic API."""
    import os

    return bool(os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"))


def require_key(what: str, hint: str = "") -> None:
    """Raise :class:`MissingKeyError` (exit 2, "``what`` needs a key") unless a key is set."""
    if not has_key():
        raise MissingKeyError(what, hint)


class SuiteFileError(InputError):
    """A suite file that cannot be read, naming the file, the case and the field."""

    def __init__(self, path: Path | str, message: str, *, case: str | None = None, field: str | None = None):
        self.path = str(path)
        self.case = case
        self.field = field
        where = self.path + (f" case {case!r}" if case else "")
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")


class BackendError(AeCoachError):
    """The model backend failed after its retries. Exit code 3."""

    exit_code = 3


class ModelOutputError(BackendError):
    """The model's answers never validated against the expected schema."""

    def __init__(self, message: str, *, attempts: int, usage: Any = None, raw: str | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage
        self.raw = raw


class ReplayMissError(BackendError):
    """A replay backend was asked for a request it has no recording of."""


class EvalGateFailed(AeCoachError):
    """An eval comparison regressed on the gated split. Exit code 1."""

    exit_code = 1
