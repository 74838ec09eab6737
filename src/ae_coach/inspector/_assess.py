"""``assess`` and ``inspect``: run every finding family over a deal's facts (the package's public door
re-exports them; see ``ae_coach.inspector``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ae_coach.deal import STAGE_PROBABILITY, Deal, ForecastCategory, Stage
from ae_coach.findings import Finding, Severity, sort_findings, trusted
from ae_coach.i18n import t, term
from ae_coach.inspector import (
    account,
    anti,
    committee,
    competition,
    forecast,
    hygiene,
    loss,
    meddpicc,
    momentum,
    positive,
    priority,
    stage,
)
from ae_coach.inspector._context import Context
from ae_coach.inspector.facts import DealFacts, with_record_roles
from ae_coach.inspector.period import Period
from ae_coach.inspector.settings import Settings, playbook_settings

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.rules import Rulebook

__all__ = ["Assessment", "assess", "inspect"]

_FAMILIES = (meddpicc, stage, momentum, positive, committee, anti, account, competition, hygiene)


class Assessment(BaseModel):
    """Everything the inspector concludes about one deal; the coach and the renderers build on it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    deal_id: str | None = None
    """The deal's ``id`` (default: its file stem)."""
    stage: str
    """The deal's stage."""
    as_of: dt.date
    """The review's 'today'."""
    findings: list[Finding] = Field(default_factory=list)
    """Worst first, then by code."""
    meddpicc: dict[str, int] = Field(default_factory=dict)
    """Grade 0-3 per element: 0 unknown, 1 rep-asserted, 2 buyer-confirmed, 3 validated in writing."""
    tier: int
    """Account tier 1-4 (the seed's table)."""
    health: int
    """0-100: each finding takes a share of what is left (compounding), plus a little for positive signals."""
    health_reasons: list[str] = Field(default_factory=list)
    """One line per finding that moved the health score."""
    recommended_forecast: ForecastCategory
    """The category the evidence supports (see ae_coach.inspector.forecast)."""
    why_not_commit: list[str] = Field(default_factory=list)
    """Unmet Commit-gate conditions; empty when the deal passes the gate or is closed."""
    stage_probability: int
    """The seed's probability for the stage (10/25/50/75/90; 100 won, 0 lost)."""
    forecast_reasons: list[str] = Field(default_factory=list)
    """Why the call is what it is: the fact that puts the deal in its category, what keeps it out of the
    one above, and whether it was raised above the rep's own call (and on what evidence)."""
    period: Period
    """The forecast period the call is for."""
    later_forecast: ForecastCategory | None = None
    """For a deal omitted only because it closes after the period: the call its evidence earns for the period
    it closes in."""
    later_period: str | None = None
    """The period ``later_forecast`` is for."""
    facts: DealFacts
    """The deal's facts (people, two-way contact, first appearances, dated items, MEDDPICC claimed vs
    corroborated), derived once; every consumer reads them here."""

    def codes(self) -> list[str]:
        """The finding codes, in order."""
        return [f.code for f in self.findings]


def _context(deal: Deal, as_of: dt.date | None, settings: Settings | None, rulebook: Any) -> Context:
    as_of = as_of or deal.reference_date()
    ctx = Context(
        deal=with_record_roles(deal, as_of) if type(as_of) is dt.date else deal,
        as_of=as_of,
        settings=settings or playbook_settings(),
        rule_index=_rule_index(rulebook),
    )
    ctx.grades = meddpicc.grades(ctx)
    return ctx


NEEDS: dict[str, tuple[str, ...]] = {
    "meddpicc.": ("meddpicc",),
    "hygiene.evidence_missing": ("meddpicc",),
    "stage.unearned": ("meddpicc", "stakeholders", "activities"),
    "committee.": ("stakeholders",),
    "anti.single_threading": ("stakeholders",),
    "anti.neglecting_champion": ("stakeholders", "activities"),
    "anti.happy_ears": ("meddpicc",),
    "anti.forecast_fantasy": ("meddpicc", "stakeholders"),
    "anti.hoping_not_controlling": ("mutual_action_plan",),
    "anti.ignoring_competition": ("competitors",),
    "anti.feature_dumping": ("activities",),
    "anti.demo_before_discovery": ("activities",),
    "anti.proposal_too_early": ("activities", "meddpicc"),
    "anti.post_close_abandonment": ("activities", "mutual_action_plan"),
    "momentum.stale": ("activities",),
    "momentum.champion_dark": ("stakeholders", "activities"),
    "momentum.unanswered_outreach": ("activities",),
    "momentum.no_dated_next_step": ("next_step",),
    "momentum.meetings_rescheduled": ("activities",),
    "momentum.late_stakeholder": ("stakeholders",),
    "momentum.pending_internal_review": ("activities",),
    "momentum.competitor_late": ("competitors", "activities"),
    "momentum.competitor_counter": ("activities",),
    "momentum.budget_concern_late": ("activities",),
    "momentum.concession_floated": ("activities",),
    "positive.": ("activities",),
}
"""The parts of the deal format each finding is judged from: a source that does not carry one of them
(``deal.source.missing``) gets no such finding, only ``data.coverage`` saying it was not judged."""


def _findings(ctx: Context) -> list[Finding]:
    found = _settled(ctx, [f for family in _FAMILIES for f in family.inspect(ctx)])
    lost = loss.lost_on(ctx.deal) if ctx.stage == Stage.CLOSED_LOST else None
    if lost is not None and type(ctx.as_of) is dt.date and lost[0] <= ctx.as_of:
        # why it was lost: the record as it stood that day, in the stage it left (ae_coach.inspector.loss)
        then = Context(deal=loss.as_it_stood(ctx.deal, lost), as_of=lost[0], settings=ctx.settings,
                       rule_index=ctx.rule_index)  # fmt: skip
        then.grades = meddpicc.grades(then)
        found += loss.reasons(_findings(then), lost)
    missing = set(ctx.facts.coverage.missing)
    if missing:
        judged = [f for f in found if not missing & set(_needs(f.code))]
        skipped = sorted({f.code for f in found} - {f.code for f in judged})
        found = [*judged, _coverage_finding(ctx, sorted(missing), skipped)]
    return sort_findings(found)


CHECKLIST = (
    "meddpicc.",
    "stage.unearned",
    "committee.missing_role",
    "anti.single_threading",
    "anti.hoping_not_controlling",
    "anti.ignoring_competition",
    "anti.proposal_too_early",
    "anti.neglecting_champion",
    "anti.feature_dumping",
    "anti.demo_before_discovery",
)
"""Findings about how the deal was run (the checklist's gaps), as against what the deal is doing now."""


def _settled(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """With the signer's commitment on record (they said yes, hold the paper and gave the date they sign), the
    checklist's remaining gaps are bookkeeping for the file, not risks to the signature: at most low. What the
    record shows going wrong (a slip, a silence, a late rival, a red flag the record itself shows) keeps its
    severity."""
    committed = ctx.facts.timing.committed
    if not committed:
        return findings
    out = []
    for finding in findings:
        shown = any(finding.data.get(key) for key in priority.SHOWN)
        if finding.code.startswith(CHECKLIST) and not shown and finding.severity.rank < Severity.LOW.rank:
            evidence = [*finding.evidence, f"the signer has committed, so this is record-keeping: {committed}"]
            finding = finding.model_copy(update={"severity": Severity.LOW, "evidence": evidence})
        out.append(finding)
    return out


def _needs(code: str) -> tuple[str, ...]:
    return next((parts for prefix, parts in NEEDS.items() if code.startswith(prefix)), ())


def _coverage_finding(ctx: Context, missing: list[str], skipped: list[str]) -> Finding:
    source = ctx.facts.coverage.source or "the source"
    evidence = [f"{source} does not carry: {', '.join(missing)}"]
    if skipped:
        evidence.append(f"not judged (not in this export, not a gap in the deal): {', '.join(skipped)}")
    evidence.append(
        "judged on what the export has: stage, amount, close date and its changes, stage age, next step, owner"
    )
    return ctx.finding(
        "data.coverage",
        Severity.INFO,
        f"Judged on a thin record: {source} has no {', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}",
        evidence,
        missing=missing,
        not_judged=skipped,
    )


def inspect(
    deal: Deal, as_of: dt.date | None = None, *, settings: Settings | None = None, rulebook: Rulebook | None = None
) -> list[Finding]:
    """Inspect one deal.

    Args:
        deal: The deal.
        as_of: The review's 'today'; default: the deal's ``as_of``, else the real date.
        settings: Thresholds; default: :class:`ae_coach.inspector.settings.Settings` defaults.
        rulebook: Rules whose ``triggers`` are attached to findings; default: the shipped rulebook.

    Returns:
        Findings sorted by severity (worst first) then code; each carries evidence and rule ids.
    """
    return _findings(_context(deal, as_of, settings, rulebook))


def assess(
    deal: Deal, as_of: dt.date | None = None, *, settings: Settings | None = None, rulebook: Rulebook | None = None
) -> Assessment:
    """Inspect one deal and conclude: grades, tier, health, recommended forecast, why not Commit.

    Arguments are those of :func:`inspect`.
    """
    ctx = _context(deal, as_of, settings, rulebook)
    findings = _findings(ctx)
    why_not = forecast.full_gate(ctx, findings)
    score, reasons = forecast.health(ctx, findings)
    tier, _ = account.tier_of(ctx)
    category, call_reasons = forecast.call(ctx, findings, why_not)
    later = forecast.later_call(ctx, findings) if category == ForecastCategory.OMITTED else None
    if later is not None:
        call_reasons = [*call_reasons, t("call.later", category=term(later[0]), period=later[1].label)]
        gaps = forecast.later_gaps(ctx, findings)
        if gaps:
            call_reasons.append(t("call.not_best_case", reason="; ".join(gaps)))
    values: dict[str, Any] = {
        "deal_id": deal.id,
        "stage": deal.stage.value,
        "as_of": ctx.as_of,
        "findings": findings,
        "meddpicc": dict(ctx.grades),
        "tier": tier,
        "health": score,
        "health_reasons": reasons,
        "recommended_forecast": category,
        "why_not_commit": why_not,
        "stage_probability": STAGE_PROBABILITY[deal.stage],
        "forecast_reasons": call_reasons,
        "period": forecast.period(ctx),
        "later_forecast": later[0] if later else None,
        "later_period": later[1].label if later else None,
        "facts": ctx.facts,
    }
    if type(ctx.as_of) is not dt.date:  # a datetime or a string from a caller: let pydantic coerce or refuse it
        return Assessment(**values)
    return trusted(Assessment, values)  # every value above is the inspector's own, of the declared type


# --------------------------------------------------------------------------- rules per finding code

_INDEX_CACHE: dict[int, tuple[Any, dict[str, tuple[str, ...]]]] = {}


def _rule_index(rulebook: Any) -> dict[str, tuple[str, ...]]:
    """code -> ids of rules whose triggers name it, built once per rulebook object."""
    if rulebook is None:
        rulebook = _default_rulebook()
    if rulebook is None:
        return {}
    cached = _INDEX_CACHE.get(id(rulebook))
    if cached is not None and cached[0] is rulebook:
        return cached[1]
    index: dict[str, list[str]] = {}
    for rule in rulebook.rules:
        for code in rule.triggers:
            index.setdefault(code, []).append(rule.id)
    frozen = {code: tuple(sorted(ids)) for code, ids in index.items()}
    if len(_INDEX_CACHE) >= 8:
        _INDEX_CACHE.clear()  # keep the cache (which holds the rulebooks) small when callers build many
    _INDEX_CACHE[id(rulebook)] = (rulebook, frozen)
    return frozen


def _default_rulebook() -> Any:
    try:
        from ae_coach.rules import load_rulebook
    except ImportError:  # the rulebook module is optional for the inspector
        return None
    return load_rulebook()
