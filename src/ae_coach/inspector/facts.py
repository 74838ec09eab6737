"""The deal's facts, derived once: who took part and when, two-way contact, first appearances, dates.

Every consumer reads :class:`DealFacts` instead of deriving facts again: the finding families, the forecast
call, the offline coach and chat, the prompt's inspection block and the MCP tools. Two derivations of one
fact disagree (they did: chat and the inspector matched names differently), so this module is the only
place that reads the raw record for:

* **people**: each stakeholder's first appearance in the record, last two-way contact, last outbound
  touch and how many outbound touches since went unanswered;
* **two-way contact**: an activity is two-way when both sides took part (a held meeting, a call that
  connected, a reply). A rep's own unanswered emails, voicemails and chases are outbound: logging them
  does not make a silent champion look alive. ``activities[].direction`` says it explicitly; otherwise it
  is inferred from the type, status and summary (:func:`direction_of`);
* **competitors**: each one's first dated mention anywhere in the record (listed competitors, activity
  summaries, history, notes), including a competitor the record mentions without naming ("procurement
  wants a second vendor's quote");
* **dated items**: what is on the calendar after ``as_of`` (scheduled meetings, plan steps, the next step,
  the close date) and the close-date changes;
* **data coverage**: which parts of the deal format the source carried (a CRM report export has no
  MEDDPICC or contacts), so that "not in this export" is never judged as a deal defect.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Activity,
    ActivityStatus,
    ActivityType,
    CompetitorStatus,
    Deal,
    Direction,
    PlanStatus,
    Role,
    Sentiment,
    Signal,
    Stakeholder,
)
from ae_coach.inspector import text

# ------------------------------------------------------------------------------------------- direction

_UNANSWERED = lazy(
    r"\b(?:no (?:reply|response|answer|call ?back)|not (?:replied|responded|answered)|unanswered|did(?:n'?t| not) "
    r"(?:reply|respond|answer|pick up|call back|hear back)|(?:haven|hasn)'?t heard|no word|voice ?mail|left (?:a )?(?:message|vm)|"
    r"bounced|out[- ]of[- ]office|ooo|auto-?reply|(?:heard |got )?nothing back|heard nothing|chas(?:ed|ing)|bump(?:ed)?|nudg(?:ed|e)|just checking in|checking in|following up|"
    r"follow(?:ed)?[- ]up (?:email|note|message|sent)|sent (?:a )?(?:follow[- ]?up|reminder|nudge|check[- ]in)|"
    r"(?:second|third|another) (?:follow[- ]?up|attempt|email|try)|still waiting|radio silence|went dark|gone dark|"
    r"awaiting (?:a |their |her |his )?(?:reply|response|answer)|waiting (?:for|on) (?:a |their |her |his )?(?:reply|"
    r"response|answer)|"
    r"ghost(?:ed|ing))\b",
    re.IGNORECASE,
)
"""Summaries that say the seller reached out and nothing came back."""

_REPLIED = lazy(
    r"\b(?:repl(?:y|ied)|respond(?:ed)?|wrote back|answered|got back to (?:us|me)|came back|confirmed|agreed|accepted|"
    r"asked|shared|sent (?:us|me|over)|forwarded|introduced|said|told|signed|approved|requested|invited|booked|"
    r"scheduled|joined|attended|returned (?:my|our|the) call)\b",
    re.IGNORECASE,
)
"""Summaries that say the buyer took part (a reply, a question, a decision)."""

_HELD_TYPES = (ActivityType.MEETING, ActivityType.DEMO, ActivityType.CALL)

_NOBODY_ANSWERED = lazy(
    r"\b(?:no answer|no reply|no response|voice ?mail|left (?:a )?(?:message|vm)|did(?:n'?t| not) (?:pick up|answer|"
    r"show)|no-?show|unanswered|went to voicemail|(?:heard |got )?nothing back|out[- ]of[- ]office|auto-?reply)\b",
    re.IGNORECASE,
)
"""What says a call or meeting did not connect. Narrower than :data:`_UNANSWERED`: "Piet: still waiting on
procurement" is the buyer talking, not the rep chasing."""

_QUOTES_BUYER = lazy(r"^\s*[A-Z][\w'.-]+(?: [A-Z][\w'.-]+)?\s*(?::|said|says|told|confirmed|asked)", re.UNICODE)
"""A summary that reports what a person said ("Piet: still waiting…", "Greta said…"): they spoke."""


_REBUFF = lazy(
    r"\b(?:left (?:early|after \d+ ?(?:min(?:ute)?s?)|halfway|before the end)|walked out|dropped off|declined|"
    r"pushed back|push-?back|refused|rejected|turned (?:it|us) down|said no|not convinced|unconvinced|skeptical|"
    r"sceptical|not interested|(?:won'?t|will not|would not|wouldn'?t) (?:approve|sign|fund|meet)|deflected|"
    r"objected|(?:is|was)n'?t convinced|questioned (?:the )?(?:value|roi|price|need|business case|case)|"
    r"(?:numbers?|business case|case|roi) (?:do(?:es)?n'?t|did(?:n'?t| not)) (?:add up|stack up|work)|lukewarm|"
    r"(?:has|have)n'?t bought in)\b",
    re.IGNORECASE,
)
"""What an economic buyer does in a meeting that is not engagement: left early, declined, pushed back."""

_EB_DEFERS = lazy(
    r"\b(?:(?:wants?|wanted|would like|prefers?|decided|asked us) to (?:wait|pause|hold off|revisit|re-?review|"
    r"reconsider|re-?evaluate|re-?assess|delay|defer|postpone)|wait(?:ing)? (?:for|until|till|on) (?:the |a |after )?"
    r"(?:reorg|restructur\w*|new|next|budget|board|q[1-4]|fiscal|year|quarter|re-?org)|hold(?:ing)? off|on hold|"
    r"paused|parked|deferred|postponed|delayed (?:the|it|this|a) (?:decision|deal|project|purchase|signature)|"
    r"push(?:ed|ing)? (?:it|this|the (?:decision|deal|project|purchase|signature)) (?:out|back|to)|"
    r"(?:re-?review|reconsider|re-?evaluate|re-?assess|revisit)(?:s|ed|ing)? (?:the|our|it|this)|"
    r"(?:take|have) (?:another|a second|a fresh) look|not (?:now|this (?:year|quarter))|not a priority|"
    r"(?:asked us to )?come back (?:to (?:us|him|her|them) )?(?:in|after|next)|paus(?:e|es|ing)\b|"
    r"pick (?:this|it) (?:back )?up (?:again )?(?:in|after|next)|put (?:the decision|it|this|the deal|the project|the "
    r"purchase) off|hold (?:until|till))\b",
    re.IGNORECASE,
)
"""An economic buyer pausing, deferring or re-reviewing ("Greta wants to wait for the reorg to settle", "CFO
will re-review the business case"): the purchase is parked, which is not engagement."""

_EB_WORDS = lazy(r"\b(?:cfo|ceo|coo|cio|cro|economic buyer|eb)\b", re.IGNORECASE)


def rebuffed_by_economic_buyer(summary: str | None, names: list[str]) -> str | None:
    """The phrase by which the economic buyer pulled back in ``summary`` ("Patricia left after 20 minutes",
    "CFO pushed back on price", "new CFO says the price is too high", "Greta wants to wait"), read clause by clause so another person's objection is not theirs; None when
    the summary shows no such thing."""
    # pulling back takes three shapes: a rebuff, an objection (the budget-concern phrasings: "the price is
    # too high"), and a deferral; any of them in the economic buyer's own clause is not engagement
    return _in_eb_clause(summary, names, (_REBUFF, text.SIGNAL_PATTERNS[Signal.BUDGET_CONCERN], _EB_DEFERS))


def deferred_by_economic_buyer(summary: str | None, names: list[str]) -> str | None:
    """The phrase by which the economic buyer parked the deal in ``summary`` ("Greta wants to wait for the
    reorg", "CFO put it on hold"): a pause or deferral, not an objection or a rebuff; None otherwise."""
    return _in_eb_clause(summary, names, (_EB_DEFERS,))


def _in_eb_clause(summary: str | None, names: list[str], patterns: tuple[re.Pattern[str], ...]) -> str | None:
    if not summary:
        return None
    for clause in re.split(r"[.;!?]", summary):
        if not (_EB_WORDS.search(clause) or text.mentions(names, clause)):
            continue
        for pattern in patterns:
            hit = text.find(pattern, clause)
            if hit:
                return hit
    return None


def direction_of(activity: Activity, stakeholders: list[Stakeholder] | None = None) -> Direction | None:
    """Who took part in ``activity``: its ``direction``, else inferred; None when it was no contact at all.

    Not contact: an internal note, and anything not completed (scheduled, cancelled, no-show, rescheduled).
    A held meeting, demo or call is two-way unless its summary says nobody answered; an email, proposal or
    other touch is outbound unless its summary shows the buyer answered or acted, or it starts with a
    buyer's name ("Dana sent the org chart", "Rob: MSA is with legal", inbound). A line that starts with the
    rep's own verb and no subject ("Asked for legal's redline ETA", "Shared a case study") is outbound unless
    a later clause shows the buyer answering.
    """
    if activity.direction is not None:
        return activity.direction
    if activity.status != ActivityStatus.COMPLETED or activity.type == ActivityType.NOTE:
        return None
    summary = activity.summary or ""
    if activity.type in _HELD_TYPES:
        connected = text.find(_NOBODY_ANSWERED, summary) is None or _QUOTES_BUYER.search(summary)
        return Direction.TWO_WAY if connected else Direction.OUTBOUND
    unanswered = text.find(_UNANSWERED, summary) is not None
    if unanswered:
        return Direction.OUTBOUND
    if stakeholders and _starts_with_buyer(summary, stakeholders):
        return Direction.INBOUND
    if text.find(_REPLIED, _REP_LEADS.sub("", summary, count=1)):
        return Direction.TWO_WAY
    return Direction.OUTBOUND


_REP_LEADS = lazy(
    r"^\s*(?:asked|shared|sent|offered|forwarded|introduced|proposed|emailed|followed up|pinged|reached out|"
    r"requested|invited)\b[^.;]*",
    re.IGNORECASE,
)
"""A log line that starts with a verb and no subject is the rep's own act ("Asked for legal's redline ETA",
"Shared a case study", "Offered a year-end discount"): its words are not the buyer replying."""


def _starts_with_buyer(summary: str, stakeholders: list[Stakeholder]) -> bool:
    head = summary.strip().lower()
    for person in stakeholders:
        parts = person.name.lower().split()
        if parts and (
            head.startswith(person.name.lower())
            or (len(parts[0]) >= 3 and re.match(rf"{re.escape(parts[0])}(?: |:|,|'s )", head))
        ):
            return True  # "Dana sent the org chart", "Rob: MSA is with legal"
    return False


# ------------------------------------------------------------------------------------------- names


def _key(name: str) -> str:
    return " ".join(name.lower().split())


class _Names:
    """Matches the names a record uses ("Dana", "dana lee", "Lee") to its stakeholders, one way everywhere."""

    def __init__(self, people: list[str]) -> None:
        self.full = {_key(name): name for name in people if name.strip()}
        firsts: dict[str, list[str]] = {}
        lasts: dict[str, list[str]] = {}
        for name in self.full.values():
            parts = _key(name).split()
            if len(parts) >= 2:
                firsts.setdefault(parts[0], []).append(name)
                lasts.setdefault(parts[-1], []).append(name)
        # a first or last name stands for a person only when no one else shares it
        self.first = {k: v[0] for k, v in firsts.items() if len(v) == 1 and len(k) >= 2}
        self.last = {k: v[0] for k, v in lasts.items() if len(v) == 1 and len(k) >= 3}

    def resolve(self, name: str) -> str | None:
        """The stakeholder a name refers to, or None."""
        key = _key(name)
        return self.full.get(key) or self.first.get(key) or self.last.get(key)

    def mentioned_in(self, summary: str | None) -> list[str]:
        """Stakeholders whose full name, or unshared first name, appears in ``summary`` as whole words."""
        if not summary:
            return []
        lowered = summary.lower()
        found = [n for k, n in self.full.items() if re.search(rf"\b{re.escape(k)}\b", lowered)]
        found += [n for k, n in self.first.items() if n not in found and re.search(rf"\b{re.escape(k)}\b", lowered)]
        return found


# ------------------------------------------------------------------------------------------- models


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def of(cls, **values: Any) -> Self:
        """An instance from values :func:`derive` computed with the declared types, without validation: the
        facts are the inspector's own, and building their validators was a twentieth of a review's start-up."""
        return cls.model_construct(**values)


class ActivityFact(_Facts):
    """One activity as the record shows it, with who took part resolved."""

    date: dt.date
    type: str
    status: str
    people: list[str] = Field(default_factory=list)
    """Stakeholders present (names as the deal's stakeholders spell them; unknown names kept as written)."""
    direction: Direction | None = None
    """Who took part; None when it was no contact (a note, or not completed)."""
    summary: str | None = None
    signals: list[str] = Field(default_factory=list)
    """Signal tags: explicit, else the documented keyword heuristics."""

    @property
    def two_way(self) -> bool:
        """Both sides took part (a reply or an inbound message counts)."""
        return self.direction in (Direction.TWO_WAY, Direction.INBOUND)


class PersonFact(_Facts):
    """One stakeholder: role, first appearance and contact, as the record shows them."""

    name: str
    title: str | None = None
    role: Role
    engaged: bool
    sentiment: Sentiment
    first_seen: dt.date | None = None
    """The earliest dated mention: ``added``, an activity with them, or a summary naming them."""
    last_two_way: dt.date | None = None
    """The last completed exchange both sides took part in (``last_contact`` counts unless only chasing followed it)."""
    last_outbound: dt.date | None = None
    """The seller's last one-way touch to them (an unanswered email, a voicemail)."""
    unanswered: int = 0
    """Outbound touches to them since their last two-way contact."""
    meetings: int = 0
    """Held meetings, demos and calls with them, up to ``as_of``."""


class CompetitorFact(_Facts):
    """One alternative the record names, and when it first appeared."""

    name: str
    status: str
    first_seen: dt.date | None = None
    source: str = ""
    """Where it first appeared: ``competitors[2].added``, ``2026-11-12 call: "…"``, ``history``."""
    listed: bool = True
    """In the deal's ``competitors`` list; False for one found only in the record's text."""
    eliminated_before: str | None = None
    """Where the record says it was out before it showed up (``meddpicc.competition.evidence: "Contentful
    eliminated in September"``, or "… evaluating Contentful again"): a returning competitor, not a new one."""


class DatedItem(_Facts):
    """Something on the calendar: a scheduled activity, a plan step, the next step or the close date."""

    date: dt.date
    kind: Literal["meeting", "activity", "plan", "next_step", "close_date"]
    text: str
    people: list[str] = Field(default_factory=list)
    owner: str | None = None


class CloseDateChange(_Facts):
    """One recorded change of the close date."""

    date: dt.date
    before: dt.date | None = None
    after: dt.date | None = None

    @property
    def pushed(self) -> bool:
        return self.before is not None and self.after is not None and self.after > self.before


class TimingFact(_Facts):
    """When the deal can close, as the record says it (the buyer's words and plan, not only the CRM field)."""

    on_hold: str | None = None
    """Where the record says the project is on hold or the budget frozen (and nothing later lifts it)."""
    doubt: str | None = None
    """Why the close date cannot be believed: the rep calls it a placeholder, or the buyer places the purchase
    later ("no budget this year", "mid-2027 at the earliest")."""
    reconfirmed: dt.date | None = None
    """A new date the buyer confirmed after (or just before) the CRM close date passed."""
    reconfirmed_source: str | None = None
    """The activity that confirmed it."""
    plan_signature: dt.date | None = None
    """The date of the open mutual-action-plan step that signs (signature, contract, PO, award)."""
    paper_stuck: str | None = None
    """The buyer's paper-process step (contract, legal, redlines, security, vendor risk, procurement) that the
    mutual action plan marks late or blocked, or that the buyer says takes longer than the time left before
    the signature step: the paper process no longer has a date that holds."""
    quiet_period: str | None = None
    """Where the record says the buyer's rules forbid contact for now (a tender's quiet period or blackout):
    silence then is the buyer's process, not a deal going dark."""
    decision_waits: str | None = None
    """Where the buyer says the decision now waits on something with no date ("Mats wants a build-vs-buy
    comparison before he signs anything. No date for the estimate yet"): whatever the plan says, the decision
    is no longer dated."""
    paper_ends: dt.date | None = None
    """When the paper process ends by the record's own word on how long it takes, where that runs past the date
    the paper has to be done by (see ``paper_stuck``)."""
    committed: str | None = None
    """Where the record shows the signer's commitment: they said yes, the paper is in their hands (a PO raised,
    the order form in their signing queue, a clean contract) and they gave the date they sign, still ahead. What
    is left is a signature, so the checklist's remaining gaps are bookkeeping, not risk."""


class Coverage(_Facts):
    """Which parts of the deal format the source carried."""

    source: str | None = None
    """The source system (e.g. ``salesforce-report``); None for a deal file written by hand."""
    missing: list[str] = Field(default_factory=list)
    """Parts the source does not carry (``meddpicc``, ``stakeholders``, ``activities``, ``next_step``…)."""

    def has(self, part: str) -> bool:
        """Whether the source carries ``part`` of the deal format."""
        return part not in self.missing


class DealFacts(_Facts):
    """Everything the record shows about one deal, computed once per review."""

    as_of: dt.date
    activities: list[ActivityFact] = Field(default_factory=list)
    """Oldest first, up to and after ``as_of``."""
    people: list[PersonFact] = Field(default_factory=list)
    competitors: list[CompetitorFact] = Field(default_factory=list)
    upcoming: list[DatedItem] = Field(default_factory=list)
    """Dated items on or after ``as_of``, soonest first."""
    close_date_changes: list[CloseDateChange] = Field(default_factory=list)
    last_two_way: dt.date | None = None
    """The deal's last two-way contact with anyone on the buyer's side."""
    last_outbound: dt.date | None = None
    unanswered: int = 0
    """Outbound touches since the deal's last two-way contact."""
    coverage: Coverage = Field(default_factory=Coverage)
    alternatives: list[str] = Field(default_factory=list)
    """Every alternative the record names: competitors, and status quo / do-nothing / build in-house."""
    elements: dict[str, ElementFact] = Field(default_factory=dict)
    """MEDDPICC per element, the rep's claim against what the record corroborates."""
    timing: TimingFact = Field(default_factory=lambda: TimingFact.of())
    budget: str | None = None
    """The buyer's budget as the record states it, with where: ``$140k allocated (2026-07-05 call)``."""
    unfit: str | None = None
    """Where the record says we cannot give the buyer what they must have (an install on their own servers from a
    SaaS-only vendor, a capability not on our roadmap), whatever the CRM's fit field says."""
    """What the record says about when the deal can close, beyond the CRM's close date."""

    @property
    def pushes(self) -> int:
        """How many times the close date moved later."""
        return sum(change.pushed for change in self.close_date_changes)

    def person(self, name: str) -> PersonFact | None:
        """The stakeholder a name refers to (full name, or an unshared first or last name)."""
        resolved = _Names([p.name for p in self.people]).resolve(name)
        return next((p for p in self.people if p.name == resolved), None)

    def in_role(self, role: Role | str) -> list[PersonFact]:
        """The stakeholders holding ``role``, engaged first."""
        wanted = Role(role)
        return sorted((p for p in self.people if p.role == wanted), key=lambda p: not p.engaged)

    def two_way_with(self, name: str) -> list[ActivityFact]:
        """Held two-way activities with a person, up to ``as_of``."""
        return [a for a in self.activities if a.two_way and a.date <= self.as_of and name in a.people]

    def competitor_since(self, since: dt.date) -> list[CompetitorFact]:
        """Alternatives first seen on or after ``since`` and not eliminated."""
        return [c for c in self.competitors if c.first_seen and c.first_seen >= since and c.status != "eliminated"]


# ------------------------------------------------------------------------------------------- derivation

_UNNAMED_COMPETITOR = lazy(
    r"\b(?:second|another|other|alternative|competing|competitive) (?:vendors?|suppliers?|quotes?|bids?|proposals?|"
    r"options?|providers?)\b|\blooking at (?:other )?(?:alternatives|other (?:tools|vendors|solutions|options))\b|\b(?:quotes?|bids?|proposals?) from (?:other|another|two|three|several) (?:vendors?|"
    r"suppliers?|providers?)\b|\b(?:competitive|second) (?:quote|bid|tender)\b|\brfp\b.{0,30}?\b(?:vendors?|issued|sent)\b",
    re.IGNORECASE,
)
"""A competitor the record mentions without naming it ("procurement wants a second vendor's quote")."""

UNNAMED = "an unnamed alternative vendor"

_VENDOR = r"([A-Z][\w&.+-]*[\w+](?: [A-Z][\w&.+-]*[\w+])?)"
_NAMED_RIVAL = (
    lazy(rf"\b(?i:incumbent)(?: vendor| provider| system| tool)?(?: is|:|,| -|—)? {_VENDOR}"),
    lazy(rf"\b{_VENDOR},? (?:is |as )?(?:the |their )?(?i:incumbent)\b"),
    lazy(rf"\b(?i:benchmark(?:ing|ed|s)?)\b[^.;]{{0,40}}?\b(?i:against|with|vs\.?|versus|to) {_VENDOR}"),
    lazy(rf"\b{_VENDOR}'s? (?:renewal (?:offer|quote|price|pricing|discount)|counter-?offer|quote|bid|number)\b"),
    lazy(rf"\b(?i:a|an|free|their|own) {_VENDOR} (?i:proof of concept|poc|proof of value|pov|pilot|trial)\b"),
    lazy(
        rf"\b(?i:looked at|glanced at|considered|evaluated|tried|trialled|trialed|demoed|saw) {_VENDOR}\b"
        r"(?=[^.;]*\b(?i:never shortlisted|not shortlisted|too (?:heavy|expensive|pricey|complex|costly|big|slow)|"
        r"off the table|passed on|rejected|ruled (?:it |them )?out|dropped (?:it|them)))"
    ),
)
"""A vendor the record names as the incumbent, the benchmark the buyer prices us against ("benchmark our
quote against Coupa", "Kofax's renewal offer"), the maker of a trial the buyer runs ("started a Snowflake Cortex
proof of concept") or one the buyer looked at and dropped ("glanced at Testo in the spring and never shortlisted
it", the last pattern: eliminated): a competitor whether or not the rep listed it."""

_NOT_A_VENDOR = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "its",
        "this",
        "that",
        "we",
        "they",
        "i",
        "cfo",
        "ceo",
        "coo",
        "cio",
        "cto",
        "cro",
        "vp",
        "rfp",
        "po",
        "msa",
        "sow",
        "q1",
        "q2",
        "q3",
        "q4",
        "procurement",
        "purchasing",
        "legal",
        "finance",
        "sourcing",
        "it",
        "security",
    ]
)


def derive(deal: Deal, as_of: dt.date, *, paper_wait_days: int | None = None) -> DealFacts:
    """Read the deal's record once and return its facts as of ``as_of``.

    ``paper_wait_days``: how long our paper (a contract, redlines) may wait for the buyer's answer before the
    paper process counts as stuck (the inspector passes the stage's ``stale_days``; None: never)."""
    names = _Names([s.name for s in deal.stakeholders])
    activities = [_activity(a, deal, names) for a in sorted(deal.activities, key=lambda a: a.date)]
    people = [_person(s, activities, names, as_of) for s in deal.stakeholders]
    held = [a for a in activities if a.date <= as_of and a.direction is not None]
    last_two_way = max((a.date for a in held if a.two_way), default=None)
    claimed = [p.last_two_way for p in people if p.last_two_way]
    if claimed:
        last_two_way = max([*claimed, *([last_two_way] if last_two_way else [])])
    outbound = [a.date for a in held if a.direction == Direction.OUTBOUND]
    facts = DealFacts.of(
        as_of=as_of,
        activities=activities,
        people=people,
        competitors=_competitors(deal, activities),
        upcoming=_upcoming(deal, activities, as_of),
        close_date_changes=_close_changes(deal),
        last_two_way=last_two_way,
        last_outbound=max(outbound, default=None),
        unanswered=sum(1 for d in outbound if last_two_way is None or d > last_two_way),
        coverage=Coverage.of(source=deal.source.system, missing=list(deal.source.missing))
        if deal.source
        else Coverage.of(),
        alternatives=known_alternatives(deal),
    )
    named = [c.name for c in facts.competitors if not c.listed and c.name != UNNAMED]
    if named:
        facts = facts.model_copy(update={"alternatives": [*facts.alternatives, *named]})
    facts = facts.model_copy(update={"timing": _timing(deal, activities, as_of, paper_wait_days)})
    return facts.model_copy(
        update={
            "elements": grade_elements(deal, facts, facts.alternatives),
            "budget": _budget(deal, activities, as_of),
            "unfit": _unfit(deal, activities, as_of),
        }
    )


_SIGNER_VERB = (
    r"(?:(?:will |'ll |to |can |would )?(?:sign|signs|countersigns?)\b|has (?:it |the \w+ )?in (?:his|her|their) signing "
    r"queue|approved (?:the )?(?:price|pricing|spend|budget|purchase)|okayed|gave (?:us )?the go-?ahead|: (?:go ahead|yes to))"
)
_SIGNER_PRONOUN = lazy(r"\b(?:she|he)(?:'ll| will)? (?:sign|signs)\b|\bin (?:his|her) signing queue\b", re.IGNORECASE)
_UNSURE = lazy(
    r"\b(?:if|once|unless|until|whether|who|not|never|won'?t|can'?t|cannot|wants?|needs?|asks?)\b", re.IGNORECASE
)


def record_roles(deal: Deal, as_of: dt.date) -> dict[str, Role]:
    """The roles the record gives stakeholders the CRM left as ``unknown``: whoever the record says signs or
    approved the spend ("Gordon signs at his finance review", "Roisin: order form is in her signing queue",
    "Claire approved price") is the economic buyer, whatever the role column says. A role the rep chose stays."""
    unknown = [s.name for s in deal.stakeholders if s.role == Role.UNKNOWN]
    if not unknown or any(s.role == Role.ECONOMIC_BUYER for s in deal.stakeholders):
        return {}
    names = _Names(unknown)
    said = [a.summary for a in deal.activities if a.date <= as_of and a.summary]
    said += [deal.next_step.action if deal.next_step else "", deal.notes or ""]
    for clause in (c for summary in said for c in re.split(r"[.;!?\n]", summary or "")):
        signer = _signer_in(clause, names)
        if signer:
            return {signer: Role.ECONOMIC_BUYER}
    return {}


def _signer_in(clause: str, names: _Names) -> str | None:
    """The stakeholder a clause says signs or approved the spend, as its subject and without a condition."""
    lowered = clause.lower()
    for key, name in [*names.full.items(), *names.first.items()]:
        found = re.search(rf"\b{re.escape(key)}\b", lowered)
        if not found:
            continue
        before, after = lowered[: found.start()], lowered[found.end() :]
        if text.find(_UNSURE, before[-20:]):
            continue
        if re.match(rf"(?:'s)?\s*{_SIGNER_VERB}", after):
            return name
        pronoun = _SIGNER_PRONOUN.search(after)  # "Amara replied: all fine, she'll sign after payroll"
        if pronoun and not text.find(_UNSURE, after[: pronoun.start()]):
            return name
    return None


def with_record_roles(deal: Deal, as_of: dt.date) -> Deal:
    """The deal with the roles :func:`record_roles` reads from its record; the same deal when there are none."""
    roles = record_roles(deal, as_of)
    if not roles:
        return deal
    people = [s.model_copy(update={"role": roles[s.name]}) if s.name in roles else s for s in deal.stakeholders]
    return deal.model_copy(update={"stakeholders": people})


_CANNOT_SERVE = lazy(
    r"\b(?:(?:we(?:'re| are)|our (?:product|platform) is) (?:[\w-]+ )?(?:saas|cloud)[- ]only|"
    r"no (?:on-?prem(?:ises)?|offline|self-hosted|air-?gapped) (?:product|edition|version|option|install(?:er|ation)?|"
    r"deployment)|(?:neither|not|isn'?t|is not|nothing) on (?:the|our)(?: \d{4})? roadmap|"
    r"product (?:team )?(?:has )?said no)\b",
    re.IGNORECASE,
)
"""Our side saying we cannot deliver something: "We are cloud-only", "no on-prem product", "not on the roadmap"."""

_MUST_HAVE = lazy(
    r"\b(?:must|mandatory|hard requirement|non-negotiable|needs? (?:it|to)|requires?|can'?t go to|cannot (?:go to|"
    r"leave))\b",
    re.IGNORECASE,
)
"""The buyer stating a requirement they cannot do without."""


def _unfit(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> str | None:
    """Where the record says we cannot serve what the buyer requires: our side saying we cannot deliver it (the notes
    or an activity), and the buyer's requirement on record (an activity or the criteria)."""
    ours = [("notes", deal.notes or "")] + [
        (f"{a.date} {a.type}", a.summary or "") for a in activities if a.date <= as_of
    ]
    required = [deal.meddpicc.decision_criteria.evidence or ""] + [
        a.summary or "" for a in activities if a.date <= as_of
    ]
    if not any(text.find(_MUST_HAVE, body) for body in required):
        return None
    for where, body in ours:
        for clause in re.split(r"[.;\n]", body):
            hit = text.find(_CANNOT_SERVE, clause)
            if hit:
                return f"{where}: {text.quote(clause.strip())}"
    return None


_BUDGET = lazy(
    r"\bbudget(?: range| of| is| was)?\s*(?:of\s*)?(\$\s?\d[\d,.]*\s?[km]?(?:\s?-\s?\$?\d[\d,.]*\s?[km]?)?"
    r"(?:\s+(?:allocated|approved|set aside|agreed|confirmed)(?: for this year)?)?)",
    re.IGNORECASE,
)
"""A budget the buyer stated with its amount ("budget of $140k allocated", "budget range $150-200k")."""


def _budget(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> str | None:
    """The latest stated budget: an activity's summary (dated), else the notes or a MEDDPICC note."""
    for a in sorted((a for a in activities if a.date <= as_of), key=lambda a: a.date, reverse=True):
        m = _BUDGET.search(a.summary or "")
        if m:
            return f"{m.group(1).strip()} ({a.date} {a.type})"
    for source, words in (
        ("notes", deal.notes),
        *((f"meddpicc.{n}", getattr(deal.meddpicc, n).evidence) for n in _ELEMENTS),
    ):
        m = _BUDGET.search(words or "")
        if m:
            return f"{m.group(1).strip()} ({source})"
    return None


def known_alternatives(deal: Deal) -> list[str]:
    """Every alternative the record names: competitors plus status quo / do-nothing / in-house mentions in the
    competition evidence, the notes or an activity."""
    found = [c.name for c in deal.competitors]
    said = [a.summary for a in deal.activities if a.summary]  # "CTO asked us to compare against building on Grafana"
    for source in (deal.meddpicc.competition.evidence, deal.notes, *said):
        match = text.find(text.STATUS_QUO, source)
        if match and not any(text.find(text.STATUS_QUO, name) for name in found):
            found.append("status quo" if match.lower() == "status quo" else f"status quo ({match.lower()})")
    return found


def _activity(activity: Activity, deal: Deal, names: _Names) -> ActivityFact:
    present = [names.resolve(n) or n.strip() for n in activity.with_ if n.strip()]
    return ActivityFact.of(
        date=activity.date,
        type=activity.type.value,
        status=activity.status.value,
        people=list(dict.fromkeys(present)),
        direction=direction_of(activity, deal.stakeholders),
        summary=activity.summary,
        signals=sorted(s.value for s in text.activity_signals(activity)),
    )


def _person(person: Stakeholder, activities: list[ActivityFact], names: _Names, as_of: dt.date) -> PersonFact:
    past = [a for a in activities if a.date <= as_of]
    theirs = [a for a in past if person.name in a.people and a.direction is not None]
    two_way = [a.date for a in theirs if a.two_way]
    outbound = [a.date for a in theirs if a.direction == Direction.OUTBOUND]
    last_two_way = max(two_way, default=None)
    claimed = person.last_contact if person.last_contact and person.last_contact <= as_of else None
    # The CRM's "last contact" is the rep's word: it stands unless the record shows only chasing on that day.
    if claimed and not (claimed in outbound and claimed not in two_way):
        last_two_way = max(claimed, last_two_way) if last_two_way else claimed
    mentioned = [a.date for a in activities if person.name in a.people or person.name in names.mentioned_in(a.summary)]
    first = min([d for d in (person.added, *mentioned) if d is not None], default=None)
    return PersonFact.of(
        name=person.name,
        title=person.title,
        role=person.role,
        engaged=person.engaged,
        sentiment=person.sentiment,
        first_seen=first,
        last_two_way=last_two_way,
        last_outbound=max(outbound, default=None),
        unanswered=sum(1 for d in outbound if last_two_way is None or d > last_two_way),
        meetings=sum(1 for a in theirs if a.two_way and a.type in ("meeting", "demo", "call")),
    )


def _competitors(deal: Deal, activities: list[ActivityFact]) -> list[CompetitorFact]:
    out: list[CompetitorFact] = []
    for index, competitor in enumerate(deal.competitors):
        pattern = re.compile(rf"\b{re.escape(competitor.name.strip())}\b", re.IGNORECASE)
        dated = [
            (a.date, f"{a.date} {a.type}: {text.quote(a.summary)}")
            for a in activities
            if a.summary and pattern.search(a.summary)
        ]
        dated += [
            (change.date, f"{change.date} history: {change.field}")
            for change in deal.history
            if pattern.search(f"{change.field} {change.from_} {change.to}")
        ]
        if competitor.added:
            dated.append((competitor.added, f"competitors[{index}].added {competitor.added}"))
        first = min(dated, default=(None, ""))
        out.append(
            CompetitorFact.of(
                name=competitor.name,
                status=competitor.status.value,
                first_seen=first[0],
                source=first[1] or f"competitors[{index}]",
                eliminated_before=None
                if competitor.status == CompetitorStatus.ELIMINATED
                else _eliminated_before(deal, activities, pattern, first[0]),
            )
        )
    out += _named_in_text(deal, activities, out)
    out += _build_option(deal, activities)
    if not any(c.status != CompetitorStatus.ELIMINATED for c in deal.competitors):
        unnamed = next(
            (
                a
                for a in activities
                if a.summary
                and (text.find(_UNNAMED_COMPETITOR, a.summary) or Signal.COMPETITOR_MENTIONED.value in a.signals)
            ),
            None,
        )
        if unnamed is not None:
            out.append(
                CompetitorFact.of(
                    name=UNNAMED,
                    status="active",
                    first_seen=unnamed.date,
                    source=f"{unnamed.date} {unnamed.type}: {text.quote(unnamed.summary)}",
                    listed=False,
                )
            )
    return out


_BUILD_OPTION = lazy(
    r"\bbuild(?:ing|s)? (?:[\w-]+ ){0,4}?(?:themselves|ourselves|internally|in[- ]house|on (?:their|our) own)\b|"
    r"\bbuild[- ](?:vs\.?|versus|or)[- ]buy\b|\b(?:internal|in-house) build\b",
    re.IGNORECASE,
)
"""The buyer weighing building it themselves ("pitched Mats on building the sample-tracking piece themselves",
"a build-vs-buy comparison")."""

BUILD = "an in-house build"


def _build_option(deal: Deal, activities: list[ActivityFact]) -> list[CompetitorFact]:
    """A build-it-ourselves option, from the first activity that raises it (not ruled out in the same clause):
    a competitor like any vendor, arriving when the record first mentions it."""
    if any(text.find(_BUILD_OPTION, c.name) or "in-house" in c.name.lower() for c in deal.competitors):
        return []  # the rep listed it: dated from the list
    for activity in activities:
        for clause in re.split(r"[.;!?]", activity.summary or ""):
            found = _BUILD_OPTION.search(clause)
            if found and not text.find(_NEGATED_SPAN, clause[: found.start()]) and not text.find(_ELIMINATED, clause):
                source = f"{activity.date} {activity.type}: {text.quote(activity.summary)}"
                return [
                    CompetitorFact.of(
                        name=BUILD, status="active", first_seen=activity.date, source=source, listed=False
                    )
                ]
    return []


_ELIMINATED = lazy(
    r"\b(?:eliminated|ruled out|knocked out|dropped out|dropped|disqualified|out of (?:the )?(?:running|race|"
    r"evaluation|deal)|lost (?:the|out|on)|we beat|beat them|displaced|is out|are out|no longer (?:considering|"
    r"in (?:the )?(?:running|evaluation)))\b",
    re.IGNORECASE,
)
"""What says an alternative was out of the running."""

_AGAIN = lazy(
    r"\b(?:again|back in|came back|is back|are back|returned|re-?entered|re-?engaged|revived)\b", re.IGNORECASE
)
"""What says an alternative that shows up had been in (and out of) the deal before."""


def _eliminated_before(
    deal: Deal, activities: list[ActivityFact], pattern: re.Pattern[str], first: dt.date | None
) -> str | None:
    """Where the record says a competitor now in play was out before: an undated note (competition evidence,
    deal notes) or an activity up to its first dated mention that eliminates it, or a mention that says it is
    back ("evaluating Contentful again"). Read clause by clause, so another vendor's elimination is not its."""
    sources = [
        ("meddpicc.competition.evidence", deal.meddpicc.competition.evidence or "", _ELIMINATED),
        ("notes", deal.notes or "", _ELIMINATED),
    ]
    sources += [
        (f"{a.date} {a.type}", a.summary or "", _AGAIN if a.date == first else _ELIMINATED)
        for a in activities
        if first is None or a.date <= first
    ]
    for where, body, says in sources:
        for clause in re.split(r"[.;!?]", body):
            if pattern.search(clause) and text.find(says, clause):
                return f"{where}: {text.quote(clause.strip())}"
    return None


def _named_in_text(deal: Deal, activities: list[ActivityFact], known: list[CompetitorFact]) -> list[CompetitorFact]:
    """Incumbents and benchmark vendors the record names without listing them as competitors."""
    # the buyer's people and the deal's owner are people, not vendors ("Tyler's quote")
    people = _Names([s.name for s in deal.stakeholders] + ([deal.owner] if deal.owner else []))
    seen = {_key(c.name) for c in known}
    found: dict[str, CompetitorFact] = {}
    sources: list[tuple[dt.date | None, str, str]] = [
        (a.date, f"{a.date} {a.type}", a.summary or "") for a in activities
    ]
    sources += [(None, "meddpicc.competition.evidence", deal.meddpicc.competition.evidence or "")]
    sources += [(None, "notes", deal.notes or "")]
    for date, where, body in sources:
        for pattern in _NAMED_RIVAL:
            for match in pattern.finditer(body):
                name = match.group(1).strip()
                key = _key(name)
                words = key.split()
                if (
                    not words
                    or words[0] in _NOT_A_VENDOR
                    or people.resolve(name)
                    or any(people.resolve(w) for w in name.split())
                    or text.find(text.STATUS_QUO, name)
                    or any(key == k or key in k.split() or k in key.split() for k in seen)
                ):
                    continue
                incumbent = "incumbent" in match.group(0).lower()
                dismissed = pattern is _NAMED_RIVAL[-1]  # looked at and dropped before we came: out of the running
                current = found.get(key)
                if current is None or (date and (current.first_seen is None or date < current.first_seen)):
                    found[key] = CompetitorFact.of(
                        name=name,
                        status="incumbent" if incumbent else "eliminated" if dismissed else "active",
                        first_seen=date or (current.first_seen if current else None),
                        source=f"{where}: {text.quote(match.group(0))}",
                        listed=False,
                    )
    return list(found.values())


def _upcoming(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> list[DatedItem]:
    items = [
        DatedItem.of(
            date=a.date,
            kind="meeting" if a.type in ("meeting", "demo", "call") else "activity",
            text=a.summary or a.type,
            people=a.people,
        )
        for a in activities
        if a.date >= as_of and a.status == "scheduled"
    ]
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    items += [
        DatedItem.of(date=p.date, kind="plan", text=p.action, owner=p.owner)
        for p in deal.mutual_action_plan
        if p.date and p.date >= as_of and p.status in open_plan
    ]
    step = deal.next_step
    if step and step.date and step.date >= as_of:
        items.append(DatedItem.of(date=step.date, kind="next_step", text=step.action, owner=step.owner))
    if deal.close_date and deal.close_date >= as_of and deal.is_open:
        items.append(DatedItem.of(date=deal.close_date, kind="close_date", text="close date"))
    return sorted(items, key=lambda item: item.date)


# ------------------------------------------------------------------------------------------- timing

_ON_HOLD = lazy(
    r"\b(?:(?:budget|spend(?:ing)?|hiring|purchas(?:e|ing)|capex) freeze|freeze on (?:new |all )?(?:spend(?:ing)?|"
    r"purchases|budgets?|projects)|(?:budgets?|capex|spend(?:ing)?|funding) (?:is |was |has been |got )?(?:frozen|pulled)|"
    r"(?:project|initiative|program(?:me)?|purchase|evaluation|deal|rollout|implementation|everything|all (?:new )?"
    r"(?:spend(?:ing)?|purchases|projects)) (?:is |was |has been |got |now )?(?:on hold|on pause|on ice|paused|frozen|"
    r"shelved|deprioriti[sz]ed)|put (?:the project|the initiative|the evaluation|it|this|everything|the deal|the "
    r"purchase) (?:on ice|on the back ?burner)|"
    r"put (?:the project|the evaluation|it|this|everything|the deal|the purchase) on hold|"
    + text.NO_NEW_SPEND
    + r")\b",
    re.IGNORECASE,
)
"""The buyer's project stopped: on hold, paused, shelved, or its budget frozen (a signature waiting for one
briefing is not a project on hold)."""

_LIFTED = lazy(
    r"\b(?:freeze (?:is |was |has been )?lifted|lifted the freeze|unfrozen|back on(?: track)?|resumed|restarted|"
    r"off hold|un-?paused|re-?started|budget (?:is |was )?(?:released|restored|approved))\b",
    re.IGNORECASE,
)

_PLACEHOLDER = lazy(r"\bplace-?holder\b|\b(?:is|was) (?:a |just a )?(?:guess|made up|tbd)\b", re.IGNORECASE)
_LATER_TIMING = lazy(
    r"\bno budget (?:this|for this|in this|until next) (?:year|quarter|fiscal year|fy)\b|"
    r"\b(?:not|no purchase|nothing) (?:this year|until next (?:fiscal )?year)\b|"
    r"\bnot before (?:next|the new) (?:year|quarter|fiscal year|summer|spring|fall|autumn|winter)\b|"
    r"\b(?:buy|purchase|decide|sign)(?:s|ing)? (?:in )?next (?:fiscal )?year\b(?!'s)|"
    r"\bno (?:money|budget|funding) until (?:the )?(?:new|next) (?:fiscal )?year\b|"
    r"\b(?:in)?to (?:the |their )?(?:next (?:fiscal )?year'?s?|next fy|fy ?\d\d|20\d\d) budget\b|"
    r"\b(?:next (?:fiscal )?year|next quarter|(?:q[1-4] |mid-?|early |late |end of )?(?:19|20)\d\d)\b[^.;]{0,15}"
    r"\bat the earliest\b",
    re.IGNORECASE,
)
_YEAR = lazy(r"\b((?:19|20)\d\d)\b")
_FY = lazy(r"\bfy ?(\d\d)\b", re.IGNORECASE)

_CONFIRMS = lazy(
    r"\b(?:confirm(?:ed|s)?|commit(?:ted|s)?|agreed|in writing|by e-?mail|e-?mailed|wrote|written|will sign|"
    r"sign(?:ature|ing|s)? (?:by|on)|new (?:close |signature )?date|moved (?:the )?(?:signature|date|close) to)\b",
    re.IGNORECASE,
)
_SIGNS = lazy(
    r"\b(?:sign(?:ature|ed|ing|s)?|countersign\w*|contract|purchase order|po|order form|award(?:ed)?)\b", re.IGNORECASE
)
_MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}
_DATE_ISO = lazy(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
_UNIT_DAYS = {
    **dict.fromkeys(("business days", "working days"), 1.4),
    **dict.fromkeys(("days", "day"), 1),
    **dict.fromkeys(("weeks", "week", "wks", "wk"), 7),
    **dict.fromkeys(("months", "month", "mos", "mo", "mths", "mth"), 30),
}
"""Units of a duration as reps write them ("3-4 weeks", "3-4 wks", "10 working days"), in days."""
_DATE_MD = lazy(
    rf"(?<![\d-])(\d{{1,2}})[-/](\d{{1,2}})(?![\d-])"
    rf"(?! ?(?:{'|'.join(sorted(_UNIT_DAYS, key=len, reverse=True))}|hours?|hrs?|years?|yrs?)\b)",
    re.IGNORECASE,
)
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)"
)
_DATE_NAMED = lazy(rf"\b{_MONTH}\.? (\d{{1,2}})\b|\b(\d{{1,2}}) {_MONTH}\b", re.IGNORECASE)


def dates_in(summary: str | None, after: dt.date) -> list[dt.date]:
    """Calendar dates a summary names ("2026-12-10", "12-10", "Dec 10", "10 December"), each read as the
    first such day on or after ``after``."""
    if not summary:
        return []
    found: list[tuple[int | None, int, int]] = []
    found += [(int(y), int(m), int(d)) for y, m, d in _DATE_ISO.findall(summary)]
    bare = _DATE_ISO.sub(" ", summary)
    found += [(None, int(m), int(d)) for m, d in _DATE_MD.findall(bare)]
    for m1, d1, d2, m2 in _DATE_NAMED.findall(bare):
        month, day = (m1, d1) if m1 else (m2, d2)
        found.append((None, _MONTHS[month.lower()[:3]], int(day)))
    out = []
    for year, month, day in found:
        for y in [year] if year else [after.year, after.year + 1]:
            try:
                candidate = dt.date(y, month, day)
            except ValueError:
                continue
            if year or candidate >= after:
                out.append(candidate)
                break
    return out


def _timing(deal: Deal, activities: list[ActivityFact], as_of: dt.date, paper_wait_days: int | None) -> TimingFact:
    past = [a for a in activities if a.date <= as_of and a.summary]
    buyer = [a for a in past if a.two_way]
    reconfirmed, source = _reconfirmed(deal, buyer, as_of)
    too_slow = _paper_too_slow(deal, past, as_of)
    return TimingFact.of(
        on_hold=_on_hold(deal, past),
        doubt=_doubt(deal, buyer, as_of),
        reconfirmed=reconfirmed,
        reconfirmed_source=source,
        plan_signature=_plan_signature(deal, as_of),
        paper_stuck=_paper_stuck(deal) or (too_slow and too_slow[0]) or _paper_unanswered(past, as_of, paper_wait_days),
        paper_ends=too_slow[1] if too_slow else None,
        quiet_period=_quiet_period(deal, past),
        committed=_committed(deal, past, as_of),
        decision_waits=_decision_waits(buyer),
    )


_WAITS_ON = lazy(
    r"\b(?:won'?t|will not|not (?:going to|able to)) (?:sign|decide|commit|approve)\w* (?:anything )?(?:until|before)\b|"
    r"\bbefore (?:he|she|they|we) (?:signs?|decides?|commits?|approves?) anything\b|"
    r"\b(?:wants?|needs?) [^.;]{3,60}? before (?:he|she|they) (?:signs?|decides?|commits?|approves?)\b",
    re.IGNORECASE,
)
_NO_DATE = lazy(r"\bno (?:date|timeline|timeframe|eta)\b|\bundated\b|\bnot dated\b", re.IGNORECASE)


def _decision_waits(buyer: list[ActivityFact]) -> str | None:
    """The buyer's latest word that the decision waits on a step, when the same message says it has no date."""
    latest = next((a for a in reversed(buyer) if text.find(_WAITS_ON, a.summary)), None)
    if latest is None or not text.find(_NO_DATE, latest.summary):
        return None
    return f"{latest.date} {latest.type}: {text.quote(latest.summary)}"


_YES = lazy(
    r"\b(?:yes to|go ahead|go-ahead|green light|"
    r"approved [^.;]{0,40}?\b(?:price|pricing|spend|budget|purchase|seats|licen[cs]es|renewal|expansion|order|it)\b|"
    r"(?:we|she|he|they)(?:'ll| will) (?:renew|sign|go ahead)|agreed (?:on the spot|to (?:buy|proceed|go ahead))|"
    r"signs? (?:at|on|after|by|the morning)|signing queue)\b",
    re.IGNORECASE,
)
"""The signer saying yes: "Amara: yes to all 3 clinics", "Gordon: go ahead at the 3-yr price", "we'll renew"."""
_IN_HAND = lazy(
    r"\b(?:po|purchase order)\s*(?:#|no\.?|number)?\s*(?!\d{4}-\d\d-\d\d\b)\d[\d-]{3,}|\b(?:sent|issued|raised) (?:the |a |us )?(?:po|purchase order)\b|"
    r"\bsigning queue\b|\bclean (?:copy|contract)\b|\bsignature page\b|"
    r"\b(?:sent|out) (?:via|through|by|for) (?:docusign|e-?signature|adobe sign)\b|\bdocusign\b[^.;]{0,40}?\bsent\b|\b(?:opened|received) (?:it|the docusign|the "
    r"(?:order form|agreement|contract))\b[^.;]{0,20}?\b(?:fine|ok|good)\b",
    re.IGNORECASE,
)
"""The paper in the signer's hands: a PO with its number, the order form in their signing queue, a clean contract
or signature page ready, the e-signature envelope sent or opened and found fine."""


def _committed(deal: Deal, past: list[ActivityFact], as_of: dt.date) -> str | None:
    signers = [s.name for s in deal.stakeholders if s.role == Role.ECONOMIC_BUYER]
    step = deal.next_step
    if not (signers and step and step.date and step.date >= as_of and step.owner and _SIGNING_ACT.search(step.action)):
        return None
    if _Names(signers).resolve(step.owner) is None:
        return None  # the signature is dated by someone other than the signer
    theirs = [
        a for a in past if a.two_way and (set(signers) & set(a.people) or _Names(signers).mentioned_in(a.summary))
    ]
    said_yes = next((a for a in theirs if text.find(_YES, a.summary) and not text.find(_NEGATED_SPAN, a.summary)), None)
    in_hand = next((a for a in reversed(past) if text.find(_IN_HAND, a.summary)), None)
    if said_yes is None or in_hand is None:
        return None
    return (
        f"{said_yes.date} {said_yes.type}: {text.quote(said_yes.summary)}; {in_hand.date} {in_hand.type}: "
        f"{text.quote(in_hand.summary)}; signs {step.date}"
    )


_SIGNING_ACT = lazy(r"\bsign(?:s|ing|ature)?\b|\bcountersign", re.IGNORECASE)


_FORBIDDEN = (
    r"(?:can'?t|cannot|can not|may not|must not|mustn'?t|(?:are |is )?not (?:allowed|permitted) to|"
    r"(?:are |is )?(?:barred|prohibited|forbidden|banned) from|(?:bar|bars|prohibit|prohibits|forbid|forbids|ban|bans) "
    r"(?:us|vendors|bidders|suppliers) from)"
)
_CONTACTING = (
    r"(?:contact(?:ing)?|speak(?:ing)? (?:to|with)|talk(?:ing)? (?:to|with)|reach(?:ing)? out to|lobby(?:ing)?|"
    r"approach(?:ing)?|communicat(?:e|ing) with|chas(?:e|ing)|call(?:ing)?|e-?mail(?:ing)?)"
)
_EVALUATORS = r"(?:evaluators?|scoring panel|evaluation panel|panel|evaluation committee|assessors?|scorers?)"
_QUIET = lazy(
    rf"\b(?:quiet period|blackout(?: period)?|cone of silence|communications? (?:freeze|blackout)|standstill period|"
    rf"{_FORBIDDEN} {_CONTACTING} (?:the |any )?{_EVALUATORS}|no contact (?:with (?:the )?{_EVALUATORS}|"
    rf"during (?:the )?(?:evaluation|scoring|tender)))\b",
    re.IGNORECASE,
)
"""The buyer's procurement rules forbid contact during evaluation (public tenders, formal RFPs)."""


def _quiet_period(deal: Deal, past: list[ActivityFact]) -> str | None:
    for activity in reversed(past):
        hit = text.find(_QUIET, activity.summary)
        if hit:
            return f"{activity.date} {activity.type}: {text.quote(hit)}"
    hit = text.find(_QUIET, deal.notes)
    return f"notes: {text.quote(hit)}" if hit else None


def _on_hold(deal: Deal, past: list[ActivityFact]) -> str | None:
    held = [a for a in past if text.find(_ON_HOLD, a.summary)]
    lifted = [a for a in past if text.find(_LIFTED, a.summary)]
    if held and not any(a.date >= held[-1].date for a in lifted):
        last = held[-1]
        return f"{last.date} {last.type}: {text.quote(last.summary)}"
    note = text.find(_ON_HOLD, deal.notes)
    if note and not text.find(_LIFTED, deal.notes) and not (lifted and not held):
        return f"notes: {text.quote(note)}"
    return None


def _doubt(deal: Deal, buyer: list[ActivityFact], as_of: dt.date) -> str | None:
    for clause in re.split(r"[.;\n]", deal.notes or ""):
        if text.find(_PLACEHOLDER, clause) and re.search(r"\b(?:date|close)\b", clause, re.IGNORECASE):
            return f"notes: {text.quote(clause.strip())}"
    sources = [("notes", deal.notes or "")] + [(f"{a.date} {a.type}", a.summary or "") for a in buyer]
    for where, body in sources:
        for clause in re.split(r"[.;\n]", body):
            hit = text.find(_LATER_TIMING, clause)
            if not hit:
                continue
            years = [int(y) for y in _YEAR.findall(hit)] + [2000 + int(y) for y in _FY.findall(hit)]
            if years and max(years) <= as_of.year:
                continue  # "2026 at the earliest" or "the FY26 budget" in 2026 places nothing later
            return f"{where}: {text.quote(clause.strip())}"
    return _gate_after_close(deal, buyer)


_MONTH_NAMES = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_LATER_GATE = lazy(
    rf"\b(?:go(?:es)? (?:through|to)|wait(?:s|ing)? (?:for|on)|(?:held|hold|parked) (?:\w+ )*?until|needs?) (?:the |their |its )?"
    rf"{_MONTH_NAMES} (?:[\w-]+ )?(?:review|committee|board|meeting|cycle|round|approval)\b",
    re.IGNORECASE,
)
"""The buyer routing the decision to a named month's body ("all new multi-year commitments go through the January
capital review now")."""


def _gate_after_close(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's latest word that the decision goes to a body meeting in a month after the close date."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        for clause in re.split(r"[.;\n]", activity.summary or ""):
            found = _LATER_GATE.search(clause)
            if not found:
                continue
            month = _MONTHS[found.group(1).lower()[:3]]
            year = activity.date.year + (month < activity.date.month)
            if dt.date(year, month, 1) > deal.close_date:
                return f"{activity.date} {activity.type}: {text.quote(clause.strip())}"
    return None


def _reconfirmed(deal: Deal, buyer: list[ActivityFact], as_of: dt.date) -> tuple[dt.date | None, str | None]:
    close = deal.close_date
    if close is None or close >= as_of:
        return None, None
    # re-confirmed: said by the buyer once the CRM date had passed, not a date mentioned on the way to it
    recent = [a for a in buyer if a.date >= close and text.find(_CONFIRMS, a.summary)]
    for activity in reversed(recent):
        ahead = [d for d in dates_in(activity.summary, activity.date) if d >= as_of and d > close]
        if ahead:
            return min(ahead), f"{activity.date} {activity.type}: {text.quote(activity.summary)}"
    return None, None


def _plan_signature(deal: Deal, as_of: dt.date) -> dt.date | None:
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    signs = [p.date for p in deal.mutual_action_plan if p.date and p.status in open_plan and _SIGNS.search(p.action)]
    return max(signs, default=None)


PAPER_STEP = lazy(
    r"\b(?:contracts?|legal|redlines?|msa|dpa|security|infosec|(?:vendor|supplier) (?:risk|onboarding|setup|set-up)|tprm|"
    r"third[- ]party risk|"
    r"procurement|purchasing|sourcing|counsel|paper(?:work)?|coi|certificate of insurance)\b",
    re.IGNORECASE,
)
"""Plan steps that belong to the paper process (``deal-paper-process``)."""
_SIGNING = lazy(
    r"\b(?:contracts?|order form|agreement|paperwork) (?:is |was |gets? )?(?:signed|signature|signing|executed)\b|"
    r"\b(?:sign(?:ed|ing|ature|s)?|execut(?:e|ed|ion)) (?:of |on )?(?:the )?(?:contracts?|order form|agreement|paperwork)\b",
    re.IGNORECASE,
)
"""The signature itself, however it is worded ("Contract signed", "Sign the order form"): the decision, not a
paper step, even though it names the contract."""


def paper_step(action: str | None) -> bool:
    """Whether a plan step is part of the paper process (legal, security, procurement), not the signature."""
    return bool(PAPER_STEP.search(_SIGNING.sub(" ", action or "")))


def _paper_stuck(deal: Deal) -> str | None:
    stuck = [
        p for p in deal.mutual_action_plan if p.status in (PlanStatus.LATE, PlanStatus.BLOCKED) and paper_step(p.action)
    ]
    if not stuck:
        return None
    step = stuck[-1]
    return f"plan step {text.quote(step.action)} ({step.date or 'undated'}) is {step.status}"


_DURATION = lazy(
    rf"\b(\d{{1,2}})(?:\s*(?:-|–|to)\s*(\d{{1,2}}))?\s*({'|'.join(sorted(_UNIT_DAYS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_PAPER_WORDS = lazy(rf"{PAPER_STEP.pattern}|\bassessment\b", re.IGNORECASE)


def durations(text: str | None) -> list[tuple[int, int]]:
    """Each duration a text gives, as reps and buyers write them ("6-8 weeks", "3-4 wks", "10 working days"):
    where it starts in the text and its upper end in calendar days, since a plan that needs the short end is late.
    The one reader of durations: the inspector's paper timeline and the coach's plan both read them here."""
    return [
        (m.start(), round(int(m.group(2) or m.group(1)) * _UNIT_DAYS[m.group(3).lower()]))
        for m in _DURATION.finditer(text or "")
    ]


def _paper_too_slow(deal: Deal, record: list[ActivityFact], as_of: dt.date) -> tuple[str, dt.date] | None:
    """The record's word on how long a paper step takes ("their SLA is 3-4 weeks", "the assessment takes 4-6
    weeks", "our broker needs 3-5 business days for the COI"), counted from when it was said, running past the
    date the paper has to be done by: the plan's next open paper step (a supplier set-up before a freeze), else
    its signature step, else the close date. Said by the buyer or written in our own notes: a step we owe the
    buyer's paper process is as much on its critical path as theirs. Returns the line that says so and the date
    the timeline runs to."""
    signature = _plan_signature(deal, as_of) or deal.close_date
    if signature is None or signature < as_of:
        return None
    said = [a for a in record if a.two_way or a.type == "note"]
    done = [a.date for a in said if Signal.PAPER_COMPLETE.value in a.signals]
    for activity in reversed(said):
        if done and max(done) >= activity.date:
            return None  # the paper finished after the record named its timeline
        if not text.find(_PAPER_WORDS, activity.summary):
            continue
        due, what = _paper_due(deal, activity.date, signature)
        for clause in re.split(r"[.;\n]", activity.summary or ""):
            found = durations(clause)
            if not found or text.find(_NEGATED_SPAN, clause[: found[0][0]]):
                continue
            ends = activity.date + dt.timedelta(days=found[0][1])
            if ends > due:
                return (
                    f"the paper timeline runs past {what}: {activity.date} {activity.type}, "
                    f"{text.quote(clause.strip())} (to {ends}, after {due})",
                    ends,
                )
    return None


def _paper_due(deal: Deal, said: dt.date, signature: dt.date) -> tuple[dt.date, str]:
    """The date the paper must be done by, as seen on ``said``: the plan's next open paper step, else the signature."""
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    steps = sorted(
        (p.date, p.action)
        for p in deal.mutual_action_plan
        if p.date and said <= p.date <= signature and p.status in open_plan and paper_step(p.action)
    )
    if steps:
        return steps[0][0], f"the plan step {text.quote(steps[0][1])}"
    return signature, "the signature date"


def _paper_unanswered(past: list[ActivityFact], as_of: dt.date, wait: int | None) -> str | None:
    """Our paper (a contract, redlines, an MSA) is the last word on the paper process, and the buyer has not
    answered it for longer than ``wait`` days: legal activity on record, but nothing moving on their side."""
    if wait is None:
        return None
    paper = [a for a in past if set(a.signals) & _PAPER_SIGNALS or text.find(_PAPER_WORDS, a.summary)]
    # the champion relaying that their contracts team has not answered ("hasn't heard back") is no answer
    paper = [a for a in paper if not (a.two_way and text.find(_UNANSWERED, a.summary))]
    if not paper or paper[-1].two_way or Signal.PAPER_COMPLETE.value in paper[-1].signals:
        return None
    if not text.find(_PAPER_SENT, paper[-1].summary):
        return None  # ours only when the record says we sent it: an undirected "contract with Carol" may be theirs
    last = paper[-1]
    days = (as_of - last.date).days
    if days <= wait:
        return None
    return f"our paper has had no answer for {days} days: {last.date} {last.type}, {text.quote(last.summary)}"


_PAPER_SIGNALS = {Signal.LEGAL_SECURITY_REVIEW.value, Signal.PAPER_COMPLETE.value, Signal.PROCUREMENT_TIMELINE.value}
_PAPER_DOCS = r"(?:contract|msa|order form|redlines?|dpa|sow|paperwork|amendment|markup|(?:master )?agreement)"
_PAPER_SENT = lazy(
    rf"\b(?:sent|send|sending|shared|submitted|returned|emailed)\b[^.;]{{0,30}}?\b{_PAPER_DOCS}\b|"
    rf"\bour (?:[\w-]+ )?{_PAPER_DOCS}\b",
    re.IGNORECASE,
)
"""The record says the paper went from us: "Sent our MSA redlines", "our redline position"."""


_NEGATED_SPAN = lazy(r"\b(?:no|not|never|without)\b|n't\b", re.IGNORECASE)


def _close_changes(deal: Deal) -> list[CloseDateChange]:
    return [
        CloseDateChange.of(date=c.date, before=_as_date(c.from_), after=_as_date(c.to))
        for c in sorted(deal.history, key=lambda c: c.date)
        if c.field == "close_date"
    ]


def _as_date(value: object) -> dt.date | None:
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


# ------------------------------------------------------------------------------------------- MEDDPICC

_GENERIC = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "client",
        "customer",
        "buyer",
        "buyers",
        "confirmed",
        "confirm",
        "discussed",
        "discussion",
        "done",
        "for",
        "from",
        "good",
        "great",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "known",
        "met",
        "n/a",
        "none",
        "na",
        "notes",
        "ok",
        "okay",
        "on",
        "our",
        "per",
        "see",
        "set",
        "strong",
        "tbd",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "track",
        "understood",
        "validated",
        "verified",
        "was",
        "we",
        "well",
        "with",
        "yes",
        "agreed",
        "aligned",
        "all",
        "clear",
        "complete",
        "completed",
        "identified",
        "in-place",
        "place",
        "pending",
        "update",
        "updated",
        "team",
        "call",
        "meeting",
        "crm",
        "fine",
        "covered",
        "established",
        "solid",
        "positive",
        "engaged",
        "interest",
        "interested",
        "qualified",
    ]
)
"""Words that carry no fact: a note made only of these says nothing the record can check."""

_WORD_RE = lazy(r"[a-z0-9/'-]+")

_ENGAGED = {
    "economic_buyer": lazy(
        r"\b(?:met|meeting|call|presented|reviewed|joined|attended|signed|approved|agreed|committed|sponsor(?:s|ed)?|"
        r"sat down|walked through|spoke|spoken|talked|okayed|signed off)\b",
        re.IGNORECASE,
    ),
    "champion": lazy(
        r"\b(?:introduced|intro(?:duction)?|scheduled|set up|arranged|shared|sent|sponsor(?:s|ed)?|advocat\w*|sold|"
        r"pushed|got us|brought|championed|presented|built|drafted|organi[sz]ed|lobbied|selling|pushing|arranged)\b",
        re.IGNORECASE,
    ),
    "paper_process": lazy(
        r"\b(?:legal|procurement|security|purchasing|po\b|msa|dpa|contract|redlines?|vendor (?:onboarding|setup)|"
        r"signature|sign(?:ing|er)|order form|infosec|questionnaire)\b",
        re.IGNORECASE,
    ),
    "decision_process": lazy(
        r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:q[1-4]|quarter|week|month|board|"
        r"committee|steering|approval|sign-?off|then|after|before)\b",
        re.IGNORECASE,
    ),
}
"""What a note on an element must say for it to count as more than the rep's word: the economic buyer
engaged, the champion acted, the paper steps named, the decision process has dates or steps."""

_RECORD_ELEMENTS = ("economic_buyer", "champion", "paper_process")

_OUTCOME_WORDS = (
    # the goal named as such, and the change the buyer wants
    "target|goal|kpi|objective|reduce|cut|save|saving|increase|improve|halve|double|lift|shrink|payback",
    r"aim(?:s|ing)? (?:for|at|to)",
    "speed up",
    # a number set against today's: "from 7 to 4", "4 days instead of 7", "a 4-day close vs 7 today"
    r"from \S+ (?:down |up )?to",
    r"(?:instead of|rather than|vs\.?|versus|compared (?:to|with)|against) (?:the |a |an |today'?s |current |our )?[$€£]?\d",
)
_QUANTIFIED_METRIC = lazy(
    rf"\b(?:{'|'.join(_OUTCOME_WORDS)})(?!\w)|\d\s*(?:%|[a-z]{{1,5}}\b)?\s*(?:->|→)\s*\d|"
    r"\d[\d.,]*\s*(?:%|points?|pts|hours?|hrs|days?|minutes?|mins|x)?\s+(?:down|fewer|faster|lower|less|shorter|quicker)\b|"
    r"\b(?:down|fewer|faster|lower|shorter|quicker) (?:by )?\d",
    re.IGNORECASE,
)
"""A held conversation that puts a number on the outcome the buyer wants ("target: cost per invoice under $2")."""
_QUANTIFIED_PAIN = lazy(
    r"\b(?:penalt\w*|late|manual|missed|errors?|churn|backlog|delays?|overtime|write-?offs?|fines?|losing|lost|"
    r"complaints?|rework|downtime|outage|cycle time|lead time|turnaround|slow(?:er|est)?|wasted?)\b",
    re.IGNORECASE,
)
"""A held conversation that puts a number on what hurts ("31% late-payment penalties", "9 clerks keying")."""
"""Elements the record must show (a meeting, an action, legal or procurement activity); a note alone is
a claim unless it says what happened."""

_CHAMPION_ACTS = (
    Signal.CHAMPION_SCHEDULED,
    Signal.INTERNAL_DOCS_SHARED,
    Signal.CHAMPION_ENABLED,
    Signal.EB_ATTENDING,
    Signal.FOLLOW_UP,
)
_PAPER = (Signal.LEGAL_SECURITY_REVIEW, Signal.PROCUREMENT_TIMELINE, Signal.PAPER_COMPLETE)
_ELEMENTS = (
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion",
    "competition",
)

NoteState = Literal["missing", "boilerplate", "meaningful"]


class ElementFact(_Facts):
    """One MEDDPICC element: what the rep claims, what the record shows, and the grade that follows."""

    element: str
    claim: str
    """The rep's status: confirmed, partial or unknown."""
    note: str | None = None
    note_state: NoteState = "missing"
    """``missing`` (empty), ``boilerplate`` (words that state no fact, or the same note on several elements)
    or ``meaningful``."""
    record: list[str] = Field(default_factory=list)
    """Lines from the record that corroborate the element (a held meeting with the economic buyer, …)."""
    grade: int = 0
    """0 unknown, 1 rep-asserted (a claim the record does not back), 2 buyer-confirmed, 3 validated in writing."""

    @property
    def corroborated(self) -> bool:
        """The record, not only the rep's status, shows the element."""
        return bool(self.record)

    @property
    def unsupported_claim(self) -> bool:
        """Marked confirmed, with no meaningful note and nothing in the record behind it."""
        return self.claim == "confirmed" and self.note_state != "meaningful" and not self.record

    @property
    def claim_only(self) -> bool:
        """Marked confirmed or partial with nothing behind it: no meaningful note, nothing in the record.
        Such a claim earns no leniency: a red flag stays as severe as if the element were unknown."""
        return self.claim != "unknown" and self.note_state != "meaningful" and not self.record


def grade_elements(deal: Deal, facts: DealFacts, alternatives: list[str]) -> dict[str, ElementFact]:
    """Grade every MEDDPICC element from the record where it can show it, keeping the rep's status as a claim.

    ``alternatives``: the competitors and status-quo alternatives the record names.
    """
    notes = {name: " ".join((getattr(deal.meddpicc, name).evidence or "").split()) for name in _ELEMENTS}
    repeated = {n for n in notes.values() if n and list(notes.values()).count(n) >= 2}
    out = {}
    for name in _ELEMENTS:
        element = getattr(deal.meddpicc, name)
        note = notes[name]
        state: NoteState = (
            "missing" if not note else "boilerplate" if note in repeated or _is_boilerplate(note) else "meaningful"
        )
        record = _record_for(name, deal, facts, alternatives)
        out[name] = ElementFact.of(
            element=name,
            claim=element.status.value,
            note=note or None,
            note_state=state,
            record=record,
            grade=max(
                _grade(name, element.status.value, note if state == "meaningful" else "", record, alternatives),
                _named_role(name, facts),
            ),
        )
    return out


def _named_role(name: str, facts: DealFacts) -> int:
    """1 when the record names someone in the element's role (an engaged economic buyer, a champion)."""
    if name == "economic_buyer" and any(p.engaged for p in facts.in_role(Role.ECONOMIC_BUYER)):
        return 1
    if name == "champion" and facts.in_role(Role.CHAMPION):
        return 1
    return 0


_CHAMPION_ACT = (
    r"(?:prepared|wrote|drafted|built|presented|circulated|forwarded|shared|championed|pitched|"
    r"took|walked|introduced|set up|booked|scheduled|arranged|lobbied|is selling|sold|got the \w+ to|asked (?:sourcing|procurement|purchasing|legal|finance|"
    r"it|the (?:board|cfo|ceo|team|committee)) to)"
)
"""What a champion does for the deal, as a clause whose subject they are ("Piet prepared the business case")."""


def _champion_acted(summary: str | None, names: _Names) -> bool:
    """The summary has the champion, by full or unshared first name, as the subject of an act for the deal."""
    if not summary:
        return False
    lowered = summary.lower()
    keys = [*names.full, *names.first]
    if any(re.search(rf"\b{re.escape(k)}\s+(?:\w+\s+)?{_CHAMPION_ACT}\b", lowered) for k in keys):
        return True
    # "Gail confirms nothing changes; she has asked sourcing to prioritise": a pronoun after the champion's name
    named = next((m.end() for k in keys if (m := re.search(rf"\b{re.escape(k)}\b", lowered))), None)
    return named is not None and bool(re.search(rf"\b(?:she|he|they)\s+(?:\w+\s+)?{_CHAMPION_ACT}\b", lowered[named:]))


def _with_signer(a: ActivityFact, champions: list[str], signers: list[str], as_of: dt.date) -> bool:
    """A held meeting, demo or call where a champion sat with an economic buyer who did not pull back in it."""
    if not (a.two_way and a.date <= as_of and a.type in ("meeting", "demo", "call")):
        return False
    if not (set(champions) & set(a.people) and set(signers) & set(a.people)):
        return False
    return not rebuffed_by_economic_buyer(a.summary, signers)


def _is_boilerplate(note: str) -> bool:
    """A note that states no checkable fact: no number, no name, and only generic words (or under three)."""
    if any(ch.isdigit() for ch in note):
        return False
    words = _WORD_RE.findall(note.lower())
    proper = [w for w in note.split() if w[:1].isupper() and w.strip(".,;:").lower() not in _GENERIC]
    if proper:
        return False  # a name (a person, a vendor, a system) can be checked
    content = [w for w in words if w not in _GENERIC]
    return len(words) < 3 or not content


def _grade(name: str, claim: str, note: str, record: list[str], alternatives: list[str]) -> int:
    written = bool(note and text.find(text.WRITTEN_ARTEFACT, note))
    if record:
        return (
            3 if claim == "confirmed" and (written or any(text.find(text.WRITTEN_ARTEFACT, r) for r in record)) else 2
        )
    if claim == "confirmed" and note:
        pattern = _ENGAGED.get(name)
        if name in _RECORD_ELEMENTS and pattern is not None and not pattern.search(note):
            return 1  # a note that does not say the buyer did anything is still the rep's word
        if name == "metrics" and not re.search(r"\d", note):
            return 1  # a metric with no number is not quantified
        if name == "decision_process" and pattern is not None and not pattern.search(note):
            return 1
        return 3 if written else 2
    if claim in ("confirmed", "partial"):
        return 1
    if name == "competition" and alternatives:
        return 1
    return 0


def _record_for(name: str, deal: Deal, facts: DealFacts, alternatives: list[str]) -> list[str]:
    held = [a for a in facts.activities if a.two_way and a.date <= facts.as_of]
    if name == "economic_buyer":
        # a meeting the economic buyer walked out of, declined or pushed back in is contact, not engagement
        ebs = [p.name for p in facts.in_role(Role.ECONOMIC_BUYER)]
        engaged = [a for a in held if not rebuffed_by_economic_buyer(a.summary, ebs)]
        # held with them, or written by them: a signer who writes to approve the spend has engaged
        out = [
            f"{a.date} {a.type} with {person} (economic buyer)"
            for person in ebs
            for a in engaged
            if person in a.people and (a.type in ("meeting", "demo", "call") or a.direction == Direction.INBOUND)
        ]
        out += [
            f"{a.date} {a.type}: economic buyer attended" for a in engaged if Signal.EB_ATTENDING.value in a.signals
        ]
        return out[:3]
    if name == "champion":
        champions = [p.name for p in facts.in_role(Role.CHAMPION)]
        names = _Names(champions)
        # the champion's own work for the deal is on record whoever logged it ("Piet prepared the business
        # case" on a proposal the rep sent): the act is the champion's, not a one-way touch of ours
        acts = {sig.value for sig in _CHAMPION_ACTS}
        signers = [p.name for p in facts.in_role(Role.ECONOMIC_BUYER)]

        def shows(a: ActivityFact) -> bool:
            if a.date <= facts.as_of and _champion_acted(a.summary, names):
                return True
            if _with_signer(a, champions, signers, facts.as_of):
                return True  # the champion brought us in front of the signer: access is what a champion gives
            named = set(champions) & set(a.people) or names.mentioned_in(a.summary)
            return a.two_way and a.date <= facts.as_of and bool(acts & set(a.signals)) and bool(named)

        return [f"{a.date} {a.type}: {text.quote(a.summary)}" for a in facts.activities if shows(a)][:3]
    if name in ("paper_process", "decision_process") and facts.timing.committed:
        return [f"the signer's commitment: {facts.timing.committed}"]
    if name == "paper_process":
        return [
            f"{a.date} {a.type}: {text.quote(a.summary)}"
            for a in facts.activities
            if a.date <= facts.as_of and a.status == "completed" and any(s.value in a.signals for s in _PAPER)
        ][:3]
    if name in ("metrics", "identified_pain"):
        pattern = _QUANTIFIED_METRIC if name == "metrics" else _QUANTIFIED_PAIN
        return [
            f"{a.date} {a.type}: {text.quote(a.summary)}"
            for a in held
            if a.summary and re.search(r"\d", a.summary) and pattern.search(a.summary)
        ][:2]
    if name == "decision_criteria":
        return [
            f"{a.date} {a.type}: {text.quote(a.summary)}"
            for a in held
            if Signal.TECHNICAL_VALIDATION.value in a.signals
        ][:3]
    if name == "decision_process":
        dated = [p for p in deal.mutual_action_plan if p.date]
        if len(dated) >= 2 and any(p.owner and p.owner.lower() not in ("us", "we") for p in dated):
            return [f"mutual action plan: {len(dated)} dated steps to {max(p.date for p in dated if p.date)}"]
        return [
            f"{a.date} {a.type}: {text.quote(a.summary)}"
            for a in held
            if Signal.PROCUREMENT_TIMELINE.value in a.signals
        ][:2]
    return []
