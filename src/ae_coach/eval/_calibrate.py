"""``eval calibrate``: how far to trust a judge, measured on human-labelled answers.

``evals/judge-calibration/labelled.yaml`` holds coach answers a sales manager labelled pass/fail against
one rubric item each, before any judge ran (see its README). Each judge grades every item; the report
gives accuracy, Cohen's kappa (agreement beyond chance), the confusion matrix, accuracy per item kind and
every disagreement. The labels are the reference and are never edited to match a judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ae_coach.errors import InputError, SuiteFileError
from ae_coach.eval._cases import RubricItem
from ae_coach.eval._judge import JUDGE_MODEL, LLMJudge, keyword_judge

DEFAULT_FILE = Path("evals/judge-calibration/labelled.yaml")


class LabelledAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    deal: str
    question: str
    rubric: RubricItem
    answer: str
    label: Literal["pass", "fail"]
    kind: str = "plain"
    reason: str = ""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[LabelledAnswer] = Field(min_length=1)


def load_labelled(path: Path) -> list[LabelledAnswer]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the labelled set ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SuiteFileError(path, f"not valid YAML: {exc}") from None
    try:
        return _File.model_validate(data).items
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SuiteFileError(path, first["msg"], field=".".join(str(p) for p in first["loc"])) from None


@dataclass
class JudgeAgreement:
    judge: str
    """``keyword`` or ``llm (<model>)``."""
    n: int
    accuracy: float
    kappa: float
    confusion: dict[str, int]
    """tp (both pass), tn (both fail), fp (judge pass, label fail), fn (judge fail, label pass)."""
    by_kind: dict[str, float]
    disagreements: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Items the judge could not grade (left out of every figure above)."""


def cohen_kappa(judged: list[bool], labels: list[bool]) -> float:
    """Cohen's kappa for two binary raters: (observed - chance) / (1 - chance); 0 when chance is 1."""
    n = len(labels)
    if n == 0:
        return 0.0
    observed = sum(j == lab for j, lab in zip(judged, labels, strict=True)) / n
    pj, pl = sum(judged) / n, sum(labels) / n
    chance = pj * pl + (1 - pj) * (1 - pl)
    return 0.0 if chance == 1 else (observed - chance) / (1 - chance)


def agreement(judge: str, items: list[LabelledAnswer], verdicts: dict[str, Any]) -> JudgeAgreement:
    """Figures for one judge; ``verdicts`` maps item id to True/False, or to an error string."""
    graded = [i for i in items if isinstance(verdicts.get(i.id), bool)]
    judged = [bool(verdicts[i.id]) for i in graded]
    labels = [i.label == "pass" for i in graded]
    pairs = list(zip(judged, labels, strict=True))
    confusion = {
        "tp": sum(j and lab for j, lab in pairs),
        "tn": sum(not j and not lab for j, lab in pairs),
        "fp": sum(j and not lab for j, lab in pairs),
        "fn": sum(not j and lab for j, lab in pairs),
    }
    kinds: dict[str, list[bool]] = {}
    for item, j in zip(graded, judged, strict=True):
        kinds.setdefault(item.kind, []).append(j == (item.label == "pass"))
    return JudgeAgreement(
        judge=judge,
        n=len(graded),
        accuracy=(confusion["tp"] + confusion["tn"]) / len(graded) if graded else 0.0,
        kappa=cohen_kappa(judged, labels),
        confusion=confusion,
        by_kind={k: sum(v) / len(v) for k, v in sorted(kinds.items())},
        disagreements=[
            {"id": i.id, "kind": i.kind, "label": i.label, "judge": "pass" if j else "fail", "reason": i.reason}
            for i, j in zip(graded, judged, strict=True)
            if j != (i.label == "pass")
        ],
        errors=[f"{i.id}: {verdicts.get(i.id)}" for i in items if not isinstance(verdicts.get(i.id), bool)],
    )


def _keyword(items: list[LabelledAnswer]) -> dict[str, Any]:
    return {i.id: bool(keyword_judge([i.rubric], i.answer).verdicts[0].passed) for i in items}


def _llm(items: list[LabelledAnswer], path: Path, model: str, cache_dir: Path | None) -> dict[str, Any]:
    from ae_coach.deal import load_deal
    from ae_coach.eval._variant import working_tree
    from ae_coach.model.cache import Cache

    judge = LLMJudge(working_tree().builder.render, cache=Cache(cache_dir), model=model)
    out: dict[str, Any] = {}
    for item in items:
        deal = load_deal((path.parent / item.deal).resolve())
        context = f"Chat question: {item.question}\nDeal (JSON): {deal.model_dump_json(exclude_none=True)}"
        try:
            verdict = judge([item.rubric], item.answer, case_id=item.id, context=context, repeat=0).verdicts[0]
        except Exception as exc:  # one failed call must not hide the figures for the rest
            out[item.id] = f"{type(exc).__name__}: {exc}"
            continue
        out[item.id] = verdict.passed if verdict.error is None else verdict.error
    return out


def calibrate(
    path: Path = DEFAULT_FILE,
    *,
    judges: tuple[str, ...] = ("keyword",),
    model: str = JUDGE_MODEL,
    cache_dir: Path | None = None,
) -> list[JudgeAgreement]:
    """Grade the labelled set with each judge (``keyword``, ``llm``) and measure agreement with the labels."""
    items = load_labelled(path)
    out = []
    for judge in judges:
        if judge == "keyword":
            out.append(agreement("keyword", items, _keyword(items)))
        elif judge == "llm":
            out.append(agreement(f"llm ({model})", items, _llm(items, path, model, cache_dir)))
        else:
            raise InputError(f"--judge must be keyword, llm or auto, got {judge!r}")
    return out


def calibration_markdown(path: Path, results: list[JudgeAgreement], skipped: str | None = None) -> str:
    items = load_labelled(path)
    passes = sum(i.label == "pass" for i in items)
    lines = [
        f"# Judge calibration: {path}",
        "",
        f"{len(items)} human-labelled answers ({passes} pass, {len(items) - passes} fail).",
        "",
        "| judge | graded | accuracy | Cohen's kappa | tp | tn | fp | fn | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r.confusion
        lines.append(
            f"| {r.judge} | {r.n} | {r.accuracy * 100:.1f}% | {r.kappa:.2f} | "
            f"{c['tp']} | {c['tn']} | {c['fp']} | {c['fn']} | {len(r.errors)} |"
        )
    if skipped:
        lines += ["", skipped]
    for r in results:
        lines += ["", f"## {r.judge}", "", "Accuracy by kind: " + ", ".join(
            f"{k} {v * 100:.0f}%" for k, v in r.by_kind.items()
        )]  # fmt: skip
        if r.disagreements:
            lines += ["", "| item | kind | label | judge | the labeller's reason |", "|---|---|---|---|---|"]
            lines += [
                f"| {d['id']} | {d['kind']} | {d['label']} | {d['judge']} | {d['reason']} |" for d in r.disagreements
            ]
        lines += [f"- error: {e}" for e in r.errors]
    return "\n".join(lines) + "\n"
