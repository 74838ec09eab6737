"""Every threshold the inspector uses, as named, documented settings.

Numbers from the seed framework (stage probabilities, tier bands) are labelled "seed". Every other
default is an ae-coach default: a reasonable starting point, not a statistic. Teams override any of them
from a YAML file (``ae-coach review --settings team.yaml``)::

    stale_days: {proposal: 7}
    champion_dark_days: 10
    commit_max_days_to_close: 60
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ae_coach import _validation
from ae_coach.deal import Role, Stage
from ae_coach.errors import SettingsError

_OPEN = ("discovery", "scoping", "validation", "proposal", "closing")
_ELEMENTS = (
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion",
    "competition",
)


_DAY_OFF = r"^(day_after_thanksgiving|\d{2}-\d{2}(\.\.\d{2}-\d{2})?)$"


def _by_stage(**values: Any) -> dict[Stage, Any]:
    return {Stage(name): value for name, value in values.items()}


_HEALTH_CEILING = {"commit": 100, "best_case": 69, "pipeline": 54, "omitted": 69, "closed": 100}
"""Default health ceilings by forecast call (see ``Settings.health_ceiling``)."""


FX_TO_USD = {
    "USD": 1.0, "EUR": 1.1, "GBP": 1.3, "CHF": 1.15, "CAD": 0.73, "AUD": 0.65, "NZD": 0.59, "JPY": 0.0067,
    "CNY": 0.14, "HKD": 0.13, "SGD": 0.76, "INR": 0.0117, "KRW": 0.00072, "SEK": 0.1, "NOK": 0.095, "DKK": 0.15,
    "PLN": 0.26, "CZK": 0.044, "BRL": 0.18, "MXN": 0.053, "ZAR": 0.055, "AED": 0.27, "SAR": 0.27, "ILS": 0.28,
}  # fmt: skip
"""Rounded 2025 reference rates, US dollars per unit (central-bank reference rates such as the ECB's euro
foreign exchange reference rates): the default of ``Settings.fx_to_usd``."""


class Settings(BaseModel):
    """Inspector thresholds. Unknown keys are refused so a typo cannot silently keep a default."""

    # The field docstrings below document each threshold; they are read from the source only when the
    # table in docs/inspector.md is built (``use_attribute_docstrings`` would parse it at every start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # --- momentum -------------------------------------------------------------------------------
    stale_days: dict[Stage, int] = Field(
        default_factory=lambda: _by_stage(discovery=21, scoping=14, validation=14, proposal=10, closing=7)
    )
    """ae-coach default: days without a completed buyer activity before ``momentum.stale`` fires, by stage.
    Later stages move faster, so silence there means more. Twice the threshold raises the severity."""
    champion_dark_days: int = Field(default=14, ge=1)
    """ae-coach default: days since the champion's last two-way contact before ``momentum.champion_dark``."""
    unanswered_outreach: int = Field(default=2, ge=1)
    """ae-coach default: outbound touches with no reply since the last two-way contact that make the chasing
    a danger signal of its own (``momentum.unanswered_outreach``)."""
    reschedule_window_days: int = Field(default=30, ge=1)
    """ae-coach default: how far back rescheduled, cancelled or no-show meetings count."""
    reschedule_high_count: int = Field(default=3, ge=1)
    """ae-coach default: this many reschedules/cancellations in the window make the finding high; so does one
    meeting called off (cancelled or missed) with the economic buyer or a senior title in it or named in it
    ("Annabel has had to clear her diary", from her assistant) and nothing rebooked with them, which also keeps
    the deal out of best case."""
    late_stakeholder_stages: list[Stage] = Field(default_factory=lambda: [Stage.PROPOSAL, Stage.CLOSING])
    """ae-coach default: the stages that count as late for the seed's danger signal "new stakeholders
    introduced late"."""
    late_window_days: int = Field(default=30, ge=1)
    """ae-coach default: when the record has no stage history, a stakeholder or competitor added this recently
    while the deal is in a late stage counts as late."""
    counter_offer_days: int = Field(default=45, ge=1)
    """ae-coach default: a rival's price move (a discount to stay, a price match) this recent is the
    danger signal ``momentum.competitor_counter``."""
    event_recent_days: int = Field(default=120, ge=1)
    """ae-coach default: an event at the buyer's company (a freeze, weak results, a cost programme, a reorg, an
    acquisition) reported this recently is the danger signal ``momentum.company_event``; an older one is the deal's
    history, and whatever it changed shows in the record since."""
    pending_review_follow_up_days: int = Field(default=7, ge=1)
    """ae-coach default: days after "let me run this by…" with no follow-up before the danger signal fires."""
    slip_count: int = Field(default=2, ge=1)
    """ae-coach default: close-date pushes that fire ``momentum.close_date_slipped`` at any stage."""
    slip_late_stages: list[Stage] = Field(default_factory=lambda: [Stage.PROPOSAL, Stage.CLOSING])
    """ae-coach default: at these stages a single push fires ``momentum.close_date_slipped``."""
    next_step_required: bool = True
    """ae-coach default: every open deal needs a dated next step (seed: "we'll get back to you" without date)."""

    # --- buying committee -----------------------------------------------------------------------
    committee_roles_by_stage: dict[Stage, list[Role]] = Field(
        default_factory=lambda: _by_stage(
            discovery=[Role.CHAMPION],
            scoping=[Role.CHAMPION, Role.TECHNICAL_BUYER],
            validation=[Role.CHAMPION, Role.TECHNICAL_BUYER, Role.ECONOMIC_BUYER],
            proposal=[Role.CHAMPION, Role.TECHNICAL_BUYER, Role.ECONOMIC_BUYER, Role.USER_BUYER],
            closing=[Role.CHAMPION, Role.TECHNICAL_BUYER, Role.ECONOMIC_BUYER, Role.USER_BUYER],
        )
    )
    """ae-coach default: committee roles (seed diagram) that must be identified by each stage."""
    committee_large_deal_amount: float = 100_000
    """Seed (tier-1 band): from this amount every committee role is required from
    ``committee_large_deal_from_stage`` on: big deals have full committees."""
    committee_large_deal_from_stage: Stage = Stage.VALIDATION
    """ae-coach default: the stage from which large deals need the full committee."""
    committee_small_deal_amount: float = 25_000
    """Seed (tier-4 band): below this amount only the economic buyer and champion are required, and an
    economic buyer who champions the deal covers both."""

    # --- anti-patterns --------------------------------------------------------------------------
    single_thread_from_stage: Stage = Stage.SCOPING
    """ae-coach default: from this stage one engaged contact fires ``anti.single_threading`` at medium or
    higher (at discovery it is low)."""
    map_required_from_stage: Stage = Stage.VALIDATION
    """ae-coach default: from this stage a deal without a mutual action plan fires ``anti.hoping_not_controlling``."""
    competition_required_from_stage: Stage = Stage.VALIDATION
    """ae-coach default: from this stage a deal with no known alternative fires ``anti.ignoring_competition``."""
    champion_enablement_from_stage: Stage = Stage.VALIDATION
    """ae-coach default: from this stage a champion with no enablement on record fires ``anti.neglecting_champion``."""
    happy_ears_probability_margin: float = Field(default=15, ge=0)
    """ae-coach default: CRM probability this many points above the seed's stage probability is optimism
    the stage does not support."""
    happy_ears_unsupported_confirmed: int = Field(default=3, ge=1)
    """ae-coach default: MEDDPICC elements marked confirmed without evidence that count as happy ears."""
    post_close_grace_days: int = Field(default=14, ge=0)
    """ae-coach default: days after a win before a missing handoff is high rather than medium."""

    # --- account tier (seed table) --------------------------------------------------------------
    fx_to_usd: dict[str, float] = Field(default_factory=lambda: dict(FX_TO_USD))
    """ae-coach default: approximate US dollars per unit of each currency (rounded 2025 reference rates), used only
    to compare a deal's amount with the seed's dollar bands (tiers, small and large deals); a currency not listed
    counts one to one. Set your own rates here."""
    tier1_min_amount: float = 100_000
    """Seed: tier 1 is $100k+ potential, strategic fit, active buying."""
    tier2_min_amount: float = 50_000
    """Seed: tier 2 is $50-100k potential, good fit, developing need."""
    tier3_min_amount: float = 25_000
    """Seed: tier 3 is $25-50k potential, fit confirmed, timeline unclear; below it is tier 4."""

    # --- forecast and health --------------------------------------------------------------------
    forecast_period: Literal["month", "quarter", "year"] = "quarter"
    """ae-coach default: the period a forecast call is for (``--period``); Commit and Best case need a close
    date inside it, and a deal closing after it is Omitted from this period's number."""
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    """ae-coach default: the month (1-12) the fiscal year starts in; quarters are counted from it."""
    holidays_country: str = Field(default="auto", pattern=r"^([A-Za-z]{2,3}|auto)?$")
    """ae-coach default: the country whose public holidays are never due dates or plan dates (ISO code, e.g.
    US, GB, DE, CN; empty for weekends only; ``auto``: where the buyer is, the deal's ``account_country``, else
    the country of the deal's currency, weekends only for a currency several countries use, such as the euro)."""
    days_off: list[str] = Field(default_factory=lambda: ["day_after_thanksgiving", "12-24..12-31"])
    """ae-coach default: days that are not public holidays but on which buyers are out, so no action or drafted
    plan step is due on them: ``day_after_thanksgiving`` (the Friday after the fourth Thursday of November, a day
    off only when the holidays are the US ones), ``MM-DD`` or a range ``MM-DD..MM-DD`` (the default's
    12-24..12-31 is the holiday week, kept for every country); [] for none."""
    commit_min_stage: Stage = Stage.PROPOSAL
    """ae-coach default: the earliest stage a deal may be called Commit (seed probability 75%)."""
    commit_required_grades: dict[str, int] = Field(
        default_factory=lambda: {
            "economic_buyer": 2,
            "champion": 2,
            "decision_process": 2,
            "paper_process": 2,
            "identified_pain": 2,
            "metrics": 2,
        }
    )
    """ae-coach default: the MEDDPICC grade (0-3) each element needs for Commit; 2 = buyer-confirmed."""
    commit_requires_map: bool = True
    """ae-coach default: Commit needs a mutual action plan with a dated step still to come."""
    commit_probability: float = 90
    """Seed (closing stage probability, 90%+): when a deal has no ``forecast_category``, a CRM probability at
    or above this is treated as a Commit call for ``anti.forecast_fantasy``."""
    best_case_min_stage: Stage = Stage.VALIDATION
    """ae-coach default: the earliest stage recommended as Best case."""
    best_case_max_danger: int = Field(default=1, ge=0)
    """ae-coach default: a deal with more danger signals than this open together (champion dark, chasing
    unanswered, meetings moved, a late competitor, a late budget concern, a review with no follow-up) is
    Pipeline, not Best case: deal-danger-signals treats two together as a stalled deal."""
    omit_dark_days: int = Field(default=60, ge=1)
    """ae-coach default: no completed activity for this long recommends Omitted."""
    omit_close_passed_days: int = Field(default=30, ge=0)
    """ae-coach default: a close date this far in the past recommends Omitted."""
    close_slack_days: int = Field(default=10, ge=0)
    """ae-coach default: working days of slack the review adds after the earliest day the buyer's own lead time
    or written sequence of steps ends, when it tells the rep to move the close date there: that day is a floor
    (every step on time, no question asked), not a date to forecast; 0 recommends the floor itself."""
    document_sign_days: int = Field(default=5, ge=0)
    """ae-coach default: working days the review gives a document the buyer's process waits on (an NDA, a
    confidentiality deed) to be signed, from today: the buyer's written sequence of steps starts after it, never
    at no time."""
    questionnaire_items_per_day: int = Field(default=40, ge=1)
    """ae-coach default: items of a questionnaire the buyer has us answer (a security questionnaire or check sheet,
    "~180 items") our side answers in a working day: 180 items take 5 working days, and never fewer than 2 (a size
    not on record takes 2)."""
    health_penalty: dict[str, int] = Field(
        default_factory=lambda: {"critical": 25, "high": 12, "medium": 5, "low": 2, "info": 0}
    )
    """ae-coach default: percent of the remaining health a finding of each severity takes (0-100). Penalties
    compound, worst finding first, so the score separates a bad deal from a hopeless one instead of
    bottoming out at 0."""
    health_positive_bonus: int = Field(default=2, ge=0)
    """ae-coach default: points each positive signal adds back."""
    health_positive_cap: int = Field(default=10, ge=0)
    """ae-coach default: most points positive signals can add back in total."""
    health_disqualify_cap: int = Field(default=14, ge=0, le=100)
    """ae-coach default: the highest health a deal to disqualify (poor fit, no pain in the buyer's words), on hold or
    to omit for silence can show. The cap is that fact's one charge: it replaces the call's range, it is not scaled
    again."""
    health_unsigned_cap: int = Field(default=95, ge=0, le=100)
    """ae-coach default: the highest health an open deal can show: its score is scaled into 0-95 like a call's
    ceiling, so open deals keep their order. A deal with nothing wrong on record is still not signed; 100 is for
    the signature (a blind VP grade: "no unsigned deal is 100")."""
    health_ceiling: dict[str, int] = Field(default_factory=lambda: dict(_HEALTH_CEILING))
    """ae-coach default: the highest health each forecast call allows. The score from the findings is scaled
    into it (score x ceiling / 100), so deals keep their order within a call and a deal the evidence keeps out
    of Commit never reads healthy (70+): best case at most 69 (watch), pipeline at most 54. A deal out of this
    period's number is ranged by the call its evidence earns (in its own period when it closes later), and
    ``omitted`` is the ceiling of one whose evidence earns neither Commit nor best case (69)."""

    @field_validator("stale_days")
    @classmethod
    def _stale_days_cover_open_stages(cls, value: dict[Stage, int]) -> dict[Stage, int]:
        merged = {**_by_stage(discovery=21, scoping=14, validation=14, proposal=10, closing=7), **value}
        if any(days < 1 for days in merged.values()):
            raise ValueError("stale days must be at least 1")
        return merged

    @field_validator("days_off")
    @classmethod
    def _known_days_off(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.match(_DAY_OFF, item) or any(_bad_month_day(part) for part in item.split("..")[:2]):
                raise ValueError(f"unknown day off {item!r}; allowed: day_after_thanksgiving, MM-DD, MM-DD..MM-DD")
        return value

    @field_validator("commit_required_grades")
    @classmethod
    def _known_elements(cls, value: dict[str, int]) -> dict[str, int]:
        for name, grade in value.items():
            if name not in _ELEMENTS:
                raise ValueError(f"unknown MEDDPICC element {name!r}; allowed: {', '.join(_ELEMENTS)}")
            if not 0 <= grade <= 3:
                raise ValueError(f"grade for {name} must be 0-3, got {grade}")
        return value

    @field_validator("health_penalty")
    @classmethod
    def _known_severities(cls, value: dict[str, int]) -> dict[str, int]:
        defaults = {"critical": 25, "high": 12, "medium": 5, "low": 2, "info": 0}
        return _percent_table(
            value, defaults, "severity", "penalty for {} must be 0-100 (percent of the remaining health)"
        )

    @field_validator("health_ceiling")
    @classmethod
    def _known_calls(cls, value: dict[str, int]) -> dict[str, int]:
        return _percent_table(value, _HEALTH_CEILING, "forecast category", "health ceiling for {} must be 0-100")


DEFAULT_SETTINGS = Settings.model_construct()


def in_usd(amount: float, currency: str | None, settings: Settings | None = None) -> float:
    """``amount`` in US dollars at the settings' rates, for comparing with the seed's dollar bands."""
    rates = (settings or DEFAULT_SETTINGS).fx_to_usd
    return amount * rates.get((currency or "USD").upper(), 1.0)


"""Every default: constructed, not validated (defaults are not validated either way), so a review with the
playbook's defaults never builds the settings' validator (~2 ms at start-up)."""


def playbook_settings() -> Settings:
    """The settings of the playbook in use (its ``[settings]`` over the defaults)."""
    from ae_coach.playbook import active

    playbook = active()
    if not playbook.settings:
        return DEFAULT_SETTINGS
    return settings_from_mapping(playbook.settings, source=f"{playbook.config} [settings]")


def load_settings(path: str | Path | None = None) -> Settings:
    """Read settings from a YAML file over the playbook's; keys given in neither keep their defaults.

    Args:
        path: A YAML mapping of setting names to values, or ``None`` for the playbook's settings.

    Raises:
        SettingsError: The file cannot be read, is not a mapping, names an unknown setting (the message
            lists the allowed ones) or gives a bad value.
    """
    if path is None:
        return playbook_settings()
    import yaml

    from ae_coach._safe_yaml import load_bounded_yaml

    path = Path(path)
    try:
        data = load_bounded_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the settings file ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SettingsError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: settings must be a mapping of names to values")
    from ae_coach.playbook import active

    settings_from_mapping(data, source=str(path))  # name this file's own mistakes first
    return settings_from_mapping({**active().settings, **data}, source=str(path))


def settings_from_mapping(data: dict[str, Any], *, source: str = "<settings>") -> Settings:
    """Validate a mapping of overrides into Settings (see :func:`load_settings`)."""
    allowed = sorted(Settings.model_fields)
    unknown = [str(key) for key in data if key not in Settings.model_fields]
    if unknown:
        raise SettingsError(f"{source}: unknown setting {unknown[0]!r}; allowed: {', '.join(allowed)}")
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"{source}: {_validation.summary(exc, Settings)}") from None


def settings_table() -> str:
    """The thresholds as a markdown table (name, default, meaning, source), for docs/inspector.md."""
    rows = ["| name | default | meaning | source |", "|---|---|---|---|"]
    docs = field_docs(Settings)
    for name in Settings.model_fields:
        default = getattr(DEFAULT_SETTINGS, name)
        text = " ".join(docs.get(name, "").split())
        source = "seed" if text.lower().startswith("seed") else "ae-coach default"
        meaning = text.split(":", 1)[1].strip() if ":" in text[:40] else text
        meaning = meaning.replace("|", "/").replace("``", "`")
        rows.append(f"| `{name}` | {_show(default)} | {meaning} | {source} |")
    return "\n".join(rows)


def field_docs(cls: type) -> dict[str, str]:
    """The docstring under each annotated field of ``cls``, as pydantic's ``use_attribute_docstrings`` reads it."""
    import ast
    import inspect
    import itertools
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{getattr(k, 'value', k)}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


if __name__ == "__main__":  # regenerate the table in docs/inspector.md
    print(settings_table())


def stage_problems(playbook: Any, rulebook: Any) -> list[Any]:
    """What ``rules lint`` says about a playbook's ``[stages]``, each at its line of ``ae-coach.toml``.

    An error for a team stage mapped onto a stage ae-coach does not know (no gate or rule could apply to
    it); a warning for an open stage of ours that none of the team's stages maps onto (its exit criteria
    never apply to the team's deals), and for a rule whose ``stages`` are all such stages (it never applies).
    """
    from ae_coach.rules.parse import Problem

    if not playbook.stages or playbook.config is None:
        return []
    text = playbook.config.read_text(encoding="utf-8")

    def line_of(name: str) -> int | None:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip().startswith((f'"{name}"', f"'{name}'", f"{name} ", f"{name}=")):
                return number
        return None

    known = {stage.value for stage in Stage}
    problems = [
        Problem(
            playbook.config,
            line_of(name),
            f"[stages] {name!r} = {target!r}: not a stage ae-coach knows; allowed: {', '.join(sorted(known))}",
        )
        for name, target in playbook.stages.items()
        if target not in known
    ]
    used = {target for target in playbook.stages.values() if target in known}
    unused = [stage for stage in _OPEN if stage not in used]
    stages_line = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[stages]"), None)
    problems += [
        Problem(
            playbook.config,
            stages_line,
            f"[stages]: none of your stages maps onto {stage!r}; its exit criteria never apply to your deals",
            "warning",
        )
        for stage in unused
    ]
    for rule in rulebook:
        stages = {str(stage) for stage in rule.stages or ()}
        if stages and not stages & used:
            message = f"applies only at {', '.join(sorted(stages))}, which none of your [stages] maps onto"
            problems.append(Problem(rule.path, 1, message, "warning"))
    return problems


def _bad_month_day(text: str) -> bool:
    if text == "day_after_thanksgiving":
        return False
    month, day = (int(x) for x in text.split("-"))
    return not (1 <= month <= 12 and 1 <= day <= 31)


def _percent_table(value: dict[str, int], defaults: dict[str, int], noun: str, out_of_range: str) -> dict[str, int]:
    """``defaults`` overridden by ``value``, whose keys must be among the defaults' and whose points are 0-100."""
    unknown = [name for name in value if name not in defaults]
    if unknown:
        raise ValueError(f"unknown {noun} {unknown[0]!r}; allowed: {', '.join(defaults)}")
    bad = [name for name, points in value.items() if not 0 <= points <= 100]
    if bad:
        raise ValueError(out_of_range.format(bad[0]))
    return defaults | value
