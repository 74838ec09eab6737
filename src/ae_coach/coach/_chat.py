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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach.resources import ae_coach_home

if TYPE_CHECKING:
    from ae_coach.coach._chat_answer import ChatAnswer
    from ae_coach.coach.prompt import PromptBuilder
    from ae_coach.deal import Deal

__all__ = ["ChatAnswer", "ChatHistory", "render_answer", "save_history"]


def __getattr__(name: str) -> Any:
    # the answer's model pulls in the offline coach and the inspector; a chat loads it with its first question
    if name == "ChatAnswer":
        from ae_coach.coach._chat_answer import ChatAnswer

        return ChatAnswer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_answer(answer: ChatAnswer, builder: PromptBuilder) -> str:
    """The answer in words: ``chat-answer-<lang>.j2`` rendered from the typed answer; roles, stages and
    categories in the answer's language (:func:`ae_coach.i18n.term`, the glossary's words)."""
    from ae_coach.i18n import term

    def label(value: Any) -> str:
        return term(value, answer.lang)

    def clip(text: str | None, size: int) -> str | None:
        # a Chinese answer keeps short English quotes, but may keep up to three of them from one long note
        windows = 3 if answer.lang == "zh" else 1
        return clip_quote(text, answer.words, size, answer.people, windows=windows, question=answer.question)

    def clip_within(text: str | None, size: int) -> str | None:
        # a line in the inspector's words that quotes the record ("买方把决策放在成交日期之后（2026-11-30 email: "If
        # the pilot meets the criteria, …"）"): each quote in it clipped as a quote standing alone would be
        if not text:
            return text
        return _QUOTED.sub(lambda m: m.group(1) + (clip(m.group(2), size) or "") + m.group(3), text)

    def clip_runs(text: str | None, size: int) -> str | None:
        # a finding's title quotes the record as the inspector cut it ("…We will not accept a higher unit price for
        # fewer users, and we will not pay for 100 Anal…"): cut again only a quote that runs on in English for more
        # than ``size`` words in a row, so a title that says what it needs in a few words keeps them
        if not text:
            return text
        return _QUOTED.sub(
            lambda m: (
                m.group(1) + ((clip(m.group(2), size) or "") if _runs_on(m.group(2), size) else m.group(2)) + m.group(3)
            ),
            text,
        )

    return (
        builder.render(
            f"chat-answer-{answer.lang}",
            a=answer,
            label=label,
            clip=clip,
            clip_within=clip_within,
            clip_runs=clip_runs,
        ).strip()
        + "\n"
    )


_ENGLISH_WORD = re.compile(r"[A-Za-z]+(?=[ ,]+[A-Za-z])")
"""An English word followed, past spaces or commas only, by another: the links of a run of English words."""


def _runs_on(text: str, size: int) -> bool:
    """``text`` holds more than ``size`` English words in a row, with nothing but spaces and commas between them."""
    run, end = 0, -1
    for match in _ENGLISH_WORD.finditer(text):
        gap = text[end : match.start()] if end >= 0 else ""
        run = run + 1 if end >= 0 and not gap.strip(" ,") else 1
        if run >= size:  # ``size`` linked words and the one they link to
            return True
        end = match.end()
    return False


_QUOTED = re.compile(r'(["“])([^"“”]{20,}?)(["”])')
"""A quotation inside a line of prose: straight or curly double quotes around at least a few words."""


ECHO = 4
"""Words in a row the question shares with a note: the rep quoted it, so those words tell the reader nothing new."""
SLACK = 3
"""A quote at most a third longer than the window is not cut: cutting its last few words saves little and loses
how the note ends, often its point ("Josh: no date yet, Annabel 'in back-to-backs with the board on the cost
programme'")."""


def clip_quote(
    text: str | None,
    words: list[str],
    size: int,
    people: Sequence[str] = (),
    *,
    windows: int = 1,
    question: str = "",
) -> str | None:
    """An English quote of more than ``size`` words cut to the ``size`` that hold the most words the question
    asked about (``words``: its tokens and the rulebook words they bring), else its start: "Jess will buy
    the annual plan … wants invoice not card" asked about invoices keeps "invoice not card". At equal words
    asked about, the window that names more of the deal's ``people`` wins ("… wants the interim CDO's view
    first'. Ruth Achterberg has not been approached"). With ``windows`` 2 or more (a Chinese answer: 3), a second
    window elsewhere in the quote that holds asked-about words or people is kept too, after " … ", and with 3 a third
    for a figure or a date the others leave out (:func:`_third_window`); windows at most :data:`BRIDGE` words apart
    are joined (:func:`_bridged`). Words the
    ``question`` itself quotes from the note (:data:`ECHO` or more in a row) count for nothing: "she said
    'we'll sort the paperwork when we're ready'" asked about keeps what the rep did not say, "not sure if
    finance or the CEO needs to approve"."""
    from ae_coach.coach._retrieve import language_of
    from ae_coach.rules.search import tokenize

    parts = (text or "").split()
    # "…" or curly quotes: still English; a quote a few words over the size is kept whole (:data:`SLACK`)
    if not text or language_of(text) == "zh" or len(parts) <= size + size // SLACK:
        return text
    wanted = set(words)
    asked = [bool(wanted.intersection(tokenize(w))) for w in parts]
    echo = [False] * len(parts)
    for i in _echoed(parts, question):
        asked[i], echo[i] = False, True
    named = {t for name in people for t in tokenize(name)} - wanted
    known = [bool(named.intersection(tokenize(w))) for w in parts]

    telling = [bool(_TELLING.search(w)) for w in parts]

    # the window holding the most asked-about words, then the most of the deal's people, then the fewest words
    # the question quotes; at a tie the earliest, so a quote that holds none of them keeps its start
    def score(i: int) -> tuple[int, int, int, int]:
        return sum(asked[i : i + size]), sum(known[i : i + size]), -sum(echo[i : i + size]), -i

    # a second window may also be kept for its telling words alone (numbers, offices: "finance or the CEO
    # needs to approve")
    def second_score(i: int) -> tuple[int, int, int, int, int]:
        return sum(asked[i : i + size]), sum(known[i : i + size]), sum(telling[i : i + size]), *score(i)[2:]

    start = max(range(len(parts) - size + 1), key=score)
    spans = [(start, start + size)]
    if windows > 1:  # a second window elsewhere in the note that holds what was asked, who is named or a fact
        # (the note's tail may be shorter than a window: "… Ruth Achterberg has not been approached")
        rest = [i for i in range(len(parts)) if i + size < start or i > start + size]  # a word at least between
        second = max(rest, key=second_score, default=None)
        if second is not None and second_score(second)[:3] > (0, 0, 0):
            spans = sorted([*spans, (second, min(second + size, len(parts)))])
    if windows > 2:
        spans = _third_window(parts, spans, size, score)
    spans = _whole_names(parts, _bridged(parts, spans))
    spans = _to_sentence_end(parts, spans)
    out = "… " if spans[0][0] else ""
    out += " … ".join(" ".join(parts[a:b]) for a, b in spans)
    return out + (" …" if spans[-1][1] < len(parts) else "")


def _third_window(
    parts: list[str], spans: list[tuple[int, int]], size: int, score: Callable[[int], tuple[int, ...]]
) -> list[tuple[int, int]]:
    """``spans`` and a third window for a figure or a date the kept ones leave out ("… an alternative: 3-year …
    renewal uplift capped at 3%"): the fact a reader checks. Among windows a word or more from the kept ones, the one
    with the most such figures, then by ``score`` (what was asked, who is named); none when no figure is left out."""
    kept = {parts[i] for a, b in spans for i in range(a, b)}
    digits = [bool(re.search(r"\d", w)) and w not in kept for w in parts]
    free = [i for i in range(len(parts)) if all(i + size < a or i > b for a, b in spans)]
    third = max(free, key=lambda i: (sum(digits[i : i + size]), *score(i)), default=None)
    if third is None or not any(digits[third : third + size]):
        return spans
    return sorted([*spans, (third, min(third + size, len(parts)))])


BRIDGE = 2
"""The most words between two kept windows that are kept too rather than elided, when the joined window reads
as no run of :data:`RUN_LIMIT` English words ("the co-op won't … it fully" keeps "fund")."""


def _bridged(parts: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (sorted) with a gap of at most :data:`BRIDGE` words between two of them closed, where the words
    joined do not run on in English for :data:`RUN_LIMIT` words."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and start - joined[-1][1] <= BRIDGE and not _runs_on(" ".join(parts[joined[-1][0] : end]), RUN_LIMIT):
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


NAME_RUN = 3
"""How many words a window may grow by so it does not cut a run of capitalised words: "their regional CIO" is
kept with "Azlan Hamid", who the CIO is; nor a date: "Monday 4 January"."""
_CAPITAL = re.compile(r"^[\"'“‘(]?[A-Z][\w&'’.-]*$")
_DAY = re.compile(r"^[\"'“‘(]?(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?$")
_MONTH_OR_DAY = re.compile(
    r"^[\"'“‘(]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    r"august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)[.,]?[\"'”’)]?[.,;:!?]?$",
    re.IGNORECASE,
)
"""A day of the month and a month's or a weekday's name: the words of a date a clipped quote keeps together."""


def _whole_names(parts: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` grown by up to :data:`NAME_RUN` words at either end rather than cut inside a run of capitalised
    words (a title and the name after it, a first and a last name), then merged where they meet."""

    def joined(left: int) -> bool:  # parts[left] and parts[left + 1] are one run: "CIO Azlan", "Mei Ling", "4 January"
        if not 0 <= left < len(parts) - 1 or re.search(r"[.;:!?)”\"']$", parts[left]):
            return False
        a, b = parts[left], parts[left + 1]
        if (_DAY.match(a) and _MONTH_OR_DAY.match(b)) or (_MONTH_OR_DAY.match(a) and _DAY.match(b)):
            return True  # a date is not cut in two: "until Monday 4 January", "by Jan 15"
        return not a.endswith(",") and bool(_CAPITAL.match(a) and _CAPITAL.match(b))

    grown: list[tuple[int, int]] = []
    for start, end in spans:
        for _ in range(NAME_RUN):
            if joined(start - 1):
                start -= 1
        for _ in range(NAME_RUN):
            if joined(end - 1):
                end += 1
        if grown and start <= grown[-1][1]:
            grown[-1] = (grown[-1][0], max(end, grown[-1][1]))
        else:
            grown.append((start, end))
    return grown


FINISH = 5
"""How many words a window may grow by to finish its sentence when those words hold a number or a date: "… won't take
the purchase to the capex committee without it. The committee next sits on 4 February." keeps the date."""
RUN_LIMIT = 14
"""The most English words in a row a grown window may leave (a Chinese answer allows no passage of 15)."""


def _to_sentence_end(parts: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` that stop inside a sentence whose end is within :data:`FINISH` words and whose cut words hold a number
    (a day, an amount), grown to that end, unless that would leave a run of :data:`RUN_LIMIT` English words."""
    grown: list[tuple[int, int]] = []
    for start, end in spans:
        ended = end > 0 and re.search(r"[.;!?][\"'”’)]*$", parts[end - 1])
        stop = next((k + 1 for k in range(end, min(end + FINISH, len(parts))) if re.search(r"[.;!?]$", parts[k])), None)
        dated = stop is not None and any(re.search(r"\d", w) for w in parts[end:stop])
        if not ended and stop and dated and not _runs_on(" ".join(parts[start:stop]), RUN_LIMIT):
            end = stop
        if grown and start <= grown[-1][1]:
            grown[-1] = (grown[-1][0], max(end, grown[-1][1]))
        else:
            grown.append((start, end))
    return grown


_TELLING = re.compile(
    r"\d|^[A-Z]{2,5}\b|(?i:\b(?:finance|legal|procurement|purchasing|board|budget|approv\w*|sign\w*|contract|"
    r"deadline)\b)"
)
"""A word that carries a fact of its own in a note: a number or date, an office (CEO, CFO, PO), a step of the
deal's paper."""


def _echoed(parts: list[str], question: str) -> set[int]:
    """Positions of ``parts`` inside a run of :data:`ECHO` or more words the question repeats word for word."""
    said = [w.strip(".,;:!?'\"()“”‘’").lower() for w in question.split()]
    runs = {tuple(said[i : i + ECHO]) for i in range(len(said) - ECHO + 1)}
    plain = [w.strip(".,;:!?'\"()“”‘’").lower() for w in parts]
    return {j for i in range(len(plain) - ECHO + 1) if tuple(plain[i : i + ECHO]) in runs for j in range(i, i + ECHO)}


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
    from ae_coach._files import write_atomic

    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path
