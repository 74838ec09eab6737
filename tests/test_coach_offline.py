"""The offline coach: deterministic, and useful on its own for every example deal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from coach_deals import NORTHWIND

from ae_coach.coach import Coach
from ae_coach.coach._wording import fit_stage, parse_question
from ae_coach.deal import load_deal, parse_deal
from ae_coach.findings import Severity
from ae_coach.rules import load_rulebook

EXAMPLE_DEALS = sorted((Path(__file__).resolve().parent.parent / "examples" / "deals").glob("*.yaml"))
PAPER = ("security", "legal", "procurement", "signature")


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="module")
def coach(rulebook):
    return Coach("offline", rulebook=rulebook)


def report_stage(path: Path) -> str:
    return load_deal(path).stage.value


def test_there_are_example_deals_to_review():
    assert len(EXAMPLE_DEALS) >= 10


@pytest.mark.parametrize("path", EXAMPLE_DEALS, ids=lambda p: p.stem)
def test_every_serious_finding_gets_a_next_action_citing_a_rule_that_addresses_it(coach, rulebook, path):
    result = coach.run_review(load_deal(path))
    report, findings = result.report, result.assessment.findings
    for finding in findings:
        if finding.severity not in (Severity.CRITICAL, Severity.HIGH):
            continue
        actions = [a for a in report.next_actions if finding.code in a.finding_codes]
        assert actions, f"{path.stem}: no action for {finding.code}"
        for action in actions:
            rule = rulebook.get(action.rule_id)
            assert rule is not None and finding.code in rule.triggers
            # the rule's own step, with only its stage words fitted ("Ask in scoping…" at proposal: "Ask now…")
            steps = " ".join(fit_stage(step, report_stage(path)) for step in rule.steps)
            assert action.action.split(" (")[0].rstrip(".") in steps
            assert action.due is not None and action.due > report.as_of


@pytest.mark.parametrize("path", EXAMPLE_DEALS, ids=lambda p: p.stem)
def test_report_is_consistent_with_the_assessment(coach, path):
    result = coach.run_review(load_deal(path))
    report, assessment = result.report, result.assessment
    assert report.backend == "offline" and report.narrative is None and report.usage is None
    assert report.health.score == assessment.health
    assert report.forecast.category == assessment.recommended_forecast
    assert report.forecast.why_not_commit == assessment.why_not_commit
    assert report.account in report.headline
    assert not report.dropped_rule_ids
    dates = [s.date for s in report.mutual_action_plan]
    assert dates == sorted(dates)
    for question in report.questions:
        assert not question.question.startswith(("Deal review", '"'))
        assert question.role != "ae" or question.stakeholder is None


def test_questions_come_from_the_rules_and_are_addressed_by_role(coach, rulebook):
    deal = parse_deal(dict(NORTHWIND))
    report = coach.review(deal)
    assert report.questions
    for question in report.questions:
        rule = rulebook.get(question.rule_id)
        # Northwind names no economic buyer: the rule's "[economic buyer]" reads "the budget holder"
        originals = [parse_question(q)[0].replace("[economic buyer]", "the budget holder") for q in rule.questions]
        assert question.question in originals or any(
            question.question.replace(" (Dana Lee)", "") in o for o in originals
        )
        assert "[" not in question.question
    buyer = [q for q in report.questions if q.role != "ae"]
    assert {q.stakeholder for q in buyer} == {"Dana Lee"}
    assert {q.role for q in buyer} == {"champion"}


def test_actions_name_the_people_the_deal_knows(coach):
    report = coach.review(parse_deal(dict(NORTHWIND)))
    assert any(a.contact and a.contact.startswith("Dana Lee (VP Revenue Operations, champion)") for a in report.next_actions)
    assert all(a.owner == "AE (you)" for a in report.next_actions)
    owned = parse_deal({**NORTHWIND, "owner": "Sam Rivera"})
    assert {a.owner for a in coach.review(owned).next_actions} == {"Sam Rivera"}


def test_due_dates_follow_severity_and_land_before_the_close_date(coach):
    report = coach.review(parse_deal(dict(NORTHWIND)))
    by_code = {c: a.due for a in report.next_actions for c in a.finding_codes}
    assert by_code["anti.forecast_fantasy"] == dt.date(2026, 11, 28)  # critical: 2 days
    assert by_code["meddpicc.economic_buyer"] == dt.date(2026, 12, 1)  # high: 5 days
    soon = parse_deal({**NORTHWIND, "close_date": "2026-11-29"})
    assert all(a.due <= dt.date(2026, 11, 28) for a in coach.review(soon).next_actions)


def test_mutual_action_plan_is_planned_backward_with_paper_process_owners(coach):
    deal = parse_deal({**NORTHWIND, "close_date": "2027-02-26", "owner": "Sam Rivera"})
    plan = coach.review(deal).mutual_action_plan
    text = " ".join(s.action.lower() for s in plan)
    for step in PAPER:
        assert step in text
    signature = next(s for s in plan if s.kind == "signature")
    assert signature.date == dt.date(2027, 2, 23) and signature.side == "buyer"
    assert all(s.status == "planned" for s in plan)
    assert {s.side for s in plan} == {"buyer", "seller", "joint"}
    assert any("Sam Rivera" in s.owner for s in plan if s.side == "seller")
    assert any("Dana Lee" in s.owner for s in plan)  # the champion owns the evaluation plan


def test_plan_flags_steps_that_no_longer_fit_before_the_close_date(coach):
    plan = coach.review(parse_deal(dict(NORTHWIND))).mutual_action_plan  # closes in 19 days
    late = [s for s in plan if s.status == "at_risk"]
    assert late and all(s.date == dt.date(2026, 11, 26) and "already past" in s.note for s in late)


def test_plan_keeps_the_buyers_agreed_steps(coach):
    deal = parse_deal({**NORTHWIND, "mutual_action_plan": [
        {"date": "2026-12-02", "action": "Security review with IT", "owner": "customer", "status": "planned"}]})
    plan = coach.review(deal).mutual_action_plan
    agreed = [s for s in plan if s.kind == "agreed"]
    assert [s.action for s in agreed] == ["Security review with IT"] and agreed[0].side == "buyer"
    assert not any(s.action.startswith("Complete the security review") for s in plan)


def test_lost_deals_get_no_plan_and_won_deals_get_the_handoff(coach):
    assert coach.review(parse_deal({**NORTHWIND, "stage": "closed_lost"})).mutual_action_plan == []
    won = coach.review(parse_deal({**NORTHWIND, "stage": "closed_won"})).mutual_action_plan
    assert [s.kind for s in won] == ["onboarding"]


def test_offline_review_is_deterministic(coach):
    deal = parse_deal(dict(NORTHWIND))
    assert coach.review(deal).model_dump_json() == coach.review(deal).model_dump_json()
