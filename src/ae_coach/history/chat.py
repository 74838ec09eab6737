"""Chat turns in the history: each exchange recorded as it ends, the last conversation resumable.

A turn keeps the text a person reads and the message exactly as the model got it, so ``chat --continue``
re-sends the same messages (and the prompt cache still serves their prefix). With ``--redact`` both are
stored pseudonymised and the names are restored when the conversation is resumed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ae_coach.coach import ChatHistory
from ae_coach.history.model import ChatRecord, ChatTurn
from ae_coach.history.review import deal_key
from ae_coach.history.store import Store

if TYPE_CHECKING:
    from ae_coach.coach import Coach
    from ae_coach.deal import Deal


class ChatLog:
    """Records one conversation about ``deal``; ``chat_id`` continues a stored one."""

    def __init__(self, store: Store, deal: Deal, coach: Coach, chat_id: int | None = None) -> None:
        self.store, self.deal, self.coach = store, deal, coach
        self.chat_id = chat_id
        self._redact: Callable[[str], str] | None = None
        if coach.redact:
            from ae_coach.coach.redact import Redactor

            self._redact = Redactor(deal).redact_text

    def record(self, history: ChatHistory) -> None:
        """Store the newest exchange (the last question and answer, and their messages as sent)."""
        if len(history.turns) < 2 or len(history.messages) < 2:
            return
        if self.chat_id is None:
            self.chat_id = self.store.start_chat(
                deal_key(self.deal), self.deal.account, self.coach.backend, self._model(), self.coach.redact
            )
        pairs = zip(history.turns[-2:], history.messages[-2:], strict=True)
        self.store.add_turns(
            self.chat_id,
            [ChatTurn(role=t["role"], text=self._text(t["text"]), message=self._walk(m)) for t, m in pairs],
        )

    def _model(self) -> str | None:
        return None if self.coach.backend == "offline" else self.coach.model

    def _text(self, text: str) -> str:
        return self._redact(text) if self._redact else text

    def _walk(self, message: Any) -> Any:
        return _map_strings(message, self._redact) if self._redact else message


def resume(store: Store, deal: Deal, coach: Coach) -> tuple[ChatLog, ChatHistory, ChatRecord] | None:
    """The last conversation about ``deal``, ready to continue (None when there is none).

    Messages are restored only between backends of one kind: the offline coach's plain-text messages are
    no conversation a model can continue, so a model resuming an offline chat gets the transcript only.
    """
    record = store.last_chat(deal_key(deal))
    if record is None:
        return None
    restore = _restorer(deal) if record.redacted else None
    turns = [{"role": t.role, "text": restore(t.text) if restore else t.text} for t in record.turns]
    messages: list[dict[str, Any]] = []
    if (record.backend == "offline") == (coach.backend == "offline"):
        messages = [t.message for t in record.turns if t.message is not None]
        if restore and not coach.redact:
            messages = _map_strings(messages, restore)
        elif coach.redact and not record.redacted:
            from ae_coach.coach.redact import Redactor

            messages = _map_strings(messages, Redactor(deal).redact_text)
    return ChatLog(store, deal, coach, chat_id=record.id), ChatHistory(messages=messages, turns=turns), record


def _restorer(deal: Deal) -> Callable[[str], str]:
    from ae_coach.coach.redact import Redactor

    return Redactor(deal).restore_text


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    return value
