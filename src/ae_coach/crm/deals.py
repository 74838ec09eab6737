"""The deals of a CSV import, kept as one compact row each and built into a :class:`Deal` when read.

A pydantic ``Deal`` costs about 2 kB (its field dict, five lists, an activity, a next step): a million-row
export held as deals needs over 2 GB. A :class:`DealRow` keeps only what the CSV record carried, already
parsed and checked (about 400 bytes), and builds the same ``Deal`` on demand. A pipeline review reads the
rows' facts (stage, amount, dates, owner) directly and builds each open deal once, to inspect it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TypeAlias, overload

from pydantic import BaseModel, ConfigDict

from ae_coach.deal import Deal, Element, ForecastCategory, Meddpicc, Source, Stage


class _UnknownElement(Element):
    model_config = ConfigDict(frozen=True)


class _UnknownMeddpicc(Meddpicc):
    model_config = ConfigDict(frozen=True)


UNKNOWN_MEDDPICC: Meddpicc = _UnknownMeddpicc(**{name: _UnknownElement() for name in Meddpicc.model_fields})
"""A CRM export carries no MEDDPICC, so every imported deal shares this one all-unknown record. It is
frozen, so code that tries to fill it in fails loudly instead of changing every deal; it saves about
4 KB per deal. Copy the deal (``model_copy(deep=True)``) to edit it."""
LAST_ACTIVITY_SUMMARY = "Last activity recorded in the CRM (type not exported)"


class RowFile:
    """What every deal of one file shares: its :class:`Source`, and pydantic's sets of given field names."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._field_sets: dict[frozenset[str], set[str]] = {}

    def share_field_sets(self, *models: BaseModel | None) -> None:
        """Point each model's set of explicitly given field names at one shared copy per distinct set.

        pydantic keeps a fresh set per instance (2 kB on a deal, more than its values); a file gives a
        handful of distinct sets. Nothing in ae-coach reads them (``exclude_unset`` is never used).
        """
        for model in models:
            if model is not None:
                names = model.__pydantic_fields_set__
                shared = self._field_sets.setdefault(frozenset(names), names)
                object.__setattr__(model, "__pydantic_fields_set__", shared)


class DealRow:
    """One imported record's values, parsed and checked; :meth:`deal` builds the :class:`Deal`.

    The attributes a pipeline review reads have the ``Deal`` field's name and type.
    """

    __slots__ = (
        "account",
        "account_country",
        "amount",
        "close_date",
        "created",
        "currency",
        "file",
        "forecast_category",
        "id",
        "last_activity",
        "name",
        "next_action",
        "next_date",
        "notes",
        "owner",
        "probability",
        "stage",
    )  # fmt: skip

    def __init__(
        self, file: RowFile, *, id: str | None, account: str, account_country: str | None, name: str | None,
        amount: float, currency: str, stage: Stage, close_date: dt.date | None, created: dt.date | None,
        forecast_category: ForecastCategory | None, probability: float | None, owner: str | None,
        last_activity: dt.date | None, next_action: str | None, next_date: dt.date | None, notes: str | None,
    ) -> None:  # fmt: skip
        self.file = file
        self.id, self.account, self.name, self.amount, self.currency = id, account, name, amount, currency
        self.account_country = account_country
        self.stage, self.close_date, self.created = stage, close_date, created
        self.forecast_category, self.probability, self.owner = forecast_category, probability, owner
        self.last_activity, self.next_action, self.next_date, self.notes = last_activity, next_action, next_date, notes

    def deal(self) -> Deal:
        """The deal this record describes (a new object on each call)."""
        # The CRM's "last activity" date is the only contact a report export has: taken as two-way, as the
        # CRM's own last-contact field is, since the export cannot say who wrote.
        activities = [_last_activity(self.last_activity)] if self.last_activity else []
        next_step = {"action": self.next_action, "date": self.next_date} if self.next_action else None
        deal = Deal.model_validate(
            {
                "id": self.id, "account": self.account, "account_country": self.account_country, "name": self.name,
                "amount": self.amount,
                "currency": self.currency, "stage": self.stage, "close_date": self.close_date,
                "created": self.created, "forecast_category": self.forecast_category,
                "probability": self.probability, "owner": self.owner, "activities": activities,
                "next_step": next_step, "notes": self.notes,
                # Passed explicitly so pydantic does not call a Python default factory for each (faster).
                "meddpicc": UNKNOWN_MEDDPICC, "stakeholders": [], "mutual_action_plan": [], "competitors": [],
                "history": [], "source": self.file.source,
            }
        )  # fmt: skip
        self.file.share_field_sets(deal, *deal.activities, deal.next_step)
        return deal


def _last_activity(day: dt.date) -> dict[str, object]:
    return {"date": day, "type": "other", "status": "completed", "summary": LAST_ACTIVITY_SUMMARY,
            "direction": "two_way"}  # fmt: skip


DealRecord: TypeAlias = DealRow | Deal
"""A deal, or an imported row that reads like one for every field a pipeline review sums or sorts by."""


def deal_of(record: DealRecord) -> Deal:
    """The full deal behind a record."""
    return record if isinstance(record, Deal) else record.deal()


class ImportedDeals(Sequence[Deal]):
    """The deals of one import, in file order. Reading one builds it afresh: edit a copy, or :meth:`pin` it."""

    def __init__(self) -> None:
        self._items: list[DealRecord] = []

    def append(self, row: DealRow) -> None:
        self._items.append(row)

    @property
    def records(self) -> Sequence[DealRecord]:
        """The rows (and pinned deals) themselves, for reading facts without building deals."""
        return self._items

    def pin(self, index: int) -> Deal:
        """The deal at ``index``, built once and kept from now on, so changes to it stay (companion files)."""
        item = self._items[index]
        if isinstance(item, DealRow):
            item = self._items[index] = item.deal()
        return item

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Deal: ...
    @overload
    def __getitem__(self, index: slice) -> list[Deal]: ...
    def __getitem__(self, index: int | slice) -> Deal | list[Deal]:
        if isinstance(index, slice):
            return [deal_of(r) for r in self._items[index]]
        return deal_of(self._items[index])

    def __iter__(self) -> Iterator[Deal]:
        return (deal_of(r) for r in self._items)


def records(deals: Sequence[Deal]) -> Sequence[DealRecord]:
    """What a review reads facts from: an import's rows as they are, or the deals themselves."""
    return deals.records if isinstance(deals, ImportedDeals) else deals
