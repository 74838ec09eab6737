"""From samples to per-case results and run totals.

A case's score is the mean of its repeats' scores (each the fraction of expectations passed); its pass
rate is the fraction of repeats that passed every expectation; it counts as passed when that rate is at
least one half, and as flaky when its repeats disagree. A sample that ended in an error (a model error,
a refusal, a judge that did not answer) is kept out of the score: it is no evidence about quality. It is
counted and listed instead, and a case whose every sample errored is ``errored`` and has no score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ae_coach.eval._cases import Case
from ae_coach.eval._stats import mean


@dataclass
class CaseResult:
    id: str
    suite: str
    split: str
    tags: list[str]
    target: str
    score: float
    pass_rate: float
    passed: bool
    flaky: bool
    errors: list[str]
    items: list[dict[str, Any]]
    """One entry per expectation: kind, name, pass_rate, and the first failing detail."""
    metrics: dict[str, float] = field(default_factory=dict)
    repeats: int = 1
    errored: bool = False
    """Every sample ended in an error: the case has no score and is left out of means and comparisons."""
    output: str | None = None
    """The first sample's output (as logged, cut to the log's length), for exports and reports that show it."""
    seconds: float = 0.0


@dataclass
class RunResult:
    """Every case's result on one variant, with totals."""

    variant: str
    cases: list[CaseResult]
    options: dict[str, Any] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)
    judgement: Any = None
    """A JudgementReport (``eval run --judgement LABELS``), printed with the run's report."""

    def by_id(self) -> dict[str, CaseResult]:
        return {c.id: c for c in self.cases}

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]


def summarize_case(case: Case, samples: list[dict[str, Any]]) -> CaseResult:
    clean = [s for s in samples if not s.get("error")]
    passes = [bool(s["passed"]) for s in clean]
    scores = [float(s["score"]) for s in clean]
    pass_rate = mean([1.0 if p else 0.0 for p in passes])
    metrics: dict[str, list[float]] = defaultdict(list)
    for s in samples:
        for name, value in (s.get("metrics") or {}).items():
            metrics[name].append(value)
    return CaseResult(
        id=case.id,
        suite=case.suite,
        split=case.split,
        tags=case.tags,
        target=case.target or "",
        score=mean(scores),
        pass_rate=pass_rate,
        passed=bool(clean) and pass_rate >= 0.5 and len(clean) == len(samples),
        flaky=len(set(passes)) > 1 or len(set(scores)) > 1,
        errors=[s["error"] for s in samples if s.get("error")],
        items=_items(clean or samples),
        metrics={k: mean(v) for k, v in metrics.items()},
        repeats=len(samples),
        errored=not clean,
        output=next((s.get("output") for s in samples if s.get("output")), None),
        seconds=sum(float(s.get("seconds") or 0.0) for s in samples),
    )


def _items(samples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for s in samples:
        for item in s.get("items") or []:
            row = rows.setdefault(
                (item["kind"], item["name"]),
                {"kind": item["kind"], "name": item["name"], "passes": 0, "n": 0, "detail": ""},
            )
            row["n"] += 1
            row["passes"] += 1 if item["passed"] else 0
            if not item["passed"] and not row["detail"]:
                row["detail"] = item.get("error") or item.get("detail") or ""
    return [
        {"kind": r["kind"], "name": r["name"], "pass_rate": r["passes"] / r["n"], "detail": r["detail"]}
        for r in rows.values()
    ]


def summarize(
    variant: str, cases: list[Case], samples: list[dict[str, Any]], options: dict[str, Any] | None = None
) -> RunResult:
    by_case: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in samples:
        by_case[s["case"]].append(s)
    results = [summarize_case(c, by_case[c.id]) for c in cases if by_case.get(c.id)]
    return RunResult(variant, results, options or {}, totals(results, samples))


def totals(results: list[CaseResult], samples: list[dict[str, Any]]) -> dict[str, Any]:
    usage: dict[str, int] = defaultdict(int)
    for s in samples:
        for source in ("usage", "judge_usage"):
            for k, v in (s.get(source) or {}).items():
                usage[k] += int(v)
    costs = [s["cost_usd"] for s in samples if s.get("cost_usd") is not None]
    scored = [c for c in results if not c.errored]
    out: dict[str, Any] = {
        "cases": len(results),
        "passed": sum(c.passed for c in results),
        "mean_score": mean([c.score for c in scored]),
        "pass_rate": mean([c.pass_rate for c in scored]),
        "samples": len(samples),
        "errors": sum(1 for s in samples if s.get("error")),
        "errored_cases": [c.id for c in results if c.errors],
        "flaky": sum(c.flaky for c in results),
        "cached_samples": sum(1 for s in samples if s.get("cached")),
        "tokens": dict(usage),
        "cost_usd": round(sum(costs), 6) if costs else None,
    }
    for split in ("dev", "holdout"):
        part = [c for c in results if c.split == split]
        if part:
            out[f"{split}_mean_score"] = mean([c.score for c in part if not c.errored])
            out[f"{split}_passed"] = sum(c.passed for c in part)
            out[f"{split}_cases"] = len(part)
    for metric in ("recall", "precision"):
        values = [c.metrics[metric] for c in results if metric in c.metrics]
        if values:
            out[f"selection_{metric}"] = mean(values)
    return out
