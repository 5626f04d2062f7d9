"""The flow solved part by part (where the candidate graph falls apart) has the single solve's optimum."""

import numpy as np
from hypothesis import given

from matcher.allocation.capacity import capacities_from_providers, capacity_families
from matcher.allocation.components import part_labels, solve_parts
from matcher.allocation.flow import arc_values, build_network, solve_network
from tests.helpers.allocation_cases import PROPERTY, random_cases


def one_by_one(function, *iterables):
    """A mapper that is not the built-in ``map``, so the table really is cut into parts (as on Dask)."""
    return [function(*arguments) for arguments in zip(*iterables, strict=True)]


def optimum(table, flow) -> tuple[int, int]:
    """Children placed and the total value (priority points and scores) of a flow."""
    return int(flow.sum()), int(arc_values(table) @ flow)


@PROPERTY
@given(random_cases(max_children=20, max_providers=8, priorities=True))
def test_parts_reach_the_single_solve_s_optimum(instance):
    capacities = capacities_from_providers(instance.providers)
    single, _ = solve_network(build_network(instance.table, capacity_families(instance.table, capacities)),
                              arc_values(instance.table))
    by_parts, parts = solve_parts(instance.table, capacities, one_by_one)  # each part alone
    assert parts == len(np.unique(part_labels(instance.table)))
    assert optimum(instance.table, by_parts) == optimum(instance.table, single)
    gathered, _ = solve_parts(instance.table, capacities, one_by_one, smallest_part=10_000)  # all in one part
    assert optimum(instance.table, gathered) == optimum(instance.table, single)
    whole, whole_parts = solve_parts(instance.table, capacities)  # one process: the table as one network
    assert whole_parts == parts and optimum(instance.table, whole) == optimum(instance.table, single)


def test_children_with_no_shared_setting_fall_into_separate_parts():
    from tests.helpers.allocation_cases import Case, arcs_table, children_table, providers_table

    case = Case(children_table(("C1", "E06000001", "ASD"), ("C2", "E06000001", "ASD"), ("C3", "E06000001", "ASD")),
                providers_table({"provider_id": 101, "vacancies": 1}, {"provider_id": 102, "vacancies": 1}),
                arcs_table(("C1", 101, 0.5, 1.0, 0), ("C2", 101, 0.4, 1.0, 0), ("C3", 102, 0.9, 1.0, 0)))
    labels = part_labels(case.table)
    assert labels[0] == labels[1] != labels[2]
