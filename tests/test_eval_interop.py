"""Interop: promptfoo and inspect-style results JSON, skill-creator's evals.json layout and round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.eval import Session, load_cases, render, run_eval, to_evals_json


@pytest.fixture(scope="module")
def run_result(tmp_path_factory: pytest.TempPathFactory):
    from ae_coach.resources import project_root

    suite = project_root() / "evals" / "chat.yaml"
    return run_eval(Session(suites=[str(suite)], runs_dir=tmp_path_factory.mktemp("runs")))


def test_promptfoo_results_json(run_result) -> None:
    data = json.loads(render(run_result, "promptfoo"))
    results = data["results"]
    assert results["version"] == 3 and len(results["results"]) == len(run_result.cases)
    first, case = results["results"][0], run_result.cases[0]
    assert first["testCase"]["vars"]["case"] == case.id and first["success"] is case.passed
    assert first["score"] == case.score and first["response"]["output"] == case.output
    components = first["gradingResult"]["componentResults"]
    assert [c["assertion"]["value"] for c in components] == [i["name"] for i in case.items]
    assert results["stats"]["successes"] == run_result.totals["passed"]


def test_inspect_eval_log(run_result) -> None:
    data = json.loads(render(run_result, "inspect"))
    assert data["status"] == "success" and data["eval"]["dataset"]["samples"] == len(run_result.cases)
    metrics = data["results"]["scores"][0]["metrics"]
    assert metrics["accuracy"]["value"] == run_result.totals["passed"] / run_result.totals["cases"]
    sample = data["samples"][0]
    assert sample["id"] == run_result.cases[0].id and sample["scores"]["ae_coach"]["value"] in ("C", "I")


EVALS_JSON = {
    "skill_name": "ae-coach",
    "evals": [
        {
            "id": 1,
            "prompt": "Who signs this deal?",
            "expected_output": "Names the economic buyer gap.",
            "files": ["evals/files/deal.yaml"],
            "expectations": ["The answer says the economic buyer has not been met."],
        },
        {
            "id": 2,
            "prompt": "Should I discount?",
            "expected_output": "",
            "files": [],
            "expectations": ["The answer ties any concession to something in return."],
        },
    ],
}


def test_skill_creators_documented_layout_loads_and_round_trips(repo: Path, tmp_path: Path, capsys) -> None:
    skill = tmp_path / "my-skill"
    (skill / "evals" / "files").mkdir(parents=True)
    shutil.copy(repo / "evals" / "deals" / "champion-not-eb.yaml", skill / "evals" / "files" / "deal.yaml")
    evals_json = skill / "evals" / "evals.json"
    evals_json.write_text(json.dumps(EVALS_JSON), encoding="utf-8")
    cases = load_cases([evals_json])  # `files` is relative to the skill root, not to evals/
    assert [c.id for c in cases] == ["ae-coach.1", "ae-coach.2"]
    assert cases[0].deal_path() == (skill / "evals" / "files" / "deal.yaml").resolve()
    assert to_evals_json(cases, evals_json, "ae-coach") == EVALS_JSON
    assert main(["eval", "run", str(evals_json), "--runs-dir", str(tmp_path / "runs"), "--fail-under", "0"]) == 0
    out = tmp_path / "out" / "evals" / "evals.json"
    out.parent.mkdir(parents=True)
    code = main(["eval", "export", str(evals_json), "--skill-name", "ae-coach", "-o", str(out)])
    assert code == 0
    exported = json.loads(out.read_text())
    assert exported["evals"][0]["files"] == ["../my-skill/evals/files/deal.yaml"]
    assert exported["evals"][1] == EVALS_JSON["evals"][1]
