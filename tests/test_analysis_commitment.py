"""The record, not the CRM's fields: who signs, and a signer's commitment that leaves only the signature."""

from __future__ import annotations

import pytest

from ae_coach.deal import Role, parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from ae_coach.inspector.facts import record_roles
from analysis_builders import activity, healthy

AS_OF = parse_deal(healthy()).as_of


def _thin(*summaries: str, next_step: str = "Priya signs the order form") -> dict:
    """The healthy deal as a lazy CRM record: every MEDDPICC field unknown, the signer's role left unknown, no
    plan; what happened is only in the activities (two-way calls with Priya Shah)."""
    data = healthy()
    data["meddpicc"] = {name: {"status": "unknown"} for name in data["meddpicc"]}
    for person in data["stakeholders"]:
        if person["name"] == "Priya Shah":
            person["role"] = "unknown"
    data["mutual_action_plan"] = []
    data["activities"] += [
        activity("2026-11-2" + str(i), "call", s, direction="two_way", **{"with": ["Priya Shah"]})
        for i, s in enumerate(summaries)
    ]
    data["next_step"] = {"action": next_step, "date": "2026-12-10", "owner": "Priya Shah"}
    return data


@pytest.mark.parametrize(
    ("summary", "signer"),
    [
        ("Priya: go ahead at the 3-year price", True),
        ("Priya signs at her finance review", True),
        ("Dana says the order form is fine; Priya has it in her signing queue", True),
        ("Dana asked whether Priya signs or the board does", False),
        ("Dana: once Priya signs off the budget we can talk terms", False),
    ],
)
def test_whoever_the_record_says_signs_is_the_economic_buyer(summary: str, signer: bool) -> None:
    deal = parse_deal(_thin(summary, next_step="Send the order form"))
    assert (record_roles(deal, AS_OF) == {"Priya Shah": Role.ECONOMIC_BUYER}) is signer


def test_a_role_the_rep_chose_stays() -> None:
    data = _thin("Priya signs at her finance review")
    data["stakeholders"][1]["role"] = "influencer"  # Priya, as the rep recorded her
    assert record_roles(parse_deal(data), AS_OF) == {}


def test_a_signer_who_said_yes_holds_the_paper_and_dated_it_leaves_only_bookkeeping() -> None:
    pain = "Priya: the month-end close runs 9 days late"
    committed = assess(
        parse_deal(_thin(pain, "Priya: yes to all three regions at list", "Their AP sent PO 4500218833 in full"))
    )
    assert committed.facts.timing.committed
    assert committed.recommended_forecast.value == "commit"
    checklist = [f for f in committed.findings if f.code.startswith(("meddpicc.", "stage.", "committee."))]
    assert checklist and all(f.severity.rank >= Severity.LOW.rank for f in checklist)

    no_paper = assess(parse_deal(_thin(pain, "Priya: yes to all three regions at list")))
    assert no_paper.facts.timing.committed is None
    assert no_paper.recommended_forecast.value != "commit"
    assert any(f.severity.rank <= Severity.HIGH.rank for f in no_paper.findings if f.code.startswith("meddpicc."))


def test_an_approval_by_email_and_an_envelope_sent_are_a_commitment() -> None:
    deal = _thin(
        "Priya: the month-end close runs 9 days late",
        "Priya: approved 160 seats at the quoted price, please send the amendment",
        "Amendment sent via DocuSign; Dana confirmed Priya signs 12-10",
    )
    assert assess(parse_deal(deal)).facts.timing.committed


@pytest.mark.parametrize(
    ("signing", "paper", "committed"),
    [
        ("Priya: we sign the order form on 15.12 to keep this year's price", "read our order form", True),
        ("Priya: we sign the order form on 15.12 to keep this year's price", "has not read our order form yet", False),
        ("Priya: we sign nothing until 15.12, when the board has met", "read our order form", False),
    ],
)
def test_the_signers_own_dated_we_sign_and_a_clean_order_form_are_a_commitment(
    signing: str, paper: str, committed: bool
) -> None:
    """The signer's plain "we sign … on <day>" is her yes and her day; their counsel having read the order form
    with nothing left open puts clean paper in her hands."""
    data = _thin(
        "Priya: the month-end close runs 9 days late",
        signing,
        f"Dana: their counsel {paper}; one comment on the notice period, we accepted it. Nothing else open.",
        next_step="Send the order form",
    )
    for person in data["stakeholders"]:
        if person["name"] == "Priya Shah":
            person["role"] = "economic_buyer"
    assert bool(assess(parse_deal(data)).facts.timing.committed) is committed


_CLEAN_PAPER = "Dana: their counsel read our order form; one comment, we accepted it. Nothing else open."


@pytest.mark.parametrize(
    ("signing", "paper", "committed"),
    [
        ("Priya: can we sign on 15.12 if the board agrees, or must we wait for January?", _CLEAN_PAPER, False),
        ("Priya asked: should we sign by 15 December?", _CLEAN_PAPER, False),
        ("Priya: if we sign by 15.12 we get the discount", _CLEAN_PAPER, False),
        ("Priya: we sign up new sites on 15.12 every year", _CLEAN_PAPER, False),
        ("Dana: we sign the order form on 15.12", _CLEAN_PAPER, False),  # the champion's word, not the signer's
        ("Priya: we sign NDAs fast; I will sign the order form on 15 December", _CLEAN_PAPER, True),
        ("Dana: Priya approved the price, so we must sign the order form by 15.12 at the latest", _CLEAN_PAPER, True),
        (
            "Priya: we sign the order form on 15.12 to keep this year's price",
            "Dana reviewed the contract with us; for this year there is nothing left in the budget.",
            False,
        ),
    ],
)
def test_a_question_a_supposition_or_someone_elses_we_sign_is_no_commitment(
    signing: str, paper: str, committed: bool
) -> None:
    """Only the signer's own statement of the day she signs is her yes and her day, the newest one with a day in
    the message; "nothing left" in another sentence than the one about the contract puts no paper in her hands."""
    data = _thin("Priya: the month-end close runs 9 days late", signing, paper, next_step="Send the order form")
    for person in data["stakeholders"]:
        if person["name"] == "Priya Shah":
            person["role"] = "economic_buyer"
    assert bool(assess(parse_deal(data)).facts.timing.committed) is committed
