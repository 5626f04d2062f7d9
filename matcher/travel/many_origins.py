"""The national model's journeys between many origins and destinations, pair by pair (``estimate_among``: a
candidate table's homes and settings), their arithmetic compiled: two passes over the journeys instead of some
sixty array operations each the length of them all.

``journey_terms_among`` reads each journey's own origin (its density, end-table row and spread, journey by
journey); ``single_origin.journey_terms`` is it with one origin for all, and the second pass is that module's
``journey_minutes``.
Numpy keeps the logarithms, arctangents, hypotenuses and exponentials (its own, as ``national_compiled`` keeps them)
and the end weights' product, so each value is the one ``national_formula.journeys_from_terms`` gives, operation by
operation in the same order, with the same types; ``tests/matcher/travel/test_destinations.py`` holds them to the
model's own ``estimate`` bit for bit.
"""

import numba
import numpy as np

from geodata.density import cell_value
from matcher.travel.end_reads import read_both_ends


@numba.njit(cache=True, nogil=True)
def _band(edges: np.ndarray, value: float) -> int:
    """``np.searchsorted(edges, value, side="right")`` (NaN past every edge, as numpy sorts it)."""
    at = 0
    while at < len(edges) and not value < edges[at]:
        at += 1
    return at


@numba.njit(cache=True, nogil=True)
def journey_terms_among(oe: np.ndarray, on: np.ndarray, o5: np.ndarray, origin_rows: np.ndarray, de: np.ndarray,
                        dn: np.ndarray, d5: np.ndarray, destination_rows: np.ndarray, km: np.ndarray,
                        log_km: np.ndarray, bearing: np.ndarray, grid5: np.ndarray, grid10: np.ndarray,
                        grid_origin: np.ndarray, rows: int, columns: int, toward: np.ndarray, around: np.ndarray,
                        table_log_km: np.ndarray, spread: np.ndarray, overall_spread: float,
                        distance_bands: np.ndarray, density_bands: np.ndarray, ends_cells: np.ndarray,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each journey's middle density and m10 (``journey_densities``), end terms (``ends.end_terms``), cell of the
    fitted cells (``band_cell``), its ends cell's q10 and q90 times its spread (``with_spread_band``'s exponents),
    and whether it is corrected."""
    journeys = len(de)
    middle, m10 = np.empty(journeys), np.empty(journeys)
    cells = np.empty((journeys, 2), dtype=np.int64)
    exponents = np.empty((journeys, 2))
    corrected = np.empty(journeys, dtype=np.bool_)
    easting_min, northing_min, cell_m = grid_origin[0], grid_origin[1], grid_origin[2]
    half = np.float32(2.0)
    overall = np.float32(overall_spread)
    for journey in range(journeys):
        me, mn = (oe[journey] + de[journey]) / 2.0, (on[journey] + dn[journey]) / 2.0
        m5 = cell_value(grid5, me, mn, easting_min, northing_min, cell_m, rows, columns)
        m10[journey] = cell_value(grid10, me, mn, easting_min, northing_min, cell_m, rows, columns)
        middle[journey] = (o5[journey] + m5 + d5[journey]) / 3.0
        distance_cell, density_cell = _band(distance_bands, km[journey]), _band(density_bands, middle[journey])
        cells[journey, 0], cells[journey, 1] = distance_cell, density_cell
        origin_row, row = origin_rows[journey], destination_rows[journey]
        origin_spread = spread[origin_row] if origin_row >= 0 else overall
        journey_spread = (origin_spread + (spread[row] if row >= 0 else overall)) / half  # float32, as numpy's
        exponents[journey, 0] = ends_cells[distance_cell, density_cell, 1] * journey_spread
        exponents[journey, 1] = ends_cells[distance_cell, density_cell, 2] * journey_spread
        located = np.isfinite(log_km[journey]) and np.isfinite(bearing[journey])
        corrected[journey] = located and (origin_row >= 0 or row >= 0)
    terms = np.empty((journeys, 4))
    read_both_ends(toward, around, table_log_km, origin_rows, destination_rows, bearing, log_km, terms)
    return middle, m10, terms, cells, exponents, corrected
