"""Estimated cost of a model call from its token usage, at list prices.

Prices are Anthropic's published list prices in USD per million tokens, as of PRICES_AS_OF, matched by
the longest model-id prefix. Cache writes (5-minute) are estimated at 1.25x and cache reads at 0.1x the
input price, the standard prompt-caching multipliers. A model not in the table (a local server, a new
release) has no estimate: the report says the cost is unknown rather than guessing.
"""

from __future__ import annotations

from ae_coach.model.llm import Usage

PRICES_AS_OF = "2026-11"

# model-id prefix -> (input, output) USD per million tokens
_LIST_PRICES: dict[str, tuple[float, float]] = {
    "claude-fable-5": (10.0, 50.0),
    "claude-mythos-5": (10.0, 50.0),
    "claude-opus-5-5": (4.0, 20.0),
    "claude-opus-5": (5.0, 25.0),
    "claude-opus-4-8": (5.0, 25.0),
    "claude-opus-4-7": (5.0, 25.0),
    "claude-opus-4-6": (5.0, 25.0),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-1": (15.0, 75.0),
    "claude-opus-4-0": (15.0, 75.0),
    "claude-sonnet-5-5": (2.0, 10.0),
    "claude-sonnet-5": (2.0, 10.0),
    "claude-sonnet-4": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
}
_CACHE_WRITE = 1.25
_CACHE_READ = 0.10


def list_price(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for ``model``, or None when it is not in the table."""
    matches = [prefix for prefix in _LIST_PRICES if model.startswith(prefix)]
    return _LIST_PRICES[max(matches, key=len)] if matches else None


def estimate_cost(model: str, usage: Usage) -> tuple[float | None, str]:
    """The estimated cost in USD and a note saying where it comes from (or why there is none)."""
    price = list_price(model)
    if price is None:
        return None, f"cost unknown: no list price on file for model {model!r}"
    inp, out = price
    cost = (
        usage.input_tokens * inp
        + usage.cache_creation_input_tokens * inp * _CACHE_WRITE
        + usage.cache_read_input_tokens * inp * _CACHE_READ
        + usage.output_tokens * out
    ) / 1_000_000
    return round(cost, 6), f"estimate at list prices as of {PRICES_AS_OF} (${inp:g}/${out:g} per million tokens in/out)"
