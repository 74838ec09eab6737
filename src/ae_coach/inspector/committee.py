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

from ae_coach._patterns import lazy
from ae_coach.deal import Role, Stage
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
    english = current() == "en"  # the role values are the record's words in English, the glossary's in Chinese
    evidence = [t("evidence.no_role", role=r.value if english else term(r.value)) for r in missing]
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
        )
    ]


def _or(roles: list[Role]) -> str:
    """'economic buyer', 'economic buyer or technical buyer', 'champion, user buyer or technical buyer'."""
    words = [r.value.replace("_", " ") for r in roles]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
