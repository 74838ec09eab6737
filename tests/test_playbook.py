"""Playbooks: discovery order, the overlay on the shipped rulebook (add, replace, disable), settings."""

from __future__ import annotations

import json
import shutil
import subprocess
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


# --- init, the overlay's hash, the skill and MCP, eval compare on a playbook ----------------------------------


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _committed(root: Path) -> Path:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "playbook")
    return root


def _cited(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[set[str], str]:
    code, out, err = _run(capsys, *args, "--format", "json", "--no-log")
    assert code == 0, err
    report = json.loads(out)["report"]
    ids = {i for risk in report["risks"] for i in risk["rule_ids"]}
    ids |= {item["rule_id"] for item in [*report["next_actions"], *report["questions"]] if item.get("rule_id")}
    return ids, report["rulebook_hash"]


def test_init_extends_the_shipped_rulebook_and_works_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "acme"
    code, out, _ = _run(capsys, "init", str(root), "--name", "Acme")
    assert code == 0 and "extends the shipped rulebook" in out
    playbook = resolve(root, env="")
    assert (playbook.name, playbook.extends) == ("Acme", True)
    assert [p.resolve() for p in playbook.suites] == [
        (root / "evals" / "playbook.yaml").resolve(),
        (root / "evals" / "team-rules.yaml").resolve(),
    ]
    monkeypatch.chdir(root)
    assert _run(capsys, "rules", "lint", "--strict")[0] == 0
    cited, digest = _cited(capsys, "review", "deals/tailspin-single-threaded.yaml")
    assert "pipeline-stage-change-note" in cited and "relationship-multi-threading" in cited
    with use(playbook):
        assert digest == load_rulebook().content_hash
    code, out, err = _run(capsys, "eval", "run", "--runs-dir", str(tmp_path / "runs"), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["totals"]["passed"] == 5


def test_init_standalone_copies_the_rulebook_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "solo"
    assert _run(capsys, "init", str(root), "--standalone")[0] == 0
    playbook = resolve(root, env="")
    assert not playbook.extends and playbook.rule_dirs() == [(root / "rules").resolve()]
    shipped_book = load_rulebook(rules_dir())
    with use(playbook):
        assert load_rulebook().ids == shipped_book.ids
        assert load_rulebook().content_hash == shipped_book.content_hash  # the same files, the same hash
    assert (root / "rules" / "zh" / "deal-economic-buyer.md").is_file()
    assert (root / "rules" / "_lexicon.yaml").is_file()
    code, _, err = _run(capsys, "init", str(root))
    assert code == 2 and "already holds a playbook" in err and "Traceback" not in err


def test_the_rulebook_hash_covers_the_overlay(tmp_path: Path) -> None:
    shipped_hash = load_rulebook(rules_dir()).content_hash
    text = (rules_dir() / "deal-happy-ears.md").read_text(encoding="utf-8")

    def digest(config: str, rules: dict[str, str]) -> str:
        root = _playbook(tmp_path / str(len(list(tmp_path.iterdir()))), config, rules)
        with use(resolve(root, env="")):
            return load_rulebook().content_hash

    assert digest("", {}) == shipped_hash  # an empty overlay is the shipped rulebook
    assert digest("", {"deal-happy-ears.md": text}) == shipped_hash  # replaced by the same bytes
    hashes = {
        digest("", {"deal-procurement-calendar.md": NEW_RULE}),
        digest("", {"deal-happy-ears.md": text.replace("tags: [", "tags: [team-edit, ", 1)}),
        digest("[rules]\ndisable = ['deal-happy-ears']\n", {}),
    }
    assert shipped_hash not in hashes and len(hashes) == 3


def test_removing_and_editing_a_rule_changes_what_review_cites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "solo"
    assert _run(capsys, "init", str(root), "--standalone")[0] == 0
    deal = str(root / "deals" / "tailspin-single-threaded.yaml")
    before, first = _cited(capsys, "--playbook", str(root), "review", deal)
    assert "relationship-multi-threading" in before
    (root / "rules" / "relationship-multi-threading.md").unlink()
    (root / "rules" / "zh" / "relationship-multi-threading.md").unlink()
    rule = root / "rules" / "relationship-executive-access.md"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("the last purchase of this size", "the last big purchase"),
        encoding="utf-8",
    )
    after, second = _cited(capsys, "--playbook", str(root), "review", deal)
    assert "relationship-multi-threading" not in after and first != second
    code, out, _ = _run(capsys, "--playbook", str(root), "review", deal, "--no-log", "--format", "markdown")
    assert code == 0 and "the last big purchase" in out and "the last purchase of this size" not in out


def test_compare_refuses_two_sides_that_are_the_same_files(tmp_path: Path) -> None:
    from ae_coach.errors import InputError
    from ae_coach.eval import check_comparable, from_rules_dir, playbook_at, playbook_tree

    with pytest.raises(InputError, match="read the same files"):
        check_comparable(from_rules_dir(rules_dir()), from_rules_dir(rules_dir()))
    root = _committed(_playbook(tmp_path / "acme", '[playbook]\nname = "acme"\n'))  # rules/ empty: not in git
    (root / "notes.txt").write_text("an unrelated change: the rules are the same", encoding="utf-8")
    playbook = resolve(root, env="")
    base = playbook_at(playbook, "HEAD")
    try:
        with pytest.raises(InputError, match="have the same content") as refused:
            check_comparable(base, playbook_tree(playbook))
        assert str(root.resolve() / "rules") in str(refused.value) and "HEAD" in str(refused.value)
        # edit a rule and the same two refs are comparable
        (root / "rules" / "deal-procurement-calendar.md").write_text(NEW_RULE, encoding="utf-8")
        check_comparable(base, playbook_tree(resolve(root, env="")))
    finally:
        base.cleanup()


@pytest.fixture
def acme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "acme"
    assert _run(capsys, "init", str(root))[0] == 0
    return root


def test_compare_base_is_the_playbook_at_a_commit_of_its_own_repo(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _committed(acme)
    config = acme / CONFIG_FILE
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "disable = []", 'disable = ["relationship-multi-threading", "deal-economic-buyer"]'
        ),
        encoding="utf-8",
    )
    _git(acme, "commit", "-q", "-am", "disable two rules")
    monkeypatch.chdir(acme / "deals")  # discovered upwards
    code, out, err = _run(
        capsys, "eval", "compare", "--base", "HEAD~1", "--runs-dir", str(tmp_path / "runs"), "--format", "json"
    )
    assert code == 1, err
    report = json.loads(out)
    assert report["verdict"] == "regressed"
    assert {"playbook.single-threaded.selection", "playbook.single-threaded.review"} <= set(report["flipped"])
    base, candidate = report["provenance"]["base"], report["provenance"]["candidate"]
    assert base["label"].startswith("playbook acme at git HEAD~1") and candidate["label"].startswith("playbook acme")
    assert base["commit"] != candidate["commit"].split()[0] and base["rulebook_hash"] != candidate["rulebook_hash"]
    assert str(acme.resolve() / "rules") in candidate["rules_dir"] and "disabled" in candidate["rules_dir"]


def test_compare_without_a_playbook_refuses_another_checkouts_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(rules_dir(), clone / "rules")
    _committed(clone)
    monkeypatch.chdir(clone)
    code, _, err = _run(capsys, "eval", "compare", "evals", "--base", "HEAD", "--runs-dir", str(tmp_path / "runs"))
    assert code == 2 and "no ae-coach.toml makes it a playbook" in err


def test_skill_install_and_package_carry_the_playbooks_rules(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    config = acme / CONFIG_FILE
    config.write_text(config.read_text(encoding="utf-8").replace("disable = []", 'disable = ["account-tiering"]'))
    with use(resolve(acme, env="")):
        expected = set(load_rulebook().ids)
    code, _, err = _run(capsys, "--playbook", str(acme), "skill", "install", "--dest", str(tmp_path / "skills"))
    assert code == 0 and "acme" in err
    installed = tmp_path / "skills" / "account-executive"
    assert {p.stem for p in (installed / "rules").glob("*.md") if not p.name.startswith("_")} == expected
    skill = (installed / "SKILL.md").read_text(encoding="utf-8")
    assert "`pipeline-stage-change-note`" in skill and "`account-tiering`" not in skill
    assert _run(capsys, "--playbook", str(acme), "skill", "package", "-o", str(tmp_path / "s.zip"))[0] == 0
    names = zipfile.ZipFile(tmp_path / "s.zip").namelist()
    assert "account-executive/rules/pipeline-stage-change-note.md" in names
    assert "account-executive/rules/account-tiering.md" not in names


def test_mcp_serves_the_playbooks_rules(acme: Path) -> None:
    pytest.importorskip("mcp")
    import anyio
    from mcp import Client

    from ae_coach.mcpserver import build_server

    async def read() -> tuple[str, str, set[str]]:
        async with Client(build_server(), mode="legacy") as client:
            skill = await client.read_resource("skill://account-executive/SKILL.md")
            rule = await client.call_tool("get_rule", {"rule_id": "pipeline-stage-change-note"})
            listed = {str(r.uri) for r in (await client.list_resources()).resources}
        return skill.contents[0].text, "\n".join(b.text for b in rule.content if b.type == "text"), listed

    with use(resolve(acme, env="")):
        skill, rule, listed = anyio.run(read)
    assert "`pipeline-stage-change-note`" in skill
    assert rule == (acme / "rules" / "pipeline-stage-change-note.md").read_text(encoding="utf-8")
    assert "rule://pipeline-stage-change-note" in listed


def test_an_extending_playbook_coaches_in_chinese_from_the_shipped_translations(tmp_path: Path) -> None:
    from ae_coach.coach import Coach
    from ae_coach.deal import load_deal

    deal = load_deal(Path(__file__).resolve().parent.parent / "examples" / "deals" / "tailspin-single-threaded.yaml")
    shipped_actions = [a.action for a in Coach("offline", lang="zh").review(deal).next_actions]
    with use(resolve(_playbook(tmp_path, ""), env="")):
        actions = [a.action for a in Coach("offline", lang="zh").review(deal).next_actions]
    assert actions == shipped_actions and any("\u4e00" <= ch <= "\u9fff" for ch in actions[0])


STAGES = """
[stages]
"Qualify" = "discovery"
"Technical win" = "validation"
"Commercials" = "proposal"
"Sign" = "closing"
"""


def test_team_stages_map_onto_the_inspectors_stages(tmp_path: Path) -> None:
    from ae_coach.crm import import_csv
    from ae_coach.deal import Stage, parse_deal

    root = _playbook(tmp_path / "pb", STAGES)
    export = tmp_path / "export.csv"
    export.write_text("Opportunity Name,Account Name,Stage,Amount\nA,Acme,Technical Win,100\nB,Beta,Prospecting,5\n")
    deal = {"account": "Acme", "name": "Portal", "stage": "technical-WIN"}
    with use(resolve(root, env="")):
        assert parse_deal(deal).stage is Stage.VALIDATION
        assert parse_deal({**deal, "stage": "proposal"}).stage is Stage.PROPOSAL  # our own names still work
        imported = {d.name: d.stage for d in import_csv(export).deals}
    assert imported == {"A": Stage.VALIDATION, "B": Stage.DISCOVERY}
    with pytest.raises(Exception, match="stage"):
        parse_deal(deal)  # without the playbook, the team's name is not a stage


def test_lint_catches_a_stage_no_gate_knows_and_stages_nothing_maps_onto(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ae_coach.deal import parse_deal
    from ae_coach.errors import PlaybookError

    root = _playbook(tmp_path, STAGES)
    code, out, _ = _run(capsys, "--playbook", str(root), "rules", "lint")
    assert code == 0 and f"{CONFIG_FILE}:2: warning" in out and "'scoping'" in out
    assert _run(capsys, "--playbook", str(root), "rules", "lint", "--strict")[0] == 1
    (root / CONFIG_FILE).write_text(STAGES + '"Evaluate" = "evaluation"\n', encoding="utf-8")
    code, out, _ = _run(capsys, "--playbook", str(root), "rules", "lint")
    assert code == 1 and f"{CONFIG_FILE}:7: [stages] 'Evaluate' = 'evaluation': not a stage ae-coach knows" in out
    with use(resolve(root, env="")), pytest.raises(PlaybookError, match="'Evaluate' = 'evaluation'"):
        parse_deal({"account": "Acme", "name": "Portal", "stage": "Evaluate"})


def test_rules_build_does_not_write_the_package_from_a_playbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _playbook(tmp_path, "")
    code, _, err = _run(capsys, "--playbook", str(root), "rules", "build", "--check")
    assert code == 2 and "skill install" in err


def test_compare_base_needs_the_playbook_in_git(acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "--playbook", str(acme), "eval", "compare", "--base", "HEAD")
    assert code == 2 and "is not in a git repository" in err
    _committed(acme)
    code, _, err = _run(capsys, "--playbook", str(acme), "eval", "compare", "--base", "no-such-ref")
    assert code == 2 and "no-such-ref" in err and "Traceback" not in err
