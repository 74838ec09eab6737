"""Lazy patterns skip compiling when the text holds none of their needles; the needles never change an answer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ae_coach import _patterns
from ae_coach._patterns import WIDE_CHAR, key, lazy, needles

ROOT = Path(__file__).resolve().parent.parent


def _package_patterns() -> list[tuple[str, int]]:
    """The package's own patterns, listed by a fresh interpreter (patterns tests make are not among them)."""
    code = "import json; from ae_coach._patterns import package_patterns; print(json.dumps(package_patterns()))"
    listed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return [(pattern, flags) for pattern, flags in json.loads(listed)]


def _texts() -> list[str]:
    """Every activity summary, note and next step of the example and calibration deals."""
    out = []
    for path in [*ROOT.glob("examples/deals/*.yaml"), *ROOT.glob("evals/calibration/deals/*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [a.get("summary") or "" for a in data.get("activities") or []]
        out += [data.get("notes") or "", (data.get("next_step") or {}).get("action") or ""]
    return [t for t in out if t]


@pytest.mark.parametrize(
    ("pattern", "flags", "want"),
    [
        (r"\bbudget (?:cut|freeze)\b", re.IGNORECASE, [["budget "], ["cut", "freeze"]]),
        (r"\b(?:pilot|trial|sandbox)\b", 0, [["pilot", "sandbox", "trial"]]),
        (r"\bfoo(?:bar)?\b|baz", 0, [["baz", "foo"]]),
        (r"a|b*", 0, None),  # the empty text matches: no needle can be required
        (r"(?:x\d)?[0-9]+ days", 0, [[" days"]]),
        (r"([\u4e00-\u9fff]+)", 0, [[WIDE_CHAR]]),
        (r"\b(?:terms|pricing) (?:are )?(?:agreed|settled)\b", 0, [["agreed", "settled"], ["pricing", "terms"]]),
        (r"(a)(bb)(ccc)(dddd)", 0, [["dddd"], ["ccc"], ["bb"]]),  # the three most selective groups
    ],
)
def test_needles_are_groups_every_match_holds_one_of(pattern: str, flags: int, want: list[list[str]] | None) -> None:
    assert needles(pattern, flags) == want


def test_the_shipped_table_is_current() -> None:
    """`python -m ae_coach._patterns` rewrites it; a pattern edited without rewriting it is reported here."""
    table = json.loads(_patterns.TABLE.read_text(encoding="utf-8"))
    stale = [args[0][:60] for args in _package_patterns() if table.get(key(*args), 0) != needles(*args)]
    assert not stale, stale


def test_a_skipped_text_is_one_the_compiled_pattern_does_not_match() -> None:
    texts = _texts()
    assert len(texts) > 500
    checked = 0
    for args in _package_patterns():
        compiled = re.compile(*args)
        for text in texts:
            if _patterns._Lazy(*args)._cannot_match(text, (), {}):
                checked += 1
                assert compiled.search(text) is None, (args[0][:60], text)
    assert checked > 10_000  # the screen does skip most pattern-text pairs


def test_a_skipped_pattern_answers_every_method_as_the_compiled_one() -> None:
    deferred, compiled = lazy(r"\bcfo\b", re.IGNORECASE), re.compile(r"\bcfo\b", re.IGNORECASE)
    deferred._needles = needles(r"\bcfo\b", re.IGNORECASE)  # as the shipped table gives a package pattern
    text = "the champion said yes"
    assert deferred.search(text) is None and deferred.match(text) is None and deferred.fullmatch(text) is None
    assert deferred.findall(text) == compiled.findall(text) == []
    assert list(deferred.finditer(text)) == []
    assert deferred.sub("-", text) == compiled.sub("-", text)
    assert deferred.subn("-", text) == compiled.subn("-", text)
    assert deferred.split(text) == compiled.split(text)
    assert deferred._compiled is None  # none of that compiled it
    assert deferred.search("Ask the CFO").group(0) == "CFO"  # a text with the needle is matched for real


@pytest.fixture
def code_home(tmp_path, monkeypatch) -> Path:
    """An empty ``AE_COACH_HOME``; returns the directory the compiled code goes to."""
    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path))
    return Path(_patterns._code_dir())


def test_kept_code_compiles_every_package_pattern_as_re_does(code_home, monkeypatch) -> None:
    patterns = _package_patterns()
    fresh = [_patterns.compile_cached(*args) for args in patterns]  # compiled and kept
    assert len(list(code_home.glob("*.json"))) == len(patterns)
    # re's own compilations, made while the parser still works: re keeps only the last 512, so one compiled
    # after the parser is switched off may need to be parsed again (it failed that way on a clean clone)
    expectations = [re.compile(*args) for args in patterns]
    monkeypatch.setattr(_patterns._parser, "parse", None)  # from here on nothing may be parsed
    kept = [_patterns.compile_cached(*args) for args in patterns]
    for args, first, second, expected in zip(patterns, fresh, kept, expectations, strict=True):
        # Pattern equality compares the text, the flags and the engine's code.
        assert first == second == expected, args[0][:60]
        assert second.groupindex == expected.groupindex and second.groups == expected.groups


@pytest.mark.parametrize(
    "damage",
    [
        lambda kept: "{not json",
        lambda kept: json.dumps({**kept, "pattern": "something else"}),
        lambda kept: json.dumps({**kept, "engine": [*kept["engine"][:1], "00" * 8, *kept["engine"][2:]]}),
        lambda kept: json.dumps({**kept, "engine": kept["engine"][:3]}),
    ],
    ids=["not json", "another pattern", "code the engine rejects", "truncated"],
)
def test_unusable_kept_code_is_compiled_again_and_replaced(code_home, damage) -> None:
    pattern, flags = r"\b(?P<who>cfo|ceo)\b signed", re.IGNORECASE
    _patterns.compile_cached(pattern, flags)
    (path,) = code_home.glob("*.json")
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(damage(kept), encoding="utf-8")
    assert _patterns.compile_cached(pattern, flags) == re.compile(pattern, flags)
    assert json.loads(path.read_text(encoding="utf-8")) == kept


def test_code_kept_for_another_interpreter_build_is_cleared(code_home) -> None:
    other = code_home.parent / "regex-0123456789abcdef"
    other.mkdir(parents=True)
    (other / "x.json").write_text("{}", encoding="utf-8")
    _patterns.compile_cached(r"\bpilot\b")
    assert [p.name for p in code_home.parent.glob("regex-*")] == [code_home.name]


def test_a_debug_compile_is_not_kept(code_home, capsys) -> None:
    _patterns.compile_cached(r"a+", re.DEBUG)
    assert not code_home.exists()
