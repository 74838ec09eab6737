"""The rulebook: rules read from ``rules/*.md``, validated, searched and checked.

The door holds what a user of the rulebook needs; parsing (:mod:`.parse`), search (:mod:`.search`),
lint (:mod:`.lint`), the generated files (:mod:`.build`) and the on-disk cache (:mod:`.cache`) are
imported from their modules.
"""

from __future__ import annotations

from ae_coach.rules.load import load_rulebook
from ae_coach.rules.model import (
    ID_PATTERN,
    IMPACTS,
    OPEN_STAGES,
    REQUIRED_SECTIONS,
    REVIEW_PREFIX,
    SECTION_ORDER,
    STAGES,
    Example,
    Hit,
    Rule,
    Rulebook,
    Section,
    content_hash,
)

__all__ = [
    "ID_PATTERN",
    "IMPACTS",
    "OPEN_STAGES",
    "REQUIRED_SECTIONS",
    "REVIEW_PREFIX",
    "SECTION_ORDER",
    "STAGES",
    "Example",
    "Hit",
    "Rule",
    "Rulebook",
    "Section",
    "content_hash",
    "load_rulebook",
]
