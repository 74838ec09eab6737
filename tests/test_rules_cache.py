"""The CLI's parsed-rulebook cache: used when current, rebuilt when a rule changes, ignored when corrupt."""

from __future__ import annotations

import os
import shutil

import pytest

from ae_coach.rules import cache as _rulecache
from ae_coach.rules import load_rulebook


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    from ae_coach.resources import rules_dir

    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    monkeypatch.setattr("ae_coach.resources.rules_dir", lambda: copy)
    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path / "home"))
    return copy


def test_cache_round_trip_equals_a_fresh_parse(rules_copy, tmp_path):
    first = _rulecache.shipped_rulebook()
    cached = list((tmp_path / "home" / "cache").glob("rulebook-*.json"))
    assert len(cached) == 1
    second = _rulecache.shipped_rulebook()
    assert second == first == load_rulebook(rules_copy)


def test_editing_a_rule_invalidates_the_cache(rules_copy, tmp_path):
    _rulecache.shipped_rulebook()
    rule = rules_copy / "deal-economic-buyer.md"
    rule.write_text(rule.read_text().replace("Meet the person who signs", "Meet the signer", 2))
    stat = rule.stat()
    os.utime(rule, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert _rulecache.shipped_rulebook().get("deal-economic-buyer").title.startswith("Meet the signer")
    assert len(list((tmp_path / "home" / "cache").glob("rulebook-*.json"))) == 1  # the stale one is gone


def test_a_corrupt_cache_is_ignored(rules_copy, tmp_path):
    _rulecache.shipped_rulebook()
    cache = next((tmp_path / "home" / "cache").glob("rulebook-*.json"))
    cache.write_text("{not json")
    assert len(_rulecache.shipped_rulebook().rules) == len(load_rulebook(rules_copy).rules)


def test_each_language_has_its_own_book_and_a_translation_edit_invalidates_only_it(rules_copy, tmp_path):
    english = _rulecache.shipped_rulebook()
    chinese = _rulecache.shipped_rulebook("zh")
    assert chinese == load_rulebook(rules_copy, lang="zh") != english
    home = tmp_path / "home" / "cache"
    assert sorted(p.name.split("-")[1] for p in home.glob("rulebook-*.json")) == ["en", "zh"]
    rule = rules_copy / "zh" / "deal-economic-buyer.md"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stat = rule.stat()
    os.utime(rule, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    english_file = next(home.glob("rulebook-en-*.json"))
    assert _rulecache.shipped_rulebook("zh") == load_rulebook(rules_copy, lang="zh")
    assert english_file.exists() and len(list(home.glob("rulebook-zh-*.json"))) == 1


def test_a_cache_file_of_an_earlier_version_is_cleared(rules_copy, tmp_path):
    home = tmp_path / "home" / "cache"
    home.mkdir(parents=True)
    (home / "rulebook-0123456789abcdef01234567.json").write_text("{}")
    _rulecache.shipped_rulebook()
    assert [p.name.split("-")[1] for p in home.glob("rulebook-*.json")] == ["en"]
