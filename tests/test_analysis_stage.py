"""Stage gates: earlier exit criteria unmet (stage.unearned) and what the next gate needs (stage.next_gate)."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from analysis_builders import build, by_code, healthy, without_record


def _no_terms() -> dict:
    data = healthy()
    data["activities"][5]["summary"] = "Call about the rollout order"
    return data


CASES = [
    (
        "stage.unearned",
        lambda: build(
            ("meddpicc.decision_criteria", {"status": "partial", "evidence": "SSO matters"}),
            *without_record("decision_criteria"),
        ),
        build,
    ),
    ("stage.next_gate", lambda: parse_deal(_no_terms()), build),
]


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_stage_gate_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert code in by_code(fire())
    assert code not in by_code(quiet())


@pytest.mark.parametrize(
    ("edits", "unmet"),
    [
        ([("meddpicc.identified_pain", {"status": "partial"})], "discovery: pain confirmed"),
        (
            [("meddpicc.champion", {"status": "unknown"}), ("stakeholders.0.role", "user_buyer")],
            "discovery: champion identified",
        ),
        ([("close_date", None), ("meddpicc.decision_process", {"status": "unknown"})], "discovery: timeline set"),
        (
            [("meddpicc.decision_criteria", {"status": "confirmed"}), *without_record("decision_criteria")],
            "scoping: solution requirements defined",
        ),
        ([("meddpicc.metrics", {"status": "unknown"})], "scoping: success criteria agreed"),
        ([("meddpicc.metrics", {"status": "partial", "evidence": "faster"})], "validation: ROI accepted"),
        (
            [("activities.2.summary", "IT meeting"), ("stakeholders.2.sentiment", "neutral")],
            "validation: technical validation complete",
        ),
    ],
)
def test_each_exit_criterion_maps_to_deal_evidence(edits, unmet) -> None:
    finding = by_code(build(*edits))["stage.unearned"]
    assert unmet in finding.data["unmet"]


def test_economic_buyer_engaged_criterion() -> None:
    deal = build(
        ("meddpicc.economic_buyer", {"status": "partial"}),
        ("stakeholders.1.engaged", False),
        (
            "activities",
            [
                a | {"with": [p for p in a.get("with", []) if p != "Priya Shah"], "summary": "meeting"}
                for a in healthy()["activities"]
            ],
        ),
    )
    assert "validation: economic buyer engaged" in by_code(deal)["stage.unearned"].data["unmet"]


def test_budget_range_from_text_or_tag() -> None:
    data = healthy()
    data["activities"][0]["summary"] = "Discovery: current forecast process"
    data["meddpicc"]["economic_buyer"] = {"status": "partial", "evidence": "CFO"}
    data["stakeholders"] = [s for s in data["stakeholders"] if s["role"] != "economic_buyer"]
    found = by_code(parse_deal(data))
    assert "discovery: budget range known" in found["stage.unearned"].data["unmet"]
    data["activities"][0]["signals"] = ["budget_confirmed"]
    assert "discovery: budget range known" not in by_code(parse_deal(data)).get("stage.unearned", _empty()).data.get(
        "unmet", []
    )


def _empty():
    class _F:
        data: dict = {}  # noqa: RUF012 - a read-only stand-in

    return _F()


def test_severity_grows_with_unmet_criteria_far_back() -> None:
    one = by_code(build(("meddpicc.decision_criteria", {"status": "partial"}), *without_record("decision_criteria")))[
        "stage.unearned"
    ]
    many = by_code(
        build(
            *without_record("decision_criteria"),
            ("meddpicc.decision_criteria", {"status": "partial"}),
            ("meddpicc.metrics", {"status": "unknown"}),
            ("meddpicc.identified_pain", {"status": "partial"}),
        )
    )["stage.unearned"]
    assert (one.severity, many.severity) == (Severity.MEDIUM, Severity.HIGH)


def test_next_gate_names_the_next_stage_and_missing_criteria() -> None:
    finding = by_code(build(("stage", "closing")))["stage.next_gate"]
    assert finding.severity is Severity.INFO
    assert finding.data == {"missing": ["verbal commitment", "legal/procurement complete"], "next_stage": "closed_won"}


def test_discovery_deal_is_never_unearned() -> None:
    assert "stage.unearned" not in by_code(build(("stage", "discovery"), ("meddpicc.metrics", {"status": "unknown"})))


def test_closed_deals_have_no_gates() -> None:
    found = by_code(build(("stage", "closed_won")))
    assert "stage.unearned" not in found and "stage.next_gate" not in found


def test_criteria_unmet_only_by_notes_left_empty_do_not_make_the_stage_look_skipped() -> None:
    claimed = {"status": "confirmed"}  # marked confirmed, no note, nothing in the record behind it
    bare = [("activities", [a for a in healthy()["activities"] if a["type"] == "proposal"])]
    edits = [(f"meddpicc.{name}", claimed) for name in ("identified_pain", "metrics", "decision_criteria")]
    found = by_code(build(*bare, *edits)).get("stage.unearned")
    assert found is not None and found.severity is not Severity.HIGH and len(found.data["unmet"]) >= 3
    unknown = [
        (f"meddpicc.{name}", {"status": "unknown"}) for name in ("identified_pain", "metrics", "decision_criteria")
    ]
    assert by_code(build(*bare, *unknown))["stage.unearned"].severity is Severity.HIGH  # really not done
