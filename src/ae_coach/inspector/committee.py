"""Buying-committee coverage by stage and deal size (the seed's committee diagram).

Required roles come from ``Settings.committee_roles_by_stage``. Large deals (at or above
``committee_large_deal_amount``, the seed's tier-1 band) need every role from
``committee_large_deal_from_stage``; small deals (below ``committee_small_deal_amount``, the tier-4 band)
need only the economic buyer and the champion, and an economic buyer covers the champion role too.
A role is covered when a stakeholder holds it, engaged or not (the technical buyer also when a stakeholder's
title names the buyer's IT or technology function, :data:`TECHNICAL_TITLE`, whatever role the CRM gave them):
the finding is about who is missing from
the map; ``momentum.champion_dark`` and ``anti.single_threading`` judge the live threads.
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import ActivityStatus, Deal, Role, Stage, Stakeholder
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import current, join, money, t, term
from ae_coach.inspector import text
from ae_coach.inspector._context import Context

COMMITTEE = (Role.ECONOMIC_BUYER, Role.CHAMPION, Role.TECHNICAL_BUYER, Role.USER_BUYER)


TECHNICAL_TITLE = lazy(
    r"\b(?:CIO|CTO|CISO|IT|ICT)\b|(?i:\b(?:chief (?:information|technology|digital) officer|information technology|"
    r"information systems|(?:head|director|vp|manager) of (?:technology|engineering|systems|infrastructure|"
    r"architecture)|(?:enterprise|solutions?|technical) architect|systems (?:manager|director|lead)|"
    r"infrastructure (?:manager|lead|director))\b)",
)
"""A title that names the buyer's IT or technology function: its holder gives the technical view, whatever role
the CRM gave them."""


USER_WORDS = lazy(
    r"\b(?:end[- ]?users?|super[- ]?users?|key users?|power users?|user (?:lead|representative|buyer)|"
    r"pilot (?:lead|owner|manager|coordinator))\b|最终用户|关键用户|超级用户|试点负责人",
    re.IGNORECASE,
)
"""Role words that make a stakeholder the user side's lead, in their title or in the deal's notes beside their name."""
EVALUATION = lazy(r"\b(?:pilot|poc|pov|proof of (?:concept|value)|trial)\b|试点|试用|概念验证", re.IGNORECASE)
"""An activity about the buyer's own evaluation with the product: the team that ran it is the team that will use it."""
_ASKED_FOR = lazy(
    r"\b(?:ask(?:ed|s)?|wants?|wanted|request(?:ed|s)?|would like)(?: for)?(?: an?| the)?\s*$|(?:要求|希望|想要|提出)(?:做|开展|安排)?$",
    re.I,
)
"""An evaluation asked for, not run ("he asked for a pilot on the Gragnano plant"): nobody's team has used it yet."""


def _evaluated(summary: str | None) -> bool:
    said = summary or ""
    return any(not _ASKED_FOR.search(said[max(0, m.start() - 30) : m.start()]) for m in EVALUATION.finditer(said))


def user_lead(deal: Deal, as_of: dt.date | None = None) -> Stakeholder | None:
    """The leader of the team that will use the product, as the whole record shows them, not only the CRM role: the
    stakeholder with the user-buyer role; else one whose title, or the deal's notes beside their name, say so
    (:data:`USER_WORDS`); else the buyer-side person who ran the pilot, trial or proof of concept with their team
    (in a completed activity about it), who is neither the signer, the technical buyer nor an assistant. A question
    "whose team will use this every day?" on a deal whose pilot ran in Nadia's team tells the buyer nobody read the
    record."""
    people = deal.stakeholders
    named = [s for s in people if s.role == Role.USER_BUYER]
    if named:
        return named[0]
    notes = [c for c in re.split(r"(?<=[.;!?])\s+", deal.notes or "") if USER_WORDS.search(c)]
    for person in people:
        if text.find(USER_WORDS, person.title) or any(text.mentions([person.name], c) for c in notes):
            return person
    eligible = [
        s
        for s in people
        if s.role in (Role.CHAMPION, Role.UNKNOWN)
        and not text.find(TECHNICAL_TITLE, s.title)
        and not text.find(text.ASSISTANT_TITLE, s.title)
    ]
    for activity in deal.activities:
        if activity.status != ActivityStatus.COMPLETED or (as_of is not None and activity.date > as_of):
            continue
        if not _evaluated(activity.summary):
            continue
        for person in eligible:
            if person.name in activity.with_:
                return person
    return None


def required_roles(ctx: Context) -> list[Role]:
    """The roles this deal should have identified at its stage and size."""
    settings = ctx.settings
    roles = list(settings.committee_roles_by_stage.get(ctx.stage, []))
    amount = ctx.size
    if (
        amount >= settings.committee_large_deal_amount
        and ctx.stage.order >= settings.committee_large_deal_from_stage.order
    ):
        roles = list(COMMITTEE)
    elif 0 < amount < settings.committee_small_deal_amount:
        roles = [r for r in roles if r in (Role.ECONOMIC_BUYER, Role.CHAMPION)]
    return roles


def inspect(ctx: Context) -> list[Finding]:
    """``committee.missing_role`` listing every required role no stakeholder holds. Open deals only."""
    if not ctx.deal.is_open:
        return []
    present = {s.role for s in ctx.deal.stakeholders}
    titles = [s.title for s in ctx.deal.stakeholders if s.title and not text.find(text.ASSISTANT_TITLE, s.title)]
    if any(text.find(TECHNICAL_TITLE, title) for title in titles):
        # the buyer's IT or technology lead is on the deal, whatever role the rep gave them ("Director of IT and
        # Operations" as champion): the technical view is in the room
        present.add(Role.TECHNICAL_BUYER)
    if user_lead(ctx.deal, ctx.as_of) is not None:
        present.add(Role.USER_BUYER)  # the pilot's team lead, or a title that says so: the user side is on the map
    small = 0 < ctx.size < ctx.settings.committee_small_deal_amount
    if small and Role.ECONOMIC_BUYER in present:
        present.add(Role.CHAMPION)
    required = required_roles(ctx)
    missing = [r for r in required if r not in present]
    if not missing:
        return []
    late = ctx.stage.order >= Stage.PROPOSAL.order
    no_signer = Role.ECONOMIC_BUYER in missing
    if no_signer and late:
        severity = Severity.HIGH
    elif late or no_signer or Role.CHAMPION in missing or len(missing) >= 2:
        severity = Severity.MEDIUM
    else:
        severity = Severity.LOW
    size = money(ctx.deal.amount, ctx.deal.currency)
    departed = ctx.facts.departed_signer
    english = current() == "en"  # the role values are the record's words in English, the glossary's in Chinese
    left = departed is not None  # the signer on record left and the record names who holds the office

    def line(role: Role) -> str:
        words = role.value if english else term(role.value)
        if role == Role.ECONOMIC_BUYER and departed is not None:
            return t("evidence.role_left", role=words, old=departed.name, new=departed.succeeded_by)
        return t("evidence.no_role", role=words)

    # a departed signer's named successor last: the roles nobody holds are what this finding is about
    evidence = [line(r) for r in sorted(missing, key=lambda r: r == Role.ECONOMIC_BUYER and left)]
    roles = ", ".join(r.value for r in required) if english else join(term(r.value) for r in required)
    evidence.append(
        t(
            "evidence.roles_required",
            stage=ctx.stage.value if english else term(ctx.stage.value),
            size=size,
            roles=roles,
        )
    )
    return [
        ctx.finding(
            "committee.missing_role",
            severity,
            f"Buying committee incomplete: no {_or(missing)} identified",
            evidence,
            missing=[r.value for r in missing],
            required=[r.value for r in required],
            # the signer on record left and the record names who holds the office: the signer is known, if unmet
            successor=departed.succeeded_by if no_signer and departed is not None else None,
        )
    ]


def _or(roles: list[Role]) -> str:
    """'economic buyer', 'economic buyer or technical buyer', 'champion, user buyer or technical buyer'."""
    words = [r.value.replace("_", " ") for r in roles]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
