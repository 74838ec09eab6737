"""What a rule step or question is for, written in the rule file and parsed here, not guessed in Python.

A "How to apply" step or a "Questions to ask" item may end with markers::

    3. Send one short, specific message that names their last commitment. {for momentum.champion_dark}
    2. If any condition is missing, call the deal best case. {for anti.forecast_fantasy} {when call<=best_case}
    7. Across your whole pipeline, re-categorise every deal. {scope pipeline}

* ``{for CODE, CODE}``: the finding codes the step answers. The offline coach turns a finding into an
  action only through a step marked for its code, so rewording a step never silently changes the coaching.
* ``{when ATOM, ATOM}``: the step applies only when every atom holds (``a|b`` inside an atom: either).
  Atoms (:data:`ATOMS`): a finding code (it fired) or ``!code`` (it did not); ``stage<X``, ``stage>=X``,
  ``stage=X``; ``call<=best_case``, ``call>=best_case``, ``call=omitted`` (the forecast call); ``tier=N``,
  ``tier<=N``; ``fit=poor``; ``situation=incumbent``; ``role=technical_buyer`` / ``!role=…`` (the deal
  names someone in that role; the user buyer also as ``committee.missing_role`` reads them from the record, the
  leader of the team that ran the pilot); ``pricing_out`` / ``!pricing_out`` (a proposal went out); ``source_known`` /
  ``!source_known`` (the record says who said what the finding quotes: the words name them, "New CFO
  says…", or they said it in a conversation on record, "Roberto: …" or the one person on the call; so a step
  or question asking "who raised it" is not asked); ``baseline_known`` (the record has the buyer's numbers for the pain
  or the metric: "Q2 miss of 18%"); ``roles_known`` (every contact on record has a committee role);
  ``signer_review_planned`` (a dated step ahead puts the signer, by name or title, in front of the case);
  ``alternatives_known`` (the record names what the buyer uses today or would do instead: "Zendesk is the
  incumbent"); ``criteria_known`` (the decision criteria are on record, buyer-confirmed, or the record shows them); ``arrival_known``
  (the record says why the late stakeholder came in: "New CFO …; previous EB left"); ``view_known`` (the
  late stakeholder has already said what they think, on record: "New CFO says the price is too high");
  ``owed_back`` (the record says the buyer sent the seller something to complete and return: a security
  questionnaire); ``renewal`` (the deal renews the buyer's contract with us: situation incumbent and the
  record calls it a renewal, so walking away applies to the new money only, never to the renewal);
  ``case_on_record`` (the record shows a business case, ROI model or deck the buyer side already has: the
  step builds on it instead of writing a second one); ``evaluation_agreed`` (the record shows the evaluation
  already agreed: success criteria agreed, or a pilot or proof of concept on the plan); ``technical_meeting``
  (the next meeting the champion is in or booked is with the technical buyer or their team); ``champion_next``
  (the deal's next step is the champion's own, dated ahead: "Revised business case for Mark", owner Clara);
  ``signer_meeting_ahead`` (a dated meeting or plan step ahead involves the economic buyer: there is a
  presentation to make their attendance real for);
  ``budget_moved`` (the budget concern on record is a freeze, a cut or money moved to a later budget: "moved all
  new software into the 2027 budget", not a price objection);
  ``procurement_ask`` (the late price concern is procurement's process ask: "a 20% reduction from all new
  suppliers as a condition of award");
  ``self_serve_on_record`` (the record shows the buyer already buying self-serve: a trial, a card checkout);
  ``review_done`` (the record shows the buyer's security or legal review finished: "InfoSec approval letter
  received", "Security approved 11/6", "MSA redlines closed");
  ``paper_known`` (the record says whose paper the contract is on: "Their contract", "our MSA", "on our paper");
  ``paper_owner`` (a buyer-side legal, contracts or procurement person is on record in a two-way exchange: who
  reviews the paper is known, so a question asking who will is not asked);
  ``condition`` (the paper finding leads with the buyer's own condition before signature, ``timing.condition_open``:
  "needs a DPIA addendum approved by the DPO before signature", "Vor Abschluss der Betriebsvereinbarung können wir
  den Vertrag nicht unterzeichnen");
  ``paper_silent`` (from proposal on, the buyer's legal, contracts or procurement person, a Jefa de
  Abastecimiento the signer sent us to, has not answered our follow-ups: ``momentum.unanswered_outreach`` names
  them; writing to them again is not the move, going through whoever sent us is);
  ``paper_open`` (the deal's paper finding is the item still open: the buyer's latest word on the paper names one
  "Everything agreed except the liability cap amount", "DPA still with her");
  ``newcomer_booked`` (a meeting ahead on record has the late stakeholder in it: it is booked, so prepare it);
  ``champion_booked`` (a dated meeting or step ahead that the champion is in or owns: one to prepare with them);
  ``plan_ahead`` (the deal's mutual action plan has a dated step still ahead: there is a plan and a date the
  buyer agreed to ask about); ``technical_booked`` (a technical session ahead on record: a deep
  dive, workshop or integration session is booked, so the step prepares it rather than proposing one); ``lost``
  (the deal is closed lost: its review asks only
  questions marked with it, the loss review); ``live_planned`` (a go-live, launch, roll-out or kick-off step ahead on the deal's
  plan, or the buyer gave the date in a conversation on record, "want to go live 01-04": the date they need it
  live is on record);
  ``docs_owed`` (the buyer's paper process waits on documents from us: "Our docs not uploaded yet", "Please
  upload via the supplier portal");
  ``precondition`` (the buyer's process waits on a document to be signed first: "the confidentiality deed is not
  signed, so their evaluation clock has not started", "no data until the NDA is signed"), unless the paper is
  already stuck (a timeline that cannot fit leads, the document is part of it);
  ``precondition_ours`` / ``precondition_theirs`` (the record says whose desk that document is on: our legal,
  "Sent to our legal", or the buyer's, "NDA still with their legal", else the owner of the plan step to sign it;
  a step is then for that side, never "if it sits with your legal…; if with theirs…");
  ``gate_month`` (the deal now waits on a decision gate of the buyer's that the record dates by its month alone: "all
  new multi-year commitments go through the January capital review", a budget round, a board meeting, 预算评审,
  董事会; the plan is built around it: who presents it, our part for it dated before it, the signature after it);
  ``signer_handed_over`` (the signer we met is out of the role but still in the company, seconded or stepped
  aside, and someone else signs now and has not been met: the old signer can still hand over in person; a signer
  on holiday is no handover);
  ``references_sent`` (the record says the references the buyer asked for went out or the calls were held: "He
  asked for references so I sent two"; lining them up is done);
  ``successor_named`` (the signer on record has left, nobody on the contact list holds the economic-buyer role, and
  the record names who holds their office now: "approver on the workflow is M. Okafor (interim CFO) since Alan's
  departure"; whoever signs is known by name, not yet met);
  ``signer_booked`` (a meeting ahead with whoever signs, the record's successor when the signer on record left,
  that the champion is in or set up: the champion's own meeting, prepared with them, never gone around);
  ``held_ours`` (the record's latest word on an open paper item, a document, redline, term or approval, puts it
  with our own legal, deal desk, finance, security or product team, unanswered: "Sent to our legal 11/13, our legal
  says they'll look again next week"; the step is an internal escalation with a date, not a push on the buyer);
  ``approval_undated`` (the purchase goes to a body that sits on its own calendar, a cabinet, a council, a board or
  committee meeting on fixed dates, and no date of its sitting ahead is on record);
  ``paper_late`` (the buyer's own paper process cannot finish by the signature date: a lead time the record
  gives runs past it, or a review is dated after it);
  ``champion_shown`` (the record shows the champion doing something for the deal: setting up a meeting,
  sharing an internal document, taking the case to their boss; asking the rep what the champion has done is
  asking what the record answers);
  ``signer_said`` (the record has the signer's own word on the deal: in a conversation with the economic buyer
  they agreed the price, said yes, raised the price or the budget or went through the business case, or the decision
  waits on a condition the record gives; asking whether they have seen the price, or what they would need to believe, is answered);
  ``date_in_doubt`` (the record contradicts the signature date: the buyer places the decision later or the date is
  a placeholder, the project is on hold, the decision waits on something undated, the approving body has no sitting
  on record, or the buyer's own paper process runs past the date);
  ``process_known`` (the decision process is buyer-confirmed or validated in writing: who signs and who else says
  yes is on record, so a question asking it is not asked);
  ``technical_known`` (who gives the technical view is on record, or it is given: a technical buyer or an IT title
  on the deal, a technical validation, a finished security or legal review, or we are the incumbent);
  ``rival_returning`` (the competitor that appeared late was in the deal before and left: "back in the
  conversation" is true of it; a rival new to the deal is not "back");
  ``rival_answered`` (the buyer chose us after the rival's price move, in their own words: "It doesn't change our
  decision; you are our selected vendor"; the move is answered, and reopening price would undo the decision);
  ``review_gated`` (the buyer's reviewer says their review of our paper waits on a step on their own side, an
  approved requisition, a budget release: "MSA received, will review once there's an approved requisition"; the
  question is about that step and its date, not when the review finishes);
  ``rival_chosen`` (the buyer has told us it chose another vendor: "will proceed to contract negotiations with the
  preferred bidder", 未中标; ``DealFacts.rival_chosen``);
  ``champion_leaving`` (the champion has resigned and the record says until when they are still there: "she has
  resigned … last working day 18/12"; not one already gone, nor one moved to another role inside the buyer);
  ``spend_line`` (the record puts the deal above a money line of the buyer's process, such as a review or an
  approval of spend over an amount, that a first phase of at least half the deal could stay under: "New CFO is
  re-reviewing all spend over $100k" on a $130,000 deal);
  ``moved_unprompted`` (the latest push of the close date had no two-way contact with the buyer in the 14 days before
  it, ae-coach default: the rep moved it, not the buyer);
  ``alt=in_house``,
  ``alt=status_quo`` (the record names that alternative).
* ``{owner ROLE}``: a seller-side role who does the step with the rep (:data:`SELLER_ROLES`): the executive
  sponsor who calls a peer, the solutions engineer who answers technical questions, the deal desk or legal
  who drafts the paper. The action is then owned by the rep and that role.
* ``{scope deal|desk|pipeline}``: ``deal`` (default) works the deal with the buyer, ``desk`` is the AE's own
  bookkeeping, ``pipeline`` is about the whole pipeline and never becomes one deal's action.

A worked example inside a step ("…, e.g. 'CFO attends the business-case review on 12/8'") is split off
as :attr:`Marked.example`, so an example is never printed as an action; a parenthesised one ("what still stands
between the paper and a signature (e.g. open terms, security, who signs), with a date for each") is taken out and
the step goes on after it: a rule's menu of examples helps a reader of the rulebook, not a rep reading an action. ``ae-coach rules lint`` checks
every code and atom against the finding catalogue and the stage names.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ae_coach._patterns import lazy

STAGE_NAMES = ("discovery", "scoping", "validation", "proposal", "closing", "closed_won", "closed_lost")
CALLS = ("omitted", "pipeline", "best_case", "commit", "closed")
ROLES = ("economic_buyer", "champion", "technical_buyer", "user_buyer", "influencer", "blocker", "coach")
SITUATIONS = ("incumbent", "challenger", "unknown", "displacing")
FITS = ("strong", "good", "poor", "unknown")
ALTERNATIVES = ("in_house", "status_quo")
PLACEHOLDERS = (
    "economic buyer",
    "champion",
    "technical buyer",
    "competitor",
    "name",
    "source",
    "missing role",
    "case",
    "paper owner",
    "owed",
    "previous signer",
    "successor",
    "departed signer",
    "open point",
    "own numbers",
    "ally",
    "spend line",
    "last move",
    "pain on record",
    "news",
    "their next review",
    "newcomer",
    "plan step",
)
"""What a step or question may write in brackets for the coach to fill with the deal's own words (see
:func:`ae_coach.coach._wording.fill`); ``rules lint`` rejects any other, which would print as the bracket."""
BRACKETED = re.compile(r"\[[a-z][a-z ]*\]")
"""A ``[placeholder]`` as written in a rule (the lint checks its name; a translation keeps the same ones)."""
SELLER_ROLES = ("executive_sponsor", "solutions_engineer", "deal_desk", "legal")

FLAGS = (
    "pricing_out", "source_known", "baseline_known", "roles_known", "signer_review_planned", "alternatives_known",
    "criteria_known", "arrival_known", "view_known", "owed_back", "renewal", "case_on_record", "evaluation_agreed",
    "technical_meeting", "champion_next", "champion_shown", "signer_meeting_ahead", "paper_late",
    "budget_moved", "docs_owed", "procurement_ask", "champion_booked", "self_serve_on_record", "review_done",
    "paper_known", "paper_owner", "paper_silent", "newcomer_booked", "ally_known", "plan_ahead", "live_planned", "lost", "technical_booked", "paper_open",
    "precondition", "precondition_ours", "precondition_theirs", "held_ours", "signer_booked", "approval_undated", "signer_said", "date_in_doubt", "process_known", "technical_known",
    "rival_returning", "review_gated", "rival_chosen", "rival_answered", "signer_handed_over", "gate_month",
    "champion_leaving", "spend_line", "moved_unprompted", "condition", "successor_named", "references_sent",
)  # fmt: skip
"""The conditions a step may test by name alone (what each means: this module's docstring)."""

_ATOM = lazy(
    r"^(?P<neg>!)?(?:(?P<field>stage|call|tier|fit|situation|role|alt)(?P<op><=|>=|<|>|=)(?P<value>[a-z_0-9]+)"
    rf"|(?P<flag>{'|'.join(FLAGS)})|(?P<code>[a-z]+\.[a-z_]+))$"
)
ATOMS = (
    "code, !code, stage<X, stage>=X, stage=X, call<=X, call>=X, call=X, tier=N, tier<=N, fit=X, situation=X, "
    "role=X, alt=X, " + ", ".join(FLAGS)
)

_MARKER = lazy(r"\s*\{(for|when|scope|owner) ([^{}]*)\}\s*$")
_EXAMPLE = lazy(
    r"\s*\((?:e\.g\.|for example)[^)]*\)|[,;:]?\s+(?:e\.g\.|for example),?\s+.*$"
    # a Chinese rule (rules/zh) writes its worked examples with 例如
    r"|\s*[(（]例如[^)）]*[)）]|[，；：,;:]?\s*例如[，,：:]?\s*.*$",
    re.IGNORECASE | re.DOTALL,
)

_HAN = lazy(r"[\u4e00-\u9fff]")

Scope = Literal["deal", "desk", "pipeline"]


class Marked(BaseModel):
    """A step or question with its markers parsed off."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    text: str
    """The item as a reader sees it: markers removed (a step's worked example too)."""
    example: str | None = None
    """A worked example the author put inside a step ("e.g. …"): illustration, never an action."""
    answers: list[str] = Field(default_factory=list)
    """Finding codes the item answers (``{for …}``)."""
    when: list[str] = Field(default_factory=list)
    """Condition atoms that must all hold (``{when …}``)."""
    scope: Scope = "deal"
    owner: str | None = None
    """A seller-side role who does the step with the rep (``{owner …}``, one of :data:`SELLER_ROLES`)."""


def parse(raw: str, *, split_example: bool = True) -> tuple[Marked, list[str]]:
    """An item's text and markers, and the problems with its markers (unknown marker values)."""
    text, scope, owner = raw.strip(), "deal", None
    answers: list[str] = []
    when: list[str] = []
    problems: list[str] = []
    while True:
        match = _MARKER.search(text)
        if match is None:
            break
        kind, value = match.group(1), match.group(2)
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if kind == "for":
            answers = parts + answers
        elif kind == "when":
            when = parts + when
        elif kind == "owner":
            owner = value.strip()
            if owner not in SELLER_ROLES:
                problems.append(f"{{owner {value}}}: allowed seller roles are {', '.join(SELLER_ROLES)}")
        elif value.strip() in ("deal", "desk", "pipeline"):
            scope = value.strip()
        else:
            problems.append(f"{{scope {value}}}: allowed scopes are deal, desk, pipeline")
        text = text[: match.start()].rstrip()
    for atom in when:
        problems += [f"{{when {atom}}}: {p}" for p in atom_problems(atom)]
    example = None
    if split_example:
        found = _EXAMPLE.search(text)
        if found is not None and found.start() > 0:
            example = found.group(0).strip(" ,;:()，；：（）")
            # a parenthesised example ("(e.g. open terms, security)") goes, and the step goes on after it
            rest = text[found.end() :] if found.group(0).rstrip().endswith((")", "）")) else ""
            text = text[: found.start()].rstrip(" ,;:，；：") + rest
            text += "" if text.endswith((".", "!", "?", "。", "！", "？")) else ("。" if _HAN.search(text) else ".")
    item = Marked.model_validate(
        {"text": text, "example": example, "answers": answers, "when": when, "scope": scope, "owner": owner}
    )
    return item, problems


def strip(text: str) -> str:
    """``text`` with every trailing marker of every line removed (for section bodies shown to people)."""
    return "\n".join(_strip_line(line) for line in text.split("\n"))


def _strip_line(line: str) -> str:
    while True:
        match = _MARKER.search(line)
        if match is None:
            return line
        line = line[: match.start()].rstrip()


def atom_problems(atom: str) -> list[str]:
    """What is wrong with one condition atom (alternatives ``a|b`` checked each); [] when it is valid.

    Finding codes are checked against the catalogue by the linter, which knows it.
    """
    out = []
    for part in atom.split("|"):
        match = _ATOM.match(part.strip())
        if match is None:
            out.append(f"unknown condition {part!r}; allowed: {ATOMS}")
            continue
        field, value = match.group("field"), match.group("value")
        allowed = {
            "stage": STAGE_NAMES,
            "call": CALLS,
            "fit": FITS,
            "situation": SITUATIONS,
            "role": ROLES,
            "alt": ALTERNATIVES,
        }.get(field or "")
        if allowed is not None and value not in allowed:
            out.append(f"{part!r}: {field} must be one of {', '.join(allowed)}")
        if field == "tier" and value not in ("1", "2", "3", "4"):
            out.append(f"{part!r}: tier must be 1-4")
    return out


def atom_codes(atom: str) -> list[str]:
    """The finding codes an atom names (for the linter to check against the catalogue)."""
    return [m.group("code") for p in atom.split("|") if (m := _ATOM.match(p.strip())) and m.group("code")]
