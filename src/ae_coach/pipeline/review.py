"""Review a whole pipeline: inspect every open deal, then the seed's pipeline math, coverage, mix and risk."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from ae_coach.crm._gc import paused_gc
from ae_coach.crm.deals import DealRecord, records
from ae_coach.deal import STAGE_PROBABILITY, Deal, ForecastCategory, Stage
from ae_coach.errors import UsageError
from ae_coach.findings import Finding, Severity, sort_findings
from ae_coach.pipeline import signals
from ae_coach.pipeline._inspect import assess_lines
from ae_coach.pipeline._money import using
from ae_coach.pipeline.math import (
    STAGE_MIX_TARGET,
    Period,
    derive_inputs,
    pipeline_math,
)
from ae_coach.pipeline.model import (
    NO_OWNER,
    Coverage,
    DealLine,
    OwnerGap,
    OwnerSummary,
    PipelineReview,
    Rollup,
    StageMixRow,
)
from ae_coach.pipeline.model import Period as PeriodModel

AT_RISK_LIMIT = 10
"""How many deals the review lists as most at risk."""

Progress = Callable[[int, int], None]


def period_bounds(as_of: dt.date, kind: Period) -> PeriodModel:
    """The calendar quarter or year containing ``as_of``."""
    if kind == "year":
        return PeriodModel(
            kind=kind, label=str(as_of.year), start=dt.date(as_of.year, 1, 1), end=dt.date(as_of.year, 12, 31)
        )
    quarter = (as_of.month - 1) // 3
    start = dt.date(as_of.year, quarter * 3 + 1, 1)
    end = dt.date(as_of.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1) - dt.timedelta(days=1)
    return PeriodModel(kind=kind, label=f"{as_of.year}-Q{quarter + 1}", start=start, end=end)


def _in(period: PeriodModel, day: dt.date | None) -> bool:
    return day is not None and period.start <= day <= period.end


def _coverage(lines, won, quota, needed, period) -> Coverage:
    closed_won = sum(d.amount for d in won if _in(period, d.close_date))
    in_period = [d for d in lines if d.in_period]
    open_in_period = sum(d.amount for d in in_period)
    remaining = max(quota - closed_won, 0.0) if quota is not None else None
    return Coverage(
        quota=quota,
        closed_won=closed_won,
        remaining_quota=remaining,
        open_in_period=open_in_period,
        ratio=open_in_period / remaining if remaining else None,
        needed=needed,
        overdue_open=sum(d.amount for d in lines if d.close_date and d.close_date < period.start),
        open_total=sum(d.amount for d in lines),
        weighted_in_period=sum(d.amount * STAGE_PROBABILITY[d.stage] / 100 for d in in_period),
        weighted_total=sum(d.amount * STAGE_PROBABILITY[d.stage] / 100 for d in lines),
    )


def _stage_mix(lines: list[DealLine]) -> list[StageMixRow]:
    amounts: dict[Stage, float] = defaultdict(float)
    counts: Counter[Stage] = Counter()
    for d in lines:
        amounts[d.stage] += d.amount
        counts[d.stage] += 1
    total = sum(amounts.values())
    rows = []
    for stage, target in STAGE_MIX_TARGET.items():
        share = amounts[stage] / total if total else 0.0
        rows.append(
            StageMixRow(
                stage=stage,
                deals=counts[stage],
                amount=amounts[stage],
                share=share,
                target=target,
                deviation=share - target,
            )
        )
    return rows


def _rollup(lines: list[DealLine], closed: float, category: Callable[[DealLine], ForecastCategory | None]) -> Rollup:
    sums: dict[ForecastCategory | None, float] = defaultdict(float)
    for d in lines:
        if d.in_period:
            sums[category(d)] += d.amount
    commit = sums[ForecastCategory.COMMIT] + sums[ForecastCategory.CLOSED] + closed
    best = sums[ForecastCategory.BEST_CASE] + commit
    return Rollup(
        closed=closed,
        commit=commit,
        best_case=best,
        pipeline=best + sums[ForecastCategory.PIPELINE] + sums[None],
        uncategorised=sums[None],
    )


def _owners(
    lines: list[DealLine], deals: Sequence[DealRecord], period: PeriodModel, team: dict[str, int]
) -> list[OwnerSummary]:
    """One summary per owner with an open deal or a deal closed in the period; ``team`` is :func:`_code_counts`
    of all ``lines``.

    A rep whose deals all closed still appears with their closed-won: leaving them out drops revenue from the
    table and its columns no longer add up to the team's totals.
    """
    by_owner: dict[str, list[DealLine]] = defaultdict(list)
    for d in lines:
        by_owner[d.owner or NO_OWNER].append(d)
    won_in_period: dict[str, float] = defaultdict(float)
    won_deals: Counter[str] = Counter()
    for deal in deals:  # one pass, not one per owner: a big export has tens of thousands of closed deals
        if not deal.stage.is_open and _in(period, deal.close_date):
            owner = deal.owner or NO_OWNER
            by_owner.setdefault(owner, [])
            if deal.stage is Stage.CLOSED_WON:
                won_in_period[owner] += deal.amount
                won_deals[owner] += 1
    return [
        _owner_summary(owner, mine, len(lines), team, won_in_period[owner], won_deals[owner])
        for owner, mine in sorted(by_owner.items())
    ]


def _owner_summary(
    owner: str, mine: list[DealLine], open_total: int, team: dict[str, int], won: float, won_deals: int
) -> OwnerSummary:
    others = open_total - len(mine)
    gaps = [
        OwnerGap(code=code, deals=n, share=n / len(mine), team_share=(team[code] - n) / others if others else 0.0)
        for code, n in _code_counts(mine).items()
    ]
    return OwnerSummary(
        owner=owner,
        open_deals=len(mine),
        open_amount=sum(d.amount for d in mine),
        in_period_amount=sum(d.amount for d in mine if d.in_period),
        commit_amount=sum(d.amount for d in mine if d.in_period and d.forecast_category is ForecastCategory.COMMIT),
        closed_won=won,
        won_deals=won_deals,
        avg_health=sum(d.health for d in mine) / len(mine) if mine else None,
        at_risk=sum(1 for d in mine if d.worst in (Severity.CRITICAL, Severity.HIGH)),
        gaps=gaps,
    )


def _code_counts(lines: list[DealLine]) -> dict[str, int]:
    """Finding code -> deals carrying it, most frequent first, ties by code (stable output)."""
    counts = Counter(code for d in lines for code in dict.fromkeys(d.codes))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _filter_owner(deals: Sequence[DealRecord], owner: str | None) -> Sequence[DealRecord]:
    if owner is None:
        return deals
    mine = [d for d in deals if (d.owner or "").casefold() == owner.casefold()]
    if not mine:
        known = sorted({d.owner for d in deals if d.owner})
        raise UsageError(f"--owner {owner!r} owns no deal here; owners: {', '.join(known[:20]) or '(none recorded)'}")
    return mine


def review_pipeline(
    deals: Sequence[Deal],
    *,
    quota: float | None = None,
    as_of: dt.date | None = None,
    owner: str | None = None,
    period: Period = "year",
    win_rate: float | None = None,
    avg_deal: float | None = None,
    cycle_days: float | None = None,
    settings=None,
    rulebook=None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> PipelineReview:
    """Inspect every open deal and compute the pipeline's math, coverage, stage mix, roll-ups and risks.

    Args:
        deals: the pipeline (open and closed deals; closed ones feed the win rate and the roll-ups).
        quota: the quota for ``period``; without one, coverage and the seed's math are not computed.
        as_of: "today" for every deal; default the real date.
        owner: review only this owner's deals (case-insensitive).
        period: ``year`` (default) or ``quarter``: the calendar period containing ``as_of``.
        win_rate, avg_deal, cycle_days: override what the data's closed deals say.
        settings, rulebook: passed to the inspector; the default rulebook is loaded once.
        progress: called with (deals inspected, total).
        jobs: worker processes for the inspection; default: all cores for large pipelines on Linux.

    Raises:
        UsageError: ``owner`` owns none of the deals.
    """
    as_of = as_of or dt.date.today()
    facts = _filter_owner(records(deals), owner)  # an import's rows are read as they are: no deal is built
    currencies = [code for code, _ in Counter(d.currency for d in facts).most_common()] or ["USD"]
    # everything the review builds stays alive and holds no reference cycles: the collector would only
    # rescan the growing heap (measured 3 s of a 100,000-deal review)
    with using(currencies[0]), paused_gc():
        review = _review(
            facts, quota, as_of, period, win_rate, avg_deal, cycle_days, settings, rulebook, progress, jobs
        )
    review.owner_filter = owner
    review.currency, review.other_currencies = currencies[0], currencies[1:]
    return review


def _review(
    deals, quota, as_of, period, win_rate, avg_deal, cycle_days, settings, rulebook, progress, jobs
) -> PipelineReview:
    if rulebook is None:
        from ae_coach.rules import load_rulebook

        rulebook = load_rulebook()
    bounds = period_bounds(as_of, period)
    open_deals = [d for d in deals if d.stage.is_open]
    won = [d for d in deals if d.stage is Stage.CLOSED_WON]
    inputs = derive_inputs(deals, as_of, quota=quota, win_rate=win_rate, avg_deal=avg_deal, cycle_days=cycle_days)
    math = pipeline_math(quota, inputs.avg_deal.value, inputs.win_rate.value, period=period) if quota else None
    lines = assess_lines(open_deals, as_of, bounds, settings, rulebook, progress, jobs)
    lines.sort(key=lambda d: (-d.risk_score, d.health, -d.amount, d.id))
    coverage = _coverage(lines, won, quota, 1 / inputs.win_rate.value, bounds)
    mix = _stage_mix(lines)
    common_gaps = _code_counts(lines)
    owners = _owners(lines, deals, bounds, common_gaps)
    recent = _created_last_quarter(deals, as_of)
    findings = [
        f
        for f in (
            signals.coverage_gap(coverage),
            signals.stage_mix(mix),
            signals.required_activity(math, recent),
            signals.at_risk(lines),
        )
        if f is not None
    ] + signals.owner_gaps(owners)
    return PipelineReview(
        as_of=as_of,
        period=bounds,
        inputs=inputs,
        math=math,
        coverage=coverage,
        stage_mix=mix,
        rollup_crm=_rollup(lines, coverage.closed_won, lambda d: d.forecast_category),
        rollup_recommended=_rollup(lines, coverage.closed_won, lambda d: d.recommended_forecast),
        at_risk=[d for d in lines if d.worst in (Severity.CRITICAL, Severity.HIGH)][:AT_RISK_LIMIT],
        owners=owners,
        findings=_with_rules(sort_findings(findings), rulebook),
        common_gaps=common_gaps,
        deals=lines,
        counts=_counts(deals, lines),
    )


def _created_last_quarter(deals: Sequence[DealRecord], as_of: dt.date) -> int | None:
    dated = [d.created for d in deals if d.created is not None]
    if not dated:
        return None
    since = as_of - dt.timedelta(days=91)
    return sum(1 for day in dated if since < day <= as_of)


def _counts(deals: Sequence[DealRecord], lines: list[DealLine]) -> dict[str, int]:
    return {
        "deals": len(deals),
        "open": len(lines),
        "won": sum(1 for d in deals if d.stage is Stage.CLOSED_WON),
        "lost": sum(1 for d in deals if d.stage is Stage.CLOSED_LOST),
        "in_period": sum(1 for d in lines if d.in_period),
        "overdue": sum(1 for d in lines if d.overdue),
    }


def _with_rules(findings: list[Finding], rulebook) -> list[Finding]:
    for finding in findings:
        finding.rules = [r.id for r in rulebook.by_trigger(finding.code)] if rulebook is not None else []
    return findings


def review_import(imported, **options) -> PipelineReview:
    """Review the deals of an :class:`~ae_coach.crm.ImportResult`; its summary, warnings and skipped rows ride along.

    Args:
        imported: what :func:`ae_coach.crm.load_pipeline` returned.
        **options: passed to :func:`review_pipeline`.
    """
    review = review_pipeline(imported.deals, **options)
    review.source = imported.summary()
    review.import_warnings = imported.warnings
    review.import_skipped = imported.skipped
    return review


def review_path(path, mapping=None, *, import_progress: Progress | None = None, **options) -> PipelineReview:
    """Load a pipeline (directory, deal list or CRM export) and review it.

    Args:
        path: anything :func:`ae_coach.crm.load_pipeline` reads.
        mapping: a column mapping for CSV exports.
        import_progress: progress callback for the import.
        **options: passed to :func:`review_pipeline`.
    """
    from ae_coach.crm import load_pipeline

    return review_import(load_pipeline(path, mapping, progress=import_progress), **options)
