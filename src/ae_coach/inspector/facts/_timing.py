"""When the deal can close, as the record says it: holds, doubts, reconfirmed dates, the paper timeline, the
signer's commitment, and the dates and durations reps write."""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Deal,
    PlanItem,
    PlanStatus,
    Role,
    Signal,
)
from ae_coach.inspector import text
from ae_coach.inspector.facts._clause import open_point
from ae_coach.inspector.facts._contact import _UNANSWERED
from ae_coach.inspector.facts._hold import held_by_us, review_waits
from ae_coach.inspector.facts._later import MONTH as _MONTH
from ae_coach.inspector.facts._later import MONTHS as _MONTHS
from ae_coach.inspector.facts._later import later_floor, month_ahead, open_condition, undated_decision
from ae_coach.inspector.facts._model import ActivityFact, CloseDateChange, TimingFact, _Names, speaker_of
from ae_coach.inspector.period import period_of

# ------------------------------------------------------------------------------------------- timing

_ON_HOLD = lazy(
    r"\b(?:(?:budget|spend(?:ing)?|hiring|purchas(?:e|ing)|capex) freeze|freeze on (?:new |all )?(?:spend(?:ing)?|"
    r"purchases|budgets?|projects)|(?:budgets?|capex|spend(?:ing)?|funding) (?:is |was |has been |got )?(?:frozen|pulled)|"
    r"(?:project|initiative|program(?:me)?|purchase|evaluation|deal|rollout|implementation|everything|all (?:new )?"
    r"(?:spend(?:ing)?|purchases|projects)) (?:is |was |has been |got |now )?(?:on hold|on pause|on ice|paused|frozen|"
    r"shelved|deprioriti[sz]ed)|put (?:the project|the initiative|the evaluation|it|this|everything|the deal|the "
    r"purchase) (?:on ice|on the back ?burner)|"
    r"put (?:the project|the evaluation|it|this|everything|the deal|the purchase) on hold|"
    r"(?:paused|on hold|suspended|shelved) indefinitely|"
    # the signer's blanket refusal, whatever its condition: "I will not approve any expansion of the contract until …"
    # (a condition on one kind of paper is no hold: "won't sign any contract with auto-renewal", "don't sign any
    # contracts on Fridays", "won't approve any purchases over 50k without a second quote")
    r"(?:will not|won'?t|not going to) approve any (?:expansion|further|additional|more|new (?:spend|purchases?|"
    r"projects?|software))\b(?![^.;]{0,30}\b(?:with|over|above|below|without|on|by|under|that|which)\b)|"
    + text.NO_NEW_SPEND
    + r")\b",
    re.IGNORECASE,
)
"""The buyer's project stopped: on hold, paused, shelved, or its budget frozen, or the signer refusing any more
spend ("I will not approve any expansion until …"); a signature waiting for one briefing is not a project on hold."""

_LIFTED = lazy(
    r"\b(?:freeze(?: on [\w -]{1,40}?)? (?:is |was |has been |now )*lifted|lifted the freeze|unfrozen|back on track|"
    # "the project is back on", not "pushing back on the board rule", "the CFO back on 7 Dec", "back on hold"
    r"(?:project|deal|purchase)(?:'s|’s| is) (?:now )?back on(?= again\b|[.;,!]|$)|"
    r"resumed|restarted|"
    r"off hold|un-?paused|re-?started|budget (?:is |was )?(?:released|restored|approved)|"
    r"released (?:part of |some of |all of )?(?:the |their |its )?(?:frozen|held)|"
    r"(?:got|gets|has|have|get) (?:its|the|our|their|his|her) (?:budget|money|funding) back|"
    r"(?:budget|money|funding) (?:is |was |came |has come )?back)\b",
    re.IGNORECASE,
)

_PENDING = lazy(r"\b(?:until|once|when|after|if|unless|before)\b", re.IGNORECASE)


def _lifts(summary: str | None) -> bool:
    """A sentence says a hold or a freeze has been lifted, not that it will be ("frozen until the FY2027 budget
    is approved in March" is the freeze itself)."""
    return lifting_sentence(summary) is not None


def lifting_sentence(summary: str | None) -> str | None:
    """The sentence of ``summary`` that says a hold or a freeze has been lifted ("Dr. Vogt released part of the
    frozen Q4 money on 18.11."), or None (:func:`_lifts`)."""
    for sentence in re.split(r"(?<=[.;!?])\s+", summary or ""):
        hit = _LIFTED.search(sentence)
        if hit and not _ON_HOLD.search(sentence) and not _PENDING.search(sentence[: hit.start()]):
            return sentence.strip()
    return None


_PLACEHOLDER = lazy(r"\bplace-?holder\b|\b(?:is|was) (?:a |just a )?(?:guess|made up|tbd)\b", re.IGNORECASE)
_LATER_TIMING = lazy(
    r"\bno budget (?:this|for this|in this|until next) (?:year|quarter|fiscal year|fy)\b|"
    r"\b(?:not|no purchase|nothing) (?:this year|until next (?:fiscal )?year)\b|"
    r"\bnot before (?:next|the new) (?:year|quarter|fiscal year|summer|spring|fall|autumn|winter)\b|"
    r"\b(?:buy|purchase|decide|sign)(?:s|ing)? (?:in )?next (?:fiscal )?year\b(?!'s)|"
    r"\bno (?:money|budget|funding) until (?:the )?(?:new|next) (?:fiscal )?year\b|"
    r"\b(?:in)?to (?:the |their )?(?:next (?:fiscal )?year'?s?|next fy|fy ?\d\d|20\d\d) budget\b|"
    r"\b(?:put|puts|putting|add|adds|adding|include|includes|including|budget|budgets|budgeting)\s+(?:it|this|us|them|"
    r"the (?:project|purchase|spend))\s+(?:in|into|for)\s+(?:the |their |its )?(?:next (?:fiscal )?year'?s?|next fy|fy ?\d\d|"
    r"20\d\d) (?:capex |opex |capital |it |software )?(?:budget|plan|planning|cycle)\b|"
    r"\b(?:next (?:fiscal )?year|next quarter|(?:q[1-4] |mid-?|early |late |end of )?(?:19|20)\d\d)\b[^.;]{0,15}"
    r"\bat the earliest\b",
    re.IGNORECASE,
)
_YEAR = lazy(r"\b((?:19|20)\d\d)\b")
_FY = lazy(r"\bfy ?(\d\d)\b", re.IGNORECASE)

_CONFIRMS = lazy(
    r"\b(?:confirm(?:ed|s)?|commit(?:ted|s)?|agreed|in writing|by e-?mail|e-?mailed|wrote|written|will sign|"
    r"sign(?:ature|ing|s)? (?:by|on)|new (?:close |signature )?date|moved (?:the )?(?:signature|date|close) to)\b",
    re.IGNORECASE,
)
_SIGNS = lazy(
    r"\b(?:sign(?:ature|ed|ing|s)?|countersign\w*|contract|purchase order|po|order form|award(?:ed)?|docusign|"
    r"e-?sign(?:ature)?|adobe sign)\b",
    re.IGNORECASE,
)
_DATE_ISO = lazy(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
_UNIT_DAYS = {
    **dict.fromkeys(("business days", "working days"), 1.4),
    **dict.fromkeys(("days", "day"), 1),
    **dict.fromkeys(("weeks", "week", "wks", "wk"), 7),
    **dict.fromkeys(("months", "month", "mos", "mo", "mths", "mth"), 30),
}
"""Units of a duration as reps write them ("3-4 weeks", "3-4 wks", "10 working days"), in days."""
_DATE_MD = lazy(
    rf"(?<![\d-])(\d{{1,2}})[-/](\d{{1,2}})(?![\d-])"
    rf"(?! ?(?:{'|'.join(sorted(_UNIT_DAYS, key=len, reverse=True))}|hours?|hrs?|years?|yrs?)\b)",
    re.IGNORECASE,
)
_DATE_DOTTED = lazy(
    # the dotted form is day-first wherever it is used: "Mon 14.12", "by Thu 10.12", "w/c 11.1.2027", "agreed 27.11"; a
    # number with a decimal point is none ("9.1 -> 3.4 days", "EUR 2.10", "TLS 1.2", "clause 12.3", "CSAT 4.6"): the day
    # must be over 12, or a year follow, or a weekday or a word of timing come before it
    r"(?:(?<=\bw/c )|(?<=\b(?:on|by) )|(?<=\buntil )|(?<=\b(?:till|from) )|(?<=\bbefore )|(?<=\b(?:mon|tue|wed|thu|fri) )|"
    r"(?<=\b(?:sat|sun) )|(?<=\bmonday )|(?<=\bfriday )|(?<=\btuesday )|(?<=\bthursday )|(?<=\bwednesday ))"
    r"(\d{1,2})\.(\d{1,2})(?:\.(20\d\d))?\.?(?![\d,])(?!\.\d)|"
    r"(?<![\d.,/€$£§-])(?<!\bv)(?<!\bv )(?<!-> )(?<!→ )(?<!version )(?<!release )(?<!clause )(?<!section )"
    r"(1[3-9]|2\d|3[01])\.(\d{1,2})(?:\.(20\d\d))?\.?(?![\d,])(?!\.\d)|"
    r"(?<![\d.,/€$£§-])(\d{1,2})\.(\d{1,2})\.(20\d\d)\b"
    r"(?! ?(?:%|x\b|k\b|m\b|bn\b|fte\b|->|→|hours?\b|hrs?\b|days?\b|weeks?\b|months?\b|years?\b|mins?\b|"
    r"minutes?\b|seconds?\b|points?\b|pp\b|times\b|[a-z]*bytes?\b|[kmgt]b\b|million|billion|mio\b|mn\b))",
    re.IGNORECASE,
)
_DATE_ZH = lazy(r"(?:(20\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
"""A date as Chinese notes write it: "12月14日", "2027年1月11号"."""
_WEEKDAY_BEFORE = lazy(r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|urday|rs)?\.?,? *$", re.IGNORECASE)
"""A weekday written just before a date ("Friday 11/12"): it tells which of two readings of the date is meant."""
_DATE_NAMED = lazy(rf"\b{_MONTH}\.? (\d{{1,2}})\b|\b(\d{{1,2}}) {_MONTH}\b", re.IGNORECASE)


def dates_in(summary: str | None, after: dt.date) -> list[dt.date]:
    """Calendar dates a summary names ("2026-12-10", "12-10", "Dec 10", "10 December", "14.12", "11.1.2027", "12月14日"),
    each read as the first such day on or after ``after``. A slashed date is month-first unless that cannot be
    ("24/11") or the weekday written before it says otherwise ("Friday 11/12" is 11 December 2026)."""
    if not summary:
        return []
    found: list[tuple[int | None, int, int]] = []
    found += [(int(y), int(m), int(d)) for y, m, d in _DATE_ISO.findall(summary)]
    bare = _DATE_ISO.sub(" ", summary)
    for match in _DATE_MD.finditer(bare):
        first, second = int(match.group(1)), int(match.group(2))
        if (first, second) == (24, 7):
            continue  # round the clock, not 24 July
        weekday = _WEEKDAY_BEFORE.search(bare[max(0, match.start() - 12) : match.start()])
        if first > 12 >= second or (weekday and _weekday_says_day_first(first, second, weekday.group(1), after)):
            first, second = second, first
        found.append((None, first, second))
    for year, month, day in _DATE_ZH.findall(bare):
        found.append((int(year) if year else None, int(month), int(day)))
    for match in _DATE_DOTTED.finditer(bare):
        groups = match.groups()
        day, month, year = next(groups[i : i + 3] for i in (0, 3, 6) if groups[i] is not None)  # whichever form matched
        found.append((int(year) if year else None, int(month), int(day)))
    for m1, d1, d2, m2 in _DATE_NAMED.findall(bare):
        month, day = (m1, d1) if m1 else (m2, d2)
        found.append((None, _MONTHS[month.lower()[:3]], int(day)))
    out = []
    for year, month, day in found:
        for y in [year] if year else [after.year, after.year + 1]:
            try:
                candidate = dt.date(y, month, day)
            except ValueError:
                continue
            if year or candidate >= after:
                out.append(candidate)
                break
    return out


def _weekday_says_day_first(first: int, second: int, weekday: str, after: dt.date) -> bool:
    """Whether "<weekday> first/second" means day ``first`` of month ``second``: that reading falls on the weekday
    and the month-first one does not, or falls on it sooner (each read as the first such day on or after ``after``)."""
    wanted = [w[:3] for w in _WEEKDAYS].index(weekday.lower()[:3])

    def falls(month: int, day: int) -> dt.date | None:
        for year in (after.year, after.year + 1):
            try:
                day_of = dt.date(year, month, day)
            except ValueError:
                return None
            if day_of >= after:
                return day_of if day_of.weekday() == wanted else None
        return None

    day_first, month_first = falls(second, first), falls(first, second)
    return day_first is not None and (month_first is None or day_first < month_first)


def _timing(deal: Deal, activities: list[ActivityFact], as_of: dt.date, paper_wait_days: int | None) -> TimingFact:
    past = [a for a in activities if a.date <= as_of and a.summary]
    buyer = [a for a in past if a.two_way]
    reconfirmed, source = _reconfirmed(deal, buyer, as_of)
    sooner, sooner_source = _sooner(deal, buyer, as_of)
    waits = _decision_waits(buyer)
    fallback = _fallback(deal, buyer)
    unset = None if waits else _step_unset(deal, buyer, as_of)
    too_slow = _paper_too_slow(deal, past, as_of) or _paper_gated(deal, past, as_of)
    lifted = max((a.date for a in past if _lifts(a.summary)), default=None)
    stuck = _paper_stuck(deal)
    held = held_by_us(deal, past)
    return TimingFact.of(
        on_hold=_on_hold(deal, past),
        lifted=lifted,
        doubt=_doubt(deal, buyer, as_of, lifted),
        reconfirmed=reconfirmed,
        reconfirmed_source=source,
        sooner=sooner,
        sooner_source=sooner_source,
        plan_signature=_plan_signature(deal, as_of),
        paper_stuck=stuck
        or (too_slow and too_slow[0])
        or _paper_unanswered(past, as_of, paper_wait_days)
        or _paper_unowned(past),
        paper_ends=too_slow[1] if too_slow else None,
        paper_not_started=not stuck and bool(too_slow and too_slow[2]),
        paper_open=_paper_open(past),
        open_point=point[0] if (point := open_point(past)) else None,
        open_point_latest=point[1] if point else None,
        quiet_period=_quiet_period(deal, past),
        committed=_committed(deal, past, as_of),
        decision_waits=waits or (unset[1] if unset else None),
        unset_step=unset[0] if unset and not waits else None,
        fallback=fallback[0] if fallback else None,
        fallback_said=fallback[1] if fallback else None,
        precondition=(waits := precondition(deal, past)),
        precondition_side=precondition_side(deal, past) if waits else None,
        approval_undated=approval_undated(deal, past, as_of),
        condition_open=open_condition(
            activities,
            as_of,
            [
                (p.date, p.action)
                for p in deal.mutual_action_plan
                if p.date and p.status == PlanStatus.DONE and not our_side(p.owner, deal)
            ],
        ),
        decision_undated=undated_decision(activities, deal.notes, as_of),
        held_by_us=held[0] if held else None,
        held_by_team=held[1] if held else None,
        review_waits=gated[0] if (gated := review_waits(past, _Names([s.name for s in deal.stakeholders]))) else None,
        review_waits_by=gated[1] if gated else None,
    )


_WAITS_ON = lazy(
    r"\b(?:won'?t|will not|not (?:going to|able to)) (?:sign|decide|commit|approve)\w* (?:anything )?(?:until|before)\b|"
    r"\bbefore (?:he|she|they|we) (?:signs?|decides?|commits?|approves?) anything\b|"
    r"\b(?:wants?|needs?) [^.;]{3,60}? before (?:he|she|they|anyone|anybody) (?:signs?|decides?|commits?|approves?)\b|"
    r"\b(?:wants?|needs?) (?:the |to hear |to get )?[^.;]{3,40}?'s (?:view|input|sign-?off|opinion|blessing) first\b|"
    r"\b(?:we|they) (?:can|could) (?:only )?(?:start|begin|go ahead|proceed|sign)\w* (?:only )?(?:if|provided)\b|"
    r"\bantes\s+de\s+(?:hablar\s+de|firmar|decidir|aprobar|comprometer|comprar)\w*[^.;]{0,40}?\b(?:pide|quiere|"
    r"necesita|exige)\b|\b(?:pide|quiere|necesita|exige)\b[^.;]{3,60}?\bantes\s+de\s+(?:hablar\s+de|firmar|decidir|"
    r"aprobar|comprar)\b",
    re.IGNORECASE,
)
"""The buyer saying the decision waits on a step: "wants a build-vs-buy comparison before he signs anything", a start
on a condition ("we can start if a project drops out"), in Spanish "antes de hablar de licencias, él pide una prueba
pagada"."""
_NO_DATE = lazy(
    r"\bno (?:date|timeline|timeframe|eta|slot|time slot)\b|\bundated\b|\bnot dated\b|"
    r"\b(?:has|have)(?: not|n't) (?:yet )?been (?:approached|contacted|asked|booked|scheduled)\b|"
    r"\b(?:can(?:not|'t)|could(?:n't| not)|do(?:n't| not) know|unable to) (?:yet )?(?:say|tell|know)(?: you| us)? when\b|"
    r"\b(?:sin fecha|no hay fecha)\b|\b(?:fecha|calendario|agenda)\b[^.;]{0,40}?\b(?:todavía|aún) no (?:está|existe|hay)\b",
    re.IGNORECASE,
)
"""The same message, or a later one, saying that step has no date: "no slot for the review yet", "she cannot say
when", "el calendario del comité para 2027 todavía no está"."""


def _decision_waits(buyer: list[ActivityFact]) -> str | None:
    """The buyer's latest word that the decision waits on a step, when the same message, or the buyer's latest
    word since, says it has no date ("she was supportive but wants the interim CDO's view first'. Ruth
    Achterberg has not been approached"; "he wants to see every commitment over 150k before anyone signs", then
    "Martin is doing site visits through December; no slot for the review yet")."""
    latest = next((a for a in reversed(buyer) if text.find(_WAITS_ON, a.summary)), None)
    if latest is None:
        return None
    source = f"{latest.date} {latest.type}: {text.quote(latest.summary)}"
    if text.find(_NO_DATE, latest.summary):
        return source
    last = buyer[-1]
    if last.date > latest.date and text.find(_NO_DATE, last.summary):
        return f"{source}; {last.date} {last.type}: {text.quote(last.summary)}"
    return None


_UNSET = lazy(
    r"\b(?:date|slot|meeting|sitting|session)\b[^.;]{0,25}?\bnot (?:yet )?(?:set|fixed|confirmed|agreed|scheduled|"
    r"booked)\b|\b(?:bod|board|committee|council|cabinet|exco|review)\b[^.;]{0,25}?\b(?:(?:is|has|have) not|isn't|hasn't|haven't|not) "
    r"(?:yet )?(?:been )?(?:scheduled|booked|dated|convened|called(?! off))\b|\bno date (?:yet|set|for it)\b|\b(?:date )?(?:tbd|tbc)\b|\bmaybe\b[^.;]{1,40}?\bmaybe\b|"
    r"(?:日期|时间|会期)(?:还)?(?:没|未)(?:定|确定|排)",
    re.IGNORECASE,
)
"""The buyer saying a step has no date yet: "BOD date not set yet - 'maybe before Christmas, maybe January'",
"Steering committee not yet scheduled"."""
_GATE_STEP = lazy(
    r"\b(?:bod|board|committee|council|cabinet|exco|review|approval|sign-?off)\b|董事会|委员会|上会|审批", re.IGNORECASE
)


_SHARED_STEP_WORDS = {"review", "approval", "sign-off", "signoff", "审批"}


def _step_unset(deal: Deal, buyer: list[ActivityFact], as_of: dt.date) -> tuple[str, str] | None:
    """The buyer's word, after the last one naming a date for it, that an open step of the plan dated ahead, or
    undated and listed before a step dated ahead, one the signature waits on (a board, a committee, an approval),
    has no date yet: the plan's date for it is the rep's, and the decision is undated ("BOD approval" on 12-14,
    then "BOD date not set yet - 'maybe before Christmas, maybe January'"; an undated "Steering committee
    recommendation" before "Direksi approval and contract" on 12-23, then "Steering committee not yet
    scheduled"). The step's action, and where the buyer says so."""
    open_states = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    plan = deal.mutual_action_plan
    # an open step with no date, listed before a step dated ahead, is one the plan's later dates wait on
    ahead = [i for i, p in enumerate(plan) if p.date and p.date >= as_of and p.status in open_states]
    last_ahead = ahead[-1] if ahead else -1
    steps = [
        p
        for i, p in enumerate(plan)
        if (p.date >= as_of if p.date else i < last_ahead)
        and p.status in open_states
        and _GATE_STEP.search(p.action or "")
    ]
    for step in steps:
        # the step's own body ("BOD", "board", 董事会), never a word any step shares ("review", "approval")
        words = {w.lower() for w in _GATE_STEP.findall(step.action or "")} - _SHARED_STEP_WORDS
        if not words:
            continue
        for activity in reversed(buyer):
            said = [c for c in text.sentences(activity.summary) if {w.lower() for w in _GATE_STEP.findall(c)} & words]
            if any(dates_in(clause, activity.date) for clause in said):
                break  # the buyer's latest word on it gives a date ("not scheduled until 12 January")
            unset = next((c for c in said if _unset_for(c, words)), None)
            if unset is not None:
                return step.action, f"{activity.date} {activity.type}: {text.quote(unset)}"
    return None


def _unset_for(clause: str, words: set[str]) -> bool:
    """``clause`` says a step of the body ``words`` names has no date: the words saying so name that body, or no
    body at all ("BOD date not set yet"; not "the board approved it, the security review is not booked")."""
    found = text.find(_UNSET, clause)
    named = {w.lower() for w in _GATE_STEP.findall(found or "")}
    return found is not None and (not named or bool(named & words))


_YES = lazy(
    r"\b(?:yes to|go ahead|go-ahead|green light|"
    r"approved [^.;]{0,40}?\b(?:price|pricing|spend|budget|purchase|seats|licen[cs]es|renewal|expansion|order|it)\b|"
    r"approved (?:the )?[$€£]\s?\d[\d,.]*\s*[km]?|"
    r"(?:we|she|he|they|i)(?:'ll| will) (?:renew|sign|go ahead)|agreed (?:on the spot|to (?:buy|proceed|go ahead))|"
    rf"signs? (?:at|on|after|by|the morning)|signing queue|signs? (?:(?:via|through|by|on|in) )?(?:{text.E_SIGN}))\b|"
    # the signer's yes in their own language: "De acordo, a diretoria já aprovou", "Einverstanden", "akkoord"; not
    # "Não estou de acordo", "nicht einverstanden", "pas d'accord", "De acordo com o jurídico" (according to)
    r"(?<!não )(?<!nao )(?<!estou )(?<!no )\b(?:de acordo|de acuerdo)\b(?! com\b| con\b)|(?<!nicht )\beinverstanden\b|"
    r"(?<!pas )\bd'accord(?:o)?\b|(?<!niet )\bakkoord\b|(?<!不)(?:同意签|可以签)(?!吗)",
    re.IGNORECASE,
)
"""The signer saying yes: "Amara: yes to all 3 clinics", "Gordon: go ahead at the 3-yr price", "we'll renew",
"Peter approved $86k/yr out of the 2026 technology line"."""
_IN_HAND = lazy(
    r"\b(?:po|purchase order)\s*(?:#|no\.?|number)?\s*(?!\d{4}-\d\d-\d\d\b)\d[\d-]{3,}|\b(?:sent|issued|raised) (?:the |a |us )?(?:po|purchase order)\b|"
    r"\bsigning queue\b|\bclean (?:copy|contract)\b|\bsignature page\b|"
    r"\b(?:sent|out) (?:via|through|by|for) (?:docusign|e-?signature|adobe sign)\b|"
    r"\bsent (?:the |our )?(?:order form|contract|agreement)\b[^.;]{0,20}?\b(?:docusign|e-?signature|adobe sign)\b|"
    r"\b(?:routed|sent) (?:the |our )?(?:docusign|e-?signature envelope|envelope)\b|\benvelope (?:sent|is out|went out)\b|\bdocusign\b[^.;]{0,40}?\bsent\b|\b(?:opened|received) (?:it|the docusign|the "
    r"(?:order form|agreement|contract))\b[^.;]{0,20}?\b(?:fine|ok|good)\b|"
    r"\b(?:read|reviewed|went through|checked) (?:our |the |your )?(?:order form|contract|agreement|msa)\b"
    r"(?:[^.;!?\n]{0,80}?\bnothing (?:else |more )?(?:is )?(?:open|outstanding|pending)\b|"
    r"[^\n]{0,160}?[.;!?]\s+nothing (?:else |more )(?:is )?(?:open|outstanding|pending)\s*(?:[.;!\n]|$))",
    re.IGNORECASE,
)
"""The paper in the signer's hands: a PO with its number, the order form in their signing queue, a clean contract
or signature page ready, the e-signature envelope sent ("routed DocuSign to Peter") or opened and found fine, the
order form read by their side with nothing open in the same sentence, or a sentence of its own saying nothing else
is ("their lawyer read our order form; one comment, we accepted it. Nothing else open."; not "reviewed the contract
with us; for this year there is nothing left in the budget")."""


def _committed(deal: Deal, past: list[ActivityFact], as_of: dt.date) -> str | None:
    signers = [s.name for s in deal.stakeholders if s.role == Role.ECONOMIC_BUYER]
    if not signers:
        return None
    said_day = _signing_said(past, signers, as_of, [s.name for s in deal.stakeholders])
    when = _signing_step(deal, signers, as_of) or (said_day and said_day[0])
    if when is None:
        return None
    theirs = [
        a for a in past if a.two_way and (set(signers) & set(a.people) or _Names(signers).mentioned_in(a.summary))
    ]
    # the signer naming, in their own words, the day they sign is their yes ("We sign the order on 18.12")
    said_yes = next((a for a in theirs if _says_yes(a.summary)), None) or (said_day and said_day[1])
    in_hand = next((a for a in reversed(past) if text.find(_IN_HAND, a.summary)), None)
    if said_yes is None or in_hand is None:
        return None
    return (
        f"{said_yes.date} {said_yes.type}: {text.quote(said_yes.summary)}; {in_hand.date} {in_hand.type}: "
        f"{text.quote(in_hand.summary)}; signs {when}"
    )


def _says_yes(summary: str | None) -> bool:
    """A sentence of ``summary`` says yes and does not negate it ("Peter asked why not Verafin … Peter approved
    $86k/yr": the question's "not" is another sentence)."""
    sentences = re.split(r"(?<=[.;!?])\s+", summary or "")
    return any(text.find(_YES, s) and not text.find(_NEGATED_SPAN, s) for s in sentences)


def _signing_step(deal: Deal, signers: list[str], as_of: dt.date) -> dt.date | None:
    """The next step's date when it is a signature the signer owns, dated ahead."""
    step = deal.next_step
    if not (step and step.date and step.date >= as_of and step.owner and _SIGNING_ACT.search(step.action)):
        return None
    return step.date if _Names(signers).resolve(step.owner) is not None else None  # dated by the signer, no one else


_I_SIGN = lazy(
    r"\b(?:i|we)('ll| will|'m going to| am going to|'re going to| are going to| must| have to| need to|) "
    r"(?:sign|countersign)\b(?! (?:nothing|no|anything|off|up)\b)((?:[^.;!?]|\.(?=\d)){0,40})",
    re.IGNORECASE,
)
"""The buyer's own word on the day they sign: "I'll sign on Thursday", "we must sign your order form by 11
December at the latest", "We sign the order on 18.12" (not "we sign nothing until …", "we sign up new sites")."""
_ASKS_OR_SUPPOSES = lazy(r"\b(?:if|unless|whether|in case)\b", re.IGNORECASE)
"""A clause that supposes the signing rather than says it: "If we sign by 20.12 we get the discount"."""
_ASKED_BEFORE = lazy(r"\b(?:can|could|should|would|may|might|shall|do|did)\s*$", re.IGNORECASE)
"""A question's verb just before "we sign": "can we sign on Friday", "Should we sign by 15 December"."""
_CLAUSE_SPEAKER = lazy(
    r"\b(?!From\b)([A-Z][\w'-]+(?: [A-Z][\w'-]+){0,2})\s*(?:\([^)]{0,30}\)\s*)?"
    r"(?::|\b(?:said|says|asked|asks|wrote|writes|replied|told us|mentioned)\b)"
)
"""Who a clause quotes: the last "Name:" or "Name asked" before it ("Mark asked: can we sign …", "Aino (pasted): …",
"From Somchai:")."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _signing_said(
    past: list[ActivityFact], signers: list[str], as_of: dt.date, people: list[str]
) -> tuple[dt.date, ActivityFact | None] | None:
    """The day the buyer said, in their own words, they will sign ("Gillian: 'I'll sign on Thursday once the
    board pack is out'", "We sign the order on 18.12"), and where, when the signer said it (their yes): a weekday
    is the first one after the message; the date must still be ahead. The newest such word with a day in the
    message counts ("we sign NDAs fast; I will sign the order form on 18 December": the second clause); a question
    or a supposition ("can we sign on 18.12?", "if we sign by 20.12 …") is no word on the day, and someone else on
    their side speaks for the signature only with a modal ("we must sign your order form by 11 December")."""
    names, everyone = _Names(signers), _Names(people)
    for activity in reversed(past):
        if not (activity.two_way and (set(signers) & set(activity.people) or names.mentioned_in(activity.summary))):
            continue
        days = []
        for clause, start in _clauses(activity.summary or ""):
            for said in _I_SIGN.finditer(clause):
                if not _states(clause, said):
                    continue
                speaker = _quoted(activity, start + said.start(), everyone)
                by_signer = speaker is None or speaker in signers
                day = day_named(said.group(2), activity.date) if by_signer or said.group(1) else None
                if day is not None:
                    days.append((day, activity if by_signer else None))
        if days:
            return days[-1] if days[-1][0] >= as_of else None
    return None


def _clauses(summary: str) -> list[tuple[str, int]]:
    """The sentences and ;-clauses of ``summary``, each with where it starts."""
    out, at = [], 0
    for clause in text.sentences(summary):
        start = summary.find(clause, at)
        at = start + len(clause) if start >= 0 else at
        out.append((clause, max(start, 0)))
    return out


def _states(clause: str, said: re.Match[str]) -> bool:
    """``said`` (an "I/we sign …" in ``clause``) is a statement, not a question or a supposition."""
    if clause.rstrip(" '\"”’)").endswith("?") or _ASKS_OR_SUPPOSES.search(clause):
        return False
    return not _ASKED_BEFORE.search(clause[: said.start()])


def _quoted(activity: ActivityFact, at: int, everyone: _Names) -> str | None:
    """Who the summary quotes at ``at``: the last person it names as speaking before it ("Mark asked: …",
    "From Somchai: …"), else the one :func:`speaker_of` gives; None when the record names no one."""
    before = (activity.summary or "")[:at]
    quoted = [everyone.resolve(m.group(1)) for m in _CLAUSE_SPEAKER.finditer(before)]
    return next((q for q in reversed(quoted) if q), None) or speaker_of(activity, everyone)


def day_named(said: str, on: dt.date) -> dt.date | None:
    """The first day a message names, read from the day it was written: a date ("by 4 December"), else a weekday
    (the first one after the message: "Monday")."""
    days = dates_in(said, on)
    if days:
        return days[0]
    lowered = said.lower()
    weekday = next((i for i, name in enumerate(_WEEKDAYS) if re.search(rf"\b{name}\b", lowered)), None)
    return None if weekday is None else on + dt.timedelta(days=(weekday - on.weekday() - 1) % 7 + 1)


_END_OF_MONTH = lazy(rf"\b(?:the )?end of {_MONTH}\b", re.IGNORECASE)


def until_named(said: str, on: dt.date) -> dt.date | None:
    """The last day a message names for something to end, read from the day it was written: a date ("her last
    day is 12-11"), else the end of a month ("leaving at the end of January": its last day, the first such month
    on or after the message); None when it names neither."""
    days = dates_in(said, on)
    if days:
        return days[0]
    month = _END_OF_MONTH.search(said)
    if month is None:
        return None
    start = month_ahead(_MONTHS[month.group(1).lower()[:3]], on)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1)


_SIGNING_ACT = lazy(rf"\bsign(?:s|ing|ature)?\b|\bcountersign|\b(?:{text.E_SIGN})\b", re.IGNORECASE)


_FORBIDDEN = (
    r"(?:can'?t|cannot|can not|may not|must not|mustn'?t|(?:are |is )?not (?:allowed|permitted) to|"
    r"(?:are |is )?(?:barred|prohibited|forbidden|banned) from|(?:bar|bars|prohibit|prohibits|forbid|forbids|ban|bans) "
    r"(?:us|vendors|bidders|suppliers) from)"
)
_CONTACTING = (
    r"(?:contact(?:ing)?|speak(?:ing)? (?:to|with)|talk(?:ing)? (?:to|with)|reach(?:ing)? out to|lobby(?:ing)?|"
    r"approach(?:ing)?|communicat(?:e|ing) with|chas(?:e|ing)|call(?:ing)?|e-?mail(?:ing)?)"
)
_EVALUATORS = r"(?:evaluators?|scoring panel|evaluation panel|panel|evaluation committee|assessors?|scorers?)"
_QUIET = lazy(
    rf"\b(?:quiet period|blackout(?: period)?|cone of silence|communications? (?:freeze|blackout)|standstill period|"
    rf"{_FORBIDDEN} {_CONTACTING} (?:the |any )?{_EVALUATORS}|no contact (?:with (?:the )?{_EVALUATORS}|"
    rf"during (?:the )?(?:evaluation|scoring|tender)))\b",
    re.IGNORECASE,
)
"""The buyer's procurement rules forbid contact during evaluation (public tenders, formal RFPs)."""


def _quiet_period(deal: Deal, past: list[ActivityFact]) -> str | None:
    for activity in reversed(past):
        hit = text.find(_QUIET, activity.summary)
        if hit:
            return f"{activity.date} {activity.type}: {text.quote(hit)}"
    hit = text.find(_QUIET, deal.notes)
    return f"notes: {text.quote(hit)}" if hit else None


def _on_hold(deal: Deal, past: list[ActivityFact]) -> str | None:
    held = [a for a in past if text.find(_ON_HOLD, a.summary)]
    lifted = [a for a in past if text.find(_LIFTED, a.summary)]
    if held and not any(a.date >= held[-1].date for a in lifted):
        last = held[-1]
        return f"{last.date} {last.type}: {text.quote(last.summary)}"
    note = text.find(_ON_HOLD, deal.notes)
    # the notes are undated: a lift the activities record supersedes the hold the notes describe
    if note and not text.find(_LIFTED, deal.notes) and not lifted:
        return f"notes: {text.quote(note)}"
    return None


def _doubt(deal: Deal, buyer: list[ActivityFact], as_of: dt.date, lifted: dt.date | None = None) -> str | None:
    """Why the close date cannot be believed. The buyer placing the purchase later in a message on or before the
    day the record says the hold or freeze behind it was lifted (``lifted``: "our project got its budget back")
    no longer does: the later word stands, as for a project on hold."""
    for clause in re.split(r"[.;\n]", deal.notes or ""):
        if text.find(_PLACEHOLDER, clause) and re.search(r"\b(?:date|close)\b", clause, re.IGNORECASE):
            return f"notes: {text.quote(clause.strip())}"
    current = [a for a in buyer if lifted is None or a.date > lifted]
    sources = [("notes", deal.notes or "")] + [(f"{a.date} {a.type}", a.summary or "") for a in current]
    for where, body in sources:
        for clause in re.split(r"[.;\n]", body):
            hit = text.find(_LATER_TIMING, clause)
            if not hit:
                continue
            years = [int(y) for y in _YEAR.findall(hit)] + [2000 + int(y) for y in _FY.findall(hit)]
            if years and max(years) <= as_of.year:
                continue  # "2026 at the earliest" or "the FY26 budget" in 2026 places nothing later
            return f"{where}: {text.quote(clause.strip())}"
    return (
        _budget_until(deal, buyer)
        or _floor_after_close(deal, buyer)
        or _gate_after_close(deal, buyer)
        or _sitting_after_close(deal, buyer)
        or _consent_after_close(deal, buyer)
    )


def floor_word(deal: Deal, activities: list[ActivityFact], as_of: dt.date, lifted: dt.date | None) -> str | None:
    """The general reading of a floor after the close date (:func:`later_floor`), when none of the readers above
    knows the shape: the sentence that sets it. A floor said on or before a lift the record holds no longer does.
    Read last (``derive``), once neither a hold nor a doubt is on record."""
    if deal.close_date is None:
        return None
    current = [a for a in activities if lifted is None or a.date > lifted]
    floor = later_floor(current, None if lifted else deal.notes, as_of, deal.close_date)
    return floor[1] if floor else None


def _floor_after_close(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's word that nothing happens before a named month after the close date ("Lucía will revisit in
    February at the earliest", "not before March"): the month read from the day it was said."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        for sentence in text.sentences(activity.summary):
            for match in _MONTH_FLOOR.finditer(sentence):
                if _NOT_THE_PURCHASE.search(sentence[: match.start()]):
                    continue
                if _month_floor(match, activity.date)[0] > deal.close_date:
                    return f"{activity.date} {activity.type}: {text.quote(sentence.strip(), 120)}"
    return None


def _month_floor(match: re.Match[str], said: dt.date) -> tuple[dt.date, int]:
    """The first day of the month a floor (``_MONTH_FLOOR``, ``_NOT_BEFORE_MONTH``) names: in the year it gives,
    else the first such month on or after ``said``; and where the month's name starts in the text searched."""
    index = next(i for i, g in enumerate(match.groups(), start=1) if g and not g.isdigit())
    year = next((g for g in match.groups() if g and g.isdigit()), None)
    month = _MONTHS[match.group(index).lower()[:3]]
    return (dt.date(int(year), month, 1) if year else month_ahead(month, said)), match.start(index)


def _consent_after_close(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's latest word that the purchase needs someone's consent or approval, in a message that also says
    nothing comes of it before a month after the close date ("any new agreement above DKK 500.000 needs the prior
    written consent of Nordbridge's integration office ... they will not look at vendor requests before the first
    week of February"): the signature waits on that approval, and so does the close date."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        if not text.find(_NEEDS_CONSENT, activity.summary):
            continue
        for sentence in text.sentences(activity.summary):
            match = _NOT_BEFORE_MONTH.search(sentence)
            if match is None or _NOT_THE_PURCHASE.search(sentence[: match.end()]) or _CONDITIONAL.search(sentence):
                continue
            if _month_floor(match, activity.date)[0] > deal.close_date:
                return f"{activity.date} {activity.type}: {text.quote(sentence.strip(), 160)}"
    return None


def _budget_until(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's word that the money is spoken for until a month after the close date: nothing can be bought
    before then, whatever the CRM date says."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        match = _BUDGET_UNTIL.search(activity.summary or "")
        if not match:
            continue
        if month_ahead(_MONTHS[match.group(1).lower()[:3]], activity.date) > deal.close_date:
            return f"{activity.date} {activity.type}: {text.quote(match.group(0))}"
    return None


_MONTH_NAMES = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_BUDGET_UNTIL = lazy(
    rf"\b(?:budgets?|funding|money|spend)\b[^.;]{{0,30}}?\b(?:committed|allocated|spoken for|tied up|locked|frozen|"
    rf"gone|used up)\b[^.;]{{0,15}}?\buntil (?:the end of |end of |after )?{_MONTH_NAMES}\b",
    re.IGNORECASE,
)
"""The buyer's budget spoken for until a named month ("new software budget is committed until July")."""
_MONTH_FLOOR = lazy(
    rf"\b(?:in |from |by )?{_MONTH}(?: (20\d\d))? at the earliest\b|\b(?:not|nothing) (?:before|until) "
    rf"(?:early |mid-?|late |the end of )?{_MONTH}\b(?: (20\d\d))?|\bno earlier than (?:early |mid-?|late )?{_MONTH}\b"
    r"(?: (20\d\d))?",
    re.IGNORECASE,
)
_NEEDS_CONSENT = lazy(
    r"\b(?:needs?|requires?|subject to|wait(?:s|ing)? (?:for|on)|until we (?:have|get))\b[^.;]{0,40}?\b(?:consent|"
    r"approval|sign-?off|no-?objection|clearance|go-?ahead)\b|(?:需要|须|必须|等待)[^，。；]{0,20}?(?:同意|批准|审批)",
    re.IGNORECASE,
)
"""The purchase waiting on someone's consent ("needs the prior written consent of the integration office")."""
_NOT_BEFORE_MONTH = lazy(
    rf"\b(?:not|won'?t|nothing|no one|nobody)\b[^.;]{{0,50}}?\b(?:before|until) (?:the (?:first|second|third|"
    rf"fourth|last) (?:week|fortnight|half|days?) of |early |mid-?|late |the end of )?{_MONTH}\b(?: (20\d\d))?",
    re.IGNORECASE,
)
"""Nothing done before a named month ("they will not look at vendor requests before the first week of February")."""
_NOT_THE_PURCHASE = lazy(
    r"\b(?:if|unless|should|in case|go-?live|live|launch|implementation|rollout|roll-out|kick-?off|deliver\w*|"
    r"training|onboarding|competitor|they can'?t)\b",
    re.IGNORECASE,
)
"""Words before a month floor that make it something else's date: a supposition, the go-live, the users' training
("Training for the night shift not before February"), a rival's delivery."""
"""The buyer naming the first month anything can happen ("February at the earliest", "not before March")."""
_LATER_GATE = lazy(
    rf"\b(?:go(?:es)? (?:through|to)|wait(?:s|ing)? (?:for|on)|(?:held|hold|parked) (?:\w+ )*?until|needs?) (?:the |their |its )?"
    rf"{_MONTH_NAMES} (?:[\w-]+ )?(?:review|committee|board|meeting|cycle|round|approval)\b",
    re.IGNORECASE,
)
"""The buyer routing the decision to a named month's body ("all new multi-year commitments go through the January
capital review now")."""
_LATER_BODY = lazy(
    r"\b(?:take|bring|put|send|go|goes|going|come|comes|return\w*)\b[^.;]{0,40}?\bback to (?:the |their |our )?"
    r"(?:exco|board|committee|council|cabinet|management team|exec(?:utive)? (?:committee|team)|[\w-]+ committee)"
    r" (?:in|on|at|for) (?:the )?(?:early |mid-?|late |end of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b",
    re.IGNORECASE,
)
"""The buyer taking the purchase back to its body in a named month ("if the pilot meets the criteria, we would take
the enterprise agreement back to Exco in April"): the decision is that month's, not the CRM date's."""


_NEXT_SITTING = lazy(
    r"\b(?:the )?next (?:[\w-]+ ){0,2}?(?:one|meeting|sitting|session|review|round|cycle|window|committee|board)\b|"
    r"\b(?:meets|sits|convenes|reviews? \w+ (?:requests|applications)) (?:next )?(?:on|in)\b|下一次(?:会议|上会)?",
    re.IGNORECASE,
)
_FALLBACK_WORDS = r"^\W*(?:(?:otherwise|if not|failing that|or else)\b|否则|不然)"
_CONDITIONAL = lazy(_FALLBACK_WORDS + r"|^\W*(?:(?:if|unless)\b|如果)", re.IGNORECASE)
_WAITS_ON_BODY = lazy(
    r"\b(?:approv\w*|no-?objection|resolution|(?:not|never) (?:able|allowed) to|cannot|can'?t|before (?:it|the \w+) "
    r"(?:approves|signs off|decides)|on (?:its|their|the) agenda)\b|审批|批准|之前不能",
    re.IGNORECASE,
)
"""Words saying the purchase waits on the body ("We are not able to issue the contract before the no-objection")."""


_FALLBACK = lazy(
    _FALLBACK_WORDS + r"|\bif (?:you|we|it|they) (?:can'?t|cannot|don'?t|do not|miss|are not|aren'?t)\b|"
    r"\b(?:would|could|might) (?:push|move|slip|delay|defer|bump)\w*\b[^.;]{0,25}?\b(?:to|into|until)\b",
    re.IGNORECASE,
)
"""Words giving a later date to fall back to: "Otherwise their next slot is w/c 11.1.2027", and the consequence of
something the buyer's side may do: "the chairman sometimes asks for clarifications, which would push it to the
January sitting"."""
_MONTH_SITTING = lazy(
    rf"\b(?:to|into|until) (?:the |their |its )?{_MONTH_NAMES} (?:[\w-]+ )?(?:sitting|meeting|session|committee|board|"
    r"round|cycle|slot|window)\b",
    re.IGNORECASE,
)
"""A fallback to a named month's sitting of the body ("push it to the January sitting"): that month's first day."""
_DEAL_STEP = lazy(
    r"\b(?:re-?test|test|review|approval|sign\w*|committee|board|slot|window|cycle|sitting|contract|order)\b|"
    r"复测|审核|审批|签|委员会|董事会|窗口",
    re.IGNORECASE,
)
"""What a fallback is about: a step of the deal, not a meeting to move ("If you can't make Friday, we can do 01-08")."""


_QUOTE_MARKS = " '\"“”‘’"


def _fallback(deal: Deal, buyer: list[ActivityFact]) -> tuple[dt.date, str] | None:
    """The buyer's latest word giving a later date to fall back to if a condition is not met in time, when that date
    is after the close date: "Otherwise their next slot is w/c 11.1.2027 (holidays)"."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        for sentence in re.split(r"(?<=[.!?。！？])['\"”’]?\s+|\n", activity.summary or ""):
            if not text.find(_FALLBACK, sentence) or not text.find(_DEAL_STEP, sentence):
                continue
            days = dates_in(sentence, activity.date) + [
                month_ahead(_MONTHS[m.group(1).lower()[:3]], activity.date) for m in _MONTH_SITTING.finditer(sentence)
            ]
            later = [day for day in days if day > deal.close_date]
            if later:
                said = text.quote_around(sentence.strip(_QUOTE_MARKS), _FALLBACK)
                return min(later), f"{activity.date} {activity.type}: {said}"
    return None


def _sitting_after_close(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's word that the body the purchase waits on next sits after the close date: "The Fund's grants
    committee reviews no-objection requests at its quarterly meeting; the next one is on 3 February 2027." A
    fallback ("Otherwise their next slot is w/c 11.1.2027") is a risk, not the date."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        for sentence in re.split(r"(?<=[.!?。！？])\s+|\n", activity.summary or ""):
            if (
                text.find(_CONDITIONAL, sentence)
                or not _BODY_WORD.search(sentence)
                or not _NEXT_SITTING.search(sentence)
            ):
                continue
            if not text.find(_WAITS_ON_BODY, activity.summary):
                continue  # a body's next meeting about something else ("our next meeting reviews adoption")
            if any(day > deal.close_date for day in dates_in(sentence, activity.date)):
                return f"{activity.date} {activity.type}: {text.quote(sentence.strip())}"
    return None


def _gate_after_close(deal: Deal, buyer: list[ActivityFact]) -> str | None:
    """The buyer's latest word that the decision goes to a body meeting in a month after the close date."""
    if deal.close_date is None:
        return None
    for activity in reversed(buyer):
        for clause in re.split(r"[.;\n]", activity.summary or ""):
            found = _LATER_GATE.search(clause) or (
                _LATER_BODY.search(clause) if text.find(_LATER_BODY, clause) else None
            )
            if not found:
                continue
            month = _MONTHS[found.group(1).lower()[:3]]
            year = activity.date.year + (month < activity.date.month)
            if dt.date(year, month, 1) > deal.close_date:
                return f"{activity.date} {activity.type}: {text.quote(clause.strip())}"
    return None


def _reconfirmed(deal: Deal, buyer: list[ActivityFact], as_of: dt.date) -> tuple[dt.date | None, str | None]:
    close = deal.close_date
    if close is None or close >= as_of:
        return None, None
    # re-confirmed: said by the buyer once the CRM date had passed, not a date mentioned on the way to it
    recent = [a for a in buyer if a.date >= close and text.find(_CONFIRMS, a.summary)]
    for activity in reversed(recent):
        ahead = [d for d in dates_in(activity.summary, activity.date) if d >= as_of and d > close]
        if ahead:
            return min(ahead), f"{activity.date} {activity.type}: {text.quote(activity.summary)}"
    return None, None


_UNTIL = lazy(r"\b(?:until|till|through|thru|expires?(?: on)?|valid to)\s+\S+", re.IGNORECASE)


def _sooner(deal: Deal, buyer: list[ActivityFact], as_of: dt.date) -> tuple[dt.date | None, str | None]:
    """The signing date the buyer named in a two-way exchange after the CRM close date was last pushed, still
    ahead and before the CRM date: a sentence that speaks of signing and names the day ("Dr. Vogt signs, Jonas
    thinks 17 or 18 December"; the latest day it names). The rep parked the date; the buyer's later word moved
    it back. Only a pushed date counts: a CRM date the rep set later than a date the buyer named before is the
    rep's caution, not a stale field."""
    close = deal.close_date
    pushes = [c for c in _close_changes(deal) if c.pushed and c.after == close]
    if close is None or close < as_of or not pushes:
        return None, None
    parked = max(c.date for c in pushes)
    for activity in reversed([a for a in buyer if a.date > parked]):
        sentences = text.sentences(activity.summary)
        named = [
            (day, sentence)
            for sentence in sentences
            if text.find(_SIGNING_ACT, sentence)
            # a deadline is no signing day: "the 2026 line is there until 31.12"
            for day in dates_in(_UNTIL.sub(" ", sentence), activity.date)
            if as_of <= day < close
        ]
        if named:
            day, sentence = max(named)
            return day, f"{activity.date} {activity.type}: {text.quote(sentence.strip())}"
    return None, None


def _plan_signature(deal: Deal, as_of: dt.date) -> dt.date | None:
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    signs = [p.date for p in deal.mutual_action_plan if p.date and p.status in open_plan and _SIGNS.search(p.action)]
    return max(signs, default=None)


PAPER_STEP = lazy(
    r"\b(?:contracts?|legal|redlines?|msa|dpa|security|infosec|(?:vendor|supplier) (?:risk|onboarding|setup|set-up)|tprm|"
    r"third[- ]party risk|"
    r"procurement|purchasing|sourcing|counsel|paper(?:work)?|coi|certificate of insurance)\b",
    re.IGNORECASE,
)
"""Plan steps that belong to the paper process (``deal-paper-process``)."""
_SIGNING = lazy(
    r"\b(?:contracts?|order form|agreement|paperwork) (?:is |was |gets? )?(?:signed|signature|signing|executed)\b|"
    r"\b(?:sign(?:ed|ing|ature|s)?|execut(?:e|ed|ion)) (?:of |on )?(?:the )?(?:contracts?|order form|agreement|paperwork)\b",
    re.IGNORECASE,
)
"""The signature itself, however it is worded ("Contract signed", "Sign the order form"): the decision, not a
paper step, even though it names the contract."""


def paper_step(action: str | None) -> bool:
    """Whether a plan step is part of the paper process (legal, security, procurement), not the signature."""
    return bool(PAPER_STEP.search(_SIGNING.sub(" ", action or "")))


_VALIDATION_STEP = lazy(
    r"\b(?:tests?|testing|pilot|poc|pov|proof of (?:concept|value)|uat|validation|trial|benchmark|bake-?off|"
    r"evaluation|parallel[- ]run(?:ning)?|(?:data |variance )?reconciliation)\b|并行运行|双轨运行|平行运行",
    re.IGNORECASE,
)
"""A step of the buyer's that proves the product against their criteria: "Channel-manager integration test", "Week 2
reconciliation" of a parallel run with the old system."""


def validation_step(action: str | None) -> bool:
    """Whether a plan step is the buyer's test of the product against their criteria (a pilot, a POC, a trial,
    a test), not a paper step."""
    return bool(_VALIDATION_STEP.search(action or "")) and not paper_step(action)


def validation_ahead(deal: Deal, as_of: dt.date, signs: dt.date | None) -> PlanItem | None:
    """The buyer's plan still has a step that tests the product against their criteria before the signature
    (``signs``, else the close date): "Channel-manager integration test" on 12-09, "CFO signs" on 12-18. Whatever
    passed before, the criteria are met only when that step is. None when no such step is open ahead."""
    signs = signs or deal.close_date
    open_states = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    return next(
        (
            item
            for item in sorted(deal.mutual_action_plan, key=lambda p: p.date or dt.date.max)
            if item.date
            and item.status in open_states
            and (item.status != PlanStatus.PLANNED or item.date >= as_of)
            and (signs is None or item.date <= signs)
            and validation_step(item.action)
        ),
        None,
    )


def _paper_stuck(deal: Deal) -> str | None:
    stuck = [
        p for p in deal.mutual_action_plan if p.status in (PlanStatus.LATE, PlanStatus.BLOCKED) and paper_step(p.action)
    ]
    if not stuck:
        return None
    step = stuck[-1]
    return f"plan step {text.quote(step.action)} ({step.date or 'undated'}) is {step.status}"


_COUNTS = {
    **{w: n for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), 1)},
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
}
"""A count written in words, as people write a lead time ("about three weeks", "a couple of weeks")."""
_NUMBER = rf"\d{{1,2}}|{'|'.join(sorted(_COUNTS, key=len, reverse=True))}"
_DURATION = lazy(
    rf"(?<!\bnet )(?<!\bnet-)\b({_NUMBER})(?:\s*(?:-|–|to|or)\s*({_NUMBER}))?\s*({'|'.join(sorted(_UNIT_DAYS, key=len, reverse=True))})\b"
    r"(?![- ]?(?:term|contract|commitment|warranty|renewal|free|cap|caps|liability|general)\b)"
    r"(?!['’]?s?\s+(?:of\s+|worth of\s+)?(?:annual\s+|the\s+)?(?:fees?|revenue|arr|subscription|charges|payments?|notice)\b)",
    re.IGNORECASE,
)
"""A lead time: "6-8 weeks", "10 working days"; not a sum or a term of the contract written in time ("liability
at 12 months fees", "net 30 days", "3 months' notice")."""
_PAPER_WORDS = lazy(
    rf"{PAPER_STEP.pattern}|\bassessment\b|\bliabilit(?:y|ies)\b|\bindemnit(?:y|ies)\b|\bgoverning law\b|"
    r"\bprivate offers?\b|\bmarketplace (?:offer|listing|purchase|contract)s?\b",
    re.IGNORECASE,
)
"""Words of the paper process in what the record says, beyond a plan step's: also the buying vehicle a cloud
marketplace gives ("an AWS Marketplace private offer", "their marketplace listing"), which is the order form."""


def durations(text: str | None) -> list[tuple[int, int]]:
    """Each duration a text gives, as reps and buyers write them ("6-8 weeks", "3-4 wks", "10 working days"):
    where it starts in the text and its upper end in calendar days, since a plan that needs the short end is late.
    The one reader of durations: the inspector's paper timeline and the coach's plan both read them here."""
    return [
        (m.start(), round(_count(m.group(2) or m.group(1)) * _UNIT_DAYS[m.group(3).lower()]))
        for m in _DURATION.finditer(text or "")
    ]


def _count(number: str) -> int:
    return int(number) if number.isdigit() else _COUNTS[" ".join(number.lower().split())]


def _paper_too_slow(deal: Deal, record: list[ActivityFact], as_of: dt.date) -> tuple[str, dt.date | None, bool] | None:
    """The record's word on how long a paper step takes ("their SLA is 3-4 weeks", "the assessment takes 4-6
    weeks", "our broker needs 3-5 business days for the COI"), counted from when it was said, running past the
    date the paper has to be done by: the plan's next open paper step (a supplier set-up before a freeze), else
    its signature step, else the close date. Said by the buyer or written in our own notes: a step we owe the
    buyer's paper process is as much on its critical path as theirs. A timeline that starts with a step of theirs
    ("6-8 weeks once procurement opens the ticket") runs from when the record shows that step, else from today.
    Returns the line that says so, the date the timeline runs to (None when it runs from today: our
    projection, not a date the buyer gave) and whether it runs from today because nothing on record started it."""
    signature = _plan_signature(deal, as_of) or deal.close_date
    if signature is None or signature < as_of:
        return None
    said = [a for a in record if a.two_way or a.type == "note"]
    done = [a.date for a in said if Signal.PAPER_COMPLETE.value in a.signals]
    for activity in reversed(said):
        if done and max(done) >= activity.date:
            return None  # the paper finished after the record named its timeline
        if not text.find(_PAPER_WORDS, activity.summary):
            continue
        due, what = _paper_due(deal, activity.date, signature)
        for clause in re.split(r"[.;\n]", activity.summary or ""):
            found = durations(clause)
            if not found or text.find(_NEGATED_SPAN, clause[: found[0][0]]):
                continue
            start, waiting = activity.date, ""
            if text.find(_STARTS_ON, clause):
                # "6-8 weeks once procurement opens the ticket": the clock starts when the step does, on the date
                # the buyer gave it ("the delegate approves on 3 December. Following approval we need 15 business
                # days"); a step nobody on their side has started or dated on record starts today at the earliest
                named = [d for d in dates_in(activity.summary, activity.date) if d <= signature]
                start = _review_started(record, activity.date) or max([as_of, *named[-1:]])
                waiting = "" if start < as_of or named else f"{_UNSTARTED}, counted from {as_of}, "
            ends = start + dt.timedelta(days=found[0][1])
            closed, shut = _closed(record, ends), ""
            if closed is not None:  # the buyer's office is shut that day: the paper is done when it reopens
                ends = closed[1] + dt.timedelta(days=1)
                shut = f" when the buyer reopens after its shutdown ({closed[0]} to {closed[1]})"
            if ends > due:
                # a projection from today is no date of the buyer's: the paper is late, not placed after the period,
                # unless the buyer has refused to shorten it ("the procedure applies to everyone")
                binding = (
                    not waiting
                    or any(a.date >= activity.date and text.find(_NO_EXCEPTION, a.summary) for a in record)
                    # its clock cannot even start today (a document to be signed first), and from today it would
                    # already end after the quarter: the earliest date is a floor, not a projection
                    or (precondition(deal, record) is not None and ends > period_of(as_of).end)
                )
                return (
                    f"{PAPER_TOO_SLOW}{what}: {activity.date} {activity.type}, "
                    f"{text.quote(clause.strip())} ({waiting}to {ends}{shut}, after {due})",
                    ends if binding else None,
                    bool(waiting),
                )
        dated = _paper_dated_after(activity, signature)
        if dated is not None:
            return (*dated, False)
    return None


_NO_EXCEPTION = lazy(
    r"\bno exceptions?\b|\b(?:refused|declined|denied|rejected|turned down|said no to)\b[^.;]{0,20}\b(?:an |the )?"
    r"(?:exception|fast[- ]track|waiver)\b|\b(?:exception|fast[- ]track|waiver)\b[^.;]{0,20}\b(?:refused|declined|"
    r"denied|rejected)\b|\b(?:applies|apply) to (?:everyone|every supplier|every vendor|all (?:suppliers|vendors))\b",
    re.IGNORECASE,
)
"""The buyer will not shorten their own process: the lead time counted from today binds the signature date."""
_STARTS_ON = lazy(
    r"\b(?:once|after|following|from (?:when|(?:the )?receipt|the (?:day|date|moment|point))|when|starting when|"
    r"as soon as)\b",
    re.IGNORECASE,
)
"""A timeline counted from a step of the buyer's process: "6-8 weeks once procurement opens the ticket"."""


_CLOSED = lazy(
    r"\b(?:(?:corporate|company|office|plant|site|year-?end|christmas|holiday|summer|winter) (?:shut-?down|closure)|"
    r"shut-?down|(?:offices?|company|plant) (?:is |are |will be )?closed|close[sd]? down|change freeze|"
    r"(?:code|procurement|contracts?|finance|year-?end) freeze|blackout)\b",
    re.IGNORECASE,
)
"""The buyer's organisation stops for a period ("the corporate shutdown is 19 Dec to 12 Jan"): no paper moves."""


def _closed(record: list[ActivityFact], day: dt.date) -> tuple[dt.date, dt.date] | None:
    """The buyer's shutdown, as the record dates it (its first and last day), that ``day`` falls in."""
    for activity in record:
        for clause in re.split(r"[.;\n]", activity.summary or ""):
            if not text.find(_CLOSED, clause):
                continue
            named = dates_in(clause, activity.date)
            if len(named) >= 2 and named[0] <= day <= named[1]:
                return named[0], named[1]
    return None


def _review_started(record: list[ActivityFact], said: dt.date) -> dt.date | None:
    """The first time after ``said`` the buyer's side shows a legal, security or procurement review under way."""
    started = {Signal.LEGAL_SECURITY_REVIEW.value, Signal.PAPER_COMPLETE.value}
    return next((a.date for a in record if a.date > said and a.two_way and started & set(a.signals)), None)


_AHEAD = dt.timedelta(days=180)
"""How far ahead a date in a paper step's words can be read as that step's date (ae-coach default: six months)."""
_SCHEDULED = lazy(
    r"\b(?:review|committee|assessment|approval|sign-?off|board|panel|meets|meeting|scheduled|slot|earliest|"
    r"booked|clears?|cleared|decision)\b",
    re.IGNORECASE,
)
_TERM_ENDS = lazy(r"\b(?:expires?|expiry|ends|ending|runs (?:out|until|to)|renewal|renews|term)\b", re.IGNORECASE)


_BEFORE_DATE = lazy(r"\b(?:before|ahead of|prior to)\b[^,;:]{0,40}", re.IGNORECASE)


def _paper_dated_after(activity: ActivityFact, signature: dt.date) -> tuple[str, dt.date] | None:
    """A paper step the record dates after the signature date ("the architecture review is scheduled for
    January 6 and the Risk Acceptance Committee meets January 14"): the signature cannot come before it. Only a
    clause that schedules a review or decision, not one that says when a contract term ends."""
    for clause in re.split(r"[.;\n]", activity.summary or ""):
        if not text.find(_PAPER_WORDS, clause) or not text.find(_SCHEDULED, clause) or text.find(_TERM_ENDS, clause):
            continue
        if text.find(_NEGATED_SPAN, clause):
            continue
        # a day-month already past reads as next year's ("started 11-23" said on 11-25): not a date ahead; a date
        # the step comes before is its deadline, not its date ("order before the shutdown (from 21 Dec)")
        dated = _BEFORE_DATE.sub("", clause)
        later = [d for d in dates_in(dated, activity.date) if signature < d <= activity.date + _AHEAD]
        if later:
            ends = max(later)
            return (
                f"{PAPER_DATED_AFTER}{activity.date} {activity.type}, "
                f"{text.quote(clause.strip())} (to {ends}, after {signature})",
                ends,
            )
    return _paper_month_floor(activity, signature)


_PART_OF_MONTH = lazy(r"\b(early|mid|late|end of)(?:[- ]to[- ](?:early|mid|late))?[- ]*$", re.IGNORECASE)
_PART_DAY = {"early": 1, "mid": 15, "late": 21, "end of": 21}
"""The first day of the part of a month a note names just before the month ("mid-to-late January": the 15th at the
earliest; "the end of January", like "late January", the 21st)."""
_FLOOR_ALONE = lazy(
    r"^\W*(?:(?:eta|expected|earliest)\b\W*)?(?:(?:early|mid|late)\b(?:[- ]to[- ]\w+)?\W*)?$", re.IGNORECASE
)
"""A sentence that is the month floor and nothing else ("ETA 'mid-to-late January at the earliest'.")."""


def _paper_month_floor(activity: ActivityFact, signature: dt.date) -> tuple[str, dt.date] | None:
    """A message about the paper (a legal, procurement or marketplace step) naming the first month it can be done
    in, after the signature date, in a sentence that names the paper or in one of its own after one that does
    ("enablement for their marketplace private offers … ETA 'mid-to-late January at the earliest'"; "procurement
    cannot raise the PO before February"): the paper is dated past the signature. Not a month for something else
    (a go-live, a supposition, "legal has the order form. Training for the night shift not before February")."""
    paper_said = False
    for sentence in text.sentences(activity.summary):
        names_paper = bool(_PAPER_WORDS.search(sentence))
        for match in _MONTH_FLOOR.finditer(sentence):
            if _NOT_THE_PURCHASE.search(sentence[: match.start()]):
                continue
            if not (names_paper or (paper_said and _FLOOR_ALONE.search(sentence[: match.start()]))):
                continue
            first, month_at = _month_floor(match, activity.date)
            part = _PART_OF_MONTH.search(sentence[:month_at])
            ends = first.replace(day=_PART_DAY[part.group(1).lower()]) if part else first
            if signature < ends <= activity.date + _AHEAD:
                return (
                    f"{PAPER_DATED_AFTER}{activity.date} {activity.type}, "
                    f"{text.quote(sentence.strip(), 160)} (from {ends} at the earliest, after {signature})",
                    ends,
                )
        paper_said = paper_said or names_paper
    return None


def _paper_due(deal: Deal, said: dt.date, signature: dt.date) -> tuple[dt.date, str]:
    """The date the paper must be done by, as seen on ``said``: the plan's next open paper step, else the signature."""
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    steps = sorted(
        (p.date, p.action)
        for p in deal.mutual_action_plan
        if p.date and said <= p.date <= signature and p.status in open_plan and paper_step(p.action)
    )
    if steps:
        return steps[0][0], f"the plan step {text.quote(steps[0][1])}"
    return signature, "the signature date"


def _paper_unanswered(past: list[ActivityFact], as_of: dt.date, wait: int | None) -> str | None:
    """Our paper (a contract, redlines, an MSA) is the last word on the paper process, and the buyer has not
    answered it for longer than ``wait`` days: legal activity on record, but nothing moving on their side."""
    if wait is None:
        return None
    paper = [a for a in past if _on_paper(a)]
    # the champion relaying that their contracts team has not answered ("hasn't heard back") is no answer
    paper = [a for a in paper if not (a.two_way and text.find(_UNANSWERED, a.summary))]
    if not paper or paper[-1].two_way or Signal.PAPER_COMPLETE.value in paper[-1].signals:
        return None
    if not text.find(_PAPER_SENT, paper[-1].summary):
        return None  # ours only when the record says we sent it: an undirected "contract with Carol" may be theirs
    last = paper[-1]
    days = (as_of - last.date).days
    if days <= wait:
        return None
    return f"our paper has had no answer for {days} days: {last.date} {last.type}, {text.quote(last.summary)}"


_UNOWNED = lazy(
    r"\b(?:(?:haven'?t|hasn'?t|have not|has not|nobody (?:\w+ ){0,3}has|no one (?:\w+ ){0,3}has|not)\s+(?:yet\s+)?"
    r"(?:picked (?:it |this |them )?up|"
    r"been picked up|looked at (?:it|them|the \w+)|opened (?:it|them|the \w+)|started (?:on )?(?:it|them|the review))|"
    r"(?:doesn'?t|does not|don'?t|do not|didn'?t|did not) (?:know|have) (?:who (?:picks|will pick|handles|owns|is handling)|"
    r"a (?:name|contact))|nobody (?:owns|is handling)|no (?:named )?(?:owner|contact) (?:in|at|for) (?:legal|procurement)|"
    r"(?:no one|nobody) (?:has been |is )?assigned|sitting (?:in|with) [\w']+ (?:queue|inbox)|untouched)",
    re.IGNORECASE,
)
"""The buyer's side says nobody has taken up the paper: "legal haven't picked it up yet", "doesn't know who picks
it up", "didn't have a name"."""


PAPER_UNOWNED = "nobody on the buyer's side has taken up the paper: "
PAPER_TOO_SLOW = "the paper timeline runs past "
_UNSTARTED = "not started on record"
"""How a paper timeline the record gives no start for says so: counted from today, its clock has not started."""
PAPER_DATED_AFTER = "the buyer's paper process is dated past the signature date: "
PAPER_LATE = (PAPER_TOO_SLOW, PAPER_DATED_AFTER)
"""How ``paper_stuck`` begins when the buyer's own process cannot finish by the signature date (a lead time the
record gives, a review dated after it): what is left is a fast track from the signer, or a later date."""


def _paper_unowned(past: list[ActivityFact]) -> str | None:
    """The latest word on the paper process, from the buyer's side, says nobody there has taken it up."""
    done = [a.date for a in past if Signal.PAPER_COMPLETE.value in a.signals]
    said = [a for a in past if a.two_way and _on_paper(a)]
    if not said or (done and max(done) >= said[-1].date):
        return None
    last = said[-1]
    if not text.find(_UNOWNED, last.summary):
        return None
    return f"{PAPER_UNOWNED}{last.date} {last.type}, {text.quote(last.summary)}"


_OPEN = lazy(
    r"\bstill (?:with|open|pending|under review|in review|outstanding|being (?:reviewed|negotiated)|sitting with|"
    r"to (?:agree|clear|close|resolve|review|sign off))\b|\bstill (?:wants?|insists? on|asks? for|pushing (?:for|back on)|holding out (?:for|on)|"
    r"won't accept|will not accept|rejects?|objects? to)\b[^.;]{0,30}?\b(?:uncapped|unlimited liabilit|liabilit|"
    r"indemnit|liability cap|(?:payment|contract) terms|governing law|termination (?:clause|for convenience)|"
    r"data (?:ownership|deletion|residency)|(?:audit|warranty|sla|ip) (?:clause|rights|terms))|\b(?:is|are|remains?) (?:pending|outstanding|open)\b|"
    r"\bopen (?:point|item|clause|question|issue)s?\b|\bbefore (?:she|he|they|legal|procurement|security) can "
    r"(?:clear|approve|sign off|release)\b|\bwaiting (?:on|for) (?:their|the buyer'?s|her|his) (?:legal|counsel|"
    r"procurement|security|dpo|review)\b|\b(?:agreed|settled|closed|signed off|accepted)\b[^.;]{0,12}?"
    r"\b(?:except|apart from|other than|but not)\b(?! that\b| this\b| it\b)",
    re.IGNORECASE,
)
"""The buyer's word that a paper item is not done yet: "DPA still with her", "one clause remains open",
"everything agreed except the liability cap amount", "Round 3: still wants uncapped liability"."""
_CLOSED = lazy(
    r"\b(?:cleared|approved|agreed|signed|closed|resolved|accepted|done|complete|completed|finali[sz]ed|executed)\b",
    re.IGNORECASE,
)


def _paper_open(past: list[ActivityFact]) -> str | None:
    """The latest word on the paper process from the buyer's side names an item still open, and no later word
    on the paper closes it: "Silje returned the MSA agreed. DPA still with her." (the MSA is done, the DPA open)."""
    said = [a for a in past if _on_paper(a)]
    opened = [a for a in said if a.two_way and _paper_item_open(a.summary)]
    if not opened:
        return None
    last = opened[-1]
    later = [a for a in said if a.date > last.date and a.two_way]
    if any(Signal.PAPER_COMPLETE.value in a.signals or text.find(_CLOSED, a.summary) for a in later):
        return None
    return f"{last.date} {last.type}, {text.quote(last.summary)}"


_TEST_ITEM = lazy(
    r"\b(?:pen-?tests?|penetration tests?|tests?|testing|pilot|poc|pov|proof of (?:concept|value)|uat|trial|"
    r"benchmark)\b",
    re.IGNORECASE,
)
"""The buyer's test of the product against their criteria, as a note names it: "the pentest", "the pilot"."""


def _paper_item_open(summary: str | None) -> bool:
    """A sentence of ``summary`` says a paper item is still open; not one whose open item is the buyer's test of
    the product and nothing of the paper ("Serhiy confirms the Board date and that the pentest is the only open
    item": the criteria's test, which ``validation_ahead`` reads, not the paper)."""
    for sentence in text.sentences(summary):
        if text.find(_OPEN, sentence) and not (_TEST_ITEM.search(sentence) and not PAPER_STEP.search(sentence)):
            return True
    return False


def _on_paper(activity: ActivityFact) -> bool:
    """The activity is about the paper process: a legal, security or procurement signal, or its words."""
    return bool(set(activity.signals) & _PAPER_SIGNALS or text.find(_PAPER_WORDS, activity.summary))


_PAPER_SIGNALS = {Signal.LEGAL_SECURITY_REVIEW.value, Signal.PAPER_COMPLETE.value, Signal.PROCUREMENT_TIMELINE.value}
_PAPER_DOCS = r"(?:contract|msa|order form|redlines?|dpa|sow|paperwork|amendment|markup|(?:master )?agreement)"
_PAPER_SENT = lazy(
    rf"\b(?:sent|send|sending|shared|submitted|returned|emailed)\b[^.;]{{0,30}}?\b{_PAPER_DOCS}\b|"
    rf"\bour (?:[\w-]+ )?{_PAPER_DOCS}\b",
    re.IGNORECASE,
)
"""The record says the paper went from us: "Sent our MSA redlines", "our redline position"."""


_NEGATED_SPAN = lazy(r"\b(?:no|not|never|without)\b|n't\b", re.IGNORECASE)


def _close_changes(deal: Deal) -> list[CloseDateChange]:
    return [
        CloseDateChange.of(date=c.date, before=as_date(c.from_), after=as_date(c.to))
        for c in sorted(deal.history, key=lambda c: c.date)
        if c.field == "close_date"
    ]


def as_date(value: object) -> dt.date | None:
    """A history value as a date (history stores whatever the CRM wrote)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------------------------------- blockers

_PRE_DOC = (
    r"(?:(?:mutual |two-way |an? |the |their |our )?(?:nda|cda|non-disclosure(?: agreement)?|confidentiality "
    r"(?:agreement|deed|undertaking|letter)|deed of confidentiality|data[- ](?:sharing|access|transfer) agreement))"
)
_SIGNED_WORD = r"(?:signed|executed|countersigned|in place|returned signed|done)"
_PRECONDITION = lazy(
    # "the confidentiality deed is not signed", "NDA still unsigned", "NDA still with their legal", "no NDA yet"
    rf"\b{_PRE_DOC}\b[^.;!?]{{0,40}}?\b(?:(?:is|are|was|has|have)(?: still)? not (?:yet )?(?:been )?(?:signed|"
    r"executed|countersigned|returned)|(?:isn'?t|hasn'?t been|wasn'?t|not yet|still not|never) (?:signed|executed|"
    r"countersigned|returned)|unsigned|still (?:with|pending|outstanding|in review|under review|being reviewed|"
    r"sitting with|to be signed|awaiting)|(?:is |remains )?(?:pending|outstanding)|awaiting (?:signature|"
    r"countersignature))\b|"
    # "no data until the NDA is signed", "can't start before the confidentiality deed is in place"
    rf"\b(?:until|till|before|pending)\b(?: the| an| a| our| their| we sign the| they sign the)? {_PRE_DOC}\b"
    rf"(?:[^.;!?]{{0,20}}?\b(?:is |has been |gets |are )?{_SIGNED_WORD}\b)?|"
    rf"\bwithout (?:a |an |the )?signed {_PRE_DOC}\b|"
    # "IS only sends the check sheet after an NDA is executed on their template"
    rf"\bonly (?:[\w-]+ ){{0,6}}?(?:after|once) {_PRE_DOC}\b[^.;!?]{{0,20}}?\b(?:is |has been |gets |are )?{_SIGNED_WORD}\b|"
    # "Before I can start I need your certificates and the signed deed of confidentiality"
    rf"\b(?:need|needs|require|requires|waiting (?:on|for)|awaiting)\b[^.;!?]{{0,120}}?\b(?:the |a |an |your |our )?signed "
    rf"{_PRE_DOC}\b|"
    # "Deed of confidentiality is with our legal for signature"
    rf"\b{_PRE_DOC}\b (?:is |are )?(?:still )?with (?:our|their|the|her|his) (?:legal|counsel|lawyers?|solicitors?|"
    r"procurement|contracts)(?: team)?\b|"
    # Chinese: 保密协议还没签 / 保密协议尚未签署 / 签署保密协议之前不能开始
    r"(?:保密协议|保密承诺书|数据(?:共享|传输)协议|NDA)(?:还|尚|仍|都)?(?:没有?|未)(?:签|盖章|回签)|"
    r"(?:签|签署|签订|签好)(?:完)?(?:保密协议|保密承诺书|数据(?:共享|传输)协议|NDA)(?:之前|以前|前)",
    re.IGNORECASE,
)
"""A document the buyer's process needs signed first, said not to be signed: an NDA, a confidentiality deed, a
data-sharing agreement ("the confidentiality deed is not signed", "no data until the NDA is signed",
"保密协议还没签")."""
_BLOCKS = lazy(
    r"\b(?:clock|evaluation|review|assessment|due diligence|data|access|sandbox|pilot|poc|trial|test(?:ing)?|"
    r"onboarding|workshop|scoping|process|security review|questionnaire|they|she|he|we)\b[^.;!?]{0,40}?"
    r"\b(?:(?:has|have|had)(?: not|n'?t) (?:yet )?(?:started|begun|kicked off)|not (?:yet )?(?:started|begun)|"
    r"can'?t (?:start|begin|share|send|proceed|move)|cannot (?:start|begin|share|send|proceed|move)|"
    r"won'?t (?:start|begin|share|send|proceed)|(?:is |are )?(?:on hold|blocked|paused|stalled)|waits? (?:on|for))\b|"
    r"\b(?:until|till|before|pending|without)\b|\bonly (?:[\w-]+ ){0,6}?(?:after|once)\b|"
    r"(?:评估|测试|试用|评审|流程|时钟|计时|尽调|数据)(?:还|尚|都|也)?(?:没有?|未|无法|不能|没法)(?:开始|启动|提供|共享)|"
    r"(?:之前|以前|前)[^。；]{0,20}?(?:不能|无法|不会|没法)",
    re.IGNORECASE,
)
"""The buyer's process waiting on it: "their evaluation clock has not started", "they can't share data",
"评估还没开始"; or an "until"/"before" that makes the document the condition."""
_PRE_SIGNED = lazy(
    rf"\b{_PRE_DOC}\b[^.;!?]{{0,30}}?\b(?:(?:is |was |has been |now |finally |all )?(?:signed|executed|countersigned|"
    r"in place|done|back signed)|came back signed)\b|\b(?:signed|executed|countersigned|returned)\b(?: (?:the|our|"
    rf"their|both))?(?: mutual)? {_PRE_DOC}\b|"
    r"(?:保密协议|保密承诺书|数据(?:共享|传输)协议|NDA)(?:已经?|都已经?|终于)?(?:签|签署|签好|签完|盖章|回签)(?!之前|以前|前)|"
    r"(?<![未没])(?:签|签署|签好|签完|回签)了(?:保密协议|保密承诺书|NDA)",
    re.IGNORECASE,
)
"""The record saying the document was signed after all ("NDA signed 11-20", "countersigned the NDA",
"保密协议已签")."""
_SUPPOSED = lazy(
    r"\b(?:if|whether|in case|may|might|could|would|should they|probably|typically|usually|normally|"
    r"at (?:most|many) (?:customers|accounts))\b[^.;!?]*$|(?:如果|假如|万一|要是|可能|通常)[^。；！？]*$",
    re.IGNORECASE,
)
"""A supposition or the buyer's process as usually run, not this deal's state: "if they need an NDA"."""
_NO_NEED = lazy(
    r"\b(?:no need|(?:do|does|did)(?:n'?t| not) need|not (?:required|needed)|no longer)\b[^.;!?]*$|不需要|无需", re.I
)
_SENTENCE = lazy(r"(?<=[.;!?])\s+|(?<=[。；！？])\s*|\n")


def precondition(deal: Deal, past: list[ActivityFact]) -> str | None:
    """Where the record says the buyer's process cannot start or go on until a document is signed (an NDA, a
    confidentiality deed, a data-sharing agreement), and nothing later says it was signed: the deal waits on it,
    whatever its dates say. A supposition ("if they need an NDA we can send ours") or the document signed since
    ("NDA signed 11-20") is no blocker. Our own note counts: a deed waiting on our legal blocks as surely."""
    said: list[tuple[dt.date | None, str, str]] = [(a.date, f"{a.date} {a.type}", a.summary or "") for a in past]
    said += [(None, "notes", deal.notes or "")]
    found: tuple[dt.date | None, str, str] | None = None
    for day, where, body in said:
        for sentence in _SENTENCE.split(body):
            # not text.find: the "can't" of "can't share the data until the NDA is signed" is the block itself
            hit = _PRECONDITION.search(sentence)
            if hit is None or _SUPPOSED.search(sentence[: hit.start()]) or _NO_NEED.search(sentence[: hit.start()]):
                continue
            if not _BLOCKS.search(sentence):
                continue  # "NDA not signed yet" alone: routine paperwork, unless the sentence says what waits on it
            if _WAS_SIGNED.search(sentence):
                continue  # "they only opened the data room after the NDA was executed": told as done
            after = body[body.index(sentence) + len(sentence) :]
            if _signed_in(after):
                continue
            found = (day, where, sentence.strip())
    if found is None:
        return None
    day, where, sentence = found
    # a blocker in the undated notes is cleared by anything the record says since (the notes are read as of today)
    later = [a.summary for a in past if day is None or a.date > day] + ([deal.notes] if day is not None else [])
    if any(_signed_in(words) for words in later):
        return None
    hit = _PRECONDITION.search(sentence)
    start = hit.start() if hit is not None and hit.end() > 110 else 0  # the quote shows the document it names
    return f"{where}: {text.quote(('…' if start else '') + sentence[max(0, start - 30) if start else 0 :], 160)}"


_OURS = lazy(
    r"\b(?:our|my) (?:legal|counsel|lawyers?|solicitors?|contracts team|legal team|general counsel)\b|"
    r"\b(?:sent|forwarded|passed|escalated)(?: it)? (?:on )?to (?:our|my) (?:legal|counsel|lawyers?)\b|"
    r"我方法务|我们的?法务|我司法务|我们的?律师",
    re.IGNORECASE,
)
"""Our side holding the document: "Forwarded to our legal", "our legal says they'll look again next week"."""
_THEIRS = lazy(
    r"\b(?:their|the buyer'?s|the customer'?s|client'?s) (?:legal|counsel|lawyers?|solicitors?|contracts team|"
    r"legal team|procurement)\b|(?:对方|客户|甲方)的?(?:法务|律师|采购)",
    re.IGNORECASE,
)
"""The buyer's side holding it: "NDA still with their legal", "客户法务在审"."""
_QUOTED_WORDS = lazy(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w)")
_DOC_WORD = lazy(r"\b(?:nda|cda|non-disclosure|confidentiality|data[- ](?:sharing|access|transfer))\b|保密|NDA", re.I)


def precondition_side(deal: Deal, past: list[ActivityFact]) -> str | None:
    """Whose desk the document the buyer's process waits on sits on (see :func:`precondition`): the latest word
    on record on one side's legal, once the document is on the table ("Sent to our legal 11/13", "NDA still with
    their legal"), else the open plan step to sign it, by its owner (``us`` or the rep: ours; ``customer`` or a
    buyer-side person: theirs). Words inside quotes are the buyer's, whose "our" is theirs, and are not read."""
    side, tabled = None, False
    for body in [a.summary or "" for a in past] + [deal.notes or ""]:
        for sentence in _SENTENCE.split(body):
            tabled = tabled or _DOC_WORD.search(sentence) is not None
            if not tabled:
                continue
            plain = _QUOTED_WORDS.sub("", sentence)
            ours, theirs = _OURS.search(plain), _THEIRS.search(plain)
            if bool(ours) != bool(theirs):
                side = "ours" if ours else "theirs"
    if side is not None:
        return side
    buyer = {s.name.lower() for s in deal.stakeholders}
    for step in deal.mutual_action_plan:
        if step.status in (PlanStatus.DONE, PlanStatus.CANCELLED) or not _DOC_WORD.search(step.action):
            continue
        owner = (step.owner or "").strip().lower()
        if our_side(step.owner, deal):
            return "ours"
        if owner in ("customer", "buyer", "client") or owner in buyer:
            return "theirs"
    return None


_WAS_SIGNED = lazy(
    r"\b(?:was|were|had been)\s+(?:signed|executed|countersigned)\b|\b(?:already|now) (?:on file|in place)\b", re.I
)


def _signed_in(words: str | None) -> bool:
    return text.find(_PRE_SIGNED, words) is not None


_BODY = (
    r"(?:(?:full |the |their |its |a )?(?:cabinet|council|board(?: of (?:directors|trustees|governors|management))?|"
    r"governing body|senate|synod|(?:finance|audit|executive|investment|capital|capex|procurement|tender|steering|"
    r"risk|credit|management|resources|policy|scrutiny) (?:committee|sub-?committee|board|panel)|executive committee|"
    r"exco|council meeting|full council))"
)
_BODY_APPROVAL = lazy(
    rf"\b(?:requires?|needs?|must (?:go (?:to|before|through)|be approved by|get|have)|has to (?:go (?:to|before|"
    rf"through)|be approved by|get)|goes (?:to|before|through)|subject to)\b[^.;!?]{{0,40}}?\b{_BODY}"
    r"(?:'s)?(?: (?:approval|sign-?off|resolution|decision|vote))?\b|"
    rf"\b{_BODY} (?:approval|sign-?off|resolution|vote) (?:is |will be )?(?:required|needed|mandatory)\b|"
    r"(?:需要|必须|得|要)(?:经过?|通过|报|提交|上)?(?:常委会|党委会|党组会|董事会|理事会|办公会|市政府常务会|审批委员会|采购委员会)"
    r"(?:审批|批准|审议|决议|上会|通过)?",
    re.IGNORECASE,
)
"""The buyer's rules sending the purchase to a body that decides by sitting: a cabinet, a council, a board, a
committee ("the council's procurement rules require cabinet approval", "需要上常委会审议")."""
_OWN_CALENDAR = lazy(
    r"\b(?:meets?|sits?|convenes?|meetings? (?:are|is)|only meets?)\b[^.;!?]{0,20}?\b(?:on (?:fixed|set|scheduled|"
    r"published) dates|fixed dates|monthly|quarterly|bi-?monthly|once a (?:month|quarter|term)|every (?:\w+ )?"
    r"(?:weeks?|months?|quarter)|(?:two|three|four|five|six|eight|ten) times a year|on a (?:fixed|set) (?:cycle|"
    r"calendar|schedule))\b|\b(?:fixed|set|published) (?:meeting |sitting )?(?:dates|calendar|cycle|schedule)\b|"
    r"\bmeeting cycle\b|\bagenda (?:deadline|cut-?off)\b|\bcut-?off for (?:the |its )?agenda\b|"
    r"(?:每月|每季度|每两个月|固定日期|固定时间)(?:开|召开|举行)?(?:一次)?|(?:会期|议程截止|上会时间)(?:固定|未定|待定)?",
    re.IGNORECASE,
)
"""The body sits on its own calendar ("which meets on fixed dates", "the board meets quarterly", "每月开一次")."""


def approval_undated(deal: Deal, past: list[ActivityFact], as_of: dt.date) -> str | None:
    """Where the record says the purchase must go to a body that sits on its own calendar (a cabinet, a council, a
    board or committee that meets on fixed dates) and no date of its sitting ahead is on record: not in the sentence,
    the mutual action plan or a later word naming the body with a date. The decision is then undated however the
    plan looks: the step that decides the deal waits on a calendar nobody has read yet. A supposition ("if it
    needs board approval") is no such rule."""
    said: list[tuple[dt.date, str, str]] = [(a.date, f"{a.date} {a.type}", a.summary or "") for a in past]
    said += [(as_of, "notes", deal.notes or "")]
    for day, where, body in reversed(said):
        sentences = _SENTENCE.split(body)
        for i, sentence in enumerate(sentences):
            hit = text.first_match(_BODY_APPROVAL, sentence)
            if hit is None or _SUPPOSED.search(sentence[: hit.start()]):
                continue
            # the next sentence only when it goes on about the body ("It meets quarterly"), not any "meet monthly"
            follow = sentences[i + 1 : i + 2]
            on_it = follow and (_BODY_WORD.search(follow[0]) or _GOES_ON.match(follow[0]))
            near = " ".join([sentence, *(follow if on_it else [])])
            if not _OWN_CALENDAR.search(near):
                continue
            if _sitting_dated(deal, past, day, as_of, near):
                return None
            return f"{where}: {text.quote(near.strip(), 160)}"
    return _handed_to_body(deal, past, as_of)


_TO_BODY = lazy(
    r"\b(?:decision|approval|sign-?off) (?:now )?(?:moves?|moved|has moved|goes|went|has gone|passes|passed|sits) "
    r"(?:up )?(?:to|with) (?:the |their |its )?[^.;!?]{0,50}?\b(?:committee|board|council|exco)\b|"
    r"\b(?:needs?|requires?|subject to|waits? (?:for|on))\b[^.;!?]{0,25}?\b(?:consent|approval|sign-?off) of "
    r"[^.;!?]{0,50}?\b(?:committee|board|council|exco|(?:integration|group|parent|head) office|new owners?)\b|"
    r"(?:决策|审批|决定)(?:权)?(?:已经?|现在)?(?:转|移|交|上)(?:到|给|交)[^，。；]{0,20}?(?:委员会|董事会|集团)",
    re.IGNORECASE,
)
"""The purchase handed to a body above the buyer: "The decision moves to the Group Operations Committee", "any new
agreement ... needs the prior written consent of Nordbridge's integration office"."""
_NO_SITTING = lazy(
    r"\bno date\b|\bnot (?:yet )?(?:dated|scheduled|booked)\b|\bno slot\b|\b(?:don'?t|do not|doesn'?t|does not) know "
    r"when\b|\bwhen (?:i|we) know (?:how|when)\b|\bwill (?:tell|let) us know\b|\bwill tell us\b|"
    r"(?:还)?(?:没有|没)(?:日期|时间|排期)|不知道(?:什么时候|何时)",
    re.IGNORECASE,
)
"""The buyer saying the body's decision has no date: "no date yet", "I don't know when they take it", "I will come
back to you when I know how their process works"."""


def _handed_to_body(deal: Deal, past: list[ActivityFact], as_of: dt.date) -> str | None:
    """The buyer's word that the purchase now waits on a body above them (a group committee, a new owner's office),
    in a message that says, or followed by the buyer's word saying, its decision has no date, with no date of it on
    record since: the decision is undated whatever the plan says, as for a body on its own calendar."""
    buyer = [a for a in past if a.two_way]
    for i in range(len(buyer) - 1, -1, -1):
        activity = buyer[i]
        hit = next((s for s in text.sentences(activity.summary) if text.find(_TO_BODY, s)), None)
        if hit is None or _SUPPOSED.search(hit):
            continue
        undated = [a for a in buyer[i:] if text.find(_NO_SITTING, a.summary)]
        if not undated or _sitting_dated(deal, past, activity.date, as_of, hit):
            return None
        said = f"{activity.date} {activity.type}: {text.quote(hit.strip(), 160)}"
        last = undated[-1]
        if last is activity:
            return said
        told = next((s for s in text.sentences(last.summary) if text.find(_NO_SITTING, s)), last.summary or "")
        return f"{said}; {last.date} {last.type}: {text.quote(told.strip(), 160)}"
    return None


_GOES_ON = lazy(r"\s*(?:it|which|they|its|their)\b|\s*(?:它|该)", re.IGNORECASE)
"""A sentence that carries on about the body just named ("It only meets quarterly")."""
_BODY_WORD = lazy(
    r"\b(?:cabinet|council|board|committee|sub-?committee|senate|synod|exco|panel)\b|常委会|党委会|党组会|董事会|理事会|"
    r"办公会|常务会|委员会|上会",
    re.IGNORECASE,
)


def _sitting_dated(deal: Deal, past: list[ActivityFact], day: dt.date, as_of: dt.date, said: str) -> bool:
    """A date ahead for the body's sitting is on record: in the words that name the rule, a plan step naming a body,
    or anything said since that names one with a date."""
    if any(d >= as_of for d in dates_in(said, day)):
        return True
    steps = [p for p in deal.mutual_action_plan if p.date and p.date >= as_of and _BODY_WORD.search(p.action or "")]
    if steps:
        return True
    return any(
        _BODY_WORD.search(a.summary or "") and any(d >= as_of for d in dates_in(a.summary, a.date))
        for a in past
        if a.date >= day
    )


_PAPER_GATE = lazy(
    r"\b(?:without|zonder|ohne|sin)\s+(?:(?:a|an|the|your|our|een|de|het|ein|eine|einen|la|el|un|una)\s+)?"
    r"([\w-]+(?:\s+[\w-]+)?)\s+[^.;]{0,40}?\b(?:cannot|can'?t|can not|won'?t|will not|unable to|not able to|niet|"
    r"nicht|no)\b[^.;]{0,40}?\b(?:contract\w*|agreement|order|po|sign\w*|signature|onderteken\w*|teken\w*|vertrag\w*|"
    r"unterschr\w*|unterzeich\w*|contrato|firma\w*)\b",
    re.IGNORECASE,
)
"""The buyer's word that the paper cannot go to signature without something ("Without the insurance certificate
we cannot release the contract for signing", in Dutch "Zonder scorecard kan ik het contract niet vrijgeven voor
ondertekening"): what it names is a condition of the paper."""
_GATE_WORD_MIN = 5
"""The shortest word of the named condition looked for elsewhere in the record: "certificate", not "kan" or "we"."""


def _paper_gated(deal: Deal, record: list[ActivityFact], as_of: dt.date) -> tuple[str, dt.date | None, bool] | None:
    """The buyer's word that the paper cannot go to signature without something (a certificate, a scorecard, a
    registration), and a word on record, the buyer's or our own note, that it cannot exist before a month after the
    signature date ("the insurer issues the certificate in February at the earliest"): the paper is dated there,
    the month's first day. Nothing done on the paper since the condition was set."""
    signature = _plan_signature(deal, as_of) or deal.close_date
    if signature is None or signature < as_of:
        return None
    done = [a.date for a in record if Signal.PAPER_COMPLETE.value in a.signals]
    for activity in reversed([a for a in record if a.two_way]):
        if done and max(done) >= activity.date:
            return None
        for sentence in text.sentences(" ".join((activity.summary or "").split())):
            gate = text.find(_PAPER_GATE, sentence)
            match = _PAPER_GATE.search(gate) if gate else None
            words = [w for w in match.group(1).split() if len(w) >= _GATE_WORD_MIN] if match else []
            if not words:
                continue
            floor = _condition_floor(deal, record, words, signature, as_of)
            if floor is not None:
                return (
                    f"{PAPER_DATED_AFTER}{activity.date} {activity.type}, {text.quote(sentence.strip(), 160)}; "
                    f"{floor[0]} (from {floor[1]} at the earliest, after {signature})",
                    floor[1],
                    False,
                )
    return None


def _condition_floor(
    deal: Deal, record: list[ActivityFact], words: list[str], signature: dt.date, as_of: dt.date
) -> tuple[str, dt.date] | None:
    """Where the record says the condition ``words`` name cannot exist before a month after ``signature``."""
    named = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    said = [(a.date, f"{a.date} {a.type}", a.summary or "") for a in record if a.two_way or a.type == "note"]
    for day, where, summary in [*said, (as_of, "notes", deal.notes or "")]:
        for sentence in text.sentences(" ".join(summary.split())):
            if not named.search(sentence):
                continue
            for match in _MONTH_FLOOR.finditer(sentence):
                if _NOT_THE_PURCHASE.search(sentence[: match.start()]):
                    continue
                first = _month_floor(match, day)[0]
                if signature < first <= day + _AHEAD:
                    return f"{where}: {text.quote(sentence.strip(), 160)}", first
    return None


def our_side(owner: str | None, deal: Deal) -> bool:
    """A plan step's owner on our side: us, we, the seller, or the deal's own rep."""
    said = (owner or "").strip().lower()
    return said in ("us", "we", "seller") or (bool(said) and said == (deal.owner or "").strip().lower())
