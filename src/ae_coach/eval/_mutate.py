"""``eval mutate``: would the suite notice if a rule were damaged the way rule authors damage rules?

For each rule (or a sample) and each mutation kind, a copy of the rules directory is made with that one
rule damaged, the suite runs on it, and the mutant is **killed** when a case that passes on the
unmutated rules fails (or errors) on the mutant, else it **survives**. The score of a kind is
killed / (killed + survived). Mutants that the loader rejects (the tooling, not the suite, noticed) and
mutants identical to the original (a rule without triggers or examples) are listed but not scored.

Kinds (:data:`KINDS`): ``delete`` the rule file; ``empty-triggers`` (``triggers: []``); ``gut-steps``
(every "How to apply" step becomes :data:`GUTTED_STEP`, its ``{for}``/``{when}``/``{scope}``/``{owner}`` markers
kept, so only what the step says changes); ``swap-examples`` (Good and Bad fences swap labels).

Mutants run in worker processes (``workers``); LLM generations and judgements go through the eval cache,
so a mutant whose prompts equal the original's costs nothing.
"""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS: tuple[str, ...] = ("delete", "empty-triggers", "gut-steps", "swap-examples")
SCORED_KINDS: tuple[str, ...] = ("delete", "empty-triggers", "gut-steps")
"""The kinds issue 19 sets a bar for; ``swap-examples`` is reported alongside."""
GUTTED_STEP = "Follow up with the buyer."
DEFAULT_SEED = 19

_STEP = re.compile(r"^(?P<num>\s*\d+\.\s+)(?P<text>.*?)(?P<markers>(?:\s*\{(?:for|when|scope|owner) [^{}]*\})*)\s*$")
_FENCE = re.compile(r"^(?P<tick>```+)\s*(?P<kind>good|bad)\b", re.IGNORECASE)


def mutate_text(text: str, kind: str) -> str | None:
    """The rule file's text after the mutation (None: the file is deleted)."""
    if kind == "delete":
        return None
    if kind == "empty-triggers":
        return _empty_triggers(text)
    if kind == "gut-steps":
        return _gut_steps(text)
    if kind == "swap-examples":
        return _swap_examples(text)
    raise ValueError(f"unknown mutation kind {kind!r}; kinds: {', '.join(KINDS)}")


def _empty_triggers(text: str) -> str:
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    front = yaml.safe_load(text[3:end]) or {}
    if not front.get("triggers"):
        return text
    front["triggers"] = []
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    return "---\n" + dumped + text[end + 1 :]


def _gut_steps(text: str) -> str:
    out, in_steps = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("#"):
            in_steps = line.strip().lower() == "### how to apply"
        elif in_steps and (m := _STEP.match(line.rstrip("\n"))):
            markers = m.group("markers").strip()
            line = f"{m.group('num')}{GUTTED_STEP}{' ' + markers if markers else ''}\n"
        elif in_steps and line.startswith((" ", "\t")) and line.strip():
            continue  # the continuation of a step written over several lines
        out.append(line)
    return "".join(out)


def _swap_examples(text: str) -> str:
    def swap(line: str) -> str:
        m = _FENCE.match(line)
        if m is None:
            return line
        other = "bad" if m.group("kind").lower() == "good" else "good"
        return line[: m.start("kind")] + other + line[m.end("kind") :]

    return "".join(swap(line) for line in text.splitlines(keepends=True))


def make_mutant(rules_dir: Path, rule_id: str, kind: str, dest: Path) -> bool:
    """Copy ``rules_dir`` to ``dest`` with one rule mutated; False when the mutant equals the original."""
    shutil.copytree(rules_dir, dest)
    path = dest / f"{rule_id}.md"
    original = path.read_text(encoding="utf-8")
    mutated = mutate_text(original, kind)
    if mutated is None:
        path.unlink()
        return True
    if mutated == original:
        return False
    path.write_text(mutated, encoding="utf-8")
    return True


@dataclass
class Mutant:
    rule: str
    kind: str
    status: str
    """killed | survived | rejected (the rulebook no longer loads) | equivalent (nothing to mutate)."""
    killed_by: list[str] = field(default_factory=list)
    """Cases that passed on the original rules and fail on this mutant."""
    detail: str = ""


@dataclass
class MutationReport:
    rules_dir: str
    rulebook_hash: str
    suites: list[str]
    cases: int
    baseline_failed: list[str]
    """Cases that already fail on the original rules: they cannot notice anything and are left out."""
    mutants: list[Mutant]
    seed: int | None = None

    def by_kind(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for kind in dict.fromkeys(m.kind for m in self.mutants):
            rows = [m for m in self.mutants if m.kind == kind]
            killed = sum(m.status == "killed" for m in rows)
            survived = [m.rule for m in rows if m.status == "survived"]
            scored = killed + len(survived)
            out[kind] = {
                "killed": killed,
                "survived": survived,
                "rejected": [m.rule for m in rows if m.status == "rejected"],
                "equivalent": [m.rule for m in rows if m.status == "equivalent"],
                "score": killed / scored if scored else None,
            }
        return out

    def by_rule(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for m in self.mutants:
            out.setdefault(m.rule, {})[m.kind] = m.status
        return out

    def failing_kinds(self, minimum: float) -> list[str]:
        return [
            k
            for k, row in self.by_kind().items()
            if k in SCORED_KINDS and row["score"] is not None and row["score"] < minimum
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules_dir": self.rules_dir,
            "rulebook_hash": self.rulebook_hash,
            "suites": self.suites,
            "cases": self.cases,
            "seed": self.seed,
            "baseline_failed": self.baseline_failed,
            "by_kind": self.by_kind(),
            "mutants": [asdict(m) for m in self.mutants],
        }


# --- running ---------------------------------------------------------------------------------------

_WORKER_CASES: dict[tuple[Any, ...], Any] = {}


def _cases(suites: tuple[str, ...], split: str | None, tags: tuple[str, ...]) -> Any:
    key = (suites, split, tags)
    if key not in _WORKER_CASES:
        from ae_coach.eval._cases import filter_cases, load_cases

        _WORKER_CASES[key] = filter_cases(load_cases(list(suites)), split=split, tags=list(tags))
    return _WORKER_CASES[key]


def _passed(cases: Any, variant: Any, options: Any) -> dict[str, bool]:
    from ae_coach.eval._runner import Runner

    samples = Runner(options).run(cases, variant, "mutant")
    out: dict[str, bool] = {}
    for s in samples:
        out[s["case"]] = out.get(s["case"], True) and bool(s["passed"]) and not s.get("error")
    return out


def run_mutant(job: dict[str, Any]) -> Mutant:
    """One mutant, start to finish (runs in a worker process; ``job`` is plain data)."""
    from ae_coach.errors import AeCoachError
    from ae_coach.eval._variant import Variant

    rule, kind = job["rule"], job["kind"]
    cases = _cases(tuple(job["suites"]), job["split"], tuple(job["tags"]))
    with tempfile.TemporaryDirectory(prefix="ae-coach-mutant-") as tmp:
        rules = Path(tmp) / "rules"
        if not make_mutant(Path(job["rules_dir"]), rule, kind, rules):
            return Mutant(rule, kind, "equivalent", detail="nothing to mutate")
        variant = Variant(f"mutant {kind} {rule}", rules, Path(job["prompts_dir"]))
        try:
            _ = variant.rulebook, variant.builder
        except AeCoachError as exc:
            return Mutant(rule, kind, "rejected", detail=str(exc)[:300])
        passed = _passed(cases, variant, job["options"])
    killers = [cid for cid, ok in job["baseline"].items() if ok and not passed.get(cid, False)]
    return Mutant(rule, kind, "killed" if killers else "survived", killers)


def pick_rules(all_ids: list[str], rules: list[str] | None, sample: int | None, seed: int) -> list[str]:
    """The rules to mutate: those named, else a seeded sample of ``sample``, else all."""
    from ae_coach.errors import InputError

    if rules:
        unknown = [r for r in rules if r not in all_ids]
        if unknown:
            raise InputError(f"--rule: no such rule(s): {', '.join(unknown)}")
        return list(rules)
    if sample is not None and sample < len(all_ids):
        return sorted(random.Random(seed).sample(all_ids, sample))
    return list(all_ids)


def run_mutation(
    session: Any,
    *,
    rules: list[str] | None = None,
    kinds: tuple[str, ...] = KINDS,
    sample: int | None = None,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    variant: Any = None,
    on_mutant: Callable[[Mutant], None] | None = None,
) -> MutationReport:
    """Mutate each chosen rule in each way, run the session's suites on every mutant, and report.

    Args:
        session: The suites, filters and run options (``Session``).
        rules: Rule ids to mutate (default: all, or a sample).
        kinds: Mutation kinds (:data:`KINDS`).
        sample: Mutate only this many rules, chosen with ``seed``.
        workers: Worker processes (mutants run in parallel; 1 = in this process).
        variant: The original rules and prompts (default: the working tree).
    """
    from ae_coach.errors import InputError
    from ae_coach.eval._variant import working_tree

    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InputError(f"--kind must be one of {', '.join(KINDS)}, got {', '.join(bad)}")
    variant = variant or working_tree()
    chosen = pick_rules(variant.rulebook.ids, rules, sample, seed)
    cases = session.cases()
    baseline = _passed(cases, variant, session.options)
    jobs = [
        {
            "rule": rule,
            "kind": kind,
            "suites": list(session.suites),
            "split": session.split,
            "tags": list(session.tags),
            "rules_dir": str(variant.rules_dir),
            "prompts_dir": str(variant.prompts_dir),
            "options": session.options,
            "baseline": baseline,
        }
        for rule in chosen
        for kind in kinds
    ]
    mutants = _execute(jobs, workers, on_mutant)
    order = {(j["rule"], j["kind"]): i for i, j in enumerate(jobs)}
    mutants.sort(key=lambda m: order[(m.rule, m.kind)])
    return MutationReport(
        rules_dir=str(variant.rules_dir),
        rulebook_hash=variant.rulebook.content_hash,
        suites=list(session.suites),
        cases=len(cases),
        baseline_failed=[cid for cid, ok in baseline.items() if not ok],
        mutants=mutants,
        seed=seed if sample is not None and not rules else None,
    )


def _execute(jobs: list[dict[str, Any]], workers: int, on_mutant: Callable[[Mutant], None] | None) -> list[Mutant]:
    out: list[Mutant] = []
    if workers <= 1:
        for job in jobs:
            out.append(run_mutant(job))
            if on_mutant:
                on_mutant(out[-1])
        return out
    import multiprocessing

    # spawn: a fresh interpreter per worker, so no lock held by a thread of this process is inherited.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(run_mutant, job) for job in jobs]
        for future in as_completed(futures):
            out.append(future.result())
            if on_mutant:
                on_mutant(out[-1])
    return out


# --- reports ---------------------------------------------------------------------------------------


def mutation_markdown(report: MutationReport) -> str:
    lines = [
        "# Mutation score",
        "",
        f"Rules {report.rules_dir} (rulebook {report.rulebook_hash[:12]}); suites {', '.join(report.suites)}; "
        f"{report.cases} cases" + (f"; sample seed {report.seed}" if report.seed is not None else ""),
        "",
        "| mutation | killed | survived | score | not scored |",
        "|---|---|---|---|---|",
    ]
    for kind, row in report.by_kind().items():
        score = "n/a" if row["score"] is None else f"{row['score'] * 100:.1f}%"
        skipped = len(row["rejected"]) + len(row["equivalent"])
        lines.append(f"| {kind} | {row['killed']} | {len(row['survived'])} | {score} | {skipped} |")
    if report.baseline_failed:
        lines += ["", f"Left out (fail on the original rules): {', '.join(report.baseline_failed)}"]
    survivors = [m for m in report.mutants if m.status == "survived"]
    if survivors:
        lines += ["", "## Survivors", "", "| rule | mutation |", "|---|---|"]
        lines += [f"| {m.rule} | {m.kind} |" for m in survivors]
    lines += ["", "## Per rule", "", "| rule | " + " | ".join(KINDS) + " |", "|---|" + "---|" * len(KINDS)]
    for rule, row in report.by_rule().items():
        lines.append(f"| {rule} | " + " | ".join(row.get(k, "") for k in KINDS) + " |")
    return "\n".join(lines) + "\n"
