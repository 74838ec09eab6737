"""Where the skill, the rules and the prompt templates live: the repo root, or the wheel's ``_data``."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def project_root() -> Path:
    """The directory holding SKILL.md, rules/ and prompts/.

    An installed wheel carries them under ``ae_coach/_data``; an editable install or a source
    checkout finds them at the repo root, two levels above ``src/ae_coach``.
    """
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "rules").is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent


def rules_dir() -> Path:
    """The shipped rulebook directory."""
    return project_root() / "rules"


def prompts_dir() -> Path:
    """The shipped jinja2 prompt templates."""
    return project_root() / "prompts"


def skill_md() -> Path:
    """The shipped SKILL.md."""
    return project_root() / "SKILL.md"


def ae_coach_home() -> Path:
    """``$AE_COACH_HOME``, default ``~/.ae-coach``: saved chats, caches and the review history."""
    return Path(os.environ.get("AE_COACH_HOME") or Path.home() / ".ae-coach")
