"""The seed's ten anti-patterns, each fired only where the deal's data shows it.

============================  =====================================================================
code                          fires when
============================  =====================================================================
anti.happy_ears               CRM probability above the seed's stage probability by more than the
                              margin; or several MEDDPICC elements "confirmed" with no evidence; or
                              certainty phrases ("done deal", "they love it") while a due element is unknown
anti.single_threading         at most one live contact (engaged stakeholder or person in a completed
                              activity); a small deal whose one contact is the economic buyer is exempt
anti.feature_dumping          a completed demo described as a tour of features, or demos while neither
                              pain nor metrics is known; high from validation with three or more demos
                              and neither pain nor metrics buyer-confirmed
anti.proposal_too_early       a proposal sent (completed proposal activity, or the deal at proposal or
                              later) before value is established (metrics below buyer-confirmed) or while
                              the economic buyer is unknown
anti.hoping_not_controlling   from validation, no mutual action plan, or two or more plan steps overdue
anti.demo_before_discovery    the first demo came before any discovery meeting or call, or demos happened
                              while the pain is still unknown
anti.ignoring_competition     from validation, no alternative known at all (not even status quo)
anti.neglecting_champion      from validation, a champion with no enablement on record (business case,
                              ROI model, exec summary… or the ``champion_enabled`` tag)
anti.forecast_fantasy         called Commit (``forecast_category: commit``, or no category and a CRM probability
                              at ``Settings.commit_probability``) and the Commit gate fails; or called best case
                              while the buyer's own plan signs after the period (counted in the wrong period),
                              or before the stage where best case starts (discovery, scoping)
anti.post_close_abandonment   closed won with no handoff on record (kick-off, onboarding, success plan…)
============================  =====================================================================
"""

from __future__ import annotations

import datetime as dt

from ae_coach.deal import (
    STAGE_PROBABILITY,
    ActivityStatus,
    ActivityType,
    ForecastCategory,
    Role,
    Signal,
    Stage,
)
from ae_coach.findings import MEDDPICC_ELEMENTS, Finding, Severity
from ae_coach.i18n import t
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, describe, plural, stage_word
from ae_coach.inspector.forecast import commit_gate, period, plan_after_period
from ae_coach.inspector.meddpicc import DUE_BY

_LATE = (Stage.PROPOSAL, Stage.CLOSING)


def inspect(ctx: Context) -> list[Finding]:
    """Every anti-pattern the data shows."""
    if ctx.stage == Stage.CLOSED_WON:
        found = _post_close(ctx)
        return [found] if found else []
    if not ctx.deal.is_open:
        return []
    checks = (
        _happy_ears,
        _single_threading,
        _feature_dumping,
        _proposal_too_early,
        _hoping,
        _demo_before_discovery,
        _ignoring_competition,
        _neglecting_champion,
        _forecast_fantasy,
    )
    return [f for check in checks if (f := check(ctx)) is not None]


def _happy_ears(ctx: Context) -> Finding | None:
    s, deal = ctx.settings, ctx.deal
    reasons = []
    expected = STAGE_PROBABILITY[ctx.stage]
    if deal.probability is not None and deal.probability > expected + s.happy_ears_probability_margin:
        reasons.append(
            f"probability {deal.probability:g}% at {ctx.stage.value}; the seed's stage probability is {expected}%"
        )
    bare = [name for name, fact in ctx.facts.elements.items() if fact.unsupported_claim]
    if len(bare) >= s.happy_ears_unsupported_confirmed:
        reasons.append(
            f"{len(bare)} MEDDPICC elements marked confirmed with no evidence and nothing in the record behind them: "
            f"{', '.join(bare)}"
        )
    due_unknown = [n for n in MEDDPICC_ELEMENTS if ctx.grades[n] == 0 and DUE_BY[n].order <= ctx.stage.order]
    if due_unknown:
        optimism = _optimism(ctx)
        if optimism:
            phrase, where = optimism
            reasons.append(f"{text.quote(phrase)} in {where} while {', '.join(due_unknown)} still unknown")
    if not reasons:
        return None
    heard = len(reasons) - (1 if len(bare) >= s.happy_ears_unsupported_confirmed else 0)
    # Boxes ticked with nothing behind them are form-filling (hygiene.evidence_missing restates it); the
    # anti-pattern is *hearing* what you want: a probability or certainty the evidence does not support.
    # Form-filling alone is a gap to clean up (medium), never a headline over what the deal is doing.
    if not heard:
        severity = Severity.MEDIUM
    else:
        severity = Severity.HIGH if ctx.stage in _LATE or len(reasons) >= 2 else Severity.MEDIUM
    return ctx.finding("anti.happy_ears", severity, "Optimism the evidence does not support", reasons)


def _optimism(ctx: Context) -> tuple[str, str] | None:
    """The first certainty phrase in the notes, then in past activities (oldest first), and where it is."""
    phrase = text.find(text.OPTIMISM, ctx.deal.notes)
    if phrase:
        return phrase, "the notes"
    for activity in ctx.past:
        phrase = text.find(text.OPTIMISM, activity.summary)
        if phrase:
            return phrase, f"the {activity.date.isoformat()} {activity.type.value}"
    return None


def _single_threading(ctx: Context) -> Finding | None:
    contacts = ctx.contacts
    if len(contacts) > 1:
        return None
    small = 0 < ctx.size < ctx.settings.committee_small_deal_amount
    ebs = {s.name.strip().lower() for s in ctx.role(Role.ECONOMIC_BUYER)}
    if small and contacts and set(contacts) <= ebs:
        return None  # a small deal run by the person who signs is not fragile
    if ctx.stage.order < ctx.settings.single_thread_from_stage.order:
        severity = Severity.LOW
    elif ctx.stage.order < Stage.VALIDATION.order:
        severity = Severity.MEDIUM
    else:
        severity = Severity.HIGH
    who = next(iter(contacts.values())) if contacts else None
    evidence = [
        f"one live contact: {who}"
        if who
        else "no live contact: no engaged stakeholder and no completed activity with a named person"
    ]
    evidence.append(
        f"{plural(len(ctx.deal.stakeholders), 'stakeholder')} on record, {sum(s.engaged for s in ctx.deal.stakeholders)} engaged"
    )
    return ctx.finding(
        "anti.single_threading",
        severity,
        f"The deal rests on one contact: {who}" if who else "The deal rests on no live contact",
        evidence,
        contacts=len(contacts),
        **({"name": who} if who else {}),
    )


def _demos(ctx: Context) -> list:
    return [a for a in ctx.touches if a.type == ActivityType.DEMO]


def _feature_dumping(ctx: Context) -> Finding | None:
    demos = _demos(ctx)
    if not demos:
        return None
    tours = [a for a in demos if text.find(text.FEATURE_TOUR, a.summary)]
    unanchored = ctx.grades["identified_pain"] == 0 and ctx.grades["metrics"] == 0
    if not tours and not unanchored:
        return None
    evidence = [f"feature tour: {describe(a)}" for a in tours]
    if unanchored:
        evidence.append(f"{plural(len(demos), 'demo')} while neither identified_pain nor metrics is known")
    # One tour is a habit to fix; demo after demo past scoping with no buyer-confirmed pain or metric is the
    # deal's story: the evaluation runs on the product, not on the buyer's problem.
    habit = (
        len(demos) >= _FEATURE_DUMP_DEMOS
        and ctx.stage.order >= Stage.VALIDATION.order
        and ctx.grades["identified_pain"] < 2
        and ctx.grades["metrics"] < 2
    )
    if habit:
        evidence.append(
            f"{plural(len(demos), 'demo')} at {ctx.stage.value} and neither the pain nor a metric is buyer-confirmed"
        )
    return ctx.finding(
        "anti.feature_dumping",
        Severity.HIGH if habit else Severity.MEDIUM,
        "Demos not connected to stated pain or metrics",
        evidence,
        demos=len(demos),
    )


_FEATURE_DUMP_DEMOS = 3
"""Demos that make feature dumping the deal's pattern rather than one tour (ae-coach default)."""


def _proposal_too_early(ctx: Context) -> Finding | None:
    sent = [a for a in ctx.touches if a.type == ActivityType.PROPOSAL]
    if not sent and ctx.stage not in _LATE:
        return None
    gaps = []
    if ctx.grades["metrics"] < 2 and not ctx.facts.elements["metrics"].unsupported_claim:
        # metrics marked confirmed with an empty note are a hygiene gap (hygiene.evidence_missing), not value unproven
        gaps.append(f"metrics not buyer-confirmed (grade {ctx.grades['metrics']})")
    if ctx.grades["economic_buyer"] == 0:
        gaps.append("economic buyer unknown")
    if sent and ctx.stage.order <= Stage.SCOPING.order:
        gaps.append(f"pricing sent while the deal is at {ctx.stage.value}")
    if not gaps:
        return None
    what = describe(sent[0]) if sent else f"the deal is at {ctx.stage.value}"
    severity = (
        Severity.HIGH
        if ctx.grades["economic_buyer"] == 0 or ctx.stage.order <= Stage.SCOPING.order
        else Severity.MEDIUM
    )
    return ctx.finding(
        "anti.proposal_too_early", severity, "Pricing sent before value was established", [f"proposal: {what}", *gaps]
    )


def _hoping(ctx: Context) -> Finding | None:
    if ctx.stage.order < ctx.settings.map_required_from_stage.order:
        return None
    plan = ctx.deal.mutual_action_plan
    late = ctx.stage in _LATE
    if not plan and 0 < ctx.size < ctx.settings.committee_small_deal_amount:
        return None  # below the tier-4 band an order form is the plan (the Commit gate asks for none either)
    if not plan:
        quiet = ctx.facts.timing.quiet_period
        evidence = [t("evidence.map_empty", stage=stage_word(ctx.stage))]
        if quiet:  # a tender's timetable is the buyer's, and contact is forbidden: the plan cannot be joint now
            evidence.append(f"the buyer's quiet period forbids contact ({quiet})")
        return ctx.finding(
            "anti.hoping_not_controlling",
            Severity.HIGH if late and not quiet else Severity.MEDIUM,
            "No mutual action plan: waiting, not controlling",
            evidence,
        )
    overdue = [i for i in plan if i.overdue(ctx.as_of)]
    if len(overdue) < 2:
        return None
    return ctx.finding(
        "anti.hoping_not_controlling",
        Severity.MEDIUM,
        f"Mutual action plan not maintained: {len(overdue)} steps overdue",
        [f"overdue: {i.date} {text.quote(i.action)} ({i.status.value})" for i in overdue],
        overdue=len(overdue),
    )


def _demo_before_discovery(ctx: Context) -> Finding | None:
    demos = _demos(ctx)
    if not demos:
        return None
    first = demos[0]
    talks = [a for a in ctx.touches if a.type in (ActivityType.MEETING, ActivityType.CALL) and a.date < first.date]
    reasons = []
    if not talks:
        reasons.append(f"first demo {describe(first)} came before any discovery meeting or call")
    if ctx.grades["identified_pain"] == 0:
        reasons.append("identified_pain is still unknown")
    if not reasons:
        return None
    return ctx.finding(
        "anti.demo_before_discovery", Severity.MEDIUM, "Product shown before needs were understood", reasons
    )


def _ignoring_competition(ctx: Context) -> Finding | None:
    if ctx.stage.order < ctx.settings.competition_required_from_stage.order:
        return None
    if ctx.alternatives or ctx.grades["competition"] > 0:
        return None
    return ctx.finding(
        "anti.ignoring_competition",
        Severity.HIGH if ctx.stage in _LATE else Severity.MEDIUM,
        f"At {ctx.stage.value}, the deal assumes there is no alternative (not even the status quo)",
        [t("evidence.no_alternative_at", stage=stage_word(ctx.stage))],
    )


def _neglecting_champion(ctx: Context) -> Finding | None:
    if ctx.stage.order < ctx.settings.champion_enablement_from_stage.order:
        return None
    champions = ctx.role(Role.CHAMPION)
    if not champions:
        return None  # no champion is meddpicc.champion's finding
    if ctx.has_signal(Signal.CHAMPION_ENABLED) or ctx.has_signal(Signal.INTERNAL_DOCS_SHARED):
        return None
    if ctx.facts.elements["champion"].record:
        return None  # a champion who got us meetings and documents is selling for us already
    return ctx.finding(
        "anti.neglecting_champion",
        Severity.MEDIUM,
        "The champion is not being equipped to sell internally",
        [
            f"{champions[0].name} (champion): nothing on record shows the {ctx.facts.case} worked through with them"
            if ctx.facts.case
            else t("evidence.champion_no_case", name=champions[0].name)
        ],
    )


def _forecast_fantasy(ctx: Context) -> Finding | None:
    deal = ctx.deal
    called = deal.forecast_category == ForecastCategory.COMMIT or (
        deal.forecast_category is None
        and deal.probability is not None
        and deal.probability >= ctx.settings.commit_probability
    )
    if not called:
        return _wrong_period(ctx)
    unmet = commit_gate(ctx)
    if not unmet:
        return None
    how = (
        "forecast_category: commit"
        if deal.forecast_category == ForecastCategory.COMMIT
        else f"probability {deal.probability:g}%"
    )
    # Usually the call is wrong because of gaps that are findings of their own; the fantasy is their
    # consequence and is raised with them (medium). A Commit at proposal or later with nobody who can sign
    # met in the record rests on the rep's word alone: that is the forecast a manager cannot defend upward,
    # raised first with the other forecast-integrity findings (high; see ae_coach.inspector.priority).
    signer_unmet = ctx.stage.order >= Stage.PROPOSAL.order and ctx.grades["economic_buyer"] < 2
    # the buyer's own plan signs after the period, or the buyer's own word places the decision later: the Commit
    # is counted in the wrong quarter, the number the manager defends upward is wrong whatever the deal's quality
    # (forecast integrity, high)
    wrong_period = plan_after_period(ctx)
    buyer_later = ctx.facts.timing.doubt is not None
    # a Commit before the deal could even be best case (scoping, discovery): the call, not a gap, is the problem
    too_early = ctx.stage.order < ctx.settings.best_case_min_stage.order
    evidence = [how] + [f"gate: {item}" for item in unmet]
    if signer_unmet:
        evidence.insert(1, t("evidence.commit_no_signer"))
    return ctx.finding(
        "anti.forecast_fantasy",
        Severity.HIGH if signer_unmet or wrong_period or buyer_later or too_early else Severity.MEDIUM,
        "Committed deal that fails the Commit gate",
        evidence,
        why_not_commit=unmet,
        signer_unmet=signer_unmet,
        form_filled=_form_filled(ctx),
        wrong_period=wrong_period is not None,
        buyer_later=buyer_later,
        too_early=too_early,
    )


def _wrong_period(ctx: Context) -> Finding | None:
    """The rep counts the deal in this period's forecast (best case, with a CRM close date inside the period) while
    the buyer's own plan signs after the period, or the record says the close date cannot hold (``timing.doubt``):
    the number the manager defends upward is wrong whatever the deal's quality (forecast integrity). A best case
    closing in a later period is that period's call, not this one's."""
    deal = ctx.deal
    if deal.forecast_category != ForecastCategory.BEST_CASE or not deal.is_open:
        return None
    if deal.close_date is None or deal.close_date < ctx.as_of or deal.close_date not in period(ctx):
        return None
    if ctx.stage.order < ctx.settings.best_case_min_stage.order:
        # best case this period before the deal could be best case at all (discovery, scoping): the call, not
        # a gap, is the problem (pipeline-forecast-categories: best case starts at validation)
        stage = ctx.settings.best_case_min_stage.value
        return ctx.finding(
            "anti.forecast_fantasy",
            Severity.HIGH,
            f"Counted as best case this period at {ctx.stage.value}; best case starts at {stage}",
            ["forecast_category: best_case", f"close date {deal.close_date}, inside the period, at {ctx.stage.value}"],
            why_not_commit=commit_gate(ctx),
            signer_unmet=False,
            form_filled=_form_filled(ctx),
            wrong_period=False,
            too_early=True,
        )
    signs = plan_after_period(ctx)
    doubt = ctx.facts.timing.doubt
    if signs is not None:
        title, said, later = (
            "Counted in this period, but the buyer's own plan signs after it",
            f"the buyer's plan signs on {signs}, after the forecast period",
            False,
        )
    elif doubt is not None:
        # the record says the close date cannot hold (the buyer places the decision after it, "we will not commit
        # before the award on 22 January", or the rep's notes call it a placeholder): a best case counted on it is
        # the same wrong number as one whose plan signs after the period
        title, said, later = (
            "Counted as best case on a close date the record does not support",
            f"the close date {deal.close_date} cannot be believed: {doubt}",
            not doubt.startswith("notes:"),
        )
    else:
        return None
    return ctx.finding(
        "anti.forecast_fantasy",
        Severity.HIGH,
        title,
        ["forecast_category: best_case", said],
        why_not_commit=commit_gate(ctx),
        signer_unmet=False,
        form_filled=False,
        wrong_period=signs is not None,
        buyer_later=later,
    )


def _form_filled(ctx: Context) -> bool:
    """The rep's MEDDPICC is boxes ticked with nothing behind them (as many unsupported claims as make happy ears)."""
    bare = [fact for fact in ctx.facts.elements.values() if fact.unsupported_claim]
    return len(bare) >= ctx.settings.happy_ears_unsupported_confirmed


def _post_close(ctx: Context) -> Finding | None:
    closed = ctx.stage_entered(Stage.CLOSED_WON) or ctx.deal.close_date or ctx.as_of
    since = closed - dt.timedelta(days=7)  # kick-offs are often booked in the week of signature
    dropped = (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)
    # a kick-off held (or booked), not a buyer's email asking where it is ("who is our implementation contact?")
    handoff = [
        a
        for a in ctx.with_signal(Signal.HANDOFF, include_future=True)
        if a.date >= since
        and a.status not in dropped
        and (a.signals is not None or a.type in (ActivityType.MEETING, ActivityType.CALL, ActivityType.DEMO))
    ]
    planned = [i for i in ctx.deal.mutual_action_plan if text.find(text.SIGNAL_PATTERNS[Signal.HANDOFF], i.action)]
    if handoff or planned:
        return None
    days = max(0, ctx.days_since(closed))
    return ctx.finding(
        "anti.post_close_abandonment",
        Severity.HIGH if days > ctx.settings.post_close_grace_days else Severity.MEDIUM,
        "Won deal with no handoff or success plan",
        [f"closed won {closed.isoformat()} ({days} days ago): no kick-off, onboarding or success plan on record"],
        days=days,
    )
