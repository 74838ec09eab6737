"""``ae-coach rules build``: the SKILL.md index, dist/AGENTS.md and the exported example cases."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from ae_coach.cli import main
from ae_coach.rules import load_rulebook
from ae_coach.rules.build import AGENTS_MD, EXAMPLES_YAML, INDEX_END, INDEX_START, outputs

VALID = Path(__file__).parent / "fixtures" / "rules" / "valid"

SKILL = """---
name: account-executive
description: Deal review coaching.
---

# Skill

Intro stays as written.

<!-- rules-index:start -->
old index text
<!-- rules-index:end -->

Footer stays too.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root / "rules")
    (root / "SKILL.md").write_text(SKILL, encoding="utf-8")
    return root


def test_committed_generated_files_are_current(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "build", "--check", "--root", str(repo)])
    out = capsys.readouterr().out
    assert code == 0, f"stale generated files; run `ae-coach rules build`:\n{out}"
    assert out.count("up to date") == 3


def test_build_writes_index_agents_and_examples(project: Path) -> None:
    assert main(["rules", "build", "--root", str(project)]) == 0
    skill = (project / "SKILL.md").read_text()
    assert "old index text" not in skill
    assert skill.startswith(SKILL.split(INDEX_START)[0]) and skill.endswith(INDEX_END + "\n\nFooter stays too.\n")
    index = skill.split(INDEX_START)[1].split(INDEX_END)[0]
    # Categories in _sections.md order, each rule as id and summary.
    assert index.index("**Deal Execution**") < index.index("**Pipeline Management**")
    for rule in load_rulebook(project / "rules"):
        assert f"- `{rule.id}`: {rule.summary}" in index

    agents = (project / AGENTS_MD).read_text()
    assert "[Confirm the champion with a delivered ask](#deal-fixture-champion)" in agents
    assert '<a id="deal-fixture-champion"></a>' in agents
    assert "#### How to apply" in agents and "\n## Confirm the champion" not in agents
    assert "Champion: Tom. Very keen. Confirmed." in agents  # examples are kept verbatim


def test_exported_example_cases_match_the_rules(project: Path) -> None:
    main(["rules", "build", "--root", str(project)])
    document = yaml.safe_load((project / EXAMPLES_YAML).read_text())
    assert document["version"] == 1
    cases = document["cases"]
    assert [c["id"] for c in cases] == [
        "example.deal-fixture-champion.1",
        "example.deal-fixture-champion.2",
        "example.pipeline-fixture-commit.1",
        "example.pipeline-fixture-commit.2",
    ]
    first = cases[0]
    assert first == {
        "id": "example.deal-fixture-champion.1",
        "rule": "deal-fixture-champion",
        "kind": "bad",
        "caption": "Deal note",
        "text": "Champion: Tom. Very keen. Confirmed.",
        "source": "rules/deal-fixture-champion.md:36",
    }
    assert {c["kind"] for c in cases} == {"good", "bad"}


def test_shipped_examples_export_covers_every_rule(repo: Path) -> None:
    cases = yaml.safe_load((repo / EXAMPLES_YAML).read_text())["cases"]
    rulebook = load_rulebook()
    assert {c["rule"] for c in cases} == set(rulebook.ids)
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert re.fullmatch(r"example\.[a-z0-9-]+\.\d+", case["id"])
        rule = rulebook.get(case["rule"])
        number = int(case["id"].rsplit(".", 1)[1])
        assert rule.examples[number - 1].text == case["text"]


def test_check_reports_stale_files_and_build_is_deterministic(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "build", "--check", "--root", str(project)]) == 1
    assert "stale" in capsys.readouterr().out
    main(["rules", "build", "--root", str(project)])
    snapshot = {o.path: o.path.read_text() for o in outputs(project)}
    assert main(["rules", "build", "--check", "--root", str(project)]) == 0
    main(["rules", "build", "--root", str(project)])
    assert {p: p.read_text() for p in snapshot} == snapshot

    rule = project / "rules" / "pipeline-fixture-commit.md"
    rule.write_text(rule.read_text().replace("summary: Call a deal", "summary: Only call a deal"))
    capsys.readouterr()
    assert main(["rules", "build", "--check", "--root", str(project)]) == 1
    out = capsys.readouterr().out
    assert "SKILL.md: stale" in out and "AGENTS.md: stale" in out
    assert "rule-examples.yaml: up to date" in out  # the examples did not change


def test_missing_markers_is_an_input_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "SKILL.md").write_text("---\nname: account-executive\n---\n# No index here\n")
    assert main(["rules", "build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "SKILL.md: the rule index needs the markers" in err and "Traceback" not in err
