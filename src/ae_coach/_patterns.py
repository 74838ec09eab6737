"""Regular expressions compiled on first use, and not at all when the text cannot match.

The inspector's pattern tables hold over a hundred expressions. Compiling one costs 0.1-2 ms, and a review
compiles about seventy: a fifth of its start-up. :func:`lazy` returns a stand-in that compiles on first use
and then forwards every attribute to the compiled pattern. Before compiling, it checks the text for the
pattern's *needles*: groups of lower-case strings such that every text the pattern can match holds at least
one string of each group. ``\b(?:terms|pricing) (?:are )?agreed\b`` has the groups ("terms", "pricing") and
("agreed"): a call note about pricing that agrees nothing is answered without compiling. A text missing a
group cannot match, so ``search`` answers ``None`` (and ``findall``, ``finditer``, ``sub``, ``split`` their
no-match results). Most of the patterns a review touches are answered that way.

Finding the needles means parsing the pattern, which is half the cost of compiling it, so they are worked
out once, ahead of time, into ``_needles.json`` beside this module (``python -m ae_coach._patterns``
rewrites it; a test fails when it is out of date). A pattern missing from the table is compiled as before:
the table only ever saves time, it never decides a match. Texts that are not plain ASCII are always matched
by the compiled pattern, so Unicode case folding never meets a lower-cased needle.

A pattern that must be compiled is compiled once per interpreter build: :func:`compile_cached` keeps the
engine's code for it (what ``re`` builds in Python before handing it to the C engine) under
``$AE_COACH_HOME/cache/regex-<interpreter>/``, and a later process hands that code straight to the engine.
"""

from __future__ import annotations

import _sre
import hashlib
import json
import os
import re
import sys
from functools import cache
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from typing import Any, cast

TABLE = Path(__file__).with_name("_needles.json")
_table: dict[str, list[list[str]] | None] | None = None
REGISTERED: list[_Lazy] = []
"""Every lazy pattern created so far (the table is built from them)."""


class _Lazy:
    __slots__ = ("_args", "_compiled", "_needles")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None
        self._needles: list[list[str]] | bool | None = False  # False: not looked up yet (a copy or pickle keeps it)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in self.__slots__:  # copy and pickle probe a half-built object
            raise AttributeError(name)
        return getattr(self._pattern(), name)

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r}, {self._args[1]!r})"

    @property
    def pattern(self) -> str:
        """The pattern's text, without compiling it (a table may build one pattern from another's text)."""
        return self._args[0]

    def _pattern(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = compile_cached(*self._args)
        return compiled

    def _cannot_match(self, string: Any, extra: tuple[Any, ...], options: dict[str, Any]) -> bool:
        """True only when ``string`` misses every needle of one of the pattern's groups (and no ``pos`` or
        ``count`` was given)."""
        if self._compiled is not None or extra or options or not isinstance(string, str) or not string.isascii():
            return False
        needles = self._needles
        if needles is False:
            needles = self._needles = _known().get(key(*self._args))
        if not isinstance(needles, list):
            return False
        lowered = string.lower()
        return any(not any(needle in lowered for needle in group) for group in needles)

    def search(self, string: Any, *extra: Any, **options: Any) -> Any:
        return None if self._cannot_match(string, extra, options) else self._pattern().search(string, *extra, **options)

    def match(self, string: Any, *extra: Any, **options: Any) -> Any:
        return None if self._cannot_match(string, extra, options) else self._pattern().match(string, *extra, **options)

    def fullmatch(self, string: Any, *extra: Any, **options: Any) -> Any:
        if self._cannot_match(string, extra, options):
            return None
        return self._pattern().fullmatch(string, *extra, **options)

    def findall(self, string: Any, *extra: Any, **options: Any) -> Any:
        return [] if self._cannot_match(string, extra, options) else self._pattern().findall(string, *extra, **options)

    def finditer(self, string: Any, *extra: Any, **options: Any) -> Any:
        if self._cannot_match(string, extra, options):
            return iter(())
        return self._pattern().finditer(string, *extra, **options)

    def sub(self, repl: Any, string: Any, *extra: Any, **options: Any) -> Any:
        if self._cannot_match(string, extra, options):
            return string
        return self._pattern().sub(repl, string, *extra, **options)

    def subn(self, repl: Any, string: Any, *extra: Any, **options: Any) -> Any:
        if self._cannot_match(string, extra, options):
            return string, 0
        return self._pattern().subn(repl, string, *extra, **options)

    def split(self, string: Any, *extra: Any, **options: Any) -> Any:
        return (
            [string] if self._cannot_match(string, extra, options) else self._pattern().split(string, *extra, **options)
        )


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done on first use. Use its methods (``search``, ``sub``, ...) and
    attributes; it is not a ``re.Pattern`` instance, so ``re.search(it, ...)`` and ``isinstance`` do not apply."""
    made = _Lazy(pattern, int(flags))
    REGISTERED.append(made)
    return cast("re.Pattern[str]", made)


def key(pattern: str, flags: int, *, long: bool = False) -> str:
    """The table's key for a pattern: a digest of its flags and text (``long``: twice as many digits)."""
    return hashlib.sha1(f"{flags}:{pattern}".encode(), usedforsecurity=False).hexdigest()[: 32 if long else 16]


def _known() -> dict[str, list[list[str]] | None]:
    global _table
    if _table is None:
        try:
            _table = json.loads(TABLE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _table = {}
    return _table


# --------------------------------------------------------------------------- the compiled-code cache


def compile_cached(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, without parsing and assembling the pattern again when this interpreter
    build has compiled it before.

    ``re`` parses a pattern and assembles the engine's code in Python (0.1-2 ms for ours); the C engine then
    takes the code as a list of integers. The code is kept per pattern, in a directory named for the
    interpreter build (version, build, engine magic), so another Python never reads it. A file that is
    missing, unreadable, for another pattern, or code the engine rejects (it checks the code it is given)
    means compiling as ``re`` does.
    """
    flags = int(flags)
    if flags & re.DEBUG or _sre.CODESIZE != 4:  # 4: the size of the array type "I" the code is kept as
        return re.compile(pattern, flags)
    path = os.path.join(_code_dir(), key(pattern, flags, long=True) + ".json")
    try:
        with open(path, encoding="utf-8") as file:
            kept = json.load(file)
        if kept["pattern"] == pattern and kept["flags"] == flags:
            engine = kept["engine"]  # what re._compiler.compile hands the engine, after the pattern
            code = _unpack(engine[1])
            return _sre.compile(pattern, engine[0], code, engine[2], engine[3], tuple(engine[4]))
    except (OSError, ValueError, TypeError, LookupError, RuntimeError):
        pass  # not kept yet, or not usable: compile it
    return _compile_and_keep(pattern, flags, path)


def _compile_and_keep(pattern: str, flags: int, path: str) -> re.Pattern[str]:
    """Compile as ``re._compiler.compile`` does, and keep the code at ``path`` (best effort)."""
    parsed = _parser.parse(pattern, flags)
    try:
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        compiled_flags, groups = flags | parsed.state.flags, parsed.state.groups - 1
        compiled = _sre.compile(pattern, compiled_flags, code, groups, groupindex, tuple(indexgroup))
    except (AttributeError, TypeError):  # another interpreter's internals: compile the public way
        return re.compile(pattern, flags)
    engine = [compiled_flags, _pack(code), groups, groupindex, indexgroup]
    _write(path, json.dumps({"pattern": pattern, "flags": flags, "engine": engine}, separators=(",", ":")))
    return cast("re.Pattern[str]", compiled)


def _pack(code: list[int]) -> str:
    """The engine's code as hex: a JSON list of a long pattern's few thousand integers takes 4x as long to read."""
    from array import array

    return array("I", code).tobytes().hex()


def _unpack(text: str) -> list[int]:
    from array import array

    return array("I", bytes.fromhex(text)).tolist()


def _code_dir() -> str:
    """``$AE_COACH_HOME/cache/regex-<build>``."""
    from ae_coach.resources import ae_coach_home

    return os.path.join(ae_coach_home(), "cache", f"regex-{_build()}")


@cache
def _build() -> str:
    """A digest naming the interpreter build and its regex engine: the code one of them assembles is its own."""
    build = f"{sys.version}|{sys.implementation.cache_tag}|{sys.byteorder}|{_sre.MAGIC}|{_sre.MAXREPEAT}"
    return hashlib.sha256(build.encode()).hexdigest()[:16]


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(path)
    try:
        if not os.path.isdir(directory):
            _clear_other_builds(directory)
            os.makedirs(directory, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home: compile again next time


def _clear_other_builds(directory: str) -> None:
    """Remove the code kept for other interpreter builds (an upgraded Python's, most often)."""
    import shutil

    for stale in Path(directory).parent.glob("regex-*"):
        if str(stale) != directory:
            shutil.rmtree(stale, ignore_errors=True)


# --------------------------------------------------------------------------- finding the needles


MOST_GROUPS = 3
"""Needle groups kept per pattern: the most selective ones (a fourth rarely rules out a text the three did not)."""


def needles(pattern: str, flags: int = 0) -> list[list[str]] | None:
    """Groups of lower-case ASCII strings (or :data:`WIDE_CHAR`: a wide character) such that wherever ``pattern``
    matches, the lower-cased text holds a string of every group; the most selective groups first (the
    longest shortest string). None when no group is known (an optional or character-class-only pattern)."""
    groups = _sequence(_parser.parse(pattern, flags).data)
    ranked = sorted({tuple(sorted(group)) for group in groups}, key=lambda group: (-min(map(len, group)), group))
    telling = [group for group in ranked if min(map(len, group)) > 1 or group == (WIDE_CHAR,)]  # not a lone " "
    return [list(group) for group in (telling or ranked)[:MOST_GROUPS]] or None


def _sequence(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Every part a sequence requires, each as the set of strings one of which its matches contain."""
    groups: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        if (op is sre.LITERAL and arg >= WIDE) or (op is sre.IN and _wide_only(arg)):
            groups.append({WIDE_CHAR})  # a Chinese character or full-width mark: never in an ASCII text
            continue
        if run:
            groups.append({"".join(run)})
            run = []
        if op is sre.AT:
            continue  # a zero-width anchor or word boundary does not break a literal run's meaning
        groups += _part(op, arg)
    if run:
        groups.append({"".join(run)})
    return groups


def _best(groups: list[set[str]]) -> set[str] | None:
    """The most selective of a sequence's groups: the one whose shortest string is longest."""
    return max(groups, key=lambda group: min(map(len, group)), default=None)


WIDE = 0x2E80
"""From here on (CJK radicals, ideographs, full-width forms) no character case-folds to an ASCII one."""
WIDE_CHAR = chr(WIDE)
"""The needle that stands for "a character from ``WIDE`` on": checked only against ASCII texts, it is never there."""


def _wide_only(items: list[tuple[Any, Any]]) -> bool:
    """A character class of wide characters only (``[\u4e00-\u9fff]``, ``[，。]``)."""
    lows = [arg if op is sre.LITERAL else arg[0] if op is sre.RANGE else -1 for op, arg in items]
    return bool(lows) and min(lows) >= WIDE


def _part(op: Any, arg: Any) -> list[set[str]]:
    if op is sre.SUBPATTERN:
        return _sequence(arg[-1].data)
    if op is sre.ATOMIC_GROUP:
        return _sequence(arg.data)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            found = _best(_sequence(branch.data))
            if not found:
                return []  # one branch with no needle can match without any
            union |= found
        return [union]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, body = arg
        return _sequence(body.data) if least >= 1 else []
    return []  # a character class, any character, a look-around, a back-reference: no literal to require


def package_patterns() -> list[tuple[str, int]]:
    """Every lazy pattern the package defines, as (pattern, flags): all its modules imported (run it in a fresh
    interpreter, so that patterns made elsewhere, by tests for one, are not among them)."""
    import importlib
    import pkgutil

    import ae_coach

    for module in pkgutil.walk_packages(ae_coach.__path__, "ae_coach."):
        if module.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue  # an optional extra that is not installed: its patterns stay unscreened
    from ae_coach import _patterns  # the imported module (run as a script, this one is __main__)

    return sorted({made._args for made in _patterns.REGISTERED})


def write_table() -> Path:
    """Rewrite ``_needles.json`` from every lazy pattern the package defines."""
    table = {key(*args): needles(*args) for args in package_patterns()}
    TABLE.write_text(json.dumps(dict(sorted(table.items())), indent=0) + "\n", encoding="utf-8")
    return TABLE


if __name__ == "__main__":
    print(f"wrote {write_table()}")
