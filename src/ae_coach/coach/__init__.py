"""The coach: findings + rules -> a CoachingReport, from Claude, from the offline coach, or from recordings.

``Coach`` is the one public door::

    coach = Coach()                      # auto: Claude when a key is set, else offline
    report = coach.review(load_deal("examples/deals/northwind-validation.yaml"))
    for chunk in coach.chat(deal, "How do I get to the CFO?", history):
        print(chunk, end="")

Batches and evals use the same request and the same checks without subclassing::

    request = coach.review_request(deal)            # what review() sends; request.params() is the API body
    report = coach.review_from_response(deal, LLMResult.from_message(answer))
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ae_coach.errors import UsageError
from ae_coach.findings import Severity
from ae_coach.i18n import UnknownLanguage, resolve, use

if TYPE_CHECKING:
    from ae_coach.coach._chat import ChatAnswer, ChatHistory, save_history
    from ae_coach.coach._retrieve import language_of as question_language
    from ae_coach.coach.prompt import PromptBuilder, RuleSelection
    from ae_coach.coach.report import CoachingReport, ModelCoaching
    from ae_coach.deal import Deal
    from ae_coach.model.llm import LLMRequest, LLMResult, ModelClient, text_block, validate_result
    from ae_coach.model.pricing import estimate_cost
    from ae_coach.rules import Rulebook

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "ChatAnswer",
    "ChatHistory",
    "Coach",
    "LLMRequest",
    "LLMResult",
    "ReviewResult",
    "estimate_cost",
    "question_language",
    "resolve_backend",
    "resolve_language",
    "save_history",
    "text_block",
    "validate_result",
]


def __getattr__(name: str) -> Any:
    # The chat modules (facts, retrieval, the tokenizer) load on first use: a review does not need them; nor
    # does a chat before its first question need the report's models or the model client's.
    if name in ("LLMRequest", "LLMResult", "text_block", "validate_result"):
        from ae_coach.model import llm

        return getattr(llm, name)
    if name == "estimate_cost":
        from ae_coach.model.pricing import estimate_cost

        return estimate_cost
    if name in ("ChatAnswer", "ChatHistory", "render_answer", "save_history"):
        from ae_coach.coach import _chat

        return getattr(_chat, name)
    if name == "question_language":
        from ae_coach.coach._retrieve import language_of

        return language_of
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BACKENDS = ("auto", "anthropic", "offline", "replay")
DEFAULT_MODEL = "claude-sonnet-5-5"
"""A current Sonnet-class model (not in the SDK's deprecated list). Override with --model or AE_COACH_MODEL."""
DEFAULT_MAX_TOKENS = 8192
CHAT_MAX_TOKENS = 2048


def resolve_backend(backend: str | None = None) -> str:
    """``auto`` (or nothing) -> ``anthropic`` when ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set, else
    ``offline``; ``AE_COACH_BACKEND`` supplies the default."""
    choice = (backend or os.environ.get("AE_COACH_BACKEND") or "auto").strip().lower()
    if choice not in BACKENDS:
        raise UsageError(f"unknown backend {choice!r}; allowed: {', '.join(BACKENDS)}")
    if choice == "auto":
        from ae_coach.errors import has_key

        return "anthropic" if has_key() else "offline"
    return choice


def resolve_language(lang: str | None = None) -> str:
    """``en`` or ``zh``: ``lang`` when given, else the language in use (``AE_COACH_LANG``, else en)."""
    try:
        return resolve(lang)
    except UnknownLanguage as exc:
        raise UsageError(str(exc)) from None


@dataclass
class _Prepared:
    """A deal ready for review: its assessment, and the deal and assessment the backend sees (redacted)."""

    original_assessment: Any
    deal: Deal
    assessment: Any
    redactor: Any


@dataclass
class ReviewResult:
    """A review and the assessment it was built on (the CLI prints both)."""

    report: CoachingReport
    assessment: Any


class Coach:
    """Reviews deals and chats about them with one backend.

    Args:
        backend: ``auto``, ``anthropic``, ``offline`` or ``replay``.
        model: model id for the LLM backends (default: AE_COACH_MODEL, else DEFAULT_MODEL); any string.
        rulebook: the rules (default: the shipped rulebook).
        settings: inspector thresholds (``ae_coach.inspector.settings.Settings``).
        max_retries: SDK retries per HTTP call before giving up (exit 3).
        timeout: one wall-clock deadline in seconds per model call, retries included (default:
            ``AE_COACH_TIMEOUT``, else 300); past it the call fails with :class:`BackendError` (exit 3).
        replay_dir: recordings for ``replay`` (default: AE_COACH_REPLAY_DIR, else evals/recordings).
        record: with ``replay``, call Claude and write recordings instead of reading them.
        redact: pseudonymise people and emails before anything reaches a model; restore them after.
        budget_tokens: token budget for the rules in the system block.
        max_tokens: output budget for a review.
        prompts: a prompt-template directory (default: the shipped ``prompts/``); evals compare variants.
        client: a model client to use instead of the one the backend builds (evals wrap it in a cache).
        builder: a prompt builder for ``rulebook`` and ``prompts`` (evals build one per variant, not per case).
        lang: the language of the review, ``en`` or ``zh`` (default: AE_COACH_LANG, else en): titles, actions
            and questions in it, the rule text from the rulebook's translation (``rules/zh``).
    """

    def __init__(
        self,
        backend: str | None = "auto",
        model: str | None = None,
        rulebook: Rulebook | None = None,
        settings: Any = None,
        *,
        max_retries: int = 4,
        timeout: float | None = None,
        replay_dir: Path | str | None = None,
        record: bool = False,
        redact: bool = False,
        budget_tokens: int | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        prompts: Path | str | None = None,
        client: ModelClient | None = None,
        builder: PromptBuilder | None = None,
        lang: str | None = None,
    ) -> None:
        self.backend = resolve_backend(backend)
        self.lang = resolve_language(lang)
        self._lang_chosen = bool(lang or os.environ.get("AE_COACH_LANG"))
        """A language given (or set in the environment); otherwise chat answers in the question's language."""
        self._translations: dict[str, Rulebook] = {}
        self.model = model or os.environ.get("AE_COACH_MODEL") or DEFAULT_MODEL
        self._rulebook = rulebook
        self._playbook_rulebook = rulebook is None
        """The rulebook is the playbook's (merged), so its translation is the playbook's too."""
        if settings is None:
            from ae_coach.inspector.settings import playbook_settings

            settings = playbook_settings()
        self.settings = settings
        self.max_retries, self.timeout = max_retries, timeout
        self.replay_dir = Path(replay_dir) if replay_dir else None
        self.record, self.redact = record, redact
        self.budget_tokens = budget_tokens
        self.max_tokens = max_tokens
        self.prompts = Path(prompts) if prompts else None
        self._client: ModelClient | None = client
        self._builder: PromptBuilder | None = builder
        self._text_rulebook: Rulebook | None = None

    # --- collaborators (built on first use: offline reviews never import anthropic) ---------------

    @property
    def rulebook(self) -> Rulebook:
        if self._rulebook is None:
            from ae_coach.rules.cache import shipped_rulebook

            self._rulebook = shipped_rulebook()
        return self._rulebook

    @property
    def text_rulebook(self) -> Rulebook:
        """The rules whose words the report quotes: the rulebook itself in English, else its translation
        (same ids, triggers and markers; a rule not yet translated stays in English)."""
        if self.lang == "en":
            return self.rulebook
        if self._text_rulebook is None:
            self._text_rulebook = self._translation(self.lang, untranslated=self.rulebook)
        return self._text_rulebook

    def _translation(self, lang: str, untranslated: Rulebook | None = None) -> Rulebook:
        from ae_coach.rules import load_rulebook

        if self._playbook_rulebook:
            from ae_coach.rules.cache import shipped_rulebook

            # each rule's translation sits beside it, shipped (from the cache, like the rules) or the playbook's
            return shipped_rulebook(lang)
        path = self.rulebook.path
        if path is not None and (path / lang).is_dir():
            return load_rulebook(path, lang=lang)
        # A rulebook given without translations: as it is, or the playbook's translation (chat's other language).
        return untranslated if untranslated is not None else load_rulebook(lang=lang)

    @property
    def builder(self) -> PromptBuilder:
        if self._builder is None:
            from ae_coach.coach.prompt import PromptBuilder

            # the selection is the same in every language (same ids, triggers, stages); the words are the language's
            self._builder = PromptBuilder(self.text_rulebook, templates=self.prompts)
        return self._builder

    @property
    def client(self) -> ModelClient:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def make_client(self) -> ModelClient:
        """A new model client for this coach's backend (``anthropic`` or ``replay``)."""
        return self._make_client()

    def _make_client(self) -> ModelClient:
        from ae_coach.model.anthropic import AnthropicClient

        if self.backend == "replay":
            from ae_coach.model.replay import ReplayClient

            live = AnthropicClient(max_retries=self.max_retries, timeout=self.timeout) if self.record else None
            return ReplayClient(self.replay_dir, live=live, record=self.record)
        return AnthropicClient(max_retries=self.max_retries, timeout=self.timeout)

    def _selection(self, deal: Deal, assessment: Any) -> RuleSelection:
        from ae_coach.coach.prompt import DEFAULT_RULE_BUDGET

        budget = self.budget_tokens or DEFAULT_RULE_BUDGET
        return self.builder.plan_rules(assessment, deal.stage, budget_tokens=budget)

    # --- review ------------------------------------------------------------------------------------

    def assess(self, deal: Deal, as_of: dt.date | None = None) -> Any:
        """The inspector's assessment of ``deal`` (findings, grades, health, forecast)."""
        from ae_coach.inspector import assess

        with use(self.lang):
            return assess(as_recorded(deal, as_of), as_of, settings=self.settings, rulebook=self.rulebook)

    def review(self, deal: Deal, as_of: dt.date | None = None) -> CoachingReport:
        """Review one deal. Raises BackendError (exit 3) when the model backend fails after retries."""
        return self.run_review(deal, as_of).report

    def run_review(
        self, deal: Deal, as_of: dt.date | None = None, *, assessment: Any = None, since: Any = None
    ) -> ReviewResult:
        """Review one deal and keep the assessment (with real names) next to the report.

        Args:
            deal: the deal.
            as_of: the review date (default: the deal's ``as_of``).
            assessment: the deal's assessment when the caller already has it (the deal is inspected once).
            since: what changed since the deal's previous review (``ae_coach.history.Since``, a pydantic
                model); the model's prompt gets it, pseudonymised with ``redact``. The history computes it:
                the coach keeps no state between reviews.
        """
        with use(self.lang):
            prepared = self._prepare(deal, as_of, assessment)
            response = None if self.backend == "offline" else self.client.structured(self._request(prepared, since))
            return self._finish(prepared, response)

    def review_request(self, deal: Deal, as_of: dt.date | None = None) -> LLMRequest:
        """The exact model request ``review`` sends for ``deal``; nothing is sent.

        The system block is the selected rules (marked with ``cache_control``); the one user turn holds the
        cached ``<deal_data>`` block and the review instructions; ``output`` is the response model, and
        ``json_messages`` the same turn with JSON-only instructions. With ``redact`` people are already
        pseudonymised. ``request.params()`` is the Messages API body (e.g. for a Message Batches entry).
        """
        with use(self.lang):
            return self._request(self._prepare(deal, as_of))

    def review_from_response(self, deal: Deal, response: LLMResult, as_of: dt.date | None = None) -> CoachingReport:
        """The report ``review`` gives when the model answers ``response`` to ``review_request(deal, as_of)``.

        The answer is validated (a result without ``parsed`` is validated from its text), merged into the
        offline report (computed health, forecast and plan; offline actions for serious findings the model
        left uncovered), unknown rule ids are dropped and listed, redacted names restored, cost estimated.

        Raises:
            ModelOutputError: the answer was cut off, refused, or does not validate.
        """
        with use(self.lang):
            return self._finish(self._prepare(deal, as_of), response).report

    def _prepare(self, deal: Deal, as_of: dt.date | None, assessment: Any = None) -> _Prepared:
        deal = as_recorded(deal, as_of)
        assessment = assessment if assessment is not None else self.assess(deal, as_of)
        if not self.redact:
            return _Prepared(assessment, deal, assessment, None)
        from ae_coach.coach.redact import Redactor

        redactor = Redactor(deal)
        # The deal is inspected once: the model sees the same assessment with every name pseudonymised.
        return _Prepared(assessment, redactor.redact(deal), redactor.redact(assessment), redactor)

    def _request(self, prepared: _Prepared, since: Any = None) -> LLMRequest:
        from ae_coach.coach._offline import compose
        from ae_coach.coach._requests import review_request

        deal, assessment = prepared.deal, prepared.assessment
        planned = compose(deal, assessment, self.text_rulebook, self.settings).next_actions
        if since is not None and prepared.redactor is not None:
            since = prepared.redactor.redact(since)
        since_data = since.model_dump(mode="json") if since is not None else None
        return review_request(
            self.builder,
            self._selection(deal, assessment),
            deal,
            assessment,
            self.model,
            self.max_tokens,
            planned,
            since=since_data,
        )

    def _finish(self, prepared: _Prepared, response: LLMResult | None) -> ReviewResult:
        from ae_coach.coach._offline import compose
        from ae_coach.coach.report import drop_unknown_rule_ids

        report = compose(prepared.deal, prepared.assessment, self.text_rulebook, self.settings)
        if response is not None:
            from ae_coach.coach.quality import enforce
            from ae_coach.coach.report import ModelCoaching
            from ae_coach.deal.calendar import calendar_for
            from ae_coach.model.llm import validate_result

            report = self._merge(report, prepared.assessment, validate_result(response, ModelCoaching))
            report = enforce(report, prepared.deal, calendar_for(self.settings, prepared.deal))
        report = drop_unknown_rule_ids(report, self.rulebook).model_copy(
            update={"rulebook_hash": self.rulebook.content_hash}
        )
        if prepared.redactor is not None:
            report = prepared.redactor.restore(report)
        return ReviewResult(report, prepared.original_assessment)

    def _merge(self, offline: CoachingReport, assessment: Any, result: LLMResult) -> CoachingReport:
        from ae_coach.coach.report import coaching_items
        from ae_coach.model.pricing import estimate_cost

        parsed = cast("ModelCoaching", result.parsed)
        risks, actions, questions = coaching_items(parsed)
        actions += _uncovered(offline, actions, assessment.findings)
        cost, note = estimate_cost(result.model, result.usage)
        return offline.model_copy(
            update={
                "backend": self.backend if self.backend != "offline" else "anthropic",
                "headline": parsed.headline,
                "narrative": parsed.narrative,
                "risks": risks or offline.risks,
                "also_risks": [] if risks else offline.also_risks,
                "next_actions": actions,
                "questions": questions or offline.questions,
                "model": result.model,
                "usage": result.usage,
                "estimated_cost_usd": cost,
                "cost_note": note,
            }
        )

    # --- chat --------------------------------------------------------------------------------------

    def chat(
        self, deal: Deal, message: str, history: ChatHistory | None = None, as_of: dt.date | None = None
    ) -> Iterator[str]:
        """Answer one chat message about ``deal``, streaming; ``history`` is updated with the turn.

        With the LLM backends every turn re-sends the same cached rules block (and the deal block from
        the first turn), so later turns read them from the prompt cache.
        """
        from ae_coach.coach._chat import ChatHistory, render_answer

        history = history if history is not None else ChatHistory()
        deal = as_recorded(deal, as_of)
        redactor = None
        if self.redact:
            from ae_coach.coach.redact import Redactor

            redactor = Redactor(deal)
            deal, message_sent = redactor.redact(deal), redactor.redact_text(message)
        else:
            message_sent = message
        lang = self.chat_language(message)
        assessment = self._chat_assessment(deal, as_of, lang)
        if self.backend == "offline":
            typed = self._answer(deal, assessment, message_sent, lang)
            chunks: Iterator[str] = iter([render_answer(typed, self.builder)])
            history.messages.append({"role": "user", "content": message_sent})
        else:
            chunks = self._model_chat(deal, assessment, message_sent, history)
        if redactor is not None:
            chunks = redactor.restore_stream(chunks)
        history.turns.append({"role": "user", "text": message})
        answer: list[str] = []
        try:
            for chunk in chunks:
                answer.append(chunk)
                yield chunk
        except BaseException:  # a failed or stopped (Ctrl-C) turn leaves the history as it was before it
            history.turns.pop()
            if self.backend == "offline":
                history.messages.pop()
            raise
        history.turns.append({"role": "assistant", "text": "".join(answer)})
        if self.backend == "offline":
            history.messages.append({"role": "assistant", "content": "".join(answer)})

    def answer(self, deal: Deal, question: str, as_of: dt.date | None = None) -> ChatAnswer:
        """The offline chat's answer to ``question`` as data: the deal facts, findings and rule steps it
        uses, the review's own next step and the names it could not resolve (``chat`` renders it)."""
        lang = self.chat_language(question)
        deal = as_recorded(deal, as_of)
        return self._answer(deal, self._chat_assessment(deal, as_of, lang), question, lang)

    def chat_language(self, question: str) -> str:
        """The language a chat answer is written in: the coach's when one was chosen (``lang``,
        ``AE_COACH_LANG``), else the question's own (Chinese characters -> ``zh``)."""
        from ae_coach.coach._retrieve import language_of

        return self.lang if self._lang_chosen else language_of(question)

    def _answer(self, deal: Deal, assessment: Any, question: str, lang: str) -> ChatAnswer:
        from ae_coach.coach._chat_answer import answer
        from ae_coach.rules.lexicon import lexicon_for

        with use(lang):  # the review's actions and the finding titles in the answer's language
            return answer(
                question,
                deal,
                assessment,
                self.rulebook,
                lexicon_for(self.rulebook),
                text_rulebook=self._rules_in(lang),
                settings=self.settings,
                lang=lang,
            )

    def _rules_in(self, lang: str) -> Rulebook:
        """The rulebook's words in ``lang`` (its translation; English where a rule is not translated)."""
        if lang == self.lang:
            return self.text_rulebook
        if lang == "en":
            return self.rulebook
        if lang not in self._translations:
            self._translations[lang] = self._translation(lang)
        return self._translations[lang]

    def _chat_assessment(self, deal: Deal, as_of: dt.date | None, lang: str | None = None) -> Any:
        from ae_coach.inspector import assess

        key = (deal.model_dump_json(), as_of, lang)
        cached = getattr(self, "_chat_cache", None)
        if cached is None or cached[0] != key:
            with use(lang or self.lang):  # finding titles and the gate's reasons in the answer's language
                self._chat_cache = (key, assess(deal, as_of, settings=self.settings, rulebook=self.rulebook))
        return self._chat_cache[1]

    def _model_chat(self, deal: Deal, assessment: Any, message: str, history: ChatHistory) -> Iterator[str]:
        from ae_coach.coach._requests import chat_request, chat_turn_content

        first = not history.messages
        content = chat_turn_content(self.builder, deal, assessment, message, first_turn=first)
        history.messages.append({"role": "user", "content": content})
        request = chat_request(
            self.builder, self._selection(deal, assessment), history.messages, self.model, CHAT_MAX_TOKENS
        )
        text: list[str] = []
        try:
            for chunk in self.client.stream(request):
                text.append(chunk)
                yield chunk
        except BaseException:
            history.messages.pop()  # a failed turn must not leave two user messages in a row
            raise
        history.messages.append({"role": "assistant", "content": "".join(text) or "(no answer)"})

    def selection_for(self, deal: Deal, as_of: dt.date | None = None) -> RuleSelection:
        """The rules the model sees for this deal (``/rules`` in chat prints them)."""
        return self._selection(deal, self.assess(deal, as_of))


def as_recorded(deal: Deal, as_of: dt.date | None) -> Deal:
    """The deal with the roles its record shows (a stakeholder the CRM left ``unknown`` whom the record shows
    signing is the economic buyer): the coach names people as the inspector reads them."""
    from ae_coach.inspector.facts import with_record_roles

    when = as_of or deal.reference_date()
    return with_record_roles(deal, when) if type(when) is dt.date else deal


def _uncovered(offline: CoachingReport, actions: list[Any], findings: list[Any]) -> list[Any]:
    """Offline actions for critical/high findings the model's actions do not cover.

    Whatever the model writes, the report keeps the guarantee that every serious finding has an action.
    """
    covered = {code for a in actions for code in a.finding_codes}
    serious = {f.code for f in findings if f.severity in (Severity.CRITICAL, Severity.HIGH)}
    return [a for a in offline.next_actions if set(a.finding_codes) & (serious - covered)]
