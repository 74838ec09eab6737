"""The contract clause in dispute, in the deal's own words (``facts._clause``), named by the paper finding, its
action and the plan; a record naming no clause keeps the generic wording."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from ae_coach import assess, load_deal, parse_deal
from ae_coach.coach import Coach
from ae_coach.inspector.facts._clause import open_point
from ae_coach.inspector.facts._model import ActivityFact

HAKUYO = Path(__file__).parents[1] / "evals/calibration/deals/hakuyo-seimitsu-nda-before-security-review.yaml"
DAY = dt.date(2026, 11, 4)


def _past(*summaries: str) -> list[ActivityFact]:
    return [
        ActivityFact.of(date=DAY + dt.timedelta(days=i), type="email", status="completed", summary=summary)
        for i, summary in enumerate(summaries)
    ]


@pytest.mark.parametrize(
    ("summaries", "first", "latest"),
    [
        (
            (
                "Our legal's redline on the NDA: governing law / jurisdiction changed from Shizuoka District Court to "
                "SIAC arbitration (Singapore), mutual confidentiality term 3 yrs instead of 5.",
                "As a rule we do not accept changes to our NDA template. Could accept 3 yrs, cannot change court.",
            ),
            "governing law / jurisdiction changed from Shizuoka District Court to SIAC arbitration (Singapore)",
            "Could accept 3 yrs, cannot change court.",
        ),
        (
            ("Contract review. Everything agreed except the liability cap amount: they asked for 2x annual fees.",),
            "Everything agreed except the liability cap amount",
            None,
        ),
        (("Maya's redlines: liability cap, data deletion on exit, governing law.",), "Maya's redlines:", None),
    ],
)
def test_the_clause_in_dispute_is_quoted_in_the_records_words(summaries, first: str, latest: str | None) -> None:
    found = open_point(_past(*summaries))
    assert found is not None
    assert first in found[0]
    assert (found[1] is None) if latest is None else (latest in (found[1] or ""))


@pytest.mark.parametrize(
    "summaries",
    [
        ("Their solicitor has accepted our markup on the liability clause.",),  # settled
        ("Redlines: unlimited liability for data breach.", "Liability for data breach agreed at 3x fees."),
        ("Sent the MSA for their legal review.",),  # no clause named
        (
            "Before I can start I need your certificates of currency (public liability AUD 20M).",
        ),  # insurance, no dispute
    ],
)
def test_no_clause_in_dispute_is_read_where_none_is_open(summaries) -> None:
    assert open_point(_past(*summaries)) is None


def test_the_paper_finding_its_action_and_the_plan_name_the_clause() -> None:
    """Hakuyo: the NDA held by our legal over the jurisdiction clause (a blind VP grade: "never names the contract
    clause in dispute, arbitration in SIAC vs the Shizuoka district court")."""
    deal = load_deal(HAKUYO)
    paper = next(f for f in assess(deal).findings if f.code == "meddpicc.paper_process")
    assert "Shizuoka District Court to SIAC arbitration" in paper.data["point"]
    assert "Shizuoka District Court" in paper.title
    report = Coach("offline").review(deal)
    escalate = next(a for a in report.next_actions if "legal lead" in a.action)
    assert "Shizuoka District Court to SIAC arbitration" in escalate.action
    nda = next(s for s in report.mutual_action_plan if s.action == "NDA signed")
    assert "cannot change court" in (nda.note or "")


def test_a_record_naming_no_clause_keeps_the_generic_wording() -> None:
    data = yaml.safe_load(HAKUYO.read_text(encoding="utf-8"))
    for item in data["activities"]:
        if str(item["date"]) in ("2026-11-04", "2026-11-12"):
            item["summary"] = (
                "Our legal has the NDA; no answer yet. Sent to our legal 11/13, they'll look again 'next week'."
            )
    report = Coach("offline").review(parse_deal(data))
    escalate = next(a for a in report.next_actions if "legal lead" in a.action)
    assert "take the open point to your legal lead" in escalate.action
    assert not any("clause in dispute" in (s.note or "") for s in report.mutual_action_plan)


@pytest.mark.parametrize(
    "summaries",
    [
        (
            "Their legal redlined the liability cap in the MSA.",
            "They withdrew the liability redline; contract is clean.",
        ),
        ("Demo of the audit trail; they asked for audit rights on the admin log. Contract next week.",),
    ],
)
def test_a_withdrawn_redline_or_a_product_ask_is_no_clause_in_dispute(summaries) -> None:
    assert open_point(_past(*summaries)) is None
