"""A rival the recent record puts in play by name, read generally: "group IT wants a Veritrack quote before the GM
signs", "Lumina came back with a 12-month extension at 30% below", "a quote from Babtec due 11 December".

The competitor facts of ``_derive`` read the competitors the rep listed and the record's words for an unnamed
second vendor; this reads the shape they share when a named vendor is quoting or re-quoting: a quote, a proposal,
an offer or a bid of a named company, or a named company coming back with one. Commit waits until the buyer says
the evaluation is settled (``pipeline-commit-gate``: competition settled).
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.inspector import text
from ae_coach.inspector.facts._later import recent
from ae_coach.inspector.facts._model import ActivityFact

RIVAL_DAYS = 45
"""How far back a rival's quote is read (ae-coach default)."""

_NAME = r"[A-Z][\w&.'-]+(?: [A-Z][\w&.'-]+)?"
_RIVAL = lazy(
    rf"\b(?:quote|proposal|offer|bid|pricing)s? from (?P<a>{_NAME})|\b(?:an?|the|their) (?P<b>{_NAME}) (?:quote|"
    rf"counter-?offer|proposal|bid|extension offer)\b|\b(?P<c>{_NAME}) (?:came back|re-?quoted|counter-?offered|dropped "
    r"(?:its|their) price)"
)
"""A named company's quote, or the company coming back with one (case-sensitive: the name is capitalised)."""
_NOT_A_NAME = lazy(
    r"^(?:USD|EUR|GBP|PDF|SOW|Q[1-4]|I|We|Our|The|A|An|This|That|Their|His|Her|Revised|Final|New|Formal|Written|Signed|"
    r"Updated|Annual|Multi|Three|Two|One|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Legal|Procurement|"
    r"Purchasing|Sourcing|Finance|Security|IT|HR|Ops|Operations|Compliance|Counsel|Board|Exco|Management|CFO|CEO|COO|"
    r"CIO|CTO|CISO|CPO|VP|SVP|EVP|Head|Director|Manager|Group|Corporate)$"
)
"""Capitalised words that open a sentence, name a kind of quote, or a team or a title on the buyer's side
("Legal came back with two redlines", "Their CFO came back"), not a company."""
_SETTLED = lazy(
    r"\b(?:dropped (?:out|from)|eliminated|out of (?:the )?(?:running|race|evaluation)|declined|rejected|not (?:going|moving) "
    r"(?:ahead|forward) with|chose us|selected us|we (?:won|are selected))\b",
    re.IGNORECASE,
)


def rival_in_play(activities: list[ActivityFact], ours: list[str], as_of: dt.date) -> str | None:
    """The first sentence of the latest two-way exchange or note of the last ``RIVAL_DAYS`` that puts a named rival's
    quote in play, when no later exchange says that rival is out: the sentence with its source. ``ours`` are names
    that are not rivals (the account, its people)."""
    said = [a for a in recent(activities, as_of, RIVAL_DAYS) if a.two_way or a.type == "note"]
    for activity in reversed(said):
        for sentence in text.sentences(activity.summary):
            for match in _RIVAL.finditer(sentence):
                name = next(g for g in match.groups() if g).rstrip(".'-")
                if _NOT_A_NAME.match(name.split()[0]) or any(name.split()[0] in own for own in ours):
                    continue
                later = [a for a in said if a.date > activity.date]
                if any(name in line and text.find(_SETTLED, line) for a in later for line in text.sentences(a.summary)):
                    return None  # a later sentence says that rival is out
                return f"{activity.date} {activity.type}: {text.quote(sentence.strip(), 160)}"
    return None
