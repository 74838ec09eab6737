"""Account tier 1-4 from the seed's table: potential (amount bands), fit and buying activity.

* Tier 4: amount below ``tier3_min_amount`` ($25k) or poor fit — automated, self-serve or disqualify.
* Start from the amount band: $100k+ tier 1, $50-100k tier 2, $25-50k tier 3 (seed bands).
* Tier 1 also needs strategic fit (``fit: strong``) and active buying (a completed buyer activity within
  the stage's stale window, past discovery); otherwise it drops to tier 2.
* Tier 2 needs a good or strong fit; an unknown fit drops it to tier 3 ("fit confirmed" is the bar).
* The bands are in dollars: a deal in another currency is compared at ``Settings.fx_to_usd`` (SEK 480,000 is
  about $48,000, tier 3, not tier 1).
"""

from __future__ import annotations

from ae_coach.deal import Fit, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import money
from ae_coach.inspector._context import Context

TIERS = {
    1: (40, "White-glove, executive-sponsored"),
    2: (35, "High-touch, multi-threaded"),
    3: (20, "Efficient, templated"),
    4: (5, "Automated, self-serve, or disqualify"),
}
"""Seed: tier -> (share of selling time in percent, strategy)."""


def tier_of(ctx: Context) -> tuple[int, list[str]]:
    """The tier and the reasons for it."""
    if "tier" not in ctx.memo:
        ctx.memo["tier"] = _tier(ctx)
    tier, reasons = ctx.memo["tier"]
    return tier, list(reasons)


def poor_fit(ctx: Context) -> str | None:
    """Why the deal is a poor fit: the CRM's fit field, or the record saying we cannot serve what the buyer
    requires (the field notwithstanding); None when neither."""
    if ctx.deal.fit == Fit.POOR:
        return "fit: poor"
    return f"the record says we cannot serve the requirement: {ctx.facts.unfit}" if ctx.facts.unfit else None


def _tier(ctx: Context) -> tuple[int, list[str]]:
    s, deal = ctx.settings, ctx.deal
    amount = money(deal.amount, deal.currency)
    if (deal.currency or "USD").upper() != "USD":  # the seed's bands are in dollars: say what it compares
        amount += f" (about ${ctx.size:,.0f})"
    poor = poor_fit(ctx)
    if poor:
        return 4, [f"{poor} ({amount})"]
    if ctx.size < s.tier3_min_amount:
        return 4, [f"amount {amount} is below the ${s.tier3_min_amount:,.0f} tier-3 band"]
    tier = 1 if ctx.size >= s.tier1_min_amount else 2 if ctx.size >= s.tier2_min_amount else 3
    reasons = [f"amount {amount}: tier-{tier} band"]
    active = ctx.last_touch is not None and ctx.days_since(ctx.last_touch) <= s.stale_days.get(ctx.stage, 14)
    active = active and ctx.stage != Stage.DISCOVERY
    if tier == 1 and (deal.fit != Fit.STRONG or not active):
        tier = 2
        reasons.append(
            f"tier 1 needs strategic fit and active buying (fit: {deal.fit.value}, active buying: {'yes' if active else 'no'})"
        )
    if tier == 2 and deal.fit not in (Fit.GOOD, Fit.STRONG):
        tier = 3
        reasons.append(f"tier 2 needs a good fit (fit: {deal.fit.value})")
    return tier, reasons


def inspect(ctx: Context) -> list[Finding]:
    """``account.tier`` (info) for every deal except closed-lost ones, and ``account.poor_fit`` for an open
    deal with a poor ICP fit (the seed's tier 4: automated, self-serve or disqualify)."""
    if ctx.stage == Stage.CLOSED_LOST:
        return []
    tier, reasons = tier_of(ctx)
    share, strategy = TIERS[tier]
    out = []
    if poor_fit(ctx) and ctx.deal.is_open:
        unfit = ctx.facts.unfit if ctx.deal.fit != Fit.POOR else None
        # a must-have we cannot serve is no self-serve deal: disqualify it or get the product to commit
        title = (
            f"Poor fit: we cannot serve what the buyer requires ({unfit}); disqualify it, or get a product "
            "commitment in writing, before it takes more selling time"
            if unfit
            else "Poor fit: disqualify it or route it to self-serve before it takes more selling time"
        )
        data: dict[str, object] = {"tier": tier, **({"unfit": unfit} if unfit else {})}
        out.append(
            ctx.finding(
                "account.poor_fit",
                Severity.HIGH,
                title,
                [reasons[0], f"tier 4: {strategy.lower()} ({share}% of selling time)"],
                **data,
            )
        )
    return [
        *out,
        ctx.finding(
            "account.tier",
            Severity.INFO,
            f"Tier {tier}: {strategy.lower()} ({share}% of selling time)",
            reasons,
            tier=tier,
            time_share=share,
            strategy=strategy,
        ),
    ]
