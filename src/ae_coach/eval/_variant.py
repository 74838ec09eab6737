"""A variant: one version of ``rules/`` and ``prompts/`` to run the cases on.

The working tree is one variant; ``compare`` builds the other from a git ref (extracted into a
temporary directory with ``git archive``), from another rules directory, or as an empty rulebook.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ae_coach.errors import InputError


@dataclass
class Variant:
    """Where a variant's rules and prompts live, and the objects built from them (lazily, once)."""

    label: str
    rules_dir: Path
    prompts_dir: Path
    _tmp: Any = field(default=None, repr=False)
    commit: str | None = None
    """The git commit the rules and prompts come from ("<sha> (+ uncommitted changes)" for a dirty tree)."""
    evals_dir: Path | None = None
    """The variant's own ``evals/`` (a git base): lets a comparison list cases that exist on one side only."""
    root: Path | None = None
    """The checkout ``evals_dir`` was taken from: suites under ``root/evals`` map onto ``evals_dir``."""
    layers: list[Path] = field(default_factory=list)
    """For a playbook that extends the shipped rulebook: every rules directory merged, lowest first
    (``rules_dir`` is the top one). Empty: ``rules_dir`` alone."""
    disable: tuple[str, ...] = ()
    """Rule ids the playbook leaves out of the merged rulebook."""
    playbook: str | None = None
    """The playbook's name and config file, when the rules come from one."""

    @cached_property
    def rulebook(self) -> Any:
        from ae_coach.rules import load_rulebook
        from ae_coach.rules.parse import read_rulebook

        if self.layers or self.disable:
            return read_rulebook(self.layers or [self.rules_dir], disable=self.disable)
        return load_rulebook(self.rules_dir)

    @property
    def rules_text(self) -> str:
        """The rules directories as a report names them (``A + B`` for a playbook over the shipped rules)."""
        text = " + ".join(str(path) for path in self.layers) if len(self.layers) > 1 else str(self.rules_dir)
        return text + (f" (disabled: {', '.join(self.disable)})" if self.disable else "")

    @cached_property
    def builder(self) -> Any:
        from ae_coach.coach.prompt import PromptBuilder

        return PromptBuilder(self.rulebook, templates=self.prompts_dir)

    @cached_property
    def rulebook_without_examples(self) -> Any:
        """The rulebook with every Good/Bad example removed (from the search index too)."""
        return without_examples(self.rulebook)

    @cached_property
    def builder_without_examples(self) -> Any:
        from ae_coach.coach.prompt import PromptBuilder

        return PromptBuilder(self.rulebook_without_examples, templates=self.prompts_dir)

    @cached_property
    def clients(self) -> dict[tuple[Any, ...], Any]:
        """Model clients kept for the whole run, one per worker thread and backend (``_coach_target``): a
        client per case cost ~29 ms each (an HTTP client and its connection pool)."""
        return {}

    def builder_for_rulebook(self, rulebook: Any) -> Any:
        """The variant's prompt builder for ``rulebook`` (its own, or the one without examples), else None."""
        if rulebook is self.rulebook:
            return self.builder
        if "rulebook_without_examples" in self.__dict__ and rulebook is self.rulebook_without_examples:
            return self.builder_without_examples
        return None

    def rulebook_for(self, case: Any) -> Any:
        """The rulebook a case runs on: without examples when the case hides them."""
        return self.rulebook_without_examples if case.input.hide_examples else self.rulebook

    def builder_for(self, case: Any) -> Any:
        return self.builder_without_examples if case.input.hide_examples else self.builder

    @cached_property
    def prompts_hash(self) -> str:
        """sha256 over the prompt templates' names and text."""
        from ae_coach.rules import content_hash

        parts = [f"{p.name}\n{p.read_text(encoding='utf-8')}" for p in sorted(self.prompts_dir.glob("*.j2"))]
        return content_hash("\n\0".join(parts))

    def fingerprint(self) -> dict[str, Any]:
        """What a report names: where the rules and prompts came from, the commit, and their hashes."""
        return {
            "label": self.label,
            "playbook": self.playbook,
            "rules_dir": self.rules_text,
            "prompts_dir": str(self.prompts_dir),
            "commit": self.commit,
            "rulebook_hash": self.rulebook.content_hash,
            "prompts_hash": self.prompts_hash,
        }

    def template_problems(self, deal: Any) -> list[str]:
        """Templates that do not parse, or a review prompt that does not render for ``deal``."""
        from jinja2 import TemplateSyntaxError
        from jinja2.sandbox import SandboxedEnvironment

        from ae_coach.errors import AeCoachError

        problems = []
        env = SandboxedEnvironment()
        for path in sorted(self.prompts_dir.glob("*.j2")):
            try:
                env.parse(path.read_text(encoding="utf-8"))
            except TemplateSyntaxError as exc:
                problems.append(f"{path}:{exc.lineno}: {exc.message}")
        if problems:
            return problems
        from ae_coach.coach import Coach

        try:
            Coach(backend="offline", rulebook=self.rulebook, prompts=self.prompts_dir).review_request(deal, deal.as_of)
        except (AeCoachError, Exception) as exc:  # a template error of any kind must fail, named
            problems.append(f"{self.prompts_dir}: the review prompt does not render: {exc}")
        return problems

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def without_examples(rulebook: Any) -> Any:
    """A copy of ``rulebook`` whose rules have no Examples section and no examples."""
    from ae_coach.rules import Rulebook, content_hash

    rules = [
        r.model_copy(update={"examples": [], "sections": {k: v for k, v in r.sections.items() if k != "Examples"}})
        for r in rulebook.rules
    ]
    return Rulebook(
        rules=rules,
        sections=rulebook.sections,
        path=rulebook.path,
        content_hash=content_hash(rulebook.content_hash + ":without-examples"),
    )


def working_tree() -> Variant:
    """The rules and prompts ae-coach ships from this checkout (or wheel)."""
    from ae_coach.resources import project_root, prompts_dir, rules_dir

    return Variant("working tree", rules_dir(), prompts_dir(), commit=_head(project_root()))


def _head(root: Path, paths: tuple[str, ...] = ("rules", "prompts")) -> str | None:
    """The checkout's commit, marked when ``paths`` have uncommitted changes; None outside git."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", *paths], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return None
    return head.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")


def from_rules_dir(path: Path) -> Variant:
    """Another rules directory, with the working tree's prompts."""
    from ae_coach.resources import prompts_dir

    if not path.is_dir():
        raise InputError(f"--rules {path}: not a directory")
    return Variant(f"rules {path}", path, prompts_dir())


def empty_rulebook() -> Variant:
    """No rules at all (``--without-rules``): what the coach does on findings alone.

    The directory keeps the working tree's ``_sections.md`` so the loader accepts it.
    """
    from ae_coach.resources import prompts_dir, rules_dir

    tmp = tempfile.TemporaryDirectory(prefix="ae-coach-norules-")
    rules = Path(tmp.name) / "rules"
    rules.mkdir()
    sections = rules_dir() / "_sections.md"
    if sections.is_file():
        shutil.copy(sections, rules / "_sections.md")
    return Variant("without rules", rules, prompts_dir(), _tmp=tmp)


def from_git(ref: str, repo: Path | None = None) -> Variant:
    """``rules/`` and ``prompts/`` as they are at ``ref`` (with its ``evals/``, to list one-sided cases).

    A ref without ``rules/`` is an empty rulebook; a ref without ``prompts/`` uses the working tree's
    prompts (so only the rules differ). Either way the comparison still runs.
    """
    from ae_coach.resources import project_root

    root = repo or project_root()
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=f"--base {ref}")
    tmp = tempfile.TemporaryDirectory(prefix="ae-coach-base-")
    out = Path(tmp.name)
    for sub in ("rules", "prompts", "evals", "examples"):
        if _git(root, "ls-tree", "-d", "--name-only", commit.strip(), sub, what=f"--base {ref}").strip():
            archive = subprocess.run(
                ["git", "-C", str(root), "archive", "--format=tar", commit.strip(), sub],
                capture_output=True,
                check=True,
            ).stdout
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                # The "data" filter refuses links and paths outside the target (Python 3.11.4+).
                tar.extractall(out, filter="data")
    working = working_tree()
    if not (out / "rules").is_dir():
        (out / "rules").mkdir()
    if not (out / "rules" / "_sections.md").is_file() and (working.rules_dir / "_sections.md").is_file():
        shutil.copy(working.rules_dir / "_sections.md", out / "rules" / "_sections.md")
    prompts = (
        out / "prompts" if (out / "prompts").is_dir() and any((out / "prompts").glob("*.j2")) else working.prompts_dir
    )
    evals = out / "evals" if (out / "evals").is_dir() else None
    label = f"git {ref} ({commit.strip()[:10]})"
    return Variant(label, out / "rules", prompts, _tmp=tmp, commit=commit.strip(), evals_dir=evals, root=root)


def _git(root: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise InputError(f"{what}: git is not installed") from None
    if done.returncode != 0:
        detail = done.stderr.strip() or "unknown revision"
        raise InputError(f"{what}: not a commit in {root} ({detail})")
    return done.stdout
