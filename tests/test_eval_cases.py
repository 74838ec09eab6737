"""The eval case format: YAML suites, skill-creator's evals.json, generated example cases, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.eval import SuiteFileError, filter_cases, load_cases
from ae_coach.eval._targets import resolve_deal

DEAL = {"account": "Acme", "stage": "discovery", "as_of": "2026-11-26"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_target_defaults_to_the_cheapest_that_grades_every_expectation(tmp_path: Path) -> None:
    suite = write(
        tmp_path / "s.yaml",
        """
cases:
  - id: a
    input: {deal: {account: Acme, stage: discovery}}
    expect: {findings: {fire: [meddpicc.champion]}}
  - id: b
    input: {deal: {account: Acme, stage: discovery}}
    expect: {rules: {selected: [deal-identified-pain]}}
  - id: c
    input: {deal: {account: Acme, stage: discovery}, question: "Who signs?"}
    expectations: {rubric: [{id: r1, pass: Names the economic buyer}]}
""",
    )
    cases = load_cases([suite])
    assert [c.target for c in cases] == ["inspector", "selection", "coach"]
    assert cases[0].suite == "s" and cases[0].split == "dev"


@pytest.mark.parametrize(
    ("body", "case", "field", "fragment"),
    [
        (
            "- id: x\n  input: {deal: {account: A, stage: discovery}}\n  expect: {findings: {fire: [a]}, bogus: 1}",
            "x",
            "expect.bogus",
            "Extra inputs",
        ),
        (
            "- id: x\n  split: test\n  input: {deal: {account: A, stage: discovery}}\n  expect: {findings: {fire: [a]}}",
            "x",
            "split",
            "dev",
        ),
        (
            "- id: x\n  input: {deal: {account: A, stage: discovery}}\n  expect: {checks: [{contains: a, max_words: 3}]}",
            "x",
            "expect.checks.0",
            "exactly one",
        ),
        (
            "- id: x\n  target: inspector\n  input: {deal: {account: A, stage: discovery}}\n  expect: {checks: [{contains: a}]}",
            "x",
            None,
            "need 'coach'",
        ),
        ("- id: x\n  input: {deal: missing.yaml}\n  expect: {findings: {fire: [a]}}", "x", "input.deal", "not found"),
        (
            "- id: x\n  input: {deal: {account: A, stage: discovery}}\n  expect: {}",
            "x",
            None,
            "at least one expectation",
        ),
        (
            "- id: x\n  input: {deal: {account: A, stage: discovery}}\n  expect: {checks: [{regex: '('}]}",
            "x",
            "expect.checks.0",
            "invalid regex",
        ),
    ],
)
def test_bad_cases_name_file_case_and_field(
    tmp_path: Path, body: str, case: str, field: str | None, fragment: str
) -> None:
    suite = write(tmp_path / "bad.yaml", "cases:\n" + "\n".join("  " + line for line in body.splitlines()))
    with pytest.raises(SuiteFileError) as info:
        load_cases([suite])
    message = str(info.value)
    assert str(suite) in message and f"case {case!r}" in message and fragment in message
    if field:
        assert field in message
    assert info.value.exit_code == 2


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    case = "  - id: same\n    input: {deal: {account: A, stage: discovery}}\n    expect: {findings: {fire: [a]}}\n"
    suite = write(tmp_path / "dup.yaml", "cases:\n" + case + case)
    with pytest.raises(SuiteFileError, match="duplicate case id"):
        load_cases([suite])


def test_cli_reports_a_bad_suite_with_exit_2_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = write(tmp_path / "bad.yaml", "cases:\n  - id: x\n    split: nope\n    expect: {findings: {fire: [a]}}\n")
    assert main(["eval", "run", str(suite), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml case 'x': split" in err and "Traceback" not in err


def test_skill_creator_evals_json_maps_prompt_and_expectations(tmp_path: Path) -> None:
    write(tmp_path / "deal.yaml", "account: Acme\nstage: validation\n")
    suite = write(
        tmp_path / "evals.json",
        json.dumps(
            {
                "skill_name": "ae coach",
                "evals": [
                    {
                        "id": 1,
                        "prompt": "Who signs this deal?",
                        "expected_output": "Names the EB gap",
                        "files": ["deal.yaml"],
                        "expectations": ["Says the economic buyer is unknown"],
                    },
                    {
                        "id": "two",
                        "prompt": "How do I multi-thread?",
                        "assertions": [{"text": "Suggests a second contact"}],
                    },
                ],
            }
        ),
    )
    first, second = load_cases([suite])
    assert first.id == "ae-coach.1" and first.target == "coach"
    assert first.input.question == "Who signs this deal?" and first.description == "Names the EB gap"
    assert [(r.id, r.pass_) for r in first.expect.rubric] == [("e1", "Says the economic buyer is unknown")]
    assert resolve_deal(first).account == "Acme"
    assert second.expect.rubric[0].pass_ == "Suggests a second contact"
    assert resolve_deal(second).stage.value == "discovery"  # no deal file: an empty discovery deal


def test_from_examples_turns_each_exported_example_into_a_chat_case(tmp_path: Path) -> None:
    write(
        tmp_path / "ex.yaml",
        """
cases:
  - {id: example.deal-happy-ears.1, rule: deal-happy-ears, kind: bad, caption: Deal note, text: "They love us!"}
  - {id: example.deal-happy-ears.2, rule: deal-happy-ears, kind: good, caption: '', text: "EB confirmed budget in writing"}
""",
    )
    suite = write(
        tmp_path / "s.yaml",
        """
from_examples:
  path: ex.yaml
  deal: {account: Example, stage: discovery}
  question: "Look at this {caption}: {text}"
""",
    )
    bad, good = load_cases([suite])
    assert bad.id == "example.deal-happy-ears.1" and bad.split == "holdout" and good.split == "dev"
    assert bad.input.question == "Look at this Deal note: They love us!"
    assert bad.expect.rules.cited == ["deal-happy-ears"] and bad.target == "coach"


def test_patch_deep_merges_into_the_deal_file(tmp_path: Path) -> None:
    write(
        tmp_path / "deal.yaml",
        "account: Acme\nstage: proposal\nmeddpicc:\n  champion: {status: confirmed, evidence: Dana}\n"
        "  metrics: {status: confirmed, evidence: '5% cost'}\n",
    )
    suite = write(
        tmp_path / "s.yaml",
        """
cases:
  - id: p
    input:
      deal: deal.yaml
      as_of: 2026-11-26
      patch: {meddpicc: {champion: {status: unknown, evidence: null}}}
    expect: {findings: {fire: [meddpicc.champion]}}
""",
    )
    deal = resolve_deal(load_cases([suite])[0])
    assert deal.meddpicc.champion.status.value == "unknown" and deal.meddpicc.champion.evidence is None
    assert deal.meddpicc.metrics.evidence == "5% cost"  # untouched keys survive the merge
    assert str(deal.as_of) == "2026-11-26" and deal.id == "deal"


def test_filters_by_split_and_tag(repo: Path) -> None:
    cases = load_cases([repo / "evals"])
    holdout = filter_cases(cases, split="holdout")
    assert holdout and all(c.split == "holdout" for c in holdout)
    tricky = filter_cases(cases, tags=["tricky"])
    assert tricky and all("tricky" in c.tags for c in tricky)


def test_the_shipped_suite_is_large_and_covers_every_target(repo: Path) -> None:
    cases = load_cases([repo / "evals"])
    own = [c for c in cases if not c.id.startswith("example.")]
    assert len(own) >= 60
    assert {c.target for c in own} == {"inspector", "selection", "coach"}
    assert {c.split for c in own} == {"dev", "holdout"}
    assert any(c.input.question for c in own) and any(not c.input.question and c.target == "coach" for c in own)
    tricky = {c.id for c in own if "tricky" in c.tags}
    for needle in (
        "champion-not-economic-buyer",
        "title-without-authority",
        "status-quo",
        "rep-asserted-metrics",
        "instruct",
        "healthy",
    ):
        assert any(needle in cid for cid in tricky), needle
    assert any(c.id.startswith("example.") for c in cases)
