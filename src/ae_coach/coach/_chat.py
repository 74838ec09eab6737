"""Chat about one deal: the offline answer rendered from its typed form, and the session's history.

The offline chat is retrieval, not routing (:mod:`ae_coach.coach._retrieve`): the question ranks the rule
sections, the finding catalogue and the deal's facts, and :mod:`ae_coach.coach._chat_answer` builds a
:class:`ChatAnswer` from what ranked best. ``prompts/chat-answer-<lang>.j2`` says it in the question's
language.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.coach._chat_answer import ChatAnswer
from ae_coach.resources import ae_coach_home

if TYPE_CHECKING:
    from ae_coach.coach.prompt import PromptBuilder
    from ae_coach.deal import Deal

__all__ = ["ChatAnswer", "ChatHistory", "render_answer", "save_history"]


def render_answer(answer: ChatAnswer, builder: PromptBuilder, terms: dict[str, str] | None = None) -> str:
    """The answer in words: ``chat-answer-<lang>.j2`` rendered from the typed answer.

    ``terms`` maps an English term ("economic buyer", "best case") to the answer language's word for it
    (the glossary of the translated rulebook); a value without one is shown as the term itself.
    """
    words = terms or {}

    def label(value: Any) -> str:
        text = str(getattr(value, "value", value)).replace("_", " ")
        return words.get(text, text)

    return builder.render(f"chat-answer-{answer.lang}", a=answer, label=label).strip() + "\n"


def glossary_terms(rules_dir: Path | None, lang: str) -> dict[str, str]:
    """English term -> the word in ``lang``, from ``<rules>/<lang>/_glossary.yaml`` (empty for English)."""
    if lang == "en":
        return {}
    import yaml

    from ae_coach.resources import rules_dir as shipped

    path = (rules_dir or shipped()) / lang / "_glossary.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # a shipped file, read as plain YAML
    except (OSError, yaml.YAMLError):
        return {}
    terms = data.get("terms") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in terms.items()} if isinstance(terms, dict) else {}


# --- history -------------------------------------------------------------------------------------


@dataclass
class ChatHistory:
    """A chat's state: the messages exactly as sent to the model (so the cached prefix stays
    byte-identical turn after turn) and the plain transcript a person reads and ``/save`` writes."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[dict[str, str]] = field(default_factory=list)


def save_history(path: Path | None, deal: Deal, turns: list[dict[str, str]]) -> Path:
    """Write the chat transcript as JSON; default ``$AE_COACH_HOME/chats/<deal>-<timestamp>.json``."""
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", deal.id or deal.account).strip("-") or "deal"
        path = ae_coach_home() / "chats" / f"{safe}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "deal": deal.id,
        "account": deal.account,
        "saved": dt.datetime.now().isoformat(timespec="seconds"),
        "turns": turns,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
