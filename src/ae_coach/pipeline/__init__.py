"""Pipeline review: the seed's pipeline math, coverage, stage mix, forecast roll-ups, risks, and diffs.

The public door::

    from ae_coach.pipeline import review_path, review_pipeline, diff_pipelines, pipeline_math
    review = review_path("pipeline.csv", quota=1_000_000, as_of=date(2026, 11, 26))
"""

from ae_coach.pipeline.diff import DealChange, PipelineDiff, diff_pipelines
from ae_coach.pipeline.math import PipelineMath, derive_inputs, pipeline_math
from ae_coach.pipeline.model import PipelineReview
from ae_coach.pipeline.review import review_import, review_path, review_pipeline

__all__ = [
    "DealChange",
    "PipelineDiff",
    "PipelineMath",
    "PipelineReview",
    "derive_inputs",
    "diff_pipelines",
    "pipeline_math",
    "review_import",
    "review_path",
    "review_pipeline",
]
