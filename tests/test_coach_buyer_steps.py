"""The drafted plan carries the buyer's own approval steps the record names, on the record's dates, and ends with
the signature after them (``ae_coach.coach._buyer_steps``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._buyer_steps import term_end
from ae_coach.coach.quality import audit
from ae_coach.deal import Deal, load_deal
from ae_coach.inspector.facts import derive

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = ROOT / "evals" / "calibration" / "deals"


def _plan(deal: Deal) -> list[Any]:
    return Coach("offline").review(deal).mutual_action_plan


def _signs(step: Any) -> bool:
    return step.kind == "signature" or any(w in step.action.lower() for w in ("signature", "signed", "signs"))


def test_the_cfos_january_capital_review_is_on_the_plan_and_the_signature_follows_it():
    plan = _plan(load_deal(CALIBRATION / "tinsley-foods-cfo-says-january.yaml"))
    review = next(s for s in plan if s.action == "Capital review")
    assert (review.date, review.side, review.status) == (dt.date(2027, 1, 4), "buyer", "proposed")
    assert review.owner.startswith("Greg Whitlock")  # the CFO who said it, the economic buyer
    # the record gives the month only: the date column says the month, never a day the buyer did not give
    assert review.date_precision == "month" and review.shown_date() == "2027-01 (month only)"
    signature = plan[-1]
    assert _signs(signature) and signature.date > review.date
    # planned on no invented day: it follows the capital review, and says so
    assert (signature.date_precision, signature.follows) == ("after", "Capital review")
    assert signature.shown_date() == "after Capital review (2027-01)" and "2027-01-04" not in (signature.note or "")
    # one signature row: the buyer's own 12-15, at risk, is the row the proposed one replaces
    assert [s.date for s in plan if s.action == "Signature"] == [signature.date]
    assert 'replaces "Signature" of 2026-12-15' in (signature.note or "")


def test_a_month_only_step_is_shown_as_the_month_in_chinese_too():
    from ae_coach.i18n import use

    plan = _plan(load_deal(CALIBRATION / "tinsley-foods-cfo-says-january.yaml"))
    review = next(s for s in plan if s.action == "Capital review")
    with use("zh"):
        assert review.shown_date() == "2027-01（仅月份）"
        assert plan[-1].shown_date() == "“Capital review”之后（2027-01）"


def test_the_buyers_written_sequence_redrafts_their_steps_without_moving_the_recorded_ones():
    plan = _plan(load_deal(CALIBRATION / "hakuyo-seimitsu-nda-before-security-review.yaml"))
    dated = {(s.date, s.action): s for s in plan}
    # the check sheet waits on the NDA, which is not signed: its recorded date is at risk, after the NDA's row
    sheet = dated[(dt.date(2026, 12, 4), "Security check sheet")]
    assert sheet.status == "at_risk" and "NDA" in (sheet.note or "")
    nda = next(i for i, s in enumerate(plan) if s.action == "NDA signed")
    assert nda < plan.index(sheet)
    # the buyer's steps are drafted again on the days their own sequence ends them (JP holidays, 12/29-1/5), one
    # row each: the recorded 12-15 and 12-22, which the sequence says cannot hold, are the dates they replace
    # after the NDA (12-01) and our answers to their 180-item check sheet (12-08), both ours, each with its time
    assert dated[(dt.date(2026, 12, 1), "NDA signed")].side == "seller"
    answers = dated[(dt.date(2026, 12, 8), "Return the completed security check sheet (180 items)")]
    assert (answers.side, answers.status) == ("seller", "proposed")
    assert dated[(dt.date(2027, 2, 2), "Security review sign-off")].owner.startswith("Ono Yuki")
    ringi = dated[(dt.date(2027, 2, 17), "Ringi approval")]
    assert ringi.owner.startswith("Ishikawa Masaru") and 'replaces "Ringi approval" of 2026-12-15' in (ringi.note or "")
    assert (plan[-1].action, plan[-1].status) == ("Contract signed", "proposed")
    assert plan[-1].date > dt.date(2027, 2, 17)
    rows = [(s.action.lower(), s.owner) for s in plan if s.status != "done"]
    assert len(rows) == len(set(rows))  # no step twice for one owner
    assert not any("finalise NDA" in s.action for s in plan)  # the next step is the NDA row, ours, not a second one


def test_a_gated_renewal_keeps_its_signature_as_the_last_step():
    plan = _plan(load_deal(ROOT / "examples" / "deals" / "wingtip-slipped.yaml"))
    last = plan[-1]
    assert (last.action, last.kind) == ("Signature of the renewal order form", "signature")
    assert 'replaces "Signature" of 2026-10-31' in (last.note or "")
    assert sum(1 for s in plan if s.kind == "signature") == 1


def _deal(summary: str, **extra: Any) -> Deal:
    """A proposal-stage deal whose CFO said ``summary`` on 2026-11-19 in a meeting, reviewed on 2026-12-01."""
    fields: dict[str, Any] = {
        "account": "Buyer Co",
        "amount": 120000,
        "stage": "proposal",
        "close_date": "2026-12-18",
        "as_of": "2026-12-01",
        "forecast_category": "best_case",
        "owner": "Sam Rep",
        "stakeholders": [
            {"name": "Ana Cruz", "title": "CFO", "role": "economic_buyer", "engaged": True,
             "last_contact": "2026-11-19"},
            {"name": "Ben Ode", "title": "Ops Director", "role": "champion", "engaged": True,
             "last_contact": "2026-11-25"},
        ],
        "activities": [
            {"date": "2026-11-19", "type": "meeting", "direction": "two_way", "with": ["Ana Cruz", "Ben Ode"],
             "summary": summary},
        ],
        "mutual_action_plan": [{"date": "2026-12-16", "action": "CFO signature", "owner": "customer",
                                "status": "planned"}],
    }  # fmt: skip
    fields.update(extra)
    return Deal.model_validate(fields)


@pytest.mark.parametrize(
    ("summary", "step"),
    [
        ("Ana liked the case. The board approval is on 2027-01-13 and she signs after it.", "Board approval"),
        ("Ana: spend this size needs the capital committee in February.", "Capital review"),
        ("Ana: budget release for the project happens on 2027-01-08.", "Budget release"),
    ],
)
def test_a_dated_approval_the_buyer_names_fires(summary, step):
    plan = _plan(_deal(summary))
    named = [s for s in plan if s.action == step]
    assert len(named) == 1 and named[0].status == "proposed"
    # the signature comes after the approval (a best case's plan may end with the kick-off on the signing day)
    signature = [p for p in plan if _signs(p)]
    assert signature and signature[-1].date > named[0].date
    assert not [p for p in audit(Coach("offline").review(_deal(summary)), _deal(summary)) if "plan step" in p]


@pytest.mark.parametrize(
    "summary",
    [
        "Ana: no board approval needed for this amount, it is within her limit, 2027-01-13 is fine.",
        "Ana thinks the board meets in January but isn't sure of the date.",
        "Ana: the board approval has to happen before the freeze on 2026-12-10.",  # a deadline, not the step's day
        "Ana: the board approval is this December.",  # the month under way gives no day to plan on
        "Ana liked the case and asked for the order form.",
    ],
)
def test_an_approval_without_a_day_ahead_or_ruled_out_stays_quiet(summary):
    plan = _plan(_deal(summary))
    assert not [s for s in plan if s.action in ("Board approval", "Capital review", "Budget release")]


def test_an_approval_already_on_the_plan_is_not_added_twice():
    deal = _deal(
        "Ana: the board meeting moves to 2026-12-15.",
        mutual_action_plan=[
            {"date": "2026-12-15", "action": "Board consent vote", "owner": "customer", "status": "planned"},
            {"date": "2026-12-16", "action": "CFO signature", "owner": "customer", "status": "planned"},
        ],
    )
    assert not [s for s in _plan(deal) if s.action == "Board approval"]


def test_a_renewal_signs_before_the_current_term_ends_when_the_record_dates_it():
    deal = _deal(
        "Ana is happy to renew the platform for another year.",
        situation="incumbent",
        name="Platform renewal",
        close_date="2027-02-26",
        notes="Current term ends 2027-01-29.",
        mutual_action_plan=[],
    )
    plan = _plan(deal)
    signatures = [s for s in plan if s.kind == "signature"]
    assert len(signatures) == 1 and signatures[0].action == "Signature of the renewal order form"
    assert dt.date(2026, 12, 1) < signatures[0].date < dt.date(2027, 1, 29)


@pytest.mark.parametrize(
    ("end", "signs"),
    [("2026-12-14", dt.date(2026, 12, 11)), ("2027-01-04", dt.date(2026, 12, 23))],  # 12-24..12-31 are days off
)
def test_a_drafted_signature_after_the_term_end_moves_before_it(end, signs):
    deal = _deal(
        "Ana is happy to renew the platform for another year.",
        situation="incumbent",
        name="Platform renewal",
        forecast_category="commit",
        close_date="2027-01-20",
        notes=f"Renewal expires {end}.",
        mutual_action_plan=[],
    )
    facts_end = term_end(deal, derive(deal, dt.date(2026, 12, 1)))
    assert facts_end is not None and facts_end[0] == dt.date.fromisoformat(end)
    signatures = [s for s in _plan(deal) if s.kind == "signature"]
    assert len(signatures) == 1 and signatures[0].date <= signs


def test_a_renewal_with_its_signature_before_the_term_end_is_left_alone():
    deal = _deal(
        "Ana is happy to renew the platform for another year.",
        situation="incumbent",
        name="Platform renewal",
        notes="Current term ends 2027-01-29.",
    )
    assert [(s.date, s.action) for s in _plan(deal) if _signs(s)] == [(dt.date(2026, 12, 16), "CFO signature")]
