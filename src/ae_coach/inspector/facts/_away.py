"""Absences the record announces: a stakeholder on leave, on holiday or out of office until a date it gives.

"Eleri: I'm on parental leave 11-16 to 12-14. Nadia owns the call-off contract till I'm back": three weeks without
a reply from Eleri is no champion gone dark, and the move is not a fourth email to her inbox."""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Direction
from ae_coach.inspector import text
from ae_coach.inspector.facts._model import ActivityFact, _Names
from ae_coach.inspector.facts._timing import dates_in

_AWAY = lazy(
    r"\b(?:parental|maternity|paternity|medical|sick|annual|compassionate|study|long[- ]service|garden)\s+leave\b|"
    r"\bon (?:leave|holiday|holidays|vacation|sabbatical|pto)\b|\bout of (?:the )?office\b|\bOOO\b|"
    r"\b(?:away|off|out) (?:until|till|through|thru)\b|休假|产假|陪产假|病假|年假|请假",
    re.IGNORECASE,
)
_FROM = lazy(r"\b(?:from|starting|starts|as of)\b|从|起", re.IGNORECASE)
_FIRST_PERSON = lazy(r"\b(?:i'?m|i am|i will be|i'll be)\b|我", re.IGNORECASE)


def away(activities: list[ActivityFact], names: _Names, as_of: dt.date) -> dict[str, tuple[dt.date, str]]:
    """Stakeholder -> (the last day of an absence the record announces that covers ``as_of``, the sentence that
    says so). The person is whoever the sentence names before its word of leave ("Eleri: I'm on parental leave"),
    else the one named after it, else the only buyer in an inbound message written in the first person."""
    out: dict[str, tuple[dt.date, str]] = {}
    for activity in activities:
        if activity.date > as_of or not activity.summary or not _AWAY.search(activity.summary):
            continue
        if activity.direction == Direction.OUTBOUND:
            continue  # our own message: an out-of-office in it is ours ("I'm OOO until 12-20, Dana knows to reach my SE")
        for sentence in text.sentences(activity.summary):
            leave = _AWAY.search(sentence)
            # a leave may have begun before the message ("on leave 10-26 to 11-06", written on 11-02)
            days = dates_in(sentence, activity.date - dt.timedelta(days=31)) if leave else []
            if leave is None or not days or max(days) < as_of:
                continue
            starts = min(days) if len(days) >= 2 else (days[0] if _FROM.search(sentence) else None)
            if starts is not None and starts > as_of:
                continue  # a leave still ahead ("going on parental leave from 12-20") covers no silence yet
            who = _subject(sentence, leave.start(), names, activity)
            if who and who not in out:
                out[who] = (max(days), f"{activity.date} {activity.type}: {text.quote(sentence.strip(), 100)}")
    return out


def _subject(sentence: str, at: int, names: _Names, activity: ActivityFact) -> str | None:
    lowered = sentence.lower()
    found: list[tuple[int, str]] = []
    for key, name in [*names.full.items(), *names.first.items()]:
        found += [(m.start(), name) for m in re.finditer(rf"\b{re.escape(key)}\b", lowered)]
    before = [f for f in found if f[0] < at]
    if before:
        return max(before)[1]
    if found:
        return min(found)[1]
    if _FIRST_PERSON.search(sentence) and activity.direction == Direction.INBOUND and len(activity.people) == 1:
        return activity.people[0]
    return None
