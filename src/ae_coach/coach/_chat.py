"""Chat about one deal: the offline answerer and the session (history, slash commands, saving).

The offline answerer retrieves the rule sections that best match the question (BM25 over the rulebook)
and the deal's findings that share words with it, and answers with both, citing rule ids. It is a
librarian with good judgement about what to pull, not a language model, and says so in its answers'
shape: facts first, then the rule text, then one next step.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.coach._offline import _words
from ae_coach.coach._people import contact_for, label, personalise
from ae_coach.findings import Finding, Severity, sort_findings

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rulebook

_NO_MATCH = (
    "No rule matches that question; try naming the problem (champion, budget, competitor, close date), "
    "or /findings to see what ae-coach found."
)
MAX_FACTS = 3
MAX_RULES = 2
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def offline_answer(deal: Deal, assessment: Any, rulebook: Rulebook, question: str) -> str:
    """Answer a question about the deal from its findings and the best-matching rule sections."""
    facts, matched = _relevant_findings(assessment.findings, question)
    specific = bool(_words(question) - _GENERIC)
    hits = rulebook.search(question, k=8) if specific else []
    # A general question ("how is this deal?") is answered from the worst findings' rules; a specific one
    # from the rules that match it, preferring those that address a finding it is about.
    rule_ids = _rank_rules(hits, facts if matched or not specific else [])
    lines = [f"On {deal.account} (as of {assessment.as_of.isoformat()}):"]
    lines += [f"- [{f.severity.value}] {f.title}" + (f" — {f.evidence[0]}" if f.evidence else "") for f in facts]
    if not facts:
        lines.append("- Nothing in ae-coach's inspection of this deal bears directly on that.")
    for rule_id in rule_ids:
        rule = rulebook.get(rule_id)
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
    return ranked[:MAX_RULES]


# Words that appear in every question about a deal and so say nothing about which part of it.
_GENERIC = frozenset(["deal", "doing", "how", "what", "now", "get", "next", "should", "can", "could", "would", "why", "where", "going"])


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
    lists = {"Questions to ask": rule.questions, "Red flags": rule.red_flags, "Anti-patterns": rule.anti_patterns}
    if section == "How to apply" and rule.steps:
        return "\n".join(f"  {i}. {personalise(s, deal)}" for i, s in enumerate(rule.steps[:3], 1))
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


def _next_step(deal: Deal, facts: list[Finding], rule_ids: list[str], rulebook: Rulebook) -> str | None:
    rule = rulebook.get(rule_ids[0]) if rule_ids else None
    if rule is None or not rule.steps:
        return None
    person = contact_for(deal, facts[0].code) if facts else None
    who = f" with {label(person)}" if person else ""
    return f"Next step{who}: {personalise(rule.steps[0], deal)} [{rule.id}]"


# --- history -------------------------------------------------------------------------------------


def ae_coach_home() -> Path:
    """``$AE_COACH_HOME``, default ``~/.ae-coach``."""
    return Path(os.environ.get("AE_COACH_HOME") or Path.home() / ".ae-coach")


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
    data = {"deal": deal.id, "account": deal.account, "saved": dt.datetime.now().isoformat(timespec="seconds"),
            "turns": turns}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
