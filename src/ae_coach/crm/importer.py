"""Import a CRM CSV export into deals: detect the format, decide the file's locale, convert every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ae_coach.crm import _formats as formats
from ae_coach.crm._gc import paused_gc
from ae_coach.crm._reader import (
    RawTable,
    is_blank,
    is_report_end,
    is_total,
    might_be_footer,
    read_table,
)
from ae_coach.crm._rows import RowContext, Skip, convert
from ae_coach.crm._values import (
    DMY,
    EU_NUMBERS,
    MDY,
    US_NUMBERS,
    NumberStyle,
    detect_date_order,
    detect_number_style,
    normalise_key,
)
from ae_coach.crm.deals import ImportedDeals
from ae_coach.crm.mapping import ColumnMapping, load_mapping
from ae_coach.crm.result import ImportResult, RowWarning, SkippedRow
from ae_coach.deal import Stage
from ae_coach.errors import ImportFileError

Progress = Callable[[int, int], None]
"""Called as ``progress(rows_done, rows_total)`` every few thousand rows."""

_DATE_FIELDS = ("close_date", "created", "last_activity")
_PROGRESS_EVERY = 5_000


def _custom_format(mapping: ColumnMapping) -> formats.Format:
    aliases: dict[str, tuple[str, ...]] = {}
    for column, target in mapping.columns.items():
        aliases[target] = (*aliases.get(target, ()), normalise_key(column))
    return formats.Format("custom", "CSV with a column mapping", (), aliases)


def _resolve_format(headers: list[str], mapping: ColumnMapping | None) -> formats.Format | None:
    """The format for this header row; a mapping's own columns take priority over the built-in aliases."""
    if mapping is not None and mapping.format == "custom":
        fmt = _custom_format(mapping)
        keys = {normalise_key(h) for h in headers}
        return fmt if "stage" in fmt.aliases and any(a in keys for a in fmt.aliases["stage"]) else None
    base = formats.BY_NAME[mapping.format] if mapping is not None else formats.detect(headers)
    if base is None or mapping is None or not mapping.columns:
        return base
    extra = _custom_format(mapping).aliases
    merged = {k: (*extra.get(k, ()), *base.aliases.get(k, ())) for k in {*base.aliases, *extra}}
    return formats.Format(base.name, base.label, base.signature, merged)


COMPANION_HINT = (
    "this is a Salesforce OpportunityHistory or OpportunityContactRole export; import the Opportunity export "
    "(or a directory holding Opportunity.csv with these files next to it)"
)


def _expected(mapping: ColumnMapping | None) -> str:
    if mapping is not None and mapping.format == "custom":
        return "the columns named in the mapping, including the one mapped to stage: " + ", ".join(mapping.columns)
    return formats.EXPECTED_COLUMNS


_SAMPLED = ("amount", "probability", *_DATE_FIELDS)


def _column_values(samples: dict[int, list[str]], position: int | None) -> list[str]:
    return samples.get(position, []) if position is not None else []


def _number_style(table: RawTable, samples, index: dict[str, int], mapping: ColumnMapping | None) -> NumberStyle:
    if mapping is not None and mapping.decimal:
        thousands = mapping.thousands if mapping.thousands is not None else ("," if mapping.decimal == "." else ".")
        return NumberStyle(mapping.decimal, thousands)
    default = EU_NUMBERS if table.delimiter == ";" else US_NUMBERS  # semicolon CSVs come from comma-decimal locales
    return detect_number_style(_column_values(samples, index.get("amount")), default)


def _date_order(samples, ctx: RowContext, mapping: ColumnMapping | None) -> list[RowWarning]:
    fmt = mapping.date_format if mapping is not None else None
    if fmt in ("dmy", "mdy", "ymd"):
        ctx.date_order = fmt
        return []
    if fmt:
        ctx.date_format = fmt
        return []
    values = [v for name in _DATE_FIELDS for v in _column_values(samples, ctx.index.get(name))]
    default = DMY if ctx.numbers == EU_NUMBERS else MDY
    ctx.date_order, decided = detect_date_order(values, default)
    ambiguous = any("/" in v for v in values)
    if decided or not ambiguous:
        return []
    order = "day/month/year" if ctx.date_order == DMY else "month/day/year"
    message = f"no date in the file settles the day/month order; read them as {order} (set date_format in a mapping)"
    return [RowWarning(row=None, column=None, message=message)]


def _probability_fraction(samples, ctx: RowContext, mapping: ColumnMapping | None) -> bool:
    if mapping is not None and mapping.probability_scale:
        return mapping.probability_scale == "fraction"
    values = []
    for text in _column_values(samples, ctx.index.get("probability")):
        try:
            values.append(float(text.rstrip("%").replace(",", ".")))
        except ValueError:
            continue
    return bool(values) and all(0 <= v <= 1 for v in values) and any(0 < v < 1 for v in values)


def _playbook_stage_names() -> dict[str, Stage]:
    from ae_coach.deal import playbook_stages
    from ae_coach.playbook import active

    playbook_stages()  # refuses a team stage mapped onto no stage of ours, naming ae-coach.toml
    return {name: Stage(target) for name, target in active().stages.items()}


def _context(table: RawTable, fmt: formats.Format, mapping: ColumnMapping | None) -> RowContext:
    index = formats.column_index(fmt, table.header)
    stages = dict(formats.STAGE_MAPS[fmt.name])
    # The playbook's own stage names, then a mapping file's (the most specific wins).
    stages.update({normalise_key(name): stage for name, stage in _playbook_stage_names().items()})
    forecast = dict(formats.FORECAST_MAP)
    if mapping is not None:
        stages.update({normalise_key(k): v for k, v in mapping.stages.items()})
        forecast.update({normalise_key(k): v for k, v in mapping.forecast.items()})
    samples = table.samples({index[name] for name in _SAMPLED if name in index})
    ctx = RowContext(fmt.name, index, table.header, stages, forecast, _number_style(table, samples, index, mapping))
    if table.encoding == "cp1252":
        ctx.warnings.append(RowWarning(row=None, message="not UTF-8; read as Windows-1252 (check accented names)"))
    ctx.currency = (mapping.currency if mapping is not None and mapping.currency else "USD").upper()
    ctx.warnings.extend(_date_order(samples, ctx, mapping))
    ctx.probability_fraction = _probability_fraction(samples, ctx, mapping)
    if "account" not in index and "name" in index:
        ctx.warnings.append(RowWarning(row=None, column=None, message="no account column; each deal's name is used"))
    return ctx


def _as_mapping(mapping: ColumnMapping | str | Path | None) -> ColumnMapping | None:
    return load_mapping(mapping) if isinstance(mapping, (str, Path)) else mapping


def import_csv(
    path: str | Path,
    mapping: ColumnMapping | str | Path | None = None,
    *,
    contact_roles: str | Path | None = None,
    history: str | Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one CRM export (format detected from the header row) into deals.

    Args:
        path: the CSV file.
        mapping: a :class:`ColumnMapping` or the path of a mapping YAML file.
        contact_roles: a Salesforce OpportunityContactRole export, to add stakeholders with roles.
        history: a Salesforce OpportunityHistory export, to add stage and close-date changes.
        progress: called with (rows done, rows total) while converting.

    Raises:
        ImportFileError: the file cannot be read, is not a CSV, or has no recognisable columns.
    """
    path = Path(path)
    mapping = _as_mapping(mapping)
    table = read_table(
        path, lambda cells: _resolve_format(cells, mapping) is not None, _expected(mapping), COMPANION_HINT
    )
    fmt = _resolve_format(table.header, mapping)
    assert fmt is not None  # read_table only returns a header the resolver accepted
    if "stage" not in formats.column_index(fmt, table.header):
        raise ImportFileError(f"{path}: no stage column; expected {formats.EXPECTED_COLUMNS}")
    ctx = _context(table, fmt, mapping)
    result = ImportResult(source_format=fmt.name, path=str(path))
    with paused_gc():
        _convert_all(table, ctx, result, progress)
    result.warnings = ctx.warnings
    if contact_roles or history:
        from ae_coach.crm.salesforce import attach_companions

        attach_companions(result, ctx, contact_roles=contact_roles, history=history, mapping=mapping)
    return result


def _convert_all(table: RawTable, ctx: RowContext, result: ImportResult, progress: Progress | None) -> None:
    width = len(table.header)
    deals = result.deals = ImportedDeals()
    first_seen: dict[str, int] = {}
    total = table.count
    for done, (line, cells) in enumerate(table.records, 1):
        if progress is not None and done % _PROGRESS_EVERY == 0:
            progress(done, total)
        if might_be_footer(cells):
            if is_report_end(cells):
                break
            if is_blank(cells) or is_total(cells):
                continue
        result.rows += 1
        if len(cells) != width:
            reason = f"has {len(cells)} fields but the header has {width} (a stray delimiter or unclosed quote?)"
            result.skipped.append(SkippedRow(row=line, reason=reason))
            continue
        try:
            row = convert(ctx, cells, line)
        except Skip as exc:
            result.skipped.append(SkippedRow(row=line, reason=str(exc)))
            continue
        if row.id is None:
            row.id = f"{table.path.stem}-line-{line}"
        if row.id in first_seen:
            message = f"duplicate id {row.id!r} (first on line {first_seen[row.id]}); kept the first"
            ctx.warn(line, "id", message)
            continue
        first_seen[row.id] = line
        deals.append(row)
    if progress is not None:
        progress(total, total)
