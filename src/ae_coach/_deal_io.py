"""Reading deal files safely. (Basic version: the inspector work hardens it.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ae_coach.errors import DealFileError


def _path_of(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def validate_deal(data: Any, source: str):
    from ae_coach.deal import Deal

    if not isinstance(data, dict):
        raise DealFileError(source, f"a deal must be a mapping of fields, got {type(data).__name__}")
    try:
        return Deal.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DealFileError(source, first["msg"], field=_path_of(first["loc"])) from None


def read_deal_file(path: Path, *, max_bytes: int):
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DealFileError(path, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise DealFileError(path, f"file is {len(raw)} bytes; the limit is {max_bytes}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DealFileError(path, "not UTF-8 text") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise DealFileError(path, f"not valid YAML/JSON: {exc}") from None
    if isinstance(data, dict) and "id" not in data:
        data = {"id": path.stem, **data}
    return validate_deal(data, str(path))
