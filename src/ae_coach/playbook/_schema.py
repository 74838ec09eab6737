"""The ``ae-coach.toml`` schema: what a playbook's config may say, checked when one is read."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    # no use_attribute_docstrings: it parses this module's source at every start-up, and nothing reads the text
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _PlaybookTable(_Strict):
    name: str | None = None
    """What ``rules list`` and ``--version`` call this playbook (default: the directory's name)."""
    language: Literal["en", "zh"] | None = None
    """The language of the coaching (``--lang`` and AE_COACH_LANG still win)."""


class _RulesTable(_Strict):
    dir: str = "rules"
    """This playbook's rule files, relative to the config file."""
    extends: Literal["shipped", "none"] = "shipped"
    """``shipped``: the shipped rulebook plus these rules (a same-named file replaces a shipped rule);
    ``none``: these rules stand alone (``ae-coach init --standalone`` copies the full rulebook in)."""
    disable: list[str] = Field(default_factory=list)
    """Rule ids to leave out of the merged rulebook."""


class _EvalTable(_Strict):
    suites: list[str] = Field(default_factory=list)
    """Suite files or directories, relative to the config file."""


class Config(_Strict):
    """The whole of ``ae-coach.toml``."""

    playbook: _PlaybookTable = Field(default_factory=_PlaybookTable)
    rules: _RulesTable = Field(default_factory=_RulesTable)
    settings: dict[str, Any] = Field(default_factory=dict)
    """Inspector setting overrides (any ``Settings`` field)."""
    stages: dict[str, str] = Field(default_factory=dict)
    """The team's stage names (as its CRM and deal files write them) -> the inspector's stage each one means;
    checked where deals are read (``ae_coach.deal.playbook_stages``) and by ``ae-coach rules lint``."""
    eval: _EvalTable = Field(default_factory=_EvalTable)
