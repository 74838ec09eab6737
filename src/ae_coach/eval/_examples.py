"""Cases generated from the rules' own Good/Bad examples (``evals/examples/rule-examples.yaml``).

``rules build`` exports every example as ``{id: example.<rule>.<n>, rule, kind, caption, text}``. A suite
turns them into cases with ``from_examples:``::

    from_examples:
      path: examples/rule-examples.yaml      # relative to the suite file
      deal: {account: Example Co, stage: validation}   # the deal the chat is about (path or inline)
      question: "A rep wrote this {caption}: {text} What would you coach?"
      expect: cited                          # cited: the answer must cite the example's rule
      split: {good: dev, bad: holdout}
      tags: [rule-example]

``{caption}``, ``{text}``, ``{rule}`` and ``{kind}`` are substituted. The case id is the example's id.
Examples listed in ``known_gaps`` make no case: their rule cannot yet be found from them without their own
text (a retrieval gap, listed so it stays visible; a test fails once one of them is found again).
The cases run on the rulebook without its examples (``hide_examples: true``, the default), so a pasted
example must find its rule through the rule's other sections, not through its own copy in the index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ae_coach.errors import SuiteFileError

_KEYS = {"path", "deal", "question", "expect", "split", "tags", "as_of", "hide_examples", "known_gaps"}
DEFAULT_QUESTION = (
    "Here is a {caption} from one of my reps:\n\n{text}\n\n"
    "What does this show about the deal, and what should the rep do next?"
)


def cases_from_examples(suite: Path, spec: Any) -> list[dict[str, Any]]:
    if not isinstance(spec, dict):
        raise SuiteFileError(suite, "'from_examples' must be a mapping", field="from_examples")
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise SuiteFileError(suite, f"unknown key(s) {unknown}; allowed: {sorted(_KEYS)}", field="from_examples")
    source = suite.parent / str(spec.get("path", "examples/rule-examples.yaml"))
    examples = _read(suite, source)
    split = spec.get("split") or {"good": "dev", "bad": "holdout"}
    expect = spec.get("expect", "cited")
    if expect not in ("cited", "selected"):
        raise SuiteFileError(suite, "expect must be 'cited' or 'selected'", field="from_examples.expect")
    gaps = spec.get("known_gaps") or []
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise SuiteFileError(suite, "known_gaps must be a list of example ids", field="from_examples.known_gaps")
    unknown_gaps = sorted(set(gaps) - {ex["id"] for ex in examples})
    if unknown_gaps:
        raise SuiteFileError(suite, f"known_gaps: no such example(s) {unknown_gaps}", field="from_examples.known_gaps")
    return [_case(spec, ex, split, expect) for ex in examples if ex["id"] not in gaps]


def _case(spec: dict[str, Any], ex: dict[str, Any], split: dict[str, str], expect: str) -> dict[str, Any]:
    question = str(spec.get("question") or DEFAULT_QUESTION)
    for key in ("caption", "text", "rule", "kind"):
        question = question.replace("{" + key + "}", str(ex.get(key) or ("example" if key == "caption" else "")))
    # The example's own text is in the rule's Examples section; searching a rulebook that still holds it
    # would find the rule by copy, not by understanding. Hidden by default.
    case_input: dict[str, Any] = {
        "deal": spec.get("deal"),
        "question": question,
        "hide_examples": bool(spec.get("hide_examples", True)),
    }
    if spec.get("as_of") is not None:
        case_input["as_of"] = spec["as_of"]
    return {
        "id": ex["id"],
        "description": f"{ex['kind']} example of rule {ex['rule']}",
        "tags": [*spec.get("tags", ["rule-example"]), f"rule:{ex['rule']}", ex["kind"]],
        "split": split.get(ex["kind"], "dev"),
        "input": case_input,
        "expect": {"rules": {expect: [ex["rule"]]}},
    }


def _read(suite: Path, source: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError:
        raise SuiteFileError(
            suite, f"{source} not found; run `ae-coach rules build` to export the examples", field="from_examples.path"
        ) from None
    except yaml.YAMLError as exc:
        raise SuiteFileError(source, f"not valid YAML: {exc}") from None
    rows = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise SuiteFileError(source, "expected a mapping with 'cases:' (a list of examples)")
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("id", "rule", "kind")):
            raise SuiteFileError(source, "each example needs id, rule and kind", field=f"cases[{i}]")
    return rows
