"""Pseudonymise people before a deal goes to a model, and restore them in what comes back.

``--redact`` covers, in every string of what is sent (values and mapping keys, notes and summaries included):

* every person the deal names (stakeholders, activity attendees, next-step and plan owners, the deal owner),
  their full names and each first or last name of three letters or more, in any letter case -> ``Person N``;
* every email address and phone number, by pattern, whether or not the deal lists it -> ``emailN@redacted.invalid``
  and ``phone N``;
* the deal's id (ids are often built from names) -> ``deal-N``;
* with the ``names`` extra (spaCy and an English model), people named only in free text (notes, activity
  summaries, evidence, a chat question) -> ``Person N`` too.

Account names, competitors, amounts and dates are not people and are kept. The mapping stays on this
machine; the model's answer is mapped back so the AE reads real names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ae_coach.deal import Deal

# Local part as RFC 5322 allows it unquoted; host a dotted name (any TLD, or none: "dana@localhost") or an
# address literal ("dana@[10.0.0.1]").
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:\[[0-9A-Fa-f:.]+\]|[\w-]+(?:\.[\w-]+)*)")
# +44 20 7946 0958, (415) 555-0199, 415.555.0199, 020 7946 0958: groups split by a space, dot or hyphen and
# ending in four digits, or a "+" and 8-15 digits; never a date (2026-11-26) or an amount (120,000).
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})(?:[\s.-]\d{2,5})?[\s.-]\d{3,4}[\s.-]?\d{4}(?![\w-])"
    r"|(?<![\w+])\+\d{8,15}(?!\w)"
)
_NOT_PEOPLE = {"customer", "us", "we", "buyer", "seller", "ae", "me", "them", "tbd", "unknown", "you", "team"}
_MIN_NAME_PART = 3  # shorter first or last names ("Li", "Al") are too likely to hit ordinary words
NER_MODEL_ENV = "AE_COACH_NER_MODEL"
"""The spaCy pipeline that finds names in free text (a package name or a folder; default en_core_web_sm)."""

M = TypeVar("M")


class Redactor:
    """A reversible mapping from the people, emails, phones and ids in one deal (or a pipeline) to pseudonyms.

    Args:
        deal: the deal whose people are to be hidden (None: start empty, see :meth:`add_deal`).
        detect_names: find people named only in free text with spaCy (default: when the ``names`` extra and a
            model are installed).
        ids: hide the deal id too (the local history keeps it: it is how a deal's reviews are found again).
    """

    def __init__(self, deal: Deal | None = None, *, detect_names: bool | None = None, ids: bool = True) -> None:
        self._alias: dict[str, str] = {}  # casefolded real text -> alias
        self._real: dict[str, str] = {}  # alias -> the real text to restore (the fullest form)
        self._counts = {"person": 0, "email": 0, "phone": 0, "deal": 0}
        self._names_re: re.Pattern[str] | None = None
        self._backward_re: re.Pattern[str] | None = None
        self.detect_names = name_detector() is not None if detect_names is None else detect_names
        self.ids = ids
        if deal is not None:
            self.add_deal(deal)

    # --- building the mapping ----------------------------------------------------------------------

    def add_deal(self, deal: Deal) -> None:
        """Add the deal's id, people, emails and phones (and, with name detection, people in its free text)."""
        if deal.id and self.ids:
            self._new("deal", deal.id, lambda n: f"deal-{n}")
        texts = list(_strings(deal.model_dump(mode="json", by_alias=True)))
        people = _people(deal) + (detect_people(texts) if self.detect_names else [])
        for name in people:
            self.add_person(name)
        for text in texts:
            self._patterns(text)
        self._compile()

    def add_person(self, name: str) -> None:
        """Hide ``name`` (and its first and last names of three letters or more) from now on."""
        name = " ".join(name.split())
        if not name or name.casefold() in _NOT_PEOPLE or _EMAIL.fullmatch(name) or name.casefold() in self._alias:
            return
        alias = self._new("person", name, lambda n: f"Person {n}")
        for part in name.replace(",", " ").split():
            if len(part) >= _MIN_NAME_PART and part.casefold() not in self._alias and not part.isdigit():
                self._alias[part.casefold()] = alias
        self._names_re = None

    def _new(self, kind: str, real: str, make: Any) -> str:
        self._counts[kind] += 1
        alias = make(self._counts[kind])
        self._alias[real.casefold()] = alias
        self._real[alias] = real
        self._names_re = self._backward_re = None
        return alias

    def _patterns(self, text: str) -> str:
        """Replace every email and phone in ``text`` (new ones get a pseudonym), leaving names for later."""
        text = _EMAIL.sub(lambda m: self._found("email", m.group(0), lambda n: f"email{n}@redacted.invalid"), text)
        return _PHONE.sub(lambda m: self._found("phone", m.group(0), lambda n: f"phone {n}"), text)

    def _found(self, kind: str, real: str, make: Any) -> str:
        if real in self._real:  # already a pseudonym (text redacted twice)
            return real
        return self._alias.get(real.casefold()) or self._new(kind, real, make)

    def _compile(self) -> None:
        if self._names_re is None:
            self._names_re = _alternation(k for k, v in self._alias.items() if not v.startswith(("email", "phone")))
        if self._backward_re is None:
            self._backward_re = _alternation(self._real, ignore_case=False)

    # --- using it -----------------------------------------------------------------------------------

    @property
    def forward(self) -> dict[str, str]:
        """Every hidden text (casefolded) and its pseudonym."""
        return dict(self._alias)

    def redact_text(self, text: str) -> str:
        """``text`` with every known name (any case), email, phone number and deal id replaced."""
        text = self._patterns(text)
        self._compile()
        if self._names_re is None:
            return text
        return self._names_re.sub(lambda m: self._alias[m.group(0).casefold()], text)

    def restore_text(self, text: str) -> str:
        """Put the real names back into a model's text."""
        self._compile()
        if self._backward_re is None:
            return text
        return self._backward_re.sub(lambda m: self._real[m.group(0)], text)

    def redact(self, model: M) -> M:
        """A copy of a pydantic model (a Deal, a report) with every string, and every mapping key, redacted."""
        return _map_model(model, self.redact_text)

    def restore(self, model: M) -> M:
        """A copy of a pydantic model with every pseudonym restored."""
        return _map_model(model, self.restore_text)

    def restore_stream(self, chunks: Iterator[str]) -> Iterator[str]:
        """Restore pseudonyms in streamed text, holding back a chunk tail that may be half a pseudonym."""
        aliases = list(self._real)
        longest = max((len(a) for a in aliases), default=0)
        pending = ""
        for chunk in chunks:
            pending += chunk
            cut = len(pending) - longest
            # cut only between words and never inside an alias ("Person 1" may be "Person 12" later)
            while cut > 0 and (pending[cut - 1].isalnum() or _straddles(pending, cut, aliases)):
                cut -= 1
            if cut > 0:
                yield self.restore_text(pending[:cut])
                pending = pending[cut:]
        if pending:
            yield self.restore_text(pending)


def _straddles(text: str, cut: int, aliases: list[str]) -> bool:
    for alias in aliases:
        start = text.find(alias, max(0, cut - len(alias) + 1))
        if start != -1 and start < cut < start + len(alias):
            return True
    return False


def _alternation(keys: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str] | None:
    ordered = sorted(set(keys), key=len, reverse=True)  # longest first: "Dana Lee" before "Dana"
    if not ordered:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    # whole words only, and never inside an email address or a pseudonym's domain
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in ordered)
    return re.compile(r"(?<![\w@.])(?:" + body + r")(?![\w@]|\.\w)", flags)


def _people(deal: Deal) -> list[str]:
    names = [s.name for s in deal.stakeholders]
    names += [n for a in deal.activities for n in a.with_]
    names += [deal.next_step.owner] if deal.next_step and deal.next_step.owner else []
    names += [p.owner for p in deal.mutual_action_plan if p.owner]
    names += [deal.owner] if deal.owner else []
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _map_model(model: M, fn: Any) -> M:
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return fn(value)
        if isinstance(value, dict):
            return {fn(k) if isinstance(k, str) else k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    data = model.model_dump(mode="json", by_alias=True)  # type: ignore[attr-defined]
    return type(model).model_validate(walk(data))  # type: ignore[attr-defined]


# --- names in free text (the optional ``names`` extra) ------------------------------------------------------


@cache
def name_detector() -> Any:
    """The spaCy pipeline named by :data:`NER_MODEL_ENV` (default ``en_core_web_sm``), or None when spaCy or
    the model is not installed (``pip install 'ae-coach[names]'`` and ``python -m spacy download
    en_core_web_sm``)."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(os.environ.get(NER_MODEL_ENV) or "en_core_web_sm")
    except (OSError, ValueError, ImportError):  # no such model package or folder
        return None


def detect_people(texts: Iterable[str]) -> list[str]:
    """People named in ``texts`` by the name detector (PERSON entities), in order of appearance."""
    nlp = name_detector()
    if nlp is None:
        return []
    found: dict[str, None] = {}
    for doc in nlp.pipe(t for t in texts if t and any(c.isupper() for c in t)):
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent.text.strip()) >= _MIN_NAME_PART:
                found.setdefault(ent.text.strip(), None)
    return list(found)
