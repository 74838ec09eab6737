"""A loopback stand-in for the Anthropic Messages API, used through the real ``anthropic`` client.

It binds 127.0.0.1 on a free port, answers ``POST /v1/messages`` from a script of replies (plain JSON,
or SSE when the request asks to stream), can inject 429/500/529 errors and dropped connections, and
records every request it receives (headers and parsed body). When its script runs out it answers 500
with ``x-should-retry: false`` and records a failure; ``check()`` (called on leaving the ``with``
block) turns recorded failures into a test failure, so a test cannot pass on an unscripted call.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class Reply:
    """One scripted answer."""

    kind: str  # "message" | "error" | "drop" | "raw" | "hang" | "trickle"
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[str] | None = None
    """For streamed answers: the text deltas (default: the message text in one delta)."""
    cut: bool = False
    """For streamed answers: close the stream after the deltas, without message_delta or message_stop."""
    raw: bytes = b""
    """For ``raw``: the body sent as is (with ``headers``)."""
    seconds: float = 0.0
    """For ``hang``: how long to wait before closing; for ``trickle``: the pause between bytes."""


@dataclass
class Received:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes


def message(
    text: str,
    *,
    stop_reason: str = "end_turn",
    usage: dict[str, int] | None = None,
    chunks: list[str] | None = None,
) -> Reply:
    """A successful answer whose content is one text block."""
    body = {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": 1200,
            "output_tokens": 300,
            "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 0,
            **(usage or {}),
        },
    }
    return Reply("message", 200, body, chunks=chunks)


def json_message(obj: Any, **kwargs: Any) -> Reply:
    """A successful answer whose text is ``obj`` as JSON."""
    return message(json.dumps(obj), **kwargs)


def error(status: int, text: str = "injected failure", *, retry_after_ms: int | None = 5) -> Reply:
    """An API error; retry-after-ms keeps the SDK's backoff short in tests."""
    headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else {}
    body = {"type": "error", "error": {"type": _ERROR_TYPES.get(status, "api_error"), "message": text}}
    return Reply("error", status, body, headers)


def drop() -> Reply:
    """Close the connection without answering."""
    return Reply("drop")


def cut_stream(*chunks: str) -> Reply:
    """A streamed answer that sends ``chunks`` and then closes without message_stop."""
    return Reply("message", 200, message("".join(chunks)).body, chunks=list(chunks), cut=True)


def raw(status: int, body: bytes, content_type: str) -> Reply:
    """Any HTTP answer, e.g. a proxy's HTML page with status 200."""
    return Reply("raw", status, raw=body, headers={"content-type": content_type})


def hang(seconds: float) -> Reply:
    """Accept the request and answer nothing for ``seconds``."""
    return Reply("hang", seconds=seconds)


def trickle(seconds: float) -> Reply:
    """Answer 200 and then send one byte of a never-ending JSON body every ``seconds``."""
    return Reply("trickle", seconds=seconds)


class MessagesServer:
    """The server; use as a context manager and point ``ANTHROPIC_BASE_URL`` at ``base_url``."""

    def __init__(self, *replies: Reply) -> None:
        self.script: deque[Reply] = deque(replies)
        self.requests: list[Received] = []
        self.failures: list[str] = []
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"server_ref": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd.owner = self
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def next_reply(self) -> Reply | None:
        with self._lock:
            return self.script.popleft() if self.script else None

    def record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def check(self) -> None:
        """Fail the test if the server saw anything it was not scripted for."""
        if self.failures:
            raise AssertionError("messages server: " + "; ".join(self.failures))

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if exc[0] is None:
            self.check()


class _Server(ThreadingHTTPServer):
    owner: MessagesServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client closing a keep-alive connection is normal; anything else is a bug in the test set-up.
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionResetError, BrokenPipeError)):
            self.owner.failures.append(f"server error: {exc!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_ref: MessagesServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        server = self.server_ref
        server.record(Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body, raw))
        if self.path.split("?")[0] != "/v1/messages":
            server.failures.append(f"unexpected path {self.path}")
            return self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})
        reply = server.next_reply()
        if reply is None:
            server.failures.append(f"script ran out at request {len(server.requests)}")
            return self._json(
                500,
                {"type": "error", "error": {"type": "api_error", "message": "script ran out"}},
                {"x-should-retry": "false"},
            )
        if reply.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if reply.kind == "error":
            return self._json(reply.status, reply.body, reply.headers)
        if reply.kind in ("raw", "hang", "trickle"):
            return self._misbehave(reply)
        answer = {**reply.body, "model": body.get("model", "unknown")}
        if body.get("stream"):
            return self._sse(answer, reply.chunks, cut=reply.cut)
        return self._json(200, answer, reply.headers)

    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_test")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _misbehave(self, reply: Reply) -> None:
        self.close_connection = True
        if reply.kind == "hang":
            time.sleep(reply.seconds)
            return None
        self.send_response(reply.status)
        if reply.kind == "raw":
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(reply.raw)))
            self.end_headers()
            self.wfile.write(reply.raw)
            return None
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "1000000")
        self.end_headers()
        try:
            for _ in range(int(60 / reply.seconds)):  # at most a minute, however slow the client is to give up
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(reply.seconds)
        except OSError:
            pass  # the client gave up: the point of the test
        return None

    def _sse(self, answer: dict[str, Any], chunks: list[str] | None, *, cut: bool = False) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True
        text = answer["content"][0]["text"]
        usage = answer["usage"]
        start = {**answer, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
        self._event("message_start", {"type": "message_start", "message": start})
        self._event(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        )
        for piece in chunks if chunks is not None else [text]:
            self._event(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
            )
        if cut:
            return
        self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
        self._event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": answer["stop_reason"], "stop_sequence": None},
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        )
        self._event("message_stop", {"type": "message_stop"})

    def _event(self, name: str, data: dict[str, Any]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()
