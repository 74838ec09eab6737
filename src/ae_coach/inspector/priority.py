"""The order a sales manager raises a deal's problems in: severity first, then the deal's story.

The inspector sorts findings by severity and then by code, which is stable but alphabetical: at equal
severity "meddpicc.competition" came before "anti.single_threading", so the headline of a
single-threaded deal led with a checklist gap. In a real deal review the manager starts with what the
deal is *doing* (a forecast call the evidence does not support, a close date that keeps moving, a
champion who went quiet, a deal resting on one person, people and competitors arriving late) and only
then walks the MEDDPICC gaps, the signer and the seller-for-us first. :data:`PRIORITY` writes that
order down; the health score takes its biggest bites in this order, and the offline coach uses it for
the headline, the risks and the next actions.
"""

from __future__ import annotations

from ae_coach.findings import Finding, Severity

PRIORITY: tuple[str, ...] = (
    # routing: a deal to disqualify or serve self-serve is decided before any more work goes into it
    "account.poor_fit",
    # forecast integrity: the manager has to defend these numbers upward
    "anti.forecast_fantasy",
    "momentum.close_date_slipped",
    "momentum.close_date_passed",
    # momentum and the deal's story
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.stale",
    "anti.single_threading",
    "momentum.late_stakeholder",
    "momentum.budget_concern_late",
    "momentum.competitor_late",
    "anti.proposal_too_early",
    "anti.demo_before_discovery",
    "anti.happy_ears",
    "anti.post_close_abandonment",
    "momentum.meetings_rescheduled",
    "momentum.pending_internal_review",
    "anti.hoping_not_controlling",
    "anti.ignoring_competition",
    "anti.neglecting_champion",
    "anti.feature_dumping",
    # MEDDPICC gaps: who signs and who sells for us before the rest
    "meddpicc.economic_buyer",
    "meddpicc.champion",
    "meddpicc.identified_pain",
    "meddpicc.metrics",
    "meddpicc.decision_process",
    "meddpicc.paper_process",
    "meddpicc.decision_criteria",
    "meddpicc.competition",
    # hygiene and bookkeeping that usually restate the gaps above
    "committee.missing_role",
    "momentum.no_dated_next_step",
    "stage.unearned",
    "hygiene.evidence_missing",
)
_RANK = {code: i for i, code in enumerate(PRIORITY)}
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}


def ranked(findings: list[Finding]) -> list[Finding]:
    """Findings by severity, then by :data:`PRIORITY`, then by code (codes not listed go last)."""
    return sorted(findings, key=_rank_key)


def _rank_key(finding: Finding) -> tuple[int, int, str]:
    return _SEVERITY_RANK[finding.severity], _RANK.get(finding.code, len(PRIORITY)), finding.code
