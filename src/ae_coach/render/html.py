"""A self-contained HTML report: one file, inline CSS, no scripts, fonts or images from anywhere else.

Every value from the deal is escaped: notes and names are untrusted text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ae_coach.i18n import current, join, t, term
from ae_coach.render._also import action_reason, also_line, asked, made_by, record_warning

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
    return escape("" if value is None else str(value))


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(t(f'column.{h}'))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _sev(value: Any) -> str:
    v = _e(value)
    return f'<span class="sev {v}">{_e(term(v))}</span>'


def to_html(report: Any, findings: list[Any], since: Any = None, assessment: Any = None) -> str:
    """Render the review as one standalone HTML document (``since``: what changed, with a health sparkline;
    ``assessment``: the inspector's, for the MEDDPICC scorecard and the activity timeline)."""
    from ae_coach.render import _deal_visuals as visuals
    from ae_coach.render.since import since_html

    parts = [
        f"<h1>{_e(t('review.title', account=report.account))}</h1>",
        f'<p class="headline">{_e(report.headline)}</p>',
        f"<p>{_e(report.decides)}</p>" if getattr(report, "decides", None) else "",
        f'<p class="warning"><strong>{_e(warning)}</strong></p>' if (warning := record_warning(findings)) else "",
        (
            f'<p><span class="score {visuals.band(report.health.score)}">{report.health.score}/100</span> &nbsp; '
            f"{_e(t('review.recommended_forecast'))}: <strong>{_e(term(report.forecast.category))}</strong> "
            f'<span class="meta">{_e(t("review.as_of", date=report.as_of.isoformat()))}</span></p>'
        ),
    ]
    parts.append(visuals.health_chart(report))
    if report.forecast.reasons:
        parts.append("<ul>" + "".join(f"<li>{_e(r)}</li>" for r in report.forecast.reasons) + "</ul>")
    if report.forecast.why_not_commit:
        parts.append(
            "<ul>"
            + "".join(f"<li>{_e(t('review.not_commit', reason=r))}</li>" for r in report.forecast.why_not_commit)
            + "</ul>"
        )
    if since is not None:
        parts.append(since_html(since))
    parts.append(
        f"<h2>{_e(t('review.why_health'))}</h2><ul>"
        + "".join(f"<li>{_e(r)}</li>" for r in report.health.reasons or [t("review.no_reasons")])
        + "</ul>"
    )
    if assessment is not None:
        parts.append(visuals.scorecard(assessment))
    if report.narrative:
        parts.append(f'<h2>{_e(t("review.coaching"))}</h2><div class="narrative">{_e(report.narrative)}</div>')
    parts += _sections(report, findings)
    if assessment is not None:
        parts.insert(len(parts) - 1, visuals.activity_timeline(assessment, report))  # before the findings
    parts.append(f"<footer>{_footer(report)}</footer>")
    title = _e(t("review.title", account=report.account))
    lang = "zh-CN" if current() == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}{visuals.CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _h2(key: str) -> str:
    return f"<h2>{_e(t(key))}</h2>"


def _sections(report: Any, findings: list[Any]) -> list[str]:
    out = []
    if report.risks:
        rows = [[_sev(r.severity), _e(r.title), _e(", ".join(r.rule_ids))] for r in report.risks]
        out.append(_h2("review.risks") + _table(["severity", "risk", "rules"], rows))
        also = also_line(report)
        if also:
            out.append(f"<p>{_e(also[0])} <code>{_e(also[1])}</code></p>")
    if report.next_actions:
        rows = [
            [
                _e(a.due.isoformat() if a.due else ""),
                f'{_action(a)}<div class="why">{_e(t("review.why", why=action_reason(a)))}</div>',
                _e(a.owner) + (f"<br>{_e(t('review.with', contact=a.contact))}" if a.contact else ""),
                f"<code>{_e(', '.join(a.rule_ids))}</code>",
            ]
            for a in report.next_actions
        ]
        out.append(_h2("review.next_actions") + _table(["due", "action", "owner", "rule"], rows))
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]  # a manager's questions to the AE
    if buyer:
        rows = [
            [
                _e(join(x for x in (q.stakeholder, term(q.role) if q.role else None) if x)),
                _e(asked(q)),
                f"<code>{_e(q.rule_id)}</code>",
            ]
            for q in buyer
        ]
        out.append(_h2("review.questions_buyer") + _table(["ask", "question", "rule"], rows))
    if review:
        rows = [[_e(asked(q)), f"<code>{_e(q.rule_id)}</code>"] for q in review]
        out.append(_h2("review.questions_ae") + _table(["question", "rule"], rows))
    if report.mutual_action_plan:
        rows = [
            [
                _e(s.shown_date()),
                _e(s.action) + (f'<div class="why">{_e(s.note)}</div>' if s.note else ""),
                _e(term(s.side)),
                _e(s.owner),
                f'<span class="{_e(s.status)}">{_e(term(s.status))}</span>',
            ]
            for s in report.mutual_action_plan
        ]
        out.append(_h2("review.plan") + _table(["date", "step", "side", "owner", "status"], rows))
    rows = [
        [
            _sev(f.severity),
            f"<code>{_e(f.code)}</code>",
            _e(f.title) + "".join(f'<div class="why">{_e(e)}</div>' for e in f.evidence),
            _e(", ".join(f.rules)),
        ]
        for f in findings
    ]
    out.append(_h2("review.findings") + _table(["severity", "code", "finding", "rules"], rows))
    return out


def _footer(report: Any) -> str:
    from ae_coach.render.markdown import _tokens

    parts = [made_by(report)]
    if report.usage:
        parts.append(_tokens(report.usage))
    if report.estimated_cost_usd is not None:
        parts.append(t("footer.html_cost", cost=f"{report.estimated_cost_usd:.4f}", note=report.cost_note))
    elif report.cost_note:
        parts.append(report.cost_note)
    if report.dropped_rule_ids:
        parts.append(t("footer.html_dropped", ids=", ".join(report.dropped_rule_ids)))
    parts.append(t("review.generated"))
    return _e(t("footer.separator").join(parts))


def _action(action: Any) -> str:
    """An action's text; one conversation's asks as a numbered list under its head, one ask an item."""
    if not action.points:
        return _e(action.action)
    items = "".join(f"<li>{_e(point)}</li>" for point in action.points)
    return f"{_e(t('review.conversation_head', count=len(action.points)))}<ol>{items}</ol>"
