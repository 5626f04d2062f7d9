"""The travel models' one interface: journeys as estimates with a band, and the helpers every model shares."""

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

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

    def destinations(self, easting: np.ndarray, northing: np.ndarray) -> "Destinations":
        """Places many single-origin journeys will end at (a register's settings), with the terms of each that
        depend on the place alone worked out once (``Destinations``)."""
        ...


class Destinations(Protocol):
    """Places prepared once by a travel model, for journeys from one origin at a time (a shortlist's)."""

    def journeys_from(self, easting: float, northing: float, at: np.ndarray) -> TravelEstimate:
        """The journeys from one origin to the places at positions ``at``: exactly the model's ``estimate`` of
        them, for less."""
        ...


@dataclass(frozen=True, eq=False)
class EachDestination:
    """``Destinations`` for models that prepare nothing: each call is the model's ``estimate``."""

    travel: "TravelModel"
    easting: np.ndarray
    northing: np.ndarray

    def journeys_from(self, easting: float, northing: float, at: np.ndarray) -> TravelEstimate:
        return self.travel.estimate(np.array([easting], dtype=float), np.array([northing], dtype=float),
                                    self.easting[at], self.northing[at])


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


def check_cap(cap_minutes: float) -> None:
    """Refuse a travel cap of zero minutes or less."""
    if not cap_minutes > 0:
        raise PlacewiseError("cap_minutes: give a travel cap above zero minutes")


def travel_frame(origin_id: np.ndarray, provider_id: np.ndarray, minutes: np.ndarray, km: np.ndarray,
                 ) -> pd.DataFrame:
    """The travel table contract: origin_id, provider_id, travel_minutes, distance_km (pairs under a cap)."""
    return pd.DataFrame({"origin_id": origin_id, "provider_id": provider_id, "travel_minutes": minutes,
                         "distance_km": km})

