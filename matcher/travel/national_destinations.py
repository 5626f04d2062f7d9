"""A register's settings prepared once for the national travel model: the terms of a journey that depend on its
destination alone (the density within 5 km, d5, and the end table's row nearest the setting, with that row's
spread), so that a shortlist's journeys from one home work out only what depends on the home and the pair.

``NationalDestinations.journeys_from`` gives exactly ``NationalTravel.estimate`` of the same journeys (one origin
given once, as a shortlist gives it), value for value: the same formula (``journeys_from_terms``) fed the same
figures, looked up once instead of journey by journey.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from geodata.density import DensityGrid
from matcher.travel.ends import TABLE_LOG_KM, EndTable, end_terms
from matcher.travel.national_compiled import log_driving_sum
from matcher.travel.national_formula import (
    CIRCUITY,
    DENSITY_BANDS,
    DISTANCE_BANDS_KM,
    LOG_KNOTS_ARRAY,
    TravelFit,
    journey_densities,
    journeys_from_terms,
)
from matcher.travel.protocol import TravelEstimate
from matcher.travel.single_origin import journey_minutes, journey_terms


@dataclass(frozen=True, eq=False)
class NationalDestinations:
    """Settings (eastings, northings) with their own travel terms, for journeys from one origin at a time."""

    density: DensityGrid
    ends: EndTable | None  # the routed journeys' residuals at each LSOA, where the matrix is loaded
    fit: TravelFit
    easting: np.ndarray
    northing: np.ndarray
    d5: np.ndarray  # LSOA centroids within 5 km of each setting (``geodata.density``)
    end_rows: np.ndarray | None  # each setting's row of the end table (-1: none near), None without the matrix

    @classmethod
    def of(cls, density: DensityGrid, ends: EndTable | None, fit: TravelFit, easting: np.ndarray,
           northing: np.ndarray) -> "NationalDestinations":
        """Work out each setting's own terms."""
        easting, northing = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
        return cls(density, ends, fit, easting, northing, density.count(easting, northing, 5.0),
                   None if ends is None else ends.nearest(easting, northing))

    def journeys_from(self, easting: float, northing: float, at: np.ndarray) -> TravelEstimate:
        """The journeys from one origin to the settings at positions ``at`` (``NationalTravel.estimate``'s)."""
        if self.ends is not None and self.end_rows is not None and self.ends.spread is not None:
            return self._corrected_journeys_from(float(easting), float(northing), at)
        origin_easting, origin_northing = np.full(len(at), float(easting)), np.full(len(at), float(northing))
        de, dn = self.easting[at], self.northing[at]
        o5 = np.full(len(at), self.density.count_at(easting, northing, 5.0))
        densities = journey_densities(self.density, origin_easting, origin_northing, de, dn, (o5, self.d5[at]))
        if self.ends is None or self.end_rows is None:
            return journeys_from_terms(self.fit, densities)
        rows = (np.full(len(at), self.ends.nearest_one(easting, northing)), self.end_rows[at])
        return journeys_from_terms(self.fit, densities, end_terms(self.ends, origin_easting, origin_northing, de, dn,
                                                                  rows))

    def _corrected_journeys_from(self, easting: float, northing: float, at: np.ndarray) -> TravelEstimate:
        """``journeys_from`` with the routed matrix's end corrections: numpy's logarithms, arctangents, hypotenuses
        and exponentials around the compiled passes of ``matcher.travel.single_origin`` (the same values)."""
        ends, fit = self.ends, self.fit
        assert ends is not None and ends.spread is not None and self.end_rows is not None
        de, dn = self.easting[at], self.northing[at]
        dx, dy = de - easting, dn - northing
        km = np.hypot(dx, dy) / 1000.0
        log_km, bearing = np.log(np.maximum(km, 0.2)), np.arctan2(dy, dx)
        o5, d5 = self.density.count_at(easting, northing, 5.0), self.d5[at]
        grid5, rows, columns = self.density.padded_grid(5.0)
        grid10 = self.density.padded_grid(10.0)[0]
        middle, m10, terms, cells, exponents, corrected = journey_terms(
            easting, northing, o5, ends.nearest_one(easting, northing), de, dn, d5,
            np.asarray(self.end_rows[at], dtype=np.int64), km, log_km, bearing, grid5, grid10, self._grid_origin,
            rows, columns, ends.toward, ends.around, TABLE_LOG_KM, ends.spread, ends.overall_spread,
            DISTANCE_BANDS_KM, DENSITY_BANDS, fit.cells["ends"])
        driving = np.exp(self._log_driving(log_km, o5, d5, middle, m10) + terms @ fit.end_weights)
        return TravelEstimate(*journey_minutes(driving, np.exp(exponents), cells, corrected, fit.cells["ends"],
                                               fit.cells["formula"], fit.access_minutes, km, CIRCUITY))

    def _log_driving(self, log_km: np.ndarray, o5: float, d5: np.ndarray, middle: np.ndarray,
                     m10: np.ndarray) -> np.ndarray:
        """``log_driving`` of one origin's journeys, given their ln km (``np.log(np.maximum(km, 0.2))``, as it takes
        it): the same logarithms and the same compiled sum, without its checks of shapes and types."""
        return log_driving_sum(self._coefficients, log_km, np.log1p(np.full(len(log_km), o5)),
                               np.log1p(d5).astype(float, copy=False), np.log1p(middle), np.log1p(m10),
                               LOG_KNOTS_ARRAY)

    @cached_property
    def _coefficients(self) -> np.ndarray:
        return np.asarray(self.fit.coefficients, dtype=float)

    @cached_property
    def _grid_origin(self) -> np.ndarray:
        return np.array([self.density.easting_min, self.density.northing_min, self.density.cell_m], dtype=float)
