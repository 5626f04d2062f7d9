"""The allocation split where the candidate graph falls apart: children and settings that share no chain of arcs
never compete, so each connected part is a min-cost flow of its own, and together they are the single solve's
optimum (the flow's cost is a sum over parts with nothing in common).

A part is a candidate table of its own (``CandidateTable.part``); ``solve_parts`` solves each with the given
``mapper`` (a Dask client's ``map`` across a cluster) and lays the parts' flows back on the whole table's arcs;
in one process (the built-in ``map``) the whole table is solved as one network, which is the same optimum.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from core.arrays import unique_sorted
from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import Capacities, capacity_families
from matcher.allocation.child_groups import ChildGroups, group_children, spread_flow
from matcher.allocation.flow import FlowNetwork, NotNested, arc_values, build_network, solve_network, solve_network_from

Mapper = Callable[..., Iterable[Any]]  # map(function, *iterables), as the built-in map or a Dask client's


def part_labels(table: CandidateTable) -> np.ndarray:
    """The connected part of each child (children with no candidate each stand alone)."""
    nodes = table.n_children + table.n_providers
    graph = coo_matrix((np.ones(len(table.child)), (table.child, table.n_children + table.provider)),
                       shape=(nodes, nodes))
    _, labels = connected_components(graph, directed=False)
    return labels[:table.n_children]


def part_network(table: CandidateTable, capacities: Capacities, grouped: bool = True,
                 groups: ChildGroups | None = None) -> tuple[FlowNetwork, np.ndarray, ChildGroups | None]:
    """The flow network of one part, its candidate arcs' values, and the groups of interchangeable children whose
    nodes it has (``grouped``; None: one node a child). ``groups``: the table's groups, where already known."""
    values = arc_values(table)
    if not grouped:
        return build_network(table, capacity_families(table, capacities)), values, None
    groups = groups or group_children(table)
    network = build_network(groups.ends, capacity_families(groups.ends, capacities), groups.supply)
    return network, values[groups.first_arcs], groups


@dataclass(frozen=True, eq=False)
class SolvedNetwork:
    """A table solved as one network in this process, as it was laid out: what the pricing reads again (the
    network, its candidate arcs' values and flow, and the groups whose nodes it has) without laying it out twice."""

    table: CandidateTable
    network: FlowNetwork
    values: np.ndarray
    groups: ChildGroups | None
    flow: np.ndarray  # on the network's candidate arcs: 0/1, or up to a group's size

    def arc_flow(self) -> np.ndarray:
        """The 0/1 flow on each arc of the table (a group's units handed back to its children)."""
        if self.groups is None:
            return self.flow
        return spread_flow(self.table, self.groups, self.values, self.flow)


@dataclass(frozen=True, eq=False)
class WarmStart:
    """A feasible flow to solve a table from, and node potentials to reduce its costs by: the optimum of a table
    with fewer arcs (``matcher.allocation.pricing``), held by what stays when its network is let go."""

    used_child: np.ndarray  # the arcs the flow uses, one a child placed: its child and provider positions
    used_provider: np.ndarray
    child_potential: np.ndarray  # per child: its node's potential
    other_potential: np.ndarray  # the source's, the sink's, then the providers' and capacity groups' (in order)

    def used_arcs(self, table: CandidateTable) -> np.ndarray:
        """The positions in ``table`` (which has every arc the flow uses) of the arcs the flow uses."""
        key = table.child.astype(np.int64) * max(table.n_providers, 1) + table.provider
        used = self.used_child.astype(np.int64) * max(table.n_providers, 1) + self.used_provider
        if np.all(key[1:] > key[:-1]):
            return np.searchsorted(key, used)
        order = np.argsort(key, kind="stable")
        return order[np.searchsorted(key[order], used)]

    def flow(self, table: CandidateTable, groups: ChildGroups | None) -> np.ndarray:
        """The flow on each candidate arc of ``table``'s network: on each arc, or each group's arc (its units)."""
        used = self.used_arcs(table)
        if groups is None:
            return np.bincount(used, minlength=len(table.child)).astype(np.int32)
        return np.bincount(groups.arc_in_group[used], minlength=len(groups.first_arcs)).astype(np.int32)

    def potential(self, groups: ChildGroups | None) -> np.ndarray:
        """Every node's potential in ``build_network``'s numbering (a group's: its first child's)."""
        child = self.child_potential if groups is None else self.child_potential[groups.first_child]
        return np.concatenate([self.other_potential[:2], child, self.other_potential[2:]])


def solve_whole(table: CandidateTable, capacities: Capacities, grouped: bool = True,
                groups: ChildGroups | None = None, start: WarmStart | None = None) -> SolvedNetwork | None:
    """``table`` solved as one network: the most children placed, then the highest total (None: no optimum).
    With ``grouped``, interchangeable children share a node (the same optimum; ``matcher.allocation.child_groups``);
    ``groups``: the table's, where already known. ``start``: a flow to solve from (the same optimum,
    ``matcher.allocation.flow.solve_network_from``)."""
    network, values, groups = part_network(table, capacities, grouped, groups)
    flow = None
    if start is not None:
        flow = solve_network_from(network, values, start.flow(table, groups), start.potential(groups))
    if flow is None:
        flow, _ = solve_network(network, values)
    return None if flow is None else SolvedNetwork(table, network, values, groups, flow)


def solve_part(table: CandidateTable, capacities: Capacities, grouped: bool = True,
               groups: ChildGroups | None = None) -> np.ndarray | None:
    """The 0/1 flow on each arc of one part (``solve_whole``'s, handed back to the children; None: no optimum)."""
    solved = solve_whole(table, capacities, grouped, groups)
    return None if solved is None else solved.arc_flow()


def count_parts(table: CandidateTable, smallest_part: int = 1) -> int:
    """How many parts ``solve_parts`` solves ``table`` in (parts smaller than ``smallest_part`` gathered)."""
    return len(_kept_parts(table, smallest_part)[1])


def _kept_parts(table: CandidateTable, smallest_part: int) -> tuple[np.ndarray, np.ndarray]:
    """Each child's part (-1: gathered with the other small parts), and the parts' labels."""
    labels = part_labels(table)
    sizes = np.bincount(labels)
    labels = np.where(sizes[labels] < smallest_part, -1, labels)
    return labels, unique_sorted(labels)


def solve_parts(table: CandidateTable, capacities: Capacities, mapper: Mapper = map,
                smallest_part: int = 1, grouped: bool = True, groups: ChildGroups | None = None,
                ) -> tuple[np.ndarray | None, int]:
    """The flow on every arc, solved part by part; and how many parts there were.

    Parts with fewer than ``smallest_part`` children are gathered into one (each part's solve has a fixed cost).
    With the built-in ``map`` (one process) the whole table is one network: its optimum is the parts' together,
    and no part is copied (``groups``, the whole table's groups where known, then serve). Parts are made one at a
    time, as the mapper asks for them.
    Raises ``NotNested`` where a part's capacities cross (a need cap and a quota on one provider).
    """
    labels, kept = _kept_parts(table, smallest_part)
    if mapper is map or len(kept) == 1:
        return solve_part(table, capacities, grouped, groups), len(kept)
    arcs_of = np.argsort(labels[table.child], kind="stable")
    bounds = np.searchsorted(labels[table.child][arcs_of], kept, side="left").tolist() + [len(arcs_of)]
    arc_groups = [np.sort(arcs_of[bounds[number]:bounds[number + 1]]) for number in range(len(kept))]
    parts = (table.part(np.flatnonzero(labels == label), arcs) for label, arcs in zip(kept, arc_groups, strict=True))
    flows = list(mapper(solve_part, parts, [capacities] * len(kept), [grouped] * len(kept)))
    whole = np.zeros(len(table.child), dtype=np.int64)
    for arcs, flow in zip(arc_groups, flows, strict=True):
        if flow is None:
            return None, len(kept)
        whole[arcs] = flow
    return whole, len(kept)


__all__ = ["Mapper", "NotNested", "SolvedNetwork", "WarmStart", "count_parts", "part_labels", "part_network",
           "solve_part", "solve_parts", "solve_whole"]
