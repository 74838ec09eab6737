"""Deal memory: every review, chat turn and pipeline run kept, and what changed since the last one.

The store is SQLite under ``$AE_COACH_HOME`` (``history.db``) by default, or PostgreSQL when
``AE_COACH_DB`` is a ``postgresql://`` URL; one small data layer serves both::

    with Store() as store:
        reviewed = review_with_history(Coach(), load_deal("deal.yaml"), store=store)
        print(reviewed.since.health_delta if reviewed.since else "first review")
        for record in store.reviews("northwind-2026"):
            print(record.as_of, record.health, record.call)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ae_coach.history._db import default_target
from ae_coach.history._schema import LATEST as SCHEMA_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.history.chat import ChatLog, resume
    from ae_coach.history.model import ChatRecord, ChatTurn, PipelineRun, ReviewRecord
    from ae_coach.history.pipeline import PipelineMovement, pipeline_with_history
    from ae_coach.history.review import Reviewed, deal_key, review_with_history
    from ae_coach.history.since import ActionOutcome, Since, compare
    from ae_coach.history.store import Store

_LAZY = {
    "chat": ("ChatLog", "resume"),
    "model": ("ChatRecord", "ChatTurn", "PipelineRun", "ReviewRecord"),
    "pipeline": ("PipelineMovement", "pipeline_with_history"),
    "review": ("Reviewed", "deal_key", "review_with_history"),
    "since": ("ActionOutcome", "Since", "compare"),
    "store": ("Store",),
}


def __getattr__(name: str) -> Any:
    # Each part loads on first use: the chat log imports the coach's chat (~0.1 s), the pipeline's history its
    # own models, and a chat that logs nothing (--no-log, or no history yet) needs none of the records' models.
    for module, names in _LAZY.items():
        if name in names:
            from importlib import import_module

            return getattr(import_module(f"ae_coach.history.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "ActionOutcome",
    "ChatLog",
    "ChatRecord",
    "ChatTurn",
    "PipelineMovement",
    "PipelineRun",
    "ReviewRecord",
    "Reviewed",
    "Since",
    "Store",
    "compare",
    "deal_key",
    "default_target",
    "open_store",
    "pipeline_with_history",
    "resume",
    "review_with_history",
]


def open_store(*, create: bool = True) -> Store | None:
    """The configured store; with ``create=False``, None when a SQLite store does not exist yet."""
    from pathlib import Path

    from ae_coach.history._db import is_postgres

    target = default_target()
    if not create and not is_postgres(target) and not Path(target).expanduser().exists():
        return None
    from ae_coach.history.store import Store

    return Store(target)
