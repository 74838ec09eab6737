"""The deal-fact models and the one way names in a record are matched to stakeholders."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Direction,
    Role,
    Sentiment,
)
from ae_coach.inspector.text import SENIOR_TITLE, addressed_pattern, find, name_words

# ------------------------------------------------------------------------------------------- names


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def office_names(title: str | None) -> list[str]:
    """How a record may name someone by office: their title, and a "Chief … Officer"'s initials ("coo")."""
    lowered = (title or "").lower().strip()
    words = re.findall(r"[a-z]+", lowered)
    out = [lowered] if len(lowered) >= 3 else []
    if len(words) >= 3 and words[0] == "chief" and words[-1] == "officer":
        out.append("".join(w[0] for w in words if w not in ("of", "and")))
    return out


class _Names:
    """Matches the names a record uses ("Dana", "dana lee", "Lee") to its stakeholders, one way everywhere."""

    def __init__(self, people: list[str]) -> None:
        self.full = {_key(name): name for name in people if name.strip()}
        firsts: dict[str, list[str]] = {}
        lasts: dict[str, list[str]] = {}
        for name in self.full.values():
            parts = [w.lower() for w in name_words(name)]
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
        """Stakeholders whose full name, unshared first name, or unshared surname with a title of address ("Dr.
        Lenz", "Kanzaki-san") appears in ``summary`` as whole words."""
        if not summary:
            return []
        lowered = summary.lower()
        found = [n for k, n in self.full.items() if re.search(rf"\b{re.escape(k)}\b", lowered)]
        found += [n for k, n in self.first.items() if n not in found and re.search(rf"\b{re.escape(k)}\b", lowered)]
        found += [n for k, n in self.last.items() if n not in found and re.search(addressed_pattern(k), lowered)]
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


_SPEAKER = lazy(r"^\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})\s*(?::|said|says|told us|wrote|mentioned)\b")


def speaker_of(activity: ActivityFact, names: _Names) -> str | None:
    """Who said what an activity reports: the speaker the summary opens with ("Nora: …"), else the one buyer-side
    person in a two-way activity; None for a note of ours."""
    spoken = _SPEAKER.match(activity.summary or "")
    speaker = names.resolve(spoken.group(1)) if spoken else None
    if speaker is None and activity.two_way and len(activity.people) == 1:
        speaker = names.resolve(activity.people[0])
    return speaker


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
    left: str | None = None
    """Where the record says they have left the buyer's company ("2026-12-03 email: "… since Alan's departure
    on 11/21 …""); None while nothing says so."""
    succeeded_by: str | None = None
    """Who the same record names in their place, with the office ("M. Okafor (interim CFO)")."""
    moved_within: bool = False
    """``left`` says they are out of the role, not out of the company (seconded to a joint venture, stepped aside):
    still reachable, so they can hand over to whoever holds the role now."""
    away_until: dt.date | None = None
    """The last day of an absence the record announces that covers ``as_of`` ("I'm on parental leave 11-16 to
    12-14"): their silence meanwhile is no going dark."""
    away_said: str | None = None
    """Where the record says so."""
    assistant: bool = False
    """Their title says they keep someone else's diary (``inspector.text.ASSISTANT_TITLE``: "Executive Assistant
    to the CEO", a PA): they book meetings; they neither decide nor champion."""

    @property
    def met(self) -> bool:
        """The record shows a two-way exchange with them: a held meeting or call, a reply, or the CRM's last
        contact. Someone never met cannot be asked anything in a meeting that does not exist."""
        return self.meetings > 0 or self.last_two_way is not None


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


class Questionnaire(_Facts):
    """A questionnaire the buyer's process has us answer ("security check sheet, ~180 items"), not yet returned."""

    said: dt.date
    """The day the record first names it."""
    words: str
    """What the record calls it ("security check sheet")."""
    items: int | None = None
    """Its size, where the record gives one (the largest any mention gives)."""
    days: int = 0
    """The working days our answers take: its size at the settings' ``questionnaire_items_per_day``, at least
    ``ANSWER_MIN_DAYS`` (ae-coach defaults)."""


class TimingFact(_Facts):
    """When the deal can close, as the record says it (the buyer's words and plan, not only the CRM field)."""

    on_hold: str | None = None
    """Where the record says the project is on hold or the budget frozen (and nothing later lifts it)."""
    lifted: dt.date | None = None
    """The latest day the record says a hold or a frozen budget was lifted ("Dr. Vogt released part of the
    frozen Q4 money - our project got its budget back"): a budget concern raised before it is answered."""
    doubt: str | None = None
    """Why the close date cannot be believed: the rep calls it a placeholder, or the buyer places the purchase
    later ("no budget this year", "mid-2027 at the earliest")."""
    reconfirmed: dt.date | None = None
    """A new date the buyer confirmed after (or just before) the CRM close date passed."""
    reconfirmed_source: str | None = None
    """The activity that confirmed it."""
    sooner: dt.date | None = None
    """The signing date the buyer named after the CRM close date was last pushed, still ahead and before it
    ("if the works council agrees, Dr. Vogt signs, Jonas thinks 17 or 18 December" against a date parked in
    March): the CRM date is the one the rep parked, the buyer's word is the later fact."""
    sooner_source: str | None = None
    """The activity that named it."""
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
    fallback: dt.date | None = None
    """The date the buyer's own word falls back to if a condition is not met in time ("Kolmio can retest Mon 14.12
    if you confirm by Thu 10.12 … Otherwise their next slot is w/c 11.1.2027"), when it is after the close date:
    the close date holds only on that condition; ``fallback_said`` says where."""
    fallback_said: str | None = None
    unset_step: str | None = None
    """The open plan step ahead whose date the buyer has since said is not set ("BOD approval" on 12-14, then "BOD
    date not set yet - 'maybe before Christmas, maybe January'"): its date is the rep's; ``decision_waits`` says
    where."""
    paper_ends: dt.date | None = None
    """When the paper process ends by the record's own word on how long it takes, where that runs past the date
    the paper has to be done by (see ``paper_stuck``)."""
    sequence: str | None = None
    """The buyer's own written sequence of steps ("after we receive your check sheet, their review takes about 6
    weeks; the ringi can only start after the security check is passed, and takes 2-3 weeks"), summed in working
    days around the holidays, when it ends after the date the deal signs: the arithmetic, step by step."""
    sequence_ends: dt.date | None = None
    """The earliest day that sequence ends: no close date before it holds."""
    close_with_slack: dt.date | None = None
    """The close date to recommend when the buyer's own lead time for the paper (``paper_ends``) or their written
    sequence (``sequence_ends``) ends after the deal's close date: the later of those floors plus the settings'
    ``close_slack_days`` working days, since a floor is the day only if every step runs on time. Under a Best Case
    or Commit call for the period the review's CRM row ends that slack with the period
    (:func:`ae_coach.coach._actions.crm_change`); this field is the uncapped date."""
    close_slack_days: int = 0
    """The working days of slack in ``close_with_slack`` (the settings' ``close_slack_days``)."""
    paper_is_sequence: bool = False
    """The paper timeline (``paper_stuck``) is that sequence, said short: a reason naming the sequence again repeats it."""
    sequence_waits: list[tuple[dt.date, str]] = Field(default_factory=list)
    """The sequence's steps that wait on the one before them: the earliest day each can start, and its subject in
    the buyer's words ("The ringi (approval circulation)")."""
    sequence_steps: list[tuple[dt.date, str]] = Field(default_factory=list)
    """Each step of that sequence: the earliest day it ends, and its words ("The ringi (approval circulation) can
    only start after the security check is passed, and takes 2-3 weeks" ends 2027-02-02)."""
    open_point: str | None = None
    """The contract clause in dispute the paper last stopped on, where the record states it in full, with nothing
    later settling it ("2026-11-04 email: "governing law / jurisdiction changed from Shizuoka District Court to SIAC
    arbitration (Singapore)""): what the paper finding, its action and the plan name instead of a generic "legal
    review"."""
    open_point_latest: str | None = None
    """The latest word on that clause, when later than ``open_point`` ("2026-11-12 email: "Could accept 3 yrs,
    cannot change court."")."""
    questionnaire: Questionnaire | None = None
    """The questionnaire the buyer's process has us answer and we have not returned: work on our side, with the
    working days it takes."""
    document_due: dt.date | None = None
    """While the buyer's process waits on a document not yet signed (``precondition``): the earliest day it can be
    signed, the settings' ``document_sign_days`` working days from today (the buyer's written sequence starts then)."""
    answers_due: dt.date | None = None
    """When the buyer's written sequence starts from our answers to ``questionnaire`` ("after we receive your
    completed security check sheet"): the earliest day they can go back, after the document (``document_due``)."""
    paper_not_started: bool = False
    """``paper_stuck`` is a lead time the record gives no start for: counted from today, its clock has not
    started (a document to sign first, a ticket nobody opened)."""
    paper_open: str | None = None
    """The buyer's latest word on the paper says an item is still open ("MSA agreed. DPA still with her", "redlines
    pending") and nothing later closes it: the one thing left between the deal and its signature."""
    precondition: str | None = None
    """Where the record says the buyer's process cannot start or go on until a document is signed (an NDA, a
    confidentiality deed, a data-sharing agreement: "the confidentiality deed is not signed, so their evaluation clock
    has not started") and nothing later says it was: the deal waits on that signature before any date it has."""
    precondition_side: str | None = None
    """Whose desk the document in ``precondition`` sits on, where the record says: ``"ours"`` (our legal is
    reviewing or redlining it, the plan step to sign it is ours) or ``"theirs"`` (with their legal, a buyer-side
    owner on the plan). An action is then for that side, never "if it sits with your legal…; if with theirs…"."""
    held_by_us: str | None = None
    """Where the record's latest word on an open item (the document the buyer's process waits on, a redline, a
    term, an approval) puts it on our own side and unanswered: our legal, deal desk, finance, security or product
    team has it or refuses a term ("Sent to our legal 11/13, our legal says they'll look again next week"); the
    quote with its date. The work is then an internal escalation with a date, not a push on the buyer."""
    held_by_team: str | None = None
    """Which of our teams holds it: ``legal``, ``deal_desk``, ``finance``, ``security`` or ``product``."""
    review_waits: str | None = None
    """Where the buyer's reviewer says their review of our paper waits on a step on their own side, an approved
    requisition, a budget release, a capital review ("MSA received, will review once there's an approved
    requisition"), and nothing later says that step happened: a hold on their side, not a request of ours. The
    review's date follows that step's; ask about the step, not the review's finish."""
    review_waits_by: str | None = None
    """Who on the buyer's side said ``review_waits`` (the reviewer, "Carla: MSA received, …"): a question about
    that step goes to them, who raised it, not to whoever the finding would otherwise send it to."""
    condition_open: str | None = None
    """The buyer's latest hard condition on the purchase in a recent two-way exchange ("nothing gets signed with an
    open High from the pen test", "no exception"), with no later word that it was cleared: the sentence with its
    source. Commit waits until the condition is met."""
    decision_undated: str | None = None
    """The recent record's word that the decision, or the body that takes it, has no date ("BOD date not set yet")
    and no later word names its day: no dated decision process."""
    approval_undated: str | None = None
    """Where the record says the purchase must go to a body that sits on its own calendar ("the council's procurement
    rules require cabinet approval, which meets on fixed dates") and no date of its sitting ahead is on record: the
    step that decides the deal has no date."""
    committed: str | None = None
    """Where the record shows the signer's commitment: they said yes, the paper is in their hands (a PO raised,
    the order form in their signing queue, a clean contract) and they gave the date they sign, still ahead. What
    is left is a signature, so the checklist's remaining gaps are bookkeeping, not risk."""


EventKind = Literal[
    "cancelled",
    "freeze",
    "spend_review",
    "cost_programme",
    "results",
    "acquisition",
    "reorganisation",
    "new_executive",
    "incident",
]


class CompanyEvent(_Facts):
    """Something that happened at the buyer's company, as the record reports it (see ``_events``)."""

    kind: EventKind
    """``cancelled`` (the buyer called the purchase off: the project cancelled, the request withdrawn), ``freeze``
    (new money stopped: a spending, capex or hiring freeze, all new spend paused), ``spend_review``
    (new spend paused or under review until someone reviews it), ``cost_programme`` (a cost programme or a budget
    cut), ``results`` (weak results, a profit warning), ``acquisition`` (the buyer acquired, merged, a new owner),
    ``reorganisation`` (a reorg, a restructuring, layoffs), ``new_executive`` or ``incident`` (a security breach)."""
    date: dt.date | None = None
    """The day the record reported it; None for the deal's (undated) notes."""
    said_by: str | None = None
    """The buyer-side person who said it (the speaker the summary quotes, else the one person met); None for a
    note of ours."""
    quote: str
    """The clause that reports it, quoted."""
    source: str
    """Where: ``2026-10-02 call: "…"`` or ``notes: "…"``."""

    @property
    def blocks(self) -> bool:
        """The event stops the purchase until it ends (a freeze on new money, the purchase called off)."""
        return self.kind in ("freeze", "cancelled")


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
    """Outbound touches since the deal's last two-way contact (a hand-over is not a chase: see ``handed_over``)."""
    handed_over: dt.date | None = None
    """The last time we gave the buyer something to use on their own (a trial link, a sandbox, logins): the
    silence after it is the buyer trying it, not a chase left unanswered."""
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
    rival_chosen: str | None = None
    """Where the buyer's side says it chose another vendor ("Your proposal ranked second … will proceed to contract
    negotiations with the preferred bidder", "decided to go with the incumbent"), with nothing later saying it
    turned to us: the deal is lost unless that choice falls through."""
    rival_in_play: str | None = None
    """The recent record's sentence putting a named rival's quote in play ("group IT wants a Veritrack quote before
    the GM signs"), with its source, when nothing later says that rival is out: competition not settled."""
    events: list[CompanyEvent] = Field(default_factory=list)
    """Events at the buyer's company that still stand (the purchase called off, a freeze, weak results, a cost
    programme, a reorg, an acquisition, a new executive, a security incident), oldest first, the notes' undated ones
    last."""
    case: str | None = None
    """The business case, ROI model or deck the record shows on the buyer's side, as the record names it
    (``deck``, ``ROI model``): coaching builds on it rather than asking for a second, parallel one."""

    @property
    def pushes(self) -> int:
        """How many times the close date moved later."""
        return sum(change.pushed for change in self.close_date_changes)

    @property
    def cancelled(self) -> str | None:
        """Where the record says the buyer called the purchase off (a standing ``cancelled`` event), else None."""
        return next((e.source for e in self.events if e.kind == "cancelled"), None)

    def person(self, name: str) -> PersonFact | None:
        """The stakeholder a name refers to (full name, or an unshared first or last name)."""
        resolved = _Names([p.name for p in self.people]).resolve(name)
        return next((p for p in self.people if p.name == resolved), None)

    def in_role(self, role: Role | str) -> list[PersonFact]:
        """The stakeholders holding ``role``, engaged first."""
        wanted = Role(role)
        return sorted((p for p in self.people if p.role == wanted), key=lambda p: not p.engaged)

    @property
    def departed_signer(self) -> PersonFact | None:
        """The signer on record who left, when the same record names who holds their office now (``succeeded_by``)
        and nobody on the contact list holds the economic-buyer role: whoever signs is known by name, not yet met.
        The one who left held a senior office ("Chief Financial Officer"), so a coordinator who left is no signer."""
        if self.in_role(Role.ECONOMIC_BUYER):
            return None
        return next((p for p in self.people if p.left and p.succeeded_by and find(SENIOR_TITLE, p.title or "")), None)

    def two_way_with(self, name: str) -> list[ActivityFact]:
        """Held two-way activities with a person, up to ``as_of``."""
        return [a for a in self.activities if a.two_way and a.date <= self.as_of and name in a.people]

    def chased_only(self, name: str) -> int:
        """Our unanswered messages to someone the record never shows in a meeting, a call or any two-way exchange
        with us; 0 when they have been met (or never chased)."""
        person = self.person(name)
        if person is None or person.meetings or self.two_way_with(person.name):
            return 0
        return person.unanswered

    def competitor_since(self, since: dt.date) -> list[CompetitorFact]:
        """Alternatives first seen on or after ``since`` and not eliminated."""
        return [c for c in self.competitors if c.first_seen and c.first_seen >= since and c.status != "eliminated"]


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
    handed_over: str | None = None
    """The economic buyer only: the signer we met, who has since left the role, when someone else signs now and
    has not been met ("Glenn Whitfield"): the grade is the new signer's, yet the backing on record is the old
    signer's own, not the rep's word; the name of whoever signs now is in ``signs_now``."""
    signs_now: str | None = None

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
