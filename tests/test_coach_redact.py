"""Redaction: people and emails pseudonymised before a model sees them, restored afterwards."""

from __future__ import annotations

import json
import re

import pytest

from ae_coach.cli import main
from ae_coach.coach.redact import Redactor
from ae_coach.coach.report import CoachingReport
from ae_coach.deal import parse_deal
from coach_deals import NORTHWIND, model_answer, write_deal
from messages_server import json_message, message


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


# --- issue 17: what --redact covers, checked on the request that actually leaves ------------------------

EMAILS = ["dana.lee@northwind.example", "ravi@localhost", "o'brien+deals@mail.northwind.co.uk", "sam@[10.0.0.7]"]
PHONES = ["+44 20 7946 0958", "(415) 555-0199", "415.555.0142", "+4915112345678"]
HOSTILE = {
    **NORTHWIND,
    "id": "northwind-dana-lee-renewal",
    "owner": "Sam Rivera",
    "mutual_action_plan": [{"date": "2026-12-02", "action": "CFO review", "owner": "Ravi Patel"}],
    "history": [
        {"date": "2026-10-01", "field": "stakeholders", "from": {"Ravi Patel": "unknown"}, "to": {"RAVI PATEL": "eb"}}
    ],
    "notes": (
        "DANA LEE says ravi patel loves it; dana will call. Cc sam rivera.\n"
        f"Mail {', '.join(EMAILS)}. Phones: {', '.join(PHONES)}. Deal northwind-dana-lee-renewal.\n"
    ),
}
IDENTIFIERS = ["Dana", "Lee", "Ravi", "Patel", "Sam", "Rivera", "northwind-dana-lee-renewal", *EMAILS, *PHONES]


def leaked(body: str) -> list[str]:
    """Every identifier of the deal that occurs in ``body``, in any letter case, as a whole word."""
    return [i for i in IDENTIFIERS if re.search(rf"(?<!\w){re.escape(i)}(?!\w)", body, re.IGNORECASE)]


def sent(server) -> str:
    """What the first request carried about the deal: its messages (the system prompt is the rulebook, whose
    worked examples have people of their own), as the JSON that went over the wire."""
    return json.dumps(server.requests[0].body["messages"], ensure_ascii=False)


def test_review_request_holds_no_identifier_of_the_deal(api, capsys, tmp_path):
    server = api(json_message(model_answer()))
    code = main(["review", str(write_deal(tmp_path, HOSTILE)), "--backend", "anthropic", "--redact", "--no-log"])
    out = capsys.readouterr()
    assert code == 0, out.err
    body = sent(server)
    assert leaked(body) == [], leaked(body)
    assert "Person 1" in body and "email1@redacted.invalid" in body and "phone 1" in body


def test_chat_request_holds_no_identifier_even_from_the_question(api, capsys, tmp_path, monkeypatch):
    import io

    server = api(message("Ask Person 2 about budget; mail email2@redacted.invalid."))
    monkeypatch.setattr("sys.stdin", io.StringIO("should I email RAVI at +1 212 555 0100 or dana?\n"))
    code = main(["chat", str(write_deal(tmp_path, HOSTILE)), "--backend", "anthropic", "--redact", "--no-log"])
    out = capsys.readouterr()
    assert code == 0, out.err
    body = sent(server)
    assert leaked(body) == [] and "212 555 0100" not in body
    assert "Ravi Patel" in out.out  # restored for the AE


def test_pipeline_summary_request_holds_no_owner_or_id(api, capsys):
    from test_pipeline_narrative import ARGS, REPORT, answer

    pick = {"deal_id": "deal-1", "account": "", "why": "Ask Person 1 for the date.", "rule_ids": []}
    server = api(json_message(answer(inspect_first=[pick], headline="Start with deal-1 and Person 1.")))
    code = main(["pipeline", str(REPORT), *ARGS, "--redact", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    body = sent(server)
    import csv

    rows = [r for r in csv.DictReader(REPORT.open(encoding="utf-8")) if (r.get("Opportunity ID") or "")[:3] == "006"]
    owners = {r["Opportunity Owner"] for r in rows}
    assert len(owners) >= 3 and not [o for o in owners if o.casefold() in body.casefold()], owners
    assert "0065g00000NwA" not in body and "deal-1" in body and "Person 1" in body
    summary = json.loads(out.out)["coach_summary"]  # pseudonyms restored: a real id and a real owner
    (first,) = summary["inspect_first"]
    assert first["deal_id"].startswith("0065g00000NwA") and first["deal_id"] in summary["headline"]
    assert "Person 1" not in json.dumps(summary) and any(o in first["why"] for o in owners)


def test_extract_request_holds_no_email_or_phone_and_the_draft_has_them_back(api, capsys, tmp_path):
    from test_extract import extraction

    notes = tmp_path / "notes.txt"
    notes.write_text("Call with Northwind Traders. Reach Dana at dana.lee@northwind.example or +44 20 7946 0958.\n")
    server = api(json_message(extraction(next_step={"action": "Mail email1@redacted.invalid", "owner": "AE"})))
    code = main(["extract", str(notes), "--redact", "-o", str(tmp_path / "deal.yaml")])
    out = capsys.readouterr()
    assert code == 0, out.err
    body = sent(server)
    assert "dana.lee@northwind.example" not in body and "7946" not in body
    assert "dana.lee@northwind.example" in (tmp_path / "deal.yaml").read_text()


def test_a_person_named_only_in_the_notes_is_found_with_the_names_extra(api, capsys, tmp_path, monkeypatch):
    """The names extra's detector, through spaCy itself: a pipeline that knows one name, saved as a model."""
    spacy = pytest.importorskip("spacy")
    from ae_coach.coach import redact

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Priya Raman"}])
    nlp.to_disk(tmp_path / "model")
    monkeypatch.setenv(redact.NER_MODEL_ENV, str(tmp_path / "model"))
    redact.name_detector.cache_clear()
    try:
        deal = {**NORTHWIND, "notes": "Priya Raman from procurement wants the MSA. Priya is new."}
        server = api(json_message(model_answer()))
        code = main(["review", str(write_deal(tmp_path, deal)), "--backend", "anthropic", "--redact", "--no-log"])
        assert code == 0, capsys.readouterr().err
        body = sent(server)
        assert "Priya" not in body and "Raman" not in body
    finally:
        redact.name_detector.cache_clear()


def test_without_a_name_model_detection_is_off(monkeypatch, tmp_path):
    from ae_coach.coach import redact

    monkeypatch.setenv(redact.NER_MODEL_ENV, str(tmp_path / "no-such-model"))
    redact.name_detector.cache_clear()
    try:
        assert redact.Redactor().detect_names is False and redact.detect_people(["Priya Raman"]) == []
    finally:
        redact.name_detector.cache_clear()


@pytest.mark.parametrize("text", ["on 2026-11-26", "for $120,000", "120 000 units", "PO 4500012345", "v1.2.3"])
def test_dates_amounts_and_numbers_are_not_phones(text):
    assert Redactor().redact_text(text) == text
