"""A review says a thing once: a quote of the record in full once (render/_quotes), a risk row not copied into the
findings appendix (render/_also.shown_as_risk)."""

from __future__ import annotations

import json

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.render import render
from ae_coach.render._quotes import _Reader

QUOTE = "New CFO says the price is too high; procurement is also evaluating Contentful again"


def test_the_first_occurrence_is_whole_and_a_repeat_is_cut() -> None:
    read = _Reader()
    first = read.text(f'Budget concern: "{QUOTE}"')
    again = read.text(f'2026-11-21 meeting: "{QUOTE}".')
    assert QUOTE in first
    assert again == '2026-11-21 meeting: "New CFO says the price is too high…".'
    # a repeat keeps the clause that carries the point where it stands
    back = read.text(f'Contentful came back on 2026-11-21: "{QUOTE}"')
    assert back == 'Contentful came back on 2026-11-21: "…procurement is also evaluating Contentful again"'


def test_short_quotes_and_text_between_quotes_are_left_alone() -> None:
    read = _Reader()
    line = 'on record: "Budget pulled" and a long stretch of plain words in between two quotes "Go ahead"'
    assert read.text(line) == line
    assert read.text(line) == line  # short quotes repeat in full


def test_a_chinese_quote_keeps_its_first_characters() -> None:
    read = _Reader()
    quote = "新来的财务总监说价格太高了，采购部门也在重新评估另外一家供应商的方案和报价，要求我们在下周之前给出新的方案"
    read.text(f"“{quote}”")
    assert read.text(f"“{quote}”") == "“新来的财务总监说价格太高了…”"


def test_a_review_quotes_the_buyer_once_in_full_and_json_keeps_every_quote() -> None:
    deal = load_deal("examples/deals/lucerne-late-stakeholder.yaml")
    result = Coach(backend="offline", lang="en").run_review(deal, deal.as_of)
    findings = result.assessment.findings
    markdown = render("markdown", result.report, findings)
    assert markdown.count(QUOTE) == 1
    assert markdown.count('"New CFO says the price is too high…"') >= 3
    assert '"…procurement is also evaluating Contentful again"' in markdown
    as_json = json.loads(render("json", result.report, findings, result.assessment))
    assert json.dumps(as_json).count(QUOTE) >= 3


def test_the_findings_appendix_points_to_the_risk_row_instead_of_repeating_it() -> None:
    deal = load_deal("examples/deals/lucerne-late-stakeholder.yaml")
    result = Coach(backend="offline", lang="en").run_review(deal, deal.as_of)
    markdown = render("markdown", result.report, result.assessment.findings)
    appendix = markdown.split("## Findings", 1)[1]
    for n, risk in enumerate(result.report.risks, 1):
        assert f"`{risk.finding_codes[0]}`: risk {n} above" in appendix
        assert risk.title not in appendix
    plain = render("terminal", result.report, result.assessment.findings)
    assert "momentum.budget_concern_late: risk 1 above" in plain
