"""``ae-coach skill install`` and ``skill package``: where the skill lands, what protects a user's edits, what the zip holds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from skills_ref import validate

from ae_coach.cli import main
from ae_coach.resources import rules_dir, skill_md
from ae_coach.skill.install import MANIFEST_NAME, SKILL_NAME, install

SHIPPED_RULES = sorted(p.name for p in rules_dir().glob("*.md"))
SHIPPED_ZH = sorted(p.name for p in [*(rules_dir() / "zh").glob("*.md"), rules_dir() / "zh" / "_glossary.yaml"])
"""The Chinese rules and their glossary ship with the skill (rules/zh/)."""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def skill_source(tmp_path: Path) -> Path:
    """A private copy of the shipped skill that a test may change (a 'newer release')."""
    source = tmp_path / "source"
    (source / "rules").mkdir(parents=True)
    shutil.copy(skill_md(), source / "SKILL.md")
    for name in SHIPPED_RULES:
        shutil.copy(rules_dir() / name, source / "rules" / name)
    return source


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_install_into_home_gives_a_valid_skill(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skill", "install"]) == 0
    installed = home / ".claude" / "skills" / SKILL_NAME
    assert validate(installed) == []
    expected = [
        MANIFEST_NAME,
        "SKILL.md",
        *(f"rules/{n}" for n in SHIPPED_RULES),
        *(f"rules/zh/{n}" for n in SHIPPED_ZH),
    ]
    assert _tree(installed) == sorted(expected)
    assert (installed / "SKILL.md").read_bytes() == skill_md().read_bytes()
    manifest = json.loads((installed / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == set(expected) - {MANIFEST_NAME}
    assert str(installed) in capsys.readouterr().out


def test_agentskills_command_accepts_the_installed_tree(home: Path) -> None:
    assert main(["skill", "install"]) == 0
    tool = Path(sys.executable).with_name("agentskills")
    done = subprocess.run(
        [str(tool), "validate", str(home / ".claude/skills" / SKILL_NAME)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_project_and_agents_targets(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    assert main(["skill", "install", "--project"]) == 0
    assert (project / ".claude/skills" / SKILL_NAME / "SKILL.md").is_file()
    assert main(["skill", "install", "--project", "--target", "agents"]) == 0
    assert validate(project / ".agents/skills" / SKILL_NAME) == []
    assert not (home / ".claude").exists()
    assert main(["skill", "install", "--target", "cursor"]) == 2


def test_dest_is_a_skills_directory(tmp_path: Path) -> None:
    assert main(["skill", "install", "--dest", str(tmp_path / "skills")]) == 0
    assert validate(tmp_path / "skills" / SKILL_NAME) == []
    # Naming the skill folder itself does not nest a second one.
    assert main(["skill", "install", "--dest", str(tmp_path / "skills" / SKILL_NAME)]) == 0
    assert not (tmp_path / "skills" / SKILL_NAME / SKILL_NAME).exists()


def test_reinstall_of_an_unmodified_copy(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skill", "install"]) == 0
    capsys.readouterr()
    assert main(["skill", "install"]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_modified_copy_is_refused_without_force(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skill", "install"]) == 0
    installed = home / ".claude/skills" / SKILL_NAME
    edited = installed / "rules" / SHIPPED_RULES[-1]
    edited.write_text(edited.read_text() + "\nMy team's own note.\n")
    (installed / "rules" / "my-own-rule.md").write_text("# mine\n")
    capsys.readouterr()

    assert main(["skill", "install"]) == 2
    err = capsys.readouterr().err
    assert f"rules/{SHIPPED_RULES[-1]}" in err and "rules/my-own-rule.md" in err and "--force" in err
    assert "My team's own note." in edited.read_text()

    assert main(["skill", "install", "--force"]) == 0
    assert edited.read_bytes() == (rules_dir() / SHIPPED_RULES[-1]).read_bytes()
    assert not (installed / "rules" / "my-own-rule.md").exists()
    assert validate(installed) == []
    # --force replaced the edits, and kept them: the old copy is a backup folder beside the new one
    (backup,) = installed.parent.glob(f"{SKILL_NAME}.backup-*")
    assert "My team's own note." in (backup / "rules" / SHIPPED_RULES[-1]).read_text()
    assert (backup / "rules" / "my-own-rule.md").read_text() == "# mine\n"
    assert str(backup) in capsys.readouterr().out


def test_upgrade_replaces_an_unmodified_copy_and_drops_retired_rules(home: Path, skill_source: Path) -> None:
    destination = home / ".claude/skills" / SKILL_NAME
    install(destination, source=skill_source)
    retired, changed = SHIPPED_RULES[0], SHIPPED_RULES[1]
    (skill_source / "rules" / retired).unlink()
    (skill_source / "rules" / changed).write_text((skill_source / "rules" / changed).read_text() + "\nNew advice.\n")

    result = install(destination, source=skill_source)

    assert result.removed == [f"rules/{retired}"]
    assert result.updated == [f"rules/{changed}"]
    assert result.overwritten == []
    assert not (destination / "rules" / retired).exists()
    assert "New advice." in (destination / "rules" / changed).read_text()
    assert validate(destination) == []


def test_a_folder_not_installed_by_ae_coach_is_protected(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    destination = home / ".claude/skills" / SKILL_NAME
    destination.mkdir(parents=True)
    (destination / "SKILL.md").write_text("---\nname: account-executive\ndescription: someone else's\n---\n")
    assert main(["skill", "install"]) == 2
    assert MANIFEST_NAME in capsys.readouterr().err
    assert "someone else's" in (destination / "SKILL.md").read_text()


def test_an_invalid_skill_md_is_not_installed(tmp_path: Path, skill_source: Path) -> None:
    (skill_source / "SKILL.md").write_text("---\nname: Account Executive\ndescription: x\n---\nbody\n")
    with pytest.raises(Exception, match="lowercase"):
        install(tmp_path / SKILL_NAME, source=skill_source)
    assert not (tmp_path / SKILL_NAME).exists()


def test_package_holds_the_skill_and_nothing_else(tmp_path: Path) -> None:
    output = tmp_path / "out" / "skill.zip"
    assert main(["skill", "package", "--output", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        assert names == [
            f"{SKILL_NAME}/SKILL.md",
            *(f"{SKILL_NAME}/rules/{n}" for n in SHIPPED_RULES),
            *(f"{SKILL_NAME}/rules/zh/{n}" for n in SHIPPED_ZH),
        ]
        assert archive.read(f"{SKILL_NAME}/SKILL.md") == skill_md().read_bytes()
        assert archive.testzip() is None
        extracted = tmp_path / "unzipped"
        archive.extractall(extracted)
    assert validate(extracted / SKILL_NAME) == []


def test_package_skips_dotfiles_caches_and_manifests(tmp_path: Path, skill_source: Path) -> None:
    from ae_coach.skill.install import package

    (skill_source / "rules" / ".draft.md").write_text("draft")
    (skill_source / "rules" / "__pycache__").mkdir()
    (skill_source / "rules" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (skill_source / MANIFEST_NAME).write_text("{}")
    (skill_source / "rules" / "notes.txt").write_text("not a rule")
    names = package(tmp_path / "a.zip", source=skill_source)
    assert names == [f"{SKILL_NAME}/SKILL.md", *(f"{SKILL_NAME}/rules/{n}" for n in SHIPPED_RULES)]
    # The same content gives the same bytes: uploads are reproducible.
    package(tmp_path / "b.zip", source=skill_source)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_plugin_marketplace_points_at_the_repo_skill(repo: Path) -> None:
    import tomllib

    marketplace = json.loads((repo / ".claude-plugin" / "marketplace.json").read_text())
    version = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"]
    assert marketplace["name"] and marketplace["owner"]["name"]
    [plugin] = marketplace["plugins"]
    assert plugin["name"] == SKILL_NAME and plugin["version"] == version
    plugin_root = (repo / plugin["source"]).resolve()
    for skill_path in plugin["skills"]:
        skill_dir = (plugin_root / skill_path).resolve()
        # The skill is the repo's own SKILL.md and rules/, not a copy that could drift.
        assert (skill_dir / "SKILL.md").samefile(skill_md())
        assert (skill_dir / "rules").samefile(rules_dir())


def test_force_over_a_symlinked_copy_replaces_the_link_not_its_target(tmp_path: Path, skill_source: Path) -> None:
    skills = tmp_path / "skills"
    skills.mkdir()
    (skills / SKILL_NAME).symlink_to(skill_source, target_is_directory=True)
    before = _tree(skill_source)
    with pytest.raises(Exception, match="not installed by ae-coach"):
        install(skills / SKILL_NAME)
    install(skills / SKILL_NAME, force=True)
    assert not (skills / SKILL_NAME).is_symlink()
    assert _tree(skill_source) == before
    assert validate(skills / SKILL_NAME) == []
    assert sorted(p.name for p in skills.iterdir()) == [SKILL_NAME]


# --- issue 17: install and package never lose or write through a user's data ---------------------------------


def test_force_never_touches_a_folder_holding_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / SKILL_NAME  # someone's own project that happens to carry the name
    (project / ".git").mkdir(parents=True)
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project / "notes.md").write_text("mine\n")
    for extra in ([], ["--force"]):
        assert main(["skill", "install", "--dest", str(project), *extra]) == 2
        assert ".git" in capsys.readouterr().err
    assert sorted(p.name for p in project.iterdir()) == [".git", "notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [SKILL_NAME]


def test_an_existing_sibling_backup_folder_is_never_removed(home: Path) -> None:
    skills = home / ".claude/skills"
    assert main(["skill", "install"]) == 0
    for name in (f".{SKILL_NAME}.old", f"{SKILL_NAME}.backup-keep"):
        (skills / name).mkdir()
        (skills / name / "precious.md").write_text("keep me\n")
    edited = skills / SKILL_NAME / "rules" / SHIPPED_RULES[0]
    edited.write_text("edited\n")
    assert main(["skill", "install", "--force"]) == 0
    assert edited.read_bytes() == (rules_dir() / SHIPPED_RULES[0]).read_bytes()
    for name in (f".{SKILL_NAME}.old", f"{SKILL_NAME}.backup-keep"):
        assert (skills / name / "precious.md").read_text() == "keep me\n"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "empty-folder", "symlinked-folder"])
def test_added_special_entries_are_local_changes(home: Path, tmp_path: Path, kind: str) -> None:
    import os

    assert main(["skill", "install"]) == 0
    installed = home / ".claude/skills" / SKILL_NAME
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.txt").write_text("outside data\n")
    entry = installed / "rules" / "extra"
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "symlink":
        entry.symlink_to(outside / "data.txt")
    elif kind == "empty-folder":
        entry.mkdir()
    else:
        entry.symlink_to(outside, target_is_directory=True)
    assert main(["skill", "install"]) == 2  # refused: not an untouched copy
    assert entry.exists() or entry.is_symlink()
    assert main(["skill", "install", "--force"]) == 0
    (backup,) = installed.parent.glob(f"{SKILL_NAME}.backup-*")
    kept = backup / "rules" / "extra"
    assert kept.is_symlink() or kept.exists()
    assert (outside / "data.txt").read_text() == "outside data\n"  # never followed


@pytest.mark.parametrize("dest", ["file", "/dev/null", "under-a-file"])
def test_install_onto_a_file_or_device_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dest: str
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder\n")
    target = {"file": plain, "/dev/null": Path("/dev/null"), "under-a-file": plain / "skills"}[dest]
    assert main(["skill", "install", "--dest", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert plain.read_text() == "not a folder\n"


def test_package_replaces_a_symlink_instead_of_writing_through_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n")
    link = tmp_path / "account-executive.zip"
    link.symlink_to(victim)
    assert main(["skill", "package", "-o", str(link)]) == 0
    assert victim.read_text() == "do not overwrite\n"
    assert not link.is_symlink() and zipfile.is_zipfile(link)
