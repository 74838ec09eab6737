"""What an email draft asks for beyond a recap: the person a Chinese question writes to, what came of a silent
champion's last step (asked of a colleague), who owns a paper process that has not started; and what a handoff
answer brings (the buyer's figures, the people who will use it). Questions and notes are invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from ae_coach.coach import Coach
from ae_coach.coach._chat import clip_quote
from ae_coach.deal.load import load_deal

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "evals" / "calibration" / "deals"
LUCERNE = ROOT / "examples" / "deals" / "lucerne-late-stakeholder.yaml"
WESTLAND = CALIBRATION / "westland-sierteelt-chasing-after-mt.yaml"
EASTBROOK = CALIBRATION / "eastbrook-insurance-yes-no-procurement.yaml"
RIDGEMOOR = CALIBRATION / "ridgemoor-cu-quiet-commit.yaml"
PASTIFICIO = CALIBRATION / "pastificio-tremonti-supplier-onboarding.yaml"


def _answer(path: Path, question: str):
    return Coach("offline").answer(load_deal(path), question)


@pytest.mark.parametrize(
    "note",
    [
        "Left a message for the whole team. Auto-reply: I am away until Monday 4 January with no email, ask Lena.",
        "Left a message for the whole team. Auto-reply: I am away until January 4, 2027 with no email, ask Lena.",
    ],
)
def test_a_clipped_quote_keeps_a_date_whole(note: str) -> None:
    clipped = clip_quote(note, ["january", "lena"], 8, windows=2) or ""
    assert "4 January" in clipped or "January 4" in clipped


@pytest.mark.parametrize(
    "question",
    ["帮我给 Lucerne 的 Mark 写一封邮件，Clara 那边我先打个招呼", "写一封邮件给财务那边的 Mark，抄送 Clara"],
)
def test_a_chinese_email_goes_to_who_it_is_written_to_past_what_qualifies_them(question: str) -> None:
    answer = _answer(LUCERNE, question)
    assert answer.draft is not None and answer.draft.to == "Mark Stone"


def test_an_email_to_a_colleague_of_a_silent_champion_asks_what_came_of_their_step() -> None:
    answer = _answer(WESTLAND, "写封邮件给 Joost，问问上次那个会到底怎么定的")
    draft = answer.draft
    assert draft is not None and draft.to == "Joost Visser"
    assert draft.pending is not None and draft.silent == "Sanne de Graaf" and draft.body == "management team"
    assert answer.rule_ids[0] == "relationship-champion-gone-dark"
    assert "管理层会上的结果" in "".join(
        Coach("offline").chat(load_deal(WESTLAND), "写封邮件给 Joost，问问会上怎么定的")
    )


def test_an_email_to_the_silent_champion_herself_is_no_such_ask() -> None:
    answer = _answer(WESTLAND, "Write Sanne a short email about the contract draft")
    assert answer.draft is not None and answer.draft.to == "Sanne de Graaf" and answer.draft.pending is None


def test_an_email_on_a_paper_process_not_started_asks_who_owns_it() -> None:
    answer = _answer(EASTBROOK, "Write Priya a short email to keep things moving")
    assert answer.draft is not None and "6-8 weeks" in (answer.draft.paper or "")
    text = "".join(Coach("offline").chat(load_deal(EASTBROOK), "给 Priya 写封邮件，推进一下"))
    assert "采购那边由哪位负责" in text.split("交易记录显示")[0]


@pytest.mark.parametrize(
    ("path", "question"),
    [
        (LUCERNE, "Write Clara a short email to keep things moving"),  # the paper holds
        (PASTIFICIO, "给采购的 Francesca 写封邮件，问问资质审核"),  # she runs the paper: she is the answer
    ],
)
def test_no_paper_ask_where_the_paper_holds_or_to_who_runs_it(path: Path, question: str) -> None:
    answer = _answer(path, question)
    assert answer.draft is not None and answer.draft.paper is None
    assert answer.draft.to in ("Clara Jensen", "Francesca Galli")


def test_a_handoff_answer_brings_the_buyer_s_figures_and_who_will_use_it() -> None:
    answer = _answer(RIDGEMOOR, "签完之后交接给 CS 之前我要准备什么？")
    assert answer.intent == "handoff"
    assert any(f.name == "Sam Teller" for f in answer.of("person"))
    assert any("$610k" in (f.text or "") for f in answer.of("activity"))
