"""Issue 15's "done when", end to end: ae-coach installed from a built wheel (not editable) in a fresh venv,
a standalone playbook under git, and every command using the playbook's rules.

Slow (a wheel build, a venv, a dozen CLI runs: about a minute), so marked ``slow``; it runs in the default
suite, and alone with ``pytest -m slow tests/test_playbook_wheel.py``.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp")

import anyio
from mcp import Client, StdioServerParameters

pytestmark = pytest.mark.slow

DEAL = "deals/tailspin-single-threaded.yaml"
DROPPED = ("relationship-multi-threading", "deal-economic-buyer")


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "AE_COACH_PLAYBOOK"))}
    return (
        env
        | {"AE_COACH_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
        | {
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
    )


def _run(args: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == expect, f"{args} -> {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ae-coach command of a fresh venv holding the wheel built from this checkout."""
    repo = Path(__file__).resolve().parent.parent
    tmp = tmp_path_factory.mktemp("wheel")
    env = _env(tmp / "home")
    dist = tmp / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(repo)], tmp, env)
    (wheel,) = dist.glob("ae_coach-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    _run([*pip, str(wheel)], tmp, env)
    # Dependencies come from the project venv (no network): a .pth adds its site-packages after the venv's own.
    # A .pth line adds a plain path, so the project's editable install of ae-coach is not picked up from there.
    (own_site,) = (venv / "lib").glob("python3*/site-packages")
    (own_site / "project-deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    where = _run([str(python), "-c", "import ae_coach; print(ae_coach.__file__)"], tmp, env).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    return venv / "bin" / "ae-coach"


def _cited(review_json: str) -> set[str]:
    report = json.loads(review_json)["report"]
    ids = {i for risk in [*report["risks"], *report["also_risks"]] for i in risk["rule_ids"]}
    return ids | {x["rule_id"] for x in [*report["next_actions"], *report["questions"]] if x.get("rule_id")}


def test_a_standalone_playbook_under_git_drives_every_command(installed: Path, tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    ae = str(installed)
    book = tmp_path / "acme"
    _run([ae, "init", str(book), "--standalone"], tmp_path, env)
    _run(["git", "init", "-q"], book, env)
    _run(["git", "add", "-A"], book, env)
    _run(["git", "commit", "-q", "-m", "playbook from ae-coach init --standalone"], book, env)
    assert "acme" in _run([ae, "--version"], book, env).stdout

    review = [ae, "review", DEAL, "--format", "json", "--no-log"]
    before = _cited(_run(review, book, env).stdout)
    assert set(DROPPED) <= before

    # Editing a rule changes what review prints.
    rule = book / "rules" / "relationship-multi-threading.md"
    original = rule.read_text(encoding="utf-8")
    rule.write_text(original.replace("to bring you into the meeting where", "to seat you in the meeting where"))
    printed = _run([ae, "review", DEAL, "--format", "markdown", "--no-log"], book, env).stdout
    assert "to seat you in the meeting where" in printed and "to bring you into the meeting" not in printed
    rule.write_text(original, encoding="utf-8")

    # Deleting the single-threading and economic-buyer rules and committing: review no longer cites them,
    # and eval compare against the last commit reports the regression and exits 1.
    for rule_id in DROPPED:
        _run(["git", "rm", "-q", f"rules/{rule_id}.md", f"rules/zh/{rule_id}.md"], book, env)
    _run(["git", "commit", "-q", "-m", "drop the single-threading and economic-buyer rules"], book, env)
    after = _cited(_run(review, book, env).stdout)
    assert not set(DROPPED) & after and after < before

    compare = [ae, "eval", "compare", "--base", "HEAD~1", "--runs-dir", str(tmp_path / "runs"), "--format", "json"]
    report = json.loads(_run(compare, book, env, expect=1).stdout)
    assert report["verdict"] == "regressed" and report["gate_failed"]
    assert report["provenance"]["base"]["rulebook_hash"] != report["provenance"]["candidate"]["rulebook_hash"]
    assert str(book / "rules") in report["provenance"]["candidate"]["rules_dir"]
    # Comparing the commit with itself is refused, not reported as "no difference".
    same = _run([*compare[:4], "HEAD", *compare[5:]], book, env, expect=2)
    assert "nothing to compare" in same.stderr

    # skill install and mcp serve the playbook's rules.
    _run([ae, "skill", "install", "--dest", str(tmp_path / "skills")], book, env)
    installed_rules = {p.stem for p in (tmp_path / "skills" / "account-executive" / "rules").glob("*.md")}
    assert "deal-paper-process" in installed_rules and not set(DROPPED) & installed_rules

    async def over_stdio() -> tuple[set[str], bool]:
        params = StdioServerParameters(command=ae, args=["mcp"], env=env, cwd=book)
        with anyio.fail_after(60):
            async with Client(params, read_timeout_seconds=60) as client:
                listed = {str(r.uri) for r in (await client.list_resources()).resources}
                gone = await client.call_tool("get_rule", {"rule_id": DROPPED[0]})
        return listed, gone.is_error

    listed, refused = anyio.run(over_stdio)
    assert "rule://deal-paper-process" in listed and f"rule://{DROPPED[0]}" not in listed and refused
