"""Readable validation errors for user files: file, line, field path, the bad value and what is allowed."""

from __future__ import annotations

import reprlib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_PROBLEMS = 20
"""Most validation problems listed in one message (the count of the rest is given)."""


def summary(exc: ValidationError, model: type[BaseModel], *, limit: int = 3) -> str:
    """The first ``limit`` problems as ``field: what is wrong`` joined by ``; `` (for one-line messages)."""
    shown = [
        f"{field_path(tuple(e['loc']))}: {describe(e, model, tuple(e['loc']))}"
        for e in exc.errors(include_url=False)[:limit]
    ]
    more = exc.error_count() - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def problems(exc: ValidationError, model: type[BaseModel], node: Node | None) -> list[tuple[int | None, str, str]]:
    """The first :data:`MAX_PROBLEMS` problems of ``exc`` as (line, field path, message), in file order."""
    lines = LineIndex(node)
    errors = exc.errors(include_url=False)
    if len(errors) > 10 * MAX_PROBLEMS:
        errors = errors[: 10 * MAX_PROBLEMS]  # a flood: show the first ones in field order, count the rest
    located = sorted(
        ((lines.line_of(tuple(error["loc"])), index, error) for index, error in enumerate(errors)),
        key=lambda item: (item[0] or 0, item[1]),
    )
    # Describing a problem can be costly (close-match suggestions): only the ones shown are described.
    return [
        (line, field_path(tuple(e["loc"])), describe(e, model, tuple(e["loc"])))
        for line, _, e in located[:MAX_PROBLEMS]
    ]


def field_path(loc: tuple[Any, ...]) -> str:
    """``("stakeholders", 2, "role")`` -> ``stakeholders[2].role``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


_SHORT = reprlib.Repr()  # Python 3.11's Repr takes no arguments: the limits are attributes
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxset = 2, 3, 3, 3, 3
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 60, 60, 40


def show(value: Any) -> str:
    """``repr`` of a bad value, cut to 60 characters; never builds the repr of a huge value in full.

    ``reprlib`` stops after a few items and levels, so an alias bomb's expanded value costs nothing here.
    """
    text = _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def describe(error: Any, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """One pydantic error in words: what was wrong and what is allowed."""
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        import difflib  # only a file with an unknown key pays for it

        allowed = allowed_keys(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        return f"unknown key {str(loc[-1])!r}{hint}; allowed keys here: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        return f"got {show(value)}; allowed: {error['ctx']['expected'].replace(chr(39), '')}"
    if kind.startswith("date"):
        return f"got {show(value)}; write dates as YYYY-MM-DD (e.g. 2026-11-26)"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"got {show(value)}; write a plain number without currency or suffix (e.g. 50000)"
    return f"{error['msg']} (got {show(value)})"


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        if part not in fields:
            return []
        current = fields[part].annotation
    current = unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def unwrap(annotation: Any) -> Any:
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


class LineIndex:
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
