"""Interchangeable children share one node: the same placed count and objective as one node a child, every
allocation checked, and the group's places handed out in a fixed order."""

import numpy as np
import pytest

from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.best_arcs import keep_best_arcs
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.child_groups import group_children
from matcher.allocation.flow import arc_values
from matcher.allocation.wishes import PREFERRED
from matcher.policy import Policy
from tests.helpers.allocation_cases import (
    AWAY,
    COUNCILS,
    HOME,
    NEEDS,
    arcs_table,
    assert_valid,
    case,
    children_table,
    placements,
    providers_table,
    solve,
)


def crowded_case(rng: np.random.Generator, wishes: bool = False):
    """Few kinds of child, each repeated (the same arcs, as children of one home and need), few places."""
    n_kinds, n_providers = int(rng.integers(1, 6)), int(rng.integers(1, 7))
    providers = []
    for number in range(n_providers):
        row = {"provider_id": 100 + number, "vacancies": int(rng.integers(0, 8))}
        if rng.random() < 0.3:
            row["need_vacancies"] = {NEEDS[int(rng.integers(0, 2))]: int(rng.integers(0, row["vacancies"] + 1))}
        elif rng.random() < 0.3:
            row["quotas"] = {COUNCILS[int(rng.integers(0, 3))]: int(rng.integers(0, row["vacancies"] + 1))}
        providers.append(row)
    children, rows = [], []
    for kind in range(n_kinds):
        council, need = COUNCILS[int(rng.integers(0, 3))], NEEDS[int(rng.integers(0, 2))]
        arcs = [(100 + provider, round(float(rng.random()), 3), float(rng.integers(1, 4)) * 10_000)
                for provider in range(n_providers) if rng.random() < 0.6]
        for copy in range(int(rng.integers(1, 9))):
            child = f"k{kind}c{copy}"
            children.append((child, council, need))
            wish = wishes and rng.random() < 0.2 and arcs
            rows += [(child, provider, score, cost, PREFERRED if wish and number == 0 else 0)
                     for number, (provider, score, cost) in enumerate(arcs)]
    if not rows:
        rows = [(children[0][0], 100, 0.5, 10_000.0, 0)]
    rng.shuffle(children)
    return case(children_table(*children), providers_table(*providers), arcs_table(*rows))


def optimum(allocation) -> tuple[int, int]:
    """Children placed and the flow's objective (priority points and scores, in whole units)."""
    arcs = allocation.placed_arcs
    return len(arcs), int(arc_values(allocation.table)[arcs].sum())


@pytest.mark.parametrize("seed", range(40))
def test_grouped_nodes_reach_the_same_optimum_as_one_node_a_child(seed):
    rng = np.random.default_rng(seed)
    instance = crowded_case(rng, wishes=seed % 2 == 1)
    one_each = solve(instance, method="flow", group_children=False)  # ``solve`` runs the independent checker
    grouped = solve(instance, method="flow")
    assert optimum(grouped) == optimum(one_each)
    assert grouped.objective()["total_score"] == pytest.approx(one_each.objective()["total_score"], abs=1e-3)
    kinds = len({child.split("c")[0] for child in instance.children.index})
    groups = group_children(instance.table).n_groups
    assert groups <= kinds if seed % 2 == 0 else groups <= instance.table.n_children  # a wish keeps a node alone


@pytest.mark.parametrize("seed", range(20))
def test_a_priced_cut_with_grouped_nodes_reaches_the_whole_tables_optimum(seed):
    rng = np.random.default_rng(100 + seed)
    instance = crowded_case(rng)
    whole = solve(instance, method="flow", group_children=False)
    cut = keep_best_arcs(instance.table, int(rng.integers(1, 3)))
    for grouped in (True, False):
        priced = allocate(cut, capacities_from_providers(instance.providers), Policy(),
                          SolveSettings(method="flow", group_children=grouped))
        assert_valid(priced, instance.providers, Policy())
        assert priced.parameters["proven_optimal_for_all_arcs"] is True
        assert optimum(priced) == optimum(whole)


def test_a_groups_places_go_to_its_children_in_order_best_arc_first():
    # Three children alike: P1 (0.9, one place) to the first, P2 (0.5, one place) to the second, none to the third.
    instance = case(children_table(("A",), ("B",), ("C",)),
                    providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                    arcs_table(*[(child, provider, score) for child in "ABC" for provider, score in ((1, 0.9),
                                                                                                       (2, 0.5))]))
    groups = group_children(instance.table)
    assert groups.n_groups == 1 and groups.supply.tolist() == [3]
    assert placements(solve(instance, method="flow")) == {"A": 1, "B": 2, "C": None}


def test_children_who_differ_in_anything_the_flow_reads_keep_their_own_nodes():
    children = children_table(("A", HOME, "ASD"), ("B", HOME, "ASD"), ("C", AWAY, "ASD"), ("D", HOME, "SLD"),
                              ("E", HOME, "ASD"), ("F", HOME, "ASD"), ("G", HOME, "ASD"))
    arcs = arcs_table(("A", 1, 0.5, 100.0), ("B", 1, 0.5, 100.0), ("C", 1, 0.5, 100.0), ("D", 1, 0.5, 100.0),
                      ("E", 1, 0.5, 200.0),  # another cost
                      ("F", 1, 0.5, 100.0, PREFERRED),  # a preference: always alone
                      ("G", 1, 0.5, 100.0), ("G", 2, 0.1, 100.0))  # another setting too
    table = case(children, providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                 arcs).table
    groups = group_children(table)
    assert groups.group_of.tolist() == [0, 0, 1, 2, 3, 4, 5]
    assert groups.supply.tolist() == [2, 1, 1, 1, 1, 1]
