"""The "also" line under a review's risks: the lesser risks in one sentence, their rules cited once."""

from __future__ import annotations

from typing import Any

from ae_coach.i18n import t


def also_line(report: Any) -> tuple[str, str] | None:
    """(``Also: a; b; c``, ``[rule-1, rule-2]``), or None when every risk is listed."""
    also = list(getattr(report, "also_risks", None) or [])
    if not also:
        return None
    titles = "; ".join(r.title[:1].lower() + r.title[1:] for r in also)
    rules = list(dict.fromkeys(i for r in also for i in r.rule_ids))
    return t("coach.also_risks", risks=titles), (f"[{', '.join(rules)}]" if rules else "")
