"""Shared wording of the review surfaces: the "also" line under the risks, a question with its deal fact."""

from __future__ import annotations

from typing import Any

from ae_coach.i18n import t


def also_line(report: Any) -> tuple[str, str] | None:
    """(``Also: a; b; c``, ``[rule-1, rule-2]``), or None when every risk is listed."""
    also = list(getattr(report, "also_risks", None) or [])
    if not also:
        return None
    titles = "; ".join(_lower_first(r.title) for r in also)
    rules = list(dict.fromkeys(i for r in also for i in r.rule_ids))
    return t("coach.also_risks", risks=titles), (f"[{', '.join(rules)}]" if rules else "")


def asked(question: Any) -> str:
    """A question with the open fact of the deal it is about: ``… (on this deal: unmet: budget range known)``."""
    about = getattr(question, "about", None)
    return t("coach.question_about", question=question.question, fact=about) if about else question.question


def _lower_first(title: str) -> str:
    """ "No dated next step" -> "no dated next step"; a title that opens with a name ("Luis Garcia is …",
    "The CFO signs") keeps its capital."""
    words = title.split(maxsplit=2)
    if len(words) > 1 and words[1][:1].isupper():
        return title
    return title[:1].lower() + title[1:]
