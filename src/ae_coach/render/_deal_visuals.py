"""The deal page's pictures: health on its colour scale, the MEDDPICC scorecard (the rep's claim against
what the record corroborates, grade per element) and the activity timeline with the plan on it."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ae_coach.render import charts

GRADES = ("unknown", "rep-asserted", "buyer-confirmed", "validated in writing")
"""Grade 0-3 of a MEDDPICC element, as the inspector gives it."""
GRADE_COLOURS = (charts.RED, charts.AMBER, "#74b816", charts.GREEN)

CSS = """
.score.band-red{background:#ffe3e3;color:#a61e1e}.score.band-amber{background:#fff3bf;color:#8a5a00}
.score.band-green{background:#d3f9d8;color:#1e6b2e}
.chart{max-width:720px;margin:.6rem 0}.charts2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
.grade{display:inline-block;min-width:1.4rem;text-align:center;font-weight:700;color:#fff;border-radius:.25rem;
padding:0 .3rem;margin-right:.35rem}.claim{color:#556}.yes{color:#2e7d32;font-weight:600}.no{color:#b00020}
"""

_LANES = 6
"""People with the most activities get a lane each on the timeline; the rest share "others"."""
_KINDS = {
    "two-way": charts.GREEN,
    "inbound": charts.BLUE,
    "outbound (no reply)": charts.AMBER,
    "no contact": charts.GREY,
    "plan step": charts.ORANGE,
}


def band(score: int) -> str:
    """``band-red`` | ``band-amber`` | ``band-green``: the CSS class of a health score."""
    colour = charts.health_colour(score)
    return "band-red" if colour == charts.RED else "band-amber" if colour == charts.AMBER else "band-green"


def health_chart(report: Any) -> str:
    return f'<div class="chart">{charts.health_scale(report.health.score, title="Health 0-100")}</div>'


def scorecard(assessment: Any) -> str:
    """A table: element, grade, the rep's claim (status and note), and what in the record corroborates it."""
    elements = getattr(getattr(assessment, "facts", None), "elements", None) or {}
    if not elements:
        return ""
    rows = []
    for name, element in elements.items():
        grade = max(0, min(int(element.grade), 3))
        chip = f'<span class="grade" style="background:{GRADE_COLOURS[grade]}">{grade}</span>{GRADES[grade]}'
        claim = escape(element.claim) + (f'<div class="claim">{escape(element.note)}</div>' if element.note else "")
        if element.record:
            record = '<span class="yes">yes</span>' + "".join(
                f'<div class="why">{escape(r)}</div>' for r in element.record
            )
        else:
            record = '<span class="no">not in the record</span>'
        rows.append(
            f"<tr><td>{escape(name.replace('_', ' '))}</td><td>{chip}</td><td>{claim}</td><td>{record}</td></tr>"
        )
    head = "<tr><th>element</th><th>grade</th><th>the rep's claim</th><th>corroborated by the record</th></tr>"
    chart = charts.hbars(
        [name.replace("_", " ") for name in elements],
        [float(e.grade) for e in elements.values()],
        colours=[GRADE_COLOURS[max(0, min(int(e.grade), 3))] for e in elements.values()],
        value_text=[GRADES[max(0, min(int(e.grade), 3))] for e in elements.values()],
        ticks=[0, 1, 2, 3],
        title="Grade per element",
    )
    return (
        f'<h2>MEDDPICC scorecard</h2><div class="chart">{chart}</div>'
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def activity_timeline(assessment: Any, report: Any) -> str:
    """Every activity as a dot in its person's lane, coloured by who took part, the plan's steps on their own
    lane, and today and the close date marked."""
    facts = getattr(assessment, "facts", None)
    if facts is None:
        return ""
    busiest = Counter(person for a in facts.activities for person in a.people[:1])
    lanes = [person for person, _ in busiest.most_common(_LANES)]
    events = []
    for activity in facts.activities:
        person = activity.people[0] if activity.people else None
        lane = person if person in lanes else ("others" if person else "no one named")
        events.append((activity.date, lane, _kind(activity)))
    events += [(step.date, "plan", "plan step") for step in report.mutual_action_plan]
    if not events:
        return ""
    order = [*lanes, *(x for x in ("others", "no one named") if any(e[1] == x for e in events))]
    if report.mutual_action_plan:
        order.append("plan")
    marks = [(facts.as_of, "today")]
    close = next((item.date for item in facts.upcoming if item.kind == "close_date"), None)
    if close is not None:
        marks.append((close, "close"))
    chart = charts.timeline(
        events, title="Who the record shows, and when", marks=marks, lanes=order, colours=_KINDS, width=7.2
    )
    return f'<h2>Activity timeline</h2><div class="chart">{chart}</div>'


def _kind(activity: Any) -> str:
    direction = getattr(activity.direction, "value", activity.direction)
    if direction in ("two_way", "inbound"):
        return "two-way" if direction == "two_way" else "inbound"
    if direction == "outbound":
        return "outbound (no reply)"
    return "no contact"
