"""``ae-coach history [DEAL]``: the reviews kept, one deal's reviews, one review, or all of it as JSONL."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.errors import UsageError

FORMATS = ("terminal", "json")


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def history(
    deal: Annotated[
        str | None, typer.Argument(help="A deal id, or a deal file (its id). Without it: every deal reviewed.")
    ] = None,
    show: Annotated[int | None, typer.Option("--show", help="Show one review by its id (from the list).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal | json")] = "terminal",
    limit: Annotated[int, typer.Option("--limit", "-n", help="Reviews to list, newest first.")] = 20,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write every review and chat (of DEAL, if given) as JSON lines.")
    ] = None,
) -> None:
    """List past reviews (per deal, or of one deal), show one, or export the history as JSONL."""
    from ae_coach.history import Store

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    deal_id = _deal_id(deal)
    with Store() as store:
        if export is not None:
            _export(store, export, deal_id)
        elif show is not None:
            record = store.review(show)
            if record is None or (deal_id and record.deal_id != deal_id):
                raise UsageError(f"--show {show}: no such review in {store.where}")
            _print(record.model_dump(mode="json") if fmt == "json" else _show(record), fmt)
        elif deal_id is None:
            deals = store.deals()
            rows = [
                {"deal_id": d, "account": a, "reviews": n, "last_as_of": last.isoformat()} for d, a, n, last in deals
            ]
            _print(rows if fmt == "json" else _table(rows, f"no reviews yet in {store.where}"), fmt)
        else:
            records = store.reviews(deal_id, limit=limit)
            if fmt == "json":
                _print([r.model_dump(mode="json", exclude={"report"}) for r in records], fmt)
            else:
                _print(_table([_row(r) for r in records], f"no reviews of {deal_id!r} in {store.where}"), fmt)


def _deal_id(deal: str | None) -> str | None:
    if deal is None or not Path(deal).is_file():
        return deal
    from ae_coach.deal import load_deal
    from ae_coach.history import deal_key

    return deal_key(load_deal(Path(deal)))


def _export(store, path: Path, deal_id: str | None) -> None:
    try:
        with path.open("w", encoding="utf-8") as out:
            count = store.export_jsonl(out, deal_id)
    except OSError as exc:
        raise UsageError(f"--export {path}: cannot write ({exc.strerror})") from None
    print(f"wrote {count} records to {path}", file=sys.stderr)


def _row(r) -> dict[str, str]:
    return {
        "id": str(r.id),
        "as_of": r.as_of.isoformat(),
        "health": str(r.health),
        "call": r.call.replace("_", " "),
        "stage": r.stage,
        "close": r.close_date.isoformat() if r.close_date else "-",
        "findings": str(sum(f.severity != "info" for f in r.findings)),
        "backend": r.backend + (f" ({r.model})" if r.model else "") + (" redacted" if r.redacted else ""),
    }


def _table(rows: list[dict], empty: str) -> str:
    if not rows:
        return empty + "\n"
    head = list(rows[0])
    widths = {h: max(len(h), *(len(str(r[h])) for r in rows)) for h in head}
    lines = ["  ".join(h.ljust(widths[h]) for h in head).rstrip()]
    lines += ["  ".join(str(r[h]).ljust(widths[h]) for h in head).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def _show(r) -> str:
    lines = [
        f"Review {r.id} of {r.account} ({r.deal_id}) as of {r.as_of.isoformat()}, recorded {r.recorded_at:%Y-%m-%d %H:%M} UTC",
        f"Health {r.health}/100   Call: {r.call.replace('_', ' ')}   Stage: {r.stage}   "
        f"Close: {r.close_date.isoformat() if r.close_date else '-'}",
    ]
    if r.report.get("headline"):
        lines.append(r.report["headline"])
    lines += ["", "Findings:"] + [f"  {f.severity:>8}  {f.code}: {f.title}" for f in r.findings]
    lines += ["", "Next actions:"] + [
        f"  {a.due.isoformat() if a.due else '-':<10}  {a.action} ({a.owner}{', with ' + a.contact if a.contact else ''})"
        for a in r.actions
    ]
    cost = f", est. cost ${r.cost_usd:.4f}" if r.cost_usd is not None else ""
    lines += [
        "",
        f"backend: {r.backend}{', model ' + r.model if r.model else ''}{cost}; rulebook {r.rulebook_hash[:12]}; "
        f"deal snapshot {r.snapshot_hash[:12]}{'; stored redacted' if r.redacted else ''}",
    ]
    return "\n".join(lines) + "\n"


def _print(value, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
        return
    from ae_coach._untrusted import terminal_safe

    sys.stdout.write(terminal_safe(value))  # stored deal text (accounts, reports) never drives the terminal
