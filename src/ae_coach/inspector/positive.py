"""The seed's seven positive momentum signals, each an info finding with the activities that show it, and the
signer's commitment (``positive.signer_committed``, from ``timing.committed``).

A signal counts from an activity that carries its tag (or, untagged, matches its text pattern) and was not
cancelled or missed. Two signals also read structure: ``economic_buyer_engaged`` fires when an
economic-buyer stakeholder is listed in a (past or scheduled) activity after the last one the economic
buyer left early, declined, objected, paused or deferred in, and ``champion_scheduled`` from
text needs the champion to be named in the activity, so "scheduled a call" by the rep does not count, and counts
only while the meeting they set up is still the deal's next one (ahead, or none held since).
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Activity, ActivityStatus, ActivityType, Direction, PlanStatus, Role, Signal, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, describe
from ae_coach.inspector.facts import dates_in, day_named, direction_of, rebuffed_by_economic_buyer
from ae_coach.inspector.text import unheld_title

POSITIVE: dict[str, tuple[Signal, str]] = {
    "positive.champion_scheduled": (Signal.CHAMPION_SCHEDULED, "Champion proactively scheduled the next meeting"),
    "positive.economic_buyer_engaged": (Signal.EB_ATTENDING, "Economic buyer attended or agreed to attend"),
    "positive.internal_docs_shared": (Signal.INTERNAL_DOCS_SHARED, "Customer shared internal documents"),
    "positive.implementation_questions": (
        Signal.IMPLEMENTATION_QUESTIONS,
        "Technical team asks implementation questions",
    ),
    "positive.procurement_timeline": (Signal.PROCUREMENT_TIMELINE, "Procurement timeline communicated"),
    "positive.references_requested": (Signal.REFERENCES_REQUESTED, "Reference calls requested"),
    "positive.legal_security_review": (Signal.LEGAL_SECURITY_REVIEW, "Legal or security review initiated"),
}
"""Finding code -> (signal tag, title)."""


def inspect(ctx: Context) -> list[Finding]:
    """One info finding per positive signal present. Open deals only."""
    if not ctx.deal.is_open:
        return []
    introduction = [f for f in (_introduction(ctx),) if f is not None]  # read from the calendar, not a signal
    if not ctx.any_signal and not ctx.role(Role.ECONOMIC_BUYER):
        return introduction  # nothing tagged or detected, and no economic buyer who could be listed in an activity
    out = []
    for code, (signal, title) in POSITIVE.items():
        hits = _hits(ctx, signal)
        if hits:
            out.append(ctx.finding(code, Severity.INFO, title, [describe(a) for a in hits[-3:]], count=len(hits)))
    extra = [f for f in (_committed(ctx), _step_ahead(ctx), _waiting(ctx)) if f is not None]
    return [*out, *extra, *introduction]


def _committed(ctx: Context) -> Finding | None:
    """The signer said yes, holds the paper and dated the signature (``timing.committed``): what is left is to
    protect that date."""
    step = ctx.deal.next_step
    if not ctx.facts.timing.committed or step is None or step.date is None:
        return None
    date = step.date.isoformat()
    title = f"The signer has committed: yes given, the paper in hand, signature dated {date}"
    return ctx.finding("positive.signer_committed", Severity.INFO, title, [ctx.facts.timing.committed], date=date)


def _hits(ctx: Context, signal: Signal) -> list[Activity]:
    hits = ctx.with_signal(signal, include_future=signal == Signal.EB_ATTENDING)
    if signal == Signal.LEGAL_SECURITY_REVIEW:
        # "Sent order form and our MSA for signature" is paper on record, but no review started on their side
        people = ctx.deal.stakeholders
        hits = [a for a in hits if a.signals is not None or direction_of(a, people) != Direction.OUTBOUND]
        waits = ctx.facts.timing.review_waits
        if waits:  # "will review once there's an approved requisition": their review has not started, it waits
            hits = [a for a in hits if a.date > dt.date.fromisoformat(waits[:10])]
    if signal == Signal.CHAMPION_SCHEDULED:
        names = [c.name for c in ctx.role(Role.CHAMPION)]
        hits = [a for a in hits if a.signals is not None or text.set_up_by(names, a.summary)]
        # the meeting they set up was then cancelled or missed: the scheduling no longer counts
        off = [a.date for a in ctx.activities if a.status in (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)]
        hits = [a for a in hits if not any(day >= a.date for day in off)]
        hits = [a for a in hits if _still_next(ctx, a)]
    if signal == Signal.EB_ATTENDING:
        ebs = {s.name.strip().lower() for s in ctx.role(Role.ECONOMIC_BUYER)}
        dropped = (ActivityStatus.CANCELLED, ActivityStatus.NO_SHOW)
        listed = [
            a
            for a in ctx.activities
            if a.status not in dropped
            and any(p.strip().lower() in ebs for p in a.with_)
            and a not in hits
            # our email to the signer that got no answer is no attendance ("Sent Jennifer the case. No reply.")
            and direction_of(a, ctx.deal.stakeholders) != Direction.OUTBOUND
        ]
        names = [s.name for s in ctx.role(Role.ECONOMIC_BUYER)]
        # attending and walking out, objecting, pausing or deferring is not the positive signal, and it
        # outweighs the attendance before it: the buyer's latest word on the deal is the one that counts
        pulled_back = [a.date for a in hits + listed if rebuffed_by_economic_buyer(a.summary, names)]
        since = max(pulled_back, default=None)
        hits = sorted(
            (a for a in hits + listed if since is None or a.date > since),
            key=lambda a: a.date,
        )
    return hits


INTRODUCTION_DAYS = 21
"""How far ahead a meeting the champion takes us to with someone new counts (ae-coach default: three weeks)."""


def _introduction(ctx: Context) -> Finding | None:
    """The champion is taking us to someone new: the next dated item on the calendar within
    :data:`INTRODUCTION_DAYS` that the champion owns or attends is a meeting with a title nobody on the deal
    holds ("Meet the QA director", owner Hana Sato, on a deal whose only contact is Hana): the meeting to prepare
    with the champion, and where who signs can be asked. Not a meeting with someone the deal has (a named
    stakeholder, the GM on a deal with a General Manager), nor one the champion is not part of."""
    champions = [c.name for c in ctx.role(Role.CHAMPION)]
    if not champions:
        return None
    others = [s.name for s in ctx.deal.stakeholders if s.name not in champions]
    titles = [f"{s.title or ''} {s.role}" for s in ctx.deal.stakeholders]
    horizon = ctx.as_of + dt.timedelta(days=INTRODUCTION_DAYS)
    for item in ctx.facts.upcoming:
        if item.kind == "close_date" or not ctx.as_of < item.date <= horizon:
            continue
        theirs = (
            item.owner in champions or any(c in item.people for c in champions) or text.mentions(champions, item.text)
        )
        title = unheld_title(item.text, titles) if theirs and not text.mentions(others, item.text) else None
        if title is None:
            continue
        champion = item.owner if item.owner in champions else champions[0]
        date = item.date.isoformat()
        return ctx.finding(
            "positive.introduction",
            Severity.INFO,
            f"{champion} is taking you to someone new, the {title}: {text.quote(item.text)} on {date}",
            [f"{date} {item.kind.replace('_', ' ')} ({champion}): {text.quote(item.text)}"],
            name=champion,
            newcomer=title,
            step=item.text,
            date=date,
        )
    return None


_MEETINGS = (ActivityType.MEETING, ActivityType.CALL, ActivityType.DEMO)


def _still_next(ctx: Context, booked: Activity) -> bool:
    """Whether the meeting the champion set up is still the deal's next one: it lies ahead ("Priya booked 45
    minutes with Mark on 12-09", a scheduled activity), or no meeting with the buyer was held after it. A demo the
    champion arranged in August, with two meetings since and nothing booked, is a past favour, not "the next
    meeting" (a blind VP grade of Hakuyo: "+2 champion scheduled" unsupported by the record)."""
    if booked.date > ctx.as_of or any(day > ctx.as_of for day in dates_in(booked.summary, booked.date)):
        return True
    held = (
        a
        for a in ctx.activities
        if booked.date < a.date <= ctx.as_of and a.type in _MEETINGS and a.status == ActivityStatus.COMPLETED
    )
    return next(held, None) is None


def _step_ahead(ctx: Context) -> Finding | None:
    """From proposal on, the buyer's next step on the plan is dated before the plan's signature step ("Legal
    approves the order form" on 12-04, "Signature" on 12-10): the date the signature rests on, to confirm with its
    owner before it comes. Not the signature itself, and not a step of ours."""
    signs = ctx.facts.timing.plan_signature
    if ctx.stage.order < Stage.PROPOSAL.order or signs is None:
        return None
    ours = ("us", "we", "seller", "vendor")
    ahead = sorted(
        (
            p
            for p in ctx.deal.mutual_action_plan
            if p.date
            and ctx.as_of <= p.date < signs
            and p.status == PlanStatus.PLANNED
            and (p.owner or "").strip().lower() not in ours
            and not (ctx.deal.owner and (p.owner or "").strip() == ctx.deal.owner)
        ),
        key=lambda p: p.date or signs,
    )
    if not ahead:
        return None
    step = ahead[0]
    date = step.date.isoformat() if step.date else ""
    owner = f" ({step.owner})" if step.owner else ""
    return ctx.finding(
        "positive.plan_step_ahead",
        Severity.INFO,
        f"The buyer's next step before the signature is dated: {text.quote(step.action)} on {date}",
        [f"{date} plan step{owner}: {text.quote(step.action)}, before the signature on {signs}"],
        step=step.action,
        date=date,
    )


WAITING_DAYS = 30
"""How far back an ask of us still counts as waiting on record (ae-coach default: a month)."""
_ASKS_US = lazy(
    r"\b(?:wants?|asked|asks|requested|requests|needs?|expects?)(?: (?:us|me|you))?(?: (?:for|to))?(?: see| have| get)?"
    r" (?:our|your)\b[^.;]{3,90}"
    r"|\basked (?:if|whether) (?:we|you) (?:can|could)\b[^.;]{3,90}"
    r"|\b(?:told (?:her|him|them) (?:I'd|I would|we'd|we would)|promised(?: to)?|(?:we|I) will send|(?:we|I)'ll send"
    r"|(?<=, )will send)\b[^.;]{3,90}",
    re.IGNORECASE,
)
"""The buyer asking the seller for something ("wants our comments on the AEB back by 4 December", "I need your
certificates of currency", "asked if we can cover the overlap"), or the rep promising it ("Told her I'd come back
with options Monday", "will send this week")."""
_DELIVERABLE = (
    r"(?:one-?pagers?|(?:exec(?:utive)? )?summary|deck|slides?|roi (?:model|calculation|calc|case)|business case|case "
    r"stud(?:y|ies)|proposal|quote|quotation|pricing|(?:price|cost) breakdown|breakdown|sow|statement of work|"
    r"order form|(?:implementation|project|rollout|migration) plan|write-?up|comparison|tco(?: model| analysis)?|"
    r"(?:demo )?recording|architecture (?:doc|document|diagram|overview)|sample (?:report|data)|reference list|"
    r"trial extension|sandbox|references?(?= from\b))"
)
_ASKS_FOR = lazy(
    r"\b(?:asked|asks|requested|requests|wants|wanted|would like|needs)(?: us| me)? for (?:a |an |the |some |more |"
    r"a copy of (?:the |our )?)?(?:[\w-]+ ){0,2}?" + _DELIVERABLE + r"\b[^.;]{0,80}"
    r"|\b(?:can|could|would) you (?:please )?(?:send|share|provide|forward|put together|prepare|pull together)\b"
    r"[^.;?]{3,90}|\bplease (?:send|share|provide|forward)\b[^.;]{3,90}"
    r"|(?:要求|希望|请|让|要)(?:我们|我方|你们|贵方|贵司)(?:尽快|先)?(?:在[^，。；]{1,15}?(?:前|之前))?"
    r"(?:提供|发送?|准备|出|给|补充)[^，。；]{2,40}",
    re.IGNORECASE,
)
"""A plain request for a sales deliverable, with no "our" in it (the paper's documents, certificates and security
reports are the paper process's, read there): "Asked for a one-pager for the exec team", "can you
send the ROI model before Thursday", "wants references from a bank", "希望我们在周四前提供ROI模型"."""
_OUR_ASK = lazy(r"\b(?:we|i|we'?ve|i'?ve|we'?d|i'?d|we had|i had)\s*$|(?:我们|我|我方)\s*$", re.IGNORECASE)
"""The words before "asked for …" make it ours ("We asked for the org chart"): an ask of the buyer, not of us."""
_DELIVERED = lazy(
    r"^\W*(?:sent|shared|delivered|uploaded|returned|submitted|emailed|presented|walked \w+ through|gave)\b"
    r"|^\W*(?:已经?|刚)?(?:发送?|提供|交付|提交|分享|给)(?:了|给)",
    re.IGNORECASE,
)
_TITLES = frozenset("CEO CFO CTO CIO COO CRO CMO CISO CPO CHRO CDO EVP SVP AVP".split())  # noqa: SIM905
_PLAIN_ZH = frozenset("我们 你们 提供 发送 准备 之前 希望 要求 已经 客户 对方".split())  # noqa: SIM905
_PLAIN = frozenset(
    """their there about would could should which where these those other again after before back with from into
    onto your ours this that week weeks today tomorrow asked wants needs requested please monday tuesday wednesday thursday friday options option
    something anything""".split()  # noqa: SIM905
)


def _waiting(ctx: Context) -> Finding | None:
    """The buyer is waiting on us: the latest ask of the seller (or the rep's own promise) in the last
    :data:`WAITING_DAYS`, with the date it is due when the record gives one, that no later delivery of ours
    ("Sent …", "Shared …" naming the same thing) answers. The ball is in our court: the first thing to do,
    before the date they gave."""
    since = ctx.as_of - dt.timedelta(days=WAITING_DAYS)
    record = sorted(
        (a for a in ctx.deal.activities if since <= a.date <= ctx.as_of and a.summary), key=lambda a: a.date
    )
    for activity in reversed(record):
        sentences = re.split(r"(?<=[.;!?])\s+|(?<=[。；！？])", activity.summary or "")
        for i, sentence in reversed(list(enumerate(sentences))):  # its latest word first
            ask = _ASKS_US.search(sentence) or _asked_for(sentence, activity)
            if ask is None:
                continue
            what = _content(sentence)
            later = [_as_said(a) for a in ctx.deal.activities if activity.date <= a.date <= ctx.as_of]
            later = [s for s in later if s != activity.summary] + sentences[i + 1 :]
            stems = {w[:4] for w in what}  # "Sent indicative price range" delivers the pricing asked for
            if any(
                (_DELIVERED.search(said) or _SENT.search(said)) and stems & {w[:4] for w in _content(said)}
                for said in later
            ) or _acknowledged(ctx, activity, stems):
                continue
            due = _due(sentence[ask.start() :], activity.date)
            asked = activity.date.isoformat()
            when = f", due {due.isoformat()}" if due else ""
            return ctx.finding(
                "positive.buyer_waiting",
                Severity.INFO,
                f"The buyer is waiting on us: {text.quote(sentence.strip(), 90)} (asked {asked}{when})",
                [describe(activity, around=re.compile(re.escape(sentence.strip()[:40])))],
                what=text.quote(sentence.strip(), 90).strip('"'),
                thing=_thing(sentence[ask.start() :]),
                asked=asked,
                due=due.isoformat() if due else None,
                people=list(activity.with_),
            )
    return None


_THING = lazy(r"\b" + _DELIVERABLE + r"\b", re.IGNORECASE)


def _thing(ask: str) -> str | None:
    """The deliverable an ask names, in the record's words ("one-pager", "ROI model"), or None: an action then
    names it instead of "what the buyer is waiting on"."""
    found = _THING.search(ask)
    return found.group(0).lower() if found else None


_SENT = lazy(r"\b(?:sent|shared|delivered|emailed|uploaded|submitted)\b|已(?:发送?|提供|提交|分享)", re.IGNORECASE)
"""A delivery told later in the sentence ("Amendment sent via DocuSign")."""
_RECEIPT = lazy(
    r"\b(?:received|got it|got (?:the|your)|thanks? (?:you )?for (?:the|your|sending)|(?:is|are) in hand)\b|"
    r"已(?:经)?收到|收到了",
    re.IGNORECASE,
)
"""The buyer's word that what they asked for arrived: "MSA received, will review once …", "thanks for the deck",
"已收到" (not with the thing still owed: "thanks for the reminder, we still need the ROI model")."""
_STILL_OWED = lazy(r"\b(?:still (?:need|waiting|missing|owe)|waiting (?:for|on)|reminder)\b|还(?:在等|需要|没)", re.I)
"""A sentence that says the thing is still owed ("thanks for the reminder, we still need the ROI model")."""
_WE_RECEIVED = lazy(
    r"\b(?:we|i|we'?ve|i'?ve)\s+(?:have\s+|just\s+)?(?:received|got)\b|\breceived\s+(?:from|their|her|his)\b|"
    r"(?:我们|我方|我)(?:已经?)?收到",
    re.IGNORECASE,
)
"""Our own receipt of something of theirs ("We received their questionnaire"): no answer to their ask of us."""


def _acknowledged(ctx: Context, asked: Activity, stems: set[str]) -> bool:
    """A later word from the buyer's side that what they asked for arrived ("Carla: MSA received, will review once
    there's an approved requisition"): an inbound or two-way activity after the ask whose sentence says so and names
    the same thing. The request is answered; what follows is theirs to do."""
    for activity in ctx.deal.activities:
        if not (asked.date <= activity.date <= ctx.as_of) or activity is asked:
            continue
        if direction_of(activity, ctx.deal.stakeholders) == Direction.OUTBOUND:
            continue
        for sentence in re.split(r"(?<=[.;!?])\s+|(?<=[。；！？])", activity.summary or ""):
            receipt = text.first_match(_RECEIPT, sentence)  # "not received yet" is no receipt
            if receipt is None or _WE_RECEIVED.search(sentence) or _STILL_OWED.search(sentence):
                continue
            if stems & {w[:4] for w in _content(sentence)}:
                return True
    return False


def _as_said(activity: Activity) -> str:
    """An activity's summary, and for a proposal we sent, what a proposal delivers: the proposal, pricing, quote."""
    said = activity.summary or ""
    if activity.type == "proposal" and activity.status == ActivityStatus.COMPLETED:
        return f"Sent proposal pricing quote quotation order form: {said}"
    return said


def _asked_for(sentence: str, activity: Activity) -> re.Match[str] | None:
    """A plain request of us in ``sentence`` (:data:`_ASKS_FOR`), unless it is negated ("never asked for a deck"),
    ours ("We asked for the org chart"), or in a message of ours ("Emailed her: could you send the org chart?")."""
    if direction_of(activity) == Direction.OUTBOUND:
        return None
    ask = text.first_match(_ASKS_FOR, sentence)
    if ask is None or _OUR_ASK.search(sentence[: ask.start()]):
        return None
    return ask


def _content(said: str) -> set[str]:
    """The words that name what was asked for (five letters or more, not the plain words around them; a document's
    capitals, "MSA", "SOW", not a title's, "CFO"; in Chinese, each pair of characters)."""
    words = {w for w in re.findall(r"[a-z][a-z-]{4,}", said.lower()) if w not in _PLAIN}
    words |= {w.lower() for w in re.findall(r"\b[A-Z]{3,5}\b", said) if w not in _TITLES}
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", said):
        words |= {run[i : i + 2] for i in range(len(run) - 1)} - _PLAIN_ZH
    return words


def _due(said: str, on: dt.date) -> dt.date | None:
    """The date an ask names ("by 4 December", "Monday", "this week"), read from the day it was made."""
    named = day_named(said, on)
    if named is not None:
        return named
    lowered = said.lower()
    if re.search(r"\b(?:this week|end of (?:the )?week)\b", lowered):
        return on + dt.timedelta(days=max(0, 4 - on.weekday()))
    if re.search(r"\btomorrow\b", lowered):
        return on + dt.timedelta(days=1)
    return None
