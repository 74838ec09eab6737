"""The cyclic garbage collector during a command's start.

Importing pydantic and building the deal's models allocates a few hundred thousand objects that live until
the process ends, and the collector rescans them again and again as they are made: about a tenth of an
offline review's time. The console script therefore pauses the collector for the start; a one-deal review
finishes before it would matter (reference counting still frees everything that is not in a cycle). At
exit the objects are frozen, so the interpreter's last sweep skips them too: another tenth.

Commands that may run long or build a lot (the typer commands: pipelines, evals; an interactive chat) turn
the collector back on with :func:`started` once they know what they are.
"""

from __future__ import annotations

import gc
from collections.abc import Callable


def paused(run: Callable[[], int]) -> int:
    """``run()`` with the collector paused until :func:`started`; the objects left are frozen at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return run()
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def started() -> None:
    """The start is over: collect cycles as usual from here on."""
    gc.enable()
