"""Redaction: people and emails pseudonymised before a model sees them, restored afterwards."""

from __future__ import annotations

from ae_coach.coach.redact import Redactor
from ae_coach.coach.report import CoachingReport
from ae_coach.deal import parse_deal
from coach_deals import NORTHWIND


def deal():
    return parse_deal(
        {
            **NORTHWIND,
            "owner": "Sam Rivera",
            "mutual_action_plan": [
                {"date": "2026-12-02", "action": "CFO review", "owner": "Ravi Patel"},
                {"date": "2026-12-03", "action": "Kickoff", "owner": "customer"},
            ],
        }
    )


def test_every_person_and_email_is_replaced_everywhere():
    original = deal()
    redacted = Redactor(original).redact(original)
    text = redacted.model_dump_json(by_alias=True)
    for secret in ("Dana", "Lee", "Ravi", "Patel", "Sam Rivera", "dana.lee@northwind.example"):
        assert secret not in text
    assert redacted.stakeholders[0].name == "Person 1"
    assert redacted.activities[0].with_ == ["Person 1"]
    assert redacted.next_step.owner == "Person 1"
    assert redacted.mutual_action_plan[1].owner == "customer"  # a side, not a person
    assert "Northwind Traders" in text and "Clari" in text  # companies stay
    assert "@redacted.invalid" in redacted.notes


def test_round_trip_restores_the_original():
    original = deal()
    activities = [a.model_copy(update={"summary": "Dana Lee will run this by Ravi Patel"}) for a in original.activities]
    original = original.model_copy(
        update={"notes": "Dana Lee says Ravi Patel loves it; mail dana.lee@northwind.example", "activities": activities}
    )
    redactor = Redactor(original)
    assert redactor.restore(redactor.redact(original)) == original


def test_a_first_name_alone_comes_back_as_the_full_name():
    original = deal()
    redactor = Redactor(original)
    assert redactor.restore(redactor.redact(original)).notes.startswith("Dana Lee says Ravi Patel loves it.")


def test_restore_maps_pseudonyms_in_model_text_back_to_full_names():
    redactor = Redactor(deal())
    assert redactor.restore_text("Ask Person 1 to bring Person 2.") == "Ask Dana Lee to bring Ravi Patel."
    assert redactor.restore_text("Person 12 is not a person here") == "Person 12 is not a person here"


def test_restore_works_on_a_report():
    redactor = Redactor(deal())
    report = CoachingReport.model_validate(
        {
            "account": "Northwind Traders",
            "as_of": "2026-11-26",
            "backend": "anthropic",
            "headline": "Person 1 needs Person 2",
            "health": {"score": 40, "reasons": []},
            "forecast": {"category": "best_case"},
        }
    )
    assert redactor.restore(report).headline == "Dana Lee needs Ravi Patel"


def test_streamed_pseudonyms_split_across_chunks_are_restored():
    redactor = Redactor(deal())
    chunks = ["Call Per", "son", " 1 and ", "Person 2", "."]
    assert "".join(redactor.restore_stream(iter(chunks))) == "Call Dana Lee and Ravi Patel."
    one_by_one = list("Person 2 then Person 1")
    assert "".join(redactor.restore_stream(iter(one_by_one))) == "Ravi Patel then Dana Lee"


def test_no_people_means_nothing_changes():
    bare = parse_deal({"account": "Acme", "stage": "discovery", "notes": "call the main line"})
    redactor = Redactor(bare)
    assert redactor.redact(bare) == bare and redactor.restore_text("Person 1") == "Person 1"
