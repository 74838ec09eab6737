"""Stage gates: the seed's exit criteria per stage, each mapped to evidence in the deal.

=============  ==============================  ===========================================================
stage          exit criterion (seed)           met when (deal evidence)
=============  ==============================  ===========================================================
discovery      pain confirmed                  identified_pain grade >= 2
discovery      champion identified             champion grade >= 1 (MEDDPICC or a stakeholder with the role)
discovery      budget range                    signal ``budget_confirmed`` (tag or text in an activity,
                                               MEDDPICC evidence or notes), or economic_buyer grade >= 2
discovery      timeline set                    close_date set and decision_process grade >= 1 or a dated MAP step
scoping        solution requirements defined   decision_criteria grade >= 2
scoping        success criteria                metrics grade >= 1
validation     technical validation complete   signal ``technical_validation``, or an engaged technical buyer
                                               with positive sentiment
validation     EB engaged                      economic_buyer grade >= 2, an engaged economic-buyer
                                               stakeholder, or signal ``eb_attending``
validation     ROI accepted                    metrics grade >= 2
proposal       commercial terms agreed         signal ``terms_agreed``, ``verbal_commit`` or ``paper_complete``
proposal       proposal delivered              a completed ``proposal`` activity, or terms agreed or
                                               legal/procurement complete (the buyer has our paper)
closing        verbal commitment               signal ``verbal_commit``
closing        legal/procurement complete      signal ``paper_complete`` or paper_process grade >= 3
=============  ==============================  ===========================================================

``stage.unearned`` lists the unmet criteria of every stage before the current one; ``stage.next_gate``
(info) lists the current stage's unmet criteria: what must become true to advance.
"""

from __future__ import annotations

from collections.abc import Callable

from ae_coach.deal import OPEN_STAGES, ActivityStatus, ActivityType, Role, Signal, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import t, term
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, plural

Check = Callable[[Context], bool]


def _budget(ctx: Context) -> bool:
    if ctx.has_signal(Signal.BUDGET_CONFIRMED) or ctx.grades["economic_buyer"] >= 2:
        return True
    m = ctx.deal.meddpicc
    sources = [m.economic_buyer.evidence, m.metrics.evidence, m.decision_process.evidence, ctx.deal.notes]
    return any(text.find(text.SIGNAL_PATTERNS[Signal.BUDGET_CONFIRMED], s) for s in sources)


def _timeline(ctx: Context) -> bool:
    dated_plan = any(item.date for item in ctx.deal.mutual_action_plan)
    return ctx.deal.close_date is not None and (ctx.grades["decision_process"] >= 1 or dated_plan)


def _technical(ctx: Context) -> bool:
    if ctx.has_signal(Signal.TECHNICAL_VALIDATION):
        return True
    return any(s.engaged and s.sentiment.value == "positive" for s in ctx.role(Role.TECHNICAL_BUYER))


def _eb_engaged(ctx: Context) -> bool:
    return (
        ctx.grades["economic_buyer"] >= 2
        or any(s.engaged for s in ctx.role(Role.ECONOMIC_BUYER))
        or ctx.has_signal(Signal.EB_ATTENDING)
    )


def terms_agreed(ctx: Context) -> bool:
    """Commercial terms agreed in principle: terms agreed, a verbal commit, or signed or finished paper on record
    (the buyer does not commit or sign without agreeing the price). Shared with the Commit gate."""
    return any(ctx.has_signal(sig) for sig in (Signal.TERMS_AGREED, Signal.VERBAL_COMMIT, Signal.PAPER_COMPLETE))


def _proposal_delivered(ctx: Context) -> bool:
    if any(a.type == ActivityType.PROPOSAL and a.status == ActivityStatus.COMPLETED for a in ctx.past):
        return True
    # the buyer agreed our price or finished our paper: a proposal reached them, logged or not
    return terms_agreed(ctx) or _paper_complete(ctx)


def _paper_complete(ctx: Context) -> bool:
    return ctx.has_signal(Signal.PAPER_COMPLETE) or ctx.grades["paper_process"] >= 3


EXIT_CRITERIA: dict[Stage, list[tuple[str, Check]]] = {
    Stage.DISCOVERY: [
        ("pain confirmed", lambda ctx: ctx.grades["identified_pain"] >= 2),
        ("champion identified", lambda ctx: ctx.grades["champion"] >= 1),
        ("budget range known", _budget),
        ("timeline set", _timeline),
    ],
    Stage.SCOPING: [
        ("solution requirements defined", lambda ctx: ctx.grades["decision_criteria"] >= 2),
        ("success criteria agreed", lambda ctx: ctx.grades["metrics"] >= 1),
    ],
    Stage.VALIDATION: [
        ("technical validation complete", _technical),
        ("economic buyer engaged", _eb_engaged),
        ("ROI accepted", lambda ctx: ctx.grades["metrics"] >= 2),
    ],
    Stage.PROPOSAL: [
        ("commercial terms agreed", terms_agreed),
        ("proposal delivered", _proposal_delivered),
    ],
    Stage.CLOSING: [
        ("verbal commitment", lambda ctx: ctx.has_signal(Signal.VERBAL_COMMIT)),
        ("legal/procurement complete", _paper_complete),
    ],
}
"""The seed's exit criteria per stage, each with the check that maps it to deal evidence."""


_CLAIMABLE = {
    "pain confirmed": "identified_pain",
    "solution requirements defined": "decision_criteria",
    "success criteria agreed": "metrics",
    "ROI accepted": "metrics",
    "timeline set": "decision_process",
}
"""Criteria that rest on an element the record rarely shows by itself (not the economic buyer, the champion or
the paper, whose absence from the record contradicts the claim)."""


def _claimed_only(ctx: Context, criterion: str) -> bool:
    element = _CLAIMABLE.get(criterion)
    return element is not None and ctx.facts.elements[element].unsupported_claim


def unmet(ctx: Context, stage: Stage) -> list[str]:
    """The exit criteria of ``stage`` that the deal's evidence does not meet."""
    return [name for name, check in EXIT_CRITERIA[stage] if not check(ctx)]


def inspect(ctx: Context) -> list[Finding]:
    """``stage.unearned`` and ``stage.next_gate`` for an open deal."""
    if not ctx.deal.is_open:
        return []
    out = []
    order, here = ctx.stage.order, ctx.stage.value
    missing = {s: names for s in OPEN_STAGES[:order] if (names := unmet(ctx, s))}  # OPEN_STAGES is in order
    if missing:
        flat = [f"{s.value}: {name}" for s, names in missing.items() for name in names]
        # a criterion unmet only because its element is marked confirmed with an empty note is the hygiene gap
        # hygiene.evidence_missing already raises: listed, but it does not make the stage look skipped
        real = {s: [n for n in names if not _claimed_only(ctx, n)] for s, names in missing.items()}
        count = sum(len(names) for names in real.values())
        far_back = any(order - s.order >= 2 for s, names in real.items() if names)
        severity = Severity.HIGH if count >= 3 or (far_back and count >= 2) else Severity.MEDIUM
        if count == 0:
            severity = Severity.LOW
        if 0 < ctx.size < ctx.settings.committee_small_deal_amount and severity != Severity.LOW:
            severity = Severity.MEDIUM if severity == Severity.HIGH else Severity.LOW  # a tier-4 deal skips steps
        out.append(
            ctx.finding(
                "stage.unearned",
                severity,
                f"At {here} with {plural(len(flat), 'earlier exit criterion', 'earlier exit criteria')} unmet",
                [
                    t("evidence.unmet_criterion", stage=term(s.value), criterion=t(f"criterion.{name}", default=name))
                    for s, names in missing.items()
                    for name in names
                ],
                unmet=flat,
                stage=here,
            )
        )
    current = unmet(ctx, ctx.stage)
    if current:
        following = OPEN_STAGES[order + 1].value if order + 1 < len(OPEN_STAGES) else "closed_won"
        out.append(
            ctx.finding(
                "stage.next_gate",
                Severity.INFO,
                f"To advance to {following}: {', '.join(current)}",
                [f"{here} exit criterion not yet met: {name}" for name in current],
                missing=current,
                next_stage=following,
            )
        )
    return out
