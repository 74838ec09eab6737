"""Benchmark: import and review a synthetic 100,000-row Salesforce report export.

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py [--rows 100000] [--keep FILE] [--tracemalloc]

Prints wall time and peak memory for each phase (generate, import, review, render). Target on the CI machine
(2 cores): import + review under 20 s and 1.5 GB. Peak memory is the process's maximum resident set size
(``resource.getrusage``); ``--tracemalloc`` adds Python-heap peaks per phase, at a large cost in speed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

AS_OF = dt.date(2026, 11, 26)
HEADER = [
    "Opportunity Owner", "Account Name", "Opportunity Name", "Type", "Stage", "Amount", "Probability (%)",
    "Forecast Category", "Close Date", "Created Date", "Next Step", "Last Activity", "Opportunity ID",
]  # fmt: skip
STAGES = [
    ("Prospecting", 10, "Pipeline", 22), ("Qualification", 10, "Pipeline", 14), ("Needs Analysis", 20, "Pipeline", 12),
    ("Value Proposition", 50, "Pipeline", 10), ("Id. Decision Makers", 60, "Best Case", 6),
    ("Perception Analysis", 70, "Best Case", 4), ("Proposal/Price Quote", 75, "Best Case", 6),
    ("Negotiation/Review", 90, "Commit", 4), ("Closed Won", 100, "Closed", 10), ("Closed Lost", 0, "Omitted", 12),
]  # fmt: skip
STEPS = ["Discovery call", "Send proposal", "Security review", "CFO meeting", "Legal redlines", "Reference call", ""]


def _us(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    """Write a Salesforce-report-shaped CSV with ``rows`` opportunities (deterministic for a seed)."""
    rng = random.Random(seed)
    owners = [f"Rep {i:02d}" for i in range(40)]
    weights = [s[3] for s in STAGES]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        for i in range(rows):
            stage, probability, category, _ = rng.choices(STAGES, weights)[0]
            created = AS_OF - dt.timedelta(days=rng.randint(5, 400))
            close = created + dt.timedelta(days=rng.randint(20, 240))
            step = rng.choice(STEPS)
            if step and rng.random() < 0.3:
                step = f"{_us(AS_OF + dt.timedelta(days=rng.randint(1, 20)))} {step}"
            last = min(AS_OF, created + dt.timedelta(days=rng.randint(0, 200)))
            writer.writerow([
                rng.choice(owners), f"Account {i % 30011}", f"Opportunity {i}", rng.choice(["New Business", "Existing Business"]),
                stage, f"${rng.randrange(5_000, 400_000, 500):,.2f}", f"{probability}%", category, _us(close), _us(created),
                step, _us(last), f"0065g{i:010d}",
            ])  # fmt: skip
        handle.write('\n"Grand Totals"\n\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n')


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # macOS reports bytes, Linux KiB


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the inspection workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Phase:
    def __init__(self, name: str, traced: bool) -> None:
        self.name, self.traced = name, traced

    def __enter__(self) -> Phase:
        if self.traced:
            tracemalloc.reset_peak()
        self.start, self.cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        seconds, cpu = time.perf_counter() - self.start, _cpu_seconds() - self.cpu
        heap = f", python heap peak {tracemalloc.get_traced_memory()[1] / 2**20:,.0f} MB" if self.traced else ""
        workers = _peak_mb(resource.RUSAGE_CHILDREN)
        kids = f", largest worker {workers:,.0f} MB" if workers > 1 else ""
        print(
            f"{self.name:<10} {seconds:7.2f} s wall {cpu:7.2f} s CPU   peak RSS {_peak_mb():,.0f} MB{kids}{heap}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the synthetic CSV here and keep it")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python heap peaks (slow)")
    parser.add_argument("--jobs", type=int, default=None, help="inspection worker processes (default: automatic)")
    args = parser.parse_args(argv)
    if args.tracemalloc:
        tracemalloc.start()
    from ae_coach.crm import import_csv
    from ae_coach.pipeline import review_pipeline
    from ae_coach.pipeline.render import render_review
    from ae_coach.rules import load_rulebook

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "pipeline.csv"
        with Phase("generate", args.tracemalloc):
            generate(path, args.rows)
        print(f"{args.rows:,} rows, {path.stat().st_size / 2**20:.1f} MB on disk")
        load_rulebook()  # loaded once here so the review phase measures the inspection, not the parse
        started = time.perf_counter()
        with Phase("import", args.tracemalloc):
            result = import_csv(path)
        print(
            f"           {len(result.deals):,} deals, {len(result.warnings):,} warnings, {len(result.skipped):,} skipped"
        )
        with Phase("review", args.tracemalloc):
            review = review_pipeline(result.deals, quota=25_000_000, as_of=AS_OF, jobs=args.jobs)
        total, review_peak = time.perf_counter() - started, _peak_mb()
        print(f"           {review.counts['open']:,} open deals inspected, {len(review.findings)} pipeline findings")
        with Phase("render", args.tracemalloc):
            size = len(render_review(review, "markdown")) + len(render_review(review, "json"))
        print(f"           markdown + json: {size / 2**20:.1f} MB")
    print(
        f"import + review: {total:.2f} s (target < 20 s); peak RSS {review_peak:,.0f} MB (target < 1,500 MB); "
        f"with render {_peak_mb():,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
