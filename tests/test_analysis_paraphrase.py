"""The same fact in another rep's words reads the same (the paraphrase probe, issue 12: evals/calibration
``batch-2026-12-04p``). Each row pairs the phrasing the reader was tuned on with a rewording of it, and a
near miss that must stay quiet."""

from __future__ import annotations

import pytest

from ae_coach.deal import Signal, parse_deal
from ae_coach.inspector import assess, text
from ae_coach.inspector.facts import paper_step
from analysis_builders import by_code, healthy


@pytest.mark.parametrize(
    ("summary", "read"),
    [
        ("Contract sent to their outside counsel", True),
        ("Contract gone to their external lawyers", True),
        ("Sent to the buyer's attorneys for review", True),
        ("Lunch with the sales team", False),
    ],
)
def test_legal_review_in_other_words(summary: str, read: bool) -> None:
    assert (Signal.LEGAL_SECURITY_REVIEW in text.detect(summary)) is read


@pytest.mark.parametrize(
    ("summary", "done"),
    [
        ("Legal finished; contract with Carol for signature", True),
        ("Legal's done; Carol has the contract to sign", True),
        ("Legal wrapped up the MSA", True),
        ("Legal hasn't finished the MSA", False),
        ("SVP OK with the range, final number to come once procurement's done", False),
        ("Signature waits until legal is done", False),
    ],
)
def test_paper_complete_in_other_words(summary: str, done: bool) -> None:
    assert (Signal.PAPER_COMPLETE in text.detect(summary)) is done


@pytest.mark.parametrize(
    ("summary", "tour"),
    [
        ("2.5-hour demo of all modules", True),
        ("Demoed every module over 2.5 hrs", True),
        ("Standard demo plus Dentrix sync", True),
        ("Ran the usual demo", True),
        ("Demo of the SBA 7(a) intake they asked about", False),
    ],
)
def test_a_feature_tour_in_other_words(summary: str, tour: bool) -> None:
    assert (text.find(text.FEATURE_TOUR, summary) is not None) is tour


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("Signed the order form 11-05", True),
        ("Managing partner signed off on the spend on the call", False),  # an approval said, not a document
    ],
)
def test_signed_off_is_not_a_written_artefact(note: str, written: bool) -> None:
    assert (text.find(text.WRITTEN_ARTEFACT, note) is not None) is written


@pytest.mark.parametrize(
    ("action", "paper"),
    [
        ("Legal redlines", True),
        ("Security review complete", True),
        ("MSA signed", True),
        ("Signature", False),
        ("Contract signed", False),  # the signature, however it is worded
        ("Sign the order form", False),
    ],
)
def test_the_signature_is_not_a_paper_step(action: str, paper: bool) -> None:
    assert paper_step(action) is paper


def test_a_late_signature_worded_as_the_contract_is_not_stuck_paper() -> None:
    data = healthy()
    data["mutual_action_plan"][2].update(action="Contract signed", status="late", date="2026-11-20")
    found = by_code(parse_deal(data)).get("meddpicc.paper_process")
    assert found is None or "stuck" not in found.data


@pytest.mark.parametrize(
    "summary",
    [
        "Omar: IT security intake submitted, their SLA is 3-4 weeks",
        "Omar says the security intake went in; SLA 3-4 wks",
    ],
)
def test_a_paper_timeline_in_abbreviated_units(summary: str) -> None:
    data = healthy()
    data["activities"].append({"date": "2026-11-21", "type": "call", "with": ["Omar Haddad"], "summary": summary})
    assert "stuck" in by_code(parse_deal(data))["meddpicc.paper_process"].data


@pytest.mark.parametrize(
    ("summary", "quantified"),
    [
        ("Gail's target: cost per invoice under $2 and close in 4 days instead of 7", True),
        ("Gail wants cost/invoice below $2 and a 4-day close vs 7 today", True),
        ("Wants pricing for 6 sites; prefers invoice rather than card", False),
    ],
)
def test_a_metric_the_buyer_set_in_other_words(summary: str, quantified: bool) -> None:
    data = healthy()
    data["meddpicc"]["metrics"] = {"status": "unknown"}
    data["activities"].append({"date": "2026-11-21", "type": "meeting", "with": ["Priya Shah"], "summary": summary})
    assert (assess(parse_deal(data)).facts.elements["metrics"].grade >= 2) is quantified
