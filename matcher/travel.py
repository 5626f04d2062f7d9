"""Travel from a child's home to providers, behind one small interface that road-network models also fill."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.errors import PlacewiseError
from matcher.provider_index import ProviderIndex


class TravelModel(Protocol):
    """Anything that gives travel minutes and distance from one origin to every provider of an index."""

    @property
    def name(self) -> str:
        """Words for the reasons, such as "straight line" or "road network"."""
        ...

    def travel(self, easting: float, northing: float, index: ProviderIndex) -> tuple[np.ndarray, np.ndarray]:
        """Return (minutes, km) to each provider, in index order; NaN where unknown or unreachable."""
        ...

    def reach_km(self, minutes: float) -> float:
        """The farthest straight-line distance a journey within ``minutes`` could cover (an upper bound)."""
        ...


@dataclass(frozen=True)
class StraightLineTravel:
    """Straight-line distance in EPSG:27700 times a circuity factor, at a steady speed.

    Defaults: circuity 1.3 (roads about a third longer than the crow flies; Rutland's graph gives 1.298) and
    30 km/h door to door by car or minibus, a town-and-city speed (Rutland's rural roads give 47 km/h: see
    ``CALIBRATED_STRAIGHT_LINE``).
    """

    circuity: float = 1.3
    speed_kmh: float = 30.0
    name: str = "straight line"

    def __post_init__(self) -> None:
        if not self.circuity >= 1.0:
            raise PlacewiseError("travel circuity: must be 1 or more (roads are never shorter than a straight line)")
        if not self.speed_kmh > 0:
            raise PlacewiseError("travel speed_kmh: must be above zero")

    def travel(self, easting: float, northing: float, index: ProviderIndex) -> tuple[np.ndarray, np.ndarray]:
        distance_km = np.hypot(index.easting - easting, index.northing - northing) * (self.circuity / 1000.0)
        return distance_km * (60.0 / self.speed_kmh), distance_km

    def reach_km(self, minutes: float) -> float:
        return minutes / 60.0 * self.speed_kmh / self.circuity

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


#: Fitted on Rutland's real road network, every Rutland LSOA centroid to every Rutland provider (188 pairs over
#: half a kilometre; ``matcher.road_travel.fit_straight_line``; tests/real re-derive it): median error 1.8
#: minutes, 90th percentile 4.8. Rutland's roads are rural and quick: its speed suits shire counties; the default
#: ``StraightLineTravel()`` keeps 30 km/h, nearer what towns and cities see, until an urban graph calibrates it.
CALIBRATED_STRAIGHT_LINE = StraightLineTravel(circuity=1.298, speed_kmh=47.47, name="straight line (calibrated)")


def check_cap(cap_minutes: float) -> None:
    if not cap_minutes > 0:
        raise PlacewiseError("cap_minutes: give a travel cap above zero minutes")


def travel_frame(origin_id: np.ndarray, provider_id: np.ndarray, minutes: np.ndarray, km: np.ndarray,
                 ) -> pd.DataFrame:
    """The travel table contract: origin_id, provider_id, travel_minutes, distance_km (pairs under a cap)."""
    return pd.DataFrame({"origin_id": origin_id, "provider_id": provider_id, "travel_minutes": minutes,
                         "distance_km": km})

