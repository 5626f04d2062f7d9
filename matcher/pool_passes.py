"""Compiled passes over one child's need pool, each one loop instead of a dozen array operations: the settings
within a radius of the home (``NeedPool.within``) and the first few in the near misses' order
(``matcher.candidates.nearest``). Each keeps the arithmetic and the order of the array operations it replaces, so
it finds exactly what they found (``tests/matcher/test_pool_passes.py``)."""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def within_radius(located: np.ndarray, east: np.ndarray, north: np.ndarray, easting: float, northing: float,
                  radius_m: float) -> np.ndarray:
    """The ``located`` positions (in their order) whose point (``east``, ``north``, in the same order) lies within
    ``radius_m`` of (easting, northing): across^2 + up^2 <= radius^2."""
    reach = radius_m * radius_m
    found = np.empty(len(located), dtype=np.int64)
    count = 0
    for at in range(len(located)):
        across, up = east[at] - easting, north[at] - northing
        if across * across + up * up <= reach:
            found[count] = located[at]
            count += 1
    return found[:count].copy()


@numba.njit(cache=True, nogil=True)
def first_in_order(not_designated: np.ndarray, km: np.ndarray, provider_id: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` first by (not designated, km with unknown last, provider id), ties in position
    order (a stable sort's)."""
    length = len(km)
    chosen = np.empty(min(max(count, 0), length), dtype=np.int64)
    taken = np.zeros(length, dtype=np.bool_)
    for slot in range(len(chosen)):
        best, best_far, best_distance, best_id = -1, True, np.inf, 0
        for at in range(length):
            if taken[at]:
                continue
            distance = np.inf if np.isnan(km[at]) else km[at]
            far = not_designated[at]
            if best < 0 or (far, distance, provider_id[at]) < (best_far, best_distance, best_id):
                best, best_far, best_distance, best_id = at, far, distance, provider_id[at]
        chosen[slot] = best
        taken[best] = True
    return chosen
