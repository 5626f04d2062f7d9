"""Travel from a child's home to providers, behind one small interface that road-network models also fill."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from geodata.errors import PlacewiseError
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


@dataclass(frozen=True)
class StraightLineTravel:
    """Straight-line distance in EPSG:27700 times a circuity factor, at a steady speed.

    Defaults: circuity 1.3 (roads are about a third longer than the crow flies in England) and 30 km/h door to
    door by car or minibus, until the road-network model calibrates both.
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
