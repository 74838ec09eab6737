"""The seed's seven positive momentum signals, each an info finding with the activities that show it, and the
signer's commitment (``positive.signer_committed``, from ``timing.committed``).

A signal counts from an activity that carries its tag (or, untagged, matches its text pattern) and was not
cancelled or missed. Two signals also read structure: ``economic_buyer_engaged`` fires when an
economic-buyer stakeholder is listed in a (past or scheduled) activity after the last one the economic
buyer left early, declined, objected, paused or deferred in, and ``champion_scheduled`` from
text needs the champion to be named in the activity, so "scheduled a call" by the rep does not count.
"""

from __future__ import annotations

from ae_coach.deal import Activity, ActivityStatus, Direction, PlanStatus, Role, Signal, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, describe
from ae_coach.inspector.facts import direction_of, rebuffed_by_economic_buyer

POSITIVE: dict[str, tuple[Signal, str]] = {
    "positive.champion_scheduled": (Signal.CHAMPION_SCHEDULED, "Champion proactively scheduled the next meeting"),
    "positive.economic_buyer_engaged": (Signal.EB_ATTENDING, "Economic buyer attended or agreed to attend"),
    "positive.internal_docs_shared": (Signal.INTERNAL_DOCS_SHARED, "Customer shared internal documents"),
    "positive.implementation_questions": (
        Signal.IMPLEMENTATION_QUESTIONS,
        "Technical team asks implementation questions",
    ),
    "positive.procurement_timeline": (Signal.PROCUREMENT_TIMELINE, "Procurement timeline communicated"),
    "positive.references_requested": (Signal.REFERENCES_REQUESTED, "Reference calls requested"),
    "positive.legal_security_review": (Signal.LEGAL_SECURITY_REVIEW, "Legal or security review initiated"),
}
"""Finding code -> (signal tag, title)."""


def inspect(ctx: Context) -> list[Finding]:
    """One info finding per positive signal present. Open deals only."""
    if not ctx.deal.is_open:
        return []
    if not ctx.any_signal and not ctx.role(Role.ECONOMIC_BUYER):
        return []  # nothing tagged or detected, and no economic buyer who could be listed in an activity
    out = []
    for code, (signal, title) in POSITIVE.items():
        hits = _hits(ctx, signal)
        if hits:
            out.append(ctx.finding(code, Severity.INFO, title, [describe(a) for a in hits[-3:]], count=len(hits)))
    extra = [f for f in (_committed(ctx), _step_ahead(ctx)) if f is not None]
    return [*out, *extra]


def _committed(ctx: Context) -> Finding | None:
    """The signer said yes, holds the paper and dated the signature (``timing.committed``): what is left is to
    protect that date."""
    step = ctx.deal.next_step
    if not ctx.facts.timing.committed or step is None or step.date is None:
        return None
    date = step.date.isoformat()
    title = f"The signer has committed: yes given, the paper in hand, signature dated {date}"
    return ctx.finding("positive.signer_committed", Severity.INFO, title, [ctx.facts.timing.committed], date=date)


def _hits(ctx: Context, signal: Signal) -> list[Activity]:
    hits = ctx.with_signal(signal, include_future=signal == Signal.EB_ATTENDING)
    if signal == Signal.LEGAL_SECURITY_REVIEW:
        # "Sent order form and our MSA for signature" is paper on record, but no review started on their side
        people = ctx.deal.stakeholders
        hits = [a for a in hits if a.signals is not None or direction_of(a, people) != Direction.OUTBOUND]
    if signal == Signal.CHAMPION_SCHEDULED:
        names = [c.name for c in ctx.role(Role.CHAMPION)]
        hits = [a for a in hits if a.signals is not None or text.mentions(names, a.summary)]
    if signal == Signal.EB_ATTENDING:
        ebs = {s.name.strip().lower() for s in ctx.role(Role.ECONOMIC_BUYER)}
        dropped = (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)
        listed = [
            a
            for a in ctx.activities
            if a.status not in dropped and any(p.strip().lower() in ebs for p in a.with_) and a not in hits
        ]
        names = [s.name for s in ctx.role(Role.ECONOMIC_BUYER)]
        # attending and walking out, objecting, pausing or deferring is not the positive signal, and it
        # outweighs the attendance before it: the buyer's latest word on the deal is the one that counts
        pulled_back = [a.date for a in hits + listed if rebuffed_by_economic_buyer(a.summary, names)]
        since = max(pulled_back, default=None)
        hits = sorted(
            (a for a in hits + listed if since is None or a.date > since),
            key=lambda a: a.date,
        )
    return hits


def _step_ahead(ctx: Context) -> Finding | None:
    """From proposal on, the buyer's next step on the plan is dated before the plan's signature step ("Legal
    approves the order form" on 12-04, "Signature" on 12-10): the date the signature rests on, to confirm with its
    owner before it comes. Not the signature itself, and not a step of ours."""
    signs = ctx.facts.timing.plan_signature
    if ctx.stage.order < Stage.PROPOSAL.order or signs is None:
        return None
    ours = ("us", "we", "seller", "vendor")
    ahead = sorted(
        (
            p
            for p in ctx.deal.mutual_action_plan
            if p.date
            and ctx.as_of <= p.date < signs
            and p.status == PlanStatus.PLANNED
            and (p.owner or "").strip().lower() not in ours
            and not (ctx.deal.owner and (p.owner or "").strip() == ctx.deal.owner)
        ),
        key=lambda p: p.date or signs,
    )
    if not ahead:
        return None
    step = ahead[0]
    date = step.date.isoformat() if step.date else ""
    owner = f" ({step.owner})" if step.owner else ""
    return ctx.finding(
        "positive.plan_step_ahead",
        Severity.INFO,
        f"The buyer's next step before the signature is dated: {text.quote(step.action)} on {date}",
        [f"{date} plan step{owner}: {text.quote(step.action)}, before the signature on {signs}"],
        step=step.action,
        date=date,
    )
