"""``ae-coach schema deal|report|settings``: the JSON Schema of a format, for editors and other programs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ae_coach.cli._io import write_output
from ae_coach.errors import UsageError


def _deal() -> dict[str, Any]:
    from ae_coach.deal.schema import deal_schema

    return deal_schema()


def _report() -> dict[str, Any]:
    from ae_coach.coach.report import CoachingReport
    from ae_coach.deal.schema import DIALECT

    return {"$schema": DIALECT, **CoachingReport.model_json_schema(mode="serialization")}


def _settings() -> dict[str, Any]:
    from ae_coach.deal.schema import DIALECT
    from ae_coach.inspector.settings import Settings

    return {"$schema": DIALECT, **Settings.model_json_schema()}


SCHEMAS = {"deal": _deal, "report": _report, "settings": _settings}


def schema(
    name: Annotated[str, typer.Argument(help="deal (a deal file), report (a review's report) or settings.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of a format; `ae-coach schema deal` gives editors completion for deal files."""
    from ae_coach.deal.schema import schema_text

    if name not in SCHEMAS:
        raise UsageError(f"schema: {name!r} is not a format; allowed: {', '.join(SCHEMAS)}")
    write_output(schema_text(SCHEMAS[name]()), output)


def register(app: typer.Typer) -> None:
    """Add ``schema`` to the root app."""
    app.command("schema")(schema)
