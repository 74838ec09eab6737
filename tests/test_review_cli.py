"""``ae-coach review``: the output formats and their contracts, and clean errors for bad input."""

from __future__ import annotations

import json
import re

import pytest

from ae_coach.cli import main
from ae_coach.findings import DEAL_FINDING_CODES
from coach_deals import INJECTION, NORTHWIND, write_deal


@pytest.fixture
def deal_file(tmp_path):
    return write_deal(tmp_path)


def run(capsys, *args):
    rc = main(["review", *map(str, args)])
    out, err = capsys.readouterr()
    return rc, out, err


def test_json_output_follows_the_contract(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "--format", "json", "--backend", "offline")
    assert rc == 0
    doc = json.loads(out)
    assert {"findings", "report"} <= doc.keys()
    for finding in doc["findings"]:
        assert set(finding) == {"code", "severity", "title", "evidence", "data", "rules"}
        assert finding["code"] in DEAL_FINDING_CODES
    report = doc["report"]
    for key in (
        "headline",
        "health",
        "forecast",
        "risks",
        "next_actions",
        "questions",
        "mutual_action_plan",
        "narrative",
        "dropped_rule_ids",
        "model",
        "usage",
        "estimated_cost_usd",
    ):
        assert key in report
    assert set(report["health"]) == {"score", "reasons"}
    assert set(report["forecast"]) == {"category", "period", "reasons", "why_not_commit"}
    action = report["next_actions"][0]
    assert {"action", "owner", "due", "why", "rule_id"} <= set(action)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", action["due"])
    assert {"title", "finding_codes", "rule_ids", "severity"} <= set(report["risks"][0])
    assert {"question", "stakeholder", "role", "rule_id"} <= set(report["questions"][0])
    assert doc["assessment"]["tier"] in (1, 2, 3, 4)


def test_markdown_output(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "-f", "markdown", "--backend", "offline")
    assert rc == 0
    assert out.startswith("# Deal review: Northwind Traders")
    for heading in (
        "## Risks",
        "## Next actions",
        "## Questions to ask",
        "## Mutual action plan (draft)",
        "## Findings",
    ):
        assert heading in out
    assert "`meddpicc.economic_buyer`" in out


def test_a_deal_with_nothing_wrong_says_so_instead_of_an_empty_section(capsys):
    from conftest import EXAMPLES

    rc, out, _ = run(capsys, EXAMPLES / "deals" / "alpine-closed-won-handoff.yaml", "-f", "markdown")
    assert rc == 0
    why = out.split("## Why this health score", 1)[1].split("##", 1)[0]
    assert why.strip() == "- No finding moves the score: every check the inspector runs passed or does not apply."


def test_terminal_output_is_plain_when_not_a_tty(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "--backend", "offline")
    assert rc == 0
    assert "Next actions" in out and "Northwind Traders" in out
    assert "\x1b[" not in out


def test_html_is_self_contained_and_escapes_deal_text(capsys, tmp_path):
    hostile = {**NORTHWIND, "stakeholders": [{**NORTHWIND["stakeholders"][0], "title": "<script>alert(1)</script>"}]}
    rc, out, _ = run(capsys, write_deal(tmp_path, hostile), "-f", "html", "--backend", "offline")
    assert rc == 0
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert not re.search(r"(https?:)?//[\w.-]+\.\w", out)  # no external URL of any kind
    assert "<script" not in out and "<link" not in out and "src=" not in out
    assert "&lt;script&gt;" in out


def test_output_file(capsys, deal_file, tmp_path):
    target = tmp_path / "review.html"
    rc, out, err = run(capsys, deal_file, "-f", "html", "--backend", "offline", "--output", target)
    assert rc == 0 and out == "" and "wrote" in err
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_as_of_changes_the_review_date(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "-f", "json", "--backend", "offline", "--as-of", "2026-12-20")
    assert rc == 0
    doc = json.loads(out)
    assert doc["report"]["as_of"] == "2026-12-20"
    assert "momentum.close_date_passed" in {f["code"] for f in doc["findings"]}


def test_redact_flag_offline_keeps_real_names(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "-f", "json", "--backend", "offline", "--redact")
    assert rc == 0 and "Dana Lee" in out and "Person 1" not in out


def test_injected_notes_do_not_change_the_offline_verdict(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "-f", "json", "--backend", "offline")
    assert rc == 0
    assert json.loads(out)["report"]["forecast"]["category"] != "commit"
    assert INJECTION not in json.loads(out)["report"]["headline"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "--format"),
        (["--as-of", "yesterday"], "--as-of"),
        (["--backend", "gpt"], "unknown backend"),
        (["--record"], "--record only works with --backend replay"),
    ],
)
def test_bad_options_exit_2_with_a_message(capsys, deal_file, args, message):
    rc, _, err = run(capsys, deal_file, *args)
    assert rc == 2 and message in err and "Traceback" not in err


def test_missing_or_broken_deal_file_exits_2(capsys, tmp_path):
    rc, _, err = run(capsys, tmp_path / "nope.yaml", "--backend", "offline")
    assert rc == 2 and "nope.yaml" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("account: X\nstage: negotiating\n")
    rc, _, err = run(capsys, bad, "--backend", "offline")
    assert rc == 2 and "stage" in err


def test_auto_backend_is_offline_without_a_key(capsys, deal_file):
    rc, out, _ = run(capsys, deal_file, "-f", "json")
    assert rc == 0 and json.loads(out)["report"]["backend"] == "offline"


def test_settings_file_changes_the_thresholds(capsys, deal_file, tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("stale_days: {validation: 200}\n")
    _, default, _ = run(capsys, deal_file, "-f", "json", "--backend", "offline")
    rc, relaxed, _ = run(capsys, deal_file, "-f", "json", "--backend", "offline", "--settings", settings)
    assert rc == 0
    assert "momentum.stale" in {f["code"] for f in json.loads(default)["findings"]}
    assert "momentum.stale" not in {f["code"] for f in json.loads(relaxed)["findings"]}
    settings.write_text("champion_dark_dayz: 60\n")
    rc, _, err = run(capsys, deal_file, "--backend", "offline", "--settings", settings)
    assert rc == 2 and "champion_dark_dayz" in err


def test_terminal_prints_deal_text_that_looks_like_rich_markup(capsys, tmp_path):
    odd = {**NORTHWIND, "account": "[bold]Acme[/]", "next_step": {"action": "[/] close [red]it", "owner": "Dana Lee"}}
    rc, out, err = run(capsys, write_deal(tmp_path, odd), "--backend", "offline")
    assert rc == 0, err
    assert "[bold]Acme[/]" in out


def test_offline_json_review_imports_neither_anthropic_nor_rich(deal_file):
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from ae_coach.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['review', {str(deal_file)!r}, '--backend', 'offline', '--format', 'json'])\n"
        "heavy = sorted(m for m in ('anthropic', 'rich', 'httpx2', 'bm25s') if m in sys.modules)\n"
        "print(rc, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0 []"


def test_version_as_a_flag_and_as_a_command(capsys):
    from ae_coach import __version__

    for args in (["--version"], ["version"]):
        assert main(args) == 0
        first, playbook = capsys.readouterr().out.splitlines()
        assert first == __version__ and playbook.startswith("playbook: shipped rulebook")
