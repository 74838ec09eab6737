"""The Chinese glossary (``rules/zh/_glossary.yaml``): the terms, section headings and question prefixes that
the Chinese rules, the Chinese output and ``ae-coach rules lint`` share.

A Chinese rule file lives at ``rules/zh/<id>.md`` beside its English source ``rules/<id>.md``. Its
``###`` headings are the glossary's translations of the English ones, and its questions start with the
glossary's prefixes (``交易复盘：`` for ``Deal review:``); the parser reads both back to the English names, so
code that asks for a rule's "How to apply" steps gets the Chinese steps of a Chinese rule.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ae_coach._safe_yaml import load_bounded_yaml, yaml_problem
from ae_coach.errors import RuleFileError

TRANSLATIONS_DIR = "zh"
"""The directory under ``rules/`` that holds the Chinese rulebook."""
GLOSSARY_FILE = "_glossary.yaml"


class Glossary(BaseModel):
    """The shared Chinese vocabulary; see the comments in ``rules/zh/_glossary.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: dict[str, str]
    """English term -> the Chinese term to use."""
    headings: dict[str, str]
    """English rule-section heading -> its Chinese heading."""
    question_prefixes: dict[str, str]
    """English question prefix (``Deal review:``) -> its Chinese prefix (``交易复盘：``)."""
    variants: dict[str, str] = Field(default_factory=dict)
    """A word a translator used for a glossary concept -> the English term whose glossary word to use
    instead (``内线`` -> ``coach``); lint reports each use."""
    path: Path | None = None

    def heading_names(self) -> dict[str, str]:
        """Chinese heading -> English heading (what the parser files a section under)."""
        return {zh: en for en, zh in self.headings.items()}

    def english_prefix(self, text: str) -> str:
        """``text`` with a Chinese question prefix replaced by its English one (``交易复盘：…`` -> ``Deal review: …``)."""
        for english, chinese in self.question_prefixes.items():
            if text.startswith(chinese):
                return f"{english} {text[len(chinese) :].lstrip()}"
        return text


def glossary_path(rules_dir: Path) -> Path:
    return rules_dir / TRANSLATIONS_DIR / GLOSSARY_FILE


def load_glossary(rules_dir: Path) -> Glossary:
    """The glossary of a rules directory (``<rules_dir>/zh/_glossary.yaml``).

    Raises:
        RuleFileError: The file is missing, is not YAML, repeats a key, or lacks a section.
    """
    return _load(glossary_path(rules_dir).resolve())


@cache
def _load(path: Path) -> Glossary:
    try:
        data = load_bounded_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleFileError(path, None, f"cannot read the glossary: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise RuleFileError(path, line, message) from None
    if not isinstance(data, dict):
        raise RuleFileError(path, 1, "the glossary must be a mapping with terms, headings and question_prefixes")
    try:
        return Glossary.model_validate({**data, "path": path})
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RuleFileError(path, None, where) from None


def shipped_glossary() -> Glossary:
    """The glossary of the shipped rulebook."""
    from ae_coach.resources import rules_dir

    return load_glossary(rules_dir())
