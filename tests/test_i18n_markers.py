"""Every English lead-in the inspector writes before the record's words has its catalogue entry (``marker.*``),
so a Chinese message can say it in Chinese; a renamed constant without its entry would silently stay English."""

from __future__ import annotations

from ae_coach.i18n import catalogue
from ae_coach.inspector import meddpicc
from ae_coach.inspector.facts import _sequence, _timing

LEAD_INS = [
    _timing.PAPER_UNOWNED,
    _timing.PAPER_TOO_SLOW,
    _timing.PAPER_DATED_AFTER,
    meddpicc.LOST_CHAMPION,
    meddpicc.LEAVING_CHAMPION,
    meddpicc.MOVED_CHAMPION,
    meddpicc.SIGNER_LEFT,
    meddpicc.NO_ACCESS,
    meddpicc.UNFRAMED_PILOT,
    meddpicc.FAILED_CRITERION,
    meddpicc.VALIDATION_AHEAD,
    meddpicc.SIGNER_UNPRICED,
    meddpicc.SIGNER_CHASED,
    meddpicc.PRECONDITION,
    meddpicc.OPEN_POINT,
    meddpicc.OPEN_POINT_LATEST,
    meddpicc.APPROVAL_UNDATED,
    _sequence.SEQUENCE_ENDS,
    _sequence.COUNTED_FROM,
    _sequence.TODAY,
    _sequence.FIRST_UNSIGNED,
    _sequence.SIGN_DAYS,
    _sequence.ANSWERS,
    _sequence.ITEMS,
    _sequence.NO_SIZE,
    _sequence.ANSWER_DAYS,
    _sequence.WORKING_DAYS,
    _sequence.LOWER_BOUND,
    _sequence.REOPENS,
    _sequence.SKIPPED,
    _sequence.CLOSURE,
]


def test_every_lead_in_has_a_marker_in_both_languages() -> None:
    english = {v for k, v in catalogue("en").items() if k.startswith("marker.")}
    chinese = {k for k in catalogue("zh") if k.startswith("marker.")}
    missing = [lead for lead in LEAD_INS if lead not in english]
    assert not missing
    assert {k for k in catalogue("en") if k.startswith("marker.")} <= chinese


def test_a_lead_in_inside_the_records_own_quoted_words_is_not_rewritten() -> None:
    from ae_coach.i18n import t

    line = t("gate.close_doubted", lang="zh", source='"…needs 10 days: then we sign (today)…"')
    assert '"…needs 10 days: then we sign (today)…"' in line
