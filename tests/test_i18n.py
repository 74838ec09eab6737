"""The message catalogue: en and zh in step, lookups, the language setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ae_coach import i18n

SRC = Path(__file__).resolve().parent.parent / "src" / "ae_coach"


PHRASES = ("plan.step.", "plan.team.")
"""Namespaces of phrases the code writes in English and the catalogue keys by their words (i18n.phrase)."""


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert sorted(key for key in set(en) ^ set(zh) if not key.startswith(PHRASES)) == []
    differ = [key for key in en if i18n.placeholders(en[key]) != i18n.placeholders(zh[key])]
    assert differ == []


def test_every_literal_key_the_code_looks_up_exists() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[A-Za-z0-9_]+)+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(key for key in used if not i18n.has(key, "en"))
    assert used and missing == []


@pytest.mark.parametrize(
    ("value", "lang"), [("zh", "zh"), ("zh-CN", "zh"), ("zh_Hans", "zh"), ("Chinese", "zh"), ("en-US", "en")]
)
def test_language_names_are_normalised(value: str, lang: str) -> None:
    assert i18n.normalise(value) == lang


def test_an_unknown_language_names_the_allowed_ones() -> None:
    with pytest.raises(i18n.UnknownLanguage, match="allowed: en, zh"):
        i18n.normalise("fr")


def test_the_language_comes_from_the_block_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV, raising=False)
    assert i18n.current() == "en"
    monkeypatch.setenv(i18n.ENV, "zh")
    assert i18n.current() == "zh"
    with i18n.use("en"):
        assert i18n.t("review.risks") == "Risks"
    assert i18n.t("review.risks") == "风险"
    assert i18n.term("best_case") == "最佳情况"
    assert i18n.term("best_case", "en") == "best case"


def test_a_missing_key_falls_back_to_the_default_or_raises() -> None:
    assert i18n.t("term.not_a_term", "zh", default="x") == "x"
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "zh")


def test_every_plan_step_and_team_has_its_chinese() -> None:
    from ae_coach.coach._plan import _STEPS

    phrases = [("plan.step", step.action) for step in _STEPS] + [("plan.team", step.team) for step in _STEPS]
    missing = [english for namespace, english in phrases if i18n.phrase(namespace, english, "zh") == english]
    assert missing == []


def test_every_deal_finding_code_has_a_title_template() -> None:
    from ae_coach.findings import DEAL_FINDING_CODES

    missing = [c for c in DEAL_FINDING_CODES if not c.startswith("meddpicc.") and not i18n.has(f"finding.{c}", "zh")]
    assert missing == []
    flags = i18n.catalogue("zh")
    assert all(f"finding.red_flag.{c.split('.')[1]}" in flags for c in DEAL_FINDING_CODES if c.startswith("meddpicc."))


def test_every_stage_exit_criterion_has_its_chinese() -> None:
    from ae_coach.inspector.stage import EXIT_CRITERIA

    names = [name for criteria in EXIT_CRITERIA.values() for name, _ in criteria]
    assert [n for n in names if not i18n.has(f"criterion.{n}", "zh")] == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_compiled_catalogue_is_current_and_read_as_the_yaml(lang: str) -> None:
    committed = (Path(i18n.__file__).parent / f"{lang}.json").read_text(encoding="utf-8")
    assert committed == i18n.compiled_catalogue(lang), "run `python -m ae_coach.i18n` after editing the YAML"
    parsed = i18n._parse((Path(i18n.__file__).parent / f"{lang}.yaml").read_bytes())
    assert list(i18n.catalogue(lang).items()) == list(parsed.items())


def test_an_edited_yaml_wins_over_a_stale_compiled_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = Path(i18n.__file__).parent
    (tmp_path / "en.json").write_bytes((shipped / "en.json").read_bytes())
    (tmp_path / "en.yaml").write_bytes((shipped / "en.yaml").read_bytes() + b"\nzz_new_key: added after compiling\n")
    monkeypatch.setattr(i18n, "_DIR", tmp_path)
    assert i18n.catalogue.__wrapped__("en")["zz_new_key"] == "added after compiling"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_key_is_written_twice_in_one_mapping(lang: str) -> None:
    """YAML keeps the last of two equal keys without a word: a new ``plan.cancelled`` would silently replace the
    plan's own "cancelled on the deal's plan" note everywhere."""
    import yaml

    twice: list[str] = []

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
        keys = [loader.construct_object(key) for key, _ in node.value]
        twice.extend(f"line {node.start_mark.line + 1}: {k}" for k in sorted({k for k in keys if keys.count(k) > 1}))
        return yaml.SafeLoader.construct_mapping(loader, node)

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((SRC / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=Loader)
    assert twice == []
