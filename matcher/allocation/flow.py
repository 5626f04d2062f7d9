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


def solve_network(network: FlowNetwork, values: np.ndarray, supply: int | None = None,
                  ) -> tuple[np.ndarray | None, int]:
    """Solve for the candidate arcs used, maximising the number placed (or placing exactly ``supply``).

    Returns the flow on each candidate arc (0/1, or up to a group's size; None when the solver found no optimum)
    and the optimal cost.
    """
    solver = min_cost_flow.SimpleMinCostFlow()
    costs = np.zeros(len(network.tails), np.int64)
    costs[network.first_child_arc:network.first_child_arc + network.n_arcs] = -values
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
