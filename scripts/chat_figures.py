"""Print the chat suites' headline figures from an eval run's JSON report, per split.

    ae-coach eval run evals/chat-questions.yaml --format json -o run.json
    python scripts/chat_figures.py run.json
    python scripts/chat_figures.py run.json --by-batch   # also per split and batch tag (batch-YYYY-MM-DD)

For each case: it cites a relevant rule (every ``rule.cited`` item passed), it uses the deal's facts
(every positive text check passed: names, dates, amounts, the substance a manager expects), it carries
no name that is not in the deal (every ``not_contains`` and negative-lookahead check passed), and for the
Chinese suite it is in Chinese (the LANGUAGE check passed).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

LANGUAGE = r"\A(?![\s\S]*?(?:[A-Za-z]+[ ,]+){15}"


def kinds(item: dict) -> str:
    name = item["name"]
    if item["kind"] == "rule.cited":
        return "cites"
    if (
        name.startswith("not_contains:")
        or name.startswith("regex:(?i)\\A(?!")
        or name.startswith("regex:\\A(?![\\s\\S]*\\b")
    ):
        return "no_foreign"
    if LANGUAGE in name:
        return "chinese"
    return "facts"


def groups(case: dict, by_batch: bool) -> list[str]:
    split = case.get("split") or "none"
    names = [split, "all"]
    if by_batch:
        batch = next((t for t in case.get("tags", []) if t.startswith("batch-")), "batch-original")
        names.append(f"{split}/{batch}")
    return names


def main(path: str, by_batch: bool = False) -> None:
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    table: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for case in report["cases"]:
        by: dict[str, list[bool]] = defaultdict(list)
        for item in case["items"]:
            by[kinds(item)].append(item["pass_rate"] >= 1.0)
        for split in groups(case, by_batch):
            for kind, oks in by.items():
                table[split][kind].append(all(oks))
            table[split]["passed"].append(bool(case["passed"]))
    for split, kinds_ in sorted(table.items()):
        n = len(kinds_["passed"])
        cells = ", ".join(f"{k} {100 * sum(v) / len(v):.1f}% ({sum(v)}/{len(v)})" for k, v in sorted(kinds_.items()))
        print(f"{split} (n={n}): {cells}")


if __name__ == "__main__":
    main(sys.argv[1], "--by-batch" in sys.argv[2:])
