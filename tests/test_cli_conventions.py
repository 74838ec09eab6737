"""What a command-line user expects: -h, quiet help, completion, python -m, - for stdin, NO_COLOR, the
terminal's width, one exit code for a missing key, and the fast path agreeing with the typer commands."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from ae_coach.cli import _fast, main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples" / "deals").glob("*.yaml"))
NORTHWIND = REPO / "examples" / "deals" / "northwind-validation.yaml"


def _typer_options(command: str) -> dict[str, tuple[str, bool]]:
    from ae_coach.cli import app

    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {
        name: (param.name, not param.is_flag)
        for param in click_command.params
        if param.param_type_name == "option"
        for name in param.opts
    }


@pytest.mark.parametrize("command", sorted(_fast.COMMANDS))
def test_every_fast_path_option_is_the_typer_commands(command):
    assert _fast.COMMANDS[command].items() <= _typer_options(command).items()


@pytest.mark.parametrize(
    "args",
    [
        ["review", "--help"],
        ["review", "-h"],
        ["review", "d.yaml", "--frmat", "json"],  # a typo: typer names it
        ["review", "d.yaml", "-f", "json", "-f", "html"],
        ["review", "d.yaml", "--redact=yes"],
        ["review", "d.yaml", "--as-of"],
        ["review", "a.yaml", "b.yaml"],
        ["review"],
        ["pipeline", "examples/pipelines/team"],
        ["chat", "d.yaml", "-fjson"],
        ["--version", "--playbook", "pb"],
        ["version", "--help"],
    ],
)
def test_the_fast_path_leaves_anything_unusual_to_typer(args):
    assert _fast.parse(args) is None


def test_the_fast_path_parses_the_usual_forms():
    command, kwargs = _fast.parse(["review", "d.yaml", "--format=json", "-o", "out.json", "--no-log"])
    assert command == "review"
    assert kwargs == {"deal": Path("d.yaml"), "fmt": "json", "output": Path("out.json"), "no_log": True}


@pytest.mark.parametrize("args", [["-h"], ["review", "-h"], ["new", "-h"], ["pipeline", "-h"], ["eval", "run", "-h"]])
def test_dash_h_is_help_without_type_noise_on_flags(capsys, args):
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Usage:" in out and "<bool>" not in out


def test_completion_can_be_installed(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--install-completion" in out and "--show-completion" in out


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "ae_coach", "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip()


@pytest.mark.parametrize("fmt", ["json", "terminal"])
def test_dash_reads_the_deal_from_stdin(capsys, monkeypatch, fmt):
    monkeypatch.setattr(sys, "stdin", io.StringIO(NORTHWIND.read_text()))
    assert main(["review", "-", "--format", fmt, "--no-log"]) == 0
    assert "Northwind" in capsys.readouterr().out


def test_chat_refuses_dash_because_stdin_holds_the_questions(capsys):
    assert main(["chat", "-", "--no-log"]) == 2
    assert "stdin" in capsys.readouterr().err


@pytest.mark.parametrize("deal", EXAMPLES, ids=lambda p: p.stem)
def test_review_fits_an_80_column_terminal(capsys, monkeypatch, deal):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["review", str(deal), "--no-log"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(len(line) for line in lines) <= 80


def test_review_is_at_most_110_columns_on_a_wide_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["review", str(NORTHWIND), "--no-log"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) == 110


def test_no_color_and_pipes_get_no_escape_codes(monkeypatch):
    from ae_coach.cli._io import use_color

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(None) and not use_color(Path("out.txt"))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(None)
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a pipe
    monkeypatch.delenv("NO_COLOR")
    assert not use_color(None)


@pytest.mark.parametrize(
    "args",
    [
        ["review", str(NORTHWIND), "--backend", "anthropic", "--no-log"],
        ["pipeline", str(REPO / "examples" / "pipelines" / "team"), "--batch", "--no-log"],
    ],
)
def test_a_missing_key_is_exit_2_needs_a_key_for_every_command(capsys, args):
    assert main(args) == 2
    assert "needs a key" in capsys.readouterr().err


def test_an_eval_on_the_api_without_a_key_stops_with_the_same_exit_and_message(capsys, tmp_path):
    args = ["eval", "run", str(REPO / "evals" / "example-deals.yaml"), "--backend", "anthropic"]
    assert main([*args, "--runs-dir", str(tmp_path / "runs")]) == 2
    assert "needs a key" in capsys.readouterr().err


def test_a_runs_dir_that_is_a_file_is_exit_2_not_a_traceback(capsys, tmp_path):
    taken = tmp_path / "runs"
    taken.write_text("not a folder")
    assert main(["eval", "run", str(REPO / "evals" / "example-deals.yaml"), "--runs-dir", str(taken)]) == 2
    assert "cannot create the folder" in capsys.readouterr().err


def test_extract_without_a_key_is_exit_2_needs_a_key(capsys, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Call with Dana at Acme; they want a pilot.")
    assert main(["extract", str(notes)]) == 2
    assert "needs a key" in capsys.readouterr().err


def test_the_committed_deal_schema_is_current(capsys):
    assert main(["schema", "deal"]) == 0
    assert capsys.readouterr().out == (REPO / "docs" / "deal.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("deal", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_names_the_schema_and_validates_against_it(deal):
    import json

    import jsonschema  # the mcp extra's dependency, in the test extras
    import yaml

    from ae_coach.deal.schema import deal_schema

    text = deal.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../docs/deal.schema.json"
    document = json.loads(json.dumps(yaml.safe_load(text), default=str))  # dates as an editor sees them: text
    jsonschema.validate(document, deal_schema(), format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", ["deal", "report", "settings"])
def test_schema_prints_json_schema(capsys, name):
    import json

    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"].startswith("https://json-schema.org/")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["review", str(NORTHWIND), "--no-log"], ""),
        (["review", str(NORTHWIND), "--no-log", "-f", "json", "--as-of", "2026-12-01"], ""),
        (["review", str(NORTHWIND), "--no-log", "--lang", "zh", "-f", "markdown"], ""),
        (["chat", str(NORTHWIND), "--no-log", "--backend", "offline"], "what's the next step?\nwho signs?\n"),
        (["review", str(NORTHWIND), "--no-log", "--lang", "zh"], ""),
        (["review", str(NORTHWIND), "--no-log", "--format=html", "--backend", "offline"], ""),
        (["review", "-", "--no-log", "-f", "json"], NORTHWIND.read_text(encoding="utf-8")),
        (["chat", str(NORTHWIND), "--no-log"], ""),
        (["--version"], ""),
        (["version"], ""),
    ],
)
def test_the_fast_path_prints_what_the_typer_command_prints(capsys, monkeypatch, args, stdin):
    runs = _both_paths(capsys, monkeypatch, args, stdin)
    assert runs[0] == runs[1] and runs[0][0] == 0 and (runs[0][1] or args[0] == "chat")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["review", str(NORTHWIND.with_name("no-such-deal.yaml")), "--no-log"], ""),
        (["review", str(NORTHWIND), "--no-log", "--as-of", "2026-13-01"], ""),
        (["review", str(NORTHWIND), "--no-log", "-f", "pdf"], ""),
        (["review", str(NORTHWIND), "--no-log", "--lang", "fr"], ""),
        (["review", str(NORTHWIND), "--no-log", "--backend", "nonesuch"], ""),
        (["review", str(NORTHWIND), "--no-log", "--record"], ""),
        (["review", "-", "--no-log"], "account: [unclosed\n"),
        (["chat", "-", "--no-log"], ""),
        (["chat", str(NORTHWIND.with_name("no-such-deal.yaml")), "--no-log"], ""),
    ],
)
def test_the_fast_path_fails_as_the_typer_command_fails(capsys, monkeypatch, args, stdin):
    runs = _both_paths(capsys, monkeypatch, args, stdin)
    assert runs[0] == runs[1] and runs[0][0] != 0 and runs[0][2]


def test_the_fast_path_writes_the_file_the_typer_command_writes(capsys, monkeypatch, tmp_path):
    out = tmp_path / "review.md"
    written = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(_fast, "fast_command", lambda _args: None)
        code = main(["review", str(NORTHWIND), "--no-log", "-f", "markdown", "-o", str(out)])
        written.append((code, *capsys.readouterr(), out.read_text(encoding="utf-8")))
        out.unlink()
    assert written[0] == written[1] and written[0][0] == 0 and written[0][3]


def _both_paths(capsys, monkeypatch, args, stdin):
    """``(exit code, stdout, stderr)`` of ``args`` through the fast path, then through the typer app."""
    runs = []
    for fast in (True, False):
        if fast:
            assert _fast.parse(args) is not None  # else both runs would be the typer app's
        else:
            monkeypatch.setattr(_fast, "fast_command", lambda _args: None)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(args)
        runs.append((code, *capsys.readouterr()))
    return runs
