"""``ae-coach.toml``: reading and validating a playbook's config."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ae_coach.errors import PlaybookError

CONFIG_FILE = "ae-coach.toml"
ENV = "AE_COACH_PLAYBOOK"
_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class Playbook:
    """A resolved playbook: where its rules are, what it overrides, and how it was found.

    A plain dataclass, not a pydantic model: it is built by :func:`shipped` and :func:`read_config` (which
    validates the TOML with ``_schema``'s models first), never from outside data, and every command reads it,
    so ``--version`` and a review without a playbook do not pay for pydantic here.
    """

    name: str
    origin: Literal["--playbook", "AE_COACH_PLAYBOOK", "discovered", "shipped", "git"]
    """How it was found: the option, the environment variable, upwards from the current directory, none, or
    read from a git revision (an eval base)."""
    root: Path | None = None
    """The directory holding ``ae-coach.toml`` (None for the shipped rulebook)."""
    config: Path | None = None
    rules_dir: Path | None = None
    """This playbook's own rules directory (None for the shipped rulebook)."""
    extends: bool = True
    """True when the rulebook is the shipped one plus this playbook's rules."""
    disable: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    """The team's stage names -> the inspector's stages (``[stages]``)."""
    language: str | None = None
    suites: tuple[Path, ...] = ()

    @property
    def is_shipped(self) -> bool:
        """True when no playbook was found: the shipped rulebook and default settings."""
        return self.root is None

    def rule_dirs(self) -> list[Path]:
        """The rules directories to merge, lowest first: a later one's rule replaces an earlier one's by id."""
        from ae_coach.resources import rules_dir

        if self.rules_dir is None:
            return [rules_dir()]
        return [rules_dir(), self.rules_dir] if self.extends else [self.rules_dir]

    def describe(self) -> str:
        """One line naming the playbook: its name, config file, how it was found and what it extends."""
        if self.is_shipped:
            return "shipped rulebook (no ae-coach.toml found; see docs/playbook.md)"
        kind = "extends the shipped rulebook" if self.extends else "standalone"
        return f"{self.name} ({self.config}; {kind}; found by {self.origin})"


def shipped() -> Playbook:
    """The playbook used when none is found: the shipped rulebook with default settings."""
    return Playbook(name="shipped", origin="shipped")


def read_config(path: Path, origin: str) -> Playbook:
    """Read ``ae-coach.toml`` at ``path`` into a :class:`Playbook`.

    Raises:
        PlaybookError: The file cannot be read, is not TOML, has an unknown key or a bad value, or names a
            rules directory that does not exist.
    """
    import tomllib  # only a playbook with a config file pays for the TOML parser and the schema

    from pydantic import ValidationError

    from ae_coach import _validation
    from ae_coach.playbook._schema import Config

    try:
        raw = path.read_bytes()
        if len(raw) > _MAX_BYTES:
            raise PlaybookError(f"{path}: larger than {_MAX_BYTES // 1024} kB; a playbook config is a few lines")
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise PlaybookError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise PlaybookError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(f"{path}: not valid TOML ({exc})") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError(f"{path}: {_validation.summary(exc, Config)}") from None
    root = path.parent.resolve()
    rules = (root / config.rules.dir).resolve()
    if not rules.is_dir():
        raise PlaybookError(f"{path}: [rules] dir = {config.rules.dir!r}: no such directory ({rules})")
    return Playbook(
        name=config.playbook.name or root.name,
        origin=origin,  # type: ignore[arg-type]
        root=root,
        config=path.resolve(),
        rules_dir=rules,
        extends=config.rules.extends == "shipped",
        disable=tuple(config.rules.disable),
        settings=config.settings,
        stages=config.stages,
        language=config.playbook.language,
        suites=tuple((root / suite).resolve() for suite in config.eval.suites),
    )
