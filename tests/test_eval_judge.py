"""Judges and the generation cache: the keyword judge, and Claude (coach and judge) through the loopback
Messages API with the real ``anthropic`` client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.eval import RunOptions, Session, run_eval
from ae_coach.eval._cases import RubricItem
from ae_coach.eval._judge import JUDGE_MODEL, keyword_judge, parse_judgement
from coach_deals import model_answer
from messages_server import json_message, message


def item(pass_: str, keywords: list[str] | None = None, id_: str = "r") -> RubricItem:
    return RubricItem.model_validate({"id": id_, "pass": pass_, "keywords": keywords or []})


@pytest.mark.parametrize(
    ("rubric", "text", "passed"),
    [
        (item("x", ["economic buyer", "CFO|finance"]), "Meet the economic buyer, the CFO.", True),
        (item("x", ["economic buyer", "CFO|finance"]), "Meet the economic buyer soon.", False),
        (item("x", ["quantif"]), "Quantified value: 6% fuel", True),  # terms match at the start of a word
        (item("x", ["MAP"]), "see the roadmap", False),
        (item('Says "not Commit" and names "Dana"'), "Call it Best case, not Commit; ask Dana.", True),
        (item('Says "not Commit" and names "Dana"'), "Call it not Commit.", False),
        (item("Recommends multi-threading beyond the champion"), "Go beyond the champion: start multi-threading", True),
        (item("Recommends multi-threading beyond the champion"), "Nothing relevant here.", False),
    ],
)
def test_keyword_judge(rubric: RubricItem, text: str, passed: bool) -> None:
    verdict = keyword_judge([rubric], text).verdicts[0]
    assert verdict.passed is passed and verdict.error is None


def test_unparseable_or_incomplete_judge_output_is_an_error_never_a_pass() -> None:
    items = [item("a", id_="a"), item("b", id_="b")]
    for raw in ("not json", '{"items": [{"id": "a", "verdict": "pass"}]}', '{"items": "pass"}'):
        verdicts = parse_judgement(raw, items)
        assert all(v.passed is None and v.error for v in verdicts), raw
    verdicts = parse_judgement('{"items": [{"id": "a", "reasoning": "ok", "verdict": "pass"}]}', items)
    assert verdicts[0].passed is True and verdicts[1].error == "the judge gave no verdict for this item"


REVIEW_SUITE = """
cases:
  - id: live-review
    input: {deal: {account: Northwind, stage: validation, amount: 120000, as_of: 2026-11-26}}
    expect:
      rules: {cited: [deal-economic-buyer]}
      rubric:
        - {id: eb, pass: The review tells the rep to meet the economic buyer.}
"""

CHAT_SUITE = """
cases:
  - id: live-chat
    input: {deal: {account: Northwind, stage: validation, as_of: 2026-11-26}, question: "Who signs?"}
    expect: {checks: [{contains: economic buyer}]}
"""


def run(suite_text: str, tmp_path: Path, **options) -> tuple[Session, object]:
    suite = tmp_path / "live.yaml"
    suite.write_text(suite_text, encoding="utf-8")
    options.setdefault("judge", "llm")
    opts = RunOptions(backend="anthropic", concurrency=1, cache_dir=tmp_path / "cache", **options)
    session = Session(suites=[str(suite)], options=opts, runs_dir=tmp_path / "runs")
    return session, run_eval(session)


def verdict(verdict_: str, reasoning: str = "It names the CFO meeting.") -> dict:
    return {"items": [{"id": "eb", "reasoning": reasoning, "verdict": verdict_}]}


def test_live_review_is_judged_and_both_calls_are_cached(api, tmp_path: Path) -> None:
    server = api(json_message(model_answer()), json_message(verdict("pass")))
    _, result = run(REVIEW_SUITE, tmp_path)
    case = result.cases[0]
    assert case.passed and case.errors == []
    assert len(server.requests) == 2
    judge_body = server.requests[1].body
    assert judge_body["model"] == JUDGE_MODEL
    assert judge_body["output_config"]["format"]["type"] == "json_schema"
    assert "temperature" not in judge_body
    prompt = judge_body["messages"][0]["content"]
    assert "<answer_under_test>" in prompt and "Commit is hope" in prompt and "- eb: The review tells" in prompt
    assert result.totals["tokens"]["input_tokens"] == 2400 and result.totals["cost_usd"] > 0

    _, again = run(REVIEW_SUITE, tmp_path)  # the server has no script left: any call would fail the test
    assert again.cases[0].passed and again.totals["cached_samples"] == 1 and len(server.requests) == 2


def test_a_failing_verdict_fails_the_case_and_no_cache_calls_again(api, tmp_path: Path) -> None:
    server = api(json_message(model_answer()), json_message(verdict("fail", "It never names who signs.")))
    _, result = run(REVIEW_SUITE, tmp_path)
    assert not result.cases[0].passed
    assert {i["name"]: i["pass_rate"] for i in result.cases[0].items} == {"deal-economic-buyer": 1.0, "eb": 0.0}
    server.push(json_message(model_answer()), json_message(verdict("pass")))
    _, fresh = run(REVIEW_SUITE, tmp_path, use_cache=False)
    assert fresh.cases[0].passed and len(server.requests) == 4


def test_unparseable_judgement_is_an_error_and_is_not_cached(api, tmp_path: Path) -> None:
    server = api(json_message(model_answer()), message("I think it passes."))
    _, result = run(REVIEW_SUITE, tmp_path)
    case = result.cases[0]
    assert not case.passed and case.errors and "unparseable judge output" in case.errors[0]
    # The generation was cached; the broken judgement was not, so only the judge is asked again.
    server.push(json_message(verdict("pass")))
    _, again = run(REVIEW_SUITE, tmp_path)
    assert again.cases[0].passed and len(server.requests) == 3


def test_truncated_chat_answers_are_never_cached(api, tmp_path: Path) -> None:
    cut = message("Meet the economic buyer bef", stop_reason="max_tokens")
    server = api(cut)
    run(CHAT_SUITE, tmp_path, judge="keyword")
    server.push(message("Meet the economic buyer this week.", stop_reason="end_turn"))
    _, second = run(CHAT_SUITE, tmp_path, judge="keyword")
    assert len(server.requests) == 2 and second.cases[0].passed
    _, third = run(CHAT_SUITE, tmp_path, judge="keyword")  # complete answer: served from the cache
    assert len(server.requests) == 2 and third.totals["cached_samples"] == 1


def test_repeats_are_separate_samples_with_their_own_cache_entries(api, tmp_path: Path) -> None:
    server = api(message("Meet the economic buyer."), message("Ask Dana who signs."))
    _, result = run(CHAT_SUITE, tmp_path, judge="keyword", repeats=2)
    case = result.cases[0]
    assert len(server.requests) == 2 and case.repeats == 2
    assert case.pass_rate == 0.5 and case.flaky
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 2
    assert json.loads(entries[0].read_text())["text"] in ("Meet the economic buyer.", "Ask Dana who signs.")


def test_a_live_self_comparison_reuses_the_cached_answers_and_shows_no_difference(api, tmp_path: Path) -> None:
    from ae_coach.eval import compare_variants, working_tree

    server = api(json_message(model_answer()), json_message(verdict("pass")))
    suite = tmp_path / "live.yaml"
    suite.write_text(REVIEW_SUITE, encoding="utf-8")
    options = RunOptions(backend="anthropic", judge="llm", concurrency=1, cache_dir=tmp_path / "cache")
    comparison = compare_variants(Session(suites=[str(suite)], options=options, runs_dir=tmp_path), working_tree())
    assert comparison.overall.verdict == "unchanged" and not comparison.deterministic
    assert len(server.requests) == 2  # the candidate's identical requests were served from the cache


def test_a_prompts_variant_reaches_the_model(api, repo: Path, tmp_path: Path) -> None:
    import shutil

    from ae_coach.eval import Variant, compare_variants, working_tree

    prompts = tmp_path / "prompts"
    shutil.copytree(repo / "prompts", prompts)
    system = prompts / "system.j2"
    system.write_text("EDITED-SYSTEM-PROMPT-MARKER\n" + system.read_text(encoding="utf-8"), encoding="utf-8")
    edited = Variant("edited prompts", working_tree().rules_dir, prompts)
    server = api(json_message(model_answer()), json_message(verdict("pass")), json_message(model_answer()))
    suite = tmp_path / "live.yaml"
    suite.write_text(REVIEW_SUITE, encoding="utf-8")
    options = RunOptions(backend="anthropic", judge="llm", concurrency=1, cache_dir=tmp_path / "cache")
    comparison = compare_variants(
        Session(suites=[str(suite)], options=options, runs_dir=tmp_path), working_tree(), edited
    )
    generations = [r.body for r in server.requests if r.body["model"] != JUDGE_MODEL]
    assert len(generations) == 2  # the edited prompt is a different request: not served from the cache
    assert "EDITED-SYSTEM-PROMPT-MARKER" not in json.dumps(generations[0]["system"])
    assert "EDITED-SYSTEM-PROMPT-MARKER" in json.dumps(generations[1]["system"])
    assert comparison.overall.verdict == "unchanged"  # same answer, same verdict (judgement cached)
