"""Reading deal files safely: bounded, line-numbered, every problem reported at once.

A deal file comes from a user, a CRM export or a colleague's laptop, so it is treated as hostile:
size is checked before parsing, binary and non-UTF-8 content is refused, YAML and JSON are parsed with
the bounds of :mod:`ae_coach._safe_yaml`, and validation errors are all collected into one
:class:`DealFileError`, each naming the file, the YAML line, the field path (``stakeholders[2].role``),
the bad value and what is allowed (:mod:`ae_coach._validation`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import Node

from ae_coach import _validation
from ae_coach._safe_yaml import (
    MAX_DEPTH,
    UserFileError,
    compose_yaml,
    construct,
    loads_bounded_json,
    read_user_text,
    yaml_problem,
)
from ae_coach.deal.model import Deal, Stage
from ae_coach.errors import DealFileError, PlaybookError
from ae_coach.i18n import t

DEFAULT_MAX_BYTES = 256_000
"""Deal files larger than this are refused (override with ``max_bytes``).

A busy enterprise deal with hundreds of activities is well under 100 kB; the bound keeps a hostile or
mistaken file (a whole CRM export, a log) from taking more than about half a second to refuse.
"""


def parse_deal(data: Any, source: str = "<input>") -> Deal:
    """Validate already-parsed data (a dict from a CRM row, an API, a test) into a Deal.

    Args:
        data: The deal as plain data.
        source: What to call the input in error messages (a file name, ``"crm row 7"``).

    Raises:
        DealFileError: The data is not a deal; every problem is listed with its field path, the bad
            value and what is allowed.
    """
    return validate_deal(data, source)


def load_deal(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Deal:
    """Read a YAML or JSON deal file (``.json`` is JSON; anything else is YAML).

    Args:
        path: The deal file; its stem is the deal's ``id`` unless the file gives one.
        max_bytes: Refuse larger files (default :data:`DEFAULT_MAX_BYTES`).

    Raises:
        DealFileError: The file cannot be read, is hostile (binary, oversized, an alias bomb, too deep…)
            or does not follow the deal format. The message names the file, the line, the field path,
            the bad value and what is allowed, for every problem at once.
    """
    path = Path(path)
    text = _read_text(path, max_bytes)
    return loads_deal(text, path, json_format=path.suffix.lower() == ".json", max_bytes=max_bytes)


def loads_deal(
    text: str, source: str | Path = "<input>", *, json_format: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> Deal:
    """Parse and validate deal text (YAML, or JSON with ``json_format``) with the bounds of a deal file.

    Args:
        text: The deal file's text.
        source: What to call it in messages; a path's stem is the deal's default ``id``.
        json_format: Parse as JSON rather than YAML.
        max_bytes: Refuse longer text (UTF-8 bytes), as :func:`load_deal` refuses a larger file.

    Raises:
        DealFileError: As :func:`load_deal`.
    """
    name = Path(source) if not isinstance(source, Path) else source
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise DealFileError(name, t("error.deal.too_large", limit=f"{max_bytes:,}"))
    node: Node | None = None
    if json_format:
        data = _load_json(name, text)
    else:
        try:
            node = compose_yaml(text)
            data = None if node is None else construct(node)
        except yaml.YAMLError as exc:
            line, message = yaml_problem(exc)
            raise DealFileError(name, message, line=line) from None
        except (RecursionError, ValueError, OverflowError) as exc:
            raise DealFileError(name, f"not a valid deal file: {exc}") from None
    if data is None:
        raise DealFileError(name, t("error.deal.no_data"))
    if isinstance(data, dict) and "id" not in data:
        data = {"id": name.stem, **data}
    if node is None:  # JSON: line numbers are worth a second parse only when something is wrong
        try:
            return validate_deal(data, str(name))
        except DealFileError:
            node = _json_lines(text)
            if node is None:
                raise
    return validate_deal(data, str(name), node=node)


def _load_json(path: Path, text: str) -> Any:
    try:
        return loads_bounded_json(text)
    except json.JSONDecodeError as exc:
        raise DealFileError(path, f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except ValueError as exc:
        message = str(exc)
        if message.startswith("nested deeper"):
            raise DealFileError(path, message) from None
        raise DealFileError(path, f"not a valid deal file: {exc}") from None


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        text = read_user_text(path, max_bytes, what="file")
    except UserFileError as exc:
        raise DealFileError(path, f"{exc} (max_bytes)" if "limit" in str(exc) else str(exc)) from None
    if not text.strip():
        raise DealFileError(path, t("error.deal.empty"))
    return text


def _json_lines(text: str) -> Node | None:
    # JSON is (nearly) YAML: composing it again gives line numbers for the error message. Best effort.
    try:
        return compose_yaml(text)
    except Exception:
        return None


def validate_deal(data: Any, source: str, *, node: Node | None = None) -> Any:
    """Validate parsed data into a Deal; every problem is reported in one DealFileError."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise DealFileError(
            source,
            f"a deal must be a mapping of fields (account:, stage:, …), but got {kind}",
            line=1 if node else None,
        )
    stage = data.get("stage")
    if isinstance(stage, str) and stage not in _STAGE_VALUES:
        mapped = playbook_stages().get(_stage_key(stage))
        data = {**data, "stage": mapped.value} if mapped is not None else data
    try:
        return Deal.model_validate(data)
    except ValidationError as exc:
        raise _deal_error(exc, source, node) from None
    except RecursionError:
        raise DealFileError(source, f"nested deeper than {MAX_DEPTH} levels") from None


_STAGE_VALUES = frozenset(stage.value for stage in Stage)


def _stage_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name).strip().casefold()


def playbook_stages() -> dict[str, Stage]:
    """The playbook's ``[stages]``: each team stage name (case and spacing folded) -> the inspector's stage.

    Raises:
        PlaybookError: A team stage maps onto a stage ae-coach does not know (the message names the config
            file, the team stage and the allowed stages).
    """
    from ae_coach.playbook import active

    playbook = active()
    out = {}
    for name, target in playbook.stages.items():
        if target not in _STAGE_VALUES:
            raise PlaybookError(
                f"{playbook.config}: [stages] {name!r} = {target!r}: not a stage ae-coach knows; "
                f"allowed: {', '.join(stage.value for stage in Stage)}"
            )
        out[_stage_key(name)] = Stage(target)
    return out


def _deal_error(exc: ValidationError, source: str, node: Node | None) -> DealFileError:
    shown = _validation.problems(exc, Deal, node)
    total = exc.error_count()
    first_line, first_field, first_message = shown[0]
    if total == 1:
        return DealFileError(source, first_message, line=first_line, field=first_field)
    out = [f"{total} problems in the deal file:"]
    out += [f"  {source}{f':{line}' if line else ''}: {field}: {message}" for line, field, message in shown]
    if total > len(shown):
        out.append(f"  … and {total - len(shown)} more")
    error = DealFileError(source, "\n".join(out))
    error.line, error.field = first_line, first_field
    return error
