"""Rulebook load and search times: the shipped rules, then 100 and 1,000 synthetic rules.

Target: the shipped rulebook parses in under 50 ms; time grows linearly with the number of rules.
Synthetic rules are copies of the shipped ones under new ids, so they have realistic size and shape.

Run: .venv/bin/python benchmarks/bench_rules.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from ae_coach.resources import rules_dir
from ae_coach.rules.parse import read_rulebook, rule_files


def median_seconds(func, runs: int) -> float:
    """Median wall time of ``runs`` calls, after one warm-up call."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_rulebook(target: Path, count: int) -> Path:
    """A rules directory of ``count`` rules cloned from the shipped ones, each with a unique id and title."""
    source = rules_dir()
    target.mkdir(parents=True)
    shutil.copy(source / "_sections.md", target / "_sections.md")
    templates = [(path.stem.split("-", 1)[0], path.read_text(encoding="utf-8")) for path in rule_files(source)]
    for number in range(count):
        prefix, text = templates[number % len(templates)]
        title = text.split("title: ", 1)[1].split("\n", 1)[0]
        text = text.replace(title, f"{title} (variant {number})")
        (target / f"{prefix}-synthetic-{number:05d}.md").write_text(text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (median is printed)")
    args = parser.parse_args()

    shipped = rules_dir()
    count = len(rule_files(shipped))
    seconds = median_seconds(lambda: read_rulebook(shipped), args.runs)
    print(
        f"shipped rules ({count:>5}): {seconds * 1000:7.1f} ms  ({seconds * 1000 / count:.2f} ms/rule; target < 50 ms)"
    )

    per_rule = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (100, 1000):
            directory = synthetic_rulebook(Path(tmp) / f"rules-{size}", size)
            runs = args.runs if size <= 100 else max(3, args.runs // 2)
            seconds = median_seconds(lambda d=directory: read_rulebook(d), runs)
            per_rule[size] = seconds / size
            print(f"synthetic rules ({size:>5}): {seconds * 1000:7.1f} ms  ({seconds * 1000 / size:.2f} ms/rule)")
        print(f"growth: per-rule cost at 1,000 is {per_rule[1000] / per_rule[100]:.2f}x that at 100 (1.00 = linear)")

    rulebook = read_rulebook(shipped)
    start = time.perf_counter()
    rulebook.search("warm up the index", k=1)
    build = time.perf_counter() - start
    query = median_seconds(lambda: rulebook.search("champion went quiet after the proposal", k=5), args.runs)
    print(f"search (shipped): index build {build * 1000:.1f} ms (incl. bm25s import), query {query * 1000:.2f} ms")


if __name__ == "__main__":
    main()
