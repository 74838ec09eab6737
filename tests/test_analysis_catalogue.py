"""Every deal finding code has a deal where it fires and one where it stays quiet; findings carry rules."""

from __future__ import annotations

from types import SimpleNamespace

import test_analysis_account
import test_analysis_anti
import test_analysis_committee
import test_analysis_hygiene
import test_analysis_meddpicc
import test_analysis_momentum
import test_analysis_positive
import test_analysis_stage
from ae_coach.findings import DEAL_FINDING_CODES, Severity, sort_findings
from ae_coach.inspector import inspect
from ae_coach.rules import load_rulebook
from analysis_builders import build, findings, problems

TABLES = [
    test_analysis_meddpicc,
    test_analysis_stage,
    test_analysis_momentum,
    test_analysis_positive,
    test_analysis_committee,
    test_analysis_anti,
    test_analysis_account,
    test_analysis_hygiene,
]


def test_every_deal_code_has_a_fire_and_a_quiet_case() -> None:
    covered = {code for module in TABLES for code, _fire, _quiet in module.CASES}
    assert covered == set(DEAL_FINDING_CODES)


def test_the_healthy_deal_raises_nothing_above_info() -> None:
    assert problems(build()) == []


def test_findings_are_sorted_worst_first_then_by_code() -> None:
    found = findings(
        build(
            ("meddpicc.economic_buyer", {"status": "unknown"}),
            ("stakeholders.1.role", "influencer"),
            ("mutual_action_plan", []),
        )
    )
    assert found == sort_findings(found)
    assert found[0].severity is Severity.CRITICAL


def test_every_finding_has_evidence_and_a_catalogue_code() -> None:
    for finding in findings(build(("stage", "scoping"), ("next_step", None), ("probability", 99))):
        assert finding.code in DEAL_FINDING_CODES
        assert finding.evidence, finding.code


def test_rule_ids_come_from_the_rulebook_triggers() -> None:
    rulebook = SimpleNamespace(
        rules=[
            SimpleNamespace(id="deal-mutual-action-plan", triggers=["anti.hoping_not_controlling"]),
            SimpleNamespace(id="execution-weekly-cadence", triggers=["anti.hoping_not_controlling", "momentum.stale"]),
        ]
    )
    found = {f.code: f for f in inspect(build(("mutual_action_plan", [])), rulebook=rulebook)}
    assert found["anti.hoping_not_controlling"].rules == ["deal-mutual-action-plan", "execution-weekly-cadence"]
    assert found["account.tier"].rules == []


def test_default_rulebook_is_used_when_none_is_given() -> None:
    rulebook = load_rulebook()
    for finding in findings(build(("stage", "validation"), ("mutual_action_plan", []))):
        expected = sorted(rule.id for rule in rulebook.by_trigger(finding.code))
        assert finding.rules == expected
