"""A review with memory: compare with the deal's previous review, coach with that in the prompt, record it.

``review_with_history`` is what ``ae-coach review`` calls. The coach never imports the history: it takes
the "since" block as data (``Coach.run_review(..., since=...)``), so Python users and evals that build a
``Coach`` themselves keep the stateless review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ae_coach.history.model import ActionRef, FindingRef, PersonRef, ReviewRecord
from ae_coach.history.store import Store, now

if TYPE_CHECKING:
    from ae_coach.coach import Coach, ReviewResult
    from ae_coach.coach.report import CoachingReport
    from ae_coach.deal import Deal
    from ae_coach.history.since import Since
    from ae_coach.inspector import Assessment


MAX_EARLIER = 100
"""Past reviews of a deal read to find the previous one and draw the health trend."""


@dataclass
class Reviewed:
    """A review, what changed since the last one (None for a first review) and where it was recorded."""

    result: ReviewResult
    since: Since | None
    record: ReviewRecord
    record_id: int | None


def deal_key(deal: Deal) -> str:
    """The id a deal's history is kept under: its ``id`` (the file stem by default), else its account."""
    return deal.id or re.sub(r"[^a-z0-9]+", "-", deal.account.lower()).strip("-") or "deal"


def snapshot_hash(deal: Deal) -> str:
    """sha256 of the deal's JSON form: equal for two loads of one unchanged file."""
    return hashlib.sha256(deal.model_dump_json(by_alias=True).encode()).hexdigest()


def assessed_record(deal: Deal, assessment: Assessment, rulebook_hash: str) -> ReviewRecord:
    """This review's record from the deal and its assessment, before any coaching (no actions yet)."""
    return ReviewRecord(
        deal_id=deal_key(deal),
        account=deal.account,
        as_of=assessment.as_of,
        recorded_at=now(),
        snapshot_hash=snapshot_hash(deal),
        stage=str(deal.stage.value),
        close_date=deal.close_date,
        health=assessment.health,
        call=str(assessment.recommended_forecast.value),
        backend="",
        rulebook_hash=rulebook_hash,
        findings=[FindingRef(code=f.code, severity=f.severity.value, title=f.title) for f in assessment.findings],
        people=[
            PersonRef(name=p.name, role=p.role.value, last_two_way=p.last_two_way) for p in assessment.facts.people
        ],
    )


def with_report(record: ReviewRecord, report: CoachingReport) -> ReviewRecord:
    """The record completed with the coaching: actions, backend, model, cost and the report itself."""
    return record.model_copy(
        update={
            "backend": report.backend,
            "model": report.model,
            "cost_usd": report.estimated_cost_usd,
            "actions": [
                ActionRef(action=a.action, owner=a.owner, contact=a.contact, due=a.due)
                for a in report.next_actions
                if not a.if_silent  # done only if someone stays silent: nobody misses it when they answer
            ],
            "report": report.model_dump(mode="json"),
        }
    )


def previous_review(store: Store, record: ReviewRecord) -> tuple[ReviewRecord | None, list[ReviewRecord]]:
    """The review to compare with, and every earlier review of the deal (newest first).

    The previous review is the newest one of another state of the deal: a different file or an earlier
    date. Running the same review twice is not news, so the second run still compares with the one before.
    """
    earlier = [r for r in store.reviews(record.deal_id, limit=MAX_EARLIER) if r.as_of <= record.as_of]
    for candidate in earlier:
        if (candidate.snapshot_hash, candidate.as_of) != (record.snapshot_hash, record.as_of):
            return candidate, earlier
    return None, earlier


def review_with_history(
    coach: Coach, deal: Deal, as_of: dt.date | None = None, *, store: Store | None, log: bool = True
) -> Reviewed:
    """Review ``deal`` with what changed since its previous review in ``store``, and record this one.

    Args:
        coach: the coach (any backend); with ``redact`` the review is stored pseudonymised.
        deal: the deal.
        as_of: the review date (default: the deal's ``as_of``).
        store: the history (None: a plain review, nothing read or written).
        log: record this review (``--no-log`` turns it off; the previous one is still compared with).
    """
    assessment = coach.assess(deal, as_of)
    record = assessed_record(deal, assessment, coach.rulebook.content_hash)
    since = None
    if store is not None:
        previous, earlier = previous_review(store, record)
        if previous is not None:
            from ae_coach.history.since import compare  # a deal's first review, or no history, needs none of it

            redactor = _redactor(deal) if previous.redacted else None
            before = redactor.restore(previous) if redactor else previous
            since = compare(before, record, assessment.facts, earlier)
    result = coach.run_review(deal, as_of, assessment=assessment, since=since)
    record = with_report(record, result.report)
    record_id = None
    if store is not None and log:
        stored = record
        if coach.redact:
            stored = _redactor(deal).redact(record).model_copy(update={"redacted": True})
        record_id = store.add_review(stored)
    return Reviewed(result, since, record, record_id)


def _redactor(deal: Deal) -> Any:
    from ae_coach.coach.redact import Redactor

    return Redactor(deal, ids=False)  # the deal id is the history's key
