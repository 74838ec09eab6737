"""The review pack as plain tables, shared by the markdown, HTML and terminal renderers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ae_coach.i18n import current, t, term
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
    return t("pipeline.title", period=review.period.label, owner=who, date=review.as_of.isoformat())


def source_line(review: PipelineReview) -> str:
    s = review.source
    if not s:
        return t("pipeline.deals", deals=review.counts["deals"])
    return t(
        "pipeline.source",
        path=s.get("path"),
        format=s.get("source_format"),
        rows=s.get("rows"),
        deals=s.get("deals"),
        warnings=s.get("warnings"),
        skipped=s.get("skipped"),
    )


def _headers(*keys: str) -> list[str]:
    return [t(f"column_pipeline.{key}") if key not in ("", "#") else key for key in keys]


def _stage(stage: object) -> str:
    """A stage in a table: its value in English (``closed_won``), the glossary's word otherwise."""
    return _word(stage)


def _word(value: object) -> str:
    raw = str(value)
    return raw if current() == "en" else term(raw)


def math_table(review: PipelineReview) -> Table:
    i = review.inputs

    def src(inp) -> str:
        return inp.source + (f" ({inp.detail})" if inp.detail else "")

    days = f"{i.cycle_days.value:.0f}"
    rows = [
        [t("pipeline.math.quota"), money(i.quota.value) if i.quota else t("pipeline.math.no_quota"), t("pipeline.math.flag") if i.quota else ""],
        [t("pipeline.math.avg_deal"), money(i.avg_deal.value), src(i.avg_deal)],
        [t("pipeline.math.win_rate"), pct(i.win_rate.value), src(i.win_rate)],
        [t("pipeline.math.cycle"), t("pipeline.math.days", days=days), src(i.cycle_days)],
    ]  # fmt: skip
    m = review.math
    if m is not None:
        period = t(f"pipeline.period_word.{m.period}", default=str(m.period))
        rows += [
            [t("pipeline.math.deals_needed"), f"{m.deals_needed:.1f}", t("pipeline.math.deals_needed_source")],
            [t("pipeline.math.coverage"), f"{m.coverage_needed:.1f}x = {money(m.pipeline_needed)}", t("pipeline.math.coverage_source")],
            [t("pipeline.math.opportunities"), f"{m.opportunities_per_quarter:.1f}", t("pipeline.math.opportunities_source", period=period)],
            [t("pipeline.math.meetings"), f"~{m.meetings_per_week:.0f}", t("pipeline.math.meetings_source", conversion=pct(m.meeting_conversion))],
        ]  # fmt: skip
    latest = review.period.end - dt.timedelta(days=round(i.cycle_days.value))
    rows.append([t("pipeline.math.created_by"), latest.isoformat(), t("pipeline.math.created_by_source", days=days)])
    return Table(t("pipeline.math.title"), _headers("", "value", "source"), rows, t("pipeline.math.seed_note"))


def coverage_table(review: PipelineReview) -> Table:
    c = review.coverage
    met = t("pipeline.coverage.quota_met")
    ratio = f"{c.ratio:.1f}x" if c.ratio is not None else (met if c.remaining_quota == 0 else "-")
    rows = [
        [t("pipeline.coverage.closed_won"), money(c.closed_won)],
        [t("pipeline.coverage.remaining"), money(c.remaining_quota)],
        [t("pipeline.coverage.open_in_period"), money(c.open_in_period)],
        [t("pipeline.coverage.ratio"), t("pipeline.coverage.ratio_value", ratio=ratio, needed=f"{c.needed:.1f}")],
        [t("pipeline.coverage.weighted_in_period"), money(c.weighted_in_period)],
        [t("pipeline.coverage.open_total"), money(c.open_total)],
        [t("pipeline.coverage.weighted_total"), money(c.weighted_total)],
        [t("pipeline.coverage.overdue"), money(c.overdue_open)],
    ]
    return Table(t("pipeline.coverage.title", period=review.period.label), _headers("", "value"), rows, numeric={1})


def rollup_table(review: PipelineReview) -> Table:
    crm, rec = review.rollup_crm, review.rollup_recommended
    rows = [
        [t("pipeline.rollup.closed"), money(crm.closed), money(rec.closed)],
        [t("pipeline.rollup.commit"), money(crm.commit), money(rec.commit)],
        [t("pipeline.rollup.best_case"), money(crm.best_case), money(rec.best_case)],
        [t("pipeline.rollup.pipeline"), money(crm.pipeline), money(rec.pipeline)],
        [t("pipeline.rollup.none"), money(crm.uncategorised), "-"],
    ]
    headers = _headers("", "crm", "inspector")
    return Table(t("pipeline.rollup.title"), headers, rows, t("pipeline.rollup.note"), {1, 2})


def stage_mix_table(review: PipelineReview) -> Table:
    rows = [
        [
            _stage(r.stage),
            str(r.deals),
            money(r.amount),
            pct(r.share),
            pct(r.target),
            t("pipeline.mix.off_by", points=f"{r.deviation * 100:+.0f}"),
        ]
        for r in review.stage_mix
    ]
    return Table(
        t("pipeline.mix.title"),
        _headers("stage", "deals", "amount", "share", "target", "off_by"),
        rows,
        numeric={1, 2, 3, 4, 5},
    )


def at_risk_table(review: PipelineReview) -> Table:
    rows = []
    for n, d in enumerate(review.at_risk, 1):
        category = (
            (_word(d.forecast_category) if d.forecast_category else "-")
            + " -> "
            + (_word(d.recommended_forecast) if d.recommended_forecast else "-")
        )
        close = d.close_date.isoformat() if d.close_date else "-"
        rows.append(
            [
                str(n),
                d.account,
                d.owner or "-",
                _stage(d.stage),
                money(d.amount),
                close,
                f"{d.health}",
                _word(d.worst) if d.worst else "-",
                d.headline,
                category,
            ]
        )
    return Table(
        t("pipeline.risk.title"),
        _headers("#", "account", "owner", "stage", "amount", "close", "health", "worst", "why", "forecast"),
        rows,
        "" if rows else t("pipeline.risk.none"),
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
        t("pipeline.owners.title"),
        _headers("owner", "open", "open_amount", "in_period", "commit", "won", "avg_health", "at_risk", "recurring"),
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
    return Table(t("pipeline.gaps.title"), _headers("finding", "deals", "share"), rows, numeric={1, 2})


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
"""The English title of the summary section (:func:`summary_title` gives it in the language in use)."""


def summary_title() -> str:
    return t("pipeline.summary_title")


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
