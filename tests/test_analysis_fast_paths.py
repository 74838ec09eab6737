"""The inspector's fast paths (unvalidated models, per-deal caches) give exactly what validation would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ae_coach.deal import Activity, Signal, load_deal, parse_deal
from ae_coach.findings import Finding
from ae_coach.inspector import Assessment, assess, text

DEALS = sorted((Path(__file__).resolve().parent.parent / "examples" / "deals").glob("*.yaml"))


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_assessment_survives_validation_unchanged(path):
    """Every finding and the assessment are what pydantic would build from the same values."""
    result = assess(load_deal(path))
    again = Assessment.model_validate(result.model_dump())
    assert again == result
    assert again.model_dump_json() == result.model_dump_json()
    for finding in result.findings:
        assert Finding.model_validate(finding.model_dump()) == finding
        assert finding.model_fields_set == set(Finding.model_fields)


def test_findings_of_one_deal_do_not_share_lists():
    """Editing one returned finding (a caller redacting evidence) leaves the next inspection alone."""
    deal = load_deal(DEALS[0])
    expected = assess(deal).model_dump_json()
    first = assess(deal)
    assert any(f.rules for f in first.findings)
    for finding in first.findings:
        finding.evidence.clear()
        finding.rules.clear()
        finding.data.clear()
    first.why_not_commit.clear()
    assert assess(deal).model_dump_json() == expected


def test_repeated_summaries_detect_the_same_signals_and_tags_still_override():
    summary = "CFO will attend the readout; they asked for references"
    plain = Activity(date="2026-11-01", summary=summary)
    assert text.activity_signals(plain) == {Signal.EB_ATTENDING, Signal.REFERENCES_REQUESTED}
    assert text.activity_signals(Activity(date="2026-11-02", summary=summary)) == text.activity_signals(plain)
    assert text.activity_signals(Activity(date="2026-11-03", summary=summary, signals=["handoff"])) == {Signal.HANDOFF}
    detected = text.detect(summary)
    detected.add(Signal.HANDOFF)  # the public detect() hands out a fresh set: the cache is not touched
    assert Signal.HANDOFF not in text.detect(summary)


def test_a_midnight_datetime_as_of_still_becomes_a_date():
    """Callers passing a datetime get the date pydantic would give them, as before the fast path."""
    deal = parse_deal({"account": "Acme", "stage": "discovery", "amount": 10_000})
    result = assess(deal, dt.datetime(2026, 11, 26))
    assert type(result.as_of) is dt.date
    assert result.as_of == dt.date(2026, 11, 26)
