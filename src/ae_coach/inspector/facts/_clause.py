"""The contract clause in dispute, in the deal's own words.

A review that says "legal review" when the record says "governing law / jurisdiction changed from Shizuoka District
Court to SIAC arbitration (Singapore)" and then "cannot change court" hides the one thing the rep has to take to
legal (a blind VP grade of Hakuyo: "never names the contract clause in dispute"). This module finds the clause a
redline, a refusal or an ask on the paper last disputed (governing law and venue, liability, indemnity, data
residency, termination, payment terms, auto-renewal, IP, audit rights, the confidentiality term) and nothing later
settles, and quotes where the record first states it in full and the latest word on it.
"""

from __future__ import annotations

import re
from typing import Any

from ae_coach._patterns import lazy
from ae_coach.inspector import text
from ae_coach.inspector.facts._model import ActivityFact

_KINDS = {
    "venue": lazy(
        r"\b(?:governing law|jurisdiction|choice of law|(?:district |high |state )?courts?|arbitration|siac|lcia|"
        r"icc arbitration)\b|管辖|仲裁|适用法律",
        re.IGNORECASE,
    ),
    "liability": lazy(
        r"\b(?:liability cap|limitation of liability|cap on liability|uncapped|unlimited liability|liability)\b|"
        r"责任上限|赔偿上限",
        re.IGNORECASE,
    ),
    "indemnity": lazy(r"\bindemnit(?:y|ies|ication)\b|赔偿条款", re.IGNORECASE),
    "residency": lazy(
        r"\bdata (?:residency|locali[sz]ation|sovereignty|location)\b|\bonshore (?:hosting|data)\b|数据本地化|数据驻留",
        re.IGNORECASE,
    ),
    "termination": lazy(r"\btermination (?:for convenience|clause|rights?)\b|解约条款", re.IGNORECASE),
    "payment": lazy(r"\bpayment terms\b|付款条件|账期", re.IGNORECASE),
    "renewal": lazy(r"\bauto-?renew(?:al|s)?\b|自动续约", re.IGNORECASE),
    "ip": lazy(r"\b(?:intellectual property|ip (?:ownership|rights|clause))\b|知识产权", re.IGNORECASE),
    "audit": lazy(r"\baudit (?:rights?|clause)\b|审计权", re.IGNORECASE),
    "confidentiality": lazy(r"\bconfidentiality (?:term|period)\b|保密期限", re.IGNORECASE),
}
"""The clauses a contract or NDA is argued over, by kind (a venue and its court are one clause)."""
_DISPUTED = lazy(
    r"\b(?:redlined?|red-?lines?|marked up|mark-?up|changed (?:from|to)|instead of|struck|strike out|"
    r"(?:won'?t|will not|cannot|can'?t|do not|don'?t|does not|doesn'?t|refuses? to|unable to) (?:accept|agree|change|"
    r"move|sign|budge)|refus\w*|reject\w*|push(?:ed|ing)? back|pushback|insists?|still wants?|asks? for|asked for|"
    r"stuck on|disagree\w*|objects?|open (?:point|issue|item)|still open|in dispute|sticking point)\b|"
    r"不接受|不能改|不同意|坚持|卡在|争议",
    re.IGNORECASE,
)
"""Words that put a clause in dispute: a redline, a change asked for, a refusal."""
_SETTLED = lazy(
    r"\b(?:agreed|accepted|accepts?|resolved|settled|conceded|dropped|closed|signed off|fine with|ok(?:'d)? with|"
    r"withdr[ae]w\w*|removed|took out|taken out)\b|"
    r"已(?:同意|接受|解决)",
    re.IGNORECASE,
)
_ASK = lazy(r"asks?\b|asked\b|still wants?", re.IGNORECASE)
"""The dispute words that are only an ask (:data:`_DISPUTED`)."""
_EXCEPT = lazy(r"\b(?:except|apart from|other than|but not|save for)\b|除了", re.IGNORECASE)
"""Everything settled but one clause: "Everything agreed except the liability cap amount"."""
_NEGATION = lazy(r"\b(?:not|no|never|cannot|won'?t|can'?t|don'?t|doesn'?t)\b|n't\b|不", re.IGNORECASE)
_PAPER = lazy(
    r"\b(?:contract|msa|nda|dpa|agreement|template|redlines?|terms|clause|legal|counsel|order form)\b|合同|协议|条款|法务",
    re.IGNORECASE,
)
_PIECES = lazy(r"(?<=[.;!?。；！？])\s+|\n|,\s+(?=[a-z\"'])|，")
_LEAD_IN = lazy(r"^[^:：]{0,60}[:：]\s*")
"""A lead-in before the clause ("Our legal's redline on the NDA: governing law …"): not the clause's words."""


def open_point(past: list[ActivityFact]) -> tuple[str, str | None] | None:
    """The clause in dispute the paper last stopped on, with nothing later settling it: where the record first
    states it in full and, when later, the latest word on it ("2026-11-04 email: "governing law / jurisdiction
    changed from Shizuoka District Court to SIAC arbitration (Singapore)"; 2026-11-12 email: "cannot change
    court""), as the statement in full and the latest word (None when it is the same). None when the record names no
    clause in dispute: the review keeps its generic wording."""
    open_: dict[str, tuple[str, str, int]] = {}  # kind -> (where first stated in full, latest word, order)
    order = 0
    for activity in past:
        if not activity.summary:
            continue
        on_paper = (
            _PAPER.search(activity.summary) is not None
        )  # a dispute is about the paper; a settling need not say so
        where = f"{activity.date} {activity.type}"
        for piece in _PIECES.split(activity.summary):
            piece = piece.strip(" '\"‘’“”")
            kind = next((k for k, words in _KINDS.items() if words.search(piece)), None)
            if kind is None:
                continue
            order += 1
            settled = _SETTLED.search(piece)
            # "they withdrew the liability redline": settling words count before the dispute words they contain
            if settled and not _NEGATION.search(piece[: settled.start()]) and not _EXCEPT.search(piece):
                open_.pop(kind, None)  # "their solicitor has accepted our markup on the liability clause"
                continue
            disputed = _DISPUTED.search(piece)
            # an ask is about the paper only when its own sentence says so ("they asked for audit rights on the admin
            # log" in a demo note is a product ask, not a clause); a redline or a refusal anywhere in a paper message
            asked = disputed is not None and _ASK.match(disputed.group(0)) is not None
            if asked and not _EXCEPT.search(piece) and not _PAPER.search(_sentence_of(piece, activity.summary)):
                continue
            if on_paper and (disputed or _EXCEPT.search(piece)):
                said = f"{where}: {text.quote(_words(piece, _KINDS[kind], activity.summary), 110)}"
                first = open_[kind][0] if kind in open_ else said
                open_[kind] = (first, said, order)
    if not open_:
        return None
    first, latest, _ = max(open_.values(), key=lambda entry: entry[2])
    return first, None if first == latest else latest


def _sentence_of(piece: str, summary: str) -> str:
    """The sentence of ``summary`` that holds ``piece`` (the piece itself when it cannot be found)."""
    for sentence in text.sentences(summary):
        if piece[:40] in sentence:
            return sentence
    return piece


def _words(piece: str, kind: Any, summary: str) -> str:
    """The clause as the record states it: the piece without a lead-in that does not name it ("Our legal's redline
    on the NDA: …"), or its whole sentence when the piece is only a clause's name in a list ("Maya's redlines:
    liability cap, data deletion on exit, governing law")."""
    lead = _LEAD_IN.match(piece)
    if lead is not None and not kind.search(lead.group(0)):
        piece = piece[lead.end() :]
    if len(piece) >= 30:
        return piece
    sentence = next((s for s in re.split(r"(?<=[.;!?。；！？])\s+|\n", summary) if piece in s), piece)
    return sentence.strip()
