"""Eval harness figures: offline suite throughput and the cost of the comparison statistics.

Run: .venv/bin/python benchmarks/bench_eval.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from ae_coach.eval import RunOptions, Session, run_eval
from ae_coach.eval._stats import bootstrap_ci, sign_flip_pvalue

ROOT = Path(__file__).resolve().parent.parent


def bench_suite(concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        session = Session(suites=[str(ROOT / "evals")], runs_dir=Path(tmp), options=RunOptions(concurrency=concurrency))
        start = time.perf_counter()
        result = run_eval(session)
        seconds = time.perf_counter() - start
    n = result.totals["samples"]
    print(
        f"offline suite, {concurrency} thread(s): {n} samples in {seconds:.2f} s ({n / seconds:.0f} samples/s), "
        f"{result.totals['passed']}/{result.totals['cases']} passed"
    )


def bench_stats() -> None:
    rng = random.Random(1)
    for n in (60, 200, 1000):
        diffs = [rng.choice([-1.0, 0.0, 0.0, 0.0, 0.5]) for _ in range(n)]
        start = time.perf_counter()
        bootstrap_ci(diffs)
        boot = time.perf_counter() - start
        start = time.perf_counter()
        sign_flip_pvalue(diffs)
        perm = time.perf_counter() - start
        print(f"n={n}: bootstrap (10,000 resamples) {boot * 1000:.1f} ms, sign-flip test {perm * 1000:.1f} ms")
    small = [1.0] * 16
    start = time.perf_counter()
    sign_flip_pvalue(small)
    print(f"exact sign-flip over 2^16 patterns: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    bench_suite(1)
    bench_suite(4)
    bench_stats()
