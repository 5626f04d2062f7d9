"""A round's optimal flow repaired into the optimum of the network with the arcs the pricing brought in: the same
placed count and score as solving afresh, proven by the next pricing round."""

import numpy as np
import pytest
from ortools.graph.python import min_cost_flow

from matcher.allocation import pricing
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.best_arcs import keep_best_arcs
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.shortest_paths import balance_by_shortest_paths
from matcher.policy import Policy
from tests.helpers.allocation_cases import NEEDS, arcs_table, assert_valid, case, children_table, providers_table


def _random_case(rng: np.random.Generator, twins: bool):
    """Many children, few places, some need caps; with ``twins``, children copying an earlier child's arcs (the
    same need and scores: they share a node in the flow)."""
    n_children, n_providers = int(rng.integers(8, 50)), int(rng.integers(2, 9))
    needs = [NEEDS[int(rng.integers(0, 2))] for _ in range(n_children)]
    children = children_table(*[(f"c{number}", "E06000001", needs[number]) for number in range(n_children)])
    providers = providers_table(*[
        {"provider_id": number, "vacancies": int(rng.integers(0, 6)),
         "need_vacancies": {"ASD": int(rng.integers(0, 3))} if rng.random() < 0.3 else {}}
        for number in range(n_providers)])
    rows: list[tuple] = []
    for child in range(n_children):
        twin = int(rng.integers(0, child)) if twins and child and rng.random() < 0.5 else -1
        if twin >= 0 and needs[twin] == needs[child]:
            rows += [(f"c{child}", provider, score) for name, provider, score in rows if name == f"c{twin}"]
            continue
        rows += [(f"c{child}", provider, round(float(rng.random()), 3)) for provider in range(n_providers)
                 if rng.random() < 0.6]
    return case(children, providers, arcs_table(*rows)) if rows else None


@pytest.mark.parametrize("twins", [False, True])
def test_repaired_rounds_reach_the_same_optimum_as_solving_afresh(twins, monkeypatch):
    rng = np.random.default_rng(21 if twins else 17)
    repairs = 0
    for _ in range(30):
        instance = _random_case(rng, twins)
        if instance is None:
            continue
        capacities = capacities_from_providers(instance.providers)
        cut = keep_best_arcs(instance.table, int(rng.integers(1, 3)))
        whole = allocate(instance.table, capacities, Policy(), SolveSettings(method="flow"))
        repaired = allocate(cut, capacities, Policy(), SolveSettings(method="flow"))
        with monkeypatch.context() as patch:
            patch.setattr(pricing, "REPAIR_MOST", 0)  # every round solved afresh, as before repairs
            afresh = allocate(cut, capacities, Policy(), SolveSettings(method="flow"))
        assert afresh.parameters["flow_repairs"] == 0
        for allocation in (repaired, afresh):
            assert allocation.parameters["proven_optimal_for_all_arcs"] is True
            assert allocation.objective()["placed"] == whole.objective()["placed"]
            assert allocation.objective()["total_score"] == pytest.approx(whole.objective()["total_score"], abs=1e-9)
            assert_valid(allocation, instance.providers, Policy())
        assert repaired.parameters["arcs_added"] == afresh.parameters["arcs_added"]  # same pricing, same arcs
        repairs += repaired.parameters["flow_repairs"]
    assert repairs >= 10  # the cases really repaired flows


def test_a_cut_that_alone_places_fewer_is_repaired_to_place_both():
    """A's best is P1 and its second P2; B can only go to P1; the cut keeps each child's best arc alone."""
    instance = case(children_table(("A",), ("B",)),
                    providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                    arcs_table(("A", 1, 0.9), ("A", 2, 0.8), ("B", 1, 0.7)))
    priced = allocate(keep_best_arcs(instance.table, 1), capacities_from_providers(instance.providers), Policy(),
                      SolveSettings(method="flow"))
    assert priced.parameters["cut_alone_placed"] == 1  # the cut alone is not optimal
    assert priced.parameters["flow_repairs"] == 1 and priced.parameters["pricing_rounds"] == 2
    assert priced.objective()["placed"] == 2 and priced.status == "optimal"
    assert dict(priced.assignments()[["child_id", "provider_id"]].itertuples(index=False)) == {"A": 2, "B": 1}


def test_successive_shortest_paths_find_the_least_cost_flow_or_tools_finds():
    rng = np.random.default_rng(4)
    for _ in range(40):
        n = int(rng.integers(3, 30))
        tails, heads = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
        keep = tails != heads
        tails, heads = tails[keep].astype(np.int32), heads[keep].astype(np.int32)
        capacities = rng.integers(0, 5, len(tails)).astype(np.int64)
        potential = rng.integers(-1_000, 1_000, n).astype(np.int64)  # costs reduced by it are non-negative
        costs = rng.integers(0, 300, len(tails)) - potential[tails] + potential[heads]
        supply = np.zeros(n, dtype=np.int64)
        for _ in range(int(rng.integers(1, 4))):
            source, sink = rng.choice(n, 2, replace=False)
            supply[source] += 1
            supply[sink] -= 1
        solver = min_cost_flow.SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        solver.set_nodes_supplies(np.arange(n), supply)
        status = solver.solve()
        flow = np.zeros(len(tails), dtype=np.int64)
        paths = balance_by_shortest_paths(tails, heads, capacities, costs, flow, potential.copy(), supply.copy())
        if status != solver.OPTIMAL:
            assert paths == -1  # some supply cannot reach a demand
            continue
        assert paths >= 1
        assert np.all((flow >= 0) & (flow <= capacities))
        balance = np.bincount(tails, weights=flow, minlength=n) - np.bincount(heads, weights=flow, minlength=n)
        assert np.array_equal(balance.astype(np.int64), supply)
        assert int(costs @ flow) == solver.optimal_cost()
