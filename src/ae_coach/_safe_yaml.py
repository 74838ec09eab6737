"""Bounded YAML and JSON for every file a user hands ae-coach: deal files, deal lists, column mappings,
settings, playbooks, eval suites.

A user file comes from a CRM export, a colleague's laptop or an attacker, so it is parsed with bounds:

* YAML is composed by a loader that bounds nesting depth (:data:`MAX_DEPTH`), alias count
  (:data:`MAX_ALIASES`) and the number of values once aliases are expanded (:data:`MAX_VALUES`), so an
  alias bomb ("billion laughs") or a recursive anchor is refused instead of eating memory;
* YAML timestamps are left as text so that pydantic reports a wrong date as a field error
  (``YYYY-MM-DD``) instead of the YAML library crashing on ``2026-02-30``;
* duplicate keys (YAML or JSON), NaN/Infinity, integers with absurd digit counts, YAML 1.1 sexagesimal
  numbers (``1:30`` is text, not 90) and lone surrogates (``"\\ud800"``) are refused;
* files are read by :func:`read_user_text`: regular files only (a FIFO, ``/dev/zero`` or a directory is
  refused before anything is read), a size limit checked before and while reading, UTF-8 or UTF-16 with a
  BOM, no NUL bytes.

Errors here are :class:`UserFileError` (a ``ValueError``) or ``yaml.YAMLError``; each caller wraps them in
its own error class, naming its file.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

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


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Resolver(Resolver):
    """YAML 1.1 resolution without implicit timestamps or sexagesimal numbers: both reach pydantic as text."""


# PyYAML's YAML 1.1 number patterns without the sexagesimal forms (1:30 is 90 in YAML 1.1; a deal never means it).
_NUMBER_PATTERNS = {
    _INT: re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    _FLOAT: re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, _NUMBER_PATTERNS.get(tag, regexp)) for tag, regexp in resolvers if tag != _TIMESTAMP]
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

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise ConstructorError(None, None, "a lone surrogate escape (such as \\ud800) is not text", node.start_mark)
        return value

    def construct_text_timestamp(self, node: ScalarNode) -> str:
        # An explicit !!timestamp stays text, like an implicit one: pydantic says what a date must look like.
        return str(self.construct_scalar(node))


_DealConstructor.add_constructor("tag:yaml.org,2002:int", _DealConstructor.construct_yaml_int)
_DealConstructor.add_constructor(_TIMESTAMP, _DealConstructor.construct_text_timestamp)
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
    surrogate = _SURROGATE.search(text)
    if surrogate:  # only text that never was a file (an MCP argument) can hold one
        line = text.count("\n", 0, surrogate.start())
        raise ConstructorError(None, None, "a lone surrogate character is not text", yaml.Mark("", 0, line, 0, "", 0))
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
    """Build the Python value of a composed (already bounded) node tree.

    Raises:
        yaml.YAMLError: A value its tag cannot build (``!!bool maybe``, ``!!int x``, ``!!float 1e99999``)
            is refused with its line, as every other YAML problem is.
    """
    loader = _make_loader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError) as exc:
        bad = _bad_tagged_scalar(node, loader)
        mark = bad.start_mark if bad is not None else node.start_mark
        what = f"{bad.tag.rsplit(':', 1)[-1]} {bad.value[:40]!r}" if bad is not None else type(exc).__name__
        raise ConstructorError(None, None, f"a value its YAML tag cannot build ({what})", mark) from None
    finally:
        loader.dispose()


def _bad_tagged_scalar(root: Node, loader: Any) -> ScalarNode | None:
    """The first scalar whose own constructor fails (for the error's line)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            try:
                loader.construct_object(node)
            except Exception:
                return node
        stack.extend(reversed(_children(node)))
    return None


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


def _json_problem(data: Any) -> str | None:
    """Too deep, or a string (or key) holding a lone surrogate escape: what is wrong, or None."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, str) and _SURROGATE.search(value):
            return "a lone surrogate escape (such as \\ud800) is not text"
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return None


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
    problem = _json_problem(data)
    if problem:
        raise ValueError(problem)
    return data


# ---------------------------------------------------------------------------- files


class UserFileError(ValueError):
    """A user file the bounded reader refuses; the message says why and what to do (without the file's text).

    Attributes:
        line: The 1-based line of the problem, when there is one.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def open_user_file(path: str | Path, max_bytes: int, *, what: str = "file") -> BinaryIO:
    """A regular file no larger than ``max_bytes``, opened for binary reading.

    A FIFO, a device (``/dev/zero``), a socket or a directory is refused without reading it (the file is
    opened non-blocking, so a FIFO cannot hang the open); the size is checked before anything is read.

    Raises:
        UserFileError: Not a regular file, unreadable, or larger than ``max_bytes``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise UserFileError(f"is a directory, not a {what}") from None
    except OSError as exc:
        raise UserFileError(f"cannot read the {what} ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    problem = None
    if stat.S_ISDIR(info.st_mode):
        problem = f"is a directory, not a {what}"
    elif not stat.S_ISREG(info.st_mode):
        problem = f"is not a regular file (a pipe, device or socket); give a {what} saved on disk"
    elif info.st_size > max_bytes:
        problem = f"is larger than the {max_bytes:,}-byte limit for a {what} ({info.st_size:,} bytes)"
    if problem:
        os.close(fd)
        raise UserFileError(problem)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_user_bytes(path: str | Path, max_bytes: int, *, what: str = "file") -> bytes:
    """The bytes of a regular file no larger than ``max_bytes`` (see :func:`open_user_file`); the size is
    checked again while reading, for a file that grows.

    Raises:
        UserFileError: Not a regular file, unreadable, or larger than ``max_bytes``.
    """
    with open_user_file(path, max_bytes, what=what) as handle:
        try:
            raw = _read_up_to(handle, max_bytes + 1)
        except OSError as exc:
            raise UserFileError(f"cannot read the {what} ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise UserFileError(f"is larger than the {max_bytes:,}-byte limit for a {what}")
    return raw


def _read_up_to(handle: Any, limit: int) -> bytes:
    parts, size = [], 0
    while size < limit:
        chunk = handle.read(min(1 << 20, limit - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def decode_user_text(
    raw: bytes, *, what: str = "file", fallback: str | None = None, utf16: bool = False
) -> tuple[str, str]:
    """Text and encoding of a user file: UTF-8 (BOM optional), UTF-16 with a BOM when ``utf16``, else ``fallback``.

    Raises:
        UserFileError: NUL bytes without a UTF-16 BOM (binary), a broken UTF-16 file (odd length, lone
            surrogate), or not UTF-8 when no ``fallback`` encoding is allowed.
    """
    for bom, encoding in _BOMS if utf16 else _BOMS[:1]:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise UserFileError(
                    f"not valid {encoding.upper().replace('-SIG', '')} text (bad bytes at offset {exc.start}); "
                    f"save the {what} as UTF-8"
                ) from None
    if b"\x00" in raw:
        raise UserFileError(f"binary content (NUL bytes), not a {what}; save it as UTF-8 text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if fallback is None:
            raise UserFileError(f"not UTF-8 text (bad byte at offset {exc.start}); save the {what} as UTF-8") from None
        return raw.decode(fallback, errors="replace"), fallback


def read_user_text(path: str | Path, max_bytes: int, *, what: str = "file") -> str:
    """:func:`read_user_bytes` then :func:`decode_user_text` (UTF-8 or UTF-16 with a BOM)."""
    return decode_user_text(read_user_bytes(path, max_bytes, what=what), what=what)[0]


def load_user_data(path: str | Path, max_bytes: int, *, what: str = "file") -> Any:
    """A bounded YAML (or, for ``.json``, JSON) file's data.

    Raises:
        UserFileError: Refused by the reader or a bound, or not valid YAML/JSON (``line`` when known).
    """
    text = read_user_text(path, max_bytes, what=what)
    if str(path).lower().endswith(".json"):
        try:
            return loads_bounded_json(text)
        except json.JSONDecodeError as exc:
            raise UserFileError(f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
        except ValueError as exc:
            raise UserFileError(f"refused: {exc}") from None
    try:
        return load_bounded_yaml(text)
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise UserFileError(message, line) from None
    except (RecursionError, ValueError, OverflowError) as exc:
        raise UserFileError(f"refused: {exc}") from None
