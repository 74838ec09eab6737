"""A short plan a manager would assign: this week's three actions, then a few for later.

Findings are taken in the order a manager raises them (:mod:`ae_coach.inspector.priority`). A finding
becomes an action only through a rule step marked for its code (``{for CODE}`` in the rule file) whose
``{when …}`` conditions hold for this deal and that is about the deal, not the whole pipeline
(:mod:`ae_coach.rules.markers`). The action's text is the step, with the deal's people put in for its
placeholders, and the fact of this deal that makes it necessary (who, since when, how many times). It is
the rep's to do, addressed to the buyer-side person the finding is about, and due on a working day
(:mod:`ae_coach.deal.calendar`) before the meeting or close date it prepares. A step that names a
committee role the deal does not have is not used: "ask the technical buyer" on a deal with no
technical buyer is an instruction nobody can follow.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ae_coach._patterns import lazy
from ae_coach.coach._buyer_steps import month_gate
from ae_coach.coach._people import (
    contact_for,
    contact_name,
    label,
    paper_titled,
    person_in_role,
    personalise,
    role_of,
    seniority,
)
from ae_coach.coach._plan import PURCHASE_ORDER, SMALL_DEAL_AMOUNT
from ae_coach.coach._risks import title
from ae_coach.coach._situation import (
    Situation,
    baseline,
    docs_owed,
    names_person,
    renewal,
    signer_review,
    source_of,
    view_of,
    waits_on_document,
)
from ae_coach.coach._wording import case_words, drop_condition, drop_menu, fill, fit_stage, own_numbers, said_by
from ae_coach.coach.quality import next_event
from ae_coach.coach.report import NextAction, PointReason
from ae_coach.deal import STAGE_ORDER, Stage
from ae_coach.deal.calendar import NO_REPLY_DAYS, Calendar
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import current, join, lead, money, t, term
from ae_coach.inspector.facts import PAPER_LATE, named_signer, paper_step
from ae_coach.inspector.meddpicc import FAILED_CRITERION, UNFRAMED_PILOT, VALIDATION_AHEAD
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.settings import DEFAULT_SETTINGS, in_usd
from ae_coach.inspector.text import LEGAL_TITLE, given_name, quotes_in
from ae_coach.inspector.titles import criterion

if TYPE_CHECKING:
    from ae_coach.deal import Deal, Stakeholder
    from ae_coach.inspector.facts import DealFacts
    from ae_coach.rules import Rule, Rulebook
    from ae_coach.rules.markers import Marked

THIS_WEEK = 3
"""Actions due in the next five working days (ae-coach default): what a rep can really do this week."""
LATER = 3
"""Actions for after this week (ae-coach default)."""
PER_PERSON = 3
"""Asks of one buyer-side person in one week (ae-coach default): the meeting to prepare and two more points; a
fourth waits for the next conversation with them."""
POINTS = 4
"""Points one conversation holds at most (ae-coach default), this week's asks and the later ones that join them:
more is a list nobody works through in one call."""
ACTION_SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)
BUYER_REQUESTS = ("positive.references_requested", "positive.buyer_waiting")
"""Positive signals that are the buyer asking the seller for something (reference calls): an open one is an
action on any deal, not one of the freshest signals a healthy deal follows through on."""
COMMITTED = "positive.signer_committed"
"""The signer's commitment: once it is on record, the follow-through on earlier signals is done."""
_SKIP = ("positive.", "hygiene.", "data.", "stage.next_gate", "competition.positioning", "account.tier")
FANTASY = "anti.forecast_fantasy"
HEADLINE_ONLY = ("anti.happy_ears", "stage.unearned")
"""Findings the review says in its headline and forecast lines, not as an action: optimism the evidence does not
support ("write the evidence next to each claim") and a stage ahead of its exit criteria ("translate each missing
criterion into a buyer action") are the manager's reading of the deal; the gaps behind them are findings of their
own with actions on the buyer (a blind VP grade: rows like these filled half the action lists and none was
assigned). A forecast call that fails the gate is one row only when it has a CRM change to make (``crm_change``)."""
_SIGNING_ROLES = ("economic_buyer", "champion")
_OPEN_TEST = (VALIDATION_AHEAD, FAILED_CRITERION, UNFRAMED_PILOT)
"""How the decision-criteria finding begins when the record shows what is open (``ae_coach.inspector.meddpicc``)."""
_PLACEHOLDER_ROLE = lazy(r"\[(economic buyer|champion|technical buyer)\]", re.IGNORECASE)


def rules_for(finding: Finding, rulebook: Rulebook) -> list[Rule]:
    """The rules that address a finding: the finding's own ``rules``, then any whose triggers name it;
    a rule written for this one problem before a catalogue rule that names many."""
    return sorted(rulebook.addressing(finding.code, finding.rules), key=lambda r: len(r.triggers))


def plan(deal: Deal, assessment: Any, rulebook: Rulebook, calendar: Calendar) -> list[NextAction]:
    """This week's actions (at most :data:`THIS_WEEK`), then later ones (at most :data:`LATER`, and the row for if a
    person written to stays silent, :func:`_no_reply_branch`).

    An action is due before the event it prepares; when that event falls this week and this week already
    has its three, it is not assigned: a step taken after the meeting it was for is no step, and a fourth
    for this week is one a rep will not do. Every ask of one person is one conversation, its points numbered
    (:func:`_one_conversation`), and a full week still takes another point for a call already in it, since it
    adds no row (:func:`_joins`); a fourth waits a week. A tier-4 deal gets one action: where it is served best.
    """
    situation = Situation.of(deal, assessment)
    facts = assessment.facts
    dark = gone_dark(facts, list(assessment.findings))
    # stalled with its contact silent: nobody who never engaged is asked anything (see _cold)
    stalled = bool(dark) and any(f.code == "momentum.stale" for f in assessment.findings)
    week_end = calendar.add(facts.as_of, 5)
    crm = crm_change(deal, assessment, calendar)  # the forecast call's row: the CRM change, in this deal's values
    poor_fit = any(f.code == "account.poor_fit" for f in assessment.findings)  # no extra work on a deal to route
    used: set[tuple[str, str]] = set()
    actions: list[NextAction] = []
    steps: list[tuple[str, int]] = []  # (rule id, step index) of each action
    made: list[tuple[tuple[Finding, str], tuple[Rule, Marked]]] = []  # what each action was made from
    findings = list(assessment.findings)
    for finding in _worth_acting_on(deal, findings, dark, crm, facts.as_of):
        choice = _play(finding, rulebook, situation, used)
        if choice is None:
            continue
        rule, step = choice
        why = title(finding, deal, assessment)  # the risk as the review lists it, from the same facts
        week, later_rows = _rows_this_week(actions), sum(a.horizon == "later" for a in actions)
        slot = week if week < THIS_WEEK else THIS_WEEK + later_rows
        action = _action(deal, facts, (finding, why), (rule, step), slot, calendar, dark, crm=crm)
        if _same_event(action, actions):  # one conversation about one thing someone said, not two
            continue
        if _waits_for_reply(action, actions, dark):  # one message to someone silent; nothing else until they answer
            continue
        if _cold(deal, action, actions, stalled=stalled):
            continue
        soon = action.due is not None and action.due <= week_end
        if not soon and week >= THIS_WEEK and (host := _joins(action, actions)) is not None:
            action, soon = action.model_copy(update={"due": host.due}), True  # one more point in that call, no row
        mine = [i for i, a in enumerate(actions) if soon and a.horizon == "this_week" and _same_person(a, action)]
        same = mine[0] if len(mine) >= PER_PERSON else None
        if same is not None:  # two asks of a person this week at most; a third waits a week, never glued on
            later = THIS_WEEK + later_rows
            waiting = _action(deal, facts, (finding, why), (rule, step), later, calendar, dark, crm=crm)
            earlier = _action(deal, facts, *made[same], later, calendar, dark, crm=crm)
            if waiting.due is not None and waiting.due > week_end:
                action, soon = waiting, False
            elif earlier.due is not None and earlier.due > week_end:  # this one is for a meeting this week
                actions[same] = earlier.model_copy(update={"horizon": "later"})
            elif (
                not poor_fit
                and not any(
                    rule.id in a.rule_ids or (a.contact == waiting.contact and a.horizon == "later") for a in actions
                )
                and (next_week := _next_conversation(deal, waiting, step, week_end, calendar)) is not None
            ):  # one point for the next conversation, on a rule this review does not already act on
                action, soon = _after_their_meeting(deal, waiting, next_week, calendar), False
            else:
                continue
        joining = soon and _joins(action, actions) is not None
        if (soon and week >= THIS_WEEK and not joining) or (not soon and later_rows >= LATER):
            continue
        order = (rule.id, rule.plays.index(step))
        if _redundant(action, order, actions, steps):
            continue
        if soon and _signer_met_this_week(deal, finding, action, actions):
            continue
        if soon and _second_approach(step, action, actions):
            continue
        steps.append(order)
        made.append(((finding, why), (rule, step)))
        used.add((rule.id, step.text))
        actions.append(action.model_copy(update={"horizon": "this_week" if soon else "later"}))
        if len(actions) >= THIS_WEEK + LATER:
            break
    actions = _one_conversation([_timed(a, facts.as_of, calendar) for a in actions], facts.as_of)
    chased = {p.name: p.unanswered for p in facts.people}
    actions = _no_reply_branch(deal, actions, dark, calendar, chased)
    actions = _champion_first(deal, actions, calendar)
    actions = [_after_document(deal, a, facts) for a in actions]
    ordered = sorted(actions, key=lambda a: a.horizon != "this_week")  # stable: the manager's order within each
    # the passes above can turn a row into this week's (a reply branch, the champion first): the week still holds
    # at most THIS_WEEK rows, the manager's top ones; the rest waits for next week's review
    return [a for i, a in enumerate(ordered) if a.horizon != "this_week" or i < THIS_WEEK]


def _after_document(deal: Deal, action: NextAction, facts: DealFacts) -> NextAction:
    """An action asking for a step the buyer's process holds until a document is signed (a session with their
    security people while "IS only sends the check sheet after an NDA is executed") is phrased after it; the
    action to get the document signed is not."""
    if "meddpicc.paper_process" in action.finding_codes or not waits_on_document(action.action, deal, facts):
        return action
    once: dict[str, Any] = {"action": t("coach.once_signed", action=_lower(action.action))}
    if action.points:  # shown one by one: the first ask carries the "once … is signed"
        once["points"] = [t("coach.once_signed", action=_lower(action.points[0])), *action.points[1:]]
    return action.model_copy(update=once)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2].isalpha() and not text[:2].isupper() else text


def crm_change(deal: Deal, assessment: Any, calendar: Calendar) -> str | None:
    """What to change in the CRM for the call the evidence supports: the forecast category, and the close date
    when the buyer's own dates put the signature later (their plan's signature step, a lead time that runs past
    the close date, a date they reconfirmed)."""
    parts = []
    called, supported = deal.forecast_category, str(assessment.recommended_forecast)
    if called is not None and str(called) != supported:
        parts.append(t("coach.crm.category", before=term(str(called)), after=term(supported)))
    timing, close = assessment.facts.timing, deal.close_date
    later = [
        (day, key)
        for day, key in (
            (timing.plan_signature, "coach.crm.why_plan"),
            (timing.paper_ends, "coach.crm.why_paper"),
            (timing.sequence_ends, "coach.crm.why_sequence"),
            (timing.reconfirmed, "coach.crm.why_reconfirmed"),
        )
        if day is not None and close is not None and day > close
    ]
    if later:
        day, key = max(later)
        slack = timing.close_with_slack
        span = getattr(assessment, "period", None)
        last = calendar.on_or_before(span.end) if span is not None else None
        if key in ("coach.crm.why_paper", "coach.crm.why_sequence") and slack is not None and slack > day:
            # the day their lead time ends is a floor, every step on time: the date to forecast has slack after it
            why = t("coach.crm.why_slack", floor=t(key), day=day, days=timing.close_slack_days)
            if supported in ("best_case", "commit") and span is not None and last is not None and day <= last < slack:
                # a call for this period is a date in it: the slack ends with the period, not in the next one
                why = t("coach.crm.why_slack_period", floor=t(key), day=day, period=span.label)
                slack = last
            parts.append(t("coach.crm.close", before=close, after=slack, why=why))
            day = slack
        else:
            parts.append(t("coach.crm.close", before=close, after=day, why=t(key)))
        if supported == "omitted" and called is not None and span is not None and day > span.end:
            # omitted is this period's call, not the deal's: at its new date it is next period's deal, not a lost one
            parts[0] = t("coach.crm.category_moved", before=term(str(called)), period=span.label)
    elif parts and close is not None:  # the date the category is called for, as the rep will read it in the CRM
        parts[0] = t("coach.crm.category_for", change=parts[0], close=close)
    return t("coach.detail_separator").join(parts) if parts else None


SIGNER_MEETING_DAYS = 7
"""Working days from booking a meeting with a signer who is not backing the deal to holding it (ae-coach default:
a blind VP grade, "a buyer silent for 52 days will not meet you the day after you ask the champion")."""


def _champion_first(deal: Deal, actions: list[NextAction], calendar: Calendar) -> list[NextAction]:
    """This week, the approach to an economic buyer who is not backing the deal follows the call with the
    champion: the champion is the way back in (what changed, what the signer needs to hear), so the rep does not
    go to the signer cold the day before. The row keeps its place (it is the biggest problem), dated the working
    day after that call, by when the meeting is booked (through the champion, or asked for directly), to be held
    :data:`SIGNER_MEETING_DAYS` working days later."""
    champion = person_in_role(deal, "champion")
    signer = person_in_role(deal, "economic_buyer")
    if champion is None or signer is None:
        return actions
    week = [a for a in actions if a.horizon == "this_week" and a.due is not None]
    call = next((a for a in week if contact_name(a.contact) == champion.name), None)
    if call is None or call.due is None:
        return actions
    out = []
    for action in actions:
        cold = (
            action in week
            and contact_name(action.contact) == signer.name
            and "meddpicc.economic_buyer" in action.finding_codes
            and action.due is not None
            and action.due <= call.due
        )
        if cold:
            after = calendar.add(call.due, 1)
            # a conversation with the signer is a meeting to book through the champion, held some days later:
            # "…, to be held by 12-11: 2 points: (1) …"; any other approach (the sponsor's call) follows the call
            head = t("coach.conversation", name=signer.name, count="\0", points="").split("\0")[0]
            held: dt.date | None = None
            if action.action.startswith(head):
                held = calendar.add(after, SIGNER_MEETING_DAYS)
                held_by = t("coach.book_signer_held", held=held)
                text = t("coach.book_signer", name=champion.name, signer=signer.name, due=after, held=held_by)
                text += action.action.removeprefix(head)
            else:
                text = t("coach.after_call", name=champion.name, action=action.action)
            action = action.model_copy(update={"due": after, "action": text, "held_by": held})
        out.append(action)
    return out


_PREPARES = lazy(r"\bbefore\b|之前|以前", re.IGNORECASE)
_WITHIN = lazy(r"\bwithin (?:the|a|one) (?:week|day)|一周内|当周", re.IGNORECASE)


def _rows_this_week(actions: list[NextAction]) -> int:
    """This week's rows once each person's asks are one conversation (:func:`_one_conversation`)."""
    week = [a for a in actions if a.horizon == "this_week"]
    return sum(not any(_together(b, a) for b in week[:i]) for i, a in enumerate(week))


def _joins(action: NextAction, actions: list[NextAction]) -> NextAction | None:
    """This week's conversation with the same person that ``action`` can be one more point of: a full week has
    room for it, since it adds no call and no row (:func:`_one_conversation` folds it in), while that person has
    fewer than :data:`PER_PERSON` asks."""
    mine = [a for a in actions if a.horizon == "this_week" and _same_person(a, action)]
    return mine[0] if mine and len(mine) < PER_PERSON and mine[0].owner == action.owner else None


def _next_conversation(
    deal: Deal, action: NextAction, step: Marked, week_end: dt.date, calendar: Calendar
) -> dt.date | None:
    """The first working day after this week, for a third ask of someone already asked twice this week: the
    paper process or the competition is the next conversation with them, not a step dropped because their
    meeting is this week. None for a step that prepares something ("before it goes to the CFO"), which is
    no step once that has happened, and when the close date comes first."""
    if any(p.search(text) for p in (_PREPARES, _NOW, _THIS_WEEK, _WITHIN) for text in (step.text, action.action)):
        return None  # "before it goes to the CFO", "within the week": not a point for next week
    day = calendar.on_or_after(week_end + dt.timedelta(days=1))
    if deal.close_date is not None and day >= deal.close_date:
        return None
    return day


def _after_their_meeting(deal: Deal, action: NextAction, day: dt.date, calendar: Calendar) -> NextAction:
    """``action`` dated ``day``, saying which of its contact's meetings it follows when one comes first: a point
    for the conversation after the 12/2 review is written as one, so nobody reads it as that review's prep."""
    event = next_event(action, deal, deal.as_of or dt.date.today())
    text = action.action
    if event is not None and event[0] == day:  # their meeting that day: the day after it
        day = calendar.add(day, 1)
    if event is not None and event[0] < day:
        text = t("coach.after_event", event=event[1], date=event[0], action=text)  # the step as written after it
    return action.model_copy(update={"due": day, "action": text})


def _no_reply_branch(
    deal: Deal,
    actions: list[NextAction],
    dark: frozenset[str],
    calendar: Calendar,
    chased: dict[str, int] | None = None,
) -> list[NextAction]:
    """After the first message to someone who is not answering, a row of its own for if they stay silent: who the
    rep goes to instead, by when, or, with nobody engaged to go to, one level up; the walk-away date is its reason
    (two blind VP grades: "three asks over 14 days in one row"; "put the fallback in a separate dated row")."""
    first = next((i for i, a in enumerate(actions) if a.contact and contact_name(a.contact) in dark and a.due), None)
    if first is None:
        return actions
    action = actions[first]
    name = contact_name(action.contact)
    silent = next((p for p in deal.stakeholders if p.name == name), None)
    # someone who can carry the deal without them: whoever signs, or another engaged buyer; a contact who has
    # never engaged is no way round a silent champion
    others = [p for p in deal.stakeholders if p.name != name and p.name not in dark]
    other = next((p for p in others if str(p.role) == "economic_buyer" or p.engaged), None)
    if silent is not None and str(silent.role) == "champion":
        # round a silent champion goes up, not down: whoever signs (not ignoring us: one unanswered copy of a
        # chase is no silence of theirs), else an engaged buyer at their level or above, never one reporting
        # to them (the Controller's settlement supervisor)
        level, chased = seniority(silent.title), chased or {}
        signer = next(
            (
                p
                for p in deal.stakeholders
                if p.name != name
                and str(p.role) == "economic_buyer"
                and (p.name not in dark or chased.get(p.name, 0) < 2)
            ),
            None,
        )
        other = signer or next((p for p in others if p.engaged and seniority(p.title) >= level), None)
    sent = action.due or deal.as_of or dt.date.today()
    date = calendar.add(sent, NO_REPLY_DAYS)
    if deal.close_date and sent < deal.close_date <= date:  # the row is dated before the close date it works towards
        date = max(calendar.add(deal.close_date, -1), calendar.add(sent, 1))
    walk_away = calendar.add(date, NO_REPLY_DAYS)
    # nobody engaged to go to: one level up, asked of anyone else the deal names (they know who the silent one
    # reports to), else of the silent one's manager by role
    known = next((p for p in others if p.name != name), None)
    # a rep never walks away from their own renewal: only the expansion riding on it leaves the forecast
    walk = t("coach.walk_away_renewal" if renewal(deal) else "coach.walk_away", date=walk_away)
    if other is not None and other.name in action.action:
        return actions  # the action already goes through them ("ask Felipe to introduce you in person")
    to = other
    if other is not None:
        branch, walk = t("coach.no_reply", date=date, name=label(other), silent=name), ""
    elif silent is not None and _top_of_house(silent, deal):
        branch, to = t("coach.no_reply_top", date=date, silent=name), silent  # nobody above them to go to
    elif known is not None:
        branch, to = t("coach.no_reply_via", date=date, name=label(known), silent=name), known
    else:
        branch = t("coach.no_reply_alone", date=date, silent=name)
    why = t("coach.no_reply_why", silent=name, walk=walk) if walk else t("coach.no_reply_why_short", silent=name)
    fallback = action.model_copy(
        update={
            "action": branch.strip(),
            "contact": label(to) if to is not None else action.contact,
            "due": date,
            "horizon": "later",
            "why": why,
            "if_silent": True,
            "evidence": None,
            "points": [],
            "reasons": [],
            "also_rules": [],
        }
    )
    return [*actions, fallback]


_TOP_TITLE = lazy(
    r"\b(?:owner|founder|co-?founder|ceo|chief executive|president|managing director|principal)\b", re.IGNORECASE
)


def _top_of_house(person: Stakeholder, deal: Deal) -> bool:
    """The person who signs is the top of their organisation (an owner, founder or CEO, or the signer on a deal
    below the tier-4 band): there is no manager to escalate to."""
    if str(person.role) != "economic_buyer":
        return False
    return bool(_TOP_TITLE.search(person.title or "")) or 0 < in_usd(deal.amount, deal.currency) < SMALL_DEAL_AMOUNT


def _same_event(action: NextAction, actions: list[NextAction]) -> bool:
    """An action with a person about the words they already answer in another action with them ("New CFO says
    the price is too high" behind both the budget question and the late stakeholder's meeting): one meeting."""
    said = {q.rstrip("…") for q in quotes_in(_with_evidence(action))}
    for other in actions:
        if not _same_person(other, action):
            continue
        theirs = {q.rstrip("…") for q in quotes_in(_with_evidence(other))}
        if any(x.startswith(y) or y.startswith(x) for x in said for y in theirs):
            return True
    return False


def _with_evidence(action: NextAction) -> str:
    return f"{action.action} ({action.evidence})" if action.evidence else action.action


def _same_person(a: NextAction, b: NextAction) -> bool:
    return a.contact is not None and contact_name(a.contact) == contact_name(b.contact)


_NOW = lazy(r"\bthe same day\b|\btoday\b|当天|今天")
_URGENT = lazy(r"\bstart now\b|\bthe same day\b|\btoday\b|现在就开始|立即|马上|当天|今天")
_THIS_WEEK = lazy(r"\bthis week\b|在?(?<!回)本周(?:之内|内|结束之前|结束前|之前)?(?![一二三四五六日天末期])")
""""This week" in an action, rewritten as its date: in Chinese with the words around it ("在本周结束前", "本周内" ->
"在 12-04 之前"), never a weekday of it ("本周五") nor the 本周 of 回本周期 (payback period)."""


def _one_conversation(actions: list[NextAction], as_of: dt.date) -> list[NextAction]:
    """Every ask of one buyer-side person is one conversation: one row, on the earliest date, its points numbered
    ("One conversation with Nadia Ivers, 3 points: (1) …; (2) …; (3) …"), with their reasons, rules and findings
    kept beside it. A later ask joins this week's call with them unless it follows one of their meetings ('After
    "ROI review" on 12/2: …'), which is a conversation of its own; at most :data:`POINTS` points a row (a
    blind VP grade: four rows to one champion on four dates, for what is one call this week)."""
    out: list[NextAction] = []
    points: list[list[NextAction]] = []  # the asks each row holds, in order
    # this week's asks first, then the later ones that say "start now" (the paper process for a close this
    # month), then the rest: a full conversation leaves out what can wait, not what cannot
    for action in sorted(actions, key=lambda a: a.horizon != "this_week" and (1 + (not _URGENT.search(a.action)))):
        room = [i for i, a in enumerate(out) if _together(a, action, as_of) and len(points[i]) < POINTS]
        if not room:
            out.append(action)
            points.append([action])
            continue
        host = room[0]
        points[host].append(action)
        first = out[host]
        assert first.due is not None and action.due is not None  # _together checked both
        rules = [r for r in [*first.also_rules, action.rule_id, *action.also_rules] if r and r != first.rule_id]
        out[host] = first.model_copy(
            update={
                "due": min(first.due, action.due),
                # the rep's call; a seller-side role one point needs (the deal desk) joins it
                "owner": " + ".join(dict.fromkeys([*_owners(first.owner), *_owners(action.owner)])),
                "horizon": "this_week" if "this_week" in (first.horizon, action.horizon) else first.horizon,
                "why": "; ".join(dict.fromkeys([first.why, action.why])),
                "evidence": t("coach.detail_separator").join(
                    dict.fromkeys(e for e in (first.evidence, action.evidence) if e)
                )
                or None,
                "also_rules": list(dict.fromkeys(rules)),
                "finding_codes": list(dict.fromkeys([*first.finding_codes, *action.finding_codes])),
            }
        )
    return [
        row
        if len(asks) == 1
        else row.model_copy(
            update={
                "action": _agenda(row, asks),
                "points": _points(row, asks),
                "reasons": [PointReason(why=a.why, rule_id=a.rule_id, evidence=a.evidence) for a in asks],
            }
        )
        for row, asks in zip(out, points, strict=True)
    ]


def _agenda(row: NextAction, asks: list[NextAction]) -> str:
    """One conversation's points, numbered, each without the "with <name>" its row already says."""
    assert row.contact is not None
    items = [t("coach.agenda_item", n=n, text=text) for n, text in enumerate(_points(row, asks), 1)]
    name = contact_name(row.contact)
    return t("coach.conversation", name=name, count=len(asks), points=t("coach.agenda_separator").join(items))


def _points(row: NextAction, asks: list[NextAction]) -> list[str]:
    """Each ask of one conversation on its own, without the "with <name>" its row already says."""
    assert row.contact is not None
    said = t("coach.with", name=contact_name(row.contact))
    sep = t("coach.detail_separator")
    texts = [ask.action.replace(said + sep, "").replace(f" ({said})", "").replace(f"（{said}）", "") for ask in asks]
    # a point timed "by" a day after the conversation is done in it: its lead says when, not a second date
    texts = [_BY_DAY.sub(_undated, text) if row.due and _after(text, row.due) else text for text in texts]
    return [text.strip().rstrip(".。") for text in texts]


_BY_DAY = lazy(
    r"^By (\d{4}-\d{2}-\d{2}), (?:one|two|three|four|five|[1-5]) working days? before |"
    r"^(\d{4}-\d{2}-\d{2}) 之前（(.+?)前[一二两三四五1-5]个工作日），?"
)
"""A point timed by a day before an event (``coach.by_lead``): "By 2026-12-09, two working days before …"."""


def _after(text: str, due: dt.date) -> bool:
    match = _BY_DAY.search(text)
    return match is not None and dt.date.fromisoformat(match.group(1) or match.group(2)) > due


def _undated(match: re.Match[str]) -> str:
    """ "By 2026-12-09, two working days before the buyer's next step" -> "Before the buyer's next step"."""
    return f"在{match.group(3)}之前，" if match.group(3) else "Before "


def _together(first: NextAction, other: NextAction, as_of: dt.date | None = None) -> bool:
    """Two asks of the same buyer-side person in one call of the rep's (:func:`_same_call`): the same horizon, or (with
    ``as_of``, once the week is planned) a later ask for this week's call with them, unless it follows a meeting
    of theirs (``coach.after_event``: a conversation of its own)."""
    if not (
        first.contact is not None
        and first.due is not None
        and other.due is not None
        and _same_person(first, other)
        and _same_call(first.owner, other.owner)
    ):
        return False
    if first.horizon == other.horizon:
        return True
    return as_of is not None and first.horizon == "this_week" and not _follows_event(other.action)


def _same_call(first: str, other: str) -> bool:
    """The same rep, and any seller-side role only one of them names works behind the call (the deal desk or
    legal prepares the billing change the rep offers); an executive sponsor or a solutions engineer is in the
    conversation themselves, so their step is a meeting of its own."""
    ours, theirs = _owners(first), _owners(other)
    behind = {t("coach.seller.deal_desk"), t("coach.seller.legal")}
    return ours[0] == theirs[0] and set(ours[1:]) ^ set(theirs[1:]) <= behind


def _owners(owner: str) -> list[str]:
    """ "Jordan Pike + deal desk" -> ["Jordan Pike", "deal desk"]: the rep first, then the seller-side roles
    (``coach.with_seller``)."""
    return [part.strip() for part in owner.split(" + ")]


def _follows_event(action: str) -> bool:
    """``action`` is written as following a meeting (:func:`_after_their_meeting`): it begins as the catalogue's
    ``coach.after_event`` does in the review's language, whatever the event and date."""
    before = t("coach.after_event", event="\x00", date="\x01", action="\x02").split("\x02")[0]
    pattern = re.escape(before).replace("\x00", ".+?").replace("\x01", ".+?")
    return re.match(pattern, action) is not None


def _timed(action: NextAction, as_of: dt.date, calendar: Calendar) -> NextAction:
    """The step's time words agree with its date: "the same day" is due on the first working day, and "this
    week" on a date past this week says the date instead."""
    if action.due is None:
        return action
    if _NOW.search(action.action):
        return action.model_copy(update={"due": calendar.add(as_of, 1), "horizon": "this_week"})
    sunday = as_of + dt.timedelta(days=6 - as_of.weekday())
    if action.due > sunday and _THIS_WEEK.search(action.action):
        return action.model_copy(update={"action": _THIS_WEEK.sub(t("coach.by_date", date=action.due), action.action)})
    return action


def _signer_met_this_week(deal: Deal, finding: Finding, action: NextAction, actions: list[NextAction]) -> bool:
    """Asking someone else to broker a meeting with the economic buyer, in a week that already has an action
    with the economic buyer in person, is a second route to a door that is open."""
    if finding.code != "meddpicc.economic_buyer":
        return False
    signers = {p.name for p in deal.stakeholders if str(p.role) == "economic_buyer"}
    met = any(a.horizon == "this_week" and contact_name(a.contact) in signers for a in actions)
    return met and contact_name(action.contact) not in signers


def _second_approach(step: Marked, action: NextAction, actions: list[NextAction]) -> bool:
    """An executive sponsor's call to someone the rep already meets this week: one approach to a person a week (a
    blind VP grade of Lucerne: the rep's 30 minutes with a hostile CFO on 12-01, then our sponsor's call on 12-02,
    "too much pressure"). The sponsor joins the rep's meeting instead; the row is not assigned."""
    return step.owner == "executive_sponsor" and any(
        a.horizon == "this_week" and _same_person(a, action) for a in actions
    )


def _redundant(
    action: NextAction, order: tuple[str, int], actions: list[NextAction], steps: list[tuple[str, int]]
) -> bool:
    """A second re-engagement message to the same silent person (one per person, not one per way of measuring
    the silence), a plan step to confirm with someone already asked to date the paper's steps, or a rule's earlier
    step ("diagnose before you reach out") dated after its later one."""
    silence = {*ABOUT_SILENCE, "momentum.meetings_rescheduled"}  # moved meetings, then silence: one silence
    if set(action.finding_codes) & silence and any(
        a.contact == action.contact and set(a.finding_codes) & silence for a in actions
    ):
        return True
    if "positive.plan_step_ahead" in action.finding_codes and any(
        a.contact == action.contact and "meddpicc.paper_process" in a.finding_codes for a in actions
    ):  # the person already asked for a date on every paper step is not asked again about one of them
        return True
    due = action.due or dt.date.max
    return any(
        rule == order[0] and index > order[1] and (a.due or dt.date.max) < due
        for a, (rule, index) in zip(actions, steps, strict=True)
    )


def _waits_for_reply(action: NextAction, actions: list[NextAction], dark: frozenset[str]) -> bool:
    """Someone who is not answering already has the rep's message, which holds every other ask of them."""
    return contact_name(action.contact) in dark and any(_same_person(a, action) for a in actions)


def _cold(deal: Deal, action: NextAction, actions: list[NextAction], *, stalled: bool) -> bool:
    """An ask of a buyer-side person who has not engaged on the deal yet, when it is a second one (the first has
    to land first) or the deal has stalled with its contact silent (someone who never engaged does not revive a
    deal the business has dropped; the way round is the no-reply branch of the message to the silent one)."""
    person = next((s for s in deal.stakeholders if s.name == contact_name(action.contact)), None)
    if person is None or person.engaged:
        return False
    return stalled or any(_same_person(a, action) for a in actions)


def _worth_acting_on(
    deal: Deal,
    findings: list[Finding],
    dark: frozenset[str] = frozenset(),
    crm: str | None = None,
    as_of: dt.date | None = None,
) -> list[Finding]:
    """Problems first, worst first, then the follow-through on the freshest positive signals (a questionnaire to
    return, references to line up, a workshop to prepare): what moves a good deal is often there, not in its one
    problem. A deal with no high problem gets that follow-through on its three freshest signals, else two."""
    if not deal.is_open and not any(f.code == "anti.post_close_abandonment" for f in findings):
        return []
    paused = stopped_by_event(findings)  # news at the buyer's company: the paper waits for the signer's word on it
    problems = [
        f
        for f in ranked(findings)
        if f.severity in ACTION_SEVERITIES
        and not f.code.startswith(_SKIP)
        and f.code not in HEADLINE_ONLY
        and not _minor_seat(f, deal)
        and (f.code != FANTASY or crm is not None)  # the call's row is the CRM change to make, when there is one
        and not (paused and f.code in PAPER_WAITS)
    ]
    # the CRM change for the call the evidence supports comes first: every other row is worked from it
    problems.sort(key=lambda f: f.code != FANTASY)
    lost = [f for f in problems if f.code == "meddpicc.competition" and f.data.get("lost_to")]
    if lost:  # the buyer chose another vendor: the CRM change and the debrief, no selling on a deal that is gone
        return [f for f in problems if f.code == FANTASY] + lost
    # a tier-4 deal (below the seed's tier-3 amount, or poor fit) is routed before it is worked: where it is
    # served best (account-tiering), not a recovery sequence run with enterprise selling time
    routed = [f for f in findings if f.code == "account.tier" and f.data.get("tier") == 4 and deal.is_open]
    if routed and not any(f.code == "account.poor_fit" for f in problems):  # poor fit: routed below, as ever
        return routed[:1]  # one action: where the deal is served best; no enterprise selling sequence on it
    # routing first: whether to work a poor-fit deal at all is decided before the work on it
    problems.sort(key=lambda f: f.code != "account.poor_fit")
    problems = _equip_before_review(deal, problems, dark)
    if not deal.is_open:
        return problems
    signals = sorted(
        (f for f in findings if f.code.startswith("positive.") and not (paused and f.code in PAPER_WAITS)),
        key=_latest,
        reverse=True,
    )
    serious = any(f.severity in (Severity.CRITICAL, Severity.HIGH) for f in problems)
    # what the buyer asked of us and nobody has delivered is owed whatever else is wrong, however old the ask
    asked = [f for f in signals if f.code in BUYER_REQUESTS]
    rest = [f for f in signals if f not in asked]
    committed = [f for f in rest if f.code == COMMITTED]
    if committed:  # the signer has dated the signature: the earlier signals' follow-through is done
        rest = committed
    # what the buyer waits on from us by a date this week (or already past) is this week's first row after the
    # CRM change: the ball is in our court, and a deadline the buyer set is the one a rep must not miss
    due = [f for f in asked if f.code == WAITING and _due_soon(f, as_of or deal.reference_date())]
    # the champion taking us to someone new within the week is the meeting to prepare, before any checklist
    # point: who that person is, whether they sign, what they need to see (relationship-multi-threading)
    due += [f for f in rest if f.code == INTRODUCTION and _due_soon(f, as_of or deal.reference_date(), "date")]
    rest = [f for f in rest if f not in due]
    first = [f for f in problems if f.code in (FANTASY, "account.poor_fit")]  # routing, then the CRM change
    problems = [f for f in problems if f not in first]
    return first + due + problems + rest[: 2 if serious else 3] + [f for f in asked if f not in due]


PAPER_WAITS = (
    "meddpicc.paper_process",
    "anti.hoping_not_controlling",
    "positive.legal_security_review",
    "positive.procurement_timeline",
)
"""Paper and plan steps that wait while an event at the buyer's company (a freeze, a cost programme) is unanswered:
pushing a contract through legal in the week corporate froze all spend is work on the wrong question."""


def stopped_by_event(findings: list[Finding]) -> bool:
    """An event at the buyer's company, high or critical, is on record (``momentum.company_event``): whether this
    project goes ahead at all comes before its paper."""
    return any(f.code == "momentum.company_event" and f.severity.rank <= Severity.HIGH.rank for f in findings)


WAITING = "positive.buyer_waiting"
WAITING_SOON = 7
"""Days ahead within which what the buyer waits on from us comes first (ae-coach default: a week)."""


INTRODUCTION = "positive.introduction"


def _due_soon(finding: Finding, as_of: dt.date, key: str = "due") -> bool:
    due = finding.data.get(key)
    return bool(due) and dt.date.fromisoformat(str(due)) <= as_of + dt.timedelta(days=WAITING_SOON)


def _minor_seat(finding: Finding, deal: Deal) -> bool:
    """A committee seat nobody holds that is neither the signer nor the champion, from proposal on: "draw the
    committee on one page (nobody named as user buyer)" a week before the signature is a checklist row, not the
    week's work; before proposal the seat is still to fill. A signer who left with a named successor is not an
    empty seat here: the meeting with the successor is its own action."""
    if finding.code != "committee.missing_role":
        return False
    missing = set(finding.data.get("missing") or [])
    if finding.data.get("successor"):  # the signer's seat is the successor's, worked by its own action
        missing.discard("economic_buyer")
    late = STAGE_ORDER[Stage(str(deal.stage))] >= STAGE_ORDER[Stage.PROPOSAL]
    return late and not missing & set(_SIGNING_ROLES)


EQUIP = ("meddpicc.metrics", "anti.neglecting_champion")
"""Findings whose action is the case the champion carries: the business case in the buyer's numbers."""


def _equip_before_review(deal: Deal, problems: list[Finding], dark: frozenset[str]) -> list[Finding]:
    """When a step ahead takes the case to whoever signs (the champion showing the deck to his boss), what the
    champion will carry into that room comes second, after the worst problem: a case with no number the buyer
    agreed, or a champion nobody has equipped, is what that meeting decides on, and a third ask of the same
    champion would otherwise push it out of the week. Not while anyone on the deal has gone silent: a champion
    who does not answer carries nothing, and the message that reaches them comes first."""
    equip = next((f for f in problems if f.code in EQUIP), None)
    if (
        dark
        or equip is None
        or problems.index(equip) <= 1
        or signer_review(deal, deal.as_of or dt.date.today()) is None
    ):
        return problems
    rest = [f for f in problems if f is not equip]
    return [*rest[:1], equip, *rest[1:]]


def _play(finding: Finding, rulebook: Rulebook, situation: Situation, used: set[tuple[str, str]]) -> Any:
    for rule in rules_for(finding, rulebook):
        for step in rule.plays:
            if finding.code not in step.answers or step.scope == "pipeline" or (rule.id, step.text) in used:
                continue
            if situation.allows(step, finding) and _roles_present(step.text, situation):
                return rule, step
    return None


def _named_in(step: Marked, deal: Deal) -> Stakeholder | None:
    """The person a step names by its one role placeholder ("have your sponsor call [economic buyer]"): the
    action is with them, whoever the finding would otherwise send the rep to."""
    roles = {m.group(1).lower().replace(" ", "_") for m in _PLACEHOLDER_ROLE.finditer(step.text)}
    return person_in_role(deal, roles.pop()) if len(roles) == 1 else None


def _roles_present(text: str, situation: Situation) -> bool:
    """Every committee role a step's placeholders name is held by someone in the deal."""
    wanted = {m.group(1).lower().replace(" ", "_") for m in _PLACEHOLDER_ROLE.finditer(text)}
    return wanted <= situation.roles


def _action(
    deal: Deal,
    facts: DealFacts,
    about: tuple[Finding, str],
    chosen: tuple[Rule, Marked],
    index: int,
    calendar: Calendar,
    dark: frozenset[str] = frozenset(),
    *,
    crm: str | None = None,
) -> NextAction:
    rule, step = chosen
    finding, why = about
    # a desk step is the rep's own work, with the one person its text names, if any ("write [champion] a case")
    contact = _named_in(step, deal) if step.scope == "desk" else _named_in(step, deal) or _contact(deal, finding, dark)
    if "source_known" in step.when:  # a step for when the record says who raised it goes to that person
        contact = source_of(finding, deal) or contact
    due = _due(deal, facts, finding, contact, index, calendar)
    crm = crm if finding.code == FANTASY else None
    if "gate_month" in step.when and (gate := month_gate(deal, facts, calendar)) is not None:
        # the buyer's gate and the day our part for it is due, before the CRM change that follows from it
        said = t("coach.gate", gate=gate[0], month=f"{gate[1]:%Y-%m}", due=gate[2])
        crm = t("coach.detail_separator").join([said, crm]) if crm else said
    text, evidence = _text(deal, facts, finding, step, contact, crm=crm)
    met = [item.date for item in facts.upcoming if contact is not None and _with(contact, item)]
    text, due = _lead_dated(text, due, finding, facts.as_of, calendar, met)
    return NextAction(
        action=text,
        owner=_owner(deal, step),
        contact=label(contact) if contact else None,
        due=due,
        why=why,
        evidence=evidence,
        rule_id=rule.id,
        finding_codes=[finding.code],
        horizon="this_week" if index < THIS_WEEK else "later",
    )


_LEAD = lazy(
    r"\b(?P<n>one|two|three|four|five|[1-5]) working days? before (?P<what>the [^,]{3,60})|"
    r"在(?P<zwhat>[^，]{2,60}?)前(?P<zn>[一二两三四五1-5])个工作日",
    re.IGNORECASE,
)
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


def _lead_dated(
    text: str, due: dt.date, finding: Finding, as_of: dt.date, calendar: Calendar, met: list[dt.date]
) -> tuple[str, dt.date]:
    """A step timed by working days before a dated event ("Two working days before the buyer's next step on the
    plan, confirm…") says the day, and is due on it unless a meeting with its contact (``met``) comes first: it is
    done by then (a VP grade read "two working days before" Friday's legal step next to a due date of Monday)."""
    match = _LEAD.search(text)
    when = finding.data.get("date")
    if match is None or not when:
        return text, due
    event = dt.date.fromisoformat(str(when))
    count = match.group("n") or match.group("zn")
    day = max(calendar.add(event, -int(_COUNTS.get(count.lower(), count))), calendar.add(as_of, 1))
    if day >= event:
        return text, due
    words = match.group(0)
    said = t("coach.by_lead", date=day, lead=words[:1].lower() + words[1:] if match.group("n") else words[1:])
    sooner = any(due < meeting <= day for meeting in met)
    return text[: match.start()] + said + text[match.end() :], due if sooner else day


_LABEL = lazy(r"^[a-z_ ]{2,30}: (?=\d{4}-\d{2}-\d{2})")
"""An evidence line's label ("proposal: 2026-11-03 …"): the date and the quote say it better as a lead."""
_SEE_RULE = lazy(r" \(see [a-z]+(?:-[a-z]+)+\)|（(?:参见|见) ?[a-z]+(?:-[a-z]+)+）")
"""A rule's cross-reference ("(see relationship-buying-committee)") helps a reader of the rulebook, not a rep
reading an action."""


def _text(
    deal: Deal, facts: DealFacts, finding: Finding, step: Marked, contact: Stakeholder | None, *, crm: str | None = None
) -> tuple[str, str | None]:
    """The step in this deal's words, placeholders filled, with the person it is with (for the forecast call,
    ``crm``: the change to make in the CRM, in this deal's values); and apart from it, the deal's fact behind it
    (a blind VP grade: actions of 150 words, "evidence goes in the why column")."""
    raw = step.text
    if "source_known" in step.when and contact is not None:  # "[name]" is the one the record says raised it
        raw = raw.replace("[name]", contact.name)
    if contact is not None and current() == "en":  # "Ask the champion to broker…" with Marcus: ask Marcus
        raw = _LEADING_CHAMPION.sub(lambda m: m.group(1) + contact.name, raw, count=1)
        if str(contact.role) == "champion":
            raw = _THE_CHAMPION.sub(lambda _match: contact.name, raw)
    elif contact is not None and current() == "zh":  # "请内部支持者牵线…" with Alicia: 请 Alicia 牵线
        raw = _LEADING_CHAMPION_ZH.sub(lambda m: f"{m.group(1)} {contact.name} ", raw, count=1)
        if str(contact.role) == "champion":
            raw = _THE_CHAMPION_ZH.sub(lambda m: f"{m.group(1)} {contact.name} ", raw)
        raw = _SPACE_BEFORE_MARK.sub("", raw)
    if "[source]" in raw and contact is not None and said_by(finding, deal) == contact.name:
        raw = raw.replace("[source]", t("coach.neutral.source"))  # the contact relaying it did not raise it
    raw = raw.replace("[case]", case_words(facts.case))  # the deal's facts already name it
    # the record's own words in before the step is trimmed: a menu is judged on what the action will say
    raw = _RECORD_WORDS.sub(lambda match: fill(match.group(0), deal, finding), raw)
    text = _SEE_RULE.sub("", personalise(fill(fit_stage(drop_menu(raw), deal.stage), deal, finding), deal))
    text = _DEFAULT_LABEL.sub(_without_label, text)  # the rulebook labels its defaults; an action just says them
    if _WHOEVER_SIGNS.search(text) and (signer := _signer_words(deal)):
        text = _WHOEVER_SIGNS.sub(lambda _match: signer, text)
    fact = _holder_fact(step, facts) or fact_of(finding, facts, deal, about=step.text)
    text, dropped = drop_condition(text, any(atom in (finding.code, "pricing_out") for atom in step.when))
    if dropped and fact:  # the rule's generic condition is gone: its evidence line needs no label of its own
        fact = _LABEL.sub("", fact).rstrip(".。")
    # a meeting to use ("use "ROI review with the CFO" on 12-02 to meet whoever signs") is how the action is done
    advice = bool(fact) and fact.startswith(lead("coach.fact.executive_meeting"))
    evidence = fact if fact and not crm and not advice and not _said_in(fact, text) else None
    # the CRM change is what the forecast's action does, and a meeting to use is how the action is done: both
    # stay in its words
    parts = [crm] if crm else [fact] if advice and fact and fact.lower() not in text.lower() else []
    if contact is not None and contact.name not in text:
        parts.insert(0, t("coach.with", name=contact.name))
    if parts:
        text = t("coach.detail", text=text.rstrip(".。"), detail=t("coach.detail_separator").join(parts))
    return text, evidence


def _said_in(fact: str, text: str) -> bool:
    """The action's words already give the fact: the whole of it, or every quote it holds (a filled "[own numbers]"
    quotes the figures the metric's evidence line holds)."""
    quotes = [q.rstrip("…") for q in quotes_in(fact)]
    return fact.lower() in text.lower() or (bool(quotes) and all(q in text for q in quotes))


def _holder_fact(step: Marked, facts: DealFacts) -> str | None:
    """A step for the side that holds the document the buyer's process waits on says which document, and what
    waits on it, in the record's words ("IS only sends the check sheet after an NDA is executed")."""
    if "held_ours" in step.when:
        return facts.timing.held_by_us  # where the record puts the item on our own desk
    if not {"precondition_ours", "precondition_theirs"} & set(step.when):
        return None
    return facts.timing.precondition


_WHOEVER_SIGNS = lazy(r"\bwhoever signs\b")
_DEFAULT_LABEL = lazy(r" ?([(（])ae-coach (?:default|默认值)(?:[:：] ?([^)）]*))?([)）])")
"""The rulebook's "(ae-coach default: 30-45 minutes)": honest in a rule, noise in a rep's action."""


def _without_label(match: re.Match[str]) -> str:
    """ "(ae-coach default: 30-45 minutes)" -> " (30-45 minutes)"; "(ae-coach default)" -> ""."""
    value = match.group(2)
    return f" {match.group(1)}{value}{match.group(3)}" if value else ""


_RECORD_WORDS = lazy(r"\[(?:source|missing role)\]")
_LEADING_CHAMPION = lazy(r"^(\w+(?: \w+){0,3}? )(?:your|the) (?:champion|contact)\b(?! \()")
"""The step's first words address the champion ("Ask the champion to…", "Share the draft with the champion"):
addressed to the person the action is with, who stands in when the champion has gone quiet."""
_THE_CHAMPION = lazy(
    r"\b(?:your|the) champion\b(?! \()(?=\s+(?:to|as|and|for|with|that|who|has|is|can|will|before|after|about|at|if)\b)"
)


_LEADING_CHAMPION_ZH = lazy(r"^(请|问|向)(?:你的)?内部支持者(?!（)")
"""A Chinese step whose first words ask the champion ("请内部支持者牵线…"): as :data:`_LEADING_CHAMPION`. Not one done
with them ("和内部支持者一起准备…与 Mark 的会议"), which Chinese puts first where English puts it last: with Mark
as the contact it stays the champion's."""
_THE_CHAMPION_ZH = lazy(r"(请|让|问|向|跟|与|通过|由|告诉|告知|抄送)(?:你的)?内部支持者(?!（)")
"""The champion as the one a Chinese step asks, tells or works through ("由你的内部支持者出面牵线"), not the role
in a list or a definition ("确认谁是真正的内部支持者"): as :data:`_THE_CHAMPION`."""
_SPACE_BEFORE_MARK = lazy(r" (?=[，。：；、）！？]|$)")


def _signer_words(deal: Deal) -> str | None:
    """Who signs, as the record knows them: the economic buyer by name, else the office the record says signs
    ("the CFO"); None when it knows neither (the rule's "whoever signs" stays)."""
    signer = person_in_role(deal, "economic_buyer")
    if signer is not None:
        return signer.name
    office = named_signer(deal)
    return f"the {office}" if office and current() == "en" else None


def _owner(deal: Deal, step: Marked) -> str:
    """The rep, and the seller-side role the step names as doing it with them (``{owner …}``)."""
    rep = deal.owner or t("coach.you")
    return t("coach.with_seller", owner=rep, role=t(f"coach.seller.{step.owner}")) if step.owner else rep


def _said_then(deal: Deal, name: str, day: dt.date | None) -> str | None:
    """What the record says of the last two-way exchange with ``name`` ("Luis will take it to the leadership
    team; we'll get back to you")."""
    said = [a.summary for a in deal.activities if day and a.date == day and name in a.with_ and a.summary]
    return said[-1] if said else None


_ASKED = lazy(
    r"\b(?:asked|asks|asking|requested|requests|wants|wanted|is looking for|needs|commissioned)\b[^.;]{0,20}?"
    r"\b(?:for|to see|to have|to get|an?|the)\b",
    re.IGNORECASE,
)


def signer_asked(deal: Deal, name: str, as_of: dt.date) -> tuple[dt.date, str] | None:
    """The latest thing the record says a signer nobody has met asked for, in its words ("Ana asked the platform
    lead for 'a comparison, Datadog On-Call vs what we have'"): their own agenda, relayed by whoever heard it."""
    return _said_of(deal, name, as_of, _ASKED, within=8)


def _said_of(
    deal: Deal, name: str, as_of: dt.date, pattern: re.Pattern[str], within: int
) -> tuple[dt.date, str] | None:
    """The latest sentence on record where ``pattern`` follows the person's name within ``within`` characters, with
    its date, from their name on (what they asked for, how they lean), whoever relayed it."""
    first = given_name(name)
    for activity in sorted(deal.activities, key=lambda a: a.date, reverse=True):
        if activity.date > as_of or not activity.summary:
            continue
        for sentence in re.split(r"(?<=[.;!?])\s+", activity.summary):
            at = re.search(rf"\b(?:{re.escape(name)}|{re.escape(first)})\b", sentence)
            found = pattern.search(sentence, at.end()) if at else None
            if at and found and found.start() - at.end() <= within:
                return activity.date, sentence[at.start() :].strip()
    return None


_LEANS = lazy(
    r"\b(?:is|was|will be|seems?|sounds?)\s+[\"'“‘]?(?:(?:much|far|a lot|a bit|very|quite|more|less|even)\s+){0,2}"
    r"(?:conservative|cautious|sceptical|skeptical|tough|hard|strict|tight|wary|worried|concerned|nervous|keen|"
    r"hostile|negative|cold|price[- ]sensitive)\b|\bwill (?:want|need|ask|insist)\b",
    re.IGNORECASE,
)
"""How someone who has heard the signer describes where they lean ("Rachel is 'more conservative on new opex than
Glenn' and will want to see the business case herself")."""


def signer_leaning(deal: Deal, name: str, as_of: dt.date) -> tuple[dt.date, str] | None:
    """The latest word on record about how a signer nobody has met leans, relayed by whoever heard it, in its words
    from the signer's name on: what the meeting with them has to answer first."""
    return _said_of(deal, name, as_of, _LEANS, within=4)


def finding_prepares_executive(finding: Finding) -> bool:
    """Work on the economic buyer prepares the next executive meeting on the calendar."""
    return finding.code in ("meddpicc.economic_buyer", "committee.missing_role", "anti.forecast_fantasy")


def _due(
    deal: Deal, facts: DealFacts, finding: Finding, contact: Stakeholder | None, index: int, calendar: Calendar
) -> dt.date:
    """This week's actions on the next working days in priority order; later ones two weeks out; each
    on a working day before the meeting with its contact, or the close date, that it prepares."""
    as_of = facts.as_of
    due = calendar.add(as_of, index + 1) if index < THIS_WEEK else calendar.add(as_of, 5 + 2 * (index - THIS_WEEK + 1))
    events = [item.date for item in facts.upcoming if contact is not None and _with(contact, item)]
    if finding_prepares_executive(finding) and (meeting := executive_meeting(facts)) is not None:
        events.append(meeting.date)
    if deal.is_open and deal.close_date and deal.close_date > as_of:
        events.append(deal.close_date)
    if finding.code == "positive.plan_step_ahead" and finding.data.get("date"):
        events.append(dt.date.fromisoformat(str(finding.data["date"])))  # confirmed before the step, not after
    if finding.code == WAITING and finding.data.get("due"):  # delivered by the date the buyer gave
        events.append(dt.date.fromisoformat(str(finding.data["due"])) + dt.timedelta(days=1))
    for event in sorted(events):
        if event > as_of and due >= event:
            due = max(calendar.on_or_before(event - dt.timedelta(days=1)), calendar.on_or_after(as_of))
            break
    return due


def _with(person: Stakeholder, item: Any) -> bool:
    """The dated item involves ``person``: they attend it or own it (a next step or plan step in their name)."""
    named = names_person(person, item.text)  # "CFO review of revised case", owned by "customer"
    return person.name in item.people or _owns(person, item.owner) or named


def _owns(person: Stakeholder, owner: str | None) -> bool:
    """A step's owner, as the record writes it, is ``person`` (their name or given name)."""
    return (owner or "").strip() in (person.name, given_name(person.name))


def _contact(deal: Deal, finding: Finding, dark: frozenset[str] = frozenset()) -> Stakeholder | None:
    """The buyer-side person the finding is about (a named late stakeholder, the chased person), else by role."""
    names = finding.data.get("names") or finding.data.get("people")
    if isinstance(names, list):
        named = next((s for s in deal.stakeholders if s.name in names), None)
        if named is not None:
            return named
    if finding.code.startswith("positive.") and finding.evidence:
        line = max(finding.evidence, key=_when)
        head, _, said = line.partition(":")
        present = [(line.find(s.name), s) for s in deal.stakeholders if s.name in head]
        # the one the quote is about ("Marcus asked detailed integration questions"), else the first there
        speaking = [(i, s) for i, s in present if names_person(s, said)]
        present = speaking or present
        if present:
            return min(present, key=lambda item: item[0])[1]
    if finding.code == "positive.plan_step_ahead":
        owner = _step_owner(deal, finding)
        if owner is not None and owner.name not in dark:
            return owner  # the step is confirmed with whoever runs it, not with the champion by default
    if finding.code in RAISED_BY:
        raised = _raised_by(finding, deal)  # "Thandiwe: a 20% reduction … as a condition of award": hers to answer
        if raised is not None and raised.name not in dark:
            return raised
    paper = finding.code == "meddpicc.paper_process"
    owner = paper_titled(deal, term_open=bool(finding.data.get("open"))) if paper else None
    if owner is not None and docs_owed(deal, deal.as_of or dt.date.today()) and LEGAL_TITLE.search(owner.title or ""):
        owner = None  # supplier documents go to whoever runs their onboarding, not to their lawyer
    if owner is not None and owner.name not in dark:
        return owner  # the paper is worked with the buyer's legal or procurement person who answers us
    person = contact_for(deal, finding.code)
    if person is not None and person.name in dark and finding.code not in ABOUT_SILENCE:
        # work that needs an answer goes through someone who answers, when the deal has one; never the economic
        # buyer for the way to the economic buyer (nobody brokers a meeting with themselves), the most senior first
        answering = [s for s in deal.stakeholders if s.engaged and s.name not in dark]
        if finding.code == "meddpicc.economic_buyer":
            answering = [s for s in answering if str(s.role) != "economic_buyer"]
        answering.sort(key=lambda s: -seniority(s.title))
        return next(iter(answering), person)
    return person


_PURCHASE_ORDER = lazy(rf"\b(?:{PURCHASE_ORDER})\b", re.IGNORECASE)
"""A plan step about the buyer's purchase order ("PO approved and issued"): procurement's, a paper step."""


def _step_owner(deal: Deal, finding: Finding) -> Stakeholder | None:
    """The buyer-side person who runs the plan step a finding names: its owner or the person in its text, the owner
    of the next step on the same date ("Legal redlines back from Priya"), else, for a paper step (redlines, PO,
    procurement), the buyer's person on the paper. Never the signer: "CFO review" is confirmed with the champion
    who takes the case there, not by asking the CFO whether they will hold their own meeting."""
    step = next((p for p in deal.mutual_action_plan if p.action == finding.data.get("step") and p.date), None)
    if step is None:
        return None
    # the signer's own step (their review, their signature) is confirmed through the champion, not with them
    runs = [s for s in deal.stakeholders if role_of(s) not in ("economic_buyer", "blocker")]
    for person in runs:
        if _owns(person, step.owner) or names_person(person, step.action):
            return person
    ahead = deal.next_step
    if ahead is not None and ahead.date == step.date and ahead.owner:
        named = next((s for s in runs if _owns(s, ahead.owner)), None)
        if named is not None:
            return named
    if paper_step(step.action) or _PURCHASE_ORDER.search(step.action):
        return paper_titled(deal)
    return None


_SAYS = r"(?:\s+\w+)?\s*(?::|said|says|asked|asks|wants|wanted|requires|required|requested|told|raised)"


def _raised_by(finding: Finding, deal: Deal) -> Stakeholder | None:
    """The buyer-side person a finding's quote has speaking first ("Thandiwe: …", "Chloe asked for 20% off"), not
    one it merely mentions ("… Not acknowledged by Fiona")."""
    for line in finding.evidence:
        quote = line.partition(': "')[2]
        for person in deal.stakeholders:
            first = given_name(person.name)
            if first and re.match(rf"\W*(?:{re.escape(person.name)}|{re.escape(first)})\b{_SAYS}", quote, re.I):
                return person
    return None


ABOUT_SILENCE = ("momentum.champion_dark", "momentum.stale", "momentum.unanswered_outreach")
RAISED_BY = ("momentum.budget_concern_late",)
"""Findings whose action goes to the buyer-side person the record quotes raising them, when they answer: the
procurement lead who set a condition of award, not the CEO who handed her the commercials."""


def gone_dark(
    facts: DealFacts, findings: list[Finding], chases: int = DEFAULT_SETTINGS.unanswered_outreach
) -> frozenset[str]:
    """Buyer-side people not answering: the dark champion, anyone the record says has left the company, and
    anyone chased ``chases`` times (the inspector's
    ``unanswered_outreach``, default 2) with no reply since, or chased at all on a deal gone quiet past its
    stage's limit. One email a week ago with no answer yet on a live deal is not someone gone dark: the Support
    Manager sent the recording is still who to call. (A stale deal is not everyone gone dark either: the rep
    may simply not have been in touch.)"""
    names = {str(f.data["name"]) for f in findings if f.code == "momentum.champion_dark" and f.data.get("name")}
    stale = any(f.code == "momentum.stale" for f in findings)
    gone = {p.name for p in facts.people if p.left}  # left the company: nobody to send anything to
    return frozenset(names | gone | {p.name for p in facts.people if p.unanswered >= (1 if stale else chases)})


_DATE = lazy(r"\b\d{4}-\d{2}-\d{2}\b")


def _when(line: str) -> str:
    match = _DATE.match(line)
    return match.group(0) if match else ""


def _latest(finding: Finding) -> str:
    return max((_when(line) for line in finding.evidence), default="")


# ------------------------------------------------------------------------------------------- facts


def fact_of(finding: Finding, facts: DealFacts, deal: Deal, about: str = "") -> str:
    """The fact of this deal that makes the finding true, in a few words: who, since when, how many. A long
    quote is cut to the clause that bears on ``about`` (the step it will stand beside), when one does."""
    code, data = finding.code, finding.data
    if data.get("lost_to"):  # the buyer's own words choosing the other vendor
        return _shorten(str(data["lost_to"]))
    if code in ("momentum.champion_dark", "momentum.unanswered_outreach", "momentum.stale"):
        people = facts.in_role("champion") if code == "momentum.champion_dark" else []
        chased = [p for p in facts.people if p.unanswered] if code != "momentum.champion_dark" else people
        person = next(iter(chased or people), None)
        if person is not None:
            since = (
                t("coach.fact.last_two_way", date=person.last_two_way)
                if person.last_two_way
                else t("coach.fact.no_two_way")
            )
            said = _said_then(deal, person.name, person.last_two_way)
            if said:  # the commitment the message names, in the record's words
                quoted = f'"{said}"' if current() == "en" else f"“{said}”"
                since += t("coach.fact.said_then", said=_shorten(quoted, 90))
            count = person.unanswered
            extra = (
                ""
                if not count
                else t("coach.fact.unanswered_one")
                if count == 1
                else t("coach.fact.unanswered", count=count)
            )
            return t("coach.fact.person", name=person.name, since=since, extra=extra)
        if facts.last_two_way:
            return t("coach.fact.last_two_way", date=facts.last_two_way)
        return t("coach.fact.no_two_way_on_record")
    # the signer missing from the list, unless the record names who holds a departed signer's office: then the
    # economic-buyer row says so, and this row is about the roles nobody holds
    no_signer = (
        code == "committee.missing_role"
        and "economic_buyer" in (data.get("missing") or [])
        and not (data.get("successor") and len(data["missing"]) > 1)
    )
    if code == "meddpicc.economic_buyer" or no_signer:
        meeting = executive_meeting(facts)
        ebs = facts.in_role("economic_buyer")
        if code == "meddpicc.economic_buyer" and meeting is not None and ebs and ebs[0].last_two_way:
            # met, and the finding says not backing it yet: the review ahead is theirs, not "meet whoever signs"
            return t(
                "coach.fact.eb_met_next", name=ebs[0].name, date=ebs[0].last_two_way, text=meeting.text, on=meeting.date
            )
        if meeting is not None:
            leaning = signer_leaning(deal, ebs[0].name, facts.as_of) if ebs and not ebs[0].last_two_way else None
            if leaning is not None:  # what the first meeting with a new signer has to answer
                return t(
                    "coach.fact.executive_meeting_leaning",
                    text=meeting.text,
                    date=meeting.date,
                    said_on=leaning[0],
                    said=_shorten(leaning[1], 160),
                )
            return t("coach.fact.executive_meeting", text=meeting.text, date=meeting.date)
        champion = person_in_role(deal, "champion")
        if ebs:
            title = ebs[0].title
            name = t("coach.fact.name_title", name=ebs[0].name, title=title) if title else ebs[0].name
            if ebs[0].last_two_way:  # met, then objected or parked it: not "never met"
                return t("coach.fact.eb_met_not_engaged", name=name, date=ebs[0].last_two_way)
            asked = signer_asked(deal, ebs[0].name, facts.as_of)
            if asked is not None:  # what they asked for is the reason to meet that serves their agenda
                return t("coach.fact.eb_not_met_asked", name=name, date=asked[0], said=_shorten(asked[1], 140))
            case = own_numbers(deal)
            if case is not None:  # the buyer's own numbers are the reason to meet that serves the signer's agenda
                return t("coach.fact.eb_not_met_case", name=name, case=_shorten(case, 100))
            return t("coach.fact.eb_not_met", name=name)
        route = t("coach.fact.route_in", name=champion.name) if champion else ""
        departed = facts.departed_signer
        if departed is not None:  # the signer left: whoever the record names in their office is the one to meet
            return t("coach.fact.successor", who=departed.succeeded_by, old=departed.name, route=route)
        return t("coach.fact.nobody_signs", route=route)
    if code == "committee.missing_role" and data.get("missing"):  # the roles nobody holds, not the whole list
        roles = [str(r) for r in data["missing"] if not (data.get("successor") and r == "economic_buyer")]
        return t("coach.fact.missing_roles", roles=join([term(r) for r in roles or data["missing"]]))
    stuck = data.get("stuck") if code == "meddpicc.paper_process" else None
    still_open = data.get("open") if code == "meddpicc.paper_process" else None
    if isinstance(stuck, str) and not (isinstance(still_open, str) and not stuck.startswith(PAPER_LATE)):
        # what the record shows the paper doing (a lead time past the signature, our contract unanswered), not
        # the rep's note that it is fine; a step about a late timeline already says what the line begins with
        rest = next((stuck.removeprefix(p) for p in PAPER_LATE if stuck.startswith(p)), None)
        return rest.split(": ", 1)[-1] if rest else stuck
    if isinstance(still_open, str):
        return still_open  # the buyer's word naming the item still open, not the rep's note that the paper is fine
    reason = data.get("reason")
    if code == "meddpicc.decision_criteria" and isinstance(reason, str) and reason.startswith(_OPEN_TEST):
        return reason  # the test still ahead, the criterion failed, the pilot with no bar: not the rep's note
    if code.startswith("meddpicc."):
        element = facts.elements.get(code.split(".", 1)[1])
        numbers = baseline(deal) if code == "meddpicc.metrics" else None
        if numbers and not (element and element.note and re.search(r"\d", element.note)):
            note = numbers  # the buyer's own numbers the value case is built on, not "no number agreed yet"
            return t("coach.fact.on_record", note=note if len(note) <= 80 else note[:77] + "…")
        if element is not None and element.note:
            return t("coach.fact.on_record", note=element.note if len(element.note) <= 80 else element.note[:77] + "…")
        if element is not None:
            return t("coach.fact.nothing_on_record", element=term(element.element))
    if code == "stage.unearned" and isinstance(data.get("unmet"), list):
        items = [criterion(str(item).split(": ", 1)[-1]) for item in data["unmet"][:2]]
        return t("coach.fact.unmet", items=t("coach.detail_separator").join(items))
    if code == "anti.single_threading":
        engaged = [p.name for p in facts.people if p.engaged]
        if not engaged:
            return t("coach.fact.no_engaged")
        held = {str(s.role) for s in deal.stakeholders}
        missing = [term(r) for r in ("economic_buyer", "technical_buyer") if r not in held]
        fact = t("coach.fact.only_engaged", name=engaged[0])
        return fact + (t("coach.fact.nobody_in_role", roles=join(missing)) if missing else "")
    if code in ("momentum.close_date_slipped", "momentum.close_date_passed"):
        close = deal.close_date
        if code == "momentum.close_date_passed" and close:
            days = (facts.as_of - close).days
            if facts.pushes > 1:
                return t("coach.fact.close_passed_moved", close=close, days=days, count=facts.pushes)
            return t("coach.fact.close_passed", close=close, days=days)
        return t("coach.fact.close_moved", count=facts.pushes, close=close)
    if code == "momentum.competitor_late":
        late = [c for c in facts.competitors if c.first_seen]
        if late:
            newest = max(late, key=lambda c: c.first_seen or dt.date.min)
            return t("coach.fact.competitor", name=newest.name, date=newest.first_seen)
    if code == "momentum.late_stakeholder" and isinstance(data.get("names"), list):
        people = [p for p in facts.people if p.name in data["names"]]
        newcomer = next((s for s in deal.stakeholders if people and s.name == people[0].name), None)
        view = view_of(newcomer, deal) if newcomer is not None else None
        if people and view:  # they have given their view: quote it, never "before they form a view"
            return t(
                "coach.fact.joined_said", name=people[0].name, date=people[0].first_seen, said_on=view[0], view=view[1]
            )
        if people:
            return t("coach.fact.joined", name=people[0].name, date=people[0].first_seen)
    if code == "anti.forecast_fantasy" and deal.forecast_category:
        unmet = [str(u).split(":", 1)[0] for u in finding.data.get("why_not_commit") or []]
        category, close = term(deal.forecast_category), deal.close_date
        if finding.data.get("buyer_later") and facts.timing.doubt:  # the buyer's own words are the reason
            return t("coach.fact.called_later", category=category, close=close, source=facts.timing.doubt)
        if str(deal.forecast_category) == "best_case" and finding.data.get("too_early"):  # not a Commit: no gate
            return t("coach.fact.called_too_early", category=category, close=close, stage=term(str(deal.stage)))
        if str(deal.forecast_category) == "best_case" and finding.data.get("wrong_period"):
            return t("coach.fact.called_wrong_period", category=category, close=close)
        if 0 < len(unmet) <= 2:  # the conditions themselves, when they fit in a line
            return t("coach.fact.called_unmet", category=category, close=close, unmet=join(unmet))
        return t("coach.fact.called", category=category, close=close, count=len(unmet))
    if code == "momentum.no_dated_next_step":
        step = deal.next_step
        return (
            t("coach.fact.next_step_undated", action=step.action)
            if step and not step.date
            else t("coach.fact.no_next_step")
        )
    if code == "momentum.budget_concern_late" and facts.budget:  # the budget they stated, against the price
        said = _evidence_fact(finding, facts)
        stated = _DATE.search(facts.budget)
        signer = next((p for p in facts.in_role("economic_buyer") if p.first_seen), None)
        if stated and signer and signer.first_seen and str(signer.first_seen) > stated.group(0):
            # stated to someone else before this economic buyer arrived: a figure to re-confirm, not a budget
            return t(
                "coach.fact.budget_before",
                fact=said,
                budget=facts.budget,
                name=signer.name,
                joined=signer.first_seen,
                amount=money(deal.amount, deal.currency),
            )
        return t("coach.fact.budget", fact=said, budget=facts.budget, amount=money(deal.amount, deal.currency))
    if code == INTRODUCTION:
        return t("coach.fact.booked", text=finding.data["step"], date=finding.data["date"])
    if code == "positive.champion_scheduled" and (booked := _booked(deal, facts)) is not None:
        return t("coach.fact.booked", text=booked.text, date=booked.date)
    if code == "account.poor_fit":
        return t("coach.fact.poor_fit", amount=money(deal.amount, deal.currency))
    return _evidence_fact(finding, facts, about)


def _booked(deal: Deal, facts: DealFacts) -> Any:
    """The next meeting on the calendar the champion is in or owns: the one they booked."""
    champion = person_in_role(deal, "champion")
    items = [i for i in facts.upcoming if i.kind != "close_date" and champion is not None and _with(champion, i)]
    return items[0] if items else None


_EXECUTIVE = lazy(
    r"\b(?:cfo|ceo|coo|cio|cro|vp|economic buyer|budget holder|board|steering|boss|leadership|executives?)\b",
    re.IGNORECASE,
)


def executive_meeting(facts: DealFacts) -> Any:
    """The next dated item on the calendar with an executive (a CFO review, a steering committee), if any."""
    return next((i for i in facts.upcoming if i.kind != "close_date" and _EXECUTIVE.search(i.text)), None)


_QUOTE = lazy(r'"([^"]+)"')


_WITH = lazy(r" with ([^:\"]+):")
"""The people of an activity's evidence line (``ae_coach.inspector._context.describe``)."""


def _quoted(line: str) -> str:
    """'2026-11-03 proposal with Nadia Ivers: "Sent pricing"' -> '2026-11-03（Nadia Ivers）：“Sent pricing”'."""
    date, quote, people = _DATE.search(line), _QUOTE.search(line), _WITH.search(line)
    said = f"“{quote.group(1)}”" if quote else ""
    who = f"（{join(people.group(1).split(', '))}）" if people else ""
    return f"{date.group(0)}{who}：{said}" if date else said


def _evidence_fact(finding: Finding, facts: DealFacts, about: str = "") -> str:
    """The first evidence line that names a person, a date or a number of this deal, else the first line."""
    names = [p.name for p in facts.people]
    lines = [line.split(": ", 1)[-1] if line.startswith(finding.code) else line for line in finding.evidence]
    if current() != "en":  # the inspector's own evidence wording is English; keep the deal's date and quoted words
        lines = [_quoted(line) for line in lines if _QUOTE.search(line)]
    for body in [*(b for b in lines if _DATE.search(b) or any(n in b for n in names) or re.search(r"\d", b)), *lines]:
        return _shorten(_bearing_on(body, about) if len(body) > _LIMIT else body)
    return ""


_STEM = 5
"""Letters two words must share at the start to count as the same word ("scheduled" ~ "schedule")."""


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in re.findall(r"[a-z]{4,}", text.lower())}


def _bearing_on(body: str, about: str) -> str:
    """An evidence line whose quote has several clauses, cut to the clause that shares the most words with
    ``about`` ("…; she scheduled a migration workshop for Dec 3" beside "prepare every meeting they schedule"),
    behind the line's date and people; the line as it is when no later clause bears on it more than the first."""
    quote = _QUOTE.search(body)
    if not about or quote is None:
        return body
    clauses = [c.strip() for c in re.split(r"; |\. ", quote.group(1)) if c.strip()]
    wanted = _stems(about)
    best = max(range(len(clauses)), key=lambda i: (len(_stems(clauses[i]) & wanted), -i), default=0)
    if best == 0 or not _stems(clauses[best]) & wanted:
        return body
    return f'{body[: quote.start()]}"…{clauses[best]}"'


_ATTENDEES = lazy(r" with [^:\"“”]{1,120}(?=: [\"“])")
"""The list of who was there in an evidence line ("2026-11-10 meeting with Dana Lee, Marcus Chen: "…"")."""
_LIMIT = 110
"""Characters of an evidence line an action quotes before it is cut (ae-coach default)."""


def _shorten(body: str, limit: int = _LIMIT) -> str:
    """A long evidence line cut at the end of a clause of its quote, the quote closed, never mid-word."""
    if len(body) <= limit:
        return body
    # who was there goes before any of what was said: "2026-11-10 meeting: "Marcus asked … about the
    # Salesforce API and SSO"", not "… with Dana Lee, Marcus Chen: "Marcus asked … about the…""
    unlisted = _ATTENDEES.sub("", body, count=1)
    if len(unlisted) <= limit:
        return unlisted
    body = unlisted
    # a clause of the quote, never the list of who was there ("with Dana Lee, Marcus Chen: …")
    start = max(body.find('"'), body.find("“"), 0)
    cut = max(body.rfind(mark, start, limit) for mark in ("; ", ". ", ", ", "；", "。", "，"))
    if cut <= 0:
        cut = body.rfind(" ", 0, limit)
    head = body[: max(cut, 1)].rstrip(" ,;.")
    if head.count('"') % 2:
        return head + '…"'
    return head + ("…”" if head.count("“") > head.count("”") else "…")
