"""The coach target: a review or a chat answer from the real ``Coach``, with generations cached.

For the LLM backends the coach's model client is wrapped in :class:`CachingClient`: the cache key is
the sha256 of the model, the rendered request (system blocks and messages), the output schema and the
repeat index. A truncated answer (``stop_reason == "max_tokens"``) or an error is never stored.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

from ae_coach.eval._cases import Case
from ae_coach.eval._targets import (
    Output,
    cited_in_text,
    report_citations,
    report_text,
    usage_dict,
)
from ae_coach.eval._variant import Variant
from ae_coach.model.cache import Cache, cache_key


class CachingClient:
    """A ModelClient that answers from the eval cache, else asks the wrapped client and stores the answer."""

    def __init__(self, inner: Any, cache: Cache, repeat: int) -> None:
        self.inner, self.cache, self.repeat = inner, cache, repeat
        self.name = getattr(inner, "name", "client")
        self.usage: Any = None
        self.last_result: Any = None
        self.cached = False
        self.model: str | None = None

    def _key(self, request: Any) -> str:
        prompt = json.dumps(
            {"system": request.system, "messages": request.messages}, sort_keys=True, ensure_ascii=False
        )
        schema = request.output.model_json_schema() if request.output is not None else None
        return cache_key(model=request.model, prompt=prompt, schema=schema, repeat=self.repeat)

    def structured(self, request: Any) -> Any:
        from pydantic import ValidationError

        from ae_coach.coach import LLMResult
        from ae_coach.coach.report import Usage

        key = self._key(request)
        hit = self.cache.get(key)
        if hit is not None:
            try:
                parsed = request.output.model_validate_json(hit["text"])
            except ValidationError:
                parsed = None  # e.g. a batch answer that does not fit the schema: ask the live client
            if parsed is not None:
                self.cached, self.model = True, hit["model"]
                return LLMResult(
                    text=hit["text"], model=hit["model"], usage=Usage(), stop_reason=hit["stop_reason"], parsed=parsed
                )
        result = self.inner.structured(request)
        self.usage, self.model, self.last_result = result.usage, result.model, result
        if result.stop_reason != "max_tokens" and result.parsed is not None:
            self.cache.put(
                key, {"text": result.parsed.model_dump_json(), "model": result.model, "stop_reason": result.stop_reason}
            )
        return result

    def stream(self, request: Any) -> Iterator[str]:
        """Stream from the cache or the wrapped client; ``last_result`` is set once the stream is exhausted."""
        from ae_coach.coach import LLMResult

        key = self._key(request)
        hit = self.cache.get(key)
        if hit is not None:
            self.cached, self.model = True, hit["model"]
            self.last_result = LLMResult(hit["text"], hit["model"], stop_reason=hit["stop_reason"])
            yield hit["text"]
            return
        chunks: list[str] = []
        for chunk in self.inner.stream(request):
            chunks.append(chunk)
            yield chunk
        # Like every ModelClient, the wrapped one leaves the final result (usage, stop reason) in last_result.
        result = self.inner.last_result
        self.last_result = result
        if result is not None:
            self.usage, self.model = result.usage, result.model
            if result.stop_reason != "max_tokens":
                self.cache.put(key, {"text": "".join(chunks), "model": result.model, "stop_reason": result.stop_reason})


def make_coach(
    variant: Variant,
    options: Any,
    cache: Cache,
    repeat: int,
    defer: dict[str, dict[str, Any]] | None = None,
    rulebook: Any = None,
    lang: str | None = None,
) -> tuple[Any, CachingClient | None]:
    """A Coach on the variant's rulebook and prompts; LLM backends get the caching client.

    With ``defer`` (batch mode) a cache miss records the request there instead of calling the model.
    """
    from ae_coach.coach import Coach

    rulebook = rulebook if rulebook is not None else variant.rulebook
    settings = {
        "backend": options.backend,
        "model": options.model,
        "rulebook": rulebook,
        "prompts": variant.prompts_dir,
        "lang": lang or "en",
        # one prompt builder per variant, not per case (English; a Chinese case's builder reads rules/zh)
        "builder": variant.builder_for_rulebook(rulebook) if (lang or "en") == "en" else None,
    }
    coach = Coach(**settings)
    if coach.backend == "offline":
        return coach, None
    wrapper = CachingClient(None, cache, repeat)
    if defer is not None and coach.backend == "anthropic":
        from ae_coach.eval._batch import DeferringClient

        wrapper.inner = DeferringClient(defer, wrapper._key)
    else:
        wrapper.inner = _shared_client(variant, coach)
    wrapper.name = wrapper.inner.name
    return Coach(**settings, client=wrapper), wrapper


def _shared_client(variant: Variant, coach: Any) -> Any:
    """The worker thread's client for this backend, made on first use: a client keeps the last response's
    body for its own repair turn, so threads never share one; cases on one thread run one after another."""
    key = (threading.get_ident(), coach.backend, coach.replay_dir, coach.record)
    client = variant.clients.get(key)
    if client is None:
        client = variant.clients[key] = coach.make_client()
    return client


def run_coach(
    case: Case,
    deal: Any,
    variant: Variant,
    options: Any,
    repeat: int,
    cache: Cache,
    defer: dict[str, dict[str, Any]] | None = None,
) -> Output:
    from ae_coach.coach import question_language

    rulebook = variant.rulebook_for(case)
    # a chat question with no language set is answered in its own language, as `ae-coach chat` does
    lang = case.input.lang or (question_language(case.input.question) if case.input.question else None)
    coach, wrapper = make_coach(variant, options, cache, repeat, defer, rulebook=rulebook, lang=lang)
    assessment = coach.assess(deal, deal.as_of)
    findings = [f.code for f in assessment.findings]
    expected = [alt for r in case.expect.rules.cited for alt in r.split("|")]
    candidates = list(dict.fromkeys([*rulebook.ids, *expected]))
    if case.input.question:
        text = "".join(coach.chat(deal, case.input.question, _history(case), as_of=deal.as_of))
        out = Output(findings=findings, text=text, cited=cited_in_text(text, candidates))
    else:
        report = coach.review(deal, deal.as_of)
        text = report_text(report)
        cited = list(dict.fromkeys([*report_citations(report), *cited_in_text(text, candidates)]))
        out = Output(
            findings=findings,
            text=text,
            cited=cited,
            usage=usage_dict(report.usage),
            cost_usd=report.estimated_cost_usd,
            model=report.model,
        )
    if case.expect.rules.selected or case.expect.rules.not_selected:
        out.selected = [
            r.id for r in variant.builder_for(case).select_rules(assessment, deal.stage, question=case.input.question)
        ]
    if wrapper is not None:
        out.cached = wrapper.cached
        out.model = out.model or wrapper.model
        if wrapper.usage is not None and not out.usage:
            out.usage = usage_dict(wrapper.usage)
            out.cost_usd = _cost(wrapper.model, wrapper.usage)
    return out


def _cost(model: str | None, usage: Any) -> float | None:
    from ae_coach.coach import estimate_cost

    return estimate_cost(model, usage)[0] if model else None


def _history(case: Case) -> Any:
    from ae_coach.coach import ChatHistory

    history = ChatHistory()
    for turn in case.input.history:
        history.messages.append({"role": turn.role, "content": turn.content})
        history.turns.append({"role": turn.role, "text": turn.content})
    return history
