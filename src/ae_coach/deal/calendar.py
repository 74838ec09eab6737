"""Working days: weekends, public holidays (the ``holidays`` package) and the team's days off are never due dates.

The country is ``Settings.holidays_country`` (an ISO 3166 code such as ``US``, ``GB``, ``DE``, ``CN``;
empty for weekends only; ``auto``, the default, for where the buyer is: the deal's ``account_country``, else the
country of its currency). ``Settings.days_off`` adds the days that are not public holidays but on which
buyers are out all the same (ae-coach default: the day after US Thanksgiving, for a US calendar only, and
24-31 December, the holiday week): a VP reading "call the CFO on Black Friday" or "legal redlines on 29 December" knows it will
not happen. A due date or a plan step that lands on a day off moves to the working day before it when it
prepares something (a meeting, a signature), else to the next working day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ae_coach.deal.model import Deal

DEFAULT_DAYS_OFF = ("day_after_thanksgiving", "12-24..12-31")


NO_REPLY_DAYS = 5
"""Working days a silent person gets to answer one message before the rep goes round them (ae-coach default:
a week): the no-reply branch of the action and the plan's wait for the buyer read the same number."""


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
        stem = path.stem.rsplit("-", 1)[0]  # holidays-<country>-<year>
        for stale in path.parent.glob(f"{stem}-*.json"):
            if stale != path:
                stale.unlink(missing_ok=True)  # an earlier install's copy of the same days
    except OSError:
        pass  # no cache, no harm: the next review computes them again


@lru_cache(maxsize=64)
def _days_off(entries: tuple[str, ...], year: int) -> frozenset[dt.date]:
    """The dates ``entries`` (``day_after_thanksgiving``, ``MM-DD``, ``MM-DD..MM-DD``) name in ``year``."""
    out: set[dt.date] = set()
    for entry in entries:
        if entry == "day_after_thanksgiving":
            first = dt.date(year, 11, 1)
            thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
            out.add(thursday + dt.timedelta(days=1))
            continue
        start_text, _, end_text = entry.partition("..")
        start = _month_day(start_text, year)
        end = _month_day(end_text, year) if end_text else start
        while start is not None and end is not None and start <= end:
            out.add(start)
            start += dt.timedelta(days=1)
    return frozenset(out)


def _month_day(text: str, year: int) -> dt.date | None:
    month, day = (int(x) for x in text.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 in a common year
        return None


class Calendar:
    """Business days for one country and a team's days off."""

    def __init__(self, country: str = "US", days_off: Iterable[str] = DEFAULT_DAYS_OFF) -> None:
        self.country = country.upper()
        self.days_off = tuple(days_off)

    def working(self, day: dt.date) -> bool:
        """Not a Saturday, Sunday, public holiday or day off."""
        return day.weekday() < 5 and not self.holiday(day)

    def holiday(self, day: dt.date) -> bool:
        """A public holiday or a day off (not a weekend)."""
        return self.public_holiday(day) or day in _days_off(self.days_off, day.year)

    def public_holiday(self, day: dt.date) -> bool:
        """A public holiday of this calendar's country."""
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


AUTO = "auto"
"""``holidays_country: auto`` (the default): the country where the buyer is (the deal's ``account_country``),
else the country of the deal's currency, when one country uses it."""
COUNTRY_OF_CURRENCY = {
    "USD": "US", "CAD": "CA", "GBP": "GB", "AUD": "AU", "NZD": "NZ", "JPY": "JP", "CNY": "CN", "INR": "IN",
    "BRL": "BR", "MXN": "MX", "ZAR": "ZA", "SEK": "SE", "NOK": "NO", "DKK": "DK", "CHF": "CH", "PLN": "PL",
    "SGD": "SG", "HKD": "HK", "AED": "AE", "KRW": "KR", "ILS": "IL", "CZK": "CZ", "HUF": "HU", "TRY": "TR",
}  # fmt: skip
"""Currencies one country uses, and that country (ISO 3166). A euro deal could be in any of twenty countries:
weekends and the team's days off only, unless the deal says where the buyer is."""

US_ONLY_DAYS_OFF = ("day_after_thanksgiving",)
"""Days off that follow a US holiday: a day off only where the calendar is the US one (a UK retailer works on the
Friday after US Thanksgiving). The holiday week (24-31 December) stays a day off everywhere: an ae-coach default
for the buyers of B2B software, most of whom close the year in that week."""


_COUNTRY_NAMES = {
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB",
    "united states of america": "US", "u s": "US", "u s a": "US", "u k": "GB", "czech republic": "CZ",
    "holland": "NL", "deutschland": "DE",
}  # fmt: skip
"""Names a CRM's free-text country field uses that are not a country's English name (the ``holidays`` package
knows those and the ISO codes)."""


@lru_cache(maxsize=1024)
def country_code(text: str) -> str | None:
    """The ISO 3166 two-letter code of a country as a CRM writes it (``GB``, ``GBR``, ``United Kingdom``, ``UK``,
    ``United States``), or None when it names no country the holiday calendars know."""
    from holidays.registry import COUNTRIES  # every country's name and codes, without their calendars

    key = " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())
    if key in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[key]
    squeezed = key.replace(" ", "") if all(len(part) > 1 for part in key.split()) else key  # "N/A" is no "NA"
    for name, (class_name, alpha2, *others) in COUNTRIES.items():
        spellings = {name.replace("_", " "), class_name.casefold(), alpha2.casefold(), *(o.casefold() for o in others)}
        if key in spellings or squeezed in spellings:
            return alpha2
    return None


def holidays_country(settings: Any, deal: Deal | None = None) -> str:
    """The country whose public holidays count: the setting, or with ``auto`` where the buyer is (the deal's
    ``account_country``), else the deal's currency's country (a Danish buyer's plan is not dated around US
    Thanksgiving); US when there is no deal to read."""
    country = getattr(settings, "holidays_country", AUTO)
    if country.lower() != AUTO:
        return country
    if deal is not None and deal.account_country:
        return deal.account_country
    return COUNTRY_OF_CURRENCY.get(deal.currency if deal is not None else "USD", "")


def calendar_for(settings: Any, deal: Deal | None = None) -> Calendar:
    """The calendar of an inspector ``Settings`` (its ``holidays_country`` and ``days_off``) for ``deal`` (a
    :class:`~ae_coach.deal.Deal`, or None for the US). The US-only days off (:data:`US_ONLY_DAYS_OFF`) count only
    where the calendar is the US one."""
    country = holidays_country(settings, deal)
    days_off = tuple(getattr(settings, "days_off", DEFAULT_DAYS_OFF))
    if country.upper() != "US":
        days_off = tuple(d for d in days_off if d not in US_ONLY_DAYS_OFF)
    return Calendar(country, days_off)
