"""Benchmark: capacity planning (facility location) against PySAL spopt's PMedian on the same instances.

Instance: 2,000 demand points (children weights 1..19) and 50 candidate sites scattered over a 100 km square,
cost = straight-line km; p = 5. Uncapacitated: placewise's greedy-and-swap ``p_median`` against spopt's
PMedian (PuLP + CBC, the proven optimum). Capacitated: each site holds 110% of a fifth of the demand;
placewise's ``capacitated_p_median`` (exact min-cost-flow assignment for each set tried) against spopt's PMedian
with facility capacities. Prints objectives, times and the ratio.
"""

import argparse
import sys
import time

import numpy as np

try:
    import pulp
    from spopt.locate import PMedian
except ImportError:
    sys.exit("bench/plan.py compares against PySAL spopt: install the bench extra first (pip install -e '.[bench]')")

from matcher.planning.facility import capacitated_p_median, p_median, p_median_lower_bound


def instance(seed: int, demand: int, sites: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, 100_000, (demand, 2))
    places = rng.uniform(0, 100_000, (sites, 2))
    weights = rng.integers(1, 20, demand).astype(float)
    cost = np.hypot(*(points[:, None, :] - places[None, :, :]).transpose(2, 0, 1)) / 1000.0
    return weights, cost


def spopt_solve(weights: np.ndarray, cost: np.ndarray, p: int, capacity: np.ndarray | None,
                time_limit: int) -> tuple[float, np.ndarray, float, str]:
    started = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, weights, p_facilities=p, facility_capacities=capacity)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    seconds = time.perf_counter() - started
    chosen = np.array([index for index, clients in enumerate(model.fac2cli) if len(clients)])
    return float(pulp.value(model.problem.objective)), chosen, seconds, pulp.LpStatus[model.problem.status]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demand", type=int, default=2_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("-p", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=int, default=600, help="CBC's limit, seconds")
    parser.add_argument("--skip-capacitated", action="store_true")
    parser.add_argument("--skip-uncapacitated", action="store_true")
    arguments = parser.parse_args()
    weights, cost = instance(arguments.seed, arguments.demand, arguments.sites)
    p = arguments.p
    print(f"{arguments.demand:,} demand points ({weights.sum():,.0f} children), {arguments.sites} sites, p = {p}")

    if not arguments.skip_uncapacitated:
        uncapacitated(weights, cost, p, arguments.time_limit)
    if not arguments.skip_capacitated:
        capacitated(weights, cost, p, arguments.time_limit, arguments.sites)


def uncapacitated(weights: np.ndarray, cost: np.ndarray, p: int, time_limit: int) -> None:
    started = time.perf_counter()
    ours = p_median(weights, cost, p)
    ours_s = time.perf_counter() - started
    theirs, chosen, theirs_s, status = spopt_solve(weights, cost, p, None, time_limit)
    print(f"p-median   placewise {ours.objective:,.2f} in {ours_s:.3f} s (sites {ours.open_sites.tolist()}); "
          f"spopt PMedian {theirs:,.2f} in {theirs_s:.1f} s ({status}, sites {chosen.tolist()})")
    print(f"           objective placewise / spopt: {ours.objective / theirs:.6f}; spopt time / placewise time: "
          f"{theirs_s / ours_s:,.0f}x")
    started = time.perf_counter()
    bound = p_median_lower_bound(weights, cost, p)
    print(f"           HiGHS linear relaxation bound {bound:,.2f} in {time.perf_counter() - started:.1f} s: "
          f"placewise's plan is within {(ours.objective - bound) / bound:.4%} of the optimum")


def capacitated(weights: np.ndarray, cost: np.ndarray, p: int, time_limit: int, sites: int) -> None:
    capacity = np.full(sites, int(np.ceil(weights.sum() / p * 1.1)))
    started = time.perf_counter()
    ours = capacitated_p_median(weights.astype(np.int64), cost, capacity, p, unserved_cost=10_000.0)
    ours_s = time.perf_counter() - started
    theirs, chosen, theirs_s, status = spopt_solve(weights, cost, p, capacity.astype(float), time_limit)
    print(f"capacitated placewise {ours.objective:,.2f} in {ours_s:.2f} s ({ours.evaluations} flow assignments, "
          f"sites {ours.open_sites.tolist()}); spopt PMedian {theirs:,.2f} in {theirs_s:.1f} s ({status}, sites "
          f"{chosen.tolist()})")
    print(f"           objective placewise / spopt: {ours.objective / theirs:.6f}; spopt time / placewise time: "
          f"{theirs_s / ours_s:,.1f}x")


if __name__ == "__main__":
    main()
