"""The facts every finding family reads, computed once per deal: dates, contacts, signals, grades."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ae_coach.deal import (
    Activity,
    ActivityStatus,
    ActivityType,
    Deal,
    Direction,
    Role,
    Signal,
    Stage,
    Stakeholder,
)
from ae_coach.deal.calendar import calendar_for
from ae_coach.findings import Finding, Severity, trusted
from ae_coach.i18n import current, term
from ae_coach.inspector import text
from ae_coach.inspector.facts import DealFacts, derive, direction_of, known_alternatives
from ae_coach.inspector.settings import Settings, in_usd
from ae_coach.inspector.titles import translated

_SEVERITIES = list(Severity)  # critical … info
_INDEX = {severity: i for i, severity in enumerate(_SEVERITIES)}


def milder(severity: Severity, steps: int = 1) -> Severity:
    """``steps`` severities less worrying (never past info)."""
    return _SEVERITIES[min(_INDEX[severity] + steps, len(_SEVERITIES) - 1)]


def worse(severity: Severity, steps: int = 1) -> Severity:
    """``steps`` severities more worrying (never past critical)."""
    return _SEVERITIES[max(_INDEX[severity] - steps, 0)]


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 meeting', '3 meetings', '1 criterion' (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def stage_word(stage: Stage) -> str:
    """A stage as an evidence line names it: its value in English, the glossary's word in Chinese."""
    return stage.value if current() == "en" else term(stage.value)


def describe(activity: Activity, around: re.Pattern[str] | None = None) -> str:
    """One evidence line for an activity: date, type, status, people, quoted summary (from the sentence that holds
    ``around``'s match when the summary is long)."""
    people = f" with {', '.join(activity.with_)}" if activity.with_ else ""
    status = "" if activity.status == ActivityStatus.COMPLETED else f" ({activity.status.value})"
    said = text.quote_around(activity.summary, around) if around is not None else text.quote(activity.summary)
    summary = f": {said}" if activity.summary else ""
    return f"{activity.date.isoformat()} {activity.type.value}{status}{people}{summary}"


_DROPPED = (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)

PRICE_SETTLED = (Signal.TERMS_AGREED, Signal.VERBAL_COMMIT, Signal.PAPER_COMPLETE)
"""What settles a price concern raised after the proposal: terms agreed, a verbal commit or finished paper, later."""


class memoized:  # lower case: used as a decorator, like functools.cached_property
    """Like :func:`functools.cached_property`, without the lock Python 3.11 takes on every first access.

    A Context lives in one thread for one inspection; the lock cost about 1 µs per property per deal.
    """

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute, self.name, self.__doc__ = compute, compute.__name__, compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


_NOBODY: list[Stakeholder] = []


@dataclass
class Context:
    """One deal under inspection, with the derived facts the finding families share."""

    deal: Deal
    as_of: dt.date
    settings: Settings
    grades: dict[str, int] = field(default_factory=dict)
    rule_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Finding code -> ids of the rules whose ``triggers`` name it (attached to every finding built here)."""
    stage: Stage = field(init=False)
    """The deal's stage (a plain attribute: the families read it dozens of times per deal)."""
    memo: dict[str, Any] = field(init=False, default_factory=dict)
    """Results more than one family needs (tier, Commit gate), computed once per inspection."""
    lang: str = field(init=False, default="en")
    """The language finding titles are written in (``ae_coach.i18n``), read once per inspection."""

    def __post_init__(self) -> None:
        self.stage = self.deal.stage
        self.lang = current()  # finding titles in the language in use (ae_coach.inspector.titles)
        self._signal_cache: dict[tuple[Signal, bool], list[Activity]] = {}

    def days_since(self, date: dt.date) -> int:
        return (self.as_of - date).days

    def finding(self, code: str, severity: Severity, title: str, evidence: list[str], **data: Any) -> Finding:
        # every value here is built by the inspector itself, so pydantic validation would only cost time
        rules = self.rule_index.get(code)
        if self.lang != "en":
            title = translated(code, title, data, self.stage, self.settings)
        values = {"code": code, "severity": severity, "title": title, "evidence": evidence, "data": data,
                  "rules": list(rules) if rules else []}  # fmt: skip
        return trusted(Finding, values)

    # --- activities ---------------------------------------------------------------------------

    @memoized
    def activities(self) -> list[Activity]:
        """All activities, oldest first."""
        return sorted(self.deal.activities, key=_activity_date)

    @memoized
    def past(self) -> list[Activity]:
        """Activities dated on or before ``as_of``."""
        return [a for a in self.activities if a.date <= self.as_of]

    @memoized
    def touches(self) -> list[Activity]:
        """Completed buyer touches up to ``as_of`` (internal notes are not touches)."""
        return [a for a in self.past if a.status == ActivityStatus.COMPLETED and a.type != ActivityType.NOTE]

    @memoized
    def facts(self) -> DealFacts:
        """The deal's facts (:mod:`ae_coach.inspector.facts`), derived once per inspection."""
        return derive(
            self.deal,
            self.as_of,
            paper_wait_days=self.settings.stale_days.get(self.deal.stage),
            event_recent_days=self.settings.event_recent_days,
            calendar=calendar_for(self.settings, self.deal),
            close_slack_days=self.settings.close_slack_days,
            document_sign_days=self.settings.document_sign_days,
            questionnaire_items_per_day=self.settings.questionnaire_items_per_day,
        )

    @memoized
    def two_way(self) -> list[Activity]:
        """Completed activities both sides took part in, up to ``as_of`` (outbound chasing is not contact)."""
        held = {(a.date, a.summary) for a in self.facts.activities if a.two_way and a.date <= self.as_of}
        return [a for a in self.touches if (a.date, a.summary) in held]

    @memoized
    def size(self) -> float:
        """The deal's amount in US dollars at the settings' rates: what the seed's dollar bands compare."""
        return in_usd(self.deal.amount or 0, self.deal.currency, self.settings)

    @memoized
    def last_touch(self) -> dt.date | None:
        """The last two-way contact with the buyer's side (a held meeting, a reply, the CRM's last contact)."""
        return self.facts.last_two_way

    @memoized
    def _signals(self) -> dict[Signal, list[Activity]]:
        """Signal -> activities carrying it (oldest first), cancelled and no-shows excluded."""
        index: dict[Signal, list[Activity]] = {}
        for activity in self.activities:
            if activity.status in _DROPPED:
                continue
            signals = text.activity_signals(activity)
            if (
                activity.signals is None
                and Signal.BUDGET_CONCERN in signals
                and (self._ours(activity) or text.answered_in_place(activity.summary or ""))
            ):
                # "Sent the quote with 15% off if accepted before trial end": our offer, not the buyer's concern;
                # "she asked 5% off for annual prepaid - approved by my mgr same call": asked and answered at once
                signals = signals - {Signal.BUDGET_CONCERN}
            if activity.signals is not None and Signal.BUDGET_CONFIRMED in signals:
                heard = text.detect(activity.summary)
                if Signal.BUDGET_CONCERN in heard and Signal.BUDGET_CONFIRMED not in heard:
                    # the rep tagged the budget confirmed; the buyer's words in the same activity say it is not
                    # funded ("only the top three priorities got funding; we are fourth, on the reserve list")
                    signals = (signals - {Signal.BUDGET_CONFIRMED}) | {Signal.BUDGET_CONCERN}
            for signal in signals:
                index.setdefault(signal, []).append(activity)
        return index

    def _ours(self, activity: Activity) -> bool:
        """A touch of ours the buyer did not answer (``facts.direction_of``): its words are the rep's."""
        return direction_of(activity, self.deal.stakeholders) == Direction.OUTBOUND

    def with_signal(self, signal: Signal, *, include_future: bool = False) -> list[Activity]:
        """Activities carrying ``signal`` (explicit tag or heuristic); cancelled and no-shows excluded.

        The list is shared between calls within one inspection: callers must not modify it.
        """
        key = (signal, include_future)
        cached = self._signal_cache.get(key)
        if cached is None:
            tagged = self._signals.get(signal, [])
            as_of = self.as_of
            cached = tagged if include_future else [a for a in tagged if a.date <= as_of]
            self._signal_cache[key] = cached
        return cached

    def price_settled_after(self, day: dt.date) -> bool:
        """A price or budget concern raised on ``day`` was settled later: terms agreed, a verbal commit or finished
        paper after it ("Napat (Legal): MSA and order form reviewed, no comments" after the CFO's payment-split ask)."""
        return any(a.date > day for signal in PRICE_SETTLED for a in self.with_signal(signal))

    def has_signal(self, signal: Signal) -> bool:
        return bool(self.with_signal(signal))

    @property
    def any_signal(self) -> bool:
        """Whether any activity that was not cancelled or missed carries a signal (past or future)."""
        return bool(self._signals)

    # --- people -------------------------------------------------------------------------------

    def role(self, role: Role) -> list[Stakeholder]:
        """The stakeholders holding ``role`` (shared between calls: callers must not modify it)."""
        return self._roles.get(role, _NOBODY)

    @memoized
    def _roles(self) -> dict[Role, list[Stakeholder]]:
        roles: dict[Role, list[Stakeholder]] = {}
        for person in self.deal.stakeholders:
            roles.setdefault(person.role, []).append(person)
        return roles

    def contact_date(self, person: Stakeholder) -> dt.date | None:
        """The person's last two-way contact (see :class:`ae_coach.inspector.facts.PersonFact`)."""
        fact = self.facts.person(person.name)
        return fact.last_two_way if fact else None

    @memoized
    def contacts(self) -> dict[str, str]:
        """People we have a live thread with (engaged stakeholders, people in two-way touches): key -> name."""
        names = [s.name for s in self.deal.stakeholders if s.engaged]
        names += [name for a in self.facts.activities if a.two_way and a.date <= self.as_of for name in a.people]
        return {n.strip().lower(): n.strip() for n in names if n.strip()}

    # --- dates --------------------------------------------------------------------------------

    def stage_entered(self, stage: Stage) -> dt.date | None:
        """When the deal first reached ``stage`` or later, from ``history`` (None if not recorded).

        A history whose first stage change moves the deal *from* ``stage`` or later says it was there before
        the record starts: when it got there is not recorded (None), not the day it moved on."""
        dates = []
        changes = sorted((c for c in self.deal.history if c.field == "stage"), key=lambda c: c.date)
        for index, change in enumerate(changes):
            before, reached = _stage_of(change.from_), _stage_of(change.to)
            if index == 0 and before is not None and before.order >= stage.order and before.is_open:
                return None
            if reached is not None and reached.order >= stage.order and reached != Stage.CLOSED_LOST:
                dates.append(change.date)
        return min(dates) if dates else None

    def there_before(self, stage: Stage) -> tuple[dt.date, Stage] | None:
        """The first ``history`` stage change that moves the deal on from ``stage`` or a later open stage, as the
        day of that move and the stage it left: the deal was there the days before it, from a day the record
        does not give. None when no stage change does."""
        changes = sorted((c for c in self.deal.history if c.field == "stage"), key=lambda c: c.date)
        for change in changes:
            left = _stage_of(change.from_)
            if left is not None and left.is_open and left.order >= stage.order:
                return change.date, left
        return None

    def reopened(self) -> dt.date | None:
        """When the deal was last reopened: a ``history`` stage change out of closed won or lost into an open
        stage (None if it never was). A deal moved back a stage is not reopened: that is often the danger."""
        dates = []
        for change in self.deal.history:
            if change.field != "stage":
                continue
            try:
                before = Stage(str(change.from_).strip().lower())
                after = Stage(str(change.to).strip().lower())
            except ValueError:
                continue
            if not before.is_open and after.is_open:
                dates.append(change.date)
        return max(dates) if dates else None

    def competitor_late_since(self) -> dt.date:
        """From when a competitor's first appearance counts as late: the deal's entry into proposal, or the
        fallback window. A reopened deal starts its evaluation again: the competitors named when it reopened
        are the evaluation's, not late arrivals, so lateness counts from the day after the reopening (or its
        next entry into proposal, if later)."""
        since = self.stage_entered(Stage.PROPOSAL) or self.as_of - dt.timedelta(days=self.settings.late_window_days)
        reopened = self.reopened()
        if reopened is not None:
            again = [
                c.date
                for c in self.deal.history
                if c.field == "stage" and c.date >= reopened and str(c.to).strip().lower() in ("proposal", "closing")
            ]
            since = max(since, reopened + dt.timedelta(days=1), *again)
        return since

    @memoized
    def alternatives(self) -> list[str]:
        """:func:`known_alternatives` of the deal (shared: callers must not modify it)."""
        return known_alternatives(self.deal)

    @memoized
    def dated_next_step(self) -> str | None:
        """Evidence of a dated next step still to come (next_step or a scheduled activity), else None."""
        step = self.deal.next_step
        if step and step.date and step.date >= self.as_of:
            return f"next_step: {text.quote(step.action)} on {step.date.isoformat()}"
        for activity in self.activities:
            if activity.date >= self.as_of and activity.status == ActivityStatus.SCHEDULED:
                return f"scheduled: {describe(activity)}"
        return None


def _activity_date(activity: Activity) -> dt.date:
    return activity.date


def _stage_of(value: object) -> Stage | None:
    try:
        return Stage(str(value).strip().lower())
    except ValueError:
        return None
