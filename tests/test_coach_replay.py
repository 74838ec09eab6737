"""The replay backend: recordings keyed by a hash of the request; a miss is an error, never a live call."""

from __future__ import annotations

import json

import pytest

from ae_coach.cli import main
from ae_coach.coach import ChatHistory, Coach
from ae_coach.coach.report import ModelCoaching
from ae_coach.deal import parse_deal
from ae_coach.errors import ModelOutputError, ReplayMissError
from ae_coach.model.llm import LLMRequest
from coach_deals import FAKE_KEY, NORTHWIND, model_answer, write_deal
from messages_server import MessagesServer, json_message, message


@pytest.fixture
def deal():
    return parse_deal(dict(NORTHWIND))


def _record(monkeypatch, directory, deal, *replies):
    with MessagesServer(*replies) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        report = Coach("replay", replay_dir=directory, record=True, max_retries=0, timeout=5).review(deal)
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # any live call now fails
    return report, server


def test_record_then_replay_gives_the_same_report_without_a_call(monkeypatch, tmp_path, deal):
    recorded, server = _record(monkeypatch, tmp_path, deal, json_message(model_answer()))
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1 and len(server.requests) == 1
    saved = json.loads(files[0].read_text())
    assert files[0].stem == saved["key"] and len(saved["key"]) == 64
    assert FAKE_KEY not in files[0].read_text()
    replayed = Coach("replay", replay_dir=tmp_path).review(deal)
    assert replayed.backend == "replay"
    assert replayed.headline == recorded.headline and replayed.next_actions == recorded.next_actions
    assert replayed.usage == recorded.usage


def test_a_miss_names_the_key_and_never_calls_out(tmp_path, deal):
    with pytest.raises(ReplayMissError) as info:
        Coach("replay", replay_dir=tmp_path).review(deal)
    assert "no recording for request" in str(info.value)
    assert len(str(info.value).split("request ")[1].split()[0]) == 64


def test_cli_replay_miss_exits_3(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AE_COACH_REPLAY_DIR", str(tmp_path / "empty"))
    rc = main(["review", str(write_deal(tmp_path)), "--backend", "replay"])
    err = capsys.readouterr().err
    assert rc == 3 and "no recording for request" in err and "Traceback" not in err


def test_changing_the_model_changes_the_key(monkeypatch, tmp_path, deal):
    _record(monkeypatch, tmp_path, deal, json_message(model_answer()))
    with pytest.raises(ReplayMissError):
        Coach("replay", model="claude-haiku-4-5", replay_dir=tmp_path).review(deal)


def test_key_is_canonical():
    a = LLMRequest("m", [{"type": "text", "text": "s"}], [{"role": "user", "content": "q"}], output=ModelCoaching)
    b = LLMRequest(
        "m", [{"text": "s", "type": "text"}], [{"content": "q", "role": "user"}], output=ModelCoaching, max_tokens=1
    )
    c = LLMRequest("m", [{"type": "text", "text": "s"}], [{"role": "user", "content": "q2"}], output=ModelCoaching)
    assert a.key() == b.key() != c.key()


def test_a_corrupt_recording_is_a_clear_error(monkeypatch, tmp_path, deal):
    _record(monkeypatch, tmp_path, deal, json_message(model_answer()))
    path = next(tmp_path.glob("*.json"))
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "text": '{"headline": 1}'}))
    with pytest.raises(ModelOutputError, match="re-record"):
        Coach("replay", replay_dir=tmp_path).review(deal)


def test_chat_replays_a_recorded_stream(monkeypatch, tmp_path, deal):
    with MessagesServer(message("First.\n\nSecond.")) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        live = "".join(Coach("replay", replay_dir=tmp_path, record=True).chat(deal, "what now?", ChatHistory()))
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    assert "".join(Coach("replay", replay_dir=tmp_path).chat(deal, "what now?", ChatHistory())) == live
