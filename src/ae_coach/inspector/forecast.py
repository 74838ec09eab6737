"""The forecast call, by the rulebook: ``pipeline-forecast-categories`` and ``pipeline-commit-gate``.

The call is made for a forecast period (``Settings.forecast_period``, counted from
``Settings.fiscal_year_start_month``), and every condition is read from the record (the deal facts and
the MEDDPICC grades, claimed vs corroborated), never from the rep's confidence.

Commit gate (``pipeline-commit-gate``; every condition must hold, the unmet ones are "why not Commit"):

1. the stage is at least ``Settings.commit_min_stage`` (proposal; before it terms cannot be agreed);
2. economic buyer engaged, champion tested, decision process and paper process known, pain and metrics
   buyer-confirmed: each MEDDPICC element in ``Settings.commit_required_grades`` reaches its grade;
3. decision criteria met: technical validation complete, or the criteria buyer-confirmed;
4. a dated mutual action plan with a step still to come, and its last step inside the period;
5. a credible close date: set, not passed, inside the period, not pushed ``Settings.slip_count`` times;
6. competition settled: no competitor appeared late, and any active competitor is named with why it is in;
7. commercial terms agreed in principle: terms agreed, a verbal commit or signed paper on record (or the
   deal is in closing), and no budget concern raised after the proposal;
8. a dated next step still to come;
9. no critical finding;
10. no unresolved danger signal at high severity (``deal-danger-signals``: a deal in proposal or closing
    with one does not stay in Commit).

Categories (``pipeline-forecast-categories``), first match wins: ``closed`` for a won deal; ``omitted``
when the close date has passed (no buyer-confirmed new date: a reconfirmed date replaces it), falls after
the period, the buyer's own plan signs after the period, the date is not credible (a placeholder, or the
buyer places the purchase later), the project is on hold, the deal is being disqualified (poor fit, no
pain in the buyer's words) or the buyer has been silent for ``Settings.omit_dark_days``; ``commit``
when the gate passes; ``best_case`` from ``Settings.best_case_min_stage`` when the economic buyer is
identified (and not cancelling or moving meetings), the decision process is dated, nothing critical is
open and at most ``Settings.best_case_max_danger`` danger signals are (two together mean the deal is
stalling, or, with no silence among them, two-way contact inside the stage's stale window and a dated buyer
step ahead, contested); otherwise ``pipeline``.

The call never rises above the rep's own category unless the evidence earns it: Commit only through the
gate; Best case over the rep's Pipeline only with the economic buyer met and no cancelled or rescheduled
meetings. Each call comes with its reasons: the fact that puts the deal in its category and what keeps
it out of the one above.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ae_coach.deal import Direction, ForecastCategory, PlanItem, PlanStatus, Role, Signal, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import current, join, t, term
from ae_coach.inspector import text
from ae_coach.inspector._context import Context
from ae_coach.inspector.account import poor_fit
from ae_coach.inspector.facts import (
    ElementFact,
    PersonFact,
    dates_in,
    direction_of,
    office_booked,
    paper_step,
    signers_step,
    validation_ahead,
    validation_step,
)
from ae_coach.inspector.period import Period, period_of
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.stage import terms_agreed

_ORDER = {
    ForecastCategory.OMITTED: 0,
    ForecastCategory.PIPELINE: 1,
    ForecastCategory.BEST_CASE: 2,
    ForecastCategory.COMMIT: 3,
    ForecastCategory.CLOSED: 4,
}

_LABEL = {
    "economic_buyer": "economic buyer engaged",
    "champion": "champion tested",
    "decision_process": "decision process known",
    "paper_process": "paper process known (owner and date for legal, security, procurement)",
    "identified_pain": "pain buyer-confirmed",
    "metrics": "metrics buyer-confirmed",
    "decision_criteria": "decision criteria met",
    "competition": "competition known",
}


def _word(category: ForecastCategory) -> str:
    """A category as the rep's call names it: the value in English (``best_case``), the term in Chinese."""
    return category.value if current() == "en" else term(category)


def period(ctx: Context) -> Period:
    """The forecast period the call is for."""
    if "period" not in ctx.memo:
        s = ctx.settings
        ctx.memo["period"] = period_of(ctx.as_of, s.forecast_period, s.fiscal_year_start_month)
    period_: Period = ctx.memo["period"]
    return period_


def commit_gate(ctx: Context) -> list[str]:
    """The unmet Commit conditions that depend only on the deal (not on other findings)."""
    if "commit_gate" not in ctx.memo:
        ctx.memo["commit_gate"] = _commit_gate(ctx)
    return list(ctx.memo["commit_gate"])


def _commit_gate(ctx: Context) -> list[str]:
    s = ctx.settings
    unmet: list[str] = []
    small = 0 < ctx.size < s.committee_small_deal_amount
    # the signer said yes, holds the paper and dated the signature: they stand in for the champion, the value
    # case and the plan, as on a small deal
    committed = bool(ctx.facts.timing.committed)
    if ctx.stage.order < s.commit_min_stage.order:
        unmet.append(t("gate.stage", stage=term(ctx.stage), needed=term(s.commit_min_stage)))
    for element, needed in s.commit_required_grades.items():
        if (small or committed) and element in _SMALL_DEAL_SKIPS:
            continue  # below the tier-4 band the signer is the buyer and the paper is an order form
        grade = ctx.grades[element]
        if grade < needed:
            departed = ctx.facts.departed_signer if element == "economic_buyer" else None
            unmet.append(_grade_condition(element, grade, needed, ctx.facts.elements.get(element), departed))
    if "decision_criteria" not in s.commit_required_grades and not _criteria_met(ctx):
        unmet.append(t("gate.criteria"))
    elif (
        ahead := validation_ahead(ctx.deal, ctx.as_of, ctx.facts.timing.plan_signature)
    ) is not None and not committed:
        unmet.append(t("gate.validation_ahead", step=ahead.action, date=ahead.date))
    unmet += [] if small or committed else _plan_conditions(ctx)
    unmet += _blocked_conditions(ctx)
    unmet += _close_date_conditions(ctx)
    unmet += _competition_conditions(ctx)
    unmet += _terms_conditions(ctx)
    if ctx.dated_next_step is None and not committed:  # the signer's own dated word is the next step
        unmet.append(t("gate.no_next_step"))
    return unmet


def _blocked_conditions(ctx: Context) -> list[str]:
    """The buyer's own process blocked (pipeline-commit-gate: "paper process known", "dated mutual action plan"): a
    document to sign before it can start, or a deciding body whose sitting has no date. Whatever the plan says,
    the deal is not Commit until that is cleared, at any size."""
    timing = ctx.facts.timing
    out = [t("gate.precondition", source=timing.precondition)] if timing.precondition else []
    if timing.approval_undated and not timing.decision_waits:
        out.append(t("gate.approval_undated", source=timing.approval_undated))
    if timing.decision_undated and not (out or timing.decision_waits):
        out.append(t("gate.decision_undated", source=timing.decision_undated))
    if timing.condition_open and not (out or timing.paper_stuck or timing.doubt or timing.on_hold):
        out.append(t("gate.condition_open", source=timing.condition_open))
    return out


_SMALL_DEAL_SKIPS = ("champion", "paper_process", "metrics")
"""Commit conditions a deal below ``committee_small_deal_amount`` (the seed's tier-4 band) does without: an
engaged economic buyer stands in for the champion, the paper is an order form, and the value case is the
buyer's own (ae-coach default, as in the committee and MEDDPICC checks)."""


def _grade_condition(
    element: str, grade: int, needed: int, fact: ElementFact | None = None, departed: PersonFact | None = None
) -> str:
    label = t(f"gate.label.{element}", default=_LABEL.get(element, element))
    names = {"grade_name": t(f"gate.on_record.{grade}"), "needed_name": t(f"gate.needed.{needed}")}
    if fact is not None and fact.handed_over:  # the old signer's own words are on record, not the rep's alone
        return t("gate.handed_over", label=label, old=fact.handed_over, new=fact.signs_now, **names)
    if departed is not None:  # the signer on record left: not the rep's word alone, and not the successor's either
        return t("gate.departed", label=label, old=departed.name, new=departed.succeeded_by, **names)
    return t("gate.grade", label=label, grade=grade, needed=needed, element=term(element), **names)


def _criteria_met(ctx: Context) -> bool:
    committed = bool(ctx.facts.timing.committed)  # the signer's yes is the criteria met
    return committed or ctx.has_signal(Signal.TECHNICAL_VALIDATION) or ctx.grades["decision_criteria"] >= 2


def _plan_conditions(ctx: Context) -> list[str]:
    if not ctx.settings.commit_requires_map:
        return []
    open_states = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    steps = [item for item in ctx.deal.mutual_action_plan if item.date and item.status != PlanStatus.CANCELLED]
    ahead = [item for item in steps if item.date and item.date >= ctx.as_of and item.status in open_states]
    if not ahead:
        return [t("gate.no_plan")]
    out = []
    stalled = decision_stalled(ctx)
    if stalled is not None:
        out.append(t("gate.decision_overdue", step=stalled.action, date=stalled.date))
    elif (gate := step_overdue(ctx)) is not None:
        out.append(t("gate.step_overdue", step=gate.action, date=gate.date))
    elif ctx.facts.timing.decision_waits:
        # the plan's dates hold only if the step the signer now waits on has one (pipeline-commit-gate: "a dated
        # mutual action plan ... to signature")
        out.append(t("gate.decision_waits", source=ctx.facts.timing.decision_waits))
    if ctx.facts.timing.paper_stuck:
        # legal on record says the paper was known, not that its dates hold: a blocked security sign-off or late
        # redlines leave the signature date unsupported
        out.append(t("gate.paper_stuck", source=ctx.facts.timing.paper_stuck))
    last = plan_after_period(ctx)
    if last is not None:
        out.append(t("gate.plan_late", last=last, period=period(ctx).label))
    fallback = ctx.facts.timing.fallback
    if fallback is not None and fallback > period(ctx).end:
        # the dates hold only if a condition is met in time; the buyer's own fallback is after the period
        out.append(t("gate.fallback", date=fallback, period=period(ctx).label, source=ctx.facts.timing.fallback_said))
    return out


def plan_after_period(ctx: Context) -> dt.date | None:
    """The date the buyer's own plan signs (its signature step, else its last step up to the close date) when
    that falls outside the forecast period; None when it falls inside or there is no dated plan. The close date is
    the one the call is made on (:func:`effective_close`): a go-live the rep parked the CRM date on is no step to
    signature once the buyer has named a signing day before it."""
    steps = [item.date for item in ctx.deal.mutual_action_plan if item.date and item.status != PlanStatus.CANCELLED]
    if not steps:
        return None
    close = effective_close(ctx)
    to_signature = [day for day in steps if close is None or day <= close]
    signs = ctx.facts.timing.plan_signature  # the plan's own signature step, even when it falls after the close date
    last = max(to_signature + ([signs] if signs else []) or steps)
    return None if last in period(ctx) else last


def effective_close(ctx: Context) -> dt.date | None:
    """The close date the call is made on: the CRM's, or the new date the buyer confirmed after it passed."""
    close = ctx.deal.close_date
    reconfirmed = ctx.facts.timing.reconfirmed
    if close is not None and close < ctx.as_of and reconfirmed is not None:
        return reconfirmed
    sooner = ctx.facts.timing.sooner
    if close is not None and sooner is not None and sooner in period(ctx) and close not in period(ctx):
        # pipeline-forecast-categories: the close date is "from the buyer, even if rough". The rep parked the CRM
        # date after this period and the buyer has since named a signing day inside it: the call is made on the
        # buyer's day (a few days' difference inside the period changes no call and is not worth a reason line)
        return sooner
    return close


def _close_date_conditions(ctx: Context) -> list[str]:
    close = effective_close(ctx)
    if close is None:
        return [t("gate.no_close_date")]
    out = []
    if close < ctx.as_of:
        out.append(t("gate.close_passed", close=close))
    elif close not in period(ctx):
        out.append(t("gate.close_after", close=close, period=period(ctx).label, end=period(ctx).end))
    if ctx.facts.timing.doubt:
        out.append(t("gate.close_doubted", source=ctx.facts.timing.doubt))
    timing = ctx.facts.timing
    # the sequence once: a paper timeline that is its first step already says it (``paper_is_sequence``)
    if timing.sequence_ends is not None and close < timing.sequence_ends and not timing.paper_is_sequence:
        out.append(t("gate.close_before_sequence", close=close, source=timing.sequence))
    pushes = ctx.facts.pushes
    if pushes >= ctx.settings.slip_count:
        out.append(t("gate.pushed", pushes=pushes))
    return out


def _competition_conditions(ctx: Context) -> list[str]:
    since = ctx.competitor_late_since()
    late = [c for c in ctx.facts.competitor_since(since) if ctx.stage.order >= Stage.PROPOSAL.order]
    if late:
        first = late[0]
        key = "gate.competitor_returned" if first.eliminated_before else "gate.competitor_late"
        return [t(key, name=first.name, date=first.first_seen, source=first.source)]
    active = [c for c in ctx.facts.competitors if c.status == "active"]
    selected = ctx.has_signal(Signal.VERBAL_COMMIT)
    if active and not selected and ctx.grades["competition"] < 2:
        return [t("gate.competitor_active", names=join(c.name for c in active))]
    if ctx.facts.rival_in_play:
        return [t("gate.rival_in_play", source=ctx.facts.rival_in_play)]
    return []


def _terms_conditions(ctx: Context) -> list[str]:
    since = ctx.stage_entered(Stage.PROPOSAL) or dt.date.min
    concerns = [a.date for a in ctx.with_signal(Signal.BUDGET_CONCERN) if a.date >= since]
    if concerns and ctx.stage.order >= Stage.PROPOSAL.order and not ctx.price_settled_after(max(concerns)):
        return [t("gate.budget_open")]
    if terms_agreed(ctx) or ctx.stage == Stage.CLOSING:
        return []
    return [t("gate.terms")]


def full_gate(ctx: Context, findings: list[Finding]) -> list[str]:
    """The Commit gate including conditions 9 and 10: no critical finding, and no unresolved danger signal
    (``deal-danger-signals``: a deal with one does not stay in Commit)."""
    if not ctx.deal.is_open:
        return []
    unmet = commit_gate(ctx)
    unmet += [
        t("gate.critical", code=f.code, title=f.title)
        for f in findings
        if f.severity == Severity.CRITICAL and f.code != "anti.forecast_fantasy"
    ]
    unmet += [
        t("gate.danger", code=f.code, title=f.title)
        for f in findings
        if f.severity in (Severity.CRITICAL, Severity.HIGH)
        and (f.code in DANGER_SIGNALS or f.code == "momentum.late_stakeholder")
    ]
    # the person selling for us or signing is leaving, has left or moved on: capped at high while they are still
    # there, but "champion tested" and "economic buyer engaged" ask for someone who will be there at signature
    unmet += [
        t("gate.left", title=f.title)
        for f in findings
        if f.severity == Severity.HIGH and f.code.startswith("meddpicc.") and f.data.get("left")
    ]
    return unmet


def recommend(ctx: Context, findings: list[Finding], why_not_commit: list[str]) -> ForecastCategory:
    """The forecast category the evidence supports (see :func:`call` for the reasons)."""
    return call(ctx, findings, why_not_commit)[0]


def call(ctx: Context, findings: list[Finding], why_not_commit: list[str]) -> tuple[ForecastCategory, list[str]]:
    """The forecast category the evidence supports, and the reasons: what puts the deal in that category
    and what keeps it out of the one above (``pipeline-forecast-categories`` step 2)."""
    if "call" not in ctx.memo:
        category, reasons = _call(ctx, findings, why_not_commit)
        claimed = ctx.deal.forecast_category
        if (
            ctx.deal.is_open
            and claimed in _ORDER
            and claimed != ForecastCategory.CLOSED
            and _ORDER[category] > _ORDER[claimed]
        ):
            earned = _earned_upgrade(ctx, findings, category)
            if earned is None:
                gap = _upgrade_gap(ctx, findings)
                reasons = [t("call.stays", claimed=_word(claimed), category=_word(category), gap=gap), *reasons[1:]]
                category = claimed
            else:
                reasons = [*reasons, t("call.raised", claimed=_word(claimed), earned=earned)]
        ctx.memo["call"] = (category, reasons)
    result: tuple[ForecastCategory, list[str]] = ctx.memo["call"]
    return result


def later_gaps(ctx: Context, findings: list[Finding]) -> list[str]:
    """For a deal omitted only by its date whose evidence earns pipeline in its own period: what it takes to
    reach best case there (the next category move, not the whole Commit gate)."""
    later = _later(ctx, findings)
    return later[2] if later else []


def later_call(ctx: Context, findings: list[Finding]) -> tuple[ForecastCategory, Period] | None:
    """For a deal omitted only because it closes after the period: the call its evidence earns for the
    period it closes in (what a manager says next: "not this quarter's number; best case for Q1"). Computed once
    per deal: health names its range by it and the assessment reports it."""
    later = _later(ctx, findings)
    return (later[0], later[1]) if later else None


def _later(ctx: Context, findings: list[Finding]) -> tuple[ForecastCategory, Period, list[str]] | None:
    if "later_call" not in ctx.memo:
        ctx.memo["later_call"] = _later_call(ctx, findings)
    later: tuple[ForecastCategory, Period, list[str]] | None = ctx.memo["later_call"]
    return later


def _later_call(ctx: Context, findings: list[Finding]) -> tuple[ForecastCategory, Period, list[str]] | None:
    """The later period's call and, when it is pipeline, its gaps to best case."""
    close = effective_close(ctx)
    if not ctx.deal.is_open or close is None or close <= period(ctx).end:
        return None
    saved: dict[str, Any] = {k: ctx.memo.pop(k) for k in ("period", "commit_gate", "call") if k in ctx.memo}
    try:
        s = ctx.settings
        ctx.memo["period"] = period_of(close, s.forecast_period, s.fiscal_year_start_month)
        category, _ = call(ctx, findings, full_gate(ctx, findings))
        gaps = _best_case_gaps(ctx, findings) if category == ForecastCategory.PIPELINE else []
        return category, ctx.memo["period"], gaps
    finally:
        for key in ("period", "commit_gate", "call"):
            ctx.memo.pop(key, None)
        ctx.memo.update(saved)


def _call(ctx: Context, findings: list[Finding], why_not_commit: list[str]) -> tuple[ForecastCategory, list[str]]:
    s, deal, current = ctx.settings, ctx.deal, period(ctx)
    if deal.stage == Stage.CLOSED_WON:
        return ForecastCategory.CLOSED, [t("call.closed_won")]
    if not deal.is_open:
        # out of the number, as CRMs file a lost deal (Salesforce: Closed Lost is Omitted); closed is for won
        return ForecastCategory.OMITTED, [t("call.closed_lost")]
    timing = ctx.facts.timing
    close = effective_close(ctx)
    if close is not None and close < ctx.as_of:
        return ForecastCategory.OMITTED, [t("call.close_passed", close=close)]
    if poor_fit(ctx):
        return ForecastCategory.OMITTED, [t("call.poor_fit")]
    if ctx.facts.rival_chosen:
        return ForecastCategory.OMITTED, [t("call.rival_chosen", source=ctx.facts.rival_chosen)]
    if ctx.facts.cancelled:
        return ForecastCategory.OMITTED, [t("call.cancelled", source=ctx.facts.cancelled)]
    no_pain = _no_pain(findings)
    if no_pain:
        return ForecastCategory.OMITTED, [t("call.no_pain", evidence=no_pain)]
    if timing.on_hold:
        return ForecastCategory.OMITTED, [t("call.on_hold", source=timing.on_hold)]
    last = ctx.last_touch or deal.created
    if last is None or ctx.days_since(last) >= s.omit_dark_days:
        since = t("call.silent_since", date=last) if last else t("call.silent_never")
        return ForecastCategory.OMITTED, [t("call.silent", since=since)]
    if close is not None and close > current.end:
        return ForecastCategory.OMITTED, [t("call.after_period", close=close, period=current.label, end=current.end)]
    if timing.plan_signature is not None and timing.plan_signature > current.end:
        return ForecastCategory.OMITTED, [
            t("call.plan_after", date=timing.plan_signature, period=current.label, end=current.end)
        ]
    if timing.paper_ends is not None and timing.paper_ends > current.end:
        source = timing.paper_stuck or ""
        return ForecastCategory.OMITTED, [
            t("call.paper_after", date=timing.paper_ends, period=current.label, end=current.end, source=source)
        ]
    if timing.sequence_ends is not None and timing.sequence_ends > current.end:
        # pipeline-close-date-discipline: the buyer's own steps, summed, end after the period: the date cannot hold
        return ForecastCategory.OMITTED, [
            t("call.sequence_after", date=timing.sequence_ends, period=current.label, end=current.end,
              source=timing.sequence)
        ]  # fmt: skip
    if close is not None and timing.doubt:
        return ForecastCategory.OMITTED, [t("call.not_credible", close=close, source=timing.doubt)]
    reasons: list[str] = []
    if close is not None and close != deal.close_date:
        key, source = (
            ("call.reconfirmed", timing.reconfirmed_source)
            if close == timing.reconfirmed
            else ("call.sooner", timing.sooner_source)
        )
        reasons.append(t(key, close=deal.close_date, new=close, source=source))
    category, why = _open_call(ctx, findings, why_not_commit)
    return category, [*why, *reasons]


def _no_pain(findings: list[Finding]) -> str | None:
    """The buyer's own words that doing nothing costs nothing (a deal to disqualify, pipeline-disqualify-early)."""
    for finding in findings:
        if finding.code == "meddpicc.identified_pain" and finding.data.get("no_pain"):
            return str(finding.data["no_pain"])
    return None


def _open_call(ctx: Context, findings: list[Finding], why_not_commit: list[str]) -> tuple[ForecastCategory, list[str]]:
    deal = ctx.deal
    if not why_not_commit:
        return ForecastCategory.COMMIT, [t("call.commit")]
    block = _best_case_gaps(ctx, findings)
    if not block:
        return ForecastCategory.BEST_CASE, [t("call.best_case"), t("call.not_commit", reason=why_not_commit[0])]
    return ForecastCategory.PIPELINE, [
        t("call.pipeline_named") if deal.stakeholders else t("call.pipeline"),
        t("call.not_best_case", reason="; ".join(block)),  # every gap: what it takes to reach best case from here
    ]


def _best_case_gaps(ctx: Context, findings: list[Finding]) -> list[str]:
    s = ctx.settings
    gaps = []
    if ctx.stage.order < s.best_case_min_stage.order:
        gaps.append(t("call.gap_stage", stage=term(ctx.stage), needed=term(s.best_case_min_stage)))
    successor = any(p.succeeded_by for p in ctx.facts.people)  # the record names who signs now: identified, unmet
    # identified on the record (a named signer engaged, met, or described), not by a status marked with nothing
    # behind it: a bare claim may not turn pipeline into best case
    bare_claim = ctx.facts.elements["economic_buyer"].claim_only and not any(
        p.engaged for p in ctx.facts.in_role("economic_buyer")
    )
    # an office the record names as signing, with the buyer's dated step ahead that puts the case in front of it
    # ("ROI review with the CFO" on 12-02), is identified though not met (a blind VP grade: "the CFO is identified
    # but not met", under a headline naming the CFO as the economic buyer)
    office = not ctx.facts.in_role("economic_buyer") and office_booked(ctx.deal, ctx.as_of)
    named = ctx.facts.in_role("economic_buyer") or successor
    if not office and (ctx.grades["economic_buyer"] < 1 or bare_claim or not named):
        gaps.append(t("call.gap_no_eb"))
    stalled = decision_stalled(ctx)
    gate = step_overdue(ctx)
    if stalled is not None:
        gaps.append(t("call.gap_decision_overdue", step=stalled.action, date=stalled.date))
    elif gate is not None:
        gaps.append(t("call.gap_step_overdue", step=gate.action, date=gate.date))
    elif ctx.facts.timing.decision_waits:
        gaps.append(t("call.gap_decision_waits", source=ctx.facts.timing.decision_waits))
    elif ctx.facts.timing.approval_undated:
        gaps.append(t("call.gap_approval_undated", source=ctx.facts.timing.approval_undated))
    elif ctx.facts.timing.decision_undated:
        gaps.append(t("call.gap_decision_undated", source=ctx.facts.timing.decision_undated))
    elif (lone := lone_signature(ctx)) is not None:
        gaps.append(t("call.gap_lone_signature", step=lone.action, date=lone.date))
    elif not _dated_process(ctx):
        gaps.append(t("call.gap_no_process"))
    if effective_close(ctx) is None:
        gaps.append(t("call.gap_no_close"))
    # one meeting moved to another day is a diary, not an executive avoiding us: only a cancellation, a no-show or
    # repeated moves (medium or worse) say the signer is not engaged
    avoided = [
        f
        for f in findings
        if f.code == "momentum.meetings_rescheduled"
        and f.data.get("executives")
        and f.severity.rank <= Severity.MEDIUM.rank
    ]
    if avoided:
        gaps.append(t("call.gap_exec_avoiding", names=", ".join(avoided[0].data["executives"])))
    signers = {p.name: p for p in ctx.facts.in_role("economic_buyer")}
    chased = [f for f in findings if f.code == "momentum.unanswered_outreach" and f.severity == Severity.HIGH]
    silent = [signers[name] for f in chased for name in f.data.get("people", []) if name in signers]
    if silent:
        gaps.append(t("call.gap_signer_silent", name=silent[0].name, count=silent[0].unanswered))
    # what the record shows against the deal, not a checklist gap with nothing on record (unknown, or marked
    # confirmed with nothing behind it): the two weigh alike, so boilerplate evidence never raises the call
    critical = [f for f in findings if f.severity == Severity.CRITICAL and not f.data.get("bare")]
    if critical:
        gaps.append(t("call.gap_critical", title=critical[0].title))
    # a signal the inspector itself rates low (one meeting moved to another day) is no danger signal
    danger = [f for f in findings if f.code in DANGER_SIGNALS and f.severity.rank <= Severity.MEDIUM.rank]
    if len(danger) > s.best_case_max_danger:
        gaps.append(_danger_gap(ctx, danger))
    return gaps


def _danger_gap(ctx: Context, danger: list[Finding]) -> str:
    """Why several danger signals keep a deal out of Best case, in words that fit the record: a buyer going
    quiet is a stalling deal; a rival or a price objection on a deal with recent two-way contact and a dated
    buyer step ahead is a contested one, still moving."""
    names = join(
        t(f"signal_name.{f.code.split('.', 1)[1]}", default=f.code.split(".", 1)[1].replace("_", " ")) for f in danger
    )
    facts = ctx.facts
    window = ctx.settings.stale_days.get(ctx.stage, 14)
    recent = facts.last_two_way is not None and (ctx.as_of - facts.last_two_way).days <= window
    ahead = next((i for i in facts.upcoming if i.kind != "close_date" and i.date > ctx.as_of), None)
    if recent and ahead is not None and not any(f.code in STALLING_SIGNALS for f in danger):
        return t("call.gap_contested", count=len(danger), names=names, last=facts.last_two_way, next=ahead.date)
    return t("call.gap_danger", count=len(danger), names=names)


DANGER_SIGNALS = (
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.meetings_rescheduled",
    "momentum.competitor_late",
    "momentum.competitor_counter",
    "momentum.budget_concern_late",
    "momentum.pending_internal_review",
)
"""Danger signals that show the buyer pulling back or the evaluation reopening (the seed's list, less the
late stakeholder and the undated next step, which a well-run deal meets too)."""

STALLING_SIGNALS = (
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.meetings_rescheduled",
    "momentum.pending_internal_review",
)
"""The danger signals that show the buyer pulling back (silence, moved meetings, a review with no word back);
the rest (a late rival, a late price objection) show the evaluation contested while the buyer still talks."""


_DECISION_STEP = re.compile(
    rf"\b(?:approv\w*|sign(?:ature|s|ing)?|decision|decides?|award|sign-off|{text.E_SIGN})\b",
    re.IGNORECASE,
)
"""A plan step that is the buyer's decision: an approval, the signature ("DocuSign"), the award."""
_ORDER_STEP = re.compile(r"\b(?:contract|purchase order|po|order form)\b", re.IGNORECASE)
"""A plan step that commits the buyer on paper (a contract, a PO): as much a decision step as a signature."""
_SIGNATURE_STEP = re.compile(
    r"^\W*(?:(?:contract|order form|po|purchase order|msa)\s+)?(?:signature|sign(?:ed|ing)?|execution|close)\W*$|"
    r"^\W*sign(?:ature)? (?:the )?(?:contract|order form|agreement|msa)\W*$",
    re.IGNORECASE,
)
"""A plan step that is only the signature ("Signature", "Contract signed", "Sign the order form"): with nothing
before it, the plan is the CRM close date written as a step."""


def _dated_process(ctx: Context) -> bool:
    if decision_stalled(ctx) is not None or step_overdue(ctx) is not None:
        return False  # the buyer's own decision, or the step it waits on, is overdue with no new date: not dated
    if ctx.grades["decision_process"] >= 2:
        return True
    step = signers_step(ctx.deal, {p.name for p in ctx.role(Role.ECONOMIC_BUYER)}, ctx.as_of)
    if step is not None and _DECISION_STEP.search(step.action):
        return True  # the signer owns the dated next step and it is the decision: "Fergal signs quote" on 12-08
    if lone_signature(ctx) is not None:
        return False
    open_states = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    # a decision step dated ahead: a plan that stops at "pilot ends" dates the pilot, not the decision
    return any(
        item.date
        and item.date >= ctx.as_of
        and item.status in open_states
        and (_DECISION_STEP.search(item.action or "") or _ORDER_STEP.search(item.action or ""))
        for item in ctx.deal.mutual_action_plan
    )


_REVIEW_STEP = re.compile(r"\b(?:review|committee|board|readout|read-out)\b", re.IGNORECASE)
"""A plan step in which the buyer's people judge the case before the decision: a committee, a board, a review."""
_PRICING_STEP = re.compile(r"\b(?:pric\w*|commercials?|quotes?|discount\w*|negotiat\w*)\b", re.IGNORECASE)
"""A plan step about the price: an open item of the terms, not a step the decision waits on."""


def step_overdue(ctx: Context) -> PlanItem | None:
    """A step of the buyer's plan that the decision waits on (their test of the criteria — a pilot readout, a
    trial, a POC — or a review, committee or board), marked late or blocked with its date passed and the
    decision still ahead of it: "Pilot readout with Renata" (11-30) late, "Signature" on 12-22. The steps after
    it cannot hold their dates, as after an overdue decision step (:func:`decision_stalled`), so the decision
    process is not dated (``pipeline-forecast-categories``: best case needs a "dated decision process"). A late
    paper or pricing step is an open item with its owner, not this; a test the record shows completed since is
    no longer open; the signer's own dated commitment settles it."""
    if ctx.facts.timing.committed:
        return None
    late = (PlanStatus.LATE, PlanStatus.BLOCKED)
    tested = [a.date for a in ctx.with_signal(Signal.TECHNICAL_VALIDATION)]
    signs = ctx.facts.timing.plan_signature or ctx.deal.close_date
    for item in sorted(ctx.deal.mutual_action_plan, key=lambda p: p.date or dt.date.max):
        if item.status not in late or item.date is None or item.date >= ctx.as_of:
            continue
        if signs is not None and item.date > signs:
            continue  # a step after the decision is delivery, not one the decision waits on
        action = item.action or ""
        if paper_step(action) or _PRICING_STEP.search(action) or _DECISION_STEP.search(action):
            continue  # paper and price are open items; an overdue decision step is decision_stalled's
        test = validation_step(action)
        if test and any(day >= item.date for day in tested):
            continue  # the test has been read out since, whatever the plan's status says
        if test or _REVIEW_STEP.search(action):
            return item
    return None


def lone_signature(ctx: Context) -> PlanItem | None:
    """The plan's signature step when it is all the plan holds and the decision process is below buyer-confirmed.

    Such a plan is the close date written as a step, not the buyer's process: nobody on the buyer's side has
    dated a step towards the signature (``pipeline-forecast-categories``: best case needs a "dated decision
    process"; ``pipeline-commit-gate``'s red flag "a MAP that was never sent to the buyer, or never
    acknowledged")."""
    if ctx.grades["decision_process"] >= 2:
        return None
    steps = [item for item in ctx.deal.mutual_action_plan if item.status != PlanStatus.CANCELLED]
    if not steps or not all(_SIGNATURE_STEP.search(item.action or "") for item in steps):
        return None
    return steps[-1]


def decision_stalled(ctx: Context) -> PlanItem | None:
    """A decision step of the buyer's plan (an approval, the signature) marked late or blocked and its date
    passed: the steps after it cannot hold their dates either. (A late paper or pricing step is an open item,
    not an undated decision.) Not when the buyer redated it: the deal's next step is that decision again, dated
    ahead, and a conversation with the buyer since the late step names that date ("ringi approved on 01-14, contract
    signed on 01-20", next step "Contract signature" on 2027-01-20). A step already on the plan before it went late
    ("Signature" on 12-18 behind a blocked approval) is no new date."""
    late = _late_decision(ctx)
    nxt = ctx.deal.next_step
    if late is None or nxt is None or not nxt.date or nxt.date < ctx.as_of or not _DECISION_STEP.search(nxt.action):
        return late
    people = ctx.deal.stakeholders
    said = [
        a for a in ctx.activities if late.date and a.date >= late.date and direction_of(a, people) != Direction.OUTBOUND
    ]
    return None if any(nxt.date in dates_in(a.summary, a.date) for a in said) else late


def _late_decision(ctx: Context) -> PlanItem | None:
    return next(
        (
            item
            for item in ctx.deal.mutual_action_plan
            if item.status in (PlanStatus.LATE, PlanStatus.BLOCKED)
            and item.date
            and item.date < ctx.as_of
            and _DECISION_STEP.search(item.action or "")
            and not paper_step(item.action)
        ),
        None,
    )


def _earned_upgrade(ctx: Context, findings: list[Finding], category: ForecastCategory) -> str | None:
    """Why the record earns a call above the rep's, or None when it does not."""
    if category == ForecastCategory.COMMIT:
        return t("call.earned_commit")
    if _upgrade_gap(ctx, findings):
        return None
    return t("call.earned_best_case")


def _upgrade_gap(ctx: Context, findings: list[Finding]) -> str:
    if ctx.grades["economic_buyer"] < 2:
        return t("call.gap_eb_not_met")
    shaky = [f for f in findings if f.code in ("momentum.meetings_rescheduled", "momentum.unanswered_outreach")]
    if shaky:
        return shaky[0].title.lower()
    danger = [
        f for f in findings if f.code.startswith("momentum.") and f.severity in (Severity.CRITICAL, Severity.HIGH)
    ]
    if danger:
        return danger[0].title.lower()
    return ""


# ------------------------------------------------------------------------------------------- health

DANGER = ("momentum.", "anti.", "account.poor_fit")
"""Finding families that are danger signals: they take the full health penalty."""

BUYER_COMMITMENTS = (
    "meddpicc.economic_buyer",
    "meddpicc.champion",
    "meddpicc.decision_process",
    "meddpicc.identified_pain",
    "meddpicc.metrics",
    "committee.missing_role",
)
"""Missing buyer commitments: also the full penalty."""

DOCUMENTATION = ("hygiene.", "data.", "stage.next_gate", "momentum.no_dated_next_step", "stage.unearned")
"""Bookkeeping that restates or records gaps: a fraction of the penalty."""

_NAMES = {severity: severity.value for severity in Severity}


SILENCE = (*STALLING_SIGNALS, "momentum.stale")
"""The buyer going quiet: no activity, the champion dark, chasing unanswered, meetings cancelled or moved, a
review with no word back. What the buyer does outweighs what the rep has not yet written down, so these take
half again the penalty. Without it a dead-quiet scoping deal (whose MEDDPICC gaps are lenient at its stage)
outscored a live validation deal with the same number of problems."""


RECORD_ONLY = ("hygiene.instruction_in_record",)
"""Findings about the CRM record, not the buyer (text planted for an AI): no health penalty at all."""


def weight(code: str) -> float:
    """How much of the severity's health penalty a finding takes: the buyer going quiet half again, bookkeeping
    a fifth, what is only about the record (:data:`RECORD_ONLY`) nothing, the rest in full."""
    if code in RECORD_ONLY:
        return 0.0
    if code in SILENCE:
        return 1.5
    if code.startswith(DOCUMENTATION):
        return 0.2
    return 1.0


QUIET_FACT = (
    "momentum.stale",
    "momentum.champion_dark",
    "momentum.unanswered_outreach",
    "momentum.pending_internal_review",
)
"""Findings that all rest on one buyer fact, the buyer has stopped answering: the deal's silence, the champion's,
the rep's unanswered chasing and a review nobody came back from are one stall seen from four sides."""


BUDGET_EVENTS = ("freeze", "spend_review", "cost_programme", "results")
"""Events at the buyer's company that are a budget concern: one buyer fact with ``momentum.budget_concern_late``."""


def facts_of(finding: Finding) -> frozenset[str]:
    """The buyer facts a finding rests on, for charging each fact once in :func:`health`.

    A MEDDPICC finding rests on its element; a missing committee role on the elements those roles are (an economic
    buyer nobody has named is the economic-buyer gap again); the silence findings (:data:`QUIET_FACT`) on the one
    fact that the buyer went quiet; a late stakeholder who is the signer (every newcomer it names) on the
    economic-buyer fact, the same person and the same gap. Every other finding is its own fact.
    """
    code = finding.code
    if code == "momentum.budget_concern_late" or (
        code == "momentum.company_event" and finding.data.get("kind") in BUDGET_EVENTS
    ):
        return frozenset({"budget"})  # a freeze or a cost programme the buyer names is their budget concern
    if code in QUIET_FACT:
        return frozenset({"quiet"})
    if code == "momentum.late_stakeholder" and finding.data.get("signers") == finding.data.get("names"):
        # the signer who came in late and is not yet sold (not met, or met and not backing it) is the economic-buyer
        # gap again, about the same person: Yarrabee's acting CFO "signs and has not been met" is one charge
        return frozenset({"economic_buyer"})
    if code.startswith("meddpicc."):
        return frozenset({code.removeprefix("meddpicc.")})
    if code == "committee.missing_role":
        roles = [str(role) for role in finding.data.get("missing", [])]
        return frozenset(roles) if roles else frozenset({code})
    return frozenset({code})


def health(ctx: Context, findings: list[Finding]) -> tuple[int, list[str]]:
    """Health 0-100 and its reasons, one per finding that moved it.

    Penalties compound, worst finding first: each takes ``health_penalty[severity]`` percent of the
    health that is left, times its :func:`weight` (danger signals and missing buyer commitments weigh
    more than documentation). Compounding keeps the first gaps expensive and the twelfth, which mostly
    restates the first ones, cheap. Positive signals add back points up to ``health_positive_cap``, never the
    points the first problem took: a deal with a problem to raise never reads 100. The result is scaled into the
    range of the call the evidence earns (``Settings.health_ceiling``, :func:`_range`): a deal the evidence keeps out
    of Commit does not read healthy, and Omitted costs no points of its own. A deal to disqualify (poor fit), on
    hold or to omit for silence is capped at ``Settings.health_disqualify_cap`` instead of the range: the fact is
    charged once. Each reason shows the points its finding took, so the reasons add up to the score.

    Each buyer fact is charged once (:func:`facts_of`): a finding whose facts a finding raised before it already
    charged takes nothing (the champion dark, the deal silent and the review with no word back are one stall; the
    signer nobody met and the committee with no economic buyer are one gap), so the first and largest charge stands.
    """
    s = ctx.settings
    if ctx.stage == Stage.CLOSED_LOST:
        return 0, [t("health.closed_lost")]
    penalty = {severity: s.health_penalty.get(name, 0) for severity, name in _NAMES.items()}
    remaining = 100
    reasons = []
    charged: set[str] = set()
    first = 0  # what the problem a manager raises first took: positive signals never buy it back
    for finding in ranked(findings):  # the problem a manager raises first takes the biggest share
        if penalty.get(finding.severity):
            facts = facts_of(finding)
            if facts <= charged:
                continue  # the same buyer fact, already charged by the finding raised before it
            charged |= facts
        taken = round(remaining * penalty[finding.severity] * weight(finding.code) / 100)
        if taken:
            first = first or taken
            remaining -= taken
            severity = term(finding.severity)
            reasons.append(t("health.penalty", points=taken, code=finding.code, severity=severity, title=finding.title))
    # signals lift a deal, they do not cancel its biggest problem: a deal with one never reads 100, and a signal
    # is a reason only for the points it added (a deal with nothing taken has nothing to add back)
    room = max(0, min(100 - first, remaining + s.health_positive_cap) - remaining)
    for finding in findings:
        if room and finding.code.startswith("positive.") and finding.code not in _NO_BONUS:
            step = min(s.health_positive_bonus, room)
            room -= step
            remaining += step
            reasons.append(t("health.bonus", points=step, code=finding.code, title=finding.title))
    score = max(0, remaining)
    category, ceiling, key = _range(ctx, findings)
    if ctx.deal.is_open and ctx.stage != Stage.CLOSED_WON and ceiling > s.health_unsigned_cap:
        ceiling, key = s.health_unsigned_cap, "health.scaled_unsigned"  # nothing reads 100 before the signature
    scaled = round(score * ceiling / 100)
    cap = _cap(ctx, findings)
    if cap is not None and scaled > cap[0]:
        # the fact that takes the deal out of the number is its verdict, charged once: no range on top of it
        reasons.append(t("health.capped", points=score - cap[0], cap=cap[0], reason=cap[1]))
        score = cap[0]
    elif scaled < score:
        reasons.append(
            t(key, points=score - scaled, ceiling=ceiling, category=term(category), before=score, after=scaled)
        )
        score = scaled
    return score, reasons


def _range(ctx: Context, findings: list[Finding]) -> tuple[ForecastCategory, int, str]:
    """The call that names the deal's health range, its ceiling and the reason line's key.

    An open deal left out of this period's number is ranged by its evidence, not by the omission: Omitted is the
    consequence of a fact (the date, the silence, the fit) that is charged where it is (a finding, the disqualify
    cap), and the category does not cost points again. The call its evidence earns (in the period it closes in,
    when that is later) names the range when it is Commit or best case; short of that, the deal reads at most
    ``health_ceiling["omitted"]`` (69, as best case: not yet Commit). The pipeline range is for a deal due this
    period without best-case evidence; a deal out of this period's number is not judged against this period's
    date."""
    s = ctx.settings
    gate = full_gate(ctx, findings)
    category = call(ctx, findings, gate)[0]
    if category != ForecastCategory.OMITTED or not ctx.deal.is_open:
        return category, s.health_ceiling.get(str(category), 100), "health.scaled"
    later = later_call(ctx, findings)
    earned = later[0] if later is not None else _open_call(ctx, findings, gate)[0]
    if earned in (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE):
        # said as what it is: out of this period's number, ranged by what its evidence earns (never "supports a
        # best case call" under a call of Omitted)
        return earned, s.health_ceiling.get(str(earned), 100), "health.scaled_omitted"
    return category, s.health_ceiling.get(str(category), 69), "health.scaled_short"


_NO_BONUS = ("positive.plan_step_ahead", "positive.buyer_waiting", "positive.introduction")
"""Positive findings that are no buyer's act: a date on the plan is something to confirm, not a signal earned."""


def _cap(ctx: Context, findings: list[Finding]) -> tuple[int, str] | None:
    s = ctx.settings
    if any(f.code == "account.poor_fit" for f in findings):
        return s.health_disqualify_cap, t("health.cap_poor_fit")
    if ctx.deal.is_open and ctx.stage != Stage.CLOSED_WON:
        if _no_pain(findings):
            return s.health_disqualify_cap, t("health.cap_no_pain")
        if ctx.facts.cancelled:
            return s.health_disqualify_cap, t("health.cap_cancelled")
        if ctx.facts.timing.on_hold:
            return s.health_disqualify_cap, t("health.cap_on_hold")
        if ctx.facts.rival_chosen:
            return s.health_disqualify_cap, t("health.cap_rival_chosen")
    last = ctx.last_touch or ctx.deal.created
    if (
        ctx.deal.is_open
        and ctx.stage != Stage.CLOSED_WON
        and (last is None or ctx.days_since(last) >= s.omit_dark_days)
    ):
        return s.health_disqualify_cap, t("health.cap_silent")
    return None
