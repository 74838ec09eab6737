"""A review in the terminal, with rich: headline, health, forecast, risks, actions, questions, plan."""

from __future__ import annotations

import io
import shutil
from typing import Any

from ae_coach.i18n import join, t, term
from ae_coach.render._also import also_line, asked

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
    console = safe_console(
        file=buffer, force_terminal=color, no_color=not color, width=width or _width(), highlight=False
    )
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


MAX_WIDTH = 110
"""The widest a review is drawn; a wider terminal gets this width, a narrower one its own."""


def _width() -> int:
    # COLUMNS first, then the terminal's size; when stdout is no terminal (a pipe, a file), MAX_WIDTH
    return min(shutil.get_terminal_size((MAX_WIDTH, 40)).columns, MAX_WIDTH)


def _header(console: Any, report: Any) -> None:
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    body.append(report.headline + "\n\n", style="bold")  # Text.append takes plain text: no markup parsing
    body.append(t("review.health", score=report.health.score), style="bold")
    period = t("review.for_period", period=report.forecast.period) if report.forecast.period else ""
    forecast = t("review.forecast", period=period, category=_label(report.forecast.category))
    body.append(f"   {forecast}   {t('review.as_of', date=report.as_of.isoformat())}")
    # each reason hangs under its own first word when it wraps, rather than at the panel's edge
    lines: list[Any] = [body]
    lines += [Padding(Text(reason), (0, 0, 0, 2)) for reason in report.forecast.reasons]
    lines += [
        Padding(Text(t("review.not_commit", reason=r), style="yellow"), (0, 0, 0, 2))
        for r in report.forecast.why_not_commit
    ]
    console.print(Panel(Group(*lines), title=_x(report.account), title_align="left"))


_SHORT = {"severity", "due", "date", "status"}
"""Columns sized to their content and never wrapped; the rest share the width by _RATIO."""
_RATIO = {"risk": 4, "action": 4, "question": 4, "step": 4}
"""The prose columns get the room; names and rule ids take 2 parts (``_RATIO.get(column, 2)``)."""
_RULES = {"rule", "rules"}
NARROW = 100
"""Below this width a rule id has no room of its own: it goes under the text it belongs to."""


class _Table:
    """A rich table whose rule column, on a narrow terminal, folds into the row's prose column.

    ``title`` and ``columns`` are catalogue keys (``review.risks``; ``column.<name>`` for the headers).
    """

    def __init__(self, console: Any, title: str, *columns: str) -> None:
        from rich.table import Table

        self.narrow = console.width < NARROW and any(c in _RATIO for c in columns)
        self.columns = columns
        self.table = Table(title=t(title), title_justify="left", show_lines=False, expand=True)
        for column in columns:
            if self.narrow and column in _RULES:
                continue
            if column in _SHORT:
                self.table.add_column(t(f"column.{column}"), no_wrap=True)
            else:
                self.table.add_column(t(f"column.{column}"), overflow="fold", ratio=_RATIO.get(column, 2))

    def add_row(self, *cells: str) -> None:
        if not self.narrow:
            self.table.add_row(*cells)
            return
        row = dict(zip(self.columns, cells, strict=True))
        prose = next(c for c in self.columns if c in _RATIO)
        for column in sorted(_RULES & set(row)):
            if row[column]:
                row[prose] += f"\n[dim]{t(f'column.{column}')}: {row[column]}[/]"
        self.table.add_row(*(cell for column, cell in row.items() if column not in _RULES))

    def __rich__(self) -> Any:
        return self.table


def _table(title: str, *columns: str, console: Any) -> _Table:
    return _Table(console, title, *columns)


def _risks(console: Any, report: Any) -> None:
    if not report.risks:
        return
    table = _table("review.risks", "severity", "risk", "rules", console=console)
    for r in report.risks:
        sev = str(r.severity)
        table.add_row(f"[{_SEVERITY_STYLE.get(sev, '')}]{_label(sev)}[/]", _x(r.title), _x(", ".join(r.rule_ids)))
    console.print(table)
    also = also_line(report)
    if also:
        console.print(f"[dim]{_x(also[0])} {_x(also[1])}[/]")


def _actions(console: Any, report: Any) -> None:
    if not report.next_actions:
        return
    table = _table("review.next_actions", "due", "action", "owner_with", "rule", console=console)
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
        table = _table("review.questions_buyer", "ask", "question", "rule", console=console)
        for q in buyer:
            who = join(x for x in (q.stakeholder, _label(q.role) if q.role else None) if x) or "-"
            table.add_row(_x(who), _x(asked(q)), _x(q.rule_id))
        console.print(table)
    if review:  # a manager's questions to the AE: never addressed to anyone on the buyer's side
        table = _table("review.questions_ae", "question", "rule", console=console)
        for q in review:
            table.add_row(_x(asked(q)), _x(q.rule_id))
        console.print(table)


def _plan(console: Any, report: Any) -> None:
    if not report.mutual_action_plan:
        return
    table = _table("review.plan", "date", "step", "owner", "status", console=console)
    for s in report.mutual_action_plan:
        status = _label(s.status)
        style = "red" if s.status == "at_risk" else "green" if s.status == "done" else ""
        owner = f"{_x(s.owner)} ({_label(s.side)})"
        step = _x(s.action) + (f"\n[dim]{_x(s.note)}[/]" if s.note else "")
        table.add_row(s.date.isoformat(), step, owner, f"[{style}]{status}[/]" if style else status)
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
