"""Rule steps that say "whoever …" or "the document" are written with the deal's own people and papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._actions import fact_of
from ae_coach.coach._wording import fill
from ae_coach.deal import Activity, load_deal
from ae_coach.inspector._assess import assess

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "deals"
CALIBRATION = Path(__file__).resolve().parent.parent / "evals" / "calibration" / "deals"


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach("offline")


def _finding(deal, code):
    return next(f for f in assess(deal).findings if f.code == code)


def test_a_pending_review_names_who_said_it_and_whom_they_take_it_to():
    deal = load_deal(EXAMPLES / "adventure-works-stalled.yaml")  # "Luis will take it to the leadership team"
    data = _finding(deal, "momentum.pending_internal_review").data
    assert data["said_by"] == "Luis Garcia"
    assert data["taken_to"] == ["the leadership team"]


def test_a_reviewer_named_by_title_is_the_stakeholder_with_that_title():
    deal = load_deal(EXAMPLES / "adventure-works-stalled.yaml")
    quote = "Luis: 'Let me run this by the COO at our next one-on-one'"
    activities = [
        a.model_copy(update={"summary": quote}) if "leadership" in (a.summary or "") else a for a in deal.activities
    ]
    coo = deal.stakeholders[0].model_copy(update={"name": "Ines Vidal", "title": "COO", "role": "economic_buyer"})
    deal = deal.model_copy(update={"activities": activities, "stakeholders": [*deal.stakeholders, coo]})
    data = _finding(deal, "momentum.pending_internal_review").data
    assert data["said_by"] == "Luis Garcia"
    assert data["taken_to"] == ["Ines Vidal"]


@pytest.mark.parametrize(("office", "words"), [(None, "the budget holder"), ("CFO", "the CFO, who signs")])
def test_the_missing_role_is_named_and_asked_of_the_contact(coach, office, words):
    deal = load_deal(CALIBRATION / "quill-publishing-early-proposal.yaml")  # Hannah Gill alone, nobody signs
    if office:
        buyer = deal.meddpicc.economic_buyer.model_copy(update={"evidence": f"The {office} signs anything over $20k"})
        deal = deal.model_copy(update={"meddpicc": deal.meddpicc.model_copy(update={"economic_buyer": buyer})})
    texts = [a.action for a in coach.review(deal).next_actions if "introduce you to" in a.action]
    assert texts and all("Ask Hannah Gill" in t and f"introduce you to {words}" in t for t in texts)
    assert not any("whoever fills it" in t or "Name the one committee role" in t for t in texts)


def test_the_champion_is_not_told_no_case_exists_while_the_action_builds_on_it(coach):
    deal = load_deal(EXAMPLES / "tailspin-single-threaded.yaml")  # "Jordan to share the deck with his boss"
    neglect = [f for f in assess(deal).findings if f.code == "anti.neglecting_champion"]
    assert neglect and "the deck" in neglect[0].evidence[0] and "no business case" not in neglect[0].evidence[0]
    actions = coach.review(deal).next_actions
    assert any("into the deck already on record" in a.action for a in actions)
    assert not any("business case or ROI model already on record" in a.action for a in actions)


def test_a_concern_relayed_by_the_contact_is_not_attributed_to_them(coach):
    deal = load_deal(EXAMPLES / "lucerne-late-stakeholder.yaml")  # "New CFO says the price is too high"
    # the spend line on record gives two versions of the case for whoever raised the concern to choose from
    revised = [a.action for a in coach.review(deal).next_actions if "to choose from" in a.action]
    assert revised and all("for Mark Stone to choose from" in t for t in revised)
    said = "Clara says the price is too high for this year"
    extra = Activity.model_validate(
        {"date": "2026-11-22", "type": "call", "direction": "two_way", "with": ["Clara Jensen"], "summary": said}
    )
    relayed = deal.model_copy(
        update={"activities": [a for a in deal.activities if "New CFO" not in (a.summary or "")] + [extra]}
    )
    texts = [
        a.action for a in coach.review(relayed).next_actions if "in the terms of" in a.action or "choose" in a.action
    ]
    assert texts and all("of Clara Jensen" not in t and "for Clara Jensen" not in t for t in texts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chat_quotes_rule_steps_with_every_placeholder_filled(coach, lang):
    from ae_coach.rules.markers import PLACEHOLDERS

    questions = {
        "en": "how do I handle the price objection and the business case?",
        "zh": "价格异议和商业论证怎么处理？",
    }
    for path in sorted(EXAMPLES.glob("*.yaml")):
        answer = "".join(coach.chat(load_deal(path), questions[lang]))
        assert not any(f"[{p}]" in answer for p in PLACEHOLDERS), (path.name, answer)


def test_a_paper_lead_time_past_the_signature_is_taken_to_the_signer_this_week(coach):
    # "6-8 weeks once procurement opens the ticket", nobody has opened it, signature in two weeks: the signer
    # decides between a fast track and a later date; asking the champion who owns legal is no longer the step
    deal = load_deal(CALIBRATION / "eastbrook-insurance-yes-no-procurement.yaml")
    first = next(a for a in coach.review(deal).next_actions if "meddpicc.paper_process" in a.finding_codes)
    assert first.rule_id == "deal-paper-process" and first.horizon == "this_week"
    assert first.contact.startswith("Priya Raman") and "fast track" in first.action
    # the record's words, not the note, beside the action
    assert "Usually 6-8 weeks once procurement opens the ticket" in f"{first.action} {first.evidence}"
    assert "COO signs order form" not in first.action
    assert not any(f.code == "positive.legal_security_review" for f in assess(deal).findings)  # we sent the MSA


def test_a_signer_nobody_has_met_is_approached_through_what_the_record_says_they_asked_for(coach):
    # Ana (VP Engineering) has never met us, and the champion relayed her ask: the reason to meet is hers
    deal = load_deal(CALIBRATION / "marchbank-software-friendly-coach.yaml")
    first = coach.review(deal).next_actions[0]
    assert "meddpicc.economic_buyer" in first.finding_codes
    said = f"{first.action} {first.evidence}"
    assert "Ana asked the platform lead for 'a comparison, Datadog On-Call vs what we have'" in said
    codes = {f.code: f for f in assess(deal).findings}  # the rival she is comparing is in the record, not the list
    assert (
        "Datadog" in codes["meddpicc.competition"].title
        and "not on your competitor list" in codes["meddpicc.competition"].title
    )


@pytest.mark.parametrize(
    ("deal", "moved"),
    [
        ("quenmore-outdoor-budget-2027.yaml", True),  # "froze new Q4 opex … moved all new software into 2027"
        ("moorgate-housing-budget-trimmed.yaml", True),  # "the board has cut next year's IT budget by 20%"
        ("quill-publishing-early-proposal.yaml", False),  # "she has no budget": one to find, not one that moved
    ],
)
def test_a_budget_frozen_or_moved_is_asked_about_before_any_billing_change(coach, deal, moved):
    review = coach.review(load_deal(CALIBRATION / deal))
    budget = next(a for a in review.next_actions if "momentum.budget_concern_late" in a.finding_codes)
    assert ("whether there is an exception process" in budget.action) is moved
    assert ("timing of the cash" in budget.action) is not moved


def test_the_budget_evidence_quotes_the_sentence_that_raised_it():
    deal = load_deal(CALIBRATION / "quenmore-outdoor-budget-2027.yaml")
    evidence = _finding(deal, "momentum.budget_concern_late").evidence[0]
    assert '"…In passing: finance froze new Q4 opex' in evidence  # not "Rollout planning: wave 1 …"


def test_a_positive_signal_is_not_turned_into_a_reflection_for_the_rep(coach):
    for path in sorted(EXAMPLES.glob("*.yaml")) + sorted(CALIBRATION.glob("*.yaml"))[:60]:
        for action in coach.review(load_deal(path)).next_actions:
            assert not action.action.startswith("Test each one with a single question"), path.name


def test_when_the_buyers_clock_waits_on_us_the_action_is_ours_not_a_fast_track_from_the_signer(coach):
    # Skovlund: InfoSec's questionnaire sits with our SE; Pastificio: our supplier documents are not uploaded
    skovlund = _paper_row(coach, "skovlund-medical-vendor-risk-unstarted.yaml")
    assert skovlund.rule_id == "deal-paper-process" and skovlund.action.startswith("Return the security questionnaire")
    pastificio = load_deal(CALIBRATION / "pastificio-tremonti-supplier-onboarding.yaml")
    review = coach.review(pastificio)
    first = next(a for a in review.next_actions if "meddpicc.paper_process" in a.finding_codes)
    assert first.action.startswith("Send the documents their process waits on") and "fast track" not in first.action
    assert review.forecast.category == "omitted"  # the CFO refused an exception: 30 working days from today bind
    assert "Chiara asked Alessandro" not in (review.decides or "")  # a call held today is not what lies ahead


def test_procurements_condition_of_award_is_a_trade_with_the_person_who_set_it(coach):
    # Karoo: the CEO said "go ahead" and handed the commercials to Thandiwe; she set a 20% condition of award
    deal = load_deal(CALIBRATION / "karoo-fresh-procurement-twenty-percent.yaml")
    codes = {f.code: f for f in assess(deal).findings}
    assert "momentum.budget_concern_late" in codes  # "requires a 20% reduction on year-one fees"
    assert "the signer has not seen the price" not in codes.get("meddpicc.economic_buyer", codes["account.tier"]).title
    first = next(a for a in coach.review(deal).next_actions if "momentum.budget_concern_late" in a.finding_codes)
    # one conversation with her: the trade first, then what else stands between the paper and a signature
    assert first.contact.startswith("Thandiwe Mokoena") and "Make every concession conditional" in first.action


def _paper_row(coach, name):
    review = coach.review(load_deal(CALIBRATION / name))
    return next(a for a in review.next_actions if "meddpicc.paper_process" in a.finding_codes)


def test_a_place_word_in_a_title_does_not_put_that_person_in_a_step_on_site():
    """ "Validation kick-off on site" is no meeting with the "Site Managing Director": a step that prepares a
    presentation the signer agreed to attend is not drafted from it (Brennecke: a May demo was cited)."""
    from ae_coach.coach._situation import names_person
    from ae_coach.deal import Stakeholder

    lenz = Stakeholder(name="Dr. Katrin Lenz", title="Site Managing Director", role="economic_buyer")
    assert not names_person(lenz, "Validation kick-off on site")
    assert names_person(lenz, "Signature Dr. Lenz")  # a surname with a title of address names them
    assert names_person(lenz, "Katrin to sign")  # the given name, not "Dr."
    cfo = Stakeholder(name="Mark Stone", title="Group CFO", role="economic_buyer")
    assert names_person(cfo, "CFO review of revised case")
    assert not names_person(cfo, "Group kick-off with the plant teams")


def test_a_record_names_people_by_given_name_or_by_a_surname_with_a_title_of_address():
    from ae_coach.inspector.facts._model import _Names
    from ae_coach.inspector.text import given_name, mentions

    names = _Names(["Dr. Felix Ammann", "Dr. Katrin Lenz", "Emi Watanabe"])
    assert given_name("Dr. Felix Ammann") == "Felix"
    assert names.mentioned_in("Felix asked for the validation plan") == ["Dr. Felix Ammann"]
    assert names.mentioned_in("Dr. Lenz is travelling to Pittsburgh") == ["Dr. Katrin Lenz"]
    assert names.mentioned_in("Watanabe-san arranged the presentation") == ["Emi Watanabe"]
    assert names.mentioned_in("Lenz Street depot visit") == []  # a bare surname is not enough
    assert mentions(["Dr. Katrin Lenz"], "signature planned once Dr. Lenz is back")
    assert not mentions(["Dr. Katrin Lenz"], "Dr. Smith joined the call")


def test_the_first_meeting_with_a_new_signer_answers_first_how_the_record_says_they_lean():
    """Yarrabee: 'Sarah says Rachel is "more conservative on new opex than Glenn"' is what the acting CFO's first
    review has to answer; the review's action for her quotes it."""
    from ae_coach.coach._actions import signer_leaning

    deal = load_deal(
        Path(__file__).resolve().parent.parent / "evals/calibration/deals/yarrabee-mining-cfo-seconded-interim.yaml"
    )
    leaning = signer_leaning(deal, "Rachel Nguyen", deal.as_of)
    assert leaning is not None and "more conservative on new opex" in leaning[1]
    assert signer_leaning(deal, "Sarah Mitchell", deal.as_of) is None


def test_under_a_spending_freeze_the_late_budget_concern_is_the_freeze_not_a_business_case_rewrite(coach):
    """Lowther: 'no new software commitments until the FY27 plan is approved' (a company freeze) is money frozen:
    ask what was frozen, until when and whether there is an exception; no revised business case."""
    path = Path(__file__).resolve().parent.parent / "evals/calibration/deals/lowther-engineering-freeze-in-call.yaml"
    actions = [a.action for a in coach.review(load_deal(path)).next_actions]
    assert any("a discount does not unfreeze a budget" in a for a in actions), actions
    assert not any(a.startswith("Build the revised business case") for a in actions)


def test_implementation_questions_at_proposal_or_later_go_into_the_kick_off_plan_not_a_new_evaluation(coach):
    """Lachlan, at closing after a finished pilot: a technical deep-dive or a proof of concept would reopen the
    decision; the answers go into the kick-off plan."""
    path = Path(__file__).resolve().parent.parent / "evals/calibration/deals/lachlan-water-shutdown-lead-time.yaml"
    actions = [a.action for a in coach.review(load_deal(path)).next_actions]
    assert not any("scoped proof of concept" in a for a in actions)
    assert any("kick-off plan" in a for a in actions), actions


def test_the_missing_role_is_not_the_signer_whose_successor_the_record_names(coach):
    # Alan Ferreira (CFO, the signer) left; the PO workflow names M. Okafor (interim CFO) as approver: the signer's
    # office is known, so the committee step asks after the role nobody holds, the technical lead
    deal = load_deal(CALIBRATION / "kestrel-freight-new-signer-in-po-workflow.yaml")
    committee = _finding(deal, "committee.missing_role")
    assert "economic_buyer" in committee.data["missing"] and committee.data["successor"].startswith("M. Okafor")
    filled = fill("Get the name of [missing role] on their side", deal, committee)
    assert "the technical lead" in filled and "who signs" not in filled
    # and its evidence is the role nobody holds, not the signer's departure the successor's row is about
    assert "Alan Ferreira" not in fact_of(committee, assess(deal).facts, deal)
    # at closing the successor's meeting is the week's work on the committee; the empty technical seat is a
    # checklist row, not an action beside it
    actions = [a.action for a in coach.review(deal).next_actions]
    assert any("M. Okafor" in a for a in actions) and not any("committee map" in a for a in actions), actions


@pytest.mark.parametrize(
    ("name", "successor", "departed"),
    [
        ("kestrel-freight-new-signer-in-po-workflow", "M. Okafor", "Alan Ferreira"),
        ("pennock-hale-fd-seconded-interim-signer", "Graham Tulley", "Fiona Daventry"),
    ],
)
def test_what_decides_a_deal_whose_signer_left_is_the_successors_first_look(coach, name, successor, departed):
    # never "What decides this deal: Final approval - Fiona Daventry" under a headline saying she no longer signs
    deal = load_deal(CALIBRATION / f"{name}.yaml")
    result = coach.run_review(deal)
    decides = result.report.decides or ""
    assert decides.startswith(f"What decides this deal: the first look by {successor}")
    assert f"in place of {departed}" in decides
    evidence = " ".join(e for f in result.assessment.findings for e in f.evidence)
    assert "no stakeholder with role economic_buyer" not in evidence and "confirm who signs" not in evidence
    # the gate and the element say whose backing is on record and who has not confirmed, not "the rep's word"
    assert f"the signer on record, {departed}, has left the role; {successor}" in evidence
    assert f"recorded for {departed}, who has left the role" in evidence and "on the rep's word" not in evidence


def test_an_email_to_a_signer_who_arrived_late_asks_for_their_priorities_not_the_date():
    from ae_coach.coach import Coach

    deal = load_deal(CALIBRATION / "lindqvist-shipping-reorg-quiet-champion.yaml")  # Karin took over at proposal
    text = "".join(Coach("offline").chat(deal, "draft an email to Karin Sundqvist to lock the 12/18 signature"))
    draft = text.split("What the deal records")[0]
    assert "30 minutes on your priorities" in draft and "do not push the signature date" in draft
    assert "What we agreed, with dates" not in draft and "2026-12-18" not in draft
