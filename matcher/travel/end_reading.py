"""Reading an end table's residuals journey by journey, compiled: the same figures as ``EndTable.read`` (numpy, the
reference), operation for operation (``np.mod``'s sign rule, the float32 tables widened to float64), from each
journey's position among the table's distances (``np.interp``'s, found once for both ends in numpy), so each
journey's correction is the same to the last bit; tests hold the two to the same arrays. One pass a journey
instead of some thirty passes over every journey."""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, error_model="numpy")
def read_residuals(rows: np.ndarray, bearing: np.ndarray, log_km: np.ndarray, position: np.ndarray,
                   toward: np.ndarray, around: np.ndarray, bearings: int,
                   distances: int) -> tuple[np.ndarray, np.ndarray]:
    """R(toward ``bearing``) and R at ``log_km`` for each row (0 where the row is -1 or the journey unknown), from
    the tables ``toward`` (rows x bearings x distances) and ``around`` (rows x distances), ravelled; ``position``:
    each journey's place among the distances, clipped (``np.interp`` over their positions)."""
    n = len(rows)
    full_turn = 2 * np.pi
    toward_out = np.zeros(n, dtype=np.float64)
    around_out = np.zeros(n, dtype=np.float64)
    for at in range(n):
        if rows[at] < 0 or not np.isfinite(bearing[at]) or not np.isfinite(log_km[at]):
            continue
        k0 = min(int(position[at]), distances - 2)
        fk = position[at] - k0
        turned = np.fmod(bearing[at], full_turn)  # as np.mod: the remainder with the divisor's sign, +0 for none
        if turned != 0.0:
            if turned < 0.0:
                turned += full_turn
        else:
            turned = 0.0
        turn = turned / full_turn * bearings
        b0 = int(np.floor(turn)) % bearings
        b1, fb = (b0 + 1) % bearings, turn - np.floor(turn)
        row = rows[at]
        at0, at1 = (row * bearings + b0) * distances + k0, (row * bearings + b1) * distances + k0
        toward_out[at] = ((1 - fb) * ((1 - fk) * toward[at0] + fk * toward[at0 + 1])
                          + fb * ((1 - fk) * toward[at1] + fk * toward[at1 + 1]))
        around_at = row * distances + k0
        around_out[at] = (1 - fk) * around[around_at] + fk * around[around_at + 1]
    return toward_out, around_out
