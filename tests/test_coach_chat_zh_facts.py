"""Chinese chat on deals the chat suites do not ask about: a competitor question carries what the buyer will judge
us on, a price question under a rival's quote what the record last says of that rival (issue 16). Paraphrases of the dev misses, each on another dev deal."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal import load_deal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "deals"
CALIBRATION = ROOT / "evals" / "calibration" / "deals"


@pytest.fixture(scope="module")
def coach():
    return Coach("offline", lang="zh")


def _facts(coach, path: Path, question: str):
    answer = coach.answer(load_deal(path), question)
    return answer, [(f.kind, f.name, f.text or "") for f in answer.facts]


@pytest.mark.parametrize(
    ("path", "question"),
    [
        (EXAMPLES / "woodgrove-displacement.yaml", "Zendesk 是在位的，肯定会拼命留住客户，这仗我该怎么打？"),
        (
            CALIBRATION / "copperline-logistics-late-rival-quote.yaml",
            "C3 12 月 8 号要给 DC 团队演示，我们怎么应对这个竞品？",
        ),
    ],
)
def test_a_competitor_question_carries_the_buyer_s_criteria(coach, path, question):
    answer, facts = _facts(coach, path, question)
    assert answer.intent == "positioning"
    assert ("element", "decision_criteria") in {(kind, name) for kind, name, _ in facts}


def test_a_competitor_question_carries_how_the_buyer_will_compare(coach):
    _, facts = _facts(
        coach, EXAMPLES / "woodgrove-displacement.yaml", "Zendesk 是在位的，肯定会拼命留住客户，这仗我该怎么打？"
    )
    assert any(kind == "dated" and "Scorecard" in text for kind, _, text in facts)  # the scorecard decision


def test_a_price_question_on_a_rival_s_quote_shows_what_the_record_last_says_of_the_rival(coach):
    answer, facts = _facts(
        coach,
        CALIBRATION / "copperline-logistics-late-rival-quote.yaml",
        "Linda 说还找了 C3 Solutions 报价，要是他们的参考价低很多，我跟价吗？",
    )
    assert answer.intent == "pricing"
    assert any(kind == "activity" and "Tanya still prefers us" in text for kind, _, text in facts)


@pytest.mark.parametrize(
    "question", ["要是对手的参考价比我们低一截，客户让我跟价，怎么办？", "对方拿着一个低价来压我，我要让价吗？"]
)
def test_a_rival_s_lower_price_is_a_pricing_question(coach, question):
    answer = coach.answer(load_deal(EXAMPLES / "woodgrove-displacement.yaml"), question)
    assert answer.intent == "pricing"


def test_letting_our_executive_call_is_not_a_price_concession(coach):
    answer = coach.answer(load_deal(EXAMPLES / "woodgrove-displacement.yaml"), "要不要让我们 CRO 直接联系对方 CCO？")
    assert answer.intent != "pricing"
