"""Every scenario deal the project holds reviews offline without an error: the example deals, the eval deals and
the 195 calibration deals (a buyer's "CFO signature" step that is both the decision and the signature once
crashed the plan drafting)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal

ROOT = Path(__file__).resolve().parent.parent
DEALS = sorted(
    [
        *ROOT.glob("examples/deals/*.yaml"),
        *ROOT.glob("evals/deals/*.yaml"),
        *ROOT.glob("evals/calibration/deals/*.yaml"),
    ]
)


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(backend="offline")


def test_there_are_deals_to_review() -> None:
    assert len(DEALS) > 200


@pytest.mark.parametrize("path", DEALS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_deal_reviews_offline(coach: Coach, path: Path) -> None:
    report = coach.review(load_deal(path))
    assert report.headline
    assert len([a for a in report.next_actions if a.horizon == "this_week"]) <= 3
