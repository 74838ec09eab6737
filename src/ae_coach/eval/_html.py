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
.bar{display:inline-block;height:.8rem;background:#4a78c2}
.verdict.regressed{border-left:6px solid #b3261e}.verdict.unchanged{border-left:6px solid #17692e}
.chart{max-width:46rem}.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.sides pre{white-space:pre-wrap;background:#f6f7f9;padding:.6rem;border-radius:4px;font-size:.8rem;max-height:28rem;overflow:auto}
.sides mark{display:block}.sides mark.gone{background:#fde7e9}.sides mark.new{background:#e6f4ea}
.sides .same{color:#5c6370;font-style:italic}"""

FLIPS_SHOWN = 20
"""Flipped cases whose outputs the page shows side by side."""


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
        _split_chart(cmp),
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
    body.append(_flipped_outputs(cmp))
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


def _split_chart(cmp: Comparison) -> str:
    """Base against candidate, mean score per split (and over all cases)."""
    from ae_coach.render import charts

    stats = [("all", cmp.overall), *cmp.by_split.items()]
    chart = charts.grouped_bars(
        [name for name, _ in stats],
        {
            f"base ({cmp.base.variant})": [s.mean_base for _, s in stats],
            f"candidate ({cmp.candidate.variant})": [s.mean_candidate for _, s in stats],
        },
        title="Mean score per split",
        money=None,
    )
    return f"<div class=chart>{chart}</div>"


def _flipped_outputs(cmp: Comparison) -> str:
    """Each flipped case's two outputs side by side, with what changed between them."""
    if not cmp.flipped:
        return ""
    base, candidate = cmp.base.by_id(), cmp.candidate.by_id()
    parts = ["<h2>Flipped cases, side by side</h2>"]
    for c in cmp.flipped[:FLIPS_SHOWN]:
        left, right = base.get(c.id), candidate.get(c.id)
        left_html, right_html = marked_sides(left.output if left else None, right.output if right else None)
        parts.append(
            f"<h3>{_e(c.id)} <span class={'pass' if c.flip == 'fixed' else 'fail'}>{_e(c.flip)}</span></h3>"
            f"<p>What changed: {_e(', '.join(c.changed_items) or '-')}</p><div class=sides>"
            f"<div><b>base</b> {pct(c.base_score)}<pre>{left_html}</pre></div>"
            f"<div><b>candidate</b> {pct(c.candidate_score)}<pre>{right_html}</pre></div>"
            "</div>"
        )
    if len(cmp.flipped) > FLIPS_SHOWN:
        parts.append(f"<p>… and {len(cmp.flipped) - FLIPS_SHOWN} more flipped cases (see --format json).</p>")
    return "".join(parts)


def marked_sides(base: str | None, candidate: str | None) -> tuple[str, str]:
    """Two outputs as escaped HTML, the lines only one side has marked (``gone`` on the base, ``new`` on the
    candidate), so a reader finds the difference in two long outputs that mostly agree."""
    if not base or not candidate:
        return _e(base or "(no output logged)"), _e(candidate or "(no output logged)")
    from difflib import SequenceMatcher

    old, new = base.splitlines(), candidate.splitlines()
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            same = _context([_e(line) for line in old[i1:i2]], first=i1 == 0, last=i2 == len(old))
            left += same
            right += same
            continue
        left += [f"<mark class=gone>{_e(line)}</mark>" for line in old[i1:i2]]
        right += [f"<mark class=new>{_e(line)}</mark>" for line in new[j1:j2]]
    return _join(left), _join(right)


CONTEXT = 3
"""Lines kept on each side of a difference; a longer run both outputs share is folded into one line."""


def _context(lines: list[str], *, first: bool, last: bool) -> list[str]:
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(lines) <= keep_head + keep_tail + 1:
        return lines
    folded = len(lines) - keep_head - keep_tail
    return [*lines[:keep_head], f"<span class=same>… {folded} lines the same on both sides …</span>"] + (
        lines[len(lines) - keep_tail :] if keep_tail else []
    )


def _join(lines: list[str]) -> str:
    # a <mark> is a block of its own: no newline after it, or the page shows an empty line
    return "".join(line if line.endswith("</mark>") else line + "\n" for line in lines)


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
