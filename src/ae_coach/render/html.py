"""A self-contained HTML report: one file, inline CSS, no scripts, fonts or images from anywhere else.

Every value from the deal is escaped: notes and names are untrusted text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ae_coach.render.markdown import NO_REASONS

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;
color:#1d2330;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
.headline{font-size:1.1rem;font-weight:600}.meta{color:#556}
.score{display:inline-block;font-size:1.6rem;font-weight:700;padding:.2rem .6rem;border-radius:.4rem;background:#eef}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border-bottom:1px solid #e3e6ee;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f5f6fa}
.sev{font-weight:600;text-transform:uppercase;font-size:.8rem}.critical{color:#b00020}.high{color:#d0342c}
.medium{color:#b26a00}.low{color:#2a6f97}.info{color:#667}.at_risk{color:#b00020}.done{color:#2e7d32}
code{background:#f1f2f6;padding:0 .25rem;border-radius:.2rem}.why{color:#556;font-size:.85rem}
.narrative{white-space:pre-wrap;background:#fafbfd;border-left:3px solid #99a;padding:.6rem 1rem}
footer{margin-top:2rem;color:#667;font-size:.85rem}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(getattr(value, "value", value)))


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _sev(value: Any) -> str:
    v = _e(value)
    return f'<span class="sev {v}">{v}</span>'


def to_html(report: Any, findings: list[Any], since: Any = None, assessment: Any = None) -> str:
    """Render the review as one standalone HTML document (``since``: what changed, with a health sparkline;
    ``assessment``: the inspector's, for the MEDDPICC scorecard and the activity timeline)."""
    from ae_coach.render import _deal_visuals as visuals
    from ae_coach.render.since import since_html

    parts = [
        f"<h1>Deal review: {_e(report.account)}</h1>",
        f'<p class="headline">{_e(report.headline)}</p>',
        (
            f'<p><span class="score {visuals.band(report.health.score)}">{report.health.score}/100</span> &nbsp; Recommended forecast: '
            f"<strong>{_e(report.forecast.category).replace('_', ' ')}</strong> "
            f'<span class="meta">as of {report.as_of.isoformat()}</span></p>'
        ),
    ]
    parts.append(visuals.health_chart(report))
    if report.forecast.reasons:
        parts.append("<ul>" + "".join(f"<li>{_e(r)}</li>" for r in report.forecast.reasons) + "</ul>")
    if report.forecast.why_not_commit:
        parts.append(
            "<ul>" + "".join(f"<li>Not Commit: {_e(r)}</li>" for r in report.forecast.why_not_commit) + "</ul>"
        )
    if since is not None:
        parts.append(since_html(since))
    parts.append(
        "<h2>Why this health score</h2><ul>"
        + "".join(f"<li>{_e(r)}</li>" for r in report.health.reasons or [NO_REASONS])
        + "</ul>"
    )
    if assessment is not None:
        parts.append(visuals.scorecard(assessment))
    if report.narrative:
        parts.append(f'<h2>Coaching</h2><div class="narrative">{_e(report.narrative)}</div>')
    parts += _sections(report, findings)
    if assessment is not None:
        parts.insert(len(parts) - 1, visuals.activity_timeline(assessment, report))  # before the findings
    parts.append(f"<footer>{_footer(report)}</footer>")
    title = f"Deal review: {_e(report.account)}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}{visuals.CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _sections(report: Any, findings: list[Any]) -> list[str]:
    out = []
    if report.risks:
        rows = [
            [_sev(r.severity), _e(r.title), _e(", ".join(r.finding_codes)), _e(", ".join(r.rule_ids))]
            for r in report.risks
        ]
        out.append("<h2>Risks</h2>" + _table(["severity", "risk", "findings", "rules"], rows))
    if report.next_actions:
        rows = [
            [
                _e(a.due.isoformat() if a.due else ""),
                f'{_e(a.action)}<div class="why">why: {_e(a.why)}</div>',
                _e(a.owner) + (f"<br>with {_e(a.contact)}" if a.contact else ""),
                f"<code>{_e(a.rule_id)}</code>",
            ]
            for a in report.next_actions
        ]
        out.append("<h2>Next actions</h2>" + _table(["due", "action", "owner", "rule"], rows))
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]  # a manager's questions to the AE
    if buyer:
        rows = [
            [_e(", ".join(x for x in (q.stakeholder, q.role) if x)), _e(q.question), f"<code>{_e(q.rule_id)}</code>"]
            for q in buyer
        ]
        out.append("<h2>Questions to ask the buyer</h2>" + _table(["ask", "question", "rule"], rows))
    if review:
        rows = [[_e(q.question), f"<code>{_e(q.rule_id)}</code>"] for q in review]
        out.append("<h2>Deal-review questions for you (the AE)</h2>" + _table(["question", "rule"], rows))
    if report.mutual_action_plan:
        rows = [
            [
                s.date.isoformat(),
                _e(s.action) + (f'<div class="why">{_e(s.note)}</div>' if s.note else ""),
                _e(s.side),
                _e(s.owner),
                f'<span class="{_e(s.status)}">{_e(s.status).replace("_", " ")}</span>',
            ]
            for s in report.mutual_action_plan
        ]
        out.append("<h2>Mutual action plan (draft)</h2>" + _table(["date", "step", "side", "owner", "status"], rows))
    rows = [
        [
            _sev(f.severity),
            f"<code>{_e(f.code)}</code>",
            _e(f.title) + "".join(f'<div class="why">{_e(e)}</div>' for e in f.evidence),
            _e(", ".join(f.rules)),
        ]
        for f in findings
    ]
    out.append("<h2>Findings</h2>" + _table(["severity", "code", "finding", "rules"], rows))
    return out


def _footer(report: Any) -> str:
    text = f"Backend: {_e(report.backend)}" + (f", model {_e(report.model)}" if report.model else "")
    if report.usage:
        u = report.usage
        text += (
            f". Tokens: {u.input_tokens} in, {u.output_tokens} out, {u.cache_read_input_tokens} cache read, "
            f"{u.cache_creation_input_tokens} cache write"
        )
    if report.estimated_cost_usd is not None:
        text += f". Estimated cost ${report.estimated_cost_usd:.4f} ({_e(report.cost_note)})"
    elif report.cost_note:
        text += f". {_e(report.cost_note)}"
    if report.dropped_rule_ids:
        text += f". Dropped unknown rule ids: {_e(', '.join(report.dropped_rule_ids))}"
    return text + ". Generated by ae-coach."
