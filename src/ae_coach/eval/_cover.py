"""``eval cover``: generate cases that make every rule's steps and every trigger observable.

For each rule and each of its triggers, the generator looks for a deal in a pool (the suites' own deal
inputs, ``evals/deals/``, the example deals and ``evals/pool/coverage-patches.yaml``) where that finding
fires and no other trigger of the rule does, and writes a review case that expects the rule cited and
the coaching to say what the rule's step says (a content concept whose terms come from the step's own
words as the review prints them). For each rule it also asks the chat two questions built from the rule's
title and summary and expects the answer to quote the substance of a step.

Every generated case is **verified before it is written**: it passes on the current rules and fails on
the mutant it exists to catch (the rule without that trigger; the rule with its steps gutted). A case
that would pass either way is never written. What could not be covered is returned as gaps.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ae_coach.eval._mutate import GUTTED_STEP, make_mutant

MIN_STEP_CASES = 2
"""Cases per rule that must fail when its steps are gutted."""
MAX_TERMS = 3
_WORD = re.compile(r"[a-z][a-z'-]{4,}")
_GENERIC = frozenset(
    [
        "follow",
        "buyer",
        "buyers",
        "their",
        "there",
        "about",
        "which",
        "would",
        "should",
        "could",
        "every",
        "where",
        "these",
        "those",
        "other",
        "deal",
        "deals",
        "before",
        "after",
        "until",
        "never",
        "always",
        "first",
        "within",
        "agree",
        "agreed",
        "write",
        "written",
    ]
)
POOL_FILE = "pool/coverage-patches.yaml"
CONTEXT_DEAL = {"id": "rule-context", "account": "Example Co", "stage": "validation", "as_of": "2026-11-26"}
"""The deal the generated chat questions are asked about: an open deal with nothing recorded yet."""


@dataclass
class Coverage:
    cases: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    """What no verified case covers: ``rule trigger code`` or ``rule steps (n of 2)``."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def pool(evals_dir: Path) -> list[dict[str, Any]]:
    """Candidate deal inputs (paths relative to ``evals_dir``), without duplicates, in a stable order."""
    from ae_coach.eval._cases import load_cases

    seen: set[str] = set()
    out: list[dict[str, Any]] = []

    def add(entry: dict[str, Any]) -> None:
        key = yaml.safe_dump(entry, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(entry)

    for case in load_cases([evals_dir]):
        if case.input.question is None and isinstance(case.input.deal, str) and not case.input.hide_examples:
            entry: dict[str, Any] = {"deal": case.input.deal}
            if case.input.patch:
                entry["patch"] = case.input.patch
            if case.input.as_of:
                entry["as_of"] = case.input.as_of.isoformat()
            add(entry)
    for path in sorted((evals_dir / "deals").glob("*.yaml")):
        add({"deal": f"deals/{path.name}"})
    examples = evals_dir.parent / "examples" / "deals"
    for path in sorted(examples.glob("*.yaml")) if examples.is_dir() else []:
        add({"deal": f"../examples/deals/{path.name}"})
    extra = evals_dir / POOL_FILE
    if extra.is_file():
        for row in (yaml.safe_load(extra.read_text(encoding="utf-8")) or {}).get("candidates", []):
            add({k: v for k, v in row.items() if k != "id"})
    return out


class _Checker:
    """Runs a candidate case on a variant and says whether it passes (offline, deterministic)."""

    def __init__(self, evals_dir: Path) -> None:
        from ae_coach.eval._runner import Runner, RunOptions

        self.source = str(evals_dir / "rule-coverage.yaml")
        self.runner = Runner(RunOptions(concurrency=1, use_cache=False))

    def case(self, raw: dict[str, Any]) -> Any:
        from ae_coach.eval._cases import Case

        return Case.model_validate({**raw, "suite": "rule-coverage", "source": self.source})

    def passes(self, raw: dict[str, Any], variant: Any) -> bool:
        samples = self.runner.run([self.case(raw)], variant, "cover")
        return all(s["passed"] and not s.get("error") for s in samples)

    def output(self, raw: dict[str, Any], variant: Any) -> str:
        from ae_coach.eval._coach_target import run_coach
        from ae_coach.eval._targets import resolve_deal

        case = self.case(raw)
        return run_coach(case, resolve_deal(case), variant, self.runner.options, 0, self.runner.cache).text or ""


def _idf(rulebook: Any) -> dict[str, float]:
    docs = [set(_words(" ".join(r.steps + r.questions))) for r in rulebook]
    counts = Counter(w for d in docs for w in d)
    return {w: math.log((1 + len(docs)) / (1 + c)) for w, c in counts.items()}


def _terms(text: str, banned: set[str], idf: dict[str, float], said: set[str] | None = None) -> list[str]:
    words = [w for w in dict.fromkeys(_words(text)) if w not in banned and (said is None or w in said)]
    return sorted(words, key=lambda w: -idf.get(w, 0.0))[:MAX_TERMS]


def concept_for(rule: Any, text: str, question: str, idf: dict[str, float]) -> dict[str, Any] | None:
    """A content concept for the first line of ``text`` that says one of ``rule``'s steps or questions.

    For a step, the concept accepts any of the rule's steps (one term group each, the step's rarest words),
    so the coaching may pick another step of the same rule and still pass, while a rule whose steps were
    all replaced by generic text fails. For a question, the group is that question's words.
    """
    banned = set(_words(" ".join([GUTTED_STEP, question, rule.title, rule.summary, " ".join(rule.tags)]))) | _GENERIC
    items = [("action", i, s) for i, s in enumerate(rule.steps, 1)] + [("question", None, q) for q in rule.questions]
    lines = text.splitlines()
    for n, line in enumerate(lines):
        where = _where(line, lines[:n], rule.id)
        if where is None:
            continue
        said = set(_words(line))
        best = max(items, key=lambda item: len(said & set(_words(item[2]))))
        if len(_terms(best[2], banned, idf, said)) < 2:
            continue
        concept: dict[str, Any] = {"where": where}
        if best[1]:
            concept["concept"] = f"Says what one of {rule.id}'s steps says (printed: step {best[1]})"
            groups = [_terms(step, banned, idf) for step in rule.steps]
            groups[best[1] - 1] = _terms(best[2], banned, idf, said)
            concept["one_of"] = [g for g in groups if len(g) >= 2]
            concept["step"] = best[1]
        else:
            concept["concept"] = f"Asks what {rule.id} asks: {best[2][:160]}"
            concept["terms"] = _terms(best[2], banned, idf, said)
        if where != "step":
            concept["rule"] = rule.id
        return concept
    return None


def _where(line: str, before: list[str], rule_id: str) -> str | None:
    """How a line cites the rule: an action or question ending in ``[rule]``, or a step quoted under it."""
    if re.search(r"\[" + re.escape(rule_id) + r"(?:, [\w-]+)*\]\s*$", line):  # first: its step leads the row
        if line.startswith(("Action", "Next step")):
            return "action"
        if line.startswith("Ask"):
            return "question"
        return None
    if re.match(r"^\s+\d+\.\s", line):
        header = next((b for b in reversed(before) if b.startswith("[")), "")
        return "step" if header.startswith(f"[{rule_id}]") else None
    return None


def _mutant(rules_dir: Path, prompts_dir: Path, rule_id: str, tmp: Path, *, drop: str | None = None) -> Any:
    """A variant with the rule's steps gutted, or (``drop``) with one trigger removed."""
    from ae_coach.eval._variant import Variant

    dest = tmp / f"{rule_id}-{drop or 'gut'}"
    if drop is None:
        make_mutant(rules_dir, rule_id, "gut-steps", dest)
    else:
        make_mutant(rules_dir, rule_id, "delete", dest)
        text = (rules_dir / f"{rule_id}.md").read_text(encoding="utf-8")
        (dest / f"{rule_id}.md").write_text(drop_trigger(text, drop), encoding="utf-8")
    return Variant(f"{rule_id} without {drop or 'steps'}", dest, prompts_dir)


def drop_trigger(text: str, code: str) -> str:
    """The rule file's text with one code removed from ``triggers``."""
    end = text.find("\n---", 3)
    front = yaml.safe_load(text[3:end]) or {}
    front["triggers"] = [c for c in front.get("triggers") or [] if c != code]
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000) + text[end + 1 :]


def generate(evals_dir: Path, variant: Any = None, rules: list[str] | None = None) -> Coverage:
    """Verified coverage cases for every rule (or ``rules``); see the module docstring."""
    from ae_coach.eval._targets import resolve_deal
    from ae_coach.eval._variant import working_tree
    from ae_coach.inspector import assess

    variant = variant or working_tree()
    rulebook = variant.rulebook
    checker = _Checker(evals_dir)
    idf = _idf(rulebook)
    candidates = pool(evals_dir)
    fired: list[set[str]] = []
    for entry in candidates:
        deal = resolve_deal(checker.case(_review_case("probe", entry, "x", None)))
        fired.append({f.code for f in assess(deal, deal.as_of, rulebook=rulebook).findings})
    out = Coverage()
    with tempfile.TemporaryDirectory(prefix="ae-coach-cover-") as tmp:
        for rule in rulebook:
            if rules and rule.id not in rules:
                continue
            gutted = _mutant(variant.rules_dir, variant.prompts_dir, rule.id, Path(tmp))
            kills_steps = 0
            for code in rule.triggers:
                dropped = _mutant(variant.rules_dir, variant.prompts_dir, rule.id, Path(tmp), drop=code)
                case = _trigger_case(rule, code, candidates, fired, checker, variant, dropped, gutted, idf)
                if case is None:
                    out.gaps.append(f"{rule.id} trigger {code}")
                    continue
                out.cases.append(case)
                kills_steps += bool(case.pop("_kills_steps"))
            for n, question in enumerate(_questions(rule), 1):
                if kills_steps >= MIN_STEP_CASES:
                    break
                case = _chat_case(rule, n, question, checker, variant, gutted, idf)
                if case is not None:
                    out.cases.append(case)
                    kills_steps += 1
            if kills_steps < MIN_STEP_CASES:
                out.gaps.append(f"{rule.id} steps ({kills_steps} of {MIN_STEP_CASES} cases)")
    return out


def _review_case(case_id: str, entry: dict[str, Any], rule_id: str, concept: dict[str, Any] | None) -> dict[str, Any]:
    expect: dict[str, Any] = {"rules": {"cited": [rule_id]}}
    if concept:
        expect["content"] = {"require": [concept]}
    return {"id": case_id, "target": "coach", "input": dict(entry), "expect": expect}


_CONTENT_TRIES = 40
"""Deals a trigger case tries for one whose review also prints one of the rule's steps (ae-coach default)."""


def _trigger_case(
    rule: Any,
    code: str,
    candidates: list[dict[str, Any]],
    fired: list[set[str]],
    checker: _Checker,
    variant: Any,
    dropped: Any,
    gutted: Any,
    idf: dict[str, float],
) -> dict[str, Any] | None:
    others = set(rule.triggers) - {code}
    case_id = f"cover.{rule.id}.trigger.{code}"
    # Deals where no other trigger of the rule fires first; then any deal where this one does. Either
    # way the case is kept only if dropping this one trigger makes it fail.
    order = sorted(range(len(candidates)), key=lambda i: bool(fired[i] & others))
    fallback = None
    tried = 0
    for entry, codes in ((candidates[i], fired[i]) for i in order):
        if code not in codes or tried >= _CONTENT_TRIES:
            continue
        bare = _review_case(case_id, entry, rule.id, None)
        if not checker.passes(bare, variant) or checker.passes(bare, dropped):
            continue
        tried += 1
        concept = concept_for(rule, checker.output(bare, variant), "", idf)
        case = _review_case(case_id, entry, rule.id, concept) if concept else bare
        if concept and not checker.passes(case, variant):
            case = bare
        case.update(split="holdout", tags=["coverage", "trigger", f"rule:{rule.id}"])
        case["description"] = f"{code} alone makes the review cite {rule.id}" + (
            " and say what its step says" if "content" in case["expect"] else ""
        )
        case["_kills_steps"] = "content" in case["expect"] and not checker.passes(case, gutted)
        if case["_kills_steps"]:
            return case
        fallback = fallback or case  # a case that shows the trigger; go on for one that shows a step too
    if fallback is not None:
        return fallback
    selection = {
        "id": case_id,
        "target": "selection",
        "split": "holdout",
        "tags": ["coverage", "trigger", f"rule:{rule.id}"],
        "description": f"{code} alone gets {rule.id} into the prompt (a budget that admits triggered rules only)",
        "expect": {"rules": {"selected": [rule.id]}},
    }
    for entry, codes in ((candidates[i], fired[i]) for i in order):
        if code in codes:
            # Budget 1: the builder still includes every triggered rule, but no stage-relevant filler, so
            # the rule is selected only if a finding's trigger brings it.
            selection["input"] = {**entry, "budget_tokens": 1}
            if checker.passes(selection, variant) and not checker.passes(selection, dropped):
                return {**selection, "_kills_steps": False}
    return None


def _questions(rule: Any) -> list[str]:
    title = rule.title[0].lower() + rule.title[1:]
    return [
        f"How do I {title.rstrip('.')} on this deal? What exactly should I do?",
        f"{rule.summary} What should I do first?",
        f"What are the steps to {title.rstrip('.')}?",
    ]


def _chat_case(
    rule: Any, n: int, question: str, checker: _Checker, variant: Any, gutted: Any, idf: dict[str, float]
) -> dict[str, Any] | None:
    case: dict[str, Any] = {
        "id": f"cover.{rule.id}.steps.{n}",
        "target": "coach",
        "split": "dev",
        "tags": ["coverage", "steps", "chat", f"rule:{rule.id}"],
        "input": {"deal": dict(CONTEXT_DEAL), "question": question},
        "expect": {"rules": {"cited": [rule.id]}},
    }
    if not checker.passes(case, variant):
        return None
    concept = concept_for(rule, checker.output(case, variant), question, idf)
    if concept is None:
        return None
    case["expect"]["content"] = {"require": [concept]}
    case["description"] = f"The chat answers with the substance of {rule.id}'s steps"
    if not checker.passes(case, variant) or checker.passes(case, gutted):
        return None
    return case


HEADER = """# Generated by `ae-coach eval cover --write` and verified when written: every case passes on the
# rules it was generated from and fails on the mutant it exists to catch (the rule without that trigger;
# the rule with its "How to apply" steps gutted). The content terms are the step's own words as the
# coaching printed them. When a rule's steps change on purpose, regenerate; a case that fails after an
# edit you did not mean as a change of meaning is the suite doing its job.
suite: rule-coverage
"""


def write(coverage: Coverage, path: Path) -> None:
    body = yaml.safe_dump(
        {"cases": coverage.cases}, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None
    )
    gaps = "".join(f"#   {g}\n" for g in coverage.gaps)
    note = f"# Not covered ({len(coverage.gaps)}):\n{gaps}" if coverage.gaps else ""
    path.write_text(HEADER + note + body, encoding="utf-8")
