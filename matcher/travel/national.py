"""The national travel model: car minutes from straight-line distance and how built-up the journey's ends and
middle are, with a band (the 10th to 90th percentile) on every estimate.

Fitted on the routed car times from every English LSOA to the hospital sites (``../shared/data/travel``; about 1.5
million journeys of up to 150 km straight), by median regression in logs, weighted so that long journeys do not
outweigh short ones:

    ln T = b0 + b1 l + sum_k h_k max(0, l - ln k) + c_o Lo + c_d Ld + c_m Lm + c_10 L10 + l (e_o Lo + e_d Ld +
           e_m Lm + e_10 L10)

with l = ln(max(km, 0.2)) for the straight-line km, knots k at 2, 5, 15 and 40 km, Lo = ln(1 + o5), Ld = ln(1 +
d5), Lm = ln(1 + (o5 + m5 + d5) / 3), L10 = ln(1 + m10), where o5, d5 and m5 count LSOA centroids within 5 km of
the origin, the destination and the midpoint, and m10 within 10 km of the midpoint (``geodata.density``).

T is the routed time less the matrix's fixed 5.8 minutes a journey (its authors' calibration against journeys as
driven: parking, loading, the first and last few hundred metres). A journey's minutes are

    minutes = access + T x bias[cell],   band = access + T x bias[cell] x (q10[cell], q90[cell])

with ``access`` that same 5.8 minutes: routed school runs the model never saw bear it (leaving it out made short
trips 35% too quick and the mean journey 4.8 minutes too quick on them, issue 22). ``bias`` corrects the mean by
cell of straight-line distance (0-2, 2-5, 5-10, 10-20, 20-40, 40-80, 80+ km) and density (up to 40, 150, beyond:
(o5 + m5 + d5) / 3), so short trips and long rural trips are neither quick nor slow on average; q10 and q90 are
the 10th and 90th percentiles of actual over corrected in the cell, so the band holds the routed time 8 times in
10 wherever the journey lies.

Where the routed matrix is loaded (``../shared/data/travel``) the model also reads each journey's ends' own routed
journeys: ``matcher.travel.ends`` adds to ln T what the LSOAs at the origin and at the destination show of their
roads in that direction (an estuary, a coast, hills, a motorway), with its own bias and band (the ``ends`` cells),
and the explanation says "estimated from distance and nearby routed journeys". Its band widens with its ends'
spread (how far their own routed journeys stray from their mean, ``matcher.travel.ends.end_spread``): the cells
hold the 10th and 90th percentiles of ln(actual / corrected) over that spread, so a journey between places whose
roads surprise is given the wider band it needs. Without the matrix (the embedded
demo) the model is the formula with its own bias and band (the ``formula`` cells).

Every fitted figure (coefficients, end weights, bias and band cells) is one small table packaged with the code,
``matcher/travel/national_fit.json``, written by ``tools/fit_travel.py`` (``scenarios.travel_calibration``), whose
cross-validation holds out the origin's region and the destination's fold of sites together;
``bench/travel.py`` prints the calibration on those holdouts by region and distance band.
"""

import bisect
import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from geodata.density import DensityGrid
from matcher.travel.ends import EndTable, end_table, end_terms
from matcher.travel.protocol import DISTANCE, ROUTED_ENDS, TravelEstimate

KNOTS_KM = (2.0, 5.0, 15.0, 40.0)
LOG_KNOTS = tuple(np.log(knot) for knot in KNOTS_KM)
#: The cells' edges: straight-line km (rows: up to 2, 5, 10, 20, 40, 80 km, beyond) and density (columns: up to
#: 40, 150, beyond, of (o5 + m5 + d5) / 3).
DISTANCE_BANDS_KM = np.array([2.0, 5.0, 10.0, 20.0, 40.0, 80.0])
DENSITY_BANDS = np.array([40.0, 150.0])
BAND_LEVELS = (10.0, 90.0)
FIT_FILE = Path(__file__).with_name("national_fit.json")
Variant = str  # "formula" (distance and density alone) or "ends" (with the routed journeys of each end)


@dataclass(frozen=True, eq=False)
class TravelFit:
    """The model's fitted figures: ``cells[variant]`` is distance bands x density bands x (bias, q10, q90)."""

    access_minutes: float
    coefficients: np.ndarray
    end_weights: np.ndarray
    cells: dict[str, np.ndarray]
    source: str  # where the figures come from, in words

    def to_json(self) -> dict:
        return {"access_minutes": self.access_minutes, "coefficients": np.round(self.coefficients, 6).tolist(),
                "end_weights": np.round(self.end_weights, 6).tolist(),
                "cells": {name: np.round(values, 5).tolist() for name, values in self.cells.items()},
                "source": self.source}

    @classmethod
    def from_json(cls, content: dict) -> "TravelFit":
        return cls(float(content["access_minutes"]), np.asarray(content["coefficients"], dtype=float),
                   np.asarray(content["end_weights"], dtype=float),
                   {name: np.asarray(values, dtype=float) for name, values in content["cells"].items()},
                   str(content["source"]))


@cache
def packaged_fit() -> TravelFit:
    """The fitted table packaged with the code (read once a process)."""
    return TravelFit.from_json(json.loads(FIT_FILE.read_text(encoding="utf-8")))


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
                 ) -> TravelEstimate:
        """The journeys; ``end_rows``, where given, are each journey's ends' rows of the end table (``end_rows_of``
        for its places, laid out journey by journey), so the ends need not be looked up again."""
        if self.ends is None:
            return self._formula_estimate(origin_easting, origin_northing, destination_easting,
                                          destination_northing)
        oe, on, de, dn = np.broadcast_arrays(*(np.asarray(values, dtype=float) for values in (
            origin_easting, origin_northing, destination_easting, destination_northing)))
        km, o5, d5, middle, m10 = journey_densities(self.density, oe, on, de, dn)
        terms, corrected, spread = end_terms(self.ends, oe, on, de, dn, end_rows)
        cell = band_cell(km, middle)
        driving = np.exp(log_driving(km, o5, d5, middle, m10, self.fit.coefficients) + terms @ self.fit.end_weights)
        minutes, low, high = with_spread_band(driving, self.fit.cells["ends"][cell], spread, self.fit.access_minutes)
        plain = with_band(driving, self.fit.cells["formula"][cell], self.fit.access_minutes)
        minutes, low, high = (np.where(corrected, value, other) for value, other in zip((minutes, low, high), plain,
                                                                                          strict=True))
        return TravelEstimate(minutes, km_by_road(km), low, high,
                              np.where(corrected, ROUTED_ENDS, DISTANCE).astype(np.int8))

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
        minutes, low, high = estimate_minutes(km, o5, d5, (o5 + m5 + d5) / 3.0, m10, self.fit)
        return TravelEstimate(minutes, km_by_road(km), low, high, np.full(km.shape, DISTANCE, dtype=np.int8))

    def end_rows_of(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray | None:
        """Each place's row of the end table (None without the routed matrix)."""
        return None if self.ends is None else self.ends.nearest(easting, northing)

    def estimate_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                       origin_at: np.ndarray, destination_at: np.ndarray) -> TravelEstimate:
        """The journeys, each place's LSOA of the end table found once (not journey by journey)."""
        home_rows, setting_rows = self.end_rows_of(*origins), self.end_rows_of(*destinations)
        rows = None if home_rows is None or setting_rows is None else (home_rows[origin_at],
                                                                        setting_rows[destination_at])
        return self.estimate(origins[0][origin_at], origins[1][origin_at], destinations[0][destination_at],
                             destinations[1][destination_at], end_rows=rows)

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
            for at, km in enumerate(REACH_KM):
                bearing = rng.uniform(0.0, 2 * np.pi, len(easting))
                journey = self.estimate(easting, northing, easting + km * 1000.0 * np.cos(bearing),
                                        northing + km * 1000.0 * np.sin(bearing))
                fastest[group, at] = np.min(journey.low_minutes) * (1 - REACH_MARGIN)
        return np.minimum.accumulate(fastest[:, ::-1], axis=1)[:, ::-1]  # non-decreasing: farther is never quicker


REACH_DENSITY_CLASSES = (5.0, 15.0, 40.0, 100.0, 250.0, 600.0)  # LSOA centroids within 5 km of the origin
REACH_KM = np.concatenate([np.arange(0.0, 20.0, 1.0), np.arange(20.0, 100.0, 2.5), np.arange(100.0, 400.0, 10.0)])
REACH_SAMPLES = 2_000
REACH_SEED = 27700
REACH_MARGIN = 0.15
MAX_REACHES_KEPT = 10_000  # caps (a child's own included) by density class: far more than are ever asked for


def design_terms(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray,
                 m10: np.ndarray) -> list[np.ndarray]:
    """The formula's terms, in the order of ``TravelFit.coefficients``."""
    log_km = np.log(np.maximum(km, 0.2))
    lo, ld, lm, l10 = np.log1p(o5), np.log1p(d5), np.log1p(middle), np.log1p(m10)
    hinges = [np.maximum(0.0, log_km - log_knot) for log_knot in LOG_KNOTS]
    return [np.ones_like(log_km), log_km, *hinges, lo, ld, lm, l10, lo * log_km, ld * log_km, lm * log_km,
            l10 * log_km]


def band_cell(km: np.ndarray, middle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each journey's cell of the fitted cells: its distance band and density band."""
    return (np.searchsorted(DISTANCE_BANDS_KM, km, side="right"),
            np.searchsorted(DENSITY_BANDS, middle, side="right"))


def journey_densities(density: DensityGrid, oe: np.ndarray, on: np.ndarray, de: np.ndarray,
                      dn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each journey's straight-line km and its densities o5, d5, middle ((o5 + m5 + d5) / 3) and m10."""
    me, mn = (oe + de) / 2.0, (on + dn) / 2.0
    if len(oe) and oe.min() == oe.max() and on.min() == on.max():  # one origin (a shortlist): count it once
        o5 = np.full(len(oe), density.count_at(float(oe[0]), float(on[0]), 5.0))
    else:
        o5 = density.count(oe, on, 5.0)
    d5 = density.count(de, dn, 5.0)
    m5, m10 = density.count_radii(me, mn, (5.0, 10.0))
    return np.hypot(de - oe, dn - on) / 1000.0, o5, d5, (o5 + m5 + d5) / 3.0, m10


def log_driving(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray, m10: np.ndarray,
                coefficients: np.ndarray) -> np.ndarray:
    """ln T, the formula's estimate of the driving minutes."""
    terms = design_terms(km, o5, d5, middle, m10)
    exponent = coefficients[0] * terms[0]
    for coefficient, term in zip(coefficients[1:], terms[1:], strict=True):  # in the formula's order, term by term
        exponent += coefficient * term
    return np.asarray(exponent)


def with_band(driving: np.ndarray, cell: np.ndarray, access_minutes: float,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car (the access plus the driving, corrected by the cell's bias) with the band's low and high
    ends, from a cell of the fitted cells (bias, q10, q90)."""
    corrected = driving * cell[..., 0]
    return (access_minutes + corrected, access_minutes + corrected * cell[..., 1],
            access_minutes + corrected * cell[..., 2])


def with_spread_band(driving: np.ndarray, cell: np.ndarray, spread: np.ndarray, access_minutes: float,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As ``with_band``, the band's ends exp(q x spread) times the corrected driving minutes: a corrected journey's
    cell holds the percentiles of ln(actual / corrected) over its ends' spread (``matcher.travel.ends``)."""
    corrected = driving * cell[..., 0]
    return (access_minutes + corrected, access_minutes + corrected * np.exp(cell[..., 1] * spread),
            access_minutes + corrected * np.exp(cell[..., 2] * spread))


def estimate_minutes(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray, m10: np.ndarray,
                     fit: TravelFit | None = None, variant: Variant = "formula", shift: np.ndarray | float = 0.0,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car with the band's low and high ends, from straight-line km and the densities (and an end
    correction's ``shift`` to ln T, read with the ``ends`` cells)."""
    fit = fit or packaged_fit()
    return with_band(np.exp(log_driving(km, o5, d5, middle, m10, fit.coefficients) + shift),
                     fit.cells[variant][band_cell(km, middle)], fit.access_minutes)


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


def fit_coefficients(terms: np.ndarray, log_minutes: np.ndarray, weights: np.ndarray,
                     iterations: int = 40) -> np.ndarray:
    """Median regression in logs, by iteratively reweighted least squares (numpy's lstsq on journeys x terms; a
    library's quantile regression does the same on these 800,000 rows more slowly)."""
    root = np.sqrt(weights)
    coefficients = np.linalg.lstsq(terms * root[:, None], log_minutes * root, rcond=None)[0]
    for _ in range(iterations):
        reweighted = np.sqrt(weights / np.maximum(np.abs(log_minutes - terms @ coefficients), 1e-3))
        coefficients = np.linalg.lstsq(terms * reweighted[:, None], log_minutes * reweighted, rcond=None)[0]
    return coefficients


def fit_cells(driving: np.ndarray, estimated: np.ndarray, km: np.ndarray, middle: np.ndarray,
              spread: np.ndarray | None = None, least: int = 50) -> np.ndarray:
    """Each cell's bias (mean actual over mean estimated driving minutes, so the cell's journeys are right on
    average) and its band (the ``BAND_LEVELS`` percentiles of actual over the corrected estimate, or, with each
    journey's ``spread``, of ln(actual over corrected) / spread); a cell with fewer than ``least`` journeys takes its
    distance band's figures over every density, else no correction."""
    distance_bands, density_bands = len(DISTANCE_BANDS_KM) + 1, len(DENSITY_BANDS) + 1
    cells = np.tile(np.array([1.0, 0.0, 0.0] if spread is not None else [1.0, 1.0, 1.0]),
                    (distance_bands, density_bands, 1))
    rows, columns = band_cell(km, middle)

    def figures(inside: np.ndarray) -> np.ndarray:
        bias = float(driving[inside].sum() / estimated[inside].sum())
        ratio = driving[inside] / (estimated[inside] * bias)
        if spread is not None:
            return np.array([bias, *np.percentile(np.log(ratio) / spread[inside], BAND_LEVELS)])
        return np.array([bias, *np.percentile(ratio, BAND_LEVELS)])

    for row in range(distance_bands):
        in_row = rows == row
        for column in range(density_bands):
            inside = in_row & (columns == column)
            if inside.sum() >= least:
                cells[row, column] = figures(inside)
            elif in_row.sum() >= least:
                cells[row, column] = figures(in_row)
    return cells


#: Road km over straight-line km: Rutland's graph gives 1.298
#: (``matcher.travel.straight_line.CALIBRATED_STRAIGHT_LINE``).
CIRCUITY = 1.3


def km_by_road(straight_km: np.ndarray) -> np.ndarray:
    """The journey's length by road, for transport costs (the straight line times the circuity)."""
    return straight_km * CIRCUITY
