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


@numba.njit(cache=True, nogil=True)
def balance_by_shortest_paths(tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, costs: np.ndarray,
                              flow: np.ndarray, potential: np.ndarray, excess: np.ndarray) -> int:
    """Successive shortest paths: move every node's ``excess`` (positive: more in than out; negative: a deficit)
    to the deficits along shortest residual paths, in exact integers. ``flow``, ``potential`` and ``excess`` are
    updated in place.

    ``potential`` must leave every residual arc a non-negative reduced cost ``cost + p[tail] - p[head]``: each
    round is then one Dijkstra from every node with excess at once, stopped at the first deficit it settles; the
    settled nodes' potentials move by their distance (less the deficit's), which keeps every reduced cost
    non-negative, and the path found (all reduced costs 0) carries as much as it can. The flow that results is of
    least cost among those with its balances, and ``potential`` proves it. Returns the number of paths, -1 where
    some excess cannot reach a deficit, or -2 where a residual arc had a negative reduced cost."""
    n, m = len(potential), len(tails)
    indptr = np.zeros(n + 1, dtype=np.int64)  # each arc listed at its tail (forward, 2 arc) and head (back, 2 arc + 1)
    for arc in range(m):
        indptr[tails[arc] + 1] += 1
        indptr[heads[arc] + 1] += 1
    for node in range(n):
        indptr[node + 1] += indptr[node]
    fill = indptr[:-1].copy()
    incident = np.empty(2 * m, dtype=np.int64)
    for arc in range(m):
        incident[fill[tails[arc]]] = 2 * arc
        fill[tails[arc]] += 1
        incident[fill[heads[arc]]] = 2 * arc + 1
        fill[heads[arc]] += 1
    unreached = np.int64(2) ** 62
    distance = np.full(n, unreached, dtype=np.int64)
    via = np.full(n, -1, dtype=np.int64)  # the residual arc (2 arc, or 2 arc + 1 backwards) a node was reached by
    settled = np.zeros(n, dtype=np.bool_)
    touched = np.empty(n, dtype=np.int64)
    heap = np.empty(n, dtype=np.int64)  # binary heap of nodes by distance, with each node's place in it
    place = np.full(n, -1, dtype=np.int64)
    paths = 0
    while True:
        size = n_touched = 0
        for node in range(n):
            if excess[node] > 0:
                distance[node] = 0
                touched[n_touched] = node
                n_touched += 1
                size = _heap_sift_up(heap, place, distance, size, node)
        if size == 0:
            return paths
        target = -1
        while size:
            node = heap[0]
            size = _heap_pop(heap, place, distance, size)
            settled[node] = True
            if excess[node] < 0:
                target = node
                break
            for entry in incident[indptr[node]:indptr[node + 1]]:
                arc = entry >> 1
                if entry & 1:
                    if flow[arc] <= 0:
                        continue
                    other, reduced = tails[arc], -costs[arc] + potential[node] - potential[tails[arc]]
                else:
                    if flow[arc] >= capacities[arc]:
                        continue
                    other, reduced = heads[arc], costs[arc] + potential[node] - potential[heads[arc]]
                if reduced < 0:
                    return -2
                if settled[other] or distance[node] + reduced >= distance[other]:
                    continue
                if distance[other] == unreached:
                    touched[n_touched] = other
                    n_touched += 1
                distance[other], via[other] = distance[node] + reduced, entry
                size = _heap_sift_up(heap, place, distance, size, other)
        if target < 0:
            return -1
        amount, start = -excess[target], target  # the path back to the excess it starts from
        while via[start] >= 0:
            arc = via[start] >> 1
            amount = min(amount, flow[arc] if via[start] & 1 else capacities[arc] - flow[arc])
            start = heads[arc] if via[start] & 1 else tails[arc]
        amount = min(amount, excess[start])
        node = target
        while via[node] >= 0:
            arc = via[node] >> 1
            if via[node] & 1:
                flow[arc] -= amount
                node = heads[arc]
            else:
                flow[arc] += amount
                node = tails[arc]
        excess[start] -= amount
        excess[target] += amount
        paths += 1
        last = distance[target]
        for rank in range(n_touched):
            node = touched[rank]
            if settled[node]:
                potential[node] += distance[node] - last
            distance[node], via[node], settled[node], place[node] = unreached, -1, False, -1


@numba.njit(cache=True)
def _heap_sift_up(heap: np.ndarray, place: np.ndarray, key: np.ndarray, size: int, node: int) -> int:
    """Put ``node`` (its key lowered, or a new node) where it belongs; returns the heap's size (one more where the
    node was not in it)."""
    if place[node] < 0:
        heap[size] = node
        place[node] = size
        size += 1
    at = place[node]
    while at > 0:
        parent = (at - 1) // 2
        if key[heap[parent]] <= key[node]:
            break
        heap[at] = heap[parent]
        place[heap[at]] = at
        at = parent
    heap[at] = node
    place[node] = at
    return size


@numba.njit(cache=True)
def _heap_pop(heap: np.ndarray, place: np.ndarray, key: np.ndarray, size: int) -> int:
    """Take the heap's first node off (its place set to -2: it has left); returns the heap's size."""
    place[heap[0]] = -2
    size -= 1
    if size == 0:
        return 0
    node = heap[size]
    at = 0
    while True:
        child = 2 * at + 1
        if child >= size:
            break
        if child + 1 < size and key[heap[child + 1]] < key[heap[child]]:
            child += 1
        if key[heap[child]] >= key[node]:
            break
        heap[at] = heap[child]
        place[heap[at]] = at
        at = child
    heap[at] = node
    place[node] = at
    return size
