"""Who took part in an activity, and what the economic buyer said in it: the readers of two-way contact."""

from __future__ import annotations

import re

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Activity,
    ActivityStatus,
    ActivityType,
    Direction,
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
    r"scheduled|joined|attended|returned (?:my|our|the) call)\b|"
    # a step only the buyer takes: "PO-4471 raised for EUR 84,000", "they issued the purchase order"
    r"\b(?:po|purchase order)\b(?:(?!\bto be\b|\bwill be\b|\bnot\b|n't\b)[^.;]){0,20}?\b(?:raised|issued|released|"
    r"approved)\b|(?<!to be )(?<!will be )\b(?:raised|issued|released) "
    r"(?:the |a |their )?(?:po|purchase order)\b",
    re.IGNORECASE,
)
"""Summaries that say the buyer took part (a reply, a question, a decision, a purchase order raised)."""

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
    for clause in re.split(r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)[.;!?]", summary):  # not "Dr. Lenz"
        if not (_EB_WORDS.search(clause) or text.mentions(names, clause)):
            continue
        for pattern in patterns:
            hit = text.find(pattern, clause)
            rest = clause[clause.find(hit) + len(hit) :] if hit else ""
            elsewhere = _ELSEWHERE.match(rest)
            if hit and not (
                elsewhere and not _OUR_WORDS.match(rest.split(None, 2)[1] if len(rest.split()) > 1 else "")
            ):
                return hit
    return None


_ELSEWHERE = re.compile(
    r"\s+(?:the|their|an?)\s+(?:[A-Z][\w&.-]*\s+){1,3}(?:[a-z-]+\s+)?(?:offer|bid|quote|proposal|upgrade|renewal|"
    r"extension|tender)\b|\s+(?:the|an?)\s+(?:[a-z-]+\s+)?(?:offer|bid|quote|proposal) (?:from|of|by) [A-Z]"
)
"""What a signer declined is another vendor's offer ("declined the LogiWorks upgrade offer", "rejected the bid
from Acme"): a decision for us, not a rebuff. Case-sensitive: the rival is named with a capital."""
_OUR_WORDS = re.compile(r"(?:Q[1-4]|H[12]|FY\d*|Revised|Final|Updated|New|Second|Initial|Original|Draft|Our|Your)\b")
"""Capitalised words that name a version of our own offer ("declined the Q4 proposal", "the Revised proposal")."""


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
    if stakeholders and _quotes_buyer_later(summary, stakeholders):
        return Direction.TWO_WAY
    return Direction.OUTBOUND


_REP_LEADS = lazy(
    r"^\s*(?:asked|shared|sent|offered|forwarded|introduced|proposed|emailed|followed up|pinged|reached out|"
    r"requested|invited)\b[^.;]*",
    re.IGNORECASE,
)
"""A log line that starts with a verb and no subject is the rep's own act ("Asked for legal's redline ETA",
"Shared a case study", "Offered a year-end discount"): its words are not the buyer replying."""


_TOOK_PART = (
    r"(?:checked|confirmed|replied|wrote back|answered|came back|called (?:back|us|me)|told (?:us|me)|agreed|"
    r"accepted|approved|signed|raised|booked)\b"
)
"""What a buyer named at the head of a later sentence did in the exchange (not "Dana not opened yet")."""


def _quotes_buyer_later(summary: str, stakeholders: list[Stakeholder]) -> bool:
    """A later sentence gives a buyer's own words after the rep's act: "Sent the order form by DocuSign. Eleni:
    'Received, I will sign on Friday.'" (they answered)."""
    for sentence in re.split(r"(?<=[.;!?])\s+", summary)[1:]:
        head = sentence.strip()
        for person in stakeholders:
            given = text.given_name(person.name)
            # their own words in quotes after the name ("Eleni: 'Received, I will sign on Friday.'"), not a note about
            # them ("Dana: not opened yet")
            if len(given) >= 3 and re.match(rf"(?:{re.escape(person.name)}|{re.escape(given)})\s*:\s*['\"“‘]", head):
                return True
            # or as the subject of their own part in it: "Aoife checked with his assistant: he signs Wednesday"
            if len(given) >= 3 and re.match(rf"(?:{re.escape(person.name)}|{re.escape(given)})\s+{_TOOK_PART}", head):
                return True
    return False


_FROM = lazy(
    r"^(?:[Pp]asted (?:\([^()]{1,30}\) )?)?(?:(?:[Aa]n? )?(?:[Ee]-?mail|[Rr]eply|[Mm]essage|[Ll]etter|[Nn]ote|[Aa]nswer) )?"
    r"[Ff]rom\s+(?=[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?\s*[:(])"
)
"""A pasted message that names its sender first: "From Lucía (original in Spanish): …", "Email from Rob: …",
"Pasted from Gail: …" (a
name, then a colon or a bracket: "From Raj's org chart: …" is the rep citing a document)."""


def _starts_with_buyer(summary: str, stakeholders: list[Stakeholder]) -> bool:
    head = _FROM.sub("", summary.strip(), count=1).lower()
    for person in stakeholders:
        parts = person.name.lower().split()
        if parts and (
            head.startswith(person.name.lower())
            or (len(parts[0]) >= 3 and re.match(rf"{re.escape(parts[0])}(?: |:|,|'s )", head))
        ):
            return True  # "Dana sent the org chart", "Rob: MSA is with legal"
    return False
