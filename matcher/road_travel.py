"""Travel over a road graph (``geodata.roads``), through the same interface as the straight line."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.roads import ACCESS_SPEED_KMH, MAX_SNAP_M, RoadGraph, travel_from_nodes
from matcher.provider_index import ProviderIndex
from matcher.travel import CALIBRATED_STRAIGHT_LINE, StraightLineTravel, check_cap, travel_frame


@dataclass(frozen=True, eq=False)
class RoadTravel:
    """Quickest paths over a road graph, with the calibrated straight line where the graph does not reach.

    A home or setting more than ``MAX_SNAP_M`` from the graph's nearest node is outside its cover, and pairs
    involving it fall back to ``fallback``. A pair the graph cannot join within ``limit_minutes`` is infinitely
    far (so over any cap, and said to be unreachable), never zero.
    """

    graph: RoadGraph
    fallback: StraightLineTravel = CALIBRATED_STRAIGHT_LINE
    limit_minutes: float = 240.0  # the longest travel cap a policy or a child may set
    label: str = "road network"
    _snaps: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.label

    def reach_km(self, minutes: float) -> float:
        """The fastest road (or the fallback, if faster) covering the straight line (circuity at least 1)."""
        fastest_kmh = float(np.max(self.graph.metres / self.graph.seconds) * 3.6) if len(self.graph.seconds) else 0.0
        return max(minutes / 60.0 * fastest_kmh, self.fallback.reach_km(minutes))

    def travel(self, easting: float, northing: float, index: ProviderIndex) -> tuple[np.ndarray, np.ndarray]:
        minutes, km = self.fallback.travel(easting, northing, index)
        node, snap_m = self.graph.snap(np.array([easting]), np.array([northing]))
        if snap_m[0] > MAX_SNAP_M:
            return minutes, km
        seconds, metres = travel_from_nodes(self.graph, node, self.limit_minutes * 60.0)
        targets, target_snap = self._provider_nodes(index)
        covered = target_snap <= MAX_SNAP_M
        access_m = snap_m[0] + target_snap[covered]
        minutes[covered] = seconds[0, targets[covered]] / 60.0 + access_m / 1000.0 * (60.0 / ACCESS_SPEED_KMH)
        km[covered] = (metres[0, targets[covered]] + access_m) / 1000.0
        return minutes, km

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

    def _provider_nodes(self, index: ProviderIndex) -> tuple[np.ndarray, np.ndarray]:
        """Each provider's nearest node and snap distance (unlocated providers: beyond any cover), cached."""
        cached = self._snaps.get(id(index))
        if cached is None or cached[0] is not index:
            located = np.isfinite(index.easting) & np.isfinite(index.northing)
            node = np.zeros(len(index.easting), dtype=np.int64)
            snap = np.full(len(index.easting), np.inf)
            node[located], snap[located] = self.graph.snap(index.easting[located], index.northing[located])
            cached = self._snaps[id(index)] = (index, node, snap)
        return cached[1], cached[2]


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
