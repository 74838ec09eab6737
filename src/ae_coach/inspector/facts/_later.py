"""The record's word that the deal cannot happen before a later month, read generally.

The readers in ``_timing`` each know one shape (a budget spoken for until a month, a body's next sitting, a
consent after the close date). New deals bring new shapes in new words, so this module reads the one thing they
share: a sentence of the recent record that sets a floor ("mid-February at the earliest", "the next one is on
3 February 2027", "not before the first week of February") or a hard block on the purchase with the month it lifts
("frozen until the 2027 operating plan is approved in March"), or a message that blocks the purchase and names a
later time, whoever wrote it: the buyer, or our own team about
a deliverable the buyer's process needs. A supposition ("if the committee defers, January"), a go-live, a person
away and an earlier sentence the record later lifts are not such a word.
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.inspector import text
from ae_coach.inspector.facts._model import ActivityFact

MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)"
)
MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}


FOREIGN_MONTHS = {
    # German (and the Austrian Jänner), Dutch, Spanish, French, Portuguese and Italian, as buyers' pasted emails write
    # them
    **dict.fromkeys(("januar", "jänner", "januari", "enero", "janvier", "janeiro", "gennaio"), 1),
    **dict.fromkeys(("februar", "feber", "februari", "febrero", "février", "fevereiro", "febbraio"), 2),
    **dict.fromkeys(("märz", "maart", "marzo", "mars", "março"), 3),
    **dict.fromkeys(("abril", "avril", "aprile"), 4),
    **dict.fromkeys(("mai", "mei", "mayo", "maio", "maggio"), 5),
    **dict.fromkeys(("juni", "junio", "juin", "junho", "giugno"), 6),
    **dict.fromkeys(("juli", "julio", "juillet", "julho", "luglio"), 7),
    **dict.fromkeys(("augustus", "agosto", "août"), 8),
    **dict.fromkeys(("septiembre", "setiembre", "septembre", "setembro", "settembre"), 9),
    **dict.fromkeys(("oktober", "octubre", "octobre", "outubro", "ottobre"), 10),
    **dict.fromkeys(("noviembre", "novembre", "novembro"), 11),
    **dict.fromkeys(("dezember", "diciembre", "décembre", "dezembro", "dicembre"), 12),
}
"""Month names in the other languages of the buyers' emails the record pastes, to their numbers."""


def month_ahead(number: int, said: dt.date) -> dt.date:
    """The first day of month ``number`` as said on ``said``: this year's from the month under way on, else next
    year's ("January", said in November, is next January)."""
    return dt.date(said.year if number >= said.month else said.year + 1, number, 1)


RECENT_DAYS = 60
"""How far back a floor is read (ae-coach default): an older word has usually been overtaken by the record."""

_FOREIGN = "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))
_ENGLISH = MONTH[1:-1].replace("|may|", "|(?<=\\d )may|(?<=\\d\\. )may|(?<=in )may|(?<=by )may|")
_WHEN = lazy(
    rf"\b({_FOREIGN}|{_ENGLISH})\b\.?(?:,? (20\d\d)\b)?|\b(q[1-4])(?: ?(20\d\d))?\b|\b(?:the )?(next|new) (?:calendar |fiscal |financial )?"
    r"year\b|\b(20\d\d)\b(?![-/.]\d)|(?:(20\d\d) ?年 ?|(明年))?([1-9]|1[0-2]|[一二三四五六七八九]|十[一二]?) ?月(?! ?\d)",
    re.IGNORECASE,
)
"""A time the sentence names: a month (with its year), a quarter, "next year", a bare year (not a date's year), a
Chinese month ("明年2月", "2027年3月"; not a day, "12月14日")."""
_FLOOR = lazy(
    r"(?P<either>\bat the (?:very )?earliest\b|\bnot before(?=\W*$)|\bfrühestens\b|\bop zijn vroegst\b|\bau plus tôt\b|\bal più presto\b|最早|"
    r"之前不(?:能|会|签)|以前不(?:能|会)|(?:以后|之后)才|才(?:能|会|开|签))|\bnon prima d[ie]\b|\b(?:plans?|planned|expects?|intends?|aims?) to (?:award|sign|decide|select|contract)\b|\bhasta (?:que|el|la|finales|principios|mediados)\b|\bjusqu'(?:à|au)\b|\bbis (?:zum|zur|ende|anfang|mitte)\b|不早于|要等到|推到|延到|\b(?:not|nothing|no one|nobody|no)\b[^.;]{0,60}?\b(?:before|until)\b|\bnot until\b|"
    r"\bno (?:sooner|earlier) than\b|\bonly\b[^.;]{0,25}?\b(?:then|after|once|when)\b|\bnicht vor\b|"
    r"\berst (?:im|am|ab|nach)\b|\bniet (?:voor|eerder dan)\b|\bno antes de\b|\bcomo (?:muy )?pronto\b|\bpas avant\b|"
    r"\bthe next (?:[\w-]+ ){0,2}?(?:one|meeting|sitting|session|window|slot|round|board|committee) is\b|"
    # the buyer's own word on when they sign: "Let's sign once the landing zone is live, so around April"
    r"\b(?:let'?s|we'?ll|we will|they'?ll|they will|i'?ll|i will) sign\b[^.;]{0,50}?\b(?:around|about|in|from|after)\b",
    re.IGNORECASE,
)
"""Words that set the first time anything can happen."""
_BLOCK = lazy(
    r"\b(?:frozen|on hold|paused|parked|suspended|held|on ice)\b[^.;]{0,80}?\b(?:until|pending)\b|"
    r"\b(?:park|parks|parked|parking|shelve|shelves|shelved|shelving)\b[^.;]{0,30}?\b(?:revisit|look at it again|"
    r"look again|come back to it|pick it up again|re-?open)\b",
    re.IGNORECASE,
)
"""A freeze on the purchase until something, or parked to be revisited later ("they'll park it and revisit in the new
financial year (April)"); a hard block on it is ``_HARD``."""
_NOT_A_FLOOR = lazy(
    r"^\W*(?:if|unless|otherwise|should|in case|what if)\b|^\W*without\b[^.;]*\bnext\b|\b(?:maybe|perhaps|possibly|probably|hopefully)\b|\bif (?:not|it slips|we miss|they defer)\b|"
    r"\b(?:go[- ]?live|goes live|live in|launch\w*|roll-?out|implementation|kick-?off|billing|invoic\w*|training|"
    r"seconded|on leave|parental|maternity|paternity|sabbatical|vacation|holiday|out of (?:the )?office|"
    r"renewal (?:is|date|comes|falls|due)|renews|expir\w*|price (?:valid|hold)|valid (?:to|until))\b|\?\s*$|[?？]\s*$|如果|假如|要是|上线|培训|"
    r"续约|到期|休假|报价有效|"
    # an invoice's own date in the buyer's language: "die erste Jahresrechnung nicht vor Juli 2027"
    r"\b(?:(?:jahres|ab|schluss|teil)?rechnung(?:en)?|factura|facture|fattura|faktura|factuur)\b|发票|账单",
    re.IGNORECASE,
)
"""What makes a later time something else's: a supposition, a question, the go-live or the training, a person
away, a term or price's own end date."""
_CLEARED = lazy(
    r"\b(?:lifted|unfrozen|released|cleared|resolved|received|granted|approved|signed|done|back on|no longer|"
    r"satisfied|fulfilled)\b",
    re.IGNORECASE,
)


def later_floor(
    activities: list[ActivityFact], notes: str | None, as_of: dt.date, after: dt.date
) -> tuple[dt.date, str] | None:
    """The first day the recent record allows the purchase, when a floor or a block it names falls after ``after``
    (the close date): that day and the sentence with its source; None when no such word stands.

    A two-way activity or a note of ours within ``RECENT_DAYS`` counts (an unanswered email of ours is no word);
    the deal's notes are read as of ``as_of``. A later activity that says the block was cleared ("the freeze is
    lifted") overrides it.
    """
    sources: list[tuple[dt.date, str, str | None]] = [
        (a.date, f"{a.date} {a.type}", a.summary) for a in recent(activities, as_of, RECENT_DAYS) if _a_word(a)
    ]
    sources.append((as_of, "notes", notes))
    found: list[tuple[dt.date, dt.date, str]] = []
    for said, where, body in sources:
        sentences = text.sentences(body)
        # a message with a hard block on the purchase dates it by the later time it names anywhere ("we cannot sign
        # the contract before the works agreement. The council meets on 21 January 2027.")
        at, block = next(
            (
                (i, s)
                for i, s in enumerate(sentences)
                if (_HARD.search(s) or _BLOCK.search(s)) and not (_SUPPOSED.search(s) or _FALLBACK.search(s))
            ),
            (-1, None),
        )
        if at > 0 and block and _UNTIL_THEN.search(block):
            # "… goes live at the end of March 2027. 'Until then … I will not approve a contract'": the block lasts
            # until the time the sentence before it names, whatever that time is of (a platform's go-live)
            before = sentences[at - 1]
            days = _later_days(list(_WHEN.finditer(before)), said, after, prefer_month=False)
            if days:
                quoted = " … ".join(text.quote(s.strip(), 160) for s in (before, block))
                found.append((said, min(days), f"{where}: {quoted}"))
                continue
        for sentence in sentences:
            if _NOT_A_FLOOR.search(sentence) or _FALLBACK.search(sentence):
                continue
            cues = [
                (m.span(), bool(m.groupdict().get("either")))
                for pattern in (_FLOOR, _BLOCK, _HARD)
                for m in pattern.finditer(sentence)
            ]
            # in a message that blocks the purchase, a sentence of its own gives the time when it names the step the
            # block waits on ("The council meets on 21 January 2027", "The review concludes on 13 February"), not any
            # month ("our fiscal year ends March 31")
            if not (cues or (block and _STEP_DATED.search(sentence))):
                continue
            here = sentence == block  # the block's own sentence dates it by any time it names ("Fino a febbraio …")
            # the time the floor or the block names: next to its words ("mid-February at the earliest", "not before
            # the first week of February"), not a month told in passing ("burned in October, not again until signed")
            named = [
                match
                for match in _WHEN.finditer(sentence)
                if here or not cues or any(_near(match.span(), cue, either) for cue, either in cues)
            ]
            later = _later_days(named, said, after, prefer_month=True)
            if later:
                words = [block] if block and block != sentence else []
                quoted = " … ".join(text.quote(s.strip(), 160) for s in [*words, sentence])
                found.append((said, min(later), f"{where}: {quoted}"))
                break  # the first sentence of a message that names the time: the buyer's own, before any summary
    if not found:
        return None
    said, day, source = max(found)
    return None if _cleared(activities, said, as_of, source) else (day, source)


def _later_days(matches: list[re.Match[str]], said: dt.date, after: dt.date, *, prefer_month: bool) -> list[dt.date]:
    """The first days after ``after`` that the time references name; with ``prefer_month``, a month named beside a bare
    year or "the new financial year" is when in it ("revisit in the new financial year (April)")."""
    dated = [(day, match) for match in matches if (day := _first_day(match, said)) is not None and day > after]
    months = [day for day, match in dated if not (match.group(5) or match.group(6))] if prefer_month else []
    return months or [day for day, _ in dated]


def _a_word(activity: ActivityFact) -> bool:
    """A two-way exchange, or a note of ours: an unanswered email of ours is no word on the deal."""
    return activity.two_way or activity.direction is None or activity.type == "note"


_STEP_DATED = lazy(
    r"\b(?:meets?|meeting|sits?|sitting|session|committee|board|council|window|review|objection|runs? (?:to|until)|"
    r"conclud\w*|ends? on|finish\w* on|decid\w*|vote|ballot|tagt|sitzung|vergadert|vergadering|se reúne|si riunisce|"
    r"roadmap|eta|expected|expects?|(?:take|run|last|go)s? (?:well )?into|available|nennt|geplant|verfügbar|previsto|prévu)\b|"
    r"开会|会议|审批|投票",
    re.IGNORECASE,
)
"""A sentence naming the step a block waits on, with its time: a sitting, a review's end, a window, the date the
missing thing is expected ("Ihr Produktmanagement nennt Q2 2027")."""
NEAR = 80
"""Characters between a floor's or a block's words and the time they name, at most (ae-coach default)."""


def _near(when: tuple[int, int], cue: tuple[int, int], either: bool) -> bool:
    """Whether a time reference is the one a floor's or a block's words name: at most ``NEAR`` characters after them
    ("not before the first week of February", "held until the steering committee meets in March"), or, for words
    that can follow their time ("February at the earliest", "PO in late January …, not before", ``either``), at
    most twice that before them."""
    after = cue[1] <= when[0] <= cue[1] + NEAR
    return after or (either and cue[0] - 2 * NEAR <= when[1] <= cue[0])


AHEAD_DAYS = 270
"""How far ahead a month named without a year is read as a floor (ae-coach default): "the October outage", said in
November, is last October, not next; a buyer setting a floor that far out names the year."""


CN_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(number: str) -> int | None:
    """A number written in digits or in Chinese ("12", "十二", "二十五", "两"); None for anything else."""
    if number.isdigit():
        return int(number)
    if number in CN_NUMBERS:
        return CN_NUMBERS[number]
    if "十" in number:  # 十五, 二十, 三十五: tens, then units
        tens, _, units = number.partition("十")
        return CN_NUMBERS.get(tens, 1) * 10 + CN_NUMBERS.get(units, 0)
    return None


def _first_day(match: re.Match[str], said: dt.date) -> dt.date | None:
    month, year, quarter, quarter_year, next_year, bare_year, zh_year, zh_next, zh_month = match.groups()
    if zh_month or month:
        # the pattern only takes 1-12 in digits or Chinese, or a month's name
        number = (
            (cn_number(zh_month) or 1) if zh_month else FOREIGN_MONTHS.get(month.lower()) or MONTHS[month.lower()[:3]]
        )
        named_year = int(year or zh_year or 0) or (said.year + 1 if zh_next else None)
        if named_year:
            return dt.date(named_year, number, 1)
        day = month_ahead(number, said)
        return day if (day - said).days <= AHEAD_DAYS else None
    if quarter:
        first = (int(quarter[1]) - 1) * 3 + 1
        if quarter_year:
            return dt.date(int(quarter_year), first, 1)
        return dt.date(said.year if first + 2 >= said.month else said.year + 1, first, 1)
    if next_year:
        return dt.date(said.year + 1, 1, 1)
    return dt.date(int(bare_year), 1, 1) if bare_year else None


CONDITION_DAYS = 45
"""How far back a buyer's hard condition on the purchase is read (ae-coach default)."""
_UNTIL_THEN = lazy(
    r"^\W*(?:until|till|up to) then\b|^\W*(?:bis dahin|hasta entonces|jusque-là|fino ad allora|tot dan|até lá)\b|"
    r"^\W*(?:在此之前|在那之前|到那之前)",
    re.IGNORECASE,
)
"""A block that lasts until the time the sentence before it names ("Until then I will not approve a contract")."""
_NO_X_NO_DEAL = r"\bno (?:[\w'-]+ ){0,2}?[\w'-]+,? no (?:deal|contract|order|po|purchase|signature|project)\b"
"""The buyer's condition as its two branches ("no grant, no deal this year")."""
_FALLBACK = lazy(
    rf"{_NO_X_NO_DEAL}|\b(?:would|we'?d|they'?d|she'?d|he'?d) (?:then )?(?:reconsider|revisit|look (?:at it )?again|"
    r"re-?evaluate|come back to it)\b",
    re.IGNORECASE,
)
"""A sentence that gives what happens if the condition fails ("no grant, no deal this year … would reconsider in
2027's capital round"): its later time is the failing branch, not a floor under the purchase."""
_HARD = lazy(
    r"\b(?:cannot|can ?not|can'?t|won'?t|will not|(?:not|never) (?:be )?(?:able|allowed) to|unable to) (?!need\b)(?:\w+ ){0,2}?"
    r"(?:sign|countersign|release|issue|approve|award|place|raise|table|submit|proceed|take|bring|present|commit|buy|"
    r"purchase|order)\w*\b(?:[^.;]{0,25}?\b(?:contract|order(?: form)?|po|purchase"
    r" order|agreement|purchase|anything|it|this|deal)\b|[^.;]{0,40}?\b(?:until|before|without|unless)\b)|"
    r"\bno (?:contract|order|po|purchase order|signature|agreement)s? (?:can|will|is|gets)\b|"
    r"\b(?:contract|proposal|order(?: form)?|po|agreement|quote|offer)s? (?:cannot|can ?not|can'?t|won'?t|will not) "
    r"(?:be (?:signed|issued|approved|accepted|awarded|finali[sz]ed)|(?:go|be made) final)\b|"
    r"\bbefore (?:i|we|they|she|he) can (?:sign|put|table|submit|award|issue|approve|release)\b[^.;]{0,120}?\b(?:need|"
    r"require|must)\b|\b(?:unterzeichnung|unterschrift|vertragsabschluss|bestellung)\b[^.;]{0,60}?\bnicht (?:möglich|"
    r"zulässig|erlaubt|gestattet)\b|\b(?:goes|go|going|has to go|needs to go) back (?:to|through) (?:the )?[\w -]{0,30}?\b(?:committee|"
    r"board|council|exco|cfo)\b|"
    r"\bnothing (?:gets|can|will) (?:be )?sign\w*|\bnothing (?:goes|is sent|gets sent|will go|can go) (?:out )?(?:for|to) "
    r"(?:signature|signing|sign-?off)\b|\b(?:not|non)-?negotiable\b|\bno exception\w*\b|"
    r"(?:不能|不会|无法|不可以)(?:签|下单|发合同|出合同|采购)|没有例外|\bnon (?:possiamo|possono|si può) (?:firmare|ordinare)\b|"
    r"\b(?:needs?|requires?|must|wants?)\b[^.;]{0,100}?\bbefore (?:the |they |we |she |he )?(?:signature|signing|sign|"
    r"countersign\w*|contract signature)\b|"
    r"\bnicht (?:unterzeichnen|unterschreiben|zeichnen|freigeben|bestellen|beauftragen)\b|\bniet (?:ondertekenen|tekenen|vrijgeven)\b|"
    r"\bno (?:podemos|puedo|se puede|vamos a) (?:firmar|aprobar|emitir)\b|\bne (?:pouvons|peut|pourrons) pas (?:signer|"
    r"valider|émettre)\b|\bnão (?:podemos|pode|vamos) (?:assinar|aprovar)\b|\bvóór (?:contract)?ondertekening\b|"
    # "no grant, no deal this year"; "must be on the approved register at the date of contract"; "the board approved
    # the project subject to the grant conditions" (not the lawyers' "subject to contract")
    rf"{_NO_X_NO_DEAL}|"
    r"\bmust (?:be|have)\b[^.;]{0,80}?\b(?:at|by|on) the (?:date|time|day) of (?:the )?(?:contract|signature|signing|"
    r"award|order)\b|\b(?:approved|agreed|signed off|accepted|sanctioned)\b[^.;]{0,40}?\bsubject to\b(?! contract\b)",
    re.IGNORECASE,
)
"""The buyer's hard condition on the purchase: "nothing gets signed with an open High", "we are not able to issue
the contract before the no-objection letter", "no exception"."""


def _cleared(
    activities: list[ActivityFact], said: dt.date, as_of: dt.date, blocked: str, done: tuple[str, ...] = ()
) -> bool:
    """Whether a two-way exchange after ``said`` says the thing ``blocked`` names was cleared: a clearing word in a
    sentence that shares a word of the block ("the scorecard is published", "the DPO approved the DPIA"), not any
    later "received" or "done" ("Received the slides, thanks"); or a step of the buyer's plan done since that names
    it (``done``: "Security confirms clause 14.2 (ISO certificate)" for "subject to the ISO certificate")."""
    named = {w for w in _WORD.findall(blocked.lower()) if w not in _COMMON}
    # a plan step clears the condition only by naming what it waits on ("subject to the ISO certificate"), not any
    # word of the sentence ("Birgitte signs the NDA" for Birgitte's condition)
    waits_on = _WAITS_ON.split(blocked.lower())[-1] if _WAITS_ON.search(blocked) else ""
    wanted = {w for w in _WORD.findall(waits_on) if w not in _COMMON}
    if wanted and any(wanted & set(_WORD.findall(step.lower())) for step in done):
        return True
    return any(
        text.find(_CLEARED, sentence) and not _PROVISO.search(sentence) and named & set(_WORD.findall(sentence.lower()))
        for a in recent(activities, as_of, (as_of - said).days)
        if a.date > said and a.two_way
        for sentence in text.sentences(a.summary)
    )


_WAITS_ON = lazy(r"\b(?:subject to|until|unless|without|before|once|pending|conditional (?:on|upon))\b", re.IGNORECASE)
"""The words after which a condition names what it waits on."""
_PROVISO = lazy(
    r"\b(?:subject to|conditional (?:on|upon)|provided (?:that )?|on condition)\b(?! contract\b)", re.IGNORECASE
)
"""A clearing that sets its own condition ("approved subject to the grant conditions") clears nothing yet."""
_WORD = lazy(r"[^\W\d_]{3,}")
_COMMON = {
    *("the", "and", "our", "new", "for", "with", "from", "that", "this", "they", "them", "their", "there", "have"),
    *("has", "was", "are", "will", "not", "all", "any", "but", "can", "yet", "now", "its", "you", "your", "which"),
    *("would", "could", "should", "about", "before", "after", "until", "email", "call", "meeting", "said", "says"),
}
"""Words too common to tie a clearing sentence to the block it clears."""


def recent(activities: list[ActivityFact], as_of: dt.date, days: int) -> list[ActivityFact]:
    """The activities with a summary of the ``days`` up to ``as_of``, oldest first."""
    return [a for a in activities if a.summary and a.date <= as_of and (as_of - a.date).days <= days]


def open_condition(
    activities: list[ActivityFact], as_of: dt.date, done: list[tuple[dt.date, str]] | None = None
) -> str | None:
    """The buyer's latest hard condition on the purchase in a two-way exchange of the last ``CONDITION_DAYS``,
    when no later two-way exchange says it was cleared: the sentence with its source. A supposition or a
    question is no condition. Commit waits until the condition is met (``pipeline-commit-gate``: the buyer's
    process known and clear). ``done``: the buyer's plan steps marked done, with their dates."""
    for activity in reversed(activities):
        if not activity.two_way or not activity.summary or activity.date > as_of:
            continue
        if (as_of - activity.date).days > CONDITION_DAYS:
            break
        # the last such sentence: a pasted email in another language is usually followed by the rep's summary of it
        for sentence in reversed(text.sentences(activity.summary)):
            if _HARD.search(sentence) and not _SUPPOSED.search(sentence):
                since = tuple(step for day, step in done or () if activity.date < day <= as_of)
                if _cleared(activities, activity.date, as_of, sentence, since):
                    return None
                return f"{activity.date} {activity.type}: {text.quote(sentence.strip(), 160)}"
    return None


_SUPPOSED = lazy(
    r"^\W*(?:if|unless|otherwise|should|in case|what if)\b|\bwhether\b|[?？]\s*$|^\W*(?:如果|假如|要是)", re.IGNORECASE
)
"""A supposition or a question ("If the DPO objects, we cannot sign", "whether we can sign before …"): no condition
set. A condition that names its own terms ("nothing gets signed if the High is open") stays one."""


_NO_DATE = lazy(
    r"\bno (?:\w+ )?(?:date|dates|timeline|timeframe|slot)\b|\bnot (?:yet )?(?:been )?(?:dated|scheduled|set|booked|fixed)\b|"
    r"\b(?:can(?:'?t|not)|could(?:n'?t| not)|won'?t) (?:say|tell)(?: (?:when|how long)\b|,|\s*$)|\bit depends on\b|"
    r"\b(?:can(?:'?t|not)|could(?:n'?t| not)) give (?:us |me |you )?a (?:date|timeline)\b|"
    r"\bundated\b|\bmaybe\b[^.;]{1,40}\bmaybe\b|\bno idea when\b|\b(?:date )?(?:tbd|tbc)\b|\bwithout a date\b|"
    r"\b(?:can'?t|cannot|couldn'?t|won'?t) (?:say|tell|commit to) when\b|"
    # what the decision waits on has no date yet: "won't sign anything until they give us a firm go-live", "they
    # will confirm a new date in the coming weeks"
    r"\b(?:until|till|before|once) (?:they|we|you|she|he|it) (?:give|gives|have|has|get|gets|set|sets|confirm|confirms) "
    r"(?:us |you |them |me )?(?:a |the )?(?:firm|new|confirmed|fixed) (?:date|go-?live|launch date|start date)\b|"
    r"\bwill confirm (?:a |the )?new (?:date|go-?live)\b",
    re.IGNORECASE,
)
"""Words saying a step has no date."""
_DECIDING = lazy(
    r"\b(?:committee|board|bod|exco|steering|council|approv\w*|decision|decid\w*|sign\w*|award\w*|vote|ringi|readout|"
    r"read-out|consultation|go-?ahead)\b",
    re.IGNORECASE,
)
"""Words naming the decision or the body that takes it."""
_DATED = lazy(
    rf"\b\d{{1,2}}[./-]\d{{1,2}}\b|\b20\d\d-\d\d-\d\d\b|\b{MONTH} \d{{1,2}}\b|\b\d{{1,2}}\.? {MONTH}\b", re.IGNORECASE
)
"""A day written in a sentence (a later word that dates the decision)."""


def undated_decision(activities: list[ActivityFact], notes: str | None, as_of: dt.date) -> str | None:
    """The recent record's word that the decision, or the body that takes it, has no date ("BOD date not set yet",
    "Linda decides after the readout, no date for that yet", "Steering committee not yet scheduled"), when no later
    two-way word names that step with a day: the sentence with its source. Not who signs ("who signs - TBC"), not a
    supposition. No dated decision process, so not best case (``pipeline-forecast-categories``)."""
    sources: list[tuple[dt.date, str, str | None]] = [
        (a.date, f"{a.date} {a.type}", a.summary) for a in recent(activities, as_of, CONDITION_DAYS) if _a_word(a)
    ]
    for said, where, body in [*reversed(sources), (as_of, "notes", notes)]:
        lines = text.sentences(body)
        for at, sentence in enumerate(lines):
            # the missing date and the decision in one clause ("kick-off not scheduled yet" after "order form
            # signed" is no undated decision), or the no-date clause right after the decision's ("… will advise
            # whether a consultation is needed and how long; she could not say"), not a decision already taken, not
            # who signs, not a supposition
            clause = _undated_clause([*lines[at - 1 : at][-1:], *_CLAUSES.split(sentence)])
            if clause is None or _TAKEN.search(clause) or _WHO.search(sentence) or _SUPPOSED.search(sentence):
                continue
            body_word = {w.lower() for w in _DECIDING.findall(clause)}
            later = [a for a in activities if said < a.date <= as_of and a.two_way]
            if any(
                body_word & {w.lower() for w in _DECIDING.findall(line)} and _DATED.search(line)
                for a in later
                for line in text.sentences(a.summary)
            ):
                return None  # a later word names that step with its day
            return f"{where}: {text.quote(sentence.strip(), 160)}"
    return None


def _undated_clause(clauses: list[str]) -> str | None:
    """The clause that says the decision has no date: one naming both, or a no-date clause that refers back to a
    decision in the clause before it ("Linda decides after the readout, no date for that yet")."""
    for i, clause in enumerate(clauses):
        if not _NO_DATE.search(clause):
            continue
        if _DECIDING.search(clause):
            return clause
        # refers back ("no date for that yet"), or is a short clause of its own after it ("she could not say")
        if i and _DECIDING.search(clauses[i - 1]) and (_BACK.search(clause) or len(clause.split()) <= 9):
            return f"{clauses[i - 1]}, {clause}"
    return None


_BACK = lazy(r"\b(?:for (?:that|it|this|them)|its|their)\b", re.IGNORECASE)
"""Words that refer a no-date clause back to the decision before it."""
_CLAUSES = lazy(r"[,;:–—]\s+|\s+-\s+")
_TAKEN = lazy(r"\b(?:approved|signed|decided|awarded|done|agreed)\b", re.IGNORECASE)


_WHO = lazy(r"\bwho\b", re.IGNORECASE)
