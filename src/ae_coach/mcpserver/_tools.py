"""What each MCP tool computes, as plain functions returning JSON-ready data.

Nothing here imports ``mcp``: the server module wraps these and turns ``AeCoachError`` into tool errors,
and tests can call them directly. Every function raises an ``ae_coach.errors`` class for bad input.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.errors import DealFileError, InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.deal import Deal

DEAL_TEXT_SOURCE = "<deal text>"
"""How error messages name a deal passed as text rather than as a file."""

MAX_RESULTS = 20
"""The most rule-search hits one call returns (the host model's context is the budget)."""


def parse_as_of(as_of: str | None) -> dt.date | None:
    """An optional ISO date argument; a bad one names the argument and the format."""
    if as_of is None or not as_of.strip():
        return None
    from ae_coach.deal import check_date

    try:
        return check_date(dt.date.fromisoformat(as_of.strip()))
    except ValueError:
        raise UsageError(
            f"as_of: {as_of[:40]!r} is not a date from 1900 to 2199; use YYYY-MM-DD, e.g. 2026-11-26"
        ) from None


def _looks_like_text(value: str) -> bool:
    stripped = value.strip()
    return "\n" in stripped or stripped.startswith(("{", "---"))


def load_deal_input(deal: str) -> Deal:
    """A deal given as YAML/JSON text or as a path to a deal file.

    Text is anything with a newline or starting with ``{``; otherwise the value is a path (``~`` is
    expanded; a relative path is relative to the server's working directory).

    Raises:
        DealFileError: the text or file is not a valid deal (names line and field), or the file is missing.
    """
    from ae_coach.deal import load_deal

    if not deal or not deal.strip():
        raise DealFileError(DEAL_TEXT_SOURCE, "empty; pass a deal file path or the deal's YAML/JSON text")
    if _looks_like_text(deal):
        return _deal_from_text(deal)
    path = Path(deal.strip()).expanduser()
    if path.is_file():
        return load_deal(path)
    if ":" in deal and path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        return _deal_from_text(deal)  # one-line YAML ("account: Acme"): its error says what is missing
    hint = "" if path.is_absolute() else f" (relative paths start from {Path.cwd()})"
    raise DealFileError(path, f"no such deal file{hint}; pass an absolute path or the deal's YAML/JSON text")


def _deal_from_text(text: str) -> Deal:
    from ae_coach.deal import loads_deal

    json_format = text.lstrip().startswith(("{", "[")) and _is_json(text)
    deal = loads_deal(text, DEAL_TEXT_SOURCE, json_format=json_format)
    return deal if deal.id != Path(DEAL_TEXT_SOURCE).stem else deal.model_copy(update={"id": None})


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def deal_summary(deal: Deal) -> dict[str, Any]:
    """The few fields a host needs to say which deal a result is about."""
    return {
        "id": deal.id,
        "account": deal.account,
        "name": deal.name,
        "stage": deal.stage.value,
        "amount": deal.amount,
        "currency": deal.currency,
        "close_date": deal.close_date.isoformat() if deal.close_date else None,
    }


def inspect_deal(deal: str, as_of: str | None = None) -> dict[str, Any]:
    """Deterministic findings and assessment for one deal (see ``ae_coach.inspector.assess``)."""
    parsed = load_deal_input(deal)
    when = parse_as_of(as_of)
    from ae_coach.inspector import assess

    assessment = assess(parsed, when)
    return {"deal": deal_summary(parsed), **assessment.model_dump(mode="json")}


def review_deal(deal: str, as_of: str | None = None, lang: str | None = None) -> dict[str, Any]:
    """The offline coach's report, plus the findings it rests on (the shape of ``review --format json``),
    its text in ``lang`` (``zh``: Chinese; default English)."""
    parsed = load_deal_input(deal)
    when = parse_as_of(as_of)
    from ae_coach.coach import Coach

    result = Coach(backend="offline", lang=lang or "en").run_review(parsed, as_of=when)
    return {
        "deal": deal_summary(parsed),
        "findings": [finding.model_dump(mode="json") for finding in result.assessment.findings],
        "report": result.report.model_dump(mode="json"),
    }


SECTIONS_PER_RULE = 8
"""Section hits fetched per requested rule, so ``k`` distinct rules survive the grouping."""


def search_rules(query: str, k: int = 5) -> dict[str, Any]:
    """BM25 search over rule sections, grouped by rule: the ``k`` best rules, each with its best section.

    A rule whose several sections match is one hit (its ``sections`` list them, best first), so a
    host asking for five rules gets five different rules.
    """
    from ae_coach.rules import load_rulebook

    if not query or not query.strip():
        raise UsageError("query: empty; describe the situation, e.g. 'champion went quiet after the proposal'")
    if not 1 <= k <= MAX_RESULTS:
        raise UsageError(f"k: {k} is out of range; allowed 1 to {MAX_RESULTS}")
    grouped: dict[str, dict[str, Any]] = {}
    for hit in load_rulebook().search(query, k=k * SECTIONS_PER_RULE):
        entry = grouped.get(hit.rule.id)
        if entry is None:
            if len(grouped) == k:
                continue
            entry = grouped[hit.rule.id] = {
                "id": hit.rule.id,
                "title": hit.rule.title,
                "section": hit.section,
                "score": round(hit.score, 4),
                "sections": [],
                "summary": hit.rule.summary,
                "uri": f"rule://{hit.rule.id}",
            }
        entry["sections"].append(hit.section)
    return {"query": query, "hits": list(grouped.values())}


def get_rule(rule_id: str, lang: str | None = None) -> str:
    """A rule's full markdown file (frontmatter and body); with ``lang="zh"`` its Chinese version."""
    from ae_coach.rules import load_rulebook

    rulebook = load_rulebook(lang=lang or "en")
    rule = rulebook.get(rule_id.strip())
    if rule is None:
        near = [hit.rule.id for hit in rulebook.search(rule_id.replace("-", " "), k=3)]
        hint = f"; did you mean {', '.join(dict.fromkeys(near))}?" if near else ""
        raise InputError(f"rule_id: unknown rule {rule_id!r}{hint} (search_rules lists ids)")
    return rule.path.read_text(encoding="utf-8")


def pipeline_math(quota: float, avg_deal_size: float, win_rate: float, cycle_days: int = 90) -> dict[str, Any]:
    """The seed framework's pipeline math for a yearly quota (see ``ae_coach.pipeline.math``).

    ``win_rate`` may be a fraction (0.25) or a percent (25). The cycle does not change the counts; it says
    how far ahead of its close date each opportunity has to exist.
    """
    from ae_coach.pipeline.math import pipeline_math as compute

    rate = win_rate / 100 if win_rate > 1 else win_rate
    if not 0 < rate <= 1:
        raise UsageError(f"win_rate: {win_rate} is not a rate; use a fraction such as 0.25 or a percent such as 25")
    for name, value in (("quota", quota), ("avg_deal_size", avg_deal_size), ("cycle_days", cycle_days)):
        if value <= 0:
            raise UsageError(f"{name}: {value} must be greater than 0")
    math = compute(quota, avg_deal_size, rate)
    return {
        **math.model_dump(mode="json"),
        "cycle_days": cycle_days,
        "lead_time_note": (
            f"With a {cycle_days}-day cycle, an opportunity has to be open about {cycle_days} days before "
            f"the date it should close: build each quarter's pipeline about {round(cycle_days / 7)} weeks ahead."
        ),
    }


MAX_PIPELINE_DEALS = 50
"""The most deals one ``detail="deals"`` page holds; the totals always cover every deal."""
MAX_IMPORT_NOTES = 20
TOP_GAPS = 10
DETAILS = ("summary", "deals")


def review_pipeline(
    path: str,
    quota: float | str | None = None,
    as_of: str | None = None,
    *,
    detail: str = "summary",
    offset: int = 0,
    limit: int = MAX_PIPELINE_DEALS,
) -> dict[str, Any]:
    """Review every deal of a pipeline (deal folder, YAML list or CRM CSV), summarised for a host's context.

    ``quota`` is read as the CLI reads ``--quota`` (``1000000``, ``1,000,000``, ``1M``). The summary has the
    counts, coverage, both roll-ups, stage mix, owners, the pipeline findings and the deals most at risk;
    ``detail="deals"`` adds the open deals ``offset`` to ``offset + limit`` (riskiest first) in full.
    """
    from ae_coach.pipeline import review_path
    from ae_coach.pipeline.math import parse_amount
    from ae_coach.pipeline.render._tables import import_notes

    when = parse_as_of(as_of)
    if not path or not path.strip():
        raise UsageError("path: empty; pass a folder of deal files, a YAML list of deals or a CRM CSV export")
    if detail not in DETAILS:
        raise UsageError(f"detail: {detail!r} is not allowed; use one of {', '.join(DETAILS)}")
    if offset < 0 or not 1 <= limit <= MAX_PIPELINE_DEALS:
        raise UsageError(f"offset must be 0 or more and limit 1 to {MAX_PIPELINE_DEALS}; got {offset}, {limit}")
    amount = None if quota is None or quota == "" else parse_amount(quota, "quota")
    review = review_path(Path(path.strip()).expanduser(), quota=amount, as_of=when)
    summary = pipeline_summary(review)
    summary["import_notes"] = import_notes(review)[:MAX_IMPORT_NOTES]
    if detail == "deals":
        page = review.deals[offset : offset + limit]
        summary["deals"] = [line.model_dump(mode="json") for line in page]
        summary["next_offset"] = offset + limit if offset + limit < len(review.deals) else None
    return summary


def pipeline_summary(review: Any) -> dict[str, Any]:
    """The parts of a :class:`~ae_coach.pipeline.model.PipelineReview` a host reads first, in few fields."""
    dump = review.model_dump(mode="json", include={"as_of", "period", "currency", "counts", "coverage", "math",
                                                   "stage_mix", "findings", "source"})  # fmt: skip
    dump["rollup_crm"] = review.rollup_crm.model_dump(mode="json")
    dump["rollup_evidence"] = review.rollup_recommended.model_dump(mode="json")
    dump["owners"] = [
        {**o.model_dump(mode="json", exclude={"gaps", "won_deals"}), "top_gaps": [g.code for g in o.gaps[:3]]}
        for o in review.owners
    ]
    dump["at_risk"] = [
        {
            "id": d.id,
            "account": d.account,
            "owner": d.owner,
            "stage": d.stage.value,
            "amount": d.amount,
            "close_date": d.close_date.isoformat() if d.close_date else None,
            "health": d.health,
            "worst": d.worst.value if d.worst else None,
            "why": d.headline,
            "crm_forecast": d.forecast_category.value if d.forecast_category else None,
            "evidence_forecast": d.recommended_forecast.value if d.recommended_forecast else None,
        }
        for d in review.at_risk
    ]
    dump["common_gaps"] = dict(list(review.common_gaps.items())[:TOP_GAPS])
    dump["deals_total"] = len(review.deals)
    return dump
