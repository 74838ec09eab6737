"""``ae-coach skill validate``: the staged skill passes the reference validator and our stricter checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ae_coach.cli import main
from ae_coach.skill.check import MAX_LINES, MAX_TOKENS, SKILL_NAME, estimate_tokens, stage_skill, validate_skill

AGENTSKILLS = Path(sys.executable).parent / "agentskills"


def test_shipped_skill_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["skill", "validate"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{SKILL_NAME}: valid" in out


def test_shipped_skill_md_frontmatter_and_budget(repo: Path) -> None:
    text = (repo / "SKILL.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert set(front) == {"name", "description", "license", "metadata"}
    assert front["name"] == SKILL_NAME and front["metadata"] == {"version": "0.1.0"}
    description = front["description"]
    assert len(description) <= 1024 and "<" not in description and ">" not in description
    for word in ("deal review", "MEDDPICC", "pipeline", "forecast", "account executive"):
        assert word.lower() in description[:250].lower(), word
    assert text.count("\n") < MAX_LINES and estimate_tokens(text) <= MAX_TOKENS


def test_staged_skill_passes_the_agentskills_command(tmp_path: Path) -> None:
    staged = stage_skill(tmp_path)
    assert staged.name == SKILL_NAME
    assert (staged / "SKILL.md").is_file() and (staged / "rules" / "_sections.md").is_file()
    assert len(list((staged / "rules").glob("*.md"))) >= 36
    result = subprocess.run(
        [str(AGENTSKILLS), "validate", str(staged)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _broken_skill(tmp_path: Path, repo: Path, frontmatter: str) -> Path:
    root = tmp_path / "skill-src"
    shutil.copytree(repo / "rules", root / "rules")
    body = (repo / "SKILL.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    (root / "SKILL.md").write_text(f"---\n{frontmatter}---\n{body}", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("frontmatter", "expected"),
    [
        (
            "name: account-executive\ndescription: Deal review, MEDDPICC, pipeline, forecast, account executive.\n"
            "license: MIT\nmetadata:\n  version: '0.1.0'\nowner: sales\n",
            ["agentskills validate: Unexpected fields in frontmatter: owner", "frontmatter key 'owner'"],
        ),
        (
            "name: ae-skill\ndescription: Deal review, MEDDPICC, pipeline, forecast, account executive.\n"
            "license: MIT\nmetadata:\n  version: '0.1.0'\n",
            ["Directory name 'account-executive' must match skill name 'ae-skill'", "name must be 'account-executive'"],
        ),
        (
            "name: account-executive\ndescription: Coaching for <b>sales</b> people.\nlicense: MIT\n"
            "metadata:\n  version: 1\n",
            [
                "description must not contain '<' or '>'",
                "lack trigger words: deal review, meddpicc, pipeline, forecast, account executive",
                "metadata.version must be a quoted string",
            ],
        ),
        (
            f"name: account-executive\ndescription: Deal review, MEDDPICC, pipeline, forecast. {'x' * 1100}\n"
            "license: MIT\nmetadata:\n  version: '0.1.0'\n",
            ["Description exceeds 1024 character limit", "characters; at most 1024"],
        ),
    ],
)
def test_broken_skill_reports_reference_and_strict_problems(
    tmp_path: Path, repo: Path, frontmatter: str, expected: list[str]
) -> None:
    root = _broken_skill(tmp_path, repo, frontmatter)
    messages = [problem.format() for problem in validate_skill(root)]
    for fragment in expected:
        assert any(fragment in m for m in messages), (fragment, messages)


def test_cli_exits_1_on_problems(tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _broken_skill(tmp_path, repo, "name: account-executive\ndescription: x\n")
    assert main(["skill", "validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "SKILL.md:1: frontmatter needs a license" in out
    assert f"{SKILL_NAME}: " in out and "problem(s)" in out


def test_skill_md_carries_every_seed_framework(repo: Path) -> None:
    body = (repo / "SKILL.md").read_text(encoding="utf-8").split("<!-- rules-index:start -->")[0]
    meddpicc = (
        "Metrics",
        "Economic buyer",
        "Decision criteria",
        "Decision process",
        "Paper process",
        "Identified pain",
        "Champion",
        "Competition",
    )
    stages = (
        "| Discovery | 10% |",
        "| Scoping | 25% |",
        "| Validation | 50% |",
        "| Proposal | 75% |",
        "| Closing | 90%+ |",
    )
    tiers = ("| 1 | $100k+", "| 2 | $50-100k", "| 3 | $25-50k", "| 4 | under $25k")
    positions = ("| Incumbent |", "| Challenger |", "| Unknown |", "| Displacing |")
    committee = ("Economic buyer (signs)", "champion", "technical buyer", "user buyer", "influencers")
    math = (
        "$1M quota",
        "20 wins",
        "4x coverage",
        "20 new opportunities",
        "~8 qualified meetings",
        "discovery 40%, scoping 25%, validation 20%, proposal 10%, closing 5%",
    )
    anti = (
        "deal-happy-ears",
        "relationship-multi-threading",
        "deal-demo-to-pain",
        "deal-proposal-timing",
        "deal-mutual-action-plan",
        "deal-discovery-before-demo",
        "deal-competition-mapping",
        "relationship-champion-enablement",
        "pipeline-commit-gate",
        "account-post-close-handoff",
    )
    for text in (*(f"| {m} |" for m in meddpicc), *stages, *tiers, *positions, *committee, *math, *anti):
        assert text in body, text
    momentum_rows = [line for line in body.split("**Momentum.**")[1].splitlines() if line.startswith("| ")]
    assert len(momentum_rows) == 1 + 7  # header + seven positive/danger pairs
