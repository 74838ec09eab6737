"""The three targets a case can run on: the inspector, the prompt builder's rule selection, the coach.

Each target runs the real library code on one variant's rulebook and prompts and returns what the
graders need. A coach case also carries the inspector's findings and the builder's selection, so a case
may mix expectations from all three.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ae_coach.eval._cases import Case
from ae_coach.eval._skill_creator import EMPTY_DEAL
from ae_coach.eval._variant import Variant


@dataclass
class Output:
    """What one run of a target produced."""

    findings: list[str] | None = None
    selected: list[str] | None = None
    relevant: list[str] = field(default_factory=list)
    """Rules triggered by a fired finding: the denominator-free notion of 'relevant' for precision."""
    text: str | None = None
    cited: list[str] | None = None
    usage: dict[str, int] = field(default_factory=dict)
    cost_usd: float | None = None
    model: str | None = None
    cached: bool = False


def deep_merge(base: Any, patch: Any) -> Any:
    """``patch`` over ``base``: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        return {**base, **{k: deep_merge(base.get(k), v) for k, v in patch.items()}}
    return patch


def resolve_deal(case: Case) -> Any:
    """The case's deal (file, inline or empty), patched, with the case's ``as_of`` applied."""
    from ae_coach.deal import load_deal, parse_deal

    path = case.deal_path()
    if path is not None and case.input.patch is None:
        deal = load_deal(path)
    elif path is not None:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = {"id": path.stem, **deep_merge(data, case.input.patch)}
        deal = parse_deal(data, source=f"{path} (patched by case {case.id!r})")
    else:
        data = case.input.deal if isinstance(case.input.deal, dict) else dict(EMPTY_DEAL)
        data = deep_merge(data, case.input.patch or {})
        deal = parse_deal({"id": case.id, **data}, source=f"{case.source} case {case.id!r} input.deal")
    if case.input.as_of is not None:
        deal = deal.model_copy(update={"as_of": case.input.as_of})
    return deal


def _as_of(deal: Any) -> dt.date:
    return deal.as_of or dt.date.today()


def run_inspector(deal: Any, variant: Variant) -> Output:
    from ae_coach.inspector import inspect

    findings = inspect(deal, _as_of(deal), rulebook=variant.rulebook)
    return Output(findings=[f.code for f in findings])


def run_selection(case: Case, deal: Any, variant: Variant) -> Output:
    from ae_coach.inspector import assess

    rulebook = variant.rulebook_for(case)
    assessment = assess(deal, _as_of(deal), rulebook=rulebook)
    kwargs: dict[str, Any] = {"question": case.input.question}
    if case.input.budget_tokens is not None:
        kwargs["budget_tokens"] = case.input.budget_tokens
    selected = variant.builder_for(case).select_rules(assessment, deal.stage, **kwargs)
    relevant = sorted({rule_id for f in assessment.findings for rule_id in f.rules})
    return Output(findings=[f.code for f in assessment.findings], selected=[r.id for r in selected], relevant=relevant)


def report_text(report: Any) -> str:
    """The human-readable text of a CoachingReport, in reading order, for checks and judges."""
    lines = [report.headline]
    if report.narrative:
        lines.append(report.narrative)
    lines += [f"Health {report.health.score}/100: " + "; ".join(report.health.reasons)]
    lines += [f"Forecast: {report.forecast.category.value}", *list(report.forecast.why_not_commit)]
    lines += [f"Risk ({r.severity.value}): {r.title} [{', '.join(r.rule_ids)}]" for r in report.risks]
    lines += [f"Also ({r.severity.value}): {r.title} [{', '.join(r.rule_ids)}]" for r in report.also_risks]
    for a in report.next_actions:
        due = f" by {a.due.isoformat()}" if a.due else ""
        contact = f", with {a.contact}" if a.contact else ""
        rules = ", ".join([a.rule_id or "", *getattr(a, "also_rules", [])])
        lines.append(f"Action: {a.action} (owner {a.owner}{contact}{due}) because {a.why} [{rules}]")
    lines += [
        f"Ask {q.stakeholder or q.role or 'the buyer'}: {q.question}"
        + (f" (on this deal: {q.about})" if q.about else "")
        + f" [{q.rule_id or ''}]"
        for q in report.questions
    ]
    lines += [
        f"Plan {s.date.isoformat()}: {s.action} ({s.owner})" + (f" [{s.note}]" if s.note else "")
        for s in report.mutual_action_plan
    ]
    return "\n".join(lines)


def report_citations(report: Any) -> list[str]:
    ids = [i for r in [*report.risks, *report.also_risks] for i in r.rule_ids]
    # a conversation's points each keep their rule: the review's rule column prints them all
    ids += [r for a in report.next_actions for r in [a.rule_id, *a.also_rules] if r]
    ids += [q.rule_id for q in report.questions if q.rule_id]
    return list(dict.fromkeys(ids))


_BRACKETS = re.compile(r"\[([^\[\]\n]{1,400})\]")


def cited_in_text(text: str, candidates: list[str]) -> list[str]:
    """Rule ids the text cites: whole ids inside square brackets (``[deal-economic-buyer]``,
    ``[a, b]``), as the prompts ask. An id mentioned in quoted rule prose ("(relationship-late-stakeholders)")
    is a mention, not a citation."""
    cited = {part for group in _BRACKETS.findall(text) for part in re.split(r"[\s,;]+", group) if part}
    return [rid for rid in candidates if rid in cited]


def usage_dict(usage: Any) -> dict[str, int]:
    if usage is None:
        return {}
    data = usage.model_dump() if hasattr(usage, "model_dump") else dict(usage)
    return {k: int(v) for k, v in data.items() if isinstance(v, int | float) and v}
