"""The Chinese rulebook (rules/zh): loading it, and lint keeping it in step with the English rules."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.rules import load_rulebook
from ae_coach.rules.glossary import shipped_glossary
from ae_coach.rules.lint import has_errors, lint

REPO = Path(__file__).resolve().parent.parent
RULE = "pipeline-commit-gate"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(REPO / "rules", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(rules_dir: Path) -> list[str]:
    return [p.format(rules_dir) for p in lint(rules_dir)]


def _line(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def test_every_english_rule_has_a_chinese_version_with_the_same_id() -> None:
    english, chinese = load_rulebook(), load_rulebook(lang="zh")
    assert chinese.ids == english.ids
    assert all(rule.lang == "zh" for rule in chinese)


def test_a_chinese_rule_has_the_english_structure_and_markers() -> None:
    english, chinese = load_rulebook()[RULE], load_rulebook(lang="zh")[RULE]
    assert chinese.triggers == english.triggers and chinese.impact == english.impact
    assert [p.answers for p in chinese.plays] == [p.answers for p in english.plays]
    assert [p.when for p in chinese.plays] == [p.when for p in english.plays]
    assert [a.answers for a in chinese.asks] == [a.answers for a in english.asks]
    assert "How to apply" in chinese.sections  # the glossary heading 如何执行 is filed under its English name
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.steps[0])


def test_the_glossary_maps_prefixes_back_to_english() -> None:
    glossary = shipped_glossary()
    assert glossary.english_prefix("交易复盘：哪一个条件？") == "Deal review: 哪一个条件？"
    assert glossary.english_prefix("问最终决策者：“…”") == "To the economic buyer: “…”"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (" {for anti.forecast_fantasy} {when call=best_case}", "", "### How to apply item 2: markers {for …} []"),
        (
            "{when call<=best_case}",
            "{when call=best_case}",
            "### How to apply item 5: markers {when …} [call=best_case]",
        ),
        ("{scope pipeline}", "", "### How to apply item 8: markers {scope …} [deal]"),
        ("- 交易复盘：", "- ", "### Questions to ask item 5: starts with no prefix; the English Deal review:"),
        ("[economic buyer] 已经", "最终决策者已经", "### Questions to ask item 2: placeholders []"),
        ("impact: CRITICAL", "impact: HIGH", "impact 'HIGH' differ from the English 'CRITICAL'"),
        ("### 要问的问题", "### 提问", "'### 提问' is not a glossary heading"),
        ("报为承诺之前", "报为 Commit 之前", "uses 'Commit' for 'commit'; the glossary's term is 承诺"),
    ],
)
def test_lint_fails_when_a_chinese_rule_falls_out_of_step(rules_copy: Path, old: str, new: str, message: str) -> None:
    path = rules_copy / "zh" / f"{RULE}.md"
    line = _line(path, old)
    _edit(path, old, new)
    problems = lint(rules_copy)
    assert has_errors(problems)
    shown = _problems(rules_copy)
    hits = [p for p in shown if message in p]
    assert hits, shown
    if "impact" not in message and "heading" not in message:
        assert hits[0].startswith(f"zh/{RULE}.md:{line}:"), hits


def test_lint_fails_when_the_english_gains_a_step_or_a_trigger(rules_copy: Path) -> None:
    english = rules_copy / f"{RULE}.md"
    _edit(english, "triggers: [", "triggers: [momentum.stale, ")
    _edit(
        english,
        "\n### Questions to ask",
        "10. Write the gate result into the CRM. {scope desk}\n\n### Questions to ask",
    )
    shown = _problems(rules_copy)
    assert any(f"zh/{RULE}.md:" in p and "triggers [" in p and "differ from the English" in p for p in shown), shown
    assert any(f"zh/{RULE}.md:" in p and "9 steps; the English has 10" in p for p in shown), shown


def test_a_translation_older_than_its_source_is_reported(rules_copy: Path) -> None:
    english = rules_copy / f"{RULE}.md"
    _edit(english, "Run the gate on this deal", "Run the gate on this deal today")
    problems = lint(rules_copy)
    stale = [p for p in problems if "translation older than its source" in p.message]
    assert len(stale) == 1 and stale[0].level == "warning"
    assert hashlib.sha256(english.read_bytes()).hexdigest()[:12] in stale[0].message
    assert stale[0].line == _line(rules_copy / "zh" / f"{RULE}.md", "translated_from:")


def test_a_missing_translation_is_a_warning_and_the_chinese_rulebook_keeps_the_english_rule(rules_copy: Path) -> None:
    (rules_copy / "zh" / f"{RULE}.md").unlink()
    problems = lint(rules_copy)
    missing = [p for p in problems if f"no Chinese version of {RULE}" in p.message]
    assert [p.level for p in missing] == ["warning"]
    assert load_rulebook(rules_copy, lang="zh")[RULE].lang == "en"


def test_strict_lint_exits_1_on_a_stale_translation(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(rules_copy / f"{RULE}.md", "Run the gate on this deal", "Run the gate on this deal today")
    assert main(["rules", "lint", "--rules", str(rules_copy)]) == 0
    assert main(["rules", "lint", "--strict", "--rules", str(rules_copy)]) == 1
    assert "translation older than its source" in capsys.readouterr().out
