"""``ae-coach pipeline PATH``: formats, the examples, and bad input as exit code 2 with a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.crm import import_csv

CRM = Path(__file__).parent / "fixtures" / "crm"
REPORT = str(CRM / "salesforce_report.csv")
AS_OF = ["--as-of", "2026-11-26"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_pipeline_path_is_the_default_command_and_prints_json(capsys):
    code, out, _ = run(capsys, "pipeline", REPORT, "--quota", "1M", *AS_OF, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {f["code"] for f in data["findings"]} >= {
        "pipeline.coverage_gap",
        "pipeline.required_activity",
        "pipeline.at_risk",
    }
    assert data["math"]["deals_needed"] == 20 and data["inputs"]["win_rate"]["source"] == "seed default"
    assert data["source"]["source_format"] == "salesforce_report" and data["source"]["skipped"] == 1
    assert data["import_skipped"][0]["row"] == 10
    assert data["counts"]["open"] == 6


def test_markdown_review_pack(capsys):
    code, out, _ = run(capsys, "pipeline", "review", REPORT, "--quota", "1000000", *AS_OF, "--format", "markdown")
    assert code == 0
    for heading in ("# Pipeline review 2026", "## Findings", "## Pipeline math", "## Forecast roll-up", "## Stage mix",
                    "## Deals most at risk", "## Owners", "## Import notes"):  # fmt: skip
        assert heading in out
    assert "Adventure Works" in out and "unknown stage 'Verbal Agreement'" in out


def test_html_review_pack_is_self_contained(capsys, tmp_path):
    target = tmp_path / "review.html"
    code, _, err = run(capsys, "pipeline", REPORT, "--quota", "1M", *AS_OF, "--format", "html", "--output", str(target))
    assert code == 0 and str(target) in err
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count('role="img" aria-label=') == 5  # the charts, each inline
    assert 'class="kpis"' in html and "Commit: CRM vs evidence" in html
    assert "http" not in html and "<script" not in html and "Adventure Works" in html


def test_hostile_crm_text_is_escaped(capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        'Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date\n"<script>x</script>",Acme,"A|B",Prospecting,5,12/1/2026\n'
    )
    code, out, _ = run(capsys, "pipeline", str(path), *AS_OF, "--format", "html")
    assert code == 0 and "<script>" not in out
    code, out, _ = run(capsys, "pipeline", str(path), *AS_OF, "--format", "markdown")
    assert "A\\|B" in out


def test_terminal_review_of_the_examples(capsys, repo):
    code, out, _ = run(
        capsys, "pipeline", str(repo / "examples" / "pipelines" / "salesforce-pipeline.csv"), "--quota", "1M", *AS_OF
    )
    assert code == 0 and "Pipeline math" in out and "Sam Okafor" in out
    code, out, _ = run(
        capsys,
        "pipeline",
        str(repo / "examples" / "pipelines" / "team"),
        "--quota",
        "500k",
        *AS_OF,
        "--period",
        "quarter",
    )
    assert code == 0 and "Pipeline review 2026-Q4" in out and "Northwind Traders" in out


def test_owner_and_overrides(capsys):
    code, out, _ = run(capsys, "pipeline", REPORT, *AS_OF, "--owner", "Maya Chen", "--quota", "300k",
                       "--win-rate", "20", "--avg-deal", "60,000", "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and {d["owner"] for d in data["deals"]} == {"Maya Chen"}
    assert data["inputs"]["win_rate"] == {"value": 0.2, "source": "flag", "detail": ""}
    assert data["math"]["coverage_needed"] == pytest.approx(5)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "26/11/2026"], "--as-of '26/11/2026' is not a date"),
        (["--quota", "lots"], "--quota 'lots' is not an amount"),
        (["--win-rate", "250"], "--win-rate"),
        (["--format", "pdf"], "--format 'pdf'"),
        (["--period", "month"], "--period 'month'"),
        (["--owner", "Nobody"], "owns no deal"),
        (["--mapping", str(CRM / "nope.yaml")], "nope.yaml: cannot read the mapping file"),
    ],
)
def test_bad_options_exit_2_with_a_message(capsys, argv, message):
    code, _, err = run(capsys, "pipeline", REPORT, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_file_that_is_not_an_export_exits_2_naming_it(capsys, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("just,some,words\n1,2,3\n")
    code, _, err = run(capsys, "pipeline", str(path))
    assert code == 2 and str(path) in err and "Opportunity Name" in err and "--mapping" in err


def test_import_reports_progress():
    calls = []
    import_csv(CRM / "salesforce_report.csv", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (calls[-1][1], calls[-1][1]) and calls[-1][1] > 0
