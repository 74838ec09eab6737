"""Mutation testing of the suite (``eval mutate``) and the verified coverage cases (``eval cover``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ae_coach.cli import main
from ae_coach.eval import Session, load_cases, run_mutation
from ae_coach.eval._cover import drop_trigger
from ae_coach.eval._mutate import GUTTED_STEP, mutate_text
from ae_coach.rules import load_rulebook
from ae_coach.rules.parse import read_rulebook

RULE = "deal-economic-buyer"


@pytest.mark.parametrize("kind", ["empty-triggers", "gut-steps", "swap-examples"])
def test_each_mutation_changes_only_what_it_names(repo: Path, tmp_path: Path, kind: str) -> None:
    original = load_rulebook(repo / "rules")[RULE]
    text = mutate_text((repo / "rules" / f"{RULE}.md").read_text(encoding="utf-8"), kind)
    assert text is not None
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "_sections.md").write_text((repo / "rules" / "_sections.md").read_text(encoding="utf-8"))
    (rules / f"{RULE}.md").write_text(text, encoding="utf-8")
    mutant = read_rulebook(rules)[RULE]
    if kind == "empty-triggers":
        assert mutant.triggers == [] and mutant.steps == original.steps
    elif kind == "gut-steps":
        assert mutant.steps == [GUTTED_STEP] * len(original.steps)
        # markers survive: only what the steps say changes, not what they answer
        assert [p.answers for p in mutant.plays] == [p.answers for p in original.plays]
        assert mutant.triggers == original.triggers and mutant.questions == original.questions
    else:
        assert [e.kind for e in mutant.examples] == ["bad" if e.kind == "good" else "good" for e in original.examples]
    assert mutate_text("anything", "delete") is None


def test_mutants_of_one_rule_are_killed_by_its_coverage_cases(repo: Path) -> None:
    session = Session(suites=[str(repo / "evals" / "rule-coverage.yaml")], tags=[f"rule:{RULE}"])
    report = run_mutation(session, rules=[RULE], kinds=("delete", "empty-triggers", "gut-steps"))
    assert {m.kind: m.status for m in report.mutants} == {
        "delete": "killed",
        "empty-triggers": "killed",
        "gut-steps": "killed",
    }
    assert all(m.killed_by for m in report.mutants)
    kinds = report.by_kind()
    assert kinds["gut-steps"]["score"] == 1.0 and kinds["delete"]["survived"] == []


def test_a_suite_blind_to_content_lets_gutted_steps_survive(repo: Path, tmp_path: Path) -> None:
    suite = tmp_path / "blind.yaml"
    suite.write_text(
        yaml.safe_dump(
            {
                "cases": [
                    {
                        "id": "blind",
                        "input": {"deal": str(repo / "evals" / "deals" / "champion-not-eb.yaml")},
                        "expect": {"rules": {"cited": [RULE]}},
                    }
                ]
            }
        )
    )
    out = tmp_path / "m.json"
    code = main(
        ["eval", "mutate", str(suite), "--rule", RULE, "-w", "1", "--format", "json", "-o", str(out),
         "--min-score", "0.9"]
    )  # fmt: skip
    report = json.loads(out.read_text())
    assert code == 1  # gut-steps scores 0 on this suite
    assert report["by_kind"]["gut-steps"]["survived"] == [RULE]
    assert report["by_kind"]["delete"]["killed"] == 1


def test_sample_is_seeded_and_unknown_rules_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ae_coach.eval._mutate import pick_rules

    ids = load_rulebook(repo / "rules").ids
    assert pick_rules(ids, None, 3, 19) == pick_rules(ids, None, 3, 19)
    assert len(pick_rules(ids, None, 3, 19)) == 3
    assert main(["eval", "mutate", str(repo / "evals"), "--rule", "no-such-rule"]) == 2


def test_coverage_cases_assert_on_content_and_cover_every_rule(repo: Path) -> None:
    cases = [c for c in load_cases([repo / "evals"]) if c.suite == "rule-coverage"]
    rulebook = load_rulebook(repo / "rules")
    steps = {r.id: 0 for r in rulebook}
    for case in cases:
        rule = next(t.split(":", 1)[1] for t in case.tags if t.startswith("rule:"))
        steps[rule] += bool(case.expect.content.require)
    assert all(n >= 2 for n in steps.values()), [r for r, n in steps.items() if n < 2]
    triggers = {c.id for c in cases if "trigger" in c.tags}
    covered = sum(f"cover.{r.id}.trigger.{code}" in triggers for r in rulebook for code in r.triggers)
    assert covered / sum(len(r.triggers) for r in rulebook) >= 0.85


def test_cover_generates_verified_cases_for_one_rule(repo: Path, tmp_path: Path) -> None:
    from ae_coach.eval import generate_coverage

    coverage = generate_coverage(repo / "evals", rules=["deal-happy-ears"])
    assert coverage.gaps == []
    assert {c["id"] for c in coverage.cases} >= {"cover.deal-happy-ears.trigger.anti.happy_ears"}
    steps = [c for c in coverage.cases if "steps" in c["tags"]]
    assert all(c["expect"]["content"]["require"] for c in steps)
    assert sum(bool(c["expect"].get("content")) for c in coverage.cases) >= 2  # the rule's steps are checked


def test_drop_trigger_removes_one_code_only(repo: Path) -> None:
    text = (repo / "rules" / "deal-danger-signals.md").read_text(encoding="utf-8")
    front = yaml.safe_load(drop_trigger(text, "momentum.champion_dark").split("---")[1])
    assert "momentum.champion_dark" not in front["triggers"] and "momentum.stale" not in front["triggers"]
    assert len(front["triggers"]) == 8
