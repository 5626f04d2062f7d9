"""Road travel against the straight line for one council: every small-area centroid to every provider it hosts."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.areas import load_area_centroids
from geodata.councils import load_council_boundaries, locate_councils
from geodata.roads import RoadGraph
from geodata.travel_cache import cached_arrays, digest
from matcher.travel.protocol import check_cap, travel_frame
from matcher.travel.roads import RoadTravel, fit_straight_line
from matcher.travel.straight_line import StraightLineTravel


@dataclass(frozen=True, eq=False)
class CouncilFit:
    areas: pd.DataFrame  # the council's LSOA centroids (index area code; easting, northing)
    road: pd.DataFrame  # the road travel table, with straight_km
    model: StraightLineTravel
    errors: dict[str, float]


def council_areas(data_dir: Path, council: str, graph: RoadGraph | None = None) -> pd.DataFrame:
    """The LSOA centroids lying in one council (within the graph's extent where one is given)."""
    areas = load_area_centroids(data_dir, "LSOA")
    areas = areas[areas.index.str.startswith("E01")]
    if graph is not None:
        areas = areas[areas["easting"].between(graph.easting.min(), graph.easting.max())
                      & areas["northing"].between(graph.northing.min(), graph.northing.max())]
    located = locate_councils(areas["easting"].to_numpy(), areas["northing"].to_numpy(),
                              load_council_boundaries(data_dir))
    return areas[located.to_numpy() == council]


def road_table(travel: RoadTravel, origins: pd.DataFrame, providers: pd.DataFrame, cap_minutes: float,
               cache_dir: Path | None = None) -> pd.DataFrame:
    """``travel.table``, kept in the cache folder (where one is given) under a hash of the graph, the points and
    the cap, so the same table is computed once."""
    check_cap(cap_minutes)
    located = providers[providers["easting"].notna() & providers["northing"].notna()]
    key = digest(travel.graph.key.encode(), np.float64(cap_minutes).tobytes(),
                 origins[["easting", "northing"]].to_numpy(float).tobytes(),
                 located[["easting", "northing"]].to_numpy(float).tobytes())

    def build() -> dict[str, np.ndarray]:
        origin, provider, minutes, km = travel.pairs(origins, located, cap_minutes)
        return {"origin": origin, "provider": provider, "minutes": minutes, "km": km}

    arrays = cached_arrays(cache_dir, f"travel-{key}", build)
    return travel_frame(origins.index.to_numpy()[arrays["origin"]], located.index.to_numpy()[arrays["provider"]],
                        arrays["minutes"], arrays["km"])


def fit_on_council(data_dir: Path, graph: RoadGraph, council: str, providers: pd.DataFrame,
                   cap_minutes: float = 90.0, cache_dir: Path | None = None) -> CouncilFit:
    """Road times from each LSOA centroid of a council to each provider it hosts, and the straight line fitted."""
    areas = council_areas(data_dir, council, graph)
    hosted = providers[providers["host_council"] == council]
    road = road_table(RoadTravel(graph), areas, hosted, cap_minutes, cache_dir)
    origin = areas.loc[road["origin_id"]]
    target = hosted.loc[road["provider_id"]]
    road["straight_km"] = np.hypot(target["easting"].to_numpy() - origin["easting"].to_numpy(),
                                   target["northing"].to_numpy() - origin["northing"].to_numpy()) / 1000.0
    model, errors = fit_straight_line(road)
    return CouncilFit(areas, road, model, errors)
