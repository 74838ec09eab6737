"""Per-deal movement since the last ``ae-coach pipeline`` run over the same source.

``pipeline diff OLD NEW`` compares two exports a user keeps; this compares a run with the store's record
of the previous run, so the weekly forecast call gets "what moved" without keeping exports around.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from ae_coach.history.model import PipelineDeal, PipelineRun
from ae_coach.history.store import Store, now

if TYPE_CHECKING:
    from ae_coach.pipeline.model import PipelineReview


class DealMovement(BaseModel):
    """One deal that moved: new, gone (closed or no longer in the source), or changed."""

    id: str
    account: str
    change: Literal["new", "gone", "moved"]
    health_before: int | None = None
    health_after: int | None = None
    call_before: str | None = None
    call_after: str | None = None
    stage_before: str | None = None
    stage_after: str | None = None
    close_date_before: dt.date | None = None
    close_date_after: dt.date | None = None
    amount_before: float | None = None
    amount_after: float | None = None


class PipelineMovement(BaseModel):
    """What moved between the previous run over a source and this one."""

    previous_as_of: dt.date
    previous_recorded_at: dt.datetime
    deals: list[DealMovement] = Field(default_factory=list)
    """New and gone deals, and those whose health, call, stage, close date or amount changed."""
    unchanged: int = 0


def pipeline_run(source: str, review: PipelineReview) -> PipelineRun:
    """The run to store: each open deal's stage, amount, close date, call and health."""
    return PipelineRun(
        source=source,
        as_of=review.as_of,
        recorded_at=now(),
        deals=[
            PipelineDeal(
                id=d.id,
                account=d.account,
                stage=str(d.stage.value),
                amount=d.amount,
                close_date=d.close_date,
                call=_value(d.recommended_forecast),
                health=d.health,
            )
            for d in review.deals
        ],
    )


def _value(x: Any) -> str | None:
    return None if x is None else str(x)


def movement(previous: PipelineRun, current: PipelineRun) -> PipelineMovement:
    """Deals new, gone or moved between two runs (matched by deal id)."""
    before = {d.id: d for d in previous.deals}
    after = {d.id: d for d in current.deals}
    moved: list[DealMovement] = []
    unchanged = 0
    for deal_id, now_deal in after.items():
        old = before.get(deal_id)
        if old is None:
            moved.append(_movement(None, now_deal))
        elif _key(old) != _key(now_deal):
            moved.append(_movement(old, now_deal))
        else:
            unchanged += 1
    moved += [_movement(old, None) for deal_id, old in before.items() if deal_id not in after]
    order = {"moved": 0, "new": 1, "gone": 2}
    moved.sort(key=lambda m: (order[m.change], -abs((m.health_after or 0) - (m.health_before or 0)), m.id))
    return PipelineMovement(
        previous_as_of=previous.as_of, previous_recorded_at=previous.recorded_at, deals=moved, unchanged=unchanged
    )


def _key(deal: PipelineDeal) -> tuple[Any, ...]:
    return (deal.health, deal.call, deal.stage, deal.close_date, deal.amount)


def _movement(old: PipelineDeal | None, new: PipelineDeal | None) -> DealMovement:
    some = new or old
    assert some is not None
    change: Literal["new", "gone", "moved"] = "new" if old is None else "gone" if new is None else "moved"
    return DealMovement(
        id=some.id,
        account=some.account,
        change=change,
        health_before=old.health if old else None,
        health_after=new.health if new else None,
        call_before=old.call if old else None,
        call_after=new.call if new else None,
        stage_before=old.stage if old else None,
        stage_after=new.stage if new else None,
        close_date_before=old.close_date if old else None,
        close_date_after=new.close_date if new else None,
        amount_before=old.amount if old else None,
        amount_after=new.amount if new else None,
    )


def pipeline_with_history(
    store: Store | None, source: str, review: PipelineReview, *, log: bool = True
) -> PipelineMovement | None:
    """Movement since the last run over ``source`` (None for a first run), and record this run."""
    if store is None:
        return None
    current = pipeline_run(source, review)
    previous = store.last_pipeline_run(source)
    if log:
        store.add_pipeline_run(current)
    return movement(previous, current) if previous is not None else None
