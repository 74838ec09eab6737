"""Honest verdicts: one headline that agrees with the gate in every format, errors kept out of scores,
identical sides, changes the offline run cannot see, templates that do not render, one-sided cases."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ae_coach.cli import main
from ae_coach.eval import (
    Session,
    Variant,
    compare_results,
    compare_variants,
    from_git,
    render,
    working_tree,
)
from ae_coach.eval._compare import Comparison
from ae_coach.eval._report import print_terminal
from ae_coach.eval._results import CaseResult, RunResult, totals


def result(scores: dict[str, float], split: str = "holdout", errors: dict[str, str] | None = None) -> RunResult:
    errors = errors or {}
    cases = [
        CaseResult(
            id=cid,
            suite="s",
            split=split,
            tags=[],
            target="inspector",
            score=score,
            pass_rate=1.0 if score == 1 else 0.0,
            passed=score == 1 and cid not in errors,
            flaky=False,
            errors=[errors[cid]] if cid in errors else [],
            items=[{"kind": "finding.fire", "name": "x", "pass_rate": score, "detail": ""}],
            errored=cid in errors,
        )
        for cid, score in scores.items()
    ]
    samples = [{"case": c.id, "error": errors.get(c.id)} for c in cases]
    return RunResult("v", cases, {}, totals(cases, samples))


def every_format(cmp: Comparison, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    capsys.readouterr()
    print_terminal(cmp)
    return {
        "terminal": capsys.readouterr().out,
        "markdown": render(cmp, "markdown"),
        "html": render(cmp, "html"),
        "json": json.dumps(json.loads(render(cmp, "json"))["verdict_text"]),
        "junit": render(cmp, "junit"),
    }


def test_one_broken_holdout_case_in_a_deterministic_run_reads_regressed_everywhere(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 1 of 100 holdout cases broke: the statistics alone would say "non-inferior"; the strict gate fails.
    base = result({f"c{i}": 1.0 for i in range(100)})
    cand = result({f"c{i}": 0.0 if i == 0 else 1.0 for i in range(100)})
    cmp = compare_results(base, cand, deterministic=True)
    assert cmp.gate.verdict in ("non-inferior", "inconclusive") and cmp.gate_failed
    assert cmp.verdict == "regressed" and cmp.verdict_text.startswith("regressed: 1 case(s) broken")
    for fmt, text in every_format(cmp, capsys).items():
        assert "regressed: 1 case(s) broken" in text, fmt
        headline = [line for line in text.replace("<p>", "\n").splitlines() if "erdict" in line or fmt == "junit"]
        assert all("non-inferior" not in line for line in headline), fmt
    junit = ET.fromstring(render(cmp, "junit").split("?>", 1)[1])
    gate = next(s for s in junit if s.get("name") == "gate")
    assert gate.get("failures") == "1"


def test_the_gate_and_verdict_never_disagree_over_many_tables() -> None:
    import random

    rng = random.Random(7)
    for _ in range(120):
        n = rng.randint(1, 40)
        base = {f"c{i}": rng.choice([0.0, 0.5, 1.0]) for i in range(n)}
        cand = {k: rng.choice([v, v, 0.0, 1.0]) for k, v in base.items()}
        errors = {"c0": "BackendError: 529"} if rng.random() < 0.1 else {}
        cmp = compare_results(
            result(base),
            result(cand, errors=errors),
            deterministic=rng.random() < 0.5,
            gate_mode=rng.choice(["auto", "stat", "strict"]),
        )
        failing = cmp.verdict in ("regressed", "errors")
        assert failing == cmp.gate_failed, (cmp.verdict, cmp.gate_reason)


def test_errors_are_kept_out_of_the_scores_and_fail_the_gate() -> None:
    # An A/A comparison with one transient error: no score difference is invented, the gate fails.
    scores = {f"c{i}": 1.0 if i % 3 else 0.5 for i in range(30)}
    cand = result(scores, errors={"c3": "BackendError: overloaded (529)"})
    assert cand.totals["mean_score"] == pytest.approx(result(scores).totals["mean_score"], abs=0.02)
    cmp = compare_results(result(scores), cand)
    assert cmp.errored == ["c3"] and "c3" not in {c.id for c in cmp.cases}
    assert cmp.overall.mean_diff == 0 and cmp.gate_failed and cmp.verdict == "errors"


def test_identical_sides_say_so(repo: Path, tmp_path: Path) -> None:
    suite = str(repo / "evals" / "rule-selection.yaml")
    cmp = compare_variants(Session(suites=[suite], runs_dir=tmp_path), working_tree())
    assert cmp.verdict == "identical" and not cmp.gate_failed
    text = render(cmp, "markdown")
    assert "identical: both sides are the same rules and prompts" in text
    for needle in ("rule-selection.yaml", "bootstrap seed 20261126", cmp.provenance["base"]["rulebook_hash"][:12]):
        assert needle in text


def _prompts_copy(repo: Path, tmp_path: Path, edit: str) -> Variant:
    prompts = tmp_path / "prompts"
    shutil.copytree(repo / "prompts", prompts)
    system = prompts / "system.j2"
    text = system.read_text(encoding="utf-8")
    system.write_text(text.replace("Cite the rule behind each recommendation", edit), encoding="utf-8")
    return Variant("edited prompts", working_tree().rules_dir, prompts)


def test_a_prompt_change_the_offline_run_cannot_see_is_not_measurable_offline(repo: Path, tmp_path: Path) -> None:
    edited = _prompts_copy(repo, tmp_path, "Mention rules if you like")
    suite = str(repo / "evals" / "rule-selection.yaml")
    cmp = compare_variants(Session(suites=[suite], runs_dir=tmp_path / "runs"), working_tree(), edited)
    assert cmp.verdict == "not measurable offline" and "no difference" not in cmp.verdict_text


def test_a_template_that_does_not_render_fails(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _prompts_copy(repo, tmp_path, "{% if %}")
    suite = str(repo / "evals" / "rule-selection.yaml")
    from ae_coach.errors import InputError

    with pytest.raises(InputError, match="does not render"):
        compare_variants(Session(suites=[suite], runs_dir=tmp_path / "runs"), working_tree(), broken)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True
    )


def test_cases_that_exist_on_one_side_are_listed_and_a_removed_passing_case_fails_the_gate(
    repo: Path, tmp_path: Path
) -> None:
    work = tmp_path / "checkout"
    (work / "evals").mkdir(parents=True)
    shutil.copytree(repo / "rules", work / "rules")
    shutil.copytree(repo / "evals" / "deals", work / "evals" / "deals")
    suite = work / "evals" / "s.yaml"
    case = """  - id: {id}
    split: holdout
    input: {{deal: deals/champion-not-eb.yaml}}
    expect: {{findings: {{fire: [meddpicc.economic_buyer]}}}}
"""
    suite.write_text("cases:\n" + case.format(id="kept") + case.format(id="removed"), encoding="utf-8")
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "base")
    suite.write_text("cases:\n" + case.format(id="kept") + case.format(id="new"), encoding="utf-8")
    base = from_git("HEAD", repo=work)
    try:
        cmp = compare_variants(Session(suites=[str(suite)], runs_dir=tmp_path / "runs"), base)
    finally:
        base.cleanup()
    sides = {o.id: (o.side, o.passed_on_base) for o in cmp.one_sided}
    assert sides == {"removed": ("base", True), "new": ("candidate", None)}
    assert cmp.gate_failed and "1 passing case(s) removed" in cmp.verdict_text
    assert "removed (holdout): only on the base, passed on the base" in render(cmp, "markdown")


def test_compare_cli_prints_the_verdict_it_gates_on(repo: Path, tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(repo / "rules", rules)
    (rules / "deal-economic-buyer.md").unlink()
    suite = str(repo / "evals" / "rule-coverage.yaml")
    code = main(["eval", "compare", suite, "--rules", str(rules), "--runs-dir", str(tmp_path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["gate_failed"] and report["verdict"] == "regressed"
    assert report["verdict_text"].startswith("regressed: ") and "case(s) broken" in report["verdict_text"]
