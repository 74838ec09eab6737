"""A team's playbook: its own rules, thresholds, stages, language and eval suites, used by every command.

A playbook is a directory holding ``ae-coach.toml``::

    [playbook]
    name = "Acme enterprise sales"
    language = "en"                 # en | zh (``--lang`` and AE_COACH_LANG still win)

    [rules]
    dir = "rules"                   # this playbook's rule files, relative to the toml
    extends = "shipped"             # "shipped" (add, replace by id, disable) or "none" (stand alone)
    disable = ["account-tiering"]   # shipped rule ids to leave out

    [settings]                      # any inspector setting (docs/inspector.md lists them)
    champion_dark_days = 10
    stale_days = {proposal = 7}

    [stages]                        # the team's stage names -> the inspector's stages (deals and CRM exports)
    "Technical win" = "validation"

    [eval]
    suites = ["evals"]              # what ``ae-coach eval run``/``compare`` use with no suite argument

Which playbook a command uses: ``--playbook DIR``, else ``$AE_COACH_PLAYBOOK``, else the nearest
``ae-coach.toml`` from the current directory upwards, else the shipped rulebook (:func:`resolve`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.playbook._config import CONFIG_FILE, ENV, Playbook, read_config, shipped

if TYPE_CHECKING:
    from ae_coach.playbook._scaffold import scaffold

__all__ = [
    "CONFIG_FILE",
    "ENV",
    "Playbook",
    "active",
    "find_config",
    "resolve",
    "scaffold",
    "set_active",
    "shipped",
    "use",
]


def find_config(start: Path) -> Path | None:
    """The nearest ``ae-coach.toml`` in ``start`` or a directory above it."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
    return None


def resolve(explicit: Path | str | None = None, *, cwd: Path | None = None, env: str | None = None) -> Playbook:
    """The playbook a command uses: ``explicit``, else ``$AE_COACH_PLAYBOOK``, else the nearest config, else shipped.

    Args:
        explicit: ``--playbook DIR`` (a directory holding ``ae-coach.toml``, or the file itself).
        cwd: Where to start looking upwards (default: the current directory).
        env: The value of ``AE_COACH_PLAYBOOK`` (default: read from the environment).

    Raises:
        PlaybookError: A named playbook has no ``ae-coach.toml``, or its config cannot be read.
    """
    if explicit is not None:
        return read_config(_config_in(Path(explicit), "--playbook"), "--playbook")
    env = os.environ.get(ENV) if env is None else env
    if env:
        return read_config(_config_in(Path(env), ENV), ENV)
    found = find_config(cwd or Path.cwd())
    return read_config(found, "discovered") if found else shipped()


def _config_in(path: Path, origin: str) -> Path:
    from ae_coach.errors import PlaybookError

    config = path if path.name == CONFIG_FILE else path / CONFIG_FILE
    if not config.is_file():
        hint = "run `ae-coach init DIR` to create one" if path.is_dir() else "no such directory"
        raise PlaybookError(f"{origin} {path}: no {CONFIG_FILE} there ({hint})")
    return config


class _Active:
    playbook: Playbook | None = None


def active() -> Playbook:
    """The playbook in use: the one :func:`use` set, else the one :func:`resolve` finds now."""
    return _Active.playbook if _Active.playbook is not None else resolve()


@contextmanager
def use(playbook: Playbook | None) -> Iterator[Playbook | None]:
    """Make ``playbook`` the one every library call uses until the block ends (``None``: discover again)."""
    previous = _Active.playbook
    _Active.playbook = playbook
    try:
        yield playbook
    finally:
        _Active.playbook = previous


def set_active(playbook: Playbook | None) -> None:
    """Make ``playbook`` the one in use for the rest of this command (the CLI's ``--playbook``)."""
    _Active.playbook = playbook


def __getattr__(name: str) -> Any:
    # ``init``'s starter (string.Template, shutil) loads with ``init``, not with every command
    if name == "scaffold":
        from ae_coach.playbook._scaffold import scaffold

        return scaffold
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
