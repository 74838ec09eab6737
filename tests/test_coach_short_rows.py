"""An action row is one short ask (issue 13): the record's fact behind it sits beside the reason, not in its words;
the silence after a message is a row of its own; a question an action already asks is not asked again; the signer's
office with a dated step ahead is an economic buyer identified (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.inspector.facts import named_signer, office_booked
from ae_coach.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "deals"


@pytest.fixture(scope="module")
def lucerne():
    return Coach("offline").run_review(load_deal(EXAMPLES / "lucerne-late-stakeholder.yaml"))


def test_the_fact_behind_an_action_is_its_evidence_not_its_words(lucerne):
    competitor = next(a for a in lucerne.report.next_actions if "deal-competitive-displacement" in a.rule_ids)
    assert competitor.evidence and "Contentful in play since 2026-11-21" in competitor.evidence
    # the action's text has no bracketed record line after the step
    said = competitor.points[0] if competitor.points else competitor.action
    assert "in play since" not in said


def test_the_markdown_review_prints_the_evidence_after_the_reason_and_not_a_quote_twice(lucerne):
    text = render("markdown", lucerne.report, list(lucerne.assessment.findings), lucerne.assessment)
    rows = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert rows and "Evidence:" in rows[0]
    # the reason already quotes the CFO's words: the evidence does not quote them a second time
    assert rows[0].count("New CFO says the price is too high") == 1


def test_a_conversation_gives_each_ask_its_own_row_with_owner_person_and_date(lucerne):
    text = render("markdown", lucerne.report, list(lucerne.assessment.findings), lucerne.assessment)
    sub = [line for line in text.splitlines() if line.startswith("| 2.")]
    assert len(sub) == 2 and all("Tessa Blum" in line and "2026-12-01" in line for line in sub)
    assert "One conversation" not in text
    # and each ask its own rule and reason, as the conversation's points were ranked (not the first row's alone)
    conversation = next(a for a in lucerne.report.next_actions if a.points)
    assert [r.rule_id for r in conversation.reasons] == ["deal-competitive-displacement", "deal-paper-process"]
    assert "| deal-competitive-displacement |" in sub[0] and "| deal-paper-process |" in sub[1]
    assert "Paper process" in sub[1] and "Paper process" not in sub[0]


def test_the_row_for_no_reply_comes_after_the_message_dated_the_day_it_applies():
    review = Coach("offline").review(load_deal(EXAMPLES / "adventure-works-stalled.yaml"))
    message, branch = review.next_actions[0], review.next_actions[-1]
    assert "has not replied" not in message.action and message.horizon == "this_week"
    assert branch.action.startswith("If Luis Garcia has not replied by 2026-12-07")
    assert branch.due == dt.date(2026, 12, 7) and branch.horizon == "later"
    assert "If nothing by 2026-12-14" in branch.why


def test_a_question_an_action_asks_the_same_person_is_not_asked_again():
    review = Coach("offline").review(load_deal(EXAMPLES / "wingtip-slipped.yaml"))
    acted = {(rule, (a.contact or "").split(" (")[0]) for a in review.next_actions for rule in a.rule_ids}
    buyer = [q for q in review.questions if q.role != "ae"]
    assert buyer, "a review keeps a question for the buyer"
    repeats = [q for q in buyer if (q.rule_id, q.stakeholder) in acted]
    assert len(repeats) <= (1 if len(buyer) == 1 else 0)


def test_a_buyer_step_the_plan_rests_on_is_named_in_the_action():
    review = Coach("offline").review(load_deal(EXAMPLES / "fabrikam-closing-healthy.yaml"))
    texts = [t for a in review.next_actions for t in (a.points or [a.action])]
    # a point of a conversation held before the day it was timed by drops that day: "Before the buyer's next step…"
    step = next(t for t in texts if "the buyer's next step on the plan" in t)
    assert "“Legal approves the order form”, 2026-12-04" in step


def test_the_signers_office_with_a_dated_step_ahead_is_identified():
    deal = load_deal(EXAMPLES / "northwind-validation.yaml")  # "then the CFO approves"; "ROI review with the CFO"
    assert named_signer(deal) == "CFO"
    assert office_booked(deal, dt.date(2026, 11, 26)) == "CFO"
    # once that step has passed, the office is named but no step puts the case in front of it
    assert office_booked(deal, dt.date(2026, 12, 3)) is None
    # the rep's note alone names an office; without the buyer's dated step it identifies nobody
    bare = deal.model_copy(update={"mutual_action_plan": [], "next_step": None})
    assert office_booked(bare, dt.date(2026, 11, 26)) is None


def test_the_models_prompt_gives_each_ranked_action_with_its_evidence(lucerne):
    from ae_coach.coach._requests import review_vars

    ranked = review_vars(lucerne.assessment, lucerne.report.next_actions)["ranked_actions"]
    assert any("Contentful in play since 2026-11-21" in a["evidence"] for a in ranked)


def test_the_row_for_no_reply_is_dated_before_the_close_date_it_works_towards():
    deal = load_deal(EXAMPLES / "adventure-works-stalled.yaml")
    soon = deal.model_copy(update={"close_date": dt.date(2026, 12, 4)})
    branch = next(a for a in Coach("offline").review(soon).next_actions if "has not replied by" in a.action)
    assert branch.due is not None and branch.due < dt.date(2026, 12, 4)
    assert branch.due.isoformat() in branch.action


def test_a_step_our_side_owns_does_not_identify_the_signers_office():
    deal = load_deal(EXAMPLES / "northwind-validation.yaml")
    ours = deal.next_step.model_copy(update={"action": "Send the CFO our pricing deck", "owner": deal.owner})
    rep_only = deal.model_copy(update={"mutual_action_plan": [], "next_step": ours})
    assert office_booked(rep_only, dt.date(2026, 11, 26)) is None


def test_a_meeting_to_use_stays_in_the_action_in_chinese_too():
    review = Coach("offline", lang="zh").review(load_deal(EXAMPLES / "northwind-validation.yaml"))
    texts = [t for a in review.next_actions for t in (a.points or [a.action])]
    assert any("利用 2026-12-02 的“ROI review with the CFO”" in t for t in texts)
    assert not any("利用" in (a.evidence or "") for a in review.next_actions)


def test_the_row_for_no_reply_is_not_kept_as_an_action_the_rep_can_miss():
    from ae_coach.history.review import assessed_record, with_report

    coach = Coach("offline")
    deal = load_deal(EXAMPLES / "adventure-works-stalled.yaml")
    result = coach.run_review(deal)
    assert any(a.if_silent for a in result.report.next_actions)
    kept = with_report(assessed_record(deal, result.assessment, "h"), result.report).actions
    assert len(kept) == len(result.report.next_actions) - 1
    assert not any("has not replied" in a.action for a in kept)
