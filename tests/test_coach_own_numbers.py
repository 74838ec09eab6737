"""A step that says "the buyer's own numbers" quotes them from the record ([own numbers]), the signer in a next-step
answer comes with what last happened with them, and a Chinese "本周" inside a word is not "this week" (issue 13, 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._wording import fill, own_numbers
from ae_coach.deal import load_deal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "deals"
CALIBRATION = ROOT / "evals" / "calibration" / "deals"


def test_own_numbers_quotes_the_metric_evidence():
    deal = load_deal(CALIBRATION / "warta-meat-scope-halved.yaml")
    assert own_numbers(deal) == "Manual temperature logs 2.5 FTE per plant; 2 product recalls in 2025 cost PLN 3.1M"
    assert fill("Build the case with [own numbers].", deal) == (
        "Build the case with the buyer's own numbers "
        "(“Manual temperature logs 2.5 FTE per plant; 2 product recalls in 2025 cost PLN 3.1M”)."
    )


def test_an_industry_benchmark_is_not_the_buyers_own_number():
    deal = load_deal(CALIBRATION / "hanbit-games-multithread-no-number.yaml")
    assert "benchmark" in (deal.meddpicc.metrics.evidence or "")
    assert own_numbers(deal) is None
    assert fill("with [own numbers]", deal) == "with the buyer's own numbers"


def test_a_deal_without_figures_keeps_the_plain_words():
    deal = load_deal(EXAMPLES / "contoso-notes-injection.yaml")
    assert own_numbers(deal) is None


def test_a_late_stakeholders_meeting_brings_the_buyers_numbers():
    review = Coach("offline").review(load_deal(CALIBRATION / "alder-county-incumbent-extension.yaml"))
    meeting = next(a for a in review.next_actions if a.rule_id == "relationship-late-stakeholders")
    assert "the buyer's own numbers (“Budget book prep 10 weeks -> 4; month-end close 15 days -> 7”)" in meeting.action


@pytest.fixture(scope="module")
def zh_coach():
    return Coach("offline", lang="zh")


def test_payback_period_is_not_this_week(zh_coach):
    """回本周期 (payback period) holds 本周 (this week); an action due next week must not rewrite it as a date."""
    question = "Warta 9 号 Zarząd 之前这几天我该做什么？Agnieszka 想把 Ostrów 换进第一批 4 个厂。"
    text = "".join(zh_coach.chat(load_deal(CALIBRATION / "warta-meat-scope-halved.yaml"), question))
    assert "回本周期" in text
    assert "回在" not in text
    assert "PLN 3.1M”）和" in text  # no stray space between the quote and the Chinese that follows


def test_next_step_answer_shows_the_signer_and_their_last_contact():
    deal = load_deal(CALIBRATION / "kingsferry-colleges-slipped-three-times.yaml")
    answer = Coach("offline").answer(deal, "what do i actually do between now and the 8th?")
    lines = [(f.kind, f.name, f.text or "") for f in answer.facts]
    assert ("person", "Martin Grey") in [(k, n) for k, n, _ in lines]
    assert any(k == "activity" and "Northvale" in text and "No reply" in text for k, _, text in lines)


def test_a_colleague_who_signed_off_the_pilot_is_asked_to_vouch_to_the_newcomer():
    """Lucerne: the new CFO objects; the CTO signed off the pilot on 10/01 and is not the champion (a blind VP grade:
    "Eli Novak appears nowhere in the review")."""
    review = Coach("offline").review(load_deal(EXAMPLES / "lucerne-late-stakeholder.yaml"))
    meeting = next(a for a in review.next_actions if a.rule_id == "relationship-late-stakeholders")
    assert "Mark Stone" in meeting.action
    assert "ask Eli Novak (CTO), who signed off on 2026-10-01" in meeting.action
    assert "(“Pilot completed and signed off by the CTO”), to join it" in meeting.action


def test_no_colleague_is_named_when_nobody_but_the_champion_signed_anything_off():
    from ae_coach.coach._situation import ally

    deal = load_deal(EXAMPLES / "contoso-notes-injection.yaml")
    assert ally(None, deal) is None
