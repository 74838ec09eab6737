"""The "since <date>" block: what changed since the deal's previous review, in every review format.

One list of plain lines (``since_lines``) feeds the terminal and markdown; HTML gets the same lines and a
small inline SVG sparkline of health over past reviews (no script, no external asset).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from ae_coach.i18n import t, term

if TYPE_CHECKING:
    from ae_coach.history import Since

_OUTCOME = ("done", "scheduled", "open", "missed")
"""How last review's action turned out; each a ``since.outcome.*`` message."""
_ACTION_CHARS = 70


def _label(value: str) -> str:
    return term(value)


def since_title(since: Since) -> str:
    return t("since.title", date=since.previous_as_of.isoformat(), days=since.days)


def since_lines(since: Since) -> list[str]:
    """What changed, one short line per movement, most telling first."""
    delta = since.health_delta
    health = t("since.health", before=since.health_before, after=since.health_after, delta=f"{delta:+d}")
    lines = [health if delta else t("since.health_same")]
    if since.call_before != since.call_after:
        lines.append(t("since.call", before=_label(since.call_before), after=_label(since.call_after)))
    if since.stage_before != since.stage_after:
        lines.append(t("since.stage", before=_label(since.stage_before), after=_label(since.stage_after)))
    if since.close_date_moved:
        before = since.close_date_before.isoformat() if since.close_date_before else t("rules.none")
        after = since.close_date_after.isoformat() if since.close_date_after else t("rules.none")
        pushed = since.close_date_before and since.close_date_after and since.close_date_after > since.close_date_before
        lines.append(t("since.close_pushed" if pushed else "since.close_moved", before=before, after=after))
    lines += [
        t("since.new_finding", severity=_label(f.severity), title=f.title, code=f.code) for f in since.new_findings
    ]
    lines += [t("since.resolved", title=f.title, code=f.code) for f in since.resolved_findings]
    lines += [f"{f.code}: {_label(f.before)} → {_label(f.after)}" for f in since.changed_findings]
    lines += [t("since.new_person", name=p.name, role=_label(p.role)) for p in since.new_stakeholders]
    lines += [t("since.gone_person", name=p.name, role=_label(p.role)) for p in since.gone_stakeholders]
    lines += [
        t("since.quiet_person", name=p.name, role=_label(p.role), date=p.last_two_way)
        for p in since.silent_stakeholders
    ]
    lines += _action_lines(since)
    if since.same_snapshot:
        lines.append(t("since.same_snapshot"))
    return lines


def _short(text: str) -> str:
    return text if len(text) <= _ACTION_CHARS else text[: _ACTION_CHARS - 1].rstrip() + "…"


def _action_lines(since: Since) -> list[str]:
    """One line per (person, outcome): four actions checked against one meeting are one line, not four."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    unverifiable = 0
    for a in since.actions:
        if a.status == "unverifiable":
            unverifiable += 1
        else:
            groups.setdefault((a.person or "", a.status, a.evidence or ""), []).append(a)
    lines = []
    for (person, status, evidence), actions in groups.items():
        one = t("since.one_action", action=_short(actions[0].action))
        what = one if len(actions) == 1 else t("since.actions", count=len(actions))
        due = min((a.due for a in actions if a.due), default=None)
        when = t("since.due", date=due.isoformat()) if due else ""
        outcome = t(f"since.outcome.{status}", evidence=evidence)
        lines.append(t("since.action", what=what, person=person, when=when, outcome=outcome))
    if unverifiable:
        lines.append(t("since.unverifiable", count=unverifiable))
    return lines


def since_terminal(console: Any, since: Since | None) -> None:
    """Print the block with rich (plain text: deal text never becomes markup)."""
    if since is None:
        return
    from rich.padding import Padding
    from rich.text import Text

    console.print(Text(since_title(since), style="bold"))
    for line in since_lines(since):
        console.print(Padding(Text(f"- {line}"), (0, 0, 0, 2), expand=False))


def since_markdown(since: Since | None) -> list[str]:
    if since is None:
        return []
    from ae_coach._untrusted import markdown_text

    return ["", f"## {markdown_text(since_title(since))}", ""] + [
        f"- {markdown_text(line)}" for line in since_lines(since)
    ]


def since_html(since: Since | None) -> str:
    if since is None:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in since_lines(since))
    return f"<h2>{escape(since_title(since))} {sparkline([p.health for p in since.trend])}</h2><ul>{items}</ul>"


def sparkline(values: list[int], width: int = 120, height: int = 24) -> str:
    """Health values (0-100, oldest first) as an inline SVG polyline with the latest point marked."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    points = [(round(i * step, 1), round(height - 2 - (v / 100) * (height - 4), 1)) for i, v in enumerate(values)]
    path = " ".join(f"{x},{y}" for x, y in points)
    last_x, last_y = points[-1]
    label = "Health over reviews: " + ", ".join(str(v) for v in values)
    return (
        f'<svg class="sparkline" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="vertical-align:middle;overflow:visible">'
        f"<title>{escape(label)}</title>"
        f'<polyline fill="none" stroke="#4a5fc1" stroke-width="2" points="{path}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="#4a5fc1"/></svg>'
    )
