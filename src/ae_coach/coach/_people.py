"""Who on the buyer's side an action or a question is for, and when it is due.

Findings say what is wrong; the deal says who plays which role. These helpers join the two so the
offline coach can write "ask Dana Lee (VP RevOps, champion)" instead of "ask your champion".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ae_coach._patterns import lazy
from ae_coach.i18n import t, term
from ae_coach.inspector.text import LEGAL_TITLE, PAPER_TITLE

if TYPE_CHECKING:
    from ae_coach.deal import Deal, Stakeholder

# finding code (or its family) -> the roles to approach, best first
_CONTACT_ROLES: dict[str, tuple[str, ...]] = {
    "meddpicc.economic_buyer": ("champion", "economic_buyer"),
    "meddpicc.champion": ("champion", "coach", "user_buyer"),
    "meddpicc.metrics": ("champion", "economic_buyer", "user_buyer"),
    "meddpicc.identified_pain": ("champion", "user_buyer", "economic_buyer"),
    "meddpicc.decision_criteria": ("technical_buyer", "champion"),
    "meddpicc.decision_process": ("champion", "economic_buyer"),
    "meddpicc.paper_process": ("champion", "technical_buyer", "economic_buyer"),
    "meddpicc.competition": ("champion", "technical_buyer", "coach"),
    "momentum.champion_dark": ("champion",),
    "momentum.pending_internal_review": ("champion",),
    "momentum.budget_concern_late": ("economic_buyer", "champion"),
    "momentum.company_event": ("economic_buyer", "champion"),
    "momentum.competitor_late": ("champion", "technical_buyer"),
    "momentum.competitor_counter": ("champion", "economic_buyer"),
    "anti.neglecting_champion": ("champion",),
    "anti.single_threading": ("champion",),
    "committee.missing_role": ("champion",),
    "anti.hoping_not_controlling": ("champion", "economic_buyer"),
    "anti.forecast_fantasy": ("economic_buyer", "champion"),
}
_DEFAULT_ROLES = ("champion", "economic_buyer", "technical_buyer")

ROLE_WORDS: dict[str, str] = {
    "economic_buyer": "economic buyer",
    "champion": "champion",
    "technical_buyer": "technical buyer",
    "user_buyer": "user buyer",
    "coach": "coach",
    "influencer": "influencer",
    "blocker": "blocker",
}


def role_of(person: Stakeholder) -> str:
    return str(person.role)


def in_role(deal: Deal, role: str) -> list[Stakeholder]:
    """The stakeholders in ``role``, people who are engaged first."""
    return sorted((s for s in deal.stakeholders if role_of(s) == role), key=lambda s: not s.engaged)


def person_in_role(deal: Deal, role: str) -> Stakeholder | None:
    """The first stakeholder in ``role``, preferring people who are engaged."""
    people = in_role(deal, role)
    return people[0] if people else None


def label(person: Stakeholder) -> str:
    """'Dana Lee (VP Revenue Operations, champion)'."""
    role = term(role_of(person)) if role_of(person) in ROLE_WORDS else None
    detail = t("coach.person_separator").join(x for x in (person.title, role) if x)
    return t("coach.person", name=person.name, detail=detail) if detail else person.name


def contact_name(contact_label: str | None) -> str:
    """'Dana Lee (VP Revenue Operations, champion)' or 'Dana Lee（…）' -> 'Dana Lee' (an action's contact)."""
    return re.split(r" \(|（", contact_label or "", maxsplit=1)[0].strip()


def addresses(person: Stakeholder, code: str, named: str = "") -> bool:
    """The finding is this person's business: they hold a role the finding is worked through, or the finding
    names them (``named``: its title and evidence). A close-date slip is not the champion's to answer."""
    return role_of(person) in _CONTACT_ROLES.get(code, ()) or person.name in named


def contact_for(deal: Deal, code: str) -> Stakeholder | None:
    """The buyer-side person to work through for a finding, when the deal names one: the first of
    :func:`contact_order` (the Support Manager the rep emailed before the Support Agent at the demo)."""
    people = contact_order(deal, code)
    return people[0] if people else None


def contact_order(deal: Deal, code: str) -> list[Stakeholder]:
    """Everyone :func:`contact_for` could pick for a finding, in its order: the roles best placed for it, the
    deal's champion and buyers, then the rest (never a blocker) by engagement and seniority. A question goes to
    the first of them who can answer it."""
    roles = dict.fromkeys(_CONTACT_ROLES.get(code, ()) + _DEFAULT_ROLES)
    ranked = [p for role in roles for p in in_role(deal, role)]
    others = [s for s in deal.stakeholders if s not in ranked and role_of(s) != "blocker"]
    others.sort(key=lambda s: (not s.engaged, -seniority(s.title)))
    return ranked + others


_SENIORITY = (
    (
        4,
        lazy(
            r"\b(?:chief|ceo|cfo|coo|cto|cio|cmo|cro|ciso|president|owner|founder|managing director|"
            r"general manager|geschäftsführer|partner)\b",
            re.IGNORECASE,
        ),
    ),
    (3, lazy(r"\b(?:svp|evp|vp|vice president|head)\b", re.IGNORECASE)),
    (2, lazy(r"\b(?:director|controller|comptroller)\b", re.IGNORECASE)),
    (1, lazy(r"\b(?:manager|lead|supervisor|principal)\b", re.IGNORECASE)),
)


def seniority(title: str | None) -> int:
    """How senior a title reads: 4 the top of the house, 3 a VP or head, 2 a director, 1 a manager or lead."""
    return next((rank for rank, pattern in _SENIORITY if title and pattern.search(title)), 0)


def personalise(text: str, deal: Deal) -> str:
    """Name the person after the first mention of a role the deal fills ('your champion (Dana Lee)')."""
    for role, words in ROLE_WORDS.items():
        person = person_in_role(deal, role)
        if person is None:
            continue
        # "[economic buyer]"; a function, not a template: a name like "Dana \1 Lee" is text, not a backreference
        text = re.sub(rf"\[{re.escape(words)}\]", lambda _, name=person.name: name, text, flags=re.IGNORECASE)  # type: ignore[misc]
        if person.name in text:
            continue
        # only "your champion" / "the champion" as a noun phrase: not inside role lists or "economic buyer candidate"
        pattern = re.compile(
            rf"\b((?:your|the) {re.escape(words)})(?=[\s,.;:!?]|$)(?!\s*\()(?!\s+[a-z])", re.IGNORECASE
        )
        text = pattern.sub(lambda m, name=person.name: f"{m.group(1)} ({name})", text, count=1)  # type: ignore[misc]
    return text


_NOT_PAPER = ("champion", "economic_buyer", "user_buyer", "blocker")


def paper_titled(deal: Deal, term_open: bool = False, legal: bool | None = None) -> Stakeholder | None:
    """The stakeholder whose title runs the buyer's paper (legal, contracts, procurement), engaged first; when a
    contract term is what is open (``term_open``), their lawyer before their buyer. Never the champion, a buyer
    or a blocker (a Senior Counsel championing a legal tool is the buyer, not the paper). ``legal`` True keeps
    their lawyers only, False everyone else on the paper (procurement, purchasing, contracts)."""
    titled = [
        s
        for s in deal.stakeholders
        if PAPER_TITLE.search(s.title or "")
        and str(s.role) not in _NOT_PAPER
        and (legal is None or bool(LEGAL_TITLE.search(s.title or "")) == legal)
    ]
    return min(
        titled,
        key=lambda s: (not s.engaged, term_open and not LEGAL_TITLE.search(s.title or "")),
        default=None,
    )
