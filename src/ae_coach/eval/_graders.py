"""Grading one output against a case's expectations: deterministic checks first, then the judge.

Every expectation becomes one item ``{kind, name, passed, detail, error}``; the sample's score is the
fraction that passed and the sample passes when all did. A judge error is recorded as an error and
counts as not passed.
"""

from __future__ import annotations

import re
from typing import Any

from ae_coach.eval._cases import Case, Check, Concept
from ae_coach.eval._targets import Output


def _item(kind: str, name: str, passed: bool | None, detail: str = "", error: str | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "passed": bool(passed) if error is None else False,
        "detail": detail,
        "error": error,
    }


def grade_deterministic(case: Case, out: Output, *, judge_content: bool = False) -> list[dict[str, Any]]:
    """Findings, rule selection and citation, text checks, and content concepts (unless a judge grades them)."""
    exp, items = case.expect, []
    fired = set(out.findings or [])
    items += [
        _item("finding.fire", c, c in fired, "fired" if c in fired else "did not fire") for c in exp.findings.fire
    ]
    items += [
        _item("finding.quiet", c, c not in fired, "fired (false alarm)" if c in fired else "quiet")
        for c in exp.findings.quiet
    ]
    chosen = set(out.selected or [])
    items += [
        _item("rule.selected", r, _any(r, chosen), "selected" if _any(r, chosen) else "not selected")
        for r in exp.rules.selected
    ]
    items += [
        _item("rule.not_selected", r, not _any(r, chosen), "selected" if _any(r, chosen) else "not selected")
        for r in exp.rules.not_selected
    ]
    cited = set(out.cited or [])
    items += [
        _item("rule.cited", r, _any(r, cited), "cited" if _any(r, cited) else f"not cited (cited: {sorted(cited)})")
        for r in exp.rules.cited
    ]
    items += [check_text(c, out.text or "") for c in exp.checks]
    if not judge_content:
        items += [check_concept(c, out.text or "", forbid=False) for c in exp.content.require]
        items += [check_concept(c, out.text or "", forbid=True) for c in exp.content.forbid]
    return items


_WHERE: dict[str, re.Pattern[str]] = {
    "action": re.compile(r"^\s*(?:Action\b|Next step\b|Plan\b)"),
    "question": re.compile(r"^\s*(?:Ask\b|-?\s*To the\b|-?\s*For you \(deal review\))"),
    "step": re.compile(r"^\s*\d+\.\s"),
    "risk": re.compile(r"^\s*(?:Risk\b|-?\s*\[(?:critical|high|medium|low|info)\])"),
}


def concept_name(concept: Concept) -> str:
    """The concept's id, else a slug of its wording (usable as a rubric item id)."""
    return concept.id or re.sub(r"[^A-Za-z0-9._-]+", "-", concept.concept[:60]).strip("-.") or "concept"


def _term(term: str, text: str) -> bool:
    alts = [a.strip() for a in term.split("|") if a.strip()]
    return any(re.search(r"(?<![A-Za-z0-9])" + re.escape(a), text, re.IGNORECASE) for a in alts)


def _addressee(line: str) -> str:
    """The part of a line that says who it is for: its head before the first colon, and any (owner …)."""
    head = line.split(":", 1)[0]
    owners = re.findall(r"\((?:owner|with)\b[^)]*\)", line)
    return " ".join([head, *owners])


def concept_lines(concept: Concept, text: str) -> list[str]:
    """The lines of ``text`` that say the concept (see :class:`Concept`)."""
    pattern = _WHERE.get(concept.where)
    out = []
    for line in text.splitlines():
        if pattern is not None and not pattern.search(line):
            continue
        if concept.rule and not re.search(r"\[[^\]]*(?<![\w-])" + re.escape(concept.rule) + r"(?![\w-])", line):
            continue
        if concept.to and not _term(concept.to, _addressee(line)):
            continue
        if any(all(_term(t, line) for t in group) for group in concept.groups()):
            out.append(line)
    return out


def check_concept(concept: Concept, text: str, *, forbid: bool) -> dict[str, Any]:
    lines = concept_lines(concept, text)
    kind = "content.forbid" if forbid else "content.require"
    if forbid:
        return _item(kind, concept_name(concept), not lines, f"said: {lines[0][:200]}" if lines else "not said")
    detail = (
        f"said: {lines[0][:200]}"
        if lines
        else f"no {concept.where} line holds {' or '.join(map(str, concept.groups()))}"
    )
    return _item(kind, concept_name(concept), bool(lines), detail)


def _any(expected: str, present: set[str]) -> bool:
    """``a|b`` names alternatives: any one of them counts."""
    return any(alt.strip() in present for alt in expected.split("|"))


def check_text(check: Check, text: str) -> dict[str, Any]:
    flags = 0 if check.case_sensitive else re.IGNORECASE
    if check.contains is not None:
        ok = re.search(re.escape(check.contains), text, flags) is not None
        return _item("check", check.label, ok, "found" if ok else "not found")
    if check.not_contains is not None:
        ok = re.search(re.escape(check.not_contains), text, flags) is None
        return _item("check", check.label, ok, "absent" if ok else "present")
    if check.regex is not None:
        ok = re.search(check.regex, text, flags | re.MULTILINE) is not None
        return _item("check", check.label, ok, "matched" if ok else "no match")
    if check.not_regex is not None:
        found = re.search(check.not_regex, text, flags | re.MULTILINE)
        return _item("check", check.label, found is None, "no match" if found is None else f"matched: {found.group(0)}")
    words = len(text.split())
    return _item("check", check.label, words <= (check.max_words or 0), f"{words} words")


def selection_metrics(case: Case, out: Output) -> dict[str, float]:
    """Recall of the expected rules; precision of the selection against expected + finding-triggered rules."""
    if out.selected is None:
        return {}
    chosen = set(out.selected)
    metrics: dict[str, float] = {"selected": float(len(chosen))}
    if case.expect.rules.selected:
        expected = case.expect.rules.selected
        metrics["recall"] = sum(1 for r in expected if _any(r, chosen)) / len(expected)
    if chosen:
        relevant = set(out.relevant) | {alt for r in case.expect.rules.selected for alt in r.split("|")}
        metrics["precision"] = len(chosen & relevant) / len(chosen)
    return metrics


def score(items: list[dict[str, Any]]) -> tuple[float, bool]:
    if not items:
        return 0.0, False
    passed = sum(1 for i in items if i["passed"])
    return passed / len(items), passed == len(items)
