"""The buyer's written sequence of steps, summed into the earliest date it allows (``facts._sequence``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from ae_coach import assess, load_deal
from ae_coach.deal.calendar import DEFAULT_DAYS_OFF, Calendar, calendar_for
from ae_coach.inspector.facts._model import ActivityFact, Questionnaire
from ae_coach.inspector.facts._owed import questionnaire
from ae_coach.inspector.facts._sequence import read
from ae_coach.inspector.settings import Settings

SAID, TODAY = dt.date(2026, 11, 20), dt.date(2026, 11, 24)


def _calendar(country: str) -> Calendar:
    """The calendar a review uses for a buyer in ``country`` (the default days off, US-only ones only there)."""
    return calendar_for(SimpleNamespace(holidays_country=country, days_off=DEFAULT_DAYS_OFF))


HAKUYO = Path(__file__).parents[1] / "evals/calibration/deals/hakuyo-seimitsu-nda-before-security-review.yaml"


@pytest.mark.parametrize(
    ("country", "summary", "days", "ends"),
    [
        # the buyer's review, then an approval that "can only start after" it, around their own year-end closure
        (
            "JP",
            "After we receive your completed security check sheet, their review usually takes about 6 weeks. The "
            "ringi can only start after the security check is passed, and takes 2-3 weeks. Please also note our "
            "year-end holidays 12/29-1/5.",
            [30, 10],
            dt.date(2027, 2, 2),
        ),
        ("US", "IT review 2 weeks, then procurement 10 business days, then legal a month", [10, 10, 21], None),
        ("US", "Their path:\n1. Security review - 2 weeks\n2. Procurement - 3 weeks\n3. Signature", [10, 15], None),
        ("US", "Security review, 2 weeks -> legal redlines, 3 weeks -> signature", [10, 15], None),
        # a numbered list whose items tell their length in the next sentence
        (
            "AT",
            "Now the internal route:\n1) Legal reviews the contract and DPA. She needs about three weeks once she has "
            "the final version from you.\n2) After legal sign-off IT runs the cloud assessment. Stefan says four weeks "
            "is normal, so no parallel track, sorry.\n3) Then the board decision.",
            [15, 20],
            None,
        ),
        ("US", "Security review 3 weeks, then until after the holidays", [15, 0], dt.date(2027, 1, 4)),
        ("CN", "先签保密协议，再做安全评估，大概两周，然后走采购流程，一个月左右。", [10, 21], None),
        ("CN", "安全评估六周，之后春节后再上会审批。", [30, 0], None),
    ],
)
def test_a_written_sequence_is_summed_in_working_days(
    country: str, summary: str, days: list[int], ends: dt.date | None
) -> None:
    found = read(summary, SAID, TODAY, _calendar(country))
    assert found is not None
    assert [s.days for s in found.steps] == days
    assert all(a.ends <= b.ends for a, b in zip(found.steps, found.steps[1:], strict=False))
    if ends is not None:
        assert found.ends == ends


def test_a_range_is_counted_at_its_lower_bound_and_says_so() -> None:
    found = read("Security review 2-3 weeks, then procurement 1 week", SAID, TODAY, _calendar("US"))
    assert found is not None
    assert (found.steps[0].days, found.steps[0].lower_bound) == (10, True)
    assert "the lower bound" in found.evidence("2026-11-20 email", "US", True)


@pytest.mark.parametrize(
    "summary",
    [
        "Pilot done (4 weeks), then procurement 2 weeks -> signature",  # a step told as done takes no time
        "turnaround 5.2 -> 1.8 days, then a 24 month term, net-30 days",  # a measurement and contract terms
        "Liability at 12 months fees, then procurement 2 weeks",
        "Lumina came back within three days with an extension. Dana will not pay two vendors for four months.",
        "Security review takes 2 weeks. Legal also needs 3 weeks.",  # two lead times, no order between them
        "审批流程两周前已完成，然后采购一周。",
        # a re-read of the change: a month named as a date, steps after the signature, lengths ruled out or gone by
        "3月再签合同，然后法务两周。",
        "Rollout plan: kickoff, then configuration 4 weeks, then training 2 weeks.",
        "Legal review will not take 3 weeks, then procurement 2 weeks.",
        "The pilot ran for 6 weeks, then legal 2 weeks.",
    ],
)
def test_what_is_no_sequence_of_open_steps_is_not_summed(summary: str) -> None:
    assert read(summary, SAID, TODAY, _calendar("US")) is None


def test_the_close_date_before_the_buyers_own_sequence_is_out_of_the_period() -> None:
    assessment = assess(load_deal(HAKUYO))
    timing = assessment.facts.timing
    # the NDA (5 working days) and our answers to the 180-item check sheet (5) before the review and the ringi
    assert timing.sequence_ends == dt.date(2027, 2, 17)
    assert timing.paper_ends == timing.sequence_ends  # the paper timeline is the sequence's first step
    assert str(assessment.recommended_forecast) == "omitted"
    assert "2027-02-17" in assessment.forecast_reasons[0]


def _with_sequence(summary: str, close: str) -> dict:
    """Hakuyo's record with its last buyer message replaced by ``summary`` and its plan dropped."""
    import yaml

    data = yaml.safe_load(HAKUYO.read_text(encoding="utf-8"))
    data["activities"][-1]["summary"] = summary
    data["mutual_action_plan"] = []
    data["close_date"] = close
    return data


@pytest.mark.parametrize(
    ("summary", "close", "omitted"),
    [
        # the steps, summed, end after the quarter: the close date cannot hold in this period
        (
            "Plan: pilot 3 weeks, then the steering committee needs 2 weeks, then procurement a month.",
            "2026-12-22",
            True,
        ),
        # they end inside the quarter but after the close date: the Commit gate names it
        ("Pilot 1 week, then the steering committee needs 2 weeks.", "2026-12-01", False),
    ],
)
def test_a_close_date_before_the_sequence_ends_cannot_hold(summary: str, close: str, omitted: bool) -> None:
    from ae_coach.deal import parse_deal

    assessment = assess(parse_deal(_with_sequence(summary, close)))
    timing = assessment.facts.timing
    assert timing.sequence_ends is not None and timing.sequence_ends > dt.date.fromisoformat(close)
    if omitted:
        assert str(assessment.recommended_forecast) == "omitted"
        assert any("sequence of steps" in r for r in assessment.forecast_reasons)
    else:
        assert any("sequence of steps" in r for r in assessment.why_not_commit)


@pytest.mark.parametrize(
    ("summary", "days"),
    [
        (
            "法务审核需要两周，然后采购审批需要三十天。",
            [10, 22],
        ),  # 三十 is thirty (no crash), plain days are calendar days
        ("Legal review takes 3 weeks, then procurement needs 30 days.", [15, 22]),
        ("Legal needs 10 business days, then the board two weeks.", [10, 10]),
    ],
)
def test_chinese_tens_and_calendar_days_are_counted_as_working_days(summary: str, days: list[int]) -> None:
    found = read(summary, SAID, TODAY, _calendar("US"))
    assert found is not None and [step.days for step in found.steps] == days


def test_a_step_that_waits_on_the_one_before_knows_the_day_it_can_start() -> None:
    summary = (
        "After we receive your completed security check sheet, their review usually takes about 6 weeks. "
        "The ringi (approval circulation) can only start after the security check is passed, and takes 2-3 weeks."
    )
    found = read(summary, SAID, TODAY, _calendar("JP"))
    assert found is not None
    ((start, subject),) = found.waits()
    assert subject == "The ringi (approval circulation)" and start == found.steps[0].ends


def test_the_buyers_own_plan_step_dated_before_its_turn_is_at_risk() -> None:
    """Hakuyo: "Ringi approval" on 12-15 in the buyer's plan, while the ringi can only start once the six-week
    review ends in January: not "planned" beside a headline that says the process ends in February."""
    from ae_coach.coach import Coach

    path = (
        Path(__file__).resolve().parent.parent
        / "evals/calibration/deals/hakuyo-seimitsu-nda-before-security-review.yaml"
    )
    plan = Coach("offline").review(load_deal(path)).mutual_action_plan
    # one row for the ringi: the day their sequence allows, naming the 12-15 it replaces and why that cannot hold
    (ringi,) = [s for s in plan if s.action == "Ringi approval"]
    assert ringi.date == dt.date(2027, 2, 17) and "2026-12-15" in (ringi.note or "")
    assert "2027-02-02" in (ringi.note or "")
    check = next(s for s in plan if s.action == "Security check sheet")
    # the first step of the sequence waits on nothing in it, but on the NDA, which is not signed
    assert check.status == "at_risk" and "NDA" in (check.note or "")


# ------------------------------------------------------------------------------------------- our own steps

_HAKUYO_STEPS = (
    "After we receive your completed security check sheet, their review usually takes about 6 weeks. The ringi can "
    "only start after the security check is passed, and takes 2-3 weeks. Please also note our year-end holidays "
    "12/29-1/5."
)


def _asked(items: int | None, days: int) -> Questionnaire:
    return Questionnaire.of(said=SAID, words="security check sheet", items=items, days=days)


def test_our_own_steps_before_the_buyers_come_first_each_with_its_time() -> None:
    """Hakuyo: the NDA to sign, then our answers to their 180-item check sheet, then their review and the ringi."""
    found = read(_HAKUYO_STEPS, SAID, TODAY, _calendar("JP"), 5, _asked(180, 5))
    assert found is not None
    assert [(s.ours, s.days) for s in found.steps] == [("document", 5), ("answers", 5), (None, 30), (None, 10)]
    assert (found.ours("document"), found.ours("answers"), found.ends) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 8),
        dt.date(2027, 2, 17),
    )
    evidence = found.evidence("2026-11-20 email", "JP", True)
    assert '"security check sheet" (180 items on record): 5 working days' in evidence
    assert [s.said for s in found.theirs] == [s.said for s in read(_HAKUYO_STEPS, SAID, TODAY, _calendar("JP")).steps]


def test_a_sequence_that_does_not_start_from_our_answers_gets_no_step_of_ours() -> None:
    found = read(
        "IT review 2 weeks, then procurement 10 business days", SAID, TODAY, _calendar("US"), 0, _asked(180, 5)
    )
    assert found is not None and all(s.ours is None for s in found.steps)


@pytest.mark.parametrize(
    ("summaries", "items", "days"),
    [
        (["Any new cloud service must pass the security check (security check sheet, ~180 items)."], 180, 5),
        (["We need our supplier security assessment - questionnaire attached (212 questions)."], 212, 6),
        (["Security questionnaire received from vendor risk"], None, 2),  # no size on record: the least time
        (["Questionnaire attached (212 questions).", "Returned the completed questionnaire to Jakob."], None, None),
        (["After we receive your completed security check sheet, their review takes 6 weeks."], None, 2),
        (["Sent our SOC 2 report and the pen test summary."], None, None),  # no questionnaire at all
    ],
)
def test_the_questionnaire_we_owe_is_read_with_its_size(summaries: list[str], items: int | None, days: int | None):
    past = [
        ActivityFact.of(date=SAID + dt.timedelta(days=i), type="email", status="completed", summary=summary)
        for i, summary in enumerate(summaries)
    ]
    found = questionnaire(past, TODAY, 40)
    assert (found.items, found.days) == (items, days) if days is not None else found is None


def test_the_pace_of_our_answers_is_a_setting() -> None:
    deal = load_deal(HAKUYO)
    slower = assess(deal, settings=Settings(questionnaire_items_per_day=20, document_sign_days=10)).facts.timing
    assert slower.questionnaire is not None and slower.questionnaire.days == 9
    assert slower.sequence_ends > assess(deal).facts.timing.sequence_ends  # 5 + 4 more working days of ours
    assert slower.document_due == dt.date(2026, 12, 8)
