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
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
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
            compiled = self._compiled = re.compile(*self._args)
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


def key(pattern: str, flags: int) -> str:
    """The table's key for a pattern: a digest of its flags and text."""
    return hashlib.sha1(f"{flags}:{pattern}".encode(), usedforsecurity=False).hexdigest()[:16]


def _known() -> dict[str, list[list[str]] | None]:
    global _table
    if _table is None:
        try:
            _table = json.loads(TABLE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _table = {}
    return _table


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
