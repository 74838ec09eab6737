"""Working days: weekends and public holidays (the ``holidays`` package) are never due dates.

The country is ``Settings.holidays_country`` (an ISO 3166 code such as ``US``, ``GB``, ``DE``, ``CN``;
empty for weekends only). A due date or a plan step that lands on a day off moves to the working day
before it when it prepares something (a meeting, a signature), else to the next working day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=16)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    cached = _cache_file(country, year)
    if cached is not None:
        try:
            return frozenset(dt.date.fromisoformat(day) for day in json.loads(cached.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            pass  # missing or unreadable: compute them
    import holidays

    try:
        days = frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # an unknown country code: weekends only, rather than no review
        return frozenset()
    _write_cache(cached, days)
    return days


def _cache_file(country: str, year: int) -> Path | None:
    """Where this country's holidays for ``year`` are kept: importing ``holidays`` (every country's calendar)
    costs more than a short review. Keyed by the installed package's location and modification time, so an
    upgrade of ``holidays`` is a cache miss."""
    import importlib.util

    from ae_coach.resources import ae_coach_home

    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None or not country.isalnum():
        return None
    try:
        stamp = Path(spec.origin).stat().st_mtime_ns
    except OSError:
        return None
    key = hashlib.sha256(f"{spec.origin}:{stamp}".encode()).hexdigest()[:16]
    return ae_coach_home() / "cache" / f"holidays-{country}-{year}-{key}.json"


def _write_cache(path: Path | None, days: frozenset[dt.date]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(sorted(day.isoformat() for day in days)), encoding="utf-8")
        temporary.replace(path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # no cache, no harm: the next review computes them again


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
