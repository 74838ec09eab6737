"""BM25 search over rule sections (bm25s, imported only when a search is made)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.rules import Rule

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that match every rule and only dilute scores; kept short and sales-neutral
# ("no", "not" and "next" stay: "no next step" is a real query).
_STOPWORDS = frozenset(
    "a an and are as at be but by do does for from has have how i if in into is it its me my of on or our "
    "so than that the their them then there these they this to was we were what when where which who why "
    "will with you your".split()
)


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

    def __init__(self, rules: list[Rule]) -> None:
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

    def search(self, query: str, k: int) -> list[tuple[str, str, float]]:
        """Up to ``k`` (rule id, section, score) triples with a positive score, best first."""
        tokens = tokenize(query)
        if self._retriever is None or not tokens or k <= 0:
            return []
        k = min(k, len(self._keys))
        documents, scores = self._retriever.retrieve([tokens], k=k, show_progress=False)
        return [
            (*self._keys[int(doc)], float(score))
            for doc, score in zip(documents[0], scores[0])
            if score > 0
        ]
