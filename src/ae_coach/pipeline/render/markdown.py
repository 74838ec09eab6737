"""The manager's review pack as markdown (paste into a doc, a ticket or a chat)."""

from __future__ import annotations

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


def _cell(text: str) -> str:
    # CRM text is untrusted: keep it from breaking the table or injecting markup (links, images, HTML).
    from ae_coach._untrusted import markdown_text

    return markdown_text(text)


def table_markdown(table: Table) -> str:
    lines = [f"## {table.title}", ""]
    if table.rows:
        lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
        lines.append("|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.headers))) + "|")
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", f"_{_cell(table.note)}_"]
    return "\n".join(lines)


def summary_markdown(summary: PipelineSummary) -> list[str]:
    """The coach's summary section (model text is escaped like CRM text: it may quote it)."""
    parts = [f"## {summary_title()}", "", f"**{_cell(summary.headline)}**", "", t("pipeline.inspect_first"), ""]
    parts += [f"{n}. {_cell(inspect_line(item))}" for n, item in enumerate(summary.inspect_first, 1)]
    parts += ["", _cell(t("pipeline.coverage_label", coverage=summary.coverage)), "", t("pipeline.this_week"), ""]
    parts += [f"- {_cell(action)}" for action in summary.this_week]
    return [*parts, "", f"_{_cell(summary_footer(summary))}_", ""]


def render_review_markdown(review: PipelineReview, summary: PipelineSummary | None = None) -> str:
    """The review pack: the coach's summary (if any), findings, then math, coverage, roll-up, mix, risks,
    owners, gaps, import notes."""
    parts = [f"# {title(review)}", "", f"{t('pipeline.source_label')}: {_cell(source_line(review))}", ""]
    if summary is not None:
        parts += summary_markdown(summary)
    parts += [f"## {t('review.findings')}", ""]
    if not review.findings:
        parts.append(t("pipeline.no_findings"))
    for finding in review.findings:
        parts.append(f"- **{term(finding.severity)}** `{finding.code}`: {_cell(finding.title)}")
        parts += [f"  - {_cell(e)}" for e in finding.evidence]
        if finding.rules:
            parts.append(f"  - {t('review.rules_of_finding', rules=', '.join(finding.rules))}")
    for table in all_tables(review):
        parts += ["", table_markdown(table)]
    notes = import_notes(review)
    if notes:
        parts += ["", f"## {t('pipeline.import_notes')}", ""] + [f"- {_cell(n)}" for n in notes]
    return "\n".join(parts) + "\n"


def render_diff_markdown(diff: PipelineDiff) -> str:
    """Every change, grouped by class, with the open-pipeline totals before and after."""
    parts = [
        f"# Pipeline changes: {_cell(diff.old)} -> {_cell(diff.new)}",
        "",
        f"Open pipeline {money(diff.open_before)} -> {money(diff.open_after)} ({diff.open_after - diff.open_before:+,.0f})",
        "",
        "| change | deals |",
        "|---|---:|",
    ]
    parts += [f"| {kind.replace('_', ' ')} | {diff.counts.get(kind, 0)} |" for kind in KINDS]
    for kind in KINDS:
        changes = diff.of(kind)
        if changes:
            parts += ["", f"## {kind.replace('_', ' ').capitalize()} ({len(changes)})", ""]
            parts += [f"- {_cell(describe(c))}" + (f" (owner: {_cell(c.owner)})" if c.owner else "") for c in changes]
    return "\n".join(parts) + "\n"
