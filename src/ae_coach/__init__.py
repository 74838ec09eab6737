"""ae-coach: a deal-review coach for B2B SaaS account executives.

The public API is the dozen names in ``__all__``; they are imported lazily so that ``import ae_coach``
and the CLI start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_rulebook": "ae_coach.rules",
    "Rule": "ae_coach.rules",
    "Rulebook": "ae_coach.rules",
    "load_deal": "ae_coach.deal",
    "parse_deal": "ae_coach.deal",
    "Deal": "ae_coach.deal",
    "Finding": "ae_coach.findings",
    "Severity": "ae_coach.findings",
    "inspect": "ae_coach.inspector",
    "assess": "ae_coach.inspector",
    "Coach": "ae_coach.coach",
    "CoachingReport": "ae_coach.coach.report",
    "AeCoachError": "ae_coach.errors",
}

__all__ = [
    "AeCoachError",
    "Coach",
    "CoachingReport",
    "Deal",
    "Finding",
    "Rule",
    "Rulebook",
    "Severity",
    "assess",
    "inspect",
    "load_deal",
    "load_rulebook",
    "parse_deal",
]

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.coach import Coach
    from ae_coach.coach.report import CoachingReport
    from ae_coach.deal import Deal, load_deal, parse_deal
    from ae_coach.errors import AeCoachError
    from ae_coach.findings import Finding, Severity
    from ae_coach.inspector import assess, inspect
    from ae_coach.rules import Rule, Rulebook, load_rulebook


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ae_coach' has no attribute {name!r}")
