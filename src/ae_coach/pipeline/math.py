"""The seed framework's pipeline math, and where its inputs come from.

The seed's worked example: a $1M annual quota, a $50K average deal, a 25% win rate and a 90-day cycle
need 20 closed-won deals a year, 4x coverage ($4M of active pipeline), 20 new opportunities a quarter
and about 8 qualified meetings a week. The formulas:

- deals needed = quota / average deal size                          ($1M / $50K = 20)
- coverage needed = 1 / win rate                                    (1 / 0.25 = 4x)
- pipeline needed = quota x coverage needed                         ($4M)
- opportunities per quarter = deals needed / win rate / quarters in the quota period
  (20 / 0.25 = 80 opportunities a year, spread over 4 quarters = 20; a quarterly quota has 1)
- meetings per week = opportunities per quarter / 13 weeks / meeting-to-opportunity conversion

The seed gives no conversion rate, so :data:`MEETING_TO_OPPORTUNITY` is an ae-coach default of 20% (one
qualified meeting in five becomes an opportunity): with the seed's inputs it gives 20 / 13 / 0.2 = 7.7,
the seed's "~8 meetings a week". Teams with their own funnel data should pass theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ae_coach.crm.deals import DealRecord
from ae_coach.deal import Stage

SEED_QUOTA = 1_000_000.0
SEED_AVG_DEAL = 50_000.0
SEED_WIN_RATE = 0.25
SEED_CYCLE_DAYS = 90
"""The seed framework's example inputs, used when neither a flag nor the data gives a value."""

STAGE_MIX_TARGET: dict[Stage, float] = {
    Stage.DISCOVERY: 0.40,
    Stage.SCOPING: 0.25,
    Stage.VALIDATION: 0.20,
    Stage.PROPOSAL: 0.10,
    Stage.CLOSING: 0.05,
}
"""The seed's pipeline coverage by stage: share of open pipeline value expected in each stage."""

MEETING_TO_OPPORTUNITY = 0.20
"""ae-coach default: share of qualified meetings that become opportunities (reproduces the seed's ~8/week)."""
WEEKS_PER_QUARTER = 13
MIN_CLOSED_FOR_WIN_RATE = 5
"""ae-coach default: closed deals (won + lost) needed before the data's win rate replaces the default."""
MIN_WON_FOR_AVERAGES = 3
"""ae-coach default: won deals needed before the data's average deal size and cycle replace the defaults."""

Period = Literal["quarter", "year"]
QUARTERS_IN: dict[str, int] = {"quarter": 1, "year": 4}


def parse_amount(value: str | float, name: str = "--quota") -> float:
    """A positive amount as a person writes it (``1000000``, ``1,000,000``, ``1M``, ``250k``, ``$1.5M``); the CLI's
    ``--quota`` and ``--avg-deal`` and the MCP tools read it the same way.

    Raises:
        UsageError: not an amount, or not positive (the message names ``name``).
    """
    from ae_coach.crm._values import parse_number
    from ae_coach.errors import UsageError

    if isinstance(value, bool):
        raise UsageError(f"{name} {value!r} is not an amount; e.g. 1000000, 1,000,000 or 1M")
    try:
        amount = float(value) if isinstance(value, int | float) else parse_number(str(value))
    except ValueError:
        raise UsageError(f"{name} {value!r} is not an amount; e.g. 1000000, 1,000,000 or 1M") from None
    if amount == float("inf"):
        raise UsageError(f"{name} must be a finite amount, got {value!r}")
    if not amount > 0:
        raise UsageError(f"{name} must be positive, got {value!r}")
    return amount


class Input(BaseModel):
    """One input of the math and where it came from: ``flag``, ``data`` or ``seed default``."""

    model_config = ConfigDict(frozen=True)

    value: float
    source: str
    detail: str = ""
    """E.g. "12 won of 40 closed deals"."""


class MathInputs(BaseModel):
    quota: Input | None
    avg_deal: Input
    win_rate: Input
    cycle_days: Input


class PipelineMath(BaseModel):
    """What the quota requires, per the seed's formulas (see the module docstring)."""

    quota: float
    avg_deal: float
    win_rate: float
    period: Period
    deals_needed: float
    coverage_needed: float
    pipeline_needed: float
    opportunities_per_quarter: float
    meetings_per_week: float
    meeting_conversion: float = MEETING_TO_OPPORTUNITY


def pipeline_math(
    quota: float,
    avg_deal: float,
    win_rate: float,
    *,
    period: Period = "year",
    meeting_conversion: float = MEETING_TO_OPPORTUNITY,
) -> PipelineMath:
    """Apply the seed's formulas.

    >>> m = pipeline_math(1_000_000, 50_000, 0.25)
    >>> (m.deals_needed, m.coverage_needed, m.pipeline_needed, m.opportunities_per_quarter, round(m.meetings_per_week))
    (20.0, 4.0, 4000000.0, 20.0, 8)
    """
    if avg_deal <= 0 or not 0 < win_rate <= 1 or not 0 < meeting_conversion <= 1:
        raise ValueError("average deal size must be positive; win rate and conversion between 0 and 1")
    deals = quota / avg_deal
    coverage = 1 / win_rate
    per_quarter = deals / win_rate / QUARTERS_IN[period]
    return PipelineMath(
        quota=quota,
        avg_deal=avg_deal,
        win_rate=win_rate,
        period=period,
        deals_needed=deals,
        coverage_needed=coverage,
        pipeline_needed=quota * coverage,
        opportunities_per_quarter=per_quarter,
        meetings_per_week=per_quarter / WEEKS_PER_QUARTER / meeting_conversion,
        meeting_conversion=meeting_conversion,
    )


def _closed(deals: Iterable[DealRecord], as_of: dt.date) -> tuple[list[DealRecord], list[DealRecord]]:
    won, lost = [], []
    for deal in deals:
        if deal.close_date is not None and deal.close_date > as_of:
            continue  # a "closed" deal dated in the future is a data-entry error; keep it out of the rates
        if deal.stage is Stage.CLOSED_WON:
            won.append(deal)
        elif deal.stage is Stage.CLOSED_LOST:
            lost.append(deal)
    return won, lost


def derive_inputs(
    deals: Sequence[DealRecord],
    as_of: dt.date,
    *,
    quota: float | None = None,
    win_rate: float | None = None,
    avg_deal: float | None = None,
    cycle_days: float | None = None,
) -> MathInputs:
    """Pick each input: an explicit flag wins, then the data's closed deals (when there are enough), then the seed.

    A flag wins over the data because a manager who types ``--win-rate 0.2`` means it; the report says which
    source each figure came from.
    """
    won, lost = _closed(deals, as_of)
    closed = len(won) + len(lost)
    amounts = [d.amount for d in won if d.amount > 0]
    cycles = [(d.close_date - d.created).days for d in won if d.close_date and d.created and d.close_date >= d.created]

    def pick(flag, data_value, enough, detail, seed) -> Input:
        if flag is not None:
            return Input(value=float(flag), source="flag")
        if enough and data_value is not None:
            return Input(value=float(data_value), source="data", detail=detail)
        return Input(value=float(seed), source="seed default", detail=detail and f"too few closed deals: {detail}")

    rate = len(won) / closed if closed else None
    return MathInputs(
        quota=Input(value=float(quota), source="flag") if quota is not None else None,
        win_rate=pick(win_rate, rate, closed >= MIN_CLOSED_FOR_WIN_RATE and won, f"{len(won)} won of {closed} closed", SEED_WIN_RATE),
        avg_deal=pick(avg_deal, sum(amounts) / len(amounts) if amounts else None, len(amounts) >= MIN_WON_FOR_AVERAGES,
                      f"{len(amounts)} won deal{_s(amounts)}", SEED_AVG_DEAL),
        cycle_days=pick(cycle_days, sum(cycles) / len(cycles) if cycles else None, len(cycles) >= MIN_WON_FOR_AVERAGES,
                        f"{len(cycles)} won deal{_s(cycles)} with dates", SEED_CYCLE_DAYS),
    )  # fmt: skip


def _s(items: list) -> str:
    """The plural ending for a count of ``items``: "1 won deal", "5 won deals"."""
    return "" if len(items) == 1 else "s"
