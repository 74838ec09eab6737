"""Inspecting every open deal: serially, or across CPU cores for large pipelines.

The inspector costs about 150 microseconds a deal, so a 100,000-row export spends most of its review
time there. On Linux, pipelines of :data:`PARALLEL_MIN_DEALS` or more are split across forked worker
processes: the deals are inherited through ``fork`` (nothing is pickled on the way in) and each worker
sends back one small tuple per deal. Elsewhere, or with ``jobs=1``, deals are inspected in this process.

This process only collects results. Measured on 2 cores, letting it inspect a share alongside one worker
was slower (10.6 s against 8.5 s for 78,000 deals): its result-handler thread then waits for the GIL, the
worker's result pipe fills, and the worker stalls.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Any

from ae_coach.crm.deals import DealRecord, deal_of
from ae_coach.deal import ForecastCategory
from ae_coach.findings import Severity, trusted
from ae_coach.pipeline.model import DealLine
from ae_coach.pipeline.model import Period as PeriodModel

RISK_WEIGHT: dict[Severity, float] = {
    Severity.CRITICAL: 1.0,
    Severity.HIGH: 0.6,
    Severity.MEDIUM: 0.3,
    Severity.LOW: 0.1,
    Severity.INFO: 0.0,
}
"""ae-coach default: how much of a deal's amount its worst finding puts at risk, for ranking only."""
PARALLEL_MIN_DEALS = 5_000
"""Below this many open deals, starting worker processes costs more than it saves."""
MAX_JOBS = 8
CHUNK = 2_000
"""Deals per unit of work: small enough to balance the workers and report progress often."""

Progress = Callable[[int, int], None]
Summary = tuple[int, int | None, str, str | None, list[str], str, list[str]]
"""health, tier, recommended forecast, worst severity, codes, headline, why-not-commit."""

_WORK: dict[str, Any] = {}
"""Set in the parent just before forking; the workers read the deals from here."""


def _summary(record: DealRecord, as_of: dt.date, settings: Any, rulebook: Any) -> Summary:
    from ae_coach.inspector import assess

    a = assess(deal_of(record), as_of, settings=settings, rulebook=rulebook)
    serious = [f for f in a.findings if f.severity is not Severity.INFO]
    worst = serious[0].severity.value if serious else None
    headline = serious[0].title if serious else ""
    tier = getattr(a, "tier", None)
    return (
        a.health,
        tier,
        a.recommended_forecast.value,
        worst,
        [f.code for f in serious],
        headline,
        list(a.why_not_commit),
    )


def _shared(s: Summary, strings: dict[str, str]) -> Summary:
    """``s`` with one string object per distinct code, headline and reason across the pipeline: the inspector
    formats each reason anew and a worker's results arrive as copies, while a few hundred distinct ones
    repeat on every deal (measured 1.4 kB a deal, most of what a review keeps)."""
    health, tier, recommended, worst, codes, headline, why_not = s
    share = strings.setdefault
    return (
        health, tier, recommended, worst, [share(c, c) for c in codes], share(headline, headline),
        [share(w, w) for w in why_not],
    )  # fmt: skip


def _line(deal: DealRecord, s: Summary, period: PeriodModel, as_of: dt.date) -> DealLine:
    health, tier, recommended, worst, codes, headline, why_not = s
    severity = Severity(worst) if worst else None
    close = deal.close_date
    values: dict[str, Any] = {
        "id": deal.id or deal.account, "account": deal.account, "name": deal.name, "owner": deal.owner,
        "stage": deal.stage, "amount": deal.amount, "close_date": close, "forecast_category": deal.forecast_category,
        "recommended_forecast": ForecastCategory(recommended), "health": health, "tier": tier, "worst": severity,
        "risk_score": deal.amount * RISK_WEIGHT[severity] if severity else 0.0, "codes": codes, "headline": headline,
        "why_not_commit": why_not, "in_period": close is not None and period.start <= close <= period.end,
        "overdue": close is not None and close < as_of,
    }  # fmt: skip
    if _TRUSTED_LINE and type(deal.amount) is float:
        return trusted(DealLine, values)  # values of the declared types: a validated Deal or a checked row
    return DealLine(**values)


_TRUSTED_LINE = tuple(DealLine.model_fields) == (
    "id", "account", "name", "owner", "stage", "amount", "close_date", "forecast_category", "recommended_forecast",
    "health", "tier", "worst", "risk_score", "codes", "headline", "why_not_commit", "in_period", "overdue",
)  # fmt: skip
"""Whether :func:`_line` gives exactly DealLine's fields; if the model grows, lines are validated instead."""


def _chunk(bounds: tuple[int, int]) -> list[Summary]:
    deals, as_of, settings, rulebook = _WORK["deals"], _WORK["as_of"], _WORK["settings"], _WORK["rulebook"]
    return [_summary(d, as_of, settings, rulebook) for d in deals[bounds[0] : bounds[1]]]


def choose_jobs(jobs: int | None, deals: int) -> int:
    """``jobs`` if given, else every core (up to MAX_JOBS) for large pipelines on Linux, else 1."""
    if jobs is not None:
        return max(1, jobs)
    if deals < PARALLEL_MIN_DEALS or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(MAX_JOBS, len(os.sched_getaffinity(0))))


def assess_lines(
    deals: list[DealRecord], as_of: dt.date, period: PeriodModel, settings: Any, rulebook: Any,
    progress: Progress | None = None, jobs: int | None = None,
) -> list[DealLine]:  # fmt: skip
    """One :class:`DealLine` per deal, in the deals' order; an imported row is built into its deal only to be
    inspected (in the worker, when inspection runs in parallel) and dropped after."""
    jobs = choose_jobs(jobs, len(deals))
    summaries = None
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            summaries = _parallel(deals, as_of, settings, rulebook, progress, jobs)
        except OSError:  # no semaphores or process limit in a sandbox: inspect here instead
            summaries = None
    if summaries is None:
        summaries = _serial(deals, as_of, settings, rulebook, progress)
    return [_line(d, s, period, as_of) for d, s in zip(deals, summaries, strict=False)]


def _serial(deals, as_of, settings, rulebook, progress) -> list[Summary]:
    summaries, total = [], len(deals)
    strings: dict[str, str] = {}
    for done, deal in enumerate(deals, 1):
        summaries.append(_shared(_summary(deal, as_of, settings, rulebook), strings))
        if progress is not None and (done % CHUNK == 0 or done == total):
            progress(done, total)
    return summaries


def _parallel(deals, as_of, settings, rulebook, progress, jobs) -> list[Summary]:
    _WORK.update(deals=deals, as_of=as_of, settings=settings, rulebook=rulebook)
    bounds = [(i, min(i + CHUNK, len(deals))) for i in range(0, len(deals), CHUNK)]
    summaries: list[Summary] = []
    strings: dict[str, str] = {}
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for part in pool.imap(_chunk, bounds):
                summaries.extend(_shared(s, strings) for s in part)
                if progress is not None:
                    progress(len(summaries), len(deals))
    finally:
        _WORK.clear()
    return summaries
