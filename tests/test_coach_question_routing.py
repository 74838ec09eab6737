"""Questions go to someone who can answer them (issue 13: a blind VP grade struck questions put to a signer nobody
has met, to the CEO's executive assistant, and questions the record already answers)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._situation import Situation, told_by
from ae_coach.deal import Role, load_deal, parse_deal
from ae_coach.inspector import assess
from coach_deals import NORTHWIND

ROOT = Path(__file__).resolve().parent.parent
DEALS = sorted((ROOT / "examples" / "deals").glob("*.yaml")) + sorted(
    (ROOT / "evals" / "calibration" / "deals").glob("*.yaml")
)
CALIBRATION = ROOT / "evals" / "calibration" / "deals"


@pytest.fixture(scope="module")
def coach():
    return Coach("offline")


def _booked_with(facts, name: str) -> bool:
    return any(i.kind in ("meeting", "activity") and name in i.people for i in facts.upcoming)


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_questions_and_actions_go_to_someone_who_can_answer_them(coach, path):
    result = coach.run_review(load_deal(path))
    facts = result.assessment.facts
    for question in result.report.questions:
        if question.role == "ae" or question.stakeholder is None:
            continue
        person = facts.person(question.stakeholder)
        assert person is not None
        assert not person.assistant, question  # an assistant books the diary; she answers nothing for the buyer
        assert person.left is None, question  # someone who has left the company answers nothing
        assert person.name not in question.question, question  # a question about them is not for them
        if person.role == Role.ECONOMIC_BUYER:
            assert person.met or _booked_with(facts, person.name), question  # no meeting, no question
            assert "Who approves this purchase" not in question.question
    assistants = [p.name for p in facts.people if p.assistant]
    for action in result.report.next_actions:  # nor a meeting with her "about the view she gave"
        assert not any((action.contact or "").startswith(name) for name in assistants), action
    for question in result.report.questions:  # nor a question about her "joining"
        assert not any(name in question.question for name in assistants), question


def _deal(**changes):
    data = copy.deepcopy(NORTHWIND)
    data.update(changes)
    return parse_deal(data)


def _situation(deal):
    return Situation.of(deal, assess(deal))


def _person(deal, name):
    return next(s for s in deal.stakeholders if s.name == name)


CFO_NEVER_MET = {"name": "Ravi Patel", "title": "CFO", "role": "economic_buyer", "engaged": False}
EA = {
    "name": "Claire Bassett",
    "title": "Executive Assistant to the CEO",
    "role": "unknown",
    "engaged": True,
    "last_contact": "2026-11-20",
}


def test_a_signer_nobody_has_met_cannot_be_asked_until_a_meeting_is_booked():
    deal = _deal(stakeholders=[NORTHWIND["stakeholders"][0], CFO_NEVER_MET])
    situation = _situation(deal)
    assert situation.reachable(_person(deal, "Dana Lee"))
    assert not situation.reachable(_person(deal, "Ravi Patel"))
    booked = {"date": "2026-12-02", "type": "meeting", "status": "scheduled", "with": ["Ravi Patel", "Dana Lee"]}
    deal = _deal(
        stakeholders=[NORTHWIND["stakeholders"][0], CFO_NEVER_MET], activities=[*NORTHWIND["activities"], booked]
    )
    assert _situation(deal).reachable(_person(deal, "Ravi Patel"))


def test_a_plan_step_naming_the_signer_is_no_meeting_of_the_reps():
    step = {"date": "2026-12-10", "action": "CFO signature", "owner": "customer"}
    deal = _deal(stakeholders=[NORTHWIND["stakeholders"][0], CFO_NEVER_MET], mutual_action_plan=[step])
    assert not _situation(deal).reachable(_person(deal, "Ravi Patel"))


@pytest.mark.parametrize(
    ("title", "assistant"),
    [
        ("Executive Assistant to the CEO", True),
        ("PA to the Managing Director", True),
        ("Personal Assistant", True),
        ("总裁助理", True),
        ("Assistant General Manager", False),
        ("Assistant County Attorney", False),
        ("Operations Coordinator", False),
        ("Office Manager", False),
        ("秘书长", False),
    ],
)
def test_an_assistant_is_read_from_the_title_and_is_never_asked(title, assistant):
    deal = _deal(stakeholders=[NORTHWIND["stakeholders"][0], {**EA, "title": title}])
    facts = assess(deal).facts
    assert facts.person("Claire Bassett").assistant is assistant
    assert _situation(deal).reachable(_person(deal, "Claire Bassett")) is not assistant


@pytest.mark.parametrize(
    ("name", "speaker"),
    [
        ("vantage-outdoor-budget-reapproval", "Roberto Salas"),  # "Roberto: …" in a meeting with two people
        ("quill-publishing-early-proposal", "Hannah Gill"),  # the one person on the call
        ("tilbury-ports-champion-other-project", "Marcus Delaney"),  # "Marcus: …" in an email
    ],
)
def test_who_raised_a_budget_concern_is_read_from_the_conversation_it_came_from(coach, name, speaker):
    deal = load_deal(CALIBRATION / f"{name}.yaml")
    finding = next(f for f in assess(deal).findings if f.code == "momentum.budget_concern_late")
    person = told_by(finding, deal)
    assert person is not None and person.name == speaker
    questions = [q.question for q in coach.review(deal).questions]
    assert not any("Who raised the concern" in q for q in questions)


def test_two_rules_asking_one_person_the_same_thing_ask_it_once() -> None:
    """Castleton: deal-stalled-recovery's "Our last sessions have had to move. Is this still a priority…" and
    deal-danger-signals' "This meeting has moved more than once now. Has the priority changed…", both to Josh Mallory
    about the same cancelled meeting: one question, the next slot to something else."""
    from ae_coach.coach._questions import _same_ask

    assert _same_ask(
        "This meeting has moved more than once now. Has the priority changed on your side?",
        "Our last sessions have had to move. Is this still a priority this quarter, or has something else taken its place?",
    )
    assert not _same_ask(
        "Between now and signature, what has to happen on your side, and who owns each step?",
        "If we deliver everything in the plan, is anything left that could stop a signature by the date we agreed?",
    )
    assert not _same_ask("这个会议改了好几次了，你们那边的优先级变了吗？", "还有谁需要同意才能签？")
    deal = load_deal(
        Path(__file__).resolve().parent.parent / "evals/calibration/deals/castleton-retail-ceo-cancelled-decision.yaml"
    )
    asked = [q.question for q in Coach(backend="offline").review(deal).questions if q.stakeholder == "Josh Mallory"]
    assert sum("moved" in q or "move" in q for q in asked) == 1


def test_what_the_buyers_own_plan_answers_is_not_asked_and_a_champion_is_not_introduced() -> None:
    """Tenth blind VP grade: "Between now and signature, what has to happen on your side…" to buyers whose own dated
    plan lays out those steps; "ask Ivy to introduce you to your champion" when Ivy is the candidate."""
    root = Path(__file__).resolve().parent.parent
    coach = Coach(backend="offline")
    halden = coach.review(load_deal(root / "evals/calibration/deals/halden-seafarms-transfer-annex.yaml"))
    assert not any("Between now and signature" in q.question for q in halden.questions)
    proseware = coach.review(load_deal(root / "examples/deals/proseware-demo-first.yaml"))
    assert not any("introduce you to your champion" in a.action for a in proseware.next_actions)
