"""The HTML reports' pictures: the deal page's health scale, scorecard and timeline, the pipeline page's KPI
tiles and charts, the eval comparison's gate colour, per-split chart and side-by-side outputs; each chart
inline, deterministic, and without a URL. The screenshots run when Chromium is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.deal import load_deal
from ae_coach.render import charts
from ae_coach.render._deal_visuals import band

REPO = Path(__file__).resolve().parent.parent
NORTHWIND = REPO / "examples" / "deals" / "northwind-validation.yaml"


def _html(capsys, *args: str) -> str:
    assert main([*args, "--no-log", "--format", "html"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("score", "expected"), [(12, "band-red"), (39, "band-red"), (55, "band-amber"), (100, "band-green")]
)
def test_the_health_badge_takes_its_bands_colour(score, expected):
    assert band(score) == expected


def test_the_deal_page_has_a_scorecard_a_health_scale_and_a_timeline(capsys):
    page = _html(capsys, "review", str(NORTHWIND))
    assert 'class="score band-amber"' in page  # northwind: health 50/100, omitted this quarter (watch band)
    assert "MEDDPICC scorecard" in page and "Activity timeline" in page
    deal = load_deal(NORTHWIND)
    for element in type(deal.meddpicc).model_fields:
        assert f"<td>{element.replace('_', ' ')}</td>" in page
    assert "corroborated by the record" in page and "not in the record" in page
    assert page.count('role="img" aria-label=') == 3  # health scale, grades, timeline
    assert not re.search(r"(https?:)?//[\w.-]+\.\w", page)


def test_charts_are_the_same_bytes_every_time(capsys):
    assert _html(capsys, "review", str(NORTHWIND)) == _html(capsys, "review", str(NORTHWIND))


def test_the_pipeline_page_leads_with_kpis_and_draws_every_chart(capsys):
    page = _html(
        capsys, "pipeline", str(REPO / "examples" / "pipelines" / "salesforce-pipeline.csv"), "--quota", "1M",
        "--as-of", "2026-11-26",
    )  # fmt: skip
    tiles = re.findall(r'<div class="label">([^<]+)</div>', page)
    assert tiles == ["In-period coverage", "Commit: CRM vs evidence", "Gap to quota (evidence Commit)", "Win rate"]
    assert page.index('class="kpis"') < page.index("Deals most at risk") < page.index("<h2>Findings</h2>")
    for title in ("the CRM against the evidence", "Stage mix", "Health of the open deals", "Owners", "close date"):
        assert title in page


def test_the_eval_banner_follows_the_gate_and_flips_are_side_by_side(capsys, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    (rules / "deal-economic-buyer.md").unlink()
    args = ["eval", "compare", str(REPO / "evals" / "example-deals.yaml"), "--rules", str(rules)]
    code = main([*args, "--runs-dir", str(tmp_path / "runs"), "--format", "html"])
    page = capsys.readouterr().out
    assert code == 1 and "<p class='verdict regressed'>" in page and "FAILED" in page
    assert "Mean score per split" in page and "Flipped cases, side by side" in page
    assert page.count("class=sides") >= 1 and "(no output logged)" not in page
    assert "<mark class=gone>" in page or "<mark class=new>" in page  # the cited rule that went


def test_side_by_side_marks_only_the_lines_that_differ():
    from ae_coach.eval._html import marked_sides

    left, right = marked_sides("same\nold <b>\nsame too", "same\nnew\nsame too\nadded")
    assert left == "same\n<mark class=gone>old &lt;b&gt;</mark>same too\n"
    assert right == "same\n<mark class=new>new</mark>same too\n<mark class=new>added</mark>"
    assert marked_sides(None, "x") == ("(no output logged)", "x")


def test_a_long_run_both_sides_share_is_folded_to_the_lines_around_the_difference():
    from ae_coach.eval._html import CONTEXT, marked_sides

    shared = [f"line {i}" for i in range(20)]
    left, right = marked_sides("\n".join([*shared, "old", *shared]), "\n".join([*shared, "new", *shared]))
    for side, mark in ((left, "<mark class=gone>old</mark>"), (right, "<mark class=new>new</mark>")):
        assert side.count(f"… {20 - CONTEXT} lines the same on both sides …") == 2
        assert mark in side and "line 16" not in side and "line 17" in side and "line 3" not in side


def test_a_chart_is_inline_svg_with_a_title():
    svg = charts.hbars(["a", "b"], [1.0, 2.0], title="Two <bars>")
    assert svg.startswith("<svg") and "<title>Two &lt;bars&gt;</title>" in svg and "xmlns" not in svg
    assert charts.hbars([], [], title="nothing") == ""


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="needs chromium")
def test_screenshots_of_the_three_pages_are_drawn(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshot_reports.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.name for p in tmp_path.glob("*.png")} == {"deal.png", "pipeline.png", "eval-compare.png"}
