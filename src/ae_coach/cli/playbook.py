"""``ae-coach init``: create a team playbook (ae-coach.toml, rules, an example deal, an eval suite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``init`` to the root app."""
    app.command("init")(init)


def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the playbook (default: here).")] = Path("."),
    standalone: Annotated[
        bool,
        typer.Option(
            "--standalone", help="Copy the full shipped rulebook in as files, instead of extending it (the default)."
        ),
    ] = False,
    name: Annotated[str | None, typer.Option(help="The playbook's name (default: the directory's name).")] = None,
) -> None:
    """Create a playbook: ae-coach.toml, rules/, an example deal, an eval suite and a README that explains them."""
    from ae_coach.playbook import CONFIG_FILE, scaffold

    written = scaffold(directory, standalone=standalone, name=name)
    rules = sum(
        1 for path in written if path.parent.name == "rules" and path.suffix == ".md" and not path.name.startswith("_")
    )
    kind = f"standalone, {rules} rules copied in" if standalone else "extends the shipped rulebook"
    print(f"created a playbook in {directory} ({kind}); {len(written)} files, see {directory / 'README.md'}")
    print(f"every ae-coach command run in {directory} or below now uses {directory / CONFIG_FILE}. Try:")
    print(f"  cd {directory} && ae-coach review deals/tailspin-single-threaded.yaml && ae-coach eval run")
