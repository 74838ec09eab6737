"""A question about the close date gets a verdict first: the buyer's record holds it, has not confirmed it, or puts
it out of the quarter; in Chinese, the inspector's English lead-ins inside it are Chinese too."""

from __future__ import annotations

from pathlib import Path

from ae_coach.coach import Coach
from ae_coach.deal import Deal, parse_deal
from ae_coach.deal.load import load_deal
from ae_coach.i18n import t, use
from analysis_builders import activity, with_activities

ROOT = Path(__file__).resolve().parents[1]
LACHLAN = ROOT / "evals" / "calibration" / "deals" / "lachlan-water-shutdown-lead-time.yaml"


def _chat(path: Path, question: str) -> str:
    return "".join(Coach("offline").chat(load_deal(path), question))


def test_a_close_date_the_buyers_own_process_cannot_meet_does_not_hold() -> None:
    answer = _chat(LACHLAN, "is the 12/17 close date realistic?")
    assert "the 2026-12-17 close date does not hold" in answer and "2027-01-13" in answer


def test_the_verdict_in_chinese_is_chinese_around_the_quote() -> None:
    answer = _chat(LACHLAN, "close date 我填的 12/17，稳不稳？")
    line = next(x for x in answer.splitlines() if "成交日期站不住" in x)
    assert "合同流程的周期超过了签约日期" in line and "the paper timeline runs past" not in line


def test_a_healthy_closing_deal_holds_its_date() -> None:
    answer = _chat(
        ROOT / "examples" / "deals" / "fabrikam-closing-healthy.yaml", "will this close on the date in the CRM?"
    )
    assert "close date holds" in answer


def test_a_date_after_the_quarter_gets_no_verdict_that_it_fails() -> None:
    answer = _chat(ROOT / "examples" / "deals" / "northwind-validation.yaml", "is the close date realistic?")
    assert "does not hold" not in answer


def test_an_english_lead_in_inside_a_chinese_message_is_translated() -> None:
    source = "the signer has not been met since before the proposal: Dana last met 2026-09-24"
    with use("zh"):
        said = t("gate.paper_stuck", source=source)
    assert "自方案提报之前就没再见过签字人" in said and "Dana last met 2026-09-24" in said


def test_what_decides_a_deal_whose_paper_runs_past_the_quarter_is_the_paper_not_a_step_before_it() -> None:
    review = Coach("offline").review(load_deal(LACHLAN))
    # the deed their 15 days wait on is with our own legal: that decides it first, and the paper's end is still said
    assert review.decides is not None and "our legal" in review.decides
    assert "run to 2027-01-13 at the earliest" in review.decides


def test_what_decides_a_deal_the_buyer_moved_to_january_is_that_word() -> None:
    deal = load_deal(ROOT / "evals" / "calibration" / "deals" / "tinsley-foods-cfo-says-january.yaml")
    decides = Coach("offline").review(deal).decides or ""
    assert "January capital review" in decides and "Signature, 2026-12-15" not in decides


CAL = ROOT / "evals" / "calibration" / "deals"


def test_money_moved_to_next_year_gets_the_verdict_on_the_date_too() -> None:
    answer = _chat(
        CAL / "sandpiper-cu-budget-into-2027.yaml", "the CFO moved her budget into 2027, is it a budget cut?"
    )
    assert "the 2026-12-22 close date does not hold" in answer


def test_the_verdict_is_on_the_date_the_buyer_named_since_the_rep_parked_a_later_one() -> None:
    answer = _chat(CAL / "kessel-brandt-budget-back-works-council.yaml", "budget freeze deal: should I disqualify it?")
    assert "The 2026-12-18 close date" in answer and "2027-03-31 close date" not in answer


def test_a_commit_question_shows_the_dated_steps_its_call_stands_on() -> None:
    answer = _chat(CAL / "prairie-shield-incumbent-reprice.yaml", "Guidewire will meddle: commit or best case?")
    assert "the dated steps below" in answer and "COO and CEO sign" in answer


def test_a_champion_on_announced_leave_is_said_to_be_away() -> None:
    answer = _chat(
        CAL / "cinderford-rail-champion-on-leave.yaml", "Eleri 三个礼拜没回我，champion 是不是 gone dark 了？"
    )
    assert "不算失联" in answer and "请把未获回复的消息" not in answer


def _moved_to_february() -> Deal:
    said = "Priya: the grants committee reviews the purchase at its quarterly meeting; the next one is on 3 February. We are not able to sign the contract before its approval."
    data = with_activities(activity("2026-11-20", "email", said, direction="inbound", **{"with": ["Priya Shah"]}))
    return parse_deal(data)


def test_a_date_the_buyer_moved_to_a_named_later_day_says_where_to_move_it_and_to_keep_the_deal() -> None:
    deal = _moved_to_february()
    answer = "".join(Coach("offline").chat(deal, "Should I just disqualify it? Where does it go in the forecast?"))
    assert "2027-02-03 at the earliest" in answer and "do not disqualify it" in answer
    zh = "".join(Coach("offline").chat(deal, "老板说干脆 disqualify 掉算了，这单 forecast 放哪？"))
    assert "最早也要到 2027-02-03" in zh and "不要淘汰它" in zh
    plain = "".join(Coach("offline").chat(deal, "is the close date realistic?"))
    assert "2027-02-03 at the earliest" in plain and "do not disqualify" not in plain  # not asked to walk away


def test_an_internal_escalation_is_a_message_to_our_side_with_what_we_owe_and_by_when() -> None:
    deal = load_deal(ROOT / "evals" / "calibration" / "deals" / "kuusamo-pay-pentest-retest.yaml")
    answer = "".join(Coach("offline").chat(deal, "Draft an internal escalation to my manager and our CTO on this deal"))
    assert "Draft internal message" in answer and "Export IDOR fix deployed to production" in answer
    assert "Thank you for" not in answer and "Hi Petteri" not in answer  # no recap email to the buyer


def test_asked_to_walk_away_the_answer_decides_on_the_record() -> None:
    award = "Priya: your proposal ranked second; we will proceed to contract negotiations with the preferred bidder."
    lost = parse_deal(with_activities(activity("2026-11-20", "email", award, direction="inbound")))
    assert "Walk away? Yes" in "".join(Coach("offline").chat(lost, "should I walk away from this deal?"))
    live = parse_deal(with_activities())
    answer = "".join(Coach("offline").chat(live, "should I walk away from this deal?"))
    assert "Walk away? Not yet" in answer and "Priya Shah a decision deadline" in answer
    zh = "".join(Coach("offline").chat(live, "要不要直接 disqualify 这单？"))
    assert "先别急着淘汰" in zh and "Priya Shah 设一个决定期限" in zh
