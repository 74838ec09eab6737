"""Keyword heuristics over activity summaries and deal notes. Documented in docs/inspector.md.

The inspector reads free text only through this module, and only to *detect* a fact (a signal tag or a
property of a MEDDPICC evidence string); the text itself is never executed, obeyed or sent anywhere. A
note that says "ignore previous instructions" is words that match :data:`TO_THE_TOOL` and nothing else: the
inspector reports that the record holds it (``hygiene.instruction_in_record``) and does nothing it asks.

Rules of the game:

* An activity that lists ``signals`` (even ``signals: []``) uses exactly those tags: the AE's explicit
  tagging overrides every heuristic below for that activity.
* Otherwise the summary is matched case-insensitively against :data:`SIGNAL_PATTERNS`.
* A match preceded in the same clause by a negation (``no``, ``not``, ``never``, ``without``, ``n't``)
  or an open question (``find out``, ``figure out``, ``unclear``, ``unsure``) is ignored: "no budget
  concerns" is not a budget concern, and "she will find out who in legal owns it" is not legal activity.
  A signal that states a fact (budget confirmed, terms agreed, verbal commit, paper complete, technical
  validation) is also not read in a clause ending with a question mark: "is the budget there?" confirms no
  budget, while "can we get references?" is the buyer asking for references; nor under a condition earlier
  in the clause (``once``, ``until``, ``unless``, ``if``): "final number once procurement's done".

Signal patterns (one line each; the full regular expressions are below):

================================  ==============================================================
signal                            matched phrases (examples)
================================  ==============================================================
champion_scheduled                "scheduled / booked / set up / sent an invite" (+ champion's name)
eb_attending                      "CFO / CEO / economic buyer … will attend / agreed to join"
internal_docs_shared              "shared / sent us … org chart / internal deck / their requirements"
implementation_questions          "implementation / integration / SSO / API / migration … questions"
procurement_timeline              "procurement … timeline / process / steps", "PO by"
references_requested              "asked for references", "reference call requested"
legal_security_review             "security review / questionnaire", "legal review", "redlines", "DPA", "their lawyers"
budget_concern                    "budget concern / cut / freeze", "too expensive", "need a discount", "needs us near 85k",
                                  "re-justify", "pulled the budget into next year", "capex is frozen",
                                  "goes into the FY27 budget", "push us to phase 2", "find room for us",
                                  "budget already spent on another project"
competitor_mentioned              "competitor", "also evaluating / looking at", "other vendors", "a second quote"
pending_internal_review           "run this by", "check with the CFO", "take it to the team", "present it to leadership",
                                  "taking the proposal into the GF meeting"
follow_up                         "followed up", "got back to us", "CFO approved"
no_next_date                      "we'll get back to you" (no "by"/"on" date after it), "circle back"
verbal_commit                     "verbal commit / yes", "selected us", "vendor of choice", "told us we won"
budget_confirmed                  "budget of / range / approved / allocated", "funded", "budgeted"
technical_validation              "POC / pilot / technical validation … complete / passed", "pilot readout:
                                  scrap down 1.9 points" (a readout or results with a number)
terms_agreed                      "terms / pricing agreed", "agreed on pricing", "approved the budget and the
                                  price", "happy with the price"
paper_complete                    "contract signed", "PO issued / raised", "legal / procurement approved", "legal's done"
champion_enabled                  "business case", "ROI model", "exec summary", "one-pager", "talk track"
handoff                           "handoff", "kick-off", "onboarding", "customer success", "success plan"
================================  ==============================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ae_coach._patterns import lazy
from ae_coach.deal import Activity, Signal

_I = re.IGNORECASE

NO_NEW_SPEND = (
    r"no new (?:[\w-]+ (?:or|and|&) )?(?:[\w-]+ )?(?:commitments|purchases|spend(?:ing)?|contracts|projects|investments?|"
    r"orders|vendors)(?: [^.;]{0,40}?)? (?:until|before|till|this (?:year|quarter))"
)
"""A spending freeze in other words: "no new software or consultancy commitments until the FY27 plan is approved"."""
DETECT_CACHE_SIZE = 4096
"""Distinct activity summaries whose detected signals are remembered (bounded, so memory stays flat)."""

_NOT_DONE_YET = (
    r"(?![^.;]{0,40}?\b(?:except|apart from|other than|bar|but|save|still|once|if|when|after|pending|subject to|"
    r"as soon as|provided|unless|next|tomorrow|by (?:mon|tue|wed|thu|fri|the|end)|on \d|target)\b)(?!\s*\d)"
)
"""What keeps a paper-complete phrase from saying the paper is done: a part still open, a condition, a target date
("contract final 12/15", "ready for signature next week", "redlines agreed except the indemnity cap")."""

SIGNAL_PATTERNS: dict[Signal, re.Pattern[str]] = {
    Signal.CHAMPION_SCHEDULED: lazy(
        r"\b(?:proactively )?(?:scheduled|booked|set up|organi[sz]ed|arranged|introduced us|brought us (?:in)?to|"
        r"got us (?:\d+ minutes|a "
        r"meeting|time|an? (?:hour|slot))|sent (?:us )?(?:an? )?(?:calendar )?invite)\b",
        _I,
    ),
    Signal.EB_ATTENDING: lazy(
        r"\b(?:cfo|ceo|coo|cio|cro|economic buyer)\b.{0,40}?\b(?:will attend|will join|agreed to (?:attend|join)|"
        r"attended|joined|confirmed (?:attendance|for)|sat in|was (?:in|on) the (?:meeting|call|demo)|dial(?:l)?ed in)\b|\bagreed to (?:attend|join)\b.{0,40}?\b(?:cfo|ceo|economic buyer)\b",
        _I,
    ),
    Signal.INTERNAL_DOCS_SHARED: lazy(
        r"\b(?:shared|sent(?: us)?|forwarded|gave us)\b.{0,40}?\b(?:org ?chart|internal (?:[\w-]+ ){0,2}?(?:docs?|deck|"
        r"documents?|memo|roadmap|requirements|business case|analysis|data|plan|report|numbers|budget|scoring "
        r"sheet|scorecard|sheet)|their (?:[\w-]+ )?"
        r"(?:roadmap|requirements|architecture|budget|business case|rfp|org|analysis|data|numbers|report))",
        _I,
    ),
    Signal.IMPLEMENTATION_QUESTIONS: lazy(
        r"\b(?:implementation|integration|sso|scim|api|data migration|migration|rollout|deployment|architecture)\b"
        r".{0,40}?\bquestions?\b|\basked (?:detailed |about |how )?.{0,30}?\b(?:implementation|integration|sso|scim|"
        r"migration|rollout|deployment)\b",
        _I,
    ),
    Signal.PROCUREMENT_TIMELINE: lazy(
        r"\b(?:procurement|purchasing|sourcing)\b.{0,50}?\b(?:timeline|process|steps|calendar|onboarding|within|by|"
        r"vendor (?:form|setup|registration))\b|\bvendor (?:setup|registration|onboarding) (?:form|call|started|steps)\b|"
        r"\b(?:vendor onboarding|purchase order|po)\b.{0,30}?\b(?:by|timeline|date)\b",
        _I,
    ),
    Signal.REFERENCES_REQUESTED: lazy(
        r"\b(?:asked|requested|wants?|would like)\b.{0,30}?\breferences?\b|\b(?:speak|talk) (?:to|with) (?:a |an |one of "
        r"(?:your|our) |existing |current )?customers?\b|\breference (?:calls?|checks?|customers?)\b"
        r".{0,30}?\b(?:requested|asked)\b",
        _I,
    ),
    Signal.LEGAL_SECURITY_REVIEW: lazy(
        r"\b(?:security (?:review|questionnaire|assessment)|infosec|legal review|redlines?|msa|dpa|soc ?2|pen ?test|"
        r"vendor[- ]risk|(?:their|outside|external|in-house|general|our) (?:counsel|lawyers?|attorneys?|solicitors?|"
        r"legal(?: team| dept| department)?)|lawyers?|attorneys?|solicitors?|contract review|it security|"
        # the buyer's legal office in its own language: "juridico back", "Rechtsabteilung", "service juridique"
        r"jur[ií]dic[oa]|rechtsabteilung|juridique|ufficio legale|afdeling juridische zaken)\b|法务|法務",
        _I,
    ),
    Signal.BUDGET_CONCERN: lazy(
        r"\b(?:budget (?:concerns?|cuts?|freeze|issues?|constraints?|pressure|is tight|problems?)|over budget|"
        r"too expensive|price is too high|pricing concerns?|(?:not|won'?t|will not|refuses? to) (?:be )?(?:going to )?"
        r"pay(?:ing)? for\b|won'?t sign for\b|can'?t afford|cost concerns?|needs? (?:a )?discount|"
        r"reduce the price|re-?justify|(?:requires?|requests?|wants?|asks? for|asking for|demands?|needs?)\b[^.;]{0,15}?\b\d+ ?% (?:reduction|discount|off|cut)\b|needs? us (?:near|at|under|below|closer to|down to) [$€£]?\d[\d.,]*[km]?|"
        r"(?:pulled|moved|took)\b.{0,25}?\b(?:budget|funds|funding|money|spend|lines?)\b.{0,20}?\binto (?:the )?"
        r"(?:next|fy|q\d|20\d\d)|"
        r"(?:pulled|moved|pushed|rolled|took)\b.{0,30}?\binto (?:the |their )?(?:next (?:fiscal )?year'?s?|fy ?\d\d|20\d\d) "
        r"budget\b|\bfr(?:oze|eezes?|ozen)\b[^.;]{0,15}?\b(?:opex|capex|spend(?:ing)?|budgets?|purchas\w+)\b|"
        r"budget (?:was |has been )?(?:pulled|reallocated|moved to next year)|"
        r"(?:capex|spend(?:ing)?|funding|budgets?) (?:is |are |was |were |has been |have been |got )?frozen|"
        r"(?:capex|spend(?:ing)?) freeze|" + NO_NEW_SPEND + r"|"
        r"(?:budget|funding|spend(?:ing)?) (?:got |was |were |has been |is being )?(?:cut|slashed|trimmed|reduced|"
        r"pulled|withdrawn)|(?:cut|slashed|trimmed) (?:our|the|their) (?:line|funding)|(?:cut|slashed|trimmed) "
        r"(?:[\w'-]+ ){0,3}?(?:budget|funding|spend)\b|"
        r"out of (?:budget|money|funds)|\d+ ?% off|(?:a )?(?:better|lower|sharper) (?:number|price)|"
        r"(?:above|over|more than|exceeds?) (?:what (?:they|we|she|he) (?:had )?budgeted|(?:their|the|her|his) budget)|"
        r"(?:price|quote|cost|number) (?:came in |is |was )?(?:higher|more) than (?:expected|budgeted|planned)|"
        r"push(?:ed|ing|es)? back on (?:the |our )?(?:price|pricing|cost|number|quote)|"
        r"(?:spend|purchase|budget|money|funding)\b[^.;]{0,30}?\b(?:wait|slip|moved?|pushed|deferred) "
        r"(?:until|to|into) (?:next (?:fiscal )?year|20\d\d|fy ?\d\d)|"
        r"(?:goes|going|moved|moves|pushed|pushes|deferred|defers|slid|slides) (?:in)?to (?:the |their )?"
        r"(?:next (?:fiscal )?year'?s?|next fy|fy ?\d\d|20\d\d) budget|"
        r"push(?:es|ed|ing)? (?:us|it|this|the (?:project|deal|purchase)) (?:out )?(?:to|into) (?:a |the )?(?:phase (?:2|two|ii)|"
        r"next phase|second phase)|find room'? (?:for (?:us|it|this)|in (?:the|a|his|her|their) budget)|"
        r"(?:budget|money|funding) (?:is |was )?(?:already )?(?:spent|committed|earmarked|allocated) (?:on|to|for) "
        r"(?:the |other|another|something)|unbudgeted|not in (?:the|this year'?s|their) budget|"
        r"only (?:the )?(?:top|first) (?:\w+ )?(?:priorities|projects|initiatives) (?:got|get|were|received|have) "
        r"(?:funding|funded|budget|money)|(?:on|onto|to) the reserve list|waiting list for (?:funding|budget))\b|\bno budget\b(?! (?:concerns?|issues?|problems?|cuts?|freeze|constraints?|pressure))",
        _I,
    ),
    Signal.COMPETITOR_MENTIONED: lazy(
        r"\b(?:competitors?|also (?:evaluating|looking at|talking to)|evaluating (?:other|another|alternatives)|"
        r"(?<!at )(?<!than )(?<!like )other vendors?|bake-?off|(?:second|another|competing|alternative|comparison) (?:quote|bid|proposal|vendor))\b",
        _I,
    ),
    Signal.PENDING_INTERNAL_REVIEW: lazy(
        r"\b(?:run (?:this|it|that) (?:by|past)|check with (?:the |our |my |their )?(?:cfo|ceo|boss|team|leadership|"
        r"legal|manager|finance|board|vp)|take (?:this|it) (?:back )?to (?:the |my |our |their )?(?:team|cfo|leadership|"
        r"board|boss)|tak(?:e|ing) (?:this|it) (?:back )?to (?:the |my |our |their |his |her )?(?:exec(?:utive)? team|"
        r"team|cfo|ceo|leadership|board|boss|committee|steering (?:committee|group))|present(?:s|ing)? (?:it |this |"
        r"(?:the|our) (?:proposal|case|business case) )?to (?:the |their |his |her )?(?:leadership|exec(?:utive)? team|"
        r"board|cfo|ceo|committee)|discuss (?:it )?internally|(?:needs?|wants?) to sociali[sz]e|sociali[sz]e (?:it|this) "
        r"internally|tak(?:e|es|ing) (?:the |our )?(?:proposal|business case|case|quote|numbers|pricing|offer) (?:back )?"
        r"(?:in)?to (?:the |a |his |her |their )?(?:[\w&-]+ ){0,2}(?:meeting|review|committee|board))\b",
        _I,
    ),
    Signal.FOLLOW_UP: lazy(
        r"\b(?:followed up|follow-up (?:call|meeting)|came back|got back to us|(?:cfo|ceo|leadership|board|team|finance)"
        r" (?:approved|signed off|agreed))\b",
        _I,
    ),
    Signal.NO_NEXT_DATE: lazy(
        r"\b(?:we'?ll|will|they'?ll) get back to (?:you|us)\b(?!.{0,30}?\b(?:by|on)\b)|\bno (?:next|follow-?up) "
        r"(?:date|meeting|step)\b|\bcircle back\b(?!.{0,20}?\b(?:on|by)\b)",
        _I,
    ),
    Signal.VERBAL_COMMIT: lazy(
        r"\b(?:verbal(?:ly)? (?:commit(?:ment|ted)?|yes|approval|agreement)|verbally committed|selected us|chose us|"
        r"vendor of choice|picked us|going (?:ahead )?with us|told us we(?:'ve| have)? won|will (?:e-?)?sign (?:on|by|at|"
        r"after)|will buy|"
        r"we(?:'re| are) (?:their|the) (?:preferred|chosen|selected) (?:vendor|supplier|partner)|"
        r"you(?:'re| are) (?:our|the) (?:preferred|chosen|selected) (?:vendor|supplier|partner|choice)|"
        r"(?:we|i)(?:'ll| will|'re| are|'m| am)? go(?:ing)? (?:ahead )?with you|proceed with us|"
        r"['\"“‘]please (?:proceed|go ahead) with the (?:internal )?(?:procedure|process|paperwork|purchase|order|contract)|"
        r"(?:decided|decision) (?:to go |in the room: )?"
        r"(?:with|for) us|"
        r"(?:named|selected|chosen) (?:us )?as (?:the |their )?(?:preferred )?(?:vendor|supplier|partner))\b",
        _I,
    ),
    Signal.BUDGET_CONFIRMED: lazy(
        r"\b(?:budget (?:of|range|approved|allocated|confirmed|set aside|earmarked)|budget is (?:approved|allocated|"
        r"confirmed|set|\$)|funded|budgeted|(?:budget|funding|money|spend) (?:is |was |has been )?(?:in place|there|"
        r"secured|signed off|approved)|set aside|earmarked|"
        r"(?<!left )(?<!room )(?<!space )(?:in|within) (?:the |our |their |his |her |my |this year'?s |next year'?s )?(?:(?:opex|capex|operating|"
        r"capital|it|annual) )?(?:envelope|budget)|in (?:this|next) (?:year'?s|fy'?s?) (?:plan|budget)|in the (?:annual|"
        r"fy ?\d{2,4}|\d{4}) (?:plan|budget)|within (?:my|his|her|their|the \w+'s|the) (?:sign-?off|signing|approval|"
        r"spending|delegated) ?(?:limit|authority|threshold|delegation)?)\b|"
        r"(?<!不在)(?<!不)(?<!没在)预算(?:范围)?(?:之|以)?内|已(?:经)?列入(?:了)?(?:今年|明年|年度|本年度)?的?预算|预算已(?:经)?(?:批|审批|到位|落实)",
        _I,
    ),
    Signal.TECHNICAL_VALIDATION: lazy(
        r"\b(?:poc|pov|pilot|proof of (?:concept|value)|technical (?:validation|evaluation)|sandbox|trial)\b"
        r"(?:(?!\bnot\b|n't\b|\bnever\b|\byet\b)[^.;]){0,40}?"
        r"\b(?:complete|completed|closed|passed|successful|succeeded|signed off|approved|done|went well|finished|"
        r"met (?:all|every|the|each)(?: \w+)? (?:criteria|criterion|success criteria|targets?|goals?))\b|\b(?:security|architecture) review (?:passed|"
        r"approved|complete)|technical sign-?off|\b(?:integration|acceptance|uat|load|performance) tests? (?:passed|"
        r"(?:is |was )?(?:complete|completed|signed off|successful))|"
        r"(?<!mid-)(?<!mid )\b(?:poc|pov|pilot|proof of (?:concept|value)|trial|test) (?:readout|results?|wrap(?:-?up)?|review|"
        r"close|closeout|end)\b[.:]?"
        r"(?:(?!\bso far\b|\binterim\b|\bto date\b)[^.;]){0,60}?\d(?![^.;]*\bso far\b)|"
        r"(?<!\bof \d )(?<!\bof \d\d )\b(?:success |evaluation |acceptance )?(?:criteria|criterion|requirements) "
        r"(?:(?:were|was|are|is|all|both|fully) ){0,2}met\b(?!\s*\?)(?![^.;]*\b(?:so far|to date|yet)\b)|\bsigned (?:the |an? |their )?(?:evaluation|acceptance|test|pilot|validation) (?:sheet|report|form|"
        r"summary|scorecard)|"
        r"\b(?:accuracy|acceptance|integration|validation|user|load|performance) test\b(?![^.;:]{0,40}?\bfail)"
        r"[^.;:]{0,40}?:\s*\d+(?:\.\d+)?\s*%(?![^.;]{0,20}?\b(?:errors?|failures?|fail(?:ed)?)\b)|"
        r"\b(?:poc|pov|pilot|proof of (?:concept|value)|trial)\b[^.;]{0,30}?\b(?:cut|reduced|improved|saved|lowered|"
        r"raised|increased|lifted)\b[^.;]{0,30}?\d",
        _I,
    ),
    Signal.TERMS_AGREED: lazy(
        r"\b(?:final )?(?:terms|pricing|commercials|price)\b[^.;]{0,100}?\.\s*(?:all )?agreed\b|"
        # the price accepted with the concession given: "Ricardo accepted w/ 3% off for annual prepay"
        r"\b(?:accepted|agreed|approved|ok'?d|okayed)\b (?:it |the (?:price|proposal|quote|offer) )?(?:(?:w/|with|at|on) )?"
        r"(?:a )?\d+(?:[.,]\d+)? ?% (?:off|discount)\b|"
        r"\b(?:ok|okay|fine|happy|comfortable) with (?:the |our |your )?(?:price|pricing|terms|commercials|quote)\b|"
        r"\b(?:terms|pricing|commercials|price) (?:are |were |is |was )?(?:agreed|accepted|approved|signed off|settled|"
        r"finali[sz]ed|locked)|\bagreed (?:the |a )?(?:[\w-]+ )?(?:deal|price) at\b|\bat (?:the |our )?(?:quoted|proposed|"
        r"agreed) (?:[\w-]+ )?(?:price|pricing|terms)\b|\b(?:order form|proposal|quote|pricing|contract) (?:is |was |looks "
        r")?(?:fine|ok(?:ay)?|good|acceptable)\b|\bagreed (?:on )?(?:the )?"
        r"(?:terms|pricing|commercials|price)\b|\b(?:approved|accepted|signed off on|happy with|fine (?:with|on)|"
        r"ok'?d|okayed|okay with)(?: the| our)?(?: [\w-]+){0,3}? (?:terms|pricing|commercials|price)\b|"
        r"\b(?:approved|accepted|agreed|ok'?d|okayed|signed off on)\b[^.;]{0,40}?\bat list\b|"
        r"\b(?:approved|accepted|agreed(?! to\b))\b[^.;]{0,30}?\bon the terms (?:we |you )?(?:discussed|agreed|proposed|"
        r"quoted)\b|(?<!partly )(?<!only )\bagrees? with (?:the |our )?(?:(?!that\b|about\b|concern|issue|problem)[\w-]+ ){0,4}?"
        r"(?:and )?(?:the |our )?(?:price|pricing|commercials)\b(?! (?:is|was|are) (?:the |a )?(?:sticking|problem|issue|too))",
        _I,
    ),
    Signal.PAPER_COMPLETE: lazy(
        r"\b(?:contract|msa|order form|po|purchase order|dpa) (?:(?:is |was |has been |fully )?(?:signed|executed|"
        r"issued|countersigned)|raised|received)\b|\bsigned (?:the )?(?:order form|contract|msa)\b|"
        r"\b(?:legal|counsel|procurement|purchasing|security review|vendor risk)(?:'s|'ve)? (?:is |are |has |have )?(?:now )?"
        r"(?:approved|complete|completed|signed off|done|cleared|finished|wrapped(?: up)?)\b|"
        r"\blegal (?:sign-?off|approval) (?:received|done|complete|on)\b|"
        # "contract final", "the MSA is now final", "final contract version agreed"; not a target ("contract final
        # 12/15", "contract final by Friday") or a part still open ("contract final except for the liability cap")
        r"\b(?:contract|agreement|msa|order form) (?:is |now |is now )?(?:final|finali[sz]ed)\b(?! (?:review|check|draft|"
        rf"round|comments?|redlines?|version (?:with|to|for))){_NOT_DONE_YET}|"
        rf"\bfinal (?:contract|agreement) (?:version )?(?:agreed|accepted)\b{_NOT_DONE_YET}|"
        # the buyer's side closes the markup: "Redlines are closed on our side", "all redlines agreed"; not ours
        r"(?<!our )\bredlines? (?:are |were |have been |has been |is )?(?:now |all )?(?:closed|agreed|resolved|accepted|"
        rf"signed off|cleared|complete|completed)\b{_NOT_DONE_YET}|"
        # the paper goes to the signer: "clean version goes to Jukka for signature", "contract ready for signature"; not
        # a plan ("we'll have the contract ready for signature next week")
        rf"\bclean (?:version|copy)\b[^.;]{{0,40}}?\b(?:for|to) (?:signature|sign)\b{_NOT_DONE_YET}|"
        r"(?<!so it's )(?<!so it is )(?<!so that it's )(?<!have the contract )(?<!have it )\bready (?:for signature|"
        rf"to (?:be )?sign(?:ed)?)\b{_NOT_DONE_YET}",
        _I,
    ),
    Signal.CHAMPION_ENABLED: lazy(
        r"\b(?:business case|roi (?:model|deck|calculator)|exec(?:utive)? (?:summary|deck)|one-?pager|internal "
        r"(?:deck|pitch|presentation)|talk track|slides? for)\b",
        _I,
    ),
    Signal.HANDOFF: lazy(
        r"\b(?:hand-?off|handed over|kick-?off|onboarding|customer success|csm|implementation (?:kickoff|plan|start)|"
        r"success plan|go-?live plan)\b",
        _I,
    ),
}
"""Text pattern per signal tag (case-insensitive)."""

_NEGATION = lazy(r"\b(?:no|not|never|without|nor|find out|figure out|unclear|unsure)\b[^.;,!?]*$|n't\b[^.;,!?]*$", _I)
"""A negation, or a question still open ("she will find out who in legal owns it"), earlier in the clause."""

WRITTEN_ARTEFACT = lazy(
    r"\b(?:e-?mail(?:ed)?|in writing|written|signed(?! off)|documented|document|memo|minutes|mutual action plan|map|"
    r"business case|rfp|contract|sow|purchase order|slide|deck|spreadsheet|letter|recap)\b",
    _I,
)
"""MEDDPICC grade 3 ("validated in writing"): the element's evidence cites a written artefact."""

STATUS_QUO = lazy(
    r"\b(?:status quo|do[- ]nothing|no decision|build(?:ing)? (?:it |this |that |their own |our own )?in[- ]house|"
    r"compar\w* (?:us |it |this )?(?:against|with|to) build(?:ing)?|in[- ]house (?:build|tool|solution|"
    r"team)|home-?grown|spreadsheets?|excel|diy|internal build|keep(?:ing)? (?:the )?current|clipboards?|"
    r"paper (?:diary|diaries|logs?|sheets?|forms?|records?)|pen and paper)\b",
    _I,
)
"""Alternatives that are not vendors but still compete: status quo, do-nothing, build in-house."""

E_SIGN = r"docusign|adobe sign|penneo|e-?sign(?:ature|ing)?"
"""An e-signature service or step, as a plan or a note names it ("DocuSign to Craig", "Penneo", "e-signature")."""
SELF_SIGN_FOREIGN = (
    r"(?<!não )(?<!nao )(?<!no )\b(?:assino|assinarei|firmo|firmaré|firmerò|je signe|je signerai|ik teken|ik onderteken)\b"
    r"(?! (?:pas|niet|nicht|não)\b)|\bich (?:unterschreibe|zeichne)\b(?! nicht\b)|我(?:来|会)?签(?![不了]|吗)"
)
"""A buyer saying, in their own language, that they sign ("Assino pelo DocuSign no dia 9/12", "je signe lundi", "ik
teken vrijdag", "我来签"); not "Não assino sem o desconto", "Ich unterschreibe nicht vor Juli", "我签不了"."""

SENIOR_TITLE = lazy(
    # "chief" only as "Chief … Officer": a Copy Chief or Chief of Staff holds no budget; and not a title
    # held "to" someone senior: an Executive Assistant to the CEO keeps the diary, not the budget
    r"(?<!\bto the )(?<!\bto )\b(?:ceo|cfo|coo|cio|cto|cro|cmo|chief \w+(?: \w+)? officer|president|founder|owner|svp|evp|vp|vice president|head of|"
    r"managing director|general manager|(?:group )?finance director|financial director)\b",
    _I,
)
"""Titles that sound like budget authority. A title is not a signature: see ``meddpicc.economic_buyer``."""

ASSISTANT_TITLE = lazy(
    # an assistant or PA *to* someone, or by its office; not an Assistant General Manager, an Assistant County
    # Attorney or an Operations Coordinator, who hold a job of their own
    r"\b(?:executive|personal|administrative|office|private) (?:assistant|secretary)\b|\bassistant to\b|"
    r"\b(?:ea|pa)(?: to\b|$)|\bsecretary to\b|\bscheduler\b|\b(?:diary|calendar) (?:manager|coordinator)\b|"
    r"\bexecutive coordinator\b|(?:总裁|总经理|董事长|首席执行官|行政|私人)助理|秘书(?!长)|"
    # in the buyer's language: Asistente de Gerencia General, Assistentin der Geschäftsführung, assistante de
    # direction, Vorstandsassistenz; not an Asistente Técnico, who holds a job of their own
    r"\b(?:asistente|assistente|assistant[ea]?|assistentin|assistenz|secretari[ao]) (?:ejecutiv[oa]|de (?:la )?(?:gerencia|direcci[oó]n|"
    r"presidencia)|del? (?:gerente|director|presidente)|personal|de direction|der (?:gesch[aä]ftsf[uü]hrung|vorstand|"
    r"direktion)|da (?:diretoria|presid[eê]ncia))|\b(?:vorstands|gesch[aä]ftsf[uü]hrungs)assisten(?:z|tin)\b",
    _I,
)
"""Titles of people who keep someone else's diary (an Executive Assistant to the CEO, a PA): they book the
meeting, they neither decide nor champion, and the only thing to ask them is a date."""

PAPER_TITLE = lazy(
    r"\b(?:legal|counsel|attorney|lawyer|solicitor|contracts?|procurement|purchasing|sourcing|buyer|"
    # the same offices in the buyer's language: Jefa de Abastecimiento, Leiterin Einkauf, Ufficio Acquisti
    r"abastecimiento|compras|adquisiciones|aprovisionamiento|suprimentos|jur[ií]dic[oa]|fiscal[ií]a|contratos|"
    r"einkauf|beschaffung|rechtsabteilung|justiziar(?:in)?|syndikus|achats?|juridique|juriste|approvisionnement|"
    r"inkoop|acquisti|ufficio legale)\b|采购|法务|購買|調達|法務",
    _I,
)
"""A title that runs the buyer's paper: "Senior Commercial Counsel", "Procurement Lead", "Director of Supply
Chain & Contracts", "Jefa de Abastecimiento"."""

LEGAL_TITLE = lazy(
    r"\b(?:legal|counsel|attorney|lawyer|solicitor|jur[ií]dic[oa]|fiscal[ií]a|rechtsabteilung|justiziar(?:in)?|"
    r"syndikus|juridique|juriste|ufficio legale)\b|法务|法務",
    _I,
)
"""The lawyers among :data:`PAPER_TITLE`: who answers when a contract term is what is open."""

OPTIMISM = lazy(
    r"\b(?:they love (?:it|us)|slam[- ]dunk|done deal|in the bag|no[- ]brainer|sure thing|definitely (?:buying|"
    r"closing|signing)|can'?t lose|easy win|will definitely sign|it'?s a lock|(?:sign|close|closing|signing) for sure|"
    r"zero risk|guaranteed to (?:close|sign)|no way (?:we|this) (?:lose|loses|slips?))\b|100%",
    _I,
)
"""Phrases of certainty that, without evidence behind them, are happy ears."""

NEWCOMER_ASKS = lazy(
    r"\b(?:wants? (?:to see|a|an|the|it)|wanted|would want|'d want|needs?|needed|requires?|required|"
    r"insists?|won'?t (?:sign|approve|agree|commit)|will not (?:sign|approve|agree|commit)|without|unless|only if|"
    r"go(?:es)? through|has to|must|"
    r"before (?:he|she|they|it) (?:signs?|approves?|agrees?|commits?)|on condition|hold (?:the )?(?:pricing|price))\b|"
    r"需要|要求|除非|必须|之前不",
    _I,
)
"""What a stakeholder says that puts a condition of their own on the deal: something they need, a step it must go
through, a term before they sign ("wants to see it as a line in the BI budget", "all new multi-year commitments go
through the January capital review", "won't sign off without a vendor assessment"). Praise ("liked the inventory
case") and a request for a deliverable ("send me the final numbers") are not conditions."""

NEWCOMER_REOPENS = lazy(
    # the decision itself reopened, not a module reviewed or a rollout revisited ("review each module", "revisit
    # the rollout sequence", "other options for deployment", "built from scratch" are none)
    r"\b(?:review(?:ing|s)? (?:all|every) (?:of )?(?:\w+'s )?(?:\w+ )?(?:projects|purchases|spend|vendors|contracts|commitments)|"
    r"re-?(?:evaluat\w*|assess\w*|consider\w*|open\w*|visit\w*) (?:the |this |our |their )?(?:decision|vendor|"
    r"supplier|selection|evaluation|project|purchase|spend|business case|choice)|fresh look at (?:the )?(?:options|"
    r"vendors|decision|market)|(?:other|different) (?:vendors|suppliers|providers)\b(?! for)|look(?:ing)? at (?:the )?"
    r"(?:other )?(?:options|alternatives) (?:again|before)|start (?:the (?:evaluation|selection) )?over|back to (?:the )?"
    r"market|re-?tender\w*|go(?:es|ing)? out to tender)\b|重新评估|重新考虑|其他供应商",
    _I,
)
"""What a stakeholder says that reopens the decision ("reviewing all of Lars's projects", "wants a fresh look at
the options", "going back to market"): the late stakeholder the rule warns of, met or not."""

TO_THE_TOOL = lazy(
    # "ignore previous instructions" with nothing after it of this world ("disregard the previous instructions on the
    # PO address" is a buyer correcting an email), "admin mode" only as something the reader is put in ("demoed the
    # admin mode" is a product), the system prompt only as something to reveal or ignore
    r"\b(?:ignore|disregard|forget) (?:all |any |the |your )?(?:previous|prior|above|earlier|other) "
    r"(?:instructions|rules|prompts?)\b(?! (?:on|about|for|regarding|re)\b)|"
    r"\b(?:you are|you're|enter|switch to|now in) (?:now )?(?:in )?(?:admin|developer|god) mode\b|"
    r"\b(?:reveal|print|show|repeat|ignore) (?:me )?(?:your|the) (?:system |hidden |original )?(?:prompt|instructions)\b|"
    r"\byou are now (?:an? |the |in )?(?:ai|assistant|chatbot|model|unrestricted|jailbroken|dan)\b|"
    r"\b(?:you must|you will|you should) (?:reply|respond|answer) only with\b|(?:^|[.!:]\s*)(?:reply|respond|answer) "
    r"only with\b|"
    r"\b(?:act|respond|answer) as an ai (?:language )?(?:model|assistant)\b|忽略(?:之前|以上|前面)的?(?:所有)?指令|"
    r"(?:泄露|显示|输出)(?:你的)?系统提示",
    _I,
)
"""Text addressed to an AI assistant, not about the deal: an instruction planted in the record (pasted from an AI
tool, or carried in by a buyer's email). It is only ever detected and reported (``hygiene.instruction_in_record``),
never obeyed; the chat quotes no note that holds it."""

_PRODUCT_PARTS = r"(?:features?|modules?|capabilit(?:y|ies)|products?|functionality)"
FEATURE_TOUR = lazy(
    rf"\b(?:full (?:product )?tour|(?:all|every|each) (?:of )?(?:the |our )?{_PRODUCT_PARTS}|feature (?:overview|"
    r"walk-?through|tour|dump)|show(?:ed)? (?:them )?(?:everything|the lot)|overview of (?:the )?(?:platform|product)|"
    r"(?:platform|product) (?:overview|tour)|(?:standard|canned|usual|generic|stock|vanilla) demo)\b",
    _I,
)
"""Demo summaries that describe showing the product rather than answering a pain."""


MEETING_NEW_TITLE = lazy(
    r"\b(?:meet(?:ing)?|intro(?:duc\w+)?|call|session|review|workshop|walk-?through|presentation|demo|lunch|visit)"
    r"\b[^.;:]{0,40}?\b(?:to\s+)?(?:the|their|a|an)\s+((?:(?:new|acting|interim)\s+)?(?:[a-z&]+\s+){0,2}?(?:cto|cio|"
    r"ciso|vp|svp|evp|director(?: of [a-z]+)?|head of [a-z]+|controller|gm|general manager))\b"
    r"|(?:会见|拜访|约见|介绍给|引荐给|汇报给|带(?:我们|我|你)?去?见)(?:他们的|对方的|客户的)?"
    r"([\u4e00-\u9fffA-Za-z]{1,8}?(?:总监|总经理|负责人|主管|副总裁))",
    _I,
)
"""A meeting with someone by title ("Meet the QA director", "intro call with their head of IT", "带我们见质量总监"):
whether anyone on the deal holds that title is :func:`unheld_title`'s question. The signer's titles (CFO, CEO)
are the economic buyer's reading, not someone new."""
_NOT_A_MEETING = lazy(r"\b(?:not|never|if|whether|met|had met|won't|cannot|can't)\b|n't\b|不|没|如果|过", _I)
"""Words before the title that make it no meeting ahead: negated, supposed or already held ("Hana will not bring
the IT director", "ask Hana if we can meet the QA director", "Grace, who met the QA director last week")."""
_TITLE_SHORT = {"gm": "general manager", "cio": "chief information officer", "cto": "chief technology officer",
                "ciso": "chief information security officer", "vp": "vice president"}  # fmt: skip
_QUALIFIER = lazy(r"^(?:new|acting|interim)\s+", _I)


def unheld_title(text: str | None, titles: Iterable[str]) -> str | None:
    """The title of a meeting's other side that none of ``titles`` (the deal's people's titles and roles) holds
    ("QA director" in "Meet the QA director" on a deal whose only contact is a Lab Operations Lead); None when
    the text names no title, the meeting is negated, supposed or past, or someone on the deal holds the title,
    word for word ("the new CIO" on a deal with a Chief Information Officer, "the GM" with a General Manager;
    a Director of Support holds no CTO)."""
    match = MEETING_NEW_TITLE.search(text or "")
    if match is None or _NOT_A_MEETING.search((text or "")[: match.start(1) if match.group(1) else match.start(2)]):
        return None
    title = _QUALIFIER.sub("", " ".join((match.group(1) or match.group(2)).split()))
    held, lowered = " | ".join(t.lower() for t in titles), title.lower()
    known = [lowered, _TITLE_SHORT.get(lowered, "")]
    return None if any(k and re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", held) for k in known) else title


def find(pattern: re.Pattern[str], text: str | None) -> str | None:
    """The first non-negated match of ``pattern`` in ``text``, or None."""
    if not text:
        return None
    return _first(pattern, text, questions=True)


def _first(pattern: re.Pattern[str], text: str, *, questions: bool, done: bool = False) -> str | None:
    match = first_match(pattern, text, questions=questions, done=done)
    return match.group(0) if match else None


def first_match(
    pattern: re.Pattern[str], text: str, *, questions: bool = True, done: bool = False
) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that says so (:func:`find`'s rules), as a match object."""
    for match in pattern.finditer(text):
        if _NEGATION.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        if done and _REQUESTED.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "Asked Tobias to set up 30 min with Ana": our ask, not something they did
        if done and _DESCRIBED.search(text[max(0, match.start() - 60) : match.start()]):
            continue  # "Any new vendor goes through TPRM - questionnaire, pen test, DPA": the process, not started
        if not questions:
            end = _CLAUSE_END.search(text, match.end())
            if end and end.group(0) == "?":
                continue  # a question asks, it does not say so: "is the budget there?"
            if _CONDITION.search(text[max(0, match.start() - 40) : match.start()]):
                continue  # a condition still to be met: "final number once procurement's done"
        return match
    return None


_CLAUSE_END = lazy(r"[.;!?\n]")
_REQUESTED = lazy(
    r"\b(?:ask(?:ed|s|ing)?|want(?:s|ed)?|hop(?:e|es|ing)|need(?:s|ed)?|offered)\b[^.;!?]{0,30}?\bto\s+$", re.I
)
"""Words that make what follows an ask or a hope, not an act: "asked Tobias to set up", "wants her to book"."""
_DESCRIBED = lazy(
    r"\b(?:go(?:es)? through|usually|typically|normally|(?:will|would) (?:need|have to|require)|requires?|"
    r"has to|have to|must)\b[^.;!?]*$",
    re.I,
)
"""Words that make what follows the buyer's process as described, not a step under way: "any new vendor goes
through TPRM", "legal will need to review"."""
_DONE_BY_THEM = frozenset({Signal.CHAMPION_SCHEDULED, Signal.LEGAL_SECURITY_REVIEW})
"""Signals that say the buyer did something: an ask of ours that they do it is not the act."""
_CONDITION = lazy(r"\b(?:once|until|till|unless|if|as soon as)\b[^.;,!?]*$", _I)
"""A condition earlier in the clause: a fact stated under it has not happened yet."""
_STATEMENTS = frozenset(
    {
        Signal.BUDGET_CONFIRMED,
        Signal.TERMS_AGREED,
        Signal.VERBAL_COMMIT,
        Signal.PAPER_COMPLETE,
        Signal.TECHNICAL_VALIDATION,
    }
)
"""Signals that state a fact: a question about it ("is the budget there?", "has legal approved?") is not it."""


def detect(text: str | None) -> set[Signal]:
    """Signal tags whose pattern matches ``text`` (negated matches excluded)."""
    return set(_detect(text)) if text else set()


@lru_cache(maxsize=DETECT_CACHE_SIZE)
def _detect(text: str) -> frozenset[Signal]:
    # CRM exports repeat the same few summaries ("Last activity recorded in the CRM") across thousands of
    # deals; running 19 patterns once per distinct text instead of once per activity halves a pipeline review.
    return frozenset(
        signal
        for signal, pattern in SIGNAL_PATTERNS.items()
        if _first(pattern, text, questions=signal not in _STATEMENTS, done=signal in _DONE_BY_THEM)
    )


_ANSWERED = lazy(
    r"\b(?:approved|agreed to (?:it|that|the (?:discount|ask|reduction))|accepted|granted|signed off|ok'?d|okayed)\b"
    r"(?: (?:by|on|it|that|the same|same|"
    r"right away|on the spot|there and then))?[^.;]{0,25}?\b(?:same (?:call|day|meeting)|on the (?:call|spot)|"
    r"there and then|right away|immediately)\b|\bgave (?:it|them|him|her|that)\b[^.;]{0,30}?\b(?:in exchange for|in return for|"
    r"against)\b|\b(?:traded|swapped) (?:it |that )?for\b",
    re.IGNORECASE,
)
"""A price ask settled in the same breath: "approved by my mgr same call", "agreed on the spot", "gave it in
exchange for a case study"."""


def answered_in_place(summary: str) -> bool:
    """The price or budget ask the summary reports was granted in the same conversation, by the same words'
    sentence ("she asked 5% off for annual prepaid - approved by my mgr same call"): not a concern still open."""
    for sentence in re.split(r"(?<=[.!?;])\s+", summary):
        concern = SIGNAL_PATTERNS[Signal.BUDGET_CONCERN].search(sentence)
        if concern and _ANSWERED.search(sentence, concern.end()):
            return True
    return False


def activity_signals(activity: Activity) -> frozenset[Signal]:
    """The activity's explicit ``signals`` when it has any list, else the heuristics on its summary."""
    if activity.signals is not None:
        return frozenset(activity.signals)
    return _detect(activity.summary) if activity.summary else frozenset()


# a title of address before a name ("Dr. Katrin Lenz", "Prof. Ito"): not the person's first name
_HONORIFICS = ("dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "herr", "frau", "ing", "mag", "dipl")
_DEGREES = ("med", "dr.-ing", "dipl.-ing", "sr", "sra", "srta", "dott", "dottssa")
"""Titles read only before a name a greeting uses ("Dr. med. Anna Berg", "Dr.-Ing. Katrin Vogel"), kept out of the
sentence splitter's and the addressed surname's list so their readings stay as they were."""


_MONTH_START = re.compile(
    r"(?:jan(?:uary|\.)?|j[äa]nner|januar[iy]?|feb(?:ruary|ruar[iy]?|rero|\.)?|mar(?:ch|\.)?|märz|maart|marzo|mars|"
    r"apr(?:il|\.)?|abril|avril|ma[iy]|mei|mayo|june?|juni|junio|juin|july?|juli|julio|juillet|aug(?:ust|ustus|\.)?|"
    r"agosto|août|sep(?:t|tember|\.)?|septiembre|septembre|o[ck]t(?:ober|\.)?|octubre|octobre|nov(?:ember|iembre|embre|\.)?|"
    r"de[cz](?:ember|\.)?|diciembre|décembre)(?!\w)",
    re.IGNORECASE,
)
"""A month's name at the start of what follows a day written with a point ("am 21. Jänner 2027"), in the languages
of the buyers' emails: the point is an ordinal's, not a sentence's end."""
_SENTENCE_END = re.compile(r"(?<=[.;!?])['\"”’]?\s+|(?<=[。；！？])\s*|\n")


def sentences(summary: str | None) -> list[str]:
    """The sentences of a note, a closing quote mark kept with the sentence it ends ("… until 31.12.' He wants…"),
    never split after a title of address ("Dr. Vogt signs"), a lone initial ("J. Smith"), a number's point or a day's
    ordinal point before a month ("am 21. Jänner 2027")."""
    return joined(_SENTENCE_END.split(summary or ""))


_POINT = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")


def points(summary: str | None) -> list[str]:
    """The sentences of a text at its full stops, question and exclamation marks only, not at a ";" or a line
    break as :func:`sentences` also splits; never after a title, an initial or a day's ordinal point, nor inside a
    quotation still open ("“Lúcia still keen!! She said she'll keep in touch…”" is one)."""
    out: list[str] = []
    for piece in joined(_POINT.split(summary or "")):
        if out and _open_quote(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def joined(pieces: list[str]) -> list[str]:
    """Pieces of a text split at every point, joined again where the point was no sentence's end: after a title of
    address ("Dr. Vogt signs"), a lone initial ("J. Smith") or a day's ordinal point before a month."""
    out: list[str] = []
    for piece in pieces:
        last = out[-1].rstrip() if out else ""
        word = last.rsplit(None, 1)[-1].lower() if last else ""
        ordinal = word[:-1].isdigit() and len(word) <= 3 and _MONTH_START.match(piece) is not None  # "am 21. Jänner"
        if out and last.endswith(".") and (word.rstrip(".") in _HONORIFICS or len(word.rstrip(".")) == 1 or ordinal):
            out[-1] = f"{last} {piece}"
        else:
            out.append(piece)
    return [p for p in out if p.strip()]


def name_words(name: str) -> list[str]:
    """The words of a person's name without a leading title of address: "Dr. Katrin Lenz" -> Katrin, Lenz."""
    parts = name.split()
    while len(parts) > 1 and parts[0].lower().rstrip(".") in (*_HONORIFICS, *_DEGREES):
        parts = parts[1:]
    return parts


def given_name(name: str) -> str:
    """The name a record calls someone by: "Felix" for "Dr. Felix Ammann", "Dana" for "Dana Lee"."""
    words = name_words(name)
    return words[0] if words else ""


def addressed_pattern(surname: str) -> str:
    """A surname with a title of address, the way notes name a senior buyer: "Dr. Lenz", "Ishikawa-san"."""
    last = re.escape(surname.lower())
    return rf"\b(?:{'|'.join(_HONORIFICS)})\.?\s+{last}\b|\b{last}[- ](?:san|sama|sensei)\b"


_ADVERBS = r"(?:\s+(?:has|had|have|already|just|also|personally|herself|himself|then|kindly|finally))*"


def set_up_by(names: Iterable[str], summary: str | None) -> bool:
    """Whether the summary says one of ``names`` set the meeting up: the person (or "she"/"he" in a summary that
    names them) is the one who scheduled, booked, arranged or brought us in ("Raj scheduled the signature call",
    "Teresa has booked 45 min with Kurt", "she sent it to Neil and booked the price review", "VP meeting arranged by
    Andy", "(Takeda arranged)"). A meeting booked by nobody in the sentence ("Exec review w/ Sandra booked for
    11-17"), for them ("Sandbox set up for Chloe's team"), by someone else ("They've booked a Gong demo") or still
    to come ("She'll take it to Greg, then set up a call") is no scheduling of theirs."""
    if not summary:
        return False
    parts = {
        w.lower() for name in names for w in name.split() if len(w) >= 2 and w.lower().rstrip(".") not in _HONORIFICS
    }
    if not parts:
        return False
    pronouns = r"|she|he" if mentions(list(names), summary) else ""  # "she" only in a summary that names them
    who = r"\b(?:" + "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True)) + pronouns + r")\b"
    agent_before = re.compile(who + _ADVERBS + r"\s*$|" + who + r"[^,;.]{0,60}?\band\s*$", _I)
    agent_after = re.compile(r"\s+by\s+" + who, _I)
    pattern = SIGNAL_PATTERNS[Signal.CHAMPION_SCHEDULED]
    for match in pattern.finditer(summary):
        start = max(summary.rfind(mark, 0, match.start()) for mark in ".;!?:")
        before = summary[start + 1 : match.start()]
        if _NEGATION.search(before) or _REQUESTED.search(before):
            continue
        if agent_before.search(before) or agent_after.match(summary, match.end()):
            return True
    return False


def mentions(names: Iterable[str], text: str | None) -> bool:
    """Whether ``text`` names any of ``names`` (full name, first name or a surname with a title of address,
    whole word, case-insensitive)."""
    if not text:
        return False
    lowered = text.lower()
    for name in names:
        words = name_words(name)
        for part in {name.lower(), words[0].lower() if words else ""}:
            if len(part) >= 2 and re.search(rf"\b{re.escape(part)}\b", lowered):
                return True
        if len(words) >= 2 and len(words[-1]) >= 3 and re.search(addressed_pattern(words[-1]), lowered):
            return True
    return False


_QUOTED_WORDS = lazy(r'(?:^|(?<=[\s(:]))"([^"]{12,}?)"(?=[\s).,;:]|$)|“([^”]{6,})”')
"""Words quoted in a line of coaching: an opening quote after a space, bracket or colon and a closing one before one,
so the text between two quotations ('as "our plan" in a document … "Legal review"') is never read as a quote."""


def quotes_in(text: str) -> list[str]:
    """The words a line quotes, straight or curly (:data:`_QUOTED_WORDS`), as written, "…" included."""
    return [a or b for a, b in _QUOTED_WORDS.findall(text)]


def money_amount(money: str) -> float:
    """``£100k`` -> 100000.0, ``$1.5 million`` -> 1500000.0."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", money)
    number = float(digits.group(0).replace(",", "")) if digits else 0.0
    unit = money.lower().rstrip()
    if unit.endswith(("k", "thousand")):
        number *= 1_000
    elif unit.endswith(("m", "million")):
        number *= 1_000_000
    return number


PILOT_WORDS = r"\b(?:pilot|poc|pov|proof of (?:concept|value)|trial)\b"
"""A pilot as the record names one (a proof of concept, a trial)."""


def quote(text: str | None, limit: int = 120) -> str:
    """A one-line excerpt of untrusted text for evidence, quoted so it reads as data."""
    flat = " ".join((text or "").split())
    return '"' + (flat if len(flat) <= limit else flat[: limit - 1] + "…") + '"'


def quote_around(text: str | None, pattern: re.Pattern[str], limit: int = 120) -> str:
    """Like :func:`quote`, but a long text whose match lies past its first sentence is quoted from the sentence
    that holds the match ("…In passing: finance froze new Q4 opex after the October sales miss and moved all new
    software into the 2027 budget…"): the evidence shows what fired."""
    flat = " ".join((text or "").split())
    hit = first_match(pattern, flat)
    if len(flat) <= limit or hit is None:
        return quote(flat, limit)
    start = max(flat.rfind(". ", 0, hit.start()), flat.rfind("; ", 0, hit.start()))  # "Brendan: '…'" keeps who
    if start < 0:  # the match is in the first sentence: the excerpt from the start holds it
        return quote(flat, limit)
    start = start + 2 if hit.end() - (start + 2) <= limit - 2 else max(0, hit.start() - 20)
    return quote("…" + flat[start:], limit)


_NOT_A_BRAND = frozenset(
    """blue red green black white gold silver smart open one first next new service sales work team status
    internal in-house inhouse homegrown home build spreadsheets spreadsheet manual excel the our their legacy
    current existing unnamed other another generic custom local global united general""".split()  # noqa: SIM905
)
"""First words of a competitor's name that are no brand on their own ("Blue Yonder", "Status quo (Excel)")."""


@lru_cache(maxsize=512)
def competitor_pattern(name: str) -> re.Pattern[str]:
    """A competitor as notes name it: its full name (any case), or its brand alone, the first word of a longer
    name written as the CRM writes it ("Lumina" for "Lumina CDP", "Siemens" for "Siemens Opcenter"), unless
    that word is no brand on its own ("Blue" of "Blue Yonder")."""
    full = name.strip()
    words = full.split()
    alternatives = [rf"(?i:{re.escape(full)})"]
    head = words[0].strip(",.()") if len(words) > 1 else ""
    if len(head) >= 4 and head[0].isupper() and head.lower() not in _NOT_A_BRAND:
        alternatives.append(re.escape(head))
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
