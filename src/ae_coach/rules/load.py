"""Loading a rules directory, with the shipped rulebook read once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ae_coach.rules.model import Rulebook
from ae_coach.rules.parse import read_rulebook


class _Cache:
    # The shipped rulebook is read once per process; a changed file (an author editing rules while
    # an MCP server runs) invalidates it via the directory's stat signature.
    signature: tuple[Any, ...] | None = None
    rulebook: Rulebook | None = None


def _signature(directory: Path) -> tuple[Any, ...]:
    entries = []
    for path in sorted(directory.glob("*.md")):
        stat = path.stat()
        entries.append((path.name, stat.st_mtime_ns, stat.st_size))
    return (str(directory), tuple(entries))


def load_rulebook(path: Path | str | None = None) -> Rulebook:
    """Load and validate a rules directory (default: the shipped one, cached).

    Args:
        path: A directory holding ``_sections.md`` and ``<prefix>-<topic>.md`` files.

    Returns:
        The rulebook.

    Raises:
        RuleFileError: A file cannot be read as a rule (``path:line: message``).
    """
    if path is not None:
        return read_rulebook(Path(path))
    from ae_coach.resources import rules_dir

    directory = rules_dir()
    signature = _signature(directory)
    if _Cache.rulebook is None or _Cache.signature != signature:
        _Cache.rulebook = read_rulebook(directory)
        _Cache.signature = signature
    return _Cache.rulebook
