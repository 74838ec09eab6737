"""The comparison statistics against values computed by hand on small tables."""

from __future__ import annotations

import math

import pytest

from ae_coach.eval._stats import (
    bootstrap_ci,
    cases_needed,
    clopper_pearson_upper,
    mcnemar_exact,
    mean_ci,
    paired_stats,
    sd,
    sign_flip_pvalue,
    t_quantile,
    verdict_of,
)


@pytest.mark.parametrize(
    ("b", "c", "expected"),
    [
        (0, 0, 1.0),  # no discordant pairs: nothing to test
        (0, 5, 2 / 32),  # 2 * P(X <= 0), X ~ Bin(5, 1/2)
        (1, 6, 2 * (1 + 7) / 128),  # 2 * P(X <= 1), X ~ Bin(7, 1/2)
        (6, 1, 2 * (1 + 7) / 128),  # symmetric in b and c
        (3, 3, 1.0),  # 2 * 42/64 > 1 is capped
        (2, 8, 2 * (1 + 10 + 45) / 1024),
    ],
)
def test_exact_mcnemar_matches_the_binomial_tail(b: int, c: int, expected: float) -> None:
    assert mcnemar_exact(b, c) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("diffs", "expected"),
    [
        ([1, 1, 1], 2 / 8),  # only all-plus and all-minus reach |sum| = 3
        ([0, 0, 1, 1, 1], 2 / 8),  # zero differences do not change the distribution
        ([1, 1, 1, 1, 1], 2 / 32),
        ([2, 1], 2 / 4),  # sums 3, 1, -1, -3
        ([1, -1], 1.0),
        ([0, 0, 0], 1.0),
    ],
)
def test_sign_flip_test_is_exact_for_small_tables(diffs: list[float], expected: float) -> None:
    assert sign_flip_pvalue(diffs) == pytest.approx(expected)


def test_sign_flip_test_monte_carlo_is_reproducible_and_small_for_a_clear_shift() -> None:
    diffs = [0.5] * 30 + [-0.1] * 5
    p = sign_flip_pvalue(diffs)
    assert p == sign_flip_pvalue(diffs)
    assert p < 0.001


def test_bootstrap_ci_is_a_point_when_every_difference_is_equal() -> None:
    assert bootstrap_ci([0.0] * 12) == (0.0, 0.0)
    assert bootstrap_ci([-0.5] * 3) == (-0.5, -0.5)


def test_bootstrap_ci_brackets_the_mean_and_uses_a_fixed_seed() -> None:
    diffs = [-1.0] * 10 + [0.0] * 10
    low, high = bootstrap_ci(diffs)
    assert (low, high) == bootstrap_ci(diffs)
    assert low < -0.5 < high < 0  # ten of twenty cases dropped: clearly below zero
    # Std error of the mean is 0.5/sqrt(20) ~ 0.112: the 95% interval is about +-0.22 around -0.5.
    assert high - low == pytest.approx(2 * 1.96 * 0.5 / math.sqrt(20), rel=0.2)


def test_cases_needed_from_the_observed_sd() -> None:
    # z(0.975) + z(0.8) = 2.8016; (2.8016 * 0.5 / 0.05)^2 = 784.9 -> 785 cases.
    assert cases_needed(0.0, 0.5, 0.05) == 785
    # Observed drop larger than the margin: the distance to settle is the drop itself.
    assert cases_needed(-0.1, 0.2, 0.05) == math.ceil((2.8015852 * 0.2 / 0.1) ** 2)
    assert cases_needed(0.0, 0.0, 0.05) is None


@pytest.mark.parametrize(
    ("low", "high", "diffs", "verdict"),
    [
        (0.0, 0.0, [0, 0], "unchanged"),
        (0.01, 0.2, [0.1], "improved"),
        (-0.2, -0.01, [-0.1], "regressed"),
        (-0.03, 0.02, [0.01, -0.01], "non-inferior"),
        (-0.2, 0.1, [0.1, -0.2], "inconclusive"),
    ],
)
def test_verdicts(low: float, high: float, diffs: list[float], verdict: str) -> None:
    assert verdict_of(low, high, diffs, margin=0.05) == verdict


def test_paired_stats_on_a_small_table() -> None:
    base = [1.0, 1.0, 1.0, 0.0, 0.5]
    cand = [0.0, 1.0, 1.0, 1.0, 0.5]
    stats = paired_stats(base, cand, [s == 1 for s in base], [s == 1 for s in cand])
    assert stats.n == 5
    assert stats.mean_diff == pytest.approx(0.0)
    assert stats.sd_diff == pytest.approx(sd([-1, 0, 0, 1, 0]))
    assert (stats.discordant_regressed, stats.discordant_improved) == (1, 1)
    assert stats.mcnemar_p == 1.0
    assert stats.permutation_p == 1.0  # [-1, 1]: every sign pattern is at least as extreme as 0
    assert stats.verdict == "inconclusive" and stats.cases_needed is not None


def test_t_quantile_and_clopper_pearson_match_tables() -> None:
    assert t_quantile(0.975, 10) == pytest.approx(2.2281, abs=2e-3)
    assert t_quantile(0.975, 60) == pytest.approx(2.0003, abs=1e-3)
    assert clopper_pearson_upper(0, 60) == pytest.approx(1 - 0.025 ** (1 / 60), rel=1e-6)
    assert clopper_pearson_upper(3, 20) == pytest.approx(0.3789, abs=1e-3)  # R: binom.test(3, 20)


def test_four_broken_and_none_fixed_is_not_a_statistical_regression_at_any_n() -> None:
    # Both exact tests give p = 0.125 for 4 vs 0 discordant cases; the verdict must not say more.
    for n in (10, 40, 80, 400):
        base, cand = [1.0] * n, [0.0] * 4 + [1.0] * (n - 4)
        stats = paired_stats(base, cand, [True] * n, [c == 1 for c in cand])
        assert stats.mcnemar_p == pytest.approx(0.125) and stats.verdict != "regressed", n


def test_a_single_changed_case_never_gives_a_zero_width_interval() -> None:
    low, high = mean_ci([0.0] * 29 + [-1.0])
    assert low < -1 / 30 < high and high > 0


@pytest.mark.parametrize("n", [20, 40, 90])
def test_non_inferior_is_claimed_at_most_at_its_stated_error_rate(n: int) -> None:
    """Simulation: at a true drop of exactly the margin, 'non-inferior' is a false claim; it must be made
    at most 2.5% of the time (one-sided 95% interval), allowing for Monte Carlo error."""
    import numpy as np

    rng = np.random.default_rng(n)
    sims, claims = 300, 0
    for broken, fixed in ((0.10, 0.05), (0.20, 0.15), (0.05, 0.0)):  # each: mean difference -0.05
        for _ in range(sims):
            u = rng.random(n)
            diffs = np.where(u < broken, -1.0, np.where(u < broken + fixed, 1.0, 0.0)).tolist()
            low, high = mean_ci(diffs, resamples=1000)
            claims += verdict_of(low, high, diffs, 0.05, p=1.0) == "non-inferior"
    rate = claims / (3 * sims)
    assert rate <= 0.025 + 2 * math.sqrt(0.025 * 0.975 / (3 * sims)), rate


def test_regressed_is_claimed_at_most_at_its_stated_error_rate_when_nothing_changed() -> None:
    """Simulation: with as many cases breaking as being fixed (true difference 0), 'regressed' is a false
    claim; the interval and the sign-flip test must both agree before it is made (one-sided 2.5%)."""
    import numpy as np

    rng = np.random.default_rng(2026)
    sims, claims = 250, 0
    for n, moved in ((20, 0.2), (40, 0.1), (60, 0.1)):
        for _ in range(sims):
            u = rng.random(n)
            diffs = np.where(u < moved / 2, -1.0, np.where(u < moved, 1.0, 0.0)).tolist()
            low, high = mean_ci(diffs, resamples=1000)
            claims += verdict_of(low, high, diffs, 0.05, p=sign_flip_pvalue(diffs)) == "regressed"
    rate = claims / (3 * sims)
    assert rate <= 0.025 + 2 * math.sqrt(0.025 * 0.975 / (3 * sims)), rate
