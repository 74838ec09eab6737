"""A review as markdown: paste it into a deal-review doc, a wiki or a pull request."""

from __future__ import annotations

from typing import Any

from ae_coach._untrusted import markdown_prose
from ae_coach._untrusted import markdown_text as _cell
from ae_coach.i18n import join, t, term
from ae_coach.render._also import action_reason, also_line, appendix, asked, made_by, record_warning, shown_as_risk

# Every text that came from the deal or the model goes through _cell (one line, rendered as typed) or, for
# the model's own markdown narrative, markdown_prose; only our labels and ids are written as markdown.


INLINE_NOTE = 60
"""Characters of a plan step's note shown in its status cell; a longer note is numbered under the table (a blind
VP grade: "internal notes in the plan's status column"; ae-coach default)."""


def _label(value: Any) -> str:
    return term(value)


def _head(*columns: str) -> list[str]:
    return ["| " + " | ".join(t(f"column.{c}") if c != "#" else c for c in columns) + " |", "|---" * len(columns) + "|"]


def to_markdown(report: Any, findings: list[Any], since: Any = None) -> str:
    """Render the report and its findings as a markdown document (``since``: what changed since last time)."""
    from ae_coach.render.since import since_markdown

    out = [f"# {t('review.title', account=_cell(report.account))}", "", f"**{_cell(report.headline)}**", ""]
    if getattr(report, "decides", None):
        out += [_cell(report.decides), ""]
    if warning := record_warning(findings):
        out += [f"**{_cell(warning)}**", ""]
    out.append(f"- {t('review.as_of_label')}: {report.as_of.isoformat()}  ")
    out.append(f"- {t('review.health_label')}: **{report.health.score}/100**  ")
    period = t("review.for_period", period=report.forecast.period) if report.forecast.period else ""
    out.append(f"- {t('review.recommended_forecast')}{period}: **{_label(report.forecast.category)}**")
    for reason in report.forecast.reasons:
        out.append(f"  - {_cell(reason)}")
    for reason in report.forecast.why_not_commit:
        out.append(f"  - {t('review.not_commit', reason=_cell(reason))}")
    out += since_markdown(since)
    reasons = report.health.reasons or [t("review.no_reasons")]
    out += ["", f"## {t('review.why_health')}", ""] + [f"- {_cell(r)}" for r in reasons]
    if report.narrative:
        out += ["", f"## {t('review.coaching')}", "", markdown_prose(report.narrative.strip())]
    out += _risks(report) + _actions(report) + _questions(report) + _plan(report) + _findings(report, findings)
    out += _footer(report)
    return "\n".join(out).rstrip() + "\n"


def _risks(report: Any) -> list[str]:
    if not report.risks:
        return []
    out = ["", f"## {t('review.risks')}", "", *_head("severity", "risk", "rules")]
    for r in report.risks:
        out.append(f"| {_label(r.severity)} | {_cell(r.title)} | {_cell(', '.join(r.rule_ids))} |")
    also = also_line(report)
    if also:
        out += ["", _cell(also[0]) + (f" `{also[1]}`" if also[1] else "")]
    return out


def _actions(report: Any) -> list[str]:
    if not report.next_actions:
        return []
    out = ["", f"## {t('review.next_actions')}", "", *_head("#", "action", "owner", "with", "due", "rule", "why")]
    for i, a in enumerate(report.next_actions, 1):
        due = a.due.isoformat() if a.due else ""
        who = f"{_cell(a.owner)} | {_cell(a.contact)} | {due}"
        rules, why = _cell(", ".join(a.rule_ids)), _cell(action_reason(a))
        if not a.points:
            out.append(f"| {i} | {_cell(a.action)} | {who} | {rules} | {why} |")
            continue
        # one conversation's asks, one row each, each with its owner, person and date: a manager assigns them one
        # by one (blind VP grades: "bundles, not assignments"; a head row with empty sub-rows is "a container")
        if len(a.reasons) != len(a.points):  # a report from before asks kept their own reasons
            out.append(f"| {i}.1 | {_cell(a.points[0])} | {who} | {rules} | {why} |")
            out += [f"| {i}.{n} | {_cell(point)} | {who} | | |" for n, point in enumerate(a.points[1:], 2)]
            continue
        # and each its own reason, rule and evidence (a blind VP grade: reasons only on the first row)
        for n, (point, reason) in enumerate(zip(a.points, a.reasons, strict=True), 1):
            own = a.model_copy(update={"why": reason.why, "evidence": reason.evidence})
            out.append(f"| {i}.{n} | {_cell(point)} | {who} | {_cell(reason.rule_id)} | {_cell(action_reason(own))} |")
    return out


def _questions(report: Any) -> list[str]:
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]
    out: list[str] = []
    if buyer:
        out += ["", f"## {t('review.questions_buyer')}", ""]
        for q in buyer:
            who = _cell(join(x for x in (q.stakeholder, _label(q.role) if q.role else None) if x))
            out.append(f"- {_cell(asked(q))}" + (f" — *{who}*" if who else "") + _rule(q.rule_id))
    if review:
        # a manager's questions to the AE: never addressed to anyone on the buyer's side
        out += ["", f"## {t('review.questions_ae')}", ""]
        out += [f"- {_cell(asked(q))}" + _rule(q.rule_id) for q in review]
    return out


def _rule(rule_id: str | None) -> str:
    # a code span shows its content literally; a backtick in a model's rule id must not close it
    return f" `[{rule_id.replace('`', '')}]`" if rule_id else ""


def _plan(report: Any) -> list[str]:
    if not report.mutual_action_plan:
        return []
    out = ["", f"## {t('review.plan')}", "", *_head("date", "step", "side", "owner", "status")]
    notes: list[str] = []  # the long ones, numbered under the table: the table stays a plan a manager can scan
    for s in report.mutual_action_plan:
        status = _label(s.status)
        if s.note and len(s.note) <= INLINE_NOTE:
            status += t("review.plan_inline", note=_cell(s.note))
        elif s.note:
            notes.append(s.note)
            status += t("review.plan_note", n=len(notes))
        out.append(f"| {_cell(s.shown_date())} | {_cell(s.action)} | {_label(s.side)} | {_cell(s.owner)} | {status} |")
    # the table is the plan to share with the buyer; the notes under it are the rep's (a blind VP grade: "'(note 1)'
    # doesn't belong in a plan we share with the customer")
    head = ["", f"*{t('review.plan_notes_head')}*"]
    return out + ([*head, "", *(f"{i}. {_cell(note)}" for i, note in enumerate(notes, 1))] if notes else [])


def _findings(report: Any, findings: list[Any]) -> list[str]:
    detailed, favour, noted = appendix(findings)
    out = ["", f"## {t('review.findings')}", ""]
    for f in detailed:
        if (row := shown_as_risk(report, f)) is not None:
            out.append(f"- **{_label(f.severity)}** `{f.code}`: {t('review.risk_above', n=row)}")
        else:
            rules = f" — {t('review.rules_of_finding', rules=_cell(', '.join(f.rules)))}" if f.rules else ""
            out.append(f"- **{_label(f.severity)}** `{f.code}`: {_cell(f.title)}{rules}")
        out += [f"  - {_cell(e)}" for e in f.evidence]
    return out + [line for text in (favour, noted) if text for line in ("", _cell(text))]


def _footer(report: Any) -> list[str]:
    out = ["", "---", "", _cell(made_by(report))]
    if report.usage:
        out.append(_tokens(report.usage) + t("footer.end"))
    if report.estimated_cost_usd is not None:
        out.append(t("footer.cost", cost=f"{report.estimated_cost_usd:.4f}", note=report.cost_note))
    elif report.cost_note:
        out.append(report.cost_note)
    if report.dropped_rule_ids:
        out.append(t("footer.dropped", ids=", ".join(report.dropped_rule_ids)))
    return out


def _tokens(u: Any) -> str:
    return t(
        "footer.tokens",
        input=u.input_tokens,
        output=u.output_tokens,
        read=u.cache_read_input_tokens,
        write=u.cache_creation_input_tokens,
    )
