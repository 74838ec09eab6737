"""Chat and review answers that must carry the record's own facts however the question is put (issue 16): the date
the buyer names after the sentence the doubt quotes, a freeze lifted since, the champion named in a Chinese step, a
name kept with the title that introduces it, and a rival's price move the buyer already answered by choosing us."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._chat import clip_quote
from ae_coach.deal import Deal, load_deal
from ae_coach.inspector import inspect

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = ROOT / "evals" / "calibration" / "deals"


@pytest.fixture(scope="module")
def zh() -> Coach:
    return Coach("offline", lang="zh")


def _deal(*activities: dict[str, Any], **fields: Any) -> Deal:
    data: dict[str, Any] = {
        "id": "harrow-test",
        "account": "Harrow Mutual",
        "name": "Claims intake automation",
        "amount": 84000,
        "stage": "proposal",
        "close_date": "2026-12-18",
        "created": "2026-07-01",
        "as_of": "2026-12-01",
        "forecast_category": "best_case",
        "situation": "challenger",
        "fit": "good",
        "owner": "Sam Ortiz",
        "meddpicc": {
            "metrics": {"status": "confirmed", "evidence": "Intake 4 days -> 1 day"},
            "economic_buyer": {"status": "confirmed", "evidence": "Nora Blake, CFO"},
            "champion": {"status": "confirmed", "evidence": "Tariq Hale, Head of Claims"},
        },
        "stakeholders": [
            {"name": "Tariq Hale", "title": "Head of Claims", "role": "champion", "engaged": True},
            {"name": "Nora Blake", "title": "CFO", "role": "economic_buyer", "engaged": True},
        ],
        "activities": [
            {
                "date": "2026-09-10",
                "type": "meeting",
                "direction": "two_way",
                "with": ["Nora Blake", "Tariq Hale"],
                "summary": "Business case with Nora: she agreed the case.",
            },
            {
                "date": "2026-10-20",
                "type": "proposal",
                "direction": "two_way",
                "with": ["Tariq Hale"],
                "summary": "Proposal presented, USD 84k/yr.",
            },
            *activities,
        ],
        **fields,
    }
    return Deal.model_validate(data)


MOVED = {
    "date": "2026-11-24",
    "type": "email",
    "direction": "inbound",
    "with": ["Tariq Hale"],
    "summary": "Tariq: 'Finance did the reforecast and Nora has moved my line into the 2027 budget. "
    "I'm told it will be there on Jan 1. Can we get the paperwork ready so we can sign first week of January?'",
}


def test_the_date_the_buyer_names_after_the_quoted_sentence_is_where_the_close_date_goes(zh):
    answer = zh.answer(_deal(MOVED), "Tariq 说预算挪到 2027 了，1 月 1 号到位。这单我 close date 该怎么改？")
    assert answer.verdict is not None and answer.verdict.state == "fails"
    assert answer.verdict.after == "2027-01-01"


FROZEN = {
    "date": "2026-10-19",
    "type": "email",
    "direction": "inbound",
    "with": ["Tariq Hale"],
    "summary": "Tariq: 'Bad news. Nora has frozen all uncommitted spend for Q4.'",
}
RELEASED = {
    "date": "2026-11-20",
    "type": "call",
    "direction": "two_way",
    "with": ["Tariq Hale"],
    "summary": "Catch-up with Tariq about their renewals. Nora released part of the frozen Q4 money on 18.11. "
    "He wants to sign before Christmas.",
}


@pytest.mark.parametrize(
    "question",
    [
        "十月份 CFO 把预算冻结了，老板说 budget freeze 的单子干脆 disqualify 掉，你怎么看？",
        "The CFO froze the budget. Should I disqualify it?",
    ],
)
def test_a_budget_question_is_told_the_freeze_was_lifted_since(question):
    answer = Coach("offline").answer(_deal(FROZEN, RELEASED), question)
    assert answer.lifted is not None and answer.lifted.date.isoformat() == "2026-11-20"
    assert "released part of the frozen Q4 money" in (answer.lifted.text or "")
    assert answer.lifted.data["money"]


def test_a_freeze_nothing_lifted_gets_no_such_line():
    answer = Coach("offline").answer(_deal(FROZEN), "The CFO froze the budget. Should I disqualify it?")
    assert answer.lifted is None


def test_a_chinese_step_that_asks_the_champion_names_them(zh):
    report = zh.review(load_deal(CALIBRATION / "kessel-brandt-budget-back-works-council.yaml"))
    broker = [a.action for a in report.next_actions if "牵线" in a.action]
    assert broker and all("请内部支持者" not in text for text in broker)
    assert any("请 Jonas Albers 牵线" in text for text in broker)


def test_a_quote_is_not_cut_between_a_title_and_the_name_after_it():
    note = (
        "Walked through the order form with Mei Ling, she's happy with pricing and the Jan 11 start. Side note - "
        "group IT runs Veritrack WMS across all the Malaysian sites, and their regional CIO Azlan Hamid has asked "
        "for a Veritrack quote before anything over SGD 50k is signed."
    )
    clipped = clip_quote(note, ["regional", "cio", "veritrack"], 12, ["Ong Mei Ling"], windows=2) or ""
    assert "Azlan Hamid" in clipped


PRAIRIE = CALIBRATION / "prairie-shield-incumbent-reprice.yaml"


def _without_the_choice(deal: Deal) -> Deal:
    """The deal as it stood after the rival's re-price, before the steering committee chose us."""
    kept = [a for a in deal.activities if a.date.isoformat() <= "2026-11-09"]
    return deal.model_copy(update={"activities": kept})


@pytest.mark.parametrize(("chosen", "answered"), [(True, True), (False, False)])
def test_a_rival_s_price_move_the_buyer_answered_by_choosing_us_is_marked_answered(chosen, answered):
    deal = load_deal(PRAIRIE)
    deal = deal if chosen else _without_the_choice(deal)
    counter = next(f for f in inspect(deal, deal.as_of) if f.code == "momentum.competitor_counter")
    assert counter.data["answered"] is answered


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_after_the_buyer_chose_us_the_action_is_not_to_reopen_price(lang):
    coach = Coach("offline", lang=lang)
    chosen = coach.review(load_deal(PRAIRIE))
    reopened = coach.review(_without_the_choice(load_deal(PRAIRIE)))
    [answered] = [a for a in chosen.next_actions if "momentum.competitor_counter" in a.finding_codes]
    [open_move] = [a for a in reopened.next_actions if "momentum.competitor_counter" in a.finding_codes]
    assert ("do not reopen the price" if lang == "en" else "不要再降价") in answered.action
    assert ("Do not match" if lang == "en" else "不要条件反射") in open_move.action
