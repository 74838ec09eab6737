"""``eval judgement``: score the inspector's judgement (forecast call, top risk, health) against labels a
sales leader wrote before the tool ran (``evals/calibration/labels.yaml``).

Per case the inspector's ``assess()`` runs with the case's forecast period. The figures:

* **forecast agreement**: the recommended call equals the label's.
* **top-risk agreement**: the tool's top risk is the first finding of
  :func:`ae_coach.inspector.priority.ranked` at severity medium or worse (none if there is none). A label
  with codes agrees when the tool's top risk is one of them; a label ``[]`` ("no material risk") agrees
  when no finding is high or critical (a medium one may still be the tool's first item).
* **Spearman** rank correlation of the tool's health with the label's (average ranks for ties).
* **band agreement**: the tool's health mapped to a band with the labels' thresholds.
* **gaming test**: each deal again with every element whose evidence note is empty marked ``confirmed``
  and its note filled with one identical meaningless sentence (form-filling); the call must never rise.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ae_coach.errors import InputError, SuiteFileError

DEFAULT_LABELS = Path("evals/calibration/labels.yaml")
BOILERPLATE = "Discussed with the customer; all good."
"""The one meaningless sentence the gaming test writes into every empty evidence note."""
ELEMENTS = (
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion",
    "competition",
)
CALL_ORDER = {"omitted": 0, "pipeline": 1, "best_case": 2, "commit": 3, "closed": 4}
Band = Literal["at_risk", "watch", "healthy"]


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forecast: Literal["commit", "best_case", "pipeline", "omitted", "closed"]
    top_risk: list[str] = Field(default_factory=list)
    """Acceptable finding codes for the one problem a VP raises first; [] = no material risk."""
    health: int = Field(ge=0, le=100)
    band: Band
    why: str = ""


class LabelledDeal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    deal: str
    """Path relative to the labels file."""
    split: Literal["dev", "holdout"] = "dev"
    period: Literal["quarter", "month", "year"] = "quarter"
    label: Label
    tags: list[str] = Field(default_factory=list)


class Bands(BaseModel):
    model_config = ConfigDict(extra="forbid")

    watch: int = 45
    """Health at or above this is at least ``watch`` (below: ``at_risk``)."""
    healthy: int = 70


class LabelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    bands: Bands = Field(default_factory=Bands)
    cases: list[LabelledDeal] = Field(min_length=1)


def load_labels(path: Path) -> LabelsFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the labels ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SuiteFileError(path, f"not valid YAML: {exc}") from None
    try:
        labels = LabelsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        case = None
        if len(loc) > 1 and loc[0] == "cases" and isinstance(loc[1], int) and isinstance(data, dict):
            raw = (data.get("cases") or [])[loc[1]]
            case = raw.get("id") if isinstance(raw, dict) else None
        raise SuiteFileError(path, first["msg"], case=case, field=".".join(str(p) for p in loc)) from None
    for case in labels.cases:
        if not (path.parent / case.deal).is_file():
            raise SuiteFileError(path, f"deal file not found: {path.parent / case.deal}", case=case.id, field="deal")
    return labels


def band_of(health: int, bands: Bands) -> Band:
    return "healthy" if health >= bands.healthy else "watch" if health >= bands.watch else "at_risk"


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho: Pearson correlation of the ranks (ties get their average rank); None if undefined."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    vy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return None if vx == 0 or vy == 0 else cov / (vx * vy)


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


@dataclass
class CaseJudgement:
    id: str
    split: str
    period: str
    label: dict[str, Any]
    forecast: str
    top_risk: str | None
    high_findings: list[str]
    health: int
    band: str
    forecast_agrees: bool
    top_risk_agrees: bool
    band_agrees: bool
    gamed_forecast: str
    gaming_violation: bool
    forecast_reasons: list[str] = field(default_factory=list)


@dataclass
class SplitFigures:
    n: int
    forecast: float
    top_risk: float
    band: float
    spearman: float | None
    gaming_violations: list[str]


@dataclass
class JudgementReport:
    labels: str
    split: str
    cases: list[CaseJudgement]
    by_split: dict[str, SplitFigures]
    boilerplate: str = BOILERPLATE
    show_holdout: bool = False
    """Print holdout cases one by one too. Off by default: the holdout split is for reporting figures, and
    reading its disagreements case by case is how it ends up tuned against (docs/calibration.md)."""

    @property
    def overall(self) -> SplitFigures:
        return figures(self.cases)

    def failures(
        self,
        *,
        min_forecast: float | None = None,
        min_top_risk: float | None = None,
        min_spearman: float | None = None,
        min_band: float | None = None,
        max_gaming: int | None = None,
    ) -> list[str]:
        """The thresholds the figures miss, in words (empty: all met)."""
        f = self.overall
        out = []
        for name, value, floor in (
            ("forecast agreement", f.forecast, min_forecast),
            ("top-risk agreement", f.top_risk, min_top_risk),
            ("band agreement", f.band, min_band),
        ):
            if floor is not None and value < floor:
                out.append(f"{name} {value:.0%} < {floor:.0%}")
        if min_spearman is not None and (f.spearman is None or f.spearman < min_spearman):
            rho = "undefined" if f.spearman is None else f"{f.spearman:.2f}"
            out.append(f"Spearman {rho} < {min_spearman:.2f}")
        if max_gaming is not None and len(f.gaming_violations) > max_gaming:
            out.append(f"{len(f.gaming_violations)} gaming violation(s) > {max_gaming}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "split": self.split,
            "boilerplate": self.boilerplate,
            "overall": asdict(self.overall),
            "by_split": {k: asdict(v) for k, v in self.by_split.items()},
            "cases": [asdict(c) for c in self.cases],
        }


def figures(cases: list[CaseJudgement]) -> SplitFigures:
    n = len(cases)

    def share(key: str) -> float:
        return sum(bool(getattr(c, key)) for c in cases) / n if n else 0.0

    return SplitFigures(
        n=n,
        forecast=share("forecast_agrees"),
        top_risk=share("top_risk_agrees"),
        band=share("band_agrees"),
        spearman=spearman([float(c.health) for c in cases], [float(c.label["health"]) for c in cases]),
        gaming_violations=[c.id for c in cases if c.gaming_violation],
    )


def _value(x: Any) -> str:
    return str(x)


def _assess(deal: Any, period: str) -> Any:
    from ae_coach.inspector import Settings, assess

    return assess(deal, deal.as_of, settings=Settings.model_validate({"forecast_period": period}))


def top_risk(findings: list[Any]) -> str | None:
    """The first finding a manager raises at severity medium or worse (None: nothing that serious)."""
    from ae_coach.findings import Severity
    from ae_coach.inspector.priority import ranked

    return next((f.code for f in ranked(findings) if f.severity.rank <= Severity.MEDIUM.rank), None)


def gamed(deal: Any) -> Any:
    """The deal form-filled: every element with an empty evidence note marked ``confirmed`` with boilerplate."""
    from ae_coach.deal import parse_deal

    data = deal.model_dump(mode="json", by_alias=True, exclude_none=True)
    meddpicc = dict(data.get("meddpicc") or {})
    for name in ELEMENTS:
        element = dict(meddpicc.get(name) or {"status": "unknown"})
        if not str(element.get("evidence") or "").strip():
            element["status"] = "confirmed"
            element["evidence"] = BOILERPLATE
        meddpicc[name] = element
    data["meddpicc"] = meddpicc
    return parse_deal(data, source=f"{deal.id} (gaming variant)")


def judge_case(case: LabelledDeal, base: Path, bands: Bands) -> CaseJudgement:
    from ae_coach.deal import load_deal
    from ae_coach.findings import Severity

    deal = load_deal(base / case.deal)
    assessment = _assess(deal, case.period)
    findings = list(assessment.findings)
    serious = [f.code for f in findings if f.severity.rank <= Severity.HIGH.rank]
    top = top_risk(findings)
    forecast = _value(assessment.recommended_forecast)
    gamed_call = _value(_assess(gamed(deal), case.period).recommended_forecast)
    label = case.label
    top_agrees = top in label.top_risk if label.top_risk else not serious
    band = band_of(assessment.health, bands)
    return CaseJudgement(
        id=case.id,
        split=case.split,
        period=case.period,
        label=label.model_dump(),
        forecast=forecast,
        top_risk=top,
        high_findings=serious,
        health=assessment.health,
        band=band,
        forecast_agrees=forecast == label.forecast,
        top_risk_agrees=top_agrees,
        band_agrees=band == label.band,
        gamed_forecast=gamed_call,
        gaming_violation=CALL_ORDER.get(gamed_call, 0) > CALL_ORDER.get(forecast, 0),
        forecast_reasons=[str(r) for r in getattr(assessment, "forecast_reasons", [])][:4],
    )


def run_judgement(path: Path = DEFAULT_LABELS, split: str = "all", *, show_holdout: bool = False) -> JudgementReport:
    """Judge every labelled deal of ``split`` (dev, holdout or all) and compute the figures."""
    if split not in ("dev", "holdout", "all"):
        raise InputError(f"--split must be dev, holdout or all, got {split!r}")
    labels = load_labels(path)
    chosen = [c for c in labels.cases if split == "all" or c.split == split]
    cases = [judge_case(c, path.parent, labels.bands) for c in chosen]
    by_split = {
        s: figures([c for c in cases if c.split == s]) for s in ("dev", "holdout") if any(c.split == s for c in cases)
    }
    return JudgementReport(str(path), split, cases, by_split, show_holdout=show_holdout)


# --- reports ---------------------------------------------------------------------------------------


def _pct(v: float) -> str:
    return f"{v * 100:.0f}%"


def _rho(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def judgement_markdown(report: JudgementReport, heading: str = "#") -> str:
    lines = [
        f"{heading} Judgement vs labels: {report.labels} (split {report.split})",
        "",
        "| split | n | forecast | top risk | Spearman (health) | band | gaming violations |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [("all", report.overall), *report.by_split.items()]
    for name, f in rows:
        lines.append(
            f"| {name} | {f.n} | {_pct(f.forecast)} | {_pct(f.top_risk)} | {_rho(f.spearman)} | {_pct(f.band)} | "
            f"{len(f.gaming_violations)} |"
        )
    lines += [
        "",
        "Top risk: the first finding of priority.ranked at severity medium or worse; a label of [] agrees when "
        f"no finding is high or critical. Gaming: every element with an empty note marked confirmed with {report.boilerplate!r}.",
    ]
    disagreements = [c for c in report.cases if not (c.forecast_agrees and c.top_risk_agrees and c.band_agrees)]
    hidden = [c for c in disagreements if c.split == "holdout" and not report.show_holdout]
    disagreements = [c for c in disagreements if c not in hidden]
    if hidden:
        lines += ["", f"{len(hidden)} holdout case(s) disagree; not listed (figures only; --show-holdout lists them)."]
    if disagreements:
        lines += [
            "",
            f"{heading}# Disagreements",
            "",
            "| case | split | forecast (tool / label) | top risk (tool / label) | health (tool / label) | band |",
            "|---|---|---|---|---|---|",
        ]
        for c in disagreements:
            lab = c.label
            mark = {True: "", False: " ✗"}
            lines.append(
                f"| {c.id} | {c.split} | {c.forecast} / {lab['forecast']}{mark[c.forecast_agrees]} | "
                f"{c.top_risk or 'none'} / {', '.join(lab['top_risk']) or 'none'}{mark[c.top_risk_agrees]} | "
                f"{c.health} / {lab['health']} | {c.band} / {lab['band']}{mark[c.band_agrees]} |"
            )
    violations = [c for c in report.cases if c.gaming_violation]
    if violations:
        lines += ["", f"{heading}# Gaming violations (boilerplate raised the call)", ""]
        lines += [f"- {c.id}: {c.forecast} -> {c.gamed_forecast}" for c in violations]
    return "\n".join(lines) + "\n"


def judgement_html(report: JudgementReport) -> str:
    """The same content as the markdown report, as an HTML fragment (tables, escaped)."""
    import html

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table><tr>{th}</tr>{body}</table>"

    figures_rows = [
        [
            name,
            str(f.n),
            _pct(f.forecast),
            _pct(f.top_risk),
            _rho(f.spearman),
            _pct(f.band),
            str(len(f.gaming_violations)),
        ]
        for name, f in [("all", report.overall), *report.by_split.items()]
    ]
    case_rows = [
        [
            c.id,
            c.split,
            f"{c.forecast} / {c.label['forecast']}",
            f"{c.top_risk or 'none'} / {', '.join(c.label['top_risk']) or 'none'}",
            f"{c.health} / {c.label['health']}",
            f"{c.band} / {c.label['band']}",
            "yes" if c.gaming_violation else "",
        ]
        for c in report.cases
        if c.split != "holdout" or report.show_holdout
    ]
    return (
        f"<h2>Judgement vs labels: {html.escape(report.labels)} (split {html.escape(report.split)})</h2>"
        + table(["split", "n", "forecast", "top risk", "Spearman", "band", "gaming violations"], figures_rows)
        + "<h3>Every case (tool / label; holdout only with --show-holdout)</h3>"
        + table(["case", "split", "forecast", "top risk", "health", "band", "gaming violation"], case_rows)
    )
