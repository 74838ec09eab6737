"""Self-contained HTML (inline CSS, no external URLs) and JUnit XML for a run or a comparison."""

from __future__ import annotations

import html
from typing import Any
from xml.etree import ElementTree as ET

from ae_coach.eval._compare import Comparison
from ae_coach.eval._report import _failed_items, pct, provenance_lines, signed, stats_line
from ae_coach.eval._results import RunResult

_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.pass{color:#17692e}.fail{color:#b3261e;font-weight:600}.verdict{font-size:1.2rem;padding:.6rem;border-radius:6px}
.regressed,.inconclusive{background:#fde7e9}.improved,.non-inferior,.unchanged{background:#e6f4ea}
.bar{display:inline-block;height:.8rem;background:#4a78c2}"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _page(title: str, body: list[str]) -> str:
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{_e(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{_e(title)}</h1>{''.join(body)}</body></html>\n"
    )


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in r)}</tr>" for r in rows)
    return f"<table><tr>{''.join(f'<th>{_e(h)}</th>' for h in head)}</tr>{cells}</table>"


def run_html(result: RunResult) -> str:
    t = result.totals
    body = [
        (
            f"<p>{t['passed']}/{t['cases']} cases passed; mean score {pct(t['mean_score'])}; "
            f"{t['errors']} errors; {t['flaky']} flaky.</p>"
        )
    ]
    rows = [
        [
            _e(c.id),
            _e(c.split),
            _e(c.target),
            f"<span class=bar style='width:{c.score * 6:.1f}rem'></span> {pct(c.score)}",
            "<span class=pass>pass</span>"
            if c.passed
            else f"<span class=fail>fail</span> {_e('; '.join(_failed_items(c)))}",
        ]
        for c in result.cases
    ]
    body.append(_table(["case", "split", "target", "score", "result"], rows))
    if result.judgement is not None:
        from ae_coach.eval._judgement import judgement_html

        body.append(judgement_html(result.judgement))
    return _page(f"Eval run: {result.variant}", body)


def compare_html(cmp: Comparison) -> str:
    body = [
        (
            f"<p class='verdict {'regressed' if cmp.gate_failed else 'unchanged'}'>Gate ({_e(cmp.gate_split)}): "
            f"<b>{'FAILED' if cmp.gate_failed else 'passed'}</b> — {_e(cmp.gate_reason)}</p>"
        ),
        (
            f"<p>Verdict: {_e(cmp.verdict_text)}; margin {cmp.margin * 100:.0f} points; "
            f"{'deterministic' if cmp.deterministic else 'sampled'} run, gate mode {_e(cmp.gate_mode)}.</p>"
        ),
        *[f"<p>Note: {_e(n)}.</p>" for n in cmp.notes],
        "<h2>Provenance</h2><ul>" + "".join(f"<li>{_e(line[2:])}</li>" for line in provenance_lines(cmp)) + "</ul>",
        "<h2>Statistics</h2>",
        _table(
            [
                "split",
                "n",
                "base",
                "candidate",
                "diff (points)",
                "95% CI",
                "sign-flip p",
                "McNemar p",
                "statistics alone",
            ],
            [
                [
                    _e(name),
                    str(s.n),
                    pct(s.mean_base),
                    pct(s.mean_candidate),
                    signed(s.mean_diff),
                    f"[{signed(s.ci_low)}, {signed(s.ci_high)}]",
                    f"{s.permutation_p:.3g}",
                    f"{s.mcnemar_p:.3g}",
                    _e(s.verdict + (f" (~{s.cases_needed} cases needed)" if s.cases_needed else "")),
                ]
                for name, s in [("all", cmp.overall), *cmp.by_split.items()]
            ],
        ),
        f"<p>{_e(stats_line(cmp.overall))}</p>",
        "<h2>Flipped cases</h2>",
    ]
    rows = [
        [
            _e(c.id),
            _e(c.split),
            f"<span class={'pass' if c.flip == 'fixed' else 'fail'}>{_e(c.flip)}</span>",
            pct(c.base_score),
            pct(c.candidate_score),
            _e(", ".join(c.changed_items)),
        ]
        for c in cmp.flipped
    ]
    body.append(
        _table(["case", "split", "change", "base", "candidate", "what changed"], rows) if rows else "<p>None.</p>"
    )
    body.append("<h2>Every case</h2>")
    body.append(
        _table(
            ["case", "split", "base", "candidate", "diff"],
            [[_e(c.id), _e(c.split), pct(c.base_score), pct(c.candidate_score), signed(c.diff)] for c in cmp.cases],
        )
    )
    if cmp.flaky:
        body.append(f"<h2>Flaky cases</h2><p>{_e(', '.join(c.id for c in cmp.flaky))}</p>")
    if cmp.errored:
        body.append(f"<h2>Errored cases (kept out of the scores)</h2><p>{_e(', '.join(cmp.errored))}</p>")
    if cmp.one_sided:
        rows = [[_e(o.id), _e(o.split), _e(o.side), _e(o.passed_on_base)] for o in cmp.one_sided]
        body.append("<h2>Cases on one side only</h2>" + _table(["case", "split", "only on", "passed on base"], rows))
    return _page(f"Eval comparison: {cmp.base.variant} → {cmp.candidate.variant}", body)


def to_html(subject: RunResult | Comparison) -> str:
    return compare_html(subject) if isinstance(subject, Comparison) else run_html(subject)


def to_junit(subject: RunResult | Comparison) -> str:
    """JUnit XML: one testcase per case (for a comparison, the candidate's results; flips broken = failure)."""
    result = subject.candidate if isinstance(subject, Comparison) else subject
    broken = {c.id for c in subject.flipped if c.flip == "broken"} if isinstance(subject, Comparison) else set()
    suites = ET.Element("testsuites", name="ae-coach eval")
    by_suite: dict[str, list[Any]] = {}
    for c in result.cases:
        by_suite.setdefault(c.suite, []).append(c)
    for name, cases in by_suite.items():
        failures = sum(1 for c in cases if (not c.passed or c.id in broken) and not c.errors)
        errors = sum(1 for c in cases if c.errors and not c.passed)
        node = ET.SubElement(
            suites, "testsuite", name=name, tests=str(len(cases)), failures=str(failures), errors=str(errors)
        )
        for c in cases:
            case_node = ET.SubElement(node, "testcase", classname=f"{name}.{c.split}", name=c.id)
            if c.errors and not c.passed:
                ET.SubElement(case_node, "error", message=c.errors[0][:500])
            elif not c.passed or c.id in broken:
                message = "; ".join(_failed_items(c)) if not c.passed else "passed on base, fails now"
                ET.SubElement(case_node, "failure", message=message[:2000])
    if isinstance(subject, Comparison):
        # The gate is a test of its own, so JUnit agrees with the verdict even when no single case failed
        # (errors, removed cases, a drop spread over many cases).
        node = ET.SubElement(
            suites, "testsuite", name="gate", tests="1", failures=str(int(subject.gate_failed)), errors="0"
        )
        case_node = ET.SubElement(node, "testcase", classname="gate", name=f"gate.{subject.gate_split}")
        ET.SubElement(case_node, "system-out").text = subject.verdict_text
        if subject.gate_failed:
            ET.SubElement(case_node, "failure", message=subject.verdict_text[:2000])
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
