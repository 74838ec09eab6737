"""What changed since the previous review of the same deal: the movement a forecast call asks about.

Everything here compares two review records (health, the call, stage, close date, findings, people) and
reads the current ``DealFacts`` for one thing a record cannot hold: whether last time's actions happened.
An action "happened" when the record now shows a held activity with the person it names, after the last
review and no later than a week past its due date; the facts are the inspector's, never re-derived here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from ae_coach._patterns import lazy
from ae_coach.findings import Severity
from ae_coach.history.model import ActionRef, FindingRef, PersonRef, ReviewRecord

if TYPE_CHECKING:
    from ae_coach.inspector.facts import ActivityFact, DealFacts

ACTION_GRACE_DAYS = 7
"""An action counts as done when the activity came at most this many days after its due date."""
QUIET_BEFORE_DAYS = 30
"""A stakeholder "goes silent" only if they had two-way contact within this many days before the last review…"""
SILENT_AFTER_DAYS = 14
"""…and none since, for at least this many days."""
TREND_POINTS = 12
"""Health points kept for the sparkline (one per review date, newest last)."""

Outcome = Literal["done", "scheduled", "open", "missed", "unverifiable"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)


class SeverityChange(_Model):
    """A finding that is still there, at a different severity."""

    code: str
    title: str
    before: str
    after: str


class ActionOutcome(_Model):
    """One of last review's next actions, checked against the record as it is now."""

    action: str
    owner: str
    contact: str | None = None
    due: dt.date | None = None
    person: str | None = None
    """The buyer-side person the record was searched for (from ``contact``, else ``owner``)."""
    status: Outcome
    """``done`` (the record shows it), ``scheduled`` (a meeting is booked), ``open`` (not due yet),
    ``missed`` (due and no sign of it), ``unverifiable`` (names no buyer-side person to look for)."""
    evidence: str | None = None


class HealthPoint(_Model):
    as_of: dt.date
    health: int


class Since(_Model):
    """The movement between the previous review of a deal and this one."""

    previous_id: int | None = None
    previous_as_of: dt.date
    as_of: dt.date
    days: int
    same_snapshot: bool
    """The deal file is byte-for-byte the deal reviewed last time (only the date moved)."""
    health_before: int
    health_after: int
    health_delta: int
    call_before: str
    call_after: str
    stage_before: str
    stage_after: str
    close_date_before: dt.date | None = None
    close_date_after: dt.date | None = None
    new_findings: list[FindingRef] = Field(default_factory=list)
    resolved_findings: list[FindingRef] = Field(default_factory=list)
    changed_findings: list[SeverityChange] = Field(default_factory=list)
    new_stakeholders: list[PersonRef] = Field(default_factory=list)
    gone_stakeholders: list[PersonRef] = Field(default_factory=list)
    silent_stakeholders: list[PersonRef] = Field(default_factory=list)
    """Had two-way contact shortly before the last review and none since."""
    actions: list[ActionOutcome] = Field(default_factory=list)
    trend: list[HealthPoint] = Field(default_factory=list)
    """Health at each earlier review and now, oldest first."""

    @property
    def close_date_moved(self) -> bool:
        return self.close_date_before != self.close_date_after

    @property
    def anything(self) -> bool:
        """Whether there is movement worth a line."""
        return bool(
            self.health_delta
            or self.call_before != self.call_after
            or self.stage_before != self.stage_after
            or self.close_date_moved
            or self.new_findings
            or self.resolved_findings
            or self.changed_findings
            or self.new_stakeholders
            or self.gone_stakeholders
            or self.silent_stakeholders
            or any(a.status != "unverifiable" for a in self.actions)
        )


def compare(previous: ReviewRecord, current: ReviewRecord, facts: DealFacts, earlier: list[ReviewRecord]) -> Since:
    """The movement from ``previous`` to ``current``; ``earlier`` (any order) feeds the health trend.

    Args:
        previous: the last review of the deal (names restored if it was stored redacted).
        current: this review's record (its actions may still be empty: they are last time's that matter).
        facts: this review's ``DealFacts``, for held and scheduled activities.
        earlier: past reviews of the deal, for the trend.
    """
    new, resolved, changed = _findings(previous.findings, current.findings)
    before_names = {p.name for p in previous.people}
    after_names = {p.name for p in current.people}
    return Since(
        previous_id=previous.id,
        previous_as_of=previous.as_of,
        as_of=current.as_of,
        days=(current.as_of - previous.as_of).days,
        same_snapshot=previous.snapshot_hash == current.snapshot_hash,
        health_before=previous.health,
        health_after=current.health,
        health_delta=current.health - previous.health,
        call_before=previous.call,
        call_after=current.call,
        stage_before=previous.stage,
        stage_after=current.stage,
        close_date_before=previous.close_date,
        close_date_after=current.close_date,
        new_findings=new,
        resolved_findings=resolved,
        changed_findings=changed,
        new_stakeholders=[p for p in current.people if p.name not in before_names],
        gone_stakeholders=[p for p in previous.people if p.name not in after_names],
        silent_stakeholders=_silent(previous, current),
        actions=[_outcome(a, previous.as_of, facts) for a in previous.actions],
        trend=_trend(earlier, current),
    )


def _worst(findings: list[FindingRef]) -> dict[str, FindingRef]:
    by_code: dict[str, FindingRef] = {}
    for f in findings:
        if f.severity == Severity.INFO.value:
            continue  # tier, positioning and positive signals: context, not movement
        kept = by_code.get(f.code)
        if kept is None or Severity(f.severity).rank < Severity(kept.severity).rank:
            by_code[f.code] = f
    return by_code


def _findings(
    before: list[FindingRef], after: list[FindingRef]
) -> tuple[list[FindingRef], list[FindingRef], list[SeverityChange]]:
    old, new = _worst(before), _worst(after)
    changed = [
        SeverityChange(code=code, title=f.title, before=old[code].severity, after=f.severity)
        for code, f in new.items()
        if code in old and old[code].severity != f.severity
    ]
    return (
        [f for code, f in new.items() if code not in old],
        [f for code, f in old.items() if code not in new],
        changed,
    )


def _silent(previous: ReviewRecord, current: ReviewRecord) -> list[PersonRef]:
    earlier = {p.name: p for p in previous.people}
    quiet_from = previous.as_of - dt.timedelta(days=QUIET_BEFORE_DAYS)
    silent = []
    for person in current.people:
        before = earlier.get(person.name)
        if before is None or before.last_two_way is None or before.last_two_way < quiet_from:
            continue
        last = person.last_two_way or before.last_two_way
        if last <= previous.as_of and (current.as_of - last).days >= SILENT_AFTER_DAYS:
            silent.append(person)
    return silent


_ROLE_SUFFIX = lazy(r"\s*\([^)]*\)\s*$")


def _person(action: ActionRef, facts: DealFacts) -> str | None:
    for name in (action.contact, action.owner):
        if name:
            person = facts.person(_ROLE_SUFFIX.sub("", name))
            if person is not None:
                return person.name
    return None


def _describe(activity: ActivityFact, person: str) -> str:
    return f"{activity.date.isoformat()} {activity.type} with {person}"


def _outcome(action: ActionRef, since: dt.date, facts: DealFacts) -> ActionOutcome:
    base = action.model_dump()
    person = _person(action, facts)
    if person is None:
        return ActionOutcome(**base, status="unverifiable")
    until = min(facts.as_of, (action.due or facts.as_of) + dt.timedelta(days=ACTION_GRACE_DAYS))
    held = _contact(facts, person, since, until)
    if held:
        return ActionOutcome(**base, person=person, status="done", evidence=_describe(held[-1], person))
    booked = [a for a in facts.activities if a.status == "scheduled" and a.date >= facts.as_of and person in a.people]
    if booked:
        return ActionOutcome(**base, person=person, status="scheduled", evidence=_describe(booked[0], person))
    if action.due is not None and action.due >= facts.as_of:
        return ActionOutcome(**base, person=person, status="open")
    # contact after the grace window is not the action done, but it is contact: never "no activity since"
    later = _contact(facts, person, until, facts.as_of)
    evidence = (
        f"not by {until.isoformat()}: the next activity with {person} was on {later[0].date.isoformat()}"
        if later
        else f"no activity with {person} since {since.isoformat()}"
    )
    return ActionOutcome(**base, person=person, status="missed", evidence=evidence)


def _contact(facts: DealFacts, person: str, after: dt.date, until: dt.date) -> list[ActivityFact]:
    """The held activities ``person`` took part in, after ``after`` and up to ``until``."""
    return [
        a
        for a in facts.activities
        if a.status == "completed" and a.direction is not None and after < a.date <= until and person in a.people
    ]


def _trend(earlier: list[ReviewRecord], current: ReviewRecord) -> list[HealthPoint]:
    by_date: dict[dt.date, tuple[int, int]] = {}
    for record in earlier:
        if record.as_of <= current.as_of:
            kept = by_date.get(record.as_of)
            if kept is None or (record.id or 0) > kept[0]:
                by_date[record.as_of] = (record.id or 0, record.health)
    by_date[current.as_of] = (1 << 62, current.health)
    points = [HealthPoint(as_of=day, health=health) for day, (_, health) in sorted(by_date.items())]
    return points[-TREND_POINTS:]
