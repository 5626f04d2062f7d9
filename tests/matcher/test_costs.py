"""Costs: calibration worked by hand on a tiny outturn, tariffs overriding, transport by distance."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from matcher.costs import calibrate_costs, check_tariffs, default_costs
from matcher.evaluation import build_children
from matcher.placement_costs import COMPILED_FROM_PAIRS, placement_costs
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.transport import transport_costs
from tests.helpers.factories import make_child, make_providers

PHASES = ["primary_schools", "secondary_schools", "sen_and_special_schools", "post_16"]


def tiny_outturn(council: str, lines: dict[str, dict[str, float]], transport: float) -> pd.DataFrame:
    rows = [{"council": council, "line": line, **{phase: values.get(phase, 0.0) for phase in PHASES},
             "net_expenditure": sum(values.values())} for line, values in lines.items()]
    rows.append({"council": council, "line": "2.1.4", **dict.fromkeys(PHASES, 0.0), "net_expenditure": transport})
    return pd.DataFrame(rows)


def test_calibration_by_hand():
    lines = {"1.0.2": {"sen_and_special_schools": 1_000_000.0}, "1.2.1": {"sen_and_special_schools": 1_600_000.0,
             "primary_schools": 400_000.0}, "1.2.2": {"sen_and_special_schools": 1_500_000.0},
             "1.2.3": {"sen_and_special_schools": 6_000_000.0, "post_16": 600_000.0}}
    spend = tiny_outturn("E06000001", lines, transport=1_000_000.0)
    placements = pd.DataFrame([{
        "mainstream_total": 110, "mainstream_independent": 10, "special_la_maintained": 100,
        "special_academy_free": 100, "special_independent": 90, "special_non_maintained": 10,
        "general_fe_tertiary_colleges": 0, "specialist_post_16_institutions": 20, "special_total": 300,
        "ap_pru_total": 100,
    }], index=pd.Index(["E06000001"], name="council"))
    costs = calibrate_costs(spend, placements)
    national = costs.kind_costs.loc["national"]
    assert national["special_maintained"] == 26_000  # (1.0m + 1.6m) / 100
    assert national["special_academy"] == 25_000  # 1.5m / 100 + £10,000 place funding
    assert national["independent_special"] == 60_000  # 6.0m / 100
    assert national["mainstream"] == 10_000  # 0.4m / 100 + £6,000
    assert national["specialist_post16"] == 30_000  # 0.6m / 20
    assert costs.band_gbp["national"] == 25_500  # (2.6m + 1.5m + 1.0m) / 200
    assert costs.transport_gbp["national"] == 2_500  # 1.0m / (300 + 100)
    # The council's own figures equal the national here, and FE with no plans falls back to national.
    assert costs.kind_costs.loc["E06000001", "special_maintained"] == 26_000


def placement_for(costs, child, providers):
    index = build_provider_index(providers)
    return placement_costs(costs, build_children([child], Policy()), index, np.zeros(len(providers), dtype=np.int64),
                           np.arange(len(providers)))


def test_tariffs_override_most_specific_first():
    tariffs = pd.DataFrame({"provider_id": pd.array([None, 2, 2], dtype="Int64"),
                            "kind": ["special_academy", None, None], "need": [None, None, "ASD"],
                            "need_level": pd.array([None, None, None], dtype="Int64"),
                            "annual_cost_gbp": [30_000.0, 40_000.0, 45_000.0]})
    costs = default_costs().with_tariffs(tariffs)
    providers = make_providers({}, {}, {})  # three special academies, ids 1, 2, 3
    assert placement_for(costs, make_child(primary_need="ASD"), providers).tolist() == [30_000, 45_000, 30_000]
    assert placement_for(costs, make_child(primary_need="SEMH"), providers).tolist() == [30_000, 40_000, 30_000]


@pytest.mark.parametrize("tariffed", [False, True])
def test_the_compiled_placement_costs_are_the_numpy_reference_s(tariffed):
    from scenarios.inputs import demo_child, load_inputs

    inputs = load_inputs()
    index = build_provider_index(inputs.providers)
    children = build_children([demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 41)], Policy())
    rng = np.random.default_rng(3)
    child, provider = rng.integers(0, len(children), 5_000), rng.integers(0, len(index.provider_id), 5_000)
    costs = inputs.costs
    if tariffed:
        costs = costs.with_tariffs(pd.DataFrame({
            "provider_id": pd.array([None, int(index.provider_id[provider[0]])], dtype="Int64"),
            "kind": ["special_academy", None], "need": [None, None],
            "need_level": pd.array([None, None], dtype="Int64"), "annual_cost_gbp": [30_000.0, 40_000.0]}))
    assert len(child) >= COMPILED_FROM_PAIRS
    compiled = placement_costs(costs, children, index, child, provider)
    reference = placement_costs(costs, children, index, child, provider, compiled=False)
    assert len(np.unique(reference)) > 2 and (30_000.0 in reference) == tariffed
    np.testing.assert_array_equal(compiled, reference, strict=True)


def journeys(costs, km, age, mode=None, free_within_walking_distance=True):
    child = make_child(age=age, transport_mode=mode)
    policy = Policy(free_within_walking_distance=free_within_walking_distance)
    return transport_costs(costs, build_children([child], policy), np.zeros(len(km), dtype=np.int64), np.array(km))


def test_tariff_rows_are_checked_against_the_register():
    tariffs = pd.DataFrame({"provider_id": pd.array([7, None], dtype="Int64"), "kind": [None, "palace"],
                            "need": [None, None], "need_level": pd.array([None, None], dtype="Int64"),
                            "annual_cost_gbp": [1.0, 2.0]})
    with pytest.raises(PlacewiseError, match=r"rows 2: provider_id not in the register; rows 3: give a provider_id"):
        check_tariffs(tariffs, pd.Index([1, 2]))


def test_transport_is_free_within_walking_distance_and_scales_with_distance():
    costs = default_costs()
    per_journey = costs.transport_gbp["national"]
    average_km, exponent = costs.transport_km["national"], costs.transport_exponent  # 9.76 km, 0.253
    assert journeys(costs, [3.0, 4.0, average_km, 2 * average_km], age=7).tolist() == pytest.approx(
        [0.0, per_journey * (4.0 / average_km) ** exponent, per_journey, per_journey * 2 ** exponent])
    assert journeys(costs, [4.0], age=12).tolist() == [0.0]
    # the default: a child with an EHC plan is eligible whatever the distance
    assert journeys(costs, [4.0], age=12, free_within_walking_distance=False).tolist() == pytest.approx(
        [per_journey * (4.0 / average_km) ** exponent])


def test_transport_modes_keep_the_councils_average_over_the_mix():
    from matcher.transport import MODE_MIX

    costs = default_costs()
    average = journeys(costs, [14.5], age=10)[0]
    by_mode = {mode: journeys(costs, [14.5], age=10, mode=mode)[0] for mode in MODE_MIX}
    assert sum(MODE_MIX[mode] * cost for mode, cost in by_mode.items()) == pytest.approx(average)
    assert by_mode["personal_budget"] < by_mode["shared_route"] < average < by_mode["single_occupancy"]
