"""A part of a cohort laid out as arrays is what laying those children out alone gives, field for field; and the
arrays without the children's records evaluate them the same."""

from dataclasses import fields

import numpy as np

from matcher.evaluation import build_children, evaluate
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from scenarios.inputs import demo_child, load_inputs


def assert_same_children(mine, theirs) -> None:
    for column in fields(mine):
        left, right = getattr(mine, column.name), getattr(theirs, column.name)
        if isinstance(left, np.ndarray):
            assert left.dtype == right.dtype, column.name
            np.testing.assert_array_equal(left, right, err_msg=column.name, strict=True)
        else:
            assert left == right, column.name


def test_a_part_of_the_cohort_is_those_children_laid_out_alone():
    inputs = load_inputs()
    children = [demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 241)]
    children[3] = children[3].model_copy(update={"secondary_needs": ("SEMH",), "max_travel_minutes": 35.0,
                                                 "packages": ()})
    policy = Policy()
    whole = build_children(children, policy)
    positions = np.random.default_rng(5).permutation(len(children))[:57]
    alone = build_children([children[at] for at in positions.tolist()], policy)
    assert_same_children(whole.part(positions), alone)
    assert len(whole.part(positions)) == 57 == len(whole.without_records().part(positions))
    index = build_provider_index(inputs.providers)
    child = np.repeat(np.arange(57), 3)
    provider = np.tile(np.arange(3), 57)
    kept = evaluate(whole.without_records().part(positions), index, policy, inputs.travel, inputs.costs, child,
                    provider)
    fresh = evaluate(alone, index, policy, inputs.travel, inputs.costs, child, provider)
    for name in ("reason_code", "placement_cost_gbp", "transport_cost_gbp", "band_gbp", "travel_minutes"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(fresh, name), err_msg=name, strict=True)
    assert whole.without_records().children == ()
