"""Column-mapping files: import any CSV, or teach a known format your custom stages and roles.

See ``examples/mappings/`` for a worked example. A mapping is YAML::

    columns:                      # CSV column header -> deal field
      Deal Ref: id
      Customer: account
      ACV (EUR): amount
      Phase: stage
      Expected signature: close_date
    stages:                       # picklist value -> ae-coach stage
      Lead: discovery
      Won: closed_won
    forecast: {Upside: best_case, Firm: commit}
    roles: {Executive Sponsor: economic_buyer}
    date_format: "%d/%m/%Y"       # strptime format, or one of dmy, mdy, ymd
    decimal: ","                  # and thousands: "." (both optional; detected per file otherwise)
    currency: EUR                 # when the file has no currency column

With ``format: salesforce_report`` (or another built-in format) the mapping extends that format: its
aliases and default maps stay, and yours are added on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ae_coach import _validation
from ae_coach._safe_yaml import UserFileError, load_user_data
from ae_coach.crm._formats import FIELDS
from ae_coach.deal import ForecastCategory, Role, Stage
from ae_coach.errors import ImportFileError

MAX_MAPPING_BYTES = 1_000_000
"""A column mapping is a few dozen lines; anything larger is refused."""

FormatName = Literal["salesforce_report", "salesforce_api", "hubspot_labels", "hubspot_api", "custom"]


class ColumnMapping(BaseModel):
    """How to read one CSV layout. Every key is validated; a typo is an error naming it."""

    model_config = ConfigDict(extra="forbid")

    format: FormatName = "custom"
    """A built-in format to extend, or ``custom`` (only the columns listed here are read)."""
    columns: dict[str, str] = Field(default_factory=dict)
    """CSV column header -> deal field (id, name, account, amount, stage, close_date, ...)."""
    stages: dict[str, Stage] = Field(default_factory=dict)
    """Stage picklist value -> ae-coach stage."""
    forecast: dict[str, ForecastCategory] = Field(default_factory=dict)
    """Forecast category value -> pipeline | best_case | commit | omitted | closed."""
    roles: dict[str, Role] = Field(default_factory=dict)
    """Contact role value -> buying-committee role."""
    date_format: str | None = None
    """A strptime format such as ``%d/%m/%Y``, or ``dmy`` / ``mdy`` / ``ymd``; default: decided per file."""
    decimal: Literal[".", ","] | None = None
    """Decimal mark of amounts; default: decided per file from unambiguous values."""
    thousands: Literal[",", ".", " ", "'", ""] | None = None
    """Thousands separator; default: the other of ``.`` and ``,``."""
    currency: str | None = None
    """Currency of amounts when the file has no currency column (default USD)."""
    probability_scale: Literal["percent", "fraction"] | None = None
    """Whether probabilities are 0-100 or 0-1; default: fraction when every value is at most 1."""

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        for column, target in value.items():
            if target not in FIELDS:
                raise ValueError(f"column {column!r} maps to {target!r}; allowed fields: {', '.join(FIELDS)}")
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value.strip()) != 3 or not value.strip().isalpha():
            raise ValueError(f"currency {value[:20]!r} must be a three-letter ISO 4217 code such as USD or EUR")
        return value.strip().upper()

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str | None) -> str | None:
        if value is None or value in ("dmy", "mdy", "ymd") or "%" in value:
            return value
        raise ValueError(f"date_format {value!r} must be dmy, mdy, ymd or a strptime format such as %d/%m/%Y")


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read and validate a mapping YAML file.

    Raises:
        ImportFileError: unreadable, not YAML, or a key or value that is not allowed (named by path).
    """
    path = Path(path)
    try:
        data = load_user_data(path, MAX_MAPPING_BYTES, what="mapping file")
    except UserFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise ImportFileError(f"{where}: {exc}") from None
    if not isinstance(data, dict):
        raise ImportFileError(f"{path}: a mapping file must be a YAML mapping with columns:, stages:, ...")
    try:
        return ColumnMapping.model_validate(data)
    except ValidationError as exc:
        raise ImportFileError(f"{path}: {_validation.summary(exc, ColumnMapping, limit=1)}") from None
