"""Comparing two variants (base and candidate) on the same cases, paired by case id.

The primary metric is the per-case score (fraction of expectations passed, averaged over repeats). The
gate looks at the holdout split (all cases when the run has none). It fails when the statistical verdict
there is ``regressed``; in ``strict`` mode it also fails when the holdout mean score drops at all. ``auto``
is strict when the run is deterministic (offline or replay backend, keyword judge, no flaky case): then
every score difference is exact, not noise, and a lost expectation is a regression of this suite even when
too few cases moved for the bootstrap interval to exclude zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ae_coach.eval._results import RunResult
from ae_coach.eval._stats import DEFAULT_MARGIN, PairedStats, paired_stats

GATE_SPLIT = "holdout"


@dataclass
class CaseDiff:
    id: str
    split: str
    base_score: float
    candidate_score: float
    base_passed: bool
    candidate_passed: bool
    flaky: bool
    """The case's repeats disagreed on either variant."""
    changed_items: list[str] = field(default_factory=list)
    """Expectations whose pass rate differs between the variants, e.g. ``rule.cited:deal-economic-buyer``."""

    @property
    def diff(self) -> float:
        return self.candidate_score - self.base_score

    @property
    def flip(self) -> str | None:
        """``fixed`` (failed on base, passes now), ``broken`` (the reverse) or None."""
        if self.base_passed == self.candidate_passed:
            return None
        return "fixed" if self.candidate_passed else "broken"


@dataclass
class Comparison:
    base: RunResult
    candidate: RunResult
    cases: list[CaseDiff]
    overall: PairedStats
    by_split: dict[str, PairedStats]
    gate_split: str
    margin: float = DEFAULT_MARGIN
    deterministic: bool = False
    gate_mode: str = "auto"

    @property
    def gate(self) -> PairedStats:
        return self.by_split.get(self.gate_split, self.overall)

    @property
    def strict(self) -> bool:
        return self.gate_mode == "strict" or (self.gate_mode == "auto" and self.deterministic)

    @property
    def gate_failed(self) -> bool:
        return self.gate.verdict == "regressed" or (self.strict and self.gate.mean_diff < 0)

    @property
    def gate_reason(self) -> str:
        if self.gate.verdict == "regressed":
            return "the 95% CI of the mean score difference lies below zero"
        if self.gate_failed:
            lost = [c.id for c in self.cases if c.diff < 0 and (self.gate_split == "all" or c.split == self.gate_split)]
            return (
                f"deterministic run: the mean score fell by {-self.gate.mean_diff * 100:.1f} points "
                f"({len(lost)} case(s) lost expectations: {', '.join(lost[:5])}{'...' if len(lost) > 5 else ''})"
            )
        return f"verdict {self.gate.verdict}" + (" (strict: no score may drop)" if self.strict else "")

    @property
    def flipped(self) -> list[CaseDiff]:
        return [c for c in self.cases if c.flip]

    @property
    def flaky(self) -> list[CaseDiff]:
        return [c for c in self.cases if c.flaky]

    @property
    def changed(self) -> list[CaseDiff]:
        return [c for c in self.cases if c.diff != 0]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "base": self.base.variant,
            "candidate": self.candidate.variant,
            "gate_split": self.gate_split,
            "gate_failed": self.gate_failed,
            "gate_reason": self.gate_reason,
            "gate_mode": self.gate_mode,
            "deterministic": self.deterministic,
            "margin": self.margin,
            "overall": asdict(self.overall),
            "by_split": {k: asdict(v) for k, v in self.by_split.items()},
            "cases": [{**asdict(c), "diff": c.diff, "flip": c.flip} for c in self.cases],
            "flipped": [c.id for c in self.flipped],
            "flaky": [c.id for c in self.flaky],
            "totals": {"base": self.base.totals, "candidate": self.candidate.totals},
        }


def _changed_items(base: Any, cand: Any) -> list[str]:
    before = {(i["kind"], i["name"]): i["pass_rate"] for i in base.items}
    after = {(i["kind"], i["name"]): i["pass_rate"] for i in cand.items}
    return [f"{k}:{n}" for (k, n) in sorted(before.keys() | after.keys()) if before.get((k, n)) != after.get((k, n))]


def _stats(diffs: list[CaseDiff], margin: float) -> PairedStats:
    return paired_stats(
        [d.base_score for d in diffs],
        [d.candidate_score for d in diffs],
        [d.base_passed for d in diffs],
        [d.candidate_passed for d in diffs],
        margin=margin,
    )


def compare_results(
    base: RunResult,
    candidate: RunResult,
    *,
    margin: float = DEFAULT_MARGIN,
    deterministic: bool = False,
    gate_mode: str = "auto",
) -> Comparison:
    """Pair the two runs' cases by id and compute the statistics, overall and per split.

    ``deterministic``: the runs had no sampling noise (see the module docstring); flaky cases undo it.
    """
    before = base.by_id()
    diffs = [
        CaseDiff(
            c.id,
            c.split,
            before[c.id].score,
            c.score,
            before[c.id].passed,
            c.passed,
            c.flaky or before[c.id].flaky,
            _changed_items(before[c.id], c),
        )
        for c in candidate.cases
        if c.id in before
    ]
    splits = {d.split for d in diffs}
    by_split = {s: _stats([d for d in diffs if d.split == s], margin) for s in sorted(splits)}
    gate_split = GATE_SPLIT if GATE_SPLIT in splits else "all"
    deterministic = deterministic and not any(d.flaky for d in diffs)
    return Comparison(
        base, candidate, diffs, _stats(diffs, margin), by_split, gate_split, margin, deterministic, gate_mode
    )
