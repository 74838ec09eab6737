"""What the record says about timing and silence, read from the activities rather than the CRM's fields."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from analysis_builders import activity, by_code, healthy, with_activities


def _held(date: str, summary: str, who: str = "Dana Lee") -> dict:
    return activity(date, "call", summary, direction="two_way", **{"with": [who]})


def _chased(date: str, who: str = "Priya Shah") -> dict:
    return activity(
        date, "email", "Sent the business case again, asked for 30 minutes", direction="outbound", **{"with": [who]}
    )


def test_the_signer_ignoring_follow_ups_is_a_danger_while_the_champion_still_talks() -> None:
    data = with_activities(_chased("2026-11-16"), _chased("2026-11-20"), _held("2026-11-24", "Dana: Priya is busy"))
    for person in data["stakeholders"]:
        if person["name"] == "Priya Shah":
            person["last_contact"] = "2026-10-20"
    data["mutual_action_plan"] = [p for p in data["mutual_action_plan"] if p["status"] == "done"]
    assessment = assess(parse_deal(data))
    found = by_code(parse_deal(data))["momentum.unanswered_outreach"]
    assert found.severity is Severity.HIGH and "Priya Shah" in found.title
    assert assessment.recommended_forecast.value == "pipeline"  # identified is not engaged: not best case

    answered = with_activities(
        _chased("2026-11-16"), _chased("2026-11-20"), _held("2026-11-24", "Priya: fine", "Priya Shah")
    )
    assert "momentum.unanswered_outreach" not in by_code(parse_deal(answered))


@pytest.mark.parametrize(
    ("summary", "late"),
    [
        ("Dana: their new data lead pitched building the forecasting piece themselves on Databricks", True),
        ("Dana: they ruled out building it in-house in the spring", False),
    ],
)
def test_a_build_option_raised_late_is_a_late_competitor(summary: str, late: bool) -> None:
    deal = parse_deal(with_activities(_held("2026-11-20", summary)))
    assert ("momentum.competitor_late" in by_code(deal)) is late


def test_a_decision_that_waits_on_an_undated_step_is_not_a_dated_process() -> None:
    waits = "Dana: Priya wants a build-vs-buy comparison before she signs anything. No date for it yet."
    assessment = assess(parse_deal(with_activities(_held("2026-11-24", waits))))
    assert assessment.facts.timing.decision_waits
    assert assessment.recommended_forecast.value == "pipeline"
    dated = "Dana: Priya wants a build-vs-buy comparison before she signs; Omar sends it on 12-02."
    assert assess(parse_deal(with_activities(_held("2026-11-24", dated)))).facts.timing.decision_waits is None


@pytest.mark.parametrize(
    ("said", "omitted"),
    [
        ("Priya: all new multi-year commitments go through the January capital review now", True),
        ("Priya: all new multi-year commitments go through the December capital review now", False),
        # the purchase taken back to the body in a later month, after a pilot first
        ("Priya: if the pilot meets the criteria, we would take the agreement back to Exco in April", True),
        ("Priya: we bring it back to the board in December for the signature", False),
        ("Priya: we take it back to the board for decision next week", False),  # "for decision" is no December
        ("Priya: we won't need to take it back to Exco in April", False),  # negated
    ],
)
def test_a_decision_routed_to_a_body_meeting_after_the_close_date_is_not_this_periods(said: str, omitted: bool) -> None:
    assessment = assess(parse_deal(with_activities(_held("2026-11-20", said, "Priya Shah"))))
    assert (assessment.recommended_forecast.value == "omitted") is omitted
    if omitted:
        fantasy = next(f for f in assessment.findings if f.code == "anti.forecast_fantasy")
        assert fantasy.severity is Severity.HIGH and fantasy.data["buyer_later"]


@pytest.mark.parametrize(("weeks", "omitted"), [("6-8 wks", True), ("1-2 wks", False)])
def test_a_paper_queue_that_runs_past_the_period_takes_the_deal_out_of_it(weeks: str, omitted: bool) -> None:
    data = healthy()
    said = f"Olu: their third-party risk queue is running {weeks} for critical vendors"
    data["activities"].append(_held("2026-11-23", said))
    assessment = assess(parse_deal(data))
    assert (assessment.recommended_forecast.value == "omitted") is omitted


@pytest.mark.parametrize(
    ("later", "waits"),
    [
        ("Dana: Martin is on site visits through December; no slot for the review yet.", True),
        ("Dana: Martin's review is booked for 12-08.", False),  # the latest word dates it
    ],
)
def test_a_decision_that_waits_and_a_later_word_that_it_has_no_date(later: str, waits: bool) -> None:
    """The wait in one message ("he wants to see every commitment over 150k before anyone signs"), its missing date
    in the buyer's latest word since: no dated decision process."""
    said = "Priya: new COO Martin started last week. He wants to see every commitment over 150k before anyone signs."
    assessment = assess(
        parse_deal(with_activities(_held("2026-11-20", said, "Priya Shah"), _held("2026-11-25", later)))
    )
    assert bool(assessment.facts.timing.decision_waits) is waits
    assert (assessment.recommended_forecast.value == "pipeline") is waits


@pytest.mark.parametrize(
    ("pushed", "later_word", "omitted"),
    [
        (True, "Dana: the budget is back; if legal agrees, Priya signs on 12-17.", False),
        (False, "Dana: the budget is back; if legal agrees, Priya signs on 12-17.", True),  # the rep's own caution
        (True, "Dana: the budget is back, nothing dated yet.", True),  # no signing day named
    ],
)
def test_a_signing_day_the_buyer_names_after_the_date_was_parked_is_the_close(pushed, later_word, omitted) -> None:
    """The rep parked the CRM date in March when the budget moved to next year; the buyer's later word names a
    signing day this quarter and gives the budget back: the call is made on the buyer's day, and the earlier
    'moves to the 2027 budget' no longer places the purchase later."""
    data = with_activities(
        _held("2026-10-19", "Dana: bad news, our project moves to the 2027 budget."),
        _held("2026-11-20", later_word),
    )
    data["close_date"] = "2027-03-31"
    if pushed:
        data["history"] = [
            *data["history"],
            {"date": "2026-10-19", "field": "close_date", "from": "2026-12-18", "to": "2027-03-31"},
        ]
    assessment = assess(parse_deal(data))
    assert (assessment.recommended_forecast.value == "omitted") is omitted, assessment.forecast_reasons
    assert any("was parked later" in r for r in assessment.forecast_reasons) is (not omitted)


def _with_newcomers(data: dict) -> dict:
    """Two people who joined at proposal in a Chilean buyer's titles: the head of procurement the CEO sent us to,
    and the CEO's assistant who made the introduction."""
    data["stakeholders"] += [
        {"name": "Carolina Muñoz", "title": "Jefa de Abastecimiento", "role": "unknown", "added": "2026-11-18"},
        {"name": "Valentina Soto", "title": "Asistente de Gerencia General", "role": "unknown", "added": "2026-11-18"},
    ]
    return data


def test_the_paper_owner_ignoring_follow_ups_at_proposal_is_the_danger_not_their_arrival() -> None:
    data = _with_newcomers(
        with_activities(
            _held("2026-11-20", "Dana: Carolina runs supplier registration, a couple of weeks"),
            _chased("2026-11-19", "Carolina Muñoz"),
            _chased("2026-11-24", "Carolina Muñoz"),
        )
    )
    found = by_code(parse_deal(data))
    silent = found["momentum.unanswered_outreach"]
    assert silent.data["paper"] == ["Carolina Muñoz"] and "2 follow-ups to Carolina Muñoz" in silent.title
    # the champion and the signer still talk to us: a process to unblock, not a buyer walking away
    assert silent.severity is Severity.MEDIUM
    late = found.get("momentum.late_stakeholder")
    # neither a procurement head nor an assistant is a newcomer who can change the decision
    assert late is None or (late.severity is Severity.LOW and "Valentina Soto" not in late.title)


def test_the_action_for_a_silent_paper_owner_goes_through_the_champion_not_another_email() -> None:
    from ae_coach.coach import Coach

    data = _with_newcomers(
        with_activities(_chased("2026-11-19", "Carolina Muñoz"), _chased("2026-11-24", "Carolina Muñoz"))
    )
    review = Coach("offline").review(parse_deal(data))
    action = next(a for a in review.next_actions if "Carolina Muñoz" in a.action)
    assert action.action.startswith("Stop writing to Carolina Muñoz") and "Dana Lee" in action.action
    assert "go to Dana Lee" not in action.action  # no fallback that repeats the route the action already takes
    assert not any("LinkedIn" in a.action for a in review.next_actions)


def _note(date: str, summary: str) -> dict:
    return activity(date, "note", summary, direction="outbound")


@pytest.mark.parametrize(
    ("eta", "omitted"),
    [
        ("ETA early February at the earliest", True),
        ("nothing before late January", True),
        ("ETA early December at the earliest", False),  # before the signature: the paper can still make it
        ("their go-live is not before February anyway", False),  # another date, not the paper's
    ],
)
def test_a_paper_vehicle_we_cannot_issue_before_a_later_month_takes_the_deal_out_of_the_period(
    eta: str, omitted: bool
) -> None:
    """Their procurement buys only through a cloud-marketplace private offer, and our own note says we cannot
    issue one before a month after the signature: the paper is dated past it, whoever's step it is."""
    said = (
        "Partner team: their Azure subscription is billed by a regional reseller and our listing cannot publish "
        f"private offers to it until the reseller agreement is signed. {eta[0].upper()}{eta[1:]}."
    )
    assessment = assess(parse_deal(with_activities(_note("2026-11-24", said))))
    assert (assessment.recommended_forecast.value == "omitted") is omitted, assessment.forecast_reasons
    assert (assessment.facts.timing.paper_ends is not None) is omitted
    if omitted:
        assert by_code(parse_deal(with_activities(_note("2026-11-24", said))))["meddpicc.paper_process"].severity in (
            Severity.HIGH,
            Severity.CRITICAL,
        )


@pytest.mark.parametrize(
    ("later", "unset"),
    [
        ("Dana: the steering committee is not yet scheduled.", True),
        ("Dana: the steering committee has not been booked, she is travelling.", True),
        ("Dana: the steering committee hasn't been scheduled yet.", True),
        ("Dana: the steering committee meets on 12-09.", False),  # the buyer's word dates it
    ],
)
def test_an_undated_committee_step_the_signature_waits_on_and_not_yet_scheduled(later: str, unset: bool) -> None:
    """The plan dates the signature but leaves the committee before it undated, and the buyer's latest word
    says the committee is not scheduled: the signature's date waits on a step with none, so no dated process."""
    data = with_activities(_held("2026-11-24", later))
    data["mutual_action_plan"].insert(
        1, {"action": "Steering committee recommendation", "owner": "Dana Lee", "status": "planned"}
    )
    assessment = assess(parse_deal(data))
    assert (assessment.facts.timing.unset_step == "Steering committee recommendation") is unset
    assert (assessment.recommended_forecast.value == "pipeline") is unset, assessment.forecast_reasons


def test_a_go_live_the_rep_parked_the_close_date_on_is_no_step_to_signature() -> None:
    """The rep moved the CRM date to the go-live in March; the signer has since named a signing day this quarter:
    the call is made on her day, and the plan's go-live and training after it are not steps to the signature."""
    data = with_activities(
        _held("2026-11-24", "Priya: we must sign your order form by 12-16 to hold this year's price", "Priya Shah")
    )
    data["close_date"] = "2027-03-01"
    data["history"] = [
        *data["history"],
        {"date": "2026-11-20", "field": "close_date", "from": "2026-12-18", "to": "2027-03-01"},
    ]
    data["mutual_action_plan"] += [
        {"date": "2027-02-15", "action": "Training for the planners", "owner": "us", "status": "planned"},
        {"date": "2027-03-01", "action": "Go-live", "owner": "customer", "status": "planned"},
    ]
    assessment = assess(parse_deal(data))
    assert not any("mutual action plan's last step" in r for r in assessment.why_not_commit), assessment.why_not_commit
    assert assessment.recommended_forecast.value == "commit", assessment.forecast_reasons


@pytest.mark.parametrize(
    "later",
    [
        "Dana: the steering committee is not scheduled until 9 December.",
        "Dana: the steering committee hasn't been called off; it meets on 12-09 as planned.",
        "Dana: the steering committee agreed the scope, but the security review is not booked.",
    ],
)
def test_a_committee_step_dated_or_not_the_one_left_unbooked_is_not_unset(later: str) -> None:
    """A date in the same clause, "called off" and another body's review left unbooked say nothing about the
    committee step having no date."""
    data = with_activities(_held("2026-11-24", later))
    data["mutual_action_plan"].insert(
        1, {"action": "Steering committee recommendation", "owner": "Dana Lee", "status": "planned"}
    )
    assert assess(parse_deal(data)).facts.timing.unset_step is None


@pytest.mark.parametrize(
    ("said", "ends"),
    [
        ("Legal has the order form. Training for the night shift not before February.", None),
        ("Legal is running late, so nothing before February.", "2027-02-01"),
        ("Legal has the order form; nothing before the end of January.", "2027-01-21"),
        ("Legal has the order form. ETA 'mid-to-late January at the earliest'.", "2027-01-15"),
    ],
)
def test_a_month_floor_dates_the_paper_only_in_a_sentence_about_the_paper(said: str, ends: str | None) -> None:
    """A month floor dates the paper when its sentence names the paper, or is the floor alone after one that
    does; the part of the month is the one said just before its name, not a word earlier in the sentence."""
    timing = assess(parse_deal(with_activities(_held("2026-11-24", f"Dana: {said}")))).facts.timing
    assert (str(timing.paper_ends) if timing.paper_ends else None) == ends


def test_a_month_floor_for_the_users_training_leaves_the_close_date_alone() -> None:
    """The first month the night shift can be trained is the rollout's date, not the purchase's."""
    said = "Dana: legal has the order form. Training for the night shift not before February."
    timing = assess(parse_deal(with_activities(_held("2026-11-24", said)))).facts.timing
    assert timing.doubt is None and timing.paper_ends is None


@pytest.mark.parametrize(
    ("said", "later", "waits"),
    [
        # a start on a condition, and the buyer cannot say when it is met
        (
            "Dana: the board backed the project but funded two others first; we can start only if one of them "
            "is cancelled, and she cannot say when.",
            None,
            True,
        ),
        (
            "Dana: the board funded two others first; we can start if one of them is cancelled.",
            "Dana: no date for the next funding round.",
            True,
        ),
        ("Dana: the board funded two others first; we can start if one of them is cancelled.", None, False),
        # in Spanish: a paid pilot before any licence talk, and the committee's calendar not out yet
        (
            "Dana: 'Antes de hablar de licencias, Priya pide un piloto pagado de seis semanas. El calendario del "
            "comité para el año próximo todavía no está.'",
            None,
            True,
        ),
        (
            "Dana: 'Antes de firmar, Priya pide un piloto pagado. El comité se reúne el 12-09.'",
            None,
            False,
        ),
    ],
)
def test_a_start_or_decision_that_waits_on_an_undated_condition(said: str, later: str | None, waits: bool) -> None:
    """The buyer's word that the purchase waits on something (a funding slot freeing up, a paid pilot first) and
    that it has no date, in the same message or the buyer's latest: no dated decision process, not best case."""
    items = [_held("2026-11-20", said)] + ([_held("2026-11-24", later)] if later else [])
    assessment = assess(parse_deal(with_activities(*items)))
    assert bool(assessment.facts.timing.decision_waits) is waits
    assert (assessment.recommended_forecast.value == "pipeline") is waits, assessment.forecast_reasons


@pytest.mark.parametrize(
    ("note", "omitted"),
    [
        ("Our insurer issues the cyber certificate in February at the earliest; there is no express route.", True),
        ("Our insurer issues the cyber certificate on 12-04.", False),  # before the signature: it can still make it
        ("Our insurer's renewal is not before February; unrelated to this deal.", False),  # not the condition
    ],
)
def test_paper_that_waits_on_a_condition_the_record_dates_after_the_period_takes_the_deal_out(
    note: str, omitted: bool
) -> None:
    """Procurement cannot release the contract for signing without a certificate of ours, and our own note says
    the certificate cannot exist before a month after the signature: the paper is dated there."""
    gate = (
        "Lena (procurement): 'Without a cyber insurance certificate of at least EUR 5M I cannot release the "
        "contract for signature. The policy applies to every supplier.'"
    )
    data = with_activities(_held("2026-11-23", gate, "Lena Park"))
    data["notes"] = note
    assessment = assess(parse_deal(data))
    assert (assessment.facts.timing.paper_ends is not None) is omitted
    assert (assessment.recommended_forecast.value == "omitted") is omitted, assessment.forecast_reasons
    if omitted:
        assert by_code(parse_deal(data))["meddpicc.paper_process"].severity in (Severity.HIGH, Severity.CRITICAL)


def test_the_gate_in_dutch_is_read_like_the_english_one() -> None:
    gate = "Lena (inkoop): 'Zonder certificaat kan ik het contract niet vrijgeven voor ondertekening.'"
    data = with_activities(_held("2026-11-23", gate, "Lena Park"))
    data["notes"] = "The certification body publishes the certificaat in March at the earliest."
    assert assess(parse_deal(data)).recommended_forecast.value == "omitted"
