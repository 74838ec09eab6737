"""BM25 search over rule sections (bm25s, imported only when a search is made), and the one tokenizer.

:func:`tokenize` is the tokenizer every retrieval in ae-coach uses: the rule sections, the sales lexicon
(:mod:`ae_coach.rules.lexicon`) and the chat's finding and deal-fact corpora. English is split into words;
Chinese, which has no spaces, is segmented with jieba (imported only when a text holds Chinese), in its
search mode, which keeps a compound and its parts ("付款条件", "付款", "条件") so a question and a
phrasing written with different compounds still share tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from ae_coach._patterns import lazy

_WORD = lazy(r"[a-z0-9]+(?:'[a-z]+)?")
_HAN = lazy(r"[\u4e00-\u9fff]+")

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

# Chinese function words: particles, pronouns and the copula, which every question holds.
_STOPWORDS_ZH = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "是",
        "在",
        "和",
        "与",
        "就",
        "都",
        "也",
        "这",
        "那",
        "这个",
        "那个",
        "一个",
        "还",
        "又",
        "被",
        "把",
        "给",
        "让",
        "对",
        "个",
        "得",
        "地",
        "着",
        "过",
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
    """Lowercase word tokens without stopwords, plurals folded ("champions" -> "champion"); Chinese
    segmented into words (jieba, search mode) in the order they appear."""
    lowered = text.lower().replace("’", "'")
    if not _HAN.search(lowered):
        return [_fold(word) for word in _WORD.findall(lowered) if word not in _STOPWORDS]
    out: list[str] = []
    position = 0
    for match in _HAN.finditer(lowered):
        out += [_fold(w) for w in _WORD.findall(lowered[position : match.start()]) if w not in _STOPWORDS]
        out += [w for w in _segment(match.group(0)) if w not in _STOPWORDS_ZH]
        position = match.end()
    out += [_fold(w) for w in _WORD.findall(lowered[position:]) if w not in _STOPWORDS]
    return out


@lru_cache(maxsize=8192)
def _segment(run: str) -> tuple[str, ...]:
    """A run of Chinese characters as words (jieba's search mode: compounds and their parts). Remembered:
    a rule's title and summary head every one of its sections, and the rule index and the chat's vocabulary
    segment the same rulebook."""
    return tuple(w for w in _jieba().cut_for_search(run) if w.strip())


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    return jieba


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
