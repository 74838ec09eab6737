"""skill-creator's ``evals.json`` mapped onto our cases, and back.

``{"skill_name": ..., "evals": [{"id", "prompt", "expected_output", "files", "expectations" | "assertions"}]}``:
the prompt becomes the chat question, each expectation or assertion a rubric item, the first deal file in
``files`` the deal (none: an empty discovery-stage deal), and ``expected_output`` the case description.

skill-creator keeps the file at ``<skill>/evals/evals.json`` and writes ``files`` relative to the skill
root (``evals/files/deal.yaml``); a path relative to the evals.json itself is accepted too.
:func:`to_evals_json` writes chat cases back in that layout, so a file read and written again is unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ae_coach.errors import SuiteFileError

_DEAL_SUFFIXES = (".yaml", ".yml", ".json")
EMPTY_DEAL: dict[str, Any] = {"id": "no-deal", "account": "(no deal given)", "stage": "discovery"}
"""The deal a question without a deal file is asked about: nothing known yet."""


def cases_from_evals_json(path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    evals = data.get("evals")
    if not isinstance(evals, list):
        raise SuiteFileError(path, "'evals' must be a list", field="evals")
    skill = _slug(str(data.get("skill_name") or path.parent.name or "skill"))
    return [_one(path, skill, i, item) for i, item in enumerate(evals)]


def _one(path: Path, skill: str, index: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise SuiteFileError(path, "each eval must be an object", field=f"evals[{index}]")
    case_id = f"{skill}.{_slug(str(item.get('id', index + 1)))}"
    prompt = item.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise SuiteFileError(path, "'prompt' must be non-empty text", case=case_id, field=f"evals[{index}].prompt")
    raw_items = item.get("expectations", item.get("assertions")) or []
    if not isinstance(raw_items, list):
        raise SuiteFileError(path, "expectations must be a list", case=case_id, field=f"evals[{index}].expectations")
    rubric = [{"id": f"e{n + 1}", "pass": _text(path, case_id, x)} for n, x in enumerate(raw_items)]
    deal = next((f for f in item.get("files") or [] if str(f).endswith(_DEAL_SUFFIXES)), None)
    if deal is not None:
        deal = str(_resolve_file(path, str(deal)))
    return {
        "id": case_id,
        "description": item.get("expected_output"),
        "tags": ["skill-creator"],
        "input": {"deal": str(deal) if deal else dict(EMPTY_DEAL), "question": prompt},
        "target": "coach",
        "expect": {"rubric": rubric},
    }


def skill_root(evals_json: Path) -> Path:
    """The skill directory: the parent of ``evals/`` when the file sits there, else the file's directory."""
    parent = evals_json.resolve().parent
    return parent.parent if parent.name == "evals" else parent


def _resolve_file(evals_json: Path, name: str) -> Path:
    """``files`` entries are relative to the skill root (skill-creator's layout) or, failing that, to the file."""
    for base in (skill_root(evals_json), evals_json.resolve().parent):
        if (base / name).is_file():
            return (base / name).resolve()
    return (skill_root(evals_json) / name).resolve()  # not found: the error names the documented place


def to_evals_json(cases: list[Any], evals_json: Path, skill_name: str) -> dict[str, Any]:
    """Chat cases as skill-creator's evals.json to be written at ``evals_json`` (``files`` relative to the
    skill root, integer ids). Cases without a question or rubric have no skill-creator form and are left out."""
    root = skill_root(evals_json)
    out = []
    for n, case in enumerate(c for c in cases if c.input.question and c.expect.rubric):
        tail = case.id.removeprefix(f"{_slug(skill_name)}.")
        item: dict[str, Any] = {
            "id": int(tail) if tail.isdigit() else n + 1,
            "prompt": case.input.question,
            "expected_output": case.description or "",
            "files": [],
            "expectations": [r.pass_ for r in case.expect.rubric],
        }
        deal = case.deal_path()
        if deal is not None:
            item["files"] = [Path(_relpath(deal, root)).as_posix()]
        out.append(item)
    return {"skill_name": skill_name, "evals": out}


def _relpath(path: Path, root: Path) -> str:
    import os

    return os.path.relpath(path, root)


def _text(path: Path, case_id: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("text", "assertion", "description", "expectation"):
            if isinstance(value.get(key), str):
                return value[key]
    raise SuiteFileError(path, f"an expectation must be text or have a 'text' field, got {value!r}", case=case_id)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"
