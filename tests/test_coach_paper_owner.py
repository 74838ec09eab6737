"""The buyer's legal or procurement person on record: the paper is worked with them, and nobody asks the champion
who on the legal team will review it. A term the buyer's counsel still holds out on is the open item, also when
the plan's contract step is already late."""

from __future__ import annotations

from typing import Any

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from analysis_builders import activity, with_activities

_COUNSEL = {
    "name": "Sharon Pike",
    "title": "Senior Commercial Counsel",
    "role": "influencer",
    "engaged": True,
    "last_contact": "2026-11-24",
    "added": "2026-11-10",
}


def _deal(*items: dict[str, Any], counsel: dict[str, Any] | None = None) -> Any:
    data = with_activities(*items)
    data["stakeholders"] = [*data["stakeholders"], counsel or _COUNSEL]
    data["meddpicc"]["paper_process"] = {"status": "partial", "evidence": ""}
    return parse_deal(data)


def _texts(deal: Any) -> list[str]:
    report = Coach(backend="offline").review(deal)
    return [a.action for a in report.next_actions] + [q.question for q in report.questions]


@pytest.mark.parametrize(
    ("summary", "open_"),
    [
        ("Round 3: still wants uncapped liability for data breach", True),
        ("Counsel still insists on audit rights twice a year", True),
        ("Sharon is still pushing back on the indemnity clause", True),
        ("Karen still wants it this year if security clears", False),  # the buyer wanting the deal: no open term
        ("Sharon still wants a call next week to walk through the contract", False),
    ],
)
def test_a_term_the_buyer_still_holds_out_on_is_open(summary: str, open_: bool) -> None:
    said = activity("2026-11-24", "email", summary, direction="inbound", **{"with": ["Sharon Pike"]})
    deal = _deal(activity("2026-11-12", "email", "Sharon sent redlines on our MSA", direction="inbound"), said)
    assert bool(derive(deal, deal.as_of).timing.paper_open) is open_


def test_counsel_on_record_gets_the_paper_and_no_one_asks_who_reviews_it() -> None:
    deal = _deal(
        activity(
            "2026-11-12",
            "email",
            "Sharon sent their redlines on our MSA",
            direction="inbound",
            **{"with": ["Sharon Pike"]},
        ),
    )
    texts = _texts(deal)
    assert not any("Who on the legal team will review it" in x for x in texts)
    assert not any("Ask who owns security review, legal, procurement" in x for x in texts)


def test_a_champion_who_is_counsel_is_not_the_paper_owner() -> None:
    from ae_coach.coach._people import paper_titled

    deal = _deal(counsel={**_COUNSEL, "role": "champion", "name": "Nadia Ivers"})
    assert paper_titled(deal) is None


def test_the_lawyer_before_the_buyer_when_a_term_is_open() -> None:
    from ae_coach.coach._people import paper_titled

    buyer = {**_COUNSEL, "name": "Tetsuo Aoki", "title": "Manager Purchasing Dept"}
    data = with_activities()
    data["stakeholders"] = [
        *data["stakeholders"],
        buyer,
        {**_COUNSEL, "name": "Noriko Fujisawa", "title": "Manager Legal Dept"},
    ]
    deal = parse_deal(data)
    assert paper_titled(deal).name == "Tetsuo Aoki"
    assert paper_titled(deal, term_open=True).name == "Noriko Fujisawa"


def test_a_late_contract_step_stuck_on_a_named_term_gets_the_fall_back() -> None:
    data = with_activities(
        activity(
            "2026-11-05",
            "email",
            "Sharon: first redlines on liability cap",
            direction="inbound",
            **{"with": ["Sharon Pike"]},
        ),
        activity(
            "2026-11-12",
            "email",
            "Round 3: still wants uncapped liability for data breach",
            direction="inbound",
            **{"with": ["Sharon Pike"]},
        ),
    )
    data["stakeholders"] = [*data["stakeholders"], _COUNSEL]
    data["mutual_action_plan"] = [
        {"date": "2026-11-20", "action": "Contract agreed", "owner": "customer", "status": "late"},
        {"date": "2026-12-14", "action": "Signature", "owner": "customer", "status": "planned"},
    ]
    deal = parse_deal(data)
    paper = next(f for f in assess(deal).findings if f.code == "meddpicc.paper_process")
    assert "uncapped liability" in str(paper.data.get("open"))
    report = Coach(backend="offline").review(deal)
    steps = [a for a in report.next_actions if "deal-paper-process" in a.rule_ids]
    assert steps and "fall-back" in steps[0].action and "uncapped liability" in (steps[0].evidence or "")
