"""The replay backend: recorded model answers keyed by a hash of the request. Never a live call.

A recording is ``<dir>/<sha256 of the canonical request>.json`` holding the answer text, the model,
the usage and the stop reason. Replaying validates the text against the request's response model just
as a live answer would be. Recording (``record=True``) sends the request to a live client and writes
the file; it is how eval suites get their fixtures.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ae_coach.errors import ModelOutputError, ReplayMissError
from ae_coach.model.llm import LLMRequest, LLMResult, ModelClient, usage_of
from ae_coach.resources import project_root

FORMAT = 1


def default_replay_dir() -> Path:
    """``$AE_COACH_REPLAY_DIR``, else ``evals/recordings`` in the project."""
    env = os.environ.get("AE_COACH_REPLAY_DIR")
    return Path(env) if env else project_root() / "evals" / "recordings"


class ReplayClient:
    """Answers from recordings; with ``live`` and ``record``, records what the live client answers.

    Args:
        directory: where recordings live.
        live: the client to record from (only used when ``record`` is true).
        record: write a recording for every request (replaying an existing one is never a live call).
    """

    name = "replay"

    def __init__(self, directory: Path | None = None, *, live: ModelClient | None = None, record: bool = False) -> None:
        self.directory = Path(directory) if directory else default_replay_dir()
        self.live = live
        self.record = record
        self.last_result: LLMResult | None = None

    def path_for(self, request: LLMRequest) -> Path:
        """Where the recording of ``request`` lives."""
        return self.directory / f"{request.key()}.json"

    def structured(self, request: LLMRequest) -> LLMResult:
        """The recorded answer, validated against ``request.output``."""
        if self.record:
            result = self._live().structured(request)
            self._write(request, result)
        else:
            result = self._read(request)
            try:
                result.parsed = request.output.model_validate_json(result.text)  # type: ignore[union-attr]
            except ValidationError as exc:
                raise ModelOutputError(
                    f"recording {self.path_for(request)} does not validate against {getattr(request.output, '__name__', 'the output model')}: "
                    f"{exc.error_count()} error(s); re-record it with --record",
                    attempts=1,
                    usage=result.usage,
                    raw=result.text,
                ) from None
        self.last_result = result
        return result

    def stream(self, request: LLMRequest) -> Iterator[str]:
        """The recorded answer as a stream (paragraph by paragraph), or record a live stream."""
        if self.record:
            live = self._live()
            chunks = list(live.stream(request))
            result = live.last_result or LLMResult("".join(chunks), request.model)
            self._write(request, result)
            self.last_result = result
            yield from chunks
            return
        result = self._read(request)
        self.last_result = result
        pieces = result.text.split("\n\n")
        for i, piece in enumerate(pieces):
            yield piece + ("\n\n" if i < len(pieces) - 1 else "")

    def _live(self) -> ModelClient:
        if self.live is None:
            raise ReplayMissError("recording needs a live backend: set ANTHROPIC_API_KEY to record")
        return self.live

    def _read(self, request: LLMRequest) -> LLMResult:
        path = self.path_for(request)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ReplayMissError(
                f"no recording for request {request.key()} in {self.directory} (model {request.model}); "
                "record it with --record and a key, or use --backend offline"
            ) from None
        except (OSError, ValueError) as exc:
            raise ReplayMissError(f"recording {path} cannot be read: {exc}") from None
        return LLMResult(
            text=data.get("text", ""),
            model=data.get("model") or request.model,
            usage=usage_of(data.get("usage")),
            stop_reason=data.get("stop_reason"),
        )

    def _write(self, request: LLMRequest, result: LLMResult) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "format": FORMAT,
            "key": request.key(),
            "model": result.model,
            "requested_model": request.model,
            "stop_reason": result.stop_reason,
            "usage": result.usage.model_dump(),
            "text": result.text,
        }
        self.path_for(request).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
