"""Benchmark: travel on Rutland's real road network and the national straight-line matrix.

Prints: the road graph's build time from the .osm.pbf (cache empty) and its load time from the cache; the
many-to-many road table from every Rutland LSOA centroid to every provider the graph covers, within 90 minutes,
by Dijkstra from the origins and from the providers (reversed graph); the calibrated straight line's fit and
error against the road for Rutland; and the straight-line table for every English LSOA centroid to every provider
in the register under a 75-minute cap, with wall time and peak memory (VmHWM, whole process).
Needs ../shared/data (or PLACEWISE_DATA).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("PLACEWISE_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> None:
    if not (DATA / "roads").is_dir():
        sys.exit(f"real data not found at {DATA}; set PLACEWISE_DATA")
    cache = Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    from geodata.areas import load_area_centroids
    from geodata.roads import load_road_graph, travel_from_nodes
    from matcher.road_travel import RoadTravel
    from matcher.travel import CALIBRATED_STRAIGHT_LINE, StraightLineTravel
    from scenarios.inputs import load_inputs
    from scenarios.travel_fit import council_areas, fit_on_council

    pbf = DATA / "roads" / "rutland-latest.osm.pbf"
    graph, build_s = timed(lambda: load_road_graph(pbf, cache))
    _, cached_s = timed(lambda: load_road_graph(pbf, cache))
    print(f"Rutland road graph: {graph.n_nodes:,} nodes, {len(graph.tails):,} edges; build {build_s:.2f} s, "
          f"from cache {cached_s * 1000:.1f} ms")

    providers = load_inputs(DATA).providers
    areas = council_areas(DATA, "E06000017", graph)
    inside = providers[providers["easting"].between(graph.easting.min(), graph.easting.max())
                       & providers["northing"].between(graph.northing.min(), graph.northing.max())]
    table, table_s = timed(lambda: RoadTravel(graph).table(areas, inside, 90.0))
    print(f"Road table, {len(areas)} Rutland LSOA centroids x {len(inside)} providers in the graph's extent, "
          f"90-minute cap: {len(table):,} pairs in {table_s * 1000:.1f} ms (Dijkstra from the providers)")
    origins, _ = graph.snap(areas["easting"].to_numpy(), areas["northing"].to_numpy())
    _, forward_s = timed(lambda: travel_from_nodes(graph, origins, 90 * 60.0))
    print(f"  the same by Dijkstra from the {len(origins)} origins: {forward_s * 1000:.1f} ms "
          f"({forward_s / max(len(origins), 1) * 1000:.2f} ms a source)")

    fit = fit_on_council(DATA, graph, "E06000017", providers)
    errors = fit.errors
    print(f"Straight line fitted on Rutland ({errors['pairs']:.0f} LSOA-provider pairs): circuity "
          f"{errors['circuity']:.3f}, speed {errors['speed_kmh']:.1f} km/h; error against the road: median "
          f"{errors['median_abs_error_minutes']:.1f} min, 90th percentile {errors['p90_abs_error_minutes']:.1f} min "
          f"(mean road journey {errors['mean_road_minutes']:.1f} min)")
    default = StraightLineTravel()
    road = fit.road
    for name, model in (("calibrated", CALIBRATED_STRAIGHT_LINE), ("default 30 km/h", default)):
        predicted = road["straight_km"] * model.circuity / model.speed_kmh * 60.0
        error = np.abs(predicted - road["travel_minutes"])
        print(f"  {name}: median error {np.median(error):.1f} min, 90th percentile {np.percentile(error, 90):.1f}")

    lsoas = load_area_centroids(DATA, "LSOA")
    lsoas = lsoas[lsoas.index.str.startswith("E01")]
    located = providers.dropna(subset=["easting", "northing"])
    before = peak_mib()
    for name, model in (("calibrated", CALIBRATED_STRAIGHT_LINE), ("default 30 km/h", default)):
        national, national_s = timed(lambda model=model: model.table(lsoas, located, 75.0))
        print(f"National straight-line table ({name}): {len(lsoas):,} LSOA centroids x {len(located):,} providers, "
              f"75-minute cap: {len(national):,} pairs in {national_s:.2f} s; process peak {peak_mib():,.0f} MiB "
              f"(was {before:,.0f} before the tables)")
        del national


if __name__ == "__main__":
    main()
