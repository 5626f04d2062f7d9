"""The straight-line travel model: distance in EPSG:27700 times a circuity factor, at a steady speed."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from matcher.travel.protocol import (
    STRAIGHT_LINE,
    EachDestination,
    TravelEstimate,
    check_cap,
    estimate_each,
    travel_frame,
    unbanded,
)


@dataclass(frozen=True)
class StraightLineTravel:
    """Straight-line distance in EPSG:27700 times a circuity factor, at a steady speed.

    Defaults: circuity 1.3 (roads about a third longer than the crow flies; Rutland's graph gives 1.298) and
    30 km/h door to door, the project's first guess (Rutland's rural roads give 60 km/h: see
    ``CALIBRATED_STRAIGHT_LINE``); the national travel model replaced it as the default.
    """

    circuity: float = 1.3
    speed_kmh: float = 30.0
    name: str = "straight line"

    def __post_init__(self) -> None:
        if not self.circuity >= 1.0:
            raise PlacewiseError("travel circuity: must be 1 or more (roads are never shorter than a straight line)")
        if not self.speed_kmh > 0:
            raise PlacewiseError("travel speed_kmh: must be above zero")

    def estimate(self, origin_easting: np.ndarray, origin_northing: np.ndarray, destination_easting: np.ndarray,
                 destination_northing: np.ndarray) -> TravelEstimate:
        distance_km = np.hypot(destination_easting - origin_easting, destination_northing - origin_northing) * (
            self.circuity / 1000.0)
        return unbanded(distance_km * (60.0 / self.speed_kmh), distance_km, STRAIGHT_LINE)

    def distance_km(self, origin_easting: np.ndarray, origin_northing: np.ndarray,
                    destination_easting: np.ndarray, destination_northing: np.ndarray) -> np.ndarray:
        return np.hypot(destination_easting - origin_easting, destination_northing - origin_northing) * (
            self.circuity / 1000.0)

    def reach_km(self, minutes: float, easting: float | None = None, northing: float | None = None) -> float:
        return minutes / 60.0 * self.speed_kmh / self.circuity

    def remember_destinations(self, easting: np.ndarray, northing: np.ndarray) -> None:
        """Nothing to prepare: the straight line needs no lookup."""

    @property
    def corrections(self) -> str:
        return (f"none: the straight line times {self.circuity} at {self.speed_kmh} km/h, with no band")

    def reach_km_of(self, minutes: np.ndarray, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        return np.asarray(minutes, dtype=float) / 60.0 * self.speed_kmh / self.circuity

    def estimate_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                       origin_at: np.ndarray, destination_at: np.ndarray) -> TravelEstimate:
        return estimate_each(self, origins, destinations, origin_at, destination_at)

    def destinations(self, easting: np.ndarray, northing: np.ndarray) -> EachDestination:
        return EachDestination(self, easting, northing)

    def table(self, origins: pd.DataFrame, providers: pd.DataFrame, cap_minutes: float) -> pd.DataFrame:
        """The sparse travel table: every (origin, provider) pair within ``cap_minutes``, from a k-d tree."""
        from scipy.spatial import cKDTree  # imported here: a shortlist never builds a table

        check_cap(cap_minutes)
        reach_m = self.reach_km(cap_minutes) * 1000.0
        tree = cKDTree(providers[["easting", "northing"]].dropna().to_numpy())
        located = providers.index[providers["easting"].notna() & providers["northing"].notna()].to_numpy()
        points = origins[["easting", "northing"]].to_numpy(dtype=float)
        lists = tree.query_ball_point(points, r=reach_m)
        counts = np.fromiter((len(found) for found in lists), dtype=np.int64, count=len(lists))
        rows = np.repeat(np.arange(len(points)), counts)
        columns = np.fromiter((item for found in lists for item in found), dtype=np.int64, count=int(counts.sum()))
        straight_m = np.hypot(*(points[rows] - tree.data[columns]).T)
        km = straight_m * self.circuity / 1000.0
        return travel_frame(origins.index.to_numpy()[rows], located[columns], km * (60.0 / self.speed_kmh), km)


#: Fitted on Rutland's road network, every Rutland LSOA centroid to every Rutland provider (188 pairs over half a
#: kilometre; ``matcher.travel.roads.fit_straight_line``; tests/real re-derive it): median error 1.5 minutes, 90th
#: percentile 3.9. Rutland's roads are rural and quick; the national travel model (``matcher.travel.national``) is
#: the default everywhere, and this line serves only as a road graph's fallback in its tests.
CALIBRATED_STRAIGHT_LINE = StraightLineTravel(circuity=1.298, speed_kmh=59.55, name="straight line (calibrated)")
