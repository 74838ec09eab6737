"""Reading the record once: people, activities, competitors, the calendar, roles from the record; :func:`derive`."""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import (
    Activity,
    Competitor,
    CompetitorStatus,
    Deal,
    Direction,
    PlanStatus,
    Role,
    Signal,
    Stakeholder,
)
from ae_coach.deal.calendar import Calendar, calendar_for
from ae_coach.i18n import t
from ae_coach.inspector import text
from ae_coach.inspector.facts._away import away
from ae_coach.inspector.facts._contact import direction_of
from ae_coach.inspector.facts._events import company_events
from ae_coach.inspector.facts._grades import _ELEMENTS, _champion_acted, grade_elements
from ae_coach.inspector.facts._later import MONTH as _MONTH
from ae_coach.inspector.facts._later import MONTHS as _MONTHS
from ae_coach.inspector.facts._model import (
    ActivityFact,
    CompetitorFact,
    Coverage,
    DatedItem,
    DealFacts,
    PersonFact,
    TimingFact,
    _key,
    _Names,
    office_names,
)
from ae_coach.inspector.facts._owed import questionnaire
from ae_coach.inspector.facts._rival import rival_in_play
from ae_coach.inspector.facts._sequence import SEQUENCE_ENDS, buyer_sequence
from ae_coach.inspector.facts._timing import (
    _NEGATED_SPAN,
    PAPER_TOO_SLOW,
    _close_changes,
    _timing,
    floor_word,
)

# ------------------------------------------------------------------------------------------- derivation

_UNNAMED_COMPETITOR = lazy(
    r"\b(?<!at )(?<!than )(?<!like )(?:second|another|other|alternative|competing|competitive) (?:vendors?|suppliers?|quotes?|bids?|proposals?|"
    r"options?|providers?)\b|\blooking at (?:other )?(?:alternatives|other (?:tools|vendors|solutions|options))\b|\b(?:quotes?|bids?|proposals?) from (?:other|another|two|three|several) (?:vendors?|"
    r"suppliers?|providers?)\b|\b(?:competitive|second) (?:quote|bid|tender)\b|\brfp\b.{0,30}?\b(?:vendors?|issued|sent)\b",
    re.IGNORECASE,
)
"""A competitor the record mentions without naming it ("procurement wants a second vendor's quote"); not a
comparison with experience elsewhere ("translations at other vendors took months", "faster than other vendors")."""

UNNAMED = "an unnamed alternative vendor"
"""The English name of a competitor the record mentions without naming ("asked for a second vendor's quote")."""


def unnamed_name() -> str:
    """That name in the review's language (a Chinese review says it in Chinese)."""
    return t("facts.unnamed_competitor", default=UNNAMED)


def is_unnamed(name: str) -> bool:
    """``name`` is the unnamed competitor's, in any language."""
    return name == UNNAMED or name == unnamed_name()


_AGAIN = lazy(r"\b(?:again|back in|is back|came back|coming back|returned|re-?engaged)\b", re.IGNORECASE)

_VENDOR = r"([A-Z][\w&.+-]*[\w+](?: [A-Z][\w&.+-]*[\w+])?)"
_NAMED_RIVAL = (
    lazy(rf"\b(?i:incumbent)(?: vendor| provider| system| tool)?(?: is|:|,| -|—)? {_VENDOR}"),
    lazy(rf"\b{_VENDOR},? (?:is |as )?(?:the |their )?(?i:incumbent)\b"),
    lazy(rf"\b(?i:benchmark(?:ing|ed|s)?)\b[^.;]{{0,40}}?\b(?i:against|with|vs\.?|versus|to) {_VENDOR}"),
    lazy(rf"\b{_VENDOR}'s? (?:renewal (?:offer|quote|price|pricing|discount)|counter-?offer|quote|bid|number)\b"),
    lazy(rf"\b(?i:a|an|free|their|own) {_VENDOR} (?i:proof of concept|poc|proof of value|pov|pilot|trial)\b"),
    # a rival's price asked for by the buyer: "asked for a Veritrack quote 'for comparison'", "wants an Acme bid"
    lazy(
        rf"\b(?i:asked for|asking for|asks for|wants|want|requested|requesting|get|getting|got) (?i:a|an) {_VENDOR} "
        r"(?i:quote|bid|counter-?offer|price|proposal)\b"
    ),
    lazy(
        rf"\b(?i:asked|invited|requested|asking|inviting) {_VENDOR} (?i:for|to) (?i:an? |their |a new )?"
        r"(?i:indicative |competitive |comparison |rival |formal |second )?(?i:price|prices|quote|bid|proposal|pricing|"
        r"number|offer|tender)\b"
    ),
    lazy(rf"\b(?i:quote|price|pricing|bid|proposal|offer) (?i:from) {_VENDOR}"),
    # the rival's own event in the buyer's process: "sit in on the Pronto Field demo", "the Pronto quote"
    lazy(rf"\b(?i:the) {_VENDOR} (?i:demo|quote|bid|pitch|proposal|presentation|pricing)\b"),
    # the buyer talking to another vendor about the same spend: "Ana is talking to Datadog about bundling on-call"
    lazy(
        rf"\b(?i:talking|speaking|talks|talked|spoke|in talks) (?i:to|with) {_VENDOR} (?i:about|on|re:?) "
        r"(?i:bundl\w*|replac\w*|switch\w*|consolidat\w*|pric\w*|a quote|an? offer|their|moving|adding|using)\b"
    ),
    # a comparison the buyer runs with the vendor named on one side: "a comparison, Datadog On-Call vs what we have"
    lazy(rf"\b(?i:comparison|compar(?:e|es|ed|ing)|bake-?off|shoot-?out)\b[^.;]{{0,15}}?{_VENDOR} (?i:vs\.?|versus)\s"),
    lazy(
        rf"\b(?i:looked at|glanced at|considered|evaluated|tried|trialled|trialed|demoed|saw) {_VENDOR}\b"
        r"(?=[^.;]*\b(?i:never shortlisted|not shortlisted|too (?:heavy|expensive|pricey|complex|costly|big|slow)|"
        r"off the table|passed on|rejected|ruled (?:it |them )?out|dropped (?:it|them)))"
    ),
)
"""A vendor the record names as the incumbent, the benchmark the buyer prices us against ("benchmark our
quote against Coupa", "Kofax's renewal offer"), the maker of a trial the buyer runs ("started a Snowflake Cortex
proof of concept") or one the buyer looked at and dropped ("glanced at Testo in the spring and never shortlisted
it", the last pattern: eliminated): a competitor whether or not the rep listed it."""

_DROPPED_HERE = lazy(
    r"\b(?:is |was |are |were )?(?:off the table|ruled out|rejected|dropped (?:it|them|out)|not an option|no longer (?:in|considered|"
    r"an option)|out of the (?:running|picture)|(?:(?:telling|told|tell|informing|informed) (?:them|him|her) )?(?:they|that "
    r"they|we) (?:won'?t|will not|are not going to) (?:proceed|go ahead|continue|move forward))\b|"
    r"^\W{0,3}(?:is |are |was |were |now )*(?:out|eliminated|withdrawn)\b(?![- ]\w|\s+(?:of|for|until|ahead|in front|"
    r"front|with|to|on|there)\b)",
    re.IGNORECASE,
)
"""The rest of the sentence that names a rival drops it: "the Geotab quote they got last yr is off the table", "their
note to Vibrant Analytics telling them they won't proceed", right after the name "LabWare out (too expensive)"."""

_NOT_A_VENDOR = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "its",
        "this",
        "that",
        "we",
        "they",
        "i",
        "cfo",
        "ceo",
        "coo",
        "cio",
        "cto",
        "cro",
        "vp",
        "rfp",
        "po",
        "msa",
        "sow",
        "q1",
        "q2",
        "q3",
        "q4",
        "procurement",
        "purchasing",
        "legal",
        "finance",
        "sourcing",
        "it",
        "security",
        # an edition, a format or a kind of quote, not a vendor ("an Enterprise quote", "a PDF quote")
        "enterprise",
        "premium",
        "professional",
        "standard",
        "basic",
        "starter",
        "revised",
        "updated",
        "final",
        "formal",
        "firm",
        "written",
        "pdf",
        "docusign",
        "budgetary",
        "indicative",
        "ballpark",
        "competitive",
        "comparison",
        "rough",
    ]
)


def _with_owed(
    timing: TimingFact, activities: list[ActivityFact], as_of: dt.date, calendar: Calendar, sign_days: int, per_day: int
) -> TimingFact:
    """``timing`` with what our side owes the buyer's process before it runs: the questionnaire to answer and the
    day the document it waits on can be signed at the earliest (ae-coach defaults from the settings)."""
    asked = questionnaire([a for a in activities if a.date <= as_of], as_of, per_day)
    due = calendar.add(calendar.on_or_after(as_of), sign_days) if timing.precondition else None
    return timing.model_copy(update={"questionnaire": asked, "document_due": due})


def _with_sequence(
    timing: TimingFact, deal: Deal, activities: list[ActivityFact], as_of: dt.date, calendar: Calendar, sign_days: int
) -> TimingFact:
    """``timing`` with the buyer's written sequence of steps when it ends after the signature date, our own steps
    before it counted in (the document it waits on, our answers to their questionnaire). A paper timeline read from
    the same message is that sequence's first step only: it runs to the sequence's end."""
    past = [a for a in activities if a.date <= as_of and a.summary]
    signing = sign_days if timing.precondition is not None else None
    found = buyer_sequence(deal, past, as_of, calendar, signing, timing.questionnaire)
    if found is None:
        return timing
    ends = found.ends
    update: dict[str, object] = {
        "sequence": found.evidence,
        "sequence_ends": ends,
        "sequence_waits": found.waits,
        "sequence_steps": found.steps,
        "answers_due": found.answers_due,
        "document_due": found.document_due or timing.document_due,
    }
    stuck = timing.paper_stuck or ""
    if stuck.startswith(PAPER_TOO_SLOW) and f": {found.where}, " in stuck and (timing.paper_ends or dt.date.min) < ends:
        # the headline says where the steps end and whose message says so; the arithmetic stays in ``sequence``
        told = f"{SEQUENCE_ENDS}{ends}: {found.where} ({found.brief})"
        update |= {"paper_stuck": f"{stuck.split(': ', 1)[0]}: {told}", "paper_ends": ends, "paper_is_sequence": True}
    return timing.model_copy(update=update)


def _with_slack(timing: TimingFact, deal: Deal, calendar: Calendar, slack: int) -> TimingFact:
    """``timing`` with the close date to recommend when the buyer's own lead time ends after the deal's close
    date: the earliest day it ends is a floor, so ``slack`` working days go after it."""
    floor = max((d for d in (timing.paper_ends, timing.sequence_ends) if d is not None), default=None)
    if floor is None or deal.close_date is None or floor <= deal.close_date:
        return timing
    return timing.model_copy(update={"close_with_slack": calendar.add(floor, slack), "close_slack_days": slack})


def derive(
    deal: Deal,
    as_of: dt.date,
    *,
    paper_wait_days: int | None = None,
    event_recent_days: int = 120,
    calendar: Calendar | None = None,
    close_slack_days: int = 10,
    document_sign_days: int = 5,
    questionnaire_items_per_day: int = 40,
) -> DealFacts:
    """Read the deal's record once and return its facts as of ``as_of``.

    ``paper_wait_days``: how long our paper (a contract, redlines) may wait for the buyer's answer before the
    paper process counts as stuck (the inspector passes the stage's ``stale_days``; None: never).
    ``calendar``: the working days the buyer's written sequence of steps is summed in (the settings' holidays
    country and days off; default: where the buyer is).
    ``close_slack_days``: working days added after the earliest day the buyer's own lead time ends for the close
    date the review recommends (``TimingFact.close_with_slack``, before the review caps it at a call's period).
    ``document_sign_days``, ``questionnaire_items_per_day``: how long our side takes to sign a document the buyer's
    process waits on and to answer their questionnaire (``TimingFact.document_due``, ``TimingFact.questionnaire``)."""
    names = _Names([s.name for s in deal.stakeholders])
    activities = [_activity(a, deal, names) for a in sorted(deal.activities, key=lambda a: a.date)]
    gone = departed(deal, as_of)
    absent = away(activities, names, as_of)
    people = [
        _person(s, activities, names, as_of).model_copy(
            update=(
                {
                    "left": gone[s.name][0],
                    "succeeded_by": gone[s.name][1],
                    "moved_within": _moved_within(gone[s.name][0]),
                }
                if s.name in gone
                else {}
            )
            | ({"away_until": absent[s.name][0], "away_said": absent[s.name][1]} if s.name in absent else {})
        )
        for s in deal.stakeholders
    ]
    held = [a for a in activities if a.date <= as_of and a.direction is not None]
    last_two_way = max((a.date for a in held if a.two_way), default=None)
    claimed = [p.last_two_way for p in people if p.last_two_way]
    if claimed:
        last_two_way = max([*claimed, *([last_two_way] if last_two_way else [])])
    touches = [(a.date, _handover(a)) for a in held if a.direction == Direction.OUTBOUND]
    outbound = [day for day, given in touches if not given]  # a chase waits for an answer; a hand-over does not
    handed = [day for day, given in touches if given]
    facts = DealFacts.of(
        as_of=as_of,
        activities=activities,
        people=people,
        competitors=_competitors(deal, activities),
        upcoming=_upcoming(deal, activities, as_of),
        close_date_changes=_close_changes(deal),
        last_two_way=last_two_way,
        last_outbound=max(outbound, default=None),
        unanswered=sum(1 for d in outbound if last_two_way is None or d > last_two_way),
        handed_over=max(handed, default=None),
        coverage=Coverage.of(source=deal.source.system, missing=list(deal.source.missing))
        if deal.source
        else Coverage.of(),
        alternatives=known_alternatives(deal),
    )
    named = [c.name for c in facts.competitors if not c.listed and not is_unnamed(c.name)]
    if named:
        facts = facts.model_copy(update={"alternatives": [*facts.alternatives, *named]})
    calendar = calendar or calendar_for(None, deal)
    timing = _timing(deal, activities, as_of, paper_wait_days)
    timing = _with_owed(timing, activities, as_of, calendar, document_sign_days, questionnaire_items_per_day)
    timing = _with_sequence(timing, deal, activities, as_of, calendar, document_sign_days)
    timing = _with_slack(timing, deal, calendar, close_slack_days)
    events = company_events(deal, activities, as_of, [*facts.alternatives, *(c.name for c in facts.competitors)])
    # a freeze reported longer ago than ``event_recent_days`` (Settings) is no hold the review can explain
    recent = [e for e in events if e.date is None or (as_of - e.date).days <= event_recent_days]
    # the purchase called off is its own fact (``DealFacts.cancelled``), not a hold
    stopped = next((e for e in reversed(recent) if e.blocks and e.kind != "cancelled"), None)
    if stopped is not None and not timing.on_hold and not timing.doubt:
        # a freeze on new money puts the project on hold, unless the buyer's own word already places the purchase
        # in a later budget (then the date, not a hold, is what moved: "froze new Q4 opex … into the 2027 budget")
        timing = timing.model_copy(update={"on_hold": stopped.source})
    if not timing.on_hold and not timing.doubt:
        timing = timing.model_copy(update={"doubt": floor_word(deal, activities, as_of, timing.lifted)})
    facts = facts.model_copy(update={"timing": timing})
    return facts.model_copy(
        update={
            "elements": grade_elements(deal, facts, facts.alternatives),
            "budget": _budget(deal, activities, as_of),
            "unfit": _unfit(deal, activities, as_of),
            "rival_chosen": _rival_chosen(activities, as_of),
            "rival_in_play": rival_in_play(activities, [deal.account, *(p.name for p in deal.stakeholders)], as_of),
            "case": named_case(deal, as_of),
            "events": events,
        }
    )


_CASE = lazy(r"\b(?:deck|roi (?:model|draft|case)|business case|value case|one-pager|executive summary)\b", re.I)


def named_case(deal: Deal, as_of: dt.date) -> str | None:
    """The business case, ROI model or deck the record shows the buyer side already has ("Reviewed the draft ROI
    model", "Jordan to share the deck with his boss"): past activities, the next step, the buyer's plan and the
    champion's evidence, its name as the record writes it."""
    texts = [a.summary or "" for a in deal.activities if a.date <= as_of]
    texts += [deal.next_step.action] if deal.next_step else []
    texts += [*(p.action for p in deal.mutual_action_plan), deal.meddpicc.champion.evidence or ""]
    return next((m.group(0) for text in texts if (m := _CASE.search(text))), None)


_SIGNER_VERB = (
    r"(?:(?:will |'ll |to |can |would )?(?:sign|signs|countersigns?)\b|has (?:it |the \w+ )?in (?:his|her|their) signing "
    r"queue|approved (?:the )?(?:price|pricing|spend|budget|purchase|[$€£]\s?\d[\d,.]*\s*[km]?\b)|okayed|gave (?:us )?the go-?ahead|: (?:go ahead|yes to)|"
    r"(?:owns|holds|controls) the budget\b|"
    # the record's aside on who they are: "Craig (CFO, signs anything >$250k)"
    r"\s*\((?:[^()]{0,30}?[,;]\s*)?(?:signs|the signer|signatory|signing authority)\b|"
    r"(?: \([^()]{2,60}\))? (?:is|as) (?:the )?(?:acting|interim) (?:cfo|ceo|coo|fd|finance director|managing director|md|"
    r"general manager)\b)"
)
_SIGNER_PRONOUN = lazy(
    r"\b(?:she|he)(?:'ll| will)? (?:sign|signs)\b|\bin (?:his|her) signing queue\b|"
    r"\b(?:she|he)(?:'ll| will)? be the one (?:signing|who signs)\b|\b(?:she|he) (?:owns|holds|controls) the budget\b",
    re.IGNORECASE,
)
_SIGNER_SAYS = lazy(
    r"\s*(?::|said|says|wrote|replied|confirmed)\s*[:,]?\s*['\"\u201c]?(?:[^.;'\"\u201d]{0,30}?[,.!]\s*)?"
    r"i(?:'ll| will|'m going to| am going to)\s+(?:sign|countersign|approve)\b",
    re.IGNORECASE,
)
"""Someone quoted saying they will sign: "Gillian: 'Got it, I'll sign on Thursday'", "Ravi wrote: I will sign"."""
_UNSURE = lazy(
    r"\b(?:if|once|unless|until|whether|who|not|never|won'?t|can'?t|cannot|wants?|needs?|asks?)\b", re.IGNORECASE
)


_MONEY = r"([£$€]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|million|thousand)?)(?![\w])"
_LIMIT = lazy(
    r"\b(?:(?:approve|approves|sign|signs|sign off|signs off|sign-off|authori[sz]es?|spend)\s+(?:anything\s+|spend\s+|"
    r"deals?\s+|purchases?\s+|contracts?\s+)?(?:up to|under|below|to a limit of)|(?:approval|signing|sign-off|spending|"
    r"delegated|purchasing)\s+(?:limit|authority|threshold)\s+(?:is\s+|of\s+|at\s+)?(?:up to\s+)?)\s*" + _MONEY,
    re.IGNORECASE,
)
"""A signing or approval limit on record: "Owen can approve up to £100k", "her approval limit is $250,000",
"Priya approves anything under $120k"."""
_ABOVE = lazy(r"\b(?:above|over|beyond|more than|larger|bigger|higher)\b", re.IGNORECASE)


def _over_limit(deal: Deal, said: list[str]) -> dict[str, Role]:
    """Who signs when the record puts the deal above someone's signing limit: "under their scheme of delegation
    Owen can approve up to £100k; anything above goes to the COO for signature" on a £340k deal makes the COO (by
    name or office) the economic buyer, and Owen, the rep's "economic buyer", a champion at most. The limit and
    who is above it may be in one sentence or the next ("Priya can sign up to $50,000. Above that it goes to the
    CEO"), in either order ("spend over $100k needs Tom to sign; Priya can approve up to $100k")."""
    if not deal.amount:
        return {}
    names = _Names([s.name for s in deal.stakeholders])
    for summary in said:
        sentences = re.split(r"(?<=[.!?])\s+|\n", summary or "")
        for i, sentence in enumerate(sentences):
            limit = _LIMIT.search(sentence)
            if not limit or text.money_amount(limit.group(1)) >= deal.amount:
                continue
            window = " ".join(sentences[max(0, i - 1) : i + 2]).lower()
            limited = names.mentioned_in(sentence[: limit.start()])[-1:]
            higher = {
                s.name
                for above in _ABOVE.finditer(window)
                for s in deal.stakeholders
                if s.name not in limited
                and (
                    any(
                        re.search(rf"\b{re.escape(alias)}\b", window[above.end() : above.end() + 80])
                        for alias in office_names(s.title)
                    )
                    or s.name in names.mentioned_in(window[above.end() : above.end() + 80])
                )
            }
            if len(higher) != 1:
                continue
            roles = {higher.pop(): Role.ECONOMIC_BUYER}
            for name in limited:
                if next(s.role for s in deal.stakeholders if s.name == name) == Role.ECONOMIC_BUYER:
                    roles[name] = Role.CHAMPION
            return roles
    return {}


_STAYS = r"(?! (?:a|an|us|you|me|him|her|them|it|the (?:call|meeting|room)|messages?|word|feedback|comments?|notes?|voicemails?)\b)"


_GONE_WORDS = lazy(
    r"\b(?:departure|departed|exit|resign\w*|quit|left|last day|no longer|moved on|leaving|seconded|"
    r"stepped (?:down|aside))\b",
    re.IGNORECASE,
)


_WITHIN = lazy(r"\bseconded\b|\bstepped aside\b", re.IGNORECASE)
"""Out of the role, still in the company: "Glenn has been seconded to the Pilbara JV", "stepped aside as CFO"."""


def _moved_within(where: str) -> bool:
    """The record's words on someone's departure say they stay in the company (seconded, stepped aside)."""
    return bool(_WITHIN.search(where))


def _gone_by(key: str, summary: str, said: dt.date, as_of: dt.date) -> bool:
    """The person said they leave by a month now over ("Megan told us she is leaving at the end of October",
    read in December): gone by now."""
    found = re.search(
        rf"\b{re.escape(key)}(?: (?:told \w+|said|says|mentioned|confirmed|announced)(?: that)? (?:she|he|they))?"
        rf"(?: is|'s| are| will be) leaving\b"
        rf"(?: the (?:company|business|firm))?(?: (?:at the end of|end of|in|on)) {_MONTH}\b",
        summary,
        re.IGNORECASE,
    )
    if not found:
        return False
    number = _MONTHS[found.group(1).lower()[:3]]
    year = said.year if number >= said.month else said.year + 1
    last = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
    return last < as_of


def _departure(key: str) -> re.Pattern[str]:
    """A person (``key``: a lower-cased full or first name) having left their company: "Alan's departure",
    "since Alan left", "Alan has left the company", "Alan resigned"; not "Alan left a voicemail"."""
    name = re.escape(key)
    return re.compile(
        rf"\b{name}(?:'s)? (?:departure|exit|resignation|last day)\b|"
        rf"\b{name} (?:has |had |just )?(?:resigned|departed|quit)\b|"
        # out of the role for months, with someone acting in it: "Glenn has been seconded to the JV until March"
        rf"\b{name}(?:,? (?:our|their|the) [\w ]{{2,30}},)? (?:has |had |have )?(?:been |was |is |got )?seconded "
        rf"(?:to|into|onto)\b(?![^.;]*\b(?:is back|came back|has returned|returned)\b)|"
        rf"\b{name} (?:has |had )?stepped (?:down|aside) (?:as (?:cfo|ceo|coo|fd|finance director|managing director|"
        rf"md|gm|general manager)|from the (?:company|business|firm|role))\b|"
        rf"\b{name} (?:is |was )?no longer (?:with|at) (?:the |their )?\w+|"
        rf"\b{name} (?:has |had )?moved on(?: to (?:another|a new|a different) (?:company|firm|employer|job))?(?=\s*[.,;)]|\s*$| to (?:another|a new|a different))|"
        rf"\b{name} (?:has |had |just )?left{_STAYS}(?: the (?:company|business|firm|organi[sz]ation|bank)\b|"
        rf" (?:on|in|last|for|to join)\b|\s*[.,;)]|\s*$)",
        re.IGNORECASE,
    )


_IN_OFFICE = lazy(r"\b([A-Z][\w.'-]*(?: [A-Z][\w'-]+)*) \(((?:interim |acting |new )?[^()]{2,60})\)")
"""A person named with their office in brackets: "M. Okafor (interim CFO)"."""


def departed(deal: Deal, as_of: dt.date) -> dict[str, tuple[str, str | None]]:
    """Stakeholders the record says have left their company: where it says so, and who it names in their place
    (someone outside the stakeholder list named with a senior office in the same summary), if anyone."""
    names = _Names([s.name for s in deal.stakeholders])
    keys = [*names.full.items(), *names.first.items()]
    out: dict[str, tuple[str, str | None]] = {}
    for activity in sorted(deal.activities, key=lambda a: a.date):
        if activity.date > as_of or not activity.summary or not _GONE_WORDS.search(activity.summary):
            continue  # no word of leaving: no pattern per name to build
        for key, name in keys:
            if name not in out and (
                _departure(key).search(activity.summary) or _gone_by(key, activity.summary, activity.date, as_of)
            ):
                successor = next(
                    (
                        f"{m.group(1)} ({m.group(2)})"
                        for m in _IN_OFFICE.finditer(activity.summary)
                        if not names.resolve(m.group(1)) and text.find(text.SENIOR_TITLE, m.group(2))
                    ),
                    None,
                )
                # the sentence that says so ("…Oh and Glenn has been seconded to the JV until end of March…"), not the
                # opening of a long call note about something else
                said = text.quote_around(activity.summary, _departure(key), limit=72)
                out[name] = (f"{activity.date} {activity.type}: {said}", successor)
    return out


def record_roles(deal: Deal, as_of: dt.date) -> dict[str, Role]:
    """The roles the record gives stakeholders, where it says more than the CRM's role column.

    Whoever the record says signs or approved the spend ("Gordon signs at his finance review", "Roisin: order
    form is in her signing queue", "Claire approved price") is the economic buyer when the CRM left them
    ``unknown`` and named no economic buyer. And a signing limit below the deal's amount moves the signature up,
    whatever roles the rep chose (:func:`_over_limit`); an economic buyer the record says has left the company
    (:func:`departed`) is one no longer. When the CRM names no champion, a stakeholder with no role whom the
    record shows acting for the deal (:func:`_acts_for_us`) is the champion."""
    said = [a.summary for a in deal.activities if a.date <= as_of and a.summary]
    said += [deal.next_step.action if deal.next_step else "", deal.notes or ""]
    over = _over_limit(deal, said)
    if over:
        return over
    gone = departed(deal, as_of)
    left = {s.name: Role.UNKNOWN for s in deal.stakeholders if s.name in gone and s.role == Role.ECONOMIC_BUYER}
    # an economic buyer who has left (or been seconded away) signs nothing: whoever the record says signs now,
    # among the stakeholders with no role, is the economic buyer, yet to be met
    unknown = [s.name for s in deal.stakeholders if s.role == Role.UNKNOWN]
    roles: dict[str, Role] = dict(left)
    if left and not unknown:
        return roles
    if unknown and not any(s.role == Role.ECONOMIC_BUYER and s.name not in left for s in deal.stakeholders):
        names = _Names(unknown)
        for clause in (c for summary in said for c in re.split(r"[.;!?\n]", summary or "")):
            signer = _signer_in(clause, names)
            if signer:
                roles[signer] = Role.ECONOMIC_BUYER
                break
        else:  # in their own quoted words, over several sentences: 'Eleni: "… I decide this myself … I will sign it"'
            signer = next((name for summary in said if (name := _self_declared(summary, names))), None)
            signer = signer or _plan_signer(deal, names) or _title_signer(said, deal, unknown)
            if signer:
                roles[signer] = Role.ECONOMIC_BUYER
    if not any(s.role == Role.CHAMPION for s in deal.stakeholders):
        # an assistant who booked the meeting keeps someone else's diary: no champion (text.ASSISTANT_TITLE)
        assistants = {s.name for s in deal.stakeholders if s.title and text.find(text.ASSISTANT_TITLE, s.title)}
        advocate = _acts_for_us(said, [n for n in unknown if n not in roles and n not in assistants])
        if advocate:
            roles[advocate] = Role.CHAMPION
    return roles


_TOP_TITLE = lazy(
    r"\b(?:ceo|cfo|coo|md|president|prezes|presidente|président|geschäftsführer(?:in)?|vorstand|directeur général|"
    r"directora? general|managing director|general manager|founder)\b|总经理|董事长|总裁",
    re.IGNORECASE,
)
"""The words of a title a record uses for the person instead of their name ("Prezes signs 15 Dec", "the MD signs")."""
_TITLE_SIGNS = (
    r"(?:'s)?\s+(?:will |'ll |to |is going to )?(?:sign|signs|signing|countersigns?|podpisuje|podpisze|unterschreibt|"
    r"unterzeichnet|signe|signera|firma|firmará|assina|assinará|tekent|ondertekent)\b(?![- ]?off\b)"
)
_UNDER_TITLE = lazy(r"\b(?:vice|deputy|assistant|associate|acting|interim|to the|of the office of)\b", re.IGNORECASE)
"""A title that holds a top title's words without being it ("Vice President", "Executive Assistant to the CEO")."""


def _title_signer(said: list[str], deal: Deal, unknown: list[str]) -> str | None:
    """The one stakeholder with no role whose title the record names as signing ("Prezes signs 15 Dec in their
    office", "Potwierdzam 15.12, Prezes podpisuje" for Jerzy Malinowski, Prezes Zarządu (CEO)); None when the title
    words fit no one or more than one."""
    titled = {
        s.name: {m.group(0).lower() for m in _TOP_TITLE.finditer(s.title)}
        for s in deal.stakeholders
        if s.name in unknown and s.title and not _UNDER_TITLE.search(s.title)
    }
    for name, words in titled.items():
        if not words or any(other & words for n, other in titled.items() if n != name):
            continue
        pattern = re.compile(rf"(?:{'|'.join(re.escape(w) for w in sorted(words))}){_TITLE_SIGNS}", re.IGNORECASE)
        if any(pattern.search(body or "") for body in said):
            return name
    return None


def _acts_for_us(said: list[str], unknown: list[str]) -> str | None:
    """A stakeholder with no role whom the record shows doing something for the deal as its subject ("Joost set
    it up", "Joost fwd Marieke's email", "Piet prepared the business case"): the champion, when the CRM names
    none. The first such person in the record; None when nobody acted."""
    for summary in said:
        for name in unknown:
            if _champion_acted(summary, _Names([name])):
                return name
    return None


_SPEAKER = lazy(
    r"(?:^|[\s(])(?:From )?([A-Z][\w'.-]+(?: [A-Z][\w'.-]+)?)\s*(?::|said|says|wrote|replied)\s*[:,]?\s*[\"“']"
)
"""Someone quoted in their own words: 'Eleni: "…', "Ravi wrote: '…", 'From Martine: "…'."""
_SELF_SIGNER = lazy(
    r"\bi(?:'ll| will|'m going to| am going to)\s+(?:sign|countersign)\b|\bi (?:decide|sign) (?:this|it|that)?\s*"
    r"(?:myself|alone|on my own)\b|\b(?:it'?s|it is) (?:my (?:decision|call|signature)|mine to (?:decide|sign))\b|"
    r"\bi (?:make|take) (?:the|this) (?:decision|call)\b|\bno board here\b|"
    r"\bi (?:sign|approve) (?:it |this )?(?:under|within|on) my (?:own )?(?:delegation|(?:signing |delegated )?authority|"
    r"(?:approval |signing )?limit)\b|" + text.SELF_SIGN_FOREIGN,
    re.IGNORECASE,
)
"""A buyer saying the signature or the decision is theirs: "I decide this myself", "I will sign it Friday", "I sign
under my delegation"."""


_EXCEPT = lazy(r"\b(?:but|except|over it|above it|over my|above my|beyond my)\b", re.IGNORECASE)


def _self_declared(summary: str | None, names: _Names) -> str | None:
    """The stakeholder who says, in their own quoted words, that they decide or sign: the quote runs from the
    speaker's name to its closing mark, over as many sentences as it takes."""
    for speaker in _SPEAKER.finditer(summary or ""):
        name = names.resolve(speaker.group(1))
        if name is None:
            continue
        # the quote ends at the mark that closes the one it opened with (an apostrophe inside a word is no close)
        closing = {"'": r"'(?![a-z])", "‘": "’", "“": "”"}.get(speaker.group(0)[-1], r"[\"”]")
        quoted = re.split(closing, (summary or "")[speaker.end() :], maxsplit=1)[0]
        said = text.find(_SELF_SIGNER, quoted)
        if not said:
            continue
        at = quoted.lower().find(said.lower())
        rest = re.split(r"[.;!?]", quoted[at + len(said) :], maxsplit=1)[0]
        # "Normally I sign under my delegation, but this one is over it": the exception is the answer
        if not text.find(_UNSURE, quoted[:at][-25:]) and not _EXCEPT.search(rest) and "?" not in quoted[at:][:80]:
            return name
    return None


_PLAN_SIGNATURE = lazy(
    r"\b(?:signature|countersign\w*|sign(?:s|ing)? (?:the )?(?:contract|order form|agreement|msa|po)|"
    rf"{text.E_SIGN})\b(?![- ]off)",
    re.IGNORECASE,
)
_SIDE_PAPER = lazy(r"\b(?:nda|dpa|non-disclosure|confidentiality|data processing)\b", re.IGNORECASE)


def _plan_signer(deal: Deal, names: _Names) -> str | None:
    """The stakeholder the buyer's own plan names as the owner of the signature ("Signature (COO)", owner Martine
    Schroeder), or the deal's next step when it is the signature ("DocuSign", owner Ricardo Teixeira); a side paper
    such as an NDA or a DPA names no signer of the deal."""
    titles = {s.name: s.title for s in deal.stakeholders}
    steps = [(p.owner, p.action) for p in deal.mutual_action_plan]
    steps += [(deal.next_step.owner, deal.next_step.action)] if deal.next_step else []
    for owner, action in steps:
        if owner and _PLAN_SIGNATURE.search(action) and not _SIDE_PAPER.search(action):
            name = names.resolve(owner)
            title = titles.get(name or "") or ""
            # legal or security owning a signature step routes the paper; it does not sign the purchase
            if name is not None and not text.find(text.PAPER_TITLE, title) and "secur" not in title.lower():
                return name
    return None


def _signer_in(clause: str, names: _Names) -> str | None:
    """The stakeholder a clause says signs or approved the spend, as its subject and without a condition."""
    lowered = clause.lower()
    for key, name in [*names.full.items(), *names.first.items()]:
        found = re.search(rf"\b{re.escape(key)}\b", lowered)
        if not found:
            continue
        before, after = lowered[: found.start()], lowered[found.end() :]
        # the words just before the name, inside its own part of the sentence ("… until March - Rachel is acting CFO")
        if text.find(_UNSURE, re.split(r"\s[-–—]\s|,\s", before)[-1][-20:]):
            continue
        if re.match(rf"(?:'s)?\s*{_SIGNER_VERB}", after):
            return name
        if _SIGNER_SAYS.match(after):  # "Gillian: 'Got it, I'll sign on Thursday'": the signer in her own words
            return name
        pronoun = _SIGNER_PRONOUN.search(after)  # "Amara replied: all fine, she'll sign after payroll"
        if pronoun and not text.find(_UNSURE, after[: pronoun.start()]):
            return name
    return None


def with_record_roles(deal: Deal, as_of: dt.date) -> Deal:
    """The deal with the roles :func:`record_roles` reads from its record; the same deal when there are none."""
    roles = record_roles(deal, as_of)
    if not roles:
        return deal
    people = [s.model_copy(update={"role": roles[s.name]}) if s.name in roles else s for s in deal.stakeholders]
    return deal.model_copy(update={"stakeholders": people})


_DEPLOYMENTS = (
    r"(?:on-?prem(?:ises?)?|offline|self-hosted|air-?gapped|in-country hosting|onshore hosting|local hosting|"
    r"(?:swiss|german|french|uk|us|australian|canadian|japanese|indian|[A-Z]{2}) (?:hosting|region|data cent(?:er|re))|"
    r"(?:an? |the )?(?:dedicated |single-tenant |private )+(?:install(?:ation)?|instance|deployment|region|cloud)|"
    r"(?:an? |the )?(?:install|deployment|server) on (?:their|its|the customer'?s) (?:own )?(?:servers?|premises|site))"
)
_CANNOT_SERVE = lazy(
    r"\b(?:(?:we(?:'re| are)|our (?:product|platform) is) (?:[\w-]+ )?(?:saas|cloud)[- ]only|"
    rf"no {_DEPLOYMENTS} (?:product|edition|version|option|install(?:er|ation)?|deployment)|"
    r"(?:neither|not|isn'?t|is not|nothing) on (?:the|our)(?: \d{4})?(?: committed| current| public| official)? roadmap|"
    rf"no {_DEPLOYMENTS} on (?:the|our)(?: \d{{4}}(?: or \d{{4}})?)? roadmap|"
    r"(?<!their )(?<!her )(?<!his )(?<!'s )product (?:team |management )?(?:has |have )?(?:said no|refused|declined|turned (?:it |this |that )?down|"
    r"rejected (?:the |their |this |that )?(?:request|ask|requirement)|ruled (?:it |this |that )?out)|"
    # "we can't offer on-prem", "we do not support air-gapped installs", "we won't build an offline mode"
    r"we (?:can'?t|cannot|can not|don'?t|do not|won'?t|will not) (?:offer|support|provide|do|deliver|build|host)"
    rf"(?: an?| the)? {_DEPLOYMENTS}|"
    # "on-prem was refused twice", "in-country hosting declined by product"
    rf"{_DEPLOYMENTS}\b[^.;]{{0,30}}?\b(?:was |were |has been |is )?(?:refused|declined|turned down|rejected|ruled out)"
    r"(?! by (?!(?:our )?product\b|us\b|our\b))|"
    # Chinese: 我们只有SaaS / 仅支持云部署 / 不支持本地（私有化）部署 / 产品拒绝了私有化 / 不在路线图上
    r"(?:我们|我方|产品)(?:只有|仅有|只提供|仅提供|只支持|仅支持)(?:SaaS|云|公有云)|"
    r"(?:我们|我方|产品)?(?:不支持|无法支持|不能支持|不提供|无法提供|做不了)(?:本地化?|私有化|离线|内网|物理隔离)(?:部署|安装|版本)?|"
    r"产品(?:团队|部门|经理)?(?:已经|已|又|两次|再次)?(?:拒绝|否决|驳回)|(?:不在|没有列入)(?:我们的|产品)?路线图)",
    re.IGNORECASE,
)
"""Our side saying we cannot deliver something: "We are cloud-only", "no on-prem product", "not on the roadmap",
"the product refused on-prem twice", "we don't offer in-country hosting", "不支持私有化部署"."""

_MUST_HAVE = lazy(
    r"\b(?:must|mandatory|hard requirement|non-negotiable|needs? (?:it|to)|requires?|can'?t go to|cannot (?:go to|"
    r"leave)|deal-?breaker|show-?stopper|insists?|won'?t (?:buy|sign|proceed) without)\b|"
    r"必须|硬性要求|强制要求|刚性要求|不可妥协|没得商量|一定要|否则不(?:买|签|采购)",
    re.IGNORECASE,
)
"""The buyer stating a requirement they cannot do without."""

_IF_WE = lazy(r"\b(?:if|unless|whether|in case|should they|what if)\b[^.;]*$|(?:如果|假如|万一|要是)[^。；]*$", re.I)
"""A condition before the words: "if they need on-prem we can't offer it" supposes a requirement, it does not
report one."""

_NOW_SERVED = lazy(
    r"\b(?:product (?:team )?(?:has |have )?(?:agreed|approved|signed off)|now (?:on|in) (?:the|our) (?:[\w-]+ )?"
    r"roadmap|(?:added|committed) (?:it |this )?to (?:the|our) roadmap|(?:we )?now (?:support|offer|provide)s?|"
    r"(?:dropped|waived|relaxed|removed) (?:the |their |that )?(?:requirement|must-have)|no longer (?:need|require)s?|"
    r"(?:is|are) fine with (?:saas|cloud|our (?:eu |uk |us )?(?:cloud|region|hosting)))\b|"
    r"产品(?:团队)?(?:已经|已)?同意|(?:已经|已)?(?:列入|加入)路线图|(?:不再|不)需要(?:本地|私有化|离线)|接受(?:SaaS|云)",
    re.IGNORECASE,
)
"""A later word that answers the gap: product agreed after all, it is on the roadmap now, or the buyer dropped the
requirement ("they are fine with our EU cloud")."""


def _unfit(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> str | None:
    """Where the record says we cannot serve what the buyer requires: our side saying we cannot deliver it (the notes
    or an activity), and the buyer's requirement on record (an activity or the criteria), with nothing later that
    answers it (product agreed, the requirement dropped). A supposition ("if they need on-prem …") is no refusal."""
    past = [a for a in activities if a.date <= as_of]
    ours = [(None, "notes", deal.notes or "")] + [(a.date, f"{a.date} {a.type}", a.summary or "") for a in past]
    required = [deal.meddpicc.decision_criteria.evidence or ""] + [a.summary or "" for a in past]
    if not any(text.find(_MUST_HAVE, body) for body in required):
        return None
    for day, where, body in ours:
        clauses = re.split(r"[.;\n。；]", body)
        for i, clause in enumerate(clauses):
            hit = text.first_match(_CANNOT_SERVE, clause)
            if hit is None or _IF_WE.search(clause[: hit.start()]):
                continue
            # the rest of the same note or summary, then (for a dated activity) everything said after it
            after = [" ".join(clauses[i + 1 :])] + [a.summary or "" for a in past if day is not None and a.date > day]
            if any(text.find(_NOW_SERVED, words) for words in after):
                return None
            return f"{where}: {text.quote(clause.strip())}"
    return None


_RIVAL_CHOSEN = lazy(
    r"\b(?:(?:proceed|move|go)(?:ing)? (?:forward )?(?:to|into|with) (?:contract |final |commercial )?negotiations? "
    r"with (?:the |another |a )?(?:preferred|selected|winning|successful|other) (?:bidder|vendor|supplier|provider|"
    r"tenderer)|(?:retained|kept) as (?:the |a )?reserve (?:bidder|vendor|supplier)|(?:your|the|our) (?:proposal|bid|"
    r"offer|submission|tender) (?:was|has been|is) (?:not (?:been )?(?:selected|successful|shortlisted)|unsuccessful)|"
    r"(?:decided|chose|opted|elected) (?:to go |to stay )?with (?:another|a different|the other|the incumbent|their "
    r"current|our current) (?:vendor|supplier|provider|solution|tool)|awarded (?:the (?:contract|tender|rfp|deal|"
    r"business) )?to (?:another|a different|the other) (?:vendor|supplier|bidder|provider)|(?:approved|decided|chose|"
    r"agreed) (?:last week |this week |yesterday )?to go with (?:the |their )?[\w -]{0,40}?\b(?:module|suite|platform|"
    r"solution|tool) (?:in|of|from) (?:our|their|the) [A-Z]?\w+)\b|"
    r"选择了(?:其他|另一家|别的)(?:供应商|厂商|公司)|未中标|没(?:有)?中标|落选",
    re.IGNORECASE,
)
"""The buyer's side saying it chose another vendor: the award went elsewhere, we are the reserve, our bid failed.
(A ranking alone is no award: "ranked second on the technical round, first on price".)"""
_NOT_THIS_CHOICE = lazy(
    r"\b(?:if|unless|whether|should|in case|last year|previously|in the past|back in|in 20\d\d|reference)\b|如果|去年",
    re.IGNORECASE,
)
"""Words before a choice that make it another one: a supposition, an earlier year's purchase, a reference story."""
_BUT = lazy(r"\bbut\b|但是|不过", re.IGNORECASE)


def _rival_chosen(activities: list[ActivityFact], as_of: dt.date) -> str | None:
    """The latest word on record that the buyer chose another vendor, unless a later activity says it chose us
    after all (a verbal commitment: "you are our preferred vendor now"). A supposition ("if your bid is not
    selected …"), an earlier year's choice and a choice about something else ("for payroll, but the CX tool is
    open") are none."""
    past = [a for a in activities if a.date <= as_of]
    chosen: ActivityFact | None = None
    for activity in past:
        flat = " ".join((activity.summary or "").split())  # a pasted letter's line breaks
        for sentence in text.sentences(flat):
            hit = _RIVAL_CHOSEN.search(sentence)
            if hit is None or _NOT_THIS_CHOICE.search(sentence[: hit.start()]) or _BUT.search(sentence[hit.end() :]):
                continue
            chosen = activity
            break
    if chosen is None:
        return None
    if any(a.date > chosen.date and text.find(text.SIGNAL_PATTERNS[Signal.VERBAL_COMMIT], a.summary) for a in past):
        return None
    flat = " ".join((chosen.summary or "").split())
    return f"{chosen.date} {chosen.type}: {text.quote_around(flat, _RIVAL_CHOSEN, 160)}"


_BUDGET = lazy(
    r"\bbudget(?: range| of| is| was)?\s*(?:of\s*)?(\$\s?\d[\d,.]*\s?[km]?(?:\s?-\s?\$?\d[\d,.]*\s?[km]?)?"
    r"(?:\s+(?:allocated|approved|set aside|agreed|confirmed)(?: for this year)?)?)",
    re.IGNORECASE,
)
"""A budget the buyer stated with its amount ("budget of $140k allocated", "budget range $150-200k")."""


def _budget(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> str | None:
    """The latest stated budget: an activity's summary (dated), else the notes or a MEDDPICC note."""
    for a in sorted((a for a in activities if a.date <= as_of), key=lambda a: a.date, reverse=True):
        m = _BUDGET.search(a.summary or "")
        if m:
            return f"{m.group(1).strip()} ({a.date} {a.type})"
    for source, words in (
        ("notes", deal.notes),
        *((f"meddpicc.{n}", getattr(deal.meddpicc, n).evidence) for n in _ELEMENTS),
    ):
        m = _BUDGET.search(words or "")
        if m:
            return f"{m.group(1).strip()} ({source})"
    return None


def known_alternatives(deal: Deal) -> list[str]:
    """Every alternative the record names: competitors plus status quo / do-nothing / in-house mentions in the
    competition evidence, the notes or an activity."""
    found = [c.name for c in deal.competitors]
    said = [a.summary for a in deal.activities if a.summary]  # "CTO asked us to compare against building on Grafana"
    for source in (deal.meddpicc.competition.evidence, deal.notes, *said):
        match = text.find(text.STATUS_QUO, source)
        if match and not any(text.find(text.STATUS_QUO, name) for name in found):
            found.append("status quo" if match.lower() == "status quo" else f"status quo ({match.lower()})")
    if not found and renews_with_us(deal):
        found.append(RENEWAL_ALTERNATIVE)
    return found


RENEWAL_ALTERNATIVE = "status quo (the customer renews smaller, later or not at all)"
"""On a renewal of our own contract the alternative is known without a competitor: the customer keeps less of
it, or none."""
_RENEWAL_WORDS = lazy(r"\brenewals?\b", re.IGNORECASE)


def renews_with_us(deal: Deal) -> bool:
    """We are the incumbent and the record calls the deal a renewal (its name, notes, MEDDPICC evidence, an
    activity, the next step or the plan)."""
    if str(getattr(deal.situation, "value", deal.situation)) != "incumbent":
        return False
    texts = [deal.name or "", deal.notes or "", deal.next_step.action if deal.next_step else ""]
    texts += [getattr(deal.meddpicc, name).evidence or "" for name in type(deal.meddpicc).model_fields]
    texts += [a.summary or "" for a in deal.activities] + [p.action for p in deal.mutual_action_plan]
    return any(_RENEWAL_WORDS.search(t) for t in texts)


def _activity(activity: Activity, deal: Deal, names: _Names) -> ActivityFact:
    present = [names.resolve(n) or n.strip() for n in activity.with_ if n.strip()]
    return ActivityFact.of(
        date=activity.date,
        type=activity.type.value,
        status=activity.status.value,
        people=list(dict.fromkeys(present)),
        direction=direction_of(activity, deal.stakeholders),
        summary=activity.summary,
        signals=sorted(s.value for s in text.activity_signals(activity)),
    )


_HANDED_OVER = lazy(
    r"\b(?:sent|shared|gave|emailed|set up|provisioned|activated|opened)\b[^.;]{0,30}?\b(?:trial|sandbox|"
    r"pilot (?:account|workspace|environment)|test (?:account|environment)|logins?|credentials|workspace)\b",
    re.IGNORECASE,
)


def _handover(activity: ActivityFact) -> bool:
    """Our touch gave the buyer something to use on their own ("Sent the self-serve trial link", "set up
    their sandbox"): no question waiting for an answer."""
    return bool(_HANDED_OVER.search(activity.summary or ""))


def _person(person: Stakeholder, activities: list[ActivityFact], names: _Names, as_of: dt.date) -> PersonFact:
    past = [a for a in activities if a.date <= as_of]
    theirs = [a for a in past if person.name in a.people and a.direction is not None]
    two_way = [a.date for a in theirs if a.two_way]
    outbound = [a.date for a in theirs if a.direction == Direction.OUTBOUND and not _handover(a)]
    last_two_way = max(two_way, default=None)
    claimed = person.last_contact if person.last_contact and person.last_contact <= as_of else None
    # The CRM's "last contact" is the rep's word: it stands unless the record shows only chasing on that day.
    if claimed and not (claimed in outbound and claimed not in two_way):
        last_two_way = max(claimed, last_two_way) if last_two_way else claimed
    mentioned = [a.date for a in activities if person.name in a.people or person.name in names.mentioned_in(a.summary)]
    first = min([d for d in (person.added, *mentioned) if d is not None], default=None)
    return PersonFact.of(
        name=person.name,
        title=person.title,
        role=person.role,
        engaged=person.engaged,
        sentiment=person.sentiment,
        first_seen=first,
        last_two_way=last_two_way,
        last_outbound=max(outbound, default=None),
        unanswered=sum(1 for d in outbound if last_two_way is None or d > last_two_way),
        meetings=sum(1 for a in theirs if a.two_way and a.type in ("meeting", "demo", "call")),
        assistant=text.find(text.ASSISTANT_TITLE, person.title) is not None,
    )


def _competitors(deal: Deal, activities: list[ActivityFact]) -> list[CompetitorFact]:
    out: list[CompetitorFact] = []
    for index, competitor in enumerate(deal.competitors):
        pattern = text.competitor_pattern(competitor.name)
        dated = [
            (a.date, f"{a.date} {a.type}: {text.quote_around(a.summary, pattern)}")
            for a in activities
            if a.summary and pattern.search(a.summary)
        ]
        dated += [
            (change.date, f"{change.date} history: {change.field}")
            for change in deal.history
            if pattern.search(f"{change.field} {change.from_} {change.to}")
        ]
        if competitor.added:
            dated.append((competitor.added, f"competitors[{index}].added {competitor.added}"))
        first = min(dated, default=(None, ""))
        out.append(
            CompetitorFact.of(
                name=competitor.name,
                status=_status_on_record(competitor, pattern, activities),
                first_seen=first[0],
                source=first[1] or f"competitors[{index}]",
                eliminated_before=None
                if competitor.status == CompetitorStatus.ELIMINATED
                else _eliminated_before(deal, activities, pattern, first[0]),
            )
        )
    out += _named_in_text(deal, activities, out)
    out += _in_place(deal, activities, out)
    out += _build_option(deal, activities)
    if not any(c.status != CompetitorStatus.ELIMINATED for c in deal.competitors):
        # "agreed a bake-off against Collibra" is about Collibra when the record goes on to say how that ended (the
        # readout it lost), not a vendor the record does not name; the latest word on a listed rival ("also
        # evaluating Clari", "Clari again") still counts as one in the running
        def about_known(a: ActivityFact) -> bool:
            if _AGAIN.search(a.summary or ""):
                return False  # a rival back in the running is news, whoever it is
            named = [c.name for c in out if text.mentions([c.name], a.summary)]
            return any(b.date > a.date and text.mentions(named, b.summary) for b in activities) if named else False

        unnamed = next(
            (
                a
                for a in activities
                if a.summary
                and (text.find(_UNNAMED_COMPETITOR, a.summary) or Signal.COMPETITOR_MENTIONED.value in a.signals)
                and not about_known(a)
            ),
            None,
        )
        named_later = unnamed is not None and any(
            not c.listed and c.status == "active" and c.first_seen and c.first_seen >= unnamed.date for c in out
        )
        if unnamed is not None and not named_later:  # "invited one other supplier" is the Pronto named after it
            out.append(
                CompetitorFact.of(
                    name=unnamed_name(),
                    status="eliminated" if _unnamed_dropped(unnamed.summary or "") else "active",
                    first_seen=unnamed.date,
                    source=f"{unnamed.date} {unnamed.type}: {text.quote(unnamed.summary)}",
                    listed=False,
                )
            )
    return out


def _unnamed_dropped(summary: str) -> bool:
    """The sentence that mentions the unnamed vendor drops it ("Other vendor is out", "the second supplier dropped
    out")."""
    flat = " ".join(summary.split())
    return any(_dropped_after(flat, m.end()) for m in _UNNAMED_COMPETITOR.finditer(flat))


_BUILD_OPTION = lazy(
    r"\bbuild(?:ing|s)? (?:[\w-]+ ){0,4}?(?:themselves|ourselves|internally|in[- ]house|on (?:their|our) own)\b|"
    r"\bbuild[- ](?:vs\.?|versus|or)[- ]buy\b|\b(?:internal|in-house) build\b",
    re.IGNORECASE,
)
"""The buyer weighing building it themselves ("pitched Mats on building the sample-tracking piece themselves",
"a build-vs-buy comparison")."""

BUILD = "an in-house build"


def _build_option(deal: Deal, activities: list[ActivityFact]) -> list[CompetitorFact]:
    """A build-it-ourselves option, from the first activity that raises it (not ruled out in the same clause):
    a competitor like any vendor, arriving when the record first mentions it."""
    if any(text.find(_BUILD_OPTION, c.name) or "in-house" in c.name.lower() for c in deal.competitors):
        return []  # the rep listed it: dated from the list
    for activity in activities:
        for clause in re.split(r"[.;!?]", activity.summary or ""):
            found = _BUILD_OPTION.search(clause)
            if found and not text.find(_NEGATED_SPAN, clause[: found.start()]) and not text.find(_ELIMINATED, clause):
                source = f"{activity.date} {activity.type}: {text.quote(activity.summary)}"
                return [
                    CompetitorFact.of(
                        name=BUILD, status="active", first_seen=activity.date, source=source, listed=False
                    )
                ]
    return []


_ELIMINATED = lazy(
    r"\b(?:eliminated|ruled out|knocked out|dropped out|dropped|disqualified|out of (?:the )?(?:running|race|"
    r"evaluation|deal)|lost (?:the|out|on)|we beat|beat them|displaced|is out|are out|no longer (?:considering|"
    r"in (?:the )?(?:running|evaluation)))\b",
    re.IGNORECASE,
)
"""What says an alternative was out of the running."""

_AGAIN = lazy(
    r"\b(?:again|back in|came back|is back|are back|returned|re-?entered|re-?engaged|revived)\b", re.IGNORECASE
)
"""What says an alternative that shows up had been in (and out of) the deal before."""


def _eliminated_before(
    deal: Deal, activities: list[ActivityFact], pattern: re.Pattern[str], first: dt.date | None
) -> str | None:
    """Where the record says a competitor now in play was out before: an undated note (competition evidence,
    deal notes) or an activity up to its first dated mention that eliminates it, or a mention that says it is
    back ("evaluating Contentful again"). Read clause by clause, so another vendor's elimination is not its."""
    sources = [
        ("meddpicc.competition.evidence", deal.meddpicc.competition.evidence or "", _ELIMINATED),
        ("notes", deal.notes or "", _ELIMINATED),
    ]
    sources += [
        (f"{a.date} {a.type}", a.summary or "", _AGAIN if a.date == first else _ELIMINATED)
        for a in activities
        if first is None or a.date <= first
    ]
    for where, body, says in sources:
        for clause in re.split(r"[.;!?]", body):
            if pattern.search(clause) and text.find(says, clause):
                return f"{where}: {text.quote(clause.strip())}"
    return None


def _status_on_record(competitor: Competitor, pattern: re.Pattern[str], activities: list[ActivityFact]) -> str:
    """A listed rival's status, unless the record's latest word on it drops it in the same sentence ("their note to
    Vibrant Analytics telling them they won't proceed"): the record, not the stale field, says it is out."""
    mentions = [a for a in activities if a.summary and pattern.search(a.summary)]
    if competitor.status == CompetitorStatus.ACTIVE and mentions:
        latest = mentions[-1].summary or ""
        found = pattern.search(latest)
        assert found is not None
        if _dropped_after(latest, found.end()):
            return CompetitorStatus.ELIMINATED.value
    return str(competitor.status.value)


def _dropped_after(body: str, end: int) -> bool:
    """Whether the rest of the sentence after a rival's name (``end``) drops it (:data:`_DROPPED_HERE`)."""
    rest = re.split(r"(?<=[.!?;])\s", body[end:], maxsplit=1)[0]
    return bool(_DROPPED_HERE.search(rest))


def _vendor(name: str, people: _Names, taken: set[str]) -> bool:
    """``name`` reads as a vendor not already ``taken`` (keys of competitors found): no person on the deal (by their
    whole name or any word of it), no status-quo word, no word the record uses for something else ("Tyler's")."""
    key = _key(name)
    words = key.split()
    return not (
        not words
        or words[0] in _NOT_A_VENDOR
        or people.resolve(name)
        or any(people.resolve(w) for w in name.split())
        or text.find(text.STATUS_QUO, name)
        or any(key == k or key in k.split() or k in key.split() for k in taken)
    )


def _named_in_text(deal: Deal, activities: list[ActivityFact], known: list[CompetitorFact]) -> list[CompetitorFact]:
    """Incumbents and benchmark vendors the record names without listing them as competitors."""
    # the buyer's people and the deal's owner are people, not vendors ("Tyler's quote")
    people = _Names([s.name for s in deal.stakeholders] + ([deal.owner] if deal.owner else []))
    seen = {_key(c.name) for c in known}
    found: dict[str, CompetitorFact] = {}
    sources: list[tuple[dt.date | None, str, str]] = [
        (a.date, f"{a.date} {a.type}", a.summary or "") for a in activities
    ]
    sources += [(None, "meddpicc.competition.evidence", deal.meddpicc.competition.evidence or "")]
    sources += [(None, "notes", deal.notes or "")]
    for date, where, body in sources:
        for pattern in _NAMED_RIVAL:
            for match in pattern.finditer(body):
                name = match.group(1).strip()
                key = _key(name)
                if not _vendor(name, people, seen) or any(
                    k != key and (k in key.split() or key in k.split()) for k in found
                ):
                    continue
                incumbent = "incumbent" in match.group(0).lower()
                # looked at and dropped before we came, or the same sentence drops it: out of the running
                dismissed = pattern is _NAMED_RIVAL[-1] or _dropped_after(body, match.end())
                current = found.get(key)
                if current is None or (date and (current.first_seen is None or date < current.first_seen)):
                    found[key] = CompetitorFact.of(
                        name=name,
                        status="incumbent" if incumbent else "eliminated" if dismissed else "active",
                        first_seen=date or (current.first_seen if current else None),
                        source=f"{where}: {text.quote(match.group(0))}",
                        listed=False,
                    )
    return list(found.values())


_IN_PLACE = lazy(
    rf"^\s*(?:(?i:competition|competitors?|incumbent):\s*)?{_VENDOR},? (?:is |are )?(?:already |currently |still )?"
    rf"(?:in place|in use|installed|deployed|live)\b|"
    rf"\b(?i:they|buyer|currently|already|still) (?i:use|uses|using|run|runs|running) {_VENDOR}\b"
)
"""The competition note naming what the buyer already runs ("Weave already in place", "They use Weave today")."""


_NOT_IN_PLACE = frozenset(
    [
        "budget",
        "funding",
        "nda",
        "msa",
        "dpa",
        "sow",
        "po",
        "contract",
        "process",
        "approval",
        "plan",
        "team",
        "new",
        "signed",
        "sponsor",
        "cfo",
        "ceo",
        "cio",
        "cto",
        "coo",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
"""First words of what a competition note may say is in place that is no vendor ("Budget in place", "NDA in
place", "New CFO in place")."""


def _in_place(deal: Deal, activities: list[ActivityFact], known: list[CompetitorFact]) -> list[CompetitorFact]:
    """The vendor the MEDDPICC competition note says the buyer already runs, as the incumbent, first seen on the
    first dated activity that names it. Only that note: there, what the buyer runs is what we compete with;
    elsewhere ("they use Salesforce for CRM") it is as often a system we integrate with."""
    note = deal.meddpicc.competition.evidence or ""
    match = _IN_PLACE.search(note)
    if match is None:
        return []
    name = next(g for g in match.groups() if g).strip()
    people = _Names([s.name for s in deal.stakeholders] + ([deal.owner] if deal.owner else []))
    if not _vendor(name, people, {_key(c.name) for c in known}) or _key(name).split()[0] in _NOT_IN_PLACE:
        return []
    pattern = text.competitor_pattern(name)
    first = min((a for a in activities if a.summary and pattern.search(a.summary)), key=lambda a: a.date, default=None)
    return [
        CompetitorFact.of(
            name=name,
            status="incumbent",
            first_seen=first.date if first else None,
            source=f"{first.date} {first.type}: {text.quote_around(first.summary, pattern)}"
            if first
            else f"meddpicc.competition.evidence: {text.quote(match.group(0).strip())}",
            listed=False,
        )
    ]


def _upcoming(deal: Deal, activities: list[ActivityFact], as_of: dt.date) -> list[DatedItem]:
    items = [
        DatedItem.of(
            date=a.date,
            kind="meeting" if a.type in ("meeting", "demo", "call") else "activity",
            text=a.summary or a.type,
            people=a.people,
        )
        for a in activities
        if a.date >= as_of and a.status == "scheduled"
    ]
    open_plan = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)
    items += [
        DatedItem.of(date=p.date, kind="plan", text=p.action, owner=p.owner)
        for p in deal.mutual_action_plan
        if p.date and p.date >= as_of and p.status in open_plan
    ]
    step = deal.next_step
    if step and step.date and step.date >= as_of:
        items.append(DatedItem.of(date=step.date, kind="next_step", text=step.action, owner=step.owner))
    if deal.close_date and deal.close_date >= as_of and deal.is_open:
        items.append(DatedItem.of(date=deal.close_date, kind="close_date", text="close date"))
    return sorted(items, key=lambda item: item.date)
