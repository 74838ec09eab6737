"""``ae-coach rules lint``: every problem as path:line: message, exit 1 on problems, strict mode."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.findings import FINDING_CODES
from ae_coach.rules.lint import has_errors
from ae_coach.skill.check import lint

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VALID = FIXTURES / "valid"
BROKEN = FIXTURES / "broken"
CHAMPION = "deal-fixture-champion.md"


def _messages(rules_dir: Path, **kwargs: object) -> list[str]:
    return [problem.format() for problem in lint(rules_dir, **kwargs)]  # type: ignore[arg-type]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(VALID, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_rules_and_skill_lint_clean_in_strict_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "lint", "--strict"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert re.search(r"\d+ rules: 0 error\(s\), 0 warning\(s\)", out)


def test_broken_rules_report_every_problem_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "lint", "--rules", str(BROKEN)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    lines = captured.out.splitlines()
    expected = [
        "deal-broken-yaml.md:5: invalid YAML in frontmatter",
        "deal-missing-section.md:10: missing section(s) '### Red flags'",
        "deal-unknown-trigger.md:7: unknown trigger 'momentum.champion_gone' (did you mean 'momentum.champion_dark'?)",
        "pipeline-no-frontmatter.md:1: missing YAML frontmatter",
        "sales-unknown-prefix.md:1: unknown category prefix 'sales'",
        "deal-unknown-trigger.md:10: duplicate title",
    ]
    for fragment in expected:
        assert any(fragment in line for line in lines), fragment
    # Every problem line starts with the file path; the fine rule produces none.
    assert not any("pipeline-fine.md" in line for line in lines)


def test_valid_fixture_only_misses_finding_codes() -> None:
    problems = lint(VALID, strict=True)
    assert len(problems) == 1
    message = problems[0].message
    assert message.startswith(f"{len(FINDING_CODES) - 3} finding code(s) in no rule's triggers")
    assert "meddpicc.metrics" in message and "meddpicc.champion" not in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "## Confirm the champion with a delivered ask",
            "## Confirm the champion",
            ":10: '## Confirm the champion' does not match the frontmatter title",
        ),
        ("summary: A champion", "summary: " + "x" * 190 + " A champion", ":5: summary is 271 characters; at most 200"),
        ("stages: [discovery, validation]", "stages: [discovery, validaton]", ":6: unknown stage 'validaton'"),
        ("### Questions to ask\n", "### Questions\n", ":10: missing section(s) '### Questions to ask'"),
        ("```bad Deal note", "```text Deal note", ":35: needs a Good/Bad example pair: add a ```bad <caption> block"),
        ("```bad Deal note", "```text Deal note", ":36: example block labelled 'text Deal note'"),
        ("### Red flags\n", "### Red Flags\n", ":31: write the heading as '### Red flags'"),
        ("## Confirm the champion with a delivered ask\n", "", ":1: missing '## Confirm the champion"),
    ],
)
def test_each_format_fault_is_reported_with_its_line(rules_copy: Path, old: str, new: str, expected: str) -> None:
    _edit(rules_copy / CHAMPION, old, new)
    messages = _messages(rules_copy)
    assert any(f"{CHAMPION}{expected}" in m for m in messages), messages


def test_steps_written_as_bullets_are_not_steps(rules_copy: Path) -> None:
    path = rules_copy / CHAMPION
    path.write_text(re.sub(r"^\d\. ", "- ", path.read_text(), flags=re.M))
    messages = _messages(rules_copy)
    assert any(f"{CHAMPION}:21: '### How to apply' needs numbered steps" in m for m in messages), messages


def test_duplicate_ids_and_titles(rules_copy: Path) -> None:
    shutil.copy(rules_copy / CHAMPION, rules_copy / "deal-fixture-champion-copy.md")
    messages = _messages(rules_copy)
    assert any("deal-fixture-champion.md:10: duplicate title" in m and "champion-copy.md" in m for m in messages)
    (rules_copy / "deal-fixture-champion-copy.md").rename(rules_copy / "deal-Fixture-Champion.md")
    messages = _messages(rules_copy)
    assert any("duplicate rule id 'deal-fixture-champion'" in m for m in messages), messages
    assert any("id 'deal-Fixture-Champion' must be lowercase" in m for m in messages)


def test_warnings_fail_only_in_strict_mode(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rules_copy / CHAMPION
    _edit(path, "### Anti-patterns", "### Sources\n- A source.\n\n### Anti-patterns")  # out of order
    problems = lint(rules_copy)
    order = [p for p in problems if "out of order" in p.message]
    assert order and order[0].level == "warning"
    assert [p.level for p in lint(rules_copy, strict=True) if "out of order" in p.message] == ["error"]
    path.write_text(path.read_text() + "\n" * 80)  # 130 lines: too long
    assert any(p.level == "warning" and "a rule should be 40-120 lines" in p.message for p in lint(rules_copy))


def test_exit_code_zero_with_only_warnings(
    tmp_path: Path, rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Cover every finding code with a filler trigger list so only the length warning is left.
    codes = ", ".join(FINDING_CODES)
    _edit(rules_copy / "pipeline-fixture-commit.md", "triggers: [anti.forecast_fantasy]", f"triggers: [{codes}]")
    path = rules_copy / CHAMPION
    path.write_text(path.read_text() + "\n" * 80)
    assert main(["rules", "lint", "--rules", str(rules_copy)]) == 0
    assert main(["rules", "lint", "--rules", str(rules_copy), "--strict"]) == 1
    assert "warning(s)" in capsys.readouterr().out
    assert not has_errors(lint(rules_copy))


def _skill_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root / "rules")
    (root / "SKILL.md").write_text(
        "---\nname: account-executive\n"
        "description: Deal review, MEDDPICC, pipeline and forecast coaching for an account executive.\n"
        'license: MIT\nmetadata:\n  version: "0.1.0"\n---\n\n# Skill\n\n'
        "Start with rules/deal-fixture-champion.md.\n\n"
        "<!-- rules-index:start -->\n<!-- rules-index:end -->\n",
        encoding="utf-8",
    )
    return root


def test_skill_md_checks(tmp_path: Path) -> None:
    root = _skill_project(tmp_path)
    skill = root / "SKILL.md"

    def skill_messages() -> list[str]:
        return [p.message for p in lint(root / "rules", skill) if p.path == skill]

    assert skill_messages() == ["the rule index is stale: run `ae-coach rules build`"]
    assert main(["rules", "build", "--root", str(root)]) == 0
    assert skill_messages() == []
    text = skill.read_text()
    skill.write_text(
        text.replace("forecast coaching", "forecast <coaching>")
        .replace("license: MIT\n", "license: MIT\nauthor: me\n")
        .replace("rules/deal-fixture-champion.md", "rules/deal-gone.md or `pipeline-missing`")
        + "filler line\n" * 500
    )
    messages = skill_messages()
    assert "description must not contain '<' or '>'" in messages
    assert "frontmatter key 'author' is not in the Agent Skills spec" in messages
    assert "links to rules/deal-gone.md, which does not exist" in messages
    assert "refers to pipeline-missing, which is not a rule" in messages
    assert any(m.startswith("SKILL.md has 5") and "the budget is 500" in m for m in messages)


def test_dangling_rule_references_are_reported(rules_copy: Path) -> None:
    _edit(
        rules_copy / CHAMPION,
        "- Testing once and never again.",
        "- Testing once and never again (see pipeline-fixture-commit, then see deal-champion-testing).",
    )
    problems = [p for p in lint(rules_copy) if "refers to" in p.message]
    assert [(p.path.name, p.line, p.message, p.level) for p in problems] == [
        (CHAMPION, 47, "refers to deal-champion-testing, which is not a rule", "warning")
    ]


def test_a_step_marker_naming_an_unknown_code_fails_lint(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(
        rules_copy / CHAMPION,
        "3. Record the result with its date.",
        "3. Record the result with its date. {for meddpicc.champion} {when momentum.champion_gone}",
    )
    assert main(["rules", "lint", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert "### How to apply item 3: unknown finding code 'momentum.champion_gone'" in out
    assert "did you mean momentum.champion_dark?" in out


_LEXICON = """\
synonyms:
  ghosted: [dark, silent]
intents:
  - id: champion
    rules: [deal-fixture-champion]
    codes: [meddpicc.champion]
    facts: [champion]
    en: [real champion]
    zh: [内部支持者]
topics: {fiscal_year: [fiscal year, 财年]}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, None, None),
        (
            "rules: [deal-fixture-champion]",
            "rules: [deal-fixture-champions]",
            "intent 'champion': unknown rule id 'deal-fixture-champions' (did you mean 'deal-fixture-champion'?)",
        ),
        (
            "codes: [meddpicc.champion]",
            "codes: [meddpicc.champoin]",
            "intent 'champion': unknown finding code 'meddpicc.champoin' (did you mean 'meddpicc.champion'?)",
        ),
        ("facts: [champion]", "facts: [champions_list]", "intent 'champion': unknown fact kind 'champions_list'"),
        ("    zh: [内部支持者]\n", "", "intent 'champion': give phrasings in both languages"),
        ("en: [real champion]", "en: [the, real champion]", "intent 'champion': phrasing 'the' has no words"),
        ("facts: [champion]", "facts: [fiscal_yeer]", "intent 'champion': unknown fact kind 'fiscal_yeer'"),
        ("en: [real champion]", "en: [real champion]\n    weak: [champion]", "intent 'champion': weak phrasing"),
        ("facts: [champion]", "facts: [champion]\n    stages: [won]", "intent 'champion': unknown stage 'won'"),
    ],
)
def test_the_lexicon_names_only_rules_codes_and_kinds_that_exist(
    rules_copy: Path, old: str | None, new: str | None, expected: str | None
) -> None:
    text = _LEXICON if old is None else _LEXICON.replace(old, new or "", 1)
    (rules_copy / "_lexicon.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in lint(rules_copy) if p.path.name == "_lexicon.yaml"]
    if expected is None:
        assert problems == []
    else:
        assert [(p.line, p.level) for p in problems] == [(4, "error")]
        assert problems[0].message.startswith(expected), problems[0].message


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        ("topics: {fiscal_year: [fiscal year, 财年]}", None),
        ("topics: {champion: [sponsor]}", "topic 'champion' is already a fact kind"),
        ("topics: {fiscal_year: [the]}", "topic 'fiscal_year': word 'the' has no words"),
    ],
)
def test_a_lexicon_topic_is_a_new_fact_kind_with_words(rules_copy: Path, topics: str, expected: str | None) -> None:
    text = _LEXICON.replace("topics: {fiscal_year: [fiscal year, 财年]}", topics).replace(
        "facts: [champion]", "facts: [champion, fiscal_year]" if expected is None else "facts: [champion]"
    )
    (rules_copy / "_lexicon.yaml").write_text(text, encoding="utf-8")
    messages = [p.message for p in lint(rules_copy) if p.path.name == "_lexicon.yaml"]
    assert messages == [] if expected is None else messages[0].startswith(expected), messages


def test_renaming_a_rule_the_shipped_lexicon_names_fails_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ae_coach.resources import rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    lexicon = rules / "_lexicon.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace("deal-pilot-terms", "deal-pilot-rules"))
    assert main(["rules", "lint", "--rules", str(rules)]) == 1
    assert "unknown rule id 'deal-pilot-rules' (did you mean 'deal-pilot-terms'?)" in capsys.readouterr().out


def test_a_step_owner_that_is_not_a_seller_role_fails_lint(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        rules_copy / CHAMPION,
        "3. Record the result with its date.",
        "3. Record the result with its date. {for meddpicc.champion} {owner account_manager}",
    )
    assert main(["rules", "lint", "--rules", str(rules_copy)]) == 1
    assert "{owner account_manager}: allowed seller roles are" in capsys.readouterr().out


def test_a_step_with_a_placeholder_the_coach_cannot_fill_fails_lint(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(rules_copy / CHAMPION, "3. Record the result with its date.", "3. Record the result with [the signer].")
    assert main(["rules", "lint", "--rules", str(rules_copy)]) == 1
    assert "### How to apply item 3: unknown placeholder [the signer]" in capsys.readouterr().out
