"""``ae-coach mcp`` (serve over MCP) and ``ae-coach skill install | package`` (put the skill where assistants read it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ae_coach.errors import UsageError

MISSING_EXTRA = "the MCP server needs the mcp package: install ae-coach[mcp] (pip install 'ae-coach[mcp]')"


def register(app: typer.Typer) -> None:
    """Add ``mcp`` to the root app and ``install``/``package`` to the ``skill`` sub-app."""
    # The skill sub-app belongs to cli/skill.py; typer reads its commands when the CLI is built, after this.
    from ae_coach.cli.skill import skill_app

    app.command("mcp")(mcp_command)
    skill_app.command("install")(install_command)
    skill_app.command("package")(package_command)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def mcp_command(
    log_level: Annotated[
        str, typer.Option(help="Log threshold: DEBUG, INFO, WARNING or ERROR. Logs go to stderr, never stdout.")
    ] = "WARNING",
) -> None:
    """Serve ae-coach's tools, rules and SKILL.md over MCP on stdio (for Claude Desktop, Claude Code...)."""
    from ae_coach.mcpserver import MissingExtraError, serve

    if log_level.upper() not in LOG_LEVELS:
        raise UsageError(f"--log-level: {log_level!r} is not allowed; use one of {', '.join(LOG_LEVELS)}")
    if sys.stdin.isatty():
        # Someone typed the command by hand: say why nothing seems to happen.
        print(
            "ae-coach mcp speaks MCP on stdin/stdout for an MCP host; see docs/integrations.md. Ctrl-C stops it.",
            file=sys.stderr,
        )
    try:
        serve(log_level.upper())
    except MissingExtraError:
        raise UsageError(MISSING_EXTRA) from None


def install_command(
    project: Annotated[
        bool, typer.Option("--project", help="Install into this project (./.claude/skills) instead of your home.")
    ] = False,
    target: Annotated[
        str, typer.Option(help="claude (.claude/skills) or agents (.agents/skills, read by other agents).")
    ] = "claude",
    force: Annotated[bool, typer.Option("--force", help="Replace a copy you have edited.")] = False,
    dest: Annotated[
        Path | None, typer.Option(help="A skills directory to install into instead (gets account-executive/).")
    ] = None,
) -> None:
    """Copy SKILL.md and the playbook's rules to ~/.claude/skills/account-executive (refuses to overwrite your edits)."""
    from ae_coach.skill.install import default_destination, install, resolve_destination
    from ae_coach.skill.playbook import staged

    if target not in ("claude", "agents"):
        raise UsageError(f"--target: {target!r} is not allowed; use claude or agents")
    if dest is not None:
        destination = resolve_destination(dest)
    else:
        destination = default_destination(target, Path.cwd() if project else None)  # type: ignore[arg-type]
    with staged() as skill:
        result = install(destination, force=force, source=skill.root if skill else None)
        _say_playbook(skill)
    if not result.changed:
        print(f"{destination}: already up to date ({len(result.unchanged)} files)")
        return
    parts = [f"{len(result.added)} added", f"{len(result.updated)} updated", f"{len(result.removed)} removed"]
    print(f"installed the account-executive skill in {destination} ({', '.join(parts)})")
    if result.overwritten:
        print(f"replaced local changes (--force): {', '.join(result.overwritten)}")


def _say_playbook(skill) -> None:
    from ae_coach.playbook import active

    rules = f"{skill.rules} rules" if skill else "the shipped rules"
    print(f"rules from playbook: {active().describe()} ({rules})", file=sys.stderr)
    if skill and skill.missing:
        print(
            f"warning: SKILL.md names rules this playbook does not have: {', '.join(skill.missing)}; put your own "
            f"SKILL.md beside ae-coach.toml to change its text",
            file=sys.stderr,
        )


def package_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The zip to write.")] = Path("account-executive.zip"),
) -> None:
    """Build account-executive.zip (SKILL.md + the playbook's rules) for upload in Claude's Skills settings."""
    from ae_coach.skill.install import package
    from ae_coach.skill.playbook import staged

    with staged() as skill:
        names = package(output, source=skill.root if skill else None)
        _say_playbook(skill)
    print(f"wrote {output} ({len(names)} files under account-executive/)")
