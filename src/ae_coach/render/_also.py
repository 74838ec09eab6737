"""Shared wording of the review surfaces: the "also" line under the risks, a question with its deal fact."""

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


def asked(question: Any) -> str:
    """A question with the open fact of the deal it is about: ``… (on this deal: unmet: budget range known)``."""
    about = getattr(question, "about", None)
    return t("coach.question_about", question=question.question, fact=about) if about else question.question
