"""Shared wording of the review surfaces: the "also" line under the risks, a question with its deal fact, the
findings appendix (problems with their evidence, the rest one line each) and who made the review."""

from __future__ import annotations

import re
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


PLANTED = "hygiene.instruction_in_record"


def record_warning(findings: list[Any]) -> str | None:
    """A line under the headline when the record holds text written to steer an AI: a matter for whoever keeps the
    CRM (who wrote it, and the field cleaned), raised before the deal's coaching, not at the end of the appendix."""
    planted = next((f for f in findings if f.code == PLANTED), None)
    if planted is None:
        return None
    data = planted.data or {}
    return t("review.record_warning", field=data.get("field", ""), excerpt=data.get("excerpt", ""))


DETAILED = frozenset({"critical", "high", "medium"})
"""Severities whose evidence the text reviews print under the finding. A low or info finding is one title on
the "in the deal's favour" or "also noted" line: a manager reads the problems' evidence, not twenty entries;
every finding's evidence stays in ``--format json`` and ``html``."""


def appendix(findings: list[Any]) -> tuple[list[Any], str | None, str | None]:
    """(findings printed with their evidence, ``In the deal's favour: a; b``, ``Also noted: c; d``)."""
    detailed = [f for f in findings if str(f.severity) in DETAILED]
    rest = [f for f in findings if str(f.severity) not in DETAILED and f.code != PLANTED]  # said under the headline
    good = t("coach.agenda_separator").join(_lower_first(f.title) for f in rest if f.code.startswith("positive."))
    other = t("coach.agenda_separator").join(_lower_first(f.title) for f in rest if not f.code.startswith("positive."))
    return (
        detailed,
        t("review.in_favour", titles=good) if good else None,
        t("review.also_noted", titles=other) if other else None,
    )


def made_by(report: Any) -> str:
    """What made this review, in words: the offline coach (rulebook and record, no model) or a named model."""
    if report.backend == "offline":
        return t("footer.by_offline")
    if report.backend == "replay":
        return t("footer.by_replay", model=report.model or report.backend)
    return t("footer.by_model", model=report.model or report.backend)


def _lower_first(title: str) -> str:
    """ "No dated next step" -> "no dated next step"; a title that opens with a name ("Luis Garcia is …",
    "The CFO signs") keeps its capital."""
    words = title.split(maxsplit=2)
    if len(words) > 1 and words[1][:1].isupper():
        return title
    return title[:1].lower() + title[1:]


def shown_as_risk(report: Any, finding: Any) -> int | None:
    """The number of the risk row that already states ``finding`` (its title and rules), or None: the findings
    appendix then gives its evidence under that number instead of the title again (a blind VP grade: "a Findings
    section that copies Risks")."""
    return next((n for n, risk in enumerate(report.risks, 1) if finding.code in risk.finding_codes), None)


def action_reason(action: Any) -> str:
    """Why an action is there, with what the record shows behind it ("on record: …") when the action has it; a
    part of the evidence whose quote the reason already gives is not said twice."""
    why = str(action.why)
    said = {(a or b).strip("…") for a, b in _QUOTE.findall(why)}
    parts = [rest for part in action.evidence_said.split(t("coach.detail_separator")) if (rest := _unsaid(part, said))]
    if not parts:
        return why
    return t("review.why_on_record", why=why, evidence=t("coach.detail_separator").join(parts))


_QUOTE = re.compile(r'"([^"]{12,})"|“([^”]{6,})”')
"""Any quote in a reason, wherever it stands: looser than ``inspector.text.quotes_in`` (which reads an action's quotes
only between spaces, brackets and colons), so a reason's quote is never printed again in its evidence."""


def _unsaid(part: str, said: set[str]) -> str:
    """An evidence part without its sentences whose quote the reason already gives ("2026-11-21 meeting: "New CFO
    says …"". Budget on record: …" -> "Budget on record: …"); a part is cut only between sentences outside quotes,
    and what is kept keeps its own spacing."""
    pieces, start = [], 0
    for match in _SENTENCE.finditer(part):
        before = part[: match.start()]
        if before.count('"') % 2 == 0 and before.count("“") == before.count("”"):
            pieces.append(part[start : match.end()])
            start = match.end()
    pieces.append(part[start:])
    return "".join(p for p in pieces if not any(q and q in p for q in said)).strip()


_SENTENCE = re.compile(r"(?<=[.。])\s+(?=[A-Z\u4e00-\u9fff])|(?<=[。；])")
