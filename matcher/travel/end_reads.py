"""Reading the end table (``matcher.travel.ends``) at journeys' bearings and distances, compiled: one pass over the
journeys instead of some thirty array operations each the length of them all.

Each read is the linear interpolation of ``EndTable.read``: the table's distance axis at ln km (``np.interp``'s
own arithmetic, clipped to the table), its bearing axis at the bearing turned into [0, 2 pi) (``np.mod``'s), and
the four cells around that point weighed as before, operation by operation in the same order, so every value is
the one the array operations gave (``tests/matcher/travel/test_end_reads.py`` holds them to it bit for bit).
"""

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def read_ends(toward: np.ndarray, around: np.ndarray, table_log_km: np.ndarray, rows: np.ndarray,
              bearing: np.ndarray, log_km: np.ndarray, turn_by: float, out: np.ndarray, column: int) -> None:
    """Write R(toward ``bearing + turn_by``) and R at ``log_km`` of each journey's ``rows`` (0 where the row is -1
    or the journey unknown) into ``out[:, column]`` and ``out[:, column + 1]``."""
    for journey in range(len(rows)):
        x = log_km[journey]
        k0, fk = _distance_place(x, table_log_km)
        _read_row(toward, around, rows[journey], bearing[journey] + turn_by, x, k0, fk, out, journey, column)


@numba.njit(cache=True, nogil=True)
def read_both_ends(toward: np.ndarray, around: np.ndarray, table_log_km: np.ndarray, origin_rows: np.ndarray,
                   destination_rows: np.ndarray, bearing: np.ndarray, log_km: np.ndarray, out: np.ndarray) -> None:
    """``read_ends`` of each journey's origin (at its bearing, into ``out[:, 0:2]``) and of its destination (turned
    by pi, into ``out[:, 2:4]``) in one pass, each journey's place on the distance axis found once for both."""
    for journey in range(len(origin_rows)):
        x, heading = log_km[journey], bearing[journey]
        k0, fk = _distance_place(x, table_log_km)
        _read_row(toward, around, origin_rows[journey], heading, x, k0, fk, out, journey, 0)
        _read_row(toward, around, destination_rows[journey], heading + np.pi, x, k0, fk, out, journey, 2)


@numba.njit(cache=True, nogil=True)
def _distance_place(x: float, table_log_km: np.ndarray) -> tuple[int, float]:
    """The cell below ln km ``x`` on the table's distance axis and how far into it (0, 0.0 for an unknown x)."""
    if not np.isfinite(x):
        return 0, 0.0
    distances = len(table_log_km)
    at = _interp_index(x, table_log_km)
    at = min(max(at, 0.0), distances - 1.0)
    k0 = min(int(at), distances - 2)
    return k0, at - k0


@numba.njit(cache=True, nogil=True)
def _read_row(toward: np.ndarray, around: np.ndarray, row: int, heading: float, x: float, k0: int, fk: float,
              out: np.ndarray, journey: int, column: int) -> None:
    """One journey's read of one row at ``heading``, ``k0`` and ``fk`` (``_distance_place`` of ``x``)."""
    if row < 0 or not np.isfinite(heading) or not np.isfinite(x):
        out[journey, column] = 0.0
        out[journey, column + 1] = 0.0
        return
    bearings = toward.shape[1]
    full_turn = 2 * np.pi
    turned = _remainder(heading, full_turn)  # np.mod: the remainder with the divisor's sign
    if turned != 0.0:
        if turned < 0:
            turned += full_turn
    else:
        turned = 0.0
    turn = turned / full_turn * bearings
    floor = math.floor(turn)
    b0 = int(floor) % bearings
    b1, fb = (b0 + 1) % bearings, turn - floor
    out[journey, column] = ((1 - fb) * ((1 - fk) * toward[row, b0, k0] + fk * toward[row, b0, k0 + 1])
                            + fb * ((1 - fk) * toward[row, b1, k0] + fk * toward[row, b1, k0 + 1]))
    out[journey, column + 1] = (1 - fk) * around[row, k0] + fk * around[row, k0 + 1]


@numba.njit(cache=True, nogil=True)
def _remainder(x: float, y: float) -> float:
    """``np.fmod(x, y)`` for y > 0, exactly, without the C library's loop where |x| < 2 y (every bearing read here,
    arctan2's and arctan2's + pi): x itself below y, else x less y with x's sign, which is exact (Sterbenz's lemma:
    y <= |x| <= 2 y), bar the sign of a zero, which the caller does not keep."""
    size = abs(x)
    if size < y:
        return x
    if size < 2.0 * y:
        return x - y if x > 0 else x + y
    return np.fmod(x, y)


@numba.njit(cache=True, nogil=True)
def _interp_index(x: float, points: np.ndarray) -> float:
    """``np.interp(x, points, arange(len(points)))`` for a finite x, with numpy's arithmetic."""
    last = len(points) - 1
    if x < points[0]:
        return 0.0
    if x > points[last]:
        return float(last)
    below = 0
    while below < last and points[below + 1] <= x:  # points[below] <= x < points[below + 1], or the last
        below += 1
    if below == last or points[below] == x:
        return float(below)
    slope = (float(below + 1) - float(below)) / (points[below + 1] - points[below])
    return slope * (x - points[below]) + float(below)
