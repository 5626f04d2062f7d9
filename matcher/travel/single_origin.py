"""The second compiled pass of the national model's corrected journeys (``many_origins.corrected_journeys``):
minutes, km by road and the band's ends from each journey's driving minutes, by the ends cell where corrected and
the formula cell elsewhere. ``tests/matcher/travel/test_destinations.py`` holds the journeys to the model's own
``estimate`` bit for bit."""

import numba
import numpy as np

from matcher.travel.protocol import DISTANCE, ROUTED_ENDS


@numba.njit(cache=True, nogil=True)
def journey_minutes(driving: np.ndarray, scaled: np.ndarray, cells: np.ndarray, corrected: np.ndarray,
                    ends_cells: np.ndarray, formula_cells: np.ndarray, access_minutes: float, km: np.ndarray,
                    circuity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Minutes, km by road and the band's ends from each journey's driving minutes, then the method
    (``TravelEstimate``'s fields in its order): the ends cell's band (``scaled``: exp of its q10 and q90 times the
    spread) where corrected, the formula cell's elsewhere (``with_spread_band``, ``with_band``)."""
    journeys = len(driving)
    minutes, low, high = np.empty(journeys), np.empty(journeys), np.empty(journeys)
    method = np.empty(journeys, dtype=np.int8)
    road_km = np.empty(journeys)
    for journey in range(journeys):
        distance_cell, density_cell = cells[journey, 0], cells[journey, 1]
        if corrected[journey]:
            by_ends = driving[journey] * ends_cells[distance_cell, density_cell, 0]
            minutes[journey] = access_minutes + by_ends
            low[journey] = access_minutes + by_ends * scaled[journey, 0]
            high[journey] = access_minutes + by_ends * scaled[journey, 1]
            method[journey] = ROUTED_ENDS
        else:
            plain = driving[journey] * formula_cells[distance_cell, density_cell, 0]
            minutes[journey] = access_minutes + plain
            low[journey] = access_minutes + plain * formula_cells[distance_cell, density_cell, 1]
            high[journey] = access_minutes + plain * formula_cells[distance_cell, density_cell, 2]
            method[journey] = DISTANCE
        road_km[journey] = km[journey] * circuity
    return minutes, road_km, low, high, method
