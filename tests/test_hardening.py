"""Issue 17: hostile files, injection, streaming faults, privacy and data safety.

Each test is named for the defect it pins; every one failed before its fix. Bad input must end as exit 2
with a message naming the file (and line or field where there is one), a model failure as exit 3, and
never a traceback.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ae_coach.cli import main
from coach_deals import NORTHWIND, write_deal

CRM = Path(__file__).parent / "fixtures" / "crm"
REPORT = CRM / "salesforce_report.csv"

# About 500 bytes, like the audit's: nine levels of ten aliases expand to 10^9 values.
ALIAS_BOMB = (
    "x0: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + "".join(f"x{i + 1}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    + "deals:\n  - {account: A, stage: discovery, notes: *i}\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys, *argv: str, seconds: float = 5.0) -> str:
    """Run a command that must refuse its input: exit 2, a one-line-ish message, quickly, no traceback."""
    started = time.perf_counter()
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert "Traceback" not in err and err.startswith("error: ")
    assert time.perf_counter() - started < seconds
    return err


# --- 1. unbounded YAML outside deal files ---------------------------------------------------------------


def test_alias_bomb_in_a_deal_list_is_refused(capsys, tmp_path):
    bomb = tmp_path / "deals.yaml"
    bomb.write_text(ALIAS_BOMB)
    err = refused(capsys, "pipeline", bomb)
    assert "deals.yaml" in err and "refused" in err


def test_alias_bomb_in_pipeline_diff_is_refused(capsys, tmp_path):
    bomb = tmp_path / "old.yaml"
    bomb.write_text(ALIAS_BOMB)
    assert "refused" in refused(capsys, "pipeline", "diff", bomb, REPORT)


def test_alias_bomb_in_a_mapping_file_is_refused(capsys, tmp_path):
    bomb = tmp_path / "mapping.yaml"
    bomb.write_text(ALIAS_BOMB)
    err = refused(capsys, "pipeline", REPORT, "--mapping", bomb)
    assert "mapping.yaml" in err and "refused" in err


def test_validation_message_never_builds_the_repr_of_a_huge_value():
    from ae_coach.deal import parse_deal
    from ae_coach.errors import DealFileError

    value: list = ["x" * 50] * 10
    for _ in range(9):
        value = [value] * 10  # 10^10 leaves if printed in full
    started = time.perf_counter()
    with pytest.raises(DealFileError) as caught:
        parse_deal({"account": "A", "stage": "discovery", "name": value})
    assert time.perf_counter() - started < 2 and len(str(caught.value)) < 400


# --- 7. dates near year 1 or 9999 -----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["close_date", "created", "as_of"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_at_load(capsys, tmp_path, field, day):
    path = write_deal(tmp_path, {**NORTHWIND, field: day})
    err = refused(capsys, "review", path, "--backend", "offline")
    assert field in err and "1900-01-01" in err and ":" in err.split(field)[0]


def test_an_activity_dated_year_9999_names_its_field(capsys, tmp_path):
    deal = {**NORTHWIND, "activities": [{"date": "9999-12-31", "summary": "far future"}]}
    assert "activities[0].date" in refused(capsys, "review", write_deal(tmp_path, deal), "--backend", "offline")


def test_as_of_option_out_of_range_is_a_usage_error(capsys, tmp_path):
    assert "--as-of" in refused(capsys, "review", write_deal(tmp_path, NORTHWIND), "--as-of", "9999-12-31")


def test_csv_dates_out_of_range_are_row_warnings_not_crashes(capsys, tmp_path):
    text = REPORT.read_text(encoding="utf-8").replace("12/15/2026", "12/31/9999")
    assert "12/31/9999" in text
    (tmp_path / "export.csv").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "pipeline", tmp_path / "export.csv", "--as-of", "2026-11-26", "--format", "json")
    assert code == 0, err
    assert "9999" in out  # reported as a warning on the row


# --- 10. special files and size -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["pipeline"], ["review"], ["pipeline", "--mapping", "{f}", str(REPORT)]])
def test_dev_zero_is_refused_as_not_a_regular_file(capsys, command):
    argv = [a.replace("{f}", "/dev/zero") for a in command]
    if "--mapping" not in argv:
        argv.append("/dev/zero")
    assert "not a regular file" in refused(capsys, *argv)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["deals.csv", "deal.yaml"])
def test_a_fifo_is_refused_without_hanging(capsys, tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    command = "review" if name.endswith(".yaml") else "pipeline"
    assert "not a regular file" in refused(capsys, command, fifo)


def test_a_csv_over_the_size_limit_is_refused_before_reading(capsys, tmp_path, monkeypatch):
    from ae_coach.crm import _reader

    monkeypatch.setattr(_reader, "MAX_BYTES", 1000)
    err = refused(capsys, "pipeline", REPORT)
    assert "1,000-byte limit" in err and REPORT.name in err


def test_csv_import_does_not_keep_the_file_text(tmp_path):
    from ae_coach.crm._reader import RawTable

    assert "text" not in RawTable.__dataclass_fields__  # records are streamed from disk on each pass


# --- 13. other tracebacks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("close_date: !!timestamp 2026-13-45", "close_date"),
        ("close_date: !!timestamp 20261", "close_date"),
        ("fit: !!bool maybe", "refused"),
        ("amount: !!int twelve", "refused"),
        ("amount: !!float 1e99999", "amount"),
    ],
)
def test_explicit_yaml_tags_with_bad_values_are_input_errors(capsys, tmp_path, line, expected):
    path = tmp_path / "deal.yaml"
    path.write_text(f"account: A\nstage: discovery\n{line}\n")
    assert expected in refused(capsys, "review", path, "--backend", "offline")


def test_explicit_tags_in_a_deal_list_are_input_errors(capsys, tmp_path):
    path = tmp_path / "deals.yaml"
    path.write_text("- account: A\n  stage: discovery\n  fit: !!bool maybe\n")
    assert "deals.yaml:3" in refused(capsys, "pipeline", path)


def test_lone_surrogate_in_json_is_refused(capsys, tmp_path):
    path = tmp_path / "deal.json"
    path.write_text('{"account": "A\\ud800", "stage": "discovery"}')
    assert "surrogate" in refused(capsys, "review", path, "--backend", "offline")


def test_lone_surrogate_in_a_json_deal_list_is_refused(capsys, tmp_path):
    path = tmp_path / "deals.json"
    path.write_text('[{"account": "A", "stage": "discovery", "notes": "\\udc00"}]')
    assert "surrogate" in refused(capsys, "pipeline", path)


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffAccount Name,Stage\r\nA,Prospecting\r\n".encode("utf-16-le") + b"\x00",  # odd byte count
        b"\xff\xfe" + "Account Name,Stage\r\nA,".encode("utf-16-le") + b"\x00\xd8" + ",x\r\n".encode("utf-16-le"),
    ],
    ids=["odd-bytes", "lone-surrogate"],
)
def test_broken_utf16_csv_is_refused(capsys, tmp_path, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert "UTF-16" in refused(capsys, "pipeline", path)


def test_utf16_csv_with_bom_still_imports(tmp_path):
    from ae_coach.crm import import_csv

    path = tmp_path / "export.csv"
    path.write_bytes(REPORT.read_text(encoding="utf-8").encode("utf-16"))
    assert len(import_csv(path).deals) == len(import_csv(REPORT).deals)


# --- 16. input accepted that should be questioned -------------------------------------------------------


@pytest.mark.parametrize(("line", "field"), [("amount: true", "amount"), ("probability: false", "probability")])
def test_booleans_are_not_numbers(capsys, tmp_path, line, field):
    path = tmp_path / "deal.yaml"
    path.write_text(f"account: A\nstage: discovery\n{line}\n")
    err = refused(capsys, "review", path, "--backend", "offline")
    assert f"deal.yaml:3: {field}" in err


def test_sexagesimal_numbers_are_not_numbers(capsys, tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("account: A\nstage: discovery\namount: 1:30\n")
    err = refused(capsys, "review", path, "--backend", "offline")
    assert "amount" in err and "'1:30'" in err
