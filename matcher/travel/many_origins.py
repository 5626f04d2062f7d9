"""The national model's journeys with the routed matrix's end corrections, each from its own origin to its own
destination (``corrected_journeys``): a candidate table's homes and settings (``NationalTravel.estimate_among``) and
a shortlist's one home and its settings (``NationalDestinations.journeys_from``), their arithmetic compiled: two
passes over the journeys (``journey_terms_among``, then ``single_origin.journey_minutes``) instead of some sixty
array operations each the length of them all.
Numpy keeps the logarithms, arctangents, hypotenuses and exponentials (its own, as ``national_compiled`` keeps them)
and the end weights' product, so each value is the one ``national_formula.journeys_from_terms`` gives, operation by
operation in the same order, with the same types; ``tests/matcher/travel/test_destinations.py`` holds them to the
model's own ``estimate`` bit for bit.
"""

import numba
import numpy as np

from geodata.density import DensityGrid, cell_value
from matcher.travel.end_reads import read_both_ends
from matcher.travel.ends import TABLE_LOG_KM, EndTable
from matcher.travel.national_compiled import log_driving_sum
from matcher.travel.national_formula import CIRCUITY, DENSITY_BANDS, DISTANCE_BANDS_KM, LOG_KNOTS_ARRAY, TravelFit
from matcher.travel.protocol import TravelEstimate
from matcher.travel.single_origin import journey_minutes

Ends = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # each journey's easting, northing, d5 and end-table row


def corrected_journeys(density: DensityGrid, ends: EndTable, fit: TravelFit, origins: Ends, destinations: Ends,
                       ) -> TravelEstimate:
    """The journeys with the routed matrix's end corrections (the ends' spreads loaded), each from its origin to its
    destination: numpy's logarithms, arctangents, hypotenuses and exponentials around the compiled passes
    (``journey_terms_among``, then ``single_origin.journey_minutes``)."""
    assert ends.spread is not None
    (oe, on, o5, origin_rows), (de, dn, d5, destination_rows) = origins, destinations
    dx, dy = de - oe, dn - on
    km = np.hypot(dx, dy) / 1000.0
    log_km, bearing = np.log(np.maximum(km, 0.2)), np.arctan2(dy, dx)
    grid5, rows, columns = density.padded_grid(5.0)
    grid10 = density.padded_grid(10.0)[0]
    grid_origin = np.array([density.easting_min, density.northing_min, density.cell_m], dtype=float)
    middle, m10, terms, cells, exponents, corrected = journey_terms_among(
        oe, on, o5, origin_rows, de, dn, d5, destination_rows, km, log_km, bearing, grid5, grid10, grid_origin, rows,
        columns, ends.toward, ends.around, TABLE_LOG_KM, ends.spread, ends.overall_spread, DISTANCE_BANDS_KM,
        DENSITY_BANDS, fit.cells["ends"])
    log_driving = log_driving_sum(np.asarray(fit.coefficients, dtype=float), log_km, np.log1p(o5),
                                  np.log1p(d5).astype(float, copy=False), np.log1p(middle), np.log1p(m10),
                                  LOG_KNOTS_ARRAY)
    driving = np.exp(log_driving + terms @ fit.end_weights)
    return TravelEstimate(*journey_minutes(driving, np.exp(exponents), cells, corrected, fit.cells["ends"],
                                           fit.cells["formula"], fit.access_minutes, km, CIRCUITY))


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
