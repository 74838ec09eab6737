"""The eval harness: run suites of cases on the inspector, the rule selection or the coach, and compare
two versions of ``rules/`` and ``prompts/`` with paired statistics; measure the suite itself (mutation
score, verified coverage cases), the judges (calibration on human labels) and the inspector's judgement
(forecast, top risk and health against a sales leader's labels).

Public door (everything else in this package is private)::

    from ae_coach.eval import Session, RunOptions, run_eval, compare_variants, from_git, render

    result = run_eval(Session(suites=["evals/"]))
    comparison = compare_variants(Session(suites=["evals/"]), base=from_git("HEAD"))
    print(render(comparison, "markdown"))
    print(mutation_markdown(run_mutation(Session(suites=["evals/"]), rules=["deal-economic-buyer"])))
    print(judgement_markdown(run_judgement(Path("evals/calibration/labels.yaml"), "holdout")))

Where a comparison's two sides come from is :class:`Variant` and its factories (``working_tree``,
``from_git``, ``from_rules_dir``, ``empty_rulebook``, and for a playbook ``playbook_tree`` and ``playbook_at``).
``check_comparable`` refuses two sides that are the same files.

The case format and the statistics are documented in docs/evals.md.
"""

from __future__ import annotations

from typing import Any

from ae_coach.errors import SuiteFileError
from ae_coach.eval._calibrate import calibrate as calibrate_judges
from ae_coach.eval._calibrate import calibration_markdown
from ae_coach.eval._cases import Case, filter_cases, load_cases
from ae_coach.eval._compare import Comparison, compare_results
from ae_coach.eval._cover import Coverage
from ae_coach.eval._cover import generate as generate_coverage
from ae_coach.eval._cover import write as write_coverage
from ae_coach.eval._judge import JUDGE_MODEL
from ae_coach.eval._judgement import JudgementReport, judgement_html, judgement_markdown, run_judgement
from ae_coach.eval._mutate import KINDS, MutationReport, mutation_markdown, run_mutation
from ae_coach.eval._playbook import base_from_git, check_comparable, playbook_at, playbook_tree
from ae_coach.eval._results import CaseResult, RunResult
from ae_coach.eval._runner import Runner, RunOptions
from ae_coach.eval._session import Session, compare_variants, run_eval
from ae_coach.eval._skill_creator import to_evals_json
from ae_coach.eval._stats import DEFAULT_MARGIN, PairedStats, paired_stats
from ae_coach.eval._variant import (
    Variant,
    empty_rulebook,
    from_git,
    from_rules_dir,
    working_tree,
)

FORMATS = ("terminal", "json", "markdown", "html", "junit", "promptfoo", "inspect")


def render(subject: RunResult | Comparison, fmt: str) -> str:
    """A report as text: ``json``, ``markdown``, ``html``, ``junit``, ``promptfoo`` or ``inspect`` (``terminal``
    prints with rich instead)."""
    import json

    from ae_coach.eval import _html, _interop, _report

    renderers: dict[str, Any] = {
        "json": _report.to_json,
        "markdown": _report.to_markdown,
        "html": _html.to_html,
        "junit": _html.to_junit,
        "promptfoo": lambda s: json.dumps(_interop.to_promptfoo(s), indent=2, default=str) + "\n",
        "inspect": lambda s: json.dumps(_interop.to_inspect(s), indent=2, default=str) + "\n",
    }
    if fmt not in renderers:
        from ae_coach.errors import UsageError

        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return renderers[fmt](subject)


def print_report(subject: RunResult | Comparison) -> None:
    """Print the rich terminal report."""
    from ae_coach.eval._report import print_terminal

    print_terminal(subject)


__all__ = [
    "DEFAULT_MARGIN",
    "FORMATS",
    "JUDGE_MODEL",
    "KINDS",
    "Case",
    "CaseResult",
    "Comparison",
    "Coverage",
    "JudgementReport",
    "MutationReport",
    "PairedStats",
    "RunOptions",
    "RunResult",
    "Runner",
    "Session",
    "SuiteFileError",
    "Variant",
    "base_from_git",
    "calibrate_judges",
    "calibration_markdown",
    "check_comparable",
    "compare_results",
    "compare_variants",
    "empty_rulebook",
    "filter_cases",
    "from_git",
    "from_rules_dir",
    "generate_coverage",
    "judgement_html",
    "judgement_markdown",
    "load_cases",
    "mutation_markdown",
    "paired_stats",
    "playbook_at",
    "playbook_tree",
    "print_report",
    "render",
    "run_eval",
    "run_judgement",
    "run_mutation",
    "to_evals_json",
    "working_tree",
    "write_coverage",
]
