"""The deterministic deal inspector: explainable findings computed from the deal's facts.

Public door: :func:`inspect` (findings) and :func:`assess` (findings plus MEDDPICC grades, tier, health,
recommended forecast and the reasons it is not Commit). One module per finding family:
``meddpicc``, ``stage``, ``momentum``, ``positive``, ``committee``, ``anti``, ``account``,
``competition``; ``forecast`` holds the Commit gate and health; ``text`` the documented keyword heuristics;
``priority`` the order a sales manager raises findings in (severity, then the deal's story).

The families, their facts and their pattern tables load on first use of the door (``_assess``): a command
that only needs :mod:`ae_coach.inspector.settings` (a chat before its first question) does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.inspector._assess import Assessment, assess, inspect
    from ae_coach.inspector.settings import Settings

__all__ = ["Assessment", "Settings", "assess", "inspect"]


def __getattr__(name: str) -> Any:
    if name in ("Assessment", "assess", "inspect"):
        from ae_coach.inspector import _assess

        return getattr(_assess, name)
    if name == "Settings":
        from ae_coach.inspector.settings import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
