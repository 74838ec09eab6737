"""Retrieval for the chat: one query ranks evidence from the rulebook, the finding catalogue and the deal.

The question is tokenised once (:func:`ae_coach.rules.search.tokenize`, English and Chinese), expanded with
the lexicon's synonyms, and matched against the lexicon's intents (:mod:`ae_coach.rules.lexicon`). The same
tokens then rank three corpora with BM25:

* **rule sections** (the rulebook's own index; an intent's rules come first);
* **the finding catalogue**: each code with what fires it and, when this deal has it, its title and evidence;
* **the deal's facts** (:mod:`ae_coach.coach._chat_facts`): people, competitors, dated items, MEDDPICC notes,
  activities.

Nothing here knows a topic by name: what a question is about lives in the lexicon and the rule files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ae_coach.coach._chat_facts import Fact, deal_facts
from ae_coach.findings import FINDING_CODES, Finding
from ae_coach.inspector.text import name_words
from ae_coach.rules.lexicon import has_story
from ae_coach.rules.search import tokenize

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.rules import Rulebook
    from ae_coach.rules.lexicon import Intent, Lexicon

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&'-]{1,}")


@dataclass
class Retrieval:
    """What one question retrieved, best first in each list."""

    tokens: list[str]
    intents: list[tuple[Intent, float]]
    rules: list[tuple[str, str, float]]
    """(rule id, section, score)."""
    codes: list[tuple[str, float]]
    """Finding codes whose catalogue entry (or this deal's finding) matches the question."""
    facts: list[tuple[Fact, float]]
    all_facts: list[Fact] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    """Names in the question that neither the deal nor the rulebook knows."""
    known_share: float = 1.0
    """The share of the question's content words the rulebook, the lexicon or the deal knows."""
    story: bool = False
    """The question tells something before it asks (:func:`ae_coach.rules.lexicon.has_story`)."""
    topics: dict[str, list[str]] = field(default_factory=dict)
    """The lexicon's fact kinds found by their words (:attr:`ae_coach.rules.lexicon.Lexicon.topics`)."""
    audience: list[Intent] = field(default_factory=list)
    """Intents the question names as who the answer is for (:meth:`ae_coach.rules.lexicon.Lexicon.audience`)."""
    words: list[str] = field(default_factory=list)
    """The question's words and the rulebook words its synonyms bring (:func:`asked_words`): a Chinese
    question reaches the English rules' words through them."""
    mentioned: list[str] = field(default_factory=list)
    """Deal facts the question names (``close_date``, ``economic_buyer``, ``competitor``, ``new_person``)."""

    @property
    def intent(self) -> Intent | None:
        return self.intents[0][0] if self.intents else None


def language_of(text: str) -> str:
    """``zh`` when the question holds Chinese characters, else ``en``."""
    return "zh" if _HAN.search(text) else "en"


def retrieve(
    question: str,
    deal: Deal,
    assessment: Any,
    rulebook: Rulebook,
    lexicon: Lexicon,
    *,
    translation: Rulebook | None = None,
) -> Retrieval:
    """Rank the evidence for ``question`` about ``deal``.

    Args:
        translation: the rulebook in the question's language (same ids); a Chinese question is also
            matched against the Chinese rules' own words, not only through the lexicon's synonyms.
    """
    tokens = tokenize(question)
    facts = deal_facts(deal, assessment)
    mentioned = _mentioned(question, tokens, facts, deal, assessment.as_of)
    spelled = _spelled(question)
    intents = lexicon.match(_asked(spelled), mentioned, str(getattr(deal.stage, "value", deal.stage)))
    if intents and intents[0][0].answer == "advice" and _successor_named(tokens, facts):
        # a new signer named is the topic asked about, whatever their approval travels on; an answer of its own
        # shape (an email to write, a forecast to call) stays what was asked
        intents.sort(key=lambda item: "economic_buyer" not in item[0].named)
    words = asked_words(spelled, lexicon)
    query = list(words)
    for intent, _ in intents[:1]:  # the intent's own words reach rules written in the rulebook's words
        query += [t for p in intent.en[:3] for t in tokenize(p) if t not in query]
    if not intents:  # "who's Derek, does he matter?": about the person, so about what they do on the deal
        query += [
            t for f in _people_named(tokens, facts) if _committee_role(f) for t in _role_words(f) if t not in query
        ]
    dated = [
        t for t in _dated_words(question, facts, assessment.as_of) if t not in query
    ]  # the rules only: the facts are dated
    rules = [(h.rule.id, h.section, h.score) for h in rulebook.search(" ".join(query + dated), k=12, per_rule=1)]
    if translation is not None and translation is not rulebook and language_of(question) == "zh":
        rules = _merged(
            rules, [(h.rule.id, h.section, h.score) for h in translation.search(question, k=12, per_rule=1)]
        )
    # the account's own name says which deal, not what about it ("adventure works" is no question about work orders)
    account = set(tokenize(deal.account or ""))
    about = [t for t in query if t not in account]
    fact_scores = [
        s * _weight(f) for f, s in zip(facts, _bm25([tokenize(f.search) for f in facts], about), strict=True)
    ]
    ranked_facts = sorted(((f, s) for f, s in zip(facts, fact_scores, strict=True) if s > 0), key=lambda item: -item[1])
    codes = _codes(assessment.findings, query)
    known, unresolved = _known(question, tokens, deal, rulebook, lexicon, translation)
    return Retrieval(
        tokens,
        intents,
        rules,
        codes,
        ranked_facts,
        facts,
        unresolved,
        known,
        has_story(question),
        lexicon.topics,
        lexicon.audience(question),
        words,
        mentioned,
    )


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_ZH_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*月")


def asked_words(question: str, lexicon: Lexicon) -> list[str]:
    """The question's words, the rulebook words its synonyms bring, and the English name of a month it
    writes in Chinese ("明年 3 月" -> march): the record is in English and says "approved in March"."""
    words = lexicon.expand(question)
    months = [_MONTH_NAMES[int(m) - 1] for m in _ZH_MONTH.findall(question) if 1 <= int(m) <= 12]
    return words + [m for m in dict.fromkeys(months) if m not in words]


_ACRONYMS = ((re.compile(r"(?<![A-Za-z])MAPs?(?![A-Za-z])"), " mutual action plan "),)
"""Sales acronyms reps write in capitals, spelled out for the lexicon: "MAP" is the mutual action plan, where
"map" in lower case is a verb ("map every alternative", "map the buying committee"); a Chinese question writes it
between characters ("帮我做个MAP")."""


def _spelled(question: str) -> str:
    """``question`` with the capitalised acronyms of :data:`_ACRONYMS` spelled out."""
    for pattern, words in _ACRONYMS:
        question = pattern.sub(words, question)
    return question


PASTED_WORDS = 40
"""A question longer than this whose last paragraph is the ask carries pasted material (a note, an email)."""


def _asked(question: str) -> str:
    """The part of ``question`` that says what is asked: with material pasted above it (a rep's note, an
    email thread), the last paragraph; the material is evidence to search, not the kind of question, so a
    pasted note that mentions the forecast does not make "what does this show?" a forecast question."""
    paragraphs = [p for p in question.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2 or len(question.split()) <= PASTED_WORDS:
        return question
    last = paragraphs[-1]
    return last if len(last.split()) < len(question.split()) / 2 else question


def _merged(*ranked: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Hits from several rankings of the same rules, each rule once at its best score."""
    best: dict[str, tuple[str, str, float]] = {}
    for hits in ranked:
        for hit in hits:
            if hit[0] not in best or hit[2] > best[hit[0]][2]:
                best[hit[0]] = hit
    return sorted(best.values(), key=lambda hit: -hit[2])


_MONTHS = tuple(name[:3] for name in _MONTH_NAMES)
_DATES = re.compile(
    r"(?<!\d)(?:(?P<iso>\d{4}-\d{2}-\d{2})|(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"
    r"|(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})(?!\d))"
    r"|\b(?P<mon>" + "|".join(_MONTHS) + r")[a-z]*\.? (?P<md>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\bthe (?P<nth>\d{1,2})(?:st|nd|rd|th)\b|(?<![\d月/-])(?P<hao>\d{1,2})\s*[号日]"
    r"|\b(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day|tue|thu|fri)\b|(?:周|星期|礼拜)(?P<zwd>[一二三四五六日天])",
    re.IGNORECASE,
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZH_WEEKDAYS = "一二三四五六日"


def _mentioned(question: str, tokens: list[str], facts: list[Fact], deal: Deal, as_of: dt.date) -> list[str]:
    """Deal facts the question names: a competitor, the economic buyer, the close date."""
    out = []
    lowered = question.lower()
    if any(
        f.kind == "competitor" and f.name and re.search(rf"(?<![a-z]){re.escape(f.name.lower())}(?![a-z])", lowered)
        for f in facts
    ):
        out.append("competitor")
    if any(f.data.get("role") == "economic_buyer" for f in _people_named(tokens, facts)) or _successor_named(
        tokens, facts
    ):
        out.append("economic_buyer")
    if deal.close_date and (deal.close_date.month, deal.close_date.day) in _dates(question, as_of):
        out.append("close_date")
    if _new_person(lowered, deal):
        out.append("new_person")
    return out


_TITLE_WORD = re.compile(
    r"\b(?:the|their|a|an|new)\s+((?:[a-z&]+\s+){0,2}?(?:cto|cio|ciso|vp|svp|evp|director|head of [a-z]+|controller|"
    r"gm|general manager))\b"
)
"""A title introduced as someone ("the QA director", "their new CISO"), not one attached to a name ("Laura Kim,
CFO") or our own side ("our VP Sales", "my manager"). The signer's titles (CFO, CEO, president) are left to the
economic-buyer reading: "the CFO" is who signs far more often than someone new."""


def _new_person(question: str, deal: Deal) -> bool:
    """The question names a role or title nobody on the deal holds ("the QA director", "their CISO"): a person
    the deal has not met."""
    titles = " | ".join(f"{s.title or ''} {s.role}".lower() for s in deal.stakeholders)
    # the title with the words that qualify it ("qa director"): a deal with a finance director has no QA director
    return any(" ".join(m.group(1).split()) not in titles for m in _TITLE_WORD.finditer(question))


BUYERS_WORD = 1.1
"""How much more an exchange with the buyer counts than our own one-way touch matching the question as well: "sent
the DPA to Anouk" says what we did, "Anouk is buried in the NIS2 audit, no date" what stands."""


REPS_WORD = 0.8
"""How much the rep's own notes (the deal's notes, an activity logged as a note) count against the record's other
facts matching as well: "it's a black box to me" says what the rep fears, the buyer's email what stands."""


def _weight(fact: Fact) -> float:
    if fact.kind == "note" or (fact.kind == "activity" and fact.data.get("type") == "note"):
        return REPS_WORD
    return BUYERS_WORD if fact.kind == "activity" and fact.data.get("two_way") else 1.0


def _successor_named(tokens: list[str], facts: list[Fact]) -> bool:
    """The question names whoever the record says holds the office of someone who left ("the PO is with M. Okafor
    now"): a new signer, so a question about the economic buyer, not about the paper their approval travels on."""
    named = [
        str(f.data["succeeded_by"]).split("(")[0] for f in facts if f.kind == "person" and f.data.get("succeeded_by")
    ]
    return any(w.lower() in tokens for name in named for w in name_words(name) if len(w.rstrip(".")) > 1)


def _people_named(tokens: list[str], facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind == "person" and set((f.name or "").lower().split()) & set(tokens)]


def _committee_role(person: Fact) -> bool:
    """Anyone but the champion and the economic buyer, who have intents of their own: a question naming
    them without saying more is not about their role ("Nadia asked to split the payment")."""
    return person.data.get("role") not in ("champion", "economic_buyer")


def _role_words(person: Fact) -> list[str]:
    """A person's role and title in the rulebook's words ("technical_buyer", "Procurement Lead")."""
    return tokenize(f"{str(person.data.get('role') or '').replace('_', ' ')} {person.data.get('title') or ''}")


def _dated_words(question: str, facts: list[Fact], as_of: dt.date) -> list[str]:
    """The words of the deal's dated items (plan steps, the next step, meetings) on a date the question
    names: "what do I bring to the 9/23 meeting?" is about what the record says happens on 9/23."""
    named = _dates(question, as_of)
    return [
        t
        for f in facts
        if f.kind == "dated" and f.date and (f.date.month, f.date.day) in named
        for t in tokenize(f.text or "")
    ]


def _dates(text: str, as_of: dt.date | None = None) -> set[tuple[int, int]]:
    """(month, day) of every date written in ``text``: 2026-12-20, 12/20, 12月20日, 12 月 20 号, dec 20; with
    ``as_of`` also the next such day on or after it for a day of the month ("the 11th", "11 号") or of the
    week ("thursday", "周四")."""
    found = set()
    for match in _DATES.finditer(text):
        day = match.group("nth") or match.group("hao")
        weekday = match.group("wd") or match.group("zwd")
        if day or weekday:
            if as_of is not None:
                found.add(_next_day(as_of, int(day)) if day else _next_weekday(as_of, weekday))
            continue
        if match.group("iso"):
            _, month, day = match.group("iso").split("-")
            found.add((int(month), int(day)))
        elif match.group("m"):
            found.add((int(match.group("m")), int(match.group("d"))))
        elif match.group("cm"):
            found.add((int(match.group("cm")), int(match.group("cd"))))
        elif match.group("mon"):
            found.add((_MONTHS.index(match.group("mon").lower()[:3]) + 1, int(match.group("md"))))
    return found


def _next_day(as_of: dt.date, day: int) -> tuple[int, int]:
    if day >= as_of.day:
        return (as_of.month, day)
    return (as_of.month % 12 + 1, day)


def _next_weekday(as_of: dt.date, name: str) -> tuple[int, int]:
    target = _ZH_WEEKDAYS.index(name) if name in _ZH_WEEKDAYS else _WEEKDAYS.index(name.lower()[:3])
    if name == "天":
        target = 6
    date = as_of + dt.timedelta(days=(target - as_of.weekday()) % 7)
    return (date.month, date.day)


def _codes(findings: list[Finding], query: list[str]) -> list[tuple[str, float]]:
    fired = {f.code: f for f in findings}
    keys = list(FINDING_CODES)
    docs = []
    for code in keys:
        text = f"{code.replace('.', ' ').replace('_', ' ')} {FINDING_CODES[code]}"
        if code in fired:
            text += " " + fired[code].title + " " + " ".join(fired[code].evidence)
        docs.append(tokenize(text))
    scores = _bm25(docs, query)
    return sorted(((c, s) for c, s in zip(keys, scores, strict=True) if s > 0), key=lambda item: -item[1])


def _bm25(docs: list[list[str]], query: list[str], k1: float = 1.2, b: float = 0.75) -> list[float]:
    """BM25 scores of ``docs`` for ``query`` (small corpora built per question: a deal's facts, the catalogue)."""
    if not docs:
        return []
    n = len(docs)
    average = sum(len(d) for d in docs) / n or 1.0
    frequency = Counter(t for d in docs for t in set(d))
    terms = list(dict.fromkeys(query))
    scores = []
    for doc in docs:
        counts = Counter(doc)
        score = 0.0
        for term in terms:
            tf = counts.get(term, 0)
            if tf:
                idf = math.log(1 + (n - frequency[term] + 0.5) / (frequency[term] + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / average))
        scores.append(score)
    return scores


_VOCABULARY: dict[str, frozenset[str]] = {}


def _vocabulary(
    rulebook: Rulebook, lexicon: Lexicon, translation: Rulebook | None = None, *, chinese: bool = False
) -> frozenset[str]:
    """Every word the rulebooks, the lexicon and the finding catalogue know. Without ``chinese`` the
    lexicon's Chinese words are left out: an English question cannot hold them, and segmenting them would
    load the segmenter's dictionary, which costs more than the rest of an English answer."""
    books = [rulebook] if translation is None or translation is rulebook else [rulebook, translation]
    key = "+".join(b.content_hash or str(id(b)) for b in books) + ("+zh" if chinese else "")
    if key not in _VOCABULARY:
        if len(_VOCABULARY) > 4:
            _VOCABULARY.clear()  # a rulebook and its translation or two are enough
        words = {t for book in books for rule in book.rules for t in tokenize(f"{rule.title} {rule.body}")}
        phrases = [p for intent in lexicon.intents for p in (intent.phrasings if chinese else intent.en)]
        words |= {t for p in phrases for t in tokenize(p)}
        synonyms = [" ".join([w, *s]) for w, s in lexicon.synonyms.items() if chinese or not _HAN.search(w)]
        words |= {t for text in synonyms for t in tokenize(text)}
        words |= {t for code, text in FINDING_CODES.items() for t in tokenize(f"{code} {text}")}
        _VOCABULARY[key] = frozenset(words)
    return _VOCABULARY[key]


def _known(
    question: str,
    tokens: list[str],
    deal: Deal,
    rulebook: Rulebook,
    lexicon: Lexicon,
    translation: Rulebook | None = None,
) -> tuple[float, list[str]]:
    """The share of content words anything knows, and the names in the question nothing knows.

    A name is a capitalised word that does not start a sentence, in neither the deal's record nor the
    rulebook's or the lexicon's vocabulary ("Gong" on a deal that never mentions Gong).
    """
    record = deal.model_dump_json(by_alias=True).lower()
    record_words = set(tokenize(record))
    vocabulary = _vocabulary(rulebook, lexicon, translation, chinese=bool(_HAN.search(question))) | record_words
    content = [t for t in tokens if not t.isdigit()]
    known = sum(1 for t in content if t in vocabulary) / len(content) if content else 1.0
    names = []
    initials = {_initials(deal.account), _initials(deal.name or "")} - {""}  # "AW" for Adventure Works
    for match in _LATIN_NAME.finditer(question):
        word = match.group(0).rstrip("'s").rstrip("'")
        before = question[: match.start()].rstrip()
        if not before or before[-1] in ".!?。！？":
            continue  # a sentence's first word is capitalised anyway
        lowered = word.lower()
        if lowered in record or lowered in initials or any(t in vocabulary for t in tokenize(word)) or word in names:
            continue
        names.append(word)
    return known, names


def _initials(name: str) -> str:
    """The initials reps write for a multi-word name ("Adventure Works" -> "aw"); "" for one word."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name)]
    return "".join(w[0] for w in words).lower() if len(words) > 1 else ""
