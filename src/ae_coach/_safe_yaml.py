"""Bounded YAML and JSON for every file a user hands ae-coach: deal files, deal lists, column mappings,
settings, playbooks, eval suites.

A user file comes from a CRM export, a colleague's laptop or an attacker, so it is parsed with bounds:

* YAML is composed by a loader that bounds nesting depth (:data:`MAX_DEPTH`), alias count
  (:data:`MAX_ALIASES`) and the number of values once aliases are expanded (:data:`MAX_VALUES`), so an
  alias bomb ("billion laughs") or a recursive anchor is refused instead of eating memory;
* YAML timestamps are left as text so that pydantic reports a wrong date as a field error
  (``YYYY-MM-DD``) instead of the YAML library crashing on ``2026-02-30``;
* duplicate keys (YAML or JSON), NaN/Infinity and integers with absurd digit counts are refused.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

MAX_DEPTH = 24
"""Deepest nesting of mappings and lists accepted (a deal needs 4)."""
MAX_ALIASES = 64
"""Most YAML aliases (``*name``) accepted in one file."""
MAX_VALUES = 100_000
"""Most values (scalars, lists, mappings) in one file, counted with aliases expanded."""
MAX_INT_DIGITS = 30
"""Longest integer literal accepted; longer ones are typos or attacks on the int parser."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _Resolver(Resolver):
    """YAML 1.1 resolution without implicit timestamps: dates reach pydantic as text."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


class _BoundedComposer(Composer):
    """PyYAML's composer with a depth limit and an alias budget, checked while composing."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._aliases = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise ConstructorError(None, None, f"more than {MAX_ALIASES} YAML aliases (*name)", mark)
            return super().compose_node(parent, index)
        self._depth += 1
        self._nodes += 1
        if self._nodes > MAX_VALUES:
            raise ConstructorError(None, None, f"more than {MAX_VALUES:,} values", self.peek_event().start_mark)
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ConstructorError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _DealConstructor(SafeConstructor):
    """Safe constructor that refuses duplicate keys and absurd integers."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                continue
            if key_node.value in seen:
                raise ConstructorError(None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        if len(node.value) > MAX_INT_DIGITS:
            raise ConstructorError(None, None, f"number with more than {MAX_INT_DIGITS} digits", node.start_mark)
        return super().construct_yaml_int(node)


_DealConstructor.add_constructor("tag:yaml.org,2002:int", _DealConstructor.construct_yaml_int)
_DealConstructor.add_constructor("tag:yaml.org,2002:map", _DealConstructor.construct_yaml_map)

# libyaml's C parser produces the events (several times faster); our Python composer builds the nodes
# so that the depth and alias bounds apply before anything is expanded.
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None


if _Parser is not None:

    class _Loader(_Parser, _BoundedComposer, _DealConstructor, _Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            _DealConstructor.__init__(self)
            _Resolver.__init__(self)

        # CParser's own node methods would bypass the bounds: use the Python composer's.
        check_node = _BoundedComposer.check_node
        get_node = _BoundedComposer.get_node
        get_single_node = _BoundedComposer.get_single_node

else:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, _BoundedComposer, _DealConstructor, _Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _BoundedComposer.__init__(self)
            _DealConstructor.__init__(self)
            _Resolver.__init__(self)


def _make_loader(text: str) -> Any:
    return _Loader(text)


def _count_values(root: Node) -> int:
    """Values in the document with aliases expanded; raises on a recursive anchor. Iterative."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                raise ConstructorError(
                    None, None, f"more than {MAX_VALUES:,} values (aliases counted expanded)", node.start_mark
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ConstructorError(None, None, "a recursive alias (an anchor that contains itself)", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def compose_yaml(text: str) -> Node | None:
    """Compose ``text`` into a bounded YAML node tree (``None`` for an empty document)."""
    loader = _make_loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None and loader._aliases:
        _count_values(node)  # only aliases can make the expanded document larger than what was composed
    return node


def load_bounded_yaml(text: str) -> Any:
    """Parse YAML text with the same bounds as deal files (depth, aliases, values; no timestamps)."""
    node = compose_yaml(text)
    return None if node is None else construct(node)


def construct(node: Node) -> Any:
    """Build the Python value of a composed (already bounded) node tree."""
    loader = _make_loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line and a readable message for a YAML error (our bounds read as "refused: ...")."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, ConstructorError) and context is None:
        return line, f"refused: {problem}"  # one of our bounds, or an unsafe tag
    return line, f"not valid YAML: {f'{context}: {problem}' if context else problem}"


# ---------------------------------------------------------------------------- JSON


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a deal can use")


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"number with more than {MAX_INT_DIGITS} digits")
    return int(text)


def _json_depth_ok(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return True


def loads_bounded_json(text: str) -> Any:
    """Parse JSON text with the same bounds as YAML: no duplicate keys, NaN or Infinity, absurd integers or depth.

    Raises:
        json.JSONDecodeError: Not JSON.
        ValueError: JSON, but refused by a bound (the message says which).
    """
    try:
        data = json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant, parse_int=_json_int)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from None
    if not _json_depth_ok(data):
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    return data
