"""Rendering a review: terminal (rich), markdown, JSON (the public contract) and a self-contained HTML page.

Every renderer takes the report and the findings it was built on and returns text; only the terminal
renderer imports rich, and only when called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ae_coach.errors import UsageError

FORMATS = ("terminal", "markdown", "json", "html")
STRATEGY_NOTES = ("account.tier", "competition.positioning")
"""Info findings that are the playbook's strategy for a kind of deal ("Tier 2: high-touch, multi-threaded (35% of
selling time)", "Challenger: differentiation…"), not a fact about this one: kept in JSON, left out of what a rep
reads (a blind VP grade called them filler beside a $60k single-threaded deal gone dark)."""


def render(
    fmt: str, report: Any, findings: list[Any], assessment: Any = None, *, color: bool = False, since: Any = None
) -> str:
    """Render a review in ``fmt`` (one of FORMATS); ``since`` (``ae_coach.history.Since``) adds what changed
    since the deal's previous review."""
    renderers: dict[str, Callable[..., str]] = {
        "terminal": _terminal,
        "markdown": _markdown,
        "json": _json,
        "html": _html,
    }
    if fmt not in renderers:
        raise UsageError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if fmt != "json":
        from ae_coach.render._quotes import once

        shown = [f for f in findings if f.code not in STRATEGY_NOTES]
        report, findings = once(report, shown, health_shown=fmt != "terminal", point_reasons=fmt == "markdown")
    return renderers[fmt](report, findings, assessment, color=color, since=since)


def _terminal(report: Any, findings: list[Any], assessment: Any, *, color: bool, since: Any) -> str:
    from ae_coach.render.terminal import to_terminal

    return to_terminal(report, findings, color=color, since=since)


def _markdown(report: Any, findings: list[Any], assessment: Any, *, color: bool, since: Any) -> str:
    from ae_coach.render.markdown import to_markdown

    return to_markdown(report, findings, since=since)


def _json(report: Any, findings: list[Any], assessment: Any, *, color: bool, since: Any) -> str:
    from ae_coach.render.json_ import to_json

    return to_json(report, findings, assessment, since=since)


def _html(report: Any, findings: list[Any], assessment: Any, *, color: bool, since: Any) -> str:
    from ae_coach.render.html import to_html

    return to_html(report, findings, since=since, assessment=assessment)
