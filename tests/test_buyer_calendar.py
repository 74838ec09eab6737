"""Whose calendar a deal's dates follow (where the buyer is), and a drafted plan that keeps its steps apart."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

from ae_coach.coach import Coach
from ae_coach.coach._plan import draft_plan
from ae_coach.coach.quality import audit
from ae_coach.crm import import_csv
from ae_coach.deal import Deal, load_deal
from ae_coach.deal.calendar import calendar_for
from ae_coach.inspector.settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
SUITES = sorted(
    [*(ROOT / "examples" / "deals").glob("*.yaml"), *(ROOT / "evals" / "calibration" / "deals").glob("*.yaml")]
)

THANKSGIVING, DAY_AFTER = dt.date(2026, 11, 26), dt.date(2026, 11, 27)
EARLY_MAY_BANK_HOLIDAY = dt.date(2026, 5, 4)  # the whole UK; a working day in the US
ASCENSION = dt.date(2026, 5, 14)  # Germany


def deal(currency: str = "USD", country: str | None = None, **extra) -> Deal:
    return Deal(account="Buyer", stage="proposal", currency=currency, account_country=country, **extra)


def test_a_british_buyer_gets_uk_bank_holidays_and_works_on_us_thanksgiving():
    calendar = calendar_for(DEFAULT_SETTINGS, deal("USD", "GB"))  # a UK retailer billed in dollars
    assert calendar.country == "GB"
    assert not calendar.working(EARLY_MAY_BANK_HOLIDAY)
    assert calendar.working(THANKSGIVING) and calendar.working(DAY_AFTER)
    assert not calendar.working(dt.date(2026, 12, 24))  # the holiday week is everyone's
    american = calendar_for(DEFAULT_SETTINGS, deal("USD"))
    assert not american.working(THANKSGIVING) and not american.working(DAY_AFTER)
    assert american.working(EARLY_MAY_BANK_HOLIDAY)


@pytest.mark.parametrize(
    ("currency", "country", "expected"),
    [("USD", "DE", "DE"), ("EUR", "DE", "DE"), ("EUR", None, ""), ("GBP", None, "GB"), ("GBP", "IE", "IE")],
)
def test_where_the_buyer_is_beats_the_currency(currency, country, expected):
    assert calendar_for(DEFAULT_SETTINGS, deal(currency, country)).country == expected


def test_a_euro_deal_that_says_where_the_buyer_is_gets_that_countrys_holidays():
    assert calendar_for(DEFAULT_SETTINGS, deal("EUR")).working(ASCENSION)
    assert not calendar_for(DEFAULT_SETTINGS, deal("EUR", "DE")).working(ASCENSION)


def test_a_fixed_holidays_country_beats_the_account():
    fixed = DEFAULT_SETTINGS.model_copy(update={"holidays_country": "US"})
    assert calendar_for(fixed, deal("GBP", "GB")).country == "US"


def test_account_country_is_an_iso_code():
    assert deal(country=" gb ").account_country == "GB"
    with pytest.raises(ValidationError, match="two-letter ISO 3166 code"):
        deal(country="United Kingdom")


def test_a_buyers_date_on_their_own_bank_holiday_is_flagged_with_the_country():
    step = {"date": EARLY_MAY_BANK_HOLIDAY, "action": "Steering committee", "owner": "customer"}
    as_of, close = dt.date(2026, 4, 6), dt.date(2026, 6, 30)
    british = deal("USD", "GB", mutual_action_plan=[step], close_date=close, as_of=as_of)
    note = next(s.note for s in draft_plan(british, as_of) if s.action == "Steering committee")
    assert "public holiday (GB)" in (note or "")
    american = british.model_copy(update={"account_country": None})
    note = next(s.note for s in draft_plan(american, as_of) if s.action == "Steering committee")
    assert "holiday" not in (note or "")


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        (
            "Opportunity Name,Account Name,Billing Country,Stage,Amount,Close Date",
            "Roll-out,Lochside,{},Prospecting,1,",
        ),
        ("Id,Name,Account.Name,Account.BillingCountryCode,StageName,Amount", "006A,Roll-out,Lochside,{},Prospecting,1"),
        (
            "Deal Name,Associated Company,Country/Region,Deal Stage,Amount",
            "Roll-out,Lochside,{},appointmentscheduled,1",
        ),
    ],
)
@pytest.mark.parametrize(
    ("written", "code"), [("United Kingdom", "GB"), ("GB", "GB"), ("DE", "DE"), ("Atlantis", None)]
)
def test_the_importers_fill_the_account_country_from_a_billing_country_column(tmp_path, header, cells, written, code):
    path = tmp_path / "export.csv"
    path.write_text(f"{header}\n{cells.format(written)}\n", encoding="utf-8")
    result = import_csv(path)
    assert result.deals[0].account_country == code
    assert any("Atlantis" in w.message for w in result.warnings) == (code is None)


def test_no_drafted_plan_stacks_three_steps_on_one_date():
    # a blind grade: "five paper steps on the same day" when a Best Case or Commit close left too little time
    coach = Coach("offline")
    stacked = []
    for path in SUITES:
        report = coach.review(load_deal(path))
        days = Counter(s.date for s in report.mutual_action_plan if s.kind != "agreed")
        stacked += [(path.stem, day) for day, n in days.items() if n >= 3]
    assert stacked == []


def test_steps_that_cannot_fit_under_a_best_case_call_become_one_question_to_the_buyer():
    # Crestview: called Best Case, but the paper cannot start before 12-14 and the close is 12-19. The buyer's
    # evidence holds the date; ae-coach's default steps are what does not fit: one step asks which are done or
    # not needed, instead of stacking six steps on one day or moving the close into next quarter on template
    # lead times (the plan never contradicts the call)
    path = ROOT / "evals" / "calibration" / "deals" / "crestview-mutual-one-contact.yaml"
    crestview = load_deal(path)
    report = Coach("offline").review(crestview)
    assert report.forecast.category == "best_case"
    notes = " ".join(s.note or "" for s in report.mutual_action_plan)
    assert "not credible" not in notes and "one working day apart" in notes
    drafted = [s for s in report.mutual_action_plan if s.status == "proposed" and s.kind != "onboarding"]
    assert len(drafted) == 1 and "which are done" in drafted[0].action and "security questionnaire" in drafted[0].action
    assert all(s.date <= crestview.close_date for s in report.mutual_action_plan if s.kind != "onboarding")


def test_steps_that_cannot_fit_under_a_pipeline_call_make_the_close_date_not_credible():
    from ae_coach.coach._plan import draft_plan

    path = ROOT / "evals" / "calibration" / "deals" / "crestview-mutual-one-contact.yaml"
    crestview = load_deal(path)
    steps = draft_plan(crestview, crestview.as_of, call_holds=False)
    notes = " ".join(s.note or "" for s in steps)
    assert "not credible" in notes


def test_fitted_steps_spread_over_the_days_left():
    # Grantham: called Best Case with a paper process that starts 12-07 for a 12-15 close: the steps fit one
    # or two working days apart, not all on 12-07
    grantham = load_deal(ROOT / "evals" / "calibration" / "deals" / "grantham-medical-paper-unknown.yaml")
    report = Coach("offline").review(grantham)
    paper = [s for s in report.mutual_action_plan if s.kind == "paper"]
    assert len(paper) >= 4 and max(Counter(s.date for s in paper).values()) <= 2
    assert max(s.date for s in paper) < grantham.close_date
    assert audit(report, grantham) == []
