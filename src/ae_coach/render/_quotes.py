"""A quote of the record shown once in full per review: a repeat is cut to the clause that carries its point.

The review quotes the record where it makes a point, and one buyer sentence can make several (the headline, the
risk, the action that answers it, the question, the evidence): blind VP grades counted the same sentence eight to
twelve times in one review. What a reader sees is the first occurrence, in reading order, in full; each later one
is cut to the clause that carries the point where it stands (the clause sharing a word with the text around the
quote: "Contentful came back: "…procurement is also evaluating Contentful again"", else the first), so a cut never
hides the fact it is quoted for. The JSON report keeps every quote whole.
"""

from __future__ import annotations

import re
from typing import Any

QUOTE_MIN = 40
"""Characters a quote needs before a repeat of it is cut (ae-coach default): a short quote costs less than a cue."""
CLAUSE_WORDS = 10
"""Words of the clause a repeat keeps, at most (ae-coach default); a quote with no spaces (Chinese) keeps
``CLAUSE_CHARS`` characters of its clause."""
CLAUSE_CHARS = 16
LEAD_WORDS = 6
"""Words a repeat of a one-clause quote keeps (ae-coach default): its clause is the whole quote, so a cue."""
LEAD_CHARS = 10

_QUOTED = re.compile(rf'(?<!\w)"(?=\S)([^"\n]{{{QUOTE_MIN},}}?)(?<=\S)"(?!\w)|“([^”\n]{{{QUOTE_MIN},}}?)”')
"""A quote in straight or curly marks: a straight one opens before a word and closes after one, so the words
between two quotes are never read as one."""


class _Reader:
    """Reads the review's texts in order, keeping the quotes already shown."""

    def __init__(self) -> None:
        self.shown: set[str] = set()

    def text(self, text: str) -> str:
        around = set(_WORD.findall(_QUOTED.sub(" ", text).lower())) - _COMMON
        return _QUOTED.sub(lambda match: self._quote(match, around), text)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self.text(text)

    def all(self, texts: list[str]) -> list[str]:
        return [self.text(text) for text in texts]

    def _quote(self, match: re.Match[str], around: set[str]) -> str:
        body = match.group(1) if match.group(1) is not None else match.group(2)
        opening, closing = ('"', '"') if match.group(1) is not None else ("“", "”")
        key = body.strip().rstrip(".…")
        if key not in self.shown:
            self.shown.add(key)
            return match.group(0)
        clauses = [c for c in _CLAUSE.split(body.strip()) if c.strip()]
        # a lead-in ("In short:", "Notes:") is no clause to keep
        full = [i for i, c in enumerate(clauses) if len(c.split()) >= 3 or len(c.strip()) >= 12] or list(
            range(len(clauses))
        )
        best = max(full, key=lambda i: (len(set(_WORD.findall(clauses[i].lower())) & around), -i))
        clause = clauses[best].strip().rstrip(",;:.…，；：。")
        words = clause.split()
        whole = len(clauses) == 1  # a one-clause quote keeps a cue of its first words, not itself again
        size, chars = (LEAD_WORDS, LEAD_CHARS) if whole else (CLAUSE_WORDS, CLAUSE_CHARS)
        cut = " ".join(words[:size]) if len(words) > 1 else clause[:chars]
        before = "…" if best > 0 else ""
        after = "…" if best < len(clauses) - 1 or cut != clause else ""
        return f"{opening}{before}{cut}{after}{closing}"


_CLAUSE = re.compile(r"(?<=[;,:.，；：。])\s*|\s+(?:—|–|-)\s+")
"""Where a quote divides into clauses."""
_WORD = re.compile(r"[^\W\d_]{4,}|[\u4e00-\u9fff]{2,}")
"""The words a clause shares with the text around its quote (four letters or more, or two Chinese characters)."""
_COMMON = {"with", "from", "that", "this", "they", "their", "have", "after", "before", "meeting", "call", "email"}


def _conversation(action: Any, read: _Reader, *, own_reasons: bool) -> Any:
    """One conversation's asks as a reader meets them: each ask then its own reason where the format gives every ask
    its reason (``own_reasons``, markdown), else the asks then the conversation's one reason."""
    if own_reasons and len(action.reasons) == len(action.points):
        points, reasons = [], []
        for point, reason in zip(action.points, action.reasons, strict=True):
            points.append(read.text(point))
            reasons.append(
                reason.model_copy(update={"why": read.text(reason.why), "evidence": read.optional(reason.evidence)})
            )
        return action.model_copy(update={"points": points, "reasons": reasons})
    return action.model_copy(
        update={
            "points": read.all(action.points),
            "why": read.text(action.why),
            "evidence": read.optional(action.evidence),
        }
    )


def once(
    report: Any, findings: list[Any], *, health_shown: bool = True, point_reasons: bool = False
) -> tuple[Any, list[Any]]:
    """The report and findings as a reader sees them: each quote in full where it first appears (headline, what
    decides, the call, the health when the format prints its reasons, risks, actions, questions, plan, findings),
    cut after to the clause that carries its point (a one-clause quote to its first words). ``point_reasons``: the
    format gives each ask of a conversation its own reason (markdown)."""
    read = _Reader()
    headline = read.text(report.headline)
    decides = read.optional(report.decides)
    forecast = report.forecast.model_copy(
        update={
            "reasons": read.all(report.forecast.reasons),
            "why_not_commit": read.all(report.forecast.why_not_commit),
        }
    )
    # the terminal review does not print the health reasons: a quote first seen there was never shown in full
    health = (
        report.health.model_copy(update={"reasons": read.all(report.health.reasons)}) if health_shown else report.health
    )
    risks = [r.model_copy(update={"title": read.text(r.title)}) for r in report.risks]
    actions = [
        # a conversation's asks are shown instead of its one-sentence action
        _conversation(a, read, own_reasons=point_reasons)
        if a.points
        else a.model_copy(
            update={"action": read.text(a.action), "why": read.text(a.why), "evidence": read.optional(a.evidence)}
        )
        for a in report.next_actions
    ]
    questions = [
        q.model_copy(update={"question": read.text(q.question), "about": read.optional(q.about)})
        for q in report.questions
    ]
    plan = [
        s.model_copy(update={"action": read.text(s.action), "note": read.optional(s.note)})
        for s in report.mutual_action_plan
    ]
    shown = report.model_copy(
        update={
            "headline": headline,
            "decides": decides,
            "forecast": forecast,
            "health": health,
            "risks": risks,
            "next_actions": actions,
            "questions": questions,
            "mutual_action_plan": plan,
        }
    )
    return shown, [
        f.model_copy(update={"title": read.text(f.title), "evidence": read.all(f.evidence)}) for f in findings
    ]
