"""Install the Agent Skill (SKILL.md + rules/) where assistants look for it, or zip it for upload.

An install writes a manifest of file hashes next to the skill, so a later install can tell an untouched
copy (replace it, dropping rules that no longer ship) from one a user edited (refuse without ``force``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ae_coach.errors import InputError, UsageError

SKILL_NAME = "account-executive"
"""The skill's ``name`` in SKILL.md, and therefore the folder it must live in."""

MANIFEST_NAME = ".ae-coach-install.json"
"""Written into an installed skill folder; lists each installed file and its sha256."""

Target = Literal["claude", "agents"]

_TARGET_FOLDERS: dict[str, str] = {"claude": ".claude", "agents": ".agents"}

# A fixed timestamp makes the zip byte-identical for identical content (reproducible uploads).
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)


class SkillInstallError(InputError):
    """The destination holds a copy that an install must not overwrite without ``--force``."""

    def __init__(self, message: str, *, paths: list[str] | None = None) -> None:
        super().__init__(message)
        self.paths = paths or []


@dataclass
class InstallResult:
    """What an install did, by relative path (``SKILL.md``, ``rules/<id>.md``)."""

    destination: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    """Locally modified or added files that ``force`` replaced or deleted."""
    backup: Path | None = None
    """Where the replaced copy was kept (``--force`` over local changes), else None."""

    @property
    def changed(self) -> bool:
        """Whether the install wrote or removed anything."""
        return bool(self.added or self.updated or self.removed or self.overwritten)


def skill_sources(root: Path | None = None) -> dict[str, Path]:
    """The files that make up the skill: relative posix path -> source file.

    Args:
        root: A directory holding ``SKILL.md`` and ``rules/``; default: the shipped skill.

    Returns:
        ``SKILL.md``, every ``rules/*.md`` and the Chinese rules with their glossary (``rules/zh/*.md``,
        ``rules/zh/_glossary.yaml``); no dotfiles, no other sub-folders; sorted by path.

    Raises:
        InputError: SKILL.md or rules/ is missing.
    """
    from ae_coach import resources

    skill_md = (root / "SKILL.md") if root else resources.skill_md()
    rules = (root / "rules") if root else resources.rules_dir()
    if not skill_md.is_file():
        raise InputError(f"{skill_md}: SKILL.md not found; the skill cannot be installed without it")
    if not rules.is_dir():
        raise InputError(f"{rules}: rules directory not found")
    files = {"SKILL.md": skill_md}
    for path in sorted(rules.glob("*.md")):
        if path.is_file() and not path.name.startswith("."):
            files[f"rules/{path.name}"] = path
    # the Chinese rulebook and the glossary it shares with the coach (rules/zh/)
    translations = rules / "zh"
    for path in sorted([*translations.glob("*.md"), *translations.glob("_glossary.yaml")]):
        if path.is_file() and not path.name.startswith("."):
            files[f"rules/zh/{path.name}"] = path
    return files


def check_skill_md(skill_md: Path) -> None:
    """Refuse to ship a SKILL.md whose frontmatter breaks the Agent Skills spec.

    Raises:
        InputError: the frontmatter cannot be parsed, or ``name``/``description`` are invalid, or the
            name is not ``account-executive`` (installs and zips use that folder name).
    """
    from skills_ref.errors import ParseError
    from skills_ref.parser import parse_frontmatter
    from skills_ref.validator import validate_metadata

    try:
        metadata, _ = parse_frontmatter(skill_md.read_text(encoding="utf-8"))
    except ParseError as exc:
        raise InputError(f"{skill_md}: {exc}") from None
    problems = validate_metadata(metadata)
    if metadata.get("name") != SKILL_NAME:
        problems.append(f"name must be {SKILL_NAME!r} (got {metadata.get('name')!r})")
    if problems:
        raise InputError(f"{skill_md}: not a valid Agent Skill: " + "; ".join(problems))


def default_destination(target: Target = "claude", project: Path | None = None) -> Path:
    """Where assistants look for the skill.

    Args:
        target: ``claude`` (``.claude/skills``) or ``agents`` (``.agents/skills``).
        project: A project directory for a project-level install; None for the user's home.

    Returns:
        ``<home or project>/<.claude|.agents>/skills/account-executive``.
    """
    if target not in _TARGET_FOLDERS:
        raise UsageError(f"unknown target {target!r}; allowed: {', '.join(_TARGET_FOLDERS)}")
    base = project if project is not None else Path.home()
    return base / _TARGET_FOLDERS[target] / "skills" / SKILL_NAME


def resolve_destination(dest: Path) -> Path:
    """``--dest DIR``: a skills directory gets an ``account-executive`` folder; that folder is used as is."""
    dest = dest.expanduser()
    return dest if dest.name == SKILL_NAME else dest / SKILL_NAME


def file_hash(path: Path) -> str:
    """sha256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install(
    destination: Path,
    *,
    force: bool = False,
    source: Path | None = None,
) -> InstallResult:
    """Copy the skill into ``destination`` and record what was installed.

    Nothing of the user's is ever lost: a folder holding ``.git`` is refused even with ``force``; with
    ``force`` a copy with local changes is moved aside to a backup folder (``result.backup``), never deleted;
    symlinks, special files and empty folders someone added count as local changes; a symlinked destination
    is replaced as a link and its target left alone.

    Args:
        destination: The skill folder (its name should be ``account-executive``).
        force: Replace a copy with local changes (edited, added or non-ae-coach files); the old copy is kept
            as a backup beside it.
        source: A directory with SKILL.md and rules/ to install instead of the shipped skill.

    Returns:
        What changed.

    Raises:
        SkillInstallError: the destination has local changes and ``force`` is off, naming every modified or
            unknown file; or it is a repository (``.git``), a file, or cannot be written (exit 2).
        InputError: the source skill is missing or its SKILL.md is invalid.
    """
    sources = skill_sources(source)
    check_skill_md(sources["SKILL.md"])
    wanted = {rel: file_hash(path) for rel, path in sources.items()}
    try:
        present = _existing_files(destination)
        installed = _read_manifest(destination)
    except OSError as exc:
        raise SkillInstallError(f"{destination}: cannot read it ({exc.strerror or exc})") from None
    local = _local_changes(destination, present, installed)
    if local and not force:
        raise SkillInstallError(_refusal(destination, installed, local), paths=local)

    result = InstallResult(destination=destination, overwritten=local)
    for rel, digest in wanted.items():
        if rel not in present:
            result.added.append(rel)
        elif present[rel] == digest and rel not in local:
            result.unchanged.append(rel)
        else:
            result.updated.append(rel)
    result.removed = sorted(set(present) - set(wanted) - set(local))
    if result.changed or installed is None:
        keep = bool(local) and destination.is_dir() and not destination.is_symlink()
        try:
            result.backup = _replace_tree(destination, sources, wanted, keep_old=keep)
        except OSError as exc:
            where = exc.filename or destination.parent
            raise SkillInstallError(f"{destination}: cannot install there: {where}: {exc.strerror or exc}") from None
    return result


_SYMLINK, _SPECIAL, _FOLDER = "symlink:", "special file", "empty folder"
"""Stand-in digests for entries an install never creates: never equal to a manifest's hash, so always local."""


def _existing_files(destination: Path) -> dict[str, str]:
    """Every entry under ``destination`` but the manifest: regular files by hash, and symlinks, FIFOs, devices
    and empty folders by kind (so they count as local changes). Symlinks are never followed."""
    if not destination.exists() and not destination.is_symlink():
        return {}
    if not destination.is_dir():
        raise SkillInstallError(f"{destination}: exists and is not a directory; remove it or choose --dest")
    if not destination.is_symlink() and (destination / ".git").exists():
        raise SkillInstallError(
            f"{destination}: holds .git, so it is a repository or project, not a skill folder ae-coach installed; "
            "not touched even with --force. Choose another --dest (a skills directory gets account-executive/)."
        )
    files: dict[str, str] = {}
    for folder, dirs, names in os.walk(destination, followlinks=False):
        base = Path(folder)
        for name in [*names, *(d for d in dirs if (base / d).is_symlink())]:
            path = base / name
            rel = path.relative_to(destination).as_posix()
            if rel == MANIFEST_NAME:
                continue
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                files[rel] = _SYMLINK + os.readlink(path)
            elif stat.S_ISREG(mode):
                files[rel] = file_hash(path)
            else:
                files[rel] = _SPECIAL
        if not dirs and not names and base != destination:
            files[base.relative_to(destination).as_posix() + "/"] = _FOLDER
    return dict(sorted(files.items()))


def _read_manifest(destination: Path) -> dict[str, str] | None:
    path = destination / MANIFEST_NAME
    if not path.is_file() or path.is_symlink():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
            return files
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        pass
    # A damaged manifest proves nothing about the files: treat the copy as unknown, protect it.
    return {}


def _local_changes(destination: Path, present: dict[str, str], installed: dict[str, str] | None) -> list[str]:
    """Files the user edited or added since the last install (every file, when there is no manifest)."""
    if installed is None:
        return sorted(present)
    return sorted(rel for rel, digest in present.items() if installed.get(rel) != digest)


def _refusal(destination: Path, installed: dict[str, str] | None, local: list[str]) -> str:
    shown = ", ".join(local[:10]) + (f" and {len(local) - 10} more" if len(local) > 10 else "")
    if installed is None:
        why = f"{destination} already exists and was not installed by ae-coach (no {MANIFEST_NAME})"
    else:
        why = f"{destination} has local changes since it was installed"
    return (
        f"{why}: {shown}. Keep your edits elsewhere, or re-run with --force to replace them "
        "(the old copy is kept as a backup folder beside it)."
    )


def _replace_tree(
    destination: Path, sources: dict[str, Path], hashes: dict[str, str], *, keep_old: bool
) -> Path | None:
    """Build the new copy beside the old one and swap: an interrupted install never leaves half a skill.

    The old copy is moved to a fresh name (no existing sibling is ever removed) and then deleted, or, with
    ``keep_old``, kept as ``<name>.backup-<UTC time>``, which is returned.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    old: Path | None = None
    try:
        for rel, path in sources.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        manifest = _manifest(hashes)
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        if destination.exists() or destination.is_symlink():
            old = _fresh(destination, "backup-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ"), keep_old)
            destination.rename(old)
        try:
            staging.rename(destination)
        except OSError:
            if old is not None:
                old.rename(destination)  # put the user's copy back where it was
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None and not keep_old:
        _remove(old)
        return None
    return old


def _fresh(destination: Path, label: str, visible: bool) -> Path:
    """A sibling name nothing uses yet: ``<name>.<label>`` (kept) or a hidden one (about to be removed)."""
    stem = f"{destination.name}.{label}" if visible else f".{destination.name}.old-{os.getpid()}"
    candidate, number = destination.with_name(stem), 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = destination.with_name(f"{stem}-{number}")
    return candidate


def _remove(path: Path) -> None:
    # A symlinked skill folder (a developer pointing it at a checkout) loses the link, never the target.
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


def _manifest(hashes: dict[str, str]) -> dict[str, object]:
    from ae_coach import __version__

    return {
        "skill": SKILL_NAME,
        "installed_by": f"ae-coach {__version__}",
        "installed_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "files": hashes,
    }


def package(output: Path, *, source: Path | None = None) -> list[str]:
    """Zip the skill for upload to Claude apps: one ``account-executive/`` folder, nothing else.

    Args:
        output: The zip file to write (parent folders are created).
        source: A directory with SKILL.md and rules/ instead of the shipped skill.

    Returns:
        The archive's member names, in order.

    Raises:
        InputError: the source skill is missing or its SKILL.md is invalid.
        UsageError: ``output`` cannot be written.
    """
    sources = skill_sources(source)
    check_skill_md(sources["SKILL.md"])
    import io

    from ae_coach._files import write_atomic

    buffer, names = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel, path in sources.items():
            info = zipfile.ZipInfo(f"{SKILL_NAME}/{rel}", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
            names.append(info.filename)
    try:  # a symlink at ``output`` is replaced, never written through; a failed write leaves the old zip
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, buffer.getvalue())
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot write ({exc.strerror or exc})") from None
    return names


__all__ = [
    "MANIFEST_NAME",
    "SKILL_NAME",
    "InstallResult",
    "SkillInstallError",
    "check_skill_md",
    "default_destination",
    "install",
    "package",
    "resolve_destination",
    "skill_sources",
]
