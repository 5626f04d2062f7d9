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
