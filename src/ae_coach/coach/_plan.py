"""A mutual action plan draft, planned backward from the close date.

The steps and their lead times are ae-coach defaults for a mid-market to enterprise SaaS purchase;
the AE edits them with the buyer. What matters is the shape: the paper process (security review,
legal redlines, procurement, signature) has owners on both sides and starts weeks before the close
date, not in the last week. Steps the deal's own plan already covers are kept as the buyer agreed
them, and a step whose date has already passed is flagged rather than silently moved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from ae_coach._patterns import lazy
from ae_coach.coach._people import label, paper_titled, person_in_role
from ae_coach.coach.report import MapStep
from ae_coach.deal import Signal
from ae_coach.deal.calendar import NO_REPLY_DAYS, Calendar, calendar_for
from ae_coach.i18n import join, phrase, t, term
from ae_coach.inspector.facts import ANSWER_MIN_DAYS as RETURN_DAYS
from ae_coach.inspector.facts import dates_in, durations, named_signer, owed_back, paper_step, renews_with_us
from ae_coach.inspector.settings import in_usd
from ae_coach.inspector.text import find, name_words

if TYPE_CHECKING:
    from ae_coach.deal import Deal, PlanItem
    from ae_coach.inspector.facts import DealFacts


def join_notes(*notes: str | None) -> str:
    """A plan step's note from its parts, the empty ones left out, in the review's language ("; " / "；")."""
    return t("coach.detail_separator").join(n for n in notes if n)


def split_notes(note: str | None) -> list[str]:
    """The parts of a plan step's note (:func:`join_notes`), whichever language joined them."""
    return re.split(r"; |；", note or "") if note else []


SMALL_DEAL_AMOUNT = 25_000
"""Below this amount (the seed's tier-4 band) the draft leaves out the enterprise paper steps: a $9k
team plan bought on a card does not go through a security review, redlines and a PO."""


@dataclass(frozen=True)
class _Template:
    days_before_close: int
    action: str
    side: Any
    kind: Any
    buyer_role: str | None  # who owns it on the buyer's side, by committee role
    team: str  # the owner when nobody in that role is named
    keywords: tuple[str, ...]  # words that show the deal's own plan already has this step
    max_stage: int = 4  # leave the step out once the deal is past this stage (0 discovery .. 4 closing)
    done_when: tuple[str, ...] = ()  # phrases in a completed activity that show the step already happened
    enterprise: bool = False  # security review, redlines, procurement: not for a small self-serve purchase
    new_logo: bool = False  # security review, implementation kick-off: an existing customer has done these
    existing: str | None = None  # the step's words for an existing customer (a renewal is no vendor onboarding)
    started_when: tuple[str, ...] = ()  # words of a later step already under way on record (the paper went out)
    decided_at: tuple[str, ...] = ()  # words of a buyer's own step where this decision is taken ("Scorecard decision")
    review: bool = False  # the buyer's security review: never dated before the record says it can be back
    after_review: bool = False  # needs the security sign-off first (vendor onboarding, the signature)
    on_record: str | None = None  # what the buyer's side shows done in a two-way activity (:func:`_on_record`)


_STEPS: tuple[_Template, ...] = (
    _Template(
        49,
        "Agree the evaluation plan and written success criteria",
        "joint",
        "evaluation",
        "champion",
        "buyer champion + AE",
        ("success criteria", "evaluation plan"),
        max_stage=2,
        done_when=("pilot completed", "poc completed", "pilot passed", "success criteria agreed"),
    ),
    _Template(
        42,
        "Send the security questionnaire and architecture documents; start the security review",
        "seller",
        "paper",
        None,
        "AE + solutions engineer",
        ("security questionnaire",),
        done_when=("security questionnaire", "security review"),
        enterprise=True,
        new_logo=True,
        on_record="security_under_way",
    ),
    _Template(
        35,
        "Present the business case and pricing to the economic buyer",
        "joint",
        "decision",
        "economic_buyer",
        "to name: economic buyer",
        ("business case", "cfo", "economic buyer", "proposal review"),
        done_when=(
            "reviewed the business case",
            "business case review",
            "presented the business case",
            "approved price",
            "approved the price",
            "approved the spend",
            "approved spend",
            "approved the business case",
            "agreed the case",
            "agreed the business case",
        ),
        decided_at=("decision", "approval", "board"),
        on_record="price_accepted",
    ),
    _Template(
        28,
        "Complete the security review and sign-off",
        "buyer",
        "paper",
        "technical_buyer",
        "buyer security team",
        ("security review", "security sign", "infosec", " security "),  # "MSA and security" (done 11-13)
        done_when=("security review passed", "security review complete", "security sign-off", "security approved"),
        enterprise=True,
        new_logo=True,
        review=True,
    ),
    _Template(
        28,
        "Send the order form and contract for legal review",
        "seller",
        "paper",
        None,
        "AE + deal desk",
        ("order form", "contract sent", "msa", "contract final", "final contract", "contract agreed"),
        done_when=("has the order form", "order form sent", "contract sent"),
        started_when=("legal review", "redline", "counsel review", "liability", "indemnit", "clause"),
    ),
    _Template(
        17,
        "Agree legal redlines",
        "joint",
        "paper",
        None,
        "buyer legal + seller legal",
        (
            "redline",
            "legal review",
            "legal",
            "counsel",
            "liability",
            "indemnit",
            "clause",
            "contract final",
            "final contract",
            "contract agreed",
        ),
        enterprise=True,
    ),
    _Template(
        10,
        "Procurement: vendor onboarding and purchase order",
        "buyer",
        "paper",
        None,
        "buyer procurement",
        ("procurement", "purchase order", "vendor onboarding", "po "),
        enterprise=True,
        existing="Procurement: purchase order against the existing vendor record",
        after_review=True,
    ),
    _Template(
        3,
        "Signature by the economic buyer",
        "buyer",
        "signature",
        "economic_buyer",
        "to name: economic buyer",
        ("signature", "countersign", "contract signed", "order form signed", " signs"),
        after_review=True,
    ),
    _Template(
        -14,
        "Kick-off: hand over to implementation and customer success; agree the first-value date",
        "seller",
        "onboarding",
        None,
        "AE + customer success",
        ("kick-off", "kickoff", "handoff", "hand over"),
        new_logo=True,
    ),
)


WORKING_DAYS_PER_WEEK = 5

CREDIBLE_SQUEEZE = 1.5
"""A close date is not credible when the steps still to do need more than this many times the working days
left before it (ae-coach default): squeezing a six-week paper process into two is not a plan."""


PREPARED_BY = {"meddpicc.paper_process": ("paper",), "meddpicc.economic_buyer": ("decision", "signature")}
"""The drafted steps an action for a finding prepares: until the rep knows who owns security, legal and
procurement, no paper step can be dated, and until the signer is met no business-case review or signature
(``ready`` of :func:`draft_plan`)."""


_SIGNATURE = next(step for step in _STEPS if step.kind == "signature")
RENEWAL_SIGNATURE = "Signature of the renewal order form"
"""The renewal's own signature step (English; :func:`phrase` gives it in the review's language)."""

_GATE_STEP = _Template(
    0,
    "Agree a close date and the steps to signature with the economic buyer",
    "joint",
    "decision",
    "economic_buyer",
    "to name: economic buyer",
    (),
)
"""The gate a deal called Pipeline or Omitted has to earn when the draft has no business-case step left for it."""

_GATE_SPACING = 5
"""Working days between two drafted gate steps (ae-coach default: one meeting a week)."""


@dataclass(frozen=True)
class Hold:
    """What the buyer's side still has to say before the paper moves: ``until``, the day the answer on a hold at
    their company is due from ``who`` (their paper steps wait for it), or ``later``, why the signature falls after
    the quarter whatever the plan's date (the buyer's own paper process, or their word)."""

    until: dt.date | None = None
    who: str | None = None
    later: str | None = None
    by: dt.date | None = None
    """The quarter's last day: only a signature dated in it is one the ``later`` reason takes away."""


def draft_plan(
    deal: Deal,
    as_of: dt.date,
    calendar: Calendar | None = None,
    ready: dict[str, dt.date] | None = None,
    stalled: str | None = None,
    gate: str | None = None,
    commercial_first: bool = False,
    *,
    committed: bool = False,
    self_serve: bool = False,
    call_holds: bool = False,
    facts: DealFacts | None = None,
    hold: Hold | None = None,
    signer_booked: bool = False,
) -> list[MapStep]:
    """The MAP draft for an open deal (:func:`_draft`), with what the buyer's side still has to say (``hold``):
    under a hold at their company no paper step is drafted before the answer is due, and every paper step still
    ahead says it waits for that answer (a step the draft rebooks moves after it; the buyer's own dates stay theirs);
    a signature the record puts after the quarter says why, at risk."""
    calendar = calendar or calendar_for(None, deal)
    ready = dict(ready or {})
    if hold is not None and hold.until is not None:
        after = calendar.add(hold.until, 1)
        ready.update({kind: max(ready.get(kind, after), after) for kind in ("paper", "signature")})
    plan = _draft(
        deal,
        as_of,
        calendar,
        ready,
        stalled,
        gate,
        commercial_first,
        committed,
        self_serve,
        call_holds,
        facts,
        signer_booked,
    )
    if hold is None:
        return plan
    return _held_once(
        sorted(_held(plan, deal, as_of, hold, calendar), key=lambda s: (s.date, s.kind != "agreed")), hold
    )


def _held_once(plan: list[MapStep], hold: Hold) -> list[MapStep]:
    """Why the paper waits and until when, on the first held step only; the later ones say they wait for the
    same answer (a blind VP grade: the same internal deadline three times in one plan)."""
    if hold.until is None:
        return plan
    out = plan
    for full, again in (
        (t("plan.held", name=hold.who, date=hold.until), t("plan.held_again", name=hold.who)),
        (t("plan.held_expansion", name=hold.who), t("plan.held_expansion_again")),  # a renewal's: said once too
    ):
        out, said = [], False
        for step in plan:
            if said and full in (step.note or ""):
                step = step.model_copy(update={"note": (step.note or "").replace(full, again)})
            said = said or full in (step.note or "")
            out.append(step)
        plan = out
    return out


def _held(plan: list[MapStep], deal: Deal, as_of: dt.date, hold: Hold, calendar: Calendar) -> list[MapStep]:
    own = {(item.action, item.date) for item in deal.mutual_action_plan}
    if deal.next_step is not None:
        own.add((deal.next_step.action, deal.next_step.date))
    out = []
    renewal = phrase("plan.step", RENEWAL_SIGNATURE)  # our own contract's signature: never held
    renews = renews_with_us(deal)
    for step in plan:
        if step.action == renewal:
            out.append(step)
            continue
        ahead = step.status != "done" and step.date >= as_of
        signs = step.kind == "signature" or (step.kind == "agreed" and _reads(step.action, _SIGNATURE))
        paper = (
            signs
            or step.kind == "paper"
            or (step.kind == "agreed" and bool(paper_step(step.action) or _gate_of(step.action)))
        )
        if ahead and paper and hold.until is not None and renews:
            # a renewal of our own contract: its paper keeps moving; only the expansion waits for the answer
            kept = join_notes(step.note, t("plan.held_expansion", name=hold.who))
            step = step.model_copy(update={"note": kept})
        elif ahead and paper and hold.until is not None:
            held = t("plan.held", name=hold.who, date=hold.until)
            date = step.date
            if (step.action, step.date) not in own and date <= hold.until:  # dated by the draft, not the buyer
                date = calendar.add(hold.until, 1)
            step = step.model_copy(
                update={
                    "date": date,
                    "status": "at_risk",
                    "note": join_notes(step.note, held),
                }
            )
        if ahead and signs and step.kind == "agreed" and hold.later and (hold.by is None or step.date <= hold.by):
            gated = t("plan.gated_signature")
            note = (step.note or "").replace(gated, hold.later) if gated in (step.note or "") else step.note
            note = note if hold.later in (note or "") else join_notes(note, hold.later)
            step = step.model_copy(update={"status": "at_risk", "note": note})
        out.append(step)
    return out


def _draft(
    deal: Deal,
    as_of: dt.date,
    calendar: Calendar,
    ready: dict[str, dt.date],
    stalled: str | None = None,
    gate: str | None = None,
    commercial_first: bool = False,
    committed: bool = False,
    self_serve: bool = False,
    call_holds: bool = False,
    facts: DealFacts | None = None,
    signer_booked: bool = False,
) -> list[MapStep]:
    """The MAP draft for an open deal (won deals get the onboarding step; lost deals none).

    Steps are planned back from the close date in working days (``calendar``: weekends, public holidays
    and the team's days off are never plan dates); the deal's own plan steps and meetings already on the
    calendar are kept as they are. No drafted step is dated before ``ready[kind]`` (default: the review
    date), the day after the action that prepares steps of that kind, nor before the step it follows. When the close date leaves far too little time for
    the steps still to do, the draft says so and plans forward to a realistic close instead of squeezing
    the steps; a deal with no future close date is planned forward the same way, never back from a date
    ae-coach made up. A ``stalled`` deal (the buyer has gone quiet: why, in a few words) keeps the record's own
    steps and next step and drafts nothing more: a paper process planned into a silence is a template, not a
    plan.

    A ``gate`` (the call is Pipeline or Omitted: what the deal has to earn first, in a few words) drafts only the
    steps up to that gate and says the steps to signature come once it is passed; the buyer's own dated signature
    is kept but flagged, never planned to. With ``commercial_first`` (an open price objection, a competitor back,
    a new economic buyer) no paper step is dated before the business-case step it waits for.
    ``committed`` (the signer said yes, holds the paper and dated the signature: ``timing.committed``) drafts no
    step up to the signature: the buyer's own steps and the hand-over after it are the plan. A ``self_serve`` deal
    (tier 4: served through self-serve or a partner, account-tiering) gets no evaluation plan or business-case
    presentation drafted: a trial and a purchase are its whole process. With ``call_holds`` (the call is Best Case
    or Commit for this period: the buyer's evidence says it can close by its date) the drafted steps, whose lengths
    are ae-coach defaults and not the buyer's, are fitted before the close date instead of calling it not credible
    (the record's own lead times reach the call through the inspector). Fitted steps keep one working day between
    them at the least (:func:`_least`); when even that cannot land them before the close date (:func:`_fastest_close`),
    under a Best Case or Commit call they become one step that asks the buyer which are done or not needed
    (:func:`_what_remains`: the buyer's evidence holds the date, ae-coach's default lead times do not move it), and
    under any other call the date is not credible and the draft plans forward. A step the deal's ``facts`` show
    done or under way on the buyer's side (:func:`_on_record`) is not drafted.
    """
    stage_value = str(deal.stage)
    if stage_value == "closed_lost":
        return []
    dated = [item for item in deal.mutual_action_plan if item.date]
    agreed = [_agreed_step(item, as_of, calendar, deal, facts) for item in dated]
    agreed += _said_steps(deal, as_of, agreed, calendar) if deal.is_open and stage_value != "closed_won" else []
    if stage_value == "closed_won":
        close = deal.close_date or as_of
        kickoff = _STEPS[-1]
        if any(_reads(item.action, kickoff) for item in deal.mutual_action_plan) or _already_done(kickoff, deal, as_of):
            return sorted(agreed, key=lambda s: s.date)  # the kick-off is on the plan or held: nothing to draft
        return sorted([*agreed, _make(kickoff, deal, close, (as_of, as_of), None, calendar)], key=lambda s: s.date)
    own = [item.action for item in deal.mutual_action_plan if _still_counts(item, as_of)]
    order = deal.stage.order if hasattr(deal.stage, "order") else 0
    if stage_value == "discovery":
        # before discovery has found the problem there is nothing to plan to a signature with the buyer: the
        # buyer's own steps and the next step only (a blind VP grade: "a MAP should not exist at this stage")
        begin = calendar.on_or_after(as_of)
        agreed += _next_step(deal, agreed, as_of, begin, calendar, stalled=bool(stalled))
        return sorted(agreed, key=lambda s: s.date)
    steps = [
        step
        for step in _STEPS
        if order <= step.max_stage
        and not (step.enterprise and 0 < in_usd(deal.amount, deal.currency) < SMALL_DEAL_AMOUNT)
        and not (step.new_logo and _existing_customer(deal))
        and not any(_reads(action, step) for action in own)
        and not _decided_on_plan(step, deal, as_of)
        and not _already_done(step, deal, as_of)
        and not (facts is not None and _on_record(step, facts, commercial_first))
    ]
    if facts is not None and _po_under_way(facts):  # what comes before their purchase order is behind them
        steps = [s for s in steps if not (s.kind == "paper" and s.days_before_close > _PURCHASE_ORDER_DAYS)]
    if (
        0 < in_usd(deal.amount, deal.currency) < SMALL_DEAL_AMOUNT
    ):  # an order form for a small purchase is a week's paper, not a month's
        steps = [_small(step) for step in steps]
    if committed:
        steps = [step for step in steps if step.days_before_close < 0]  # only what follows the signature
    if self_serve:
        steps = [step for step in steps if step.kind not in ("evaluation", "decision")]
    steps = [_on_record_lead(step, deal) for step in steps]
    begin = calendar.on_or_after(as_of)
    answer = answer_days(facts)
    sized = facts.timing.questionnaire if facts is not None else None
    record = [] if stalled else _record_steps(deal, as_of, begin, calendar, answer, sized.items if sized else None)
    if record:  # the record's own security clock replaces the draft's "send the questionnaire"
        steps = [s for s in steps if s.keywords != ("security questionnaire",)]
    if gate and not stalled:
        agreed += _next_step(deal, agreed, as_of, begin, calendar)
        return sorted(
            _gated(deal, agreed, steps, (as_of, begin), ready, gate, calendar, signer_booked) + record,
            key=lambda s: (s.date, s.kind != "agreed"),
        )
    needed = max((_working(step) for step in steps if step.days_before_close > 0), default=0)
    # planned forward, the first step waits for the action that prepares it
    first = next((str(s.kind) for s in steps if s.days_before_close > 0), "")
    realistic = calendar.add(max(begin, ready.get(first, begin)), needed + 2)
    # the close a note promises is the day the drafted signature lands, never a date after it
    signs = calendar.add(realistic, -_working(_SIGNATURE))
    close, note = deal.close_date or realistic, None
    if deal.close_date is None or deal.close_date < as_of:
        # No date the buyer gave: plan forward rather than back from a date ae-coach made up.
        close, note = realistic, t("plan.no_close_date", realistic=signs)
    elif not call_holds and needed and needed > CREDIBLE_SQUEEZE * max(calendar.between(begin, close), 1):
        left = calendar.between(begin, close)
        note = t("plan.not_credible", close=close, needed=needed, left=left, realistic=signs)
        close = realistic
    # the buyer's own purchase order or signature ahead is the day the drafted steps it needs have to be done by
    gate_step = _own_gate(agreed, begin, close) if note is None else None
    frame = _Frame(
        deal, as_of, begin, ready, calendar, review_back(deal, as_of, calendar, answer) if record else None, gate_step
    )
    fitted, drafted = _fitted(frame, steps, (agreed, dated), (close, note), commercial_first)
    fastest = _fastest_close(
        [s for s in steps if gate_step is None or _order(s) < _order(gate_step[1])], drafted, calendar
    )
    limit = close if gate_step is None else gate_step[0].date
    if note is None and fastest is not None and fastest > limit and call_holds:
        # the buyer's evidence holds the date; ae-coach's default steps are what does not fit. Not a later close
        # on template lead times (a firm whose partners approved and whose signer dated it got security, redlines
        # and procurement into next quarter): one step asks which of them are done or not needed, before the date
        drafted = _what_remains(drafted, deal.close_date or close, fastest, begin, gate_step)
    elif note is None and fastest is not None and fastest > limit:
        # even one working day apart the steps do not fit before the buyer's date: not credible
        close = max(realistic, fastest)
        signs = calendar.add(close, -_working(_SIGNATURE))
        note = t("plan.not_credible_fastest", close=deal.close_date, fastest=fastest, realistic=signs)
        fitted, drafted = _fitted(frame, steps, (agreed, dated), (close, note), commercial_first)
    agreed = fitted
    agreed, drafted = _replace_missed(agreed, drafted, begin, calendar)
    agreed, drafted = _before_buyer(agreed, drafted, {**ready, "begin": begin}, calendar, fits=note is None)
    agreed += _next_step(deal, agreed, as_of, begin, calendar, stalled=bool(stalled))
    if stalled:
        kept = sorted(agreed, key=lambda s: s.date)
        if kept:
            lead = kept[0]
            held = t("plan.stalled", why=stalled)
            kept[0] = lead.model_copy(update={"note": join_notes(lead.note, held)})
        return kept
    return sorted(agreed + drafted + record, key=lambda s: (s.date, s.kind != "agreed"))


def _what_remains(
    drafted: list[MapStep],
    close: dt.date,
    fastest: dt.date,
    begin: dt.date,
    gate: tuple[MapStep, _Template] | None = None,
) -> list[MapStep]:
    """Under a Best Case or Commit call, drafted steps that cannot fit one working day apart before the buyer's
    close date, or before the buyer's own purchase order or signature step (``gate``), become one step on the first
    working day: confirm with the buyer which of them are already done, run in parallel or are not needed. The
    steps after it (the signature after a purchase order, the kick-off) stay."""
    own = gate[0] if gate else None
    after = ("onboarding",) if gate is None or gate[1].kind == "signature" else ("signature", "onboarding")
    before = [d for d in drafted if d.kind not in ("signature", "onboarding")]
    if not before:
        return drafted
    names = join([re.split("[;；]", d.action)[0].lower() for d in before])
    if own is None:
        action, note = t("plan.what_remains", steps=names, close=close), t("plan.tight", close=close, fastest=fastest)
    else:
        action = t("plan.what_remains_before", steps=names, action=own.action, date=own.date)
        note = t("plan.tight_before", action=own.action, date=own.date, fastest=fastest)
    check = before[0].model_copy(
        update={"date": begin, "action": action, "side": "joint", "status": "proposed", "note": note}
    )
    return [check, *(d for d in drafted if d.kind in after)]


@dataclass(frozen=True)
class _Frame:
    """What dates a draft's steps besides the close date: the deal, the review date and the first working day
    a drafted step can start, the day each kind of step is ready (``ready`` of :func:`draft_plan`), the calendar
    and the day the record's security review can be back."""

    deal: Deal
    as_of: dt.date
    begin: dt.date
    ready: dict[str, dt.date]
    calendar: Calendar
    back: dt.date | None
    gate: tuple[MapStep, _Template] | None = None
    """The buyer's own purchase order or signature step ahead, on or before the close date (:func:`_own_gate`)."""


def _fitted(
    frame: _Frame,
    steps: list[_Template],
    own: tuple[list[MapStep], list[Any]],
    target: tuple[dt.date, str | None],
    commercial_first: bool,
) -> tuple[list[MapStep], list[MapStep]]:
    """The buyer's steps (``own``: as drafted, and the plan items they came from) and the drafted ones, planned
    back from ``target`` (the close date, and the note that says why it is not the buyer's, if it is not). Each
    drafted step follows the one before it by at least :func:`_least` working days: a step that is late for the
    close date moves later, it does not pile onto the day of the step before it."""
    deal, as_of, begin, ready, calendar = frame.deal, frame.as_of, frame.begin, frame.ready, frame.calendar
    (agreed, dated), (close, note) = own, target
    if note and deal.close_date != close:  # the buyer's own dates that come before the steps they need
        mine = [_too_soon(a, item, steps, deal, close, calendar) for a, item in zip(agreed, dated, strict=False)]
        agreed = mine + agreed[len(dated) :]  # the dated steps the record's conversations add stay as they are
        if any(a.note and a.status == "at_risk" and a.date >= as_of for a in agreed):  # plan the signature again
            steps = sorted({*steps, _SIGNATURE}, key=_order)
    drafted: list[MapStep] = []
    chain: list[dt.date] = []  # the drafted dates the steps after them follow
    before: tuple[_Template, dt.date] | None = None  # the step before, and its date
    signoff: dt.date | None = None  # the security sign-off, when the record's review clock dates it
    # the buyer's approval meeting dates the contract only when the close date holds: planned forward from
    # today, the steps land where they can, and the meeting is what the note's realistic date moves
    approval = buyer_approval(deal, as_of, close) if note is None else None
    paper_close = close if approval is None else _before_approval_close(close, approval, calendar)
    # planned back from the buyer's own purchase order or signature as if it were that step of the close: nothing
    # it needs is dated after it
    if frame.gate is not None and note is None:
        step_of_buyer, template = frame.gate
        close = min(close, calendar.add(step_of_buyer.date, _working(template)))
        paper_close = min(paper_close, close)
    first = next((str(s.kind) for s in steps if s.days_before_close > 0), "")
    pace = _pace(steps, max(begin, ready.get(first, begin)), close, calendar)
    for step in steps:
        ahead = step.days_before_close > 0
        follows = [*chain, *([signoff] if signoff and step.after_review else [])] if ahead else []
        earliest = max([begin, ready.get(str(step.kind), begin), *follows])
        paced = calendar.add(before[1], _least(step, before[0], pace)) if ahead and before else earliest
        case = (
            _commercial(agreed, drafted, calendar) if commercial_first and step.kind in ("paper", "signature") else []
        )
        back_from = paper_close if _approved_paper(step) else close
        start = max([earliest, paced, *case])
        made = _make(step, deal, back_from, (as_of, start), note if not drafted else None, calendar)
        due = calendar.add(back_from, -_working(step))
        if approval is not None and _approved_paper(step) and made.status == "proposed":
            made = made.model_copy(update={"note": join_notes(made.note, _before_approval(approval))})
        if case and case[0] > earliest and made.status == "at_risk":  # held back by the objection, not late
            waits = t("plan.waits_for_case", date=calendar.add(case[0], -1))
            made = made.model_copy(update={"note": join_notes(t("plan.proposed"), waits)})
        elif paced > max([earliest, *case]) and made.status == "at_risk" and due >= as_of:
            # held back by the step before it, not by an action still to do
            paced_note = t("plan.after_step", date=due, start=made.date)
            made = made.model_copy(update={"note": join_notes(t("plan.proposed"), paced_note)})
        chain.append(made.date)
        before = (step, made.date)
        if step.review and frame.back is not None and frame.back > made.date:
            # never before the buyer's own clock allows; steps that do not need the sign-off keep their dates
            waiting = [s for s in steps if s.after_review]
            made, signoff = _after_review(made, frame.back, waiting, close, calendar), frame.back
        drafted.append(made)
    signature = next((d for d in drafted if d.kind == "signature"), None)
    if signature is not None and note and signature.note is None:
        drafted[drafted.index(signature)] = signature.model_copy(update={"note": note})
    return agreed, drafted


_REDLINES = next(
    step for step in _STEPS if step.kind == "paper" and step.enterprise and step.team.startswith("buyer legal")
)
_GATES = tuple(step for step in _STEPS if step.kind == "signature" or step.after_review)
"""The last steps before a contract is live, the purchase order and the signature: when the buyer's own plan dates
one, every drafted step it needs comes before it."""


def _gate_of(action: str) -> _Template | None:
    """The latest of :data:`_GATES` a plan step reads as ("Order form signature and PO": the signature)."""
    return next((g for g in reversed(_GATES) if _reads(action, g)), None)


def _own_gate(agreed: list[MapStep], begin: dt.date, close: dt.date) -> tuple[MapStep, _Template] | None:
    """The buyer's own plan step still planned ahead, on or before the close date, that raises the purchase order
    or signs ("PO approved and issued" on 12-11, "CEO signature" on 12-12 for a 12-15 close; "Sign at partners'
    mtg"), with the step it reads as: of several, the one the drafted steps have to be done by first."""
    found = [
        (a, g)
        for a in agreed
        if a.status == "planned" and a.side != "seller" and begin <= a.date <= close and (g := _gate_of(a.action))
    ]
    return min(found, key=lambda f: (f[0].date, _order(f[1])), default=None)


def _before_buyer(
    agreed: list[MapStep], drafted: list[MapStep], floor: dict[str, dt.date], calendar: Calendar, *, fits: bool
) -> tuple[list[MapStep], list[MapStep]]:
    """No drafted step on or after a step of the buyer's own plan that needs it (procurement after "CEO signature",
    redlines after "PO approved and issued"): it moves to the working day before, when the steps it follows leave
    room (``floor``: the first day each kind of step can be, by :func:`draft_plan`'s ``ready``) and the plan is
    planned back from the buyer's dates (``fits``), else the buyer's step is at risk and says which drafted steps
    cannot be done before it: a plan drafted forward to a realistic close does not squeeze its steps back."""
    drafted = list(drafted)
    for index, own in enumerate(agreed):
        gate = _gate_of(own.action) or (_REDLINES if _reads(own.action, _REDLINES) else None)
        if gate is None or own.status != "planned" or own.side == "seller":  # the buyer's own date, not a rebooking
            continue
        late: list[MapStep] = []
        for at, step in sorted(enumerate(drafted), key=lambda d: d[1].date):
            template = _template_of(step)
            if template is None or not _needs(gate, template) or step.date < own.date:
                continue
            lowest = max(
                [floor.get(str(step.kind), floor["begin"]), floor["begin"]]
                + [
                    calendar.add(other.date, _least(template, before, 0.0))
                    for other in drafted
                    if (before := _template_of(other)) is not None and _needs(template, before)
                ]
            )
            if fits and lowest < own.date:
                note = join_notes(t("plan.proposed"), t("plan.before_buyer", action=own.action, date=own.date))
                drafted[at] = step.model_copy(update={"date": max(lowest, calendar.add(own.date, -1)), "note": note})
            else:
                late.append(step)
        if late:
            names = join([re.split("[;；]", d.action)[0].lower() for d in late])
            held = t("plan.buyer_step_late", steps=names, date=min(d.date for d in late))
            agreed[index] = own.model_copy(update={"status": "at_risk", "note": join_notes(own.note, held)})
    return agreed, drafted


def _needs(step: _Template, before: _Template) -> bool:
    """``step`` waits for ``before``: a step earlier in the templates' order, except that the security review runs
    beside the business case and the contract and its redlines (only the purchase order and the signature wait
    for the security sign-off)."""
    if _order(before) >= _order(step) or step.kind == "onboarding":
        return False
    security = before.new_logo and before.enterprise  # the questionnaire and the review
    return not (security and not step.after_review) and not (step.review and before.kind == "decision")


def _template_of(step: MapStep) -> _Template | None:
    """The template a drafted step was made from, by its words (in the review's language)."""
    if step.kind in ("agreed", "onboarding"):
        return None
    return next((t for t in _STEPS if step.action in (phrase("plan.step", a) for a in _actions_of(t))), None)


def _pace(steps: list[_Template], start: dt.date, close: dt.date, calendar: Calendar) -> float:
    """The share of their usual spacing the drafted steps get: 1 when the working days from ``start`` (the first
    day the first of them can be done) to the close hold them at their usual lead times, less when they are late,
    so that the steps still to do spread over the days left instead of all landing on the first of them."""
    first = next((s for s in steps if s.days_before_close > 0), None)
    if first is None or _working(first) <= 0:
        return 1.0
    return min(1.0, calendar.between(start, close) / _working(first))


def _least(step: _Template, before: _Template, pace: float) -> int:
    """Working days ``step`` comes after the step before it: the usual gap at ``pace``, never less than one working
    day (ae-coach default: the least any paper process allows, since each step works on what the one before it
    produced), and 0 for steps that run side by side, such as the security sign-off and sending the contract."""
    usual = _working(before) - _working(step)
    return 0 if usual <= 0 else max(1, int(usual * pace))


def _fastest_close(steps: list[_Template], drafted: list[MapStep], calendar: Calendar) -> dt.date | None:
    """The earliest close date the drafted steps allow, one working day apart at the least (:func:`_least`): the
    day after the last of them, or the day of a drafted signature (None when nothing before the signature is
    drafted). Only the drafted steps count: what the buyer's plan already holds or the record shows done is
    theirs, not a default lead time to wait out."""
    ahead = [(s, d) for s, d in zip(steps, drafted, strict=False) if s.days_before_close > 0]
    return max((calendar.add(d.date, 0 if s.kind == "signature" else 1) for s, d in ahead), default=None)


_SECURITY = r"security|vendor risk|risk assessment|risk committee|infosec|\bassessment\b"
_LEGAL = r"legal|contract|redline"


_SAID_STEP = lazy(
    r"\b(?P<what>PO|purchase order|order form|contract|redlines?|legal (?:review|approval|sign-?off)|"
    r"security (?:review|sign-?off|approval)|signature|signing|board approval|procurement)\b"
    r"[^.;:,]{0,20}?\b(?P<how>by|due|before|no later than)\s+(?P<when>[^.;,]{3,20})",
    re.IGNORECASE,
)
"""A dated step of the paper process the buyer gave in a conversation ("procurement timeline confirmed: PO by
2026-12-10"): a date on their side the plan has to carry."""
_SAME_STEP = {"po": "purchase order", "redline": "redlines", "signing": "signature"}


def _said_steps(deal: Deal, as_of: dt.date, agreed: list[MapStep], calendar: Calendar) -> list[MapStep]:
    """The buyer's dated paper steps the record mentions and the deal's plan leaves out, each from the latest
    conversation that gives it: the plan a rep sends back carries them with an owner (a blind VP grade: "PO by
    2026-12-10" from the 12 November call was missing from the plan, the step most likely to slip a December
    close)."""
    found: dict[str, tuple[dt.date, str, Any]] = {}
    for activity in sorted(deal.activities, key=lambda a: a.date):
        if str(activity.status) != "completed" or activity.date > as_of:
            continue
        for match in _SAID_STEP.finditer(activity.summary or ""):
            when = dates_in(match.group("when"), activity.date)
            if not when or when[0] < as_of:
                continue
            what, day = match.group("what").lower(), when[0]
            if match.group("how").lower() == "before":  # "signing batch before the 12/31 expiry": the day before
                day = calendar.on_or_before(day - dt.timedelta(days=1))
            found[_SAME_STEP.get(what, what)] = (day, match.group(0).strip(), activity)
    out = []
    for key, (day, said, activity) in found.items():
        words = {key, *(k for k, v in _SAME_STEP.items() if v == key)}
        if any(a.status != "done" and any(re.search(rf"\b{re.escape(w)}\b", a.action.lower()) for w in words)
               for a in agreed):  # fmt: skip
            continue  # on the plan already
        owner = _named_owner(said, deal) or phrase("plan.team", "buyer procurement")
        note = t("plan.said", date=activity.date, type=term(activity.type))
        note += "" if calendar.working(day) else day_off_note(day, calendar)
        out.append(MapStep(date=day, action=said, side="buyer", owner=owner, kind="paper", note=note))
    return out


def record_lead_days(deal: Deal, about: str = _SECURITY) -> int | None:
    """The longest lead time the record gives for a paper step (``about``: words of what it is for, e.g. "Vendor
    risk assessment needed; 6-8 weeks"), in calendar days: the upper end, since a plan that needs the short end is
    late. A buyer's "8 weeks" is eight calendar weeks, holidays included, never forty of our working days."""
    texts = [deal.meddpicc.paper_process.evidence or "", *((a.summary or "") for a in deal.activities)]
    words = lazy(about, re.I)
    days = [d for text in texts if words.search(text) for _, d in durations(text)]
    return max(days, default=None)


def _order(step: _Template) -> int:
    return [s.action for s in _STEPS].index(step.action)


def _on_record_lead(step: _Template, deal: Deal) -> _Template:
    """A step whose lead time the record gives starts that long (plus the steps after it) before the close, never
    later than the ae-coach default: the security review from sending the questionnaire, legal from the paper."""
    about = {"Send the security questionnaire": (_SECURITY, 28), "Agree legal redlines": (_LEGAL, 10)}
    # days after it by default: the security sign-off and order form; procurement and signature
    key = next((k for k in about if step.action.startswith(k)), None)
    if key is None:
        return step
    words, follows = about[key]
    days = record_lead_days(deal, words)
    if not days:
        return step
    return replace(step, days_before_close=max(step.days_before_close, days + follows))


def _record_steps(
    deal: Deal,
    as_of: dt.date,
    begin: dt.date,
    calendar: Calendar,
    answer: int = RETURN_DAYS,
    items: int | None = None,
) -> list[MapStep]:
    """Steps the record has already started a clock on: a security questionnaire the buyer sent is the seller's to
    return as soon as its size allows (``answer`` working days: :func:`answer_days`), and the buyer's review runs
    its recorded lead time from then."""
    received = owed_back(deal, as_of)
    if received is None:
        return []
    due = calendar.add(begin, answer)
    note = t("plan.received", date=received.date)
    note += t("plan.answer_pace", items=items, days=answer) if items else ""
    days, back = record_lead_days(deal), review_back(deal, as_of, calendar, answer)
    status: Literal["planned", "at_risk"] = "planned"
    if days and back is not None:
        note += t("plan.record_lead", weeks=-(-days // 7), date=back)
        waiting = _waits_for_review(deal, as_of)
        if waiting is not None and back >= waiting.date:  # the buyer's own risk meeting comes before the verdict
            note += t("plan.record_lead_after_event", action=waiting.action, date=waiting.date)
            status = "at_risk"
        elif waiting is not None:
            note += t(
                "plan.record_lead_before_event",
                action=waiting.action,
                date=waiting.date,
                days=(waiting.date - back).days,
            )
        if deal.close_date is not None and back > deal.close_date:
            note += t("plan.record_lead_late", close=deal.close_date)
    owner = phrase("plan.team", "AE + solutions engineer").replace("AE", deal.owner or "AE")
    return [
        MapStep(
            date=due,
            action=phrase("plan.step", "Return the completed security questionnaire"),
            side="seller",
            owner=owner,
            kind="paper",
            status=status,
            note=note,
        )
    ]


def _waits_for_review(deal: Deal, as_of: dt.date) -> Any:
    """The buyer's own next dated step that needs the security review's verdict ("Board risk committee"): the
    event the questionnaire's clock runs against, before the close date."""
    words = lazy(_SECURITY, re.I)
    ahead = [p for p in deal.mutual_action_plan if p.date and p.date > as_of and str(p.status) in ("planned", "late")]
    return min((p for p in ahead if words.search(p.action)), key=lambda p: p.date or dt.date.max, default=None)


def answer_days(facts: DealFacts | None) -> int:
    """Working days our side takes to answer the buyer's questionnaire: its size at the settings' pace where the
    record gives it ("questionnaire attached (212 questions)": ``timing.questionnaire``), else ``RETURN_DAYS``."""
    asked = facts.timing.questionnaire if facts is not None else None
    return asked.days if asked is not None else RETURN_DAYS


def review_back(deal: Deal, as_of: dt.date, calendar: Calendar, answer: int = RETURN_DAYS) -> dt.date | None:
    """When the buyer's security review can be back: the questionnaire they sent returned as soon as our answers
    allow (``answer`` working days), plus the lead time the record gives their review ("6-8 weeks": the upper end).
    None when the record starts no clock."""
    days = record_lead_days(deal)
    if owed_back(deal, as_of) is None or not days:
        return None
    returned = calendar.add(calendar.on_or_after(as_of), answer)
    return calendar.on_or_after(returned + dt.timedelta(days=days))


def _after_review(
    made: MapStep, back: dt.date, waiting: list[_Template], close: dt.date, calendar: Calendar
) -> MapStep:
    """The security sign-off on the day the record says the review can be back, not the default day before it.
    When that leaves no room for the first step that needs the sign-off (vendor onboarding, the signature)
    before the close, the close date is called at risk rather than the steps squeezed."""
    first = min((calendar.add(close, -_working(s)) for s in waiting), default=close)
    if back < first:
        return made.model_copy(
            update={
                "date": back,
                "note": join_notes(t("plan.proposed"), t("plan.review_back", date=back)),
            }
        )
    late = t("plan.review_close_at_risk", date=back, close=close)
    return made.model_copy(update={"date": back, "status": "at_risk", "note": join_notes(t("plan.proposed"), late)})


APPROVAL_EVENT = lazy(
    r"\bboard\b|\b(?:audit|risk|finance|investment|capital|credit|approvals?) committee\b|"
    r"\bcommittee (?:review|approval|sign-?off)\b",
    re.IGNORECASE,
)
"""Words of a buyer's governance meeting that approves the purchase ("Board risk committee", "Audit committee
review", "Finance committee approval"), as whole words ("Onboarding" is no board): the contract it approves has
to be ready before it sits, not in the days before the signature. A committee that picks a vendor ("Committee
vote" after a bake-off) approves no contract yet."""


def buyer_approval(deal: Deal, as_of: dt.date, close: dt.date) -> PlanItem | None:
    """The buyer's last approval meeting on their own plan that is still ahead and before the close date."""
    ahead = [
        p
        for p in deal.mutual_action_plan
        if p.date
        and as_of < p.date < close
        and str(p.status) in ("planned", "late")
        and APPROVAL_EVENT.search(p.action)
    ]
    return max(ahead, key=lambda p: p.date or close, default=None)


def _before_approval_close(close: dt.date, approval: PlanItem, calendar: Calendar) -> dt.date:
    """The date the contract and its redlines are planned back from: the buyer's approval meeting as if the
    signature were on it (the last of them lands as long before the meeting as before a signature)."""
    signature = next(t for t in _STEPS if t.kind == "signature")
    assert approval.date is not None  # buyer_approval keeps dated steps only
    return min(close, calendar.add(approval.date, _working(signature)))


def _approved_paper(step: _Template) -> bool:
    """The contract and its redlines, which go before the meeting that approves them; the purchase order (after
    the security sign-off) follows it, as the signature does."""
    return step.kind == "paper" and not step.after_review


def _before_approval(approval: PlanItem) -> str:
    return t("plan.before_approval", action=approval.action, date=approval.date)


def _commercial(agreed: list[MapStep], drafted: list[MapStep], calendar: Calendar) -> list[dt.date]:
    """The day after the business-case step (drafted, or the buyer's own still to come) the paper waits for."""
    decision = next(t for t in _STEPS if t.kind == "decision")
    open_ = [a.date for a in agreed if a.status != "done" and any(k in a.action.lower() for k in decision.keywords)]
    days = open_ + [d.date for d in drafted if d.kind == "decision"]
    return [calendar.add(max(days), 1)] if days else []


def _gated(
    deal: Deal,
    agreed: list[MapStep],
    steps: list[_Template],
    window: tuple[dt.date, dt.date],
    ready: dict[str, dt.date],
    gate: str,
    calendar: Calendar,
    signer_booked: bool = False,
) -> list[MapStep]:
    """The plan up to the gate the call says the deal has to earn: the buyer's own steps, the evaluation and
    business-case steps still to do (or the gate step itself), planned forward; nothing of the paper process. With
    ``signer_booked`` the review books a meeting with a signer who is not backing the deal (its date is
    ``ready["decision"]``): the gate is that meeting, not the last step on the plan."""
    as_of, begin = window
    decision = next(t for t in _STEPS if t.kind == "decision")
    own = [a for a in agreed if a.status != "done" and a.date >= begin and _reads(a.action, decision)]
    # a meeting with a signer nobody can reach is not dated: the plan would show a meeting the buyer never agreed
    reach = signer_booked or _signer_in_reach(deal, as_of) or not (agreed or any(s.kind == "evaluation" for s in steps))
    todo = [s for s in steps if s.kind == "evaluation" or (s.kind == "decision" and reach)]
    if reach and not any(s.kind == "decision" for s in todo) and not own:
        todo.append(_GATE_STEP)
    signature = next(t for t in _STEPS if t.kind == "signature")
    kept: list[MapStep] = []
    replaced = ""
    for mine in agreed:
        if mine.status != "done" and _reads(mine.action, signature) and mine.date < begin:
            replaced = t("plan.replaces", action=mine.action, date=mine.date)  # a missed signature: no new date yet
            continue
        if mine.status != "done" and _reads(mine.action, signature):
            note = join_notes(mine.note, t("plan.gated_signature"))
            mine = mine.model_copy(update={"status": "at_risk", "note": note})
        elif mine.status == "at_risk" and mine.date < begin:
            mine = mine.model_copy(update={"date": begin, "note": _missed(mine), "date_precision": "rebook"})
        kept.append(mine)
    drafted: list[MapStep] = []
    for template in todo:
        earliest = max(begin, ready.get(str(template.kind), begin))
        if drafted:
            earliest = max(earliest, calendar.add(drafted[-1].date, _GATE_SPACING))
        made = _make(template, deal, earliest, (as_of, earliest), None, calendar)
        update = {"date": calendar.on_or_after(earliest), "status": "proposed", "note": t("plan.proposed")}
        drafted.append(made.model_copy(update=update))
    plan = sorted(kept + drafted, key=lambda s: (s.date, s.kind != "agreed"))
    # the gate note sits on the step that passes the gate: the buyer's own business-case meeting, else the draft's
    unbooked = ""
    if own and not any(s.kind == "decision" for s in todo):
        # the buyer's own step, found by what it is: a decision step that is also the signature ("CFO
        # signature") was kept as an at-risk copy above, so it is not the same object any more
        at = next(
            i for i, s in enumerate(plan) if (s.date, s.action, s.kind) == (own[0].date, own[0].action, own[0].kind)
        )
    elif reach:
        at = plan.index(drafted[-1])
    else:
        at, unbooked = len(plan) - 1, t("plan.signer_unbooked")
    signs = _earliest_signature(deal, steps, plan[at].date, calendar)
    renewal = _renewal_signature(deal, plan, steps, plan[at].date, calendar, replaced)
    replaced = "" if renewal else replaced
    parallel = _in_parallel(deal, steps, plan[at].date, (as_of, max(begin, ready.get("paper", begin))), calendar)
    if parallel:
        # the step run alongside asks what the tight window asks; the buyer's signature is kept possible, not re-agreed
        signs, held = "", t("plan.gated_signature")
        plan = [
            s.model_copy(update={"note": (s.note or "").replace(held, t("plan.gated_signature_parallel"))})
            for s in plan
        ]
    gated = t("plan.gated_parallel", gate=gate) if parallel else t("plan.gated", gate=gate)
    note = join_notes(plan[at].note, gated, signs, unbooked, replaced)
    plan[at] = plan[at].model_copy(update={"note": note})
    return plan + renewal + parallel


def _in_parallel(
    deal: Deal, steps: list[_Template], gate: dt.date, window: tuple[dt.date, dt.date], calendar: Calendar
) -> list[MapStep]:
    """The paper steps drafted now, back from the buyer's own signature date, when their plan leaves too few working
    days after the gate for them (Lucerne: CFO review 12-05, signature 12-20, 10 days for about 20): waiting for the
    gate would lose the date whatever it decides (two blind VP grades: "paper must run in parallel now")."""
    signature = next(s for s in _STEPS if s.kind == "signature")
    own = [i.date for i in deal.mutual_action_plan if i.date and i.date >= gate and _reads(i.action, signature)]
    paper = [s for s in steps if s.kind == "paper" and s.days_before_close > 0]
    needed = _paper_days(steps)
    if not own or not paper or not 0 < calendar.between(gate, own[0]) < needed:
        return []
    # one step now, not each paper step on the first day: which of them are done, run side by side or not needed
    names = join([re.split("[;；]", phrase("plan.step", s.action)).pop(0).lower() for s in paper])
    signs = next(i for i in deal.mutual_action_plan if i.date == own[0] and _reads(i.action, signature))
    owner = next((who for step in paper if (who := _paper_person(step, deal)) is not None), None)
    step = MapStep(
        date=window[1],
        action=t("plan.what_remains_before", steps=names, action=signs.action, date=own[0]),
        side="joint",
        owner=owner or phrase("plan.team", "buyer procurement"),
        kind="paper",
        status="proposed",
        note=join_notes(t("plan.proposed"), t("plan.parallel", gate=gate)),
    )
    return [step]


def _renewal_signature(
    deal: Deal, plan: list[MapStep], steps: list[_Template], gate: dt.date, calendar: Calendar, replaced: str
) -> list[MapStep]:
    """A renewal of our own contract keeps its signature on a gated plan: with no signature of the buyer's still on
    it, the renewal's order form signature on the earliest day the gate allows (:func:`_gate_signs`), saying which
    missed signature it replaces. A renewal is never walked away from; only its date waits on the gate."""
    if not renews_with_us(deal) or any(s.status != "done" and _reads(s.action, _SIGNATURE) for s in plan):
        return []
    day = _gate_signs(steps, gate, calendar) or calendar.add(gate, _working(_SIGNATURE))
    note = join_notes(t("plan.proposed"), t("plan.renewal_signs", gate=gate), replaced)
    step = MapStep(
        date=day,
        action=phrase("plan.step", RENEWAL_SIGNATURE),
        side="buyer",
        owner=_owner(_SIGNATURE, deal),
        kind="signature",
        status="proposed",
        note=note,
    )
    return [step]


def _paper_days(steps: list[_Template]) -> int:
    """Working days the paper process and signature still to do take at their usual lengths (0: none left)."""
    return max((_working(s) for s in steps if s.kind in ("paper", "signature") and s.days_before_close > 0), default=0)


def _gate_signs(steps: list[_Template], gate: dt.date, calendar: Calendar) -> dt.date | None:
    """The day the signature lands at the earliest when the gate passes on ``gate``: the paper process and signature
    still to do at their usual lengths, as a plan forward from the gate would date them (None: nothing left)."""
    needed = _paper_days(steps)
    return calendar.add(gate, needed + 2 - _working(_SIGNATURE)) if needed else None


def _earliest_signature(deal: Deal, steps: list[_Template], gate: dt.date, calendar: Calendar) -> str:
    """What the gate means for the close date, undated steps aside: the paper process still to do needs about N
    working days once the gate is passed, so the signature lands around a date at the earliest, and after the
    close date when it does ("" when no paper step is left)."""
    needed = _paper_days(steps)
    signature = next(s for s in _STEPS if s.kind == "signature")
    # the buyer dated their own signature after the gate ("Finance Committee approval 01-21, call-off contract
    # signed 01-29"): their plan holds their paper, and a projection of ours would contradict it
    own = [i.date for i in deal.mutual_action_plan if i.date and i.date >= gate and _reads(i.action, signature)]
    if not needed:
        return ""
    if own:  # on the signature step itself the gate is the buyer's signature date: nothing to project
        left = calendar.between(gate, own[0])
        return t("plan.gated_own", days=left, date=own[0], needed=needed) if 0 < left < needed else ""
    signs = _gate_signs(steps, gate, calendar) or gate
    # a close date already behind the gate is no date to compare with: the gate note says so
    late = deal.close_date is not None and gate <= deal.close_date < signs
    key = "plan.gated_late" if late else "plan.gated_earliest"
    return t(key, needed=needed, gate=gate, date=signs, close=deal.close_date)


SIGNER_SILENCE_DAYS = 30
"""Days without contact after which the economic buyer is out of reach for planning (ae-coach default: a month):
the plan drafts no meeting with them until one is booked."""


def _signer_in_reach(deal: Deal, as_of: dt.date) -> bool:
    """Someone named as economic buyer, engaged, and in touch within :data:`SIGNER_SILENCE_DAYS`: a meeting with
    them can be proposed for a date. Nobody named, or a signer who parked the deal, is a meeting to win first."""
    signer = person_in_role(deal, "economic_buyer")
    if signer is None or not signer.engaged:
        return False
    return signer.last_contact is None or (as_of - signer.last_contact).days <= SIGNER_SILENCE_DAYS


def decisive(plan: list[MapStep], as_of: dt.date) -> MapStep | None:
    """The step ahead that decides the deal: the business-case decision (the buyer's own, else the draft's),
    else the signature."""
    # a missed step to rebook has no date of its own: it cannot be the dated step the deal turns on
    ahead = [s for s in plan if s.status != "done" and s.date >= as_of and s.date_precision != "rebook"]
    decision = next(t for t in _STEPS if t.kind == "decision")
    signature = next(t for t in _STEPS if t.kind == "signature")
    for kind, template in (("decision", decision), ("signature", signature)):
        step = next(
            (
                s
                for s in ahead
                if s.kind == kind
                or (s.kind == "agreed" and (_reads(s.action, template) or _mentions(s, template.decided_at)))
            ),
            None,
        )
        if step is not None:
            return step
    return None


def _mentions(step: MapStep, words: tuple[str, ...]) -> bool:
    return any(k in step.action.lower() for k in words)


def _covers(step: MapStep, action: str) -> bool:
    """A drafted step that does what an agreed step of the buyer's plan was for (by the template's words)."""
    template = next((t for t in _STEPS if step.action in (phrase("plan.step", a) for a in _actions_of(t))), None)
    return template is not None and any(k in action.lower() for k in template.keywords)


def _actions_of(step: _Template) -> tuple[str, ...]:
    return (step.action,) if step.existing is None else (step.action, step.existing)


def _replace_missed(
    agreed: list[MapStep], drafted: list[MapStep], begin: dt.date, calendar: Calendar
) -> tuple[list[MapStep], list[MapStep]]:
    """One plan, not two: an agreed step the draft plans again (a signature moved, a missed legal review) is
    replaced by the drafted one, which says what it replaces; a missed step nothing replaces is rebooked on the
    first working day rather than left in the past."""
    kept: list[MapStep] = []
    for step in agreed:
        if step.status == "done":
            kept.append(step)
            continue
        cover = next((i for i, d in enumerate(drafted) if _covers(d, step.action)), None)
        if cover is not None and step.status == "at_risk" and drafted[cover].kind != "signature":
            # the buyer's own step, late: carried forward to when the draft needs it, with its true status
            d = drafted.pop(cover)
            kept.append(step.model_copy(update={"date": d.date, "note": t("plan.late_since", date=step.date)}))
        elif cover is not None and (step.status == "at_risk" or drafted[cover].kind == "signature"):
            d = drafted[cover]
            replaced = t("plan.replaces", action=step.action, date=step.date)
            drafted[cover] = d.model_copy(update={"note": join_notes(d.note, replaced)})
        elif step.date < begin:
            rebook = _missed(step)
            kept.append(
                step.model_copy(
                    update={"date": calendar.on_or_after(begin), "note": rebook, "date_precision": "rebook"}
                )
            )
        else:
            kept.append(step)
    return kept, drafted


def _missed(step: MapStep) -> str:
    """A missed step of the buyer's plan is theirs to rebook; one the plan gives to us ("NDA signed", owner: us, while
    our legal has it) is ours to finish and give the buyer a new date for."""
    return t("plan.missed_ours" if step.side == "seller" else "plan.missed", date=step.date)


def _next_step(
    deal: Deal, agreed: list[MapStep], as_of: dt.date, begin: dt.date, calendar: Calendar, *, stalled: bool = False
) -> list[MapStep]:
    """The record's own next step belongs in the plan, unless a step of the buyer's plan is already that day.
    Undated on a stalled deal, it waits for the buyer's answer to the rep's message: dated the day that answer is
    due, never this week as if the buyer were there to agree it."""
    nxt = deal.next_step
    if nxt is None or any(a.action.lower() == nxt.action.lower() or a.date == nxt.date for a in agreed):
        return []
    if nxt.date is None and _NON_STEP.search(nxt.action):
        return []  # "Wait for signature", "Follow up on the datasheet": waiting is no step to date on a plan
    date, note = nxt.date, t("plan.next_step")
    if (date is None or date < as_of) and stalled:
        date = calendar.add(calendar.add(as_of, 1), NO_REPLY_DAYS)  # the message goes the next working day
        note = t("plan.next_step_after_reply", date=date)
    elif date is None or date < as_of:
        date, note = calendar.on_or_after(begin), t("plan.next_step_undated")
    elif not calendar.working(date):
        note += day_off_note(date, calendar)
    ours = nxt.date is None or nxt.date < as_of  # the step is the record's, the date ae-coach's: to propose
    return [
        MapStep(
            date=date,
            action=nxt.action,
            side="joint",
            owner=nxt.owner or deal.owner or "AE",
            kind="agreed",
            status="proposed" if ours else "planned",
            note=note,
        )
    ]


_NON_STEP = lazy(
    r"^\s*(?:wait(?:ing)?\b|follow(?:ing)?[- ]?up\b|check(?:ing)?[- ]in\b|touch(?:ing)? base\b|chas(?:e|ing)\b|"
    r"ping\b|circle back\b|nudge\b)|^\s*(?:等待|等候|跟进|催)",
    re.IGNORECASE,
)
"""A next step that is waiting on the buyer, not a step with them ("Wait for signature", "Follow up on the
datasheet"): the review says so (execution-dated-next-step); the plan does not date it."""


def _existing_customer(deal: Deal) -> bool:
    """The incumbent has passed the vendor security review and been implemented once already."""
    return str(deal.situation) == "incumbent"


_DONE = ("agreed", "signed", "completed", "complete", "passed", "approved")
"""Words in a completed activity that, next to a step's own words, show the step happened."""

_SIGNED_OFF = ("signed off", "sign-off", "signoff", "approved", "passed")


_SIGN_VERB = lazy(
    r"\bsign(?:s|ing)?\b(?![- ]?(?:off|up)\b)(?![^.;]*\b(?:nda|cda|confidentiality|dpa|sow|pilot|poc|loi)\b)",
    re.IGNORECASE,
)
"""A step that signs, in the verb ("Sign at partners' mtg", "Peter signs the order form"), not an approval
("Partner sign-off")."""


def _reads(action: str, step: _Template) -> bool:
    """A plan step's words read as this kind of step: the template's words anywhere in it ("Order form signature
    and PO" is a purchase order too), and for the signature the verb as well ("Sign at partners' mtg")."""
    if any(k in f" {action.lower()} " for k in step.keywords):
        return True
    return step.kind == "signature" and bool(_SIGN_VERB.search(action))


def _already_done(step: _Template, deal: Deal, as_of: dt.date) -> bool:
    """The record shows the step happened: a completed activity names it as done, or, for the security steps,
    the technical buyer (CTO, IT) signed off on record."""
    done = [(a, (a.summary or "").lower()) for a in deal.activities if a.date <= as_of and str(a.status) == "completed"]
    if _started(step, deal, as_of):
        return True
    for _, text in done:
        if any(k in text for k in step.done_when):
            return True
        if any(k in text for k in step.keywords) and any(w in text for w in _DONE):
            return True
    if step.buyer_role != "technical_buyer" and "security" not in step.action.lower():
        return False
    technical = {p.name for p in deal.stakeholders if str(p.role) == "technical_buyer"}
    return any(technical & set(a.with_) and any(w in text for w in _SIGNED_OFF) for a, text in done)


_UNDER_WAY_WORDS = (
    r"\b(?:submitted|sent (?:in|over|back)|went in|returned|started|kicked off|under ?way|in progress|"
    r"approved|approval (?:letter|attached|received|granted)|signed off|passed|cleared)\b"
)
_UNDER_WAY = lazy(
    rf"(?:{_SECURITY})[^.;]{{0,30}}?{_UNDER_WAY_WORDS}|{_UNDER_WAY_WORDS}[^.;]{{0,30}}?(?:{_SECURITY})", re.IGNORECASE
)
_NOT_STARTED = lazy(
    r"\b(?:if|once|until|unless|whether|will|would|not|never|yet to|has ?n'?t|have ?n'?t|find out|not sure|need|needs|"
    r"required|requires|pending|awaiting|waiting)\b",
    re.IGNORECASE,
)
"""Words of a security review that went in on the buyer's side ("IT security intake form submitted 11-24",
"InfoSec approval attached"), and of a clause that only plans or doubts it ("if IT security needs to look at
it", "she will find out who in InfoSec owns new vendors")."""

_ACCEPTED = frozenset({Signal.TERMS_AGREED.value, Signal.VERBAL_COMMIT.value})
"""Signals of an economic buyer who took the price ("COO signed off price + scope", "SVP OK'd our pricing")."""
_PRESENTED = lazy(
    r"\b(?:proposal|business case|quot(?:e|ation))\b(?:(?!\b(?:to be|will be|not|n't|yet)\b)[^.;]){0,20}?"
    r"\b(?:presented|reviewed|approved|accepted)\b(?! (?:next|on|at the|by)\b)|"
    r"\b(?:presented|reviewed|approved|accepted) (?:the |our )?(?:proposal|business case|quot(?:e|ation))\b",
    re.IGNORECASE,
)
"""The proposal or business case put to the economic buyer ("Proposal presented to CMO", "approved the quotation")."""


_PURCHASE_ORDER_DAYS = next(s.days_before_close for s in _STEPS if s.action.startswith("Procurement:"))
PURCHASE_ORDER = r"(?-i:PO)|purchase orders?|requisition"
"""The words for the buyer's purchase order ("PO" in capitals only: Polish "po" is no order)."""
_PO_UNDER_WAY = lazy(
    rf"\b(?:{PURCHASE_ORDER})\b[^.;]{{0,40}}?\b(?:is |was |has been |now )?(?:routing|routed|in (?:the )?"
    r"(?:approval )?workflow|submitted for approval|sent for approval|approved|issued|raised)\b",
    re.IGNORECASE,
)
"""A buyer's word that their purchase order is in their approval workflow or out ("PO is routing for approval",
"PO raised"): their procurement runs after the security review and the contract they needed."""
_PO_PLANNED = lazy(r"\b(?:can|could|must|should|shall|no|before|after|by)\b", re.IGNORECASE)
"""A clause about a purchase order that is a rule or a plan, not news ("before a PO can be issued", "the PO must be
raised by 16 December", "no PO can be issued without a vendor code")."""
_DATED_AHEAD = lazy(r"\A\s*(?:on |by )?(?:\d{1,2}[-/.]\d{1,2}\b|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]{2})")
"""A date right after the word: the day it is planned for ("PO raised 12-10, Faisal signs 12-14")."""


def _po_under_way(facts: DealFacts) -> bool:
    """The buyer's side says, in an activity that has happened, that their purchase order routes for approval or is
    out: the security questionnaire, security review and legal steps before it are done or not needed, and are not
    drafted (a blind VP grade of Kestrel: "invented steps next to a PO already routing"). Never a clause that plans,
    doubts or dates it ahead ("once the PO is raised", "PO not yet approved", "PO raised 12-10")."""
    return any(
        (match := _PO_UNDER_WAY.search(clause)) is not None
        and not _NOT_STARTED.search(clause[: match.end()])
        and not _PO_PLANNED.search(clause[: match.end()])
        and not _DATED_AHEAD.match(clause[match.end() :])
        for a in facts.activities
        if a.two_way and a.status == "completed" and a.date <= facts.as_of
        for clause in re.split(r"[.;]", a.summary or "")
    )


def _on_record(step: _Template, facts: DealFacts, commercial_first: bool) -> bool:
    """The buyer's side shows the step done or under way in a two-way activity (the record's facts, with their
    signals), not in a MEDDPICC field: the security review went in ("IT security intake form submitted 11-24"), or
    the economic buyer saw the proposal or accepted the price ("COO fine with price"). An open price objection, a
    competitor back or a new signer (``commercial_first``) reopens the business case: its review answers them."""
    held = [a for a in facts.activities if a.two_way and a.status == "completed" and a.date <= facts.as_of]
    if step.on_record == "security_under_way":
        return any(
            _UNDER_WAY.search(clause) and not _NOT_STARTED.search(clause)
            for a in held
            if Signal.LEGAL_SECURITY_REVIEW.value in a.signals
            for clause in re.split(r"[.;]", a.summary or "")
        )
    if step.on_record == "price_accepted" and not commercial_first:
        signers = {p.name for p in facts.in_role("economic_buyer")}
        return any(
            signers & set(a.people)
            and (a.type == "proposal" or _ACCEPTED & set(a.signals) or find(_PRESENTED, a.summary))
            for a in held
        )
    return False


def _decided_on_plan(step: _Template, deal: Deal, as_of: dt.date) -> bool:
    """The buyer's own plan takes this decision, done or still ahead ("Steering committee decision", done on
    11/19): the business case is not presented again. A paper step's approval ("B-10 third-party risk
    approval", "Security approval") is the paper's, not the decision."""
    return bool(step.decided_at) and any(
        _still_counts(item, as_of)
        and any(re.search(rf"\b{w}\b", item.action.lower()) for w in step.decided_at)  # not "onboarding"
        and not paper_step(item.action)
        for item in deal.mutual_action_plan
    )


def _started(step: _Template, deal: Deal, as_of: dt.date) -> bool:
    """The step that follows this one is already under way on record ("Legal review pending"; the buyer's plan
    has "Legal review" since September): the paper went out, so sending it is no step to plan."""
    plan = deal.mutual_action_plan
    under_way = [i.action for i in plan if i.date is not None and i.date <= as_of and str(i.status) != "cancelled"]
    under_way.append(deal.meddpicc.paper_process.evidence or "")
    return any(k in text.lower() for text in under_way for k in step.started_when)


def _too_soon(
    step: MapStep, item: Any, steps: list[_Template], deal: Deal, close: dt.date, calendar: Calendar
) -> MapStep:
    """An agreed signature (12-20) dated before the drafted paper steps it needs can be done: at risk."""
    if step.status != "planned":
        return step
    signature = next(t for t in _STEPS if t.kind == "signature")
    if not steps or not _reads(item.action, signature):
        return step
    earliest = calendar.add(close, -_working(signature))
    if step.date >= earliest:
        return step
    return step.model_copy(update={"status": "at_risk", "note": t("plan.agreed_too_soon", date=earliest)})


def _still_counts(item: Any, as_of: dt.date) -> bool:
    """A step of the deal's own plan that covers a drafted one: done, or still ahead. An overdue signature
    is not a plan to sign, so the draft plans that step again."""
    status = str(item.status)
    return status == "done" or (
        status not in ("late", "blocked", "cancelled") and (item.date is None or item.date >= as_of)
    )


SMALL_DEAL_PAPER_DAYS = 7
"""Calendar days from sending the order form to the signature on a deal below :data:`SMALL_DEAL_AMOUNT`
(ae-coach default: a week; no legal redlines or procurement onboarding are drafted for it)."""


def _small(step: _Template) -> _Template:
    """The step as a small purchase runs it: the paper sent a week before the signature, not four."""
    if step.kind == "paper" and step.days_before_close > SMALL_DEAL_PAPER_DAYS:
        return replace(step, days_before_close=SMALL_DEAL_PAPER_DAYS)
    return step


def _working(step: _Template) -> int:
    """The step's lead time in working days (the templates give calendar days)."""
    return round(step.days_before_close * WORKING_DAYS_PER_WEEK / 7)


def _owner(step: _Template, deal: Deal) -> str:
    if step.buyer_role:
        person = person_in_role(deal, step.buyer_role)
        if person is not None:
            return label(person)
        signer = named_signer(deal) if step.buyer_role == "economic_buyer" else None
        if signer:
            return t("plan.signer", role=signer)
    titled = _paper_person(step, deal)
    if titled is not None:
        return titled
    team = phrase("plan.team", step.team)
    if step.side == "seller" or "AE" in step.team:
        return team.replace("AE", deal.owner or "AE")
    return team


def _paper_person(step: _Template, deal: Deal) -> str | None:
    """The buyer's procurement or legal person the record names (:func:`paper_titled`), for the paper step their
    office owns ("Tessa Blum (Procurement Manager)" for vendor onboarding and the purchase order, their counsel beside
    our legal for the redlines); None when the record names nobody engaged with that title (two blind VP grades:
    "nobody owns the paper")."""
    legal, procurement = step.team.startswith("buyer legal"), step.team == "buyer procurement"
    person = paper_titled(deal, legal=legal) if legal or procurement else None
    if person is None or not person.engaged:
        return None
    return t("plan.with_our_legal", name=label(person)) if legal else label(person)


def _make(
    step: _Template, deal: Deal, close: dt.date, window: tuple[dt.date, dt.date], note: str | None, calendar: Calendar
) -> MapStep:
    """One drafted step, ``window`` = (review date, first day a drafted step can start)."""
    as_of, begin = window
    date = calendar.add(close, -_working(step)) if step.days_before_close else calendar.on_or_before(close)
    status: Any = "proposed"  # nobody on the buyer's side has agreed to a drafted step
    if date < begin:
        # a step after the signature (the kick-off) that is late is booked now; the close date is not its to move
        late = "plan.past_due_after_signature" if step.days_before_close < 0 else "plan.past_due"
        note = t(late, date=date) if date < as_of else t("plan.before_start", date=date, start=begin)
        date, status = calendar.on_or_after(begin), "at_risk"
    words = step.existing if step.existing and _existing_customer(deal) else step.action
    note = join_notes(t("plan.proposed"), note)
    return MapStep(
        date=date,
        action=phrase("plan.step", words),
        side=step.side,
        owner=_owner(step, deal),
        kind=step.kind,
        status=status,
        note=note,
    )


_GENERIC_OWNERS = ("customer", "buyer", "client", "them", "they")


def _named_owner(action: str, deal: Deal) -> str | None:
    """The person a buyer's step assigned to "customer" belongs to: the stakeholder it names by name or title
    ("CFO review of revised case" -> the CFO on the contact list), else the economic buyer for the signature."""
    words = action.lower()
    for person in deal.stakeholders:
        title = (person.title or "").strip()
        if person.name.lower() in words or (title and re.search(rf"\b{re.escape(title.lower())}\b", words)):
            return label(person)
    if _reads(action, _SIGNATURE):
        signer = person_in_role(deal, "economic_buyer")
        return label(signer) if signer is not None else None
    return None


def _agreed_step(item, as_of: dt.date, calendar: Calendar, deal: Deal, facts: DealFacts | None) -> MapStep:
    status_value = str(item.status)
    # a step of someone the record says has left, with who holds their office now: "Final approval - Fiona"
    departed = facts.departed_signer if facts is not None else None
    named = departed is not None and (
        departed.name == item.owner
        or any(re.search(rf"\b{re.escape(w)}\b", item.action) for w in name_words(departed.name) if len(w) > 2)
    )
    gone = departed if named and item.date >= as_of else None
    owner = item.owner or t("plan.unassigned")
    if owner.lower() in _GENERIC_OWNERS:  # a named person owns a buyer's step, where the record says who
        owner_name = _named_owner(item.action, deal)
        side_hint = "buyer"
        owner = owner_name or owner
    else:
        side_hint = None
    side: Any = side_hint or (
        "buyer" if owner.lower() in ("customer", "buyer") else "seller" if owner.lower() in ("us", "we") else "joint"
    )
    status: Any
    if status_value == "done":
        status = "done"
    elif status_value in ("late", "blocked", "cancelled") or (status_value == "planned" and item.date < as_of):
        status = "at_risk"  # a cancelled step is no step that will happen: never shown as planned
    else:
        status = "at_risk" if gone is not None else "planned"
    return MapStep(
        date=item.date,
        action=item.action,
        side=side,
        owner=owner,
        kind="agreed",
        status=status,
        note=t("plan.agreed")
        + (t("plan.cancelled") if status_value == "cancelled" else "")
        + (t("plan.owner_left", name=gone.name, who=gone.succeeded_by) if gone is not None else "")
        # a step already done is not re-dated: its weekday is no question to put to the buyer (a blind VP grade:
        # "asks to confirm the date of a vendor setup that is finished")
        + ("" if calendar.working(item.date) or status_value == "done" else day_off_note(item.date, calendar)),
    )


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_name(day: dt.date) -> str:
    """The day of the week of ``day`` in the review's language ("Saturday", "周六")."""
    return t(f"plan.weekdays.{_WEEKDAYS[day.weekday()]}")


def day_off_note(day: dt.date, calendar: Calendar) -> str:
    """A buyer's date that is not a working day, named ("falls on a Saturday") with an ask to confirm it: the
    buyer's meeting is theirs to move, never re-dated by the draft."""
    if day.weekday() >= 5:
        return t("plan.agreed_weekend", day=weekday_name(day))
    if calendar.public_holiday(day):  # which country's: the buyer's, or the currency's when the deal does not say
        return t("plan.agreed_holiday", day=weekday_name(day), date=day, country=calendar.country)
    return t("plan.agreed_day_off", day=weekday_name(day), date=day)
