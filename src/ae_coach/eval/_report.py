"""Reports for a run or a comparison: JSON, markdown and the rich terminal view.

HTML and JUnit XML live in ``_html.py``. Every renderer takes a RunResult or a Comparison.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ae_coach.eval._compare import Comparison
from ae_coach.eval._results import RunResult
from ae_coach.eval._stats import PairedStats


def run_to_dict(result: RunResult) -> dict[str, Any]:
    data = {
        "variant": result.variant,
        "options": result.options,
        "totals": result.totals,
        "cases": [asdict(c) for c in result.cases],
    }
    if result.judgement is not None:
        data["judgement"] = result.judgement.to_dict()
    return data


def to_json(subject: RunResult | Comparison) -> str:
    data = subject.to_dict() if isinstance(subject, Comparison) else run_to_dict(subject)
    return json.dumps(data, indent=2, default=str)


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def signed(value: float) -> str:
    return f"{value * 100:+.1f}"


def stats_line(stats: PairedStats) -> str:
    needed = f"; about {stats.cases_needed} cases needed to decide" if stats.cases_needed else ""
    return (
        f"statistics alone: {stats.verdict} (n={stats.n}): mean {pct(stats.mean_base)} -> {pct(stats.mean_candidate)}, "
        f"diff {signed(stats.mean_diff)} points, 95% CI [{signed(stats.ci_low)}, {signed(stats.ci_high)}], "
        f"sign-flip p={stats.permutation_p:.3g}, McNemar p={stats.mcnemar_p:.3g} "
        f"({stats.discordant_regressed} broken / {stats.discordant_improved} fixed){needed}"
    )


def _totals_line(totals: dict[str, Any]) -> str:
    tokens = totals.get("tokens") or {}
    spent = f", {sum(tokens.values())} tokens" if tokens else ""
    cost = f", ${totals['cost_usd']:.4f}" if totals.get("cost_usd") is not None else ""
    return (
        f"{totals['passed']}/{totals['cases']} cases passed, mean score {pct(totals['mean_score'])}, "
        f"{totals['errors']} errors, {totals['flaky']} flaky, {totals['cached_samples']} cached{spent}{cost}"
    )


def run_markdown(result: RunResult) -> str:
    t = result.totals
    lines = [f"# Eval run: {result.variant}", "", _totals_line(t), ""]
    prov = result.options.get("provenance") or {}
    if prov:
        v = prov.get("variant") or {}
        lines += [
            f"Rules {v.get('rules_dir')} (rulebook {str(v.get('rulebook_hash'))[:12]}), prompts {v.get('prompts_dir')} "
            f"({str(v.get('prompts_hash'))[:12]}), commit {v.get('commit') or 'none'}; "
            f"suites {', '.join(prov.get('suite_files') or [])}",
            "",
        ]
    for split in ("dev", "holdout"):
        if f"{split}_cases" in t:
            lines.append(
                f"- {split}: {t[f'{split}_passed']}/{t[f'{split}_cases']} passed, "
                f"mean score {pct(t[f'{split}_mean_score'])}"
            )
    for metric in ("recall", "precision"):
        if f"selection_{metric}" in t:
            lines.append(f"- rule selection {metric}: {pct(t[f'selection_{metric}'])}")
    lines += ["", "| case | split | target | score | result |", "|---|---|---|---|---|"]
    for c in result.cases:
        status = "pass" if c.passed else ("ERROR" if c.errors else "FAIL")
        lines.append(f"| {c.id} | {c.split} | {c.target} | {pct(c.score)} | {status}{' (flaky)' if c.flaky else ''} |")
    failures = [c for c in result.cases if not c.passed]
    if failures:
        lines += ["", "## Failures", ""]
        for c in failures:
            lines.append(f"- **{c.id}**: " + "; ".join(_failed_items(c)))
    if result.judgement is not None:
        from ae_coach.eval._judgement import judgement_markdown

        lines += ["", judgement_markdown(result.judgement, heading="##").rstrip()]
    return "\n".join(lines) + "\n"


def _failed_items(case: Any) -> list[str]:
    out = [f"{i['kind']} {i['name']}: {i['detail']}" for i in case.items if i["pass_rate"] < 1]
    return out or list(dict.fromkeys(case.errors)) or ["failed"]


def provenance_lines(cmp: Comparison) -> list[str]:
    """Where each side came from: suite files, commits, rule and prompt hashes, the seed, the run log."""
    p = cmp.provenance
    lines = []
    for side in ("base", "candidate"):
        f = p.get(side) or {}
        if f:
            lines.append(
                f"- {side}: {f.get('label')}; rules {f.get('rules_dir')} (rulebook {str(f.get('rulebook_hash'))[:12]}), "
                f"prompts {f.get('prompts_dir')} ({str(f.get('prompts_hash'))[:12]}), commit {f.get('commit') or 'none'}"
            )
    if p.get("suite_files"):
        lines.append(f"- suites: {', '.join(p['suite_files'])}")
    lines.append(
        f"- backend {p.get('backend', '?')}, judge {p.get('judge', '?')}, bootstrap seed {p.get('seed')}, "
        f"run log {p.get('run_log', '?')}"
    )
    return lines


def verdict_line(cmp: Comparison) -> str:
    return (
        f"Verdict: {cmp.verdict_text} (margin {cmp.margin * 100:.0f} points; "
        f"{'deterministic run' if cmp.deterministic else 'sampled run'}, gate mode {cmp.gate_mode})"
    )


def compare_markdown(cmp: Comparison) -> str:
    lines = [
        f"# Eval comparison: {cmp.base.variant} -> {cmp.candidate.variant}",
        "",
        f"**Gate ({cmp.gate_split}): {'FAILED' if cmp.gate_failed else 'passed'}** — {cmp.gate_reason}",
        "",
        verdict_line(cmp),
        "",
        *[f"Note: {n}." for n in cmp.notes],
        "",
        "## Provenance",
        "",
        *provenance_lines(cmp),
        "",
        "## Statistics",
        "",
        f"- all cases: {stats_line(cmp.overall)}",
    ]
    lines += [f"- {split}: {stats_line(s)}" for split, s in cmp.by_split.items()]
    lines += ["", f"- base: {_totals_line(cmp.base.totals)}", f"- candidate: {_totals_line(cmp.candidate.totals)}"]
    if cmp.flipped:
        lines += [
            "",
            "## Flipped cases",
            "",
            "| case | split | change | base | candidate | what changed |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {c.id} | {c.split} | {c.flip} | {pct(c.base_score)} | {pct(c.candidate_score)} | "
            f"{', '.join(c.changed_items)} |"
            for c in cmp.flipped
        ]
    other = [c for c in cmp.changed if not c.flip]
    if other:
        lines += ["", "## Score changes without a flip", ""]
        lines += [f"- {c.id}: {signed(c.diff)} points ({', '.join(c.changed_items)})" for c in other]
    if cmp.flaky:
        lines += ["", "## Flaky cases (repeats disagree)", ""] + [f"- {c.id}" for c in cmp.flaky]
    if cmp.errored:
        lines += ["", "## Errored cases (kept out of the scores; the gate fails)", ""] + [f"- {c}" for c in cmp.errored]
    if cmp.one_sided:
        lines += ["", "## Cases on one side only", ""]
        lines += [
            f"- {o.id} ({o.split}): only on the {o.side}"
            + ("" if o.passed_on_base is None else f", {'passed' if o.passed_on_base else 'failed'} on the base")
            for o in cmp.one_sided
        ]
    return "\n".join(lines) + "\n"


def to_markdown(subject: RunResult | Comparison) -> str:
    return compare_markdown(subject) if isinstance(subject, Comparison) else run_markdown(subject)


def print_terminal(subject: RunResult | Comparison, console: Any = None) -> None:
    """The rich view: a table of cases (or of flipped cases) and the summary lines."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    if isinstance(subject, Comparison):
        _print_comparison(subject, console, Table)
        return
    table = Table(title=f"Eval run: {subject.variant}")
    for col in ("case", "split", "target", "score", "result"):
        table.add_column(col, overflow="fold")
    for c in subject.cases:
        status = "[green]pass[/]" if c.passed else ("[red]ERROR[/]" if c.errors else "[red]FAIL[/]")
        table.add_row(c.id, c.split, c.target, pct(c.score), status + (" (flaky)" if c.flaky else ""))
    console.print(table)
    for c in subject.failed:
        console.print(f"[red]✗ {c.id}[/]: " + "; ".join(_failed_items(c)), highlight=False)
    console.print(_totals_line(subject.totals), highlight=False)
    if subject.judgement is not None:
        from ae_coach.eval._judgement import judgement_markdown

        console.print(judgement_markdown(subject.judgement, heading="##"), highlight=False, markup=False)


def _print_comparison(cmp: Comparison, console: Any, table_cls: Any) -> None:
    table = table_cls(title=f"{cmp.base.variant} -> {cmp.candidate.variant}")
    for col in ("case", "split", "change", "base", "candidate", "what changed"):
        table.add_column(col, overflow="fold")
    for c in cmp.changed or []:
        table.add_row(
            c.id,
            c.split,
            c.flip or signed(c.diff),
            pct(c.base_score),
            pct(c.candidate_score),
            ", ".join(c.changed_items),
        )
    if cmp.changed:
        console.print(table)
    console.print(f"all cases: {stats_line(cmp.overall)}", highlight=False)
    for split, s in cmp.by_split.items():
        console.print(f"{split}: {stats_line(s)}", highlight=False)
    if cmp.flaky:
        console.print("flaky: " + ", ".join(c.id for c in cmp.flaky), highlight=False)
    colour = "red" if cmp.gate_failed else "green"
    for line in provenance_lines(cmp):
        console.print(line, highlight=False)
    if cmp.errored:
        console.print("errored (kept out of the scores): " + ", ".join(cmp.errored), highlight=False)
    for o in cmp.one_sided:
        console.print(f"only on the {o.side}: {o.id} ({o.split})", highlight=False)
    for note in cmp.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"verdict: {cmp.verdict_text}", highlight=False)
    console.print(
        f"[{colour}]gate ({cmp.gate_split}): {'FAILED' if cmp.gate_failed else 'passed'}[/] — {cmp.gate_reason}",
        highlight=False,
    )
