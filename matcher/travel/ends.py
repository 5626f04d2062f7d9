"""End corrections for the national travel model, from the routed journeys of each journey's own ends.

The routed matrix (``geodata.travel_matrix``) holds every English LSOA's journeys to the hospital sites, in many
directions and over many distances. Where an LSOA's journeys run slower or quicker than distance and density say
(an estuary or a coast in the way, hills, a motorway close by), its other journeys that way tend to as well. So
for a journey o -> d the model adds to its ln T

    a_o R_o(toward d) + b_o R_o + a_d R_d(toward o) + b_d R_d

(``TravelFit.end_weights``) where R_x(toward) is the residual of the LSOA nearest x (within ``MATCH_KM``): the mean
of its routed journeys' log residuals (actual over the model, clipped to +-1), weighted by bearing (von Mises,
``KAPPA``) and by log distance (Gaussian, ``SIGMA``) from the journey at hand, shrunk toward R_x, its mean in every
direction at that distance (by ``SHRINK_DIRECTION`` journeys' weight), which is shrunk toward 0 (by
``SHRINK_AROUND``). An end with no LSOA near it adds nothing. Each LSOA's residuals
are tabulated at ``BEARINGS`` bearings and at the distances ``TABLE_LOG_KM``, and read by linear interpolation.

The weights and the bands of the corrected model were fitted in ``bench/travel.py``'s cross-validation, where a
journey's residuals only come from journeys to sites in other folds than its own. The kernels' widths and the
shrinkage were set before that and not tuned on it: a narrower kernel (kappa 3, sigma 0.7, both shrinkages 0.5)
moves England's median error from 5.5% to 5.4% and the wrong side of 45 minutes from 5.4% to 5.2%.
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from geodata.travel_cache import digest, keep_arrays, read_arrays
from matcher.travel.end_reads import read_both_ends, read_ends

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

KAPPA = 2.0
SIGMA = 1.0
SHRINK_AROUND = 1.0
SHRINK_DIRECTION = 1.0
SOURCE_KM = 120.0  # routed journeys up to this straight-line length are residuals' sources
MATCH_KM = 3.0
BEARINGS = 16
TABLE_LOG_KM = np.linspace(np.log(0.5), np.log(100.0), 12)
MANY_POINTS = 4_096  # more points than this at once are found place by place
#: An LSOA's spread is the mean absolute deviation of its journeys' log residuals from their mean, shrunk toward
#: England's by this many journeys' weight; the band of a journey widens with its ends' spread.
SPREAD_PRIOR = 10.0


@dataclass(frozen=True, eq=False)
class EndTable:
    """Each LSOA's residuals by bearing and distance (``toward``) and by distance in every direction (``around``)."""

    easting: np.ndarray
    northing: np.ndarray
    toward: np.ndarray  # LSOAs x BEARINGS x distances
    around: np.ndarray  # LSOAs x distances
    spread: np.ndarray | None = None  # LSOAs: how far its journeys stray from their mean (``SPREAD_PRIOR``)
    #: The cache folder, where one is given: the rows the first ``remember`` finds are kept there (``remember``)
    rows_cache: Path | None = None
    #: [(sorted keys e + i n, their rows)]: one pair, replaced whole, so a reader never sees keys and rows mismatched
    _known_points: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list, repr=False)
    #: [(the keys of ``_known_points``, a dict of their rows by point)]: built for those keys, replaced with them
    _known_by_point: list[tuple[np.ndarray, dict[complex, int]]] = field(default_factory=list, repr=False)

    @cached_property
    def overall_spread(self) -> float:
        """England's spread: the mean of every LSOA's (0 without spreads)."""
        return float(np.mean(self.spread)) if self.spread is not None and len(self.spread) else 0.0

    @cached_property
    def _tree(self) -> "cKDTree":
        from scipy.spatial import cKDTree  # only where a point is not known already (not on a warm shortlist)

        return cKDTree(np.column_stack([self.easting, self.northing]))

    def nearest(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        """The row of the LSOA nearest each point, or -1 where none lies within ``MATCH_KM``: looked up among the
        points already known (every LSOA's own centroid, and the points ``remember`` was given: a register's
        settings, a cohort's homes), the tree asked only for the others, each place once."""
        easting, northing = np.asarray(easting, dtype=float).ravel(), np.asarray(northing, dtype=float).ravel()
        known_keys, known_rows = self._known
        keys = easting + 1j * northing
        at = np.minimum(np.searchsorted(known_keys, keys), len(known_keys) - 1)
        hit = known_keys[at] == keys
        rows = known_rows[at]
        if hit.all():
            return rows
        missed = np.flatnonzero(~hit)
        if len(missed) > MANY_POINTS:  # many journeys from or to few places: each place once
            places, inverse = np.unique(keys[missed], return_inverse=True)
            rows[missed] = self._query(places.real, places.imag)[inverse.ravel()]
        else:
            rows[missed] = self._query(easting[missed], northing[missed])
        return rows

    def nearest_one(self, easting: float, northing: float) -> int:
        """``nearest`` of one point, in plain numbers (a shortlist's home): a known point's row read from a dict of
        them, the others as ``nearest`` finds them."""
        keys, rows = self._known
        found = self._known_by_point[0] if self._known_by_point else None
        if found is None or found[0] is not keys:
            found = (keys, dict(zip(keys.tolist(), rows.tolist(), strict=True)))
            self._known_by_point[:] = [found]
        row = found[1].get(complex(easting, northing))
        return int(self.nearest(np.array([easting]), np.array([northing]))[0]) if row is None else row

    def remember(self, easting: np.ndarray, northing: np.ndarray) -> None:
        """Look these points up once (a register's settings), so that later journeys to them skip the tree. The
        first points a table remembers are kept with their rows and the LSOAs' own in the cache folder (where
        ``rows_cache`` names one), under a hash of the table's centroids, the points and this module, and read
        there the next time: a warm shortlist neither builds nor imports the tree."""
        easting, northing = np.asarray(easting, dtype=float).ravel(), np.asarray(northing, dtype=float).ravel()
        located = np.isfinite(easting) & np.isfinite(northing)
        points = easting[located] + 1j * northing[located]
        path = None if self.rows_cache is None or self._known_points else Path(self.rows_cache) / (
            f"travel-end-rows-{self._rows_key(points)}.npz")
        stored = None if path is None else read_arrays(path)
        if stored is not None:
            self._known_points[:] = [(stored["keys"], stored["rows"])]
            return
        keys, rows = self._known
        keys = np.concatenate([keys, points])
        rows = np.concatenate([rows, self._query(easting[located], northing[located])])
        keys, first = np.unique(keys, return_index=True)
        self._known_points[:] = [(keys, rows[first])]
        if path is not None:
            keep_arrays(path, {"keys": keys, "rows": rows[first]})

    def _rows_key(self, points: np.ndarray) -> str:
        """What the rows of ``remember`` depend on: the centroids, the points, and this module's rules."""
        return digest(np.ascontiguousarray(self.easting, dtype=float).tobytes(),
                      np.ascontiguousarray(self.northing, dtype=float).tobytes(),
                      np.ascontiguousarray(points).tobytes(), Path(__file__).read_bytes())

    @property
    def _known(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._known_points:  # the LSOAs' own centroids, where children live (asked of the tree once)
            keys, first = np.unique(self.easting + 1j * self.northing, return_index=True)
            self._known_points[:] = [(keys, self._query(self.easting[first], self.northing[first]))]
        return self._known_points[0]

    def _query(self, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        points = np.column_stack([easting, northing])
        located = np.isfinite(points).all(axis=1)
        rows = np.full(len(points), -1, dtype=np.int64)
        if located.any():
            distance, found = self._tree.query(points[located], distance_upper_bound=MATCH_KM * 1000.0)
            rows[located] = np.where(np.isfinite(distance), found, -1)
        return rows

    def read(self, rows: np.ndarray, bearing: np.ndarray, log_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """R(toward ``bearing``) and R at ``log_km`` for each row (0 where the row is -1 or the journey unknown):
        linear in the table's bearings and ln distances (``matcher.travel.end_reads``)."""
        out = np.empty((len(rows), 2))
        self.read_into(out, 0, rows, bearing, log_km)
        return out[:, 0], out[:, 1]

    def read_into(self, out: np.ndarray, column: int, rows: np.ndarray, bearing: np.ndarray, log_km: np.ndarray,
                  turn_by: float = 0.0) -> None:
        """``read`` at ``bearing + turn_by``, written into ``out[:, column]`` and ``out[:, column + 1]``."""
        read_ends(self.toward, self.around, TABLE_LOG_KM, np.asarray(rows, dtype=np.int64),
                  np.asarray(bearing, dtype=float), np.asarray(log_km, dtype=float), turn_by, out, column)


def end_table(easting: np.ndarray, northing: np.ndarray, site_easting: np.ndarray, site_northing: np.ndarray,
              residual: np.ndarray, sources: np.ndarray | None = None) -> EndTable:
    """Tabulate the residuals (LSOAs x sites, NaN where unknown) of the journeys from each LSOA to the sites
    (only to the ``sources`` sites, where given)."""
    dx = np.asarray(site_easting, dtype=float)[None, :] - np.asarray(easting, dtype=float)[:, None]
    dy = np.asarray(site_northing, dtype=float)[None, :] - np.asarray(northing, dtype=float)[:, None]
    known = np.isfinite(residual) & (np.hypot(dx, dy) <= SOURCE_KM * 1000.0)
    if sources is not None:
        known &= np.asarray(sources, dtype=bool)[None, :]
    values = np.where(known, np.clip(np.nan_to_num(residual), -1.0, 1.0), 0.0).astype(np.float32)
    toward = np.zeros((len(values), BEARINGS, len(TABLE_LOG_KM)), dtype=np.float32)
    around = np.zeros((len(values), len(TABLE_LOG_KM)), dtype=np.float32)
    directions = np.arange(BEARINGS) * 2 * np.pi / BEARINGS
    cos_b, sin_b = (np.float32(KAPPA) * f(directions).astype(np.float32)[None, :, None] for f in (np.cos, np.sin))
    grid = TABLE_LOG_KM.astype(np.float32)[None, :, None]
    for start in range(0, len(values), 4_000):  # in float32: the kernels are weights, not measurements
        part = slice(start, start + 4_000)
        log_km = np.log(np.maximum(np.hypot(dx[part], dy[part]) / 1000.0, 0.2)).astype(np.float32)
        closeness = np.exp(np.float32(-0.5 / SIGMA**2) * (log_km[:, None, :] - grid) ** 2)
        closeness *= known[part][:, None, :]  # LSOAs x distances x sites
        heading = np.arctan2(dy[part], dx[part])
        cos_h, sin_h = (f(heading).astype(np.float32)[:, None, :] for f in (np.cos, np.sin))
        angle = np.exp(cos_h * cos_b + sin_h * sin_b - np.float32(KAPPA))  # exp(kappa (cos(h - b) - 1))
        weighted = closeness * values[part][:, None, :]
        mean_around = weighted.sum(axis=2) / (closeness.sum(axis=2) + SHRINK_AROUND)
        total = np.matmul(angle, weighted.transpose(0, 2, 1))  # LSOAs x bearings x distances
        weight = np.matmul(angle, closeness.transpose(0, 2, 1))
        toward[part] = (total + SHRINK_DIRECTION * mean_around[:, None, :]) / (weight + SHRINK_DIRECTION)
        around[part] = mean_around
    return EndTable(np.asarray(easting, dtype=float), np.asarray(northing, dtype=float), toward, around,
                    local_spread(values, known))


def local_spread(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Each LSOA's mean absolute deviation of its known residuals from their mean, shrunk toward England's."""
    count = known.sum(axis=1)
    mean = np.where(count > 0, (values * known).sum(axis=1) / np.maximum(count, 1), 0.0)
    deviation = (np.abs(values - mean[:, None]) * known).sum(axis=1)
    overall = deviation.sum() / max(count.sum(), 1)
    return ((deviation + SPREAD_PRIOR * overall) / (count + SPREAD_PRIOR)).astype(np.float32)


def end_spread(table: EndTable, origin_rows: np.ndarray, destination_rows: np.ndarray) -> np.ndarray:
    """Each journey's spread: the mean of its ends' (England's where an end has no LSOA near it)."""
    spread = table.spread if table.spread is not None else np.zeros(1, dtype=np.float32)
    ends = [np.where(rows >= 0, spread[np.maximum(rows, 0)], table.overall_spread) for rows in (origin_rows,
                                                                                            destination_rows)]
    return (ends[0] + ends[1]) / 2.0


def end_terms(table: EndTable, origin_easting: np.ndarray, origin_northing: np.ndarray,
              destination_easting: np.ndarray, destination_northing: np.ndarray,
              rows: tuple[np.ndarray, np.ndarray] | None = None,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The correction's terms (journeys x 4, in the order of ``TravelFit.end_weights``), whether either end has an
    LSOA near it (where neither has, the terms are 0), and each journey's spread (``end_spread``). ``rows``: each
    journey's origin and destination rows of ``nearest``, where the caller has found them for its places already."""
    dx, dy = destination_easting - origin_easting, destination_northing - origin_northing
    log_km = np.log(np.maximum(np.hypot(dx, dy) / 1000.0, 0.2))
    bearing = np.arctan2(dy, dx)
    if rows is not None:
        origin_rows, destination_rows = rows
    elif len(origin_easting) and np.ptp(origin_easting) == 0 and np.ptp(origin_northing) == 0:  # one origin
        origin_rows = np.full(len(origin_easting), table.nearest(origin_easting[:1], origin_northing[:1])[0])
        destination_rows = table.nearest(destination_easting, destination_northing)
    else:
        origin_rows = table.nearest(origin_easting, origin_northing)
        destination_rows = table.nearest(destination_easting, destination_northing)
    terms = np.empty((len(bearing), 4))  # the terms, as the formula's weights read them
    read_both_ends(table.toward, table.around, TABLE_LOG_KM, np.asarray(origin_rows, dtype=np.int64),
                   np.asarray(destination_rows, dtype=np.int64), bearing, log_km, terms)
    located = np.isfinite(log_km) & np.isfinite(bearing)
    return terms, located & ((origin_rows >= 0) | (destination_rows >= 0)), end_spread(table, origin_rows,
                                                                                       destination_rows)
