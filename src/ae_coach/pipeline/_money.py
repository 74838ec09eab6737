"""Money formatting in the pipeline's currency.

The currency is set once per review (``using(code)``) rather than threaded through every table and
finding builder: a review has one reporting currency, and mixed-currency pipelines are flagged, not converted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ae_coach.i18n import money as _money

_CURRENT: ContextVar[str] = ContextVar("currency", default="USD")


@contextmanager
def using(code: str) -> Iterator[None]:
    token = _CURRENT.set(code)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def money(value: float | None) -> str:
    """``$120,000`` for USD, ``€120,000``, or ``CHF 120,000`` for codes without a common symbol."""
    if value is None:
        return "-"
    return _money(value, _CURRENT.get())
