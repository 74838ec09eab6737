"""Judges for rubric items: an LLM judge through the Anthropic API, and an offline keyword judge.

Both return one verdict per rubric item. The LLM judge answers in a JSON schema (reasoning first, then
the verdict, per item); an answer that does not parse, misses an item or was cut off is an error, never a
pass. The offline judge is deterministic so the whole pipeline runs in CI without a key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ae_coach.eval._cases import RubricItem
from ae_coach.model.cache import Cache, cache_key

JUDGE_MODEL = "claude-sonnet-4-6"
"""Pinned so a comparison's two variants, and runs on different days, are graded by the same judge."""
JUDGE_MAX_TOKENS = 4096
JUDGE_TEMPLATE = "judge"


@dataclass
class Verdict:
    item: str
    passed: bool | None
    """None when the judge failed (an error, counted as not passed)."""
    reasoning: str = ""
    error: str | None = None


@dataclass
class JudgeResult:
    verdicts: list[Verdict]
    usage: dict[str, int] = field(default_factory=dict)
    model: str = "offline-keyword"
    cached: bool = False


class _ItemVerdict(BaseModel):
    id: str
    reasoning: str
    verdict: Literal["pass", "fail"]


class JudgeOutput(BaseModel):
    """The judge's structured answer: reasoning before the verdict, one entry per rubric item."""

    items: list[_ItemVerdict]


# --- offline keyword judge -----------------------------------------------------------------------

_STOP = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "their",
        "there",
        "these",
        "those",
        "which",
        "while",
        "would",
        "could",
        "should",
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "into",
        "your",
        "have",
        "has",
        "must",
        "when",
        "what",
        "where",
        "will",
        "does",
        "than",
        "then",
        "them",
        "they",
        "answer",
        "response",
        "says",
        "mentions",
        "names",
        "states",
        "explains",
        "least",
    ]
)


def keyword_terms(item: RubricItem) -> tuple[list[str], float]:
    """The terms the offline judge looks for, and the fraction of them that must appear.

    ``keywords`` given: every entry must appear (``a|b`` = either). Otherwise the quoted phrases in the
    pass definition must all appear; with no quotes, 60% of its content words (5+ letters) must.
    """
    if item.keywords:
        return item.keywords, 1.0
    quoted = re.findall(r"[\"“']([^\"”']{3,})[\"”']", item.pass_)
    if quoted:
        return quoted, 1.0
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", item.pass_) if w.lower() not in _STOP]
    return list(dict.fromkeys(w.lower() for w in words)), 0.6


def _present(term: str, text: str) -> bool:
    return any(
        re.search(r"(?<![A-Za-z0-9])" + re.escape(alt.strip()), text, re.IGNORECASE)
        for alt in term.split("|")
        if alt.strip()
    )


def keyword_judge(items: list[RubricItem], text: str) -> JudgeResult:
    """Deterministic: an item passes when enough of its terms appear in the text (case-insensitive)."""
    verdicts = []
    for item in items:
        terms, needed = keyword_terms(item)
        found = [t for t in terms if _present(t, text)]
        missing = [t for t in terms if t not in found]
        ok = bool(terms) and len(found) >= needed * len(terms) - 1e-9
        verdicts.append(Verdict(item.id, ok, f"found {found}; missing {missing}"))
    return JudgeResult(verdicts)


# --- LLM judge -------------------------------------------------------------------------------------


def judge_schema() -> dict[str, Any]:
    schema = JudgeOutput.model_json_schema()
    # Structured outputs need closed objects.
    for definition in [schema, *schema.get("$defs", {}).values()]:
        definition["additionalProperties"] = False
    return schema


def parse_judgement(raw: str, items: list[RubricItem]) -> list[Verdict]:
    """Validate the judge's JSON; any defect becomes an error verdict for every affected item."""
    try:
        output = JudgeOutput.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        return [Verdict(i.id, None, error=f"unparseable judge output: {str(exc)[:200]}") for i in items]
    by_id = {v.id: v for v in output.items}
    return [
        Verdict(i.id, by_id[i.id].verdict == "pass", by_id[i.id].reasoning)
        if i.id in by_id
        else Verdict(i.id, None, error="the judge gave no verdict for this item")
        for i in items
    ]


class LLMJudge:
    """Grades rubric items with a pinned Claude model through the ``anthropic`` client."""

    def __init__(
        self,
        render: Any,
        *,
        cache: Cache,
        model: str = JUDGE_MODEL,
        client: Any = None,
        defer: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.render = render
        self.defer = defer
        """Batch mode: a cache miss records the request here and raises ``Deferred`` instead of calling."""
        """Callable(template_name, **vars) -> str: renders the judge prompt (from the working tree)."""
        self.cache = cache
        self.model = model
        self._client = client

    def _get_client(self) -> Any:
        if self._client is None:
            import anthropic

            self._client = anthropic.Anthropic(max_retries=4)
        return self._client

    def __call__(self, items: list[RubricItem], text: str, *, case_id: str, context: str, repeat: int) -> JudgeResult:
        prompt = self.render(
            JUDGE_TEMPLATE,
            case_id=case_id,
            context=context,
            answer=text,
            rubric=[{"id": i.id, "criterion": i.pass_} for i in items],
        )
        key = cache_key(model=self.model, prompt=prompt, schema=judge_schema(), repeat=repeat, kind="judgement")
        hit = self.cache.get(key)
        if hit is not None:
            verdicts = parse_judgement(hit["raw"], items)
            if all(v.error is None for v in verdicts):
                return JudgeResult(verdicts, {}, self.model, cached=True)
        if self.defer is not None:
            from ae_coach.eval._batch import Deferred

            self.defer[key] = {"kind": "judgement", "params": self._params(prompt)}
            raise Deferred
        raw, usage, truncated = self._ask(prompt)
        if truncated:
            return JudgeResult(
                [Verdict(i.id, None, error="judge output truncated at max_tokens") for i in items], usage, self.model
            )
        verdicts = parse_judgement(raw, items)
        if all(v.error is None for v in verdicts):
            self.cache.put(key, {"raw": raw, "usage": usage})
        return JudgeResult(verdicts, usage, self.model)

    def _params(self, prompt: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": JUDGE_MAX_TOKENS,
            "messages": [{"role": "user", "content": prompt}],
            "output_config": {"format": {"type": "json_schema", "schema": judge_schema()}},
        }

    def _ask(self, prompt: str) -> tuple[str, dict[str, int], bool]:
        import anthropic

        from ae_coach.errors import BackendError

        try:
            message = self._get_client().messages.create(**self._params(prompt))
        except anthropic.APIError as exc:
            raise BackendError(f"judge call failed: {exc}") from exc
        text = "".join(getattr(block, "text", "") for block in message.content)
        usage = {"input_tokens": message.usage.input_tokens, "output_tokens": message.usage.output_tokens}
        return text, usage, message.stop_reason == "max_tokens"
