"""The Claude backend: the real ``anthropic`` SDK, structured output with a JSON fallback, streaming chat.

The SDK does the transport work: it reads ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` and
``ANTHROPIC_BASE_URL`` from the environment (we never pass a base URL, so a proxy or a local server that
speaks the Messages API just works), and retries 408/409/429/5xx/529 and dropped connections with
backoff, honouring ``retry-after``. This module adds what the SDK leaves to us: validating the answer
against a pydantic model, one repair turn and a bounded re-ask, ``stop_reason`` handling, one wall-clock
deadline per call (``--timeout`` / ``AE_COACH_TIMEOUT``), and errors that say what to try without ever
printing the key.

The deadline covers every attempt, retry and repair turn of one call, and a server that trickles a byte at
a time: each HTTP attempt's timeouts are cut to the time left, and every chunk of a body is checked against
it as it arrives.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from ae_coach.errors import BackendError, ModelOutputError, UsageError
from ae_coach.model.llm import LLMRequest, LLMResult, Usage, unfence, usage_of

DEFAULT_MAX_RETRIES = 4
DEFAULT_TIMEOUT = 300.0
"""Seconds one model call may take in all, retries included, unless ``--timeout`` or ``AE_COACH_TIMEOUT`` says."""
TIMEOUT_ENV = "AE_COACH_TIMEOUT"
MAX_ATTEMPTS = 3
"""Validation attempts per structured call: the first answer, one repair turn, one more re-ask."""
MAX_TOKENS_CEILING = 32_000

_NO_STRUCTURED_OUTPUT = re.compile(r"output_(format|config)|json_schema|structured", re.IGNORECASE)


class IncompleteAnswerError(BackendError):
    """A streamed answer that stopped before the model finished it (no ``message_stop``)."""

    def __init__(self, message: str, partial: str) -> None:
        super().__init__(message)
        self.partial = partial


def resolve_timeout(timeout: float | None = None) -> float:
    """The deadline in seconds: ``timeout``, else ``AE_COACH_TIMEOUT``, else :data:`DEFAULT_TIMEOUT`.

    Raises:
        UsageError: Not a positive number of seconds (naming where it came from).
    """
    source, value = ("--timeout", timeout) if timeout is not None else (TIMEOUT_ENV, os.environ.get(TIMEOUT_ENV))
    if value is None or value == "":
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{source}: {str(value)[:40]!r} is not a number of seconds") from None
    if not 0 < seconds < 86_400:  # also refuses nan and inf
        raise UsageError(f"{source}: {str(value)[:40]!r} must be more than 0 and less than 86400 seconds")
    return seconds


class _Deadline(threading.local):
    at: float | None = None


class AnthropicClient:
    """Calls the Messages API through the official SDK.

    Args:
        max_retries: SDK retries per HTTP call (429, 5xx, 529, timeouts, dropped connections).
        timeout: one wall-clock deadline in seconds for each call (:meth:`structured` or :meth:`stream`),
            every attempt and retry included; default ``AE_COACH_TIMEOUT``, else :data:`DEFAULT_TIMEOUT`.
    """

    name = "anthropic"

    def __init__(self, *, max_retries: int = DEFAULT_MAX_RETRIES, timeout: float | None = None) -> None:
        import anthropic

        self._sdk = anthropic
        self._last_body: dict[str, Any] | None = None
        self.timeout = resolve_timeout(timeout)
        self._deadline = _Deadline()
        http = anthropic.DefaultHttpxClient(
            timeout=self.timeout, event_hooks={"request": [self._cut_timeouts], "response": [self._watch_body]}
        )
        self._client = anthropic.Anthropic(
            max_retries=max_retries, timeout=self.timeout, http_client=http, middleware=[self._capture]
        )
        self.max_retries = max_retries
        self.structured_output = True
        """Flips to False once a server rejects ``output_config``; later calls go straight to JSON mode."""
        self.last_result: LLMResult | None = None

    # --- the deadline ---------------------------------------------------------------------------

    def _start(self) -> None:
        self._deadline.at = time.monotonic() + self.timeout

    def _left(self) -> float | None:
        return None if self._deadline.at is None else self._deadline.at - time.monotonic()

    def _timed_out(self) -> BackendError:
        where = _safe_url(str(self._client.base_url))
        return BackendError(
            f"no complete answer from {where} within the {self.timeout:g}-second limit "
            f"(--timeout or {TIMEOUT_ENV}). {_TRY}"
        )

    def _cut_timeouts(self, request: Any) -> None:
        # httpx hook, per HTTP attempt: no connect, write or read waits longer than the time left
        left = self._left()
        if left is None:
            return
        left = max(left, 0.001)
        current = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {k: min(v, left) if v else left for k, v in current.items()} or {
            k: left for k in ("connect", "read", "write", "pool")
        }

    def _watch_body(self, response: Any) -> None:
        # httpx hook: a body trickled a byte at a time never trips a read timeout; check each chunk instead
        if self._deadline.at is None:
            return
        import httpx2 as httpx

        inner, deadline = response.stream, self._deadline.at

        class _Watched(httpx.SyncByteStream):
            def __iter__(self) -> Iterator[bytes]:
                for chunk in inner:
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the call's deadline passed while the answer was arriving")
                    yield chunk

            def close(self) -> None:
                inner.close()

        response.stream = _Watched()

    def _capture(self, request: Any, call_next: Any) -> Any:
        # Keep the raw body of each non-streamed answer: if the SDK's parse of the structured output
        # fails we still need the text and stop_reason for the repair turn and the error.
        left = self._left()
        if left is not None and left <= 0:
            raise self._timed_out()  # raised from middleware: the SDK does not retry it
        try:
            response = call_next(request)
        except Exception:
            left = self._left()
            if left is not None and left <= 0.01:
                raise self._timed_out() from None
            raise
        kind = response.headers.get("content-type", "")
        if response.status_code == 200 and "json" not in kind and "event-stream" not in kind:
            # a proxy's or captive portal's page: not retried, and never handed to the SDK's parser
            raise self._not_an_answer(ValueError(f"HTTP 200 with content-type {kind or 'none'!r}"))
        if not request.stream and response.status_code == 200:
            try:
                self._last_body = json.loads(response.read())
            except (ValueError, TypeError):
                self._last_body = None
        return response

    # --- structured ------------------------------------------------------------------------------

    def structured(self, request: LLMRequest) -> LLMResult:
        """Answer ``request`` with an object validating against ``request.output``.

        Raises:
            ModelOutputError: no valid answer after MAX_ATTEMPTS (carries attempts, usage, last raw text).
            BackendError: the API failed after the SDK's retries, or the model refused.
        """
        assert request.output is not None
        self._start()
        try:
            return self._structured(request)
        finally:
            self._deadline.at = None

    def _structured(self, request: LLMRequest) -> LLMResult:
        assert request.output is not None
        usage, raw, error, max_tokens = Usage(), None, None, request.max_tokens
        messages = request.messages
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if not self.structured_output or error is not None:
                messages = self._json_messages(request, raw, error)
            body, parsed, error = self._call(request, messages, max_tokens)
            if parsed is None and error is None:
                error = ValueError("the answer contained no JSON object")
            usage += usage_of(body.get("usage"))
            raw = _text_of(body)
            stop = body.get("stop_reason")
            if stop == "refusal":
                raise BackendError(f"the model declined to review this deal (stop_reason=refusal). {_REFUSAL_HINT}")
            if stop == "max_tokens":
                if max_tokens >= MAX_TOKENS_CEILING or attempt == MAX_ATTEMPTS:
                    raise ModelOutputError(
                        f"the answer was cut off at max_tokens={max_tokens} (stop_reason=max_tokens) and never "
                        "completed; try a model with a larger output limit",
                        attempts=attempt,
                        usage=usage,
                        raw=raw,
                    )
                max_tokens, error = min(max_tokens * 2, MAX_TOKENS_CEILING), None
                continue
            if parsed is not None:
                result = LLMResult(raw, body.get("model") or request.model, usage, stop, parsed, attempt)
                self.last_result = result
                return result
        raise ModelOutputError(
            f"the model's answer did not validate after {MAX_ATTEMPTS} attempts: {_short(error)}",
            attempts=MAX_ATTEMPTS,
            usage=usage,
            raw=raw,
        )

    def _call(
        self, request: LLMRequest, messages: list[dict[str, Any]], max_tokens: int
    ) -> tuple[dict[str, Any], BaseModel | None, Exception | None]:
        """One API call; returns the raw body, the validated object (or None) and the validation error."""
        common: dict[str, Any] = {
            "model": request.model,
            "max_tokens": max_tokens,
            "system": request.system,
            "messages": messages,
        }
        self._last_body = None
        try:
            if self.structured_output and messages is request.messages:
                try:
                    message = self._client.messages.parse(**common, output_format=request.output)
                    return message.to_dict(), message.parsed_output, None
                except ValidationError as exc:
                    return self._last_body or {}, None, exc
            message = self._client.messages.create(**common)
        except self._sdk.BadRequestError as exc:
            if self.structured_output and _NO_STRUCTURED_OUTPUT.search(str(exc)):
                self.structured_output = False  # this server has no structured output: use JSON mode
                return self._call(request, self._json_messages(request, None, None), max_tokens)
            raise self._backend_error(exc) from None
        except self._sdk.APIError as exc:
            raise self._backend_error(exc) from None
        except TypeError as exc:
            raise _credentials_error(exc) from None
        except ValueError as exc:  # a 200 whose body is not a Messages API answer (a proxy's HTML page)
            raise self._not_an_answer(exc) from None
        body = message.to_dict()
        try:
            return body, request.output.model_validate_json(unfence(_text_of(body))), None  # type: ignore[union-attr]
        except ValidationError as exc:
            return body, None, exc

    def _json_messages(self, request: LLMRequest, raw: str | None, error: Exception | None) -> list[dict[str, Any]]:
        messages = list(request.json_messages or request.messages)
        if error is None:
            return messages
        if raw:
            messages.append({"role": "assistant", "content": raw})
        repair = (
            f"Your previous answer did not validate: {_short(error)}\n"
            "Answer again with the complete corrected JSON object only: no prose, no code fences."
        )
        return [*messages, {"role": "user", "content": repair}]

    # --- streaming -------------------------------------------------------------------------------

    def stream(self, request: LLMRequest) -> Iterator[str]:
        """Stream a free-text answer; once the stream is exhausted, ``last_result`` holds the text, usage and
        stop reason (the generator returns nothing).

        Raises:
            IncompleteAnswerError: The stream broke off, stalled past the deadline, or ended without
                ``message_stop``; ``partial`` holds what arrived, which is not an answer to keep.
            BackendError: The call failed before any text arrived.
        """
        import httpx2 as httpx

        self._start()
        received: list[str] = []
        try:
            with self._client.messages.stream(
                model=request.model,
                max_tokens=request.max_tokens,
                system=cast(Any, request.system),
                messages=cast(Any, request.messages),
            ) as stream:
                for text in stream.text_stream:
                    received.append(text)
                    yield text
                final = stream.get_final_message()
        except self._sdk.APIError as exc:
            raise self._broken(self._backend_error(exc), received) from None
        except BackendError as exc:
            raise self._broken(exc, received) from None
        except (httpx.HTTPError, ValueError, AssertionError) as exc:  # the SDK asserts on a malformed stream
            if self._left() is not None and self._left() <= 0.01:  # type: ignore[operator]
                raise self._broken(self._timed_out(), received) from None
            raise self._broken(self._not_an_answer(exc), received) from None
        except TypeError as exc:
            raise _credentials_error(exc) from None
        finally:
            self._deadline.at = None
        if final.stop_reason is None:  # the stream ended without message_delta / message_stop
            where = _safe_url(str(self._client.base_url))
            raise IncompleteAnswerError(
                f"the answer from {where} broke off before the model finished it (no message_stop); "
                f"what arrived is incomplete and was not kept. {_TRY}",
                "".join(received),
            )
        text = "".join(b.text for b in final.content if b.type == "text")
        self.last_result = LLMResult(text, final.model, usage_of(final.usage), final.stop_reason)
        if final.stop_reason == "max_tokens":
            yield f"\n\n[answer cut off at the {request.max_tokens}-token limit; ask for the rest or a shorter answer]"
        elif final.stop_reason == "refusal":
            yield f"\n\n[the model declined to answer this. {_REFUSAL_HINT}]"

    # --- errors ----------------------------------------------------------------------------------

    def _broken(self, error: BackendError, received: list[str]) -> BackendError:
        if not received:
            return error
        return IncompleteAnswerError(f"the answer broke off: {error}", "".join(received))

    def _not_an_answer(self, exc: Exception) -> BackendError:
        where = _safe_url(str(self._client.base_url))
        return BackendError(
            f"{where} answered with something that is not a Messages API response ({_short(exc, 120)}); "
            f"a proxy or captive portal may be in the way: check ANTHROPIC_BASE_URL. {_TRY}"
        )

    def _backend_error(self, exc: Exception) -> BackendError:
        sdk, where = self._sdk, _safe_url(str(self._client.base_url))
        if isinstance(exc, sdk.APITimeoutError):
            return BackendError(f"the request to {where} timed out after {self.max_retries} retries. {_TRY}")
        if isinstance(exc, sdk.APIConnectionError):
            return BackendError(
                f"could not connect to {where} after {self.max_retries} retries. Check the network and "
                f"ANTHROPIC_BASE_URL. {_TRY}"
            )
        status = getattr(exc, "status_code", None)
        detail = _short(_api_message(exc))
        hint = _STATUS_HINTS.get(status, _TRY) if status and status < 500 else _TRY
        tried = f" after {self.max_retries} retries" if status in (408, 409, 429) or (status or 0) >= 500 else ""
        return BackendError(f"the Messages API at {where} answered HTTP {status}{tried}: {detail}. {hint}")


_TRY = "Try again in a few minutes, or run with --backend offline for the built-in coach."
_REFUSAL_HINT = "Check the deal file for content that is not about the deal, or use --backend offline."
_STATUS_HINTS = {
    400: "The server rejected the request; check --model / AE_COACH_MODEL and the server's API version.",
    401: "The API key was rejected: check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN).",
    403: "The key has no access to this model or workspace: check --model and the key's permissions.",
    404: "Model or endpoint not found: check --model / AE_COACH_MODEL and ANTHROPIC_BASE_URL.",
    413: "The prompt is too large: use a deal file with shorter notes.",
    429: "Rate limited: wait a minute and try again, or use --backend offline.",
}


def _credentials_error(exc: TypeError) -> Exception:
    # The SDK raises TypeError when it finds no credentials at all; anything else is a real bug.
    if "authentication" not in str(exc):
        return exc
    from ae_coach.errors import MissingKeyError

    return MissingKeyError("the anthropic backend", "or use --backend offline")


def _api_message(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and body["error"].get("message"):
        return f"{body['error'].get('type', 'error')}: {body['error']['message']}"
    return str(getattr(exc, "message", exc))


def _text_of(body: dict[str, Any]) -> str:
    return "".join(b.get("text", "") for b in body.get("content") or [] if b.get("type") == "text")


def _short(value: Any, limit: int = 400) -> str:
    if isinstance(value, ValidationError):
        parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in value.errors()[:6]]
        text = "; ".join(parts)
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_url(url: str) -> str:
    # a base URL can carry credentials (https://user:secret@proxy); show only scheme, host and port
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
