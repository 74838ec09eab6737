"""Property tests: inspect() and assess() never crash on any valid deal, and their output keeps its contract."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ae_coach.deal import (
    ActivityStatus,
    ActivityType,
    CompetitorStatus,
    Fit,
    ForecastCategory,
    PlanStatus,
    Role,
    Sentiment,
    Signal,
    Situation,
    Stage,
    Status,
    parse_deal,
)
from ae_coach.findings import DEAL_FINDING_CODES, MEDDPICC_ELEMENTS, sort_findings
from ae_coach.inspector import assess

DATES = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
NAMES = st.sampled_from(["Dana Lee", "Priya Shah", "Omar", "Lena Park", "Sam", "dana lee", ""])
SUMMARIES = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(
        [
            "Dana scheduled the next call",
            "CFO will attend",
            "budget freeze",
            "let me run this by the board",
            "we'll get back to you",
            "also evaluating Clari",
            "full product tour",
            "POC completed",
            "pricing agreed",
            "contract signed",
            "kick-off with customer success",
            "no budget concerns",
            "done deal, they love it",
        ]
    ),
)


def enum(kind):
    return st.sampled_from([member.value for member in kind])


element = st.fixed_dictionaries({"status": enum(Status)}, optional={"evidence": st.one_of(st.none(), SUMMARIES)})
stakeholder = st.fixed_dictionaries(
    {"name": NAMES.filter(bool)},
    optional={
        "title": st.sampled_from(["CEO", "VP Sales", "Analyst", None]),
        "role": enum(Role),
        "engaged": st.booleans(),
        "last_contact": DATES,
        "sentiment": enum(Sentiment),
        "added": DATES,
    },
)
activity = st.fixed_dictionaries(
    {"date": DATES},
    optional={
        "type": enum(ActivityType),
        "status": enum(ActivityStatus),
        "with": st.lists(NAMES, max_size=3),
        "summary": SUMMARIES,
        "signals": st.one_of(st.none(), st.lists(enum(Signal), max_size=3)),
    },
)
change = st.fixed_dictionaries(
    {"date": DATES, "field": st.sampled_from(["close_date", "stage", "amount", "owner"])},
    optional={
        "from": st.one_of(DATES, enum(Stage), st.integers(), st.text(max_size=10), st.none()),
        "to": st.one_of(DATES, enum(Stage), st.integers(), st.text(max_size=10), st.none()),
    },
)
deal = st.fixed_dictionaries(
    {"account": st.text(min_size=1, max_size=20), "stage": enum(Stage)},
    optional={
        "amount": st.floats(min_value=0, max_value=5_000_000),
        "close_date": DATES,
        "created": DATES,
        "as_of": DATES,
        "forecast_category": enum(ForecastCategory),
        "probability": st.floats(min_value=0, max_value=100),
        "situation": enum(Situation),
        "fit": enum(Fit),
        "meddpicc": st.fixed_dictionaries({}, optional={name: element for name in MEDDPICC_ELEMENTS}),
        "stakeholders": st.lists(stakeholder, max_size=5),
        "activities": st.lists(activity, max_size=8),
        "next_step": st.one_of(
            st.none(), st.fixed_dictionaries({"action": st.text(max_size=20)}, optional={"date": DATES})
        ),
        "mutual_action_plan": st.lists(
            st.fixed_dictionaries(
                {"action": st.text(max_size=20)}, optional={"date": DATES, "status": enum(PlanStatus)}
            ),
            max_size=4,
        ),
        "competitors": st.lists(
            st.fixed_dictionaries(
                {"name": st.text(min_size=1, max_size=15)}, optional={"status": enum(CompetitorStatus), "added": DATES}
            ),
            max_size=3,
        ),
        "history": st.lists(change, max_size=4),
        "notes": SUMMARIES,
    },
)


@settings(max_examples=300, deadline=None)
@given(deal)
def test_assess_never_crashes_and_keeps_its_contract(data) -> None:
    result = assess(parse_deal(data))
    assert 0 <= result.health <= 100
    assert result.tier in (1, 2, 3, 4)
    assert set(result.meddpicc) == set(MEDDPICC_ELEMENTS) and all(0 <= g <= 3 for g in result.meddpicc.values())
    assert all(f.code in DEAL_FINDING_CODES for f in result.findings)
    assert result.findings == sort_findings(result.findings)
    assert len({f.code for f in result.findings}) == len(result.findings)  # one finding per code
    if result.stage in ("closed_won", "closed_lost"):
        # won is closed; lost is out of the number (omitted), as CRMs file it
        won = result.stage == "closed_won"
        assert result.recommended_forecast is (ForecastCategory.CLOSED if won else ForecastCategory.OMITTED)
        assert not result.why_not_commit
    elif result.recommended_forecast is ForecastCategory.COMMIT:
        assert not result.why_not_commit
