"""The wheel carries SKILL.md, rules/ and prompts/: install it outside the repo and load the rulebook from it."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROBE = textwrap.dedent(
    """
    import json, sys
    sys.path.append({site_packages!r})  # dependencies come from the project venv: no network
    import ae_coach
    from ae_coach.resources import project_root, prompts_dir, rules_dir, skill_md
    from ae_coach.rules import load_rulebook
    from ae_coach.skill.check import lint

    rulebook = load_rulebook()
    print(json.dumps({{
        "package": ae_coach.__file__,
        "root": str(project_root()),
        "rules_dir": str(rules_dir()),
        "rules": rulebook.ids,
        "skill_md": skill_md().is_file(),
        "prompts": prompts_dir().is_dir(),
        "lint_errors": [p.format() for p in lint(rules_dir(), skill_md()) if p.level == "error"],
    }}))
    """
)


def _run(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_wheel_ships_the_rulebook(repo: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(repo)], tmp_path)
    (wheel,) = dist.glob("ae_coach-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    _run([*pip, str(wheel)], tmp_path)

    project_site = site.getsitepackages()[0]
    result = _run([str(python), "-c", PROBE.format(site_packages=project_site)], tmp_path)
    facts = json.loads(result.stdout.strip().splitlines()[-1])

    assert Path(facts["package"]).is_relative_to(venv), facts["package"]
    assert Path(facts["root"]).name == "_data" and Path(facts["rules_dir"]).is_relative_to(venv)
    shipped = sorted(p.stem for p in (repo / "rules").glob("*.md") if not p.name.startswith("_"))
    assert facts["rules"] == shipped
    assert facts["skill_md"] and facts["prompts"]
    assert facts["lint_errors"] == []
