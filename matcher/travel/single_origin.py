"""The national model's journeys from one origin (a shortlist's home) to prepared settings, their arithmetic
compiled: two passes over the journeys instead of some sixty array operations each the length of them all.

``NationalDestinations.journeys_from`` reads the end table and the density grids and works out each journey's
cell and band here, between the steps numpy keeps: the logarithms, arctangents, hypotenuses and exponentials (its
own, as ``national_compiled`` keeps them) and the end weights' product. Each value is the one
``national_formula.journeys_from_terms`` gives, operation by operation in the same order, with the same types (the
ends' spreads are float32, as ``ends.end_spread`` keeps them); ``tests/matcher/travel/test_destinations.py`` holds
them to the model's own ``estimate`` bit for bit.
"""

import numba
import numpy as np

from matcher.travel.many_origins import journey_terms_among
from matcher.travel.protocol import DISTANCE, ROUTED_ENDS


@numba.njit(cache=True, nogil=True)
def journey_terms(easting: float, northing: float, o5: float, origin_row: int, de: np.ndarray, dn: np.ndarray,
                  d5: np.ndarray, destination_rows: np.ndarray, km: np.ndarray, log_km: np.ndarray,
                  bearing: np.ndarray, grid5: np.ndarray, grid10: np.ndarray, grid_origin: np.ndarray, rows: int,
                  columns: int, toward: np.ndarray, around: np.ndarray, table_log_km: np.ndarray,
                  spread: np.ndarray, overall_spread: float, distance_bands: np.ndarray, density_bands: np.ndarray,
                  ends_cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                   np.ndarray]:
    """``many_origins.journey_terms_among`` with one origin for every journey (its easting, northing, 5 km density
    and end-table row)."""
    journeys = len(de)
    return journey_terms_among(np.full(journeys, easting), np.full(journeys, northing), np.full(journeys, o5),
                               np.full(journeys, origin_row, dtype=np.int64), de, dn, d5, destination_rows, km,
                               log_km, bearing, grid5, grid10, grid_origin, rows, columns, toward, around,
                               table_log_km, spread, overall_spread, distance_bands, density_bands, ends_cells)


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
