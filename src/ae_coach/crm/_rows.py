"""One CSV record -> one Deal, with every doubtful value reported rather than guessed.

This module parses and checks every value itself (stage and forecast are enum members, dates are dates,
the amount a non-negative float no larger than the deal format allows, the currency a three-letter code)
into a :class:`~ae_coach.crm.deals.DealRow`, which hands pydantic already-typed values when the deal is
read. Plain ``Deal.model_validate`` is kept on purpose: on typed input pydantic-core validates a deal in
about 10 µs, while ``model_construct`` (pure Python, and it inspects the signature of every
``default_factory`` on each call) measured two to three times slower.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ae_coach.crm._values import (
    MDY,
    NumberStyle,
    normalise_key,
    parse_bool,
    parse_date,
    parse_number,
)
from ae_coach.crm.deals import DealRow, RowFile
from ae_coach.crm.result import RowWarning
from ae_coach.deal import MAX_AMOUNT, ForecastCategory, Source, Stage
from ae_coach.deal.calendar import country_code

_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_DATE_IN_TEXT = re.compile(r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b")


class Skip(Exception):
    """Raised inside row conversion: the record cannot become a deal (the message says why)."""


@dataclass
class RowContext:
    """Everything decided once per file that row conversion needs."""

    fmt: str
    index: dict[str, int]
    headers: list[str]
    stages: dict[str, Stage]
    forecast: dict[str, ForecastCategory]
    numbers: NumberStyle
    date_order: str = MDY
    date_format: str | None = None
    probability_fraction: bool = False
    currency: str = "USD"
    warnings: list[RowWarning] = field(default_factory=list)
    _dates: dict[str, dt.date | None] = field(default_factory=dict)
    _file: RowFile | None = None
    _strings: dict[str, str] = field(default_factory=dict)

    def file(self) -> RowFile:
        """What every deal of this file shares: one :class:`Source` (a companion file that fills a part
        removes it from ``missing`` once, for all of them) and pydantic's field-name sets."""
        if self._file is None:
            self._file = RowFile(Source(system=self.fmt, missing=self.missing()))  # type: ignore[arg-type]
        return self._file

    def shared(self, text: str) -> str:
        """One string object per distinct value of a column that repeats (owners, accounts, currencies)."""
        return self._strings.setdefault(text, text)

    def missing(self) -> list[str]:
        """The parts of the deal format this export does not carry (companion files may add some back)."""
        parts = ["meddpicc", "stakeholders", "mutual_action_plan", "competitors", "history"]
        parts += [
            name
            for name in ("activities", "next_step")
            if (name if name != "activities" else "last_activity") not in self.index
        ]
        return parts

    def value(self, cells: list[str], name: str) -> str:
        position = self.index.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    def warn(self, row: int, name: str, message: str) -> None:
        column = self.headers[self.index[name]] if name in self.index else name
        self.warnings.append(RowWarning(row=row, column=column, message=message))

    def date(self, cells: list[str], row: int, name: str) -> dt.date | None:
        text = self.value(cells, name)
        if not text:
            return None
        if text not in self._dates:  # exports repeat a few hundred distinct dates across 100k rows
            try:
                self._dates[text] = parse_date(text, self.date_order, self.date_format)
            except ValueError:
                self._dates[text] = None
        parsed = self._dates[text]
        if parsed is None:
            self.warn(row, name, f"{text!r} is not a date ({self.date_hint()}); left empty")
        return parsed

    def date_hint(self) -> str:
        return f"expected {self.date_format}" if self.date_format else f"expected ISO or {self.date_order} order"


_PIPELINE_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def lookup_stage(stages: dict[str, Stage], text: str) -> Stage | None:
    """The mapped stage; HubSpot labels may carry their pipeline ("Closed Won (Sales Pipeline)")."""
    stage = stages.get(normalise_key(text))
    if stage is None and _PIPELINE_SUFFIX.search(text):
        stage = stages.get(normalise_key(_PIPELINE_SUFFIX.sub("", text)))
    return stage


def _stage(ctx: RowContext, cells: list[str], row: int) -> Stage:
    text = ctx.value(cells, "stage")
    stage = lookup_stage(ctx.stages, text) if text else None
    if stage is not None:
        return stage
    closed = _flag(ctx, cells, row, "is_closed")
    if closed:
        won = bool(_flag(ctx, cells, row, "is_won"))
        stage = Stage.CLOSED_WON if won else Stage.CLOSED_LOST
        ctx.warn(row, "stage", f"stage {text!r} is not in the stage map; the closed/won flags say {stage.value}")
        return stage
    if not text:
        raise Skip("no stage")
    raise Skip(
        f"unknown stage {text!r}: not in the {ctx.fmt} stage map and never guessed; "
        "map it under stages: in a --mapping file"
    )


def _flag(ctx: RowContext, cells: list[str], row: int, name: str) -> bool | None:
    text = ctx.value(cells, name)
    if not text:
        return None
    try:
        return parse_bool(text)
    except ValueError as exc:
        ctx.warn(row, name, f"{exc}; ignored")
        return None


def _amount(ctx: RowContext, cells: list[str], row: int) -> float:
    text = ctx.value(cells, "amount")
    if not text:
        return 0.0
    try:
        amount = parse_number(text, ctx.numbers)
    except ValueError as exc:
        ctx.warn(row, "amount", f"{exc}; counted as 0")
        return 0.0
    if amount < 0:
        ctx.warn(row, "amount", f"negative amount {text!r}; counted as 0")
        return 0.0
    if amount > MAX_AMOUNT:
        raise Skip(f"amount: {text!r} is more than {MAX_AMOUNT:,}, the largest amount a deal may have")
    return amount


def _probability(ctx: RowContext, cells: list[str], row: int) -> float | None:
    text = ctx.value(cells, "probability").rstrip("%").strip()
    if not text:
        return None
    try:
        value = parse_number(text, ctx.numbers)
    except ValueError as exc:
        ctx.warn(row, "probability", f"{exc}; left empty")
        return None
    value = value * 100 if ctx.probability_fraction else value
    if not 0 <= value <= 100:
        ctx.warn(row, "probability", f"{text!r} is not a percentage between 0 and 100; left empty")
        return None
    return value


def _forecast(ctx: RowContext, cells: list[str], row: int) -> ForecastCategory | None:
    for name in ("forecast_category", "forecast_api"):
        text = ctx.value(cells, name)
        if text:
            category = ctx.forecast.get(normalise_key(text))
            if category is None:
                allowed = "Omitted, Pipeline, Best Case, Commit, Closed"
                ctx.warn(row, name, f"unknown forecast category {text!r} (allowed: {allowed}); left empty")
            return category
    return None


def _currency(ctx: RowContext, cells: list[str], row: int) -> str:
    text = ctx.value(cells, "currency")
    if not text:
        return ctx.currency
    if _CURRENCY.match(text):
        return text.upper()
    ctx.warn(row, "currency", f"{text!r} is not a three-letter currency code; used {ctx.currency}")
    return ctx.currency


def _country(ctx: RowContext, cells: list[str], row: int) -> str | None:
    """The account's country as an ISO code (billing country columns hold codes or names): its holidays are the
    deal's calendar."""
    text = ctx.value(cells, "account_country")
    if not text:
        return None
    code = country_code(text)
    if code is None:
        ctx.warn(row, "account_country", f"{text!r} is not a country the holiday calendars know; left empty")
    return code


def _next_step(ctx: RowContext, cells: list[str]) -> tuple[str | None, dt.date | None]:
    text = ctx.value(cells, "next_step")
    if not text:
        return None, None
    when = None
    match = _DATE_IN_TEXT.search(text)  # "2026-12-02 CFO review": a full date written in the step counts
    if match:
        try:
            when = parse_date(match.group(1), ctx.date_order, None)
        except ValueError:
            when = None
    return text, when


def _account(ctx: RowContext, cells: list[str], row: int, name: str) -> str:
    account = ctx.value(cells, "account")
    if account:
        return account
    if not name:
        raise Skip("no deal name and no account")
    if "account" in ctx.index:
        ctx.warn(row, "account", f"account is empty; used the deal name {name!r}")
    return name


def convert(ctx: RowContext, cells: list[str], row: int) -> DealRow:
    """Read one record (its values in the order the deal lists them, so warnings come in that order).

    Raises:
        Skip: the record has no usable stage, neither a name nor an account, or an amount too large.
    """
    name = ctx.value(cells, "name")
    deal_id = ctx.value(cells, "id") or None
    account = ctx.shared(_account(ctx, cells, row, name))
    country = _country(ctx, cells, row)
    stage = _stage(ctx, cells, row)
    last_activity = ctx.date(cells, row, "last_activity")
    amount = _amount(ctx, cells, row)
    currency = ctx.shared(_currency(ctx, cells, row))
    close_date, created = ctx.date(cells, row, "close_date"), ctx.date(cells, row, "created")
    forecast, probability = _forecast(ctx, cells, row), _probability(ctx, cells, row)
    owner = ctx.shared(ctx.value(cells, "owner")) or None
    next_action, next_date = _next_step(ctx, cells)
    return DealRow(
        ctx.file(), id=deal_id, account=account, account_country=country, name=name or None, amount=amount,
        currency=currency, stage=stage, close_date=close_date, created=created, forecast_category=forecast,
        probability=probability, owner=owner, last_activity=last_activity, next_action=next_action,
        next_date=next_date, notes=ctx.value(cells, "notes") or None,
    )  # fmt: skip
