"""The findings appendix of the text reviews: the problems with their evidence, the rest one line each; the last
line says what made the review in words, not "Backend: offline"."""

from __future__ import annotations

from pathlib import Path

from ae_coach.coach import Coach
from ae_coach.deal import load_deal
from ae_coach.i18n import use
from ae_coach.inspector import inspect
from ae_coach.render import terminal
from ae_coach.render.markdown import to_markdown

DEAL = Path(__file__).resolve().parent.parent / "examples" / "deals" / "lucerne-late-stakeholder.yaml"


def _review(lang: str = "en"):
    deal = load_deal(DEAL)
    return Coach(backend="offline", lang=lang).review(deal), inspect(deal)


def test_markdown_prints_evidence_only_for_problems_and_lists_the_rest_on_one_line() -> None:
    report, findings = _review()
    text = to_markdown(report, findings)
    appendix = text.split("## Findings", 1)[1]
    brief = [f for f in findings if str(f.severity) in ("low", "info")]
    assert brief, "the example must have low or info findings for this test to mean anything"
    for f in findings:
        listed = f"`{f.code}`" in appendix
        assert listed == (str(f.severity) in ("critical", "high", "medium")), f.code
    positives = [f for f in brief if f.code.startswith("positive.")]
    favour = next(line for line in appendix.splitlines() if line.startswith("In the deal's favour:"))
    assert all(f.title[1:] in favour for f in positives)
    assert "Backend:" not in text and "no AI model was used" in text.splitlines()[-1]


def test_terminal_rich_and_plain_draw_the_same_appendix() -> None:
    report, findings = _review()
    rich = terminal._to_rich(report, findings, color=False, width=100, since=None)
    plain = terminal._to_plain(report, findings, width=100, since=None)
    assert rich == plain
    assert "Also noted:" in plain or "In the deal's favour:" in plain
    assert "backend:" not in plain.lower()


def test_chinese_appendix_and_footer() -> None:
    report, findings = _review("zh")
    with use("zh"):
        text = to_markdown(report, findings)
    assert "对本单有利：" in text and text.rstrip().endswith("未使用 AI 模型。")


def test_text_planted_to_steer_an_ai_is_raised_under_the_headline_for_whoever_keeps_the_crm():
    from pathlib import Path

    from ae_coach.coach import Coach
    from ae_coach.deal import load_deal
    from ae_coach.render.html import to_html
    from ae_coach.render.markdown import to_markdown
    from ae_coach.render.terminal import to_terminal

    deal = load_deal(Path(__file__).resolve().parent.parent / "examples" / "deals" / "contoso-notes-injection.yaml")
    result = Coach("offline").run_review(deal)
    findings = result.assessment.findings
    warning = "For whoever keeps the CRM: the record's notes field holds text written to steer an AI"
    markdown = to_markdown(result.report, findings)
    assert warning in markdown
    assert markdown.index(warning) < markdown.index("## Why this health score")
    assert "steer an AI" not in markdown.split("Also noted:")[1]  # said once, at the top
    assert warning in " ".join(to_terminal(result.report, findings, width=200).split())
    assert "For whoever keeps the CRM" in to_html(result.report, findings)
