"""Checks a sales manager makes before assigning a review's actions, as code: ``audit`` lists what fails.

They hold for every backend's report (the LLM path is held to them after merging): at most three actions
for this week; each action due on a working day after the review date and before the close date it
works toward; no action that argues for a forecast category other than the call; no action or question
for a committee role nobody in the deal holds; at most two questions per person; the plan's drafted
steps on working days, at most two of them on one date. ``names_a_fact`` says whether an action's text names something of this deal (a
person, a date, a number, a competitor); :func:`shared_texts` finds action texts repeated across deals, and
:func:`template_leaks` rulebook menus and conditions the record settles that leaked into an action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ae_coach.coach._people import contact_name
from ae_coach.coach.report import CoachingReport
from ae_coach.deal.calendar import Calendar, calendar_for
from ae_coach.i18n import t, term

THIS_WEEK_LIMIT = 3
SAME_DAY_LIMIT = 2
"""Drafted plan steps on one date at most: two steps can run side by side (the security sign-off and sending the
contract), but redlines, a purchase order and a signature on one day is no paper process a buyer runs."""
_ONE_DAY = dt.timedelta(days=1)
_CATEGORY = re.compile(r"\b(?:call|move|promote|put|keep)s? (?:the deal |it |this deal )?(?:to |in |into |as )?"
                       r"(best case|commit|omitted|pipeline)\b", re.IGNORECASE)  # fmt: skip
_ROLE_WORDS = {"economic buyer": "economic_buyer", "technical buyer": "technical_buyer", "user buyer": "user_buyer"}
# The same two checks on a Chinese report: the glossary's words for the categories and roles.
_CATEGORIES = ("best_case", "commit", "omitted", "pipeline")
_ZH_CATEGORY = {term(c, "zh"): c.replace("_", " ") for c in _CATEGORIES}
_ZH_CATEGORY_RE = re.compile(rf"(?:报|报为|归为|调整为|调到|改为|列为|放进|放入|留在|移到)({'|'.join(_ZH_CATEGORY)})")
_ZH_ROLE = {term(role, "zh"): role for role in _ROLE_WORDS.values()}
_ZH_ROLE_RE = re.compile(rf"(?:问|约见|见到|会见|联系|致电|打给|邮件给|发给|对接)({'|'.join(_ZH_ROLE)})")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}\b")


def audit(report: CoachingReport, deal: Any, calendar: Calendar | None = None) -> list[str]:
    """Every way ``report`` fails the checks above (empty when it passes)."""
    calendar = calendar or calendar_for(None, deal)
    problems = []
    this_week = [a for a in report.next_actions if a.horizon == "this_week"]
    if len(this_week) > THIS_WEEK_LIMIT:
        problems.append(f"{len(this_week)} actions for this week (at most {THIS_WEEK_LIMIT})")
    call = str(report.forecast.category).replace("_", " ")
    roles = {str(s.role) for s in deal.stakeholders}
    close = deal.close_date if deal.is_open and deal.close_date and deal.close_date > report.as_of else None
    for number, action in enumerate(report.next_actions, 1):
        where = f"action {number}"
        if action.due is None:
            problems.append(f"{where}: no due date")
        else:
            if not calendar.working(action.due):
                problems.append(f"{where}: due {action.due}, not a working day")
            if action.due < report.as_of:
                problems.append(f"{where}: due {action.due}, before the review date")
            if close is not None and action.due > close:
                problems.append(f"{where}: due {action.due}, after the close date {close}")
        for said, category in _categories(action.action):
            if category != call:
                problems.append(f"{where}: says {said!r} while the call is {call}")
        problems += [f"{where}: {p}" for p in _missing_roles(action.action, roles)]
        problems += [f"{where}: {p}" for p in _after_its_event(action, deal, report.as_of)]
    per_person = Counter(q.stakeholder for q in report.questions if q.stakeholder and q.role != "ae")
    problems += [f"{count} questions for {name} (at most 2)" for name, count in per_person.items() if count > 2]
    for question in report.questions:
        if question.role and question.role != "ae" and question.role not in roles and question.stakeholder is None:
            problems.append(f"question for a {question.role} the deal does not have: {question.question!r}")
    for step in report.mutual_action_plan:
        if step.kind != "agreed" and not calendar.working(step.date):
            problems.append(f"plan step {step.action!r} on {step.date}, not a working day")
    drafted = Counter(step.date for step in report.mutual_action_plan if step.kind != "agreed")
    problems += [f"{n} drafted plan steps on {day} (at most {SAME_DAY_LIMIT})" for day, n in drafted.items()
                 if n > SAME_DAY_LIMIT]  # fmt: skip
    return problems


def _after_its_event(action: Any, deal: Any, as_of: dt.date) -> list[str]:
    """An action with a buyer contact is due before the next dated item that person attends or owns, unless
    it says it is for after that item (:func:`follows`)."""
    event = next_event(action, deal, as_of)
    if event is None or action.due is None or event[0] > action.due or follows(action.action, event):
        return []
    name = contact_name(action.contact)
    return [f"due {action.due}, after {event[1]!r} with {name} on {event[0]}"]


def follows(text: str, event: tuple[dt.date, str]) -> bool:
    """The action's text says it comes after ``event`` (``coach.after_event``: 'After "Dana takes the ROI
    model to the CFO" on 2026-12-02: ...'): a point for the next conversation, not preparation for that one."""
    return text.startswith(t("coach.after_event", event=event[1], date=event[0], action=""))


def next_event(action: Any, deal: Any, as_of: dt.date) -> tuple[dt.date, str] | None:
    """The next dated item after ``as_of`` that the action's contact attends or owns."""
    name = contact_name(action.contact)
    if not name:
        return None
    dated = [(a.date, a.summary or str(a.type)) for a in deal.activities
             if str(a.status) == "scheduled" and name in (a.with_ or [])]  # fmt: skip
    step = deal.next_step
    if step is not None and step.date and step.owner == name:
        dated.append((step.date, step.action))
    dated += [
        (p.date, p.action) for p in deal.mutual_action_plan if p.date and p.owner == name and str(p.status) != "done"
    ]
    return next(((when, what) for when, what in sorted(dated) if when > as_of), None)


def _categories(text: str) -> list[tuple[str, str]]:
    """(words, category) for each place an action calls the deal a forecast category, in English or Chinese."""
    found = [(m.group(0), m.group(1).lower()) for m in _CATEGORY.finditer(text)]
    return found + [(m.group(0), _ZH_CATEGORY[m.group(1)]) for m in _ZH_CATEGORY_RE.finditer(text)]


def _missing_roles(text: str, roles: set[str]) -> list[str]:
    out = [f"addressed to a {m.group(1)} the deal does not have" for m in _ZH_ROLE_RE.finditer(text)
           if _ZH_ROLE[m.group(1)] not in roles]  # fmt: skip
    for words, role in _ROLE_WORDS.items():
        if re.search(rf"\b(?:ask|meet|call|email|with|brief) (?:the |your )?{words}\b", text, re.IGNORECASE) and (
            role not in roles
        ):
            out.append(f"addressed to a {words} the deal does not have")
    return out


def names_a_fact(text: str, deal: Any) -> bool:
    """Whether an action's text names something of this deal: a person, a competitor, a date or a number."""
    names = [s.name for s in deal.stakeholders] + [c.name for c in deal.competitors]
    parts = [p for name in names for p in (name, name.split()[0]) if len(p) >= 3]
    return bool(_DATE.search(text) or re.search(r"\d", text) or any(p in text for p in parts))


def shared_texts(texts_per_deal: Iterable[list[str]], share: float = 1 / 3) -> list[str]:
    """Action texts that appear in more than ``share`` of the deals (templates pasted across deals)."""
    deals = [set(texts) for texts in texts_per_deal]
    counts = Counter(text for texts in deals for text in texts)
    return sorted(text for text, count in counts.items() if len(deals) > 2 and count > share * len(deals))


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|\'[^\']*\'')
_PAREN = re.compile(r"[(（]([^()（）]*)[)）]")
_MENU_ITEMS = re.compile(r",\s+(?:or\s+)?|\s+or\s+|、|或者?")
_LAST_OR = re.compile(r"(?:,\s+|\s+)or\s+[^,]+$|或者?[^、]+$")
_SETTLED = re.compile(
    r"\bif (?:they|he|she) (?:have|has) (?:gone quiet|gone dark|stopped (?:answering|replying))\b"
    r"|如果(?:他们|对方)不回复",
    re.IGNORECASE,
)
"""A condition on the buyer's present silence: the record says whether they have answered (``paper_silent``,
``momentum.unanswered_outreach``), so an action states which case holds instead of offering both."""


def template_leaks(text: str) -> list[str]:
    """Rulebook text that leaked into an action: a menu of three or more alternatives in parentheses ("(a
    concern, a condition or a question)") or a condition the record settles ("if they have gone quiet"). The
    record's own words, in quotes, are not judged."""
    own = _QUOTED.sub("", text)
    out = []
    for inner in _PAREN.findall(own):
        items = [i for i in _MENU_ITEMS.split(inner) if i.strip()]
        if len(items) >= 3 and _LAST_OR.search(inner) and all(len(i.split()) <= 6 for i in items):
            out.append(f"a menu in the action: ({inner})")
    out += [f"a condition the record settles: {m.group(0)!r}" for m in _SETTLED.finditer(own)]
    return out


def enforce(report: CoachingReport, deal: Any, calendar: Calendar | None = None) -> CoachingReport:
    """``report`` held to the checks: what a model wrote is kept only where a manager could assign it.

    Actions that argue for another forecast category or address a role the deal does not have are
    dropped; due dates move to working days after the review date, before the next item the action's
    contact attends or owns and before the close date; in the
    model's order, the first three due within five working days are this week's, and at most six are kept.
    """
    calendar = calendar or calendar_for(None, deal)
    call = str(report.forecast.category).replace("_", " ")
    roles = {str(s.role) for s in deal.stakeholders}
    close = deal.close_date if deal.is_open and deal.close_date and deal.close_date > report.as_of else None
    kept = []
    for action in report.next_actions:
        if any(category != call for _, category in _categories(action.action)):
            continue
        if _missing_roles(action.action, roles):
            continue
        due = action.due or calendar.add(report.as_of, 5)
        due = calendar.on_or_after(max(due, calendar.add(report.as_of, 1)))
        if close is not None and due >= close:
            due = max(calendar.on_or_before(close - _ONE_DAY), calendar.on_or_after(report.as_of))
        event = next_event(action, deal, report.as_of)
        if event is not None and due >= event[0] and not follows(action.action, event):  # before what it prepares
            due = max(calendar.on_or_before(event[0] - _ONE_DAY), calendar.on_or_after(report.as_of))
        kept.append(action.model_copy(update={"due": due}))
    week_end = calendar.add(report.as_of, 5)
    actions: list[Any] = []
    for action in kept[:MAX_ACTIONS]:
        due = action.due or week_end
        soon = sum(a.horizon == "this_week" for a in actions) < THIS_WEEK_LIMIT and due <= week_end
        actions.append(action.model_copy(update={"horizon": "this_week" if soon else "later"}))
    return report.model_copy(update={"next_actions": actions})


MAX_ACTIONS = 6
