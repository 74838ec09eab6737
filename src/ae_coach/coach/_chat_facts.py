"""What the deal itself says about a chat question: topics, and the facts each topic pulls from the deal.

The offline chat used to answer every question from rule text retrieved by word match, which handled
"how do I handle the Clari comparison?" with the land-and-expand rule and "is this commit?" without the
deal's own forecast gate. An AE's questions fall into a handful of topics a sales manager recognises
(the forecast call, the next meeting, the champion, the economic buyer, competition, pricing, the close
date, the buying committee, the paper process, overall risk). Each :class:`Topic` names the question
words that select it, the finding codes that bear on it, the rules to quote, and a function that
reads the deal's own facts for it. When the question names something the deal never mentions, the
answer says so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ae_coach.inspector import text

if TYPE_CHECKING:
    from ae_coach.deal import Deal, Stakeholder

MAX_TOPICS = 2


@dataclass(frozen=True)
class Ask:
    """One chat question with what answering it needs."""

    deal: Deal
    assessment: Any
    question: str
    review: Callable[[], Any]  # the offline review, built only when a topic needs it


def _v(x: Any) -> str:
    return str(getattr(x, "value", x))


def _grade(ask: Ask, element: str) -> str:
    names = ("unknown", "rep-asserted", "buyer-confirmed", "validated in writing")
    grade = ask.assessment.meddpicc.get(element, 0)
    evidence = getattr(ask.deal.meddpicc, element).evidence
    return f"{names[grade]} (grade {grade})" + (f': "{evidence}"' if evidence else "")


def _person(ask: Ask, s: Stakeholder) -> str:
    last = _last_contact(ask, s)
    bits = [s.title, _v(s.role).replace("_", " ") if _v(s.role) != "unknown" else "role not recorded"]
    contact = (
        f"last contact {last.isoformat()} ({(ask.assessment.as_of - last).days} days ago)"
        if last
        else "no contact on record"
    )
    return f"{s.name} ({', '.join(b for b in bits if b)}): {'engaged' if s.engaged else 'not engaged'}, {contact}"


def _last_contact(ask: Ask, s: Stakeholder) -> dt.date | None:
    dates = [
        a.date
        for a in ask.deal.activities
        if _v(a.status) == "completed" and a.date <= ask.assessment.as_of and s.name in a.with_
    ]
    if s.last_contact and s.last_contact <= ask.assessment.as_of:
        dates.append(s.last_contact)
    return max(dates) if dates else None


def _mentions(ask: Ask, pattern: re.Pattern[str]) -> list[str]:
    """Activities, plan steps and the next step whose text matches ``pattern``, newest first."""
    out = [
        f'{a.date.isoformat()} {_v(a.type)} ({_v(a.status)}): "{a.summary}"'
        for a in sorted(ask.deal.activities, key=lambda a: a.date, reverse=True)
        if a.summary and pattern.search(a.summary)
    ]
    out += [
        f'plan step {p.date.isoformat() if p.date else "undated"} ({_v(p.status)}): "{p.action}"'
        for p in ask.deal.mutual_action_plan
        if pattern.search(p.action)
    ]
    step = ask.deal.next_step
    if step and pattern.search(step.action):
        out.append(f'next step: "{step.action}"' + (f" on {step.date.isoformat()}" if step.date else " (no date)"))
    return out[:3]


# --- facts per topic --------------------------------------------------------------------------------


def _forecast(ask: Ask) -> list[str]:
    a, deal = ask.assessment, ask.deal
    claimed = (
        f"; the deal is forecast as {_v(deal.forecast_category).replace('_', ' ')}" if deal.forecast_category else ""
    )
    out = [f"The evidence supports {_v(a.recommended_forecast).replace('_', ' ')}{claimed} (health {a.health}/100)."]
    out += [f"Not Commit: {reason}" for reason in a.why_not_commit[:5]]
    if len(a.why_not_commit) > 5:
        out.append(f"… and {len(a.why_not_commit) - 5} more unmet Commit conditions (/findings lists them).")
    if not a.why_not_commit and deal.is_open:
        out.append("It passes every condition of the Commit gate.")
    return out


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _upcoming(ask: Ask) -> list[tuple[dt.date, str]]:
    as_of, deal = ask.assessment.as_of, ask.deal
    items = [
        (a.date, f"{_v(a.type)} with {', '.join(a.with_) or 'the buyer'}" + (f': "{a.summary}"' if a.summary else ""))
        for a in deal.activities
        if a.date >= as_of and _v(a.status) == "scheduled"
    ]
    if deal.next_step and deal.next_step.date and deal.next_step.date >= as_of:
        items.append((deal.next_step.date, f'next step: "{deal.next_step.action}"'))
    items += [
        (p.date, f'plan step: "{p.action}"')
        for p in deal.mutual_action_plan
        if p.date and p.date >= as_of and _v(p.status) in ("planned", "late", "blocked")
    ]
    return sorted(items)


def _prep(ask: Ask) -> list[str]:
    out = []
    upcoming = _upcoming(ask)
    day = next((d for d in _WEEKDAYS if d in ask.question.lower()), None)
    if day and not any(_WEEKDAYS[d.weekday()] == day for d, _ in upcoming):
        out.append(
            f"The deal has nothing on record for a {day.title()}; ae-coach cannot see that call, so the "
            "preparation below comes from the deal as a whole."
        )
    if upcoming:
        date, what = upcoming[0]
        out.append(f"Next on the calendar: {date.isoformat()} ({_WEEKDAYS[date.weekday()].title()}), {what}.")
    else:
        out.append("Nothing dated is on the calendar: leave the next meeting with a dated, owned next step.")
    report = ask.review()
    for action in report.next_actions[:3]:
        who = f" with {action.contact}" if action.contact else ""
        out.append(f"Before it{who}: {action.action} (due {action.due.isoformat()}) [{action.rule_id}]")
    buyer = [q for q in report.questions if q.role != "ae"][:2]
    out += [f'Ask{f" {q.stakeholder}" if q.stakeholder else ""}: "{q.question}"' for q in buyer]
    return out


def _champion(ask: Ask) -> list[str]:
    champions = ask.deal.stakeholders_with(_role("champion"))
    if not champions:
        coaches = [s.name for s in ask.deal.stakeholders_with(_role("coach"))]
        return [
            "The deal names no champion"
            + (f"; {', '.join(coaches)} is recorded as a coach, which is not a champion" if coaches else "")
            + "."
        ]
    out = [_person(ask, s) for s in champions]
    out.append(f"MEDDPICC champion: {_grade(ask, 'champion')}.")
    out += _mentions(
        ask, re.compile(r"run (?:this|it) by|take it to|get back to you|rescheduled|moved|cancel", re.IGNORECASE)
    )
    return out


def _economic_buyer(ask: Ask) -> list[str]:
    ebs = ask.deal.stakeholders_with(_role("economic_buyer"))
    out = [_person(ask, s) for s in ebs] or ["No stakeholder holds the economic-buyer role."]
    if not ebs:  # once someone holds the role, a title alone proves nothing either way
        out += [
            f"{_person(ask, s)}; a senior title is not budget authority: confirm who signs"
            for s in ask.deal.stakeholders
            if s.title and text.find(text.SENIOR_TITLE, s.title)
        ]
    out.append(f"MEDDPICC economic buyer: {_grade(ask, 'economic_buyer')}.")
    out += _mentions(
        ask, re.compile(r"\b(?:CFO|CEO|COO|economic buyer|budget holder|signs|signed|signature)\b", re.IGNORECASE)
    )
    champions = ask.deal.stakeholders_with(_role("champion"))
    if champions and not ebs:
        out.append(f"Your route in is the champion, {champions[0].name}.")
    return out


def _competition(ask: Ask) -> list[str]:
    deal = ask.deal
    out = [
        "Competitors on record: "
        + ", ".join(
            f"{c.name} ({_v(c.status)}" + (f", added {c.added.isoformat()}" if c.added else "") + ")"
            for c in deal.competitors
        )
        + "."
        if deal.competitors
        else "No competitor is listed on the deal."
    ]
    out.append(f"Situation: {_v(deal.situation)}; MEDDPICC competition: {_grade(ask, 'competition')}.")
    names = [re.escape(c.name) for c in deal.competitors]
    if names:
        out += _mentions(ask, re.compile("|".join(names), re.IGNORECASE))
    return out


def _pricing(ask: Ask) -> list[str]:
    deal = ask.deal
    sent = [a for a in deal.activities if _v(a.type) == "proposal" and _v(a.status) == "completed"]
    out = [
        f'Pricing already went out: {sent[-1].date.isoformat()} "{sent[-1].summary or "proposal"}".'
        if sent
        else "No proposal is on record yet."
    ]
    checks = {
        "identified_pain": "pain",
        "metrics": "metric",
        "economic_buyer": "economic buyer",
        "decision_criteria": "decision criteria",
    }
    missing = [
        f"{label} is {_grade(ask, name).split(':')[0]}"
        for name, label in checks.items()
        if ask.assessment.meddpicc.get(name, 0) < 2
    ]
    out.append(
        "Before pricing, each of pain, metric, economic buyer and criteria should be buyer-confirmed: "
        + ("; ".join(missing) + "." if missing else "all four are.")
    )
    return out


def _demo(ask: Ask) -> list[str]:
    deal = ask.deal
    demos = sorted((a for a in deal.activities if _v(a.type) == "demo"), key=lambda a: a.date)
    done = [a for a in demos if _v(a.status) == "completed"]
    booked = [a for a in demos if _v(a.status) == "scheduled"]
    out = []
    if done:
        first = done[0]
        discovery = [
            a
            for a in deal.activities
            if _v(a.type) in ("call", "meeting") and _v(a.status) == "completed" and a.date < first.date
        ]
        out.append(
            f'Demo given {first.date.isoformat()}: "{first.summary or "demo"}"'
            + ("." if discovery else ", with no discovery call or meeting before it.")
        )
    if booked:
        out.append(
            f"Demo booked {booked[0].date.isoformat()}"
            + (f" with {', '.join(booked[0].with_)}" if booked[0].with_ else "")
            + "."
        )
    if not demos:
        out.append("No demo is on record yet.")
    out.append(f"Pain the demo must show: {_grade(ask, 'identified_pain')}.")
    out.append(f"Metric it should move: {_grade(ask, 'metrics')}.")
    return out


def _close_date(ask: Ask) -> list[str]:
    deal, as_of = ask.deal, ask.assessment.as_of
    if deal.close_date is None:
        return ["The deal has no close date."]
    days = (deal.close_date - as_of).days
    when = f"{days} days away" if days >= 0 else f"passed {-days} days ago"
    pushes = [c for c in deal.history if c.field == "close_date"]
    out = [f"Close date {deal.close_date.isoformat()} ({when})."]
    if pushes:
        out.append(
            f"Changed {len(pushes)} time{'s' if len(pushes) != 1 else ''}: "
            + "; ".join(f"{c.date.isoformat()} {c.from_} -> {c.to}" for c in pushes)
            + "."
        )
    return out


def _committee(ask: Ask) -> list[str]:
    out = [_person(ask, s) for s in ask.deal.stakeholders] or ["No stakeholders are on record."]
    missing = next((f for f in ask.assessment.findings if f.code == "committee.missing_role"), None)
    if missing:
        out.append(missing.title + ".")
    return out


def _paper(ask: Ask) -> list[str]:
    out = [f"MEDDPICC paper process: {_grade(ask, 'paper_process')}."]
    out += _mentions(
        ask, re.compile(r"legal|security|procurement|contract|redline|order form|\bPO\b|MSA|DPA", re.IGNORECASE)
    )
    return out


def _signals(ask: Ask) -> list[str]:
    positive = [f for f in ask.assessment.findings if f.code.startswith("positive.")]
    out = [f"{f.title}: {f.evidence[0]}" for f in positive[:4]]
    return out or ["None of the seven positive signals is on record yet."]


def _qualification(ask: Ask) -> list[str]:
    a, deal = ask.assessment, ask.deal
    touches = [
        x.date for x in deal.activities if _v(x.status) == "completed" and x.date <= a.as_of and _v(x.type) != "note"
    ]
    last = (
        f"last buyer activity {max(touches).isoformat()} ({(a.as_of - max(touches)).days} days ago)"
        if touches
        else "no buyer activity on record"
    )
    category = _v(a.recommended_forecast).replace("_", " ")
    return [
        f"Tier {a.tier}, fit {_v(deal.fit)}; {last}; health {a.health}/100, the evidence supports {category}.",
        f"MEDDPICC identified pain: {_grade(ask, 'identified_pain')}; economic buyer: {_grade(ask, 'economic_buyer')}.",
        _verdict(ask),
    ]


DECIDE_BY_DAYS = 14
"""Days from today to the date by which an open qualification test must pass, or the deal is closed out
(ae-coach default)."""


def _verdict(ask: Ask) -> str:
    """pipeline-disqualify-early's three tests (fit, pain, access) on this deal's record, and what follows."""
    a, deal = ask.assessment, ask.deal
    fit = _v(deal.fit)
    if fit == "poor":
        return "Fit fails (poor fit): disqualify it, or route it to self-serve or a partner."
    tests = {
        "fit": fit in ("good", "strong"),
        "pain": a.meddpicc.get("identified_pain", 0) >= 2,
        "access to the person who signs": a.meddpicc.get("economic_buyer", 0) >= 2,
    }
    open_tests = [name for name, ok in tests.items() if not ok]
    if not open_tests:
        if a.tier == 4:
            return (
                "Fit, pain and access hold, but it is tier 4: worth closing, not worth enterprise selling time; "
                "serve it through self-serve or a partner."
            )
        serious = any(f.severity.rank <= 2 and not f.code.startswith("positive.") for f in a.findings)
        return "Fit, pain and access all hold on the record: not a walk-away" + (
            "; fix the findings below instead." if serious else "; keep working it."
        )
    by = a.as_of + dt.timedelta(days=DECIDE_BY_DAYS)
    held = " and ".join(name for name, ok in tests.items() if ok)
    one = len(open_tests) == 1
    return (
        f"Not a walk-away yet{f' ({held} hold)' if held else ''}, but {' and '.join(open_tests)} "
        f"{'is' if one else 'are'} not proven: make {'it' if one else 'them'} the test, and close the deal out "
        f"if {'it does' if one else 'they do'} not pass by {by.isoformat()} (ae-coach default: {DECIDE_BY_DAYS} days)."
    )


def _after_close(ask: Ask) -> list[str]:
    deal = ask.deal
    won = next((c.date for c in deal.history if c.field == "stage" and str(c.to) == "closed_won"), deal.close_date)
    out = [f"Closed won{f' on {won.isoformat()}' if won else ''}."]
    handoff = _mentions(
        ask, re.compile(r"hand-?off|kick-?off|onboard|customer success|\bCSM\b|success plan", re.IGNORECASE)
    )
    out += handoff or ["No kick-off, onboarding or success plan is on record."]
    out += [_person(ask, s) for s in deal.stakeholders_with(_role("champion"))]
    return out


def _overall(ask: Ask) -> list[str]:
    from ae_coach.inspector.priority import ranked

    a = ask.assessment
    out = [f"Health {a.health}/100; the evidence supports {_v(a.recommended_forecast).replace('_', ' ')}."]
    worst = [f for f in ranked(a.findings) if f.severity.rank <= 2 and not f.code.startswith("positive.")][:3]
    out += [f"Risk: {f.title}." for f in worst] or ["No serious gap found."]
    return out


def _role(name: str) -> Any:
    from ae_coach.deal import Role

    return Role(name)


@dataclass(frozen=True)
class Topic:
    """A kind of question an AE asks, and where its answer comes from."""

    name: str
    pattern: re.Pattern[str]
    codes: tuple[str, ...]
    rules: tuple[str, ...]
    facts: Callable[[Ask], list[str]]


def _t(name: str, words: str, codes: str, rules: str, facts: Callable[[Ask], list[str]]) -> Topic:
    return Topic(name, re.compile(words, re.IGNORECASE), tuple(codes.split()), tuple(rules.split()), facts)


SILENCE_WORDS = (
    r"went quiet|gone (?:dark|quiet)|ghost|not (?:responding|replying)|no reply|silent|radio silence|"
    r"stopped (?:replying|responding|answering)|(?:won't|doesn't|isn't) (?:reply|respond|answer)|not getting back"
)
"""How an AE says someone has gone quiet."""

TOPICS: tuple[Topic, ...] = (
    _t(
        "the forecast call",
        r"\bcommit\b|forecast|best case|\bcall it\b|will (?:it|this) close|is (?:this|it) real",
        # what blocks Commit is part of the answer: the gate's MEDDPICC elements and the dated next step
        "anti.forecast_fantasy anti.happy_ears momentum.close_date_passed momentum.close_date_slipped "
        "meddpicc.economic_buyer meddpicc.champion meddpicc.decision_process meddpicc.paper_process meddpicc.metrics "
        "momentum.no_dated_next_step anti.hoping_not_controlling",
        "pipeline-commit-gate pipeline-forecast-categories",
        _forecast,
    ),
    _t(
        "buying signals",
        r"good sign|bad sign|\bsignals?\b|reference calls?|references",
        "positive.references_requested positive.economic_buyer_engaged positive.champion_scheduled "
        "positive.internal_docs_shared positive.implementation_questions positive.procurement_timeline "
        "positive.legal_security_review",
        "deal-positive-signals account-references-and-advocacy",
        _signals,
    ),
    _t(
        "the demo",
        r"\bdemos?\b|\bpoc\b|proof of concept|\bpilot\b|product tour|show (?:them|the product)",
        "anti.demo_before_discovery anti.feature_dumping meddpicc.identified_pain",
        "deal-demo-to-pain deal-discovery-before-demo",
        _demo,
    ),
    _t(
        "the next meeting",
        r"\bbefore (?:the|my|our|next|this|monday|tuesday|wednesday|thursday|friday)|\bprep|"
        r"(?:monday|tuesday|wednesday|thursday|friday)'?s? (?:call|meeting)|next (?:call|meeting)|what should i do",
        "momentum.no_dated_next_step anti.hoping_not_controlling",
        "execution-dated-next-step deal-mutual-action-plan",
        _prep,
    ),
    _t(
        "the champion",
        r"champion|" + SILENCE_WORDS,
        "momentum.champion_dark momentum.pending_internal_review meddpicc.champion anti.neglecting_champion",
        "relationship-champion-gone-dark relationship-champion-vs-coach relationship-champion-enablement",
        _champion,
    ),
    _t(
        "pricing",
        r"pric|proposal|quote|discount|\bnumbers?\b|budget|expensive|too high|\bcost",
        "anti.proposal_too_early momentum.budget_concern_late",
        "deal-proposal-timing deal-pricing-negotiation",
        _pricing,
    ),
    _t(
        "the economic buyer",
        r"\b(?:cfo|ceo|coo|cio|cro)\b|economic buyer|signer|who signs|sign[- ]off|budget holder|"
        r"\bexec(?:utive)?s?\b|decision[- ]maker",
        "meddpicc.economic_buyer committee.missing_role positive.economic_buyer_engaged",
        "deal-economic-buyer relationship-executive-access",
        _economic_buyer,
    ),
    _t(
        "competition",
        r"compet|comparison|compare|\bvs\.?\b|versus|alternative|incumbent|bake-?off|displac|"
        r"status quo|\bbeat\b|\bagainst\b|switch",
        "meddpicc.competition momentum.competitor_late anti.ignoring_competition competition.positioning",
        "deal-competitive-positioning deal-competitive-displacement deal-competition-mapping",
        _competition,
    ),
    _t(
        "the close date",
        r"close date|slip|push(?:ed|ing)? (?:the|it|out)|timeline|when will|year[- ]end|quarter[- ]end|"
        r"end of (?:the )?(?:year|quarter|month)|by (?:the )?end of|\bin time\b",
        "momentum.close_date_slipped momentum.close_date_passed",
        "pipeline-close-date-discipline deal-mutual-action-plan",
        _close_date,
    ),
    _t(
        "the buying committee",
        r"stakeholder|multi-?thread|who else|committee|single[- ]thread|one contact",
        # an unmet economic buyer is the committee's most important gap, whatever the stage requires yet
        "anti.single_threading committee.missing_role momentum.late_stakeholder meddpicc.economic_buyer",
        "relationship-multi-threading relationship-buying-committee",
        _committee,
    ),
    _t(
        "the paper process",
        r"\blegal\b|security|procurement|contract|paper|redline|\bpo\b|msa|dpa",
        "meddpicc.paper_process positive.legal_security_review positive.procurement_timeline",
        "deal-paper-process",
        _paper,
    ),
    _t(
        "after the signature",
        r"\bsigned\b|closed|\bwon\b|hand-?off|hand over|kick-?off|onboard|implementation|"
        r"renewal|expand|upsell|reference",
        "anti.post_close_abandonment positive.references_requested",
        "account-post-close-handoff account-land-and-expand account-references-and-advocacy",
        _after_close,
    ),
    _t(
        "qualification",
        r"disqualif|walk away|kill (?:this|the|it)|close (?:it|this) (?:out|lost)|worth (?:it|pursuing|chasing)|"
        r"waste of time|still (?:real|alive)",
        "momentum.stale momentum.champion_dark meddpicc.identified_pain meddpicc.economic_buyer account.tier",
        "pipeline-disqualify-early deal-stalled-recovery",
        _qualification,
    ),
    _t(
        "overall risk",
        r"\brisk|worr|biggest|health|how (?:is|does|are) (?:this|the|it|we)|status|summary|where do we stand",
        "",
        "",
        _overall,
    ),  # no codes or rules of its own: the answer uses the deal's worst findings
)


def topics_for(question: str, deal: Deal | None = None) -> list[Topic]:
    """The topics a question is about, in table order (at most :data:`MAX_TOPICS`).

    Naming one of the deal's competitors makes it a competition question first ("the Zendesk discount"
    is about the incumbent, not about our pricing); "signed" is about the handoff only once the deal is won.
    """
    found = [t for t in TOPICS if t.pattern.search(question)]
    if deal is not None:
        won = _v(deal.stage) == "closed_won"
        found = [t for t in found if t.facts is not _after_close or won]
        found.sort(key=lambda t: t.facts is not _after_close)  # stable: after a win, the handoff first
        named = any(re.search(rf"\b{re.escape(c.name)}\b", question, re.IGNORECASE) for c in deal.competitors)
        competition = next(t for t in TOPICS if t.facts is _competition)
        if named:
            found = [competition] + [t for t in found if t is not competition]
    return found[:MAX_TOPICS]


_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9&-]{2,}\b")
_COMMON = frozenset(
    [
        "I",
        "I'm",
        "I've",
        "What",
        "When",
        "Where",
        "Who",
        "Why",
        "How",
        "Which",
        "Should",
        "Could",
        "Would",
        "Can",
        "Is",
        "Are",
        "Do",
        "Does",
        "Did",
        "Will",
        "The",
        "This",
        "That",
        "Any",
        "And",
        "But",
        "For",
        "From",
        "With",
        "Our",
        "Their",
        "Your",
        "My",
        "We",
        "They",
        "He",
        "She",
        "It",
        "Before",
        "After",
        "Next",
        "Friday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "CFO",
        "CEO",
        "COO",
        "CIO",
        "CTO",
        "CRO",
        "VP",
        "MEDDPICC",
        "MAP",
        "ROI",
        "PO",
        "MSA",
        "DPA",
        "SOC",
        "EB",
        "AE",
        "SE",
        "CRM",
        "QBR",
        "OK",
        "Thanks",
        "Please",
        "Help",
        "Tell",
        "Give",
        "Get",
        "Let",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]
)


def unknown_names(question: str, deal: Deal) -> list[str]:
    """Capitalised names in the question (a product, a person) that appear nowhere in the deal record."""
    record = deal.model_dump_json(by_alias=True).lower()
    out = []
    # the first word of a sentence is capitalised anyway ("Legal wants…"): only names mid-sentence count
    words = [
        m.group(0) for m in _CAPITALISED.finditer(question) if not re.search(r"(?:^|[.!?]\s+)$", question[: m.start()])
    ]
    for word in words:
        if word not in _COMMON and word.lower() not in record and word not in out:
            out.append(word)
    return out
