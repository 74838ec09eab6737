"""Per-deal coaching for a whole pipeline through the Message Batches API (half price, asynchronous).

``ae-coach pipeline PATH --batch`` builds, for each of the riskiest open deals, exactly the request the
``anthropic`` backend would send for ``ae-coach review`` (``Coach.review_request``, with structured output
so a batch answer needs no repair turn), submits them as one batch and prints its id. Batches finish within
24 hours; ``--batch-id ID`` (same PATH and options) fetches the results later and turns each answer into a
:class:`~ae_coach.coach.report.CoachingReport` with ``Coach.review_from_response``, the code path a live review
takes.

Requests are matched to deals by ``custom_id``, derived from the deal id, so a resumed run needs only the
same export. With ``--redact`` every request is the redacted one a live ``review --redact`` sends, and the
``custom_id`` is a keyed hash of the deal id (the key is made once and kept in ``$AE_COACH_HOME/batch-key``),
so no deal id leaves the machine; the answers are mapped back to real names on this machine, which is why a
redacted batch is fetched from the same ae-coach home it was sent from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
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


def custom_id(deal_id: str, key: bytes | None = None) -> str:
    """A custom_id the API accepts (``[A-Za-z0-9_-]{1,64}``), stable for a deal id and unique per id.

    With ``key`` (``--redact``) it is a keyed hash that does not carry the id: ``deal-`` and 24 hex digits.
    """
    if key is not None:
        return "deal-" + hmac.new(key, deal_id.encode(), "sha256").hexdigest()[:24]
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
    unmatched: int = 0
    """Results whose custom_id matches no deal given (the export changed, or another ae-coach home's key)."""


def batch_key() -> bytes:
    """The key of redacted custom_ids: made on first use and kept, readable by this user only."""
    from ae_coach.resources import ae_coach_home

    path = ae_coach_home() / "batch-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another run made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise BackendError(f"cannot read the batch key {path} ({exc}); remove it to make a new one") from None


def _key(options: dict[str, Any]) -> bytes | None:
    return batch_key() if options.get("redact") else None


def _coach(options: dict[str, Any]) -> Coach:
    # Builds requests and reads answers only: the batch client, not the coach, talks to the API.
    return Coach("anthropic", **options)


def batch_requests(deals: list[Deal], as_of: dt.date, **options: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The batch's request entries, and custom_id -> the review request each one carries.

    Each entry is exactly the request a live ``review`` sends, with structured output (the schema of the
    review's response model), so an answer validates just as a live one does.
    """
    coach, secret = _coach(options), _key(options)
    entries, requests = [], {}
    for deal in deals:
        request = coach.review_request(deal, as_of)
        key = custom_id(deal.id or deal.account, secret)
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
    coach, secret = _coach(options), _key(options)
    by_key = {custom_id(d.id or d.account, secret): d for d in deals}
    for item in client.messages.batches.results(batch_id):
        deal = by_key.get(item.custom_id)
        if deal is None:
            outcome.unmatched += 1  # a deal no longer in the export
            continue
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
    review: Any,
    deals: Sequence[Deal],
    *,
    batch_id: str | None,
    wait: float,
    limit: int,
    out: Path | None,
    redact: bool = False,
) -> None:
    """The CLI's batch step: submit (or resume), wait up to ``wait`` seconds, write results when ended."""
    from ae_coach.errors import require_key

    require_key("--batch")
    by_id = {d.id: d for d in records(deals)}  # only the chosen deals are built
    chosen = [deal_of(by_id[line.id]) for line in review.deals[:limit] if line.id in by_id]  # riskiest first
    client = _client()
    if batch_id is None:
        batch_id = submit(chosen, review.as_of, client=client, redact=redact)
        print(f"submitted message batch {batch_id} with {len(chosen)} deals", file=sys.stderr)
    deadline, pause = time.monotonic() + wait, 1.0
    outcome = collect(batch_id, chosen, review.as_of, client=client, redact=redact)
    while outcome.status != "ended" and time.monotonic() < deadline:
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 60.0)  # batches take minutes to hours: poll gently
        outcome = collect(batch_id, chosen, review.as_of, client=client, redact=redact)
    if outcome.status != "ended":
        print(f"batch {batch_id} is {outcome.status}; fetch it later with --batch-id {batch_id}", file=sys.stderr)
        return
    target = out or Path(f"coaching-{batch_id}.jsonl")
    write_outcome(outcome, target)
    print(
        f"batch {batch_id}: {len(outcome.reports)} reports, {len(outcome.errors)} errors -> {target}", file=sys.stderr
    )
    if outcome.unmatched:
        print(
            f"{outcome.unmatched} result(s) matched no deal of this export: the export changed since the batch was"
            " sent, or it was sent with a different --redact setting or from another ae-coach home",
            file=sys.stderr,
        )
