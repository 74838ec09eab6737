"""``ae-coach rules``: browse, search, lint and build the rulebook."""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.cli._options import LangOpt
from ae_coach.errors import RuleFileError, UsageError

rules_app = typer.Typer(help="Browse, search, lint and build the rulebook.", no_args_is_help=True)

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="A rules directory (default: the playbook's rulebook).")
]


def register(app: typer.Typer) -> None:
    """Add the ``rules`` sub-app to the root app."""
    app.add_typer(rules_app, name="rules")


def _source(rules: Path | None) -> str:
    from ae_coach.playbook import active

    return f"rules {rules}" if rules else f"playbook: {active().describe()}"


def _rulebook(rules: Path | None, *, translated: bool = False):
    from ae_coach.i18n import current
    from ae_coach.rules import load_rulebook

    lang = current() if translated else "en"
    if rules is not None and lang != "en" and not (rules / lang).is_dir():
        lang = "en"  # a rules directory without translations is shown as written
    return load_rulebook(rules, lang=lang)


@rules_app.command("list")
def list_rules(
    category: Annotated[str | None, typer.Option(help="Only this category (pipeline, deal, ...).")] = None,
    stage: Annotated[str | None, typer.Option(help="Only rules that apply at this stage.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only rules with this tag.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (id, category, impact, title, summary).")] = False,
    rules: RulesOption = None,
    lang: LangOpt = None,
) -> None:
    """List rules: id, impact and summary."""
    from ae_coach.i18n import t
    from ae_coach.rules import STAGES

    rulebook = _rulebook(rules, translated=True)
    if category is not None and rulebook.section_for(category) is None:
        allowed = ", ".join(s.prefix for s in rulebook.sections)
        raise UsageError(f"--category {category!r} is not one of {allowed}")
    if stage is not None and stage not in STAGES:
        raise UsageError(f"--stage {stage!r} is not one of {', '.join(STAGES)}")
    selected = [
        rule
        for rule in rulebook.rules
        if (category is None or rule.category == category)
        and (stage is None or stage in rule.stages)
        and (tag is None or tag.lower() in (t.lower() for t in rule.tags))
    ]
    if as_json:
        fields = ("id", "category", "impact", "title", "summary")
        print(json.dumps([{f: getattr(rule, f) for f in fields} for rule in selected], indent=2, ensure_ascii=False))
        return
    # On stderr, so the list itself stays one rule per line for scripts.
    print(f"{_source(rules)}; rulebook {rulebook.content_hash[:12]}, {len(rulebook)} rules", file=sys.stderr)
    if not selected:
        print(t("rules.no_match"))
        return
    width = max(len(rule.id) for rule in selected)
    for rule in selected:
        print(f"{rule.id:<{width}}  {rule.impact:<8}  {rule.summary}")


@rules_app.command("show")
def show(
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="A rule id, e.g. deal-happy-ears.")],
    raw: Annotated[bool, typer.Option("--raw", help="Print the markdown file as is.")] = False,
    rules: RulesOption = None,
    lang: LangOpt = None,
) -> None:
    """Show one rule, rendered."""
    from ae_coach.i18n import join, t, term

    rulebook = _rulebook(rules, translated=True)
    rule = rulebook.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, rulebook.ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `ae-coach rules list`"
        raise UsageError(f"no rule {rule_id!r}{hint}")
    if raw:
        print(rule.path.read_text(encoding="utf-8"), end="")
        return
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console()
    triggers = ", ".join(rule.triggers) or t("rules.none")
    console.print(f"[bold]{rule.id}[/bold]  {t('rules.impact', impact=rule.impact, tags=', '.join(rule.tags))}")
    stages = join(term(stage) for stage in rule.stages)
    console.print(t("rules.triggers", triggers=triggers, stages=stages), style="dim", markup=False)
    body = _unwrap_chinese(rule.body) if rule.lang == "zh" else rule.body
    console.print(Markdown(f"> {rule.summary}\n\n{body}"))


_HAN_EDGE = re.compile(r"[\u4e00-\u9fff，。；：、“”（）]")


def _unwrap_chinese(markdown: str) -> str:
    """Join a Chinese paragraph's wrapped lines (markdown turns a line break into a space, which Chinese has
    none of); headings, tables and example blocks keep their lines."""
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        previous = out[-1] if out else ""
        prose = previous and not fenced and not previous.startswith(("#", "|"))
        if prose and _HAN_EDGE.match(line[:1] or " ") and _HAN_EDGE.match(previous[-1:] or " "):
            out[-1] = previous + line
        else:
            out.append(line)
        if line.startswith("```"):
            fenced = not fenced
    return "\n".join(out)


@rules_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="What you want advice on, in plain words.")],
    k: Annotated[int, typer.Option("-k", min=1, help="How many hits.")] = 5,
    all_sections: Annotated[
        bool, typer.Option("--all-sections", help="Allow several sections of the same rule.")
    ] = False,
    rules: RulesOption = None,
) -> None:
    """Rank rule sections by relevance to QUERY (BM25); by default the best section of each rule."""
    hits = _rulebook(rules).search(query, k=k, per_rule=None if all_sections else 1)
    if not hits:
        print("no rule matches; try other words, or `ae-coach rules list`")
        return
    for hit in hits:
        first = next((line for line in hit.rule.section(hit.section).splitlines() if line.strip()), "")
        print(f"{hit.score:6.2f}  {hit.rule.id}  ### {hit.section}")
        print(f"        {first[:110]}")


@rules_app.command("lint")
def lint(
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings (length, order) as errors.")] = False,
    rules: RulesOption = None,
    skill: Annotated[
        Path | None, typer.Option(help="SKILL.md to check (default: the one next to the rules directory).")
    ] = None,
) -> None:
    """Check every rule file and SKILL.md; print each problem as path:line: message. Exit 1 on problems."""
    from ae_coach.playbook import active
    from ae_coach.rules.lint import has_errors
    from ae_coach.rules.parse import merged_files
    from ae_coach.skill.check import lint as run_lint

    playbook = active()
    layers = [rules] if rules else playbook.rule_dirs()
    disable = () if rules else playbook.disable
    directory = layers[-1]
    if not directory.is_dir():
        raise UsageError(f"--rules {directory}: not a directory")
    if skill is None and (directory.parent / "SKILL.md").is_file():
        skill = directory.parent / "SKILL.md"
    problems = run_lint(layers, skill, strict=strict, disable=disable)
    try:
        count = len(merged_files(layers, disable)[1])
    except RuleFileError:
        count = 0
    if not rules and not any(problem.level == "error" for problem in problems):
        from ae_coach.inspector.settings import stage_problems
        from ae_coach.rules.lint import strictly

        staged = stage_problems(playbook, _rulebook(None))
        problems += strictly(staged) if strict else staged
    base = Path.cwd()
    for problem in problems:
        print(problem.format(base))
    errors = sum(problem.level == "error" for problem in problems)
    print(f"{count} rules: {errors} error(s), {len(problems) - errors} warning(s)")
    if has_errors(problems):
        raise typer.Exit(1)


@rules_app.command("build")
def build(
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a generated file is stale.")] = False,
    root: Annotated[
        Path | None, typer.Option(help="The checkout holding SKILL.md and rules/ (default: this project).")
    ] = None,
) -> None:
    """Regenerate the SKILL.md rule index, dist/AGENTS.md and evals/examples/rule-examples.yaml."""
    from ae_coach.playbook import active
    from ae_coach.resources import project_root
    from ae_coach.rules.build import build as run_build

    if root is None and not active().is_shipped:
        raise UsageError(
            f"rules build regenerates ae-coach's own files ({project_root()}), not a playbook's; in playbook "
            f"{active().name}, `ae-coach skill install` and `skill package` build SKILL.md's index for its rules"
        )
    outputs = run_build(root or project_root(), check=check)
    base = Path.cwd()
    for output in outputs:
        try:
            shown = output.path.relative_to(base)
        except ValueError:
            shown = output.path
        state = "up to date" if output.current else ("stale" if check else "written")
        print(f"{shown}: {state}")
    if check and not all(output.current for output in outputs):
        print("generated files are stale: run `ae-coach rules build`")
        raise typer.Exit(1)
