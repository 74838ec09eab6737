"""What changed between two exports of the same pipeline: the Monday-morning "what moved" list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from ae_coach.crm.deals import DealRecord, records
from ae_coach.crm.salesforce import opportunity_key
from ae_coach.deal import STAGE_ORDER, Deal, Stage
from ae_coach.pipeline._money import money

ChangeKind = Literal[
    "new",
    "won",
    "lost",
    "pushed",
    "pulled_in",
    "stage_forward",
    "stage_back",
    "amount_changed",
    "category_moved",
    "removed",
]
KINDS: tuple[str, ...] = ChangeKind.__args__  # type: ignore[attr-defined]
"""Every change class, in the order reports list them."""


class DealChange(BaseModel):
    """One change to one deal. A deal can change in several ways at once (pushed and amount changed)."""

    kind: ChangeKind
    id: str
    account: str
    name: str | None = None
    owner: str | None = None
    amount: float
    """The deal's amount in the newer export (the older one for removed deals)."""
    before: Any = None
    after: Any = None
    delta: float | None = None
    """Days for pushed / pulled in, money for amount changes."""


class PipelineDiff(BaseModel):
    old: str
    new: str
    changes: list[DealChange] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    open_before: float = 0.0
    open_after: float = 0.0
    currency: str = "USD"

    def of(self, kind: str) -> list[DealChange]:
        return [c for c in self.changes if c.kind == kind]


def _key(deal: DealRecord) -> str:
    return opportunity_key(deal.id or f"{deal.account}|{deal.name}")


def _change(
    kind: Any, deal: DealRecord, before: Any = None, after: Any = None, delta: float | None = None
) -> DealChange:
    return DealChange(
        kind=kind, id=deal.id or deal.account, account=deal.account, name=deal.name, owner=deal.owner,
        amount=deal.amount, before=before, after=after, delta=delta,
    )  # fmt: skip


def _outcome(old: DealRecord, new: DealRecord) -> list[DealChange]:
    if old.stage.is_open and new.stage is Stage.CLOSED_WON:
        return [_change("won", new, old.stage.value, new.stage.value)]
    if old.stage.is_open and new.stage is Stage.CLOSED_LOST:
        return [_change("lost", new, old.stage.value, new.stage.value)]
    return []


def _moves(old: DealRecord, new: DealRecord) -> list[DealChange]:
    changes = []
    if old.close_date and new.close_date and old.close_date != new.close_date and new.stage.is_open:
        days = (new.close_date - old.close_date).days
        changes.append(_change("pushed" if days > 0 else "pulled_in", new, old.close_date, new.close_date, float(days)))
    if old.stage is not new.stage and new.stage.is_open:
        forward = STAGE_ORDER[new.stage] > STAGE_ORDER[old.stage]
        changes.append(_change("stage_forward" if forward else "stage_back", new, old.stage.value, new.stage.value))
    if abs(new.amount - old.amount) >= 0.005:
        changes.append(_change("amount_changed", new, old.amount, new.amount, new.amount - old.amount))
    if old.forecast_category != new.forecast_category and new.stage.is_open:
        before = old.forecast_category.value if old.forecast_category else None
        after = new.forecast_category.value if new.forecast_category else None
        changes.append(_change("category_moved", new, before, after))
    return changes


def diff_pipelines(
    old: Sequence[Deal], new: Sequence[Deal], *, old_label: str = "old", new_label: str = "new"
) -> PipelineDiff:
    """Compare two snapshots of a pipeline, matching deals by id (Salesforce 15- and 18-character ids match).

    Returns:
        Every change, grouped in :data:`KINDS` order, biggest amounts first within a kind.
    """
    earlier, later = records(old), records(new)  # an import's rows carry every fact compared here: no deal is built
    before = {_key(d): d for d in earlier}
    after = {_key(d): d for d in later}
    changes: list[DealChange] = []
    for key, deal in after.items():
        previous = before.get(key)
        if previous is None:
            changes.append(_change("new", deal, None, deal.stage.value))
            continue
        outcome = _outcome(previous, deal)
        changes.extend(outcome or _moves(previous, deal))
    changes.extend(_change("removed", d, d.stage.value, None) for k, d in before.items() if k not in after)
    order = {kind: i for i, kind in enumerate(KINDS)}
    changes.sort(key=lambda c: (order[c.kind], -c.amount, c.id))
    counts: Counter[str] = Counter(c.kind for c in changes)
    return PipelineDiff(
        old=old_label,
        new=new_label,
        changes=changes,
        counts={kind: counts[kind] for kind in KINDS},
        open_before=sum(d.amount for d in earlier if d.stage.is_open),
        open_after=sum(d.amount for d in later if d.stage.is_open),
        currency=Counter(d.currency for d in later or earlier).most_common(1)[0][0] if (later or earlier) else "USD",
    )


def describe(change: DealChange) -> str:
    """One line a manager reads aloud: 'Globex pushed 2026-12-12 -> 2027-01-31 (+50 days)'."""

    def show(value: Any) -> str:
        if isinstance(value, float):
            return money(value)
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    if change.kind in ("new", "removed"):
        return f"{change.kind}: {change.account} ({show(change.amount)}, {change.after or change.before})"
    detail = f"{show(change.before)} -> {show(change.after)}"
    if change.kind in ("pushed", "pulled_in") and change.delta is not None:
        detail += f" ({change.delta:+.0f} days)"
    elif change.kind == "amount_changed" and change.delta is not None:
        detail += f" ({'+' if change.delta >= 0 else '-'}{money(abs(change.delta))})"
    return f"{change.kind.replace('_', ' ')}: {change.account} {detail}"
