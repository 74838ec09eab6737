"""The buyer's decision handed to someone outside the deal's people (a new owner's integration office, a group
committee), the buyer's own written signing day, and a price concern the record settles since: read from the
record's words, whatever the CRM fields say (batch-2026-12-06g)."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.deal import parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from ae_coach.inspector.priority import ranked
from analysis_builders import activity, by_code, healthy, with_activities

AS_OF = dt.date(2026, 11, 26)


def _said(summary: str, date: str = "2026-11-24", who: str = "Priya Shah", kind: str = "email") -> dict:
    return activity(date, kind, summary, direction="inbound", **{"with": [who]})


def _note(summary: str, date: str = "2026-11-20") -> dict:
    return activity(date, "note", summary, **{"with": []})


# ------------------------------------------------------------------------------------------- the buyer acquired


def test_someone_agreeing_to_acquire_the_buyer_by_name_is_an_acquisition() -> None:
    deal = parse_deal(
        with_activities(
            _note("FYI from news: 'Halberd Group enters into agreement to acquire 100% of Contoso Logistics.'")
        )
    )
    events = derive(deal, AS_OF).events
    assert [e.kind for e in events] == ["acquisition"]
    assert by_code(deal)["momentum.company_event"].data["kind"] == "acquisition"


@pytest.mark.parametrize(
    "summary",
    [
        "FYI from news: Contoso Logistics enters into agreement to acquire 100% of Northgate Freight.",
        "FYI: Halberd Group agreed to acquire Northgate Freight, a Contoso competitor.",
    ],
)
def test_the_buyer_acquiring_others_or_another_company_acquired_is_no_event(summary: str) -> None:
    deal = parse_deal(with_activities(_note(summary)))
    assert derive(deal, AS_OF).events == []


# ------------------------------------------------------------------------------------------- an outside consent


CONSENT = (
    "Any new agreement above 100k needs the prior written consent of Halberd's integration office. They will not "
    "look at vendor requests before the first week of February. I will come back to you when I know how their "
    "process works."
)


def test_an_outside_consent_not_before_a_later_month_takes_the_deal_out_of_the_period() -> None:
    deal = parse_deal(with_activities(_said(CONSENT)))
    timing = derive(deal, AS_OF).timing
    assert timing.doubt and "February" in timing.doubt
    assert timing.approval_undated and "consent" in timing.approval_undated
    result = assess(deal)
    assert str(result.recommended_forecast) == "omitted"
    # the approval nobody has dated leads: the buyer's own word is what the Commit in this quarter fails on
    first = ranked(result.findings)[0]
    assert first.code == "meddpicc.decision_process" and first.data["blocked"] == "approval_undated"
    assert by_code(deal)["anti.forecast_fantasy"].data["buyer_later"]


@pytest.mark.parametrize(
    "summary",
    [
        # the office looks at it before the close date
        CONSENT.replace("February", "December").replace(
            " I will come back to you when I know how their process works.", " Slot booked for 3 December."
        ),
        # a later month for something that is not the purchase
        "Go-live will not happen before February; the signature stays on 12-18.",
        # no consent: a month floor of the go-live in the same message
        "We need the SSO sign-off of IT. The rollout will not start before February.",
    ],
)
def test_a_consent_inside_the_period_or_a_later_go_live_keeps_the_date(summary: str) -> None:
    deal = parse_deal(with_activities(_said(summary)))
    assert derive(deal, AS_OF).timing.doubt is None


# ------------------------------------------------------------------------------------------- a group committee


def test_a_decision_moved_to_an_undated_group_committee_is_no_dated_decision() -> None:
    deal = parse_deal(
        with_activities(
            _said(
                "The decision moves to the Group Operations Committee chaired by Matej Novak (group COO). Dana: "
                "\"I don't know when they take it, Matej's office will tell us.\"",
                "2026-11-12",
                "Dana Lee",
                "call",
            ),
            _said(
                "I asked Matej's assistant for a slot on the committee agenda, no date yet.", "2026-11-17", "Dana Lee"
            ),
        )
    )
    timing = derive(deal, AS_OF).timing
    assert timing.approval_undated and "Group Operations Committee" in timing.approval_undated
    assert by_code(deal)["meddpicc.decision_process"].data["blocked"] == "approval_undated"
    assert str(assess(deal).recommended_forecast) == "pipeline"


@pytest.mark.parametrize(
    "later",
    [
        "Matej's office booked us on the committee agenda for 10 December.",
        None,
    ],
)
def test_a_group_committee_with_a_date_or_no_word_on_its_date_is_quiet(later: str | None) -> None:
    items = [_said("The decision moves to the Group Operations Committee chaired by Matej.", "2026-11-12", "Dana Lee")]
    if later:
        items.append(_said(later + " No date yet for the kick-off.", "2026-11-17", "Dana Lee"))
    deal = parse_deal(with_activities(*items))
    assert derive(deal, AS_OF).timing.approval_undated is None


# ------------------------------------------------------------------------------------------- the signer committed


def _committed(*extra: dict) -> dict:
    data = with_activities(
        _said("Priya: approved the licences at the quoted price.", "2026-11-17"),
        _said(
            "Dana: we must sign your order form by 11 December at the latest; Priya approved PO 4410-22 today.",
            "2026-11-24",
            "Dana Lee",
        ),
        _note("DocuSign envelope sent to Priya + Dana.", "2026-11-25"),
        *extra,
    )
    data["meddpicc"]["competition"] = {"status": "unknown"}
    data["competitors"] = []
    data["next_step"] = {"action": "Chase DocuSign", "date": "2026-12-09", "owner": "Jonas"}
    data["mutual_action_plan"][-1] = {"date": "2026-12-09", "action": "DocuSign: CFO", "owner": "customer",
                                      "status": "planned"}  # fmt: skip
    return data


def test_the_buyers_written_signing_day_with_the_paper_out_is_the_signers_commitment() -> None:
    deal = parse_deal(_committed())
    timing = derive(deal, AS_OF).timing
    assert timing.plan_signature == dt.date(2026, 12, 9)  # a DocuSign step is the signature step
    assert timing.committed and timing.committed.endswith("signs 2026-12-11")
    found = by_code(deal)
    # nobody else is named and the signer chose us on paper: no "unknown alternatives" red flag
    assert "meddpicc.competition" not in found and "anti.ignoring_competition" not in found
    assert assess(deal).facts.elements["competition"].grade == 2


def test_without_the_buyers_dated_word_the_blank_competition_stays_a_red_flag() -> None:
    data = _committed()
    data["activities"] = [a for a in data["activities"] if not (a["summary"] or "").startswith("Dana: we must")]
    deal = parse_deal(data)
    assert derive(deal, AS_OF).timing.committed is None
    assert "meddpicc.competition" in by_code(deal)


# ------------------------------------------------------------------------------------------- a settled price concern

CONCERN = activity(
    "2026-11-13",
    "meeting",
    "CFO price review: Priya ok with the price, asked to split year-1 payment 50/50 because of budget lines.",
    direction="two_way",
    signals=["budget_concern"],
    **{"with": ["Priya Shah", "Dana Lee"]},
)


def test_a_price_concern_settled_later_is_no_late_budget_concern() -> None:
    settled = activity(
        "2026-11-24",
        "email",
        "Legal: MSA and order form reviewed, no comments.",
        direction="inbound",
        signals=["paper_complete"],
        **{"with": ["Dana Lee"]},
    )
    assert "momentum.budget_concern_late" not in by_code(parse_deal(with_activities(CONCERN, settled)))
    assert "momentum.budget_concern_late" in by_code(parse_deal(with_activities(CONCERN)))


def test_the_healthy_deal_stays_quiet() -> None:
    deal = parse_deal(healthy())
    timing = derive(deal, AS_OF).timing
    assert timing.doubt is None and timing.approval_undated is None
