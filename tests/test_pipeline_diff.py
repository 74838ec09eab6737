"""Diff between two exports: every change class, across export formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.crm import load_pipeline
from ae_coach.deal import Deal
from ae_coach.pipeline import diff_pipelines
from ae_coach.pipeline.diff import KINDS
from ae_coach.pipeline.render import render_diff

DIFF = Path(__file__).parent / "fixtures" / "crm" / "diff"


@pytest.fixture(scope="module")
def diff():
    # The old file is a report export with 15-character ids, the new one a Data Loader export with 18.
    old = load_pipeline(DIFF / "old_report.csv").deals
    new = load_pipeline(DIFF / "new_dataloader.csv").deals
    return diff_pipelines(old, new, old_label="old", new_label="new")


def test_every_change_class_is_reported(diff):
    found = {kind: [c.account for c in diff.of(kind)] for kind in KINDS}
    assert found == {
        "new": ["Newbie Inc"],
        "won": ["Winner Inc"],
        "lost": ["Loser Ltd"],
        "pushed": ["Pusher GmbH"],
        "pulled_in": ["Puller SA"],
        "stage_forward": ["Forward AB"],
        "stage_back": ["Backward Oy"],
        "amount_changed": ["Resized plc"],
        "category_moved": ["Recast BV"],
        "removed": ["Gone Corp"],
    }
    assert diff.counts == dict.fromkeys(KINDS, 1)


def test_change_details(diff):
    [pushed] = diff.of("pushed")
    assert (pushed.before, pushed.after, pushed.delta) == (dt.date(2026, 11, 28), dt.date(2027, 1, 31), 64)
    [pulled] = diff.of("pulled_in")
    assert pulled.delta == (dt.date(2026, 12, 31) - dt.date(2027, 3, 31)).days
    [resized] = diff.of("amount_changed")
    assert (resized.before, resized.after, resized.delta) == (25_000, 40_000, 15_000)
    [back] = diff.of("stage_back")
    assert (back.before, back.after) == ("proposal", "scoping")
    [moved] = diff.of("category_moved")
    assert (moved.before, moved.after) == ("pipeline", "best_case")


def test_unchanged_deal_is_not_reported(diff):
    assert all(c.account != "Steady Co" for c in diff.changes)


def test_open_pipeline_totals(diff):
    assert diff.open_before == 470_000
    assert diff.open_after == 50_000 + 60_000 + 30_000 + 45_000 + 70_000 + 40_000 + 55_000 + 35_000


def test_a_deal_can_change_in_several_ways():
    old = [Deal(id="x", account="X", stage="scoping", amount=10, close_date="2026-12-01")]
    new = [Deal(id="x", account="X", stage="proposal", amount=20, close_date="2027-01-01", forecast_category="commit")]
    kinds = [c.kind for c in diff_pipelines(old, new).changes]
    assert kinds == ["pushed", "stage_forward", "amount_changed", "category_moved"]


def test_markdown_lists_every_class(diff):
    text = render_diff(diff, "markdown")
    for heading in ("## New (1)", "## Won (1)", "## Lost (1)", "## Pushed (1)", "## Pulled in (1)", "## Stage forward (1)",
                    "## Stage back (1)", "## Amount changed (1)", "## Category moved (1)", "## Removed (1)"):  # fmt: skip
        assert heading in text
    assert "pushed: Pusher GmbH 2026-11-28 -> 2027-01-31 (+64 days)" in text


def test_cli_diff_json(capsys):
    assert (
        main(["pipeline", "diff", str(DIFF / "old_report.csv"), str(DIFF / "new_dataloader.csv"), "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["won"] == 1 and len(data["changes"]) == 10


def test_cli_diff_terminal(capsys):
    assert main(["pipeline", "diff", str(DIFF / "old_report.csv"), str(DIFF / "new_dataloader.csv")]) == 0
    out = capsys.readouterr().out
    assert "won: Winner Inc" in out and "removed: Gone Corp" in out
