"""Chinese chat on the eighteenth blind batch's causes (issue 16), each asked in other words than the batch's case:
a forecast answer names the date the buyer's own word gives, a Chinese answer clips the English quoted inside the
inspector's lines, a weekly update for the boss is a message for our own side, an email to the signer that names
the champion goes through the champion, a buyer that chose another vendor is sent no further price, and a champion
who is leaving is asked for the handover."""

from __future__ import annotations

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from coach_deals import CALIBRATION, ENGLISH_RUN

TANJONG = CALIBRATION / "tanjong-freight-rfp-reserve-bidder.yaml"
NKOMATI = CALIBRATION / "nkomati-mining-pilot-first.yaml"


@pytest.fixture(scope="module")
def coach():
    return Coach("offline", lang="zh")


@pytest.mark.parametrize(
    ("path", "question", "after", "written"),
    [
        (TANJONG, "这单还能留在 best case 里吗？", "2027-01-31", "2027-01-31"),
        (NKOMATI, "这单我还能报承诺吗？", "2027-04", "2027 年 4 月"),
    ],
)
def test_a_forecast_answer_names_the_date_the_buyer_s_word_gives(coach, path, question, after, written):
    deal = load_deal(path)
    answer = coach.answer(deal, question)
    assert answer.intent == "forecast"
    assert answer.verdict is not None and answer.verdict.after == after
    assert written in "".join(coach.chat(deal, question))


def test_a_chinese_forecast_answer_clips_the_english_the_gate_quotes(coach):
    text = "".join(coach.chat(load_deal(NKOMATI), "这单我还能报承诺吗？"))
    assert "买方把决策放在成交日期之后" in text
    assert not ENGLISH_RUN.search(text)


def test_a_weekly_update_for_the_boss_is_a_message_for_our_own_side(coach):
    answer = coach.answer(
        load_deal(CALIBRATION / "salmones-austral-ceo-verbal.yaml"), "帮我写一段周报发给老板，说说这单卡在哪里。"
    )
    assert answer.draft is not None and answer.draft.internal
    # the message says what blocks the deal (procurement not answering) and quotes the rule that acts on it
    assert answer.rule_ids[0] == "relationship-champion-gone-dark"


def test_an_email_to_the_signer_that_names_the_champion_goes_through_the_champion(coach):
    answer = coach.answer(
        load_deal(CALIBRATION / "quenmore-outdoor-budget-2027.yaml"),
        "我想给 Graham 发一封邮件，但又怕 Nicole 不高兴，怎么写？",
    )
    assert answer.draft is not None and answer.draft.to == "Graham Sutter"
    assert answer.draft.champion == "Nicole Bérubé"


def test_an_email_to_the_champion_has_nobody_to_go_through(coach):
    answer = coach.answer(
        load_deal(CALIBRATION / "quenmore-outdoor-budget-2027.yaml"), "帮我给 Nicole 写一封跟进邮件。"
    )
    assert answer.draft is not None and answer.draft.champion is None


def test_a_buyer_that_chose_another_vendor_is_sent_no_further_price(coach):
    answer = coach.answer(
        load_deal(TANJONG), "Priya 把我们的新报价退回来了，要不要再降一点，或者绕过采购去找 Kenneth？"
    )
    assert answer.intent == "pricing"
    steps = [s for q in answer.rules if q.rule_id == "deal-pricing-negotiation" for s in q.steps]
    assert any(s.startswith("买方已经选了另一家供应商：不要再降价") for s in steps)


@pytest.mark.parametrize(
    "path",
    [
        CALIBRATION / "claymore-insurance-champion-leaving.yaml",
        CALIBRATION / "kempenaar-logistiek-champion-notice.yaml",
    ],
)
def test_a_champion_who_is_leaving_is_asked_for_the_handover(path):
    review = Coach("offline").review(load_deal(path))
    champion = next(a for a in review.next_actions if a.contact and "champion" in a.contact)
    assert "is leaving" in champion.action and "whoever takes the project over" in champion.action


def test_a_promoted_champion_is_not_leaving():
    review = Coach("offline").review(load_deal(CALIBRATION / "oakhollow-retail-champion-promoted.yaml"))
    assert not any("whoever takes the project over" in a.action for a in review.next_actions)
