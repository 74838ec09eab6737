"""Competitive positioning: the seed's strategy and risk for the deal's situation (info).

When ``situation`` is ``unknown`` but a competitor is recorded as the incumbent, the deal is treated as
``displacing`` (and the evidence says so).
"""

from __future__ import annotations

from ae_coach.deal import CompetitorStatus, Situation
from ae_coach.findings import Finding, Severity
from ae_coach.inspector._context import Context

POSITIONING: dict[Situation, tuple[str, str]] = {
    Situation.INCUMBENT: ("Land-and-expand, proof of value, executive alignment", "Complacency, disruption"),
    Situation.CHALLENGER: ("Differentiation, champion mobilization, urgency creation", "Longer sales cycle"),
    Situation.UNKNOWN: ("Early discovery, pain quantification, category creation", "Education burden"),
    Situation.DISPLACING: ("Cost of status quo, migration support, fact-based comparison", "Resistance to change"),
}
"""Seed: situation -> (strategy, risk). For displacement the seed lists FUD; ae-coach keeps to claims you can back."""


def inspect(ctx: Context) -> list[Finding]:
    """``competition.positioning`` for open deals."""
    if not ctx.deal.is_open:
        return []
    situation = ctx.deal.situation
    evidence = [f"situation: {situation.value}"]
    incumbents = [c.name for c in ctx.deal.competitors if c.status == CompetitorStatus.INCUMBENT]
    if situation == Situation.UNKNOWN and incumbents:
        situation = Situation.DISPLACING
        evidence.append(f"treated as displacing: {incumbents[0]} is the incumbent")
    alternatives = list(ctx.alternatives)
    if alternatives:
        evidence.append(f"alternatives: {', '.join(alternatives)}")
    strategy, risk = POSITIONING[situation]
    return [
        ctx.finding(
            "competition.positioning",
            Severity.INFO,
            f"{situation.value.capitalize()}: {strategy.lower()}; risk: {risk.lower()}",
            evidence,
            situation=situation.value,
            strategy=strategy,
            risk=risk,
            alternatives=alternatives,
        )
    ]
