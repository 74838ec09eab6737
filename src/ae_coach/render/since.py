"""The "since <date>" block: what changed since the deal's previous review, in every review format.

One list of plain lines (``since_lines``) feeds the terminal and markdown; HTML gets the same lines and a
small inline SVG sparkline of health over past reviews (no script, no external asset).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ae_coach.history import Since

_OUTCOME = {
    "done": "the record shows a {evidence}",
    "scheduled": "booked: {evidence}",
    "open": "not due yet",
    "missed": "no sign of it: {evidence}",
}
_ACTION_CHARS = 70


def _label(value: str) -> str:
    return value.replace("_", " ")


def since_title(since: Since) -> str:
    return f"Since {since.previous_as_of.isoformat()} ({since.days} days)"


def since_lines(since: Since) -> list[str]:
    """What changed, one short line per movement, most telling first."""
    delta = since.health_delta
    lines = [f"Health {since.health_before} → {since.health_after} ({delta:+d})" if delta else "Health unchanged"]
    if since.call_before != since.call_after:
        lines.append(f"Forecast call {_label(since.call_before)} → {_label(since.call_after)}")
    if since.stage_before != since.stage_after:
        lines.append(f"Stage {_label(since.stage_before)} → {_label(since.stage_after)}")
    if since.close_date_moved:
        before = since.close_date_before.isoformat() if since.close_date_before else "none"
        after = since.close_date_after.isoformat() if since.close_date_after else "none"
        moved = (
            "pushed"
            if since.close_date_before and since.close_date_after and since.close_date_after > since.close_date_before
            else "moved"
        )
        lines.append(f"Close date {moved}: {before} → {after}")
    lines += [f"New {f.severity} finding: {f.title} ({f.code})" for f in since.new_findings]
    lines += [f"Resolved: {f.title} ({f.code})" for f in since.resolved_findings]
    lines += [f"{f.code}: {f.before} → {f.after}" for f in since.changed_findings]
    lines += [f"New stakeholder: {p.name} ({_label(p.role)})" for p in since.new_stakeholders]
    lines += [f"No longer listed: {p.name} ({_label(p.role)})" for p in since.gone_stakeholders]
    lines += [
        f"Gone quiet: {p.name} ({_label(p.role)}), last two-way contact {p.last_two_way}"
        for p in since.silent_stakeholders
    ]
    lines += _action_lines(since)
    if since.same_snapshot:
        lines.append("The deal record has not been edited since")
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
        what = f'"{_short(actions[0].action)}"' if len(actions) == 1 else f"{len(actions)} actions"
        due = min((a.due for a in actions if a.due), default=None)
        when = f", due {due.isoformat()}" if due else ""
        lines.append(f"Last time's {what} with {person}{when}: {_OUTCOME[status].format(evidence=evidence)}")
    if unverifiable:
        lines.append(f"{unverifiable} of last time's actions name no buyer-side person the record could show")
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
    return ["", f"## {since_title(since)}", ""] + [f"- {line}" for line in since_lines(since)]


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
