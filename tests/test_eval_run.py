"""Running suites: the shipped offline suite passes, failures exit 1, reports render, killed runs resume."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ae_coach.cli import main
from ae_coach.eval import RunOptions, Session, render, run_eval
from ae_coach.eval._runlog import read_run_log


def test_the_shipped_suite_passes_offline(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "junit.xml"
    code = main(
        [
            "eval",
            "run",
            str(repo / "evals"),
            "--format",
            "json",
            "--junit",
            str(junit),
            "--runs-dir",
            str(tmp_path / "runs"),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    failed = [c["id"] for c in report["cases"] if not c["passed"]]
    assert code == 0, failed
    assert report["totals"]["cases"] >= 60 + 100 and report["totals"]["errors"] == 0
    suites = ET.parse(junit).getroot()
    assert sum(int(s.get("tests")) for s in suites) == report["totals"]["cases"]
    assert all(s.get("failures") == "0" for s in suites)


FAILING = """
cases:
  - id: healthy-but-expects-alarm
    split: holdout
    input: {deal: {account: Acme, stage: discovery, as_of: 2026-11-26, created: 2026-11-20}}
    expect:
      findings: {fire: [momentum.close_date_passed], quiet: [anti.post_close_abandonment]}
  - id: chat-must-mention-unicorns
    input:
      deal: {account: Acme, stage: discovery, as_of: 2026-11-26}
      question: How do I find the economic buyer?
    expect:
      checks: [{contains: unicorns}, {max_words: 5000}]
      rubric: [{id: eb, pass: Mentions the economic buyer, keywords: [economic buyer]}]
"""


def test_failing_cases_exit_1_and_say_what_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "fail.yaml"
    suite.write_text(FAILING, encoding="utf-8")
    junit = tmp_path / "j.xml"
    code = main(
        ["eval", "run", str(suite), "--format", "markdown", "--junit", str(junit), "--runs-dir", str(tmp_path / "runs")]
    )
    out = capsys.readouterr()
    assert code == 1
    assert "finding.fire momentum.close_date_passed: did not fire" in out.out
    assert "check contains:unicorns: not found" in out.out
    assert "| healthy-but-expects-alarm | holdout | inspector | 50.0% | FAIL |" in out.out
    assert "2 of 2 cases failed" in out.err
    failures = ET.parse(junit).getroot().findall(".//failure")
    assert len(failures) == 2
    # --fail-under lets a live run pass with a pass rate instead of perfection.
    assert (
        main(["eval", "run", str(suite), "--fail-under", "0", "--format", "json", "--runs-dir", str(tmp_path / "runs")])
        == 0
    )


def test_html_and_markdown_reports_for_a_run(repo: Path, tmp_path: Path) -> None:
    result = run_eval(Session(suites=[str(repo / "evals" / "coach-review.yaml")], runs_dir=tmp_path))
    html = render(result, "html")
    assert html.startswith("<!DOCTYPE html>") and "coach.review.notes-try-to-instruct" in html
    assert "http://" not in html and "https://" not in html
    assert "# Eval run: working tree" in render(result, "markdown")


def _suite_size(path: Path) -> int:
    from ae_coach.eval import load_cases

    return len(load_cases([path]))


def test_a_killed_run_resumes_without_redoing_finished_cases(repo: Path, tmp_path: Path) -> None:
    suite = repo / "evals" / "deal-review.yaml"
    total = _suite_size(suite)
    log = tmp_path / "run.jsonl"
    first = Session(suites=[str(suite)], log_path=log, options=RunOptions(repeats=2))
    run_eval(first)
    assert first.runner.target_calls == 2 * total
    # Simulate a kill: keep the header and 7 finished samples, then half of the next line.
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:8]) + lines[8][: len(lines[8]) // 2], encoding="utf-8")

    resumed = Session(resume=log)
    result = run_eval(resumed)
    assert resumed.runner.target_calls == 2 * total - 7
    assert resumed.options.repeats == 2 and resumed.suites == [str(suite)]  # choices come from the log
    _header, samples = read_run_log(log)
    keys = [(s["case"], s["repeat"]) for s in samples]
    assert len(keys) == len(set(keys)) == 2 * total
    assert result.totals["passed"] == total

    again = Session(resume=log)
    run_eval(again)
    assert again.runner.target_calls == 0


def test_resume_from_the_cli(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = repo / "evals" / "rule-selection.yaml"
    runs = tmp_path / "runs"
    assert main(["eval", "run", str(suite), "--format", "json", "--runs-dir", str(runs)]) == 0
    log = next(runs.glob("*.jsonl"))
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:4]), encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", "run", "--resume", str(log), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["cases"] == _suite_size(suite)
    assert len(read_run_log(log)[1]) == _suite_size(suite)


def test_a_run_reuses_one_client_per_thread_and_one_prompt_builder_per_variant(monkeypatch, tmp_path) -> None:
    import threading

    from ae_coach.eval._coach_target import make_coach
    from ae_coach.eval._runner import RunOptions
    from ae_coach.eval._variant import working_tree
    from ae_coach.model.cache import Cache

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-not-used")
    variant, options, cache = working_tree(), RunOptions(backend="anthropic"), Cache(tmp_path)
    (first, first_cache), (second, second_cache) = (make_coach(variant, options, cache, 0) for _ in range(2))
    assert first.builder is second.builder is variant.builder
    assert first_cache is not second_cache and first_cache.inner is second_cache.inner  # the HTTP client, once
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(make_coach(variant, options, cache, 0)[1].inner))
    thread.start()
    thread.join()
    assert elsewhere[0] is not first_cache.inner  # a client is never shared between threads
