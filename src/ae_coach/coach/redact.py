"""Pseudonymise people before a deal goes to a model, and restore them in what comes back.

``--redact`` replaces every person the deal names (stakeholders, activity attendees, next-step and plan
owners, the deal owner) with ``Person N`` and every email address with ``personN@redacted.invalid``,
in every text field including notes. The mapping stays on this machine; the model's answer is mapped
back so the AE reads real names. Account names and amounts are not people and are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ae_coach.deal import Deal

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NOT_PEOPLE = {"customer", "us", "we", "buyer", "seller", "ae", "me", "them", "tbd", "unknown"}
_MIN_NAME_PART = 3  # shorter first or last names ("Li", "Al") are too likely to hit ordinary words

M = TypeVar("M")


class Redactor:
    """A reversible mapping from the people in one deal to pseudonyms.

    Args:
        deal: the deal whose people are to be hidden.
    """

    def __init__(self, deal: Deal) -> None:
        self.forward: dict[str, str] = {}
        self._people = 0
        for name in _people(deal):
            self._add_person(name)
        for number, email in enumerate(sorted(set(_EMAIL.findall(_all_text(deal)))), 1):
            self.forward.setdefault(email, f"email{number}@redacted.invalid")
        self.backward = {alias: real for real, alias in self.forward.items() if not _is_part_alias(real, self)}
        self._forward_re = _alternation(self.forward)
        self._backward_re = _alternation(self.backward)

    def _add_person(self, name: str) -> None:
        self._people += 1
        alias = f"Person {self._people}"
        self.forward[name] = alias
        # The deal says "Dana Lee" once and "Dana" in the notes: first and last names map to the alias too.
        for part in name.split():
            if len(part) >= _MIN_NAME_PART and part not in self.forward:
                self.forward[part] = alias

    def redact_text(self, text: str) -> str:
        """Replace known names and emails in ``text``."""
        if not self._forward_re:
            return text
        return self._forward_re.sub(lambda m: self.forward[m.group(0)], text)

    def restore_text(self, text: str) -> str:
        """Put the real names back into a model's text."""
        if not self._backward_re:
            return text
        return self._backward_re.sub(lambda m: self.backward[m.group(0)], text)

    def redact(self, model: M) -> M:
        """A copy of a pydantic model (a Deal, a report) with every string redacted."""
        return _map_model(model, self.redact_text)

    def restore(self, model: M) -> M:
        """A copy of a pydantic model with every pseudonym restored."""
        return _map_model(model, self.restore_text)

    def restore_stream(self, chunks: Iterator[str]) -> Iterator[str]:
        """Restore pseudonyms in streamed text, holding back a chunk tail that may be half a pseudonym."""
        longest = max((len(a) for a in self.backward), default=0)
        pending = ""
        for chunk in chunks:
            pending += chunk
            cut = len(pending) - longest
            # cut only between words and never inside an alias ("Person 1" may be "Person 12" later)
            while cut > 0 and (pending[cut - 1].isalnum() or _straddles(pending, cut, self.backward)):
                cut -= 1
            if cut > 0:
                yield self.restore_text(pending[:cut])
                pending = pending[cut:]
        if pending:
            yield self.restore_text(pending)


def _straddles(text: str, cut: int, aliases: dict[str, str]) -> bool:
    for alias in aliases:
        start = text.find(alias, max(0, cut - len(alias) + 1))
        if start != -1 and start < cut < start + len(alias):
            return True
    return False


def _is_part_alias(real: str, redactor: Redactor) -> bool:
    # "Dana" and "Dana Lee" both map to "Person 1"; restoring must give the full name.
    alias = redactor.forward[real]
    return any(
        other != real and redactor.forward[other] == alias and len(other) > len(real) for other in redactor.forward
    )


def _alternation(mapping: dict[str, str]) -> re.Pattern[str] | None:
    if not mapping:
        return None
    keys = sorted(mapping, key=len, reverse=True)  # longest first: "Dana Lee" before "Dana"
    return re.compile(r"(?<![\w@.])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w@]|\.\w)")


def _people(deal: Deal) -> list[str]:
    names = [s.name for s in deal.stakeholders]
    names += [n for a in deal.activities for n in a.with_]
    names += [deal.next_step.owner] if deal.next_step and deal.next_step.owner else []
    names += [p.owner for p in deal.mutual_action_plan if p.owner]
    names += [deal.owner] if deal.owner else []
    seen: dict[str, None] = {}
    for name in names:
        name = name.strip()
        if name and name.lower() not in _NOT_PEOPLE and not _EMAIL.fullmatch(name):
            seen.setdefault(name, None)
    return list(seen)


def _all_text(deal: Deal) -> str:
    return "\n".join(_strings(deal.model_dump(mode="json", by_alias=True)))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _map_model(model: M, fn: Any) -> M:
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return fn(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    data = model.model_dump(mode="json", by_alias=True)  # type: ignore[attr-defined]
    return type(model).model_validate(walk(data))  # type: ignore[attr-defined]
