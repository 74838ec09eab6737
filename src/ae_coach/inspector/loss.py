"""A lost deal's review: why it was lost, read from the record as it stood the day it was lost.

pipeline-disqualify-early: "Record the loss reason as fit, pain, access or timing, so the team can sharpen its
targeting" (its good example: "Helix - closed lost, reason: access. Three requests to meet the new CFO declined").
A closed-lost deal is out of the number (omitted, health 0) and has nothing left to act on, but the review still
names what lost it: the deal is inspected as it stood in the stage it left, on the day the record says it was lost,
and only the findings that are a reason for a loss are kept — what the buyer was doing against the deal (a rival's
price move, a late rival, a budget pulled, the signer or champion gone quiet), the buyer commitment it never had
(the signer unmet, no pain, no champion, the competition unsettled) and a poor fit. The forecast's own bookkeeping
(a Commit that failed the gate, a slipped or passed date, an undated next step, the stage field, the committee
chart, missing notes) is not why a buyer chose someone else, and is not raised.

Only a loss on record is reviewed: a history change of ``stage`` to ``closed_lost`` says when and from which
stage. Without it (a CRM export with no history) there is no day to read the record on, and nothing is raised.
"""

from __future__ import annotations

import datetime as dt

from ae_coach.deal import Change, Deal, Stage
from ae_coach.findings import Finding, Severity
from ae_coach.inspector import priority

REASONS = (
    "account.poor_fit",  # fit
    "meddpicc.identified_pain",  # pain
    "meddpicc.economic_buyer",  # access: nobody who could sign was won
    "meddpicc.champion",  # access: nobody sold for us inside
    "meddpicc.competition",  # the alternative the buyer chose was never settled
    "momentum.",  # what the buyer was doing against the deal (silence, a rival, a budget objection)
    "anti.single_threading",  # access: one contact, nobody above them
    "anti.feature_dumping",  # the evaluation ran on the product, not the buyer's problem
    "anti.proposal_too_early",  # priced before value landed
)
"""Findings that can be a loss reason (fit, pain, access, timing, a rival), by code or family prefix."""

NOT_REASONS = ("momentum.close_date_slipped", "momentum.close_date_passed", "momentum.no_dated_next_step")
"""The forecast's bookkeeping: a date moved or passed and a next step without a date are how the loss showed in
the CRM, not why the buyer decided against us."""


def lost_on(deal: Deal) -> tuple[dt.date, Stage] | None:
    """The day the record says the deal was lost and the open stage it left (the latest such change)."""
    changes = [
        c
        for c in deal.history
        if c.field == "stage" and str(c.to) == Stage.CLOSED_LOST.value and _open_stage(c) is not None
    ]
    if not changes:
        return None
    last = max(changes, key=lambda c: c.date)
    stage = _open_stage(last)
    return (last.date, stage) if stage is not None else None


def _open_stage(change: Change) -> Stage | None:
    try:
        stage = Stage(str(change.from_))
    except ValueError:
        return None
    return stage if stage.is_open else None


def as_it_stood(deal: Deal, lost: tuple[dt.date, Stage]) -> Deal:
    """The deal the day it was lost, still in the stage it left (the record up to then is read by the families as
    of that day; the change to closed lost and anything after it are not part of it)."""
    day, stage = lost
    history = [c for c in deal.history if c.date < day]
    return deal.model_copy(update={"stage": stage, "history": history})


def reasons(findings: list[Finding], lost: tuple[dt.date, Stage]) -> list[Finding]:
    """The findings that say why the deal was lost: a loss reason (:data:`REASONS`) the deal-review order treats as
    serious (high or critical), each marked with the day it was lost (``data.lost_on``)."""
    out = []
    for finding in findings:
        if finding.severity.rank > Severity.HIGH.rank or not finding.code.startswith(REASONS):
            continue
        if finding.code in NOT_REASONS or finding.code in priority.ABSENT:
            continue
        evidence = [*finding.evidence, f"read as the record stood when the deal was lost ({lost[0]}, at {lost[1]})"]
        out.append(
            finding.model_copy(update={"evidence": evidence, "data": {**finding.data, "lost_on": lost[0].isoformat()}})
        )
    return out
