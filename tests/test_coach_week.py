"""A week is planned as conversations: a full week still takes one more point for a call already in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import Deal, load_deal

ROOT = Path(__file__).resolve().parent.parent
DEALS = sorted(
    [*(ROOT / "examples" / "deals").glob("*.yaml"), *(ROOT / "evals" / "calibration" / "deals").glob("*.yaml")]
)


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach("offline")


def test_a_second_point_for_the_champion_joins_this_weeks_call_in_a_full_week(coach):
    deal = load_deal(ROOT / "examples" / "deals" / "litware-forecast-fantasy.yaml")  # one contact, Nadia
    actions = coach.review(deal).next_actions
    week = [a for a in actions if a.horizon == "this_week"]
    nadia = [a for a in week if a.contact and a.contact.startswith("Nadia Ivers")]
    # the signer's name is asked in this week's call with her, not a week after asking her for a meeting with them
    assert len(nadia) == 1 and "Confirm who signs" in nadia[0].action
    assert nadia[0].action.startswith("One conversation with Nadia Ivers")
    assert not any("broker a meeting" in a.action for a in actions)


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_one_row_per_person_and_owner_this_week_and_at_most_three_rows(coach, path):
    week = [a for a in coach.review(load_deal(path)).next_actions if a.horizon == "this_week"]
    assert len(week) <= 3
    calls = [(a.contact.split(" (")[0], a.owner) for a in week if a.contact]
    assert len(calls) == len(set(calls))


def test_a_close_date_on_a_sunday_is_flagged_and_a_year_end_close_is_not():
    from ae_coach.inspector._assess import assess

    deal = load_deal(ROOT / "examples" / "deals" / "litware-forecast-fantasy.yaml")  # closes Sunday 2026-12-20
    flagged = [f for f in assess(deal).findings if f.code == "hygiene.close_date_day_off"]
    assert flagged and "Sunday" in flagged[0].title and flagged[0].severity == "low"
    for day in ("2026-12-31", "2026-12-18"):  # the year-end signing day; a Friday
        moved = deal.model_copy(update={"close_date": dt.date.fromisoformat(day)})
        assert not any(f.code == "hygiene.close_date_day_off" for f in assess(moved).findings)
    christmas = deal.model_copy(update={"close_date": dt.date(2026, 12, 25)})
    assert any(f.code == "hygiene.close_date_day_off" for f in assess(christmas).findings)
    small = deal.model_copy(update={"amount": 9000})  # bought online: any day will do
    assert not any(f.code == "hygiene.close_date_day_off" for f in assess(small).findings)


def test_the_champion_call_comes_before_the_approach_to_a_signer_who_parked_the_deal(coach):
    deal = load_deal(ROOT / "examples" / "deals" / "wingtip-slipped.yaml")  # Greta parked it; Piet is engaged
    week = {a.contact.split(" (")[0]: a for a in coach.review(deal).next_actions if a.horizon == "this_week"}
    greta, piet = week["Greta Holm"], week["Piet de Vries"]
    assert piet.due < greta.due
    # a meeting with a signer silent for weeks is booked through the champion, and held a week and more later
    assert greta.action.startswith(
        f"Book the meeting with Greta Holm by {greta.due} (ask Piet de Vries on your call to set it up, or ask Greta"
        " Holm directly), to be held by 2026-12-11, 2 points: (1) "
    )


def test_one_email_with_no_answer_yet_does_not_make_the_most_senior_contact_dark(coach):
    deal = load_deal(ROOT / "examples" / "deals" / "proseware-demo-first.yaml")  # Ivy emailed once, a week ago
    actions = coach.review(deal).next_actions
    assert actions[0].contact.startswith("Ivy Chen (Support Manager")  # not the Support Agent from the demo
    assert not any("Before the case goes to whoever signs" in a.action for a in actions)  # no case at discovery
    assert not any("disqualify" in a.action for a in actions)  # not while the discovery call is still to book


def test_seniority_reads_the_title():
    from ae_coach.coach._people import seniority

    ranks = [seniority(t) for t in ("Chief Financial Officer", "VP Operations", "Director of IT", "Support Manager")]
    assert ranks == [4, 3, 2, 1] and seniority("Support Agent") == 0 and seniority(None) == 0


def test_no_presentation_to_make_real_without_a_meeting_with_the_signer_ahead(coach):
    signing = load_deal(ROOT / "examples" / "deals" / "fabrikam-closing-healthy.yaml")  # signature call with Helen
    says = "agree a three-line agenda with the champion"
    assert not any(says in a.action for a in coach.review(signing).next_actions)  # the signing is no presentation
    step = signing.next_step.model_copy(update={"action": "Business case walkthrough with Helen and Raj"})
    activities = [
        a.model_copy(update={"summary": "Raj booked the business case walkthrough with Helen for Dec 10"})
        if "signature call" in (a.summary or "")
        else a
        for a in signing.activities
    ]
    deal = signing.model_copy(update={"next_step": step, "activities": activities})
    assert any(says in a.action for a in coach.review(deal).next_actions)
    as_of = deal.as_of
    plan = [p for p in deal.mutual_action_plan if p.date is None or p.date < as_of]
    past = [a for a in deal.activities if a.date <= as_of]
    bare = deal.model_copy(update={"mutual_action_plan": plan, "activities": past, "next_step": None})
    assert not any(says in a.action for a in coach.review(bare).next_actions)


def test_a_small_purchase_is_a_weeks_paper_not_a_months():
    deal = load_deal(ROOT / "examples" / "deals" / "bluesky-self-serve.yaml")  # $9k, bought by card or order form
    notes = " ".join(step.note or "" for step in Coach("offline").review(deal).mutual_action_plan)
    assert "about 5 working days" in notes and "about 20 working days" not in notes
    big = deal.model_copy(update={"amount": 90000})
    notes = " ".join(step.note or "" for step in Coach("offline").review(big).mutual_action_plan)
    assert "about 5 working days" not in notes


def test_the_signature_itself_is_no_review_to_ask_a_seat_in():
    path = ROOT / "evals" / "calibration" / "deals" / "quenmore-outdoor-budget-2027.yaml"  # plan: "CFO signs" 12/19
    actions = Coach("offline").review(load_deal(path)).next_actions
    assert not any("review they already have booked" in a.action for a in actions)


def test_a_deals_calendar_and_money_are_its_own_currencys():
    from ae_coach.deal.calendar import calendar_for
    from ae_coach.i18n import money
    from ae_coach.inspector.settings import DEFAULT_SETTINGS

    def deal(currency: str, country: str | None = None) -> Deal:
        return Deal(account="Buyer", stage="proposal", currency=currency, account_country=country)

    danish = calendar_for(DEFAULT_SETTINGS, deal("DKK"))  # a Danish buyer works on US Thanksgiving, not Christmas Eve
    assert danish.working(dt.date(2026, 11, 26)) and danish.working(dt.date(2026, 11, 27))
    assert not danish.working(dt.date(2026, 12, 24))
    american = calendar_for(DEFAULT_SETTINGS, deal("USD"))
    assert not american.working(dt.date(2026, 11, 26)) and not american.working(dt.date(2026, 7, 3))
    euro = calendar_for(DEFAULT_SETTINGS, deal("EUR"))  # twenty countries: weekends and the team's days off only
    assert euro.working(dt.date(2026, 11, 26)) and euro.working(dt.date(2026, 7, 3))  # US Independence Day observed
    fixed = calendar_for(DEFAULT_SETTINGS.model_copy(update={"holidays_country": "GB"}), deal("DKK", "DK"))
    assert fixed.country == "GB"
    assert money(1_180_000, "DKK") == "DKK 1,180,000" and money(210_000, "USD") == "$210,000"
    deal = load_deal(ROOT / "evals" / "calibration" / "deals" / "skovlund-medical-vendor-risk-unstarted.yaml")
    assert "$" not in Coach("offline").review(deal).model_dump_json()


def test_a_tier_4_deal_already_bought_self_serve_is_not_routed_to_self_serve(coach):
    deal = load_deal(ROOT / "examples" / "deals" / "bluesky-self-serve.yaml")  # "Credit card / online checkout"
    actions = coach.review(deal).next_actions
    assert not any(a.action.startswith("Route a tier-4 account") for a in actions)
    assert any(a.action.startswith("Keep it self-serve: one short message to Zoe Hart") for a in actions)
