"""The candidate table from nearby providers only (a k-d tree within each child's reach) is the same table as
checking every child against every provider of its need, on the North East's cohort and register."""

import numpy as np

from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.provider_index import build_provider_index
from scenarios.cohort import children_from_frame
from scenarios.provider_pool import add_beyond, scenario_providers
from tests.helpers.samples import LIBRARY


def test_nearby_providers_give_the_same_table_as_every_provider(data_dir):
    from scenarios.inputs import load_inputs
    from scenarios.run import _cohort
    from scenarios.schema import load_scenario

    scenario = load_scenario(LIBRARY / "north-east.yaml").model_copy(update={"data": str(data_dir)})
    inputs = load_inputs(data_dir)
    cohort = _cohort(scenario, inputs, None, [])
    children = children_from_frame(cohort)
    providers = add_beyond(scenario_providers(scenario, inputs), scenario, inputs, cohort, 140.0)
    index = build_provider_index(providers)
    tables = [build_candidate_table(children, index, scenario.policy, inputs.travel, inputs.costs, nearby_only=near)
              for near in (True, False)]
    nearby, everything = tables
    assert len(nearby.child) > 50_000
    for name in ("child", "provider", "scores", "total_score", "travel_minutes", "distance_km", "placement_cost_gbp",
                 "transport_cost_gbp", "priority"):
        assert np.array_equal(getattr(nearby, name), getattr(everything, name)), name
    assert nearby.near_misses == everything.near_misses and nearby.notes == everything.notes
