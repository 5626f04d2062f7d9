"""Where to open places: facility location over the same demand and travel tables as the allocation.

- ``p_median``: open exactly p of the candidate sites to minimise the demand-weighted cost (distance or minutes)
  to the nearest open site. Greedy addition, then swaps (Teitz and Bart) until no swap of an open site for a
  closed one improves the total; numpy over a dense demand x site matrix, so a swap pass is one matrix step.
- ``capacitated_p_median``: the same with a capacity at each site; for a given set of open sites the best
  assignment is a transportation problem, solved exactly as a min-cost flow (OR-Tools), and the sets are searched
  by greedy addition and swaps. Demand that no open site can take within its caps costs ``unserved_cost``.
  Sites can be required: open and filled to their capacity (``filled``, spopt's ``fulfill_predefined_fac``): in the
  flow, a filled site's arc to the sink becomes a demand of exactly its capacity, ``sum_i x[i, s] = places[s]``.
Both return the sites chosen, the objective and the assignment, never mutating their inputs.
"""

from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.graph.python import min_cost_flow

from core.errors import PlacewiseError
from matcher.highs import pass_column_model, quiet_highs

COST_SCALE = 100  # costs in the flow are whole hundredths


@dataclass(frozen=True)
class SitePlan:
    open_sites: np.ndarray  # indices of the sites chosen, ascending
    objective: float
    assignment: np.ndarray  # demand x site flows (capacitated) or the site of each demand point (p-median)
    evaluations: int


def p_median(weights: np.ndarray, cost: np.ndarray, p: int, restarts: int = 30, seed: int = 0) -> SitePlan:
    """Open ``p`` sites minimising sum(weight x cost to the nearest open site); cost is demand x sites.

    Greedy addition gives a first set; swaps (the best exchange of an open site for a closed one, repeated until
    none improves) polish it; ``restarts`` random first sets, polished the same way, guard against a poor local
    optimum. The best set found wins.
    """
    n_sites = cost.shape[1]
    if not 1 <= p <= n_sites:
        raise ValueError(f"p: give from 1 to {n_sites} sites to open")
    chosen: list[int] = []
    nearest = np.full(cost.shape[0], np.inf)
    for _ in range(p):  # greedy: add the site that lowers the total most
        totals = (np.minimum(nearest[:, None], cost) * weights[:, None]).sum(axis=0)
        totals[chosen] = np.inf
        best = int(np.argmin(totals))
        chosen.append(best)
        nearest = np.minimum(nearest, cost[:, best])
    evaluations = p * n_sites
    rng = np.random.default_rng(seed)
    starts = [chosen, *(rng.choice(n_sites, p, replace=False).tolist() for _ in range(restarts))]
    best_value, best_sites = np.inf, chosen
    for start in starts:
        value, sites, used = _swap_search(weights, cost, list(start))
        evaluations += used
        if value < best_value - 1e-9:
            best_value, best_sites = value, sites
    open_sites = np.sort(np.array(best_sites))
    return SitePlan(open_sites, best_value, open_sites[np.argmin(cost[:, open_sites], axis=1)], evaluations)


def _swap_search(weights: np.ndarray, cost: np.ndarray, chosen: list[int]) -> tuple[float, list[int], int]:
    """Best-improvement swaps from ``chosen`` until no exchange of an open and a closed site lowers the total."""
    current = float((weights * cost[:, chosen].min(axis=1)).sum())
    evaluations = 0
    while True:
        best = (current, -1, -1)
        for position in range(len(chosen)):
            others = [site for index, site in enumerate(chosen) if index != position]
            base = cost[:, others].min(axis=1) if others else np.full(cost.shape[0], np.inf)
            totals = (np.minimum(base[:, None], cost) * weights[:, None]).sum(axis=0)
            totals[chosen] = np.inf
            evaluations += cost.shape[1]
            site = int(np.argmin(totals))
            if totals[site] < best[0] - 1e-9:
                best = (float(totals[site]), position, site)
        if best[1] < 0:
            return current, chosen, evaluations
        current, chosen[best[1]] = best[0], best[2]


def assign_with_capacity(supply: np.ndarray, cost: np.ndarray, capacity: np.ndarray, open_sites: np.ndarray,
                         unserved_cost: float, filled: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """The cheapest assignment of integer demand to the open sites within capacity (unserved at a price).

    ``cost`` is per unit, demand x sites, ``inf`` where a site may not serve a demand point; ``filled``: open sites
    that must take exactly their capacity. Returns the total cost and the demand x site flows; the cost is ``inf``
    (and nobody assigned) where the filled sites cannot be filled.
    """
    n_demand = len(supply)
    must = np.isin(open_sites, filled) if filled is not None else np.zeros(len(open_sites), dtype=bool)
    rows, columns = np.nonzero(np.isfinite(cost[:, open_sites]))
    sites = open_sites[columns]
    sink = n_demand + len(open_sites)
    free = np.flatnonzero(~must)
    # arcs: demand -> site, site -> sink (capacity; a filled site has none: it keeps its capacity as a demand),
    # demand -> sink (unserved, at its price)
    tails = np.concatenate([rows, n_demand + free, np.arange(n_demand)])
    heads = np.concatenate([n_demand + columns, np.full(len(free), sink), np.full(n_demand, sink)])
    capacities = np.concatenate([supply[rows], capacity[open_sites][free], supply]).astype(np.int64)
    unit = np.concatenate([np.rint(cost[rows, sites] * COST_SCALE),
                           np.zeros(len(free)), np.full(n_demand, np.rint(unserved_cost * COST_SCALE))])
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), capacities,
                                                unit.astype(np.int64))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_demand] = supply
    required = capacity[open_sites][must].astype(np.int64)
    supplies[n_demand + np.flatnonzero(must)] = -required
    supplies[sink] = -int(supply.sum()) + int(required.sum())
    solver.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = solver.solve()
    if status == solver.INFEASIBLE and must.any():
        return np.inf, np.zeros(cost.shape)
    if status != solver.OPTIMAL:  # costs beyond the flow's range, or demand it cannot balance
        raise PlacewiseError(f"plan: the assignment of children to sites could not be solved (the flow ended "
                             f"with status {getattr(status, 'name', status)}); check that the sites' costs and "
                             "places are sensible numbers", field="plan")
    flows = solver.flows(np.arange(len(rows)))
    assignment = np.zeros(cost.shape)
    assignment[rows, sites] = flows
    return solver.optimal_cost() / COST_SCALE, assignment


def capacitated_p_median(supply: np.ndarray, cost: np.ndarray, capacity: np.ndarray, p: int,
                         unserved_cost: float, always_open: np.ndarray | None = None, restarts: int = 3,
                         seed: int = 0, filled: np.ndarray | None = None) -> SitePlan:
    """Open ``p`` sites (besides ``always_open``, such as existing schools) minimising the capacitated cost;
    ``filled`` sites (open, besides the ``p``) take exactly their capacity.

    Greedy addition, then first-improvement swaps, from the greedy set and from ``restarts`` seeded random sets;
    every set is costed by its exact assignment (a min-cost flow). The best set found wins.

    Raises:
        PlacewiseError: where the filled sites hold more places than there is demand (before any solving).
    """
    if filled is not None and len(filled):
        check_fillable(supply, capacity, np.asarray(filled, dtype=np.int64))
        always_open = np.union1d(np.asarray(filled, dtype=np.int64),
                                 np.array([], dtype=np.int64) if always_open is None else always_open)
    fixed = np.array([], dtype=np.int64) if always_open is None else np.asarray(always_open, dtype=np.int64)
    free = np.setdiff1d(np.arange(cost.shape[1]), fixed)
    if not 0 <= p <= len(free):
        raise ValueError(f"p: give from 0 to {len(free)} sites to open")
    evaluations = 0

    def total(sites: list[int]) -> float:
        nonlocal evaluations
        evaluations += 1
        return assign_with_capacity(supply, cost, capacity, np.sort(np.concatenate([fixed, sites])).astype(
            np.int64), unserved_cost, filled)[0]

    chosen: list[int] = []
    for _ in range(p):
        candidates = [site for site in free.tolist() if site not in chosen]
        scores = [total([*chosen, site]) for site in candidates]
        chosen.append(candidates[int(np.argmin(scores))])
    rng = np.random.default_rng(seed)
    starts = [chosen, *(rng.choice(free, p, replace=False).tolist() for _ in range(restarts if p else 0))]
    best_value, best_sites = np.inf, chosen
    for start in starts:
        sites, current = improve_by_swaps(total, list(start), total(list(start)), free.tolist())
        if current < best_value - 1e-6:
            best_value, best_sites = current, sites
    open_sites = np.sort(np.concatenate([fixed, best_sites])).astype(np.int64)
    objective, assignment = assign_with_capacity(supply, cost, capacity, open_sites, unserved_cost, filled)
    return SitePlan(open_sites, objective, assignment, evaluations)


def check_fillable(supply: np.ndarray, capacity: np.ndarray, filled: np.ndarray) -> None:
    """Refuse required sites that hold more places than there are children to fill them, with the numbers.

    Raises:
        PlacewiseError: naming the places and the children.
    """
    places, children = int(capacity[filled].sum()), int(supply.sum())
    if places > children:
        raise PlacewiseError(f"plan: the required sites hold {places:,} places but there are {children:,} children "
                             "to fill them; require fewer sites, or mark them not required")


def improve_by_swaps(total: Callable[[list[int]], float], chosen: list[int], current: float,
                     candidates: list[int], allow_drops: bool = False,
                     stop: Callable[[], bool] = lambda: False) -> tuple[list[int], float]:
    """First-improvement swaps of a chosen site for another candidate (and, with ``allow_drops``, closing a
    site), until none lowers ``total`` or ``stop()`` says so (the best sites found by then); returns the sites and
    their total."""
    improved = True
    while improved and chosen:
        improved = False
        for position in range(len(chosen)):
            for site in candidates:
                if stop():
                    return chosen, current
                if site in chosen:
                    continue
                trial = [*chosen[:position], site, *chosen[position + 1:]]
                value = total(trial)
                if value < current - 1e-6:
                    chosen, current, improved = trial, value, True
        for site in list(chosen) if allow_drops else []:
            trial = [other for other in chosen if other != site]
            value = total(trial)
            if value < current - 1e-6:
                chosen, current, improved = trial, value, True
    return chosen, current


def p_median_lower_bound(weights: np.ndarray, cost: np.ndarray, p: int, time_limit: float = 300.0) -> float:
    """A proven lower bound on the p-median optimum: its linear relaxation (HiGHS), often tight.

    Variables y_j (site open) and x_ij (demand i served by j): minimise sum w_i c_ij x_ij with sum_j x_ij = 1,
    x_ij <= y_j and sum_j y_j = p, all within 0..1. Returns -inf when HiGHS does not finish in time.
    """
    n_demand, n_sites = cost.shape
    n_x = n_demand * n_sites
    demand_of = np.repeat(np.arange(n_demand), n_sites)
    site_of = np.tile(np.arange(n_sites), n_demand)
    # rows: n_demand assignment rows (= 1), n_x linking rows (x - y <= 0), one row sum y = p
    rows = np.concatenate([demand_of, n_demand + np.arange(n_x), n_demand + np.arange(n_x),
                           np.full(n_sites, n_demand + n_x)])
    columns = np.concatenate([np.arange(n_x), np.arange(n_x), n_x + site_of, n_x + np.arange(n_sites)])
    values = np.concatenate([np.ones(n_x), np.ones(n_x), -np.ones(n_x), np.ones(n_sites)])
    lower = np.concatenate([np.ones(n_demand), np.full(n_x, -np.inf), [p]])
    upper = np.concatenate([np.ones(n_demand), np.zeros(n_x), [p]])
    highs = quiet_highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    pass_column_model(highs, np.concatenate([(weights[:, None] * cost).ravel(), np.zeros(n_sites)]), rows, columns,
                      values, lower, upper)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return -np.inf
    return float(highs.getInfo().objective_function_value)

