"""Findings: the explainable facts the inspector computes about a deal or a pipeline.

The catalogue below is a public contract (DESIGN.md, "Findings"): codes are stable, rules name them in
their ``triggers``, evals and tests assert on them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How much a finding should worry the AE, from ``critical`` down to ``info``."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical up to 4 for info: sort ascending to put the worst first."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Finding(BaseModel):
    """One computed fact about a deal, with the evidence that fired it and the rules that address it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    code: str
    """Stable code from the catalogue, e.g. ``meddpicc.economic_buyer``."""
    severity: Severity
    title: str
    """One line a manager would say out loud."""
    evidence: list[str] = Field(default_factory=list)
    """The deal facts that fired the finding, each quoting the field or activity it came from."""
    data: dict[str, Any] = Field(default_factory=dict)
    """Machine-readable values, e.g. ``{"tier": 1}``, ``{"missing": [...]}``, ``{"days": 31}``."""
    rules: list[str] = Field(default_factory=list)
    """Ids of the rules whose ``triggers`` name this code."""

    @property
    def family(self) -> str:
        """The part of the code before the dot (``momentum`` for ``momentum.stale``)."""
        return self.code.split(".", 1)[0]


_Model = TypeVar("_Model", bound=BaseModel)
_new, _set = object.__new__, object.__setattr__
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


def trusted(model: type[_Model], values: dict[str, Any]) -> _Model:
    """An instance of ``model`` from ``values`` the caller built with the right types, without validation.

    ``values`` must give every field, in declaration order, with values validation would keep as they are;
    the result then equals ``model(**values)`` (same values, same ``model_fields_set``). The inspector builds a
    dozen findings per deal from its own strings and enums, and validating them was a tenth of a pipeline
    review. Untrusted input must go through ``model(...)``.

    Every instance given all fields shares one ``model_fields_set``: it names every field, so assigning one
    (which adds its name) leaves it unchanged; a fresh set per instance was over 1 kB on a pipeline's deal line.
    """
    instance = _new(model)
    _set(instance, "__dict__", values)
    every = _ALL_FIELDS.get(model) or _ALL_FIELDS.setdefault(model, set(model.model_fields))
    _set(instance, "__pydantic_fields_set__", every if len(values) == len(every) else set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then by code, so output is stable."""
    return sorted(findings, key=_sort_key)


def _sort_key(finding: Finding) -> tuple[int, str]:
    return _SEVERITY_RANK[finding.severity], finding.code


_MEDDPICC = {
    "meddpicc.metrics": "No quantified business value (seed red flag: no quantified value).",
    "meddpicc.economic_buyer": "The person who signs has not been met (seed red flag: haven't met them).",
    "meddpicc.decision_criteria": "Decision criteria unknown or changing.",
    "meddpicc.decision_process": "No clear, dated path to signature.",
    "meddpicc.paper_process": "Legal, procurement or security steps unknown (unknown blockers).",
    "meddpicc.identified_pain": "Pain is a nice-to-have, not a need that demands action now.",
    "meddpicc.champion": "No tested internal advocate who sells for us.",
    "meddpicc.competition": "Alternatives unknown, including status quo, do-nothing and build in-house.",
}

_DEAL = {
    "stage.unearned": "The deal sits at a stage whose earlier exit criteria are not met.",
    "stage.next_gate": "Info: what must become true to advance to the next stage.",
    "momentum.stale": "No completed activity for longer than the stage allows.",
    "momentum.no_dated_next_step": "No next step, or one without a date.",
    "momentum.meetings_rescheduled": "Meetings rescheduled, cancelled or no-showed recently.",
    "momentum.champion_dark": "The champion has not been in two-way contact for too long (chasing does not count).",
    "momentum.unanswered_outreach": "Two or more outbound touches since the last two-way contact went unanswered.",
    "momentum.late_stakeholder": "A new stakeholder entered at proposal or closing.",
    "momentum.pending_internal_review": "'Let me run this by…' with no follow-up.",
    "momentum.competitor_late": "A competitor appeared after validation.",
    "momentum.competitor_counter": "A rival made a price move (a discount to stay, a price match): the incumbent to keep the deal, a challenger to win it.",
    "momentum.budget_concern_late": "Budget concerns raised after the proposal.",
    "momentum.concession_floated": "A concession (a free module, a discount, extra months) floated by our side or "
    "the champion with nothing asked in return and no deal-desk approval on record.",
    "momentum.company_event": "An event at the buyer's company that threatens the budget or the decision: a "
    "spending freeze (critical), new spend paused for review, a cost programme or budget cut, weak results, a new "
    "owner, a reorganisation (high), a security incident (medium).",
    "momentum.close_date_slipped": "Close date pushed twice, or once late in the deal.",
    "momentum.close_date_passed": "Open deal with a close date in the past.",
    "positive.champion_scheduled": "Info: the champion proactively scheduled the next meeting.",
    "positive.economic_buyer_engaged": "Info: the economic buyer attended or agreed to attend.",
    "positive.internal_docs_shared": "Info: the customer shared internal documents or org charts.",
    "positive.implementation_questions": "Info: the technical team asks detailed implementation questions.",
    "positive.procurement_timeline": "Info: the procurement timeline was communicated.",
    "positive.references_requested": "Info: reference calls were requested.",
    "positive.legal_security_review": "Info: legal or security review was initiated.",
    "positive.signer_committed": "Info: the signer said yes, holds the paper and dated the signature.",
    "positive.plan_step_ahead": "Info: the buyer's next step on the plan is dated before the signature.",
    "positive.introduction": "Info: the champion is taking you to someone new on the buying side, on a date ahead.",
    "positive.buyer_waiting": "Info: the buyer asked us for something (or we promised it) and nothing since delivers it.",
    "committee.missing_role": "A buying-committee role is absent for the stage.",
    "anti.happy_ears": "Optimism in the record that the evidence does not support.",
    "anti.single_threading": "The deal rests on one contact.",
    "anti.feature_dumping": "Demos and presentations without a connection to stated pain or metrics.",
    "anti.proposal_too_early": "Pricing sent before value was established.",
    "anti.hoping_not_controlling": "No mutual action plan: waiting instead of controlling the process.",
    "anti.demo_before_discovery": "Product shown before needs were understood.",
    "anti.ignoring_competition": "Late-stage deal that assumes there is no alternative.",
    "anti.neglecting_champion": "The champion is not being equipped to sell internally.",
    "anti.forecast_fantasy": "Committed (or high-probability) deal that fails the Commit gate, or a deal counted in "
    "the period that the buyer's own plan signs after.",
    "anti.post_close_abandonment": "Won deal with no handoff or success plan for expansion.",
    "account.tier": "Info: account tier 1-4 by the seed's table.",
    "account.poor_fit": "Poor ICP fit or below the tier-4 band: route to self-serve or disqualify.",
    "hygiene.evidence_missing": "A MEDDPICC element marked confirmed with no evidence note, or a boilerplate one.",
    "hygiene.close_date_day_off": "Close date ahead on a weekend or public holiday: a date nobody agreed to sign on.",
    "hygiene.instruction_in_record": 'The record holds text written to steer an AI ("ignore previous instructions"): '
    "quoted as data, never followed; it moves neither health nor the forecast.",
    "data.coverage": "Info: the source does not carry part of the deal format; those parts are not judged.",
    "competition.positioning": "Info: strategy and risk for the deal's competitive situation.",
}

_PIPELINE = {
    "pipeline.coverage_gap": "Open pipeline covers less of the remaining quota than 1 / win rate requires.",
    "pipeline.stage_mix": "The pipeline's value by stage departs from the seed's 40/25/20/10/5 split.",
    "pipeline.required_activity": "Info: deals, opportunities per quarter and meetings per week the quota needs.",
    "pipeline.at_risk": "The open deals most at risk, ranked by amount and severity.",
    "pipeline.owner_gap": "A gap that recurs across one named owner's deals more than across the rest of the team.",
}

DEAL_FINDING_CODES: dict[str, str] = {**_MEDDPICC, **_DEAL}
"""Every code ``inspect()`` can emit for one deal, with when it fires."""

PIPELINE_FINDING_CODES: dict[str, str] = dict(_PIPELINE)
"""Codes computed over a whole pipeline."""

FINDING_CODES: dict[str, str] = {**DEAL_FINDING_CODES, **PIPELINE_FINDING_CODES}
"""The whole catalogue: code -> when it fires."""

MEDDPICC_ELEMENTS: tuple[str, ...] = tuple(code.split(".", 1)[1] for code in _MEDDPICC)
"""metrics, economic_buyer, decision_criteria, decision_process, paper_process, identified_pain, champion, competition."""
