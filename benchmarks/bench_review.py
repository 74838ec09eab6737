"""Wall-clock time of ``ae-coach review --backend offline``, start to finish, in fresh processes.

Each run is a new interpreter (as a user would run it), so import time counts. Prints the median and
the spread per output format. Target: median under 0.5 s.

    .venv/bin/python benchmarks/bench_review.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEAL = ROOT / "examples" / "deals" / "northwind-validation.yaml"
CLI = Path(sys.executable).parent / "ae-coach"


def _time(args: list[str], runs: int) -> list[float]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ANTHROPIC_API_KEY", None)
    env.pop("ANTHROPIC_AUTH_TOKEN", None)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(CLI), "review", str(DEAL), "--backend", "offline", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    _time([], 1)  # warm the file cache and .pyc files
    print(f"ae-coach review {DEAL.relative_to(ROOT)} --backend offline, {runs} runs each")
    for fmt in ("terminal", "json", "markdown", "html"):
        times = _time(["--format", fmt], runs)
        print(
            f"  --format {fmt:9} median {statistics.median(times) * 1000:6.0f} ms   "
            f"min {min(times) * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms"
        )
    print("target: median < 500 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
