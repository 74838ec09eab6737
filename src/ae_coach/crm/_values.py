"""Locale-tolerant numbers and dates, with the ambiguous cases decided once per file.

A CRM export is written in one locale. ``1,234`` is one thousand two hundred and thirty-four in a US
export and one point two three four in a German one; ``03/04/2026`` is March 4th or April 3rd. Guessing
per value would make one file mean two things, so :func:`detect_number_style` and
:func:`detect_date_order` look at every value of a column set and decide from the unambiguous ones
(``1.234,56``, ``25/12/2026``). A mapping file can state the answer instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ae_coach.deal.model import check_date

_SUFFIX = {
    "k": 1_000, "tsd": 1_000, "m": 1_000_000, "mm": 1_000_000, "mio": 1_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "mrd": 1_000_000_000,
}  # fmt: skip
"""Scale suffixes people type into amount fields: ``120k``, ``1.2M``, ``1,5 Mio`` (``MM`` is finance shorthand)."""

_NUMBER_CHARS = re.compile(r"[^0-9.,'\s\u00a0\u202f-]")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"[\s\u00a0\u202f']")  # space, no-break space, narrow nbsp, Swiss apostrophe
_SCALED = re.compile(r"^(.*?\d)\s*(k|tsd|mm|mio|m|bn|b|mrd)\.?$", re.IGNORECASE)
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$")  # "USD 1,200", "1.200 EUR" (upper case only)
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?|-?\.\d+")


@dataclass(frozen=True)
class NumberStyle:
    """Which character separates decimals; the other one (and spaces) group thousands."""

    decimal: str = "."
    thousands: str = ","


US_NUMBERS = NumberStyle(".", ",")
EU_NUMBERS = NumberStyle(",", ".")


def _style_hint(text: str) -> NumberStyle | None:
    """The style a single value proves, or None when it fits both."""
    digits = _SPACES.sub("", _NUMBER_CHARS.sub("", text))
    has_dot, has_comma = "." in digits, "," in digits
    if has_dot and has_comma:
        return US_NUMBERS if digits.rfind(".") > digits.rfind(",") else EU_NUMBERS
    for sep, as_decimal, as_thousands in ((".", US_NUMBERS, EU_NUMBERS), (",", EU_NUMBERS, US_NUMBERS)):
        if sep in digits:
            parts = digits.split(sep)
            if len(parts) > 2:
                return as_thousands  # 1.234.567 or 1,234,567: only a thousands separator repeats
            if len(parts[1]) != 3:
                return as_decimal  # 1234,5 or 12.50: a group of three is the only ambiguous case
    return None


def detect_number_style(values: Iterable[str], default: NumberStyle = US_NUMBERS) -> NumberStyle:
    """Decide the file's number style from the values that can only be read one way."""
    votes = {US_NUMBERS: 0, EU_NUMBERS: 0}
    for value in values:
        hint = _style_hint(value) if value else None
        if hint is not None:
            votes[hint] += 1
    if votes[US_NUMBERS] == votes[EU_NUMBERS]:
        return default
    return max(votes, key=votes.__getitem__)


def parse_number(text: str, style: NumberStyle = US_NUMBERS) -> float:
    """Parse an amount such as ``$120,000``, ``1.234,56 €``, ``EUR 1 234``, ``120k`` or ``(500)``.

    Raises:
        ValueError: the text is not a number in this style (the message shows the value).
    """
    body = _CURRENCY_CODE.sub("", text.strip())
    negative = body.startswith("(") and body.endswith(")")
    body = body.strip("()").strip()
    scale = 1
    scaled = _SCALED.match(body)
    if scaled:
        body, scale = scaled.group(1), _SUFFIX[scaled.group(2).lower()]
    if _LETTER.search(body):  # "1,5 Mill." or "ten": refuse rather than drop letters and misread
        raise ValueError(f"{text!r} is not a number")
    cleaned = _SPACES.sub("", _NUMBER_CHARS.sub("", body))
    hint = _style_hint(cleaned)
    if hint is not None and hint != style:
        raise ValueError(f"{text!r} uses {hint.decimal!r} as its decimal mark; this file uses {style.decimal!r}")
    if style.thousands:
        cleaned = cleaned.replace(style.thousands, "")
    cleaned = cleaned.replace(style.decimal, ".")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a number")
    value = float(cleaned) * scale
    return -value if negative else value


# ---------------------------------------------------------------------------------------------- dates

DMY, MDY, YMD = "dmy", "mdy", "ymd"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NUMERIC = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:[ T,].*)?$")
_EPOCH_MS = re.compile(r"^\d{12,13}$")


def _date_parts(text: str) -> tuple[int, int, int, str] | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    a, sep, b, c = match.groups()
    return int(a), int(b), int(c), sep


def detect_date_order(values: Iterable[str], default: str = MDY) -> tuple[str, bool]:
    """Decide day-first or month-first for the file's numeric dates.

    Returns:
        ``(order, decided)``: ``decided`` is False when no value settled it and ``default`` was used.
    """
    day_first = month_first = False
    for value in values:
        parts = _date_parts(value.strip()) if value else None
        if parts is None or parts[0] > 31:
            continue  # ISO (year first) is never ambiguous
        first, second, _, sep = parts
        if sep == ".":
            day_first = True  # 26.11.2026: the dotted form is day-first wherever it is used
        elif first > 12:
            day_first = True
        elif second > 12:
            month_first = True
    if day_first and not month_first:
        return DMY, True
    if month_first and not day_first:
        return MDY, True
    return default, False


def _year(value: int) -> int:
    return value + 2000 if value < 100 else value


def parse_date(text: str, order: str = MDY, fmt: str | None = None) -> dt.date:
    """Parse ISO dates (with or without a time), numeric dates in the file's ``order``, or epoch milliseconds.

    Raises:
        ValueError: not a date, a date that does not exist (31/02/2026), or one outside the deal format's
            range (year 1, 9999).
    """
    try:
        return check_date(_parse_date(text, order, fmt))
    except (OverflowError, OSError):
        raise ValueError(f"{text[:40]!r} is not a date") from None


def _parse_date(text: str, order: str = MDY, fmt: str | None = None) -> dt.date:
    raw = text.strip()
    if fmt:
        return dt.datetime.strptime(raw, fmt).date()
    iso = _ISO.match(raw)
    if iso:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    parts = _date_parts(raw)
    if parts:
        a, b, c, sep = parts
        if a > 31:  # 2026/11/26
            return dt.date(a, b, c)
        if sep == "." or order == DMY:
            return dt.date(_year(c), b, a)
        return dt.date(_year(c), a, b)
    if _EPOCH_MS.match(raw):  # HubSpot's API returns dates as milliseconds since the epoch
        return dt.datetime.fromtimestamp(int(raw) / 1000, tz=dt.UTC).date()
    raise ValueError(f"{text!r} is not a date")


_TRUE = {"true", "1", "yes", "y", "t", "x", "wahr", "vrai", "ja", "oui"}
_FALSE = {"false", "0", "no", "n", "f", "", "falsch", "faux", "nein", "non"}


def parse_bool(text: str) -> bool:
    """Salesforce writes ``true``/``false``, Excel ``TRUE``, some tools ``1``/``0``.

    Raises:
        ValueError: anything else.
    """
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


@lru_cache(maxsize=8192)  # picklist values repeat on every row of an export
def normalise_key(text: str) -> str:
    """The form picklist values and headers are compared in: case-folded, spaces and punctuation collapsed."""
    return re.sub(r"[\s_\-./()%:]+", " ", text.replace("\ufeff", "")).strip().casefold()
