"""Buying-committee coverage by stage and by deal size."""

from __future__ import annotations

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import Deal, parse_deal
from ae_coach.findings import Severity
from analysis_builders import activity, build, by_code, healthy

CASES = [
    (
        "committee.missing_role",
        lambda: build(("stakeholders.2.role", "influencer"), ("stakeholders.2.title", "Procurement Manager")),
        build,
    )
]


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_committee_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert code in by_code(fire())
    assert code not in by_code(quiet())


@pytest.mark.parametrize(
    ("stage", "amount", "missing_role", "fires"),
    [
        ("discovery", 60000, "user_buyer", False),
        ("discovery", 60000, "champion", True),
        ("scoping", 60000, "technical_buyer", True),
        ("scoping", 60000, "economic_buyer", False),
        ("validation", 60000, "economic_buyer", True),
        ("validation", 60000, "user_buyer", False),  # mid-size deal: user buyer expected from proposal
        ("validation", 150000, "user_buyer", True),  # large deal: the full committee from validation
        ("proposal", 60000, "user_buyer", True),
        ("proposal", 9000, "technical_buyer", False),  # small deal: economic buyer and champion suffice
        ("proposal", 9000, "economic_buyer", True),
    ],
)
def test_required_roles_by_stage_and_deal_size(stage, amount, missing_role, fires) -> None:
    index = {"champion": 0, "economic_buyer": 1, "technical_buyer": 2, "user_buyer": 3}[missing_role]
    deal = build(
        ("stage", stage),
        ("amount", amount),
        (f"stakeholders.{index}.role", "influencer"),
        (f"stakeholders.{index}.title", "Procurement Manager"),  # a title that names no IT function
    )
    found = by_code(deal).get("committee.missing_role")
    assert (found is not None and missing_role in found.data["missing"]) is fires


def test_small_deal_economic_buyer_covers_the_champion() -> None:
    deal = build(("amount", 9000), ("stakeholders.0.role", "influencer"))
    assert "committee.missing_role" not in by_code(deal)


def test_missing_economic_buyer_late_is_high() -> None:
    finding = by_code(build(("stakeholders.1.role", "influencer")))["committee.missing_role"]
    assert finding.severity is Severity.HIGH
    assert finding.data["missing"] == ["economic_buyer"]


def test_the_buyers_it_lead_covers_the_technical_view_whatever_their_role() -> None:
    """A "Director of IT" the rep recorded as an influencer (or a champion who is "Director of IT and Operations")
    is the technical view in the room: no "no technical buyer identified" (tenth blind VP grade)."""
    deal = build(("stakeholders.2.role", "influencer"))  # the builder's Director of IT
    assert "committee.missing_role" not in by_code(deal)


def _no_user_buyer(*summaries: str, title: str = "Procurement Manager") -> Deal:
    """The healthy proposal deal with its user buyer moved to influencer, and activities with the champion."""
    data = healthy()
    data["stakeholders"][3].update(role="influencer", title=title)
    for summary in summaries:
        data["activities"].append(
            activity("2026-10-20", "meeting", summary, direction="two_way", **{"with": ["Dana Lee"]})
        )
    return parse_deal(data)


@pytest.mark.parametrize(
    ("deal", "missing"),
    [
        (lambda: _no_user_buyer(), True),
        (lambda: _no_user_buyer("Pilot readout in Dana's team: forecast error down 4 points"), False),
        (lambda: _no_user_buyer("Trial wrap-up: 12 reps live for 3 weeks, Dana happy"), False),
        (lambda: _no_user_buyer("Priya asked for a pilot before deciding"), True),  # asked for, not run
        (lambda: _no_user_buyer(title="Key User, Sales Operations"), False),
    ],
    ids=["nothing on record", "pilot readout", "trial", "pilot only asked for", "title says key user"],
)
def test_the_user_side_is_read_from_the_whole_record(deal, missing: bool) -> None:
    """The leader of the team that uses it is on the map when the record shows them without the CRM role: the
    champion whose team ran the pilot, or a title that says so."""
    found = by_code(deal()).get("committee.missing_role")
    assert (found is not None and "user_buyer" in found.data["missing"]) is missing
    questions = [q.question for q in Coach("offline").review(deal()).questions]
    assert any("use this every day" in q for q in questions) is missing
