"""The facts every finding family reads, computed once per deal: dates, contacts, signals, grades."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ae_coach.analysis import text
from ae_coach.deal import (
    Activity,
    ActivityStatus,
    ActivityType,
    Deal,
    Role,
    Signal,
    Stage,
    Stakeholder,
)
from ae_coach.findings import Finding, Severity
from ae_coach.settings import Settings

_SEVERITIES = list(Severity)  # critical … info


def milder(severity: Severity, steps: int = 1) -> Severity:
    """``steps`` severities less worrying (never past info)."""
    return _SEVERITIES[min(_SEVERITIES.index(severity) + steps, len(_SEVERITIES) - 1)]


def worse(severity: Severity, steps: int = 1) -> Severity:
    """``steps`` severities more worrying (never past critical)."""
    return _SEVERITIES[max(_SEVERITIES.index(severity) - steps, 0)]


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 meeting', '3 meetings', '1 criterion' (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def as_date(value: Any) -> dt.date | None:
    """A history value as a date (history stores whatever the CRM wrote)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def describe(activity: Activity) -> str:
    """One evidence line for an activity: date, type, status, people, quoted summary."""
    people = f" with {', '.join(activity.with_)}" if activity.with_ else ""
    status = "" if activity.status == ActivityStatus.COMPLETED else f" ({activity.status.value})"
    summary = f": {text.quote(activity.summary)}" if activity.summary else ""
    return f"{activity.date.isoformat()} {activity.type.value}{status}{people}{summary}"


@dataclass
class Context:
    """One deal under inspection, with the derived facts the finding families share."""

    deal: Deal
    as_of: dt.date
    settings: Settings
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return self.deal.stage

    def days_since(self, date: dt.date) -> int:
        return (self.as_of - date).days

    def finding(self, code: str, severity: Severity, title: str, evidence: list[str], **data: Any) -> Finding:
        return Finding(code=code, severity=severity, title=title, evidence=evidence, data=data)

    # --- activities ---------------------------------------------------------------------------

    @cached_property
    def activities(self) -> list[Activity]:
        """All activities, oldest first."""
        return sorted(self.deal.activities, key=lambda a: a.date)

    @cached_property
    def past(self) -> list[Activity]:
        """Activities dated on or before ``as_of``."""
        return [a for a in self.activities if a.date <= self.as_of]

    @cached_property
    def touches(self) -> list[Activity]:
        """Completed buyer touches up to ``as_of`` (internal notes are not touches)."""
        return [a for a in self.past if a.status == ActivityStatus.COMPLETED and a.type != ActivityType.NOTE]

    @cached_property
    def last_touch(self) -> dt.date | None:
        return self.touches[-1].date if self.touches else None

    @cached_property
    def _signals(self) -> list[tuple[Activity, set[Signal]]]:
        return [(a, text.activity_signals(a)) for a in self.activities]

    def with_signal(self, signal: Signal, *, include_future: bool = False) -> list[Activity]:
        """Activities carrying ``signal`` (explicit tag or heuristic); cancelled and no-shows excluded."""
        dropped = (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)
        return [
            a
            for a, tags in self._signals
            if signal in tags and a.status not in dropped and (include_future or a.date <= self.as_of)
        ]

    def has_signal(self, signal: Signal) -> bool:
        return bool(self.with_signal(signal))

    # --- people -------------------------------------------------------------------------------

    def role(self, role: Role) -> list[Stakeholder]:
        return self.deal.stakeholders_with(role)

    def contact_date(self, person: Stakeholder) -> dt.date | None:
        """The person's latest contact: ``last_contact`` or a completed activity that lists them."""
        dates = [a.date for a in self.touches if _named(person.name, a.with_)]
        if person.last_contact and person.last_contact <= self.as_of:
            dates.append(person.last_contact)
        return max(dates) if dates else None

    @cached_property
    def contacts(self) -> dict[str, str]:
        """People we have a live thread with (engaged stakeholders, people in completed touches): key -> name."""
        names = [s.name for s in self.deal.stakeholders if s.engaged]
        names += [name for a in self.touches for name in a.with_]
        return {n.strip().lower(): n.strip() for n in names if n.strip()}

    # --- dates --------------------------------------------------------------------------------

    def stage_entered(self, stage: Stage) -> dt.date | None:
        """When the deal first reached ``stage`` or later, from ``history`` (None if not recorded)."""
        dates = []
        for change in self.deal.history:
            if change.field != "stage":
                continue
            try:
                reached = Stage(str(change.to).strip().lower())
            except ValueError:
                continue
            if reached.order >= stage.order and reached != Stage.CLOSED_LOST:
                dates.append(change.date)
        return min(dates) if dates else None

    @cached_property
    def dated_next_step(self) -> str | None:
        """Evidence of a dated next step still to come (next_step or a scheduled activity), else None."""
        step = self.deal.next_step
        if step and step.date and step.date >= self.as_of:
            return f"next_step: {text.quote(step.action)} on {step.date.isoformat()}"
        for activity in self.activities:
            if activity.date >= self.as_of and activity.status == ActivityStatus.SCHEDULED:
                return f"scheduled: {describe(activity)}"
        return None


def _named(name: str, people: list[str]) -> bool:
    wanted = name.strip().lower()
    return any(p.strip().lower() == wanted for p in people)
