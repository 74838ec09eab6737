"""Rule text fitted to one deal: placeholders filled, stage words that no longer fit, who a question is for.

Rules are written for every deal; a report is read about one. These helpers make the rules' own words
read right for the deal in front of the manager without paraphrasing them: a "[economic buyer]"
placeholder becomes the person the deal names (or a neutral phrase, never the bracket), and "Ask in
scoping…" at proposal becomes "Ask now…". What a step is for and when it applies is not read from its
wording: the rule file says it (:mod:`ae_coach.rules.markers`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ae_coach._patterns import lazy
from ae_coach.coach._people import paper_titled, person_in_role
from ae_coach.coach._situation import (
    NUMBER,
    ally,
    burden,
    last_move,
    signer_review,
    source_of,
    spend_line,
)
from ae_coach.deal import STAGE_ORDER, Stage
from ae_coach.i18n import t, term
from ae_coach.inspector.facts import named_case, named_signer
from ae_coach.rules.glossary import shipped_glossary
from ae_coach.rules.markers import PLACEHOLDERS

if TYPE_CHECKING:
    from ae_coach.deal import Deal
    from ae_coach.findings import Finding

REVIEW_PREFIX = "Deal review:"
"""Rules mark questions a manager asks the AE (not the buyer) with this prefix."""

_NEUTRAL = {
    "economic buyer": "the budget holder",
    "champion": "your champion",
    "technical buyer": "the technical lead",
    "competitor": "the other vendor",
}
"""What a placeholder becomes when the deal names nobody for it: a phrase that still reads as a sentence."""

_NAME_FALLBACK = {
    "momentum.late_stakeholder": "new_stakeholder",
    "momentum.pending_internal_review": "taken_to",
    "momentum.champion_dark": "taken_to",
}
"""What ``[name]`` becomes when the finding names nobody: a key of ``coach.neutral`` in the catalogue."""
_PLACEHOLDER = lazy(rf"\[({'|'.join(PLACEHOLDERS)})\]", re.IGNORECASE)
_SPACED_HAN = lazy(r"(?<=[\u4e00-\u9fff，。；：“”（）]) ?([\u4e00-\u9fff]+) ?(?=[\u4e00-\u9fff，。；：“”？（）])")
_ROLE_OF = {"economic buyer": "economic_buyer", "champion": "champion", "technical buyer": "technical_buyer"}

_STAGES = "discovery|scoping|validation|proposal|closing"
_IN_STAGE = lazy(
    # "Ask in scoping who…", "directly in discovery;", "during closing:" but not "invest in discovery and
    # pain quantification", where the stage is the work itself rather than a moment
    rf"\b(?:in|during) (?:the first )?({_STAGES})(?: or ({_STAGES}))?(?: call| meeting)?\b(?! and\b)",
    re.IGNORECASE,
)
_TO_ROLE = lazy(r"^To (?:the |your )?([a-z ]+?):\s*", re.IGNORECASE)


def fill(text: str, deal: Deal, finding: Finding | None = None) -> str:
    """Replace ``[economic buyer]``, ``[champion]``, ``[technical buyer]``, ``[competitor]`` and ``[name]``
    with the deal's people and competitors; ``[source]`` with who said what the finding quotes, ``[missing
    role]`` with the committee role the deal lacks, ``[case]`` with the document the record already shows
    ("the deck"), ``[paper owner]`` with the buyer's legal or procurement person, ``[owed]`` with what the
    buyer waits on from us (:func:`owed_words`), ``[previous signer]`` with the signer who backed the deal and has
    since handed the signature over, ``[open point]`` with the clause in dispute in the record's words
    (``timing.open_point``), ``[ally]`` with who on their side signed off a result on record (:func:`ally`) and
    ``[own numbers]`` with the buyer's figures the record gives (:func:`own_numbers`), ``[spend line]`` with the money
    line of their process the deal is above (:func:`spend_line`); a neutral phrase when the
    deal does not say."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        if key == "source":
            said = said_by(finding, deal) if finding is not None else None
            return said or t("coach.neutral.source")
        if key == "missing role":
            return _missing_role(deal, finding)
        if key == "case":
            return case_words(named_case(deal, deal.as_of or dt.date.today()))
        if key == "owed":
            return owed_words(finding)
        if key == "previous signer":  # the signer who backed the deal and has since handed over
            previous = finding.data.get("handed_over") if finding is not None else None
            return str(previous) if previous else t("coach.neutral.previous signer")
        if key in ("successor", "departed signer"):  # who holds the office of the signer who left, and who left
            who = finding.data.get("successor" if key == "successor" else "departed") if finding is not None else None
            return str(who) if who else t(f"coach.neutral.{key}")
        if key == "open point":
            point = finding.data.get("point") if finding is not None else None
            return t("coach.open_point", point=point) if point else t("coach.neutral.open point")
        if key == "ally":
            return _ally_words(finding, deal)
        if key == "newcomer":  # who the champion is taking us to, as the record names them ("the QA director")
            newcomer = finding.data.get("newcomer") if finding is not None else None
            return _newcomer_words(str(newcomer), deal) if newcomer else t("coach.neutral.newcomer")
        if key == "their next review":  # the buyer's dated step that takes the case to whoever signs
            review = signer_review(deal, deal.as_of or dt.date.today())
            if review is None:
                return t("coach.neutral.their next review")
            return t("coach.next_review", action=_cut(" ".join(review[1].split()), 60), date=review[0])
        if key == "plan step":  # the buyer's next dated step before the signature (positive.plan_step_ahead)
            ahead = finding is not None and finding.code == "positive.plan_step_ahead"
            step = finding.data.get("step") if ahead and finding is not None else None
            if finding is None or not step:
                return t("coach.neutral.plan step")
            return t("coach.plan_step", action=_cut(" ".join(str(step).split()), 40), date=finding.data.get("date"))
        if key == "news":  # what happened at the buyer's company, by its kind ("the reorganisation")
            kind = (
                finding.data.get("kind") if finding is not None and finding.code == "momentum.company_event" else None
            )
            return t(f"coach.news.{kind}", default=t("coach.neutral.news")) if kind else t("coach.neutral.news")
        if key == "pain on record":
            return _pain_words(deal)
        if key == "last move":
            return _last_move_words(deal)
        if key == "spend line":
            line = spend_line(deal)
            return t("coach.spend_line", amount=line[0], said=line[1]) if line else t("coach.neutral.spend line")
        if key == "own numbers":
            numbers = own_numbers(deal)
            return t("coach.own_numbers", numbers=numbers) if numbers else t("coach.neutral.own numbers")
        if key == "paper owner":
            person = paper_titled(deal, term_open=bool(finding and finding.data.get("open")))
            return person.name if person else t("coach.neutral.paper owner")
        if key in _ROLE_OF:
            person = person_in_role(deal, _ROLE_OF[key])
            return person.name if person else t(f"coach.neutral.{key}", default=_NEUTRAL[key])
        if key == "competitor":
            return _competitor(deal, finding) or t(f"coach.neutral.{key}", default=_NEUTRAL[key])
        fallback = _NAME_FALLBACK.get(finding.code if finding else "", "someone")
        return _name(finding) or t(f"coach.neutral.{fallback}")

    filled = _PLACEHOLDER.sub(replace, text)
    # A Chinese rule writes spaces around its English placeholders; around Chinese words they do not belong.
    return _SPACED_HAN.sub(lambda m: m.group(1), filled) if filled != text else filled


_SENTENCE_END = lazy(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.;!?])\s+|(?<=[。；！？])")
"""Where a line of evidence breaks into sentences: after a stop followed by a space (never inside "2.5" or after
"e.g."), or after a Chinese stop."""
_OWN_NUMBERS = 110
"""Characters of the buyer's figures an action quotes (ae-coach default): a line of evidence, not a note."""
_MONEY = lazy(
    r"(?:\b(?:USD|EUR|GBP|PLN|CHF|SEK|NOK|DKK|ISK|AUD|NZD|CAD|SGD|HKD|JPY|CNY|RMB|INR|ZAR|BRL|MXN|AED|SAR|QAR|THB|"
    r"MYR|IDR|PHP|VND|KRW|TRY|MAD|EGP|NGN|KES)|[$€£¥])\s?\d|\d(?:[.,]\d+)?\s?(?:m|bn|million|billion)\b"
    r"|\d\s?(?:万|亿|天|个月|小时|周|人|%)"
)
"""A sum or a count the way the record writes it ("PLN 3.1M", "€240k", "3.1 million", "310 万", "9 天"), beside
:data:`NUMBER`; a standard's number ("ISO 27001", "SOC 2") is none."""
_NOT_THEIRS = lazy(
    r"\bbenchmark|\bindustry (?:average|standard)|\bcase stud|\b(?:we|our|us)\b|\bvendor\b|\brep estimate"
    r"|行业基准|行业平均|我们|我方|案例",
    re.IGNORECASE,
)
"""A sentence whose figure is not the buyer's: an industry benchmark, another customer's case study, our quote or
the rep's estimate."""


def own_numbers(deal: Deal) -> str | None:
    """The buyer's own figures as the metric's evidence, else the pain's, gives them ("Manual temperature logs 2.5
    FTE per plant; 2 product recalls in 2025 cost PLN 3.1M"): the whole line when it is short and all the buyer's,
    else its first such sentence with a figure, cut at a word. Never a sentence that is a benchmark, a case study,
    our own quote or the rep's estimate (:data:`_NOT_THEIRS`)."""
    m = deal.meddpicc
    for element in (m.metrics, m.identified_pain):
        line = " ".join((element.evidence or "").split())
        parts = [p.rstrip(" ,;:；，") for p in _SENTENCE_END.split(line) if p.strip()]
        theirs = [p for p in parts if _figure(p) and not _NOT_THEIRS.search(p)]
        if not theirs:
            continue
        whole = len(line) <= _OWN_NUMBERS and not any(_NOT_THEIRS.search(p) for p in parts)
        return _cut(line.rstrip(" ,;:；，") if whole else theirs[0], _OWN_NUMBERS)
    return None


def _newcomer_words(newcomer: str, deal: Deal) -> str:
    """A stakeholder by name as written; otherwise the office the record names ("QA Director" -> "the QA
    Director"): the introduction finding keeps the newcomer's title when the record gives no name."""
    if any(newcomer == s.name for s in deal.stakeholders):
        return newcomer
    return t("coach.newcomer_office", office=newcomer)


def _pain_words(deal: Deal) -> str:
    """``[pain on record]``: the latest words on record for what the pain costs them in time ("“audit prep takes
    weeks”"), else the rep's note on the pain when it says something, quoted; a neutral phrase when neither does."""
    said = burden(deal, deal.as_of or dt.date.today())
    note = " ".join((deal.meddpicc.identified_pain.evidence or "").split())
    if said is None and note:
        said = t("coach.quoted", text=_cut(re.split(r"[;；。]|\.\s", note, maxsplit=1)[0].strip(), 60))
    return said or t("coach.neutral.pain on record")


def _last_move_words(deal: Deal) -> str:
    """``[last move]``: "on 2026-10-29, to 2026-11-15, when the buyer's last word was on 2026-10-05 ("Greta wants to
    wait for the reorg to settle")"."""
    from ae_coach.inspector.facts import derive

    moved = last_move(derive(deal, deal.as_of or dt.date.today()))
    if moved is None:
        return t("coach.neutral.last move")
    move, last = moved
    if last is None:
        return t("coach.last_move_silent", date=move.date, to=move.after)
    said = _cut(" ".join((last.summary or "").split()), 80)
    return t("coach.last_move", date=move.date, to=move.after, last=last.date, said=said)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, or anywhere in a text with no spaces (Chinese)."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit - 1)
    return (text[:space] if space > 0 else text[: limit - 1]).rstrip(",;:，；") + "…"


def _ally_words(finding: Finding | None, deal: Deal) -> str:
    """``[ally]``: "Eli Novak (CTO), who signed off on 2026-10-01 ("Pilot completed and signed off by the CTO"),"."""
    vouches = ally(finding, deal)
    if vouches is None:
        return t("coach.neutral.ally")
    colleague, activity = vouches
    title = t("coach.ally_title", title=colleague.title) if colleague.title else ""
    said = _cut(" ".join((activity.summary or "").split()), 80)
    return t("coach.ally", name=colleague.name, title=title, date=activity.date, said=said)


def _figure(text: str) -> bool:
    return bool(NUMBER.search(text) or _MONEY.search(text))


def owed_words(finding: Finding | None) -> str:
    """What the buyer waits on from us (``positive.buyer_waiting``) as the record names it: "the one-pager they
    are waiting on, by 2026-12-04", else what is owed from the day it was asked (the action quotes the ask)."""
    data = finding.data if finding is not None else {}
    thing = data.get("thing")
    owed = t("coach.owed.thing", thing=thing) if thing else t("coach.owed.asked", asked=data.get("asked") or "")
    return t("coach.owed.due", owed=owed, due=data["due"]) if data.get("due") else owed


def case_words(case: str | None) -> str:
    """The document the record names ("deck") as an action says it ("the deck" / 演示材料)."""
    return t(f"coach.case.{(case or 'other').lower()}", default=t("coach.case.other"))


_ROLE_PRIORITY = ("economic_buyer", "technical_buyer", "champion", "user_buyer")


def _missing_role(deal: Deal, finding: Finding | None) -> str:
    """The committee role to be introduced to: the finding's first missing role, the signer before the others
    ("the CFO, who signs" when the record names the office) unless the record names who holds the office of a
    signer who left, or a neutral phrase."""
    missing = finding.data.get("missing") if finding is not None else None
    if not isinstance(missing, list):
        missing = [r for r in _ROLE_PRIORITY[:2] if person_in_role(deal, r) is None]
    ranked = sorted(missing, key=lambda r: _ROLE_PRIORITY.index(r) if r in _ROLE_PRIORITY else len(_ROLE_PRIORITY))
    # a champion is developed from the people you already talk to, never someone to be introduced to ("ask Ivy to
    # introduce you to your champion" when Ivy is the candidate): the signer, when nobody has named one, instead
    ranked = [r for r in ranked if r != "champion"] or (
        ["economic_buyer"] if "champion" in ranked and person_in_role(deal, "economic_buyer") is None else []
    )
    successor = finding.data.get("successor") if finding is not None else None
    if successor:
        # the signer on record left and the record names who holds the office: the other roles are the unknowns,
        # and when the signer is the only one, it is whoever holds the office now
        ranked = [r for r in ranked if r != "economic_buyer"]
        if not ranked:
            return str(successor)
    if not ranked:
        return t("coach.neutral.missing role")
    if ranked[0] == "economic_buyer" and (office := named_signer(deal)):
        return t("coach.neutral.signer_office", office=office)
    return t(f"coach.neutral.{ranked[0].replace('_', ' ')}", default=term(ranked[0]))


def said_by(finding: Finding, deal: Deal) -> str | None:
    """Who said what the finding quotes: the speaker the inspector read, else the person the quote names."""
    said = finding.data.get("said_by")
    if isinstance(said, str):
        return said
    person = source_of(finding, deal)
    return person.name if person is not None else None


def _competitor(deal: Deal, finding: Finding | None) -> str | None:
    names = [c.name for c in deal.competitors]
    named = (
        finding.data.get("names") if finding is not None and finding.code.startswith("momentum.competitor") else None
    )
    if isinstance(named, list) and named and "unnamed" not in str(named[0]):
        return str(named[0])  # the rival the finding is about, listed or only named in the record ("Pronto Field")
    if finding is not None:
        for line in finding.evidence:  # the competitor the finding is about (e.g. the one added late)
            for name in names:
                if name in line:
                    return name
    return names[-1] if names else None


def _name(finding: Finding | None) -> str | None:
    if finding is None:
        return None
    names = finding.data.get("names") or finding.data.get("taken_to")  # the people it is about, else taken to
    return names[0] if isinstance(names, list) and names else None


def _stage(stage: Any) -> Stage:
    return stage if isinstance(stage, Stage) else Stage(str(stage))


def fit_stage(step: str, stage: Any) -> str:
    """'Ask in scoping who owns…' at proposal -> 'Ask now who owns…': the time for it has passed, not the need."""
    current = STAGE_ORDER[_stage(stage)]

    def replace(match: re.Match[str]) -> str:
        named = [STAGE_ORDER[Stage(g.lower())] for g in match.groups() if g]
        return "now" if max(named) < current else match.group(0)

    def replace_zh(match: re.Match[str]) -> str:
        return "现在就开始" if STAGE_ORDER[_ZH_STAGES[match.group(1)]] < current else match.group(0)

    return _IN_STAGE_ZH.sub(replace_zh, _IN_STAGE.sub(replace, step))


_ZH_STAGES = {
    "需求挖掘": Stage.DISCOVERY,
    "方案范围界定": Stage.SCOPING,
    "价值验证": Stage.VALIDATION,
    "方案提报": Stage.PROPOSAL,
    "成交收尾": Stage.CLOSING,
}
_IN_STAGE_ZH = lazy(r"从(需求挖掘|方案范围界定|价值验证|方案提报|成交收尾)阶段就开始")
"""The Chinese rules' "从方案范围界定阶段就开始" ("start in scoping"): at a later stage, "start now"."""


def parse_question(raw: str) -> tuple[str, str | None]:
    """A rule's question bullet -> (question text, audience).

    The audience is ``"ae"`` for a ``Deal review: "…"`` bullet (a manager's question to the AE), a
    committee role for ``To the economic buyer: "…"``, else ``None`` (the buyer contact for the finding).
    """
    text, audience = shipped_glossary().english_prefix(raw.strip()), None
    if text.startswith(REVIEW_PREFIX):
        text, audience = text.removeprefix(REVIEW_PREFIX).strip(), "ae"
    else:
        match = _TO_ROLE.match(text)
        if match and text[match.end() :].startswith(('"', "“")):
            audience = match.group(1).strip().lower().replace(" ", "_")
            text = text[match.end() :]
    return text.strip().strip('"“”').strip(), audience


_OPENER = lazy(r"^(?:When|If|Once|Whenever) [^,;:]{3,120}, (?=[a-z])|^[^，。；]{2,40}(?:时|后)，")


def drop_condition(text: str, answers_its_own_condition: bool) -> tuple[str, bool]:
    """'When a budget concern appears after the proposal, ask what changed…' -> 'Ask what changed…'.

    Only for a step whose ``{when}`` names the finding it answers (or ``pricing_out`` for a finding about the
    proposal): the condition holds, so the opening clause restates what the action's fact says about this
    deal, and a manager leads with the fact instead.
    Returns the text and whether an opening was dropped.
    """
    match = _OPENER.match(text) if answers_its_own_condition else None
    if match is None:
        return text, False
    rest = text[match.end() :]
    return rest[:1].upper() + rest[1:], True


_MENU = re.compile(r"(?::\s+|：)(?P<items>[^.:;。：；!?]+?)(?=\.(?:\s|$)|。|$)")
_ITEM = re.compile(r",\s+|、")  # "，" joins clauses in Chinese prose; a Chinese list is written with "、"


def drop_menu(text: str) -> str:
    """'Ask for the criteria in writing: the RFP, the scorecard, the evaluation rubric, or …' -> 'Ask for the
    criteria in writing.': a rule's menu of examples after its instruction helps a reader of the rulebook; in an
    action the instruction and the deal's fact are the ask, and a list of three or more is playbook text."""

    def replace(match: re.Match[str]) -> str:
        items = [i for i in _ITEM.split(match.group("items")) if i.strip()]
        short = all(len(i.split()) <= 10 and len(i) <= 60 for i in items)
        return "" if len(items) >= 3 and short else match.group(0)

    return _MENU.sub(replace, text)
