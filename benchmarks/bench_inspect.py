"""How long the inspector takes: one deal (median of many runs) and 10,000 synthetic deals.

Run: .venv/bin/python benchmarks/bench_inspect.py [--deals 10000]
Prints figures; asserts nothing (tests never assert timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ae_coach.deal import DEFAULT_MAX_BYTES, Deal, load_deal, parse_deal
from ae_coach.errors import DealFileError
from ae_coach.inspector import assess, inspect
from ae_coach.rules import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["discovery", "scoping", "validation", "proposal", "closing", "closed_won"]
STATUSES = ["confirmed", "partial", "unknown"]
ROLES = ["champion", "economic_buyer", "technical_buyer", "user_buyer", "influencer", "unknown"]
SUMMARIES = [
    "Discovery call on their forecast process",
    "Demo mapped to the Q2 miss",
    "CFO will attend the readout",
    "Let me run this by the board",
    "Pricing agreed",
    "Also evaluating Clari",
    "POC completed",
    "Weekly sync",
]
ELEMENTS = [
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion",
    "competition",
]


def synthetic(rng: random.Random, index: int) -> Deal:
    """A random but plausible deal: 1-6 stakeholders, 2-15 activities, some history."""
    as_of = dt.date(2026, 11, 26)
    people = [f"Person {i}" for i in range(rng.randint(1, 6))]
    data = {
        "id": f"deal-{index}",
        "account": f"Account {index}",
        "amount": rng.choice([8000, 30000, 60000, 120000, 400000]),
        "stage": rng.choice(STAGES),
        "close_date": str(as_of + dt.timedelta(days=rng.randint(-30, 150))),
        "created": str(as_of - dt.timedelta(days=rng.randint(30, 300))),
        "as_of": str(as_of),
        "forecast_category": rng.choice(["pipeline", "best_case", "commit"]),
        "meddpicc": {
            e: {
                "status": rng.choice(STATUSES),
                "evidence": rng.choice([None, "confirmed in an email", "said on a call"]),
            }
            for e in ELEMENTS
        },
        "stakeholders": [
            {
                "name": p,
                "role": rng.choice(ROLES),
                "engaged": rng.random() < 0.7,
                "added": str(as_of - dt.timedelta(days=rng.randint(0, 200))),
            }
            for p in people
        ],
        "activities": [
            {
                "date": str(as_of - dt.timedelta(days=rng.randint(0, 120))),
                "type": rng.choice(["call", "meeting", "demo", "email", "proposal"]),
                "status": rng.choice(["completed"] * 5 + ["rescheduled", "cancelled"]),
                "with": rng.sample(people, k=1),
                "summary": rng.choice(SUMMARIES),
            }
            for _ in range(rng.randint(2, 15))
        ],
        "next_step": rng.choice([None, {"action": "Follow up", "date": str(as_of + dt.timedelta(days=7))}]),
        "history": [
            {
                "date": str(as_of - dt.timedelta(days=40)),
                "field": "close_date",
                "from": "2026-10-31",
                "to": "2026-12-15",
            }
        ]
        * rng.randint(0, 3),
    }
    return parse_deal(data)


def _limit_files(folder: Path) -> dict[str, Path]:
    """Files just under the size limit: a valid deal with many activities, and one full of errors."""
    row = '  - {date: 2026-01-01, type: call, summary: "weekly check-in number %d about the rollout"}\n'
    good = "account: Big\nstage: validation\nactivities:\n"
    i = 0
    while len(good) + len(row) + 10 < DEFAULT_MAX_BYTES:
        good += row % i
        i += 1
    bad = good.replace("type: call", "type: kall")
    files = {"valid deal at the limit": folder / "good.yaml", "error flood at the limit": folder / "bad.yaml"}
    files["valid deal at the limit"].write_text(good, encoding="utf-8")
    files["error flood at the limit"].write_text(bad, encoding="utf-8")
    return files


def _time_loads() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for label, path in _limit_files(Path(folder)).items():
            started = time.perf_counter()
            try:
                load_deal(path)
                outcome = "loaded"
            except DealFileError:
                outcome = "refused"
            print(
                f"load {label} ({path.stat().st_size:,} bytes): {outcome} in {(time.perf_counter() - started) * 1000:.0f} ms"
            )


def _time_imported(rulebook, repeat: int) -> None:
    """``assess`` on typical imported CRM deals (no stakeholders, one 'last activity'): the pipeline's case."""
    from ae_coach.crm import import_csv

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_pipeline import AS_OF, generate

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pipeline.csv"
        generate(path, 2_000)
        deals = [d for d in import_csv(path).deals if d.stage.is_open]
    for deal in deals:
        assess(deal, AS_OF, rulebook=rulebook)  # warm caches
    runs = []
    for _ in range(max(3, repeat // 40)):
        started = time.perf_counter()
        for deal in deals:
            assess(deal, AS_OF, rulebook=rulebook)
        runs.append((time.perf_counter() - started) / len(deals))
    print(
        f"assess an imported CRM deal: best {min(runs) * 1e6:.0f} µs, median {statistics.median(runs) * 1e6:.0f} µs ({len(deals):,} deals x {len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    rulebook = load_rulebook()
    example = ROOT / "examples" / "deals" / "northwind-validation.yaml"
    started = time.perf_counter()
    deal = load_deal(example)
    load_ms = (time.perf_counter() - started) * 1000
    inspect(deal, rulebook=rulebook)  # warm caches (regexes, rule index)
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        assess(deal, rulebook=rulebook)
        runs.append(time.perf_counter() - started)
    print(f"load northwind-validation.yaml: {load_ms:.2f} ms")
    _time_loads()
    print(
        f"assess one deal: median {statistics.median(runs) * 1000:.3f} ms, p95 {sorted(runs)[int(len(runs) * 0.95)] * 1000:.3f} ms ({args.repeat} runs)"
    )

    _time_imported(rulebook, args.repeat)
    rng = random.Random(7)
    started = time.perf_counter()
    deals = [synthetic(rng, i) for i in range(args.deals)]
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    total = sum(len(assess(d, rulebook=rulebook).findings) for d in deals)
    elapsed = time.perf_counter() - started
    print(f"build {args.deals:,} synthetic deals: {build_s:.2f} s")
    print(
        f"assess {args.deals:,} deals: {elapsed:.2f} s ({elapsed / args.deals * 1000:.3f} ms/deal, {args.deals / elapsed:,.0f} deals/s, {total:,} findings)"
    )


if __name__ == "__main__":
    main()
