"""Rulebook text does not leak into actions: no menu of alternatives, no condition the record settles, and what the
buyer waits on named as the record names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach.quality import template_leaks
from ae_coach.deal import load_deal
from ae_coach.rules.markers import parse

ROOT = Path(__file__).resolve().parents[1]
DEALS = [
    "examples/deals/lucerne-late-stakeholder.yaml",  # a newcomer's view on record; a paper owner on record
    "evals/calibration/deals/tinsley-foods-cfo-says-january.yaml",  # a concession floated; a signer's view
    "evals/calibration/deals/copperline-logistics-late-rival-quote.yaml",  # procurement owns the contract
    "evals/calibration/deals/wexcombe-medical-baa-redlines.yaml",  # the paper owner has not answered
    "evals/calibration/deals/pastificio-tremonti-supplier-onboarding.yaml",  # documents owed to their process
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", DEALS, ids=[Path(p).stem for p in DEALS])
def test_no_menu_and_no_settled_condition_in_a_review(path: str, lang: str) -> None:
    report = Coach("offline", lang=lang).review(load_deal(ROOT / path))
    texts = [a.action for a in report.next_actions] + [q.question for q in report.questions]
    assert [leak for text in texts for leak in template_leaks(text)] == []


def test_a_silent_paper_owner_is_reached_through_the_champion_not_asked_if_quiet() -> None:
    report = Coach("offline").review(load_deal(ROOT / DEALS[3]))
    text = " ".join(a.action for a in report.next_actions)
    assert "gone quiet" not in text
    assert "Sam Whitford has not answered your follow-ups: ask Jill Moreau what still stands" in text


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("evals/calibration/deals/yarrabee-mining-cfo-seconded-interim.yaml", "the one-pager they are waiting on"),
        ("evals/calibration/deals/coorabell-water-pilot-open-commit-call.yaml", "by 2026-11-27"),
    ],
)
def test_what_the_buyer_waits_on_is_named_from_the_record(path: str, named: str) -> None:
    result = Coach("offline").run_review(load_deal(ROOT / path))
    waiting = [a.action for a in result.report.next_actions if "positive.buyer_waiting" in a.finding_codes]
    assert waiting and named in waiting[0]
    assert "what the buyer is waiting on" not in waiting[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Find out what still stands (e.g. open terms, security, who signs), with a date for each.",
            "Find out what still stands, with a date for each.",
        ),
        ("问清还差什么（例如条款、安全审核、谁签字），每一项在哪天完成。", "问清还差什么，每一项在哪天完成。"),
        ("Rewrite it as facts, e.g. 'asked for a second session'.", "Rewrite it as facts."),
    ],
)
def test_a_parenthesised_example_leaves_the_rest_of_the_step(text: str, expected: str) -> None:
    marked, problems = parse(text)
    assert problems == [] and marked.text == expected and marked.example
