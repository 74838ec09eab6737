"""Content concepts (what the coaching says), citations, and examples that cannot find themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ae_coach.eval import RunOptions, Session, load_cases, run_eval
from ae_coach.eval._cases import Concept
from ae_coach.eval._graders import check_concept
from ae_coach.eval._targets import cited_in_text
from coach_deals import model_answer
from messages_server import json_message

REVIEW = """Headline
Action: Ask Dana to set up a meeting with the VP of Finance (owner Jordan, with Dana Lee (champion) by 2026-12-01) because x [deal-economic-buyer]
Ask Dana Lee: Who signed your last purchase of this size? [deal-economic-buyer]
Risk (high): Economic buyer not met [deal-economic-buyer]
"""


def concept(**kw: object) -> Concept:
    return Concept.model_validate({"concept": "c", **kw})


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ({"terms": ["meeting", "VP|economic buyer"], "where": "action"}, True),
        ({"terms": ["meeting", "VP"], "where": "question"}, False),  # said in an action, not a question
        ({"terms": ["meeting", "signed"]}, False),  # the terms must be said together, in one line
        ({"terms": ["signed"], "where": "question", "to": "Dana|champion"}, True),
        ({"terms": ["signed"], "where": "question", "to": "CFO"}, False),
        ({"terms": ["meeting"], "where": "action", "to": "champion"}, True),  # the action's contact
        ({"terms": ["meeting"], "rule": "deal-economic-buyer"}, True),
        ({"terms": ["meeting"], "rule": "deal-economic"}, False),  # a whole id, not a prefix
        ({"terms": ["not met"], "where": "risk"}, True),
    ],
)
def test_a_concept_is_said_when_one_line_holds_it(spec: dict, said: bool) -> None:
    assert check_concept(concept(**spec), REVIEW, forbid=False)["passed"] is said
    assert check_concept(concept(**spec), REVIEW, forbid=True)["passed"] is not said


def test_content_expectations_grade_the_offline_review(tmp_path: Path, repo: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(
        yaml.safe_dump(
            {
                "cases": [
                    {
                        "id": "eb",
                        "input": {"deal": str(repo / "evals" / "deals" / "champion-not-eb.yaml")},
                        "expect": {
                            "content": {
                                "require": [
                                    {"id": "eb-meeting", "concept": "meet the EB", "terms": ["economic buyer"]}
                                ],
                                "forbid": [
                                    {"id": "commit", "concept": "calls it commit", "terms": ["Forecast: commit"]}
                                ],
                            }
                        },
                    }
                ]
            }
        )
    )
    case = load_cases([suite])[0]
    assert case.target == "coach" and case.expect.count() == 2
    result = run_eval(Session(suites=[str(suite)], runs_dir=tmp_path))
    items = {(i["kind"], i["name"]): i["pass_rate"] for i in result.cases[0].items}
    assert items == {("content.require", "eb-meeting"): 1.0, ("content.forbid", "commit"): 1.0}


def test_with_a_key_the_judge_grades_the_concept_not_the_terms(api, tmp_path: Path) -> None:
    suite = tmp_path / "live.yaml"
    suite.write_text(
        """
cases:
  - id: live
    input: {deal: {account: Northwind, stage: validation, amount: 120000, as_of: 2026-11-26}}
    expect:
      content:
        require: [{id: eb, concept: The review asks for a meeting with the economic buyer, terms: [zzz-never-said]}]
""",
        encoding="utf-8",
    )
    verdict = {"items": [{"id": "require.eb", "reasoning": "asks for the CFO meeting", "verdict": "pass"}]}
    server = api(json_message(model_answer()), json_message(verdict))
    options = RunOptions(backend="anthropic", judge="llm", concurrency=1, cache_dir=tmp_path / "cache")
    result = run_eval(Session(suites=[str(suite)], options=options, runs_dir=tmp_path))
    assert result.cases[0].passed, result.cases[0].items
    assert result.cases[0].items[0]["kind"] == "content.require"
    prompt = server.requests[1].body["messages"][0]["content"]
    assert "a meeting with the economic buyer" in prompt


def test_cited_counts_bracketed_ids_not_mentions_in_quoted_rule_prose() -> None:
    text = (
        "[deal-danger-signals] Act on every danger signal\n"
        "  Learn why they joined and meet them (relationship-late-stakeholders)\n"
        "Next step: ask why. [deal-economic-buyer, pipeline-commit-gate]"
    )
    ids = ["deal-danger-signals", "relationship-late-stakeholders", "deal-economic-buyer", "pipeline-commit-gate"]
    assert cited_in_text(text, ids) == ["deal-danger-signals", "deal-economic-buyer", "pipeline-commit-gate"]


def test_rule_examples_run_without_their_own_text_and_known_gaps_are_still_gaps(repo: Path, tmp_path: Path) -> None:
    cases = [c for c in load_cases([repo / "evals"]) if c.suite == "rule-examples"]
    assert cases and all(c.input.hide_examples for c in cases)
    spec = yaml.safe_load((repo / "evals" / "rule-examples.yaml").read_text(encoding="utf-8"))["from_examples"]
    gaps = spec.pop("known_gaps")
    assert not {c.id for c in cases} & set(gaps)
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "rule-examples.yaml").write_text(
        (repo / "evals" / "examples" / "rule-examples.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    suite = tmp_path / "gaps.yaml"
    examples = yaml.safe_load((tmp_path / "examples" / "rule-examples.yaml").read_text(encoding="utf-8"))
    keep = [e for e in examples["cases"] if e["id"] in gaps]
    (tmp_path / "examples" / "rule-examples.yaml").write_text(yaml.safe_dump({"cases": keep}), encoding="utf-8")
    suite.write_text(yaml.safe_dump({"from_examples": spec}), encoding="utf-8")
    result = run_eval(Session(suites=[str(suite)], runs_dir=tmp_path / "runs"))
    found_again = [c.id for c in result.cases if c.passed]
    assert found_again == [], f"retrieval now finds these: remove them from known_gaps: {found_again}"
    assert len(result.cases) == len(gaps)
