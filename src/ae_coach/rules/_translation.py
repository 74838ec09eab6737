"""Lint for the Chinese rulebook: every ``rules/zh/<id>.md`` in step with its English source ``rules/<id>.md``.

In step means what the coach relies on is the same in both: the frontmatter's impact, stages and triggers;
the number of steps, questions and Good/Bad examples; each step's and question's markers (the offline
coach picks step *i* for a finding from the English markers and prints step *i* of the Chinese rule), its
``[placeholders]`` and its question prefix. A Chinese rule that falls out of step is an error: the Chinese
coaching would quietly differ from the English. Two things are warnings, with ``--strict`` to make them
errors: a rule with no Chinese version yet (the Chinese coach uses the English rule), and a translation
older than its source (``translated_from`` is not the start of the English file's sha256): only a person
who reads both can say whether the meaning still matches, and an English wording fix should not wait for
a translator. Every heading and prefix must be the glossary's, and a word the glossary lists as a variant
(``内线`` for the coach role, an English "Commit") is reported where it is used.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ae_coach.errors import RuleFileError
from ae_coach.rules.glossary import TRANSLATIONS_DIR, Glossary, glossary_path, load_glossary
from ae_coach.rules.markers import BRACKETED, Marked
from ae_coach.rules.model import SECTION_ORDER, Rule
from ae_coach.rules.parse import Problem, parse_rule

HASH_LENGTH = 12
_IGNORED = re.compile(r"\{(?:for|when|scope|owner) [^{}]*\}|\[[a-z][a-z ]*\]|`[^`]*`|\b[a-z]+(?:-[a-z0-9]+)+\b")
"""Markers, placeholders, inline code and rule ids: never prose, so never a glossary variant."""


def source_hash(path: Path) -> str:
    """The start of the sha256 of a file's bytes, as a translation's ``translated_from`` records it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def check_translations(rules_dir: Path, rules: list[Rule], prefixes: set[str] | None) -> list[Problem]:
    """Every problem with the Chinese rulebook under ``rules_dir`` (nothing when there is none)."""
    directory = rules_dir / TRANSLATIONS_DIR
    if not directory.is_dir():
        return []
    try:
        glossary = load_glossary(rules_dir)
    except RuleFileError as exc:
        return [Problem(exc.path, exc.line, exc.detail)]
    problems = _check_glossary(glossary, glossary_path(rules_dir))
    english = {rule.id: rule for rule in rules}
    for rule in rules:
        if not (directory / f"{rule.id}.md").is_file():
            where = directory / f"{rule.id}.md"
            message = f"no Chinese version of {rule.id} (the Chinese coach uses the English rule)"
            problems.append(Problem(where, None, message, "warning"))
    for path in sorted(p for p in directory.glob("*.md") if not p.name.startswith("_")):
        source = english.get(path.stem)
        if source is None:
            problems.append(Problem(path, 1, f"no English rule {path.stem} (rules/{path.name}) to translate"))
            continue
        problems += _check_one(path, source, glossary, prefixes)
    return problems


def _check_glossary(glossary: Glossary, path: Path) -> list[Problem]:
    missing = [name for name in SECTION_ORDER if name not in glossary.headings]
    if missing:
        return [Problem(path, None, f"headings: no Chinese heading for {', '.join(missing)}")]
    return []


def _check_one(path: Path, source: Rule, glossary: Glossary, prefixes: set[str] | None) -> list[Problem]:
    soft: list[Problem] = []
    try:
        rule = parse_rule(path, prefixes, soft, headings=glossary.heading_names(), lang=TRANSLATIONS_DIR)
    except RuleFileError as exc:
        return [Problem(path, exc.line, exc.detail)]
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = soft + _frontmatter(path, lines, rule, source) + _headings(rule, glossary)
    problems += _lists(path, lines, rule, source, glossary)
    problems += _examples(rule, source)
    problems += _variants(path, lines, glossary)
    return problems


def _line_of(lines: list[str], key: str) -> int:
    return next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


def _frontmatter(path: Path, lines: list[str], rule: Rule, source: Rule) -> list[Problem]:
    out = []
    for key in ("impact", "stages", "triggers"):
        mine, theirs = getattr(rule, key), getattr(source, key)
        if mine != theirs:
            out.append(
                Problem(path, _line_of(lines, key), f"{key} {_show(mine)} differ from the English {_show(theirs)}")
            )
    if rule.tags != source.tags:
        out.append(Problem(path, _line_of(lines, "tags"), "tags differ from the English tags", "warning"))
    current = source_hash(source.path)
    if rule.translated_from is None:
        out.append(
            Problem(path, 1, f"no translated_from: add 'translated_from: {current}' once it matches rules/{path.name}")
        )
    elif not current.startswith(rule.translated_from) or len(rule.translated_from) < 8:
        message = (
            f"translation older than its source: translated_from {rule.translated_from}, rules/{path.name} is now "
            f"{current}; bring the Chinese in line, then set translated_from: {current}"
        )
        out.append(Problem(path, _line_of(lines, "translated_from"), message, "warning"))
    return out


def _show(value: object) -> str:
    return "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else repr(value)


def _headings(rule: Rule, glossary: Glossary) -> list[Problem]:
    allowed = "、".join(glossary.headings.values())
    return [
        Problem(rule.path, rule.section_lines[name], f"'### {name}' is not a glossary heading; use one of {allowed}")
        for name in rule.sections
        if name not in SECTION_ORDER
    ]


def _item_lines(lines: list[str], start: int | None, ordered: bool) -> list[int]:
    """The line of each top-level list item of the section whose heading is on line ``start``."""
    if start is None:
        return []
    pattern = re.compile(r"^\d+[.)] " if ordered else r"^[-*+] ")
    found = []
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.startswith("#"):
            break
        if pattern.match(line):
            found.append(number)
    return found


def _lists(path: Path, lines: list[str], rule: Rule, source: Rule, glossary: Glossary) -> list[Problem]:
    out: list[Problem] = []
    for section, field, ordered in (("How to apply", "plays", True), ("Questions to ask", "asks", False)):
        mine: list[Marked] = getattr(rule, field)
        theirs: list[Marked] = getattr(source, field)
        heading = rule.section_lines.get(section)
        where = _item_lines(lines, heading, ordered)
        what = "steps" if ordered else "questions"
        if len(mine) != len(theirs):
            out.append(Problem(path, heading, f"### {section}: {len(mine)} {what}; the English has {len(theirs)}"))
        for index, (zh, en) in enumerate(zip(mine, theirs, strict=False)):
            line = where[index] if index < len(where) else heading
            found = _item(zh, en, glossary if not ordered else None)
            out += [Problem(path, line, f"### {section} item {index + 1}: {m}") for m in found]
    for section, field in (("Red flags", "red_flags"), ("Anti-patterns", "anti_patterns")):
        mine_n, theirs_n = len(getattr(rule, field)), len(getattr(source, field))
        if mine_n != theirs_n:
            message = f"### {section}: {mine_n} items; the English has {theirs_n}"
            out.append(Problem(path, rule.section_lines.get(section), message, "warning"))
    return out


def _item(zh: Marked, en: Marked, glossary: Glossary | None) -> list[str]:
    """What differs between a Chinese item and its English source (``glossary`` given: a question)."""
    out = []
    for label, mine, theirs in (
        ("{for …}", zh.answers, en.answers),
        ("{when …}", zh.when, en.when),
        ("{scope …}", [zh.scope], [en.scope]),
        ("{owner …}", [zh.owner], [en.owner]),
    ):
        if mine != theirs:
            out.append(f"markers {label} {_show(mine)} differ from the English {_show(theirs)}")
    mine_ph, theirs_ph = sorted(BRACKETED.findall(zh.text)), sorted(BRACKETED.findall(en.text))
    if mine_ph != theirs_ph:
        out.append(f"placeholders {_show(mine_ph)} differ from the English {_show(theirs_ph)}")
    if glossary is not None:
        out += _prefix(zh, en, glossary)
    if (zh.example is None) != (en.example is None):
        has = "has a" if en.example else "has no"
        out.append(f"the English step {has} worked example (e.g. …); write it the same way (例如……)")
    return out


def _prefix(zh: Marked, en: Marked, glossary: Glossary) -> list[str]:
    english_prefix = next((p for p in glossary.question_prefixes if en.text.startswith(p)), None)
    chinese_prefix = next((p for p in glossary.question_prefixes.values() if zh.text.startswith(p)), None)
    wanted = glossary.question_prefixes.get(english_prefix) if english_prefix else None
    if wanted == chinese_prefix:
        return []
    found = chinese_prefix or "no prefix"
    return [f"starts with {found}; the English {english_prefix or 'has none'}, so {wanted or 'none'}"]


def _examples(rule: Rule, source: Rule) -> list[Problem]:
    mine, theirs = [e.kind for e in rule.examples], [e.kind for e in source.examples]
    if mine == theirs:
        return []
    line = rule.section_lines.get("Examples", rule.line)
    return [Problem(rule.path, line, f"examples {_show(mine)} differ from the English {_show(theirs)}")]


def _variants(path: Path, lines: list[str], glossary: Glossary) -> list[Problem]:
    """Each use of a word the glossary lists as a variant, outside the glossary term that contains it."""
    out = []
    checks = []
    for variant, key in glossary.variants.items():
        term = glossary.terms.get(key, key)
        ascii_word = variant.isascii()
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(variant)}(?![A-Za-z])" if ascii_word else re.escape(variant))
        checks.append((variant, key, term, pattern))
    for number, line in enumerate(lines, 1):
        text = _IGNORED.sub(lambda m: " " * len(m.group(0)), line)
        for variant, key, term, pattern in checks:
            masked = text.replace(term, "\0" * len(term)) if term in text else text
            if pattern.search(masked):
                out.append(Problem(path, number, f"uses {variant!r} for {key!r}; the glossary's term is {term}"))
    return out
