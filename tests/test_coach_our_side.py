"""What a blind VP grade of the offline reviews found (Hakuyo, Yarrabee): the paper held up on our own side is said
as ours, a close date moved past the buyer's lead time keeps slack after its floor, no question asks for a step the
buyer's order puts after a document not yet signed, budget words corroborate the budget, and a meeting the
champion booked with the signer is prepared with the champion instead of gone around."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal, parse_deal
from ae_coach.deal.calendar import calendar_for
from ae_coach.i18n import use
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from ae_coach.inspector.settings import Settings
from ae_coach.inspector.text import Signal, detect
from analysis_builders import activity, with_activities

ROOT = Path(__file__).resolve().parents[1]
HAKUYO = ROOT / "evals/calibration/deals/hakuyo-seimitsu-nda-before-security-review.yaml"
YARRABEE = ROOT / "evals/calibration/deals/yarrabee-mining-cfo-seconded-interim.yaml"
AS_OF = dt.date(2026, 11, 26)


def _said(summary: str, date: str = "2026-11-24", direction: str = "two_way") -> dict:
    return activity(date, "email", summary, direction=direction, **{"with": ["Dana Lee"]})


# ------------------------------------------------------------------------------------------- whose side


@pytest.mark.parametrize(
    ("summaries", "team"),
    [
        (["Redlines back from Dana. Sent to our legal 11/13, our legal says they'll look again next week."], "legal"),
        (["Still waiting on our deal desk for the multi-year discount approval."], "deal_desk"),
        (["Our product team won't accept the uptime credit they asked for."], "product"),
        (["客户的修改意见已经转给我方法务，我方法务还在审。"], "legal"),
        # our team answered since, or the item went to the buyer's side: nothing held on ours
        (["Forwarded to our legal.", "Our legal responded same day, accepted 6 of 9 points."], None),
        (["Forwarded to our legal.", "Redline now with their legal."], None),
        # the buyer speaking: their "our" is theirs
        (["Dana: approved on my side. Our lawyers have the MSA, comments by 11 Dec."], None),
        (["Dana: 'our legal will not change our NDA template'."], None),
    ],
)
def test_an_item_held_on_our_side_is_read_from_the_record(summaries: list[str], team: str | None) -> None:
    items = [
        _said(s, f"2026-11-{20 + i}", "inbound" if s.startswith("Dana:") else "outbound")
        for i, s in enumerate(summaries)
    ]
    timing = derive(parse_deal(with_activities(*items)), AS_OF).timing
    assert timing.held_by_team == team
    assert bool(timing.held_by_us) == (team is not None)


@pytest.mark.parametrize(("lang", "ours"), [("en", "our legal"), ("zh", "我方法务")])
def test_paper_held_by_our_legal_is_ours_in_the_headline_and_what_decides(lang: str, ours: str) -> None:
    with use(lang):
        report = Coach("offline").review(load_deal(HAKUYO))
    assert report.decides is not None and ours in report.decides
    assert ours in report.headline
    assert "buyer's own paper process" not in report.decides and "买方自己的合同流程" not in report.decides
    paper = next(a for a in report.next_actions if "meddpicc.paper_process" in a.finding_codes)
    assert paper.owner.endswith(("legal", "法务")) and paper.due is not None


# ------------------------------------------------------------------------------------------- slack


@pytest.mark.parametrize("slack", [10, 0])
def test_a_close_date_moved_past_the_buyers_lead_time_keeps_slack_after_the_floor(slack: int) -> None:
    deal = load_deal(HAKUYO)
    settings = Settings(close_slack_days=slack)
    timing = assess(deal, settings=settings).facts.timing
    assert timing.sequence_ends == dt.date(2027, 2, 17)
    assert timing.close_with_slack == calendar_for(settings, deal).add(timing.sequence_ends, slack)
    report = Coach("offline", settings=settings).review(deal)
    crm = report.next_actions[0].action
    assert f"-> {timing.close_with_slack}" in crm
    assert ("no earlier than 2027-02-17" in crm) == (slack > 0)


# ------------------------------------------------------------------------------------------- order


def test_no_question_asks_for_a_step_the_buyers_order_puts_after_an_unsigned_document() -> None:
    report = Coach("offline").review(load_deal(HAKUYO))
    technical = "Ono Yuki"  # Information Systems security: their check sheet comes only after the NDA
    assert report.questions
    assert not any(technical in q.question or "working session" in q.question for q in report.questions)


# ------------------------------------------------------------------------------------------- budget


@pytest.mark.parametrize(
    ("words", "budget"),
    [
        ("Glenn: 'If the pilot lands I'll back it, it's in the opex envelope for Sarah's team.'", True),
        ("It's in this year's plan.", True),
        ("That is within my sign-off.", True),
        ("预算内，可以直接走流程。", True),
        ("这个项目已列入预算。", True),
        ("It is not in the budget.", False),
        ("Is it in the budget?", False),
    ],
)
def test_budget_statements_corroborate_the_budget(words: str, budget: bool) -> None:
    assert (Signal.BUDGET_CONFIRMED in detect(words)) == budget


def test_an_opex_envelope_meets_budget_range_known() -> None:
    stage = next(f for f in assess(load_deal(YARRABEE)).findings if f.code == "stage.unearned")
    assert "budget range known" not in stage.data["unmet"]


# ------------------------------------------------------------------------------------------- champion's meeting


def test_the_champions_meeting_with_the_signer_is_prepared_not_gone_around() -> None:
    for lang in ("en", "zh"):
        with use(lang):
            report = Coach("offline").review(load_deal(YARRABEE))
        sponsor = [
            a
            for a in report.next_actions
            if "executive_sponsor" in a.owner or "sponsor" in a.owner or "高管" in a.owner
        ]
        assert not sponsor, lang
        signer = [i for i, a in enumerate(report.next_actions) if "meddpicc.economic_buyer" in a.finding_codes]
        assert signer, lang
        first = report.next_actions[signer[0]]
        assert first.contact is not None and first.contact.startswith("Sarah Mitchell"), lang
        assert first.due is not None and first.due < dt.date(2026, 12, 8)
