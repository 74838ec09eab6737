"""Per-deal coaching for a whole pipeline through the Message Batches API (half price, asynchronous).

``ae-coach pipeline PATH --batch`` builds, for each of the riskiest open deals, exactly the request the
``anthropic`` backend would send for ``ae-coach review`` (``Coach.review_request``, with structured output
so a batch answer needs no repair turn), submits them as one batch and prints its id. Batches finish within
24 hours; ``--batch-id ID`` (same PATH and options) fetches the results later and turns each answer into a
:class:`~ae_coach.coach.report.CoachingReport` with ``Coach.review_from_response``, the code path a live review
takes.

Requests are matched to deals by ``custom_id``, derived from the deal id, so a resumed run needs only the
same export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ae_coach.coach import Coach, LLMResult
from ae_coach.coach.report import CoachingReport
from ae_coach.crm.deals import deal_of, records
from ae_coach.deal import Deal
from ae_coach.errors import BackendError

BATCH_LIMIT = 100
"""ae-coach default: deals coached per batch, riskiest first (the API allows far more; this bounds the cost)."""
_CUSTOM_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def custom_id(deal_id: str) -> str:
    """A custom_id the API accepts (``[A-Za-z0-9_-]{1,64}``), stable for a deal id and unique per id."""
    cleaned = _CUSTOM_ID_CHARS.sub("-", deal_id)[:48]
    if cleaned == deal_id:
        return deal_id
    return f"{cleaned}-{hashlib.sha256(deal_id.encode()).hexdigest()[:12]}"


class BatchOutcome(BaseModel):
    """What a batch produced: reports for the deals that succeeded, errors for the rest."""

    batch_id: str
    status: str
    reports: dict[str, CoachingReport] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)


def _coach(options: dict[str, Any]) -> Coach:
    # Builds requests and reads answers only: the batch client, not the coach, talks to the API.
    return Coach("anthropic", **options)


def batch_requests(deals: list[Deal], as_of: dt.date, **options: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The batch's request entries, and custom_id -> the review request each one carries.

    Each entry is exactly the request a live ``review`` sends, with structured output (the schema of the
    review's response model), so an answer validates just as a live one does.
    """
    coach = _coach(options)
    entries, requests = [], {}
    for deal in deals:
        request = coach.review_request(deal, as_of)
        key = custom_id(deal.id or deal.account)
        entries.append({"custom_id": key, "params": request.params()})
        requests[key] = request
    return entries, requests


def _client(max_retries: int = 4, timeout: float = 120.0) -> Any:
    import anthropic

    return anthropic.Anthropic(max_retries=max_retries, timeout=timeout)


def submit(deals: list[Deal], as_of: dt.date, *, client: Any = None, **options: Any) -> str:
    """Send one batch with a coaching request per deal; returns the batch id."""
    import anthropic

    entries, _ = batch_requests(deals, as_of, **options)
    try:
        batch = (client or _client()).messages.batches.create(requests=entries)
    except anthropic.APIError as exc:
        raise BackendError(f"could not create the message batch: {exc}") from None
    return batch.id


def collect(batch_id: str, deals: list[Deal], as_of: dt.date, *, client: Any = None, **options: Any) -> BatchOutcome:
    """Fetch a batch; once it has ended, turn every answer into a CoachingReport keyed by deal id."""
    import anthropic

    client = client or _client()
    try:
        batch = client.messages.batches.retrieve(batch_id)
    except anthropic.APIError as exc:
        raise BackendError(f"could not read message batch {batch_id}: {exc}") from None
    outcome = BatchOutcome(batch_id=batch_id, status=batch.processing_status)
    if batch.processing_status != "ended":
        return outcome
    coach = _coach(options)
    by_key = {custom_id(d.id or d.account): d for d in deals}
    for item in client.messages.batches.results(batch_id):
        deal = by_key.get(item.custom_id)
        if deal is None:
            continue  # a deal no longer in the export
        name = deal.id or item.custom_id
        if item.result.type != "succeeded":
            outcome.errors[name] = f"request {item.result.type}"
            continue
        answer = LLMResult.from_message(item.result.message, coach.model)
        try:
            outcome.reports[name] = coach.review_from_response(deal, answer, as_of)
        except BackendError as exc:  # ModelOutputError included: cut off, refused, or invalid
            outcome.errors[name] = str(exc)
    return outcome


def write_outcome(outcome: BatchOutcome, path: Path) -> None:
    """One JSON object per line: ``{"deal_id", "report"}`` or ``{"deal_id", "error"}``."""
    with path.open("w", encoding="utf-8") as handle:
        for deal_id, report in outcome.reports.items():
            handle.write(json.dumps({"deal_id": deal_id, "report": report.model_dump(mode="json")}) + "\n")
        for deal_id, error in outcome.errors.items():
            handle.write(json.dumps({"deal_id": deal_id, "error": error}) + "\n")


def run_batch_cli(
    review: Any, deals: Sequence[Deal], *, batch_id: str | None, wait: float, limit: int, out: Path | None
) -> None:
    """The CLI's batch step: submit (or resume), wait up to ``wait`` seconds, write results when ended."""
    from ae_coach.errors import require_key

    require_key("--batch")
    by_id = {d.id: d for d in records(deals)}  # only the chosen deals are built
    chosen = [deal_of(by_id[line.id]) for line in review.deals[:limit] if line.id in by_id]  # riskiest first
    client = _client()
    if batch_id is None:
        batch_id = submit(chosen, review.as_of, client=client)
        print(f"submitted message batch {batch_id} with {len(chosen)} deals", file=sys.stderr)
    deadline, pause = time.monotonic() + wait, 1.0
    outcome = collect(batch_id, chosen, review.as_of, client=client)
    while outcome.status != "ended" and time.monotonic() < deadline:
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 60.0)  # batches take minutes to hours: poll gently
        outcome = collect(batch_id, chosen, review.as_of, client=client)
    if outcome.status != "ended":
        print(f"batch {batch_id} is {outcome.status}; fetch it later with --batch-id {batch_id}", file=sys.stderr)
        return
    target = out or Path(f"coaching-{batch_id}.jsonl")
    write_outcome(outcome, target)
    print(
        f"batch {batch_id}: {len(outcome.reports)} reports, {len(outcome.errors)} errors -> {target}", file=sys.stderr
    )
