"""The sales lexicon (``rules/_lexicon.yaml``): how reps ask, in English and Chinese, and what it is about.

The chat retrieves its answer from the rulebook, the finding catalogue and the deal's facts; the lexicon is
what lets a question written in a rep's words ("Luis ghosted me", "客户要账期 net 90") reach the rules and
findings written in the rulebook's words. It holds two things, both data:

* ``synonyms``: a word (English or Chinese) and the rulebook words it brings into a query;
* ``intents``: the questions reps ask most, each with its phrasings in both languages, the rules and
  finding codes that answer it, the deal facts it needs and the shape of the answer.

``ae-coach rules lint`` checks the file (:func:`check_lexicon`): every rule id and finding code it names
must exist, every fact kind and answer shape must be one the chat knows, and no phrasing may be empty once
tokenised. Renaming a rule therefore fails CI instead of silently changing the chat.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ae_coach.errors import RuleFileError
from ae_coach.rules._match import Held, beside, longest, near
from ae_coach.rules.search import _WORD, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from ae_coach.rules.model import Rulebook

LEXICON_FILE = "_lexicon.yaml"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _squeeze(text: str) -> str:
    """Lower case without spaces: how a Chinese phrasing is compared with a question."""
    return "".join(text.lower().split())


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _han_text(text: str) -> str:
    """How a Chinese phrasing and a question meet: squeezed, every number written ``#``, so the phrasing
    "降#%" holds "降 10%" and "降5%", and "打#折" holds "打 9 折", whatever the figure."""
    return _NUMBER.sub("#", _squeeze(text))


ANSWER_SHAPES: tuple[str, ...] = ("advice", "next_step", "summary", "email", "risk", "forecast")
"""How an answer is laid out: ``advice`` (facts, findings, rule steps, the next step) is the default; the
others put one thing first (the review's first action, a summary a manager can paste, a draft email, the
worst findings, the forecast call)."""

FACT_KINDS: tuple[str, ...] = (
    "people",
    "champion",
    "economic_buyer",
    "committee",
    "competitors",
    "upcoming",
    "missed",
    "next_step",
    "close_date",
    "forecast",
    "deal",
    "proposal",
    "demos",
    "handoff",
    "users",
    "figures",
    "case",
    "quiet",
    "threads",
    "tier",
    "metrics",
    "economic_buyer_element",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion_element",
    "competition",
    "recent",
)
"""The deal facts an intent may ask for (each read from ``DealFacts`` or the assessment by the chat)."""


MENTIONS: tuple[str, ...] = ("competitor", "economic_buyer", "close_date", "new_person")
"""Deal facts a question can name that an intent may claim (``named``); ``new_person``: a role or title nobody
on the deal holds ("the QA director"), someone the deal has not met yet."""

_STAGES = ("discovery", "scoping", "validation", "proposal", "closing", "closed_won", "closed_lost")
"""The deal stages an intent's ``stages`` may name (``ae_coach.deal.Stage``; rules sit below deal)."""

NAMED_WEIGHT = 1
"""A deal fact the question names counts as this many phrasing tokens (naming the competitor in a discount
question sets the scene; the discount is still what is asked)."""


WEAK_WEIGHT = 0.5
"""What a word covered by one of an intent's ``weak`` phrasings counts."""

STAGE_WEIGHT = 1
"""A deal at one of an intent's ``stages`` counts as this many phrasing words for it, once the question holds
some phrasing: the deal's state says which of two readings is meant, never that a question was asked."""

SYNONYM_WEIGHT = 0.5
"""A question's word that holds a phrasing only through a synonym ("recap" brings "summary") counts this much."""

ASK_WEIGHT = 2
"""How much more a phrasing counts in the sentences that ask than in the story around them (:func:`_ask`)."""

_SENTENCE = re.compile(r"([^.!?;。！？；\n]*)([.!?;。！？；\n]*)")


def _stem(word: str) -> str:
    """A light English stem for matching phrasings: -ing and -ed off, a doubled consonant undone
    ("answering", "answered" -> "answer"; "slipped" -> "slip"; "chasing" -> "chas", which the question's
    side also offers as "chase"), a word family's ending off ("competitor", "competing" -> "compet") and a
    final -e of a longer word ("compete" -> "compet"). Only the lexicon's matching uses it; rule search keeps
    its own tokens."""
    if _HAN.search(word) or not word.isalpha():
        return word
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("eed"):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    # one family, one stem: "competing", "compete", "competitor", "competition", "competitive" -> "compet"
    for suffix in ("itively", "itive", "ition", "itor"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)]
    return word[:-1] if len(word) > 5 and word.endswith("e") and not word.endswith("ee") else word


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _dropped(phrase: str) -> set[str]:
    """The words of an English phrasing that tokenising drops as stopwords ("on our side" -> on, our): the
    question must hold them too, or "on our side" would be held by any question with "side" in it."""
    if _HAN.search(phrase):
        return set()
    kept = set(tokenize(phrase))
    return {w for w in _words(phrase) if not set(tokenize(w)) & kept}


def _strength(intent: Intent, phrase: str) -> float:
    return WEAK_WEIGHT if phrase in intent.weak else 1.0


def _han_words(phrase: str) -> int:
    """How many words a Chinese phrasing counts for: about one per two characters. The segmenter's search
    mode lists a compound and its parts ("接下来" -> 接下, 下来, 接下来), which would count one word three times."""
    return max(1, round(len(_squeeze(phrase)) / 2))


def _ask(question: str) -> str:
    """The sentences of a question that tells a story first that ask: its last sentence and any that ends
    with a question mark ("who actually signs?? dana says she owns the budget"); "" when no sentence is
    only the story (one sentence, or every one a question)."""
    sentences = [(m.group(1), m.group(2)) for m in _SENTENCE.finditer(question) if tokenize(m.group(1))]
    asking = [text for n, (text, end) in enumerate(sentences) if n == len(sentences) - 1 or "?" in end or "？" in end]
    return " ".join(asking) if len(asking) < len(sentences) else ""


_RUN = re.compile(r"[A-Za-z0-9'’-]+|[\u4e00-\u9fff]+")


def _latin_places(question: str) -> dict[str, list[int]]:
    """The places of a Chinese question's English words (their stems), a run of Chinese counted as one word per
    two characters (:func:`_han_words`): "best and final，他同时找了 MercuryGate 报价 … business case" holds "best"
    and "case" far apart, so it is no "best case"."""
    places: dict[str, list[int]] = {}
    place = 0
    for run in _RUN.findall(question):
        if _HAN.search(run):
            place += _han_words(run)
            continue
        for token in tokenize(run):
            places.setdefault(_stem(token), []).append(place)
            place += 1
    return places


def has_story(question: str) -> bool:
    """The question tells something before it asks (a sentence with words that is neither the last nor a
    question): "Thought it was done after the pilot, but the new CFO came in. Is it in trouble?"
    """
    return bool(_ask(question))


class Intent(BaseModel):
    """One kind of question reps ask, and where its answer comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    answer: str = "advice"
    weight: float = 1.0
    """How strongly one matched phrasing speaks for this intent: specific topics outweigh general ones."""
    """The answer's shape (:data:`ANSWER_SHAPES`)."""
    rules: list[str] = Field(default_factory=list)
    """Rule ids that answer it, best first."""
    codes: list[str] = Field(default_factory=list)
    """Finding codes that bear on it."""
    facts: list[str] = Field(default_factory=list)
    """Deal facts the answer needs (:data:`FACT_KINDS`)."""
    stages: list[str] = Field(default_factory=list)
    """Deal stages at which a question is likelier this kind (``closed_won``: "what now?" after the signature
    is about the handoff); they count :data:`STAGE_WEIGHT` words for a question that holds any phrasing."""
    named: list[str] = Field(default_factory=list)
    """Deal facts whose mention makes a question this kind (:data:`MENTIONS`): naming the deal's competitor
    is a positioning question, naming its close date a close-date question."""
    en: list[str] = Field(default_factory=list)
    """English phrasings: a question holding every word of one of them is this kind of question."""
    zh: list[str] = Field(default_factory=list)
    """Chinese phrasings, the same way (segmented with the same tokenizer)."""
    weak: list[str] = Field(default_factory=list)
    """Phrasings of its own (``en`` or ``zh``) that reps use in many kinds of question, a time ("next year",
    "this week") or a bare ask ("what should I say"): each word they cover counts :data:`WEAK_WEIGHT`, so a
    question's topic ("upsell next year") outweighs them."""

    audience: list[str] = Field(default_factory=list)
    """Phrasings (``en`` or ``zh``) that say who the answer is for, not what is asked ("my boss", "tell my VP",
    "给经理"): they speak for this intent only when the question asks nothing else ("what do I tell my
    manager?"); "my manager wants a date for this" asks for a date."""

    @property
    def phrasings(self) -> list[str]:
        return [*self.en, *self.zh]


class Lexicon(BaseModel):
    """The parsed ``_lexicon.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    topics: dict[str, list[str]] = Field(default_factory=dict)
    """Fact kinds found by their words: a deal fact whose text holds one of a topic's words is of that kind
    (``fiscal_year``: a note saying when the buyer's fiscal year ends). An intent may ask for a topic as for
    any fact kind, and the answer says when the record holds none."""
    intents: list[Intent] = Field(default_factory=list)
    path: Path | None = None

    _phrasings: list[tuple[Intent, list[tuple[str, list[str], set[str], float]]]] = PrivateAttr(default_factory=list)
    _audience: list[tuple[Intent, list[tuple[str, list[str], set[str], float]]]] = PrivateAttr(default_factory=list)
    _synonyms: dict[str, list[str]] = PrivateAttr(default_factory=dict)
    _han_synonyms: list[str] = PrivateAttr(default_factory=list)

    def model_post_init(self, __context: Any) -> None:
        # a Chinese phrasing is matched by its characters, so it is not segmented here: loading the
        # segmenter's dictionary costs more than the rest of an English answer (lint checks it has words)
        def table(phrases: list[str], intent: Intent) -> list[tuple[str, list[str], set[str], float]]:
            return [
                (
                    _han_text(p) if _HAN.search(p) else _squeeze(p),
                    [] if _HAN.search(p) else tokenize(p),
                    _dropped(p),
                    _strength(intent, p),
                )
                for p in phrases
            ]

        self._phrasings = [(intent, table(intent.phrasings, intent)) for intent in self.intents]
        self._audience = [(intent, table(intent.audience, intent)) for intent in self.intents]
        for word, siblings in self.synonyms.items():
            keys = [_squeeze(word)] if _HAN.search(word) else tokenize(word)
            self._han_synonyms += [k for k in keys if _HAN.search(k)]
            for key in keys:
                known = self._synonyms.setdefault(key, [])
                known += [t for s in siblings for t in tokenize(s) if t not in known]

    def expand(self, question: str) -> list[str]:
        """The question's tokens plus the rulebook words their synonyms bring (each added once)."""
        tokens = tokenize(question)
        keys = tokens + [w for w in self._han_synonyms if w in _squeeze(question)]
        extra = [word for key in keys for word in self._synonyms.get(key, ()) if word not in tokens]
        return tokens + list(dict.fromkeys(extra))

    def match(
        self, question: str, mentioned: Iterable[str] = (), stage: str | None = None
    ) -> list[tuple[Intent, float]]:
        """Intents whose phrasings the question holds, best first.

        An English phrasing is held when every one of its words is in the question, compared by stem
        ("answering" holds "answer", "slipped" holds "slip") or brought by a synonym ("ghosted" brings
        "silent"; a Chinese word brings its English ones, so "折扣" holds "discount"); a Chinese phrasing
        when it appears in the question as written (a segmenter splits the same words differently in
        different sentences, so characters, not segments, are compared).

        An intent scores its weight times the number of the question's words its held phrasings cover (a
        word that holds a phrasing only through a synonym counts :data:`SYNONYM_WEIGHT`), each word once however
        many phrasings or synonyms reach it, so a longer phrasing outweighs a shorter and spellings do not
        stack. The longest match wins the words it spans (:func:`ae_coach.rules._match.longest`): a phrasing held inside a longer one
        of another intent ("off" inside "sign off", "budget" inside "budget holder") does not count. Each deal
        fact the question names (``mentioned``: its competitor, its economic buyer, its close date) that the
        intent claims counts as :data:`NAMED_WEIGHT` words, and a deal at one of its ``stages`` as
        :data:`STAGE_WEIGHT` words when the question holds any phrasing. When the question runs to several sentences, a word
        in the one that asks (:func:`_ask`) counts :data:`ASK_WEIGHT` times: the others tell the story
        ("thought it was done after the pilot, but now…"), that one asks ("is it in trouble?"). An intent's
        ``audience`` phrasings (who the answer is for) count only when the question holds no other phrasing.
        """
        named = set(mentioned)
        held = longest(self._held(question, self._phrasings))
        asked = any(held.values())
        if not asked:  # nothing asked but who it is for: "what do I tell my manager?"
            held = longest(self._held(question, self._audience))
        scored = []
        for index, intent in enumerate(self.intents):
            covered: dict[str, float] = {}
            for _, values in held.get(index, ()):
                for word, value in values.items():
                    covered[word] = max(covered.get(word, 0), value)
            staged = STAGE_WEIGHT if asked and stage in intent.stages else 0
            score = intent.weight * (sum(covered.values()) + NAMED_WEIGHT * len(named & set(intent.named)) + staged)
            if score:
                scored.append((intent, score))
        # at equal scores the more specific intent (the higher weight) speaks for the question
        return sorted(scored, key=lambda item: (-item[1], -item[0].weight))

    def audience(self, question: str) -> list[Intent]:
        """The intents whose ``audience`` phrasings the question holds ("my boss asks", 老板问), whatever else it
        asks: the answer is for them, so it carries what they need to know."""
        held = self._held(question, self._audience)
        return [self._audience[index][0] for index in sorted(held)]

    def _held(self, question: str, table: list[tuple[Intent, list[tuple[str, list[str], set[str], float]]]]) -> Held:
        """The phrasings of ``table`` (the intents' phrasings, or their audience phrasings) ``question`` holds, per
        intent (:data:`Held`)."""
        text = _han_text(question)
        ask = _ask(question)
        asked, ask_text = {_stem(t) for t in tokenize(ask)}, _han_text(ask)
        sources = self._sources(question, text)
        words = set(_words(question))
        places: dict[str, list[int]] = {}  # a content word's stem -> its places among the question's tokens
        spoken: dict[str, list[int]] = {}  # any word (stopwords too) or stem -> its places among all its words
        if not _HAN.search(question):  # a Chinese phrasing is matched as written; its segments overlap
            for place, token in enumerate(tokenize(question)):
                places.setdefault(_stem(token), []).append(place)
            for place, word in enumerate(_words(question)):
                for key in {word, *(_stem(t) for t in tokenize(word))}:
                    spoken.setdefault(key, []).append(place)
        else:  # the English words of a Chinese question stand close together too ("best and final … business case")
            places = _latin_places(question)
        held: Held = {}
        for index, (_, phrasings) in enumerate(table):
            for phrase, tokens, dropped, strength in phrasings:
                if _HAN.search(phrase):
                    if phrase in text:
                        value = strength * _han_words(phrase) * (ASK_WEIGHT if phrase in ask_text else 1)
                        held.setdefault(index, []).append((phrase, {phrase: value}))
                    continue
                if not tokens or not dropped <= words:
                    continue
                stems = [_stem(t) for t in tokens]
                if not all(stem in sources for stem in stems) or not near([sources[t] for t in stems], places):
                    continue
                if not beside(dropped, [sources[t] for t in stems], spoken):
                    continue
                values: dict[str, float] = {}
                for stem in stems:
                    source = sources[stem]
                    in_ask = source in ask_text if _HAN.search(source) else source in asked
                    factor: float = strength * (ASK_WEIGHT if ask_text and in_ask else 1)
                    if stem != source:  # reached through a synonym: weaker than the word itself
                        factor *= SYNONYM_WEIGHT
                    values[source] = max(values.get(source, 0), factor)
                held.setdefault(index, []).append((frozenset(stems) | dropped, values))
        return held

    def _sources(self, question: str, text: str) -> dict[str, str]:
        """Each stem the question holds -> the question's own word that brings it (itself, or a word whose
        synonyms include it); a word of the question wins over a synonym."""
        tokens = tokenize(question)
        sources: dict[str, str] = {}
        for key in [*tokens, *(w for w in self._han_synonyms if w in text)]:
            for word in self._synonyms.get(key, ()):
                sources.setdefault(_stem(word), key if _HAN.search(key) else _stem(key))
        for token in tokens:
            stem = _stem(token)
            sources[stem] = stem
            if stem != token:  # "chasing" -> "chas" also holds "chase"
                sources.setdefault(stem + "e", stem)
        return sources

    def intent(self, intent_id: str) -> Intent | None:
        return next((i for i in self.intents if i.id == intent_id), None)


def read_lexicon(path: Path) -> Lexicon:
    """Parse a lexicon file; a malformed one raises :class:`RuleFileError` naming the file and field."""
    import yaml

    from ae_coach._safe_yaml import load_bounded_yaml, yaml_problem

    try:
        data: Any = load_bounded_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleFileError(path, None, f"cannot read the lexicon: {exc}") from None
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise RuleFileError(path, line, message) from None
    if not isinstance(data, dict):
        raise RuleFileError(path, None, "the lexicon must be a mapping with 'synonyms' and 'intents'")
    try:
        return Lexicon.model_validate({**data, "path": path})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RuleFileError(path, None, f"{where}: {first['msg']}") from None


def load_lexicon(rules_dir: Path | None = None) -> Lexicon:
    """The lexicon beside a rules directory (default: the shipped one); an empty lexicon when there is none."""
    if rules_dir is None:
        from ae_coach.resources import rules_dir as shipped

        rules_dir = shipped()
    path = Path(rules_dir) / LEXICON_FILE
    if not path.is_file():
        return Lexicon()
    return _read_cached(path, path.stat().st_mtime_ns)


def lexicon_for(rulebook: Rulebook) -> Lexicon:
    """The lexicon of a (possibly merged) rulebook: the one in its highest rules directory that has one."""
    for directory in reversed(rulebook.layers or ([rulebook.path] if rulebook.path else [])):
        if (directory / LEXICON_FILE).is_file():
            return load_lexicon(directory)
    return Lexicon()


@cache
def _read_cached(path: Path, _mtime: int) -> Lexicon:
    return read_lexicon(path)


def check_lexicon(path: Path, rule_ids: Iterable[str], codes: Iterable[str]) -> list[tuple[int | None, str]]:
    """(line, message) for every problem in a lexicon file: unknown rule ids, finding codes, fact kinds or
    answer shapes, duplicate intents, phrasings that say nothing once tokenised."""
    try:
        lexicon = read_lexicon(path)
    except RuleFileError as exc:
        return [(exc.line, exc.detail)]
    text = path.read_text(encoding="utf-8").splitlines()
    known_rules, known_codes = set(rule_ids), set(codes)
    problems: list[tuple[int | None, str]] = []
    seen: set[str] = set()
    for topic, words in lexicon.topics.items():
        at = _line_of(text, f"{topic}:")
        if topic in FACT_KINDS:
            problems.append((at, f"topic {topic!r} is already a fact kind the chat knows; name it otherwise"))
        problems += [(at, f"topic {topic!r}: word {w!r} has no words once tokenised") for w in words if not tokenize(w)]
        if not words:
            problems.append((at, f"topic {topic!r} names no words"))
    for intent in lexicon.intents:
        line = _line_of(text, f"id: {intent.id}")
        if intent.id in seen:
            problems.append((line, f"intent {intent.id!r} is defined twice"))
        seen.add(intent.id)
        where = f"intent {intent.id!r}"
        for rule_id in intent.rules:
            if rule_id not in known_rules:
                problems.append((line, f"{where}: unknown rule id {rule_id!r}{_hint(rule_id, known_rules)}"))
        for code in intent.codes:
            if code not in known_codes:
                problems.append((line, f"{where}: unknown finding code {code!r}{_hint(code, known_codes)}"))
        for kind in intent.facts:
            if kind not in FACT_KINDS and kind not in lexicon.topics:
                allowed = ", ".join([*FACT_KINDS, *lexicon.topics])
                problems.append((line, f"{where}: unknown fact kind {kind!r}; allowed: {allowed}"))
        for stage in intent.stages:
            if stage not in _STAGES:
                problems.append((line, f"{where}: unknown stage {stage!r}; allowed: {', '.join(_STAGES)}"))
        for kind in intent.named:
            if kind not in MENTIONS:
                problems.append((line, f"{where}: unknown mention {kind!r}; allowed: {', '.join(MENTIONS)}"))
        if intent.answer not in ANSWER_SHAPES:
            problems.append((line, f"{where}: unknown answer {intent.answer!r}; allowed: {', '.join(ANSWER_SHAPES)}"))
        problems += [
            (line, f"{where}: weak phrasing {p!r} is not one of its phrasings")
            for p in intent.weak
            if p not in intent.phrasings
        ]
        if not intent.en or not intent.zh:
            problems.append((line, f"{where}: give phrasings in both languages (en and zh)"))
        problems += [
            (line, f"{where}: phrasing {p!r} has no words once tokenised")
            for p in [*intent.phrasings, *intent.audience]
            if not tokenize(p)
        ]
    return problems


def _line_of(lines: list[str], needle: str) -> int | None:
    return next((number for number, line in enumerate(lines, 1) if needle in line), None)


def _hint(value: str, allowed: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
