"""A healthy deal whose CRM fields are nearly empty and whose record carries the gate, partly in the buyer's own
language: the signer is read from the dated signature step they own and their own "Assino", the price accepted with
its concession is the terms agreed (not a budget concern), a rival "out" is out, "juridico back … contract final" is
the paper finished, and a loss with its number is the pain. The call follows the record, not the empty fields."""

from __future__ import annotations

import pytest

from ae_coach.deal import Signal, parse_deal
from ae_coach.inspector import assess, text
from ae_coach.inspector.facts._derive import record_roles

_DEAL = {
    "id": "lazy-fields",
    "account": "Cooperativa Exemplo",
    "name": "Quality lab system",
    "amount": 410000,
    "currency": "BRL",
    "account_country": "BR",
    "stage": "closing",
    "close_date": "2026-12-10",
    "created": "2026-07-01",
    "as_of": "2026-12-02",
    "forecast_category": "best_case",
    "situation": "challenger",
    "fit": "strong",
    "meddpicc": {
        "metrics": {"status": "unknown"},
        "economic_buyer": {"status": "partial", "evidence": ""},
        "decision_criteria": {"status": "unknown"},
        "decision_process": {"status": "partial"},
        "paper_process": {"status": "unknown"},
        "identified_pain": {"status": "confirmed", "evidence": "lab"},
        "champion": {"status": "partial", "evidence": "Bea"},
        "competition": {"status": "unknown"},
    },
    "stakeholders": [
        {"name": "Beatriz Lima", "title": "Gerente de Qualidade", "role": "champion", "engaged": True},
        {"name": "Otávio Reis", "title": "Diretor Financeiro", "role": "unknown", "engaged": True},
        {"name": "Caio Souza", "title": "Coordenador de TI", "role": "unknown", "engaged": True},
        {"name": "Marta Dias", "title": "Jurídico", "engaged": True},
    ],
    "activities": [
        {
            "date": "2026-07-08",
            "type": "call",
            "with": ["Beatriz Lima"],
            "summary": "disc. 5 plants, lab tests on paper",
        },
        {
            "date": "2026-09-10",
            "type": "meeting",
            "with": ["Otávio Reis", "Beatriz Lima"],
            "summary": "Beatriz set up mtg w/ Otávio. Showed rejected-batch losses R$1.1M/yr from her numbers.",
        },
        {
            "date": "2026-10-20",
            "type": "meeting",
            "with": ["Caio Souza", "Beatriz Lima"],
            "summary": "pilot done. Caio emailed sign-off, all 5 criteria green",
            "signals": ["technical_validation"],
        },
        {
            "date": "2026-11-05",
            "type": "email",
            "direction": "inbound",
            "with": ["Beatriz Lima"],
            "summary": "Beatriz: diretoria decided, Acme LIMS out (too expensive). go with us",
        },
        {
            "date": "2026-11-12",
            "type": "proposal",
            "with": ["Otávio Reis", "Beatriz Lima"],
            "summary": "prop. R$410k/yr. Otávio accepted w/ 3% off for annual prepay",
        },
        {
            "date": "2026-11-24",
            "type": "email",
            "direction": "inbound",
            "with": ["Marta Dias"],
            "summary": "juridico back, 1 small change (foro), we accepted. contract final",
        },
        {
            "date": "2026-11-30",
            "type": "email",
            "direction": "inbound",
            "with": ["Otávio Reis", "Beatriz Lima"],
            "summary": "Otávio: 'De acordo. Assino pelo DocuSign no dia 9/12.' (agreed, signs DocuSign 9 Dec)",
        },
        {
            "date": "2026-12-01",
            "type": "email",
            "direction": "two_way",
            "with": ["Beatriz Lima"],
            "summary": "envelope sent to Otávio. sent Beatriz the plan (sig 9/12, kickoff 11/jan), she said ok",
        },
    ],
    "next_step": {"action": "DocuSign", "date": "2026-12-09", "owner": "Otávio Reis"},
    "competitors": [{"name": "Acme LIMS"}],
}


def test_the_signer_is_read_from_the_signature_step_they_own() -> None:
    # without the signer's own "Assino": only the DocuSign step they own names them
    data = {**_DEAL, "activities": [a for a in _DEAL["activities"] if "Assino" not in a["summary"]]}
    deal = parse_deal(data)
    assert record_roles(deal, deal.as_of).get("Otávio Reis") == "economic_buyer"


@pytest.mark.parametrize(
    ("summary", "signal", "present"),
    [
        ("prop. R$410k/yr. Otávio accepted w/ 3% off for annual prepay", Signal.TERMS_AGREED, True),
        ("juridico back, 1 small change (foro), we accepted. contract final", Signal.PAPER_COMPLETE, True),
        ("juridico back with comments on the LGPD annex", Signal.LEGAL_SECURITY_REVIEW, True),
        ("Contract final review with their counsel on Friday", Signal.PAPER_COMPLETE, False),
        ("agreed 4% off, 24 mo term. Jerzy ok.", Signal.TERMS_AGREED, True),
        ("asked for 4% off", Signal.TERMS_AGREED, False),
    ],
)
def test_the_record_in_the_buyers_words(summary: str, signal: Signal, present: bool) -> None:
    assert (signal in text.detect(summary)) is present


def test_the_deal_is_commit_on_its_record_with_empty_fields() -> None:
    result = assess(parse_deal(_DEAL))
    codes = {f.code for f in result.findings if f.severity in ("high", "critical")}
    assert "momentum.budget_concern_late" not in codes  # the 3% off was the concession accepted
    assert "momentum.competitor_late" not in codes  # "Acme LIMS out"
    assert str(result.recommended_forecast) == "commit"


def test_the_signer_named_by_title_alone_is_the_one_stakeholder_who_holds_it() -> None:
    data = {**_DEAL, "next_step": {"action": "signing", "date": "2026-12-09"}}
    data["stakeholders"] = [*_DEAL["stakeholders"][:1], {"name": "Jerzy Malinowski", "title": "Prezes Zarządu (CEO)"}]
    data["activities"] = [
        *_DEAL["activities"][:2],
        {
            "date": "2026-12-01",
            "type": "email",
            "direction": "inbound",
            "with": ["Beatriz Lima"],
            "summary": "A: 'Potwierdzam 9.12, Prezes podpisuje.' = confirmed, Prezes signs 9 Dec",
        },
    ]
    deal = parse_deal(data)
    assert record_roles(deal, deal.as_of).get("Jerzy Malinowski") == "economic_buyer"


def test_a_buyer_act_in_an_undirected_email_is_their_word_and_an_unnamed_rival_out_is_out() -> None:
    from ae_coach.inspector.facts import derive

    data = {**_DEAL, "competitors": []}
    data["activities"] = [
        *[a for a in _DEAL["activities"] if "Acme" not in a["summary"]],
        {"date": "2026-12-01", "type": "email", "with": ["Beatriz Lima"], "summary": "PO-4471 raised for R$410,000."},
        {
            "date": "2026-12-02",
            "type": "email",
            "with": ["Beatriz Lima"],
            "summary": "Envelope sent to Otávio. Beatriz checked with his assistant: he signs Wednesday.",
        },
        {
            "date": "2026-12-02",
            "type": "email",
            "direction": "inbound",
            "with": ["Beatriz Lima"],
            "summary": "Board approved. Other vendor is out.",
        },
    ]
    deal = parse_deal(data)
    facts = derive(deal, deal.as_of)
    undirected = [a for a in facts.activities if (a.summary or "").startswith(("PO-4471", "Envelope sent"))]
    assert len(undirected) == 2 and all(a.two_way for a in undirected)
    unnamed = [c for c in facts.competitors if not c.listed]
    assert unnamed and unnamed[0].status == "eliminated"


def test_the_records_aside_on_who_signs_names_the_signer() -> None:
    data = {**_DEAL}
    data["activities"] = [
        *_DEAL["activities"][:1],
        {
            "date": "2026-10-21",
            "type": "meeting",
            "with": ["Otávio Reis", "Beatriz Lima"],
            "summary": "Beatriz set up mtg w Otávio (Diretor Financeiro, signs anything >R$250k). Walked the model.",
        },
    ]
    data["next_step"] = {"action": "Send the order form", "date": "2026-12-09", "owner": "Beatriz Lima"}
    deal = parse_deal(data)
    assert record_roles(deal, deal.as_of).get("Otávio Reis") == "economic_buyer"


def test_a_process_the_champion_has_not_yet_taken_to_the_signer_is_a_claim() -> None:
    from ae_coach.inspector.facts import derive

    data = {**_DEAL}
    data["stakeholders"] = [
        *_DEAL["stakeholders"][:1],
        {"name": "Otávio Reis", "title": "CFO", "role": "economic_buyer", "engaged": False},
    ]
    data["meddpicc"] = {
        **_DEAL["meddpicc"],
        "decision_process": {"status": "confirmed", "evidence": "Beatriz takes it to Otávio, sign before Xmas"},
    }
    data["activities"] = [
        *_DEAL["activities"][:1],
        {
            "date": "2026-11-19",
            "type": "call",
            "with": ["Beatriz Lima"],
            "summary": "She hasn't had the chance to sit down with Otávio yet, but 'let's aim for before Christmas'.",
        },
    ]
    deal = parse_deal(data)
    assert derive(deal, deal.as_of).elements["decision_process"].grade == 1


@pytest.mark.parametrize(
    ("summary", "signal"),
    [
        ("Target: contract final 12/15", Signal.PAPER_COMPLETE),
        ("Contract final except for the liability cap", Signal.PAPER_COMPLETE),
        ("We'll have the contract ready for signature next week", Signal.PAPER_COMPLETE),
        ("Our redlines are resolved on our side; their legal still reviewing", Signal.PAPER_COMPLETE),
        ("Asked for 4% off on the renewal", Signal.TERMS_AGREED),
    ],
)
def test_a_target_a_part_still_open_or_an_ask_is_no_such_signal(summary: str, signal: Signal) -> None:
    assert signal not in text.detect(summary)


@pytest.mark.parametrize(
    "said",
    ["Otávio: 'Não assino sem o desconto.'", "Otávio: 'Ich unterschreibe nicht vor Juli.'", "Otávio: '我签不了。'"],
)
def test_a_signer_refusing_in_their_own_language_is_no_signer(said: str) -> None:
    data = {**_DEAL, "next_step": {"action": "Send the revised quote", "date": "2026-12-09", "owner": "Beatriz Lima"}}
    data["activities"] = [
        *_DEAL["activities"][:1],
        {"date": "2026-11-30", "type": "email", "direction": "inbound", "with": ["Otávio Reis"], "summary": said},
    ]
    deal = parse_deal(data)
    assert "Otávio Reis" not in record_roles(deal, deal.as_of)


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Executive Assistant to the CEO", "CEO signs on the 9th"),
        ("Vice President Operations", "the President signs on the 9th"),
        ("Deputy CFO", "the CFO signs on the 9th"),
    ],
)
def test_a_title_that_only_holds_the_signers_words_is_no_signer(title: str, said: str) -> None:
    data = {**_DEAL, "next_step": {"action": "Send the revised quote", "date": "2026-12-09", "owner": "Beatriz Lima"}}
    data["stakeholders"] = [*_DEAL["stakeholders"][:1], {"name": "Jerzy Malinowski", "title": title}]
    data["activities"] = [
        *_DEAL["activities"][:1],
        {"date": "2026-11-30", "type": "email", "direction": "inbound", "with": ["Beatriz Lima"], "summary": said},
    ]
    deal = parse_deal(data)
    assert "Jerzy Malinowski" not in record_roles(deal, deal.as_of)


@pytest.mark.parametrize("stage", ["validation", "proposal", "closing"])
@pytest.mark.parametrize(
    "element",
    [
        "economic_buyer",
        "decision_process",
        "champion",
        "paper_process",
        "metrics",
        "decision_criteria",
        "identified_pain",
        "competition",
    ],
)
def test_marking_an_empty_element_confirmed_never_raises_the_call(stage: str, element: str) -> None:
    """The gaming test on a clean deal with one element unknown: marked confirmed with a meaningless sentence, the
    call may not rise (metrics unknown at proposal had been critical, the same gap claimed only medium)."""
    from ae_coach.eval._judgement import CALL_ORDER, gamed
    from analysis_builders import healthy

    data = healthy()
    data["stage"], data["forecast_category"] = stage, "best_case"
    data["meddpicc"][element] = {"status": "unknown"}
    deal = parse_deal(data)
    before, after = assess(deal).recommended_forecast, assess(gamed(deal)).recommended_forecast
    assert CALL_ORDER[str(after)] <= CALL_ORDER[str(before)]


@pytest.mark.parametrize(
    ("deal_file", "element"),
    [("redwater-utilities-cfo-never-met", "economic_buyer"), ("vestfirdir-seafood-usage-cap", "competition")],
)
def test_a_claimed_signer_or_competition_with_nothing_behind_it_does_not_raise_the_call(
    deal_file: str, element: str
) -> None:
    """Found by form-filling every dev deal's elements one at a time: a signer nobody engaged, marked confirmed with
    boilerplate, counted as identified; an unknown competition marked confirmed dropped its critical gap."""
    from pathlib import Path

    from ae_coach.deal import load_deal
    from ae_coach.eval._judgement import CALL_ORDER, gamed

    path = Path(__file__).resolve().parents[1] / "evals" / "calibration" / "deals" / f"{deal_file}.yaml"
    data = load_deal(path).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["meddpicc"][element] = {"status": "unknown"}
    deal = parse_deal(data)
    before, after = assess(deal).recommended_forecast, assess(gamed(deal)).recommended_forecast
    assert CALL_ORDER[str(after)] <= CALL_ORDER[str(before)]
