"""Eval cases: the YAML suite format (and skill-creator's evals.json), validated by pydantic.

A suite file holds ``cases:``; each case names its input (a deal, an optional chat question) and what
must hold of the output (findings, rules, checks on the text, rubric items for a judge). Errors name the
file, the case id and the field path, and exit 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ae_coach.errors import InputError, SuiteFileError

Split = Literal["dev", "holdout"]
Target = Literal["inspector", "selection", "coach"]
TARGET_ORDER: dict[str, int] = {"inspector": 0, "selection": 1, "coach": 2}

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ChatTurn(_Strict):
    role: Literal["user", "assistant"]
    content: str


class CaseInput(_Strict):
    """What the target receives."""

    deal: str | dict[str, Any] | None = None
    """A deal file path (relative to the suite file) or an inline deal mapping."""
    patch: dict[str, Any] | None = None
    """Deep-merged into the deal before validation: mappings merge, everything else replaces."""
    question: str | None = None
    """A chat question: the coach target answers it instead of writing a review."""
    history: list[ChatTurn] = Field(default_factory=list)
    """Earlier chat turns, oldest first."""
    as_of: dt.date | None = None
    """'Today' for the review; overrides the deal's own ``as_of``."""
    budget_tokens: int | None = Field(default=None, gt=0)
    lang: Literal["en", "zh"] | None = None
    """The language of the review or answer (``--lang``); default English, whatever AE_COACH_LANG says."""
    """Rule-selection budget; default: the prompt builder's."""
    hide_examples: bool = False
    """Run on the rulebook without its Good/Bad examples, so text pasted from a rule's example cannot
    find the rule through its own words in the search index (cases from ``from_examples`` set it)."""


class FindingExpect(_Strict):
    fire: list[str] = Field(default_factory=list)
    """Finding codes the inspector must emit."""
    quiet: list[str] = Field(default_factory=list)
    """Finding codes that must not fire (false alarms)."""


class RuleExpect(_Strict):
    """Rule ids; ``a|b`` in ``selected`` or ``cited`` accepts either (in ``not_selected``: neither)."""

    selected: list[str] = Field(default_factory=list)
    """Rule ids the prompt builder must select within its budget."""
    not_selected: list[str] = Field(default_factory=list)
    cited: list[str] = Field(default_factory=list)
    """Rule ids the coaching text or report must cite."""


_CHECK_KINDS = ("contains", "not_contains", "regex", "not_regex", "max_words")


class Check(_Strict):
    """One deterministic check on the coaching text; set exactly one of the five kinds."""

    contains: str | None = None
    not_contains: str | None = None
    regex: str | None = None
    not_regex: str | None = None
    """No line may match (e.g. no action line opening with a rule's generic condition)."""
    max_words: int | None = Field(default=None, gt=0)
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Check:
        kinds = [k for k in _CHECK_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a check sets exactly one of contains, not_contains, regex, not_regex, max_words")
        for pattern in (self.regex, self.not_regex):
            if pattern is None:
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
        return self

    @property
    def label(self) -> str:
        for kind in _CHECK_KINDS:
            value = getattr(self, kind)
            if value is not None:
                return f"{kind}:{value}"
        return "check"  # pragma: no cover - the validator guarantees a kind


class RubricItem(_Strict):
    """A binary criterion for a judge."""

    id: str = Field(pattern=_ID)
    pass_: str = Field(alias="pass", min_length=1)
    """What the answer must do to pass, in one or two sentences."""
    keywords: list[str] = Field(default_factory=list)
    """For the offline keyword judge: each entry must appear (``a|b`` = either); see docs/evals.md."""


Where = Literal["any", "action", "question", "step", "risk"]


class Concept(_Strict):
    """One thing the coaching must (``require``) or must not (``forbid``) say, wherever it is worded.

    Offline it is checked deterministically: some line of the coaching in ``where`` holds every entry of
    ``terms`` (word-start, case-insensitive; ``a|b`` = either), or every term of one group of ``one_of``
    (the same meaning worded as any of several rule steps), is addressed ``to`` the named person or
    role and cites ``rule`` when those are given. With ``--judge llm`` the judge grades ``concept`` instead.
    """

    id: str | None = Field(default=None, pattern=_ID)
    concept: str = Field(min_length=1)
    """The meaning, for a judge and a reader: "the action asks the champion for a meeting with the EB"."""
    terms: list[str] = Field(default_factory=list)
    one_of: list[list[str]] = Field(default_factory=list)
    """Alternative term groups: the line holds every term of at least one group."""
    where: Where = "any"
    """action (review actions, chat next steps, plan), question (questions to ask), step (a rule step the
    chat quotes), risk, or any line."""
    to: str | None = None
    """The line's addressee (``Ask <who>:``, ``To the <role>:``, ``Next step with <who>``, ``with <contact>``)."""
    rule: str | None = None
    """The line must cite this rule id (``[rule-id]``)."""
    step: int | None = Field(default=None, gt=0)
    """Provenance: the rule's "How to apply" step the concept comes from (1-based)."""

    @model_validator(mode="after")
    def _has_terms(self) -> Concept:
        if not self.terms and not any(self.one_of):
            raise ValueError("a concept needs terms or one_of (term groups)")
        return self

    def groups(self) -> list[list[str]]:
        """The term groups a line may hold (``terms`` is one group)."""
        return [g for g in ([self.terms] if self.terms else []) + self.one_of if g]


class ContentExpect(_Strict):
    require: list[Concept] = Field(default_factory=list)
    forbid: list[Concept] = Field(default_factory=list)


class Expectations(_Strict):
    findings: FindingExpect = Field(default_factory=FindingExpect)
    rules: RuleExpect = Field(default_factory=RuleExpect)
    checks: list[Check] = Field(default_factory=list)
    content: ContentExpect = Field(default_factory=ContentExpect)
    rubric: list[RubricItem] = Field(default_factory=list)

    def needed_target(self) -> Target:
        """The cheapest target that can grade every expectation."""
        if self.checks or self.rubric or self.rules.cited or self.content.require or self.content.forbid:
            return "coach"
        if self.rules.selected or self.rules.not_selected:
            return "selection"
        return "inspector"

    def count(self) -> int:
        f, r = self.findings, self.rules
        return (
            len(f.fire)
            + len(f.quiet)
            + len(r.selected)
            + len(r.not_selected)
            + len(r.cited)
            + len(self.checks)
            + len(self.content.require)
            + len(self.content.forbid)
            + len(self.rubric)
        )


class Case(_Strict):
    """One eval case. ``id`` is stable: results, caches and comparisons key on it."""

    id: str = Field(pattern=_ID)
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    split: Split = "dev"
    target: Target | None = None
    input: CaseInput = Field(default_factory=CaseInput)
    expect: Expectations = Field(default_factory=Expectations, alias="expectations")

    suite: str = ""
    """Set by the loader: the suite name (file stem unless the file names one)."""
    source: str = ""
    """Set by the loader: the suite file."""

    @model_validator(mode="after")
    def _target_fits(self) -> Case:
        needed = self.expect.needed_target()
        if self.target is None:
            self.target = needed
        elif TARGET_ORDER[self.target] < TARGET_ORDER[needed]:
            raise ValueError(f"target {self.target!r} cannot grade these expectations; they need {needed!r}")
        if self.expect.count() == 0:
            raise ValueError("a case needs at least one expectation (findings, rules, checks or rubric)")
        return self

    def deal_path(self) -> Path | None:
        if isinstance(self.input.deal, str):
            return (Path(self.source).parent / self.input.deal).resolve()
        return None


def load_case_file(path: Path) -> list[Case]:
    """Read one suite file (YAML, or skill-creator's evals.json) into validated cases."""
    data = _read_data(path)
    if isinstance(data, dict) and "evals" in data and "cases" not in data:
        from ae_coach.eval._skill_creator import cases_from_evals_json

        raw_cases, suite = cases_from_evals_json(path, data), str(data.get("skill_name") or path.stem)
    elif isinstance(data, dict) and ("cases" in data or "from_examples" in data):
        raw_cases, suite = _expand(path, data), str(data.get("suite") or path.stem)
    else:
        raise SuiteFileError(path, "a suite file is a mapping with 'cases:' (or skill-creator's 'evals:')")
    cases = [_validate(path, suite, raw, i) for i, raw in enumerate(raw_cases)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise SuiteFileError(path, "duplicate case id; ids must be unique in a suite", case=case.id, field="id")
        seen.add(case.id)
    return cases


_SUITE_KEYS = {"suite", "description", "defaults", "cases", "from_examples"}


def _expand(path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    unknown = sorted(set(data) - _SUITE_KEYS)
    if unknown:
        raise SuiteFileError(path, f"unknown key(s) {unknown}; allowed: {sorted(_SUITE_KEYS)}", field=unknown[0])
    cases = data.get("cases") or []
    if not isinstance(cases, list):
        raise SuiteFileError(path, "'cases' must be a list", field="cases")
    if data.get("from_examples") is not None:
        from ae_coach.eval._examples import cases_from_examples

        cases = [*cases, *cases_from_examples(path, data["from_examples"])]
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SuiteFileError(path, "'defaults' must be a mapping", field="defaults")
    return [_merge(defaults, c) if isinstance(c, dict) else c for c in cases]


def _merge(defaults: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults) | case
    if isinstance(defaults.get("input"), dict) and isinstance(case.get("input"), dict):
        out["input"] = defaults["input"] | case["input"]
    if defaults.get("tags") and case.get("tags"):
        out["tags"] = list(dict.fromkeys([*defaults["tags"], *case["tags"]]))
    return out


def _validate(path: Path, suite: str, raw: Any, index: int) -> Case:
    label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
    if not isinstance(raw, dict):
        raise SuiteFileError(path, "each case must be a mapping", case=label)
    try:
        case = Case.model_validate({**raw, "suite": suite, "source": str(path)})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise SuiteFileError(path, first["msg"], case=label, field=field) from None
    _check_deal(path, case)
    return case


def _check_deal(path: Path, case: Case) -> None:
    deal_path = case.deal_path()
    if deal_path is not None and not deal_path.is_file():
        raise SuiteFileError(path, f"deal file not found: {deal_path}", case=case.id, field="input.deal")


def _read_data(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SuiteFileError(path, f"cannot read the file ({exc.strerror})") from None
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SuiteFileError(path, f"not valid YAML/JSON: {exc}") from None


def collect_suite_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their suite files (``*.yaml``, ``*.yml``, ``evals.json``), sorted.

    Sub-directories are not searched: ``evals/examples/`` holds exported data, not suites.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                q for q in p.iterdir() if q.is_file() and (q.suffix in (".yaml", ".yml") or q.name == "evals.json")
            )
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"{p}: no such suite file or directory")
    if not out:
        raise InputError(f"no suite files found in {', '.join(map(str, paths))}")
    return out


def load_cases(paths: list[Path | str]) -> list[Case]:
    """Load every case from suite files or directories; case ids must be unique across suites too."""
    cases: list[Case] = []
    owner: dict[str, str] = {}
    for file in collect_suite_files([Path(p) for p in paths]):
        for case in load_case_file(file):
            if case.id in owner:
                raise SuiteFileError(file, f"case id already used in {owner[case.id]}", case=case.id, field="id")
            owner[case.id] = str(file)
            cases.append(case)
    return cases


def filter_cases(cases: list[Case], *, split: str | None = None, tags: list[str] | None = None) -> list[Case]:
    """Keep the cases of one split and carrying every given tag."""
    if split not in (None, "all", "dev", "holdout"):
        raise InputError(f"--split must be dev, holdout or all, got {split!r}")
    out = [c for c in cases if split in (None, "all") or c.split == split]
    return [c for c in out if all(t in c.tags for t in tags or [])]


__all__ = ["Case", "Check", "Concept", "RubricItem", "SuiteFileError", "filter_cases", "load_cases"]
