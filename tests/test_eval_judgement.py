"""``eval judgement``: the inspector's forecast call, top risk and health scored against labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.deal import load_deal
from ae_coach.eval import run_judgement
from ae_coach.eval._judgement import BOILERPLATE, ELEMENTS, Bands, band_of, gamed, spearman, top_risk
from ae_coach.findings import Severity
from ae_coach.inspector import Settings, assess

FIXTURES = Path(__file__).parent / "fixtures" / "calibration"
LABELS = FIXTURES / "labels.yaml"


@pytest.mark.parametrize(
    ("xs", "ys", "rho"),
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
        ([1, 2, 2, 3], [1, 2, 3, 4], 0.9486833),  # ties get their average rank
        ([1, 2], [1, 2], None),  # too few to rank
        ([5, 5, 5], [1, 2, 3], None),  # no spread
    ],
)
def test_spearman(xs: list[float], ys: list[float], rho: float | None) -> None:
    assert spearman(xs, ys) == (None if rho is None else pytest.approx(rho))


def test_bands_use_the_labels_thresholds() -> None:
    bands = Bands()
    assert [band_of(h, bands) for h in (0, 44, 45, 69, 70, 100)] == [
        "at_risk",
        "at_risk",
        "watch",
        "watch",
        "healthy",
        "healthy",
    ]


def test_every_figure_follows_from_assess_and_the_labels() -> None:
    report = run_judgement(LABELS)
    assert [c.id for c in report.cases] == ["fx.well-run", "fx.form-filled", "fx.gone-quiet"]
    for case in report.cases:
        deal = load_deal(FIXTURES / "deals" / f"{case.id.removeprefix('fx.')}.yaml")
        a = assess(deal, deal.as_of, settings=Settings.model_validate({"forecast_period": case.period}))
        assert case.forecast == a.recommended_forecast.value and case.health == a.health
        assert case.forecast_agrees == (case.forecast == case.label["forecast"])
        serious = [f for f in a.findings if f.severity.rank <= Severity.HIGH.rank]
        assert case.top_risk == top_risk(a.findings)
        if case.label["top_risk"]:
            assert case.top_risk_agrees == (case.top_risk in case.label["top_risk"])
        else:  # "no material risk" agrees when nothing high or critical fired
            assert case.top_risk_agrees == (not serious)
    overall = report.overall
    assert overall.n == 3 and overall.forecast == sum(c.forecast_agrees for c in report.cases) / 3
    assert set(report.by_split) == {"dev", "holdout"} and report.by_split["holdout"].n == 2
    holdout = run_judgement(LABELS, split="holdout")
    assert [c.id for c in holdout.cases] == ["fx.form-filled", "fx.gone-quiet"]


def test_the_gaming_variant_form_fills_every_empty_note_with_one_meaningless_sentence() -> None:
    deal = load_deal(FIXTURES / "deals" / "gone-quiet.yaml")  # identified_pain partial with a note
    variant = gamed(deal)
    for name in ELEMENTS:
        element, original = getattr(variant.meddpicc, name), getattr(deal.meddpicc, name)
        if original is not None and original.evidence:
            assert element == original  # a real note is left as the rep wrote it
        else:
            assert element.status.value == "confirmed" and element.evidence == BOILERPLATE


def test_a_gaming_violation_is_a_call_raised_by_boilerplate() -> None:
    report = run_judgement(LABELS)
    order = {"omitted": 0, "pipeline": 1, "best_case": 2, "commit": 3, "closed": 4}
    for case in report.cases:
        assert case.gaming_violation == (order[case.gamed_forecast] > order[case.forecast])


def test_thresholds_set_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "judgement", str(LABELS), "--min-forecast", "0.1", "--max-gaming", "3"]) == 0
    capsys.readouterr()
    assert main(["eval", "judgement", str(LABELS), "--min-forecast", "1.0", "--min-spearman", "0.99"]) == 1
    err = capsys.readouterr().err
    assert "judgement below the thresholds" in err and "Spearman" in err
    assert main(["eval", "judgement", str(LABELS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["n"] == 3 and len(data["cases"]) == 3


def test_the_eval_report_includes_the_judgement(repo: Path, tmp_path: Path) -> None:
    suite = str(repo / "evals" / "rule-selection.yaml")
    for fmt, needle in (("markdown", "## Judgement vs labels"), ("html", "<h2>Judgement vs labels")):
        out = tmp_path / f"r.{fmt}"
        args = ["eval", "run", suite, "--judgement", str(LABELS), "--format", fmt, "-o", str(out)]
        assert main([*args, "--runs-dir", str(tmp_path)]) == 0
        assert needle in out.read_text() and "fx.well-run" in out.read_text()


def test_a_bad_labels_file_names_the_case_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "labels.yaml"
    bad.write_text(
        "cases:\n  - {id: x1, deal: nowhere.yaml, label: {forecast: maybe, health: 5, band: healthy}}\n",
        encoding="utf-8",
    )
    assert main(["eval", "judgement", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "x1" in err and "label.forecast" in err


def test_holdout_cases_are_counted_not_listed_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from ae_coach.eval import judgement_markdown

    quiet = judgement_markdown(run_judgement(LABELS))
    assert "fx.gone-quiet" not in quiet and "holdout case(s) disagree; not listed" in quiet
    shown = judgement_markdown(run_judgement(LABELS, show_holdout=True))
    assert "fx.gone-quiet" in shown or "fx.form-filled" in shown
