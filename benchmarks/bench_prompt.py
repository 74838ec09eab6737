"""Prompt size per example deal: the selected-rules prompt against an all-rules prompt.

For every deal in examples/deals/ this prints the estimated tokens (characters / 4) of the review
prompt (system block + deal block + instructions) built from the selected rules, the same with every
rule in full, the ratio, and the share of triggered rules the prompt includes. Target: a typical deal at
most 40% of the all-rules prompt, 100% of triggered rules included.

    .venv/bin/python benchmarks/bench_prompt.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from ae_coach.coach._requests import review_request
from ae_coach.coach.prompt import PromptBuilder, RuleSelection, estimate_tokens
from ae_coach.deal import load_deal
from ae_coach.inspector import assess
from ae_coach.rules import load_rulebook

ROOT = Path(__file__).resolve().parent.parent


def _prompt_tokens(request) -> int:
    texts = [b["text"] for b in request.system]
    texts += [b["text"] for m in request.messages for b in m["content"]]
    return estimate_tokens("".join(texts))


def main() -> int:
    rulebook = load_rulebook()
    builder = PromptBuilder(rulebook)
    everything = RuleSelection(list(rulebook.rules), frozenset(r.id for r in rulebook.rules), frozenset(), 0, 0)
    deals = sorted((ROOT / "examples" / "deals").glob("*.yaml"))
    print(f"{'deal':36} {'selected':>9} {'all-rules':>10} {'ratio':>6} {'triggered incl.':>16}")
    ratios, shares = [], []
    for path in deals:
        deal = load_deal(path)
        assessment = assess(deal, rulebook=rulebook)
        selection = builder.plan_rules(assessment, deal.stage)
        selected = _prompt_tokens(review_request(builder, selection, deal, assessment, "m", 8192))
        full = _prompt_tokens(review_request(builder, everything, deal, assessment, "m", 8192))
        triggered = {r for f in assessment.findings for r in f.rules}
        included = triggered & {r.id for r in selection.rules}
        share = len(included) / len(triggered) if triggered else 1.0
        ratios.append(selected / full)
        shares.append(share)
        print(
            f"{path.stem:36} {selected:>9} {full:>10} {selected / full:>6.0%} "
            f"{len(included):>7}/{len(triggered):<3} {share:>4.0%}"
        )
    print(
        f"\nmedian ratio {statistics.median(ratios):.0%} (target <= 40%), max {max(ratios):.0%}; "
        f"triggered rules included: min {min(shares):.0%} (target 100%)"
    )
    print(
        f"all-rules system block alone: {estimate_tokens(builder.all_rules_system_prompt())} tokens "
        f"({len(rulebook.rules)} rules); tokens estimated as characters / 4"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
