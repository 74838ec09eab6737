"""Questions worth asking: for the deal's worst problems, to a named person in the right role, one or two each.

A question comes from a rule's "Questions to ask" item marked for the finding's code (``{for CODE}``)
whose ``{when …}`` conditions hold for the deal (a question for before the proposal is not asked once
pricing is out). ``To the economic buyer: "…"`` goes to the person the deal names in that role, or is
not asked when nobody holds it; a plain question goes to the buyer-side person the finding is about;
``Deal review: "…"`` is the manager's question to the AE. At most :data:`PER_PERSON` questions per person,
:data:`BUYER_QUESTIONS` for the buyer side and :data:`REVIEW_QUESTIONS` for the AE.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import TYPE_CHECKING, Any, Literal

from ae_coach._patterns import lazy
from ae_coach.coach._actions import ABOUT_SILENCE, executive_meeting, fact_of, gone_dark, rules_for
from ae_coach.coach._people import contact_name, contact_order, in_role, personalise
from ae_coach.coach._situation import Situation, waits_on_document
from ae_coach.coach._wording import fill, parse_question
from ae_coach.coach.report import NextAction, Question
from ae_coach.findings import Finding, Severity
from ae_coach.i18n import lead, t
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.text import STATUS_QUO, competitor_pattern, points
from ae_coach.rules import IMPACTS

if TYPE_CHECKING:
    from ae_coach.deal import Deal, Stakeholder
    from ae_coach.rules import Rule, Rulebook

PER_PERSON = 2
BUYER_QUESTIONS = 4
"""ae-coach default: a review asks the buyer at most this many questions (blind VP grades: of 4-7 listed, one or
two were worth asking; the rest read as a checklist)."""
LOW_TOUCH_QUESTIONS = 3
"""A tier-4 deal (automated, self-serve or disqualify) gets fewer questions (ae-coach default)."""
REVIEW_QUESTIONS = 1
"""ae-coach default: the manager's one question to the AE, the one the record anchors first (three generic
ones on every deal were the questions blind graders struck first)."""
REVIEW_CANDIDATES = 3
HEALTHY_QUESTIONS = 2
_SKIP = ("positive.", "hygiene.", "data.", "stage.next_gate", "competition.positioning", "account.tier")


def questions(
    deal: Deal, assessment: Any, rulebook: Rulebook, actions: list[NextAction] | None = None
) -> list[Question]:
    """Buyer questions for the worst findings, then the manager's questions to the AE. A competitor still active
    on record that no question and no action (``actions``) names gets the competition question, in the last
    buyer slot if they are full: a live rival nobody asks about is the miss a manager sees first."""
    situation = Situation.of(deal, assessment)
    limit = LOW_TOUCH_QUESTIONS if situation.tier == 4 else BUYER_QUESTIONS
    buyer: list[Question] = []
    review: list[Question] = []
    asked: dict[str, int] = {}
    covered: set[tuple[str, str]] = set()  # (who, finding code): one question a person for each problem
    names = [s.name for s in deal.stakeholders] + [deal.account]  # who a question is about, not what it asks
    seen: set[str] = set()
    told: set[str] = set()
    silent = gone_dark(assessment.facts, list(assessment.findings))  # one question each: is this still alive?
    # what an action already asks a person on a rule is not asked again as a question (a blind VP grade: "both
    # questions repeat action rows")
    acted = {(rule, contact_name(a.contact)) for a in actions or [] if a.contact for rule in a.rule_ids}
    spent = 0
    repeats: list[Question] = []  # the questions left out for an action that asks them: the first is kept if none is
    problems = [
        f
        for f in ranked(list(assessment.findings))
        if f.severity in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM) and not f.code.startswith(_SKIP)
    ]
    lost = [f for f in problems if f.code == "meddpicc.competition" and f.data.get("lost_to")]
    problems = lost or problems  # the buyer chose another vendor: what decided it and when, nothing else
    for finding in problems:
        for rule, text, audience, raiser in _marked(finding, rulebook, situation, seen):
            if audience == "ae":
                if len(review) < REVIEW_CANDIDATES and not any(q.rule_id == rule.id for q in review):
                    seen.add(text)
                    about = _about(fill(text, deal, finding), finding, deal, assessment, told)
                    review.append(Question(question=fill(text, deal, finding), role="ae", rule_id=rule.id, about=about))
                continue
            if len(buyer) + spent >= limit or waits_on_document(fill(text, deal, finding), deal, assessment.facts):
                continue  # a step the buyer's own order puts after a document not yet signed is not asked for
            person = _addressee(
                deal, finding, audience, situation, personalise(fill(text, deal, finding), deal), silent, asked, raiser
            )
            if person is False:  # the deal names people, and none of them can answer this one
                continue
            key = person.name if person else ""
            if any(q.rule_id == rule.id and q.stakeholder == (person.name if person else None) for q in buyer):
                continue
            if person and (rule.id, person.name) in acted and not lost:  # a lost deal's one question is its review
                spent += 1  # its slot stays empty: a weaker question in its place reads as filler
                repeats.append(_question(deal, finding, rule, text, person, audience))
                continue
            said = [q.question for q in buyer if q.stakeholder == (person.name if person else None)]
            if (key, finding.code) in covered and any(_same_ask(fill(text, deal, finding), q, names) for q in said):
                continue  # two rules asking one person the same thing in other words
            covered.add((key, finding.code))
            seen.add(text)
            asked[key] = asked.get(key, 0) + 1
            q = _question(deal, finding, rule, text, person, audience)
            buyer.append(q.model_copy(update={"about": _about(q.question, finding, deal, assessment, told)}))
    if not buyer and repeats:  # a review keeps one question for the buyer, even one an action also asks
        buyer = repeats[:1]
    if not buyer and deal.is_open:
        buyer = _keep_it_healthy(deal, rulebook, situation, seen)
    rival = _rival_unasked(deal, [*(q.question for q in buyer), *(a.action for a in actions or [])])
    routed = any(f.code == "account.poor_fit" for f in assessment.findings)  # no more selling on a deal to route
    if rival is not None and deal.is_open and not routed and not lost:
        ask = _about_rival(deal, rival, assessment, rulebook, situation, seen)
        if ask is not None and ask.stakeholder not in silent:  # someone silent owes us a reply, not answers
            theirs = [i for i, q in enumerate(buyer) if q.stakeholder == ask.stakeholder]
            if len(theirs) >= PER_PERSON:  # in place of their last question: two a person at most
                buyer = [ask if i == theirs[-1] else q for i, q in enumerate(buyer)]
            else:
                buyer = [*buyer[: limit - 1], ask] if len(buyer) >= limit else [*buyer, ask]
    # one the record anchors first: a fact beside it, or a date of the record in the question itself
    review = sorted(review, key=lambda q: q.about is None and not _DATED.search(q.question))[:REVIEW_QUESTIONS]
    return buyer + review


_DATED = lazy(r"\b\d{4}-\d{2}-\d{2}\b")
_ASK_WORDS = lazy(r"[^\W\d_]{4,}")  # words of four letters or more
_COMMON = frozenset(("this", "that", "your", "have", "with", "what", "when", "more", "than", "once", "side", "would"))


def _same_ask(one: str, other: str, names: list[str] | None = None) -> bool:
    """Two questions about one problem ask the same thing in other words: two or more English content words in
    common, compared by their first four letters ("has moved more than once … Has the priority changed" and
    "sessions have had to move … still a priority"). A Chinese question has no such words: only the same question
    is the same ask. ``names`` (the deal's people and account) are left out of the comparison."""

    def stems(text: str) -> set[str]:
        for name in names or ():  # the people and the account are who it is about, not what it asks
            text = text.replace(name, " ")
        return {w.lower()[:4] for w in _ASK_WORDS.findall(text) if w.isascii() and w.lower() not in _COMMON}

    mine = stems(one)
    return len(mine & stems(other)) >= 2 if mine else one == other


def _rival_unasked(deal: Deal, texts: list[str]) -> str | None:
    """The first competitor the record still has active that none of ``texts`` names, as notes name it
    (:func:`ae_coach.inspector.text.competitor_pattern`: the full name, or the brand alone, "Splunk" for Splunk
    ITSI)."""
    for rival in deal.competitors:
        if str(rival.status) != "active" or STATUS_QUO.search(rival.name):  # the buyer's own alternative
            continue
        named = competitor_pattern(rival.name)
        if not any(named.search(said) for said in texts):
            return rival.name
    return None


def _about_rival(
    deal: Deal, rival: str, assessment: Any, rulebook: Rulebook, situation: Situation, seen: set[str]
) -> Question | None:
    """The rulebook's question on where ``rival`` stands, asked of the champion (else the contact the competition
    finding would go to): the rule's ``{for competition.positioning}`` item that holds here, naming that rival."""
    finding = next((f for f in assessment.findings if f.code == "competition.positioning"), None)
    if finding is None:
        return None
    for rule in rulebook.rules:  # any rule's item for it: the finding's own rules are the positioning playbooks
        for ask in rule.asks:
            if finding.code not in ask.answers or not situation.allows(ask, finding):
                continue
            text, audience = parse_question(ask.text)
            if text in seen or audience not in (None, "champion") or "[competitor]" not in text:
                continue
            named = text.replace("[competitor]", rival)
            people = contact_order(deal, "meddpicc.competition")  # the champion first
            person = _pick(people, finding.code, situation, named, frozenset(), {}) if people else None
            if person is False:
                return None
            seen.add(text)
            return _question(deal, finding, rule, named, person, audience)
    return None


def _about(question: str, finding: Finding, deal: Deal, assessment: Any, told: set[str]) -> str | None:
    """The question with the open fact of this deal it is about, so it is this deal's question, not the rule's:
    "Which one is weakest? (on this deal: unmet: budget range known)". Each fact once a review, its first
    sentence; a fact that is itself advice (the executive meeting to use) is the action's, not the question's."""
    # its first sentence: not cut after an initial or a title ("the record names M. Okafor (interim CFO)")
    fact = next(iter(points(fact_of(finding, assessment.facts, deal))), "").rstrip(".。")
    meeting = executive_meeting(assessment.facts)
    advice = meeting is not None and fact == t("coach.fact.executive_meeting", text=meeting.text, date=meeting.date)
    if not fact or advice or fact in told or fact.lower() in question.lower():
        return None
    told.add(fact)
    # "(on this deal: on record: "…")" says "on record" twice (a blind VP grade): the quote is the fact
    return fact.removeprefix(lead("coach.fact.on_record"))


def _marked(finding: Finding, rulebook: Rulebook, situation: Situation, seen: set[str]) -> list[Any]:
    """The rule questions marked for ``finding`` that hold here; on a lost deal only the loss review's
    (``{when lost}``): a question written to win a live deal is no question once the buyer has chosen."""
    out = []
    lost = situation.holds("lost")
    # the loss review is pipeline-disqualify-early's ("record the loss reason as fit, pain, access or timing"),
    # whichever rule the finding that lost it belongs to
    for rule in rulebook.rules if lost else rules_for(finding, rulebook):
        for ask in rule.asks:
            if finding.code not in ask.answers or not situation.allows(ask, finding):
                continue
            if lost and "lost" not in ask.when:
                continue
            text, audience = parse_question(ask.text)
            if (
                text
                and text not in seen
                and (
                    audience in (None, "ae", "new_stakeholder")
                    or audience in situation.roles
                    or (audience == "champion" and "coach" in situation.roles)
                )
            ):
                out.append((rule, text, audience, situation.raised_by(ask)))
    return out


def _addressee(
    deal: Deal,
    finding: Finding,
    audience: str | None,
    situation: Situation,
    question: str,
    silent: frozenset[str] = frozenset(),
    asked: dict[str, int] | None = None,
    raiser: str | None = None,
) -> Stakeholder | Literal[False] | None:
    """Who can answer ``question``: the first of :func:`_candidates` the rep can reach (met, or a meeting booked
    with them; never an assistant or someone who has left) and whom the question is not about (nobody is asked
    what [economic buyer] needs to believe); the person on record who raised or owns what it asks about
    (``raiser``: procurement's "will review once there's an approved requisition") before them. ``None`` on a deal
    that names nobody (the rep's contact); ``False`` when nobody can answer it, or the one who can has had their
    questions (:data:`PER_PERSON`; one, about the silence, for someone gone silent): the question is not asked."""
    if not deal.stakeholders:
        return None
    people = _candidates(deal, finding, audience)
    first = [s for s in deal.stakeholders if s.name == raiser]
    people = first + [p for p in people if p not in first]
    return _pick(people, finding.code, situation, question, silent, asked or {})


def _pick(
    people: list[Stakeholder],
    code: str,
    situation: Situation,
    question: str,
    silent: frozenset[str],
    asked: dict[str, int],
) -> Stakeholder | Literal[False]:
    if code in ABOUT_SILENCE:  # "is this still alive?" is for the one gone quiet, nobody else
        people = people[:1]
    person = next((p for p in people if situation.reachable(p) and p.name not in question), None)
    if person is None:
        return False
    dark = person.name in silent
    if (dark and code not in ABOUT_SILENCE) or asked.get(person.name, 0) >= (1 if dark else PER_PERSON):
        return False  # someone silent owes us a reply, not more answers
    return person


def _candidates(deal: Deal, finding: Finding, audience: str | None) -> list[Stakeholder]:
    """The people a question could go to, best first: the rule's audience ("To the economic buyer:"; "To the
    champion:" falls back on a coach, who gives the rep the inside view a champion would), the newcomer the
    finding names, else the roles best placed for the finding, then the deal's champion and buyers, then the
    rest by seniority (:func:`ae_coach.coach._people.contact_order`)."""
    names = finding.data.get("names")
    if audience == "new_stakeholder":
        return [s for s in deal.stakeholders if isinstance(names, list) and s.name in names]
    if audience:
        roles = (audience, "coach") if audience == "champion" else (audience,)
        return [p for role in roles for p in in_role(deal, role)]
    return contact_order(deal, finding.code)


def _question(
    deal: Deal, finding: Finding | None, rule: Rule, text: str, person: Stakeholder | None, audience: str | None
) -> Question:
    role = audience if audience and audience != "new_stakeholder" else (str(person.role) if person else None)
    return Question(
        question=personalise(fill(text, deal, finding), deal),
        stakeholder=person.name if person else None,
        role=role,
        rule_id=rule.id,
    )


def _importance(rule: Rule, rulebook: Rulebook) -> tuple[int, int]:
    """Higher impact first; at equal impact, in the order the rulebook declares its categories."""
    section = rulebook.section_for(rule.category)
    return IMPACTS.index(rule.impact) if rule.impact in IMPACTS else len(IMPACTS), section.number if section else 99


def _keep_it_healthy(deal: Deal, rulebook: Rulebook, situation: Situation, seen: set[str]) -> list[Question]:
    """An open deal with nothing wrong: late in the cycle, the questions that confirm the path to signature
    (asked of the champion, who runs the plan inside); earlier, the next stage gate's and the competitive
    situation's questions.

    Late in the cycle there is no problem to answer, so the questions come from every rule's items marked
    ``{for stage.next_gate}`` that hold at this stage: the rule files say which questions get a deal
    through its last gate, one rule's at a time, the most important rule first."""
    picked: list[Question] = []
    if str(deal.stage) not in ("proposal", "closing"):
        for finding in situation.assessment.findings:
            if finding.code not in ("stage.next_gate", "competition.positioning"):
                continue
            for rule, text, audience, _raiser in _marked(finding, rulebook, situation, seen)[:1]:
                person = _addressee(deal, finding, audience, situation, personalise(fill(text, deal, finding), deal))
                if audience != "ae" and len(picked) < HEALTHY_QUESTIONS and person is not False:
                    seen.add(text)
                    picked.append(_question(deal, finding, rule, text, person, audience))
        return picked
    # the path to signature is asked of whoever runs the plan inside and can be reached
    people = contact_order(deal, "anti.hoping_not_controlling")
    contact = _pick(people, "", situation, "", frozenset(), {}) if people else None
    if contact is False:
        return picked
    queues = [
        [
            (rule, text)
            for ask in rule.asks
            if "stage.next_gate" in ask.answers and situation.allows(ask)
            for text, audience in [parse_question(ask.text)]
            if audience is None
        ]
        for rule in sorted(rulebook.rules, key=lambda r: _importance(r, rulebook))
    ]
    for rule, text in (pair for turn in zip_longest(*queues) for pair in turn if pair):
        if contact is not None and contact.name in personalise(fill(text, deal), deal):
            continue  # nobody is asked about themselves ("Has Rachel Shaw agreed to the investment?" to Rachel)
        if text not in seen and len(picked) < HEALTHY_QUESTIONS:
            seen.add(text)
            picked.append(_question(deal, None, rule, text, contact, None))
    return picked
