"""The national travel formula's arithmetic between its logarithms, compiled: ln T summed term by term in one pass
over the journeys instead of some forty array operations each the length of them all.

``log_driving_sum`` is the sum of ``TravelFit.coefficients`` times ``national_formula.design_terms``, in the
terms' order and with numpy's elementwise arithmetic (no fused multiply-adds), so each value is the one the array
operations give, bit for bit; the logarithms themselves stay numpy's (its vectorised log and log1p round
differently from the C library's). ``tests/matcher/travel/test_national_compiled.py`` holds the two to it.
"""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def log_driving_sum(coefficients: np.ndarray, log_km: np.ndarray, lo: np.ndarray, ld: np.ndarray, lm: np.ndarray,
                    l10: np.ndarray, log_knots: np.ndarray) -> np.ndarray:
    """sum_i coefficients[i] x term_i over the terms 1, l, max(0, l - ln k) for each knot k, Lo, Ld, Lm, L10, and
    Lo l, Ld l, Lm l, L10 l (``design_terms``' order), added left to right."""
    exponent = np.empty(len(log_km))
    knots = len(log_knots)
    for journey in range(len(log_km)):
        length = log_km[journey]
        total = coefficients[0] * 1.0
        total += coefficients[1] * length
        for knot in range(knots):
            past = length - log_knots[knot]
            total += coefficients[2 + knot] * (past if past >= 0.0 or past != past else 0.0)  # np.maximum(0, x)
        at = 2 + knots
        logs = (lo[journey], ld[journey], lm[journey], l10[journey])
        for term in range(4):
            total += coefficients[at + term] * logs[term]
        for term in range(4):
            total += coefficients[at + 4 + term] * (logs[term] * length)
        exponent[journey] = total
    return exponent
