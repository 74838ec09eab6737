"""The offline coach: a complete review composed from the findings and the rules' own words.

Deterministic and free. Every critical or high finding gets a next action taken from the "How to apply"
steps of a rule that addresses it (the step that best matches the finding), addressed to the person the
deal names in the relevant role and due by a date derived from the severity and the close date.
Questions come from the same rules' "Questions to ask".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ae_coach.coach._people import contact_for, due_date, label, personalise
from ae_coach.coach._plan import draft_plan
from ae_coach.findings import Finding, Severity, sort_findings
from ae_coach.report import CoachingReport, Forecast, Health, NextAction, Question, Risk

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rule, Rulebook

ACTION_SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)
MAX_MEDIUM_ACTIONS = 3
"""Medium findings get actions too, but only the first few: a list of fifteen actions gets none done."""
MAX_QUESTIONS = 8

_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(["the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "your", "you", "their", "they", "is", "are", "be", "by", "it", "this", "that"])


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _finding_words(finding: Finding) -> set[str]:
    text = " ".join([finding.code.replace(".", " ").replace("_", " "), finding.title, *finding.evidence])
    text += " " + " ".join(str(v) for v in finding.data.values() if isinstance(v, (str, list)))
    return _words(text)


def rules_for(finding: Finding, rulebook: Rulebook) -> list[Rule]:
    """The rules that address a finding: the finding's own ``rules``, then any whose triggers name it."""
    ids = list(finding.rules) + [r.id for r in rulebook.by_trigger(finding.code)]
    rules = [rulebook.get(i) for i in dict.fromkeys(ids) if i in rulebook]
    # A rule written for this one problem beats a catalogue rule (danger signals) that names seven.
    return sorted(rules, key=lambda r: len(r.triggers))


def _best_step(finding: Finding, rules: list[Rule], used: set[tuple[str, str]]) -> tuple[Rule, str] | None:
    """The unused step, across the finding's rules, that shares most words with the finding.

    Earlier rules and earlier steps win ties: authors put the most important step first.
    """
    words = _finding_words(finding)
    best, best_key = None, None
    for r_index, rule in enumerate(rules):
        for s_index, step in enumerate(rule.steps):
            if (rule.id, step) in used:
                continue
            key = (-len(words & _words(step)), r_index, s_index)
            if best_key is None or key < best_key:
                best, best_key = (rule, step), key
    return best


def next_actions(deal: Deal, findings: list[Finding], rulebook: Rulebook, as_of: Any) -> list[NextAction]:
    """One action per critical/high finding (and the first few medium ones), each citing a rule."""
    owner = deal.owner or "AE (you)"
    actions: list[NextAction] = []
    used: set[tuple[str, str]] = set()
    mediums = 0
    for finding in sort_findings(findings):
        if finding.severity not in ACTION_SEVERITIES or finding.code.startswith("positive."):
            continue
        if finding.severity is Severity.MEDIUM:
            if mediums >= MAX_MEDIUM_ACTIONS:
                continue
            mediums += 1
        choice = _best_step(finding, rules_for(finding, rulebook), used)
        if choice is None:
            continue
        rule, step = choice
        used.add((rule.id, step))
        contact = contact_for(deal, finding.code)
        why = finding.title + (f" ({finding.evidence[0]})" if finding.evidence else "")
        actions.append(
            NextAction(
                action=personalise(step, deal),
                owner=owner,
                contact=label(contact) if contact else None,
                due=due_date(finding.severity, as_of, deal.close_date if deal.is_open else None),
                why=why,
                rule_id=rule.id,
                finding_codes=[finding.code],
            )
        )
    return actions


REVIEW_PREFIX = "Deal review:"
"""Rules mark questions a manager asks the AE (not the buyer) with this prefix."""


def questions(deal: Deal, findings: list[Finding], rulebook: Rulebook) -> list[Question]:
    """Questions from the rules behind the worst findings (the two that fit each finding best),
    addressed to the person the deal names in the relevant role. Buyer questions come before the
    rules' deal-review questions, which are for the AE (role ``ae``)."""
    out: list[Question] = []
    seen: set[str] = set()
    for finding in sort_findings(findings):
        if finding.severity is Severity.INFO or finding.code.startswith("positive."):
            continue
        person = contact_for(deal, finding.code)
        role = str(getattr(person.role, "value", person.role)) if person else None
        for rule, text, for_ae in _best_questions(finding, rules_for(finding, rulebook), seen)[:2]:
            seen.add(text)
            out.append(Question(
                question=personalise(text, deal),
                stakeholder=None if for_ae or person is None else person.name,
                role="ae" if for_ae else role,
                rule_id=rule.id,
            ))
        if len(out) >= MAX_QUESTIONS:
            break
    return out[:MAX_QUESTIONS]


def _best_questions(finding: Finding, rules: list[Rule], seen: set[str]) -> list[tuple[Rule, str, bool]]:
    words = _finding_words(finding)
    scored = []
    for r_index, rule in enumerate(rules):
        for q_index, raw in enumerate(rule.questions):
            for_ae = raw.strip().startswith(REVIEW_PREFIX)
            text = raw.strip().removeprefix(REVIEW_PREFIX).strip().strip('"“”').strip()
            if text and text not in seen:
                scored.append(((for_ae, -len(words & _words(text)), r_index, q_index), rule, text, for_ae))
    return [(rule, text, for_ae) for _, rule, text, for_ae in sorted(scored, key=lambda item: item[0])]


def risks(findings: list[Finding]) -> list[Risk]:
    """Every critical, high and medium finding as a risk, worst first."""
    return [
        Risk(title=f.title, severity=f.severity, finding_codes=[f.code], rule_ids=list(f.rules))
        for f in sort_findings(findings)
        if f.severity in ACTION_SEVERITIES and not f.code.startswith("positive.")
    ]


def headline(deal: Deal, assessment: Any) -> str:
    """One line a sales manager would say: health, the category the evidence supports, the worst problem."""
    name = deal.account + (f" ({deal.name})" if deal.name else "")
    worst = next((f for f in sort_findings(assessment.findings) if f.severity in ACTION_SEVERITIES), None)
    problem = f"biggest problem: {_lower_first(worst.title)}" if worst else "no serious gaps found"
    if not deal.is_open:
        return f"{name}: {_label(deal.stage)}, health {assessment.health}/100; {problem}."
    verdict = f"call it {_label(assessment.recommended_forecast).title()}"
    claimed = deal.forecast_category
    if claimed is not None and _value(claimed) != _value(assessment.recommended_forecast):
        verdict += f", not {_label(claimed).title()}"
    return f"{name}: health {assessment.health}/100, {verdict}; {problem}."


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
