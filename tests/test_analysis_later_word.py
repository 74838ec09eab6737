"""The general readings of the record's word on timing (``inspector.facts._later``): a floor or a block that places
the purchase after the close date omits the deal, a buyer's hard condition still open keeps it out of Commit; each
quiet for a supposition, a go-live, a person away, a lift or a clearing the record holds later."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from ae_coach.inspector.facts._later import later_floor
from analysis_builders import activity, with_activities

# the healthy deal closes on 2026-12-18, as of 2026-11-26: it is Commit as built


def _deal(*summaries: str, kind: str = "email", direction: str = "inbound", notes: str | None = None):
    items = [
        activity(f"2026-11-{20 + i}", kind, summary, direction=direction, **{"with": ["Dana Lee"]})
        for i, summary in enumerate(summaries)
    ]
    data = with_activities(*items)
    if notes is not None:
        data["notes"] = notes
    return parse_deal(data)


def _floor(deal):
    """The general floor reading alone (the shape-specific readers of ``_timing`` may read some of these too)."""
    return later_floor(derive(deal, deal.as_of).activities, deal.notes, deal.as_of, deal.close_date)


def _call(deal) -> str:
    return str(assess(deal).recommended_forecast)


def test_the_healthy_deal_is_commit() -> None:
    assert _call(_deal()) == "commit"


@pytest.mark.parametrize(
    "said",
    [
        "Our scorecard is published 8 to 10 weeks after submission, so mid-February at the earliest.",
        "The grants committee reviews requests at its quarterly meeting; the next one is on 3 February 2027.",
        "The integration committee will only be formed after legal completion, currently expected in Q2 2027.",
        "All new supplier commitments are held until the steering committee meets in March.",
        "They have told us they will not look at vendor requests before the first week of February.",
        # a hard block in one sentence, the later month in the next (a German works council)
        "Vor Abschluss der Betriebsvereinbarung können wir den Vertrag nicht unterzeichnen. "
        "Der Betriebsrat tagt am 21. Jänner 2027.",
        "Sin la no objeción no podemos firmar. El comité se reúne en febrero.",
    ],
)
def test_a_floor_after_the_close_date_omits_the_deal(said: str) -> None:
    deal = _deal(said)
    floor = _floor(deal)
    assert floor is not None and floor[0].year == 2027
    assert derive(deal, deal.as_of).timing.doubt
    assert _call(deal) == "omitted"


@pytest.mark.parametrize(
    "said",
    [
        "If the committee defers, it goes to the February sitting.",  # a supposition
        "Board date maybe before Christmas, maybe January at the earliest.",  # a guess, not a floor
        "Signature on the 18th; go-live not before March.",  # the go-live's date, not the purchase's
        "Nothing gets signed until Dana is back from holiday on 4 January.",  # a person away
        "The price is valid until February; nobody signs before the 18th.",  # an offer's own end date
        "We cannot sign before the board on 16 December.",  # a block whose time is before the close date
        "Do you think we can sign before February?",  # a question
        # a month told in passing, away from the floor's words, or a past month with no year
        "Got burned by the audit in October and called it too early once, not doing that again until it's signed.",
        "We will not sign until the issues from the October outage are closed.",
        "Support can't reproduce the issue from the pilot. The steering committee meets in January.",
    ],
)
def test_what_is_not_a_floor_after_the_close_date(said: str) -> None:
    assert _floor(_deal(said)) is None


@pytest.mark.parametrize(("date", "read"), [("2026-09-01", False), ("2026-11-01", True)])
def test_a_floor_is_read_only_from_the_recent_record(date: str, read: bool) -> None:
    data = with_activities(
        activity(date, "email", "Budget frozen until January.", direction="inbound", **{"with": ["Dana Lee"]})
    )
    assert (_floor(parse_deal(data)) is not None) is read


def test_a_floor_of_our_own_team_in_a_note_counts() -> None:
    deal = _deal(
        notes="Alliances: we cannot issue a private offer before then; ETA mid-to-late January at the earliest."
    )
    assert _floor(deal) is not None


def test_an_unanswered_email_of_ours_sets_no_floor() -> None:
    deal = _deal("Told Dana we can wait until February at the earliest if needed.", direction="outbound")
    assert _floor(deal) is None


def test_a_later_word_that_clears_something_else_does_not_lift_the_floor() -> None:
    deal = _deal(
        "The grants committee reviews requests at its quarterly meeting; the next one is on 3 February 2027.",
        "Received the slides, thanks.",
    )
    assert _floor(deal) is not None


def test_a_later_clearing_lifts_the_block() -> None:
    deal = _deal(
        "All supplier commitments are held until the new CFO reviews them in February.",
        "Good news: the CFO cleared our contract yesterday, no longer held.",
    )
    assert _floor(deal) is None


# ------------------------------------------------------------------------------- a buyer's hard condition, open


# the general readings set the call: what the buyer said, the fact it sets, the call
READINGS = {
    "Nothing gets signed with an open High from our pen test.": ("condition_open", "best_case"),
    "Any new sub-processor outside the EEA needs a DPIA addendum approved by the DPO before signature.": (
        "condition_open",
        "best_case",
    ),
    "There is no exception, not even for the CFO.": ("condition_open", "best_case"),
    "Zonder scorecard kan ik het contract niet vrijgeven, we mogen niet ondertekenen.": ("condition_open", "best_case"),
    "BOD date not set yet - 'maybe before Christmas, maybe January'.": ("decision_undated", "pipeline"),
    "Linda decides after the readout, no date for that yet.": ("decision_undated", "pipeline"),
    "Steering committee not yet scheduled.": ("decision_undated", "pipeline"),
    "She will compare us and Forecastly once the peak data is in; no readout date set.": (
        "decision_undated",
        "pipeline",
    ),
    "ER will advise whether a consultation is needed and how long; she could not say, 'it depends on the union'.": (
        "decision_undated",
        "pipeline",
    ),
    "Their regional CIO wants a Veritrack quote before the GM signs.": ("rival_in_play", "best_case"),
    "Lumina came back within three days with a 12-month extension at 30% below their current price.": (
        "rival_in_play",
        "best_case",
    ),
    "Purchasing asked for a comparison quote from Babtec, due 11 December.": ("rival_in_play", "best_case"),
}
REASON = {"condition_open": "still open", "decision_undated": "no date yet", "rival_in_play": "competition not settled"}
"""What the call's reasons say for each fact (the competitor facts may read a rival first, in their own words)."""


@pytest.mark.parametrize("said", READINGS)
def test_a_reading_of_the_recent_record_sets_the_call(said: str) -> None:
    fact, call = READINGS[said]
    reason = REASON[fact]
    deal = _deal(said, kind="call", direction="two_way")
    facts = derive(deal, deal.as_of)
    assert getattr(facts.timing, fact, None) or getattr(facts, fact, None)
    assessment = assess(deal)
    assert str(assessment.recommended_forecast) == call
    assert any(reason in line for line in [*assessment.forecast_reasons, *assessment.why_not_commit])


@pytest.mark.parametrize(
    "summaries",
    [
        ("Nothing gets signed with an open High from our pen test.", "Retest passed, the High is resolved."),
        ("If the DPO objects, he could ask for an addendum before signature?",),  # a supposition and a question
        ("Security questionnaire approved, no open findings.",),
        ("We cannot sign a multi-year term; we would rather renegotiate next year.",),  # a term, not a condition
    ],
)
def test_no_open_condition(summaries: tuple[str, ...]) -> None:
    deal = _deal(*summaries)
    assert derive(deal, deal.as_of).timing.condition_open is None
    assert _call(deal) == "commit"


@pytest.mark.parametrize(("date", "read"), [("2026-09-20", False), ("2026-11-10", True)])
def test_a_condition_is_read_only_from_the_recent_record(date: str, read: bool) -> None:
    data = with_activities(
        activity(date, "call", "Nothing gets signed before security signs off.", direction="two_way")
    )
    deal = parse_deal(data)
    assert (derive(deal, deal.as_of).timing.condition_open is not None) is read


# ------------------------------------------------------------------------------- a decision with no date


@pytest.mark.parametrize(
    "summaries",
    [
        ("Asked who signs (COO or Group CFO?) - TBC.",),  # who signs, not when
        ("If the board is not scheduled in time we lose a week.",),  # a supposition
        ("Steering committee not yet scheduled.", "Good news: steering committee on 12/14, Dana presents."),
        ("Kick-off workshop not yet scheduled.",),  # no decision
        ("Order form signed, kick-off call not scheduled yet.",),  # the decision is taken
        ("Board approved the budget, go-live date TBD.",),
    ],
)
def test_no_undated_decision(summaries: tuple[str, ...]) -> None:
    deal = _deal(*summaries, kind="call", direction="two_way")
    assert derive(deal, deal.as_of).timing.decision_undated is None


# ------------------------------------------------------------------------------- a named rival's quote in play


@pytest.mark.parametrize(
    "summaries",
    [
        ("Dana wants a revised quote with the 3-year price.",),  # our own quote, not a rival's
        ("Their CFO asked for a USD quote.",),
        ("Purchasing asked for a quote from Babtec.", "Babtec dropped out: they declined to bid."),
        ("Legal came back with two redlines.",),  # a team of theirs, not a rival
        ("Their CFO came back with questions on the year-2 uplift.",),
    ],
)
def test_no_rival_in_play(summaries: tuple[str, ...]) -> None:
    deal = _deal(*summaries, kind="call", direction="two_way")
    assert derive(deal, deal.as_of).rival_in_play is None


def test_a_paper_condition_is_the_paper_finding_and_the_plan_asks_whoever_set_it() -> None:
    deal = _deal("Any new sub-processor outside the EEA needs a DPIA addendum approved by the DPO before signature.")
    paper = next(f for f in assess(deal).findings if f.code == "meddpicc.paper_process")
    assert paper.data["blocked"] == "condition" and "DPIA addendum" in str(paper.data["blocked_source"])
    assert "the buyer's own condition before signature is still open" in paper.title
    report = Coach(backend="offline", lang="en").review(deal, deal.as_of)
    assert report.decides and "the buyer's own condition before signature is met in time" in report.decides
    texts = [p for a in report.next_actions for p in [a.action, *a.points]]
    assert any(text.startswith("Ask whoever set the buyer's condition before signature") for text in texts)


@pytest.mark.parametrize(
    "said", ["There is no exception, not even for the CFO.", "We cannot sign until the CFO has approved the ROI case."]
)
def test_a_condition_that_is_not_paper_leaves_the_paper_finding_alone(said: str) -> None:
    deal = _deal(said)
    assert derive(deal, deal.as_of).timing.condition_open
    assert not any(f.data.get("blocked") == "condition" for f in assess(deal).findings)


@pytest.mark.parametrize(
    ("said", "month"),
    [
        ("董事会明年2月才开会，之前不能签合同。", 2),
        ("采购说不能下单，要等到明年1月预算批下来。", 1),
        ("Fino a febbraio non possiamo firmare il contratto.", 2),
    ],
)
def test_a_floor_in_chinese_or_italian(said: str, month: int) -> None:
    floor = _floor(_deal(said))
    assert floor is not None and floor[0] == dt.date(2027, month, 1)


@pytest.mark.parametrize(
    "said", ["最早3月上线。", "如果董事会推迟，就要等到明年2月。", "明年2月之前能签吗？", "我们12月14日签约。"]
)
def test_no_floor_in_chinese(said: str) -> None:
    assert _floor(_deal(said)) is None


# ------------------------------------------------------------------------------- readings the twenty-third batch showed


def test_experience_at_other_vendors_is_no_competitor() -> None:
    deal = _deal("Legal: translations at other vendors took months; we need a French version.", kind="call")
    assert not any(c.name == "an unnamed alternative vendor" for c in derive(deal, deal.as_of).competitors)
    looking = _deal("Procurement is also looking at other vendors.", kind="call", direction="two_way")
    assert any(c.name == "an unnamed alternative vendor" for c in derive(looking, looking.as_of).competitors)


def test_a_price_ask_settled_in_the_note_that_raises_it_is_no_open_concern() -> None:
    data = with_activities(
        activity(
            "2026-11-20",
            "call",
            "Priya asked for 3% off for 3 yr -> gave it in exchange for a case study.",
            direction="two_way",
            **{"with": ["Priya Shah"]},
        )
    )
    deal = parse_deal(data)
    assert not any("a budget concern is open" in reason for reason in assess(deal).why_not_commit)
    data["activities"][-1]["summary"] = "Priya asked for 3% off for 3 yr; we will come back to her."
    assert any("a budget concern is open" in reason for reason in assess(parse_deal(data)).why_not_commit)


# ------------------------------------------------------------------------------- readings the 24th and 25th showed


def test_a_pause_pending_a_review_that_concludes_after_the_close_date_omits_the_deal() -> None:
    memo = (
        "CIO memo: 'All new SaaS commitments and renewals above EUR 25k are paused pending a 90-day review. "
        "The review concludes on 13 February.'"
    )
    assert _floor(_deal(memo)) is not None
    fiscal = "Alan cannot sign anything while the finding is open. Lena has budget left this fiscal (our year ends March 31)."
    assert _floor(_deal(fiscal)) is None  # a fiscal year's end is no step the block waits on


def test_a_listed_rival_the_record_drops_is_out() -> None:
    data = with_activities(
        activity(
            "2026-11-20",
            "email",
            "Dana cc'd me on their note to Vibrant Analytics telling them they won't proceed.",
            direction="inbound",
        )
    )
    data["competitors"] = [{"name": "Vibrant Analytics", "status": "active"}]
    facts = derive(parse_deal(data), parse_deal(data).as_of)
    assert next(c for c in facts.competitors if c.name == "Vibrant Analytics").status == "eliminated"


def test_the_signers_own_dated_signing_word_is_a_decision_process() -> None:
    data = with_activities(
        activity(
            "2026-11-24",
            "email",
            "Priya: 'Happy with the quote. I'll sign it at our partners' meeting on the 8th.'",
            direction="inbound",
            **{"with": ["Priya Shah"]},
        )
    )
    data["meddpicc"]["decision_process"] = {"status": "unknown"}
    data["mutual_action_plan"] = []

    def shown() -> list[str]:
        deal = parse_deal(data)
        return derive(deal, deal.as_of).elements["decision_process"].record

    data["next_step"] = {"action": "Priya signs the quote", "date": "2026-12-08", "owner": "Priya Shah"}
    assert any("I'll sign it at our partners' meeting" in line for line in shown())
    data["next_step"] = {"action": "Send the quote", "date": "2026-12-08", "owner": "Alex Kim"}
    assert not any("I'll sign it" in line for line in shown())


@pytest.mark.parametrize(
    ("said", "month"),
    [
        ("PO in late January on 5120, and she will sign the order form together with the PO, not before.", 1),
        (
            "We issue an RFP on 14 December. Responses are due 22 January and we plan to award at the end of February.",
            2,
        ),
        ("Hasta que lo presente al consejo a finales de enero, cualquier contrato nuevo queda en pausa.", 1),
    ],
)
def test_floors_the_twenty_sixth_and_seventh_batches_showed(said: str, month: int) -> None:
    floor = _floor(_deal(said))
    assert floor is not None and floor[0].month == month and floor[0].year == 2027


def test_a_fallback_sitting_after_a_without_is_no_floor_but_the_condition_is_open() -> None:
    deal = _deal(
        "Before I can put the award on the committee agenda for 16 December I need three references. "
        "Without three references the item will not go to the committee and the next committee is 10 February."
    )
    assert _floor(deal) is None
    assert derive(deal, deal.as_of).timing.condition_open


@pytest.mark.parametrize(
    "said",
    [
        "Eine Unterzeichnung vor diesem Beschluss ist nach unserer Satzung nicht möglich. Die Sitzung ist am 28. Januar 2027.",
        "I won't take the purchase to the capex committee without it. The committee meets on 4 February.",
    ],
)
def test_floors_the_twenty_ninth_batch_showed(said: str) -> None:
    assert _floor(_deal(said)) is not None


def test_a_value_that_goes_back_to_the_committee_is_an_open_condition() -> None:
    deal = _deal("The changed value now goes back through the spend committee on 10 Dec.")
    assert derive(deal, deal.as_of).timing.condition_open


def test_a_project_paused_indefinitely_is_on_hold() -> None:
    deal = _deal("The Singapore compliance build is paused indefinitely.")
    assert derive(deal, deal.as_of).timing.on_hold
    assert _call(deal) == "omitted"


def test_readings_the_thirtieth_and_thirty_first_batches_showed() -> None:
    chose = _deal(
        "Just to let you know, the exec team approved last week to go with the transport planning module in our Infor "
        "ERP upgrade."
    )
    assert derive(chose, chose.as_of).rival_chosen and _call(chose) == "omitted"
    bond = _deal("Procurement wants a 10% performance bond from a German bank before they countersign.")
    assert derive(bond, bond.as_of).timing.condition_open and _call(bond) == "best_case"


def test_a_condition_told_as_its_two_branches_is_open_and_its_failing_branch_no_floor() -> None:
    grant = _deal(
        "She was clear: no grant, no deal this year - the co-op won't fund it fully and would reconsider in 2027's "
        "capital round."
    )
    assert _floor(grant) is None  # the later year is what happens if the grant fails, not a floor under the purchase
    assert derive(grant, grant.as_of).timing.condition_open
    register = _deal("The vendor must be on the scheme's approved supplier register at the date of contract.")
    assert derive(register, register.as_of).timing.condition_open


def test_an_approval_subject_to_a_condition_is_open_and_clears_nothing() -> None:
    deal = _deal(
        "No grant, no deal: the board will not fund it without the grant.",
        "Board approved the project subject to the grant conditions.",
    )
    assert derive(deal, deal.as_of).timing.condition_open
    assert _call(deal) != "commit"
    assert not derive(
        _deal("Board approved the project subject to contract."), dt.date(2026, 11, 26)
    ).timing.condition_open


def test_a_parallel_run_still_running_is_the_buyers_test_ahead() -> None:
    from ae_coach.inspector.facts._timing import validation_step

    assert validation_step("Week 2 reconciliation")
    assert validation_step("Change Board: parallel-run reconciliation (<2% variance)")
    assert validation_step("双轨运行第二周核对")
    assert not validation_step("Legal closes redlines")


@pytest.mark.parametrize(
    "said",
    [
        "Contract can't go final until security signs off, that's their policy.",
        "Nothing goes for signature until the SOW is in and reviewed.",
        "Birgitte: final contract version agreed, ready for signature subject to the ISO certificate.",
    ],
)
def test_conditions_the_thirty_second_and_third_batches_showed(said: str) -> None:
    deal = _deal(said)
    assert derive(deal, deal.as_of).timing.condition_open
    assert _call(deal) != "commit"


def _iso_condition(*steps: tuple[str, str]):
    """A buyer's condition "subject to the ISO certificate", with the plan steps given done the day after."""
    data = with_activities(
        activity(
            "2026-11-20",
            "email",
            "Birgitte: final contract version agreed, ready for signature subject to the ISO certificate.",
            direction="inbound",
            **{"with": ["Dana Lee"]},
        )
    )
    data["mutual_action_plan"] += [
        {"date": "2026-11-24", "action": action, "owner": owner, "status": "done"} for action, owner in steps
    ]
    deal = parse_deal(data)
    return derive(deal, deal.as_of).timing.condition_open


def test_a_condition_is_cleared_by_the_buyers_plan_step_for_it_done_since() -> None:
    assert _iso_condition(("Security confirms the ISO certificate", "customer")) is None


def test_a_purchase_that_waits_on_an_undated_event_is_undated_and_parked_is_a_floor() -> None:
    waits = _deal(
        "Client M will confirm a new date in the coming weeks. Kelvin won't sign anything until they give us a firm "
        "go-live."
    )
    assert derive(waits, waits.as_of).timing.decision_undated
    assert _call(waits) == "pipeline"
    parked = _deal("Gareth says they'll park it and revisit in the new financial year (April).")
    assert _floor(parked) is not None and _call(parked) == "omitted"
    committed = _deal("We will not commit to a 3-year platform before that. The award is expected on 22 January.")
    assert _call(committed) == "omitted"


def test_readings_the_thirty_fourth_and_fifth_batches_showed() -> None:
    until_then = _deal(
        "All new vendors must connect through the new landing zone, which goes live at the end of March 2027. "
        "'Until then I will not approve a contract for a tool we cannot connect.'"
    )
    assert _floor(until_then) is not None and _call(until_then) == "omitted"
    lets_sign = _deal("Let's sign once the landing zone is live, so around April, and start for the summer peak.")
    assert _floor(lets_sign) is not None
    board = _deal("I'm afraid we haven't made the 10 December papers. The next trustee board is 28 January.")
    assert _floor(board) is not None
    # an invoice's date is no floor under the signature; the refusal to sign without the terms is a condition
    invoice = _deal(
        "Wir benötigen eine Zahlungspause: die erste Jahresrechnung nicht vor Juli 2027. Ohne diese Regelung kann "
        "ich den Vertrag in diesem Jahr nicht zeichnen."
    )
    assert _floor(invoice) is None
    assert derive(invoice, invoice.as_of).timing.condition_open


def test_a_pasted_message_from_a_buyer_is_their_word() -> None:
    deal = _deal(
        "Pasted from Dana: 'We haven't made the December papers. The next trustee board is 28 January.'",
        direction=None,
    )
    pasted = [a for a in derive(deal, deal.as_of).activities if (a.summary or "").startswith("Pasted from Dana")]
    assert pasted and pasted[0].two_way


def test_a_condition_is_not_cleared_by_a_done_step_about_something_else() -> None:
    assert _iso_condition(("Birgitte signs the NDA", "customer"), ("Send the ISO certificate", "us"))


def test_a_plain_revisit_is_a_floor_and_a_calculation_no_invoice() -> None:
    assert _floor(_deal("The board will revisit the purchase in April, not before.")) is not None
    assert _floor(_deal("Die Berechnung ist fertig; unterschreiben können wir nicht vor März 2027.")) is not None
