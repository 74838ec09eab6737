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
from ae_coach.coach._actions import ACTION_SEVERITIES, gone_dark, plan, rules_for, stopped_by_event
from ae_coach.coach._people import contact_name, person_in_role
from ae_coach.coach._plan import PREPARED_BY, Hold, decisive, draft_plan
from ae_coach.coach._questions import questions
from ae_coach.coach._risks import risks, title, told
from ae_coach.coach._situation import signer_review
from ae_coach.coach.report import CoachingReport, Forecast, Health
from ae_coach.deal import ForecastCategory
from ae_coach.deal.calendar import NO_REPLY_DAYS, calendar_for
from ae_coach.i18n import current, t, term
from ae_coach.inspector.priority import ranked

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
    problem = (
        t(
            "coach.headline.lost_to" if lost else "coach.headline.problem",
            problem=_lower_first(told(worst, deal, assessment), deal),
        )
        if worst
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
    calendar = calendar_for(settings, deal)
    actions = plan(deal, assessment, rulebook, calendar)
    # a drafted step comes after the action that prepares it (who owns the paper, meeting the signer)
    ready: dict[str, Any] = {}
    for action in actions:
        for kind in (k for code in action.finding_codes for k in PREPARED_BY.get(code, ())):
            if action.due is not None:
                ready[kind] = max(ready.get(kind, action.due), calendar.add(action.due, 1))
    listed, also = risks(deal, assessment, actions)
    drafted = draft_plan(
        deal,
        as_of,
        calendar,
        ready,
        _stalled(deal, assessment),
        _gate(deal, assessment),
        _commercial_first(assessment),
        committed=bool(assessment.facts.timing.committed),
        self_serve=assessment.tier == 4,
        call_holds=assessment.recommended_forecast in (ForecastCategory.BEST_CASE, ForecastCategory.COMMIT),
        facts=assessment.facts,
        hold=_hold(deal, assessment, actions, calendar),
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
    name = contact_name(action.contact) if action.contact else None
    return t("coach.decides_sitting", name=name, date=action.due) if name else None


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
    who = contact_name(news.contact) if news is not None else None
    return Hold(until=until, who=who, later=later, by=assessment.period.end)


def decides(deal: Deal, assessment: Any, actions: list[Any], plan: list[Any], calendar: Any) -> str | None:
    """The one event that decides the deal, by when: when the first action is a message to someone who has gone
    silent, their reply by the date that action gives them; when it asks about news at the buyer's company (a
    freeze, a cost programme), that person's answer on whether the project goes ahead; for a tier-4 deal, its dated next step (the check-in
    after the trial); else the plan's decision step ahead, else its signature."""
    if not deal.is_open:
        return None
    first = actions[0] if actions else None
    dark = gone_dark(assessment.facts, list(assessment.findings))
    if first is not None and first.contact and first.due and contact_name(first.contact) in dark:
        date = calendar.add(first.due, NO_REPLY_DAYS)
        return t("coach.decides_reply", name=contact_name(first.contact), date=date)
    blocker = _blocker(assessment, actions)
    if blocker is not None:
        return blocker
    later = _after_the_quarter(deal, assessment)
    if later is not None:
        return later
    as_of = deal.as_of or dt.date.today()
    ahead = deal.next_step
    if assessment.tier == 4 and ahead is not None and ahead.date is not None and ahead.date >= as_of:
        # a self-serve deal is decided by what the buyer does with it, at the check-in on record, not by a
        # signature plan nobody runs for a card purchase
        return t("coach.decides", event=ahead.action, date=ahead.date)
    # a step ae-coach drafted is no event that decides the deal: nobody on the buyer's side has agreed to it
    step = decisive([s for s in plan if s.status != "proposed"], as_of)
    news = first is not None and bool(first.contact and first.due) and "momentum.company_event" in first.finding_codes
    if first is not None and news and (assessment.facts.timing.on_hold or step is None):
        # a freeze at the buyer, or news and no buyer step ahead: whether the project goes ahead at all decides it
        date = calendar.add(first.due, NO_REPLY_DAYS)
        return t("coach.decides_event", name=contact_name(first.contact), date=date)
    review = signer_review(deal, as_of, signing=True)  # the buyer's own step taking the case to whoever signs
    if review is not None and (step is None or review[0] <= step.date):
        return t("coach.decides", event=review[1], date=review[0])
    if step is None:
        return None
    who = next((s.name for s in deal.stakeholders if step.owner.startswith(s.name)), None)
    action = step.action if step.kind == "agreed" else _lower_first(step.action, deal)  # the buyer's words as written
    event = action + (t("coach.decides_who", who=who) if who and who not in step.action else "")
    # the deal's next step with no date of its own is dated by the draft: a date to agree, not the buyer's
    undated = ahead is not None and step.action == ahead.action and ahead.date != step.date
    key = "coach.decides" if step.kind == "agreed" and not undated else "coach.decides_proposed"
    return t(key, event=event, date=step.date)
