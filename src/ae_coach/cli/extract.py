"""``ae-coach extract NOTES_FILE``: a deal-file draft from free-text notes or a call transcript (needs a model)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.cli._io import parse_date, write_output
from ae_coach.cli._options import TimeoutOpt
from ae_coach.errors import UsageError

Opt = typer.Option


def extract(
    notes: Annotated[Path, typer.Argument(help="A text file of deal notes or a call transcript.", show_default=False)],
    output: Annotated[Path | None, Opt("--output", "-o", help="Write the deal YAML here (default: stdout).")] = None,
    account: Annotated[str | None, Opt("--account", help="The account name (overrides the notes).")] = None,
    model: Annotated[str | None, Opt("--model", help="Model id (default: AE_COACH_MODEL or a current Sonnet).")] = None,
    as_of: Annotated[str | None, Opt("--as-of", help="Date relative dates resolve against (default: today).")] = None,
    force: Annotated[bool, Opt("--force", help="Overwrite --output if it exists.")] = False,
    timeout: TimeoutOpt = None,
    redact: Annotated[
        bool,
        Opt(
            "--redact",
            help="Pseudonymise emails, phone numbers and (with the names extra) people in the notes before "
            "they reach the model.",
        ),
    ] = False,
) -> None:
    """Turn deal notes into a deal YAML draft that `ae-coach review` reads; unsupported fields stay unknown."""
    from ae_coach.coach import Coach
    from ae_coach.extract import extract_deal, read_notes, require_key

    date = parse_date(as_of)
    if output is not None and output.exists() and not force:
        raise UsageError(f"--output {output} exists; use --force to overwrite it")
    text = read_notes(notes)
    require_key()
    draft = extract_deal(
        text, Coach("anthropic", model=model, timeout=timeout, redact=redact), account=account, as_of=date
    )
    document = draft.yaml(source=notes.name)
    write_output(document, output, then=f"check it, then run: ae-coach review {output}")
    for warning in draft.warnings:
        print(f"check: {warning}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``extract`` to the root app."""
    app.command("extract")(extract)
