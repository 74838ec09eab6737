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
    "momentum.close_date_slipped",
    "momentum.close_date_passed",
    # momentum and the deal's story
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.stale",
    "momentum.budget_concern_late",
    "momentum.competitor_late",
    "momentum.competitor_counter",
    "momentum.late_stakeholder",
    "momentum.meetings_rescheduled",
    "anti.proposal_too_early",
    "anti.single_threading",
    "anti.demo_before_discovery",
    "anti.happy_ears",
    "anti.post_close_abandonment",
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
    # a Commit call the evidence does not support: the consequence of the gaps above, raised after them
    "anti.forecast_fantasy",
    # hygiene and bookkeeping that usually restate the gaps above
    "committee.missing_role",
    "momentum.no_dated_next_step",
    "stage.unearned",
    "hygiene.evidence_missing",
)
_RANK = {code: i for i, code in enumerate(PRIORITY)}
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}


STORY = ("momentum.", "anti.", "account.poor_fit")
"""What the deal is doing: raised before the checklist gaps when it is serious (high or critical)."""

BOOKKEEPING = ("momentum.no_dated_next_step",)
"""Momentum codes that record a hygiene gap rather than what the buyer is doing (an undated next step):
raised in their :data:`PRIORITY` place with the bookkeeping, never ahead of the checklist gaps."""


def ranked(findings: list[Finding]) -> list[Finding]:
    """The order a manager raises findings in: the deal's story first when it is serious (a high or
    critical danger signal or anti-pattern), then by severity, then by :data:`PRIORITY`, then by code.

    An economic buyer who parked the deal and went quiet (``pulled_back``) is the cause of what the deal is
    doing: raised as story, ahead of the slipping close date it explains.

    A committed deal that fails the gate (``anti.forecast_fantasy``) is a consequence of its gaps, not part
    of the story: it is raised with them, after the gap that fails it (an economic buyer nobody has met),
    unless the Commit rests on ticked boxes alone with nobody who can sign met (``signer_unmet`` and
    ``form_filled``) or the buyer's own plan signs after the period (``wrong_period``): then it is raised with
    the forecast-integrity findings.

    Silence: who went quiet is the story (the champion first, even when nobody else has spoken since
    either), then who the rep is chasing unanswered, then the deal's silence. A deal silent long enough to
    omit (``omit`` on ``momentum.stale``) is raised as stale first: whether it is alive at all comes before
    who stopped answering.

    A paper process stuck at closing (``stuck``: a late or blocked contract step) is what the deal is doing:
    story, raised after the buyer's silence and before who is involved (people or competitors arriving late,
    one contact holding the deal). So is a pilot running with no success criteria the buyer agreed
    (``unframed_pilot``): its outcome will be judged by feel.

    A champion the record shows leaving or gone (``left``) is the cause of what the deal is doing, like a signer
    who parked it: raised first, ahead of a Commit call on ticked boxes and of the silence that follows.
    """
    return sorted(findings, key=_rank_key)


def _rank_key(finding: Finding) -> tuple[int, int, float, str]:
    serious = finding.severity in (Severity.CRITICAL, Severity.HIGH)
    fantasy = finding.code == "anti.forecast_fantasy"
    parked = finding.code == "meddpicc.economic_buyer" and bool(finding.data.get("pulled_back"))
    stuck = finding.code == "meddpicc.paper_process" and serious and bool(finding.data.get("stuck"))
    left = finding.code == "meddpicc.champion" and serious and bool(finding.data.get("left"))
    unframed = finding.code == "meddpicc.decision_criteria" and serious and bool(finding.data.get("unframed_pilot"))
    story = (
        parked
        or left
        or stuck
        or unframed
        or (
            serious
            and finding.code.startswith(STORY)
            and finding.code not in BOOKKEEPING
            and (
                not fantasy
                or finding.data.get("wrong_period")
                or (finding.data.get("signer_unmet") and finding.data.get("form_filled"))
            )
        )
    )
    position: float = _RANK.get(finding.code, len(PRIORITY))
    if story and fantasy:
        # a Commit on ticked boxes alone, or one the buyer's plan signs next quarter: forecast integrity
        position = _RANK["momentum.close_date_passed"] + 0.5
    if parked:
        position = _RANK["momentum.close_date_slipped"] - 0.5  # the signer parked it: the cause of the slips
    if finding.code == "momentum.stale" and finding.data.get("omit"):
        position = _RANK["momentum.champion_dark"] - 0.5  # silent long enough to omit: is the deal alive at all
    if stuck:
        position = _RANK["momentum.stale"] + 0.5  # the contract is not moving: after the buyer's silence
    if left:
        position = _RANK["momentum.close_date_slipped"] - 0.5  # the person selling for us is gone: the cause
    if unframed:
        position = _RANK["momentum.stale"] + 0.5  # a pilot nobody agreed how to judge: after the buyer's silence
    severity = finding.severity
    if finding.code in BOOKKEEPING and severity.rank < Severity.MEDIUM.rank:
        severity = Severity.MEDIUM  # a gap in the rep's records: ranked with the medium gaps, never above a real one
    return 0 if story else 1, _SEVERITY_RANK[severity], position, finding.code
