"""What a stakeholder said on record, in the record's words: who a clause names, and the clauses a person said in
a conversation they took part in. The inspector reads them to grade a late stakeholder (what the newcomer asked
for); the coach quotes them back ("open with what they have already said").
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import ActivityStatus, Deal, Direction, Stakeholder
from ae_coach.inspector.facts._contact import direction_of
from ae_coach.inspector.text import addressed_pattern, given_name, name_words

_GENERIC_TITLE_WORDS = frozenset(
    [
        "vp",
        "svp",
        "evp",
        "head",
        "director",
        "manager",
        "senior",
        "lead",
        "chief",
        "officer",
        "of",
        "the",
        "and",
        "for",
        "global",
        "regional",
        "team",
        # where or at what level the office sits, not the office: "on site" is no "Site Managing Director"
        "site",
        "group",
        "plant",
        "area",
        "local",
        "national",
        "country",
        "deputy",
        "acting",
        "interim",
        "associate",
        "assistant",
        "principal",
        "general",
        "managing",
    ]
)


def names_person(person: Stakeholder, clause: str) -> bool:
    """The clause names the person: their name, first name or a telling word of their title ("CFO")."""
    words = {person.name.lower(), given_name(person.name).lower()}
    words |= {w for w in re.findall(r"[a-z]+", (person.title or "").lower()) if len(w) > 2}
    initials = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", person.title or "") if w not in ("Of", "And"))
    if 2 <= len(initials) <= 4:  # "Chief Information Officer" is the CIO in a plan step
        words.add(initials.lower())
    surname = name_words(person.name)[-1] if len(name_words(person.name)) >= 2 else ""
    if len(surname) >= 3 and re.search(addressed_pattern(surname), clause.lower()):  # "Dr. Lenz", "Ishikawa-san"
        return True
    return any(re.search(rf"\b{re.escape(w)}\b", clause.lower()) for w in words - _GENERIC_TITLE_WORDS)


_VIEW = lazy(
    r"\b(?:says?|said|wants?|asked|thinks?|feels?|worried|concerns?|objects?|objected|pushed back|likes?|liked|loves?"
    r"|loved|prefers?|too)\b",
    re.IGNORECASE,
)
_CARRIED = lazy(r"^\s*(?:he|she|they|said|says|wants|asked|thinks|liked|likes)\b", re.IGNORECASE)
"""A clause that names nobody and goes on about whoever the clause before ended on: "Priya set up 30 mins with
Greg. He liked the inventory case. Said all new multi-year commitments go through the January capital review"."""


def _last_named(clause: str, people: list[Stakeholder]) -> Stakeholder | None:
    """The stakeholder the clause names last (by full or first name): who a following "He said…" is about."""
    low = clause.lower()
    spots = [
        (max(low.rfind(person.name.lower()), low.rfind(given_name(person.name).lower())), person) for person in people
    ]
    spot, person = max(spots, key=lambda item: item[0], default=(-1, None))
    return person if spot >= 0 else None


def said_by(person: Stakeholder, deal: Deal, since: dt.date | None = None) -> list[tuple[dt.date, str]]:
    """Every clause the person said on record, oldest first, with its date: clauses that name them, or go on about
    them ("He liked the inventory case. Said all new multi-year commitments go through the January capital
    review"), in a completed conversation they took part in or their own message, on or after ``since``."""
    said: list[tuple[dt.date, str]] = []
    for a in sorted(deal.activities, key=lambda a: a.date):
        # our own message to them ("Intro email to Fiona with the pilot results, asked for 30 min") is the rep's
        # words, never their view: only a conversation they took part in, or their own message, says what they think
        if a.status != ActivityStatus.COMPLETED or person.name not in a.with_ or (since and a.date < since):
            continue
        if direction_of(a, deal.stakeholders) not in (Direction.TWO_WAY, Direction.INBOUND):
            continue
        about = None  # whom the clause before ended on
        for clause in re.split(r"[;.]", a.summary or ""):
            named = names_person(person, clause)
            carried = about is person and _CARRIED.search(clause) and _last_named(clause, deal.stakeholders) is None
            if named or carried:
                said.append((a.date, clause.strip()))
            about = _last_named(clause, deal.stakeholders) or (about if carried else None)
    return said


def view_of(person: Stakeholder, deal: Deal) -> tuple[dt.date, str] | None:
    """The latest view the person gave in a meeting on record, in the record's words ("New CFO says the price
    is too high"), with its date; ``None`` when they have not said anything on record yet."""
    said = [(day, clause) for day, clause in said_by(person, deal) if _VIEW.search(clause)]
    return max(reversed(said), key=lambda item: item[0]) if said else None  # the latest, its last word first
