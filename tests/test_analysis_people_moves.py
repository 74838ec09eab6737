"""What the record says about the people, over what the CRM's role column says: a signing limit that moves the
signature up, a signer or champion who left or moved on, a contract nobody picked up, a decision meeting the
signer's office called off, a signer's own "I'll sign on Thursday", a buyer who says what they have works."""

from __future__ import annotations

from typing import Any

import pytest

from ae_coach.deal import Role, parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from ae_coach.inspector.facts import PAPER_UNOWNED, record_roles
from analysis_builders import activity, healthy, with_activities

AS_OF = parse_deal(healthy()).as_of


def _ceo(data: dict[str, Any]) -> dict[str, Any]:
    data["stakeholders"].append(
        {"name": "Tom Reyes", "title": "Chief Executive Officer", "role": "unknown", "engaged": False}
    )
    return data


def _limit(amount: str) -> dict[str, Any]:
    said = f"Procurement: under their scheme of delegation Priya can approve up to {amount}; anything above goes to the CEO for signature."
    return _ceo(with_activities(activity("2026-11-18", "email", said, direction="inbound", **{"with": ["Dana Lee"]})))


def test_a_signing_limit_below_the_deal_moves_the_signature_to_whoever_is_above_it() -> None:
    deal = parse_deal(_limit("$100k"))  # a $150k deal
    assert record_roles(deal, AS_OF) == {"Tom Reyes": Role.ECONOMIC_BUYER, "Priya Shah": Role.CHAMPION}
    review = assess(deal)
    eb = next(f for f in review.findings if f.code == "meddpicc.economic_buyer")
    assert eb.severity.rank <= Severity.HIGH.rank
    assert review.recommended_forecast.value != "commit"


def test_a_signing_limit_above_the_deal_changes_nothing() -> None:
    assert record_roles(parse_deal(_limit("$250,000")), AS_OF) == {}


def _departure(summary: str) -> dict[str, Any]:
    return with_activities(activity("2026-11-24", "email", summary, direction="inbound", **{"with": ["Lena Park"]}))


def test_a_signer_who_has_left_signs_nothing_and_the_successor_is_named() -> None:
    deal = parse_deal(
        _departure("Lena: the PO routes to R. Okafor (interim CFO) since Priya's departure on 11/21. Expect a week.")
    )
    assert record_roles(deal, AS_OF) == {"Priya Shah": Role.UNKNOWN}
    review = assess(deal)
    priya = next(p for p in review.facts.people if p.name == "Priya Shah")
    assert priya.left and priya.succeeded_by == "R. Okafor (interim CFO)"
    eb = next(f for f in review.findings if f.code == "meddpicc.economic_buyer")
    assert eb.severity == Severity.HIGH and "has left" in eb.title and eb.data.get("left")
    assert review.recommended_forecast.value == "best_case"  # the new signer is named, not yet met


def test_leaving_a_voicemail_is_not_leaving_the_company() -> None:
    deal = parse_deal(_departure("Lena: Priya left a voicemail for Dana about the PO."))
    assert record_roles(deal, AS_OF) == {}


def test_a_champion_who_moved_to_another_job_is_flagged_from_the_record() -> None:
    said = "Dana's news: she has been promoted to run EMEA and no longer has sign-off on US spend."
    deal = parse_deal(
        with_activities(activity("2026-11-24", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    )
    champion = next(f for f in assess(deal).findings if f.code == "meddpicc.champion")
    assert champion.severity == Severity.HIGH and champion.data.get("left")


def test_a_contract_nobody_on_the_buyer_side_has_picked_up_is_stuck() -> None:
    said = "Dana: legal haven't picked it up yet, they're buried in year-end."
    deal = parse_deal(
        with_activities(activity("2026-11-25", "call", said, direction="two_way", **{"with": ["Dana Lee"]}))
    )
    stuck = assess(deal).facts.timing.paper_stuck
    assert stuck is not None and stuck.startswith(PAPER_UNOWNED)


def _cancelled(*extra: dict[str, Any]) -> dict[str, Any]:
    data = with_activities(
        activity(
            "2026-11-24",
            "meeting",
            "Lena: Priya has had to clear her diary; the decision meeting is cancelled. We'll come back with dates.",
            status="cancelled",
            direction="inbound",
            **{"with": ["Lena Park"]},
        ),
        *extra,
    )
    return data


def test_a_decision_meeting_the_signer_called_off_and_nobody_rebooked_is_high() -> None:
    found = next(f for f in assess(parse_deal(_cancelled())).findings if f.code == "momentum.meetings_rescheduled")
    assert found.severity == Severity.HIGH and found.data["executives"] == ["Priya Shah"]

    rebooked = _cancelled(
        activity("2026-12-03", "meeting", "Decision meeting", status="scheduled", **{"with": ["Priya Shah"]})
    )
    again = next(f for f in assess(parse_deal(rebooked)).findings if f.code == "momentum.meetings_rescheduled")
    assert again.severity != Severity.HIGH


def test_the_signer_saying_when_she_signs_dates_the_commitment() -> None:
    data = with_activities(
        activity(
            "2026-11-23", "email", "DocuSign envelope sent to Priya.", direction="outbound", **{"with": ["Priya Shah"]}
        ),
        activity(
            "2026-11-24",
            "email",
            "Priya: 'Got it, I'll sign on Thursday once the board pack is out.'",
            direction="inbound",
            **{"with": ["Priya Shah"]},
        ),
    )
    data["next_step"] = {"action": "sig", "owner": "Dana Lee"}
    committed = assess(parse_deal(data)).facts.timing.committed
    assert committed is not None and committed.endswith("signs 2026-11-26")  # the Thursday after the message


def test_the_buyer_saying_what_they_have_works_outweighs_the_reps_pain_note() -> None:
    data = healthy()
    data["meddpicc"]["identified_pain"] = {"status": "confirmed", "evidence": "Wants better forecasting"}
    data["activities"].append(
        activity(
            "2026-11-24",
            "call",
            "Omar: 'Clari works fine for us, the team is happy with it. This is a market check.'",
            direction="two_way",
            **{"with": ["Omar Haddad"]},
        )
    )
    review = assess(parse_deal(data))
    pain = next(f for f in review.findings if f.code == "meddpicc.identified_pain")
    assert pain.data.get("no_pain") and "marked confirmed" in pain.title
    assert review.recommended_forecast.value == "omitted"


@pytest.mark.parametrize(
    ("said", "moves"),
    [
        ("Dana: Priya's approval limit is $100k; anything over that needs the CEO's signature.", True),
        ("Procurement: Priya can sign up to $50,000. Above that it goes to the CEO.", True),  # the next sentence
        ("Dana: spend over $100k needs Tom Reyes to sign; Priya can approve up to $100k.", True),  # either order
        ("Dana: Priya approves anything under $120k, bigger deals go to the Chief Executive Officer.", True),
        ("Dana: Priya can approve up to $200k, anything above goes to the CEO.", False),  # the deal is within it
        ("Dana: the CEO is over the moon about it; Priya can approve up to $100k.", False),  # nobody above it
    ],
)
def test_a_signing_limit_reads_however_the_record_words_it(said: str, moves: bool) -> None:
    deal = parse_deal(
        _ceo(with_activities(activity("2026-11-18", "email", said, direction="inbound", **{"with": ["Dana Lee"]})))
    )
    assert (record_roles(deal, AS_OF) == {"Tom Reyes": Role.ECONOMIC_BUYER, "Priya Shah": Role.CHAMPION}) is moves


@pytest.mark.parametrize(
    ("said", "left"),
    [
        ("Lena: Priya left the company last month.", True),
        ("Lena: Priya is no longer with the company; an interim CFO signs.", True),
        ("Lena: Priya resigned on Friday.", True),
        ("Lena: Priya has moved on to another firm.", True),
        ("Lena: Priya left early today, will call tomorrow.", False),
        ("Lena: Priya left a voicemail for Dana about the PO.", False),
    ],
)
def test_leaving_the_company_reads_however_the_record_words_it(said: str, left: bool) -> None:
    deal = parse_deal(_departure(said))
    assert (record_roles(deal, AS_OF) == {"Priya Shah": Role.UNKNOWN}) is left


@pytest.mark.parametrize(
    ("said", "moved"),
    [
        ("Dana got promoted to VP EMEA and hands this to Raj.", True),
        ("Dana is moving to the London office in January.", True),
        ("Dana was reassigned to the ERP programme.", True),
        ("Dana's new role means she won't be on this.", True),
        ("Dana promoted the pilot internally.", False),
        ("The meeting was moved to Thursday.", False),
        ("Dana asked about the new role-based access.", False),
    ],
)
def test_a_champion_moving_on_reads_however_the_record_words_it(said: str, moved: bool) -> None:
    from ae_coach.inspector import text
    from ae_coach.inspector.meddpicc import _MOVED_ON

    assert bool(text.find(_MOVED_ON, said)) is moved


@pytest.mark.parametrize(
    ("said", "unowned"),
    [
        ("legal hasn't looked at it yet", True),
        ("nobody in legal has opened the contract", True),
        ("the contract is sitting in legal's queue untouched", True),
        ("no one has been assigned to review it", True),
        ("legal picked it up yesterday", False),
        ("nobody has signed yet", False),
    ],
)
def test_paper_nobody_picked_up_reads_however_the_record_words_it(said: str, unowned: bool) -> None:
    from ae_coach.inspector import text
    from ae_coach.inspector.facts._timing import _UNOWNED

    assert bool(text.find(_UNOWNED, said)) is unowned


def test_the_signer_who_left_is_quoted_from_the_sentence_that_says_so() -> None:
    """A blind VP grade: "the signer on record has left the role: Glenn …" quoted the opening of a long call note
    about the rollout, not the sentence about Glenn's secondment."""
    from ae_coach.inspector.facts._derive import departed

    summary = (
        "Catch-up with Sarah (30 min, mostly about the rollout phasing and training before the wet season). She's "
        "happy with legal progress. Oh and Glenn has been seconded to the JV integration until end of March."
    )
    deal = parse_deal(
        {
            "account": "Acme",
            "stage": "proposal",
            "as_of": "2026-11-25",
            "stakeholders": [{"name": "Glenn Whitfield", "title": "CFO", "role": "economic_buyer"}],
            "activities": [{"date": "2026-11-19", "type": "call", "with": ["Glenn Whitfield"], "summary": summary}],
        }
    )
    where, _ = departed(deal, deal.as_of)["Glenn Whitfield"]
    assert "Glenn has been seconded" in where and "Catch-up with Sarah" not in where
