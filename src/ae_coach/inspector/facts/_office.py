"""The signer's office when the record names no person in the role ("IT signs off the pilot, then the CFO approves")."""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Deal, PlanStatus
from ae_coach.inspector.facts._timing import our_side

_SIGNER = lazy(
    r"\b(CFO|CEO|COO|CRO|CIO|CTO|owner|founder|president|board|finance director|managing director|head of \w+|VP \w+)\b",
    re.IGNORECASE,
)
"""Titles of who signs, as a deal record names them ("IT signs off the pilot, then the CFO approves")."""


def named_signer(deal: Deal) -> str | None:
    """The signer's office the record names: the last title in the decision process (the final approver), else in
    the economic buyer's or the paper process's evidence; None when they name none."""
    m = deal.meddpicc
    for element in (m.decision_process, m.economic_buyer, m.paper_process):
        found = _SIGNER.findall(element.evidence or "")
        if found:
            role: str = found[-1]
            return role.upper() if len(role) == 3 else role
    return None


def office_booked(deal: Deal, as_of: dt.date) -> str | None:
    """The signer's office (:func:`named_signer`) when a dated step ahead on the buyer's side puts the case in front
    of it ("ROI review with the CFO" on 12-02, planned; the next step "Dana takes the ROI model to the CFO"): the
    economic buyer is identified, though not met. The rep's note alone names an office; the buyer's dated step
    shows it. None otherwise."""
    office = named_signer(deal)
    if office is None or office.lower() in ("owner", "board"):
        return None
    said = re.compile(rf"\b{re.escape(office)}\b", re.IGNORECASE)
    theirs = [p for p in deal.mutual_action_plan if p.status == PlanStatus.PLANNED and not our_side(p.owner, deal)]
    steps = [(p.date, p.action) for p in theirs]
    if deal.next_step is not None and not our_side(deal.next_step.owner, deal):
        steps.append((deal.next_step.date, deal.next_step.action))
    return office if any(day and day >= as_of and said.search(action or "") for day, action in steps) else None
