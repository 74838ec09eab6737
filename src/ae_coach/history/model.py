"""What the history keeps: reviews, chats and pipeline runs, as pydantic models.

A review record keeps the facts "what changed" compares (health, the call, stage, close date, findings,
people and their last two-way contact, the actions given) as typed fields, and the whole report as plain
JSON: a report written by an older ae-coach must stay readable after the report model grows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)  # a record from a newer minor version keeps loading


class FindingRef(_Model):
    """A finding as a review saw it."""

    code: str
    severity: str
    title: str


class PersonRef(_Model):
    """A stakeholder as a review saw them."""

    name: str
    role: str
    last_two_way: dt.date | None = None
    """Their last two-way contact as of that review (``DealFacts``)."""


class ActionRef(_Model):
    """A next action the review gave."""

    action: str
    owner: str
    contact: str | None = None
    """The buyer-side person it involves, 'Name (role)'."""
    due: dt.date | None = None


class ReviewRecord(_Model):
    """One review of one deal, as stored."""

    id: int | None = None
    deal_id: str
    account: str
    as_of: dt.date
    recorded_at: dt.datetime
    snapshot_hash: str
    """sha256 of the deal as reviewed (its JSON form); two reviews of one unchanged file share it."""
    stage: str
    close_date: dt.date | None = None
    health: int
    call: str
    """The recommended forecast category."""
    backend: str
    model: str | None = None
    rulebook_hash: str
    cost_usd: float | None = None
    redacted: bool = False
    """Stored with people pseudonymised (``--redact``)."""
    findings: list[FindingRef] = Field(default_factory=list)
    actions: list[ActionRef] = Field(default_factory=list)
    people: list[PersonRef] = Field(default_factory=list)
    report: dict[str, Any] = Field(default_factory=dict)
    """The coaching report as JSON."""


class ChatTurn(_Model):
    """One side of one exchange."""

    role: str
    text: str
    message: Any = None
    """The message exactly as sent to the model (content blocks for the LLM backends)."""
    recorded_at: dt.datetime | None = None


class ChatRecord(_Model):
    """One conversation about one deal."""

    id: int
    deal_id: str
    account: str
    started_at: dt.datetime
    backend: str
    model: str | None = None
    redacted: bool = False
    turns: list[ChatTurn] = Field(default_factory=list)


class PipelineDeal(_Model):
    """One deal's state in a pipeline run."""

    id: str
    account: str
    stage: str
    amount: float
    close_date: dt.date | None = None
    call: str | None = None
    health: int


class PipelineRun(_Model):
    """One ``ae-coach pipeline`` run over one source."""

    id: int | None = None
    source: str
    as_of: dt.date
    recorded_at: dt.datetime
    deals: list[PipelineDeal] = Field(default_factory=list)
