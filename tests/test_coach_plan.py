"""The drafted mutual action plan, read as a sales manager would: only the steps this deal still needs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._actions import POINTS, gone_dark
from ae_coach.coach._plan import draft_plan
from ae_coach.deal import load_deal, parse_deal
from ae_coach.inspector.facts import renews_with_us
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


def test_the_signer_the_record_names_owns_the_signature():
    deal = load_deal(DEALS / "northwind-validation.yaml")  # "IT signs off the pilot, then the CFO approves"
    steps = draft_plan(deal, deal.as_of)  # planned to signature, as it is once the call's gate is passed
    signature = next(s for s in steps if s.kind == "signature")
    assert "CFO" in signature.owner
    assert "not yet identified" not in signature.owner  # the role is known, only the person is not
    assert "not yet known" in signature.owner and "named in the record, not yet met" not in signature.owner


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
    assert "Saturday" in (saturday.note or "") and "2026-12-04" not in (saturday.note or "")


def test_the_terminal_shows_what_the_plan_assumes(capsys):
    from ae_coach.cli import main

    main(["review", str(DEALS / "lucerne-late-stakeholder.yaml"), "--backend", "offline"])
    assert "falls on a Saturday:" in capsys.readouterr().out


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
def test_one_person_gets_one_conversation_a_week_not_three_touches(coach, path):
    from collections import Counter

    deal = load_deal(path)
    actions = coach.review(deal).next_actions
    week = [a for a in actions if a.horizon == "this_week" and a.contact]
    assert max(Counter((a.contact, a.owner) for a in week).values(), default=0) == (1 if week else 0)
    assert all(len(a.finding_codes) <= POINTS for a in week)


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
    assert sum(a.horizon == "this_week" for a in to_luis) == 1
    # what happens with no reply is a row of its own, after the message, dated the day it applies
    branch = [a for a in report.next_actions if a.action.startswith("If Luis Garcia has not replied by")]
    assert branch and branch[0].horizon == "later" and branch[0].due == dt.date(2026, 12, 7)


def test_an_existing_customer_buys_on_a_purchase_order_not_a_vendor_onboarding():
    deal = load_deal(DEALS / "wingtip-slipped.yaml")  # incumbent
    steps = draft_plan(deal, deal.as_of)
    assert not any("vendor onboarding" in s.action.lower() for s in steps)
    assert any(s.kind == "paper" and "purchase order" in s.action.lower() for s in steps)


def test_an_unnamed_signer_is_an_ask_to_name_them_not_an_owner(coach):
    _, steps = plan(coach, "tailspin-single-threaded")  # nobody in the economic buyer role, no signer named
    owners = {s.owner for s in steps if s.kind in ("decision", "signature")}
    assert owners <= {"to name: economic buyer"}
    # nobody to meet yet: no meeting with the signer is dated, the plan says it waits for one to be booked
    assert not any(s.kind == "decision" for s in steps)
    assert any("until one is booked" in (s.note or "") for s in steps)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_earliest_realistic_close_a_plan_promises_is_its_signature_date(coach, path):
    steps = coach.review(load_deal(path)).mutual_action_plan
    promised = {
        dt.date.fromisoformat(m.group(1))
        for s in steps
        for m in [re.search(r"realistic close (?:on )?(\d{4}-\d{2}-\d{2})", s.note or "")]
        if m
    }
    signatures = [s.date for s in steps if s.kind == "signature"]
    assert not promised or promised == set(signatures[:1]), (promised, signatures)


@pytest.mark.parametrize(
    ("name", "shown"), [("tailspin-single-threaded", 4), ("lucerne-late-stakeholder", 5), ("wingtip-slipped", 4)]
)
def test_a_review_lists_the_few_risks_that_matter_by_tier_and_folds_the_rest(coach, name, shown):
    report = coach.review(load_deal(DEALS / f"{name}.yaml"))
    acted = {c for a in report.next_actions for c in a.finding_codes}
    assert all(set(r.finding_codes) & acted for r in report.risks[shown:])  # past the tier's few: only what is acted on
    assert all(set(r.finding_codes) & {c for r in report.risks for c in r.finding_codes} for r in report.risks)
    listed = {c for r in report.risks for c in r.finding_codes}
    assert acted <= listed | {c for r in report.also_risks for c in r.finding_codes}


def test_a_risk_about_a_person_says_what_the_record_shows(coach):
    lucerne = coach.review(load_deal(DEALS / "lucerne-late-stakeholder.yaml"))  # met the CFO on 2026-11-21
    assert not any("haven't met" in r.title for r in lucerne.risks)
    assert any("Mark Stone" in r.title and "2026-11-21" in r.title for r in lucerne.risks)
    northwind = coach.review(load_deal(DEALS / "northwind-validation.yaml"))  # the record names the CFO
    assert not any("no economic buyer identified" in r.title for r in [*northwind.risks, *northwind.also_risks])
    wingtip = coach.review(load_deal(DEALS / "wingtip-slipped.yaml"))  # "Piet prepared the business case"
    assert not any(c == "meddpicc.champion" for r in wingtip.risks for c in r.finding_codes)


def test_a_stated_budget_is_read_once_and_used_where_the_price_is_questioned(coach):
    deal = load_deal(DEALS / "lucerne-late-stakeholder.yaml")  # "budget of $140k allocated" on 2026-07-05
    report = coach.review(deal)
    budget_action = next(a for a in report.next_actions if "momentum.budget_concern_late" in a.finding_codes)
    assert "$140k" in (budget_action.evidence or "")


def test_a_buyer_step_assigned_to_the_customer_names_the_person_the_record_shows(coach):
    _, steps = plan(coach, "lucerne-late-stakeholder")  # "CFO review of revised case", "Signature": owner customer
    owners = {s.action: s.owner for s in steps if s.kind == "agreed"}
    assert owners["CFO review of revised case"].startswith("Mark Stone")
    assert owners["Signature"].startswith("Mark Stone")


def test_a_deal_gone_quiet_keeps_its_own_steps_and_drafts_no_paper_process_into_the_silence(coach):
    _, steps = plan(coach, "adventure-works-stalled")  # no buyer activity for 49 days
    assert not any(s.kind in ("paper", "signature", "decision") for s in steps)
    assert any(s.note and "once the buyer replies" in s.note for s in steps)


def test_an_ask_that_is_not_the_persons_business_is_not_glued_onto_their_conversation(coach):
    report = coach.review(load_deal(DEALS / "wingtip-slipped.yaml"))  # close date slipped 3 times: not Piet's to fix
    to_piet = [a for a in report.next_actions if a.contact and a.contact.startswith("Piet de Vries")]
    assert not any("momentum.close_date_slipped" in a.finding_codes for a in to_piet)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_action_is_one_ask_or_one_conversation_with_its_points_numbered(coach, path):
    """At most POINTS asks in an action, and only as one conversation with one person, each point numbered once;
    never a paragraph of rule steps (the other risks are in the risks table or "Also")."""
    for a in coach.review(load_deal(path)).next_actions:
        assert len(a.finding_codes) <= POINTS, a.action
        if len(a.finding_codes) > 1:
            # "Book the meeting with Greta Holm by … to be held by 2026-12-11, 2 points: …" is one conversation too
            booked = re.match(
                rf"Book the meeting with {re.escape(a.contact.split(' (')[0])} by .*?, \d points: ", a.action
            )
            opening = re.sub(r"^After your call with [^:]+: ", "", a.action)
            assert booked or opening.startswith(f"One conversation with {a.contact.split(' (')[0]}"), a.action
            assert [f"({n})" in a.action for n in range(1, len(a.finding_codes) + 2)] == [
                *[True] * len(a.finding_codes),
                False,
            ], a.action


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_questions_deal_fact_is_said_once_a_review(coach, path):
    facts = [q.about for q in coach.review(load_deal(path)).questions if q.about]
    assert len(facts) == len(set(facts))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_nobody_silent_is_asked_anything_but_the_message_waiting_for_their_reply(coach, path):
    deal = load_deal(path)
    result = coach.run_review(deal)
    silent = gone_dark(result.assessment.facts, list(result.assessment.findings))
    for name in silent:
        actions = [a for a in result.report.next_actions if (a.contact or "").startswith(name)]
        questions = [q for q in result.report.questions if q.stakeholder == name]
        assert len(actions) <= 1 and len(questions) <= 1, ([a.action for a in actions], questions)


def test_a_silent_champion_is_not_offered_a_standing_meeting(coach):
    report = coach.review(load_deal(DEALS / "adventure-works-stalled.yaml"))  # IT review moved, then cancelled
    to_luis = [q.question for q in report.questions if q.stakeholder == "Luis Garcia"]
    assert to_luis and not any("check-in" in q for q in to_luis)


@pytest.mark.parametrize(
    ("name", "already_on_record"),
    [
        ("woodgrove-displacement", "What are you using for this today"),  # Zendesk is the incumbent
        ("northwind-validation", "Ask for the criteria in writing"),  # "Dana listed them: Salesforce sync, …"
        ("northwind-validation", "what are the few things that will really decide it"),
        ("lucerne-late-stakeholder", "What prompted bringing"),  # "New CFO Mark Stone; previous EB left in October"
        ("lucerne-late-stakeholder", "before they form a view"),  # "New CFO says the price is too high"
    ],
)
def test_the_coach_does_not_ask_for_what_the_record_already_says(coach, name, already_on_record):
    report = coach.review(load_deal(DEALS / f"{name}.yaml"))
    said = [a.action for a in report.next_actions] + [q.question for q in report.questions]
    assert not any(already_on_record.lower() in s.lower() for s in said), said


def test_why_a_newcomer_joined_and_what_they_said_are_read_from_the_record():
    from ae_coach.coach._situation import arrival_known, view_of

    deal = load_deal(DEALS / "lucerne-late-stakeholder.yaml")
    people = {s.name: s for s in deal.stakeholders}
    assert arrival_known(people["Mark Stone"], deal) and not arrival_known(people["June Ahn"], deal)
    assert view_of(people["Mark Stone"], deal) == (dt.date(2026, 11, 21), "New CFO says the price is too high")
    assert view_of(people["June Ahn"], deal) is None


def test_the_fallback_contact_is_not_asked_before_the_date_the_rep_goes_to_them(coach):
    report = coach.review(load_deal(DEALS / "adventure-works-stalled.yaml"))  # no reply by 3 Dec: go to Kim
    to_kim = [a for a in report.next_actions if (a.contact or "").startswith("Kim Nguyen")]
    assert not any(a.due <= dt.date(2026, 12, 3) for a in to_kim)


@pytest.mark.parametrize(
    ("day", "weekday", "nearest"),
    [
        (dt.date(2026, 12, 5), "Saturday", "2026-12-04"),  # Lucerne's CFO review
        (dt.date(2026, 12, 20), "Sunday", "2026-12-21"),  # Lucerne's signature
    ],
)
def test_a_buyers_date_off_work_is_named_and_left_to_the_buyer_never_re_dated(day, weekday, nearest):
    from ae_coach.coach._plan import day_off_note
    from ae_coach.deal.calendar import Calendar

    note = day_off_note(day, Calendar())
    assert weekday in note and "confirm the date with the buyer" in note and nearest not in note


def test_a_legal_review_under_way_is_carried_forward_not_sent_again(coach):
    deal, steps = plan(coach, "wingtip-slipped")  # "Legal review" late since 2026-09-30; "Legal review pending"
    assert not any("Send the order form" in s.action for s in steps)
    legal = [s for s in steps if s.action == "Legal review"]
    assert len(legal) == 1 and legal[0].status == "at_risk" and legal[0].date >= deal.as_of


def test_meetings_moved_by_a_champion_who_then_went_silent_get_one_message_not_two(coach):
    report = coach.review(load_deal(DEALS / "adventure-works-stalled.yaml"))  # Luis moved, then cancelled, then silence
    codes = [code for a in report.next_actions for code in a.finding_codes]
    assert "momentum.champion_dark" in codes and "momentum.meetings_rescheduled" not in codes
    # nobody else has engaged: the way round is one level up (one question to Kim Nguyen: who Luis reports to, in
    # the row for no reply), then a walk-away date, not asks of Kim Nguyen this week
    to_kim = [a for a in report.next_actions if (a.contact or "").startswith("Kim Nguyen")]
    assert len(to_kim) == 1 and "who Luis Garcia reports to" in to_kim[0].action and to_kim[0].horizon == "later"
    assert "close the deal out or move it to nurture" in to_kim[0].why


def test_meetings_moved_on_a_deal_nobody_has_gone_quiet_on_get_their_own_action(coach):
    from ae_coach.deal import parse_deal
    from analysis_builders import activity, with_activities

    moved = [activity(day, "meeting", "Legal sync moved", status="rescheduled") for day in ("2026-11-16", "2026-11-23")]
    moved.append(activity("2026-11-24", "meeting", "Legal sync cancelled", status="cancelled"))
    report = coach.review(parse_deal(with_activities(*moved)))
    assert any("momentum.meetings_rescheduled" in a.finding_codes for a in report.next_actions)


def test_a_good_deal_with_one_problem_also_gets_the_follow_through_on_its_signals(coach):
    report = coach.review(load_deal(DEALS / "woodgrove-displacement.yaml"))  # Zendesk's discount is the one high risk
    codes = [a.finding_codes[0] for a in report.next_actions]
    assert codes[0] == "momentum.competitor_counter"
    assert "positive.legal_security_review" in codes  # the questionnaire of 2026-11-17 starts the vendor-risk clock


def test_an_action_quotes_the_clause_of_the_record_that_bears_on_it(coach):
    from ae_coach.coach._actions import _bearing_on

    line = '2026-11-24 call with Grace Kim: "Grace: Zendesk offered a 20% discount to stay; she scheduled a workshop"'
    cut = _bearing_on(line, "Prepare every meeting they schedule themselves")
    assert "scheduled a workshop" in cut and "20% discount" not in cut


def test_the_meeting_a_champion_booked_is_prepared_by_its_calendar_entry(coach):
    report = coach.review(load_deal(DEALS / "woodgrove-displacement.yaml"))
    prep = next(a for a in report.next_actions if "positive.champion_scheduled" in a.finding_codes)
    said = f"{prep.action} {prep.evidence}"
    assert "2026-12-03" in said and "20% discount" not in said
    assert prep.due is not None and prep.due < dt.date(2026, 12, 3)


def test_a_review_with_the_signer_already_booked_is_asked_into_not_brokered_again(coach):
    report = coach.review(load_deal(DEALS / "northwind-validation.yaml"))  # "ROI review with the CFO" on 2026-12-02
    first = report.next_actions[0]
    assert "seat in the review" in first.action and "broker a meeting" not in first.action
    assert first.due < dt.date(2026, 12, 2)


def test_a_silent_contact_with_nobody_engaged_to_go_to_gets_a_week_then_a_walk_away_date(coach):
    actions = coach.review(load_deal(DEALS / "adventure-works-stalled.yaml")).next_actions
    branch = next(a for a in actions if "has not replied by 2026-12-07" in a.action)
    assert "If nothing by 2026-12-14" in branch.why


@pytest.mark.parametrize("name", ["tailspin-single-threaded", "lucerne-late-stakeholder", "wingtip-slipped"])
def test_a_deal_called_pipeline_or_omitted_is_planned_only_to_the_gate_it_has_to_earn(coach, name):
    deal = load_deal(DEALS / f"{name}.yaml")
    report = coach.review(deal)
    assert str(report.forecast.category) in ("pipeline", "omitted")
    steps = report.mutual_action_plan
    # a renewal of our own contract keeps its signature as the last step (Wingtip); nothing else past the gate
    renewal = [s for s in steps if s.action == "Signature of the renewal order form"]
    assert renewal == ([steps[-1]] if renews_with_us(deal) else [])
    # the buyer's own signature date leaves too little time after the gate (Lucerne): one step now on which paper
    # steps are done, run side by side or not needed, and nothing else of the paper
    parallel = [s for s in steps if "in parallel with the gate" in (s.note or "")]
    assert len(parallel) <= 1
    drafted = [s for s in steps if s.kind in ("paper", "signature", "onboarding") and s not in renewal + parallel]
    assert not drafted, [s.action for s in steps]
    gated = ("drafted once this gate is passed", "drafted to run alongside this gate")
    assert any(g in (s.note or "") for s in steps for g in gated)
    assert not any("realistic close" in (s.note or "") for s in steps)  # no signature date the call rules out
    own_signatures = [s for s in steps if s.kind == "agreed" and "signature" in s.action.lower()]
    assert all(s.status == "at_risk" for s in own_signatures)


def test_paper_waits_for_the_business_case_while_the_price_is_questioned():
    deal = load_deal(DEALS / "lucerne-late-stakeholder.yaml")  # new CFO: price too high; Contentful back
    steps = draft_plan(deal, deal.as_of, commercial_first=True)
    review = next(s for s in steps if s.action == "CFO review of revised case")
    paper = [s for s in steps if s.kind in ("paper", "signature")]
    assert paper and all(s.date > review.date for s in paper), [(s.date, s.action) for s in paper]
    assert not any("do it now" in (s.note or "") for s in paper)
    # without the objection the order form goes out before the review, as before
    plain = draft_plan(deal, deal.as_of)
    assert any(s.kind == "paper" and s.date <= review.date for s in plain)


def test_a_security_questionnaire_the_buyer_sent_is_returned_first_on_the_records_lead_time(coach):
    deal, steps = plan(coach, "woodgrove-displacement")  # received 17 Nov; "Vendor risk assessment needed; 6-8 weeks"
    back = next(s for s in steps if "security questionnaire" in s.action.lower())
    assert back.side == "seller" and back.kind == "paper"
    assert back.date <= min(s.date for s in steps if s.status != "done") + dt.timedelta(days=7)
    assert "2026-11-17" in (back.note or "") and "8 weeks" in (back.note or "")
    assert "not credible" not in (back.note or "")  # about 8 Feb, before the 26 Feb close
    tight = deal.model_copy(update={"close_date": dt.date(2027, 1, 15)})
    back = next(s for s in draft_plan(tight, deal.as_of) if "security questionnaire" in s.action.lower())
    assert "not credible" in (back.note or "")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_step_the_tool_drafted_is_a_proposal_and_the_records_own_are_not(coach, path):
    steps = coach.review(load_deal(path)).mutual_action_plan
    for s in steps:
        said = (s.note or "").startswith("the buyer gave this date")  # the buyer's own date, from a conversation
        if said:
            assert s.kind == "paper" and s.status == "planned", s
        elif s.kind in ("evaluation", "decision", "signature", "onboarding") or (
            s.kind == "paper" and "security questionnaire" not in s.action.lower()
        ):
            # a drafted step is to propose (or at risk): nobody on the buyer's side has agreed to it
            assert s.status in ("proposed", "at_risk") and (s.note or "").startswith("agree it with the buyer"), s
        elif s.kind == "agreed":
            # the record's own step; only an undated next step, whose date is ae-coach's, is to propose
            dated_by_us = "no date on record" in (s.note or "")
            assert (s.status == "proposed") == dated_by_us, (s.action, s.status, s.note)
            assert "agree it with the buyer" not in (s.note or ""), (s.action, s.note)


def test_a_paper_step_the_buyer_dated_in_a_conversation_is_on_the_plan_once(coach):
    """Fabrikam's 12 November call: "procurement timeline confirmed: PO by 2026-12-10", a step the deal's own plan
    leaves out; the draft carries it, the buyer's date, once, and says where it came from."""
    _, steps = plan(coach, "fabrikam-closing-healthy")
    po = [s for s in steps if "PO" in s.action]
    assert len(po) == 1 and po[0].date == dt.date(2026, 12, 10) and "2026-11-12 call" in (po[0].note or "")


def test_a_buyers_meeting_on_a_weekend_keeps_its_date(coach):
    _, steps = plan(coach, "lucerne-late-stakeholder")
    assert any(s.date == dt.date(2026, 12, 5) and s.action == "CFO review of revised case" for s in steps)
    assert not any(s.date == dt.date(2026, 12, 4) and "CFO" in s.action for s in steps)


def test_a_lead_time_the_record_gives_is_used_instead_of_the_default_and_is_never_squeezed():
    path = DEALS.parent.parent / "evals" / "calibration" / "deals" / "greyfriars-bank-new-ciso-closing.yaml"
    deal = load_deal(path)  # "the assessment takes 4-6 weeks"; close 16 Dec
    steps = draft_plan(deal, deal.as_of)
    send = next(s for s in steps if s.action.startswith("Send the security questionnaire"))
    sign = next(s for s in steps if s.kind == "signature")
    assert (sign.date - send.date).days >= 6 * 7
    assert "not credible" in (send.note or "")


def test_a_deal_out_of_the_period_only_by_its_date_is_planned_by_the_call_its_evidence_earns(coach):
    deal = load_deal(DEALS / "woodgrove-displacement.yaml")  # omitted for 2026-Q4, best case for 2027-Q1
    assert coach.run_review(deal).assessment.later_forecast == "best_case"
    steps = coach.review(deal).mutual_action_plan
    assert any(s.action.startswith("Signature") for s in steps)
    assert not any("once this gate is passed" in (s.note or "") for s in steps)


def test_the_holiday_cache_keeps_one_copy_per_country_and_year(tmp_path, monkeypatch):
    from ae_coach.deal import calendar as _calendar

    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "holidays-US-2031-0123456789abcdef.json").write_text("[]")  # an earlier install's copy
    (cache / "holidays-US-2032-0123456789abcdef.json").write_text("[]")  # another year: kept
    _calendar._holidays.cache_clear()
    days = _calendar._holidays("US", 2031)
    assert dt.date(2031, 12, 25) in days
    assert sorted(p.name[:17] for p in cache.glob("holidays-*.json")) == ["holidays-US-2031-", "holidays-US-2032-"]


@pytest.mark.parametrize(
    ("lead", "back", "status"),
    # the buyer's weeks are calendar weeks from the day the questionnaire goes back (2026-12-02)
    [
        ("6-8 weeks", dt.date(2027, 1, 27), "proposed"),
        ("8-10 weeks", dt.date(2027, 2, 10), "proposed"),
        ("12-14 weeks", dt.date(2027, 3, 10), "at_risk"),
    ],
)
def test_the_security_sign_off_waits_for_the_review_time_the_record_gives(coach, lead, back, status):
    data = load_deal(DEALS / "woodgrove-displacement.yaml").model_dump(mode="json")
    data["meddpicc"]["paper_process"]["evidence"] = f"Vendor risk assessment needed; {lead}"
    report = coach.review(parse_deal(data))
    signoff = next(s for s in report.mutual_action_plan if s.action.startswith("Complete the security review"))
    assert signoff.date >= back and signoff.status == status
    assert all(s.date >= back for s in report.mutual_action_plan if s.kind in ("signature",))


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Vendor risk assessment needed; 6-8 weeks", [56]),
        ("legal SLA is 10 working days", [14]),
        ("security review takes 3 wks", [21]),
        ("budget range $150-200k", []),
    ],
)
def test_a_duration_is_read_once_as_its_upper_end_in_calendar_days(text, days):
    from ae_coach.inspector.facts import durations

    assert [d for _, d in durations(text)] == days


@pytest.mark.parametrize(("lead", "status"), [("6-8 weeks", "planned"), ("8-10 weeks", "at_risk")])
def test_a_questionnaire_whose_review_ends_after_the_buyers_risk_meeting_is_at_risk(coach, lead, status):
    data = load_deal(DEALS / "woodgrove-displacement.yaml").model_dump(mode="json")  # board risk committee 02-10
    data["meddpicc"]["paper_process"]["evidence"] = f"Vendor risk assessment needed; {lead}"
    report = coach.review(parse_deal(data))
    returning = next(s for s in report.mutual_action_plan if s.action.startswith("Return the completed security"))
    assert returning.status == status and "Board risk committee" in (returning.note or "")


def test_a_committed_signer_gets_no_drafted_steps_up_to_the_signature():
    """The signer said yes, holds the paper and dated the signature: the buyer's own steps are the plan."""
    deal = load_deal(DEALS / "wingtip-slipped.yaml")
    drafted = {s.kind for s in draft_plan(deal, deal.as_of) if s.status == "proposed"}
    assert drafted & {"paper", "signature"}
    committed = draft_plan(deal, deal.as_of, committed=True)
    assert not [s for s in committed if s.kind in ("paper", "decision", "signature") and s.status == "proposed"]


def test_a_committed_signer_is_coached_to_protect_the_date_not_to_chase_earlier_signals(coach):
    """The record shows the CFO's go-ahead, the clean contract and PO, and his signature date: the one follow-through
    is protecting that date with the champion, not confirming a legal review that already finished."""
    path = DEALS.parent.parent / "evals" / "calibration" / "deals" / "hawthorne-dairy-lazy-fields-commit.yaml"
    report = coach.review(load_deal(path))
    assert [a.rule_id for a in report.next_actions] == ["pipeline-commit-gate"]
    action = report.next_actions[0]
    assert "Gordon Baird" in action.action and "2026-12-16" in action.why


def test_a_committed_signer_with_no_champion_on_record_still_gets_the_follow_through(coach):
    """Dunlin: a renewal whose one contact signs; the step needs no champion to be coached."""
    path = DEALS.parent.parent / "evals" / "calibration" / "deals" / "dunlin-software-renewal-record-only.yaml"
    report = coach.review(load_deal(path))
    assert [a.rule_id for a in report.next_actions] == ["pipeline-commit-gate"]
    assert "Roisin Daly" in report.next_actions[0].action


def test_an_owner_who_signs_is_not_escalated_to_a_manager(coach):
    """Blue Sky as a $60k deal with no check-in booked: Zoe is the owner and signs, silent for three weeks: the
    branch is one last note and a walk-away date, not "ask Zoe's manager"."""
    data = load_deal(DEALS / "bluesky-self-serve.yaml").model_dump(mode="json")
    data.update(amount=60000, next_step=None)
    data["activities"][-1]["summary"] = "Followed up on the intro call"  # a chase, not a trial handed over
    report = coach.review(parse_deal(data))
    branch = [a for a in report.next_actions if "has not replied by" in a.action]
    assert branch and "Zoe Hart" in (branch[0].contact or "")
    assert "manager" not in branch[0].action and "one last short note" in branch[0].action
    assert not [q for q in report.questions if "had to move" in q.question]  # silence, not moved meetings


def test_a_tier_4_deal_gets_one_action_where_it_is_served_best_and_a_light_plan(coach):
    """Blue Sky: 12 seats at $9k, six days into the trial we sent, check-in booked: not a stalled deal to
    recover; the one action routes it (self-serve, a partner, nurture), and the plan drafts no evaluation plan
    or business-case presentation."""
    result = coach.run_review(load_deal(DEALS / "bluesky-self-serve.yaml"))
    assert not [f for f in result.assessment.findings if f.code in ("momentum.stale", "momentum.unanswered_outreach")]
    actions = result.report.next_actions
    assert len(actions) == 1 and actions[0].finding_codes == ["account.tier"] and "self-serve" in actions[0].action
    drafted = " ".join(s.action.lower() for s in result.report.mutual_action_plan)
    assert "evaluation plan" not in drafted and "business case" not in drafted


def test_a_late_kick_off_after_the_signature_is_booked_now_not_a_reason_to_move_the_close_date(coach):
    _, steps = plan(coach, "relecloud-closed-won-no-handoff")
    kickoff = [s for s in steps if s.kind == "onboarding"]
    assert kickoff and all("move the close date" not in (s.note or "") for s in kickoff)
    assert any("book it now" in (s.note or "") for s in kickoff)


def test_this_weeks_asks_of_one_person_are_one_conversation(coach):
    """Two asks of Dana this week are one row, one call: not two rows on one date that read as duplicates."""
    report = coach.review(load_deal(DEALS / "northwind-validation.yaml"))
    to_dana = [a for a in report.next_actions if a.horizon == "this_week" and "Dana Lee" in (a.contact or "")]
    assert len(to_dana) == 1
    assert to_dana[0].action.startswith("One conversation with Dana Lee, 3 points:")
    assert len(to_dana[0].finding_codes) == 3
    assert to_dana[0].also_rules and to_dana[0].rule_ids[0] == to_dana[0].rule_id


def test_the_executive_sponsors_call_is_a_conversation_of_its_own(coach):
    calibration = Path(__file__).parent.parent / "evals" / "calibration" / "deals"
    report = coach.review(load_deal(calibration / "kettering-robotics-one-voice.yaml"))
    sponsor = [a for a in report.next_actions if "executive sponsor" in a.owner]
    assert sponsor and all("One conversation" not in a.action for a in sponsor)


def test_the_sponsor_does_not_call_someone_the_rep_meets_this_week(coach):
    """Lucerne: the rep books 30 minutes with Mark Stone this week; the sponsor's call to him is not also assigned
    (one approach to a person a week)."""
    report = coach.review(load_deal(DEALS / "lucerne-late-stakeholder.yaml"))
    week = [a for a in report.next_actions if a.horizon == "this_week" and (a.contact or "").startswith("Mark Stone")]
    assert len(week) == 1 and "executive sponsor" not in week[0].owner


def test_the_contract_is_ready_before_the_board_that_approves_it(coach):
    """Woodgrove: the buyer's "Board risk committee" sits on 2027-02-10; the contract and its redlines are planned
    back from it, the purchase order after it (VP review: "the contract should go out well before the board")."""
    from ae_coach.coach._plan import buyer_approval

    deal = load_deal(DEALS / "woodgrove-displacement.yaml")
    steps = coach.review(deal).mutual_action_plan
    board = next(s.date for s in steps if s.action == "Board risk committee")
    paper = [
        s for s in steps if s.action in ("Send the order form and contract for legal review", "Agree legal redlines")
    ]
    assert len(paper) == 2 and all(s.date < board for s in paper)
    po = next(s for s in steps if s.action.startswith("Procurement"))
    assert po.date > board
    onboarding = deal.model_copy(
        update={"mutual_action_plan": [p.model_copy(update={"action": "Onboarding"}) for p in deal.mutual_action_plan]}
    )
    assert buyer_approval(onboarding, deal.as_of, dt.date(2027, 6, 30)) is None  # "Onboarding" holds no board


def test_a_tier_4_deal_is_decided_by_its_check_in_not_a_signature_plan(coach):
    report = coach.review(load_deal(DEALS / "bluesky-self-serve.yaml"))
    assert report.decides == "What decides this deal: Check in after the trial, 2026-12-04."


def test_a_plan_stopped_at_its_gate_says_when_the_signature_can_come_at_the_earliest():
    # Northwind is planned only to the ROI review with the CFO, but the manager still sees what the gate means
    # for the date: about 30 working days of paper process after it, so late January, before the 1/29 close
    deal = load_deal(DEALS / "northwind-validation.yaml")
    steps = draft_plan(deal, deal.as_of, gate="meet the economic buyer")
    note = next(s.note for s in steps if "once this gate is passed" in (s.note or ""))
    assert "signature around 2027-01" in note and "after the close date" not in note
    tight = deal.model_copy(update={"close_date": dt.date(2026, 12, 22)})
    note = next(s.note for s in draft_plan(tight, deal.as_of, gate="x") if "once this gate" in (s.note or ""))
    assert "after the close date 2026-12-22" in note


def test_a_decision_the_buyers_own_plan_takes_is_not_presented_again():
    # Prairie Shield's steering committee decided on 11/19 (done) and legal signed the MSA: the plan is the
    # signature on 12/15, not a business case to present; "Onboarding" on a plan is no board decision
    path = DEALS.parent.parent / "evals" / "calibration" / "deals" / "prairie-shield-incumbent-reprice.yaml"
    deal = load_deal(path)
    report = Coach("offline").review(deal)
    assert not any(s.action.startswith("Present the business case") for s in report.mutual_action_plan)
    assert report.decides == "What decides this deal: COO and CEO sign, 2026-12-15."
    assert not any("not credible" in (s.note or "") for s in report.mutual_action_plan)


def test_a_plan_never_calls_the_close_date_not_credible_under_a_best_case_call():
    # Grantham: called Best Case for its close; the drafted paper steps (ae-coach default lengths) need more
    # working days than are left, which is no evidence against the buyer's date: fit them, say what is late.
    # (Penrose served here until its plan, nothing but the signature, stopped dating its decision: now pipeline.)
    deal = load_deal(DEALS.parent.parent / "evals" / "calibration" / "deals" / "grantham-medical-paper-unknown.yaml")
    report = Coach("offline").review(deal)
    assert report.forecast.category == "best_case"
    notes = " ".join(step.note or "" for step in report.mutual_action_plan)
    assert "not credible" not in notes
    assert max(s.date for s in report.mutual_action_plan if "sign" in s.action.lower()) <= deal.close_date
    unheld = draft_plan(deal, deal.as_of)  # the same steps without the call: the squeeze is reported
    assert "not credible" in " ".join(step.note or "" for step in unheld)


CALIBRATION = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals"
_QUESTIONNAIRE = "Send the security questionnaire"
_BUSINESS_CASE = "Present the business case"


def _drafted(coach, deal) -> list[str]:
    return [s.action for s in coach.review(deal).mutual_action_plan if s.kind != "agreed"]


def _reworded(deal, day: str, summary: str):
    """The deal with the activity of ``day`` saying ``summary`` instead."""
    when = dt.date.fromisoformat(day)
    activities = [a.model_copy(update={"summary": summary}) if a.date == when else a for a in deal.activities]
    return deal.model_copy(update={"activities": activities})


def test_a_security_review_the_buyer_says_went_in_is_not_drafted_again(coach):
    # "IT security intake form submitted 11-24, their SLA is 3-4 weeks": the review is under way, what remains
    # is the buyer's "Security review complete" on their own plan
    deal = load_deal(CALIBRATION / "ardent-pharma-security-unstarted.yaml")
    assert not any(a.startswith(_QUESTIONNAIRE) for a in _drafted(coach, deal))
    plan_zh = Coach("offline", rulebook=load_rulebook(), lang="zh").review(deal).mutual_action_plan
    assert [s.kind for s in plan_zh] == [s.kind for s in coach.review(deal).mutual_action_plan]


@pytest.mark.parametrize(
    "summary",
    [
        "Brian: not sure if IT security needs to look at it; he will find out",  # a doubt, not a review under way
        "New CISO (started 11-16) asks for our SOC 2 report and a full vendor risk assessment",  # his start, not ours
    ],
)
def test_a_security_review_only_asked_about_is_still_drafted(coach, summary):
    deal = _reworded(load_deal(CALIBRATION / "ardent-pharma-security-unstarted.yaml"), "2026-11-25", summary)
    assert any(a.startswith(_QUESTIONNAIRE) for a in _drafted(coach, deal))


@pytest.mark.parametrize(
    "name",
    [
        "para-sequoia-labs-quiet-champion",  # "COO signed off price + scope" (the COO signs)
        "stanmore-analytics-rival-in-note",  # "Proposal presented to CMO; price 'in the range'"
        "para-meridian-dental-small-commit",  # the managing partner "OK'd ... list minus 10%"
    ],
)
def test_the_business_case_the_economic_buyer_already_took_is_not_drafted(coach, name):
    deal = load_deal(CALIBRATION / f"{name}.yaml")
    assert not any(a.startswith(_BUSINESS_CASE) for a in _drafted(coach, deal))


def test_a_price_the_signer_took_before_a_rival_came_back_still_gets_its_business_case_review(coach):
    # "COO fine with price" on 11-12, then procurement invited a second bid: the case is to make again
    deal = load_deal(CALIBRATION / "pemberton-foods-late-rival-slipped.yaml")
    assert any(a.startswith(_BUSINESS_CASE) for a in _drafted(coach, deal))


def test_a_price_accepted_by_someone_other_than_the_signer_does_not_count(coach):
    deal = load_deal(CALIBRATION / "para-sequoia-labs-quiet-champion.yaml")
    signer = next(s.name for s in deal.stakeholders if str(s.role) == "economic_buyer")
    activities = [a.model_copy(update={"with_": [p for p in a.with_ if p != signer]}) for a in deal.activities]
    assert any(
        a.startswith(_BUSINESS_CASE) for a in _drafted(coach, deal.model_copy(update={"activities": activities}))
    )


def test_a_meeting_booked_with_a_parked_signer_is_the_gate_the_plan_waits_on():
    # Wingtip: the first action books the meeting with Greta Holm (parked the deal, silent since 10-05) through the
    # champion by 12-02, to be held by 12-11. The plan shows that meeting and dates the renewal's signature from it,
    # not from "Piet chases procurement" on 12-04 (a blind VP grade: "the plan waits on the wrong step")
    deal = load_deal(Path(__file__).resolve().parent.parent / "examples" / "deals" / "wingtip-slipped.yaml")
    report = Coach("offline").review(deal)
    assert "to be held by 2026-12-11" in report.next_actions[0].action
    plan = report.mutual_action_plan
    meeting = next(s for s in plan if s.date == dt.date(2026, 12, 11))
    assert "Greta Holm" in meeting.owner
    assert "if it passes on 2026-12-11" in meeting.note
    chase = next(s for s in plan if s.action == "Piet chases procurement")
    assert "gate" not in chase.note and "at the earliest" not in chase.note
    signature = next(s for s in plan if s.kind == "signature")
    assert signature.date > meeting.date


def test_paper_runs_alongside_the_gate_when_the_buyers_date_leaves_too_little_after_it():
    # Lucerne: CFO review 12-05, signature 12-20: 10 working days after the gate for about 20 of paper. Two blind VP
    # grades: "paper must run in parallel now or 12-31 is gone"; one step, owned by their procurement manager
    deal = load_deal(DEALS / "lucerne-late-stakeholder.yaml")
    steps = Coach("offline").review(deal).mutual_action_plan
    parallel = [s for s in steps if "in parallel with the gate on 2026-12-05" in (s.note or "")]
    assert len(parallel) == 1
    assert parallel[0].action.startswith('Agree the steps before "Signature" on 2026-12-20')
    assert parallel[0].owner.startswith("Tessa Blum") and parallel[0].date < dt.date(2026, 12, 5)
    # a signature far enough after the gate: the paper waits for the gate as before
    data = deal.model_dump(mode="json", by_alias=True)
    data["mutual_action_plan"][1]["date"] = "2027-01-29"
    later = Coach("offline").review(parse_deal(data)).mutual_action_plan
    assert not any("in parallel with the gate" in (s.note or "") for s in later)
