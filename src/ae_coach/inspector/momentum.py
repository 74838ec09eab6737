"""Momentum: the seed's danger signals plus staleness and close-date discipline. Open deals only.

Thresholds are :class:`ae_coach.inspector.settings.Settings` fields (stale days by stage, champion dark days,
reschedule window, late-stakeholder stages, pending-review follow-up days, slip counts).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ae_coach._patterns import lazy
from ae_coach.deal import Activity, ActivityStatus, ActivityType, Direction, Role, Signal, Stage
from ae_coach.deal.calendar import Calendar, holidays_country
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import t
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, describe, plural, stage_word, times
from ae_coach.inspector.facts import ActivityFact, PersonFact, as_date, said_by
from ae_coach.inspector.facts._model import _Names

_LATE = (Stage.PROPOSAL, Stage.CLOSING)


def inspect(ctx: Context) -> list[Finding]:
    """Every momentum finding that holds for an open deal."""
    if not ctx.deal.is_open:
        return []
    checks = (
        _stale,
        _no_dated_next_step,
        _rescheduled,
        _champion_dark,
        _unanswered,
        _pending_review,
        _competitor_late,
        _competitor_counter,
        _concession_floated,
        _budget_late,
        _company_event,
        _slipped,
        _passed,
        _close_date_day_off,
    )
    found = [f for check in checks if (f := check(ctx)) is not None]
    late = _late_stakeholder(ctx, found)  # after the rest: what a newcomer said may be a finding of its own
    found += [late] if late is not None else []
    quiet = ctx.facts.timing.quiet_period
    if quiet:
        found = [_in_quiet_period(f, quiet) if f.code in _SILENCE else f for f in found]
    return found


_SILENCE = ("momentum.stale", "momentum.champion_dark", "momentum.unanswered_outreach")
"""Findings that read silence as danger: during the buyer's own quiet period the silence is their process."""


def _in_quiet_period(finding: Finding, quiet: str) -> Finding:
    evidence = [*finding.evidence, f"the buyer's quiet period forbids contact ({quiet}): silence is their process"]
    return finding.model_copy(update={"severity": Severity.LOW, "evidence": evidence})


def _stale(ctx: Context) -> Finding | None:
    limit = ctx.settings.stale_days[ctx.stage]
    last = ctx.last_touch or ctx.deal.created
    if last is None:
        return ctx.finding(
            "momentum.stale",
            Severity.MEDIUM,
            "No completed buyer activity on record",
            ["activities: none completed"],
            days=None,
            limit=limit,
        )
    days = ctx.days_since(last)
    if days <= limit:
        return None
    handed = ctx.facts.handed_over
    if handed and handed > last and ctx.days_since(handed) <= limit and ctx.dated_next_step:
        return None  # the buyer is trying what we gave them, and the check-in after it is booked
    severity = Severity.HIGH if days > 2 * limit else Severity.MEDIUM
    source = (
        f"last two-way contact {describe(ctx.two_way[-1])}"
        if ctx.two_way and ctx.two_way[-1].date == ctx.last_touch
        else f"last two-way contact {last} (the CRM's last-contact date)"
        if ctx.last_touch
        else f"created {last} and no two-way contact since"
    )
    return ctx.finding(
        "momentum.stale",
        severity,
        f"No two-way contact with the buyer for {days} days (limit at {ctx.stage.value}: {limit})",
        [source],
        days=days,
        limit=limit,
        omit=days >= ctx.settings.omit_dark_days,
    )


def _no_dated_next_step(ctx: Context) -> Finding | None:
    if not ctx.settings.next_step_required or ctx.dated_next_step:
        return None
    step = ctx.deal.next_step
    if step is None:
        evidence = ["next_step: none recorded, and no scheduled activity"]
    elif step.date is None:
        evidence = [f"next_step: {text.quote(step.action)} has no date"]
    else:
        evidence = [
            f"next_step: {text.quote(step.action)} was due {step.date.isoformat()}, before {ctx.as_of.isoformat()}"
        ]
    evidence += [f"no date given: {describe(a)}" for a in ctx.with_signal(Signal.NO_NEXT_DATE)[-2:]]
    committed = ctx.facts.timing.committed
    if committed:
        evidence.append(f"the signer's own word dates it: {committed}")
    # the rep's bookkeeping, never a danger by itself: medium at any stage (what the buyer is doing is not in it),
    # low when the signer has said when they sign (the CRM is behind the deal, not the deal behind)
    severity = Severity.LOW if committed else Severity.MEDIUM
    return ctx.finding("momentum.no_dated_next_step", severity, "No dated next step", evidence)


def _rescheduled(ctx: Context) -> Finding | None:
    since = ctx.as_of - dt.timedelta(days=ctx.settings.reschedule_window_days)
    bad = (ActivityStatus.RESCHEDULED, ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)
    hits = [a for a in ctx.activities if a.status in bad and since <= a.date <= ctx.as_of]
    if not hits:
        return None
    harsh = any(a.status != ActivityStatus.RESCHEDULED for a in hits)
    senior = {
        s.name for s in ctx.deal.stakeholders if s.role == Role.ECONOMIC_BUYER or text.find(text.SENIOR_TITLE, s.title)
    }
    # the executive whose meeting it was, in it or named in it ("Annabel has had to clear her diary", from her EA)
    named = _Names(sorted(senior))
    executive = sorted({name for a in hits for name in [*a.with_, *named.mentioned_in(a.summary)] if name in senior})
    rebooked = any(
        a.status == ActivityStatus.SCHEDULED and a.date > ctx.as_of and set(a.with_) & set(executive)
        for a in ctx.activities
    )
    if len(hits) >= ctx.settings.reschedule_high_count or (executive and harsh and not rebooked):
        # or a meeting with the signer called off (cancelled, missed) and not rebooked: the decision has no date
        severity = Severity.HIGH
    elif len(hits) >= 2 or harsh:
        severity = Severity.MEDIUM
    else:
        severity = Severity.LOW
    return ctx.finding(
        "momentum.meetings_rescheduled",
        severity,
        f"{plural(len(hits), 'meeting')} rescheduled, cancelled or missed in the last {ctx.settings.reschedule_window_days} days",
        [describe(a) for a in hits],
        count=len(hits),
        executives=executive,
    )


def _champion_dark(ctx: Context) -> Finding | None:
    """The champion silent past the limit (``whole_deal`` when nobody else on the buyer's side has spoken
    since either)."""
    limit = ctx.settings.champion_dark_days
    worst: tuple[int, str, str] | None = None
    for champion in ctx.role(Role.CHAMPION):
        fact = ctx.facts.person(champion.name)
        if fact is not None and fact.left:
            continue  # gone from the company is no silence to answer: meddpicc.champion says they are lost
        if fact is not None and fact.away_until is not None:
            continue  # on a leave they announced, to a date still ahead: an absence, not a champion gone dark
        last = ctx.contact_date(champion)
        if last is None:
            if ctx.two_way or ctx.facts.unanswered:
                worst = max(
                    worst or (0, "", ""),
                    (limit + 1, f"{champion.name} (champion): no contact on record", champion.name),
                )
            continue
        days = ctx.days_since(last)
        if days > limit:
            worst = max(
                worst or (0, "", ""),
                (days, f"{champion.name} (champion): last contact {last.isoformat()}, {days} days ago", champion.name),
            )
    if worst is None:
        return None
    days, evidence, name = worst
    champion = ctx.facts.person(name)
    whole_deal = champion is not None and champion.last_two_way == ctx.facts.last_two_way
    # gone dark is not answering us: late in the deal it is high once we reached out and nothing came back (before
    # that it may be our own silence), and at any stage once the silence runs past twice the limit
    chased = champion is not None and champion.unanswered >= 1
    severity = Severity.HIGH if days > 2 * limit or (ctx.stage in _LATE and chased) else Severity.MEDIUM
    return ctx.finding(
        "momentum.champion_dark",
        severity,
        f"Champion {name}: no two-way contact for {days} days (limit {limit})"
        if "no contact on record" not in evidence
        else f"Champion {name} has no contact on record",
        [evidence],
        days=days,
        limit=limit,
        whole_deal=whole_deal,
        name=name,
    )


def _unanswered(ctx: Context) -> Finding | None:
    """The rep keeps reaching out and nobody answers: the chasing is itself the danger signal. The signer, or
    from proposal on the owner of the paper, not answering is one even while someone else on the buyer's side
    still talks to us (a champion who "will get the CFO to look at it" does not answer for the CFO's silence)."""
    facts = ctx.facts
    chased = [p for p in facts.people if p.unanswered >= ctx.settings.unanswered_outreach]
    late = ctx.stage in _LATE
    # from proposal on, whoever holds the paper (the Jefa de Abastecimiento the CEO sent us to) not answering
    # stops the signature as surely as the signer's silence, while the champion still talks to us
    key = [p for p in chased if p.role in (Role.CHAMPION, Role.ECONOMIC_BUYER) or (late and _paper_title(p.title))]
    gatekeepers = [p for p in key if p.role != Role.CHAMPION]  # the champion's silence is momentum.champion_dark
    whole_deal = facts.unanswered >= ctx.settings.unanswered_outreach
    if not whole_deal and not gatekeepers:
        return None
    since = (
        f"since the last two-way contact on {facts.last_two_way}" if facts.last_two_way else "and no reply on record"
    )
    evidence = [f"{facts.unanswered} outbound touches {since}"] if facts.unanswered else []
    evidence += [
        f"{p.name} ({p.role.value}): {p.unanswered} unanswered since {p.last_two_way or 'no two-way contact'}"
        for p in chased
    ]
    count = facts.unanswered if whole_deal else gatekeepers[0].unanswered
    # the paper's owner alone silent, with the champion and signer still talking: a process to unblock, not a
    # buyer walking away
    buyers = [p for p in key if p.role in (Role.CHAMPION, Role.ECONOMIC_BUYER)]
    severity = Severity.HIGH if buyers and (late or count >= 3) else Severity.MEDIUM
    who = f" to {(gatekeepers or key)[0].name}" if key else ""
    return ctx.finding(
        "momentum.unanswered_outreach",
        severity,
        f"{count} follow-ups{who} unanswered since the last two-way contact",
        evidence,
        count=count,
        people=[p.name for p in chased],
        paper=[p.name for p in gatekeepers if p.role != Role.ECONOMIC_BUYER],
    )


def _late_since(ctx: Context) -> dt.date:
    """When the deal entered a late stage, or the fallback window when history does not say."""
    first_late = min(ctx.settings.late_stakeholder_stages, key=lambda s: s.order)
    return ctx.stage_entered(first_late) or ctx.as_of - dt.timedelta(days=ctx.settings.late_window_days)


_REVIEW_TITLE = lazy(
    r"\b(?:security|infosec|compliance|(?:vendor|third[- ]party|supplier) (?:risk|onboarding|setup|set-up|management)|"
    r"accounts payable)\b|合规",
    re.IGNORECASE,
)
"""Titles of the reviews around the paper (security, compliance, vendor risk). With ``text.PAPER_TITLE``, the
titles whose arrival at proposal is expected, not a danger, however senior (a Head of Procurement raising the PO
is the paper process doing its job)."""


def _late_stakeholder(ctx: Context, found: list[Finding]) -> Finding | None:
    if ctx.stage not in ctx.settings.late_stakeholder_stages:
        return None
    since = _late_since(ctx)
    late = [p for p in ctx.facts.people if (arrived := _arrived(ctx, p.name)) and since <= arrived <= ctx.as_of]
    if ctx.facts.timing.committed:  # a signer who arrived late and has since said yes and holds the paper is no threat
        late = [p for p in late if p.role != Role.ECONOMIC_BUYER]
    # someone we have since met and won over (two or more held meetings or calls, positive) is no newcomer who
    # could form a view from a forwarded proposal: the panel's GM who approved after the pilot readout
    late = [p for p in late if not (p.meetings >= 2 and str(p.sentiment) == "positive")]
    # an assistant who joined keeps someone else's diary: no stakeholder joined the deal (PersonFact.assistant)
    late = [p for p in late if not p.assistant]
    # the danger is a newcomer with a say whom we have not sold to: the signer or an approver we have met, who
    # engaged, and whose words are read where they bear (a later date by the close-date findings, a budget line by
    # the budget concern) is the deal reaching them, not a danger signal (deal-danger-signals: a meeting held
    # closes a signal). Tinsley's CFO, met at the CFO review the buyer held with us, is no late stakeholder.
    heard = {p.name: _heard(ctx, p, found) if _has_say(p) else _Heard(_UNMET) for p in late}
    late = [p for p in late if heard[p.name].state != _SETTLED]
    if not late:
        return None
    # legal, security or purchasing joining beside someone who matters is the paper process doing its job: the
    # finding names the newcomer who can change the decision (Yarrabee's acting CFO, not its legal counsel)
    deciding = [p for p in late if not _paper_title(p.title)]
    late = deciding or late
    # met, engaged, with a condition of their own that nothing else reads: known and open, the plan has to take it
    # in, but no unknown approver who could stop the signature (medium at most)
    unsold = [p for p in late if heard[p.name].state != _ASKS]
    grave = any(
        s.role in (Role.ECONOMIC_BUYER, Role.BLOCKER)
        or s.sentiment.value == "negative"
        or heard[s.name].state == _REOPENS
        or (s.title is not None and text.find(text.SENIOR_TITLE, s.title) is not None and not _paper_title(s.title))
        for s in unsold
    )
    evidence = [_late_evidence(ctx, s, heard[s.name]) for s in late]
    evidence.append(f"late stages since {since.isoformat()}")
    # purchasing, legal or security joining at proposal is the paper process arriving, not a danger signal
    paper = all(_paper_title(s.title) for s in late)
    severity = Severity.HIGH if grave else Severity.LOW if paper else Severity.MEDIUM
    entered = _stage_on(ctx, _latest_arrival(ctx, late))
    signers = {p.name for p in ctx.facts.in_role("economic_buyer")}
    return ctx.finding(
        "momentum.late_stakeholder",
        severity,
        f"{plural(len(late), 'new stakeholder')} entered at {entered.value}: {', '.join(s.name for s in late)}",
        evidence,
        names=[s.name for s in late],
        entered=entered.value,
        signers=[s.name for s in late if s.name in signers],
    )


_UNMET, _REOPENS, _ASKS, _SETTLED = "unmet", "reopens", "asks", "settled"


class _Heard(NamedTuple):
    """Where a late stakeholder stands (:func:`_heard`), and the words on record that put them there."""

    state: str
    said: tuple[dt.date, str] | None = None


def _has_say(person: PersonFact) -> bool:
    """The signer, or an approver by title (a CFO, an SVP), not the paper process: whose meeting the deal needs."""
    if person.role == Role.ECONOMIC_BUYER:
        return True
    title = person.title or ""
    return text.find(text.SENIOR_TITLE, title) is not None and not _paper_title(title)


def _heard(ctx: Context, person: PersonFact, found: list[Finding]) -> _Heard:
    """Where a newcomer with a say stands: not yet met two-way since they arrived, or not engaged (unmet); met, and
    against us or reopening the decision ("reviewing all of Lars's projects": reopens); met, with a condition of
    their own that no other finding or timing fact reads (asks); or met, engaged, and what they said is read where
    it bears (settled)."""
    arrived = _arrived(ctx, person.name)
    if person.last_two_way is None or arrived is None or person.last_two_way < arrived:
        return _Heard(_UNMET)
    stakeholder = next(s for s in ctx.deal.stakeholders if s.name == person.name)
    said = said_by(stakeholder, ctx.deal, arrived)
    reopens = [(day, c) for day, c in said if text.find(text.NEWCOMER_REOPENS, c)]
    if reopens or person.sentiment.value == "negative":
        return _Heard(_REOPENS, reopens[-1] if reopens else None)
    if not person.engaged:
        return _Heard(_UNMET)
    read = [v for v in ctx.facts.timing.model_dump().values() if isinstance(v, str)]
    read += [e for f in found for e in f.evidence]
    asks = [(day, c) for day, c in said if text.find(text.NEWCOMER_ASKS, c) and not _quoted_in(c, read)]
    return _Heard(_ASKS, asks[-1]) if asks else _Heard(_SETTLED)


def _quoted_in(clause: str, sources: list[str]) -> bool:
    """Another finding or timing fact quotes the clause: six of its words in a row, or all of a shorter one."""
    words = clause.lower().split()
    runs = [" ".join(words[i : i + 6]) for i in range(max(1, len(words) - 5))]
    low = [s.lower() for s in sources]
    return any(run in source for run in runs for source in low)


def _late_evidence(ctx: Context, person: PersonFact, heard: _Heard) -> str:
    line = f"{person.name} ({person.title or 'no title'}, {person.role.value}) arrived {_arrived(ctx, person.name)}"
    said = f" ({heard.said[0]}: {text.quote(heard.said[1])})" if heard.said else ""
    if heard.state == _ASKS:
        return f"{line}; met {person.last_two_way}, with a condition of their own not yet in the plan{said}"
    if heard.state == _REOPENS:
        why = "reopening the decision" if heard.said else f"sentiment {person.sentiment.value}"
        return f"{line}; met {person.last_two_way}, {why}{said}"
    return line


def _latest_arrival(ctx: Context, people: list[PersonFact]) -> dt.date:
    return max((d for p in people if (d := _arrived(ctx, p.name)) is not None), default=ctx.as_of)


def _stage_on(ctx: Context, day: dt.date) -> Stage:
    """The stage the deal was in on ``day``: the latest stage entered on or before it (the current stage when the
    history does not say). Silje joined on 11-20 while the deal was at proposal: she "entered at proposal", not
    at the closing stage it reached on 11-24 (a blind VP grade)."""
    reached = [stage for stage in Stage if stage.is_open and (d := ctx.stage_entered(stage)) is not None and d <= day]
    return max(reached, key=lambda stage: stage.order) if reached else ctx.stage


_ARRIVAL = lazy(
    r"\b(?:new|newly (?:hired|appointed)|incoming|interim|just (?:joined|started|hired)|joined|started|hired|"
    r"appointed|announced|promoted|took over|takes over|replac(?:es|ed|ing))\b",
    re.IGNORECASE,
)
"""Words that introduce someone as arriving ("new CFO Rebecca Stone started Monday"), not just first mentioned."""


def _arrived(ctx: Context, name: str) -> dt.date | None:
    """When a stakeholder joined the deal: the CRM's ``added`` date; without one, the first record that
    introduces them as new in the clause that names them. A signer first met at proposal is not a newcomer."""
    person = next((s for s in ctx.deal.stakeholders if s.name == name), None)
    if person is None:
        return None
    if person.added:
        return person.added
    for activity in ctx.facts.activities:
        for clause in re.split(r"[.;!?]", activity.summary or ""):
            if text.mentions([name], clause) and text.find(_ARRIVAL, clause):
                return activity.date
    return None


def _paper_title(title: str | None) -> bool:
    """Legal, procurement or contracts (``text.PAPER_TITLE``), or the reviews around them (security, vendor risk)."""
    return title is not None and (text.PAPER_TITLE.search(title) or _REVIEW_TITLE.search(title)) is not None


_STILL_PENDING = lazy(
    r"\b(?:still (?:with|in|under|being|reviewing|waiting|pending|discussing)|will let (?:you|us) know|no (?:news|word|"
    r"update|decision) yet|not (?:discussed|decided|reviewed) yet|hasn'?t (?:come back|decided|discussed))\b",
    re.IGNORECASE,
)
"""A reply that says the internal review is still pending: contact, but not the follow-up the review owes."""


def _reports_back(activity: ActivityFact, review: ActivityFact) -> bool:
    """Whether ``activity`` is the follow-up a "let me run this by…" owes: the buyer answering (outbound chasing
    is not an answer), the person who took it to the review or anyone with them, with something other than
    "still with them, will let you know"."""
    if Signal.FOLLOW_UP.value in activity.signals:
        return True
    if not activity.two_way or activity.date <= review.date:
        return False
    if review.people and not set(activity.people) & set(review.people):
        return False
    pending = (Signal.PENDING_INTERNAL_REVIEW.value, Signal.NO_NEXT_DATE.value)
    return not any(tag in activity.signals for tag in pending) and text.find(_STILL_PENDING, activity.summary) is None


def _fact_of(ctx: Context, activity: Activity) -> ActivityFact | None:
    """The derived fact of one activity (its people resolved to the stakeholders' names)."""
    return next((f for f in ctx.facts.activities if f.date == activity.date and f.summary == activity.summary), None)


def _pending_review(ctx: Context) -> Finding | None:
    wait = ctx.settings.pending_review_follow_up_days
    for activity in reversed(ctx.with_signal(Signal.PENDING_INTERNAL_REVIEW)):
        review = _fact_of(ctx, activity)
        later = [a for a in ctx.facts.activities if activity.date < a.date <= ctx.as_of]
        if review is None or any(_reports_back(a, review) for a in later):
            return None  # the newest "run this by" was followed up
        days = ctx.days_since(activity.date)
        if days < wait:
            return None
        return ctx.finding(
            "momentum.pending_internal_review",
            Severity.HIGH if ctx.stage in _LATE else Severity.MEDIUM,
            f"'Let me run this by…' {days} days ago with no follow-up",
            [describe(activity), f"no word back on the review since (follow-up due within {wait} days)"],
            days=days,
            **_review_people(ctx, activity),
        )
    return None


_SPEAKER = lazy(r"^\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})\s*(?::|said|says|wrote)\b")
_REVIEWER = lazy(
    r"\b(?:run (?:this|it|that) (?:by|past)|check (?:it |this )?with|tak(?:e|ing) (?:this|it) (?:back )?to|"
    r"present(?:s|ing)? (?:it |this )?to)\s+((?:the |our |my |their |his |her )?[\w-]+(?: [\w-]+){0,2}?)"
    r"(?=\s+(?:at|on|before|after|in|next|this|and|for|when|by|tomorrow)\b|\s*[,.;:!?'\"\u2019\u201d)]|$)",
    re.IGNORECASE,
)


def _review_people(ctx: Context, activity: Activity) -> dict[str, object]:
    """Who said they would take it to someone (``said_by``: the speaker the summary quotes, else the one person
    the activity was with) and whom they are taking it to (``taken_to``: a stakeholder whose title the words name,
    else the words: "the capex subcommittee")."""
    summary = (activity.summary or "").strip("'\" ")
    names = _Names([s.name for s in ctx.deal.stakeholders])
    out: dict[str, object] = {}
    spoken = _SPEAKER.match(summary)
    speaker = names.resolve(spoken.group(1)) if spoken else None
    if speaker is None and len(activity.with_) == 1:
        speaker = names.resolve(activity.with_[0])
    if speaker:
        out["said_by"] = speaker
    taken = _REVIEWER.search(summary)
    if taken:
        words = taken.group(1).strip()
        bare = re.sub(r"^(?:the|our|my|their|his|her) ", "", words, flags=re.IGNORECASE).lower()
        titled = [s.name for s in ctx.deal.stakeholders if (s.title or "").lower() == bare and s.name != speaker]
        named = names.resolve(words)
        reviewer = named or (titled[0] if len(titled) == 1 else None)
        if reviewer != speaker:
            out["taken_to"] = [reviewer or (words if words.lower().startswith("the ") else f"their {bare}")]
    return out


def _competitor_late(ctx: Context) -> Finding | None:
    """A competitor first seen after validation: its first dated mention anywhere in the record counts,
    named or not ("procurement wants a second vendor's quote"). One the record says was eliminated before is
    a returning competitor, and the finding says so rather than call its return a first appearance."""
    if ctx.stage.order <= Stage.VALIDATION.order:
        return None
    since = ctx.competitor_late_since()
    late = [c for c in ctx.facts.competitor_since(since) if c.first_seen and c.first_seen <= ctx.as_of]
    if not late:
        return None
    back = [c.name for c in late if c.eliminated_before]
    title = (
        f"A competitor eliminated earlier came back after validation: {late[0].name}"
        if late[0].eliminated_before
        else f"A competitor appeared after validation: {late[0].name}"
    )
    return ctx.finding(
        "momentum.competitor_late",
        Severity.HIGH,
        title,
        [
            f"{c.name} came back {c.first_seen}: {c.source}; out before: {c.eliminated_before}"
            if c.eliminated_before
            else f"{c.name} first appeared {c.first_seen}: {c.source}"
            for c in late
        ]
        + [f"after validation: since {since}"],
        names=[c.name for c in late],
        returning=back,
    )


_PRICE_MOVE = lazy(
    r"\b(?:discount\w*|price[- ]?cut\w*|cut (?:their|its) price|undercut\w*|price[- ]?match\w*"
    r"|(?:came back|now|revised|re-?quoted|new (?:quote|offer|price)|dropped)\b[^.;]{0,40}\bcheaper"
    r"|match(?:ed|es|ing)? (?:our|the|that) price|lower(?:ed|s)? (?:their|its) price|\d+ ?% off"
    r"|\d+ ?% (?:below|under|less than) (?:their|its|the|our)\b"
    r"|counter[- ]?offer\w*|free (?:months?|year|licen[cs]es?|seats?|(?:professional |implementation )?services)"
    r"|waiv\w+ (?:the )?fees?|to stay\b)",
    re.IGNORECASE,
)
"""A rival's commercial move to keep or win the deal (deal-competitive-positioning: re-classify "when the
incumbent offers a discount")."""


CONCESSION_DAYS = 30
"""How far back a concession floated and not yet traded still counts (ae-coach default: a month)."""
_CONCESSION = lazy(
    r"\b(?:throw|threw|throws|throwing|chuck|toss) in (?:the |a |an |some |our |another )?[\w&/-]+(?: [\w&/-]+){0,3}"
    r"|\b(?:for free|free of charge|at no (?:extra |additional )?(?:cost|charge))\b"
    r"|\b(?:i|we|rep|he|she)(?: have| had|'ve|'d)? (?:offered|promised|floated|proposed|suggested|mentioned|hinted at)"
    r" (?:them |her |him )?(?:an? )?(?:extra |additional |further |another )?(?:\d+ ?% (?:discount|off)|discount|"
    r"price cut|lower price|free (?:months?|modules?|seats?|licen[cs]es?|year|services))"
    r"|(?:我们|我方|我)(?:可以|就|再|愿意|答应|提出)?(?:免费(?:送|赠送|提供|加上?)|白送|赠送|再?打[0-9一二三四五六七八九]+折|降价|让利)"
    r"|(?:免费|白)送[^，。；]{0,20}?(?:模块|功能|席位|服务|月)",
    re.IGNORECASE,
)
"""A concession floated by our side or the champion: "if we throw in the S&OP module", "I offered them 15% off",
"we could add the first three months for free", "我们可以免费送一个模块"."""
_TRADED = lazy(
    r"\b(?:in (?:exchange|return) for|give-?get|deal desk (?:approved|signed off|ok'?d)|approved by (?:the )?deal desk|"
    r"traded (?:it )?for|only if (?:they|she|he) (?:sign|commit|agree))\b|作为交换|换取|审批通过",
    re.IGNORECASE,
)
"""The concession traded or approved ("in exchange for a 3-year term", "deal desk approved"): the give-get is done."""


_IDIOM = lazy(r"\bthrow(?:s|n|ing)? in the towel\b|\bthrew in the towel\b", re.IGNORECASE)


def _concession_floated(ctx: Context) -> Finding | None:
    """Our side or the champion floated a concession (a free module, a discount, extra months) in the last
    :data:`CONCESSION_DAYS`, and nothing on record trades it for something or has the deal desk approve it: a
    manager stops it before it is offered (deal-pricing-negotiation: trade, don't give). A rival's discount is
    ``momentum.competitor_counter``; the buyer's own price ask is a budget concern; a message of the buyer's saying
    it is no concession of ours."""
    since = ctx.as_of - dt.timedelta(days=CONCESSION_DAYS)
    rivals = [c.name for c in ctx.facts.competitors]
    found = None
    for activity in ctx.activities:
        if not since <= activity.date <= ctx.as_of or not activity.summary:
            continue
        if activity.direction == Direction.INBOUND:
            continue  # the buyer's own message: an ask of theirs ("could we get the first months free?"), not ours
        for sentence in re.split(r"(?<=[.;!?])\s+|(?<=[。；！？])", activity.summary):
            if any(text.competitor_pattern(r).search(sentence) for r in rivals):
                continue  # a rival's price move, not ours
            if sentence.rstrip().endswith(("?", "？")) or _IDIOM.search(sentence):
                continue  # a question asked, or "throw in the towel"
            hit = text.first_match(_CONCESSION, sentence)
            if hit is not None and not _TRADED.search(sentence):
                found = (activity, sentence.strip())
    if found is None:
        return None
    activity, said = found
    later = [a.summary for a in ctx.activities if activity.date <= a.date <= ctx.as_of and a.summary]
    if any(_TRADED.search(words) for words in later):
        return None
    severity = Severity.HIGH if ctx.stage.order >= Stage.PROPOSAL.order else Severity.MEDIUM
    on = activity.date.isoformat()
    return ctx.finding(
        "momentum.concession_floated",
        severity,
        f"A concession is on the table with nothing asked in return: {text.quote(said, 120)} ({on})",
        [describe(activity, around=re.compile(re.escape(said[:40])))],
        what=text.quote(said, 120).strip('"'),
        said_on=on,
        people=list(activity.with_),
        names=_named_first(ctx, said) or list(activity.with_),
    )


def _named_first(ctx: Context, said: str) -> list[str]:
    """The stakeholders ``said`` names, the first named first ("Priya reckons she can get Greg to sign…": Priya)."""
    named = [p.name for p in ctx.deal.stakeholders if text.mentions([p.name], said)]
    lowered = said.lower()
    return sorted(
        named, key=lambda n: min((i for w in (n, n.split()[0]) if (i := lowered.find(w.lower())) >= 0), default=0)
    )


_CHEAPER = lazy(r"\bcheaper\b", re.IGNORECASE)
_GUESS = lazy(
    r"(?i:\b(?:probably|likely|might|could|expects?|expected to|assume[sd]?|guess|worried|fears?|afraid)\b)|\bmay\b"
)
"""A guess about a rival's move ("will probably come in cheaper"); "may" only in lower case (not the month)."""
_MADE = lazy(
    r"\b(?:came (?:back|in)|offered|offers|quoted|re-?quoted|sent|dropped|cut|matched|waived|proposed|undercut|"
    r"lowered|priced)\b|\d+ ?% (?:below|under)\b",
    re.I,
)


def _price_moves(ctx: Context, since: dt.date) -> list[tuple[str, ActivityFact, str]]:
    """Each activity from ``since`` to ``as_of`` where a rival still in makes a price move: (rival, activity, sentence)."""
    rivals = [c.name for c in ctx.facts.competitors if c.status != "eliminated"]
    incumbents = {c.name for c in ctx.facts.competitors if c.status == "incumbent"}
    hits = []
    for activity in ctx.facts.activities:
        if not since <= activity.date <= ctx.as_of or not activity.summary:
            continue
        for sentence in re.split(r"(?<=[.;!?])\s+", activity.summary):
            rival = next((r for r in rivals if text.competitor_pattern(r).search(sentence)), None)
            # a rival's first bid coming in lower is price competition; the incumbent cheaper than before is a move
            cheaper = rival in incumbents and _CHEAPER.search(sentence)
            if rival and text.find(_GUESS, sentence) and not text.find(_MADE, sentence):
                continue  # "Babtec will probably come in cheaper": a guess about a move, not one made
            if rival and (cheaper or text.find(_PRICE_MOVE, sentence)):  # "did not offer a discount" is no move
                hits.append((rival, activity, sentence.rstrip(" ;,")))
                break
    return hits


_NOT_YET = lazy(r"\b(?:nobody|no one|not|never|yet|unless|if)\b|n't\b", re.IGNORECASE)


def _chose_us(activity: Activity, rival: str) -> bool:
    """A commitment that answers the rival's move: in a clause that does not name the rival ("at Zendesk's new
    price they will buy Zendesk again") and is neither negated, still to come nor conditional ("nobody has
    selected us yet", "if you can't match it, we will buy…"). An explicit tag with no words to read stands."""
    summary = activity.summary or ""
    match = text.first_match(text.SIGNAL_PATTERNS[Signal.VERBAL_COMMIT], summary)
    if match is None:
        return bool(activity.signals)
    start = max(summary.rfind(mark, 0, match.start()) for mark in (". ", "; ", ": ", "\n"))
    ends = [i for i in (summary.find(mark, match.end()) for mark in (". ", "; ", "\n")) if i >= 0]
    clause = summary[max(start, 0) : min(ends, default=len(summary))]
    before = summary[max(start, 0) : match.start()]
    return not text.competitor_pattern(rival).search(clause) and not _NOT_YET.search(before)


def _competitor_counter(ctx: Context) -> Finding | None:
    """A named rival (the incumbent or a competitor still in) made a price move in the last
    ``counter_offer_days``, in the buyer's words or the rep's notes: the evaluation is being bought back.
    High from validation on, when the decision is near; medium before."""
    since = ctx.as_of - dt.timedelta(days=ctx.settings.counter_offer_days)
    incumbents = {c.name for c in ctx.facts.competitors if c.status == "incumbent"}
    hits = _price_moves(ctx, since)
    if not hits:
        return None
    rival, first, said = hits[-1]  # the latest move is the one to answer
    severity = Severity.HIGH if ctx.stage.order >= Stage.VALIDATION.order else Severity.MEDIUM
    # the buyer chose us after the move ("it doesn't change our decision; you are our selected vendor"): answered,
    # still the thing to watch until the signature (the rival will keep trying), no longer a danger to the call
    chosen = [a for a in ctx.with_signal(Signal.VERBAL_COMMIT) if a.date >= first.date and _chose_us(a, rival)]
    if chosen:
        severity = Severity.MEDIUM
    # the incumbent is buying its renewal back; anyone else is buying the deal
    incumbent = rival in incumbents
    move = f"{rival}, the incumbent, made a price move to keep" if incumbent else f"{rival} made a price move to win"
    return ctx.finding(
        "momentum.competitor_counter",
        severity,
        f"{move} the deal ({first.date}): {text.quote(said)}",
        [f"{a.date} {a.type}: {text.quote(s)}" for _, a, s in hits]
        + [f"within {ctx.settings.counter_offer_days} days"]
        + ([f"the buyer chose us since: {chosen[-1].date} {chosen[-1].type}"] if chosen else []),
        name=rival,
        names=list(dict.fromkeys(r for r, _, _ in hits)),
        incumbent=incumbent,
        answered=bool(chosen),
    )


_BUDGET_LATE = "Budget concerns raised after the proposal"
"""The title when the concern has no words on record to quote (an activity tagged ``budget_concern`` only)."""


def _budget_late(ctx: Context) -> Finding | None:
    proposals = [a.date for a in ctx.touches if a.type == ActivityType.PROPOSAL]
    since = min(proposals) if proposals else ctx.stage_entered(Stage.PROPOSAL)
    window = None
    if since is None:
        if ctx.stage not in _LATE:
            return None
        # the history's first stage change moving the deal on from proposal says it was at proposal the days
        # before: the window ends there, not today ("the CFO agreed the price, then said the capex budget is used",
        # the day before the deal moved proposal -> closing, a month before the review)
        there = ctx.there_before(Stage.PROPOSAL)
        since = (there[0] if there else ctx.as_of) - dt.timedelta(days=ctx.settings.late_window_days)
        if there:
            window = t("evidence.stage_before", stage=stage_word(there[1]), date=there[0].isoformat())
    # a rival's price move read as "budget" by the keyword heuristics is momentum.competitor_counter, not the
    # buyer's budget: only an explicit tag keeps such an activity a budget concern
    moves = {(a.date, a.summary) for _, a, _ in _price_moves(ctx, since)}
    hits = [
        a
        for a in ctx.with_signal(Signal.BUDGET_CONCERN)
        if a.date >= since and (Signal.BUDGET_CONCERN in (a.signals or ()) or (a.date, a.summary) not in moves)
    ]
    # the concession given and the price accepted in the same message ("accepted w/ 3% off") is the terms agreed
    agreed = {(a.date, a.summary) for a in ctx.with_signal(Signal.TERMS_AGREED)}
    hits = [a for a in hits if Signal.BUDGET_CONCERN in (a.signals or ()) or (a.date, a.summary) not in agreed]
    lifted = ctx.facts.timing.lifted  # "our project got its budget back": the concern raised before is answered
    hits = [a for a in hits if lifted is None or a.date > lifted]
    if hits and ctx.price_settled_after(hits[-1].date):
        return None  # terms agreed, a verbal yes or the paper finished since: the concern was answered (as the gate reads it)
    if not hits:
        return None
    # the latest concern in the buyer's words: "the new CFO says the price is too high" is who and what, where
    # "budget concerns" alone reads as a missing budget on a deal whose budget is allocated
    last = hits[-1]
    said = text.quote_around(last.summary, text.SIGNAL_PATTERNS[Signal.BUDGET_CONCERN], 90)
    return ctx.finding(
        "momentum.budget_concern_late",
        Severity.HIGH,
        f"Budget concern raised after the proposal ({last.date}): {said}" if said.strip('"') else _BUDGET_LATE,
        [describe(a, around=text.SIGNAL_PATTERNS[Signal.BUDGET_CONCERN]) for a in hits]
        + [window or t("evidence.stage_from", stage=stage_word(Stage.PROPOSAL), date=since.isoformat())],
        date=last.date.isoformat(),
        said=said,
    )


EVENT_SEVERITY: dict[str, Severity] = {
    "cancelled": Severity.CRITICAL,
    "freeze": Severity.CRITICAL,
    "spend_review": Severity.HIGH,
    "cost_programme": Severity.HIGH,
    "results": Severity.HIGH,
    "acquisition": Severity.HIGH,
    "reorganisation": Severity.HIGH,
    "incident": Severity.MEDIUM,
}
"""How much each event at the buyer's company threatens the deal (ae-coach default): the purchase called off or a
freeze on new money stops it; a spend review, a cost programme, weak results, a new owner or a reorg threaten the budget or move
who decides; a security incident moves priorities. A new executive is not here: ``momentum.late_stakeholder``
reads their arrival, and the economic-buyer finding whether they now sign."""
EVENT_TITLES = {
    "cancelled": "The buyer called the purchase off",
    "freeze": "The buyer froze new spending",
    "spend_review": "New spending at the buyer is paused for review",
    "cost_programme": "A cost programme or budget cut at the buyer",
    "results": "Weak results at the buyer",
    "acquisition": "The buyer is acquired or under a new owner",
    "reorganisation": "A reorganisation at the buyer",
    "incident": "A security incident at the buyer",
}


def _company_event(ctx: Context) -> Finding | None:
    """An event at the buyer's company that still stands (:attr:`DealFacts.events`), reported within
    ``event_recent_days``: the worst of them, the first report of it, with who said it and when."""
    limit = ctx.settings.event_recent_days
    # the purchase called off stands however long ago it was said, as the forecast reads it (``DealFacts.cancelled``)
    events = [
        e
        for e in ctx.facts.events
        if e.kind in EVENT_SEVERITY and (e.kind == "cancelled" or e.date is None or ctx.days_since(e.date) <= limit)
    ]
    if not events:
        return None
    worst = min(EVENT_SEVERITY[e.kind].rank for e in events)
    first = next(e for e in events if EVENT_SEVERITY[e.kind].rank == worst)
    reported = t("coach.person_separator").join(str(x) for x in (first.said_by, first.date) if x) or t(
        "coach.risk.event.notes"
    )
    return ctx.finding(
        "momentum.company_event",
        EVENT_SEVERITY[first.kind],
        f"{EVENT_TITLES[first.kind]} ({reported}): {first.quote}",
        [e.source for e in events],
        kind=first.kind,
        date=first.date.isoformat() if first.date else "",
        said_by=first.said_by or "",
        reported=reported,
        quote=first.quote,
        blocks=first.blocks,
    )


def _slipped(ctx: Context) -> Finding | None:
    pushes = []
    for change in ctx.deal.history:
        if change.field != "close_date":
            continue
        before, after = as_date(change.from_), as_date(change.to)
        if before and after and after > before:
            pushes.append(f"{change.date.isoformat()}: close_date pushed {before.isoformat()} -> {after.isoformat()}")
    late = ctx.stage in ctx.settings.slip_late_stages
    if len(pushes) < ctx.settings.slip_count and not (late and pushes):
        return None
    severity = Severity.HIGH if len(pushes) >= ctx.settings.slip_count else Severity.MEDIUM
    if len(pushes) >= ctx.settings.slip_count and late:
        severity = Severity.CRITICAL if len(pushes) > ctx.settings.slip_count else Severity.HIGH
    last_push = max(c.date for c in ctx.deal.history if c.field == "close_date")
    if len(pushes) < ctx.settings.slip_count and any(
        a.date >= last_push for a in ctx.with_signal(Signal.VERBAL_COMMIT)
    ):
        severity = Severity.LOW  # pushed once, and the buyer has chosen us since: history, not a slipping deal
    return ctx.finding(
        "momentum.close_date_slipped", severity, f"Close date pushed {times(len(pushes))}", pushes, pushes=len(pushes)
    )


def _close_date_day_off(ctx: Context) -> Finding | None:
    """A close date ahead on a weekend or a public holiday of the settings' country: nobody signs on a Sunday,
    so the date was typed into the CRM, not agreed with the buyer's signer. A small deal bought online (below
    ``committee_small_deal_amount``) can close any day."""
    close = ctx.deal.close_date
    if ctx.size < ctx.settings.committee_small_deal_amount:
        return None
    country = holidays_country(ctx.settings, ctx.deal)
    public = Calendar(country, days_off=())  # 31 December is a year-end signing day
    if close is None or close < ctx.as_of or public.working(close):
        return None
    weekend = close.weekday() >= 5
    day = close.strftime("%A") if weekend else "a public holiday"
    return ctx.finding(
        "hygiene.close_date_day_off",
        Severity.LOW,
        f"Close date {close.isoformat()} falls on {'a ' if weekend else ''}{day}: agree a working day with the buyer",
        [f"close_date {close.isoformat()} is not a working day (holidays: {country or 'none'})"],
        date=close.isoformat(),
        weekend=weekend,
    )


def _passed(ctx: Context) -> Finding | None:
    close = ctx.deal.close_date
    if close is None or close >= ctx.as_of:
        return None
    days = ctx.days_since(close)
    return ctx.finding(
        "momentum.close_date_passed",
        Severity.HIGH,
        f"Close date passed {days} days ago and the deal is still open",
        [f"close_date {close.isoformat()} is before {ctx.as_of.isoformat()}"],
        days=days,
    )
