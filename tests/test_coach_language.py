"""The LLM path in Chinese: the request asks for the language with the glossary's terms and carries the
Chinese rules; the answer fills the same report model. Through the real SDK against the loopback server."""

from __future__ import annotations

import re

from ae_coach.coach import Coach
from ae_coach.coach.report import ModelCoaching
from ae_coach.deal import parse_deal
from coach_deals import NORTHWIND, model_answer
from messages_server import json_message

HAN = re.compile(r"[\u4e00-\u9fff]")

ZH_ANSWER = model_answer(
    headline="报承诺只是希望：还没有人见过签字的人。",
    narrative="Person 1 是真正的内部支持者，但这笔交易还没有最终决策者 [deal-economic-buyer]。",
    risks=[
        {
            "title": "最终决策者未知",
            "severity": "high",
            "finding_codes": ["meddpicc.economic_buyer"],
            "rule_ids": ["deal-economic-buyer"],
        }
    ],
    next_actions=[
        {
            "action": "请 Person 1 安排与 CFO 的 30 分钟会面，讲商业论证",
            "owner": "AE",
            "due": "2026-11-30",
            "why": "还没有见过最终决策者",
            "rule_id": "deal-economic-buyer",
            "finding_codes": ["meddpicc.economic_buyer"],
        },
        {
            "action": "把交易调整为承诺",  # argues for a category the call does not support: dropped
            "owner": "AE",
            "due": "2026-12-01",
            "why": "客户很热情",
            "rule_id": "pipeline-commit-gate",
            "finding_codes": ["anti.forecast_fantasy"],
        },
    ],
)


def _text(body: dict) -> str:
    return "\n".join(block["text"] for block in body["messages"][0]["content"])


def test_a_chinese_review_asks_for_chinese_with_the_glossary_terms(api) -> None:
    server = api(json_message(ZH_ANSWER))
    Coach("anthropic", max_retries=0, timeout=5, lang="zh").review(parse_deal(dict(NORTHWIND)))
    body = server.requests[0].body
    instructions = _text(body)
    assert "Simplified Chinese" in instructions
    assert "- economic buyer: 最终决策者" in instructions and "- champion: 内部支持者" in instructions
    assert "meddpicc.economic_buyer" in instructions  # codes stay English
    system = body["system"][0]["text"]
    assert '<rule id="deal-economic-buyer"' in system and HAN.search(system)  # the Chinese rule text
    # the response model is the same in every language
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert set(body["output_config"]["format"]["schema"]["properties"]) == set(ModelCoaching.model_fields)


def test_an_english_review_asks_for_no_language(api) -> None:
    server = api(json_message(model_answer()))
    Coach("anthropic", max_retries=0, timeout=5).review(parse_deal(dict(NORTHWIND)))
    body = server.requests[0].body
    assert "Simplified Chinese" not in _text(body)
    assert not HAN.search(body["system"][0]["text"])


def test_the_chinese_answer_fills_the_report_and_is_held_to_the_same_checks(api) -> None:
    api(json_message(ZH_ANSWER))
    report = Coach("anthropic", max_retries=0, timeout=5, lang="zh").review(parse_deal(dict(NORTHWIND)))
    assert report.headline.startswith("报承诺只是希望")
    assert report.risks[0].title == "最终决策者未知" and report.risks[0].finding_codes == ["meddpicc.economic_buyer"]
    actions = [a.action for a in report.next_actions]
    assert any(a.startswith("请 Person 1") or a.startswith("请 Dana") for a in actions)
    assert "把交易调整为承诺" not in actions  # the call is not Commit: the Chinese wording is caught too
    assert HAN.search(report.health.reasons[0])  # computed parts are in Chinese as well


def test_the_pipeline_summary_asks_for_the_language(api, capsys) -> None:
    import json
    from pathlib import Path

    from ae_coach.cli import main

    report = Path(__file__).parent / "fixtures" / "crm" / "salesforce_report.csv"
    summary = {
        "headline": "两笔承诺都还没见过签字的人。",
        "inspect_first": [
            {"deal_id": "0065g00000NwA07", "account": "Adventure Works", "why": "没有最终决策者。", "rule_ids": []}
        ],
        "coverage": "覆盖率低于赢单率要求的 4x。",
        "this_week": ["约 Adventure Works 的 CFO"],
    }
    server = api(json_message(summary))
    args = [str(report), "--as-of", "2026-11-26", "--quota", "1M", "--format", "json", "--lang", "zh", "--no-log"]
    assert main(["pipeline", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["coach_summary"]["headline"].startswith("两笔承诺")
    text = server.requests[0].body["messages"][0]["content"][0]["text"]
    assert "Simplified Chinese" in text and "- economic buyer: 最终决策者" in text
