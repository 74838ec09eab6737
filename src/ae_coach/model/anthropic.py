"""The Claude backend: the real ``anthropic`` SDK, structured output with a JSON fallback, streaming chat.

The SDK does the transport work: it reads ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` and
``ANTHROPIC_BASE_URL`` from the environment (we never pass a base URL, so a proxy or a local server that
speaks the Messages API just works), and retries 408/409/429/5xx/529 and dropped connections with
backoff, honouring ``retry-after``. This module adds what the SDK leaves to us: validating the answer
against a pydantic model, one repair turn and a bounded re-ask, ``stop_reason`` handling, and errors
that say what to try without ever printing the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from ae_coach.errors import BackendError, ModelOutputError
from ae_coach.model.llm import LLMRequest, LLMResult, Usage, unfence, usage_of

DEFAULT_MAX_RETRIES = 4
DEFAULT_TIMEOUT = 120.0
MAX_ATTEMPTS = 3
"""Validation attempts per structured call: the first answer, one repair turn, one more re-ask."""
MAX_TOKENS_CEILING = 32_000

_NO_STRUCTURED_OUTPUT = re.compile(r"output_(format|config)|json_schema|structured", re.IGNORECASE)


class AnthropicClient:
    """Calls the Messages API through the official SDK.

    Args:
        max_retries: SDK retries per HTTP call (429, 5xx, 529, timeouts, dropped connections).
        timeout: seconds per HTTP attempt.
    """

    name = "anthropic"

    def __init__(self, *, max_retries: int = DEFAULT_MAX_RETRIES, timeout: float = DEFAULT_TIMEOUT) -> None:
        import anthropic

        self._sdk = anthropic
        self._last_body: dict[str, Any] | None = None
        self._client = anthropic.Anthropic(max_retries=max_retries, timeout=timeout, middleware=[self._capture])
        self.max_retries = max_retries
        self.structured_output = True
        """Flips to False once a server rejects ``output_config``; later calls go straight to JSON mode."""
        self.last_result: LLMResult | None = None

    def _capture(self, request: Any, call_next: Any) -> Any:
        # Keep the raw body of each non-streamed answer: if the SDK's parse of the structured output
        # fails we still need the text and stop_reason for the repair turn and the error.
        response = call_next(request)
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
        stop reason (the generator returns nothing)."""
        try:
            with self._client.messages.stream(
                model=request.model,
                max_tokens=request.max_tokens,
                system=cast(Any, request.system),
                messages=cast(Any, request.messages),
            ) as stream:
                yield from stream.text_stream
                final = stream.get_final_message()
        except self._sdk.APIError as exc:
            raise self._backend_error(exc) from None
        except TypeError as exc:
            raise _credentials_error(exc) from None
        text = "".join(b.text for b in final.content if b.type == "text")
        self.last_result = LLMResult(text, final.model, usage_of(final.usage), final.stop_reason)
        if final.stop_reason == "max_tokens":
            yield f"\n\n[answer cut off at the {request.max_tokens}-token limit; ask for the rest or a shorter answer]"
        elif final.stop_reason == "refusal":
            yield f"\n\n[the model declined to answer this. {_REFUSAL_HINT}]"

    # --- errors ----------------------------------------------------------------------------------

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
