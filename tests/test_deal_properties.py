"""Property tests: whatever bytes or data arrive, the result is a Deal or a DealFileError, never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ae_coach.deal import Deal, load_deal, parse_deal
from ae_coach.errors import DealFileError

FIELDS = [
    "account",
    "stage",
    "amount",
    "close_date",
    "as_of",
    "meddpicc",
    "stakeholders",
    "activities",
    "history",
    "next_step",
    "competitors",
    "probability",
    "notes",
    "situation",
    "fit",
    "forecast_category",
    "mutual_action_plan",
]
VALUES = [
    "discovery",
    "proposal",
    "closed_won",
    "champion",
    "2026-11-26",
    "2026-02-30",
    "26/11/2026",
    "confirmed",
    "",
    "USD",
    "eur",
    "with",
    "from",
    "to",
    "date",
    "name",
    "role",
    "status",
    "evidence",
    "metrics",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(VALUES),
    st.dates().map(str),
)
keys = st.one_of(st.sampled_from(FIELDS + VALUES), st.text(max_size=8))
data = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)
deal_like = st.dictionaries(st.sampled_from(FIELDS), data, max_size=8)


def _outcome(call) -> None:
    try:
        result = call()
    except DealFileError as exc:
        assert str(exc)  # a message, and nothing else escapes
    else:
        assert isinstance(result, Deal)


@settings(max_examples=300, deadline=None)
@given(st.one_of(data, deal_like))
def test_parse_deal_returns_a_deal_or_raises_deal_file_error(value) -> None:
    _outcome(lambda: parse_deal(value))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(data, deal_like), st.sampled_from([".yaml", ".json"]))
def test_serialised_data_loads_or_fails_cleanly(value, suffix: str) -> None:
    if suffix == ".json":
        content = json.dumps(value, default=str)
    else:
        content = yaml.safe_dump(value, allow_unicode=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"deal{suffix}"
        path.write_text(content, encoding="utf-8")
        _outcome(lambda: load_deal(path))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_load_or_fail_cleanly(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".yaml", ".json"):
            path = Path(folder) / f"deal{suffix}"
            path.write_bytes(content)
            _outcome(lambda path=path: load_deal(path))


MUTATIONS = st.sampled_from(
    ["[", "]", "{", "}", ":", "&a", "*a", "- ", "\t", "!!", "'", '"', "\n  ", "%", "@", "|", ">"]
)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=600), MUTATIONS)
def test_mutated_example_deal_loads_or_fails_cleanly(position: int, insert: str) -> None:
    source = (Path(__file__).resolve().parent.parent / "examples" / "deals" / "northwind-validation.yaml").read_text()
    position = min(position, len(source))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deal.yaml"
        path.write_text(source[:position] + insert + source[position:], encoding="utf-8")
        _outcome(lambda: load_deal(path))
