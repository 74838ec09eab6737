"""What the record's own words say about people and dates: announced leave, a signer in their own quoted words,
a reply quoted after the rep's act, and day-first dates as European notes write them."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.deal import Direction, parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts._contact import direction_of
from ae_coach.inspector.facts._timing import dates_in
from analysis_builders import activity, by_code, with_activities


def _on_leave(summary: str) -> dict:
    data = with_activities(activity("2026-11-02", "email", summary, direction="inbound", **{"with": ["Dana Lee"]}))
    # nothing with Dana after her message: three weeks and more of silence by the deal's date
    data["activities"] = [
        a for a in data["activities"] if a["date"] <= "2026-11-02" or "Dana Lee" not in a.get("with", [])
    ]
    for person in data["stakeholders"]:
        if person["name"] == "Dana Lee":
            person["last_contact"] = "2026-11-02"
    return data


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: I'm on parental leave 11-09 to 12-14. Omar owns the paper till I'm back.",
        "Dana 休假到 12月14日，期间由 Omar 负责合同。",
    ],
)
def test_a_champion_on_leave_they_announced_is_not_gone_dark(summary: str) -> None:
    data = _on_leave(summary)
    assessment = assess(parse_deal(data))
    dana = assessment.facts.person("Dana Lee")
    assert dana is not None and dana.away_until == dt.date(2026, 12, 14)
    assert "momentum.champion_dark" not in by_code(parse_deal(data))


def test_a_leave_that_is_over_leaves_the_silence_a_silence() -> None:
    data = _on_leave("Dana: I'm on leave 10-26 to 11-06, back after that.")
    assert assess(parse_deal(data)).facts.person("Dana Lee").away_until is None
    assert "momentum.champion_dark" in by_code(parse_deal(data))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kolmio can retest Mon 14.12 if you confirm by Thu 10.12", [(2026, 12, 14), (2026, 12, 10)]),
        ("otherwise their next slot is w/c 11.1.2027", [(2027, 1, 11)]),
        ("handling time 9.1 -> 3.4 days, EUR 1.5M, v2.1, 4.5%, 2.5 FTE", []),
        ("I will sign it Friday 11/12 when I am back", [(2026, 12, 11)]),  # 12 November is no Friday near this
        ("said YES 24/11", [(2027, 11, 24)]),  # day-first when it cannot be month-first
        ("on Thursday 12/10", [(2026, 12, 10)]),
    ],
)
def test_dates_as_notes_write_them(text: str, expected: list[tuple[int, int, int]]) -> None:
    assert dates_in(text, dt.date(2026, 12, 1)) == [dt.date(*d) for d in expected]


def test_an_owner_who_says_in_her_own_words_that_she_decides_and_signs_is_the_signer_who_committed() -> None:
    data = with_activities(
        activity(
            "2026-11-20",
            "email",
            'Ava: "Ok for 2 years. I decide this myself, there is no board here. Send me the order form and I will '
            'sign it Friday 12/4."',
            **{"with": ["Ava Stone"]},
        ),
        activity(
            "2026-11-24",
            "email",
            "Sent the order form by DocuSign. Ava: 'Received, I will sign on Friday.'",
            **{"with": ["Ava Stone"]},
        ),
    )
    data["stakeholders"] = [
        {"name": "Ava Stone", "title": "Owner", "role": "unknown", "engaged": True, "added": "2026-10-01"}
    ]
    data["meddpicc"] = {}
    deal = parse_deal(data)
    assert direction_of(deal.activities[-1], deal.stakeholders) == Direction.TWO_WAY
    assessment = assess(deal)
    assert assessment.facts.person("Ava Stone").role.value == "economic_buyer"
    assert assessment.facts.timing.committed


def test_a_measurement_with_an_arrow_is_no_sequence_of_steps() -> None:
    from ae_coach.deal.calendar import calendar_for
    from ae_coach.inspector.facts._sequence import read

    said = "Pilot readout (6 wks): avg handling time 11.2 -> 7.9 days, re-keys 3 -> 0."
    assert read(said, dt.date(2026, 10, 9), dt.date(2026, 11, 30), calendar_for("IE")) is None


def test_a_board_date_the_buyer_says_is_not_set_leaves_the_decision_undated() -> None:
    data = with_activities(
        activity(
            "2026-11-24",
            "call",
            "Dana: BOD date not set yet - 'maybe before Christmas, maybe January'.",
            direction="two_way",
            **{"with": ["Dana Lee"]},
        )
    )
    data["mutual_action_plan"] = [
        {"date": "2026-12-10", "action": "BOD approval", "owner": "customer", "status": "planned"},
        {"date": "2026-12-18", "action": "Contract signature", "owner": "customer", "status": "planned"},
    ]
    timing = assess(parse_deal(data)).facts.timing
    assert timing.unset_step == "BOD approval" and "not set yet" in (timing.decision_waits or "")
    dated = with_activities(
        activity("2026-11-24", "call", "Dana: BOD meets 12/10.", direction="two_way", **{"with": ["Dana Lee"]})
    )
    dated["mutual_action_plan"] = data["mutual_action_plan"]
    assert assess(parse_deal(dated)).facts.timing.unset_step is None


def test_the_signer_asking_for_the_number_makes_the_missing_value_the_first_problem_at_proposal() -> None:
    data = with_activities(
        activity(
            "2026-11-10",
            "meeting",
            "Business chat with Priya. Priya: 'Bring me the numbers - what does it save us? Today's tools work.'",
            direction="two_way",
            **{"with": ["Priya Shah", "Dana Lee"]},
        )
    )
    found = by_code(parse_deal(data))["meddpicc.metrics"]
    assert found.severity.value == "critical" and found.title.startswith("No number for the value at proposal")


def test_a_fallback_date_after_the_period_keeps_a_deal_out_of_commit() -> None:
    said = (
        "Jari: 'Our tester can retest Mon 14.12 if you confirm by Thu 10.12 that the fix is deployed. "
        "Otherwise their next slot is w/c 11.1.2027 (holidays).'"
    )
    data = with_activities(activity("2026-11-24", "email", said, direction="inbound", **{"with": ["Omar Haddad"]}))
    assessment = assess(parse_deal(data))
    assert assessment.facts.timing.fallback == dt.date(2027, 1, 11)
    assert assessment.recommended_forecast.value != "commit"
    assert any("fallback is 2027-01-11" in r for r in assessment.why_not_commit)


@pytest.mark.parametrize("text", ["24/7 support", "TLS 1.2", "clause 12.3", "Python 3.11", "scored 4.5", "CSAT 4.6"])
def test_numbers_with_a_point_or_a_slash_that_are_no_dates(text: str) -> None:
    assert dates_in(text, dt.date(2026, 12, 1)) == []


@pytest.mark.parametrize(
    "said",
    [
        "Priya: 'Send me the numbers for 250 seats and the 3-year option.'",
        "She confirmed we don't have any data residency requirements.",
    ],
)
def test_a_request_for_a_quote_is_no_missing_number(said: str) -> None:
    data = with_activities(activity("2026-11-20", "call", said, direction="two_way", **{"with": ["Priya Shah"]}))
    found = by_code(parse_deal(data)).get("meddpicc.metrics")
    assert found is None or not found.title.startswith("No number")


@pytest.mark.parametrize(
    "said",
    [
        "Dana: if you can't make Friday, we can do 01-08 instead.",
        "Dana: the steering committee signed off the rollout plan; our next meeting is on 01-14 to review adoption.",
    ],
)
def test_a_moved_meeting_or_a_committee_about_something_else_leaves_the_call(said: str) -> None:
    data = with_activities(activity("2026-11-24", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    assert assess(parse_deal(data)).recommended_forecast.value == "commit"


def test_our_own_out_of_office_is_no_buyer_away() -> None:
    said = "Emailed Dana the pricing. I'm OOO until 12-20, Dana knows to reach my SE."
    data = with_activities(activity("2026-11-24", "email", said, direction="outbound", **{"with": ["Dana Lee"]}))
    assert assess(parse_deal(data)).facts.person("Dana Lee").away_until is None


@pytest.mark.parametrize(
    ("said", "fallback"),
    [
        (
            "Dana: the chair sometimes asks for clarifications, which would push it to the January sitting.",
            dt.date(2027, 1, 1),
        ),
        (
            "Dana: the chair may ask for clarifications, which could move the approval to 2027-01-14.",
            dt.date(2027, 1, 14),
        ),
        ("Dana: the chair signs off at the December sitting.", None),  # no fallback, a date inside the period
        ("Dana: that would push the kickoff call to next week.", None),  # a meeting to move, not a step of the deal
    ],
)
def test_a_body_that_may_defer_to_a_later_sitting_is_a_fallback(said: str, fallback: dt.date | None) -> None:
    """The buyer's side says the body may ask for more and push the decision to its next sitting after the period:
    the plan's dates hold only if it does not, so the deal is not Commit."""
    data = with_activities(activity("2026-11-24", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    assessment = assess(parse_deal(data))
    assert assessment.facts.timing.fallback == fallback
    assert (assessment.recommended_forecast.value != "commit") is (fallback is not None), assessment.forecast_reasons


@pytest.mark.parametrize(
    ("said", "raised"),
    [
        ("Dana: the board may ask for more detail, which would push the approval to the February sitting.", True),
        ("Dana: 'Our tester can retest on 12-14. Otherwise their next slot is 2027-01-11.'", False),  # the test's
    ],
)
def test_a_decision_fallback_after_the_period_is_the_decision_process_risk(said: str, raised: bool) -> None:
    """A fallback for the decision itself (the board's later sitting) is the decision process's open risk; one for
    a test the decision waits on is the criteria's, not a second finding."""
    data = with_activities(activity("2026-11-24", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    found = by_code(parse_deal(data)).get("meddpicc.decision_process")
    assert (found is not None and "fallback" in " ".join(found.evidence)) is raised
    if raised:
        assert found is not None and found.severity.value == "medium"  # a dated step that may slip: to watch
