"""Small deal builders for the inspector tests: a healthy late-stage deal and targeted edits of it.

``healthy()`` is a proposal-stage deal a sales manager would call clean: every MEDDPICC element
buyer-confirmed, the full committee engaged, a dated next step and mutual action plan, terms agreed.
It must produce no finding above ``info``; each test breaks exactly the fact its finding is about.
"""

from __future__ import annotations

import copy
from typing import Any

from ae_coach.deal import Deal, parse_deal
from ae_coach.findings import Finding, Severity
from ae_coach.inspector import assess, inspect

AS_OF = "2026-11-26"

_HEALTHY: dict[str, Any] = {
    "id": "healthy",
    "account": "Contoso Logistics",
    "name": "Forecasting platform",
    "amount": 150000,
    "stage": "proposal",
    "close_date": "2026-12-18",
    "created": "2026-08-01",
    "as_of": AS_OF,
    "forecast_category": "commit",
    "probability": 75,
    "situation": "challenger",
    "fit": "strong",
    "meddpicc": {
        "metrics": {
            "status": "confirmed",
            "evidence": "Cut forecast prep from 6 days to 1; $400k a year, in the business case email",
        },
        "economic_buyer": {"status": "confirmed", "evidence": "Priya Shah (CFO) met 2026-10-20; signs above $100k"},
        "decision_criteria": {
            "status": "confirmed",
            "evidence": "Criteria sent by email: SSO, Salesforce sync, accuracy",
        },
        "decision_process": {
            "status": "confirmed",
            "evidence": "CFO approval, procurement, signature by 12-18 per the MAP",
        },
        "paper_process": {
            "status": "confirmed",
            "evidence": "Security review passed; MSA redlines with legal; PO steps known",
        },
        "identified_pain": {
            "status": "confirmed",
            "evidence": "Missed the Q2 forecast by 18%; the board asked for a fix",
        },
        "champion": {"status": "confirmed", "evidence": "Dana Lee presented our business case to the CFO"},
        "competition": {"status": "confirmed", "evidence": "Clari eliminated; status quo is spreadsheets"},
    },
    "stakeholders": [
        {
            "name": "Dana Lee",
            "title": "VP Revenue Operations",
            "role": "champion",
            "engaged": True,
            "last_contact": "2026-11-20",
            "sentiment": "positive",
            "added": "2026-08-01",
        },
        {
            "name": "Priya Shah",
            "title": "CFO",
            "role": "economic_buyer",
            "engaged": True,
            "last_contact": "2026-11-12",
            "sentiment": "positive",
            "added": "2026-09-01",
        },
        {
            "name": "Omar Haddad",
            "title": "Director of IT",
            "role": "technical_buyer",
            "engaged": True,
            "last_contact": "2026-10-01",
            "sentiment": "positive",
            "added": "2026-08-20",
        },
        {
            "name": "Lena Park",
            "title": "Sales Ops Manager",
            "role": "user_buyer",
            "engaged": True,
            "last_contact": "2026-11-05",
            "sentiment": "neutral",
            "added": "2026-08-05",
        },
    ],
    "activities": [
        {
            "date": "2026-08-05",
            "type": "call",
            "with": ["Dana Lee", "Lena Park"],
            "summary": "Discovery: current forecast process, Q2 miss, budget range of $120-180k",
        },
        {
            "date": "2026-08-20",
            "type": "demo",
            "with": ["Dana Lee", "Lena Park", "Omar Haddad"],
            "summary": "Demo mapped to the Q2 miss: roll-up, pipeline inspection",
        },
        {
            "date": "2026-10-01",
            "type": "meeting",
            "with": ["Omar Haddad"],
            "summary": "POC completed and signed off by IT",
        },
        {
            "date": "2026-10-20",
            "type": "meeting",
            "with": ["Priya Shah", "Dana Lee"],
            "summary": "CFO reviewed the ROI model Dana and I built",
        },
        {
            "date": "2026-11-05",
            "type": "proposal",
            "with": ["Dana Lee", "Priya Shah", "Lena Park"],
            "summary": "Proposal walkthrough",
        },
        {
            "date": "2026-11-12",
            "type": "call",
            "with": ["Priya Shah", "Dana Lee"],
            "summary": "Pricing agreed; PO by 2026-12-12",
        },
        {
            "date": "2026-11-20",
            "type": "meeting",
            "with": ["Dana Lee"],
            "summary": "Reviewed the signing plan with Dana",
        },
    ],
    "next_step": {"action": "Signature call", "date": "2026-12-10", "owner": "Dana Lee"},
    "mutual_action_plan": [
        {"date": "2026-11-12", "action": "Commercial review", "owner": "customer", "status": "done"},
        {"date": "2026-12-05", "action": "Legal sign-off", "owner": "customer", "status": "planned"},
        {"date": "2026-12-18", "action": "Signature", "owner": "customer", "status": "planned"},
    ],
    "competitors": [{"name": "Clari", "status": "eliminated"}],
    "history": [{"date": "2026-11-01", "field": "stage", "from": "validation", "to": "proposal"}],
    "notes": "Strong deal.",
}


def healthy() -> dict[str, Any]:
    """A fresh copy of the healthy proposal-stage deal as plain data."""
    return copy.deepcopy(_HEALTHY)


def edit(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set a dotted path (``meddpicc.metrics.status``, ``stakeholders.0.role``); ``value=...`` deletes it."""
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return data


def build(*changes: tuple[str, Any], base: dict[str, Any] | None = None) -> Deal:
    """The healthy deal (or ``base``) with ``(path, value)`` edits applied, validated."""
    data = copy.deepcopy(base) if base is not None else healthy()
    for path, value in changes:
        edit(data, path, value)
    return parse_deal(data)


def findings(deal: Deal, **kwargs: Any) -> list[Finding]:
    """Inspect with the shipped rulebook unless a rulebook is given."""
    return inspect(deal, **kwargs)


def by_code(deal: Deal, **kwargs: Any) -> dict[str, Finding]:
    return {f.code: f for f in findings(deal, **kwargs)}


def problems(deal: Deal) -> list[Finding]:
    """Findings above info."""
    return [f for f in findings(deal) if f.severity != Severity.INFO]


def activity(date: str, kind: str = "meeting", summary: str | None = None, **extra: Any) -> dict[str, Any]:
    """One activity as data."""
    return {"date": date, "type": kind, "summary": summary, **extra}


def with_activities(*items: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The healthy data with extra activities appended."""
    data = copy.deepcopy(base) if base is not None else healthy()
    data["activities"] = data["activities"] + list(items)
    return data


__all__ = [
    "AS_OF",
    "activity",
    "assess",
    "build",
    "by_code",
    "edit",
    "findings",
    "healthy",
    "problems",
    "with_activities",
]


def without_record(name: str) -> list[tuple[str, object]]:
    """Edits that take away what the healthy deal's record shows about ``name`` (the record outranks the status)."""
    data = healthy()
    if name == "economic_buyer":
        return [("stakeholders", [s for s in data["stakeholders"] if s["role"] != "economic_buyer"])]
    if name == "champion":
        return [
            (
                "stakeholders",
                [{**s, "role": "user_buyer"} if s["role"] == "champion" else s for s in data["stakeholders"]],
            )
        ]
    if name == "paper_process":
        return [("activities", [a for a in data["activities"] if "PO by" not in (a["summary"] or "")])]
    if name == "decision_criteria":
        return [("activities", [a for a in data["activities"] if "POC" not in (a["summary"] or "")])]
    if name == "decision_process":
        return [
            ("mutual_action_plan", []),
            ("activities", [a for a in data["activities"] if "PO by" not in (a["summary"] or "")]),
        ]
    return []
