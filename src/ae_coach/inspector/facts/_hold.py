"""Whose side the open paper item is on: a document, a redline, a term or an approval our own people hold.

The buyer waits on us as often as we wait on them: "Sent to our legal 11/13, our legal says they'll look again next
week", "still waiting on our deal desk for the discount approval", "our product team won't accept the SLA credit".
Then the review's work is an internal escalation with a date, not a push on the buyer (a blind VP grade: Hakuyo's
NDA held by our own legal's redline, reviewed as "the buyer's own paper process").
"""

from __future__ import annotations

import re

from ae_coach._patterns import lazy
from ae_coach.deal import Deal, Direction
from ae_coach.inspector import text
from ae_coach.inspector.facts._model import ActivityFact, _Names, speaker_of

_TEAMS = {
    "legal": (
        r"legal(?: team)?|counsel|lawyers?|solicitors?|gc|general counsel|contracts team",
        r"法务|律师",
    ),
    "deal_desk": (r"deal desk|pricing desk|pricing (?:committee|team)|commercial desk", r"交易台|定价委员会|商务审批"),
    "finance": (r"finance(?: team)?|cfo|revenue operations|billing team", r"财务"),
    "security": (r"security(?: team)?|infosec|ciso|trust team", r"安全团队|信息安全"),
    "product": (r"product(?: team)?|engineering(?: team)?|cto", r"产品团队|产品部|研发"),
}
"""Our own teams an open item can wait on, with the words for them (English, Chinese)."""

_EN = "|".join(en for en, _zh in _TEAMS.values())
_ZH = "|".join(zh for _en, zh in _TEAMS.values())
_OUR = r"(?:our|my) (?:own )?"
_OUR_ZH = r"(?:我方|我们的?|我司)"

_HANDED = lazy(
    rf"\b(?:sent|forwarded|passed|escalated|handed|gone|went)(?: it| this| them| (?:the|their) \w+)?(?: back| over| on)?"
    rf" to {_OUR}(?:{_EN})\b|(?:交给|转给|发给|提交给?|转交)了?{_OUR_ZH}(?:{_ZH})",
    re.IGNORECASE,
)
"""Our rep putting the item on our own team's desk: "Forwarded to our legal", "Sent to our legal 11/13"."""
_HOLDS = lazy(
    rf"\b(?:is|are|sits?|still|now|currently|been|remains?) (?:still )?with {_OUR}(?:{_EN})\b|"
    rf"\b{_OUR}(?:{_EN})(?:'s)? (?:says?|said|will|'ll|is|are|has(?:n't| not)|have(?:n't| not)|still|needs? to|"
    r"wants? to|to)\b[^.;!?]{0,40}?\b(?:look|review|answer|respond|come back|get back|check|approve|sign|decide|"
    r"reply)\w*\b|"
    rf"\b(?:waiting|wait|pending|held up|stuck) (?:on|for|with) {_OUR}(?:{_EN})\b|"
    rf"\b{_OUR}(?:{_EN}) (?:refuses?|refused|won'?t (?:accept|agree|sign|approve)|will not (?:accept|agree|sign|"
    r"approve)|can(?:no|')t (?:accept|agree|approve)|rejected|declined|(?:has |have )?said no|says no)\b|"
    rf"\bneeds? {_OUR}(?:{_EN})(?:'s)? (?:approval|sign-?off|ok)\b|"
    rf"{_OUR_ZH}(?:{_ZH})(?:还在|正在|仍在|还没|没有|未|不同意|不接受|拒绝|审核中|审批中)|等(?:待)?{_OUR_ZH}(?:{_ZH})",
    re.IGNORECASE,
)
"""Our own team holding it, or refusing a term: "our legal says they'll look again next week", "still with our
deal desk", "our product team won't accept the SLA credit", "我方法务还在审"."""
_ANSWERED = lazy(
    rf"\b{_OUR}(?:{_EN})(?:'s)? (?:approved|accepted|agreed|signed|countersigned|responded|replied|answered|returned|"
    r"sent (?:it )?back|came back|(?:redlines?|response|responses|comments|markup|mark-up|counter)\b)|"
    rf"{_OUR_ZH}(?:{_ZH})(?:已经?|已)(?:同意|接受|批准|回复|签)",
    re.IGNORECASE,
)
"""Our team having answered: "Our legal's redline on the NDA", "Our legal responded same day", "our legal approved
1x"; the item is then the buyer's to answer."""
_THEIRS = lazy(
    r"\b(?:their|the buyer'?s|the customer'?s|client'?s) (?:legal|counsel|lawyers?|solicitors?|contracts team|"
    r"legal team|procurement)\b|(?:对方|客户|甲方)的?(?:法务|律师|采购)",
    re.IGNORECASE,
)
_QUOTED = lazy(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w)")
_SPEAKER = lazy(r"^\s*[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*)?(?:-san)?\s*(?:\([^)]*\))?\s*:")
"""A summary that opens with the buyer speaking ("Graeme: approved on my side. Our lawyers have the MSA"): their
"our" is theirs."""
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|(?<=[。；！？])\s*|\n")
_SIGNED = lazy(r"\b(?:signed|executed|countersigned|fully agreed|all agreed)\b|已签|签好了|签完", re.IGNORECASE)


def held_by_us(deal: Deal, past: list[ActivityFact]) -> tuple[str, str] | None:
    """Where the record's latest word on an open item puts it on our side, unanswered: the quote (with its date)
    and the team (``legal``, ``deal_desk``, ``finance``, ``security``, ``product``). Our team answering, the item
    going to the buyer's side, or the paper signed since, clears it. Words inside quotes are the buyer's, and so is
    a summary that opens with a buyer speaking, unless our rep handed the item on ("Sent to our legal")."""
    found: tuple[str, str] | None = None
    said = [(f"{a.date} {a.type}", a.summary or "", a.direction == Direction.INBOUND) for a in past]
    for where, body, inbound in [*said, ("notes", deal.notes or "", False)]:
        spoken = inbound and _SPEAKER.match(body) is not None
        for sentence in _SENTENCE.split(body):
            found = _read(sentence, where, spoken, found)
    return found


def _read(sentence: str, where: str, spoken: bool, found: tuple[str, str] | None) -> tuple[str, str] | None:
    plain = _QUOTED.sub("", sentence)
    handed = _HANDED.search(plain)
    holds = handed or (None if spoken else _HOLDS.search(plain))
    if holds is not None:
        return f"{where}: {text.quote(sentence.strip(), 160)}", _team(holds)
    if _ANSWERED.search(plain) or _THEIRS.search(plain) or (found is not None and _SIGNED.search(plain)):
        return None
    return found


def _team(match: re.Match[str]) -> str:
    """The team the words name: the first in the match after "our" (an item "sent to our legal" is legal's)."""
    words = match.group(0)
    found = [
        (m.start(), name) for name, (en, zh) in _TEAMS.items() if (m := re.search(rf"\b(?:{en})\b|{zh}", words, re.I))
    ]
    return min(found)[1] if found else "legal"


_THEIR_STEP = (
    r"(?:(?:an? |the |their |our )?(?:approved |signed[- ]off )?(?:purchase )?requisition|\bpr\b|(?:a |the )?po\b|"
    r"(?:a |the )?purchase order|(?:the |a )?budget|funding|(?:the )?(?:capital|capex|investment) (?:review|committee|"
    r"approval|request)|(?:the )?board|(?:the )?(?:cfo|finance)(?:'s)? (?:approval|sign-?off)|(?:the )?business case "
    r"(?:is |gets )?approved|(?:internal |their |the )?approval)"
)
_REVIEW_WAITS = lazy(
    r"\b(?:will|'ll|can|can only|only|to|won'?t|will not|cannot|can'?t|going to|would)\s+(?:only\s+)?(?:be\s+)?"
    r"(?:review(?:ed)?|look (?:at|into)|process(?:ed)?|start (?:the |their |a )?review|pick (?:it|this|them) up)\b"
    r"[^.;!?]{0,30}?\b(?:once|until|till|after|when)\b\s+(?P<cond>[^.;!?]{3,80})"
    r"|\breview (?:will )?(?:starts?|begins?|only starts?) (?:once|until|after|when)\s+(?P<cond2>[^.;!?]{3,80})"
    r"|(?:等|待)(?P<cond3>[^，。；]{1,20}?)(?:批|审批|下来|通过|到位)[^，。；]{0,6}?(?:后|之后|以后)?(?:再|才)(?:审|看|处理)",
    re.IGNORECASE,
)
"""The buyer's reviewer saying their review waits on a condition: "MSA received, will review once there's an
approved requisition", "legal won't look at it until the budget is released", "等预算批下来再审"."""
_BUYER_STEP = lazy(_THEIR_STEP, re.IGNORECASE)
_ON_US = lazy(r"\b(?:we|you|your|us|our)\b|(?:我们|你们|我方|贵方)", re.IGNORECASE)
"""A condition that is ours to meet ("once we send the insurance certs") is the buyer waiting on us, not a hold."""
_STEP_DONE = lazy(
    r"\b(?:requisition|pr|po|purchase order|budget|funding|capital|capex|board)\b[^.;!?]{0,30}?\b(?:approved|raised|"
    r"released|issued|signed off|cleared|granted)\b|\b(?:redlines?|comments|mark-?up)\b|\breview(?:ing)?\b[^.;!?]{0,20}?"
    r"\b(?:started|under ?way|in progress|begun)\b|(?:预算|申请|采购单|审批)[^，。；]{0,6}(?:已|已经)(?:批|下达|通过)",
    re.IGNORECASE,
)


def review_waits(past: list[ActivityFact], names: _Names) -> tuple[str, str | None] | None:
    """The buyer's latest word that their own review of our paper waits on a step on their side, an approved
    requisition, a budget release, a capital review ("Carla: MSA received, will review once there's an approved
    requisition"), unless a later word from them says that step happened or the review moved. It is their hold,
    not a request of ours to answer: the review's date follows that step's, so the step is what to ask about. With
    who said it (:func:`speaker_of`), when the record says."""
    found: tuple[ActivityFact, str] | None = None
    for activity in past:
        if activity.direction == Direction.OUTBOUND:
            continue
        body = activity.summary or ""
        if found is not None and _STEP_DONE.search(body):
            found = None
        for sentence in _SENTENCE.split(body):
            hit = _REVIEW_WAITS.search(_QUOTED.sub(lambda m: m.group(0).strip("\"'“”"), sentence))
            cond = hit and (hit.group("cond") or hit.group("cond2") or hit.group("cond3") or "")
            if hit is None or not cond or _ON_US.search(cond):
                continue
            if hit.group("cond3") is not None or _BUYER_STEP.search(cond):
                found = (activity, sentence)
    if found is None:
        return None
    return f"{found[0].date} {found[0].type}: {text.quote(found[1].strip(), 160)}", speaker_of(found[0], names)
