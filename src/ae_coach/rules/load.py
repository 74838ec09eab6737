"""Loading a rules directory, with the shipped rulebook read once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ae_coach.rules.model import Rulebook
from ae_coach.rules.parse import read_rulebook


class _Cache:
    # The shipped rulebook is read once per process and language; a changed file (an author editing rules
    # while an MCP server runs) invalidates it via the directory's stat signature.
    signature: dict[str, tuple[Any, ...]] = {}  # noqa: RUF012 - one process-wide cache
    rulebook: dict[str, Rulebook] = {}  # noqa: RUF012


def _signature(directory: Path, lang: str) -> tuple[Any, ...]:
    entries = []
    paths = sorted(directory.glob("*.md"))
    if lang != "en":
        paths += sorted((directory / lang).glob("*"))
    for path in paths:
        stat = path.stat()
        entries.append((path.name, stat.st_mtime_ns, stat.st_size))
    return (str(directory), tuple(entries))


def load_rulebook(path: Path | str | None = None, *, lang: str = "en") -> Rulebook:
    """Load and validate a rules directory (default: the shipped one, cached).

    Args:
        path: A directory holding ``_sections.md`` and ``<prefix>-<topic>.md`` files.
        lang: ``en``, or ``zh`` for the Chinese rules of ``<path>/zh/`` (English where one is not translated).

    Returns:
        The rulebook.

    Raises:
        RuleFileError: A file cannot be read as a rule (``path:line: message``).
    """
    if path is not None:
        return read_rulebook(Path(path), lang)
    from ae_coach.resources import rules_dir

    directory = rules_dir()
    signature = _signature(directory, lang)
    if lang not in _Cache.rulebook or _Cache.signature.get(lang) != signature:
        _Cache.rulebook[lang] = read_rulebook(directory, lang)
        _Cache.signature[lang] = signature
    return _Cache.rulebook[lang]
