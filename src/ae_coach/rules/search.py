"""BM25 search over rule sections (bm25s, imported only when a search is made)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that match every rule and only dilute scores; kept short and sales-neutral
# ("no", "not" and "next" stay: "no next step" is a real query).
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


# Words buyers and reps use for the same situation; a query term brings its siblings along so that
# "the champion went quiet" finds the rule written about a champion who "goes dark".
_SYNONYMS = {
    "quiet": ("dark", "silent"),
    "silent": ("dark", "quiet"),
    "ghosted": ("dark", "silent"),
    "ghosting": ("dark", "silent"),
    "unresponsive": ("dark", "silent"),
    "discount": ("price", "pricing", "concession"),
    "cheaper": ("price", "pricing"),
    "signer": ("economic", "buyer"),
    "eb": ("economic", "buyer"),
    "pushed": ("slip", "slipped"),
    "delayed": ("slip", "stalled"),
    "stuck": ("stalled", "stale"),
    "rfp": ("decision", "criteria"),
}


def expand_query(tokens: list[str]) -> list[str]:
    """Query tokens plus their sales-language synonyms (each added once)."""
    extra = [syn for token in tokens for syn in _SYNONYMS.get(token, ()) if syn not in tokens]
    return tokens + list(dict.fromkeys(extra))


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens without stopwords, plurals folded ("champions" -> "champion")."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [_fold(word) for word in words if word not in _STOPWORDS]


def _fold(word: str) -> str:
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class SectionIndex:
    """One BM25 document per (rule, section); the rule's title, summary and tags are added to each,
    so a query about the rule's topic finds its sections even where they do not repeat the words."""

    def __init__(self, rules: Sequence[Any]) -> None:
        """Index the sections of ``rules`` (anything with ``id`` and ``sections``, i.e. :class:`Rule`)."""
        import bm25s

        self._keys: list[tuple[str, str]] = []
        corpus: list[list[str]] = []
        for rule in rules:
            head = f"{rule.title} {rule.summary} {' '.join(rule.tags)} {rule.id.replace('-', ' ')}"
            for name, text in rule.sections.items():
                self._keys.append((rule.id, name))
                corpus.append(tokenize(f"{head} {name} {text}"))
        self._retriever: Any = None
        if corpus:
            self._retriever = bm25s.BM25()
            self._retriever.index(corpus, show_progress=False)

    def search(self, query: str, k: int, per_rule: int | None = None) -> list[tuple[str, str, float]]:
        """Up to ``k`` (rule id, section, score) triples with a positive score, best first.

        ``per_rule`` caps how many sections of one rule may appear (None: no cap).
        """
        tokens = expand_query(tokenize(query))
        if self._retriever is None or not tokens or k <= 0:
            return []
        # Ask for every document when capping per rule, so the cap cannot starve the result.
        wanted = len(self._keys) if per_rule else min(k, len(self._keys))
        documents, scores = self._retriever.retrieve([tokens], k=wanted, show_progress=False)
        hits: list[tuple[str, str, float]] = []
        taken: dict[str, int] = {}
        for doc, score in zip(documents[0], scores[0], strict=False):
            rule_id, section = self._keys[int(doc)]
            if score <= 0 or len(hits) >= k:
                break
            if per_rule and taken.get(rule_id, 0) >= per_rule:
                continue
            taken[rule_id] = taken.get(rule_id, 0) + 1
            hits.append((rule_id, section, float(score)))
        return hits
