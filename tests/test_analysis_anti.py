"""The ten anti-patterns: each fires where the data shows it, and never on the healthy deal."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import inspect
from ae_coach.inspector.priority import ranked
from analysis_builders import activity, build, by_code, healthy, with_activities, without_record


def _single_threaded(amount: int = 150000, role: str = "champion") -> dict:
    data = healthy()
    data["amount"] = amount
    data["stakeholders"] = [data["stakeholders"][0] | {"role": role}]
    data["activities"] = [a | {"with": ["Dana Lee"]} for a in data["activities"]]
    return data


def _without_first_call() -> dict:
    data = healthy()
    data["activities"] = data["activities"][1:]
    return data


def _closed_won(handoff: bool) -> dict:
    data = healthy()
    data.update(stage="closed_won", close_date="2026-11-10", as_of="2026-12-01")
    data["mutual_action_plan"] = []
    if handoff:
        data["activities"].append(
            activity("2026-11-14", "meeting", "Kick-off with customer success", **{"with": ["Dana Lee"]})
        )
    return data


CASES = [
    ("anti.happy_ears", lambda: build(("probability", 95)), build),
    ("anti.single_threading", lambda: parse_deal(_single_threaded()), build),
    (
        "anti.feature_dumping",
        lambda: parse_deal(with_activities(activity("2026-11-21", "demo", "Full product tour for the new analysts"))),
        build,
    ),
    (
        "anti.proposal_too_early",
        lambda: build(("meddpicc.metrics", {"status": "partial", "evidence": "faster"})),
        build,
    ),
    ("anti.hoping_not_controlling", lambda: build(("mutual_action_plan", [])), build),
    ("anti.demo_before_discovery", lambda: parse_deal(_without_first_call()), build),
    (
        "anti.ignoring_competition",
        lambda: build(("competitors", []), ("meddpicc.competition", {"status": "unknown"}), ("notes", None)),
        build,
    ),
    (
        "anti.neglecting_champion",  # no business case, and never in the room with the signer
        lambda: build(
            ("activities.3.summary", "CFO meeting"),
            ("activities.3.with", ["Priya Shah"]),
            ("activities.5.with", ["Priya Shah"]),
        ),
        build,
    ),
    (
        "anti.forecast_fantasy",
        lambda: build(("meddpicc.economic_buyer", {"status": "unknown"}), *without_record("economic_buyer")),
        build,
    ),
    ("anti.post_close_abandonment", lambda: parse_deal(_closed_won(False)), lambda: parse_deal(_closed_won(True))),
]


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_anti_pattern_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert code in by_code(fire())
    assert code not in by_code(quiet())


def test_happy_ears_from_bare_confirmations_and_optimism() -> None:
    # confirmed with no note and nothing in the record behind it: the rep's word three times
    bare = build(
        *[(f"meddpicc.{n}.evidence", None) for n in ("metrics", "paper_process", "decision_criteria")],
        *without_record("paper_process"),
        (
            "activities",
            [a for a in healthy()["activities"] if "POC" not in a["summary"] and "PO by" not in a["summary"]],
        ),
    )
    assert "3 MEDDPICC elements marked confirmed with no evidence" in by_code(bare)["anti.happy_ears"].evidence[0]
    # the same bare claims where the record shows them are hygiene gaps, not happy ears
    backed = build(*[(f"meddpicc.{n}.evidence", None) for n in ("champion", "economic_buyer", "paper_process")])
    assert "anti.happy_ears" not in by_code(backed)
    assert "hygiene.evidence_missing" in by_code(backed)
    hopeful = with_activities(activity("2026-11-24", "call", "Dana says it's a done deal"))
    hopeful["meddpicc"]["paper_process"] = {"status": "unknown"}
    hopeful["activities"] = [a for a in hopeful["activities"] if "PO by" not in (a["summary"] or "")]
    assert "anti.happy_ears" in by_code(parse_deal(hopeful))
    # the same words on a deal whose due elements are all known are not happy ears
    assert "anti.happy_ears" not in by_code(
        parse_deal(with_activities(activity("2026-11-24", "call", "Dana says it's a done deal")))
    )


def test_single_threading_severity_and_small_deal_exemption() -> None:
    assert by_code(parse_deal(_single_threaded()))["anti.single_threading"].severity is Severity.HIGH
    discovery = _single_threaded()
    discovery["stage"] = "discovery"
    assert by_code(parse_deal(discovery))["anti.single_threading"].severity is Severity.LOW
    assert "anti.single_threading" not in by_code(parse_deal(_single_threaded(9000, "economic_buyer")))
    assert "anti.single_threading" in by_code(parse_deal(_single_threaded(9000, "champion")))


def test_demos_without_pain_or_metrics_are_feature_dumping() -> None:
    deal = build(("meddpicc.identified_pain", {"status": "unknown"}), ("meddpicc.metrics", {"status": "unknown"}))
    found = by_code(deal)
    assert "anti.feature_dumping" in found and "anti.demo_before_discovery" in found


def test_proposal_sent_at_scoping_is_too_early() -> None:
    finding = by_code(build(("stage", "scoping")))["anti.proposal_too_early"]
    assert "pricing sent while the deal is at scoping" in finding.evidence
    assert finding.severity is Severity.HIGH
    no_proposal = healthy()
    no_proposal["stage"] = "validation"
    no_proposal["activities"] = [a for a in no_proposal["activities"] if a["type"] != "proposal"]
    no_proposal["meddpicc"]["metrics"] = {"status": "partial"}
    assert "anti.proposal_too_early" not in by_code(parse_deal(no_proposal))


def test_overdue_plan_is_hoping() -> None:
    plan = [
        {"date": "2026-11-10", "action": "Legal review", "status": "planned"},
        {"date": "2026-11-20", "action": "Security review", "status": "late"},
        {"date": "2026-12-18", "action": "Signature", "status": "planned"},
    ]
    assert by_code(build(("mutual_action_plan", plan)))["anti.hoping_not_controlling"].data == {"overdue": 2}
    assert "anti.hoping_not_controlling" not in by_code(build(("mutual_action_plan", []), ("stage", "scoping")))


def test_forecast_fantasy_lists_why_not_commit() -> None:
    finding = by_code(build(("meddpicc.economic_buyer", {"status": "unknown"}), *without_record("economic_buyer")))[
        "anti.forecast_fantasy"
    ]
    # nobody who signs met at proposal: the Commit is the rep's word, raised with forecast integrity
    assert finding.severity is Severity.HIGH
    assert finding.data["signer_unmet"] is True
    assert any("economic buyer engaged: unknown" in item for item in finding.data["why_not_commit"])
    # the same gaps called best case are honest, not fantasy
    honest = build(
        ("meddpicc.economic_buyer", {"status": "unknown"}),
        *without_record("economic_buyer"),
        ("forecast_category", "best_case"),
    )
    assert "anti.forecast_fantasy" not in by_code(honest)
    # no category but a commit-level probability counts as a commit call
    implied = build(
        ("meddpicc.economic_buyer", {"status": "unknown"}),
        *without_record("economic_buyer"),
        ("forecast_category", None),
        ("probability", 90),
    )
    assert "anti.forecast_fantasy" in by_code(implied)


def test_post_close_severity_grows_after_grace_period() -> None:
    recent = _closed_won(False)
    recent["as_of"] = "2026-11-15"
    assert by_code(parse_deal(recent))["anti.post_close_abandonment"].severity is Severity.MEDIUM
    assert by_code(parse_deal(_closed_won(False)))["anti.post_close_abandonment"].severity is Severity.HIGH
    scheduled = _closed_won(False)
    scheduled["activities"].append(activity("2026-12-05", "meeting", "Onboarding session", status="scheduled"))
    assert "anti.post_close_abandonment" not in by_code(parse_deal(scheduled))


def test_forecast_fantasy_on_other_gaps_is_raised_with_them() -> None:
    # the economic buyer met, the paper process unknown: the fantasy is the consequence of that gap (medium)
    finding = by_code(build(("meddpicc.paper_process", {"status": "unknown"}), *without_record("paper_process")))[
        "anti.forecast_fantasy"
    ]
    assert finding.severity is Severity.MEDIUM
    assert finding.data["signer_unmet"] is False


def test_a_commit_with_the_signer_unmet_raises_the_signer_then_the_call() -> None:
    deal = build(
        ("meddpicc.economic_buyer", {"status": "confirmed", "evidence": "Yes"}),
        *without_record("economic_buyer"),
        ("stage", "closing"),
    )
    assert [f.code for f in ranked(inspect(deal))[:2]] == ["meddpicc.economic_buyer", "anti.forecast_fantasy"]


def test_a_commit_called_before_validation_is_the_forecast_problem_raised_first() -> None:
    deal = build(("stage", "scoping"), ("history", []))
    fantasy = by_code(deal)["anti.forecast_fantasy"]
    assert fantasy.severity is Severity.HIGH and fantasy.data["too_early"]
    assert ranked(inspect(deal))[0].code == "anti.forecast_fantasy"


def test_a_missing_mutual_plan_is_a_gap_beside_the_meddpicc_gaps_not_the_deals_story() -> None:
    data = healthy()
    data["mutual_action_plan"] = []
    data["meddpicc"]["economic_buyer"] = {"status": "partial"}
    for person in data["stakeholders"]:
        if person["role"] == "economic_buyer":
            person["role"] = "influencer"
    codes = [f.code for f in ranked(inspect(parse_deal(data)))]
    assert codes.index("meddpicc.economic_buyer") < codes.index("anti.hoping_not_controlling")
