"""The national travel model: car minutes from straight-line distance and how built-up the journey's ends and
middle are, with a band (the 10th to 90th percentile) on every estimate.

Fitted on the routed car times from every English LSOA to 125 hospital sites (``../shared/data/travel``; about
840,000 journeys of up to 100 km), by median regression in logs, weighted so that long journeys do not outweigh
short ones (``bench/travel.py`` re-fits it and prints the cross-validation by region):

    ln T = b0 + b1 l + sum_k h_k max(0, l - ln k) + c_o Lo + c_d Ld + c_m Lm + c_10 L10 + l (e_o Lo + e_d Ld +
           e_m Lm + e_10 L10)

with l = ln(max(km, 0.2)) for the straight-line km, knots k at 2, 5, 15 and 40 km, Lo = ln(1 + o5), Ld = ln(1 +
d5), Lm = ln(1 + (o5 + m5 + d5) / 3), L10 = ln(1 + m10), where o5, d5 and m5 count LSOA centroids within 5 km of
the origin, the destination and the midpoint, and m10 within 10 km of the midpoint (``geodata.density``).

The matrix's times are its authors' calibration, 5.8 + 1.074 x the routed time: a fixed 5.8 minutes a journey
that a school run does not bear (journeys of under 250 m take 5.8 to 6.9 minutes in it). The model fits T, the
matrix less that overhead, and adds ``ACCESS_MINUTES`` = 1.2, the intercept of Rutland's road graph on its own
short trips (getting onto the road at each end). The band multiplies the estimate by the 10th and 90th
percentiles of actual over estimated in cells of distance and density (``BAND_CELLS``).

Where the routed matrix is loaded (``../shared/data/travel``) the model also reads each journey's ends' own routed
journeys: ``matcher.travel_ends`` adds to ln T what the LSOAs at the origin and at the destination show of their
roads in that direction (an estuary, a coast, hills, a motorway), with its own band (``END_BAND_CELLS``), and the
explanation says "estimated from distance and nearby routed journeys". In the cross-validation by region, with a
journey's own site and its fold of sites left out of its ends' evidence, the median error of school-run journeys
falls from 10.5% to 5.5% and the wrong side of 45 and 75 minutes from 9.9% and 7.8% to 5.4% and 4.0%
(``bench/travel.py``). Without the matrix (the embedded demo) the model is the formula alone.
"""

import bisect
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from geodata.density import DensityGrid
from matcher.travel import DISTANCE, ROUTED_ENDS, TravelEstimate
from matcher.travel_ends import EndTable, end_table, end_terms

ACCESS_MINUTES = 1.2
KNOTS_KM = (2.0, 5.0, 15.0, 40.0)
LOG_KNOTS = tuple(np.log(knot) for knot in KNOTS_KM)
#: ln T's coefficients, in the order of the formula above.
COEFFICIENTS = np.array([
    -0.11360, 0.86715,  # b0, b1
    0.15000, 0.08613, -0.13434, 0.07992,  # h at 2, 5, 15, 40 km
    -0.30524, -0.37803, 0.84302, 0.06443,  # c_o, c_d, c_m, c_10
    0.06208, 0.07574, -0.16654, -0.02290,  # e_o, e_d, e_m, e_10
])
DISTANCE_BANDS_KM = np.array([5.0, 10.0, 20.0, 40.0])
DENSITY_BANDS = np.array([40.0, 150.0])  # of (o5 + m5 + d5) / 3
#: (p10, p90) of actual over estimated minutes, by distance band (rows: up to 5, 10, 20, 40 km, beyond) and
#: density band (columns: up to 40, 150, beyond), from the cross-validation by region.
BAND_CELLS = np.array([
    [[0.8832, 1.7435], [0.7956, 1.4122], [0.7146, 1.2337]],
    [[0.8212, 1.3070], [0.7798, 1.2003], [0.8324, 1.2429]],
    [[0.8263, 1.3704], [0.7670, 1.1974], [0.8403, 1.2570]],
    [[0.8685, 1.3513], [0.8042, 1.1825], [0.8690, 1.2571]],
    [[0.9011, 1.3118], [0.8524, 1.1706], [0.8663, 1.1820]],
])
#: The end correction's weights, in the order of ``matcher.travel_ends.end_terms``, and the corrected model's
#: bands (as ``BAND_CELLS``), from the cross-validation by region and by folds of sites (``bench/travel.py``).
END_WEIGHTS = np.array([1.3937, -0.8600, 1.4586, -0.8602])
END_BAND_CELLS = np.array([
    [[0.8472, 1.7198], [0.7904, 1.4099], [0.7003, 1.2034]],
    [[0.7260, 1.2445], [0.7854, 1.2264], [0.8274, 1.1534]],
    [[0.8096, 1.2999], [0.8158, 1.1895], [0.8713, 1.1208]],
    [[0.8663, 1.2492], [0.8734, 1.1517], [0.9232, 1.1247]],
    [[0.9153, 1.1884], [0.9104, 1.0966], [0.9360, 1.0820]],
])


@dataclass(frozen=True, eq=False)
class NationalTravel:
    """Car journeys estimated from distance and density, for wherever no road graph covers them."""

    density: DensityGrid
    ends: EndTable | None = None  # the routed journeys' residuals at each LSOA, where the matrix is loaded
    reach_table: np.ndarray | None = None  # ``fastest_low_minutes`` as found before (a cache's), else sampled
    _reaches: dict = field(default_factory=dict, repr=False)  # (density class, minutes) -> reach_km

    @property
    def name(self) -> str:
        return ("national travel model (distance, density and routed journeys from each end)" if self.ends
                is not None else "national travel model (distance and density)")

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
        terms, corrected = end_terms(self.ends, oe, on, de, dn, end_rows)
        cell = band_cell(km, middle)
        minutes, low, high = with_band(np.exp(log_driving(km, o5, d5, middle, m10) + terms @ END_WEIGHTS),
                                       np.where(corrected[:, None], END_BAND_CELLS[cell], BAND_CELLS[cell]))
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
        minutes, low, high = estimate_minutes(km, o5, d5, (o5 + m5 + d5) / 3.0, m10)
        return TravelEstimate(minutes, km_by_road(km), low, high, np.full(km.shape, DISTANCE, dtype=np.int8))

    def end_rows_of(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray | None:
        """Each place's row of the end table (None without the routed matrix)."""
        return None if self.ends is None else self.ends.nearest(easting, northing)

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
    """The formula's terms, in the order of ``COEFFICIENTS``."""
    log_km = np.log(np.maximum(km, 0.2))
    lo, ld, lm, l10 = np.log1p(o5), np.log1p(d5), np.log1p(middle), np.log1p(m10)
    hinges = [np.maximum(0.0, log_km - log_knot) for log_knot in LOG_KNOTS]
    return [np.ones_like(log_km), log_km, *hinges, lo, ld, lm, l10, lo * log_km, ld * log_km, lm * log_km,
            l10 * log_km]


def band_cell(km: np.ndarray, middle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each journey's cell of ``BAND_CELLS``: its distance band and density band (``np.digitize``'s bins, found as
    it finds them for rising edges)."""
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
                coefficients: np.ndarray = COEFFICIENTS) -> np.ndarray:
    """ln T, the formula's estimate of the driving minutes."""
    terms = design_terms(km, o5, d5, middle, m10)
    exponent = coefficients[0] * terms[0]
    for coefficient, term in zip(coefficients[1:], terms[1:], strict=True):  # in the formula's order, term by term
        exponent += coefficient * term
    return np.asarray(exponent)


def with_band(driving: np.ndarray, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car (driving plus the access) with the band's low and high ends, from a cell of the bands."""
    return (ACCESS_MINUTES + driving, ACCESS_MINUTES + driving * cell[..., 0],
            ACCESS_MINUTES + driving * cell[..., 1])


def estimate_minutes(km: np.ndarray, o5: np.ndarray, d5: np.ndarray, middle: np.ndarray, m10: np.ndarray,
                     coefficients: np.ndarray = COEFFICIENTS, bands: np.ndarray = BAND_CELLS, shift: np.ndarray |
                     float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes by car with the band's low and high ends, from straight-line km and the densities (and an end
    correction's ``shift`` to ln T)."""
    return with_band(np.exp(log_driving(km, o5, d5, middle, m10, coefficients) + shift),
                     bands[band_cell(km, middle)])


def routed_ends(easting: np.ndarray, northing: np.ndarray, site_easting: np.ndarray, site_northing: np.ndarray,
                driving_minutes: np.ndarray, density: DensityGrid, coefficients: np.ndarray = COEFFICIENTS,
                sources: np.ndarray | None = None) -> EndTable:
    """The end table of routed journeys (LSOAs x sites of driving minutes, NaN where not routed): their residuals
    against the formula (``matcher.travel_ends``)."""
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


def fit_bands(ratio: np.ndarray, km: np.ndarray, middle: np.ndarray) -> np.ndarray:
    """The 10th and 90th percentiles of actual over estimated minutes in each cell (the shape of ``BAND_CELLS``)."""
    distance_bands, density_bands = len(DISTANCE_BANDS_KM) + 1, len(DENSITY_BANDS) + 1
    bands = np.full((distance_bands, density_bands, 2), np.nan)
    rows, columns = band_cell(km, middle)
    for row in range(distance_bands):
        for column in range(density_bands):
            inside = (rows == row) & (columns == column)
            if inside.any():
                bands[row, column] = np.percentile(ratio[inside], [10, 90])
    return bands


#: Road km over straight-line km: Rutland's graph gives 1.298 (``matcher.travel.CALIBRATED_STRAIGHT_LINE``).
CIRCUITY = 1.3


def km_by_road(straight_km: np.ndarray) -> np.ndarray:
    """The journey's length by road, for transport costs (the straight line times the circuity)."""
    return straight_km * CIRCUITY
