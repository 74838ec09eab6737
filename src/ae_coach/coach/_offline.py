"""The offline coach: a complete review composed from the findings, the deal's facts and the rules.

Deterministic and free. Findings are taken in the order a manager raises them
(:mod:`ae_coach.inspector.priority`), which sets the headline, the risks and the actions. Actions come from
rule steps marked for each finding's code (:mod:`ae_coach.coach._actions`), questions from rule questions
marked the same way (:mod:`ae_coach.coach._questions`), and the mutual action plan is drafted on working
days back from the close date (:mod:`ae_coach.coach._plan`). The call, the headline and the first action
come from one assessment, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ae_coach._patterns import lazy
from ae_coach.coach._actions import (
    ACTION_SEVERITIES,
    gone_dark,
    plan,
    rules_for,
    stopped_by_event,
)
from ae_coach.coach._buyer_steps import with_buyer_steps
from ae_coach.coach._people import contact_name, person_in_role
from ae_coach.coach._plan import PREPARED_BY, Hold, decisive, draft_plan, join_notes, weekday_name
from ae_coach.coach._plan_order import in_order
from ae_coach.coach._questions import questions
from ae_coach.coach._risks import risks, title, told
from ae_coach.coach._situation import BURDEN, _only_signing, baseline, burden, signer_review
from ae_coach.coach.report import CoachingReport, Forecast, Health, MapStep
from ae_coach.deal import STAGE_ORDER, ForecastCategory, Stage
from ae_coach.deal.calendar import NO_REPLY_DAYS, calendar_for
from ae_coach.i18n import current, t, term
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.text import SENIOR_TITLE
from ae_coach.inspector.text import quote as text_quote

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rulebook

__all__ = ["compose", "headline", "rules_for"]


def headline(deal: Deal, assessment: Any) -> str:
    """One line a sales manager would say: health, the category the evidence supports, the worst problem."""
    name = deal.account + (f" ({deal.name})" if deal.name else "")
    # The problem a manager would raise first: worst severity, then the deal's story before checklist
    # gaps (ae_coach.inspector.priority), not the alphabetically first code.
    worst = next((f for f in ranked(assessment.findings) if f.severity in ACTION_SEVERITIES), None)
    lost = str(deal.stage) == "closed_lost"  # a lost deal's findings are what lost it (inspector.loss)
    early = _early_gaps(deal, assessment.findings) if worst and worst.severity == "medium" else None
    problem = (
        t(
            "coach.headline.lost_to" if lost else "coach.headline.problem",
            problem=_lower_first(told(worst, deal, assessment), deal),
        )
        if worst and not early
        else t("coach.headline.early", gaps=early)
        if early
        else t("coach.headline.no_problem")
    )
    if not deal.is_open:
        return t("coach.headline.closed", name=name, stage=term(deal.stage), health=assessment.health, problem=problem)
    later = getattr(assessment, "later_forecast", None)
    claimed = deal.forecast_category
    if later is not None:
        verdict = t(
            "coach.headline.later",
            period=assessment.period.label,
            close=deal.close_date,
            category=_label(later),
            later=assessment.later_period,
        )
        if claimed is not None and str(claimed) not in (str(later), "omitted"):
            verdict += t("coach.headline.not_claimed", claimed=_label(claimed))
    else:
        verdict = t("coach.headline.call", category=_label(assessment.recommended_forecast))
        if claimed is not None and str(claimed) != str(assessment.recommended_forecast):
            verdict += t("coach.headline.not_claimed", claimed=_label(claimed))
    line = t("coach.headline.open", name=name, verdict=verdict, health=assessment.health, problem=problem)
    if deal.is_open and assessment.tier == 4:
        line += t("coach.headline.tier_4")
    return line


_EARLY_GAPS = ("meddpicc.economic_buyer", "meddpicc.metrics", "meddpicc.decision_process")
"""Element gaps said in the early headline, in the order a manager asks: who signs, the number, how they decide."""


def _early_gaps(deal: Deal, findings: list[Any]) -> str | None:
    """At discovery or before, when the worst problem is an element nobody is expected to know yet (medium, due at a
    later stage): what discovery still has to find, the deal's one contact first, instead of a checklist gap
    presented as the biggest problem ("decision process not known at discovery", a blind VP grade: normal 25 days in).
    None when anything on record is worse than that."""
    if STAGE_ORDER[Stage(str(deal.stage))] > STAGE_ORDER[Stage.DISCOVERY]:
        return None
    serious = [f for f in findings if f.severity in ACTION_SEVERITIES]
    if any(not f.code.startswith("meddpicc.") or f.data.get("grade") != 0 for f in serious):
        return None
    by_code = {f.code: f for f in findings}
    gaps = []
    single = by_code.get("anti.single_threading")
    if single and single.data.get("name"):
        gaps.append(t("coach.headline.early_second", name=single.data["name"]))
    # an element known in part (a signer the rep names) is not something discovery has yet to find
    unknown = [code for code in _EARLY_GAPS if code in by_code and by_code[code].data.get("grade") == 0]
    gaps += [t(f"coach.headline.early_{code.split('.')[1]}") for code in unknown]
    if not gaps:
        return None
    return (
        t("coach.headline.early_separator").join(gaps[:-1]) + t("coach.headline.early_and") + gaps[-1]
        if len(gaps) > 1
        else gaps[0]
    )


_CODE = lazy(r"\b[a-z_]+\.[a-z_]+\b")


def _forecast(deal: Deal, assessment: Any) -> Forecast:
    """The call, its reasons and why it is not Commit, each line once: a Best Case call's reasons end with its
    first "not Commit" line, which the renderers print again from ``why_not_commit``."""
    gate = commit_gate(deal, assessment)
    printed = {t("call.not_commit", reason=line) for line in gate}
    return Forecast(
        category=assessment.recommended_forecast,
        period=assessment.period.label,
        reasons=[line for line in assessment.forecast_reasons if line not in printed],
        why_not_commit=gate,
    )


def commit_gate(deal: Deal, assessment: Any) -> list[str]:
    """Why the deal is not Commit: every condition when the rep, the CRM or ae-coach calls it Commit, one line
    that names the unmet conditions when Commit is the next move (a best case call), and nothing when the deal
    is not yet best case: its next move is to best case, and the forecast reasons name what that takes. A Best
    Case deal does not need seven "not Commit" lines with the inspector's grades and finding codes in them, and
    an early scoping deal does not need the twelve conditions of a Commit it is quarters away from."""
    reasons = list(assessment.why_not_commit)
    calls = {str(deal.forecast_category), str(assessment.recommended_forecast)}
    if "commit" in calls or len(reasons) <= 1:
        return reasons
    effective = str(assessment.later_forecast or assessment.recommended_forecast)
    if effective != "best_case":
        return []  # the next move is to best case (the forecast reasons name what it takes), not the Commit gate
    heads = [re.split(r"[:：]", r, maxsplit=1)[0] for r in reasons]
    signals = sum(1 for h in heads if _CODE.search(h))
    names = [re.sub(r"\s*[(（].*?[)）]", "", h) for h in heads if not _CODE.search(h)]
    if signals:
        names.append(
            t("coach.gate_signals", count=signals) if signals > 1 else t("coach.gate_signal")
        )  # the gate's one "no open danger signal" condition
    unmet = list(dict.fromkeys(names))
    return [t("coach.gate_summary", count=len(unmet), names=", ".join(unmet))]


_REASON = lazy(r"^([+-]\d+) ([a-z_]+\.[a-z_]+)(?: ?[(（][^)）]*[)）])?[:：] ?(.*)$")


def _health_reasons(deal: Deal, assessment: Any) -> list[str]:
    """What moved the score, in the risks' words: "-12 Mark Stone (CFO, economic buyer): met on …", not a
    finding code with the inspector's severity and the seed's red flag."""
    by_code = {f.code: f for f in assessment.findings}
    out = []
    for reason in assessment.health_reasons:
        m = _REASON.match(reason)
        finding = by_code.get(m.group(2)) if m else None
        out.append(f"{m.group(1)} {title(finding, deal, assessment)}" if m and finding else reason)
    return out


def _stalled(deal: Deal, assessment: Any) -> str | None:
    """Why the buyer side has gone quiet, when it has past the stage's limit (momentum.stale, high or worse)."""
    stale = next((f for f in assessment.findings if f.code == "momentum.stale" and f.severity.rank <= 1), None)
    return _lower_first(title(stale, deal, assessment), deal) if stale and deal.is_open else None


_COMMERCIAL = ("momentum.budget_concern_late", "momentum.competitor_late")
"""Findings that put a commercial step (the business case, a negotiation) before any paper: an open price
objection, a competitor back in the deal."""


def _commercial_first(assessment: Any) -> bool:
    """The paper waits for the business case: a price objection, a competitor back, or a new economic buyer."""
    codes = {f.code for f in assessment.findings}
    new_signer = "momentum.late_stakeholder" in codes and "meddpicc.economic_buyer" in codes
    return bool(codes & set(_COMMERCIAL)) or new_signer


def _gate(deal: Deal, assessment: Any) -> str | None:
    """What a deal the call leaves out of the forecast (Pipeline, Omitted) has to earn before steps to signature
    are drafted: meeting the signer, an answered objection, or a buyer-confirmed close date."""
    # a deal out of this period only by its date is planned by the call its evidence earns for its own period
    category = assessment.later_forecast or assessment.recommended_forecast
    if not deal.is_open or category not in (ForecastCategory.PIPELINE, ForecastCategory.OMITTED):
        return None
    if person_in_role(deal, "economic_buyer") is None:
        return t("plan.gate.economic_buyer")
    if _commercial_first(assessment):
        return t("plan.gate.objection")
    passed = deal.close_date is None or deal.close_date < assessment.as_of
    if passed:
        return t("plan.gate.no_date")
    # news at the buyer's company: the date waits on the signer's word on it
    return t("plan.gate.event") if stopped_by_event(assessment.findings) else t("plan.gate.date")


def _lower_first(text: str, deal: Deal) -> str:
    """ "Close date pushed" -> "close date pushed" inside a sentence; a title that opens with a name of the
    deal (a person, a competitor, the account) keeps its capital."""
    first = re.split(r"[\s:(,'’]", text, maxsplit=1)[0]
    names = {w for s in deal.stakeholders for w in s.name.split()} | {
        w for c in deal.competitors for w in c.name.split()
    }
    if first in names or first in deal.account.split():
        return text
    return text[:1].lower() + text[1:]


def _label(x: Any) -> str:
    return term(x).title() if current() == "en" else term(x)


def compose(deal: Deal, assessment: Any, rulebook: Rulebook, settings: Any = None) -> CoachingReport:
    """The offline report for a deal and its assessment (``settings``: the inspector's, for the holiday calendar)."""
    as_of = assessment.as_of
    if deal.as_of != as_of:  # a review for another day (--as-of): every step's words read the record as of it too
        deal = deal.model_copy(update={"as_of": as_of})
    calendar = calendar_for(settings, deal)
    actions = plan(deal, assessment, rulebook, calendar)
    # a drafted step comes after the action that prepares it (who owns the paper, meeting the signer)
    ready: dict[str, Any] = {}
    for action in actions:
        for kind in (k for code in action.finding_codes for k in PREPARED_BY.get(code, ())):
            if action.due is not None:
                ready[kind] = max(ready.get(kind, action.due), calendar.add(action.due, 1))
    # a meeting the review books with a signer who is not backing the deal is the gate the plan waits on
    held = max((a.held_by for a in actions if a.held_by is not None), default=None)
    if held is not None:
        ready["decision"] = max(ready.get("decision", held), held)
    listed, also = risks(deal, assessment, actions)
    stalled = _stalled(deal, assessment)
    drafted = draft_plan(
        deal,
        as_of,
        calendar,
        ready,
        stalled,
        _gate(deal, assessment),
        _commercial_first(assessment),
        committed=bool(assessment.facts.timing.committed),
        self_serve=assessment.tier == 4,
        call_holds=assessment.recommended_forecast in (ForecastCategory.BEST_CASE, ForecastCategory.COMMIT),
        facts=assessment.facts,
        hold=_hold(deal, assessment, actions, calendar),
        signer_booked=held is not None,
    )
    drafted = _before_their_turn(drafted, assessment)
    if not stalled:  # a plan the buyer has gone quiet on drafts nothing more until they reply
        drafted = with_buyer_steps(drafted, deal, assessment.facts, calendar)
    drafted = in_order(drafted, deal, assessment.facts, calendar)
    if assessment.facts.rival_chosen or assessment.facts.cancelled:
        drafted = _plan_off(
            drafted, "plan.rival_chosen" if assessment.facts.rival_chosen else "plan.purchase_cancelled"
        )
    return CoachingReport(
        deal_id=deal.id,
        account=deal.account,
        as_of=as_of,
        backend="offline",
        headline=headline(deal, assessment),
        decides=decides(deal, assessment, actions, drafted, calendar),
        health=Health(score=assessment.health, reasons=_health_reasons(deal, assessment)),
        forecast=_forecast(deal, assessment),
        risks=listed,
        also_risks=also,
        next_actions=actions,
        questions=questions(deal, assessment, rulebook, actions),
        mutual_action_plan=drafted,
    )


def _plan_off(drafted: list[MapStep], why: str) -> list[MapStep]:
    """The buyer chose another vendor or called the purchase off: nothing is drafted toward a signature they will not
    give us. The buyer's own steps stay as the record has them; the open ones are off (``why``, an i18n key) unless
    that choice falls through."""
    off = t(why)
    return [
        s if s.status == "done" else s.model_copy(update={"status": "at_risk", "note": off})
        for s in drafted
        if s.kind == "agreed"
    ]


def _blocker(assessment: Any, actions: list[Any]) -> str | None:
    """The buyer's own process blocked, when a MEDDPICC finding leads with it (``data["blocked"]``): a document to
    sign before it starts, or an approving body whose sitting has no date. No step of the plan decides the deal
    while that holds: the signature of the document, or the sitting's date, by the day the action carrying it is due."""
    found = next((f for f in ranked(assessment.findings) if f.data.get("blocked")), None)
    action = next((a for a in actions if found is not None and found.code in a.finding_codes and a.due), None)
    if found is None or action is None:
        return None
    if found.data["blocked"] == "precondition":
        return t("coach.decides_precondition", date=action.due)
    if found.data["blocked"] == "condition":
        return t("coach.decides_condition", date=action.due)
    name = contact_name(action.contact) if action.contact else None
    return t("coach.decides_sitting", name=name, date=action.due) if name else None


OUR_ANSWER_DAYS = 2
"""Working days after the internal escalation by which our own team's answer is due (ae-coach default): the
escalation asks for a decision, not another week of review (``deal-paper-process`` step 16)."""


def _ours(assessment: Any, actions: list[Any], calendar: Any) -> str | None:
    """The paper held up on our own side (the lead paper finding's ``ours``): whether our team answers, by the day
    after the escalation that carries it, decides the deal; the buyer's own steps only start from there."""
    found = next((f for f in ranked(assessment.findings) if f.data.get("ours")), None)
    action = next((a for a in actions if found is not None and found.code in a.finding_codes and a.due), None)
    if found is None or action is None:
        return None
    timing = assessment.facts.timing
    end = max((d for d in (timing.paper_ends, timing.sequence_ends) if d is not None), default=None)
    after = t("coach.decides_ours_after", date=end) if end is not None else ""
    team = t(f"finding.our_team.{found.data.get('ours_team', 'legal')}")
    date = calendar.add(action.due, OUR_ANSWER_DAYS)
    return t("coach.decides_ours", team=team, date=date, source=found.data["ours"], after=after)


_SUBJECT_WORD = lazy(r"[A-Za-z][A-Za-z-]{3,}")
_NO_SUBJECT = frozenset(
    {"their", "then", "that", "this", "with", "from", "will", "only", "start", "starts", "can", "the"}
)


def _before_their_turn(drafted: list[MapStep], assessment: Any) -> list[MapStep]:
    """A step of the buyer's own plan dated before the buyer's written sequence lets it start ("Ringi approval" on
    12-15, when "the ringi can only start after the security check", which runs to 01-19): at risk, with the day
    their own steps allow, instead of "planned" beside a headline that says the process ends in February."""
    waits = assessment.facts.timing.sequence_waits
    if not waits:
        return drafted
    out = []
    for step in drafted:
        if step.kind == "agreed" and step.status == "planned" and step.date >= assessment.as_of:
            words = {w.lower() for w in _SUBJECT_WORD.findall(step.action)} - _NO_SUBJECT
            late = next(
                (
                    (start, subject)
                    for start, subject in waits
                    if step.date < start and words & ({w.lower() for w in _SUBJECT_WORD.findall(subject)} - _NO_SUBJECT)
                ),
                None,
            )
            if late is not None:
                note = t("plan.before_their_turn", date=late[0], subject=text_quote(late[1]))
                step = step.model_copy(
                    update={
                        "status": "at_risk",
                        "note": join_notes(step.note, note),
                    }
                )
        out.append(step)
    return out


def _after_the_quarter(deal: Deal, assessment: Any, where: str = "coach.decides") -> str | None:
    """A deal the call omits because the buyer's own paper process, or the record's word, puts the signature after
    the quarter while the CRM still dates it inside: no step before that date decides it; the real date does. (A
    plan that itself signs after the quarter keeps its own decision step.) ``where``: the catalogue section of the
    line, ``coach.decides`` for what decides the deal, ``plan.signs`` for the note on the plan's signature."""
    if str(assessment.recommended_forecast) != "omitted" or deal.close_date is None:
        return None
    end, timing = assessment.period.end, assessment.facts.timing
    if deal.close_date > end:
        return None
    if timing.paper_ends is not None and timing.paper_ends > end:
        return t(f"{where}_paper_after", date=timing.paper_ends)
    if timing.sequence_ends is not None and timing.sequence_ends > end:
        return t(f"{where}_sequence_after", date=timing.sequence_ends)
    if timing.doubt:
        return t(f"{where}_doubt", source=timing.doubt)
    return None


def _hold(deal: Deal, assessment: Any, actions: list[Any], calendar: Any) -> Hold | None:
    """What the buyer's side still has to say before the plan's paper moves: the answer on news at their company
    that the review asks for (its action holds the paper steps until then), and why the signature falls after the
    quarter when the call omits the deal for it."""
    news = next(
        (a for a in actions if "momentum.company_event" in a.finding_codes and a.contact and a.due),
        None,
    )
    later = _after_the_quarter(deal, assessment, "plan.signs")
    if news is None and later is None:
        return None
    until = calendar.add(news.due, NO_REPLY_DAYS) if news is not None else None
    held = news.held_by if news is not None else None
    if until is not None and held is not None and held > until:
        until = held  # the answer comes in the meeting booked with them, not before it is held
    who = contact_name(news.contact) if news is not None else None
    return Hold(until=until, who=who, later=later, by=assessment.period.end)


def decides(deal: Deal, assessment: Any, actions: list[Any], plan: list[Any], calendar: Any) -> str | None:
    """The one event that decides the deal, by when, in the order a sales leader ranks them: a reply from the
    silent contact the first action is for; under news at the buyer's company (a freeze, a cost programme), that
    person's answer on whether the project goes ahead; the first review booked with a signer who has not met us or
    came in late, or the first look by whoever holds the office of a signer who left; the buyer's own process
    blocked; a signature the buyer's paper puts after the quarter; for a tier-4 deal, its dated next step; the first
    look at the case by an unmet signer nothing is booked with; a paper term still open before the signature; else the buyer's step that takes the case to whoever signs, the plan's
    decision step, or its signature. A date that is no working day is a deadline, not a meeting."""
    if not deal.is_open:
        return None
    first = actions[0] if actions else None
    dark = gone_dark(assessment.facts, list(assessment.findings))
    if first is not None and first.contact and first.due and contact_name(first.contact) in dark:
        date = calendar.add(first.due, NO_REPLY_DAYS)
        return t("coach.decides_reply", name=contact_name(first.contact), date=date)
    if assessment.facts.rival_chosen:
        # the buyer chose someone else: no step of ours decides it, only that choice falling through
        return t("coach.decides_rival_chosen", source=assessment.facts.rival_chosen)
    if assessment.facts.cancelled:
        return t("coach.decides_cancelled", source=assessment.facts.cancelled)
    as_of = deal.as_of or dt.date.today()
    # a step ae-coach drafted is no event that decides the deal: nobody on the buyer's side has agreed to it
    step = decisive([s for s in plan if s.status != "proposed"], as_of)
    news = first is not None and bool(first.contact and first.due) and "momentum.company_event" in first.finding_codes
    if first is not None and news and (assessment.facts.timing.on_hold or step is None or step.kind != "agreed"):
        # a freeze at the buyer, or news and no buyer step ahead (a step ae-coach drafted is none, even held at risk
        # until the answer): whether the project goes ahead at all decides it
        date = calendar.add(first.due, NO_REPLY_DAYS)
        held = first.held_by
        if held is not None and held > date:
            date = held  # the answer comes in the meeting booked with them, not before it is held
        return t("coach.decides_event", name=contact_name(first.contact), date=date)
    timing = assessment.facts.timing
    if step is not None and timing.unset_step is not None and step.action == timing.unset_step:
        # the plan's date for it is the rep's: the buyer has since said it is not set
        return t("coach.decides_unset", event=_event(step.action), source=timing.decision_waits)
    signer = _signer_to_win(deal, assessment)
    booked = _signer_step(assessment.facts, signer[0]) if signer is not None else None
    if signer is not None and booked is not None:
        return _signer_line(signer, _event(booked.text), _when(booked.date, calendar))
    departed = assessment.facts.departed_signer
    priced = STAGE_ORDER[Stage(str(deal.stage))] >= STAGE_ORDER[Stage.PROPOSAL]
    if signer is None and departed is not None and priced:
        # the signer on record left and the record names who holds the office: their first look decides; a plan
        # step in the old name ("Final approval - Fiona Daventry") is named by its date, not in that name
        event, date = _step_ahead(deal, step, as_of)
        drafted = step is not None and step.kind != "agreed" and date == step.date
        names = {"who": departed.succeeded_by, "old": departed.name}
        if event is None or date is None or drafted:
            return t("coach.decides_successor_unbooked", **names)
        if departed.name in event:
            return t("coach.decides_successor_plan", date=_when(date, calendar), **names)
        return t("coach.decides_successor", event=event, date=_when(date, calendar), **names)
    blocked = (
        _ours(assessment, actions, calendar) or _blocker(assessment, actions) or _after_the_quarter(deal, assessment)
    )
    if blocked is not None:
        return blocked
    ahead = deal.next_step
    if assessment.tier == 4 and ahead is not None and ahead.date is not None and ahead.date >= as_of:
        # a self-serve deal is decided by what the buyer does with it, at the check-in on record, not by a
        # signature plan nobody runs for a card purchase
        return t("coach.decides", event=_event(ahead.action), date=_when(ahead.date, calendar))
    event, date = _step_ahead(deal, step, as_of)
    drafted = step is not None and step.kind != "agreed" and date == step.date  # a date for us to agree
    if signer is not None and event is not None and date is not None and not drafted and _names(signer[0], event):
        return _signer_line(signer, event, _when(date, calendar))  # the step ahead is the signer's own review
    if signer is not None and not signer[1] and (step is None or step.kind == "agreed"):
        # nobody has put the case in front of the person who signs: their first look decides, not a later step
        who = _who(signer[0].name)
        if event is None or date is None:
            return t("coach.decides_signer_unbooked", name=who)
        return t("coach.decides_signer_before", name=who, event=event, date=_when(date, calendar))
    if event is None or date is None:
        return _early(deal, assessment, calendar)
    paper = assessment.facts.timing.paper_open
    if paper and (step is None or step.kind != "decision") and not _reads_decision(event):
        return t("coach.decides_paper", source=paper, event=event, date=_when(date, calendar))
    if step is None or date != step.date:  # the buyer's own step to the signer, before the plan's
        return t("coach.decides", event=event, date=_when(date, calendar))
    # the deal's next step with no date of its own is dated by the draft: a date to agree, not the buyer's
    undated = ahead is not None and step.action == ahead.action and ahead.date != step.date
    key = "coach.decides" if step.kind == "agreed" and not undated else "coach.decides_proposed"
    return t(key, event=event, date=_when(step.date, calendar) if key == "coach.decides" else step.date)


_COUNT = lazy(r"(?<![\d/-])\d[\d,.]*(?![\d/-])")
"""A number in the buyer's words for the pain ("14 late-bus complaints a week"), a date aside ("2026-03-11")."""


def _early(deal: Deal, assessment: Any, calendar: Any) -> str | None:
    """Before the proposal, with no buyer step to a decision ahead: what qualifies the deal decides it, read from
    the facts: a pain the buyer puts a number on, and a first meeting with whoever signs (named, or to be named),
    else what the evaluation has to prove; with the next dated item on the buyer's calendar, or none booked."""
    if STAGE_ORDER[Stage(str(deal.stage))] >= STAGE_ORDER[Stage.PROPOSAL]:
        return None
    facts = assessment.facts
    pain, metrics = facts.elements.get("identified_pain"), facts.elements.get("metrics")
    said = (
        []
        if pain is None
        else [*([text_quote(pain.note, 60)] if pain.note_state == "meaningful" else []), *pain.record]
    )
    found = burden(deal, assessment.as_of)
    counted = baseline(deal) is not None or (metrics is not None and metrics.grade >= 2)
    counted = counted or any(_COUNT.search(line) for line in said)  # "14 late-bus complaints a week" counts
    if said and found is not None and not any(BURDEN.search(line) for line in said):
        said = [found, *said]  # what the pain costs them is what gets a number, before what the pain is
    asks = []
    if not said:
        asks.append(t("coach.early_pain_none"))
    elif not counted:
        asks.append(t("coach.early_pain", source=said[0]))
    signer = next((p for p in facts.in_role("economic_buyer") if not p.left), None)
    if signer is None:
        asks.append(t("coach.early_signer_none"))
    elif not signer.met:
        asks.append(t("coach.early_signer_unmet", name=_who(signer.name)))
    criteria = facts.elements.get("decision_criteria")
    proof = "coach.early_proof" if criteria is not None and criteria.grade >= 2 else "coach.early_criteria"
    what = t("coach.early_and").join(asks) if asks else t(proof)
    ahead = next((i for i in facts.upcoming if i.kind != "close_date"), None)
    after = t("coach.early_next", event=_event(ahead.text), date=_when(ahead.date, calendar)) if ahead else None
    return t("coach.decides_early", stage=term(str(deal.stage)), what=what, next=after or t("coach.early_nothing"))


def _step_ahead(deal: Deal, step: Any, as_of: dt.date) -> tuple[str | None, dt.date | None]:
    """The buyer's step ahead that decides the deal: their own step taking the case to whoever signs when it comes
    first, else the plan's decision step or signature (with who owns it), as the record words it."""
    review = signer_review(deal, as_of, signing=True)
    if review is not None and (step is None or review[0] <= step.date):
        return _event(review[1]), review[0]
    if step is None:
        return None, None
    who = next((s.name for s in deal.stakeholders if step.owner.startswith(s.name)), None)
    action = step.action if step.kind == "agreed" else _lower_first(step.action, deal)  # the buyer's words as written
    return _event(action) + (t("coach.decides_who", who=who) if who and who not in step.action else ""), step.date


def _signer_to_win(deal: Deal, assessment: Any) -> tuple[Any, bool] | None:
    """The person who signs (the record's successor when the signer on record left the role), when the deal turns
    on how they read the case and the price, from the proposal on: never met (``False``), or come into the deal
    late and met once at most (``True``). A signer who knows the case decides at the plan's own steps."""
    if STAGE_ORDER[Stage(str(deal.stage))] < STAGE_ORDER[Stage.PROPOSAL]:
        return None  # no price on the table yet
    facts = assessment.facts
    signer = next(iter(facts.in_role("economic_buyer")), None)
    if signer is None or signer.left:
        return None
    if not signer.met:
        return signer, False
    late = next((f for f in assessment.findings if f.code == "momentum.late_stakeholder"), None)
    arrived = late is not None and signer.name in late.data.get("names", ())
    return (signer, True) if arrived and signer.meetings <= 1 else None


def _signer_step(facts: Any, signer: Any) -> Any:
    """The first dated step ahead that puts the case in front of the signer (a meeting with them, a plan step they
    own, or one naming them or their office: "CFO review of revised case"), the signature itself aside."""
    return next(
        (
            item
            for item in facts.upcoming
            if item.kind != "close_date"
            and (signer.name in item.people or _names(signer, f"{item.owner or ''} {item.text}"))
        ),
        None,
    )


def _names(signer: Any, text: str) -> bool:
    """The step is the signer's, not only their signature: it names them (full or last name), their title, or
    the office in it ("CFO" of "Acting CFO")."""
    if _only_signing(text):
        return False
    words = [signer.name, *signer.name.split()[-1:], *re.findall(r"\b[A-Z]{3,}\b", signer.title or "")]
    words += [signer.title] if signer.title else []
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE if w == signer.title else 0) for w in words)


def _signer_line(signer: tuple[Any, bool], event: str, when: str) -> str:
    key = "coach.decides_signer_new" if signer[1] else "coach.decides_signer"
    return t(key, event=event, date=when, name=_who(signer[0].name))


def _who(name: str) -> str:
    """A stakeholder the CRM names by office ("VP Operations", "Owner") is that office, not a person's name."""
    return t("coach.decides_office", office=name) if SENIOR_TITLE.match(name) else name


def _event(text: str) -> str:
    """The record's words for a step, as a clause: no closing full stop, a long summary cut."""
    text = text.strip().rstrip(".").strip()
    return text if len(text) <= _EVENT_CHARS else text[: _EVENT_CHARS - 1].rstrip() + "…"


_EVENT_CHARS = 140


def _when(date: dt.date, calendar: Any) -> str:
    """A step's date as the line gives it: a weekend or a public holiday is a deadline ("by"), not a meeting. The
    team's own days off (the day after Thanksgiving, the last week of December) are the buyer's working days."""

    def off(day: dt.date) -> bool:
        return day.weekday() >= 5 or calendar.public_holiday(day)

    if not off(date):
        return str(date)
    before = date - dt.timedelta(days=1)
    while off(before):
        before -= dt.timedelta(days=1)
    kind = t("coach.decides_holiday") if calendar.public_holiday(date) else weekday_name(date)
    return t("coach.decides_by", date=date, kind=kind, before=before, before_day=weekday_name(before))


_DECISION = lazy(r"\b(?:decision|decide|select|award|vote|approv|sign-?off|review|决定|审批|评审)", re.IGNORECASE)


def _reads_decision(event: str) -> bool:
    """The step is the buyer deciding (a review, an approval, a vote), not the signature after the paper."""
    return bool(_DECISION.search(event))
