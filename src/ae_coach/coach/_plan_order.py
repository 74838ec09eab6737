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
from ae_coach.coach._plan import join_notes, split_notes
from ae_coach.coach._situation import waits_on_document
from ae_coach.coach.report import MapStep
from ae_coach.i18n import phrase, t

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
_LEGAL = lazy(
    r"\b(?:legal|redlines?|msa|terms|counsel|contract (?:agreed|review|final|redlines?|negotiation))\b|法务|条款",
    re.IGNORECASE,
)
"""A plan step about the contract the clause in dispute holds up ("Agree legal redlines", "Contract executed")."""
_QUESTIONNAIRE = lazy(r"\b(?:questionnaire|check ?sheet|self[- ]assessment)\b|问卷|检查表", re.IGNORECASE)
"""A step of ours returning the buyer's questionnaire ("Return the completed security questionnaire")."""
_OURS = ("us", "we", "seller", "vendor", "ae")
_AT_RISK = ("at risk:", "有风险：")
"""How a plan note gives the reason a date is at risk (``plan.signs_doubt`` and its kin), in English and Chinese."""


def in_order(plan: list[MapStep], deal: Deal, facts: DealFacts, calendar: Calendar) -> list[MapStep]:
    """``plan`` with one row per step (:func:`_one_row`), our own work the buyer's process starts from dated with
    the time it takes (:func:`_owed`), and the steps a document not yet signed holds placed after it
    (:func:`_after_document`), sorted by date."""
    plan = _after_document(_owed(_one_row(plan, deal), deal, facts), deal, facts, calendar)
    return sorted(plan, key=lambda s: (s.date, s.kind != "agreed"))


def _on_point(plan: list[MapStep], facts: DealFacts) -> list[MapStep]:
    """The clause in dispute (``timing.open_point``), in the record's words, on the plan's first open step about
    the paper it holds up (the document to sign, else a legal, redline or contract step): the step says what it
    waits on instead of a generic "legal review"."""
    point = facts.timing.open_point
    if not point:
        return plan
    open_ = [s for s in plan if s.status != "done" and s.date >= facts.as_of]
    step = next((s for s in open_ if _DOCUMENT.search(s.action)), None) or next(
        (s for s in open_ if _LEGAL.search(s.action)), None
    )
    if step is None:
        return plan
    latest = facts.timing.open_point_latest
    note = t("plan.open_point", point=point) + (t("plan.open_point_latest", latest=latest) if latest else "")
    return [s.model_copy(update={"note": join_notes(s.note, note)}) if s is step else s for s in plan]


def _owed(plan: list[MapStep], deal: Deal, facts: DealFacts) -> list[MapStep]:
    """Our own steps before the buyer's process runs, each with its time (a blind VP grade of Hakuyo: "the plan
    gives the NDA and our own 180-item check sheet no time"): our row to sign the document their process waits on
    no earlier than ``timing.document_due``, and, when their written sequence starts from our answers to their
    questionnaire (``timing.answers_due``), a row of ours to return it on that day, unless one is on the plan."""
    timing = facts.timing
    out = _on_point(list(plan), facts)
    document = next((s for s in out if s.status != "done" and _DOCUMENT.search(s.action)), None)
    due = timing.document_due
    # a date on the deal's own plan stands (the review's "what decides" quotes it); the default is a floor for the
    # forecast and for a row the draft dates (a missed step re-dated), not a reason to delay what the rep agreed
    if (
        document is not None
        and due is not None
        and document.date < due
        and _owner(document, deal) == "ours"
        and not any(p.action == document.action and p.date == document.date for p in deal.mutual_action_plan)
    ):
        note = t("plan.document_due", date=due)
        out[out.index(document)] = document.model_copy(update={"date": due, "note": join_notes(document.note, note)})
    asked = timing.questionnaire
    if asked is None or timing.answers_due is None:
        return out
    words = asked.words.lower()
    ours = next(
        (s for s in out if s.status != "done" and _owner(s, deal) == "ours" and words in s.action.lower()), None
    )
    if ours is None:
        ours = next(
            (s for s in out if s.status != "done" and s.side == "seller" and _QUESTIONNAIRE.search(s.action)), None
        )
    key = "plan.answers_due" if asked.items else "plan.answers_due_unsized"
    note = t(key, date=timing.answers_due, days=asked.days, items=asked.items or 0)
    if ours is not None:
        update = {
            "date": max(ours.date, timing.answers_due),
            "note": join_notes(ours.note, note),
        }
        out[out.index(ours)] = ours.model_copy(update=update)
        return out
    action = (
        t("plan.answer_step", words=asked.words, items=asked.items)
        if asked.items
        else t("plan.answer_step_unsized", words=asked.words)
    )
    owner = phrase("plan.team", "AE + solutions engineer").replace("AE", deal.owner or "AE")
    step = MapStep(
        date=timing.answers_due, action=action, side="seller", owner=owner, kind="paper", status="proposed", note=note
    )
    return [*out, step]


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
            why = [part for part in split_notes(first.note) if part.startswith(_AT_RISK)]  # why it cannot hold
            out[twin] = second.model_copy(update={"note": join_notes(second.note, replaced, *why)})
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
    update["note"] = join_notes(step.note, t(key, action=document.action, source=source))
    return step.model_copy(update=update)
