"""The rulebook loader: shipped rules, fixture rules, lookups, search, and file:line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ae_coach.cli import main
from ae_coach.errors import RuleFileError
from ae_coach.findings import FINDING_CODES
from ae_coach.rules import OPEN_STAGES, REQUIRED_SECTIONS, load_rulebook
from ae_coach.rules.lint import check_rule
from ae_coach.rules.parse import parse_rule

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VALID = FIXTURES / "valid"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def valid_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(VALID, target)
    return target


# ---------------------------------------------------------------- the shipped rulebook


def test_shipped_rulebook_loads_every_file_with_its_parts(repo: Path) -> None:
    rulebook = load_rulebook()
    files = sorted(p.stem for p in (repo / "rules").glob("*.md") if not p.name.startswith("_"))
    assert rulebook.ids == files
    assert len(rulebook) >= 35
    for rule in rulebook:
        assert rule.category == rule.id.split("-")[0]
        assert set(REQUIRED_SECTIONS) <= set(rule.sections), rule.id
        assert rule.steps and rule.questions and rule.red_flags and rule.anti_patterns, rule.id
        assert {e.kind for e in rule.examples} == {"good", "bad"}, rule.id
        lines = rule.path.read_text(encoding="utf-8").splitlines()
        assert lines[rule.line - 1] == f"## {rule.title}", rule.id
        for name, line in rule.section_lines.items():
            assert lines[line - 1] == f"### {name}", (rule.id, name)


def test_shipped_categories_come_from_sections_file() -> None:
    rulebook = load_rulebook()
    assert [s.prefix for s in rulebook.sections] == ["pipeline", "relationship", "deal", "account", "execution"]
    for section in rulebook.sections:
        assert rulebook.by_category(section.prefix), section.prefix
        assert section.impact in {"CRITICAL", "HIGH", "MEDIUM", "LOW"} and section.description


def test_every_finding_code_is_triggered_by_a_shipped_rule() -> None:
    rulebook = load_rulebook()
    missing = [code for code in FINDING_CODES if not rulebook.by_trigger(code)]
    assert missing == []


def test_default_rulebook_is_cached_and_reloads_after_a_change(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_rulebook() is load_rulebook()
    assert load_rulebook(VALID) is not load_rulebook(VALID)  # explicit paths are always read fresh
    monkeypatch.setattr("ae_coach.resources.rules_dir", lambda: valid_copy)
    first = load_rulebook()
    assert first.path == valid_copy and load_rulebook() is first
    path = valid_copy / "deal-fixture-champion.md"
    path.write_text(path.read_text().replace("Very keen.", "Keen, and says so twice."))
    second = load_rulebook()
    assert second is not first and second.content_hash != first.content_hash


# ---------------------------------------------------------------- a fixture rule, field by field


def test_fixture_rule_parts_are_parsed_exactly() -> None:
    rule = load_rulebook(VALID).get("deal-fixture-champion")
    assert rule is not None
    assert (rule.category, rule.impact, rule.line, rule.line_count) == ("deal", "HIGH", 10, 47)
    assert rule.stages == ["discovery", "validation"]
    assert rule.triggers == ["meddpicc.champion", "anti.neglecting_champion"]
    assert rule.steps == [
        "Ask for an introduction to the economic buyer.",
        "Ask for the budget template\nand the decision timeline.",
        "Record the result with its date.",
    ]
    assert rule.questions == ['"Could you set up time with the CFO next week?"', '"Who will push back on this?"']
    assert rule.red_flags == ['Every ask ends with "let me see".', "They do not know who signs."]
    # A nested bullet belongs to its parent item, not to the list of anti-patterns.
    assert rule.anti_patterns == ["Calling anyone who likes you a champion.", "Testing once and never again."]
    assert [(e.kind, e.caption, e.line) for e in rule.examples] == [
        ("bad", "Deal note", 36),
        ("good", "Talk track: the power test", 40),
    ]
    assert rule.examples[0].text == "Champion: Tom. Very keen. Confirmed."
    assert rule.tables == [
        [
            {"Test": "Power", "Pass": "arranges the economic buyer meeting"},
            {"Test": "Commitment", "Pass": "shares the budget template"},
        ]
    ]
    assert list(rule.sections) == list(REQUIRED_SECTIONS)
    assert rule.sections["Red flags"].startswith("- Every ask")
    assert rule.section("red FLAGS") == rule.sections["Red flags"]
    assert rule.body.startswith("## Confirm the champion")


def test_stages_default_to_open_stages_and_sources_is_kept() -> None:
    rule = load_rulebook(VALID).get("pipeline-fixture-commit")
    assert rule is not None
    assert rule.stages == list(OPEN_STAGES)
    assert "Sources" in rule.sections


def test_lookups_by_id_category_tag_stage_and_trigger() -> None:
    rulebook = load_rulebook(VALID)
    assert "deal-fixture-champion" in rulebook and "deal-nope" not in rulebook
    assert rulebook.get("deal-nope") is None
    assert [r.id for r in rulebook.by_category("pipeline")] == ["pipeline-fixture-commit"]
    assert [r.id for r in rulebook.by_tag("testing")] == ["deal-fixture-champion"]  # tags match case-insensitively
    assert [r.id for r in rulebook.by_stage("proposal")] == ["pipeline-fixture-commit"]
    assert [r.id for r in rulebook.by_trigger("anti.forecast_fantasy")] == ["pipeline-fixture-commit"]
    assert rulebook.triggered_codes() == {"meddpicc.champion", "anti.neglecting_champion", "anti.forecast_fantasy"}


def test_content_hashes_follow_the_text(valid_copy: Path) -> None:
    before = load_rulebook(valid_copy)
    path = valid_copy / "deal-fixture-champion.md"
    path.write_text(path.read_text().replace("Very keen.", "Very, very keen."))
    after = load_rulebook(valid_copy)
    assert before.get("deal-fixture-champion").content_hash != after.get("deal-fixture-champion").content_hash
    assert before.get("pipeline-fixture-commit").content_hash == after.get("pipeline-fixture-commit").content_hash
    assert before.content_hash != after.content_hash


# ---------------------------------------------------------------- search


def test_search_ranks_the_obvious_rule_first() -> None:
    rulebook = load_rulebook()
    assert rulebook.search("champion went quiet", k=3)[0].rule.id == "relationship-champion-gone-dark"
    assert rulebook.search("close date slipped again", k=1)[0].rule.id == "pipeline-close-date-discipline"
    hits = rulebook.search("how much pipeline coverage do I need for my quota", k=5)
    assert "pipeline-coverage-math" in [hit.rule.id for hit in hits[:2]]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_search_per_rule_cap_and_empty_queries() -> None:
    rulebook = load_rulebook()
    capped = rulebook.search("champion", k=8, per_rule=1)
    assert len({hit.rule.id for hit in capped}) == len(capped) == 8
    assert all(hit.section in hit.rule.sections for hit in capped)
    assert rulebook.search("the of and", k=5) == []  # only stopwords
    assert rulebook.search("xyzzy plugh", k=5) == []  # no shared term


# ---------------------------------------------------------------- malformed rules


def _write_rule(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("deal-yaml.md", "---\ntitle: x\ntags: [a\nsummary: s\n---\n", 4, "invalid YAML in frontmatter"),
        ("deal-nofm.md", "## Title\n\ntext\n", 1, "missing YAML frontmatter"),
        ("deal-open.md", "---\ntitle: x\n\n## Title\n", 1, "not closed"),
        ("deal-list.md", "---\n- a\n- b\n---\n", 1, "must be a mapping"),
        ("deal-missing.md", "---\ntitle: T\nimpact: HIGH\ntags: [a]\n---\n", 1, "missing required key 'summary'"),
        (
            "deal-extra.md",
            "---\ntitle: T\nimpact: HIGH\ntags: [a]\nsummary: s\nowner: me\n---\n",
            6,
            "unknown key 'owner'",
        ),
        ("deal-impact.md", "---\ntitle: T\nimpact: huge\ntags: [a]\nsummary: s\n---\n", 3, "impact"),
        ("deal-tags.md", "---\ntitle: T\nimpact: LOW\ntags: champion\nsummary: s\n---\n", 4, "tags"),
        ("sales-prefix.md", "---\ntitle: T\n---\n", 1, "unknown category prefix 'sales'"),
    ],
)
def test_malformed_rule_raises_file_and_line(valid_copy: Path, name: str, text: str, line: int, message: str) -> None:
    path = _write_rule(valid_copy, name, text)
    with pytest.raises(RuleFileError) as info:
        load_rulebook(valid_copy)
    assert info.value.path == path
    assert info.value.line == line
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_missing_sections_file_and_bad_category_heading(tmp_path: Path, valid_copy: Path) -> None:
    (valid_copy / "_sections.md").unlink()
    with pytest.raises(RuleFileError, match=r"_sections\.md: file not found"):
        load_rulebook(valid_copy)
    (valid_copy / "_sections.md").write_text("# Sections\n\n## Deal stuff\n\n**Impact:** HIGH\n")
    with pytest.raises(RuleFileError, match=r"_sections.md:3: a category heading must read"):
        load_rulebook(valid_copy)
    with pytest.raises(RuleFileError, match="rules directory not found"):
        load_rulebook(tmp_path / "nowhere")


def test_cli_reports_broken_rule_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "list", "--rules", str(BROKEN)])
    err = capsys.readouterr().err
    assert code == 2
    assert "deal-broken-yaml.md:5: invalid YAML in frontmatter" in err
    assert "Traceback" not in err


def test_byte_order_mark_and_empty_triggers_are_accepted(valid_copy: Path) -> None:
    path = valid_copy / "pipeline-fixture-commit.md"
    text = path.read_text().replace("triggers: [anti.forecast_fantasy]", "triggers:")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    rule = load_rulebook(valid_copy).get("pipeline-fixture-commit")
    assert rule is not None and rule.triggers == [] and rule.title == "Commit only what passes the gate"


_FRAGMENTS = [
    "---\n",
    "title: T\n",
    "impact: HIGH\n",
    "impact: [x]\n",
    "tags: [a, b]\n",
    "tags: {a: 1}\n",
    "summary: s\n",
    "summary:\n",
    "stages: [discovery]\n",
    "triggers: [x.y]\n",
    "triggers: 3\n",
    "key: 'unclosed\n",
    "## T\n",
    "### Why it matters\n",
    "### How to apply\n",
    "1. Do it.\n",
    "- bullet\n",
    "  - nested\n",
    "```good Note\n",
    "```bad\n",
    "```\n",
    "| a | b |\n",
    "|---|---|\n",
    "| 1 |\n",
    "\n",
    "text\n",
    "\t\x00\n",
    "...\n",
    "\ufeff",
    "> quote\n",
    "<div>\n",
    "    code\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=20), max_size=25))
def test_any_text_either_parses_or_raises_rule_file_error(tmp_path: Path, pieces: list[str]) -> None:
    path = tmp_path / "deal-fuzz.md"
    path.write_text("".join(pieces), encoding="utf-8", errors="surrogatepass")
    try:
        rule = parse_rule(path, {"deal"})
    except RuleFileError as exc:
        assert str(exc).startswith(str(path)) and exc.detail
    else:
        assert rule.id == "deal-fuzz" and isinstance(rule.title, str)
        check_rule(rule)  # lint checks never crash on a rule that loaded
