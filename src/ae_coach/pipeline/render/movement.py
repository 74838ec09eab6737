"""The "since the last run" section of a pipeline review: per-deal movement from the history."""

from __future__ import annotations

from html import escape

from ae_coach.history import PipelineMovement
from ae_coach.history.pipeline import DealMovement

MAX_ROWS = 50
"""Deals listed; the rest are counted."""


def _arrow(before: object, after: object) -> str:
    return "" if before == after else f"{before if before is not None else '-'} → {after if after is not None else '-'}"


def movement_cells(m: DealMovement) -> list[str]:
    """deal, change, health, call, stage, close date (a blank cell: no change)."""
    health = ""
    if m.health_before is not None and m.health_after is not None and m.health_before != m.health_after:
        health = f"{m.health_before} → {m.health_after} ({m.health_after - m.health_before:+d})"
    elif m.change != "moved":
        health = str(m.health_after if m.health_after is not None else m.health_before)
    return [
        f"{m.account} ({m.id})",
        m.change,
        health,
        _arrow(m.call_before, m.call_after).replace("_", " ") if m.change == "moved" else "",
        _arrow(m.stage_before, m.stage_after) if m.change == "moved" else "",
        _arrow(m.close_date_before, m.close_date_after) if m.change == "moved" else "",
    ]


_HEAD = ["deal", "change", "health", "call", "stage", "close date"]


def _title(movement: PipelineMovement) -> str:
    moved = len(movement.deals)
    return (
        f"Since the last run (as of {movement.previous_as_of.isoformat()}): {moved} deal{'s' * (moved != 1)} moved, "
        f"{movement.unchanged} unchanged"
    )


def movement_text(movement: PipelineMovement) -> str:
    rows = [movement_cells(m) for m in movement.deals[:MAX_ROWS]]
    widths = [max(len(r[i]) for r in [_HEAD, *rows]) for i in range(len(_HEAD))]
    lines = ["", _title(movement)]
    if rows:
        lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [_HEAD, *rows]]
    if len(movement.deals) > MAX_ROWS:
        lines.append(f"  … and {len(movement.deals) - MAX_ROWS} more")
    return "\n".join(lines) + "\n"


def movement_markdown(movement: PipelineMovement) -> str:
    lines = ["", f"## {_title(movement)}", ""]
    if movement.deals:
        lines += ["| " + " | ".join(_HEAD) + " |", "|" + "---|" * len(_HEAD)]
        lines += [
            "| " + " | ".join(c.replace("|", "\\|") for c in movement_cells(m)) + " |"
            for m in movement.deals[:MAX_ROWS]
        ]
    return "\n".join(lines) + "\n"


def movement_html(movement: PipelineMovement) -> str:
    head = "".join(f"<th>{h}</th>" for h in _HEAD)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in movement_cells(m)) + "</tr>"
        for m in movement.deals[:MAX_ROWS]
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if body else ""
    return f"<h2>{escape(_title(movement))}</h2>{table}"


def with_movement(text: str, fmt: str, movement: PipelineMovement | None) -> str:
    """The rendered review with the movement section added (JSON: the top-level ``since_last_run``)."""
    if fmt == "json":
        value = movement.model_dump_json(indent=2).replace("\n", "\n  ") if movement is not None else "null"
        body = text.rstrip()
        return f'{body[:-2]},\n  "since_last_run": {value}\n}}\n'
    if movement is None:
        return text
    if fmt == "html":
        cut = text.rfind("</body>")
        return text[:cut] + movement_html(movement) + "\n" + text[cut:] if cut != -1 else text
    if fmt == "markdown":
        return text + movement_markdown(movement)
    return text + movement_text(movement)
