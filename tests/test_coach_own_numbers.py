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
    # one meeting: the colleague who signed it off in the room, or their note before it
    assert "with Eli Novak (CTO), who signed off on 2026-10-01" in meeting.action
    assert "(“Pilot completed and signed off by the CTO”), in the room or a short note" in meeting.action


def test_no_colleague_is_named_when_nobody_but_the_champion_signed_anything_off():
    from ae_coach.coach._situation import ally

    deal = load_deal(EXAMPLES / "contoso-notes-injection.yaml")
    assert ally(None, deal) is None


def _with_metric(deal, evidence: str):
    metrics = deal.meddpicc.metrics.model_copy(update={"evidence": evidence})
    pain = deal.meddpicc.identified_pain.model_copy(update={"evidence": "none"})
    return deal.model_copy(
        update={"meddpicc": deal.meddpicc.model_copy(update={"metrics": metrics, "identified_pain": pain})}
    )


@pytest.mark.parametrize(
    ("evidence", "quoted"),
    [
        # a long line: its first sentence with a figure, never cut inside "2.5" or after "e.g."
        (
            "Manual temperature logs cost 2.5 FTE per plant across all six plants in the region, e.g. Poznan; and the"
            " recalls last year together cost them a great deal in total write-offs and fines",
            "Manual temperature logs cost 2.5 FTE per plant across all six plants in the region, e.g. Poznan",
        ),
        ("交付周期从 9 天缩短到 4 天", "交付周期从 9 天缩短到 4 天"),
        ("Industry average is 30% faster publishing; buyer has no baseline yet", None),
        ("Benchmark (Gartner): 40% fewer missed deadlines", None),
        ("we quoted USD 120k for year one", None),
        ("ISO 27001 and SOC 2 required", None),
        ("Vendor case study (Acme Media) shows 40% faster", None),
    ],
)
def test_own_numbers_are_the_buyers_and_cut_at_a_sentence(evidence, quoted):
    deal = _with_metric(load_deal(CALIBRATION / "warta-meat-scope-halved.yaml"), evidence)
    assert own_numbers(deal) == quoted


@pytest.mark.parametrize(
    "summary",
    [
        "Pilot review: CTO has not signed off yet, wants two more weeks of data",
        "If the pilot is accepted we move to contract",
        "Asked Eli whether the pilot results could be approved?",
        "试点还没有签字确认",
        "如果试点验收通过就签",
    ],
)
def test_a_sign_off_denied_asked_about_or_supposed_makes_no_ally(summary):
    from ae_coach.coach._situation import ally

    deal = load_deal(EXAMPLES / "lucerne-late-stakeholder.yaml")
    activities = [
        a.model_copy(update={"summary": summary}) if "signed off" in (a.summary or "") else a for a in deal.activities
    ]
    assert ally(None, deal.model_copy(update={"activities": activities})) is None


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("在本周结束前联系对方", "在 2026-12-04 之前联系对方"),
        ("本周内向 Omar 了解", "在 2026-12-04 之前向 Omar 了解"),
        ("本周五开会", "本周五开会"),
        ("讲清回本周期和风险", "讲清回本周期和风险"),
    ],
)
def test_this_week_in_chinese_becomes_its_date_with_the_words_around_it(text, rewritten):
    from ae_coach.coach._actions import _THIS_WEEK

    assert _THIS_WEEK.sub("在 2026-12-04 之前", text) == rewritten
