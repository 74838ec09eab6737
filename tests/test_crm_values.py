"""Locale-tolerant numbers and dates, the per-file decisions, and mapping-file validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ae_coach.crm import load_mapping
from ae_coach.crm._reader import sniff_delimiter
from ae_coach.crm._values import (
    DMY,
    EU_NUMBERS,
    MDY,
    US_NUMBERS,
    detect_date_order,
    detect_number_style,
    parse_date,
    parse_number,
)
from ae_coach.errors import ImportFileError


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("$120,000", US_NUMBERS, 120_000),
        ("$120,000.50", US_NUMBERS, 120_000.5),
        ("USD 1,234", US_NUMBERS, 1_234),
        ("1.234,56", EU_NUMBERS, 1_234.56),
        ("1.234.567,89 €", EU_NUMBERS, 1_234_567.89),
        ("1 234", EU_NUMBERS, 1_234),
        ("1\u00a0234,5", EU_NUMBERS, 1_234.5),
        ("120k", US_NUMBERS, 120_000),
        ("1.2M", US_NUMBERS, 1_200_000),
        ("1,5 Mio", EU_NUMBERS, 1_500_000),
        ("1,5 Mill.", EU_NUMBERS, None),
        ("ten", US_NUMBERS, None),
        ("(500)", US_NUMBERS, -500),
        ("1,200 GBP", US_NUMBERS, 1_200),  # the B of GBP is not "billion"
    ],
)
def test_parse_number(text, style, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_number(text, style)
    else:
        assert parse_number(text, style) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["1.234,56", "1 234 567,89"])
def test_a_value_in_the_other_locale_is_refused_not_misread(text):
    with pytest.raises(ValueError, match="decimal mark"):
        parse_number(text, US_NUMBERS)


def test_number_style_is_decided_from_unambiguous_values():
    assert detect_number_style(["1.000", "2.500", "12,5"]) == EU_NUMBERS  # 12,5 can only be a decimal comma
    assert detect_number_style(["1,000", "2,500.75"]) == US_NUMBERS
    assert detect_number_style(["1,000"], default=EU_NUMBERS) == EU_NUMBERS  # undecidable: the default


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_formatted_amounts_round_trip_in_both_locales(value):
    us = f"{value:,.2f}"
    eu = us.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_number(us, US_NUMBERS) == pytest.approx(float(value))
    assert parse_number(eu, EU_NUMBERS) == pytest.approx(float(value))


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-11-26", MDY, dt.date(2026, 11, 26)),
        ("2026-11-26T14:03:00.000+0000", MDY, dt.date(2026, 11, 26)),
        ("11/26/2026", MDY, dt.date(2026, 11, 26)),
        ("26/11/2026", DMY, dt.date(2026, 11, 26)),
        ("26.11.2026", MDY, dt.date(2026, 11, 26)),  # dotted dates are day-first everywhere
        ("3/4/26", DMY, dt.date(2026, 4, 3)),
        ("2026/11/26", DMY, dt.date(2026, 11, 26)),
    ],
)
def test_parse_date(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "someday", "13/13/2026"])
def test_impossible_dates_are_errors(text):
    with pytest.raises(ValueError):
        parse_date(text, DMY)


def test_date_order_is_decided_per_file():
    assert detect_date_order(["03/04/2026", "25/12/2026"]) == (DMY, True)
    assert detect_date_order(["03/04/2026", "12/25/2026"]) == (MDY, True)
    assert detect_date_order(["03/04/2026"], default=DMY) == (DMY, False)
    assert detect_date_order(["2026-04-03"]) == (MDY, False)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x, y";b;c', ";"), ("a|b|c", "|")],
)
def test_delimiter_comes_from_the_header_row(header, expected):
    assert sniff_delimiter(header + "\n1,000;2;3\n") == expected


@pytest.mark.parametrize(
    ("yaml_text", "complaint"),
    [
        ("columns: {Deal: nmae}\n", "columns: Value error, column 'Deal' maps to 'nmae'"),
        ("stages: {Lead: discovry}\n", "stages.Lead"),
        ("colums: {}\n", "colums"),
        ("date_format: DD/MM/YYYY\n", "date_format"),
        ("- a\n", "must be a YAML mapping"),
    ],
)
def test_bad_mapping_files_name_the_field(tmp_path, yaml_text, complaint):
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ImportFileError) as err:
        load_mapping(path)
    assert str(path) in str(err.value) and complaint in str(err.value)


def test_example_mapping_is_valid(repo):
    mapping = load_mapping(repo / "examples" / "mappings" / "spreadsheet.yaml")
    assert "stage" in mapping.columns.values()
