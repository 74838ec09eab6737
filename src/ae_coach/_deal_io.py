"""Reading deal files safely: bounded, line-numbered, every problem reported at once.

A deal file comes from a user, a CRM export or a colleague's laptop, so it is treated as hostile:

* size is checked before parsing (``max_bytes``), binary and non-UTF-8 content is refused;
* YAML is composed by a loader that bounds nesting depth (:data:`MAX_DEPTH`), alias count
  (:data:`MAX_ALIASES`) and the number of values once aliases are expanded (:data:`MAX_VALUES`), so an
  alias bomb ("billion laughs") or a recursive anchor is refused instead of eating memory;
* YAML timestamps are left as text so that pydantic reports a wrong date as a field error
  (``YYYY-MM-DD``) instead of the YAML library crashing on ``2026-02-30``;
* duplicate keys (YAML or JSON), NaN/Infinity and integers with absurd digit counts are refused;
* validation errors are all collected into one :class:`DealFileError`, each naming the file, the
  YAML line, the field path (``stakeholders[2].role``), the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from ae_coach.errors import DealFileError

MAX_DEPTH = 24
"""Deepest nesting of mappings and lists accepted (a deal needs 4)."""
MAX_ALIASES = 64
"""Most YAML aliases (``*name``) accepted in one file."""
MAX_VALUES = 100_000
"""Most values (scalars, lists, mappings) in one file, counted with aliases expanded."""
MAX_INT_DIGITS = 30
"""Longest integer literal accepted; longer ones are typos or attacks on the int parser."""
MAX_PROBLEMS = 20
"""Most validation problems listed in one message (the count of the rest is given)."""

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

    class _Loader(_Parser, _BoundedComposer, _DealConstructor, _Resolver):  # type: ignore[misc,valid-type]
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
    return None if node is None else _construct(node)


def _construct(node: Node) -> Any:
    loader = _make_loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
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


def _load_json(path: Path, text: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise DealFileError(path, f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except ValueError as exc:
        raise DealFileError(path, f"not a valid deal file: {exc}") from None
    except RecursionError:
        raise DealFileError(path, f"nested deeper than {MAX_DEPTH} levels") from None
    if not _json_depth_ok(data):
        raise DealFileError(path, f"nested deeper than {MAX_DEPTH} levels")
    return data


# ---------------------------------------------------------------------------- reading


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise DealFileError(path, "is a directory, not a deal file") from None
    except OSError as exc:
        raise DealFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise DealFileError(path, f"file is larger than the {max_bytes:,}-byte limit for a deal file (max_bytes)")
    if b"\x00" in raw:
        raise DealFileError(path, "binary content (NUL bytes); a deal file is YAML or JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DealFileError(path, f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8") from None
    if not text.strip():
        raise DealFileError(path, "the file is empty; a deal needs at least `account:` and `stage:`")
    return text


def read_deal_file(path: Path, *, max_bytes: int) -> Any:
    """Read, parse and validate one deal file. Raises DealFileError for every kind of bad file."""
    text = _read_text(path, max_bytes)
    node: Node | None = None
    if path.suffix.lower() == ".json":
        data = _load_json(path, text)
    else:
        try:
            node = compose_yaml(text)
            data = None if node is None else _construct(node)
        except yaml.YAMLError as exc:
            line, message = _yaml_problem(exc)
            raise DealFileError(path, message, line=line) from None
        except (RecursionError, ValueError, OverflowError) as exc:
            raise DealFileError(path, f"not a valid deal file: {exc}") from None
    if data is None:
        raise DealFileError(path, "the file holds no data (only comments?); a deal needs `account:` and `stage:`")
    if isinstance(data, dict) and "id" not in data:
        data = {"id": path.stem, **data}
    if node is None:  # JSON: line numbers are worth a second parse only when something is wrong
        try:
            return validate_deal(data, str(path))
        except DealFileError:
            node = _json_lines(text)
            if node is None:
                raise
    return validate_deal(data, str(path), node=node)


def _json_lines(text: str) -> Node | None:
    # JSON is (nearly) YAML: composing it again gives line numbers for the error message. Best effort.
    try:
        return compose_yaml(text)
    except Exception:  # noqa: BLE001 - line numbers are a courtesy; the JSON itself already parsed
        return None


# ---------------------------------------------------------------------------- validation


def validate_deal(data: Any, source: str, *, node: Node | None = None) -> Any:
    """Validate parsed data into a Deal; every problem is reported in one DealFileError."""
    from ae_coach.deal import Deal

    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise DealFileError(
            source,
            f"a deal must be a mapping of fields (account:, stage:, …), but got {kind}",
            line=1 if node else None,
        )
    try:
        return Deal.model_validate(data)
    except ValidationError as exc:
        raise _deal_error(exc, source, node) from None
    except RecursionError:
        raise DealFileError(source, f"nested deeper than {MAX_DEPTH} levels") from None


def _deal_error(exc: ValidationError, source: str, node: Node | None) -> DealFileError:
    from ae_coach.deal import Deal

    lines = _LineIndex(node)
    errors = exc.errors(include_url=False)
    if len(errors) > 10 * MAX_PROBLEMS:
        errors = errors[: 10 * MAX_PROBLEMS]  # a flood: show the first ones in field order, count the rest
    located = sorted(
        ((lines.line_of(tuple(error["loc"])), index, error) for index, error in enumerate(errors)),
        key=lambda item: (item[0] or 0, item[1]),
    )
    total = exc.error_count()
    # Describing a problem can be costly (close-match suggestions): only the ones shown are described.
    problems = [
        (line, field_path(tuple(e["loc"])), _describe(e, Deal, tuple(e["loc"])))
        for line, _, e in located[:MAX_PROBLEMS]
    ]
    first_line, first_field, first_message = problems[0]
    if total == 1:
        return DealFileError(source, first_message, line=first_line, field=first_field)
    out = [f"{total} problems in the deal file:"]
    out += [f"  {source}{f':{line}' if line else ''}: {field}: {message}" for line, field, message in problems]
    if total > len(problems):
        out.append(f"  … and {total - len(problems)} more")
    error = DealFileError(source, "\n".join(out))
    error.line, error.field = first_line, first_field
    return error


def field_path(loc: tuple[Any, ...]) -> str:
    """``("stakeholders", 2, "role")`` -> ``stakeholders[2].role``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _describe(error: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        return f"unknown key {str(loc[-1])!r}{hint}; allowed keys here: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        return f"got {_show(value)}; allowed: {error['ctx']['expected'].replace(chr(39), '')}"
    if kind.startswith("date"):
        return f"got {_show(value)}; write dates as YYYY-MM-DD (e.g. 2026-11-26)"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"got {_show(value)}; write a plain number without currency or suffix (e.g. 50000)"
    return f"{error['msg']} (got {_show(value)})"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        if part not in fields:
            return []
        current = fields[part].annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """``list[X] | None`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union, types.UnionType):
            inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(inner) != 1:
                return annotation
            annotation = inner[0]
        else:
            return annotation


class _LineIndex:
    """Maps a field path to its 1-based YAML line, indexing each mapping's keys once."""

    def __init__(self, root: Node | None) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """The line of the field at ``loc``, or of its nearest existing parent."""
        if self.root is None:
            return None
        current = self.root
        for part in loc:
            child = self._child(current, part)
            if child is None:
                break
            current = child
        return current.start_mark.line + 1

    def _child(self, node: Node, part: Any) -> Node | None:
        if isinstance(node, MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = {k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, ScalarNode)}
                self._keys[id(node)] = keys
            pair = keys.get(str(part))
            if pair is None:
                return None
            key_node, value_node = pair
            # An unknown or scalar key's own line is more useful than its value's.
            return value_node if not isinstance(value_node, ScalarNode) else key_node
        if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part]
        return None
