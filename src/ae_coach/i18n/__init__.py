"""The language of everything a person reads: a message catalogue (``en.yaml``, ``zh.yaml``) and ``t()``.

Human-facing text is looked up by key in the current language; JSON keys, finding codes and rule ids are
never translated. The language is chosen once per command (``--lang``, else ``AE_COACH_LANG``, else
English) and held in a context variable, so the inspector, the coach and the renderers read the same
choice without passing it through every call; :func:`use` sets it for a block::

    with use("zh"):
        report = Coach().review(deal)

A key missing from a language falls back to English (``tests/test_i18n.py`` keeps the two catalogues
in step: same keys, same ``{placeholders}``).
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "zh")
"""The languages ae-coach writes: English (the default) and simplified Chinese."""
DEFAULT = "en"
ENV = "AE_COACH_LANG"

_CURRENT: ContextVar[str | None] = ContextVar("ae_coach_language", default=None)
_DIR = Path(__file__).resolve().parent


class UnknownLanguage(ValueError):
    """A language ae-coach does not write; the message lists the allowed ones."""

    def __init__(self, value: str, source: str = "--lang") -> None:
        self.value, self.source = value, source
        super().__init__(f"{source}: unknown language {value!r}; allowed: {', '.join(LANGUAGES)}")


def normalise(value: str, source: str = "--lang") -> str:
    """``zh``, ``zh-CN``, ``zh_Hans``, ``Chinese`` -> ``zh``; ``en-US`` -> ``en``; anything else raises."""
    raw = value.strip().lower().replace("_", "-")
    if raw in ("chinese", "中文", "简体中文") or raw.split("-")[0] == "zh":
        return "zh"
    if raw in ("english",) or raw.split("-")[0] == "en":
        return "en"
    raise UnknownLanguage(value, source)


def resolve(lang: str | None = None) -> str:
    """The language to write in: ``lang`` when given, else the one in use, else ``AE_COACH_LANG``, else en."""
    if lang:
        return normalise(lang)
    chosen = _CURRENT.get()
    if chosen is not None:
        return chosen
    return _from_env(os.environ.get(ENV, ""))


@cache
def _from_env(value: str) -> str:
    # resolve() runs for every message the inspector writes; the environment's value is normalised once
    return normalise(value, ENV) if value.strip() else DEFAULT


def current() -> str:
    """The language in use (see :func:`resolve`)."""
    return resolve(None)


def activate(lang: str | None) -> str:
    """Set the language for the rest of this context (the CLI does this once per command)."""
    chosen = resolve(lang)
    _CURRENT.set(chosen)
    return chosen


@contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Write in ``lang`` inside the block (``None``: keep the language in use)."""
    token = _CURRENT.set(resolve(lang))
    try:
        yield _CURRENT.get() or DEFAULT
    finally:
        _CURRENT.reset(token)


@contextmanager
def isolated() -> Iterator[None]:
    """A language chosen inside the block (:func:`activate`) ends with it (one CLI command, one test)."""
    token = _CURRENT.set(_CURRENT.get())
    try:
        yield
    finally:
        _CURRENT.reset(token)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keyed by dotted key (``review.risks``)."""
    source = (_DIR / f"{lang}.yaml").read_bytes()
    try:
        compiled = json.loads((_DIR / f"{lang}.json").read_bytes())
    except (OSError, ValueError):
        compiled = None
    if isinstance(compiled, dict) and compiled.get("source") == _checksum(source):
        return dict(compiled["messages"])
    return _parse(source)  # the YAML was edited after the JSON was made: it wins


def compiled_catalogue(lang: str) -> str:
    """``<lang>.json``: the catalogue flattened, with a checksum of the YAML it came from.

    Every command looks messages up, and parsing the YAML catalogue costs ~9 ms even with libyaml; the JSON
    copy ~0.1 ms. ``python -m ae_coach.i18n`` rewrites both files; ``tests/test_i18n.py`` checks they are current.
    """
    source = (_DIR / f"{lang}.yaml").read_bytes()
    document = {"source": _checksum(source), "messages": _parse(source)}
    return json.dumps(document, ensure_ascii=False, indent=0) + "\n"


def _checksum(source: bytes) -> str:
    return f"crc32:{zlib.crc32(source):08x}:{len(source)}"


def _parse(source: bytes) -> dict[str, str]:
    import yaml

    # libyaml's loader when present: the catalogue is our own file, and the pure-Python one costs ~10x more
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(source.decode("utf-8"), Loader=loader) or {}
    flat: dict[str, str] = {}
    _flatten(data, "", flat)
    return flat


def _flatten(node: Any, prefix: str, out: dict[str, str]) -> None:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, name + ".", out)
        else:
            out[name] = str(value)


def has(key: str, lang: str | None = None) -> bool:
    """Whether ``lang``'s catalogue (default: the language in use) has ``key``."""
    return key in catalogue(resolve(lang))


def t(key: str, /, lang: str | None = None, default: str | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (default: the language in use) with ``values`` filled in.

    Falls back to English, then to ``default``; a key in neither is a bug and raises ``KeyError``.
    """
    chosen = resolve(lang)
    template = catalogue(chosen).get(key)
    if template is None:
        template = catalogue(DEFAULT).get(key, default)
    if template is None:
        raise KeyError(f"no message {key!r} in the {chosen} catalogue")
    if not values:
        return template
    if chosen != DEFAULT:  # the inspector's English lead-ins inside a value ("the paper timeline runs past …")
        values = {k: _markers_in(v, chosen) if isinstance(v, str) else v for k, v in values.items()}
    return template.format_map(values)


def lead(key: str, /, lang: str | None = None) -> str:
    """The words of message ``key`` before its first field, without an opening quote mark there
    (``coach.fact.on_record``, 'on record: "{note}"' -> "on record: "; in Chinese "利用 {date} 的…" -> "利用 "):
    how a text made from it begins in the review's language."""
    template = catalogue(resolve(lang)).get(key) or catalogue(DEFAULT)[key]
    return template.split("{", 1)[0].rstrip('"“')


def _markers_in(value: str, lang: str) -> str:
    """``value`` with each English lead-in the inspector writes before the record's own words (the ``marker``
    section of the catalogue) in ``lang``; the quoted words stay as written."""
    parts = _QUOTED.split(value)  # the record's own words, inside quotes, are never rewritten
    for index in range(0, len(parts), 2):
        for english, local in _marker_pairs(lang):
            if english in parts[index]:
                parts[index] = parts[index].replace(english, local)
    return "".join(parts)


_QUOTED = re.compile(r'("[^"]*"|“[^”]*”)')


@cache
def _marker_pairs(lang: str) -> tuple[tuple[str, str], ...]:
    english, local = catalogue(DEFAULT), catalogue(lang)
    keys = [k for k in english if k.startswith("marker.") and k in local]
    return tuple(sorted(((english[k], local[k]) for k in keys), key=lambda pair: -len(pair[0])))


def term(value: Any, lang: str | None = None) -> str:
    """A stage, role, category, severity or MEDDPICC element in words (``best_case`` -> "best case" / 最佳情况)."""
    raw = str(value)
    return t(f"term.{raw}", lang, default=raw.replace("_", " "))


def join(items: Iterable[Any], lang: str | None = None) -> str:
    """Items in a list the way the language writes one (``a, b`` / ``a、b``)."""
    return t("list.separator", lang).join(str(item) for item in items)


def phrase(namespace: str, english: str, lang: str | None = None) -> str:
    """A phrase the code writes in English (a plan step, a team), in the language in use.

    The catalogue keys it by its words (``plan.step.agree_legal_redlines``); English, and a language without
    the entry, get ``english`` itself. ``tests/test_i18n.py`` checks every such phrase has its Chinese.
    """
    return t(f"{namespace}.{phrase_key(english)}", lang, default=english)


def phrase_key(english: str) -> str:
    """``"Kick-off: hand over…"`` -> ``kick_off_hand_over…`` (the catalogue key of a phrase)."""
    return re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_")


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
"""Currencies written with a symbol; any other is written with its ISO code ("DKK 1,180,000")."""


def money(value: float, currency: str = "USD") -> str:
    """An amount in its own currency: ``$120,000``, ``€120,000``, ``DKK 1,180,000`` (never a DKK amount as $)."""
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{value:,.0f}" if symbol else f"{currency} {value:,.0f}"


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a message fills in (the tests compare them across languages)."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


__all__ = [
    "DEFAULT",
    "ENV",
    "LANGUAGES",
    "SYMBOLS",
    "UnknownLanguage",
    "activate",
    "catalogue",
    "current",
    "has",
    "isolated",
    "join",
    "money",
    "normalise",
    "phrase",
    "phrase_key",
    "placeholders",
    "resolve",
    "t",
    "term",
    "use",
]
