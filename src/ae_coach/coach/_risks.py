"""The risks a manager would raise, in their words, read from the deal's facts.

The inspector titles a MEDDPICC gap with the seed's red flag ("Economic buyer rep-asserted at proposal (red
flag: haven't met them)"): right as a checklist, wrong on the page when the record shows the economic buyer
was met, and rule-internal ("rep-asserted"). A risk about a person or an element is written here from the
one deal-fact model (:class:`ae_coach.inspector.facts.DealFacts` and its element grades), so it says what the
record shows. A small deal is not reviewed like a large one: the few risks that matter are listed, worst
first, and the rest are folded into one "also" line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ae_coach.coach._people import label
from ae_coach.coach.report import Risk
from ae_coach.deal import Role
from ae_coach.i18n import t, term
from ae_coach.inspector.facts import named_signer
from ae_coach.inspector.forecast import BUDGET_EVENTS, facts_of
from ae_coach.inspector.priority import cause_of, ranked

if TYPE_CHECKING:
    from ae_coach.coach.report import NextAction
    from ae_coach.deal import Deal, Stakeholder
    from ae_coach.findings import Finding

SHOWN_BY_TIER = {1: 5, 2: 4, 3: 3, 4: 2}
"""How many risks a review lists by account tier (ae-coach default); the rest go on the "also" line."""

_LISTED = ("critical", "high", "medium")

_SAYS_WHO = "meddpicc.economic_buyer"
"""The finding whose title says what the record shows about the signer (met or not, backing the deal or not)."""


def risks(deal: Deal, assessment: Any, actions: list[NextAction] | None = None) -> tuple[list[Risk], list[Risk]]:
    """The risks to list and the ones folded into "also", worst first: the tier's few worst, and any risk an
    action addresses."""
    findings = [f for f in ranked(list(assessment.findings)) if str(f.severity) in _LISTED]
    findings = [f for f in findings if not f.code.startswith("positive.")]
    acted = {code for a in actions or [] for code in a.finding_codes}
    limit = SHOWN_BY_TIER.get(getattr(assessment, "tier", 2) or 2, 4)
    # one buyer fact, one risk (the fact model health charges once, forecast.facts_of): the champion gone dark,
    # the deal silent and the review with no word back are one silence; a later finding on facts already listed
    # is folded into the risk that first said them, its code and rules cited there
    kept: list[Finding] = []
    folded: dict[int, list[Finding]] = {}
    said: dict[str, int] = {}
    for f in findings:
        facts = facts_of(f)
        effect = next((i for i, k in enumerate(kept) if cause_of(k, list(assessment.findings)) is f), None)
        if effect is not None:  # the event behind the risk listed before it: one line, the event as its cause
            folded.setdefault(effect, []).append(f)
            continue
        if facts and facts <= said.keys():
            folded.setdefault(min(said[fact] for fact in facts), []).append(f)  # the risk that said them first
            continue
        for fact in facts:
            said.setdefault(fact, len(kept))
        kept.append(f)
    # a late signer folded with the economic-buyer gap about the same person is told as that gap says it, from
    # the record ("Mark Stone (CFO, economic buyer): met on 2026-11-21, not yet backing the deal"), not as an arrival
    findings = [
        next((r for r in folded.get(i, []) if r.code == _SAYS_WHO), f) if f.code == "momentum.late_stakeholder" else f
        for i, f in enumerate(kept)
    ]
    folded = {
        i: [kept[i] if r is findings[i] else r for r in repeats] if findings[i] is not kept[i] else repeats
        for i, repeats in folded.items()
    }
    out = [_risk(f, deal, assessment) for f in findings]
    for risk, first in zip(out, kept, strict=True):
        risk.severity = first.severity  # the risk is as grave as the worst finding in it, raised first
    for i, repeats in folded.items():
        out[i].finding_codes += [f.code for f in repeats]
        out[i].rule_ids = list(dict.fromkeys([*out[i].rule_ids, *(r for f in repeats for r in f.rules)]))
    # the worst few by rank, and any risk an action addresses (the action says why it is there)
    chosen = {i for i, r in enumerate(out) if i < limit or set(r.finding_codes) & acted}
    also = [_risk(f, deal, assessment, short=True) for i, f in enumerate(findings) if i not in chosen]
    return [r for i, r in enumerate(out) if i in chosen], also


def _risk(f: Finding, deal: Deal, assessment: Any, short: bool = False) -> Risk:
    return Risk(
        title=told(f, deal, assessment, short), severity=f.severity, finding_codes=[f.code], rule_ids=list(f.rules)
    )


def told(f: Finding, deal: Deal, assessment: Any, short: bool = False) -> str:
    """The risk with its cause, when an event at the buyer's company explains it (``priority.cause_of``): "close
    date passed 6 days ago …, after a spending freeze at the buyer (Nora Kim, 2026-10-02: "…")". A budget
    concern that is the event itself (a freeze, a cost programme the buyer names) is told as the event."""
    event = cause_of(f, list(assessment.findings))
    if event is None and f.code == "momentum.budget_concern_late":
        signer = _late_signer_said(f, deal, list(assessment.findings))
        if signer is not None:  # the concern is the new signer's: who they are is the cause (a blind VP grade)
            return t("coach.risk.from_late_signer", title=title(f, deal, assessment, short), signer=signer)
    if event is None:
        return title(f, deal, assessment, short)
    kind = str(event.data.get("kind", ""))
    if f.code == "momentum.budget_concern_late" and kind in BUDGET_EVENTS:
        return event.title
    return t(
        "coach.risk.cause",
        title=title(f, deal, assessment, short),
        event=t(f"coach.risk.event.{kind}"),
        reported=event.data.get("reported", ""),
        quote=event.data.get("quote", ""),
    )


def _late_signer_said(concern: Finding, deal: Deal, findings: list[Finding]) -> str | None:
    """The new signer who raised the late budget concern ("Mark Stone (CFO), on the deal since 2026-11-10"), when
    the one newcomer is the signer (:func:`_sole_late_signer`) and the concern's words name them or their office."""
    late = next((x for x in findings if x.code == "momentum.late_stakeholder"), None)
    name = _sole_late_signer(late) if late is not None else None
    person = next((s for s in deal.stakeholders if s.name == name), None)
    if person is None:
        return None
    said = str(concern.data.get("said", ""))
    names = [person.name, *person.name.split()[:1], *((person.title,) if person.title else ())]
    if not any(re.search(rf"\b{re.escape(n)}\b", said, re.IGNORECASE) for n in names if n):
        return None
    who = _who(person)
    return t("coach.risk.signer_since", who=who, date=person.added) if person.added else who


def _sole_late_signer(late: Finding) -> str | None:
    """The one newcomer of a late-stakeholder finding, when they are the person who signs."""
    signers = late.data.get("signers") or []
    return signers[0] if late.data.get("names") == signers and len(signers) == 1 else None


def _who(person: Stakeholder) -> str:
    """ "Mark Stone (CFO)", or the name alone when the record gives no title."""
    return t("coach.fact.name_in_brackets", name=person.name, title=person.title) if person.title else person.name


def _late_signer(name: str, entered: str, deal: Deal) -> str:
    """The one newcomer is the person who signs: "The person who signs is new: Mark Stone (CFO), on the deal since
    2026-11-10, at proposal" (a blind VP grade: "the signer changed" is the problem, the price is its symptom)."""
    person = next((s for s in deal.stakeholders if s.name == name), None)
    who = _who(person) if person is not None else name
    stage = term(entered) if entered else term(deal.stage)
    if person is None or person.added is None:
        return t("coach.risk.late_signer_undated", who=who, stage=stage)
    return t("coach.risk.late_signer", who=who, date=person.added, stage=stage)


def title(f: Finding, deal: Deal, assessment: Any, short: bool = False) -> str:
    """The finding's risk as the record shows it: a MEDDPICC gap says who was met and what is missing."""
    element = f.data.get("element")
    reason = f.data.get("reason")
    signer = _sole_late_signer(f) if f.code == "momentum.late_stakeholder" else None
    if signer is not None:
        return _late_signer(signer, str(f.data.get("entered", "")), deal)
    generic = "(red flag" in f.title or "（" in f.title
    if not f.code.startswith("meddpicc.") or not element or not (generic or reason):
        return _committee(f, deal, assessment) if f.code == "committee.missing_role" else f.title
    if f.data.get("pulled_back") or (reason and element != "economic_buyer"):
        return f.title  # the inspector's title already says what the record shows
    facts = getattr(assessment, "facts", None)
    grade = int(f.data.get("grade", 0))
    stage = term(deal.stage)
    if element == "economic_buyer":
        return _economic_buyer(deal, facts)
    if element == "champion":
        champion = next(iter(facts.in_role(Role.CHAMPION)), None) if facts is not None else None
        if champion is not None:
            return t("coach.risk.champion_untested", name=champion.name, stage=stage)
    state = t(f"coach.risk.state.{min(grade, 1)}")
    line = t("coach.risk.element", element=t(f"coach.risk.label.{element}"), state=state, stage=stage)
    return line if short else line + t("coach.risk.so", consequence=t(f"coach.risk.consequence.{element}"))


def _economic_buyer(deal: Deal, facts: Any) -> str:
    people = list(facts.in_role(Role.ECONOMIC_BUYER)) if facts is not None else []
    met = sorted((p for p in people if p.last_two_way), key=lambda p: p.last_two_way, reverse=True)
    if met:
        who = _label(deal, met[0].name)
        return t("coach.risk.eb_met", who=who, date=met[0].last_two_way)
    handed = facts.elements.get("economic_buyer") if facts is not None else None
    old = facts.person(handed.handed_over) if handed is not None and handed.handed_over else None
    if people and old is not None:  # the signer changed hands: whom we met, and who signs now
        prior = _label(deal, old.name)
        prior = t("coach.risk.still_reachable", who=prior) if old.moved_within else prior
        return t("coach.risk.eb_handed_over", old=prior, who=_label(deal, people[0].name))
    if people:
        return t("coach.risk.eb_unmet", who=_label(deal, people[0].name))
    departed = facts.departed_signer if facts is not None else None
    if departed is not None:  # the signer on record left, and the record names who holds their office now
        old = _label(deal, departed.name)
        old = t("coach.risk.still_reachable", who=old) if departed.moved_within else old
        return t("coach.risk.eb_successor", who=departed.succeeded_by, old=old)
    signer = named_signer(deal)
    return t("coach.risk.eb_named", role=signer) if signer else t("coach.risk.eb_none")


def _committee(f: Finding, deal: Deal, assessment: Any) -> str:
    """The roles missing from the contact list, without repeating the economic-buyer risk beside it, and
    never "no economic buyer identified" when the record names the signer's role."""
    missing = list(f.data.get("missing") or [])
    eb_risk = any(g.code == "meddpicc.economic_buyer" for g in assessment.findings)
    if "economic_buyer" not in missing or not (eb_risk or named_signer(deal)):
        return f.title
    rest = [term(r) for r in missing if r != "economic_buyer"]
    if not rest:
        return t("coach.risk.committee_signer_only", role=named_signer(deal) or term("economic_buyer"))
    return t("coach.risk.committee_missing", missing=t("coach.risk.and").join(rest))


def _label(deal: Deal, name: str) -> str:
    person = next((s for s in deal.stakeholders if s.name == name), None)
    return label(person) if person is not None else name
