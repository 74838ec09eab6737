"""``ae-coach skill``: the Agent Skill (SKILL.md + rules/). Add further commands to ``skill_app``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

skill_app = typer.Typer(help="The Agent Skill: SKILL.md + rules/.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``skill`` sub-app to the root app."""
    app.add_typer(skill_app, name="skill")


@skill_app.command("validate")
def validate(
    root: Annotated[
        Path | None, typer.Option(help="The directory holding SKILL.md and rules/ (default: the shipped skill).")
    ] = None,
) -> None:
    """Stage the skill as account-executive/ and check it: agentskills validate plus our stricter checks."""
    from ae_coach.skill.check import SKILL_NAME, validate_skill

    problems = validate_skill(root)
    base = Path.cwd()
    for problem in problems:
        print(problem.format(base))
    if problems:
        print(f"{SKILL_NAME}: {len(problems)} problem(s)")
        raise typer.Exit(1)
    print(f"{SKILL_NAME}: valid (agentskills validate and ae-coach checks passed)")
