"""Chat about one deal: the offline answerer and the session (history, slash commands, saving).

The offline answerer retrieves the rule sections that best match the question (BM25 over the rulebook)
and the deal's findings that share words with it, and answers with both, citing rule ids. It is a
librarian with good judgement about what to pull, not a language model, and says so in its answers'
shape: facts first, then the rule text, then one next step.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.coach._chat_facts import (
    SILENCE_WORDS,
    Ask,
    _upcoming,
    topics_for,
    unknown_names,
)
from ae_coach.coach._offline import compose
from ae_coach.coach._people import contact_for, label, personalise
from ae_coach.coach._situation import Situation
from ae_coach.coach._wording import fill, fit_stage, parse_question
from ae_coach.findings import Finding, Severity, sort_findings
from ae_coach.inspector.priority import ranked
from ae_coach.resources import ae_coach_home
from ae_coach.rules.search import expand_query

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rulebook

_NO_MATCH = (
    "No rule matches that question; try naming the problem (champion, budget, competitor, close date), "
    "or /findings to see what ae-coach found."
)
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


MAX_FACTS = 3
MAX_RULES = 2
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def offline_answer(deal: Deal, assessment: Any, rulebook: Rulebook, question: str) -> str:
    """Answer a question about the deal from its own facts, its findings and the best-matching rules.

    A question on a topic a manager recognises (the forecast call, the next meeting, the champion, the
    economic buyer, competition, pricing, the close date, the committee, the paper process, overall
    risk; see :mod:`ae_coach.coach._chat_facts`) is answered from what the deal records on it, the
    findings that bear on it and the rules written for it. Any other question falls back to retrieval
    (BM25 over the rulebook). A name the deal never mentions is called out rather than guessed about.
    """
    topics = (
        topics_for(question, deal) if len(question.split()) <= MAX_TOPIC_WORDS and "\n" not in question.strip() else []
    )
    if not topics:  # no topic, or a pasted note or email: retrieval finds the rule its wording belongs to
        return _retrieval_answer(deal, assessment, rulebook, question)
    ask = Ask(deal, assessment, question, review=lambda: compose(deal, assessment, rulebook))
    every = list(assessment.findings)
    serious = [
        f
        for f in ranked(assessment.findings)
        if f.severity.rank <= Severity.MEDIUM.rank and not f.code.startswith("positive.")
    ]
    # "what's our biggest risk?" names no topic of its own: it is about the deal's worst findings
    codes = {code for t in topics for code in t.codes} or {f.code for f in serious[:MAX_FACTS]}
    facts = [f for f in serious if f.code in codes]
    lines = [f"On {deal.account} (as of {assessment.as_of.isoformat()}), about {' and '.join(t.name for t in topics)}:"]
    lines += _unknown(question, deal)
    lines += ["", "What the deal records:"] + [f"- {fact}" for t in topics for fact in t.facts(ask)]
    if facts:
        lines += ["", "What ae-coach found:"]
        lines += [
            f"- [{f.severity.value}] {f.title}" + (f" — {f.evidence[0]}" if f.evidence else "")
            for f in facts[:MAX_FACTS]
        ]
    named = [r for t in topics for r in t.rules] or [r for f in facts for r in f.rules[:1]]
    rule_ids = _topic_rules([r for r in dict.fromkeys(named) if r in rulebook], rulebook, question)
    # "Jordan stopped replying": news the record does not show yet. Answer it as the silence it is.
    reported_silence = _SILENCE.search(question) and not any(f.code == "momentum.champion_dark" for f in facts)
    if reported_silence and GONE_DARK in rulebook:
        rule_ids = [GONE_DARK, *[r for r in rule_ids if r != GONE_DARK][: MAX_RULES - 1]]
        lines += [
            "",
            "You report a silence the deal record does not show yet: log the unanswered messages and "
            "their dates as activities, so the inspector (and your manager) can see it.",
        ]
    for rule_id in rule_ids:
        rule = rulebook[rule_id]
        steps = _steps_for(rule, deal, question, findings=every, situation=Situation.of(deal, assessment))
        lines += ["", f"[{rule.id}] {rule.title}"] + [f"  {i}. {step}" for i, step in enumerate(steps, 1)]
    if reported_silence and rule_ids and rule_ids[0] == GONE_DARK:
        step = _topic_step(deal, facts, rule_ids, rulebook, question, every)
    elif facts:
        step = _review_step(ask, codes) or _topic_step(deal, facts, rule_ids, rulebook, question, every)
    elif any(t.name == "the next meeting" for t in topics) and (first := _first_action(ask)):
        step = first  # "what should I do this week?" on a deal whose trouble is elsewhere: its top action
    else:  # nothing to fix on this topic: say so rather than prescribe a step the deal has already taken
        upcoming = _upcoming(ask)
        step = "Next step: nothing ae-coach found on this needs fixing; " + (
            f"keep the next dated step on record, {upcoming[0][0].isoformat()}: {upcoming[0][1]}."
            if upcoming
            else "leave your next buyer meeting with a dated, owned next step."
        )
        if any(t.name == "competition" for t in topics):
            step += _situation_risk(every)
    if step:
        lines += ["", step]
    return "\n".join(lines) + "\n"


def _situation_risk(findings: list[Finding]) -> str:
    """The seed's risk for the deal's competitive situation, as a sentence ("" without a positioning finding)."""
    positioning = next((f for f in findings if f.code == "competition.positioning"), None)
    if positioning is None or not positioning.data.get("risk"):
        return ""
    situation = str(positioning.data.get("situation", "")).replace("_", " ")
    return f" The risk to watch in a {situation} deal: {str(positioning.data['risk']).lower()}."


GONE_DARK = "relationship-champion-gone-dark"
_SILENCE = re.compile(SILENCE_WORDS, re.IGNORECASE)
"""The user telling us someone has gone quiet: news, even when the deal record does not show it yet."""

MAX_TOPIC_WORDS = 40
"""Longer input is a pasted deal note or email, not a question: it goes to retrieval."""
STRONG_HIT = 4.0
"""A BM25 score at which the question's own wording clearly belongs to one rule ("a new general counsel
joined at proposal" -> relationship-late-stakeholders), whatever topic its words also touch."""


def _topic_rules(topic_rules: list[str], rulebook: Rulebook, question: str) -> list[str]:
    """The rules a topic answer quotes: a rule the question's wording strongly matches first, then the
    topic's own rules. Weak matches are ignored: "how do I handle the Clari comparison?" matched the
    demo rule on "handle", while the competition topic knows which rules answer it."""
    strong = [h.rule.id for h in rulebook.search(question, k=3) if h.score >= STRONG_HIT]
    return list(dict.fromkeys(strong[:1] + topic_rules))[:MAX_RULES]


def _steps_for(
    rule: Any, deal: Deal, question: str, k: int = 3, findings: Sequence[Finding] = (), situation: Any = None
) -> list[str]:
    """The rule's steps that fit the question and the deal best (its situation, its competitors), fitted
    to the deal; the author's order breaks ties. A challenger deal asking about Clari gets the challenger
    step, not the incumbent one."""
    words = _words(" ".join([question, _v(deal.situation), *(c.name for c in deal.competitors)]))
    words |= set(expand_query(sorted(words)))  # "discount" also finds the step about concessions
    steps = [
        (i, play.text)
        for i, play in enumerate(rule.plays)
        if not _other_situation(play.text, _v(deal.situation))
        and play.scope != "pipeline"
        and (situation is None or situation.allows(play))  # not "If the date has passed" when it has not
    ]
    ranked_steps = sorted(steps, key=lambda item: (-len(words & _words(item[1])), item[0]))
    return [personalise(fill(fit_stage(step, deal.stage), deal), deal) for _, step in ranked_steps[:k]]


_SITUATIONS = ("incumbent", "challenger", "unknown", "displacing")


def _other_situation(step: str, situation: str) -> bool:
    """A step written for another competitive situation ("Incumbent: …" on a challenger deal)."""
    head = step.split(":", 1)[0].strip().lower()
    return head in _SITUATIONS and head != situation


def _topic_step(
    deal: Deal, facts: list[Finding], rule_ids: list[str], rulebook: Rulebook, question: str, findings: list[Finding]
) -> str | None:
    rule = rulebook.get(rule_ids[0]) if rule_ids else None
    steps = _steps_for(rule, deal, question, 1, findings) if rule is not None else []
    if rule is None or not steps:
        return None
    person = contact_for(deal, facts[0].code) if facts else None
    who = f" with {label(person)}" if person else ""
    return f"Next step{who}: {steps[0]} [{rule.id}]"


def _v(x: Any) -> str:
    return str(getattr(x, "value", x))


def _review_step(ask: Ask, codes: set[str]) -> str | None:
    """The offline review's own next action for the topic's findings: already fitted, owned and dated."""
    return _action_line(next((a for a in ask.review().next_actions if set(a.finding_codes) & codes), None))


def _first_action(ask: Ask) -> str | None:
    """The offline review's first next action, whatever finding it answers."""
    return _action_line(next(iter(ask.review().next_actions), None))


def _action_line(action: Any) -> str | None:
    if action is None:
        return None
    who = f" with {action.contact}" if action.contact else ""
    return f"Next step{who}, by {action.due.isoformat()}: {action.action} [{action.rule_id}]"


def _unknown(question: str, deal: Deal) -> list[str]:
    names = unknown_names(question, deal)
    if not names:
        return []
    listed = ", ".join(names)
    note = (
        f"- The deal record does not mention {listed}; ae-coach cannot answer about it from this deal's data. "
        "Add it to the deal (competitors, stakeholders or an activity) and ask again."
    )
    return [note]


def _retrieval_answer(deal: Deal, assessment: Any, rulebook: Rulebook, question: str) -> str:
    """The fallback: rule sections retrieved for the question, with the findings that share its words."""
    if _off_topic(question, deal, rulebook):
        return (
            f"On {deal.account}: nothing in this deal's record or in the rulebook answers that, so ae-coach will "
            "not guess. Ask about the deal (the champion, the economic buyer, competition, pricing, the close "
            "date, the next meeting, the forecast call) or type /findings.\n"
        )
    facts, matched = _relevant_findings(assessment.findings, question)
    specific = bool(_words(question) - _GENERIC)
    hits = rulebook.search(question, k=8) if specific else []
    # A general question ("how is this deal?") is answered from the worst findings' rules; a specific one
    # from the rules that match it, preferring those that address a finding it is about.
    rule_ids = _rank_rules(hits, facts if matched or not specific else [])
    lines = [f"On {deal.account} (as of {assessment.as_of.isoformat()}):"]
    lines += _unknown(question, deal)
    lines += [f"- [{f.severity.value}] {f.title}" + (f" — {f.evidence[0]}" if f.evidence else "") for f in facts]
    if not facts:
        lines.append("- Nothing in the deal record or ae-coach's inspection of it bears directly on that.")
    for rule_id in rule_ids:
        rule = rulebook[rule_id]
        section = next((h.section for h in hits if h.rule.id == rule_id), "How to apply")
        lines += ["", f"[{rule.id}] {rule.title}", _excerpt(rule, section, deal)]
    step = _next_step(deal, facts, rule_ids, rulebook)
    if step:
        lines += ["", step]
    if not rule_ids:
        lines += ["", _NO_MATCH]
    return "\n".join(lines) + "\n"


def _rank_rules(hits: list[Any], facts: list[Finding]) -> list[str]:
    """Rules that match the question, those that also address a relevant finding first."""
    fact_rules = list(dict.fromkeys(r for f in facts for r in f.rules))
    if not hits:
        return fact_rules[:MAX_RULES]
    hit_ids = list(dict.fromkeys(h.rule.id for h in hits))
    ranked = sorted(hit_ids, key=lambda i: (i not in fact_rules, hit_ids.index(i)))
    if fact_rules and not set(ranked[:MAX_RULES]) & set(fact_rules):
        ranked.insert(0, fact_rules[0])
    if hits[0].score >= STRONG_HIT:  # the question's own wording names its rule ("write a good recap")
        ranked = [hits[0].rule.id] + [r for r in ranked if r != hits[0].rule.id]
    return ranked[:MAX_RULES]


_VOCABULARY: dict[str, frozenset[str]] = {}


def _off_topic(question: str, deal: Deal, rulebook: Rulebook) -> bool:
    """Most of the question's content words appear nowhere in the rulebook or the deal ("the weather in
    Seattle"): retrieval would still return its nearest rules, which is noise presented as an answer."""
    key = getattr(rulebook, "content_hash", "") or str(id(rulebook))
    if key not in _VOCABULARY:
        _VOCABULARY.clear()  # one rulebook at a time is enough
        _VOCABULARY[key] = frozenset(w for r in rulebook.rules for w in _words(r.body + " " + r.title))
    known = _VOCABULARY[key] | _words(deal.model_dump_json())
    words = _words(question) - _GENERIC
    return bool(words) and len(words & known) * 2 < len(words)


# Words that appear in every question about a deal and so say nothing about which part of it.
_GENERIC = frozenset(
    ["deal", "doing", "how", "what", "now", "get", "next", "should", "can", "could", "would", "why", "where", "going"]
)


def _relevant_findings(findings: list[Finding], question: str) -> tuple[list[Finding], bool]:
    """The findings the question is about (and True), or the worst findings when none match (and False)."""
    words = _words(question) - _GENERIC
    scored = []
    for f in sort_findings(findings):
        overlap = len(words & _words(" ".join([f.code.replace(".", " ").replace("_", " "), f.title, *f.evidence])))
        if overlap and not f.code.startswith(("account.", "stage.next_gate")):
            scored.append((-overlap, f.severity.rank, f.code, f))
    if not scored:  # a general question ("how is this deal?") gets the worst problems
        return [f for f in sort_findings(findings) if f.severity.rank <= Severity.HIGH.rank][:MAX_FACTS], False
    return [item[-1] for item in sorted(scored, key=lambda s: s[:3])][:MAX_FACTS], True


def _excerpt(rule: Any, section: str, deal: Deal) -> str:
    """The matched section, labelled, in at most a few lines; rule prose is quoted, never paraphrased."""
    questions = [_question_line(q, deal) for q in rule.questions]
    lists = {"Questions to ask": questions, "Red flags": rule.red_flags, "Anti-patterns": rule.anti_patterns}
    if section == "How to apply" and rule.steps:
        steps = [personalise(fill(fit_stage(s, deal.stage), deal), deal) for s in rule.steps[:3]]
        return "\n".join(f"  {i}. {s}" for i, s in enumerate(steps, 1))
    if lists.get(section):
        return f"  {section}:\n" + "\n".join(f"  - {item}" for item in lists[section][:3])
    if section == "Examples" and rule.good_examples():
        example = rule.good_examples()[0]
        body = "\n".join(f"    {line}" for line in example.text.strip().splitlines()[:8])
        return f"  Good {example.caption or 'example'}:\n{body}"
    prose = " ".join(
        line for line in rule.sections.get(section, "").splitlines() if not line.lstrip().startswith(("|", "```"))
    )
    sentences = _SENTENCE.split(" ".join(prose.split()))
    return "  " + " ".join(sentences[:3]) if prose.strip() else f"  {rule.summary}"


def _question_line(raw: str, deal: Deal) -> str:
    """A rule's question for the chat: a deal-review question is marked as one for the AE themself."""
    text, audience = parse_question(raw)
    text = personalise(fill(text, deal), deal)
    if audience == "ae":
        return f"For you (deal review): {text}"
    return f"To the {audience.replace('_', ' ')}: {text}" if audience else text


def _next_step(deal: Deal, facts: list[Finding], rule_ids: list[str], rulebook: Rulebook) -> str | None:
    rule = rulebook.get(rule_ids[0]) if rule_ids else None
    if rule is None or not rule.steps:
        return None
    person = contact_for(deal, facts[0].code) if facts else None
    who = f" with {label(person)}" if person else ""
    # a step about this deal, not the weekly pipeline routine ("check every open deal against…")
    step = next((p.text for p in rule.plays if p.scope != "pipeline"), rule.steps[0])
    step = fill(fit_stage(step, deal.stage), deal, facts[0] if facts else None)
    return f"Next step{who}: {personalise(step, deal)} [{rule.id}]"


# --- history -------------------------------------------------------------------------------------


@dataclass
class ChatHistory:
    """A chat's state: the messages exactly as sent to the model (so the cached prefix stays
    byte-identical turn after turn) and the plain transcript a person reads and ``/save`` writes."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[dict[str, str]] = field(default_factory=list)


def save_history(path: Path | None, deal: Deal, turns: list[dict[str, str]]) -> Path:
    """Write the chat transcript as JSON; default ``$AE_COACH_HOME/chats/<deal>-<timestamp>.json``."""
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", deal.id or deal.account).strip("-") or "deal"
        path = ae_coach_home() / "chats" / f"{safe}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "deal": deal.id,
        "account": deal.account,
        "saved": dt.datetime.now().isoformat(timespec="seconds"),
        "turns": turns,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
