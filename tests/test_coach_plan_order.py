"""The drafted plan agrees with the buyer's own plan and with the review: nothing a buyer's step needs is drafted
after it, a hold at the buyer holds the paper, a signature the record puts after the quarter says so, and a missed
step of ours is ours to rebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._plan import draft_plan
from ae_coach.deal import load_deal
from ae_coach.deal.calendar import calendar_for
from ae_coach.i18n import t, use
from ae_coach.rules import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = ROOT / "evals" / "calibration" / "deals"
EXAMPLES = ROOT / "examples" / "deals"


@pytest.fixture(scope="module")
def coach():
    return Coach("offline", rulebook=load_rulebook())


def _review(coach, path: Path):
    deal = load_deal(path)
    return deal, coach.run_review(deal)


@pytest.mark.parametrize(
    ("name", "buyer_step"),
    [
        ("glenrock-credit-redlines-one-contact", "CEO signature"),  # procurement was drafted after it
        ("kestrel-freight-new-signer-in-po-workflow", "PO approved and issued"),  # sign-off and redlines after it
        ("para-meridian-dental-small-commit", "Sign at partners' mtg"),  # a second signature beside it
        ("lowmoor-foods-commit-thin-crm", "Order form signature"),
    ],
)
def test_nothing_the_buyers_own_step_needs_is_drafted_on_or_after_it(coach, name, buyer_step):
    _, result = _review(coach, CALIBRATION / f"{name}.yaml")
    plan = result.report.mutual_action_plan
    own = next(s for s in plan if s.kind == "agreed" and s.action == buyer_step)
    drafted = [s for s in plan if s.kind in ("evaluation", "decision", "paper", "signature")]
    late = [(s.date, s.action) for s in drafted if s.date >= own.date]
    assert not late or own.status == "at_risk", late
    assert not any(s.kind == "signature" for s in plan), "the buyer's own signature is the plan's signature"


def test_a_check_of_what_remains_names_the_buyers_step_it_has_to_beat(coach):
    _, result = _review(coach, CALIBRATION / "eko-broadband-no-discount-left.yaml")
    check = next(s for s in result.report.mutual_action_plan if s.kind != "agreed" and s.date == dt.date(2026, 12, 3))
    assert '"Negotiation with procurement"' in check.action and "2026-12-08" in check.action


def test_a_purchase_order_on_the_buyers_signature_step_is_not_drafted_again(coach):
    _, result = _review(coach, CALIBRATION / "cobalt-mutual-q3-commit.yaml")  # "Order form signature and PO"
    assert not any(s.kind == "paper" for s in result.report.mutual_action_plan)


def test_the_contract_goes_out_before_the_buyers_legal_review_of_it(coach):
    _, result = _review(coach, CALIBRATION / "para-sequoia-labs-quiet-champion.yaml")
    plan = result.report.mutual_action_plan
    legal = next(s for s in plan if s.action == "Redlines from legal")
    contract = next(s for s in plan if s.action.startswith("Send the order form"))
    assert contract.date < legal.date
    assert legal.status == "planned"


def test_a_buyer_step_with_no_room_before_it_is_at_risk_and_says_why(coach):
    deal = load_deal(CALIBRATION / "kestrel-freight-new-signer-in-po-workflow.yaml")
    # without a call that holds the date the drafted steps stay steps: the PO they cannot beat is at risk
    plan = draft_plan(deal, deal.as_of, calendar_for(None, deal), call_holds=False)
    po = next(s for s in plan if s.action == "PO approved and issued")
    drafted = [s for s in plan if s.kind in ("paper", "decision") and s.date >= po.date]
    assert not drafted or (po.status == "at_risk" and "security review" in (po.note or ""))


def test_a_renewals_paper_keeps_moving_under_the_news_at_the_buyer(coach):
    """Wingtip renews our contract: the reorganisation holds only the expansion (blind VP grade 16: holding the
    renewal's paper lets existing revenue lapse); the answer's date is still the rep's own deadline."""
    _, result = _review(coach, EXAMPLES / "wingtip-slipped.yaml")
    report = result.report
    assert "2026-12-11" in (report.decides or "")  # the day the meeting with Greta is held by (row 1), not before it
    legal = next(s for s in report.mutual_action_plan if s.action == "Legal review")
    assert "only the expansion waits for Greta Holm's answer" in (legal.note or "")
    assert not any("held:" in (s.note or "") for s in report.mutual_action_plan)


QUENMORE = EXAMPLES.parent.parent / "evals" / "calibration" / "deals" / "quenmore-outdoor-budget-2027.yaml"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_paper_steps_are_held_until_the_answer_on_the_news_at_the_buyer(lang: str) -> None:
    """Quenmore (no renewal): a freeze at the buyer holds the paper until the signer's answer, said once."""
    report = Coach("offline", lang=lang).review(load_deal(QUENMORE))
    with use(lang):
        held = t("plan.held", name="Graham Sutter", date=dt.date(2026, 12, 9))
        again = t("plan.held_again", name="Graham Sutter")
    notes = [s.note or "" for s in report.mutual_action_plan]
    assert sum(held in n for n in notes) == 1 and any(again in n for n in notes)
    assert all(s.status == "at_risk" for s in report.mutual_action_plan if held in (s.note or ""))


@pytest.mark.parametrize(
    ("name", "action", "reason"),
    [
        ("tinsley-foods-cfo-says-january", "Signature", "January capital review"),  # the buyer's word
        ("hakuyo-seimitsu-nda-before-security-review", "Contract signed", "2027-02-17"),  # their own sequence of steps
    ],
)
def test_a_signature_the_record_puts_after_the_quarter_says_why(coach, name, action, reason):
    _, result = _review(coach, CALIBRATION / f"{name}.yaml")
    assert str(result.assessment.recommended_forecast) == "omitted"
    end = result.assessment.period.end
    signatures = [s for s in result.report.mutual_action_plan if s.action == action]
    # one row: the buyer's in-quarter date is the one the later, proposed signature replaces, and it says why
    assert len(signatures) == 1
    signature = signatures[0]
    assert signature.date > end and signature.status == "proposed"
    assert "replaces" in (signature.note or "") and reason in (signature.note or "")
    assert t("plan.gated_signature") not in (signature.note or "")


def test_a_signature_already_after_the_quarter_gets_no_such_reason(coach):
    _, result = _review(coach, CALIBRATION / "sorrel-aerospace-verbal-no-paper.yaml")
    signature = next(s for s in result.report.mutual_action_plan if s.action == "Contract signature")
    assert signature.date > result.assessment.period.end
    assert "after this quarter" not in (signature.note or "")


def test_a_missed_step_of_ours_is_ours_to_rebook(coach):
    _, result = _review(coach, CALIBRATION / "hakuyo-seimitsu-nda-before-security-review.yaml")
    nda = next(s for s in result.report.mutual_action_plan if s.action == "NDA signed")  # owner: us; our legal has it
    assert nda.side == "seller" and nda.status == "at_risk"
    # ours to finish, on the day our default time to sign it allows, with the clause our legal holds it on
    assert (nda.note or "").startswith(t("plan.missed_ours", date=dt.date(2026, 11, 13)))
    assert nda.date == dt.date(2026, 12, 1) and "cannot change court" in (nda.note or "")
