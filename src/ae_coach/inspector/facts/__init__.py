"""The deal's facts, derived once: who took part and when, two-way contact, first appearances, dates.

Every consumer reads :class:`DealFacts` instead of deriving facts again: the finding families, the forecast
call, the offline coach and chat, the prompt's inspection block and the MCP tools. Two derivations of one
fact disagree (they did: chat and the inspector matched names differently), so this module is the only
place that reads the raw record for:

* **people**: each stakeholder's first appearance in the record, last two-way contact, last outbound
  touch and how many outbound touches since went unanswered;
* **two-way contact**: an activity is two-way when both sides took part (a held meeting, a call that
  connected, a reply). A rep's own unanswered emails, voicemails and chases are outbound: logging them
  does not make a silent champion look alive. ``activities[].direction`` says it explicitly; otherwise it
  is inferred from the type, status and summary (:func:`direction_of`);
* **competitors**: each one's first dated mention anywhere in the record (listed competitors, activity
  summaries, history, notes), including a competitor the record mentions without naming ("procurement
  wants a second vendor's quote");
* **dated items**: what is on the calendar after ``as_of`` (scheduled meetings, plan steps, the next step,
  the close date) and the close-date changes;
* **data coverage**: which parts of the deal format the source carried (a CRM report export has no
  MEDDPICC or contacts), so that "not in this export" is never judged as a deal defect.

The package: ``_model`` (the fact models and name matching), ``_contact`` (who took part, what the economic
buyer said), ``_said`` (what a stakeholder said on record, in their words), ``_timing`` (holds, doubts, dates, the paper timeline, the signer's commitment), ``_grades``
(MEDDPICC, claimed against corroborated) and ``_derive`` (:func:`derive`, which reads the record once using
them all). What other modules use is imported here.
"""

from __future__ import annotations

from ae_coach.inspector.facts._contact import deferred_by_economic_buyer, direction_of, rebuffed_by_economic_buyer
from ae_coach.inspector.facts._derive import (
    BUILD,
    UNNAMED,
    departed,
    derive,
    is_unnamed,
    known_alternatives,
    named_case,
    record_roles,
    renews_with_us,
    unnamed_name,
    with_record_roles,
)
from ae_coach.inspector.facts._grades import NO_NUMBER, grade_elements, signers_step
from ae_coach.inspector.facts._model import (
    ActivityFact,
    CloseDateChange,
    CompanyEvent,
    CompetitorFact,
    Coverage,
    DatedItem,
    DealFacts,
    ElementFact,
    NoteState,
    PersonFact,
    TimingFact,
)
from ae_coach.inspector.facts._office import named_signer, office_booked
from ae_coach.inspector.facts._owed import ANSWER_MIN_DAYS, owed_back
from ae_coach.inspector.facts._said import names_person, said_by, view_of
from ae_coach.inspector.facts._timing import (
    PAPER_LATE,
    PAPER_STEP,
    PAPER_UNOWNED,
    as_date,
    dates_in,
    day_named,
    durations,
    lifting_sentence,
    month_ahead,
    paper_step,
    until_named,
    validation_ahead,
    validation_step,
)

__all__ = [
    "ANSWER_MIN_DAYS",
    "BUILD",
    "NO_NUMBER",
    "PAPER_LATE",
    "PAPER_STEP",
    "PAPER_UNOWNED",
    "UNNAMED",
    "ActivityFact",
    "CloseDateChange",
    "CompanyEvent",
    "CompetitorFact",
    "Coverage",
    "DatedItem",
    "DealFacts",
    "ElementFact",
    "NoteState",
    "PersonFact",
    "TimingFact",
    "as_date",
    "dates_in",
    "day_named",
    "deferred_by_economic_buyer",
    "departed",
    "derive",
    "direction_of",
    "durations",
    "grade_elements",
    "is_unnamed",
    "known_alternatives",
    "lifting_sentence",
    "month_ahead",
    "named_case",
    "named_signer",
    "names_person",
    "office_booked",
    "owed_back",
    "paper_step",
    "rebuffed_by_economic_buyer",
    "record_roles",
    "renews_with_us",
    "said_by",
    "signers_step",
    "unnamed_name",
    "until_named",
    "validation_ahead",
    "validation_step",
    "view_of",
    "with_record_roles",
]
