"""What every model backend is asked and answers: one request shape, one result shape, one cache key.

``LLMRequest`` is exactly what goes to the Messages API (``params()`` gives the body, e.g. for a Message
Batches entry); ``LLMResult`` is what came back (``from_message`` reads a Messages API message, e.g. a batch
result); ``validate_result`` turns a result's text into the request's response model, as a live call would.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class Usage(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    """Tokens one or more model calls used, as the Messages API reports them."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    """Prompt tokens served from the prompt cache (billed at a fraction of the input price)."""
    cache_creation_input_tokens: int = 0
    """Prompt tokens written to the prompt cache (billed above the input price)."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{name: getattr(self, name) + getattr(other, name) for name in Usage.model_fields})


CACHE = {"type": "ephemeral"}
"""The Messages API's prompt-cache marker for a content block."""


def text_block(text: str, *, cache: bool = False) -> dict[str, Any]:
    """A text content block, marked for prompt caching when ``cache``."""
    block: dict[str, Any] = {"type": "text", "text": text}
    if cache:
        block["cache_control"] = dict(CACHE)
    return block


@dataclass
class LLMRequest:
    """One call to a model: the system blocks, the conversation and (for reviews) the response model."""

    model: str
    system: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    max_tokens: int = 8192
    output: type[BaseModel] | None = None
    """The pydantic model the answer must validate against; ``None`` for free text (chat)."""
    json_messages: list[dict[str, Any]] | None = field(default=None, repr=False)
    """The same conversation with JSON-only instructions, for servers without structured output."""

    def key(self) -> str:
        """sha256 of the canonical request (model, system, messages, output schema): the replay key."""
        canonical = {
            "model": self.model,
            "system": self.system,
            "messages": self.messages,
            "output_schema": self.output.model_json_schema() if self.output else None,
        }
        blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def params(self, *, structured: bool = True) -> dict[str, Any]:
        """The Messages API request body (without ``stream``), e.g. for a Message Batches entry.

        Args:
            structured: with a response model, ask for structured output (``output_config`` with the
                model's JSON schema); False sends the JSON-only instructions instead, for servers
                without structured output.
        """
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": self.system,
            "messages": self.messages,
        }
        if self.output is not None and structured:
            from anthropic import transform_schema

            params["output_config"] = {"format": {"type": "json_schema", "schema": transform_schema(self.output)}}
        elif self.output is not None and self.json_messages is not None:
            params["messages"] = self.json_messages
        return params


@dataclass
class LLMResult:
    """A model's answer: the text, the validated object when a response model was given, and the cost."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    stop_reason: str | None = None
    parsed: BaseModel | None = None
    attempts: int = 1

    @classmethod
    def from_message(cls, message: Any, model: str = "unknown") -> LLMResult:
        """The result a Messages API message holds (an SDK object or its dict); ``parsed`` is left empty."""
        body = message if isinstance(message, dict) else message.to_dict()
        text = "".join(b.get("text", "") for b in body.get("content") or [] if b.get("type") == "text")
        return cls(text, body.get("model") or model, usage_of(body.get("usage")), body.get("stop_reason"))


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


def unfence(text: str) -> str:
    """The JSON inside a ```json fence, or the text itself (stripped)."""
    match = _FENCE.match(text)
    return match.group(1) if match else text.strip()


def validate_result(result: LLMResult, output: type[BaseModel]) -> LLMResult:
    """``result`` with ``parsed`` set: its text validated against ``output`` (a no-op when already parsed).

    Raises:
        ModelOutputError: the answer was cut off, refused, or does not validate (carries the raw text).
    """
    from pydantic import ValidationError

    from ae_coach.errors import ModelOutputError

    if isinstance(result.parsed, output):
        return result
    if result.stop_reason in ("max_tokens", "refusal"):
        reason = "was cut off" if result.stop_reason == "max_tokens" else "was a refusal"
        raise ModelOutputError(
            f"the answer {reason} (stop_reason={result.stop_reason})",
            attempts=result.attempts,
            usage=result.usage,
            raw=result.text,
        )
    try:
        parsed = output.model_validate_json(unfence(result.text))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "<root>"
        raise ModelOutputError(
            f"the answer did not validate against {output.__name__}: {where}: {first['msg']}",
            attempts=result.attempts,
            usage=result.usage,
            raw=result.text,
        ) from None
    return LLMResult(result.text, result.model, result.usage, result.stop_reason, parsed, result.attempts)


class ModelClient(Protocol):
    """The interface the anthropic and replay backends share.

    Both calls leave their final :class:`LLMResult` (text, model, usage, stop reason) in ``last_result``;
    for ``stream`` it is set once the stream is exhausted.
    """

    name: str
    last_result: LLMResult | None

    def structured(self, request: LLMRequest) -> LLMResult:
        """Answer with an object that validates against ``request.output``."""
        ...

    def stream(self, request: LLMRequest) -> Iterator[str]:
        """Stream a free-text answer; when it is exhausted, ``last_result`` holds the final ``LLMResult``."""
        ...


def usage_of(raw: Any) -> Usage:
    """Usage from an SDK object or a plain dict (missing counters are 0)."""
    if raw is None:
        return Usage()
    get = raw.get if isinstance(raw, dict) else (lambda name, default=None: getattr(raw, name, default))
    return Usage(**{name: int(get(name, 0) or 0) for name in Usage.model_fields})
