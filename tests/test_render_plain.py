"""The terminal review without colour is drawn without rich: byte for byte what rich draws, or rich draws it."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.history import open_store, review_with_history
from ae_coach.render import _plain, terminal

DEALS = sorted((Path(__file__).resolve().parent.parent / "examples" / "deals").glob("*.yaml"))
WIDTHS = (40, 60, 79, 80, 99, 100, 110, 140)


def _reviewed(path: Path, *, twice: bool = False, lang: str | None = None):
    coach = Coach(backend="offline", lang=lang)
    store = open_store()
    try:
        deal = load_deal(path)
        if twice:  # the second review has a "since" block
            review_with_history(coach, deal, deal.as_of - dt.timedelta(days=7), store=store)
        return review_with_history(coach, deal, store=store)
    finally:
        if store is not None:
            store.close()


def _both(reviewed, width: int) -> tuple[str, str | None]:
    report, findings = reviewed.result.report, list(reviewed.result.assessment.findings)
    drawn = terminal._to_rich(report, findings, color=False, width=width, since=reviewed.since)
    try:
        return drawn, terminal._to_plain(report, findings, width=width, since=reviewed.since)
    except _plain.Declined:
        return drawn, None


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_plain_drawing_is_rich_drawing_on_every_example(path: Path) -> None:
    reviewed = _reviewed(path, twice=True)
    assert reviewed.since is not None
    for width in WIDTHS:
        drawn, plain = _both(reviewed, width)
        assert plain == drawn, width  # never declined: the examples are plain text


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_no_rule_id_is_broken_across_lines(path: Path) -> None:
    reviewed = _reviewed(path)
    report = reviewed.result.report
    cited = {r for risk in report.risks for r in risk.rule_ids} | {a.rule_id for a in report.next_actions}
    for width in (100, 106, 110, 140):
        drawn, _ = _both(reviewed, width)
        flat = drawn.replace("│", " ").replace("┃", " ")
        assert all(re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", flat) for rule in cited if rule), width


@pytest.mark.parametrize("odd", [":warning: budget", "C:\\deals", "数据平台", "tab\there", "zero\u200bwidth"])
def test_text_rich_would_change_or_measure_differently_goes_to_rich(tmp_path: Path, odd: str) -> None:
    deal = tmp_path / "odd.yaml"
    source = DEALS[0].read_text(encoding="utf-8")
    account = re.search(r"^account: (.*)$", source, re.MULTILINE)
    assert account is not None
    deal.write_text(source.replace(account.group(0), f"account: {json.dumps(odd + account.group(1))}"), "utf-8")
    reviewed = _reviewed(deal)
    drawn, plain = _both(reviewed, 80)
    assert plain is None
    report, findings = reviewed.result.report, list(reviewed.result.assessment.findings)
    assert terminal.to_terminal(report, findings, width=80, since=reviewed.since) == drawn


def test_chinese_review_goes_to_rich() -> None:
    drawn, plain = _both(_reviewed(DEALS[0], lang="zh"), 100)
    assert plain is None and drawn


def test_one_cell_characters_are_one_cell_to_rich() -> None:
    from rich.cells import cell_len

    accepted = [chr(c) for c in range(0x20, 0x10000) if _plain.one_cell(chr(c))]
    assert len(accepted) > 1000
    assert [c for c in accepted if cell_len(c) != 1] == []


def test_a_review_without_colour_imports_no_rich(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys; from ae_coach.cli import main; sys.argv = ['ae-coach', 'review', sys.argv[1], '--backend', "
        "'offline', '--no-log']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(DEALS[0])], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False"
    assert "Findings" in done.stdout
