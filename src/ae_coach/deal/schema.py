"""The deal format as a JSON Schema, for editors: completion and checking while a deal file is written.

``docs/deal.schema.json`` is this schema, generated (``ae-coach schema deal > docs/deal.schema.json``) and
checked in CI. A YAML deal file opts in with its first line::

    # yaml-language-server: $schema=https://…/deal.schema.json   (or a relative path to the file)
"""

from __future__ import annotations

import json
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def deal_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a deal file: every field, its type, the allowed values."""
    from ae_coach.deal.model import Deal

    schema = Deal.model_json_schema()
    schema["title"] = "ae-coach deal file"
    return {"$schema": DIALECT, **schema}


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as the committed file holds it: indented, keys in the model's order, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
