"""Comparing two variants (base and candidate) on the same cases, paired by case id.

The primary metric is the per-case score (fraction of expectations passed, averaged over the repeats that
did not error). The gate looks at the holdout split (all cases when the run has none). It fails when:

* any sample errored on either side (model errors and refusals are not scores; they are reported apart);
* the statistical verdict there is ``regressed``;
* in ``strict`` mode, any gate-split case broke, its mean score dropped at all, or a case that passed on
  the base no longer exists. ``auto`` is strict when the run is deterministic (offline or replay backend,
  keyword judge, no flaky case): every difference is then exact, not noise.

:attr:`Comparison.verdict` is the one headline every report prints, derived from the gate, so the two can
never disagree: ``errors``, ``regressed`` ("regressed: N cases broken"), ``identical`` (both sides are the
same rules and prompts), ``not measurable offline`` (only the prompts differ and the offline coach does not
read them), else the statistical verdict of the gate split.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ae_coach.eval._results import RunResult
from ae_coach.eval._stats import DEFAULT_MARGIN, SEED, PairedStats, paired_stats

GATE_SPLIT = "holdout"


VERDICT_TEXT = {
    "unchanged": "no difference: every case scored the same on both variants",
    "improved": "improved: the 95% CI of the mean difference lies above zero",
    "regressed": "regressed: the 95% CI of the mean difference lies below zero",
    "non-inferior": "non-inferior: no drop larger than the margin is plausible",
    "inconclusive": "inconclusive: the data cannot tell yet",
}
"""What each verdict means, as every report format words it."""


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
class OneSided:
    """A case that exists in only one side's suites (e.g. exported rule examples of a deleted rule)."""

    id: str
    side: str
    """``base`` (removed in the candidate) or ``candidate`` (new)."""
    split: str
    passed_on_base: bool | None = None


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
    one_sided: list[OneSided] = field(default_factory=list)
    errored: list[str] = field(default_factory=list)
    """Cases with an errored sample on either side: listed, left out of the statistics, and failing the gate."""
    provenance: dict[str, Any] = field(default_factory=dict)
    """Suite files, both sides' fingerprints (rules and prompts dirs, commits, hashes), the seed, backend."""

    @property
    def gate(self) -> PairedStats:
        return self.by_split.get(self.gate_split, self.overall)

    @property
    def strict(self) -> bool:
        return self.gate_mode == "strict" or (self.gate_mode == "auto" and self.deterministic)

    def _in_gate(self, split: str) -> bool:
        return self.gate_split == "all" or split == self.gate_split

    @property
    def broken(self) -> list[CaseDiff]:
        """Gate-split cases that passed on the base and fail on the candidate."""
        return [c for c in self.cases if c.flip == "broken" and self._in_gate(c.split)]

    @property
    def removed(self) -> list[OneSided]:
        """Gate-split cases that passed on the base and do not exist on the candidate."""
        return [o for o in self.one_sided if o.side == "base" and o.passed_on_base and self._in_gate(o.split)]

    @property
    def identical(self) -> bool:
        b, c = self.provenance.get("base") or {}, self.provenance.get("candidate") or {}
        keys = ("rulebook_hash", "prompts_hash")
        return bool(b) and all(b.get(k) and b.get(k) == c.get(k) for k in keys)

    @property
    def prompts_differ(self) -> bool:
        b, c = self.provenance.get("base") or {}, self.provenance.get("candidate") or {}
        return bool(b) and b.get("prompts_hash") != c.get("prompts_hash")

    @property
    def offline(self) -> bool:
        return self.provenance.get("backend") in ("offline", None)

    @property
    def gate_failed(self) -> bool:
        if self.errored:
            return True
        if self.gate.verdict == "regressed":
            return True
        return self.strict and (self.gate.mean_diff < 0 or bool(self.broken) or bool(self.removed))

    @property
    def verdict(self) -> str:
        """The headline: errors | regressed | identical | not measurable offline | the statistical verdict."""
        if self.errored:
            return "errors"
        if self.gate_failed:
            return "regressed"
        if self.identical:
            return "identical"
        if self.offline and self.prompts_differ and self.gate.verdict == "unchanged":
            return "not measurable offline"
        return self.gate.verdict

    @property
    def verdict_text(self) -> str:
        """The headline in words, with the counts that justify it."""
        v = self.verdict
        if v == "errors":
            return (
                f"errors: {len(self.errored)} case(s) had errored samples (model errors, refusals or judge "
                f"failures); they are kept out of the scores and the gate fails until they run cleanly"
            )
        if v == "regressed":
            return "regressed: " + self._regression_counts()
        if v == "identical":
            return "identical: both sides are the same rules and prompts, so no difference is possible"
        if v == "not measurable offline":
            return (
                "not measurable offline: the prompts differ, but the offline coach does not read them; "
                "compare with --backend anthropic (or replay) to see the change"
            )
        return VERDICT_TEXT[v]

    def _regression_counts(self) -> str:
        parts = []
        if self.broken:
            parts.append(f"{len(self.broken)} case(s) broken")
        if self.removed:
            parts.append(f"{len(self.removed)} passing case(s) removed")
        lost = [c for c in self.cases if c.diff < 0 and self._in_gate(c.split) and not c.flip]
        if lost:
            parts.append(f"{len(lost)} case(s) lost expectations")
        if self.gate.verdict == "regressed":
            parts.append("the 95% CI and the sign-flip test both put the mean difference below zero")
        where = "all cases" if self.gate_split == "all" else f"the {self.gate_split} split"
        return f"{', '.join(parts) or 'the mean score fell'} on {where}"

    @property
    def gate_reason(self) -> str:
        if self.gate_failed:
            return self.verdict_text
        return f"verdict {self.gate.verdict}" + (" (strict: no score may drop)" if self.strict else "")

    @property
    def notes(self) -> list[str]:
        """What a reader must know besides the verdict."""
        out = []
        if self.offline and self.prompts_differ and self.verdict != "not measurable offline":
            out.append("the prompts differ too; the offline run cannot see that part of the change")
        if self.one_sided:
            base = sum(o.side == "base" for o in self.one_sided)
            out.append(f"{base} case(s) exist only on the base, {len(self.one_sided) - base} only on the candidate")
        return out

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
        return {
            "base": self.base.variant,
            "candidate": self.candidate.variant,
            "verdict": self.verdict,
            "verdict_text": self.verdict_text,
            "notes": self.notes,
            "gate_split": self.gate_split,
            "gate_failed": self.gate_failed,
            "gate_reason": self.gate_reason,
            "gate_mode": self.gate_mode,
            "deterministic": self.deterministic,
            "margin": self.margin,
            "provenance": self.provenance,
            "overall": asdict(self.overall),
            "by_split": {k: asdict(v) for k, v in self.by_split.items()},
            "cases": [{**asdict(c), "diff": c.diff, "flip": c.flip} for c in self.cases],
            "flipped": [c.id for c in self.flipped],
            "flaky": [c.id for c in self.flaky],
            "errored": self.errored,
            "one_sided": [asdict(o) for o in self.one_sided],
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
    one_sided: list[OneSided] | None = None,
    provenance: dict[str, Any] | None = None,
) -> Comparison:
    """Pair the two runs' cases by id and compute the statistics, overall and per split.

    ``deterministic``: the runs had no sampling noise (see the module docstring); flaky cases undo it.
    Cases with an errored sample on either side are listed in ``errored`` and left out of the pairs.
    """
    before = base.by_id()
    errored = sorted({c.id for c in [*base.cases, *candidate.cases] if c.errors})
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
        if c.id in before and c.id not in errored
    ]
    splits = {d.split for d in diffs}
    by_split = {s: _stats([d for d in diffs if d.split == s], margin) for s in sorted(splits)}
    gate_split = GATE_SPLIT if GATE_SPLIT in splits else "all"
    deterministic = deterministic and not any(d.flaky for d in diffs)
    return Comparison(
        base,
        candidate,
        diffs,
        _stats(diffs, margin),
        by_split,
        gate_split,
        margin,
        deterministic,
        gate_mode,
        one_sided=list(one_sided or []),
        errored=errored,
        provenance={"seed": SEED, **(provenance or {})},
    )
