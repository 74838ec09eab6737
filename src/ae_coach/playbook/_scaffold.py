"""``ae-coach init``: a new playbook that works at once (config, rules, an example deal, an eval suite, a README)."""

from __future__ import annotations

import shutil
from pathlib import Path
from string import Template

from ae_coach.errors import PlaybookError
from ae_coach.playbook._config import CONFIG_FILE

STARTER = Path(__file__).parent / "starter"

_EXTENDING = {
    "extends": "shipped",
    "rules_comment": "                 # the shipped rulebook plus rules/: a file named like a shipped rule replaces it",
    "suites": '"evals/playbook.yaml", "evals/team-rules.yaml"',
    "mode_text": (
        "It **extends** the rulebook that ships with ae-coach: `rules/` holds only this team's additions (a\n"
        "new file adds a rule; a file named like a shipped rule, e.g. `rules/deal-economic-buyer.md`, replaces\n"
        "it), and `[rules] disable` in `ae-coach.toml` leaves shipped rules out. When ae-coach is upgraded,\n"
        "the rules you did not touch upgrade with it."
    ),
    "rules_text": "this team's rules (`pipeline-stage-change-note.md` is an example: edit or delete it)",
}
_STANDALONE = {
    "extends": "none",
    "rules_comment": "                    # these rules only: a full copy of the shipped rulebook, now yours",
    "suites": '"evals/playbook.yaml"',
    "mode_text": (
        "It **stands alone**: `rules/` is a full copy of the rulebook ae-coach shipped with when it was\n"
        "created, and only these files are used. Edit, add and delete freely; an ae-coach upgrade does not\n"
        "change them. Deleting a rule: delete `rules/<id>.md` and `rules/zh/<id>.md`, then run\n"
        "`ae-coach rules lint`, which names every other file that still mentions it (the sales lexicon\n"
        "`rules/_lexicon.yaml`, a finding no rule covers any more)."
    ),
    "rules_text": "every rule this team coaches with, one markdown file each (`zh/`: the Chinese versions)",
}


def scaffold(directory: Path, *, standalone: bool = False, name: str | None = None) -> list[Path]:
    """Create a playbook in ``directory`` (created if missing) and return the files written.

    Args:
        directory: Where the playbook goes; it must not already hold any file the starter would write.
        standalone: Copy the full shipped rulebook into ``rules/`` (``extends = "none"``) instead of
            extending it with one example rule.
        name: The playbook's name (default: the directory's name).

    Raises:
        PlaybookError: ``directory`` is a file, already holds a playbook, or holds a file the starter
            would overwrite.
    """
    from ae_coach.resources import rules_dir

    if directory.exists() and not directory.is_dir():
        raise PlaybookError(f"{directory}: exists and is not a directory")
    values = dict(_STANDALONE if standalone else _EXTENDING)
    title = name or directory.resolve().name
    values |= {"name": title, "name_toml": _toml_text(title), "dir": str(directory.resolve())}
    plan: dict[Path, Path | str] = {
        Path(CONFIG_FILE): _render(STARTER / CONFIG_FILE, values),
        Path("README.md"): _render(STARTER / "README.md", values),
        Path(".gitignore"): "# ae-coach's eval run logs and caches\nruns/\n.ae-coach/\n",
        Path("deals/tailspin-single-threaded.yaml"): STARTER / "deals" / "tailspin-single-threaded.yaml",
        Path("evals/playbook.yaml"): STARTER / "evals" / "playbook.yaml",
    }
    if standalone:
        shipped = rules_dir()
        for source in sorted(shipped.rglob("*")):
            if source.is_file() and not source.name.startswith("."):
                plan[Path("rules") / source.relative_to(shipped)] = source
    else:
        plan[Path("evals/team-rules.yaml")] = STARTER / "evals" / "team-rules.yaml"
        for source in sorted((STARTER / "rules").glob("*.md")):
            plan[Path("rules") / source.name] = source
    clashes = sorted(str(rel) for rel in plan if (directory / rel).exists())
    if clashes:
        what = "already holds a playbook" if CONFIG_FILE in clashes else "already has files the starter would write"
        shown = ", ".join(clashes[:5]) + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        raise PlaybookError(f"{directory}: {what} ({shown}); choose an empty or new directory")
    written = []
    for rel, content in plan.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def _render(template: Path, values: dict[str, str]) -> str:
    return Template(template.read_text(encoding="utf-8")).substitute(values)


def _toml_text(value: str) -> str:
    # The name goes inside a TOML basic string: escape what would end or break it.
    return value.replace("\\", "\\\\").replace('"', '\\"')
