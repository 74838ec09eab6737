"""A buyer's month-dated gate is the spine of the plan; a signer handing over is a risk with its own action; a
question goes to whoever raised what it asks about (issues 12 and 13: a blind VP grade of Tinsley Foods and
Yarrabee Mining)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import yaml

from ae_coach.coach import Coach
from ae_coach.coach._situation import Situation
from ae_coach.deal import parse_deal

CALIBRATION = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals"
TINSLEY = CALIBRATION / "tinsley-foods-cfo-says-january.yaml"
YARRABEE = CALIBRATION / "yarrabee-mining-cfo-seconded-interim.yaml"


def _data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _run(data: dict):
    return Coach("offline").run_review(parse_deal(copy.deepcopy(data)))


def _holds(data: dict, atom: str) -> bool:
    deal = parse_deal(copy.deepcopy(data))
    return Situation.of(deal, Coach("offline").run_review(deal).assessment).holds(atom)


def _summary(data: dict, day: str, old: str, new: str) -> dict:
    data = copy.deepcopy(data)
    for activity in data["activities"]:
        if str(activity["date"]) == day:
            assert old in activity["summary"]
            activity["summary"] = activity["summary"].replace(old, new)
    return data


# ------------------------------------------------------------------------------- the person who raised it


def test_a_question_about_the_requisition_goes_to_the_reviewer_who_said_she_waits_on_it():
    result = _run(_data(TINSLEY))
    assert result.assessment.facts.timing.review_waits_by == "Carla Jimenez"
    asked = [q for q in result.report.questions if "requisition" in q.question]
    assert asked and all(q.stakeholder == "Carla Jimenez" for q in asked)


# ------------------------------------------------------------------------------- the buyer's month-dated gate

_GATE = "Said all new multi-year commitments go through the January capital review now, and asked"


def test_a_gate_the_buyer_dates_by_its_month_is_the_spine_of_the_plan():
    result = _run(_data(TINSLEY))
    plan = result.report.mutual_action_plan
    gate = next(s for s in plan if s.action == "Capital review")
    assert gate.date_precision == "month" and gate.date == dt.date(2027, 1, 4)  # the month stays a month
    ours = [s for s in plan if s.side == "seller" and "Capital review" in s.action]
    assert len(ours) == 1 and result.assessment.as_of < ours[0].date < dt.date(2027, 1, 1)  # our part, dated before
    assert ours[0].date_precision == "day" and "Greg Whitlock" in ours[0].action  # to whoever takes it in
    signature = next(s for s in plan if s.kind == "signature")
    assert signature.follows == "Capital review"  # the signature after it
    actions = [a for a in result.report.next_actions if "Capital review" in a.action]
    assert actions and f"hand over our part by {ours[0].date}" in actions[0].action
    assert "Priya Raman" in (actions[0].contact or "")  # prepare the one who takes the deal in, with the champion


def test_no_gate_without_a_month_dated_gate_on_record():
    data = _summary(_data(TINSLEY), "2026-11-19", _GATE, "Said he wants to see the pricing again, and asked")
    result = _run(data)
    assert not _holds(data, "gate_month")
    assert not any("Capital review" in s.action for s in result.report.mutual_action_plan)
    assert not any("own gate" in a.action for a in result.report.next_actions)


# ------------------------------------------------------------------------------- the signer hands over


def test_a_seconded_signer_handing_over_is_the_risk_and_the_action_uses_him_while_reachable():
    result = _run(_data(YARRABEE))
    element = result.assessment.facts.elements["economic_buyer"]
    assert (element.handed_over, element.signs_now) == ("Glenn Whitfield", "Rachel Nguyen")
    assert element.grade == 1  # the new signer has confirmed nothing yet
    gate = " ".join(result.report.forecast.why_not_commit)
    assert "on the rep's word only" not in gate and "Glenn Whitfield backed it in their own words" in gate
    assert "Glenn Whitfield" in result.report.headline and "Rachel Nguyen" in result.report.headline
    assert any("Glenn Whitfield is still reachable" in a.action for a in result.report.next_actions)


def test_a_claim_with_no_words_of_the_old_signer_stays_the_reps_word():
    data = _data(YARRABEE)
    data["activities"] = [a for a in data["activities"] if "Glenn" not in " ".join(a.get("with", []))]
    data["stakeholders"] = [
        {**s, "last_contact": None} if s["name"] == "Glenn Whitfield" else s for s in data["stakeholders"]
    ]
    result = _run(data)
    element = result.assessment.facts.elements["economic_buyer"]
    assert element.handed_over is None and element.grade == 1
    assert "on the rep's word only" in " ".join(result.report.forecast.why_not_commit)
    assert not any("still reachable" in a.action for a in result.report.next_actions)


def test_a_signer_away_for_a_week_is_no_handover():
    old = "Oh and Glenn has been seconded to the Pilbara JV integration until end of March - Rachel Nguyen (Group "
    old += "Financial Controller) is acting CFO and has his delegations, so she'll be the one signing."
    new = "Oh and Glenn is on leave next week, back on 30 Nov - Rachel Nguyen (Group Financial Controller) covers."
    data = _summary(_data(YARRABEE), "2026-11-19", old, new)
    result = _run(data)
    glenn = result.assessment.facts.person("Glenn Whitfield")
    assert glenn is not None and glenn.left is None
    assert result.assessment.facts.elements["economic_buyer"].handed_over is None
    assert not _holds(data, "signer_handed_over")
    assert not any("still reachable" in a.action for a in result.report.next_actions)
