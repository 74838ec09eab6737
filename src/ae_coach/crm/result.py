"""What an import returns: the deals, and an account of every row it could not read cleanly."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ae_coach.deal import Deal


class RowWarning(BaseModel):
    """A value that was left empty or adjusted; the deal was still imported."""

    model_config = ConfigDict(extra="forbid")

    row: int | None
    """Line number in the file where the record starts (the header is usually line 1); None for the whole file."""
    column: str | None = None
    """The column header as written in the file."""
    message: str
    file: str | None = None
    """Set when the warning is about a companion file (contact roles, history) or a deal file in a directory."""

    def __str__(self) -> str:
        where = f"{self.file}:" if self.file else ""
        where += f"line {self.row}" if self.row else "file"
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.message}"


class SkippedRow(BaseModel):
    """A record that did not become a deal, and why."""

    model_config = ConfigDict(extra="forbid")

    row: int | None
    reason: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:" if self.file else ""
        return f"{where}line {self.row}: {self.reason}" if self.row else f"{where} {self.reason}".strip()


class ImportResult(BaseModel):
    """The deals read from one export, with warnings and skipped rows."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    deals: Sequence[Deal] = Field(default_factory=list)
    """A list, or for a CSV export :class:`~ae_coach.crm.deals.ImportedDeals` (each read builds the deal)."""
    warnings: list[RowWarning] = Field(default_factory=list)
    skipped: list[SkippedRow] = Field(default_factory=list)
    source_format: str
    """salesforce_report, salesforce_api, hubspot_labels, hubspot_api, custom, deal_files or deal_list."""
    path: str
    rows: int = 0
    """Data records read (blank rows and report footers are not counted)."""

    def summary(self) -> dict[str, object]:
        """Counts for reports: format, rows, deals, warnings, skipped."""
        return {
            "path": self.path,
            "source_format": self.source_format,
            "rows": self.rows,
            "deals": len(self.deals),
            "warnings": len(self.warnings),
            "skipped": len(self.skipped),
        }
