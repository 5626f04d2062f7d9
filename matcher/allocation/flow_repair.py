"""A flow proven optimal for one network, repaired into the optimum of the network with a few arcs more, instead of
solving the larger network again from nothing (the pricing's last rounds bring in a handful of arcs).

The last network's optimal flow and its node potentials (every residual arc's reduced cost ``c + p[u] - p[v]``
non-negative, ``matcher.allocation.pricing``) are laid on the larger network, one node a child. A new arc whose
reduced cost is not negative keeps no flow, and the potentials still hold for it; a new arc whose reduced cost is
negative is filled (its child then sends one unit more than it receives, and the arc's head receives one more than
it sends), which leaves it only its backward residual arc, of positive reduced cost. Every residual arc then has a
non-negative reduced cost, and successive shortest paths (Dijkstra on reduced costs, compiled with numba in exact
integers: ``matcher.allocation.shortest_paths``) carry each surplus to a deficit, keeping the potentials valid,
until every node balances. The flow is then of least cost for the larger network's circulation, whose return arc
sink -> source of cost ``-M`` (the pricing's) puts one more child placed above any score: the same optimum as a
solve from nothing (the most children placed, then the highest total), which the next pricing round proves again.
"""

from dataclasses import dataclass

import numpy as np

from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import Capacities, capacity_families
from matcher.allocation.flow import arc_values, build_network, network_flow
from matcher.allocation.shortest_paths import balance_by_shortest_paths


@dataclass(frozen=True, eq=False)
class NodePrices:
    """The potentials of a network a flow was priced on (its children's nodes as ``child_node`` numbers them, then
    every other node from ``first_other`` on, numbered by the capacities alone), with the return arc's ``M``."""

    potential: np.ndarray
    child_node: np.ndarray
    first_other: int
    return_cost: int


def repair_flow(placed_child: np.ndarray, placed_provider: np.ndarray, last: NodePrices, table: CandidateTable,
                capacities: Capacities) -> np.ndarray | None:
    """The 0/1 flow on each arc of ``table`` (the last round's arcs and some more, by child then provider) of least
    cost for ``table``, from the last round's optimum (each child placed, by its provider; positions) and its
    prices; None where they do not fit ``table`` (then solve afresh)."""
    network = build_network(table, capacity_families(table, capacities))
    n_children, first, n_arcs = table.n_children, network.first_child_arc, network.n_arcs
    n_nodes = int(max(network.tails.max(), network.heads.max())) + 1
    if n_nodes - (2 + n_children) != len(last.potential) - last.first_other:
        return None
    potential = np.concatenate([last.potential[:2], last.potential[2 + last.child_node],
                                last.potential[last.first_other:]])
    key = table.child.astype(np.int64) * max(table.n_providers, 1) + table.provider
    wanted = placed_child.astype(np.int64) * max(table.n_providers, 1) + placed_provider
    placed = np.searchsorted(key, wanted)
    if np.any(key[1:] <= key[:-1]) or (len(placed) and (placed.max() >= len(key) or np.any(key[placed] != wanted))):
        return None  # not by child then provider, or some placement's arc missing: solve afresh
    candidate_flow = np.zeros(n_arcs, dtype=np.int64)
    candidate_flow[placed] = 1
    arc_flow = np.append(network_flow(network, candidate_flow), np.int64(len(placed)))  # return arc sink -> source
    costs = np.zeros(len(arc_flow), dtype=np.int64)
    costs[first:first + n_arcs] = -arc_values(table)
    costs[-1] = -last.return_cost
    tails = np.append(network.tails, np.int32(network.sink))
    heads = np.append(network.heads, np.int32(network.source))
    capacities_all = np.append(network.capacities, np.int64(n_children))
    # an empty arc of negative reduced cost is new (the last round's empty arcs had none): filled
    reduced = costs[first:first + n_arcs] + potential[tails[first:first + n_arcs]] - potential[
        heads[first:first + n_arcs]]
    arc_flow[first + np.flatnonzero((candidate_flow == 0) & (reduced < 0))] = 1
    del reduced, candidate_flow, network
    excess = (np.bincount(heads, weights=arc_flow, minlength=n_nodes)
              - np.bincount(tails, weights=arc_flow, minlength=n_nodes)).astype(np.int64)
    if balance_by_shortest_paths(tails, heads, capacities_all, costs, arc_flow, potential, excess) < 0:
        return None
    return arc_flow[first:first + n_arcs]
