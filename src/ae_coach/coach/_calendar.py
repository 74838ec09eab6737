"""Working days: weekends and public holidays (the ``holidays`` package) are never due dates.

The country is ``Settings.holidays_country`` (an ISO 3166 code such as ``US``, ``GB``, ``DE``, ``CN``;
empty for weekends only). A due date or a plan step that lands on a day off moves to the working day
before it when it prepares something (a meeting, a signature), else to the next working day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    import holidays

    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # an unknown country code: weekends only, rather than no review
        return frozenset()


class Calendar:
    """Business days for one country."""

    def __init__(self, country: str = "US") -> None:
        self.country = country.upper()

    def working(self, day: dt.date) -> bool:
        """Not a Saturday, Sunday or public holiday."""
        return day.weekday() < 5 and day not in _holidays(self.country, day.year)

    def holiday(self, day: dt.date) -> bool:
        """A public holiday (not a weekend)."""
        return day in _holidays(self.country, day.year)

    def on_or_after(self, day: dt.date) -> dt.date:
        while not self.working(day):
            day += dt.timedelta(days=1)
        return day

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.working(day):
            day -= dt.timedelta(days=1)
        return day

    def add(self, day: dt.date, days: int) -> dt.date:
        """``days`` working days after ``day`` (before it when negative)."""
        step = 1 if days >= 0 else -1
        for _ in range(abs(days)):
            day += dt.timedelta(days=step)
            while not self.working(day):
                day += dt.timedelta(days=step)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.working(day)
        return count


def calendar_for(settings: Any) -> Calendar:
    """The calendar of an inspector ``Settings`` (its ``holidays_country``)."""
    return Calendar(getattr(settings, "holidays_country", "US"))
