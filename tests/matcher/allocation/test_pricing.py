"""The best-arcs cut is priced: a flow on each child's best arcs is proven optimal for every arc, or the arcs
that would improve it are brought in until it is."""

import numpy as np
import pytest

from matcher.allocation import pricing
from matcher.allocation.allocate import SolveSettings, allocate
from matcher.allocation.best_arcs import keep_best_arcs
from matcher.allocation.candidate_table import ARC_FIELDS
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.components import solve_whole
from matcher.policy import Policy
from tests.helpers.allocation_cases import arcs_table, assert_valid, case, children_table, providers_table


def _allocate(table, providers):
    return allocate(table, capacities_from_providers(providers), Policy(), SolveSettings(method="flow"))


@pytest.mark.parametrize("chunk", [1, 1_000])
def test_a_cut_that_alone_places_fewer_is_priced_back_to_the_optimum(chunk, monkeypatch):
    monkeypatch.setattr(pricing, "PRICING_CHUNK", chunk)  # left-out arcs priced one at a time, or all at once
    # A's best setting is P1, its second P2; B can only go to P1. Cut to one arc each, both want P1's one place.
    instance = case(children_table(("A",), ("B",)),
                    providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                    arcs_table(("A", 1, 0.9), ("A", 2, 0.8), ("B", 1, 0.7)))
    cut = keep_best_arcs(instance.table, 1)
    assert len(cut.child) == 2 and len(cut.reserve.child) == 1
    without_pricing = _allocate(cut.arcs(np.arange(len(cut.child))), instance.providers)
    assert without_pricing.objective()["placed"] == 1  # the cut alone is not optimal

    priced = _allocate(cut, instance.providers)

    assert priced.objective()["placed"] == 2
    assert priced.status == "optimal"
    assert priced.parameters["arcs_added"] == 1 and priced.parameters["pricing_rounds"] == 2
    assert priced.parameters["proven_optimal_for_all_arcs"] is True
    assert priced.parameters["cut_alone_placed"] == 1
    assert priced.parameters["cut_alone_total_score"] == pytest.approx(0.9)
    assert dict(priced.assignments()[["child_id", "provider_id"]].itertuples(index=False)) == {"A": 2, "B": 1}
    assert_valid(priced, instance.providers, Policy())


def _random_crowded_case(rng, children: tuple[int, int], providers: tuple[int, int], vacancies_below: int,
                         density: float, decimals: int):
    """A random case: between ``children`` and ``providers`` of each (low, high), each provider with fewer than
    ``vacancies_below`` places, each pair an arc with probability ``density``, scored to ``decimals``."""
    n_children, n_providers = int(rng.integers(*children)), int(rng.integers(*providers))
    children_frame = children_table(*[(f"c{number}",) for number in range(n_children)])
    providers_frame = providers_table(*[{"provider_id": number, "vacancies": int(rng.integers(0, vacancies_below))}
                                        for number in range(n_providers)])
    rows = [(f"c{child}", provider, round(float(rng.random()), decimals))
            for child in range(n_children) for provider in range(n_providers) if rng.random() < density]
    return children_frame, providers_frame, rows


def test_a_cut_that_is_already_optimal_is_proven_in_one_round():
    instance = case(children_table(("A",), ("B",)),
                    providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                    arcs_table(("A", 1, 0.9), ("A", 2, 0.1), ("B", 2, 0.7), ("B", 1, 0.2)))
    priced = _allocate(keep_best_arcs(instance.table, 1), instance.providers)
    assert priced.parameters["pricing_rounds"] == 1 and priced.parameters["arcs_added"] == 0
    assert priced.parameters["arcs_priced"] == 2 and priced.status == "optimal"


def test_priced_cuts_reach_the_whole_tables_optimum_on_random_crowded_cases():
    """Many children, few places, tight cuts: the priced cut's placed count and score equal the whole table's."""
    rng = np.random.default_rng(7)
    improved = 0
    for _ in range(25):
        children, providers, rows = _random_crowded_case(rng, (5, 40), (2, 8), 6, 0.6, 4)
        if not rows:
            continue
        instance = case(children, providers, arcs_table(*rows))
        whole = _allocate(instance.table, providers).objective()
        cut = keep_best_arcs(instance.table, int(rng.integers(1, 3)))
        alone = _allocate(cut.arcs(np.arange(len(cut.child))), providers).objective()
        priced = _allocate(cut, providers)
        assert priced.parameters["proven_optimal_for_all_arcs"] is True
        assert priced.objective()["placed"] == whole["placed"]
        assert abs(priced.objective()["total_score"] - whole["total_score"]) < 1e-6
        improved += (alone["placed"], round(alone["total_score"], 6)) != (whole["placed"],
                                                                          round(whole["total_score"], 6))
        assert_valid(priced, providers, Policy())
    assert improved >= 5  # the cases really test the pricing: the cut alone fell short in several


def test_pricing_part_by_part_proves_the_same_optimum_as_pricing_the_network_solved_whole():
    """A mapper (as a cluster's) solves the parts apart and hands each arc's flow back; in one process the pricing
    reads the network it solved: the same rounds, arcs brought in and objective, proven either way."""
    rng = np.random.default_rng(13)
    rounds = []
    for _ in range(10):
        children, providers, rows = _random_crowded_case(rng, (20, 60), (3, 8), 5, 0.5, 2)
        cut = keep_best_arcs(case(children, providers, arcs_table(*rows)).table, 1)
        capacities = capacities_from_providers(providers)
        whole = allocate(cut, capacities, Policy(), SolveSettings(method="flow"))
        apart = allocate(cut, capacities, Policy(), SolveSettings(method="flow"),
                         mapper=lambda function, *arguments: list(map(function, *arguments)))
        for name in ("pricing_rounds", "arcs_added", "arcs_priced", "proven_optimal_for_all_arcs", "parts"):
            assert whole.parameters[name] == apart.parameters[name]
        assert whole.parameters["proven_optimal_for_all_arcs"] is True
        assert whole.objective()["placed"] == apart.objective()["placed"]
        assert whole.objective()["total_score"] == pytest.approx(apart.objective()["total_score"], abs=1e-9)
        assert_valid(whole, providers, Policy())
        rounds.append(whole.parameters["pricing_rounds"])
    assert max(rounds) >= 2  # arcs were brought in: the rounds after the first read the network they solved


def test_a_budget_run_on_a_cut_table_says_it_is_not_proven_for_every_arc():
    instance = case(children_table(("A",), ("B",)),
                    providers_table({"provider_id": 1, "vacancies": 1}, {"provider_id": 2, "vacancies": 1}),
                    arcs_table(("A", 1, 0.9, 100.0), ("A", 2, 0.8, 100.0), ("B", 1, 0.7, 100.0)))
    allocation = allocate(keep_best_arcs(instance.table, 1), capacities_from_providers(instance.providers),
                          Policy(budget_gbp=1_000.0))
    assert allocation.parameters["proven_optimal_for_all_arcs"] is False


def test_keep_best_arcs_cuts_only_children_without_wishes():
    """As the candidate table's cut: a child staying put or with a preference keeps every arc it has."""
    arcs = arcs_table(("A", 1, 0.9), ("A", 2, 0.1, 0.0, 2), ("A", 3, 0.5), ("B", 1, 0.2), ("B", 3, 0.6))
    table = case(children_table(("A",), ("B",)),
                 providers_table(*[{"provider_id": n, "vacancies": 1} for n in (1, 2, 3)]), arcs).table
    cut = keep_best_arcs(table, 1)
    kept = sorted(zip(cut.child_ids[cut.child].tolist(), cut.provider_ids[cut.provider].tolist(), strict=True))
    assert kept == [("A", 1), ("A", 2), ("A", 3), ("B", 3)]
    assert list(zip(cut.child_ids[cut.reserve.child].tolist(), cut.provider_ids[cut.reserve.provider].tolist(),
                    strict=True)) == [
        ("B", 1)]


def test_the_queue_shortest_paths_agree_with_scipys_bellman_ford():
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import shortest_path

    from matcher.allocation.shortest_paths import shortest_from_roots

    rng = np.random.default_rng(11)
    for _ in range(20):
        n = int(rng.integers(3, 60))
        tails, heads = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
        keep = tails != heads
        tails, heads = tails[keep], heads[keep]
        pairs = np.unique(np.column_stack([tails, heads]), axis=0)  # one arc a pair, as scipy keeps them
        tails, heads = pairs[:, 0], pairs[:, 1]
        potential = rng.integers(-1_000, 1_000, n)  # costs reduced by a potential: negative arcs, no negative cycle
        costs = rng.integers(0, 500, len(tails)) - potential[tails] + potential[heads]
        rooted = rng.random(n) < 0.3
        rooted[0] = True
        order = np.argsort(tails, kind="stable")
        indptr = np.searchsorted(tails[order], np.arange(n + 1))
        distance, ok = shortest_from_roots(indptr, heads[order], costs[order].astype(np.int64), rooted)
        graph = csr_matrix((np.r_[costs, np.zeros(rooted.sum())].astype(float),
                            (np.r_[tails, np.full(rooted.sum(), n)], np.r_[heads, np.flatnonzero(rooted)])),
                           shape=(n + 1, n + 1))
        expected = shortest_path(graph, method="BF", indices=n)[:n]
        reached = np.isfinite(expected)
        assert ok
        assert np.array_equal(distance[reached], expected[reached].astype(np.int64))
        assert np.all(distance[~reached] == 2 ** 62)


def test_the_residual_network_is_laid_out_as_the_arcs_with_room_and_the_arcs_with_flow_backwards():
    from matcher.allocation.shortest_paths import residual_arcs

    rng = np.random.default_rng(5)
    for _ in range(20):
        n = int(rng.integers(2, 40))
        tails, heads = rng.integers(0, n, 3 * n).astype(np.int32), rng.integers(0, n, 3 * n).astype(np.int32)
        capacities = rng.integers(0, 4, len(tails))
        flow = np.minimum(rng.integers(0, 4, len(tails)), capacities)
        costs = rng.integers(-50, 50, len(tails))
        extra_tails, extra_heads = rng.integers(0, n, 2), rng.integers(0, n, 2)
        extra_costs = rng.integers(-50, 50, 2)
        indptr, got_heads, got_costs = residual_arcs(n, tails, heads, capacities, costs, flow, extra_tails,
                                                     extra_heads, extra_costs)
        room, back = flow < capacities, flow > 0
        expected = sorted(zip(np.r_[tails[room], heads[back], extra_tails].tolist(),
                              np.r_[heads[room], tails[back], extra_heads].tolist(),
                              np.r_[costs[room], -costs[back], extra_costs].tolist(), strict=True))
        got_tails = np.repeat(np.arange(n), np.diff(indptr))
        assert sorted(zip(got_tails.tolist(), got_heads.tolist(), got_costs.tolist(), strict=True)) == expected


def test_a_negative_cycle_is_reported_not_looped_on():
    from matcher.allocation.shortest_paths import shortest_from_roots

    indptr = np.array([0, 1, 2, 3])
    heads, costs = np.array([1, 2, 0]), np.array([1, -3, 1], dtype=np.int64)
    _, ok = shortest_from_roots(indptr, heads, costs, np.array([True, False, False]))
    assert not ok


def test_arcs_brought_in_join_the_table_by_child_then_provider():
    from matcher.allocation.candidate_table import join_arcs

    rng = np.random.default_rng(3)
    rows = [(f"c{child}", provider, round(float(rng.random()), 4)) for child in range(30) for provider in range(6)
            if rng.random() < 0.7]
    instance = case(children_table(*[(f"c{child}",) for child in range(30)]),
                    providers_table(*[{"provider_id": provider, "vacancies": 1} for provider in range(6)]),
                    arcs_table(*rows))
    table = instance.table
    brought = rng.random(len(table.child)) < 0.3
    kept = table.arcs(np.flatnonzero(~brought))
    extra = table.arcs(np.flatnonzero(brought)[::-1])  # in any order
    for joined in (join_arcs(kept, extra), join_arcs(kept.arcs(np.arange(len(kept.child))[::-1]), extra)):
        assert np.array_equal(joined.child, table.child) and np.array_equal(joined.provider, table.provider)
        assert np.array_equal(joined.scores, table.scores) and np.array_equal(joined.total_score, table.total_score)
        assert np.array_equal(joined.uncertain_arcs, table.uncertain_arcs)


def test_rounds_solved_on_the_values_alone_return_the_same_full_table_and_flow():
    """Where the solve reads only each arc's ends and value, the rounds after the first solve the joined table
    without its other fields: the table handed back (every field) and its flow are those of solving it whole."""
    rng = np.random.default_rng(29)
    slim_rounds = 0
    for _ in range(12):
        n_children, n_providers = int(rng.integers(20, 60)), int(rng.integers(3, 8))
        children = children_table(*[(f"c{number}",) for number in range(n_children)])
        providers = providers_table(*[{"provider_id": number, "vacancies": int(rng.integers(0, 5))}
                                      for number in range(n_providers)])
        pairs = [(child, provider) for child in range(n_children) for provider in range(n_providers)
                 if rng.random() < 0.5]
        rows = [(f"c{child}", provider, round(float(rng.random()), 1), float(rng.integers(0, 3) * 1_000))
                for child, provider in pairs]
        arcs = arcs_table(*rows, travel_minutes=[float(rng.integers(5, 60)) for _ in pairs],
                          distance_km=[float(rng.integers(1, 30)) for _ in pairs])
        cut = keep_best_arcs(case(children, providers, arcs).table, 1)
        capacities = capacities_from_providers(providers)
        seen = []

        def solve(table, groups, seen=seen, capacities=capacities):
            seen.append(table.travel_minutes.strides == (0,))  # the other fields let go: a view of one value
            return solve_whole(table, capacities, True, groups)

        full_table, full_flow, full_proof = pricing.solve_with_pricing(cut, cut.reserve, capacities, solve)
        assert not any(seen)
        seen.clear()
        table, flow, proof = pricing.solve_with_pricing(cut, cut.reserve, capacities, solve, solve_reads_values=True)
        assert seen == [False] + [True] * (proof.rounds - 1)
        slim_rounds += proof.rounds - 1
        assert proof == full_proof and proof.proven
        np.testing.assert_array_equal(flow, full_flow)
        for name in (*ARC_FIELDS, "uncertain"):
            np.testing.assert_array_equal(getattr(table, name), getattr(full_table, name))
    assert slim_rounds >= 3  # arcs were brought in: rounds were solved without the other fields


@pytest.mark.parametrize(("local_share", "near_cost"), [(0.0, 100), (1.0, 0), (1.0, 100), (1.0, 10 ** 9)])
def test_a_flow_solved_from_a_start_reaches_the_optimum_solved_from_nothing(local_share, near_cost, monkeypatch):
    """From any feasible flow and any potentials, the change solved in its residual network (on the arcs near in
    reduced cost first, kept only where proven; else on them all) gives the optimum of solving from nothing."""
    from matcher.allocation import flow as flow_module
    from matcher.allocation.components import part_network

    monkeypatch.setattr(flow_module, "LOCAL_SHARE", local_share)
    monkeypatch.setattr(flow_module, "NEAR_COST", near_cost)
    rng = np.random.default_rng(17)
    for _ in range(15):
        children, providers, rows = _random_crowded_case(rng, (10, 50), (2, 8), 6, 0.6, 3)
        table = case(children, providers, arcs_table(*rows)).table
        network, values, _ = part_network(table, capacities_from_providers(providers))
        expected, expected_cost = flow_module.solve_network(network, values)
        # a feasible start: the optimum with some candidate arcs shut, or nothing placed
        shut = network.capacities.copy()
        candidate = slice(network.first_child_arc, network.first_child_arc + network.n_arcs)
        shut[candidate] = np.where(rng.random(network.n_arcs) < 0.4, 0, shut[candidate])
        start, _ = flow_module.solve_network(flow_module.FlowNetwork(
            network.tails, network.heads, shut, network.first_child_arc, network.n_arcs), values)
        for begin in (start, np.zeros(network.n_arcs, dtype=np.int64)):
            n_nodes = int(max(network.tails.max(), network.heads.max())) + 1
            potential = rng.integers(-1_000, 1_000, n_nodes)
            solved = flow_module.solve_network_from(network, values, begin, potential)
            assert solved is not None and solved.sum() == expected.sum()
            assert int(-(values @ solved)) == expected_cost


@pytest.mark.parametrize("grouped", [True, False])
def test_rounds_solved_from_the_last_rounds_optimum_reach_the_whole_tables_optimum(grouped):
    """The rounds after the first start from the last round's flow and potentials: the same proof, rounds and
    objective as solving each round from nothing, and the whole table's objective, where the cut alone fell short
    (interchangeable children sharing a node, or a node a child)."""
    rng = np.random.default_rng(23)
    warm_rounds, short = 0, 0
    for _ in range(15):
        children, providers, rows = _random_crowded_case(rng, (20, 60), (3, 8), 5, 0.5, 3)
        instance = case(children, providers, arcs_table(*rows))
        cut = keep_best_arcs(instance.table, 1)
        capacities = capacities_from_providers(providers)
        starts = []

        def solve(table, groups, capacities=capacities):
            return solve_whole(table, capacities, grouped, groups)

        def solve_from(table, groups, start, capacities=capacities, starts=starts):
            starts.append(start)
            return solve_whole(table, capacities, grouped, groups, start)

        cold_table, cold_flow, cold_proof = pricing.solve_with_pricing(cut, cut.reserve, capacities, solve,
                                                                       grouped=grouped)
        table, flow, proof = pricing.solve_with_pricing(cut, cut.reserve, capacities, solve, grouped=grouped,
                                                        solve_from=solve_from)
        assert proof.proven and proof.rounds == cold_proof.rounds and proof.arcs_added == cold_proof.arcs_added
        assert len(starts) == proof.rounds - 1
        whole = _allocate(instance.table, providers).objective()
        assert int(flow.sum()) == int(cold_flow.sum()) == whole["placed"]
        assert float(table.total_score @ flow) == pytest.approx(whole["total_score"], abs=1e-9)
        assert float(cold_table.total_score @ cold_flow) == pytest.approx(whole["total_score"], abs=1e-9)
        warm_rounds += len(starts)
        short += (proof.cut_placed, round(proof.cut_score, 9)) != (whole["placed"], round(whole["total_score"], 9))
    assert warm_rounds >= 5 and short >= 5  # the cut alone fell short, and rounds were solved from a start
