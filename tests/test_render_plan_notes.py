"""The markdown plan keeps its status column short: a long note is numbered under the table, a short one stays in
its cell (issue 13: a blind VP grade read the plan's notes as internal notes crowding the plan)."""

from __future__ import annotations

from pathlib import Path

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.render.markdown import INLINE_NOTE, to_markdown

ROOT = Path(__file__).resolve().parent.parent


def _plan_section(path: Path) -> tuple[list[str], list]:
    review = Coach("offline").review(load_deal(path))
    lines = to_markdown(review, []).splitlines()
    start = next(
        i for i, line in enumerate(lines) if line in ("## Mutual action plan (draft)", "## 共同行动计划（草案）")
    )
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    return lines[start:end], review.mutual_action_plan


def test_long_notes_are_numbered_under_the_table():
    section, plan = _plan_section(ROOT / "examples" / "deals" / "lucerne-late-stakeholder.yaml")
    long_notes = [s.note for s in plan if s.note and len(s.note) > INLINE_NOTE]
    assert long_notes
    rows = [line for line in section if line.startswith("| 20")]
    assert all(len(row.split("|")[5]) <= INLINE_NOTE + 20 for row in rows)
    assert "(note 1)" in rows[0]
    assert f"1. {long_notes[0]}" in section
    # the notes are the rep's, said so above them: the table is what goes to the buyer
    head = section.index("*Notes for you, not for the buyer: leave them out when you share the plan.*")
    assert section.index(f"1. {long_notes[0]}") > head > section.index(rows[-1])


def test_a_short_note_stays_in_its_cell():
    section, plan = _plan_section(ROOT / "examples" / "deals" / "contoso-notes-injection.yaml")
    short = [s for s in plan if s.note and len(s.note) <= INLINE_NOTE]
    assert short
    assert any(f"({short[0].note})" in line for line in section if line.startswith("| "))
    assert not any(line.startswith("1. ") for line in section)


def test_a_missed_buyer_step_is_shown_to_rebook_not_on_an_invented_day():
    """Wingtip's legal review was due 2026-09-30 and never happened: the plan does not give it a day nobody agreed."""
    section, plan = _plan_section(ROOT / "examples" / "deals" / "wingtip-slipped.yaml")
    legal = next(s for s in plan if s.action == "Legal review")
    assert legal.date_precision == "rebook" and "missed on 2026-09-30" in (legal.note or "")
    assert any(line.startswith("| to rebook | Legal review |") for line in section)
