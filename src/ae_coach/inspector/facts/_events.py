"""What happened at the buyer's company, as the record reports it: a spending freeze, weak results, a cost
programme, a reorganisation, an acquisition, a new executive, a security incident.

A VP reading a deal asks first about what changed around it ("the buyer's half-year results were soft and they
announced a cost programme"; "corporate pushed all capex reviews after Q3"), not about the CRM's fields. The
patterns below are written over the grammar of such reports (who did what to which money or company: "froze new
Q4 opex", "paused all new spend", "all new commitments under review until", "cost discipline programme
announced", "acquired by Halberd Group") in English and Chinese, not over one keyword.

An event counts only when it is the buyer's and still stands: not one at another company (a competitor named in
the clause, or our own "we"/"our" in a note of ours), not one the record says was lifted, ended or exempts this
project ("the freeze doesn't affect our project", "Vogt released part of the frozen money"), and not one in the
past (last year's incident, a subsidiary acquired in 2025).
"""

from __future__ import annotations

import datetime as dt
import re

from ae_coach._patterns import lazy
from ae_coach.deal import Deal
from ae_coach.inspector import text
from ae_coach.inspector.facts._later import MONTH
from ae_coach.inspector.facts._model import ActivityFact, CompanyEvent, _Names, speaker_of
from ae_coach.inspector.facts._timing import _PENDING

_MONEY = (
    r"(?:(?:new |all |uncommitted |discretionary |non-essential |the )*(?:q[1-4] |it |software |saas |"
    r"technology |tech |vendor |project |capital )?(?:opex|capex|spend(?:ing)?|budgets?|purchas(?:es|ing)|"
    r"procurement|investments?|commitments|projects|hiring|headcount|software|contracts|orders|vendors|suppliers|"
    r"(?:vendor|supplier) onboarding|onboarding of (?:new |all )*(?:it |software )?(?:vendors|suppliers)|"
    r"approvals?|capex reviews?|(?:budget|investment|spend(?:ing)?) (?:reviews?|approvals?|decisions?)))"
)
"""What a freeze stops: money, purchases, commitments, hiring ("new Q4 opex", "all uncommitted IT spend")."""

_AMOUNT_OVER = r"(?:above|over|exceeding|of more than) (?:[A-Z]{3} ?|[€$£])?[\d.,]+ ?(?:k|m|million|thousand)?"
_OVER = _AMOUNT_OVER + r"(?: [A-Z]{3})?"
"""The amount a freeze starts at ("above EUR 25k", "over 1.5 million", "over 50k EUR")."""


def _above(reported: str) -> float:
    """The amount a freeze starts at, as the words that report it give it (0: none)."""
    over = re.search(_AMOUNT_OVER, reported)
    return text.money_amount(over.group(0)) if over else 0


_FREEZE = lazy(
    # "a capex freeze", "hiring freeze" (not a change, code or holiday freeze: those are calendar, see _timing)
    r"\b(?:capex|capital|spend(?:ing)?|budget|hiring|headcount|purchas(?:e|ing)|procurement|investment|"
    r"software|vendor|opex) freeze\b|"
    # "froze new Q4 opex", "has frozen all uncommitted IT spend", "freezes all purchases"
    rf"\b(?:froze|freezes|frozen|freezing|paused|pauses|pausing|halted|halts|suspended|suspends|stopped|stops)"
    rf"(?: (?:all|any|every|the|their|its|our))? {_MONEY}(?! (?:hours|time|days|weeks|effort|on manual))\b|"
    # "group finance has frozen them until the 2027 plan is approved": the commitments the sentence before named
    r"\b(?:has|have|had|just) (?:frozen|paused|halted|suspended) (?:them|these|those|all of them)\b|"
    # "capex is frozen", "all new spend is paused", "budgets were frozen"
    # "all new SaaS commitments and renewals above EUR 25k are paused": the money, what else, over which amount
    rf"\b{_MONEY}(?: and [a-z]+)?(?: {_OVER})? "
    r"(?:is |are |was |were |has been |have been |got |now )?(?:frozen|paused|halted|suspended|"
    r"on hold|on ice)\b|"
    # "pushed all capex reviews", "deferred every capex review", "postponed all new investment decisions"
    rf"\b(?:pushed|deferred|postponed|delayed|parked|shelved|cancelled|canceled)(?: back)? (?:all|every|any) "
    rf"{_MONEY}|"
    r"\b(?:moratorium|stop) on (?:all )?(?:new )?(?:spend(?:ing)?|purchases|hiring|projects|investments?|"
    r"software|vendors)\b|" + text.NO_NEW_SPEND + r"|"
    # Chinese: 冻结预算 / 预算冻结 / 暂停所有新采购 / 叫停新项目 / 资本支出推迟
    r"(?:冻结|暂停|叫停|停止|搁置)(?:了)?(?:所有|全部|一切)?(?:新的?)?(?:预算|采购|支出|开支|投资|项目|招聘|资本支出|IT支出)|"
    r"(?:预算|采购|支出|开支|投资|资本支出|招聘)(?:已|已经|被|全部|都)?(?:冻结|暂停|叫停|搁置)",
    re.IGNORECASE,
)
"""The buyer stopped new money: a freeze, a pause or a stop on spend, purchases, hiring or their approvals."""

_REVIEW_GATE = lazy(
    r"\buntil (?:(?:she|he|they|the new [\w ]{2,20}?|[A-Z][a-z]+) (?:has |have )?(?:review(?:s|ed)?|"
    r"looked at|gone through|signed off|approved?)|(?:a |the )?(?:full |new )?review)\b|"
    r"\b(?:under|in|pending) (?:a )?(?:full |\d+-(?:day|week|month) |spend(?:ing)? |budget |cost )?review\b|"
    r"(?:审查|审核|复核)(?:完|之前|前|结束)",
    re.IGNORECASE,
)
"""A pause that lasts until someone reviews the spend: a gate the deal can pass ("paused all new commitments over
250k until she reviews them"), not a freeze that stops it."""

_REVIEW = lazy(
    rf"\b{_MONEY} (?:is |are |now |all )*(?:under|subject to|going through|in|pending) (?:a )?(?:full |new "
    r")?(?:spend(?:ing)? |budget |cost |zero-based |line-by-line )review\b|"
    # "all new spend under review": a review of money itself, not of a document ("contracts in review with legal")
    r"\b(?:all |new |every )+(?:spend(?:ing)?|budgets?|investments?|commitments|purchases|projects) (?:is |are |now )*"
    r"(?:under|subject to|going through|pending) (?:a )?(?:full |new )?review\b|"
    r"\b(?:spending|spend|budget|cost|zero-based) review\b[^.;]{0,40}?\b(?:announced|launched|started|under way|"
    r"underway|until)\b|"
    r"(?:所有|全部)?(?:新)?(?:支出|预算|采购|开支)(?:都)?(?:需要)?(?:重新)?(?:审查|审核|复核)",
    re.IGNORECASE,
)
"""New spend under review: "all new commitments under review until the plan is approved", "spending review
announced"."""

_COST = lazy(
    # a programme at the buyer, named as one ("cost discipline programme announced"), never a value metric of ours
    # ("the platform cuts support costs by 25%", "cost savings of 300k")
    r"\bcost[- ](?:discipline|reduction|cutting|savings?|efficiency|control|containment|out)"
    r" (?:programme|program|plan|initiative|drive|exercise|review)\b|\bcost discipline\b|"
    r"\bcost (?:programme|program|drive|initiative|exercise)\b|"
    r"\b(?:savings|efficiency|austerity) (?:programme|program|plan|drive|initiative)\b|"
    # the buyer's own budget cut: "the board cut the IT budget by 20%", "budgets were slashed by a third"
    r"\b(?:cut|cuts|slashed|trimmed|reduced)\b[^.;]{0,30}?\b(?:budgets?|spend(?:ing)?)\b"
    r"[^.;]{0,15}?\bby (?:\d+ ?%|a (?:fifth|third|quarter|half))|"
    r"\b(?:budgets?|spend(?:ing)?) (?:was |were |has been |have been |is being |got )?(?:cut|slashed|trimmed|"
    r"reduced) by\b|"
    r"降本(?:计划|项目|行动)|成本(?:削减|压缩|控制)(?:计划|项目|行动)|预算(?:被)?(?:削减|砍)",
    re.IGNORECASE,
)
"""A cost programme or a budget cut at the buyer (a "finance transformation programme" is what they buy, not a cut)."""

_PERIOD = r"(?:half-?year(?:ly)?|h[12]|q[1-4]|quarter(?:ly)?|annual|full-?year|fy|year-?end|interim|first-half)"
_RESULTS = lazy(
    r"\bprofit warnings?\b|\b(?:issued|issues|announced) (?:a )?(?:profit |earnings )?warning\b|"
    rf"\b(?:weak|soft|poor|bad|disappointing|missed|lower|below-?target) (?:\w+ )?{_PERIOD}(?: results| numbers"
    r"| earnings| sales)?\b|"
    rf"\b{_PERIOD} (?:results|numbers|earnings|sales)\b[^.;]{{0,60}}?\b(?:down|fell|fall|dropped|declin\w+|miss"
    r"\w*|below|weak|soft|loss|losses|worse|disappoint\w*)\b|"
    r"\b(?:sales|revenue|earnings|profits?|like-for-like) (?:\w+ )?(?:miss|down \d|fell|dropped|declined|"
    r"warning)\b|\b(?:missed|missing) (?:its|their|the) (?:numbers|targets?|forecast|guidance)\b|"
    r"(?:盈利预警|业绩(?:下滑|不及预期|预警|下降|亏损)|营收下(?:滑|降)|利润下(?:滑|降))",
    re.IGNORECASE,
)
"""Weak results or a profit warning, said with a period (half-year, Q3, annual) or a warning: a pilot's results
are no such thing."""

_REORG = lazy(
    r"\b(?:re-?org(?:ani[sz]ation|ani[sz]ing|ani[sz]ed|ani[sz]e)?|restructur(?:e|ed|es|ing)|"
    r"being reorgani[sz]ed|lay-?offs?|laid off|redundanc(?:y|ies)|job cuts|headcount (?:cuts?|reduction))\b|"
    r"重组|组织架构调整|架构调整|裁员",
    re.IGNORECASE,
)
"""A reorganisation, a restructuring or layoffs."""

_ACQUIRED = lazy(
    r"\b(?:was|were|is|are|has been|have been|got|being|to be|will be)? ?(?:acquired|bought|taken over|purchased)"
    r" by\b|\b(?:acquisition|takeover|buyout) (?:of (?:them|the company|the group)|by)\b|"
    r"\bmerg(?:er|ing|ed|es) with\b|\b(?:under|has|have|with) a new (?:parent|owner|owners|majority owner)\b|"
    r"\bnew (?:parent|owners?)\b|\bchange of (?:ownership|control)\b|\bprivate equity (?:bought|acquired|"
    r"took over|owner)\b|"
    r"被[^，。；]{1,20}?收购|并购|合并|易主|新(?:的)?(?:母公司|股东|东家)",
    re.IGNORECASE,
)
"""The buyer acquired, merged or under a new owner (the buyer acquiring someone else is growth, not a threat)."""
_TO_ACQUIRE = (
    r"\b(?:to acquire|acquires|acquiring|to buy|buys|buying|to take over|takes over|taking over|(?:bid|offer) for)"
    r" (?:(?:\d{1,3} ?%|all|a majority(?: stake)?|control|the (?:whole|entire) (?:share capital|company)) (?:of|in) )?"
)
"""Someone buying the company the clause then names ("agreement to acquire 100% of Kattegat Linjen A/S"): the
buyer acquired only when the company named is the buyer (:func:`_acquires_buyer`)."""
_LEGAL_FORM = lazy(
    r"^(?:a/s|as|ab|ag|gmbh|ltd|limited|plc|inc|llc|sa|sas|spa|srl|bv|nv|oy|oyj|asa|kk|pte|pty|d\.?d\.?|co\.?|"
    r"corp|group|the)\.?$",
    re.IGNORECASE,
)

_EXECUTIVE = (
    r"(?:ceo|cfo|coo|cio|cto|cro|cdo|cmo|ciso|chief [\w ]{2,25}? officer|managing director|md|president|"
    r"(?:svp|evp|vp|head|director) of [\w ]{2,25}?|svp [\w]+|evp [\w]+)"
)
_NEW_EXECUTIVE = lazy(
    rf"\b(?:new|incoming|interim|acting) {_EXECUTIVE}\b|\b(?:replaced|succeeded) by\b|\bappointed (?:a |as )?"
    rf"(?:new )?{_EXECUTIVE}\b|新(?:任|来的)?(?:首席\w{{2,4}}官|CEO|CFO|COO|CIO|CTO|总经理|总裁|副总裁)",
    re.IGNORECASE,
)
"""A new executive above or in place of the people the deal ran through."""

_INCIDENT = lazy(
    r"\b(?:suffered|hit by|had|disclosed|reported|announced|dealing with|recovering from) (?:a |an )?(?:major |"
    r"serious |big )?(?:data breach|security breach|breach|ransomware(?: attack)?|cyber-?attack|cyber incident|"
    r"security incident)\b|遭(?:遇|受)?(?:了)?(?:数据泄露|勒索(?:软件)?攻击|网络攻击|安全事件)",
    re.IGNORECASE,
)
"""A security incident at the buyer (a breach, ransomware): priorities and vendor reviews move after one."""

_BOUGHT = (
    r"(?:project|purchase|initiative|programme|program|purchase request|requisition|budget request|business case|"
    r"procurement|tender|rfp|rfq|evaluation|selection|deal)"
)
_NOT_A_MEETING = (
    r"(?![- ](?:[\w-]+ ){0,2}?(?:review|meeting|call|session|workshop|demo|presentation|discussion|readout|kick-?off|"
    r"briefing|visit|slot|walkthrough|debrief)s?\b)"
)
"""A cancelled meeting about the purchase is not the purchase cancelled ("called off the business case review", "cancelled
the project status call")."""
_CANCELLED = lazy(
    rf"\b{_BOUGHT}s?{_NOT_A_MEETING} (?:(?:is|was|has been|have been|got|gets|is being|will be) )?(?:now |officially |formally )?"
    r"(?:cancel+ed|withdrawn|scrapped|killed|shelved|terminated|abandoned|called off|dead)\b|"
    r"\b(?:cancel+ed|cancel+ing|withdrew|withdrawn|scrapped|killed|shelved|dropped|abandoned|called off) "
    rf"(?:the |our |this |their |his |her |its |that )?(?:whole |entire )?(?:[\w-]+ )?{_BOUGHT}\b{_NOT_A_MEETING}|"
    # a governing body that ruled on our purchase and said no: "the exception panel met on the 17th and declined ours"
    r"\b(?:panel|board|committee|council|forum)\b(?:(?!\b(?:not|never|no longer)\b|n't)[^.;:]){0,40}?\b(?:declined|"
    r"rejected|refused|vetoed|turned down) "
    r"(?:ours|our (?:exception(?: request)?|request|submission|application|purchase request|business case|project))"
    r"(?=\s*(?:[.;:,)]|$|and\b|but\b|-|—))|"
    # Dutch, German, French, Spanish, Portuguese, Italian: "Daarmee vervalt ons project", "aanvraag ingetrokken"
    r"\bvervalt (?:ons|het|dit|de) (?:project|aanvraag|traject)\b|\b(?:project|aanvraag|traject|aanbesteding)\b[^.;]{0,40}?"
    r"\b(?:vervalt|vervallen|ingetrokken|geannuleerd|stopgezet|geschrapt|afgeblazen)\b|"
    r"\b(?:Projekt|Vorhaben|Anfrage|Ausschreibung|Beschaffung)\b[^.;]{0,40}?\b(?:gestoppt|abgesagt|eingestellt|"
    r"gestrichen|storniert|zurückgezogen|aufgehoben)\b|\b(?:projet|appel d'offres)\b[^.;]{0,30}?\b(?:annulé|abandonné|"
    r"arrêté)e?s?\b|\b(?:proyecto|licitación|projeto|progetto)\b[^.;]{0,30}?\b(?:cancelad[oa]|anulad[oa]|"
    r"annullat[oa]|cancellat[oa])\b|"
    r"(?:项目|采购|立项|招标)(?:已经|已|被|正式)?(?:取消|终止|叫停|撤销|作废)(?!的?(?:风险|可能))|撤回(?:了)?(?:采购)?(?:申请|立项)",
    re.IGNORECASE,
)
"""The buyer called the purchase off: the project cancelled, the purchase request withdrawn, the tender abandoned ("De
raad van bestuur heeft besloten … Daarmee vervalt ons project; Wouter heeft de aanvraag ingetrokken"). A project on
hold ("o projeto está suspenso até março") is the on-hold reading's."""
_SUPPOSED = lazy(
    r"\b(?:if|unless|whether|in case|could|might|may|risk|threat|threaten\w*|rumou?r\w*|worried|afraid|fear\w*|"
    r"before|otherwise|or)\b[^.;]*$|(?:如果|假如|万一|要是|担心|可能)[^。；]*$",
    re.IGNORECASE,
)
"""Words before a cancellation that make it a supposition or a fear, not a fact ("if the board kills the project")."""
_NOT_IN = lazy(r"\b(?:nicht|kein\w*|não|nao|no|non|niet|geen|pas|ne|jamais|nunca)\b|不|没|未", re.IGNORECASE)
"""A negation inside a foreign-language cancellation's span ("das Projekt wurde nicht gestoppt")."""

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", _CANCELLED),
    ("freeze", _FREEZE),
    ("spend_review", _REVIEW),
    ("cost_programme", _COST),
    ("results", _RESULTS),
    ("acquisition", _ACQUIRED),
    ("reorganisation", _REORG),
    ("new_executive", _NEW_EXECUTIVE),
    ("incident", _INCIDENT),
)
"""Event kinds in the order a clause is read: the first that matches names the event."""

_LIFTED = lazy(
    r"\b(?:freeze|hold|pause|moratorium)(?: on [\w -]{1,40}?)? (?:is |was |has been |got |now )*(?:lifted|over|ended|"
    r"removed|relaxed)\b|"
    r"\b(?:lifted|ended|relaxed) the (?:freeze|hold|pause|moratorium)\b|\bunfrozen\b|\bun-?paused\b|"
    r"\breleased (?:part of |some of |all of )?(?:the |their |its )?(?:frozen|held|paused)\b|"
    r"\b(?:got|gets|has|have) (?:its|the|our|their|his|her) (?:budget|money|funding) back\b|"
    r"\b(?:budget|money|funding) (?:is |was |came |has come )?back\b|"
    r"\b(?:project|purchase|request|tender|deal) (?:is |was |has been )?(?:back on|revived|reinstated|restarted|"
    r"reopened|resumed)\b|"
    r"解冻|恢复(?:了)?(?:预算|采购|支出)|冻结(?:已)?解除|项目(?:已经|已)?(?:恢复|重启)",
    re.IGNORECASE,
)
"""A freeze the record says has ended ("the freeze was lifted", "released part of the frozen Q4 money")."""

_EXEMPT = lazy(
    r"\b(?:is|are|was|were|been|got|get|gets) (?:\w+ )?exempt(?:ed)?\b|\bexempt(?:ed)? from\b|"
    r"\b(?:exception|waiver) (?:was |has been |is )?(?:granted|approved|signed off)\b|"
    r"\b(?:got|granted|approved|signed off) (?:an? |the )?(?:exception|waiver)\b|"
    r"\b(?:not|isn'?t|aren'?t|wasn'?t|doesn'?t|don'?t|won'?t) (?:be )?(?:affected?|impacted?|touched|hit)"
    r"(?: by)?\b|\bring-?fenced\b|\bcarved out\b|\bprotected from\b|\bstill (?:funded|approved|"
    r"going ahead)\b|"
    r"不受(?:影响|冻结影响)|豁免|例外(?:已)?(?:批准|通过)",
    re.IGNORECASE,
)
"""The event leaves this project alone: exempt, an exception granted, "doesn't affect our project", ring-fenced."""
_WISHED = lazy(
    r"\b(?:if|whether|hope[sd]?|hoping|might|may|could|would|ask(?:ing|s)? for|try(?:ing)? (?:to|for)|"
    r"raise|apply(?:ing)? for|looking for|wants?)\b",
    re.IGNORECASE,
)
"""Words before an exemption that make it a wish, not a fact ("her 'exception' is a hope")."""

_PAST = lazy(
    r"\b(?:last|previous|prior) (?:year|quarter)'?s?\b|\bback in\b|\b(?:years?|months) ago\b|"
    r"\b(?:is|was) (?:now )?(?:over|behind (?:them|us)|resolved|settled|done|complete[d]?)\b|"
    r"\b(?:since|after) (?:the|last year'?s) (?:incident|breach|merger|acquisition|reorg\w*)\b|"
    r"去年|上(?:个)?季度|已(?:经)?(?:结束|完成|解决)",
    re.IGNORECASE,
)
"""An event told as history: last year's, "back in", one that is over or resolved."""
_YEAR = lazy(r"\b((?:19|20)\d\d)\b")

_OURS = lazy(
    r"\b(?:we|we're|we've|our|us)\b(?:[^.;]{0,20}?)\b(?:re-?org\w*|restructur\w*|acquired|acquisition|merg\w+|"
    r"lay-?offs?|results|froze|freeze|frozen|cost)\b|\b(?:our|my) (?:own )?(?:company|side|team|management|"
    r"leadership|board|finance|ceo|cfo)\b|(?:我们|我司|我方)(?:公司)?(?:[^，。；]{0,10}?)(?:重组|被收购|收购|合并|裁员|冻结|降本)",
    re.IGNORECASE,
)
"""The vendor's own news in a note of ours ("our reorg", "we were acquired"): not the buyer's."""

_SPEAKS = lazy(r"\b([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})(?::| said| says| told us| mentioned| wrote)")
_CLAUSE = lazy(r"(?<=[.;!?])\s+|(?<=[。；！？])\s*|\n")


def _acquires_buyer(clause: str, account: str | None) -> bool:
    """The clause has someone acquiring the buyer by its name ("Nordbridge ... agreement to acquire 100% of
    Kattegat Linjen A/S"): the buyer under a new owner, where "acquires" alone is the buyer's own growth."""
    words = [w for w in re.findall(r"[\w/.&'-]+", account or "") if not _LEGAL_FORM.match(w)]
    if not words or len(words[0]) < 3:
        return False
    return re.search(_TO_ACQUIRE + rf"(?:the )?{re.escape(words[0])}\b", clause, re.IGNORECASE) is not None


def company_events(deal: Deal, activities: list[ActivityFact], as_of: dt.date, rivals: list[str]) -> list[CompanyEvent]:
    """The events at the buyer's company that still stand, oldest first (undated ones, from the deal's notes,
    last): each with its kind, the day it was reported, who said it and the clause that says it."""
    names = _Names([s.name for s in deal.stakeholders])
    past = [a for a in activities if a.date <= as_of and a.summary]
    reports: list[tuple[dt.date | None, str, str, str | None]] = [
        (a.date, a.type, a.summary or "", speaker_of(a, names)) for a in past
    ]
    reports.append((None, "notes", deal.notes or "", None))
    found: list[CompanyEvent] = []
    for day, where, body, speaker in reports:
        clauses = [c.strip() for c in _CLAUSE.split(body) if c and c.strip()]
        for i, clause in enumerate(clauses):
            before = clauses[i - 1] if i else ""
            after = clauses[i + 1] if i + 1 < len(clauses) else ""
            event = _read(clause, day, where, speaker, names, rivals, as_of, before, deal.account, after, deal.amount)
            if event is not None and not any(e.kind == event.kind and e.source == event.source for e in found):
                found.append(event)
    return [e for e in found if not _answered(e, deal, past)]


def _read(
    clause: str,
    day: dt.date | None,
    where: str,
    speaker: str | None,
    names: _Names,
    rivals: list[str],
    as_of: dt.date,
    before: str = "",
    account: str | None = None,
    after: str = "",
    amount: float = 0,
) -> CompanyEvent | None:
    kind = next((k for k, pattern in KINDS if text.find(pattern, clause)), None)
    reported = text.find(dict(KINDS)[kind], clause) if kind else None  # the words that report it, kept in the quote
    if kind == "cancelled":
        hit = text.first_match(_CANCELLED, clause)
        asked = clause.rstrip(" '\"”’)").endswith(("?", "？"))
        if hit is not None and (asked or _SUPPOSED.search(clause[: hit.start()]) or _NOT_IN.search(hit.group(0))):
            kind = next((k for k, pattern in KINDS[1:] if text.find(pattern, clause)), None)
            reported = text.find(dict(KINDS)[kind], clause) if kind else None
    if kind is None and _acquires_buyer(clause, account):
        kind = "acquisition"
    if kind is None or _elsewhere(clause, speaker, rivals, names) or _past(clause, as_of):
        return None
    if amount and _above(reported or "") > amount:
        return None  # "all new SaaS commitments above EUR 25k are paused" does not reach a deal of 15k
    if kind == "freeze" and text.find(_REVIEW_GATE, clause):
        kind = "spend_review"  # paused until someone reviews it: a gate the deal can pass, not a stop
    spoken = _SPEAKS.search(clause)
    said = names.resolve(spoken.group(1)) if spoken else None
    told = clause
    if before.endswith(";") and _BACK.search(clause[:60]):
        # "…announced Project Keystone, and all commitments above USD 250k now need group CFO sign-off; group finance
        # has frozen them until March": the freeze is of what the clause before it names, so quote both
        told = f"{before.rsplit(':', 1)[-1].strip()} {clause}"
    quoted = _event_quote(told, after, _EVENT_QUOTE if told != clause else 120, reported)
    return CompanyEvent.of(
        kind=kind,
        date=day,
        said_by=said or speaker,
        quote=quoted,
        source=f"{day} {where}: {quoted}" if day else f"notes: {quoted}",
    )


def _event_quote(told: str, after: str, limit: int, reported: str | None = None) -> str:
    """The clause that reports an event, quoted so it keeps how long the event stands: the clause's "until …"
    past the cut, after its opening words through the words that report the event (``reported``: "The board has
    suspended all onboarding of new IT vendors … until the forensic investigation is closed"), and the short sentence
    after it when that sentence says when ("I expect that to take into Q1"). A VP reads a freeze by its end. Without
    the reporting words nothing is elided; the quote stays within :data:`_EVENT_QUOTE_MAX` characters."""
    flat = " ".join(told.split())
    then = " ".join(after.split())
    first = _FIRST_SENTENCE.match(then)  # a quote closed inside the clause ends it: "… clearance.' Called Anders"
    then = first.group(0) if first else then
    when = bool(then) and len(then) <= _WHEN_SENTENCE and text.find(_WHEN, then) is not None
    if when and any(text.find(pattern, then) for _, pattern in KINDS):
        when = False  # a second event, read on its own
    lasts = _LASTS.search(flat)
    ends = bool(reported) and len(flat) > limit and lasts is not None and lasts.start() > limit - _TAIL_ROOM
    if ends and lasts is not None and reported:
        kept = flat.find(reported) + len(reported) if reported in flat else 0
        head = max(len(flat[:_HEAD].rsplit(" ", 1)[0]), kept)
        if lasts.start() - head > _TAIL_ROOM:  # words between the report and its "until": elided
            flat = f"{flat[:head].rstrip(',;: ')} … {flat[lasts.start() :]}"
    if not (ends or when):
        return text.quote(flat, limit)
    return text.quote(f"{flat} {then}" if when else flat, max(limit, _EVENT_QUOTE_MAX))


_EVENT_QUOTE_MAX = 280
"""The longest an event's quote grows to keep its end (a clause and the sentence that says when)."""
_LASTS = lazy(r"\b(?:until|till|pending)\b|直到|直至", re.IGNORECASE)
"""The words that say how long an event stands ("suspended … until the forensic investigation is closed")."""
_WHEN = lazy(
    r"\b(?:into|until|till|by|before|after|from|through|in|not before|the end of)\s+(?:early |mid-?|late |the end of )?"
    rf"(?:q[1-4]|h[12]|fy ?\d\d|(?:19|20)\d\d|{MONTH}|next (?:year|quarter|month|fiscal year)|the new year)\b|"
    r"\bat the earliest\b|"
    # "The review concludes on 13 February": the event's end, dated
    rf"\b(?:ends?|concludes?|lasts?|runs?|closes?|expires?|(?:is|will be) lifted)\b[^.;]{{0,25}}?\b(?:on|in|by|at)\s+"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{MONTH}|q[1-4]|(?:19|20)\d\d)\b|"
    r"(?:到|之后|以后|前|要等)[^，。]{0,6}?(?:季度|明年|年初|年底|月底|\d+\s*月)",
    re.IGNORECASE,
)
"""A sentence that says when an event ends: a preposition of time before a quarter, a month, a year or "next year"
("I expect that to take into Q1", "nothing moves before March"), "at the earliest", or the end dated ("The review
concludes on 13 February"); not a month or a year in passing ("Our next call is on 14 March", "They have 2000
users")."""
_FIRST_SENTENCE = lazy(r".*?[.!?]['\"’”)]+(?=\s)")
_WHEN_SENTENCE = 100
"""The longest sentence after an event quoted for when the event ends ("I expect that to take into Q1.")."""
_HEAD = 60
"""Characters of an event's opening kept before " … until …"."""
_TAIL_ROOM = 20
"""An "until" this close to the cut is kept by the plain cut."""


_BACK = lazy(r"\b(?:them|it|these|those)\b", re.IGNORECASE)
"""A clause that refers back to what the clause before it named."""
_EVENT_QUOTE = 260
"""Characters of an event quoted with the clause it refers back to."""


def _elsewhere(clause: str, speaker: str | None, rivals: list[str], names: _Names) -> bool:
    """The event is another company's: a competitor's (named in the clause), or ours (first person in a note
    no buyer-side person is quoted in)."""
    lowered = clause.lower()
    if any(re.search(rf"\b{re.escape(r.lower())}\b", lowered) for r in rivals if len(r) >= 3):
        return True
    spoken = _SPEAKS.search(clause)
    quoted = speaker is not None or (spoken is not None and names.resolve(spoken.group(1)) is not None)
    return not quoted and bool(_OURS.search(clause))


def _past(clause: str, as_of: dt.date) -> bool:
    """Told as history: last year's, over, resolved, or dated in an earlier year ("acquired 2025")."""
    if text.find(_PAST, clause):
        return True
    years = [int(y) for y in _YEAR.findall(clause)]
    return bool(years) and max(years) < as_of.year


def _answered(event: CompanyEvent, deal: Deal, past: list[ActivityFact]) -> bool:
    """A later word (or the same report) says the event ended or leaves this project alone."""
    later = [a.summary or "" for a in past if event.date is None or a.date >= event.date]
    if event.date is None:
        later.append(deal.notes or "")
    for body in later:
        for clause in _CLAUSE.split(body):
            if not clause:
                continue
            lifted = _LIFTED.search(clause)
            if (
                (event.blocks or event.kind == "spend_review")
                and lifted
                and not _PENDING.search(clause[: lifted.start()])
            ):
                return True  # "the freeze was lifted", not "nothing moves until the freeze is lifted in March"
            delegated = _DELEGATED.search(clause) if event.kind == "reorganisation" else None
            if (
                delegated
                and not re.search(r"\b(?:no longer|not|never)\b|n't\b", delegated.group(0), re.IGNORECASE)
                and deal.amount
                and text.money_amount(delegated.group(1)) >= deal.amount
            ):
                return True  # "signing authority up to NOK 5m is delegated to the regional MDs": the new rule spares it
            exempt = _EXEMPT.search(clause)
            if exempt and not _WISHED.search(clause[: exempt.start()]) and _about_event(clause, event):
                return True
    return False


_DELEGATED = lazy(
    r"\b(?:authority|approvals?|sign(?:ing|-off|atures?)?)\b[^.;]{0,40}?\b(?:up to|below|under) "
    r"((?:[A-Z]{3} ?|[€$£])?[\d.,]+ ?(?:k|m|million|thousand)?)[^.;]{0,40}?\bdelegated\b",
    re.IGNORECASE,
)
"""A restructure's approval rule that leaves sums up to an amount with someone below the board: "Signing authority up
to NOK 5m is delegated to the regional MDs, board only above that"."""


def _about_event(clause: str, event: CompanyEvent) -> bool:
    """An exemption clause speaks of this kind of event (a freeze, a cost programme), or of this project."""
    pattern = dict(KINDS)[event.kind]
    return bool(
        text.find(pattern, clause)
        or re.search(r"\b(?:freeze|frozen|hold|pause|programme|program|cuts?|review|project|deal)\b", clause, re.I)
        or re.search(r"冻结|项目|降本|审查", clause)
    )
