"""Readings a fresh re-read of the change showed firing on ordinary notes: a commitment that names the rival or is
negated, a meeting title that is no meeting ahead, a duration that is no cost of the pain; one approach to a person a
week; a document date the deal's own plan holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._situation import _NOT_BURDEN, BURDEN
from ae_coach.deal import Activity
from ae_coach.deal.load import load_deal
from ae_coach.inspector.momentum import _chose_us
from ae_coach.inspector.text import unheld_title

EXAMPLES = Path(__file__).parent.parent / "examples" / "deals"


@pytest.mark.parametrize(
    ("summary", "chose"),
    [
        ("Alan: at Zendesk's new price they will buy Zendesk again, sorry.", False),
        ("Grace: nobody has selected us yet", False),
        ("if you can't match it, we will buy Zendesk's renewal", False),
        ("It doesn't change our decision; you are our selected vendor", True),
    ],
)
def test_a_commitment_answers_the_rival_only_when_it_chooses_us(summary: str, chose: bool) -> None:
    activity = Activity.model_validate({"date": "2026-11-20", "type": "email", "summary": summary})
    assert _chose_us(activity, "Zendesk") is chose


@pytest.mark.parametrize(
    ("step", "titles", "title"),
    [
        ("Meet the QA director", ["Lab Operations Lead champion"], "QA director"),
        ("Demo to the VP of Sales", ["Lab Operations Lead champion"], "VP"),  # never "the VP" with its article
        ("Weekly call - Hana will not bring the IT director", ["Lab Operations Lead champion"], None),
        ("ask Hana if we can meet the QA director", ["Lab Operations Lead champion"], None),
        ("Call with Grace, who met the QA director last week", ["Lab Operations Lead champion"], None),
        ("不会带我们见采购总监", ["Lab Operations Lead champion"], None),
        ("Meet the CTO", ["Director of Support user_buyer"], "CTO"),  # "cto" inside "Director" is no CTO
        ("Meet the GM", ["General Manager economic_buyer"], None),
    ],
)
def test_a_new_title_is_a_meeting_ahead_with_someone_nobody_holds(step: str, titles: list[str], title) -> None:
    assert unheld_title(step, titles) == title


@pytest.mark.parametrize(
    ("summary", "burden"),
    [
        ("Intro: five lab systems, audit prep takes weeks", True),
        ("Intro call took 30 minutes; Hana will send the org chart.", False),
        ("onboarding a new vendor takes about 6 weeks", False),
    ],
)
def test_only_what_the_pain_costs_in_time_is_a_burden(summary: str, burden: bool) -> None:
    match = BURDEN.search(summary)
    assert (match is not None and not _NOT_BURDEN.search(match.group(0))) is burden


def test_a_document_date_on_the_deals_own_plan_stands() -> None:
    """Hakuyo with its NDA planned for 2026-11-27, ahead: the plan keeps the rep's date; the default signing time
    is a floor for the forecast, not a reason to move a date the deal's plan already holds."""
    import yaml

    from ae_coach.deal import parse_deal

    path = (
        Path(__file__).parent.parent
        / "evals"
        / "calibration"
        / "deals"
        / "hakuyo-seimitsu-nda-before-security-review.yaml"
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mutual_action_plan"] = [
        {**step, "date": "2026-11-27", "status": "planned"} if step["action"] == "NDA signed" else step
        for step in data["mutual_action_plan"]
    ]
    data.pop("next_step")  # "Legal to finalise NDA", undated: the plan's own NDA row is the one to keep
    plan = Coach("offline").review(parse_deal(data)).mutual_action_plan
    nda = next(s for s in plan if s.action == "NDA signed")
    assert str(nda.date) == "2026-11-27"


def test_one_approach_to_a_person_a_week() -> None:
    """Lucerne: the rep meets Mark Stone this week; our executive sponsor's call to him the next day is not also
    assigned, and the week's third row is the paper owner's dates, before the 12-05 review."""
    review = Coach("offline").review(load_deal(EXAMPLES / "lucerne-late-stakeholder.yaml"))
    week = [a for a in review.next_actions if a.horizon == "this_week"]
    assert sum(bool(a.contact and a.contact.startswith("Mark Stone")) for a in week) == 1
    paper = next(a for a in week if a.contact and a.contact.startswith("Tessa Blum"))
    assert "Tessa Blum, who is already working on the paper" in paper.action
    assert paper.due is not None and str(paper.due) < "2026-12-05"
