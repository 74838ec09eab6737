"""MEDDPICC per element: the rep's claim against what the record corroborates, and the grade that follows."""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Deal,
    Direction,
    NextStep,
    Role,
    Signal,
)
from ae_coach.inspector import text
from ae_coach.inspector.facts._contact import rebuffed_by_economic_buyer
from ae_coach.inspector.facts._model import (
    ActivityFact,
    DealFacts,
    ElementFact,
    NoteState,
    _Names,
    office_names,
)

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
NO_NUMBER = lazy(
    r"\b(?:bring|show|give) (?:me|us) (?:the |your )?(?:numbers|roi|savings|business case)\b(?! for \d)|"
    r"\bwhat (?:does|will|would|can) (?:it|this|that) (?:save|earn|return)\b|"
    r"\bshow (?:me|us) what (?:it|this|that) does to (?:[\w-]+ ){0,4}?(?:costs?|inventory|margins?|p&l|cash|revenue|"
    r"overtime|headcount|working capital|ebitda)\b|"
    r"\b(?:savings?|costs?|value|return|benefit|impact)\b[^.;]{0,40}?\bin (?:lira|euros?|dollars?|pounds?|francs?|yen|"
    r"yuan|rupees?|money|cash)\b|"
    r"\b(?:don'?t|do not|doesn'?t|does not|can'?t|cannot) (?:really )?(?:track|measure|quantify) (?:[\w-]+ ){0,3}?"
    r"(?:time|costs?|savings|roi|baseline|per (?:hour|ticket|agent|case))\b|"
    r"\b(?:don'?t|do not|doesn'?t|does not) have (?:the |that |any |a )?(?:baseline|roi|[\w]+-per-[\w]+ data)\b|"
    r"没有(?:基线|(?:成本|节省|效率)数据)|能省多少",
    re.IGNORECASE,
)
"""The buyer saying there is no number yet: "bring me the numbers - what does it save us", "show me what it does to
inventory and overtime cost, in lira", "we don't really track
handle time", "we don't have ticket-per-hour data": a conversation about the value that has none in it."""


def signers_step(deal: Deal, signers: set[str], as_of: dt.date) -> NextStep | None:
    """The deal's next step when one of ``signers`` owns it and it is dated ahead ("Fergal signs quote", 12-08)."""
    step = deal.next_step
    return step if step and step.date and step.date >= as_of and step.owner in signers else None


_SIGNS_ON = lazy(
    r"\b(?:i'?ll|i will|we'?ll|we will|going to)\s+(?:sign|approve)\b|" + text.SELF_SIGN_FOREIGN, re.IGNORECASE
)
"""The signer's own word that they sign ("I'll sign it at our partners' Tuesday meeting on the 8th")."""
_QUANTIFIED_PAIN = lazy(
    r"\b(?:penalt\w*|late|manual|missed|errors?|churn|backlog|delays?|overtime|write-?offs?|fines?|losing|lost|loss(?:es)?|"
    r"complaints?|rework|downtime|outage|cycle time|lead time|turnaround|slow(?:er|est)?|wasted?|unsold|idle|unused|"
    r"shortfall|leakage|left on the table|overbook\w*|refunds?|double[- ]?(?:entry|entering|keying)|re-?typ\w*|"
    r"re-?key\w*|stock-?outs?|incidents?|defects?|breach(?:es)?|recalls?)\b|"
    r"\b\d+(?:[.,]\d+)?\s*(?:days?|hours?|hrs|weeks?|minutes?|mins)\s+to\s+(?:trace|find|reconcile|close|process|"
    r"prepare|prep|produce|answer|resolve|fix|onboard|approve|book|schedule)\b",
    re.IGNORECASE,
)
"""A held conversation that puts a number on what hurts ("31% late-payment penalties", "9 clerks keying", "2 days
to trace which customers got it")."""
_COST = lazy(
    r"[$€£¥]\s?\d|\b\d[\d.,]*\s?(?:k|m)?\s?(?:usd|eur|gbp|chf|cad|aud|sgd)\b|"
    r"\d\s*(?:hrs?|hours?|days?|fte|people|staff)\s*(?:/|per|a|each)\s*(?:wk|week|month|mo|day|year|yr)\b",
    re.IGNORECASE,
)
"""What the problem costs, in money or in time per period ("£2.3k of penalties", "~6 hrs/wk per team")."""


def _measured(a: ActivityFact) -> bool:
    """A held conversation that measures the value: a trial's or pilot's result in numbers ("trial wrap. 40 doc
    requests sent, 31 back inside a week"), or what the problem costs ("firm ate £2.3k of penalties")."""
    if Signal.TECHNICAL_VALIDATION.value in a.signals:
        return True
    return bool(_QUANTIFIED_PAIN.search(a.summary or "") and _COST.search(a.summary or ""))


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
        prior, now = _handover(name, note, facts) or (None, None)
        # the claim graded, then read against the record: a signer the note leaves behind, one only ever chased, a
        # process the champion has not taken to the signer yet
        grade = max(
            _grade(name, element.status.value, note if state == "meaningful" else "", record, alternatives),
            _named_role(name, facts),
        )
        grade = _left_behind(name, note, facts, grade)
        grade = _only_chased(name, facts, grade)
        grade = _not_taken_yet(name, facts, record, grade)
        out[name] = ElementFact.of(
            element=name,
            handed_over=prior,
            signs_now=now,
            claim=element.status.value,
            note=note or None,
            note_state=state,
            record=record,
            grade=grade,
        )
    return out


def _left_behind(name: str, note: str, facts: DealFacts, grade: int) -> int:
    """An economic buyer "confirmed" by a note about someone else is a claim at most: the note names people, none
    of whom holds the role now ("Priya Shah (CFO) met", and the record puts the signature above Priya's limit), or
    names someone the record says has left ("Alan Ferreira CFO approved in Oct", and Alan left in November)."""
    if name != "economic_buyer" or grade < 2:
        return grade
    signers = {p.name for p in facts.in_role(Role.ECONOMIC_BUYER)}
    if signers:
        named = _Names([p.name for p in facts.people]).mentioned_in(note)
        return 1 if named and not signers & set(named) else grade
    gone = _Names([p.name for p in facts.people if p.left])
    return 1 if gone.full and (gone.mentioned_in(note) or not note) else grade


def _handover(name: str, note: str, facts: DealFacts) -> tuple[str, str] | None:
    """The signer we met and who has since left the role, and who signs now, not yet met ("Glenn has been seconded
    to the JV … Rachel is acting CFO and will be the one signing"): the one who left held the role (the rep's
    economic-buyer note names them, or a senior title), and the record has put the signature on someone else."""
    if name != "economic_buyer":
        return None
    signers = [p for p in facts.in_role(Role.ECONOMIC_BUYER) if not p.met]
    named = set(_Names([p.name for p in facts.people]).mentioned_in(note))
    prior = [
        p
        for p in facts.people
        if p.left
        and p.met
        and p.role == Role.UNKNOWN
        and (p.name in named or text.find(text.SENIOR_TITLE, p.title or ""))
    ]
    if not prior or not signers or facts.in_role(Role.ECONOMIC_BUYER)[0].met:
        return None
    return prior[0].name, signers[0].name


_NOT_YET_WITH = lazy(
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|not) (?:yet )?(?:had (?:the |a )?(?:chance|time) to )?"
    r"(?:sit down with|sat down with|meet|met|speak (?:to|with)|spoken (?:to|with)|talk(?:ed)? (?:to|with)|show(?:n)?|"
    r"walk(?:ed)?|take(?:n)? it to|run it (?:by|past)|got (?:to|in front of))\b",
    re.IGNORECASE,
)
"""Words saying the champion has not yet taken the deal to someone: "she hasn't had the chance to sit down with
Rajesh yet"."""


def _not_taken_yet(name: str, facts: DealFacts, record: list[str], grade: int) -> int:
    """A decision process the rep writes down ("Wei Ling takes it to Rajesh, sign before Xmas") while nobody has met
    the signer and the latest word about the signer says the champion has not taken it to them yet: the process is
    the rep's hope, a claim."""
    if name != "decision_process" or grade < 2 or record:
        return grade
    signers = facts.in_role(Role.ECONOMIC_BUYER)
    if not signers or any(p.met for p in signers):
        return grade
    names = _Names([p.name for p in signers])
    about = [a for a in facts.activities if a.date <= facts.as_of and a.two_way and names.mentioned_in(a.summary)]
    if not about:
        return grade
    # the signer is who has not been sat down with: named after the words in the same sentence ("she hasn't had the
    # chance to sit down with Rajesh yet"), not any "not" near their name ("option B does not meet the rules")
    for sentence in text.sentences(about[-1].summary):
        hit = text.first_match(_NOT_YET_WITH, sentence)
        if hit is not None and names.mentioned_in(sentence[hit.end() : hit.end() + 40]):
            return 1
    return grade


def _only_chased(name: str, facts: DealFacts, grade: int) -> int:
    """An economic buyer "engaged and supportive" on the rep's word, whom the record shows only being chased (our
    emails unanswered, no meeting, no call, nothing from them): the record contradicts the note, so it is a claim."""
    if name != "economic_buyer" or grade < 2:
        return grade
    signers = facts.in_role(Role.ECONOMIC_BUYER)
    if signers and all(facts.chased_only(p.name) for p in signers):
        return 1
    return grade


def _named_role(name: str, facts: DealFacts) -> int:
    """1 when the record names someone in the element's role (an engaged economic buyer, a champion)."""
    if name == "economic_buyer" and any(p.engaged for p in facts.in_role(Role.ECONOMIC_BUYER)):
        return 1
    if name == "champion" and facts.in_role(Role.CHAMPION):
        return 1
    return 0


_CHAMPION_ACT = (
    r"(?:prepared|wrote|drafted|built|presented|circulated|forwarded|fwd|shared|championed|pitched|set (?:it|this|that) up|"
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


def _theirs(a: ActivityFact, facts: DealFacts) -> bool:
    """An "economic buyer attended" line that can be the economic buyer's: no one holds the role, or one who
    does is in it, or named in it by name or office ("the CFO joined"). When the record moved the signature up
    (a signing limit), the old signer's meetings are not the new one's."""
    ebs = facts.in_role(Role.ECONOMIC_BUYER)
    if not ebs or {p.name for p in ebs} & set(a.people):
        return True
    lowered = (a.summary or "").lower()
    named = _Names([p.name for p in ebs]).mentioned_in(a.summary)
    return bool(named) or any(re.search(rf"\b{re.escape(o)}\b", lowered) for p in ebs for o in office_names(p.title))


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
        gone = {p.name for p in facts.people if p.left}  # a signer who has left attended nothing that still counts
        out += [
            f"{a.date} {a.type}: economic buyer attended"
            for a in engaged
            if Signal.EB_ATTENDING.value in a.signals and not gone & set(a.people) and _theirs(a, facts)
        ]
        return out[:3]
    if name == "champion":
        champions = [p.name for p in facts.in_role(Role.CHAMPION)]
        names = _Names(champions)
        # the champion's own work for the deal is on record whoever logged it ("Piet prepared the business
        # case" on a proposal the rep sent): the act is the champion's, not a one-way touch of ours
        acts = {sig.value for sig in _CHAMPION_ACTS}
        # a signer who has since left still shows the champion could get us in front of one
        signers = [p.name for p in facts.in_role(Role.ECONOMIC_BUYER)] + [p.name for p in facts.people if p.left]

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
    if name == "competition" and facts.timing.committed and not alternatives:
        # nobody else is named and the signer said yes to us, holds our paper and dated the signature: the buyer's
        # choice is on record, whatever the blank field says
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
            if a.summary
            and re.search(r"\d", a.summary)
            and (pattern.search(a.summary) or (name == "metrics" and _measured(a)))
            and not (name == "metrics" and text.find(NO_NUMBER, a.summary))
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
        signing = {p.name for p in facts.in_role("economic_buyer")}
        said = [a for a in held if signing & set(a.people) and _SIGNS_ON.search(a.summary or "")]
        if said and signers_step(deal, signing, facts.as_of):
            # the signer said when and where they sign, and owns the dated step: "I'll sign it at our partners'
            # Tuesday meeting on the 8th", next step "Fergal signs quote" on 12-08
            return [f"{said[-1].date} {said[-1].type}: {text.quote(said[-1].summary)}"]
        names = _Names([p.name for p in facts.people])
        relayed = [a for a in held if _signs_by(a.summary or "", names, signing)]
        if relayed:
            # the buyer's side says when the signer signs ("Marieke still wants to sign before 18 Dec"): the
            # process ends on a date of theirs, whoever relays it
            last = relayed[-1]
            return [f"{last.date} {last.type}: {text.quote_around(last.summary or '', _SIGN_BY, limit=120)}"]
        return [
            f"{a.date} {a.type}: {text.quote(a.summary)}"
            for a in held
            if Signal.PROCUREMENT_TIMELINE.value in a.signals
        ][:2]
    return []


_SIGN_BY = lazy(
    r"\b(?:wants? to|will|plans? to|intends? to|(?:is|are) going to|aims? to|expects? to|hopes? to) sign\b[^.;]{0,30}?"
    r"\b(?:before|by|on) (?:the )?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)",
    re.IGNORECASE,
)
"""Words that give a signature ahead its date: "wants to sign before 18 Dec", "will sign by 12/15"; "will sign before
I roll off, trust me" gives none."""


def _signs_by(summary: str, names: _Names, signers: set[str]) -> bool:
    """A sentence of ``summary`` names one of ``signers`` and dates their signature ahead."""
    return any(
        _SIGN_BY.search(sentence) and signers & set(names.mentioned_in(sentence))
        for sentence in text.sentences(summary)
    )
