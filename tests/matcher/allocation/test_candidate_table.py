"""The candidate table estimates each journey once for children who share a home, and gives every child the
arcs it would have alone: same providers, same journeys, same scores."""

import numpy as np

from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from scenarios.inputs import demo_child, load_inputs


def arcs_by_child(table) -> dict[str, list[tuple]]:
    arcs: dict[str, list[tuple]] = {}
    for arc in range(len(table.child)):
        arcs.setdefault(table.child_ids[table.child[arc]], []).append(
            (int(table.provider_ids[table.provider[arc]]), round(float(table.travel_minutes[arc]), 9),
             round(float(table.total_score[arc]), 9), round(float(table.transport_cost_gbp[arc]), 6)))
    return arcs


def test_children_sharing_a_home_get_the_arcs_each_would_have_alone():
    inputs = load_inputs()
    index = build_provider_index(inputs.providers)
    originals = [demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 41)]
    twins = [child.model_copy(update={"child_id": f"{child.child_id}-twin"}) for child in originals]
    neighbour = originals[0].model_copy(update={"child_id": "NEIGHBOUR", "easting": originals[0].easting + 40.0})
    cohort = [*originals, *twins, neighbour]
    table = build_candidate_table(cohort, index, Policy(), inputs.travel, inputs.costs)
    together = arcs_by_child(table)
    assert sum(len(arcs) for arcs in together.values()) > 100
    for child in [*originals, neighbour]:
        alone = arcs_by_child(build_candidate_table([child], index, Policy(), inputs.travel, inputs.costs))
        assert together.get(child.child_id, []) == alone.get(child.child_id, []), child.child_id
    for child in originals:
        assert together.get(f"{child.child_id}-twin", []) == together.get(child.child_id, [])


def test_each_arc_s_journey_is_the_travel_model_s_for_that_child_s_home():
    inputs = load_inputs()
    index = build_provider_index(inputs.providers)
    children = [demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 241)]
    table = build_candidate_table(children, index, Policy(), inputs.travel, inputs.costs)
    homes = np.array([(child.easting, child.northing) for child in children])[table.child]
    direct = inputs.travel.estimate(homes[:, 0], homes[:, 1], index.easting[table.provider],
                                    index.northing[table.provider])
    assert len(table.child) > 1_000
    np.testing.assert_allclose(table.travel_minutes, direct.minutes, rtol=1e-12)
    np.testing.assert_allclose(table.distance_km, direct.km, rtol=1e-12)


def test_a_cut_table_keeps_what_it_left_out_and_completes_it_as_the_whole_table_has_it():
    inputs = load_inputs()
    index = build_provider_index(inputs.providers)
    children = [demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 241)]
    whole = build_candidate_table(children, index, Policy(), inputs.travel, inputs.costs)
    cut = build_candidate_table(children, index, Policy(), inputs.travel, inputs.costs, best_arcs=3)
    assert cut.reserve is not None and len(cut.reserve.child) > 100
    assert len(cut.child) + len(cut.reserve.child) == len(whole.child)
    completed = cut.reserve.complete(cut.reserve.child, cut.reserve.provider)
    arc_of = {pair: arc for arc, pair in enumerate(zip(whole.child.tolist(), whole.provider.tolist(), strict=True))}
    same = np.array([arc_of[pair] for pair in zip(completed.child.tolist(), completed.provider.tolist(), strict=True)])
    for name in ("total_score", "travel_minutes", "distance_km", "placement_cost_gbp", "transport_cost_gbp"):
        np.testing.assert_array_equal(getattr(completed, name), getattr(whole, name)[same], err_msg=name)
    np.testing.assert_array_equal(completed.scores, whole.scores[same])
    np.testing.assert_array_equal(cut.reserve.points, np.rint(whole.total_score[same] * 10_000))
