"""Salesforce companion exports: OpportunityContactRole (stakeholders) and OpportunityHistory (changes).

History rows are snapshots: Salesforce writes one row each time stage, amount, close date, probability or
forecast category changes, stamped with ``CreatedDate``. Comparing consecutive snapshots of one
opportunity gives every change, and each later close date is a slip the inspector can count.

``PushCount`` (on Opportunity) is deliberately ignored. Salesforce increments it only when the close date
moves into a later *month*, so a push from the 3rd to the 28th is not counted and a deal that slipped
twice within a month looks clean; it is also absent from many report types and Data Loader templates.
Slips are derived from the history rows instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from ae_coach.crm import _formats as formats
from ae_coach.crm._reader import RawTable, is_blank, read_table
from ae_coach.crm._rows import RowContext, lookup_stage
from ae_coach.crm._values import normalise_key, parse_date, parse_number
from ae_coach.crm.deals import ImportedDeals
from ae_coach.crm.mapping import ColumnMapping
from ae_coach.crm.result import ImportResult, RowWarning
from ae_coach.deal import Change, Deal, Role, Stakeholder

_ROLE_ALIASES = {
    "opportunity": ("opportunityid", "opportunity id"),
    "name": ("contact name", "contactname", "contact"),
    "contact_id": ("contactid", "contact id"),
    "role": ("role",),
    "primary": ("isprimary", "primary"),
    "title": ("contact title", "title"),
    "email": ("contact email", "email"),
}
_HISTORY_ALIASES = {
    "opportunity": ("opportunityid", "opportunity id"),
    "stage": ("stagename", "stage"),
    "close_date": ("closedate", "close date"),
    "created": ("createddate", "created date"),
    "amount": ("amount",),
    "forecast": ("forecastcategory", "forecast category", "forecastcategoryname"),
}


def opportunity_key(value: str) -> str:
    """Salesforce ids come as 15 characters (reports) or 18 (API: the 15 plus a case checksum)."""
    value = value.strip()
    return value[:15] if len(value) == 18 and value.isalnum() else value


def _index(table: RawTable, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [normalise_key(h) for h in table.header]
    index: dict[str, int] = {}
    for name, options in aliases.items():
        found = next((a for a in options if a in keys), None)
        if found is not None:
            index[name] = keys.index(found)
    return index


def _cell(cells: list[str], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    return cells[position].strip() if position is not None and position < len(cells) else ""


def is_contact_roles(headers: list[str]) -> bool:
    keys = {normalise_key(h) for h in headers}
    return all(c in keys for c in formats.CONTACT_ROLE_COLUMNS)


def is_history(headers: list[str]) -> bool:
    keys = {normalise_key(h) for h in headers}
    return all(c in keys for c in formats.HISTORY_COLUMNS) and "role" not in keys


def attach_companions(
    result: ImportResult,
    ctx: RowContext,
    *,
    contact_roles: str | Path | None,
    history: str | Path | None,
    mapping: ColumnMapping | None,
) -> None:
    """Add stakeholders and history to the imported deals, warning about rows that match no deal."""
    assert isinstance(result.deals, ImportedDeals)  # import_csv's own result
    deals = _ById(result.deals)
    if contact_roles:
        roles = dict(formats.ROLE_MAP)
        if mapping is not None:
            roles.update({normalise_key(k): v for k, v in mapping.roles.items()})
        table = read_table(Path(contact_roles), is_contact_roles, "OpportunityId, ContactId or Contact.Name, Role")
        result.warnings.extend(_attach_roles(table, deals, roles))
        _carried(ctx, "stakeholders")
    if history:
        table = read_table(Path(history), is_history, "OpportunityId, StageName, CloseDate, CreatedDate")
        result.warnings.extend(_attach_history(table, deals, ctx))
        _carried(ctx, "history")


class _ById:
    """The imported deals by Salesforce id; a deal looked up here is pinned, so what is added to it stays."""

    def __init__(self, deals: ImportedDeals) -> None:
        self._deals = deals
        self._index = {opportunity_key(r.id): i for i, r in enumerate(deals.records) if r.id}

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def get(self, key: str) -> Deal | None:
        index = self._index.get(key)
        return None if index is None else self._deals.pin(index)


def _carried(ctx: RowContext, part: str) -> None:
    """A companion file supplied ``part``: it is no longer missing from the source every deal shares."""
    missing = ctx.file().source.missing
    if part in missing:
        missing.remove(part)


def _attach_roles(table: RawTable, deals: _ById, roles: dict[str, Role]) -> list[RowWarning]:
    index, warnings, file = _index(table, _ROLE_ALIASES), [], str(table.path)
    for line, cells in table.records:
        if is_blank(cells):
            continue
        deal = deals.get(opportunity_key(_cell(cells, index, "opportunity")))
        if deal is None:
            warnings.append(
                RowWarning(row=line, column="OpportunityId", message="no imported deal has this id", file=file)
            )
            continue
        text = _cell(cells, index, "role")
        role = roles.get(normalise_key(text), Role.UNKNOWN) if text else Role.UNKNOWN
        if text and normalise_key(text) not in roles:
            warnings.append(
                RowWarning(row=line, column="Role", message=f"unknown role {text!r}; left unknown", file=file)
            )
        name = _cell(cells, index, "name") or _cell(cells, index, "contact_id") or "(unnamed contact)"
        deal.stakeholders.append(
            Stakeholder.model_construct(
                name=name,
                title=_cell(cells, index, "title") or None,
                role=role,
                engaged=False,
                last_contact=None,
                sentiment=Stakeholder.model_fields["sentiment"].default,
                added=None,
                email=_cell(cells, index, "email") or None,
            )
        )
    # IsPrimary marks the primary contact, not a buying-committee role, so it is deliberately not mapped.
    return warnings


def _snapshot_date(cells: list[str], index: dict[str, int], ctx: RowContext) -> dt.date | None:
    try:
        return parse_date(_cell(cells, index, "created"), ctx.date_order, ctx.date_format)
    except ValueError:
        return None


def _attach_history(table: RawTable, deals: _ById, ctx: RowContext) -> list[RowWarning]:
    index, warnings, file = _index(table, _HISTORY_ALIASES), [], str(table.path)
    snapshots: dict[str, list[tuple[dt.date, int, list[str]]]] = defaultdict(list)
    for line, cells in table.records:
        if is_blank(cells):
            continue
        key = opportunity_key(_cell(cells, index, "opportunity"))
        when = _snapshot_date(cells, index, ctx)
        if key not in deals or when is None:
            message = "no imported deal has this id" if key not in deals else "CreatedDate is not a date"
            warnings.append(RowWarning(row=line, column=None, message=message, file=file))
            continue
        snapshots[key].append((when, line, cells))
    for key, rows in snapshots.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        deal = deals.get(key)
        assert deal is not None  # only keys of imported deals were kept
        deal.history.extend(_changes(rows, index, ctx, warnings, file))
    return warnings


def _snapshot_values(cells, index, ctx, line, warnings, file) -> dict[str, object]:
    values: dict[str, object] = {}
    stage_text = _cell(cells, index, "stage")
    if stage_text:
        stage = lookup_stage(ctx.stages, stage_text)
        if stage is None:
            warnings.append(
                RowWarning(
                    row=line,
                    column="StageName",
                    message=f"unknown stage {stage_text!r}; change not recorded",
                    file=file,
                )
            )
        values["stage"] = stage.value if stage else None
    for name, parse in (("close_date", lambda t: parse_date(t, ctx.date_order, ctx.date_format)),
                        ("amount", lambda t: parse_number(t, ctx.numbers))):  # fmt: skip
        text = _cell(cells, index, name)
        try:
            values[name] = parse(text) if text else None
        except ValueError:
            warnings.append(RowWarning(row=line, column=name, message=f"{text!r} cannot be read; ignored", file=file))
            values[name] = None
    forecast = _cell(cells, index, "forecast")
    category = ctx.forecast.get(normalise_key(forecast)) if forecast else None
    values["forecast_category"] = category.value if category else None
    return values


def _changes(rows, index, ctx, warnings, file) -> list[Change]:
    changes: list[Change] = []
    previous: dict[str, object] | None = None
    for when, line, cells in rows:
        current = _snapshot_values(cells, index, ctx, line, warnings, file)
        if previous is not None:
            for name, value in current.items():
                before = previous.get(name)
                if value is not None and before is not None and value != before:
                    changes.append(Change.model_construct(date=when, field=name, from_=before, to=value))
        previous = {k: v if v is not None else (previous or {}).get(k) for k, v in current.items()}
    return changes
