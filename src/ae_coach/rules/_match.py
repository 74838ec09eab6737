"""How a phrasing's words sit in a question: close together (:func:`near`, :func:`beside`), and whether a
longer phrasing of another intent holds them (:func:`longest`). Only :mod:`ae_coach.rules.lexicon` uses it."""

from __future__ import annotations

SLOP = 5
"""How many other words may stand between the words of one English phrasing in the question: "want to know"
holds "want know", "Greta wants to wait for the reorg… do we even know" does not."""


def near(words: list[str], places: dict[str, list[int]]) -> bool:
    """The question holds ``words`` (its own words, as stems) close together (:data:`SLOP`); a word brought
    by a Chinese synonym, or a question without word places, is near anything. The narrowest window that
    holds one place of each word, found in one pass over their places in order."""
    spots = [places[w] for w in dict.fromkeys(words) if w in places]
    if len(spots) < 2:
        return True
    events = sorted((place, word) for word, own in enumerate(spots) for place in own)
    counts = [0] * len(spots)  # how often each word stands in the window events[left : right + 1]
    missing, left, narrowest = len(spots), 0, events[-1][0] - events[0][0]
    for place, word in events:
        if counts[word] == 0:
            missing -= 1
        counts[word] += 1
        while missing == 0:  # every word is in the window: note its width, then shrink it from the left
            first, gone = events[left]
            narrowest = min(narrowest, place - first)
            counts[gone] -= 1
            if counts[gone] == 0:
                missing += 1
            left += 1
    return narrowest < len(spots) + SLOP


def beside(dropped: set[str], words: list[str], spoken: dict[str, list[int]]) -> bool:
    """Each stopword a phrasing requires stands within :data:`SLOP` words of one of its content words ("what
    now" is held by "ok, what now?", not by "what worries you most about it right now?")."""
    near = [p for w in words for p in spoken.get(w, ())]
    if not dropped or not near or not spoken:
        return True
    return all(any(abs(p - q) <= SLOP for p in spoken.get(d, ()) for q in near) for d in dropped)


Extent = frozenset[str] | str
"""What a held phrasing spans in the question: an English phrasing's stems and the stopwords it requires, or
a Chinese phrasing's characters."""

Held = dict[int, list[tuple[Extent, dict[str, float]]]]
"""Per intent (by position), each phrasing the question holds: its extent and the value of each question word
it covers."""


def _inside(short: Extent, long: Extent) -> bool:
    if isinstance(short, str) and isinstance(long, str):
        return short != long and short in long
    return isinstance(short, frozenset) and isinstance(long, frozenset) and short < long


def longest(held: Held) -> Held:
    """The held phrasings less those inside a longer held phrasing of another intent ("off" inside "sign
    off", "budget" inside "budget holder", "推迟" inside "会议推迟"): as a tokenizer takes the longest word
    its dictionary holds, the longest phrasing says what the words mean here."""
    return {
        index: [
            (extent, values)
            for extent, values in own
            if not any(_inside(extent, other) for i, theirs in held.items() if i != index for other, _ in theirs)
        ]
        for index, own in held.items()
    }
