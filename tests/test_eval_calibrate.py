"""Judge calibration on human-labelled answers: agreement figures for the keyword judge and the LLM judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.eval import JUDGE_MODEL, calibrate_judges
from ae_coach.eval._calibrate import cohen_kappa, load_labelled
from messages_server import json_message


@pytest.mark.parametrize(
    ("judged", "labels", "kappa"),
    [
        ([True, False, True, False], [True, False, True, False], 1.0),
        ([True, True, False, False], [True, False, True, False], 0.0),  # agreement at chance
        ([True, False], [False, True], -1.0),
        # 20 items: 15 agree; p_judge = 0.5, p_label = 0.5 -> chance 0.5 -> (0.75 - 0.5) / 0.5
        ([True] * 10 + [False] * 10, [True] * 8 + [False] * 2 + [False] * 7 + [True] * 3, 0.5),
    ],
)
def test_cohen_kappa(judged: list[bool], labels: list[bool], kappa: float) -> None:
    assert cohen_kappa(judged, labels) == pytest.approx(kappa)


def test_calibrate_runs_offline_on_the_labelled_set(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labelled = repo / "evals" / "judge-calibration" / "labelled.yaml"
    items = load_labelled(labelled)
    assert len(items) >= 70 and {i.label for i in items} == {"pass", "fail"}
    (keyword,) = calibrate_judges(labelled)
    assert keyword.judge == "keyword" and keyword.n == len(items) and not keyword.errors
    c = keyword.confusion
    assert c["tp"] + c["tn"] + c["fp"] + c["fn"] == len(items)
    assert keyword.accuracy == pytest.approx((c["tp"] + c["tn"]) / len(items))
    assert len(keyword.disagreements) == c["fp"] + c["fn"]
    assert main(["eval", "calibrate", str(labelled)]) == 0
    out = capsys.readouterr().out
    assert "| keyword | 74 |" in out and "Cohen's kappa" in out and f"LLM judge ({JUDGE_MODEL}) not run" in out


LABELLED = """
items:
  - id: a
    deal: {deal}
    question: Who signs?
    rubric: {{id: eb, pass: The answer says the economic buyer has not been met., keywords: [economic buyer]}}
    answer: You have not met the CFO yet; get the meeting.
    label: pass
  - id: b
    deal: {deal}
    question: Who signs?
    rubric: {{id: eb, pass: The answer says the economic buyer has not been met., keywords: [economic buyer]}}
    answer: Dana is the economic buyer, no need to meet anyone else.
    label: fail
"""


def test_the_llm_judge_is_measured_with_its_pinned_model(api, repo: Path, tmp_path: Path, capsys) -> None:
    labelled = tmp_path / "labelled.yaml"
    labelled.write_text(LABELLED.format(deal=repo / "evals" / "deals" / "champion-not-eb.yaml"), encoding="utf-8")
    verdict = {"items": [{"id": "eb", "reasoning": "r", "verdict": "pass"}]}
    server = api(json_message(verdict), json_message({"items": [{"id": "eb", "reasoning": "r", "verdict": "fail"}]}))
    code = main(["eval", "calibrate", str(labelled), "--format", "json", "--cache-dir", str(tmp_path / "c")])
    assert code == 0
    keyword, llm = json.loads(capsys.readouterr().out)
    assert keyword["accuracy"] == 0.0  # keywords on the wrong answer only: both wrong
    assert llm["judge"] == f"llm ({JUDGE_MODEL})" and llm["accuracy"] == 1.0 and llm["kappa"] == 1.0
    assert all(r.body["model"] == JUDGE_MODEL for r in server.requests)
