"""Finding titles in the language in use: a template per finding code in the message catalogue, filled from
the finding's ``data`` and the deal's stage.

The inspector writes its titles in English (they are also data: tests, evals and prompts read them). When
the language in use is not English, :func:`translated` replaces the title at the one place findings are
built (``Context.finding``); codes, evidence (which quotes the deal) and data stay as they are. A code or a
variant the catalogue has no template for keeps its English title.
"""

from __future__ import annotations

from typing import Any

from ae_coach.i18n import current, has, join, t, term

SIGNER_NO_NUMBER = "the signer asked for the number the case does not have yet"
"""How ``meddpicc.metrics`` starts its reason when the signer asked for a number the buyer does not have."""
NO_NUMBER_YET = "the buyer has no number for the value yet"
"""How it starts when someone else on the buyer's side said so."""

_VARIANTS: dict[str, Any] = {
    "anti.hoping_not_controlling": lambda data, title: "overdue" if "overdue" in data else "",
    "anti.single_threading": lambda data, title: "" if data.get("name") else "none",
    "momentum.stale": lambda data, title: "none" if data.get("days") is None else "",
    "momentum.champion_dark": lambda data, title: "none" if title.endswith("no contact on record") else "",
    "momentum.competitor_counter": lambda data, title: "incumbent" if data.get("incumbent") else "",
    "momentum.company_event": lambda data, title: str(data.get("kind", "")),
    "account.poor_fit": lambda data, title: "unfit" if data.get("unfit") else "",
    "positive.buyer_waiting": lambda data, title: "dated" if data.get("due") else "",
    "momentum.budget_concern_late": lambda data, title: "" if str(data.get("said", "")).strip('"') else "bare",
    "anti.forecast_fantasy": lambda data, title: (
        ("wrong_period" if data.get("wrong_period") else "too_early") if title.startswith("Counted") else ""
    ),
}
"""Codes with more than one title shape: code -> (data, English title) -> the variant's key suffix."""


def translated(code: str, title: str, data: dict[str, Any], stage: Any, settings: Any = None) -> str:
    """The finding's title in the language in use (``title`` itself in English)."""
    if current() == "en":
        return title
    family, _, name = code.partition(".")
    variant = _VARIANTS.get(code)
    suffix = variant(data, title) if variant else ""
    if family == "meddpicc":
        key = "finding.meddpicc" + _meddpicc_variant(data)
    else:
        key = f"finding.{family}.{name}" + (f"_{suffix}" if suffix else "")
    if not has(key, "en"):
        return title
    return t(key, **_values(code, data, stage, settings))


def _meddpicc_variant(data: dict[str, Any]) -> str:
    """The title shape of a MEDDPICC finding: the seed's red flag, or what the record shows instead."""
    if data.get("pulled_back"):
        return "_parked" if data.get("gone_quiet") else "_parked_unasked"
    if data.get("unsettled"):
        return "_unlisted" if data.get("unlisted") else "_unsettled"
    if data.get("ours") and data.get("stuck"):
        return "_ours_point" if data.get("point") else "_ours"
    if data.get("blocked"):
        return f"_{data['blocked']}"
    if str(data.get("reason", "")).startswith("met and not backing"):
        return "_met"
    if str(data.get("reason", "")).startswith((SIGNER_NO_NUMBER, NO_NUMBER_YET)):
        return "_no_number"
    return "_reason" if data.get("reason") else ""


def _values(code: str, data: dict[str, Any], stage: Any, settings: Any) -> dict[str, Any]:
    values: dict[str, Any] = {key: value for key, value in data.items() if isinstance(value, (int, str))}
    values["stage"] = term(stage)
    if code.startswith("meddpicc."):
        element = str(data.get("element", code.split(".", 1)[1]))
        values.update(
            element=term(element),
            grade=t("grade.handed_over") if data.get("handed_over") else t(f"grade.{data.get('grade', 0)}"),
            flag=t(f"finding.red_flag.{element}"),
        )
        if data.get("ours_team"):
            values["team"] = t(f"finding.our_team.{data['ours_team']}")
    elif code == "committee.missing_role":
        values["missing"] = join(term(role) for role in data.get("missing", []))
    elif code == "stage.unearned":
        values["count"] = len(data.get("unmet", []))
    elif code == "stage.next_gate":
        values["next_stage"] = term(data.get("next_stage", ""))
        values["missing"] = join(criterion(name) for name in data.get("missing", []))
    elif code == "momentum.late_stakeholder":
        names = data.get("names", [])
        values.update(count=len(names), names=join(names))
        if data.get("entered"):  # the stage the deal was in when they arrived, not the one it is in now
            values["stage"] = term(str(data["entered"]))
    elif code == "momentum.meetings_rescheduled":
        values["window"] = getattr(settings, "reschedule_window_days", 30)
    elif code == "account.tier":
        tier = data.get("tier", 4)
        values.update(strategy=t(f"finding.account.tier_strategy.{tier}"), share=data.get("time_share", ""))
    elif code == "competition.positioning":
        situation = str(data.get("situation", "unknown"))
        values.update(
            situation=t(f"situation.{situation}"),
            strategy=t(f"finding.competition.strategy.{situation}"),
            risk=t(f"finding.competition.risk.{situation}"),
        )
    elif code == "hygiene.evidence_missing":
        elements = data.get("elements", [])
        values.update(count=len(elements), elements=join(term(e) for e in elements))
    elif code == "data.coverage":
        values["missing"] = join(data.get("missing", []))
    return values


def criterion(name: str) -> str:
    """A stage exit criterion ("budget range known") in the language in use."""
    return t(f"criterion.{name}", default=name)
