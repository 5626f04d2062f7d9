"""Shortest distances in a network with negative arc costs, compiled with numba (``cache=True``: a later process
loads the compiled kernel from numba's cache, beside this file or, where that cannot be written, in the user's
cache folder or ``NUMBA_CACHE_DIR``). Imported only by the code that needs it, so numba loads only when it runs."""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def shortest_from_roots(indptr: np.ndarray, heads: np.ndarray, costs: np.ndarray,
                        rooted: np.ndarray) -> tuple[np.ndarray, bool]:
    """Shortest distances from a root with a 0-cost arc to each ``rooted`` node, over the arcs given as CSR
    (``indptr`` by tail; ``heads``, ``costs``), by a first-in first-out queue (Bellman-Ford-Moore). Unreached nodes
    keep a distance of 2**62. False where a negative cycle is found (a node relaxed once per node)."""
    n = len(indptr) - 1
    unreached = np.int64(2) ** 62
    distance = np.full(n, unreached, dtype=np.int64)
    queued = np.zeros(n, dtype=np.bool_)
    relaxed = np.zeros(n, dtype=np.int64)
    queue = np.empty(n + 1, dtype=np.int64)  # circular: a node is in it at most once
    head = tail = 0
    for node in range(n):
        if rooted[node]:
            distance[node] = 0
            queue[tail] = node
            tail += 1
            queued[node] = True
    size = tail
    while size:
        node = queue[head]
        head = (head + 1) % (n + 1)
        size -= 1
        queued[node] = False
        here = distance[node]
        for arc in range(indptr[node], indptr[node + 1]):
            target = heads[arc]
            through = here + costs[arc]
            if through < distance[target]:
                distance[target] = through
                relaxed[target] += 1
                if relaxed[target] > n:
                    return distance, False
                if not queued[target]:
                    queue[tail] = target
                    tail = (tail + 1) % (n + 1)
                    size += 1
                    queued[target] = True
    return distance, True


@numba.njit(cache=True, nogil=True)
def residual_arcs(n_nodes: int, tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, costs: np.ndarray,
                  flow: np.ndarray, extra_tails: np.ndarray, extra_heads: np.ndarray,
                  extra_costs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The residual network of ``flow`` as CSR by tail (``indptr``, heads, costs), laid out in one counting pass:
    each arc with room left (its cost), each arc with flow backwards (minus its cost), then the ``extra`` arcs;
    a node's arcs come in that order, each kind in arc order."""
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    for arc in range(len(tails)):
        if flow[arc] < capacities[arc]:
            indptr[tails[arc] + 1] += 1
        if flow[arc] > 0:
            indptr[heads[arc] + 1] += 1
    for arc in range(len(extra_tails)):
        indptr[extra_tails[arc] + 1] += 1
    for node in range(n_nodes):
        indptr[node + 1] += indptr[node]
    fill = indptr[:-1].copy()
    out_heads = np.empty(indptr[n_nodes], dtype=np.int64)
    out_costs = np.empty(indptr[n_nodes], dtype=np.int64)
    for arc in range(len(tails)):
        if flow[arc] < capacities[arc]:
            place = fill[tails[arc]]
            out_heads[place], out_costs[place] = heads[arc], costs[arc]
            fill[tails[arc]] += 1
    for arc in range(len(tails)):
        if flow[arc] > 0:
            place = fill[heads[arc]]
            out_heads[place], out_costs[place] = tails[arc], -costs[arc]
            fill[heads[arc]] += 1
    for arc in range(len(extra_tails)):
        place = fill[extra_tails[arc]]
        out_heads[place], out_costs[place] = extra_heads[arc], extra_costs[arc]
        fill[extra_tails[arc]] += 1
    return indptr, out_heads, out_costs


LARGEST_COST = 2 ** 60  # int64: a path's cost stays below 2**63


def return_cost_above(most: int, n_children: int) -> int:
    """``M``: above the cost of any path of the whole network (``most``: its largest arc cost), so the return arc's
    ``-M`` puts one more child placed above any score."""
    big = (n_children + 1) * (most + 1) * 2 + 1
    if big * 4 >= LARGEST_COST:
        raise OverflowError("the pricing proof's costs would overflow 64-bit integers")
    return big


def residual_potentials(tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, costs: np.ndarray,
                        arc_flow: np.ndarray, return_cost: int, source: int, sink: int, rooted: np.ndarray,
                        ) -> np.ndarray | None:
    """Shortest distances in the residual network of ``arc_flow``, with the return arc sink -> source of cost
    ``-return_cost``, from a root with a 0-cost arc to every ``rooted`` node; None where the residual network has a
    negative cycle (the flow is not optimal: more could be placed, or placed at a lower cost)."""
    placed = int(arc_flow[heads == sink].sum())
    # the return arc sink -> source, and back where some flow goes round
    extra_tails = np.array([sink, source] if placed else [sink], dtype=np.int64)
    extra_heads = np.array([source, sink] if placed else [source], dtype=np.int64)
    extra_costs = np.array([-return_cost, return_cost] if placed else [-return_cost], dtype=np.int64)
    indptr, edge_heads, edge_costs = residual_arcs(len(rooted), tails, heads, capacities, costs, arc_flow,
                                                   extra_tails, extra_heads, extra_costs)
    distance, ok = shortest_from_roots(indptr, edge_heads, edge_costs, rooted)
    return distance if ok else None
