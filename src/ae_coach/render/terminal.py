"""A review in the terminal, with rich: headline, health, forecast, risks, actions, questions, plan."""

from __future__ import annotations

import io
from typing import Any

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _label(value: Any) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


def _x(value: Any) -> str:
    """Escape text for rich markup: deal text like "[/]" or "[bold]" must print as written, not style."""
    from rich.markup import escape

    return escape("" if value is None else str(value))


def safe_console(**options: Any) -> Any:
    """A rich ``Console`` (same options) that never lets untrusted text drive the terminal.

    Deal files, CRM cells and model answers reach every table and panel; an escape sequence in them could
    retitle the window, clear the screen or plant a hyperlink. Every text segment rich renders passes
    through :func:`ae_coach._untrusted.terminal_safe`; rich's own styling is applied after, from its styles.
    """
    from rich.console import Console
    from rich.segment import Segment

    from ae_coach._untrusted import terminal_safe

    class SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control or text.isprintable() or text == "\n":
                    yield segment
                else:
                    yield Segment(terminal_safe(text), segment.style, segment.control)

    return SafeConsole(**options)


def to_terminal(
    report: Any, findings: list[Any], *, color: bool = False, width: int | None = None, since: Any = None
) -> str:
    """Render for a terminal; ``color`` adds ANSI styles (the CLI turns it on for a TTY)."""
    from ae_coach.render.since import since_terminal

    buffer = io.StringIO()
    console = safe_console(file=buffer, force_terminal=color, no_color=not color, width=width or 110, highlight=False)
    _header(console, report)
    since_terminal(console, since)
    _risks(console, report)
    _actions(console, report)
    _questions(console, report)
    _plan(console, report)
    if report.narrative:
        from rich.markdown import Markdown

        console.rule("Coaching")
        console.print(Markdown(report.narrative, hyperlinks=False))  # a model's link shows its URL, never hides it
    _findings(console, findings)
    _footer(console, report)
    return buffer.getvalue()


def _header(console: Any, report: Any) -> None:
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    body.append(report.headline + "\n\n", style="bold")  # Text.append takes plain text: no markup parsing
    body.append(f"Health {report.health.score}/100", style="bold")
    period = f" for {report.forecast.period}" if report.forecast.period else ""
    body.append(f"   Forecast{period}: {_label(report.forecast.category)}   As of {report.as_of.isoformat()}\n")
    for reason in report.forecast.reasons:
        body.append(f"  {reason}\n")
    for reason in report.forecast.why_not_commit:
        body.append(f"  not Commit: {reason}\n", style="yellow")
    console.print(Panel(body, title=_x(report.account), title_align="left"))


def _table(title: str, *columns: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _risks(console: Any, report: Any) -> None:
    if not report.risks:
        return
    table = _table("Risks", "severity", "risk", "rules")
    for r in report.risks:
        sev = _label(r.severity)
        table.add_row(f"[{_SEVERITY_STYLE.get(sev, '')}]{sev}[/]", _x(r.title), _x(", ".join(r.rule_ids)))
    console.print(table)


def _actions(console: Any, report: Any) -> None:
    if not report.next_actions:
        return
    table = _table("Next actions", "due", "action", "owner / with", "rule")
    for a in report.next_actions:
        who = _x(a.owner) + (f"\nwith {_x(a.contact)}" if a.contact else "")
        table.add_row(
            a.due.isoformat() if a.due else "-", f"{_x(a.action)}\n[dim]why: {_x(a.why)}[/]", who, _x(a.rule_id)
        )
    console.print(table)


def _questions(console: Any, report: Any) -> None:
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]
    if buyer:
        table = _table("Questions to ask the buyer", "ask", "question", "rule")
        for q in buyer:
            who = ", ".join(x for x in (q.stakeholder, _label(q.role) if q.role else None) if x) or "-"
            table.add_row(_x(who), _x(q.question), _x(q.rule_id))
        console.print(table)
    if review:  # a manager's questions to the AE: never addressed to anyone on the buyer's side
        table = _table("Deal-review questions for you (the AE)", "question", "rule")
        for q in review:
            table.add_row(_x(q.question), _x(q.rule_id))
        console.print(table)


def _plan(console: Any, report: Any) -> None:
    if not report.mutual_action_plan:
        return
    table = _table("Mutual action plan (draft)", "date", "step", "owner", "status")
    for s in report.mutual_action_plan:
        status = s.status.replace("_", " ")
        style = "red" if s.status == "at_risk" else "green" if s.status == "done" else ""
        owner = f"{_x(s.owner)} ({s.side})"
        table.add_row(s.date.isoformat(), _x(s.action), owner, f"[{style}]{status}[/]" if style else status)
    console.print(table)


def _findings(console: Any, findings: list[Any]) -> None:
    from rich.text import Text

    console.rule("Findings")
    for f in findings:
        sev = _label(f.severity)
        head = Text.from_markup(f"[{_SEVERITY_STYLE.get(sev, '')}]{sev:>8}[/] ").append(f"{f.code}: {f.title}")
        console.print(head)
        for line in f.evidence:
            print_indented(console, f"- {line}", 11)


def print_indented(console: Any, text: str, indent: int) -> None:
    """``text`` (plain, never markup) indented, its wrapped lines hanging under it rather than at the margin."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(Padding(Text(text), (0, 0, 0, indent), expand=False))


def _footer(console: Any, report: Any) -> None:
    parts = [f"backend: {report.backend}"] + ([f"model: {report.model}"] if report.model else [])
    if report.usage:
        u = report.usage
        parts.append(
            f"tokens in/out/cache-read/cache-write: {u.input_tokens}/{u.output_tokens}/"
            f"{u.cache_read_input_tokens}/{u.cache_creation_input_tokens}"
        )
    if report.estimated_cost_usd is not None:
        parts.append(f"est. cost ${report.estimated_cost_usd:.4f}")
    elif report.cost_note:
        parts.append(report.cost_note)
    if report.dropped_rule_ids:
        parts.append(f"dropped unknown rule ids: {', '.join(report.dropped_rule_ids)}")
    console.print("  ".join(parts), style="dim", markup=False)
