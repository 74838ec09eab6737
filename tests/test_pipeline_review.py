"""Pipeline review: coverage, roll-ups, stage mix and each pipeline.* finding firing and staying quiet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.crm import load_pipeline
from ae_coach.deal import Deal, ForecastCategory, Stage
from ae_coach.errors import UsageError
from ae_coach.findings import PIPELINE_FINDING_CODES, Severity
from ae_coach.pipeline import review_pipeline, signals
from ae_coach.pipeline.model import DealLine, OwnerGap, OwnerSummary

AS_OF = dt.date(2026, 11, 26)
CONFIRMED = {"status": "confirmed", "evidence": "the buyer wrote it down"}


def bare(
    id: str,
    stage: str,
    amount: float,
    close: str | None = None,
    category: str | None = None,
    owner: str = "Maya Chen",
    **extra,
) -> Deal:
    """A deal as a CRM export gives it: no MEDDPICC, no contacts, no next step."""
    return Deal(
        id=id,
        account=f"Account {id}",
        stage=stage,
        amount=amount,
        close_date=close,
        forecast_category=category,
        owner=owner,
        **extra,
    )


def healthy(id: str, stage: str = "validation", amount: float = 60_000, owner: str = "Priya Nair") -> Deal:
    """A well-run deal: every MEDDPICC element confirmed, the committee engaged, a dated next step and a plan."""
    people = [("Ann", "champion"), ("Bob", "economic_buyer"), ("Cy", "technical_buyer"), ("Di", "user_buyer")]
    return Deal.model_validate(
        {
            "id": id, "account": f"Account {id}", "amount": amount, "stage": stage, "owner": owner,
            "close_date": "2026-12-20", "created": "2026-09-01", "forecast_category": "best_case",
            "situation": "challenger", "fit": "strong",
            "meddpicc": {
                "metrics": {"status": "confirmed", "evidence": "Cut close time from 9 days to 3, in the ROI email"},
                "economic_buyer": {"status": "confirmed", "evidence": "Bob (CFO) met us on 11-24 and approved the budget"},
                "decision_criteria": {"status": "confirmed", "evidence": "SSO, Salesforce sync and audit trail"},
                "decision_process": {"status": "confirmed", "evidence": "Security review 12-01, CFO signs by 12-15"},
                "paper_process": {"status": "confirmed", "evidence": "Procurement and legal steps owned by Cy"},
                "identified_pain": {"status": "confirmed", "evidence": "Missed two quarterly forecasts by 15%"},
                "champion": {"status": "confirmed", "evidence": "Ann introduced us to Bob and presented our case"},
                "competition": {"status": "confirmed", "evidence": "Clari is in; Ann says we lead on Salesforce sync"},
            },
            "stakeholders": [
                {"name": n, "role": r, "engaged": True, "last_contact": "2026-11-22", "sentiment": "positive", "added": "2026-09-05"}
                for n, r in people
            ],
            "activities": [
                {"date": "2026-09-05", "type": "meeting", "summary": "Discovery: pain and metrics agreed", "with": ["Ann"]},
                {"date": "2026-10-10", "type": "demo", "summary": "Demo mapped to the forecasting pain", "with": ["Ann", "Cy"]},
                {"date": "2026-11-24", "type": "meeting", "summary": "ROI review with the CFO", "with": ["Ann", "Bob"]},
            ],
            "next_step": {"action": "Security review kickoff", "date": "2026-12-01", "owner": "Cy"},
            "mutual_action_plan": [
                {"date": "2026-12-01", "action": "Security review", "owner": "customer"},
                {"date": "2026-12-15", "action": "Signature", "owner": "customer"},
            ],
            "competitors": [{"name": "Clari", "status": "active"}],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def book():
    """The hand-computed pipeline: every figure in the assertions below is worked out in the comments."""
    deals = [
        bare("won-in", "closed_won", 100_000, "2026-03-01"),
        bare("won-old", "closed_won", 50_000, "2025-12-01"),
        bare("commit", "closing", 200_000, "2026-12-15", "commit"),
        bare("best", "proposal", 100_000, "2026-12-20", "best_case"),
        bare("pipe", "validation", 300_000, "2026-12-31", "pipeline"),
        bare("none", "discovery", 50_000, "2026-12-10"),
        bare("omit", "scoping", 70_000, "2026-12-01", "omitted"),
        bare("next-year", "closing", 400_000, "2027-02-01", "commit"),
        bare("overdue", "validation", 60_000, "2025-11-01", "pipeline", owner="Luis Ortega"),
    ]
    return review_pipeline(deals, quota=1_000_000, as_of=AS_OF)


def codes(review) -> list[str]:
    return [f.code for f in review.findings]


def test_in_period_coverage_and_weighted_pipeline(book):
    c = book.coverage
    assert c.closed_won == 100_000  # only the win dated in 2026
    assert c.remaining_quota == 900_000
    assert c.open_in_period == 720_000  # commit 200 + best 100 + pipe 300 + none 50 + omit 70
    assert c.ratio == pytest.approx(0.8)
    assert c.needed == 4  # two closed deals are too few: the seed's 25% win rate
    assert c.overdue_open == 60_000
    assert c.open_total == 1_180_000
    # 200k x 90% + 100k x 75% + 300k x 50% + 50k x 10% + 70k x 25%
    assert c.weighted_in_period == pytest.approx(180_000 + 75_000 + 150_000 + 5_000 + 17_500)


def test_forecast_rollup_from_the_crm_categories(book):
    r = book.rollup_crm
    assert r.closed == 100_000
    assert r.commit == 300_000  # commit 200k + closed 100k; the 2027 commit is outside the period
    assert r.best_case == 400_000  # best case 100k + commit + closed
    assert r.pipeline == 750_000  # + pipeline 300k + uncategorised 50k; omitted excluded
    assert r.uncategorised == 50_000


def test_inspector_roll_up_never_exceeds_the_evidence(book):
    # Bare CRM deals pass no Commit gate, so the inspector's commit is the closed business alone.
    assert book.rollup_recommended.commit == 100_000


def test_counts_and_stage_mix(book):
    assert book.counts == {"deals": 9, "open": 7, "won": 2, "lost": 0, "in_period": 5, "overdue": 1}
    mix = {r.stage: r for r in book.stage_mix}
    assert mix[Stage.CLOSING].amount == 600_000 and mix[Stage.CLOSING].deals == 2
    assert mix[Stage.CLOSING].share == pytest.approx(600 / 1180)
    assert mix[Stage.CLOSING].deviation == pytest.approx(600 / 1180 - 0.05)


def test_coverage_gap_fires_below_one_over_win_rate(book):
    finding = next(f for f in book.findings if f.code == "pipeline.coverage_gap")
    assert finding.severity is Severity.HIGH  # 0.8x is under half the 4x needed
    assert finding.data["shortfall"] == pytest.approx(4 * 900_000 - 720_000)
    assert "pipeline-coverage-math" in finding.rules


def test_coverage_gap_stays_quiet_with_enough_pipeline():
    deals = [bare("a", "validation", 500_000, "2026-12-15")]
    review = review_pipeline(deals, quota=100_000, as_of=AS_OF)  # 5x against 4x
    assert "pipeline.coverage_gap" not in codes(review)
    assert review_pipeline(deals, as_of=AS_OF).coverage.ratio is None  # no quota: nothing to cover


def test_stage_mix_fires_when_late_stages_dominate(book):
    finding = next(f for f in book.findings if f.code == "pipeline.stage_mix")
    assert finding.severity is Severity.MEDIUM
    assert "closing" in finding.data["off"] and any("proposal + closing" in e for e in finding.evidence)


def test_stage_mix_stays_quiet_on_the_seed_split():
    split = {"discovery": 400, "scoping": 250, "validation": 200, "proposal": 100, "closing": 50}
    deals = [bare(stage, stage, amount * 1000, "2026-12-15") for stage, amount in split.items()]
    assert "pipeline.stage_mix" not in codes(review_pipeline(deals, as_of=AS_OF))


def test_required_activity_fires_with_a_quota_and_flags_thin_creation():
    deals = [bare("a", "discovery", 50_000, "2027-01-15", created="2026-11-01")]
    finding = next(
        f
        for f in review_pipeline(deals, quota=1_000_000, as_of=AS_OF).findings
        if f.code == "pipeline.required_activity"
    )
    assert finding.data["deals_needed"] == 20 and finding.data["opportunities_per_quarter"] == 20
    assert round(finding.data["meetings_per_week"]) == 8
    assert finding.severity is Severity.MEDIUM and finding.data["created_last_quarter"] == 1


def test_required_activity_is_info_when_creation_keeps_up():
    deals = [bare(f"d{i}", "discovery", 50_000, "2027-01-15", created="2026-11-01") for i in range(25)]
    finding = next(
        f
        for f in review_pipeline(deals, quota=1_000_000, as_of=AS_OF).findings
        if f.code == "pipeline.required_activity"
    )
    assert finding.severity is Severity.INFO


def test_required_activity_stays_quiet_without_a_quota():
    review = review_pipeline([bare("a", "discovery", 50_000, "2027-01-15")], as_of=AS_OF)
    assert review.math is None and "pipeline.required_activity" not in codes(review)


def test_at_risk_ranks_by_amount_times_severity(book):
    finding = next(f for f in book.findings if f.code == "pipeline.at_risk")
    ranked = [d.id for d in book.at_risk]
    assert ranked[0] == "next-year"  # the biggest critical deal first
    assert [d.risk_score for d in book.at_risk] == sorted((d.risk_score for d in book.at_risk), reverse=True)
    assert finding.data["deals"][0] == "next-year"


def test_at_risk_stays_quiet_on_well_run_deals():
    review = review_pipeline([healthy("h1"), healthy("h2", amount=90_000)], as_of=AS_OF)
    assert review.at_risk == [] and "pipeline.at_risk" not in codes(review)
    line = DealLine(id="x", account="X", stage=Stage.PROPOSAL, amount=1e6, worst=Severity.MEDIUM)
    assert signals.at_risk([line]) is None


def test_owner_gap_fires_for_an_owner_whose_gap_the_team_does_not_share():
    deals = [bare(f"m{i}", "proposal", 50_000, "2026-12-15") for i in range(3)]
    deals += [healthy(f"p{i}", "proposal") for i in range(3)]
    review = review_pipeline(deals, as_of=AS_OF)
    gaps = {
        f.data["owner"]: [g["code"] for g in f.data["gaps"]] for f in review.findings if f.code == "pipeline.owner_gap"
    }
    assert "momentum.no_dated_next_step" in gaps["Maya Chen"]
    assert "momentum.no_dated_next_step" not in gaps.get("Priya Nair", [])


def test_owner_gap_stays_quiet_when_the_whole_team_shares_the_gap():
    deals = [bare(f"m{i}", "proposal", 50_000, "2026-12-15") for i in range(3)]
    deals += [bare(f"l{i}", "proposal", 50_000, "2026-12-15", owner="Luis Ortega") for i in range(3)]
    assert "pipeline.owner_gap" not in codes(review_pipeline(deals, as_of=AS_OF))
    quiet = OwnerSummary(owner="X", open_deals=2, open_amount=1, in_period_amount=0, commit_amount=0, closed_won=0,
                         avg_health=50, at_risk=0, gaps=[OwnerGap(code="c", deals=2, share=1.0, team_share=0.0)])  # fmt: skip
    assert signals.owner_gaps([quiet]) == []  # two deals are too few to call it a pattern


def test_owner_gap_stays_quiet_for_deals_nobody_owns():
    deals = [bare(f"n{i}", "proposal", 50_000, "2026-12-15", owner=None) for i in range(3)]
    deals += [healthy(f"p{i}", "proposal") for i in range(3)]
    review = review_pipeline(deals, as_of=AS_OF)
    assert "(no owner)" in {o.owner for o in review.owners}  # still summarised, with its gaps
    flagged = {f.data["owner"] for f in review.findings if f.code == "pipeline.owner_gap"}
    assert "(no owner)" not in flagged  # a habit belongs to a person: the unowned deals share many gaps


def test_every_pipeline_code_is_covered_by_this_file():
    assert set(PIPELINE_FINDING_CODES) == {
        "pipeline.coverage_gap", "pipeline.stage_mix", "pipeline.required_activity", "pipeline.at_risk", "pipeline.owner_gap",
    }  # fmt: skip


def test_owner_filter_is_case_insensitive_and_unknown_owners_are_named(book):
    deals = [bare("a", "discovery", 1, owner="Maya Chen"), bare("b", "discovery", 1, owner="Luis Ortega")]
    review = review_pipeline(deals, owner="maya chen", as_of=AS_OF)
    assert [d.id for d in review.deals] == ["a"] and review.owner_filter == "maya chen"
    with pytest.raises(UsageError, match="Luis Ortega, Maya Chen"):
        review_pipeline(deals, owner="Nobody", as_of=AS_OF)


def test_mixed_currencies_are_flagged_not_converted():
    deals = [
        bare("a", "discovery", 10, currency="EUR"),
        bare("b", "discovery", 10, currency="EUR"),
        bare("c", "discovery", 10),
    ]
    review = review_pipeline(deals, as_of=AS_OF)
    assert (review.currency, review.other_currencies) == ("EUR", ["USD"])


def test_forecast_category_enum_round_trips_in_json(book):
    data = book.model_dump(mode="json")
    assert data["deals"][0]["stage"] in {s.value for s in Stage}
    assert {d["forecast_category"] for d in data["deals"]} <= {c.value for c in ForecastCategory} | {None}


def test_parallel_inspection_matches_serial():
    deals = [
        bare(f"d{i}", stage, 10_000 * (i + 1), "2026-12-15")
        for i, stage in enumerate(["discovery", "proposal", "closing"] * 3)
    ]
    deals.append(healthy("h"))
    serial = review_pipeline(deals, as_of=AS_OF, jobs=1)
    parallel = review_pipeline(deals, as_of=AS_OF, jobs=2)
    assert parallel.model_dump() == serial.model_dump()


def test_imported_history_reaches_the_inspector(repo):
    from ae_coach.crm import load_pipeline

    deals = load_pipeline(repo / "tests" / "fixtures" / "crm" / "salesforce_dataloader").deals
    review = review_pipeline(deals, as_of=AS_OF)
    globex = next(d for d in review.deals if d.account == "Globex Corporation")
    assert "momentum.close_date_slipped" in globex.codes  # two pushes derived from OpportunityHistory rows
    assert review.counts["won"] == 2 and review.counts["lost"] == 1


def test_owners_include_reps_with_only_closed_deals_and_add_up_to_the_team():
    deals = [
        bare("o1", "proposal", 50_000, "2026-12-15"),
        bare("o2", "discovery", 20_000, "2027-02-01", owner="Luis Ortega"),
        bare("w1", "closed_won", 70_000, "2026-06-30", owner="Luis Ortega"),
        bare("w2", "closed_won", 90_000, "2026-03-31", owner="Sam Okafor"),  # only closed deals
        bare("w3", "closed_won", 10_000, "2026-04-30", owner="Sam Okafor"),
        bare("l1", "closed_lost", 40_000, "2026-05-31", owner="Ines Duarte"),  # only a loss
        bare("w0", "closed_won", 99_000, "2025-06-30", owner="Old Rep"),  # closed before the period
    ]
    review = review_pipeline(deals, as_of=AS_OF)
    by_owner = {o.owner: o for o in review.owners}
    assert set(by_owner) == {"Maya Chen", "Luis Ortega", "Sam Okafor", "Ines Duarte"}
    sam = by_owner["Sam Okafor"]
    assert (sam.open_deals, sam.closed_won, sam.won_deals, sam.avg_health) == (0, 100_000, 2, None)
    assert sum(o.closed_won for o in review.owners) == review.coverage.closed_won == 170_000
    assert sum(o.open_amount for o in review.owners) == review.coverage.open_total
    assert sum(o.open_deals for o in review.owners) == review.counts["open"]


def test_owner_table_ends_with_the_team_row():
    from ae_coach.pipeline.render._tables import owners_table

    deals = [
        bare("o1", "proposal", 50_000, "2026-12-15"),
        bare("w1", "closed_won", 70_000, "2026-06-30", owner="Sam Okafor"),
    ]
    table = owners_table(review_pipeline(deals, as_of=AS_OF))
    assert [row[0] for row in table.rows] == ["Maya Chen", "Sam Okafor", "team"]
    assert table.rows[-1][1] == "1" and table.rows[-1][5] == table.rows[1][5]


@pytest.mark.parametrize(
    "export", ["examples/pipelines/salesforce-pipeline.csv", "tests/fixtures/crm/salesforce_dataloader"]
)
def test_an_import_reviews_from_its_rows_as_from_its_built_deals(export):
    imported = load_pipeline(Path(__file__).parent.parent / export)
    from_rows = review_pipeline(imported.deals, quota=1_000_000, as_of=AS_OF, jobs=1)
    from_deals = review_pipeline(list(imported.deals), quota=1_000_000, as_of=AS_OF, jobs=1)
    assert from_rows.model_dump() == from_deals.model_dump()
