"""The allocation as a min-cost flow (OR-Tools ``SimpleMinCostFlow``), exact for nested capacities.

Network: source -> each child (capacity 1) -> a candidate's group node (need cap or council quota, where the
provider has one) or the provider node -> sink (capacity: places). ``solve_max_flow_with_min_cost`` first
places as many children as possible, then minimises cost, so the order of the objectives holds exactly
without a big-M. An arc's cost is minus its value: priority points (stay, preference) above every score,
then the weighted total score in units of 1/10,000.
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.allocation.candidate_table import SCORE_SCALE, CandidateTable
from matcher.allocation.capacity import ArcEnds, GroupFamily


class NotNested(Exception):
    """Some arc is bound by both a need cap and a council quota: the capacities cross, so not a flow."""


@dataclass(frozen=True, eq=False)
class Ends:
    """Arc ends alone (``ArcEnds``): what the flow's layout and the capacities read, without a table's arc data."""

    child: np.ndarray
    provider: np.ndarray
    child_need: np.ndarray
    child_council: np.ndarray
    provider_ids: np.ndarray

    @property
    def n_children(self) -> int:
        return len(self.child_need)

    @property
    def n_providers(self) -> int:
        return len(self.provider_ids)


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    first_child_arc: int  # arcs [first, first + n_arcs) are the candidate arcs, in table order
    n_arcs: int
    source: int = 0
    sink: int = 1


def score_points(table: CandidateTable) -> np.ndarray:
    """Each arc's weighted score in whole units of 1/10,000."""
    return np.rint(table.total_score * SCORE_SCALE).astype(np.int64)


def arc_values(table: CandidateTable) -> np.ndarray:
    """Integer value of each arc: priority points, each worth more than all scores together, then the score."""
    points = score_points(table)
    priority_unit = np.int64(table.n_children) * SCORE_SCALE + 1
    return table.priority.astype(np.int64) * priority_unit + points


def build_network(table: ArcEnds, families: list[GroupFamily], supply: np.ndarray | None = None,
                  ) -> FlowNetwork:
    """Lay the candidate table and its capacity families out as flow arcs (numpy only).

    ``supply``, where given, is each child node's units (a group of interchangeable children,
    ``matcher.allocation.child_groups``): its arc from the source and its candidate arcs carry that many.
    """
    check_nested(families)
    nested = families[1:]
    n_children, n_providers = table.n_children, table.n_providers
    provider_node = 2 + n_children + np.arange(n_providers)
    target = candidate_heads(table, families)
    group_tails, group_heads, group_caps = [], [], []
    next_node = 2 + n_children + n_providers
    for family in nested:
        group_tails.append(next_node + np.arange(len(family.cap)))
        group_heads.append(provider_node[family.provider])
        group_caps.append(family.cap)
        next_node += len(family.cap)
    children = 2 + np.arange(n_children)
    tails = np.concatenate([np.zeros(n_children, np.int64), 2 + table.child.astype(np.int64), *group_tails,
                            provider_node])
    heads = np.concatenate([children, target, *group_heads, np.ones(n_providers, np.int64)])
    units = np.ones(n_children, np.int64) if supply is None else np.asarray(supply, dtype=np.int64)
    capacities = np.concatenate([units, units[table.child], *group_caps, families[0].cap])
    return FlowNetwork(tails.astype(np.int32), heads.astype(np.int32), capacities.astype(np.int64),
                       n_children, len(table.child))


def check_nested(families: list[GroupFamily]) -> None:
    """Raise ``NotNested`` where some arc is bound by more than one family beside the providers' places."""
    nested = families[1:]
    if len(nested) > 1 and np.any(np.column_stack([family.group >= 0 for family in nested]).sum(axis=1) > 1):
        raise NotNested("a provider has both need caps and council quotas")


def candidate_heads(table: ArcEnds, families: list[GroupFamily]) -> np.ndarray:
    """Each candidate arc's head in ``build_network``'s numbering: the node of the need cap or council quota that
    binds it, else its provider's node (source 0, sink 1, the children, the providers, then each family's groups)."""
    target = 2 + table.n_children + table.provider.astype(np.int64)
    next_node = 2 + table.n_children + table.n_providers
    for family in families[1:]:
        target = np.where(family.group >= 0, next_node + np.maximum(family.group, 0), target)
        next_node += len(family.cap)
    return target


def network_costs(network: FlowNetwork, values: np.ndarray) -> np.ndarray:
    """Each arc's cost: minus its value on the candidate arcs, 0 elsewhere."""
    costs = np.zeros(len(network.tails), np.int64)
    costs[network.first_child_arc:network.first_child_arc + network.n_arcs] = -values
    return costs


def solve_network(network: FlowNetwork, values: np.ndarray, supply: int | None = None,
                  ) -> tuple[np.ndarray | None, int]:
    """Solve for the candidate arcs used, maximising the number placed (or placing exactly ``supply``).

    Returns the flow on each candidate arc (0/1, or up to a group's size; None when the solver found no optimum)
    and the optimal cost.
    """
    solver = min_cost_flow.SimpleMinCostFlow()
    costs = network_costs(network, values)
    solver.add_arcs_with_capacity_and_unit_cost(network.tails, network.heads, network.capacities, costs)
    del costs  # the solver holds its own copy: 8 bytes an arc less while it solves
    n_nodes = int(max(network.tails.max(initial=1), network.heads.max(initial=1))) + 1
    supplies = np.zeros(n_nodes, np.int64)
    total = int(network.capacities[:network.first_child_arc].sum()) if supply is None else supply
    supplies[network.source], supplies[network.sink] = total, -total
    solver.set_nodes_supplies(np.arange(n_nodes), supplies)
    status = solver.solve_max_flow_with_min_cost() if supply is None else solver.solve()
    if status != solver.OPTIMAL:
        return None, 0
    arcs = np.arange(network.first_child_arc, network.first_child_arc + network.n_arcs)
    return solver.flows(arcs), int(solver.optimal_cost())


def network_flow(network: FlowNetwork, flow: np.ndarray) -> np.ndarray:
    """The flow on every arc of ``network`` from the flow on its candidate arcs: each node passes on what it
    receives, layer by layer (children, groups, providers)."""
    arc_flow = np.zeros(len(network.tails), dtype=np.int64)
    first = network.first_child_arc
    arc_flow[first:first + network.n_arcs] = flow
    n_nodes = int(max(network.tails.max(initial=1), network.heads.max(initial=1))) + 1
    candidate = slice(first, first + network.n_arcs)
    arc_flow[:first] = np.bincount(network.tails[candidate], weights=arc_flow[candidate],
                                   minlength=n_nodes)[network.heads[:first]].astype(np.int64)
    rest = np.arange(first + network.n_arcs, len(network.tails))
    inflow = np.bincount(network.heads[candidate], weights=arc_flow[candidate], minlength=n_nodes)
    # group -> provider arcs come before provider -> sink arcs; a group node receives only candidate arcs
    groups = rest[network.heads[rest] != network.sink]
    arc_flow[groups] = inflow[network.tails[groups]].astype(np.int64)
    inflow += np.bincount(network.heads[groups], weights=arc_flow[groups], minlength=n_nodes)
    to_sink = rest[network.heads[rest] == network.sink]
    arc_flow[to_sink] = inflow[network.tails[to_sink]].astype(np.int64)
    return arc_flow


LOCAL_SHARE = 0.01  # at most this share of the residual arcs costing less than nothing: the change is local
NEAR_COST = 100  # a local change is solved first on the residual arcs of reduced cost within this (1/10,000 units)


def solve_network_from(network: FlowNetwork, values: np.ndarray, start: np.ndarray, potential: np.ndarray,
                       ) -> np.ndarray | None:
    """``solve_network``'s optimum (the most placed, then the lowest cost) reached from a feasible flow ``start`` on
    the candidate arcs: only the change is solved, as a min-cost flow in ``start``'s residual network.

    Any flow of the network is ``start`` plus a flow of its residual network (each arc with room forwards, each
    arc with flow backwards), so the most the residual network carries from the source to the sink, at its lowest
    cost, added to ``start`` is the network's optimum. Costs are reduced by the node ``potential`` (``c + p[u] -
    p[v]``, which leaves a flow's cost from the source to the sink changed by a constant): where ``start`` was
    optimal before some arcs joined, every residual arc but the new ones then costs nothing or more, and the
    solver's cost scaling starts next to the optimum.

    Where few residual arcs cost less than nothing (``LOCAL_SHARE``), the change is solved first on the residual
    arcs within ``NEAR_COST`` alone, and kept where the whole residual network of the result has no negative
    cycle (with the return arc that puts placing first: ``matcher.allocation.shortest_paths``), which proves it
    optimal; otherwise, and in general, on the whole residual network.
    Returns the flow on each candidate arc, or None where the solver found no optimum (or the reduced costs are out
    of its range: the caller then solves from nothing).
    """
    arc_flow = network_flow(network, start)
    costs = network_costs(network, values)
    costs += potential[network.tails] - potential[network.heads]
    n_nodes = len(potential)
    if int(np.abs(costs).max(initial=0)) >= np.iinfo(np.int64).max // (4 * (n_nodes + 1)):
        return None  # the solver scales costs by the number of nodes: beyond 64 bits
    room, back = arc_flow < network.capacities, arc_flow > 0
    below = int(np.count_nonzero(room & (costs < 0)) + np.count_nonzero(back & (costs > 0)))
    first = network.first_child_arc
    if below <= LOCAL_SHARE * len(costs):
        near = np.flatnonzero((room & (costs <= NEAR_COST)) | (back & (costs >= -NEAR_COST)))
        solver = _residual_solver(network, costs, arc_flow, near, n_nodes)
        if solver.solve_max_flow_with_min_cost() == solver.OPTIMAL:
            local = _solved_flow(solver, network, arc_flow, near)
            if _proven_optimal(network, costs, local, n_nodes):
                return local[first:first + network.n_arcs]
            del local
        del solver
    del room, back
    solver = _residual_solver(network, costs, arc_flow, None, n_nodes)
    del costs, arc_flow  # the solver holds its own copy; the start's flow is laid out again once it has solved
    if solver.solve_max_flow_with_min_cost() != solver.OPTIMAL:
        return None
    return _solved_flow(solver, network, network_flow(network, start), None)[first:first + network.n_arcs]


def _residual_arcs(network: FlowNetwork, arc_flow: np.ndarray, arcs: np.ndarray | None,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The arcs (among ``arcs``; all where None) with room left, and those with flow: the residual network's arcs
    forwards, then backwards."""
    if arcs is None:
        return np.flatnonzero(arc_flow < network.capacities), np.flatnonzero(arc_flow > 0)
    return arcs[arc_flow[arcs] < network.capacities[arcs]], arcs[arc_flow[arcs] > 0]


def _residual_solver(network: FlowNetwork, costs: np.ndarray, arc_flow: np.ndarray, arcs: np.ndarray | None,
                     n_nodes: int) -> min_cost_flow.SimpleMinCostFlow:
    """The residual network of ``arc_flow`` on ``arcs`` (all where None), costed at ``costs``, laid out for the
    solver (``_residual_arcs``' order); the source sends what it has not sent yet, the sink takes it."""
    room, back = _residual_arcs(network, arc_flow, arcs)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([network.tails[room], network.heads[back]]),
        np.concatenate([network.heads[room], network.tails[back]]),
        np.concatenate([network.capacities[room] - arc_flow[room], arc_flow[back]]),
        np.concatenate([costs[room], -costs[back]]))
    unplaced = int((network.capacities[:network.first_child_arc] - arc_flow[:network.first_child_arc]).sum())
    supplies = np.zeros(n_nodes, np.int64)
    supplies[network.source], supplies[network.sink] = unplaced, -unplaced
    solver.set_nodes_supplies(np.arange(n_nodes), supplies)
    return solver


def _solved_flow(solver: min_cost_flow.SimpleMinCostFlow, network: FlowNetwork, arc_flow: np.ndarray,
                 arcs: np.ndarray | None) -> np.ndarray:
    """``arc_flow`` plus the flow ``solver`` found in its residual network on ``arcs``, as ``_residual_solver`` laid
    it out: the flow on every arc."""
    room, back = _residual_arcs(network, arc_flow, arcs)
    flow = arc_flow.copy()
    flow[room] += solver.flows(np.arange(len(room)))  # an arc is at most once among ``room``, once among ``back``
    flow[back] -= solver.flows(np.arange(len(room), len(room) + len(back)))
    return flow


def _proven_optimal(network: FlowNetwork, costs: np.ndarray, arc_flow: np.ndarray, n_nodes: int) -> bool:
    """Whether the residual network of ``arc_flow`` (every arc), with the return arc that puts placing first, has
    no negative cycle: no more can be placed, nor placed at a lower cost."""
    from matcher.allocation.shortest_paths import residual_potentials, return_cost_above  # numba, loaded here

    return_cost = return_cost_above(int(np.abs(costs).max(initial=0)), n_nodes)
    return residual_potentials(network.tails, network.heads, network.capacities, costs, arc_flow, return_cost,
                               network.source, network.sink, np.ones(n_nodes, dtype=bool)) is not None
