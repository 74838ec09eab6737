"""Parse ``rules/_sections.md`` and ``rules/<id>.md`` files into ``Section`` and ``Rule`` models.

Only faults that make a file unreadable as a rule raise ``RuleFileError`` here (no frontmatter,
broken YAML, wrong field types, an undeclared prefix). Softer faults a parser notices on the way
(an unlabelled example block, a second ``##`` heading) go into an optional ``problems`` list that
``rules_lint`` reports together with its own checks.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ae_coach._patterns import lazy
from ae_coach.errors import RuleFileError
from ae_coach.rules import markers
from ae_coach.rules.model import IMPACTS, OPEN_STAGES, Example, Rule, Rulebook, Section, content_hash

SECTIONS_FILE = "_sections.md"

# libyaml's safe loader when PyYAML was built with it: same safe subset, several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One lint problem, printed as ``path:line: message``."""

    path: Path
    line: int | None
    message: str
    level: Literal["error", "warning"] = "error"

    def format(self, base: Path | None = None) -> str:
        """``path:line: message`` with the path relative to ``base`` when it lies under it."""
        path = self.path
        if base is not None:
            with contextlib.suppress(ValueError):
                path = self.path.resolve().relative_to(base.resolve())
        where = f"{path}:{self.line}" if self.line else f"{path}"
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class _Frontmatter(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    title: str
    impact: Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]
    tags: list[str]
    summary: str
    stages: list[str] | None = None
    triggers: list[str] | None = None
    translated_from: str | int | None = None  # 12 hex digits can read as an int; the text is taken from the file
    """In a translation (``rules/zh/<id>.md``): the first 12 hex digits of the sha256 of the English file's
    bytes when it was translated (``ae-coach rules lint`` reports a translation older than its source)."""


# ---------------------------------------------------------------- _sections.md

_SECTION_HEADING = lazy(r"^## (\d+)\. (.+?) \(([a-z][a-z0-9]*)\)\s*$")
_FIELD = lazy(r"^\*\*(Impact|Description):\*\*\s*(.*)$")


def parse_sections(path: Path) -> list[Section]:
    """Read the category declarations: ``## N. Title (prefix)`` with **Impact:** and **Description:**.

    Raises:
        RuleFileError: The file is missing, a heading is malformed, or a field is missing or invalid.
    """
    lines = _read(path).splitlines()
    found: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            match = _SECTION_HEADING.match(line)
            if not match:
                raise RuleFileError(path, number, "a category heading must read '## N. Title (prefix)'")
            current = {"number": int(match[1]), "title": match[2], "prefix": match[3], "line": number}
            found.append(current)
            continue
        field = _FIELD.match(line)
        if current is not None and field:
            current[field[1].lower()] = field[2].strip()
            current["_last"] = field[1].lower()
        elif current is not None and line.strip() and current.get("_last") == "description":
            current["description"] += " " + line.strip()  # a description wraps onto following lines
        elif not line.strip() and current is not None:
            current["_last"] = None
    return _sections_from(path, found)


def _sections_from(path: Path, found: list[dict[str, Any]]) -> list[Section]:
    if not found:
        raise RuleFileError(path, None, "no categories declared (expected '## N. Title (prefix)' headings)")
    seen: set[str] = set()
    sections = []
    for item in found:
        item.pop("_last", None)
        for key in ("impact", "description"):
            if not item.get(key):
                raise RuleFileError(path, item["line"], f"category {item['prefix']!r} has no **{key.title()}:** line")
        if item["impact"] not in IMPACTS:
            allowed = ", ".join(IMPACTS)
            raise RuleFileError(path, item["line"], f"impact {item['impact']!r} is not one of {allowed}")
        if item["prefix"] in seen:
            raise RuleFileError(path, item["line"], f"prefix {item['prefix']!r} is declared twice")
        seen.add(item["prefix"])
        sections.append(Section(**item))
    return sections


# ---------------------------------------------------------------- rule files


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin)
    # Inline tokens keep their raw text in .content; parsing emphasis and links would only cost time.
    # Reference links, raw HTML and setext headings have no place in a rule file.
    md.disable(["inline", "text_join", "reference", "html_block", "lheading"])
    return md


def _read(path: Path) -> str:
    try:
        # utf-8-sig: an editor's byte-order mark must not hide the frontmatter's opening '---'.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RuleFileError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(path, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RuleFileError(path, None, f"cannot read: {exc.strerror}") from None


def category_of(rule_id: str) -> str:
    """The category prefix of a rule id (the part before the first hyphen)."""
    return rule_id.split("-", 1)[0]


def parse_rule(
    path: Path,
    categories: set[str] | None = None,
    problems: list[Problem] | None = None,
    text: str | None = None,
    *,
    headings: dict[str, str] | None = None,
    lang: str = "en",
) -> Rule:
    """Parse one rule file.

    Args:
        path: The file; its stem is the rule id.
        categories: Declared prefixes; None skips the check.
        problems: If given, receives soft problems the parser notices.
        text: The file's text, when already read.
        headings: Translated ``###`` heading -> English heading (a Chinese rule's glossary headings), so
            sections are filed under their English names.
        lang: The language the rule is written in.

    Raises:
        RuleFileError: The file cannot be read as a rule.
    """
    text = _read(path) if text is None else text
    rule_id = path.stem
    category = category_of(rule_id)
    if categories is not None and category not in categories:
        declared = ", ".join(sorted(categories))
        raise RuleFileError(
            path, 1, f"unknown category prefix {category!r}: the file name must start with one of {declared}"
        )
    tokens = _markdown().parse(text)
    front = _frontmatter(path, text, tokens)
    body_start = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" else 0
    lines = text.splitlines()
    body = _Body(path, lines, problems if problems is not None else [], headings or {})
    body.walk(tokens)
    return Rule(
        id=rule_id,
        category=category,
        title=front.title,
        impact=front.impact,
        tags=front.tags,
        summary=front.summary,
        stages=front.stages if front.stages is not None else list(OPEN_STAGES),
        triggers=front.triggers or [],
        path=path,
        body="\n".join(lines[body_start:]).strip() + "\n",
        content_hash=content_hash(text),
        line_count=len(lines),
        lang=lang,
        translated_from=_translated_from(front_matter_text(tokens)),
        **body.result(),
    )


def front_matter_text(tokens: list[Any]) -> str:
    return str(tokens[0].content) if tokens and tokens[0].type == "front_matter" else ""


def _translated_from(front: str) -> str | None:
    match = re.search(r"^translated_from:\s*['\"]?([0-9a-fA-F]+)", front, re.MULTILINE)
    return match.group(1).lower() if match else None


def key_line(text: str, key: str) -> int | None:
    """The 1-based line of a top-level frontmatter key, or None."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() in ("---", "..."):
            return None
        if pattern.match(line):
            return number
    return None


def _frontmatter(path: Path, text: str, tokens: list[Any]) -> _Frontmatter:
    if not tokens or tokens[0].type != "front_matter":
        if text.startswith("---"):
            raise RuleFileError(path, 1, "the YAML frontmatter is not closed by a '---' line")
        raise RuleFileError(
            path, 1, "missing YAML frontmatter: start the file with a '---' block holding title, impact, tags, summary"
        )
    try:
        data = yaml.load(tokens[0].content, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
            problem += f" ({context} that starts on line {context_mark.line + 2})"
        raise RuleFileError(path, line, f"invalid YAML in frontmatter: {problem}") from None
    if not isinstance(data, dict):
        raise RuleFileError(path, 1, "the frontmatter must be a mapping of keys (title, impact, tags, summary, ...)")
    try:
        return _Frontmatter.model_validate(data)
    except ValidationError as exc:
        raise _frontmatter_error(path, text, exc) from None


def _frontmatter_error(path: Path, text: str, exc: ValidationError) -> RuleFileError:
    messages = []
    first_line = None
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else ""
        where = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            message = f"missing required key {key!r}"
        elif error["type"] == "extra_forbidden":
            allowed = ", ".join(_Frontmatter.model_fields)
            message = f"unknown key {key!r} (allowed: {allowed})"
        else:
            message = f"{where}: {error['msg']} (got {error.get('input')!r})"
        messages.append(message)
        first_line = first_line or key_line(text, key)
    return RuleFileError(path, first_line or 1, "frontmatter: " + "; ".join(messages))


class _Body:
    """Walks the block tokens of a rule body once, collecting sections, lists, examples and tables."""

    def __init__(self, path: Path, lines: list[str], problems: list[Problem], headings: dict[str, str]) -> None:
        self.path, self.lines, self.problems, self.names = path, lines, problems, headings
        self.heading: str | None = None
        self.line = 1
        self.sections: dict[str, str] = {}
        self.section_lines: dict[str, int] = {}
        self.lists: dict[str, list[tuple[str, str]]] = {}
        self.examples: list[Example] = []
        self.tables: list[list[dict[str, str]]] = []
        self._current: str | None = None

    def walk(self, tokens: list[Any]) -> None:
        index, headings = 0, []
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open" and token.tag in ("h2", "h3"):
                text = tokens[index + 1].content.strip()
                text = self.names.get(text, text) if token.tag == "h3" else text
                headings.append((token.tag, text, token.map[0]))
                self._heading(token.tag, text, token.map[0] + 1)
            elif token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
                index = self._list(tokens, index)
                continue
            elif token.type == "fence":
                self._fence(token)
            elif token.type == "table_open":
                index = self._table(tokens, index)
                continue
            index += 1
        self._slice_sections(headings)

    def _heading(self, tag: str, text: str, line: int) -> None:
        if tag == "h2":
            if self.heading is not None:
                self.problems.append(Problem(self.path, line, "a rule has one '##' heading; found a second one"))
            else:
                self.heading, self.line = text, line
            self._current = None
            return
        if text in self.section_lines:
            self.problems.append(Problem(self.path, line, f"section '### {text}' appears twice"))
        self._current = text
        self.section_lines.setdefault(text, line)

    def _list(self, tokens: list[Any], index: int) -> int:
        kind = "ordered" if tokens[index].type == "ordered_list_open" else "bullet"
        close = tokens[index].type.replace("_open", "_close")
        items: list[str] = []
        depth = 0
        while True:
            token = tokens[index]
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0 and token.type == close:
                    break
            elif token.type == "list_item_open" and depth == 1:
                items.append("")
            elif token.type == "inline" and depth == 1 and items:
                items[-1] = (items[-1] + " " + token.content.strip()).strip()
            index += 1
        if self._current is not None:
            self.lists.setdefault(self._current, []).extend((kind, item) for item in items)
        return index + 1

    def _fence(self, token: Any) -> None:
        label, _, caption = token.info.strip().partition(" ")
        kind = label.lower()
        if kind in ("good", "bad"):
            self.examples.append(
                Example(kind=kind, caption=caption.strip(), text=token.content.rstrip("\n"), line=token.map[0] + 1)
            )
        elif self._current == "Examples":
            self.problems.append(
                Problem(
                    self.path,
                    token.map[0] + 1,
                    f"example block labelled {token.info.strip()!r}: the info string must start with good or bad",
                )
            )

    def _table(self, tokens: list[Any], index: int) -> int:
        header: list[str] = []
        rows: list[dict[str, str]] = []
        row: list[str] | None = None
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "inline" and row is not None:
                row.append(token.content.strip())
            elif token.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                else:
                    rows.append(
                        {
                            name or f"column {i + 1}": cell
                            for i, (name, cell) in enumerate(zip(header, row, strict=False))
                        }
                    )
            index += 1
        self.tables.append(rows)
        return index + 1

    def _slice_sections(self, headings: list[tuple[str, str, int]]) -> None:
        # A section's markdown is the source between its heading and the next ## or ### heading.
        for position, (tag, text, start) in enumerate(headings):
            if tag != "h3" or text in self.sections:
                continue
            end = headings[position + 1][2] if position + 1 < len(headings) else len(self.lines)
            self.sections[text] = "\n".join(self.lines[start + 1 : end]).strip()

    def _marked(self, raw: str, section: str, *, example: bool = True) -> markers.Marked:
        item, problems = markers.parse(raw, split_example=example)
        line = self.section_lines.get(section)
        self.problems.extend(Problem(self.path, line, f"### {section}: {problem}") for problem in problems)
        return item

    def result(self) -> dict[str, Any]:
        def items(section: str, kind: str | None = None) -> list[str]:
            return [text for k, text in self.lists.get(section, []) if kind is None or k == kind]

        plays = [self._marked(raw, "How to apply") for raw in items("How to apply", "ordered")]
        asks = [self._marked(raw, "Questions to ask", example=False) for raw in items("Questions to ask")]
        return {
            "heading": self.heading,
            "line": self.line,
            "sections": {name: markers.strip(text) for name, text in self.sections.items()},
            "section_lines": self.section_lines,
            "steps": [play.text for play in plays],
            "plays": plays,
            "questions": [ask.text for ask in asks],
            "asks": asks,
            "red_flags": items("Red flags"),
            "anti_patterns": items("Anti-patterns"),
            "examples": self.examples,
            "tables": self.tables,
        }


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a directory: every ``*.md`` except those starting with ``_``."""
    return sorted(p for p in directory.glob("*.md") if not p.name.startswith("_"))


def merged_files(directories: Sequence[Path], disable: Iterable[str] = ()) -> tuple[Path, list[Path]]:
    """The ``_sections.md`` and rule files of rules directories laid over each other, lowest first.

    A rule file in a later directory replaces the same id in an earlier one; ``disable`` leaves ids out; the
    last directory with a ``_sections.md`` declares the categories.

    Raises:
        RuleFileError: A directory is missing, none has ``_sections.md``, or ``disable`` names no rule.
    """
    by_id: dict[str, Path] = {}
    sections: Path | None = None
    for directory in directories:
        if not directory.is_dir():
            raise RuleFileError(directory, None, "rules directory not found")
        if (directory / SECTIONS_FILE).is_file():
            sections = directory / SECTIONS_FILE
        by_id.update((path.stem, path) for path in rule_files(directory))
    top = directories[-1]
    for rule_id in disable:
        if by_id.pop(rule_id, None) is None:
            raise RuleFileError(top, None, f"disable: no rule {rule_id!r} to disable")
    # File-name order, as one directory lists them: the rulebook's order and hash do not change.
    return sections or top / SECTIONS_FILE, sorted(by_id.values(), key=lambda path: path.name)


def read_rulebook(directory: Path | Sequence[Path], lang: str = "en", *, disable: Iterable[str] = ()) -> Rulebook:
    """Parse every rule of ``directory``; with ``lang="zh"``, each rule's Chinese version where there is one.

    ``directory`` may be a list of rules directories laid over each other (a playbook extending the shipped
    rulebook; see :func:`merged_files`), with ``disable`` naming rule ids to leave out.

    A Chinese rulebook has the English one's ids, markers and triggers (``ae-coach rules lint`` keeps them in
    step); a rule not yet translated stays in English rather than missing from the Chinese coaching.

    Raises:
        RuleFileError: The directory, ``_sections.md``, a rule file or the glossary cannot be read.
    """
    directories = [directory] if isinstance(directory, Path) else list(directory)
    sections_path, paths = merged_files(directories, disable)
    sections = parse_sections(sections_path)
    prefixes = {section.prefix for section in sections}
    rules = [parse_rule(path, prefixes) for path in paths]
    if lang != "en":
        rules = _translated(directories, lang, rules, prefixes)
    digest = content_hash(_read(sections_path) + "".join(f"\n{r.id}:{r.content_hash}" for r in rules))
    return Rulebook(rules=rules, sections=sections, path=directories[-1], layers=directories, content_hash=digest)


def _translated(directories: list[Path], lang: str, rules: list[Rule], prefixes: set[str]) -> list[Rule]:
    from ae_coach.rules.glossary import TRANSLATIONS_DIR, glossary_path, load_glossary

    if lang != TRANSLATIONS_DIR:
        raise RuleFileError(directories[-1], None, f"no rules in {lang!r}; translations exist for: {TRANSLATIONS_DIR}")
    with_glossary = [d for d in directories if glossary_path(d).is_file()] or directories[-1:]
    headings = load_glossary(with_glossary[-1]).heading_names()
    out = []
    for rule in rules:
        # A rule's translation sits beside it: a playbook's replacement is not translated by the shipped zh/.
        path = rule.path.parent / TRANSLATIONS_DIR / f"{rule.id}.md"
        out.append(parse_rule(path, prefixes, headings=headings, lang=lang) if path.is_file() else rule)
    return out
