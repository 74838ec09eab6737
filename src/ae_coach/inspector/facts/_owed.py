"""The questionnaire the buyer's process has us answer, with its size and the working days our answers take.

A buyer who writes "after we receive your completed security check sheet, their review takes about 6 weeks" has put
our answers on the critical path, and a check sheet of about 180 items is days of our security team's work, not
none (a blind VP grade of Hakuyo: "the plan gives our own 180-item security check sheet no time"). The pace is an
ae-coach default (``Settings.questionnaire_items_per_day``); a questionnaire whose size the record does not give
takes the shortest time, ``ANSWER_MIN_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Activity, Deal
from ae_coach.inspector import text
from ae_coach.inspector.facts._model import ActivityFact, Questionnaire

ANSWER_MIN_DAYS = 2
"""Working days our side takes to answer a questionnaire at the least (ae-coach default; the coach's plan returns a
questionnaire the buyer sent "first thing" on this many)."""

_QUESTIONNAIRE = lazy(
    r"\b(?:(?:security|infosec|it security|vendor|supplier|third[- ]party|risk|due diligence|information security)"
    r"[- ])*(?:questionnaire|check ?sheet|self[- ]assessment)\b|安全(?:问卷|调查表|检查表)|(?:调查|评估)问卷",
    re.IGNORECASE,
)
"""What the buyer has us answer: a security questionnaire, a check sheet, a self-assessment (安全问卷)."""
_ITEMS = lazy(
    r"(?:~|about |around |approx(?:\.|imately)? |some |over )?(\d{2,4})\+?\s*(?:-\s*)?(?:items?|questions?|controls?|"
    r"rows?)\b|(\d{2,4})\s*(?:个|道|项|条)\s*(?:问题|题|项|条)?",
    re.IGNORECASE,
)
"""Its size: "~180 items", "212 questions", "(300 controls)", 180项."""
_RETURNED = lazy(
    r"\b(?:returned|sent back|submitted|answered|completed|filled (?:in|out)|uploaded)\b|已(?:提交|回复|填好|交回)",
    re.IGNORECASE,
)
_NOT_YET = lazy(
    r"\b(?:after|once|when|until|if|before|need|needs|please|will|must|should|to be|not|asked if|asked whether|"
    r"receive|get)\b|之后|以后|需要|还没|未",
    re.IGNORECASE,
)
"""Words before "completed" that make it a condition or an ask, not a return ("After we receive your completed
security check sheet", "Lone asked if the security questionnaire went back")."""


def questionnaire(past: list[ActivityFact], as_of: dt.date, per_day: int) -> Questionnaire | None:
    """The questionnaire the record names for us to answer (in the words that first name it), with the largest size
    any mention gives, unless a later sentence says our answers went back: its words, size and the working days our
    answers take at ``per_day`` items a working day (at least ``ANSWER_MIN_DAYS``)."""
    found: Questionnaire | None = None
    items: int | None = None
    for activity in past:
        if activity.date > as_of or not activity.summary:
            continue
        for sentence in re.split(r"(?<=[.;!?。；！？])\s*|\n", activity.summary):
            named = _QUESTIONNAIRE.search(sentence)
            if named is None:
                continue
            if _returned(sentence):
                found, items = None, None
                continue
            size = _ITEMS.search(sentence)
            if size is not None:
                items = max(items or 0, int(size.group(1) or size.group(2)))
            if found is None:
                found = Questionnaire.of(said=activity.date, words=named.group(0).strip(), items=None, days=0)
    if found is None:
        return None
    days = max(ANSWER_MIN_DAYS, -(-items // max(per_day, 1))) if items else ANSWER_MIN_DAYS
    return found.model_copy(update={"items": items, "days": days})


def _returned(sentence: str) -> bool:
    """The sentence says our answers went back ("Returned the completed questionnaire"), not that they will."""
    hit = _RETURNED.search(sentence)
    return hit is not None and not _NOT_YET.search(sentence[: hit.start()])


_SENT_US = lazy(
    r"\bsecurity questionnaire\b.*\b(received|sent us|arrived)\b|\breceived\b.*\bsecurity questionnaire\b|"
    r"\bquestionnaire (?:attached|enclosed)\b",
    re.I,
)
_SENT_BACK = lazy(
    r"\b(?:returned|sent back|submitted|completed|answered)\b[^.;]{0,30}\bquestionnaire\b|"
    r"\bquestionnaire\b[^.;]{0,20}\b(?:returned|sent back|submitted|completed)\b",
    re.I,
)


def owed_back(deal: Deal, as_of: dt.date) -> Activity | None:
    """The activity in which the buyer sent the seller a security questionnaire to complete ("questionnaire
    attached (212 questions)"), if the record has one and does not say it went back since: the seller owes it
    back, so the work is to return it, not to confirm the review is real or ask the signer for a fast track. Read
    once, here, for the coach's conditions and the mutual action plan alike, beside :func:`questionnaire`."""
    sent = next((a for a in deal.activities if a.date <= as_of and _SENT_US.search(a.summary or "")), None)
    back = sent is not None and any(
        sent.date <= a.date <= as_of and text.find(_SENT_BACK, a.summary) is not None
        for a in deal.activities
        if a is not sent
    )
    return None if back else sent
