"""Account tier (the seed's table) and competitive positioning (the seed's strategy and risk)."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from analysis_builders import build, by_code, healthy

CASES = [
    ("account.tier", build, lambda: build(("stage", "closed_lost"))),
    ("competition.positioning", build, lambda: build(("stage", "closed_won"))),
    ("account.poor_fit", lambda: build(("fit", "poor")), build),
    (
        "data.coverage",
        lambda: build(("source", {"system": "salesforce_report", "missing": ["meddpicc", "stakeholders"]})),
        lambda: build(("source", {"system": "salesforce_report", "missing": []})),
    ),
]


def test_a_thin_export_is_judged_on_what_it_carries() -> None:
    data = healthy()
    data["stakeholders"], data["meddpicc"] = [], {}
    data["source"] = {"system": "salesforce_report", "missing": ["meddpicc", "stakeholders"]}
    found = by_code(parse_deal(data))
    assert not [code for code in found if code.startswith(("meddpicc.", "committee.", "anti.single_threading"))]
    assert "meddpicc.economic_buyer" in found["data.coverage"].data["not_judged"]
    # the same deal written by hand, without the source note, is judged as broken
    data.pop("source")
    assert "committee.missing_role" in by_code(parse_deal(data))


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_account_finding_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert by_code(fire())[code].severity is (Severity.HIGH if code == "account.poor_fit" else Severity.INFO)
    assert code not in by_code(quiet())


@pytest.mark.parametrize(
    ("amount", "fit", "edits", "tier"),
    [
        (150000, "strong", [], 1),
        (150000, "good", [], 2),  # tier 1 needs strategic fit
        (150000, "strong", [("as_of", "2027-01-20")], 2),  # ... and active buying
        (150000, "strong", [("stage", "discovery")], 2),
        (75000, "good", [], 2),
        (75000, "unknown", [], 3),  # tier 2 needs a good fit
        (30000, "good", [], 3),
        (24999, "strong", [], 4),
        (500000, "poor", [], 4),
    ],
)
def test_tier_from_amount_fit_and_buying_activity(amount, fit, edits, tier) -> None:
    finding = by_code(build(("amount", amount), ("fit", fit), *edits))["account.tier"]
    assert finding.data["tier"] == tier
    assert finding.data["time_share"] == {1: 40, 2: 35, 3: 20, 4: 5}[tier]


@pytest.mark.parametrize(
    ("situation", "strategy", "risk"),
    [
        ("incumbent", "Land-and-expand, proof of value, executive alignment", "Complacency, disruption"),
        ("challenger", "Differentiation, champion mobilization, urgency creation", "Longer sales cycle"),
        ("unknown", "Early discovery, pain quantification, category creation", "Education burden"),
        ("displacing", "Cost of status quo, migration support, fact-based comparison", "Resistance to change"),
    ],
)
def test_positioning_per_situation(situation, strategy, risk) -> None:
    data = by_code(build(("situation", situation), ("competitors", [])))["competition.positioning"].data
    assert (data["situation"], data["strategy"], data["risk"]) == (situation, strategy, risk)


def test_unknown_situation_with_an_incumbent_competitor_is_displacement() -> None:
    finding = by_code(build(("situation", "unknown"), ("competitors", [{"name": "Zendesk", "status": "incumbent"}])))[
        "competition.positioning"
    ]
    assert finding.data["situation"] == "displacing"
    assert any("Zendesk is the incumbent" in e for e in finding.evidence)
