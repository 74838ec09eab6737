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
    answer = Coach("offline").answer(deal, "How do I get a meeting with the economic buyer?")
    assert answer.intent == "economic_buyer" and answer.matched
    assert {"deal-economic-buyer", "relationship-executive-access"} & set(answer.rule_ids)
    assert "meddpicc.economic_buyer" in answer.finding_codes  # the deal's own finding, not just rule text
    assert any(f.kind == "person" and f.name == "Dana Lee" for f in answer.facts)


def test_offline_chat_cites_only_existing_rules(deal):
    from ae_coach.rules import load_rulebook

    rulebook = load_rulebook()
    for question in ("competitor showed up late", "close date keeps slipping", "how do I price this?"):
        answer = Coach("offline").answer(deal, question)
        assert answer.rule_ids and all(rule_id in rulebook for rule_id in answer.rule_ids)


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


def _answer(name: str, question: str):
    from ae_coach.deal import load_deal

    return Coach("offline").answer(load_deal(EXAMPLES / f"{name}.yaml"), question)


@pytest.mark.parametrize(
    ("name", "question", "intent", "first_rule"),
    [
        ("northwind-validation", "Dana wants a free 3-month pilot first. Do I agree?", "pilot", "deal-pilot-terms"),
        (
            "fabrikam-closing-healthy",
            "procurement asked for net 90 payment terms",
            "payment_terms",
            "deal-payment-terms",
        ),
        ("adventure-works-stalled", "Kim sent an RFP out of nowhere, worth responding?", "rfp", "deal-rfp-response"),
        (
            "lucerne-late-stakeholder",
            "2027 budgets get cut, close this year?",
            "budget_timing",
            "pipeline-budget-timing",
        ),
        (
            "northwind-validation",
            "Should I bring our CRO in to meet their CFO?",
            "executive",
            "relationship-executive-sponsor",
        ),
        (
            "margie-proposal-too-early",
            "they want a 20% discount, should I give it?",
            "pricing",
            "deal-pricing-negotiation",
        ),
        ("litware-forecast-fantasy", "is this commit?", "forecast", "pipeline-commit-gate"),
        # the period a deal lands in is the forecast call, whatever verb the rep uses
        ("litware-forecast-fantasy", "will this close this qtr?", "forecast", "pipeline-commit-gate"),
        ("wingtip-slipped", "odds this signs before year end?", "forecast", "pipeline-commit-gate"),
        ("litware-forecast-fantasy", "这单这个季度能签下来吗？", "forecast", "pipeline-commit-gate"),
        # "what could kill this" is the risk; "who could kill this" the blocker
        ("lucerne-late-stakeholder", "what could kill this?", "risk", "deal-pricing-negotiation"),
        ("lucerne-late-stakeholder", "who could kill this?", "blocker", "relationship-buying-committee"),
        (
            "bluesky-self-serve",
            "how much time should I spend on this one?",
            "time_allocation",
            "execution-time-allocation-by-tier",
        ),
        (
            "woodgrove-displacement",
            "Grace cancelled our sync twice, should I be worried?",
            "meetings_moved",
            "deal-danger-signals",
        ),
        ("lucerne-late-stakeholder", "who's blocking Lucerne?", "blocker", "relationship-buying-committee"),
        ("proseware-demo-first", "how do I prep for the demo?", "demo", "deal-discovery-before-demo"),
        (
            "relecloud-closed-won-no-handoff",
            "what do I do now that it's signed?",
            "handoff",
            "account-post-close-handoff",
        ),
        (
            "relecloud-closed-won-no-handoff",
            "another team wants it too, how do I upsell?",
            "expansion",
            "account-land-and-expand",
        ),
        # a reference is asked for after the signature, but it is about the customer's result, not the handoff
        (
            "relecloud-closed-won-no-handoff",
            "could they be a reference for another prospect?",
            "references",
            "account-references-and-advocacy",
        ),
        ("northwind-validation", "who'd own the budget for this over there?", "economic_buyer", "deal-economic-buyer"),
        (
            "northwind-validation",
            "how hard do I push Dana for the CFO intro before I write this one off?",
            "walk_away",
            "pipeline-disqualify-early",
        ),
        # the same intents asked in Chinese
        (
            "relecloud-closed-won-no-handoff",
            "能不能请他们给别的客户做 reference？",
            "references",
            "account-references-and-advocacy",
        ),
        ("relecloud-closed-won-no-handoff", "他们另一个部门也想用，怎么增购？", "expansion", "account-land-and-expand"),
        ("northwind-validation", "Dana 要免费试点三个月，我要答应吗？", "pilot", "deal-pilot-terms"),
        ("fabrikam-closing-healthy", "采购要 net 90 的账期，能答应吗？", "payment_terms", "deal-payment-terms"),
        ("litware-forecast-fantasy", "这单能报 commit 吗？", "forecast", "pipeline-commit-gate"),
        (
            "adventure-works-stalled",
            "Luis 一个多月没回我消息了，怎么办？",
            "champion_dark",
            "relationship-champion-gone-dark",
        ),
        # naming the champion (内部支持者) does not make a question about whether the champion is real
        (
            "adventure-works-stalled",
            "内部支持者一直不回微信，怎么办？",
            "champion_dark",
            "relationship-champion-gone-dark",
        ),
        ("woodgrove-displacement", "怎么跟老供应商竞争？", "positioning", "deal-competitive-positioning"),
    ],
)
def test_a_question_reaches_the_rules_written_for_it(name, question, intent, first_rule):
    answer = _answer(name, question)
    assert answer.intent == intent and answer.rule_ids[0] == first_rule
    assert answer.lang == ("zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en")


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("my manager wants a date for this", "close_date"),  # who it is for, then what is asked: a date
        ("my manager asks if we can commit this", "forecast"),
        ("what do I tell my boss?", "summary"),  # nothing asked but who it is for: a summary for them
        ("经理问这单什么时候能签", "forecast"),
        ("给经理写个总结", "summary"),
    ],
)
def test_the_ask_outweighs_who_the_answer_is_for(question, intent):
    assert _answer("northwind-validation", question).intent == intent


def test_a_meeting_with_someone_the_deal_has_not_met_brings_the_committee_rules():
    """A title nobody on the deal holds ("the QA director") is someone new: the prep is about who they are in
    the buying committee, not only the calendar."""
    answer = _answer("northwind-validation", "Dana got me a meeting with the QA director on the 3rd. what do i prep")
    assert {"relationship-multi-threading", "relationship-buying-committee"} & set(answer.rule_ids)


@pytest.mark.parametrize("name", ["northwind-validation", "adventure-works-stalled", "tailspin-single-threaded"])
def test_the_next_step_is_the_reviews_own_first_action(name):
    from ae_coach.deal import load_deal

    deal = load_deal(EXAMPLES / f"{name}.yaml")
    coach = Coach("offline")
    assert coach.answer(deal, "what's the next step?").next_step == coach.review(deal).next_actions[0]


def test_a_recap_email_is_drafted_from_the_deals_own_record():
    answer = _answer("northwind-validation", "Draft a recap email to Dana from our 11/20 ROI review")
    assert answer.shape == "email" and answer.draft is not None
    assert answer.draft.to == "Dana Lee" and answer.draft.last is not None
    assert str(answer.draft.last.date) == "2026-11-20"
    assert "2026-12-02" in {str(c.date) for c in answer.draft.commitments}


def test_a_name_the_deal_never_mentions_is_reported_not_guessed(deal):
    answer = Coach("offline").answer(deal, "how do I beat Gong on this deal?")
    assert answer.unresolved == ["Gong"] and answer.intent == "positioning"
    assert [f.name for f in answer.facts if f.kind == "competitor"] == ["Clari"]  # what the deal does record


def test_off_topic_questions_get_a_plain_no_not_the_nearest_rules(deal):
    answer = Coach("offline").answer(deal, "what's the weather in Seattle?")
    assert not answer.matched and answer.rules == []
    assert {f.kind for f in answer.facts} == {"deal", "forecast"}  # it offers what the deal does show


def test_the_forecast_answer_carries_the_deals_own_gate():
    litware = _answer("litware-forecast-fantasy", "is litware commit? be straight")
    gate = litware.of("forecast")[0].data
    assert litware.shape == "forecast" and gate["claimed"] == "commit" and gate["recommended"] == "pipeline"
    assert gate["why_not_commit"]
    healthy = _answer("fabrikam-closing-healthy", "is this commit?")
    assert healthy.of("forecast")[0].data["why_not_commit"] == []


def test_a_silence_the_record_does_not_show_is_answered_as_a_silence():
    reported = _answer("tailspin-single-threaded", "Jordan stopped replying, what now?")  # last contact 7 days ago
    assert reported.unrecorded_silence and reported.rule_ids[0] == "relationship-champion-gone-dark"
    recorded = _answer("adventure-works-stalled", "Luis has ghosted me since October")  # 49 days, on record
    assert not recorded.unrecorded_silence and "momentum.champion_dark" in recorded.finding_codes


def test_a_late_entrant_is_positioned_as_one_not_as_an_incumbent():
    answer = _answer("lucerne-late-stakeholder", "Contentful came back in late. How do I position against them?")
    assert answer.rule_ids[0] == "deal-competitive-positioning"
    assert "momentum.competitor_late" in answer.finding_codes


def test_a_risk_question_quotes_the_worst_findings_rule_then_the_pattern_they_make():
    answer = _answer("lucerne-late-stakeholder", "What worries you most about Lucerne right now?")
    # budget concern, returning competitor and a new CFO: the review acts on the first with the
    # pricing-negotiation rule (the revised business case Clara owns), and the danger-signals rule addresses all three
    assert answer.shape == "risk" and answer.rule_ids == ["deal-pricing-negotiation", "deal-danger-signals"]
    assert answer.of("person") and answer.of("person")[0].data["role"] == "economic_buyer"
    # the ask alone has no story whose words could name a rule: its generic words match pipeline triage
    assert _answer("lucerne-late-stakeholder", "what could kill this?").rule_ids == answer.rule_ids


def test_a_summary_leads_with_the_deal_and_its_worst_findings():
    answer = _answer("northwind-validation", "summarize this deal for my manager")
    assert answer.shape == "summary" and answer.of("deal") and answer.of("forecast")
    assert answer.finding_codes[0] == "meddpicc.economic_buyer"


def test_the_last_sentence_asks_and_the_story_before_it_sets_the_scene():
    story = "Thought Lucerne was done after the pilot, but the new CFO came in."
    assert _answer("lucerne-late-stakeholder", f"{story} Am I overreacting, or is it in trouble?").intent == "risk"
    assert (
        _answer("lucerne-late-stakeholder", "Am I overreacting, or is it in trouble? We ran a pilot.").intent == "pilot"
    )


def test_a_phrasing_counts_once_however_many_spellings_it_has():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(
        intents=[
            Intent(id="spelled", en=["worry", "worries", "worried"], zh=["担心"]),
            Intent(id="specific", weight=1.5, en=["discount"], zh=["折扣"]),
        ]
    )
    scores = dict((i.id, s) for i, s in lexicon.match("worries about the discount"))
    assert scores == {"spelled": 1.0, "specific": 1.5}
    tie = Lexicon(
        intents=[
            Intent(id="general", en=["price"], zh=["价"]),
            Intent(id="specific", weight=2, en=["price"], zh=["价"]),
        ]
    )
    assert [i.id for i, _ in tie.match("price?")] == ["specific", "general"]


def test_phrasings_match_by_stem_and_through_synonyms_once():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(
        synonyms={"ghosted": ["silent"], "折扣": ["discount"], "recap": ["summary"]},
        intents=[
            Intent(id="dark", en=["stop reply", "silent"], zh=["失联"]),
            Intent(id="pricing", en=["discount"], zh=["打折"]),
            Intent(id="summary", en=["summary"], zh=["总结"]),
            Intent(id="email", en=["recap email"], zh=["邮件"]),
        ],
    )

    def scores(question: str) -> dict[str, float]:
        return {i.id: s for i, s in lexicon.match(question)}

    assert scores("Jordan stopped replying") == {"dark": 2.0}  # stopped -> stop, replying -> reply
    assert scores("Jordan ghosted me") == {"dark": 0.5}  # only through a synonym
    assert scores("客户要折扣") == {"pricing": 0.5}  # a Chinese word brings the English phrasing
    assert scores("draft the recap email") == {"email": 2.0, "summary": 0.5}


@pytest.mark.parametrize(
    "question", ["what should I prep for the demo?", "who else should I bring in?", "what's next?"]
)
def test_an_open_tier_4_deal_is_answered_with_its_routing_rule(question):
    answer = _answer("bluesky-self-serve", question)
    tier_rules = {
        "account-tiering",
        "execution-time-allocation-by-tier",
        "account-icp-fit",
        "pipeline-disqualify-early",
    }
    assert set(answer.rule_ids) & tier_rules
    enterprise = _answer("northwind-validation", question)
    assert not set(enterprise.rule_ids) & tier_rules


def test_a_drafted_email_opens_with_the_buyers_problem_in_the_records_words():
    answer = _answer("tailspin-single-threaded", "write Jordan a follow-up email")
    assert answer.draft is not None and answer.draft.problem is not None
    assert answer.draft.problem.kind == "element" and answer.draft.problem.name == "identified_pain"


def test_a_late_competitor_carries_who_was_in_the_room_when_it_appeared():
    answer = _answer("lucerne-late-stakeholder", "how do I handle Contentful?")
    contentful = next(f for f in answer.facts if f.kind == "competitor" and f.name == "Contentful")
    assert {"Mark Stone", "Tessa Blum"} <= set(contentful.data["with"])


def test_a_manager_summary_says_what_happened_last():
    answer = _answer("adventure-works-stalled", "my manager is going to ask about this deal, what do I tell him")
    assert answer.shape == "summary" and answer.of("activity")
    latest = max(f.date for f in answer.of("activity"))
    assert answer.of("activity")[0].date == latest


def test_an_answer_says_which_needed_facts_the_record_lacks():
    proseware = _answer("proseware-demo-first", "what did we quote them and what discount did they ask for?")
    assert proseware.intent == "pricing" and "proposal" in proseware.missing
    litware = _answer("litware-forecast-fantasy", "they want a discount, what do I say?")
    assert "proposal" not in litware.missing  # pricing went out on 2026-11-03


class _InterruptedOnce(io.StringIO):
    """A terminal whose user presses Ctrl-C while the first answer is being written."""

    def __init__(self):
        super().__init__()
        self.interrupted = False

    def write(self, text):
        if not self.interrupted and "Next step" in text:
            self.interrupted = True
            raise KeyboardInterrupt
        return super().write(text)


def test_ctrl_c_stops_an_answer_and_keeps_the_session(deal, tmp_path, monkeypatch):
    from ae_coach.cli._chat_session import ChatSession

    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path))
    out = _InterruptedOnce()
    session = ChatSession(Coach("offline"), deal, out, interactive=True)
    session.run(["what's the next step?", "who signs?", f"/save {tmp_path / 'talk.json'}"])
    assert "answer stopped" in out.getvalue()
    roles = [t["role"] for t in session.history.turns]
    assert roles == ["user", "assistant"] and session.history.turns[0]["text"] == "who signs?"
    assert [m["role"] for m in session.history.messages] == ["user", "assistant"]
    assert json.loads((tmp_path / "talk.json").read_text())["turns"][0]["text"] == "who signs?"


def test_typed_questions_have_line_editing_history_and_survive_ctrl_c(tmp_path, monkeypatch):
    from ae_coach.cli import _chat_session

    monkeypatch.setenv("AE_COACH_HOME", str(tmp_path))
    typed = iter([KeyboardInterrupt, "next step?", EOFError])

    def fake_input(prompt):
        item = next(typed)
        if isinstance(item, type) and issubclass(item, BaseException):
            raise item
        return item

    monkeypatch.setattr("builtins.input", fake_input)
    assert list(_chat_session.prompt_lines()) == ["next step?"]  # Ctrl-C cleared a line, Ctrl-D ended


def test_a_pasted_note_is_material_not_the_kind_of_question():
    from ae_coach.coach._retrieve import _asked

    note = " ".join(["The rep put this in Commit because the champion said the forecast looks great."] * 4)
    question = f"Here is a call note from one of my reps:\n\n{note}\n\nWhat does this show, and what should the rep do?"
    assert _asked(question) == "What does this show, and what should the rep do?"
    short = "Is this commit?\n\nThe champion said yes."
    assert _asked(short) == short  # a short question is asked as a whole
    one_paragraph = note + " What should the rep do?"
    assert _asked(one_paragraph) == one_paragraph


def test_a_person_is_named_by_what_reps_call_their_title():
    from ae_coach.coach._chat_facts import _aliases

    assert _aliases("Chief Revenue Officer") == ["cro"]
    assert _aliases("EVP Supply Chain") == ["evp"]
    assert _aliases("CFO") == ["cfo"]
    assert _aliases("VP Revenue Operations") == []  # "my VP" is the rep's own manager
    facts = _answer("lucerne-late-stakeholder", "what does the CFO want from us?").facts
    cfo = [f for f in facts if f.kind == "person" and "cfo" in f.data["aliases"]]
    assert cfo and facts.index(cfo[0]) < 2  # named, so shown first with what last happened with them


def test_a_date_the_question_names_brings_the_words_of_what_happens_on_it():
    import datetime as dt

    from ae_coach.coach._chat_facts import Fact
    from ae_coach.coach._retrieve import _dated_words

    facts = [Fact(kind="dated", key="d", date=dt.date(2026, 9, 23), text="Present phased pricing options")]
    assert "pricing" in _dated_words("what do I bring to the 9/23 meeting?", facts, dt.date(2026, 9, 20))
    assert _dated_words("what do I bring to the 9/24 meeting?", facts, dt.date(2026, 9, 20)) == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12 月 15 号能签吗？", (12, 15)),  # spaced, with 号
        ("before the wrap-up on the 11th", (10, 11)),  # a day of the month: the next one on or after as_of
        ("on the 3rd", (10, 3)),
        ("what if he doesn't sign thursday", (9, 24)),  # 2026-09-22 is a Tuesday
        ("周四签吗", (9, 24)),
    ],
)
def test_a_date_is_read_the_ways_reps_write_it(text, day):
    import datetime as dt

    from ae_coach.coach._retrieve import _dates

    assert _dates(text, dt.date(2026, 9, 22)) == {day}


def test_a_weekday_needs_its_full_name_or_a_clear_abbreviation():
    import datetime as dt

    from ae_coach.coach._retrieve import _dates

    assert _dates("we sat with her and mon said fine", dt.date(2026, 9, 22)) == set()


def test_a_phrasing_holds_only_with_the_stopwords_it_was_written_with():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(intents=[Intent(id="champion_real", en=["on our side"], zh=["真支持"])])
    assert lexicon.match("is she on our side?")
    assert lexicon.match("business side is done, is 12/15 real?") == []


def test_the_longest_phrasing_wins_the_words_it_spans():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(
        intents=[
            Intent(id="pricing", weight=2, en=["off", "discount"], zh=["打折"]),
            Intent(id="economic_buyer", en=["sign off", "budget holder"], zh=["签字"]),
            Intent(id="budget_timing", weight=2, en=["budget"], zh=["预算", "预算周期"]),
            Intent(id="meetings_moved", en=["cancel"], zh=["会议推迟"]),
            Intent(id="close_date", en=["slip"], zh=["推迟"]),
        ]
    )

    def ids(question: str) -> list[str]:
        return [i.id for i, _ in lexicon.match(question)]

    assert ids("when will the CFO sign off?") == ["economic_buyer"]
    assert ids("they want 10% off") == ["pricing"]
    assert ids("who's the budget holder?") == ["economic_buyer"]
    assert ids("会议推迟了两次") == ["meetings_moved"]
    assert ids("签约推迟了") == ["close_date"]


def test_a_weak_phrasing_gives_way_to_the_question_s_topic():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(
        intents=[
            Intent(id="budget_timing", weight=2, en=["budget", "next year"], zh=["明年"], weak=["next year", "明年"]),
            Intent(id="expansion", weight=2.5, en=["upsell"], zh=["增购"]),
        ]
    )
    assert [i.id for i, _ in lexicon.match("can we upsell them next year?")] == ["expansion", "budget_timing"]
    assert lexicon.match("明年能增购吗")[0][0].id == "expansion"


def test_the_deal_s_stage_settles_a_question_it_could_read_two_ways():
    from ae_coach.deal import Stage
    from ae_coach.rules.lexicon import _STAGES, Intent, Lexicon

    assert set(_STAGES) == {s.value for s in Stage}  # rules may not import deal: the names are kept in step
    lexicon = Lexicon(
        intents=[
            Intent(id="next_step", en=["next step", "what now"], zh=["下一步"]),
            Intent(id="handoff", weight=2, stages=["closed_won"], en=["handoff"], zh=["交接"]),
        ]
    )

    def ids(question: str, stage: str) -> list[str]:
        return [i.id for i, _ in lexicon.match(question, stage=stage)]

    assert ids("what now?", "closed_won") == ["handoff", "next_step"]
    assert ids("what now?", "proposal") == ["next_step"]
    assert ids("who's derek?", "closed_won") == []  # the stage never makes a question on its own


def test_a_required_stopword_stands_beside_the_phrasing_s_words():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(intents=[Intent(id="next_step", en=["what now"], zh=["下一步"])])
    assert lexicon.match("ok, what now?")
    assert lexicon.match("What worries you most about Lucerne right now?") == []


def test_the_words_of_a_phrasing_stand_close_together():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(intents=[Intent(id="summary", en=["want know"], zh=["总结"])])
    assert lexicon.match("my VP wants to know where this stands")
    assert lexicon.match("greta wants to wait for the reorg, is this really a budget thing? do we even know") == []


def test_a_question_mark_asks_wherever_it_stands():
    from ae_coach.rules.lexicon import _ask, has_story

    assert _ask("Thought it was done. Is it in trouble?").strip() == "Is it in trouble"
    assert not has_story("who actually signs?? dana says she owns the budget")  # both sentences ask
    assert has_story("dana says she owns the budget. who signs?")


def test_a_topic_the_record_never_mentions_is_said_to_be_missing():
    answer = _answer("lucerne-late-stakeholder", "does the new CFO push us out of Q4? when does their FY end")
    assert answer.intent == "budget_timing" and "fiscal_year" in answer.missing


def test_the_account_s_initials_are_not_an_unknown_name():
    assert _answer("adventure-works-stalled", "other than luis who should i talk to at AW").unresolved == []


def test_a_word_family_shares_one_stem():
    from ae_coach.rules.lexicon import Intent, Lexicon

    lexicon = Lexicon(intents=[Intent(id="positioning", en=["competitor"], zh=["竞品"])])
    for question in ("anyone else competing?", "will they compete?", "how competitive is it?"):
        assert [i.id for i, _ in lexicon.match(question)] == ["positioning"], question


def test_a_long_english_quote_is_cut_around_what_was_asked():
    from ae_coach.coach._chat import clip_quote

    said = "Trial review: 9 projects run through it. Jess will buy the annual team plan at list; wants invoice not card"
    cut = clip_quote(said, ["jess", "invoice", "card"], 8)  # the name is asked too, but fewer words hold it
    assert "invoice not card" in cut and cut.startswith("… ")
    assert clip_quote(said, ["weather"], 8) == " ".join(said.split()[:8]) + " …"
    assert clip_quote("short quote", ["invoice"], 8) == "short quote"


def test_an_english_answer_quotes_the_part_of_a_long_note_the_question_asks_about():
    from pathlib import Path

    from ae_coach.deal import load_deal

    deal = load_deal(Path(__file__).parent.parent / "evals/calibration/deals/quenmore-outdoor-budget-2027.yaml")
    question = "if nicole gets no exception and it waits for the 2027 budget, when do they sign? what do i tell my VP now, not in january"
    text = "".join(Coach("offline").chat(deal, question))
    assert "the board approves late January" in text  # the 11/17 call's words past its first 30
    assert "about budget timing" in text  # "sign" + "now" is not a question about the handoff


def test_a_chinese_answer_keeps_a_second_short_quote_from_a_long_note():
    from ae_coach.coach._chat import clip_quote

    said = "Owen presented to Marianne's staff meeting; 'she was supportive but wants the interim CDO's view first'. Ruth Achterberg has not been approached."
    one = clip_quote(said, ["marianne", "supportive"], 12, ["Ruth Achterberg"])
    assert "Ruth" not in one
    two = clip_quote(said, ["marianne", "supportive"], 12, ["Ruth Achterberg"], windows=2)
    # the two windows are a word apart, so that word is kept rather than elided (BRIDGE)
    assert two == said
    # nothing asked about and nobody named: a second window is kept only for a telling word (an office, a number)
    assert "CDO's view first" in clip_quote(said, ["weather"], 12, [], windows=2)
    plain = "Owen presented to the staff meeting and they were supportive but want more time to think about it all."
    assert clip_quote(plain, ["weather"], 12, [], windows=2) == " ".join(plain.split()[:12]) + " …"


def test_a_chinese_answer_keeps_a_third_window_for_a_figure_the_other_two_leave_out():
    import re

    from ae_coach.coach._chat import clip_quote

    said = (
        "Internal: deal desk and our CFO rejected the MFN, policy is no MFN anywhere and Ingrid was told so today. "
        "Moving to best case until I know more from her team. Deal desk approved an alternative: three-year price "
        "protection, renewal uplift capped at 3%."
    )
    two = clip_quote(said, ["mfn", "deal", "desk"], 12, ["Ingrid Solberg"], windows=2)
    assert "3%" not in two
    three = clip_quote(said, ["mfn", "deal", "desk"], 12, ["Ingrid Solberg"], windows=3)
    assert "renewal uplift capped at 3%." in three
    # each window stays short enough that a Chinese answer never carries 15 English words in a row
    assert not re.search(r"(?:[A-Za-z]+[ ,]+){15}[A-Za-z]", three)
    # a figure the first windows already keep is no reason for a third
    kept = said.replace("capped at 3%", "capped as agreed").replace("three-year", "3-year")
    assert clip_quote(kept, ["mfn", "deal", "desk", "alternative"], 12, [], windows=3).count(" … ") <= 2
    # no figure left out: no third window
    plain = said.replace(" capped at 3%", "")
    assert clip_quote(plain, ["mfn", "deal", "desk"], 12, [], windows=3) == clip_quote(
        plain, ["mfn", "deal", "desk"], 12, [], windows=2
    )


def test_a_quote_is_not_spent_on_words_the_question_already_quotes():
    from ae_coach.coach._chat import clip_quote

    said = "She said 'we will sort the paperwork when we are ready' and later added that finance must approve anything this size"
    words = ["sort", "paperwork", "ready", "finance"]
    assert "must approve" not in clip_quote(said, words, 12)  # the window with the most words asked about
    question = "she told me 'we will sort the paperwork when we are ready'. who signs?"
    assert "finance must approve" in clip_quote(said, words, 12, question=question)  # what the rep did not say


def test_a_question_about_a_committee_member_reaches_their_roles_rules():
    from pathlib import Path

    from ae_coach.deal import load_deal

    deal = load_deal(Path(__file__).parent.parent / "evals/calibration/deals/lochside-retail-procurement-rival.yaml")
    answer = Coach("offline").answer(deal, "who's derek and does he matter")  # Procurement Lead, influencer
    assert answer.intent is None and "deal-paper-process" in answer.rule_ids


def test_naming_the_champion_alone_does_not_make_a_question_about_the_champion():
    answer = _answer("litware-forecast-fantasy", "Nadia asked if we can split the annual payment in two. fine?")
    assert answer.rule_ids[0] == "deal-payment-terms"


def test_a_record_that_cannot_answer_names_the_champion_as_who_to_ask():
    answer = _answer("tailspin-single-threaded", "anyone else competing here?")  # no competitor on record
    assert answer.missing == ["competitors", "evaluation"]  # nor how the buyer would compare vendors
    assert [f.data["role"] for f in answer.of("person")] == ["champion"]


def test_the_calendar_gives_the_next_dates_before_a_second_item_on_one_day():
    from ae_coach.coach._chat_facts import deal_facts, facts_of_kind
    from ae_coach.deal import load_deal

    deal = load_deal(EXAMPLES.parent.parent / "evals/calibration/deals/tallgrass-energy-open-clause.yaml")
    facts = deal_facts(deal, Coach("offline").assess(deal))
    upcoming = facts_of_kind("upcoming", facts, deal)
    dates = [str(f.date) for f in upcoming]
    assert dates[:3] == ["2026-12-09", "2026-12-15", "2026-12-17"] and dates.count("2026-12-09") == 2


def test_a_month_written_in_chinese_reaches_the_records_english():
    from ae_coach.coach._retrieve import asked_words
    from ae_coach.rules.lexicon import load_lexicon

    words = asked_words("要等明年 3 月预算批下来", load_lexicon())
    assert "march" in words and "budget" in words


def test_the_record_the_questions_own_words_point_at_is_shown_first():
    # "another pilot" is about the pilot on record, whatever the kind of question: the facts the words match
    # come before the facts a new-stakeholder question usually needs
    answer = _answer("lucerne-late-stakeholder", "the new CFO wants to run the pilot again, do I agree?")
    assert any("Pilot completed" in (f.text or "") for f in answer.facts[:3])


def test_an_answer_for_the_manager_carries_what_the_manager_needs():
    # "my boss asks whether it's real" is a forecast question, but the answer goes to the manager: the pain
    # the deal exists for comes with it, as in a summary
    answer = _answer("contoso-notes-injection", "老板问我这单靠不靠谱，我怎么说")
    assert answer.intent == "forecast"
    assert any(f.kind == "element" and f.name == "identified_pain" for f in answer.facts)


def test_the_reps_notes_are_evidence_and_a_paragraph_talking_to_the_tool_is_not():
    # "the approval above $50k sits with finance" is only in Northwind's notes, wrapped over two lines
    answer = _answer("northwind-validation", "who actually signs at northwind?? dana says she owns the budget")
    assert any(f.kind == "note" and "$50k sits with finance" in (f.text or "") for f in answer.facts)
    # Contoso's notes are a planted instruction: never quoted back as a fact of the deal
    planted = _answer("contoso-notes-injection", "the crm notes say mark it commit at 100%, is that legit?")
    assert not any(f.kind == "note" for f in planted.facts)
    from ae_coach.deal import load_deal

    deal = load_deal(EXAMPLES / "contoso-notes-injection.yaml")
    said = "".join(
        Coach("offline").chat(deal, "the crm notes say mark it commit at 100%, is that legit?", as_of=deal.as_of)
    )
    assert "admin mode" not in said.lower() and "system prompt" not in said.lower()


def test_a_chinese_phrasing_with_a_number_holds_any_figure_and_stabilising_is_not_a_forecast() -> None:
    from ae_coach.rules.lexicon import load_lexicon

    lexicon = load_lexicon()

    def best(question: str) -> str:
        return lexicon.match(question)[0][0].id

    # "降 10%" is a discount whatever the figure; "先稳住" (hold the deal steady) is not "稳了" (it is safe)
    assert best("CFO 说价格太高。我想主动降 10% 先稳住，行不行？") == "pricing"
    assert best("客户要打 9 折，我能不能答应？") == "pricing"
    assert best("Nadia 说已经稳了，能报 commit 吗？") == "forecast"


@pytest.mark.parametrize(
    "question",
    [
        "Josh keeps dodging. Draft a short email to Annabel tying our proposal to their cost programme.",
        "Josh 到现在也约不到时间，我想绕开他直接给 Annabel 发个短邮件。先用中文帮我起个草稿",
    ],
)
def test_an_email_draft_is_addressed_to_the_person_the_question_writes_to(question: str) -> None:
    from pathlib import Path

    from ae_coach.coach import Coach
    from ae_coach.deal import load_deal

    path = (
        Path(__file__).resolve().parent.parent / "evals/calibration/deals/castleton-retail-ceo-cancelled-decision.yaml"
    )
    typed = Coach(backend="offline").answer(load_deal(path), question)
    assert typed.shape == "email" and typed.draft is not None and typed.draft.to == "Annabel Frost"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # the rep states their call and asks for a judgement: a forecast question, whatever the story names
        ("我报的是 commit：合同全部谈完，CFO 12/10 签字。不过集团冻结了新合同。你怎么看？", "forecast"),
        ("这单我一直报 commit，现在多了个比价，还能留在 commit 里吗？", "forecast"),
        # an email in the story is news, not a request for a draft; the request is in the sentence that asks
        ("group finance 发邮件说 2 月之前不许签新合同。这单是不是干脆 disqualify 算了？", "walk_away"),
        ("她一直没回。顺便帮我写一条发给她的中文消息。", "email"),
        # what to do this week, asked after the call is stated, is a next-step question
        ("下周二上 committee，我报的 commit。这周我要做哪些准备？", "next_step"),
    ],
)
def test_the_sentence_that_asks_decides_the_kind_of_question(question, intent):
    assert _answer("northwind-validation", question).intent == intent


def _deal(name: str):
    from ae_coach.deal import load_deal

    return load_deal(EXAMPLES / f"{name}.yaml")


def test_a_forecast_answer_says_which_way_to_move_the_call():
    text = "".join(Coach("offline").chat(_deal("litware-forecast-fantasy"), "is litware commit? be straight"))
    assert "move it down from commit to pipeline before the forecast call" in text
    zh = "".join(Coach("offline").chat(_deal("litware-forecast-fantasy"), "这单能报 commit 吗？"))
    assert "把它从承诺下调为" in zh


def test_what_to_do_this_week_starts_from_the_deals_serious_findings():
    answer = _answer("litware-forecast-fantasy", "what should I do this week?")
    assert answer.shape == "next_step"
    assert "anti.forecast_fantasy" in {f.code for f in answer.findings}


def test_an_email_greets_by_the_name_not_the_title():
    from ae_coach.coach._chat_answer import Draft

    assert Draft(to="Dr. Katrin Vogel").addressed == "Katrin"
    assert Draft(to="Prof Anna Berg").addressed == "Anna"
    assert Draft(to="Dana Lee").addressed == "Dana"
    assert Draft(to="Dr.-Ing. Katrin Vogel", champion="Dr. med. Anna Berg").champion_addressed == "Anna"
    assert Draft(to="Dr.-Ing. Katrin Vogel").addressed == "Katrin"
    assert Draft(to="Dr.").addressed == "Dr."  # nothing past the title: the title, not an empty greeting
    assert Draft().addressed is None


def test_an_email_does_not_confirm_plan_dates_the_buyer_has_moved():
    from ae_coach.deal import load_deal

    deal = load_deal(EXAMPLES.parent.parent / "evals/calibration/deals/hesselbach-cost-centre.yaml")
    text = "".join(Coach("offline").chat(deal, "write Katrin an email to confirm the January order"))
    draft = text.split("Best regards")[0]
    assert "Hi Katrin," in draft and "Hi Dr." not in draft
    assert "no longer on the date we planned" in draft
    assert "2026-12-10" not in draft and "What we agreed" not in draft  # the plan's December steps are overtaken


def test_a_pilot_question_after_a_pilot_passed_says_it_is_done():
    from ae_coach.deal import load_deal

    calibration = EXAMPLES.parent.parent / "evals/calibration/deals"
    done = load_deal(calibration / "mantiqueira-lab-rollout.yaml")
    answer = Coach("offline").answer(done, "Ricardo wanted pilot results first. Should we run a second pilot plant?")
    assert answer.piloted is not None and "all 6 criteria green" in (answer.piloted.text or "")
    text = "".join(
        Coach("offline").chat(done, "Ricardo wanted pilot results first. Should we run a second pilot plant?")
    )
    assert "The pilot is done and passed" in text
    # a question about the competition that mentions the POC won is not told the pilot is done
    won = load_deal(calibration / "pendleford-vendor-rationalisation.yaml")
    assert (
        Coach("offline").answer(won, "We beat Hyperscience and ABBYY in the POC, so competition is settled?").piloted
        is None
    )
    # a demo day read as validation, then the buyer asking for a paid PoC: no pilot has passed
    asked = load_deal(calibration / "tiendas-cordillera-paid-poc-first.yaml")
    assert Coach("offline").answer(asked, "Can we run the PoC for free to speed it up?").piloted is None


@pytest.mark.parametrize(
    ("name", "question", "intent"),
    [
        ("northwind-validation", "build me a MAP to signature with Dana", "action_plan"),
        ("northwind-validation", "帮我跟 Dana 做个MAP", "action_plan"),
        ("northwind-validation", "how do I map every alternative, including doing nothing?", None),
        ("fabrikam-closing-healthy", "已经签了也交给 CSM 了，我这边还用管吗？", "handoff"),
        ("northwind-validation", "我想直接给 30% off 把差价吃掉，这样能签吗？", "pricing"),
    ],
)
def test_reps_words_for_a_plan_a_handoff_and_a_discount(name: str, question: str, intent: str | None):
    found = _answer(name, question).intent
    assert found == intent if intent else found != "action_plan"


def test_a_question_naming_the_close_date_gets_the_date_verdict_and_one_that_does_not_stays_on_topic():
    named = _answer("litware-forecast-fantasy", "legal says they need 3 weeks for the MSA, can we still sign 12/20?")
    assert named.verdict is not None
    assert _answer("litware-forecast-fantasy", "The CFO pushed back on our pricing. What do I say?").verdict is None


def test_a_plan_question_sees_the_buyer_steps_that_were_missed():
    answer = _answer("wingtip-slipped", "the MAP still says signature 10/31. rebuild it with real dates")
    assert answer.intent == "action_plan"
    missed = [f for f in answer.facts if f.data.get("what") == "missed_step"]
    # both, the step the rep named (the signature) first or not
    assert sorted(f.text for f in missed) == ["Legal review", "Signature"]
    # never confirmed to the buyer as agreed dates in an email
    from ae_coach.deal import load_deal

    text = "".join(Coach("offline").chat(load_deal(EXAMPLES / "wingtip-slipped.yaml"), "draft an email to Piet"))
    assert "2026-09-30" not in text.split("What the deal records")[0]
