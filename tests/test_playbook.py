"""Playbooks: discovery order, the overlay on the shipped rulebook (add, replace, disable), settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ae_coach.cli import main
from ae_coach.errors import PlaybookError, RuleFileError
from ae_coach.inspector.settings import playbook_settings
from ae_coach.playbook import CONFIG_FILE, ENV, resolve, shipped, use
from ae_coach.resources import rules_dir
from ae_coach.rules import load_rulebook

NEW_RULE = """---
title: Ask for the procurement calendar in week one
impact: HIGH
tags: [procurement, paper-process]
summary: Learn the buyer's procurement calendar before you need it, so paper never decides the close date.
triggers: [meddpicc.paper_process]
---

## Ask for the procurement calendar in week one

### Why it matters
Paper process surprises slip more quarters than competitors do.

### How to apply
1. Ask the champion who signs, in what order, and how long each step took last time.

### Questions to ask
- "Who signed the last contract of this size, and how long did it take?"
"""


def _playbook(root: Path, config: str = "", rules: dict[str, str] | None = None) -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    for name, text in (rules or {}).items():
        (root / "rules" / name).write_text(text, encoding="utf-8")
    (root / CONFIG_FILE).write_text(config, encoding="utf-8")
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_discovery_order(tmp_path: Path) -> None:
    explicit = _playbook(tmp_path / "explicit", '[playbook]\nname = "explicit"\n')
    from_env = _playbook(tmp_path / "env", '[playbook]\nname = "env"\n')
    nearest = _playbook(tmp_path / "team", '[playbook]\nname = "nearest"\n')
    deep = nearest / "deals" / "q3"
    deep.mkdir(parents=True)

    assert resolve(explicit, cwd=deep, env=str(from_env)).origin == "--playbook"
    assert resolve(explicit, cwd=deep, env=str(from_env)).name == "explicit"
    assert resolve(None, cwd=deep, env=str(from_env)).name == "env"
    found = resolve(None, cwd=deep, env="")
    assert (found.name, found.origin, found.root) == ("nearest", "discovered", nearest.resolve())
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    assert resolve(None, cwd=alone, env="").is_shipped


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[rules]\nextend = 'shipped'\n", "extend"),
        ("[rules]\ndir = 'nowhere'\n", "no such directory"),
        ("[rules\n", "not valid TOML"),
        ("[playbook]\nlanguage = 'fr'\n", "language"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, config: str, message: str) -> None:
    _playbook(tmp_path, config)
    with pytest.raises(PlaybookError, match=message):
        resolve(tmp_path, env="")


def test_named_playbook_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match=r"no ae-coach\.toml"):
        resolve(None, env=str(tmp_path))


def test_overlay_adds_replaces_and_disables(tmp_path: Path) -> None:
    replaced = (rules_dir() / "deal-happy-ears.md").read_text(encoding="utf-8")
    replaced = replaced.replace("impact: HIGH", "impact: LOW").replace("impact: CRITICAL", "impact: LOW")
    root = _playbook(
        tmp_path,
        "[rules]\ndisable = ['relationship-multi-threading']\n",
        {"deal-procurement-calendar.md": NEW_RULE, "deal-happy-ears.md": replaced},
    )
    shipped_book = load_rulebook(rules_dir())
    with use(resolve(root, env="")):
        book = load_rulebook()
    assert "deal-procurement-calendar" in book
    assert "relationship-multi-threading" not in book
    assert book["deal-happy-ears"].impact == "LOW"
    assert book["deal-happy-ears"].path == (root / "rules" / "deal-happy-ears.md").resolve()
    assert len(book) == len(shipped_book)  # one added, one disabled, one replaced
    assert book.content_hash != shipped_book.content_hash


def test_standalone_playbook_has_only_its_rules(tmp_path: Path) -> None:
    root = _playbook(tmp_path, "[rules]\nextends = 'none'\n", {"deal-procurement-calendar.md": NEW_RULE})
    shutil.copy(rules_dir() / "_sections.md", root / "rules" / "_sections.md")
    with use(resolve(root, env="")):
        assert load_rulebook().ids == ["deal-procurement-calendar"]


def test_disabling_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    root = _playbook(tmp_path, "[rules]\ndisable = ['deal-no-such-rule']\n")
    with use(resolve(root, env="")), pytest.raises(RuleFileError, match="deal-no-such-rule"):
        load_rulebook()


def test_settings_come_from_the_playbook(tmp_path: Path) -> None:
    root = _playbook(tmp_path, "[settings]\nchampion_dark_days = 9\nstale_days = {proposal = 5}\n")
    with use(resolve(root, env="")):
        settings = playbook_settings()
    assert settings.champion_dark_days == 9
    assert settings.stale_days["proposal"] == 5  # type: ignore[index]
    assert playbook_settings().champion_dark_days == 14
    bad = _playbook(tmp_path / "bad", "[settings]\nchampion_dark = 9\n")
    with use(resolve(bad, env="")), pytest.raises(Exception, match="unknown setting 'champion_dark'"):
        playbook_settings()


def test_lint_checks_the_merged_book_and_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = NEW_RULE.replace("impact: HIGH", "impact: SEVERE")
    root = _playbook(tmp_path, "", {"deal-procurement-calendar.md": broken})
    code, out, _ = _run(capsys, "--playbook", str(root), "rules", "lint")
    assert code == 1
    assert "deal-procurement-calendar.md" in out and "SEVERE" in out
    assert "relationship-multi-threading" not in out


def test_commands_name_and_use_the_playbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _playbook(tmp_path, '[playbook]\nname = "Acme"\n', {"deal-procurement-calendar.md": NEW_RULE})
    monkeypatch.setenv(ENV, str(root))
    code, out, err = _run(capsys, "rules", "list")
    assert code == 0
    assert "deal-procurement-calendar" in out and "Acme" in err
    code, out, _ = _run(capsys, "--version")
    assert "Acme" in out
    monkeypatch.delenv(ENV)
    code, out, _ = _run(capsys, "--playbook", str(root), "rules", "show", "deal-procurement-calendar", "--raw")
    assert code == 0 and out == NEW_RULE


def test_shipped_is_the_default() -> None:
    assert shipped().rule_dirs() == [rules_dir()]
