"""``ae-coach rules lint``: every problem in a rules directory (and its SKILL.md), not just the first.

Errors break the rule format (DESIGN.md, "Rule files") or the promises built on it (every finding code
addressed by a rule, a current SKILL.md index). Warnings are style limits (length, section order);
``strict`` turns them into errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ae_coach.errors import RuleFileError
from ae_coach.findings import FINDING_CODES
from ae_coach.rules._translation import check_translations
from ae_coach.rules.markers import BRACKETED, PLACEHOLDERS, atom_codes
from ae_coach.rules.model import ID_PATTERN, REQUIRED_SECTIONS, SECTION_ORDER, STAGES, Rule, Rulebook, Section
from ae_coach.rules.parse import SECTIONS_FILE, Problem, merged_files, parse_rule, parse_sections

MAX_SUMMARY = 200
MIN_LINES, MAX_LINES = 40, 120
"""A rule shorter than this is usually thin; longer, it is usually two rules (warnings)."""

_LISTS = {
    "How to apply": ("steps", "numbered steps (1. 2. ...)"),
    "Questions to ask": ("questions", "bullet questions"),
    "Red flags": ("red_flags", "bullets"),
    "Anti-patterns": ("anti_patterns", "bullets"),
}


def lint(rules_dir: Path, *, strict: bool = False) -> list[Problem]:
    """Check a rules directory (``ae_coach.skill.check.lint`` adds the SKILL.md that indexes it).

    Args:
        rules_dir: Directory with ``_sections.md`` and the rule files.
        strict: Report warnings as errors.

    Returns:
        Every problem found, in file order.
    """
    problems, _ = lint_rulebook(rules_dir)
    return strictly(problems) if strict else problems


def strictly(problems: list[Problem]) -> list[Problem]:
    """The same problems, every warning raised to an error (``--strict``)."""
    return [Problem(p.path, p.line, p.message, "error") for p in problems]


def lint_rulebook(
    rules_dir: Path | Sequence[Path], *, disable: Iterable[str] = ()
) -> tuple[list[Problem], Rulebook | None]:
    """Every problem in a rules directory, and the rulebook of the rules that parsed (None without sections).

    ``rules_dir`` may be a list of directories laid over each other (a playbook on the shipped rulebook):
    the merged book is checked, and each problem names the file it is in.
    """
    directories = [rules_dir] if isinstance(rules_dir, Path) else list(rules_dir)
    problems: list[Problem] = []
    try:
        sections_path, paths = merged_files(directories, disable)
    except RuleFileError as exc:
        return [Problem(exc.path, exc.line, exc.detail)], None
    top = directories[-1]
    sections = _lint_sections(sections_path, problems)
    prefixes = {section.prefix for section in sections} if sections else None
    rules: list[Rule] = []
    for path in paths:
        try:
            rule = parse_rule(path, prefixes, problems)
        except RuleFileError as exc:
            problems.append(Problem(path, exc.line, exc.detail))
            continue
        problems.extend(check_rule(rule))
        rules.append(rule)
    problems.extend(_check_collection(top, rules, sections or []))
    # Translations are checked where the author keeps them: the top directory, against its own rules.
    own = rules if len(directories) == 1 else [rule for rule in rules if rule.path.parent == top]
    problems.extend(check_translations(top, own, prefixes))
    problems.extend(_check_lexicon(top, rules))
    if not sections:
        return problems, None
    return problems, Rulebook(rules=rules, sections=sections, path=top, content_hash="")


def _check_lexicon(rules_dir: Path, rules: list[Rule]) -> list[Problem]:
    """The sales lexicon beside the rules names only rules and finding codes that exist."""
    from ae_coach.rules.lexicon import LEXICON_FILE, check_lexicon

    path = rules_dir / LEXICON_FILE
    if not path.is_file():
        return []
    return [Problem(path, line, message) for line, message in check_lexicon(path, [r.id for r in rules], FINDING_CODES)]


def has_errors(problems: list[Problem]) -> bool:
    """True when any problem is an error (what makes lint exit 1)."""
    return any(problem.level == "error" for problem in problems)


def _lint_sections(path: Path, problems: list[Problem]) -> list[Section] | None:
    try:
        return parse_sections(path)
    except RuleFileError as exc:
        problems.append(Problem(path, exc.line, exc.detail))
        return None


def check_rule(rule: Rule) -> list[Problem]:
    """Format checks on one parsed rule: heading, summary, sections, lists, examples, codes, length."""
    problems = _check_frontmatter(rule) + _check_sections(rule) + _check_examples(rule) + _check_markers(rule)
    if not MIN_LINES <= rule.line_count <= MAX_LINES:
        problems.append(
            Problem(
                rule.path,
                None,
                f"{rule.line_count} lines; a rule should be {MIN_LINES}-{MAX_LINES} lines (one practice per file)",
                "warning",
            )
        )
    return problems


def _check_markers(rule: Rule) -> list[Problem]:
    """Every finding code a step or question marker names ({for …}, {when …}) is in the catalogue, and every
    ``[placeholder]`` is one the coach fills."""
    problems = []
    for section, items in (("How to apply", rule.plays), ("Questions to ask", rule.asks)):
        line = rule.section_lines.get(section)
        for number, item in enumerate(items, 1):
            named = [*item.answers, *(code for atom in item.when for code in atom_codes(atom.lstrip("!")))]
            for placeholder in (p[1:-1] for p in BRACKETED.findall(item.text)):
                if placeholder not in PLACEHOLDERS:
                    known = ", ".join(f"[{p}]" for p in PLACEHOLDERS)
                    problems.append(
                        Problem(
                            rule.path,
                            line,
                            f"### {section} item {number}: unknown placeholder [{placeholder}] (known: {known})",
                        )
                    )
            for code in named:
                if code not in FINDING_CODES:
                    close = difflib.get_close_matches(code, FINDING_CODES, n=1)
                    hint = f" (did you mean {close[0]}?)" if close else ""
                    problems.append(
                        Problem(rule.path, line, f"### {section} item {number}: unknown finding code {code!r}{hint}")
                    )
    return problems


def _fm_line(rule: Rule, key: str) -> int:
    from ae_coach.rules.parse import key_line

    return key_line(rule.path.read_text(encoding="utf-8"), key) or 1


def _check_frontmatter(rule: Rule) -> list[Problem]:
    out: list[Problem] = []
    if not ID_PATTERN.match(rule.id):
        out.append(Problem(rule.path, None, f"id {rule.id!r} must be lowercase words joined by hyphens"))
    if rule.heading is None:
        out.append(Problem(rule.path, rule.line, f"missing '## {rule.title}' heading after the frontmatter"))
    elif rule.heading != rule.title:
        out.append(
            Problem(rule.path, rule.line, f"'## {rule.heading}' does not match the frontmatter title {rule.title!r}")
        )
    if not rule.summary.strip():
        out.append(Problem(rule.path, _fm_line(rule, "summary"), "summary is empty"))
    elif len(rule.summary) > MAX_SUMMARY:
        message = f"summary is {len(rule.summary)} characters; at most {MAX_SUMMARY} (one sentence)"
        out.append(Problem(rule.path, _fm_line(rule, "summary"), message))
    if not rule.tags:
        out.append(Problem(rule.path, _fm_line(rule, "tags"), "tags: give at least one keyword"))
    for stage in rule.stages:
        if stage not in STAGES:
            message = f"unknown stage {stage!r}{_hint(stage, STAGES)}; allowed: {', '.join(STAGES)}"
            out.append(Problem(rule.path, _fm_line(rule, "stages"), message))
    for code in rule.triggers:
        if code not in FINDING_CODES:
            message = f"unknown trigger {code!r}{_hint(code, FINDING_CODES)}; see ae_coach.findings.FINDING_CODES"
            out.append(Problem(rule.path, _fm_line(rule, "triggers"), message))
    return out


def _hint(value: str, allowed: object) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=1)  # type: ignore[call-overload]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_sections(rule: Rule) -> list[Problem]:
    out: list[Problem] = []
    for name in rule.sections:
        canonical = next((s for s in SECTION_ORDER if s.lower() == name.lower()), None)
        if canonical and canonical != name:
            out.append(Problem(rule.path, rule.section_lines[name], f"write the heading as '### {canonical}'"))
    missing = [name for name in REQUIRED_SECTIONS if name not in rule.sections]
    if missing:
        listed = ", ".join(f"'### {name}'" for name in missing)
        out.append(Problem(rule.path, rule.line, f"missing section(s) {listed}"))
    known = [name for name in rule.sections if name in SECTION_ORDER]
    if known != sorted(known, key=SECTION_ORDER.index):
        order = " > ".join(SECTION_ORDER)
        out.append(Problem(rule.path, rule.line, f"sections out of order; expected {order}", "warning"))
    for name, (field, what) in _LISTS.items():
        if name in rule.sections and not getattr(rule, field):
            out.append(Problem(rule.path, rule.section_lines[name], f"'### {name}' needs {what}"))
    return out


def _check_examples(rule: Rule) -> list[Problem]:
    kinds = {example.kind for example in rule.examples}
    missing = [kind for kind in ("good", "bad") if kind not in kinds]
    if not missing:
        return []
    line = rule.section_lines.get("Examples", rule.line)
    blocks = " and ".join(f"```{kind} <caption>" for kind in missing)
    return [Problem(rule.path, line, f"needs a Good/Bad example pair: add a {blocks} block")]


def references(text: str, prefixes: set[str]) -> list[tuple[int, str]]:
    """(line, rule id) for every rule id a text mentions: ``see <id>``, a backticked id, or any
    three-part id such as ``deal-happy-ears`` (two-part words like "deal-level" are too common to count)."""
    if not prefixes:
        return []
    group = "|".join(sorted(map(re.escape, prefixes)))
    pattern = re.compile(
        rf"(?:\bsee |`)((?:{group})-[a-z0-9]+(?:-[a-z0-9]+)*)\b(?!-)|\b((?:{group})-[a-z0-9]+(?:-[a-z0-9]+)+)\b(?![-*])"
    )
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        found += [(number, match[1] or match[2]) for match in pattern.finditer(line)]
    return found


def _check_references(rules: list[Rule], prefixes: set[str]) -> list[Problem]:
    known = {rule.id for rule in rules}
    out = []
    for rule in rules:
        offset = rule.line - 1  # the body starts at the ## heading
        for line, rule_id in references(rule.body, prefixes):
            if rule_id not in known:
                out.append(Problem(rule.path, line + offset, f"refers to {rule_id}, which is not a rule", "warning"))
    return out


def _check_collection(rules_dir: Path, rules: list[Rule], sections: list[Section]) -> list[Problem]:
    out: list[Problem] = _check_references(rules, {section.prefix for section in sections})
    seen_ids: dict[str, Rule] = {}
    seen_titles: dict[str, Rule] = {}
    for rule in rules:
        other = seen_ids.setdefault(rule.id.lower(), rule)
        if other is not rule:
            out.append(Problem(rule.path, None, f"duplicate rule id {rule.id!r} (also {other.path.name})"))
        other = seen_titles.setdefault(rule.title.strip().lower(), rule)
        if other is not rule:
            out.append(Problem(rule.path, rule.line, f"duplicate title {rule.title!r} (also {other.path.name})"))
    covered = {code for rule in rules for code in rule.triggers}
    uncovered = [code for code in FINDING_CODES if code not in covered]
    if uncovered:
        message = f"{len(uncovered)} finding code(s) in no rule's triggers: {', '.join(uncovered)}"
        out.append(Problem(rules_dir, None, message))
    used = {rule.category for rule in rules}
    for section in sections:
        if section.prefix not in used:
            message = f"category {section.prefix!r} has no rules"
            out.append(Problem(rules_dir / SECTIONS_FILE, section.line, message, "warning"))
    return out
