"""The suite's mutation score on the shipped rulebook (issue 19's bar: >= 90% for delete, empty-triggers and
gut-steps), and how long it takes. Minutes on two cores; CI runs one rule only (tests/test_eval_mutate.py).

Run: .venv/bin/python benchmarks/bench_mutation.py [WORKERS] [SAMPLE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ae_coach.eval import Session, mutation_markdown, run_mutation

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":  # worker processes are spawned: they import this module without running it
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else None
    start = time.perf_counter()
    report = run_mutation(Session(suites=[str(ROOT / "evals")]), workers=workers, sample=sample)
    print(mutation_markdown(report))
    print(f"{len(report.mutants)} mutants in {time.perf_counter() - start:.0f} s with {workers} worker(s)")
