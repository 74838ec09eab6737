"""The drafted mutual action plan, read as a sales manager would: only the steps this deal still needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.rules import load_rulebook

DEALS = Path(__file__).resolve().parent.parent / "examples" / "deals"
EXAMPLES = sorted(DEALS.glob("*.yaml"))


@pytest.fixture(scope="module")
def coach():
    return Coach("offline", rulebook=load_rulebook())


def plan(coach, name: str):
    deal = load_deal(DEALS / f"{name}.yaml")
    return deal, coach.review(deal).mutual_action_plan


def test_an_existing_customer_is_not_sent_a_security_questionnaire_or_an_implementation_kickoff(coach):
    _, steps = plan(coach, "wingtip-slipped")  # incumbent: renewal and expansion
    text = " ".join(s.action.lower() for s in steps)
    assert "security" not in text
    assert "kick-off" not in text


def test_a_security_review_is_not_planned_once_the_technical_buyer_has_signed_off(coach):
    _, steps = plan(coach, "lucerne-late-stakeholder")  # "Pilot completed and signed off by the CTO"
    assert not any("security" in s.action.lower() for s in steps)


def test_the_signer_the_record_names_owns_the_signature(coach):
    _, steps = plan(coach, "northwind-validation")  # "IT signs off the pilot, then the CFO approves"
    signature = next(s for s in steps if s.kind == "signature")
    assert "CFO" in signature.owner
    assert "not yet identified" not in signature.owner


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_plan_has_one_signature_and_no_paper_step_after_it(coach, path):
    steps = coach.review(load_deal(path)).mutual_action_plan
    signatures = [s for s in steps if s.kind == "signature" or s.action.strip().lower() == "signature"]
    assert len(signatures) <= 1, [(s.date, s.action) for s in signatures]
    if signatures:
        late = [s for s in steps if s.kind == "paper" and s.date > signatures[0].date]
        assert not late, [(s.date, s.action) for s in late]


def test_a_step_the_record_shows_done_is_not_planned_again(coach):
    _, steps = plan(coach, "northwind-validation")  # 2 Oct: "Agreed success criteria for the pilot"
    assert not any("success criteria" in s.action.lower() for s in steps if s.status != "done")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_missed_step_is_rebooked_not_left_in_the_past(coach, path):
    deal = load_deal(path)
    steps = coach.review(deal).mutual_action_plan
    stale = [s for s in steps if s.status != "done" and s.date < deal.as_of]
    assert not stale, [(s.date, s.action) for s in stale]


def test_the_records_own_next_step_is_in_the_plan(coach):
    _, steps = plan(coach, "adventure-works-stalled")  # next step: "Rebook the IT review", undated
    assert any("rebook the it review" in s.action.lower() for s in steps)


def test_the_records_own_dates_on_a_weekend_are_flagged(coach):
    _, steps = plan(coach, "lucerne-late-stakeholder")  # 5 Dec 2026 is a Saturday, 20 Dec a Sunday
    saturday = next(s for s in steps if s.date == dt.date(2026, 12, 5))
    assert "weekend" in (saturday.note or "")


def test_the_terminal_shows_what_the_plan_assumes(capsys):
    from ae_coach.cli import main

    main(["review", str(DEALS / "lucerne-late-stakeholder.yaml"), "--backend", "offline"])
    assert "weekend" in capsys.readouterr().out


def test_the_commit_gate_is_one_line_when_nobody_calls_the_deal_commit(coach):
    report = coach.review(load_deal(DEALS / "lucerne-late-stakeholder.yaml"))  # the rep calls it Best Case
    assert len(report.forecast.why_not_commit) <= 1
    assert not any("grade" in r or "momentum." in r for r in report.forecast.why_not_commit)


def test_the_commit_gate_detail_stays_when_the_rep_calls_commit(coach):
    report = coach.review(load_deal(DEALS / "litware-forecast-fantasy.yaml"))  # called Commit
    assert len(report.forecast.why_not_commit) > 1


def _asked(coach, name: str) -> tuple[str, str]:
    report = coach.review(load_deal(DEALS / f"{name}.yaml"))
    questions = " ".join(q.question for q in report.questions)
    actions = " ".join(a.action for a in report.next_actions)
    return questions, actions


def test_no_question_asks_for_the_roles_the_record_already_lists(coach):
    questions, _ = _asked(coach, "wingtip-slipped")  # four contacts, each with a role
    assert "which role does each play" not in questions


def test_no_question_uses_the_internal_grading_scale(coach):
    for path in EXAMPLES:
        report = coach.review(load_deal(path))
        for q in report.questions:
            assert "a 2 and not a 1" not in q.question and "grade" not in q.question, (path.stem, q.question)


def test_the_signer_question_is_not_asked_when_the_record_says_when_they_will_see_the_case(coach):
    questions, _ = _asked(coach, "tailspin-single-threaded")  # "Jordan to share the deck with his boss", 3 Dec
    assert "seen the business case yet" not in questions


def test_the_baseline_is_not_asked_for_when_the_record_has_the_numbers(coach):
    _, actions = _asked(coach, "northwind-validation")  # "6 days of prep each quarter, Q2 miss of 18%"
    assert "Ask for the baseline" not in actions


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_one_person_gets_one_ask_a_week_not_three_touches(coach, path):
    deal = load_deal(path)
    actions = coach.review(deal).next_actions
    week = [a for a in actions if a.horizon == "this_week" and a.contact]
    contacts = [a.contact for a in week]
    assert len(contacts) == len(set(contacts)), [(a.due, a.contact) for a in week]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_actions_time_words_agree_with_its_due_date(coach, path):
    deal = load_deal(path)
    report = coach.review(deal)
    first = min((a.due for a in report.next_actions if a.due), default=None)
    sunday = report.as_of + dt.timedelta(days=6 - report.as_of.weekday())
    for a in report.next_actions:
        if "the same day" in a.action or "today" in a.action:
            assert a.due == first, (a.action, a.due)
        if "this week" in a.action:
            assert a.due <= sunday, (a.action, a.due)


def test_a_silent_champion_gets_one_message_with_a_plan_for_no_reply(coach):
    report = coach.review(load_deal(DEALS / "adventure-works-stalled.yaml"))  # Luis silent since 8 Oct
    to_luis = [a for a in report.next_actions if a.contact and "Luis Garcia" in a.contact]
    assert to_luis and "if no reply by" in to_luis[0].action.lower()
    assert sum(a.horizon == "this_week" for a in to_luis) == 1
