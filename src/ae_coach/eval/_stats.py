"""Paired statistics for comparing two variants on the same cases.

Every function is deterministic: resampling uses a fixed seed, so the same inputs give the same report.
numpy (installed with bm25s) is imported inside the functions that need it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from statistics import NormalDist

SEED = 20_261_126
"""Seed for every resampling step; fixed so reports are reproducible."""
BOOTSTRAP_RESAMPLES = 10_000
PERMUTATION_SAMPLES = 10_000
EXACT_PERMUTATION_MAX = 16
"""Up to this many non-zero differences the sign-flip test enumerates all 2**m sign patterns."""
DEFAULT_MARGIN = 0.05
"""Non-inferiority margin on the 0-1 case score: a drop of less than 5 points is 'no worse'."""
ALPHA = 0.05
"""Two-sided level of the interval and the tests; 'non-inferior' is a one-sided claim at ALPHA / 2."""


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def sd(values: list[float]) -> float:
    """Sample standard deviation (n - 1); 0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def bootstrap_ci(
    diffs: list[float], *, level: float = 0.95, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = SEED
) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean paired difference, resampling cases with replacement."""
    if not diffs:
        return (0.0, 0.0)
    if min(diffs) == max(diffs):
        return (diffs[0], diffs[0])
    import numpy as np

    data = np.asarray(diffs, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    tail = (1 - level) / 2
    return (float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail)))


def t_quantile(p: float, df: int) -> float:
    """Student t quantile by the Cornish-Fisher expansion (within 0.2% of the exact value for df >= 5)."""
    z = NormalDist().inv_cdf(p)
    if df <= 0:
        return z
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def clopper_pearson_upper(k: int, n: int, level: float = 0.975) -> float:
    """Exact one-sided upper bound on a binomial proportion after ``k`` successes in ``n`` trials."""
    if n == 0 or k >= n:
        return 1.0
    low, high = k / n, 1.0
    for _ in range(60):  # bisection: P(X <= k | p) falls as p rises
        mid = (low + high) / 2
        tail = sum(math.comb(n, i) * mid**i * (1 - mid) ** (n - i) for i in range(k + 1))
        low, high = (mid, high) if tail > 1 - level else (low, mid)
    return high


def mean_ci(
    diffs: list[float], *, level: float = 0.95, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = SEED
) -> tuple[float, float]:
    """The interval the verdict uses: calibrated for the small, lumpy samples eval suites produce.

    The percentile bootstrap alone is too narrow there (in simulation it claimed 'non-inferior' up to
    8% of the time at a true drop of exactly the margin, against a nominal 2.5%), and a sample without
    a single changed case gives it zero width. So: two pseudo-cases (one lost whole case, one gained)
    are added, the wider of the percentile bootstrap and the Student t interval on that is taken, and
    when no case moved up, the low end is at most minus the exact Clopper-Pearson bound on the share of
    cases that fell (scores differ by at most 1; likewise the high end when none fell). tests/test_eval_stats.py checks the error
    rate by simulation.
    """
    if not diffs:
        return (0.0, 0.0)
    n = len(diffs)
    data = [*diffs, -1.0, 1.0]
    m, s = mean(data), sd(data)
    half = t_quantile(1 - (1 - level) / 2, len(data) - 1) * s / math.sqrt(len(data))
    b_low, b_high = bootstrap_ci(data, level=level, resamples=resamples, seed=seed)
    low, high = min(b_low, m - half), max(b_high, m + half)
    tail = 1 - (1 - level) / 2
    # Scores differ by at most 1, so the mean difference is at least minus the share of cases that fell.
    if not any(d > 0 for d in diffs):
        low = min(low, -clopper_pearson_upper(sum(d < 0 for d in diffs), n, tail))
    if not any(d < 0 for d in diffs):
        high = max(high, clopper_pearson_upper(sum(d > 0 for d in diffs), n, tail))
    return (max(-1.0, low), min(1.0, high))


def sign_flip_pvalue(diffs: list[float], *, samples: int = PERMUTATION_SAMPLES, seed: int = SEED) -> float:
    """Two-sided p-value of a paired sign-flip permutation test on the mean difference.

    Under the null each difference is as likely to have either sign. Zero differences never change the
    sum, so only the m non-zero ones are flipped: exactly (all 2**m patterns) when m <= 16, else with
    ``samples`` fixed-seed random patterns, p = (hits + 1) / (samples + 1).
    """
    nonzero = [d for d in diffs if d != 0]
    if not nonzero:
        return 1.0
    observed = abs(sum(nonzero)) - 1e-12
    if len(nonzero) <= EXACT_PERMUTATION_MAX:
        hits = sum(
            1
            for signs in itertools.product((1, -1), repeat=len(nonzero))
            if abs(sum(s * d for s, d in zip(signs, nonzero, strict=False))) >= observed
        )
        return hits / 2 ** len(nonzero)
    import numpy as np

    rng = np.random.default_rng(seed)
    signs = rng.choice((-1.0, 1.0), size=(samples, len(nonzero)))
    hits = int((np.abs(signs @ np.asarray(nonzero)) >= observed).sum())
    return (hits + 1) / (samples + 1)


def mcnemar_exact(b: int, c: int) -> float:
    """Exact McNemar p-value: two-sided binomial test of b vs c discordant pairs at p = 0.5.

    ``b`` = cases that passed on base and failed on candidate, ``c`` = the reverse.
    """
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def cases_needed(
    mean_diff: float, sd_diff: float, margin: float = DEFAULT_MARGIN, *, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Cases a paired test needs to settle the question, from the observed SD (normal approximation).

    While the observed difference is above ``-margin`` the question is non-inferiority, so the distance
    to settle is ``mean + margin``; otherwise it is whether the observed drop is real (``|mean|``).
    None when there is no spread (nothing more to learn) or no distance to resolve.
    """
    if sd_diff == 0:
        return None
    distance = mean_diff + margin if mean_diff > -margin else abs(mean_diff)
    if distance <= 0:
        return None
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    return math.ceil((z * sd_diff / distance) ** 2)


@dataclass(frozen=True)
class PairedStats:
    """The paired comparison of per-case scores (candidate minus base)."""

    n: int
    mean_base: float
    mean_candidate: float
    mean_diff: float
    sd_diff: float
    ci_low: float
    ci_high: float
    permutation_p: float
    discordant_regressed: int
    """Cases that passed on base and fail on the candidate (McNemar's b)."""
    discordant_improved: int
    mcnemar_p: float
    verdict: str
    cases_needed: int | None
    margin: float


def verdict_of(ci_low: float, ci_high: float, diffs: list[float], margin: float, p: float = 0.0) -> str:
    """unchanged | improved | regressed | non-inferior | inconclusive (see docs/evals.md).

    ``improved`` and ``regressed`` need the interval and the sign-flip test (``p``) to agree.
    """
    if all(d == 0 for d in diffs):
        return "unchanged"
    if ci_low > 0 and p < ALPHA:
        return "improved"
    if ci_high < 0 and p < ALPHA:
        return "regressed"
    if ci_low > -margin:
        return "non-inferior"
    return "inconclusive"


def paired_stats(
    base: list[float],
    candidate: list[float],
    base_pass: list[bool],
    cand_pass: list[bool],
    *,
    margin: float = DEFAULT_MARGIN,
) -> PairedStats:
    """All statistics for scores paired by case (same order in every list)."""
    diffs = [c - b for b, c in zip(base, candidate, strict=False)]
    low, high = mean_ci(diffs)
    regressed = sum(1 for b, c in zip(base_pass, cand_pass, strict=False) if b and not c)
    improved = sum(1 for b, c in zip(base_pass, cand_pass, strict=False) if c and not b)
    p = sign_flip_pvalue(diffs)
    verdict = verdict_of(low, high, diffs, margin, p)
    m, s = mean(diffs), sd(diffs)
    return PairedStats(
        n=len(diffs),
        mean_base=mean(base),
        mean_candidate=mean(candidate),
        mean_diff=m,
        sd_diff=s,
        ci_low=low,
        ci_high=high,
        permutation_p=p,
        discordant_regressed=regressed,
        discordant_improved=improved,
        mcnemar_p=mcnemar_exact(regressed, improved),
        verdict=verdict,
        cases_needed=cases_needed(m, s, margin) if verdict == "inconclusive" else None,
        margin=margin,
    )
