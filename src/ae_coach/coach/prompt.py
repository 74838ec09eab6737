"""Prompt building: pick the rules that matter for a deal and render the jinja2 templates in prompts/.

Two properties matter more than anything else here:

* **Deterministic, cacheable system block.** The rules are chosen and ordered only from the findings and
  the stage, and the system template holds nothing else that varies, so two calls about the same deal
  produce a byte-identical system block and the prompt cache can serve it.
* **Untrusted text is data.** Notes, activity summaries, names and next-step text go inside a
  ``<deal_data>`` block that the system prompt declares to be data only; anything in the data that looks
  like the block's delimiters is neutralised so the data cannot close its own block.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ae_coach._untrusted import skeleton, visible
from ae_coach.errors import InputError
from ae_coach.findings import Finding, sort_findings
from ae_coach.resources import prompts_dir

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ae_coach.deal import Deal, Stage
    from ae_coach.rules import Rule, Rulebook

DATA_TAG = "deal_data"
INSPECTION_TAG = "inspection"
_TAGS = (DATA_TAG, INSPECTION_TAG, "answer_under_test", "rule_excerpt", "rule")

DEFAULT_RULE_BUDGET = 14_000
"""Token budget for the rules in the system block (ae-coach default). Triggered rules are always
included; when they do not fit in full, the least severe ones are included as one-line summaries."""

CHARS_PER_TOKEN = 4
"""Token estimate: characters / 4, the usual rule of thumb for English prose with Claude tokenizers.
It is an estimate for budgeting and benchmarks, not a bill; the API reports real usage."""

_PROMPT_SECTIONS_SKIPPED = ("Sources",)  # citations for authors; the model does not need them

_IMPACT_RANK = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}


class PromptError(InputError):
    """A prompt template that cannot be rendered: missing variables, a syntax error, an unknown name."""


def estimate_tokens(text: str) -> int:
    """Estimate the tokens in ``text`` (characters / CHARS_PER_TOKEN, rounded up)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


# Any spelling a reader (or a model) might take for one of our delimiters: <deal_data, </ DEAL-DATA, ...
_DELIMITER_LOOKALIKE = re.compile(
    r"<(\s*/?\s*)(" + "|".join(t.replace("_", r"[\s_\-]*") for t in _TAGS) + r")\b",
    re.IGNORECASE,
)


def neutralise(text: str) -> str:
    """Defang anything in untrusted text that looks like one of our data-block delimiters.

    ``</deal_data>`` becomes ``‹/deal_data>``: still readable as data, no longer a closing tag. Look-alikes
    count: the text is first made what it looks like (entities decoded, zero-width characters dropped,
    NFKC) and searched with confusable letters folded (``</dеal_data>`` with a Cyrillic е).
    """
    text = visible(text)
    starts = [m.start() for m in _DELIMITER_LOOKALIKE.finditer(skeleton(text))]
    if not starts:
        return text
    chars = list(text)
    for start in starts:
        chars[start] = "\u2039"
    return "".join(chars)


def _neutralise_tree(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):  # keys too: history[].from can be a mapping whose keys are the deal's text
        return {neutralise(str(k)): _neutralise_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_neutralise_tree(v) for v in value]
    return value


@dataclass(frozen=True)
class RuleSelection:
    """The rules chosen for a prompt, in prompt order, and which of them are rendered in full."""

    rules: list[Rule]
    full: frozenset[str]
    triggered: frozenset[str]
    tokens: int
    """Estimated tokens of the rendered rules."""
    budget: int
    order_reasons: dict[str, str] = field(default_factory=dict)


def _impact(rule: Rule) -> str:
    return str(getattr(rule.impact, "value", rule.impact)).upper()


def _stage_value(stage: Stage | str | None) -> str | None:
    return None if stage is None else str(stage)


def _findings_of(assessment_or_findings: Any) -> list[Finding]:
    if assessment_or_findings is None:
        return []
    findings = getattr(assessment_or_findings, "findings", assessment_or_findings)
    return sort_findings(list(findings))


class PromptBuilder:
    """Selects rules for a deal and renders the templates in ``prompts/``.

    Args:
        rulebook: the rules to choose from.
        templates: the template directory (default: the shipped ``prompts/``).
    """

    def __init__(self, rulebook: Rulebook, templates: Path | None = None) -> None:
        from jinja2 import FileSystemLoader, StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        self.rulebook = rulebook
        self.templates = Path(templates) if templates else prompts_dir()
        self._env = SandboxedEnvironment(
            loader=FileSystemLoader(str(self.templates)),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Templates mark untrusted values with ``| data`` so no caller can forget to defang them.
        self._env.filters["data"] = neutralise
        self._rule_text_cache: dict[tuple[str, bool], str] = {}

    # --- templates ---------------------------------------------------------------------------------

    def render(self, name: str, **variables: Any) -> str:
        """Render ``prompts/<name>.j2``; every variable the template uses must be given.

        Raises:
            PromptError: the template is missing or broken, or variables are missing (all are named).
        """
        from jinja2 import TemplateError, TemplateNotFound, meta

        variables = {"data_tag": DATA_TAG, "inspection_tag": INSPECTION_TAG, **variables}
        path = self.templates / f"{name}.j2"
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            raise PromptError(f"{path}: prompt template not found (have: {', '.join(self.template_names())})") from None
        try:
            declared = meta.find_undeclared_variables(self._env.parse(source))
            missing = sorted(declared - variables.keys() - self._env.globals.keys())
            if missing:
                raise PromptError(f"{path}: missing template variables: {', '.join(missing)}")
            return self._env.get_template(f"{name}.j2").render(**variables)
        except TemplateNotFound:
            raise PromptError(f"{path}: prompt template not found") from None
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            raise PromptError(f"{path}{f':{line}' if line else ''}: {exc.message or exc}") from None

    def template_names(self) -> list[str]:
        """The names of the templates available (``system``, ``review``, ...)."""
        return sorted(p.stem for p in self.templates.glob("*.j2"))

    # --- rule selection ----------------------------------------------------------------------------

    def select_rules(
        self,
        assessment_or_findings: Any,
        stage: Stage | str | None,
        question: str | None = None,
        budget_tokens: int = DEFAULT_RULE_BUDGET,
    ) -> list[Rule]:
        """The rules for a prompt: triggered first (worst finding first), then stage-relevant, in budget.

        With a ``question`` (chat), the rules that best match it come first. See ``plan_rules``.
        """
        return self.plan_rules(assessment_or_findings, stage, question, budget_tokens).rules

    def plan_rules(
        self,
        assessment_or_findings: Any,
        stage: Stage | str | None,
        question: str | None = None,
        budget_tokens: int = DEFAULT_RULE_BUDGET,
    ) -> RuleSelection:
        """Choose rules and their form (full or summary) within ``budget_tokens``.

        Every rule a finding triggers is included; if the triggered rules do not fit in full, the
        ones behind the least severe findings are included as summaries. Stage-relevant rules fill
        what budget is left, as summaries. The order depends only on the inputs, never on timing.
        """
        ranked, reasons = self._ranked_triggered(_findings_of(assessment_or_findings))
        candidates: list[str] = list(ranked)
        if question:
            hits = [h.rule.id for h in self.rulebook.search(question, k=8)]
            candidates = list(dict.fromkeys(hits + candidates))
            reasons.update({i: "matches the question" for i in hits if i not in reasons})
        triggered = frozenset(ranked)
        # Reserve a summary for every triggered rule first, so they always fit; then upgrade to full text
        # in order (worst finding first) while the budget allows.
        used = sum(self._size(i, False) for i in triggered)
        full: set[str] = set()
        chosen: list[str] = []
        for rule_id in candidates:
            summary = self._size(rule_id, False)
            extra = self._size(rule_id, True) - (summary if rule_id in triggered else 0)
            if used + extra <= budget_tokens:
                full.add(rule_id)
                used += extra
                chosen.append(rule_id)
            elif rule_id in triggered:
                chosen.append(rule_id)
            elif used + summary <= budget_tokens:
                used += summary
                chosen.append(rule_id)
        for rule in self._stage_rules(stage, exclude=set(chosen)):
            size = self._size(rule.id, False)
            if used + size <= budget_tokens:
                used += size
                chosen.append(rule.id)
                reasons[rule.id] = "relevant to the stage"
        rules = [self.rulebook[i] for i in chosen]
        return RuleSelection(rules, frozenset(full), triggered, used, budget_tokens, reasons)

    def _ranked_triggered(self, findings: list[Finding]) -> tuple[list[str], dict[str, str]]:
        best: dict[str, tuple[int, int, str]] = {}
        reasons: dict[str, str] = {}
        for finding in findings:
            for rule_id in (rule.id for rule in self.rulebook.addressing(finding.code, finding.rules)):
                key = (finding.severity.rank, _IMPACT_RANK.get(_impact(self.rulebook[rule_id]), 9), rule_id)
                if rule_id not in best or key < best[rule_id]:
                    best[rule_id] = key
                    reasons[rule_id] = f"triggered by {finding.code} ({finding.severity.value})"
        return sorted(best, key=best.__getitem__), reasons

    def _stage_rules(self, stage: Stage | str | None, exclude: set[str]) -> list[Rule]:
        value = _stage_value(stage)
        pool = self.rulebook.by_stage(value) if value else list(self.rulebook.rules)
        pool = [r for r in pool if r.id not in exclude]
        return sorted(pool, key=lambda r: (_IMPACT_RANK.get(_impact(r), 9), r.id))

    def _size(self, rule_id: str, full: bool) -> int:
        return estimate_tokens(self._rule_text(self.rulebook[rule_id], full))

    def _rule_text(self, rule: Rule, full: bool) -> str:
        key = (rule.id, full)
        if key not in self._rule_text_cache:
            view = rule_view(rule, full)
            parts = [view["title"], view["summary"]] + [f"### {h}\n{t}" for h, t in view["sections"]]
            self._rule_text_cache[key] = "\n".join(parts) + " " * 60  # + the <rule> tag's overhead
        return self._rule_text_cache[key]

    # --- whole prompts -----------------------------------------------------------------------------

    def system_prompt(self, selection: RuleSelection | Sequence[Rule], full: Iterable[str] | None = None) -> str:
        """Render the static system block for a selection (or a list of rules, all in full)."""
        if isinstance(selection, RuleSelection):
            rules, full_ids = selection.rules, selection.full
        else:
            rules = list(selection)
            full_ids = frozenset(full) if full is not None else frozenset(r.id for r in rules)
        return self.render("system", rules=[rule_view(r, r.id in full_ids) for r in rules])

    def all_rules_system_prompt(self) -> str:
        """The system block with every rule in full: the baseline the benchmark compares against."""
        return self.system_prompt(list(self.rulebook.rules))


def rule_view(rule: Rule, full: bool) -> dict[str, Any]:
    """What a template needs of a rule, taken from the Rule object (never copied into a template)."""
    sections = [
        (heading, text.strip())
        for heading, text in rule.sections.items()
        if heading not in _PROMPT_SECTIONS_SKIPPED and text.strip()
    ]
    return {
        "id": rule.id,
        "title": rule.title,
        "impact": _impact(rule),
        "summary": rule.summary,
        "full": full,
        "sections": sections if full else [],
    }


def data_yaml(data: Any) -> str:
    """Plain data (dicts, lists, strings) as YAML with every string neutralised: the body of a data block."""
    import yaml

    return yaml.safe_dump(_neutralise_tree(data), sort_keys=False, allow_unicode=True, width=100).rstrip()


def deal_data_block(deal: Deal) -> str:
    """The deal as YAML inside the ``<deal_data>`` delimiters, with look-alike delimiters neutralised."""
    data = deal.model_dump(mode="json", by_alias=True, exclude_none=True)
    return f"<{DATA_TAG}>\n{data_yaml(data)}\n</{DATA_TAG}>"


def finding_views(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings for a template: plain values, evidence neutralised (it quotes the deal's text)."""
    return [
        {
            "code": f.code,
            "severity": f.severity.value,
            "title": neutralise(f.title),
            "evidence": [neutralise(e) for e in f.evidence],
            "rules": list(f.rules),
        }
        for f in findings
    ]


def json_schema_text(model: type[BaseModel]) -> str:
    """A pydantic model's JSON schema, compact and stable, for JSON-only instructions."""
    return json.dumps(model.model_json_schema(), sort_keys=True, separators=(",", ":"))


LANGUAGE_NAMES = {"zh": "Simplified Chinese (简体中文), written for a Chinese enterprise account executive"}


def language_vars(lang: str | None = None) -> dict[str, Any] | None:
    """What the review template needs to have the model write in ``lang`` (default: the language in use):
    its name and the glossary's terms (``rules/zh/_glossary.yaml``); None for English."""
    from ae_coach.i18n import resolve
    from ae_coach.rules.glossary import shipped_glossary

    chosen = resolve(lang)
    if chosen == "en":
        return None
    return {"code": chosen, "name": LANGUAGE_NAMES[chosen], "terms": sorted(shipped_glossary().terms.items())}
