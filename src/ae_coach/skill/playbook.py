"""The skill built from a playbook: the rules the CLI and the MCP server use, so the assistant cites the same ones.

A playbook's skill is SKILL.md (the playbook's own when it has one beside ``ae-coach.toml``, else the
shipped one) with its rule index regenerated for the merged rulebook, and ``rules/`` holding exactly the
merged rule files: the shipped rules a playbook extends, its additions and replacements, minus what it
disables, each with its Chinese version when one sits beside it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from ae_coach.playbook import Playbook, active


@dataclass
class StagedSkill:
    """A skill folder built for a playbook, and what a user should know about it."""

    root: Path
    """The directory holding SKILL.md and rules/, ready for ``install`` or ``package``."""
    rules: int
    missing: list[str] = field(default_factory=list)
    """Rule ids SKILL.md's own text names that the playbook's rulebook does not have."""


def skill_md_for(playbook: Playbook) -> Path:
    """The SKILL.md a playbook's skill starts from: its own beside ``ae-coach.toml``, else the shipped one."""
    from ae_coach.resources import skill_md

    own = playbook.root / "SKILL.md" if playbook.root is not None else None
    return own if own is not None and own.is_file() else skill_md()


def skill_md_text(playbook: Playbook | None = None) -> str:
    """SKILL.md with the rule index of the playbook's rulebook (the text the MCP server serves)."""
    from ae_coach.rules import load_rulebook
    from ae_coach.rules.build import apply_index, render_index

    playbook = playbook or active()
    path = skill_md_for(playbook)
    text = path.read_text(encoding="utf-8")
    return text if playbook.is_shipped else apply_index(text, render_index(load_rulebook()), path)


@contextmanager
def staged(playbook: Playbook | None = None) -> Iterator[StagedSkill | None]:
    """A temporary skill folder for the playbook in use (None for the shipped rulebook: install it as it is)."""
    from ae_coach.rules import load_rulebook
    from ae_coach.rules.glossary import TRANSLATIONS_DIR
    from ae_coach.rules.lexicon import LEXICON_FILE
    from ae_coach.rules.parse import merged_files

    playbook = playbook or active()
    if playbook.is_shipped:
        yield None
        return
    rulebook = load_rulebook()
    layers = playbook.rule_dirs()
    sections, paths = merged_files(layers, playbook.disable)
    with TemporaryDirectory(prefix="ae-coach-skill-") as tmp:
        root = Path(tmp)
        rules = root / "rules"
        (rules / TRANSLATIONS_DIR).mkdir(parents=True)
        shutil.copyfile(sections, rules / sections.name)
        for extra in (LEXICON_FILE, f"{TRANSLATIONS_DIR}/_glossary.yaml"):
            found = [layer / extra for layer in layers if (layer / extra).is_file()]
            if found:
                shutil.copyfile(found[-1], rules / extra)
        for path in paths:
            shutil.copyfile(path, rules / path.name)
            translation = path.parent / TRANSLATIONS_DIR / path.name
            if translation.is_file():
                shutil.copyfile(translation, rules / TRANSLATIONS_DIR / path.name)
        text = skill_md_text(playbook)
        (root / "SKILL.md").write_text(text, encoding="utf-8")
        prefixes = [section.prefix for section in rulebook.sections]
        yield StagedSkill(root, len(rulebook), _missing(text, set(rulebook.ids), prefixes))


def _missing(text: str, ids: set[str], prefixes: list[str]) -> list[str]:
    from ae_coach.rules.build import INDEX_START

    prose = text.split(INDEX_START, 1)[0]
    pattern = r"`((?:" + "|".join(map(re.escape, prefixes)) + r")-[a-z0-9-]+)`"
    return sorted({rule_id for rule_id in re.findall(pattern, prose) if rule_id not in ids})
