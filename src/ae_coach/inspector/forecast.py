"""The hard Commit gate, the recommended forecast category and the 0-100 health score.

Commit gate (every condition must hold; the unmet ones are the "why not Commit" list):

1. the stage is at least ``Settings.commit_min_stage`` (proposal, the seed's 75% stage);
2. each MEDDPICC element in ``Settings.commit_required_grades`` reaches its grade (economic buyer,
   champion, decision process, pain and metrics buyer-confirmed; paper process at least known);
3. a close date that has not passed and is within ``Settings.commit_max_days_to_close``;
4. a dated next step still to come;
5. a mutual action plan with a dated step still to come (``Settings.commit_requires_map``);
6. the close date has not slipped ``Settings.slip_count`` times;
7. no critical finding (checked by :func:`ae_coach.inspector.assess`).

Recommendation: closed deals are ``closed``; a deal passing the gate is ``commit``; a deal dark for
``omit_dark_days`` or past its close date by ``omit_close_passed_days`` is ``omitted``; from
``best_case_min_stage`` with no critical finding and at most ``best_case_max_high`` high ones it is
``best_case``; otherwise ``pipeline``.

Health: start at 100; each finding, worst first, takes ``Settings.health_penalty[severity]`` percent of
what is left (diminishing returns, see :func:`health`); then ``health_positive_bonus`` per positive
signal (at most ``health_positive_cap``), clipped to 0-100. Its reasons are the findings.
"""

from __future__ import annotations

import datetime as dt

from ae_coach.deal import ForecastCategory, PlanStatus, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.inspector._context import Context, as_date
from ae_coach.inspector.meddpicc import GRADE_NAMES
from ae_coach.inspector.priority import ranked

_NAMES = {severity: severity.value for severity in Severity}
"""Severity -> its name (an enum's ``.value`` costs a descriptor call; health reads it per finding)."""


def commit_gate(ctx: Context) -> list[str]:
    """The unmet Commit conditions that depend only on the deal (not on other findings)."""
    if "commit_gate" not in ctx.memo:
        ctx.memo["commit_gate"] = _commit_gate(ctx)
    return list(ctx.memo["commit_gate"])


def _commit_gate(ctx: Context) -> list[str]:
    s = ctx.settings
    unmet: list[str] = []
    if ctx.stage.order < s.commit_min_stage.order:
        unmet.append(f"stage is {ctx.stage.value}; Commit needs {s.commit_min_stage.value} or later")
    for element, needed in s.commit_required_grades.items():
        grade = ctx.grades[element]
        if grade < needed:
            unmet.append(
                f"{element} is {GRADE_NAMES[grade]} (grade {grade}); Commit needs {GRADE_NAMES[needed]} (grade {needed})"
            )
    unmet += _close_date_conditions(ctx)
    if ctx.dated_next_step is None:
        unmet.append("no dated next step")
    if s.commit_requires_map and not _map_ahead(ctx):
        unmet.append("no mutual action plan step dated ahead")
    pushes = sum(1 for c in ctx.deal.history if c.field == "close_date" and _pushed(c.from_, c.to))
    if pushes >= s.slip_count:
        unmet.append(f"close date pushed {pushes} times")
    return unmet


def _close_date_conditions(ctx: Context) -> list[str]:
    close = ctx.deal.close_date
    if close is None:
        return ["no close date"]
    if close < ctx.as_of:
        return [f"close date {close.isoformat()} has passed"]
    horizon = ctx.as_of + dt.timedelta(days=ctx.settings.commit_max_days_to_close)
    if close > horizon:
        return [f"close date {close.isoformat()} is more than {ctx.settings.commit_max_days_to_close} days out"]
    return []


def _map_ahead(ctx: Context) -> bool:
    open_states = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    return any(
        item.date and item.date >= ctx.as_of and item.status in open_states for item in ctx.deal.mutual_action_plan
    )


def _pushed(before: object, after: object) -> bool:
    start, end = as_date(before), as_date(after)
    return bool(start and end and end > start)


def full_gate(ctx: Context, findings: list[Finding]) -> list[str]:
    """The Commit gate including condition 7 (no critical finding)."""
    if not ctx.deal.is_open:
        return []
    unmet = commit_gate(ctx)
    unmet += [
        f"critical finding {f.code}: {f.title}"
        for f in findings
        if f.severity == Severity.CRITICAL and f.code != "anti.forecast_fantasy"
    ]
    return unmet


def recommend(ctx: Context, findings: list[Finding], why_not_commit: list[str]) -> ForecastCategory:
    """The forecast category the evidence supports."""
    s = ctx.settings
    if not ctx.deal.is_open:
        return ForecastCategory.CLOSED
    if not why_not_commit:
        return ForecastCategory.COMMIT
    last = ctx.last_touch or ctx.deal.created
    if last is None or ctx.days_since(last) >= s.omit_dark_days:
        return ForecastCategory.OMITTED
    close = ctx.deal.close_date
    if close and ctx.days_since(close) > s.omit_close_passed_days:
        return ForecastCategory.OMITTED
    critical = any(f.severity == Severity.CRITICAL for f in findings)
    high = sum(f.severity == Severity.HIGH for f in findings)
    if ctx.stage.order >= s.best_case_min_stage.order and not critical and high <= s.best_case_max_high:
        return ForecastCategory.BEST_CASE
    return ForecastCategory.PIPELINE


def health(ctx: Context, findings: list[Finding]) -> tuple[int, list[str]]:
    """Health 0-100 and its reasons, one per finding that moved it.

    Penalties compound, worst finding first: each takes ``health_penalty[severity]`` percent of the
    health that is left. Subtracting flat points made every deal with a dozen gaps score 0, so the
    score could not tell a bad deal (a fixable 20-50) from a hopeless one (near 0); compounding keeps
    the first gaps expensive and the twelfth, which mostly restates the first ones (an unknown economic
    buyer also leaves a committee role and a stage criterion open), cheap. Each reason shows the points
    its finding actually took, so the reasons add up to the score.
    """
    s = ctx.settings
    if ctx.stage == Stage.CLOSED_LOST:
        return 0, ["the deal is closed lost"]
    penalty = {severity: s.health_penalty.get(name, 0) for severity, name in _NAMES.items()}
    remaining = 100
    reasons = []
    for finding in ranked(findings):  # the problem a manager raises first takes the biggest share
        taken = round(remaining * penalty[finding.severity] / 100)
        if taken:
            remaining -= taken
            reasons.append(f"-{taken} {finding.code} ({_NAMES[finding.severity]}): {finding.title}")
    bonus = 0
    for finding in findings:
        if bonus < s.health_positive_cap and finding.code.startswith("positive."):
            step = min(s.health_positive_bonus, s.health_positive_cap - bonus)
            bonus += step
            reasons.append(f"+{step} {finding.code}: {finding.title}")
    return max(0, min(100, remaining + bonus)), reasons
