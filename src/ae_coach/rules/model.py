"""The rulebook's model: ``Rule`` and ``Rulebook``, with lookups and ranked search.

A rule file is markdown with YAML frontmatter (DESIGN.md, "Rule files"); parsing lives in
``ae_coach.rules.parse``, checks beyond "can it be loaded at all" in ``ae_coach.rules.lint``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ae_coach.rules.markers import Marked
from ae_coach.rules.search import SectionIndex

STAGES: tuple[str, ...] = (
    "discovery",
    "scoping",
    "validation",
    "proposal",
    "closing",
    "closed_won",
    "closed_lost",
)
"""Stage names a rule's ``stages`` may use."""

OPEN_STAGES: tuple[str, ...] = STAGES[:5]
"""The default ``stages`` of a rule that names none."""

IMPACTS: tuple[str, ...] = ("CRITICAL", "HIGH", "MEDIUM", "LOW")

SECTION_ORDER: tuple[str, ...] = (
    "Why it matters",
    "How to apply",
    "Questions to ask",
    "Red flags",
    "Examples",
    "Anti-patterns",
    "Sources",
)
"""Recognised ``###`` sections in their required order; all but ``Sources`` are required."""

REQUIRED_SECTIONS: tuple[str, ...] = SECTION_ORDER[:-1]

REVIEW_PREFIX = "Deal review:"
"""Marks a "Questions to ask" item as one a manager asks the AE, not one the AE asks the buyer."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
"""A rule id: lowercase words joined by hyphens, starting with the category prefix."""


class Example(BaseModel):
    """A Good or Bad example: a fenced block whose info string is ``good`` or ``bad`` plus a caption."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: Literal["good", "bad"]
    caption: str = ""
    """What the text is: "Deal note", "Talk track: the power test", "Email"..."""
    text: str
    line: int = 0
    """Line of the opening fence in the rule file."""


class Section(BaseModel):
    """A rule category declared in ``rules/_sections.md``."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    prefix: str
    """The file-name prefix, e.g. ``pipeline``; also the category name."""
    number: int
    title: str
    impact: str
    description: str
    line: int = 0


class Rule(BaseModel):
    """One practice from ``rules/<id>.md``."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    """The file stem, e.g. ``relationship-champion-vs-coach``."""
    category: str
    """The prefix of the id, declared in ``_sections.md``."""
    title: str
    impact: str
    tags: list[str]
    summary: str
    stages: list[str] = Field(default_factory=lambda: list(OPEN_STAGES))
    triggers: list[str] = Field(default_factory=list)
    """Finding codes that make this rule relevant to a deal."""
    sections: dict[str, str] = Field(default_factory=dict)
    """Markdown body of each ``###`` section, keyed by its heading."""
    section_lines: dict[str, int] = Field(default_factory=dict)
    """Line of each ``###`` heading in the file."""
    steps: list[str] = Field(default_factory=list)
    """Numbered items of "How to apply" as a reader sees them (markers and worked examples removed)."""
    plays: list[Marked] = Field(default_factory=list)
    """The same steps with their markers: the findings each answers and when it applies."""
    questions: list[str] = Field(default_factory=list)
    """"Questions to ask" items, markers removed."""
    asks: list[Marked] = Field(default_factory=list)
    """The same questions with their markers."""
    red_flags: list[str] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
    anti_patterns: list[str] = Field(default_factory=list)
    tables: list[list[dict[str, str]]] = Field(default_factory=list)
    """Every markdown table in the body, as rows keyed by the header cells."""
    heading: str | None = None
    """The text of the ``##`` heading (should equal ``title``)."""
    path: Path
    line: int = 1
    """Line of the ``##`` heading (1 when there is none)."""
    line_count: int = 0
    content_hash: str
    """sha256 of the file's text: changes whenever the rule does."""
    body: str
    """The markdown after the frontmatter."""
    lang: str = "en"
    """The language the rule is written in (``zh`` for ``rules/zh/<id>.md``)."""
    translated_from: str | None = None
    """A translation's ``translated_from``: the start of the sha256 of the English file it was made from."""

    def section(self, name: str) -> str:
        """The body of section ``name`` (case-insensitive), or an empty string."""
        for key, text in self.sections.items():
            if key.lower() == name.lower():
                return text
        return ""

    @property
    def buyer_questions(self) -> list[str]:
        """Questions the AE asks the buyer (the "Questions to ask" items without a prefix)."""
        return [q for q in self.questions if not q.startswith(REVIEW_PREFIX)]

    @property
    def review_questions(self) -> list[str]:
        """Questions a manager asks the AE in a deal review (items prefixed "Deal review:"), prefix removed."""
        return [q.removeprefix(REVIEW_PREFIX).strip() for q in self.questions if q.startswith(REVIEW_PREFIX)]

    def good_examples(self) -> list[Example]:
        """The rule's Good examples."""
        return [e for e in self.examples if e.kind == "good"]

    def bad_examples(self) -> list[Example]:
        """The rule's Bad examples."""
        return [e for e in self.examples if e.kind == "bad"]


class Hit(BaseModel):
    """A search result: one section of one rule and its BM25 score."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: Rule
    section: str
    score: float


class Rulebook(BaseModel):
    """Every rule of a rules directory, with lookups by id, category, tag, stage and trigger."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rules: list[Rule]
    """Sorted by id."""
    sections: list[Section]
    """The categories from ``_sections.md``, in their declared order."""
    path: Path | None = None
    """The top rules directory (a playbook's own, when it extends the shipped rulebook)."""
    layers: list[Path] = Field(default_factory=list)
    """The rules directories merged into this rulebook, lowest first (one, unless a playbook extends another)."""
    content_hash: str
    """sha256 over ``_sections.md`` and every rule's id and hash, after the overlay (added, replaced and disabled
    rules all change it): identifies this version of the rulebook wherever its files live."""

    _by_id: dict[str, Rule] = PrivateAttr(default_factory=dict)
    _index: Any = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        self._by_id = {rule.id: rule for rule in self.rules}

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:  # type: ignore[override]
        return iter(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    @property
    def ids(self) -> list[str]:
        """All rule ids, sorted."""
        return [rule.id for rule in self.rules]

    def __getitem__(self, rule_id: str) -> Rule:
        """The rule with this id; KeyError when there is none."""
        return self._by_id[rule_id]

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None."""
        return self._by_id.get(rule_id)

    def section_for(self, prefix: str) -> Section | None:
        """The category declared with this prefix, or None."""
        return next((s for s in self.sections if s.prefix == prefix), None)

    def by_category(self, category: str) -> list[Rule]:
        """Rules whose id starts with ``category``'s prefix."""
        return [rule for rule in self.rules if rule.category == category]

    def by_tag(self, tag: str) -> list[Rule]:
        """Rules tagged ``tag`` (case-insensitive)."""
        tag = tag.lower()
        return [rule for rule in self.rules if tag in (t.lower() for t in rule.tags)]

    def by_stage(self, stage: str) -> list[Rule]:
        """Rules that apply at ``stage``."""
        return [rule for rule in self.rules if stage in rule.stages]

    def by_trigger(self, code: str) -> list[Rule]:
        """Rules whose ``triggers`` name the finding ``code``."""
        return [rule for rule in self.rules if code in rule.triggers]

    def addressing(self, code: str, named: Iterable[str] = ()) -> list[Rule]:
        """The rules that address a finding: the ids it names first (``named``, e.g. ``Finding.rules``),
        then the rules whose triggers list ``code``; unknown ids are left out, each rule once."""
        ids = [*named, *(rule.id for rule in self.by_trigger(code))]
        return [self._by_id[i] for i in dict.fromkeys(ids) if i in self._by_id]

    def triggered_codes(self) -> set[str]:
        """Every finding code some rule names in its triggers."""
        return {code for rule in self.rules for code in rule.triggers}

    def search(self, query: str, k: int = 5, *, per_rule: int | None = None) -> list[Hit]:
        """Rank rule sections by BM25 relevance to ``query``.

        Args:
            query: Free text, e.g. "champion went quiet after the proposal".
            k: The most hits to return.
            per_rule: At most this many sections of any one rule (None: no limit).

        Returns:
            Up to ``k`` hits, best first; sections that share no term with the query are left out.
        """
        if self._index is None:
            self._index = SectionIndex(self.rules)
        return [
            Hit(rule=self._by_id[rule_id], section=section, score=score)
            for rule_id, section, score in self._index.search(query, k, per_rule)
        ]


def content_hash(text: str) -> str:
    """sha256 hex digest of ``text`` with newlines normalised."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
