"""Issue 13's figures for a set of deals: the offline coach's reviews measured the way a manager reads them.

    python scripts/coaching_quality.py examples/deals evals/calibration/deals

Prints, over every deal file in the given directories: reviews, actions, this-week actions per review (max),
the share of actions that name a fact of their deal, action texts shared by more than a third of the deals,
actions due on a weekend or public holiday, every failed manager's check (ae_coach.coach.quality.audit), and
every rulebook menu or condition the record settles left in an action or a question (template_leaks).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ae_coach.coach import Coach
from ae_coach.coach.quality import audit, names_a_fact, shared_texts, template_leaks
from ae_coach.deal import load_deal


def main(folders: list[str]) -> int:
    coach = Coach("offline")
    paths = sorted(p for folder in folders for p in Path(folder).glob("*.yaml"))
    reviews = [(load_deal(p), p) for p in paths]
    reports = [(deal, path, coach.review(deal)) for deal, path in reviews]
    actions = [(deal, a) for deal, _, r in reports for a in r.next_actions]
    named = sum(names_a_fact(a.action, deal) for deal, a in actions)
    week = max((sum(a.horizon == "this_week" for a in r.next_actions) for _, _, r in reports), default=0)
    shared = shared_texts([[a.action for a in r.next_actions] for _, _, r in reports])
    failures = [(path.name, problem) for deal, path, r in reports for problem in audit(r, deal)]
    texts = [(path.name, a.action) for _, path, r in reports for a in r.next_actions]
    texts += [(path.name, q.question) for _, path, r in reports for q in r.questions]
    leaks = [(name, leak) for name, text in texts for leak in template_leaks(text)]
    print(f"reviews: {len(reports)}   actions: {len(actions)}   this-week actions per review (max): {week}")
    print(f"actions naming a fact of their deal: {named}/{len(actions)} ({named / max(len(actions), 1):.0%})")
    print(f"action texts shared by more than a third of the deals: {len(shared)}")
    for text in shared:
        print(f"  - {text}")
    print(f"failed checks (weekend/holiday dates, contradictions, missing roles, >3 this week): {len(failures)}")
    for name, problem in failures:
        print(f"  - {name}: {problem}")
    print(f"rulebook menus or settled conditions in actions and questions: {len(leaks)}")
    for name, leak in leaks:
        print(f"  - {name}: {leak}")
    return 1 if failures or shared or leaks or named < 0.8 * len(actions) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["examples/deals"]))
