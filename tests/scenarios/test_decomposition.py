"""Two scenarios' difference as changes: taken away, added in order, the policy last; the steps' scenarios; and the
arithmetic of alone and in order (the steps in order add up to the whole difference)."""

import pytest

from core.errors import PlacewiseError
from scenarios.decomposition import decompose, decomposition_changes, decomposition_documents

BASE = {"name": "A", "councils": ["E1"], "cohort": {"synthetic": True}, "deltas": [{"close": 1}, {"close": 2}],
        "policy": {}}


def test_changes_take_the_first_scenario_to_the_second_in_order():
    second = {**BASE, "name": "B", "deltas": [{"close": 2}, {"expand": {"5": 10}}, {"close": 9}],
              "policy": {"budget_gbp": 100.0}}
    changes = decomposition_changes(BASE, second, {1: "One", 9: "Nine"})
    assert [change["words"] for change in changes] == ["Undo: Close One", "Add 10 places at setting 5", "Close Nine",
                                                       "The second run's policy"]
    steps = decomposition_documents(BASE, changes)
    assert [(step["step"], step["index"]) for step in steps] == [("alone", 0), ("alone", 1), ("alone", 2),
                                                                 ("alone", 3), ("in_order", 1), ("in_order", 2),
                                                                 ("in_order", 3)]
    last = steps[-1]["document"]
    assert sorted(map(str, last["deltas"])) == sorted(map(str, second["deltas"])) and last["policy"] == second["policy"]
    assert steps[1]["document"]["deltas"] == [{"close": 1}, {"close": 2}, {"expand": {"5": 10}}]  # alone: on the first


def test_runs_that_differ_in_more_or_in_nothing_are_refused_by_field():
    with pytest.raises(PlacewiseError, match="councils") as refused:
        decomposition_changes(BASE, {**BASE, "councils": ["E2"], "deltas": []}, {})
    assert refused.value.field == "second"
    with pytest.raises(PlacewiseError, match="nothing to decompose"):
        decomposition_changes(BASE, {**BASE, "name": "Same changes"}, {})


def test_in_order_adds_up_and_the_rest_is_unexplained():
    first = {"annual_cost_gbp": 1000.4, "placed": 10}
    alone = [{"annual_cost_gbp": 1500.0, "placed": 12}, {"annual_cost_gbp": 800.0, "placed": 10}]
    in_order = [{"annual_cost_gbp": 1300.2, "placed": 12}]
    found = decompose(first, {"annual_cost_gbp": 1301.0, "placed": 12}, [{"words": "a"}, {"words": "b"}], alone,
                      in_order)
    assert [row["alone"]["annual_cost_gbp"] for row in found["rows"]] == [500, -200]
    assert [row["in_order"]["annual_cost_gbp"] for row in found["rows"]] == [500, -200]
    assert found["total"]["annual_cost_gbp"] == 301 and found["unexplained"]["annual_cost_gbp"] == 1
    assert found["rows"][0]["in_order"]["placed"] == 2 and found["rows"][1]["in_order"]["placed"] == 0
