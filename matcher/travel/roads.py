"""Travel over a road graph (``geodata.roads``), through the same interface as the straight line."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.roads import ACCESS_SPEED_KMH, MAX_SNAP_M, RoadGraph, travel_from_nodes
from matcher.travel.protocol import (
    ROAD,
    EachDestination,
    TravelEstimate,
    TravelModel,
    check_cap,
    estimate_each,
    reach_km_each,
    travel_frame,
)
from matcher.travel.straight_line import CALIBRATED_STRAIGHT_LINE, StraightLineTravel

DIJKSTRA_CHUNK = 64  # origins searched at once (each holds a row of seconds and metres over the whole graph)


@dataclass(frozen=True, eq=False)
class RoadTravel:
    """Quickest paths over a road graph, with the calibrated straight line where the graph does not reach.

    A home or setting more than ``MAX_SNAP_M`` from the graph's nearest node is outside its cover, and pairs
    involving it fall back to ``fallback``. A pair the graph cannot join within ``limit_minutes`` is infinitely
    far (so over any cap, and said to be unreachable), never zero.
    """

    graph: RoadGraph
    fallback: TravelModel = CALIBRATED_STRAIGHT_LINE
    limit_minutes: float = 240.0  # the longest travel cap a policy or a child may set
    label: str = "road network"

    @property
    def name(self) -> str:
        return self.label

    def reach_km(self, minutes: float, easting: float | None = None, northing: float | None = None) -> float:
        """The fastest road (or the fallback, if farther) covering the straight line (circuity at least 1)."""
        fastest_kmh = float(np.max(self.graph.metres / self.graph.seconds) * 3.6) if len(self.graph.seconds) else 0.0
        return max(minutes / 60.0 * fastest_kmh, self.fallback.reach_km(minutes, easting, northing))

    def estimate(self, origin_easting: np.ndarray, origin_northing: np.ndarray, destination_easting: np.ndarray,
                 destination_northing: np.ndarray) -> TravelEstimate:
        """Quickest paths where both ends lie within the graph's cover (Dijkstra from each distinct origin node,
        in chunks), the fallback elsewhere."""
        arrays = np.broadcast_arrays(*(np.asarray(values, dtype=float) for values in (
            origin_easting, origin_northing, destination_easting, destination_northing)))
        fallback = self.fallback.estimate(*arrays)
        minutes, km, low, high, method = (fallback.minutes.copy(), fallback.km.copy(), fallback.low_minutes.copy(),
                                          fallback.high_minutes.copy(), fallback.method.copy())
        located = np.isfinite(arrays[2]) & np.isfinite(arrays[3])
        origin, origin_snap = self.graph.snap(arrays[0], arrays[1])
        destination = np.zeros(len(located), dtype=np.int64)
        destination_snap = np.full(len(located), np.inf)
        destination[located], destination_snap[located] = self.graph.snap(arrays[2][located], arrays[3][located])
        covered = np.flatnonzero(located & (origin_snap <= MAX_SNAP_M) & (destination_snap <= MAX_SNAP_M))
        sources, at = np.unique(origin[covered], return_inverse=True)
        for start in range(0, len(sources), DIJKSTRA_CHUNK):
            chunk = np.flatnonzero((at >= start) & (at < start + DIJKSTRA_CHUNK))
            seconds, metres = travel_from_nodes(self.graph, sources[start:start + DIJKSTRA_CHUNK],
                                                self.limit_minutes * 60.0)
            pairs = covered[chunk]
            access_m = origin_snap[pairs] + destination_snap[pairs]
            road_minutes = seconds[at[chunk] - start, destination[pairs]] / 60.0 + access_m / 1000.0 * (
                60.0 / ACCESS_SPEED_KMH)
            minutes[pairs] = low[pairs] = high[pairs] = road_minutes
            km[pairs] = (metres[at[chunk] - start, destination[pairs]] + access_m) / 1000.0
            method[pairs] = ROAD
        return TravelEstimate(minutes, km, low, high, method)

    def remember_destinations(self, easting: np.ndarray, northing: np.ndarray) -> None:
        """For the fallback, which estimates the journeys the graph does not reach."""
        self.fallback.remember_destinations(easting, northing)

    @property
    def corrections(self) -> str:
        return f"quickest paths over the road graph where it covers both ends; elsewhere {self.fallback.corrections}"

    def reach_km_of(self, minutes: np.ndarray, easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        return reach_km_each(self, minutes, easting, northing)

    def estimate_among(self, origins: tuple[np.ndarray, np.ndarray], destinations: tuple[np.ndarray, np.ndarray],
                       origin_at: np.ndarray, destination_at: np.ndarray) -> TravelEstimate:
        return estimate_each(self, origins, destinations, origin_at, destination_at)

    def destinations(self, easting: np.ndarray, northing: np.ndarray) -> EachDestination:
        return EachDestination(self, easting, northing)

    def distance_km(self, origin_easting: np.ndarray, origin_northing: np.ndarray,
                    destination_easting: np.ndarray, destination_northing: np.ndarray) -> np.ndarray:
        return self.estimate(origin_easting, origin_northing, destination_easting, destination_northing).km

    def table(self, origins: pd.DataFrame, providers: pd.DataFrame, cap_minutes: float) -> pd.DataFrame:
        """Every (origin, provider) pair the road graph joins within ``cap_minutes``: Dijkstra from the providers
        over the reversed graph (travel towards each setting), read at each origin's node."""
        check_cap(cap_minutes)
        located = providers[providers["easting"].notna() & providers["northing"].notna()]
        origin, provider, minutes, km = self.pairs(origins, located, cap_minutes)
        return travel_frame(origins.index.to_numpy()[origin], located.index.to_numpy()[provider], minutes, km)

    def pairs(self, origins: pd.DataFrame, located: pd.DataFrame, cap_minutes: float,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions of the origin and provider of each pair under the cap, with minutes and km."""
        target, target_snap = self.graph.snap(located["easting"].to_numpy(float), located["northing"].to_numpy(float))
        source, source_snap = self.graph.snap(origins["easting"].to_numpy(float), origins["northing"].to_numpy(float))
        covered = target_snap <= MAX_SNAP_M
        seconds, metres = travel_from_nodes(self.graph, target[covered], cap_minutes * 60.0, reverse=True)
        access_m = source_snap[None, :] + target_snap[covered][:, None]
        minutes = seconds[:, source] / 60.0 + access_m / 1000.0 * (60.0 / ACCESS_SPEED_KMH)
        km = (metres[:, source] + access_m) / 1000.0
        minutes[:, source_snap > MAX_SNAP_M] = np.inf
        provider_row, origin_row = np.nonzero(minutes <= cap_minutes)
        return (origin_row, np.flatnonzero(covered)[provider_row], minutes[provider_row, origin_row],
                km[provider_row, origin_row])


def fit_straight_line(road: pd.DataFrame) -> tuple[StraightLineTravel, dict[str, float]]:
    """Fit the straight-line model to road travel: circuity = road km over straight km (least squares through
    the origin), speed = all road km over all road hours; report its errors in minutes against the road.

    ``road`` holds travel_minutes and distance_km by road, and straight_km for the same pairs.
    """
    straight, road_km, minutes = (road[column].to_numpy(float) for column in ("straight_km", "distance_km",
                                                                                "travel_minutes"))
    usable = (straight > 0.5) & np.isfinite(minutes)  # pairs under half a kilometre say nothing of circuity
    circuity = max(float(straight[usable] @ road_km[usable] / (straight[usable] @ straight[usable])), 1.0)
    speed = float(road_km[usable].sum() / (minutes[usable].sum() / 60.0))
    model = StraightLineTravel(circuity=round(circuity, 3), speed_kmh=round(speed, 2),
                               name="straight line (calibrated)")
    error = np.abs(straight[usable] * model.circuity / model.speed_kmh * 60.0 - minutes[usable])
    return model, {"pairs": float(usable.sum()), "circuity": model.circuity, "speed_kmh": model.speed_kmh,
                   "median_abs_error_minutes": float(np.median(error)),
                   "p90_abs_error_minutes": float(np.percentile(error, 90)),
                   "mean_road_minutes": float(minutes[usable].mean())}
