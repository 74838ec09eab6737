"""What each MCP tool returns, as pydantic models: the SDK publishes their JSON Schema as the tool's output
schema and sends the data as structured content, so a host can rely on the shape.

A pipeline review is summarised by default (counts, coverage, roll-ups, stage mix, owners, the pipeline
findings and the deals most at risk, each in a few fields): a host model reads that in a few thousand tokens.
``detail="deals"`` adds one page of the deals (``offset``, ``limit``) in full.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from ae_coach.coach.report import CoachingReport
from ae_coach.deal import ForecastCategory, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.inspector import Assessment
from ae_coach.pipeline.math import PipelineMath
from ae_coach.pipeline.model import (
    Coverage,
    DealLine,
    Period,
    Rollup,
    StageMixRow,
)


class DealSummary(BaseModel):
    """Which deal a result is about."""

    id: str | None = None
    account: str
    name: str | None = None
    stage: str
    amount: float | None = None
    currency: str | None = None
    close_date: str | None = None


class InspectDealOutput(Assessment):
    """The inspector's assessment of one deal (findings, MEDDPICC grades, tier, health, forecast call)."""

    deal: DealSummary


class ReviewDealOutput(BaseModel):
    """The offline coach's report and the findings it rests on (the shape of ``review --format json``)."""

    deal: DealSummary
    findings: list[Finding]
    report: CoachingReport


class DealBrief(BaseModel):
    """One open deal in a few fields."""

    id: str
    account: str
    owner: str | None = None
    stage: Stage
    amount: float
    close_date: dt.date | None = None
    health: int
    worst: Severity | None = None
    why: str = ""
    """The worst finding's title."""
    crm_forecast: ForecastCategory | None = None
    evidence_forecast: ForecastCategory | None = None


class OwnerBrief(BaseModel):
    owner: str
    open_deals: int
    open_amount: float
    in_period_amount: float
    commit_amount: float
    closed_won: float
    avg_health: float | None = None
    at_risk: int
    top_gaps: list[str] = Field(default_factory=list)
    """The owner's most frequent finding codes (at most three)."""


class PipelineReviewOutput(BaseModel):
    """A pipeline review, summarised; ``deals`` holds one page of the open deals when asked for."""

    as_of: dt.date
    period: Period
    currency: str
    counts: dict[str, int]
    """deals, open, won, lost, in_period, overdue."""
    coverage: Coverage
    rollup_crm: Rollup
    rollup_evidence: Rollup
    """The same roll-up with the inspector's forecast call for each deal."""
    math: PipelineMath | None = None
    stage_mix: list[StageMixRow]
    owners: list[OwnerBrief]
    findings: list[Finding]
    """The pipeline.* findings, worst first."""
    at_risk: list[DealBrief]
    """The deals most at risk (amount x severity), riskiest first."""
    common_gaps: dict[str, int]
    """The ten most frequent finding codes across the open deals."""
    source: dict[str, Any] = Field(default_factory=dict)
    import_notes: list[str] = Field(default_factory=list)
    """The first import warnings and skipped rows."""
    deals_total: int
    deals: list[DealLine] | None = None
    """With ``detail="deals"``: open deals ``offset`` to ``offset + limit``, riskiest first."""
    next_offset: int | None = None
    """The ``offset`` of the next page of deals, when there is one."""


class PipelineMathOutput(PipelineMath):
    cycle_days: int
    lead_time_note: str


class RuleHit(BaseModel):
    id: str
    title: str
    section: str
    """The best-matching section."""
    score: float
    sections: list[str]
    """Every matching section, best first."""
    summary: str
    uri: str
    """The rule as an MCP resource (``rule://<id>``)."""


class SearchRulesOutput(BaseModel):
    query: str
    hits: list[RuleHit]
