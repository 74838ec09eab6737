"""``--batch``: live calls go through the Message Batches API (a loopback stand-in here, reached through
the real ``anthropic`` client); a killed batch run resumes by polling its recorded batch id."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ae_coach.cli import main
from ae_coach.eval import RunOptions, Session, run_eval
from ae_coach.eval._runlog import read_records
from coach_deals import FAKE_KEY, model_answer

SUITE = """
cases:
  - id: batch-review-{n}
    input: {{deal: {{account: Northwind {n}, stage: validation, amount: 120000, as_of: 2026-11-26}}}}
    expect:
      rules: {{cited: [deal-economic-buyer]}}
      rubric: [{{id: eb, pass: The review tells the rep to meet the economic buyer.}}]
"""


class BatchServer:
    """Answers the Message Batches endpoints; any plain /v1/messages call is recorded as a failure."""

    def __init__(self, polls_before_end: int = 1) -> None:
        self.batches: dict[str, dict[str, Any]] = {}
        self.live_calls = 0
        self.polls_before_end = polls_before_end
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                if self.path.startswith("/v1/messages/batches"):
                    self._json(owner.create(body["requests"]))
                else:
                    owner.live_calls += 1
                    self._json({"type": "error", "error": {"type": "api_error", "message": "no live calls"}}, 400)

            def do_GET(self) -> None:
                batch_id = self.path.split("/")[4]
                if self.path.endswith("/results"):
                    lines = "".join(json.dumps(r) + "\n" for r in owner.results(batch_id)).encode()
                    self.send_response(200)
                    self.send_header("content-type", "application/binary")
                    self.send_header("content-length", str(len(lines)))
                    self.end_headers()
                    self.wfile.write(lines)
                else:
                    self._json(owner.status(batch_id, self.server.server_address))

            def _json(self, payload: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def create(self, requests: list[dict[str, Any]]) -> dict[str, Any]:
        batch_id = f"msgbatch_{len(self.batches) + 1}"
        self.batches[batch_id] = {"requests": requests, "polls": 0}
        return self._batch(batch_id, "in_progress", None)

    def status(self, batch_id: str, address: Any) -> dict[str, Any]:
        batch = self.batches[batch_id]
        batch["polls"] += 1
        if batch["polls"] <= self.polls_before_end:
            return self._batch(batch_id, "in_progress", None)
        return self._batch(batch_id, "ended", f"{self.base_url}/v1/messages/batches/{batch_id}/results")

    def results(self, batch_id: str) -> list[dict[str, Any]]:
        return [
            {"custom_id": r["custom_id"], "result": {"type": "succeeded", "message": self._answer(r["params"])}}
            for r in self.batches[batch_id]["requests"]
        ]

    @staticmethod
    def _answer(params: dict[str, Any]) -> dict[str, Any]:
        schema = json.dumps(params.get("output_config", {}))
        if '"verdict"' in schema:  # the judge's schema
            text = json.dumps({"items": [{"id": "eb", "reasoning": "It says to meet the CFO.", "verdict": "pass"}]})
        else:
            text = json.dumps(model_answer())
        return {
            "id": "msg_b",
            "type": "message",
            "role": "assistant",
            "model": params["model"],
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 1000, "output_tokens": 200},
        }

    def _batch(self, batch_id: str, status: str, results_url: str | None) -> dict[str, Any]:
        n = len(self.batches[batch_id]["requests"])
        ended = status == "ended"
        return {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": status,
            "results_url": results_url,
            "created_at": "2026-11-26T10:00:00Z",
            "expires_at": "2026-11-27T10:00:00Z",
            "ended_at": "2026-11-26T10:05:00Z" if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "request_counts": {
                "processing": 0 if ended else n,
                "succeeded": n if ended else 0,
                "errored": 0,
                "canceled": 0,
                "expired": 0,
            },
        }

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    srv = BatchServer()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", srv.base_url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    yield srv
    srv.close()


def session(tmp_path: Path, log: Path | None = None) -> Session:
    suite = tmp_path / "batch.yaml"
    suite.write_text("cases:" + "".join(SUITE.format(n=n).split("cases:", 1)[1] for n in range(3)), encoding="utf-8")
    options = RunOptions(
        backend="anthropic", judge="llm", batch=True, batch_poll_seconds=0, cache_dir=tmp_path / "cache"
    )
    return Session(suites=[str(suite)], options=options, log_path=log or tmp_path / "run.jsonl")


def test_batch_run_sends_generations_then_judgements_and_makes_no_live_calls(
    server: BatchServer, tmp_path: Path
) -> None:
    result = run_eval(session(tmp_path))
    assert [c.passed for c in result.cases] == [True, True, True]
    assert server.live_calls == 0
    first, second = server.batches.values()
    assert len(first["requests"]) == 3 and '"json_schema"' in json.dumps(first["requests"][0]["params"])
    assert all("<answer_under_test>" in r["params"]["messages"][0]["content"] for r in second["requests"])
    assert result.totals["batches"] == ["msgbatch_1", "msgbatch_2"]
    assert result.totals["batch_tokens"] == {"input_tokens": 6000, "output_tokens": 1200}
    assert result.totals["batch_cost_usd"] > 0 and result.totals["cached_samples"] == 3


def test_a_killed_batch_run_resumes_by_polling_the_recorded_batch(
    server: BatchServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ae_coach.eval._batch as batch_module

    def killed(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module.time, "sleep", killed)
    log = tmp_path / "run.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_eval(session(tmp_path, log))
    assert [r["status"] for r in read_records(log, "batch")] == ["submitted"]
    monkeypatch.undo()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)

    resumed = Session(resume=log)
    resumed.options.batch_poll_seconds = 0
    result = run_eval(resumed)
    assert all(c.passed for c in result.cases)
    assert list(server.batches) == ["msgbatch_1", "msgbatch_2"]  # the generation batch was not submitted again
    assert [r["status"] for r in read_records(log, "batch")] == ["submitted", "collected", "submitted", "collected"]


def test_batch_needs_the_anthropic_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "run", "evals", "--batch", "--runs-dir", str(tmp_path)]) == 2
    assert "--batch needs --backend anthropic" in capsys.readouterr().err


def test_the_eval_cache_wraps_a_streaming_client_through_last_result(tmp_path: Path, monkeypatch) -> None:
    """A streamed chat answer is cached once; the cached replay streams the same text and sets last_result."""
    from ae_coach.eval._coach_target import CachingClient
    from ae_coach.model.anthropic import AnthropicClient
    from ae_coach.model.cache import Cache
    from ae_coach.model.llm import LLMRequest
    from messages_server import MessagesServer, message

    request = LLMRequest("m", [{"type": "text", "text": "sys"}], [{"role": "user", "content": "hi"}], 100)
    with MessagesServer(message("Meet the CFO.", chunks=["Meet ", "the CFO."])) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        live = CachingClient(AnthropicClient(max_retries=0, timeout=5), Cache(tmp_path / "cache"), repeat=0)
        assert list(live.stream(request)) == ["Meet ", "the CFO."]
        assert live.last_result.usage.input_tokens == 1200 and not live.cached
        again = CachingClient(AnthropicClient(max_retries=0, timeout=5), Cache(tmp_path / "cache"), repeat=0)
        assert "".join(again.stream(request)) == "Meet the CFO."
        assert again.cached and again.last_result.text == "Meet the CFO."
    assert len(server.requests) == 1
