"""The drafted plan read as a whole: one row per step, and no step before the document it waits on.

:mod:`ae_coach.coach._plan` and :mod:`ae_coach.coach._buyer_steps` each add rows: the deal's own plan, its next
step, the draft's steps and the buyer's named steps. Two of them can be one step ("Ringi approval" on the buyer's
12-15, at risk, and again on 02-02, when their own sequence allows it; "NDA signed", ours, and the next step "Legal
to finalise NDA"), and a step the buyer's process holds until a document is signed ("IS only sends the check sheet
after an NDA is executed") can sit on the plan as if it could happen before it (a blind VP grade of Hakuyo).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ae_coach._patterns import lazy
from ae_coach.coach._situation import waits_on_document
from ae_coach.coach.report import MapStep
from ae_coach.i18n import t

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.deal.calendar import Calendar
    from ae_coach.inspector.facts import DealFacts

_DOCUMENT = lazy(
    r"\b(?:nda|cda|non-disclosure|confidentiality (?:agreement|deed|undertaking|letter)|deed of confidentiality|"
    r"data[- ](?:sharing|access|transfer) agreement)\b|保密协议|保密承诺书",
    re.IGNORECASE,
)
"""A plan step about the document the buyer's process waits on (``timing.precondition``)."""
_OURS = ("us", "we", "seller", "vendor", "ae")
_AT_RISK = ("at risk:", "有风险：")
"""How a plan note gives the reason a date is at risk (``plan.signs_doubt`` and its kin), in English and Chinese."""


def in_order(plan: list[MapStep], deal: Deal, facts: DealFacts, calendar: Calendar) -> list[MapStep]:
    """``plan`` with one row per step (:func:`_one_row`) and the steps a document not yet signed holds placed
    after it (:func:`_after_document`), sorted by date."""
    plan = _after_document(_one_row(plan, deal), deal, facts, calendar)
    return sorted(plan, key=lambda s: (s.date, s.kind != "agreed"))


def _one_row(plan: list[MapStep], deal: Deal) -> list[MapStep]:
    """One row per step still to do: two rows for the same step with the same owner (the same words, or the same
    document to sign on our side) are one. When one of them is at risk on its date and the other dates it where the
    record allows, the later row stays and says which date it replaces; otherwise the first stays."""
    out: list[MapStep] = []
    for step in plan:
        twin = next((i for i, kept in enumerate(out) if _same(kept, step, deal)), None)
        if twin is None:
            out.append(step)
            continue
        first, second = sorted((out[twin], step), key=lambda s: s.date)
        if first.status == "at_risk" and second.date > first.date and second.status != "done":
            replaced = t("plan.replaces", action=first.action, date=first.date)
            why = [part for part in (first.note or "").split("; ") if part.startswith(_AT_RISK)]  # why it cannot hold
            out[twin] = second.model_copy(update={"note": "; ".join(filter(None, [second.note, replaced, *why]))})
        else:
            out[twin] = first
    return out


def _same(one: MapStep, other: MapStep, deal: Deal) -> bool:
    if "done" in (one.status, other.status):
        return False
    if _owner(one, deal) != _owner(other, deal):
        return False
    if one.action.strip().lower() == other.action.strip().lower():
        return True
    return _owner(one, deal) == "ours" and bool(_DOCUMENT.search(one.action) and _DOCUMENT.search(other.action))


def _owner(step: MapStep, deal: Deal) -> str:
    """Who owns a row: our side as one ("us", the rep), else the owner as written."""
    owner = step.owner.strip().lower()
    if step.side == "seller" or owner in _OURS or (deal.owner and owner == deal.owner.strip().lower()):
        return "ours"
    return owner


def _after_document(plan: list[MapStep], deal: Deal, facts: DealFacts, calendar: Calendar) -> list[MapStep]:
    """While the record says the buyer's process waits on a document not yet signed (``timing.precondition``),
    a step it holds (their security check, a technical session) comes after the row that signs it: one ae-coach
    dated moves to the next working day after it; one the buyer dated keeps its date, at risk, saying what it
    waits on."""
    source = facts.timing.precondition
    document = next((s for s in plan if s.status != "done" and _DOCUMENT.search(s.action)), None)
    if not source or document is None:
        return plan
    out = []
    for step in plan:
        held = step is not document and step.status != "done" and step.date >= facts.as_of
        if held and not _DOCUMENT.search(step.action) and waits_on_document(step.action, deal, facts):
            step = _held(step, document, source, calendar)
        out.append(step)
    return out


def _held(step: MapStep, document: MapStep, source: str, calendar: Calendar) -> MapStep:
    update: dict[str, Any] = {}
    if step.kind != "agreed" and step.date <= document.date:  # dated by the draft: after the document
        update["date"] = calendar.add(document.date, 1)
    elif step.status == "planned" or step.date <= document.date:
        update["status"] = "at_risk"
    key = "plan.waits_on_document" if "status" in update else "plan.after_document"
    update["note"] = "; ".join(filter(None, [step.note, t(key, action=document.action, source=source)]))
    return step.model_copy(update=update)
