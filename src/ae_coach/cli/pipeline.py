"""``ae-coach pipeline PATH`` (review many deals) and ``ae-coach pipeline diff OLD NEW``."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from ae_coach.cli._io import parse_date, use_color, write_output
from ae_coach.cli._options import LangOpt, TimeoutOpt
from ae_coach.errors import UsageError

LARGE_INPUT_BYTES = 1_000_000
"""Show a progress bar (on a terminal) for exports bigger than this."""


class _DefaultReviewGroup(TyperGroup):
    """Lets ``ae-coach pipeline PATH`` mean ``ae-coach pipeline review PATH``, as DESIGN.md writes it."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["review", *args]
        return super().parse_args(ctx, args)


pipeline_app = typer.Typer(
    cls=_DefaultReviewGroup,
    help="Review a whole pipeline (PATH: a CRM export, a deal list or a directory) or diff two exports.",
    no_args_is_help=True,
)


def _money(value: str | None, option: str) -> float | None:
    from ae_coach.pipeline.math import parse_amount

    return None if value is None else parse_amount(value, option)


def _rate(value: float | None) -> float | None:
    if value is None:
        return None
    rate = value / 100 if value > 1 else value  # accept 0.25 and 25
    if not 0 < rate <= 1:
        raise UsageError(f"--win-rate {value!r} must be between 0 and 1 (or a percentage up to 100)")
    return rate


@contextmanager
def _progress(path: Path, label: str):
    """A rich progress bar on stderr, only on a terminal and only for large inputs."""
    size = path.stat().st_size if path.is_file() else 0
    if not sys.stderr.isatty() or size < LARGE_INPUT_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _colour(output: Path | None) -> bool:
    return use_color(output)


Opt = typer.Option
Text = str | None


@pipeline_app.command("review")
def review_command(
    path: Annotated[Path, typer.Argument(help="CRM CSV export, YAML/JSON deal list, or directory of deal files.")],
    quota: Annotated[Text, Opt(help="Quota for the period, e.g. 1000000 or 1M.")] = None,
    owner: Annotated[Text, Opt(help="Review only this owner's deals.")] = None,
    as_of: Annotated[Text, Opt("--as-of", help="Today's date for the review (YYYY-MM-DD).")] = None,
    mapping: Annotated[Path | None, Opt(help="Column-mapping YAML for any CSV layout.")] = None,
    fmt: Annotated[str, Opt("--format", "-f", help="terminal, json, markdown or html.")] = "terminal",
    output: Annotated[Path | None, Opt("--output", "-o", help="Write to this file instead of stdout.")] = None,
    period: Annotated[str, Opt(help="year or quarter: the calendar period containing --as-of.")] = "year",
    win_rate: Annotated[float | None, Opt("--win-rate", help="Override the data's win rate (0.25 or 25).")] = None,
    avg_deal: Annotated[Text, Opt("--avg-deal", help="Override the data's average deal size.")] = None,
    cycle_days: Annotated[int | None, Opt("--cycle-days", help="Override the data's sales cycle (days).")] = None,
    settings: Annotated[Path | None, Opt(help="Inspector settings YAML.")] = None,
    jobs: Annotated[int | None, Opt(help="Inspection worker processes (default: all cores for 5,000+ deals).")] = None,
    batch: Annotated[
        bool, Opt("--batch", help="Also coach the riskiest open deals via the Message Batches API (needs a key).")
    ] = False,
    batch_id: Annotated[
        Text, Opt("--batch-id", help="Resume a batch sent earlier (same PATH) and fetch its results.")
    ] = None,
    batch_wait: Annotated[
        float, Opt("--batch-wait", help="Seconds to wait for the batch to end (default: submit and return).")
    ] = 0.0,
    batch_limit: Annotated[int, Opt("--batch-limit", help="Deals to coach in the batch, riskiest first.")] = 100,
    batch_out: Annotated[Path | None, Opt("--batch-out", help="JSONL file for the coaching reports.")] = None,
    backend: Annotated[
        Text, Opt("--backend", help="auto, anthropic or offline; anthropic adds the coach's summary (auto: if a key).")
    ] = None,
    model: Annotated[Text, Opt("--model", help="Model for the summary (default: AE_COACH_MODEL, else Sonnet).")] = None,
    no_log: Annotated[bool, Opt("--no-log", help="Keep this run out of the history (no movement recorded).")] = False,
    lang: LangOpt = None,
    timeout: TimeoutOpt = None,
    redact: Annotated[
        bool,
        Opt(
            "--redact",
            help="Pseudonymise people, emails, phones and deal ids before the summary or a batch reaches a model.",
        ),
    ] = False,
) -> None:
    """Review a pipeline: risks, coverage, stage mix, forecast roll-ups and the seed's pipeline math.

    Each run is kept in the history; the next run over the same PATH shows each deal's movement since.
    """
    from ae_coach.crm import load_pipeline
    from ae_coach.pipeline.render import REVIEW_FORMATS, render_review
    from ae_coach.pipeline.review import review_import

    if fmt not in REVIEW_FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(REVIEW_FORMATS)}")
    if period not in ("year", "quarter"):
        raise UsageError(f"--period {period!r} must be year or quarter")
    options = {
        "quota": _money(quota, "--quota"), "owner": owner, "as_of": parse_date(as_of, "--as-of"), "period": period,
        "win_rate": _rate(win_rate), "avg_deal": _money(avg_deal, "--avg-deal"), "cycle_days": cycle_days,
        "settings": _settings(settings), "jobs": jobs,
    }  # fmt: skip
    with _progress(path, "importing") as on_import:
        imported = load_pipeline(path, mapping, progress=on_import)
    with _progress(path, "inspecting") as on_inspect:
        review = review_import(imported, progress=on_inspect, **options)
    summary, failure = _summary(review, backend, model, timeout, imported.deals if redact else None)
    text = _with_movement(render_review(review, fmt, color=_colour(output), summary=summary), fmt, path, review, no_log)
    write_output(text, output)
    if failure is not None:
        # The deterministic review is already out; a failed summary must not swallow it.
        print("the coach's summary failed; the review above is the deterministic one", file=sys.stderr)
        raise failure
    if batch or batch_id:
        from ae_coach.pipeline.batch import run_batch_cli

        run_batch_cli(
            review, imported.deals, batch_id=batch_id, wait=batch_wait, limit=batch_limit, out=batch_out, redact=redact
        )


def _with_movement(text: str, fmt: str, path: Path, review, no_log: bool) -> str:
    """The review with each deal's movement since the last run over ``path``; this run is recorded."""
    from ae_coach.history import open_store, pipeline_with_history
    from ae_coach.pipeline.render.movement import with_movement

    store = open_store(create=not no_log)
    if store is None:
        return text
    with store:
        movement = pipeline_with_history(store, str(path.resolve()), review, log=not no_log)
    return with_movement(text, fmt, movement)


def _summary(review, backend: str | None, model: str | None, timeout: float | None = None, redact_deals=None):
    """The coach's summary from the model (None offline), and the BackendError if the model failed.

    ``redact_deals``: the imported deals whose people, emails, phones and ids are pseudonymised (``--redact``).
    """
    from ae_coach.coach import Coach
    from ae_coach.errors import BackendError

    coach = Coach(backend or None, model=model, timeout=timeout, redact=redact_deals is not None)
    if coach.backend == "offline":
        return None, None
    from ae_coach.pipeline.narrative import summarise_pipeline

    try:
        return summarise_pipeline(review, coach, deals=redact_deals), None
    except BackendError as exc:
        return None, exc


def _settings(path: Path | None):
    if path is None:
        return None
    from ae_coach.inspector.settings import load_settings

    return load_settings(path)


@pipeline_app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The older export (or deal list / directory).")],
    new: Annotated[Path, typer.Argument(help="The newer export.")],
    mapping: Annotated[Path | None, Opt(help="Column-mapping YAML used for both files.")] = None,
    fmt: Annotated[str, Opt("--format", "-f", help="terminal, json or markdown.")] = "terminal",
    output: Annotated[Path | None, Opt("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """What changed: new, won, lost, pushed, pulled in, stage moved, amount changed, category moved, removed."""
    from ae_coach.crm import load_pipeline
    from ae_coach.pipeline.diff import diff_pipelines
    from ae_coach.pipeline.render import DIFF_FORMATS, render_diff

    if fmt not in DIFF_FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(DIFF_FORMATS)}")
    before, after = load_pipeline(old, mapping), load_pipeline(new, mapping)
    diff = diff_pipelines(before.deals, after.deals, old_label=str(old), new_label=str(new))
    write_output(render_diff(diff, fmt, color=_colour(output)), output)


def register(app: typer.Typer) -> None:
    """Add the ``pipeline`` group to the root app."""
    app.add_typer(pipeline_app, name="pipeline")
