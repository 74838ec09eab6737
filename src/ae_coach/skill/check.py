"""The Agent Skill: SKILL.md + rules/, staged as ``account-executive/`` and validated.

``validate_skill`` runs the Agent Skills reference validator (``skills_ref``, the library behind
``agentskills validate``) on a staged copy, then our stricter checks: spec keys only, a description
without angle brackets that names its trigger words early, SKILL.md within its line and token budget,
a current rule index, and a rulebook that lints clean.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from ae_coach.rules import Rulebook
from ae_coach.rules.lint import lint_rulebook, references, strictly
from ae_coach.rules.parse import Problem

SKILL_NAME = "account-executive"
SPEC_KEYS = frozenset({"name", "description", "license", "allowed-tools", "metadata", "compatibility"})
"""Frontmatter keys the Agent Skills specification allows."""

MAX_DESCRIPTION = 1024
MAX_LINES = 500
MAX_TOKENS = 5000
"""SKILL.md budget: the whole file is read into context when the skill triggers."""
TRIGGER_WINDOW = 250
TRIGGER_WORDS = ("deal review", "meddpicc", "pipeline", "forecast", "account executive")
"""Words an assistant matches requests against; they must appear in the description's first 250 characters."""


def estimate_tokens(text: str) -> int:
    """A rough token count (characters / 4), the budget unit for SKILL.md."""
    return len(text) // 4


def read_frontmatter(path: Path) -> tuple[dict[str, Any] | None, str, Problem | None]:
    """SKILL.md's frontmatter mapping, its full text, and the problem when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, "", Problem(path, None, f"cannot read SKILL.md: {exc}")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        return None, text, Problem(path, 1, "SKILL.md must start with YAML frontmatter between '---' lines")
    try:
        data = yaml.safe_load(match[1])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, text, Problem(path, mark.line + 2 if mark else 1, f"invalid YAML in frontmatter: {exc}")
    if not isinstance(data, dict):
        return None, text, Problem(path, 1, "the frontmatter must be a mapping")
    return data, text, None


def check_skill_md(path: Path, rulebook: Rulebook) -> list[Problem]:
    """Our checks on SKILL.md, beyond the reference validator's.

    Args:
        path: The SKILL.md file.
        rulebook: The rules its index must list.
    """
    data, text, problem = read_frontmatter(path)
    if problem is not None:
        return [problem]
    assert data is not None
    problems = _check_keys(path, data) + _check_description(path, data.get("description"))
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        problems.append(Problem(path, None, f"SKILL.md has {lines} lines; the budget is {MAX_LINES}"))
    if estimate_tokens(text) > MAX_TOKENS:
        message = f"SKILL.md is about {estimate_tokens(text)} tokens (characters / 4); the budget is {MAX_TOKENS}"
        problems.append(Problem(path, None, message))
    problems += _check_index(path, text, rulebook)
    return problems


def _check_keys(path: Path, data: dict[str, Any]) -> list[Problem]:
    problems = []
    for key in sorted(set(data) - SPEC_KEYS):
        problems.append(Problem(path, _line_of(path, key), f"frontmatter key {key!r} is not in the Agent Skills spec"))
    if data.get("name") != SKILL_NAME:
        problems.append(Problem(path, _line_of(path, "name"), f"name must be {SKILL_NAME!r}"))
    if not data.get("license"):
        problems.append(Problem(path, 1, "frontmatter needs a license"))
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("version"), str):
        problems.append(Problem(path, _line_of(path, "metadata"), "metadata.version must be a quoted string"))
    return problems


def _check_description(path: Path, description: object) -> list[Problem]:
    line = _line_of(path, "description")
    if not isinstance(description, str) or not description.strip():
        return [Problem(path, line, "description must be a non-empty string")]
    problems = []
    if len(description) > MAX_DESCRIPTION:
        message = f"description is {len(description)} characters; at most {MAX_DESCRIPTION}"
        problems.append(Problem(path, line, message))
    if "<" in description or ">" in description:
        problems.append(Problem(path, line, "description must not contain '<' or '>'"))
    head = description[:TRIGGER_WINDOW].lower()
    missing = [word for word in TRIGGER_WORDS if word not in head]
    if missing:
        message = f"description's first {TRIGGER_WINDOW} characters lack trigger words: {', '.join(missing)}"
        problems.append(Problem(path, line, message))
    return problems


def _check_index(path: Path, text: str, rulebook: Rulebook) -> list[Problem]:
    from ae_coach.errors import RuleFileError
    from ae_coach.rules.build import INDEX_START, apply_index, render_index

    try:
        fresh = apply_index(text, render_index(rulebook), path)
    except RuleFileError as exc:
        return [Problem(path, None, exc.detail)]
    problems = []
    if fresh != text:
        line = text[: text.find(INDEX_START)].count("\n") + 1
        problems.append(Problem(path, line, "the rule index is stale: run `ae-coach rules build`"))
    for number, line_text in enumerate(text.splitlines(), start=1):
        for rule_id in re.findall(r"rules/([a-z0-9-]+)\.md", line_text):
            if rule_id not in rulebook:
                problems.append(Problem(path, number, f"links to rules/{rule_id}.md, which does not exist"))
    prefixes = {section.prefix for section in rulebook.sections}
    for number, rule_id in references(text, prefixes):
        if rule_id not in rulebook:
            problems.append(Problem(path, number, f"refers to {rule_id}, which is not a rule"))
    return problems


def _line_of(path: Path, key: str) -> int:
    from ae_coach.rules.parse import key_line

    return key_line(path.read_text(encoding="utf-8"), key) or 1


def stage_skill(dest_parent: Path, root: Path | None = None) -> Path:
    """Copy SKILL.md and rules/*.md into ``dest_parent/account-executive/`` and return that directory.

    Args:
        dest_parent: Where the skill directory is created (it must not exist yet inside it).
        root: The directory holding SKILL.md and rules/ (default: the shipped ones).
    """
    from ae_coach.resources import project_root

    root = root or project_root()
    target = dest_parent / SKILL_NAME
    (target / "rules").mkdir(parents=True)
    shutil.copy2(root / "SKILL.md", target / "SKILL.md")
    for rule_file in sorted((root / "rules").glob("*.md")):
        shutil.copy2(rule_file, target / "rules" / rule_file.name)
    return target


def lint(
    rules_dir: Path | Sequence[Path], skill: Path | None = None, *, strict: bool = False, disable: Iterable[str] = ()
) -> list[Problem]:
    """Check a rules directory and, when given, the SKILL.md that indexes it.

    Args:
        rules_dir: Directory with ``_sections.md`` and the rule files, or directories laid over each other (a
            playbook extending the shipped rulebook) with ``disable`` naming rule ids left out.
        skill: SKILL.md to check (frontmatter, budget, generated index); None skips it.
        strict: Report warnings as errors.

    Returns:
        Every problem found, in file order (the rules' first, then SKILL.md's).
    """
    problems, rulebook = lint_rulebook(rules_dir, disable=disable)
    if skill is not None and rulebook is not None:
        problems.extend(check_skill_md(skill, rulebook))
    return strictly(problems) if strict else problems


def validate_skill(root: Path | None = None) -> list[Problem]:
    """Stage the skill and check it with the reference validator and our stricter checks.

    Args:
        root: The directory holding SKILL.md and rules/ (default: the shipped ones).

    Returns:
        Every problem; errors and warnings as ``rules lint`` reports them.
    """
    import skills_ref

    from ae_coach.resources import project_root

    root = root or project_root()
    skill_path = root / "SKILL.md"
    if not skill_path.is_file():
        return [Problem(skill_path, None, "SKILL.md not found")]
    with tempfile.TemporaryDirectory(prefix="ae-coach-skill-") as tmp:
        staged = stage_skill(Path(tmp), root)
        reference = [
            Problem(skill_path, None, f"agentskills validate: {message}") for message in skills_ref.validate(staged)
        ]
    return reference + lint(root / "rules", skill_path)
