"""A chat answer to "should I move it to X?" says yes or no to that move, and shows what became of the trouble the
rep is afraid of (issue 16, from the blind Chinese batch of 2026-12-07q, asked here in other words): a rep who wants
to drop a deal from Commit "to be safe" after a security block that was lifted weeks ago is told to keep it, with
the email that lifted it."""

from __future__ import annotations

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from coach_deals import CALIBRATION

PELLBROOK = CALIBRATION / "pellbrook-soc2-bridge.yaml"
WATTLE = CALIBRATION / "wattle-grove-retail-union-consult.yaml"


def _ask(deal, question, lang):
    return "".join(Coach("offline", lang=lang).chat(load_deal(deal), question))


@pytest.mark.parametrize(
    ("question", "lang", "said"),
    [
        (
            "InfoSec 上个月卡过我们，我想把 Pellbrook 改成 best case 保守一点，行吗？",
            "zh",
            "保持承诺，不用改成最佳情况",
        ),
        ("After that InfoSec scare, should I move Pellbrook down to best case?", "en", "keep it in commit"),
    ],
)
def test_a_move_the_evidence_does_not_call_for_is_answered_no(question, lang, said):
    text = _ask(PELLBROOK, question, lang)
    assert said in text
    assert "Bridge letter accepted" in text  # what became of the block, not only the block


def test_a_move_the_evidence_calls_for_is_answered_yes():
    # Wattle Grove is called best case; the evidence supports less: asked whether to drop it, the answer says yes
    text = _ask(WATTLE, "Is Wattle Grove still best case, or should I drop it to pipeline?", "en")
    assert ": yes, move it down from best case to pipeline before the forecast call" in text


def test_who_else_besides_the_people_named_lists_the_others_on_record():
    text = _ask(WATTLE, "除了 Mark 和 Jess 以外，这单还有谁要我去搞定？", "zh")
    assert "Ben Walsh" in text and "Priya Sharma" in text


RIDGEWAY = CALIBRATION / "ridgeway-kiln-glaze.yaml"


def test_a_discount_nobody_asked_for_is_answered_no():
    # Declan agreed the price and pays by card on the 10th; nothing on record asks for less
    zh = _ask(RIDGEWAY, "Declan 10 号才付款，我能不能提前主动给他 10% 折扣让他早点签？", "zh")
    en = _ask(RIDGEWAY, "Should I offer Declan a 10% discount so he signs before the 10th?", "en")
    assert "不要主动打折" in zh and "Don't offer a discount nobody asked for" in en


def test_a_discount_the_buyer_asked_for_gets_no_such_line():
    deal = load_deal(RIDGEWAY)
    asked = deal.activities[-1].model_copy(update={"summary": "Declan: can you do 10% off if I sign early?"})
    deal = deal.model_copy(update={"activities": [*deal.activities, asked]})
    text = "".join(Coach("offline", lang="en").chat(deal, "Should I offer Declan the 10% discount he wants?"))
    assert "nobody asked for" not in text
