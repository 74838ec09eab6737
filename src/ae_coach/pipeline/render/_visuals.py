"""The pipeline page's pictures: KPI tiles first (what a VP asks before anything else), then the CRM's
forecast against the evidence's, the stage mix against its target, health, owners and close dates."""

from __future__ import annotations

from html import escape

from ae_coach.i18n import SYMBOLS
from ae_coach.pipeline._money import money
from ae_coach.pipeline.model import PipelineReview
from ae_coach.render import charts

CSS = """
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.8rem;margin:1rem 0}
.kpi{border:1px solid #d8dde6;border-radius:.5rem;padding:.7rem .9rem;background:#fbfcfe}
.kpi .label{color:#5c6370;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}
.kpi .value{font-size:1.6rem;font-weight:700;margin:.15rem 0}.kpi .sub{color:#5c6370;font-size:.85rem}
.kpi.bad{border-left:5px solid #c92a2a}.kpi.good{border-left:5px solid #2f9e44}.kpi.warn{border-left:5px solid #f08c00}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem 2rem}
"""

_OWNERS_SHOWN = 12


def _symbol(review: PipelineReview) -> str:
    return SYMBOLS.get(review.currency, review.currency + " ")


def _tile(label: str, value: str, sub: str, tone: str = "") -> str:
    return (
        f'<div class="kpi {tone}"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
    )


def kpi_tiles(review: PipelineReview) -> str:
    """Coverage, the CRM's Commit against the evidence's, the gap to quota, and the win rate."""
    c, crm, evidence = review.coverage, review.rollup_crm, review.rollup_recommended
    if c.ratio is not None:
        coverage = _tile(
            "In-period coverage",
            f"{c.ratio:.1f}x",
            f"needs {c.needed:.1f}x at this win rate; {money(c.open_in_period)} open",
            "good" if c.ratio >= c.needed else "bad",
        )
    else:
        coverage = _tile(
            "In-period coverage", "quota met" if c.remaining_quota == 0 else "-", "give --quota to measure it"
        )
    forecast = _tile(
        "Commit: CRM vs evidence",
        f"{charts.short_money(crm.commit, _symbol(review))} vs {charts.short_money(evidence.commit, _symbol(review))}",
        f"{money(crm.commit - evidence.commit)} of the CRM's Commit the evidence does not support",
        "warn" if crm.commit > evidence.commit else "good",
    )
    if c.quota is not None:
        gap = max(c.quota - evidence.commit, 0.0)
        to_quota = _tile(
            "Gap to quota (evidence Commit)",
            money(gap),
            f"quota {money(c.quota)}; closed won {money(c.closed_won)}",
            "bad" if gap > 0 else "good",
        )
    else:
        to_quota = _tile("Gap to quota", "-", "give --quota to measure it")
    rate = review.inputs.win_rate
    win = _tile("Win rate", f"{rate.value:.0%}", rate.source + (f" ({rate.detail})" if rate.detail else ""))
    return f'<div class="kpis">{coverage}{forecast}{to_quota}{win}</div>'


def charts_html(review: PipelineReview) -> str:
    """Every chart of the page, in a responsive grid."""
    symbol = _symbol(review)
    figures = [
        _forecast(review, symbol),
        _stage_mix(review),
        charts.health_histogram([d.health for d in review.deals], title="Health of the open deals"),
        _owners(review, symbol),
        _close_dates(review, symbol),
    ]
    return '<div class="grid">' + "".join(f"<div>{f}</div>" for f in figures if f) + "</div>"


def _forecast(review: PipelineReview, symbol: str) -> str:
    crm, evidence = review.rollup_crm, review.rollup_recommended
    return charts.grouped_bars(
        ["Commit", "Best case", "Pipeline"],
        {
            "CRM": [crm.commit, crm.best_case, crm.pipeline],
            "evidence": [evidence.commit, evidence.best_case, evidence.pipeline],
        },
        title=f"Forecast for {review.period.label}: the CRM against the evidence",
        line=(review.coverage.quota, "quota") if review.coverage.quota else None,
        money=symbol,
    )


def _stage_mix(review: PipelineReview) -> str:
    rows = review.stage_mix
    return charts.hbars(
        [r.stage.value for r in rows],
        [r.share for r in rows],
        targets=[r.target for r in rows],
        target_label="the seed's target",
        value_text=[f"{r.share:.0%} ({r.deals})" for r in rows],
        percent=True,
        title="Stage mix of open value against the target",
    )


def _owners(review: PipelineReview, symbol: str) -> str:
    owners = sorted(review.owners, key=lambda o: -(o.closed_won + o.in_period_amount))[:_OWNERS_SHOWN]
    if not owners:
        return ""
    return charts.grouped_bars(
        [o.owner for o in owners],
        {
            "closed won": [o.closed_won for o in owners],
            "open, closing in period": [o.in_period_amount for o in owners],
            "CRM Commit": [o.commit_amount for o in owners],
        },
        colours=(charts.GREEN, charts.BLUE, charts.GREY),
        title=f"Owners, {review.period.label}",
        money=symbol,
        labels=len(owners) <= 4,
        height=3.4,
    )


def _close_dates(review: PipelineReview, symbol: str) -> str:
    points = [(d.close_date, d.amount, d.health, d.account) for d in review.deals if d.close_date is not None]
    return charts.scatter_dates(
        points,
        title="Open deals by close date (colour: health)",
        marks=[(review.as_of, "today"), (review.period.end, "period end")],
        money=symbol,
    )
