"""Momentum: staleness, next steps, the seed's danger signals and close-date discipline."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.deal import Activity, Deal, Direction, Stakeholder, load_deal, parse_deal
from ae_coach.findings import Severity
from ae_coach.i18n import use
from ae_coach.inspector.facts import direction_of
from ae_coach.inspector.settings import Settings
from analysis_builders import activity, assess, build, by_code, healthy, with_activities

CALIBRATION = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals"


def _pending(follow_up: bool) -> dict:
    data = with_activities(activity("2026-11-22", "call", "Priya will run this by the board"))
    if follow_up:
        data["activities"].append(activity("2026-11-28", "call", "Board approved the spend"))
    data["as_of"] = "2026-12-01"
    return data


def _dark(last_contact: str) -> dict:
    data = healthy()
    data["stakeholders"][0].update(name="Dee Winters", last_contact=last_contact)
    return data


def _chased(replied: bool) -> dict:
    data = healthy()
    data["activities"] += [
        {"date": "2026-11-23", "type": "email", "with": ["Dana Lee"], "summary": "Sent follow-up on the signing plan"},
        {"date": "2026-11-25", "type": "email", "with": ["Dana Lee"], "summary": "Chased again, no reply"},
    ]
    if replied:
        data["activities"].append(
            {"date": "2026-11-25", "type": "email", "with": ["Dana Lee"], "summary": "Dana replied: signing on track"}
        )
    return data


CASES = [
    ("momentum.stale", lambda: build(("as_of", "2026-12-08")), build),
    ("momentum.unanswered_outreach", lambda: parse_deal(_chased(False)), lambda: parse_deal(_chased(True))),
    ("momentum.no_dated_next_step", lambda: build(("next_step.date", ...)), build),
    (
        "momentum.meetings_rescheduled",
        lambda: parse_deal(with_activities(activity("2026-11-18", "meeting", "IT review", status="rescheduled"))),
        lambda: parse_deal(with_activities(activity("2026-09-18", "meeting", "IT review", status="rescheduled"))),
    ),
    ("momentum.champion_dark", lambda: parse_deal(_dark("2026-10-20")), lambda: parse_deal(_dark("2026-11-20"))),
    (
        "momentum.late_stakeholder",
        lambda: build(("stakeholders.3.added", "2026-11-15")),
        lambda: build(("stakeholders.3.added", "2026-10-15")),
    ),
    ("momentum.pending_internal_review", lambda: parse_deal(_pending(False)), lambda: parse_deal(_pending(True))),
    (
        "momentum.competitor_late",
        lambda: build(("competitors", [{"name": "Gong", "status": "active", "added": "2026-11-15"}])),
        lambda: build(("competitors", [{"name": "Gong", "status": "active", "added": "2026-09-01"}])),
    ),
    (
        "momentum.competitor_counter",
        lambda: build(
            ("competitors", [{"name": "Gong", "status": "incumbent"}]),
            ("activities.6.summary", "Gong offered 3 free months to keep the renewal"),
        ),
        lambda: build(
            ("competitors", [{"name": "Gong", "status": "incumbent"}]),
            ("activities.6.summary", "Gong renewal notice period confirmed"),
        ),
    ),
    (
        "momentum.concession_floated",
        lambda: parse_deal(
            with_activities(
                activity("2026-11-22", "call", "Dana: if we throw in the analytics module she can get it signed")
            )
        ),
        lambda: parse_deal(
            with_activities(
                activity(
                    "2026-11-22",
                    "call",
                    "Dana: if we throw in the analytics module in exchange for a 3-year term, she signs",
                )
            )
        ),
    ),
    (
        "momentum.company_event",
        lambda: parse_deal(
            with_activities(activity("2026-11-22", "call", "Priya: finance froze all new software spend for Q4"))
        ),
        lambda: parse_deal(
            with_activities(activity("2026-11-22", "call", "Priya: the spend freeze was lifted, we're back on"))
        ),
    ),
    (
        "momentum.budget_concern_late",
        lambda: parse_deal(
            with_activities(activity("2026-11-22", "call", "Priya raised budget concerns about year two"))
        ),
        lambda: parse_deal(
            with_activities(activity("2026-11-22", "call", "Priya has no budget concerns; asked about year two"))
        ),
    ),
    (
        "momentum.close_date_slipped",
        lambda: build(
            (
                "history",
                [
                    {"date": "2026-09-01", "field": "close_date", "from": "2026-09-30", "to": "2026-10-31"},
                    {"date": "2026-10-20", "field": "close_date", "from": "2026-10-31", "to": "2026-12-18"},
                ],
            )
        ),
        lambda: build(
            ("history", [{"date": "2026-09-01", "field": "close_date", "from": "2027-01-31", "to": "2026-12-18"}])
        ),
    ),
    ("momentum.close_date_passed", lambda: build(("close_date", "2026-11-20")), build),
    ("hygiene.close_date_day_off", lambda: build(("close_date", "2026-12-20")), build),  # a Sunday; the 18th a Friday
]


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_momentum_fires_and_stays_quiet(code, fire, quiet) -> None:
    assert code in by_code(fire())
    assert code not in by_code(quiet())


def test_stale_threshold_depends_on_stage_and_settings() -> None:
    deal = build(("as_of", "2026-12-08"))  # 18 days after the last touch
    assert by_code(deal)["momentum.stale"].data == {"days": 18, "limit": 10, "omit": False}
    assert "momentum.stale" not in by_code(build(("as_of", "2026-12-08"), ("stage", "discovery")))
    relaxed = Settings(stale_days={"proposal": 30})
    assert "momentum.stale" not in by_code(deal, settings=relaxed)
    assert by_code(build(("as_of", "2026-12-15")))["momentum.stale"].severity is Severity.HIGH


def test_no_dated_next_step_variants() -> None:
    assert "momentum.no_dated_next_step" in by_code(build(("next_step", None)))
    past = by_code(build(("next_step.date", "2026-11-21")))["momentum.no_dated_next_step"]
    assert "was due 2026-11-21" in past.evidence[0]
    # a scheduled meeting ahead is a dated next step too
    data = with_activities(activity("2026-12-03", "meeting", "Legal sync", status="scheduled"))
    data["next_step"] = None
    assert "momentum.no_dated_next_step" not in by_code(parse_deal(data))


def test_we_will_get_back_to_you_is_quoted() -> None:
    data = with_activities(activity("2026-11-24", "call", "Priya: we'll get back to you"))
    data["next_step"]["date"] = None
    finding = by_code(parse_deal(data))["momentum.no_dated_next_step"]
    assert any("get back to you" in e for e in finding.evidence)


def test_reschedule_severity_counts() -> None:
    one = activity("2026-11-18", "meeting", "IT review", status="rescheduled")
    cancel = activity("2026-11-19", "meeting", "IT review", status="cancelled")
    noshow = activity("2026-11-21", "call", "check-in", status="no_show")
    assert by_code(parse_deal(with_activities(one)))["momentum.meetings_rescheduled"].severity is Severity.LOW
    assert by_code(parse_deal(with_activities(cancel)))["momentum.meetings_rescheduled"].severity is Severity.MEDIUM
    assert (
        by_code(parse_deal(with_activities(one, cancel, noshow)))["momentum.meetings_rescheduled"].severity
        is Severity.HIGH
    )


def test_champion_contact_comes_from_activities_too() -> None:
    data = _dark("2026-09-01")
    data["activities"].append(activity("2026-11-24", "call", "sync", **{"with": ["Dee Winters"]}))
    assert "momentum.champion_dark" not in by_code(parse_deal(data))


def test_late_stakeholder_needs_a_late_stage() -> None:
    assert "momentum.late_stakeholder" not in by_code(
        build(("stage", "validation"), ("stakeholders.3.added", "2026-11-15"))
    )
    grave = by_code(build(("stakeholders.3.added", "2026-11-15"), ("stakeholders.3.role", "blocker")))
    assert grave["momentum.late_stakeholder"].severity is Severity.HIGH


def test_late_window_without_stage_history() -> None:
    deal = build(("history", []), ("stakeholders.3.added", "2026-11-15"))
    assert "momentum.late_stakeholder" in by_code(deal)
    assert "momentum.late_stakeholder" not in by_code(build(("history", []), ("stakeholders.3.added", "2026-09-15")))


def test_pending_review_within_follow_up_window_is_quiet() -> None:
    data = _pending(False)
    data["as_of"] = "2026-11-25"
    assert "momentum.pending_internal_review" not in by_code(parse_deal(data))


def test_competitor_mentioned_in_text_after_validation() -> None:
    data = with_activities(activity("2026-11-24", "call", "Priya says they are also evaluating Clari again"))
    assert "momentum.competitor_late" in by_code(parse_deal(data))
    before = with_activities(activity("2026-10-05", "call", "Priya says they are also evaluating Clari"))
    assert "momentum.competitor_late" not in by_code(parse_deal(before))


def test_one_slip_late_in_the_deal_fires_but_not_early() -> None:
    push = [{"date": "2026-10-20", "field": "close_date", "from": "2026-11-30", "to": "2026-12-18"}]
    assert by_code(build(("history", push)))["momentum.close_date_slipped"].severity is Severity.MEDIUM
    assert "momentum.close_date_slipped" not in by_code(build(("history", push), ("stage", "validation")))


def test_close_date_passed_only_for_open_deals() -> None:
    assert "momentum.close_date_passed" not in by_code(build(("close_date", "2026-11-20"), ("stage", "closed_won")))


@pytest.mark.parametrize(("pushes", "words"), [(2, "Close date pushed twice"), (3, "Close date pushed 3 times")])
def test_slip_titles_read_as_english(pushes, words) -> None:
    history = [
        {"date": f"2026-0{month}-01", "field": "close_date", "from": f"2026-0{month}-15", "to": f"2026-0{month + 1}-15"}
        for month in range(5, 5 + pushes)
    ]
    title = by_code(build(("history", history)))["momentum.close_date_slipped"].title
    assert title == words and "(s)" not in title


def test_dark_champion_title_names_the_champion_and_the_days() -> None:
    deal = build(("stakeholders.0.last_contact", "2026-10-01"), ("activities", []))
    title = by_code(deal)["momentum.champion_dark"].title
    assert title.startswith("Champion Dana Lee: no two-way contact for 56 days")


def test_paper_process_people_joining_late_are_low_however_senior() -> None:
    """A Head of Procurement or a vendor-risk manager at proposal is the paper process arriving."""
    for title in ("Head of Procurement", "Vendor Risk Manager"):
        deal = build(("stakeholders.3.added", "2026-11-15"), ("stakeholders.3.title", title))
        assert by_code(deal)["momentum.late_stakeholder"].severity is Severity.LOW
    executive = build(("stakeholders.3.added", "2026-11-15"), ("stakeholders.3.title", "Chief Information Officer"))
    assert by_code(executive)["momentum.late_stakeholder"].severity is Severity.HIGH


@pytest.mark.parametrize(
    ("title", "severity"),
    [
        ("Supplier Onboarding Lead", Severity.LOW),
        ("Executive Assistant to the CEO", None),  # keeps the CEO's diary: nobody joined the deal
        ("Chief Executive Officer", Severity.HIGH),
    ],
)
def test_a_late_entrant_is_graded_by_the_title_they_hold_not_the_one_they_serve(title, severity) -> None:
    deal = build(("stakeholders.3.added", "2026-11-15"), ("stakeholders.3.title", title))
    found = by_code(deal).get("momentum.late_stakeholder")
    assert (found.severity if found else None) is severity


def test_history_that_starts_past_proposal_does_not_date_the_entry() -> None:
    """Moved proposal -> closing on 11-20: the deal was in proposal before, so a CIO added 11-19 is late."""
    moved = [{"date": "2026-11-20", "field": "stage", "from": "proposal", "to": "closing"}]
    deal = build(("stage", "closing"), ("history", moved), ("stakeholders.3.added", "2026-11-19"))
    assert "momentum.late_stakeholder" in by_code(deal)
    entered = [{"date": "2026-11-20", "field": "stage", "from": "validation", "to": "proposal"}]
    assert "momentum.late_stakeholder" not in by_code(
        build(("history", entered), ("stakeholders.3.added", "2026-11-19"))
    )


@pytest.mark.parametrize(
    ("reply", "followed"),
    [
        (
            activity(
                "2026-11-28", "call", "Priya: still with the board, will let you know", **{"with": ["Priya Shah"]}
            ),
            False,
        ),
        (activity("2026-11-28", "email", "Asked Priya how the board went", direction="outbound"), False),
        (activity("2026-11-28", "call", "Priya: the board wants a phased rollout", **{"with": ["Priya Shah"]}), True),
    ],
)
def test_pending_review_needs_the_buyer_to_report_back(reply: dict, followed: bool) -> None:
    data = with_activities(
        activity("2026-11-22", "call", "Priya will run this by the board", **{"with": ["Priya Shah"]}), reply
    )
    data["as_of"] = "2026-12-01"
    assert ("momentum.pending_internal_review" in by_code(parse_deal(data))) is not followed


def test_pending_review_reply_by_first_name_counts() -> None:
    data = with_activities(
        activity("2026-11-22", "call", "Priya will run this by the board", **{"with": ["Priya"]}),
        activity("2026-11-28", "call", "Priya: the board wants a phased rollout", **{"with": ["Priya Shah"]}),
    )
    data["as_of"] = "2026-12-01"
    assert "momentum.pending_internal_review" not in by_code(parse_deal(data))


def test_a_rivals_recent_price_move_is_a_danger_signal() -> None:
    data = with_activities(
        activity(
            "2026-11-24", "call", "Priya: Gong offered a 20% discount to stay, 15% off a 3-yr renewal; decision in Jan"
        )
    )
    data["competitors"] = [{"name": "Gong", "status": "incumbent"}]
    counter = by_code(parse_deal(data))["momentum.competitor_counter"]
    assert counter.severity is Severity.HIGH and counter.data["name"] == "Gong"
    assert "20% discount to stay" in counter.title
    assert "momentum.budget_concern_late" not in by_code(parse_deal(data))  # the rival's price, not their budget


@pytest.mark.parametrize(
    ("status", "en", "zh"),
    [
        (
            "incumbent",
            "Gong, the incumbent, made a price move to keep the deal",
            "在位竞品 Gong 打出价格牌，想保住这笔交易",
        ),
        ("active", "Gong made a price move to win the deal", "竞品 Gong 打出价格牌，想抢下这笔交易"),
    ],
)
def test_a_price_move_says_whether_the_rival_keeps_or_wins_the_deal(status, en, zh) -> None:
    data = with_activities(activity("2026-11-24", "call", "Priya: Gong offered a 20% discount; decision in Jan"))
    data["competitors"] = [{"name": "Gong", "status": status}]
    assert by_code(parse_deal(data))["momentum.competitor_counter"].title.startswith(en)
    with use("zh"):
        assert by_code(parse_deal(data))["momentum.competitor_counter"].title.startswith(zh)


@pytest.mark.parametrize(
    ("date", "summary", "status"),
    [
        ("2026-11-24", "Priya: Gong did not offer any discount", "incumbent"),  # negated
        ("2026-11-24", "Priya: Gong renewal is up in March; we asked for a discount on services", "eliminated"),
        ("2026-08-01", "Priya: Gong offered a 20% discount to stay", "incumbent"),  # long ago
        ("2026-11-24", "Priya asked about our discount for a 3-year term", "incumbent"),  # no rival in the sentence
    ],
)
def test_no_price_move_by_a_rival_stays_quiet(date, summary, status) -> None:
    data = with_activities(activity(date, "call", summary))
    data["competitors"] = [{"name": "Gong", "status": status}]
    assert "momentum.competitor_counter" not in by_code(parse_deal(data))


@pytest.mark.parametrize(
    ("summary", "direction"),
    [
        ("Rob: MSA is with legal, should be quick", Direction.INBOUND),  # the buyer's name, then what they said
        ("Asked for legal's redline ETA", Direction.OUTBOUND),  # the rep's own verb, no subject
        ("Shared a case study", Direction.OUTBOUND),
        ("Awaiting reply from Dana", Direction.OUTBOUND),
        ("Asked for the redline ETA; Rob replied it is Friday", Direction.TWO_WAY),
        ("Dana replied: signing on track", Direction.INBOUND),
    ],
)
def test_who_wrote_an_email_is_read_from_its_summary(summary, direction) -> None:
    people = [Stakeholder(name="Rob Vance", role="champion"), Stakeholder(name="Dana Lee", role="economic_buyer")]
    email = Activity(date="2026-11-20", type="email", summary=summary)
    assert direction_of(email, people) is direction


@pytest.mark.parametrize(
    ("summary", "late"),
    [
        ("Dana: new CFO Rhea Moss started Monday and wants to see every contract", True),
        ("Rhea Moss (CFO) reviewed the pricing with Dana", False),  # first met at proposal, not new
    ],
)
def test_without_an_added_date_a_stakeholder_is_late_when_the_record_introduces_them_as_new(summary, late) -> None:
    data = healthy()
    data["stakeholders"].append({"name": "Rhea Moss", "title": "CFO", "role": "unknown", "engaged": False})
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Dana Lee"], "summary": summary})
    found = by_code(parse_deal(data)).get("momentum.late_stakeholder")
    assert (found is not None and "Rhea Moss" in found.data["names"]) is late


@pytest.mark.parametrize(
    ("summary", "direction"),
    [
        ("Nothing back; his out-of-office says changes in role", Direction.OUTBOUND),
        ("Called, got nothing back", Direction.OUTBOUND),
        ("Rob: nothing back from legal yet, chasing them", Direction.TWO_WAY),  # the buyer speaking
    ],
)
def test_a_call_nobody_answered_is_read_from_its_summary(summary, direction) -> None:
    assert direction_of(Activity(date="2026-11-20", type="call", summary=summary)) is direction


def test_a_late_stakeholder_entered_at_the_stage_the_deal_was_in_when_they_arrived() -> None:
    """Halden: Silje joined on 11-20 while the deal was at proposal; it reached closing on 11-24. She "entered at
    proposal", not at closing (tenth blind VP grade)."""
    from pathlib import Path

    from ae_coach.deal import load_deal
    from ae_coach.inspector import assess

    path = Path(__file__).resolve().parent.parent / "evals/calibration/deals/halden-seafarms-transfer-annex.yaml"
    late = next(f for f in assess(load_deal(path)).findings if f.code == "momentum.late_stakeholder")
    assert "entered at proposal" in late.title


def _newcomer(*said: str, sentiment: str = "neutral") -> Deal:
    """The healthy deal with a COO who came in at proposal (11-15): unmet, or met on 11-18 and saying ``said``."""
    data = healthy()
    met = bool(said)
    data["stakeholders"].append(
        {"name": "Marco Ruiz", "title": "Chief Operating Officer", "role": "influencer", "engaged": met,
         "sentiment": sentiment, "added": "2026-11-15", **({"last_contact": "2026-11-18"} if met else {})}
    )  # fmt: skip
    if met:
        summary = "Dana brought Marco Ruiz in. " + " ".join(said)
        data = with_activities(
            activity("2026-11-18", "meeting", summary, **{"with": ["Marco Ruiz", "Dana Lee"]}), base=data
        )
    return parse_deal(data)


@pytest.mark.parametrize(
    ("said", "sentiment", "severity"),
    [
        ((), "neutral", Severity.HIGH),  # an approver nobody has met: the rule's danger
        (("He liked the ROI model.",), "neutral", None),  # met, engaged, nothing new: the deal reached him
        (("Marco wants a reference from a logistics customer before he signs.",), "neutral", Severity.MEDIUM),
        (("He said he is reviewing all vendor projects this quarter.",), "neutral", Severity.HIGH),  # reopens it
        (("He liked the ROI model.",), "negative", Severity.HIGH),  # met, and against it
    ],
    ids=["unmet", "met-engaged", "met-condition", "met-reopens", "met-negative"],
)
def test_a_late_approver_is_graded_by_whether_we_have_sold_to_them(said, sentiment, severity) -> None:
    assessment = assess(_newcomer(*said, sentiment=sentiment))
    found = next((f for f in assessment.findings if f.code == "momentum.late_stakeholder"), None)
    assert (found.severity if found else None) is severity
    blocks = any("momentum.late_stakeholder" in reason for reason in assessment.why_not_commit)
    assert blocks is (severity is Severity.HIGH)  # the Commit gate agrees with the grade


def test_a_signer_met_at_the_review_the_buyer_held_is_no_late_stakeholder() -> None:
    """Tinsley's CFO arrived at the CFO review the champion set up; what he said (January) is the close-date
    finding's, so neither the risk list nor the Commit gate calls reaching him a danger signal."""
    assessment = assess(load_deal(CALIBRATION / "tinsley-foods-cfo-says-january.yaml"))
    late = [f for f in assessment.findings if f.code == "momentum.late_stakeholder"]
    assert all("Greg Whitlock" not in f.data["names"] for f in late)
    assert not any("Greg Whitlock" in reason for reason in assessment.why_not_commit)
    assert not any("Greg Whitlock" in reason and "new stakeholder" in reason for reason in assessment.health_reasons)
    assert any("after the close date" in reason for reason in assessment.why_not_commit)


@pytest.mark.parametrize(("said", "raised"), [("2026-10-19", True), ("2026-09-02", False)])
def test_a_budget_concern_the_stage_history_shows_at_proposal_is_late(said: str, raised: bool) -> None:
    """No proposal on record and a history that starts with the deal moving on from proposal: it was at proposal
    the days before that move, so a concern raised then is late, not outside a window counted back from today."""
    data = healthy()
    data["stage"] = "closing"
    data["history"] = [{"date": "2026-10-20", "field": "stage", "from": "proposal", "to": "closing"}]
    data["activities"] = [
        a for a in data["activities"] if a["type"] != "proposal" and "agreed" not in (a["summary"] or "")
    ]
    concern = "Marta Ruiz agreed the scope, then said their capex budget is used up and they need to re-justify it"
    data["activities"].append(activity(said, "call", concern, direction="two_way", **{"with": ["Priya Shah"]}))
    found = by_code(parse_deal(data)).get("momentum.budget_concern_late")
    assert (found is not None) is raised
    if found is not None:
        assert found.severity is Severity.HIGH and "at proposal before 2026-10-20" in found.evidence[-1]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "at closing before 2026-10-20 (stage history)"), ("zh", "阶段历史")]
)
def test_a_budget_concern_window_names_the_stage_the_history_moved_the_deal_on_from(lang: str, words: str) -> None:
    """A history whose first stage change moves the deal out of closing says it was at closing before it, not
    at proposal; the evidence line is written in the review's language."""
    data = healthy()
    data["stage"] = "closing"
    data["history"] = [
        {"date": "2026-10-20", "field": "stage", "from": "closing", "to": "proposal"},
        {"date": "2026-11-02", "field": "stage", "from": "proposal", "to": "closing"},
    ]
    data["activities"] = [
        a for a in data["activities"] if a["type"] != "proposal" and "agreed" not in (a["summary"] or "")
    ]
    concern = "Marta Ruiz agreed the scope, then said their capex budget is used up and they need to re-justify it"
    data["activities"].append(activity("2026-10-19", "call", concern, direction="two_way", **{"with": ["Priya Shah"]}))
    with use(lang):
        found = by_code(parse_deal(data))["momentum.budget_concern_late"]
    assert words in found.evidence[-1]


@pytest.mark.parametrize(
    ("said", "concern"),
    [
        # the rep tagged the budget confirmed; the buyer's own words in the same email say it is not funded
        (
            "Dana: 'The board approved the project, but only the top two priorities got funding; we are on the "
            "reserve list.'",
            True,
        ),
        ("Dana: 'The board approved the project and the budget of 150k is in place.'", False),
    ],
)
def test_a_budget_tag_the_buyers_own_words_contradict_is_a_budget_concern(said: str, concern: bool) -> None:
    data = with_activities(
        activity(
            "2026-11-24", "email", said, direction="inbound", signals=["budget_confirmed"], **{"with": ["Dana Lee"]}
        )
    )
    assert ("momentum.budget_concern_late" in by_code(parse_deal(data))) is concern
