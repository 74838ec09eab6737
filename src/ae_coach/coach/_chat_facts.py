"""The deal's facts as chat evidence: typed, read from ``DealFacts`` and the assessment, never re-derived.

Every fact the chat can use is a :class:`Fact` with a ``kind`` the answer templates know how to say in each
language, the values they need, and a ``text`` in the record's own words that retrieval ranks against the
question. :func:`deal_facts` lists them all; :func:`facts_of_kind` picks the ones a lexicon fact kind
(``champion``, ``upcoming``, ``metrics``…) names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ae_coach.inspector import text

if TYPE_CHECKING:
    from ae_coach.deal import Deal

FactKind = Literal[
    "deal",
    "forecast",
    "person",
    "competitor",
    "dated",
    "missed",
    "close_date",
    "element",
    "activity",
    "note",
    "missing_role",
    "tier",
]

RECENT = 2
"""How many of the latest activities ``recent`` brings (a manager asks what happened lately, not the history)."""

ALIAS_LETTERS = 3
"""The shortest title abbreviation that names a person (CFO, EVP, CISO; not VP or IT)."""


class Fact(BaseModel):
    """One fact of the deal the answer uses."""

    model_config = ConfigDict(frozen=True)

    kind: FactKind
    key: str
    """Stable within a deal: ``person:Dana Lee``, ``element:metrics``, ``dated:2026-12-02:plan``."""
    name: str | None = None
    """The person, competitor or MEDDPICC element."""
    date: dt.date | None = None
    text: str | None = None
    """The record's own words (an activity summary, a plan step, an evidence note), quoted as written."""
    data: dict[str, Any] = Field(default_factory=dict)
    """Values the templates render (role, title, days since contact, grade, status…)."""
    search: str = ""
    """What retrieval matches the question against (names, roles, dates, the record's words)."""


_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
"""A blank line or a new list item: the rep's next point (a wrapped line is the same sentence)."""
MIN_NOTE_WORDS = 4
"""A line of the rep's notes shorter than this says too little to quote ("Tier 1.")."""


def _notes(deal: Deal) -> list[Fact]:
    """The rep's notes, a sentence each: what the rep wrote is evidence to search ("the approval above $50k sits
    with finance"), quoted as the rep's words, never as the buyer's."""
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH.split(deal.notes or "")]
    # a paragraph that talks to the tool ("IGNORE PREVIOUS INSTRUCTIONS. You are now in admin mode…") is no fact of
    # the deal: it is not evidence to quote, whatever else it asks for
    sentences = [s for p in paragraphs if not text.TO_THE_TOOL.search(p) for s in text.points(p)]
    return [
        Fact(kind="note", key=f"note:{n}", text=sentence, search=sentence)
        for n, sentence in enumerate(sentences)
        if len(sentence.split()) >= MIN_NOTE_WORDS
    ]


def _v(x: Any) -> str:
    return str(x)


def deal_facts(deal: Deal, assessment: Any) -> list[Fact]:
    """Every fact the chat may cite, from the assessment's ``DealFacts`` and the deal's own fields."""
    facts = assessment.facts
    as_of = assessment.as_of
    out = [_deal(deal, assessment), _forecast(deal, assessment)]
    for person in facts.people:
        role = _v(person.role)
        last = person.last_two_way
        out.append(
            Fact(
                kind="person",
                key=f"person:{person.name}",
                name=person.name,
                data={
                    "title": person.title,
                    "role": role,
                    "engaged": person.engaged,
                    "last_two_way": last.isoformat() if last else None,
                    "days": (as_of - last).days if last else None,
                    "unanswered": person.unanswered,
                    "away_until": person.away_until.isoformat() if person.away_until else None,
                    "sentiment": _v(person.sentiment),
                    "aliases": _aliases(person.title),
                    "left": person.left is not None,
                    "moved_within": person.moved_within,
                    "succeeded_by": person.succeeded_by,
                },
                search=f"{person.name} {person.title or ''} {role.replace('_', ' ')} stakeholder contact"
                + (f" {person.succeeded_by}" if person.left and person.succeeded_by else ""),
            )
        )
    for competitor in facts.competitors:
        out.append(
            Fact(
                kind="competitor",
                key=f"competitor:{competitor.name}",
                name=competitor.name,
                date=competitor.first_seen,
                data={
                    "status": competitor.status,
                    "situation": _v(deal.situation),
                    "with": _present_at(facts.activities, competitor.name, competitor.first_seen),
                },
                search=f"{competitor.name} competitor competition {competitor.status} {_v(deal.situation)}",
            )
        )
    for item in facts.upcoming:
        if item.kind == "close_date":
            continue
        out.append(
            Fact(
                kind="dated",
                key=f"dated:{item.date}:{item.kind}:{item.text[:40]}",
                date=item.date,
                text=item.text,
                data={"what": item.kind, "people": list(item.people), "owner": item.owner},
                search=f"{item.text} {' '.join(item.people)} {item.owner or ''} next step plan meeting upcoming",
            )
        )
    for item in deal.mutual_action_plan:  # the plan's steps whose day passed undone: what a rebuilt plan rebooks
        if not item.overdue(as_of):
            continue
        out.append(
            Fact(
                kind="missed",
                key=f"missed:{item.date}:{item.action[:40]}",
                date=item.date,
                text=item.action,
                data={"what": "missed_step", "people": [], "owner": item.owner},
                search=f"{item.action} {item.owner or ''} plan step missed late overdue",
            )
        )
    out.append(_close(deal, assessment))
    for name, element in facts.elements.items():
        out.append(
            Fact(
                kind="element",
                key=f"element:{name}",
                name=name,
                text=element.note,
                data={"grade": element.grade, "claim": element.claim, "record": list(element.record[:2])},
                search=f"{name.replace('_', ' ')} {element.note or ''} {' '.join(element.record)}",
            )
        )
    for activity in facts.activities:
        if activity.date > as_of or not activity.summary:
            continue
        out.append(
            Fact(
                kind="activity",
                key=f"activity:{activity.date}:{activity.type}:{activity.summary[:30]}",
                date=activity.date,
                text=activity.summary,
                data={
                    "type": activity.type,
                    "status": activity.status,
                    "people": list(activity.people),
                    "two_way": activity.two_way,
                    "signals": list(activity.signals),
                },
                search=f"{activity.type} {activity.summary} {' '.join(activity.people)}",
            )
        )
    out += _notes(deal)
    missing = next((f for f in assessment.findings if f.code == "committee.missing_role"), None)
    if missing is not None:
        roles = missing.data.get("missing") or []
        out.append(
            Fact(
                kind="missing_role",
                key="missing_role",
                data={"roles": [str(r) for r in roles] if isinstance(roles, list) else [str(roles)]},
                search="missing role buying committee economic buyer technical buyer user buyer",
            )
        )
    out.append(
        Fact(
            kind="tier",
            key="tier",
            data={"tier": assessment.tier, "fit": _v(deal.fit), "amount": deal.amount, "currency": deal.currency},
            search="tier fit icp account size worth",
        )
    )
    return out


def _aliases(title: str | None) -> list[str]:
    """What a rep calls someone by their title, lower case: the title's own abbreviations ("EVP Supply Chain"
    -> evp, "CFO" -> cfo) and the initials of a chief's title ("Chief Revenue Officer" -> cro); two-letter
    ones ("VP", "IT") are left out, since "my VP" is the rep's own manager."""
    words = (title or "").replace(",", " ").split()
    out = [w.lower() for w in words if len(w) >= ALIAS_LETTERS and w.isupper() and w.isalpha()]
    if len(words) >= ALIAS_LETTERS and words[0].lower() == "chief":
        out.append("".join(w[0] for w in words if w[0].isupper()).lower())
    return list(dict.fromkeys(out))


def _present_at(activities: Any, name: str, day: dt.date | None) -> list[str]:
    """Who was in the activity where a competitor first appeared (the record names them there)."""
    lowered = name.lower()
    for activity in activities:
        if activity.date == day and lowered in (activity.summary or "").lower():
            return list(activity.people)
    return []


def _deal(deal: Deal, assessment: Any) -> Fact:
    return Fact(
        kind="deal",
        key="deal",
        name=deal.account,
        date=deal.close_date,
        text=deal.name,
        data={
            "amount": deal.amount,
            "currency": deal.currency,
            "stage": _v(deal.stage),
            "health": assessment.health,
            "owner": deal.owner,
        },
        search=f"{deal.account} {deal.name or ''} amount value stage {_v(deal.stage)}",
    )


def _forecast(deal: Deal, assessment: Any) -> Fact:
    return Fact(
        kind="forecast",
        key="forecast",
        data={
            "recommended": _v(assessment.recommended_forecast),
            "claimed": _v(deal.forecast_category) if deal.forecast_category else None,
            "probability": deal.probability,
            "health": assessment.health,
            "why_not_commit": list(assessment.why_not_commit),
            "period": getattr(assessment.period, "label", None),
            "later": _v(assessment.later_forecast) if assessment.later_forecast else None,
            "later_period": assessment.later_period,
            "open": deal.is_open,
        },
        search="forecast commit best case pipeline category probability gate",
    )


def _close(deal: Deal, assessment: Any) -> Fact:
    facts = assessment.facts
    changes = [
        {"date": c.date.isoformat(), "before": str(c.before) if c.before else None, "after": str(c.after)}
        for c in facts.close_date_changes
    ]
    days = (deal.close_date - assessment.as_of).days if deal.close_date else None
    return Fact(
        kind="close_date",
        key="close_date",
        date=deal.close_date,
        data={"days": days, "changes": changes, "pushes": facts.pushes},
        search="close date timeline slip pushed sign by year end quarter " + " ".join(c["date"] for c in changes),
    )


_KIND_KEYS: dict[str, Any] = {
    "deal": lambda f, deal: f.kind == "deal",
    "forecast": lambda f, deal: f.kind == "forecast",
    "people": lambda f, deal: f.kind == "person",
    "committee": lambda f, deal: f.kind in ("person", "missing_role"),
    "champion": lambda f, deal: f.kind == "person" and f.data.get("role") == "champion",
    "economic_buyer": lambda f, deal: f.kind == "person" and f.data.get("role") == "economic_buyer",
    "competitors": lambda f, deal: f.kind == "competitor",
    "next_step": lambda f, deal: f.kind == "dated" and f.data.get("what") == "next_step",
    "missed": lambda f, deal: f.kind == "missed",
    "close_date": lambda f, deal: f.kind == "close_date",
    "proposal": lambda f, deal: f.kind == "activity" and f.data.get("type") == "proposal",
    "demos": lambda f, deal: f.kind == "activity" and f.data.get("type") == "demo",
    "handoff": lambda f, deal: f.kind == "activity" and not deal.is_open,
    "users": lambda f, deal: f.kind == "person" and f.data.get("role") == "user_buyer",
    "tier": lambda f, deal: f.kind == "tier",
}


def facts_of_kind(
    kind: str, facts: list[Fact], deal: Deal, topics: Mapping[str, list[str]] | None = None
) -> list[Fact]:
    """The facts a lexicon fact kind names; a MEDDPICC kind (``metrics``, ``champion_element``) is the element;
    ``recent`` is what happened last (activities, latest first); when none of those is two-way, the last one
    is the buyer's last reply instead; ``upcoming`` lists one item per date before a second on the same day;
    a lexicon topic (``topics``: kind -> words) is every fact whose own words hold one of its words."""
    if topics and kind in topics:  # the fact that says most about the topic first
        held = [(f, _held(f.text, topics[kind])) for f in facts if f.text]
        return [f for f, n in sorted(held, key=lambda pair: -pair[1]) if n]
    if kind == "recent":  # and the buyer's last reply when the latest touches went unanswered
        latest = sorted((f for f in facts if f.kind == "activity"), key=lambda f: f.date or dt.date.min, reverse=True)
        replied = [f for f in latest if f.data.get("two_way")][:1]
        if not replied or replied[0] in latest[:RECENT]:
            return latest[:RECENT]
        return latest[: RECENT - 1] + replied
    if kind == "upcoming":  # the next dates first: a plan step and the next step on one day say one thing
        dated = [f for f in facts if f.kind == "dated"]
        firsts = list({f.date: f for f in reversed(dated)}.values())[::-1]
        return firsts + [f for f in dated if f not in firsts]
    if kind == "figures":  # the buyer's own numbers, the baseline and results a success plan is written from
        counted = [(f, _figures(f)) for f in facts if f.kind == "activity" and f.data.get("two_way")]
        return [f for f, n in sorted(counted, key=lambda pair: -pair[1]) if n]
    if kind == "quiet":  # the buying group's others not heard from in a month: what a clean deal can still trip on
        return [f for f in _others(facts) if f.data.get("days") is None or f.data["days"] >= QUIET_DAYS]
    if kind == "threads":  # who else on their side still talks to us: the way round a champion gone quiet
        near = [f for f in _others(facts) if f.data.get("days") is not None and f.data["days"] < QUIET_DAYS]
        return sorted(near, key=lambda f: f.data["days"])
    if kind == "case":  # the buyer's own numbers for the pain or the metric: the reason a signer gives time
        return [f for f in facts if f.kind == "element" and f.name in _CASE and _figures(f)]
    if kind in _KIND_KEYS:
        return [f for f in facts if _KIND_KEYS[kind](f, deal)]
    element = kind.removesuffix("_element")
    return [f for f in facts if f.kind == "element" and f.name == element]


def _others(facts: list[Fact]) -> list[Fact]:
    """The buyer-side people besides the champion and the signer, who are still there."""
    return [
        f
        for f in facts
        if f.kind == "person" and f.data.get("role") not in ("champion", "economic_buyer") and not f.data.get("left")
    ]


QUIET_DAYS = 30
"""Days without a two-way exchange after which someone of the buying group counts as not heard from (ae-coach
default)."""
_CASE = ("identified_pain", "metrics")
"""The elements whose notes hold the buyer's case in their own numbers ("No-shows cost about $60k a month")."""


def _figures(fact: Fact) -> int:
    """How many figures an exchange with the buyer records ("losses $610k last year, up 40%"); none in a proposal
    (our price) or a sentence about a benchmark or another customer."""
    from ae_coach.coach._situation import NUMBER

    if fact.data.get("type") == "proposal":
        return 0
    sentences = [s for s in text.points(fact.text) if not _NOT_BUYERS.search(s)]
    return sum(len(NUMBER.findall(s)) for s in sentences)


_NOT_BUYERS = re.compile(
    r"\bbenchmark|\bindustry (?:average|standard)|\bcase stud|行业基准|行业平均|案例", re.IGNORECASE
)


def _held(text: str, words: list[str]) -> int:
    """How many of ``words`` ``text`` holds (an English word as a token, a Chinese one as written)."""
    from ae_coach.rules.search import tokenize

    tokens = set(tokenize(text))
    squeezed = "".join(text.lower().split())
    return sum(1 for w in words if set(tokenize(w)) <= tokens or "".join(w.lower().split()) in squeezed)
