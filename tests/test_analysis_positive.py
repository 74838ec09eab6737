"""The seven positive signals: from text heuristics, from explicit tags, and tags overriding text; and the
signer's commitment."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from analysis_builders import activity, by_code, healthy


def _plain() -> dict:
    """The healthy deal with every activity explicitly untagged and the CFO in no meeting: no positive signal."""
    data = healthy()
    for item in data["activities"]:
        item["signals"] = []
        item["with"] = [p for p in item.get("with", []) if p != "Priya Shah"]
    return data


def _with(summary: str, **extra) -> dict:
    data = _plain()
    data["activities"].append(activity("2026-11-24", "meeting", summary, **extra))
    return data


TEXT = {
    "positive.champion_scheduled": "Dana proactively scheduled the security deep dive for next week",
    "positive.economic_buyer_engaged": "The CFO agreed to attend the final presentation",
    "positive.internal_docs_shared": "Dana shared their org chart and the internal roadmap",
    "positive.implementation_questions": "Omar asked detailed SSO and data migration questions",
    "positive.procurement_timeline": "Procurement timeline: vendor onboarding takes 3 weeks",
    "positive.references_requested": "They asked for two reference calls with retailers",
    "positive.legal_security_review": "Security questionnaire received; legal review starts Monday",
}
TAGS = {
    "positive.champion_scheduled": "champion_scheduled",
    "positive.economic_buyer_engaged": "eb_attending",
    "positive.internal_docs_shared": "internal_docs_shared",
    "positive.implementation_questions": "implementation_questions",
    "positive.procurement_timeline": "procurement_timeline",
    "positive.references_requested": "references_requested",
    "positive.legal_security_review": "legal_security_review",
}


def _signing(po: str) -> dict:
    """Priya (the economic buyer) said yes, then the PO: committed when the PO carries its number."""
    data = _with("Priya: yes, go ahead at the quoted price", direction="two_way", **{"with": ["Priya Shah"]})
    data["activities"].append(activity("2026-11-25", "email", po, direction="inbound", **{"with": ["Dana Lee"]}))
    data["next_step"] = {"action": "Priya signs the order form", "date": "2026-12-10", "owner": "Priya Shah"}
    return data


CASES = [(code, lambda code=code: parse_deal(_with(TEXT[code])), lambda: parse_deal(_plain())) for code in TEXT]
CASES.append(
    (
        "positive.signer_committed",
        lambda: parse_deal(_signing("Their AP sent PO 4500218833")),
        lambda: parse_deal(_signing("AP will raise the PO once Priya signs")),
    )
)


def _plan(status: str) -> dict:
    """The healthy deal's plan: "Legal sign-off" on 12-05 before the 12-18 signature, planned or already done."""
    data = _plain()
    data["mutual_action_plan"] = [
        {**step, "status": status} if step["action"] == "Legal sign-off" else step
        for step in data["mutual_action_plan"]
    ]
    return data


CASES.append(("positive.plan_step_ahead", lambda: parse_deal(_plan("planned")), lambda: parse_deal(_plan("done"))))


def _asked(delivered: bool) -> dict:
    """Dana asked for our security pack by a date; with ``delivered``, a later email of ours sends it."""
    data = _with(
        "Dana wants our security pack and the DPA back by 12/01.", direction="two_way", **{"with": ["Dana Lee"]}
    )
    if delivered:
        data["activities"].append(
            activity(
                "2026-11-26",
                "email",
                "Sent Dana the security pack and the DPA.",
                direction="outbound",
                **{"with": ["Dana Lee"]},
            )
        )
    return data


CASES.append(("positive.buyer_waiting", lambda: parse_deal(_asked(False)), lambda: parse_deal(_asked(True))))


def _meeting(action: str, owner: str = "Dana Lee") -> dict:
    """The plain deal whose next step, a week ahead, is ``action``, owned by ``owner``."""
    data = _plain()
    data["next_step"] = {"action": action, "date": "2026-12-03", "owner": owner}
    return data


CASES.append(
    (
        "positive.introduction",
        lambda: parse_deal(_meeting("Meet the QA director")),
        lambda: parse_deal(_meeting("Meet the director of IT")),  # Omar Haddad, Director of IT, is on the deal
    )
)


@pytest.mark.parametrize(
    ("action", "owner", "fires"),
    [
        ("Intro call with their head of procurement", "Dana Lee", True),
        ("Dana to introduce us to the new CISO", "Jordan Blake", True),  # the champion named in the step
        ("Meet the QA director", "Jordan Blake", False),  # the rep's meeting: nobody takes us
        ("Meet the QA director with Omar Haddad", "Dana Lee", False),  # someone on the deal is in it
        ("Send the QA director the deck", "Dana Lee", False),  # no meeting
        ("Review with the VP", "Dana Lee", False),  # Dana is a VP
    ],
)
def test_introduction_needs_the_champion_a_meeting_and_someone_new(action: str, owner: str, fires: bool) -> None:
    found = by_code(parse_deal(_meeting(action, owner)))
    assert ("positive.introduction" in found) is fires
    if fires:
        assert found["positive.introduction"].data["date"] == "2026-12-03"


def test_an_introduction_earns_no_health() -> None:
    from ae_coach.inspector import assess

    before, after = assess(parse_deal(_plain())), assess(parse_deal(_meeting("Meet the QA director")))
    assert "positive.introduction" in {f.code for f in after.findings}
    assert after.health == before.health


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_positive_signal_fires_from_text_and_stays_quiet(code, fire, quiet) -> None:
    finding = by_code(fire())[code]
    assert finding.severity is Severity.INFO
    assert code not in by_code(quiet())


@pytest.mark.parametrize("code", sorted(TAGS))
def test_explicit_tag_fires_without_matching_text(code) -> None:
    assert code in by_code(parse_deal(_with("Weekly sync", signals=[TAGS[code]])))


@pytest.mark.parametrize("code", sorted(TEXT))
def test_explicit_empty_tags_override_the_text(code) -> None:
    assert code not in by_code(parse_deal(_with(TEXT[code], signals=[])))


def test_champion_scheduled_needs_the_champion_not_the_rep() -> None:
    assert "positive.champion_scheduled" not in by_code(parse_deal(_with("I scheduled the next session with IT")))


@pytest.mark.parametrize(
    ("summary", "scheduled"),
    [
        ("Dana booked the CFO review for 12/03", True),
        ("Dana has booked 45 min with Priya on Thu", True),
        ("CFO review set up by Dana; Priya wants the ROI model", True),
        ("Call with Priya (Dana arranged). Budget confirmed.", True),
        ("Proposal walked through with Dana; she sent it to Priya and booked the price review", True),
        ("Proposal walked through w/ Dana. Exec review w/ Priya booked for 12-03.", False),  # booked by nobody named
        ("Sandbox set up for Dana's team", False),  # set up for her, by us
        ("Scheduled the next call with Dana", False),  # the rep booked it
        ("Dana says they've booked a demo with the other vendor next week", False),  # someone else's meeting
        ("Dana will take it to Priya at the budget review, then set up a call", False),  # still to come
    ],
)
def test_champion_scheduled_needs_the_champion_to_set_it_up(summary: str, scheduled: bool) -> None:
    found = by_code(parse_deal(_with(summary, **{"with": ["Dana Lee"]})))
    assert ("positive.champion_scheduled" in found) is scheduled


@pytest.mark.parametrize(
    ("booked", "later", "scheduled"),
    [
        # Hakuyo: the demo the champion arranged in August, two meetings held since, nothing booked ahead
        ("Demo at plant, Priya attended 40 min (Dana arranged).", [("2026-11-25", "meeting")], False),
        ("Demo at plant, Priya attended 40 min (Dana arranged).", [("2026-11-25", "email")], True),  # no meeting
        ("Dana booked 45 min with Priya on 12/03 for the price review.", [("2026-11-25", "meeting")], True),  # ahead
    ],
)
def test_champion_scheduled_is_the_next_meeting_not_a_past_favour(booked: str, later: list, scheduled: bool) -> None:
    data = _with(booked, **{"with": ["Dana Lee"]})
    data["activities"] += [activity(day, kind, "Weekly sync", **{"with": ["Dana Lee"]}) for day, kind in later]
    assert ("positive.champion_scheduled" in by_code(parse_deal(data))) is scheduled


def test_economic_buyer_listed_in_a_meeting_counts_but_not_when_cancelled() -> None:
    assert "positive.economic_buyer_engaged" in by_code(parse_deal(_with("Review", **{"with": ["Priya Shah"]})))
    cancelled = _with("Review", status="cancelled", **{"with": ["Priya Shah"]})
    assert "positive.economic_buyer_engaged" not in by_code(parse_deal(cancelled))


@pytest.mark.parametrize(
    ("later", "engaged"),
    [
        ("Priya wants to wait for the reorg to settle", False),
        ("CFO says the price is too high", False),
        ("Priya will re-review the business case next quarter", False),
        ("Priya walked through the rollout plan", True),
    ],
)
def test_an_economic_buyer_who_objects_or_pauses_is_not_engaged(later: str, engaged: bool) -> None:
    data = _with("Proposal walkthrough", **{"with": ["Priya Shah", "Dana Lee"]})
    data["activities"].append(activity("2026-11-25", "meeting", later, **{"with": ["Priya Shah", "Dana Lee"]}))
    assert ("positive.economic_buyer_engaged" in by_code(parse_deal(data))) is engaged


def test_negated_phrases_do_not_count() -> None:
    assert "positive.references_requested" not in by_code(parse_deal(_with("They have not asked for references")))


def test_positive_signals_are_reported_for_open_deals_only() -> None:
    data = _with(TEXT["positive.references_requested"])
    data["stage"] = "closed_lost"
    assert "positive.references_requested" not in by_code(parse_deal(data))


def test_what_the_buyer_waits_on_carries_its_due_date_and_earns_no_health() -> None:
    from ae_coach.inspector import assess

    deal = parse_deal(_asked(False))
    waiting = by_code(deal)["positive.buyer_waiting"]
    assert waiting.data["due"] == "2026-12-01" and waiting.data["people"] == ["Dana Lee"]
    assert "security pack" in waiting.evidence[0]
    promised = parse_deal(
        _with("Good call. Told her I'd come back with the revised quote Monday.", direction="two_way")
    )
    assert by_code(promised)["positive.buyer_waiting"].data["due"] == "2026-11-30"  # the Monday after 11-24
    assert not any("waiting on us" in reason for reason in assess(deal).health_reasons)


def test_our_unanswered_email_to_the_signer_is_no_attendance() -> None:
    chased = _with("Sent Priya the business case. No reply.", direction="outbound", **{"with": ["Priya Shah"]})
    assert "positive.economic_buyer_engaged" not in by_code(parse_deal(chased))
    met = _with("Walked Priya through the business case", direction="two_way", **{"with": ["Priya Shah"]})
    assert "positive.economic_buyer_engaged" in by_code(parse_deal(met))


def _answered(reply: str, direction: str = "inbound") -> dict:
    """Dana asked for our MSA; a later email says ``reply``."""
    data = _with(
        "Dana (procurement) asked for our MSA and insurance certs.", direction="inbound", **{"with": ["Dana Lee"]}
    )
    data["activities"].append(activity("2026-11-26", "email", reply, direction=direction, **{"with": ["Dana Lee"]}))
    return data


@pytest.mark.parametrize(
    ("reply", "answered"),
    [
        ("Dana: MSA received, will review once there's an approved requisition.", True),
        ("Dana: thanks for the MSA and the certs, passing them to legal.", True),
        ("Dana：MSA 已收到。", True),
        ("Dana: still looking into the budget.", False),  # names nothing that arrived
        ("We received their MSA comments template.", False),  # our receipt of theirs, not theirs of ours
    ],
)
def test_a_later_receipt_from_the_buyer_answers_their_request(reply: str, answered: bool) -> None:
    assert ("positive.buyer_waiting" not in by_code(parse_deal(_answered(reply)))) is answered


def test_a_review_that_waits_on_the_buyers_own_requisition_has_not_started() -> None:
    from ae_coach.inspector import assess

    gated = _answered("Dana: MSA received, will review once there's an approved requisition.")
    gated["activities"][-2]["summary"] = "Dana (procurement) asked for our MSA; legal review to follow."
    facts = assess(parse_deal(gated)).facts
    assert facts.timing.review_waits is not None and "requisition" in facts.timing.review_waits
    assert "positive.legal_security_review" not in by_code(parse_deal(gated))
    ours = _answered("Dana: will review once we send the insurance certs.")  # waits on us: no hold of theirs
    assert assess(parse_deal(ours)).facts.timing.review_waits is None
    moved = _answered("Dana: MSA received, will review once there's an approved requisition.")
    moved["activities"].append(
        activity("2026-11-26", "email", "Dana: requisition approved, legal review under way.", direction="inbound")
    )
    assert assess(parse_deal(moved)).facts.timing.review_waits is None
