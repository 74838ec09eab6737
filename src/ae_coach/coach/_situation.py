"""Whether a rule step's ``{when …}`` atoms hold for this deal (:mod:`ae_coach.rules.markers`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ae_coach._patterns import lazy
from ae_coach.coach._buyer_steps import month_gate
from ae_coach.coach._people import paper_titled, person_in_role, seniority
from ae_coach.deal import (
    STAGE_ORDER,
    Activity,
    ActivityStatus,
    ActivityType,
    Deal,
    Direction,
    Role,
    Sentiment,
    Signal,
    Stage,
    Stakeholder,
)
from ae_coach.deal.calendar import calendar_for
from ae_coach.findings import Finding
from ae_coach.inspector.committee import TECHNICAL_TITLE, user_lead
from ae_coach.inspector.facts import (
    PAPER_LATE,
    DealFacts,
    departed,
    direction_of,
    names_person,
    owed_back,
    renews_with_us,
    view_of,
)
from ae_coach.inspector.facts._model import _Names
from ae_coach.inspector.meddpicc import LEAVING_CHAMPION
from ae_coach.inspector.text import (
    activity_signals,
    find,
    given_name,
    money_amount,
    quote,
    quote_around,
    sentences,
    set_up_by,
)
from ae_coach.rules.markers import Marked

REFERENCES_SENT = lazy(
    r"\breferences?\b[^.;]{0,30}?\b(?:sent|shared|emailed|provided|introduced|connected)\b|"
    r"\b(?:sent|shared|emailed|provided)\b[^.;]{0,20}?\breferences?\b|"
    r"\breference calls?\b[^.;]{0,20}?\b(?:held|done|completed|took place|went well)\b",
    re.IGNORECASE,
)
"""The references the buyer asked for went out, or the calls were held."""
_NOT_SENT = lazy(r"\b(?:not|never|yet|whether|if|could|would|will|wants?)\b|n't\b", re.IGNORECASE)
"""Words that make a sending a wish, a question or a negation: "have not been sent", "wants references shared"."""


def _sent(summary: str) -> bool:
    """Some sentence of ``summary`` says the references went out, with no negation or wish inside that claim or
    in the few words just before it ("He asked for references so I sent two")."""
    for sentence in sentences(summary):
        for match in REFERENCES_SENT.finditer(sentence):
            if not _NOT_SENT.search(sentence[max(0, match.start() - 12) : match.end()]):
                return True
    return False


_CALL_ORDER = {"omitted": 0, "pipeline": 1, "best_case": 2, "commit": 3, "closed": 4}


@dataclass(frozen=True)
class Situation:
    """The facts a condition atom is checked against, read once per review."""

    deal: Deal
    assessment: Any
    codes: frozenset[str]
    tier: int
    call: str
    roles: frozenset[str]
    pricing_out: bool
    alternatives: tuple[str, ...]

    @classmethod
    def of(cls, deal: Deal, assessment: Any) -> Situation:
        findings = list(assessment.findings)
        tier = next((f.data.get("tier") for f in findings if f.code == "account.tier"), assessment.tier)
        return cls(
            deal=deal,
            assessment=assessment,
            codes=frozenset(f.code for f in findings),
            tier=int(tier or 4),
            call=str(assessment.recommended_forecast),
            roles=_roles(deal, assessment),
            pricing_out=_pricing_out(deal),
            alternatives=tuple(a.lower() for a in assessment.facts.alternatives),
        )

    def reachable(self, person: Stakeholder) -> bool:
        """The rep can put a question to ``person``: someone the record shows a two-way exchange with, or one
        with a meeting on the rep's calendar ahead; never an assistant (they book the meeting, they do not answer for the
        buyer) nor someone who has left. A plan step that names them (the champion presenting to the CFO, the
        CFO signing) is no meeting of the rep's. On a source that carries no activities the CRM's engaged flag stands."""
        facts = self.assessment.facts
        fact = facts.person(person.name)
        if fact is None:
            return person.engaged
        if fact.assistant or fact.left:
            return False
        if fact.met or (not facts.coverage.has("activities") and person.engaged):
            return True
        # a meeting on our calendar with them; not a plan step, the champion presenting without us, or a signing
        booked = [i for i in facts.upcoming if i.kind in ("meeting", "activity") and not _SIGNING.search(i.text)]
        return any(_involves(person, i) for i in booked)

    def raised_by(self, item: Marked) -> str | None:
        """The buyer-side person on record who raised or owns what ``item``'s ``{when}`` atoms test ("Carla: MSA
        received, will review once there's an approved requisition" for ``review_gated``): a question about it
        goes to them first. None when the item tests no such fact, or the record does not say who."""
        timing = self.assessment.facts.timing
        owners = {"review_gated": timing.review_waits_by}
        return next((who for atom in item.when if (who := owners.get(atom))), None)

    def allows(self, item: Marked, finding: Finding | None = None) -> bool:
        """Every ``{when}`` atom of ``item`` holds (``finding``: the one the item would answer)."""
        return all(self.holds(atom, finding) for atom in item.when)

    def holds(self, atom: str, finding: Finding | None = None) -> bool:
        """One atom; ``a|b`` holds when either does."""
        return any(self._one(part.strip(), finding) for part in atom.split("|"))

    def _one(self, atom: str, finding: Finding | None) -> bool:
        if atom.startswith("!"):
            return not self._one(atom[1:], finding)
        if atom == "pricing_out":
            return self.pricing_out
        if atom == "source_known":
            return finding is not None and source_known(finding, self.deal)
        if atom == "baseline_known":
            return baseline_known(self.deal)
        if atom == "roles_known":
            people = self.deal.stakeholders
            return len(people) >= 2 and all(s.role != Role.UNKNOWN for s in people)
        if atom == "signer_review_planned":
            return signer_review_planned(self.deal, self.assessment.as_of)
        if atom == "alternatives_known":
            return bool(self.alternatives)
        if atom == "criteria_known":  # confirmed with a note, or the record shows them (a test the buyer set)
            criteria = self.deal.meddpicc.decision_criteria
            shown = self.assessment.facts.elements.get("decision_criteria")
            return (str(criteria.status) == "confirmed" and bool(criteria.evidence)) or (
                shown is not None and shown.grade >= 2
            )
        if atom == "owed_back":
            return owed_back(self.deal, self.assessment.as_of) is not None
        if atom == "docs_owed":
            return docs_owed(self.deal, self.assessment.as_of)
        if atom == "precondition":  # what the paper finding leads with: not when its timeline is already late
            # …unless that timeline has not started because of it ("IS only sends the check sheet after an NDA is
            # executed"): signing the document is then the first thing, before any fast track
            timing = self.assessment.facts.timing
            return bool(timing.precondition) and (not timing.paper_stuck or timing.paper_not_started)
        if atom == "condition":  # the paper finding leads with the buyer's own condition before signature
            return any(f.data.get("blocked") == "condition" for f in self.assessment.findings)
        if atom in ("precondition_ours", "precondition_theirs"):  # whose desk the document sits on, if on record
            return self.assessment.facts.timing.precondition_side == atom.removeprefix("precondition_")
        if atom == "signer_booked":  # the champion has a meeting booked with whoever signs: prepare them for it
            return signer_booked(self.deal, self.assessment.facts)
        if atom == "held_ours":  # the open paper item is on our own side: escalate internally, do not chase them
            return bool(self.assessment.facts.timing.held_by_us)
        if atom == "gate_month":
            return month_gate(self.deal, self.assessment.facts, calendar_for(None, self.deal)) is not None
        if atom == "signer_handed_over":  # the old signer is out of the role, still in the company, to hand over
            handed = self.assessment.facts.elements.get("economic_buyer")
            old = self.assessment.facts.person(handed.handed_over) if handed and handed.handed_over else None
            return old is not None and old.moved_within
        if atom == "references_sent":  # "he asked for references so I sent two": lining them up is done
            said = [a.summary or "" for a in self.deal.activities if a.date <= self.assessment.as_of]
            return any(_sent(s) for s in said)
        if atom == "successor_named":  # the signer left and the record names who holds their office, not yet met
            return self.assessment.facts.departed_signer is not None
        if atom == "review_gated":  # their review waits on their own step: ask about that step, not the review
            return bool(self.assessment.facts.timing.review_waits)
        if atom == "approval_undated":
            return bool(self.assessment.facts.timing.approval_undated)
        if atom == "renewal":
            return renewal(self.deal)
        if atom == "case_on_record":
            return self.assessment.facts.case is not None
        if atom == "signer_meeting_ahead":
            signer = person_in_role(self.deal, "economic_buyer")
            # a presentation to make their attendance real for: not the signing itself ("Signature call with Helen")
            ahead = [
                i for i in self.assessment.facts.upcoming if i.kind != "close_date" and not _SIGNING.search(i.text)
            ]
            return signer is not None and any(_involves(signer, item) for item in ahead)
        if atom == "budget_moved":
            return budget_moved(self.assessment)
        if atom == "moved_unprompted":  # the latest push of the close date had nothing from the buyer behind it
            return last_move(self.assessment.facts) is not None
        if atom == "spend_line":  # the deal is above a money line of their process a first phase could stay under
            return spend_line(self.deal) is not None
        if atom == "procurement_ask":
            return procurement_ask(self.assessment)
        if atom == "paper_late":
            return (self.assessment.facts.timing.paper_stuck or "").startswith(PAPER_LATE)
        if atom == "self_serve_on_record":
            return self_serve_on_record(self.deal)
        if atom == "review_done":
            return review_done(self.deal, self.assessment.as_of)
        if atom == "paper_known":
            return paper_known(self.deal, self.assessment.as_of)
        if atom == "paper_owner":
            return paper_owner(self.deal, self.assessment.facts) is not None
        if atom == "paper_silent":  # the unanswered follow-ups name the buyer's paper owner
            silent = [f for f in self.assessment.findings if f.code == "momentum.unanswered_outreach"]
            return any(f.data.get("paper") for f in silent)
        if atom == "paper_open":  # the paper finding is the item still open, not a gap in the process
            if finding is not None and finding.code == "meddpicc.paper_process":
                return bool(finding.data.get("open"))
            return any(f.code == "meddpicc.paper_process" and f.data.get("open") for f in self.assessment.findings)
        if atom == "champion_booked":  # a meeting ahead the champion is in or owns: one to prepare with them
            champion = person_in_role(self.deal, "champion")
            # a meeting, not a signature the champion is to fetch ("Priya to get Greg's signature"): nothing to prepare
            ahead = [i for i in self.assessment.facts.upcoming if i.kind != "close_date" and not _only_signing(i.text)]
            return champion is not None and any(_involves(champion, item) for item in ahead)
        if atom == "signer_said":
            return signer_said(self.deal, self.assessment.facts)
        if atom == "date_in_doubt":
            return date_in_doubt(self.assessment.facts)
        if atom == "process_known":  # buyer-confirmed or validated in writing, not the rep's word alone
            process = self.assessment.facts.elements.get("decision_process")
            return process is not None and process.grade >= 2
        if atom == "technical_known":
            return technical_known(self.deal, self.assessment)
        if atom == "champion_shown":
            champion = self.assessment.facts.elements.get("champion")
            return champion is not None and champion.corroborated
        if atom == "technical_booked":
            ahead = [i for i in self.assessment.facts.upcoming if i.kind != "close_date"]
            return any(_TECHNICAL_SESSION.search(i.text) for i in ahead)
        if atom == "rival_returning":  # the late competitor was out of the deal before: it is "back"
            late = finding if finding is not None and finding.code == "momentum.competitor_late" else None
            late = late or next((f for f in self.assessment.findings if f.code == "momentum.competitor_late"), None)
            return late is not None and bool(late.data.get("returning"))
        if atom == "rival_chosen":  # the buyer awarded the deal to another vendor (DealFacts.rival_chosen)
            return bool(self.assessment.facts.rival_chosen)
        if atom == "champion_leaving":  # the person selling for us resigned, still there until a known day
            # not one already gone (nobody left to ask for the handover), nor one moved to another role inside the
            # buyer (a promotion is no departure)
            return any(
                f.code == "meddpicc.champion" and str(f.data.get("left") or "").startswith(LEAVING_CHAMPION)
                for f in self.assessment.findings
            )
        if atom == "rival_answered":  # the buyer chose us after the rival's price move
            counter = finding if finding is not None and finding.code == "momentum.competitor_counter" else None
            counter = counter or next(
                (f for f in self.assessment.findings if f.code == "momentum.competitor_counter"), None
            )
            return counter is not None and bool(counter.data.get("answered"))
        if atom == "lost":
            return str(self.deal.stage) == "closed_lost"
        if atom in ("plan_ahead", "live_planned"):  # an open plan step ahead (the go-live one, for live_planned)
            steps = [i for i in self.assessment.facts.upcoming if i.kind == "plan"]
            if any(atom == "plan_ahead" or _LIVE.search(i.text) for i in steps):
                return True
            return atom == "live_planned" and live_said(self.deal, self.assessment.as_of)
        if atom == "evaluation_agreed":
            return evaluation_agreed(self.deal, self.assessment.as_of)
        if atom == "technical_meeting":
            return technical_meeting(self.deal, self.assessment.facts)
        if atom == "champion_next":
            return champion_next(self.deal, self.assessment.as_of)
        if atom == "newcomer_booked":  # a meeting ahead the newcomer is in: it is booked, prepare it
            # the close date, or a signature the champion is to fetch ("Priya to get Greg's signature"), is no
            # meeting: "prepare the meeting already booked" would presuppose one the record does not have
            ahead = [i for i in self.assessment.facts.upcoming if i.kind != "close_date" and not _only_signing(i.text)]
            return finding is not None and any(
                item.date >= self.assessment.as_of and (p.name in item.people or names_person(p, item.text))
                for p in newcomers(finding, self.deal)
                for item in ahead
            )
        if atom == "ally_known":  # someone on their side who signed off a result can vouch to the newcomer
            return ally(finding, self.deal) is not None
        if atom == "view_known":  # the newcomer the step names ([name], the first) has said something on record
            first = newcomers(finding, self.deal)[:1] if finding is not None else []
            return any(view_of(p, self.deal) for p in first)
        if atom == "arrival_known":
            return finding is not None and any(arrival_known(p, self.deal) for p in newcomers(finding, self.deal))
        for op in ("<=", ">=", "=", "<", ">"):
            if op in atom:
                field, value = atom.split(op, 1)
                return self._compare(field, op, value)
        return atom in self.codes  # a finding code

    def _compare(self, field: str, op: str, value: str) -> bool:
        if field == "stage":
            return _cmp(STAGE_ORDER[Stage(str(self.deal.stage))], op, STAGE_ORDER[Stage(value)])
        if field == "call":
            return _cmp(_CALL_ORDER[self.call], op, _CALL_ORDER[value])
        if field == "tier":
            return _cmp(self.tier, op, int(value))
        if field == "fit":
            return str(self.deal.fit) == value
        if field == "situation":
            return str(self.deal.situation) == value
        if field == "role":
            return value in self.roles
        if field == "alt":
            words = (
                ("in-house", "in house", "build")
                if value == "in_house"
                else ("status quo", "spreadsheet", "do nothing")
            )
            return any(w in alt for alt in self.alternatives for w in words)
        return False


_SIGNER_SAID = ("terms_agreed", "verbal_commit", "budget_concern", "champion_enabled")


def signer_said(deal: Deal, facts: DealFacts) -> bool:
    """The record has the signer's own word on the deal: in a conversation with the economic buyer (still in the
    role) they agreed the price, said yes, raised the price or the budget, or went through the business case
    ("Ishikawa-san meeting: agrees with the proposal direction and the price", "Business case review. Graham:
    numbers are credible"), or the decision waits on a condition the record gives ("she was supportive but wants
    the interim CDO's view first"). Asking whether they have seen the price, or what they would need to believe,
    asks what the record answers. An email to them that nobody answered is no word of theirs."""
    if facts.timing.decision_waits:
        return True
    gone = {p.name for p in facts.people if p.left}
    signers = {s.name for s in deal.stakeholders if s.role == Role.ECONOMIC_BUYER and s.name not in gone}
    return any(
        a.two_way and signers & set(a.people) and any(sig in a.signals for sig in _SIGNER_SAID)
        for a in facts.activities
        if a.date <= facts.as_of
    )


def date_in_doubt(facts: DealFacts) -> bool:
    """The record contradicts the signature date: the buyer places the decision later or the rep calls the date a
    placeholder (``timing.doubt``), the project is on hold, the decision waits on something undated, the approving
    body has no sitting on record, or the buyer's own paper process runs past the date. "By the date we agreed"
    is then a premise the record denies."""
    timing = facts.timing
    late = (timing.paper_stuck or "").startswith(PAPER_LATE)
    return bool(timing.doubt or timing.on_hold or timing.decision_waits or timing.approval_undated or late)


def technical_known(deal: Deal, assessment: Any) -> bool:
    """Who gives the technical view is on record, or it is given: the deal names a technical buyer or someone whose
    title is the buyer's IT or technology function (:data:`ae_coach.inspector.committee.TECHNICAL_TITLE`: the new
    IT Director is the answer to "who in IT has to approve"), a technical validation is on record ("Pilot completed
    and signed off by the CTO"), the security or legal review is finished, or we are the incumbent."""
    if str(deal.situation) == "incumbent":  # their IT approved us the first time
        return True
    if any(s.role == Role.TECHNICAL_BUYER or find(TECHNICAL_TITLE, s.title) for s in deal.stakeholders):
        return True
    facts = assessment.facts
    if any("technical_validation" in a.signals for a in facts.activities if a.date <= facts.as_of):
        return True
    return review_done(deal, assessment.as_of)


_TECHNICAL_SESSION = lazy(
    r"\bdeep[- ]?dive\b|\btechnical (?:session|workshop|review|call|meeting)\b|\bworkshop\b|"
    r"\barchitecture review\b|\bintegration (?:session|review|call|workshop)\b|技术交流|技术研讨|深度交流",
    re.IGNORECASE,
)
"""A booked session with the buyer's technical team: "Integration deep dive", "Migration workshop"."""


_LIVE = lazy(r"\bgo-?live\b|\bgoes live\b|\blaunch\b|\broll-?out\b|\bkick-?off\b|上线|启动", re.IGNORECASE)
"""A plan step that is the buyer's live date: go-live, launch, roll-out, implementation kick-off."""

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_LIVE_SAID = lazy(
    r"\b(?:go(?:es|ing)?[- ])?live (?:by|before|for|from|on|in)\b|"
    r"\bgo[- ]?live\s+(?:on\s+)?\d|"
    rf"\b(?:go-?live|launch|roll-?out|kick-?off)\b[^.;]{{0,40}}?(?:\b{_MONTH}(?!\w)|\b\d{{1,2}}[-/]\d{{1,2}}\b|\bq[1-4]\b)|"
    rf"\b{_MONTH}\s+(?:go-?live|launch|roll-?out|kick-?off)\b",
    re.IGNORECASE,
)
"""The buyer giving their live date in a conversation: "want to go live 01-04", "Approved - as long as it's live
before the March year end", "January go-live for the complaints team", "Go-live for new clinics scheduled 02-01";
not a go-live behind them ("since go-live", "live since 09-07")."""


def live_said(deal: Deal, as_of: dt.date) -> bool:
    """A conversation on record (the buyer took part) gives the date they need it live: asking "what date do you
    need this live?" asks what they already said."""
    return any(
        _LIVE_SAID.search(a.summary or "")
        for a in deal.activities
        if a.date <= as_of and direction_of(a, deal.stakeholders) in (Direction.TWO_WAY, Direction.INBOUND)
    )


_MOVED = lazy(
    r"\b(?:fr(?:oze|eezes?|ozen)|cut|cuts|slashed|trimmed|pulled|moved|pushed|rolled|reallocated|withdrawn)\b|"
    r"\b(?:next (?:fiscal )?year'?s?|fy ?\d\d|20\d\d) budget\b",
    re.IGNORECASE,
)


_SPEND_LINE = lazy(
    r"\b(?:spend|spending|purchases?|contracts?|deals?|orders?|anything|everything|investments?|commitments?)\s+"
    r"(?:over|above|exceeding|greater than|more than|beyond)\s+"
    r"((?:USD|EUR|GBP|CHF|AUD|CAD|[$€£])\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|million|thousand)?)(?![\w])",
    re.IGNORECASE,
)
"""A money line above which the buyer's own process adds a review or an approval: "re-reviewing all spend over
$100k", "contracts above EUR 250k go to the board"."""
SPEND_LINE_SHARE = 0.5
"""ae-coach default: a line under half the deal's amount leaves no first phase worth offering under it."""


def spend_line(deal: Deal) -> tuple[str, str] | None:
    """(the amount as written, the record's words quoted around it) when the buyer's record puts this deal above a
    money line of their process that a smaller first phase could stay under: the line is in the deal's currency,
    below its amount and at least :data:`SPEND_LINE_SHARE` of it. Lucerne: "New CFO is re-reviewing all spend over
    $100k" on a $130,000 deal. Never our own side's line ("our deal desk approves discounts on deals over $100k"), nor
    an activity after the review date."""
    if not deal.amount:
        return None
    as_of = deal.as_of or dt.date.today()
    m = deal.meddpicc
    texts = [m.decision_process.evidence, m.paper_process.evidence, m.economic_buyer.evidence]
    texts += [a.summary for a in deal.activities if a.date <= as_of] + [deal.notes]
    for text in texts:
        flat = " ".join((text or "").split())
        for sentence in (part for whole in sentences(flat) for part in whole.split("; ")):
            if _OURS.search(sentence):
                continue
            for line in _SPEND_LINE.finditer(sentence):
                if _currency(line.group(1)) not in (None, deal.currency.upper()):
                    continue
                if SPEND_LINE_SHARE * deal.amount <= money_amount(line.group(1)) < deal.amount:
                    return line.group(1), quote_around(flat, _SPEND_LINE, 110)
    return None


_OURS = lazy(r"\b(?:our|we|us|deal desk|internal(?:ly)?)\b", re.IGNORECASE)
"""A sentence about our own side's approvals, not the buyer's process."""
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}


def _currency(money: str) -> str | None:
    """The currency a written amount names ("$100k" -> USD, "EUR 250k" -> EUR)."""
    code = re.match(r"[A-Z]{3}", money)
    return code.group(0) if code else _CURRENCIES.get(money[:1])


BURDEN = lazy(
    r"[^.;,:]{0,40}\b(?:takes?|took|taking|spends?|spent|loses?|lost|costs?|eats?|wastes?)\b[^.;,]{0,25}?"
    r"\b(?:weeks?|days?|hours?|months?|minutes?|headcount|fte|overtime)\b|[^.;,:]{0,40}(?:要花|需要|花了|耗时)[^。；，]{0,10}"
    r"(?:周|天|小时|个月)",
    re.IGNORECASE,
)
"""What the pain costs the buyer in time, in their words ("audit prep takes weeks", "审计准备要花几周"): the thing
to put a number on, before a bare description of the pain ("lab results live in five systems")."""


_NOT_BURDEN = lazy(
    r"\b(?:call|meeting|demo|intro|implementation|onboard\w*|rollout|go-live|procurement|legal|security review|"
    r"we|our|us|i|i'll|we'll|reply|respond|get back|vendor|contract|pilot|the (?:hour|day|morning|afternoon))\b|"
    r"实施|上线|采购|法务|我们",
    re.IGNORECASE,
)
"""Durations that are not what the pain costs: a meeting's length, a lead time of the purchase or the rollout,
our own work or reply ("Intro call took 30 minutes", "onboarding a new vendor takes about 6 weeks")."""


def burden(deal: Deal, as_of: dt.date) -> str | None:
    """The latest words on record, in an activity up to ``as_of``, naming what the pain costs the buyer in time
    ("audit prep takes weeks"), whole words only; never a meeting, a lead time or our own work."""
    for activity in sorted((a for a in deal.activities if a.date <= as_of and a.summary), key=lambda a: a.date)[::-1]:
        summary = activity.summary or ""
        match = BURDEN.search(summary)
        if match is None:
            continue
        start = match.start()
        while start > 0 and summary[start - 1].isalnum():  # never from the middle of a word
            start -= 1
        words = summary[start : match.end()].strip(" ,;:")
        if not _NOT_BURDEN.search(words):
            return quote(words, 60)
    return None


UNPROMPTED_DAYS = 14
"""ae-coach default: a close date moved with no two-way contact with the buyer in this many days before the move was
set by the rep, not by anything the buyer said."""


def last_move(facts: DealFacts) -> tuple[Any, Any] | None:
    """(the latest push of the close date, the buyer's last two-way exchange before it, or None) when that push had
    no two-way contact with the buyer in the :data:`UNPROMPTED_DAYS` before it: Wingtip's close date moved to 11-15
    on 10-29, three weeks after Greta Holm's "wait for the reorg to settle" on 10-05, with nothing from them since."""
    pushes = [c for c in facts.close_date_changes if c.pushed and c.date <= facts.as_of]
    if not pushes:
        return None
    move = max(pushes, key=lambda c: c.date)
    before = [a for a in facts.activities if a.two_way and a.date <= move.date]
    last = max(before, key=lambda a: a.date, default=None)
    if last is not None and (move.date - last.date).days <= UNPROMPTED_DAYS:
        return None
    return move, last


def budget_moved(assessment: Any) -> bool:
    """The late budget concern is money frozen, cut or moved to a later budget ("finance froze new Q4 opex and
    moved all new software into the 2027 budget"): the question is what was frozen, until when and whether there is
    an exception, not the price ("she has no budget" is a budget to find, not one that moved)."""
    concern = _late_budget(assessment)
    if concern is None:
        return False
    # the record reports a spending freeze at the company ("no new software commitments until the FY27 plan is
    # approved"): the late concern is that money, however the concern itself was worded
    frozen = any(f.code == "momentum.company_event" and f.data.get("kind") == "freeze" for f in assessment.findings)
    return frozen or any(_MOVED.search(line) for line in concern.evidence)


_PROCESS_ASK = lazy(
    r"\b(?:condition of (?:award|contract)|per (?:our )?policy|policy requires|procurement (?:policy|requires|"
    r"standard)|all (?:new )?(?:\w+ )?(?:suppliers|vendors))\b",
    re.IGNORECASE,
)


def procurement_ask(assessment: Any) -> bool:
    """The late price concern is procurement's process ask ("a 20% reduction on year-one fees from all new
    technology suppliers as a condition of award"), not a budget the buyer lacks: a trade to negotiate with
    conditions, not a billing change to offer."""
    concern = _late_budget(assessment)
    return concern is not None and any(_PROCESS_ASK.search(line) for line in concern.evidence[:-1] or concern.evidence)


def _late_budget(assessment: Any) -> Finding | None:
    return next((f for f in assessment.findings if f.code == "momentum.budget_concern_late"), None)


_SELF_SERVE = lazy(
    r"\b(?:self[- ]serve|free trial|(?:the |a |\d+[- ]day )trial (?:started|ends|expires|runs)|trial (?:users?|period)|"
    r"credit card|card payment|online checkout|checkout|in-app purchase)\b",
    re.IGNORECASE,
)


def self_serve_on_record(deal: Deal) -> bool:
    """The record shows the buyer already buying self-serve ("Self-serve trial started", "Credit card / online
    checkout"): routing the account to self-serve is done; what is left is one word with whoever pays."""
    texts = [deal.name or "", deal.notes or ""] + [a.summary or "" for a in deal.activities]
    texts += [getattr(deal.meddpicc, name).evidence or "" for name in type(deal.meddpicc).model_fields]
    return any(_SELF_SERVE.search(t) for t in texts)


_REVIEW_DONE = lazy(
    r"\b(?:security|infosec|info-?sec|legal|vendor risk|tprm|dpia|redlines?|msa)\b"
    r"(?:(?!\b(?:nearly|almost|first|once|will|received|partly|part)\b)[^.;]){0,40}?\b(?:approved|approval "
    r"(?:letter )?(?:received|granted)|signed off|sign-?off (?:received|given)|cleared|passed(?! (?:to|on|over)\b)|"
    r"completed?|closed|done|(?:is |was |were |been )agreed|agreed by|agreed(?=\s*[.;,)]|\s*$)|agrees (?:the )?final)\b|"
    r"\b(?:approved|signed off|cleared|passed)\b[^.;]{0,20}?\b(?:security|infosec|"
    r"vendor risk|legal) "
    r"(?:review|assessment|questionnaire)",
    re.IGNORECASE,
)


def review_done(deal: Deal, as_of: dt.date) -> bool:
    """The record shows the buyer's security or legal review finished ("InfoSec approval letter received",
    "Security approved 11/6", "MSA redlines closed", "MSA agreed by their legal"): confirming that it is real is behind us."""
    texts = [a.summary or "" for a in deal.activities if a.date <= as_of]
    texts += [deal.meddpicc.paper_process.evidence or ""]
    return any(_REVIEW_DONE.search(t) and not _NOT_YET.search(t) for t in texts)


_WHOSE_PAPER = lazy(
    r"\b(?:our|their|your|the buyer'?s|the customer'?s|its) (?:own )?(?:paper|contract|msa|master agreement|"
    r"template|order form|terms|purchasing terms|standard (?:\w+ )?contract)\b|\bon (?:our|their) paper\b|"
    r"\b(?:our|their|the buyer'?s|the customer'?s) (?:standard |own )?(?:[\w-]+ ){0,2}?(?:agreement|contract) "
    r"template\b",
    re.IGNORECASE,
)


def paper_known(deal: Deal, as_of: dt.date) -> bool:
    """The record says whose paper the contract is on ("Their contract; security passed", "Sent our MSA",
    "their standard ICT contract"): asking "your paper or ours?" tells the buyer nobody read the file."""
    texts = [a.summary or "" for a in deal.activities if a.date <= as_of]
    texts += [deal.meddpicc.paper_process.evidence or "", deal.notes or ""]
    return any(_WHOSE_PAPER.search(t) for t in texts)


def paper_owner(deal: Deal, facts: DealFacts) -> Stakeholder | None:
    """The buyer's person for the paper, when the record shows them at work on it: the first of
    :func:`paper_titled` with a two-way exchange on record (redlines sent back, a meeting). Asking the champion
    "who on the legal team will review it?" then asks what the file already says."""
    person = paper_titled(deal)
    fact = facts.person(person.name) if person else None
    return person if fact is not None and fact.last_two_way is not None else None


_NOT_YET = lazy(
    r"\b(?:not yet|pending|waiting|awaiting|still open|outstanding|first pass|nearly|almost)\b", re.IGNORECASE
)


def _cmp(left: int, op: str, right: int) -> bool:
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right, "=": left == right}[op]


def _pricing_out(deal: Deal) -> bool:
    """A proposal went out: a completed proposal activity, or the deal is at proposal or later."""
    sent = any(a.type == ActivityType.PROPOSAL and a.status == ActivityStatus.COMPLETED for a in deal.activities)
    return sent or STAGE_ORDER[Stage(str(deal.stage))] >= STAGE_ORDER[Stage.PROPOSAL]


_DOCS_OWED = lazy(
    r"\b(?:our|the) (?:docs|documents|documentation|paperwork|certificates?|forms?)\b[^.;]{0,30}?\bnot (?:yet )?"
    r"(?:uploaded|sent|submitted|returned|provided)\b|\bplease (?:upload|submit|send|complete|return)\b[^.;]{0,60}?"
    r"\b(?:portal|documents?|documentation|forms?|certificates?)\b",
    re.I,
)
_DOCS_SENT = lazy(
    r"\b(?:uploaded|submitted|sent|provided)\b[^.;]{0,40}\b(?:docs|documents|documentation|certificates?|forms?)\b",
    re.I,
)


def docs_owed(deal: Deal, as_of: dt.date) -> bool:
    """The buyer's paper process waits on documents from us ("Our docs not uploaded yet", "Please upload via the
    supplier portal") and nothing later on record says we sent them: their lead time has not started."""
    said = [a for a in deal.activities if a.date <= as_of and _DOCS_OWED.search(a.summary or "")]
    if not said:
        return False
    last = max(a.date for a in said)
    return not any(
        a.date > last and find(_DOCS_SENT, a.summary) is not None and not _DOCS_OWED.search(a.summary or "")
        for a in deal.activities
        if a.date <= as_of
    )


def renewal(deal: Deal) -> bool:
    """The deal renews the buyer's contract with us: we are the incumbent and the record calls the deal a
    renewal (:func:`ae_coach.inspector.facts.renews_with_us`). A rep never walks away from their own renewal:
    only the expansion riding on it can be taken out of the forecast."""
    return renews_with_us(deal)


_EVALUATION = lazy(
    r"\b(?:success criteria|pilot|proof of concept|poc|trial)\b.*\b(?:agreed|signed off|approved|confirmed)\b"
    r"|\bagreed\b.*\b(?:success criteria|pilot|proof of concept|poc)\b",
    re.I,
)
_EVALUATION_STEP = lazy(r"\b(?:pilot|proof of concept|poc|trial)\b", re.I)


def _record_texts(deal: Deal, as_of: dt.date) -> list[str]:
    """What the record says has happened or is booked: past activities, the next step and the buyer's plan."""
    texts = [a.summary or "" for a in deal.activities if a.date <= as_of]
    texts += [deal.next_step.action] if deal.next_step else []
    return [*texts, *(p.action for p in deal.mutual_action_plan)]


def champion_next(deal: Deal, as_of: dt.date) -> bool:
    """The deal's next step is the champion's own, dated ahead ("Revised business case for Mark", owner Clara
    Jensen): the work to do is with them, on it, before their date."""
    step = deal.next_step
    if not (step and step.date and step.date >= as_of and step.owner):
        return False
    champions = [s.name for s in deal.stakeholders if s.role == Role.CHAMPION]
    return bool(champions) and _Names(champions).resolve(step.owner) is not None


def technical_meeting(deal: Deal, facts: Any) -> bool:
    """The next meeting the champion is in or owns is with the technical buyer or their team ("Migration workshop
    with Sofia's team"): preparing it is solutions-engineering work, not only an agenda with the champion."""
    champion, technical = person_in_role(deal, "champion"), person_in_role(deal, "technical_buyer")
    if champion is None or technical is None:
        return False
    theirs = [i for i in facts.upcoming if i.kind != "close_date" and _involves(champion, i)]
    return bool(theirs) and _involves(technical, theirs[0])


_GATED = lazy(
    r"\bdeep[- ]?dive\b|\btechnical (?:session|workshop|review|call|meeting)\b|\bworking session\b|\bworkshop\b|"
    r"\barchitecture review\b|\bintegration (?:session|review|call|workshop)\b|\bsecurity (?:review|check|session|"
    r"questionnaire|assessment)\b|\bcheck ?sheet\b|技术交流|技术研讨|深度交流|工作会|安全(?:审查|评审|检查|问卷)",
    re.IGNORECASE,
)
"""A step of the buyer's technical or security process: what a document still to sign first holds back."""


def waits_on_document(text: str, deal: Deal, facts: Any) -> bool:
    """The ask is for a step the buyer's process holds until a document is signed (``timing.precondition``): a
    session with their technical or security people, a security review, while "IS only sends the check sheet
    after an NDA is executed". Asked now, it asks the buyer to break their own order."""
    if not facts.timing.precondition:
        return False
    technical = [s.name for s in deal.stakeholders if s.role == Role.TECHNICAL_BUYER]
    return bool(_GATED.search(text)) or any(name in text for name in technical)


def signer_booked(deal: Deal, facts: Any) -> bool:
    """A meeting ahead on the calendar with whoever signs (the record's successor when the signer on record left)
    that the champion is in or set up: the champion's own meeting with the signer, to prepare them for, not to go
    around with an executive's call."""
    champion = person_in_role(deal, "champion")
    signer = next((p for p in facts.in_role("economic_buyer") if not p.left), None)
    if champion is None or signer is None or signer.name == champion.name:
        return False
    ahead = [i for i in facts.upcoming if i.kind in ("meeting", "activity") and not _only_signing(i.text)]
    person = next((s for s in deal.stakeholders if s.name == signer.name), None)
    return person is not None and any(_involves(champion, i) and _involves(person, i) for i in ahead)


def _involves(person: Stakeholder, item: Any) -> bool:
    """The dated item involves ``person``: they attend it, own it, or its words name them."""
    owner = (item.owner or "").strip()
    return (
        person.name in item.people or owner in (person.name, given_name(person.name)) or names_person(person, item.text)
    )


def evaluation_agreed(deal: Deal, as_of: dt.date) -> bool:
    """The record shows the evaluation already agreed ("Agreed success criteria for the pilot", a "Pilot sign-off
    by IT" on the plan): the technical work is to pass it, not to propose one."""
    planned = any(_EVALUATION_STEP.search(p.action) for p in deal.mutual_action_plan if p.date and p.date >= as_of)
    return planned or any(_EVALUATION.search(text) for text in _record_texts(deal, as_of))


_QUOTED = lazy(r'"([^"]+)"')


def source_known(finding: Finding, deal: Deal) -> bool:
    """The record says who raised what the finding quotes: the quote names them (:func:`source_of`), or it is
    what someone told the rep in a conversation on record (:func:`told_by`). Asking "who raised it?" of the
    person who said it, or of anyone when the rep heard it from them, tells the buyer nobody was listening."""
    return source_of(finding, deal) is not None or told_by(finding, deal) is not None


_SPEAKER = lazy(r"^\W*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})\s*(?::|(?:said|says|asked|told|raised|wants)\b)")


def told_by(finding: Finding, deal: Deal) -> Stakeholder | None:
    """The buyer-side person who said what the finding quotes, read from the whole activity the evidence line
    cites ("2026-11-13 meeting with Roberto Salas, Amy Thorsen: "…he needs to take ours back…"" is Roberto's
    meeting note "Roberto: comp sales soft…"): its speaker, else the one stakeholder it was with."""
    names = _Names([s.name for s in deal.stakeholders])
    for line in finding.evidence:
        head = line.partition(":")[0]
        for activity in deal.activities:
            if not head.startswith(f"{activity.date.isoformat()} {activity.type.value}"):
                continue
            if activity.with_ and not all(n in head for n in activity.with_):
                continue
            spoken = _SPEAKER.match(activity.summary or "")
            name = names.resolve(spoken.group(1)) if spoken else None
            present = [n for n in (names.resolve(w) for w in activity.with_) if n]
            name = name or (present[0] if len(present) == 1 else None)
            person = next((s for s in deal.stakeholders if s.name == name), None)
            if person is not None:
                return person
    return None


def source_of(finding: Finding, deal: Deal) -> Stakeholder | None:
    """The buyer-side person the finding's quote names as its source, by name or by a word of their title
    ("New CFO says the price is too high", "procurement is also evaluating Contentful again"). Asking that
    person "who raised it?" tells them the rep was not listening. For a finding about a competitor, only the
    clauses that name the competitor count."""
    quoted = [q for line in finding.evidence for q in _QUOTED.findall(line)]
    clauses = [c.strip().lower() for q in quoted for c in re.split(r"[;.]", q) if c.strip()]
    named = finding.data.get("names")
    rivals = [c.name.lower() for c in deal.competitors if isinstance(named, list) and c.name in named]
    if rivals:
        clauses = [c for c in clauses if any(r in c for r in rivals)]
    for clause in clauses:
        for person in deal.stakeholders:
            if names_person(person, clause):
                return person
    return None


_SIGNED_OFF_ZH = lazy(r"(?:试点|验证|测试|结果)[^。；？?]*(?:签字确认|签字认可|签批|验收)")
_NOT_YET_ZH = lazy(r"没|未|还没|如果|是否|能否|吗|？|\?")
"""The Chinese sign-off of a result ("试点结果已由 CTO 签字确认"), not one denied, asked about or supposed."""


def ally(finding: Finding | None, deal: Deal) -> tuple[Stakeholder, Activity] | None:
    """Someone on the buyer's side, other than the newcomers the finding names and the champion, who signed off a
    result on record (the CTO who signed off the pilot: the inspector's technical-validation reading, which skips
    "has not signed off yet", "to be signed off" and "if the pilot is accepted"): their word carries more with a
    newcomer than the rep's. The person the note names, else those who were there; the most senior, at their
    latest sign-off; never a blocker, someone against, someone not engaged or someone who has left."""
    as_of = deal.as_of or dt.date.today()
    exclude = {p.name for p in newcomers(finding, deal)} if finding is not None else set()
    exclude |= set(departed(deal, as_of))
    found: list[tuple[int, dt.date, Stakeholder, Activity]] = []
    for activity in deal.activities:
        if activity.date > as_of or activity.status != ActivityStatus.COMPLETED or not _signed_off(activity):
            continue
        there = [
            s
            for s in deal.stakeholders
            if s.name in activity.with_
            and s.name not in exclude
            and s.engaged
            and s.role not in (Role.CHAMPION, Role.BLOCKER)
            and s.sentiment != Sentiment.NEGATIVE
        ]
        named = [s for s in there if names_person(s, activity.summary or "")]
        found += [(seniority(s.title), activity.date, s, activity) for s in named or there]
    if not found:
        return None
    _, _, person, activity = max(found, key=lambda item: (item[0], item[1]))
    return person, activity


def _signed_off(activity: Activity) -> bool:
    if Signal.TECHNICAL_VALIDATION in activity_signals(activity):
        return True
    said = activity.summary or ""
    return any(not _NOT_YET_ZH.search(said[max(0, m.start() - 4) : m.end()]) for m in _SIGNED_OFF_ZH.finditer(said))


def newcomers(finding: Finding, deal: Deal) -> list[Stakeholder]:
    """The people a late-stakeholder finding names."""
    names = finding.data.get("names")
    return [s for s in deal.stakeholders if isinstance(names, list) and s.name in names]


_ARRIVAL = lazy(
    r"\b(?:new|replac\w*|left|succeed\w*|took over|hired|appointed|interim|announced|promoted)\b",
    re.IGNORECASE,
)


def _roles(deal: Deal, assessment: Any) -> frozenset[str]:
    """The committee roles the record names someone in: the CRM's roles, and the user side's lead where the record
    shows them without the role (the pilot ran in their team), as ``committee.missing_role`` reads it."""
    roles = {str(s.role) for s in deal.stakeholders if s.role != Role.UNKNOWN}
    if user_lead(deal, assessment.as_of) is not None:
        roles.add(str(Role.USER_BUYER))
    return frozenset(roles)


def arrival_known(person: Stakeholder, deal: Deal) -> bool:
    """The record says why the person came in ("New CFO Mark Stone; previous EB left in October", "Company
    announced Greg Halvorsen as CRO"), or shows the champion bringing them in for the deal ("Priya set up 30 mins
    with Greg"): asking the champion "what prompted bringing them in?" tells the buyer nobody read their own notes."""
    m = deal.meddpicc
    texts = [e.evidence or "" for e in (getattr(m, k) for k in type(m).model_fields)]
    texts += [deal.notes or "", *(a.summary or "" for a in deal.activities)]
    clauses = [c for text in texts for c in re.split(r"[;.]", text)]
    if any(names_person(person, c) and _ARRIVAL.search(c) for c in clauses):
        return True
    champions = [s.name for s in deal.stakeholders if s.role == Role.CHAMPION]
    return any(
        person.name in a.with_
        and Signal.CHAMPION_SCHEDULED in activity_signals(a)
        and (a.signals is not None or set_up_by(champions, a.summary))
        for a in deal.activities
    )


NUMBER = lazy(
    r"\$\s?\d|\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|k\b|days?|hours?|hrs?\b|weeks?|wks?\b|months?|minutes?|mins?\b|"
    r"per\b|a day|a week|fte\b)",
    re.IGNORECASE,
)


def baseline_known(deal: Deal) -> bool:
    """The record already holds the buyer's numbers for the pain or the metric (in the evidence or a completed
    conversation): asking "what is the metric today?" again tells the buyer nobody wrote it down."""
    return baseline(deal) is not None


def baseline(deal: Deal) -> str | None:
    """The first place the record gives the buyer's numbers for the pain or the metric ("Missed the Q2 forecast
    by 18%"): the metric's evidence, the pain's, then completed conversations."""
    m = deal.meddpicc
    texts = [m.metrics.evidence or "", m.identified_pain.evidence or ""]
    texts += [a.summary or "" for a in deal.activities if a.status == ActivityStatus.COMPLETED]
    return next((t for t in texts if NUMBER.search(t)), None)


_SIGNER_WORDS = ("boss", "cfo", "ceo", "coo", "cro", "cio", "economic buyer", "board", "owner", "founder", "sign")
_WORD_END = r"(?!\w)"  # "owner", not "data ownership"
_END = {"sign": ""}  # signs, signature, sign-off


def signer_review_planned(deal: Deal, as_of: dt.date) -> bool:
    """A dated step ahead (the buyer's plan, the next step, a scheduled meeting) takes the case to whoever signs,
    named or by title ("Jordan to share the deck with his boss" on 3 Dec)."""
    return signer_review(deal, as_of) is not None


def signer_review(deal: Deal, as_of: dt.date, *, signing: bool = False) -> tuple[dt.date, str] | None:
    """The first such step: its date and the record's words for it. The signature itself ("CFO signs") is no
    review the rep can join; with ``signing`` it counts too (what decides the deal)."""
    signers = [s.name.lower() for s in deal.stakeholders if s.role == Role.ECONOMIC_BUYER]
    ahead = [
        (i.date, i.action) for i in deal.mutual_action_plan if i.date and i.date >= as_of and str(i.status) != "done"
    ]
    if deal.next_step and deal.next_step.date and deal.next_step.date >= as_of:
        ahead.append((deal.next_step.date, deal.next_step.action))
    # a meeting still to come: booked, or dated after the review; a call held today is what happened, not ahead
    ahead += [
        (a.date, a.summary or "")
        for a in deal.activities
        if a.date >= as_of
        and a.status != ActivityStatus.CANCELLED
        and (a.date > as_of or a.status == ActivityStatus.SCHEDULED)
    ]
    words = (*_SIGNER_WORDS, *signers)
    found = [
        (d, text)
        for d, text in ahead
        if any(re.search(rf"\b{re.escape(w)}{_END.get(w, _WORD_END)}", text.lower()) for w in words)
        and (signing or not _only_signing(text))
    ]
    return min(found, key=lambda item: item[0]) if found else None


_SIGNING = lazy(r"\bsign(?:s|ed|ing|ature)?\b|\bcountersign", re.IGNORECASE)
_REVIEWING = lazy(
    r"\b(?:review|meeting|present|walk|brief|takes?|decision|approv|board|committee|call)\w*", re.IGNORECASE
)


def _only_signing(text: str) -> bool:
    """The step is the signature itself ("CFO signs"), not a review of the case the rep could join."""
    return bool(_SIGNING.search(text)) and not _REVIEWING.search(text)
