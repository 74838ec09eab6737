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
    "momentum.concession_floated",
    "momentum.company_event",
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
    # what the record lacks (ABSENT): a gap beside the MEDDPICC gaps, not the deal's story
    "anti.hoping_not_controlling",
    "anti.ignoring_competition",
    "anti.neglecting_champion",
    # a Commit call the evidence does not support: the consequence of the gaps above, raised after them
    "anti.forecast_fantasy",
    # hygiene and bookkeeping that usually restate the gaps above
    "committee.missing_role",
    "momentum.no_dated_next_step",
    "stage.unearned",
    "hygiene.evidence_missing",
    "hygiene.close_date_day_off",
    "hygiene.instruction_in_record",
)
_RANK = {code: i for i, code in enumerate(PRIORITY)}
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}


STORY = ("momentum.", "anti.", "account.poor_fit")
"""What the deal is doing: raised before the checklist gaps when it is serious (high or critical)."""

ABSENT = ("anti.hoping_not_controlling", "anti.ignoring_competition", "anti.neglecting_champion")
"""Anti-patterns read from something missing from the record (no mutual plan, no alternative named, no
enablement logged): checklist gaps, raised with the MEDDPICC gaps they sit beside, not as the deal's story."""


SHOWN = ("pulled_back", "left", "stuck", "unframed_pilot", "no_pain", "failed", "chased", "lost_to", "asked")
"""``data`` keys of a MEDDPICC finding whose red flag the record shows rather than the checklist: the signer
parked the deal, the champion or the signer left or cannot reach who decides, the contract is stuck, a pilot
runs with no agreed success criteria, the buyer says what they have works, the buyer failed us on a criterion, the signer has only been chased,
the buyer chose another vendor, the signer asked for a number the case does not have (see
``ae_coach.inspector.meddpicc``)."""


EVENT = "momentum.company_event"
EXPLAINED = (
    "momentum.close_date_slipped",
    "momentum.close_date_passed",
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.stale",
    "momentum.budget_concern_late",
    "momentum.late_stakeholder",
    "momentum.meetings_rescheduled",
    "momentum.pending_internal_review",
)
"""What a deal does after an event at the buyer's company (:data:`EVENT`): the date passes or slips, meetings
move, people go quiet, the budget is questioned, a new executive steps in. The manager raises what the deal is
doing with the event as its cause, in one line (:func:`cause_of`), as it does the people the deal runs through
moving (the signer parked the deal, the champion left or moved role); an event with no such consequence on
record yet is the news, raised on its own severity."""


def cause_of(finding: Finding, findings: list[Finding]) -> Finding | None:
    """The event at the buyer's company that explains ``finding``: the event ranked right after it (see
    :func:`ranked`)."""
    order = ranked(findings)
    at = next((i for i, f in enumerate(order) if f is finding), None)
    if at is None or at + 1 >= len(order) or order[at + 1].code != EVENT or not _explained(finding):
        return None
    return order[at + 1]


def _explained(finding: Finding) -> bool:
    """A serious finding an event at the buyer's company can be the cause of: what the deal does (:data:`EXPLAINED`),
    or the people it runs through moving (the signer parked the deal, the champion left or moved role)."""
    if finding.severity not in (Severity.CRITICAL, Severity.HIGH):
        return False
    moved = finding.code.startswith("meddpicc.") and any(finding.data.get(key) for key in ("pulled_back", "left"))
    return moved or finding.code in EXPLAINED


def ranked(findings: list[Finding]) -> list[Finding]:
    """The order a manager raises findings in: the deal's story first when it is serious (a high or
    critical danger signal or anti-pattern), then by severity, then by :data:`PRIORITY`, then by code.

    A buyer commitment the record shows failing (:data:`SHOWN`: the signer parked the deal, the champion is
    gone, the contract is stuck, a pilot nobody agreed how to judge) is the cause of what the deal is doing: raised
    as story, ahead of the slipping close date and the silence it explains. One rule for all four: the record
    showing the red flag is what makes it the deal's story, not which element it is.

    A committed deal that fails the gate (``anti.forecast_fantasy``) is a consequence of its gaps, not part
    of the story: it is raised with them, after the gap that fails it (an economic buyer nobody has met),
    unless the Commit rests on ticked boxes alone with nobody who can sign met (``signer_unmet`` and
    ``form_filled``) or the buyer's own plan signs after the period (``wrong_period``): then it is raised with
    the forecast-integrity findings. When the buyer's own word places the decision later (``buyer_later``), it
    is raised right after a late budget concern, which is usually the reason.

    An event at the buyer's company (``momentum.company_event``: weak results, a cost programme, a reorg) is
    the cause of what the deal does after it (:data:`EXPLAINED`: the date passing, a meeting cancelled, the
    silence): it is raised right after the first serious such finding, which the review says with the event as its
    cause, and on its own severity when the record shows no such consequence yet. The purchase called off is raised
    first; new money frozen (an event that ``blocks`` the purchase) before a buyer commitment the record shows failing,
    which it causes.

    Silence: who went quiet is the story (the champion first, even when nobody else has spoken since
    either), then who the rep is chasing unanswered, then the deal's silence. A deal silent long enough to
    omit (``omit`` on ``momentum.stale``) is raised as stale first: whether it is alive at all comes before
    who stopped answering.
    """
    order = sorted(findings, key=_rank_key)
    event = next((f for f in order if f.code == EVENT), None)
    if event is None or event.severity not in (Severity.CRITICAL, Severity.HIGH):
        return order
    if event.data.get("kind") == "cancelled":
        # the purchase itself called off: that is the deal's story, whatever else the record shows
        order.remove(event)
        return [event, *order]
    shown = next((f for f in order if _shown(f)), None)
    if event.data.get("blocks") and shown is not None and order.index(shown) < order.index(event):
        # new money frozen is the cause of the buyer's commitment failing after it (the paper step gone late), not
        # one more thing it explains: raised before it
        order.remove(event)
        order.insert(order.index(shown), event)
        return order
    # the event is the cause of what the deal is doing: raised right after the first serious consequence on record
    effect = next((f for f in order if f is not event and _explained(f)), None)
    if effect is None:
        return order
    order.remove(event)
    order.insert(order.index(effect) + 1, event)
    return order


def _shown(finding: Finding) -> bool:
    """A serious MEDDPICC finding the record shows failing (:data:`SHOWN`)."""
    serious = finding.severity in (Severity.CRITICAL, Severity.HIGH)
    return serious and finding.code.startswith("meddpicc.") and any(finding.data.get(key) for key in SHOWN)


def _rank_key(finding: Finding) -> tuple[int, int, float, str]:
    serious = finding.severity in (Severity.CRITICAL, Severity.HIGH)
    fantasy = finding.code == "anti.forecast_fantasy"
    shown = _shown(finding)
    story = shown or (
        serious
        and finding.code.startswith(STORY)
        and finding.code not in ABSENT
        and (
            not fantasy
            or finding.data.get("wrong_period")
            or finding.data.get("buyer_later")
            or finding.data.get("too_early")
            or (finding.data.get("signer_unmet") and finding.data.get("form_filled"))
        )
    )
    position: float = _RANK.get(finding.code, len(PRIORITY))
    if story and fantasy:
        # a Commit on ticked boxes alone, or one the buyer's plan signs next quarter: forecast integrity
        position = _RANK["momentum.close_date_passed"] + 0.5
        if finding.data.get("buyer_later") and not finding.data.get("wrong_period"):
            # the buyer's word moves the decision later: after a late budget concern, the usual reason why
            position = _RANK["momentum.budget_concern_late"] + 0.5
    if shown:
        position = _RANK["momentum.close_date_slipped"] - 0.5  # the cause, before the slips and silence it explains
    if finding.code == "momentum.stale" and finding.data.get("omit"):
        position = _RANK["momentum.champion_dark"] - 0.5  # silent long enough to omit: is the deal alive at all
    return 0 if story else 1, _SEVERITY_RANK[finding.severity], position, finding.code
