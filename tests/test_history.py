"""Deal memory: reviews kept, "what changed" since the last one, history commands, chat --continue."""

from __future__ import annotations

import copy
import io
import json
import sqlite3

import pytest

from ae_coach.cli import main
from ae_coach.deal import parse_deal
from ae_coach.history import SCHEMA_VERSION, Store, compare
from ae_coach.history._db import connect
from ae_coach.history._schema import migrate
from ae_coach.history.model import ActionRef, FindingRef, PersonRef, ReviewRecord
from ae_coach.history.review import assessed_record
from ae_coach.inspector import assess
from coach_deals import NORTHWIND, model_answer, write_deal
from messages_server import json_message, message

WEEK_LATER = "2026-12-10"


def edited(deal: dict) -> dict:
    """The deal two weeks on: close date pushed, the CFO met with the champion, Dana's old meeting gone by."""
    deal = copy.deepcopy(deal)
    deal["as_of"] = WEEK_LATER
    deal["close_date"] = "2027-01-31"
    deal["stakeholders"][1] = {
        "name": "Ravi Patel",
        "title": "CFO",
        "role": "economic_buyer",
        "engaged": True,
        "last_contact": "2026-12-03",
    }
    deal["stakeholders"].append({"name": "Mia Wong", "title": "Security lead", "role": "technical_buyer"})
    deal["activities"].append(
        {"date": "2026-12-03", "type": "meeting", "with": ["Dana Lee", "Ravi Patel"], "summary": "CFO saw the ROI"}
    )
    deal["history"] = [{"date": "2026-12-03", "field": "close_date", "from": "2026-12-15", "to": "2027-01-31"}]
    return deal


def review_json(capsys, path, *extra) -> dict:
    rc = main(["review", str(path), "--format", "json", "--backend", "offline", *extra])
    out, err = capsys.readouterr()
    assert rc == 0, err
    return json.loads(out)


@pytest.fixture
def two_reviews(tmp_path, capsys):
    """The same deal file reviewed, edited, reviewed again; returns both JSON documents."""
    path = write_deal(tmp_path)
    first = review_json(capsys, path)
    write_deal(tmp_path, edited(NORTHWIND))
    second = review_json(capsys, path)
    return first, second


# --- the "done when": two snapshots, history lists both --------------------------------------------------


def test_first_review_has_no_since(tmp_path, capsys):
    assert review_json(capsys, write_deal(tmp_path))["since"] is None


def test_second_review_shows_what_changed(two_reviews):
    first, second = two_reviews
    since = second["since"]
    assert since["previous_as_of"] == "2026-11-26" and since["days"] == 14 and not since["same_snapshot"]
    assert since["health_before"] == first["report"]["health"]["score"]
    assert since["health_after"] == second["report"]["health"]["score"]
    assert since["health_delta"] == since["health_after"] - since["health_before"]
    assert (since["close_date_before"], since["close_date_after"]) == ("2026-12-15", "2027-01-31")
    assert since["call_before"] == first["report"]["forecast"]["category"]
    resolved = {f["code"] for f in since["resolved_findings"]}
    assert "meddpicc.economic_buyer" in resolved
    assert {f["code"] for f in since["new_findings"]} == {
        f["code"] for f in second["findings"] if f["severity"] != "info"
    } - {f["code"] for f in first["findings"]}
    assert [p["name"] for p in since["new_stakeholders"]] == ["Mia Wong"]
    done = [a for a in since["actions"] if a["status"] == "done"]
    assert done and all(a["evidence"].startswith(f"2026-12-03 meeting with {a['person']}") for a in done)
    assert "Dana Lee" in {a["person"] for a in done}
    assert [p["as_of"] for p in since["trend"]] == ["2026-11-26", WEEK_LATER]


def test_history_lists_both_reviews(two_reviews, capsys):
    assert main(["history", "northwind-test", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["as_of"] for r in records] == [WEEK_LATER, "2026-11-26"]  # newest first
    assert records[0]["rulebook_hash"] and records[0]["snapshot_hash"] != records[1]["snapshot_hash"]
    assert all(r["backend"] == "offline" and r["cost_usd"] is None for r in records)
    assert main(["history"]) == 0
    listing = capsys.readouterr().out
    assert "northwind-test" in listing and " 2 " in listing


def test_history_takes_a_deal_file_and_shows_one_review(two_reviews, tmp_path, capsys):
    assert main(["history", str(tmp_path / "northwind.yaml")]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:3] == ["id", "as_of", "health"] and WEEK_LATER in table
    first_id = table.splitlines()[-1].split()[0]
    assert main(["history", "--show", first_id]) == 0
    shown = capsys.readouterr().out
    assert "as of 2026-11-26" in shown and "Next actions:" in shown
    assert main(["history", "--show", "999"]) == 2


def test_terminal_markdown_and_html_show_the_since_block(two_reviews, tmp_path, capsys):
    path = tmp_path / "northwind.yaml"
    for fmt, marker in (("terminal", "Since 2026-11-26 (14 days)"), ("markdown", "## Since 2026-11-26 (14 days)")):
        assert main(["review", str(path), "--format", fmt, "--no-log"]) == 0
        out = capsys.readouterr().out
        assert marker in out and "Close date pushed: 2026-12-15 → 2027-01-31" in out
    assert main(["review", str(path), "--format", "html", "--no-log"]) == 0
    page = capsys.readouterr().out
    assert '<svg class="sparkline"' in page and "<polyline" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>")[0]  # inline: no external asset


def test_rerunning_the_same_review_compares_with_the_state_before(two_reviews, tmp_path, capsys):
    again = review_json(capsys, tmp_path / "northwind.yaml")
    assert again["since"]["previous_as_of"] == "2026-11-26"


def test_same_file_reviewed_later_says_it_was_not_edited(tmp_path, capsys):
    path = write_deal(tmp_path)
    review_json(capsys, path)
    later = review_json(capsys, path, "--as-of", WEEK_LATER)
    assert later["since"]["same_snapshot"] and later["since"]["days"] == 14


def test_no_log_reads_the_history_but_does_not_write_it(tmp_path, capsys):
    path = write_deal(tmp_path)
    review_json(capsys, path, "--no-log")
    with Store() as store:
        assert store.reviews() == []
    review_json(capsys, path)
    assert review_json(capsys, path, "--as-of", WEEK_LATER, "--no-log")["since"] is not None
    with Store() as store:
        assert len(store.reviews()) == 1


def test_redacted_reviews_are_stored_pseudonymised_and_compared_by_real_name(tmp_path, capsys):
    path = write_deal(tmp_path)
    review_json(capsys, path, "--redact")
    with Store() as store:
        (stored,) = store.reviews()
    text = stored.model_dump_json()
    assert stored.redacted and "Dana" not in text and "dana.lee@" not in text and "Person 1" in text
    write_deal(tmp_path, edited(NORTHWIND))
    since = review_json(capsys, path)["since"]
    assert any(a["person"] == "Dana Lee" and a["status"] == "done" for a in since["actions"])
    assert [p["name"] for p in since["new_stakeholders"]] == ["Mia Wong"]


def test_export_writes_every_review_and_chat_as_jsonl(two_reviews, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("who signs?\n"))
    assert main(["chat", str(tmp_path / "northwind.yaml"), "--backend", "offline"]) == 0
    target = tmp_path / "out.jsonl"
    assert main(["history", "--export", str(target)]) == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["review", "review", "chat"]
    assert lines[0]["as_of"] == "2026-11-26" and lines[2]["turns"][0]["text"] == "who signs?"
    assert "wrote 3 records" in capsys.readouterr().err


# --- the model's prompt ------------------------------------------------------------------------------------


def test_the_model_prompt_carries_the_since_block(api, tmp_path, capsys):
    server = api(json_message(model_answer()), json_message(model_answer()))
    path = write_deal(tmp_path)
    assert main(["review", str(path), "--backend", "anthropic"]) == 0
    write_deal(tmp_path, edited(NORTHWIND))
    assert main(["review", str(path), "--backend", "anthropic", "--redact"]) == 0
    capsys.readouterr()
    first, second = (json.dumps(r.body) for r in server.requests)
    assert "Since the previous review" not in first
    assert "Since the previous review (2026-11-26, 14 days earlier" in second
    assert "Close date: 2026-12-15 -> 2027-01-31" in second
    assert "Mia Wong" not in second and "New stakeholder: Person " in second  # --redact covers the block too
    with Store() as store:
        assert [r.backend for r in store.reviews()] == ["anthropic", "anthropic"]


# --- what changed: the comparison itself -------------------------------------------------------------------


def _record(data: dict, **changes) -> tuple[ReviewRecord, object]:
    deal = parse_deal(data)
    assessment = assess(deal)
    return assessed_record(deal, assessment, "rb").model_copy(update=changes), assessment.facts


@pytest.mark.parametrize(
    ("contact", "due", "status"),
    [
        ("Dana Lee (champion)", "2026-12-01", "done"),  # the 2026-12-03 meeting, within the grace week
        ("Ravi Patel (CFO)", "2026-12-01", "done"),
        ("Dana Lee (champion)", "2026-11-20", "missed"),  # due long before the meeting: it did not happen in time
        ("Mia Wong (technical buyer)", "2026-12-20", "open"),
        ("Mia Wong (technical buyer)", "2026-12-01", "missed"),
        (None, "2026-12-01", "unverifiable"),
    ],
)
def test_last_reviews_actions_are_checked_against_the_record(contact, due, status):
    previous, _ = _record(NORTHWIND)
    action = ActionRef(action="do it", owner="Sam Rivera", contact=contact, due=due)
    previous = previous.model_copy(update={"actions": [action]})
    current, facts = _record(edited(NORTHWIND))
    (outcome,) = compare(previous, current, facts, []).actions
    assert outcome.status == status


def test_a_booked_meeting_counts_as_scheduled():
    later = edited(NORTHWIND)
    later["activities"].append({"date": "2026-12-14", "type": "meeting", "status": "scheduled", "with": ["Mia Wong"]})
    previous, _ = _record(NORTHWIND)
    previous = previous.model_copy(
        update={"actions": [ActionRef(action="meet security", owner="Mia Wong", due="2026-12-05")]}
    )
    current, facts = _record(later)
    (outcome,) = compare(previous, current, facts, []).actions
    assert outcome.status == "scheduled" and outcome.evidence == "2026-12-14 meeting with Mia Wong"


@pytest.mark.parametrize(("last_two_way", "silent"), [("2026-11-20", True), ("2026-09-01", False), (None, False)])
def test_silent_stakeholders(last_two_way, silent):
    previous, _ = _record(NORTHWIND)
    people = [PersonRef(name="Dana Lee", role="champion", last_two_way=last_two_way)]
    previous = previous.model_copy(update={"people": people})
    current, facts = _record({**NORTHWIND, "as_of": WEEK_LATER})
    current = current.model_copy(update={"people": [PersonRef(name="Dana Lee", role="champion", last_two_way=None)]})
    assert bool(compare(previous, current, facts, []).silent_stakeholders) is silent


def test_a_contact_since_the_last_review_is_not_silence():
    previous, _ = _record(NORTHWIND)
    previous = previous.model_copy(
        update={"people": [PersonRef(name="Dana Lee", role="champion", last_two_way="2026-11-20")]}
    )
    current, facts = _record(edited(NORTHWIND))
    assert compare(previous, current, facts, []).silent_stakeholders == []


def test_a_finding_that_changes_severity_is_a_change_and_info_findings_are_no_movement():
    previous, facts = _record(NORTHWIND)
    worst = previous.findings[0]
    moved = worst.model_copy(update={"severity": "low" if worst.severity != "low" else "medium"})
    info = FindingRef(code="positive.references_requested", severity="info", title="References requested")
    current = previous.model_copy(update={"findings": [moved, *previous.findings[1:], info]})
    since = compare(previous, current, facts, [])
    assert [(c.code, c.before, c.after) for c in since.changed_findings] == [
        (worst.code, worst.severity, moved.severity)
    ]
    assert since.new_findings == [] and since.resolved_findings == []


# --- chat --continue ---------------------------------------------------------------------------------------


def test_chat_turns_are_kept_and_continue_resumes_the_last_conversation(tmp_path, capsys, monkeypatch):
    path = write_deal(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("who is the economic buyer?\n"))
    assert main(["chat", str(path), "--backend", "offline"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("and the close date?\n"))
    assert main(["chat", str(path), "--backend", "offline", "--continue"]) == 0
    capsys.readouterr()
    with Store() as store:
        chat = store.last_chat("northwind-test")
    assert chat is not None
    assert [(t.role, t.text) for t in chat.turns][::2] == [
        ("user", "who is the economic buyer?"),
        ("user", "and the close date?"),
    ]
    assert [t.role for t in chat.turns] == ["user", "assistant"] * 2


def test_continue_resends_the_model_conversation(api, tmp_path, capsys, monkeypatch):
    server = api(message("Get Dana to book the CFO."), message("Ask Ravi directly."))
    path = write_deal(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("how do I reach the CFO?\n"))
    assert main(["chat", str(path), "--backend", "anthropic"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("and if Dana stalls?\n"))
    assert main(["chat", str(path), "--backend", "anthropic", "--continue"]) == 0
    capsys.readouterr()
    first, second = (r.body["messages"] for r in server.requests)
    texts = [[b["text"] for b in m["content"]] for m in (first[0], second[0])]
    assert texts[0] == texts[1]  # the first turn re-sent as it was, so the cached prefix still matches
    assert len(second) == 3 and second[1] == {"role": "assistant", "content": "Get Dana to book the CFO."}
    assert "<deal_data>" in json.dumps(second[0]) and "and if Dana stalls?" in json.dumps(second[2])


def test_continue_without_a_conversation_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("hi\n"))
    assert main(["chat", str(write_deal(tmp_path)), "--backend", "offline", "--continue"]) == 2
    assert "no earlier conversation about 'northwind-test'" in capsys.readouterr().err


def test_redacted_chat_is_stored_redacted_and_resumed_with_names(tmp_path, capsys, monkeypatch):
    path = write_deal(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("Should Dana Lee take this to the CFO?\n"))
    assert main(["chat", str(path), "--backend", "offline", "--redact"]) == 0
    with Store() as store:
        chat = store.last_chat("northwind-test")
    assert chat is not None and chat.redacted
    assert all("Dana" not in t.text and "Dana" not in json.dumps(t.message) for t in chat.turns)
    from ae_coach.coach import Coach
    from ae_coach.history import resume

    with Store() as store:
        found = resume(store, parse_deal(NORTHWIND), Coach("offline"))
    assert found is not None and found[1].turns[0]["text"] == "Should Dana Lee take this to the CFO?"


# --- pipeline movement -------------------------------------------------------------------------------------


def test_pipeline_shows_movement_since_the_last_run(tmp_path, capsys):
    folder = tmp_path / "pipeline"
    folder.mkdir()
    write_deal(folder)
    other = {**copy.deepcopy(NORTHWIND), "id": "contoso", "account": "Contoso"}
    write_deal(folder, other, name="contoso.yaml")
    assert main(["pipeline", str(folder), "--as-of", "2026-11-26", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["since_last_run"] is None
    write_deal(folder, edited(NORTHWIND))
    (folder / "contoso.yaml").unlink()
    assert main(["pipeline", str(folder), "--as-of", WEEK_LATER, "--format", "json"]) == 0
    movement = json.loads(capsys.readouterr().out)["since_last_run"]
    changes = {m["id"]: m for m in movement["deals"]}
    assert changes["contoso"]["change"] == "gone"
    assert changes["northwind-test"]["change"] == "moved"
    assert changes["northwind-test"]["close_date_after"] == "2027-01-31"
    assert main(["pipeline", str(folder), "--as-of", WEEK_LATER]) == 0
    assert "Since the last run (as of 2026-12-10): 0 deals moved, 1 unchanged" in capsys.readouterr().out
    assert main(["pipeline", "diff", "--help"]) == 0  # kept for two exports


# --- the store: schema, migrations, bad stores -------------------------------------------------------------


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path, capsys, monkeypatch):
    target = tmp_path / "h.db"
    monkeypatch.setenv("AE_COACH_DB", str(target))
    Store(target).close()
    with sqlite3.connect(target) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert "schema version 99" in err and "upgrade ae-coach" in err and "Traceback" not in err
    assert main(["review", str(write_deal(tmp_path)), "--backend", "offline"]) == 2


def test_a_file_that_is_not_a_store_is_an_input_error(tmp_path, capsys, monkeypatch):
    target = tmp_path / "h.db"
    target.write_text("not sqlite at all, just text " * 100)
    monkeypatch.setenv("AE_COACH_DB", str(target))
    assert main(["history"]) == 2
    assert str(target) in capsys.readouterr().err


def test_an_old_store_is_migrated_and_keeps_its_reviews(tmp_path):
    target = tmp_path / "old.db"
    db = connect(target)
    assert migrate(db, upto=1) == 1
    db.close()
    db = connect(target)
    with db.write():
        db.rows(
            "INSERT INTO reviews (deal_id, account, as_of, recorded_at, snapshot_hash, stage, health, call, backend, "
            "rulebook_hash, redacted, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ("d1", "Acme", "2026-11-01", "2026-11-01T10:00:00+00:00", "h", "validation", 61, "pipeline", "offline",
             "rb", 0, json.dumps({"findings": [], "actions": [], "people": [], "report": {}})),
        )  # fmt: skip
    db.close()
    with Store(target) as store:
        assert [r.health for r in store.reviews("d1")] == [61]
        assert store.last_chat("d1") is None and store.last_pipeline_run("x") is None  # tables from 2 and 3
    db = connect(target)
    assert db.one("SELECT value FROM meta WHERE key = 'schema_version'") == (str(SCHEMA_VERSION),)
    db.close()


def test_sqlite_store_runs_in_wal_mode(tmp_path):
    with Store(tmp_path / "h.db") as store:
        assert store.db.one("PRAGMA journal_mode") == ("wal",)


def test_contact_after_the_grace_week_is_not_said_to_be_no_activity():
    # Dana's action was due 2026-11-20; the meeting with her came on 2026-12-03, after the grace week: the action
    # was missed, but "no activity with Dana Lee since …" would be false (a blind VP grade caught it)
    previous, _ = _record(NORTHWIND)
    action = ActionRef(action="do it", owner="Sam Rivera", contact="Dana Lee (champion)", due="2026-11-20")
    previous = previous.model_copy(update={"actions": [action]})
    current, facts = _record(edited(NORTHWIND))
    (outcome,) = compare(previous, current, facts, []).actions
    assert outcome.status == "missed"
    assert outcome.evidence.startswith("not by 2026-11-27: the next activity with Dana Lee was on ")
