"""The forecast period (month, quarter or year) containing a date, honouring the fiscal-year start."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

PeriodKind = Literal["month", "quarter", "year"]


class Period(BaseModel):
    """A forecast period: its kind, a label (``FY2027-Q1``, ``2026-11``) and its first and last day."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PeriodKind
    label: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period_of(day: dt.date, kind: PeriodKind = "quarter", fiscal_start_month: int = 1) -> Period:
    """The period of ``kind`` containing ``day``; quarters and years start in ``fiscal_start_month``.

    A fiscal year is named for the calendar year it ends in (FY2027 starts in February 2026 when the fiscal
    year starts in February), as most companies with a non-calendar fiscal year name it.
    """
    if kind == "month":
        start = day.replace(day=1)
        return Period(kind=kind, label=f"{day.year}-{day.month:02d}", start=start, end=_add_months(start, 1))
    offset = (day.month - fiscal_start_month) % 12
    year_start = dt.date(day.year if day.month >= fiscal_start_month else day.year - 1, fiscal_start_month, 1)
    fiscal_year = year_start.year + (1 if fiscal_start_month != 1 else 0)
    prefix = "FY" if fiscal_start_month != 1 else ""
    if kind == "year":
        return Period(kind=kind, label=f"{prefix}{fiscal_year}", start=year_start, end=_add_months(year_start, 12))
    quarter = offset // 3
    start = _first_of(year_start, 3 * quarter)
    return Period(kind=kind, label=f"{prefix}{fiscal_year}-Q{quarter + 1}", start=start, end=_add_months(start, 3))


def _first_of(first: dt.date, months: int) -> dt.date:
    """The 1st of the month ``months`` after ``first`` (the 1st of a month)."""
    index = first.month - 1 + months
    return dt.date(first.year + index // 12, index % 12 + 1, 1)


def _add_months(first: dt.date, months: int) -> dt.date:
    """The last day of the ``months``-month span starting on ``first``."""
    return _first_of(first, months) - dt.timedelta(days=1)
