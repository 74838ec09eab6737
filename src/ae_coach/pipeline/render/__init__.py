"""Renderers for the pipeline review and the diff: terminal, json, markdown, html."""

from __future__ import annotations

from ae_coach.errors import UsageError
from ae_coach.pipeline.diff import PipelineDiff
from ae_coach.pipeline.model import PipelineReview

REVIEW_FORMATS = ("terminal", "json", "markdown", "html")
DIFF_FORMATS = ("terminal", "json", "markdown")


def render_review(review: PipelineReview, fmt: str = "terminal", *, color: bool = False) -> str:
    """The review in one of :data:`REVIEW_FORMATS` (``color``: ANSI colour in terminal output)."""
    from ae_coach.pipeline._money import using

    with using(review.currency):
        return _render_review(review, fmt, color)


def _render_review(review: PipelineReview, fmt: str, color: bool) -> str:
    if fmt == "json":
        return review.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        from ae_coach.pipeline.render.markdown import render_review_markdown

        return render_review_markdown(review)
    if fmt == "html":
        from ae_coach.pipeline.render.html import render_review_html

        return render_review_html(review)
    if fmt == "terminal":
        from ae_coach.pipeline.render.terminal import render_review_terminal

        return render_review_terminal(review, color=color)
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
