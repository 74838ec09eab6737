"""The anthropic backend through the real SDK against the loopback Messages API stand-in."""

from __future__ import annotations

import json
import logging

import pytest

from ae_coach.cli import main
from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.errors import BackendError, ModelOutputError
from coach_deals import FAKE_KEY, INJECTION, NORTHWIND, model_answer, write_deal
from messages_server import MessagesServer, drop, error, json_message, message


@pytest.fixture
def deal():
    return parse_deal(dict(NORTHWIND))


def coach(**kwargs):
    return Coach("anthropic", max_retries=kwargs.pop("max_retries", 2), timeout=5, **kwargs)


def test_review_returns_a_validated_report_from_the_model(api, deal):
    server = api(json_message(model_answer()))
    report = coach().review(deal)
    assert report.backend == "anthropic"
    assert report.headline == "Commit is hope: nobody has met the person who signs."
    assert report.narrative and "[deal-economic-buyer]" in report.narrative
    assert report.next_actions[0].rule_id == "deal-economic-buyer"
    assert str(report.next_actions[0].due) == "2026-11-30"  # the model said Saturday 11-28: the next working day
    assert report.usage.input_tokens == 1200 and report.usage.output_tokens == 300
    assert report.estimated_cost_usd is not None and report.estimated_cost_usd > 0
    # computed facts are never left to the model
    assert report.forecast.category.value == "pipeline"
    assert report.mutual_action_plan
    assert len(server.requests) == 1


def test_request_caches_the_rules_block_and_fences_the_deal_data(api, deal):
    server = api(json_message(model_answer()))
    coach().review(deal)
    body = server.requests[0].body
    system = body["system"]
    assert system[0]["cache_control"] == {"type": "ephemeral"}
    assert '<rule id="deal-economic-buyer"' in system[0]["text"]  # a triggered rule, rendered from the rulebook
    data_block = body["messages"][0]["content"][0]
    assert data_block["cache_control"] == {"type": "ephemeral"}
    assert data_block["text"].startswith("<deal_data>") and data_block["text"].endswith("</deal_data>")
    # the notes' fake closing tags are neutralised: only the real closer remains
    assert data_block["text"].count("</deal_data>") == 1
    assert INJECTION in data_block["text"]  # kept as data, inside the block
    assert INJECTION not in system[0]["text"]
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert "temperature" not in body and "top_p" not in body
    assert body["messages"][-1]["role"] == "user"  # no assistant prefill
    headers = server.requests[0].headers
    assert FAKE_KEY in (headers.get("x-api-key", "") + headers.get("authorization", ""))  # the SDK sent our key


def test_unknown_rule_ids_from_the_model_are_dropped_and_listed(api, deal):
    api(json_message(model_answer(rule_id="deal-made-up-rule")))
    report = coach().review(deal)
    assert report.dropped_rule_ids == ["deal-made-up-rule"]
    cited = {a.rule_id for a in report.next_actions} | {i for r in report.risks for i in r.rule_ids}
    assert "deal-made-up-rule" not in cited


def test_model_actions_are_topped_up_so_every_serious_finding_has_one(api, deal):
    api(json_message(model_answer()))
    result = coach().run_review(deal)
    covered = {c for a in result.report.next_actions for c in a.finding_codes}
    serious = {f.code for f in result.assessment.findings if f.severity.value in ("critical", "high")}
    acted_on = {c for a in Coach("offline").review(deal).next_actions for c in a.finding_codes}
    assert serious & acted_on <= covered  # asks of a silent contact wait for their reply, whoever writes them


@pytest.mark.parametrize(
    "transient",
    [[error(529), error(529)], [error(429)], [error(500)], [drop()]],
    ids=["two-529s", "429", "500", "dropped-connection"],
)
def test_transient_failures_are_retried(api, deal, transient):
    server = api(*transient, json_message(model_answer()))
    report = coach().review(deal)
    assert report.headline.startswith("Commit is hope")
    assert len(server.requests) == len(transient) + 1


def test_recovers_from_one_malformed_answer_with_a_repair_turn(api, deal):
    server = api(message("Sure! Here is my review: the deal looks great."), json_message(model_answer()))
    report = coach().review(deal)
    assert report.headline.startswith("Commit is hope")
    repair = server.requests[1].body["messages"]
    assert repair[-2] == {"role": "assistant", "content": "Sure! Here is my review: the deal looks great."}
    assert "did not validate" in repair[-1]["content"]
    assert "JSON schema" in repair[0]["content"][-1]["text"]  # JSON-only instructions in the prompt


def test_falls_back_to_json_instructions_when_the_server_has_no_structured_output(api, deal):
    fenced = "```json\n" + json.dumps(model_answer()) + "\n```"
    server = api(error(400, "output_config: Extra inputs are not permitted", retry_after_ms=None), message(fenced))
    c = coach()
    report = c.review(deal)
    assert report.headline.startswith("Commit is hope")
    assert "output_config" not in server.requests[1].body
    assert c.client.structured_output is False


def test_gives_up_with_model_output_error_after_bounded_reasks(api, deal):
    server = api(message("nope"), message("still nope"), message("{}"))
    with pytest.raises(ModelOutputError) as info:
        coach().review(deal)
    assert info.value.attempts == 3
    assert info.value.raw == "{}"
    assert info.value.usage.input_tokens == 3 * 1200
    assert len(server.requests) == 3


def test_max_tokens_retries_with_a_larger_budget(api, deal):
    truncated = json.dumps(model_answer())[:80]
    server = api(message(truncated, stop_reason="max_tokens"), json_message(model_answer()))
    report = coach(max_tokens=4000).review(deal)
    assert report.headline.startswith("Commit is hope")
    assert [r.body["max_tokens"] for r in server.requests] == [4000, 8000]


def test_max_tokens_every_time_is_a_clear_error(api, deal):
    api(*[message("{", stop_reason="max_tokens")] * 3)
    with pytest.raises(ModelOutputError, match="max_tokens"):
        coach(max_tokens=4000).review(deal)


def test_refusal_is_a_backend_error(api, deal):
    api(message("", stop_reason="refusal"))
    with pytest.raises(BackendError, match="refusal"):
        coach().review(deal)


def test_persistent_failure_exits_3_cleanly_without_leaking_the_key(api, tmp_path, capsys, caplog):
    caplog.set_level(logging.WARNING)
    server = api(*[error(529, "Overloaded")] * 5)
    rc = main(["review", str(write_deal(tmp_path)), "--backend", "anthropic"])
    out, err = capsys.readouterr()
    assert rc == 3
    assert err.startswith("error: ") and "529" in err and "--backend offline" in err
    assert "Traceback" not in out + err
    assert FAKE_KEY not in out + err + caplog.text
    assert "Northwind" not in caplog.text and INJECTION not in caplog.text  # no deal text in logs
    assert len(server.requests) == 5  # the first try and the default four retries


def test_bad_key_is_exit_3_with_a_hint(api, tmp_path, capsys):
    api(error(401, "invalid x-api-key", retry_after_ms=None))
    rc = main(["review", str(write_deal(tmp_path)), "--backend", "anthropic"])
    err = capsys.readouterr().err
    assert rc == 3 and "ANTHROPIC_API_KEY" in err and FAKE_KEY not in err


def test_cli_review_with_the_model_prints_the_json_contract(api, tmp_path, capsys):
    api(json_message(model_answer()))
    rc = main(["review", str(write_deal(tmp_path)), "--backend", "anthropic", "--format", "json"])
    out = capsys.readouterr().out
    assert rc == 0
    doc = json.loads(out)
    assert doc["report"]["backend"] == "anthropic" and doc["report"]["model"]
    assert FAKE_KEY not in out


def test_model_from_environment_is_sent(api, deal, monkeypatch):
    monkeypatch.setenv("AE_COACH_MODEL", "local-llama-70b")
    server = api(json_message(model_answer()))
    report = Coach("anthropic", max_retries=0, timeout=5).review(deal)
    assert server.requests[0].body["model"] == "local-llama-70b"
    assert report.estimated_cost_usd is None and "unknown" in report.cost_note


def test_redaction_keeps_people_off_the_wire_and_restores_them(api, deal):
    server = api(json_message(model_answer()))
    report = coach(redact=True).review(deal)
    # the deal goes in the messages (the rules' own examples may use any name they like)
    wire = json.dumps(server.requests[0].body["messages"])
    for secret in ("Dana Lee", "Dana", "Ravi Patel", "dana.lee@northwind.example"):
        assert secret not in wire
    assert "Northwind Traders" in wire  # accounts are not people
    assert "Dana Lee" in report.narrative and "Person 1" not in report.narrative
    assert report.next_actions[0].action == "Ask Dana Lee to set up 30 minutes with the CFO"


def test_a_prompt_variant_directory_is_used(api, deal, tmp_path):
    import shutil

    from ae_coach.resources import prompts_dir

    variant = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), variant)
    system = variant / "system.j2"
    system.write_text(system.read_text() + "\nVARIANT-MARKER\n")
    server = api(json_message(model_answer()))
    coach(prompts=variant).review(deal)
    assert "VARIANT-MARKER" in server.requests[0].body["system"][0]["text"]


@pytest.mark.live
def test_live_review_against_the_real_api(monkeypatch):
    """Runs only with --live and AE_COACH_LIVE_KEY: one real review, validated end to end."""
    import os
    from pathlib import Path

    from ae_coach.deal import load_deal

    monkeypatch.setenv("ANTHROPIC_API_KEY", os.environ["AE_COACH_LIVE_KEY"])
    monkeypatch.delenv("ANTHROPIC_BASE_URL")
    path = Path(__file__).resolve().parent.parent / "examples" / "deals" / "northwind-validation.yaml"
    report = Coach("anthropic").review(load_deal(path))
    assert report.narrative and report.next_actions and report.usage.output_tokens > 0


def test_anthropic_backend_without_credentials_is_exit_2_needs_a_key(tmp_path, capsys):
    rc = main(["review", str(write_deal(tmp_path)), "--backend", "anthropic"])
    err = capsys.readouterr().err
    assert rc == 2 and "needs a key" in err and "ANTHROPIC_API_KEY" in err and "Traceback" not in err


def test_the_stand_in_fails_loudly_when_its_script_runs_out(monkeypatch, deal):
    server = MessagesServer()
    with pytest.raises(AssertionError, match="script ran out"), server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        with pytest.raises(BackendError, match="500"):
            coach().review(deal)
    assert len(server.requests) == 1  # x-should-retry: false stops the SDK from retrying into the void


# --- the public request/response seam (batches and evals build on it) -----------------------------------


def test_review_request_is_exactly_what_review_sends(api, deal):
    server = api(json_message(model_answer()))
    c = coach()
    request = c.review_request(deal)
    c.review(deal)
    sent = server.requests[0].body
    params = request.params()
    assert {k: sent[k] for k in ("model", "max_tokens", "system", "messages")} == {
        k: params[k] for k in ("model", "max_tokens", "system", "messages")
    }
    assert sent["output_config"] == params["output_config"]
    assert request.system[0]["cache_control"] == {"type": "ephemeral"}
    assert "JSON schema" in request.params(structured=False)["messages"][0]["content"][-1]["text"]


def test_review_from_response_validates_merges_and_checks_rule_ids(deal):
    from ae_coach.coach import LLMResult
    from ae_coach.model.llm import Usage

    text = "```json\n" + json.dumps(model_answer(rule_id="deal-made-up-rule")) + "\n```"
    answer = LLMResult(text, "claude-sonnet-5-5", Usage(input_tokens=1000, output_tokens=100), "end_turn")
    c = Coach("anthropic")  # no key needed: nothing is sent
    report = c.review_from_response(deal, answer)
    assert report.backend == "anthropic" and report.headline.startswith("Commit is hope")
    assert report.dropped_rule_ids == ["deal-made-up-rule"]
    assert report.mutual_action_plan and report.estimated_cost_usd > 0
    serious = {f.code for f in c.assess(deal).findings if f.severity.value in ("critical", "high")}
    acted_on = {c for a in Coach("offline").review(deal).next_actions for c in a.finding_codes}
    assert serious & acted_on <= {code for a in report.next_actions for code in a.finding_codes}


@pytest.mark.parametrize(
    ("text", "stop", "match"),
    [
        ("not json", "end_turn", "did not validate"),
        ('{"headline": "x"}', "end_turn", "narrative"),
        ('{"headl', "max_tokens", "cut off"),
    ],
)
def test_review_from_response_rejects_bad_answers(deal, text, stop, match):
    from ae_coach.coach import LLMResult

    with pytest.raises(ModelOutputError, match=match) as info:
        Coach("anthropic").review_from_response(deal, LLMResult(text, "m", stop_reason=stop))
    assert info.value.raw == text


def test_the_seam_redacts_the_request_and_restores_the_report(deal):
    from ae_coach.coach import LLMResult

    c = Coach("anthropic", redact=True)
    request = c.review_request(deal)
    assert "Dana Lee" not in json.dumps(request.messages) and "Person 1" in json.dumps(request.messages)
    report = c.review_from_response(deal, LLMResult(json.dumps(model_answer()), "m"))
    assert report.next_actions[0].action == "Ask Dana Lee to set up 30 minutes with the CFO"


def test_a_stream_leaves_its_final_result_in_last_result(api, deal):
    from ae_coach.model.anthropic import AnthropicClient
    from ae_coach.model.llm import LLMRequest

    api(message("Call the CFO.", chunks=["Call ", "the CFO."], usage={"output_tokens": 7}))
    client = AnthropicClient(max_retries=0, timeout=5)
    request = LLMRequest("m", [{"type": "text", "text": "sys"}], [{"role": "user", "content": "hi"}], 100)
    stream = client.stream(request)
    assert list(stream) == ["Call ", "the CFO."]
    assert client.last_result.text == "Call the CFO." and client.last_result.usage.output_tokens == 7
    assert client.last_result.stop_reason == "end_turn"


def test_the_models_actions_are_held_to_the_managers_checks(api, deal):
    from ae_coach.coach.quality import audit

    actions = [
        {
            "action": f"Call Dana Lee about step {n}",
            "owner": "AE",
            "due": "2026-11-28",
            "why": "w",
            "rule_id": "deal-economic-buyer",
            "finding_codes": ["meddpicc.economic_buyer"],
        }
        for n in range(8)
    ] + [
        {
            "action": "Call the deal commit and tell your manager",
            "owner": "AE",
            "due": "2026-12-01",
            "why": "w",
            "rule_id": "pipeline-commit-gate",
            "finding_codes": [],
        },
        {
            "action": "Ask the technical buyer for the architecture review",
            "owner": "AE",
            "due": "2026-12-01",
            "why": "w",
            "rule_id": "relationship-technical-buyer",
            "finding_codes": [],
        },
    ]
    api(json_message(model_answer(next_actions=actions)))
    report = coach().review(deal)
    assert audit(report, deal) == []
    assert len(report.next_actions) <= 6 and sum(a.horizon == "this_week" for a in report.next_actions) <= 3
    assert not any("commit" in a.action.lower() or "technical buyer" in a.action for a in report.next_actions)
