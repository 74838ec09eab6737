"""Events at the buyer's company read from the record's words (a freeze, weak results, a cost programme, a reorg,
an acquisition): detected with their date and who said them, raised as ``momentum.company_event``, and told as
the cause of what the deal does after them."""

from __future__ import annotations

import datetime as dt

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import parse_deal
from ae_coach.findings import Severity
from ae_coach.inspector import assess
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.settings import Settings
from analysis_builders import activity, by_code, with_activities

EVENT = "momentum.company_event"


def _said(summary: str, date: str = "2026-11-20", who: str = "Dana Lee") -> dict:
    return activity(date, "call", summary, direction="two_way", **{"with": [who]})


def _note(summary: str, date: str = "2026-11-20") -> dict:
    return activity(date, "note", summary, **{"with": []})


@pytest.mark.parametrize(
    ("summary", "kind", "severity"),
    [
        ("Dana: corporate pushed all capex reviews after the Q3 results; we'll get back to you", "freeze", "critical"),
        ("Dana: finance froze new Q4 opex after the October sales miss", "freeze", "critical"),
        (
            "Dana: unsigned commitments above 250k need group CFO sign-off; group finance has frozen them until the "
            "2027 operating plan is approved in March.",
            "freeze",
            "critical",
        ),
        ("Dana: group paused all new spend, effective today", "freeze", "critical"),
        ("Dana: there's a hiring freeze and a capex freeze across the group", "freeze", "critical"),
        ("Dana: no new software or consultancy commitments until the FY27 plan is approved", "freeze", "critical"),
        ("Dana: all new commitments are under review until the board signs off the plan", "spend_review", "high"),
        ("Dana: the new CFO has paused all new contracts over 100k until she reviews them", "spend_review", "high"),
        ("Dana: half-year results were weak, revenue down 4%, and a cost programme was announced", "freeze", None),
        ("Dana: the board announced a cost reduction programme last week", "cost_programme", "high"),
        ("Dana: the board has cut next year's IT budget by 20%", "cost_programme", "high"),
        ("Dana: they issued a profit warning on Monday", "results", "high"),
        ("Dana: weak Q3 numbers, the share price fell", "results", "high"),
        ("Dana: the company is being acquired by Halberd Group", "acquisition", "high"),
        ("Dana: merger with Northgate announced, closing in March", "acquisition", "high"),
        ("Dana: reorg announced, her team moves under the new SVP Operations", "reorganisation", "high"),
        ("Dana: 200 layoffs announced across the group", "reorganisation", "high"),
        ("Dana: they suffered a ransomware attack last weekend", "incident", "medium"),
        ("Dana说集团已经冻结所有新采购，直到明年预算批下来", "freeze", "critical"),
        ("Dana说公司刚刚宣布了降本计划", "cost_programme", "high"),
        ("Dana说公司已经被Halberd集团收购", "acquisition", "high"),
    ],
)
def test_an_event_at_the_buyer_is_read_across_wordings(summary: str, kind: str, severity: str | None) -> None:
    deal = parse_deal(with_activities(_said(summary)))
    assessment = assess(deal)
    events = assessment.facts.events
    assert events, summary
    assert events[0].date == dt.date(2026, 11, 20) and events[0].said_by == "Dana Lee"
    found = by_code(deal)[EVENT]
    if severity is None:  # results and a cost programme in one sentence: one event, a budget threat at least high
        assert found.severity.rank <= Severity.HIGH.rank
        return
    assert events[0].kind == kind
    assert found.severity is Severity(severity) and found.data["kind"] == kind
    assert found.data["said_by"] == "Dana Lee" and found.data["date"] == "2026-11-20"


@pytest.mark.parametrize(
    "records",
    [
        # lifted later, or exempt in the record
        [_said("Dana: capex is frozen for Q4", "2026-11-10"), _said("Dana: the freeze was lifted on Friday")],
        [_said("Dana: all new spend is paused; our project is exempt, Priya got the exception signed off")],
        [_said("Dana: the cost programme doesn't affect this project, it is ring-fenced")],
        # another company's news: a competitor's, or ours in a note of ours
        [_said("Dana: Clari was acquired by a private equity firm")],
        [_note("Our reorg is announced next week, territories move")],
        # history, not news: last year's, an earlier year's, or months old
        [_said("Dana: since last year's incident they review every vendor")],
        [_said("Dana: Saltash Marine (acquired by the group in 2025) is on paper AP")],
        [_said("Dana: reorg announced, her team moves under the new COO", "2026-05-02")],
        # a calendar freeze, a buyer acquiring others, a pilot's results
        [_said("Dana: new suppliers must be set up before the peak trading change freeze on 12-08")],
        [_said("Dana: five clinics they acquired need intake")],
        [_said("Dana: pilot results were strong, forecast error down 18%")],
        # ordinary deal words (a re-read of the change): a contract in legal review, a value metric, our own news
        [_said("Raj: contracts in review with their legal team, back Friday")],
        [_said("Dana: the platform cuts support costs by 25% and brings cost savings of 300k")],
        [_said("Dana: they stopped spending hours on reconciliation")],
        [_note("Internal: we were acquired by Halberd, nothing changes for this account")],
        [_note("我们公司上个月重组了，这个客户的负责人不变")],
        # a hope of an exemption is no exemption, but the freeze must still be told: see the test below
    ],
)
def test_no_false_alarm(records: list[dict]) -> None:
    deal = parse_deal(with_activities(*records))
    assert EVENT not in by_code(deal), [r["summary"] for r in records]


def test_a_hoped_for_exception_leaves_the_freeze_standing() -> None:
    hope = _said("Dana: capex is frozen; she hopes to ask for an exception for us")
    assert by_code(parse_deal(with_activities(hope)))[EVENT].severity is Severity.CRITICAL


def test_a_freeze_puts_the_project_on_hold_and_out_of_the_number() -> None:
    deal = parse_deal(with_activities(_said("Dana: group finance froze all uncommitted IT spend")))
    assessment = assess(deal)
    assert assessment.facts.timing.on_hold
    assert assessment.recommended_forecast.value == "omitted"
    lifted = with_activities(
        _said("Dana: group finance froze all uncommitted IT spend", "2026-11-10"),
        _said("Dana: Priya released part of the frozen money, our project got its budget back"),
    )
    assert assess(parse_deal(lifted)).recommended_forecast.value != "omitted"


def test_a_review_gate_is_not_a_hold() -> None:
    gate = _said("Dana: new CFO has paused all new commitments over 250k until she reviews them")
    assessment = assess(parse_deal(with_activities(gate)))
    assert not assessment.facts.timing.on_hold
    assert assessment.facts.events[0].kind == "spend_review"


def test_the_event_is_the_news_when_nothing_else_is_serious() -> None:
    deal = parse_deal(with_activities(_said("Dana: the board announced a cost reduction programme last week")))
    first = next(f for f in ranked(assess(deal).findings) if f.severity.rank <= Severity.MEDIUM.rank)
    assert first.code == EVENT
    report = Coach("offline").review(deal)
    assert "cost programme" in report.headline.lower()
    assert report.next_actions and any(EVENT in a.finding_codes for a in report.next_actions)
    action = next(a for a in report.next_actions if EVENT in a.finding_codes)
    assert (
        "Priya Shah" in action.action
        and "after the cost programme, this project goes ahead as planned" in action.action
    )


def test_the_event_is_told_as_the_cause_of_what_the_deal_does() -> None:
    data = with_activities(
        _said("Dana: corporate pushed all capex reviews after the Q3 results", "2026-11-05"),
    )
    data["close_date"] = "2026-11-20"  # passed since
    deal = parse_deal(data)
    order = [f.code for f in ranked(assess(deal).findings)]
    assert order.index("momentum.close_date_passed") + 1 == order.index(EVENT)
    report = Coach("offline").review(deal)
    assert "close date passed" in report.headline.lower() and "spending freeze" in report.headline
    lead = report.risks[0]
    assert lead.finding_codes[:2] == ["momentum.close_date_passed", EVENT]
    # the paper waits for the signer's word on the freeze
    assert not any("meddpicc.paper_process" in a.finding_codes for a in report.next_actions)
    assert any(EVENT in a.finding_codes for a in report.next_actions)


def test_a_freeze_decides_the_deal_by_whether_the_project_goes_ahead() -> None:
    """Brennecke: the parent froze unsigned commitments; what decides the deal is the signer's answer on whether
    this project is exempt, re-dated or stopped, not the signature date on the plan."""
    from pathlib import Path

    from ae_coach.coach import Coach
    from ae_coach.deal import load_deal

    path = (
        Path(__file__).resolve().parent.parent / "evals/calibration/deals/brennecke-chemie-parent-cost-programme.yaml"
    )
    report = Coach(backend="offline").review(load_deal(path))
    assert report.decides is not None and "goes ahead" in report.decides and "Katrin Lenz" in report.decides


def test_a_freeze_that_lifts_only_later_still_stands() -> None:
    said = _said("Dana: group finance froze all new software spend; nothing moves until the freeze is lifted in March")
    assert by_code(parse_deal(with_activities(said)))[EVENT].severity is Severity.CRITICAL


def test_a_later_still_on_track_for_a_demo_does_not_lift_a_freeze() -> None:
    frozen = _said("Dana: capex is frozen for Q4", "2026-11-10")
    later = _said("Dana: still on track for this Friday demo", "2026-11-18")
    assert EVENT in by_code(parse_deal(with_activities(frozen, later)))


def test_a_freeze_older_than_the_recent_window_puts_nothing_on_hold() -> None:
    """A freeze reported longer ago than ``event_recent_days`` raises no finding, so it sets no hold either: a hold
    the review cannot explain (re-read of the change)."""
    for day, held in (("2026-04-01", False), ("2026-11-20", True)):
        said = _said("Dana: finance froze new Q4 opex", day)
        assessed = assess(parse_deal(with_activities(said)))
        assert (EVENT in {f.code for f in assessed.findings}) is held
        assert (assessed.facts.timing.on_hold is not None) is held


def test_a_freeze_of_what_the_clause_before_names_quotes_both() -> None:
    """Brennecke: "…announced Project Keystone, and all commitments above USD 250k now need group CFO sign-off; group
    finance has frozen them until March" is quoted whole: 'frozen them' alone does not say what is frozen."""
    summary = (
        "Long call about go-live. Side note: the parent announced Project Keystone, and all commitments above USD "
        "250k now need group CFO sign-off; group finance has frozen them until the plan is approved in March."
    )
    event = by_code(parse_deal(with_activities(_said(summary))))["momentum.company_event"]
    assert "Project Keystone" in event.title and "until the plan is approved in March" in event.title
    alone = "Group finance has frozen new software spend until March; we keep going with the pilot."
    event = by_code(parse_deal(with_activities(_said(alone))))["momentum.company_event"]
    assert event.title.endswith('"Group finance has frozen new software spend until March;"')


@pytest.mark.parametrize(
    "summary",
    [
        "Sanne (pasted): 'De raad van bestuur heeft besloten de schadebehandeling uit te besteden. Daarmee vervalt ons "
        "project; Wouter heeft de aanvraag ingetrokken.'",
        "Dana: the board cancelled the project last week.",
        "Dana: the purchase request was withdrawn by the COO.",
        "Dana: das Projekt wurde gestoppt.",
        "Dana: 项目已经取消了。",
        "Dana: the exception panel met on the 17th and declined ours; no new submissions until 2028.",
        "Dana: the architecture board rejected our exception request.",
    ],
)
def test_the_purchase_called_off_omits_the_deal_and_caps_health(summary: str) -> None:
    deal = parse_deal(with_activities(_said(summary)))
    result = assess(deal)
    assert by_code(deal)[EVENT].data["kind"] == "cancelled"
    assert str(result.recommended_forecast) == "omitted"
    assert result.health <= Settings().health_disqualify_cap


@pytest.mark.parametrize(
    "summary",
    [
        "Dana: the EVP's office called off the business case review (he's travelling).",
        "Dana: if the board kills the project we lose the budget too.",
        "Dana: the project is not cancelled, just delayed a week.",
        "Dana: they cancelled the project kick-off call; new slot Thursday.",
        "Dana: they pulled the project forward to Q4.",
        "Dana: the discount request was withdrawn.",
        "Dana: cancelled the project status call.",
        "Dana: is the project cancelled? No, just delayed.",
        "Dana: das Projekt wurde nicht gestoppt.",
        "Dana: 项目取消的风险很小。",
        "Dana: o projeto está suspenso até março.",
        "Dana: if the panel declines ours we resubmit in March.",
        "Dana: the board rejected our proposal for a 3-year term and wants one year.",
        "Dana: the panel has not declined ours, it asked for more detail.",
        "Dana: the steering committee declined our request for a 20% discount.",
        "Dana: the architecture board rejected our project plan, asked for a revised rollout.",
        "Dana: the board never rejected our business case.",
    ],
)
def test_a_meeting_called_off_or_a_fear_of_cancellation_is_no_cancellation(summary: str) -> None:
    deal = parse_deal(with_activities(_said(summary)))
    found = by_code(deal).get(EVENT)
    assert found is None or found.data["kind"] != "cancelled"


def test_a_project_back_on_is_no_longer_cancelled() -> None:
    deal = parse_deal(
        with_activities(
            _said("Dana: the board cancelled the project.", "2026-11-10"),
            _said("Dana: good news, the project is back on after the budget round.", "2026-11-20"),
        )
    )
    found = by_code(deal).get(EVENT)
    assert found is None or found.data["kind"] != "cancelled"


def test_an_event_is_quoted_with_how_long_it_stands() -> None:
    # a long clause keeps its "until …" past the cut, and the short sentence after it that says when
    said = (
        "Dana: after the ransomware attack on our core systems the board has suspended all onboarding of new IT "
        "vendors and all new system integrations until the forensic investigation is closed and the regulator has "
        "our remediation report. I expect that to take into Q1. Otherwise the team is fine."
    )
    quote = assess(parse_deal(with_activities(_said(said)))).facts.events[0].quote
    assert (
        quote.startswith('"Dana: after the ransomware attack')
        and "… until the forensic investigation is closed" in quote
    )
    assert quote.endswith('I expect that to take into Q1."') and "Otherwise" not in quote
    # a sentence after the event that says no time is not quoted with it
    plain = "Dana: finance froze new Q4 opex after the October sales miss. The team is still keen on the project."
    assert "keen" not in assess(parse_deal(with_activities(_said(plain)))).facts.events[0].quote
    # a second event in the next sentence is read on its own, not quoted as the first one's end
    two = "Dana: finance froze new Q4 opex after the sales miss. A reorganisation of IT follows in January."
    assert "reorganisation" not in assess(parse_deal(with_activities(_said(two)))).facts.events[0].quote


def test_pushing_back_on_a_rule_is_not_a_freeze_lifted() -> None:
    from ae_coach.inspector.facts._timing import lifting_sentence

    assert lifting_sentence("Ole says the memo is not final, the regions are pushing back on the board rule.") is None
    assert lifting_sentence("Not approved yet - CFO back on 7 Dec.") is None
    assert lifting_sentence("Good news from Dana: the project is back on.") is not None
    assert lifting_sentence("We are back on track after the budget review.") is not None
    assert lifting_sentence("The project is back on hold until the audit closes in Q1.") is None
    assert lifting_sentence("We are back on the shortlist.") is None


@pytest.mark.parametrize(
    "then",
    ["Our next call is on 14 March.", "She may loop in procurement later.", "They have 2000 users in scope."],
)
def test_a_sentence_that_names_a_time_in_passing_is_not_the_events_end(then: str) -> None:
    said = f"Dana: finance froze new Q4 opex after the October sales miss. {then}"
    assert then not in assess(parse_deal(with_activities(_said(said)))).facts.events[0].quote


def test_a_freeze_above_the_deals_amount_does_not_reach_it() -> None:
    said = "Dana: all new SaaS commitments above USD 250k are paused pending a 90-day review."
    data = with_activities(_said(said))
    assert assess(parse_deal({**data, "amount": 400000})).facts.events
    assert not assess(parse_deal({**data, "amount": 90000})).facts.events


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        # what is stopped, with what else and over which amount, before the verb
        (
            "Dana: all new SaaS commitments and renewals above EUR 25k are paused pending a 90-day review.",
            "spend_review",
        ),
        ("Dana: all new software contracts over EUR 50k on hold until the board meets end of January.", "freeze"),
    ],
)
def test_a_freeze_on_money_over_an_amount_is_read(summary: str, kind: str) -> None:
    events = assess(parse_deal(with_activities(_said(summary)))).facts.events
    assert events and events[0].kind == kind
