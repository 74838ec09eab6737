"""A review in the terminal, with rich: headline, health, forecast, risks, actions, questions, plan."""

from __future__ import annotations

import io
import re
import shutil
from typing import Any

from ae_coach.i18n import join, t, term
from ae_coach.render._also import action_reason, also_line, appendix, asked, made_by, record_warning, shown_as_risk

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
    """Render for a terminal; ``color`` adds ANSI styles (the CLI turns it on for a TTY).

    Without colour the review is plain text, laid out without importing rich (``render/_plain.py``) when
    every character of it is one rich measures as one cell; otherwise, and with colour, rich draws it."""
    width = width or _width()
    if not color and not report.narrative:
        from ae_coach.render._plain import Declined

        try:
            return _to_plain(report, findings, width=width, since=since)
        except Declined:
            pass
    return _to_rich(report, findings, color=color, width=width, since=since)


def _to_rich(report: Any, findings: list[Any], *, color: bool, width: int, since: Any) -> str:
    from ae_coach.render.since import since_terminal

    buffer = io.StringIO()
    console = safe_console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False)
    _header(console, report, findings)
    since_terminal(console, since)
    _tables(console, report)
    if report.narrative:
        from rich.markdown import Markdown

        console.rule(t("review.coaching"))
        console.print(Markdown(report.narrative, hyperlinks=False))  # a model's link shows its URL, never hides it
    _findings(console, report, findings)
    console.print(footer(report), style="dim", markup=False)
    return buffer.getvalue()


MAX_WIDTH = 110
"""The widest a review is drawn; a wider terminal gets this width, a narrower one its own."""


def _width() -> int:
    # COLUMNS first, then the terminal's size; when stdout is no terminal (a pipe, a file), MAX_WIDTH
    return min(shutil.get_terminal_size((MAX_WIDTH, 40)).columns, MAX_WIDTH)


def _headline(report: Any, findings: list[Any]) -> tuple[str, str, str, list[str]]:
    """The panel's headline, its health and the rest of that line (forecast, date), and the indented lines
    under it (the forecast's reasons, then why it is not commit)."""
    period = t("review.for_period", period=report.forecast.period) if report.forecast.period else ""
    forecast = t("review.forecast", period=period, category=_label(report.forecast.category))
    health = t("review.health", score=report.health.score)
    rest = f"   {forecast}   {t('review.as_of', date=report.as_of.isoformat())}"
    notes = [t("review.not_commit", reason=r) for r in report.forecast.why_not_commit]
    decides = getattr(report, "decides", None)
    warning = record_warning(findings)
    lines = [report.headline, *(line for line in (decides, warning) if line)]
    return "\n".join(lines), health, rest, [*report.forecast.reasons, *notes]


def _header(console: Any, report: Any, findings: list[Any]) -> None:
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    headline, health, rest, indented = _headline(report, findings)
    body = Text()
    body.append(headline + "\n\n", style="bold")  # Text.append takes plain text: no markup parsing
    body.append(health, style="bold")
    body.append(rest)
    # each reason hangs under its own first word when it wraps, rather than at the panel's edge
    reasons = len(report.forecast.reasons)
    lines: list[Any] = [body]
    lines += [
        Padding(Text(line, style="yellow" if at >= reasons else ""), (0, 0, 0, 2)) for at, line in enumerate(indented)
    ]
    console.print(Panel(Group(*lines), title=_x(report.account), title_align="left"))


_SHORT = {"severity", "due", "date", "status"}
"""Columns sized to their content and never wrapped; the rest share the width by _RATIO."""
_RATIO = {"risk": 4, "action": 4, "question": 4, "step": 4}
"""The prose columns get the room; names and rule ids take 2 parts (``_RATIO.get(column, 2)``)."""
_RULES = {"rule", "rules"}
NARROW = 100
"""Below this width a rule id has no room of its own: it goes under the text it belongs to."""


class _Marks:
    """How a cell is written: rich markup (deal text escaped, styles as tags), or the same text plain."""

    def __init__(self, markup: bool) -> None:
        self.markup = markup

    def x(self, value: Any) -> str:
        return _x(value) if self.markup else "" if value is None else str(value)

    def style(self, style: str, text: str) -> str:
        return f"[{style}]{text}[/]" if self.markup else text


class _Rows:
    """One table of the review: the catalogue keys of its title and columns, and its rows' cells."""

    def __init__(self, title: str, *columns: str) -> None:
        self.title = title
        self.columns = columns
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def fitted(self, width: int, marks: _Marks) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """(columns, rows) to draw at ``width``: on a narrow terminal the rule column folds into the row's
        prose column."""
        if not any(c in _RATIO for c in self.columns) or (width >= NARROW and self._rule_ids_fit(width)):
            return self.columns, self.rows
        prose = next(c for c in self.columns if c in _RATIO)
        rows = []
        for cells in self.rows:
            row = dict(zip(self.columns, cells, strict=True))
            for column in sorted(_RULES & set(row)):
                if row[column]:
                    row[prose] += "\n" + marks.style("dim", f"{t(f'column.{column}')}: {row[column]}")
            rows.append(tuple(cell for column, cell in row.items() if column not in _RULES))
        return tuple(c for c in self.columns if c not in _RULES), rows

    def _rule_ids_fit(self, width: int) -> bool:
        """Whether every rule id fits on a line of its own in its column at ``width``: a longer one would be
        broken mid-id (``relationship-executiv`` / ``e-access``), so the ids go under the text instead."""
        from ae_coach.render import _plain

        heads = [_plain.Column(t(f"column.{c}"), ratio=None if c in _SHORT else _RATIO.get(c, 2)) for c in self.columns]
        rows = [[_MARKUP.sub("", cell) for cell in row] for row in self.rows]
        try:
            widths = _plain.column_widths(heads, rows, width)
        except _plain.Declined:
            return False
        for index, column in enumerate(self.columns):
            if column in _RULES:
                longest = max((len(rule) + 1 for row in rows for rule in row[index].split(", ")), default=0)
                if longest > widths[index] - 2:  # the cell's padding; +1 above for the comma after an id
                    return False
        return True


_MARKUP = re.compile(r"\[/?(?:[a-z][^\]]*)?\]")
"""A style tag of the cells' markup, dropped before measuring (the short columns hold labels and dates)."""


def _sections(report: Any, marks: _Marks) -> list[_Rows | str]:
    """The review's tables in order, with the line under the risks (markup when ``marks`` writes it)."""
    x, style = marks.x, marks.style
    sections: list[_Rows | str] = []
    if report.risks:
        table = _Rows("review.risks", "severity", "risk", "rules")
        for r in report.risks:
            sev = str(r.severity)
            table.add_row(style(_SEVERITY_STYLE.get(sev, ""), _label(sev)), x(r.title), x(", ".join(r.rule_ids)))
        sections.append(table)
        also = also_line(report)
        if also:
            sections.append(style("dim", f"{x(also[0])} {x(also[1])}"))
    if report.next_actions:
        table = _Rows("review.next_actions", "due", "action", "owner_with", "rule")
        for a in report.next_actions:
            who = x(a.owner) + ("\n" + x(t("review.with", contact=a.contact)) if a.contact else "")
            why = style("dim", x(t("review.why", why=action_reason(a))))
            text = _action(a)
            table.add_row(a.due.isoformat() if a.due else "-", f"{x(text)}\n{why}", who, x(", ".join(a.rule_ids)))
        sections.append(table)
    sections += _question_tables(report, marks)
    if report.mutual_action_plan:
        table = _Rows("review.plan", "date", "step", "owner", "status")
        for s in report.mutual_action_plan:
            status = _label(s.status)
            colour = "red" if s.status == "at_risk" else "green" if s.status == "done" else ""
            step = x(s.action) + ("\n" + style("dim", x(s.note)) if s.note else "")
            owner = f"{x(s.owner)} ({_label(s.side)})"
            table.add_row(x(s.shown_date()), step, owner, style(colour, status) if colour else status)
        sections.append(table)
    return sections


def _action(action: Any) -> str:
    """An action's text; one conversation's asks numbered one under the other below its head."""
    if not action.points:
        return str(action.action)
    points = (t("coach.agenda_item", n=n, text=point) for n, point in enumerate(action.points, 1))
    return "\n".join([t("review.conversation_head", count=len(action.points)), *points])


def _question_tables(report: Any, marks: _Marks) -> list[_Rows | str]:
    x = marks.x
    buyer = [q for q in report.questions if q.role != "ae"]
    review = [q for q in report.questions if q.role == "ae"]
    tables: list[_Rows | str] = []
    if buyer:
        table = _Rows("review.questions_buyer", "ask", "question", "rule")
        for q in buyer:
            who = join(part for part in (q.stakeholder, _label(q.role) if q.role else None) if part) or "-"
            table.add_row(x(who), x(asked(q)), x(q.rule_id))
        tables.append(table)
    if review:  # a manager's questions to the AE: never addressed to anyone on the buyer's side
        table = _Rows("review.questions_ae", "question", "rule")
        for q in review:
            table.add_row(x(asked(q)), x(q.rule_id))
        tables.append(table)
    return tables


def _tables(console: Any, report: Any) -> None:
    from rich.table import Table

    for section in _sections(report, _Marks(markup=True)):
        if isinstance(section, str):
            console.print(section)
            continue
        columns, rows = section.fitted(console.width, _Marks(markup=True))
        table = Table(title=t(section.title), title_justify="left", show_lines=False, expand=True)
        for column in columns:
            if column in _SHORT:
                table.add_column(t(f"column.{column}"), no_wrap=True)
            else:
                table.add_column(t(f"column.{column}"), overflow="fold", ratio=_RATIO.get(column, 2))
        for row in rows:
            table.add_row(*row)
        console.print(table)


def _findings(console: Any, report: Any, findings: list[Any]) -> None:
    from rich.text import Text

    detailed, favour, noted = appendix(findings)
    console.rule(t("review.findings"))
    for f in detailed:
        sev = str(f.severity)
        row = shown_as_risk(report, f)
        title = t("review.risk_above", n=row) if row is not None else f.title
        head = Text.from_markup(f"[{_SEVERITY_STYLE.get(sev, '')}]{_label(sev):>8}[/] ").append(f"{f.code}: {title}")
        console.print(head)
        for line in f.evidence:
            print_indented(console, f"- {line}", 11)
    for text in (favour, noted):
        if text:
            console.print(Text(text))


def print_indented(console: Any, text: str, indent: int) -> None:
    """``text`` (plain, never markup) indented, its wrapped lines hanging under it rather than at the margin."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(Padding(Text(text), (0, 0, 0, indent), expand=False))


def footer(report: Any) -> str:
    """The last line: what made the review (:func:`made_by`), tokens, cost, rule ids the model named that the
    rulebook lacks."""
    parts = [made_by(report)]
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
    return "  ".join(parts)


def _to_plain(report: Any, findings: list[Any], *, width: int, since: Any) -> str:
    """The review as rich draws it without colour, drawn without rich; raises ``_plain.Declined`` for
    anything ``_plain`` does not reproduce exactly."""
    from ae_coach.render import _plain

    _plain.check(report.account)
    headline, health, rest, indented = _headline(report, findings)
    lines = _plain.panel(report.account, [(f"{headline}\n\n{health}{rest}", 0), *((i, 2) for i in indented)], width)
    if since is not None:
        from ae_coach.render.since import since_lines, since_title

        lines += _plain.wrap(since_title(since), width)
        for line in since_lines(since):
            lines += _plain.indented(f"- {line}", 2, width)
    marks = _Marks(markup=False)
    for section in _sections(report, marks):
        if isinstance(section, str):
            lines += _plain.wrap(section, width)
            continue
        columns, rows = section.fitted(width, marks)
        heads = [_plain.Column(t(f"column.{c}"), ratio=None if c in _SHORT else _RATIO.get(c, 2)) for c in columns]
        lines += _plain.table(t(section.title), heads, rows, width)
    detailed, favour, noted = appendix(findings)
    lines.append(_plain.rule(t("review.findings"), width))
    for f in detailed:
        row = shown_as_risk(report, f)
        title = t("review.risk_above", n=row) if row is not None else f.title
        lines += _plain.wrap(f"{_label(str(f.severity)):>8} {f.code}: {title}", width)
        for line in f.evidence:
            lines += _plain.indented(f"- {line}", 11, width)
    for text in (favour, noted):
        if text:
            lines += _plain.wrap(text, width)
    lines += _plain.wrap(footer(report), width)
    text = "\n".join(lines) + "\n"
    _plain.check(text)
    return text
