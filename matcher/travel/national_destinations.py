"""A register's settings prepared once for the national travel model: the terms of a journey that depend on its
destination alone (the density within 5 km, d5, and the end table's row nearest the setting, with that row's
spread), so that a shortlist's journeys from one home work out only what depends on the home and the pair.

``NationalDestinations.journeys_from`` gives exactly ``NationalTravel.estimate`` of the same journeys (one origin
given once, as a shortlist gives it), value for value: the same formula (``journeys_from_terms``) fed the same
figures, looked up once instead of journey by journey.
"""

from dataclasses import dataclass

import numpy as np

from geodata.density import DensityGrid
from matcher.travel.ends import EndTable, end_terms
from matcher.travel.many_origins import corrected_journeys
from matcher.travel.national_formula import (
    TravelFit,
    journey_densities,
    journeys_from_terms,
)
from matcher.travel.protocol import TravelEstimate


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
        """``journeys_from`` with the routed matrix's end corrections (``many_origins.corrected_journeys``), the
        origin the same for every journey."""
        assert self.ends is not None and self.end_rows is not None
        n = len(at)
        origin = (np.full(n, easting), np.full(n, northing), np.full(n, self.density.count_at(easting, northing, 5.0)),
                  np.full(n, self.ends.nearest_one(easting, northing), dtype=np.int64))
        return corrected_journeys(self.density, self.ends, self.fit, origin, (
            self.easting[at], self.northing[at], self.d5[at], np.asarray(self.end_rows[at], dtype=np.int64)))
