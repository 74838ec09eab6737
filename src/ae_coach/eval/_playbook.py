"""A playbook's rules as a comparison side: its working tree, and its files at a git revision of its own repo.

``eval compare --base REF`` must measure the rules the author is editing. With a playbook, the candidate is
the playbook's files on disk (merged over the shipped rulebook when it extends it) and the base is the same
playbook, config included, as committed at REF in the playbook's repository. Without one, both sides come
from the installed ae-coach; :func:`base_from_git` refuses when that is clearly not what the user meant.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ae_coach.errors import InputError
from ae_coach.eval._variant import Variant, _git, _head, from_git, working_tree
from ae_coach.playbook import CONFIG_FILE, Playbook, active
from ae_coach.playbook._config import read_config


def playbook_tree(playbook: Playbook | None = None) -> Variant:
    """The playbook's rules as they are on disk (the installed package's working tree when there is none)."""
    from ae_coach.resources import prompts_dir

    playbook = playbook or active()
    if playbook.is_shipped or playbook.rules_dir is None or playbook.root is None:
        return working_tree()
    return Variant(
        f"playbook {playbook.name} (working tree)",
        playbook.rules_dir,
        prompts_dir(),
        commit=_head(playbook.root, (".",)),
        layers=playbook.rule_dirs(),
        disable=playbook.disable,
        playbook=f"{playbook.name} ({playbook.config})",
        root=playbook.root,
    )


def base_from_git(ref: str, playbook: Playbook | None = None) -> Variant:
    """The base side of ``--base REF``: the playbook as committed at REF, else the package's rules at REF.

    Raises:
        InputError: REF is not a commit, the playbook is not in a git repository or did not exist at REF, or
            (with no playbook) the current directory is another repository with its own ``rules/``, which
            the comparison would silently ignore.
    """
    playbook = playbook or active()
    if playbook.is_shipped:
        _refuse_foreign_rules(ref)
        return from_git(ref)
    return playbook_at(playbook, ref)


def playbook_at(playbook: Playbook, ref: str) -> Variant:
    """The playbook's config and rules as committed at ``ref`` in the repository that holds it."""
    from ae_coach.resources import prompts_dir

    assert playbook.root is not None and playbook.config is not None
    what = f"--base {ref}"
    top = _toplevel(playbook.root)
    if top is None:
        raise InputError(f"{what}: playbook {playbook.root} is not in a git repository (git init, then commit it)")
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=what).strip()
    inside = playbook.root.resolve().relative_to(top.resolve())
    paths = [inside.as_posix() or "."]
    rules_rel = _relative(playbook.rules_dir, top)
    if rules_rel is not None and not (inside.as_posix() == "." or rules_rel.is_relative_to(inside)):
        paths.append(rules_rel.as_posix())
    tmp = tempfile.TemporaryDirectory(prefix="ae-coach-base-")
    out = Path(tmp.name)
    try:
        for path in paths:
            if _git(top, "ls-tree", "--name-only", commit, path, what=what).strip():
                _extract(top, commit, path, out)
        config = out / inside / CONFIG_FILE
        if not config.is_file():
            raise InputError(f"{what}: {playbook.config} does not exist at {ref} ({commit[:10]}); nothing to compare")
        _empty_rules_dir(config, out)
        base = read_config(config, "git")
    except BaseException:
        tmp.cleanup()
        raise
    evals = out / inside / "evals"
    return Variant(
        f"playbook {base.name} at git {ref} ({commit[:10]})",
        base.rules_dir or out,
        prompts_dir(),
        _tmp=tmp,
        commit=commit,
        evals_dir=evals if evals.is_dir() else None,
        root=playbook.root,
        layers=base.rule_dirs(),
        disable=base.disable,
        playbook=f"{base.name} ({playbook.config} at {ref})",
    )


def _empty_rules_dir(config: Path, out: Path) -> None:
    # git keeps no empty directories: a playbook whose rules/ held no file at REF still had one.
    import tomllib

    try:
        rules = tomllib.loads(config.read_text(encoding="utf-8")).get("rules", {}).get("dir", "rules")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return  # read_config names the problem
    target = (config.parent / str(rules)).resolve()
    if target.is_relative_to(out.resolve()) and not target.exists():  # never outside the extraction
        target.mkdir(parents=True)


def _relative(path: Path | None, top: Path) -> Path | None:
    if path is None:
        return None
    try:
        return path.resolve().relative_to(top.resolve())
    except ValueError:
        return None


def _extract(top: Path, commit: str, path: str, out: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(top), "archive", "--format=tar", commit, path], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(out, filter="data")  # refuses links and paths outside the target


def _refuse_foreign_rules(ref: str) -> None:
    """No playbook: refuse when this directory is another git checkout that has its own rules."""
    from ae_coach.resources import project_root

    here = _toplevel(Path.cwd())
    if here is None or not (here / "rules" / "_sections.md").is_file():
        return
    package = _toplevel(project_root())
    if package is not None and package.resolve() == here.resolve():
        return
    raise InputError(
        f"--base {ref}: {here} has its own rules/, but no {CONFIG_FILE} makes it a playbook, so the comparison "
        f"would measure the installed ae-coach's rules ({project_root() / 'rules'}) instead. Add an "
        f'{CONFIG_FILE} there ([rules] dir = "rules", extends = "none"; see `ae-coach init --help`), or pass '
        "--playbook DIR"
    )


def _toplevel(path: Path) -> Path | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def check_comparable(base: Variant, candidate: Variant) -> None:
    """Refuse a comparison whose two sides are the same files: it could only ever report "no difference".

    Raises:
        InputError: Both sides read the same rules and prompts directories, or files with the same content
            (the same rulebook hash and prompts hash), naming both sides.
    """
    b, c = base.fingerprint(), candidate.fingerprint()
    same_place = (b["rules_dir"], b["prompts_dir"]) == (c["rules_dir"], c["prompts_dir"])
    if not same_place and (b["rulebook_hash"], b["prompts_hash"]) != (c["rulebook_hash"], c["prompts_hash"]):
        return
    why = "read the same files" if same_place else "have the same content"
    sides = "; ".join(
        f"{side}: {f['label']}, rules {f['rules_dir']}, commit {f['commit'] or 'none'}, rulebook "
        f"{f['rulebook_hash'][:12]}, prompts {f['prompts_hash'][:12]}"
        for side, f in (("base", b), ("candidate", c))
    )
    hint = (
        "the rules at the base ref equal the files on disk: edit the rules, or pick an older --base"
        if base.commit and not same_place
        else "name a different base"
    )
    raise InputError(
        f"nothing to compare: base and candidate {why} ({sides}); {hint}. "
        "--allow-identical runs the comparison anyway (an A/A check of the statistics)"
    )
