"""A review in the terminal, with rich: headline, health, forecast, risks, actions, questions, plan."""

from __future__ import annotations

import io
from typing import Any

from ae_coach.i18n import join, t, term

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _label(value: Any) -> str:
    return term(value)


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

        console.rule(t("review.coaching"))
        console.print(Markdown(report.narrative, hyperlinks=False))  # a model's link shows its URL, never hides it
    _findings(console, findings)
    _footer(console, report)
    return buffer.getvalue()


def _header(console: Any, report: Any) -> None:
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    body.append(report.headline + "\n\n", style="bold")  # Text.append takes plain text: no markup parsing
    body.append(t("review.health", score=report.health.score), style="bold")
    period = t("review.for_period", period=report.forecast.period) if report.forecast.period else ""
    forecast = t("review.forecast", period=period, category=_label(report.forecast.category))
    body.append(f"   {forecast}   {t('review.as_of', date=report.as_of.isoformat())}\n")
    for reason in report.forecast.reasons:
        body.append(f"  {reason}\n")
    for reason in report.forecast.why_not_commit:
        body.append(f"  {t('review.not_commit', reason=reason)}\n", style="yellow")
    console.print(Panel(body, title=_x(report.account), title_align="left"))


def _table(title: str, *columns: str) -> Any:
    from rich.table import Table

    table = Table(title=t(title), title_justify="left", show_lines=False, expand=True)
    for column in columns:
        table.add_column(t(f"column.{column}"), overflow="fold")
    return table


def _risks(console: Any, report: Any) -> None:
    if not report.risks:
        return
    table = _table("review.risks", "severity", "risk", "rules")
    for r in report.risks:
        sev = str(r.severity)
        table.add_row(f"[{_SEVERITY_STYLE.get(sev, '')}]{_label(sev)}[/]", _x(r.title), _x(", ".join(r.rule_ids)))
    console.print(table)


def _actions(console: Any, report: Any) -> None:
    if not report.next_actions:
        return
    table = _table("review.next_actions", "due", "action", "owner_with", "rule")
    for a in report.next_actions:
        who = _x(a.owner) + ("\n" + _x(t("review.with", contact=a.contact)) if a.contact else "")
        table.add_row(
            a.due.isoformat() if a.due else "-",
            f"{_x(a.action)}\n[dim]{_x(t('review.why', why=a.why))}[/]",
            who,
            _x(a.rule_id),
        )
    console.print(table)


def _questions(console: Any, report: Any) -> None:
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]
    if buyer:
        table = _table("review.questions_buyer", "ask", "question", "rule")
        for q in buyer:
            who = join(x for x in (q.stakeholder, _label(q.role) if q.role else None) if x) or "-"
            table.add_row(_x(who), _x(q.question), _x(q.rule_id))
        console.print(table)
    if review:  # a manager's questions to the AE: never addressed to anyone on the buyer's side
        table = _table("review.questions_ae", "question", "rule")
        for q in review:
            table.add_row(_x(q.question), _x(q.rule_id))
        console.print(table)


def _plan(console: Any, report: Any) -> None:
    if not report.mutual_action_plan:
        return
    table = _table("review.plan", "date", "step", "owner", "status")
    for s in report.mutual_action_plan:
        status = _label(s.status)
        style = "red" if s.status == "at_risk" else "green" if s.status == "done" else ""
        owner = f"{_x(s.owner)} ({_label(s.side)})"
        table.add_row(s.date.isoformat(), _x(s.action), owner, f"[{style}]{status}[/]" if style else status)
    console.print(table)


def _findings(console: Any, findings: list[Any]) -> None:
    from rich.text import Text

    console.rule(t("review.findings"))
    for f in findings:
        sev = str(f.severity)
        head = Text.from_markup(f"[{_SEVERITY_STYLE.get(sev, '')}]{_label(sev):>8}[/] ").append(f"{f.code}: {f.title}")
        console.print(head)
        for line in f.evidence:
            print_indented(console, f"- {line}", 11)


def print_indented(console: Any, text: str, indent: int) -> None:
    """``text`` (plain, never markup) indented, its wrapped lines hanging under it rather than at the margin."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(Padding(Text(text), (0, 0, 0, indent), expand=False))


def _footer(console: Any, report: Any) -> None:
    parts = [t("review.backend", backend=report.backend)] + (
        [t("review.model", model=report.model)] if report.model else []
    )
    if report.usage:
        u = report.usage
        parts.append(
            t(
                "review.tokens",
                input=u.input_tokens,
                output=u.output_tokens,
                read=u.cache_read_input_tokens,
                write=u.cache_creation_input_tokens,
            )
        )
    if report.estimated_cost_usd is not None:
        parts.append(t("review.cost", cost=f"{report.estimated_cost_usd:.4f}"))
    elif report.cost_note:
        parts.append(report.cost_note)
    if report.dropped_rule_ids:
        parts.append(t("review.dropped", ids=", ".join(report.dropped_rule_ids)))
    console.print("  ".join(parts), style="dim", markup=False)
