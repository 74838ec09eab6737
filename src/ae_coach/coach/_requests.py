"""Building the model requests for a review and for chat turns from the prompt templates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ae_coach.coach.prompt import (
    PromptBuilder,
    RuleSelection,
    deal_data_block,
    finding_views,
    json_schema_text,
    language_vars,
)
from ae_coach.coach.report import ModelCoaching
from ae_coach.model.llm import LLMRequest, text_block

if TYPE_CHECKING:
    from ae_coach.deal import Deal

CHAT_EXCERPTS = 3
"""Rule sections retrieved for each chat question and put in that turn (not in the cached block)."""
EXCERPT_CHARS = 1_500


def review_vars(assessment: Any, actions: list[Any] | None = None) -> dict[str, Any]:
    """The review template's variables from an assessment and the offline coach's ranked actions."""
    grades = getattr(assessment, "meddpicc", {}) or {}
    facts = getattr(assessment, "facts", None)
    return {
        "ranked_actions": [
            {
                "horizon": a.horizon or "later",
                "due": a.due.isoformat() if a.due else "",
                "action": a.action,
                "contact": a.contact or "",
                "evidence": a.evidence or "",
                "rule_id": a.rule_id or "",
            }
            for a in actions or []
        ],
        "forecast_reasons": list(getattr(assessment, "forecast_reasons", [])),
        "period": getattr(getattr(assessment, "period", None), "label", ""),
        "people": [
            {
                "name": p.name,
                "role": str(p.role),
                "last_two_way": p.last_two_way.isoformat() if p.last_two_way else "none",
                "unanswered": p.unanswered,
            }
            for p in (facts.people if facts else [])
        ],
        "upcoming": [f"{i.date.isoformat()} {i.kind}: {i.text}" for i in (facts.upcoming if facts else [])],
        "as_of": assessment.as_of.isoformat(),
        "stage_probability": getattr(assessment, "stage_probability", None),
        "health": assessment.health,
        "health_reasons": list(assessment.health_reasons),
        "recommended_forecast": str(assessment.recommended_forecast),
        "why_not_commit": list(assessment.why_not_commit),
        "meddpicc": [(k, str(v)) for k, v in dict(grades).items()],
        "findings": finding_views(assessment.findings),
    }


def review_request(
    builder: PromptBuilder,
    selection: RuleSelection,
    deal: Deal,
    assessment: Any,
    model: str,
    max_tokens: int,
    actions: list[Any] | None = None,
    since: dict[str, Any] | None = None,
) -> LLMRequest:
    """System = the cached rules block; user = the cached deal-data block + the review instructions
    (with the inspection, the deal's facts and the offline coach's ranked actions to start from).

    ``since`` (plain data from ``ae_coach.history``) is what changed since the deal's previous review.
    """
    system = [text_block(builder.system_prompt(selection), cache=True)]
    variables = {
        **review_vars(assessment, actions),
        "stage": str(deal.stage),
        "since": since,
        "language": language_vars(),
    }

    def user(json_mode: bool) -> list[dict[str, Any]]:
        instructions = builder.render(
            "review",
            **variables,
            json_instructions=json_mode,
            json_schema=json_schema_text(ModelCoaching) if json_mode else "",
        )
        return [{"role": "user", "content": [text_block(deal_data_block(deal), cache=True), text_block(instructions)]}]

    return LLMRequest(model, system, user(False), max_tokens, ModelCoaching, json_messages=user(True))


def chat_turn_content(
    builder: PromptBuilder, deal: Deal, assessment: Any, question: str, first_turn: bool
) -> list[dict[str, Any]]:
    """The user content of one chat turn: (first turn: the deal block) + matching rule excerpts + question."""
    hits = builder.rulebook.search(question, k=CHAT_EXCERPTS)
    excerpts = [
        {"rule_id": h.rule.id, "section": h.section, "text": h.rule.sections.get(h.section, "")[:EXCERPT_CHARS]}
        for h in hits
    ]
    text = builder.render(
        "chat",
        question=question,
        excerpts=excerpts,
        first_turn=first_turn,
        findings=finding_views(assessment.findings) if first_turn else [],
        as_of=assessment.as_of.isoformat(),
    )
    blocks = [text_block(text)]
    if first_turn:
        blocks.insert(0, text_block(deal_data_block(deal), cache=True))
    return blocks


def chat_request(
    builder: PromptBuilder, selection: RuleSelection, history: list[dict[str, Any]], model: str, max_tokens: int
) -> LLMRequest:
    """Every turn sends the same cached rules block; the newest user turn also gets a cache breakpoint so
    the next turn reads the whole conversation so far from the cache."""
    system = [text_block(builder.system_prompt(selection), cache=True)]
    messages = [dict(m) for m in history]
    last = messages[-1]
    content = [dict(b) for b in last["content"]]
    if "cache_control" not in content[-1]:
        content[-1] = {**content[-1], "cache_control": {"type": "ephemeral"}}
    messages[-1] = {**last, "content": content}
    return LLMRequest(model, system, messages, max_tokens, None)
