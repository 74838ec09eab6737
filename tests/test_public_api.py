"""The public API: every name in ``ae_coach.__all__`` imports, and the list is written out, not computed."""

from __future__ import annotations

import ast
from pathlib import Path

import ae_coach

EXPECTED = [
    "AeCoachError",
    "Coach",
    "CoachingReport",
    "Deal",
    "Finding",
    "Rule",
    "Rulebook",
    "Severity",
    "assess",
    "inspect",
    "load_deal",
    "load_rulebook",
    "parse_deal",
]


def test_every_public_name_imports() -> None:
    assert ae_coach.__all__ == EXPECTED
    for name in ae_coach.__all__:
        assert getattr(ae_coach, name) is not None, name


def test_all_is_an_explicit_literal_list() -> None:
    tree = ast.parse(Path(ae_coach.__file__).read_text(encoding="utf-8"))
    assigned = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert len(assigned) == 1 and isinstance(assigned[0], ast.List)
    assert all(isinstance(item, ast.Constant) for item in assigned[0].elts)
