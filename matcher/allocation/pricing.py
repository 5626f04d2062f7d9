"""Proof that a flow solved on each child's best arcs is optimal for every arc: pricing the arcs left out.

A run may keep only each child's best ``k`` arcs (``best_arcs_per_child``) to save memory and time. The flow on
that reduced network is then optimal for the whole table exactly when no arc left out has a negative reduced
cost against the reduced flow's node potentials, as in column generation:

1. solve the reduced network (most children placed, then the lowest cost);
2. find node potentials ``p`` from its residual network: shortest distances from a root joined by 0-cost arcs to
   every node but the children, which exist because an optimal flow's residual network has no negative cycle.
   The order of the objectives is held by a return arc sink -> source of cost ``-M``, with ``M`` above any cost a
   path can gather, so placing one more child always beats any change of score. Every child is reached through
   its own arcs (from the source where unplaced, from its setting where placed), so a child's potential is as high
   as its own placement allows, and a setting's as high as its places allow: the settings' lowest prices, which
   leave the fewest left-out arcs of placed children looking better than their placements;
3. price each left-out arc ``u -> v`` of cost ``c``: ``c + p[u] - p[v]``. None negative: the flow is optimal for
   the whole table (every residual arc of the whole network then has a non-negative reduced cost). Otherwise
   the negative arcs join the network and the loop solves again, from the last round's flow: the change is a
   min-cost flow in that flow's residual network at the costs reduced by the same potentials, where only the arcs
   brought in cost less than nothing (``matcher.allocation.flow.solve_network_from``).

The potentials come from a queue-based Bellman-Ford (``matcher.allocation.shortest_paths``, compiled with numba:
SciPy's Bellman-Ford sweeps every arc for each level of the shortest-path tree, which takes minutes on a national
network), in exact integers.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from core.memory import release_freed_memory
from matcher.allocation.candidate_table import CandidateTable, ReserveArcs, join_arcs
from matcher.allocation.capacity import ArcEnds, Capacities, capacity_families
from matcher.allocation.child_groups import ChildGroups, gather_flow, group_children
from matcher.allocation.components import SolvedNetwork, WarmStart
from matcher.allocation.flow import Ends, arc_values, build_network, candidate_heads, network_flow
from matcher.allocation.shortest_paths import residual_potentials, return_cost_above


@dataclass(frozen=True)
class PricingProof:
    """What the pricing loop did: rounds solved, arcs priced in the last round, arcs brought in, and whether the
    last flow was proven optimal for the whole table."""

    rounds: int
    arcs_priced: int
    arcs_added: int
    proven: bool
    cut_placed: int = 0  # what the first solve, on the cut alone, placed and scored
    cut_score: float = 0.0

    def as_parameters(self) -> dict[str, int | float | bool]:
        return {"pricing_rounds": self.rounds, "arcs_priced": self.arcs_priced, "arcs_added": self.arcs_added,
                "proven_optimal_for_all_arcs": self.proven, "cut_alone_placed": self.cut_placed,
                "cut_alone_total_score": self.cut_score}


@dataclass(frozen=True, eq=False)
class Prices:
    """The left-out arcs priced: those with a negative reduced cost, and the potentials that priced them."""

    negative: np.ndarray  # positions in the reserve
    potential: np.ndarray  # per node of the network priced (``build_network``'s numbering)
    return_cost: int  # ``M``: the potentials of the nodes reached only by the return arc are ``M`` lower


def solve_with_pricing(table: CandidateTable, reserve: ReserveArcs, capacities: Capacities,
                       solve: Callable[[CandidateTable, ChildGroups | None], np.ndarray | SolvedNetwork | None],
                       max_rounds: int = 20, grouped: bool = True, solve_reads_values: bool = False,
                       solve_from: Callable[[CandidateTable, ChildGroups | None, WarmStart], SolvedNetwork | None]
                       | None = None) -> tuple[CandidateTable, np.ndarray | None, PricingProof]:
    """Solve ``table`` with ``solve``, price ``reserve`` (the arcs left out), bring in the negative ones, repeat.

    ``solve`` gives the flow on each arc, or the network it solved whole (``SolvedNetwork``): the pricing then
    reads that network and its flow as they are, and the flow is handed back to the children only where needed
    (the first round's figures and the last round's answer).
    Returns the table finally solved (the kept arcs and every arc brought in, by child then provider), its flow,
    and the proof. ``proven`` is False where no optimum was found or ``max_rounds`` ran out.

    ``solve_reads_values``: the solve, given the groups, reads of each arc only its ends and value (its child,
    provider, total score and priority: ``matcher.allocation.components.solve_whole``). With ``grouped``, the
    rounds after the first then solve the joined table without its other fields (``_values_only``: 0.6 GiB less
    for England while the network is held, since the solve needs no regrouping), and the full table is joined once
    more at the end, after the network is let go: the same arcs in the same order, so the flow stands.
    """
    added = 0
    cut: tuple[int, float] = (0, 0.0)
    first_flow = np.zeros(0, dtype=np.int64)
    cut_table, brought_in = table, None  # the cut as given, and every arc brought in so far
    left_out = np.ones(len(reserve.child), dtype=bool)  # the reserve's arcs not brought in (no copy of the reserve)
    start: WarmStart | None = None
    for rounds in range(1, max_rounds + 1):
        groups = group_children(table) if grouped else None  # once a round, for the solve and the pricing
        slim = rounds > 1 and groups is not None and solve_reads_values  # the first round's table is the cut itself
        if slim:
            table = _values_only(table)
            release_freed_memory()
        solved = solve(table, groups) if start is None or solve_from is None else solve_from(table, groups, start)
        start = None
        if solved is None:
            return (join_arcs(cut_table, brought_in) if slim and brought_in is not None else table), None, \
                PricingProof(rounds, 0, added, False, *cut)
        if rounds == 1:
            first_flow = _arc_flow(solved)
            cut = (int(first_flow.sum()), float(table.total_score[first_flow > 0].sum()))
        prices = price_left_out(table, reserve, capacities, solved, groups, left_out)
        negative = prices.negative
        if not len(negative) or rounds == max_rounds:
            flow = first_flow if rounds == 1 else _arc_flow(solved)
            proof = PricingProof(rounds, int(left_out.sum()), added, not len(negative), *cut)
            if slim and brought_in is not None:  # the full table, joined again once the network is let go
                del solved, groups
                table = cut_table
                release_freed_memory()
                table = join_arcs(cut_table, brought_in)
            return table, flow, proof
        if solve_from is not None and isinstance(solved, SolvedNetwork):
            start = _warm_start(table, first_flow if rounds == 1 else solved.arc_flow(), solved.groups, prices)
        del solved, groups, prices  # the network is not held while the next is made
        first_flow = np.zeros(0, dtype=np.int64)  # nor the first round's flow (8 bytes an arc) once not the answer
        left_out[negative] = False
        extra = reserve.complete(reserve.child[negative], reserve.provider[negative])
        brought_in = extra if brought_in is None else join_arcs(brought_in, extra)
        # the last round's table let go before the next is made, and release_freed_memory gives its heap back: the
        # cut joined with every arc brought in is the same table, arc for arc, as the last round's joined again
        table = cut_table
        release_freed_memory()
        table = join_arcs(cut_table, brought_in)
        added += len(negative)
    raise ValueError("max_rounds: give at least one round")


def _warm_start(table: CandidateTable, flow: np.ndarray, groups: ChildGroups | None, prices: Prices) -> WarmStart:
    """What the next round starts from: the arcs ``flow`` uses, and each node's potential as priced, those reached
    only by the return arc (``M`` lower: the source and all it reaches) raised by ``M``, as if the return arc cost
    nothing; the next round's reduced costs then stay within the arcs' own range."""
    potential = prices.potential
    potential = np.where(potential < -(prices.return_cost // 2), potential + prices.return_cost, potential)
    n_child_nodes = table.n_children if groups is None else groups.n_groups
    node_of = np.arange(table.n_children) if groups is None else groups.group_of
    used = np.flatnonzero(flow > 0)
    return WarmStart(table.child[used], table.provider[used], potential[2 + node_of],
                     np.concatenate([potential[:2], potential[2 + n_child_nodes:]]))


def _values_only(table: CandidateTable) -> CandidateTable:
    """``table`` with only what a grouped solve reads of each arc: its child, provider, total score and priority
    (shared, not copied). The other arc fields (per-criterion scores, journeys, costs, uncertainty) become
    read-only views of one NaN (or False), of no memory, so any reader of them would see at once that they are gone.
    """
    n_arcs = len(table.child)
    gone = np.broadcast_to(np.float64(np.nan), (n_arcs,))
    return replace(table, scores=np.broadcast_to(np.float64(np.nan), table.scores.shape), travel_minutes=gone,
                   distance_km=gone, placement_cost_gbp=gone, transport_cost_gbp=gone,
                   uncertain=np.broadcast_to(np.False_, (n_arcs,)), reserve=None)


def _arc_flow(solved: np.ndarray | SolvedNetwork) -> np.ndarray:
    return solved.arc_flow() if isinstance(solved, SolvedNetwork) else solved


def price_left_out(table: CandidateTable, reserve: ReserveArcs, capacities: Capacities,
                   flow: np.ndarray | SolvedNetwork, groups: ChildGroups | None = None,
                   priced: np.ndarray | None = None) -> Prices:
    """Positions in ``reserve`` of the arcs with a negative reduced cost against ``table``'s optimal ``flow`` (on
    each arc of the table, or the network solved whole, with its own groups), and the potentials that priced them;
    ``priced``: where True, the reserve's arcs to price (all where None), ascending positions in the whole reserve
    either way.

    With ``groups`` (the table's) the potentials are those of the network with one node a group of interchangeable
    children (``matcher.allocation.child_groups``): a child's potential is its group's, which prices the whole
    table as exactly, since each child's residual arcs are among its group's.
    """
    if not (len(reserve.child) if priced is None else priced.any()):
        return Prices(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0)
    if isinstance(flow, SolvedNetwork):
        groups = flow.groups
    solved: ArcEnds = table if groups is None else groups.ends
    node_of = np.arange(table.n_children) if groups is None else groups.group_of
    if isinstance(flow, SolvedNetwork):  # laid out and solved as it is priced: read as it is
        network, values, flow = flow.network, flow.values, flow.flow
    else:
        values = arc_values(table)
        supply = None
        if groups is not None:
            supply, values, flow = groups.supply, values[groups.first_arcs], gather_flow(groups, flow)
        network = build_network(solved, capacity_families(solved, capacities), supply)
    first = network.first_child_arc
    costs = np.zeros(len(network.tails), dtype=np.int64)
    costs[first:first + network.n_arcs] = -values
    arc_flow = network_flow(network, flow)
    not_child = np.ones(int(max(network.tails.max(), network.heads.max())) + 1, dtype=bool)
    not_child[2:2 + solved.n_children] = False  # build_network numbers the children (or groups) 2, 3, ...
    most = max([int(np.abs(costs).max(initial=0))]
               + [int(reserve.points[arcs].max(initial=0)) for arcs in _chunks(reserve, priced)])
    return_cost = return_cost_above(most, table.n_children)
    potential = residual_potentials(network.tails, network.heads, network.capacities, costs, arc_flow,
                                    return_cost, network.source, network.sink, not_child)
    if potential is None:
        raise ArithmeticError("the residual network has a negative cycle: the flow given was not optimal")
    del network, costs, arc_flow
    negative = []
    for arcs in _chunks(reserve, priced):
        # a left-out arc's head in the same numbering: the group and provider nodes depend on the capacities alone
        part = Ends(node_of[reserve.child[arcs]], reserve.provider[arcs],
                    solved.child_need, solved.child_council, solved.provider_ids)
        heads = candidate_heads(part, capacity_families(part, capacities))
        reduced = (-reserve.points[arcs].astype(np.int64)  # no priority: never cut
                   + potential[2 + part.child.astype(np.int64)] - potential[heads])
        negative.append(arcs[reduced < 0])
    return Prices(np.concatenate(negative), potential, return_cost)


PRICING_CHUNK = 2_000_000  # left-out arcs priced at a time, so the whole network is never laid out at once


def _chunks(reserve: ReserveArcs, priced: np.ndarray | None) -> Iterator[np.ndarray]:
    """The positions of the reserve's arcs to price, ascending, ``PRICING_CHUNK`` of the reserve at a time."""
    for start in range(0, len(reserve.child), PRICING_CHUNK):
        stop = min(start + PRICING_CHUNK, len(reserve.child))
        yield np.arange(start, stop) if priced is None else start + np.flatnonzero(priced[start:stop])
