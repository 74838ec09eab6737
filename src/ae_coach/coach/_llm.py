"""What every model backend is asked and answers: one request shape, one result shape, one cache key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from ae_coach.report import Usage

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


@dataclass
class LLMResult:
    """A model's answer: the text, the validated object when a response model was given, and the cost."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    stop_reason: str | None = None
    parsed: BaseModel | None = None
    attempts: int = 1


class ModelClient(Protocol):
    """The interface the anthropic and replay backends share."""

    name: str

    def structured(self, request: LLMRequest) -> LLMResult:
        """Answer with an object that validates against ``request.output``."""
        ...

    def stream(self, request: LLMRequest) -> Iterator[str]:
        """Stream a free-text answer; the generator's return value is the final ``LLMResult``."""
        ...


def usage_of(raw: Any) -> Usage:
    """Usage from an SDK object or a plain dict (missing counters are 0)."""
    if raw is None:
        return Usage()
    get = raw.get if isinstance(raw, dict) else (lambda name, default=None: getattr(raw, name, default))
    return Usage(**{name: int(get(name, 0) or 0) for name in Usage.model_fields})
