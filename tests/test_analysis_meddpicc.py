"""MEDDPICC grades, red flags, severity by stage and the special cases a manager checks first."""

from __future__ import annotations

import pytest

from ae_coach.deal import ForecastCategory, parse_deal
from ae_coach.findings import MEDDPICC_ELEMENTS, Severity
from ae_coach.inspector import assess, inspect
from ae_coach.inspector.priority import ranked
from analysis_builders import build, by_code, healthy, without_record

CASES = [
    (
        f"meddpicc.{name}",
        lambda name=name: build((f"meddpicc.{name}", {"status": "unknown"}), *without_record(name)),
        build,
    )
    for name in MEDDPICC_ELEMENTS
    if name != "competition"
] + [
    (
        "hygiene.evidence_missing",
        lambda: build(("meddpicc.champion", {"status": "confirmed", "evidence": None})),
        build,
    ),
    (
        "meddpicc.competition",
        lambda: build(("meddpicc.competition", {"status": "unknown"}), ("competitors", [])),
        build,
    ),
]


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_red_flag_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert code in by_code(fire())
    assert code not in by_code(quiet())


@pytest.mark.parametrize(
    ("status", "evidence", "grade"),
    [
        ("unknown", None, 0),
        ("unknown", "ignored while unknown", 0),
        ("partial", "CFO mentioned a number", 1),
        ("confirmed", None, 1),
        ("confirmed", "   ", 1),
        ("confirmed", "Priya said the board wants it by Q1", 2),
        ("confirmed", "Priya confirmed it in an email on 11-03", 3),
        ("confirmed", "Signed off in the mutual action plan", 3),
        ("partial", "in the signed contract", 1),
    ],
)
def test_grade_from_status_and_evidence(status, evidence, grade) -> None:
    deal = build(("meddpicc.identified_pain", {"status": status, "evidence": evidence}))
    assert assess(deal).facts.elements["identified_pain"].grade == grade


@pytest.mark.parametrize(
    ("stage", "severity"),
    [
        ("discovery", Severity.LOW),
        ("scoping", Severity.MEDIUM),
        ("validation", Severity.HIGH),
        ("proposal", Severity.CRITICAL),
        ("closing", Severity.CRITICAL),
    ],
)
def test_unknown_economic_buyer_grows_worse_with_the_stage(stage, severity) -> None:
    # Priya (the CFO) stays in the deal but is no longer recorded as the economic buyer: grade 0
    deal = build(
        ("stage", stage), ("meddpicc.economic_buyer", {"status": "unknown"}), *without_record("economic_buyer")
    )
    finding = by_code(deal)["meddpicc.economic_buyer"]
    assert finding.severity is severity
    assert finding.data == {"element": "economic_buyer", "grade": 0, "due_by": "validation", "bare": True}
    assert "haven't met them" in finding.title


def test_engaged_economic_buyer_stakeholder_lifts_an_unknown_element_to_rep_asserted() -> None:
    never_met = [a for a in healthy()["activities"] if "Priya Shah" not in a.get("with", [])]
    deal = build(("meddpicc.economic_buyer", {"status": "unknown"}), ("activities", never_met))
    assert assess(deal).meddpicc["economic_buyer"] == 1
    assert by_code(deal)["meddpicc.economic_buyer"].severity is Severity.HIGH


def test_the_record_outranks_the_status_field() -> None:
    # the rep left the element unknown, but the record shows the CFO in two held meetings
    deal = build(("meddpicc.economic_buyer", {"status": "unknown"}))
    fact = assess(deal).facts.elements["economic_buyer"]
    assert fact.grade == 2 and fact.record and fact.claim == "unknown"
    assert "meddpicc.economic_buyer" not in by_code(deal)


def test_rep_asserted_is_one_step_milder_than_unknown() -> None:
    unknown = by_code(build(("meddpicc.economic_buyer", {"status": "unknown"}), *without_record("economic_buyer")))[
        "meddpicc.economic_buyer"
    ]
    never_met = [a for a in healthy()["activities"] if "Priya Shah" not in a.get("with", [])]
    # a partial answer with a real note is milder; a bare "confirmed" with nothing behind it earns no leniency
    partial = {"status": "partial", "evidence": "Priya Shah owns the budget"}
    asserted = by_code(build(("meddpicc.economic_buyer", partial), ("activities", never_met)))[
        "meddpicc.economic_buyer"
    ]
    bare = by_code(build(("meddpicc.economic_buyer", {"status": "confirmed"}), ("activities", never_met)))[
        "meddpicc.economic_buyer"
    ]
    assert bare.severity is Severity.CRITICAL
    assert (unknown.severity, asserted.severity) == (Severity.CRITICAL, Severity.HIGH)


def _only_champion(**extra) -> dict:
    data = healthy()
    data["stakeholders"] = [data["stakeholders"][0] | extra]
    data["activities"] = [a | {"with": ["Dana Lee"]} for a in data["activities"]]
    data["meddpicc"]["economic_buyer"] = {"status": "unknown"}
    return data


def test_champion_who_is_the_only_contact_and_not_the_economic_buyer() -> None:
    found = by_code(parse_deal(_only_champion()))
    evidence = " | ".join(found["meddpicc.economic_buyer"].evidence)
    assert "Dana Lee (champion) is the only contact and is not the economic buyer" in evidence
    assert "anti.single_threading" in found


def test_senior_title_is_not_budget_authority() -> None:
    data = _only_champion(title="Chief Executive Officer")
    found = by_code(parse_deal(data))["meddpicc.economic_buyer"]
    assert any("senior title is not budget authority: Dana Lee (Chief Executive Officer)" in e for e in found.evidence)
    # once someone holds the economic-buyer role, a title alone proves nothing either way
    quiet = healthy()
    quiet["meddpicc"]["economic_buyer"] = {"status": "partial", "evidence": "CFO signs"}
    quiet["stakeholders"][0]["title"] = "CEO"
    flagged = by_code(parse_deal(quiet)).get("meddpicc.economic_buyer")
    assert flagged is None or not any("senior title" in e for e in flagged.evidence)


@pytest.mark.parametrize(
    ("competitors", "competition", "notes"),
    [
        ([], {"status": "partial", "evidence": "Do nothing: they could keep living with the delays"}, None),
        ([], {"status": "unknown"}, "Main risk is the status quo; finance likes their spreadsheets."),
        ([{"name": "Build in-house"}], {"status": "unknown"}, None),
        ([{"name": "Internal data team (in-house build)"}], {"status": "unknown"}, None),
    ],
)
def test_status_quo_do_nothing_and_in_house_count_as_known_competition(competitors, competition, notes) -> None:
    deal = build(
        ("competitors", competitors), ("meddpicc.competition", competition), ("notes", notes), ("stage", "validation")
    )
    found = by_code(deal)
    assert "meddpicc.competition" not in found
    assert "anti.ignoring_competition" not in found
    assert found["competition.positioning"].data["alternatives"]


def test_no_alternative_at_all_is_flagged_twice_late_in_the_deal() -> None:
    deal = build(("competitors", []), ("meddpicc.competition", {"status": "unknown"}), ("notes", None))
    found = by_code(deal)
    assert found["meddpicc.competition"].severity is Severity.CRITICAL
    assert found["anti.ignoring_competition"].severity is Severity.HIGH


def test_confirmed_pain_that_is_a_nice_to_have_is_still_a_red_flag() -> None:
    deal = build(
        ("meddpicc.identified_pain", {"status": "confirmed", "evidence": "Nice to have, no urgency this year"})
    )
    finding = by_code(deal)["meddpicc.identified_pain"]
    assert any("nice-to-have, not need" in e for e in finding.evidence)


def test_confirmed_metrics_without_a_number_are_not_quantified() -> None:
    deal = build(("meddpicc.metrics", {"status": "confirmed", "evidence": "They want faster forecasting"}))
    assert assess(deal).facts.elements["metrics"].grade == 1
    assert by_code(deal)["meddpicc.metrics"].data["grade"] == 1


def test_changing_decision_criteria_fire() -> None:
    deal = build(
        ("meddpicc.decision_criteria", {"status": "confirmed", "evidence": "Criteria changed again after the reorg"})
    )
    assert "meddpicc.decision_criteria" in by_code(deal)


def test_a_coach_is_not_a_champion() -> None:
    deal = build(("stakeholders.0.role", "coach"), ("meddpicc.champion", {"status": "unknown"}))
    evidence = by_code(deal)["meddpicc.champion"].evidence
    assert any("a coach is not a champion" in e for e in evidence)


def test_negative_champion_is_flagged_even_when_confirmed() -> None:
    assert "meddpicc.champion" in by_code(build(("stakeholders.0.sentiment", "negative")))


def test_small_deal_run_by_the_economic_buyer_needs_no_separate_champion() -> None:
    deal = build(("amount", 9000), ("stakeholders.0.role", "user_buyer"), ("meddpicc.champion", {"status": "unknown"}))
    assert "meddpicc.champion" not in by_code(deal)
    big = build(("stakeholders.0.role", "user_buyer"), ("meddpicc.champion", {"status": "unknown"}))
    assert "meddpicc.champion" in by_code(big)


def test_closed_deals_get_no_meddpicc_findings() -> None:
    deal = build(("stage", "closed_lost"), ("meddpicc.economic_buyer", {"status": "unknown"}))
    assert not [c for c in by_code(deal) if c.startswith("meddpicc.")]


def test_assessment_reports_every_grade() -> None:
    grades = assess(build()).meddpicc
    assert set(grades) == set(MEDDPICC_ELEMENTS)
    assert grades["metrics"] == 3 and grades["economic_buyer"] == 2


@pytest.mark.parametrize(
    ("element", "stage", "severity"),
    [
        # at discovery finding the champion is the job, so it is medium, not critical
        ("champion", "discovery", Severity.MEDIUM),
        # one stage overdue before pricing is out: this week's homework, not a deal-breaker
        ("competition", "validation", Severity.HIGH),
        ("decision_process", "validation", Severity.HIGH),
        ("champion", "scoping", Severity.HIGH),
        # one stage overdue once pricing is out, or two stages overdue: critical
        ("competition", "proposal", Severity.CRITICAL),
        ("decision_process", "proposal", Severity.CRITICAL),
        ("champion", "validation", Severity.CRITICAL),
        ("economic_buyer", "proposal", Severity.CRITICAL),
    ],
)
def test_unknown_element_severity_is_calibrated_to_a_deal_review(element, stage, severity) -> None:
    edits = [("stage", stage), (f"meddpicc.{element}", {"status": "unknown"})]
    if element == "competition":
        edits += [("competitors", []), ("notes", None)]
    if element == "champion":
        edits += [("stakeholders.0.role", "user_buyer")]
    edits += without_record(element)
    assert by_code(build(*edits))[f"meddpicc.{element}"].severity is severity


def test_a_chief_who_is_not_an_officer_is_not_a_senior_title() -> None:
    from ae_coach.inspector import text

    assert text.find(text.SENIOR_TITLE, "Chief Financial Officer")
    assert not text.find(text.SENIOR_TITLE, "Copy Chief")


def test_economic_buyer_who_cancels_the_next_meeting_and_goes_quiet_has_parked_the_deal() -> None:
    data = healthy()
    data["as_of"] = "2026-12-04"
    data["activities"].append(
        {
            "date": "2026-11-24",
            "type": "meeting",
            "status": "cancelled",
            "with": ["Priya Shah"],
            "summary": "CFO review",
        }
    )
    found = by_code(parse_deal(data))["meddpicc.economic_buyer"]
    assert found.severity is Severity.CRITICAL and found.data["pulled_back"] == "Priya Shah"
    data["activities"].append({"date": "2026-11-30", "type": "call", "with": ["Priya Shah"], "summary": "CFO rebooked"})
    assert "meddpicc.economic_buyer" not in by_code(parse_deal(data))


def test_a_late_paper_step_in_the_plan_is_a_stuck_paper_process() -> None:
    stuck = build(("mutual_action_plan.1.status", "late"), ("mutual_action_plan.1.date", "2026-11-20"))
    found = by_code(stuck)["meddpicc.paper_process"]
    assert found.title.startswith("Paper process stuck at proposal") and found.severity is Severity.MEDIUM
    assert "meddpicc.paper_process" not in by_code(build(("mutual_action_plan.2.status", "late")))  # not a paper step


def test_no_pain_in_the_buyers_own_words_when_the_pain_is_not_confirmed() -> None:
    data = healthy()
    data["meddpicc"]["identified_pain"] = {"status": "partial", "evidence": "exploring options"}
    data["activities"].append(
        {"date": "2026-11-21", "type": "call", "with": ["Dana Lee"], "summary": "Dana: the current tool works fine"}
    )
    found = by_code(parse_deal(data))["meddpicc.identified_pain"]
    assert found.data["no_pain"] and assess(parse_deal(data)).recommended_forecast == "omitted"
    for other in ("Dana: the current tool does not work fine at quarter end", "Dana: SSO works fine in the sandbox"):
        data["activities"][-1]["summary"] = other  # a negation, or not about what they have today
        pain = by_code(parse_deal(data)).get("meddpicc.identified_pain")
        assert pain is None or "no_pain" not in pain.data


def test_validation_not_complete_is_the_open_decision_criteria_item_at_validation() -> None:
    pending = build(("stage", "validation"), ("activities.2.summary", "POC under way with IT"))
    assert by_code(pending)["meddpicc.decision_criteria"].severity is Severity.MEDIUM
    assert "meddpicc.decision_criteria" not in by_code(build(("stage", "validation")))  # POC signed off


def test_a_message_the_economic_buyer_wrote_corroborates_the_element() -> None:
    data = healthy()
    data["activities"] = [a for a in data["activities"] if "Priya Shah" not in a.get("with", [])]
    data["meddpicc"]["economic_buyer"] = {"status": "partial"}
    assert assess(parse_deal(data)).meddpicc["economic_buyer"] == 1
    data["activities"].append(
        {
            "date": "2026-11-18",
            "type": "email",
            "direction": "inbound",
            "with": ["Priya Shah"],
            "summary": "Priya: renewal approved in next year's budget",
        }
    )
    assert assess(parse_deal(data)).meddpicc["economic_buyer"] >= 2


def test_a_moved_meeting_rebooked_ahead_is_not_parking() -> None:
    data = healthy()
    data["as_of"] = "2026-12-04"
    data["activities"] += [
        {
            "date": "2026-11-24",
            "type": "meeting",
            "status": "rescheduled",
            "with": ["Priya Shah"],
            "summary": "CFO review",
        },
        {
            "date": "2026-12-08",
            "type": "meeting",
            "status": "scheduled",
            "with": ["Priya Shah"],
            "summary": "CFO review",
        },
    ]
    found = by_code(parse_deal(data)).get("meddpicc.economic_buyer")
    assert found is None or "pulled_back" not in found.data


def test_a_good_grade_flagged_by_the_record_is_titled_with_what_the_record_shows_not_the_red_flag() -> None:
    pending = by_code(build(("stage", "validation"), ("activities.2.summary", "POC under way with IT")))
    criteria = pending["meddpicc.decision_criteria"]
    assert "red flag" not in criteria.title  # "unknown or changing" would contradict "buyer-confirmed"
    assert "technical validation not complete" in criteria.title
    unknown = by_code(
        build(("meddpicc.decision_criteria", {"status": "unknown"}), *without_record("decision_criteria"))
    )
    assert "(red flag: unknown or changing)" in unknown["meddpicc.decision_criteria"].title


def _champion_named_only(activities: list[dict]) -> dict:
    data = healthy()
    data["meddpicc"]["champion"] = {"status": "confirmed", "evidence": "Dana Lee, VP Revenue Operations"}
    data["activities"] = activities
    return data


def test_a_champion_who_sat_with_the_signer_is_corroborated() -> None:
    with_signer = {"date": "2026-10-20", "type": "meeting", "with": ["Priya Shah", "Dana Lee"], "summary": "Pricing"}
    assert assess(parse_deal(_champion_named_only([with_signer]))).meddpicc["champion"] >= 2
    alone = {"date": "2026-10-20", "type": "meeting", "with": ["Dana Lee"], "summary": "Pricing"}
    rebuffed = {**with_signer, "summary": "Priya left early, not convinced"}
    assert assess(parse_deal(_champion_named_only([alone]))).meddpicc["champion"] == 1
    assert assess(parse_deal(_champion_named_only([rebuffed]))).meddpicc["champion"] == 1


@pytest.mark.parametrize(
    ("summary", "no_pain"),
    [
        ("Intro: they use Tableau for this, 'it mostly works'", True),
        ("Dana: what we have works well enough", True),
        ("Dana: the new connector mostly works in the sandbox", False),
        ("Dana: they use Tableau and it breaks every month end", False),
    ],
)
def test_a_tool_that_mostly_works_today_is_no_pain(summary, no_pain) -> None:
    data = healthy()
    data["meddpicc"]["identified_pain"] = {"status": "partial", "evidence": "exploring options"}
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Dana Lee"], "summary": summary})
    pain = by_code(parse_deal(data)).get("meddpicc.identified_pain")
    assert (pain is not None and bool(pain.data.get("no_pain"))) is no_pain


@pytest.mark.parametrize(
    ("summary", "prefix"),
    [
        ("Dana told us she is leaving at the end of the month", "the champion is leaving or has left"),
        ("Dana doesn't know who approves software here", "the champion has no access to who decides"),
        ("Dana hasn't told her boss about us yet", "the champion has no access to who decides"),
        ("Dana: leaving the pricing to procurement", None),
        ("Dana knows who approves: the CFO", None),
    ],
)
def test_a_champion_the_record_shows_gone_or_without_access_keeps_the_red_flag(summary, prefix) -> None:
    data = healthy()
    data["meddpicc"]["champion"] = {"status": "confirmed", "evidence": "Dana Lee, VP Revenue Operations"}
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Dana Lee"], "summary": summary})
    found = by_code(parse_deal(data)).get("meddpicc.champion")
    if prefix is None:
        assert found is None or prefix_of(found) is None
        return
    assert found is not None and found.severity is Severity.CRITICAL and prefix in found.title  # not softened
    assert ("left" in found.data) is prefix.startswith("the champion is leaving")
    if "left" in found.data:  # the person selling for us is gone: raised first
        assert ranked(inspect(parse_deal(data)))[0].code == "meddpicc.champion"


@pytest.mark.parametrize(
    ("summary", "still_there"),
    [
        ("Dana has accepted a role at Hiscox and her last day is 12-11", True),
        ("Dana told us she is leaving at the end of December", True),
        ("Dana told us she is leaving at the end of the month", False),  # no day named: the advocate is lost
        ("Dana told us her last day was 11-20", False),
        ("Dana has left the company; her last day was 11-20", False),
    ],
)
def test_a_champion_leaving_after_the_review_is_still_there_to_sell(summary, still_there) -> None:
    """A last day still ahead keeps the champion in the company until then: high (find the successor before it),
    not the critical of an advocate gone; either way it is the deal's story and keeps the deal out of Commit."""
    data = healthy()
    data["meddpicc"]["champion"] = {"status": "confirmed", "evidence": "Dana Lee, VP Revenue Operations"}
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Dana Lee"], "summary": summary})
    found = by_code(parse_deal(data))["meddpicc.champion"]
    assert found.severity is (Severity.HIGH if still_there else Severity.CRITICAL)
    assert ("still in the company until" in found.title) is still_there and found.data["left"]
    assert ranked(inspect(parse_deal(data)))[0].code == "meddpicc.champion"
    result = assess(parse_deal(data))
    assert result.recommended_forecast is (ForecastCategory.BEST_CASE if still_there else ForecastCategory.PIPELINE)
    assert any("Commit needs the person who sells for us" in r for r in result.why_not_commit) is still_there


def prefix_of(found) -> str | None:
    return next((line for line in found.evidence if line.startswith("the champion ")), None)


def test_a_pilot_running_with_no_agreed_criteria_is_the_red_flag_at_validation() -> None:
    data = healthy()
    data["stage"] = "validation"
    data["meddpicc"]["decision_criteria"] = {"status": "partial", "evidence": "'see how it goes' on the pilot"}
    data["activities"][2]["summary"] = "Pilot kickoff with IT"
    found = by_code(parse_deal(data))["meddpicc.decision_criteria"]
    assert found.severity is Severity.HIGH and found.data["unframed_pilot"]  # grade 1, not softened to medium
    data["activities"][2]["summary"] = "Architecture workshop with IT"  # no pilot on record
    quiet = by_code(parse_deal(data))["meddpicc.decision_criteria"]
    assert quiet.severity is Severity.MEDIUM and "unframed_pilot" not in quiet.data


@pytest.mark.parametrize(
    ("summary", "fires"),
    [
        ("Omar: the security assessment takes 4-6 weeks", True),  # from 11-21: to 01-02, after the 12-18 signature
        ("Omar: legal's SLA is 2 weeks", False),  # to 12-05: fits
        ("Omar: the demo took 6 weeks to schedule", False),  # not a paper step
    ],
)
def test_a_paper_timeline_the_buyer_names_that_runs_past_the_signature_is_stuck_paper(summary, fires) -> None:
    data = healthy()
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Omar Haddad"], "summary": summary})
    found = by_code(parse_deal(data)).get("meddpicc.paper_process")
    assert (found is not None and "stuck" in found.data) is fires
    if fires:
        assert "paper process stuck" in " ".join(assess(parse_deal(data)).why_not_commit)


@pytest.mark.parametrize(
    ("said", "started", "fires"),
    [
        ("Omar: security review takes 4-6 weeks once procurement opens the ticket", None, True),  # not opened: today on
        ("Omar: security review takes 4-6 weeks once procurement opens the ticket", "2026-09-01", False),  # to 10-13
        ("Omar: the security assessment takes 4-6 weeks", None, False),  # from 08-01: done by 09-12
    ],
)
def test_a_lead_time_that_starts_with_a_step_nobody_has_taken_runs_from_today(said, started, fires) -> None:
    data = healthy()
    data["activities"].insert(0, {"date": "2026-08-01", "type": "call", "with": ["Omar Haddad"], "summary": said})
    if started:
        opened = {
            "date": started,
            "type": "call",
            "with": ["Omar Haddad"],
            "summary": "Omar opened the security review",
        }
        data["activities"].insert(1, opened)
    found = by_code(parse_deal(data)).get("meddpicc.paper_process")
    assert (found is not None and "not started on record" in found.data.get("stuck", "")) is fires
    if fires:  # our projection from today is no date of the buyer's: the deal is late, not placed after the period
        assert assess(parse_deal(data)).recommended_forecast != "omitted"


@pytest.mark.parametrize(
    ("date", "direction", "stuck"),
    [
        ("2026-11-12", "outbound", True),  # 14 days unanswered at proposal (stale window 10)
        ("2026-11-20", "outbound", False),  # 6 days: still within the window
        ("2026-11-12", "two_way", False),  # their legal answered
        ("2026-11-12", None, False),  # "counsel reviewed; contract with Priya": not said to be ours
    ],
)
def test_our_redlines_unanswered_past_the_stale_window_are_stuck_paper(date, direction, stuck) -> None:
    data = healthy()
    summary = "Sent our MSA redlines" if direction else "Counsel reviewed; contract with Priya for signature"
    email = {"date": date, "type": "email", "with": ["Dana Lee"], "summary": summary}
    data["activities"].append({**email, "direction": direction} if direction else email)
    found = by_code(parse_deal(data)).get("meddpicc.paper_process")
    assert (found is not None and "stuck" in found.data) is stuck
