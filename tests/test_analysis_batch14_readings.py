"""Readings from the fourteenth blind batch, each in more than one wording: a contract term written in time is no
lead time, a date the paper step comes before is its deadline, a guess about a rival's price is no price move,
and a signer approving "on the terms we discussed" has agreed the terms."""

from __future__ import annotations

import pytest

from ae_coach.deal import parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.facts import derive
from ae_coach.inspector.facts._timing import durations
from ae_coach.inspector.priority import ranked
from ae_coach.inspector.text import Signal, activity_signals
from analysis_builders import activity, with_activities


@pytest.mark.parametrize(
    ("words", "days"),
    [
        ("Limitation of liability agreed at 12 months fees", []),
        ("cap at 12 months of fees", []),
        ("payment net 30 days", []),
        ("termination on 3 months' notice", []),
        ("their SLA is 3-4 weeks", [28]),
        ("security review takes 6 weeks", [42]),
    ],
)
def test_a_term_written_in_time_is_no_lead_time(words: str, days: list[int]) -> None:
    assert [d for _, d in durations(words)] == days


def _stuck(summary: str) -> str:
    said = activity("2026-11-24", "email", summary, direction="inbound", **{"with": ["Dana Lee"]})
    deal = parse_deal(with_activities(said))
    return derive(deal, deal.as_of).timing.paper_stuck or ""


@pytest.mark.parametrize(
    "summary",
    [
        "Procurement: award decision after the comparison quote; order planned before the shutdown (from 21 Dec).",
        "Legal review to finish ahead of the board recess on 22 January.",
    ],
)
def test_a_date_the_paper_step_comes_before_is_no_paper_date(summary: str) -> None:
    assert "dated past the signature" not in _stuck(summary)


def test_a_review_dated_after_the_signature_still_counts() -> None:
    assert "dated past the signature" in _stuck(
        "Procurement review committee meets on 14 January to clear the contract."
    )


def _rivals(summary: str) -> set[str]:
    data = with_activities(activity("2026-11-20", "call", summary, **{"with": ["Dana Lee"]}))
    data["competitors"] = [{"name": "Babtec", "status": "active"}]
    return {f.code for f in assess(parse_deal(data)).findings}


@pytest.mark.parametrize(
    ("summary", "moved"),
    [
        ("But Babtec will probably come in cheaper and purchasing will ask for a discount.", False),
        ("Dana is worried Babtec may offer a discount.", False),
        ("Babtec came back with a 15% discount.", True),
        ("Babtec offered two free months to win it.", True),
    ],
)
def test_a_guess_about_a_rival_price_is_no_price_move(summary: str, moved: bool) -> None:
    assert ("momentum.competitor_counter" in _rivals(summary)) is moved


@pytest.mark.parametrize(
    "summary",
    [
        "Mette: 'Approved from my side on the terms we discussed yesterday.'",
        "CFO accepted on the terms you proposed.",
    ],
)
def test_approved_on_the_terms_discussed_is_terms_agreed(summary: str) -> None:
    deal = parse_deal(with_activities(activity("2026-11-18", "email", summary, **{"with": ["Priya Shah"]})))
    assert Signal.TERMS_AGREED in activity_signals(deal.activities[-1])


@pytest.mark.parametrize(
    "note",
    [
        'Product: "We have no CH region on the 2026 or 2027 roadmap, sorry."',
        "Product: we won't do a dedicated single-tenant install for one account.",
        "Product said we can't offer Swiss hosting.",
    ],
)
def test_a_hosting_must_have_we_refused_is_a_poor_fit(note: str) -> None:
    must = activity(
        "2026-11-10",
        "email",
        "Client data must be stored in Switzerland; it is not negotiable.",
        direction="inbound",
        **{"with": ["Dana Lee"]},
    )
    ours = activity("2026-11-12", "note", note)
    codes = {f.code: f for f in assess(parse_deal(with_activities(must, ours))).findings}
    assert "account.poor_fit" in codes and "cannot serve" in codes["account.poor_fit"].title


def test_a_review_that_only_starts_after_an_unsigned_nda_places_the_signature_after_the_quarter() -> None:
    rule = activity(
        "2026-10-27",
        "email",
        "IS only sends the check sheet after an NDA is executed on their template.",
        direction="inbound",
        **{"with": ["Dana Lee"]},
    )
    slow = activity(
        "2026-11-20",
        "email",
        "After we receive your completed security check sheet, their review usually takes about 6 weeks.",
        direction="inbound",
        **{"with": ["Dana Lee"]},
    )
    deal = parse_deal(with_activities(rule, slow))
    timing = derive(deal, deal.as_of).timing
    assert timing.precondition and timing.paper_ends is not None and timing.paper_ends.year == 2027
    assert assess(deal).recommended_forecast.value == "omitted"


def _seconded(note: str, rachel_role: str = "unknown") -> object:
    data = with_activities(activity("2026-11-19", "call", note, direction="two_way", **{"with": ["Dana Lee"]}))
    data["stakeholders"] = [
        *data["stakeholders"],
        {"name": "Rachel Nguyen", "title": "Group Financial Controller", "role": rachel_role, "added": "2026-11-19"},
    ]
    return parse_deal(data)


def test_a_signer_seconded_away_with_an_acting_signer_named_makes_the_acting_signer_the_economic_buyer() -> None:
    from ae_coach.inspector.facts._derive import record_roles

    deal = _seconded(
        "Priya Shah has been seconded to the JV integration until March - Rachel Nguyen (Group Financial Controller)"
        " is acting CFO and has her delegations, so she'll be the one signing."
    )
    roles = record_roles(deal, deal.as_of)
    assert roles.get("Priya Shah") == "unknown" and roles.get("Rachel Nguyen") == "economic_buyer"
    top = ranked(assess(deal).findings)[0]
    assert top.code == "meddpicc.economic_buyer" and "Rachel Nguyen" in top.title


def test_a_secondment_someone_else_mentions_in_passing_is_no_departure() -> None:
    from ae_coach.inspector.facts._derive import departed

    deal = _seconded("Dana says their team lead was seconded once, years ago; Priya Shah signs as planned.")
    assert "Priya Shah" not in departed(deal, deal.as_of)


def test_a_signer_who_agreed_the_price_before_the_written_proposal_has_seen_it() -> None:
    deal = load_deal_path("hakuyo-seimitsu-nda-before-security-review.yaml")
    titles = [f.title for f in assess(deal).findings if f.code == "meddpicc.economic_buyer"]
    assert not any("has not seen the price" in title for title in titles)


def test_an_unsigned_nda_that_holds_the_review_back_comes_before_any_fast_track() -> None:
    from ae_coach.coach import Coach

    review = Coach("offline").review(load_deal_path("hakuyo-seimitsu-nda-before-security-review.yaml"))
    paper = [a for a in review.next_actions if "meddpicc.paper_process" in a.finding_codes]
    # our legal holds the NDA (our redline, "Sent to our legal"): the rep escalates it inside, never an either/or
    assert paper and "document the buyer's process waits on" in paper[0].action
    assert "fast track" not in paper[0].action and "if it sits with" not in paper[0].action
    assert paper[0].owner.endswith("legal")


def load_deal_path(name: str) -> object:
    from pathlib import Path

    from ae_coach.deal.load import load_deal

    return load_deal(Path(__file__).resolve().parents[1] / "evals" / "calibration" / "deals" / name)
