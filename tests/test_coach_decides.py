"""What decides the deal, by the order a sales leader ranks it: the first review by a signer who has not met us (or
came in late) over the next calendar entry; an unmet signer's first look when nothing with them is booked; a paper
term still open before the signature; a weekend or public holiday is a deadline, not a meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._situation import signer_review
from ae_coach.deal.load import load_deal

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "evals" / "calibration" / "deals"
EXAMPLES = ROOT / "examples" / "deals"


def _decides(path: Path, lang: str = "en") -> str:
    return Coach("offline", lang=lang).review(load_deal(path)).decides or ""


def test_an_acting_signer_who_has_not_met_us_decides_at_her_first_review_not_at_the_redlines_call() -> None:
    line = _decides(CALIBRATION / "yarrabee-mining-cfo-seconded-interim.yaml")
    assert "2026-12-08" in line and "Rachel Nguyen" in line and "has not met us" in line
    assert "Redlines" not in line


def test_ownership_is_no_owner_and_no_review_with_the_signer() -> None:
    deal = load_deal(CALIBRATION / "yarrabee-mining-cfo-seconded-interim.yaml")
    review = signer_review(deal, dt.date(2026, 11, 25))
    assert review is not None and review[0] == dt.date(2026, 12, 8)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            "by 2026-12-05 (a Saturday: a deadline, not a meeting; the last working day before it is Friday 2026-12-04)",
        ),
        ("zh", "2026-12-05 之前（那天是周六：是截止日，不是会议；之前最后一个工作日是周五 2026-12-04）"),
    ],
)
def test_a_saturday_is_a_deadline_not_a_meeting_and_the_new_signer_is_named(lang: str, words: str) -> None:
    line = _decides(EXAMPLES / "lucerne-late-stakeholder.yaml", lang)
    assert words in line and "Mark Stone" in line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unmet_signer_with_only_a_signature_booked_decides_by_their_first_look(lang: str) -> None:
    line = _decides(CALIBRATION / "quarry-freight-eb-unmet.yaml", lang)
    assert "Martin Feld" in line and "2026-12-11" in line
    assert ("first look" if lang == "en" else "第一次看方案和价格") in line


def test_a_paper_term_still_open_decides_before_the_signature() -> None:
    line = _decides(CALIBRATION / "halden-seafarms-transfer-annex.yaml")
    assert "DPA still with her" in line and "2026-12-16" in line


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (EXAMPLES / "fabrikam-closing-healthy.yaml", "What decides this deal: Signature, 2026-12-10."),
        (CALIBRATION / "hawthorne-dairy-lazy-fields-commit.yaml", "What decides this deal: CFO signs, 2026-12-16."),
    ],
)
def test_a_signer_who_knows_the_case_and_clean_paper_keep_the_plans_own_step(path: Path, line: str) -> None:
    assert _decides(path) == line
