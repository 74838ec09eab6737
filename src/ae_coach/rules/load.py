"""Loading a rules directory, with the playbook's (merged) rulebook read once per process and change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ae_coach.rules.model import Rulebook


class _Cache:
    # The shipped rulebook is read once per process and language; a changed file (an author editing rules
    # while an MCP server runs) invalidates it via the directory's stat signature.
    signature: dict[str, tuple[Any, ...]] = {}  # noqa: RUF012 - one process-wide cache
    rulebook: dict[str, Rulebook] = {}  # noqa: RUF012


def _signature(directories: list[Path], lang: str, disable: tuple[str, ...]) -> tuple[Any, ...]:
    entries = []
    for directory in directories:
        paths = sorted(directory.glob("*.md"))
        if lang != "en":
            paths += sorted((directory / lang).glob("*"))
        for path in paths:
            stat = path.stat()
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return (tuple(map(str, directories)), disable, tuple(entries))


def load_rulebook(path: Path | str | None = None, *, lang: str = "en") -> Rulebook:
    """Load and validate a rules directory (default: the playbook in use, merged and cached).

    Args:
        path: A directory holding ``_sections.md`` and ``<prefix>-<topic>.md`` files; ``None`` for the rulebook
            of the playbook in use (``ae_coach.playbook.active()``: the shipped rulebook when there is none).
        lang: ``en``, or ``zh`` for the Chinese rules of ``<path>/zh/`` (English where one is not translated).

    Returns:
        The rulebook.

    Raises:
        RuleFileError: A file cannot be read as a rule (``path:line: message``).
    """
    from ae_coach.rules.parse import read_rulebook  # here: a review served from the cache never parses

    if path is not None:
        return read_rulebook(Path(path), lang)
    from ae_coach.playbook import active

    playbook = active()
    directories = playbook.rule_dirs()
    signature = _signature(directories, lang, playbook.disable)
    key = f"{lang}:{directories[-1]}"
    if key not in _Cache.rulebook or _Cache.signature.get(key) != signature:
        _Cache.rulebook[key] = read_rulebook(directories, lang, disable=playbook.disable)
        _Cache.signature[key] = signature
    return _Cache.rulebook[key]
