"""The Commit gate, the recommended forecast category and the health score, through assess()."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.deal import ForecastCategory, load_deal, parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import Assessment, assess
from ae_coach.inspector.settings import Settings
from analysis_builders import activity, build, healthy, with_activities, without_record

ROOT = Path(__file__).resolve().parent.parent


def test_healthy_deal_passes_the_commit_gate() -> None:
    result = assess(build())
    assert isinstance(result, Assessment)
    assert result.recommended_forecast is ForecastCategory.COMMIT
    assert result.why_not_commit == []
    assert result.health == 95  # nothing wrong, not signed: an open deal reads at most 95
    assert (
        result.health_reasons[-1]
        == "-5: an open deal, not signed yet, tops out at 95, so the 100 points above count as 100% of 95 = 95"
    )
    assert result.stage_probability == 75 and result.tier == 1
    assert result.as_of == dt.date(2026, 11, 26) and result.deal_id == "healthy"


@pytest.mark.parametrize(
    ("edits", "reason"),
    [
        ([("stage", "validation")], "stage is validation; Commit needs proposal or later"),
        ([("meddpicc.champion", {"status": "partial"}), *without_record("champion")], "champion tested"),
        ([("close_date", "2027-06-30")], "falls after the period"),
        ([("close_date", "2026-11-20")], "close date 2026-11-20 has passed"),
        ([("close_date", None)], "no close date"),
        ([("next_step", None)], "no dated next step"),
        ([("mutual_action_plan", [])], "no mutual action plan step dated ahead"),
        (
            [
                (
                    "history",
                    [
                        {"date": "2026-10-01", "field": "close_date", "from": "2026-10-01", "to": "2026-11-01"},
                        {"date": "2026-11-01", "field": "close_date", "from": "2026-11-01", "to": "2026-12-18"},
                    ],
                )
            ],
            "close date pushed 2 times",
        ),
    ],
)
def test_each_gate_condition_blocks_commit(edits, reason) -> None:
    result = assess(build(*edits))
    assert result.recommended_forecast is not ForecastCategory.COMMIT
    assert any(reason in item for item in result.why_not_commit), result.why_not_commit


def test_critical_findings_block_commit() -> None:
    result = assess(build(("meddpicc.economic_buyer", {"status": "unknown"}), ("stakeholders.1.role", "influencer")))
    assert any(item.startswith("critical finding meddpicc.economic_buyer") for item in result.why_not_commit)


def test_recommendations_below_commit() -> None:
    assert assess(build(("mutual_action_plan", []))).recommended_forecast is ForecastCategory.BEST_CASE
    assert assess(build(("stage", "scoping"))).recommended_forecast is ForecastCategory.PIPELINE
    assert assess(build(("as_of", "2027-02-01"))).recommended_forecast is ForecastCategory.OMITTED
    assert assess(build(("stage", "closed_won"))).recommended_forecast is ForecastCategory.CLOSED
    critical = build(("meddpicc.economic_buyer", {"status": "unknown"}), ("stakeholders.1.role", "influencer"))
    assert assess(critical).recommended_forecast is ForecastCategory.PIPELINE


UNSCALED = Settings(
    health_ceiling=dict.fromkeys(("commit", "best_case", "pipeline", "omitted", "closed"), 100), health_unsigned_cap=100
)
"""Every call may reach 100: the penalty arithmetic on its own, without the call's ceiling."""


def test_health_reasons_are_the_findings() -> None:
    result = assess(build(("mutual_action_plan", [])), settings=UNSCALED)
    # hoping_not_controlling (high) takes 12% of 100, forecast_fantasy (medium, the consequence) 5% of the 88
    # left; two positive signals add 2 each
    assert result.health == 84 + 2 + 2
    assert "+2 positive.procurement_timeline: Procurement timeline communicated" in result.health_reasons
    assert any(r.startswith("-12 anti.hoping_not_controlling (high)") for r in result.health_reasons)
    assert any(r.startswith("-4 anti.forecast_fantasy (medium)") for r in result.health_reasons)
    assert assess(build(("stage", "closed_lost"))).health == 0


def _points(reasons: list[str]) -> int:
    return sum(int(r.split()[0].rstrip(":")) for r in reasons)


def test_health_separates_a_bad_deal_from_a_hopeless_one() -> None:
    """Twelve gaps used to floor the score at 0; compounding keeps bad and hopeless apart."""
    bad = assess(
        build(
            ("mutual_action_plan", []),
            ("meddpicc.economic_buyer", {"status": "unknown"}),
            ("stakeholders.1.role", "influencer"),
        )
    )
    worse = assess(
        build(
            ("mutual_action_plan", []),
            ("meddpicc.economic_buyer", {"status": "unknown"}),
            ("stakeholders.1.role", "influencer"),
            ("meddpicc.champion", {"status": "unknown"}),
            ("meddpicc.metrics", {"status": "unknown"}),
            ("meddpicc.decision_process", {"status": "unknown"}),
            ("meddpicc.paper_process", {"status": "unknown"}),
            ("meddpicc.identified_pain", {"status": "unknown"}),
            ("as_of", "2027-01-10"),
        )
    )
    assert 0 < worse.health < bad.health < 100
    assert len([r for r in worse.health_reasons if r.startswith("-")]) >= 8  # every finding is still a reason
    for result in (bad, worse):  # the reasons add up to the score (no positive signals are capped here)
        assert 100 + _points(result.health_reasons) == result.health


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "deals").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_point_of_health_keeps_its_reason(path) -> None:
    """The reasons add up to the score: a positive signal is a reason only for the points it added."""
    result = assess(load_deal(path))
    assert 100 + _points(result.health_reasons) == result.health, result.health_reasons


def test_health_penalties_are_percentages() -> None:
    with pytest.raises(ValueError, match="must be 0-100"):
        Settings(health_penalty={"critical": 150})


def test_health_weights_are_settings() -> None:
    gentle = UNSCALED.model_copy(update={"health_penalty": {**UNSCALED.health_penalty, "high": 1}})
    gentle = gentle.model_copy(update={"health_positive_bonus": 0})
    # the high finding takes 1% instead of 12%; the medium one keeps its 5%
    assert assess(build(("mutual_action_plan", [])), settings=gentle).health == 94


def test_health_is_scaled_into_the_range_of_the_call() -> None:
    """A deal the evidence keeps out of Commit never reads healthy: best case is watch at most (69)."""
    unscaled = assess(build(("mutual_action_plan", [])), settings=UNSCALED)
    result = assess(build(("mutual_action_plan", [])))
    assert result.recommended_forecast is ForecastCategory.BEST_CASE
    assert result.health == round(unscaled.health * 69 / 100)
    assert result.health_reasons[-1].startswith(
        f"-{unscaled.health - result.health} for the call: a best case deal tops out at 69, so the"
        f" {unscaled.health} points above count as {unscaled.health}% of 69 = {result.health}"
    )
    # commit keeps its score, scaled only into an open deal's 0-95
    assert assess(build()).health == round(assess(build(), settings=UNSCALED).health * 95 / 100)
    assert assess(build(("stage", "scoping"))).health <= 54  # pipeline


def test_health_ceilings_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown forecast category"):
        Settings(health_ceiling={"upside": 80})
    with pytest.raises(ValueError, match="must be 0-100"):
        Settings(health_ceiling={"pipeline": 120})
    assert Settings(health_ceiling={"pipeline": 60}).health_ceiling["best_case"] == 69


def test_as_of_argument_overrides_the_deal() -> None:
    result = assess(build(), dt.date(2026, 12, 20))
    assert result.as_of == dt.date(2026, 12, 20)
    assert "close date 2026-12-18 has passed" in result.why_not_commit


def test_assessment_serialises_to_json() -> None:
    payload = assess(build()).model_dump(mode="json")
    assert payload["recommended_forecast"] == "commit"
    assert {"code", "severity", "title", "evidence", "data", "rules"} <= set(payload["findings"][0])


def test_a_deal_closing_after_the_period_is_omitted_with_the_call_it_earns_for_its_own_period() -> None:
    result = assess(build(("close_date", "2027-02-10")))  # the healthy commit deal, a quarter later
    assert result.recommended_forecast is ForecastCategory.OMITTED
    # its plan still ends in December, before the quarter it now closes in: best case there, not commit
    assert (result.later_forecast, result.later_period) == (ForecastCategory.BEST_CASE, "2027-Q1")
    assert "falls after this period" in result.forecast_reasons[0]


def _a_quarter_later(weeks: int = 6) -> Assessment:
    """The healthy commit deal with its close date and open plan steps moved past the quarter's end."""
    data = healthy()
    later = dt.timedelta(weeks=weeks)
    data["close_date"] = (dt.date.fromisoformat(data["close_date"]) + later).isoformat()
    for step in data["mutual_action_plan"]:
        if step["status"] == "planned":
            step["date"] = (dt.date.fromisoformat(step["date"]) + later).isoformat()
    return assess(parse_deal(data))


def test_the_omitted_category_costs_no_health_of_its_own() -> None:
    """A deal out of this period's number only by its date is ranged by the call its evidence earns there: a Commit
    deal for next quarter reads like one (0-95), not in the 0-69 of "not in this period's forecast"."""
    result = _a_quarter_later()
    assert result.recommended_forecast is ForecastCategory.OMITTED
    assert result.later_forecast is ForecastCategory.COMMIT
    assert result.health >= 70
    assert not any("this period" in reason for reason in result.health_reasons)
    assert result.health_reasons[-1].startswith("-") and "not signed yet, tops out at 95" in result.health_reasons[-1]


def test_an_omitted_deal_short_of_commit_reads_in_the_best_case_range() -> None:
    result = assess(build(("close_date", "2027-02-10"), ("stage", "validation"), *without_record("economic_buyer")))
    assert result.recommended_forecast is ForecastCategory.OMITTED
    assert result.health <= 69
    assert "a deal short of Commit tops out at 69" in result.health_reasons[-1]


def _silent() -> Assessment:
    """The healthy deal read half a year after its last contact: capped for the silence."""
    return assess(build(), dt.date(2027, 6, 1))


@pytest.mark.parametrize(
    "result", [lambda: assess(build(("fit", "poor"))), _silent], ids=["poor fit", "silent past the omit window"]
)
def test_a_deal_to_close_out_is_charged_once_by_its_cap(result) -> None:
    """The fact that takes the deal out of the number (the fit, the silence) is its one charge: capped at
    ``health_disqualify_cap``, with no range line for the omitted category on top."""
    result = result()
    assert result.recommended_forecast is ForecastCategory.OMITTED
    assert result.health == Settings().health_disqualify_cap == 14
    assert "capped at 14" in result.health_reasons[-1]
    assert not any("tops out at" in reason for reason in result.health_reasons)
    assert 100 + _points(result.health_reasons) == result.health


def test_the_call_never_rises_above_the_reps_without_the_evidence() -> None:
    # called pipeline by the rep; the economic buyer never met: not raised to best case
    result = assess(
        build(("forecast_category", "pipeline"), ("stage", "validation"), *without_record("economic_buyer"))
    )
    assert result.recommended_forecast is ForecastCategory.PIPELINE
    assert any("the rep calls it pipeline" in r or "not best case" in r for r in result.forecast_reasons)


def test_a_fiscal_year_changes_the_quarter() -> None:
    from ae_coach.inspector.settings import Settings

    feb = Settings(fiscal_year_start_month=2)
    assert assess(build(), settings=feb).period.label == "FY2027-Q4"  # Nov-Jan is Q4 of the year ending January


def _two_dangers(*changes):
    data = healthy()
    data["activities"].append(
        activity("2026-11-24", "meeting", "Priya says the price is too high; they are also evaluating Clari")
    )
    return assess(build(*changes, base=data))


@pytest.mark.parametrize(
    ("changes", "diagnosis"),
    [
        ((), "contested"),  # met two days ago, plan steps dated ahead: contested, still moving
        ((("mutual_action_plan", []), ("next_step", None), ("as_of", "2026-12-10")), "stalling"),
    ],
)
def test_danger_signals_are_diagnosed_from_the_record(changes, diagnosis: str) -> None:
    reasons = [r for r in _two_dangers(*changes).forecast_reasons if "danger signals together" in r]
    assert len(reasons) == 1 and diagnosis in reasons[0]


def test_the_buyer_going_quiet_weighs_more_than_a_gap_of_the_same_severity() -> None:
    quiet = assess(build(("as_of", "2026-12-12")), settings=Settings(health_positive_bonus=0))
    codes = {f.code: f.severity for f in quiet.findings}
    assert codes["momentum.stale"] is Severity.HIGH
    # nobody chased the champion yet: silent, but not yet dark at high (that takes an unanswered touch)
    assert codes["momentum.champion_dark"] is Severity.MEDIUM
    first = quiet.health_reasons[0]
    # a high finding takes 12% of what is left; the buyer going quiet half again
    assert "momentum.stale" in first and _points([first]) == -18


def test_plan_signing_after_the_close_date_fails_the_gate() -> None:
    """The gate's last step to signature is the plan's own signature step, not the last step before the CRM date."""
    late = build(("mutual_action_plan.2.date", "2027-02-10"))
    assert any("2027-02-10" in item for item in assess(late).why_not_commit)
    assert assess(build()).why_not_commit == []


def test_a_stuck_paper_step_fails_the_gate() -> None:
    stuck = build(("mutual_action_plan.1.status", "blocked"), ("mutual_action_plan.1.date", "2026-11-20"))
    result = assess(stuck)
    assert result.recommended_forecast is ForecastCategory.BEST_CASE
    assert any(item.startswith("paper process stuck") for item in result.why_not_commit)


def test_a_plan_that_stops_at_the_pilot_does_not_date_the_decision() -> None:
    edits = [
        ("stage", "validation"),
        ("forecast_category", "best_case"),
        ("meddpicc.decision_process", {"status": "partial", "evidence": "pilot then a decision"}),
        *without_record("decision_process"),
    ]
    pilot_only = [{"date": "2026-12-11", "action": "Pilot wrap-up", "owner": "customer", "status": "planned"}]
    assert assess(build(*edits, ("mutual_action_plan", pilot_only))).recommended_forecast is ForecastCategory.PIPELINE
    decision = [
        *pilot_only,
        {"date": "2026-12-16", "action": "Board approval", "owner": "customer", "status": "planned"},
    ]
    assert assess(build(*edits, ("mutual_action_plan", decision))).recommended_forecast is ForecastCategory.BEST_CASE


def test_health_charges_each_buyer_fact_once():
    """The champion dark, the deal silent and a review nobody came back from are one stall; the signer nobody
    met and the committee with no economic buyer one gap: only the first (largest) charge of a fact stands."""
    from pathlib import Path

    from ae_coach.deal import load_deal
    from ae_coach.inspector.forecast import facts_of

    examples = Path(__file__).parent.parent / "examples" / "deals"
    stalled = assess(load_deal(examples / "adventure-works-stalled.yaml"))
    charged = [r.split(" ", 2)[1] for r in stalled.health_reasons if r.startswith("-")]
    codes = set(stalled.codes())
    assert "momentum.champion_dark" in charged and "momentum.champion_dark" in codes
    assert not {"momentum.stale", "momentum.pending_internal_review"} & set(charged)
    seen: set[str] = set()
    for finding in [f for f in stalled.findings if f.code in charged]:
        assert not facts_of(finding) <= seen  # no charged finding restates a fact already charged
        seen |= facts_of(finding)
    signer = assess(load_deal(examples / "northwind-validation.yaml"))
    assert "committee.missing_role" in signer.codes()
    assert not any(" committee.missing_role " in f" {r} " for r in signer.health_reasons)


def test_a_plan_that_is_only_the_signature_does_not_date_the_decision() -> None:
    """A plan holding nothing but "Signature" on the close date is the CRM date restated: with the decision
    process only the rep's word, no dated decision process; one buyer step before it dates it."""
    edits = [
        ("forecast_category", "best_case"),
        ("meddpicc.decision_process", {"status": "partial", "evidence": "Liam presents to the CIO"}),
        *without_record("decision_process"),
    ]
    signature = {"date": "2026-12-18", "action": "Signature", "owner": "customer", "status": "planned"}
    lone = assess(build(*edits, ("mutual_action_plan", [signature])))
    assert lone.recommended_forecast is ForecastCategory.PIPELINE
    assert any('the plan\'s only step is "Signature"' in r for r in lone.forecast_reasons), lone.forecast_reasons
    review = {"date": "2026-12-10", "action": "CIO review", "owner": "customer", "status": "planned"}
    dated = assess(build(*edits, ("mutual_action_plan", [review, signature])))
    assert dated.recommended_forecast is ForecastCategory.BEST_CASE


@pytest.mark.parametrize(
    ("step", "readout", "undated"),
    [
        ("Pilot readout with the VP", None, True),  # the test the decision waits on, overdue
        ("Capital committee review", None, True),  # the review the decision waits on, overdue
        ("Pilot readout with the VP", "Pilot readout: forecast error 6%, criteria met", False),  # read out since
        ("Pricing agreed", None, False),  # a price still open is an open item, not an undated decision
        ("Redlines agreed", None, False),  # so is a late paper step
    ],
)
def test_an_overdue_step_before_the_decision_leaves_it_undated(step, readout, undated) -> None:
    """A step of the buyer's plan the decision waits on, late with its date passed and no new date, leaves the
    signature after it undated; a readout since, a pricing or a paper step does not."""
    plan = [
        {"date": "2026-11-20", "action": step, "owner": "customer", "status": "late"},
        {"date": "2026-12-18", "action": "Signature", "owner": "customer", "status": "planned"},
    ]
    base = with_activities(activity("2026-11-24", "meeting", readout, direction="two_way")) if readout else None
    result = assess(build(("forecast_category", "best_case"), ("mutual_action_plan", plan), base=base))
    assert (result.recommended_forecast is ForecastCategory.PIPELINE) is undated, result.forecast_reasons
    overdue = any(f'"{step}" (2026-11-20), the buyer\'s step before the decision' in r for r in result.forecast_reasons)
    assert overdue is undated


@pytest.mark.parametrize(
    ("path", "signer"),
    [
        ("evals/calibration/deals/yarrabee-mining-cfo-seconded-interim.yaml", "Rachel Nguyen"),  # signs, never met
        ("examples/deals/lucerne-late-stakeholder.yaml", "Mark Stone"),  # signs, met, not backing it
    ],
    ids=["unmet-signer", "signer-not-backing"],
)
def test_a_late_signer_not_yet_sold_is_one_charge(path, signer):
    """The signer who came in late and is not yet sold is both a late stakeholder and the economic-buyer gap: both
    stay on the risk list, health charges the person's gap once (the larger, raised first), and the reasons still
    add up to the score."""
    result = assess(load_deal(ROOT / path))
    assert {"momentum.late_stakeholder", "meddpicc.economic_buyer"} <= set(result.codes())
    late = next(f for f in result.findings if f.code == "momentum.late_stakeholder")
    assert late.data["signers"] == late.data["names"] == [signer]
    charged = [
        r.split(" ", 2)[1] for r in result.health_reasons if r.startswith("-") and not r.split()[0].endswith(":")
    ]
    assert len({"momentum.late_stakeholder", "meddpicc.economic_buyer"} & set(charged)) == 1
    assert 100 + _points(result.health_reasons) == result.health


def test_a_late_newcomer_beside_the_signer_is_charged_on_its_own():
    """Only a late-stakeholder finding about the signer alone restates the economic-buyer gap: one that also names
    someone else is a second person, a second charge."""
    from ae_coach.findings import Finding
    from ae_coach.inspector.forecast import facts_of

    def late(names, signers):
        return Finding(code="momentum.late_stakeholder", severity=Severity.HIGH, title="t",
                       data={"names": names, "signers": signers})  # fmt: skip

    assert facts_of(late(["Rachel"], ["Rachel"])) == facts_of(late(["Ann"], ["Ann"])) == {"economic_buyer"}
    assert facts_of(late(["Rachel", "Tom"], ["Rachel"])) == {"momentum.late_stakeholder"}
    assert facts_of(late(["Tom"], [])) == {"momentum.late_stakeholder"}
