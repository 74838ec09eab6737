"""MEDDPICC: a 0-3 grade per element and the seed's red flag per element, harsher as the stage advances.

Grades (documented in docs/inspector.md):

* 0 unknown: ``status: unknown`` and nothing elsewhere in the deal shows the element.
* 1 rep-asserted: ``status: partial``, or ``confirmed`` with no evidence text. Also given when the
  element is unknown in MEDDPICC but the record shows it elsewhere (an engaged stakeholder with the
  economic-buyer role, a stakeholder with the champion role, a listed competitor or status-quo mention).
* 2 buyer-confirmed: ``confirmed`` with evidence text.
* 3 validated in writing: ``confirmed`` and the evidence cites a written artefact (email, signed, document,
  MAP, business case, deck, contract, RFP, recap… see :data:`ae_coach.inspector.text.WRITTEN_ARTEFACT`).

Severity: each element is due by a stage (:data:`DUE_BY`); the red flag is low two or more stages before,
medium one stage before, high at that stage and critical after it, except that one stage overdue stays
high until :data:`CRITICAL_FROM_STAGE` (proposal). A rep-asserted element (grade 1) is one
step milder; an element due by discovery is at most medium while the deal is still in discovery; a deal
below ``Settings.committee_small_deal_amount`` (the seed's tier-4 band) is one step milder again, and there
an engaged economic buyer stands in for the champion.
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Element, Role, Signal, Stage, Stakeholder, Status
from ae_coach.findings import MEDDPICC_ELEMENTS, Finding, Severity
from ae_coach.i18n import t, term
from ae_coach.inspector import text
from ae_coach.inspector._context import Context, milder
from ae_coach.inspector.facts import (
    NO_NUMBER,
    PAPER_LATE,
    PAPER_UNOWNED,
    ActivityFact,
    deferred_by_economic_buyer,
    is_unnamed,
    rebuffed_by_economic_buyer,
    until_named,
    validation_ahead,
)
from ae_coach.inspector.period import period_of
from ae_coach.inspector.titles import NO_NUMBER_YET, SIGNER_NO_NUMBER

DUE_BY: dict[str, Stage] = {
    "identified_pain": Stage.DISCOVERY,
    "champion": Stage.DISCOVERY,
    "decision_process": Stage.SCOPING,
    "decision_criteria": Stage.SCOPING,
    "competition": Stage.SCOPING,
    "metrics": Stage.VALIDATION,
    "economic_buyer": Stage.VALIDATION,
    "paper_process": Stage.PROPOSAL,
}
"""The stage by whose exit each element should be buyer-confirmed (from the seed's exit criteria)."""

CRITICAL_FROM_STAGE = Stage.PROPOSAL
"""An element one stage overdue is critical only from this stage on (two stages overdue always is)."""

RED_FLAG: dict[str, str] = {
    "metrics": "no quantified value",
    "economic_buyer": "haven't met them",
    "decision_criteria": "unknown or changing",
    "decision_process": "no clear timeline",
    "paper_process": "unknown blockers",
    "identified_pain": "nice-to-have, not need",
    "champion": "no internal advocate",
    "competition": "unknown alternatives",
}
"""The seed's red flag per element, quoted in the finding title."""

LABEL: dict[str, str] = {
    "metrics": "Metrics",
    "economic_buyer": "Economic buyer",
    "decision_criteria": "Decision criteria",
    "decision_process": "Decision process",
    "paper_process": "Paper process",
    "identified_pain": "Identified pain",
    "champion": "Champion",
    "competition": "Competition",
}

GRADE_NAMES = ("unknown", "rep-asserted", "buyer-confirmed", "validated in writing")
HANDED_OVER = "backed by the previous signer only"
"""An economic buyer whose backing on record is the words of a signer who has since handed over (``handed_over``)."""

# names looked up once: eight elements per deal read them, and an enum's .value is a descriptor call
_CODES = {name: f"meddpicc.{name}" for name in DUE_BY}
_DUE_BY_NAMES = {name: stage.value for name, stage in DUE_BY.items()}
_STATUS_NAMES = {status: status.value for status in Status}
_STAGE_NAMES = {stage: stage.value for stage in Stage}

_NICE_TO_HAVE = lazy(
    r"\b(?:nice[- ]to[- ]have|would be nice|someday|no urgency|not urgent|not a priority|works (?:fine|ok(?:ay)?|well enough)|(?:mostly|largely) works|"
    r"(?:it'?s )?just manual|nothing (?:really )?happens|no (?:real )?consequences?|can live with (?:it|that)|"
    r"(?:process|system|tool|setup|spreadsheet|solution|way) (?:is|works) (?:fine|ok(?:ay)?|good enough)|does the job|"
    r"no (?:burning|pressing|real) (?:need|pain|problem)|just (?:exploring|looking|browsing|curious)|kicking the tyres|"
    r"kicking the tires|happy with (?:excel|spreadsheets|the current|their current|what (?:they|we) have))\b",
    re.IGNORECASE,
)
"""Pain the buyer says does not hurt: nothing happens if they do nothing (the seed's "nice-to-have, not need")."""
_CHANGING = lazy(
    r"\b(?:chang(?:ed|ing)|new requirements?|moved the goal ?posts|keeps? shifting|re-?scoped)\b", re.IGNORECASE
)
_NUMBER = lazy(r"\d")

_RECORD_SHOWS = ("economic_buyer", "champion", "paper_process")
# each has an ``evidence.unshown_<element>`` line: what the record would show if the claim held
"""Elements whose red flag the record itself can show (no meeting with the economic buyer, a champion who
never acted, no legal or procurement activity): for these a bare "confirmed" does not hide the red flag."""


def grades(ctx: Context) -> dict[str, int]:
    """The 0-3 grade of every element (see :class:`ae_coach.inspector.facts.ElementFact`)."""
    return {name: fact.grade for name, fact in ctx.facts.elements.items()}


def _base_severity_at(stage: Stage, name: str) -> Severity:
    delta = stage.order - DUE_BY[name].order
    severity = (
        Severity.LOW
        if delta <= -2
        else Severity.MEDIUM
        if delta == -1
        else Severity.HIGH
        if delta == 0
        else Severity.CRITICAL
    )
    if delta == 1 and stage.order < CRITICAL_FROM_STAGE.order:
        # One stage overdue before pricing is in front of the buyer is a gap to close this week, not a
        # deal-breaker: a deal review would not rank "competition unknown" at validation with "economic
        # buyer unknown" at proposal. Two stages overdue, or overdue once pricing is out, is critical.
        severity = Severity.HIGH
    if stage == Stage.DISCOVERY and DUE_BY[name] == Stage.DISCOVERY:
        severity = Severity.MEDIUM  # still in discovery: finding the pain and the champion is the job
    return severity


_BASE_SEVERITY: dict[Stage, dict[str, Severity]] = {
    stage: {name: _base_severity_at(stage, name) for name in DUE_BY} for stage in Stage
}
"""The red flag's severity per stage and element before grade and deal size adjust it (computed once)."""


def inspect(ctx: Context) -> list[Finding]:
    """One ``meddpicc.<element>`` finding per element whose red flag holds, and ``hygiene.evidence_missing``
    for elements marked confirmed with no evidence note. Open deals whose source carries MEDDPICC only."""
    if not ctx.deal.is_open:
        return []
    out = []
    for name in MEDDPICC_ELEMENTS:
        finding = _element_finding(ctx, name)
        if finding is not None:
            out.append(finding)
    hygiene = _hygiene(ctx)
    if hygiene is not None:
        out.append(hygiene)
    return out


def _hygiene(ctx: Context) -> Finding | None:
    """Elements marked confirmed whose note is empty or states no fact: a CRM-hygiene gap, not a red flag."""
    bare = [
        fact for fact in ctx.facts.elements.values() if fact.claim == "confirmed" and fact.note_state != "meaningful"
    ]
    if not bare:
        return None
    evidence = [
        f"meddpicc.{fact.element}: confirmed, "
        + ("no evidence note" if fact.note_state == "missing" else f"boilerplate note {text.quote(fact.note)}")
        + ("; the record corroborates it" if fact.record else "; nothing in the record backs it yet")
        for fact in bare
    ]
    return ctx.finding(
        "hygiene.evidence_missing",
        Severity.LOW,
        f"{len(bare)} MEDDPICC element{'s' if len(bare) != 1 else ''} marked confirmed without evidence: "
        "write what the buyer said or did",
        evidence,
        elements=[fact.element for fact in bare],
    )


_CASE_ELEMENTS = ("metrics", "decision_criteria", "identified_pain")
"""The elements that make the case for a decision, as opposed to the people and the process that carry it out."""


def _signer_said_yes(ctx: Context) -> bool:
    """The economic buyer gave their verbal yes in a conversation they took part in ("Rodrigo: 'Démosle…'")."""
    signers = {s.name for s in ctx.role(Role.ECONOMIC_BUYER)}
    return any(signers & set(a.with_) for a in ctx.with_signal(Signal.VERBAL_COMMIT))


def _element_finding(ctx: Context, name: str) -> Finding | None:
    element: Element = getattr(ctx.deal.meddpicc, name)
    grade = ctx.grades[name]
    small = _small_deal(ctx)
    if name == "champion" and small and any(s.engaged for s in ctx.role(Role.ECONOMIC_BUYER)):
        return None  # a small deal run by the person who signs needs no separate advocate
    fact = ctx.facts.elements[name]
    extra, flagged = _special(ctx, name, element, grade)
    if name == "competition" and grade >= 2 and not flagged and _unnamed_by_rep(ctx):
        return _unsettled(ctx)  # the record names a rival the rep's competition note leaves out: not settled
    if name == "paper_process" and grade >= 2 and not flagged:
        return _paper_open(ctx)  # the paper is under way: the item still open, if the buyer says one is
    if grade >= 2 and not flagged:
        return None
    # "confirmed" with no note and nothing the record can show: the empty note is hygiene
    # (hygiene.evidence_missing) and the element is a claim, not shown; not the seed's red flag
    claimed = fact.unsupported_claim and name not in _RECORD_SHOWS and not flagged
    if name == "competition" and grade <= 1 and not flagged:
        unsettled = _unsettled(ctx)
        if unsettled:
            return unsettled
    if name == "competition" and grade == 1 and not flagged:
        return None  # an alternative is named (status quo counts): the red flag "unknown alternatives" does not hold
    severity = _BASE_SEVERITY[ctx.stage][name]
    parked = pulled_back(ctx) if name == "economic_buyer" and flagged else None
    if extra and extra[0].startswith(RIVAL_CHOSEN):
        severity = Severity.CRITICAL  # the buyer chose someone else: the deal is lost unless that falls through
    elif parked:
        # the signer parked the deal and went quiet: the cause of what the deal is doing, not a checklist gap
        late = ctx.stage.order >= Stage.PROPOSAL.order
        severity = Severity.CRITICAL if late else Severity.HIGH
    elif grade >= 1 and not fact.claim_only and not _flag_shown(name, extra, flagged):
        # a partial answer the buyer gave, or a role the record names; but a signer who is named and not engaged
        # is exactly the red flag "haven't met them": no leniency, except that a named signer is never critical
        unmet_signer = (
            grade < 2 and name == "economic_buyer" and not any(p.engaged for p in ctx.role(Role.ECONOMIC_BUYER))
        )
        severity = (Severity.HIGH if severity == Severity.CRITICAL else severity) if unmet_signer else milder(severity)
    capped = (
        *(SIGNER_LEFT, MOVED_CHAMPION, LEAVING_CHAMPION, FAILED_CRITERION, SIGNER_UNPRICED, SIGNER_CHASED),
        *(PRECONDITION, APPROVAL_UNDATED, CONDITION_OPEN),
    )
    if extra and extra[0].startswith(capped) and severity == Severity.CRITICAL:
        # a new signer to meet, a champion still in the company in another job or until a last day still ahead, a
        # retest to win, a signer to put the price in front of, a document to sign or a sitting to date: to win
        # before the date holds, not a deal the buyer parked or an advocate gone
        severity = Severity.HIGH
    if grade >= 1 and severity in (Severity.LOW, Severity.INFO) and not extra:
        return None  # rep-asserted and not yet due: not a red flag
    if severity == Severity.INFO:
        severity = Severity.LOW
    if small:
        severity = milder(severity)  # below the seed's tier-4 band: less at stake, fewer people involved
        if severity == Severity.INFO:
            return None
    late = name == "paper_process" and flagged and (ctx.facts.timing.paper_stuck or "").startswith(PAPER_LATE)
    if late and ctx.stage.order >= Stage.PROPOSAL.order and severity.rank > Severity.HIGH.rank:
        # the buyer's own process cannot finish by the signature date: whatever the CRM stage says, the date the
        # forecast counts on does not hold (a fast track or a later date), the deal's first problem
        severity = Severity.HIGH
    blocked = flagged and bool(extra) and extra[0].startswith((PRECONDITION, APPROVAL_UNDATED, CONDITION_OPEN))
    if blocked and ctx.stage.order >= Stage.SCOPING.order and severity.rank > Severity.HIGH.rank:
        # the buyer's own process cannot start (a document to sign first) or its deciding step has no date (a body
        # on its own calendar): whatever else the record shows, no date the forecast counts on holds yet
        severity = Severity.HIGH
    if extra and extra[0].startswith((VALIDATION_AHEAD, FALLBACK_AFTER)):
        # an open item with its date, like the paper's (a test ahead, a sitting that may defer): to watch, not a gap
        severity = Severity.MEDIUM
    if claimed and severity in (Severity.CRITICAL, Severity.HIGH):
        severity = Severity.MEDIUM  # a gap to close, never a headline over what the deal is doing
    if extra and extra[0].startswith(SIGNER_NO_NUMBER) and ctx.stage.order >= CRITICAL_FROM_STAGE.order:
        severity = Severity.CRITICAL  # the signer's own condition for buying is a number nobody has
    failed = bool(extra) and extra[0].startswith(FAILED_CRITERION)  # a test to pass again, not a number to write down
    if name in _CASE_ELEMENTS and severity.rank < Severity.MEDIUM.rank and _signer_said_yes(ctx) and not failed:
        # the signer has said yes in a meeting: the case did its work on them; a number still missing is a gap to
        # write down for whoever approves after them, not the risk over the paper that has to follow
        severity = Severity.MEDIUM
    if name == "identified_pain" and flagged and severity.rank > Severity.HIGH.rank:
        # the buyer's own words say doing nothing costs nothing: no reason to buy, at any stage
        # (pipeline-disqualify-early), not a grade-1 gap to soften
        severity = Severity.HIGH
    status = t(f"evidence.status_{_STATUS_NAMES[element.status]}")
    gone = ctx.facts.departed_signer if name == "economic_buyer" else None
    backing = (
        t("evidence.grade_handed_over", old=fact.handed_over, new=fact.signs_now)
        if fact.handed_over
        else t("evidence.grade_departed", old=gone.name, new=gone.succeeded_by)
        if gone is not None and grade >= 1
        else t(f"evidence.grade_{grade}")
    )
    evidence = [t("evidence.crm_status", code=_CODES[name], status=status, grade=backing)]
    if element.evidence:
        evidence.append(f"meddpicc.{name}.evidence: {text.quote(element.evidence)}")
    if fact.unsupported_claim:
        why = t(f"evidence.unshown_{name}" if name in _RECORD_SHOWS else "evidence.unshown_other")
        evidence.append(t("evidence.marked_confirmed", why=why))
    reason = _reason(extra, grade, flagged)
    if claimed:
        title = f"{LABEL[name]} claimed, not shown, at {_STAGE_NAMES[ctx.stage]} (marked confirmed with no evidence)"
    elif reason:
        # a pain the rep marked confirmed that the buyer's own words deny was never the buyer's word
        graded = "marked confirmed" if reason.startswith(_NO_PAIN_PREFIX) and grade >= 2 else GRADE_NAMES[grade]
        graded = HANDED_OVER if fact.handed_over else graded  # the old signer's words, not the rep's alone
        title = f"{LABEL[name]} {graded} at {_STAGE_NAMES[ctx.stage]}, but {reason}"
        if reason.startswith((SIGNER_NO_NUMBER, NO_NUMBER_YET)):
            title = f"No number for the value at {_STAGE_NAMES[ctx.stage]}: {reason}"
    else:
        title = f"{LABEL[name]} {GRADE_NAMES[grade]} at {_STAGE_NAMES[ctx.stage]} (red flag: {RED_FLAG[name]})"
    chased = bool(parked) and any(p.unanswered for p in ctx.facts.people if parked and p.name == parked[0])
    if parked:
        # gone quiet only when we wrote and heard nothing back; else nobody has been back to them (a blind VP grade:
        # "'has gone quiet' overstates the record: it only shows we haven't contacted her")
        quiet = "has gone quiet" if chased else "nobody has been back to them since"
        title = f"The economic buyer parked the deal and {quiet}: {parked[0]}"
    elif name == "paper_process" and flagged and ctx.facts.timing.paper_stuck and not blocked:
        stuck = ctx.facts.timing.paper_stuck
        verb = "at" if stuck.startswith("the buyer's") else "stuck at"  # a timeline that will not fit, or a late step
        title = f"Paper process {verb} {_STAGE_NAMES[ctx.stage]}: {stuck}"
    evidence += extra
    data: dict[str, object] = {"element": name, "grade": grade, "due_by": _DUE_BY_NAMES[name]}
    if not flagged and not fact.record and grade <= 1:
        # a checklist gap, nothing on record against it (unknown, or marked confirmed with nothing behind it): the
        # forecast call weighs both alike, so marking it confirmed with boilerplate never raises the call
        data["bare"] = True
    if fact.handed_over:
        data["handed_over"] = fact.handed_over
    departed = ctx.facts.departed_signer if name == "economic_buyer" else None
    if departed is not None:  # the signer left and the record names who holds the office, off the contact list
        data["departed"], data["successor"] = departed.name, departed.succeeded_by
    if reason and not claimed:
        data["reason"] = reason  # the title says what the record shows, not the seed's generic red flag
    no_pain = next((e for e in extra if e.startswith(_NO_PAIN_PREFIX)), None) if name == "identified_pain" else None
    if no_pain:
        data["no_pain"] = no_pain  # the forecast omits a deal the buyer says does not hurt
    if parked:
        data["pulled_back"] = parked[0]  # the cause: raised before the symptoms (priority.ranked)
        data["gone_quiet"] = chased
    stuck = ctx.facts.timing.paper_stuck if name == "paper_process" and flagged else None
    if stuck and (not stuck.startswith(PAPER_UNOWNED) or ctx.grades["economic_buyer"] >= 2):
        # the contract not moving is what the deal is doing; but a contract nobody has picked up while nobody
        # who signs has been met waits on the decision: the signer is raised first
        data["stuck"] = stuck
        if ctx.facts.timing.paper_open:
            # stuck on a term the buyer named: the term is the work ("still wants uncapped liability")
            data["open"] = ctx.facts.timing.paper_open
    if blocked:
        data["stuck"] = extra[0]  # the buyer's process waits on it: what the deal is doing (priority.SHOWN)
        kinds = {PRECONDITION: "precondition", APPROVAL_UNDATED: "approval_undated", CONDITION_OPEN: "condition"}
        prefix = next(p for p in kinds if extra[0].startswith(p))
        data["blocked"] = kinds[prefix]  # the title's shape in every language (inspector.titles)
        data["blocked_source"] = extra[0].removeprefix(prefix)
    held = ctx.facts.timing.held_by_us if name == "paper_process" and flagged else None
    if held and "stuck" in data:
        # the item the paper waits on is on our own desk: the deal waits on us, not on the buyer's process
        data["ours"], data["ours_team"] = held, ctx.facts.timing.held_by_team or "legal"
        team = t(f"finding.our_team.{data['ours_team']}", lang="en")
        stage = _STAGE_NAMES[ctx.stage]
        title = (
            f"Paper process held up on our side at {stage}: the open item is with {team} ({held}), and {data['stuck']}"
        )
    point = ctx.facts.timing.open_point if name == "paper_process" and flagged else None
    if point:
        # the clause in dispute in the record's words, never a generic "legal review" (a blind VP grade of Hakuyo)
        data["point"] = point
        latest = ctx.facts.timing.open_point_latest
        evidence.append(f"{OPEN_POINT}{point}" + (f"{OPEN_POINT_LATEST}{latest}" if latest else ""))
        if "ours" in data:
            title = (
                f"Paper process held up on our side at {stage}: the clause in dispute ({point}) is with {team} "
                f"({held}), and {data['stuck']}"
            )
    if flagged and extra and extra[0].startswith(UNFRAMED_PILOT):
        data["unframed_pilot"] = extra[0]  # what the pilot is for is the open question of the deal
    if flagged and extra and extra[0].startswith(SIGNER_CHASED):
        data["chased"] = extra[0]  # "haven't met them", in the record: the unanswered emails are its symptom
    if flagged and extra and extra[0].startswith(SIGNER_NO_NUMBER):
        data["asked"] = extra[0]  # the signer's own condition for buying: what the deal is doing, not a form gap
    if flagged and extra and extra[0].startswith(RIVAL_CHOSEN):
        data["lost_to"] = extra[0]  # the buyer chose someone else: what the deal is doing, before any gap
    if flagged and extra and extra[0].startswith(FAILED_CRITERION):
        data["failed"] = extra[0]  # a must-have the buyer failed us on: what the decision now turns on
    if flagged and extra and extra[0].startswith((LOST_CHAMPION, LEAVING_CHAMPION, MOVED_CHAMPION, SIGNER_LEFT)):
        data["left"] = extra[0]  # the person selling for us, or signing, is gone: the cause of what the deal is doing
    return ctx.finding(_CODES[name], severity, title, evidence, **data)


_NO_PAIN_PREFIX = "the pain is described as "
_MET_NOT_ENGAGED = "met, and not backing the deal: "


def _reason(extra: list[str], grade: int, flagged: bool) -> str:
    """What the record shows against an element the grade alone would pass, or a signer met who pushed back:
    the title says that, since the seed's red flag ("unknown or changing", "haven't met them") would
    contradict the grade or the meeting printed under it."""
    met = next((line for line in extra if line.startswith(_MET_NOT_ENGAGED)), None)
    if met:
        return "met and not backing the deal: " + met.removeprefix(_MET_NOT_ENGAGED)
    if flagged and extra and (grade >= 2 or extra[0].startswith(_NAMES_THE_FLAG)):
        return extra[0]
    return ""


def _paper_open(ctx: Context) -> Finding | None:
    """From proposal on, a paper process under way whose latest word from the buyer names an item still open
    ("MSA agreed. DPA still with her"): medium, the one thing left to watch before the signature, not a gap in
    the paper process (the gate holds: legal is engaged and the item has its reviewer)."""
    open_item = ctx.facts.timing.paper_open
    if ctx.stage.order < Stage.PROPOSAL.order or not open_item:
        return None
    title = f"Paper process open at {_STAGE_NAMES[ctx.stage]}: {open_item}"
    return ctx.finding(
        _CODES["paper_process"],
        Severity.MEDIUM,
        title,
        [f"still open on record: {open_item}"],
        element="paper_process",
        grade=ctx.grades["paper_process"],
        open=open_item,
    )


def _unsettled(ctx: Context) -> Finding | None:
    """From proposal on (at validation, one the record names that the rep does not list), a rival still active
    with no word from the buyer on who is in and why: the
    alternatives are known, but the decision between them is not (medium: the deal's open question, not the
    seed's red flag "unknown alternatives")."""
    unlisted = _unnamed_by_rep(ctx) if ctx.stage == Stage.VALIDATION else []
    if (ctx.stage.order < Stage.PROPOSAL.order and not unlisted) or ctx.has_signal(Signal.VERBAL_COMMIT):
        return None  # at validation only a rival the record names and the rep does not ("talking to Datadog")
    active = [c for c in ctx.facts.competitors if c.status == "active" and (not unlisted or c.name in unlisted)]
    if not active:
        return None
    evidence = [f"{c.name} still active ({c.source})" for c in active[:3]]
    evidence.append(t("evidence.no_word_who_in", stage=term(_STAGE_NAMES[ctx.stage])))
    return ctx.finding(
        "meddpicc.competition",
        Severity.MEDIUM,
        f"Competition not settled at {_STAGE_NAMES[ctx.stage]}: {active[0].name} "
        + ("in play and not on your competitor list" if unlisted else "still in"),
        evidence,
        element="competition",
        grade=ctx.grades["competition"],
        due_by=_DUE_BY_NAMES["competition"],
        unsettled=[c.name for c in active],
        rival=active[0].name,
        unlisted=bool(unlisted),
    )


def _unnamed_by_rep(ctx: Context) -> list[str]:
    """Active rivals the record names that neither the competitor list nor the competition note does."""
    note = ctx.deal.meddpicc.competition.evidence or ""
    return [
        c.name
        for c in ctx.facts.competitors
        if c.status == "active" and not c.listed and not is_unnamed(c.name) and not text.mentions([c.name], note)
    ]


def _flag_shown(name: str, extra: list[str], flagged: bool) -> bool:
    """The record shows the champion gone or without access, or a pilot running with no agreed success criteria:
    the red flag itself, not a partial answer to soften."""
    return flagged and bool(extra) and extra[0].startswith(_NAMES_THE_FLAG)


_PILOT = lazy(text.PILOT_WORDS, re.IGNORECASE)


_FAILED = lazy(
    r"(?:\b(?:criteri(?:on|a)|must-haves?|requirements?)\b|#\d+)[^.;]{0,40}?\b(?:failed|(?:is|was) a fail|not met|"
    r"did not pass|didn'?t pass|fell short)\b|\bfailed (?:on )?(?:a |the |our |one )?(?:must-have|criteri(?:on|a)|"
    r"requirement)"
    # the buyer holding the line on a criterion after a problem ("Problem call. Nine records lost … criterion 3 is a
    # must-have, no go-live without it"): the problem told first, in the same note
    r"|\b(?:problem|issue|bug|lost|failed|failure|broke|broken|errors?)\b[^\n]{0,300}?\b(?:criteri(?:on|a)|"
    r"must-haves?)\b[^.;]{0,40}?\bno (?:go-live|sign-?off|signature) without\b"
    # Chinese: 第4项标准未通过 / 必备要求没有达标 / 硬性指标测试失败
    r"|(?:标准|要求|必备项|必选项|硬性指标|指标|第\s?\d+\s?项)[^。；，]{0,20}?(?:未通过|没通过|没有通过|不达标|未达标|"
    r"没达标|测试失败|没有满足|未满足|不满足)",
    re.IGNORECASE,
)
_RETEST = lazy(r"\b(?:retest|re-test|re-run the (?:test|pilot|poc))(?:ing|ed|s)?\b", re.IGNORECASE)
"""A retest of what the evaluation tests: nobody retests a pass ("Ruth will run the offline retest at Kyogle").
A security review's re-test is the paper process (:data:`_SECURITY`), not the buyer's criteria."""
_SECURITY = lazy(r"\bsecurity\b|\bpen-?tests?\b|\bpenetration\b|\bvulnerabilit", re.IGNORECASE)
_PASSED_AGAIN = lazy(
    r"\b(?:retest|re-test|rerun|re-run|second run)\b[^.;]{0,40}?\bpass(?:ed|es)?\b|\bnow pass(?:es|ed)\b|"
    r"(?:复测|重测|重新测试)[^。；]{0,20}?(?<![未没不有])(?:通过|达标)",
    re.I,
)


def _failed_criterion(ctx: Context) -> str | None:
    """The buyer's evaluation failed us on a criterion ("#4 failed: our connector syncs in batches", "criterion 4
    is a fail, not a minor item", "criterion 3 is a must-have, no go-live without it", or a retest under way), said in a held conversation or by the buyer in writing, and no later word says
    a retest passed: the criteria are known, and not met."""
    said = [a for a in ctx.facts.activities if a.date <= ctx.as_of and (a.two_way or a.direction == "inbound")]
    failed = [a for a in said if text.find(_FAILED, a.summary)] or [
        a for a in said if text.find(_RETEST, a.summary) and not text.find(_SECURITY, a.summary)
    ]
    if not failed:
        return None
    last = failed[-1]  # the failure itself is quoted; a retest alone is quoted when nothing names the failure
    if any(a.date >= last.date and text.find(_PASSED_AGAIN, a.summary) for a in said):
        return None
    return f"{last.date} {last.type}, {text.quote(last.summary)}"


def _pilot_unframed(ctx: Context, grade: int) -> str | None:
    """At validation, a pilot or trial on record (held, or a step of the plan) with no completed validation and
    criteria the buyer has not confirmed: it will be judged "by feel", which is the seed's red flag."""
    if ctx.stage != Stage.VALIDATION or grade >= 2 or ctx.has_signal(Signal.TECHNICAL_VALIDATION):
        return None
    held = [a for a in ctx.facts.activities if a.two_way and a.date <= ctx.as_of and text.find(_PILOT, a.summary)]
    if held:
        return f"{UNFRAMED_PILOT}{held[-1].date} {held[-1].type}, {text.quote(held[-1].summary)}"
    step = next((p for p in ctx.deal.mutual_action_plan if text.find(_PILOT, p.action)), None)
    return f"{UNFRAMED_PILOT}plan step {text.quote(step.action)}" if step else None


def _small_deal(ctx: Context) -> bool:
    return 0 < ctx.size < ctx.settings.committee_small_deal_amount


def _special(ctx: Context, name: str, element: Element, grade: int) -> tuple[list[str], bool]:
    """Element-specific evidence, and whether it makes the red flag hold despite a good grade."""
    if name == "economic_buyer":
        parked = pulled_back(ctx)
        if parked:
            return [parked[1]], True
        evidence = _economic_buyer_evidence(ctx, grade)
        if not evidence and grade >= 2:
            unpriced = _signer_before_price(ctx)
            if unpriced:
                return [unpriced], True
        return evidence, bool(evidence) and evidence[0].startswith((SIGNER_LEFT, SIGNER_UNPRICED, SIGNER_CHASED))
    if name == "identified_pain":
        return _no_pain_evidence(ctx, element, grade)
    if name == "metrics":
        record = ctx.facts.elements[name].record
        asked = _no_number(ctx, after=max((line[:10] for line in record), default=None))
        if asked and (not record or asked.startswith(SIGNER_NO_NUMBER)):
            # the buyer's own word that the value has no number yet, whatever the rep wrote; after a measured
            # result, only the signer's own ask for another number ("I don't buy OEE points … show it in lira")
            return [asked], True
    if (
        name == "metrics"
        and grade >= 2
        and not ctx.facts.elements[name].record
        and not _NUMBER.search(element.evidence or "")
    ):
        return ["the metrics evidence has no number: value is not quantified"], True
    if name == "decision_criteria":
        hit = text.find(_CHANGING, element.evidence)
        if hit:
            return [f"the criteria are changing: {text.quote(hit)}"], True
        failed = _failed_criterion(ctx)
        if failed:
            return [f"{FAILED_CRITERION}{failed}"], True
        pilot = _pilot_unframed(ctx, grade)
        if pilot:
            return [pilot], True
        ahead = validation_ahead(ctx.deal, ctx.as_of, ctx.facts.timing.plan_signature)
        if ctx.stage.order >= Stage.PROPOSAL.order and ahead is not None and not ctx.facts.timing.committed:
            # whatever passed before, a test the buyer still runs before signing is what the criteria turn on
            return [f"{VALIDATION_AHEAD}{text.quote(ahead.action)} on {ahead.date}"], True
        if ctx.stage == Stage.VALIDATION and not ctx.has_signal(Signal.TECHNICAL_VALIDATION):
            # the criteria are written down but not yet proven: the open item of a validation-stage deal. Only
            # criteria the buyer confirmed are "agreed"; the rep's word alone is said as such
            return [t("evidence.validation_open_agreed" if grade >= 2 else "evidence.validation_open_claimed")], True
        return [], False
    if name == "decision_process" and ctx.facts.timing.approval_undated:
        return [f"{APPROVAL_UNDATED}{ctx.facts.timing.approval_undated}"], True
    fallback = ctx.facts.timing.fallback
    term_ = period_of(ctx.as_of, ctx.settings.forecast_period, ctx.settings.fiscal_year_start_month)
    if (
        name == "decision_process"
        and fallback is not None
        and fallback > term_.end
        and text.find(_DECISION_FALLBACK, ctx.facts.timing.fallback_said)
    ):
        # the decision's own date holds only if the buyer's condition is met in time; else it is the fallback's
        return [f"{FALLBACK_AFTER}{fallback}, after {term_.label}: {ctx.facts.timing.fallback_said}"], True
    if name == "decision_process" and grade >= 2 and ctx.deal.close_date is None:
        return ["no close_date: the process has no date to land on"], True
    if name == "champion":
        return _champion_evidence(ctx)
    waits = [f"{PRECONDITION}{ctx.facts.timing.precondition}"] if ctx.facts.timing.precondition else []
    if name == "paper_process" and ctx.facts.timing.paper_stuck:
        # a paper timeline that cannot fit is the larger fact; the document it waits on is part of it
        summed = [ctx.facts.timing.sequence] if ctx.facts.timing.sequence else []  # the arithmetic behind the date
        return [f"the paper process is stuck: {ctx.facts.timing.paper_stuck}", *summed, *waits], True
    if name == "paper_process" and waits:
        return waits, True
    condition = ctx.facts.timing.condition_open
    if name == "paper_process" and condition and text.find(_PAPER_CONDITION, condition):
        return [f"{CONDITION_OPEN}{condition}"], True
    if name == "competition" and ctx.facts.rival_chosen:
        return [f"{RIVAL_CHOSEN}{ctx.facts.rival_chosen}"], True
    if name == "competition" and grade == 0:
        return [t("evidence.no_alternative")], False
    return [], False


def _no_number(ctx: Context, after: str | None = None) -> str | None:
    """The buyer's word in a two-way exchange that the value has no number yet: the signer's own ask first ("bring
    me the numbers - what does it save us"), else the latest such word ("we don't have ticket-per-hour data");
    only words said after ``after`` (an ISO date: the record's last measured result), when given."""
    said = [
        a
        for a in ctx.facts.activities
        if a.date <= ctx.as_of
        and (after is None or a.date.isoformat() > after)
        and (a.two_way or a.direction == "inbound")
        and text.find(NO_NUMBER, a.summary)
    ]
    signers = {p.name for p in ctx.role(Role.ECONOMIC_BUYER)}
    asked = next((a for a in reversed(said) if signers & set(a.people)), None)
    latest = asked or (said[-1] if said else None)
    if latest is None:
        return None
    quoted = f"{latest.date} {latest.type}: {text.quote_around(latest.summary, NO_NUMBER, limit=90)}"
    return f"{SIGNER_NO_NUMBER} ({quoted})" if asked else f"{NO_NUMBER_YET} ({quoted})"


def _no_pain_evidence(ctx: Context, element: Element, grade: int) -> tuple[list[str], bool]:
    """The buyer's words that doing nothing costs nothing: in the pain evidence, or, while the record does not
    show the pain (a rep's note is not the buyer's word), in what the buyer said in a two-way exchange ("the
    current tool works fine")."""
    hit = text.find(_NICE_TO_HAVE, element.evidence)
    if hit:
        return [f"{_NO_PAIN_PREFIX}{text.quote(hit)}: nice-to-have, not need"], True
    if grade >= 2 and ctx.facts.elements["identified_pain"].record:
        return [], False  # the record shows the pain with a number: one "works fine" does not undo it
    for activity in ctx.facts.activities:
        said = _about_status_quo(ctx, activity.summary) if activity.two_way and activity.date <= ctx.as_of else None
        if said:
            return [
                f"{_NO_PAIN_PREFIX}{text.quote(said)} by the buyer ({activity.date} {activity.type}): nice-to-have, not need"
            ], True
    return [], False


_CURRENT = lazy(
    r"\b(?:current|existing|today'?s?|incumbent|what (?:we|they) have|as it is|(?:we|they) (?:use|run|(?:are|'re) using)|"
    r"(?:she|he|it|the (?:customer|client|team|practice|school|clinic|firm)) (?:uses|runs|is using))\b",
    re.IGNORECASE,
)


def _about_status_quo(ctx: Context, summary: str | None) -> str | None:
    """A no-pain phrase in a clause about what the buyer has today ("GoGuardian works fine", "nothing happens if
    they keep Excel"): read in an activity, "works fine" may be about anything ("SSO works fine"), so the clause
    must name the status quo or a known alternative."""
    rivals = [c.name for c in ctx.facts.competitors]
    for clause in re.split(r"[.;!?]", summary or ""):
        hit = text.find(_NICE_TO_HAVE, clause)
        if hit and (text.find(text.STATUS_QUO, clause) or text.find(_CURRENT, clause) or text.mentions(rivals, clause)):
            return hit
    return None


_DELEGATED = lazy(
    r"\b(?:hand(?:ing|ed|s)?|pass(?:ing|ed|es)?|delegat\w+|leav(?:ing|es)|left)\b[^.;]{0,25}?\b(?:the )?"
    r"(?:commercials?|commercial terms|negotiation|pricing|contract|supplier terms|paperwork)\b[^.;]{0,20}?\bto\b",
    re.IGNORECASE,
)
"""The signer handed the commercials to someone ("handing the commercials to Thandiwe, who runs all supplier
contracts"): their yes stands, and the price goes to the person they named."""


def _signer_before_price(ctx: Context) -> str | None:
    """From proposal on, the price out longer than the stage's stale window and every economic buyer's last held
    conversation with us before it and older than that window ("Kickoff, 20 min with Kurt" in August, the $92k sent in November): the
    signer was met, once, and has never seen the price. Met is not engaged in the decision."""
    if ctx.stage.order < Stage.PROPOSAL.order:
        return None
    proposals = [a.date for a in ctx.facts.activities if a.type == "proposal" and a.date <= ctx.as_of]
    signers = ctx.role(Role.ECONOMIC_BUYER)
    if not proposals or not signers:
        return None
    window = ctx.settings.stale_days.get(ctx.stage, 14)
    if (ctx.as_of - min(proposals)).days <= window:
        return None  # the price went out days ago: the review with the signer may still be ahead, as planned
    lines = []
    for person in signers:
        held = [a for a in ctx.facts.two_way_with(person.name) if a.date <= ctx.as_of]
        if not held:
            return None  # never met: the grade says so already
        last = max(a.date for a in held)
        if last >= min(proposals) or (ctx.as_of - last).days <= window:
            return None
        if any(text.find(_DELEGATED, a.summary) for a in held):
            return None  # "go ahead; I'm handing the commercials to Thandiwe": the price goes to the delegate
        priced = {Signal.TERMS_AGREED.value, Signal.VERBAL_COMMIT.value}
        if any(priced & set(a.signals) for a in held):
            return None  # "agrees with the proposal direction and the price … please proceed": the price was seen
        lines.append(
            f"{person.name} last met {last} ({(ctx.as_of - last).days} days ago), before the proposal of "
            f"{min(proposals)}: the signer has not seen the price"
        )
    return SIGNER_UNPRICED + "; ".join(lines)


def pulled_back(ctx: Context) -> tuple[str, str] | None:
    """The economic buyer whose last word on the deal was to park it (a pause, a deferral: not an objection or
    leaving a demo early, which have causes of their own) and who has not been spoken to for longer than the
    stage's stale window, with the evidence; None otherwise.

    This is the cause a slipping close date is the symptom of ("Greta wants to wait for the reorg", then
    silence): a grade earned from earlier meetings does not outlive the signer parking the deal.
    """
    if not ctx.deal.is_open:
        return None
    window = ctx.settings.stale_days.get(ctx.stage, 14)
    for person in ctx.role(Role.ECONOMIC_BUYER):
        held = ctx.facts.two_way_with(person.name)
        if not held:
            continue
        last = max(held, key=lambda a: a.date)
        days = (ctx.as_of - last.date).days
        if days <= window:
            continue
        hit = deferred_by_economic_buyer(last.summary, [person.name])
        if hit:
            return person.name, (
                f"{person.name} (economic buyer) parked the deal on {last.date} ({text.quote(hit)}) and has not been "
                f"spoken to since: {days} days"
            )
        moved = _meeting_moved_since(ctx, person.name, last.date)
        if moved is not None:
            return person.name, (
                f"{person.name} (economic buyer) last spoke with us on {last.date}, then the meeting on {moved.date} "
                f"was {moved.status} and nobody has spoken to them since: {days} days"
            )
    return None


_MOVED = ("cancelled", "rescheduled", "no_show")


def _meeting_moved_since(ctx: Context, name: str, since: dt.date) -> ActivityFact | None:
    """The latest meeting with ``name`` after ``since`` that was cancelled, moved or missed (None if none): a
    signer who calls off the next meeting and then goes quiet has parked the deal as surely as one who says so."""
    moved = [a for a in ctx.facts.activities if a.status in _MOVED and name in a.people and since < a.date <= ctx.as_of]
    rebooked = [a for a in ctx.facts.activities if a.status == "scheduled" and name in a.people and a.date > ctx.as_of]
    return moved[-1] if moved and not rebooked else None  # a meeting booked ahead: moved, not parked


def _economic_buyer_evidence(ctx: Context, grade: int) -> list[str]:
    if grade >= 2:
        return []
    out = []
    ebs = ctx.role(Role.ECONOMIC_BUYER)
    gone = [p for p in ctx.facts.people if p.left and p.title and text.find(text.SENIOR_TITLE, p.title)]
    if not ebs:
        out += [
            f"{SIGNER_LEFT}{p.name} ({p.title}), {p.left}"
            + (f"; the record names {p.succeeded_by} in their place, not yet met" if p.succeeded_by else "")
            for p in gone
        ]
        if not gone:  # a signer on the contact list who has left says it: the list is not empty, its signer is gone
            out.append(t("evidence.no_economic_buyer_role"))
    else:
        # the signer changed: the one who left is the one record_roles took the economic-buyer role from (a departed
        # champion keeps theirs), and whoever the record says signs now has not been met ("Glenn has been seconded
        # to the JV; Rachel is acting CFO and will be the one signing")
        unroled = {s.name for s in ctx.deal.stakeholders if s.role == Role.UNKNOWN}
        unmet = [p for p in ebs if not ((fact := ctx.facts.person(p.name)) and fact.met)]
        out += [
            f"{SIGNER_LEFT}{g.name} ({g.title}), {g.left}; " + t("evidence.signs_now", name=unmet[0].name)
            for g in [p for p in gone if p.name in unroled][:1]
            if unmet
        ]
    names = [p.name for p in ebs]
    out += [
        f"{SIGNER_CHASED}{p.name}: {chased} of our messages unanswered, never in a meeting or a call with us"
        for p in ebs
        if (chased := ctx.facts.chased_only(p.name)) >= CHASED_SIGNER
    ]
    for activity in ctx.facts.activities:
        hit = rebuffed_by_economic_buyer(activity.summary, names) if activity.date <= ctx.as_of else None
        if hit and activity.two_way:
            out.append(f"{_MET_NOT_ENGAGED}{activity.date} {activity.type}, {text.quote(hit)}")
    champions = ctx.role(Role.CHAMPION)
    if champions and not ebs and len(ctx.deal.stakeholders) == 1:
        out.append(t("evidence.only_contact", name=champions[0].name))
    if not ebs and ctx.facts.departed_signer is None:  # a successor the record names answers "who signs"
        for person in ctx.deal.stakeholders:
            if person.role != Role.ECONOMIC_BUYER and person.title and text.find(text.SENIOR_TITLE, person.title):
                out.append(
                    f"senior title is not budget authority: {person.name} ({person.title}) is recorded as "
                    f"{person.role.value}; confirm who signs"
                )
    return out


_LEAVING = lazy(
    r"\b(?:(?:is |she's |he's |they're )?leaving (?:the (?:company|business|firm)|at the end of|on|in|next|this)|"
    r"(?:has |have )?left (?:the (?:company|business|firm)|in (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)|"
    r"resign(?:ed|ing|s)|(?:her|his|their) last day(?! (?:in the office )?(?:(?:before|ahead of)(?: the| her| his| "
    r"their)? (?:holidays?|break|christmas|xmas|leave|vacation|new year|summer|year-?end)|(?:of|for) the year))"
    r"|no longer (?:with|at) (?:the )?(?:company|them|us)|moved on)\b",
    re.IGNORECASE,
)
"""The champion is leaving or has left the buyer's company: the deal has lost the person selling for us. "Her
last day before the holidays" is a deadline, not a departure."""
_MOVED_ON = lazy(
    r"\b(?:(?:has been|been|was|is being|got|just got) promoted|(?:is |has )?(?:moving|moved|moves|transferr(?:ed|ing)) "
    r"to (?:a new role|another (?:role|team|division|region)|the \w+ office|run |head |lead )|"
    r"no longer (?:has|owns|runs|holds|leads) (?:the |any )?(?:sign-?off|budget|team|project|programme|program|"
    r"decision)|(?:takes|taking|took) over (?:from (?:him|her|them)|(?:his|her|their) (?:role|job|team|remit))|"
    r"inherits? (?:this|the deal|the project)|(?:was|has been|got|is being) (?:reassigned|seconded|transferred) to|"
    r"(?:(?:her|his|their)|\w+'s) new (?:role|job|position)(?![-\w]))\b",
    re.IGNORECASE,
)
"""The champion has moved to another job inside the company (promoted, moved to another office or team) or no
longer owns what the deal needs: still friendly, no longer able to sell it for us."""
_NO_ACCESS = lazy(
    r"\b(?:(?:does|do)(?:n't| not) know who (?:approves|signs|decides|owns|holds)|(?:has|have)(?:n't| not) "
    r"(?:yet )?(?:told|briefed|spoken to|mentioned (?:it|us|this) to|shown (?:it|this) to) (?:her|his|their|the) "
    r"(?:boss|director|manager|vp|head|chief|leadership|executive))",
    re.IGNORECASE,
)
"""The champion cannot reach who decides: they do not know who approves, or have not told their own boss."""
LOST_CHAMPION = "the champion is leaving or has left: "
LEAVING_CHAMPION = "the champion is leaving, still in the company until "
MOVED_CHAMPION = "the champion has moved to another role: "
SIGNER_LEFT = "the signer on record has left the role: "
NO_ACCESS = "the champion has no access to who decides: "
UNFRAMED_PILOT = "a pilot is running with no success criteria the buyer agreed: "
FAILED_CRITERION = "the buyer's evaluation failed us on a criterion: "
VALIDATION_AHEAD = "the buyer's own test of the criteria is still ahead: "
SIGNER_UNPRICED = "the signer has not been met since before the proposal: "
SIGNER_CHASED = "the signer has only been chased: "
PRECONDITION = "the buyer's process waits on a document not yet signed: "
CONDITION_OPEN = "the buyer's own condition before signature is still open: "
_PAPER_CONDITION = lazy(
    r"\b(?:dpa|dpia|tia|sub-?processor\w*|subverwerker\w*|legal|counsel|security|procurement|"
    r"purchasing|supplier\w*|vendor\w*|onboarding|scorecard|certificat\w*|insurance|works (?:council|agreement)|"
    r"betriebs\w*|policy|compliance|audit\w*|questionnaire|pen ?test\w*|ondertekening|vrijgeven|unterzeichnen|firmar)\b",
    re.IGNORECASE,
)
"""A buyer's condition on the purchase that is part of its paper (a DPIA to approve, a works agreement, a supplier
scorecard, a security finding to close): the paper process is where the deal is held."""
OPEN_POINT = "the clause in dispute: "
OPEN_POINT_LATEST = "; the latest word on it: "
RIVAL_CHOSEN = "the buyer chose another vendor: "
_DECISION_FALLBACK = lazy(
    r"\b(?:sitting|board|committee|council|cabinet|exco|approv\w*|sign\w*|decision|award)\b|董事会|委员会|审批|签",
    re.IGNORECASE,
)
"""A fallback about the decision itself ("which would push it to the January sitting"), not about a test the
decision waits on ("Otherwise their next slot is w/c 11.1.2027": the retest's, which the criteria carry)."""
FALLBACK_AFTER = "the dates hold only if a condition is met in time; the buyer's own fallback is "
"""How the decision process's reason begins when the buyer named a later date to fall back to, after the period."""
APPROVAL_UNDATED = (
    "the purchase goes to a body that sits on its own calendar, and no date of its sitting is on record: "
)
CHASED_SIGNER = 2
"""Unanswered messages to a signer never met that make the record show "haven't met them" (ae-coach default: one
cold email is an attempt, two are a signer not engaging)."""
_NAMES_THE_FLAG = (
    VALIDATION_AHEAD,
    LOST_CHAMPION,
    LEAVING_CHAMPION,
    MOVED_CHAMPION,
    NO_ACCESS,
    UNFRAMED_PILOT,
    SIGNER_LEFT,
    FAILED_CRITERION,
    SIGNER_UNPRICED,
    SIGNER_CHASED,
    PRECONDITION,
    APPROVAL_UNDATED,
    CONDITION_OPEN,
    RIVAL_CHOSEN,
)
"""Evidence that is the seed's red flag in the buyer's own record: kept at the stage's severity, never softened."""


def _champion_evidence(ctx: Context) -> tuple[list[str], bool]:
    champions = ctx.role(Role.CHAMPION)
    coaches = ctx.role(Role.COACH)
    if not champions and coaches:
        return [
            f"a coach is not a champion: {coaches[0].name} gives information but is not recorded as selling for us"
        ], False
    said = _champion_said(ctx, [c.name for c in champions])
    if said:
        return [said], True
    negative = [c for c in champions if c.sentiment.value == "negative"]
    if negative:
        return [f"the champion {negative[0].name} has negative sentiment: an advocate who does not advocate"], True
    return [], False


def _champion_said(ctx: Context, names: list[str]) -> str | None:
    """What the record says about the champion's standing: leaving the company, or no way to who decides.
    Read in two-way activities with the champion (the buyer's word, not the rep's hope), latest first."""
    for activity in reversed(ctx.facts.activities):
        if not (activity.two_way and activity.date <= ctx.as_of and set(names) & set(activity.people)):
            continue
        for pattern, prefix in ((_LEAVING, LOST_CHAMPION), (_MOVED_ON, MOVED_CHAMPION), (_NO_ACCESS, NO_ACCESS)):
            hit = text.find(pattern, activity.summary)
            if not hit or _about_someone_else(activity.summary or "", hit, names, ctx.deal.stakeholders):
                continue
            said = f"{activity.date} {activity.type}, {text.quote_around(activity.summary, pattern)}"
            last_day = _last_day(activity.summary or "", hit, activity.date) if prefix == LOST_CHAMPION else None
            if last_day is not None and last_day >= ctx.as_of:
                return f"{LEAVING_CHAMPION}{last_day}: {said}"
            return f"{prefix}{said}"
    return None


def _about_someone_else(summary: str, hit: str, champions: list[str], people: list[Stakeholder]) -> bool:
    """The words that say someone is leaving or has moved are about another stakeholder: the name nearest before
    them in their sentence is not the champion's ("he mentioned Fiona has been seconded to lead the integration":
    the signer moved, not Owen who said it)."""
    sentence = next((s for s in re.split(r"(?<=[.;!?])\s+", summary) if hit in s), summary)
    before = sentence[: sentence.find(hit)] if hit in sentence else ""
    others = [p.name for p in people if p.name not in champions]
    last: tuple[int, bool] | None = None  # (where the nearest name ends, whether it is a champion's)
    for name, theirs in [*((n, True) for n in champions), *((n, False) for n in others)]:
        for key in {name, text.given_name(name)}:
            for found in re.finditer(rf"\b{re.escape(key)}\b", before):
                if last is None or found.end() > last[0]:
                    last = (found.end(), theirs)
    return last is not None and not last[1]


def _last_day(summary: str, hit: str, said: dt.date) -> dt.date | None:
    """The day the sentence that says the champion is leaving names for it ("her last day is 12-11", "leaving at
    the end of January"), read from the day it was said; None when it names none, speaks of a departure in the
    past ("has left", "resigned", "her last day was"), or names a day months away (a date already past, read as
    next year's)."""
    sentences = text.sentences(" ".join(summary.split()))  # a note's wrapped lines are one sentence
    at = next((i for i, s in enumerate(sentences) if hit in s), None)
    sentence = summary if at is None else sentences[at]
    if not _STILL_TO_GO.search(hit):
        # "she has resigned … Notice period runs to 18 Dec, last working day 18/12": the next sentence gives her
        # notice (not "Procurement's last day before the freeze", nor someone else leaving)
        after = sentences[at + 1] if at is not None and at + 1 < len(sentences) else ""
        sentence = after if _OWN_NOTICE.search(after) else ""
    if not sentence or _WAS.search(sentence):
        return None
    day = until_named(sentence, said)
    return day if day is not None and (day - said).days <= _NOTICE_DAYS else None


_OWN_NOTICE = lazy(
    r"^\W*(?:notice(?: period)? (?:runs|ends)|(?:her|his|their) (?:last (?:working )?day|notice)|last working day)\b",
    re.IGNORECASE,
)
"""A sentence that gives the leaver's own notice: "Notice period runs to 18 Dec", "Her last working day is 12/18"."""
_STILL_TO_GO = lazy(r"\bleaving\b|\blast (?:working )?day\b|\bnotice(?: period)? (?:runs|ends)\b", re.IGNORECASE)
_WAS = lazy(r"\blast day was\b|\b(?:has|had) (?:left|gone)\b", re.IGNORECASE)
_NOTICE_DAYS = 120
"""The longest notice a departure date is read as still ahead of the message (ae-coach default: about four months,
a long notice period); a date further on is a day already past that the reading took for next year's."""
