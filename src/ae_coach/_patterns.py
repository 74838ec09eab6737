"""Regular expressions compiled on first use.

The inspector's pattern tables hold dozens of expressions; compiling them all costs ~10 ms at every start-up,
and a review uses about two thirds of them. :func:`lazy` returns a stand-in that compiles on its first
method call and then forwards every attribute to the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in self.__slots__:  # copy and pickle probe a half-built object
            raise AttributeError(name)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r}, {self._args[1]!r})"


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done on first use. Use its methods (``search``, ``sub``, ...) and
    attributes; it is not a ``re.Pattern`` instance, so ``re.search(it, ...)`` and ``isinstance`` do not apply."""
    return cast("re.Pattern[str]", _Lazy(pattern, int(flags)))
