"""What the buyer's own record says it chose or refused: another vendor awarded, a month before which nothing
happens, a signer's blanket refusal, the signer's ask for a number the case does not have, who signs by the
buyer's own plan, and a champion's notice period written in another sentence than the resignation."""

from __future__ import annotations

import pytest

from ae_coach.deal import Direction, parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts._contact import direction_of
from analysis_builders import activity, by_code, with_activities

_AWARD = (
    "From Priya (pasted): 'Dear Bidder, your proposal ranked\nsecond with a weighted score of 72.4. The Company "
    "will proceed to contract negotiations with the preferred bidder.'"
)


def _two_way(date: str, summary: str, *people: str) -> dict:
    return activity(date, "email", summary, direction="two_way", **{"with": list(people or ["Dana Lee"])})


def test_an_award_to_another_vendor_omits_the_deal_and_is_its_first_problem() -> None:
    assessment = assess(parse_deal(with_activities(_two_way("2026-11-20", _AWARD))))
    assert "preferred bidder" in (assessment.facts.rival_chosen or "")
    assert assessment.recommended_forecast.value == "omitted"
    competition = next(f for f in assessment.findings if f.code == "meddpicc.competition")
    assert competition.severity.value == "critical" and competition.data.get("lost_to")
    assert assessment.health <= 14


def test_an_award_elsewhere_is_coached_as_a_debrief_and_drafts_no_signature() -> None:
    """Lost to another vendor: one action (the debrief, and when their talks end), one question about what decided
    it, and no step drafted toward a signature the buyer is giving someone else."""
    from ae_coach.coach import Coach

    review = Coach("offline").review(parse_deal(with_activities(_two_way("2026-11-20", _AWARD))))
    assert [a.rule_id for a in review.next_actions if a.rule_id != "pipeline-forecast-categories"] == [
        "deal-competition-mapping"
    ]
    last = review.next_actions[-1]
    assert "debrief" in last.action and "contract negotiations" in f"{last.action} {last.evidence}"
    assert [q.question for q in review.questions if q.role != "ae"] == [
        "Why did the other vendor win, and when will your talks with them be concluded?"
    ]
    assert all(step.kind == "agreed" for step in review.mutual_action_plan)
    assert all(s.status in ("done", "at_risk") for s in review.mutual_action_plan)


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: if your proposal is not selected, we will proceed to contract negotiations with the preferred bidder.",
        "Dana: the panel dropped RegNexus; you are our preferred vendor.",
    ],
)
def test_a_supposition_or_another_vendor_dropped_is_no_award_elsewhere(summary: str) -> None:
    assert assess(parse_deal(with_activities(_two_way("2026-11-20", summary)))).facts.rival_chosen is None


def test_a_later_yes_to_us_overrides_the_award_elsewhere() -> None:
    data = with_activities(
        _two_way("2026-11-10", _AWARD),
        _two_way("2026-11-24", "Dana: negotiations with them failed; you are our preferred vendor now."),
    )
    assert assess(parse_deal(data)).facts.rival_chosen is None


@pytest.mark.parametrize(
    ("summary", "later"),
    [
        ("Dana: Priya will revisit in February at the earliest, the 60 days start again.", True),
        ("Dana: nothing before March, the board has other priorities.", True),
        ("Dana: Priya signs in December at the earliest, once legal is done.", False),  # not after the close date
    ],
)
def test_a_month_the_buyer_names_as_the_earliest_places_the_decision_later(summary: str, later: bool) -> None:
    timing = assess(parse_deal(with_activities(_two_way("2026-11-24", summary)))).facts.timing
    assert (timing.doubt is not None) is later


def test_the_signers_blanket_refusal_puts_the_deal_on_hold() -> None:
    said = "Priya: 'Until we see the root-cause analysis, I will not approve any expansion of the contract.'"
    assessment = assess(parse_deal(with_activities(_two_way("2026-11-20", said, "Priya Shah"))))
    assert assessment.facts.timing.on_hold and assessment.recommended_forecast.value == "omitted"
    one = "Priya: 'I won't sign until legal has read the DPA.'"  # a step before signing, not a refusal
    assert not assess(parse_deal(with_activities(_two_way("2026-11-20", one, "Priya Shah")))).facts.timing.on_hold


def test_the_signer_asking_for_the_value_in_money_after_a_measured_pilot_is_the_problem() -> None:
    data = with_activities(
        activity("2026-11-12", "meeting", "Pilot readout: OEE 61 -> 68 (+7), re-dye 9% -> 7.4%.", direction="two_way",
                 **{"with": ["Dana Lee"]}),
        activity("2026-11-18", "meeting", "Priya: 'I don't buy OEE points. Show me what it does to inventory and "
                 "overtime cost, in lira.'", direction="two_way", **{"with": ["Priya Shah", "Dana Lee"]}),
    )  # fmt: skip
    metrics = by_code(parse_deal(data))["meddpicc.metrics"]
    assert metrics.severity.value == "critical" and metrics.data.get("asked")


def test_a_message_pasted_with_its_sender_first_is_the_buyer_writing() -> None:
    data = with_activities(activity("2026-11-09", "email", "From Priya (original in Spanish): 'no voy a aprobar…'"))
    deal = parse_deal(data)
    assert direction_of(deal.activities[-1], deal.stakeholders) == Direction.INBOUND


def _unnamed_signer(plan_action: str, said: str = "Pricing review with Martine.") -> dict:
    data = with_activities(_two_way("2026-11-19", said, "Martine Roux"))
    data["stakeholders"] = [s for s in data["stakeholders"] if s["role"] != "economic_buyer"]
    data["stakeholders"].append(
        {"name": "Martine Roux", "title": "Chief Operating Officer", "role": "unknown", "engaged": True,
         "added": "2026-10-08"}
    )  # fmt: skip
    data["mutual_action_plan"] = [{"date": "2026-12-16", "action": plan_action, "owner": "Martine Roux"}]
    return data


@pytest.mark.parametrize(("action", "signer"), [("Signature (COO)", True), ("Sign NDA", False)])
def test_the_owner_of_the_plans_signature_step_is_the_signer(action: str, signer: bool) -> None:
    person = assess(parse_deal(_unnamed_signer(action))).facts.person("Martine Roux")
    assert (person.role.value == "economic_buyer") is signer


def test_a_buyer_who_signs_under_her_own_delegation_is_the_signer() -> None:
    said = 'From Martine: "Approved at EUR 168k. I sign under my delegation, no board needed below 500k."'
    person = assess(parse_deal(_unnamed_signer("Kick-off", said))).facts.person("Martine Roux")
    assert person.role.value == "economic_buyer"


def test_a_resignation_with_the_notice_period_in_the_next_sentence_is_a_champion_still_in_seat() -> None:
    said = (
        "Dana, bit emotional. Notes: - she has resigned, joining a customer of ours. Notice period runs to "
        "18 Dec, last working day 18/12."
    )
    champion = by_code(parse_deal(with_activities(_two_way("2026-11-24", said))))["meddpicc.champion"]
    assert "still in the company until 2026-12-18" in champion.title
    assert champion.severity.value == "high"  # a last day ahead: a successor to find, not an advocate gone
