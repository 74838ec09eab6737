"""The buyer's written sequence of steps, added up into a date.

A buyer who writes "after we receive your check sheet, their review takes about 6 weeks; the ringi can only start
after the security check is passed, and takes 2-3 weeks; please note our year-end holidays 12/29-1/5" has dated the
signature, whatever the CRM says: the steps run one after another, in working days, around their holidays. This
module reads such a message (sentences, "then", "after that", "followed by", arrows, numbered lists; 然后, 之后,
再, 先…再…) into its steps and sums them from the day the first can start. The earliest end is a floor: each
step is counted at the low end of what the buyer gave ("2-3 weeks" at two), and the evidence says so. Our own work
the sequence starts from is counted too, at ae-coach defaults the evidence names: a document their process waits on
(an NDA still to sign) at the settings' ``document_sign_days``, and our answers to their questionnaire ("after we
receive your completed security check sheet", ~180 items) at its size (:mod:`._owed`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ae_coach._patterns import lazy
from ae_coach.deal import Deal
from ae_coach.deal.calendar import Calendar
from ae_coach.inspector import text
from ae_coach.inspector.facts._later import CN_NUMBERS, cn_number
from ae_coach.inspector.facts._model import ActivityFact, Questionnaire
from ae_coach.inspector.facts._timing import _DURATION, _plan_signature, _review_started, dates_in
from ae_coach.inspector.facts._timing import _count as _word_count

SEQUENCE_ENDS = "the buyer's own sequence of steps ends at the earliest on "
"""How the evidence of a sequence begins (a ``marker`` of the catalogue: Chinese reviews say it in Chinese)."""
COUNTED_FROM = ", counted from "
TODAY = " (today)"
FIRST_UNSIGNED = "first a document not yet signed on record, "
SIGN_DAYS = " working days to sign it at the ae-coach default → "
ANSWERS = "then our side answers the questionnaire "
ITEMS = " items on record"
NO_SIZE = "its size not on record"
ANSWER_DAYS = " working days at the ae-coach default pace → "
WORKING_DAYS = " working days → "
LOWER_BOUND = " working days, the lower bound → "
REOPENS = " until the first working day after "
SKIPPED = "working days skip weekends and the public holidays of "
CLOSURE = " and the buyer's closure "

_SPLIT = lazy(
    r"(?<!\s\d\.)(?<!^\d\.)(?<=[.;!?])\s+|(?<=[。；！？])\s*|\n|\s*(?:->|→|=>)(?!\s*\d)\s*|\b(?:and )?then\b|\bafter that\b|\bfollowed by\b|"
    r"\bthereafter\b|(?:^|\s)\(?\d\)\s*|然后|之后再|之后|接着|(?<=[，,])\s*再(?!次|见|说)",
    re.IGNORECASE,
)
"""Where one step of a written sequence ends and the next begins."""
_SEQUENCE = lazy(
    r"\b(?:then|after that|followed by|thereafter|only (?:[\w-]+ ){0,4}?(?:after|once)|(?:starts?|begins?) (?:after|"
    r"once)|after (?:we|you|they|the|our|your|their|it|that)|once (?:we|you|they|the|our|your|their|it|that))\b|"
    # an arrow between numbers is a measurement ("handling time 11.2 -> 7.9 days"), not one step after another
    r"(?:->|→|=>)(?!\s*\d)|\(\d\)|(?:^|\s)\d\)|^\s*(?:\d[.)]|[-*•])\s|然后|之后|接着|先[^。；]{1,30}?再",
    re.IGNORECASE | re.MULTILINE,
)
"""The words that make a message a sequence rather than a list of facts."""
_FOLLOWS = lazy(
    r"\b(?:after|once|following|only (?:[\w-]+ ){0,4}?(?:after|once)|(?:starts?|begins?) (?:after|once))\b|之后|以后|再|然后",
    re.IGNORECASE,
)
"""A step that says it follows another ("the ringi can only start after the security check is passed")."""
_MODAL_TAIL = lazy(r"(?:\s+(?:can|could|will|would|may|must|should|is|are|only))+\s*$", re.IGNORECASE)
"""The verb's helpers left at the end of a step's subject ("The ringi can" before "only start after")."""
_LISTED = lazy(r"(?:\d[.)]|[-*•])\s")
"""A line of a numbered or bulleted list: one step of it."""
_METRIC = lazy(
    r"\d[^,;。；]{0,25}?(?:->|→|=>|\bto\b)\s*(?:\d|same|under|target|less)|\b(?:from|reduced|cut|down|up)\b[^,;]{0,20}"
    r"\d[^,;]{0,20}\bto \d|\b(?:in|over|within|during|for) (?:the )?(?:last|past|first)\b|\b(?:payback|roi|saves?|"
    r"saving|per (?:week|month|day)|/(?:week|wk|month|day))|\b(?:came back|got back|replied|responded|answered|took|"
    r"spent|lasted|turned (?:it )?around)\b|\d[^,;]{0,15}\ba (?:week|month|day)\b",
    re.IGNORECASE,
)
"""A measurement, not a step: "turnaround 5.2 -> 1.8 days", "audit prep 6 wks -> 1", "payback inside 18 months"."""
_CN_DURATION = lazy(
    r"([一两二三四五六七八九十\d]{1,3})\s*(?:[-~到至]\s*([一两二三四五六七八九十\d]{1,3})\s*)?"
    r"(?:个\s*(工作日|星期|礼拜|月)|(工作日|周|星期|礼拜|天))(?!前|以前|之前)"
)
"""A Chinese duration: 两周, 六周, 一个月, 2-3周, 10个工作日 (not 两周前: that is a date gone by)."""
_A_UNIT = lazy(
    r"(?<!\bonce )(?<!\bper )(?<!\bevery )(?<!\beach )(?<!\btwice )\b(?:a|one) (week|month|fortnight)\b"
    r"(?!['’]s|\s+(?:ago|of fees|of revenue|worth))",
    re.IGNORECASE,
)
"""A single unit without a number: "about a month", "a fortnight" (not "once a month", "a month ago")."""
_HOLIDAY_WAIT = lazy(
    r"\b(?:until|till|not before|after|once) (?:after )?(?:the |their |our )?(?:year-?end |christmas |new year |"
    r"winter |summer )?(?:holidays?|break|shut-?down|new year|christmas)\b|(?:春节|过年|年后|节后|国庆)(?:以?后|之后|过后)?",
    re.IGNORECASE,
)
"""A step that waits out the buyer's holidays: "until after the holidays", "春节后"."""
_CLOSURE = lazy(r"\b(?:holidays?|shut-?down|closure|closed|break|vacation)\b|假期|放假|停工|休假", re.IGNORECASE)
_RANGE = lazy(r"(?<=\d)\s*[-–~]\s*(?=\d{1,2}/\d)")
"""The dash of a range of day-months ("12/29-1/5"), which a date reader would take for one date."""
_DONE = lazy(
    r"\b(?:already|was|were|has been|have been|is now)\b[^,;]{0,30}?\b(?:done|completed?|passed|signed|approved|"
    r"cleared|executed|finished|returned)\b|\b(?:done|completed|finished|complete)\b(?!\s+(?:by|before|in|within|after|once|when)\b)|已(?:经)?(?:完成|通过|签|批)",
    re.IGNORECASE,
)
"""A step told as done: it takes no more time."""
_AFTER_SIGNING = lazy(
    r"\b(?:go-?live|kick-?off|roll-?out|onboarding|implementation|configuration|training|hypercare|after (?:signing|"
    r"signature|the contract is signed)|once (?:signed|we sign|the contract is signed))\b|上线|启动会|实施|培训|签约后|签完之后",
    re.IGNORECASE,
)
"""Steps after the signature (a rollout plan, "6 weeks to go-live after signing"): no steps before it."""
_NOT_NEEDED = lazy(
    r"\b(?:won'?t|will not|doesn'?t|does not|don'?t|do not|no) (?:need|take|require)|\bif\b[^,;]{0,30}\btakes?\b|"
    r"\b(?:ran|took|was|were) "
    r"(?:for )?(?:about |around )?\d|如果|不需要|用不了",
    re.IGNORECASE,
)
"""A length the buyer rules out, supposes or reports as gone by ("won't need 4 weeks", "if legal takes 3 weeks",
"the pilot ran for 6 weeks")."""
_PENDING = lazy(
    r"\b(?:after|once|until|when|if|before|only|be|must|will|needs? to|should|to get)\b|之后|以后|前|要|需要",
    re.IGNORECASE,
)
_FROM_ANSWERS = lazy(
    r"\b(?:after|once|when|as soon as|from (?:the )?receipt of)\b[^.;]{0,60}?\b(?:your|the|our|completed|answered)\b"
    r"[^.;]{0,30}?\b(?:questionnaire|check ?sheet|self[- ]assessment|answers|responses)\b|收到[^。；]{0,20}(?:问卷|检查表|答复)",
    re.IGNORECASE,
)
"""A step that starts from our answers to their questionnaire ("After we receive your completed security check
sheet, their review usually takes about 6 weeks", "once your answers are complete")."""


@dataclass(frozen=True)
class Step:
    """One step of the buyer's sequence as counted: its words, the working days it adds, its end."""

    said: str
    days: int
    ends: dt.date
    lower_bound: bool = False
    holiday: dt.date | None = None
    """For a step that waits out the holidays: their last day."""
    ours: str | None = None
    """Our own step the buyer's steps start from: ``"document"`` (to sign) or ``"answers"`` (to their
    questionnaire, ``said`` its words); None for the buyer's steps."""
    items: int | None = None


@dataclass(frozen=True)
class Sequence:
    """A sequence of the buyer's steps summed from ``start``: the earliest date the last one can end."""

    start: dt.date
    steps: tuple[Step, ...]
    closures: tuple[tuple[dt.date, dt.date], ...]

    @property
    def ends(self) -> dt.date:
        return self.steps[-1].ends

    @property
    def theirs(self) -> list[Step]:
        return [s for s in self.steps if s.ours is None]

    def ours(self, kind: str) -> dt.date | None:
        """The day our own step of ``kind`` (``"document"``, ``"answers"``) ends, when the sequence counts one."""
        return next((s.ends for s in self.steps if s.ours == kind), None)

    def waits(self) -> list[tuple[dt.date, str]]:
        """Each step that says it follows another ("The ringi (approval circulation) can only start after…"): the
        earliest day it can start (the step before it ends) and its subject, the words before "after"."""
        out = []
        for before, step in zip(self.steps, self.steps[1:], strict=False):
            if step.ours is not None:
                continue
            follows = _FOLLOWS.search(step.said)
            if follows is not None and follows.start() > 0:
                subject = _MODAL_TAIL.sub("", step.said[: follows.start()]).strip(" ,，")
                out.append((before.ends, subject))
        return out

    def brief(self) -> str:
        """Each step in the buyer's words, cut to what it takes ("…their review usually takes about 6 weeks")."""
        return "; ".join(text.quote(_told(step.said), 64) for step in self.theirs)

    def evidence(self, where: str, country: str, today: bool) -> str:
        """The arithmetic, step by step, as the review shows it (``where``: the message, "2026-11-20 email")."""
        parts = []
        for step in self.steps:
            if step.ours == "document":
                parts.append(f"{FIRST_UNSIGNED}{step.days}{SIGN_DAYS}{step.ends}")
            elif step.ours == "answers":
                size = f"{step.items}{ITEMS}" if step.items else NO_SIZE
                parts.append(f"{ANSWERS}{text.quote(step.said)} ({size}): {step.days}{ANSWER_DAYS}{step.ends}")
            elif step.holiday is not None:
                parts.append(f"{text.quote(step.said, 70)}{REOPENS}{step.holiday} → {step.ends}")
            else:
                unit = LOWER_BOUND if step.lower_bound else WORKING_DAYS
                parts.append(f"{text.quote(step.said, 70)} {step.days}{unit}{step.ends}")
        closed = "".join(f"{CLOSURE}{a}..{b}" for a, b in self.closures)
        start = f"{self.start}{TODAY if today else ''}"
        return (
            f"{SEQUENCE_ENDS}{self.ends}: {where}{COUNTED_FROM}{start}: {'; '.join(parts)} ({SKIPPED}{country}{closed})"
        )


def working_days(number: int, unit: str) -> int:
    """A duration in working days: a week is five, a month twenty-one, a working or business day one, a plain
    day five in seven ("procurement needs 30 days" is about six weeks, 22 working days)."""
    unit = unit.lower()
    if unit.startswith(("day", "天")) or unit == "d":
        return -(-number * 5 // 7)
    if unit.startswith(("month", "mo", "mth", "月")):
        return 21 * number
    if unit.startswith(("fortnight",)):
        return 10
    if unit.startswith(("week", "wk", "周", "星期", "礼拜")):
        return 5 * number
    return number


def _count(number: str) -> int:
    found = cn_number(number)
    if found is not None:
        return found
    if re.search(r"[\u4e00-\u9fff]", number):
        return sum(CN_NUMBERS.get(ch, 0) for ch in number) or 1
    return _word_count(number)


def _lengths(segment: str) -> tuple[int, bool] | None:
    """The working days a step takes, at the low end of what it gives, and whether it gave a range."""
    found = _DURATION.search(segment)
    if found:
        return working_days(_count(found.group(1)), found.group(3)), found.group(2) is not None
    found = _CN_DURATION.search(segment)
    if found:
        return working_days(_count(found.group(1)), found.group(3) or found.group(4)), found.group(2) is not None
    found = _A_UNIT.search(segment)
    if found:
        return working_days(1, found.group(1)), False
    return None


def _told(segment: str) -> str:
    """The words of a step up to the length it gives, from the word boundary about 40 characters before it."""
    found = _DURATION.search(segment) or _CN_DURATION.search(segment) or _A_UNIT.search(segment)
    if found is None:
        return segment
    start = max(0, found.start() - 40)
    if start:
        space = segment.find(" ", start)
        start = space + 1 if 0 <= space < found.start() else start
    return ("…" if start else "") + segment[start : found.end()]


def _done(segment: str) -> bool:
    hit = _DONE.search(segment)
    return hit is not None and not _PENDING.search(segment[: hit.start()])


def closures(summary: str, said: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The buyer's own closures a message dates ("our year-end holidays 12/29-1/5"): first and last day."""
    out = []
    for segment in re.split(r"(?<=[.;!?。；])\s*|\n", summary):
        if not _CLOSURE.search(segment):
            continue
        named = dates_in(_RANGE.sub(" to ", segment), said)
        if len(named) >= 2 and named[0] <= named[1] <= named[0] + dt.timedelta(days=31):
            out.append((named[0], named[1]))
    return out


def read(
    summary: str | None,
    said: dt.date,
    start: dt.date,
    calendar: Calendar,
    document: int = 0,
    answers: Questionnaire | None = None,
) -> Sequence | None:
    """The sequence of steps ``summary`` writes, summed in working days from ``start`` on ``calendar`` plus the
    closures it names; None unless it reads as a sequence of at least two steps with a length (or one and a wait
    for the holidays). A step opens at a sequence word, a list's number or a sentence saying it follows ("can
    only start after"), and its length is the first one told in it or the sentence after ("1) Legal reviews the
    contract. She needs about three weeks"). Steps told as done and measurements ("5.2 -> 1.8 days") take no time.
    Our own steps come first where the sequence starts from them: ``document`` working days to sign the document
    their process waits on, and ``answers`` (their questionnaire) before the step that starts from our answers."""
    if not summary or not _SEQUENCE.search(summary):
        return None
    shut = closures(summary, said)
    closed = {a + dt.timedelta(days=i) for a, b in shut for i in range((b - a).days + 1)}

    def working(day: dt.date) -> bool:
        return calendar.working(day) and day not in closed

    def add(day: dt.date, days: int) -> dt.date:
        for _ in range(days):
            day += dt.timedelta(days=1)
            while not working(day):
                day += dt.timedelta(days=1)
        return day

    clock, steps = start, list[Step]()
    if document:
        clock = add(clock, document)
        steps.append(Step("", document, clock, ours="document"))
    opened, timed = 0, False  # the piece that opened the current step, and whether a length was read for it
    for i, (segment, chained) in enumerate(_segments(summary)):
        if chained or _FOLLOWS.search(segment) or _LISTED.match(segment):
            opened, timed = i, False
        if not segment or _METRIC.search(segment) or _done(segment) or _AFTER_SIGNING.search(segment):
            continue
        if _NOT_NEEDED.search(segment):
            continue
        length = _lengths(segment)
        if length is not None and any(s.ours is None for s in steps) and (timed or i - opened > 1):
            continue  # a length told beside the steps ("pay two vendors for four months"), not one of them
        if length is not None and answers is not None and _FROM_ANSWERS.search(segment):
            clock = add(clock, answers.days)
            steps.append(Step(answers.words, answers.days, clock, ours="answers", items=answers.items))
            answers = None  # answered once
        if length is not None:
            timed = True
            clock = add(clock, length[0])
            steps.append(Step(segment, length[0], clock, lower_bound=length[1]))
        elif _HOLIDAY_WAIT.search(segment):
            last = _holiday_after(clock, calendar, closed)
            if last is not None:
                clock = add(last, 1)
                steps.append(Step(segment, 0, clock, holiday=last))
    theirs = [s for s in steps if s.ours is None]
    if all(s.holiday is not None for s in theirs) or len(theirs) < 2:
        return None
    return Sequence(start=start, steps=tuple(steps), closures=tuple(shut))


def _segments(summary: str) -> list[tuple[str, bool]]:
    """The pieces of ``summary`` between separators, each with whether a sequence word ("then", an arrow, a
    number of a list) rather than a sentence's end opens it."""
    out, at, chained = [], 0, False
    for cut in _SPLIT.finditer(summary):
        out.append((summary[at : cut.start()].strip(" ,，、:"), chained))
        at, chained = cut.end(), bool(cut.group(0).strip(" \n.;!?。；！？"))
    out.append((summary[at:].strip(" ,，、:"), chained))
    return out


def _holiday_after(day: dt.date, calendar: Calendar, closed: set[dt.date]) -> dt.date | None:
    """The last day of the first run of holidays (public holidays, days off, the buyer's closure: at least two
    days off in a row on weekdays) after ``day`` within four months."""
    for offset in range(1, 122):
        first = day + dt.timedelta(days=offset)
        if first.weekday() >= 5 or (calendar.working(first) and first not in closed):
            continue
        last = first
        while not calendar.working(last + dt.timedelta(days=1)) or last + dt.timedelta(days=1) in closed:
            last += dt.timedelta(days=1)
        if sum(1 for i in range((last - first).days + 1) if (first + dt.timedelta(days=i)).weekday() < 5) >= 2:
            return last
    return None


@dataclass(frozen=True)
class Summed:
    """The buyer's written sequence as the facts carry it."""

    evidence: str
    """The arithmetic, step by step (:meth:`Sequence.evidence`)."""
    ends: dt.date
    where: str
    """The message it reads ("2026-11-20 email")."""
    brief: str
    """Each step in the buyer's words, cut to what it takes (:meth:`Sequence.brief`)."""
    waits: list[tuple[dt.date, str]]
    """The steps that wait on the one before them, with the day they can start (:meth:`Sequence.waits`)."""
    steps: list[tuple[dt.date, str]]
    """Each of the buyer's steps: its earliest end and its words."""
    document_due: dt.date | None = None
    """The day our document to sign ends, when the sequence counts it."""
    answers_due: dt.date | None = None
    """The day our answers to their questionnaire end, when the sequence counts them."""


def buyer_sequence(
    deal: Deal,
    past: list[ActivityFact],
    as_of: dt.date,
    calendar: Calendar,
    sign_days: int | None = None,
    asked: Questionnaire | None = None,
) -> Summed | None:
    """The buyer's latest written sequence of steps (``read``), summed from today, or from the day the record
    shows its first step under way, when it ends after the date the deal signs (the plan's signature step, else
    the close date). Counted from today, our own steps come first: ``sign_days`` to sign the document the process
    waits on (None: nothing to sign) and our answers to ``asked``, their questionnaire, where a step starts from
    them (ae-coach defaults, so the end is still a floor)."""
    signs = _plan_signature(deal, as_of) or deal.close_date
    if signs is None or deal.close_date is None or deal.close_date < as_of:
        return None
    for activity in reversed([a for a in past if a.two_way and a.date <= as_of]):
        started = _review_started(past, activity.date)
        start = started if started is not None and started <= as_of else as_of
        today = start == as_of
        document = sign_days if today and sign_days else 0
        found = read(activity.summary, activity.date, start, calendar, document, asked if today else None)
        if found is None:
            continue
        if found.ends <= signs:
            return None
        where = f"{activity.date} {activity.type}"
        evidence = found.evidence(where, calendar.country, today)
        steps = [(s.ends, s.said) for s in found.theirs]
        due = found.ours("document"), found.ours("answers")
        return Summed(evidence, found.ends, where, found.brief(), found.waits(), steps, *due)
    return None
