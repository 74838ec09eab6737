"""The buyer's own approval steps the record names, put on the drafted plan with the record's dates.

A CFO who says "all new multi-year commitments go through the January capital review" has put a step on the plan,
whatever the CRM's plan says; so has a buyer who writes that their security review takes six weeks and the ringi
can only start after it. :mod:`ae_coach.coach._plan` drafts the standard steps; this module adds the buyer's named
steps the plan leaves out, or dates earlier than the buyer's own sequence allows, on the record's date (a day, or a
month) or on the day the summed sequence says the step ends. A recorded date is never moved: a buyer's step the
sequence says cannot happen by its date keeps it and is at risk (``_offline._before_their_turn``). The plan then
ends with the signature, after those steps; on a renewal whose current term ends on a date the record gives, the
renewal's signature comes before that end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ae_coach._patterns import lazy
from ae_coach.coach._people import label, person_in_role
from ae_coach.coach._plan import _SIGNATURE, RENEWAL_SIGNATURE, _owner, _reads, _template_of, join_notes
from ae_coach.coach.report import MapStep
from ae_coach.i18n import phrase, t, term
from ae_coach.inspector.facts import dates_in, month_ahead, renews_with_us
from ae_coach.inspector.text import quote

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.deal.calendar import Calendar
    from ae_coach.inspector.facts import DealFacts


@dataclass(frozen=True)
class Approval:
    """A step of the buyer's own approval process, by the words the record names it with."""

    action: str
    """The step's words on the plan (a ``plan.step`` phrase)."""
    words: Any
    role: str | None
    """Whose step it is on the buyer's side, by committee role."""
    team: str
    """The owner when nobody holds that role."""
    covers: Any
    """Words of a plan step that already is this step ("Board consent vote" is the board's approval)."""

    @property
    def kind(self) -> Literal["decision", "paper"]:
        return "decision" if self.role == "economic_buyer" else "paper"


APPROVALS: tuple[Approval, ...] = (
    Approval(
        "Capital review",
        lazy(
            r"\b(?:capital|capex|investment) (?:review|committee|approval|request|board)\b|资本(?:审批|审查)|投资委员会",
            re.I,
        ),
        "economic_buyer",
        "to name: economic buyer",
        lazy(r"\b(?:capital|capex|investment)\b|资本|投资", re.I),
    ),
    Approval(
        "Board approval",
        lazy(r"\bboard (?:approval|meeting|review|sign-?off)\b|\bexco\b|\bexecutive committee\b|董事会", re.I),
        "economic_buyer",
        "to name: economic buyer",
        lazy(r"\bboard\b|\bexco\b|\bexecutive committee\b|董事会", re.I),
    ),
    Approval(
        "Ringi approval",
        lazy(r"\bringi\b|稟議|禀议", re.I),
        "economic_buyer",
        "to name: economic buyer",
        lazy(r"\bringi\b|稟議|禀议", re.I),
    ),
    Approval(
        "Budget release",
        lazy(
            r"\bbudget (?:release|approval|is released|gets released)\b|\brelease (?:of )?the budget\b|预算(?:下达|释放|批复)",
            re.I,
        ),
        "economic_buyer",
        "to name: economic buyer",
        lazy(r"\bbudget\b|预算", re.I),
    ),
    Approval(
        "Security review sign-off",
        lazy(
            r"\b(?:security|infosec|it security) (?:review|check|assessment)\b|\bvendor risk (?:review|assessment)\b|"
            r"安全(?:审核|评估|检查)",
            re.I,
        ),
        "technical_buyer",
        "buyer security team",
        lazy(r"\b(?:security|infosec|vendor risk)\b|安全", re.I),
    ),
    Approval(
        "Legal review",
        lazy(r"(?<!for )\b(?:legal|contract) review\b|法务审(?:核|阅)", re.I),
        None,
        "buyer legal",
        lazy(r"(?<!for )\b(?:legal|counsel|redlines?)\b|法务", re.I),
    ),
    Approval(
        "Procurement: vendor onboarding",
        lazy(r"\b(?:vendor|supplier) (?:onboarding|registration|set-?up)\b|供应商(?:准入|建档|注册)", re.I),
        None,
        "buyer procurement",
        lazy(r"\b(?:procurement|(?:vendor|supplier) (?:onboarding|set-?up|records?))\b|供应商|采购", re.I),
    ),
)
"""The approval steps a buyer names (capital or investment review, board or Exco, ringi, budget release, security
review, legal review, procurement onboarding). The signature is the plan's own last step (:func:`_sign_last`)."""


SIGN_AFTER = 2
"""Working days from the buyer's last approval step to the signature (ae-coach default, the draft's signing lead)."""
HAND_OVER_BEFORE = 10
"""Working days before the first day of a month-dated buyer gate (a capital review, a budget round, a board) by
which we hand over what it needs from us (ae-coach default: two working weeks, so whoever presents it can read it
and push back before a sitting whose day the record does not give)."""

_CLAUSE = lazy(r"(?<=[.;!?。；！？])\s+|\n")
_NEGATED = lazy(r"\b(?:no|not|without|never|skip(?:s|ped)?|waived?|instead of)\b|n't\b|不需要|无需", re.I)
"""A step the buyer rules out ("no board approval needed for this amount")."""
_UNSURE = lazy(r"\b(?:not sure|unsure|maybe|might|perhaps|possibly|tb[cd])\b|n't sure\b|不确定|也许|可能", re.I)
"""A date the buyer only guesses at ("he thinks ExCo meets monthly but isn't sure of the December date")."""
_MONTHS = ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December")  # fmt: skip
_MONTH = lazy(
    r"\b(?:(?P<part>early|mid|late|end of)[- ](?:in )?)?(?P<month>January|February|March|April|June|July|August|"
    r"September|October|November|December)\b"
)
"""A month the record dates a step by ("the January capital review", "the board in mid-February"); May is left
out: "may" is a verb far more often than a month."""


def month_after(words: str, said: dt.date, after: dt.date) -> dt.date | None:
    """The first day of the first month ``words`` name that starts after ``after`` ("the January capital review",
    said in November: 1 January next year), read from the day they were ``said``; None when they name none."""
    for found in _MONTH.finditer(words):
        month = _MONTHS.index(found.group("month")) + 1
        first = month_ahead(month, said)
        if first > after:
            return first
    return None


_DEADLINE = lazy(r"\b(?:before|ahead of|prior to|until|till|by|no later than)\b|之前|以前", re.I)
_PART_DAY = {"early": 1, "mid": 15, "late": 20, "end of": 20}
_TERM_END = lazy(
    r"\b(?:contract|term|subscription|licen[cs]es?|renewal|agreement) (?:expires?|expiring|ends|ending|runs out)\b|"
    r"\b(?:renewal|anniversary) date\b|(?<!quote )(?<!offer )(?<!price )(?<!pricing )\bexpiry\b|到期",
    re.I,
)
"""Words that date when the current contract ends ("Renewal expires 12-31", "Current term ends 12-31", "before the
12-31 expiry"; not a quote that expires)."""


def with_buyer_steps(plan: list[MapStep], deal: Deal, facts: DealFacts, calendar: Calendar) -> list[MapStep]:
    """``plan`` with the buyer's approval steps the record names and the plan leaves out (:func:`_named`), a
    renewal's signature before the current term ends (:func:`_renewal`), and the signature after the last of them
    (:func:`_sign_last`)."""
    as_of = facts.as_of
    if not deal.is_open or str(deal.stage) == "discovery":
        return plan
    plan = list(plan)
    added: list[MapStep] = []
    for approval, day, note, month in sorted(_named(deal, facts, calendar), key=lambda n: n[1]):
        precision: Literal["day", "month"] = "month" if month else "day"
        same = [s for s in plan if _is(s, approval)]
        if any(s.status == "done" or (s.status != "at_risk" and s.date >= day) for s in same):
            continue  # on the plan already, on a date the record allows
        ours = next((s for s in same if _template_of(s) is not None and s.status != "done"), None)
        if ours is not None:  # a step ae-coach dated: it moves to the buyer's date
            update = {"date": day, "note": join_notes(ours.note, note), "date_precision": precision}
            plan[plan.index(ours)] = moved = ours.model_copy(update=update)
            added.append(moved)
            continue
        owner = next((s.owner for s in same if s.kind == "agreed"), None) or _owner_of(approval, deal)
        step = MapStep(
            date=day,
            action=phrase("plan.step", approval.action),
            side="buyer",
            owner=owner,
            kind=approval.kind,
            status="proposed",
            note=note,
            date_precision=precision,
        )
        plan.append(step)
        added.append(step)
    gate = month_gate(deal, facts, calendar)
    if gate is not None and any(s.action == gate[0] and s.date == gate[1] for s in added):
        plan.append(_hand_over(gate, deal, next(s for s in added if s.action == gate[0]).owner))
    if added:
        plan = _sign_last(plan, max(added, key=lambda s: s.date), deal, as_of, calendar)
    plan = _renewal(plan, deal, facts, calendar)
    return sorted(plan, key=lambda s: (s.date, s.kind != "agreed"))


def month_gate(deal: Deal, facts: DealFacts, calendar: Calendar) -> tuple[str, dt.date, dt.date] | None:
    """The buyer's own decision gate the record dates by its month alone and the deal now waits on ("all new
    multi-year commitments go through the January capital review", a budget round, a board): its step words on the
    plan, its month's first day, and the day our part for it is due (:data:`HAND_OVER_BEFORE`). None when the
    record names no such gate ahead, or gives its day, or the deal's plan has that gate done already (Exco saw the
    proposal and asked for a pilot first: the pilot is what the deal waits on, not Exco's next sitting)."""
    if not deal.is_open or str(deal.stage) == "discovery":
        return None
    done = [p.action for p in deal.mutual_action_plan if str(p.status) == "done"]
    gates = [
        (a, day)
        for a, day, _note, month in _named(deal, facts, calendar)
        if month and a.kind == "decision" and not any(a.covers.search(step) for step in done)
    ]
    if not gates:
        return None
    approval, day = min(gates, key=lambda g: g[1])
    due = max(calendar.add(day, -HAND_OVER_BEFORE), calendar.add(facts.as_of, 1))
    return phrase("plan.step", approval.action), day, due


def _hand_over(gate: tuple[str, dt.date, dt.date], deal: Deal, presenter: str) -> MapStep:
    """Our part for the buyer's gate, dated before it: what it needs from us, to whoever takes the deal in."""
    action, day, due = gate
    return MapStep(
        date=due,
        action=t("plan.gate_hand_over", gate=action, who=presenter),
        side="seller",
        owner=deal.owner or "AE",
        kind="decision",
        status="proposed",
        note=t("plan.gate_hand_over_note", gate=action, month=f"{day:%Y-%m}"),
    )


def _named(deal: Deal, facts: DealFacts, calendar: Calendar) -> list[tuple[Approval, dt.date, str, bool]]:
    """The buyer's approval steps with a date: each one the buyer's side named in a conversation with a date or a
    month ahead (the latest conversation that gives it), and each step of the buyer's written sequence on the day
    it ends at the earliest; with whether the record gives the month only."""
    as_of, begin = facts.as_of, calendar.on_or_after(facts.as_of)
    found: dict[str, tuple[Approval, dt.date, str, bool]] = {}
    for activity in sorted(facts.activities, key=lambda a: a.date):
        if activity.status != "completed" or activity.date > as_of or not activity.two_way or not activity.summary:
            continue
        for clause in _CLAUSE.split(activity.summary):
            approval, at = _first(clause)
            if approval is None or _NEGATED.search(clause[:at]) or _TERM_END.search(clause) or _UNSURE.search(clause):
                continue
            dated = _dated(clause[at:], clause, activity.date, as_of)
            if dated is None:
                continue
            day, month = dated
            day = calendar.on_or_after(max(day, begin))
            note = t("plan.named", date=activity.date, type=term(activity.type), quote=quote(clause, 90))
            note += t("plan.named_month", month=month) if month else ""
            found[approval.action] = (approval, day, note, month is not None)
    for ends, said in facts.timing.sequence_steps:
        approval, _ = _first(said)
        if approval is not None and ends >= begin:
            found[approval.action] = (approval, ends, t("plan.sequenced", date=ends, quote=quote(said, 70)), False)
    return list(found.values())


def _first(text: str) -> tuple[Approval | None, int]:
    """The approval step ``text`` is about: the one it names first ("The ringi can only start after the security
    check" is the ringi), and where."""
    hits = [(m.start(), a) for a in APPROVALS if (m := a.words.search(text)) is not None]
    if not hits:
        return None, 0
    at, approval = min(hits, key=lambda h: h[0])
    return approval, at


def _dated(after: str, clause: str, said: dt.date, as_of: dt.date) -> tuple[dt.date, str | None] | None:
    """The date a clause gives its step, ahead of ``as_of``: a day after the step's words, else a month anywhere in
    the clause still to come (its first day, or its middle or late days as the clause says), with that month
    (``2027-01``)."""
    after = _DEADLINE.split(after, maxsplit=1)[0]  # "before the freeze on 12-08" is a deadline, not the step's day
    days = [d for d in dates_in(after, said) if as_of <= d <= as_of + dt.timedelta(days=180)]
    if days:
        return days[0], None
    found = _MONTH.search(clause)
    if found is None:
        return None
    month = _MONTHS.index(found.group("month")) + 1
    day = month_ahead(month, said).replace(day=_PART_DAY.get((found.group("part") or "early").lower(), 1))
    if day <= as_of or day > as_of + dt.timedelta(days=180):
        return None  # the month under way gives no day ahead to plan on
    return day, f"{day:%Y-%m}"


def _is(step: MapStep, approval: Approval) -> bool:
    return bool(approval.covers.search(step.action)) or step.action == phrase("plan.step", approval.action)


def _owner_of(approval: Approval, deal: Deal) -> str:
    person = person_in_role(deal, approval.role) if approval.role else None
    if person is not None:
        return label(person)
    if approval.role == "economic_buyer":
        return _owner(_SIGNATURE, deal)
    return phrase("plan.team", approval.team)


def _signs(step: MapStep) -> bool:
    return step.kind == "signature" or (step.kind == "agreed" and _reads(step.action, _SIGNATURE))


def _sign_last(plan: list[MapStep], last: MapStep, deal: Deal, as_of: dt.date, calendar: Calendar) -> list[MapStep]:
    """The signature after the buyer's last approval step: a signature of the buyer's own plan dated before it is at
    risk (its date stays theirs; one already at risk keeps the reason it has), one ae-coach dated moves after it,
    and with neither a signature is drafted."""
    ahead = [s for s in plan if _signs(s) and s.status != "done" and s.date >= as_of]
    if any(s.date > last.date for s in ahead):  # the signature already comes after them (at risk or not)
        return plan
    day = calendar.add(last.date, SIGN_AFTER)
    month = last.date_precision == "month"  # no day of its own to plan from: the signature follows it
    when: dt.date | str = f"{last.date:%Y-%m}" if month else last.date
    note = (
        t("plan.signs_after_month", action=last.action, month=when)
        if month
        else t("plan.signs_after", action=last.action, date=last.date)
    )
    after: dict[str, Any] = {"date_precision": "after", "follows": last.action} if month else {}
    out = []
    for step in plan:
        if step in ahead and step.kind == "agreed" and step.status == "planned" and step.date <= last.date:
            at_risk = t("plan.before_named", action=last.action, date=when)
            step = step.model_copy(update={"status": "at_risk", "note": join_notes(step.note, at_risk)})
        out.append(step)
    ours = next((s for s in ahead if s.kind == "signature"), None)
    if ours is not None:
        out[out.index(ours)] = ours.model_copy(
            update={"date": day, "note": join_notes(t("plan.proposed"), note), **after}
        )
        return out
    own = next((s for s in ahead if s.kind == "agreed"), None)
    action = own.action if own is not None else phrase("plan.step", _SIGNATURE.action)
    owner = own.owner if own is not None else _owner(_SIGNATURE, deal)
    signature = MapStep(
        date=day, action=action, side="buyer", owner=owner, kind="signature", status="proposed", note=note, **after
    )
    return [*out, signature]


def term_end(deal: Deal, facts: DealFacts) -> tuple[dt.date, str] | None:
    """The day the current contract ends, where the record gives it ("Renewal expires 12-31", "before the 12-31
    expiry"), with the words that say so: the latest conversation that dates it, else the deal's notes or MEDDPICC
    evidence."""
    as_of = facts.as_of
    told = [(a.date, a.summary or "") for a in sorted(facts.activities, key=lambda a: a.date) if a.date <= as_of]
    told += [(as_of, deal.notes or "")]
    told += [(as_of, getattr(deal.meddpicc, name).evidence or "") for name in type(deal.meddpicc).model_fields]
    found = None
    for said, summary in told:
        for clause in _CLAUSE.split(summary):
            if not _TERM_END.search(clause):
                continue
            days = [d for d in dates_in(clause, said) if as_of <= d <= as_of + dt.timedelta(days=400)]
            if days:
                found = (days[0], clause.strip())
    return found


def _renewal(plan: list[MapStep], deal: Deal, facts: DealFacts, calendar: Calendar) -> list[MapStep]:
    """A renewal's signature before the current term ends, when the record gives that day and no signature on the
    plan comes before it: one ae-coach dated moves there, else the renewal's order form signature is drafted."""
    end = term_end(deal, facts) if renews_with_us(deal) else None
    if end is None:
        return plan
    day, said = calendar.on_or_before(end[0] - dt.timedelta(days=1)), end[1]
    ahead = [s for s in plan if _signs(s) and s.status != "done" and s.date >= facts.as_of]
    if day < calendar.on_or_after(facts.as_of) or any(s.date < end[0] for s in ahead):
        return plan  # the term has ended, or a signature on the plan already comes before the end (at risk or not)
    note = join_notes(t("plan.proposed"), t("plan.before_term_end", date=end[0], quote=quote(said, 70)))
    ours = next((s for s in ahead if s.kind == "signature"), None)
    if ours is not None:
        return [s.model_copy(update={"date": day, "note": note}) if s is ours else s for s in plan]
    owner = _owner(_SIGNATURE, deal)
    step = MapStep(
        date=day,
        action=phrase("plan.step", RENEWAL_SIGNATURE),
        side="buyer",
        owner=owner,
        kind="signature",
        status="proposed",
        note=note,
    )
    return [*plan, step]
