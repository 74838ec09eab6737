"""Load a pipeline from whatever the user has: a directory of deal files, a YAML list, or a CRM export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ae_coach._safe_yaml import UserFileError, load_user_data
from ae_coach.crm import salesforce
from ae_coach.crm._formats import detect
from ae_coach.crm.importer import Progress, import_csv
from ae_coach.crm.mapping import ColumnMapping
from ae_coach.crm.result import ImportResult, RowWarning, SkippedRow
from ae_coach.deal import Deal, load_deal, parse_deal
from ae_coach.errors import DealFileError, ImportFileError

DEAL_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def load_pipeline(
    path: str | Path,
    mapping: ColumnMapping | str | Path | None = None,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Read every deal of a pipeline.

    Args:
        path: a directory of deal YAML/JSON files (or of Salesforce Data Loader CSVs: Opportunity plus
            optional OpportunityContactRole and OpportunityHistory), a YAML/JSON list of deals, or a CSV export.
        mapping: a column mapping (object or YAML path) for CSV exports.
        progress: called with (rows done, rows total) while a CSV is converted.

    Raises:
        ImportFileError: nothing readable at ``path``.
    """
    path = Path(path)
    if path.is_dir():
        return _load_directory(path, mapping, progress)
    if not path.exists():
        raise ImportFileError(f"{path}: no such file or directory")
    if path.suffix.lower() in DEAL_SUFFIXES:
        return _load_deal_list(path)
    return import_csv(path, mapping, progress=progress)


def _dedupe(result: ImportResult, origins: list[str] | None = None) -> None:
    """Keep the first deal of each id and warn about the rest, naming where each came from."""
    seen: dict[str, str] = {}
    kept = []
    for deal, origin in zip(result.deals, origins or [result.path] * len(result.deals), strict=False):
        if deal.id in seen:
            message = f"duplicate id {deal.id!r} (first in {seen[deal.id]}); kept the first"
            result.warnings.append(RowWarning(row=None, column="id", message=message, file=origin))
            continue
        seen[deal.id or origin] = origin
        kept.append(deal)
    result.deals = kept


def _load_directory(path: Path, mapping, progress) -> ImportResult:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DEAL_SUFFIXES)
    if not files:
        return _load_csv_directory(path, mapping, progress)
    result = ImportResult(source_format="deal_files", path=str(path), rows=len(files))
    deals: list[Deal] = []
    origins: list[str] = []
    for file in files:
        try:
            deals.append(load_deal(file))
            origins.append(file.name)
        except DealFileError as exc:
            result.skipped.append(SkippedRow(row=exc.line, reason=str(exc), file=str(file)))
    result.deals = deals
    if not deals:  # a folder where nothing is a deal is not an empty pipeline: say so, exit 2
        raise ImportFileError(
            f"{path}: none of its {len(files)} *.yaml/*.json files is a deal file; the first: {result.skipped[0].reason}"
        )
    _dedupe(result, origins)
    return result


def _header(file: Path) -> list[str]:
    from ae_coach.crm._reader import first_line, sniff_delimiter

    head = first_line(file)
    return next(csv.reader(io.StringIO(head), delimiter=sniff_delimiter(head)), [])


def _load_csv_directory(path: Path, mapping, progress) -> ImportResult:
    csvs = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CSV_SUFFIXES)
    main, roles, history = [], None, None
    for file in csvs:
        header = _header(file)
        if salesforce.is_contact_roles(header):
            roles = file
        elif salesforce.is_history(header):
            history = file
        elif detect(header) is not None or mapping is not None:
            main.append(file)
    if len(main) != 1:
        found = ", ".join(p.name for p in main) or "none"
        raise ImportFileError(
            f"{path}: expected deal files (*.yaml, *.json) or exactly one opportunity export CSV "
            f"(with optional OpportunityContactRole and OpportunityHistory CSVs); opportunity exports found: {found}"
        )
    return import_csv(main[0], mapping, contact_roles=roles, history=history, progress=progress)


MAX_DEAL_LIST_BYTES = 64_000_000
"""A YAML/JSON list of deals larger than this is refused (a CSV export is the format for big pipelines)."""


def _load_deal_list(path: Path) -> ImportResult:
    try:
        data = load_user_data(path, MAX_DEAL_LIST_BYTES, what="deal list")
    except UserFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise ImportFileError(f"{where}: cannot read a deal list: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("deals"), list):
        data = data["deals"]
    if isinstance(data, dict):
        return ImportResult(deals=[load_deal(path)], source_format="deal_files", path=str(path), rows=1)
    if not isinstance(data, list):
        raise ImportFileError(f"{path}: expected a list of deals (or a mapping with a deals: list)")
    result = ImportResult(source_format="deal_list", path=str(path), rows=len(data))
    deals: list[Deal] = []
    for number, item in enumerate(data, 1):
        if isinstance(item, dict) and "id" not in item:
            item = {"id": f"{path.stem}-{number}", **item}
        try:
            deals.append(parse_deal(item, source=f"{path}[{number}]"))
        except DealFileError as exc:
            result.skipped.append(SkippedRow(row=None, reason=f"deal {number}: {exc}", file=str(path)))
    result.deals = deals
    if result.skipped and not deals:
        raise ImportFileError(
            f"{path}: none of its {len(data)} entries is a valid deal; the first: {result.skipped[0].reason}"
        )
    _dedupe(result)
    return result
