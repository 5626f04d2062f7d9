"""The national travel model: car journeys estimated from distance and density (the formula and its fitted
figures, ``matcher.travel.national_formula``), for wherever no road graph covers them.

Where the routed matrix is loaded (``../shared/data/travel``) the model also reads each journey's ends' own routed
journeys: ``matcher.travel.ends`` adds to ln T what the LSOAs at the origin and at the destination show of their
roads in that direction (an estuary, a coast, hills, a motorway), with its own bias and band (the ``ends`` cells),
and the explanation says "estimated from distance and nearby routed journeys". Its band widens with its ends'
spread (how far their own routed journeys stray from their mean, ``matcher.travel.ends.end_spread``): the cells
hold the 10th and 90th percentiles of ln(actual / corrected) over that spread, so a journey between places whose
roads surprise is given the wider band it needs. Without the matrix (the embedded demo) the model is the formula
with its own bias and band (the ``formula`` cells).

Its reach (how far a journey within a cap could lie) is sampled from the model itself;
``matcher.travel.national_fitting`` fits the figures.
"""

import bisect
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from geodata.density import DensityGrid
from matcher.travel.ends import EndTable, end_table, end_terms
from matcher.travel.many_origins import corrected_journeys
from matcher.travel.national_destinations import NationalDestinations
from matcher.travel.national_formula import (
    TravelFit,
    journey_densities,
    journeys_from_terms,
    km_by_road,
    log_driving,
    packaged_fit,
)
from matcher.travel.protocol import TravelEstimate


@dataclass(frozen=True, eq=False)
class NationalTravel:
    """Car journeys estimated from distance and density, for wherever no road graph covers them."""

    density: DensityGrid
    ends: EndTable | None = None  # the routed journeys' residuals at each LSOA, where the matrix is loaded
    reach_table: np.ndarray | None = None  # ``fastest_low_minutes`` as found before (a cache's), else sampled
    fit: TravelFit = field(default_factory=packaged_fit)
    _reaches: dict = field(default_factory=dict, repr=False)  # (density class, minutes) -> reach_km

    @property
    def name(self) -> str:
        return ("national travel model (distance, density and routed journeys from each end)" if self.ends
                is not None else "national travel model (distance and density)")

    @property
    def corrections(self) -> str:
        """One line naming the corrections this model applies, and where their figures come from."""
        ends = ("end corrections from the routed journeys of each end's LSOA (the routed matrix loaded)"
                if self.ends is not None else "no end corrections (no routed matrix loaded: give --data, a folder "
                "with travel/, for them)")
        return (f"bias and 10th-90th percentile band by distance and density, {self.fit.access_minutes:.1f} "
                f"minutes' access a journey; {ends}; figures from {self.fit.source}")

    def estimate(self, origin_easting: np.ndarray, origin_northing: np.ndarray, destination_easting: np.ndarray,
                 destination_northing: np.ndarray, end_rows: tuple[np.ndarray, np.ndarray] | None = None,
                 end_counts: tuple[np.ndarray, np.ndarray] | None = None) -> TravelEstimate:
        """The journeys; ``end_rows``, where given, are each journey's ends' rows of the end table (``end_rows_of``
        for its places, laid out journey by journey), so the ends need not be looked up again; ``end_counts`` are
        their densities within 5 km (o5 and d5), counted place by place."""
        if self.ends is None:
            return self._formula_estimate(origin_easting, origin_northing, destination_easting,
                                          destination_northing)
        oe, on, de, dn = np.broadcast_arrays(*(np.asarray(values, dtype=float) for values in (
            origin_easting, origin_northing, destination_easting, destination_northing)))
        return journeys_from_terms(self.fit, journey_densities(self.density, oe, on, de, dn, end_counts),
                                   end_terms(self.ends, oe, on, de, dn, end_rows))

    def _formula_estimate(self, origin_easting: np.ndarray, origin_northing: np.ndarray,
                          destination_easting: np.ndarray, destination_northing: np.ndarray) -> TravelEstimate:
        """The formula alone (no routed journeys loaded), one origin counted once."""
        oe, on, de, dn = (np.asarray(values, dtype=float) for values in (
            origin_easting, origin_northing, destination_easting, destination_northing))  # broadcast as they meet
        km = np.hypot(de - oe, dn - on) / 1000.0
        me, mn = (oe + de) / 2.0, (on + dn) / 2.0
        if oe.size == 1 and on.size == 1:  # one origin (a shortlist): count it once
            o5 = np.full(km.shape, self.density.count_at(float(oe.ravel()[0]), float(on.ravel()[0]), 5.0))
        else:
            o5 = np.broadcast_to(self.density.count(oe, on, 5.0), km.shape)
        d5 = self.density.count(de, dn, 5.0)
        m5, m10 = self.density.count_radii(me, mn, (5.0, 10.0))
        return journeys_from_terms(self.fit, (km, o5, d5, (o5 + m5 + d5) / 3.0, m10))

    def destinations(self, easting: np.ndarray, northing: np.ndarray) -> NationalDestinations:
        """The places with their own density and end-table row (and its spread) found once."""
        return NationalDestinations.of(self.density, self.ends, self.fit, easting, northing)

    def end_rows_of(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray | None:
        """Each place's row of the end table (None without the routed matrix)."""
        return None if self.ends is None else self.ends.nearest(easting, northing)

    def estimate_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                       origin_at: np.ndarray, destination_at: np.ndarray) -> TravelEstimate:
        """The journeys, each place's LSOA of the end table and its density found once (not journey by journey);
        with the ends' spreads loaded, in the compiled passes of ``matcher.travel.many_origins`` (the same values)."""
        home_rows, setting_rows = self.end_rows_of(*origins), self.end_rows_of(*destinations)
        if (self.ends is not None and self.ends.spread is not None and home_rows is not None
                and setting_rows is not None):
            return self._corrected_among(origins, destinations, origin_at, destination_at, home_rows, setting_rows)
        rows = None if home_rows is None or setting_rows is None else (home_rows[origin_at],
                                                                        setting_rows[destination_at])
        counts = (self.density.count(*origins, 5.0)[origin_at], self.density.count(*destinations, 5.0)[destination_at])
        return self.estimate(origins[0][origin_at], origins[1][origin_at], destinations[0][destination_at],
                             destinations[1][destination_at], end_rows=rows, end_counts=counts)

    def _corrected_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                         origin_at: np.ndarray, destination_at: np.ndarray, home_rows: np.ndarray,
                         setting_rows: np.ndarray) -> TravelEstimate:
        """``estimate_among`` with the routed matrix's end corrections (``many_origins.corrected_journeys``)."""
        assert self.ends is not None
        oe, on = (np.asarray(values, dtype=float)[origin_at] for values in origins)
        de, dn = (np.asarray(values, dtype=float)[destination_at] for values in destinations)
        o5, d5 = self.density.count(*origins, 5.0)[origin_at], self.density.count(*destinations, 5.0)[destination_at]
        return corrected_journeys(self.density, self.ends, self.fit,
                                  (oe, on, o5, np.asarray(home_rows, dtype=np.int64)[origin_at]),
                                  (de, dn, d5, np.asarray(setting_rows, dtype=np.int64)[destination_at]))

    def remember_destinations(self, easting: np.ndarray, northing: np.ndarray) -> None:
        """Places journeys will often start or end at (a register's settings, a cohort's homes): their ends' LSOAs
        are found once, not journey by journey."""
        if self.ends is not None:
            self.ends.remember(easting, northing)

    def distance_km(self, origin_easting: np.ndarray, origin_northing: np.ndarray,
                    destination_easting: np.ndarray, destination_northing: np.ndarray) -> np.ndarray:
        return km_by_road(np.hypot(np.asarray(destination_easting, dtype=float) - origin_easting,
                                   np.asarray(destination_northing, dtype=float) - origin_northing) / 1000.0)

    def reach_km(self, minutes: float, easting: float | None = None, northing: float | None = None) -> float:
        """The farthest straight-line km a journey whose band starts within ``minutes`` could lie, from an origin
        (or from anywhere): from the fastest band-low the model gives real journeys at each distance, from origins
        as built-up as this one (``REACH_SAMPLES`` origins of each density class drawn by population, a journey in
        a random direction at each distance), with a margin of ``REACH_MARGIN``, never shrinking with time."""
        density_class = None if easting is None or northing is None else bisect.bisect_right(
            REACH_DENSITY_CLASSES, self.density.count_at(easting, northing, 5.0))
        key = (density_class, minutes)
        reach = self._reaches.get(key)
        if reach is None:
            classes = self.fastest_low_minutes
            fastest = classes.min(axis=0) if density_class is None else classes[density_class]
            within = np.flatnonzero(fastest <= minutes)
            reach = float(REACH_KM[min(within[-1] + 1, len(REACH_KM) - 1)]) if len(within) else float(REACH_KM[1])
            if len(self._reaches) < MAX_REACHES_KEPT:
                self._reaches[key] = reach
        return reach

    def reach_km_of(self, minutes: np.ndarray, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        """``reach_km`` for many origins at once, each with its own cap."""
        density_class = np.digitize(self.density.count(easting, northing, 5.0), REACH_DENSITY_CLASSES)
        fastest = self.fastest_low_minutes[density_class]  # origins x distances, non-decreasing along a row
        last = (fastest <= np.asarray(minutes, dtype=float)[:, None]).sum(axis=1)  # how many distances are within
        return REACH_KM[np.clip(last, 1, len(REACH_KM) - 1)]

    @cached_property
    def fastest_low_minutes(self) -> np.ndarray:
        """Per origin density class (rows) and distance (columns of ``REACH_KM``): the fastest band-low minutes."""
        if self.reach_table is not None:
            return self.reach_table
        rng = np.random.default_rng(REACH_SEED)
        grid = self.density.counts[5.0].ravel()
        classes = np.digitize(grid, REACH_DENSITY_CLASSES)
        fastest = np.full((len(REACH_DENSITY_CLASSES) + 1, len(REACH_KM)), 0.0)
        for group in range(len(REACH_DENSITY_CLASSES) + 1):
            weights = np.where(classes == group, grid + (group == 0), 0.0)  # people live in the empty class too
            if weights.sum() <= 0:
                continue
            cells = rng.choice(grid.size, REACH_SAMPLES, p=weights / weights.sum())
            row, column = np.divmod(cells, self.density.counts[5.0].shape[1])
            easting = self.density.easting_min + (column + rng.uniform(0, 1, len(cells))) * self.density.cell_m
            northing = self.density.northing_min + (row + rng.uniform(0, 1, len(cells))) * self.density.cell_m
            # every distance's journeys estimated at once (one row a distance): the bearings are the same draws, in
            # the same order, as one distance after another, and each journey's estimate is its own
            bearing = rng.uniform(0.0, 2 * np.pi, (len(REACH_KM), len(easting)))
            km = REACH_KM[:, None] * 1000.0
            journey = self.estimate(np.tile(easting, len(REACH_KM)), np.tile(northing, len(REACH_KM)),
                                    (easting + km * np.cos(bearing)).ravel(), (northing + km * np.sin(bearing)).ravel())
            fastest[group] = np.min(journey.low_minutes.reshape(bearing.shape), axis=1) * (1 - REACH_MARGIN)
        return np.minimum.accumulate(fastest[:, ::-1], axis=1)[:, ::-1]  # non-decreasing: farther is never quicker


REACH_DENSITY_CLASSES = (5.0, 15.0, 40.0, 100.0, 250.0, 600.0)  # LSOA centroids within 5 km of the origin
REACH_KM = np.concatenate([np.arange(0.0, 20.0, 1.0), np.arange(20.0, 100.0, 2.5), np.arange(100.0, 400.0, 10.0)])
REACH_SAMPLES = 2_000
REACH_SEED = 27700
REACH_MARGIN = 0.15
MAX_REACHES_KEPT = 10_000  # caps (a child's own included) by density class: far more than are ever asked for


def routed_ends(easting: np.ndarray, northing: np.ndarray, site_easting: np.ndarray, site_northing: np.ndarray,
                driving_minutes: np.ndarray, density: DensityGrid, coefficients: np.ndarray | None = None,
                sources: np.ndarray | None = None) -> EndTable:
    """The end table of routed journeys (LSOAs x sites of driving minutes, NaN where not routed): their residuals
    against the formula (``matcher.travel.ends``)."""
    coefficients = packaged_fit().coefficients if coefficients is None else coefficients
    residual = np.full(driving_minutes.shape, np.nan)
    for start in range(0, len(easting), 4_000):
        part = slice(start, start + 4_000)
        oe, de = np.broadcast_arrays(easting[part, None], site_easting[None, :])
        on, dn = np.broadcast_arrays(northing[part, None], site_northing[None, :])
        estimated = log_driving(*journey_densities(density, oe.ravel(), on.ravel(), de.ravel(), dn.ravel()),
                                coefficients)
        residual[part] = np.log(driving_minutes[part]) - estimated.reshape(oe.shape)
    return end_table(easting, northing, site_easting, site_northing, residual, sources)
