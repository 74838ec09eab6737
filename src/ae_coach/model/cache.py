"""A content-addressed cache of generations and judgements under ``.ae-coach/eval-cache``.

The key is the sha256 of everything that determines the answer: the model, the rendered prompt, the
output schema and the repeat index (repeats are separate samples, so each has its own entry). Only
complete answers are stored: the caller never puts errors or truncated outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_CACHE_DIR = Path(".ae-coach") / "eval-cache"


def cache_key(*, model: str, prompt: str, schema: Any = None, repeat: int = 0, kind: str = "generation") -> str:
    """sha256 over a canonical JSON of the inputs that determine a model's answer."""
    payload = json.dumps(
        {"kind": kind, "model": model, "prompt": prompt, "schema": schema, "repeat": repeat},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Cache:
    """Entries are JSON files ``<dir>/<key[:2]>/<key>.json``; a disabled cache stores nothing."""

    def __init__(self, directory: Path | str | None = None, *, enabled: bool = True) -> None:
        self.directory = Path(directory) if directory is not None else DEFAULT_CACHE_DIR
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None (a corrupt entry counts as a miss)."""
        if not self.enabled:
            return None
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store atomically (write a temp file, then rename) so a killed run leaves no half entry."""
        if not self.enabled:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(tmp, path)
