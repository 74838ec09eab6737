"""The review and the diff for a terminal, with rich (imported here only, to keep start-up lean)."""

from __future__ import annotations

import io
import shutil

from ae_coach.i18n import t, term
from ae_coach.pipeline.diff import KINDS, PipelineDiff, describe
from ae_coach.pipeline.model import PipelineReview
from ae_coach.pipeline.narrative import PipelineSummary
from ae_coach.pipeline.render._tables import (
    Table,
    all_tables,
    import_notes,
    inspect_line,
    money,
    source_line,
    summary_footer,
    summary_title,
    title,
)
from ae_coach.render.terminal import print_indented, safe_console

_COLOURS = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "blue", "info": "dim"}


def _console(width: int | None, color: bool = False):
    # Rendered to a string; ANSI colour only when the caller prints to a terminal (NO_COLOR still wins).
    width = width or shutil.get_terminal_size((120, 40)).columns
    return safe_console(
        file=io.StringIO(), width=width, force_terminal=color, no_color=None if color else True, highlight=False
    )


def _rich_table(table: Table):
    from rich.table import Table as RichTable

    out = RichTable(title=table.title, title_justify="left", show_lines=False, expand=False)
    for i, header in enumerate(table.headers):
        out.add_column(header, justify="right" if i in table.numeric else "left", overflow="fold")
    for row in table.rows:
        out.add_row(*row, style=None)
    return out


def _print_summary(console, summary: PipelineSummary) -> None:
    from rich.markup import escape

    console.print(summary_title(), style="bold")
    console.print(escape(summary.headline))
    console.print(t("pipeline.inspect_first"), style="bold")
    for n, item in enumerate(summary.inspect_first, 1):
        console.print(f"  {n}. {escape(inspect_line(item))}")
    console.print(escape(t("pipeline.coverage_label", coverage=summary.coverage)))
    console.print(t("pipeline.this_week"), style="bold")
    for action in summary.this_week:
        console.print(f"  - {escape(action)}")
    console.print(escape(summary_footer(summary)), style="dim")
    console.print()


def _severity(severity) -> str:
    word = term(severity)
    return word.upper() if word.isascii() else word


def render_review_terminal(
    review: PipelineReview, width: int | None = None, color: bool = False, summary: PipelineSummary | None = None
) -> str:
    """Text for a terminal, with ANSI colour when ``color``; the coach's summary first when there is one."""
    from rich.markup import escape

    console = _console(width, color)
    console.print(title(review), style="bold")
    console.print(escape(source_line(review)))
    console.print()
    if summary is not None:
        _print_summary(console, summary)
    for finding in review.findings:
        console.print(
            f"[{_COLOURS[finding.severity.value]}]{_severity(finding.severity):8}[/] {finding.code}: {escape(finding.title)}"
        )
        for line in finding.evidence:
            print_indented(console, f"- {line}", 10)
    if not review.findings:
        console.print(t("pipeline.no_findings"))
    for table in all_tables(review):
        console.print()
        console.print(_rich_table(table))
        if table.note:
            console.print(escape(table.note), style="italic")
    notes = import_notes(review)
    if notes:
        console.print()
        console.print(t("pipeline.import_notes"), style="bold")
        for note in notes:
            console.print(f"  {escape(note)}")
    return console.file.getvalue()


def render_diff_terminal(diff: PipelineDiff, width: int | None = None, color: bool = False) -> str:
    from rich.markup import escape

    console = _console(width, color)
    console.print(f"Pipeline changes: {escape(diff.old)} -> {escape(diff.new)}", style="bold")
    console.print(
        f"Open pipeline {money(diff.open_before)} -> {money(diff.open_after)} ({diff.open_after - diff.open_before:+,.0f})"
    )
    console.print("  ".join(f"{k.replace('_', ' ')}: {diff.counts.get(k, 0)}" for k in KINDS))
    for kind in KINDS:
        for change in diff.of(kind):
            console.print(f"  {escape(describe(change))}")
    return console.file.getvalue()
