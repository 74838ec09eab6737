"""``ae-coach new``: a first deal file from piped answers, read back by the deal loader; bad answers are
usage errors naming the question."""

from __future__ import annotations

import io
import sys

import pytest

from ae_coach.cli import main
from ae_coach.deal import load_deal

FULL = [
    "Acme Corp",
    "Validation",
    "85k",
    "2027-01-29",
    "Dana Lee, VP Revenue Operations, champion",
    "Piet Jansen, CFO, economic buyer",
    "",
    "2026-11-20",
    "Reviewed the ROI model; Dana takes it to the CFO",
    "Dana Lee",
    "CFO review of the ROI",
    "2026-12-02",
]


def _new(monkeypatch, answers: list[str], *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(answers) + "\n"))
    return main(["new", *args])


def test_the_answers_become_a_deal_file_that_review_reads(monkeypatch, capsys, tmp_path):
    target = tmp_path / "acme.yaml"
    assert _new(monkeypatch, FULL, "-o", str(target)) == 0
    deal = load_deal(target)
    assert (deal.account, deal.stage, deal.amount, str(deal.close_date)) == (
        "Acme Corp",
        "validation",
        85_000,
        "2027-01-29",
    )
    assert [(s.name, s.role) for s in deal.stakeholders] == [
        ("Dana Lee", "champion"),
        ("Piet Jansen", "economic_buyer"),
    ]
    assert deal.activities[0].with_ == ["Dana Lee"]
    assert deal.next_step is not None and str(deal.next_step.date) == "2026-12-02"
    assert "ae-coach review" in capsys.readouterr().err
    assert main(["review", str(target), "--no-log", "-f", "json"]) == 0


def test_blank_answers_leave_the_fields_out(monkeypatch, capsys):
    assert _new(monkeypatch, ["Globex", "", "", "", "", "", ""]) == 0
    out = capsys.readouterr().out
    assert "account: Globex\nstage: discovery\n" in out and "amount" not in out and "stakeholders" not in out


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        (["Acme", "negotiation"], "Stage"),
        (["Acme", "proposal", "lots"], "Amount"),
        (["Acme", "proposal", "", "29/01/2027"], "close date"),
        (["Acme", "proposal", "", "", "Dana Lee, VP, sponsor"], "economic_buyer"),
        ([""], "Account"),
    ],
)
def test_a_bad_piped_answer_is_exit_2_naming_the_question(monkeypatch, capsys, answers, named):
    assert _new(monkeypatch, answers) == 2
    assert named in capsys.readouterr().err
