"""What decides a deal when it sits in free text: a must-have we refused, a document the buyer's process waits on,
an approving body on its own calendar; each read in English and Chinese, and each quiet for a negation, a later
word that resolves it, or a supposition."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from ae_coach.i18n import use
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from analysis_builders import activity, by_code, with_activities

AS_OF = dt.date(2026, 11, 26)


def _deal(*items: dict, notes: str | None = None):
    data = with_activities(*items)
    if notes is not None:
        data["notes"] = notes
    return parse_deal(data)


def _said(summary: str, date: str = "2026-11-24", kind: str = "call") -> dict:
    return activity(date, kind, summary, direction="two_way", **{"with": ["Dana Lee"]})


# ------------------------------------------------------------------------------------------- a must-have we refused

REQUIRE = _said("Omar: on-prem is a hard requirement, they cannot go to cloud.", "2026-10-30")


@pytest.mark.parametrize(
    "refusal",
    [
        "Asked product again: the product refused on-prem twice this year.",
        "On-prem was refused by product for the second time.",
        "We don't offer an on-prem install and it is not on our roadmap.",
        "产品团队两次拒绝了私有化部署。",
        "我们不支持私有化部署。",
    ],
)
def test_a_must_have_we_refused_is_a_poor_fit(refusal: str) -> None:
    deal = _deal(REQUIRE, notes=refusal)
    assert derive(deal, AS_OF).unfit
    assessment = assess(deal)
    assert by_code(deal)["account.poor_fit"].severity is Severity.HIGH
    assert str(assessment.recommended_forecast) == "omitted"


@pytest.mark.parametrize(
    ("notes", "later"),
    [
        ("If they ever need on-prem, we don't offer an on-prem install.", None),  # a supposition
        ("Their product team declined the workshop.", None),  # their side, not ours
        ("On-prem was declined by the customer: they are fine with cloud.", None),
        ("Product refused on-prem in June.", "Product has agreed to an on-prem edition for them."),  # resolved later
        ("产品团队两次拒绝了私有化部署。", "产品团队已经同意做私有化版本。"),
        ("如果他们需要私有化，我们不支持私有化部署。", None),
    ],
)
def test_a_refusal_that_is_supposed_theirs_or_answered_is_no_poor_fit(notes: str, later: str | None) -> None:
    items = [REQUIRE] + ([_said(later, "2026-11-20")] if later else [])
    deal = _deal(*items, notes=notes if later is None else "Strong deal.")
    if later is not None:  # the refusal dated before the answer
        deal = _deal(REQUIRE, _said(notes, "2026-11-02"), _said(later, "2026-11-20"))
    assert derive(deal, AS_OF).unfit is None
    assert "account.poor_fit" not in by_code(deal)


def test_a_failed_must_have_said_in_chinese_is_read() -> None:
    deal = _deal(_said("Dana：第4项标准未通过，实时同步不达标，没有它不会签。"))
    finding = by_code(deal)["meddpicc.decision_criteria"]
    assert finding.data.get("failed")
    passed = _deal(_said("Dana：第4项标准未通过。"), _said("Dana：复测已经通过了。", "2026-11-25"))
    assert not by_code(passed).get("meddpicc.decision_criteria") or not by_code(passed)[
        "meddpicc.decision_criteria"
    ].data.get("failed")


# ------------------------------------------------------------------------------------------- a document signed first


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: the confidentiality deed is not signed, so their evaluation clock has not started.",
        "Omar can't share the data until the NDA is signed.",
        "Bronwyn: 'Before I can start I need your certificates of currency and the signed deed of confidentiality.'",
        "Dana说保密协议还没签，评估还没开始。",
        "Dana：签署保密协议之前不能开始测试。",
    ],
)
def test_a_document_the_buyers_process_waits_on_blocks_commit(summary: str) -> None:
    deal = _deal(_said(summary))
    assert derive(deal, AS_OF).timing.precondition
    finding = by_code(deal)["meddpicc.paper_process"]
    assert finding.severity is Severity.HIGH
    assert finding.data["stuck"].startswith("the buyer's process waits on a document not yet signed")
    assessment = assess(deal)
    assert str(assessment.recommended_forecast) != "commit"
    assert any("document not yet signed" in line for line in assessment.why_not_commit)
    report = Coach("offline").review(deal)
    assert any("meddpicc.paper_process" in a.finding_codes and "signed" in a.action for a in report.next_actions)


@pytest.mark.parametrize(
    ("said", "later"),
    [
        ("NDA signed 11-20, so the evaluation can start.", None),  # signed: no blocker
        ("If they need an NDA we can send ours before the trial.", None),  # a supposition
        ("NDA not signed yet.", None),  # routine paperwork: nothing said to wait on it
        ("Dana: the NDA is not signed, so their evaluation clock has not started.", "NDA countersigned today."),
        ("Dana说保密协议还没签，评估还没开始。", "保密协议已经签好了。"),
    ],
)
def test_a_document_signed_supposed_or_blocking_nothing_is_no_blocker(said: str, later: str | None) -> None:
    items = [_said(said, "2026-11-10")] + ([_said(later, "2026-11-20")] if later else [])
    deal = _deal(*items)
    assert derive(deal, AS_OF).timing.precondition is None
    assert not by_code(deal).get("meddpicc.paper_process")


# ------------------------------------------------------------------------------------------- a body on its own calendar


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: the council's procurement rules require cabinet approval, which meets on fixed dates.",
        "Anything over 100k needs board approval; the board meets quarterly.",
        "Dana说这个采购需要上常委会审批，常委会每月开一次。",
    ],
)
def test_an_approval_body_with_no_sitting_dated_is_no_dated_decision(summary: str) -> None:
    deal = _deal(_said(summary))
    assert derive(deal, AS_OF).timing.approval_undated
    finding = by_code(deal)["meddpicc.decision_process"]
    assert finding.severity is Severity.HIGH
    assessment = assess(deal)
    assert str(assessment.recommended_forecast) == "pipeline"
    with use("zh"):
        assert "开会的机构" in " ".join(assess(deal).forecast_reasons)


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: cabinet approval is required; cabinet meets on fixed dates and we are on the 9 December agenda.",
        "If it needs board approval, the board meets quarterly.",
        "Board approval is not needed below 200k.",
    ],
)
def test_an_approval_body_dated_supposed_or_not_needed_is_quiet(summary: str) -> None:
    deal = _deal(_said(summary))
    assert derive(deal, AS_OF).timing.approval_undated is None


@pytest.mark.parametrize(
    ("summary", "kind", "zh"),
    [
        (
            "Dana: the confidentiality deed is not signed, so their evaluation clock has not started.",
            "precondition",
            "还没签",
        ),
        ("Dana说这个采购需要上常委会审批，常委会每月开一次。", "approval_undated", "开会的机构"),
    ],
)
def test_the_blocker_leads_the_review_and_names_what_decides(summary: str, kind: str, zh: str) -> None:
    deal = _deal(_said(summary))
    code = "meddpicc.paper_process" if kind == "precondition" else "meddpicc.decision_process"
    report = Coach("offline").review(deal)
    assert code in report.risks[0].finding_codes
    due = next(a.due for a in report.next_actions if code in a.finding_codes)
    assert report.decides is not None and str(due) in report.decides
    with use("zh"):
        zh_report = Coach("offline").review(deal)
        assert zh in zh_report.risks[0].title and str(due) in (zh_report.decides or "")


def test_a_meeting_rhythm_in_the_next_sentence_is_not_the_approving_bodys_calendar() -> None:
    from ae_coach.deal import parse_deal
    from ae_coach.inspector.facts import derive
    from analysis_builders import activity, with_activities

    said = "Purchase needs board approval. We agreed to meet monthly with Priya until go-live."
    deal = parse_deal(
        with_activities(activity("2026-11-20", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    )
    assert derive(deal, deal.as_of).timing.approval_undated is None
    goes_on = "Purchase needs board approval. It only meets quarterly and the next date is not set."
    deal = parse_deal(
        with_activities(activity("2026-11-20", "call", goes_on, direction="two_way", **{"with": ["Dana Lee"]}))
    )
    assert derive(deal, deal.as_of).timing.approval_undated is not None
