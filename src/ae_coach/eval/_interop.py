"""Results for other eval tools: promptfoo's results JSON and an inspect_ai-style eval log.

Both are read-only views of a run (for a comparison: the candidate's run, like JUnit). The mapping is
documented in docs/evals.md ("Interop"): a case is a promptfoo test / an inspect sample, each expectation
a promptfoo component result / part of the inspect score's explanation, the case score the score value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ae_coach.eval._compare import Comparison
from ae_coach.eval._results import CaseResult, RunResult

SCORER = "ae_coach"


def _run(subject: RunResult | Comparison) -> RunResult:
    return subject.candidate if isinstance(subject, Comparison) else subject


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _provider(result: RunResult) -> str:
    backend = result.options.get("backend", "offline")
    model = result.options.get("model")
    return f"ae-coach:{backend}" + (f":{model}" if model else "")


def _components(case: CaseResult) -> list[dict[str, Any]]:
    return [
        {
            "pass": item["pass_rate"] >= 0.5,
            "score": item["pass_rate"],
            "reason": item.get("detail") or ("passed" if item["pass_rate"] >= 0.5 else "failed"),
            "assertion": {"type": f"ae-coach:{item['kind']}", "value": item["name"]},
        }
        for item in case.items
    ]


def to_promptfoo(subject: RunResult | Comparison) -> dict[str, Any]:
    """promptfoo's ``--output results.json`` shape (version 3): one result per case."""
    result = _run(subject)
    rows = []
    for n, case in enumerate(result.cases):
        components = _components(case)
        reason = "; ".join(c["reason"] for c in components if not c["pass"]) or "all expectations passed"
        rows.append(
            {
                "id": case.id,
                "promptIdx": 0,
                "testIdx": n,
                "testCase": {
                    "description": case.id,
                    "vars": {"case": case.id, "suite": case.suite, "split": case.split, "target": case.target},
                    "assert": [c["assertion"] for c in components],
                    "metadata": {"tags": case.tags},
                },
                "vars": {"case": case.id, "suite": case.suite, "split": case.split},
                "provider": {"id": _provider(result), "label": result.variant},
                "response": {"output": case.output or ""},
                "success": case.passed,
                "score": case.score,
                "latencyMs": round(case.seconds * 1000),
                "namedScores": {SCORER: case.score},
                "gradingResult": {
                    "pass": case.passed,
                    "score": case.score,
                    "reason": case.errors[0] if case.errors else reason,
                    "componentResults": components,
                },
                **({"error": case.errors[0]} if case.errors else {}),
            }
        )
    t = result.totals
    tokens = t.get("tokens") or {}
    return {
        "evalId": str(result.options.get("run_log", "")),
        "results": {
            "version": 3,
            "timestamp": _now(),
            "prompts": [{"raw": result.variant, "label": result.variant, "provider": _provider(result)}],
            "results": rows,
            "stats": {
                "successes": t["passed"],
                "failures": t["cases"] - t["passed"] - len(t.get("errored_cases", [])),
                "errors": len(t.get("errored_cases", [])),
                "tokenUsage": {
                    "prompt": tokens.get("input_tokens", 0),
                    "completion": tokens.get("output_tokens", 0),
                    "total": tokens.get("input_tokens", 0) + tokens.get("output_tokens", 0),
                },
            },
        },
        "config": {"description": f"ae-coach eval: {result.variant}"},
    }


def to_inspect(subject: RunResult | Comparison) -> dict[str, Any]:
    """An inspect_ai eval log (JSON): ``eval``, ``results`` (accuracy and mean of the ae_coach scorer),
    ``samples`` (one per case; value 'C'/'I' for passed/failed, the score in metadata)."""
    result = _run(subject)
    t = result.totals
    samples = [
        {
            "id": case.id,
            "epoch": 1,
            "input": case.id,
            "target": [f"{i['kind']}:{i['name']}" for i in case.items],
            "output": {"model": result.options.get("model") or _provider(result), "completion": case.output or ""},
            "scores": {
                SCORER: {
                    "value": "C" if case.passed else "I",
                    "answer": f"{case.score:.3f}",
                    "explanation": "; ".join(
                        f"{i['kind']} {i['name']}: {'pass' if i['pass_rate'] >= 0.5 else 'fail'}" for i in case.items
                    ),
                    "metadata": {"score": case.score, "pass_rate": case.pass_rate, "flaky": case.flaky},
                }
            },
            "metadata": {"suite": case.suite, "split": case.split, "target": case.target, "tags": case.tags},
            **({"error": {"message": case.errors[0]}} if case.errors else {}),
        }
        for case in result.cases
    ]
    return {
        "version": 2,
        "status": "error" if t.get("errored_cases") else "success",
        "eval": {
            "task": "ae-coach",
            "created": _now(),
            "model": result.options.get("model") or _provider(result),
            "dataset": {"name": ",".join(sorted({c.suite for c in result.cases})), "samples": len(samples)},
            "metadata": {"variant": result.variant, "provenance": result.options.get("provenance")},
        },
        "results": {
            "total_samples": t["cases"],
            "completed_samples": t["cases"] - len(t.get("errored_cases", [])),
            "scores": [
                {
                    "name": SCORER,
                    "scorer": SCORER,
                    "metrics": {
                        "accuracy": {"name": "accuracy", "value": t["passed"] / max(1, t["cases"])},
                        "mean": {"name": "mean", "value": t["mean_score"]},
                    },
                }
            ],
        },
        "samples": samples,
    }
