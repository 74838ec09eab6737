"""Rule text fitted to one deal: placeholders filled, stage words that no longer fit, who a question is for.

Rules are written for every deal; a report is read about one. These helpers make the rules' own words
read right for the deal in front of the manager without paraphrasing them: a "[economic buyer]"
placeholder becomes the person the deal names (or a neutral phrase, never the bracket), "Ask in
scoping…" at proposal becomes "Ask now…", and steps that are about the whole pipeline rather than this
deal ("run a report of open deals…") are recognised so the coach can prefer a step about the deal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ae_coach.coach._people import person_in_role
from ae_coach.deal import STAGE_ORDER, Stage

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.findings import Finding

REVIEW_PREFIX = "Deal review:"
"""Rules mark questions a manager asks the AE (not the buyer) with this prefix."""

_NEUTRAL = {
    "economic buyer": "the budget holder",
    "champion": "your champion",
    "technical buyer": "the technical lead",
    "competitor": "the other vendor",
}
"""What a placeholder becomes when the deal names nobody for it: a phrase that still reads as a sentence."""

_NAME_FALLBACK = {
    "momentum.late_stakeholder": "the new stakeholder",
    "momentum.pending_internal_review": "the person you were checking with",
    "momentum.champion_dark": "the person they were taking it to",
    "relationship-champion-gone-dark": "the person they were taking it to",
}
_PLACEHOLDER = re.compile(r"\[(economic buyer|champion|technical buyer|competitor|name)\]", re.IGNORECASE)
_ROLE_OF = {"economic buyer": "economic_buyer", "champion": "champion", "technical buyer": "technical_buyer"}

_STAGES = "discovery|scoping|validation|proposal|closing"
_IN_STAGE = re.compile(
    # "Ask in scoping who…", "directly in discovery;", "during closing:" but not "invest in discovery and
    # pain quantification", where the stage is the work itself rather than a moment
    rf"\b(?:in|during) (?:the first )?({_STAGES})(?: or ({_STAGES}))?(?: call| meeting)?\b(?! and\b)",
    re.IGNORECASE,
)
_BEFORE_STAGE = re.compile(rf"^Before (?:the )?({_STAGES})\b", re.IGNORECASE)
_PORTFOLIO = re.compile(
    r"\b(?:every (?:open )?deal|open deals|each deal|all deals|whole pipeline|across your pipeline|pipeline review|"
    r"before each forecast call|Monday's|which deals|prospecting)\b",
    re.IGNORECASE,
)
_INTERNAL = re.compile(
    r"^(?:Record|Grade|Log|Update)\b|\bin the CRM\b|\bMEDDPICC evidence\b|\bcompetitors list\b|^Check the grades\b",
    re.IGNORECASE,
)
_TO_ROLE = re.compile(r"^To (?:the |your )?([a-z ]+?):\s*", re.IGNORECASE)


def fill(text: str, deal: Deal, finding: Finding | None = None) -> str:
    """Replace ``[economic buyer]``, ``[champion]``, ``[technical buyer]``, ``[competitor]`` and ``[name]``
    with the deal's people and competitors, or with a neutral phrase when the deal does not say."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        if key in _ROLE_OF:
            person = person_in_role(deal, _ROLE_OF[key])
            return person.name if person else _NEUTRAL[key]
        if key == "competitor":
            return _competitor(deal, finding) or _NEUTRAL[key]
        return _name(finding) or _NAME_FALLBACK.get(finding.code if finding else "", "that person")

    return _PLACEHOLDER.sub(replace, text)


def _competitor(deal: Deal, finding: Finding | None) -> str | None:
    names = [c.name for c in deal.competitors]
    if finding is not None:
        for line in finding.evidence:  # the competitor the finding is about (e.g. the one added late)
            for name in names:
                if name in line:
                    return name
    return names[-1] if names else None


def _name(finding: Finding | None) -> str | None:
    if finding is None:
        return None
    names = finding.data.get("names")
    return names[0] if isinstance(names, list) and names else None


def _stage(stage: Any) -> Stage:
    return stage if isinstance(stage, Stage) else Stage(str(stage))


def fit_stage(step: str, stage: Any) -> str:
    """'Ask in scoping who owns…' at proposal -> 'Ask now who owns…': the time for it has passed, not the need."""
    current = STAGE_ORDER[_stage(stage)]

    def replace(match: re.Match[str]) -> str:
        named = [STAGE_ORDER[Stage(g.lower())] for g in match.groups() if g]
        return "now" if max(named) < current else match.group(0)

    return _IN_STAGE.sub(replace, step)


def too_late(step: str, stage: Any) -> bool:
    """A step that must happen before a stage the deal has already reached ('Before the proposal, …')."""
    match = _BEFORE_STAGE.search(step)
    return match is not None and STAGE_ORDER[Stage(match.group(1).lower())] <= STAGE_ORDER[_stage(stage)]


def about_the_pipeline(step: str) -> bool:
    """A step about the whole pipeline or the weekly routine rather than this deal."""
    return bool(_PORTFOLIO.search(step))


def internal(step: str) -> bool:
    """A step the AE does at their desk (CRM, grades, evidence), with no buyer contact to name."""
    return bool(_INTERNAL.search(step))


def parse_question(raw: str) -> tuple[str, str | None]:
    """A rule's question bullet -> (question text, audience).

    The audience is ``"ae"`` for a ``Deal review: "…"`` bullet (a manager's question to the AE), a
    committee role for ``To the economic buyer: "…"``, else ``None`` (the buyer contact for the finding).
    """
    text, audience = raw.strip(), None
    if text.startswith(REVIEW_PREFIX):
        text, audience = text.removeprefix(REVIEW_PREFIX).strip(), "ae"
    else:
        match = _TO_ROLE.match(text)
        if match and text[match.end() :].startswith(('"', "“")):
            audience = match.group(1).strip().lower().replace(" ", "_")
            text = text[match.end() :]
    return text.strip().strip('"“”').strip(), audience


# A step that opens with a condition ("If the close date has passed, ...") is advice for deals where the
# condition holds. Each pattern maps to what in the deal shows it: a finding code, or a deal field.
# A condition not listed here is assumed to hold: the step is shown as the author wrote it.
_CONDITIONS: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), test)
    for pattern, test in (
        (r"^If the close date has passed\b", lambda deal, codes: "momentum.close_date_passed" in codes),
        (r"^If pricing (?:is already out|already went out)\b", lambda deal, codes: pricing_out(deal)),
        (r"^Before (?:the|any|you send the) proposal\b", lambda deal, codes: not pricing_out(deal)),
        (
            r"^If (?:this|the) account is tier 4 or a poor fit\b",
            lambda deal, codes: _tier(codes) == 4 or _fit(deal) == "poor",
        ),
        (r"^If (?:this|the) account is tier (\d)\b", None),  # compared with the deal's tier below
        (r"^If the account is a poor fit\b", lambda deal, codes: _fit(deal) == "poor"),
        (r"^If fit is unknown\b", lambda deal, codes: _fit(deal) == "unknown"),
        (r"^When a competitor appears late\b", lambda deal, codes: "momentum.competitor_late" in codes),
        (
            r"^When a budget concern appears after the proposal\b",
            lambda deal, codes: "momentum.budget_concern_late" in codes,
        ),
        (r"^If this deal has had no completed buyer activity\b", lambda deal, codes: "momentum.stale" in codes),
        (
            r"^When the buyer starts a security or legal review\b",
            lambda deal, codes: "positive.legal_security_review" in codes,
        ),
        (r"^When procurement gives you a timeline\b", lambda deal, codes: "positive.procurement_timeline" in codes),
        (r"^If discovery ends with no urgent pain\b", lambda deal, codes: "meddpicc.identified_pain" in codes),
        (r"^If access is still refused\b", lambda deal, codes: "meddpicc.economic_buyer" in codes),
    )
)


def applies(step: str, deal: Deal, findings: list[Finding] | dict[str, Any]) -> bool:
    """False when ``step`` opens with a condition the deal shows does not hold ("If the close date has
    passed" on a deal whose close date is ahead); True otherwise, including for conditions we cannot check."""
    codes = findings if isinstance(findings, dict) else {f.code: f for f in findings}
    for pattern, test in _CONDITIONS:
        match = pattern.match(step.strip())
        if match is None:
            continue
        if test is None:  # "If the account is tier N"
            return _tier(codes) == int(match.group(1))
        return bool(test(deal, codes))
    return True


def _tier(codes: dict[str, Any]) -> int | None:
    finding = codes.get("account.tier")
    return finding.data.get("tier") if finding is not None else None


def _fit(deal: Deal) -> str:
    return _v(deal.fit)


def _v(x: Any) -> str:
    return str(getattr(x, "value", x))


def pricing_out(deal: Deal) -> bool:
    """Pricing is in the buyer's hands: the deal is at proposal or later, or a proposal activity happened."""
    done = any(_v(a.type) == "proposal" and _v(a.status) == "completed" for a in deal.activities)
    return done or _v(deal.stage) in ("proposal", "closing", "closed_won", "closed_lost")
