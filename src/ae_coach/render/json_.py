"""The JSON contract (DESIGN.md): a top-level ``findings`` list (each with ``code``) and the ``report``."""

from __future__ import annotations

import json
from typing import Any


def review_document(report: Any, findings: list[Any], assessment: Any = None, since: Any = None) -> dict[str, Any]:
    """The JSON-ready review: findings, report, the assessment's grades and tier when given, and ``since``:
    what changed since the deal's previous review (null for a first review, or without a history)."""
    doc: dict[str, Any] = {
        "findings": [f.model_dump(mode="json") for f in findings],
        "report": report.model_dump(mode="json"),
    }
    if assessment is not None:
        grades = getattr(assessment, "meddpicc", None) or {}
        doc["assessment"] = {
            "tier": getattr(assessment, "tier", None),
            "stage_probability": getattr(assessment, "stage_probability", None),
            "meddpicc": {k: getattr(v, "value", v) for k, v in dict(grades).items()},
        }
    doc["since"] = since.model_dump(mode="json") if since is not None else None
    return doc


def to_json(report: Any, findings: list[Any], assessment: Any = None, since: Any = None) -> str:
    """The review as indented JSON text."""
    return json.dumps(review_document(report, findings, assessment, since), indent=2, ensure_ascii=False) + "\n"
