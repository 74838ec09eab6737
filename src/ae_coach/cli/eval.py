"""``ae-coach eval``: run eval suites, and compare two versions of the rules and prompts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.cli._io import write_output
from ae_coach.errors import EvalGateFailed, UsageError

eval_app = typer.Typer(help="Run eval suites; compare two versions of rules/ and prompts/.", no_args_is_help=True)

Suites = Annotated[
    list[Path] | None,
    typer.Argument(help="Suite files or directories (e.g. evals/; default: the playbook's [eval] suites)."),
]
Backend = Annotated[str, typer.Option(help="Coach backend: offline, replay, anthropic or auto (key set -> anthropic).")]
Model = Annotated[str | None, typer.Option(help="Model for the anthropic backend.")]
Repeats = Annotated[int, typer.Option(min=1, help="Samples per case; live scores are pass rates over them.")]
Concurrency = Annotated[int, typer.Option("--concurrency", "-j", min=1, help="Cases run at once (threads).")]
SplitOpt = Annotated[str | None, typer.Option(help="Only this split: dev, holdout or all.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="Only cases with this tag (repeatable).")]
Judge = Annotated[str, typer.Option(help="Rubric judge: keyword (offline), llm (pinned Claude) or auto.")]
Fmt = Annotated[
    str, typer.Option("--format", help="terminal, json, markdown, html, promptfoo or inspect (see docs/evals.md).")
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")]
Junit = Annotated[Path | None, typer.Option("--junit", help="Also write JUnit XML here (for CI).")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the generation/judgement cache.")]
CacheDir = Annotated[Path | None, typer.Option(help="Cache directory (default .ae-coach/eval-cache).")]
RunsDir = Annotated[Path, typer.Option(help="Where run logs (JSONL) go.")]
Resume = Annotated[Path | None, typer.Option(help="Resume a killed run from its run log.")]
Batch = Annotated[bool, typer.Option("--batch", help="Live calls through the Message Batches API (half price, slow).")]
BatchPoll = Annotated[float, typer.Option(min=0, help="Seconds between batch status checks.")]


def register(app: typer.Typer) -> None:
    """Add the ``eval`` sub-app to the root app."""
    app.add_typer(eval_app, name="eval")


def _session(
    suites,
    backend,
    model,
    repeats,
    concurrency,
    split,
    tags,
    judge,
    no_cache,
    cache_dir,
    runs_dir,
    resume,
    batch=False,
    batch_poll=30.0,
):
    from ae_coach.eval import RunOptions, Session

    if backend not in ("offline", "replay", "anthropic", "auto"):
        raise UsageError(f"--backend must be offline, replay, anthropic or auto, got {backend!r}")
    if judge not in ("auto", "keyword", "llm"):
        raise UsageError(f"--judge must be auto, keyword or llm, got {judge!r}")
    options = RunOptions(
        backend=backend,
        model=model,
        repeats=repeats,
        concurrency=concurrency,
        judge=judge,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        progress=sys.stderr.isatty(),
        batch=batch,
        batch_poll_seconds=batch_poll,
    )
    if batch and backend != "anthropic":
        raise UsageError("--batch needs --backend anthropic (it batches live model calls)")
    if batch and no_cache:
        raise UsageError("--batch stores the batch's answers in the cache; it cannot run with --no-cache")
    if not suites and resume is None:  # a resumed run keeps the suites its log names
        from ae_coach.playbook import active

        suites = list(active().suites)  # the playbook's [eval] suites
    return Session(
        suites=[str(s) for s in suites or []],
        split=split,
        tags=list(tags or []),
        options=options,
        runs_dir=runs_dir,
        resume=resume,
    )


def _emit(subject, fmt: str, output: Path | None, junit: Path | None) -> None:
    from ae_coach.eval import FORMATS, print_report, render

    if fmt not in FORMATS or fmt == "junit":
        raise UsageError(f"--format must be terminal, json, markdown, html, promptfoo or inspect, got {fmt!r}")
    if fmt == "terminal" and output is None:
        print_report(subject)
    else:
        write_output(render(subject, "markdown" if fmt == "terminal" else fmt), output)
    if junit is not None:
        write_output(render(subject, "junit"), junit, option="--junit")


@eval_app.command("run")
def run(
    suites: Suites = None,
    backend: Backend = "offline",
    model: Model = None,
    repeats: Repeats = 1,
    concurrency: Concurrency = 4,
    split: SplitOpt = None,
    tag: Tags = None,
    judge: Judge = "auto",
    fmt: Fmt = "terminal",
    output: Output = None,
    junit: Junit = None,
    no_cache: NoCache = False,
    cache_dir: CacheDir = None,
    runs_dir: RunsDir = Path("runs"),
    resume: Resume = None,
    fail_under: Annotated[
        float, typer.Option(min=0, max=1, help="Exit 1 when the case pass rate is below this.")
    ] = 1.0,
    batch: Batch = False,
    batch_poll: BatchPoll = 30.0,
    judgement: Annotated[
        Path | None, typer.Option(help="Also score the inspector's judgement on these labels (eval judgement).")
    ] = None,
) -> None:
    """Run suites (default: the playbook's) on the playbook's rules; exit 1 when too few cases pass."""
    from ae_coach.eval import run_eval

    session = _session(
        suites,
        backend,
        model,
        repeats,
        concurrency,
        split,
        tag,
        judge,
        no_cache,
        cache_dir,
        runs_dir,
        resume,
        batch,
        batch_poll,
    )
    result = run_eval(session)
    if judgement is not None:
        from ae_coach.eval import run_judgement

        result.judgement = run_judgement(judgement, split or "all")
    _emit(result, fmt, output, junit)
    print(f"run log: {session.log_path}", file=sys.stderr)
    rate = result.totals["passed"] / max(1, result.totals["cases"])
    if rate < fail_under:
        raise EvalGateFailed(
            f"{result.totals['cases'] - result.totals['passed']} of {result.totals['cases']} "
            f"cases failed (pass rate {rate:.1%} < --fail-under {fail_under:.0%})"
        )


@eval_app.command("compare")
def compare(
    suites: Suites = None,
    base: Annotated[
        str | None,
        typer.Option(help="Git ref whose rules are the base: the playbook's own repository, else ae-coach's."),
    ] = None,
    base_rules: Annotated[Path | None, typer.Option(help="A rules directory to use as the base.")] = None,
    without_rules: Annotated[bool, typer.Option("--without-rules", help="Base = an empty rulebook.")] = False,
    rules: Annotated[
        Path | None, typer.Option(help="Candidate rules directory (default: the playbook's rules on disk).")
    ] = None,
    allow_identical: Annotated[
        bool,
        typer.Option("--allow-identical", help="Compare even when both sides are the same files (an A/A check)."),
    ] = False,
    margin: Annotated[float, typer.Option(min=0, max=1, help="Non-inferiority margin (score points / 100).")] = 0.05,
    gate: Annotated[str, typer.Option(help="auto, stat or strict: see docs/evals.md ('The gate').")] = "auto",
    backend: Backend = "offline",
    model: Model = None,
    repeats: Repeats = 1,
    concurrency: Concurrency = 4,
    split: SplitOpt = None,
    tag: Tags = None,
    judge: Judge = "auto",
    fmt: Fmt = "terminal",
    output: Output = None,
    junit: Junit = None,
    no_cache: NoCache = False,
    cache_dir: CacheDir = None,
    runs_dir: RunsDir = Path("runs"),
    resume: Resume = None,
    batch: Batch = False,
    batch_poll: BatchPoll = 30.0,
) -> None:
    """Run the same cases on a base and a candidate; paired statistics and a verdict.

    The candidate is the playbook's rules on disk (or --rules DIR); the base is --base GITREF (resolved in
    the playbook's git repository), --base-rules DIR, --without-rules, or the playbook's rules when only
    --rules is given. Both sides being the same files is refused (exit 2). Exit 1 when the score regresses
    on the holdout split.
    """
    from ae_coach.eval import (
        base_from_git,
        check_comparable,
        compare_variants,
        empty_rulebook,
        from_rules_dir,
        playbook_tree,
    )

    if sum([base is not None, base_rules is not None, without_rules]) > 1:
        raise UsageError("give at most one of --base GITREF, --base-rules DIR or --without-rules")
    if base is None and base_rules is None and not without_rules and rules is None:
        raise UsageError("nothing to compare: give --base GITREF, --base-rules DIR, --without-rules or --rules DIR")
    if gate not in ("auto", "stat", "strict"):
        raise UsageError(f"--gate must be auto, stat or strict, got {gate!r}")
    session = _session(
        suites,
        backend,
        model,
        repeats,
        concurrency,
        split,
        tag,
        judge,
        no_cache,
        cache_dir,
        runs_dir,
        resume,
        batch,
        batch_poll,
    )
    baseline = (
        base_from_git(base)
        if base
        else from_rules_dir(base_rules)
        if base_rules
        else empty_rulebook()
        if without_rules
        else playbook_tree()
    )
    candidate = from_rules_dir(rules) if rules else playbook_tree()
    try:
        if not allow_identical:
            check_comparable(baseline, candidate)
        comparison = compare_variants(session, baseline, candidate, margin=margin, gate_mode=gate)
    finally:
        baseline.cleanup()
    _emit(comparison, fmt, output, junit)
    print(f"run log: {session.log_path}", file=sys.stderr)
    if comparison.gate_failed:
        raise EvalGateFailed(f"gate ({comparison.gate_split}) failed: {comparison.verdict_text}")


@eval_app.command("mutate")
def mutate(
    suites: Suites = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Mutate only this rule (repeatable).")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Mutation kind (repeatable): delete, empty-triggers, ...")
    ] = None,
    sample: Annotated[int | None, typer.Option(min=1, help="Mutate a seeded sample of this many rules.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for --sample.")] = 19,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Mutants run at once (processes).")] = 2,
    min_score: Annotated[
        float, typer.Option(min=0, max=1, help="Exit 1 when a scored kind's mutation score is below this.")
    ] = 0.0,
    backend: Backend = "offline",
    model: Model = None,
    judge: Judge = "auto",
    split: SplitOpt = None,
    tag: Tags = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown or json.")] = "markdown",
    output: Output = None,
    cache_dir: CacheDir = None,
) -> None:
    """Damage each rule (delete it, empty its triggers, gut its steps, swap its examples) and report which
    mutants the suites notice: the mutation score per kind and the survivors per rule."""
    import json

    from ae_coach.eval import KINDS, mutation_markdown, run_mutation

    session = _session(suites, backend, model, 1, 1, split, tag, judge, False, cache_dir, Path("runs"), None)
    report = run_mutation(session, rules=rule, kinds=tuple(kind or KINDS), sample=sample, seed=seed, workers=workers)
    if fmt not in ("markdown", "json"):
        raise UsageError(f"--format must be markdown or json, got {fmt!r}")
    text = json.dumps(report.to_dict(), indent=2) + "\n" if fmt == "json" else mutation_markdown(report)
    write_output(text, output)
    failing = report.failing_kinds(min_score)
    if failing:
        raise EvalGateFailed(f"mutation score below {min_score:.0%} for: {', '.join(failing)}")


@eval_app.command("cover")
def cover(
    evals_dir: Annotated[Path, typer.Argument(help="The evals directory (its deals and suites are the pool).")] = Path(
        "evals"
    ),
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Only this rule (repeatable).")] = None,
    write: Annotated[
        Path | None, typer.Option("--write", help="Write the verified cases here (e.g. evals/rule-coverage.yaml).")
    ] = None,
) -> None:
    """Generate cases that fail when a rule's steps are gutted or one of its triggers is dropped, each
    verified against that mutant before it is written; list what could not be covered."""
    from ae_coach.eval import generate_coverage, write_coverage

    coverage = generate_coverage(evals_dir, rules=rule)
    if write is not None:
        write_coverage(coverage, write)
    print(f"{len(coverage.cases)} verified cases; {len(coverage.gaps)} not covered", file=sys.stderr)
    for gap in coverage.gaps:
        print(f"  not covered: {gap}", file=sys.stderr)


@eval_app.command("calibrate")
def calibrate(
    labelled: Annotated[Path, typer.Argument(help="The human-labelled answers.")] = Path(
        "evals/judge-calibration/labelled.yaml"
    ),
    judge: Annotated[
        str, typer.Option(help="keyword, llm, or auto (keyword, plus llm when ANTHROPIC_API_KEY is set).")
    ] = "auto",
    judge_model: Annotated[str | None, typer.Option(help="The LLM judge's model (default: the pinned one).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown or json.")] = "markdown",
    output: Output = None,
    cache_dir: CacheDir = None,
) -> None:
    """Measure each judge's agreement with human labels: accuracy, Cohen's kappa, the disagreements."""
    import json
    import os
    from dataclasses import asdict

    from ae_coach.eval import JUDGE_MODEL, calibrate_judges, calibration_markdown

    if judge not in ("auto", "keyword", "llm"):
        raise UsageError(f"--judge must be auto, keyword or llm, got {judge!r}")
    has_key = bool(os.environ.get("ANTHROPIC_API_KEY"))
    judges = ("keyword", "llm") if judge == "auto" and has_key else ("keyword",) if judge == "auto" else (judge,)
    model = judge_model or JUDGE_MODEL
    results = calibrate_judges(labelled, judges=judges, model=model, cache_dir=cache_dir)
    skipped = None if "llm" in judges else f"LLM judge ({model}) not run: set ANTHROPIC_API_KEY to measure it."
    if fmt == "json":
        write_output(json.dumps([asdict(r) for r in results], indent=2) + "\n", output)
    elif fmt == "markdown":
        write_output(calibration_markdown(labelled, results, skipped), output)
    else:
        raise UsageError(f"--format must be markdown or json, got {fmt!r}")


@eval_app.command("export")
def export(
    suites: Suites = None,
    to: Annotated[str, typer.Option("--to", help="skill-creator: evals.json in skill-creator's layout.")] = (
        "skill-creator"
    ),
    skill_name: Annotated[str, typer.Option(help="skill_name to write.")] = "ae-coach",
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the evals.json goes (<skill>/evals/).")] = Path(
        "evals/evals.json"
    ),
    split: SplitOpt = None,
    tag: Tags = None,
) -> None:
    """Write chat cases as skill-creator's evals.json (``files`` relative to the skill root)."""
    import json

    from ae_coach.eval import filter_cases, load_cases, to_evals_json

    if to != "skill-creator":
        raise UsageError(f"--to must be skill-creator, got {to!r}")
    cases = filter_cases(load_cases(list(suites or [])), split=split, tags=list(tag or []))
    data = to_evals_json(cases, output, skill_name)
    write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    print(f"{len(data['evals'])} of {len(cases)} cases written (chat cases with rubric items)", file=sys.stderr)


@eval_app.command("judgement")
def judgement(
    labels: Annotated[Path, typer.Argument(help="Labelled calibration deals.")] = Path("evals/calibration/labels.yaml"),
    split: Annotated[str, typer.Option(help="dev, holdout or all.")] = "all",
    min_forecast: Annotated[
        float | None, typer.Option(min=0, max=1, help="Exit 1 below this forecast agreement.")
    ] = None,
    min_top_risk: Annotated[
        float | None, typer.Option(min=0, max=1, help="Exit 1 below this top-risk agreement.")
    ] = None,
    min_spearman: Annotated[
        float | None, typer.Option(min=-1, max=1, help="Exit 1 below this health Spearman.")
    ] = None,
    min_band: Annotated[float | None, typer.Option(min=0, max=1, help="Exit 1 below this band agreement.")] = None,
    max_gaming: Annotated[
        int | None, typer.Option(min=0, help="Exit 1 when more deals than this get a higher call from boilerplate.")
    ] = None,
    show_holdout: Annotated[
        bool, typer.Option("--show-holdout", help="Also list holdout cases one by one (default: figures only).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="terminal, markdown, json or html.")] = "terminal",
    output: Output = None,
) -> None:
    """Score the inspector's forecast call, top risk and health against a sales leader's labels."""
    import json

    from ae_coach.eval import judgement_html, judgement_markdown, run_judgement

    report = run_judgement(labels, split, show_holdout=show_holdout)
    if fmt == "json":
        text = json.dumps(report.to_dict(), indent=2) + "\n"
    elif fmt == "html":
        text = f"<!DOCTYPE html><html lang=en><meta charset=utf-8><body>{judgement_html(report)}</body></html>\n"
    elif fmt in ("markdown", "terminal"):
        text = judgement_markdown(report)
    else:
        raise UsageError(f"--format must be terminal, markdown, json or html, got {fmt!r}")
    write_output(text, output)
    failed = report.failures(
        min_forecast=min_forecast,
        min_top_risk=min_top_risk,
        min_spearman=min_spearman,
        min_band=min_band,
        max_gaming=max_gaming,
    )
    if failed:
        raise EvalGateFailed("judgement below the thresholds: " + "; ".join(failed))
