"""A parsed-rulebook cache for the CLI: parsing 47 markdown rules costs far more than a short review.

The shipped rulebook is stored as JSON under ``$AE_COACH_HOME/cache/``, one file per language, keyed by the
ae-coach version and the name, size and modification time of every rule file (the translations' too) and of
the parser's modules, so editing a rule (or the parser) invalidates it. JSON, not
pickle: a cache file is data, never code. Any problem with the cache falls back to parsing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ae_coach.resources import ae_coach_home

if TYPE_CHECKING:
    from ae_coach.rules.model import Rulebook


def _key(directory: Path, lang: str) -> str:
    import ae_coach

    # The parser's own source files are part of the key: a changed Rule model must not be fed old JSON.
    package = Path(__file__).parent
    parser = [package / "model.py", package / "parse.py"]
    parts = [ae_coach.__version__, str(directory.resolve()), lang]
    rules = sorted(directory.glob("*.md"))
    if lang != "en":
        rules += sorted((directory / lang).glob("*.md"))
    for path in [*parser, *rules]:
        stat = path.stat()
        parts.append(f"{path.parent.name}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def shipped_rulebook(lang: str = "en") -> Rulebook:
    """The playbook's rulebook in ``lang`` (``en``, or ``zh``: the translations beside the rules): the shipped
    one from the cache when it is current, else parsed (and cached)."""
    from ae_coach.playbook import active
    from ae_coach.resources import rules_dir
    from ae_coach.rules.load import load_rulebook
    from ae_coach.rules.model import Rulebook

    if not active().is_shipped:
        return load_rulebook(lang=lang)  # a playbook's merged book is cached in memory, per change of its files

    directory = rules_dir()
    try:
        cache = ae_coach_home() / "cache" / f"rulebook-{lang}-{_key(directory, lang)}.json"
        return Rulebook.model_validate_json(cache.read_bytes())
    except (OSError, ValueError):
        pass
    rulebook = load_rulebook(lang=lang)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache.parent.glob("rulebook-*.json"):
            parts = stale.stem.split("-")  # rulebook-<lang>-<key>; rulebook-<key> before books had a language
            if len(parts) == 2 or parts[1] == lang:
                stale.unlink(missing_ok=True)
        temporary = cache.with_suffix(".tmp")
        temporary.write_text(rulebook.model_dump_json(), encoding="utf-8")
        temporary.replace(cache)  # atomic: a concurrent reader never sees half a file
    except (OSError, NameError):
        pass
    return rulebook
