"""Travel from a child's home to providers, behind one small interface that road-network models also fill."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.errors import PlacewiseError

#: How a travel time was estimated, in the words a sentence uses (``TravelEstimate.method`` indexes this).
TRAVEL_METHODS: tuple[str, ...] = ("estimated from distance", "by road", "from the straight line",
                                   "estimated from distance and nearby routed journeys")
DISTANCE, ROAD, STRAIGHT_LINE, ROUTED_ENDS = range(4)


@dataclass(frozen=True, eq=False)
class TravelEstimate:
    """Journeys (one per pair of an origin and a destination): minutes with a band, km, and how each was got."""

    minutes: np.ndarray
    km: np.ndarray
    low_minutes: np.ndarray  # the band's low end (the estimate's 10th percentile, where the model has a band)
    high_minutes: np.ndarray  # its high end (the 90th percentile)
    method: np.ndarray  # int8, index into TRAVEL_METHODS

    def __getitem__(self, rows: np.ndarray | slice) -> "TravelEstimate":
        return TravelEstimate(self.minutes[rows], self.km[rows], self.low_minutes[rows], self.high_minutes[rows],
                              self.method[rows])


class TravelModel(Protocol):
    """Anything that estimates journeys between arrays of origins and destinations (EPSG:27700 metres)."""

    @property
    def name(self) -> str:
        """Words for the run's description, such as "national travel model" or "road network"."""
        ...

    def estimate(self, origin_easting: np.ndarray, origin_northing: np.ndarray, destination_easting: np.ndarray,
                 destination_northing: np.ndarray) -> TravelEstimate:
        """One journey per position of the (equally long, or broadcast) arrays; NaN where unknown."""
        ...

    def distance_km(self, origin_easting: np.ndarray, origin_northing: np.ndarray,
                    destination_easting: np.ndarray, destination_northing: np.ndarray) -> np.ndarray:
        """The journeys' km alone, exactly as ``estimate`` gives them (for less, where the model can)."""
        ...

    def reach_km(self, minutes: float, easting: float | None = None, northing: float | None = None) -> float:
        """The farthest straight-line distance a journey whose band starts within ``minutes`` could cover (from
        this origin, where one is given; from anywhere otherwise)."""
        ...

    def remember_destinations(self, easting: np.ndarray, northing: np.ndarray) -> None:
        """Places journeys will often start or end at (a register's settings, a cohort's homes), for a model that
        can prepare for them once (others do nothing)."""
        ...

    @property
    def corrections(self) -> str:
        """One line naming the corrections the model applies and where their figures come from."""
        ...

    def reach_km_of(self, minutes: np.ndarray, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        """``reach_km`` for many origins at once, each with its own cap."""
        ...

    def estimate_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                       origin_at: np.ndarray, destination_at: np.ndarray) -> TravelEstimate:
        """Journeys from ``origins[origin_at[i]]`` to ``destinations[destination_at[i]]`` (eastings, northings):
        places shared by many journeys, which a model may prepare once each."""
        ...


def reach_km_each(travel: "TravelModel", minutes: np.ndarray, easting: np.ndarray,
                  northing: np.ndarray) -> np.ndarray:
    """``reach_km`` origin by origin, for models with no quicker way."""
    return np.array([travel.reach_km(float(cap), float(e), float(n)) for cap, e, n in
                     zip(minutes, easting, northing, strict=True)], dtype=float)


def estimate_each(travel: "TravelModel", origins: tuple[np.ndarray, np.ndarray],
                  destinations: tuple[np.ndarray, np.ndarray], origin_at: np.ndarray,
                  destination_at: np.ndarray) -> TravelEstimate:
    """``estimate_among`` journey by journey, for models that prepare nothing."""
    return travel.estimate(origins[0][origin_at], origins[1][origin_at], destinations[0][destination_at],
                           destinations[1][destination_at])


def unbanded(minutes: np.ndarray, km: np.ndarray, method: int) -> TravelEstimate:
    """An estimate with no band (the band is the estimate itself)."""
    return TravelEstimate(minutes, km, minutes, minutes, np.full(np.shape(minutes), method, dtype=np.int8))


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

    def table(self, origins: pd.DataFrame, providers: pd.DataFrame, cap_minutes: float) -> pd.DataFrame:
        """The sparse travel table: every (origin, provider) pair within ``cap_minutes``, from a k-d tree."""
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
#: kilometre; ``matcher.road_travel.fit_straight_line``; tests/real re-derive it): median error 1.5 minutes, 90th
#: percentile 3.9. Rutland's roads are rural and quick; the national travel model (``matcher.national_travel``) is
#: the default everywhere, and this line serves only as a road graph's fallback in its tests.
CALIBRATED_STRAIGHT_LINE = StraightLineTravel(circuity=1.298, speed_kmh=59.55, name="straight line (calibrated)")


def check_cap(cap_minutes: float) -> None:
    if not cap_minutes > 0:
        raise PlacewiseError("cap_minutes: give a travel cap above zero minutes")


def travel_frame(origin_id: np.ndarray, provider_id: np.ndarray, minutes: np.ndarray, km: np.ndarray,
                 ) -> pd.DataFrame:
    """The travel table contract: origin_id, provider_id, travel_minutes, distance_km (pairs under a cap)."""
    return pd.DataFrame({"origin_id": origin_id, "provider_id": provider_id, "travel_minutes": minutes,
                         "distance_km": km})

