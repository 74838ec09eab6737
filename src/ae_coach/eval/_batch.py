"""Large live runs through the Message Batches API (``--batch``), resumable by batch id.

A batch run goes in rounds. Each round runs every sample with a client that answers from the eval cache
and, on a miss, records the request instead of calling the API (the sample is *deferred*). The recorded
requests go to the API as one batch (custom_id = the cache key); its results are written to the cache.
Round one collects the coach's generations, round two the judge's verdicts on them; the final pass then
grades every sample from the cache. The batch id is written to the run log as soon as the batch is
created, so ``--resume`` polls that batch instead of submitting (and paying for) it again. A request the
batch could not answer (errored, expired) is left out of the cache and answered live in the final pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ae_coach.eval._runlog import RunLog
from ae_coach.model.cache import Cache

BATCH_DISCOUNT = 0.5
"""Batch requests are billed at half the standard price."""
MAX_ROUNDS = 3
"""Generations, then judgements; a third round only catches requests that appear late."""


class Deferred(Exception):
    """A model call was recorded for the batch instead of being made."""


class DeferringClient:
    """Stands in for the coach's model client: records each request as batch params, then defers."""

    name = "batch"

    def __init__(self, pending: dict[str, dict[str, Any]], key: Callable[[Any], str]) -> None:
        self.pending, self.key = pending, key

    def structured(self, request: Any) -> Any:
        self.pending[self.key(request)] = {"kind": "structured", "params": request.params(structured=True)}
        raise Deferred

    def stream(self, request: Any) -> Any:
        self.pending[self.key(request)] = {"kind": "text", "params": request.params()}
        raise Deferred
        yield  # pragma: no cover - makes this a generator like the real clients


class BatchProcessor:
    """Submits pending requests as a batch, waits for it, and stores the answers in the cache."""

    def __init__(
        self,
        cache: Cache,
        log: RunLog | None,
        *,
        poll_seconds: float = 30.0,
        known: list[dict[str, Any]] | None = None,
        client: Any = None,
    ) -> None:
        self.cache, self.log, self.poll_seconds = cache, log, poll_seconds
        self.open = [
            b["id"]
            for b in known or []
            if b.get("status") == "submitted"
            and not any(k.get("id") == b["id"] and k.get("status") == "collected" for k in known or [])
        ]
        self._client = client
        self.usage: dict[str, dict[str, int]] = {}
        """Tokens the batches used, per model (cached answers cost nothing in the final pass)."""
        self.batches: list[str] = []

    def client(self) -> Any:
        if self._client is None:
            import anthropic

            self._client = anthropic.Anthropic(max_retries=4)
        return self._client

    def resume_open(self) -> None:
        """Collect the batches a killed run had submitted (their ids are in the run log)."""
        while self.open:
            self._collect(self.open.pop(0))

    def process(self, pending: dict[str, dict[str, Any]]) -> None:
        requests = [{"custom_id": key, "params": item["params"]} for key, item in pending.items()]
        batch = self.client().messages.batches.create(requests=requests)
        self._record(
            {
                "id": batch.id,
                "status": "submitted",
                "requests": len(requests),
                "kinds": {key: item["kind"] for key, item in pending.items()},
            }
        )
        self._collect(batch.id)

    def _collect(self, batch_id: str) -> None:
        batches = self.client().messages.batches
        while batches.retrieve(batch_id).processing_status != "ended":
            time.sleep(self.poll_seconds)
        counts = {"stored": 0, "failed": 0}
        for row in batches.results(batch_id):
            stored = self._store(row)
            counts["stored" if stored else "failed"] += 1
        self.batches.append(batch_id)
        self._record({"id": batch_id, "status": "collected", **counts})

    def _store(self, row: Any) -> bool:
        from ae_coach.coach import LLMResult

        if row.result.type != "succeeded":
            return False
        answer = LLMResult.from_message(row.result.message)
        per_model = self.usage.setdefault(answer.model, {})
        for name in ("input_tokens", "output_tokens"):
            per_model[name] = per_model.get(name, 0) + getattr(answer.usage, name)
        if answer.stop_reason == "max_tokens":
            return False  # truncated answers are never cached
        # One entry shape serves both readers: generations read "text", judgements read "raw".
        self.cache.put(
            row.custom_id,
            {"text": answer.text, "raw": answer.text, "model": answer.model, "stop_reason": answer.stop_reason},
        )
        return True

    def totals(self) -> dict[str, Any]:
        """Batch tokens and their estimated cost at half the list price (the Batches API discount)."""
        from ae_coach.coach import estimate_cost
        from ae_coach.coach.report import Usage

        tokens: dict[str, int] = {}
        cost = 0.0
        for model, usage in self.usage.items():
            for name, value in usage.items():
                tokens[name] = tokens.get(name, 0) + value
            price = estimate_cost(model, Usage(**usage))[0]
            cost += BATCH_DISCOUNT * (price or 0.0)
        return {"batches": list(self.batches), "batch_tokens": tokens, "batch_cost_usd": round(cost, 6)}

    def _record(self, record: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.append_record({"type": "batch", **record})
