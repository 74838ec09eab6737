"""``ae-coach rules list | show | search`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.rules import load_rulebook

VALID = Path(__file__).parent / "fixtures" / "rules" / "valid"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_filters_by_category_stage_and_tag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "list", "--category", "relationship")
    rulebook = load_rulebook()
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [r.id for r in rulebook.by_category("relationship")]
    _, out, _ = _run(capsys, "rules", "list", "--rules", str(VALID), "--stage", "proposal")
    assert out.split()[0] == "pipeline-fixture-commit" and "CRITICAL" in out
    _, out, _ = _run(capsys, "rules", "list", "--rules", str(VALID), "--tag", "TESTING", "--json")
    assert [item["id"] for item in json.loads(out)] == ["deal-fixture-champion"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--category", "sales"), "--category 'sales' is not one of pipeline, relationship, deal, account, execution"),
        (("--stage", "won"), "--stage 'won' is not one of discovery"),
    ],
)
def test_list_rejects_unknown_filters(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    code, _, err = _run(capsys, "rules", "list", *args)
    assert code == 2 and message in err


def test_show_renders_a_rule_and_suggests_close_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "show", "deal-fixture-champion", "--rules", str(VALID))
    assert code == 0
    for text in (
        "deal-fixture-champion",
        "impact HIGH",
        "Confirm the champion with a delivered ask",
        "How to apply",
        "Ask for an introduction to the economic buyer",
        "Champion: Tom.",
    ):
        assert text in out, text
    code, _, err = _run(capsys, "rules", "show", "deal-fixture-champoin", "--rules", str(VALID))
    assert code == 2 and "did you mean deal-fixture-champion" in err
    code, out, _ = _run(capsys, "rules", "show", "deal-fixture-champion", "--raw", "--rules", str(VALID))
    assert out == (VALID / "deal-fixture-champion.md").read_text()


def test_search_prints_ranked_rule_sections(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "search", "our champion went quiet", "-k", "3")
    lines = [line for line in out.splitlines() if not line.startswith(" " * 8)]
    assert code == 0 and len(lines) == 3
    assert lines[0].split()[1] == "relationship-champion-gone-dark"
    assert len({line.split()[1] for line in lines}) == 3  # one section per rule by default
    _, out, _ = _run(capsys, "rules", "search", "xyzzy")
    assert "no rule matches" in out
