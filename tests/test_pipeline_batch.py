"""Per-deal coaching through the Message Batches API, against a loopback server, via the real anthropic client."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.crm import load_pipeline
from ae_coach.pipeline import batch as batches

REPORT = Path(__file__).parent / "fixtures" / "crm" / "salesforce_report.csv"
AS_OF = ["--as-of", "2026-11-26"]


def coaching(headline: str) -> str:
    return json.dumps(
        {
            "headline": headline,
            "narrative": "Close plan is thin; get the CFO to confirm budget.",
            "risks": [{"title": "No champion", "severity": "high", "finding_codes": ["meddpicc.champion"], "rule_ids": []}],
            "next_actions": [
                {"action": "Book the CFO", "owner": "AE", "due": "2026-12-01", "why": "EB not met",
                 "rule_id": None, "finding_codes": ["meddpicc.economic_buyer"]}
            ],
            "questions": [{"question": "Who signs?", "stakeholder": None, "role": "economic_buyer", "rule_id": None}],
        }
    )  # fmt: skip


class BatchServer:
    """Speaks the three batch endpoints; answers every request with a fixed coaching JSON (or fails some)."""

    def __init__(self, *, rounds_in_progress: int = 0, fail: set[str] | None = None, bad: set[str] | None = None):
        self.received: list[tuple[str, str, dict]] = []
        self.rounds_in_progress = rounds_in_progress
        self.fail = fail or set()
        self.bad = bad or set()
        """custom_ids whose answer is prose instead of the coaching JSON."""
        self.batch: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                data = json.loads(self.rfile.read(int(self.headers["content-length"])))
                server.received.append(("POST", self.path, data))
                if self.path != "/v1/messages/batches":
                    return self._send(404, b'{"type":"error","error":{"type":"not_found_error","message":"no"}}')
                server.batch = data["requests"]
                self._send(200, json.dumps(server.status(created=True)).encode())

            def do_GET(self):
                server.received.append(("GET", self.path, {}))
                if self.path == "/v1/messages/batches/msgbatch_test":
                    return self._send(200, json.dumps(server.status()).encode())
                if self.path == "/v1/messages/batches/msgbatch_test/results":
                    return self._send(200, server.results().encode(), "application/binary")
                self._send(404, b'{"type":"error","error":{"type":"not_found_error","message":"no"}}')

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def status(self, created: bool = False) -> dict:
        """A new batch is in progress; each later GET uses up one of ``rounds_in_progress``."""
        ended = not created and self.rounds_in_progress <= 0
        if not created:
            self.rounds_in_progress -= 1
        return {
            "id": "msgbatch_test", "type": "message_batch", "created_at": "2026-11-26T10:00:00Z",
            "expires_at": "2026-11-27T10:00:00Z", "processing_status": "ended" if ended else "in_progress",
            "request_counts": {"processing": 0 if ended else len(self.batch), "succeeded": len(self.batch) if ended else 0,
                               "errored": 0, "canceled": 0, "expired": 0},
            "results_url": f"{self.url}/v1/messages/batches/msgbatch_test/results" if ended else None,
        }  # fmt: skip

    def results(self) -> str:
        lines = []
        for entry in self.batch:
            cid = entry["custom_id"]
            if cid in self.fail:
                result = {
                    "type": "errored",
                    "error": {"type": "error", "error": {"type": "api_error", "message": "boom"}},
                }
            else:
                result = {"type": "succeeded", "message": {
                    "id": f"msg_{cid}", "type": "message", "role": "assistant", "model": entry["params"]["model"],
                    "content": [{"type": "text",
                                 "text": "Looks fine!" if cid in self.bad else coaching(f"Coaching for {cid}")}],
                    "stop_reason": "end_turn",
                    "stop_sequence": None, "usage": {"input_tokens": 1000, "output_tokens": 200}}}  # fmt: skip
            lines.append(json.dumps({"custom_id": cid, "result": result}))
        return "\n".join(lines) + "\n"

    def __enter__(self) -> BatchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def keyed(monkeypatch):
    def use(server: BatchServer) -> None:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)

    return use


def test_custom_ids_are_valid_and_stable():
    assert batches.custom_id("0065g00000NwA01") == "0065g00000NwA01"
    odd = batches.custom_id("Acme / renewal #2")
    assert odd == batches.custom_id("Acme / renewal #2") and odd != batches.custom_id("Acme / renewal #3")
    assert len(odd) <= 64 and all(c.isalnum() or c in "-_" for c in odd)


def test_submit_then_collect_through_the_real_client(keyed, tmp_path):
    deals = load_pipeline(REPORT).deals[:3]
    with BatchServer() as server:
        keyed(server)
        batch_id = batches.submit(deals, dt.date(2026, 11, 26))
        outcome = batches.collect(batch_id, deals, dt.date(2026, 11, 26))
    assert batch_id == "msgbatch_test" and outcome.status == "ended"
    [(_, path, body)] = [r for r in server.received if r[0] == "POST"]
    assert path == "/v1/messages/batches" and [e["custom_id"] for e in body["requests"]] == [d.id for d in deals]
    params = body["requests"][0]["params"]
    assert params["system"][0]["cache_control"] == {"type": "ephemeral"}  # the rules block stays cacheable
    assert params["output_config"]["format"]["type"] == "json_schema"  # structured: no repair turn in a batch
    # exactly what a live review of that deal would send
    from ae_coach.coach import Coach

    expected = Coach("anthropic").review_request(deals[0], dt.date(2026, 11, 26)).params()
    assert params == json.loads(json.dumps(expected))
    assert "Northwind Traders" in json.dumps(params["messages"])
    assert sorted(outcome.reports) == sorted(d.id for d in deals) and outcome.errors == {}
    report = outcome.reports[deals[0].id]
    assert report.headline == f"Coaching for {deals[0].id}" and report.backend == "anthropic"
    assert report.usage.input_tokens == 1000


def test_errored_requests_are_reported_per_deal(keyed):
    deals = load_pipeline(REPORT).deals[:2]
    with BatchServer(fail={deals[1].id}) as server:
        keyed(server)
        batch_id = batches.submit(deals, dt.date(2026, 11, 26))
        outcome = batches.collect(batch_id, deals, dt.date(2026, 11, 26))
    assert list(outcome.reports) == [deals[0].id]
    assert outcome.errors == {deals[1].id: "request errored"}


def test_an_answer_that_does_not_validate_is_a_per_deal_error(keyed):
    deals = load_pipeline(REPORT).deals[:2]
    with BatchServer(bad={deals[0].id}) as server:
        keyed(server)
        outcome = batches.collect(batches.submit(deals, dt.date(2026, 11, 26)), deals, dt.date(2026, 11, 26))
    assert list(outcome.reports) == [deals[1].id]
    assert "did not validate" in outcome.errors[deals[0].id]


def test_cli_submits_and_resumes_by_batch_id(keyed, tmp_path, capsys):
    out = tmp_path / "coaching.jsonl"
    common = [
        "pipeline",
        str(REPORT),
        *AS_OF,
        "--format",
        "json",
        "--batch-limit",
        "2",
        "--batch-out",
        str(out),
        "--backend",
        "offline",
    ]  # the batch only: no live summary call
    with BatchServer(rounds_in_progress=1) as server:
        keyed(server)
        assert main([*common, "--batch"]) == 0
        err = capsys.readouterr().err
        assert "submitted message batch msgbatch_test with 2 deals" in err and "--batch-id msgbatch_test" in err
        assert not out.exists()
        assert main([*common, "--batch-id", "msgbatch_test"]) == 0
    assert "2 reports, 0 errors" in capsys.readouterr().err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 2 and all(line["report"]["headline"].startswith("Coaching for") for line in lines)
    assert sum(1 for r in server.received if r[0] == "POST") == 1  # resuming never re-submits


def test_batch_without_a_key_is_a_usage_error(capsys):
    assert main(["pipeline", str(REPORT), *AS_OF, "--batch"]) == 2
    assert "ANTHROPIC_API_KEY" in capsys.readouterr().err


def test_cli_waits_for_a_batch_to_end(keyed, tmp_path, capsys):
    out = tmp_path / "coaching.jsonl"
    argv = ["pipeline", str(REPORT), *AS_OF, "--format", "json", "--batch", "--batch-limit", "1",
            "--batch-wait", "10", "--batch-out", str(out), "--backend", "offline"]  # fmt: skip
    with BatchServer(rounds_in_progress=1) as server:
        keyed(server)
        assert main(argv) == 0
    assert "1 reports, 0 errors" in capsys.readouterr().err
    polls = [r for r in server.received if r[0] == "GET" and r[1] == "/v1/messages/batches/msgbatch_test"]
    assert len(polls) >= 2 and len(out.read_text().splitlines()) == 1


def test_a_redacted_batch_carries_no_deal_id_or_person_and_reads_back_on_this_machine(
    keyed, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path / "home"))
    deals = load_pipeline(REPORT).deals[:3]
    identifiers = {d.id for d in deals} | {part for d in deals for part in d.owner.split()}
    with BatchServer() as server:
        keyed(server)
        batch_id = batches.submit(deals, dt.date(2026, 11, 26), redact=True)
        outcome = batches.collect(batch_id, deals, dt.date(2026, 11, 26), redact=True)
        monkeypatch.setenv("AE_COACH_HOME", str(tmp_path / "elsewhere"))
        elsewhere = batches.collect(batch_id, deals, dt.date(2026, 11, 26), redact=True)
    [(_, _, body)] = [r for r in server.received if r[0] == "POST"]
    wire = json.dumps(body)
    assert [i for i in identifiers if i.lower() in wire.lower()] == []
    assert all(re.fullmatch(r"deal-[0-9a-f]{24}", e["custom_id"]) for e in body["requests"])
    assert "Person 1" in wire and "Northwind Traders" in wire  # people hidden, accounts kept
    assert sorted(outcome.reports) == sorted(d.id for d in deals) and outcome.unmatched == 0
    assert (tmp_path / "home" / "batch-key").stat().st_mode & 0o077 == 0  # the key is the user's alone
    assert elsewhere.reports == {} and elsewhere.unmatched == 3  # another home's key matches nothing


def test_cli_batch_redact_is_accepted_and_says_when_results_match_nothing(keyed, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path / "home"))
    out = tmp_path / "coaching.jsonl"
    common = ["pipeline", str(REPORT), *AS_OF, "--format", "json", "--batch-limit", "2", "--batch-out", str(out)]
    with BatchServer() as server:
        keyed(server)
        assert main([*common, "--backend", "offline", "--redact", "--batch"]) == 0
        assert "submitted message batch msgbatch_test with 2 deals" in capsys.readouterr().err
        assert main([*common, "--backend", "offline", "--batch-id", "msgbatch_test"]) == 0  # --redact left out
    err = capsys.readouterr().err
    assert "0 reports" in err and "2 result(s) matched no deal of this export" in err
