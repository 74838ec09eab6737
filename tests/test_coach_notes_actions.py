"""Actions from what the notes say: who holds the document the buyer waits on, a plain request for something to
deliver, and a concession floated with nothing asked back (issue #13: coach the deal, not the rulebook)."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.i18n import use
from ae_coach.inspector.facts import derive
from analysis_builders import activity, by_code, with_activities

AS_OF = dt.date(2026, 11, 26)
BLOCKER = "Dana: IS only sends the security questionnaire after an NDA is executed on their template."


def _said(summary: str, date: str = "2026-11-24", kind: str = "call", direction: str = "two_way") -> dict:
    return activity(date, kind, summary, direction=direction, **{"with": ["Dana Lee"]})


def _deal(*items: dict, plan: list[dict] | None = None):
    data = with_activities(*items)
    if plan is not None:
        data["mutual_action_plan"] = data["mutual_action_plan"] + plan
    return parse_deal(data)


# ------------------------------------------------------------------------------------------- whose desk


@pytest.mark.parametrize(
    ("later", "plan", "side"),
    [
        ("Forwarded the NDA to our legal; our legal says they'll look again next week.", None, "ours"),
        ("NDA still with their legal for signature.", None, "theirs"),
        ("NDA redline sent back.", [{"date": "2026-11-20", "action": "NDA signed", "owner": "us"}], "ours"),
        ("NDA redline sent back.", [{"date": "2026-11-20", "action": "NDA signed", "owner": "customer"}], "theirs"),
        ("NDA redline sent back.", None, None),  # the record does not say whose desk it is on
        # the buyer's quoted "our" is theirs, not ours
        ("Dana: 'our legal will not change our NDA template'.", None, None),
        ("保密协议在我们法务那里等签字。", None, "ours"),
    ],
)
def test_the_side_holding_the_document_is_read_from_the_record(later: str, plan: list | None, side: str | None):
    deal = _deal(_said(BLOCKER, "2026-11-10"), _said(later, "2026-11-20"), plan=plan)
    timing = derive(deal, AS_OF).timing
    assert timing.precondition
    assert timing.precondition_side == side


@pytest.mark.parametrize(
    ("later", "owner", "never"),
    [
        ("Sent the NDA to our legal; our legal says they'll look again next week.", "legal", "if it sits with"),
        ("NDA still with their legal for signature.", None, "if it sits with"),
    ],
)
def test_a_held_document_is_one_sides_action_never_an_either_or(later: str, owner: str | None, never: str) -> None:
    deal = _deal(_said(BLOCKER, "2026-11-10"), _said(later, "2026-11-20"))
    for lang in ("en", "zh"):
        with use(lang):
            report = Coach("offline").review(deal)
        paper = [a for a in report.next_actions if "meddpicc.paper_process" in a.finding_codes]
        assert paper, lang
        assert all(never not in a.action and "如果在你们法务手里" not in a.action for a in paper)
        if owner == "legal":
            assert all(len(a.owner.split(" + ")) == 2 for a in paper)  # the rep and our legal


# ------------------------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    "summary",
    [
        "Catch-up with Dana. Asked for a one-pager for the exec team.",
        "Dana: can you send the ROI model before Thursday?",
        "Dana希望我们在周四前提供ROI模型。",
    ],
)
def test_a_plain_request_is_the_buyer_waiting_on_us(summary: str) -> None:
    deal = _deal(_said(summary))
    finding = by_code(deal).get("positive.buyer_waiting")
    assert finding is not None
    report = Coach("offline").review(deal)
    assert any("positive.buyer_waiting" in a.finding_codes for a in report.next_actions)


@pytest.mark.parametrize(
    ("items"),
    [
        [_said("We asked for the org chart and their rollout plan.")],  # our ask of them
        [_said("Dana never asked for a one-pager.")],  # negated
        [_said("Emailed Dana: can you send the ROI model before Thursday?", direction="outbound", kind="email")],
        [_said("Asked for a one-pager for the exec team.", "2026-11-18"), _said("Sent Dana the one-pager.")],
        [_said("Dana asked for pricing for 180 stores.", "2026-11-10"), _said("Sent indicative price range.")],
        [_said("Dana asked for the proposal.", "2026-11-10"), activity("2026-11-12", "proposal", "Proposal, 120k")],
    ],
)
def test_an_ask_of_ours_negated_or_already_delivered_waits_on_nobody(items: list[dict]) -> None:
    assert "positive.buyer_waiting" not in by_code(_deal(*items))


# ------------------------------------------------------------------------------------------- concessions


@pytest.mark.parametrize(
    "summary",
    [
        "Dana reckons she can get Priya to sign in Dec anyway if we throw in the S&OP module.",
        "I offered them a discount to get it signed this month.",
        "Dana说如果我们可以免费送一个预测模块，CFO就会签。",
    ],
)
def test_a_concession_floated_is_taken_to_the_deal_desk_before_it_is_offered(summary: str) -> None:
    deal = _deal(_said(summary))
    finding = by_code(deal).get("momentum.concession_floated")
    assert finding is not None
    report = Coach("offline").review(deal)
    acted = [a for a in report.next_actions if "momentum.concession_floated" in a.finding_codes]
    assert acted and acted[0].horizon == "this_week" and acted[0].rule_id == "deal-pricing-negotiation"
    assert acted[0].due is not None and acted[0].due <= dt.date(2026, 12, 18)  # before the close date it protects


@pytest.mark.parametrize(
    "items",
    [
        [_said("Dana never suggested we throw in anything.")],  # negated
        [_said("Clari offered them 15% off to stay.")],  # a rival's move: momentum.competitor_counter
        [_said("We offered a 10% discount in exchange for a 3-year term.")],  # traded
        [_said("Tom: could we get the first three months for free?", direction="inbound")],  # the buyer's own ask
        [_said("Could we throw in the training days for free?")],  # a question, not an offer
        [_said("Dana says the CFO may throw in the towel on the project.")],  # an idiom
        [
            _said("Dana: if we throw in the S&OP module she can get it signed.", "2026-11-18"),
            _said("Deal desk approved."),
        ],
    ],
)
def test_a_concession_negated_a_rivals_or_traded_is_no_finding(items: list[dict]) -> None:
    assert "momentum.concession_floated" not in by_code(_deal(*items))


# ------------------------------------------------------------------------------ the meeting to prepare


def test_the_champion_taking_us_to_someone_new_is_prepared_before_the_checklist() -> None:
    """Contoso's next step: Hana (the champion) takes the rep to the QA director on 12-03. The week's call with
    Hana prepares that meeting first (who the director is, whether they sign), dated before it; the discovery
    point that does not fit waits for the conversation after it."""
    from pathlib import Path

    from ae_coach.deal.load import load_deal

    deal = load_deal(Path(__file__).parent.parent / "examples" / "deals" / "contoso-notes-injection.yaml")
    review = Coach("offline").review(deal)
    first = review.next_actions[0]
    assert first.horizon == "this_week" and first.due is not None and first.due < dt.date(2026, 12, 3)
    assert "(1) Sit down with Hana Sato before they take you to the QA director: " in first.action
    assert "who does" in first.action and "Meet the QA director, 2026-12-03" in (first.evidence or "")
    assert any(a.action.startswith('After "Meet the QA director" on 2026-12-03') for a in review.next_actions[1:])
    # discovery asks fit discovery: how the last purchase went and who signed it, not "every step with its owner
    # and date"; what would make it worth doing in their numbers, not "the criteria in writing"
    assert (
        "(2) Ask Hana Sato to walk you through the last comparable purchase step by step: who signed it" in first.action
    )
    assert "what would rule a vendor out" in first.action and "in writing" not in first.action
    # what decides it: a number on what the pain costs them ("audit prep takes weeks"), not on the bare description
    assert review.decides is not None and '"audit prep takes weeks"' in review.decides


def test_a_renewal_on_hold_keeps_its_own_paper_moving() -> None:
    """Wingtip: a renewal whose signer parked the deal after a reorg. The expansion's paper waits for her answer
    (said once, on the first held step); the renewal's signature is never held; the close date is re-set after
    looking up when our contract ends."""
    from pathlib import Path

    from ae_coach.deal.load import load_deal

    deal = load_deal(Path(__file__).parent.parent / "examples" / "deals" / "wingtip-slipped.yaml")
    review = Coach("offline").review(deal)
    notes = [s.note or "" for s in review.mutual_action_plan]
    assert not any("held:" in n for n in notes)  # the renewal's paper keeps moving
    assert any("only the expansion waits for Greta Holm's answer" in n for n in notes)
    renewal = next(s for s in review.mutual_action_plan if s.action == "Signature of the renewal order form")
    assert "held" not in (renewal.note or "")
    texts = " ".join(a.action for a in review.next_actions)
    assert "only the expansion waits for that answer" in texts and "hold the paper steps until you know" not in texts
    # the active alternative threatens our own renewal too (a blind VP grade: "it never left")
    assert "where In-house build stands now" in texts
    assert "Split the renewal into its own opportunity, dated to the day your current contract ends" in texts
    assert "then ask Piet de Vries who signs the renewal, and by when" in texts


def test_a_held_plan_says_why_and_until_when_once() -> None:
    """Quenmore: the signer's answer on a hold at their company is due by a deadline of the rep's own; the first
    held paper step says so, the later ones refer to it."""
    from pathlib import Path

    from ae_coach.deal.load import load_deal

    path = Path(__file__).parent.parent / "evals" / "calibration" / "deals" / "quenmore-outdoor-budget-2027.yaml"
    notes = [s.note or "" for s in Coach("offline").review(load_deal(path)).mutual_action_plan]
    assert sum("a date you set, not one they agreed" in n for n in notes) == 1
    assert any("held for the same answer from Graham Sutter" in n for n in notes)


def test_a_chat_next_step_cites_every_rule_of_its_conversation() -> None:
    """One conversation holds points from several rules: the chat's next-step line cites each of them, as the
    review's rule column does, so a question about the decision process finds its rule there."""
    from pathlib import Path

    from ae_coach.deal.load import load_deal

    deal = load_deal(Path(__file__).parent.parent / "examples" / "deals" / "contoso-notes-injection.yaml")
    answer = "".join(Coach("offline").chat(deal, "How do I map the decision process before the signature?"))
    assert "deal-positive-signals, deal-decision-process, deal-decision-criteria]" in answer
