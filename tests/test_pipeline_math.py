"""The seed's pipeline math, the input sources, and the calendar periods."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.deal import Deal, Stage
from ae_coach.pipeline import derive_inputs, pipeline_math
from ae_coach.pipeline.math import MEETING_TO_OPPORTUNITY, SEED_WIN_RATE
from ae_coach.pipeline.review import period_bounds

AS_OF = dt.date(2026, 11, 26)


def test_the_seed_example_reproduces():
    # Seed: $1M quota, $50K deals, 25% win rate, 90-day cycle -> 20 deals, 4x = $4M, 20 opps/quarter, ~8 meetings/week.
    m = pipeline_math(1_000_000, 50_000, 0.25)
    assert m.deals_needed == 20
    assert m.coverage_needed == 4
    assert m.pipeline_needed == 4_000_000
    assert m.opportunities_per_quarter == 20
    assert round(m.meetings_per_week) == 8
    assert m.meetings_per_week == pytest.approx(20 / 13 / MEETING_TO_OPPORTUNITY)


def test_a_quarterly_quota_needs_its_opportunities_in_that_quarter():
    m = pipeline_math(250_000, 50_000, 0.25, period="quarter")
    assert (m.deals_needed, m.coverage_needed, m.opportunities_per_quarter) == (5, 4, 20)


def test_hand_computed_figures_for_other_inputs():
    m = pipeline_math(1_200_000, 40_000, 0.2, meeting_conversion=0.25)
    assert m.deals_needed == 30
    assert m.coverage_needed == pytest.approx(5)
    assert m.pipeline_needed == pytest.approx(6_000_000)
    assert m.opportunities_per_quarter == pytest.approx(37.5)  # 30 / 0.2 / 4
    assert m.meetings_per_week == pytest.approx(37.5 / 13 / 0.25)


@pytest.mark.parametrize("bad", [{"avg_deal": 0}, {"win_rate": 0}, {"win_rate": 1.5}])
def test_impossible_inputs_are_refused(bad):
    args = {"quota": 1_000_000, "avg_deal": 50_000, "win_rate": 0.25} | bad
    with pytest.raises(ValueError):
        pipeline_math(**args)


def closed(stage: Stage, amount: float, created: str, closed_on: str) -> Deal:
    return Deal(account="A", stage=stage, amount=amount, created=created, close_date=closed_on)


def test_inputs_come_from_closed_deals_when_there_are_enough():
    deals = [closed(Stage.CLOSED_WON, 40_000, "2026-01-01", "2026-03-02") for _ in range(2)]
    deals += [closed(Stage.CLOSED_WON, 70_000, "2026-02-01", "2026-05-02")]
    deals += [closed(Stage.CLOSED_LOST, 90_000, "2026-02-01", "2026-04-01") for _ in range(3)]
    inputs = derive_inputs(deals, AS_OF)
    assert (inputs.win_rate.value, inputs.win_rate.source) == (0.5, "data")
    assert inputs.win_rate.detail == "3 won of 6 closed"
    assert inputs.avg_deal.value == pytest.approx(50_000)
    assert inputs.cycle_days.value == pytest.approx((60 + 60 + 90) / 3)


def test_flags_win_over_the_data_and_the_seed_fills_gaps():
    deals = [closed(Stage.CLOSED_WON, 40_000, "2026-01-01", "2026-03-02")]
    inputs = derive_inputs(deals, AS_OF, avg_deal=75_000)
    assert (inputs.avg_deal.value, inputs.avg_deal.source) == (75_000, "flag")
    assert (inputs.win_rate.value, inputs.win_rate.source) == (SEED_WIN_RATE, "seed default")
    assert "too few closed deals" in inputs.win_rate.detail


def test_closed_deals_dated_in_the_future_do_not_count():
    deals = [closed(Stage.CLOSED_WON, 40_000, "2026-01-01", "2027-03-02") for _ in range(6)]
    assert derive_inputs(deals, AS_OF).win_rate.source == "seed default"


@pytest.mark.parametrize(
    ("as_of", "kind", "label", "start", "end"),
    [
        ("2026-11-26", "quarter", "2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-02-10", "quarter", "2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-05-31", "quarter", "2026-Q2", "2026-04-01", "2026-06-30"),
        ("2026-11-26", "year", "2026", "2026-01-01", "2026-12-31"),
    ],
)
def test_periods_are_calendar_quarters_and_years(as_of, kind, label, start, end):
    period = period_bounds(dt.date.fromisoformat(as_of), kind)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)
