"""Running cases: targets, graders and the judge over (case, repeat) samples, in a bounded thread pool.

Every finished sample is appended to the run log at once; a resumed run skips the samples its log
already holds (samples that ended in an error are run again).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ae_coach.errors import MissingKeyError
from ae_coach.eval._cases import Case, RubricItem
from ae_coach.eval._graders import concept_name, grade_deterministic, score, selection_metrics
from ae_coach.eval._judge import JUDGE_MODEL, LLMJudge, keyword_judge
from ae_coach.eval._runlog import RunLog, sample_key
from ae_coach.eval._targets import Output, resolve_deal, run_inspector, run_selection
from ae_coach.eval._variant import Variant
from ae_coach.model.cache import Cache

OUTPUT_LOG_CHARS = 4000
"""How much of each answer the run log keeps, so a failure can be read without re-running."""


@dataclass
class RunOptions:
    """How to run: backend and model for the coach, repeats, threads, judge, cache."""

    backend: str = "offline"
    model: str | None = None
    repeats: int = 1
    concurrency: int = 4
    judge: str = "auto"
    """``keyword`` (offline, deterministic), ``llm`` (pinned Claude judge) or ``auto``: llm with the anthropic backend."""
    judge_model: str = JUDGE_MODEL
    cache_dir: Path | None = None
    use_cache: bool = True
    progress: bool = False
    batch: bool = False
    """Send live model calls through the Message Batches API (see ``_batch.py``)."""
    batch_poll_seconds: float = 30.0

    def resolved_backend(self) -> str:
        from ae_coach.coach import resolve_backend

        return resolve_backend(self.backend)

    def deterministic(self) -> bool:
        """No sampling noise: the offline coach or recorded answers, graded by the keyword judge."""
        return self.resolved_backend() in ("offline", "replay") and self.judge_kind() == "keyword"

    def judge_kind(self) -> str:
        if self.judge == "auto":
            return "llm" if self.resolved_backend() == "anthropic" else "keyword"
        return self.judge


class Runner:
    """Runs cases on variants; counts target calls so a resumed run can show it redid nothing."""

    def __init__(
        self, options: RunOptions, *, log: RunLog | None = None, done: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self.options = options
        self.log = log
        self.done = dict(done or {})
        self.cache = Cache(options.cache_dir, enabled=options.use_cache)
        self.target_calls = 0
        self._lock = threading.Lock()
        self._judge: LLMJudge | None = None
        self._batcher: Any = None

    def run(
        self, cases: list[Case], variant: Variant, key: str = "run", on_sample: Callable[[], None] | None = None
    ) -> list[dict[str, Any]]:
        """All samples of ``cases`` on ``variant``: those from the resumed log plus newly run ones."""
        _ = variant.rulebook, variant.builder  # a broken rules dir or template dir fails here, once (exit 2)
        deals = {c.id: resolve_deal(c) for c in cases}
        todo, samples = [], []
        for case in cases:
            for repeat in range(self.options.repeats):
                previous = self.done.get(sample_key(key, case.id, repeat))
                if previous is not None and not previous.get("error"):
                    samples.append(previous)
                    if on_sample:
                        on_sample()
                else:
                    todo.append((case, repeat))
        if self.options.batch and todo:
            self._batch_rounds(todo, deals, variant)
        with ThreadPoolExecutor(max_workers=max(1, self.options.concurrency)) as pool:
            futures = [pool.submit(self._sample, c, deals[c.id], variant, key, r) for c, r in todo]
            for future in as_completed(futures):
                sample = future.result()
                samples.append(sample)
                if self.log is not None:
                    self.log.append(sample)
                if on_sample:
                    on_sample()
        order = {c.id: i for i, c in enumerate(cases)}
        return sorted(samples, key=lambda s: (order[s["case"]], s["repeat"]))

    def _sample(self, case: Case, deal: Any, variant: Variant, key: str, repeat: int) -> dict[str, Any]:
        started = time.perf_counter()
        with self._lock:
            self.target_calls += 1
        sample: dict[str, Any] = {
            "variant": key,
            "case": case.id,
            "repeat": repeat,
            "split": case.split,
            "tags": case.tags,
            "target": case.target,
            "suite": case.suite,
        }
        try:
            out = self._target(case, deal, variant, repeat)
            items, judge_usage = self._grade(case, deal, out, repeat)
        except MissingKeyError:
            raise  # the user's to fix before any case can run: exit 2 with the one message, not a failed case
        except Exception as exc:
            items, out, judge_usage = [], Output(), {}
            sample["error"] = f"{type(exc).__name__}: {exc}"
        errors = [i["error"] for i in items if i.get("error")]
        if errors and "error" not in sample:
            sample["error"] = errors[0]
        value, passed = score(items)
        sample.update(
            score=value,
            passed=passed and "error" not in sample,
            items=items,
            metrics=selection_metrics(case, out),
            usage=out.usage,
            judge_usage=judge_usage,
            cost_usd=_add(out.cost_usd, self._judge_cost(judge_usage)),
            model=out.model,
            cached=out.cached,
            seconds=round(time.perf_counter() - started, 4),
            output=(out.text or "")[:OUTPUT_LOG_CHARS] or None,
        )
        sample.setdefault("error", None)
        return sample

    def _target(self, case: Case, deal: Any, variant: Variant, repeat: int) -> Output:
        if case.target == "inspector":
            return run_inspector(deal, variant)
        if case.target == "selection":
            return run_selection(case, deal, variant)
        from ae_coach.eval._coach_target import run_coach

        return run_coach(case, deal, variant, self.options, repeat, self.cache)

    def _grade(self, case: Case, deal: Any, out: Output, repeat: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
        llm = self.options.judge_kind() == "llm"
        items = grade_deterministic(case, out, judge_content=llm)
        rubric = [*case.expect.rubric, *(content_rubric(case) if llm else [])]
        if not rubric:
            return items, {}
        if not llm:
            result = keyword_judge(rubric, out.text or "")
        else:
            result = self._llm_judge()(
                rubric, out.text or "", case_id=case.id, context=judge_context(case, deal), repeat=repeat
            )
        kinds = {r.id: "rubric" for r in case.expect.rubric}
        kinds |= {f"require.{concept_name(c)}": "content.require" for c in case.expect.content.require}
        kinds |= {f"forbid.{concept_name(c)}": "content.forbid" for c in case.expect.content.forbid}
        for v in result.verdicts:
            kind = kinds.get(v.item, "rubric")
            name = v.item.split(".", 1)[1] if kind != "rubric" else v.item
            items.append(
                {"kind": kind, "name": name, "passed": bool(v.passed), "detail": v.reasoning, "error": v.error}
            )
        return items, result.usage

    def _batch_rounds(self, todo: list[tuple[Case, int]], deals: dict[str, Any], variant: Variant) -> None:
        """Fill the cache through the Message Batches API; the normal pass then reads from it."""
        from ae_coach.eval._batch import MAX_ROUNDS, BatchProcessor, Deferred
        from ae_coach.eval._coach_target import run_coach

        if self._batcher is None:
            known = self.log.records("batch") if self.log is not None else []
            self._batcher = BatchProcessor(
                self.cache, self.log, poll_seconds=self.options.batch_poll_seconds, known=known
            )
        self._batcher.resume_open()
        live = [(c, r) for c, r in todo if c.target == "coach"]
        for _ in range(MAX_ROUNDS):
            pending: dict[str, dict[str, Any]] = {}
            judge = self._llm_judge(defer=pending) if self.options.judge_kind() == "llm" else None
            for case, repeat in live:
                try:
                    out = run_coach(case, deals[case.id], variant, self.options, repeat, self.cache, defer=pending)
                    if judge is not None and case.expect.rubric:
                        judge(
                            case.expect.rubric,
                            out.text or "",
                            case_id=case.id,
                            context=judge_context(case, deals[case.id]),
                            repeat=repeat,
                        )
                except Deferred:
                    continue
                except Exception:
                    continue
            if not pending:
                return
            self._batcher.process(pending)

    def _judge_cost(self, usage: dict[str, int]) -> float | None:
        if not usage:
            return None
        from ae_coach.coach import estimate_cost
        from ae_coach.coach.report import Usage

        return estimate_cost(self.options.judge_model, Usage(**usage))[0]

    def _llm_judge(self, defer: dict[str, dict[str, Any]] | None = None) -> LLMJudge:
        with self._lock:
            if self._judge is None:
                from ae_coach.eval._variant import working_tree

                # The judge's prompt always comes from the working tree: both variants are graded alike.
                builder = working_tree().builder
                self._judge = LLMJudge(builder.render, cache=self.cache, model=self.options.judge_model)
            if defer is None:
                return self._judge
            return LLMJudge(self._judge.render, cache=self.cache, model=self.options.judge_model, defer=defer)


def content_rubric(case: Case) -> list[RubricItem]:
    """Content concepts as items for the LLM judge: it grades the meaning, not the terms."""
    require = [
        RubricItem.model_validate({"id": f"require.{concept_name(c)}", "pass": _concept_text(c)})
        for c in case.expect.content.require
    ]
    forbid = [
        RubricItem.model_validate(
            {"id": f"forbid.{concept_name(c)}", "pass": f"The answer does NOT do this: {_concept_text(c)}"}
        )
        for c in case.expect.content.forbid
    ]
    return require + forbid


def _concept_text(concept: Any) -> str:
    where = "" if concept.where == "any" else f" (in a {concept.where})"
    to = f", addressed to {concept.to.replace('|', ' or ')}" if concept.to else ""
    return f"{concept.concept}{where}{to}"


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None and b is None else (a or 0.0) + (b or 0.0)


def judge_context(case: Case, deal: Any) -> str:
    """What the judge sees besides the answer: the task and the deal's facts (as data)."""
    task = f"Chat question: {case.input.question}" if case.input.question else "Task: a written review of the deal."
    facts = deal.model_dump_json(exclude_none=True, by_alias=True)
    return f"{task}\nDeal (JSON): {facts}"
