"""Readings of the record from the eighth blind batch, each tried in several wordings: a validation written as a
sentence of its own, a paper item still open, a paper step the buyer dates after the signature, value measured
by a trial or by what the problem costs, a renewal's known alternative, a criterion the buyer failed us on, a
signer who has not been met since before the price went out."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.text import Signal, activity_signals
from analysis_builders import activity, healthy, with_activities


def _signals(summary: str) -> set[str]:
    deal = parse_deal(with_activities(activity("2026-11-18", "meeting", summary, **{"with": ["Omar Haddad"]})))
    return {s.value for s in activity_signals(deal.activities[-1])}


@pytest.mark.parametrize(
    "summary",
    [
        "Pilot readout. Marius confirmed the integration and hosting criteria met, sent the signed evaluation sheet.",
        "trial wrap. IRIS sync ok, 40 live doc requests sent, 31 back inside a week.",
        "Pilot close. FCR 1.24 -> 1.17 on the pilot pens.",
        "All success criteria were met at both sites.",
        "Omar signed the evaluation scorecard.",
    ],
)
def test_a_validation_written_in_its_own_words_is_a_completed_validation(summary: str) -> None:
    assert Signal.TECHNICAL_VALIDATION.value in _signals(summary)


@pytest.mark.parametrize(
    "summary",
    [
        "Pilot review: 12 of 14 criteria met so far",
        "Success criteria not met on the sync test",
        "Mid-pilot review: 3 sites live",
        "Criteria met? Not yet, Omar wants another week",
    ],
)
def test_a_validation_not_yet_done_stays_quiet(summary: str) -> None:
    assert Signal.TECHNICAL_VALIDATION.value not in _signals(summary)


def _paper(summary: str, *later: dict[str, Any]) -> Any:
    said = activity("2026-11-24", "email", summary, direction="inbound", **{"with": ["Dana Lee"]})
    return assess(parse_deal(with_activities(said, *later)))


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: legal returned the MSA agreed. DPA still with her.",
        "Legal: one clause remains open (liability cap), call on 12/2.",
        "Dana: the redlines are still to agree; counsel has the last two points.",
        "Contract review on their template. Everything agreed except the liability cap amount.",
        "Counsel returned redlines; all accepted except liability cap (they want 2x fees).",
    ],
)
def test_a_paper_item_still_open_is_the_one_thing_to_watch(summary: str) -> None:
    review = _paper(summary)
    paper = next(f for f in review.findings if f.code == "meddpicc.paper_process")
    assert paper.severity == Severity.MEDIUM and "open" in paper.title
    assert review.recommended_forecast.value == "commit"  # legal is engaged and the item has its reviewer


@pytest.mark.parametrize(
    ("summary", "paper_open"),
    [
        ("Dana: the board date holds and the penetration test is the only open item.", False),
        ("Dana: legal cleared the MSA; the pilot sign-off is still pending.", False),
        ("Dana: the pentest is done; the DPA is still pending.", True),  # a paper item in its own words
        ("Dana: security review of the pentest report is still open.", True),  # the paper's review of the test
    ],
)
def test_an_open_item_that_is_the_buyers_test_is_not_the_paper(summary: str, paper_open: bool) -> None:
    """The buyer's word that the one open item is their test of the product (a pentest, a pilot) names the
    criteria's test, not the paper: no paper item open."""
    assert (_paper(summary).facts.timing.paper_open is not None) is paper_open


def test_a_term_still_open_gets_a_fall_back_and_a_date_not_who_owns_the_paper() -> None:
    from ae_coach.coach import Coach

    deal = parse_deal(
        with_activities(
            activity(
                "2026-11-24",
                "meeting",
                "Contract review on their service agreement template. Everything agreed except the liability cap.",
                **{"with": ["Dana Lee"]},
            )
        )
    )
    report = Coach(backend="offline").review(deal)
    paper = [a for a in report.next_actions if "deal-paper-process" in a.rule_ids]
    # the step asks for the fall-back; the term it is about is the record's, beside it
    assert paper and "fall-back" in paper[0].action and "liability cap" in (paper[0].evidence or "")
    assert "deal desk" in paper[0].owner
    texts = [a.action for a in report.next_actions] + [q.question for q in report.questions]
    assert not any("who owns security review, legal, procurement" in x for x in texts)
    assert not any("your paper or ours" in x for x in texts)


def test_a_paper_item_closed_later_is_no_longer_open() -> None:
    cleared = activity("2026-11-25", "email", "Dana: legal cleared the DPA, all agreed.", direction="inbound")
    review = _paper("Dana: legal returned the MSA agreed. DPA still with her.", {**cleared, "with": ["Dana Lee"]})
    assert not [f for f in review.findings if f.code == "meddpicc.paper_process"]


@pytest.mark.parametrize(
    ("summary", "omitted"),
    [
        ("Security: the architecture review is scheduled for January 6 and the risk committee meets January 14.", True),
        ("Dana: procurement's vendor risk board has its next slot on 2027-01-12.", True),
        ("Dana: our current contract with the old vendor expires January 31.", False),  # a term ending, no step
        ("Dana: the security review was booked for 11/10 and passed.", False),
    ],
)
def test_a_paper_step_the_buyer_dates_after_the_signature_moves_the_call(summary: str, omitted: bool) -> None:
    review = _paper(summary)
    assert (review.recommended_forecast.value == "omitted") is omitted


def _unmeasured() -> dict[str, Any]:
    data = healthy()
    data["meddpicc"]["metrics"] = {"status": "unknown"}
    data["activities"] = [a for a in data["activities"] if "ROI" not in (a["summary"] or "")]
    return data


@pytest.mark.parametrize(
    "summary",
    [
        "Discovery: ~6 hrs/wk per team chasing documents; the firm paid £2.3k of penalties for missed deadlines.",
        "Trial wrap: 40 requests sent, 31 back inside a week.",
        "Pilot readout: 37 cases logged, 2 escalations closed.",
    ],
)
def test_value_measured_in_a_trial_or_in_what_the_problem_costs_is_a_metric(summary: str) -> None:
    held = activity("2026-10-21", "call", summary, **{"with": ["Dana Lee"]})
    review = assess(parse_deal(with_activities(held, base=_unmeasured())))
    assert review.facts.elements["metrics"].grade >= 2


def _renewal(notes: str) -> dict[str, Any]:
    data = healthy()
    data["situation"] = "incumbent"
    data["competitors"] = []
    data["meddpicc"]["competition"] = {"status": "unknown"}
    data["notes"] = notes
    return data


def test_on_our_own_renewal_the_alternative_is_known() -> None:
    renewal = assess(parse_deal(_renewal("Renewal of the 2025 contract, 400 seats.")))
    assert not [f for f in renewal.findings if f.code == "meddpicc.competition" and f.severity.rank <= 2]
    assert not [f for f in renewal.findings if f.code == "anti.ignoring_competition"]
    # the same deal as an expansion we do not hold: the alternatives are unknown
    other = assess(parse_deal(_renewal("New division, first purchase.")))
    assert [f for f in other.findings if f.code == "meddpicc.competition"]


@pytest.mark.parametrize(
    "summary",
    [
        "Evaluation readout. Criteria 1-3 passed. #4 failed: our connector syncs in batches.",
        "Omar, in writing: criterion 4 is a fail, not a minor item.",
        "IT: the SSO requirement was not met in the test.",
        "Problem call: nine job records lost offline. Omar: criterion 3 is a must-have, no go-live without it.",
        "Release 4.12 is on the pilot devices; Omar will run the offline retest from 23 Nov.",
    ],
)
def test_a_criterion_the_buyer_failed_us_on_is_the_deals_story(summary: str) -> None:
    said = activity("2026-11-20", "email", summary, direction="inbound", **{"with": ["Omar Haddad"]})
    review = assess(parse_deal(with_activities(said)))
    criteria = next(f for f in review.findings if f.code == "meddpicc.decision_criteria")
    assert criteria.severity == Severity.HIGH and criteria.data.get("failed")
    passed = activity("2026-11-24", "email", "Omar: the retest passed, criterion 4 is green.", direction="inbound")
    again = assess(parse_deal(with_activities(said, {**passed, "with": ["Omar Haddad"]})))
    assert not any(f.data.get("failed") for f in again.findings)


def test_a_security_review_retest_is_the_paper_process_not_a_failed_criterion() -> None:
    said = activity(
        "2026-11-20",
        "email",
        "Security review: two high findings (SSO, a pen-test item); must be remediated and re-tested before signature",
        direction="inbound",
        **{"with": ["Omar Haddad"]},
    )
    review = assess(parse_deal(with_activities(said)))
    assert not any(f.data.get("failed") for f in review.findings)


def _signer_last_met(day: str, proposal: str) -> Any:
    data = copy.deepcopy(healthy())
    data["activities"] = [a for a in data["activities"] if "Priya Shah" not in a["with"]]
    data["activities"] += [
        activity(day, "meeting", "Kickoff with Priya: 'show me payback inside a year'", **{"with": ["Priya Shah"]}),
        activity(proposal, "proposal", "Proposal sent to Dana", **{"with": ["Dana Lee"]}),
    ]
    data["stakeholders"][1]["last_contact"] = day
    return assess(parse_deal(data))


def test_a_signer_met_once_before_the_price_went_out_has_not_seen_it() -> None:
    review = _signer_last_met("2026-08-19", "2026-11-02")
    eb = next(f for f in review.findings if f.code == "meddpicc.economic_buyer")
    assert eb.severity == Severity.HIGH and "not seen the price" in eb.title
    # the price went out two days ago: the review with the signer may still be ahead as planned
    fresh = _signer_last_met("2026-08-19", "2026-11-24")
    assert not any("not seen the price" in f.title for f in fresh.findings)


@pytest.mark.parametrize(
    ("summary", "omitted"),
    [
        ("Luc: 'let's do it.' He'll put it in the 2027 capex plan; the board approves the budget in February.", True),
        ("Priya: new software budget is committed until July, so a partnership is the way this season.", True),
        ("Priya: we're budgeting it for the 2027 plan.", True),
        ("Priya is buried in the 2027 budget, back to us after the 20th.", False),  # busy, not placing the purchase
        ("Priya: the renewal uplift is in the FY27 budget.", False),
        ("Priya: budget committed until December, then it's ours.", False),  # free before the 12/18 close
    ],
)
def test_the_buyer_placing_the_purchase_after_the_period_omits_the_deal(summary: str, omitted: bool) -> None:
    said = activity("2026-11-13", "call", summary, **{"with": ["Priya Shah", "Dana Lee"]})
    review = assess(parse_deal(with_activities(said)))
    assert (review.recommended_forecast.value == "omitted") is omitted, review.facts.timing.doubt


def test_a_procurement_benchmark_named_only_in_a_call_note_is_a_late_competitor() -> None:
    said = activity(
        "2026-11-18",
        "call",
        "Vendor pack walk-through. Procurement has asked Blue Yonder for an indicative price on the same scope.",
        **{"with": ["Dana Lee"]},
    )
    review = assess(parse_deal(with_activities(said)))
    late = next(f for f in review.findings if f.code == "momentum.competitor_late")
    assert "Blue Yonder" in late.title
    # a person asked for something is no vendor
    asked = activity(
        "2026-11-18", "call", "Asked Dana for the vendor pack and a proposal date.", **{"with": ["Dana Lee"]}
    )
    assert not [f for f in assess(parse_deal(with_activities(asked))).findings if f.code == "momentum.competitor_late"]


def test_one_meeting_with_the_signer_moved_to_another_day_keeps_best_case_open() -> None:
    moved = activity(
        "2026-11-20",
        "meeting",
        "Steering update moved from 11/26 to 12/2, Priya travelling.",
        status="rescheduled",
        direction="inbound",
        **{"with": ["Priya Shah", "Dana Lee"]},
    )
    review = assess(parse_deal(with_activities(moved)))
    assert review.recommended_forecast.value in ("commit", "best_case")
    assert not any("not engaged" in str(r) or "danger signals" in str(r) for r in review.forecast_reasons)


@pytest.mark.parametrize(
    "said",
    [
        "Priya: 'It doesn't change our decision; you are our selected vendor.'",
        "Steering decision in the room: proceed with us.",
        "Priya: 'We go with you.'",
    ],
)
def test_a_rivals_price_move_the_buyer_has_answered_is_watched_not_feared(said: str) -> None:
    move = activity(
        "2026-11-06",
        "email",
        "Dana forwarded (internal doc): Gong's revised offer - 40% off the subscription for 3 years.",
        direction="inbound",
        **{"with": ["Dana Lee"]},
    )
    chosen = activity("2026-11-19", "email", said, direction="inbound", **{"with": ["Priya Shah"]})
    base = healthy()
    base["competitors"] = [*base.get("competitors", []), {"name": "Gong", "status": "incumbent", "added": "2026-07-01"}]
    answered = assess(parse_deal(with_activities(move, chosen, base=base)))
    counter = next(f for f in answered.findings if f.code == "momentum.competitor_counter")
    assert counter.severity == Severity.MEDIUM
    assert answered.recommended_forecast.value == "commit"
    assert answered.health < 100  # its biggest problem is still one to raise
    open_move = assess(parse_deal(with_activities(move, base=base)))
    assert next(f for f in open_move.findings if f.code == "momentum.competitor_counter").severity == Severity.HIGH


def test_a_signer_the_record_shows_only_being_chased_has_not_been_met_whatever_the_note_says() -> None:
    data = healthy()
    data["activities"] = [a for a in data["activities"] if "Priya Shah" not in a["with"]]
    data["meddpicc"]["economic_buyer"] = {"status": "confirmed", "evidence": "Priya Shah, CFO - engaged and supportive"}
    data["activities"] += [
        activity(
            "2026-10-01",
            "email",
            "Intro email to Priya with the ROI one-pager. No reply.",
            direction="outbound",
            **{"with": ["Priya Shah"]},
        ),
        activity(
            "2026-11-10",
            "email",
            "Sent Priya the proposal summary, asked for 20 minutes.",
            direction="outbound",
            **{"with": ["Priya Shah"]},
        ),
    ]
    data["stakeholders"][1]["last_contact"] = "2026-11-10"
    review = assess(parse_deal(data))
    assert review.facts.elements["economic_buyer"].grade == 1
    first = ranked(list(review.findings))[0]
    assert first.code == "meddpicc.economic_buyer" and first.data.get("chased")
    assert review.recommended_forecast.value not in ("commit", "best_case")


def test_a_signer_who_approved_an_amount_and_holds_the_docusign_has_committed() -> None:
    """The signer's yes as an amount ("Peter approved $86k/yr"), read in its own sentence (the "why not Verafin"
    before it is a question, not a no), and the envelope "routed" to them: committed, and their late arrival is
    no danger signal."""
    from pathlib import Path

    from ae_coach.deal import load_deal

    path = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals" / "ridgemoor-cu-quiet-commit.yaml"
    deal = load_deal(path)
    result = assess(deal)
    assert result.facts.timing.committed and "signs 2026-12-10" in result.facts.timing.committed
    assert str(result.recommended_forecast) == "commit"
    late = [f for f in result.findings if f.code == "momentum.late_stakeholder"]
    assert all("Peter Lindgren" not in f.data.get("names", []) for f in late)
    unsure = deal.model_copy(
        update={
            "activities": [
                a.model_copy(update={"summary": "Peter did not approve $86k; wants Verafin's quote first."})
                if a.date.isoformat() == "2026-10-28"
                else a
                for a in deal.activities
            ]
        }
    )
    assert not assess(unsure).facts.timing.committed


def test_a_decision_waiting_on_someone_nobody_has_approached_is_not_dated() -> None:
    """ "She was supportive but wants the interim CDO's view first'. Ruth has not been approached": the decision
    waits on a step with no date, so the plan's signature date does not make a dated decision process."""
    from pathlib import Path

    from ae_coach.deal import load_deal

    path = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals"
    deal = load_deal(path / "tarnhelm-bank-no-exec-sponsor.yaml")
    result = assess(deal)
    assert result.facts.timing.decision_waits and "interim CDO" in result.facts.timing.decision_waits
    assert str(result.recommended_forecast) == "pipeline"
    approached = deal.model_copy(
        update={
            "activities": [
                a.model_copy(update={"summary": a.summary.replace("has not been approached", "meets us on 12/9")})
                if a.summary and "has not been approached" in a.summary
                else a
                for a in deal.activities
            ]
        }
    )
    assert not assess(approached).facts.timing.decision_waits


def test_going_ahead_with_you_is_a_verbal_commit_and_our_ask_is_not_the_champion_scheduling() -> None:
    assert Signal.VERBAL_COMMIT.value in _signals("Priya: 'Yes - we're going ahead with you.'")
    assert Signal.CHAMPION_SCHEDULED.value not in _signals("Asked Tobias to set up 30 min with Ana.")
    assert Signal.CHAMPION_SCHEDULED.value in _signals("Tobias set up 30 min with Ana for Thursday.")


def test_a_baseline_in_minutes_is_a_baseline() -> None:
    from ae_coach.coach._situation import baseline
    from analysis_builders import build

    deal = build(("meddpicc.metrics", {"status": "partial", "evidence": "MTTR 94 min; target under 45"}))
    assert baseline(deal) == "MTTR 94 min; target under 45"


def test_the_buyers_review_process_described_is_not_a_review_started() -> None:
    described = "Nate: 'Any new vendor touching claimant PII goes through TPRM - questionnaire, pen test, DPA review.'"
    assert Signal.LEGAL_SECURITY_REVIEW.value not in _signals(described)
    assert Signal.LEGAL_SECURITY_REVIEW.value in _signals("Nate sent the security questionnaire back with two notes.")
