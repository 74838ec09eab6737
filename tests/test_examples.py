"""The example deals: each loads, inspects, and shows the scenario it was written for."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.deal import ForecastCategory, load_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from ae_coach.inspector.settings import DEFAULT_SETTINGS, Settings

DEALS = Path(__file__).resolve().parent.parent / "examples" / "deals"

EXPECTED = {
    "northwind-validation": {
        "meddpicc.economic_buyer",
        "meddpicc.metrics",
        "meddpicc.paper_process",
        "committee.missing_role",
    },
    "fabrikam-closing-healthy": {"positive.champion_scheduled", "positive.economic_buyer_engaged"},
    "woodgrove-displacement": {
        "competition.positioning",
        "positive.references_requested",
        "positive.implementation_questions",
        "momentum.competitor_counter",  # Zendesk's 20% discount to stay: a blind VP review made it the top risk
    },
    "tailspin-single-threaded": {"anti.single_threading", "meddpicc.economic_buyer", "anti.ignoring_competition"},
    "litware-forecast-fantasy": {
        "anti.forecast_fantasy",
        "anti.happy_ears",
        "anti.hoping_not_controlling",
        "momentum.no_dated_next_step",
    },
    "adventure-works-stalled": {
        "momentum.stale",
        "momentum.champion_dark",
        "momentum.meetings_rescheduled",
        "momentum.pending_internal_review",
    },
    "wingtip-slipped": {"momentum.close_date_slipped", "momentum.close_date_passed", "anti.hoping_not_controlling"},
    "lucerne-late-stakeholder": {
        "momentum.late_stakeholder",
        "momentum.budget_concern_late",
        "momentum.competitor_late",
    },
    "margie-proposal-too-early": {"anti.proposal_too_early"},
    "proseware-demo-first": {"anti.demo_before_discovery", "anti.feature_dumping"},
    "bluesky-self-serve": {"account.tier"},
    "alpine-closed-won-handoff": {"account.tier"},
    "relecloud-closed-won-no-handoff": {"anti.post_close_abandonment"},
    "contoso-notes-injection": {"meddpicc.decision_process"},
}
HEALTHY = {"fabrikam-closing-healthy", "alpine-closed-won-handoff"}


def test_every_example_is_in_the_table_and_the_readme() -> None:
    files = {path.stem for path in DEALS.glob("*.yaml")}
    assert files == set(EXPECTED)
    readme = (DEALS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}.yaml`" in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_fires_the_codes_it_was_written_to_show(name: str) -> None:
    deal = load_deal(DEALS / f"{name}.yaml")
    assert deal.as_of is not None, "examples pin as_of so reviews are reproducible"
    result = assess(deal)
    assert EXPECTED[name] <= set(result.codes()), result.codes()


@pytest.mark.parametrize("name", sorted(HEALTHY))
def test_healthy_examples_raise_no_false_alarms(name: str) -> None:
    result = assess(load_deal(DEALS / f"{name}.yaml"))
    assert [f.code for f in result.findings if f.severity not in (Severity.INFO, Severity.LOW)] == []
    # near the top of the range its call allows (a well-run validation deal is best case: watch, at most 69)
    assert result.health >= 0.9 * DEFAULT_SETTINGS.health_ceiling[str(result.recommended_forecast)]


YEAR = Settings(forecast_period="year", fiscal_year_start_month=4)
"""The examples close in the next quarter: a fiscal year to March shows the category their evidence earns."""


def test_a_deal_closing_after_the_period_is_omitted_from_its_number() -> None:
    result = assess(load_deal(DEALS / "northwind-validation.yaml"))  # closes 2027-01-29; the quarter ends 12-31
    assert result.recommended_forecast is ForecastCategory.OMITTED
    assert "falls after this period" in result.forecast_reasons[0]


def test_readme_example_has_real_gaps_but_is_not_a_disaster() -> None:
    result = assess(load_deal(DEALS / "northwind-validation.yaml"), settings=YEAR)
    # the rep calls it best case, and pipeline-forecast-categories needs the economic buyer identified for that:
    # the decision process names the CFO as the one who approves and the buyer's "ROI review with the CFO" is dated
    # ahead, so the CFO is identified, though nobody has met them (the headline's biggest problem)
    assert result.recommended_forecast is ForecastCategory.BEST_CASE
    assert not any("no economic buyer identified" in reason for reason in result.forecast_reasons)
    # a gap to fix, not a deal to disqualify (above the disqualify cap) and not healthy (below 70)
    assert DEFAULT_SETTINGS.health_disqualify_cap < result.health < 70
    eb = next(f for f in result.findings if f.code == "meddpicc.economic_buyer")
    assert any("senior title is not budget authority" in e for e in eb.evidence)
    assert not any(f.severity is Severity.CRITICAL for f in result.findings)


def test_healthy_closing_deal_is_commit_and_fantasy_is_not() -> None:
    assert assess(load_deal(DEALS / "fabrikam-closing-healthy.yaml")).recommended_forecast is ForecastCategory.COMMIT
    fantasy = assess(load_deal(DEALS / "litware-forecast-fantasy.yaml"))
    assert fantasy.recommended_forecast is not ForecastCategory.COMMIT
    assert any("economic_buyer" in item for item in fantasy.why_not_commit)


def test_small_deal_is_tier_4() -> None:
    assert assess(load_deal(DEALS / "bluesky-self-serve.yaml")).tier == 4


def test_instructions_in_notes_change_nothing() -> None:
    deal = load_deal(DEALS / "contoso-notes-injection.yaml")
    result = assess(deal)
    clean = assess(deal.model_copy(update={"notes": None}))
    # the one difference is the finding that reports the planted text (quoted as data, never obeyed)
    planted = [f for f in result.findings if f.code == "hygiene.instruction_in_record"]
    assert len(planted) == 1 and planted[0].data["field"] == "notes"
    kept = result.model_copy(update={"findings": [f for f in result.findings if f not in planted]})
    assert kept.model_dump() == clean.model_dump()
    assert assess(deal, settings=YEAR).recommended_forecast is ForecastCategory.PIPELINE and result.health < 100
    assert not any("IGNORE" in e for f in result.findings if f not in planted for e in f.evidence)


def _health(name: str) -> int:
    return assess(load_deal(DEALS / f"{name}.yaml")).health


def test_health_separates_bad_deals_from_hopeless_ones() -> None:
    """No open example floors at 0; the forecast-fantasy deal is far below the ones with fixable gaps."""
    scores = {name: _health(name) for name in EXPECTED}
    assert all(score > 0 for score in scores.values())
    assert scores["litware-forecast-fantasy"] < 25
    assert scores["litware-forecast-fantasy"] < scores["tailspin-single-threaded"] < scores["northwind-validation"]
    assert scores["northwind-validation"] < min(scores[name] for name in HEALTHY)


def test_a_single_threaded_deal_with_many_high_gaps_is_not_best_case() -> None:
    result = assess(load_deal(DEALS / "tailspin-single-threaded.yaml"), settings=YEAR)
    assert result.recommended_forecast is ForecastCategory.PIPELINE
    assert not any(f.severity is Severity.CRITICAL for f in result.findings)  # bad, but nothing is yet critical


def test_finding_titles_read_as_english() -> None:
    titles = [f.title for name in EXPECTED for f in assess(load_deal(DEALS / f"{name}.yaml")).findings]
    assert not any("(s)" in title or "_" in title.split(":")[0] for title in titles), titles
    assert "At scoping with 1 earlier exit criterion unmet" in titles
