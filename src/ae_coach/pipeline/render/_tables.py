"""The review pack as plain tables, shared by the markdown, HTML and terminal renderers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ae_coach.pipeline._money import money
from ae_coach.pipeline.model import PipelineReview
from ae_coach.pipeline.narrative import DealToInspect, PipelineSummary

MAX_WARNINGS_SHOWN = 20


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: set[int] = field(default_factory=set)
    """Column positions to right-align."""


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def title(review: PipelineReview) -> str:
    who = f" - {review.owner_filter}" if review.owner_filter else ""
    return f"Pipeline review {review.period.label}{who} (as of {review.as_of.isoformat()})"


def source_line(review: PipelineReview) -> str:
    s = review.source
    if not s:
        return f"{review.counts['deals']} deals"
    return (
        f"{s.get('path')} ({s.get('source_format')}): {s.get('rows')} rows, {s.get('deals')} deals, "
        f"{s.get('warnings')} warnings, {s.get('skipped')} skipped"
    )


def math_table(review: PipelineReview) -> Table:
    i = review.inputs

    def src(inp) -> str:
        return inp.source + (f" ({inp.detail})" if inp.detail else "")

    rows = [
        ["Quota", money(i.quota.value) if i.quota else "not given (--quota)", "flag" if i.quota else ""],
        ["Average deal size", money(i.avg_deal.value), src(i.avg_deal)],
        ["Win rate", pct(i.win_rate.value), src(i.win_rate)],
        ["Sales cycle", f"{i.cycle_days.value:.0f} days", src(i.cycle_days)],
    ]
    m = review.math
    if m is not None:
        rows += [
            ["Closed-won deals needed", f"{m.deals_needed:.1f}", "quota / average deal"],
            ["Coverage needed", f"{m.coverage_needed:.1f}x = {money(m.pipeline_needed)}", "1 / win rate"],
            ["New opportunities per quarter", f"{m.opportunities_per_quarter:.1f}", f"deals / win rate / quarters in the {m.period}"],
            ["Qualified meetings per week", f"~{m.meetings_per_week:.0f}", f"13 weeks a quarter, {pct(m.meeting_conversion)} of meetings become opportunities (ae-coach default)"],
        ]  # fmt: skip
    latest = review.period.end - dt.timedelta(days=round(i.cycle_days.value))
    rows.append(
        [
            "Created by, to close this period",
            latest.isoformat(),
            f"period end minus the {i.cycle_days.value:.0f}-day cycle",
        ]
    )
    return Table("Pipeline math (the seed framework's formulas)", ["", "value", "source"], rows)


def coverage_table(review: PipelineReview) -> Table:
    c = review.coverage
    ratio = f"{c.ratio:.1f}x" if c.ratio is not None else ("quota met" if c.remaining_quota == 0 else "-")
    rows = [
        ["Closed won in period", money(c.closed_won)],
        ["Quota remaining", money(c.remaining_quota)],
        ["Open pipeline closing in period", money(c.open_in_period)],
        ["In-period coverage", f"{ratio} (needed {c.needed:.1f}x)"],
        ["Stage-weighted, closing in period", money(c.weighted_in_period)],
        ["Open pipeline, all dates", money(c.open_total)],
        ["Stage-weighted, all dates", money(c.weighted_total)],
        ["Open deals dated before the period (not counted)", money(c.overdue_open)],
    ]
    return Table(f"Coverage, {review.period.label}", ["", "value"], rows, numeric={1})


def rollup_table(review: PipelineReview) -> Table:
    crm, rec = review.rollup_crm, review.rollup_recommended
    rows = [
        ["Closed won", money(crm.closed), money(rec.closed)],
        ["Commit (commit + closed)", money(crm.commit), money(rec.commit)],
        ["Best case (best case + commit + closed)", money(crm.best_case), money(rec.best_case)],
        ["Pipeline (all open + closed)", money(crm.pipeline), money(rec.pipeline)],
        ["No forecast category", money(crm.uncategorised), "-"],
    ]
    note = "The inspector recommends a category from the evidence on each deal (the commit gate)."
    return Table("Forecast roll-up, closing in period", ["", "CRM", "inspector"], rows, note, {1, 2})


def stage_mix_table(review: PipelineReview) -> Table:
    rows = [
        [r.stage.value, str(r.deals), money(r.amount), pct(r.share), pct(r.target), f"{r.deviation * 100:+.0f} pts"]
        for r in review.stage_mix
    ]
    return Table(
        "Stage mix against the seed's 40/25/20/10/5",
        ["stage", "deals", "amount", "share", "target", "off by"],
        rows,
        numeric={1, 2, 3, 4, 5},
    )


def at_risk_table(review: PipelineReview) -> Table:
    rows = []
    for n, d in enumerate(review.at_risk, 1):
        category = (
            (d.forecast_category.value if d.forecast_category else "-")
            + " -> "
            + (d.recommended_forecast.value if d.recommended_forecast else "-")
        )
        close = d.close_date.isoformat() if d.close_date else "-"
        rows.append(
            [
                str(n),
                d.account,
                d.owner or "-",
                d.stage.value,
                money(d.amount),
                close,
                f"{d.health}",
                d.worst.value if d.worst else "-",
                d.headline,
                category,
            ]
        )
    return Table(
        "Deals most at risk (amount x severity)",
        ["#", "account", "owner", "stage", "amount", "close", "health", "worst", "why", "forecast CRM -> inspector"],
        rows,
        "" if rows else "No open deal has a high or critical finding.",
        {4, 6},
    )


def owners_table(review: PipelineReview) -> Table:
    rows = []
    for o in review.owners:
        gaps = ", ".join(f"{g.code} ({g.deals})" for g in o.gaps[:3]) or "-"
        health = f"{o.avg_health:.0f}" if o.avg_health is not None else "-"
        rows.append(
            [
                o.owner,
                str(o.open_deals),
                money(o.open_amount),
                money(o.in_period_amount),
                money(o.commit_amount),
                money(o.closed_won),
                health,
                str(o.at_risk),
                gaps,
            ]
        )
    if len(review.owners) > 1:
        rows.append(_owners_total(review))
    return Table(
        "Owners",
        ["owner", "open", "open amount", "in period", "commit", "won", "avg health", "at risk", "recurring gaps"],
        rows,
        numeric={1, 2, 3, 4, 5, 6, 7},
    )


def _owners_total(review: PipelineReview) -> list[str]:
    """The team's row: each column's sum (the owners are every rep with an open deal or a deal closed in the period)."""
    owners = review.owners
    deals = sum(o.open_deals for o in owners)
    health = sum((o.avg_health or 0) * o.open_deals for o in owners) / deals if deals else None
    return [
        "team",
        str(deals),
        money(sum(o.open_amount for o in owners)),
        money(sum(o.in_period_amount for o in owners)),
        money(sum(o.commit_amount for o in owners)),
        money(sum(o.closed_won for o in owners)),
        f"{health:.0f}" if health is not None else "-",
        str(sum(o.at_risk for o in owners)),
        "",
    ]


def gaps_table(review: PipelineReview) -> Table:
    open_deals = max(review.counts.get("open", 0), 1)
    rows = [[code, str(n), pct(n / open_deals)] for code, n in list(review.common_gaps.items())[:10]]
    return Table("Most common gaps across open deals", ["finding", "deals", "share"], rows, numeric={1, 2})


def all_tables(review: PipelineReview) -> list[Table]:
    return [
        math_table(review),
        coverage_table(review),
        rollup_table(review),
        stage_mix_table(review),
        at_risk_table(review),
        owners_table(review),
        gaps_table(review),
    ]


def import_notes(review: PipelineReview) -> list[str]:
    """The first import problems, for the end of a report; JSON output carries all of them."""
    warnings = [str(w) for w in review.import_warnings]
    skipped = [str(s) for s in review.import_skipped]
    lines = []
    if review.other_currencies:
        others = ", ".join(review.other_currencies)
        lines.append(f"amounts in {others} are summed as {review.currency} without conversion")
    lines += [f"skipped {s}" for s in skipped[:MAX_WARNINGS_SHOWN]]
    lines += [f"warning {w}" for w in warnings[: max(0, MAX_WARNINGS_SHOWN - len(lines))]]
    hidden = len(warnings) + len(skipped) - len(lines)
    if hidden > 0:
        lines.append(f"... and {hidden} more (see --format json)")
    return lines


SUMMARY_TITLE = "Coach's summary"


def summary_footer(summary: PipelineSummary) -> str:
    """Which model wrote the summary, its tokens and estimated cost, and anything dropped from it."""
    parts = [f"written by {summary.model or 'the model'}"]
    if summary.usage is not None:
        parts.append(f"{summary.usage.input_tokens:,} tokens in, {summary.usage.output_tokens:,} out")
    if summary.estimated_cost_usd is not None:
        parts.append(f"about ${summary.estimated_cost_usd:.4f}")
    dropped = summary.dropped_rule_ids + summary.dropped_deal_ids
    if dropped:
        parts.append("dropped unknown ids: " + ", ".join(dropped))
    return "; ".join(parts)


def inspect_line(item: DealToInspect) -> str:
    """One deal to inspect first, as plain text."""
    rules = f" [{', '.join(item.rule_ids)}]" if item.rule_ids else ""
    return f"{item.account} ({item.deal_id}): {item.why}{rules}"
