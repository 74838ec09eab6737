"""The offline coach: a complete review composed from the findings and the rules' own words.

Deterministic and free. Findings are taken in the order a manager raises them
(:mod:`ae_coach.inspector.priority`), which sets the headline, the risks and the actions. Every critical or
high finding gets a next action taken from the "How to apply" steps of a rule that addresses it: the step
that does what a manager wants done about it (:data:`INTENT`), about this deal rather than the pipeline,
still in time for the stage (:mod:`ae_coach.coach._wording`), addressed to the person the deal names in
the relevant role and due on a working day derived from the severity and the close date. Questions come
from the same rules' "Questions to ask"; ``Deal review:`` questions are the AE's, never a buyer's.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from ae_coach.coach._people import (
    contact_for,
    due_date,
    label,
    paced,
    person_in_role,
    personalise,
)
from ae_coach.coach._plan import draft_plan
from ae_coach.coach._wording import (
    about_the_pipeline,
    applies,
    fill,
    fit_stage,
    internal,
    parse_question,
    pricing_out,
    too_late,
)
from ae_coach.coach.report import CoachingReport, Forecast, Health, NextAction, Question, Risk
from ae_coach.findings import Finding, Severity
from ae_coach.inspector.priority import ranked

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rule, Rulebook

ACTION_SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)
MAX_MEDIUM_ACTIONS = 3
"""Medium findings get actions too, but only the first few: a list of fifteen actions gets none done."""
MAX_QUESTIONS = 8
LOW_TOUCH_MEDIUM_ACTIONS = 1
LOW_TOUCH_QUESTIONS = 4
"""A tier-4 deal (the seed: automated, self-serve or disqualify; 5% of selling time) gets the routing
decision first, then at most this many medium-finding actions and buyer questions (ae-coach defaults):
coaching it like an enterprise deal would spend the time the tiering exists to save."""

_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "your",
        "you",
        "their",
        "they",
        "is",
        "are",
        "be",
        "by",
        "it",
        "this",
        "that",
    ]
)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _finding_words(finding: Finding) -> set[str]:
    # the code's family ("meddpicc", "momentum") is left out: it matched bookkeeping steps that name it
    # ("update the MEDDPICC evidence") over steps that move the deal
    code = finding.code.split(".", 1)[-1].replace("_", " ")
    text = " ".join([code, finding.title, *finding.evidence])
    text += " " + " ".join(str(v) for v in finding.data.values() if isinstance(v, (str, list)))
    return _words(text)


def rules_for(finding: Finding, rulebook: Rulebook) -> list[Rule]:
    """The rules that address a finding: the finding's own ``rules``, then any whose triggers name it."""
    ids = list(finding.rules) + [r.id for r in rulebook.by_trigger(finding.code)]
    rules = [rulebook[i] for i in dict.fromkeys(ids) if i in rulebook]
    # A rule written for this one problem beats a catalogue rule (danger signals) that names seven.
    return sorted(rules, key=lambda r: len(r.triggers))


INTENT: dict[str, str] = {
    "anti.forecast_fantasy": "call best case name missing condition book dated action",
    "anti.single_threading": "ask contact introduction reason helps",
    "anti.happy_ears": "claim evidence buyer did",
    "anti.hoping_not_controlling": "send plan champion correct reply",
    "anti.neglecting_champion": "business case champion sell internally",
    "anti.ignoring_competition": "ask directly who else talking",
    "committee.missing_role": "ask contact introduction reason",
    "momentum.champion_dark": "send short specific message last commitment",
    "momentum.stale": "re-engage champion something new",
    "momentum.close_date_passed": "update passed close date buyer-confirmed new date",
    "momentum.close_date_slipped": "second slip re-qualification re-check decision process drop forecast category",
    "momentum.no_dated_next_step": "next step dated owned buyer calendar",
    "meddpicc.competition": "ask directly who else talking",
    "meddpicc.economic_buyer": "ask champion broker meeting economic buyer agenda",
    "meddpicc.metrics": "baseline metric today measures",
    "meddpicc.paper_process": "ask who owns security legal procurement signature",
    "meddpicc.decision_process": "list every step owner date",
    "stage.unearned": "translate missing criterion buyer action date",
    "account.tier": "tier 4 route self-serve partner nurture disqualify",
    # positive signals: the follow-through that keeps a healthy deal healthy
    "positive.champion_scheduled": "prepare champion every meeting schedule themselves agenda ask",
    "positive.references_requested": "ask buyer requests reference want learn",
    "positive.procurement_timeline": "procurement gives timeline check close date same day",
    "positive.legal_security_review": "buyer starts security legal review confirm real reviewer",
    "positive.internal_docs_shared": "internal documents share same week business case",
}
"""What a manager wants done about a finding, in words its rules' steps use. A step sharing these words
outranks one that merely repeats the finding's own words (evidence lines mention "status quo" or "MEDDPICC",
which pulled bookkeeping steps ahead of the step that moves the deal); rules without such a step fall
back to word overlap and the author's order."""


INTENT_WHEN: dict[tuple[str, str], str] = {
    # a plan that exists but slips needs its owners chased, not a new draft shared
    ("anti.hoping_not_controlling", "overdue"): "buyer step slips ask owner what changed agree new date week",
}
"""Intent for a finding whose ``data`` carries the key: the same code can describe different situations."""


def _intent(finding: Finding) -> str:
    for (code, key), words in INTENT_WHEN.items():
        if finding.code == code and finding.data.get(key):
            return words
    return INTENT.get(finding.code, "")


def _step_key(finding: Finding, words: set[str], step: str, stage: Any, fits: bool) -> tuple[int, int, int, int]:
    """Lower is better: a step about this deal and still in time for its stage, then one that does what
    a manager wants done (:data:`INTENT`), moves the deal rather than the CRM record, and shares most
    words with the finding."""
    step_words = _words(step)
    return (
        about_the_pipeline(step) + too_late(step, stage) + (not fits),
        -len(_words(_intent(finding)) & step_words),
        internal(step),
        -len(words & step_words),
    )


def _best_step(
    finding: Finding,
    rules: list[Rule],
    used: set[tuple[str, str]],
    deal: Deal,
    codes: dict[str, Finding],
) -> tuple[Rule, str] | None:
    """The unused step, across the finding's rules, that fits the deal best.

    A step about the whole pipeline ("run a report of open deals…"), one whose moment has passed
    ("Before the proposal, …" at proposal) or one whose opening condition the deal does not meet
    (:func:`~ae_coach.coach._wording.applies`) is taken only when nothing else fits; then the step that
    shares most words with the finding. Earlier rules and earlier steps win ties: authors put the most
    important step first.
    """
    words = _finding_words(finding)
    best, best_key = None, None
    for r_index, rule in enumerate(rules):
        for s_index, step in enumerate(rule.steps):
            if (rule.id, step) in used:
                continue
            fits = applies(step, deal, codes)
            key = (*_step_key(finding, words, step, deal.stage, fits), r_index, s_index)
            if best_key is None or key < best_key:
                best, best_key = (rule, step), key
    return best


def next_actions(deal: Deal, findings: list[Finding], rulebook: Rulebook, as_of: Any) -> list[NextAction]:
    """One action per critical/high finding (and the first few medium ones), each citing a rule,
    in the order a manager would raise them (:mod:`ae_coach.inspector.priority`).

    An open deal with no critical or high gap also gets the follow-through on its positive signals (at
    most :data:`MAX_SIGNAL_ACTIONS`): a healthy deal is kept healthy by acting on what the buyer just
    did (prepare the meeting the champion booked, set up the reference calls), not by an empty list.
    """
    actions: list[NextAction] = []
    used: set[tuple[str, str]] = set()
    mediums = 0
    low_touch = low_touch_tier(deal, findings)
    codes = {f.code: f for f in findings}
    if low_touch is not None:  # decide how to serve it before doing any more work on it
        action = _action(deal, low_touch, rulebook, used, as_of, Severity.HIGH, codes)
        if action is not None:
            actions.append(action)
    max_mediums = LOW_TOUCH_MEDIUM_ACTIONS if low_touch else MAX_MEDIUM_ACTIONS
    for finding in ranked(findings):
        if finding.severity not in ACTION_SEVERITIES or finding.code.startswith("positive."):
            continue
        if finding.severity is Severity.MEDIUM:
            if mediums >= max_mediums:
                continue
            mediums += 1
        action = _action(deal, finding, rulebook, used, as_of, finding.severity, codes)
        if action is not None:
            actions.append(action)
    serious = any(
        f.severity in (Severity.CRITICAL, Severity.HIGH) for f in findings if not f.code.startswith("positive.")
    )
    if deal.is_open and not serious:
        # the freshest signals first: last week's booked meeting matters more than September's security review
        signals = sorted(
            (f for f in findings if f.code.startswith("positive.") and f.code in INTENT), key=_latest, reverse=True
        )
        for finding in signals[:MAX_SIGNAL_ACTIONS]:
            action = _action(deal, finding, rulebook, used, as_of, Severity.HIGH, codes)  # "within the week"
            if action is not None:
                actions.append(action)
    dues = paced([a.due for a in actions], as_of, deal.close_date if deal.is_open else None)
    return [a if a.due == due else a.model_copy(update={"due": due}) for a, due in zip(actions, dues, strict=True)]


MAX_SIGNAL_ACTIONS = 2


def low_touch_tier(deal: Deal, findings: list[Finding]) -> Finding | None:
    """The ``account.tier`` finding of an open tier-4 deal (self-serve, partner or disqualify), else None."""
    if not deal.is_open:
        return None
    return next((f for f in findings if f.code == "account.tier" and f.data.get("tier") == 4), None)


_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _when(line: str) -> str:
    """The date an evidence line starts with ("2026-11-24 call with …"); dates inside the quote don't count."""
    match = _DATE.match(line)
    return match.group(0) if match else ""


def _latest(finding: Finding) -> str:
    """The latest activity date in a finding's evidence ('' when none)."""
    return max((_when(line) for line in finding.evidence), default="")


def _action(
    deal: Deal,
    finding: Finding,
    rulebook: Rulebook,
    used: set[tuple[str, str]],
    as_of: Any,
    urgency: Severity,
    codes: dict[str, Finding],
) -> NextAction | None:
    choice = _best_step(finding, rules_for(finding, rulebook), used, deal, codes)
    if choice is None:
        return None
    rule, step = choice
    used.add((rule.id, step))
    contact = None if internal(step) else _contact(deal, finding)
    why = finding.title + (f" ({detail})" if (detail := _detail(finding)) else "")
    return NextAction(
        action=personalise(fill(fit_stage(step, deal.stage), deal, finding), deal),
        owner=deal.owner or "AE (you)",
        contact=label(contact) if contact else None,
        due=due_date(urgency, as_of, deal.close_date if deal.is_open else None),
        why=why,
        rule_id=rule.id,
        finding_codes=[finding.code],
    )


def _detail(finding: Finding) -> str:
    """The first evidence line that adds to the title: "meddpicc.metrics: partial, grade 1" restates
    "Metrics rep-asserted…", and "one live contact: Jordan Miles" restates "…one contact: Jordan Miles"."""
    for line in finding.evidence:
        if not line.startswith(f"{finding.code}:") and line.split(": ", 1)[-1] not in finding.title:
            return line
    return ""


def _contact(deal: Deal, finding: Finding) -> Any:
    """The buyer-side person for a finding's action: the person it names (a late stakeholder), else by role."""
    names = finding.data.get("names")
    if finding.code == "momentum.late_stakeholder" and isinstance(names, list):
        named = next((s for s in deal.stakeholders if s.name in names), None)
        if named is not None:
            return named
    if finding.code.startswith("positive.") and finding.evidence:
        # the person who gave the signal: "2026-11-17 call with Sofia Mendes: …" -> Sofia Mendes
        line = max(finding.evidence, key=_when)
        present = [(line.find(s.name), s) for s in deal.stakeholders if s.name in line.split(":", 1)[0]]
        if present:
            return min(present, key=lambda item: item[0])[1]
    return contact_for(deal, finding.code)


MAX_REVIEW_QUESTIONS = 3
"""Deal-review questions for the AE: a manager asks a few pointed ones, not a questionnaire."""


def questions(deal: Deal, findings: list[Finding], rulebook: Rulebook) -> list[Question]:
    """Questions from the rules behind the worst findings.

    Buyer questions (the two that fit each finding best, at most :data:`MAX_QUESTIONS`) are addressed
    to the person the deal names in the relevant role, or in the role a ``To the economic buyer:``
    bullet names. ``Deal review:`` bullets are a manager's questions to the AE: they come after the
    buyer questions with role ``ae`` and no stakeholder, never addressed to anyone on the buyer's side.
    """
    buyer: list[Question] = []
    review: list[Question] = []
    seen: set[str] = set()
    proposal_out = pricing_out(deal)
    limit = LOW_TOUCH_QUESTIONS if low_touch_tier(deal, findings) else MAX_QUESTIONS
    for finding in ranked(findings):
        if finding.severity is Severity.INFO or finding.code.startswith("positive."):
            continue
        candidates = _best_questions(finding, rules_for(finding, rulebook), seen, proposal_out)
        for rule, text, audience in [c for c in candidates if c[2] != "ae"][:2]:
            if len(buyer) < limit:
                seen.add(text)
                buyer.append(_buyer_question(deal, finding, rule, text, audience))
        for rule, text, _ in [c for c in candidates if c[2] == "ae"][:1]:
            if len(review) < MAX_REVIEW_QUESTIONS:
                seen.add(text)
                review.append(Question(question=fill(text, deal, finding), role="ae", rule_id=rule.id))
    if not buyer and deal.is_open:
        buyer = _keep_it_healthy(deal, findings, rulebook, seen)
    return buyer + review


HEALTHY_QUESTIONS = 3
CLOSING_RULES = ("pipeline-commit-gate", "deal-mutual-action-plan")
"""A healthy deal at proposal or closing is kept on track by the questions that confirm the path to
signature: the Commit gate's and the mutual action plan's, taken in turn, each rule's in its author's order."""
_EARLY_SOURCES = ("stage.next_gate", "competition.positioning", "positive.")


def _keep_it_healthy(deal: Deal, findings: list[Finding], rulebook: Rulebook, seen: set[str]) -> list[Question]:
    """An open deal with nothing wrong still gets a few questions (at most :data:`HEALTHY_QUESTIONS`). Late
    in the cycle, the path to signature (:data:`CLOSING_RULES`); earlier, the next gate's, the competitive
    situation's, then the positive signals' rules. A deal is kept healthy by confirming what gets it
    signed, not by going quiet."""
    picked: list[Question] = []
    if _value(deal.stage) in ("proposal", "closing"):
        contact = contact_for(deal, "anti.hoping_not_controlling")  # the champion, who runs the plan inside
        queues = [
            [(rule, text) for text, audience in map(parse_question, rule.questions) if audience is None]
            for rule in (rulebook[i] for i in CLOSING_RULES if i in rulebook)
        ]
        for rule, text in (pair for turn in zip_longest(*queues) for pair in turn if pair):
            if text not in seen and len(picked) < HEALTHY_QUESTIONS:
                seen.add(text)
                picked.append(Question(
                    question=personalise(fill(text, deal), deal),
                    stakeholder=contact.name if contact else None,
                    role=_value(contact.role) if contact else None,
                    rule_id=rule.id,
                ))  # fmt: skip
        return picked
    for source in _EARLY_SOURCES:
        for finding in (f for f in findings if f.code.startswith(source)):
            for rule, text, audience in _best_questions(finding, rules_for(finding, rulebook), seen)[:1]:
                if audience != "ae" and len(picked) < HEALTHY_QUESTIONS:
                    seen.add(text)
                    picked.append(_buyer_question(deal, finding, rule, text, audience))
    return picked


def _buyer_question(deal: Deal, finding: Finding, rule: Rule, text: str, audience: str | None) -> Question:
    person = contact_for(deal, finding.code)
    role = str(getattr(person.role, "value", person.role)) if person else None
    if audience == "new_stakeholder" and finding.data.get("names"):
        named = next((s for s in deal.stakeholders if s.name == finding.data["names"][0]), None)
        person, role = named, str(getattr(named.role, "value", named.role)) if named else None
    elif audience:
        person, role = person_in_role(deal, audience), audience
    return Question(
        question=personalise(fill(text, deal, finding), deal),
        stakeholder=person.name if person else None,
        role=role,
        rule_id=rule.id,
    )


def _best_questions(
    finding: Finding, rules: list[Rule], seen: set[str], proposal_out: bool = False
) -> list[tuple[Rule, str, str | None]]:
    """The rules' questions for a finding, best first.

    First the questions that name what the finding's code is about ("[competitor] is back" for
    ``momentum.competitor_late``), then the most specific rule's (:func:`rules_for`), then those closest
    to the finding's title. Evidence lines are not matched: they quote activities ("2026-11-21 meeting
    with…"), and matching on them put "We've moved this meeting twice" under a late competitor. A rule
    covering many signals (the danger-signals catalogue) contributes only questions that share a word
    with the finding; a question for before the proposal is dropped once pricing is out.
    """
    topic = _words(finding.code.split(".", 1)[-1].replace("_", " "))
    words = topic | _words(finding.title)
    scored = []
    for r_index, rule in enumerate(rules):
        catalogue = len(rule.triggers) >= CATALOGUE_TRIGGERS
        for q_index, raw in enumerate(rule.questions):
            text, audience = parse_question(raw)
            qwords = _words(text)
            overlap = len(words & qwords)
            if not text or text in seen or (catalogue and not overlap):
                continue
            if (proposal_out and _PRE_PROPOSAL.search(text)) or (audience == "ae" and about_the_pipeline(text)):
                continue
            scored.append(((not topic & qwords, r_index, -overlap, q_index), rule, text, audience))
    return [(rule, text, audience) for _, rule, text, audience in sorted(scored, key=lambda item: item[0])]


_PRE_PROPOSAL = re.compile(
    r"\bbefore (?:I|we) (?:put|send|write)\b[^?]*\b(?:proposal|pricing|quote)|\bhappy to talk numbers\b", re.IGNORECASE
)


CATALOGUE_TRIGGERS = 5
"""A rule with this many triggers is a catalogue of signals (deal-danger-signals, deal-positive-signals)."""


def risks(findings: list[Finding]) -> list[Risk]:
    """Every critical, high and medium finding as a risk, worst first."""
    return [
        Risk(title=f.title, severity=f.severity, finding_codes=[f.code], rule_ids=list(f.rules))
        for f in ranked(findings)
        if f.severity in ACTION_SEVERITIES and not f.code.startswith("positive.")
    ]


def headline(deal: Deal, assessment: Any) -> str:
    """One line a sales manager would say: health, the category the evidence supports, the worst problem."""
    name = deal.account + (f" ({deal.name})" if deal.name else "")
    # The problem a manager would raise first: worst severity, then the deal's story before checklist
    # gaps (ae_coach.inspector.priority), not the alphabetically first code.
    worst = next((f for f in ranked(assessment.findings) if f.severity in ACTION_SEVERITIES), None)
    problem = f"biggest problem: {_lower_first(worst.title)}" if worst else "no serious gaps found"
    if not deal.is_open:
        return f"{name}: {_label(deal.stage)}, health {assessment.health}/100; {problem}."
    verdict = f"call it {_label(assessment.recommended_forecast).title()}"
    claimed = deal.forecast_category
    if claimed is not None and _value(claimed) != _value(assessment.recommended_forecast):
        verdict += f", not {_label(claimed).title()}"
    line = f"{name}: health {assessment.health}/100, {verdict}; {problem}."
    if low_touch_tier(deal, list(assessment.findings)) is not None:
        line += " Tier 4: serve it through self-serve or a partner, or disqualify it; not enterprise selling time."
    return line


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _label(x: Any) -> str:
    return _value(x).replace("_", " ")


def _value(x: Any) -> str:
    return str(getattr(x, "value", x))


def compose(deal: Deal, assessment: Any, rulebook: Rulebook) -> CoachingReport:
    """The offline report for a deal and its assessment."""
    findings = list(assessment.findings)
    as_of = assessment.as_of
    return CoachingReport(
        deal_id=deal.id,
        account=deal.account,
        as_of=as_of,
        backend="offline",
        headline=headline(deal, assessment),
        health=Health(score=assessment.health, reasons=list(assessment.health_reasons)),
        forecast=Forecast(category=assessment.recommended_forecast, why_not_commit=list(assessment.why_not_commit)),
        risks=risks(findings),
        next_actions=next_actions(deal, findings, rulebook, as_of),
        questions=questions(deal, findings, rulebook),
        mutual_action_plan=draft_plan(deal, as_of),
    )
