"""Facility location: p-median and its capacitated variant, against brute force on small instances."""

from itertools import combinations

import numpy as np
import pytest

from matcher.planning.facility import assign_with_capacity, capacitated_p_median, p_median


def small(seed, demand=30, sites=8):
    rng = np.random.default_rng(seed)
    points, places = rng.uniform(0, 50, (demand, 2)), rng.uniform(0, 50, (sites, 2))
    weights = rng.integers(1, 10, demand).astype(float)
    return weights, np.hypot(*(points[:, None, :] - places[None, :, :]).transpose(2, 0, 1))


def test_a_hand_solved_p_median():
    # Two clusters of demand at 0 and 10 on a line; sites at 0, 5 and 10. One site: the middle (cost 5 each x 2
    # points x weight 1 = 10) beats an end (0 + 10 = 10 ... equal), so weight the far cluster: 2 at 10, 1 at 0.
    cost = np.abs(np.array([[0.0], [10.0]]) - np.array([[0.0, 5.0, 10.0]]))
    plan = p_median(np.array([1.0, 2.0]), cost, 1)
    assert plan.open_sites.tolist() == [2] and plan.objective == pytest.approx(10.0)
    assert p_median(np.array([1.0, 2.0]), cost, 2).objective == pytest.approx(0.0)


@pytest.mark.parametrize("seed", range(6))
def test_p_median_matches_brute_force_on_small_instances(seed):
    weights, cost = small(seed)
    plan = p_median(weights, cost, 3)
    best = min((weights * cost[:, list(sites)].min(axis=1)).sum() for sites in combinations(range(8), 3))
    assert plan.objective == pytest.approx((weights * cost[:, plan.open_sites].min(axis=1)).sum())
    assert plan.objective == pytest.approx(best)  # swaps from greedy and random starts reach the optimum here


@pytest.mark.parametrize("seed", range(4))
def test_the_capacitated_plan_respects_capacity_and_is_near_the_brute_force_optimum(seed):
    weights, cost = small(seed, demand=20, sites=6)
    supply = weights.astype(np.int64)
    capacity = np.full(6, int(np.ceil(supply.sum() / 2)))
    plan = capacitated_p_median(supply, cost, capacity, 2, unserved_cost=1_000.0)
    assert (plan.assignment.sum(axis=0) <= capacity + 1e-9).all()
    assert np.allclose(plan.assignment.sum(axis=1), supply)  # capacity suffices: everyone is served
    best = min(assign_with_capacity(supply, cost, capacity, np.array(sites), 1_000.0)[0]
               for sites in combinations(range(6), 2))
    assert plan.objective <= best * 1.02


def test_demand_no_open_site_may_serve_goes_unserved_at_its_price():
    cost = np.array([[1.0, np.inf], [np.inf, 2.0]])
    total, flows = assign_with_capacity(np.array([3, 2]), cost, np.array([10, 10]), np.array([0]), 50.0)
    assert total == pytest.approx(3 * 1.0 + 2 * 50.0) and flows[0, 0] == 3 and flows[1].sum() == 0


def test_p_out_of_range_is_refused():
    weights, cost = small(0)
    with pytest.raises(ValueError, match="p: give from 1 to 8"):
        p_median(weights, cost, 0)


@pytest.mark.parametrize("seed", range(3))
def test_the_linear_relaxation_bounds_the_optimum_from_below(seed):
    from matcher.planning.facility import p_median_lower_bound

    weights, cost = small(seed)
    best = min((weights * cost[:, list(sites)].min(axis=1)).sum() for sites in combinations(range(8), 3))
    bound = p_median_lower_bound(weights, cost, 3)
    assert bound <= best + 1e-6 and bound >= 0.9 * best
