"""Chat: streaming through the SDK with the rules block cached on every turn, the offline answerer,
slash commands, piped stdin, saved history and redaction of streamed text."""

from __future__ import annotations

import io
import json

import pytest

from ae_coach.cli import main
from ae_coach.coach import ChatHistory, Coach
from ae_coach.deal import parse_deal
from coach_deals import FAKE_KEY, NORTHWIND, write_deal
from messages_server import MessagesServer, error, message


@pytest.fixture
def deal():
    return parse_deal(dict(NORTHWIND))


@pytest.fixture
def server(monkeypatch):
    with MessagesServer() as srv:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", srv.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        yield srv


def test_chat_streams_and_caches_the_rules_block_on_every_turn(server, deal):
    server.push(
        message(
            "Get to the CFO through Dana. [deal-economic-buyer]",
            chunks=["Get to the CFO ", "through Dana. ", "[deal-economic-buyer]"],
        ),
        message("Send the recap today.", chunks=["Send the recap ", "today."]),
    )
    coach, history = Coach("anthropic", max_retries=0, timeout=5), ChatHistory()
    first = list(coach.chat(deal, "How do I reach the CFO?", history))
    second = list(coach.chat(deal, "And what do I send after the meeting?", history))
    assert first == ["Get to the CFO ", "through Dana. ", "[deal-economic-buyer]"]
    assert second == ["Send the recap ", "today."]
    one, two = (r.body for r in server.requests)
    assert one["stream"] is True and two["stream"] is True
    for body in (one, two):
        assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
        assert body["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert one["system"] == two["system"]  # byte-identical static block: the second turn reads it from cache
    assert [m["role"] for m in two["messages"]] == ["user", "assistant", "user"]
    assert two["messages"][0]["content"][0]["text"].startswith("<deal_data>")
    assert two["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    assert two["messages"][1]["content"] == "".join(first)
    assert "<deal_data>" not in json.dumps(two["messages"][2])  # the deal is sent once
    assert [t["role"] for t in history.turns] == ["user", "assistant", "user", "assistant"]


def test_chat_turn_carries_rule_excerpts_for_the_question(server, deal):
    server.push(message("ok"))
    list(Coach("anthropic", max_retries=0, timeout=5).chat(deal, "the champion went dark, what now?", ChatHistory()))
    turn = server.requests[0].body["messages"][0]["content"][-1]["text"]
    assert '<rule_excerpt id="relationship-champion-gone-dark"' in turn


def test_redacted_chat_streams_real_names_back(server, deal):
    server.push(message("Ask Person 1 today.", chunks=["Ask Per", "son 1 to", "day."]))
    answer = "".join(
        Coach("anthropic", max_retries=0, timeout=5, redact=True).chat(deal, "Who is Dana?", ChatHistory())
    )
    assert answer == "Ask Dana Lee today."
    assert "Dana" not in json.dumps(server.requests[0].body["messages"])


def test_failed_turn_leaves_history_consistent(server, deal):
    server.push(error(500, retry_after_ms=None), message("second try works"))
    coach, history = Coach("anthropic", max_retries=0, timeout=5), ChatHistory()
    with pytest.raises(Exception, match="500"):
        list(coach.chat(deal, "first", history))
    assert history.messages == []
    assert "".join(coach.chat(deal, "again", history)) == "second try works"


def test_offline_chat_answers_from_rules_and_deal_facts(deal):
    coach = Coach("offline")
    answer = "".join(coach.chat(deal, "How do I get a meeting with the economic buyer?", ChatHistory()))
    assert "[deal-economic-buyer]" in answer or "[relationship-executive-access]" in answer
    eb = next(f for f in coach.assess(deal).findings if f.code == "meddpicc.economic_buyer")
    assert f"[{eb.severity.value}] {eb.title}" in answer  # the deal's own fact, not just rule text
    assert "Northwind Traders" in answer and "Dana Lee" in answer  # addressed to the champion by name


def test_offline_chat_cites_only_existing_rules(deal):
    from ae_coach.rules import load_rulebook

    rulebook = load_rulebook()
    for question in ("competitor showed up late", "close date keeps slipping", "how do I price this?"):
        answer = "".join(Coach("offline").chat(deal, question, ChatHistory()))
        cited = [line[1 : line.index("]")] for line in answer.splitlines() if line.startswith("[")]
        assert cited and all(rule_id in rulebook for rule_id in cited)


def test_piped_chat_has_no_prompts_and_saves_history(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("AE_COACH_HOME", str(home))
    monkeypatch.setattr("sys.stdin", io.StringIO("How do I reach the CFO?\n\n/findings\n/bogus\n/quit\nnever asked\n"))
    rc = main(["chat", str(write_deal(tmp_path)), "--backend", "offline"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "you>" not in out and "/help for commands" not in out
    assert "meddpicc.economic_buyer" in out  # /findings
    assert "unknown command /bogus" in out
    saved = list((home / "chats").glob("*.json"))
    assert len(saved) == 1
    turns = json.loads(saved[0].read_text())["turns"]
    assert [t["text"] for t in turns if t["role"] == "user"] == ["How do I reach the CFO?"]


def test_save_and_rules_commands(tmp_path, monkeypatch, capsys):
    target = tmp_path / "talk.json"
    monkeypatch.setattr("sys.stdin", io.StringIO(f"what now?\n/rules\n/save {target}\n"))
    assert main(["chat", str(write_deal(tmp_path)), "--backend", "offline"]) == 0
    out = capsys.readouterr().out
    assert "deal-economic-buyer (full)" in out
    assert f"saved to {target}" in out and json.loads(target.read_text())["turns"][0]["text"] == "what now?"


def test_piped_chat_backend_failure_exits_3(server, tmp_path, monkeypatch, capsys):
    server.push(*[error(529)] * 5)
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    rc = main(["chat", str(write_deal(tmp_path)), "--backend", "anthropic"])
    err = capsys.readouterr().err
    assert rc == 3 and "529" in err and "Traceback" not in err and FAKE_KEY not in err


@pytest.mark.parametrize(("stop", "note"), [("max_tokens", "cut off"), ("refusal", "declined")])
def test_chat_says_when_an_answer_was_cut_off_or_refused(server, deal, stop, note):
    server.push(message("Partial answer", stop_reason=stop))
    coach = Coach("anthropic", max_retries=0, timeout=5)
    answer = "".join(coach.chat(deal, "Write me the full plan", ChatHistory()))
    assert answer.startswith("Partial answer") and note in answer
    assert coach.client.last_result.stop_reason == stop


EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples" / "deals"


def _ask(question: str, deal=None, name: str | None = None) -> str:
    from ae_coach.deal import load_deal

    if name is not None:
        deal = load_deal(EXAMPLES / f"{name}.yaml")
    return "".join(Coach("offline").chat(deal, question, ChatHistory()))


def _cited(answer: str) -> list[str]:
    return [line[1 : line.index("]")] for line in answer.splitlines() if line.startswith("[")]


def test_is_this_commit_answers_from_the_deals_own_gate():
    answer = _ask("is this commit?", name="litware-forecast-fantasy")
    assert "The evidence supports pipeline; the deal is forecast as commit" in answer
    assert "economic_buyer is unknown (grade 0)" in answer
    assert _cited(answer)[0] == "pipeline-commit-gate"


def test_a_deal_short_of_commit_is_never_said_to_pass_the_gate():
    answer = _ask("is this commit?", name="lucerne-late-stakeholder")  # forecast best case, supports pipeline
    assert "Not Commit: paper process known" in answer  # what blocks Commit, from the deal's own gate
    assert "passes every condition" not in answer and "nothing ae-coach found" not in answer
    healthy = _ask("is this commit?", name="fabrikam-closing-healthy")
    assert "It passes every condition of the Commit gate." in healthy


def test_a_competition_question_with_nothing_to_fix_still_names_the_situations_risk():
    answer = _ask("how do I beat Zendesk?", name="woodgrove-displacement")
    assert answer.rstrip().endswith("The risk to watch in a displacing deal: resistance to change.")


def test_competitor_question_uses_the_deals_competitors_and_situation(deal):
    answer = _ask("how do I handle the Clari comparison?", deal)
    assert "about competition" in answer and "Competitors on record: Clari (active" in answer
    assert "Situation: challenger" in answer
    assert "deal-competitive-positioning" in _cited(answer)
    assert "account-land-and-expand" not in _cited(answer)
    assert "Incumbent:" not in answer  # the step for another situation is left out


def test_naming_a_deals_competitor_makes_it_a_competition_question():
    answer = _ask("how do I handle the Zendesk discount?", name="woodgrove-displacement")
    assert answer.splitlines()[0].endswith("about competition and pricing:")
    assert "Zendesk offered a 20% discount to stay" in answer


def test_says_plainly_when_the_deal_cannot_answer(deal):
    answer = _ask("how do I beat Gong on this deal?", deal)
    assert "The deal record does not mention Gong" in answer
    assert "Clari" in answer  # and answers from what the deal does record
    friday = _ask("what should I do before Friday's call?", deal)
    assert "The deal has nothing on record for a Friday" in friday
    assert "Before it with Dana Lee" in friday  # the review's own next actions, owned and dated


def test_champion_gone_quiet_uses_the_champions_record():
    answer = _ask("the champion went quiet, what now?", name="adventure-works-stalled")
    assert "Luis Garcia (Field Service Manager, champion): engaged, last contact 2026-10-08 (49 days ago)" in answer
    assert "Luis will take it to the leadership team" in answer
    assert _cited(answer)[0] == "relationship-champion-gone-dark"


def test_cfo_question_finds_the_cfo_and_the_route_in(deal):
    answer = _ask("how do I get to the CFO?", deal)
    assert "Ravi Patel (CFO, role not recorded): not engaged, no contact on record" in answer
    assert "a senior title is not budget authority" in answer
    assert "Your route in is the champion, Dana Lee." in answer


def test_a_healthy_topic_gets_no_invented_fix():
    answer = _ask("what does legal need before signature?", name="fabrikam-closing-healthy")
    assert "Next step: nothing ae-coach found on this needs fixing" in answer
    assert "Ask now who owns security review" not in answer.split("\n\n")[-1]


def test_after_a_win_signed_means_the_handoff():
    answer = _ask("what do I do now that it's signed?", name="relecloud-closed-won-no-handoff")
    assert "about after the signature" in answer
    assert _cited(answer)[0] == "account-post-close-handoff"


def test_deal_review_questions_in_chat_are_marked_for_the_ae(deal):
    from ae_coach.coach._chat import _question_line

    assert _question_line('Deal review: "Who at the customer chose this date?"', deal) == (
        "For you (deal review): Who at the customer chose this date?"
    )
    assert _question_line('To the economic buyer: "What would stop you?"', deal) == (
        "To the economic buyer: What would stop you?"
    )


def test_off_topic_questions_get_a_plain_no_not_the_nearest_rules(deal):
    answer = _ask("what's the weather in Seattle?", deal)
    assert "nothing in this deal's record or in the rulebook answers that" in answer
    assert not _cited(answer)


def test_retrieval_prefers_the_rule_the_question_names_and_a_step_about_this_deal():
    answer = _ask("how do I write a good recap after the meeting?", name="adventure-works-stalled")
    assert _cited(answer)[0] == "execution-meeting-recap"
    assert "Next step with Luis Garcia" in answer and "every open deal" not in answer.split("Next step")[-1]


def test_disqualify_question_weighs_the_deals_qualification_facts():
    answer = _ask("Should I disqualify this deal?", name="adventure-works-stalled")
    assert "about qualification" in answer and "last buyer activity 2026-10-08 (49 days ago)" in answer
    assert _cited(answer)[0] == "pipeline-disqualify-early"


def test_what_should_i_do_gives_the_reviews_first_action_when_the_trouble_is_elsewhere():
    answer = _ask("what should I do this week?", name="tailspin-single-threaded")
    assert "nothing ae-coach found" not in answer  # the deal has high findings, just not about meetings
    assert answer.rstrip().endswith("[relationship-multi-threading]")


def test_a_silence_the_record_does_not_show_is_answered_as_a_silence():
    answer = _ask("Jordan stopped replying, what now?", name="tailspin-single-threaded")  # last contact 7 days ago
    assert "about the champion" in answer and "You report a silence the deal record does not show yet" in answer
    assert _cited(answer)[0] == "relationship-champion-gone-dark"
    assert answer.rstrip().endswith('including "not now". [relationship-champion-gone-dark]')


def test_who_else_names_the_unmet_economic_buyer_even_before_the_stage_requires_them():
    answer = _ask("who else should I be talking to?", name="margie-proposal-too-early")  # scoping, EB unknown
    assert "Economic buyer unknown at scoping" in answer and "nothing ae-coach found" not in answer
    assert answer.rstrip().endswith("[deal-economic-buyer]")


def test_a_discount_question_gets_the_trade_dont_give_steps_not_pre_proposal_ones():
    answer = _ask("they want a 20% discount, should I give it?", name="margie-proposal-too-early")  # pricing is out
    block = answer.split("[deal-pricing-negotiation]", 1)[1].split("\n\n", 1)[0]
    assert "Make every concession conditional" in block
    assert "Before the proposal" not in block  # too late: the price went out on 2026-11-06


def test_a_demo_question_is_answered_from_the_deals_demos_and_the_demo_rules():
    answer = _ask("how do I prep for the demo?", name="proseware-demo-first")
    assert "about the demo" in answer
    assert "with no discovery call or meeting before it" in answer  # the deal's own record
    assert _cited(answer)[:2] == ["deal-demo-to-pain", "deal-discovery-before-demo"]


def test_a_year_end_question_is_a_close_date_question():
    answer = _ask("how do I get this signed before year end?", name="proseware-demo-first")
    assert "about the close date" in answer and "Close date 2027-03-31" in answer


def test_walk_away_questions_get_the_three_tests_and_a_dated_decision():
    stalled = _ask("should I walk away from this?", name="adventure-works-stalled")  # EB unknown, champion silent
    assert (
        "Not a walk-away yet (fit and pain hold), but access to the person who signs is not proven" in stalled
        and "by 2026-12-10 (ae-coach default: 14 days)" in stalled
    )
    healthy = _ask("is this worth pursuing?", name="fabrikam-closing-healthy")
    assert "Fit, pain and access all hold on the record: not a walk-away; keep working it." in healthy
    small = _ask("is this worth pursuing?", name="bluesky-self-serve")
    assert "it is tier 4" in small and "self-serve or a partner" in small
