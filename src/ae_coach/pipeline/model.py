"""The pipeline review's result: plain pydantic models, rendered by ``pipeline.render`` and dumped as JSON."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ae_coach.crm.result import RowWarning, SkippedRow
from ae_coach.deal import ForecastCategory, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.pipeline.math import MathInputs, PipelineMath

NO_OWNER = "(no owner)"
"""The owner summary for deals whose owner field is empty."""


class DealLine(BaseModel):
    """One open deal as the review sees it: the CRM's view next to the inspector's."""

    id: str
    account: str
    name: str | None = None
    owner: str | None = None
    stage: Stage
    amount: float
    close_date: dt.date | None = None
    forecast_category: ForecastCategory | None = None
    """What the CRM says."""
    recommended_forecast: ForecastCategory | None = None
    """What the inspector would call it."""
    health: int = 0
    tier: int | None = None
    worst: Severity | None = None
    risk_score: float = 0.0
    """amount x the weight of the worst finding's severity (see ``RISK_WEIGHT``)."""
    codes: list[str] = Field(default_factory=list)
    """Finding codes worse than info, worst first."""
    headline: str = ""
    """The worst finding's title."""
    why_not_commit: list[str] = Field(default_factory=list)
    in_period: bool = False
    overdue: bool = False


class Period(BaseModel):
    kind: str
    label: str
    start: dt.date
    end: dt.date


class Coverage(BaseModel):
    """Open pipeline closing in the period against the quota still to close."""

    quota: float | None
    closed_won: float
    remaining_quota: float | None
    open_in_period: float
    ratio: float | None
    """open_in_period / remaining_quota; None without a quota or when the quota is already met."""
    needed: float
    """1 / win rate."""
    overdue_open: float
    """Open deals whose close date is before the period: not counted, but a manager must see them."""
    open_total: float
    weighted_in_period: float
    """Sum of amount x the seed's stage probability, open deals closing in the period."""
    weighted_total: float


class StageMixRow(BaseModel):
    stage: Stage
    deals: int
    amount: float
    share: float
    target: float
    deviation: float
    """share - target, in fractions (0.12 = 12 points over)."""


class Rollup(BaseModel):
    """Forecast roll-up for the period: commit = commit + closed; best case = best case + commit + closed."""

    closed: float
    commit: float
    best_case: float
    pipeline: float
    uncategorised: float = 0.0
    """Open in-period value with no forecast category (CRM view only)."""


class OwnerGap(BaseModel):
    code: str
    deals: int
    share: float
    team_share: float
    """The same code's share across everybody else's open deals."""


class OwnerSummary(BaseModel):
    """One rep: every owner with an open deal or a deal closed in the period, so the columns add up to the team."""

    owner: str
    open_deals: int
    open_amount: float
    in_period_amount: float
    commit_amount: float
    closed_won: float
    """Closed won in the period."""
    won_deals: int = 0
    """Deals closed won in the period."""
    avg_health: float | None
    """Mean health of the open deals; None for a rep with none open."""
    at_risk: int
    """Open deals with a high or critical finding."""
    gaps: list[OwnerGap] = Field(default_factory=list)
    """Finding codes on this owner's open deals, most frequent first."""


class PipelineReview(BaseModel):
    """Everything ``ae-coach pipeline`` reports; JSON output is this model."""

    as_of: dt.date
    period: Period
    owner_filter: str | None = None
    currency: str = "USD"
    """The reporting currency: the most common one among the deals."""
    other_currencies: list[str] = Field(default_factory=list)
    """Other currencies present; their amounts are summed as if they were ``currency`` (no FX conversion)."""
    inputs: MathInputs
    math: PipelineMath | None
    """None without a quota: the seed's formulas need one."""
    coverage: Coverage
    stage_mix: list[StageMixRow]
    rollup_crm: Rollup
    rollup_recommended: Rollup
    at_risk: list[DealLine]
    owners: list[OwnerSummary]
    findings: list[Finding]
    """The pipeline.* findings, worst first."""
    common_gaps: dict[str, int]
    """Deal finding code -> open deals with it, most frequent first."""
    deals: list[DealLine]
    """Every open deal reviewed, riskiest first."""
    counts: dict[str, int]
    """open, won, lost, in_period, overdue."""
    source: dict[str, object] = Field(default_factory=dict)
    """The import summary (path, format, rows, warnings, skipped) when the deals came from a file."""
    import_warnings: list[RowWarning] = Field(default_factory=list)
    import_skipped: list[SkippedRow] = Field(default_factory=list)
