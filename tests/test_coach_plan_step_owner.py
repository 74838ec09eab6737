"""Who a plan step is confirmed with, and which paper steps a purchase order already routing leaves behind (issue
13, from a blind VP grade of Kestrel and Pennock & Hale: "confirm with its owner" rows addressed to the champion for
another person's step, and security and legal steps invented next to a PO already routing for approval)."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._plan import _po_under_way
from ae_coach.deal import load_deal
from ae_coach.inspector._assess import assess
from coach_deals import CALIBRATION

PENNOCK = CALIBRATION / "pennock-hale-fd-seconded-interim-signer.yaml"
KESTREL = CALIBRATION / "kestrel-freight-new-signer-in-po-workflow.yaml"
BEXLEY = CALIBRATION / "bexley-optics-proposal-best-case.yaml"


@pytest.fixture(scope="module")
def coach():
    return Coach("offline")


def _confirming(report):
    return [a for a in report.next_actions if "positive.plan_step_ahead" in a.finding_codes]


def test_a_legal_step_is_confirmed_with_the_lawyer_who_owns_it(coach):
    # "MSA redlines returned" on 12-04, owned by "customer"; the next step that day is Priya's (Senior Legal Counsel)
    rows = _confirming(coach.review(load_deal(PENNOCK)))
    assert rows and all(r.contact and r.contact.startswith("Priya Nandakumar") for r in rows)


def test_the_signers_own_review_is_confirmed_through_the_champion_not_with_the_signer(coach):
    # "CFO price review": asking the CFO whether he will hold his own meeting is not the rep's move
    rows = _confirming(coach.review(load_deal(BEXLEY)))
    assert rows and not any(r.contact and r.contact.startswith("Neil Pemberton") for r in rows)


def test_a_purchase_order_step_is_not_asked_twice_of_the_person_dating_the_paper(coach):
    # Joss Turner (procurement) is already asked for a date on every paper step: no second row on the PO alone
    report = coach.review(load_deal(KESTREL))
    joss = [a for a in report.next_actions if a.contact and a.contact.startswith("Joss Turner")]
    assert joss and not _confirming(report)


def test_no_security_or_legal_step_is_drafted_beside_a_purchase_order_routing(coach):
    report = coach.review(load_deal(KESTREL))
    steps = " ".join(s.action.lower() for s in report.mutual_action_plan)
    assert "po approved and issued" in steps
    assert "security" not in steps and "redlines" not in steps


def _with_note(text: str, direction: str = "inbound"):
    deal = load_deal(KESTREL)
    note = deal.activities[-1].model_copy(update={"date": dt.date(2026, 12, 3), "summary": text})
    kept = [a for a in deal.activities if "PO" not in (a.summary or "")]
    return deal.model_copy(update={"activities": [*kept, note]})


@pytest.mark.parametrize(
    ("said", "routing"),
    [
        ("Joss: the PO is routing for approval now.", True),
        ("Nadia: PO 88-40217 raised for the first year.", True),
        ("Purchasing: all suppliers must be onboarded before a PO can be issued.", False),
        ("The PO must be raised by 16 December or we extend month to month.", False),
        ("PO raised 12-10, CFO signs 12-14.", False),
        ("Once the PO is approved we countersign.", False),
    ],
)
def test_a_purchase_order_counts_as_under_way_only_when_the_buyer_says_it_is(said, routing):
    assert _po_under_way(assess(_with_note(said)).facts) is routing


def test_a_finished_step_on_a_weekend_is_not_put_back_to_the_buyer(coach):
    # "Vendor setup", done, dated Saturday 11-28: nothing to confirm about a step that is behind them
    report = coach.review(load_deal(KESTREL))
    setup = next(s for s in report.mutual_action_plan if s.action == "Vendor setup")
    assert setup.status == "done" and "Saturday" not in (setup.note or "")
