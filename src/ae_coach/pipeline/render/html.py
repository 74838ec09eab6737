"""The review pack as one self-contained HTML file: inline CSS and SVG charts (``ae_coach.render.charts``), no
scripts, no external URLs."""

from __future__ import annotations

from html import escape

from ae_coach.i18n import t
from ae_coach.pipeline.model import PipelineReview
from ae_coach.pipeline.narrative import PipelineSummary
from ae_coach.pipeline.render import _visuals as visuals
from ae_coach.pipeline.render._tables import (
    Table,
    all_tables,
    import_notes,
    inspect_line,
    source_line,
    summary_footer,
    summary_title,
    title,
)

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{padding:.3rem .5rem;border-bottom:1px solid #eceff4;text-align:left;vertical-align:top}
th{background:#f5f7fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:600;text-transform:uppercase;font-size:.75rem;padding:.1rem .35rem;border-radius:.2rem;color:#fff}
.critical{background:#a4161a}.high{background:#d9480f}.medium{background:#e8a317}.low{background:#5c7cfa}.info{background:#868e96}
.charts{display:flex;gap:2rem;flex-wrap:wrap}.note{color:#5c6370;font-style:italic}code{background:#f1f3f5;padding:0 .2rem}
"""


def _table_html(table: Table) -> str:
    parts = [f"<h2>{escape(table.title)}</h2>"]
    if table.rows:
        parts.append(
            "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.headers) + "</tr></thead><tbody>"
        )
        for row in table.rows:
            cells = "".join(
                f"<td{' class=n' if i in table.numeric else ''}>{escape(c)}</td>" for i, c in enumerate(row)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    return "".join(parts)


def _findings_html(review: PipelineReview) -> str:
    if not review.findings:
        return f"<p>{escape(t('pipeline.no_findings'))}</p>"
    items = []
    for f in review.findings:
        evidence = "".join(f"<li>{escape(e)}</li>" for e in f.evidence)
        rules = f'<li class="note">rules: {escape(", ".join(f.rules))}</li>' if f.rules else ""
        items.append(
            f'<li><span class="sev {f.severity.value}">{f.severity.value}</span> <code>{escape(f.code)}</code> '
            f"{escape(f.title)}<ul>{evidence}{rules}</ul></li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def _summary_html(summary: PipelineSummary | None) -> str:
    if summary is None:
        return ""
    deals = "".join(f"<li>{escape(inspect_line(item))}</li>" for item in summary.inspect_first)
    actions = "".join(f"<li>{escape(action)}</li>" for action in summary.this_week)
    return (
        f"<h2>{escape(summary_title())}</h2><p><strong>{escape(summary.headline)}</strong></p>"
        f"<h3>{escape(t('pipeline.inspect_first'))}</h3><ol>{deals}</ol>"
        f"<p>{escape(t('pipeline.coverage_label', coverage=summary.coverage))}</p>"
        f"<h3>{escape(t('pipeline.this_week'))}</h3><ul>{actions}</ul>"
        f'<p class="note">{escape(summary_footer(summary))}</p>'
    )


def render_review_html(review: PipelineReview, summary: PipelineSummary | None = None) -> str:
    """A complete HTML document; CRM text and the model's text are escaped everywhere."""
    notes = import_notes(review)
    tables = all_tables(review)
    at_risk = next(t for t in tables if t.title.startswith("Deals most at risk"))
    body = [
        f"<h1>{escape(title(review))}</h1>",
        f'<p class="note">Source: {escape(source_line(review))}</p>',
        visuals.kpi_tiles(review),
        _summary_html(summary),
        visuals.charts_html(review),
        _table_html(at_risk),
        "<h2>Findings</h2>",
        _findings_html(review),
        *(_table_html(t) for t in tables if t is not at_risk),
    ]
    if notes:
        body.append(
            f"<h2>{escape(t('pipeline.import_notes'))}</h2><ul>"
            + "".join(f"<li>{escape(n)}</li>" for n in notes)
            + "</ul>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title(review))}</title><style>{_CSS}{visuals.CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
