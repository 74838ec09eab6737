"""The deal format as pydantic models (docs/design.md, "Deal files")."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


class Stage(StrEnum):
    """The seed's five open stages plus the two closed outcomes."""

    DISCOVERY = "discovery"
    SCOPING = "scoping"
    VALIDATION = "validation"
    PROPOSAL = "proposal"
    CLOSING = "closing"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"

    @property
    def is_open(self) -> bool:
        return self not in (Stage.CLOSED_WON, Stage.CLOSED_LOST)

    @property
    def order(self) -> int:
        """0 for discovery … 4 for closing; 5 for both closed outcomes."""
        return STAGE_ORDER[self]


OPEN_STAGES: tuple[Stage, ...] = (Stage.DISCOVERY, Stage.SCOPING, Stage.VALIDATION, Stage.PROPOSAL, Stage.CLOSING)
STAGE_ORDER: dict[Stage, int] = {s: i for i, s in enumerate(OPEN_STAGES)} | {Stage.CLOSED_WON: 5, Stage.CLOSED_LOST: 5}
STAGE_PROBABILITY: dict[Stage, int] = {
    Stage.DISCOVERY: 10,
    Stage.SCOPING: 25,
    Stage.VALIDATION: 50,
    Stage.PROPOSAL: 75,
    Stage.CLOSING: 90,
    Stage.CLOSED_WON: 100,
    Stage.CLOSED_LOST: 0,
}
"""The seed framework's stage probabilities (percent)."""


class ForecastCategory(StrEnum):
    PIPELINE = "pipeline"
    BEST_CASE = "best_case"
    COMMIT = "commit"
    OMITTED = "omitted"
    CLOSED = "closed"


class Situation(StrEnum):
    """The deal's competitive position (the seed's competitive positioning table)."""

    INCUMBENT = "incumbent"
    CHALLENGER = "challenger"
    UNKNOWN = "unknown"
    DISPLACING = "displacing"


class Fit(StrEnum):
    """Ideal-customer-profile fit, used for tiering."""

    STRONG = "strong"
    GOOD = "good"
    POOR = "poor"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """How well a MEDDPICC element is known."""

    CONFIRMED = "confirmed"
    PARTIAL = "partial"
    UNKNOWN = "unknown"


class Role(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    CHAMPION = "champion"
    TECHNICAL_BUYER = "technical_buyer"
    USER_BUYER = "user_buyer"
    INFLUENCER = "influencer"
    BLOCKER = "blocker"
    COACH = "coach"
    UNKNOWN = "unknown"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class ActivityType(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    DEMO = "demo"
    PROPOSAL = "proposal"
    NOTE = "note"
    OTHER = "other"


class ActivityStatus(StrEnum):
    COMPLETED = "completed"
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Direction(StrEnum):
    """Who spoke: the seller reaching out, the buyer reaching out, or both sides in one exchange."""

    OUTBOUND = "outbound"
    """The seller wrote or called; nothing came back in this activity (a chase, a voicemail)."""
    INBOUND = "inbound"
    """The buyer wrote or called (a reply counts)."""
    TWO_WAY = "two_way"
    """Both sides took part: a held meeting, a call that connected, a thread with a reply."""


class CompetitorStatus(StrEnum):
    ACTIVE = "active"
    ELIMINATED = "eliminated"
    INCUMBENT = "incumbent"


class PlanStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    LATE = "late"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Signal(StrEnum):
    """Explicit signal tags an activity may carry (``signals: [...]``).

    When an activity lists ``signals`` (even an empty list), these tags replace the keyword
    heuristics of :mod:`ae_coach.inspector.text` for that activity: the AE's tagging wins.
    """

    CHAMPION_SCHEDULED = "champion_scheduled"
    """The champion proactively scheduled this or the next meeting (seed positive signal)."""
    EB_ATTENDING = "eb_attending"
    """The economic buyer agreed to attend (seed positive signal)."""
    INTERNAL_DOCS_SHARED = "internal_docs_shared"
    """The customer shared internal documents or org charts (seed positive signal)."""
    IMPLEMENTATION_QUESTIONS = "implementation_questions"
    """The technical team asked detailed implementation questions (seed positive signal)."""
    PROCUREMENT_TIMELINE = "procurement_timeline"
    """The procurement timeline was communicated (seed positive signal)."""
    REFERENCES_REQUESTED = "references_requested"
    """The buyer asked for reference calls (seed positive signal)."""
    LEGAL_SECURITY_REVIEW = "legal_security_review"
    """Legal or security review was initiated (seed positive signal)."""
    BUDGET_CONCERN = "budget_concern"
    """The buyer raised a budget or price concern (seed danger signal after the proposal)."""
    COMPETITOR_MENTIONED = "competitor_mentioned"
    """The buyer mentioned a competitor (seed danger signal after validation)."""
    PENDING_INTERNAL_REVIEW = "pending_internal_review"
    """"Let me run this by…": the buyer took it away for an internal review."""
    FOLLOW_UP = "follow_up"
    """This activity is the follow-up to an earlier pending internal review."""
    NO_NEXT_DATE = "no_next_date"
    """"We'll get back to you" without a date (seed danger signal)."""
    VERBAL_COMMIT = "verbal_commit"
    """The economic buyer or champion verbally committed (closing exit criterion)."""
    BUDGET_CONFIRMED = "budget_confirmed"
    """A budget range was confirmed (discovery exit criterion)."""
    TECHNICAL_VALIDATION = "technical_validation"
    """Technical validation (POC, pilot, architecture sign-off) completed (validation exit criterion)."""
    TERMS_AGREED = "terms_agreed"
    """Commercial terms agreed (proposal exit criterion)."""
    PAPER_COMPLETE = "paper_complete"
    """Legal and procurement complete (closing exit criterion)."""
    CHAMPION_ENABLED = "champion_enabled"
    """We equipped the champion to sell internally (business case, deck, answers)."""
    HANDOFF = "handoff"
    """Post-close handoff to customer success or implementation happened."""


MAX_AMOUNT = 1_000_000_000_000
"""The largest deal amount accepted."""
MIN_DATE = dt.date(1900, 1, 1)
"""The earliest date a deal may carry; year 1 is a typo, and date arithmetic near it overflows."""
MAX_DATE = dt.date(2199, 12, 31)
"""The latest date a deal may carry; year 9999 is a placeholder, and date arithmetic near it overflows."""


def check_date(value: dt.date) -> dt.date:
    """``value`` if it lies in :data:`MIN_DATE`..:data:`MAX_DATE`.

    Raises:
        ValueError: Outside the range, saying what is allowed.
    """
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"date {value.isoformat()} is out of range; use a date from {MIN_DATE} to {MAX_DATE}")
    return value


Date = Annotated[dt.date, AfterValidator(check_date)]
"""A date within :data:`MIN_DATE`..:data:`MAX_DATE` (every date field of a deal)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False, defer_build=True)


class Element(_Strict):
    """One MEDDPICC element: how well it is known and the evidence for it."""

    status: Status = Status.UNKNOWN
    evidence: str | None = None
    """What the buyer said or wrote; quote it where you can."""


class Meddpicc(_Strict):
    metrics: Element = Field(default_factory=Element)
    economic_buyer: Element = Field(default_factory=Element)
    decision_criteria: Element = Field(default_factory=Element)
    decision_process: Element = Field(default_factory=Element)
    paper_process: Element = Field(default_factory=Element)
    identified_pain: Element = Field(default_factory=Element)
    champion: Element = Field(default_factory=Element)
    competition: Element = Field(default_factory=Element)


class Stakeholder(_Strict):
    name: str
    title: str | None = None
    role: Role = Role.UNKNOWN
    engaged: bool = False
    last_contact: Date | None = None
    sentiment: Sentiment = Sentiment.UNKNOWN
    added: Date | None = None
    """When they entered the deal."""
    email: str | None = None


class Activity(_Strict):
    date: Date
    type: ActivityType = ActivityType.OTHER
    status: ActivityStatus = ActivityStatus.COMPLETED
    with_: list[str] = Field(default_factory=list, alias="with")
    """Names of the people present."""
    summary: str | None = None
    signals: list[Signal] | None = None
    """Explicit signal tags (:class:`Signal`); when present they override the text heuristics for this activity."""
    direction: Direction | None = None
    """Who took part (:class:`Direction`); unset, it is inferred from the type, status and summary."""


class NextStep(_Strict):
    action: str
    date: Date | None = None
    owner: str | None = None


class PlanItem(_Strict):
    date: Date | None = None
    action: str
    owner: str | None = None
    """``customer``, ``us``, or a person's name."""
    status: PlanStatus = PlanStatus.PLANNED

    def overdue(self, as_of: dt.date) -> bool:
        """Still open (planned, late or blocked) and its day passed before ``as_of``."""
        return self.status in _OPEN_STEP and self.date is not None and self.date < as_of


_OPEN_STEP = (PlanStatus.PLANNED, PlanStatus.LATE, PlanStatus.BLOCKED)


class Competitor(_Strict):
    name: str
    status: CompetitorStatus = CompetitorStatus.ACTIVE
    added: Date | None = None
    """When the competitor was first mentioned (optional)."""


class Change(_Strict):
    date: Date
    field: str
    from_: Any = Field(default=None, alias="from")
    to: Any = None


SourcePart = Literal[
    "meddpicc", "stakeholders", "activities", "next_step", "mutual_action_plan", "competitors", "history", "notes"
]
"""Parts of the deal format a source may not carry."""


class Source(_Strict):
    """Where the deal came from, when not a deal file written by hand (CRM importers fill it)."""

    system: str
    """The source, e.g. ``salesforce-report``, ``hubspot``, ``csv-mapping``."""
    missing: list[SourcePart] = Field(default_factory=list)
    """Parts of the deal format this source does not carry: the review says it cannot judge them rather
    than calling them gaps in the deal."""


class Deal(_Strict):
    """A deal as DESIGN.md specifies it. Unknown keys are rejected with their path."""

    id: str | None = None
    account: str
    name: str | None = None
    amount: float = Field(default=0, ge=0, le=MAX_AMOUNT, allow_inf_nan=False)
    """Annual contract value (0 to one trillion; a larger number is a typo or a hostile file)."""
    currency: str = "USD"
    account_country: str | None = None
    """Where the buyer is: the account's country as an ISO 3166 code (``GB``, ``DE``, ``US``). Its public holidays
    are never due dates or plan dates (``holidays_country: auto``); unset, the country of the currency is used."""
    stage: Stage
    close_date: Date | None = None
    created: Date | None = None
    as_of: Date | None = None
    """'Today' for the review; default: the real date. Makes reviews reproducible."""
    forecast_category: ForecastCategory | None = None
    probability: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    situation: Situation = Situation.UNKNOWN
    fit: Fit = Fit.UNKNOWN
    owner: str | None = None
    """The AE who owns the deal (CRM imports fill it)."""
    meddpicc: Meddpicc = Field(default_factory=Meddpicc)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    next_step: NextStep | None = None
    mutual_action_plan: list[PlanItem] = Field(default_factory=list)
    competitors: list[Competitor] = Field(default_factory=list)
    history: list[Change] = Field(default_factory=list)
    notes: str | None = None
    source: Source | None = None
    """The system the deal came from and the parts it does not carry (set by the CRM importers)."""
    """Free text. Untrusted: never instructions to the model."""

    @field_validator("amount", "probability", mode="before")
    @classmethod
    def _not_a_bool(cls, value: Any) -> Any:
        # pydantic reads true as 1.0: "amount: true" is a mistake to report, not a one-dollar deal
        if isinstance(value, bool):
            raise ValueError(f"got {value}; write a plain number (e.g. 50000)")
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValueError("currency must be a three-letter ISO 4217 code such as USD or EUR")
        return sys.intern(value)  # one "USD" for a million imported deals

    @field_validator("account_country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise ValueError("account_country must be a two-letter ISO 3166 code such as US, GB or DE")
        return sys.intern(value)

    @property
    def is_open(self) -> bool:
        return self.stage.is_open

    def stakeholders_with(self, role: Role) -> list[Stakeholder]:
        return [s for s in self.stakeholders if s.role == role]

    def reference_date(self) -> dt.date:
        """The review's 'today': the deal's ``as_of`` or the real date."""
        return self.as_of or dt.date.today()
