"""A run or a comparison from start to finish: load cases, open (or resume) the run log, run, summarize."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ae_coach.errors import InputError
from ae_coach.eval._cases import Case, filter_cases, load_cases
from ae_coach.eval._compare import Comparison, OneSided, compare_results
from ae_coach.eval._playbook import playbook_tree
from ae_coach.eval._results import RunResult, summarize
from ae_coach.eval._runlog import (
    DEFAULT_RUNS_DIR,
    RunLog,
    new_run_id,
    read_run_log,
    sample_key,
)
from ae_coach.eval._runner import Runner, RunOptions
from ae_coach.eval._stats import DEFAULT_MARGIN
from ae_coach.eval._variant import Variant

_OPTION_FIELDS = ("backend", "model", "repeats", "judge", "judge_model", "batch")


@dataclass
class Session:
    """What to run: suites, filters, options and where the log goes."""

    suites: list[str] = field(default_factory=list)
    split: str | None = None
    tags: list[str] = field(default_factory=list)
    options: RunOptions = field(default_factory=RunOptions)
    runs_dir: Path = DEFAULT_RUNS_DIR
    resume: Path | None = None
    log_path: Path | None = None
    runner: Runner | None = None
    """Set while running: exposes counters (target calls, cache hits) to callers and tests."""

    def header(self, kind: str, **extra: Any) -> dict[str, Any]:
        cache_dir = str(self.options.cache_dir) if self.options.cache_dir else None
        return {
            "kind": kind,
            "run_id": self.log_path.stem if self.log_path else "",
            "suites": self.suites,
            "split": self.split,
            "tags": self.tags,
            "cache_dir": cache_dir,
            **{k: getattr(self.options, k) for k in _OPTION_FIELDS},
            **extra,
        }

    def cases(self) -> list[Case]:
        if not self.suites:
            raise InputError("name at least one suite file or directory (e.g. evals/)")
        return filter_cases(load_cases(list(self.suites)), split=self.split, tags=self.tags)

    @contextlib.contextmanager
    def open(self, kind: str, **extra: Any) -> Iterator[tuple[Runner, list[Case]]]:
        """Adopt a resumed run's choices, load and check the cases, then open the run log."""
        done: dict[str, dict[str, Any]] = {}
        if self.resume is not None:
            header, samples = read_run_log(self.resume)
            if header.get("kind") != kind:
                raise InputError(f"{self.resume}: a {header.get('kind')} log cannot resume an eval {kind}")
            self._adopt(header)
            done = {sample_key(s["variant"], s["case"], s["repeat"]): s for s in samples}
            self.log_path = self.resume
        else:
            self.log_path = self.log_path or self.runs_dir / f"{new_run_id()}.jsonl"
        cases = self.cases()  # bad suites fail here, before a log file exists
        log = RunLog(self.log_path, self.header(kind, **extra))
        self.runner = Runner(self.options, log=log, done=done)
        yield self.runner, cases

    def _adopt(self, header: dict[str, Any]) -> None:
        # A resumed run repeats the original's choices, so the finished samples stay comparable.
        self.suites = self.suites or list(header.get("suites") or [])
        self.split, self.tags = header.get("split"), list(header.get("tags") or [])
        for name in _OPTION_FIELDS:
            if name in header:
                setattr(self.options, name, header[name])
        if self.options.cache_dir is None and header.get("cache_dir"):
            self.options.cache_dir = Path(header["cache_dir"])


def run_eval(session: Session, variant: Variant | None = None) -> RunResult:
    """Run the session's cases on one variant (default: the playbook's working tree, else the package's)."""
    variant = variant or playbook_tree()
    with (
        session.open("run", variant=variant.label) as (runner, cases),
        _progress(session.options.progress, len(cases) * session.options.repeats) as tick,
    ):
        samples = runner.run(cases, variant, "run", on_sample=tick)
    result = summarize(variant.label, cases, samples, _options(session))
    result.options["provenance"] = _run_provenance(session, variant)
    _add_batch_totals(runner, result.totals)
    return result


def _run_provenance(session: Session, variant: Variant) -> dict[str, Any]:
    from ae_coach.eval._cases import collect_suite_files

    files = collect_suite_files([Path(s) for s in session.suites]) if session.suites else []
    return {"suite_files": [str(f) for f in files], "variant": variant.fingerprint()}


def compare_variants(
    session: Session,
    base: Variant,
    candidate: Variant | None = None,
    *,
    margin: float = DEFAULT_MARGIN,
    gate_mode: str = "auto",
) -> Comparison:
    """Run the same cases on ``base`` and ``candidate`` (default: the playbook's working tree) and compare them.

    Both sides' templates must render (else an ``InputError`` naming the template, exit 2). With a git base that has its
    own ``evals/``, cases that exist on only one side are listed; the base-only ones run on the base so
    the report can say whether a passing case was removed.
    """
    candidate = candidate or playbook_tree()
    with (
        session.open("compare", base=base.label, candidate=candidate.label) as (runner, cases),
        _progress(session.options.progress, 2 * len(cases) * session.options.repeats) as tick,
    ):
        _check_templates([base, candidate], cases)
        base_samples = runner.run(cases, base, "base", on_sample=tick)
        cand_samples = runner.run(cases, candidate, "candidate", on_sample=tick)
        one_sided = _one_sided(session, base, cases, runner)
    comparison = compare_results(
        summarize(base.label, cases, base_samples, _options(session)),
        summarize(candidate.label, cases, cand_samples, _options(session)),
        margin=margin,
        deterministic=session.options.deterministic(),
        gate_mode=gate_mode,
        one_sided=one_sided,
        provenance=_provenance(session, base, candidate),
    )
    _add_batch_totals(runner, comparison.candidate.totals)
    return comparison


def _check_templates(variants: list[Variant], cases: list[Case]) -> None:
    from ae_coach.eval._targets import resolve_deal

    deal = next((resolve_deal(c) for c in cases if c.input.deal is not None), None)
    if deal is None:
        return
    for variant in variants:
        problems = variant.template_problems(deal)
        if problems:
            raise InputError(f"{variant.label}: a prompt template does not render: " + "; ".join(problems))


def _provenance(session: Session, base: Variant, candidate: Variant) -> dict[str, Any]:
    from ae_coach.eval._cases import collect_suite_files

    files = collect_suite_files([Path(s) for s in session.suites]) if session.suites else []
    return {
        "suite_files": [str(f) for f in files],
        "run_log": str(session.log_path),
        "backend": session.options.resolved_backend(),
        "judge": session.options.judge_kind(),
        "base": base.fingerprint(),
        "candidate": candidate.fingerprint(),
    }


def _one_sided(session: Session, base: Variant, cases: list[Case], runner: Runner) -> list[OneSided]:
    """Cases the base's own suites hold and the candidate's do not, and the reverse (git bases only)."""
    if base.evals_dir is None:
        return []
    from ae_coach.errors import InputError as _InputError
    from ae_coach.resources import project_root

    root = ((base.root or project_root()) / "evals").resolve()
    mapped = []
    for suite in session.suites:
        path = Path(suite).resolve()
        if path == root or root in path.parents:
            target = base.evals_dir / path.relative_to(root)
            if target.exists():
                mapped.append(str(target))
    if not mapped:
        return []
    try:
        base_cases = filter_cases(load_cases(list(mapped)), split=session.split, tags=session.tags)
    except _InputError:
        return []  # the base's suites do not load with today's case format: nothing to list
    ours = {c.id for c in cases}
    theirs = {c.id: c for c in base_cases}
    removed = [c for cid, c in theirs.items() if cid not in ours]
    passed: dict[str, bool] = {}
    if removed:
        for s in runner.run(removed, base, "base-only"):
            passed[s["case"]] = passed.get(s["case"], True) and bool(s["passed"])
    out = [OneSided(c.id, "base", c.split, passed.get(c.id)) for c in removed]
    out += [OneSided(c.id, "candidate", c.split) for c in cases if c.id not in theirs]
    return out


def _add_batch_totals(runner: Runner, totals: dict[str, Any]) -> None:
    if runner._batcher is not None:
        totals.update(runner._batcher.totals())


def _options(session: Session) -> dict[str, Any]:
    opts = {k: v for k, v in asdict(session.options).items() if k in _OPTION_FIELDS}
    return {**opts, "run_log": str(session.log_path), "judge": session.options.judge_kind()}


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("eval"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("samples", total=total)
        yield lambda: bar.advance(task)
