"""An email that asks for an introduction is that ask, not a recap: who to meet, before which step, why it matters,
in the language of the question; a person the record mentions but does not list can be the one to meet."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.deal.load import load_deal

ROOT = Path(__file__).resolve().parents[1]
LUCERNE = ROOT / "examples" / "deals" / "lucerne-late-stakeholder.yaml"


def _chat(path: Path, question: str) -> str:
    return "".join(Coach("offline").chat(load_deal(path), question))


@pytest.mark.parametrize(
    "question",
    [
        "Draft an email asking Clara to get me 20 minutes with Mark Stone before the CFO review",
        "Write Clara an email: can she introduce me to Mark Stone?",
    ],
)
def test_an_intro_email_asks_for_the_meeting_before_the_step_it_prepares(question: str) -> None:
    answer = _chat(LUCERNE, question)
    assert "Hi Clara" in answer and "with Mark Stone" in answer
    assert "2026-12-05" in answer.split("What the deal records")[0]  # the CFO review the meeting comes before
    assert "recap and next steps" not in answer


def test_an_intro_email_in_chinese_names_the_meeting_and_its_length() -> None:
    answer = _chat(LUCERNE, "帮我写封邮件给 Clara，请她帮忙约 Mark Stone 单独聊 20 分钟")
    draft = answer.split("交易记录显示")[0]
    assert "Clara，您好" in draft and "约 Mark Stone" in draft and "20 分钟" in draft
    assert "会议纪要" not in draft


def test_a_recap_request_stays_a_recap() -> None:
    answer = _chat(LUCERNE, "Draft a recap email to Clara after our last meeting")
    assert "recap and next steps" in answer


def test_the_person_to_meet_can_be_one_the_record_mentions_without_listing() -> None:
    path = ROOT / "evals" / "calibration" / "deals" / "pennock-hale-fd-seconded-interim-signer.yaml"
    answer = _chat(path, "Email Owen asking him to introduce us to Graham Tulley this week")
    draft = answer.split("What the deal records")[0]
    assert "with Graham Tulley" in draft and "this week" in draft


def test_an_intro_email_to_the_signer_quotes_executive_access_not_the_meeting_recap() -> None:
    answer = Coach("offline").answer(load_deal(LUCERNE), "Email Clara asking her to introduce me to Mark Stone")
    assert answer.rule_ids[0] == "relationship-executive-access"
    assert "execution-meeting-recap" not in answer.rule_ids


def test_a_rival_named_in_the_ask_is_no_person_to_meet() -> None:
    from ae_coach.coach._chat_answer import _FULL_NAME

    deal = load_deal(LUCERNE)
    answer = Coach("offline").answer(
        deal, "Email Clara asking her to get me time with Contentful Inc before the review"
    )
    assert answer.draft is None or answer.draft.meet is None or answer.draft.meet.name != "Contentful Inc"
    assert _FULL_NAME.match("Could Owen")  # the pattern alone takes it; _to_meet skips a question's opening words
