"""The chat's typed answer: what the deal records, what ae-coach found, what the rules say, what to do next.

:func:`answer` turns one question into a :class:`ChatAnswer` from what :mod:`ae_coach.coach._retrieve`
ranked; ``prompts/chat-answer-<lang>.j2`` says it in words. The next step is the review's own ranked action
(:func:`ae_coach.coach._offline.compose`), so chat and review never disagree. When nothing in the
rulebook or the deal bears on the question the answer says so (``matched`` is False) and offers what the
deal does show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ae_coach._patterns import lazy
from ae_coach.coach._buyer_steps import month_after
from ae_coach.coach._chat_facts import Fact, facts_of_kind
from ae_coach.coach._offline import compose
from ae_coach.coach._people import paper_titled, personalise, seniority
from ae_coach.coach._retrieve import Retrieval, language_of, retrieve
from ae_coach.coach._situation import Situation
from ae_coach.coach._wording import fill, fit_stage, parse_question
from ae_coach.coach.report import NextAction
from ae_coach.deal.calendar import NO_REPLY_DAYS, calendar_for
from ae_coach.deal.model import PlanStatus, Signal
from ae_coach.findings import Finding, Severity
from ae_coach.inspector.facts import dates_in, lifting_sentence
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.text import PAPER_TITLE, PILOT_WORDS, SIGNAL_PATTERNS, given_name

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rule, Rulebook
    from ae_coach.rules.lexicon import Intent, Lexicon

MAX_RULES = 2
MAX_STEPS = 3
MAX_FINDINGS = 3
MAX_FACTS = 10
STRONG_HIT = 4.0
"""A BM25 score at which the question's wording clearly belongs to one rule, whatever the intent."""
CLEAR_LEAD = 1.2
"""A strong hit this many times the next one's score is the rule the question's wording is about."""
KNOWN_SHARE = 0.5
"""Below this share of known content words a question is about something neither the rulebook nor the deal
holds ("the weather in Seattle"), and the nearest rules would be noise presented as an answer."""
FACT_SCORE = 1.5
"""A deal fact that scores this much against the question is shown even when its intent did not ask for it."""
MATCHED_FACTS = 4
"""How many such facts join those the intent asked for (never counting one the intent already brought)."""
LEADING_FACTS = 2
"""How many of those best matches come first, before the facts the intent asks for."""
SECOND_MATCHED = 1
"""How many of the best matching exchanges and notes come next, before the facts a second kind of question needs."""


class FindingRef(BaseModel):
    """A finding of this deal the answer uses."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    title: str
    evidence: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class RuleQuote(BaseModel):
    """What one rule says on the question, quoted (steps fitted to the deal's people and stage)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    title: str
    steps: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    """An email drafted from the deal's own record: who it is to, the last exchange, what was agreed."""

    model_config = ConfigDict(frozen=True)

    to: str | None = None
    title: str | None = None
    last: Fact | None = None
    """The last activity with them that has a summary."""
    commitments: list[Fact] = Field(default_factory=list)
    """What is on the calendar: plan steps, the next step, scheduled meetings (dated, owned)."""
    problem: Fact | None = None
    """The buyer's pain as the record has it (the MEDDPICC note): a recap opens with it."""
    goal: Fact | None = None
    """The metric they want to move, as recorded."""
    meet: Fact | None = None
    """The person the email asks the reader to introduce us to or get us time with ("请她帮忙约 Mark Stone"):
    the email is that ask, not a recap."""
    minutes: int = 30
    """How long a meeting the ask is for (the question's own figure, else half an hour)."""
    before: Fact | None = None
    """The dated step the meeting should come before: the next one that names the person or their title."""
    why: Fact | None = None
    """The last two-way exchange with the person to meet, or that names them: why the meeting matters."""
    this_week: bool = False
    """The question wants the meeting this week ("这周就", "this week")."""
    moved: str | None = None
    """The buyer's own words that the purchase moved past the close date or is on hold (``TimingFact.doubt`` or
    ``on_hold``, said in an activity, never the rep's notes): the email asks for the new timeline instead of
    confirming the old steps."""
    moved_on: dt.date | None = None
    """When they said it."""
    newcomer: bool = False
    """The email is to a signer who arrived late (``momentum.late_stakeholder``): it asks for time on their priorities
    before any date, not their confirmation of a plan they never agreed."""

    champion: str | None = None
    """The champion, when the email goes to someone else and the question names the champion ("不会让 Nicole 觉得我
    绕过她"): the draft tells the rep to tell them first and copy them, never to go around them."""
    internal: bool = False
    """The message is for our own side (an escalation to the rep's manager, our CTO, legal or the deal desk:
    "帮我起草一条内部升级消息，发给 Tomas 和我老板"): what blocks the deal and what we need by when, no recap."""
    blocker: str | None = None
    """For an internal message: the deal's biggest problem, as the review names it."""
    ours: list[Fact] = Field(default_factory=list)
    """For an internal message: the dated steps ahead that our side owns (the plan's "us" steps, the rep's next step)."""
    deal_line: Fact | None = None
    """For an internal message: the deal itself (amount, stage, close date), what is at stake."""
    pending: Fact | None = None
    """When the champion has gone dark and the email goes to someone else: the champion's last two-way exchange,
    the step they were taking when they went quiet ("Sanne is taking it to the management team on 17 November"):
    the email asks what came of it, not for a recap."""
    silent: str | None = None
    """The champion gone dark, by name, when ``pending`` is set."""
    body: str | None = None
    """The buyer's decision meeting that step names, as the record writes it ("management team", "board")."""
    paper: str | None = None
    """When the buyer's paper process runs past the signature and has not started (``TimingFact.paper_stuck``): the
    buyer's own words on how long it takes ("Usually 6-8 weeks once procurement opens the ticket"), or "" when the
    record gives none: the email asks who owns it on their side and when it starts. Not in an email to whoever runs
    that paper (procurement, legal): they are the answer."""
    paper_legal: bool = False
    """The stuck paper step is their lawyers' (a legal review, redlines, the MSA), not procurement's: the email asks
    who in legal owns it."""
    paper_who: str | None = None
    """The person on the record whose title runs that step (a Procurement Manager, their counsel): the email asks to
    confirm it is with them rather than who owns it."""
    paper_title: str | None = None
    """That person's title, as the record writes it."""

    @property
    def moved_quoted(self) -> bool:
        """The buyer's word that moved the purchase is the exchange the email already quotes (``last``): not quoted
        twice."""
        return self.moved_on is not None and self.last is not None and self.last.date == self.moved_on

    @property
    def addressed(self) -> str | None:
        """The name the email greets: the first of ``to`` past an honorific ("Dr. Katrin Vogel" -> "Katrin")."""
        return given_name(self.to) if self.to else None

    @property
    def champion_addressed(self) -> str | None:
        """The champion's first name, as the email copies them."""
        return given_name(self.champion) if self.champion else None


class WalkVerdict(BaseModel):
    """Whether to walk away from the deal, on the record: ``drop`` (we cannot serve it, the buyer says nothing
    hurts, or the buyer chose another vendor), ``park`` (the buyer's project is on hold: out of the forecast, a date
    to check back), ``ask`` (still winnable: get a yes, a new date or a no from who decides by ``by``)."""

    model_config = ConfigDict(frozen=True)

    state: Literal["drop", "park", "ask"]
    reason: str | None = None
    """Why, in the inspector's words: the routing reason, or the deal's biggest problem."""
    who: str | None = None
    """Who to ask for the answer: the economic buyer, else the champion; on a deal awarded to another vendor, the
    champion to keep in touch with."""
    by: dt.date | None = None
    """The working day by which no answer means the deal leaves the pipeline."""


class DateVerdict(BaseModel):
    """Whether the deal's close date holds on the buyer's record: ``holds`` (the Commit gate is met),
    ``unconfirmed`` (open conditions), ``fails`` (the buyer's own process or word puts it out of the period)."""

    model_config = ConfigDict(frozen=True)

    close: dt.date
    state: Literal["holds", "unconfirmed", "fails"]
    reason: str
    after: str | None = None
    """For ``fails``: the earliest date (``2027-02-03``) or month (``2027-01``) the buyer's own word names after the
    close date, where the CRM's date should move; None when it names none."""
    keep: bool = False
    """Asked whether to walk away: the buyer's own word only moves the purchase to ``after`` (no hold, no other
    vendor chosen, no reason to disqualify), so the deal is kept in the pipeline for that period."""


class ChatAnswer(BaseModel):
    """One answer, as data; ``prompts/chat-answer-<lang>.j2`` renders it."""

    model_config = ConfigDict(frozen=True)

    question: str
    lang: Literal["en", "zh"]
    words: list[str] = Field(default_factory=list)
    """The question's words and the rulebook words its synonyms bring: a long quote is cut around them."""
    people: list[str] = Field(default_factory=list)
    """The deal's people and competitors by name: at equal relevance to the question, a quote keeps the part that
    names them ("… their Weave contract runs to June")."""
    account: str
    as_of: dt.date
    intent: str | None = None
    """The lexicon intent the question matched, or None (answered by retrieval alone)."""
    shape: str = "advice"
    matched: bool = True
    """False when nothing in the rulebook or the deal answers the question: the answer says so."""
    facts: list[Fact] = Field(default_factory=list)
    findings: list[FindingRef] = Field(default_factory=list)
    rules: list[RuleQuote] = Field(default_factory=list)
    next_step: NextAction | None = None
    """The review's own ranked action for this question (its first action when none is about it)."""
    unresolved: list[str] = Field(default_factory=list)
    """Names in the question the deal never mentions: the answer says it cannot speak to them."""
    unrecorded_silence: bool = False
    """The rep reports someone gone quiet and the record does not show it yet."""
    draft: Draft | None = None
    verdict: DateVerdict | None = None
    """For a question about the close date: whether the record holds it up, and why."""
    walk: WalkVerdict | None = None
    """Asked whether to walk away (the intent or a close second): drop, park or ask, on the record."""
    missing: list[str] = Field(default_factory=list)
    """Fact kinds the question needs that the record does not hold (``proposal``, ``economic_buyer``…):
    the answer says so rather than leaving the reader to guess."""
    lifted: Fact | None = None
    """Asked about the budget or walking away, when the record says the freeze or hold was lifted since: the
    activity that says so, its text the sentence that does ("Dr. Vogt released part of the frozen Q4 money");
    ``data["money"]`` when it is the money that came back, not only the project that restarted."""
    piloted: Fact | None = None
    """Asked about a pilot when the record already holds one completed and signed off (an activity the inspector reads
    as technical validation: "pilot Pouso Alegre done. Fábio emailed sign-off, all 6 criteria green"): that activity,
    so the answer says the pilot is done and a second one only delays the signature, instead of designing a pilot."""
    unasked: Fact | None = None
    """Asked whether to offer a discount of the rep's own accord when nothing on record shows the buyer asking for a
    lower price: the deal's forecast fact (its ``data["committed"]`` when the signer has dated the signature), so the
    answer says not to give away what nobody asked for and to trade instead."""
    held: str | None = None
    """Asked to prepare our executive's call with the buyer (the intent or a close second) while the buyer's own word
    holds the purchase (``timing.on_hold``: "until … 60 days without incidents, I will not approve any expansion"):
    that word, so the call is about the reason they gave and carries no commercial ask."""

    def of(self, kind: str) -> list[Fact]:
        """The answer's facts of one kind (``deal``, ``forecast``, ``dated``…)."""
        return [f for f in self.facts if f.kind == kind]

    def latest(self, kind: str) -> list[Fact]:
        """The answer's facts of one kind, the latest first (whatever order retrieval ranked them in)."""
        return sorted(self.of(kind), key=lambda f: f.date or dt.date.min, reverse=True)

    def closest(self) -> list[Fact]:
        """The answer's first activity (the question's own words brought it, or its kind of question did), when a
        summary's latest activity and the buyer's last reply leave it out ("why may it slip?": the alliance note on the marketplace review, not the latest
        call)."""
        latest = self.latest("activity")
        shown = latest[:1]
        if latest and not latest[0].data.get("two_way"):
            shown += [f for f in latest[1:] if f.data.get("two_way")][:1]
        return [f for f in self.of("activity")[:1] if f not in shown]

    @property
    def rule_ids(self) -> list[str]:
        return [q.rule_id for q in self.rules]

    @property
    def finding_codes(self) -> list[str]:
        return [f.code for f in self.findings]


def answer(
    question: str,
    deal: Deal,
    assessment: Any,
    rulebook: Rulebook,
    lexicon: Lexicon,
    *,
    text_rulebook: Rulebook | None = None,
    settings: Any = None,
    lang: str | None = None,
) -> ChatAnswer:
    """The typed answer to ``question`` about ``deal``.

    Args:
        text_rulebook: the rules whose words are quoted (a translation with the same ids and steps);
            default ``rulebook``.
        lang: ``en`` or ``zh``; default the question's language.
    """
    language = lang or language_of(question)
    found = retrieve(question, deal, assessment, rulebook, lexicon, translation=text_rulebook)
    intent = found.intent
    review = compose(deal, assessment, text_rulebook or rulebook, settings)
    matched = intent is not None or (found.known_share >= KNOWN_SHARE and bool(found.rules))
    base = {
        "question": question,
        "lang": language,
        "words": found.words,
        "people": [s.name for s in deal.stakeholders if s.name.strip()]
        + [c.name for c in assessment.facts.competitors if c.name.strip()],
        "account": deal.account,
        "as_of": assessment.as_of,
        "unresolved": found.unresolved,
    }
    if not matched:
        offer = [f for f in found.all_facts if f.kind in ("deal", "forecast")]
        worst = _serious(assessment.findings)[:1]
        first = review.next_actions[0] if review.next_actions else None
        return ChatAnswer(**base, matched=False, facts=offer, findings=worst, next_step=first)
    findings = _findings(found, assessment, intent)
    acted = {code: rule for a in reversed(review.next_actions) for code, rule in _acted_on(a)}
    rule_ids = _rules(found, rulebook, deal, intent, findings, _routing_rule(deal, assessment, rulebook), acted)
    if intent is not None and intent.answer == "email" and _INTRO.search(question):
        rule_ids = _with_intro_rule(rule_ids, found, rulebook)
    elif intent is not None and intent.answer == "email" and _INTERNAL.search(question):
        # an escalation is about what blocks the deal: the rule the review acts on for it (else the rule of the
        # review's first action with the buyer), then the plan
        blocker = _blocker(assessment)
        with_buyer = next((a for a in review.next_actions if a.contact), None)
        lead_rule = _rule_for(_ref(blocker), rulebook, acted) if blocker is not None else None
        lead_rule = lead_rule or (with_buyer.rule_id if with_buyer else None)
        leading = [lead_rule] if lead_rule and lead_rule in rulebook else []
        plan = ["deal-mutual-action-plan"] if "deal-mutual-action-plan" in rulebook else []
        rest = [r for r in rule_ids if r != "execution-meeting-recap"]
        rule_ids = list(dict.fromkeys([*leading, *plan, *rest]))[:MAX_RULES]
    elif intent is not None and intent.answer == "email" and _PLAN.search(question) and PLAN_RULE in rulebook:
        # an email to go over the plan's dates with the buyer ("把时间表对一遍"): the mutual action plan's rule first
        rule_ids = list(dict.fromkeys([PLAN_RULE, *rule_ids]))[:MAX_RULES]
    shape = intent.answer if intent else "advice"
    # "should I disqualify it? where does it go in the forecast?": the date verdict answers the first half too
    asked = ([intent] if intent else []) + _second(found, intent)
    walk_away = any(i.id == "walk_away" for i in asked)
    held = assessment.facts.timing.on_hold if any(i.id == "executive" for i in asked) else None
    dated = intent is not None and (intent.id in _DATED_INTENTS or walk_away)
    # "采购说要三家报价……12/18 出 PO 还来得及吗？": a question on another topic that names the close date or asks
    # about it is answered on the date too
    dated = dated or (
        shape in ("advice", "risk") and ("close_date" in found.mentioned or any(i.id == "close_date" for i in asked))
    )
    verdict = _verdict(deal, assessment, review.forecast, walk_away=walk_away) if dated else None
    if verdict is not None and verdict.state == "fails" and verdict.after:
        rule_ids = _for_the_wait(rule_ids, rulebook)
    draft = _draft(found, deal, assessment, question) if shape == "email" else None
    if draft is not None and draft.pending is not None and "relationship-champion-gone-dark" in rulebook:
        # asking a colleague what came of the silent champion's step: the rule about a champion gone dark, not a recap
        rest = [r for r in rule_ids if r != "execution-meeting-recap"]
        rule_ids = list(dict.fromkeys(["relationship-champion-gone-dark", *rest]))[:MAX_RULES]
    quotes = [_quote(rulebook[r], (text_rulebook or rulebook).get(r), deal, assessment, found) for r in rule_ids]
    codes = set(intent.codes if intent else ()) | {f.code for f in findings}
    # "they're not answering" with no unanswered touch on record: log them; unless the record says they are away
    silent = (
        bool(intent and set(intent.codes) & set(_SILENCE_CODES))
        and not any(f.code in _SILENCE_CODES for f in assessment.findings)
        and not any(p.away_until for p in assessment.facts.people)
    )
    facts = _with_proposed(_facts(found, deal, intent, findings), question)
    return ChatAnswer(
        **base,
        intent=intent.id if intent else None,
        shape=shape,
        facts=facts,
        missing=_missing(found, deal, intent),
        findings=_with_biggest(findings, assessment),
        rules=quotes,
        next_step=_next_step(
            review.next_actions,
            codes,
            shape,
            set(intent.codes if intent else ()),
            [f.name for f in _named_people(found) if f.name],
        ),
        unrecorded_silence=silent,
        draft=draft,
        walk=_walk(deal, assessment, settings) if walk_away else None,
        verdict=verdict,
        lifted=_lifted(found, assessment) if dated else None,
        held=held,
        unasked=_unasked_discount(question, deal, assessment, found) if any(i.id == "pricing" for i in asked) else None,
        # asked about a pilot; "we beat both rivals in the POC, is competition settled?" is asked about the rivals
        piloted=_piloted(found, deal, assessment.as_of)
        if any(i.id == "pilot" for i in asked) and intent is not None and intent.id != "positioning" and deal.is_open
        else None,
    )


_CATEGORY_WORDS = {
    "commit": "commit",
    "承诺": "commit",
    "best case": "best_case",
    "best-case": "best_case",
    "最佳情况": "best_case",
    "pipeline": "pipeline",
    "储备": "pipeline",
    "omitted": "omitted",
    "omit": "omitted",
}
_PROPOSED = lazy(
    r"(?:\b(?:move|moving|drop|dropping|downgrade|downgrading|upgrade|upgrading|push|pushing|put|putting|bump|"
    r"bumping|pull|pulling|take|taking|call|calling|change|changing|lower|lowering)\b[^.?!,;]{0,25}?\b(?:to|into|as|down to|"
    r"up to|back to)\s+|(?:降到|降为|降成|降级到|降回|下调到|下调为|下调成|改成|改为|改到|改报|报成|报到|放到|放进|放回|挪到|挪回|升到|"
    r"升为|升成|上调到|上调为|先放|先报)\s*)(commit|best[ -]case|pipeline|omit(?:ted)?|承诺|最佳情况|储备)",
    re.IGNORECASE,
)
"""The category the rep proposes to move the deal to ("要不要先从 commit 降到 best case", "should I drop it to
pipeline"), not one they only mention ("it's in commit")."""


_OFFERED = lazy(
    r"\b(?:offer|throw in|sweeten|proactively|pre-?emptively|get ahead of)\b|(?:主动|提前|先)(?:给|打|降|让|送|报)",
    re.IGNORECASE,
)
"""The rep proposing a concession of their own accord ("offer them 10% to sign this week", "我想主动给他打个 9 折")."""
_DISCOUNT = lazy(
    r"\b(?:discount|cheaper|price cut|\d+ ?%(?: off)?)|\d\s*折|[一二三四五六七八九]折|折扣|优惠|让利|降价|便宜",
    re.IGNORECASE,
)
"""A discount in the rep's question (an offered term, a quote or a meeting is none)."""
_PRICE_ASK = lazy(
    r"\b(?:discount|cheaper|too (?:expensive|high|much)|(?:lower|reduce|better|best) (?:the |your |our )?price|"
    r"\d+ ?% off|price (?:cut|reduction|concession)|over (?:the |our )?budget|budget (?:is )?(?:tight|short|cut))\b|"
    r"折扣|降价|打折|太贵|优惠|便宜|让价|预算不够",
    re.IGNORECASE,
)
"""A buyer's word asking for a lower price or saying it is too high."""


def _unasked_discount(question: str, deal: Deal, assessment: Any, found: Retrieval) -> Fact | None:
    """A discount the rep wants to offer of their own accord on a deal where no exchange with the buyer asks for a
    lower price (a blind question: "he signs and pays by card on the 10th; shall I give him 10% to sign this
    week?"): the forecast fact, marked ``committed`` when the signer has dated the signature, so the answer says not
    to give away what nobody asked for. Never when the buyer's side asked, however the rep words the question."""
    if not deal.is_open or not _OFFERED.search(question) or not _DISCOUNT.search(question):
        return None
    exchanges = [a for a in assessment.facts.activities if a.two_way and a.date <= assessment.as_of]
    if any(_PRICE_ASK.search(a.summary or "") for a in exchanges) or any(
        f.code in ("momentum.budget_concern_late", "momentum.competitor_counter") for f in assessment.findings
    ):
        return None
    forecast = next((f for f in found.all_facts if f.kind == "forecast"), None)
    if forecast is None:
        return None
    committed = assessment.facts.timing.committed
    return forecast.model_copy(update={"data": {**forecast.data, "committed": committed}})


def _with_proposed(facts: list[Fact], question: str) -> list[Fact]:
    """The forecast fact with the category the question proposes, when it is not the one the deal is called in:
    the answer says yes or no to that move in its first lines (a blind question: "to be safe, should I drop it
    from commit to best case?" was answered with the call the evidence supports, never with "no need: keep it")."""
    said = _PROPOSED.search(question)
    if said is None:
        return facts
    proposed = _CATEGORY_WORDS.get(said.group(1).lower().replace("-", " "))
    return [
        f.model_copy(update={"data": {**f.data, "proposed": proposed}})
        if f.kind == "forecast" and proposed and proposed != f.data.get("claimed")
        else f
        for f in facts
    ]


def _piloted(found: Retrieval, deal: Deal, as_of: dt.date) -> Fact | None:
    """The pilot on record that passed: the last activity that speaks of a pilot, when one of its sentences says
    the pilot passed as the inspector reads technical validation ("pilot Pouso Alegre done. Fábio emailed sign-off,
    all 6 criteria green"; not "Pilot kickoff done" beside "security review passed"), and no open step of the plan
    ahead still names it ("Pilot sign-off by IT"); not when a later word asks for a pilot ("él pide una prueba
    pagada (PoC)")."""
    said = [f for f in found.all_facts if f.kind == "activity" and f.data.get("status") == "completed"]
    spoke = [f for f in said if _PILOT_WORD.search(f.text or "")]
    last = max(spoke, key=lambda f: f.date or dt.date.min, default=None)
    passed = SIGNAL_PATTERNS[Signal.TECHNICAL_VALIDATION]
    sentences = re.split(r"(?<=[.;!?])\s+", last.text or "") if last is not None else []
    if not any(_PILOT_WORD.search(s) and passed.search(s) for s in sentences):
        return None
    ahead = [i for i in deal.mutual_action_plan if i.date and i.date >= as_of and i.status != PlanStatus.DONE]
    return None if any(_PILOT_WORD.search(i.action) for i in ahead) else last


_PILOT_WORD = lazy(rf"{PILOT_WORDS}|试点|试用|概念验证", re.IGNORECASE)


def _for_the_wait(rule_ids: list[str], rulebook: Rulebook) -> list[str]:
    """On a deal the buyer's own word moves to a later period, the months until then are planned with the buyer, step
    by dated step back from that date: the mutual action plan, not the rule for booking one dated next step."""
    plan = "deal-mutual-action-plan"
    if plan not in rulebook or plan in rule_ids or "execution-dated-next-step" not in rule_ids:
        return rule_ids
    return [plan if r == "execution-dated-next-step" else r for r in rule_ids]


def _acted_on(action: NextAction) -> list[tuple[str, str]]:
    """(finding code, rule) for each point of an action: one conversation's points each keep their own rule (its
    ``also_rules`` follow its codes in order), so a point on the decision process is acted on by that rule, not
    by the rule of the conversation's first point."""
    if not action.rule_id:
        return []
    rules = [action.rule_id, *action.also_rules]
    if len(rules) == len(action.finding_codes):
        return list(zip(action.finding_codes, rules, strict=True))
    return [(code, action.rule_id) for code in action.finding_codes]


_MONEY = lazy(r"\b(?:budget|money|funding|funds|spend|freeze|frozen|unfrozen)\b", re.IGNORECASE)


def _lifted(found: Retrieval, assessment: Any) -> Fact | None:
    """The activity where the record says the freeze or hold was lifted (``TimingFact.lifted``), quoting the
    sentence that says it: a rep asking whether to drop a "budget freeze" deal is first told the money is back."""
    timing = assessment.facts.timing
    if timing.lifted is None or timing.on_hold:
        return None
    for fact in found.all_facts:
        sentence = lifting_sentence(fact.text) if fact.kind == "activity" and fact.date == timing.lifted else None
        if sentence:
            return fact.model_copy(
                update={"text": sentence, "data": {**fact.data, "money": bool(_MONEY.search(sentence))}}
            )
    return None


def _verdict(deal: Deal, assessment: Any, forecast: Any, walk_away: bool = False) -> DateVerdict | None:
    """The close date against the forecast call: out of the number for a reason of the buyer's (their paper, their
    plan, their word), short of the Commit gate, or held by it. Nothing for a closed deal or one with no date."""
    # a date the buyer named since the rep parked the CRM's later one is the date the call is made on
    close = assessment.facts.timing.sooner or deal.close_date
    if close is None or not deal.is_open or not forecast.reasons:
        return None
    category = str(forecast.category)
    if category == "omitted":
        timing = assessment.facts.timing
        end = assessment.period.end
        later = any(
            (day or dt.date.min) > end for day in (timing.paper_ends, timing.plan_signature, timing.sequence_ends)
        )
        chosen = assessment.facts.rival_chosen
        if close > end or not (later or timing.doubt or timing.on_hold or chosen):
            return None  # after the quarter, or out of the number for another reason (fit, silence): no date verdict
        # a buyer that chose another vendor says until when we stay in reserve: the earliest we could sign
        source = timing.doubt or timing.on_hold or chosen or ""
        after = _named_after(source, close, deal)
        # a purchase the buyer's own word moves to a named later date, not stopped: timing, not a deal to drop
        later_only = (
            walk_away
            and after is not None
            and timing.doubt is not None
            and not timing.on_hold
            and not assessment.facts.rival_chosen
            and not any(f.code == "account.poor_fit" or f.data.get("no_pain") for f in assessment.findings)
        )
        return DateVerdict(close=close, state="fails", reason=forecast.reasons[0], after=after, keep=later_only)
    if category == "commit":
        return DateVerdict(close=close, state="holds", reason=forecast.reasons[0])
    reason = forecast.why_not_commit[0] if forecast.why_not_commit else forecast.reasons[0]
    return DateVerdict(close=close, state="unconfirmed", reason=reason)


def _walk(deal: Deal, assessment: Any, settings: Any) -> WalkVerdict | None:
    """Walk away or not, as a sales leader decides it on the record: drop a deal we cannot serve, with no pain, or
    awarded to another vendor; park one the buyer put on hold; else ask whoever decides for a yes, a new date or a
    no within two weeks, and drop it if none comes (pipeline-disqualify-early)."""
    if not deal.is_open:
        return None
    facts = assessment.facts
    dropped = next(
        (
            f
            for f in ranked(assessment.findings)
            if f.code == "account.poor_fit" or f.data.get("no_pain") or f.data.get("lost_to")
        ),
        None,
    )
    if dropped is not None:
        # awarded elsewhere: no campaign against what they chose; the champion is who tells us if it falls through
        ally = next((p for p in facts.people if str(p.role) == "champion" and not p.left), None)
        keep = ally.name if ally is not None and dropped.data.get("lost_to") else None
        return WalkVerdict(state="drop", reason=dropped.title, who=keep)
    if facts.timing.on_hold:
        return WalkVerdict(state="park", reason=facts.timing.on_hold)
    worst = next((f for f in ranked(assessment.findings) if f.severity.rank <= Severity.HIGH.rank), None)
    signer = next((p for p in facts.people if str(p.role) == "economic_buyer" and not p.left), None)
    champion = next((p for p in facts.people if str(p.role) == "champion" and not p.left), None)
    who = signer or champion
    by = calendar_for(settings, deal).add(assessment.as_of, 2 * NO_REPLY_DAYS)
    return WalkVerdict(state="ask", reason=worst.title if worst else None, who=who.name if who else None, by=by)


def _named_after(source: str, close: dt.date, deal: Deal | None = None) -> str | None:
    """The first day, else the first month, that the buyer's words in ``source`` ("2026-11-19 email: "… the next one
    is on 3 February"") name after ``close``, read from the day they were said. ``source`` quotes one clause of a
    message; the rest of that message (``deal``'s activity of that day and type) is read too, from the clause on:
    "Martin has moved my digital line into the 2027 budget. I'm told it'll be there on Jan 1" names its date in the
    sentence after the one quoted."""
    said = re.match(r"(\d{4}-\d\d-\d\d)(?: (\w+))?", source)
    if said is None:
        return None
    on = dt.date.fromisoformat(said.group(1))
    words = source[said.end() :]
    whole = _message(source[said.end() :], on, said.group(2), deal)
    if whole:
        words = f"{words} {whole}"
    day = next((d for d in dates_in(words, on) if d > close), None)
    if day is not None:
        return day.isoformat()
    first = month_after(words, on, close)
    return None if first is None else f"{first.year}-{first.month:02d}"


def _message(quoted: str, on: dt.date, kind: str | None, deal: Deal | None) -> str:
    """The rest of the activity a quote was cut from: its summary from the quoted words on ("" when no activity of
    that day and type holds them)."""
    # an inspector's quote may open on "…" (cut from the message's middle): its words start after it
    head = re.sub(r"^[:\s\"“'…]+|….*$", "", quoted.strip(), flags=re.DOTALL).strip()[:40]
    if deal is None or len(head) < 8:
        return ""
    for activity in deal.activities:
        summary = activity.summary or ""
        at = summary.find(head)
        if activity.date == on and (kind is None or str(activity.type) == kind) and at >= 0:
            return summary[at + len(head) :]
    return ""


_SILENCE_CODES = ("momentum.champion_dark", "momentum.unanswered_outreach")
_DATED_INTENTS = ("close_date", "budget_timing", "walk_away", "forecast")
"""Questions whose answer turns on whether the close date holds: the date itself, money moving to another period
("the CFO moved my budget to 2027: is it a budget cut?"), whether to walk away, and the forecast call (a deal out of
this period's number on the buyer's own word is moved to the date that word names: "reserve bidder until 31 January
2027")."""


def _ref(f: Finding) -> FindingRef:
    return FindingRef(
        code=f.code, severity=f.severity, title=f.title, evidence=f.evidence[0] if f.evidence else None, data=f.data
    )


def _serious(findings: list[Finding]) -> list[FindingRef]:
    return [
        _ref(f)
        for f in ranked(findings)
        if f.severity.rank <= Severity.MEDIUM.rank and not f.code.startswith(("positive.", "account.tier"))
    ]


def _findings(found: Retrieval, assessment: Any, intent: Intent | None) -> list[FindingRef]:
    """The deal's findings on the question: the intent's codes, then those the question's words match;
    a question about the deal as a whole (risk, summary) gets its worst findings."""
    if intent is not None and intent.answer in ("risk", "summary"):
        return _serious(assessment.findings)[:MAX_FINDINGS]
    fired = {f.code: f for f in assessment.findings}
    wanted = list(intent.codes if intent else ())
    wanted += [code for code, score in found.codes[:6] if score >= FACT_SCORE and code not in wanted]
    picked = [fired[c] for c in wanted if c in fired]
    allowed = set(intent.codes if intent else ())
    picked = [f for f in picked if f.severity.rank <= Severity.MEDIUM.rank or f.code in allowed]
    order = {f.code: i for i, f in enumerate(ranked(picked))}
    refs = [_ref(f) for f in sorted(picked, key=lambda f: order[f.code])][:MAX_FINDINGS]
    if intent is not None and intent.answer == "next_step":
        # "what do I do this week?" starts from what most endangers the deal, not only from the next-step hygiene
        # findings: a rival in the notes or a commit that fails the gate is what this week's work is for
        serious = _serious(assessment.findings)[:MAX_FINDINGS]
        refs = [*serious, *(r for r in refs if r.code not in {f.code for f in serious})][:MAX_FINDINGS]
    return refs


def _with_biggest(findings: list[FindingRef], assessment: Any) -> list[FindingRef]:
    """``findings`` and the deal's biggest high-severity risk, whatever was asked: "the redlines are the last
    thing open, right?" is answered with the budget moved to next year, not with the redlines alone."""
    top = next((f for f in ranked(assessment.findings) if f.severity.rank <= Severity.HIGH.rank), None)
    if top is None or top.code in {f.code for f in findings}:
        return findings
    picked = [*findings[: MAX_FINDINGS - 1], _ref(top)]
    order = {f.code: i for i, f in enumerate(ranked(assessment.findings))}
    return sorted(picked, key=lambda f: order.get(f.code, len(order)))


def _routing_rule(deal: Deal, assessment: Any, rulebook: Rulebook) -> str | None:
    """The rule for an open tier-4 deal's routing decision (self-serve, a partner or disqualify), which the
    review puts in its headline: of the rules addressing the tier finding, the one its title matches best."""
    tier = next((f for f in assessment.findings if f.code == "account.tier"), None)
    if tier is None or not deal.is_open or assessment.tier != 4:
        return None
    addressing = {rule.id for rule in rulebook.addressing(tier.code, tier.rules)}
    return next((h.rule.id for h in rulebook.search(tier.title, k=12, per_rule=1) if h.rule.id in addressing), None)


def _rules(
    found: Retrieval,
    rulebook: Rulebook,
    deal: Deal,
    intent: Intent | None,
    findings: list[FindingRef],
    routing: str | None = None,
    acted: dict[str, str] | None = None,
) -> list[str]:
    """The rules to quote (:func:`_intent_rules`); without an intent, the best hits that address a finding.
    On an open tier-4 deal the routing rule comes second unless the wording strongly names another rule
    (not in a drafted email):
    the review's headline says the deal is not enterprise selling time, so chat must not coach it as one."""
    hits = [r for r, _, _ in found.rules]
    strong = [r for r, _, score in found.rules if score >= STRONG_HIT]
    if intent is not None:
        lead, rest = _intent_rules(found, rulebook, intent, findings, acted or {}, strong, _below_commit(found, deal))
    else:
        addressing = {rule.id for f in findings for rule in rulebook.addressing(f.code)}
        lead = [r for r in hits if r in addressing] + strong[:1]
        rest = hits
    lead = list(dict.fromkeys(lead))
    if routing and not (intent is not None and intent.answer == "email"):
        # after the rule the wording names, if any: a question about a rule is answered with that rule
        lead.insert(lead.index(strong[0]) + 1 if strong and strong[0] in lead else 1, routing)
    return list(dict.fromkeys(lead + rest))[:MAX_RULES]


def _intent_rules(
    found: Retrieval,
    rulebook: Rulebook,
    intent: Intent,
    findings: list[FindingRef],
    acted: dict[str, str],
    strong: list[str],
    below_commit: bool = False,
) -> tuple[list[str], list[str]]:
    """The rules to quote first and then, for a question with an intent: its first rule, then the first
    rule of a close second intent (a second topic the rep named) before a rule the wording strongly
    matches, unless the wording clearly names that rule (:func:`_names_one_rule`). A question about the deal as a whole (risk, summary) is answered from the deal's worst
    findings, and there the strong wording match comes second: the rest of such a question is the story."""
    own = [r for r in intent.rules if r in rulebook]
    if below_commit and intent.answer == "forecast":
        # "is best case right for it?": what each category asks of the record answers it; the Commit gate is for a
        # call the rep did not make
        own = sorted(own, key=lambda r: r != CATEGORIES_RULE)
    worst = [r for r in (_rule_for(f, rulebook, acted) for f in findings[:2]) if r]
    if intent.answer == "risk":  # the worst finding's rule, then one that answers several of them at once
        own = worst[:1] + _common_rule(findings, rulebook) + worst[1:] + own
    elif intent.answer == "summary":  # the intent's own frame (the forecast category), then the worst finding's
        own = own[:1] + worst + own[1:]
    second = [
        r
        for other, score in found.intents[1:2]
        if score * 2 >= found.intents[0][1]
        for r in other.rules[:1]
        if r in rulebook
    ]
    wording = [r for r in strong[:1] if r not in own[:1]]
    if intent.answer in ("risk", "summary"):
        # the deal's own worst findings answer it; a word match only when the rep told a story first
        # and its words clearly name one rule ("the new CFO came in. Is it in trouble?"): the ask alone
        # ("what could kill this", "what worries you most") matches the pipeline triage rule's words
        told = found.story and _names_one_rule(found)
        return own[:1] + (wording if told else []), own[1:] + second
    if _names_one_rule(found):
        return own[:1] + wording, second + own[1:]
    return own[:1] + second[:1] + wording, own[1:]


CATEGORIES_RULE = "pipeline-forecast-categories"
"""The rule that says what each forecast category needs from the record."""


def _below_commit(found: Retrieval, deal: Deal) -> bool:
    """The CRM holds the deal below Commit (best case, pipeline) and the question asks about that call, best case
    ("我现在挂的是 best case … 靠谱吗"), not about Commit."""
    call = str(getattr(deal.forecast_category, "value", deal.forecast_category) or "")
    asked = set(found.tokens)
    best = {"best", "case"} <= asked or {"最佳", "情况"} <= asked or "upside" in asked
    return call in ("best_case", "pipeline") and best and not {"commit", "承诺"} & asked


def _common_rule(findings: list[FindingRef], rulebook: Rulebook) -> list[str]:
    """The rule that addresses most of the deal's worst findings, when it addresses at least two of them: a
    new CFO, a price objection and a returning competitor together are one pattern (danger signals), and
    a risk question is about the pattern more than about any one of them."""
    counts: dict[str, int] = {}
    for finding in findings[:MAX_FINDINGS]:
        for rule in rulebook.addressing(finding.code):
            counts[rule.id] = counts.get(rule.id, 0) + 1
    best = max(counts.items(), key=lambda item: item[1], default=("", 0))
    return [best[0]] if best[1] >= 2 else []


def _names_one_rule(found: Retrieval) -> bool:
    """The wording clearly belongs to one rule (a rep pasting or paraphrasing its step): its best hit is
    strong and well clear of the next."""
    scores = [score for _, _, score in found.rules[:2]]
    return bool(scores) and scores[0] >= STRONG_HIT and (len(scores) < 2 or scores[0] >= CLEAR_LEAD * scores[1])


def _rule_for(finding: FindingRef, rulebook: Rulebook, acted: dict[str, str]) -> str | None:
    """The rule the review acts on for a finding (so chat and review name the same rule), else the first
    rule that addresses it."""
    if finding.code in acted:
        return acted[finding.code]
    return next((rule.id for rule in rulebook.addressing(finding.code)[:1]), None)


def _quote(rule: Rule, text_rule: Rule | None, deal: Deal, assessment: Any, found: Retrieval) -> RuleQuote:
    """The rule's steps that fit the question and the deal best, in the answer's language."""
    situation = Situation.of(deal, assessment)
    words = set(found.words or found.tokens) | {str(getattr(deal.situation, "value", deal.situation))}
    source = text_rule if text_rule is not None and len(text_rule.plays) == len(rule.plays) else rule
    steps = [
        (i, play.text)
        for i, play in enumerate(rule.plays)
        if play.scope != "pipeline" and situation.allows(play) and not _other_situation(play.text, deal)
    ]
    best = sorted(steps, key=lambda item: (-len(words & set(_tokens(item[1]))), item[0]))[:MAX_STEPS]
    fitted = [_fit(source.plays[i].text, deal) for i, _ in sorted(best)]
    asks = [
        personalise(fill(parse_question(q)[0], deal), deal)
        for q in source.questions
        if parse_question(q)[1] in (None, "champion", "economic_buyer")
    ]
    return RuleQuote(rule_id=rule.id, title=source.title, steps=fitted, questions=asks[:1])


def _tokens(text: str) -> list[str]:
    from ae_coach.rules.search import tokenize

    return tokenize(text)


def _fit(step: str, deal: Deal) -> str:
    return personalise(fill(fit_stage(step, deal.stage), deal), deal)


_SITUATIONS = ("incumbent", "challenger", "unknown", "displacing")


def _other_situation(step: str, deal: Deal) -> bool:
    """A step written for another competitive situation ("Incumbent: …" on a challenger deal)."""
    head = step.split(":", 1)[0].strip().lower()
    return head in _SITUATIONS and head != str(getattr(deal.situation, "value", deal.situation))


def _facts(found: Retrieval, deal: Deal, intent: Intent | None, findings: Sequence[FindingRef]) -> list[Fact]:
    """People the question names, the facts its intent needs, then the facts its words match."""
    named = _named_people(found)
    wanted: list[Fact] = list(named)
    if intent is not None and intent.answer == "risk" and findings:
        # "where's the landmine?": the exchange the worst finding quotes, whole, is what the answer stands on (the
        # works council's letter with its date, not only the sentence the finding's title keeps)
        wanted += _behind(findings[0], found.all_facts)
    for person in named:  # and what last happened with them
        wanted += _with_person(person, found.all_facts)[-1:]
    wanted += _named_competitors(found)
    matched = [f for f, score in found.facts if score >= FACT_SCORE and f.kind not in ("deal", "tier")]
    # the record the question's own words point at ("run another pilot" -> the pilot signed off in October)
    # comes before what its kind of question usually needs, which would otherwise fill every slot
    leading = _covering([f for f in matched if f.kind not in _STATUS], found.words, LEADING_FACTS)
    wanted += leading
    # and the record's latest word on what they point at, when a later exchange matches too ("the October board
    # scare" -> the final memo of 19 November that delegates the signature below the board)
    later = _later_word(leading, matched, found)
    wanted += later[:1]
    # a topic of any kind of question the rep touched ("legal's 'nearly done'" in a forecast question): the record's
    # fact that says most about it (the redlines still open: "liability cap, data deletion on exit")
    touched = dict.fromkeys(k for other, _ in found.intents for k in other.facts if k in found.topics)
    for kind in touched:
        wanted += facts_of_kind(kind, found.all_facts, deal, found.topics)[:1]
    kinds = list(intent.facts if intent else ["champion", "upcoming"])
    own = len(kinds)
    # "my boss asks whether it's real": the answer is for the manager, so it carries what they need too
    kinds += [k for other in found.audience if other is not intent for k in other.facts if k not in kinds]
    # a second topic the rep named as strongly ("stuck with legal: who else can push it?") brings its facts too
    kinds += [k for other in _second(found, intent) for k in other.facts if k not in kinds]
    # each kind the intent needs gets its share, so four calendar items cannot crowd out the competitor
    share = min(4, max(2, MAX_FACTS // max(1, len(kinds))))
    for n, kind in enumerate(kinds):
        if n == own:  # what the question's own words match best comes before what another kind of question needs
            have = {f.key for f in wanted}
            wanted += [f for f in matched if f.key not in have and f.kind in _SAID][:SECOND_MATCHED]
        got = facts_of_kind(kind, found.all_facts, deal, found.topics)[:share]
        wanted += got
        if kind == "economic_buyer" and intent is not None and intent.answer == "next_step":
            # what to do next: the signer comes with what last happened with them (a chase unanswered); a summary
            # keeps its one latest activity, which this would displace
            wanted += [
                a for p in got if p.kind == "person" for a in _with_person(p, found.all_facts, attempts=False)[-1:]
            ]
    # the next best matches the intent did not already bring: a match it brought must not take a slot
    have = {f.key for f in wanted}
    wanted += [f for f in matched if f.key not in have][:MATCHED_FACTS]
    facts = _first_of_each(wanted)[:MAX_FACTS]
    # what became of it, past the cut: the block's answer is never what another kind of fact crowds out, and it
    # crowds out none of them either
    facts += [f for f in later[1:] if f not in facts]
    if _thin(found, deal, intent):  # the record cannot answer what was asked: the champion is who to ask
        facts += [f for f in facts_of_kind("champion", found.all_facts, deal) if f not in facts]
    if intent is not None and "forecast" in intent.facts:
        # the call, for an answer whose kind weighs it (a forecast's verdict, a summary's or a risk's category), is
        # never what the people and exchanges the question names crowd out, even past the cut
        facts += [f for f in facts_of_kind("forecast", found.all_facts, deal) if f not in facts]
    if intent is not None and intent.answer in ("forecast", "summary"):
        # the call stands or falls with the buyer's dated steps ahead, which the answer points to ("the dated
        # steps below slipping"), and a summary says what is next on the calendar: they are never the facts a
        # rival's mention or the summary's other kinds crowd out
        ahead = 2 if intent.answer == "forecast" else 1
        facts += [f for f in facts_of_kind("upcoming", found.all_facts, deal, found.topics)[:ahead] if f not in facts]
    # every answer says which deal it reads: its amount, stage and close date frame any advice on it
    return facts + [f for f in facts_of_kind("deal", found.all_facts, deal) if f not in facts]


_CITED = re.compile(r"(\d{4}-\d{2}-\d{2}) (\w+)")
"""Where a finding's evidence cites the record: "2026-11-24 email: …"."""


def _behind(finding: FindingRef, facts: list[Fact]) -> list[Fact]:
    """The activity a finding's evidence cites by date and kind, marked to be quoted whole."""
    cited = set(_CITED.findall(f"{finding.title} {finding.evidence or ''}"))
    hits = [f for f in facts if f.kind == "activity" and (str(f.date), str(f.data.get("type"))) in cited][:1]
    # shown whole where the language allows it (an English answer): the part the title leaves out is the point
    return [
        f.model_copy(update={"text": " ".join((f.text or "").split()), "data": {**f.data, "whole": True}}) for f in hits
    ]


def _with_person(person: Fact, facts: list[Fact], *, attempts: bool = True) -> list[Fact]:
    """The activities with ``person``; for someone never met, our attempts to reach them that name them ("Asked
    for 20 minutes with Martin to walk the business case; Rachel replied he prefers she handles vendors"), unless
    ``attempts`` is off (a word of their name in someone else's email is not what last happened with them)."""
    activities = [f for f in facts if f.kind == "activity"]
    theirs = [f for f in activities if person.name in f.data.get("people", [])]
    if theirs or not person.name or not attempts:
        return theirs
    called = {w.lower() for w in person.name.split()}
    return [
        f
        for f in activities
        if not f.data.get("two_way") and called & {w.strip(".,;:'\"()").lower() for w in (f.text or "").split()}
    ]


def _named_competitors(found: Retrieval) -> list[Fact]:
    """The competitors the question names, by their first word as reps call them ("Splunk" for Splunk ITSI), each
    with the MEDDPICC note on the competition when it names them (the rep's "Splunk is no threat after the POC"
    meets the record's "Incumbent Splunk ITSI renewing in March") and the latest activity that names them: what
    the buyer's side last said of the rival ("Blue Yonder can't do the Indonesia customs piece") is what a price
    or positioning answer stands on."""
    asked = set(found.tokens)
    named = [f for f in found.all_facts if f.kind == "competitor" and _brand(f.name) in asked]
    notes = [f for f in found.all_facts if f.kind == "element" and f.name == "competition"]
    activities = sorted(
        (f for f in found.all_facts if f.kind == "activity"), key=lambda f: f.date or dt.date.min, reverse=True
    )
    out: list[Fact] = []
    for f in named:
        out += [f, *(n for n in notes if _brand(f.name) in _tokens(n.text or ""))]
        out += [a for a in activities if _brand(f.name) in _tokens(a.text or "")][:1]
    return out


def _brand(name: str | None) -> str:
    words = _tokens((name or "").split()[0]) if (name or "").split() else []
    return words[0] if words else ""


def _second(found: Retrieval, intent: Intent | None) -> list[Intent]:
    """The close second intent (scored at least half the first's), the one whose first rule is quoted too."""
    return [
        other
        for other, score in found.intents[1:2]
        if intent is not None and other is not intent and score * 2 >= found.intents[0][1]
    ]


def _later_word(leading: list[Fact], matched: list[Fact], found: Retrieval) -> list[Fact]:
    """The buyer's latest word on what the leading facts point at: of the exchanges later than every leading
    exchange that match the question (or, scored lower, hold a question word a leading fact holds: a long pasted
    email that answers the rep's "the reforecast is noise"), the one sharing most of those words (the memo that
    delegates the signature, not a later meeting about the price), the latest of those, then the latest exchange
    after it that holds at least half its words (what became of it); or, when no exchange leads (the rep's note of
    what they fear, a step on the plan), what the buyer last said of it."""
    if not leading:
        return []
    latest = max((f.date for f in leading if f.kind == "activity" and f.date), default=dt.date.min)
    pointed = set(found.words) & {t for f in leading for t in _tokens(f.search)}

    def shared(fact: Fact) -> int:
        return len(pointed & set(_tokens(fact.search)))

    later = [
        f
        for f, _ in found.facts
        if f.kind == "activity" and f.date and f.date > latest and f.data.get("two_way") and (f in matched or shared(f))
    ]
    best = sorted(later, key=lambda f: (shared(f), f.date or dt.date.min))[-1:]
    # and what the buyer said of it after that, when it holds half its words or more: the block of 11-10 is
    # answered by "Bridge letter accepted, approval recorded" of 11-24, which a rep afraid of the block must see
    after = [
        f
        for f in later
        if best and f.date and f.date > (best[0].date or dt.date.min) and 2 * shared(f) >= max(shared(best[0]), 3)
    ]
    return best + sorted(after, key=lambda f: f.date or dt.date.min)[-1:]


_STATUS = ("forecast", "close_date")
"""Facts that state the deal's status (the call, the close date): the intents that need them bring them, so the
question's words matching them lead to nothing of the record's own."""
_SAID = ("activity", "note", "dated", "missed")
"""Facts in the record's own words (an exchange, the rep's note, a dated step), not a status or a label."""


def _covering(facts: list[Fact], words: list[str], n: int) -> list[Fact]:
    """Up to ``n`` of ``facts`` (best first), each holding a word of the question the ones before it did not:
    "the new CFO wants to run the pilot again" brings the new CFO's note and then the pilot, not two notes
    about the CFO."""
    asked = set(words)
    covered: set[str] = set()
    chosen: list[Fact] = []
    for fact in facts:
        held = asked & set(_tokens(fact.search))
        if held - covered:
            chosen.append(fact)
            covered |= held
        if len(chosen) == n:
            break
    return chosen


ASSERTED = 1
"""A MEDDPICC grade at or below this (unknown, rep-asserted) is the rep's word, not the buyer's."""


def _thin(found: Retrieval, deal: Deal, intent: Intent | None) -> bool:
    """The record lacks a fact the question needs, or holds it only on the rep's word ("Caremerge came up
    once"): nothing the buyer said answers it yet."""
    if intent is None:
        return False
    if _missing(found, deal, intent):
        return True
    elements = [
        f
        for kind in intent.facts
        for f in facts_of_kind(kind, found.all_facts, deal, found.topics)
        if f.kind == "element"
    ]
    return any(f.data.get("grade", 0) <= ASSERTED for f in elements[:1])


ABSENCES = ("champion", "economic_buyer", "competitors", "next_step", "proposal", "demos")
"""Fact kinds whose absence is itself an answer ("no proposal on record"), as is a lexicon topic's (the
buyer's fiscal year); the templates name each."""


def _missing(found: Retrieval, deal: Deal, intent: Intent | None) -> list[str]:
    if intent is None:
        return []
    absences = (*ABSENCES, *found.topics)
    return [k for k in intent.facts if k in absences and not facts_of_kind(k, found.all_facts, deal, found.topics)]


def _first_of_each(facts: list[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for fact in facts:
        seen.setdefault(fact.key, fact)
    return list(seen.values())


def _named_people(found: Retrieval) -> list[Fact]:
    """The people the question names: by name, else by what their title is called ("the EVP", "new CRO")."""
    people = [f for f in found.all_facts if f.kind == "person"]
    asked = set(found.tokens)
    by_name = [f for f in people if any(_says(word, found.tokens) for word in (f.name or "").split())]
    by_title = [f for f in people if f not in by_name and set(f.data.get("aliases", ())) & asked]
    return by_name + by_title


def _says(word: str, tokens: list[str]) -> bool:
    """The question's tokens hold a word of a name as the tokenizer cuts it: "Lucía" is "luc", "Mónica" is "m",
    "nica" (letters outside a-z split a word), so it is compared cut the same way."""
    pieces = _tokens(word)
    return bool(pieces) and any(tokens[i : i + len(pieces)] == pieces for i in range(len(tokens)))


def _next_step(
    actions: list[NextAction],
    codes: set[str],
    shape: str,
    asked: set[str] | None = None,
    named: list[str] | None = None,
) -> NextAction | None:
    """The review's own action: its first with the buyer for "what next?" (the CRM change the review puts first
    is the rep's bookkeeping, not the next step with the buyer), else its first about the question with a
    person the question names, else its first about what the question's kind is about (``asked``: "how do I
    fight this bake-off?" gets the competitor's action, not the CRM row that answers another of the deal's
    findings), else its first about any finding the answer shows."""
    if not actions:
        return None
    with_buyer = next((a for a in actions if a.contact), actions[0])
    if shape in ("next_step", "summary", "risk"):
        return with_buyer
    about = [a for a in actions if set(a.finding_codes) & (codes | (asked or set()))]
    if shape == "email":  # a message to the buyer: the CRM row is no step with them, whatever it is about
        about = [a for a in about if a.contact]
    theirs = [a for a in about if a.contact and any(a.contact.startswith(name) for name in named or ())]
    kind = [a for a in about if set(a.finding_codes) & (asked or set())]
    return next(iter(theirs + kind + about), with_buyer)


_TO_PERSON = (
    r"(?:(?:给|致|发给|写给)(?:[^。，,？?！!的]{1,24}?的)?|"
    r"\b(?:email|e-mail|message|ping|write to|note to|email to|message to|nudge to|note for)\b)\s*"
)
"""What stands before the person an email is written to: "email Annabel", "直接给 Annabel", and in Chinese with what
qualifies them between ("给 Eastbrook 的 Priya", "给采购的 Francesca")."""


def _draft(found: Retrieval, deal: Deal, assessment: Any, question: str = "") -> Draft:
    """Who the email is for (the person the question names, the one it writes to when it names several: "go
    around Josh and email Annabel", "直接给 Annabel 发个短邮件"; else the champion) and the record it recaps."""
    named = _named_people(found)
    written_to = [
        f
        for f in named
        if any(
            re.search(_TO_PERSON + re.escape(part), question, re.IGNORECASE)
            for part in {f.name or "", (f.name or "").split()[0] if f.name else ""}
            if part
        )
    ]
    people = (
        written_to or named or [f for f in found.all_facts if f.kind == "person" and f.data.get("role") == "champion"]
    )
    person = people[0] if people else None
    name = person.name if person else None
    done = [
        f
        for f in found.all_facts
        if f.kind == "activity" and f.data.get("status") == "completed" and (name is None or name in f.data["people"])
    ]
    if not done:
        done = [f for f in found.all_facts if f.kind == "activity" and f.data.get("status") == "completed"]
    commitments = [f for f in found.all_facts if f.kind == "dated"][:4]
    noted = {f.name: f for f in found.all_facts if f.kind == "element" and f.text and f.data.get("grade", 0) >= 1}
    meet = _to_meet(question, named, person, found, deal) if _INTRO.search(question) else None
    minutes = re.search(r"(?<!\d)(\d{2,3})\s*(?:分钟|min)", question)
    if _INTERNAL.search(question):
        worst = _blocker(assessment)
        dated = [
            f
            for f in found.all_facts
            if f.kind == "dated"
            and _ahead(f, deal)
            and (deal.close_date is None or f.date is None or f.date <= deal.close_date)
        ]
        return Draft(
            internal=True,
            blocker=worst.title if worst else None,
            ours=[f for f in dated if _our_side(f.data.get("owner"), deal)][:4],
            deal_line=next((f for f in found.all_facts if f.kind == "deal"), None),
            this_week=bool(_THIS_WEEK.search(question)),
        )
    champion = next(
        (f for f in found.all_facts if f.kind == "person" and f.data.get("role") == "champion" and f.name), None
    )
    around = (
        champion.name
        if champion is not None
        and person is not None
        and champion.name != name
        and any(part in question for part in {champion.name or "", (champion.name or "").split()[0]} if part)
        else None
    )
    pending = _pending(champion, person, assessment, found)
    last = done[-1] if done else None
    newcomer = name is not None and any(
        name in (f.data.get("signers") or []) for f in assessment.findings if f.code == "momentum.late_stakeholder"
    )
    if newcomer:
        pending = None  # a signer who arrived late is asked for their priorities, not for news of someone else's review
    if pending is not None and last is not None and (last.key == pending.key or name not in last.data["people"]):
        last = None  # the champion's exchange is quoted once, as theirs; a recap of a call the reader missed is none
    moved, moved_on = _moved(assessment)
    if newcomer:  # no date in a first email to a signer who joined late: not a moved one, not the paper's
        moved, moved_on = None, None
    if moved is not None:  # the steps up to the close date are the plan the buyer's word overtook
        commitments = [c for c in commitments if c.date and deal.close_date and c.date > deal.close_date]
    paper = None if _runs_paper(person) or newcomer else _paper_ask(assessment, deal)
    legal = paper is not None and _legal_step(assessment.facts.timing.paper_stuck or "")
    owner = paper_titled(deal, legal=legal) if paper is not None else None
    return Draft(
        to=name,
        champion=around,
        pending=pending,
        silent=champion.name if pending and champion else None,
        body=_decision_body(pending.text) if pending else None,
        paper=paper,
        paper_legal=legal,
        paper_who=owner.name if owner else None,
        paper_title=owner.title if owner else None,
        title=person.data.get("title") if person else None,
        last=last,
        commitments=commitments,
        problem=noted.get("identified_pain"),
        goal=noted.get("metrics"),
        meet=meet,
        minutes=int(minutes.group(1)) if minutes else 30,
        before=_naming(meet, [f for f in found.all_facts if f.kind == "dated" and _ahead(f, deal)]) if meet else None,
        why=_naming(
            meet, [f for f in found.all_facts if f.kind == "activity" and f.text and f.data.get("two_way")], last=True
        )
        if meet
        else None,
        this_week=bool(_THIS_WEEK.search(question)),
        moved=moved,
        moved_on=moved_on,
        newcomer=newcomer,
    )


def _moved(assessment: Any) -> tuple[str | None, dt.date | None]:
    """The buyer's words, in an activity, that the purchase is later than the close date or on hold, and the day:
    each of the two readings on its own, so a doubt from the rep's notes does not hide a hold said by the buyer."""
    timing = assessment.facts.timing
    for source in (timing.doubt, timing.on_hold):
        said = re.match(r"(\d{4}-\d\d-\d\d) (\w+): (.+)", source or "")
        if said and said.group(2) != "note":
            return said.group(3), dt.date.fromisoformat(said.group(1))
    return None, None


def _pending(champion: Fact | None, person: Fact | None, assessment: Any, found: Retrieval) -> Fact | None:
    """For an email to someone other than a champion who has gone dark (``momentum.champion_dark``): the
    champion's last two-way exchange, what they were doing when they went quiet."""
    if champion is None or person is None or person.name == champion.name:
        return None
    if not any(f.code == "momentum.champion_dark" for f in assessment.findings):
        return None
    theirs = [a for a in _with_person(champion, found.all_facts, attempts=False) if a.data.get("two_way")]
    return max(theirs, key=lambda f: f.date or dt.date.min) if theirs else None


_BODY = lazy(
    r"\b(?:management team|leadership team|exec(?:utive)? (?:committee|team)|steering (?:committee|group)|"
    r"investment committee|(?<!\bon )(?<!\bon-)(?<!\bacross the )(?<!\bdrawing )board|exco|council|committee)\b|"
    r"\b(?-i:MT|SLT|ELT)\b|管理层|董事会|委员会",
    re.IGNORECASE,
)
"""A decision meeting the buyer takes a deal to, as a note names it: never "on board" (agreeing), nor "Mt Eden" (the
acronyms only in capitals). Every name :func:`_decision_body` returns has a Chinese one in the Chinese template's
``BODIES``."""


def _decision_body(text: str | None) -> str | None:
    match = _BODY.search(text or "")
    if match is None:
        return None
    said = match.group(0)
    if said.isupper():
        return said  # "MT" stays as written
    return re.sub(r"^exec ", "executive ", said.lower())  # "Exec Team" is "executive team"


_LEGAL_STEP = lazy(
    r"\b(?:legal|counsel|lawyers?|attorneys?|solicitors?|redlines?|contract review|(?-i:MSA|DPA))\b|法务|律师",
    re.IGNORECASE,
)
_BUYING_STEP = lazy(
    r"\b(?:procurement|purchasing|sourcing|suppliers?|vendor onboarding|TPRM|purchase order|(?-i:PO))\b|采购",
    re.IGNORECASE,
)


def _legal_step(stuck: str) -> bool:
    """The stuck paper step is their lawyers' (its words name legal and no buying office), from the buyer's quote
    in it when there is one."""
    quoted = re.search(r'"([^"]{8,})"', stuck)
    words = quoted.group(1) if quoted else stuck
    return bool(_LEGAL_STEP.search(words)) and not _BUYING_STEP.search(words)


def _runs_paper(person: Fact | None) -> bool:
    return person is not None and bool(PAPER_TITLE.search(str(person.data.get("title") or "")))


def _paper_ask(assessment: Any, deal: Deal) -> str | None:
    """The buyer's words on how long their paper takes, when it runs past the signature and has not started."""
    timing = assessment.facts.timing
    if not deal.is_open or not timing.paper_stuck or not timing.paper_not_started:
        return None
    quoted = re.search(r'"([^"]{8,})"', timing.paper_stuck)
    return quoted.group(1) if quoted else ""


def _blocker(assessment: Any) -> Finding | None:
    """What an internal message says blocks the deal: its worst finding of medium severity or above."""
    return next((f for f in ranked(assessment.findings) if f.severity.rank <= Severity.MEDIUM.rank), None)


_INTERNAL = lazy(
    r"\binternal (?:message|email|note|escalation|update|slack)|\bescalat\w* (?:to|for) (?:my|our)\b|"
    r"\b(?:message|email|note|slack|update|escalation) (?:to|for) (?:my|our) (?:boss|manager|vp|cto|ceo|legal team|"
    r"deal desk|product team|engineering)\b|内部(?:升级|消息|邮件|沟通|通报)|升级(?:消息|邮件)|(?:发给|给)[^。？?]{0,12}"
    r"(?:我(?:的)?老板|我(?:的)?经理)|(?:周报|周汇报|汇报)(?:发)?给(?:老板|经理|领导)|\bweekly (?:update|report)\b",
    re.IGNORECASE,
)
"""A question asking for a message to our own side: an escalation to the rep's manager, our CTO, legal, product, or
the weekly update for the boss ("写一段周报给老板"; "draft an email to Helen about our legal team" is an email to the
buyer)."""
_PLAN = re.compile(
    r"\bMAP\b|(?i:\bmutual action plan\b|\b(?:close|closing|joint) plan\b|\btimeline\b)|共同行动计划|行动计划|时间表|时间线|排期"
)
"""A question about the plan's dates with the buyer: "go over the timeline with her", "跟她把时间表对一遍" ("MAP" only
in capitals: "map the committee" is no plan)."""
PLAN_RULE = "deal-mutual-action-plan"
_OUR_OWNERS = frozenset({"us", "we", "vendor", "our team", "seller", "我们", "我方"})


def _our_side(owner: object, deal: Deal) -> bool:
    """A step owner on our side: "us", or the deal's owner (the rep)."""
    name = str(owner or "").strip()
    return name.lower() in _OUR_OWNERS or (bool(deal.owner) and name == deal.owner)


_INTRO = lazy(
    r"\b(?:introduc\w* (?:us|me|our (?:team|ceo|cfo|vp))|(?:warm )?intro (?:to|with)|get (?:us |me )?(?:time|a meeting|"
    r"\d+ min\w*) with|set up (?:a |some )?(?:time|call|meeting) (?:for (?:us|me) )?with [A-Z])|介绍给|引荐|牵线|搭桥|"
    r"约(?!好).{0,12}单独(?:聊|见|谈)|(?:帮|请)[^。，]{0,8}约[^。，]{0,12}(?:聊|见|谈)|见一面|见个面",
    re.IGNORECASE,
)
"""A question asking for an email that gets us to someone: "ask Owen to introduce us to Graham", "请她帮忙约 Mark
Stone 单独聊 30 分钟"."""


def _with_intro_rule(rule_ids: list[str], found: Retrieval, rulebook: Rulebook) -> list[str]:
    """An email asking for an introduction quotes the rule about reaching that person first: executive access
    for the signer or a senior title (or a name the record mentions without listing), else multi-threading."""
    named = _named_people(found)
    senior = not named or any(
        f.data.get("role") == "economic_buyer" or seniority(f.data.get("title")) >= 3 for f in named[1:] or named
    )
    rule = "relationship-executive-access" if senior else "relationship-multi-threading"
    if rule not in rulebook:
        return rule_ids
    rest = [r for r in rule_ids if r != "execution-meeting-recap"]  # an ask, not a recap of a meeting
    return list(dict.fromkeys([rule, *rest]))[:MAX_RULES]


_THIS_WEEK = lazy(r"this week|这周|(?<!回)本周(?!期)|这个星期", re.IGNORECASE)
_FULL_NAME = lazy(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")


def _to_meet(question: str, named: list[Fact], person: Fact | None, found: Retrieval, deal: Deal) -> Fact | None:
    """The person the ask is for: another stakeholder the question names, else a full name the question writes
    that the record mentions without listing them ("把 Graham Tulley 介绍给我们": the interim signer in a note);
    never the account or a rival ("Blue Yonder"), nor two capitalised words that open the question ("Could Owen")."""
    other = next((f for f in named if f is not person), None)
    if other is not None:
        return other
    said = " ".join(f.text or "" for f in found.all_facts)
    companies = " ".join([deal.account or "", *(c.name for c in deal.competitors)])
    for match in _FULL_NAME.finditer(question):
        name = match.group(0)
        if match.start() == 0 or name in companies or (person is not None and name == person.name):
            continue
        if name in said:
            return Fact(kind="person", key=f"person:{name}", name=name)
    return None


def _ahead(fact: Fact, deal: Deal) -> bool:
    return fact.date is not None and (deal.as_of is None or fact.date >= deal.as_of)


def _naming(person: Fact, facts: list[Fact], last: bool = False) -> Fact | None:
    """The first (``last``: the latest) of ``facts`` that involves ``person`` or names them, by name or by the
    office their title begins with ("CFO review of revised case" for the CFO)."""
    name = person.name or ""
    words = {w for w in name.split() if len(w) > 2}
    office = (person.data.get("title") or "").split(" ")[0]
    marks = words | ({office} if office.isupper() and len(office) >= 2 else set())
    hits = [
        f
        for f in facts
        if name in f.data.get("people", ()) or any(re.search(rf"\b{re.escape(m)}\b", f.text or "") for m in marks)
    ]
    if not hits:
        return None
    return max(hits, key=lambda f: f.date or dt.date.min) if last else min(hits, key=lambda f: f.date or dt.date.max)
