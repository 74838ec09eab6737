"""A lost deal's review: why it was lost, read from the record the day it was lost (ae_coach.inspector.loss)."""

from __future__ import annotations

from ae_coach.deal import parse_deal
from ae_coach.inspector import assess
from ae_coach.inspector.priority import ranked
from analysis_builders import activity, healthy

_LOST = {"date": "2026-11-24", "field": "stage", "from": "proposal", "to": "closed_lost"}


def _lost(*activities: dict, history: bool = True) -> dict:
    data = healthy()
    data["stage"] = "closed_lost"
    data["forecast_category"] = "omitted"
    data["probability"] = 0
    data["activities"] = data["activities"] + list(activities)
    if history:
        data["history"] = [*data["history"], _LOST]
    return data


_COUNTER = activity(
    "2026-11-18",
    "call",
    "Dana: Clari came back with 30% off and two free months to win it back.",
    direction="two_way",
    **{"with": ["Dana Lee"]},
)


def test_a_lost_deal_names_what_lost_it_from_the_record() -> None:
    data = _lost(_COUNTER)
    data["competitors"] = [{"name": "Clari", "status": "active", "added": "2026-08-05"}]
    result = assess(parse_deal(data))
    counter = next(f for f in result.findings if f.code == "momentum.competitor_counter")
    assert counter.data["lost_on"] == "2026-11-24"
    assert ranked(result.findings)[0].code == "momentum.competitor_counter"
    assert result.health == 0 and str(result.recommended_forecast) == "omitted"
    # the forecast's bookkeeping is not a reason a buyer chose someone else
    assert not {"anti.forecast_fantasy", "momentum.no_dated_next_step", "stage.unearned"} & set(result.codes())


def test_a_lost_deal_run_well_or_with_no_loss_on_record_raises_nothing() -> None:
    clean = assess(parse_deal(_lost()))
    assert [f.code for f in clean.findings if f.severity.rank <= 2] == []
    data = _lost(_COUNTER, history=False)  # no day and stage it was lost from: nothing to read it on
    data["competitors"] = [{"name": "Clari", "status": "active", "added": "2026-08-05"}]
    assert [f.code for f in assess(parse_deal(data)).findings if f.severity.rank <= 2] == []
