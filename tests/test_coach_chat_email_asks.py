"""What an email draft asks for beyond a recap: the person a Chinese question writes to, what came of a silent
champion's last step (asked of a colleague: the meeting it names, in the reader's language, and that exchange quoted
once), who owns a paper process that has not started (the person on record, legal when the step is legal); and what
a handoff answer brings (the buyer's figures, the people who will use it). Questions and notes are invented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from ae_coach.coach import Coach
from ae_coach.coach._chat import clip_quote
from ae_coach.coach._chat_answer import _decision_body
from ae_coach.deal import Deal, parse_deal
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


EXAMPLES = ROOT / "examples" / "deals"
ADVENTURE = EXAMPLES / "adventure-works-stalled.yaml"
_LUIS_SAID = "Luis will take it to the leadership team; we'll get back to you"


def _edited(path: Path, *changes: tuple[str, str], extra: list[dict[str, object]] | None = None) -> Deal:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    data = yaml.safe_load(text)
    data["stakeholders"] += extra or []
    return parse_deal(data, source=path.name)


def _email(deal: Deal, question: str) -> str:
    """The email draft of the chat answer, from its heading to its sign-off."""
    text = "".join(Coach("offline").chat(deal, question))
    found = re.search(r"(?:Draft email|邮件草稿).*?(?:Best regards|祝好)", text, re.DOTALL)
    assert found is not None, text
    return found.group(0)


@pytest.mark.parametrize(
    ("note", "body"),
    [
        ("Luis is on board; he will take it to his boss next week", None),
        ("Luis is on-board, the numbers work across the board", None),
        ("Walked the Mt Eden depot with Luis; back to the drawing board on routing", None),
        ("Luis takes it to the MT on 17/11", "MT"),
        ("Luis takes it to the Exec Team next week", "executive team"),
        ("Luis takes it to the exec committee next week", "executive committee"),
        ("Luis takes it to the Board in December", "board"),
        ("Luis brings it to the Steering Group", "steering group"),
        ("Luis 说下周上管理层会", "管理层"),
    ],
)
def test_the_decision_body_is_a_meeting_and_has_a_chinese_name(note: str, body: str | None) -> None:
    assert _decision_body(note) == body
    template = (ROOT / "prompts" / "chat-answer-zh.j2").read_text(encoding="utf-8")
    bodies = ast.literal_eval(re.search(r"\{% set BODIES = (\{.*?\}) %\}", template, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert body is None or body in bodies


def test_a_champion_on_board_names_no_board_in_either_language() -> None:
    deal = _edited(
        ADVENTURE, (_LUIS_SAID, "Luis is on board; he will take it to his boss next week; we'll get back to you")
    )
    answer = Coach("offline").answer(deal, "Write an email to Kim Nguyen")
    assert answer.draft is not None and answer.draft.pending is not None and answer.draft.body is None
    assert "the board" not in _email(deal, "Write an email to Kim Nguyen")
    assert "董事会" not in _email(deal, "帮我给 Kim Nguyen 写一封邮件")


def test_a_chinese_email_names_an_exec_team_in_chinese() -> None:
    deal = _edited(ADVENTURE, (_LUIS_SAID, "Luis will take it to the exec team; we'll get back to you"))
    text = _email(deal, "帮我给 Kim Nguyen 写一封邮件")
    assert "管理层之后的下一步" in text and "管理层会上的结果" in text and "exec team之后" not in text


def test_the_silent_champion_s_exchange_is_quoted_once_and_not_as_the_reader_s_call() -> None:
    deal = _edited(ADVENTURE)
    answer = Coach("offline").answer(deal, "Write an email to Kim Nguyen")
    assert answer.draft is not None and answer.draft.pending is not None and answer.draft.last is None
    text = _email(deal, "Write an email to Kim Nguyen")
    assert text.count("take it to the leadership team") == 1 and "Thank you for the call" not in text


def test_a_reader_s_own_earlier_exchange_is_still_recapped() -> None:
    deal = _edited(
        ADVENTURE,
        (
            "{date: 2026-10-08, type: call",
            '{date: 2026-09-20, type: call, with: [Kim Nguyen], summary: "Kim walked us through the MDM setup"}\n'
            "  - {date: 2026-10-08, type: call",
        ),
    )
    draft = Coach("offline").answer(deal, "Write an email to Kim Nguyen").draft
    assert draft is not None and draft.pending is not None
    assert draft.last is not None and "MDM" in (draft.last.text or "")


_TESSA = {
    "name": "Tessa Blum",
    "title": "Procurement Manager",
    "role": "influencer",
    "engaged": False,
    "added": "2026-11-01",
}


def test_a_paper_ask_names_the_procurement_person_on_record() -> None:
    deal = _edited(EASTBROOK, extra=[_TESSA])
    draft = Coach("offline").answer(deal, "Write Priya a short email to keep things moving").draft
    assert draft is not None and draft.paper_who == "Tessa Blum" and not draft.paper_legal
    text = _email(deal, "Write Priya a short email to keep things moving")
    assert "Tessa Blum (Procurement Manager)" in text and "who in procurement" not in text
    assert "是否由 Tessa Blum（Procurement Manager）负责" in _email(deal, "给 Priya 写封邮件，推进一下")


def test_a_paper_ask_about_a_legal_step_asks_about_legal() -> None:
    deal = _edited(EASTBROOK, ("once procurement opens the ticket", "once legal opens the review"), extra=[_TESSA])
    draft = Coach("offline").answer(deal, "Write Priya a short email to keep things moving").draft
    assert draft is not None and draft.paper_legal and draft.paper_who is None  # Tessa buys; she is not legal
    assert "who in legal owns it" in _email(deal, "Write Priya a short email to keep things moving")
    assert "法务那边由哪位负责" in _email(deal, "给 Priya 写封邮件，推进一下")


def test_an_english_email_names_a_meeting_a_chinese_note_names_in_english() -> None:
    deal = _edited(ADVENTURE, (_LUIS_SAID, "Luis 说他下周把方案带到管理层会上，之后回复我们"))
    text = _email(deal, "Write an email to Kim Nguyen")
    assert "what the management team decided" in text and "the 管理层" not in text


def test_a_clipped_window_finishes_a_sentence_whose_last_words_hold_a_date() -> None:
    note = (
        "Pasted from Declan: the pilot looks very promising and the numbers are good. But the auditors need to "
        "finish their verification; I won't take the purchase to the capex committee without it. The committee "
        "next sits on 4 February. Happy to keep legal moving on the MSA in the meantime."
    )
    clipped = clip_quote(note, ["capex", "committee"], 12, windows=2) or ""
    assert "The committee next sits on 4 February." in clipped  # the sentence kept whole, not split by " … "
    ended = "Kickoff first. I won't take the purchase to the capex committee without it. Kickoff is 3 March 2027 then."
    assert "3 March" not in (clip_quote(ended, ["capex", "committee"], 12, windows=1) or "")
