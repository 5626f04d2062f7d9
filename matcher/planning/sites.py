"""Capacity planning: which candidate sites to open for low-incidence needs, to minimise whole cost.

A capacitated facility location over the same pieces as the allocation: demand points (children of a need at
a small area, with a travel cap), existing settings with free places (always open), and candidate sites (a new
resourced provision or unit at an existing school, or a new site) with places, a fixed annual cost and a cost
per place. A child may go to a setting designated for its need within the cap; otherwise it takes the fallback:
what happens today, a place in a distant independent school (``fallback_cost_gbp`` a year, transport included).

Cost of a plan = fixed costs of the sites opened + placements + transport + fallbacks. For a given set of sites
the assignment is exact (a min-cost flow, ``matcher.planning.facility.assign_with_capacity``); the sets are searched by
greedy addition (the site with the largest saving net of its fixed cost, while any saves), then swaps and
drops until neither improves. Travel is the straight line (``StraightLineTravel``), as for the whole country.
The plan is compared with opening nothing: the saving is what commissioning the sites is worth a year.

Sites marked ``required`` (a column of ``sites``, True where so) are opened and filled to their places, as spopt's
``fulfill_predefined_fac``: a commitment already made (a unit under construction, a contract) that the rest of the
plan must work around; they count within ``max_sites``, and the comparison is with opening only them.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from matcher.planning.facility import assign_with_capacity, check_fillable, improve_by_swaps
from matcher.solve_control import SolveControl
from matcher.travel.straight_line import StraightLineTravel

TransportCost = Callable[[np.ndarray], np.ndarray]  # distance km -> annual cost a child


@dataclass(frozen=True, eq=False)
class PlanningInstance:
    demand: pd.DataFrame  # index demand_id: easting, northing, need, children (int), cap_minutes
    existing: pd.DataFrame  # index provider_id: easting, northing, needs (tuple), free_places, place_cost_gbp
    sites: pd.DataFrame  # index site_id: easting, northing, needs (tuple), places, fixed_cost_gbp, place_cost_gbp
    fallback_cost_gbp: float


@dataclass(frozen=True, eq=False)
class Plan:
    sites: list  # site ids opened
    status: str  # "within_budget", "over_budget" (the cheapest plan found costs more) or "no_budget"
    total_cost_gbp: float
    fixed_cost_gbp: float
    baseline_cost_gbp: float  # opening nothing
    placed_locally: int
    fallback_children: int
    baseline_fallback_children: int
    flows: pd.DataFrame  # demand_id, facility_id, kind (existing/site), children, travel_minutes
    evaluations: int
    #: "complete": searched until no addition, swap or drop improved; "stopped": the control's deadline passed or
    #: it was cancelled first, and this is the best set of sites found by then.
    search: str = "complete"

    @property
    def saving_gbp(self) -> float:
        return self.baseline_cost_gbp - self.total_cost_gbp


def plan_sites(instance: PlanningInstance, travel: StraightLineTravel, transport_cost: TransportCost,
               max_sites: int | None = None, budget_gbp: float | None = None,
               control: SolveControl | None = None) -> Plan:
    """Choose sites to open (at most ``max_sites``) minimising the whole annual cost of the demand; where
    ``control``'s deadline passes or it is cancelled, the best sites found by then (``search`` "stopped")."""
    control = control or SolveControl()
    demand, existing, sites = instance.demand, instance.existing, instance.sites
    if demand.empty or int(demand["children"].sum()) == 0:  # nothing to plan for: open nothing
        return Plan([], "no_budget" if budget_gbp is None else "within_budget", 0.0, 0.0, 0.0, 0, 0, 0,
                    pd.DataFrame(columns=["demand_id", "facility_id", "kind", "children", "travel_minutes"]), 0)
    facilities = pd.concat([existing.assign(kind="existing", capacity=existing["free_places"], fixed_cost_gbp=0.0),
                            sites.assign(kind="site", capacity=sites["places"])])
    per_child, minutes = _cost_matrix(demand, facilities, travel, transport_cost)
    supply = demand["children"].to_numpy(dtype=np.int64)
    capacity = facilities["capacity"].to_numpy(dtype=np.int64)
    fixed = facilities["fixed_cost_gbp"].to_numpy(dtype=float)
    required = len(existing) + np.flatnonzero(_required(sites))
    if len(required):
        check_fillable(supply, capacity, required)
    always = np.concatenate([np.arange(len(existing)), required]).astype(np.int64)
    candidates = [site for site in range(len(existing), len(facilities)) if site not in set(required.tolist())]
    evaluations = 0

    def cost_of(chosen: list[int]) -> float:
        nonlocal evaluations
        evaluations += 1
        open_sites = np.sort(np.concatenate([always, chosen])).astype(np.int64)
        assignment_cost, _ = assign_with_capacity(supply, per_child, capacity, open_sites, instance.fallback_cost_gbp,
                                                  required)
        return assignment_cost + float(fixed[chosen].sum()) + float(fixed[required].sum())

    baseline = cost_of([])
    if not np.isfinite(baseline):
        raise PlacewiseError("plan: the required sites cannot be filled by children within their travel cap and "
                             "needs; check their places, needs and where they are")
    chosen: list[int] = []
    current = baseline
    room = len(candidates) if max_sites is None else max(max_sites - len(required), 0)
    limit = min(room, len(candidates))
    stopped = False

    def stop() -> bool:  # asked before each step: the search stops there once the control has expired
        nonlocal stopped
        stopped = stopped or control.expired()
        return stopped

    while len(chosen) < limit and not stop():
        trials = [(cost_of([*chosen, site]), site) for site in candidates if site not in chosen]
        best_cost, best_site = min(trials)
        if best_cost >= current - 1e-6:
            break
        chosen.append(best_site)
        current = best_cost
    # swaps, and closing a site that no longer pays for itself after them
    chosen, current = improve_by_swaps(cost_of, chosen, current, candidates, allow_drops=True, stop=stop)
    plan = _plan(instance, facilities, per_child, minutes, supply, capacity, sorted([*required.tolist(), *chosen]),
                 baseline, budget_gbp, evaluations, required)
    return replace(plan, search="stopped") if stopped else plan


def _required(sites: pd.DataFrame) -> np.ndarray:
    """Which candidate sites must be opened and filled (``required``; none where the column is absent)."""
    if "required" not in sites:
        return np.zeros(len(sites), dtype=bool)
    return sites["required"].fillna(False).astype(bool).to_numpy()


def _cost_matrix(demand: pd.DataFrame, facilities: pd.DataFrame, travel: StraightLineTravel,
                 transport_cost: TransportCost) -> tuple[np.ndarray, np.ndarray]:
    """Cost a child a year (placement + transport) and minutes, demand x facilities; inf where not allowed."""
    straight_km = np.hypot(demand["easting"].to_numpy()[:, None] - facilities["easting"].to_numpy()[None, :],
                           demand["northing"].to_numpy()[:, None] - facilities["northing"].to_numpy()[None, :]) / 1e3
    km = straight_km * travel.circuity
    minutes = km / travel.speed_kmh * 60.0
    serves = np.array([[need in needs for needs in facilities["needs"]] for need in demand["need"]])
    allowed = serves & (minutes <= demand["cap_minutes"].to_numpy()[:, None])
    cost = facilities["place_cost_gbp"].to_numpy(dtype=float)[None, :] + transport_cost(km)
    return np.where(allowed, cost, np.inf), minutes


def _plan(instance: PlanningInstance, facilities: pd.DataFrame, per_child: np.ndarray, minutes: np.ndarray,
          supply: np.ndarray, capacity: np.ndarray, chosen: list[int], baseline: float, budget_gbp: float | None,
          evaluations: int, required: np.ndarray) -> Plan:
    n_existing = len(instance.existing)
    open_sites = np.concatenate([np.arange(n_existing), chosen]).astype(np.int64)
    assignment_cost, flows = assign_with_capacity(supply, per_child, capacity, np.sort(open_sites),
                                                  instance.fallback_cost_gbp, required)
    fixed = float(facilities["fixed_cost_gbp"].to_numpy()[chosen].sum())
    total = assignment_cost + fixed
    _, base_flows = assign_with_capacity(supply, per_child, capacity,
                                         np.concatenate([np.arange(n_existing), required]).astype(np.int64),
                                         instance.fallback_cost_gbp, required)
    rows, columns = np.nonzero(flows > 0)
    table = pd.DataFrame({"demand_id": instance.demand.index.to_numpy()[rows],
                          "facility_id": facilities.index.to_numpy()[columns],
                          "kind": facilities["kind"].to_numpy()[columns], "children": flows[rows, columns],
                          "travel_minutes": minutes[rows, columns]})
    status = "no_budget" if budget_gbp is None else "within_budget" if total <= budget_gbp else "over_budget"
    placed = int(flows.sum())
    return Plan(sites=[facilities.index[site] for site in chosen], status=status, total_cost_gbp=total,
                fixed_cost_gbp=fixed, baseline_cost_gbp=baseline, placed_locally=placed,
                fallback_children=int(supply.sum()) - placed, baseline_fallback_children=int(supply.sum() -
                                                                                               base_flows.sum()),
                flows=table, evaluations=evaluations)
