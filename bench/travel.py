"""Benchmark: the national travel model against the routed national matrix and Rutland's road network.

Prints:
1. Leave-one-region-out cross-validation of the national travel model (``matcher.national_travel``): fitted on
   eight regions' journeys, tested on the ninth, for each region in turn. Journeys are the routed matrix's, every
   English LSOA to every English hospital site, less the matrix's fixed 5.8-minute overhead plus the model's
   1.2-minute access; evaluated where the straight line is up to 80 km and the journey up to 120 minutes (school
   runs): median absolute relative error, median ratio, the share on the wrong side of 45 and of 75 minutes, and
   the share inside the band. The targets are 10%, 5% and 5%.
2. Rutland: the model against Rutland's road graph, every Rutland LSOA centroid to every provider Rutland hosts.
3. The road graph's build and cached read, and the road table's time.
Needs ../shared/data (or PLACEWISE_DATA). About three minutes on two cores.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("PLACEWISE_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
TARGETS = {"median error": 0.10, "wrong side of 45": 0.05, "wrong side of 75": 0.05}


def features(journeys, grid):  # type: ignore[no-untyped-def]
    """Straight km and the four densities of each journey, as the model reads them."""
    oe, on, de, dn = (journeys.origin_easting, journeys.origin_northing, journeys.destination_easting,
                      journeys.destination_northing)
    me, mn = (oe + de) / 2, (on + dn) / 2
    o5, d5 = grid.count(oe, on, 5.0), grid.count(de, dn, 5.0)
    middle = (o5 + grid.count(me, mn, 5.0) + d5) / 3
    return np.hypot(de - oe, dn - on) / 1000.0, o5, d5, middle, grid.count(me, mn, 10.0)


def fit_weights(km: np.ndarray) -> np.ndarray:
    """1/sqrt(count) in 30 log-distance bins from 0.2 to 100 km, so long journeys do not outweigh short ones."""
    bins = np.digitize(np.log(np.maximum(km, 0.2)), np.linspace(np.log(0.2), np.log(100), 30))
    return 1 / np.sqrt(np.bincount(bins)[bins])


def metrics(predicted: np.ndarray, actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict[str, float]:
    error = np.abs(predicted - actual) / actual
    return {"journeys": float(len(actual)), "median error": float(np.median(error)),
            "median ratio": float(np.median(predicted / actual)),
            "wrong side of 45": float(np.mean((predicted > 45) != (actual > 45))),
            "wrong side of 75": float(np.mean((predicted > 75) != (actual > 75))),
            "inside the band": float(np.mean((actual >= low) & (actual <= high)))}


def cross_validate() -> None:
    from geodata.density import load_density_grid
    from geodata.travel_matrix import load_journeys
    from matcher.national_travel import ACCESS_MINUTES, design_terms, estimate_minutes, fit_bands, fit_coefficients

    started = time.perf_counter()
    journeys = load_journeys(DATA)
    km, o5, d5, middle, m10 = features(journeys, load_density_grid(DATA))
    terms = np.column_stack(design_terms(km, o5, d5, middle, m10))
    driving = journeys.driving_minutes
    actual = driving + ACCESS_MINUTES
    fitted, school = km <= 100, (km <= 80) & (actual <= 120)
    weights = fit_weights(km)
    predicted, low, high = (np.full(len(actual), np.nan) for _ in range(3))
    for region in np.unique(journeys.region):
        train, test = fitted & (journeys.region != region), journeys.region == region
        coefficients = fit_coefficients(terms[train], np.log(driving[train]), weights[train])
        bands = fit_bands(driving[train] / np.exp(terms[train] @ coefficients), km[train], middle[train])
        predicted[test], low[test], high[test] = estimate_minutes(km[test], o5[test], d5[test], middle[test],
                                                                  m10[test], coefficients, bands)
    print(f"Leave-one-region-out cross-validation: {len(actual):,} journeys, {school.sum():,} of school-run length "
          f"(straight line <= 80 km, <= 120 minutes); {time.perf_counter() - started:.0f} s")
    header = ["journeys", "median error", "median ratio", "wrong side of 45", "wrong side of 75", "inside the band"]
    print(f"{'region':26}" + "".join(f"{name:>18}" for name in header))
    for region in [*np.unique(journeys.region), "England"]:
        chosen = school & ((journeys.region == region) if region != "England" else True)
        row = metrics(predicted[chosen], actual[chosen], low[chosen], high[chosen])
        print(f"{region:26}" + "".join(f"{row[name]:>18,.0f}" if name == "journeys" else f"{row[name]:>18.1%}"
                                       if name != "median ratio" else f"{row[name]:>18.3f}" for name in header))
    overall = metrics(predicted[school], actual[school], low[school], high[school])
    print("Targets: " + "; ".join(f"{name} {overall[name]:.1%} (target {target:.0%}: "
                                  f"{'met' if overall[name] <= target else 'missed'})"
                                  for name, target in TARGETS.items()))


def rutland() -> None:
    from geodata.roads import load_road_graph
    from matcher.road_travel import RoadTravel
    from scenarios.inputs import load_inputs
    from scenarios.travel_fit import council_areas, road_table

    cache = Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    pbf = DATA / "roads" / "rutland-latest.osm.pbf"
    started = time.perf_counter()
    graph = load_road_graph(pbf, cache)
    built = time.perf_counter()
    load_road_graph(pbf, cache)
    print(f"\nRutland road graph: {graph.n_nodes:,} nodes, {len(graph.tails):,} edges; build {built - started:.2f} s, "
          f"from cache {(time.perf_counter() - built) * 1000:.1f} ms")
    inputs = load_inputs(DATA)
    areas = council_areas(DATA, "E06000017", graph)
    hosted = inputs.providers[inputs.providers["host_council"] == "E06000017"]
    started = time.perf_counter()
    road = road_table(RoadTravel(graph), areas, hosted, 90.0)
    print(f"Road table: {len(areas)} LSOA centroids x {len(hosted)} providers: {len(road):,} pairs in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    origin, target = areas.loc[road["origin_id"]], hosted.loc[road["provider_id"]]
    model = inputs.travel.estimate(origin["easting"].to_numpy(), origin["northing"].to_numpy(),
                                   target["easting"].to_numpy(float), target["northing"].to_numpy(float))
    by_road = road["travel_minutes"].to_numpy()
    error = np.abs(model.minutes - by_road) / by_road
    inside = np.mean((by_road >= model.low_minutes) & (by_road <= model.high_minutes))
    print(f"National model against Rutland's road graph ({len(by_road)} pairs): median error {np.median(error):.1%} "
          f"(target 10%: {'met' if np.median(error) <= 0.10 else 'missed'}), median ratio "
          f"{np.median(model.minutes / by_road):.3f}, 90th percentile error {np.percentile(error, 90):.1%}; "
          f"{inside:.0%} of road times inside the band")


def main() -> None:
    if not (DATA / "travel").is_dir():
        sys.exit(f"real data not found at {DATA}; set PLACEWISE_DATA")
    cross_validate()
    rutland()


if __name__ == "__main__":
    main()
