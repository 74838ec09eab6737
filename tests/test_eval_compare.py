"""Comparing two versions of the rules: regressions gate, identical versions show no difference, git bases."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.eval import (
    Session,
    compare_variants,
    from_git,
    from_rules_dir,
    render,
    working_tree,
)

RULE = "deal-economic-buyer"


@pytest.fixture
def rules_copy(repo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(repo / "rules", target)
    return target


def compare_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["eval", "compare", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_removing_a_rule_is_a_regression_and_exits_1(
    repo: Path, rules_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (rules_copy / f"{RULE}.md").unlink()
    code, report = compare_json([str(repo / "evals"), "--rules", str(rules_copy), "--runs-dir", str(tmp_path)], capsys)
    assert code == 1
    assert report["gate_failed"] and report["by_split"]["holdout"]["mean_diff"] < 0
    broken = {c["id"] for c in report["cases"] if c["flip"] == "broken"}
    assert {f"example.{RULE}.1", f"example.{RULE}.2"} <= broken
    assert all(c["diff"] <= 0 for c in report["cases"])  # removing a rule fixes nothing
    assert set(report["flipped"]) == broken
    # The flipped cases say which expectation changed.
    changed = {c["id"]: c["changed_items"] for c in report["cases"]}
    assert changed[f"example.{RULE}.1"] == [f"rule.cited:{RULE}"]


def test_removing_a_rules_triggers_is_a_regression(
    repo: Path, rules_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rules_copy / f"{RULE}.md"
    text, n = re.subn(r"(?m)^triggers:.*$", "triggers: []", path.read_text(encoding="utf-8"), count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    code, report = compare_json([str(repo / "evals"), "--rules", str(rules_copy), "--runs-dir", str(tmp_path)], capsys)
    assert code == 1 and report["gate_failed"] and report["deterministic"]
    assert any(c["changed_items"] and c["id"].startswith("select.") for c in report["cases"])


def test_comparing_a_version_with_itself_is_refused_unless_asked_for(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(repo / "evals"), "--base-rules", str(repo / "rules"), "--runs-dir", str(tmp_path)]
    capsys.readouterr()
    assert main(["eval", "compare", *args]) == 2
    err = capsys.readouterr().err
    assert "nothing to compare: base and candidate read the same files" in err and "--allow-identical" in err
    assert not list(tmp_path.glob("*.jsonl"))  # refused before anything ran
    # Asked for, the A/A run still measures nothing and says so, with honest statistics.
    code, report = compare_json([*args, "--allow-identical"], capsys)
    assert code == 0 and not report["gate_failed"] and report["verdict"] == "identical"
    assert report["overall"]["verdict"] == "unchanged"
    assert report["overall"]["mean_diff"] == 0 and report["flipped"] == []
    # no case moved, yet the interval keeps the width the sample size allows: never a zero-width claim
    assert -0.03 < report["overall"]["ci_low"] < 0 < report["overall"]["ci_high"] < 0.03
    assert report["overall"]["permutation_p"] == 1 and report["overall"]["mcnemar_p"] == 1


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True
    )


def test_git_base_is_extracted_and_a_ref_without_rules_is_an_empty_rulebook(repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "checkout"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "README.md").write_text("no rules yet\n", encoding="utf-8")
    _git(work, "add", "README.md")
    _git(work, "commit", "-q", "-m", "empty")
    empty = from_git("HEAD", repo=work)
    try:
        assert len(empty.rulebook) == 0 and empty.prompts_dir == working_tree().prompts_dir
    finally:
        empty.cleanup()
    shutil.copytree(repo / "rules", work / "rules")
    shutil.copytree(repo / "prompts", work / "prompts")
    _git(work, "add", "rules", "prompts")
    _git(work, "commit", "-q", "-m", "rules")
    base = from_git("HEAD", repo=work)
    suite = str(repo / "evals" / "rule-selection.yaml")
    try:
        assert base.rules_dir.parent != work and len(base.rulebook) == len(working_tree().rulebook)
        same = compare_variants(Session(suites=[suite], runs_dir=tmp_path), base)
        assert same.overall.verdict == "unchanged" and not same.gate_failed
    finally:
        base.cleanup()
    assert not base.rules_dir.exists()  # the temporary extraction is removed


def test_without_rules_shows_what_the_rules_add(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = compare_json(
        [str(repo / "evals" / "rule-selection.yaml"), "--without-rules", "--runs-dir", str(tmp_path)], capsys
    )
    assert code == 0 and report["overall"]["mean_diff"] > 0
    assert report["base"] == "without rules" and report["candidate"] == "working tree"


def test_html_report_shows_the_comparison(repo: Path, rules_copy: Path, tmp_path: Path) -> None:
    (rules_copy / f"{RULE}.md").unlink()
    session = Session(suites=[str(repo / "evals" / "rule-examples.yaml")], runs_dir=tmp_path)
    comparison = compare_variants(session, working_tree(), from_rules_dir(rules_copy))
    html = render(comparison, "html")
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "Gate (holdout)" in html and "FAILED" in html and f"example.{RULE}.1" in html
    assert "95% CI" in html and "McNemar" in html and "Flipped cases" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)  # self-contained: nothing to fetch
    junit = render(comparison, "junit")
    assert f'name="example.{RULE}.1"' in junit and "<failure" in junit
    markdown = render(comparison, "markdown")
    assert "## Flipped cases" in markdown and f"| example.{RULE}.1 |" in markdown


def test_compare_needs_something_to_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "compare", "evals"]) == 2
    assert "nothing to compare" in capsys.readouterr().err
    assert main(["eval", "compare", "evals", "--base", "no-such-ref-xyz", "--runs-dir", str(tmp_path)]) == 2
