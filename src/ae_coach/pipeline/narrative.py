"""The coach's summary of a pipeline review, written by Claude on top of the computed review.

The figures (coverage, stage mix, roll-ups, the riskiest deals) are computed by ``review_pipeline``; the
model only reads them and writes what a sales manager would say on Monday: a headline, the few deals to
inspect first and why, a comment on coverage, and what to do this week. CRM fields (accounts, owners,
deal names, finding evidence quoting them) are untrusted and go inside the ``<deal_data>`` block; the
answer is validated, and rule ids or deal ids the model made up are dropped and listed.

    coach = Coach("anthropic")
    summary = summarise_pipeline(review, coach)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ae_coach.crm.deals import deal_of, records
from ae_coach.deal import Deal
from ae_coach.findings import Finding, Severity
from ae_coach.model.llm import Usage

if TYPE_CHECKING:
    from ae_coach.coach import Coach, LLMRequest, LLMResult
    from ae_coach.pipeline.model import PipelineReview

MAX_DEALS_SHOWN = 25
"""ae-coach default: the riskiest open deals the model sees (a 100,000-deal export must not become the prompt)."""
MAX_INSPECT = 5
MAX_GAP_CODES = 8
"""The most common deal finding codes whose rules join the pipeline findings' rules in the system block."""
MAX_CODES_PER_DEAL = 8
"""Finding codes shown per deal (worst first); half as many Commit-gate gaps."""
SUMMARY_MAX_TOKENS = 4096


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DealToInspect(_Model):
    """A deal the manager should open first, and why."""

    deal_id: str
    """The deal's id exactly as the data block gives it."""
    account: str
    why: str
    """What is wrong and the one thing that would change the deal's outlook."""
    rule_ids: list[str]
    """Ids of the rules behind the advice."""


class PipelineCoaching(_Model):
    """What the model writes for a pipeline (one response model per call)."""

    headline: str
    """One sentence a sales manager would open the pipeline review with."""
    inspect_first: list[DealToInspect]
    """Three to five deals, worst first."""
    coverage: str
    """Two or three sentences on coverage and stage mix against the seed framework's pipeline math."""
    this_week: list[str]
    """Concrete actions for this week, most important first."""


class PipelineSummary(PipelineCoaching):
    """The coach's summary as the pipeline outputs show it: the model's answer, checked, with its cost."""

    dropped_rule_ids: list[str] = Field(default_factory=list)
    """Rule ids the model cited that the rulebook does not have (removed)."""
    dropped_deal_ids: list[str] = Field(default_factory=list)
    """Deal ids the model named that are not among the reviewed deals (removed)."""
    model: str | None = None
    usage: Usage | None = None
    estimated_cost_usd: float | None = None
    cost_note: str | None = None


def summarise_pipeline(review: PipelineReview, coach: Coach, deals: Sequence[Deal] | None = None) -> PipelineSummary:
    """Ask the coach's model for the summary of ``review``.

    With ``coach.redact`` the people, emails, phones and ids of the deals shown (from ``deals``, the imported
    deals) and every owner are pseudonymised in the request, and restored in the summary.

    Raises:
        BackendError: the API failed after retries (exit 3); ModelOutputError when no answer validated.
    """
    if not coach.redact:
        return summary_from_response(review, coach.client.structured(summary_request(review, coach)), coach)
    from ae_coach.coach.redact import Redactor

    redactor = Redactor()
    shown = {line.id for line in review.deals[:MAX_DEALS_SHOWN]}
    for record in records(deals or []):  # only the deals shown are built from an import's rows
        if record.id in shown:
            redactor.add_deal(deal_of(record))
    for line in review.deals[:MAX_DEALS_SHOWN]:
        if line.owner:
            redactor.add_person(line.owner)
    for owner in review.owners:
        redactor.add_person(owner.owner)
    hidden = redactor.redact(review)
    summary = summary_from_response(hidden, coach.client.structured(summary_request(hidden, coach)), coach)
    return redactor.restore(summary)


def summary_request(review: PipelineReview, coach: Coach) -> LLMRequest:
    """The exact request: the cached rules block, then the cached data block and the instructions."""
    from ae_coach.coach import LLMRequest, text_block
    from ae_coach.coach.prompt import json_schema_text, language_vars

    builder = coach.builder
    selection = builder.plan_rules(_findings_for_rules(review), None)
    system = [text_block(builder.system_prompt(selection), cache=True)]
    variables = {**_template_vars(review), "language": language_vars(coach.lang)}

    def user(json_mode: bool) -> list[dict[str, Any]]:
        schema = json_schema_text(PipelineCoaching) if json_mode else ""
        text = builder.render("pipeline", **variables, json_instructions=json_mode, json_schema=schema)
        return [{"role": "user", "content": [text_block(text)]}]

    return LLMRequest(coach.model, system, user(False), SUMMARY_MAX_TOKENS, PipelineCoaching, json_messages=user(True))


def summary_from_response(review: PipelineReview, response: LLMResult, coach: Coach) -> PipelineSummary:
    """Validate the answer; drop unknown rule ids and deals that are not in the review; add the cost."""
    from ae_coach.coach import estimate_cost, validate_result

    answer: PipelineCoaching = validate_result(response, PipelineCoaching).parsed  # type: ignore[assignment]
    known_deals = {line.id for line in review.deals}
    dropped_rules: list[str] = []
    dropped_deals: list[str] = []
    inspect = []
    for item in answer.inspect_first:
        if item.deal_id not in known_deals:
            dropped_deals.append(item.deal_id)
            continue
        kept = [i for i in item.rule_ids if i in coach.rulebook]
        dropped_rules += [i for i in item.rule_ids if i not in coach.rulebook and i not in dropped_rules]
        inspect.append(item.model_copy(update={"rule_ids": kept}))
    cost, note = estimate_cost(response.model, response.usage)
    return PipelineSummary(
        **{**answer.model_dump(), "inspect_first": [i.model_dump() for i in inspect[:MAX_INSPECT]]},
        dropped_rule_ids=dropped_rules,
        dropped_deal_ids=dropped_deals,
        model=response.model,
        usage=response.usage,
        estimated_cost_usd=cost,
        cost_note=note,
    )


def _findings_for_rules(review: PipelineReview) -> list[Finding]:
    """The pipeline findings, plus the deal gaps most common among the deals shown, for rule selection."""
    shown = review.deals[:MAX_DEALS_SHOWN]
    counts: dict[str, int] = {}
    for line in shown:
        for code in line.codes:
            counts[code] = counts.get(code, 0) + 1
    top = sorted(counts, key=lambda c: (-counts[c], c))[:MAX_GAP_CODES]
    gaps = [Finding(code=c, severity=Severity.MEDIUM, title=f"{counts[c]} deals: {c}") for c in top]
    return list(review.findings) + gaps


def _template_vars(review: PipelineReview) -> dict[str, Any]:
    from ae_coach.coach.prompt import data_yaml, finding_views

    shown = review.deals[:MAX_DEALS_SHOWN]
    deals = [_deal_view(line) for line in shown]
    owners = [
        {"owner": o.owner, "open_deals": o.open_deals, "at_risk": o.at_risk, "gaps": [g.code for g in o.gaps[:3]]}
        for o in review.owners
    ]
    return {
        "pipeline_data": data_yaml({"deals": deals, "owners": owners}),
        "as_of": review.as_of.isoformat(),
        "period": review.period.label,
        "quota": f"{review.inputs.quota.value:,.0f} {review.currency}" if review.inputs.quota else "not given",
        "figures": _figures(review),
        "pipeline_findings": finding_views(review.findings),
        "deals_shown": len(shown),
        "deals_total": len(review.deals),
        "max_inspect": MAX_INSPECT,
    }


def _deal_view(line: Any) -> dict[str, Any]:
    # The worst codes and Commit-gate gaps are enough to choose from; the full lists would triple the prompt.
    view = line.model_dump(mode="json", exclude_none=True, exclude={"risk_score"})
    view["codes"] = view.get("codes", [])[:MAX_CODES_PER_DEAL]
    view["why_not_commit"] = view.get("why_not_commit", [])[: MAX_CODES_PER_DEAL // 2]
    return view


def _figures(review: PipelineReview) -> list[str]:
    """The computed figures as short lines (ae-coach's numbers, not CRM text)."""
    c, cur = review.coverage, review.currency
    ratio = f"{c.ratio:.1f}x" if c.ratio is not None else "n/a"
    lines = [
        (
            f"open deals {review.counts.get('open', len(review.deals))}, open pipeline {c.open_total:,.0f} {cur}, "
            f"closing in period {c.open_in_period:,.0f} {cur}, overdue open {c.overdue_open:,.0f} {cur}"
        ),
        f"coverage in period: {ratio} of the remaining quota; needed {c.needed:.1f}x (1 / win rate)",
        f"stage-weighted pipeline in period: {c.weighted_in_period:,.0f} {cur}",
    ]
    mix = ", ".join(f"{r.stage.value} {r.share:.0%} (target {r.target:.0%})" for r in review.stage_mix)
    lines.append(f"stage mix by amount: {mix}")
    for label, rollup in (("CRM", review.rollup_crm), ("recommended", review.rollup_recommended)):
        lines.append(
            f"forecast roll-up ({label}): closed {rollup.closed:,.0f}, commit {rollup.commit:,.0f}, "
            f"best case {rollup.best_case:,.0f}, pipeline {rollup.pipeline:,.0f} {cur}"
        )
    if review.math is not None:
        m = review.math
        lines.append(
            f"pipeline math: {m.deals_needed:.1f} deals needed, {m.opportunities_per_quarter:.1f} new "
            f"opportunities a quarter, ~{m.meetings_per_week:.0f} qualified meetings a week"
        )
    return lines
