"""The report model: rule-id validation, model answers turned into report items, and cost estimates."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach.report import (
    CoachingReport,
    ModelCoaching,
    Usage,
    coaching_items,
    drop_unknown_rule_ids,
)
from ae_coach.model.pricing import estimate_cost, list_price


def report(**items):
    base = {
        "account": "Acme",
        "as_of": "2026-11-26",
        "backend": "anthropic",
        "headline": "h",
        "health": {"score": 50, "reasons": []},
        "forecast": {"category": "best_case"},
    }
    return CoachingReport.model_validate({**base, **items})


def test_unknown_rule_ids_are_dropped_everywhere_and_listed_once():
    r = report(
        risks=[
            {"title": "t", "severity": "high", "finding_codes": ["x"], "rule_ids": ["deal-economic-buyer", "fake-1"]}
        ],
        next_actions=[
            {"action": "a", "owner": "AE", "why": "w", "rule_id": "fake-1"},
            {"action": "b", "owner": "AE", "why": "w", "rule_id": "deal-economic-buyer"},
        ],
        questions=[{"question": "q?", "rule_id": "fake-2"}],
    )
    cleaned = drop_unknown_rule_ids(r, {"deal-economic-buyer"})
    assert cleaned.dropped_rule_ids == ["fake-1", "fake-2"]
    assert cleaned.risks[0].rule_ids == ["deal-economic-buyer"]
    assert [a.rule_id for a in cleaned.next_actions] == [None, "deal-economic-buyer"]
    assert cleaned.questions[0].rule_id is None
    assert drop_unknown_rule_ids(cleaned, {"deal-economic-buyer"}) == cleaned  # idempotent


def test_model_answer_dates_are_parsed_and_vague_ones_left_empty():
    answer = ModelCoaching.model_validate(
        {
            "headline": "h",
            "narrative": "n",
            "risks": [],
            "questions": [],
            "next_actions": [
                {"action": "a", "owner": "AE", "due": "2026-12-01", "why": "w", "rule_id": None, "finding_codes": []},
                {"action": "b", "owner": "AE", "due": "next week", "why": "w", "rule_id": None, "finding_codes": []},
            ],
        }
    )
    _, actions, _ = coaching_items(answer)
    assert [a.due for a in actions] == [dt.date(2026, 12, 1), None]


def test_model_answer_schema_is_strict():
    with pytest.raises(ValueError):
        ModelCoaching.model_validate(
            {"headline": "h", "narrative": "n", "risks": [], "questions": [], "next_actions": [], "extra": 1}
        )


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("claude-sonnet-5-5", (2.0, 10.0)),
        ("claude-sonnet-4-6", (3.0, 15.0)),
        ("claude-opus-4-1-20250805", (15.0, 75.0)),
        ("claude-opus-4-5", (5.0, 25.0)),
        ("my-local-llama", None),
    ],
)
def test_list_price_by_longest_prefix(model, price):
    assert list_price(model) == price


def test_cost_estimate_counts_cache_tokens():
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=100_000,
        cache_read_input_tokens=1_000_000,
        cache_creation_input_tokens=1_000_000,
    )
    cost, note = estimate_cost("claude-sonnet-4-6", usage)
    assert cost == pytest.approx(3.0 + 1.5 + 0.3 + 3.75)
    assert "list prices as of" in note
    assert estimate_cost("my-local-llama", usage)[0] is None


def test_usage_adds_up():
    assert Usage(input_tokens=1, output_tokens=2) + Usage(input_tokens=3, cache_read_input_tokens=4) == Usage(
        input_tokens=4, output_tokens=2, cache_read_input_tokens=4
    )
