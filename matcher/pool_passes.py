"""Compiled passes over a need pool, each one loop instead of a dozen array operations: the settings within a
radius of each home (``NeedPool.within`` for one child, ``nearby_pairs`` for a block of the candidate table) and the
first few in the near misses' order (``matcher.candidates.nearest``). Each keeps the arithmetic and the order of the
array operations it replaces, so it finds exactly what they found (``tests/matcher/test_pool_passes.py``)."""

import numba
import numpy as np


def within_radius(located: np.ndarray, east: np.ndarray, north: np.ndarray, easting: float, northing: float,
                  radius_m: float) -> np.ndarray:
    """The ``located`` positions (in their order) whose point (``east``, ``north``, in the same order) lies within
    ``radius_m`` of (easting, northing): across^2 + up^2 <= radius^2."""
    return within_reach(np.array([easting]), np.array([northing]), np.array([radius_m]), east, north, located)[1]


@numba.njit(cache=True, nogil=True)
def within_reach(easting: np.ndarray, northing: np.ndarray, radius_m: np.ndarray, east: np.ndarray,
                 north: np.ndarray, located: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each origin's ``located`` positions whose point lies within its ``radius_m`` (across^2 + up^2 <= radius^2,
    as a k-d tree finds them), as (origin, position) pairs by origin, then in the positions' order."""
    count = 0
    for origin in range(len(easting)):
        limit = radius_m[origin] * radius_m[origin]
        for at in range(len(east)):
            across, up = east[at] - easting[origin], north[at] - northing[origin]
            count += across * across + up * up <= limit
    origins = np.empty(count, dtype=np.int64)
    positions = np.empty(count, dtype=np.int64)
    found = 0
    for origin in range(len(easting)):
        limit = radius_m[origin] * radius_m[origin]
        for at in range(len(east)):
            across, up = east[at] - easting[origin], north[at] - northing[origin]
            if across * across + up * up <= limit:
                origins[found] = origin
                positions[found] = located[at]
                found += 1
    return origins, positions


@numba.njit(cache=True, nogil=True)
def first_in_order(not_designated: np.ndarray, km: np.ndarray, provider_id: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` first by (not designated, km with unknown last, provider id), ties in position
    order (a stable sort's): one pass, each position set into the ranked few where it beats the last of them (a
    later position never passes an equal key, so ties keep their order)."""
    length = len(km)
    size = min(max(count, 0), length)
    chosen = np.empty(size, dtype=np.int64)
    far = np.empty(size, dtype=np.bool_)
    distances = np.empty(size)
    ids = np.empty(size, dtype=np.int64)
    filled = 0
    for at in range(length):
        distance = np.inf if np.isnan(km[at]) else km[at]
        key = (not_designated[at], distance, provider_id[at])
        if filled < size:
            slot = filled
            filled += 1
        elif size and key < (far[size - 1], distances[size - 1], ids[size - 1]):
            slot = size - 1  # the last of the few drops out
        else:
            continue
        while slot > 0 and key < (far[slot - 1], distances[slot - 1], ids[slot - 1]):
            chosen[slot], far[slot], distances[slot], ids[slot] = (chosen[slot - 1], far[slot - 1],
                                                                   distances[slot - 1], ids[slot - 1])
            slot -= 1
        chosen[slot], far[slot], distances[slot], ids[slot] = at, not_designated[at], distance, provider_id[at]
    return chosen
