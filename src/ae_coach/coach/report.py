"""The coaching report: the same shape from every backend (DESIGN.md, "Coaching report").

``CoachingReport`` is what ``Coach.review`` returns and what every renderer prints. ``ModelCoaching`` is
the part a language model writes (headline, narrative, risks, next actions, questions); the rest
(health, forecast, mutual action plan) is computed from the deal and never left to a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ae_coach.deal import ForecastCategory
from ae_coach.findings import Severity
from ae_coach.model.llm import Usage


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Health(_Model):
    """Deal health 0-100 and the findings that moved it."""

    score: int = Field(ge=0, le=100)
    reasons: list[str] = Field(default_factory=list)


class Forecast(_Model):
    """The forecast category the evidence supports, and what stands between the deal and Commit."""

    category: ForecastCategory
    period: str | None = None
    """The forecast period the call is for (``2026-Q4``, ``FY2027-Q1``)."""
    reasons: list[str] = Field(default_factory=list)
    """What puts the deal in its category and what keeps it out of the one above."""
    why_not_commit: list[str] = Field(default_factory=list)
    """Unmet Commit-gate conditions; empty when Commit is earned (or the deal is closed)."""


class Risk(_Model):
    """Something that can lose the deal, tied to the findings that show it and the rules that address it."""

    title: str
    severity: Severity
    finding_codes: list[str] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list)


class PointReason(_Model):
    """Why one ask of a conversation is on it: its own reason, rule and evidence."""

    why: str
    rule_id: str | None = None
    evidence: str | None = None


class NextAction(_Model):
    """One concrete thing to do, by someone, by a date, for a reason a rule gives."""

    action: str
    owner: str
    """Who does it: the AE (the deal owner when known) or a named person on either side."""
    contact: str | None = None
    """The buyer-side person the action involves, 'Name (role)', when the deal names one."""
    due: dt.date | None = None
    why: str
    rule_id: str | None = None
    also_rules: list[str] = Field(default_factory=list)
    """Rules of the points folded into this action (a second ask of the same person the same week)."""
    finding_codes: list[str] = Field(default_factory=list)
    horizon: Literal["this_week", "later"] | None = None
    """``this_week``: one of the (at most three) actions due in the next five working days."""
    held_by: dt.date | None = None
    """For an action that books a meeting with the signer: the day that meeting is to be held by (the answer it
    asks for comes then, and the plan waits on it)."""
    if_silent: bool = False
    """A row for if a person the review writes to stays silent (dated the day it applies): not to be done unless
    they do; the history does not hold the rep to it."""
    evidence: str | None = None
    """What the record shows behind the action (a quote, a date, a figure, or that nothing is on record), kept out of
    its words so the action reads as one short ask; a review shows it beside the reason."""
    points: list[str] = Field(default_factory=list)
    """For one conversation that holds several asks of the same person: each ask on its own, in order (``action``
    numbers them in one sentence); a review shows them one under the other. Empty for a single ask."""
    reasons: list[PointReason] = Field(default_factory=list)
    """With ``points``: each ask's own reason, rule and evidence, in the same order (``why``, ``also_rules`` and
    ``evidence`` join them for the conversation); a review that shows each ask as its own row gives it its own."""

    @property
    def evidence_said(self) -> str:
        """The evidence as a reader sees it beside "on record" or "evidence": each part without the catalogue's own
        "on record: " lead ("On record: on record: …" read twice to a VP)."""
        from ae_coach.i18n import lead, t

        sep = t("coach.detail_separator")
        parts = (p.strip() for p in (self.evidence or "").split(sep))
        return sep.join(p.removeprefix(lead("coach.fact.on_record")) for p in parts if p)

    @property
    def rule_ids(self) -> list[str]:
        """The action's rule, then the rules of the points folded into it."""
        return [r for r in dict.fromkeys([self.rule_id or "", *self.also_rules]) if r]


class Question(_Model):
    """A question to ask, addressed to a stakeholder where the deal says who plays the role."""

    question: str
    stakeholder: str | None = None
    """The person's name when the deal names someone in the role."""
    role: str | None = None
    """The buying-committee role the question is for (champion, economic_buyer, ...), or ``ae`` for a
    deal-review question the AE should be able to answer (a manager's question)."""
    rule_id: str | None = None
    about: str | None = None
    """The open fact of this deal the question is about ("unmet: budget range known"), shown beside it."""


MapSide = Literal["buyer", "seller", "joint"]


class MapStep(_Model):
    """One step of the mutual action plan draft, dated backward from the close date."""

    date: dt.date
    action: str
    side: MapSide
    owner: str
    """A named person where the deal knows one, otherwise the team (e.g. 'buyer legal')."""
    kind: Literal["evaluation", "decision", "paper", "signature", "onboarding", "agreed"]
    """``paper`` marks the paper-process steps (security review, legal redlines, procurement);
    ``agreed`` marks a step already in the deal's own plan."""
    status: Literal["planned", "proposed", "done", "at_risk"] = "planned"
    """``planned``: a step on the buyer's own plan or the record's calendar; ``proposed``: a step ae-coach drafts,
    for the rep to agree with the buyer (never shown as planned: nobody there has agreed to it)."""
    note: str | None = None
    date_precision: Literal["day", "month", "after", "rebook"] = "day"
    """How much of ``date`` the record gives. ``day``: the day. ``month``: the month only ("the January capital
    review"); ``date`` is that month's first working day, for ordering, and is shown as ``2027-01 (month only)``.
    ``after``: the step follows a month-only step (``follows``) and has no day of its own; ``date`` is the earliest
    it could be, for ordering only, and is shown as "after <that step> (2027-01)". ``rebook``: a step of the buyer's
    plan that was missed and has no new date yet; ``date`` is the first working day from the review, for ordering
    only, and is shown as "to rebook" (a blind VP grade: "a date nobody agreed, two working days away, for a step
    stuck for two months")."""
    follows: str | None = None
    """With ``date_precision: after``: the month-only step this one comes after."""

    def shown_date(self) -> str:
        """The date column as a reader should see it: never a day the record does not give."""
        from ae_coach.i18n import t

        if self.date_precision == "month":
            return t("plan.date_month", month=f"{self.date:%Y-%m}")
        if self.date_precision == "rebook":
            return t("plan.date_rebook")
        if self.date_precision == "after" and self.follows:
            return t("plan.date_after", action=self.follows, month=f"{self.date:%Y-%m}")
        return self.date.isoformat()


class CoachingReport(_Model):
    """A deal review: computed facts, the coaching on top of them, and what it cost."""

    deal_id: str | None = None
    account: str
    as_of: dt.date
    backend: str
    """``offline``, ``anthropic`` or ``replay``."""
    headline: str
    decides: str | None = None
    """The one event that decides the deal and its date ("CFO review of revised case, 2026-12-05"), as a line
    a manager would say; ``None`` when the deal is closed or its plan has no such event."""
    health: Health
    forecast: Forecast
    risks: list[Risk] = Field(default_factory=list)
    also_risks: list[Risk] = Field(default_factory=list)
    """Lesser risks the review folds into one "also" line (a small deal lists only the few that matter)."""
    next_actions: list[NextAction] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    mutual_action_plan: list[MapStep] = Field(default_factory=list)
    narrative: str | None = None
    """The model's coaching prose (LLM backends only)."""
    dropped_rule_ids: list[str] = Field(default_factory=list)
    """Rule ids a backend cited that the rulebook does not have; they were removed from the report."""
    rulebook_hash: str | None = None
    """Content hash of the rulebook the review used (the shipped rules with the playbook's overlay), as
    ``ae-coach rules list`` prints it: two reviews with the same hash cited the same rules."""
    model: str | None = None
    usage: Usage | None = None
    estimated_cost_usd: float | None = None
    cost_note: str | None = None
    """Where the cost estimate comes from, or why there is none."""


# --- what the model writes -------------------------------------------------------------------------


class ModelRisk(_Model):
    title: str
    severity: Literal["critical", "high", "medium", "low"]
    finding_codes: list[str]
    rule_ids: list[str]


class ModelAction(_Model):
    action: str
    owner: str
    due: str | None
    """ISO date YYYY-MM-DD, or null."""
    why: str
    rule_id: str | None
    finding_codes: list[str]


class ModelQuestion(_Model):
    question: str
    stakeholder: str | None
    role: str | None
    rule_id: str | None


class ModelCoaching(_Model):
    """The structured answer a model gives to the review prompt (one response model per call)."""

    headline: str
    narrative: str
    risks: list[ModelRisk]
    next_actions: list[ModelAction]
    questions: list[ModelQuestion]


def _parse_due(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None  # a model's "next week" is not a date; keep the action, drop the date


def coaching_items(answer: ModelCoaching) -> tuple[list[Risk], list[NextAction], list[Question]]:
    """Turn the model's answer into report items (dates parsed; anything unparseable left empty)."""
    risks = [Risk(**r.model_dump()) for r in answer.risks]
    actions = [NextAction(**{**a.model_dump(), "due": _parse_due(a.due)}) for a in answer.next_actions]
    questions = [Question(**q.model_dump()) for q in answer.questions]
    return risks, actions, questions


def drop_unknown_rule_ids(report: CoachingReport, known: Container[str]) -> CoachingReport:
    """Remove rule ids the rulebook does not know from every item; list them in ``dropped_rule_ids``.

    A model can invent a plausible id ("deal-urgency"); citing it would send the AE to a rule that
    does not exist, so it is dropped and reported instead.
    """
    dropped: list[str] = list(report.dropped_rule_ids)

    def keep(rule_id: str | None) -> str | None:
        if rule_id is None or rule_id in known:
            return rule_id
        if rule_id not in dropped:
            dropped.append(rule_id)
        return None

    risks = [r.model_copy(update={"rule_ids": [i for i in r.rule_ids if keep(i)]}) for r in report.risks]
    also = [r.model_copy(update={"rule_ids": [i for i in r.rule_ids if keep(i)]}) for r in report.also_risks]
    actions = [a.model_copy(update={"rule_id": keep(a.rule_id)}) for a in report.next_actions]
    questions = [q.model_copy(update={"rule_id": keep(q.rule_id)}) for q in report.questions]
    return report.model_copy(
        update={
            "risks": risks,
            "also_risks": also,
            "next_actions": actions,
            "questions": questions,
            "dropped_rule_ids": dropped,
        }
    )
