"""Renderers for the pipeline review and the diff: terminal, json, markdown, html."""

from __future__ import annotations

from ae_coach.errors import UsageError
from ae_coach.pipeline.diff import PipelineDiff
from ae_coach.pipeline.model import PipelineReview
from ae_coach.pipeline.narrative import PipelineSummary

REVIEW_FORMATS = ("terminal", "json", "markdown", "html")
DIFF_FORMATS = ("terminal", "json", "markdown")


def render_review(
    review: PipelineReview, fmt: str = "terminal", *, color: bool = False, summary: PipelineSummary | None = None
) -> str:
    """The review in one of :data:`REVIEW_FORMATS` (``color``: ANSI colour in terminal output).

    ``summary`` (from ``pipeline.narrative.summarise_pipeline``) adds a "Coach's summary" section; in JSON
    it is the top-level ``coach_summary`` (null without one).
    """
    from ae_coach.crm._gc import paused_gc
    from ae_coach.pipeline._money import using

    # rendering a big review allocates millions of short-lived objects; collections would rescan the review
    with using(review.currency), paused_gc():
        return _render_review(review, fmt, color, summary)


def _render_review(review: PipelineReview, fmt: str, color: bool, summary: PipelineSummary | None) -> str:
    if fmt == "json":
        # pydantic-core writes the review directly (a 100,000-deal review: 5x faster than json.dumps of
        # model_dump, without the intermediate dict); the summary is spliced in as the last key
        body = review.model_dump_json(indent=2)
        coach = summary.model_dump_json(indent=2).replace("\n", "\n  ") if summary is not None else "null"
        return f'{body[:-2]},\n  "coach_summary": {coach}\n}}\n'
    if fmt == "markdown":
        from ae_coach.pipeline.render.markdown import render_review_markdown

        return render_review_markdown(review, summary)
    if fmt == "html":
        from ae_coach.pipeline.render.html import render_review_html

        return render_review_html(review, summary)
    if fmt == "terminal":
        from ae_coach.pipeline.render.terminal import render_review_terminal

        return render_review_terminal(review, color=color, summary=summary)
    raise UsageError(f"--format {fmt!r} is not one of {', '.join(REVIEW_FORMATS)}")


def render_diff(diff: PipelineDiff, fmt: str = "terminal", *, color: bool = False) -> str:
    """The diff in one of :data:`DIFF_FORMATS`."""
    from ae_coach.pipeline._money import using

    with using(diff.currency):
        return _render_diff(diff, fmt, color)


def _render_diff(diff: PipelineDiff, fmt: str, color: bool) -> str:
    if fmt == "json":
        return diff.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        from ae_coach.pipeline.render.markdown import render_diff_markdown

        return render_diff_markdown(diff)
    if fmt == "terminal":
        from ae_coach.pipeline.render.terminal import render_diff_terminal

        return render_diff_terminal(diff, color=color)
    raise UsageError(f"--format {fmt!r} is not one of {', '.join(DIFF_FORMATS)}")
